/* slowlog.c -- the slow log and argument redaction.
 *
 * Entries.  An entry is a copy of what the command looked like, not a
 * reference to the client's argument objects: a logged SET of a 500 MB
 * value must not keep the value alive.  The copy follows Redis's limits,
 * which clients parsing SLOWLOG GET rely on: at most 32 arguments (the 32nd
 * then reads "... (N more arguments)") and at most 128 bytes of each
 * ("... (N more bytes)" appended).  Entries sit in a list, newest at the
 * head; ids grow forever (SLOWLOG RESET does not restart them), so a poller
 * can tell new entries from old ones.  The list is trimmed to
 * slowlog-max-len when an entry is added, not when the limit changes, as in
 * Redis.
 *
 * Redaction.  Marks are kept here rather than in the client: at most one
 * command is executing per call() level, and a nested call() (EXEC) ends
 * its command's feed before the next one starts, so a single mask keyed by
 * (client, argv) suffices, and the client struct stays untouched.  The
 * argv key makes a stale mark harmless should a path ever skip the reset. */
#include "slowlog.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "adlist.h"
#include "reply.h"
#include "util.h"
#include "zmalloc.h"

#define SLOWLOG_ENTRY_MAX_ARGC 32
#define SLOWLOG_ENTRY_MAX_STRING 128

typedef struct slowlogEntry {
    long long id;
    time_t time;
    long long duration; /* microseconds */
    int argc;
    rstr *argv;
    rstr peerid;
    rstr cname;
} slowlogEntry;

static list *slowlog;
static long long slowlogNextId;

/* --- redaction ---------------------------------------------------------- */

static client *redactClient;
static robj **redactArgv;
static unsigned char *redactMask;
static int redactMaskLen;
int slowlogRedactionsPending;

void slowlogRedactArgument(client *c, int argi) {
    if (argi < 0 || argi >= c->argc) return;
    if (redactClient != c || redactArgv != c->argv) {
        slowlogForgetRedactions(); /* marks of another command */
        redactClient = c;
        redactArgv = c->argv;
    }
    if (c->argc > redactMaskLen) {
        redactMask = zrealloc(redactMask, (size_t)c->argc);
        memset(redactMask + redactMaskLen, 0, (size_t)(c->argc - redactMaskLen));
        redactMaskLen = c->argc;
    }
    redactMask[argi] = 1;
    slowlogRedactionsPending = 1;
}

int slowlogArgumentRedacted(client *c, int argi) {
    return slowlogRedactionsPending && redactClient == c && redactArgv == c->argv && argi < redactMaskLen &&
           redactMask[argi];
}

void slowlogDropRedactions(void) {
    memset(redactMask, 0, (size_t)redactMaskLen);
    slowlogRedactionsPending = 0;
    redactClient = NULL;
    redactArgv = NULL;
}

/* --- entries --------------------------------------------------------- */

static rstr argumentCopy(client *c, int j) {
    if (slowlogArgumentRedacted(c, j)) return rstrNew("(redacted)");
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = stringObjectBytes(c->argv[j], buf, sizeof(buf), &len);
    if (len <= SLOWLOG_ENTRY_MAX_STRING) return rstrNewLen(p, len);
    rstr s = rstrNewLen(p, SLOWLOG_ENTRY_MAX_STRING);
    return rstrCatPrintf(s, "... (%zu more bytes)", len - SLOWLOG_ENTRY_MAX_STRING);
}

static slowlogEntry *entryCreate(client *c, long long duration) {
    slowlogEntry *se = zmalloc(sizeof(*se));
    int argc = c->argc < SLOWLOG_ENTRY_MAX_ARGC ? c->argc : SLOWLOG_ENTRY_MAX_ARGC;
    se->argc = argc;
    se->argv = zmalloc(sizeof(rstr) * (size_t)argc);
    for (int j = 0; j < argc; j++) {
        if (argc != c->argc && j == argc - 1)
            se->argv[j] = rstrCatPrintf(rstrEmpty(), "... (%d more arguments)", c->argc - argc + 1);
        else
            se->argv[j] = argumentCopy(c, j);
    }
    se->id = slowlogNextId++;
    se->time = time(NULL);
    se->duration = duration;
    se->peerid = rstrNew(c->addr);
    se->cname = c->name ? rstrDup(c->name) : rstrEmpty();
    return se;
}

static void entryFree(void *ptr) {
    slowlogEntry *se = ptr;
    for (int j = 0; j < se->argc; j++) rstrFree(se->argv[j]);
    zfree(se->argv);
    rstrFree(se->peerid);
    rstrFree(se->cname);
    zfree(se);
}

void slowlogPush(client *c, const redisCommand *cmd, long long duration_us) {
    if (cmd->flags & CMD_SKIP_SLOWLOG) return;
    listAddNodeHead(slowlog, entryCreate(c, duration_us));
    while (listLength(slowlog) > server.slowlog_max_len) listDelNode(slowlog, listLast(slowlog));
}

void slowlogInit(void) {
    slowlog = listCreate();
    slowlog->free = entryFree;
}

/* --- commands ----------------------------------------------------------- */

void slowlogGetCommand(client *c) {
    if (c->argc > 3) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    long long count = 10;
    if (c->argc == 3) {
        if (getLongLongFromObject(c->argv[2], &count) != C_OK || count < -1) {
            addReplyError(c, "count should be greater than or equal to -1");
            return;
        }
        if (count == -1) count = (long long)listLength(slowlog);
    }
    if (count > (long long)listLength(slowlog)) count = (long long)listLength(slowlog);
    addReplyArrayLen(c, (long)count);
    listIter li;
    listNode *ln;
    listRewind(slowlog, &li);
    while (count-- > 0 && (ln = listNext(&li))) {
        slowlogEntry *se = listNodeValue(ln);
        addReplyArrayLen(c, 6);
        addReplyLongLong(c, se->id);
        addReplyLongLong(c, (long long)se->time);
        addReplyLongLong(c, se->duration);
        addReplyArrayLen(c, se->argc);
        for (int j = 0; j < se->argc; j++) addReplyBulkCBuffer(c, se->argv[j], rstrLen(se->argv[j]));
        addReplyBulkCBuffer(c, se->peerid, rstrLen(se->peerid));
        addReplyBulkCBuffer(c, se->cname, rstrLen(se->cname));
    }
}

void slowlogLenCommand(client *c) {
    addReplyLongLong(c, (long long)listLength(slowlog));
}

void slowlogResetCommand(client *c) {
    listEmpty(slowlog);
    addReplyOk(c);
}

void slowlogHelpCommand(client *c) {
    static const char *help[] = {
        "GET [<count>]",
        "    The <count> most recent entries (10 by default, -1 for all of them).",
        "    Each entry holds: a unique id, the unix time it was logged, the",
        "    execution time in microseconds, the command and its arguments, the",
        "    client's address and the client's name.",
        "LEN",
        "    Number of entries in the slow log.",
        "RESET",
        "    Empty the slow log.",
        NULL};
    addReplyHelp(c, help);
}
