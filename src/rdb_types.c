/* rdb_types.c -- RDB codecs of the container types (sets, hashes, lists,
 * sorted sets), registered with rdb.c at start-up.
 *
 * Format knowledge stays here, type internals stay in the type modules: each
 * section uses only its type's public API (iterators, create/add).  The
 * compact encodings are Redis's own formats (intset, listpack), so they are
 * written as one blob and, when loaded, checked with the deep validators
 * before use, then converted to the big encoding if the blob exceeds this
 * server's thresholds (as Redis does on load).
 *
 * Loading is untrusted input: every count is bounded by the bytes left,
 * duplicates and empty containers are refused like Redis refuses them. */
#include <string.h>

#include "intset.h"
#include "listpack.h"
#include "rdb.h"
#include "server.h"
#include "quicklist.h"
#include "t_hash.h"
#include "t_list.h"
#include "t_set.h"
#include "t_zset.h"
#include "util.h"
#include "zmalloc.h"

/* --- sets ------------------------------------------------------------- */

static int setRdbType(robj *o) {
    return o->encoding == OBJ_ENCODING_INTSET ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
}

static int setRdbSave(rdbSink *s, robj *o) {
    if (o->encoding == OBJ_ENCODING_INTSET) {
        intset *is = o->ptr;
        return rdbSaveRawString(s, (const unsigned char *)is, intsetBlobLen(is));
    }
    if (rdbSaveLen(s, setTypeSize(o)) == -1) return -1;
    setTypeIterator it;
    setTypeInitIterator(&it, o);
    const char *str;
    size_t len;
    int64_t ll;
    int ret = 0;
    while (ret == 0 && setTypeNext(&it, &str, &len, &ll)) {
        if (str)
            ret = rdbSaveRawString(s, (const unsigned char *)str, len);
        else
            ret = rdbSaveLongLongAsString(s, ll);
    }
    setTypeReleaseIterator(&it);
    return ret;
}

static robj *setRdbLoad(rdbSource *s, int rdbtype) {
    if (rdbtype == RDB_TYPE_SET_INTSET) {
        rstr blob = rdbLoadString(s);
        if (!blob) return NULL;
        uint32_t count;
        if (!intsetValidateIntegrity((const unsigned char *)blob, rstrLen(blob), 1) ||
            (memcpy(&count, blob + 4, 4), count == 0)) {
            s->error = "invalid or empty intset";
            rstrFree(blob);
            return NULL;
        }
        /* The string's bytes are not aligned for the intset header: read
         * it from an aligned copy, rebuilding through the set API. */
        intset *is = zmalloc(rstrLen(blob));
        memcpy(is, blob, rstrLen(blob));
        uint32_t n = intsetLen(is);
        robj *set = setTypeCreate(NULL, 0);
        for (uint32_t i = 0; i < n; i++) {
            int64_t v;
            intsetGet(is, i, &v);
            setTypeAddInteger(set, v);
        }
        zfree(is);
        rstrFree(blob);
        return set;
    }
    uint64_t len;
    if (rdbLoadLen(s, &len, NULL) == -1) return NULL;
    if (len == 0) {
        s->error = "empty set";
        return NULL;
    }
    robj *set = NULL;
    for (uint64_t i = 0; i < len; i++) {
        rstr m = rdbLoadString(s);
        if (!m) break;
        if (!set) set = setTypeCreate(m, rstrLen(m));
        if (!setTypeAdd(set, m, rstrLen(m))) {
            s->error = "duplicate set member";
            rstrFree(m);
            decrRefCount(set);
            return NULL;
        }
        rstrFree(m);
    }
    if (!s->error) return set;
    if (set) decrRefCount(set);
    return NULL;
}

/* --- hashes ----------------------------------------------------------- */

static int hashRdbType(robj *o) {
    return o->encoding == OBJ_ENCODING_LISTPACK ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
}

static int hashRdbSave(rdbSink *s, robj *o) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = o->ptr;
        return rdbSaveRawString(s, lp, lpBytes(lp));
    }
    if (rdbSaveLen(s, hashTypeLength(o)) == -1) return -1;
    hashTypeIterator it;
    hashTypeInitIterator(o, &it);
    int ret = 0;
    unsigned char buf[LP_INTBUF_SIZE];
    while (ret == 0 && hashTypeNext(&it)) {
        size_t len;
        const unsigned char *f = hashTypeCurrent(&it, HASH_FIELD, buf, &len);
        ret = rdbSaveRawString(s, f, len);
        if (ret == 0) {
            const unsigned char *v = hashTypeCurrent(&it, HASH_VALUE, buf, &len);
            ret = rdbSaveRawString(s, v, len);
        }
    }
    hashTypeReleaseIterator(&it);
    return ret;
}

/* Deep listpack validation for hashes: an even number of entries and no
 * duplicate field (checked by rebuilding through the hash API below). */
static robj *hashFromPairs(rdbSource *s, unsigned char *lp) {
    unsigned long n = lpLength(lp);
    if (n == 0 || n % 2) {
        s->error = "hash listpack with an odd or zero number of entries";
        return NULL;
    }
    robj *h = hashTypeCreate();
    unsigned char fbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
    for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p)) {
        int64_t flen, vlen;
        unsigned char *f = lpGet(p, &flen, fbuf);
        p = lpNext(lp, p);
        unsigned char *v = lpGet(p, &vlen, vbuf);
        if (!hashTypeSet(h, f, (size_t)flen, v, (size_t)vlen)) {
            s->error = "duplicate hash field";
            decrRefCount(h);
            return NULL;
        }
    }
    return h;
}

static robj *hashRdbLoad(rdbSource *s, int rdbtype) {
    if (rdbtype == RDB_TYPE_HASH_LISTPACK) {
        rstr blob = rdbLoadString(s);
        if (!blob) return NULL;
        robj *h = NULL;
        if (!lpValidateIntegrity((unsigned char *)blob, rstrLen(blob), 1, NULL, NULL))
            s->error = "invalid hash listpack";
        else
            h = hashFromPairs(s, (unsigned char *)blob);
        rstrFree(blob);
        return h;
    }
    uint64_t len;
    if (rdbLoadLen(s, &len, NULL) == -1) return NULL;
    if (len == 0) {
        s->error = "empty hash";
        return NULL;
    }
    robj *h = hashTypeCreate();
    for (uint64_t i = 0; i < len; i++) {
        rstr f = rdbLoadString(s);
        rstr v = f ? rdbLoadString(s) : NULL;
        if (!v) {
            rstrFree(f);
            decrRefCount(h);
            return NULL;
        }
        int added = hashTypeSet(h, f, rstrLen(f), v, rstrLen(v));
        rstrFree(f);
        rstrFree(v);
        if (!added) {
            s->error = "duplicate hash field";
            decrRefCount(h);
            return NULL;
        }
    }
    return h;
}

/* --- sorted sets ------------------------------------------------------ */

static int zsetRdbType(robj *o) {
    return o->encoding == OBJ_ENCODING_LISTPACK ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
}

/* Big sorted sets are written from the highest score down, as Redis writes
 * them (its loader then inserts each at the head of the skiplist). */
static int zsetRdbSave(rdbSink *s, robj *o) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = o->ptr;
        return rdbSaveRawString(s, lp, lpBytes(lp));
    }
    if (rdbSaveLen(s, zsetLength(o)) == -1) return -1;
    zsetIter it;
    zsetIterInit(&it, o, 0, 1);
    const unsigned char *ele;
    size_t len;
    double score;
    int ret = 0;
    while (ret == 0 && zsetIterNext(&it, &ele, &len, &score)) {
        ret = rdbSaveRawString(s, ele, len);
        if (ret == 0) ret = rdbSaveBinaryDouble(s, score);
    }
    return ret;
}

static robj *zsetRdbLoad(rdbSource *s, int rdbtype) {
    if (rdbtype == RDB_TYPE_ZSET_LISTPACK) {
        rstr blob = rdbLoadString(s);
        if (!blob) return NULL;
        robj *z = NULL;
        unsigned char *lp = (unsigned char *)blob;
        unsigned long n;
        if (!lpValidateIntegrity(lp, rstrLen(blob), 1, NULL, NULL) || (n = lpLength(lp)) == 0 || n % 2) {
            s->error = "invalid sorted set listpack";
            rstrFree(blob);
            return NULL;
        }
        /* Rebuilt through zsetAdd: it checks member/score pairs, rejects
         * duplicates and NaN, and picks the encoding for our thresholds. */
        z = zsetTypeCreate(n / 2, 0);
        unsigned char mbuf[LP_INTBUF_SIZE], sbuf[LP_INTBUF_SIZE];
        for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p)) {
            int64_t mlen, slen;
            unsigned char *m = lpGet(p, &mlen, mbuf);
            unsigned char *q = lpNext(lp, p);
            unsigned char *sc = lpGet(q, &slen, sbuf);
            double score;
            int out = 0;
            if (!string2d((const char *)sc, (size_t)slen, &score) ||
                !zsetAdd(z, score, m, (size_t)mlen, ZADD_IN_NX, &out, NULL) || !(out & ZADD_OUT_ADDED)) {
                s->error = "invalid or duplicate sorted set member";
                decrRefCount(z);
                rstrFree(blob);
                return NULL;
            }
            p = q;
        }
        rstrFree(blob);
        return z;
    }
    uint64_t len;
    if (rdbLoadLen(s, &len, NULL) == -1) return NULL;
    if (len == 0) {
        s->error = "empty sorted set";
        return NULL;
    }
    robj *z = zsetTypeCreate(len < 1024 * 1024 ? len : 1024 * 1024, 0);
    for (uint64_t i = 0; i < len; i++) {
        rstr m = rdbLoadString(s);
        double score;
        if (!m) {
            decrRefCount(z);
            return NULL;
        }
        int bad = rdbtype == RDB_TYPE_ZSET_2 ? rdbLoadBinaryDouble(s, &score) : rdbLoadDoubleValue(s, &score);
        int out = 0;
        if (bad == -1 || score != score ||
            !zsetAdd(z, score, m, rstrLen(m), ZADD_IN_NX, &out, NULL) || !(out & ZADD_OUT_ADDED)) {
            if (!s->error) s->error = "invalid or duplicate sorted set member";
            rstrFree(m);
            decrRefCount(z);
            return NULL;
        }
        rstrFree(m);
    }
    return z;
}

/* --- lists ------------------------------------------------------------ */

#define RDB_QUICKLIST_PLAIN 1
#define RDB_QUICKLIST_PACKED 2

static int listRdbType(robj *o) {
    (void)o;
    return RDB_TYPE_LIST_QUICKLIST_2;
}

/* One listpack per quicklist node, as Redis 7.0 writes them; a node kept
 * LZF-compressed in memory is written as the compressed string it already
 * is, without decompressing it. */
static int listRdbSave(rdbSink *s, robj *o) {
    quicklist *ql = o->ptr;
    if (rdbSaveLen(s, ql->len) == -1) return -1;
    for (quicklistNode *n = ql->head; n; n = n->next) {
        if (rdbSaveLen(s, RDB_QUICKLIST_PACKED) == -1) return -1;
        if (n->encoding == QUICKLIST_NODE_LZF) {
            quicklistLZF *lzf = (quicklistLZF *)n->entry;
            if (rdbSaveLzfBlob(s, lzf->compressed, lzf->sz, n->sz) == -1) return -1;
        } else if (rdbSaveRawString(s, n->entry, n->sz) == -1) {
            return -1;
        }
    }
    return 0;
}

static robj *listRdbLoad(rdbSource *s, int rdbtype) {
    uint64_t len;
    if (rdbLoadLen(s, &len, NULL) == -1) return NULL;
    if (len == 0) {
        s->error = "empty list";
        return NULL;
    }
    robj *l = createListObject();
    if (rdbtype == RDB_TYPE_LIST) {
        for (uint64_t i = 0; i < len; i++) {
            rstr e = rdbLoadString(s);
            if (!e) {
                decrRefCount(l);
                return NULL;
            }
            listTypePush(l, e, rstrLen(e), QUICKLIST_TAIL);
            rstrFree(e);
        }
        return l;
    }
    for (uint64_t i = 0; i < len; i++) {
        uint64_t container;
        if (rdbLoadLen(s, &container, NULL) == -1) goto err;
        if (container != RDB_QUICKLIST_PLAIN && container != RDB_QUICKLIST_PACKED) {
            s->error = "invalid quicklist container";
            goto err;
        }
        rstr blob = rdbLoadString(s);
        if (!blob) goto err;
        if (container == RDB_QUICKLIST_PLAIN) {
            listTypePush(l, blob, rstrLen(blob), QUICKLIST_TAIL);
            rstrFree(blob);
            continue;
        }
        unsigned char *lp = (unsigned char *)blob;
        if (!lpValidateIntegrity(lp, rstrLen(blob), 1, NULL, NULL)) {
            s->error = "invalid quicklist listpack";
            rstrFree(blob);
            goto err;
        }
        /* Elements are re-added so that node sizes follow this server's
         * list-max-listpack-size (Redis keeps the file's nodes; the list is
         * the same either way). */
        unsigned char buf[LP_INTBUF_SIZE];
        for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p)) {
            int64_t elen;
            unsigned char *e = lpGet(p, &elen, buf);
            listTypePush(l, e, (size_t)elen, QUICKLIST_TAIL);
        }
        rstrFree(blob);
    }
    if (listTypeLength(l) == 0) {
        s->error = "empty list";
        goto err;
    }
    return l;
err:
    decrRefCount(l);
    return NULL;
}

/* --- registration ----------------------------------------------------- */

void rdbTypesInit(void) {
    rdbSetTypeCodec(OBJ_SET, setRdbType, setRdbSave);
    rdbSetLoader(RDB_TYPE_SET, setRdbLoad);
    rdbSetLoader(RDB_TYPE_SET_INTSET, setRdbLoad);
    rdbSetTypeCodec(OBJ_HASH, hashRdbType, hashRdbSave);
    rdbSetLoader(RDB_TYPE_HASH, hashRdbLoad);
    rdbSetLoader(RDB_TYPE_HASH_LISTPACK, hashRdbLoad);
    rdbSetTypeCodec(OBJ_ZSET, zsetRdbType, zsetRdbSave);
    rdbSetLoader(RDB_TYPE_ZSET, zsetRdbLoad);
    rdbSetLoader(RDB_TYPE_ZSET_2, zsetRdbLoad);
    rdbSetLoader(RDB_TYPE_ZSET_LISTPACK, zsetRdbLoad);
    rdbSetTypeCodec(OBJ_LIST, listRdbType, listRdbSave);
    rdbSetLoader(RDB_TYPE_LIST, listRdbLoad);
    rdbSetLoader(RDB_TYPE_LIST_QUICKLIST_2, listRdbLoad);
}
