/* hyperloglog.c -- PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST.
 *
 * Why the layout is fixed: a HyperLogLog is a plain string value, and users
 * copy those strings between servers (GET/SET, DUMP/RESTORE, snapshot
 * files).  So the bytes follow Redis's documented representation exactly,
 * and every step that shapes them (hash, register update, sparse opcode
 * splitting and merging, promotion to dense, the cached cardinality) makes
 * the same choices Redis makes: the same PFADDs give the same bytes.
 *
 * Value layout (all offsets in bytes):
 *
 *     0   4  magic "HYLL"
 *     4   1  encoding: 0 dense, 1 sparse
 *     5   3  unused, zero when we create them (copied as they are)
 *     8   8  cached cardinality, little endian; the top bit of byte 15 set
 *            means "stale, recompute"
 *    16   -  registers: 16384 (2^14) registers of 6 bits
 *
 * Dense: 12288 bytes, register i occupies bits 6i..6i+5 counted from the
 * least significant bit of byte 0 (so a register may straddle two bytes).
 *
 * Sparse: a sequence of run-length opcodes whose runs must cover exactly the
 * 16384 registers:
 *     00xxxxxx           ZERO: 1..64 registers at 0
 *     01xxxxxx yyyyyyyy  XZERO: 1..16384 registers at 0 (14-bit length)
 *     1vvvvvxx           VAL: 1..4 registers at value 1..32
 * A register that needs more than 32, or an edit that would grow the value
 * past hll-sparse-max-bytes, converts the value to dense for good.
 *
 * Element -> register: 64-bit MurmurHash64A (seed 0xadc83b19) of the bytes;
 * the low 14 bits pick the register, the run of zero bits above them (plus
 * one, at most 51) is the candidate value; a register keeps its maximum.
 *
 * Estimate: Otmar Ertl's improved raw estimator ("New cardinality estimation
 * algorithms for HyperLogLog sketches", 2017) computed from the histogram of
 * register values, with his sigma/tau series for the small and large range
 * corrections; no empirical bias tables.
 *
 * Corrupted values (a user can SETRANGE into an HLL) are untrusted input:
 * every walk over sparse opcodes is bounded by the value's length, never
 * writes outside it, and reports corruption as -INVALIDOBJ.  Replies and
 * bytes match Redis on corrupted values too (checked by differential
 * fuzzing), with one exception: a value ending in an XZERO opcode cut to
 * one byte and edited twice, where Redis reads a byte past the end of its
 * string that its own first edit left there. */
#include "hyperloglog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "object.h"
#include "reply.h"
#include "rstr.h"
#include "server.h"
#include "config.h"
#include "t_string.h"
#include "util.h"
#include "zmalloc.h"

#define HLL_P 14
#define HLL_Q (64 - HLL_P)            /* hash bits left for the zero run */
#define HLL_REGISTERS (1 << HLL_P)
#define HLL_P_MASK (HLL_REGISTERS - 1)
#define HLL_BITS 6
#define HLL_REGISTER_MAX ((1 << HLL_BITS) - 1)
#define HLL_HDR_SIZE 16
#define HLL_DENSE_SIZE (HLL_HDR_SIZE + (HLL_REGISTERS * HLL_BITS + 7) / 8)
#define HLL_DENSE 0
#define HLL_SPARSE 1
#define HLL_MAX_ENCODING 1
#define HLL_HASH_SEED 0xadc83b19ULL
#define HLL_ALPHA_INF 0.721347520444481703680 /* 1 / (2 ln 2) */

/* Header field offsets. */
#define HLL_OFF_ENCODING 4
#define HLL_OFF_CARD 8
#define HLL_CARD_STALE_BIT 0x80 /* in byte HLL_OFF_CARD + 7 */

/* Sparse opcodes. */
#define HLL_SPARSE_XZERO_BIT 0x40
#define HLL_SPARSE_VAL_BIT 0x80
#define HLL_SPARSE_IS_ZERO(b) (((b) & 0xc0) == 0)
#define HLL_SPARSE_IS_XZERO(b) (((b) & 0xc0) == HLL_SPARSE_XZERO_BIT)
#define HLL_SPARSE_VAL_MAX_VALUE 32
#define HLL_SPARSE_VAL_MAX_LEN 4
#define HLL_SPARSE_ZERO_MAX_LEN 64
#define HLL_SPARSE_XZERO_MAX_LEN 16384

static const char *hllInvalidErr = "-INVALIDOBJ Corrupted HLL object detected";
static const char *hllWrongTypeErr = "-WRONGTYPE Key is not a valid HyperLogLog string value.";

/* ------------------------------------------------------------------------
 * Hash
 * ---------------------------------------------------------------------- */

/* MurmurHash64A (Austin Appleby's 64-bit variant), reading blocks as little
 * endian on every host so the register an element lands in never depends on
 * the machine. */
uint64_t hllMurmurHash64A(const void *key, size_t len, uint64_t seed) {
    const uint64_t m = 0xc6a4a7935bd1e995ULL;
    const int r = 47;
    const unsigned char *data = key;
    uint64_t h = seed ^ ((uint64_t)len * m);
    size_t blocks = len / 8;

    for (size_t i = 0; i < blocks; i++, data += 8) {
        uint64_t k = 0;
        for (int b = 7; b >= 0; b--) k = (k << 8) | data[b];
        k *= m;
        k ^= k >> r;
        k *= m;
        h ^= k;
        h *= m;
    }
    size_t tail = len & 7;
    if (tail) {
        for (size_t b = tail; b > 0; b--) h ^= (uint64_t)data[b - 1] << (8 * (b - 1));
        h *= m;
    }
    h ^= h >> r;
    h *= m;
    h ^= h >> r;
    return h;
}

/* Register index and candidate value (1..HLL_Q+1) of an element. */
static int hllPatLen(const unsigned char *ele, size_t len, long *regp) {
    uint64_t hash = hllMurmurHash64A(ele, len, HLL_HASH_SEED);
    *regp = (long)(hash & HLL_P_MASK);
    hash >>= HLL_P;
    hash |= (uint64_t)1 << HLL_Q; /* guarantees the loop ends at HLL_Q + 1 */
    int count = 1;
    while ((hash & 1) == 0) {
        count++;
        hash >>= 1;
    }
    return count;
}

/* ------------------------------------------------------------------------
 * Header helpers
 * ---------------------------------------------------------------------- */

static void hllInvalidateCache(unsigned char *hdr) {
    hdr[HLL_OFF_CARD + 7] |= HLL_CARD_STALE_BIT;
}

static int hllCacheValid(const unsigned char *hdr) {
    return (hdr[HLL_OFF_CARD + 7] & HLL_CARD_STALE_BIT) == 0;
}

static uint64_t hllCacheGet(const unsigned char *hdr) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | hdr[HLL_OFF_CARD + i];
    return v;
}

static void hllCacheSet(unsigned char *hdr, uint64_t card) {
    for (int i = 0; i < 8; i++) hdr[HLL_OFF_CARD + i] = (unsigned char)(card >> (8 * i));
}

/* ------------------------------------------------------------------------
 * Dense registers
 * ---------------------------------------------------------------------- */

/* A register spans byte b from bit fb, and byte b+1 only when fb > 2; the
 * last register (fb == 2) therefore never touches the byte after the array. */
static unsigned hllDenseGet(const unsigned char *regs, long idx) {
    unsigned long bit = (unsigned long)idx * HLL_BITS;
    unsigned long b = bit / 8;
    unsigned fb = bit & 7;
    unsigned v = regs[b] >> fb;
    if (fb > 8 - HLL_BITS) v |= (unsigned)regs[b + 1] << (8 - fb);
    return v & HLL_REGISTER_MAX;
}

static void hllDenseSetReg(unsigned char *regs, long idx, unsigned val) {
    unsigned long bit = (unsigned long)idx * HLL_BITS;
    unsigned long b = bit / 8;
    unsigned fb = bit & 7;
    regs[b] = (unsigned char)((regs[b] & ~(HLL_REGISTER_MAX << fb)) | (val << fb));
    if (fb > 8 - HLL_BITS) {
        unsigned fb8 = 8 - fb;
        regs[b + 1] = (unsigned char)((regs[b + 1] & ~(HLL_REGISTER_MAX >> fb8)) | (val >> fb8));
    }
}

/* Raises register idx to count; 1 when it changed. */
static int hllDenseSet(unsigned char *regs, long idx, unsigned count) {
    if (count > hllDenseGet(regs, idx)) {
        hllDenseSetReg(regs, idx, count);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Sparse opcodes
 * ---------------------------------------------------------------------- */

/* Decodes the opcode at p (p < end): its span, register value (0 for the
 * zero runs) and byte length.  An XZERO cut short by the end of the value
 * reads its missing second byte as 0, which is what Redis reads there (the
 * string's terminator): even on such a corrupted value, reads and edits
 * come out as Redis's do. */
static void hllSparseOp(const unsigned char *p, const unsigned char *end, long *span, int *val, int *oplen) {
    unsigned char b = *p;
    if (HLL_SPARSE_IS_ZERO(b)) {
        *span = (b & 0x3f) + 1;
        *val = 0;
        *oplen = 1;
    } else if (HLL_SPARSE_IS_XZERO(b)) {
        *span = (((long)(b & 0x3f) << 8) | (p + 1 < end ? p[1] : 0)) + 1;
        *val = 0;
        *oplen = 2;
    } else {
        *span = (b & 0x3) + 1;
        *val = ((b >> 2) & 0x1f) + 1;
        *oplen = 1;
    }
}

static void hllSparseSetVal(unsigned char *p, int val, long len) {
    *p = (unsigned char)(((val - 1) << 2) | (len - 1) | HLL_SPARSE_VAL_BIT);
}

/* Writes a run of zeros (ZERO when it fits, else XZERO); returns bytes. */
static int hllSparseSetZeros(unsigned char *p, long len) {
    if (len > HLL_SPARSE_ZERO_MAX_LEN) {
        long l = len - 1;
        p[0] = (unsigned char)((l >> 8) | HLL_SPARSE_XZERO_BIT);
        p[1] = (unsigned char)(l & 0xff);
        return 2;
    }
    p[0] = (unsigned char)(len - 1);
    return 1;
}

/* Walks the sparse opcodes of a value of `len` bytes (header included),
 * calling fn(arg, first, span, val) for every run.  Returns the number of
 * registers covered, or -1 as soon as a run would pass the last register:
 * the value is corrupted whatever follows, fn never sees an index out of
 * range, and counts cannot overflow on a huge corrupted value. */
typedef void hllRunFn(void *arg, long first, long span, int val);
static long hllSparseWalk(const unsigned char *s, size_t len, hllRunFn *fn, void *arg) {
    const unsigned char *p = s + HLL_HDR_SIZE, *end = s + len;
    long idx = 0;
    while (p < end) {
        long span;
        int val, oplen;
        hllSparseOp(p, end, &span, &val, &oplen);
        if (idx + span > HLL_REGISTERS) return -1;
        if (fn) fn(arg, idx, span, val);
        idx += span;
        if (oplen >= end - p) break; /* also ends a truncated XZERO */
        p += oplen;
    }
    return idx;
}

/* Converts a sparse value to dense in place (o->ptr replaced).  The header
 * (magic, unused bytes, cached cardinality) is carried over as it is.
 * C_ERR when the sparse opcodes are corrupted (o untouched). */
static void hllToDenseRun(void *arg, long first, long span, int val) {
    unsigned char *regs = arg;
    if (val == 0) return;
    for (long i = 0; i < span; i++) hllDenseSetReg(regs, first + i, (unsigned)val);
}

static int hllSparseToDense(robj *o) {
    rstr sparse = o->ptr;
    if ((unsigned char)sparse[HLL_OFF_ENCODING] == HLL_DENSE) return C_OK;
    rstr dense = rstrNewLen(NULL, HLL_DENSE_SIZE);
    memcpy(dense, sparse, HLL_HDR_SIZE);
    dense[HLL_OFF_ENCODING] = HLL_DENSE;
    long covered = hllSparseWalk((unsigned char *)sparse, rstrLen(sparse), hllToDenseRun,
                                 (unsigned char *)dense + HLL_HDR_SIZE);
    if (covered != HLL_REGISTERS) {
        rstrFree(dense);
        return C_ERR;
    }
    rstrFree(sparse);
    o->ptr = dense;
    return C_OK;
}

/* Raises register idx to count (1..HLL_Q+1) in the sparse value o.
 * Returns 1 if a register changed, 0 if not, -1 when the value is
 * corrupted.  May promote o to dense (o->ptr replaced). */
static int hllSparseSet(robj *o, long idx, int count) {
    if (count > HLL_SPARSE_VAL_MAX_VALUE) goto promote;

    /* An edit replaces one opcode by at most five bytes: three more. */
    o->ptr = rstrMakeRoomFor(o->ptr, 3);
    unsigned char *s = (unsigned char *)o->ptr;
    unsigned char *sparse = s + HLL_HDR_SIZE;
    unsigned char *end = s + rstrLen(o->ptr);

    /* Find the opcode whose run covers idx, and the one before it. */
    unsigned char *p = sparse, *prev = NULL;
    long first = 0, span = 0;
    int val = 0, oplen = 1;
    while (p < end) {
        hllSparseOp(p, end, &span, &val, &oplen);
        if (idx <= first + span - 1) break;
        prev = p;
        if (oplen >= end - p) { /* idx lies past the last run */
            p = end;
            break;
        }
        p += oplen;
        first += span;
    }
    if (p >= end) return -1;
    unsigned char *next = p + oplen;
    if (next >= end) next = NULL;

    if (val) {
        if (val >= count) return 0;
        if (span == 1) {
            hllSparseSetVal(p, count, 1); /* same size: rewrite in place */
            goto updated;
        }
    } else if (oplen == 1 && span == 1) {
        hllSparseSetVal(p, count, 1);
        goto updated;
    }

    /* General case: split the run into (before, the register, after). */
    unsigned char seq[5], *n = seq;
    long last = first + span - 1;
    if (val == 0) {
        if (idx != first) n += hllSparseSetZeros(n, idx - first);
        hllSparseSetVal(n++, count, 1);
        if (idx != last) n += hllSparseSetZeros(n, last - idx);
    } else {
        if (idx != first) hllSparseSetVal(n++, val, idx - first);
        hllSparseSetVal(n++, count, 1);
        if (idx != last) hllSparseSetVal(n++, val, last - idx);
    }
    long seqlen = n - seq;
    long deltalen = seqlen - oplen;
    if (deltalen > 0 && rstrLen(o->ptr) + (size_t)deltalen > serverCfg.hll_sparse_max_bytes) goto promote;
    if (deltalen && next) memmove(next + deltalen, next, (size_t)(end - next));
    /* The value's length changes by deltalen whatever happens; when the
     * replaced opcode was an XZERO truncated to one byte, that leaves room
     * for all but the last byte of seq (Redis ends up with the same visible
     * bytes), and nothing is written past the new end. */
    long missing = oplen - (end - p < oplen ? end - p : oplen);
    memcpy(p, seq, (size_t)(seqlen - missing));
    rstrIncrLen(o->ptr, deltalen);
    end += deltalen;

updated:
    /* Merge equal neighbouring VAL runs, looking at most at five opcodes
     * from the one before the edit (that is as far as an edit can create a
     * merge opportunity, and what keeps our bytes equal to Redis's). */
    p = prev ? prev : sparse;
    for (int scan = 5; p < end && scan > 0; scan--) {
        if (HLL_SPARSE_IS_XZERO(*p)) {
            p += 2;
            continue;
        }
        if (HLL_SPARSE_IS_ZERO(*p)) {
            p++;
            continue;
        }
        if (p + 1 < end && (p[1] & HLL_SPARSE_VAL_BIT)) {
            int v1 = ((p[0] >> 2) & 0x1f) + 1, v2 = ((p[1] >> 2) & 0x1f) + 1;
            long len = (p[0] & 3) + 1 + (p[1] & 3) + 1;
            if (v1 == v2 && len <= HLL_SPARSE_VAL_MAX_LEN) {
                hllSparseSetVal(p + 1, v1, len);
                memmove(p, p + 1, (size_t)(end - p - 1));
                rstrIncrLen(o->ptr, -1);
                end--;
                continue; /* try the merged run against its right neighbour */
            }
        }
        p++;
    }
    hllInvalidateCache((unsigned char *)o->ptr);
    return 1;

promote:
    if (hllSparseToDense(o) == C_ERR) return -1;
    return hllDenseSet((unsigned char *)o->ptr + HLL_HDR_SIZE, idx, (unsigned)count);
}

/* Adds one element; 1 if a register changed, 0 if not, -1 if corrupted. */
static int hllAdd(robj *o, const unsigned char *ele, size_t len) {
    long idx;
    int count = hllPatLen(ele, len, &idx);
    unsigned char *s = (unsigned char *)o->ptr;
    if (s[HLL_OFF_ENCODING] == HLL_DENSE) return hllDenseSet(s + HLL_HDR_SIZE, idx, (unsigned)count);
    return hllSparseSet(o, idx, count);
}

/* ------------------------------------------------------------------------
 * Estimation
 * ---------------------------------------------------------------------- */

/* Ertl's sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1), summed until the float
 * stops changing. */
static double hllSigma(double x) {
    if (x == 1.0) return INFINITY;
    double y = 1.0, z = x, zprev;
    do {
        x *= x;
        zprev = z;
        z += x * y;
        y += y;
    } while (zprev != z);
    return z;
}

/* Ertl's tau(x) = (1 - x - sum_{k>=1} (1 - x^(2^-k))^2 2^-k) / 3. */
static double hllTau(double x) {
    if (x == 0.0 || x == 1.0) return 0.0;
    double y = 1.0, z = 1.0 - x, zprev;
    do {
        x = sqrt(x);
        zprev = z;
        y *= 0.5;
        z -= pow(1.0 - x, 2) * y;
    } while (zprev != z);
    return z / 3.0;
}

/* Cardinality from the histogram of register values (reghisto[v] = number
 * of registers holding v; values above HLL_Q + 1 cannot come from a hash
 * and are ignored). */
static uint64_t hllEstimate(const int *reghisto) {
    double m = HLL_REGISTERS;
    double z = m * hllTau((m - reghisto[HLL_Q + 1]) / m);
    for (int j = HLL_Q; j >= 1; j--) {
        z += reghisto[j];
        z *= 0.5;
    }
    z += m * hllSigma(reghisto[0] / m);
    return (uint64_t)llroundl(HLL_ALPHA_INF * m * m / z);
}

static void hllHistoRun(void *arg, long first, long span, int val) {
    (void)first;
    ((int *)arg)[val] += (int)span;
}

/* Estimates the cardinality of an HLL value of len bytes.  *invalid is set
 * when sparse opcodes do not cover exactly the registers. */
static uint64_t hllCount(const unsigned char *s, size_t len, int *invalid) {
    int reghisto[64] = {0};
    if (s[HLL_OFF_ENCODING] == HLL_DENSE) {
        const unsigned char *regs = s + HLL_HDR_SIZE;
        for (long i = 0; i < HLL_REGISTERS; i++) reghisto[hllDenseGet(regs, i)]++;
    } else {
        /* Zero runs can count past the register array on a corrupted value
         * before the final check notices; only the histogram of well formed
         * runs is used then, and the caller discards the result anyway. */
        long covered = hllSparseWalk(s, len, hllHistoRun, reghisto);
        if (covered != HLL_REGISTERS) {
            *invalid = 1;
            return 0;
        }
    }
    return hllEstimate(reghisto);
}

/* Raises max[i] to the registers of an HLL value; C_ERR when corrupted. */
static void hllMergeRun(void *arg, long first, long span, int val) {
    uint8_t *max = arg;
    if (val == 0) return;
    for (long i = first; i < first + span; i++)
        if (val > max[i]) max[i] = (uint8_t)val;
}

static int hllMerge(uint8_t *max, const unsigned char *s, size_t len) {
    if (s[HLL_OFF_ENCODING] == HLL_DENSE) {
        const unsigned char *regs = s + HLL_HDR_SIZE;
        for (long i = 0; i < HLL_REGISTERS; i++) {
            unsigned v = hllDenseGet(regs, i);
            if (v > max[i]) max[i] = (uint8_t)v;
        }
        return C_OK;
    }
    return hllSparseWalk(s, len, hllMergeRun, max) == HLL_REGISTERS ? C_OK : C_ERR;
}

/* ------------------------------------------------------------------------
 * Values
 * ---------------------------------------------------------------------- */

/* A new empty HLL: sparse, one XZERO covering every register, cache
 * holding 0 (callers that count it as a change mark it stale). */
static robj *hllCreateObject(void) {
    unsigned char buf[HLL_HDR_SIZE + 2] = {'H', 'Y', 'L', 'L', HLL_SPARSE};
    hllSparseSetZeros(buf + HLL_HDR_SIZE, HLL_REGISTERS);
    return createRawStringObject((const char *)buf, sizeof(buf));
}

/* Bytes of a string value if it can be an HLL (RAW or EMBSTR only). */
static const unsigned char *hllBytes(robj *o, size_t *len) {
    if (o->encoding != OBJ_ENCODING_RAW && o->encoding != OBJ_ENCODING_EMBSTR) return NULL;
    *len = rstrLen(o->ptr);
    return (const unsigned char *)o->ptr;
}

/* The header checks: magic, known encoding, exact size when dense.  The
 * sparse opcodes are checked lazily by whatever walks them. */
static int hllHeaderValid(const unsigned char *s, size_t len) {
    if (len < HLL_HDR_SIZE) return 0;
    if (memcmp(s, "HYLL", 4) != 0) return 0;
    if (s[HLL_OFF_ENCODING] > HLL_MAX_ENCODING) return 0;
    if (s[HLL_OFF_ENCODING] == HLL_DENSE && len != HLL_DENSE_SIZE) return 0;
    return 1;
}

int hllIsValid(const unsigned char *p, size_t len) {
    if (!hllHeaderValid(p, len)) return 0;
    if (p[HLL_OFF_ENCODING] == HLL_DENSE) return 1;
    return hllSparseWalk(p, len, NULL, NULL) == HLL_REGISTERS;
}

/* Replies WRONGTYPE (of either flavour) and returns C_ERR unless o is a
 * string that looks like an HLL. */
static int hllCheckObjectOrReply(client *c, robj *o) {
    if (checkType(c, o, OBJ_STRING)) return C_ERR;
    size_t len = 0;
    const unsigned char *s = hllBytes(o, &len);
    if (s == NULL || !hllHeaderValid(s, len)) {
        addReplyError(c, hllWrongTypeErr);
        return C_ERR;
    }
    return C_OK;
}

/* ------------------------------------------------------------------------
 * Commands
 * ---------------------------------------------------------------------- */

/* PFADD key [element ...]: 1 when the key was created or a register moved. */
void pfaddCommand(client *c) {
    robj *key = c->argv[1];
    robj *cur = lookupKeyWrite(c->db, key);
    if (cur && hllCheckObjectOrReply(c, cur) != C_OK) return;

    stringWriteHandle h;
    int updated = 0;
    if (cur == NULL) {
        h.key = key;
        h.cur = NULL;
        h.val = hllCreateObject();
        updated++;
    } else {
        stringWriteOpen(&h, key, cur, 0);
    }
    int err = 0;
    for (int j = 2; j < c->argc; j++) {
        rstr ele = c->argv[j]->ptr;
        int r = hllAdd(h.val, (const unsigned char *)ele, rstrLen(ele));
        if (r < 0) {
            err = 1;
            break;
        }
        updated += r;
    }
    /* After a corruption error the registers already raised stay raised
     * (the value is committed either way) but, as in Redis, the cache is
     * only marked stale by sparse edits, not for dense ones. */
    if (updated && !err) hllInvalidateCache((unsigned char *)h.val->ptr);
    stringWriteCommit(c, &h);
    if (err) {
        addReplyError(c, hllInvalidErr);
        return;
    }
    if (updated) {
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_STRING, "pfadd", key, c->db->id);
        server.dirty += updated;
    }
    addReplyLongLong(c, updated ? 1 : 0);
}

/* PFCOUNT key: the cached cardinality, refreshed (a write) when stale. */
static void pfcountSingle(client *c) {
    robj *key = c->argv[1];
    robj *o = lookupKeyRead(c->db, key);
    if (o == NULL) {
        addReplyLongLong(c, 0);
        return;
    }
    if (hllCheckObjectOrReply(c, o) != C_OK) return;
    size_t len = 0;
    const unsigned char *s = hllBytes(o, &len);
    if (hllCacheValid(s) && o->encoding == OBJ_ENCODING_RAW) {
        addReplyLongLong(c, (long long)hllCacheGet(s));
        return;
    }

    /* Writing the cache modifies the value: go through a write lookup so the
     * snapshot writer sees the change, and unshare an embedded value into a
     * RAW one as Redis does. */
    robj *w = lookupKeyWriteWithFlags(c->db, key, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
    stringWriteHandle h;
    stringWriteOpen(&h, key, w, 0);
    unsigned char *ws = (unsigned char *)h.val->ptr;
    uint64_t card;
    int refreshed = 0, invalid = 0;
    if (hllCacheValid(ws)) {
        card = hllCacheGet(ws);
    } else {
        card = hllCount(ws, rstrLen(h.val->ptr), &invalid);
        if (!invalid) {
            hllCacheSet(ws, card);
            refreshed = 1;
        }
    }
    stringWriteCommit(c, &h);
    if (invalid) {
        addReplyError(c, hllInvalidErr);
        return;
    }
    if (refreshed) {
        signalModifiedKey(c, c->db, key);
        server.dirty++;
    }
    addReplyLongLong(c, (long long)card);
}

/* PFCOUNT key [key ...]: with several keys, the cardinality of their union,
 * computed in a scratch register array; no key is modified. */
void pfcountCommand(client *c) {
    if (c->argc == 2) {
        pfcountSingle(c);
        return;
    }
    uint8_t max[HLL_REGISTERS];
    memset(max, 0, sizeof(max));
    for (int j = 1; j < c->argc; j++) {
        robj *o = lookupKeyRead(c->db, c->argv[j]);
        if (o == NULL) continue;
        if (hllCheckObjectOrReply(c, o) != C_OK) return;
        size_t len = 0;
        const unsigned char *s = hllBytes(o, &len);
        if (hllMerge(max, s, len) != C_OK) {
            addReplyError(c, hllInvalidErr);
            return;
        }
    }
    int reghisto[64] = {0};
    for (long i = 0; i < HLL_REGISTERS; i++) reghisto[max[i]]++;
    addReplyLongLong(c, (long long)hllEstimate(reghisto));
}

/* PFMERGE destkey [sourcekey ...]: destkey (itself part of the union)
 * receives the register-wise maximum.  It turns dense when any input is
 * dense, else stays sparse unless the registers force a promotion. */
void pfmergeCommand(client *c) {
    uint8_t max[HLL_REGISTERS];
    int use_dense = 0;
    memset(max, 0, sizeof(max));
    for (int j = 1; j < c->argc; j++) {
        robj *o = lookupKeyRead(c->db, c->argv[j]);
        if (o == NULL) continue;
        if (hllCheckObjectOrReply(c, o) != C_OK) return;
        size_t len = 0;
        const unsigned char *s = hllBytes(o, &len);
        if (s[HLL_OFF_ENCODING] == HLL_DENSE) use_dense = 1;
        if (hllMerge(max, s, len) != C_OK) {
            addReplyError(c, hllInvalidErr);
            return;
        }
    }

    robj *key = c->argv[1];
    robj *cur = lookupKeyWrite(c->db, key);
    stringWriteHandle h;
    if (cur == NULL) {
        h.key = key;
        h.cur = NULL;
        h.val = hllCreateObject();
    } else {
        stringWriteOpen(&h, key, cur, 0);
    }
    if (use_dense && hllSparseToDense(h.val) == C_ERR) {
        /* Unreachable in practice: destkey was merged above, so its opcodes
         * are sound.  Keep the value as it was. */
        stringWriteCommit(c, &h);
        addReplyError(c, hllInvalidErr);
        return;
    }
    for (long i = 0; i < HLL_REGISTERS; i++) {
        if (max[i] == 0) continue;
        unsigned char *s = (unsigned char *)h.val->ptr;
        if (s[HLL_OFF_ENCODING] == HLL_DENSE)
            hllDenseSet(s + HLL_HDR_SIZE, i, max[i]);
        else
            hllSparseSet(h.val, i, max[i]);
    }
    hllInvalidateCache((unsigned char *)h.val->ptr);
    stringWriteCommit(c, &h);
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_STRING, "pfadd", key, c->db->id);
    server.dirty++;
    addReplyOk(c);
}

/* PFDEBUG GETREG|DECODE|ENCODING|TODENSE key */
void pfdebugCommand(client *c) {
    const char *cmd = c->argv[1]->ptr;
    robj *key = c->argv[2];
    robj *cur = lookupKeyWrite(c->db, key);
    if (cur == NULL) {
        addReplyError(c, "The specified key does not exist");
        return;
    }
    if (hllCheckObjectOrReply(c, cur) != C_OK) return;

    stringWriteHandle h;
    stringWriteOpen(&h, key, cur, 0);
    unsigned char *s = (unsigned char *)h.val->ptr;

    if (!strcasecmp(cmd, "getreg")) {
        if (s[HLL_OFF_ENCODING] == HLL_SPARSE) {
            if (hllSparseToDense(h.val) == C_ERR) {
                stringWriteCommit(c, &h);
                addReplyError(c, hllInvalidErr);
                return;
            }
            server.dirty++;
        }
        const unsigned char *regs = (unsigned char *)h.val->ptr + HLL_HDR_SIZE;
        addReplyArrayLen(c, HLL_REGISTERS);
        for (long i = 0; i < HLL_REGISTERS; i++) addReplyLongLong(c, hllDenseGet(regs, i));
    } else if (!strcasecmp(cmd, "decode")) {
        if (s[HLL_OFF_ENCODING] != HLL_SPARSE) {
            stringWriteCommit(c, &h);
            addReplyError(c, "HLL encoding is not sparse");
            return;
        }
        rstr out = rstrEmpty();
        const unsigned char *p = s + HLL_HDR_SIZE, *end = s + rstrLen(h.val->ptr);
        while (p < end) {
            long span;
            int val, oplen;
            hllSparseOp(p, end, &span, &val, &oplen);
            if (val)
                out = rstrCatPrintf(out, "v:%d,%ld ", val, span);
            else
                out = rstrCatPrintf(out, "%s:%ld ", oplen == 1 ? "z" : "Z", span);
            if (oplen >= end - p) break;
            p += oplen;
        }
        if (rstrLen(out)) rstrIncrLen(out, -1); /* the trailing space */
        addReplyBulkCBuffer(c, out, rstrLen(out));
        rstrFree(out);
    } else if (!strcasecmp(cmd, "encoding")) {
        addReplyStatus(c, s[HLL_OFF_ENCODING] == HLL_DENSE ? "dense" : "sparse");
    } else if (!strcasecmp(cmd, "todense")) {
        int conv = 0;
        if (s[HLL_OFF_ENCODING] == HLL_SPARSE) {
            if (hllSparseToDense(h.val) == C_ERR) {
                stringWriteCommit(c, &h);
                addReplyError(c, hllInvalidErr);
                return;
            }
            conv = 1;
            server.dirty++;
        }
        addReplyLongLong(c, conv);
    } else {
        addReplyErrorFormat(c, "Unknown PFDEBUG subcommand '%s'", cmd);
    }
    stringWriteCommit(c, &h);
}

/* ------------------------------------------------------------------------
 * PFSELFTEST
 * ---------------------------------------------------------------------- */

/* Self checks of the representation code, run on demand:
 *  1. dense register get/set round-trips every value in every register
 *     without disturbing the neighbours;
 *  2. a sparse HLL and a dense HLL fed the same elements hold the same
 *     registers and give the same estimate, through the promotion;
 *  3. the estimate stays within a generous bound of the true count. */
void pfselftestCommand(client *c) {
    unsigned char *regs = zcalloc(HLL_DENSE_SIZE - HLL_HDR_SIZE);
    uint8_t *model = zcalloc(HLL_REGISTERS);
    robj *sparse = NULL, *dense = NULL;
    const char *fail = NULL;

    for (int round = 0; round < 4 && !fail; round++) {
        for (long i = 0; i < HLL_REGISTERS; i++) {
            model[i] = (uint8_t)(random() & HLL_REGISTER_MAX);
            hllDenseSetReg(regs, i, model[i]);
        }
        for (long i = 0; i < HLL_REGISTERS; i++)
            if (hllDenseGet(regs, i) != model[i]) {
                fail = "TESTFAILED Register error";
                break;
            }
    }

    sparse = hllCreateObject();
    dense = hllCreateObject();
    if (!fail && hllSparseToDense(dense) != C_OK) fail = "TESTFAILED cannot convert an empty HLL";
    size_t saved_max = serverCfg.hll_sparse_max_bytes;
    serverCfg.hll_sparse_max_bytes = 3000;
    const double relerr = 1.04 / sqrt((double)HLL_REGISTERS);
    uint64_t checkpoint = 1;
    uint64_t seed = (uint64_t)random() << 32 | (uint64_t)random();
    for (uint64_t n = 1; n <= 100000 && !fail; n++) {
        uint64_t ele[2] = {seed, n};
        if (hllAdd(sparse, (unsigned char *)ele, sizeof(ele)) < 0 ||
            hllAdd(dense, (unsigned char *)ele, sizeof(ele)) < 0) {
            fail = "TESTFAILED add reported corruption";
            break;
        }
        if (n != checkpoint) continue;
        checkpoint = checkpoint * 2 + 1;
        int inv1 = 0, inv2 = 0;
        uint64_t e1 = hllCount((unsigned char *)sparse->ptr, rstrLen(sparse->ptr), &inv1);
        uint64_t e2 = hllCount((unsigned char *)dense->ptr, rstrLen(dense->ptr), &inv2);
        if (inv1 || inv2 || e1 != e2) {
            fail = "TESTFAILED sparse and dense estimates differ";
            break;
        }
        double maxerr = n < 100 ? 5 * relerr : 6 * relerr; /* about 6 sigma */
        double err = fabs((double)e1 - (double)n) / (double)n;
        if (err > maxerr && fabs((double)e1 - (double)n) > 1) {
            fail = "TESTFAILED estimate out of the error bound";
            break;
        }
    }
    serverCfg.hll_sparse_max_bytes = saved_max;
    if (!fail) {
        memset(model, 0, HLL_REGISTERS);
        uint8_t *m2 = zcalloc(HLL_REGISTERS);
        if (hllMerge(model, (unsigned char *)sparse->ptr, rstrLen(sparse->ptr)) != C_OK ||
            hllMerge(m2, (unsigned char *)dense->ptr, rstrLen(dense->ptr)) != C_OK ||
            memcmp(model, m2, HLL_REGISTERS) != 0)
            fail = "TESTFAILED sparse and dense registers differ";
        zfree(m2);
    }

    decrRefCount(sparse);
    decrRefCount(dense);
    zfree(regs);
    zfree(model);
    if (fail) {
        addReplyErrorFormat(c, "%s", fail);
        return;
    }
    addReplyOk(c);
}
