/* multi.c -- transactions (MULTI EXEC DISCARD) and optimistic locking
 * (WATCH UNWATCH).
 *
 * Transactions.  MULTI sets CLIENT_MULTI and gives the client a queue
 * (c->mstate).  From then on the dispatcher hands every command that passed
 * its checks to multiQueueCommand, which keeps a reference to each argument
 * object (the parser drops its own references once processCommand returns)
 * and answers +QUEUED.  A command the dispatcher refuses instead (unknown,
 * wrong arity, NOAUTH ...) goes through multiCommandRejected, which marks the
 * transaction CLIENT_DIRTY_EXEC so that EXEC refuses to run any of it.  EXEC
 * swaps each queued argument vector into the client in turn and runs it
 * through call(), so statistics, keyspace hooks and snapshots see ordinary
 * commands; CLIENT_MULTI stays set meanwhile, which is what tells blocking
 * commands (clientCannotBlock in blocked.h) to answer as if the wait timed
 * out.  Nothing is rolled back: an error reply from one command is just one
 * element of EXEC's array.  The whole EXEC runs inside one event-loop step,
 * so a snapshot in progress (which serializes a key before its first change)
 * sees either none or all of the transaction.
 *
 * WATCH.  Each watched (client, key) pair is a watchedKey.  It sits in two
 * lists: the client's (c->watched_keys, for UNWATCH and EXEC) and the key's
 * watchers, kept in the database's watched_keys table as a watchEntry.  The
 * modified-key hook looks the key up in that table, so a write to a key
 * nobody watches costs one probe of a usually empty table.  A touched
 * watcher gets CLIENT_DIRTY_CAS and is unwatched right away: it is doomed,
 * and keeping its keys would only cost memory and later work.
 *
 * Expiry follows Redis 7.0.  A key that logically expires after WATCH
 * dooms the transaction even if nothing deleted it yet (EXEC checks).  A key
 * that was already expired when WATCHed is flagged `expired`: its deletion
 * (lazy or active) is no change at all, so it does not doom anyone; writing
 * a new value does.  FLUSH* and SWAPDB apply the same rules to every watched
 * key of the databases involved, and only to keys that existed on either
 * side: flushing a database that lacks the key changes nothing. */
#include "multi.h"

#include <string.h>

#include "commands.h"
#include "connection.h"
#include "reply.h"
#include "server.h"
#include "zmalloc.h"


/* The ACL module may re-check each queued command at EXEC time (rules can
 * change while a transaction is being queued).  Returns 1 when it refused
 * the command and replied with the error; the command is then skipped. */
extern int aclCheckQueuedCommandOrReply(client *c) __attribute__((weak));

/* --- transaction state ------------------------------------------------ */

typedef struct multiCmd {
    robj **argv; /* our references to the argument objects */
    int argc;
    redisCommand *cmd;
} multiCmd;

typedef struct multiState {
    multiCmd *cmds;
    int count;
    int cap;
    uint64_t cmd_flags;  /* OR of the flags of every queued command */
    size_t argv_bytes;   /* argument bytes + vectors, for multi-mem */
} multiState;

static multiState *multiStateCreate(void) {
    return zcalloc(sizeof(multiState));
}

static void multiStateFree(multiState *ms) {
    for (int j = 0; j < ms->count; j++) {
        multiCmd *mc = &ms->cmds[j];
        for (int i = 0; i < mc->argc; i++) decrRefCount(mc->argv[i]);
        zfree(mc->argv);
    }
    zfree(ms->cmds);
    zfree(ms);
}

/* --- watched keys ----------------------------------------------------- */

/* One key of one database and everyone watching it. */
typedef struct watchEntry {
    htabLink link;
    robj *key;      /* our own copy: argument objects may be rewritten */
    list *watchers; /* of watchedKey */
} watchEntry;

/* One client watching one key. */
typedef struct watchedKey {
    client *c;
    redisDb *db;
    watchEntry *entry;
    listNode *entry_node; /* our node in entry->watchers: O(1) unwatch */
    int expired;          /* the key was already logically expired at WATCH */
} watchedKey;

static const void *watchEntryKey(const void *entry, size_t *len) {
    const watchEntry *we = entry;
    *len = rstrLen(we->key->ptr);
    return we->key->ptr;
}

static void watchEntryFree(void *entry) {
    watchEntry *we = entry;
    decrRefCount(we->key);
    listRelease(we->watchers);
    zfree(we);
}

static const htabType watchTableType = {
    .entryKey = watchEntryKey,
    .entryDestructor = watchEntryFree,
    .nocase = 0,
};

static watchEntry *watchLookup(redisDb *db, robj *key) {
    if (!db->watched_keys || htabSize(db->watched_keys) == 0) return NULL;
    return htabFind(db->watched_keys, key->ptr, rstrLen(key->ptr));
}

/* Adds key (of the client's current db) to the client's watch list, unless
 * it is already there. */
static void watchKey(client *c, robj *key) {
    redisDb *db = c->db;
    watchEntry *we = watchLookup(db, key);
    if (we) {
        /* Already watching?  Walk whichever list is shorter: the key's
         * watchers or the client's keys. */
        listNode *ln;
        if (c->watched_keys && listLength(c->watched_keys) < listLength(we->watchers)) {
            for (ln = listFirst(c->watched_keys); ln; ln = ln->next)
                if (((watchedKey *)listNodeValue(ln))->entry == we) return;
        } else {
            for (ln = listFirst(we->watchers); ln; ln = ln->next)
                if (((watchedKey *)listNodeValue(ln))->c == c) return;
        }
    } else {
        if (!db->watched_keys) db->watched_keys = htabCreate(&watchTableType);
        we = zmalloc(sizeof(*we));
        we->link.next = NULL;
        we->key = createStringObject(key->ptr, rstrLen(key->ptr));
        we->watchers = listCreate();
        htabInsert(db->watched_keys, we);
    }
    watchedKey *wk = zmalloc(sizeof(*wk));
    wk->c = c;
    wk->db = db;
    wk->entry = we;
    wk->expired = keyIsExpired(db, key);
    listAddNodeTail(we->watchers, wk);
    wk->entry_node = listLast(we->watchers);
    if (!c->watched_keys) c->watched_keys = listCreate();
    listAddNodeTail(c->watched_keys, wk);
}

/* Removing a client's watchedKey from its key frees the key's entry when it
 * was the last watcher: callers walking that key's watcher list must have
 * read the next node beforehand (it is NULL exactly when this happens). */
void multiUnwatchAllKeys(client *c) {
    if (!c->watched_keys) return;
    listNode *ln;
    while ((ln = listFirst(c->watched_keys))) {
        watchedKey *wk = listNodeValue(ln);
        watchEntry *we = wk->entry;
        listDelNode(we->watchers, wk->entry_node);
        if (listLength(we->watchers) == 0)
            htabDelete(wk->db->watched_keys, we->key->ptr, rstrLen(we->key->ptr));
        zfree(wk);
        listDelNode(c->watched_keys, ln);
    }
}

/* The transaction of this client can no longer succeed. */
static void watchDoom(client *c) {
    c->flags |= CLIENT_DIRTY_CAS;
    multiUnwatchAllKeys(c);
}

void touchWatchedKey(redisDb *db, robj *key) {
    watchEntry *we = watchLookup(db, key);
    if (!we) return;
    /* Dooming a watcher removes exactly its own node from this list, so the
     * saved next node stays valid; when the last watcher goes the entry is
     * freed, and next is NULL then. */
    listNode *ln = listFirst(we->watchers);
    while (ln) {
        listNode *next = ln->next;
        watchedKey *wk = listNodeValue(ln);
        if (wk->expired && !dbExists(db, key)) {
            /* It was expired when watched and is now deleted: logically
             * it did not change.  From now on it is simply missing. */
            wk->expired = 0;
        } else {
            watchDoom(wk->c);
        }
        ln = next;
    }
}

static void modifiedKeyHook(client *c, redisDb *db, robj *key) {
    (void)c;
    touchWatchedKey(db, key);
}

void touchAllWatchedKeysInDb(redisDb *emptied, redisDb *replaced_with) {
    if (!emptied->watched_keys || htabSize(emptied->watched_keys) == 0) return;
    htabIterator it;
    htabIterInit(&it, emptied->watched_keys);
    watchEntry *we;
    /* The iterator tolerates deletions: dooming a client may drop entries
     * of other keys it watched, and this one. */
    while ((we = htabIterNext(&it))) {
        int in_emptied = dbExists(emptied, we->key);
        int in_replacement = replaced_with && dbExists(replaced_with, we->key);
        if (!in_emptied && !in_replacement) continue; /* missing before and after */
        int replacement_expired = in_replacement && keyIsExpired(replaced_with, we->key);
        listNode *ln = listFirst(we->watchers);
        while (ln) {
            listNode *next = ln->next;
            watchedKey *wk = listNodeValue(ln);
            if (wk->expired) {
                if (!in_replacement) {
                    wk->expired = 0; /* an expired key went away: no change */
                    ln = next;
                    continue;
                }
                if (replacement_expired) { /* expired before and after */
                    ln = next;
                    continue;
                }
            } else if (!in_emptied && replacement_expired) {
                /* Missing, replaced by an already expired key: still
                 * logically missing, but watch it as an expired key now. */
                wk->expired = 1;
                ln = next;
                continue;
            }
            watchDoom(wk->c);
            ln = next;
        }
    }
    htabIterRelease(&it);
}

/* EXEC: has a watched key (live when watched) logically expired since? */
static int watchedKeyExpired(client *c) {
    if (!c->watched_keys) return 0;
    for (listNode *ln = listFirst(c->watched_keys); ln; ln = ln->next) {
        watchedKey *wk = listNodeValue(ln);
        if (!wk->expired && keyIsExpired(wk->db, wk->entry->key)) return 1;
    }
    return 0;
}

/* --- transaction life cycle ------------------------------------------- */

void multiDiscardTransaction(client *c) {
    if (c->mstate) {
        multiStateFree(c->mstate);
        c->mstate = NULL;
    }
    c->flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC);
    multiUnwatchAllKeys(c);
}

void multiFlagDirty(client *c) {
    if (c->flags & CLIENT_MULTI) c->flags |= CLIENT_DIRTY_EXEC;
}

int multiCommandRejected(client *c, const char *err) {
    multiFlagDirty(c);
    if (!c->cmd || c->cmd->proc != execCommand) return 0;
    /* A refused EXEC ends the transaction (in MULTI or not: it also drops
     * the watched keys), and says why in its own words. */
    multiDiscardTransaction(c);
    if (err[0] == '-') err++;
    addReplyErrorFormat(c, "-EXECABORT Transaction discarded because of: %s", err);
    return 1;
}

int multiQueueCommand(client *c) {
    if (!(c->flags & CLIENT_MULTI)) return 0;
    redisCommandProc *proc = c->cmd->proc;
    /* These act on the transaction itself (or the connection) right away. */
    if (proc == execCommand || proc == discardCommand || proc == multiCommand || proc == watchCommand ||
        proc == quitCommand || proc == resetCommand)
        return 0;
    multiState *ms = c->mstate;
    if (ms->count == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 4;
        ms->cmds = zrealloc(ms->cmds, sizeof(multiCmd) * (size_t)ms->cap);
    }
    multiCmd *mc = &ms->cmds[ms->count++];
    mc->argc = c->argc;
    mc->argv = zmalloc(sizeof(robj *) * (size_t)c->argc);
    for (int i = 0; i < c->argc; i++) {
        mc->argv[i] = c->argv[i];
        incrRefCount(c->argv[i]);
    }
    mc->cmd = c->cmd;
    ms->cmd_flags |= c->cmd->flags;
    ms->argv_bytes += c->argv_len_sum + sizeof(robj *) * (size_t)c->argc;
    addReplyProto(c, shared.queued, strlen(shared.queued));
    return 1;
}

/* --- commands --------------------------------------------------------- */

void multiCommand(client *c) {
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "MULTI calls can not be nested");
        return;
    }
    c->flags |= CLIENT_MULTI;
    c->mstate = multiStateCreate();
    addReplyOk(c);
}

void discardCommand(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        addReplyError(c, "DISCARD without MULTI");
        return;
    }
    multiDiscardTransaction(c);
    addReplyOk(c);
}

void execCommand(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        addReplyError(c, "EXEC without MULTI");
        return;
    }
    if (watchedKeyExpired(c)) c->flags |= CLIENT_DIRTY_CAS;
    if (c->flags & CLIENT_DIRTY_EXEC) {
        addReplyError(c, "-EXECABORT Transaction discarded because of previous errors.");
        multiDiscardTransaction(c);
        return;
    }
    if (c->flags & CLIENT_DIRTY_CAS) {
        addReplyNullArray(c);
        multiDiscardTransaction(c);
        return;
    }
    /* Nothing we do from here on may doom us: stop watching first, which
     * also spares the hooks the work while our own writes run. */
    multiUnwatchAllKeys(c);

    multiState *ms = c->mstate;
    robj **orig_argv = c->argv;
    int orig_argc = c->argc;
    redisCommand *orig_cmd = c->cmd, *orig_realcmd = c->realcmd;
    addReplyArrayLen(c, ms->count);
    /* CLIENT_MULTI stays set while the commands run: blocking commands see
     * it and do not block.  argv-mem in CLIENT LIST keeps describing the
     * EXEC request itself, as in Redis. */
    for (int j = 0; j < ms->count; j++) {
        multiCmd *mc = &ms->cmds[j];
        c->argc = mc->argc;
        c->argv = mc->argv;
        c->cmd = c->realcmd = mc->cmd;
        /* CLIENT LIST shows cmd=exec while the transaction runs, as Redis. */
        c->lastcmd = orig_cmd;
        if (!aclCheckQueuedCommandOrReply || !aclCheckQueuedCommandOrReply(c)) {
            call(c, CMD_CALL_FULL);
            serverAssert(!(c->flags & CLIENT_BLOCKED));
        }
        /* call() clears this on its way out of the inner command, but the
         * EXEC around it is still running. */
        c->flags |= CLIENT_EXECUTING_COMMAND;
        /* A command may rewrite its arguments: what is in c->argv now is
         * what we must release. */
        mc->argc = c->argc;
        mc->argv = c->argv;
    }
    c->argv = orig_argv;
    c->argc = orig_argc;
    c->cmd = orig_cmd;
    c->realcmd = orig_realcmd;
    c->lastcmd = orig_cmd;
    multiDiscardTransaction(c);
}

void watchCommand(client *c) {
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "WATCH inside MULTI is not allowed");
        return;
    }
    /* Already doomed: watching more keys cannot change the outcome. */
    if (c->flags & CLIENT_DIRTY_CAS) {
        addReplyOk(c);
        return;
    }
    for (int j = 1; j < c->argc; j++) watchKey(c, c->argv[j]);
    addReplyOk(c);
}

void unwatchCommand(client *c) {
    multiUnwatchAllKeys(c);
    c->flags &= ~CLIENT_DIRTY_CAS;
    addReplyOk(c);
}

/* --- introspection ---------------------------------------------------- */

int multiQueuedCount(client *c) {
    if (!(c->flags & CLIENT_MULTI)) return -1;
    return c->mstate ? ((multiState *)c->mstate)->count : 0;
}

uint64_t multiQueuedCommandFlags(client *c) {
    return c->mstate ? ((multiState *)c->mstate)->cmd_flags : 0;
}

/* CLIENT LIST multi-mem: the queued commands' argument bytes and vectors
 * (what Redis shows there; the queue's own array and WATCHed keys count in
 * tot-mem through multiMemOverhead). */
size_t multiQueuedArgvBytes(client *c) {
    return c->mstate ? ((multiState *)c->mstate)->argv_bytes : 0;
}

size_t multiMemOverhead(client *c) {
    size_t mem = 0;
    multiState *ms = c->mstate;
    if (ms) mem += ms->argv_bytes + sizeof(multiCmd) * (size_t)ms->cap;
    if (c->watched_keys) mem += listLength(c->watched_keys) * (sizeof(listNode) + sizeof(watchedKey));
    return mem;
}

/* --- hooks ------------------------------------------------------------ */

static void multiFreeClientHook(client *c) {
    multiDiscardTransaction(c);
    if (c->watched_keys) {
        listRelease(c->watched_keys);
        c->watched_keys = NULL;
    }
}

void multiInit(void) {
    dbRegisterModifiedKeyHook(modifiedKeyHook);
    clientRegisterFreeHook(multiFreeClientHook);
    connectionRegisterResetHook(multiDiscardTransaction);
}
