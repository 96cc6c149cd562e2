/* object_size.c -- the memory a key and its value take, for MEMORY USAGE.
 *
 * Every figure is an allocator size (zmallocSize), never a sizeof guess, so
 * what MEMORY USAGE reports adds up with used_memory.  What is measured,
 * per encoding:
 *
 *   keyspace entry   one allocation: chain link, value header, expire, key,
 *                    and a string value of up to 44 bytes (db.h); plus the
 *                    key's node in the volatile-keys index when it has a TTL
 *   RAW string       the rstr buffer
 *   INT string       nothing (the integer lives in the header's pointer)
 *   listpack, intset one blob each (hash, zset / set)
 *   quicklist        the list struct, then per node its header and its
 *                    listpack or compressed blob
 *   hashtable        the table (struct + bucket arrays) and one allocation
 *                    per element (hashField / setEntry)
 *   skiplist         the zskiplist struct, its header node, its member
 *                    index table, and one allocation per member node
 *
 * Sampling: the per-element part of big encodings is the average of the
 * first `samples` elements times the element count, as in Redis, so a
 * million-element value costs a handful of lookups.  Hashtable elements are
 * taken in iteration order, skiplist members and quicklist nodes from the
 * head.  samples == 0 measures everything (exact, O(N)). */
#include "object_size.h"

#include "htab.h"
#include "quicklist.h"
#include "zmalloc.h"
#include "zskiplist.h"

/* seen elements measured `bytes` in total; scale to `count` elements. */
static size_t extrapolate(size_t bytes, size_t seen, size_t count) {
    if (seen == 0) return 0;
    if (seen == count) return bytes;
    return (size_t)((double)bytes / (double)seen * (double)count);
}

static size_t sampleLimit(size_t samples, size_t count) {
    return samples == 0 || samples > count ? count : samples;
}

/* A hashtable whose entries are each one allocation (hashField, setEntry):
 * table structures plus the sampled entries. */
static size_t hashtableSize(htab *t, size_t samples) {
    size_t count = htabSize(t), limit = sampleLimit(samples, count);
    size_t bytes = 0, seen = 0;
    htabIterator it;
    htabIterInit(&it, t);
    void *e;
    while (seen < limit && (e = htabIterNext(&it)) != NULL) {
        bytes += zmallocSize(e);
        seen++;
    }
    htabIterRelease(&it);
    return htabMemUsage(t) + extrapolate(bytes, seen, count);
}

static size_t quicklistSize(quicklist *ql, size_t samples) {
    size_t limit = sampleLimit(samples, ql->len);
    size_t bytes = 0, seen = 0;
    for (quicklistNode *n = ql->head; n && seen < limit; n = n->next, seen++)
        bytes += zmallocSize(n) + zmallocSize(n->entry);
    return zmallocSize(ql) + extrapolate(bytes, seen, ql->len);
}

static size_t skiplistSize(zskiplist *zsl, size_t samples) {
    size_t limit = sampleLimit(samples, zsl->length);
    size_t bytes = 0, seen = 0;
    for (zskiplistNode *n = zslFirst(zsl); n && seen < limit; n = zslNodeNext(n), seen++)
        bytes += zmallocSize(n);
    return zmallocSize(zsl) + zmallocSize(zsl->header) + htabMemUsage(zsl->index) +
           extrapolate(bytes, seen, zsl->length);
}

size_t objectPayloadSize(robj *o, size_t samples) {
    switch (o->encoding) {
    case OBJ_ENCODING_INT:
    case OBJ_ENCODING_EMBSTR:
        return 0;
    case OBJ_ENCODING_RAW:
        return rstrAllocSize(o->ptr);
    case OBJ_ENCODING_LISTPACK:
    case OBJ_ENCODING_INTSET:
        return zmallocSize(o->ptr);
    case OBJ_ENCODING_QUICKLIST:
        return quicklistSize(o->ptr, samples);
    case OBJ_ENCODING_HT:
        return hashtableSize(o->ptr, samples);
    case OBJ_ENCODING_SKIPLIST:
        return skiplistSize(o->ptr, samples);
    default:
        return 0;
    }
}

size_t objectKeyMemoryUsage(redisDb *db, dbEntry *e, size_t samples) {
    /* The entry pointer is the start of its allocation. */
    size_t bytes = zmallocSize(e);
    if (dbEntryExpire(e) != -1) {
        size_t klen;
        const char *key = dbEntryKey(e, &klen);
        void *node = htabFind(db->expires, key, klen);
        if (node) bytes += zmallocSize(node);
    }
    return bytes + objectPayloadSize(dbEntryVal(e), samples);
}
