/* resp_parse.c -- incremental parser for client requests (see resp.h).
 *
 * The parser keeps its position in respParser between calls, so a command
 * split across any number of reads is parsed without rescanning: the
 * multibulk header is parsed once, then each bulk header, then each bulk's
 * bytes as soon as they are all present.  It never trusts a length: every
 * count is bounded before anything is allocated for it, and a bulk's bytes
 * are only copied once they have arrived, so a client announcing a 512 MB
 * argument costs nothing until it actually sends it.
 *
 * The error texts are the ones Redis 7 sends (clients and test suites match
 * on them); the caller prefixes "ERR " and closes the connection. */
#include "resp.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "object.h"
#include "rstr.h"
#include "util.h"
#include "zmalloc.h"

#define RESP_INLINE_MAX (1024 * 64)
#define RESP_UNAUTH_MAX_ARGS 10
#define RESP_UNAUTH_MAX_BULK 16384

void respParserInit(respParser *p) {
    memset(p, 0, sizeof(*p));
    p->bulklen = -1;
}

void respParserReset(respParser *p) {
    for (int i = 0; i < p->argc; i++) decrRefCount(p->argv[i]);
    p->argc = 0;
    p->reqtype = RESP_REQ_UNKNOWN;
    p->multibulklen = 0;
    p->bulklen = -1;
    p->argv_len_sum = 0;
    p->error = NULL;
    /* A huge argv array from one big command is not kept for the next. */
    if (p->argv_cap > 1024) {
        zfree(p->argv);
        p->argv = NULL;
        p->argv_cap = 0;
    }
}

void respParserFree(respParser *p) {
    respParserReset(p);
    zfree(p->argv);
    p->argv = NULL;
    p->argv_cap = 0;
}

static void ensureArgvCapacity(respParser *p, long n) {
    if (n <= p->argv_cap) return;
    p->argv = zrealloc(p->argv, sizeof(robj *) * (size_t)n);
    p->argv_cap = (int)n;
}

static int fail(respParser *p, const char *msg) {
    p->error = msg;
    return RESP_PARSE_ERR;
}

/* Inline: one line of text, "\n" or "\r\n" terminated. */
static int parseInline(respParser *p, const char *buf, size_t len, size_t *pos) {
    const char *start = buf + *pos;
    size_t avail = len - *pos;
    const char *nl = memchr(start, '\n', avail);
    if (nl == NULL) {
        if (avail > RESP_INLINE_MAX) return fail(p, "Protocol error: too big inline request");
        return RESP_PARSE_NEED_MORE;
    }
    size_t linelen = (size_t)(nl - start);
    if (linelen && start[linelen - 1] == '\r') linelen--;
    if (linelen > RESP_INLINE_MAX) return fail(p, "Protocol error: too big inline request");
    char *line = zmalloc(linelen + 1);
    memcpy(line, start, linelen);
    line[linelen] = '\0';
    int argc;
    rstr *argv = rstrSplitArgs(line, &argc);
    zfree(line);
    if (argv == NULL) return fail(p, "Protocol error: unbalanced quotes in request");
    *pos += (size_t)(nl - start) + 1;
    p->empty_inline = (argc == 0);
    ensureArgvCapacity(p, argc);
    for (int i = 0; i < argc; i++) {
        p->argv[i] = createStringObject(argv[i], rstrLen(argv[i]));
        p->argv_len_sum += rstrLen(argv[i]);
    }
    p->argc = argc;
    rstrFreeSplitRes(argv, argc);
    return RESP_PARSE_OK;
}

/* Reads "<prefix><integer>\r\n" at buf[*pos].  Returns 1 and the value when
 * the whole line is present, 0 if more bytes are needed, -1 when the line is
 * unreasonably long without a terminator, -2 when it is not a number. */
static int readCountLine(const char *buf, size_t len, size_t *pos, long long *value) {
    const char *start = buf + *pos;
    size_t avail = len - *pos;
    const char *cr = memchr(start, '\r', avail);
    if (cr == NULL) return avail > RESP_INLINE_MAX ? -1 : 0;
    if ((size_t)(cr - start) + 2 > avail) return 0; /* need the '\n' too */
    int ok = string2ll(start + 1, (size_t)(cr - start - 1), value);
    *pos += (size_t)(cr - start) + 2;
    return ok ? 1 : -2;
}

static int parseMultibulk(respParser *p, const char *buf, size_t len, size_t *pos,
                          const respLimits *lim) {
    if (p->multibulklen == 0) {
        long long ll;
        size_t save = *pos;
        int r = readCountLine(buf, len, pos, &ll);
        if (r == 0) return RESP_PARSE_NEED_MORE;
        if (r == -1) return fail(p, "Protocol error: too big mbulk count string");
        if (r == -2 || ll > INT_MAX) return fail(p, "Protocol error: invalid multibulk length");
        if (ll > RESP_UNAUTH_MAX_ARGS && !lim->authenticated)
            return fail(p, "Protocol error: unauthenticated multibulk length");
        (void)save;
        if (ll <= 0) {
            p->argc = 0;
            p->reqtype = RESP_REQ_UNKNOWN;
            return RESP_PARSE_OK; /* "*0\r\n" or "*-1\r\n": an empty command */
        }
        p->multibulklen = (long)ll;
        /* Grow the array as arguments arrive, not by the announced count:
         * "*2147483647\r\n" alone must not allocate 16 GB. */
        ensureArgvCapacity(p, ll < 1024 ? (long)ll : 1024);
        p->bulklen = -1;
    }
    while (p->multibulklen) {
        if (p->bulklen == -1) {
            if (*pos >= len) return RESP_PARSE_NEED_MORE;
            const char *cr = memchr(buf + *pos, '\r', len - *pos);
            /* The length limit comes first, as in Redis: 64 KB with no CR is
             * "too big" whatever the first byte is. */
            if (cr == NULL && len - *pos > RESP_INLINE_MAX)
                return fail(p, "Protocol error: too big bulk count string");
            if (buf[*pos] != '$') {
                if (cr == NULL) return RESP_PARSE_NEED_MORE;
                snprintf(p->errbuf, sizeof(p->errbuf), "Protocol error: expected '$', got '%c'",
                         buf[*pos]);
                return fail(p, p->errbuf);
            }
            long long ll;
            int r = readCountLine(buf, len, pos, &ll);
            if (r == 0) return RESP_PARSE_NEED_MORE;
            if (r == -1) return fail(p, "Protocol error: too big bulk count string");
            if (r == -2 || ll < 0 || ll > lim->max_bulk_len)
                return fail(p, "Protocol error: invalid bulk length");
            if (ll > RESP_UNAUTH_MAX_BULK && !lim->authenticated)
                return fail(p, "Protocol error: unauthenticated bulk length");
            p->bulklen = ll;
        }
        if (len - *pos < (size_t)p->bulklen + 2) return RESP_PARSE_NEED_MORE;
        if (p->argc == p->argv_cap) {
            long want = p->argv_cap * 2;
            if (want > p->argc + p->multibulklen) want = p->argc + p->multibulklen;
            ensureArgvCapacity(p, want);
        }
        p->argv[p->argc++] = createStringObject(buf + *pos, (size_t)p->bulklen);
        p->argv_len_sum += (size_t)p->bulklen;
        *pos += (size_t)p->bulklen + 2;
        p->bulklen = -1;
        p->multibulklen--;
    }
    return RESP_PARSE_OK;
}

int respParse(respParser *p, const char *buf, size_t len, size_t *pos, const respLimits *lim) {
    if (*pos >= len) return RESP_PARSE_NEED_MORE;
    if (p->reqtype == RESP_REQ_UNKNOWN)
        p->reqtype = buf[*pos] == '*' ? RESP_REQ_MULTIBULK : RESP_REQ_INLINE;
    if (p->reqtype == RESP_REQ_INLINE) return parseInline(p, buf, len, pos);
    return parseMultibulk(p, buf, len, pos, lim);
}
