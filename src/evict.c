/* evict.c -- maxmemory: choosing keys to evict, and the -OOM gate.
 *
 * What is counted.  The limit is compared with what the allocator wrapper
 * reports (zmallocUsedMemory) minus memory that is deliberately left out:
 * Redis leaves out replica output buffers and the AOF buffers so that
 * evicting keys cannot feed itself (deleting a key grows those buffers).
 * ringkv has neither, so nothing is subtracted; normal clients' buffers are
 * counted, as in Redis 7.0.
 *
 * When.  The dispatcher calls evictBeforeCommandOrReply() before every
 * command.  Under the limit that costs one load and one comparison: no
 * sampling happens unless memory is over maxmemory.  Over it, keys are
 * evicted until enough bytes were freed; if that takes longer than the
 * budget maxmemory-eviction-tenacity allows, a timer event carries on between
 * commands and the command runs anyway (only EVICT_FAIL, "nothing left to
 * evict", refuses denyoom commands).
 *
 * Which keys.  The policies rank keys by a score where higher means "evict
 * first": idle milliseconds (LRU), 255 minus the decayed LFU counter (LFU),
 * or ULLONG_MAX minus the expire time (volatile-ttl).  Ranking every key is
 * too expensive, so each round samples maxmemory-samples keys from every
 * non-empty database (from the volatile-keys index for volatile-*) and
 * merges them into a small pool of the best candidates seen so far, kept
 * sorted by score and carried over between rounds and calls.  The pool is
 * what makes the approximation good: a key that scored well in an earlier
 * sample stays a candidate until something better shows up.  The best
 * entry is re-checked against the keyspace before eviction, because it may
 * have been deleted (or lost its TTL) since it was sampled.  The random
 * policies just pick a random key, visiting databases round-robin.
 *
 * Access data.  evictUpdateAccess() (evict.h) is called by every lookup;
 * under LRU it is one store of the cached clock.  The LFU counter is a
 * Morris-style logarithmic counter: an access increments it with
 * probability 1 / ((counter - LFU_INIT_VAL) * lfu-log-factor + 1), and
 * it loses one unit per lfu-decay-time minutes without accesses (applied
 * lazily, on the next access or when sampled). */
#include "evict.h"

#include <limits.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "commands.h"
#include "db.h"
#include "latency.h"
#include "reply.h"
#include "util.h"
#include "zmalloc.h"

struct evictSettings evictCfg = {.tenacity = 10, .lfu_log_factor = 10, .lfu_decay_time = 1};

/* Pool of candidates: EVICT_POOL_SIZE slots sorted by ascending score, so
 * the best candidate is the rightmost used slot.  Used slots are always a
 * prefix of the array (entries are only taken from the right end).  Each
 * slot owns a small key buffer allocated once, so the common case (short
 * keys) never allocates while sampling; longer keys get their own copy. */
#define EVICT_POOL_SIZE 16
#define EVICT_POOL_KEY_BUF 255

typedef struct evictPoolEntry {
    unsigned long long score; /* higher = evict sooner */
    char *key;                /* NULL = empty slot; keybuf or a heap copy */
    size_t keylen;
    int dbid;
    char keybuf[EVICT_POOL_KEY_BUF + 1];
} evictPoolEntry;

/* Slots are shuffled as pointers; the storage never moves.  Statically
 * initialized so eviction works even before evictInit(). */
static evictPoolEntry evictPoolStore[EVICT_POOL_SIZE];
static evictPoolEntry *evictPool[EVICT_POOL_SIZE] = {
    &evictPoolStore[0],  &evictPoolStore[1],  &evictPoolStore[2],  &evictPoolStore[3],
    &evictPoolStore[4],  &evictPoolStore[5],  &evictPoolStore[6],  &evictPoolStore[7],
    &evictPoolStore[8],  &evictPoolStore[9],  &evictPoolStore[10], &evictPoolStore[11],
    &evictPoolStore[12], &evictPoolStore[13], &evictPoolStore[14], &evictPoolStore[15],
};
_Static_assert(EVICT_POOL_SIZE == 16, "evictPool's initializer lists 16 slots");

/* The node type of db.c's volatile-keys index (db->expires): the chain
 * link, then the key's entry.  db.h does not export it; this mirrors it.
 * (Requested from db.h: an accessor from an expires node to its entry.) */
typedef struct evictExpireNode {
    void *next;
    dbEntry *entry;
} evictExpireNode;

static int evictTimerRunning = 0;
static unsigned int evictNextRandomDb = 0;

/* Small private generator for the LFU coin flips: rand() would share state
 * with everything else and costs a libc call per read hit. */
static uint64_t evictRandState = 0x9e3779b97f4a7c15ULL;

static double evictRandUnit(void) {
    uint64_t x = evictRandState;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    evictRandState = x;
    return (double)(x >> 11) / (double)(1ULL << 53);
}

/* ------------------------------------------------------------------------ */
/* Access data                                                               */
/* ------------------------------------------------------------------------ */

static unsigned long evictLfuNowMinutes(void) {
    return ((unsigned long)server.unixtime / 60) & 65535;
}

/* Minutes since ldt on the 16-bit wrapping minute clock. */
static unsigned long evictLfuElapsed(unsigned long ldt) {
    unsigned long now = evictLfuNowMinutes();
    if (now >= ldt) return now - ldt;
    return 65535 - ldt + now;
}

unsigned long evictLfuDecrAndReturn(const robj *o) {
    unsigned long ldt = o->lru >> 8;
    unsigned long counter = o->lru & 255;
    if (evictCfg.lfu_decay_time <= 0) return counter;
    unsigned long periods = evictLfuElapsed(ldt) / (unsigned long)evictCfg.lfu_decay_time;
    return periods >= counter ? 0 : counter - periods;
}

static unsigned long evictLfuLogIncr(unsigned long counter) {
    if (counter >= 255) return 255;
    double base = counter > EVICT_LFU_INIT_VAL ? (double)(counter - EVICT_LFU_INIT_VAL) : 0.0;
    double p = 1.0 / (base * evictCfg.lfu_log_factor + 1.0);
    if (evictRandUnit() < p) counter++;
    return counter;
}

void evictLfuTouch(robj *o) {
    unsigned long counter = evictLfuLogIncr(evictLfuDecrAndReturn(o));
    o->lru = (unsigned)((evictLfuNowMinutes() << 8) | counter);
}

unsigned int evictInitialAccess(void) {
    if (evictPolicyIsLfu()) return (unsigned)((evictLfuNowMinutes() << 8) | EVICT_LFU_INIT_VAL);
    return getLRUClock();
}

/* Milliseconds since the last access, from the 24-bit LRU clock (one wrap
 * of the clock, about 194 days, is allowed for). */
static unsigned long long evictIdleMs(const robj *o) {
    unsigned long long now = getLRUClock();
    unsigned long long then = o->lru;
    if (now >= then) return (now - then) * LRU_CLOCK_RESOLUTION;
    return (now + (LRU_CLOCK_MAX - then)) * LRU_CLOCK_RESOLUTION;
}

/* ------------------------------------------------------------------------ */
/* Memory state                                                              */
/* ------------------------------------------------------------------------ */

size_t evictNotCountedMemory(void) {
    /* Replica output buffers and AOF buffers would go here; ringkv has
     * neither.  Normal clients' buffers are counted (Redis 7.0 does too). */
    return 0;
}

/* Returns 1 and sets *tofree when memory is over the limit, else 0. */
static int evictOverLimit(size_t *tofree) {
    if (!server.maxmemory) return 0;
    size_t used = zmallocUsedMemory();
    if (used <= server.maxmemory) return 0;
    size_t overhead = evictNotCountedMemory();
    used = used > overhead ? used - overhead : 0;
    if (used <= server.maxmemory) return 0;
    if (tofree) *tofree = used - (size_t)server.maxmemory;
    return 1;
}

/* Eviction must leave the dataset alone while loading it and while clients
 * are paused (a pause promises a static dataset: no expiry, no eviction). */
static int evictIsSafe(void) {
    if (server.loading) return 0;
    if (checkClientPauseTimeoutAndReturnIfPaused()) return 0;
    return 1;
}

/* Time budget per call, from maxmemory-eviction-tenacity: linear up to 10
 * (500 us at the default), then growing 15% per step, unlimited at 100. */
static unsigned long long evictTimeLimitUs(void) {
    int t = evictCfg.tenacity;
    if (t <= 10) return 50ULL * (unsigned long long)t;
    if (t < 100) return (unsigned long long)(500.0 * pow(1.15, t - 10));
    return ULLONG_MAX;
}

/* ------------------------------------------------------------------------ */
/* The candidate pool                                                        */
/* ------------------------------------------------------------------------ */

static void evictPoolClearSlot(evictPoolEntry *p) {
    if (p->key && p->key != p->keybuf) zfree(p->key);
    p->key = NULL;
    p->keylen = 0;
}

static void evictPoolSetKey(evictPoolEntry *p, const char *key, size_t len) {
    if (len <= EVICT_POOL_KEY_BUF) {
        p->key = p->keybuf;
    } else {
        p->key = zmalloc(len + 1);
    }
    memcpy(p->key, key, len);
    p->key[len] = '\0';
    p->keylen = len;
}

/* Merges one sampled key into the pool if it beats the worst candidate or
 * there is room. */
static void evictPoolInsert(unsigned long long score, const char *key, size_t len, int dbid) {
    int k = 0;
    while (k < EVICT_POOL_SIZE && evictPool[k]->key && evictPool[k]->score < score) k++;
    if (k == 0 && evictPool[EVICT_POOL_SIZE - 1]->key != NULL) return; /* worse than all */

    evictPoolEntry *slot;
    if (k < EVICT_POOL_SIZE && evictPool[k]->key == NULL) {
        slot = evictPool[k]; /* first free slot, right after every better-scored key */
    } else if (evictPool[EVICT_POOL_SIZE - 1]->key == NULL) {
        /* Room on the right: shift k.. one place right, reuse the free slot. */
        slot = evictPool[EVICT_POOL_SIZE - 1];
        memmove(&evictPool[k + 1], &evictPool[k], sizeof(evictPool[0]) * (EVICT_POOL_SIZE - k - 1));
        evictPool[k] = slot;
    } else {
        /* Full: the worst candidate (slot 0) leaves, 1..k-1 shift left. */
        k--;
        slot = evictPool[0];
        evictPoolClearSlot(slot);
        memmove(&evictPool[0], &evictPool[1], sizeof(evictPool[0]) * (size_t)k);
        evictPool[k] = slot;
    }
    evictPoolClearSlot(slot);
    evictPoolSetKey(slot, key, len);
    slot->score = score;
    slot->dbid = dbid;
}

static unsigned long long evictScore(dbEntry *e) {
    robj *o = dbEntryVal(e);
    switch (server.maxmemory_policy) {
    case MAXMEMORY_ALLKEYS_LRU:
    case MAXMEMORY_VOLATILE_LRU:
        return evictIdleMs(o);
    case MAXMEMORY_ALLKEYS_LFU:
    case MAXMEMORY_VOLATILE_LFU:
        return 255 - evictLfuDecrAndReturn(o);
    case MAXMEMORY_VOLATILE_TTL:
        /* Sooner expiry = better candidate. */
        return ULLONG_MAX - (unsigned long long)dbEntryExpire(e);
    default:
        serverPanic("evictScore: policy %d does not rank keys", server.maxmemory_policy);
    }
}

static int evictPolicyIsVolatile(void) {
    int p = server.maxmemory_policy;
    return p == MAXMEMORY_VOLATILE_LRU || p == MAXMEMORY_VOLATILE_LFU ||
           p == MAXMEMORY_VOLATILE_RANDOM || p == MAXMEMORY_VOLATILE_TTL;
}

/* Samples maxmemory-samples keys of db into the pool. */
static void evictPoolPopulate(redisDb *db, int is_volatile) {
    void *stackbuf[64];
    htab *t = is_volatile ? db->expires : db->keys;
    /* Asking for more samples than keys only returns repeats. */
    size_t size = htabSize(t);
    unsigned want = (unsigned)server.maxmemory_samples;
    if (want > size) want = (unsigned)size;
    void **samples = want <= 64 ? stackbuf : zmalloc(sizeof(void *) * want);
    unsigned n = htabSampleEntries(t, samples, want);
    for (unsigned i = 0; i < n; i++) {
        dbEntry *e = is_volatile ? ((evictExpireNode *)samples[i])->entry : samples[i];
        size_t len;
        const char *key = dbEntryKey(e, &len);
        evictPoolInsert(evictScore(e), key, len, db->id);
    }
    if (samples != stackbuf) zfree(samples);
}

/* Picks the best candidate still in the keyspace.  Returns NULL when no
 * database has a key the policy may evict. */
static dbEntry *evictPickRanked(redisDb **dbout) {
    int is_volatile = evictPolicyIsVolatile();
    /* Bounded only as a safeguard: a fresh sample always holds live keys. */
    for (int round = 0; round < 100; round++) {
        size_t total = 0;
        for (int i = 0; i < server.dbnum; i++) {
            redisDb *db = dbGet(i);
            size_t size = htabSize(is_volatile ? db->expires : db->keys);
            if (size == 0) continue;
            evictPoolPopulate(db, is_volatile);
            total += size;
        }
        if (total == 0) return NULL;
        /* Best first.  Entries whose key went away since they were sampled
         * ("ghosts") are dropped and the next best is tried. */
        for (int k = EVICT_POOL_SIZE - 1; k >= 0; k--) {
            evictPoolEntry *p = evictPool[k];
            if (!p->key) continue;
            redisDb *db = dbGet(p->dbid);
            dbEntry *e = db ? dbFindEntry(db, p->key, p->keylen) : NULL;
            evictPoolClearSlot(p);
            if (e && (!is_volatile || dbEntryExpire(e) >= 0)) {
                *dbout = db;
                return e;
            }
        }
        /* Only ghosts: sample again. */
    }
    return NULL;
}

static dbEntry *evictPickRandom(redisDb **dbout) {
    int is_volatile = evictPolicyIsVolatile();
    for (int i = 0; i < server.dbnum; i++) {
        redisDb *db = dbGet((int)(++evictNextRandomDb % (unsigned)server.dbnum));
        htab *t = is_volatile ? db->expires : db->keys;
        if (htabSize(t) == 0) continue;
        void *pick = htabRandomEntry(t);
        if (!pick) continue;
        *dbout = db;
        return is_volatile ? ((evictExpireNode *)pick)->entry : pick;
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Evicting                                                                  */
/* ------------------------------------------------------------------------ */

static long long evictTimerProc(aeEventLoop *el, long long id, void *data) {
    (void)el;
    (void)id;
    (void)data;
    if (evictPerformEvictions() == EVICT_RUNNING) return 0; /* again as soon as possible */
    evictTimerRunning = 0;
    return AE_NOMORE;
}

static void evictStartTimer(void) {
    if (evictTimerRunning || !server.el) return;
    if (aeCreateTimeEvent(server.el, 0, evictTimerProc, NULL, NULL) == AE_ERR) return;
    evictTimerRunning = 1;
}

/* Deletes e's key as an eviction: stats, events, watchers.  Returns the
 * bytes this freed right away (0 when freeing was handed to lazyfree). */
static size_t evictKey(redisDb *db, dbEntry *e) {
    robj *keyobj = dbEntryKeyObject(e);
    size_t before = zmallocUsedMemory();
    long long lat = latencyStartMonitor(); /* LATENCY "eviction-del" (latency.h) */
    dbGenericDelete(db, keyobj, server.lazyfree_lazy_eviction);
    latencyEndMonitor("eviction-del", lat);
    size_t after = zmallocUsedMemory();
    server.stat_evictedkeys++;
    signalModifiedKey(NULL, db, keyobj);
    notifyKeyspaceEvent(NOTIFY_EVICTED, "evicted", keyobj, db->id);
    decrRefCount(keyobj);
    return before > after ? before - after : 0;
}

/* INFO total/current_eviction_exceeded_time: how long memory stayed over
 * maxmemory although eviction ran (it was still running, or had nothing
 * left to evict).  An interval opens when an eviction pass ends that way
 * and closes at the first pass that finds memory under the limit. */
static long long evictExceededSinceUs;  /* 0: not over the limit */
static long long evictExceededTotalUs;

static int evictTrackExceeded(int result) {
    if (result == EVICT_OK) {
        if (evictExceededSinceUs) {
            evictExceededTotalUs += ustime() - evictExceededSinceUs;
            evictExceededSinceUs = 0;
        }
    } else if (evictExceededSinceUs == 0) {
        evictExceededSinceUs = ustime();
    }
    return result;
}

void evictGetExceededTime(long long *total_ms, long long *current_ms) {
    long long current = evictExceededSinceUs ? ustime() - evictExceededSinceUs : 0;
    *total_ms = (evictExceededTotalUs + current) / 1000;
    *current_ms = current / 1000;
}

void evictResetExceededTime(void) {
    evictExceededTotalUs = 0;
    if (evictExceededSinceUs) evictExceededSinceUs = ustime();
}

int evictPerformEvictions(void) {
    size_t tofree;
    if (!evictOverLimit(&tofree)) return evictTrackExceeded(EVICT_OK);
    if (!evictIsSafe()) return evictTrackExceeded(EVICT_OK);

    int result = EVICT_FAIL;
    long long lat = latencyStartMonitor(); /* LATENCY "eviction-cycle" (latency.h) */
    /* The clock is read only once a second key is needed: the common case
     * (a write just crossed the limit, one eviction fixes it) then costs
     * no clock read at all, and the budget misses one key's deletion. */
    long long start = 0;
    unsigned long long budget = evictTimeLimitUs();
    if (server.maxmemory_policy != MAXMEMORY_NO_EVICTION) {
        int random = server.maxmemory_policy == MAXMEMORY_ALLKEYS_RANDOM ||
                     server.maxmemory_policy == MAXMEMORY_VOLATILE_RANDOM;
        size_t freed = 0;
        unsigned long evicted = 0;
        for (;;) {
            if (freed >= tofree) {
                result = EVICT_OK;
                break;
            }
            if (evicted == 1) start = ustime(); /* a second key is needed */
            redisDb *db = NULL;
            dbEntry *e = random ? evictPickRandom(&db) : evictPickRanked(&db);
            if (!e) break; /* nothing evictable: EVICT_FAIL */
            freed += evictKey(db, e);
            evicted++;
            /* Check the clock (and lazyfree's progress) every 16 keys. */
            if (evicted % 16 == 0) {
                if (server.lazyfree_lazy_eviction && !evictOverLimit(NULL)) {
                    result = EVICT_OK;
                    break;
                }
                if ((unsigned long long)(ustime() - start) > budget) {
                    evictStartTimer();
                    result = EVICT_RUNNING;
                    break;
                }
            }
        }
    }
    latencyEndMonitor("eviction-cycle", lat);
    if (result == EVICT_FAIL) {
        /* Deleted values may still be queued for the lazyfree thread: give
         * it the rest of the budget before refusing the command. */
        lat = latencyStartMonitor(); /* LATENCY "eviction-lazyfree" */
        if (start == 0) start = ustime();
        while (lazyfreeGetPendingObjectsCount() > 0 && (unsigned long long)(ustime() - start) < budget) {
            if (!evictOverLimit(NULL)) {
                result = EVICT_OK;
                break;
            }
            usleep(budget < 1000 ? (useconds_t)budget : 1000);
        }
        latencyEndMonitor("eviction-lazyfree", lat);
    }
    return evictTrackExceeded(result);
}

/* From multi.c, referenced weakly so eviction links without it.  The
 * union of the queued commands' flags: EXEC of a transaction holding a
 * denyoom command is itself refused.  And the rejection protocol: dooms a
 * transaction in progress, and when the refused command is EXEC, discards
 * it and replies -EXECABORT itself (returns 1). */
extern uint64_t multiQueuedCommandFlags(client *c) __attribute__((weak));
extern int multiCommandRejected(client *c, const char *err) __attribute__((weak));

#define EVICT_OOM_ERROR "-OOM command not allowed when used memory > 'maxmemory'."

int evictBeforeCommandOrReply(client *c) {
    /* The hot path: no limit, or under it with no eviction pending. */
    if (!server.maxmemory) return 0;
    if (!evictTimerRunning && zmallocUsedMemory() <= server.maxmemory) {
        /* Back under the limit: close an open "exceeded" interval. */
        if (evictExceededSinceUs) evictTrackExceeded(EVICT_OK);
        return 0;
    }

    if (evictPerformEvictions() != EVICT_FAIL) return 0;
    int deny = (c->cmd->flags & CMD_DENYOOM) != 0;
    if (c->flags & CLIENT_MULTI) {
        const char *name = c->cmd->fullname;
        int is_exec = !strcasecmp(name, "exec");
        /* Queuing itself takes memory, so inside MULTI anything but the
         * commands that end the transaction (or the connection) is
         * refused; EXEC only when it would run a denyoom command. */
        if (is_exec) {
            if (multiQueuedCommandFlags && (multiQueuedCommandFlags(c) & CMD_DENYOOM)) deny = 1;
        } else if (strcasecmp(name, "discard") && strcasecmp(name, "quit") && strcasecmp(name, "reset")) {
            deny = 1;
        }
    }
    if (!deny) return 0;
    c->cmd->rejected_calls++;
    if (multiCommandRejected) {
        if (multiCommandRejected(c, EVICT_OOM_ERROR)) return 1;
    } else if (c->flags & CLIENT_MULTI) {
        c->flags |= CLIENT_DIRTY_EXEC; /* EXEC will answer EXECABORT */
    }
    addReplyError(c, EVICT_OOM_ERROR);
    return 1;
}

void evictConfigChanged(void) {
    if (!server.maxmemory) return;
    size_t used = zmallocUsedMemory();
    size_t overhead = evictNotCountedMemory();
    used = used > overhead ? used - overhead : 0;
    if (used > server.maxmemory) {
        serverLog(LL_WARNING,
                  "maxmemory (%llu bytes) is now below the memory in use (%zu bytes): keys will be "
                  "evicted, or writes refused, as maxmemory-policy says.",
                  server.maxmemory, used);
    }
    evictStartTimer();
}

void evictInit(void) {
    evictRandState ^= (uint64_t)ustime() ^ ((uint64_t)getpid() << 32);
    if (evictRandState == 0) evictRandState = 1;
}
