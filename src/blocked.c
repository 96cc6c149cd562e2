/* blocked.c -- clients blocked on keys, woken by the write path.
 *
 * Data structures
 *
 *   db->blocking_keys   key -> blockingKey: the FIFO of clients waiting on
 *                       that key (an adlist, so a client leaves in O(1)
 *                       through the node it remembers).
 *   readyKeys           FIFO of blockingKeys signalled ready since the last
 *                       handleClientsBlockedOnKeys(); a key is queued once
 *                       (bk->ready_node says it is queued).
 *   c->bstate           blockState: the keys c waits on (and its node in each
 *                       key's FIFO), its deadline and timer, and its node in
 *                       the "unblocked, pipeline to resume" queue.
 *
 * Serving by re-execution.  Instead of one "serve" routine per command, a
 * client blocked on a key that became ready runs its own command again, with
 * blockedReadyKey() telling the handler which key to try.  A handler that
 * still cannot serve calls blockForKeys(), which is then a no-op: the client
 * keeps its place in every FIFO.  A handler that replies (served, or an error
 * such as BLMOVE's destination being of the wrong type) ends the block.  So
 * the blocking commands hold all of their semantics in one place, their
 * handler, and chains (a served BLMOVE creating its destination, which
 * signals that key) need nothing special: the loop in
 * handleClientsBlockedOnKeys() runs until no key is ready.
 *
 * Redis 7.0 rules kept here: clients are served in the order they blocked;
 * a key that became ready is only served to clients waiting for its type
 * (a BLPOP client keeps waiting when its key is SET to a string or turned
 * into a sorted set); a client blocked on the same key twice waits once.
 *
 * Timeouts.  Each blocked client with a deadline owns one event-loop timer
 * (the loop keeps timers in a heap), so a client is answered within the
 * loop's granularity of its deadline, with no periodic scan.
 *
 * Lifetime of c->bstate: from the first blockForKeys() until the client's
 * pipeline was resumed (or the client was freed).  CLIENT_BLOCKED is set
 * exactly while the client waits. */
#include "blocked.h"

#include <limits.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "commands.h"
#include "latency.h"
#include "reply.h"
#include "server.h"
#include "slowlog.h"
#include "util.h"
#include "zmalloc.h"

/* One key with waiters, stored in db->blocking_keys. */
typedef struct blockingKey {
    void *next;             /* htab chain link */
    redisDb *db;
    robj *key;              /* string object, also handed to handlers */
    list *clients;          /* FIFO of waiting clients */
    listNode *ready_node;   /* our node in readyKeys, NULL if not queued */
    int serving;            /* being served: do not free when it empties */
} blockingKey;

/* Per blocked client (c->bstate). */
typedef struct blockState {
    int btype;
    int numkeys;
    blockingKey **bkeys;    /* the keys waited on (deduplicated) */
    listNode **nodes;       /* our node in each bkeys[i]->clients */
    long long timeout;      /* absolute ms, 0 = forever */
    long long timer_id;     /* AE_DELETED_EVENT_ID if none */
    listNode *resume_node;  /* our node in resumeQueue, NULL if not queued */
    int reblocked;          /* set by blockForKeys() during re-execution */
} blockState;

static list *readyKeys;     /* blockingKey*, in signal order */
static list *resumeQueue;   /* client*, unblocked, pipeline to resume */
static unsigned long blockedCount;
static unsigned long timedCount;    /* blocked clients with a deadline */
static int initialized;
static int serving;         /* inside handleClientsBlockedOnKeys() */
static client *reexecClient;/* client whose command is being re-executed */
static robj *reexecKey;     /* ... for this ready key */


static void blockedClientFreed(client *c);

/* --- the blocking_keys table ------------------------------------------- */

static const void *blockingKeyKey(const void *entry, size_t *len) {
    const blockingKey *bk = entry;
    *len = rstrLen(bk->key->ptr);
    return bk->key->ptr;
}

static const htabType blockingKeysType = {.entryKey = blockingKeyKey};

/* A private copy of a key: the table must not share an argument object
 * that its command may rewrite, and INT-encoded keys need their bytes. */
static robj *keyCopy(robj *key) {
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = stringObjectBytes(key, buf, sizeof(buf), &len);
    return createRawStringObject(p, len);
}

static blockingKey *findBlockingKey(redisDb *db, robj *key) {
    if (!db->blocking_keys) return NULL;
    if (key->encoding == OBJ_ENCODING_INT) {
        char buf[LONG_STR_SIZE];
        int n = ll2string(buf, sizeof(buf), (long long)(intptr_t)key->ptr);
        return htabFind(db->blocking_keys, buf, (size_t)n);
    }
    return htabFind(db->blocking_keys, key->ptr, rstrLen(key->ptr));
}

static blockingKey *getOrCreateBlockingKey(redisDb *db, robj *key) {
    blockingKey *bk = findBlockingKey(db, key);
    if (bk) return bk;
    if (!db->blocking_keys) db->blocking_keys = htabCreate(&blockingKeysType);
    bk = zmalloc(sizeof(*bk));
    bk->next = NULL;
    bk->db = db;
    bk->key = keyCopy(key);
    bk->clients = listCreate();
    bk->ready_node = NULL;
    bk->serving = 0;
    htabInsert(db->blocking_keys, bk);
    return bk;
}

/* Frees bk once nobody waits on it (and it is not being served). */
static void releaseBlockingKeyIfUnused(blockingKey *bk) {
    if (listLength(bk->clients) || bk->serving) return;
    if (bk->ready_node) listDelNode(readyKeys, bk->ready_node);
    htabUnlink(bk->db->blocking_keys, bk->key->ptr, rstrLen(bk->key->ptr));
    decrRefCount(bk->key);
    listRelease(bk->clients);
    zfree(bk);
}

/* --- init, timeouts ---------------------------------------------------- */

void blockedInit(void) {
    if (initialized) return;
    initialized = 1;
    readyKeys = listCreate();
    resumeQueue = listCreate();
    clientRegisterFreeHook(blockedClientFreed);
}

int clientCannotBlock(client *c) {
    return (c->flags & (CLIENT_MULTI | CLIENT_FAKE)) != 0;
}

int getTimeoutFromObjectOrReply(client *c, robj *object, long long *timeout) {
    long double secs;
    if (getLongDoubleFromObject(object, &secs) != 0) {
        addReplyError(c, "timeout is not a float or out of range");
        return C_ERR;
    }
    /* Seconds to whole milliseconds, rounded up as Redis does (so 0.0001
     * waits 1 ms, while -0.0001 rounds to 0, "forever").  A value that does
     * not fit becomes LLONG_MIN there (the x86 conversion result), hence
     * "negative" for inf and 1e20. */
    long double ms = ceill(secs * 1000.0L);
    long long tval;
    if (ms >= -9223372036854775808.0L && ms < 9223372036854775808.0L)
        tval = (long long)ms;
    else
        tval = LLONG_MIN;
    if (tval < 0) {
        addReplyError(c, "timeout is negative");
        return C_ERR;
    }
    if (tval > 0) {
        long long now = mstime();
        /* Beyond the representable future: as good as forever, which is
         * what the overflowing sum amounts to in Redis too. */
        tval = tval > LLONG_MAX - now ? LLONG_MAX : tval + now;
    }
    *timeout = tval;
    return C_OK;
}

static long long blockedTimerProc(aeEventLoop *el, long long id, void *clientData) {
    (void)el;
    (void)id;
    client *c = clientData;
    blockState *bs = c->bstate;
    if (bs && bs->timer_id != AE_DELETED_EVENT_ID) {
        bs->timer_id = AE_DELETED_EVENT_ID; /* this timer is done */
        timedCount--;
    }
    if (c->flags & CLIENT_BLOCKED) blockedReplyTimeoutAndUnblock(c);
    return AE_NOMORE;
}

static void armTimer(client *c, blockState *bs) {
    if (bs->timeout == 0) return;
    long long delay = bs->timeout - mstime();
    if (delay < 0) delay = 0;
    bs->timer_id = aeCreateTimeEvent(server.el, delay, blockedTimerProc, c, NULL);
    if (bs->timer_id != AE_DELETED_EVENT_ID) timedCount++;
}

static void cancelTimer(blockState *bs) {
    if (bs->timer_id != AE_DELETED_EVENT_ID) {
        aeDeleteTimeEvent(server.el, bs->timer_id);
        bs->timer_id = AE_DELETED_EVENT_ID;
        timedCount--;
    }
}

/* --- blocking and unblocking ------------------------------------------- */

void blockForKeys(client *c, int btype, robj **keys, int numkeys, long long timeout) {
    if (!initialized) blockedInit();
    blockState *bs = c->bstate;
    if (c->flags & CLIENT_BLOCKED) {
        /* Re-executed and still not served: keep every place. */
        bs->reblocked = 1;
        return;
    }
    if (!bs) {
        bs = zcalloc(sizeof(*bs));
        bs->timer_id = AE_DELETED_EVENT_ID;
        c->bstate = bs;
    }
    bs->btype = btype;
    bs->timeout = timeout;
    bs->numkeys = 0;
    bs->bkeys = zmalloc(sizeof(blockingKey *) * (size_t)numkeys);
    bs->nodes = zmalloc(sizeof(listNode *) * (size_t)numkeys);
    for (int j = 0; j < numkeys; j++) {
        blockingKey *bk = getOrCreateBlockingKey(c->db, keys[j]);
        int dup = 0;
        for (int i = 0; i < bs->numkeys && !dup; i++) dup = bs->bkeys[i] == bk;
        if (dup) continue;
        bs->bkeys[bs->numkeys] = bk;
        bs->nodes[bs->numkeys] = listAddNodeTail(bk->clients, c);
        bs->numkeys++;
    }
    c->flags |= CLIENT_BLOCKED;
    c->btype = btype;
    c->bpop_timeout = timeout;
    blockedCount++;
    armTimer(c, bs);
}

/* Leaves every key FIFO and cancels the timer; c stays allocated. */
static void detachFromKeys(client *c, blockState *bs) {
    for (int i = 0; i < bs->numkeys; i++) {
        blockingKey *bk = bs->bkeys[i];
        listDelNode(bk->clients, bs->nodes[i]);
        releaseBlockingKeyIfUnused(bk);
    }
    zfree(bs->bkeys);
    zfree(bs->nodes);
    bs->bkeys = NULL;
    bs->nodes = NULL;
    bs->numkeys = 0;
    cancelTimer(bs);
    c->flags &= ~CLIENT_BLOCKED;
    c->btype = BLOCKED_NONE;
    c->bpop_timeout = 0;
    blockedCount--;
}

void unblockClient(client *c) {
    blockState *bs = c->bstate;
    if (!bs || !(c->flags & CLIENT_BLOCKED)) return;
    detachFromKeys(c, bs);
    /* The blocking command is over: release its arguments (the pipeline
     * loop skipped that when the command blocked). */
    resetClient(c);
    if (!bs->resume_node) {
        listAddNodeTail(resumeQueue, c);
        bs->resume_node = listLast(resumeQueue);
    }
}

void blockedReplyTimeoutAndUnblock(client *c) {
    addReplyNullArray(c);
    unblockClient(c);
}

static void blockedClientFreed(client *c) {
    blockState *bs = c->bstate;
    if (!bs) return;
    if (c->flags & CLIENT_BLOCKED) detachFromKeys(c, bs);
    if (bs->resume_node) listDelNode(resumeQueue, bs->resume_node);
    zfree(bs);
    c->bstate = NULL;
}

unsigned long blockedClientsCount(void) {
    return blockedCount;
}

unsigned long blockedClientsWithTimeoutCount(void) {
    return timedCount;
}

/* --- ready keys ---------------------------------------------------------- */

static int btypeForObjectType(int type) {
    if (type == OBJ_LIST) return BLOCKED_LIST;
    if (type == OBJ_ZSET) return BLOCKED_ZSET;
    return BLOCKED_NONE;
}

void signalKeyAsReady(redisDb *db, robj *key, int type) {
    if (blockedCount == 0 || btypeForObjectType(type) == BLOCKED_NONE) return;
    blockingKey *bk = findBlockingKey(db, key);
    if (!bk || bk->ready_node) return;
    listAddNodeTail(readyKeys, bk);
    bk->ready_node = listLast(readyKeys);
}

void blockedScanDbForReadyKeys(redisDb *db) {
    if (!db->blocking_keys || htabSize(db->blocking_keys) == 0) return;
    htabIterator it;
    htabIterInit(&it, db->blocking_keys);
    blockingKey *bk;
    while ((bk = htabIterNext(&it))) {
        robj *o = lookupKeyReadWithFlags(db, bk->key, LOOKUP_NONOTIFY | LOOKUP_NOSTATS | LOOKUP_NOTOUCH);
        if (o) signalKeyAsReady(db, bk->key, o->type);
    }
    htabIterRelease(&it);
}

robj *blockedReadyKey(client *c) {
    return c == reexecClient ? reexecKey : NULL;
}

/* Runs c's command again for the ready key; returns 1 if it was served
 * (replied: the block is over), 0 if it blocked again. */
static int reexecuteBlockedCommand(client *c, robj *key) {
    blockState *bs = c->bstate;
    client *prev_current = server.current_client;
    client *prev_reexec = reexecClient;
    robj *prev_key = reexecKey;
    bs->reblocked = 0;
    reexecClient = c;
    reexecKey = key;
    server.current_client = c;
    c->flags |= CLIENT_EXECUTING_COMMAND;
    long long start = ustime();
    c->cmd->proc(c);
    long long reexec_us = ustime() - start;
    c->flags &= ~CLIENT_EXECUTING_COMMAND;
    server.current_client = prev_current;
    reexecClient = prev_reexec;
    reexecKey = prev_key;
    if (bs->reblocked) return 0;
    /* Served: the slow log and the latency histogram see the command now,
     * timed by its two executions, the wait excluded (slowlog.c, latency.c). */
    slowlogPushIfNeeded(c, c->cmd, c->duration + reexec_us);
    latencyTrackCommand(c->cmd, c->duration + reexec_us);
    latencyAddSampleIfNeeded("command-unblocking", reexec_us / 1000);
    unblockClient(c);
    return 1;
}

/* Serves the waiters of one ready key, oldest first, while the key holds a
 * value of the type they wait for. */
static void serveBlockingKey(blockingKey *bk) {
    bk->serving = 1;
    listIter li;
    listNode *ln;
    listRewind(bk->clients, &li);
    while ((ln = listNext(&li))) {
        client *c = listNodeValue(ln);
        robj *o = lookupKeyReadWithFlags(bk->db, bk->key, LOOKUP_NONOTIFY | LOOKUP_NOSTATS | LOOKUP_NOTOUCH);
        if (!o) break;
        int btype = btypeForObjectType(o->type);
        if (btype == BLOCKED_NONE) break;
        /* A client on its way out would never see what it popped. */
        if (c->btype != btype || (c->flags & CLIENT_CLOSE_ASAP)) continue;
        reexecuteBlockedCommand(c, bk->key);
    }
    bk->serving = 0;
    releaseBlockingKeyIfUnused(bk);
}

void handleClientsBlockedOnKeys(void) {
    if (!readyKeys || listLength(readyKeys) == 0 || serving) return;
    serving = 1;
    while (listLength(readyKeys)) {
        listNode *ln = listFirst(readyKeys);
        blockingKey *bk = listNodeValue(ln);
        listDelNode(readyKeys, ln);
        bk->ready_node = NULL;
        serveBlockingKey(bk);
    }
    serving = 0;
}

void blockedBeforeSleep(void) {
    handleClientsBlockedOnKeys();
    while (resumeQueue && listLength(resumeQueue)) {
        listNode *ln = listFirst(resumeQueue);
        client *c = listNodeValue(ln);
        blockState *bs = c->bstate;
        listDelNode(resumeQueue, ln);
        bs->resume_node = NULL;
        if (c->flags & CLIENT_BLOCKED) continue; /* blocked again meanwhile */
        zfree(bs);
        c->bstate = NULL;
        if (c->flags & (CLIENT_CLOSE_ASAP | CLIENT_PAUSED)) continue;
        if (rstrLen(c->querybuf) > c->qb_pos) processInputBuffer(c);
        handleClientsBlockedOnKeys();
    }
}

/* --- CLIENT UNBLOCK ---------------------------------------------------- */

void clientUnblockCommand(client *c) {
    int unblock_error = 0;
    if (c->argc > 4) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    if (c->argc == 4) {
        if (!strcasecmp(c->argv[3]->ptr, "timeout")) {
            unblock_error = 0;
        } else if (!strcasecmp(c->argv[3]->ptr, "error")) {
            unblock_error = 1;
        } else {
            addReplyError(c, "CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
    }
    long long id;
    if (getLongLongFromObject(c->argv[2], &id) != 0) {
        addReplyErrorNotInteger(c);
        return;
    }
    client *target = lookupClientByID((uint64_t)id);
    if (target && (target->flags & CLIENT_BLOCKED) && target->bstate) {
        if (unblock_error)
            addReplyError(target, "-UNBLOCKED client unblocked via CLIENT UNBLOCK");
        else
            addReplyNullArray(target);
        unblockClient(target);
        addReplyProto(c, shared.cone, strlen(shared.cone));
    } else {
        addReplyProto(c, shared.czero, strlen(shared.czero));
    }
}
