/* rdb_chunked.h -- writing one value in the RDB format a piece at a time
 * (rdb_chunked.c).
 *
 * A writer is started on a value, then stepped: each step writes about
 * `chunk` bytes (or a few hundred elements) and returns, so the snapshot
 * writer can serve clients between steps however big the value is.  With
 * chunk 0 the first step writes the whole value the way it always was
 * written (DUMP, small keys): the bytes are the same as those of the
 * stepped form except for strings longer than chunk, whose LZF form a
 * stepped writer makes a block at a time (rdb_chunked.c).  Either way the
 * output is ordinary RDB.
 *
 * Between steps the value must not be modified, freed or converted: the
 * caller guarantees it (the snapshot's keyspace hook finishes the writer
 * before any change); a payload moved to another robj is followed with
 * rdbChunkedRebind.  Reads are allowed: the writer pauses rehashing of the
 * value's own hash table while it iterates it, and re-reads quicklist nodes
 * that a read may have decompressed and compressed again.
 *
 * The struct is public so that it can live on the stack or in another
 * struct; its fields are private, and it must not be copied once started
 * (the hash table iterator inside points into itself). */
#ifndef RINGKV_RDB_CHUNKED_H
#define RINGKV_RDB_CHUNKED_H

#include <stddef.h>
#include <stdint.h>

#include "object.h"
#include "rdb.h"
#include "t_hash.h"
#include "t_set.h"
#include "t_zset.h"

/* Items waiting to be written: one container element is one or two of
 * them (a hash field and its value, a zset member and its score). */
#define RDB_CHUNKED_MAX_ITEMS 2

typedef struct rdbChunkedItem {
    int kind;                 /* ITEM_* (rdb_chunked.c) */
    const unsigned char *ptr; /* string bytes (stable while the value is unchanged) */
    size_t len;
    long long ll;             /* integer item */
    double d;                 /* score item */
} rdbChunkedItem;

typedef struct rdbChunkedWriter {
    robj *o;
    size_t chunk;             /* 0: no limit, write everything in one step */
    size_t step_elements;     /* elements per step */
    int phase;                /* what the next step does (rdb_chunked.c) */
    int iter_live;            /* an iterator below must be released */
    union {
        setTypeIterator set;
        hashTypeIterator hash;
        zsetIter zset;
        void *node;           /* quicklistNode: next node to write */
    } it;
    rdbChunkedItem items[RDB_CHUNKED_MAX_ITEMS];
    int nitems, curitem;
    /* A string being streamed in pieces: which bytes (re-read every step,
     * see rdb_chunked.c) and how far. */
    int piece_src;
    void *piece_node;
    const unsigned char *piece_ptr;
    size_t piece_len, piece_off;
    /* LZF of a long string, a block per step (rdb_chunked.c): a first pass
     * adds up the compressed size, the second writes the blocks. */
    int piece_lzf;            /* PIECE_LZF_* */
    size_t lzf_total;         /* compressed bytes, summed by the first pass */
    size_t lzf_written;       /* compressed bytes written by the second */
    unsigned char *lzf_buf;   /* one compressed block */
} rdbChunkedWriter;

/* Writes the key's header (expire, type byte, key name) and starts the
 * value.  Returns 0, or -1 if the sink failed or o has no RDB form.  On
 * success rdbChunkedRelease must be called, whether or not every step ran. */
int rdbChunkedBegin(rdbChunkedWriter *w, rdbSink *s, const char *key, size_t keylen, robj *o,
                    long long expire, size_t chunk);
/* Starts the value alone (no key header): DUMP payloads and rdbSaveObject. */
int rdbChunkedBeginValue(rdbChunkedWriter *w, robj *o, size_t chunk);
/* Writes the next piece: 1 while more remains, 0 when the value is
 * complete, -1 if the sink failed or the value changed under the writer
 * (it must not: see above). */
int rdbChunkedStep(rdbChunkedWriter *w, rdbSink *s);
/* Steps until the value is complete: 0, or -1 as above. */
int rdbChunkedFinish(rdbChunkedWriter *w, rdbSink *s);
/* The value moved to another robj with the same payload (the snapshot
 * adopted a value whose key was deleted): the writer goes on from there. */
void rdbChunkedRebind(rdbChunkedWriter *w, robj *o);
/* 1 if writing o would take more than one step of this chunk size, judged
 * in O(1) from its length (a container's element count, a string's or
 * packed blob's bytes): a value worth adopting rather than writing now. */
int rdbChunkedIsBig(robj *o, size_t chunk);
/* Releases what the writer holds (iterators: the value's table resumes
 * rehashing).  Allowed at any point after a successful begin; idempotent. */
void rdbChunkedRelease(rdbChunkedWriter *w);

#endif
