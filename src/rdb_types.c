/* rdb_types.c -- RDB decoders of the container types (sets, hashes, lists,
 * sorted sets) and the type byte each value is written with, registered
 * with rdb.c at start-up.  The encoders are in rdb_chunked.c: they are
 * resumable, so that a snapshot can write a big value across several
 * event-loop slices.
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

static robj *setRdbLoad(rdbSource *s, int rdbtype) {
    if (rdbtype == RDB_TYPE_SET_INTSET) {
        rstr blob = rdbLoadString(s);
        if (!blob) return NULL;
        uint32_t count;
        server.stat_dump_payload_sanitizations++; /* INFO: deep checks done */
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
        server.stat_dump_payload_sanitizations++; /* INFO: deep checks done */
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

static robj *zsetRdbLoad(rdbSource *s, int rdbtype) {
    if (rdbtype == RDB_TYPE_ZSET_LISTPACK) {
        rstr blob = rdbLoadString(s);
        if (!blob) return NULL;
        robj *z = NULL;
        unsigned char *lp = (unsigned char *)blob;
        unsigned long n;
        server.stat_dump_payload_sanitizations++; /* INFO: deep checks done */
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
        server.stat_dump_payload_sanitizations++; /* INFO: deep checks done */
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
    rdbSetTypeOf(OBJ_SET, setRdbType);
    rdbSetLoader(RDB_TYPE_SET, setRdbLoad);
    rdbSetLoader(RDB_TYPE_SET_INTSET, setRdbLoad);
    rdbSetTypeOf(OBJ_HASH, hashRdbType);
    rdbSetLoader(RDB_TYPE_HASH, hashRdbLoad);
    rdbSetLoader(RDB_TYPE_HASH_LISTPACK, hashRdbLoad);
    rdbSetTypeOf(OBJ_ZSET, zsetRdbType);
    rdbSetLoader(RDB_TYPE_ZSET, zsetRdbLoad);
    rdbSetLoader(RDB_TYPE_ZSET_2, zsetRdbLoad);
    rdbSetLoader(RDB_TYPE_ZSET_LISTPACK, zsetRdbLoad);
    rdbSetTypeOf(OBJ_LIST, listRdbType);
    rdbSetLoader(RDB_TYPE_LIST, listRdbLoad);
    rdbSetLoader(RDB_TYPE_LIST_QUICKLIST_2, listRdbLoad);
}
