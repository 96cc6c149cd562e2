/* keyspace.c -- commands that work on keys regardless of their type.
 *
 * Owns DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX,
 * MOVE, COPY, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL, TOUCH and OBJECT.  The EXPIRE
 * family lives next door in expire_cmds.c.
 *
 * How it is built:
 *   * Every read or write of the keyspace goes through db.h.  Lookups return
 *     value pointers that die as soon as that key is modified, so each
 *     command reads what it needs (type, TTL) before it changes anything, and
 *     values handed to dbAdd are consumed by it.
 *   * Expired keys are invisible everywhere, but the commands differ in how
 *     they get there, as Redis's do: lookups (EXISTS, TYPE, TOUCH, OBJECT,
 *     RENAME, MOVE, COPY) delete an expired key they meet; KEYS only skips
 *     it, because KEYS walks the table and must not modify it while walking;
 *     SCAN first collects names, then runs each surviving name through
 *     expireIfNeeded, which deletes it and drops it from the reply.
 *   * After each successful modification a command signals the key (WATCH,
 *     blocked clients), fires its keyspace event and counts server.dirty,
 *     with the same event names and counts as Redis so that notification
 *     subscribers and INFO see the same stream.
 *   * SCAN walks the table with dbScan's reverse-binary cursor, which keeps
 *     its guarantee (every key present for the whole scan is returned at
 *     least once) across resizes.  Like Redis, the loop stops after COUNT
 *     visited keys *before* MATCH/TYPE filtering, so a selective pattern gives
 *     short pages rather than long calls; and it gives up after 10*COUNT
 *     buckets so that a sparse table cannot make one call unbounded. */
#include "keyspace.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "db.h"
#include "evict.h"
#include "reply.h"
#include "server.h"
#include "snapshot.h"
#include "util.h"
#include "zmalloc.h"

/* Redis shares the value objects of the integers 0..9999 unless an LRU/LFU
 * policy needs per-key access data; OBJECT REFCOUNT shows such a value as
 * pinned.  Our values are never shared (they live inside the key's entry),
 * but we report the same number so the observable reply does not change,
 * except for a value made by COPY, which Redis duplicates (refcount 1): db.c
 * marks those (dbValueSetUnshared). */
#define KEYSPACE_SHARED_INTEGERS 10000

/* ------------------------------------------------------------------------ */
/* Argument helpers                                                          */
/* ------------------------------------------------------------------------ */

/* Parses an int argument.  On failure replies msg when given; otherwise, as
 * Redis does, tells a non-number apart from a number outside the int range.
 * Returns C_ERR after replying. */
static int getIntFromObjectOrReply(client *c, robj *o, int *target, const char *msg) {
    long long v;
    if (getLongLongFromObject(o, &v) != C_OK) {
        if (msg) {
            addReplyError(c, msg);
        } else {
            addReplyErrorNotInteger(c);
        }
        return C_ERR;
    }
    if (v < INT_MIN || v > INT_MAX) {
        if (msg) {
            addReplyError(c, msg);
        } else {
            addReplyErrorFormat(c, "value is out of range, value must between %d and %d", INT_MIN,
                                INT_MAX);
        }
        return C_ERR;
    }
    *target = (int)v;
    return C_OK;
}

static int getLongFromObjectOrReply(client *c, robj *o, long *target) {
    long long v;
    if (getLongLongFromObject(o, &v) != C_OK || v < LONG_MIN || v > LONG_MAX) {
        addReplyErrorNotInteger(c);
        return C_ERR;
    }
    *target = (long)v;
    return C_OK;
}

/* Returns the database with this index, or NULL when out of range. */
static redisDb *keyspaceDbByIndex(int id) {
    if (id < 0 || id >= server.dbnum) return NULL;
    return dbGet(id);
}

/* Two argument strings are the same key when their bytes are equal. */
static int keyspaceSameKey(robj *a, robj *b) {
    size_t la = rstrLen(a->ptr), lb = rstrLen(b->ptr);
    return la == lb && memcmp(a->ptr, b->ptr, la) == 0;
}

/* The clock expiry decisions use: the per-command snapshot when the core has
 * set one, so that every key of one command is judged at the same instant. */
static long long keyspaceNow(void) {
    return server.cmd_time_snapshot > 0 ? server.cmd_time_snapshot : mstime();
}

/* Whether an entry met while walking the table is logically expired.  Same
 * rule as keyIsExpired(), without building a key object and looking it up
 * again: nothing expires while a snapshot is being loaded. */
static int keyspaceEntryExpired(const dbEntry *e) {
    if (server.loading) return 0;
    long long when = dbEntryExpire(e);
    if (when < 0) return 0;
    return keyspaceNow() > when;
}

/* ------------------------------------------------------------------------ */
/* DEL, UNLINK, EXISTS, TYPE, TOUCH                                          */
/* ------------------------------------------------------------------------ */

/* Deletes every key argument; `lazy` hands big values to the background
 * freer.  An expired key is expired first (with its "expired" event) so it
 * is not counted as deleted by this command. */
static void delGenericCommand(client *c, int lazy) {
    long long deleted = 0;
    for (int j = 1; j < c->argc; j++) {
        expireIfNeeded(c->db, c->argv[j], 0);
        if (dbGenericDelete(c->db, c->argv[j], lazy)) {
            signalModifiedKey(c, c->db, c->argv[j]);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[j], c->db->id);
            server.dirty++;
            deleted++;
        }
    }
    addReplyLongLong(c, deleted);
}

void delCommand(client *c) {
    delGenericCommand(c, server.lazyfree_lazy_user_del);
}

void unlinkCommand(client *c) {
    delGenericCommand(c, 1);
}

/* Counts repeats: EXISTS k k answers 2 when k exists. */
void existsCommand(client *c) {
    long long count = 0;
    for (int j = 1; j < c->argc; j++) {
        if (lookupKeyReadWithFlags(c->db, c->argv[j], LOOKUP_NOTOUCH)) count++;
    }
    addReplyLongLong(c, count);
}

void typeCommand(client *c) {
    robj *o = lookupKeyReadWithFlags(c->db, c->argv[1], LOOKUP_NOTOUCH);
    addReplyStatus(c, o ? strObjectType(o->type) : "none");
}

/* A read lookup per key: updates the access time as a GET would. */
void touchCommand(client *c) {
    long long touched = 0;
    for (int j = 1; j < c->argc; j++) {
        if (lookupKeyRead(c->db, c->argv[j])) touched++;
    }
    addReplyLongLong(c, touched);
}

/* ------------------------------------------------------------------------ */
/* KEYS                                                                      */
/* ------------------------------------------------------------------------ */

typedef struct keysState {
    client *c;
    const char *pattern;
    size_t patlen;
    int allkeys; /* pattern is "*": skip matching */
    long count;
} keysState;

static void keysCallback(void *privdata, dbEntry *e) {
    keysState *ks = privdata;
    size_t klen;
    const char *key = dbEntryKey(e, &klen);
    if (!ks->allkeys && !stringmatchlen(ks->pattern, ks->patlen, key, klen, 0)) return;
    if (keyspaceEntryExpired(e)) return;
    addReplyBulkCBuffer(ks->c, key, klen);
    ks->count++;
}

/* Walks the whole table in one go.  Nothing changes the table between the
 * dbScan steps (the callback only reads), so no key is returned twice. */
void keysCommand(client *c) {
    keysState ks = {
        .c = c,
        .pattern = c->argv[1]->ptr,
        .patlen = rstrLen(c->argv[1]->ptr),
        .count = 0,
    };
    ks.allkeys = ks.patlen == 1 && ks.pattern[0] == '*';
    void *len = addReplyDeferredLen(c);
    unsigned long cursor = 0;
    do {
        cursor = dbScan(c->db, cursor, keysCallback, &ks);
    } while (cursor != 0);
    setDeferredArrayLen(c, len, ks.count);
}

/* ------------------------------------------------------------------------ */
/* SCAN                                                                      */
/* ------------------------------------------------------------------------ */

int parseScanCursorOrReply(client *c, robj *o, unsigned long *cursor) {
    /* strtoul rather than string2ll: the cursor covers the whole unsigned
     * range.  Like Redis we accept what strtoul accepts ("+1", "", even
     * "-1", which wraps) except leading space, trailing bytes and overflow. */
    const char *s = o->ptr;
    char *end;
    errno = 0;
    *cursor = strtoul(s, &end, 10);
    if (isspace((unsigned char)s[0]) || *end != '\0' || errno == ERANGE ||
        (size_t)(end - s) != rstrLen(o->ptr)) {
        addReplyError(c, "invalid cursor");
        return C_ERR;
    }
    return C_OK;
}

int parseScanOptionsOrReply(client *c, int first, int allow_type, scanOptions *opts) {
    opts->count = 10;
    opts->pattern = NULL;
    opts->patlen = 0;
    opts->type = NULL;
    for (int j = first; j < c->argc; j += 2) {
        const char *opt = c->argv[j]->ptr;
        if (j + 1 >= c->argc) {
            addReplyErrorSyntax(c);
            return C_ERR;
        }
        robj *val = c->argv[j + 1];
        if (!strcasecmp(opt, "count")) {
            if (getLongFromObjectOrReply(c, val, &opts->count) != C_OK) return C_ERR;
            if (opts->count < 1) {
                addReplyErrorSyntax(c);
                return C_ERR;
            }
        } else if (!strcasecmp(opt, "match")) {
            opts->pattern = val->ptr;
            opts->patlen = rstrLen(val->ptr);
        } else if (allow_type && !strcasecmp(opt, "type")) {
            opts->type = val->ptr;
        } else {
            addReplyErrorSyntax(c);
            return C_ERR;
        }
    }
    /* "*" matches everything: don't pay for matching. */
    if (opts->pattern && opts->patlen == 1 && opts->pattern[0] == '*') opts->pattern = NULL;
    return C_OK;
}

static void scanCollectEntry(void *privdata, void *entry) {
    scanBatch *b = privdata;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->found = zrealloc(b->found, b->cap * sizeof(*b->found));
    }
    b->found[b->n++] = entry;
}

unsigned long scanStepHtab(void *table, unsigned long cursor, htabScanFunction *fn, void *privdata) {
    return htabScan(table, cursor, fn, privdata);
}

unsigned long scanCollect(scanStepFunction *step, void *table, unsigned long cursor, long count,
                          scanBatch *batch) {
    long maxsteps = count > LONG_MAX / 10 ? LONG_MAX : count * 10;
    do {
        cursor = step(table, cursor, scanCollectEntry, batch);
    } while (cursor != 0 && maxsteps-- > 0 && (long)batch->n < count);
    return cursor;
}

void scanBatchFree(scanBatch *batch) {
    zfree(batch->found);
    batch->found = NULL;
    batch->n = batch->cap = 0;
}

void addReplyScanCursor(client *c, unsigned long cursor) {
    char buf[LONG_STR_SIZE];
    int blen = ull2string(buf, sizeof(buf), cursor);
    addReplyArrayLen(c, 2);
    addReplyBulkCBuffer(c, buf, (size_t)blen);
}

typedef struct scanState {
    const scanOptions *opts;
    robj **keys; /* names that passed MATCH and TYPE */
    size_t numkeys, cap;
    long visited; /* keys seen, filtered or not: drives the COUNT budget */
} scanState;

static void scanCallback(void *privdata, dbEntry *e) {
    scanState *ss = privdata;
    ss->visited++;
    size_t klen;
    const char *key = dbEntryKey(e, &klen);
    if (ss->opts->pattern &&
        !stringmatchlen(ss->opts->pattern, ss->opts->patlen, key, klen, 0)) {
        return;
    }
    if (ss->opts->type && strcasecmp(ss->opts->type, strObjectType(dbEntryVal(e)->type)) != 0) {
        return;
    }
    if (ss->numkeys == ss->cap) {
        ss->cap = ss->cap ? ss->cap * 2 : 16;
        ss->keys = zrealloc(ss->keys, ss->cap * sizeof(robj *));
    }
    ss->keys[ss->numkeys++] = dbEntryKeyObject(e);
}

void scanCommand(client *c) {
    unsigned long cursor;
    scanOptions opts;
    if (parseScanCursorOrReply(c, c->argv[1], &cursor) != C_OK) return;
    if (parseScanOptionsOrReply(c, 2, 1, &opts) != C_OK) return;

    scanState ss = {.opts = &opts, .keys = NULL, .numkeys = 0, .cap = 0, .visited = 0};
    /* Bucket budget: an almost empty table must not turn one call into a
     * walk of the whole bucket array. */
    long maxsteps = opts.count > LONG_MAX / 10 ? LONG_MAX : opts.count * 10;
    do {
        cursor = dbScan(c->db, cursor, scanCallback, &ss);
    } while (cursor != 0 && maxsteps-- > 0 && ss.visited < opts.count);

    /* Expiring while walking would modify the table under dbScan; do it now.
     * expireIfNeeded deletes the key (firing "expired") and says so. */
    size_t kept = 0;
    for (size_t i = 0; i < ss.numkeys; i++) {
        if (expireIfNeeded(c->db, ss.keys[i], 0)) {
            decrRefCount(ss.keys[i]);
        } else {
            ss.keys[kept++] = ss.keys[i];
        }
    }

    addReplyScanCursor(c, cursor);
    addReplyArrayLen(c, (long)kept);
    for (size_t i = 0; i < kept; i++) {
        addReplyBulk(c, ss.keys[i]);
        decrRefCount(ss.keys[i]);
    }
    zfree(ss.keys);
}

/* ------------------------------------------------------------------------ */
/* RANDOMKEY, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB                              */
/* ------------------------------------------------------------------------ */

void randomkeyCommand(client *c) {
    robj *key = dbRandomKey(c->db);
    if (key == NULL) {
        addReplyNull(c);
        return;
    }
    addReplyBulk(c, key);
    decrRefCount(key);
}

void dbsizeCommand(client *c) {
    addReplyLongLong(c, dbSize(c->db));
}

/* FLUSHDB/FLUSHALL [ASYNC|SYNC]: without an argument lazyfree-lazy-user-flush
 * decides.  Sets *async and returns C_OK, or replies a syntax error. */
static int getFlushModeOrReply(client *c, int *async) {
    if (c->argc == 1) {
        *async = server.lazyfree_lazy_user_flush;
    } else if (c->argc == 2 && !strcasecmp(c->argv[1]->ptr, "sync")) {
        *async = 0;
    } else if (c->argc == 2 && !strcasecmp(c->argv[1]->ptr, "async")) {
        *async = 1;
    } else {
        addReplyErrorSyntax(c);
        return C_ERR;
    }
    return C_OK;
}

void flushdbCommand(client *c) {
    int async;
    if (getFlushModeOrReply(c, &async) != C_OK) return;
    server.dirty += emptyData(c->db->id, async, NULL);
    addReplyOk(c);
}

/* Counts one change per key removed, as FLUSHDB does (Redis 7.0 dropped the
 * extra change older versions added).  Redis also rewrites the snapshot file
 * at once when save points are configured, which resets the count: that is
 * the snapshot module's business. */
void flushallCommand(client *c) {
    int async;
    if (getFlushModeOrReply(c, &async) != C_OK) return;
    /* A save in progress describes data that is going away: stop it rather
     * than serialize every key before it is freed. */
    snapshotAbort("FLUSHALL");
    server.dirty += emptyData(-1, async, NULL);
    /* With save points configured, Redis writes the (now empty) data set
     * at once, which also resets the change counter. */
    if (server.saveparamslen > 0) snapshotSaveBlocking();
    addReplyOk(c);
}

void swapdbCommand(client *c) {
    int id1, id2;
    if (getIntFromObjectOrReply(c, c->argv[1], &id1, "invalid first DB index") != C_OK) return;
    if (getIntFromObjectOrReply(c, c->argv[2], &id2, "invalid second DB index") != C_OK) return;
    if (keyspaceDbByIndex(id1) == NULL || keyspaceDbByIndex(id2) == NULL) {
        addReplyError(c, "DB index is out of range");
        return;
    }
    /* Swapping a db with itself is a successful no-op, counted like Redis. */
    if (id1 != id2) dbSwapDatabases(id1, id2);
    server.dirty++;
    addReplyOk(c);
}

/* ------------------------------------------------------------------------ */
/* RENAME, RENAMENX, MOVE, COPY                                              */
/* ------------------------------------------------------------------------ */

static void renameGenericCommand(client *c, int nx) {
    robj *src = c->argv[1], *dst = c->argv[2];
    /* The source must exist even when both names are the same. */
    if (lookupKeyWrite(c->db, src) == NULL) {
        addReplyError(c, "no such key");
        return;
    }
    if (keyspaceSameKey(src, dst)) {
        if (nx) {
            addReplyLongLong(c, 0);
        } else {
            addReplyOk(c);
        }
        return;
    }
    /* A write lookup also clears an expired destination out of the way. */
    if (lookupKeyWrite(c->db, dst) != NULL && nx) {
        addReplyLongLong(c, 0);
        return;
    }
    dbRenameKey(c->db, src, dst);
    signalModifiedKey(c, c->db, src);
    signalModifiedKey(c, c->db, dst);
    /* Redis re-adds the value under the new name, so the destination gets a
     * "new" event (even when it existed) before rename_from/rename_to. */
    notifyKeyspaceEvent(NOTIFY_NEW, "new", dst, c->db->id);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "rename_from", src, c->db->id);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "rename_to", dst, c->db->id);
    server.dirty++;
    if (nx) {
        addReplyLongLong(c, 1);
    } else {
        addReplyOk(c);
    }
}

void renameCommand(client *c) {
    renameGenericCommand(c, 0);
}

void renamenxCommand(client *c) {
    renameGenericCommand(c, 1);
}

void moveCommand(client *c) {
    robj *key = c->argv[1];
    int dbid;
    if (getIntFromObjectOrReply(c, c->argv[2], &dbid, NULL) != C_OK) return;
    redisDb *src = c->db, *dst = keyspaceDbByIndex(dbid);
    if (dst == NULL) {
        addReplyError(c, "DB index is out of range");
        return;
    }
    if (src == dst) {
        addReplyError(c, "source and destination objects are the same");
        return;
    }
    if (lookupKeyWrite(src, key) == NULL || lookupKeyWrite(dst, key) != NULL) {
        addReplyLongLong(c, 0);
        return;
    }
    dbMoveKey(src, dst, key);
    /* Judge success by the outcome, not by the return convention. */
    if (!dbExists(dst, key) || dbExists(src, key)) {
        addReplyLongLong(c, 0);
        return;
    }
    signalModifiedKey(c, src, key);
    signalModifiedKey(c, dst, key);
    /* As in Redis, the key is added to the target db: "new" comes first. */
    notifyKeyspaceEvent(NOTIFY_NEW, "new", key, dst->id);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "move_from", key, src->id);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "move_to", key, dst->id);
    server.dirty++;
    addReplyLongLong(c, 1);
}

void copyCommand(client *c) {
    robj *key = c->argv[1], *newkey = c->argv[2];
    redisDb *src = c->db, *dst = c->db;
    int replace = 0;

    for (int j = 3; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        if (!strcasecmp(opt, "replace")) {
            replace = 1;
        } else if (!strcasecmp(opt, "db") && j + 1 < c->argc) {
            int dbid;
            if (getIntFromObjectOrReply(c, c->argv[j + 1], &dbid, NULL) != C_OK) return;
            if ((dst = keyspaceDbByIndex(dbid)) == NULL) {
                addReplyError(c, "DB index is out of range");
                return;
            }
            j++;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    if (src == dst && keyspaceSameKey(key, newkey)) {
        addReplyError(c, "source and destination objects are the same");
        return;
    }

    robj *o = lookupKeyRead(src, key);
    if (o == NULL) {
        addReplyLongLong(c, 0);
        return;
    }
    long long expire = getExpire(src, key);
    /* Copy now: the destination lookup below may delete an expired key,
     * and we want nothing to depend on `o` after the keyspace changes. */
    robj *copy = objectDup(o);
    if (copy == NULL) {
        addReplyError(c, "COPY is not supported for this data type yet");
        return;
    }

    int exists = lookupKeyWrite(dst, newkey) != NULL;
    if (exists && !replace) {
        decrRefCount(copy);
        addReplyLongLong(c, 0);
        return;
    }
    if (exists) dbDelete(dst, newkey);
    dbAdd(dst, newkey, copy); /* consumes copy */
    /* Redis's COPY duplicates the object: OBJECT REFCOUNT says 1 even for
     * a small integer. */
    int quiet = LOOKUP_NOTOUCH | LOOKUP_NOSTATS | LOOKUP_NONOTIFY;
    dbValueSetUnshared(lookupKeyReadWithFlags(dst, newkey, quiet), 1);
    if (expire != -1) setExpire(c, dst, newkey, expire);

    signalModifiedKey(c, dst, newkey);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "copy_to", newkey, dst->id);
    server.dirty++;
    addReplyLongLong(c, 1);
}

/* ------------------------------------------------------------------------ */
/* OBJECT                                                                    */
/* ------------------------------------------------------------------------ */

/* Milliseconds since the value was last accessed, from its 24-bit LRU clock
 * (LRU_CLOCK_RESOLUTION ms per tick), allowing for one wrap of the clock. */
static unsigned long long keyspaceIdleTimeMs(const robj *o) {
    unsigned long long now;
    /* The cached clock is refreshed by the cron; use it when the cron ticks
     * at least once per clock unit, as it normally does. */
    if (server.hz > 0 && 1000 / server.hz <= LRU_CLOCK_RESOLUTION) {
        now = server.lruclock;
    } else {
        now = getLRUClock();
    }
    if (now >= o->lru) return (now - o->lru) * LRU_CLOCK_RESOLUTION;
    return (now + (LRU_CLOCK_MAX - o->lru)) * LRU_CLOCK_RESOLUTION;
}

/* Under LFU the 24 bits hold a 16-bit "last decrement" time in minutes and
 * an 8-bit logarithmic counter.  Returns the counter after the decay owed
 * since that time, without storing it (OBJECT must not alter the key). */
static unsigned long keyspaceLfuCounter(const robj *o) {
    return evictLfuDecrAndReturn(o); /* honours lfu-decay-time */
}

static int keyspacePolicyIsLfu(void) {
    return server.maxmemory_policy == MAXMEMORY_VOLATILE_LFU ||
           server.maxmemory_policy == MAXMEMORY_ALLKEYS_LFU;
}

static int keyspacePolicyIsLru(void) {
    return server.maxmemory_policy == MAXMEMORY_VOLATILE_LRU ||
           server.maxmemory_policy == MAXMEMORY_ALLKEYS_LRU;
}

static int keyspaceValueIsSharedInteger(const robj *o) {
    if (o->type != OBJ_STRING || o->encoding != OBJ_ENCODING_INT) return 0;
    /* Redis stops sharing them when a policy needs per-key access data. */
    if (server.maxmemory && (keyspacePolicyIsLru() || keyspacePolicyIsLfu())) return 0;
    long long v = (long long)(intptr_t)o->ptr;
    return v >= 0 && v < KEYSPACE_SHARED_INTEGERS;
}

static const char *objectHelp[] = {
    "ENCODING <key>",
    "    Name the internal representation that holds the value of <key>.",
    "FREQ <key>",
    "    Logarithmic access-frequency counter of <key> (LFU policies only).",
    "IDLETIME <key>",
    "    Seconds since <key> was last read or written (not under LFU policies).",
    "REFCOUNT <key>",
    "    Reference count of the value of <key>.",
    NULL,
};

void objectCommand(client *c) {
    const char *sub = c->argv[1]->ptr;
    if (!strcasecmp(sub, "help") && c->argc == 2) {
        addReplyHelp(c, objectHelp);
        return;
    }
    int known = !strcasecmp(sub, "encoding") || !strcasecmp(sub, "refcount") ||
                !strcasecmp(sub, "idletime") || !strcasecmp(sub, "freq");
    if (!known || c->argc != 3) {
        addReplySubcommandSyntaxError(c);
        return;
    }

    /* Looking at a key must not count as an access, nor as a miss event. */
    robj *o = lookupKeyReadWithFlags(c->db, c->argv[2], LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
    if (o == NULL) {
        addReplyNull(c);
        return;
    }
    int lfu = keyspacePolicyIsLfu();
    if (!strcasecmp(sub, "encoding")) {
        addReplyBulkCString(c, strObjectEncoding(o->encoding));
    } else if (!strcasecmp(sub, "refcount")) {
        int shared = keyspaceValueIsSharedInteger(o) && !dbValueIsUnshared(o);
        addReplyLongLong(c, shared ? OBJ_SHARED_REFCOUNT : o->refcount);
    } else if (!strcasecmp(sub, "idletime")) {
        if (lfu) {
            addReplyError(c, "An LFU maxmemory policy is selected, idle time not tracked. Please "
                             "note that when switching between policies at runtime LRU and LFU "
                             "data will take some time to adjust.");
            return;
        }
        addReplyLongLong(c, (long long)(keyspaceIdleTimeMs(o) / 1000));
    } else {
        if (!lfu) {
            addReplyError(c, "An LFU maxmemory policy is not selected, access frequency not "
                             "tracked. Please note that when switching between policies at "
                             "runtime LRU and LFU data will take some time to adjust.");
            return;
        }
        addReplyLongLong(c, (long long)keyspaceLfuCounter(o));
    }
}
