/* db.c -- the keyspace: one dbEntry per key, and the write choke point.
 *
 * Layout of a dbEntry (one allocation):
 *
 *   +------+-----------+--------+-------+-----------+----------+--------------+
 *   | next | robj val  | keylen | flags | [expire]  | key NUL  | [embstr val] |
 *   +------+-----------+--------+-------+-----------+----------+--------------+
 *     8      16          4        1       8 if TTL    keylen+1   for EMBSTR
 *
 * `next` is the hash table's chain link (htab is intrusive), so a key costs
 * one allocation plus its bucket slot: for a 16-byte key with a 16-byte
 * value that is an 80-byte jemalloc class against Redis's three allocations
 * (dictEntry 32, key sds 32, robj+embstr 48).  The expire time is stored in
 * the entry so TTL checks on lookup need no second table probe; volatile keys
 * are also indexed in db->expires (small nodes pointing at their entry) so
 * the active expire cycle samples only keys that can expire.
 *
 * Because values are embedded, replacing a value reallocates the entry: the
 * new entry takes the old one's place in its chain (htabReplace) and the
 * expires index is repointed.  Callers hold robj pointers only until their
 * next keyspace write to the same key.
 *
 * Snapshot support (issue 4 builds on it): before any entry is modified or
 * removed, dbBeforeKeyChange() calls the registered hook if the entry has not
 * been written to the snapshot in progress.  "Written" is one flag bit
 * compared with a global generation bit that flips when a snapshot starts, so
 * starting a snapshot costs O(1), and entries created during it are born
 * "written" (they are not part of the point-in-time image).  A snapshot may
 * also take over what is being dropped instead of having it written first:
 * a database's tables on FLUSHDB, a big value on delete or overwrite.
 *
 * Loading (dbAddLoaded) inserts keys through a short prefetch queue: the
 * load is bound by cache misses on bucket slots and chains. */
#include "db.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "server.h"
#include "blocked.h"
#include "evict.h"
#include "latency.h"
#include "reply.h"
#include "util.h"
#include "zmalloc.h"

#define DBE_HAS_EXPIRE (1 << 0)
#define DBE_SNAP_GEN (1 << 1)
/* The value was made by COPY: Redis duplicates the object, so a small
 * integer there is not its shared one (OBJECT REFCOUNT 1, not 2147483647).
 * Kept while the value is (RENAME, MOVE, EXPIRE), dropped with it. */
#define DBE_UNSHARED (1 << 2)

struct dbEntry {
    void *next;
    robj val;
    uint32_t keylen;
    uint8_t flags;
    char data[];
};

/* Node of the volatile-keys index. */
typedef struct expireNode {
    void *next;
    dbEntry *entry;
} expireNode;

static redisDb *databases;
static int numDatabases;
static dbKeyChangeHook *keyChangeHook = NULL;
static dbTablesAdoptHook *tablesAdoptHook = NULL;
static dbValueAdoptHook *valueAdoptHook = NULL; /* issue 4: see dbBeforeValueDrop */
static uint8_t snapshotGen = 0; /* 0 or DBE_SNAP_GEN */

/* multi.c: WATCHed keys of a database that is emptied or swapped (called
 * while the old contents are still there). */
extern void touchAllWatchedKeysInDb(redisDb *emptied, redisDb *replaced_with) __attribute__((weak));

/* --- entries ---------------------------------------------------------- */

static inline size_t entryExpireSize(const dbEntry *e) {
    return (e->flags & DBE_HAS_EXPIRE) ? sizeof(long long) : 0;
}

static inline char *entryKeyPtr(const dbEntry *e) {
    return (char *)e->data + entryExpireSize(e);
}

const char *dbEntryKey(const dbEntry *e, size_t *len) {
    *len = e->keylen;
    return entryKeyPtr(e);
}

robj *dbEntryVal(dbEntry *e) {
    return &e->val;
}

long long dbEntryExpire(const dbEntry *e) {
    if (!(e->flags & DBE_HAS_EXPIRE)) return -1;
    long long when;
    memcpy(&when, e->data, sizeof(when));
    return when;
}

robj *dbEntryKeyObject(const dbEntry *e) {
    return createStringObject(entryKeyPtr(e), e->keylen);
}

size_t dbEntryMemUsage(dbEntry *e) {
    size_t n = zmallocSize(e);
    if (e->val.type == OBJ_STRING && e->val.encoding == OBJ_ENCODING_RAW) n += rstrAllocSize(e->val.ptr);
    return n;
}

size_t dbExpiresIndexMemUsage(redisDb *db) {
    /* Nodes are two pointers: exactly one of the allocator's small size
     * classes, so sizeof is also what each one costs. */
    return htabMemUsage(db->expires) + htabSize(db->expires) * sizeof(expireNode);
}

static const void *entryKeyCallback(const void *entry, size_t *len) {
    return dbEntryKey(entry, len);
}

static const void *expireNodeKeyCallback(const void *node, size_t *len) {
    return dbEntryKey(((const expireNode *)node)->entry, len);
}

static void entryFree(void *entry) {
    dbEntry *e = entry;
    freeObjectPayload(&e->val);
    zfree(e);
}

static void expireNodeFree(void *node) {
    zfree(node);
}

static const htabType keysTableType = {.entryKey = entryKeyCallback, .entryDestructor = entryFree};
static const htabType expiresTableType = {.entryKey = expireNodeKeyCallback,
                                          .entryDestructor = expireNodeFree};

/* Bytes an entry needs for a key of keylen bytes, an optional expire and
 * the value val (embedded strings count their bytes). */
static size_t entrySizeFor(size_t keylen, int has_expire, const robj *val) {
    int embed = val->type == OBJ_STRING && val->encoding == OBJ_ENCODING_EMBSTR;
    return sizeof(dbEntry) + (has_expire ? sizeof(long long) : 0) + keylen + 1 +
           (embed ? rstrEmbeddedSize(rstrLen(val->ptr)) : 0);
}

/* Moves val into e's value slot (the key is already in place).  Consumes
 * the caller's reference: strings up to the embedding limit are copied
 * after the key, other payloads are moved. */
static void entryTakeValue(dbEntry *e, robj *val) {
    int embed = val->type == OBJ_STRING && val->encoding == OBJ_ENCODING_EMBSTR;
    char *k = entryKeyPtr(e);
    e->val.type = val->type;
    e->val.encoding = val->encoding;
    e->val.lru = val->lru ? val->lru : evictInitialAccess(); /* LFU policies start at LFU_INIT_VAL */
    e->val.refcount = 1;
    if (embed) {
        e->val.ptr = rstrInitEmbedded(k + e->keylen + 1, val->ptr, rstrLen(val->ptr));
        decrRefCount(val);
    } else if (val->type == OBJ_STRING && val->encoding == OBJ_ENCODING_INT) {
        e->val.ptr = val->ptr;
        decrRefCount(val);
    } else if (val->refcount == 1) {
        /* Move the payload; free only the shell. */
        e->val.ptr = val->ptr;
        zfree(val);
    } else {
        /* Shared string (e.g. an argument still referenced elsewhere). */
        serverAssert(val->type == OBJ_STRING);
        e->val.ptr = rstrDup(val->ptr);
        decrRefCount(val);
    }
}

/* Builds an entry for key with the given value and expire (-1 = none),
 * consuming the caller's reference to val (see entryTakeValue). */
static dbEntry *entryCreate(const char *key, size_t keylen, robj *val, long long expire) {
    dbEntry *e = zmalloc(entrySizeFor(keylen, expire >= 0, val));
    e->next = NULL;
    e->keylen = (uint32_t)keylen;
    e->flags = snapshotGen | (expire >= 0 ? DBE_HAS_EXPIRE : 0);
    if (expire >= 0) memcpy(e->data, &expire, sizeof(expire));
    char *k = e->data + (expire >= 0 ? sizeof(long long) : 0);
    memcpy(k, key, keylen);
    k[keylen] = '\0';
    entryTakeValue(e, val);
    return e;
}

/* Same key, new value or new expire: a new entry replaces the old one in its
 * chain and in the expires index.  The old entry is freed, its value payload
 * too unless keep_payload (the payload was moved to the new entry). */
static dbEntry *entryReplace(redisDb *db, dbEntry *old, dbEntry *e) {
    htabReplace(db->keys, old, e);
    int had = (old->flags & DBE_HAS_EXPIRE) != 0;
    int has = (e->flags & DBE_HAS_EXPIRE) != 0;
    if (had && has) {
        expireNode *n = htabFind(db->expires, entryKeyPtr(e), e->keylen);
        serverAssert(n != NULL);
        n->entry = e;
    } else if (had) {
        htabDelete(db->expires, entryKeyPtr(old), old->keylen);
    } else if (has) {
        expireNode *n = zmalloc(sizeof(*n));
        n->next = NULL;
        n->entry = e;
        htabInsert(db->expires, n);
    }
    return e;
}

/* --- databases -------------------------------------------------------- */

void dbInitAll(int dbnum) {
    numDatabases = dbnum;
    databases = zcalloc(sizeof(redisDb) * (size_t)dbnum);
    for (int i = 0; i < dbnum; i++) {
        databases[i].id = i;
        databases[i].keys = htabCreate(&keysTableType);
        databases[i].expires = htabCreate(&expiresTableType);
    }
    server.db = databases;
}

redisDb *dbGet(int id) {
    if (id < 0 || id >= numDatabases) return NULL;
    return &databases[id];
}

long long dbSize(redisDb *db) {
    return (long long)htabSize(db->keys);
}

long long dbExpiresCount(redisDb *db) {
    return (long long)htabSize(db->expires);
}

dbEntry *dbFindEntry(redisDb *db, const void *key, size_t len) {
    return htabFind(db->keys, key, len);
}

/* --- the write choke point -------------------------------------------- */

void dbSetKeyChangeHook(dbKeyChangeHook *hook) {
    keyChangeHook = hook;
}

void dbSetTablesAdoptHook(dbTablesAdoptHook *hook) {
    tablesAdoptHook = hook;
}

void dbSetValueAdoptHook(dbValueAdoptHook *hook) {
    valueAdoptHook = hook;
}

int dbEntrySnapshotWritten(const dbEntry *e) {
    return (e->flags & DBE_SNAP_GEN) == snapshotGen;
}

void dbEntryMarkSnapshotWritten(dbEntry *e) {
    e->flags = (uint8_t)((e->flags & ~DBE_SNAP_GEN) | snapshotGen);
}

void dbNewSnapshotGeneration(void) {
    snapshotGen ^= DBE_SNAP_GEN;
}

static inline void dbBeforeKeyChange(redisDb *db, dbEntry *e) {
    if (keyChangeHook && !dbEntrySnapshotWritten(e)) keyChangeHook(db, e);
}

/* Before e's value is freed or replaced (issue 4): the snapshot may adopt
 * the value instead of serializing it now; e is then left holding nothing
 * to free, and counts as written. */
static inline void dbBeforeValueDrop(redisDb *db, dbEntry *e) {
    if (keyChangeHook && !dbEntrySnapshotWritten(e) && valueAdoptHook && valueAdoptHook(db, e)) {
        e->val.type = OBJ_STRING;
        e->val.encoding = OBJ_ENCODING_INT;
        e->val.ptr = NULL;
        dbEntryMarkSnapshotWritten(e);
        return;
    }
    dbBeforeKeyChange(db, e);
}

/* --- lookups ---------------------------------------------------------- */

static inline int entryIsExpired(const dbEntry *e) {
    if (!(e->flags & DBE_HAS_EXPIRE)) return 0;
    if (server.loading) return 0;
    return dbEntryExpire(e) < server.cmd_time_snapshot;
}

/* LRU clock or LFU counter, as the maxmemory-policy wants (evict.h). */
static void updateLRU(dbEntry *e) {
    evictUpdateAccess(&e->val);
}

/* Deletes e (expired) and counts it. */
static void deleteExpiredEntry(redisDb *db, dbEntry *e) {
    robj *keyobj = dbEntryKeyObject(e);
    deleteExpiredKeyAndPropagate(db, keyobj);
    decrRefCount(keyobj);
}

static dbEntry *lookupEntry(redisDb *db, robj *key, int flags) {
    dbEntry *e = htabFind(db->keys, key->ptr, rstrLen(key->ptr));
    if (e && entryIsExpired(e)) {
        if (!(flags & LOOKUP_NOEXPIRE)) deleteExpiredEntry(db, e);
        e = NULL;
    }
    return e;
}

robj *lookupKeyReadWithFlags(redisDb *db, robj *key, int flags) {
    dbEntry *e = lookupEntry(db, key, flags);
    if (!(flags & LOOKUP_NOSTATS)) {
        if (e)
            server.stat_keyspace_hits++;
        else
            server.stat_keyspace_misses++;
    }
    if (!e) {
        if (!(flags & LOOKUP_NONOTIFY)) notifyKeyspaceEvent(NOTIFY_KEY_MISS, "keymiss", key, db->id);
        return NULL;
    }
    if (!(flags & LOOKUP_NOTOUCH) &&
        !(server.current_client && (server.current_client->flags & CLIENT_NO_TOUCH)))
        updateLRU(e);
    return &e->val;
}

robj *lookupKeyRead(redisDb *db, robj *key) {
    return lookupKeyReadWithFlags(db, key, LOOKUP_NONE);
}

robj *lookupKeyWriteWithFlags(redisDb *db, robj *key, int flags) {
    dbEntry *e = lookupEntry(db, key, flags);
    if (!e) return NULL;
    dbBeforeKeyChange(db, e);
    if (!(flags & LOOKUP_NOTOUCH)) updateLRU(e);
    return &e->val;
}

robj *lookupKeyWrite(redisDb *db, robj *key) {
    return lookupKeyWriteWithFlags(db, key, LOOKUP_NONE);
}

robj *lookupKeyReadOrReply(client *c, robj *key, const char *reply) {
    robj *o = lookupKeyRead(c->db, key);
    if (!o) addReplyProto(c, reply, strlen(reply));
    return o;
}

robj *lookupKeyWriteOrReply(client *c, robj *key, const char *reply) {
    robj *o = lookupKeyWrite(c->db, key);
    if (!o) addReplyProto(c, reply, strlen(reply));
    return o;
}

int checkType(client *c, robj *o, int type) {
    if (o && o->type != (unsigned)type) {
        addReplyErrorWrongType(c);
        return 1;
    }
    return 0;
}

/* Loading: keys are added in one step and one hash probe each, without
 * notifications, through a short queue.  Loading is bound by cache misses
 * (the bucket slot, then the entries already in its chain, for the
 * duplicate check), so each key's bucket is prefetched when it is queued,
 * its chain head halfway through the queue, and the key is inserted
 * LOAD_AHEAD keys later, when both are in cache. */
#define LOAD_AHEAD 8

static struct loadSlot {
    redisDb *db;
    dbEntry *e;
    uint64_t hash;
} loadQueue[LOAD_AHEAD];
static int loadHead, loadCount;
static char loadDuplicate[128]; /* key of the last duplicate met */

static int loadInsert(struct loadSlot *s) {
    dbEntry *e = s->e;
    htab *keys = s->db->keys;
    if (htabFindWithHash(keys, entryKeyPtr(e), e->keylen, s->hash)) {
        snprintf(loadDuplicate, sizeof(loadDuplicate), "%.*s",
                 (int)(e->keylen < 64 ? e->keylen : 64), entryKeyPtr(e));
        entryFree(e);
        return 0;
    }
    htabInsertWithHash(keys, e, s->hash);
    if (e->flags & DBE_HAS_EXPIRE) {
        expireNode *n = zmalloc(sizeof(*n));
        n->next = NULL;
        n->entry = e;
        htabInsert(s->db->expires, n);
    }
    return 1;
}

int dbAddLoaded(redisDb *db, const char *key, size_t keylen, robj *val, long long expire) {
    uint64_t hash = htabHashKey(db->keys, key, keylen);
    htabPrefetchBucket(db->keys, hash);
    dbEntry *e = entryCreate(key, keylen, val, expire);
    int ok = 1;
    if (loadCount == LOAD_AHEAD) {
        ok = loadInsert(&loadQueue[loadHead]);
        loadHead = (loadHead + 1) % LOAD_AHEAD;
        loadCount--;
    }
    if (loadCount >= LOAD_AHEAD / 2) {
        struct loadSlot *mid = &loadQueue[(loadHead + loadCount - LOAD_AHEAD / 2) % LOAD_AHEAD];
        htabPrefetchChain(mid->db->keys, mid->hash);
    }
    loadQueue[(loadHead + loadCount) % LOAD_AHEAD] = (struct loadSlot){db, e, hash};
    loadCount++;
    return ok;
}

int dbAddLoadedFlush(void) {
    int ok = 1;
    while (loadCount) {
        if (!loadInsert(&loadQueue[loadHead])) ok = 0;
        loadHead = (loadHead + 1) % LOAD_AHEAD;
        loadCount--;
    }
    return ok;
}

const char *dbLoadedDuplicateKey(void) {
    return loadDuplicate;
}

void dbExpandTables(redisDb *db, size_t keys, size_t expires) {
    htabExpand(db->keys, keys);
    htabExpand(db->expires, expires);
}

/* Values handed out by lookups live inside their entry. */
static dbEntry *entryOfValue(const robj *val) {
    return (dbEntry *)((char *)val - offsetof(dbEntry, val));
}

void dbValueSetUnshared(robj *val, int unshared) {
    dbEntry *e = entryOfValue(val);
    if (unshared)
        e->flags |= DBE_UNSHARED;
    else
        e->flags &= (uint8_t)~DBE_UNSHARED;
}

int dbValueIsUnshared(const robj *val) {
    return (entryOfValue(val)->flags & DBE_UNSHARED) != 0;
}

int dbExists(redisDb *db, robj *key) {
    return htabFind(db->keys, key->ptr, rstrLen(key->ptr)) != NULL;
}

/* --- writes ----------------------------------------------------------- */

void dbAdd(redisDb *db, robj *key, robj *val) {
    dbEntry *e = entryCreate(key->ptr, rstrLen(key->ptr), val, -1);
    htabInsert(db->keys, e);
    signalKeyAsReady(db, key, e->val.type); /* blocked.c: BLPOP & co. */
    notifyKeyspaceEvent(NOTIFY_NEW, "new", key, db->id);
}

static void dbOverwriteEntry(redisDb *db, dbEntry *old, robj *val, int keepttl) {
    dbBeforeValueDrop(db, old);
    long long expire = keepttl ? dbEntryExpire(old) : -1;
    /* An LRU/LFU history belongs to the key, not to the value: restored
     * into the entry below whatever the new value carried (Redis keeps the
     * LFU counter across overwrites; under LRU the caller just touched it). */
    unsigned int access = old->val.lru;
    /* Fast path: the layout keeps its expire slot (or lack of one) and the
     * new value fits the allocation: rewrite the value in place, with no
     * allocation and no relinking (the common "SET an existing key").  An
     * allocation more than twice what is needed is not reused, so a key
     * that shrank does not keep its old size. */
    int had_expire = (old->flags & DBE_HAS_EXPIRE) != 0;
    if (had_expire == (expire >= 0)) {
        size_t need = entrySizeFor(old->keylen, had_expire, val);
        size_t have = zmallocSize(old);
        if (need <= have && need * 2 > have) {
            freeObjectPayload(&old->val);
            entryTakeValue(old, val);
            old->val.lru = access;
            old->flags &= (uint8_t)~DBE_UNSHARED; /* a new value */
            return;
        }
    }
    dbEntry *e = entryCreate(entryKeyPtr(old), old->keylen, val, expire);
    e->val.lru = access;
    entryReplace(db, old, e);
    entryFree(old);
}

void dbOverwrite(redisDb *db, robj *key, robj *val) {
    dbEntry *old = htabFind(db->keys, key->ptr, rstrLen(key->ptr));
    serverAssert(old != NULL);
    dbOverwriteEntry(db, old, val, 1);
}

void setKey(client *c, redisDb *db, robj *key, robj *val, int flags) {
    dbEntry *old = NULL;
    if (!(flags & SETKEY_DOESNT_EXIST)) old = lookupEntry(db, key, LOOKUP_NONE);
    /* Finding the key counts as an access, as a write lookup would. */
    if (old && !(flags & SETKEY_ALREADY_EXIST)) updateLRU(old);
    if (old)
        dbOverwriteEntry(db, old, val, flags & SETKEY_KEEPTTL);
    else
        dbAdd(db, key, val);
    if (!(flags & SETKEY_NO_SIGNAL)) signalModifiedKey(c, db, key);
}

static void unlinkEntry(redisDb *db, dbEntry *e) {
    if (e->flags & DBE_HAS_EXPIRE) htabDelete(db->expires, entryKeyPtr(e), e->keylen);
    htabUnlink(db->keys, entryKeyPtr(e), e->keylen);
}

int dbGenericDelete(redisDb *db, robj *key, int async) {
    dbEntry *e = htabFind(db->keys, key->ptr, rstrLen(key->ptr));
    if (!e) return 0;
    dbBeforeValueDrop(db, e);
    unlinkEntry(db, e);
    if (async && e->val.type != OBJ_STRING) {
        /* Move the payload into a standalone object for the lazy-free
         * thread; the entry itself is small and freed here. */
        robj *o = createObject(e->val.type, e->val.ptr);
        o->encoding = e->val.encoding;
        freeObjAsync(key, o, db->id);
        zfree(e);
    } else {
        entryFree(e);
    }
    return 1;
}

int dbDelete(redisDb *db, robj *key) {
    return dbGenericDelete(db, key, server.lazyfree_lazy_server_del);
}

int dbSyncDelete(redisDb *db, robj *key) {
    return dbGenericDelete(db, key, 0);
}

int dbAsyncDelete(redisDb *db, robj *key) {
    return dbGenericDelete(db, key, 1);
}

robj *dbRandomKey(redisDb *db) {
    /* Bounded retries: when every key is expired but not yet reclaimed, the
     * loop deletes them as it meets them, so it ends. */
    for (int tries = 0; tries < 100 && htabSize(db->keys); tries++) {
        dbEntry *e = htabRandomEntry(db->keys);
        if (!e) return NULL;
        if (entryIsExpired(e)) {
            /* All keys volatile and possibly expired: give up after a while
             * rather than looping forever (Redis does the same). */
            if (htabSize(db->keys) == htabSize(db->expires) && tries >= 99) return dbEntryKeyObject(e);
            deleteExpiredEntry(db, e);
            continue;
        }
        return dbEntryKeyObject(e);
    }
    return NULL;
}

static void emptyDbTablesNow(redisDb *db, int async);

static void emptyDbTables(redisDb *db, int async) {
    if (tablesAdoptHook && tablesAdoptHook(db->keys, db->expires)) {
        /* The snapshot in progress keeps the old tables (its point-in-time
         * view) and frees them when done: O(1) here, like a forked child
         * that still sees the flushed keys. */
        db->keys = htabCreate(&keysTableType);
        db->expires = htabCreate(&expiresTableType);
    } else {
        if (keyChangeHook) {
            /* Tables the snapshot did not take hold no key of its image,
             * but a key moved in by MOVE may still be unwritten. */
            htabIterator it;
            htabIterInit(&it, db->keys);
            dbEntry *e;
            while ((e = htabIterNext(&it))) dbBeforeKeyChange(db, e);
            htabIterRelease(&it);
        }
        emptyDbTablesNow(db, async);
    }
    db->avg_ttl = 0;
    db->expires_cursor = 0;
}

static void emptyDbTablesNow(redisDb *db, int async) {
    if (async) {
        freeTablesAsync(db->keys, db->expires);
        db->keys = htabCreate(&keysTableType);
        db->expires = htabCreate(&expiresTableType);
    } else {
        htabEmpty(db->expires, NULL);
        htabEmpty(db->keys, NULL);
    }
}

long long emptyData(int dbnum, int async, void (*callback)(htab *)) {
    (void)callback;
    long long removed = 0;
    signalFlushedDb(dbnum, async); /* before the keys go: WATCH compares */
    int start = dbnum == -1 ? 0 : dbnum;
    int end = dbnum == -1 ? numDatabases - 1 : dbnum;
    for (int j = start; j <= end; j++) {
        removed += dbSize(&databases[j]);
        emptyDbTables(&databases[j], async);
    }
    return removed;
}

int dbSwapDatabases(int id1, int id2) {
    redisDb *a = dbGet(id1), *b = dbGet(id2);
    if (!a || !b) return C_ERR;
    if (id1 == id2) return C_OK;
    /* WATCHers of either side see their keys replaced (multi.c). */
    if (touchAllWatchedKeysInDb) {
        touchAllWatchedKeysInDb(a, b);
        touchAllWatchedKeysInDb(b, a);
    }
    htab *k = a->keys, *x = a->expires;
    long long ttl = a->avg_ttl;
    unsigned long cur = a->expires_cursor;
    a->keys = b->keys;
    a->expires = b->expires;
    a->avg_ttl = b->avg_ttl;
    a->expires_cursor = b->expires_cursor;
    b->keys = k;
    b->expires = x;
    b->avg_ttl = ttl;
    b->expires_cursor = cur;
    /* Clients blocked in either db may now find their keys. */
    blockedScanDbForReadyKeys(a);
    blockedScanDbForReadyKeys(b);
    return C_OK;
}

int dbMoveKey(redisDb *src, redisDb *dst, robj *key) {
    dbEntry *e = lookupEntry(src, key, LOOKUP_NONE);
    if (!e) return C_ERR;
    if (lookupEntry(dst, key, LOOKUP_NONE)) return C_ERR;
    dbBeforeKeyChange(src, e);
    unlinkEntry(src, e);
    e->flags = (uint8_t)((e->flags & ~DBE_SNAP_GEN) | snapshotGen);
    htabInsert(dst->keys, e);
    if (e->flags & DBE_HAS_EXPIRE) {
        expireNode *n = zmalloc(sizeof(*n));
        n->next = NULL;
        n->entry = e;
        htabInsert(dst->expires, n);
    }
    signalKeyAsReady(dst, key, e->val.type);
    return C_OK;
}

void dbRenameKey(redisDb *db, robj *src, robj *dst) {
    dbEntry *e = lookupEntry(db, src, LOOKUP_NONE);
    serverAssert(e != NULL);
    long long expire = dbEntryExpire(e);
    uint8_t unshared = e->flags & DBE_UNSHARED;
    dbBeforeKeyChange(db, e);
    /* Move the value into a standalone object, then into a new entry. */
    robj *val;
    if (e->val.type == OBJ_STRING && e->val.encoding == OBJ_ENCODING_EMBSTR) {
        val = createEmbeddedStringObject(e->val.ptr, rstrLen(e->val.ptr));
    } else {
        val = createObject(e->val.type, e->val.ptr);
        val->encoding = e->val.encoding;
        e->val.type = OBJ_STRING;
        e->val.encoding = OBJ_ENCODING_INT; /* the payload moved: nothing left to free */
    }
    val->lru = e->val.lru;
    unlinkEntry(db, e);
    entryFree(e);
    dbEntry *old = lookupEntry(db, dst, LOOKUP_NONE);
    if (old) {
        dbBeforeValueDrop(db, old);
        unlinkEntry(db, old);
        entryFree(old);
    }
    dbEntry *n = entryCreate(dst->ptr, rstrLen(dst->ptr), val, expire);
    n->flags |= unshared;
    htabInsert(db->keys, n);
    signalKeyAsReady(db, dst, n->val.type);
    if (expire >= 0) {
        expireNode *x = zmalloc(sizeof(*x));
        x->next = NULL;
        x->entry = n;
        htabInsert(db->expires, x);
    }
}

unsigned long dbScan(redisDb *db, unsigned long cursor, dbScanCallback *fn, void *privdata) {
    return htabScan(db->keys, cursor, (htabScanFunction *)fn, privdata);
}

/* --- expiry ----------------------------------------------------------- */

long long getExpire(redisDb *db, robj *key) {
    dbEntry *e = htabFind(db->keys, key->ptr, rstrLen(key->ptr));
    return e ? dbEntryExpire(e) : -1;
}

static void entrySetExpire(redisDb *db, dbEntry *e, long long when) {
    if (e->flags & DBE_HAS_EXPIRE) {
        memcpy(e->data, &when, sizeof(when));
        return;
    }
    /* The entry grows by 8 bytes: rebuild it with the expire slot. */
    size_t tail = e->keylen + 1;
    int embed = e->val.type == OBJ_STRING && e->val.encoding == OBJ_ENCODING_EMBSTR;
    size_t vlen = embed ? rstrLen(e->val.ptr) : 0;
    size_t size = sizeof(dbEntry) + sizeof(long long) + tail + (embed ? rstrEmbeddedSize(vlen) : 0);
    dbEntry *n = zmalloc(size);
    *n = *e;
    n->flags |= DBE_HAS_EXPIRE;
    memcpy(n->data, &when, sizeof(when));
    char *k = n->data + sizeof(long long);
    memcpy(k, entryKeyPtr(e), tail);
    if (embed) n->val.ptr = rstrInitEmbedded(k + tail, e->val.ptr, vlen);
    entryReplace(db, e, n);
    zfree(e); /* payload (if any) now belongs to n */
}

void setExpire(client *c, redisDb *db, robj *key, long long when) {
    (void)c;
    dbEntry *e = htabFind(db->keys, key->ptr, rstrLen(key->ptr));
    serverAssert(e != NULL);
    dbBeforeKeyChange(db, e);
    entrySetExpire(db, e, when);
}

int removeExpire(redisDb *db, robj *key) {
    dbEntry *e = htabFind(db->keys, key->ptr, rstrLen(key->ptr));
    if (!e || !(e->flags & DBE_HAS_EXPIRE)) return 0;
    dbBeforeKeyChange(db, e);
    size_t tail = e->keylen + 1;
    int embed = e->val.type == OBJ_STRING && e->val.encoding == OBJ_ENCODING_EMBSTR;
    size_t vlen = embed ? rstrLen(e->val.ptr) : 0;
    dbEntry *n = zmalloc(sizeof(dbEntry) + tail + (embed ? rstrEmbeddedSize(vlen) : 0));
    *n = *e;
    n->flags &= (uint8_t)~DBE_HAS_EXPIRE;
    memcpy(n->data, entryKeyPtr(e), tail);
    if (embed) n->val.ptr = rstrInitEmbedded(n->data + tail, e->val.ptr, vlen);
    entryReplace(db, e, n);
    zfree(e);
    return 1;
}

int keyIsExpired(redisDb *db, robj *key) {
    dbEntry *e = htabFind(db->keys, key->ptr, rstrLen(key->ptr));
    return e && entryIsExpired(e);
}

int expireIfNeeded(redisDb *db, robj *key, int flags) {
    dbEntry *e = htabFind(db->keys, key->ptr, rstrLen(key->ptr));
    if (!e || !entryIsExpired(e)) return 0;
    if (flags & LOOKUP_NOEXPIRE) return 1;
    deleteExpiredEntry(db, e);
    return 1;
}

void deleteExpiredKeyAndPropagate(redisDb *db, robj *keyobj) {
    dbGenericDelete(db, keyobj, server.lazyfree_lazy_expire);
    server.stat_expiredkeys++;
    notifyKeyspaceEvent(NOTIFY_EXPIRED, "expired", keyobj, db->id);
    signalModifiedKey(NULL, db, keyobj);
}

/* --- active expiry ---------------------------------------------------- */

/* Adaptive like Redis's: each cron call (hz times a second) may spend a
 * slice of CPU proportional to the effort setting; within it, keep sampling
 * volatile keys while more than (10 - effort)% of the sampled keys were
 * expired.  A fast cycle (1 ms budget) also runs before sleeping when the
 * last slow cycle ran out of time, so a flood of expiring keys is reclaimed
 * without waiting for the next tick. */
typedef struct expireSampleState {
    long long now;
    long long sampled;
    long long expired;
    long long ttl_sum;
    long long ttl_samples;
    redisDb *db;
    robj **victims;
    int nvictims;
    int cap;
} expireSampleState;

static void expireSampleCallback(void *privdata, void *entry) {
    expireSampleState *st = privdata;
    expireNode *n = entry;
    long long when = dbEntryExpire(n->entry);
    st->sampled++;
    if (when < st->now) {
        if (st->nvictims < st->cap) st->victims[st->nvictims++] = dbEntryKeyObject(n->entry);
    } else {
        st->ttl_sum += when - st->now;
        st->ttl_samples++;
    }
}

void activeExpireCycle(int type) {
    static int current_db = 0;
    static int timelimit_exit = 0;
    static long long last_fast_cycle = 0;
    int effort = server.active_expire_effort - 1; /* 0..9 */
    unsigned long keys_per_loop = 20 + 20 / 4 * (unsigned long)effort;
    unsigned long fast_duration = 1000 + 1000 / 4 * (unsigned long)effort;
    unsigned long slow_cpu = 25 + 2 * (unsigned long)effort;
    int acceptable_stale = 10 - effort;
    long long start = ustime();
    long long timelimit;

    if (type == ACTIVE_EXPIRE_CYCLE_FAST) {
        if (!timelimit_exit) return;
        if (start < last_fast_cycle + (long long)fast_duration * 2) return;
        last_fast_cycle = start;
        timelimit = (long long)fast_duration;
    } else {
        timelimit = (long long)slow_cpu * 1000000 / server.hz / 100;
        if (timelimit <= 0) timelimit = 1;
    }
    timelimit_exit = 0;
    int dbs = numDatabases < 16 ? numDatabases : 16;
    robj *victims[512];
    for (int j = 0; j < dbs && !timelimit_exit; j++) {
        redisDb *db = &databases[current_db % numDatabases];
        current_db++;
        int iteration = 0;
        for (;;) {
            if (htabSize(db->expires) == 0) {
                db->avg_ttl = 0;
                break;
            }
            expireSampleState st = {.now = mstime(), .db = db, .victims = victims, .cap = 512};
            server.cmd_time_snapshot = st.now;
            unsigned long max_buckets = keys_per_loop * 20;
            unsigned long buckets = 0;
            /* Walk the volatile index with the scan cursor: sampling is
             * cheap and covers the whole index over successive cycles. */
            do {
                db->expires_cursor = htabScan(db->expires, db->expires_cursor, expireSampleCallback, &st);
                buckets++;
            } while (db->expires_cursor && (unsigned long)st.sampled < keys_per_loop &&
                     buckets < max_buckets && st.nvictims < 400);
            for (int v = 0; v < st.nvictims; v++) {
                if (keyIsExpired(db, victims[v])) {
                    deleteExpiredKeyAndPropagate(db, victims[v]);
                    st.expired++;
                }
                decrRefCount(victims[v]);
            }
            if (st.ttl_samples) {
                long long avg = st.ttl_sum / st.ttl_samples;
                db->avg_ttl = db->avg_ttl ? (db->avg_ttl / 50) * 49 + avg / 50 : avg;
            }
            iteration++;
            if ((iteration & 0xf) == 0 && ustime() - start > timelimit) {
                timelimit_exit = 1;
                server.stat_expired_time_cap_reached_count++;
                break;
            }
            if (st.sampled == 0 || st.expired * 100 <= st.sampled * acceptable_stale) break;
            if (ustime() - start > timelimit) {
                timelimit_exit = 1;
                server.stat_expired_time_cap_reached_count++;
                break;
            }
        }
    }
    long long elapsed = ustime() - start;
    server.stat_expire_cycle_time_used += elapsed;
    latencyAddSampleIfNeeded("expire-cycle", elapsed / 1000); /* latency.h */
}

/* --- notifications (extended by later issues) ------------------------- */

#define MAX_MODIFIED_HOOKS 8
static void (*modifiedKeyHooks[MAX_MODIFIED_HOOKS])(client *c, redisDb *db, robj *key);
static int modifiedKeyHooksCount = 0;

void dbRegisterModifiedKeyHook(void (*fn)(client *c, redisDb *db, robj *key)) {
    if (modifiedKeyHooksCount < MAX_MODIFIED_HOOKS) modifiedKeyHooks[modifiedKeyHooksCount++] = fn;
}

void signalModifiedKey(client *c, redisDb *db, robj *key) {
    for (int i = 0; i < modifiedKeyHooksCount; i++) modifiedKeyHooks[i](c, db, key);
}

void signalFlushedDb(int dbid, int async) {
    (void)async;
    int start = dbid == -1 ? 0 : dbid;
    int end = dbid == -1 ? numDatabases - 1 : dbid;
    for (int j = start; j <= end; j++)
        if (touchAllWatchedKeysInDb) touchAllWatchedKeysInDb(&databases[j], NULL);
}

/* Keyspace notifications live in notify.c; this empty default is replaced
 * by its definition when that module is linked. */
__attribute__((weak)) void notifyKeyspaceEvent(int type, const char *event, robj *key, int dbid) {
    (void)type;
    (void)event;
    (void)key;
    (void)dbid;
}
