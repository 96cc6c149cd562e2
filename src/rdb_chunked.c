/* rdb_chunked.c -- the RDB encoders of every value type, resumable.
 *
 * Why resumable: ringkv snapshots from the event loop (snapshot.c), so the
 * time spent serializing one key is time no client is served.  A list of
 * millions of elements or a 500 MB string written in one call would stall
 * the server for the whole value; here a value is written by a writer that
 * stops after about `chunk` bytes or a few hundred elements and resumes on
 * the next call.  The same code writes small values in one step (chunk 0):
 * DUMP payloads and the keys of a snapshot, so there is one encoder per
 * type, not a fast one and a stepped one that could drift apart.
 *
 * The byte format is Redis 7.0's, as before (rdb.c has the details):
 *   strings    length + bytes, or int / LZF encodings (rdbSaveRawString)
 *   sets       intset blob (RDB_TYPE_SET_INTSET) | count + members
 *   hashes     listpack blob (RDB_TYPE_HASH_LISTPACK) | count + field, value
 *   zsets      listpack blob | count + (member, binary double), highest
 *              score first as Redis writes them (its loader inserts at the
 *              head of the skiplist, which is then O(1) per member)
 *   lists      node count + per node: container 2 (packed) + the listpack,
 *              as the LZF string it already is when the node is compressed
 * What a stepped writer does differently: a string or blob longer than chunk
 * is written a block (chunk bytes) per step.  Its LZF form starts with the
 * compressed length, unknown until the whole string is compressed, and
 * keeping the compressed string in memory until then would cost as much as
 * the value.  Instead the blocks are compressed twice: a first pass adds up
 * their compressed sizes (nothing written), the header follows, and a
 * second pass compresses each block again and writes it.  Blocks are
 * compressed independently, and an LZF stream is a sequence of literal runs
 * and back references counted from the current position, so the blocks'
 * outputs put end to end decode to the whole string (compression is a
 * little worse at block boundaries: a reference cannot reach back into the
 * previous block).  LZF is deterministic, so the second pass produces the
 * sizes the first one counted (checked).  As in Redis, the string is written
 * plain when compression does not save at least 4 bytes, or when
 * rdbcompression is off; strings of 4 GB and more are always plain (an LZF
 * length is 32 bits for Redis's loader).  That doubles the compression work
 * for long strings only, and holds the loop for one block's LZF at most.
 *
 * What "the value must not change between steps" covers, and how reads are
 * kept from disturbing a writer:
 *   - hashtable-encoded sets and hashes are walked with the safe htab
 *     iterator, which pauses rehashing of the value's table until released:
 *     lookups by readers (HGET, SISMEMBER) then move no bucket;
 *   - skiplist zsets are walked backwards through node pointers, which
 *     reads never move;
 *   - a quicklist node that a reader decompressed for use (LRANGE, LINDEX)
 *     is compressed again when the read ends: same bytes (LZF is
 *     deterministic) in a new allocation, so a node being streamed is
 *     re-read through its node pointer at every step and its size checked;
 *   - strings and packed blobs are re-read through the object every step.
 * Anything that modifies, converts or frees the value must first finish or
 * release the writer, and anything that moves its payload to another robj
 * must rebind it (rdbChunkedRebind); the snapshot's keyspace hooks do that.
 *
 * Items: a container element becomes one or two items (bytes, integer or
 * score) queued in the writer, so a step may stop between a hash field and
 * its value, or in the middle of a long string item, and resume there. */
#include "rdb_chunked.h"

#include <stdint.h>
#include <string.h>

#include "intset.h"
#include "listpack.h"
#include "lzf.h"
#include "quicklist.h"
#include "rstr.h"
#include "zmalloc.h"

/* Phases of a writer. */
#define PH_HEAD 0 /* the value's first bytes: a whole string, a blob, a count */
#define PH_BODY 1 /* container elements */
#define PH_DONE 2

/* Item kinds. */
#define ITEM_STR 0    /* bytes: rdbSaveRawString, or streamed when long */
#define ITEM_LL 1     /* an intset member */
#define ITEM_DOUBLE 2 /* a zset score (binary) */
#define ITEM_NODE 3   /* a quicklist node: container byte + listpack */

/* Where the bytes of a streamed string are, re-read at each step. */
#define PIECE_NONE 0
#define PIECE_PTR 1      /* fixed pointer: an element of a container */
#define PIECE_OBJ 2      /* the value's own string or blob (o->ptr) */
#define PIECE_NODE_RAW 3 /* a plain quicklist node's listpack */
#define PIECE_NODE_LZF 4 /* a compressed quicklist node's LZF bytes */

/* A stepped writer never uses a chunk below this: int-encoded strings are
 * at most 11 bytes and must not be mistaken for long ones. */
#define CHUNK_MIN 64

/* Elements per step: about one per 256 bytes of chunk.  An element costs a
 * cache miss or two (its entry, its chain) even when it writes few bytes,
 * so the byte budget alone would let a step of tiny members run long. */
#define ELEMENTS_PER_CHUNK_BYTE 256

#define RDB_QUICKLIST_PACKED 2

/* Passes over a long string (piece_lzf). */
#define PIECE_LZF_NONE 0    /* plain bytes */
#define PIECE_LZF_MEASURE 1 /* first pass: sizing the compressed blocks */
#define PIECE_LZF_WRITE 2   /* second pass: writing them */

/* Room for one compressed block: LZF may expand incompressible input by a
 * control byte per 32 literals. */
#define LZF_BLOCK_ROOM(n) ((n) + (n) / 32 + 64)

/* --- value bytes seen as one string ------------------------------------- */

/* For values written as a single string (strings, intset and listpack
 * encodings): its bytes and length.  NULL for containers and integers. */
static const unsigned char *valueBlob(robj *o, size_t *len) {
    switch (o->type) {
    case OBJ_STRING:
        if (o->encoding == OBJ_ENCODING_INT) return NULL;
        *len = rstrLen(o->ptr);
        return (const unsigned char *)o->ptr;
    case OBJ_SET:
        if (o->encoding != OBJ_ENCODING_INTSET) return NULL;
        *len = intsetBlobLen(o->ptr);
        return o->ptr;
    case OBJ_HASH:
    case OBJ_ZSET:
        if (o->encoding != OBJ_ENCODING_LISTPACK) return NULL;
        *len = lpBytes(o->ptr);
        return o->ptr;
    default: return NULL;
    }
}

/* --- streaming a long string -------------------------------------------- */

/* The bytes of the string being streamed, checked against what the header
 * promised; NULL if the value changed under the writer. */
static const unsigned char *pieceBase(rdbChunkedWriter *w) {
    quicklistNode *n = w->piece_node;
    size_t len = 0;
    const unsigned char *p = NULL;
    switch (w->piece_src) {
    case PIECE_PTR: return w->piece_ptr;
    case PIECE_OBJ: p = valueBlob(w->o, &len); break;
    case PIECE_NODE_RAW:
        if (n->encoding != QUICKLIST_NODE_RAW) return NULL;
        p = n->entry;
        len = n->sz;
        break;
    case PIECE_NODE_LZF:
        if (n->encoding != QUICKLIST_NODE_LZF) return NULL;
        p = ((quicklistLZF *)n->entry)->compressed;
        len = ((quicklistLZF *)n->entry)->sz;
        break;
    default: return NULL;
    }
    return len == w->piece_len ? p : NULL;
}

/* Compresses the next block of the string into lzf_buf: its compressed
 * size, or 0 on failure (cannot happen with LZF_BLOCK_ROOM). */
static size_t compressBlock(rdbChunkedWriter *w, const unsigned char *base, size_t n) {
    if (w->lzf_buf == NULL) w->lzf_buf = zmalloc(LZF_BLOCK_ROOM(w->chunk));
    return lzfCompress(base + w->piece_off, (unsigned int)n, w->lzf_buf, (unsigned int)LZF_BLOCK_ROOM(n));
}

/* End of the first pass: the header, then the blocks again (compressed if
 * that saves at least 4 bytes, else plain).  0, or -1. */
static int startSecondPass(rdbChunkedWriter *w, rdbSink *s) {
    w->piece_off = 0;
    if (w->lzf_total + 4 <= w->piece_len) {
        w->piece_lzf = PIECE_LZF_WRITE;
        w->lzf_written = 0;
        return rdbSaveLzfHeader(s, w->lzf_total, w->piece_len);
    }
    w->piece_lzf = PIECE_LZF_NONE;
    return rdbSaveLen(s, w->piece_len);
}

/* Works on the next block (at most chunk bytes) of the string being
 * streamed: sizes it, or writes it compressed or plain.  0, or -1. */
static int writePiece(rdbChunkedWriter *w, rdbSink *s) {
    const unsigned char *base = pieceBase(w);
    if (base == NULL) return -1;
    size_t n = w->piece_len - w->piece_off;
    if (n > w->chunk) n = w->chunk;
    if (w->piece_lzf == PIECE_LZF_NONE) {
        if (rdbWriteRaw(s, base + w->piece_off, n) == -1) return -1;
    } else {
        size_t c = compressBlock(w, base, n);
        if (c == 0) return -1;
        if (w->piece_lzf == PIECE_LZF_MEASURE) {
            w->lzf_total += c;
        } else {
            w->lzf_written += c;
            if (w->lzf_written > w->lzf_total || rdbWriteRaw(s, w->lzf_buf, c) == -1) return -1;
        }
    }
    w->piece_off += n;
    if (w->piece_off < w->piece_len) return 0;
    if (w->piece_lzf == PIECE_LZF_MEASURE) return startSecondPass(w, s);
    if (w->piece_lzf == PIECE_LZF_WRITE && w->lzf_written != w->lzf_total) return -1;
    w->piece_src = PIECE_NONE;
    return 0;
}

/* Writes a string item: whole (with the usual encodings) when it is short
 * or the writer has no chunk limit, else its length now and its bytes in
 * pieces from the next step on (src and node say where they live). */
static int writeString(rdbChunkedWriter *w, rdbSink *s, const unsigned char *p, size_t len, int src,
                       void *node) {
    if (w->chunk == 0 || len <= w->chunk) return rdbSaveRawString(s, p, len);
    w->piece_src = src;
    w->piece_node = node;
    w->piece_ptr = p;
    w->piece_len = len;
    w->piece_off = 0;
    if (s->compress && len < UINT32_MAX) {
        /* The header waits for the first pass (see the top comment). */
        w->piece_lzf = PIECE_LZF_MEASURE;
        w->lzf_total = 0;
        return 0;
    }
    w->piece_lzf = PIECE_LZF_NONE;
    return rdbSaveLen(s, len);
}

/* A quicklist node: its container byte, then its listpack as a string or,
 * when the node is compressed in memory, as the LZF string it already is. */
static int writeNode(rdbChunkedWriter *w, rdbSink *s, quicklistNode *n) {
    if (rdbSaveLen(s, RDB_QUICKLIST_PACKED) == -1) return -1;
    if (n->encoding == QUICKLIST_NODE_LZF) {
        quicklistLZF *lzf = (quicklistLZF *)n->entry;
        if (w->chunk == 0 || lzf->sz <= w->chunk) return rdbSaveLzfBlob(s, lzf->compressed, lzf->sz, n->sz);
        if (rdbSaveLzfHeader(s, lzf->sz, n->sz) == -1) return -1;
        w->piece_src = PIECE_NODE_LZF;
        w->piece_node = n;
        w->piece_len = lzf->sz;
        w->piece_off = 0;
        w->piece_lzf = PIECE_LZF_NONE; /* already compressed: copied as it is */
        return 0;
    }
    return writeString(w, s, n->entry, n->sz, PIECE_NODE_RAW, n);
}

static int writeItem(rdbChunkedWriter *w, rdbSink *s, rdbChunkedItem *it) {
    switch (it->kind) {
    case ITEM_STR: return writeString(w, s, it->ptr, it->len, PIECE_PTR, NULL);
    case ITEM_LL: return rdbSaveLongLongAsString(s, it->ll);
    case ITEM_DOUBLE: return rdbSaveBinaryDouble(s, it->d);
    case ITEM_NODE: return writeNode(w, s, (quicklistNode *)it->ptr);
    default: return -1;
    }
}

static void pushItem(rdbChunkedWriter *w, int kind, const void *ptr, size_t len) {
    rdbChunkedItem *it = &w->items[w->nitems++];
    it->kind = kind;
    it->ptr = ptr;
    it->len = len;
}

/* --- per type: head and next element ------------------------------------ */

/* The value's first bytes.  Values written as one string are complete
 * after this (but for the pieces of a long one); containers write their
 * element count and start iterating.  0, or -1. */
static int writeHead(rdbChunkedWriter *w, rdbSink *s) {
    robj *o = w->o;
    size_t len;
    const unsigned char *blob = valueBlob(o, &len);
    w->phase = PH_DONE;
    if (blob) return writeString(w, s, blob, len, PIECE_OBJ, NULL);
    switch (o->type) {
    case OBJ_STRING: return rdbSaveLongLongAsString(s, (long long)(intptr_t)o->ptr);
    case OBJ_SET:
        if (rdbSaveLen(s, setTypeSize(o)) == -1) return -1;
        setTypeInitIterator(&w->it.set, o);
        break;
    case OBJ_HASH:
        if (rdbSaveLen(s, hashTypeLength(o)) == -1) return -1;
        hashTypeInitIterator(o, &w->it.hash);
        break;
    case OBJ_ZSET:
        if (rdbSaveLen(s, zsetLength(o)) == -1) return -1;
        zsetIterInit(&w->it.zset, o, 0, 1);
        break;
    case OBJ_LIST: {
        quicklist *ql = o->ptr;
        if (rdbSaveLen(s, ql->len) == -1) return -1;
        w->it.node = ql->head;
        break;
    }
    default: return -1;
    }
    w->iter_live = 1;
    w->phase = PH_BODY;
    return 0;
}

/* Queues the items of the next element: 1, or 0 when there is none. */
static int nextElement(rdbChunkedWriter *w) {
    w->nitems = w->curitem = 0;
    switch (w->o->type) {
    case OBJ_SET: {
        const char *str;
        size_t len;
        int64_t ll;
        if (!setTypeNext(&w->it.set, &str, &len, &ll)) return 0;
        if (str) {
            pushItem(w, ITEM_STR, str, len);
        } else {
            pushItem(w, ITEM_LL, NULL, 0);
            w->items[0].ll = ll;
        }
        return 1;
    }
    case OBJ_HASH: {
        if (!hashTypeNext(&w->it.hash)) return 0;
        /* HT fields and values are bytes inside their entry, stable while
         * the hash is unchanged; the buffer is only for listpack integers
         * (listpack hashes are written as one blob, never iterated here). */
        unsigned char unused[LP_INTBUF_SIZE];
        size_t len;
        const unsigned char *f = hashTypeCurrent(&w->it.hash, HASH_FIELD, unused, &len);
        pushItem(w, ITEM_STR, f, len);
        const unsigned char *v = hashTypeCurrent(&w->it.hash, HASH_VALUE, unused, &len);
        pushItem(w, ITEM_STR, v, len);
        return 1;
    }
    case OBJ_ZSET: {
        const unsigned char *ele;
        size_t len;
        double score;
        if (!zsetIterNext(&w->it.zset, &ele, &len, &score)) return 0;
        pushItem(w, ITEM_STR, ele, len);
        pushItem(w, ITEM_DOUBLE, NULL, 0);
        w->items[1].d = score;
        return 1;
    }
    case OBJ_LIST: {
        quicklistNode *n = w->it.node;
        if (n == NULL) return 0;
        w->it.node = n->next;
        pushItem(w, ITEM_NODE, n, 0);
        return 1;
    }
    default: return 0;
    }
}

/* --- the writer ----------------------------------------------------------- */

int rdbChunkedBeginValue(rdbChunkedWriter *w, robj *o, size_t chunk) {
    w->o = o;
    w->iter_live = 0; /* releasing after a failed begin is a no-op */
    w->lzf_buf = NULL;
    if (o->type != OBJ_STRING && o->type != OBJ_LIST && o->type != OBJ_SET && o->type != OBJ_ZSET &&
        o->type != OBJ_HASH)
        return -1;
    w->chunk = chunk == 0 || chunk >= CHUNK_MIN ? chunk : CHUNK_MIN;
    w->step_elements = w->chunk / ELEMENTS_PER_CHUNK_BYTE;
    if (w->step_elements == 0) w->step_elements = 1;
    w->phase = PH_HEAD;
    w->nitems = w->curitem = 0;
    w->piece_src = PIECE_NONE;
    w->piece_lzf = PIECE_LZF_NONE;
    return 0;
}

int rdbChunkedBegin(rdbChunkedWriter *w, rdbSink *s, const char *key, size_t keylen, robj *o,
                    long long expire, size_t chunk) {
    if (rdbChunkedBeginValue(w, o, chunk) == -1) return -1;
    if (expire >= 0) {
        if (rdbSaveType(s, RDB_OPCODE_EXPIRETIME_MS) == -1) return -1;
        if (rdbSaveMillisecondTime(s, expire) == -1) return -1;
    }
    if (rdbSaveObjectType(s, o) == -1) return -1;
    return rdbSaveRawString(s, (const unsigned char *)key, keylen);
}

int rdbChunkedStep(rdbChunkedWriter *w, rdbSink *s) {
    size_t start = s->written, elements = 0;
    for (;;) {
        int r = 0;
        int block = 0; /* a block of a long string is a step's work by itself */
        if (w->piece_src != PIECE_NONE) {
            r = writePiece(w, s);
            block = 1;
        } else if (w->curitem < w->nitems) {
            r = writeItem(w, s, &w->items[w->curitem++]);
        } else if (w->phase == PH_HEAD) {
            r = writeHead(w, s);
        } else if (w->phase == PH_BODY) {
            if (nextElement(w)) {
                elements++;
            } else {
                w->phase = PH_DONE;
                rdbChunkedRelease(w);
            }
        } else {
            return 0;
        }
        if (r == -1) return -1;
        if (w->chunk && (block || s->written - start >= w->chunk || elements >= w->step_elements)) {
            /* Nothing left: say so now rather than on a step that writes
             * nothing. */
            int done = w->phase == PH_DONE && w->piece_src == PIECE_NONE && w->curitem == w->nitems;
            return done ? 0 : 1;
        }
    }
}

int rdbChunkedFinish(rdbChunkedWriter *w, rdbSink *s) {
    int r;
    while ((r = rdbChunkedStep(w, s)) == 1) {
    }
    return r;
}

void rdbChunkedRebind(rdbChunkedWriter *w, robj *o) {
    w->o = o;
    if (!w->iter_live) return;
    /* The iterators name the object only to reach its payload, which did
     * not move. */
    if (o->type == OBJ_SET)
        w->it.set.set = o;
    else if (o->type == OBJ_HASH)
        w->it.hash.subject = o;
    else if (o->type == OBJ_ZSET)
        w->it.zset.zobj = o;
}

int rdbChunkedIsBig(robj *o, size_t chunk) {
    if (chunk == 0) return 0;
    size_t len;
    if (valueBlob(o, &len)) return len > chunk;
    size_t elements = chunk / ELEMENTS_PER_CHUNK_BYTE;
    switch (o->type) {
    case OBJ_SET: return setTypeSize(o) > elements;
    case OBJ_HASH: return hashTypeLength(o) > elements;
    case OBJ_ZSET: return zsetLength(o) > elements;
    case OBJ_LIST: return quicklistCount(o->ptr) > elements;
    default: return 0;
    }
}

void rdbChunkedRelease(rdbChunkedWriter *w) {
    zfree(w->lzf_buf);
    w->lzf_buf = NULL;
    if (!w->iter_live) return;
    w->iter_live = 0;
    if (w->o->type == OBJ_SET)
        setTypeReleaseIterator(&w->it.set);
    else if (w->o->type == OBJ_HASH)
        hashTypeReleaseIterator(&w->it.hash);
    /* zset and list iteration hold no resource. */
}
