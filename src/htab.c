/* htab.c: intrusive chained hash table with incremental rehashing.
 *
 * What it owns: the keyspace's main index and the large encodings of hashes,
 * sets and sorted sets. With millions of keys the bytes spent per key, and
 * latency spikes while resizing, matter more than anything else here.
 *
 * Layout
 * ------
 *     htab
 *     +-----------+      table[0] (2^exp[0] slots)
 *     | table[0] -+----> [ * ][ 0 ][ * ][ 0 ] ...
 *     | table[1]  |        |         |
 *     | used[2]   |        v         v
 *     | rehashIdx |      +------+  +------+     caller's struct; its first
 *     | ...       |      | next-+->| next-+->0  member is the chain link
 *     +-----------+      | ...  |  | ...  |
 *                        +------+  +------+
 *
 * Intrusive: there is no per-entry node. The caller's struct begins with a
 * `void *` that the table uses as the chain link, so an entry costs one
 * pointer inside the caller's allocation plus its share of the bucket array
 * (8 bytes per bucket, 1 to 2 buckets per entry). Keys are not stored by the
 * table: htabType.entryKey returns them. Hashes are not stored either, so a
 * rehash recomputes the hash of each moved entry; that costs CPU once per
 * resize instead of 8 bytes per entry forever.
 *
 * Sizing: bucket counts are powers of two, so a hash maps to a bucket by
 * masking. The table grows when entries >= buckets (load factor 1) and shrinks
 * when entries < buckets/8, never below 4 buckets. While auto-resize is paused
 * (for example while a fork child saves, so copy-on-write does not duplicate a
 * whole bucket array) the table still grows at load factor 4: beyond that,
 * chains get long enough to hurt every lookup. Decisions are taken on insert,
 * on delete, and in htabResizeIfNeeded/htabRehashMicroseconds. No bucket array
 * is allocated until the first insert, because many small tables stay empty.
 *
 * Incremental rehashing: a resize allocates table[1] and sets rehashIdx to 0.
 * From then on every find/insert/delete first moves one bucket of table[0]
 * (visiting at most 10 empty buckets, so a sparse table cannot make one call
 * slow), and the server's cron calls htabRehashMicroseconds to move more.
 * While rehashing, buckets of table[0] below rehashIdx are empty, new entries
 * go to table[1], and a lookup probes table[0] only if its bucket there has
 * not been moved yet. When table[0] is empty it is freed and table[1] takes
 * its place. A shrink needs no hashing at all: the destination bucket is the
 * source index masked by the smaller mask.
 *
 * Pausing: while rehashing is paused no entry changes bucket and no table is
 * freed, which is what safe iterators and SCAN callbacks rely on. A resize may
 * still *start* while paused (table[1] is allocated and receives inserts, but
 * nothing moves), so a long-lived iterator does not stop the table growing.
 *
 * SCAN: the cursor is a bucket index whose bits are incremented from the most
 * significant end (reverse binary). Think of a hash h as the point rev(h) in
 * [0, 2^64): a bucket of a 2^k table then covers one interval of that line,
 * and the two buckets it splits into in a 2^(k+1) table cover its two halves.
 * Walking buckets in reverse-binary order therefore walks the line from left
 * to right whatever the table size, and a cursor is just "everything left of
 * rev(cursor) has been visited". A call starts at the bucket containing that
 * point in the current table(s) and returns the end of what it covered, so
 * resizes between calls can only cause entries to be visited again, never
 * skipped. While rehashing, a call visits one bucket of the smaller table and
 * the buckets of the larger table inside the same interval.
 *
 * Safe iterator: it copies the pointers of the current bucket's chain into
 * the iterator, and before returning one it checks that the pointer is still
 * in that chain. Comparing pointers never dereferences a removed entry, so the
 * caller may delete any entry, not only the current one. Chains are about one
 * entry long, so the check is cheap.
 *
 * Conventions: public names are htabXxx; everything else is static and
 * unprefixed. Allocation goes through zmalloc, which aborts on OOM, so no
 * function here fails for lack of memory.
 */
#include "htab.h"

#include <assert.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "siphash.h"
#include "zmalloc.h"

#define HTAB_MIN_EXP 2         /* smallest table: 4 buckets */
#define HTAB_MAX_EXP 48        /* 2^48 buckets: far beyond any real memory */
#define HTAB_FORCE_RATIO 4     /* grow at this load even if resizing is paused */
#define HTAB_SHRINK_RATIO 8    /* shrink below 1/8 load */
#define HTAB_EMPTY_VISITS 10   /* empty buckets a rehash step may skip per move */
#define HTAB_RANDOM_TRIES 128  /* random probes before a linear search */
#define HTAB_STATS_HIST 16     /* chain lengths shown individually in stats */

struct htab {
    const htabType *type;
    void **table[2];        /* bucket arrays; table[1] only while rehashing */
    size_t used[2];         /* entries in each table */
    long rehashIdx;         /* next table[0] bucket to move; -1: not rehashing */
    int8_t exp[2];          /* log2 of the bucket count; -1: not allocated */
    int16_t pauseRehash;    /* > 0: no bucket moves, no table is freed */
    int16_t pauseAutoResize;/* > 0: only forced grows start */
};

/* ---------------------------------------------------------------- helpers */

static uint8_t hashSeed[SIPHASH_KEY_LEN] = {
    0x5e, 0x1d, 0x7a, 0x33, 0x90, 0xc4, 0x0b, 0xe8,
    0x21, 0x6f, 0xd2, 0x48, 0xa7, 0x15, 0xbc, 0x99};

/* Per-thread PRNG (splitmix64) for random entries. It needs to be fast and
 * well spread, not unpredictable: sampling is not a security boundary. */
static _Thread_local uint64_t rngState = 0x243f6a8885a308d3ULL;

static uint64_t rngNext(void) {
    uint64_t z = (rngState += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform enough in [0, n): the modulo bias is below 2^-20 for any real n. */
static size_t rngBelow(size_t n) {
    return (size_t)(rngNext() % n);
}

/* The chain link is the entry's first member. */
static inline void *entryNext(const void *entry) {
    return *(void *const *)entry;
}

static inline void setNext(void *entry, void *next) {
    *(void **)entry = next;
}

static inline size_t numBuckets(const htab *t, int i) {
    return t->exp[i] < 0 ? 0 : (size_t)1 << t->exp[i];
}

static inline size_t bucketMask(const htab *t, int i) {
    return ((size_t)1 << t->exp[i]) - 1;
}

static inline int isRehashing(const htab *t) {
    return t->rehashIdx >= 0;
}

static int asciiCaseEqual(const unsigned char *a, const unsigned char *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
        if (x != y) return 0;
    }
    return 1;
}

static inline int entryHasKey(const htab *t, const void *entry, const void *key, size_t len) {
    size_t elen;
    const void *ekey = t->type->entryKey(entry, &elen);
    if (elen != len) return 0;
    if (t->type->nocase) return asciiCaseEqual(ekey, key, len);
    return memcmp(ekey, key, len) == 0;
}

static inline uint64_t hashEntry(const htab *t, const void *entry) {
    size_t len;
    const void *key = t->type->entryKey(entry, &len);
    return htabHashKey(t, key, len);
}

/* Smallest exponent whose table has at least n buckets, within limits. */
static int8_t expForSize(size_t n) {
    int8_t e = HTAB_MIN_EXP;
    while (e < HTAB_MAX_EXP && ((size_t)1 << e) < n) e++;
    return e;
}

/* ------------------------------------------------------------- rehashing */

static void finishRehash(htab *t) {
    zfree(t->table[0]);
    t->table[0] = t->table[1];
    t->exp[0] = t->exp[1];
    t->used[0] = t->used[1];
    t->table[1] = NULL;
    t->exp[1] = -1;
    t->used[1] = 0;
    t->rehashIdx = -1;
}

/* Moves bucket rehashIdx of table[0] into table[1]. */
static void moveBucket(htab *t) {
    size_t idx = (size_t)t->rehashIdx;
    size_t mask1 = bucketMask(t, 1);
    int shrinking = t->exp[1] < t->exp[0];
    void *e = t->table[0][idx];

    while (e) {
        void *next = entryNext(e);
        /* Shrinking keeps the low bits, which are the old index: no hash. */
        size_t dst = shrinking ? (idx & mask1) : (size_t)(hashEntry(t, e) & mask1);
        setNext(e, t->table[1][dst]);
        t->table[1][dst] = e;
        t->used[0]--;
        t->used[1]++;
        e = next;
    }
    t->table[0][idx] = NULL;
    t->rehashIdx++;
}

/* Moves up to n non-empty buckets, skipping at most 10*n empty ones.
 * Returns 1 if rehashing is still in progress afterwards. */
static int rehashSteps(htab *t, long long n) {
    if (!isRehashing(t)) return 0;
    if (t->pauseRehash > 0) return 1;

    long long emptyLeft = n * HTAB_EMPTY_VISITS;
    while (n-- > 0 && t->used[0] != 0) {
        /* used[0] != 0 guarantees a non-empty bucket at or after rehashIdx. */
        while (t->table[0][t->rehashIdx] == NULL) {
            t->rehashIdx++;
            if (--emptyLeft <= 0) return 1;
        }
        moveBucket(t);
    }
    if (t->used[0] == 0) {
        finishRehash(t);
        return 0;
    }
    return 1;
}

/* The small step every lookup and update pays while rehashing. */
static inline void rehashStepIfNeeded(htab *t) {
    if (isRehashing(t) && t->pauseRehash == 0) rehashSteps(t, 1);
}

/* Starts resizing to the smallest power of two >= target buckets. Allocates
 * table[0] directly if there is none. No-op while already rehashing or if
 * the size would not change. */
static void startResize(htab *t, size_t target) {
    int8_t exp = expForSize(target);
    if (isRehashing(t) || exp == t->exp[0]) return;

    void **buckets = zcalloc(sizeof(void *) << exp);
    if (t->exp[0] < 0) {
        t->table[0] = buckets;
        t->exp[0] = exp;
        return;
    }
    t->table[1] = buckets;
    t->exp[1] = exp;
    t->rehashIdx = 0;
    /* Nothing to move: switch now, unless a paused caller relies on
     * table[0] staying where it is. */
    if (t->used[0] == 0 && t->pauseRehash == 0) finishRehash(t);
}

/* Inserts only ever grow the table: shrinking on an insert would undo a
 * deliberate htabExpand (loading pre-sizes tables) one entry later. */
static void growIfNeeded(htab *t) {
    if (isRehashing(t) || t->exp[0] < 0) return;
    size_t buckets = numBuckets(t, 0), size = t->used[0];
    if (size >= buckets && (t->pauseAutoResize == 0 || size / buckets >= HTAB_FORCE_RATIO))
        startResize(t, size + 1);
}

/* The resize policy; see the top comment. */
static void resizeIfNeeded(htab *t) {
    if (isRehashing(t) || t->exp[0] < 0) return;

    size_t buckets = numBuckets(t, 0), size = t->used[0];
    if (size >= buckets) {
        if (t->pauseAutoResize == 0 || size / buckets >= HTAB_FORCE_RATIO)
            startResize(t, size + 1);
    } else if (t->pauseAutoResize == 0 && t->exp[0] > HTAB_MIN_EXP &&
               size < buckets / HTAB_SHRINK_RATIO) {
        /* Aim at load 1/2..1/4 so a few inserts do not grow it right back. */
        startResize(t, size * 2);
    }
}

/* Grows the table ahead of a known number of inserts (loading a snapshot
 * announces each database's size), so they do not pay for incremental
 * rehashing on the way.  Only grows; a table being rehashed is left alone. */
void htabExpand(htab *t, size_t size) {
    if (isRehashing(t) || size == 0) return;
    if (t->exp[0] >= 0 && size <= numBuckets(t, 0)) return;
    startResize(t, size);
}

/* ------------------------------------------------------ create / destroy */

htab *htabCreate(const htabType *type) {
    assert(type && type->entryKey);
    htab *t = zmalloc(sizeof(*t));
    t->type = type;
    t->table[0] = t->table[1] = NULL;
    t->used[0] = t->used[1] = 0;
    t->exp[0] = t->exp[1] = -1;
    t->rehashIdx = -1;
    t->pauseRehash = 0;
    t->pauseAutoResize = 0;
    return t;
}

void htabEmpty(htab *t, void (*callback)(htab *t)) {
    void (*destructor)(void *) = t->type->entryDestructor;
    size_t visited = 0;

    /* A callback that looks things up must not move buckets under us. */
    t->pauseRehash++;
    for (int i = 0; i < 2; i++) {
        if (t->exp[i] < 0) continue;
        size_t n = numBuckets(t, i);
        for (size_t b = 0; b < n && t->used[i] > 0; b++) {
            void *e = t->table[i][b];
            t->table[i][b] = NULL;
            while (e) {
                void *next = entryNext(e);
                t->used[i]--;
                if (destructor) destructor(e);
                e = next;
            }
            if (callback && (++visited & 0xffff) == 0) callback(t);
        }
        zfree(t->table[i]);
        t->table[i] = NULL;
        t->exp[i] = -1;
        t->used[i] = 0;
    }
    t->rehashIdx = -1;
    t->pauseRehash--;
}

void htabRelease(htab *t) {
    if (t == NULL) return;
    htabEmpty(t, NULL);
    zfree(t);
}

/* ----------------------------------------------------------------- sizes */

size_t htabSize(const htab *t) {
    return t->used[0] + t->used[1];
}

size_t htabBuckets(const htab *t) {
    return numBuckets(t, 0) + numBuckets(t, 1);
}

size_t htabMemUsage(const htab *t) {
    return sizeof(*t) + sizeof(void *) * htabBuckets(t);
}

/* --------------------------------------------------------------- hashing */

void htabSetSeed(const uint8_t seed[16]) {
    memcpy(hashSeed, seed, sizeof(hashSeed));
    /* Also decorrelate the sampling PRNG between runs. */
    uint64_t s;
    memcpy(&s, seed, sizeof(s));
    rngState ^= s;
}

uint64_t htabGenHash(const void *key, size_t len) {
    return siphash(key, len, hashSeed);
}

uint64_t htabGenHashNoCase(const void *key, size_t len) {
    return siphashNocase(key, len, hashSeed);
}

uint64_t htabHashKey(const htab *t, const void *key, size_t len) {
    return t->type->nocase ? htabGenHashNoCase(key, len) : htabGenHash(key, len);
}

/* ---------------------------------------------------- lookup and update */

/* Returns the address of the link that points at the entry with this key
 * (a bucket slot or the previous entry's next field) and its table in
 * *tableOut, or NULL if absent. */
static void **findRef(htab *t, const void *key, size_t len, uint64_t hash, int *tableOut) {
    if (t->exp[0] < 0) return NULL;
    for (int i = 0; i < 2; i++) {
        size_t idx = (size_t)hash & bucketMask(t, i);
        /* Buckets of table[0] below rehashIdx have moved to table[1]. */
        if (!(i == 0 && (long)idx < t->rehashIdx)) {
            for (void **ref = &t->table[i][idx]; *ref; ref = (void **)*ref) {
                if (entryHasKey(t, *ref, key, len)) {
                    if (tableOut) *tableOut = i;
                    return ref;
                }
            }
        }
        if (!isRehashing(t)) break;
    }
    return NULL;
}

void *htabFindWithHash(htab *t, const void *key, size_t len, uint64_t hash) {
    rehashStepIfNeeded(t);
    void **ref = findRef(t, key, len, hash, NULL);
    return ref ? *ref : NULL;
}

void *htabFind(htab *t, const void *key, size_t len) {
    if (htabSize(t) == 0) return NULL;
    return htabFindWithHash(t, key, len, htabHashKey(t, key, len));
}

/* The table new entries go to: the larger one while rehashing. */
static int prefetchTable(const htab *t) {
    return isRehashing(t) ? 1 : 0;
}

void htabPrefetchBucket(const htab *t, uint64_t hash) {
    int i = prefetchTable(t);
    if (t->exp[i] < 0) return;
    __builtin_prefetch(&t->table[i][(size_t)hash & bucketMask(t, i)]);
}

void htabPrefetchChain(const htab *t, uint64_t hash) {
    int i = prefetchTable(t);
    if (t->exp[i] < 0) return;
    void *e = t->table[i][(size_t)hash & bucketMask(t, i)];
    if (e) __builtin_prefetch(e);
}

void htabInsertWithHash(htab *t, void *entry, uint64_t hash) {
#ifdef HTAB_DEBUG
    {
        size_t len;
        const void *key = t->type->entryKey(entry, &len);
        assert(hash == htabHashKey(t, key, len));
        assert(findRef(t, key, len, hash, NULL) == NULL);
    }
#endif
    rehashStepIfNeeded(t);
    if (t->exp[0] < 0)
        startResize(t, (size_t)1 << HTAB_MIN_EXP);
    else
        growIfNeeded(t);

    int i = isRehashing(t) ? 1 : 0;
    size_t idx = (size_t)hash & bucketMask(t, i);
    setNext(entry, t->table[i][idx]);
    t->table[i][idx] = entry;
    t->used[i]++;
}

void htabInsert(htab *t, void *entry) {
    htabInsertWithHash(t, entry, hashEntry(t, entry));
}

int htabAdd(htab *t, void *entry) {
    size_t len;
    const void *key = t->type->entryKey(entry, &len);
    uint64_t hash = htabHashKey(t, key, len);
    if (htabFindWithHash(t, key, len, hash) != NULL) return 0;
    htabInsertWithHash(t, entry, hash);
    return 1;
}

void *htabUnlink(htab *t, const void *key, size_t len) {
    if (htabSize(t) == 0) return NULL;
    uint64_t hash = htabHashKey(t, key, len);
    rehashStepIfNeeded(t);

    int table;
    void **ref = findRef(t, key, len, hash, &table);
    if (ref == NULL) return NULL;
    void *entry = *ref;
    *ref = entryNext(entry);
    setNext(entry, NULL);
    t->used[table]--;
    resizeIfNeeded(t);
    return entry;
}

int htabDelete(htab *t, const void *key, size_t len) {
    void *entry = htabUnlink(t, key, len);
    if (entry == NULL) return 0;
    if (t->type->entryDestructor) t->type->entryDestructor(entry);
    return 1;
}

int htabReplace(htab *t, void *oldentry, void *newentry) {
    if (htabSize(t) == 0) return 0;
    uint64_t hash = hashEntry(t, oldentry);
    for (int i = 0; i < 2; i++) {
        if (t->exp[i] < 0) break;
        size_t idx = (size_t)hash & bucketMask(t, i);
        for (void **ref = &t->table[i][idx]; *ref; ref = (void **)*ref) {
            if (*ref == oldentry) {
                setNext(newentry, entryNext(oldentry));
                *ref = newentry;
                setNext(oldentry, NULL);
                return 1;
            }
        }
    }
    return 0;
}

/* -------------------------------------------------------- random access */

/* While rehashing, only buckets [rehashIdx, size0) of table[0] and all of
 * table[1] can hold entries. These helpers address that union as one range
 * [0, total) so random positions never land on moved-out buckets. */
typedef struct liveRange {
    size_t off0;  /* first live bucket of table[0] */
    size_t n0;    /* live buckets in table[0] */
    size_t total; /* n0 + buckets of table[1] */
} liveRange;

static liveRange getLiveRange(const htab *t) {
    liveRange r;
    r.off0 = isRehashing(t) ? (size_t)t->rehashIdx : 0;
    r.n0 = numBuckets(t, 0) - r.off0;
    r.total = r.n0 + (isRehashing(t) ? numBuckets(t, 1) : 0);
    return r;
}

static inline void *bucketAt(const htab *t, const liveRange *r, size_t pos) {
    return pos < r->n0 ? t->table[0][r->off0 + pos] : t->table[1][pos - r->n0];
}

void *htabRandomEntry(htab *t) {
    if (htabSize(t) == 0) return NULL;
    rehashStepIfNeeded(t);

    liveRange r = getLiveRange(t);
    void *head = NULL;
    for (int i = 0; i < HTAB_RANDOM_TRIES && head == NULL; i++)
        head = bucketAt(t, &r, rngBelow(r.total));
    if (head == NULL) {
        /* Only a very sparse table (shrinking paused) gets here. */
        size_t start = rngBelow(r.total);
        for (size_t k = 0; k < r.total && head == NULL; k++)
            head = bucketAt(t, &r, (start + k) % r.total);
    }
    assert(head != NULL);

    size_t len = 0;
    for (void *e = head; e; e = entryNext(e)) len++;
    size_t pick = rngBelow(len);
    void *e = head;
    while (pick--) e = entryNext(e);
    return e;
}

unsigned htabSampleEntries(htab *t, void **out, unsigned count) {
    size_t size = htabSize(t);
    if (size == 0 || count == 0) return 0;
    if (count > size) count = (unsigned)size;
    rehashStepIfNeeded(t);

    liveRange r = getLiveRange(t);
    size_t pos = rngBelow(r.total);
    size_t maxSteps = (size_t)count * 10, emptyRun = 0;
    unsigned stored = 0;

    for (size_t step = 0; step < maxSteps && stored < count; step++) {
        void *e = bucketAt(t, &r, pos);
        if (e == NULL) {
            /* A run of empty buckets: jump elsewhere rather than crawl. */
            if (++emptyRun >= 5 && emptyRun > count) {
                pos = rngBelow(r.total);
                emptyRun = 0;
                continue;
            }
        } else {
            emptyRun = 0;
            for (; e && stored < count; e = entryNext(e)) out[stored++] = e;
        }
        pos = (pos + 1) % r.total;
    }
    return stored;
}

/* ------------------------------------------------------ resize controls */

int htabRehashStep(htab *t, int nbuckets) {
    return rehashSteps(t, nbuckets);
}

static long long monotonicUs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int htabRehashMicroseconds(htab *t, long long us) {
    if (t->pauseRehash > 0) return isRehashing(t);
    resizeIfNeeded(t);
    if (!isRehashing(t)) return 0;

    long long start = monotonicUs();
    while (rehashSteps(t, 100)) {
        if (monotonicUs() - start >= us) return 1;
    }
    return 0;
}

int htabIsRehashing(const htab *t) {
    return isRehashing(t);
}

void htabResizeIfNeeded(htab *t) {
    resizeIfNeeded(t);
}

void htabPauseRehashing(htab *t) {
    t->pauseRehash++;
}

void htabResumeRehashing(htab *t) {
    assert(t->pauseRehash > 0);
    t->pauseRehash--;
}

void htabPauseAutoResize(htab *t) {
    t->pauseAutoResize++;
}

void htabResumeAutoResize(htab *t) {
    assert(t->pauseAutoResize > 0);
    t->pauseAutoResize--;
}

/* ------------------------------------------------------- safe iterator */

void htabIterInit(htabIterator *it, htab *t) {
    it->t = t;
    it->table = 0;
    it->index = -1;
    it->chainLen = it->chainPos = 0;
    it->chainCap = HTAB_ITER_INLINE;
    it->chain = it->inlineChain;
    htabPauseRehashing(t);
}

/* Pointer comparison only: e may already be freed. */
static int chainContains(const htab *t, int table, long index, const void *e) {
    for (void *p = t->table[table][index]; p; p = entryNext(p))
        if (p == e) return 1;
    return 0;
}

/* Copies the pointers of the chain at it->table/it->index into it->chain. */
static void snapshotChain(htabIterator *it) {
    htab *t = it->t;
    unsigned n = 0;
    for (void *e = t->table[it->table][it->index]; e; e = entryNext(e)) {
        if (n == it->chainCap) {
            unsigned cap = it->chainCap * 2;
            if (it->chain == it->inlineChain) {
                it->chain = zmalloc(sizeof(void *) * cap);
                memcpy(it->chain, it->inlineChain, sizeof(it->inlineChain));
            } else {
                it->chain = zrealloc(it->chain, sizeof(void *) * cap);
            }
            it->chainCap = cap;
        }
        it->chain[n++] = e;
    }
    it->chainLen = n;
    it->chainPos = 0;
}

void *htabIterNext(htabIterator *it) {
    htab *t = it->t;
    for (;;) {
        while (it->chainPos < it->chainLen) {
            void *e = it->chain[it->chainPos++];
            if (chainContains(t, it->table, it->index, e)) return e;
        }
        if (it->table > 1) return NULL;

        it->index++;
        if (t->exp[it->table] < 0 || (size_t)it->index >= numBuckets(t, it->table)) {
            /* Table 1 exists only while rehashing; a resize that started
             * during the iteration holds only entries added since. */
            if (it->table == 0 && isRehashing(t)) {
                it->table = 1;
                it->index = -1;
                continue;
            }
            it->table = 2;
            it->chainLen = it->chainPos = 0;
            return NULL;
        }
        snapshotChain(it);
    }
}

void htabIterRelease(htabIterator *it) {
    if (it->t == NULL) return;
    if (it->chain != it->inlineChain) zfree(it->chain);
    it->chain = it->inlineChain;
    htabResumeRehashing(it->t);
    it->t = NULL;
}

/* ------------------------------------------------------------------ scan */

/* Reverses the bits of v (log2(width) mask-and-swap passes). */
static unsigned long reverseBits(unsigned long v) {
    unsigned int s = CHAR_BIT * sizeof(v);
    unsigned long mask = ~0UL;
    while ((s >>= 1) > 0) {
        mask ^= mask << s;
        v = ((v >> s) & mask) | ((v << s) & ~mask);
    }
    return v;
}

/* Increments the bits of v under mask, starting from the highest one, and
 * clears the bits above mask. Returns 0 after the last bucket. */
static unsigned long cursorNext(unsigned long v, unsigned long mask) {
    v |= ~mask; /* so the carry runs straight through the unmasked bits */
    v = reverseBits(v);
    v++;
    return reverseBits(v);
}

static void scanBucket(htab *t, int table, size_t idx, htabScanFunction *fn, void *privdata) {
    void *e = t->table[table][idx];
    while (e) {
        void *next = entryNext(e); /* fn may free e */
        fn(privdata, e);
        e = next;
    }
}

/* Buckets looked up ahead of the one being visited by scanPrefetched. */
#define SCAN_BATCH 16

/* The bounded scan of a table that is not rehashing, in batches: the cursor
 * jumps across the bucket array (reverse-binary order), so every bucket
 * slot and every entry is a cache miss; with a batch's slots prefetched
 * together, then the first entries of those chains, the misses overlap
 * instead of being paid one after another.  This roughly halves the cost of
 * walking a large table (the snapshot's walk spends most of its time here).
 * Stops, leaving the rest to the plain loop, when a callback starts a
 * rehash. Returns the next cursor. */
static unsigned long scanPrefetched(htab *t, unsigned long v, size_t budget, size_t *visited,
                                    htabScanFunction *fn, void *privdata) {
    unsigned long batch[SCAN_BATCH];
    while (v != 0 || *visited == 0) {
        if (isRehashing(t) || *visited >= budget) break;
        unsigned long m0 = bucketMask(t, 0);
        void **table = t->table[0];
        int n = 0;
        unsigned long c = v;
        do {
            batch[n++] = c;
            __builtin_prefetch(&table[c & m0]);
            c = cursorNext(c, m0);
        } while (c != 0 && n < SCAN_BATCH && *visited + (size_t)n < budget);
        for (int i = 0; i < n; i++) {
            void *e = table[batch[i] & m0];
            if (e) __builtin_prefetch(e);
        }
        for (int i = 0; i < n; i++) {
            scanBucket(t, 0, batch[i] & m0, fn, privdata);
            (*visited)++;
            v = i + 1 < n ? batch[i + 1] : c;
            /* A callback may have grown the table: the remaining cursors
             * were computed for the old mask. */
            if (isRehashing(t) || t->table[0] != table) return v;
        }
        if (v == 0) break;
    }
    return v;
}

/* Shared by both scans. oneStep: finish exactly one cursor step whatever
 * the budget; otherwise stop when budget buckets have been visited (at the
 * earliest after the first bucket of the larger table). */
static unsigned long scanGeneric(htab *t, unsigned long v, size_t budget, int oneStep,
                                 htabScanFunction *fn, void *privdata) {
    if (htabSize(t) == 0) return 0;
    size_t visited = 0;

    t->pauseRehash++;
    t->pauseAutoResize++;
    int more = 1;
    if (!oneStep) {
        v = scanPrefetched(t, v, budget, &visited, fn, privdata);
        /* Nothing visited: the table was rehashing from the start. */
        more = visited == 0 || (v != 0 && visited < budget);
    }
    if (more) do {
        /* Re-read each step: a forced grow may start inside a callback. */
        if (!isRehashing(t)) {
            unsigned long m0 = bucketMask(t, 0);
            scanBucket(t, 0, v & m0, fn, privdata);
            visited++;
            v = cursorNext(v, m0);
        } else {
            int small = t->exp[0] <= t->exp[1] ? 0 : 1, large = 1 - small;
            unsigned long ms = bucketMask(t, small), ml = bucketMask(t, large);
            scanBucket(t, small, v & ms, fn, privdata);
            visited++;
            /* The larger table's buckets inside the same interval differ only
             * in the bits of ml ^ ms: visit them until those bits wrap. */
            do {
                scanBucket(t, large, v & ml, fn, privdata);
                visited++;
                v = cursorNext(v, ml);
            } while ((v & (ml ^ ms)) && (oneStep || visited < budget));
        }
    } while (v != 0 && !oneStep && visited < budget);
    t->pauseAutoResize--;
    t->pauseRehash--;
    return v;
}

unsigned long htabScan(htab *t, unsigned long cursor, htabScanFunction *fn, void *privdata) {
    return scanGeneric(t, cursor, 0, 1, fn, privdata);
}

unsigned long htabScanBounded(htab *t, unsigned long cursor, size_t maxBuckets,
                              htabScanFunction *fn, void *privdata) {
    return scanGeneric(t, cursor, maxBuckets, 0, fn, privdata);
}

/* ----------------------------------------------------------------- stats */

/* snprintf into buf at *off without ever overrunning it. */
static void appendf(char *buf, size_t size, size_t *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void appendf(char *buf, size_t size, size_t *off, const char *fmt, ...) {
    if (*off >= size) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *off, size - *off, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    *off = (size_t)n >= size - *off ? size : *off + (size_t)n;
}

void htabGetStats(htab *t, char *buf, size_t bufsize) {
    if (bufsize == 0) return;
    size_t off = 0;
    buf[0] = '\0';

    appendf(buf, bufsize, &off, "entries: %zu, buckets: %zu, memory: %zu bytes, rehashing: %s\n",
            htabSize(t), htabBuckets(t), htabMemUsage(t),
            isRehashing(t) ? "yes" : "no");
    for (int i = 0; i < 2; i++) {
        if (t->exp[i] < 0) continue;
        size_t n = numBuckets(t, i), hist[HTAB_STATS_HIST] = {0};
        size_t maxChain = 0, nonEmpty = 0;
        for (size_t b = 0; b < n; b++) {
            size_t len = 0;
            for (void *e = t->table[i][b]; e; e = entryNext(e)) len++;
            hist[len < HTAB_STATS_HIST ? len : HTAB_STATS_HIST - 1]++;
            if (len > maxChain) maxChain = len;
            if (len) nonEmpty++;
        }
        appendf(buf, bufsize, &off,
                "table %d (%s): buckets %zu, entries %zu, non-empty buckets %zu, "
                "longest chain %zu, mean chain %.2f\n",
                i, i == 0 ? "main" : "rehash target", n, t->used[i], nonEmpty, maxChain,
                nonEmpty ? (double)t->used[i] / (double)nonEmpty : 0.0);
        appendf(buf, bufsize, &off, " chain length histogram:\n");
        for (int l = 0; l < HTAB_STATS_HIST; l++) {
            if (hist[l] == 0) continue;
            appendf(buf, bufsize, &off, "  %s%d: %zu buckets (%.2f%%)\n",
                    l == HTAB_STATS_HIST - 1 ? ">=" : "", l, hist[l],
                    100.0 * (double)hist[l] / (double)n);
        }
    }
}
