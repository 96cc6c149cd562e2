/* db.h -- the keyspace: databases, keys, values, expiry (db.c, expire.c).
 *
 * A key lives in one allocation, a dbEntry, that holds the chain link of the
 * hash table, the value's robj header, the key bytes, the expire time (only
 * when the key has one) and, for strings up to 44 bytes, the value bytes:
 * one allocation per key instead of Redis's three (dictEntry, key sds, robj).
 *
 * Every change to the keyspace goes through the functions below (the write
 * choke point): lookups for writing, adds, overwrites, deletes, expiry,
 * flushes, renames, moves and swaps.  Each of them calls
 * dbBeforeKeyChange() for a key *before* it is modified or removed; the
 * snapshot writer hooks that to serialize the point-in-time value of a key it
 * has not written yet (DBE_SNAP_WRITTEN in the entry's flags, compared against
 * the current snapshot generation, tells whether it has).
 *
 * Pointers to values (robj*) returned by lookups stay valid until the next
 * keyspace call that modifies or deletes that key. */
#ifndef RINGKV_DB_H
#define RINGKV_DB_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "htab.h"
#include "object.h"

typedef struct dbEntry dbEntry; /* opaque outside db.c */

typedef struct redisDb {
    htab *keys;                   /* dbEntry by key bytes */
    htab *expires;                /* volatile keys: sampled by the active expire cycle */
    int id;
    long long avg_ttl;
    unsigned long expires_cursor; /* active expiry scan position */
    htab *blocking_keys;          /* issue 3: key -> list of blocked clients */
    htab *ready_keys;
    htab *watched_keys;           /* issue 5: key -> list of watching clients */
} redisDb;

/* Flags for lookups. */
#define LOOKUP_NONE 0
#define LOOKUP_NOTOUCH (1 << 0)  /* don't update LRU/LFU */
#define LOOKUP_NONOTIFY (1 << 1) /* don't fire keyspace events on lazy expiry */
#define LOOKUP_NOSTATS (1 << 2)  /* don't count hits/misses */
#define LOOKUP_WRITE (1 << 3)
#define LOOKUP_NOEXPIRE (1 << 4) /* don't delete an expired key (still reported missing) */

/* Flags for setKey. */
#define SETKEY_KEEPTTL 1
#define SETKEY_NO_SIGNAL 2
#define SETKEY_ALREADY_EXIST 4
#define SETKEY_DOESNT_EXIST 8

void dbInitAll(int dbnum);
redisDb *dbGet(int id);

/* Lookups.  Read lookups count hits/misses and touch LRU; write lookups call
 * the before-change hook.  Both delete the key first if it is expired. */
robj *lookupKeyRead(redisDb *db, robj *key);
robj *lookupKeyWrite(redisDb *db, robj *key);
robj *lookupKeyReadWithFlags(redisDb *db, robj *key, int flags);
robj *lookupKeyWriteWithFlags(redisDb *db, robj *key, int flags);
robj *lookupKeyReadOrReply(client *c, robj *key, const char *reply);
robj *lookupKeyWriteOrReply(client *c, robj *key, const char *reply);
/* Replies WRONGTYPE and returns 1 when o is not NULL and not of type. */
int checkType(client *c, robj *o, int type);

/* Writes.  `val` is consumed: the keyspace takes the caller's reference
 * (strings are copied into the entry and the object released), so the caller
 * must not use val afterwards. */
void dbAdd(redisDb *db, robj *key, robj *val);
void dbOverwrite(redisDb *db, robj *key, robj *val);  /* keeps the TTL */
void setKey(client *c, redisDb *db, robj *key, robj *val, int flags);
int dbDelete(redisDb *db, robj *key);
int dbSyncDelete(redisDb *db, robj *key);
int dbAsyncDelete(redisDb *db, robj *key);
int dbGenericDelete(redisDb *db, robj *key, int async);
int dbExists(redisDb *db, robj *key); /* no expiry check, no stats */
/* COPY's destination holds a private duplicate of the value, which Redis
 * does not share: OBJECT REFCOUNT must not report a small integer there as
 * shared (see db.c).  val is a value returned by a lookup; storing a new
 * value clears the mark, and so must an in-place rewrite (INCR). */
void dbValueSetUnshared(robj *val, int unshared);
int dbValueIsUnshared(const robj *val);
void dbExpandTables(redisDb *db, size_t keys, size_t expires);
/* Loading: queues the key for insertion (a few keys later, see db.c);
 * dbAddLoadedFlush inserts what is queued and must be called before the
 * loaded data is used.  Both return 0 when a key turned out to exist
 * already (that copy is dropped; dbLoadedDuplicateKey names it). */
int dbAddLoaded(redisDb *db, const char *key, size_t keylen, robj *val, long long expire);
int dbAddLoadedFlush(void);
const char *dbLoadedDuplicateKey(void);
robj *dbRandomKey(redisDb *db);       /* new string object, or NULL */
long long emptyData(int dbnum, int async, void (*callback)(htab *)); /* -1 = all */
long long dbSize(redisDb *db);
int dbSwapDatabases(int id1, int id2);
/* Moves the key (value and TTL) from src to dst; fails if dst has it. */
int dbMoveKey(redisDb *src, redisDb *dst, robj *key);
/* Renames within one db, keeping value and TTL; overwrites dst. */
void dbRenameKey(redisDb *db, robj *src, robj *dst);

/* Expiry. -1 = no expire. */
long long getExpire(redisDb *db, robj *key);
void setExpire(client *c, redisDb *db, robj *key, long long when);
int removeExpire(redisDb *db, robj *key);
int keyIsExpired(redisDb *db, robj *key);
int expireIfNeeded(redisDb *db, robj *key, int flags); /* 1 if deleted */
void activeExpireCycle(int type);
#define ACTIVE_EXPIRE_CYCLE_SLOW 0
#define ACTIVE_EXPIRE_CYCLE_FAST 1
void deleteExpiredKeyAndPropagate(redisDb *db, robj *keyobj);
long long dbExpiresCount(redisDb *db);

/* Notifications after a successful change (WATCH, blocking wake-ups,
 * keyspace events: later issues extend them). */
void signalModifiedKey(client *c, redisDb *db, robj *key);
void signalFlushedDb(int dbid, int async);
void notifyKeyspaceEvent(int type, const char *event, robj *key, int dbid);
#define NOTIFY_KEYSPACE (1 << 0)
#define NOTIFY_KEYEVENT (1 << 1)
#define NOTIFY_GENERIC (1 << 2)
#define NOTIFY_STRING (1 << 3)
#define NOTIFY_LIST (1 << 4)
#define NOTIFY_SET (1 << 5)
#define NOTIFY_HASH (1 << 6)
#define NOTIFY_ZSET (1 << 7)
#define NOTIFY_EXPIRED (1 << 8)
#define NOTIFY_EVICTED (1 << 9)
#define NOTIFY_STREAM (1 << 10)
#define NOTIFY_KEY_MISS (1 << 11)
#define NOTIFY_LOADED (1 << 12)
#define NOTIFY_MODULE (1 << 13)
#define NOTIFY_NEW (1 << 14)

/* Entries: iteration for KEYS/SCAN/snapshots/DEBUG. */
const char *dbEntryKey(const dbEntry *e, size_t *len);
robj *dbEntryVal(dbEntry *e);
long long dbEntryExpire(const dbEntry *e); /* -1 if none */
dbEntry *dbFindEntry(redisDb *db, const void *key, size_t len);
robj *dbEntryKeyObject(const dbEntry *e); /* new string object */
typedef void dbScanCallback(void *privdata, dbEntry *e);
unsigned long dbScan(redisDb *db, unsigned long cursor, dbScanCallback *fn, void *privdata);

/* The snapshot hook (issue 4): called with each entry about to change, while
 * a snapshot is in progress.  The snapshot generation bit (entry flag
 * compared with dbSnapshotGeneration) says whether the entry was written. */
typedef void dbKeyChangeHook(redisDb *db, dbEntry *e);
void dbSetKeyChangeHook(dbKeyChangeHook *hook);
/* Emptying a database while a snapshot runs (FLUSHDB): the hook may take
 * over the database's tables (returns 1; it frees them later) so that the
 * database just gets new empty ones, instead of every key being serialized
 * through the key change hook first. */
typedef int dbTablesAdoptHook(htab *keys, htab *expires);
void dbSetTablesAdoptHook(dbTablesAdoptHook *hook);
/* Deleting or replacing an unwritten key's value (DEL, UNLINK, expiry,
 * eviction, SET or RENAME over it): instead of serializing the value first,
 * the snapshot may take it over (returns 1: the keyspace then drops the key
 * without freeing the value's payload; the snapshot writes and frees it
 * later).  Issue 4: O(1) instead of linear in the value. */
typedef int dbValueAdoptHook(redisDb *db, dbEntry *e);
void dbSetValueAdoptHook(dbValueAdoptHook *hook);
int dbEntrySnapshotWritten(const dbEntry *e);
void dbEntryMarkSnapshotWritten(dbEntry *e);
void dbNewSnapshotGeneration(void); /* at snapshot start: every entry becomes "unwritten" */

/* Memory helpers. */
size_t dbEntryMemUsage(dbEntry *e);
/* The volatile-keys index: its table and one node per key with a TTL
 * (MEMORY STATS overhead.hashtable.expires). */
size_t dbExpiresIndexMemUsage(redisDb *db);
/* Hooks run by signalModifiedKey (WATCH, blocked clients: later issues). */
void dbRegisterModifiedKeyHook(void (*fn)(client *c, redisDb *db, robj *key));

/* Lazy free (lazyfree.c): frees big values off the event loop. */
void freeObjAsync(robj *key, robj *obj, int dbid);
void freeTablesAsync(htab *keys, htab *expires);
void lazyfreeInit(void);
void lazyfreeSetEffortFunction(int type, size_t (*fn)(robj *o));
size_t lazyfreeGetPendingObjectsCount(void);
size_t lazyfreeGetFreedObjectsCount(void);

#endif
