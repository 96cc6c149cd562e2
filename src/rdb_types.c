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
#include "t_hash.h"
#include "t_set.h"
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
        if (!intsetValidateIntegrity((const unsigned char *)blob, rstrLen(blob), 1) ||
            intsetLen((intset *)blob) == 0) {
            s->error = "invalid or empty intset";
            rstrFree(blob);
            return NULL;
        }
        /* Rebuilt through the set API: the blob's allocation is an rstr. */
        intset *is = (intset *)blob;
        uint32_t n = intsetLen(is);
        robj *set = setTypeCreate(NULL, 0);
        for (uint32_t i = 0; i < n; i++) {
            int64_t v;
            intsetGet(is, i, &v);
            setTypeAddInteger(set, v);
        }
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

/* --- registration ----------------------------------------------------- */

void rdbTypesInit(void) {
    rdbSetTypeCodec(OBJ_SET, setRdbType, setRdbSave);
    rdbSetLoader(RDB_TYPE_SET, setRdbLoad);
    rdbSetLoader(RDB_TYPE_SET_INTSET, setRdbLoad);
    rdbSetTypeCodec(OBJ_HASH, hashRdbType, hashRdbSave);
    rdbSetLoader(RDB_TYPE_HASH, hashRdbLoad);
    rdbSetLoader(RDB_TYPE_HASH_LISTPACK, hashRdbLoad);
}
