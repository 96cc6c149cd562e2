/* commands.c -- the command table at run time, and command dispatch.
 *
 * The table is built at start-up from the static facts in command_table.c:
 * every command (and subcommand) whose handler is linked in becomes a
 * redisCommand in server.commands, a case-insensitive hash table.  Handlers
 * are referenced from the facts table as weak symbols, so implementing a
 * command is writing its handler: nothing else to register.  A subcommand
 * without a handler of its own uses its parent's handler.
 *
 * processCommand applies, in Redis's order, the checks that come before a
 * command runs (unknown command, arity, authentication, protected commands,
 * client pause) and then call() runs it and keeps its statistics. */
#include "commands.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "acl.h"
#include "blocked.h"
#include "command_table.h"
#include "db.h"
#include "latency.h"
#include "monitor.h"
#include "reply.h"
#include "server.h"
#include "slowlog.h"
#include "util.h"
#include "zmalloc.h"

static const void *commandEntryKey(const void *entry, size_t *len) {
    const redisCommand *cmd = entry;
    *len = cmd->declared_len; /* not strlen: this runs for every command looked up */
    return cmd->declared_name;
}

static const htabType commandTableType = {
    .entryKey = commandEntryKey,
    .entryDestructor = NULL,
    .nocase = 1,
};

static int nextCommandId = 0;

static redisCommand *createCommandFromFacts(const commandFacts *f, redisCommand *parent) {
    redisCommand *cmd = zcalloc(sizeof(*cmd));
    cmd->declared_name = f->name;
    cmd->declared_len = strlen(f->name);
    if (parent) {
        rstr full = rstrCatPrintf(rstrEmpty(), "%s|%s", parent->declared_name, f->name);
        cmd->fullname = zstrdup(full);
        rstrFree(full);
    } else {
        cmd->fullname = zstrdup(f->name);
    }
    cmd->proc = f->proc;
    cmd->arity = f->arity;
    cmd->flags = f->flags;
    cmd->acl_categories = f->acl_categories;
    cmd->firstkey = f->firstkey;
    cmd->lastkey = f->lastkey;
    cmd->keystep = f->keystep;
    cmd->facts = f;
    cmd->parent = parent;
    cmd->id = nextCommandId++;
    return cmd;
}

static void freeCommand(redisCommand *cmd) {
    if (cmd->subcommands) {
        htabIterator it;
        htabIterInit(&it, cmd->subcommands);
        redisCommand *sub;
        while ((sub = htabIterNext(&it))) freeCommand(sub);
        htabIterRelease(&it);
        htabRelease(cmd->subcommands);
    }
    zfree(cmd->fullname);
    zfree(cmd);
}

void commandTableInit(void) {
    server.commands = htabCreate(&commandTableType);
    server.orig_commands = htabCreate(&commandTableType);
    /* Parents first, so subcommands find them. */
    for (const commandFacts *f = commandFactsTable; f->name; f++) {
        if (f->parent) continue;
        htabInsert(server.commands, createCommandFromFacts(f, NULL));
    }
    for (const commandFacts *f = commandFactsTable; f->name; f++) {
        if (!f->parent) continue;
        redisCommand *parent = htabFind(server.commands, f->parent, strlen(f->parent));
        if (!parent) continue;
        redisCommand *sub = createCommandFromFacts(f, parent);
        if (!sub->proc) sub->proc = parent->proc;
        if (!sub->proc) {
            freeCommand(sub);
            continue;
        }
        if (!parent->subcommands) parent->subcommands = htabCreate(&commandTableType);
        htabInsert(parent->subcommands, sub);
    }
    /* Only what ringkv implements is visible. */
    htabIterator it;
    htabIterInit(&it, server.commands);
    redisCommand *cmd;
    list *drop = listCreate();
    while ((cmd = htabIterNext(&it))) {
        if (!cmd->proc && !cmd->subcommands) listAddNodeTail(drop, cmd);
    }
    htabIterRelease(&it);
    listIter li;
    listNode *ln;
    listRewind(drop, &li);
    while ((ln = listNext(&li))) {
        cmd = listNodeValue(ln);
        htabUnlink(server.commands, cmd->declared_name, strlen(cmd->declared_name));
        freeCommand(cmd);
    }
    listRelease(drop);
}

redisCommand *lookupCommandByCString(const char *name) {
    const char *bar = strchr(name, '|');
    if (!bar) return htabFind(server.commands, name, strlen(name));
    redisCommand *base = htabFind(server.commands, name, (size_t)(bar - name));
    if (!base || !base->subcommands) return NULL;
    return htabFind(base->subcommands, bar + 1, strlen(bar + 1));
}

static redisCommand *lookupSubcommand(redisCommand *base, robj **argv, int argc) {
    if (!base || !base->subcommands || argc < 2) return base;
    robj *sub = argv[1];
    return htabFind(base->subcommands, sub->ptr, rstrLen(sub->ptr));
}

redisCommand *lookupCommand(robj **argv, int argc) {
    redisCommand *base = htabFind(server.commands, argv[0]->ptr, rstrLen(argv[0]->ptr));
    return lookupSubcommand(base, argv, argc);
}

redisCommand *lookupCommandOrOriginal(robj **argv, int argc) {
    redisCommand *cmd = lookupCommand(argv, argc);
    if (!cmd) {
        redisCommand *base = htabFind(server.orig_commands, argv[0]->ptr, rstrLen(argv[0]->ptr));
        cmd = lookupSubcommand(base, argv, argc);
    }
    return cmd;
}

int commandRename(const char *from, const char *to) {
    redisCommand *cmd = htabUnlink(server.commands, from, strlen(from));
    if (!cmd) return C_ERR;
    if (to[0] == '\0') {
        /* Renamed to nothing: the command is disabled.  Keep it for internal
         * lookups under its original name. */
        htabAdd(server.orig_commands, cmd);
        return C_OK;
    }
    if (htabFind(server.commands, to, strlen(to))) {
        htabInsert(server.commands, cmd);
        return C_ERR;
    }
    /* The table keys on declared_name; the renamed command answers to the
     * new name while its fullname (errors, stats) stays the original. */
    cmd->declared_name = zstrdup(to);
    cmd->declared_len = strlen(to);
    htabInsert(server.commands, cmd);
    return C_OK;
}

/* Authentication is needed while the default user has a password (or is
 * disabled) and the client has not logged in.  Checked per command, so
 * clearing requirepass at run time frees clients that never authenticated.
 * (acl.c owns the users; helper 1.) */
int clientAuthRequired(client *c) {
    return !c->authenticated && aclDefaultUserRequiresAuth();
}

int commandCheckArity(const redisCommand *cmd, int argc) {
    return !((cmd->arity > 0 && cmd->arity != argc) || (argc < -cmd->arity));
}

int isProtectedActionAllowed(int setting, client *c) {
    if (setting == PROTECTED_ACTION_ALLOWED_YES) return 1;
    if (setting == PROTECTED_ACTION_ALLOWED_LOCAL) return clientIsLocal(c);
    return 0;
}

static void commandForEachIn(htab *t, commandVisitor *fn, void *privdata, int subs) {
    htabIterator it;
    htabIterInit(&it, t);
    redisCommand *cmd;
    while ((cmd = htabIterNext(&it))) {
        fn(cmd, privdata);
        if (subs && cmd->subcommands) commandForEachIn(cmd->subcommands, fn, privdata, 0);
    }
    htabIterRelease(&it);
}

void commandForEach(commandVisitor *fn, void *privdata, int include_subcommands) {
    commandForEachIn(server.commands, fn, privdata, include_subcommands);
}

static void resetStatsVisitor(redisCommand *cmd, void *privdata) {
    (void)privdata;
    cmd->calls = cmd->microseconds = cmd->failed_calls = cmd->rejected_calls = 0;
}

void resetCommandTableStats(void) {
    commandForEach(resetStatsVisitor, NULL, 1);
    latencyResetCommandHistograms(); /* INFO latencystats, LATENCY HISTOGRAM */
}

/* Runs the command and records its statistics. */
void call(client *c, int flags) {
    redisCommand *cmd = c->cmd;
    long long errors_before = server.stat_total_error_replies;
    long long start = ustime();
    server.ustime = start;
    server.mstime = start / 1000;
    server.unixtime = (time_t)(start / 1000000);
    server.cmd_time_snapshot = server.mstime;
    client *prev = server.current_client;
    server.current_client = c;
    c->flags |= CLIENT_EXECUTING_COMMAND;
    cmd->proc(c);
    c->flags &= ~CLIENT_EXECUTING_COMMAND;
    server.current_client = prev;
    long long duration = ustime() - start;
    c->duration = duration;
    if (flags & CMD_CALL_STATS) {
        cmd->calls++;
        cmd->microseconds += duration;
        if (server.stat_total_error_replies > errors_before) cmd->failed_calls++;
    }
    /* Observability (latency.c, slowlog.c, monitor.c): each feed is one
     * inline test while its feature is off.  A command that blocked is
     * logged and timed when it is served (blocked.c), not now. */
    if (flags & CMD_CALL_SLOWLOG) {
        latencyAddSampleIfNeeded((cmd->flags & CMD_FAST) ? "fast-command" : "command", duration / 1000);
        if (!(c->flags & CLIENT_BLOCKED)) slowlogPushIfNeeded(c, cmd, duration);
    }
    if ((flags & CMD_CALL_STATS) && !(c->flags & CLIENT_BLOCKED)) latencyTrackCommand(cmd, duration);
    monitorFeedIfNeeded(c);
    slowlogForgetRedactions();
    c->commands_processed++;
    server.stat_numcommands++;
    /* used_memory_peak: after each command, so that a command that grows
     * memory and the next one that frees it cannot hide the peak from the
     * cron's samples. */
    size_t used = zmallocUsedMemory();
    if (used > server.stat_peak_memory) server.stat_peak_memory = used;
}

/* multi.c: a refusal dooms a transaction in progress, and a refused EXEC
 * ends it with an EXECABORT error of its own (then it returns 1). */
extern int multiCommandRejected(client *c, const char *err) __attribute__((weak));

static void rejectCommand(client *c, const char *err) {
    if (c->cmd) c->cmd->rejected_calls++;
    if (multiCommandRejected && multiCommandRejected(c, err)) return;
    addReplyError(c, err);
}

static void rejectCommandFormat(client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rejectCommandFormat(client *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    rstr s = rstrCatVprintf(rstrEmpty(), fmt, ap);
    va_end(ap);
    /* Arguments are echoed in the error: keep it one line. */
    for (size_t i = 0; i < rstrLen(s); i++)
        if (s[i] == '\r' || s[i] == '\n') s[i] = ' ';
    rejectCommand(c, s);
    rstrFree(s);
}

/* Subsystems that gate or divert commands, each in its own module.  They
 * are referenced weakly so that each can land on its own; processCommand
 * calls them in the order Redis applies these checks.  Each returns 1 when
 * it handled the command (replied or queued it), 0 to let it go on.
 *   aclCheckCommandOrReply   acl.c     NOPERM for commands/keys/channels
 *   evictBeforeCommandOrReply evict.c  frees memory; -OOM for denyoom commands
 *   pubsubCheckContextOrReply pubsub.c RESP2 subscribed mode allows few commands
 *   multiQueueCommand        multi.c   inside MULTI: queue and reply +QUEUED */
extern int aclCheckCommandOrReply(client *c) __attribute__((weak));
extern int evictBeforeCommandOrReply(client *c) __attribute__((weak));
extern int pubsubCheckContextOrReply(client *c) __attribute__((weak));
extern int multiQueueCommand(client *c) __attribute__((weak));

int processCommand(client *c) {
    redisCommand *base = htabFind(server.commands, c->argv[0]->ptr, rstrLen(c->argv[0]->ptr));
    c->cmd = c->realcmd = lookupSubcommand(base, c->argv, c->argc);
    /* Recorded before the checks, as Redis does: CLIENT LIST shows a
     * rejected command too. */
    if (c->cmd) c->lastcmd = c->cmd;
    if (!c->cmd) {
        if (base && base->subcommands && c->argc >= 2) {
            rstr up = rstrNew(base->declared_name);
            rstrToUpper(up);
            rejectCommandFormat(c, "unknown subcommand '%.128s'. Try %s HELP.", (char *)c->argv[1]->ptr,
                                up);
            rstrFree(up);
        } else {
            rstr args = rstrEmpty();
            for (int i = 1; i < c->argc && rstrLen(args) < 128; i++) {
                size_t room = 128 - rstrLen(args);
                args = rstrCatPrintf(args, "'%.*s' ", (int)room, (char *)c->argv[i]->ptr);
            }
            rejectCommandFormat(c, "unknown command '%.128s', with args beginning with: %s",
                                (char *)c->argv[0]->ptr, args);
            rstrFree(args);
        }
        return C_OK;
    }
    if (!commandCheckArity(c->cmd, c->argc)) {
        rejectCommandFormat(c, "wrong number of arguments for '%s' command", c->cmd->fullname);
        return C_OK;
    }
    if (clientAuthRequired(c) && !(c->cmd->flags & CMD_NO_AUTH)) {
        rejectCommand(c, shared.noautherr);
        return C_OK;
    }
    if (aclCheckCommandOrReply && aclCheckCommandOrReply(c)) return C_OK;
    if ((c->cmd->flags & CMD_PROTECTED) && !strcmp(c->cmd->declared_name, "debug") &&
        !isProtectedActionAllowed(server.enable_debug_cmd, c)) {
        rejectCommand(c, "DEBUG command not allowed. If the enable-debug-command option is set to "
                         "\"local\", you can run it from a local connection, otherwise you need to "
                         "set this option in the configuration file, and then restart the server.");
        return C_OK;
    }
    if (server.loading && !(c->cmd->flags & CMD_LOADING)) {
        rejectCommand(c, "-LOADING Redis is loading the dataset in memory");
        return C_OK;
    }
    if (evictBeforeCommandOrReply && evictBeforeCommandOrReply(c)) return C_OK;
    /* A failed save with stop-writes-on-bgsave-error: refuse writes until a
     * save succeeds, so the user notices before data is lost. */
    if (server.stop_writes_on_bgsave_err && server.saveparamslen > 0 &&
        server.lastbgsave_status == C_ERR && (c->cmd->flags & CMD_WRITE)) {
        rejectCommand(c, "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable "
                         "to persist to disk. Commands that may modify the data set are disabled, because "
                         "this instance is configured to report errors during writes if RDB snapshotting "
                         "fails (stop-writes-on-bgsave-error option). Please check the Redis logs for "
                         "details about the RDB error.");
        return C_OK;
    }
    if (pubsubCheckContextOrReply && pubsubCheckContextOrReply(c)) return C_OK;
    /* A MONITOR client is a replica to Redis, and replicas may not touch
     * the keyspace (monitor.c). */
    if ((c->flags & CLIENT_MONITOR) && (c->cmd->flags & (CMD_WRITE | CMD_READONLY | CMD_MAY_REPLICATE))) {
        rejectCommand(c, "Replica can't interact with the keyspace");
        return C_OK;
    }
    /* CLIENT PAUSE: hold the command (and the client's pipeline behind it)
     * until the pause ends.  WRITE pauses only commands that may change the
     * data set. */
    if (checkClientPauseTimeoutAndReturnIfPaused() && !(c->flags & CLIENT_FAKE)) {
        int is_write = (c->cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)) != 0;
        if (server.client_pause_type == 2 || is_write) {
            c->flags |= CLIENT_PAUSED;
            listAddNodeTail(server.clients_waiting_unpause, c);
            return C_OK;
        }
    }
    if (multiQueueCommand && multiQueueCommand(c)) return C_OK;
    call(c, CMD_CALL_FULL);
    handleClientsBlockedOnKeys(); /* serve clients the command made ready */
    return C_OK;
}
