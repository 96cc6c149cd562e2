/* htab.h: intrusive chained hash table with incremental rehashing.
 *
 * See htab.c for the design. In short: the table stores pointers to caller
 * structs whose FIRST member is a `void *` reserved for the table's chain
 * link (declare it as `htabLink link;`), gets each entry's key through
 * htabType.entryKey, and never resizes in one go: a resize allocates the new
 * bucket array and moves old buckets a few at a time on later operations.
 */
#ifndef HTAB_H
#define HTAB_H

#include <stddef.h>
#include <stdint.h>

/* Put this (or a plain `void *next`) first in every struct stored in a
 * table. The table owns it while the entry is linked: do not touch it. */
typedef struct htabLink {
    void *next;
} htabLink;

typedef struct htabType {
    /* Required: returns the key bytes of an entry and sets *len. The bytes
     * must not change while the entry is in a table. */
    const void *(*entryKey)(const void *entry, size_t *len);
    /* Optional: frees an entry; called by htabDelete, htabEmpty, htabRelease. */
    void (*entryDestructor)(void *entry);
    /* Non-zero: keys hash and compare ignoring ASCII case (command table). */
    int nocase;
} htabType;

typedef struct htab htab; /* opaque */

/* Creation and destruction. A new table allocates no buckets until the first
 * insert. htabRelease calls the destructor on every entry and frees t. */
htab *htabCreate(const htabType *type);
void htabRelease(htab *t);
/* Removes every entry (destructor on each) and frees the buckets; the table
 * stays usable. callback, if not NULL, is called after every 65536 buckets
 * so a caller can keep serving events while a huge table is emptied. */
void htabEmpty(htab *t, void (*callback)(htab *t));

size_t htabSize(const htab *t);
size_t htabBuckets(const htab *t);  /* buckets of both tables */
size_t htabMemUsage(const htab *t); /* bucket arrays + struct, not entries */

/* Hashing. htabHashKey uses the table's case mode; the hash can be passed to
 * the *WithHash variants to avoid hashing a key twice. */
uint64_t htabHashKey(const htab *t, const void *key, size_t len);
void htabSetSeed(const uint8_t seed[16]); /* once, at startup, before any use */
uint64_t htabGenHash(const void *key, size_t len);
uint64_t htabGenHashNoCase(const void *key, size_t len);

/* Lookup, insertion, removal. Each may also move one bucket of a rehash in
 * progress, so even lookups take a non-const table. */
void *htabFind(htab *t, const void *key, size_t len);
void *htabFindWithHash(htab *t, const void *key, size_t len, uint64_t hash);
/* Precondition: no entry with the same key is present (checked when built
 * with -DHTAB_DEBUG). */
void htabInsert(htab *t, void *entry);
void htabInsertWithHash(htab *t, void *entry, uint64_t hash);
/* Hints for bulk inserts (loading): start fetching the bucket slot of hash,
 * or, once that is cached, the first entry of its chain, so that the find
 * or insert a few keys later does not wait for memory.  No effect on the
 * table's contents. */
void htabPrefetchBucket(const htab *t, uint64_t hash);
void htabPrefetchChain(const htab *t, uint64_t hash);
/* Returns 1 if entry was added, 0 if its key was present (nothing changed:
 * the caller still owns entry). */
int htabAdd(htab *t, void *entry);
/* Removes and returns the entry with this key without calling the destructor;
 * NULL if absent. */
void *htabUnlink(htab *t, const void *key, size_t len);
/* Removes the entry with this key and calls the destructor: 1 if deleted,
 * 0 if absent. */
int htabDelete(htab *t, const void *key, size_t len);
/* newentry (same key as oldentry) takes oldentry's place in its chain;
 * oldentry is unlinked but not freed. 1 on success, 0 if oldentry is not in
 * the table. Never rehashes or resizes, so it is safe inside iteration. */
int htabReplace(htab *t, void *oldentry, void *newentry);

/* Random access, for RANDOMKEY, SPOP/SRANDMEMBER and eviction. */
void *htabRandomEntry(htab *t); /* NULL if empty */
/* Stores up to count entries (possibly repeated, not uniform: neighbouring
 * buckets) into out and returns how many. Cheap: meant for eviction sampling. */
unsigned htabSampleEntries(htab *t, void **out, unsigned count);

/* Rehashing and resizing control. */
int htabRehashStep(htab *t, int nbuckets);          /* 1 if still rehashing */
int htabRehashMicroseconds(htab *t, long long us);  /* 1 if still rehashing */
int htabIsRehashing(const htab *t);
void htabResizeIfNeeded(htab *t);
void htabExpand(htab *t, size_t size); /* pre-size for size entries (only grows) */
/* Pausing rehashing stops buckets from moving (iterators, fork snapshots).
 * Pausing auto-resize stops new resizes from starting, except a forced grow
 * at load factor 4 so chains stay short. Both nest. */
void htabPauseRehashing(htab *t);
void htabResumeRehashing(htab *t);
void htabPauseAutoResize(htab *t);
void htabResumeAutoResize(htab *t);

/* Safe iteration. While the iterator is live the caller may insert and may
 * delete any entries (not only the current one). Every entry present for the
 * whole iteration is returned exactly once; entries added or removed during it
 * may or may not be returned, but a removed entry is never returned after its
 * removal. Rehashing is paused from htabIterInit to htabIterRelease, which
 * must always be called. Do not call htabEmpty/htabRelease while live.
 * The fields are private; the struct is public so it can live on the stack. */
#define HTAB_ITER_INLINE 16
typedef struct htabIterator {
    htab *t;
    long index;           /* bucket whose chain is in chain[] */
    int table;            /* 0 or 1; 2 once finished */
    unsigned chainLen;    /* entries snapshotted from the current bucket */
    unsigned chainPos;    /* next snapshot position to return */
    unsigned chainCap;    /* capacity of chain[] */
    void **chain;         /* inlineChain or a heap array for long chains */
    void *inlineChain[HTAB_ITER_INLINE];
} htabIterator;
void htabIterInit(htabIterator *it, htab *t);
void *htabIterNext(htabIterator *it); /* NULL at the end */
void htabIterRelease(htabIterator *it);

/* SCAN with a reverse-binary cursor. Start with cursor 0; each call visits
 * some buckets, calls fn on their entries and returns the next cursor, 0 when
 * the scan is complete. Every entry present for the whole scan is returned at
 * least once, even if the table grows, shrinks or rehashes between calls; an
 * entry may be returned more than once. fn may delete (unlink or free) the
 * entry it is given and no other; it must not insert. Rehashing and resizing
 * are paused during a call. */
typedef void htabScanFunction(void *privdata, void *entry);
/* One cursor step: one bucket of the smaller table and, while rehashing, all
 * buckets of the larger table that map onto it. */
unsigned long htabScan(htab *t, unsigned long cursor, htabScanFunction *fn, void *privdata);
/* Same guarantees, but visits at most max(maxBuckets, 2) buckets in total
 * (empty ones included) and may stop in the middle of a cursor step, so the
 * work per call is bounded even right after a large shrink. For incremental
 * snapshot iteration. */
unsigned long htabScanBounded(htab *t, unsigned long cursor, size_t maxBuckets,
                              htabScanFunction *fn, void *privdata);

/* Human-readable sizes and chain-length histogram of both tables into buf
 * (always NUL-terminated if bufsize > 0). Walks every bucket: O(buckets). */
void htabGetStats(htab *t, char *buf, size_t bufsize);

#endif /* HTAB_H */
