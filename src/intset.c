/* intset.c -- sorted integer sets in one blob (format in intset.h).
 *
 * Small sets of integers (SADD of numbers, up to set-max-intset-entries)
 * live here instead of in a hash table: 2 to 8 bytes per member and no
 * pointers. The design follows from the format, which is Redis's so that
 * RDB and DUMP payloads carry the blob unchanged:
 *
 *   - All members share one width (the encoding). A value too wide for it
 *     upgrades the whole set, widening from the last element backwards so
 *     the conversion happens in place after one realloc. Such a value is
 *     necessarily smaller or larger than every member, so it goes at one
 *     end and no search is needed.
 *   - Header fields and members are little endian on every host; on
 *     little-endian machines (the only ones we build on in practice) the
 *     conversions compile to plain loads and stores.
 *   - The blob is always exactly 8 + length*encoding bytes.
 */
#include "intset.h"

#include <stdlib.h>
#include <string.h>

#include "zmalloc.h"

struct intset {
    uint32_t encoding; /* element width in bytes: 2, 4 or 8 (LE) */
    uint32_t length;   /* number of elements (LE) */
    unsigned char contents[];
};

#define INTSET_HDR_SIZE 8

/* ---- Little-endian helpers ------------------------------------------------ */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define INTSET_LE16(x) __builtin_bswap16(x)
#define INTSET_LE32(x) __builtin_bswap32(x)
#define INTSET_LE64(x) __builtin_bswap64(x)
#else
#define INTSET_LE16(x) (x)
#define INTSET_LE32(x) (x)
#define INTSET_LE64(x) (x)
#endif

static inline uint32_t isEncoding(const intset *is) {
    return INTSET_LE32(is->encoding);
}

static inline uint32_t isLength(const intset *is) {
    return INTSET_LE32(is->length);
}

static inline void isSetEncoding(intset *is, uint32_t enc) {
    is->encoding = INTSET_LE32(enc);
}

static inline void isSetLength(intset *is, uint32_t len) {
    is->length = INTSET_LE32(len);
}

/* The smallest width that holds v. */
static inline uint32_t valueEncoding(int64_t v) {
    if (v < INT32_MIN || v > INT32_MAX) return INTSET_ENC_INT64;
    if (v < INT16_MIN || v > INT16_MAX) return INTSET_ENC_INT32;
    return INTSET_ENC_INT16;
}

/* Element pos read with an explicit width (used while upgrading). */
static inline int64_t getEncoded(const unsigned char *contents, uint32_t pos, uint32_t enc) {
    if (enc == INTSET_ENC_INT64) {
        uint64_t v;
        memcpy(&v, contents + (size_t)pos * 8, 8);
        return (int64_t)INTSET_LE64(v);
    } else if (enc == INTSET_ENC_INT32) {
        uint32_t v;
        memcpy(&v, contents + (size_t)pos * 4, 4);
        return (int32_t)INTSET_LE32(v);
    } else {
        uint16_t v;
        memcpy(&v, contents + (size_t)pos * 2, 2);
        return (int16_t)INTSET_LE16(v);
    }
}

static inline int64_t getAt(const intset *is, uint32_t pos) {
    return getEncoded(is->contents, pos, isEncoding(is));
}

static inline void setAt(intset *is, uint32_t pos, int64_t value) {
    uint32_t enc = isEncoding(is);
    if (enc == INTSET_ENC_INT64) {
        uint64_t v = INTSET_LE64((uint64_t)value);
        memcpy(is->contents + (size_t)pos * 8, &v, 8);
    } else if (enc == INTSET_ENC_INT32) {
        uint32_t v = INTSET_LE32((uint32_t)(int32_t)value);
        memcpy(is->contents + (size_t)pos * 4, &v, 4);
    } else {
        uint16_t v = INTSET_LE16((uint16_t)(int16_t)value);
        memcpy(is->contents + (size_t)pos * 2, &v, 2);
    }
}

static intset *resize(intset *is, uint32_t len) {
    size_t bytes = INTSET_HDR_SIZE + (size_t)len * isEncoding(is);
    return zrealloc(is, bytes);
}

/* Binary search. Returns 1 and the position if found; otherwise 0 and the
 * position where value would be inserted. */
static int search(const intset *is, int64_t value, uint32_t *pos) {
    uint32_t len = isLength(is);
    if (len == 0) {
        *pos = 0;
        return 0;
    }
    /* The common cases of SADD in increasing order: beyond either end. */
    if (value > getAt(is, len - 1)) {
        *pos = len;
        return 0;
    }
    if (value < getAt(is, 0)) {
        *pos = 0;
        return 0;
    }
    uint32_t lo = 0, hi = len; /* answer in [lo, hi] */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t cur = getAt(is, mid);
        if (cur == value) {
            *pos = mid;
            return 1;
        }
        if (cur < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    *pos = lo;
    return 0;
}

/* Moves elements [from, length) to start at index to (either direction). */
static void moveTail(intset *is, uint32_t from, uint32_t to) {
    uint32_t enc = isEncoding(is);
    size_t count = isLength(is) - from;
    memmove(is->contents + (size_t)to * enc, is->contents + (size_t)from * enc, count * enc);
}

/* Widens the set to value's encoding and adds value at the right end. */
static intset *upgradeAndAdd(intset *is, int64_t value) {
    uint32_t oldenc = isEncoding(is);
    uint32_t len = isLength(is);
    int prepend = value < 0; /* out of the old range: below or above all */

    isSetEncoding(is, valueEncoding(value));
    is = resize(is, len + 1);
    /* Back to front, so no element is overwritten before it is read; the
     * prepend case shifts everything one slot right on the way. */
    for (uint32_t i = len; i-- > 0;)
        setAt(is, i + (uint32_t)prepend, getEncoded(is->contents, i, oldenc));
    setAt(is, prepend ? 0 : len, value);
    isSetLength(is, len + 1);
    return is;
}

/* ---- API ---------------------------------------------------------------------- */

intset *intsetNew(void) {
    intset *is = zmalloc(INTSET_HDR_SIZE);
    isSetEncoding(is, INTSET_ENC_INT16);
    isSetLength(is, 0);
    return is;
}

void intsetFree(intset *is) {
    zfree(is);
}

intset *intsetDup(const intset *is) {
    return zmemdup(is, INTSET_HDR_SIZE + (size_t)isLength(is) * isEncoding(is));
}

intset *intsetAdd(intset *is, int64_t value, uint8_t *success) {
    uint32_t pos;
    if (success) *success = 1;
    if (valueEncoding(value) > isEncoding(is)) return upgradeAndAdd(is, value);
    if (search(is, value, &pos)) {
        if (success) *success = 0;
        return is;
    }
    uint32_t len = isLength(is);
    is = resize(is, len + 1);
    if (pos < len) moveTail(is, pos, pos + 1);
    setAt(is, pos, value);
    isSetLength(is, len + 1);
    return is;
}

intset *intsetRemove(intset *is, int64_t value, int *success) {
    uint32_t pos;
    if (success) *success = 0;
    if (valueEncoding(value) <= isEncoding(is) && search(is, value, &pos)) {
        uint32_t len = isLength(is);
        if (success) *success = 1;
        if (pos < len - 1) moveTail(is, pos + 1, pos);
        is = resize(is, len - 1);
        isSetLength(is, len - 1);
    }
    return is;
}

uint8_t intsetFind(intset *is, int64_t value) {
    uint32_t pos;
    return valueEncoding(value) <= isEncoding(is) && search(is, value, &pos);
}

int64_t intsetRandom(intset *is) {
    uint32_t len = isLength(is);
    return getAt(is, (uint32_t)((unsigned long)random() % len));
}

int64_t intsetMax(intset *is) {
    return getAt(is, isLength(is) - 1);
}

int64_t intsetMin(intset *is) {
    return getAt(is, 0);
}

uint8_t intsetGet(intset *is, uint32_t pos, int64_t *value) {
    if (pos >= isLength(is)) return 0;
    *value = getAt(is, pos);
    return 1;
}

uint32_t intsetLen(const intset *is) {
    return isLength(is);
}

size_t intsetBlobLen(intset *is) {
    return INTSET_HDR_SIZE + (size_t)isLength(is) * isEncoding(is);
}

int intsetValidateIntegrity(const unsigned char *p, size_t size, int deep) {
    /* Untrusted bytes may sit at any alignment: read the header with memcpy
     * rather than through the struct. */
    uint32_t enc, len32;
    if (p == NULL || size < INTSET_HDR_SIZE) return 0;
    memcpy(&enc, p, 4);
    memcpy(&len32, p + 4, 4);
    enc = INTSET_LE32(enc);
    uint64_t len = INTSET_LE32(len32);
    if (enc != INTSET_ENC_INT16 && enc != INTSET_ENC_INT32 && enc != INTSET_ENC_INT64) return 0;
    if (INTSET_HDR_SIZE + len * enc != size) return 0;
    if (!deep) return 1;
    const unsigned char *contents = p + INTSET_HDR_SIZE;
    for (uint64_t i = 1; i < len; i++)
        if (getEncoded(contents, (uint32_t)i, enc) <= getEncoded(contents, (uint32_t)(i - 1), enc))
            return 0;
    return 1;
}
