/* reply.c -- encoding replies into a client's output buffers.
 *
 * Output goes first into the client's fixed 16 KB buffer (no allocation for
 * the common small reply), then into a list of blocks of at least 16 KB.
 * Bytes are only copied here; networking.c writes them out before the loop
 * sleeps, so a pipeline of N commands costs one write(2), not N.
 *
 * Deferred lengths (replies whose element count is known only at the end,
 * like SCAN's) are an empty placeholder block in the list, filled in by
 * setDeferred*Len; everything after it goes to new blocks, so the order of
 * bytes is preserved without moving data. */
#include "reply.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "server.h"
#include "util.h"
#include "zmalloc.h"

const struct sharedReplies shared = {
    .crlf = "\r\n",
    .ok = "+OK\r\n",
    .pong = "+PONG\r\n",
    .queued = "+QUEUED\r\n",
    .czero = ":0\r\n",
    .cone = ":1\r\n",
    .cnegone = ":-1\r\n",
    .nullbulk2 = "$-1\r\n",
    .nullarray2 = "*-1\r\n",
    .emptyarray = "*0\r\n",
    .emptybulk = "$0\r\n\r\n",
    .wrongtypeerr = "-WRONGTYPE Operation against a key holding the wrong kind of value",
    .syntaxerr = "-ERR syntax error",
    .noautherr = "-NOAUTH Authentication required.",
};

#define REPLY_BLOCK_MIN (16 * 1024)

/* Returns 1 if output for this client should be buffered. */
int prepareClientToWrite(client *c) {
    /* Pub/Sub pushes (CLIENT_PUSHING, set by pubsub.c) reach the client
     * even with replies switched off, as in Redis 7.0. */
    if ((c->flags & (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP)) && !(c->flags & CLIENT_PUSHING)) return 0;
    if (c->flags & CLIENT_CLOSE_AFTER_REPLY) return 0;
    if (c->fd < 0) return (c->flags & CLIENT_FAKE) ? 1 : 0;
    if (!(c->flags & CLIENT_PENDING_WRITE)) putClientInPendingWriteQueue(c);
    return 1;
}

static void appendToReplyList(client *c, const char *s, size_t len) {
    listNode *ln = listLast(c->reply);
    clientReplyBlock *tail = ln ? listNodeValue(ln) : NULL;
    if (tail && tail->size > 0) {
        size_t avail = tail->size - tail->used;
        size_t n = avail < len ? avail : len;
        memcpy(tail->buf + tail->used, s, n);
        tail->used += n;
        s += n;
        len -= n;
        c->reply_bytes += n;
    }
    if (len) {
        size_t size = len < REPLY_BLOCK_MIN ? REPLY_BLOCK_MIN : len;
        clientReplyBlock *b = zmalloc(sizeof(*b) + size);
        b->size = zmallocSize(b) - sizeof(*b);
        b->used = len;
        memcpy(b->buf, s, len);
        listAddNodeTail(c->reply, b);
        c->reply_bytes += len;
    }
}

void addReplyProto(client *c, const char *s, size_t len) {
    if (!prepareClientToWrite(c)) return;
    if (listLength(c->reply) == 0) {
        size_t avail = sizeof(c->buf) - c->bufpos;
        if (len <= avail) {
            memcpy(c->buf + c->bufpos, s, len);
            c->bufpos += len;
            return;
        }
        /* Fill the fixed buffer, the rest goes to blocks. */
        memcpy(c->buf + c->bufpos, s, avail);
        c->bufpos += avail;
        s += avail;
        len -= avail;
    }
    appendToReplyList(c, s, len);
    /* Output buffer limits are checked on every append past the fixed buffer,
     * so a client that never reads is disconnected before it can exhaust
     * memory, as Redis does. */
    if (checkClientOutputBufferLimits(c)) closeClientOnOutputBufferLimitReached(c);
}

static void addReplyLenPrefix(client *c, char prefix, long long len) {
    char buf[32];
    buf[0] = prefix;
    int n = ll2string(buf + 1, sizeof(buf) - 3, len);
    buf[n + 1] = '\r';
    buf[n + 2] = '\n';
    addReplyProto(c, buf, (size_t)n + 3);
}

void addReplyRstr(client *c, rstr s) {
    addReplyProto(c, s, rstrLen(s));
    rstrFree(s);
}

void addReplyStatusLength(client *c, const char *s, size_t len) {
    addReplyProto(c, "+", 1);
    addReplyProto(c, s, len);
    addReplyProto(c, "\r\n", 2);
}

void addReplyStatus(client *c, const char *status) {
    addReplyStatusLength(c, status, strlen(status));
}

void addReplyOk(client *c) {
    addReplyProto(c, shared.ok, 5);
}

/* --- errors ----------------------------------------------------------- */

void incrementErrorCount(const char *fullerr, size_t namelen) {
    typedef struct errorEntry {
        void *next;
        long long count;
        size_t len;
        char name[];
    } errorEntry;
    if (server.errors == NULL) return;
    errorEntry *e = htabFind(server.errors, fullerr, namelen);
    if (e == NULL) {
        /* Like Redis, stop tracking new error codes past 128 distinct ones:
         * a client inventing codes must not grow the table forever. */
        if (htabSize(server.errors) >= 128) return;
        e = zmalloc(sizeof(*e) + namelen + 1);
        e->count = 0;
        e->len = namelen;
        memcpy(e->name, fullerr, namelen);
        e->name[namelen] = '\0';
        htabInsert(server.errors, e);
    }
    e->count++;
}

static void afterErrorReply(client *c, const char *s, size_t len) {
    (void)c;
    server.stat_total_error_replies++;
    /* The code is the first word of the error, "ERR" when none was given. */
    const char *code = "ERR";
    size_t codelen = 3;
    if (len && s[0] == '-') {
        const char *sp = memchr(s, ' ', len);
        code = s + 1;
        codelen = sp ? (size_t)(sp - s - 1) : len - 1;
    }
    incrementErrorCount(code, codelen);
}

void addReplyErrorLength(client *c, const char *s, size_t len) {
    if (!len || s[0] != '-') addReplyProto(c, "-ERR ", 5);
    addReplyProto(c, s, len);
    addReplyProto(c, "\r\n", 2);
    afterErrorReply(c, s, len);
}

void addReplyError(client *c, const char *err) {
    addReplyErrorLength(c, err, strlen(err));
}

void addReplyErrorFormat(client *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    rstr s = rstrCatVprintf(rstrEmpty(), fmt, ap);
    va_end(ap);
    /* An error reply is one line: newlines from user data would split it. */
    size_t len = rstrLen(s);
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\r' || s[i] == '\n') s[i] = ' ';
    addReplyErrorLength(c, s, len);
    rstrFree(s);
}

void addReplyErrorObject(client *c, robj *err) {
    addReplyErrorLength(c, err->ptr, rstrLen(err->ptr));
}

void addReplyErrorArity(client *c) {
    addReplyErrorFormat(c, "wrong number of arguments for '%s' command", c->cmd->fullname);
}

void addReplyErrorSyntax(client *c) {
    addReplyError(c, shared.syntaxerr);
}

void addReplyErrorWrongType(client *c) {
    addReplyError(c, shared.wrongtypeerr);
}

void addReplyErrorNotInteger(client *c) {
    addReplyError(c, "value is not an integer or out of range");
}

void addReplyErrorExpireTime(client *c) {
    addReplyErrorFormat(c, "invalid expire time in '%s' command", c->cmd->fullname);
}

void addReplySubcommandSyntaxError(client *c) {
    rstr cmd = rstrNew(c->cmd->fullname);
    char *bar = strchr(cmd, '|');
    if (bar) rstrSetLen(cmd, (size_t)(bar - cmd));
    rstrToUpper(cmd);
    addReplyErrorFormat(c, "unknown subcommand or wrong number of arguments for '%.128s'. Try %s HELP.",
                        (char *)c->argv[1]->ptr, cmd);
    rstrFree(cmd);
}

/* --- bulk strings ----------------------------------------------------- */

void addReplyBulkCBuffer(client *c, const void *p, size_t len) {
    if (!prepareClientToWrite(c)) return;
    /* Header, bytes and CRLF in one copy when they fit the fixed buffer. */
    char hdr[32];
    hdr[0] = '$';
    int n = ll2string(hdr + 1, sizeof(hdr) - 3, (long long)len);
    hdr[n + 1] = '\r';
    hdr[n + 2] = '\n';
    size_t hlen = (size_t)n + 3;
    if (listLength(c->reply) == 0 && sizeof(c->buf) - c->bufpos >= hlen + len + 2) {
        char *dst = c->buf + c->bufpos;
        memcpy(dst, hdr, hlen);
        memcpy(dst + hlen, p, len);
        dst[hlen + len] = '\r';
        dst[hlen + len + 1] = '\n';
        c->bufpos += hlen + len + 2;
        return;
    }
    addReplyProto(c, hdr, hlen);
    addReplyProto(c, p, len);
    addReplyProto(c, "\r\n", 2);
}

void addReplyBulk(client *c, robj *obj) {
    if (obj->encoding == OBJ_ENCODING_INT) {
        addReplyBulkLongLong(c, (long long)(intptr_t)obj->ptr);
        return;
    }
    addReplyBulkCBuffer(c, obj->ptr, rstrLen(obj->ptr));
}

void addReply(client *c, robj *obj) {
    addReplyBulk(c, obj);
}

void addReplyBulkCString(client *c, const char *s) {
    if (s == NULL)
        addReplyNull(c);
    else
        addReplyBulkCBuffer(c, s, strlen(s));
}

void addReplyBulkRstr(client *c, rstr s) {
    addReplyBulkCBuffer(c, s, rstrLen(s));
    rstrFree(s);
}

void addReplyBulkLongLong(client *c, long long ll) {
    char buf[LONG_STR_SIZE];
    int n = ll2string(buf, sizeof(buf), ll);
    addReplyBulkCBuffer(c, buf, (size_t)n);
}

void addReplyVerbatim(client *c, const char *s, size_t len, const char *ext) {
    if (c->resp == 2) {
        addReplyBulkCBuffer(c, s, len);
        return;
    }
    char hdr[40];
    int n = snprintf(hdr, sizeof(hdr), "=%zu\r\n%.3s:", len + 4, ext);
    addReplyProto(c, hdr, (size_t)n);
    addReplyProto(c, s, len);
    addReplyProto(c, "\r\n", 2);
}

/* --- numbers ---------------------------------------------------------- */

void addReplyLongLong(client *c, long long ll) {
    if (ll == 0)
        addReplyProto(c, shared.czero, 4);
    else if (ll == 1)
        addReplyProto(c, shared.cone, 4);
    else
        addReplyLenPrefix(c, ':', ll);
}

void addReplyDouble(client *c, double d) {
    char buf[MAX_D2STRING_CHARS];
    int len = d2string(buf, sizeof(buf), d);
    if (c->resp == 2) {
        addReplyBulkCBuffer(c, buf, (size_t)len);
    } else {
        addReplyProto(c, ",", 1);
        addReplyProto(c, buf, (size_t)len);
        addReplyProto(c, "\r\n", 2);
    }
}

void addReplyLongDoubleAsBulk(client *c, long double d) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    int len = ld2string(buf, sizeof(buf), d, 1);
    addReplyBulkCBuffer(c, buf, (size_t)len);
}

void addReplyHumanLongDouble(client *c, long double d) {
    if (c->resp == 2) {
        addReplyLongDoubleAsBulk(c, d);
        return;
    }
    char buf[MAX_LONG_DOUBLE_CHARS];
    int len = ld2string(buf, sizeof(buf), d, 1);
    addReplyProto(c, ",", 1);
    addReplyProto(c, buf, (size_t)len);
    addReplyProto(c, "\r\n", 2);
}

void addReplyBigNum(client *c, const char *num, size_t len) {
    if (c->resp == 2) {
        addReplyBulkCBuffer(c, num, len);
    } else {
        addReplyProto(c, "(", 1);
        addReplyProto(c, num, len);
        addReplyProto(c, "\r\n", 2);
    }
}

void addReplyBool(client *c, int b) {
    if (c->resp == 2)
        addReplyProto(c, b ? shared.cone : shared.czero, 4);
    else
        addReplyProto(c, b ? "#t\r\n" : "#f\r\n", 4);
}

void addReplyNull(client *c) {
    if (c->resp == 2)
        addReplyProto(c, shared.nullbulk2, 5);
    else
        addReplyProto(c, "_\r\n", 3);
}

void addReplyNullArray(client *c) {
    if (c->resp == 2)
        addReplyProto(c, shared.nullarray2, 5);
    else
        addReplyProto(c, "_\r\n", 3);
}

/* --- aggregates ------------------------------------------------------- */

void addReplyArrayLen(client *c, long length) {
    addReplyLenPrefix(c, '*', length);
}

void addReplyMapLen(client *c, long length) {
    if (c->resp == 2)
        addReplyLenPrefix(c, '*', length * 2);
    else
        addReplyLenPrefix(c, '%', length);
}

void addReplySetLen(client *c, long length) {
    addReplyLenPrefix(c, c->resp == 2 ? '*' : '~', length);
}

void addReplyAttributeLen(client *c, long length) {
    addReplyLenPrefix(c, '|', length);
}

void addReplyPushLen(client *c, long length) {
    addReplyLenPrefix(c, c->resp == 2 ? '*' : '>', length);
}

void addReplyEmptyArray(client *c) {
    addReplyProto(c, shared.emptyarray, 4);
}

void addReplyHelp(client *c, const char **help) {
    rstr cmd = rstrNew(c->cmd->fullname);
    char *bar = strchr(cmd, '|');
    if (bar) rstrSetLen(cmd, (size_t)(bar - cmd));
    rstrToUpper(cmd);
    void *blen = addReplyDeferredLen(c);
    long n = 0;
    rstr head = rstrCatPrintf(rstrEmpty(), "%s <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                              cmd);
    addReplyStatusLength(c, head, rstrLen(head));
    rstrFree(head);
    n++;
    for (int i = 0; help[i]; i++, n++) addReplyStatus(c, help[i]);
    addReplyStatus(c, "HELP");
    addReplyStatus(c, "    Print this help.");
    n += 2;
    setDeferredArrayLen(c, blen, n);
    rstrFree(cmd);
}

void *addReplyDeferredLen(client *c) {
    if (!prepareClientToWrite(c)) return NULL;
    /* An empty block of size 0 marks the place; the next reply bytes go to a
     * new block after it. */
    clientReplyBlock *b = zmalloc(sizeof(*b));
    b->size = 0;
    b->used = 0;
    listAddNodeTail(c->reply, b);
    return listLast(c->reply);
}

static void setDeferredReply(client *c, void *node, const char *s, size_t len) {
    if (node == NULL) return;
    listNode *ln = node;
    clientReplyBlock *old = listNodeValue(ln);
    zfree(old);
    clientReplyBlock *b = zmalloc(sizeof(*b) + len);
    b->size = len;
    b->used = len;
    memcpy(b->buf, s, len);
    ln->value = b;
    c->reply_bytes += len;
}

static void setDeferredAggregateLen(client *c, void *node, long length, char prefix) {
    char buf[32];
    buf[0] = prefix;
    int n = ll2string(buf + 1, sizeof(buf) - 3, length);
    buf[n + 1] = '\r';
    buf[n + 2] = '\n';
    setDeferredReply(c, node, buf, (size_t)n + 3);
}

void setDeferredArrayLen(client *c, void *node, long length) {
    setDeferredAggregateLen(c, node, length, '*');
}

void setDeferredMapLen(client *c, void *node, long length) {
    if (c->resp == 2)
        setDeferredAggregateLen(c, node, length * 2, '*');
    else
        setDeferredAggregateLen(c, node, length, '%');
}

void setDeferredSetLen(client *c, void *node, long length) {
    setDeferredAggregateLen(c, node, length, c->resp == 2 ? '*' : '~');
}

void setDeferredAttributeLen(client *c, void *node, long length) {
    setDeferredAggregateLen(c, node, length, '|');
}

void setDeferredReplyBulkRstr(client *c, void *node, rstr s) {
    rstr p = rstrCatPrintf(rstrEmpty(), "$%zu\r\n", rstrLen(s));
    p = rstrCatRstr(p, s);
    p = rstrCatLen(p, "\r\n", 2);
    setDeferredReply(c, node, p, rstrLen(p));
    rstrFree(p);
    rstrFree(s);
}

void resetErrorTableStats(void) {
    if (server.errors) htabEmpty(server.errors, NULL);
}
