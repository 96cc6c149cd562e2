/* client_command.c -- the CLIENT container: ID, SETNAME, GETNAME, LIST,
 * INFO, KILL, REPLY, NO-EVICT, PAUSE, UNPAUSE, HELP, GETREDIR, TRACKINGINFO.
 *
 * Every subcommand has its own handler, so the dispatcher checks each one's
 * arity and the subcommands ringkv does not implement (TRACKING, CACHING,
 * UNBLOCK) answer "unknown subcommand" instead of half-working.
 *
 * CLIENT LIST/INFO text (catClientInfoString, also used by log lines about
 * a client) has Redis 7.0's fields in Redis 7.0's order, because tools
 * split the line on spaces and '=' and some index the fields: id addr laddr
 * fd name age idle flags db sub psub ssub multi qbuf qbuf-free argv-mem
 * multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp.  Every
 * value is measured: rbs is the fixed reply buffer (ringkv never resizes
 * it), rbp its recent peak (networking.c restarts it every few seconds),
 * multi-mem the queued MULTI commands' arguments; tot-mem everything the
 * connection holds (getClientMemoryUsage in networking.c).
 *
 * Killing: another client is freed right away (networking.c defers it if it
 * is in the middle of something); the calling client is only marked to be
 * closed after its reply, so it still receives the answer to CLIENT KILL.
 *
 * Client-side caching does not exist in ringkv, so GETREDIR and
 * TRACKINGINFO report exactly what Redis reports for a connection with
 * tracking off, which is the truth here. */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "acl.h"
#include "commands.h"
#include "connection.h"
#include "db.h"
#include "reply.h"
#include "server.h"

/* server.client_pause_type values (see pauseClients in networking.c). */
#define CLIENT_PAUSE_WRITE 1
#define CLIENT_PAUSE_ALL 2

/* --- names ------------------------------------------------------------ */

int clientSetNameOrReply(client *c, robj *name) {
    const char *p = name->ptr;
    size_t len = rstrLen(name->ptr);
    if (len == 0) {
        rstrFree(c->name);
        c->name = NULL;
        return C_OK;
    }
    /* Names appear in CLIENT LIST as name=<value> inside a space-separated
     * line: only printable characters other than space keep it parseable. */
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '!' || p[i] > '~') {
            addReplyError(c, "Client names cannot contain spaces, newlines or special characters.");
            return C_ERR;
        }
    }
    rstrFree(c->name);
    c->name = rstrNewLen(p, len);
    return C_OK;
}

void clientSetnameCommand(client *c) {
    if (clientSetNameOrReply(c, c->argv[2]) == C_OK) addReplyOk(c);
}

void clientGetnameCommand(client *c) {
    if (c->name)
        addReplyBulkCBuffer(c, c->name, rstrLen(c->name));
    else
        addReplyNull(c);
}

void clientIdCommand(client *c) {
    addReplyLongLong(c, (long long)c->id);
}

/* --- LIST and INFO ---------------------------------------------------- */

/* multi.c: commands queued in MULTI (-1 outside MULTI) and their
 * arguments' memory. */
extern int multiQueuedCount(client *c) __attribute__((weak));
extern size_t multiQueuedArgvBytes(client *c) __attribute__((weak));
/* acl.c: the name of a user.  A client with no user (NULL) is the default
 * user, and so is every client while no ACL module is linked in. */
extern const char *aclGetUserName(struct user *u) __attribute__((weak));

static const char *clientUserName(client *c) {
    if (c->user == NULL || aclGetUserName == NULL) return "default";
    return aclGetUserName(c->user);
}

/* The flags letters, in Redis's order.  N alone means none applies. */
static void clientFlagsString(client *c, char *buf) {
    char *p = buf;
    if (c->flags & CLIENT_MONITOR) *p++ = 'O';
    if (c->flags & CLIENT_PUBSUB) *p++ = 'P';
    if (c->flags & CLIENT_MULTI) *p++ = 'x';
    if (c->flags & CLIENT_BLOCKED) *p++ = 'b';
    if (c->flags & CLIENT_DIRTY_CAS) *p++ = 'd';
    if (c->flags & CLIENT_CLOSE_AFTER_REPLY) *p++ = 'c';
    if (c->flags & CLIENT_CLOSE_ASAP) *p++ = 'A';
    if (c->flags & CLIENT_UNIX_SOCKET) *p++ = 'U';
    if (c->flags & CLIENT_NO_EVICT) *p++ = 'e';
    if (c->flags & CLIENT_NO_TOUCH) *p++ = 'T';
    if (p == buf) *p++ = 'N';
    *p = '\0';
}

rstr catClientInfoString(rstr s, client *c) {
    char flags[16], events[3], *p = events;
    clientFlagsString(c, flags);
    if (c->fd != -1) {
        int m = aeGetFileEvents(server.el, c->fd);
        if (m & AE_READABLE) *p++ = 'r';
        if (m & AE_WRITABLE) *p++ = 'w';
    }
    *p = '\0';
    size_t obufmem;
    size_t totmem = getClientMemoryUsage(c, &obufmem);
    int sub = c->pubsub_channels ? (int)htabSize(c->pubsub_channels) : 0;
    int psub = c->pubsub_patterns ? (int)htabSize(c->pubsub_patterns) : 0;
    int ssub = c->pubsub_shard_channels ? (int)htabSize(c->pubsub_shard_channels) : 0;
    /* Between commands the parser holds the arguments of a command still
     * arriving; during one, c->argv is the command's. */
    size_t argvmem = c->argc ? c->argv_len_sum : c->parser.argv_len_sum;
    /* The reply buffer fills until the next write: its level now counts
     * toward the peak even before writeToClient sees it. */
    size_t rbp = c->bufpos > c->buf_peak ? c->bufpos : c->buf_peak;
    s = rstrCatPrintf(
        s,
        "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=%s db=%d sub=%d psub=%d "
        "ssub=%d multi=%d qbuf=%zu qbuf-free=%zu argv-mem=%zu multi-mem=%zu rbs=%zu rbp=%zu obl=%zu "
        "oll=%lu omem=%zu tot-mem=%zu events=%s cmd=%s user=%s redir=-1 resp=%d",
        (unsigned long long)c->id, c->addr, c->laddr, c->fd, c->name ? c->name : "",
        (long long)(server.unixtime - c->ctime), (long long)(server.unixtime - c->lastinteraction),
        flags, c->db ? c->db->id : 0, sub, psub, ssub, multiQueuedCount ? multiQueuedCount(c) : -1,
        rstrLen(c->querybuf), rstrAvail(c->querybuf), argvmem,
        multiQueuedArgvBytes ? multiQueuedArgvBytes(c) : 0, c->buf_usable_size, rbp, c->bufpos,
        listLength(c->reply), obufmem, totmem, events, c->lastcmd ? c->lastcmd->fullname : "NULL",
        clientUserName(c), c->resp);
    return s;
}

rstr getAllClientsInfoString(int type) {
    rstr o = rstrEmpty();
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li))) {
        client *c = listNodeValue(ln);
        if (type != -1 && getClientType(c) != type) continue;
        o = catClientInfoString(o, c);
        o = rstrCatLen(o, "\n", 1);
    }
    return o;
}

static void clientReplyInfoText(client *c, rstr text) {
    addReplyVerbatim(c, text, rstrLen(text), "txt");
    rstrFree(text);
}

void clientInfoCommand(client *c) {
    rstr s = catClientInfoString(rstrEmpty(), c);
    s = rstrCatLen(s, "\n", 1);
    clientReplyInfoText(c, s);
}

void clientListCommand(client *c) {
    if (c->argc == 2) {
        clientReplyInfoText(c, getAllClientsInfoString(-1));
        return;
    }
    const char *opt = c->argv[2]->ptr;
    if (c->argc == 4 && !strcasecmp(opt, "type")) {
        int type = getClientTypeByName(c->argv[3]->ptr);
        if (type == -1) {
            addReplyErrorFormat(c, "Unknown client type '%s'", (char *)c->argv[3]->ptr);
            return;
        }
        clientReplyInfoText(c, getAllClientsInfoString(type));
        return;
    }
    if (c->argc > 3 && !strcasecmp(opt, "id")) {
        /* Validate every id before producing any output.  Each id is
         * looked up in the order given; unknown ones are skipped. */
        for (int j = 3; j < c->argc; j++) {
            long long id;
            if (getLongLongFromObject(c->argv[j], &id) != C_OK) {
                addReplyError(c, "Invalid client ID");
                return;
            }
        }
        rstr s = rstrEmpty();
        for (int j = 3; j < c->argc; j++) {
            long long id = 0;
            getLongLongFromObject(c->argv[j], &id);
            client *target = id > 0 ? lookupClientByID((uint64_t)id) : NULL;
            if (target == NULL) continue;
            s = catClientInfoString(s, target);
            s = rstrCatLen(s, "\n", 1);
        }
        clientReplyInfoText(c, s);
        return;
    }
    addReplyErrorSyntax(c);
}

/* --- KILL ------------------------------------------------------------- */

/* The filters of CLIENT KILL; a client must match all that are set. */
typedef struct clientKillFilter {
    const char *addr;  /* peer "ip:port", or NULL */
    const char *laddr; /* local "ip:port", or NULL */
    int type;          /* CLIENT_TYPE_*, or -1 */
    uint64_t id;       /* 0: any */
    int skipme;        /* leave the calling client alone */
    struct user *user; /* ACL user, or NULL: any */
} clientKillFilter;

/* Parses the "<option> <value> ..." form.  Returns C_ERR after replying. */
static int clientParseKillFiltersOrReply(client *c, clientKillFilter *f) {
    for (int i = 2; i < c->argc; i += 2) {
        const char *opt = c->argv[i]->ptr;
        if (i + 1 >= c->argc) {
            addReplyErrorSyntax(c);
            return C_ERR;
        }
        robj *val = c->argv[i + 1];
        if (!strcasecmp(opt, "id")) {
            long long id;
            if (getLongLongFromObject(val, &id) != C_OK || id <= 0) {
                addReplyError(c, "client-id should be greater than 0");
                return C_ERR;
            }
            f->id = (uint64_t)id;
        } else if (!strcasecmp(opt, "type")) {
            f->type = getClientTypeByName(val->ptr);
            if (f->type == -1) {
                addReplyErrorFormat(c, "Unknown client type '%s'", (char *)val->ptr);
                return C_ERR;
            }
        } else if (!strcasecmp(opt, "addr")) {
            f->addr = val->ptr;
        } else if (!strcasecmp(opt, "laddr")) {
            f->laddr = val->ptr;
        } else if (!strcasecmp(opt, "user")) {
            /* ACL users (acl.c, helper 1). */
            f->user = aclGetUserByName(val->ptr, rstrLen(val->ptr));
            if (f->user == NULL) {
                addReplyErrorFormat(c, "No such user '%s'", (char *)val->ptr);
                return C_ERR;
            }
        } else if (!strcasecmp(opt, "skipme")) {
            if (!strcasecmp(val->ptr, "yes")) {
                f->skipme = 1;
            } else if (!strcasecmp(val->ptr, "no")) {
                f->skipme = 0;
            } else {
                addReplyErrorSyntax(c);
                return C_ERR;
            }
        } else {
            addReplyErrorSyntax(c);
            return C_ERR;
        }
    }
    return C_OK;
}

static int clientMatchesKillFilter(client *target, client *c, const clientKillFilter *f) {
    if (f->addr && strcmp(target->addr, f->addr) != 0) return 0;
    if (f->laddr && strcmp(target->laddr, f->laddr) != 0) return 0;
    if (f->type != -1 && getClientType(target) != f->type) return 0;
    if (f->id != 0 && target->id != f->id) return 0;
    if (f->user && aclClientUser(target) != f->user) return 0;
    if (target == c && f->skipme) return 0;
    return 1;
}

void clientKillCommand(client *c) {
    clientKillFilter f = {.addr = NULL, .laddr = NULL, .type = -1, .id = 0, .skipme = 1, .user = NULL};
    /* CLIENT KILL <addr> is the original form: it may kill the caller and
     * answers OK or an error instead of a count. */
    int oldform = (c->argc == 3);
    if (oldform) {
        f.addr = c->argv[2]->ptr;
        f.skipme = 0;
    } else if (clientParseKillFiltersOrReply(c, &f) != C_OK) {
        return;
    }

    long long killed = 0;
    int close_self = 0;
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    /* The iterator already points past the current node, so freeing the
     * current client (which unlinks its node) is safe. */
    while ((ln = listNext(&li))) {
        client *target = listNodeValue(ln);
        if (!clientMatchesKillFilter(target, c, &f)) continue;
        killed++;
        if (target == c) {
            close_self = 1;
        } else if (target->flags & CLIENT_PAUSED) {
            /* A held client may sit in a list the unpause code is walking
             * right now; let the async queue free it. */
            freeClientAsync(target);
        } else {
            freeClient(target);
        }
    }

    if (oldform) {
        if (killed == 0) {
            addReplyError(c, "No such client");
            return;
        }
        addReplyOk(c);
    } else {
        addReplyLongLong(c, killed);
    }
    if (close_self) connectionCloseAfterReply(c);
}

/* --- REPLY, NO-EVICT -------------------------------------------------- */

void clientReplyCommand(client *c) {
    const char *mode = c->argv[2]->ptr;
    if (!strcasecmp(mode, "on")) {
        c->flags &= ~(CLIENT_REPLY_SKIP | CLIENT_REPLY_OFF);
        addReplyOk(c);
    } else if (!strcasecmp(mode, "off")) {
        c->flags |= CLIENT_REPLY_OFF;
    } else if (!strcasecmp(mode, "skip")) {
        /* SKIP means nothing while everything is off already.  Otherwise
         * resetClient turns SKIP_NEXT into SKIP for the next command. */
        if (!(c->flags & CLIENT_REPLY_OFF)) c->flags |= CLIENT_REPLY_SKIP_NEXT;
    } else {
        addReplyErrorSyntax(c);
    }
}

void clientNoEvictCommand(client *c) {
    const char *mode = c->argv[2]->ptr;
    if (!strcasecmp(mode, "on")) {
        c->flags |= CLIENT_NO_EVICT;
    } else if (!strcasecmp(mode, "off")) {
        c->flags &= ~CLIENT_NO_EVICT;
    } else {
        addReplyErrorSyntax(c);
        return;
    }
    addReplyOk(c);
}

/* --- PAUSE, UNPAUSE --------------------------------------------------- */

void clientPauseCommand(client *c) {
    if (c->argc != 3 && c->argc != 4) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    int type = CLIENT_PAUSE_ALL;
    if (c->argc == 4) {
        const char *mode = c->argv[3]->ptr;
        if (!strcasecmp(mode, "write")) {
            type = CLIENT_PAUSE_WRITE;
        } else if (!strcasecmp(mode, "all")) {
            type = CLIENT_PAUSE_ALL;
        } else {
            addReplyError(c, "CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
    }
    long long timeout;
    if (getLongLongFromObject(c->argv[2], &timeout) != C_OK) {
        addReplyError(c, "timeout is not an integer or out of range");
        return;
    }
    if (timeout < 0) {
        addReplyError(c, "timeout is negative");
        return;
    }
    /* 0 ends at once.  A timeout too big to add to the clock means "until
     * CLIENT UNPAUSE" rather than a wrapped, negative deadline. */
    long long end = 0;
    if (timeout > 0) end = timeout > LLONG_MAX - server.mstime ? LLONG_MAX : server.mstime + timeout;
    pauseClients(type, end);
    addReplyOk(c);
}

void clientUnpauseCommand(client *c) {
    unpauseClients();
    addReplyOk(c);
}

/* --- tracking (not supported: report it off) -------------------------- */

void clientGetredirCommand(client *c) {
    addReplyLongLong(c, -1);
}

void clientTrackinginfoCommand(client *c) {
    addReplyMapLen(c, 3);
    addReplyBulkCString(c, "flags");
    addReplySetLen(c, 1);
    addReplyBulkCString(c, "off");
    addReplyBulkCString(c, "redirect");
    addReplyLongLong(c, -1);
    addReplyBulkCString(c, "prefixes");
    addReplyArrayLen(c, 0);
}

/* --- HELP ------------------------------------------------------------- */

void clientHelpCommand(client *c) {
    static const char *help[] = {
        "GETNAME",
        "    Reply with this connection's name, or a null reply when it has none.",
        "GETREDIR",
        "    Reply -1: client-side caching (tracking) is not supported.",
        "ID",
        "    Reply with this connection's unique id.",
        "INFO",
        "    Describe this connection, in the format of one CLIENT LIST line.",
        "KILL <ip:port>",
        "    Close the connection coming from <ip:port> (may be this one).",
        "KILL <filter> <value> [<filter> <value> ...]",
        "    Close every connection that matches all the filters, and reply with their",
        "    number. Filters:",
        "    * ID <client-id>",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "    * USER <username>",
        "    * ADDR <ip:port>      the client's address",
        "    * LADDR <ip:port>     the server's address the client connected to",
        "    * SKIPME (YES|NO)     whether this connection is spared (default: YES)",
        "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <client-id> [<client-id> ...]]",
        "    Describe all connections, or those of one type, or those with the given ids.",
        "NO-EVICT (ON|OFF)",
        "    Exempt this connection from client eviction, or stop doing so.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Hold back the commands of all clients (ALL, the default) or only those that",
        "    may write (WRITE) for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Send replies (ON), send none (OFF), or drop the reply to the next command",
        "    (SKIP).",
        "SETNAME <name>",
        "    Name this connection; an empty name removes the name.",
        "TRACKINGINFO",
        "    Describe this connection's tracking state (always off).",
        "UNPAUSE",
        "    End a CLIENT PAUSE now.",
        NULL,
    };
    addReplyHelp(c, help);
}
