/* t_hash.c -- the hash type: encodings, conversion, and the H* commands.
 *
 * Two encodings, as in Redis 7.0 (OBJECT ENCODING names them the same):
 *
 *   listpack   field, value, field, value ... in one listpack blob.  Lookups
 *              are linear scans, which beat hashing while the hash is small,
 *              and the blob is byte-for-byte what Redis stores in RDB files,
 *              so snapshots copy it as it is.
 *   hashtable  an htab of hashField entries.  Each field is ONE allocation
 *              (chain link, two 32-bit lengths, field bytes, value bytes):
 *              12-byte fields with 16-byte values take 44 bytes, a 48-byte
 *              jemalloc class, plus about one 8-byte bucket; Redis spends a
 *              dictEntry and two sds strings on the same field (measured on
 *              1000 hashes x 1000 such fields: 58 bytes of RSS per field
 *              here, 92 in Redis 7.0).
 *
 * A hash converts from listpack to hashtable, never back, when it would get
 * more than hash-max-listpack-entries fields or a field or value longer than
 * hash-max-listpack-value bytes.  The checks happen where Redis 7.0 makes
 * them, so the same command stream gives the same encodings: HSET checks all
 * its arguments before writing anything, and every single write checks its
 * own lengths and the resulting field count.
 *
 * Listpacks store integer-looking strings as integers; every reader here goes
 * through helpers that turn them back into their (canonical) text, so no
 * command can tell the difference.
 *
 * Keys come and go as in Redis: a write to a missing key builds the new hash
 * completely and only then hands it to dbAdd (which consumes it), and the
 * key is deleted when its last field is removed.
 *
 * Where we differ on purpose: HRANDFIELD draws from a hashtable uniformly
 * (see hashHtabFairRandom); Redis's pick favours fields alone in their
 * bucket.  Which fields come back is random in both, so no client can rely
 * on the difference. */
#include "t_hash.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "debug.h"
#include "keyspace.h"
#include "reply.h"
#include "server.h"
#include "util.h"
#include "zmalloc.h"

/* ------------------------------------------------------------------------
 * Hashtable entries
 * ---------------------------------------------------------------------- */

static const void *hashFieldKey(const void *entry, size_t *len) {
    const hashField *e = entry;
    *len = e->flen;
    return e->data;
}

static void hashFieldFree(void *entry) {
    zfree(entry);
}

static const htabType hashHtabType = {
    .entryKey = hashFieldKey,
    .entryDestructor = hashFieldFree,
    .nocase = 0,
};

static inline const unsigned char *hashFieldValue(const hashField *e) {
    return (const unsigned char *)e->data + e->flen;
}

static inline size_t hashFieldSize(size_t flen, size_t vlen) {
    return sizeof(hashField) + flen + vlen;
}

static hashField *hashFieldCreate(const void *field, size_t flen, const void *value,
                                  size_t vlen) {
    /* The lengths are 32-bit to keep the entry small; a single bulk string
     * cannot reach 4 GB unless proto-max-bulk-len is raised past it. */
    serverAssert(flen <= UINT32_MAX && vlen <= UINT32_MAX);
    hashField *e = zmalloc(hashFieldSize(flen, vlen));
    e->next = NULL;
    e->flen = (uint32_t)flen;
    e->vlen = (uint32_t)vlen;
    if (flen) memcpy(e->data, field, flen);
    if (vlen) memcpy(e->data + flen, value, vlen);
    return e;
}

/* Gives entry e of table t a new value.  The entry is rewritten where it lies
 * when the new size fits its allocation without wasting more than half of
 * it (values rewritten by HINCRBY mostly keep their size class); otherwise a
 * new entry takes its place in the chain. */
static void hashFieldSetValue(htab *t, hashField *e, const void *value, size_t vlen) {
    serverAssert(vlen <= UINT32_MAX);
    size_t need = hashFieldSize(e->flen, vlen);
    size_t have = zmallocSize(e);
    if (need <= have && need * 2 > have) {
        e->vlen = (uint32_t)vlen;
        if (vlen) memmove(e->data + e->flen, value, vlen);
        return;
    }
    hashField *ne = hashFieldCreate(e->data, e->flen, value, vlen);
    int replaced = htabReplace(t, e, ne);
    serverAssert(replaced);
    zfree(e);
}

/* ------------------------------------------------------------------------
 * Randomness (HRANDFIELD): a private splitmix64, seeded once at init, so the
 * sampling never touches the process-wide rand() state.
 * ---------------------------------------------------------------------- */

static uint64_t rngState = 0x9e3779b97f4a7c15ULL;

static uint64_t rngNext(void) {
    uint64_t z = (rngState += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static unsigned long rngBelow(unsigned long n) {
    return (unsigned long)(rngNext() % n);
}

/* Uniform random entries of an HT hash.
 *
 * htabRandomEntry picks a random bucket, then a random entry of its chain,
 * so an entry sharing its bucket is drawn half as often as one alone in
 * its bucket: HRANDFIELD's distribution would be visibly skewed.  Instead:
 * pick a random slot interval with htabScan (one bucket, or while rehashing
 * one bucket of the smaller table plus the buckets of the larger one that
 * map onto it, i.e. always the same share of the hash space), collect its
 * n entries, draw j in [0, chainMax) and accept entry j if j < n, else
 * retry.  Every entry then has probability 1/(intervals * chainMax) per try:
 * uniform, as long as no interval holds more than chainMax entries, which
 * is why chainMax grows (and the draw restarts) when a longer one shows up.
 * With the table's load factor between 1/8 and 1 this costs a few cheap
 * tries per draw. */
#define RAND_COLLECT_MAX 32

typedef struct randCollect {
    hashField *e[RAND_COLLECT_MAX];
    unsigned long n;
} randCollect;

typedef struct randState {
    unsigned long chainMax; /* grows within one command, see above */
} randState;

static void randCollectEntry(void *privdata, void *entry) {
    randCollect *rc = privdata;
    if (rc->n < RAND_COLLECT_MAX) rc->e[rc->n] = entry;
    rc->n++;
}

/* Before many draws: a table in the middle of a resize makes every try look
 * at buckets of both tables, and a sparse one (a big hash after mass
 * deletions) mostly at empty ones.  Finishing the resize in progress, then
 * starting and finishing the one the size now calls for (a shrink started
 * while the table was shrinking waits for that to end), with the bounded
 * step the cron uses, makes the draws several times cheaper. */
static void hashHtabPrepareRandom(htab *t) {
    if (htabRehashMicroseconds(t, 1000) == 0) htabRehashMicroseconds(t, 1000);
}

static hashField *hashHtabFairRandom(htab *t, randState *rs) {
    /* The smaller table's bucket count is the lowest set bit of the total
     * (one power of two, or the sum of two different ones while
     * rehashing).  A cursor below it starts at the first bucket of its
     * interval in the larger table, so one htabScan step covers the whole
     * interval. */
    size_t buckets = htabBuckets(t);
    unsigned long smallMask = (unsigned long)(buckets & (~buckets + 1)) - 1;
    for (;;) {
        randCollect rc;
        rc.n = 0;
        htabScan(t, (unsigned long)rngNext() & smallMask, randCollectEntry, &rc);
        if (rc.n == 0) continue;
        if (rc.n > rs->chainMax) {
            rs->chainMax = rc.n;
            continue;
        }
        unsigned long j = rngBelow(rs->chainMax);
        if (j < rc.n && j < RAND_COLLECT_MAX) return rc.e[j];
    }
}

/* ------------------------------------------------------------------------
 * Listpack helpers
 * ---------------------------------------------------------------------- */

/* Bytes of listpack element p; integers are rendered into buf. */
static const unsigned char *lpElementText(unsigned char *p, unsigned char *buf, size_t *len) {
    int64_t count;
    const unsigned char *s = lpGet(p, &count, buf);
    *len = (size_t)count;
    return s;
}

/* Bytes of a decoded listpackEntry; integers are rendered into buf. */
static const unsigned char *lpDecodedBytes(const listpackEntry *e, unsigned char *buf,
                                           size_t *len) {
    if (e->sval) {
        *len = e->slen;
        return e->sval;
    }
    *len = (size_t)ll2string((char *)buf, LP_INTBUF_SIZE, e->lval);
    return buf;
}

/* The field element equal to field, or NULL. */
static unsigned char *lpFindField(unsigned char *lp, const void *field, size_t flen) {
    unsigned char *p = lpFirst(lp);
    if (p == NULL) return NULL;
    return lpFind(lp, p, field, (uint32_t)flen, 1);
}

/* ------------------------------------------------------------------------
 * Type API
 * ---------------------------------------------------------------------- */

robj *hashTypeCreate(void) {
    robj *o = createObject(OBJ_HASH, lpNew(0));
    o->encoding = OBJ_ENCODING_LISTPACK;
    return o;
}

unsigned long hashTypeLength(const robj *o) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) return lpLength(o->ptr) / 2;
    return (unsigned long)htabSize(o->ptr);
}

void hashTypeConvert(robj *o, int encoding) {
    if (o->encoding == encoding) return;
    serverAssert(o->encoding == OBJ_ENCODING_LISTPACK && encoding == OBJ_ENCODING_HT);
    unsigned char *lp = o->ptr;
    htab *t = htabCreate(&hashHtabType);
    unsigned char fbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
    for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, lpNext(lp, p))) {
        size_t flen, vlen;
        const unsigned char *f = lpElementText(p, fbuf, &flen);
        const unsigned char *v = lpElementText(lpNext(lp, p), vbuf, &vlen);
        hashField *e = hashFieldCreate(f, flen, v, vlen);
        /* A listpack built here never repeats a field; one loaded from a
         * snapshot was validated for that before it became a hash. */
        if (!htabAdd(t, e)) serverPanic("listpack hash with a duplicate field");
    }
    lpFree(lp);
    o->ptr = t;
    o->encoding = OBJ_ENCODING_HT;
}

int hashTypeGetValue(robj *o, const void *field, size_t flen, const unsigned char **vstr,
                     size_t *vlen, long long *vll) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = o->ptr;
        unsigned char *fp = lpFindField(lp, field, flen);
        if (fp == NULL) return 0;
        unsigned int slen = 0;
        *vstr = lpGetValue(lpNext(lp, fp), &slen, vll);
        *vlen = slen;
        return 1;
    }
    hashField *e = htabFind(o->ptr, field, flen);
    if (e == NULL) return 0;
    *vstr = hashFieldValue(e);
    *vlen = e->vlen;
    return 1;
}

robj *hashTypeGetValueObject(robj *o, const void *field, size_t flen) {
    const unsigned char *vstr;
    size_t vlen;
    long long vll;
    if (!hashTypeGetValue(o, field, flen, &vstr, &vlen, &vll)) return NULL;
    if (vstr == NULL) return createStringObjectFromLongLong(vll);
    return createStringObject((const char *)vstr, vlen);
}

int hashTypeExists(robj *o, const void *field, size_t flen) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) return lpFindField(o->ptr, field, flen) != NULL;
    return htabFind(o->ptr, field, flen) != NULL;
}

int hashTypeSet(robj *o, const void *field, size_t flen, const void *value, size_t vlen) {
    if (o->encoding == OBJ_ENCODING_LISTPACK &&
        (flen > server.hash_max_listpack_value || vlen > server.hash_max_listpack_value)) {
        hashTypeConvert(o, OBJ_ENCODING_HT);
    }

    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = o->ptr;
        unsigned char *fp = lpFindField(lp, field, flen);
        if (fp) {
            unsigned char *vp = lpNext(lp, fp);
            o->ptr = lpReplace(lp, &vp, value, (uint32_t)vlen);
            return 0;
        }
        lp = lpAppend(lp, field, (uint32_t)flen);
        lp = lpAppend(lp, value, (uint32_t)vlen);
        o->ptr = lp;
        if (hashTypeLength(o) > server.hash_max_listpack_entries)
            hashTypeConvert(o, OBJ_ENCODING_HT);
        return 1;
    }

    htab *t = o->ptr;
    uint64_t hash = htabHashKey(t, field, flen);
    hashField *e = htabFindWithHash(t, field, flen, hash);
    if (e) {
        hashFieldSetValue(t, e, value, vlen);
        return 0;
    }
    htabInsertWithHash(t, hashFieldCreate(field, flen, value, vlen), hash);
    return 1;
}

int hashTypeDelete(robj *o, const void *field, size_t flen) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *fp = lpFindField(o->ptr, field, flen);
        if (fp == NULL) return 0;
        o->ptr = lpDeleteRangeWithEntry(o->ptr, &fp, 2);
        return 1;
    }
    return htabDelete(o->ptr, field, flen);
}

/* Before writing the arguments argv[first..last] into a listpack hash:
 * converts it if any of them is too long for the listpack, or if their
 * total would push the blob past the listpack's safety size. */
static void hashTypeTryConversion(robj *o, robj **argv, int first, int last) {
    if (o->encoding != OBJ_ENCODING_LISTPACK) return;
    size_t sum = 0;
    for (int i = first; i <= last; i++) {
        size_t len = stringObjectLen(argv[i]);
        if (len > server.hash_max_listpack_value) {
            hashTypeConvert(o, OBJ_ENCODING_HT);
            return;
        }
        sum += len;
    }
    if (!lpSafeToAdd(o->ptr, sum)) hashTypeConvert(o, OBJ_ENCODING_HT);
}

/* ---- Iterator ---------------------------------------------------------- */

void hashTypeInitIterator(robj *o, hashTypeIterator *it) {
    it->subject = o;
    it->encoding = o->encoding;
    it->fptr = it->vptr = NULL;
    it->cur = NULL;
    if (o->encoding == OBJ_ENCODING_HT) htabIterInit(&it->hi, o->ptr);
}

int hashTypeNext(hashTypeIterator *it) {
    if (it->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = it->subject->ptr;
        it->fptr = it->fptr ? lpNext(lp, it->vptr) : lpFirst(lp);
        if (it->fptr == NULL) return 0;
        it->vptr = lpNext(lp, it->fptr);
        return 1;
    }
    it->cur = htabIterNext(&it->hi);
    return it->cur != NULL;
}

const unsigned char *hashTypeCurrent(hashTypeIterator *it, int what,
                                     unsigned char buf[LP_INTBUF_SIZE], size_t *len) {
    if (it->encoding == OBJ_ENCODING_LISTPACK)
        return lpElementText(what == HASH_FIELD ? it->fptr : it->vptr, buf, len);
    if (what == HASH_FIELD) {
        *len = it->cur->flen;
        return (const unsigned char *)it->cur->data;
    }
    *len = it->cur->vlen;
    return hashFieldValue(it->cur);
}

void hashTypeReleaseIterator(hashTypeIterator *it) {
    if (it->encoding == OBJ_ENCODING_HT) htabIterRelease(&it->hi);
}

size_t hashTypeMemUsage(robj *o, size_t samples) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) return zmallocSize(o->ptr);
    htab *t = o->ptr;
    size_t size = htabSize(t), total = htabMemUsage(t);
    if (size == 0) return total;
    if (samples == 0 || samples > size) samples = size;
    size_t seen = 0, bytes = 0;
    htabIterator hi;
    htabIterInit(&hi, t);
    hashField *e;
    while (seen < samples && (e = htabIterNext(&hi)) != NULL) {
        bytes += zmallocSize(e);
        seen++;
    }
    htabIterRelease(&hi);
    return total + (seen ? (size_t)((double)bytes / (double)seen * (double)size) : 0);
}

/* ---- Registered type functions ----------------------------------------- */

static void hashFreePayload(robj *o) {
    if (o->encoding == OBJ_ENCODING_LISTPACK)
        lpFree(o->ptr);
    else
        htabRelease(o->ptr);
}

/* Allocations to free: decides whether UNLINK frees in the background. */
static size_t hashFreeEffort(robj *o) {
    return o->encoding == OBJ_ENCODING_HT ? htabSize(o->ptr) : 1;
}

/* Unordered: every (field, value) pair is digested on its own and folded in
 * with XOR, so both encodings (and any field order) give the same digest. */
static void hashDigest(robj *o, unsigned char digest[DEBUG_DIGEST_LEN]) {
    hashTypeIterator it;
    hashTypeInitIterator(o, &it);
    while (hashTypeNext(&it)) {
        unsigned char fbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
        unsigned char pair[DEBUG_DIGEST_LEN] = {0};
        size_t flen, vlen;
        const unsigned char *f = hashTypeCurrent(&it, HASH_FIELD, fbuf, &flen);
        const unsigned char *v = hashTypeCurrent(&it, HASH_VALUE, vbuf, &vlen);
        debugDigestMix(pair, f, flen);
        debugDigestMix(pair, v, vlen);
        debugDigestXor(digest, pair);
    }
    hashTypeReleaseIterator(&it);
}

/* Deep copy for COPY, keeping the encoding. */
static robj *hashDup(robj *o) {
    robj *d;
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        d = createObject(OBJ_HASH, zmemdup(o->ptr, lpBytes(o->ptr)));
        d->encoding = OBJ_ENCODING_LISTPACK;
        return d;
    }
    htab *src = o->ptr, *dst = htabCreate(&hashHtabType);
    htabIterator hi;
    htabIterInit(&hi, src);
    hashField *e;
    while ((e = htabIterNext(&hi)) != NULL) {
        hashField *ne = zmemdup(e, hashFieldSize(e->flen, e->vlen));
        ne->next = NULL;
        htabInsert(dst, ne);
    }
    htabIterRelease(&hi);
    d = createObject(OBJ_HASH, dst);
    d->encoding = OBJ_ENCODING_HT;
    return d;
}

void hashTypeInit(void) {
    getRandomBytes((unsigned char *)&rngState, sizeof(rngState));
    objectSetFreeFunction(OBJ_HASH, hashFreePayload);
    objectSetDupFunction(OBJ_HASH, hashDup);
    lazyfreeSetEffortFunction(OBJ_HASH, hashFreeEffort);
    debugSetValueDigestFunction(OBJ_HASH, hashDigest);
}

/* ------------------------------------------------------------------------
 * Command helpers
 * ---------------------------------------------------------------------- */

/* The hash at key for writing.  Returns NULL after replying WRONGTYPE.  A
 * missing key gives a new, detached hash and *created = 1: the caller fills
 * it and passes it to hashCommitNew (or decrRefCount on an error path). */
static robj *hashLookupWriteOrCreate(client *c, robj *key, int *created) {
    robj *o = lookupKeyWrite(c->db, key);
    *created = 0;
    if (checkType(c, o, OBJ_HASH)) return NULL;
    if (o == NULL) {
        o = hashTypeCreate();
        *created = 1;
    }
    return o;
}

/* Adds a hash made by hashLookupWriteOrCreate to the keyspace (consuming
 * it); no-op for a hash that was already there. */
static void hashCommitNew(client *c, robj *key, robj *o, int created) {
    if (created) dbAdd(c->db, key, o);
}

/* The hash at key for reading: NULL if missing (*missing = 1, nothing
 * replied) or of another type (WRONGTYPE replied, *missing = 0). */
static robj *hashLookupRead(client *c, robj *key, int *missing) {
    robj *o = lookupKeyRead(c->db, key);
    *missing = (o == NULL);
    if (o == NULL || checkType(c, o, OBJ_HASH)) return NULL;
    return o;
}

static void addReplyHashValue(client *c, const unsigned char *vstr, size_t vlen, long long vll) {
    if (vstr)
        addReplyBulkCBuffer(c, vstr, vlen);
    else
        addReplyBulkLongLong(c, vll);
}

/* Replies the value of field in o, or null if there is no such field. */
static void addReplyHashField(client *c, robj *o, robj *field) {
    const unsigned char *vstr;
    size_t vlen;
    long long vll;
    if (o && hashTypeGetValue(o, field->ptr, rstrLen(field->ptr), &vstr, &vlen, &vll))
        addReplyHashValue(c, vstr, vlen, vll);
    else
        addReplyNull(c);
}

static void hashNotify(client *c, robj *key, const char *event) {
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_HASH, event, key, c->db->id);
}

/* ------------------------------------------------------------------------
 * HSET, HMSET, HSETNX
 * ---------------------------------------------------------------------- */

/* HSET key field value [field value ...]: replies the number of new fields
 * (HSET) or OK (HMSET). */
static void hsetGenericCommand(client *c, int reply_ok) {
    if (c->argc % 2 == 1) {
        addReplyErrorArity(c);
        return;
    }
    int created;
    robj *o = hashLookupWriteOrCreate(c, c->argv[1], &created);
    if (o == NULL) return;
    hashTypeTryConversion(o, c->argv, 2, c->argc - 1);
    long long added = 0;
    for (int i = 2; i < c->argc; i += 2) {
        rstr f = c->argv[i]->ptr, v = c->argv[i + 1]->ptr;
        added += hashTypeSet(o, f, rstrLen(f), v, rstrLen(v));
    }
    hashCommitNew(c, c->argv[1], o, created);
    if (reply_ok)
        addReplyOk(c);
    else
        addReplyLongLong(c, added);
    hashNotify(c, c->argv[1], "hset");
    server.dirty += (c->argc - 2) / 2;
}

void hsetCommand(client *c) {
    hsetGenericCommand(c, 0);
}

void hmsetCommand(client *c) {
    hsetGenericCommand(c, 1);
}

void hsetnxCommand(client *c) {
    int created;
    robj *o = hashLookupWriteOrCreate(c, c->argv[1], &created);
    if (o == NULL) return;
    rstr f = c->argv[2]->ptr, v = c->argv[3]->ptr;
    if (hashTypeExists(o, f, rstrLen(f))) {
        addReplyLongLong(c, 0);
        return;
    }
    hashTypeTryConversion(o, c->argv, 2, 3);
    hashTypeSet(o, f, rstrLen(f), v, rstrLen(v));
    hashCommitNew(c, c->argv[1], o, created);
    addReplyLongLong(c, 1);
    hashNotify(c, c->argv[1], "hset");
    server.dirty++;
}

/* ------------------------------------------------------------------------
 * Reads: HGET HMGET HLEN HSTRLEN HEXISTS HKEYS HVALS HGETALL
 * ---------------------------------------------------------------------- */

void hgetCommand(client *c) {
    int missing;
    robj *o = hashLookupRead(c, c->argv[1], &missing);
    if (o == NULL && !missing) return;
    addReplyHashField(c, o, c->argv[2]);
}

void hmgetCommand(client *c) {
    int missing;
    robj *o = hashLookupRead(c, c->argv[1], &missing);
    if (o == NULL && !missing) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++) addReplyHashField(c, o, c->argv[i]);
}

void hlenCommand(client *c) {
    int missing;
    robj *o = hashLookupRead(c, c->argv[1], &missing);
    if (o == NULL && !missing) return;
    addReplyLongLong(c, o ? (long long)hashTypeLength(o) : 0);
}

void hstrlenCommand(client *c) {
    int missing;
    robj *o = hashLookupRead(c, c->argv[1], &missing);
    if (o == NULL && !missing) return;
    const unsigned char *vstr;
    size_t vlen = 0;
    long long vll;
    rstr f = c->argv[2]->ptr;
    if (o && hashTypeGetValue(o, f, rstrLen(f), &vstr, &vlen, &vll) && vstr == NULL) {
        char buf[LONG_STR_SIZE];
        vlen = (size_t)ll2string(buf, sizeof(buf), vll);
    }
    addReplyLongLong(c, (long long)vlen);
}

void hexistsCommand(client *c) {
    int missing;
    robj *o = hashLookupRead(c, c->argv[1], &missing);
    if (o == NULL && !missing) return;
    rstr f = c->argv[2]->ptr;
    addReplyLongLong(c, o && hashTypeExists(o, f, rstrLen(f)) ? 1 : 0);
}

/* HKEYS, HVALS, HGETALL: what selects fields and/or values.  A missing key
 * is an empty array (an empty map for HGETALL under RESP3). */
#define HASH_GET_FIELDS 1
#define HASH_GET_VALUES 2
static void hgetallGenericCommand(client *c, int what) {
    int missing;
    robj *o = hashLookupRead(c, c->argv[1], &missing);
    if (o == NULL && !missing) return;
    int both = (what == (HASH_GET_FIELDS | HASH_GET_VALUES));
    long len = o ? (long)hashTypeLength(o) : 0;
    if (both)
        addReplyMapLen(c, len);
    else
        addReplyArrayLen(c, len);
    if (o == NULL) return;

    hashTypeIterator it;
    hashTypeInitIterator(o, &it);
    while (hashTypeNext(&it)) {
        unsigned char buf[LP_INTBUF_SIZE];
        size_t l;
        const unsigned char *p;
        if (what & HASH_GET_FIELDS) {
            p = hashTypeCurrent(&it, HASH_FIELD, buf, &l);
            addReplyBulkCBuffer(c, p, l);
        }
        if (what & HASH_GET_VALUES) {
            p = hashTypeCurrent(&it, HASH_VALUE, buf, &l);
            addReplyBulkCBuffer(c, p, l);
        }
    }
    hashTypeReleaseIterator(&it);
}

void hkeysCommand(client *c) {
    hgetallGenericCommand(c, HASH_GET_FIELDS);
}

void hvalsCommand(client *c) {
    hgetallGenericCommand(c, HASH_GET_VALUES);
}

void hgetallCommand(client *c) {
    hgetallGenericCommand(c, HASH_GET_FIELDS | HASH_GET_VALUES);
}

/* ------------------------------------------------------------------------
 * HDEL
 * ---------------------------------------------------------------------- */

void hdelCommand(client *c) {
    robj *o = lookupKeyWrite(c->db, c->argv[1]);
    if (o == NULL) {
        addReplyLongLong(c, 0);
        return;
    }
    if (checkType(c, o, OBJ_HASH)) return;
    long long deleted = 0;
    int keyremoved = 0;
    for (int i = 2; i < c->argc; i++) {
        rstr f = c->argv[i]->ptr;
        if (!hashTypeDelete(o, f, rstrLen(f))) continue;
        deleted++;
        if (hashTypeLength(o) == 0) {
            dbDelete(c->db, c->argv[1]);
            keyremoved = 1;
            break;
        }
    }
    if (deleted) {
        hashNotify(c, c->argv[1], "hdel");
        if (keyremoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[1], c->db->id);
        server.dirty += deleted;
    }
    addReplyLongLong(c, deleted);
}

/* ------------------------------------------------------------------------
 * HINCRBY, HINCRBYFLOAT
 * ---------------------------------------------------------------------- */

void hincrbyCommand(client *c) {
    long long incr, value = 0;
    if (getLongLongFromObject(c->argv[3], &incr) != 0) {
        addReplyErrorNotInteger(c);
        return;
    }
    int created;
    robj *o = hashLookupWriteOrCreate(c, c->argv[1], &created);
    if (o == NULL) return;
    rstr f = c->argv[2]->ptr;
    size_t flen = rstrLen(f);
    const unsigned char *vstr;
    size_t vlen;
    if (hashTypeGetValue(o, f, flen, &vstr, &vlen, &value) && vstr &&
        !string2ll((const char *)vstr, vlen, &value)) {
        addReplyError(c, "hash value is not an integer");
        goto fail;
    }
    if ((incr < 0 && value < 0 && incr < LLONG_MIN - value) ||
        (incr > 0 && value > 0 && incr > LLONG_MAX - value)) {
        addReplyError(c, "increment or decrement would overflow");
        goto fail;
    }
    value += incr;
    char buf[LONG_STR_SIZE];
    int len = ll2string(buf, sizeof(buf), value);
    hashTypeSet(o, f, flen, buf, (size_t)len);
    hashCommitNew(c, c->argv[1], o, created);
    addReplyLongLong(c, value);
    hashNotify(c, c->argv[1], "hincrby");
    server.dirty++;
    return;

fail:
    if (created) decrRefCount(o);
}

void hincrbyfloatCommand(client *c) {
    long double incr, value = 0;
    if (getLongDoubleFromObject(c->argv[3], &incr) != 0) {
        addReplyError(c, "value is not a valid float");
        return;
    }
    if (isnan(incr) || isinf(incr)) {
        addReplyError(c, "value is NaN or Infinity");
        return;
    }
    int created;
    robj *o = hashLookupWriteOrCreate(c, c->argv[1], &created);
    if (o == NULL) return;
    rstr f = c->argv[2]->ptr;
    size_t flen = rstrLen(f);
    const unsigned char *vstr;
    size_t vlen;
    long long vll;
    if (hashTypeGetValue(o, f, flen, &vstr, &vlen, &vll)) {
        if (vstr == NULL) {
            value = (long double)vll;
        } else if (!string2ld((const char *)vstr, vlen, &value)) {
            addReplyError(c, "hash value is not a float");
            goto fail;
        }
    }
    value += incr;
    if (isnan(value) || isinf(value)) {
        addReplyError(c, "increment would produce NaN or Infinity");
        goto fail;
    }
    char buf[MAX_LONG_DOUBLE_CHARS];
    int len = ld2string(buf, sizeof(buf), value, 1);
    hashTypeSet(o, f, flen, buf, (size_t)len);
    hashCommitNew(c, c->argv[1], o, created);
    addReplyBulkCBuffer(c, buf, (size_t)len);
    hashNotify(c, c->argv[1], "hincrbyfloat");
    server.dirty++;
    return;

fail:
    if (created) decrRefCount(o);
}

/* ------------------------------------------------------------------------
 * HRANDFIELD
 * ---------------------------------------------------------------------- */

/* Listpack pairs are sampled in batches of at most this many, so a huge
 * negative count never needs huge temporary arrays. */
#define HRANDFIELD_SAMPLE_BATCH 1000

/* One reply element: the field, or with WITHVALUES the pair (a 2-element
 * array under RESP3, two flat elements under RESP2). */
static void addReplyRandomPair(client *c, const unsigned char *f, size_t flen,
                               const unsigned char *v, size_t vlen, int withvalues) {
    if (withvalues && c->resp > 2) addReplyArrayLen(c, 2);
    addReplyBulkCBuffer(c, f, flen);
    if (withvalues) addReplyBulkCBuffer(c, v, vlen);
}

static void addReplyRandomListpackPairs(client *c, unsigned long n, listpackEntry *keys,
                                        listpackEntry *vals, int withvalues) {
    for (unsigned long i = 0; i < n; i++) {
        unsigned char fbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
        size_t flen, vlen = 0;
        const unsigned char *f = lpDecodedBytes(&keys[i], fbuf, &flen);
        const unsigned char *v = withvalues ? lpDecodedBytes(&vals[i], vbuf, &vlen) : NULL;
        addReplyRandomPair(c, f, flen, v, vlen, withvalues);
    }
}

static void addReplyRandomHtabEntry(client *c, hashField *e, int withvalues) {
    addReplyRandomPair(c, (const unsigned char *)e->data, e->flen, hashFieldValue(e), e->vlen,
                       withvalues);
}

/* A small open-addressing set of entry pointers: remembers which entries a
 * sample already holds when picking a few distinct fields of a big hash. */
typedef struct ptrSet {
    void **slots;
    unsigned long mask;
} ptrSet;

static void ptrSetInit(ptrSet *s, unsigned long count) {
    unsigned long size = 16;
    while (size < count * 2) size <<= 1;
    s->slots = zcalloc(size * sizeof(void *));
    s->mask = size - 1;
}

/* Adds p: 1 if it was new, 0 if already present. */
static int ptrSetAdd(ptrSet *s, void *p) {
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= 0xed5ad4bbU;
    h ^= h >> 11;
    for (unsigned long i = h & s->mask;; i = (i + 1) & s->mask) {
        if (s->slots[i] == p) return 0;
        if (s->slots[i] == NULL) {
            s->slots[i] = p;
            return 1;
        }
    }
}

static void hrandfieldWithCountCommand(client *c, long l, int withvalues) {
    int missing;
    robj *o = hashLookupRead(c, c->argv[1], &missing);
    if (o == NULL) {
        if (missing) addReplyArrayLen(c, 0);
        return;
    }
    unsigned long size = hashTypeLength(o);
    int uniq = l >= 0;
    unsigned long count = uniq ? (unsigned long)l : -(unsigned long)l;
    if (count == 0) {
        addReplyArrayLen(c, 0);
        return;
    }

    /* Negative count (or 1): independent draws, repetitions allowed, in
     * random order. */
    if (!uniq || count == 1) {
        addReplyArrayLen(c, (long)(withvalues && c->resp == 2 ? count * 2 : count));
        if (o->encoding == OBJ_ENCODING_HT) {
            randState rs = {4};
            hashHtabPrepareRandom(o->ptr);
            while (count--) addReplyRandomHtabEntry(c, hashHtabFairRandom(o->ptr, &rs), withvalues);
            return;
        }
        unsigned long batch = count < HRANDFIELD_SAMPLE_BATCH ? count : HRANDFIELD_SAMPLE_BATCH;
        listpackEntry *keys = zmalloc(sizeof(*keys) * batch);
        listpackEntry *vals = withvalues ? zmalloc(sizeof(*vals) * batch) : NULL;
        while (count) {
            unsigned long n = count < batch ? count : batch;
            count -= n;
            lpRandomPairs(o->ptr, (unsigned int)n, keys, vals);
            addReplyRandomListpackPairs(c, n, keys, vals, withvalues);
        }
        zfree(keys);
        zfree(vals);
        return;
    }

    unsigned long replied = count < size ? count : size;
    addReplyArrayLen(c, (long)(withvalues && c->resp == 2 ? replied * 2 : replied));

    /* Asking for at least the whole hash: all of it, in storage order. */
    if (count >= size) {
        hashTypeIterator it;
        hashTypeInitIterator(o, &it);
        while (hashTypeNext(&it)) {
            unsigned char fbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
            size_t flen, vlen;
            const unsigned char *f = hashTypeCurrent(&it, HASH_FIELD, fbuf, &flen);
            const unsigned char *v = hashTypeCurrent(&it, HASH_VALUE, vbuf, &vlen);
            addReplyRandomPair(c, f, flen, v, vlen, withvalues);
        }
        hashTypeReleaseIterator(&it);
        return;
    }

    /* Listpack: distinct pairs in one pass, in listpack order. */
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        listpackEntry *keys = zmalloc(sizeof(*keys) * count);
        listpackEntry *vals = withvalues ? zmalloc(sizeof(*vals) * count) : NULL;
        unsigned int n = lpRandomPairsUnique(o->ptr, (unsigned int)count, keys, vals);
        serverAssert(n == count);
        addReplyRandomListpackPairs(c, n, keys, vals, withvalues);
        zfree(keys);
        zfree(vals);
        return;
    }

    htab *t = o->ptr;
    if (count * 3 > size) {
        /* A large share of the hash: take every entry and shuffle the first
         * count into place (partial Fisher-Yates). Uniform, O(size). */
        hashField **all = zmalloc(sizeof(*all) * size);
        unsigned long n = 0;
        htabIterator hi;
        htabIterInit(&hi, t);
        hashField *e;
        while ((e = htabIterNext(&hi)) != NULL) all[n++] = e;
        htabIterRelease(&hi);
        serverAssert(n == size);
        for (unsigned long i = 0; i < count; i++) {
            unsigned long j = i + rngBelow(size - i);
            hashField *tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
            addReplyRandomHtabEntry(c, all[i], withvalues);
        }
        zfree(all);
        return;
    }

    /* A small share: draw until count distinct entries were seen.  With at
     * most a third of the hash wanted, each draw is new with probability
     * >= 2/3, so this takes at most about 1.5 * count draws on average. */
    ptrSet seen;
    ptrSetInit(&seen, count);
    randState rs = {4};
    hashHtabPrepareRandom(t);
    unsigned long added = 0;
    while (added < count) {
        hashField *e = hashHtabFairRandom(t, &rs);
        if (!ptrSetAdd(&seen, e)) continue;
        addReplyRandomHtabEntry(c, e, withvalues);
        added++;
    }
    zfree(seen.slots);
}

/* HRANDFIELD key [count [WITHVALUES]] */
void hrandfieldCommand(client *c) {
    if (c->argc >= 3) {
        long long ll;
        if (getLongLongFromObject(c->argv[2], &ll) != 0) {
            addReplyErrorNotInteger(c);
            return;
        }
        if (ll < -LONG_MAX || ll > LONG_MAX) {
            addReplyErrorFormat(c, "value is out of range, value must between %ld and %ld",
                                -LONG_MAX, LONG_MAX);
            return;
        }
        long l = (long)ll;
        int withvalues = 0;
        if (c->argc > 4 || (c->argc == 4 && strcasecmp(c->argv[3]->ptr, "withvalues"))) {
            addReplyErrorSyntax(c);
            return;
        }
        if (c->argc == 4) {
            withvalues = 1;
            /* Each pair is two replies: keep count * 2 representable. */
            if (l < -LONG_MAX / 2 || l > LONG_MAX / 2) {
                addReplyError(c, "value is out of range");
                return;
            }
        }
        hrandfieldWithCountCommand(c, l, withvalues);
        return;
    }

    int missing;
    robj *o = hashLookupRead(c, c->argv[1], &missing);
    if (o == NULL) {
        if (missing) addReplyNull(c);
        return;
    }
    if (o->encoding == OBJ_ENCODING_HT) {
        randState rs = {4};
        hashField *e = hashHtabFairRandom(o->ptr, &rs);
        addReplyBulkCBuffer(c, e->data, e->flen);
        return;
    }
    listpackEntry key;
    lpRandomPair(o->ptr, lpLength(o->ptr), &key, NULL);
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const unsigned char *f = lpDecodedBytes(&key, buf, &len);
    addReplyBulkCBuffer(c, f, len);
}

/* ------------------------------------------------------------------------
 * HSCAN
 * ---------------------------------------------------------------------- */

static int hscanMatches(const scanOptions *opts, const unsigned char *f, size_t flen) {
    return opts->pattern == NULL ||
           stringmatchlen(opts->pattern, opts->patlen, (const char *)f, flen, 0);
}

/* HSCAN key cursor [MATCH pattern] [COUNT count].  A listpack hash is
 * returned whole with cursor 0, as Redis does: it is small by definition. */
void hscanCommand(client *c) {
    unsigned long cursor;
    if (parseScanCursorOrReply(c, c->argv[2], &cursor) != C_OK) return;
    int missing;
    robj *o = hashLookupRead(c, c->argv[1], &missing);
    if (o == NULL) {
        if (missing) {
            addReplyScanCursor(c, 0);
            addReplyArrayLen(c, 0);
        }
        return;
    }
    scanOptions opts;
    if (parseScanOptionsOrReply(c, 3, 0, &opts) != C_OK) return;

    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        addReplyScanCursor(c, 0);
        void *len = addReplyDeferredLen(c);
        long n = 0;
        hashTypeIterator it;
        hashTypeInitIterator(o, &it);
        while (hashTypeNext(&it)) {
            unsigned char fbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
            size_t flen, vlen;
            const unsigned char *f = hashTypeCurrent(&it, HASH_FIELD, fbuf, &flen);
            if (!hscanMatches(&opts, f, flen)) continue;
            const unsigned char *v = hashTypeCurrent(&it, HASH_VALUE, vbuf, &vlen);
            addReplyBulkCBuffer(c, f, flen);
            addReplyBulkCBuffer(c, v, vlen);
            n += 2;
        }
        hashTypeReleaseIterator(&it);
        setDeferredArrayLen(c, len, n);
        return;
    }

    scanBatch batch = {0};
    cursor = scanCollect(scanStepHtab, o->ptr, cursor, opts.count, &batch);
    addReplyScanCursor(c, cursor);
    void *len = addReplyDeferredLen(c);
    long n = 0;
    for (size_t i = 0; i < batch.n; i++) {
        hashField *e = batch.found[i];
        if (!hscanMatches(&opts, (const unsigned char *)e->data, e->flen)) continue;
        addReplyBulkCBuffer(c, e->data, e->flen);
        addReplyBulkCBuffer(c, hashFieldValue(e), e->vlen);
        n += 2;
    }
    setDeferredArrayLen(c, len, n);
    scanBatchFree(&batch);
}
