/* object_size.h -- how many bytes a key and its value take (MEMORY USAGE).
 *
 * Sizes are what the allocator really handed out (zmallocSize), walked
 * through ringkv's own layouts: the keyspace entry that holds key, expire
 * and small strings; listpacks, intsets, quicklist nodes; the per-element
 * allocations of hashtable and skiplist encodings.  Containers with many
 * elements are sampled: the first `samples` elements (0 = all) are measured
 * and their average is multiplied by the element count, as Redis does, so
 * MEMORY USAGE stays cheap on a huge value. */
#ifndef RINGKV_OBJECT_SIZE_H
#define RINGKV_OBJECT_SIZE_H

#include <stddef.h>

#include "db.h"
#include "object.h"

/* MEMORY USAGE's default number of sampled elements. */
#define OBJECT_SIZE_DEFAULT_SAMPLES 5

/* Bytes a value's payload takes outside the keyspace entry that embeds its
 * header: a RAW string's buffer, a container's structures and elements.
 * 0 for integers and embedded strings (they live in the entry). */
size_t objectPayloadSize(robj *o, size_t samples);

/* Bytes of one key of db: its entry (key, expire, value header, embedded
 * string), its node in the volatile-keys index if it has a TTL, and the
 * value's payload. */
size_t objectKeyMemoryUsage(redisDb *db, dbEntry *e, size_t samples);

#endif
