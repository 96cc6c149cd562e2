/* bitops.c -- bit-level commands on string values: SETBIT, GETBIT,
 * BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO.
 *
 * A string is a bit array numbered from the most significant bit of its
 * first byte (bit 0 is 0x80 of byte 0), and reads past its end see zeros.
 * Commands that write make the string long enough first (zero padding) and
 * edit it through t_string.h's write handle, so the value ends up RAW, as
 * in Redis.
 *
 * Offsets are limited like Redis's: the byte holding the bit must lie below
 * proto-max-bulk-len (so 2^32-1 with the default 512 MB).  Ranges (BITCOUNT,
 * BITPOS) are converted to bit positions first and then handled by one code
 * path for both BYTE and BIT units: whole bytes go through word-at-a-time
 * loops, the partial bytes at either end are masked. */
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "reply.h"
#include "server.h"
#include "t_string.h"
#include "util.h"
#include "zmalloc.h"

static const char *bitOffsetErr = "bit offset is not an integer or out of range";

/* ------------------------------------------------------------------------
 * Argument parsing
 * ---------------------------------------------------------------------- */

/* Parses a bit offset.  With `hash` (BITFIELD), "#n" means n times the
 * field width `bits`.  Negative offsets and offsets whose byte would be at
 * or past proto-max-bulk-len are refused. */
static int bitOffsetOrReply(client *c, robj *arg, int hash, int bits, uint64_t *offset) {
    const char *p = arg->ptr;
    size_t len = rstrLen(arg->ptr);
    int usehash = hash && len > 1 && p[0] == '#';
    long long v;
    if (!string2ll(p + usehash, len - usehash, &v)) goto err;
    if (usehash) {
        if (v > LLONG_MAX / bits || v < LLONG_MIN / bits) goto err;
        v *= bits;
    }
    if (v < 0 || (v >> 3) >= server.proto_max_bulk_len) goto err;
    *offset = (uint64_t)v;
    return C_OK;
err:
    addReplyError(c, bitOffsetErr);
    return C_ERR;
}

/* Parses a BITFIELD type: "i1".."i64" or "u1".."u63" (lower case only). */
static int bitfieldTypeOrReply(client *c, robj *arg, int *is_signed, int *bits) {
    const char *p = arg->ptr;
    size_t len = rstrLen(arg->ptr);
    long long v;
    if (len >= 2 && (p[0] == 'i' || p[0] == 'u') && string2ll(p + 1, len - 1, &v) && v >= 1 &&
        v <= (p[0] == 'i' ? 64 : 63)) {
        *is_signed = p[0] == 'i';
        *bits = (int)v;
        return C_OK;
    }
    addReplyError(c, "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
    return C_ERR;
}

/* Parses the optional BYTE|BIT unit argument; 1 for BIT. */
static int bitUnitOrReply(client *c, robj *arg, int *isbit) {
    if (!strcasecmp(arg->ptr, "bit")) {
        *isbit = 1;
    } else if (!strcasecmp(arg->ptr, "byte")) {
        *isbit = 0;
    } else {
        addReplyErrorSyntax(c);
        return C_ERR;
    }
    return C_OK;
}

/* Resolves a start/end pair against a length (bytes or bits): negative
 * values count from the end, and both are clamped into [0, len-1].  The
 * range may come out empty (start > end). */
static void bitClampRange(long long len, long long *start, long long *end) {
    if (*start < 0) *start += len;
    if (*end < 0) *end += len;
    if (*start < 0) *start = 0;
    if (*end < 0) *end = 0;
    if (*end >= len) *end = len - 1;
}

/* ------------------------------------------------------------------------
 * Bit primitives
 * ---------------------------------------------------------------------- */

static uint64_t bitLoad64(const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, sizeof(w));
    return w;
}

/* Number of set bits in p[0..n). */
static uint64_t bitPopcount(const unsigned char *p, size_t n) {
    uint64_t count = 0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        count += (uint64_t)__builtin_popcountll(bitLoad64(p + i)) + (uint64_t)__builtin_popcountll(bitLoad64(p + i + 8)) +
                 (uint64_t)__builtin_popcountll(bitLoad64(p + i + 16)) +
                 (uint64_t)__builtin_popcountll(bitLoad64(p + i + 24));
    }
    for (; i + 8 <= n; i += 8) count += (uint64_t)__builtin_popcountll(bitLoad64(p + i));
    for (; i < n; i++) count += (uint64_t)__builtin_popcount(p[i]);
    return count;
}

/* Set bits among bit positions [first, last] of p (both inside p). */
static uint64_t bitCountRange(const unsigned char *p, uint64_t first, uint64_t last) {
    uint64_t fb = first >> 3, lb = last >> 3;
    uint64_t count = bitPopcount(p + fb, (size_t)(lb - fb + 1));
    unsigned head = (unsigned)(first & 7); /* bits of byte fb before `first` */
    unsigned tail = 7 - (unsigned)(last & 7); /* bits of byte lb after `last` */
    if (head) count -= (uint64_t)__builtin_popcount(p[fb] >> (8 - head));
    if (tail) count -= (uint64_t)__builtin_popcount(p[lb] & ((1u << tail) - 1));
    return count;
}

/* First bit position in [first, last] of p whose value is `bit`, or -1. */
static long long bitFindRange(const unsigned char *p, uint64_t first, uint64_t last, int bit) {
    /* Searching for 0 is searching for 1 in the complement. */
    unsigned char flip = bit ? 0 : 0xff;
    uint64_t pos = first;
    /* Bit by bit up to a byte boundary. */
    while (pos <= last && (pos & 7)) {
        if (((p[pos >> 3] ^ flip) >> (7 - (pos & 7))) & 1) return (long long)pos;
        pos++;
    }
    /* Whole bytes, a word at a time while possible. */
    uint64_t wflip = bit ? 0 : UINT64_MAX;
    while (pos + 64 <= last + 1 && (bitLoad64(p + (pos >> 3)) ^ wflip) == 0) pos += 64;
    while (pos + 8 <= last + 1 && (unsigned char)(p[pos >> 3] ^ flip) == 0) pos += 8;
    /* The first byte with a candidate, or the partial last byte. */
    while (pos <= last) {
        if (((p[pos >> 3] ^ flip) >> (7 - (pos & 7))) & 1) return (long long)pos;
        pos++;
    }
    return -1;
}

/* Reads `bits` bits at bit `offset` as an unsigned number; bits past len
 * bytes read as zero. */
static uint64_t bitGetUnsigned(const unsigned char *p, size_t len, uint64_t offset, int bits) {
    uint64_t v = 0;
    for (int i = 0; i < bits; i++, offset++) {
        uint64_t byte = offset >> 3;
        int b = byte < len ? (p[byte] >> (7 - (offset & 7))) & 1 : 0;
        v = (v << 1) | (uint64_t)b;
    }
    return v;
}

static int64_t bitGetSigned(const unsigned char *p, size_t len, uint64_t offset, int bits) {
    uint64_t v = bitGetUnsigned(p, len, offset, bits);
    if (bits < 64 && (v >> (bits - 1)) & 1) v |= UINT64_MAX << bits; /* sign extension */
    return (int64_t)v;
}

/* Writes the low `bits` bits of v at bit `offset` (inside the string). */
static void bitSetField(unsigned char *p, uint64_t offset, int bits, uint64_t v) {
    for (int i = bits - 1; i >= 0; i--, offset++) {
        unsigned char mask = (unsigned char)(1u << (7 - (offset & 7)));
        if ((v >> i) & 1)
            p[offset >> 3] |= mask;
        else
            p[offset >> 3] &= (unsigned char)~mask;
    }
}

/* ------------------------------------------------------------------------
 * SETBIT / GETBIT
 * ---------------------------------------------------------------------- */

/* SETBIT key offset 0|1: replies the previous bit. */
void setbitCommand(client *c) {
    static const char *bitErr = "bit is not an integer or out of range";
    robj *key = c->argv[1];
    uint64_t offset;
    long long on;
    if (bitOffsetOrReply(c, c->argv[2], 0, 0, &offset) != C_OK) return;
    if (stringGetLongLongOrReply(c, c->argv[3], &on, bitErr) != C_OK) return;
    if (on & ~1LL) {
        addReplyError(c, bitErr);
        return;
    }
    robj *o = lookupKeyWrite(c->db, key);
    if (o != NULL && checkType(c, o, OBJ_STRING)) return;

    size_t byte = (size_t)(offset >> 3);
    size_t oldlen = o ? stringObjectLen(o) : 0;
    stringWriteHandle h;
    stringWriteOpen(&h, key, o, byte + 1);
    unsigned char *p = (unsigned char *)h.val->ptr;
    unsigned char mask = (unsigned char)(1u << (7 - (offset & 7)));
    int old = (p[byte] & mask) != 0;
    if (on)
        p[byte] |= mask;
    else
        p[byte] &= (unsigned char)~mask;
    int changed = o == NULL || rstrLen(h.val->ptr) != oldlen || old != (int)on;
    stringWriteCommit(c, &h);
    if (changed) {
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_STRING, "setbit", key, c->db->id);
        server.dirty++;
    }
    addReplyLongLong(c, old);
}

/* GETBIT key offset */
void getbitCommand(client *c) {
    uint64_t offset;
    if (bitOffsetOrReply(c, c->argv[2], 0, 0, &offset) != C_OK) return;
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReplyLongLong(c, 0);
        return;
    }
    if (checkType(c, o, OBJ_STRING)) return;
    char buf[LONG_STR_SIZE];
    size_t len;
    const unsigned char *p = stringBytes(o, buf, &len);
    addReplyLongLong(c, (long long)bitGetUnsigned(p, len, offset, 1));
}

/* ------------------------------------------------------------------------
 * BITCOUNT / BITPOS
 * ---------------------------------------------------------------------- */

/* BITCOUNT key [start end [BYTE|BIT]]
 *
 * As in Redis 7.0, the key is looked up before the range is parsed: a
 * missing key answers 0 whatever the arguments. */
void bitcountCommand(client *c) {
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReplyLongLong(c, 0);
        return;
    }
    if (checkType(c, o, OBJ_STRING)) return;
    char buf[LONG_STR_SIZE];
    size_t slen;
    const unsigned char *p = stringBytes(o, buf, &slen);

    long long start = 0, end = (long long)slen - 1;
    int isbit = 0;
    if (c->argc == 4 || c->argc == 5) {
        if (stringGetLongLongOrReply(c, c->argv[2], &start, NULL) != C_OK) return;
        if (stringGetLongLongOrReply(c, c->argv[3], &end, NULL) != C_OK) return;
        /* Redis 7.0 answers 0 for two negative indexes in the wrong order,
         * before clamping and even before looking at the unit (BITPOS has
         * no such rule). */
        if (start < 0 && end < 0 && start > end) {
            addReplyLongLong(c, 0);
            return;
        }
        if (c->argc == 5 && bitUnitOrReply(c, c->argv[4], &isbit) != C_OK) return;
        bitClampRange(isbit ? (long long)slen * 8 : (long long)slen, &start, &end);
    } else if (c->argc != 2) {
        addReplyErrorSyntax(c);
        return;
    }
    if (start > end) {
        addReplyLongLong(c, 0);
        return;
    }
    uint64_t first = isbit ? (uint64_t)start : (uint64_t)start * 8;
    uint64_t last = isbit ? (uint64_t)end : (uint64_t)end * 8 + 7;
    addReplyLongLong(c, (long long)bitCountRange(p, first, last));
}

/* BITPOS key bit [start [end [BYTE|BIT]]]
 *
 * The position of the first `bit` in the range, or -1.  When looking for a
 * 0 without an explicit end, the string counts as followed by zeros, so a
 * string of all ones answers its length in bits; with an explicit end the
 * range is taken literally and the answer is -1. */
void bitposCommand(client *c) {
    long long bit;
    if (stringGetLongLongOrReply(c, c->argv[2], &bit, NULL) != C_OK) return;
    if (bit != 0 && bit != 1) {
        addReplyError(c, "The bit argument must be 1 or 0.");
        return;
    }
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReplyLongLong(c, bit ? -1 : 0);
        return;
    }
    if (checkType(c, o, OBJ_STRING)) return;
    char buf[LONG_STR_SIZE];
    size_t slen;
    const unsigned char *p = stringBytes(o, buf, &slen);

    long long start = 0, end = (long long)slen - 1;
    int isbit = 0, end_given = 0;
    if (c->argc >= 4 && c->argc <= 6) {
        if (stringGetLongLongOrReply(c, c->argv[3], &start, NULL) != C_OK) return;
        if (c->argc == 6 && bitUnitOrReply(c, c->argv[5], &isbit) != C_OK) return;
        long long total = isbit ? (long long)slen * 8 : (long long)slen;
        if (c->argc >= 5) {
            if (stringGetLongLongOrReply(c, c->argv[4], &end, NULL) != C_OK) return;
            end_given = 1;
        } else {
            end = total - 1;
        }
        bitClampRange(total, &start, &end);
    } else if (c->argc != 3) {
        addReplyErrorSyntax(c);
        return;
    }
    if (start > end) {
        addReplyLongLong(c, -1);
        return;
    }
    uint64_t first = isbit ? (uint64_t)start : (uint64_t)start * 8;
    uint64_t last = isbit ? (uint64_t)end : (uint64_t)end * 8 + 7;
    long long pos = bitFindRange(p, first, last, (int)bit);
    if (pos == -1 && bit == 0 && !end_given) pos = (long long)last + 1;
    addReplyLongLong(c, pos);
}

/* ------------------------------------------------------------------------
 * BITOP
 * ---------------------------------------------------------------------- */

#define BITOP_AND 0
#define BITOP_OR 1
#define BITOP_XOR 2
#define BITOP_NOT 3

/* Combines src (len bytes, zero-padded to maxlen) into res (maxlen). */
static void bitopCombine(int op, unsigned char *res, const unsigned char *src, size_t len, size_t maxlen) {
    size_t i = 0;
    switch (op) {
    case BITOP_AND:
        for (; i + 8 <= len; i += 8) {
            uint64_t a = bitLoad64(res + i) & bitLoad64(src + i);
            memcpy(res + i, &a, 8);
        }
        for (; i < len; i++) res[i] &= src[i];
        memset(res + len, 0, maxlen - len); /* x AND 0 */
        break;
    case BITOP_OR:
        for (; i + 8 <= len; i += 8) {
            uint64_t a = bitLoad64(res + i) | bitLoad64(src + i);
            memcpy(res + i, &a, 8);
        }
        for (; i < len; i++) res[i] |= src[i];
        break;
    case BITOP_XOR:
        for (; i + 8 <= len; i += 8) {
            uint64_t a = bitLoad64(res + i) ^ bitLoad64(src + i);
            memcpy(res + i, &a, 8);
        }
        for (; i < len; i++) res[i] ^= src[i];
        break;
    }
}

/* BITOP AND|OR|XOR|NOT destkey key [key ...]: the result is as long as the
 * longest source (missing keys are empty strings); an empty result deletes
 * destkey.  Replies the result's length. */
void bitopCommand(client *c) {
    const char *opname = c->argv[1]->ptr;
    robj *target = c->argv[2];
    int op;
    if (!strcasecmp(opname, "and"))
        op = BITOP_AND;
    else if (!strcasecmp(opname, "or"))
        op = BITOP_OR;
    else if (!strcasecmp(opname, "xor"))
        op = BITOP_XOR;
    else if (!strcasecmp(opname, "not"))
        op = BITOP_NOT;
    else {
        addReplyErrorSyntax(c);
        return;
    }
    if (op == BITOP_NOT && c->argc != 4) {
        addReplyError(c, "BITOP NOT must be called with a single source key.");
        return;
    }

    int nsrc = c->argc - 3;
    const unsigned char **src = zmalloc(sizeof(*src) * (size_t)nsrc);
    size_t *lens = zmalloc(sizeof(*lens) * (size_t)nsrc);
    char(*bufs)[LONG_STR_SIZE] = zmalloc(sizeof(*bufs) * (size_t)nsrc); /* INT sources */
    size_t maxlen = 0;
    for (int j = 0; j < nsrc; j++) {
        robj *o = lookupKeyRead(c->db, c->argv[j + 3]);
        if (o == NULL) {
            src[j] = NULL;
            lens[j] = 0;
            continue;
        }
        if (checkType(c, o, OBJ_STRING)) goto done;
        src[j] = stringBytes(o, bufs[j], &lens[j]);
        if (lens[j] > maxlen) maxlen = lens[j];
    }

    if (maxlen) {
        rstr res = rstrNewLen(NULL, maxlen);
        unsigned char *r = (unsigned char *)res;
        if (lens[0]) memcpy(r, src[0], lens[0]);
        if (op == BITOP_NOT) {
            for (size_t i = 0; i < maxlen; i++) r[i] = (unsigned char)~r[i];
        } else {
            for (int j = 1; j < nsrc; j++) bitopCombine(op, r, src[j], lens[j], maxlen);
        }
        /* Sources point into the keyspace: they are not used past here. */
        setKey(c, c->db, target, createRstrObject(res), 0);
        notifyKeyspaceEvent(NOTIFY_STRING, "set", target, c->db->id);
        server.dirty++;
    } else if (dbDelete(c->db, target)) {
        signalModifiedKey(c, c->db, target);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", target, c->db->id);
        server.dirty++;
    }
    addReplyLongLong(c, (long long)maxlen);
done:
    zfree(src);
    zfree(lens);
    zfree(bufs);
}

/* ------------------------------------------------------------------------
 * BITFIELD / BITFIELD_RO
 * ---------------------------------------------------------------------- */

#define BITFIELD_GET 0
#define BITFIELD_SET 1
#define BITFIELD_INCRBY 2

#define BITFIELD_WRAP 0
#define BITFIELD_SAT 1
#define BITFIELD_FAIL 2

typedef struct bitfieldOp {
    uint64_t offset;
    int64_t arg; /* SET value or INCRBY increment */
    int opcode;
    int overflow; /* the OVERFLOW mode in force when the op was given */
    int is_signed;
    int bits;
} bitfieldOp;

/* Fits value + incr into a signed field of `bits` bits.  Returns 0 when it
 * fits (*res = the sum), else +1/-1 for overflow/underflow with *res set to
 * the WRAP or SAT result according to `mode` (FAIL leaves it unused). */
static int bitfieldSignedFit(int64_t value, int64_t incr, int bits, int mode, int64_t *res) {
    int64_t max = bits == 64 ? INT64_MAX : (int64_t)((UINT64_C(1) << (bits - 1)) - 1);
    int64_t min = -max - 1;
    /* The decision follows Redis 7.0 exactly, including its headroom
     * computed as max - value with two's complement wrap-around: for
     * value = INT64_MIN that headroom is negative, so even a SET (incr 0)
     * counts as an overflow and saturates to max (e.g. `SET i1 0 <INT64_MIN>`
     * stores 0).  Replies must match byte for byte, quirks included. */
    int64_t maxincr = (int64_t)((uint64_t)max - (uint64_t)value);
    int64_t minincr = (int64_t)((uint64_t)min - (uint64_t)value);
    int dir = 0;
    if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr))
        dir = 1;
    else if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr))
        dir = -1;
    if (dir == 0) {
        *res = (int64_t)((uint64_t)value + (uint64_t)incr);
    } else if (mode == BITFIELD_SAT) {
        *res = dir > 0 ? max : min;
    } else {
        /* Two's complement wrap: keep the low bits, then sign-extend. */
        uint64_t u = (uint64_t)value + (uint64_t)incr;
        if (bits < 64) {
            u &= (UINT64_C(1) << bits) - 1;
            if ((u >> (bits - 1)) & 1) u |= UINT64_MAX << bits;
        }
        *res = (int64_t)u;
    }
    return dir;
}

/* Unsigned counterpart (bits <= 63).  `value` may exceed the field (a SET
 * of a negative or too large number), which counts as an overflow. */
static int bitfieldUnsignedFit(uint64_t value, int64_t incr, int bits, int mode, uint64_t *res) {
    uint64_t max = (UINT64_C(1) << bits) - 1;
    uint64_t mag = incr < 0 ? UINT64_C(0) - (uint64_t)incr : (uint64_t)incr; /* |incr| */
    int dir = 0;
    if (value > max || (incr >= 0 && mag > max - value))
        dir = 1;
    else if (incr < 0 && mag > value)
        dir = -1;
    if (dir == 0)
        *res = incr < 0 ? value - mag : value + mag;
    else if (mode == BITFIELD_SAT)
        *res = dir > 0 ? max : 0;
    else
        *res = (value + (uint64_t)incr) & max;
    return dir;
}

/* Runs one SET or INCRBY on the (long enough) string p and replies its
 * result: the old value for SET, the new one for INCRBY, null when the
 * overflow mode is FAIL and the value does not fit.  Returns 1 if the
 * operation counts as a change: it was carried out and either the field's
 * value changed or the string had just been created or grown (`grown`).
 * Like Redis, a write of the same value, or a FAIL, alone is not a change
 * (no "setbit" event, no dirty increment). */
static int bitfieldApply(client *c, unsigned char *p, size_t len, const bitfieldOp *op, int grown) {
    if (op->is_signed) {
        int64_t old = bitGetSigned(p, len, op->offset, op->bits);
        int64_t value = op->opcode == BITFIELD_SET ? op->arg : old;
        int64_t incr = op->opcode == BITFIELD_SET ? 0 : op->arg;
        int64_t newval;
        if (bitfieldSignedFit(value, incr, op->bits, op->overflow, &newval) && op->overflow == BITFIELD_FAIL) {
            addReplyNull(c);
            return 0;
        }
        bitSetField(p, op->offset, op->bits, (uint64_t)newval);
        addReplyLongLong(c, op->opcode == BITFIELD_SET ? old : newval);
        return grown || old != newval;
    } else {
        uint64_t old = bitGetUnsigned(p, len, op->offset, op->bits);
        uint64_t value = op->opcode == BITFIELD_SET ? (uint64_t)op->arg : old;
        int64_t incr = op->opcode == BITFIELD_SET ? 0 : op->arg;
        uint64_t newval;
        if (bitfieldUnsignedFit(value, incr, op->bits, op->overflow, &newval) && op->overflow == BITFIELD_FAIL) {
            addReplyNull(c);
            return 0;
        }
        bitSetField(p, op->offset, op->bits, newval);
        addReplyLongLong(c, (long long)(op->opcode == BITFIELD_SET ? old : newval));
        return grown || old != newval;
    }
}

/* Replies one GET from the bytes p[0..len) (p may be NULL: a missing key). */
static void bitfieldReplyGet(client *c, const unsigned char *p, size_t len, const bitfieldOp *op) {
    if (op->is_signed)
        addReplyLongLong(c, bitGetSigned(p, p ? len : 0, op->offset, op->bits));
    else
        addReplyLongLong(c, (long long)bitGetUnsigned(p, p ? len : 0, op->offset, op->bits));
}

/* BITFIELD key [GET type offset] [SET type offset value]
 *              [INCRBY type offset increment] [OVERFLOW WRAP|SAT|FAIL] ...
 *
 * Every operation is parsed (and every error reported) before anything is
 * read or written; then they run in order, so a GET sees the SETs before
 * it.  A command with any write creates or zero-pads the key up to the
 * farthest bit written, even if every write then fails under OVERFLOW FAIL
 * (Redis does the same). */
static void bitfieldGeneric(client *c, int readonly_cmd) {
    robj *key = c->argv[1];
    bitfieldOp *ops = NULL;
    int nops = 0;
    int overflow = BITFIELD_WRAP;
    int has_writes = 0;
    uint64_t write_end = 0; /* one past the highest bit written */

    if (c->argc > 2) ops = zmalloc(sizeof(*ops) * (size_t)((c->argc - 2) / 3 + 1));
    for (int j = 2; j < c->argc; j++) {
        const char *sub = c->argv[j]->ptr;
        int remaining = c->argc - j - 1;
        int opcode;
        if (!strcasecmp(sub, "get") && remaining >= 2) {
            opcode = BITFIELD_GET;
        } else if (!strcasecmp(sub, "set") && remaining >= 3) {
            opcode = BITFIELD_SET;
        } else if (!strcasecmp(sub, "incrby") && remaining >= 3) {
            opcode = BITFIELD_INCRBY;
        } else if (!strcasecmp(sub, "overflow") && remaining >= 1) {
            const char *mode = c->argv[++j]->ptr;
            if (!strcasecmp(mode, "wrap")) {
                overflow = BITFIELD_WRAP;
            } else if (!strcasecmp(mode, "sat")) {
                overflow = BITFIELD_SAT;
            } else if (!strcasecmp(mode, "fail")) {
                overflow = BITFIELD_FAIL;
            } else {
                addReplyError(c, "Invalid OVERFLOW type specified");
                goto done;
            }
            continue;
        } else {
            addReplyErrorSyntax(c);
            goto done;
        }

        bitfieldOp *op = &ops[nops];
        op->opcode = opcode;
        op->overflow = overflow;
        op->arg = 0;
        if (bitfieldTypeOrReply(c, c->argv[j + 1], &op->is_signed, &op->bits) != C_OK) goto done;
        if (bitOffsetOrReply(c, c->argv[j + 2], 1, op->bits, &op->offset) != C_OK) goto done;
        if (opcode != BITFIELD_GET) {
            long long arg;
            if (stringGetLongLongOrReply(c, c->argv[j + 3], &arg, NULL) != C_OK) goto done;
            op->arg = arg;
            has_writes = 1;
            if (op->offset + (uint64_t)op->bits > write_end) write_end = op->offset + (uint64_t)op->bits;
            j += 3;
        } else {
            j += 2;
        }
        nops++;
    }

    if (!has_writes) {
        robj *o = lookupKeyRead(c->db, key);
        if (o != NULL && checkType(c, o, OBJ_STRING)) goto done;
        char buf[LONG_STR_SIZE];
        size_t len = 0;
        const unsigned char *p = o ? stringBytes(o, buf, &len) : NULL;
        addReplyArrayLen(c, nops);
        for (int i = 0; i < nops; i++) bitfieldReplyGet(c, p, len, &ops[i]);
        goto done;
    }
    if (readonly_cmd) {
        addReplyError(c, "BITFIELD_RO only supports the GET subcommand");
        goto done;
    }

    robj *o = lookupKeyWrite(c->db, key);
    if (o != NULL && checkType(c, o, OBJ_STRING)) goto done;
    size_t need = (size_t)((write_end + 7) >> 3);
    stringWriteHandle h;
    int created = o == NULL;
    if (created) {
        /* Like Redis, add the zero-filled key before running anything: its
         * "new" event then precedes the reply, and "setbit" follows it (the
         * order a RESP3 client subscribed to its own events sees).  The
         * RAW value just stored is then edited in place. */
        stringWriteOpen(&h, key, NULL, need);
        stringWriteCommit(c, &h);
        o = lookupKeyWrite(c->db, key);
    }
    size_t oldlen = stringObjectLen(o);
    stringWriteOpen(&h, key, o, need);
    unsigned char *p = (unsigned char *)h.val->ptr;
    size_t len = rstrLen(h.val->ptr);
    long long changes = 0;
    int grown = created || len != oldlen;
    addReplyArrayLen(c, nops);
    for (int i = 0; i < nops; i++) {
        if (ops[i].opcode == BITFIELD_GET)
            bitfieldReplyGet(c, p, len, &ops[i]);
        else
            changes += bitfieldApply(c, p, len, &ops[i], grown);
    }
    stringWriteCommit(c, &h);
    /* A key created or grown only by writes that all failed stays (as in
     * Redis), but without a "setbit" event. */
    if (changes) {
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_STRING, "setbit", key, c->db->id);
        server.dirty += changes;
    }
done:
    zfree(ops);
}

void bitfieldCommand(client *c) {
    bitfieldGeneric(c, 0);
}

void bitfieldRoCommand(client *c) {
    bitfieldGeneric(c, 1);
}
