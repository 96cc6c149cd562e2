/* listpack.c -- the listpack compact list (format described in listpack.h).
 *
 * This file owns the byte format and nothing else: it knows no server
 * state, and the list, hash and sorted-set code build on it. Design points:
 *
 *   - Exact compatibility. The encoder picks the same encodings, the same
 *     backlen sizes and the same header-count rules as Redis 7.0, so blobs
 *     built from the same inputs are byte-identical and blobs from Redis's
 *     RDB files are used in place after one validation walk.
 *
 *   - One write primitive. Every insert, replace and delete goes through
 *     lpInsertRaw(): compute the new size, grow (realloc) before moving the
 *     tail or shrink after moving it, then write the entry. The blob is
 *     always exactly lpBytes() long as far as we ask the allocator; its size
 *     classes give us amortised growth for free.
 *
 *   - No allocation besides the blob. Integer encodings are built in a
 *     9-byte stack buffer and string bytes are copied straight into place,
 *     so inserting a string costs one realloc and one memmove. Consequently
 *     the string given to an insert must not point into the same listpack
 *     (the realloc may move it): callers copy such a value first.
 *
 *   - Trust boundary. Only lpValidateIntegrity() reads untrusted bytes and it
 *     checks every length against the end before using it. The accessors
 *     assume a valid blob and do no checking on the hot path.
 */
#include "listpack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zmalloc.h"

/* Encoding bytes and masks (see the table in listpack.h). */
#define LP_ENC_7BIT_UINT_MASK 0x80 /* 0xxxxxxx */
#define LP_ENC_6BIT_STR 0x80       /* 10xxxxxx */
#define LP_ENC_6BIT_STR_MASK 0xC0
#define LP_ENC_13BIT_INT 0xC0      /* 110xxxxx */
#define LP_ENC_13BIT_INT_MASK 0xE0
#define LP_ENC_12BIT_STR 0xE0      /* 1110xxxx */
#define LP_ENC_12BIT_STR_MASK 0xF0
#define LP_ENC_32BIT_STR 0xF0
#define LP_ENC_16BIT_INT 0xF1
#define LP_ENC_24BIT_INT 0xF2
#define LP_ENC_32BIT_INT 0xF3
#define LP_ENC_64BIT_INT 0xF4

/* Largest encoding of an integer (0xF4 + 8 bytes) or of a string header. */
#define LP_MAX_INT_ENCODING 9
#define LP_MAX_STR_HEADER 5
#define LP_MAX_BACKLEN 5

/* ---- Header -------------------------------------------------------------- */

static inline uint32_t lpGetTotalBytes(const unsigned char *lp) {
    return (uint32_t)lp[0] | (uint32_t)lp[1] << 8 | (uint32_t)lp[2] << 16 |
           (uint32_t)lp[3] << 24;
}

static inline void lpSetTotalBytes(unsigned char *lp, uint32_t v) {
    lp[0] = v & 0xff;
    lp[1] = (v >> 8) & 0xff;
    lp[2] = (v >> 16) & 0xff;
    lp[3] = (v >> 24) & 0xff;
}

static inline uint32_t lpGetNumElements(const unsigned char *lp) {
    return (uint32_t)lp[4] | (uint32_t)lp[5] << 8;
}

/* Counts at or past 65535 are stored as "unknown" (65535 itself). */
static inline void lpSetNumElements(unsigned char *lp, unsigned long v) {
    if (v > LP_HDR_NUMELE_UNKNOWN) v = LP_HDR_NUMELE_UNKNOWN;
    lp[4] = v & 0xff;
    lp[5] = (v >> 8) & 0xff;
}

/* A well-formed blob grew past what the format can describe: a caller bug
 * (callers stay under LISTPACK_MAX_SAFETY_SIZE), not a recoverable error. */
static void lpPanic(const char *msg) {
    fprintf(stderr, "listpack: %s\n", msg);
    abort();
}

/* ---- Numbers <-> text ---------------------------------------------------- */

/* Parses s as the canonical decimal text of an int64 (no sign '+', no
 * leading zeros, no "-0", no spaces). This is the test that decides whether
 * a string is stored as an integer, so it must accept exactly the strings
 * that render back to themselves. */
static int lpStringToInt64(const unsigned char *s, size_t slen, int64_t *value) {
    size_t i = 0;
    int negative = 0;
    uint64_t v;

    if (slen == 0 || slen >= LP_INTBUF_SIZE) return 0;
    if (slen == 1 && s[0] == '0') {
        *value = 0;
        return 1;
    }
    if (s[0] == '-') {
        negative = 1;
        i = 1;
        if (slen == 1) return 0;
    }
    if (s[i] < '1' || s[i] > '9') return 0;
    v = (uint64_t)(s[i++] - '0');
    for (; i < slen; i++) {
        unsigned d = (unsigned)s[i] - '0';
        if (d > 9) return 0;
        if (v > UINT64_MAX / 10) return 0;
        v *= 10;
        if (v > UINT64_MAX - d) return 0;
        v += d;
    }
    if (negative) {
        if (v > (uint64_t)INT64_MAX + 1) return 0;
        *value = (int64_t)(0 - v); /* wraps to INT64_MIN for 2^63 */
    } else {
        if (v > (uint64_t)INT64_MAX) return 0;
        *value = (int64_t)v;
    }
    return 1;
}

/* Renders v in decimal into buf (LP_INTBUF_SIZE bytes); returns the length
 * (the buffer is NUL terminated too). */
static size_t lpInt64ToString(unsigned char *buf, int64_t v) {
    unsigned char tmp[LP_INTBUF_SIZE];
    size_t n = 0, len = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        tmp[n++] = (unsigned char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) buf[len++] = '-';
    while (n) buf[len++] = tmp[--n];
    buf[len] = '\0';
    return len;
}

/* ---- Entry encoding ------------------------------------------------------ */

/* Writes the encoding of integer v (encoding byte(s) + data) into buf and
 * returns its length. Picks the smallest encoding, as Redis does. */
static size_t lpEncodeInteger(unsigned char *buf, int64_t v) {
    uint64_t u = (uint64_t)v;
    if (v >= 0 && v <= 127) {
        buf[0] = (unsigned char)v;
        return 1;
    } else if (v >= -4096 && v <= 4095) {
        if (v < 0) u = ((uint64_t)1 << 13) + (uint64_t)v;
        buf[0] = (unsigned char)((u >> 8) | LP_ENC_13BIT_INT);
        buf[1] = u & 0xff;
        return 2;
    } else if (v >= -32768 && v <= 32767) {
        buf[0] = LP_ENC_16BIT_INT;
        buf[1] = u & 0xff;
        buf[2] = (u >> 8) & 0xff;
        return 3;
    } else if (v >= -8388608 && v <= 8388607) {
        buf[0] = LP_ENC_24BIT_INT;
        buf[1] = u & 0xff;
        buf[2] = (u >> 8) & 0xff;
        buf[3] = (u >> 16) & 0xff;
        return 4;
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        buf[0] = LP_ENC_32BIT_INT;
        for (int i = 0; i < 4; i++) buf[1 + i] = (u >> (8 * i)) & 0xff;
        return 5;
    } else {
        buf[0] = LP_ENC_64BIT_INT;
        for (int i = 0; i < 8; i++) buf[1 + i] = (u >> (8 * i)) & 0xff;
        return 9;
    }
}

/* Writes the header of a string of len bytes; returns its length. */
static size_t lpEncodeStringHeader(unsigned char *buf, uint32_t len) {
    if (len < 64) {
        buf[0] = (unsigned char)(LP_ENC_6BIT_STR | len);
        return 1;
    } else if (len < 4096) {
        buf[0] = (unsigned char)(LP_ENC_12BIT_STR | (len >> 8));
        buf[1] = len & 0xff;
        return 2;
    } else {
        buf[0] = LP_ENC_32BIT_STR;
        buf[1] = len & 0xff;
        buf[2] = (len >> 8) & 0xff;
        buf[3] = (len >> 16) & 0xff;
        buf[4] = (len >> 24) & 0xff;
        return 5;
    }
}

static inline size_t lpStringHeaderSize(uint32_t len) {
    return len < 64 ? 1 : len < 4096 ? 2 : 5;
}

/* Bytes needed for the backlen of an entry whose encoding+data is l bytes.
 * The thresholds are Redis's (note the strict '<': 16383 takes 3 bytes),
 * which matters for byte-identical blobs. */
static inline size_t lpBacklenSize(uint64_t l) {
    if (l <= 127) return 1;
    if (l < 16383) return 2;
    if (l < 2097151) return 3;
    if (l < 268435455) return 4;
    return 5;
}

/* Writes the backlen of l at buf (left to right: high 7-bit group first,
 * without the continuation bit; every later byte has bit 7 set, so a reader
 * going right to left knows when to stop). Returns its size. */
static size_t lpEncodeBacklen(unsigned char *buf, uint64_t l) {
    size_t n = lpBacklenSize(l);
    for (size_t i = n - 1; i > 0; i--) {
        buf[i] = (unsigned char)((l & 127) | 128);
        l >>= 7;
    }
    buf[0] = (unsigned char)l;
    return n;
}

/* Decodes a backlen whose last (rightmost) byte is at p. */
static inline uint64_t lpDecodeBacklen(const unsigned char *p) {
    uint64_t val = 0;
    unsigned shift = 0;
    for (;;) {
        val |= (uint64_t)(p[0] & 127) << shift;
        if (!(p[0] & 128) || shift >= 28) break;
        shift += 7;
        p--;
    }
    return val;
}

/* Size of encoding + data of the (valid) entry at p. */
static inline uint32_t lpEncodedSize(const unsigned char *p) {
    unsigned char b = p[0];
    if (b < 0x80) return 1;
    if (b < 0xC0) return 1 + (b & 0x3f);
    if (b < 0xE0) return 2;
    if (b < 0xF0) return 2 + (((uint32_t)(b & 0x0f) << 8) | p[1]);
    switch (b) {
    case LP_ENC_32BIT_STR:
        return 5 + ((uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 |
                    (uint32_t)p[4] << 24);
    case LP_ENC_16BIT_INT: return 3;
    case LP_ENC_24BIT_INT: return 4;
    case LP_ENC_32BIT_INT: return 5;
    case LP_ENC_64BIT_INT: return 9;
    default: return 0; /* 0xF5..0xFF: not an entry */
    }
}

/* Pointer just past the entry at p (the next entry or the end byte). */
static inline unsigned char *lpSkip(unsigned char *p) {
    uint32_t l = lpEncodedSize(p);
    return p + l + lpBacklenSize(l);
}

/* Decodes the entry at p: 1 and *v for integers, 0 and *s, *slen for strings. */
static inline int lpDecode(const unsigned char *p, int64_t *v, const unsigned char **s,
                           uint32_t *slen) {
    unsigned char b = p[0];
    uint64_t u;
    if (b < 0x80) {
        *v = b;
        return 1;
    }
    if (b < 0xC0) {
        *slen = b & 0x3f;
        *s = p + 1;
        return 0;
    }
    if (b < 0xE0) {
        u = ((uint64_t)(b & 0x1f) << 8) | p[1];
        *v = u >= (1u << 12) ? (int64_t)u - (1 << 13) : (int64_t)u;
        return 1;
    }
    if (b < 0xF0) {
        *slen = ((uint32_t)(b & 0x0f) << 8) | p[1];
        *s = p + 2;
        return 0;
    }
    switch (b) {
    case LP_ENC_32BIT_STR:
        *slen = (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 |
                (uint32_t)p[4] << 24;
        *s = p + 5;
        return 0;
    case LP_ENC_16BIT_INT:
        *v = (int16_t)(uint16_t)(p[1] | p[2] << 8);
        return 1;
    case LP_ENC_24BIT_INT:
        u = (uint64_t)p[1] | (uint64_t)p[2] << 8 | (uint64_t)p[3] << 16;
        *v = (u & 0x800000) ? (int64_t)u - (1 << 24) : (int64_t)u;
        return 1;
    case LP_ENC_32BIT_INT:
        *v = (int32_t)((uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 |
                       (uint32_t)p[4] << 24);
        return 1;
    default: /* LP_ENC_64BIT_INT */
        u = 0;
        for (int i = 8; i >= 1; i--) u = (u << 8) | p[i];
        *v = (int64_t)u;
        return 1;
    }
}

/* ---- The write primitive -------------------------------------------------- */

/* Inserts an entry made of enc (enclen bytes) followed by data (datalen
 * bytes) before p (LP_BEFORE), after p (LP_AFTER) or in place of p
 * (LP_REPLACE). enc == NULL with LP_REPLACE deletes p. *newp, if given,
 * gets the written entry, or for a delete the entry that followed (NULL at
 * the end). */
static unsigned char *lpInsertRaw(unsigned char *lp, const unsigned char *enc, size_t enclen,
                                  const unsigned char *data, size_t datalen, unsigned char *p,
                                  int where, unsigned char **newp) {
    uint32_t old_bytes = lpGetTotalBytes(lp);
    int del = enc == NULL;
    size_t replaced = 0, entry_len = 0, backlen = 0, added;
    uint64_t new_bytes;
    size_t off;

    if (where == LP_AFTER) {
        p = lpSkip(p);
        where = LP_BEFORE;
    }
    off = (size_t)(p - lp);
    if (where == LP_REPLACE) replaced = lpEntryBytes(p);
    if (!del) {
        entry_len = enclen + datalen;
        backlen = lpBacklenSize(entry_len);
    }
    added = entry_len + backlen;
    new_bytes = (uint64_t)old_bytes + added - replaced;
    if (new_bytes > UINT32_MAX) lpPanic("listpack would exceed 4 GB");

    /* Grow before moving the tail right, shrink after moving it left. */
    if (new_bytes > old_bytes) lp = zrealloc(lp, (size_t)new_bytes);
    memmove(lp + off + added, lp + off + replaced, old_bytes - off - replaced);
    if (new_bytes < old_bytes) lp = zrealloc(lp, (size_t)new_bytes);

    unsigned char *dst = lp + off;
    if (!del) {
        memcpy(dst, enc, enclen);
        if (datalen) memcpy(dst + enclen, data, datalen);
        lpEncodeBacklen(dst + entry_len, entry_len);
    }
    lpSetTotalBytes(lp, (uint32_t)new_bytes);
    uint32_t n = lpGetNumElements(lp);
    if (n != LP_HDR_NUMELE_UNKNOWN) {
        if (where != LP_REPLACE)
            lpSetNumElements(lp, (unsigned long)n + 1);
        else if (del)
            lpSetNumElements(lp, n - 1);
    }
    if (newp) *newp = (del && *dst == LP_EOF) ? NULL : dst;
    return lp;
}

/* ---- Creation, size -------------------------------------------------------- */

unsigned char *lpNew(size_t capacity) {
    unsigned char *lp = zmalloc(capacity > LP_HDR_SIZE + 1 ? capacity : LP_HDR_SIZE + 1);
    lpSetTotalBytes(lp, LP_HDR_SIZE + 1);
    lpSetNumElements(lp, 0);
    lp[LP_HDR_SIZE] = LP_EOF;
    return lp;
}

void lpFree(unsigned char *lp) {
    zfree(lp);
}

unsigned char *lpShrinkToFit(unsigned char *lp) {
    size_t bytes = lpGetTotalBytes(lp);
    if (zmallocSize(lp) > bytes) lp = zrealloc(lp, bytes);
    return lp;
}

size_t lpBytes(unsigned char *lp) {
    return lpGetTotalBytes(lp);
}

unsigned long lpLength(unsigned char *lp) {
    uint32_t n = lpGetNumElements(lp);
    if (n != LP_HDR_NUMELE_UNKNOWN) return n;
    /* Too many to track in the header: count, and cache the count again if
     * deletions brought it back under the limit. */
    unsigned long count = 0;
    unsigned char *p = lp + LP_HDR_SIZE;
    while (*p != LP_EOF) {
        count++;
        p = lpSkip(p);
    }
    if (count < LP_HDR_NUMELE_UNKNOWN) lpSetNumElements(lp, count);
    return count;
}

int lpSafeToAdd(unsigned char *lp, size_t add) {
    size_t len = lp ? lpGetTotalBytes(lp) : 0;
    return len + add <= LISTPACK_MAX_SAFETY_SIZE;
}

size_t lpEntrySizeInteger(long long v) {
    unsigned char buf[LP_MAX_INT_ENCODING];
    size_t l = lpEncodeInteger(buf, v);
    return l + lpBacklenSize(l);
}

size_t lpEntrySizeString(const unsigned char *s, uint32_t slen) {
    int64_t v;
    if (lpStringToInt64(s, slen, &v)) return lpEntrySizeInteger(v);
    size_t l = lpStringHeaderSize(slen) + (size_t)slen;
    return l + lpBacklenSize(l);
}

size_t lpEntryBytes(unsigned char *p) {
    uint32_t l = lpEncodedSize(p);
    return l + lpBacklenSize(l);
}

/* ---- Insertion, replacement, deletion ----------------------------------------- */

unsigned char *lpInsertString(unsigned char *lp, const unsigned char *s, uint32_t slen,
                              unsigned char *p, int where, unsigned char **newp) {
    unsigned char enc[LP_MAX_INT_ENCODING];
    int64_t v;
    if (lpStringToInt64(s, slen, &v))
        return lpInsertRaw(lp, enc, lpEncodeInteger(enc, v), NULL, 0, p, where, newp);
    return lpInsertRaw(lp, enc, lpEncodeStringHeader(enc, slen), s, slen, p, where, newp);
}

unsigned char *lpInsertInteger(unsigned char *lp, long long v, unsigned char *p, int where,
                               unsigned char **newp) {
    unsigned char enc[LP_MAX_INT_ENCODING];
    return lpInsertRaw(lp, enc, lpEncodeInteger(enc, v), NULL, 0, p, where, newp);
}

unsigned char *lpAppend(unsigned char *lp, const unsigned char *s, uint32_t slen) {
    return lpInsertString(lp, s, slen, lp + lpGetTotalBytes(lp) - 1, LP_BEFORE, NULL);
}

unsigned char *lpAppendInteger(unsigned char *lp, long long v) {
    return lpInsertInteger(lp, v, lp + lpGetTotalBytes(lp) - 1, LP_BEFORE, NULL);
}

unsigned char *lpPrepend(unsigned char *lp, const unsigned char *s, uint32_t slen) {
    return lpInsertString(lp, s, slen, lp + LP_HDR_SIZE, LP_BEFORE, NULL);
}

unsigned char *lpPrependInteger(unsigned char *lp, long long v) {
    return lpInsertInteger(lp, v, lp + LP_HDR_SIZE, LP_BEFORE, NULL);
}

unsigned char *lpReplace(unsigned char *lp, unsigned char **p, const unsigned char *s,
                         uint32_t slen) {
    return lpInsertString(lp, s, slen, *p, LP_REPLACE, p);
}

unsigned char *lpReplaceInteger(unsigned char *lp, unsigned char **p, long long v) {
    return lpInsertInteger(lp, v, *p, LP_REPLACE, p);
}

unsigned char *lpDelete(unsigned char *lp, unsigned char *p, unsigned char **newp) {
    return lpInsertRaw(lp, NULL, 0, NULL, 0, p, LP_REPLACE, newp);
}

unsigned char *lpDeleteRangeWithEntry(unsigned char *lp, unsigned char **p, unsigned long num) {
    unsigned char *first = *p, *last = first;
    uint32_t old_bytes = lpGetTotalBytes(lp);
    unsigned long deleted = 0;
    size_t off = (size_t)(first - lp);

    if (num == 0) return lp;
    while (deleted < num && *last != LP_EOF) {
        last = lpSkip(last);
        deleted++;
    }
    size_t gap = (size_t)(last - first);
    memmove(first, last, old_bytes - (size_t)(last - lp));
    uint32_t new_bytes = old_bytes - (uint32_t)gap;
    lp = zrealloc(lp, new_bytes);
    lpSetTotalBytes(lp, new_bytes);
    uint32_t n = lpGetNumElements(lp);
    if (n != LP_HDR_NUMELE_UNKNOWN) lpSetNumElements(lp, n - deleted);
    *p = lp[off] == LP_EOF ? NULL : lp + off;
    return lp;
}

unsigned char *lpDeleteRange(unsigned char *lp, long index, unsigned long num) {
    unsigned char *p = lpSeek(lp, index);
    if (p == NULL || num == 0) return lp;
    return lpDeleteRangeWithEntry(lp, &p, num);
}

unsigned char *lpBatchDelete(unsigned char *lp, unsigned char **ps, unsigned long count) {
    if (count == 0) return lp;
    uint32_t old_bytes = lpGetTotalBytes(lp);
    unsigned char *end = lp + old_bytes; /* one past the end byte */
    unsigned char *dst = ps[0];

    /* Slide each run of kept bytes left over the deleted entries; the last
     * run includes the end byte. */
    for (unsigned long i = 0; i < count; i++) {
        unsigned char *keep = lpSkip(ps[i]);
        unsigned char *keep_end = i + 1 < count ? ps[i + 1] : end;
        size_t len = (size_t)(keep_end - keep);
        memmove(dst, keep, len);
        dst += len;
    }
    uint32_t new_bytes = (uint32_t)(dst - lp);
    lp = zrealloc(lp, new_bytes);
    lpSetTotalBytes(lp, new_bytes);
    uint32_t n = lpGetNumElements(lp);
    if (n != LP_HDR_NUMELE_UNKNOWN) lpSetNumElements(lp, n - count);
    return lp;
}

unsigned char *lpMerge(unsigned char **first, unsigned char **second) {
    if (first == NULL || second == NULL || *first == NULL || *second == NULL ||
        *first == *second)
        return NULL;
    unsigned char *a = *first, *b = *second;
    size_t abytes = lpGetTotalBytes(a), bbytes = lpGetTotalBytes(b);
    size_t abody = abytes - LP_HDR_SIZE - 1, bbody = bbytes - LP_HDR_SIZE - 1;
    unsigned long alen = lpGetNumElements(a), blen = lpGetNumElements(b);
    uint64_t total = (uint64_t)LP_HDR_SIZE + abody + bbody + 1;
    unsigned long count;
    unsigned char *lp;

    if (total > UINT32_MAX) lpPanic("merged listpack would exceed 4 GB");
    if (alen == LP_HDR_NUMELE_UNKNOWN || blen == LP_HDR_NUMELE_UNKNOWN)
        count = LP_HDR_NUMELE_UNKNOWN;
    else
        count = alen + blen; /* lpSetNumElements clamps to "unknown" */

    /* Reallocate the bigger blob: its bytes are the ones we avoid copying. */
    if (abytes >= bbytes) {
        lp = zrealloc(a, (size_t)total);
        memcpy(lp + LP_HDR_SIZE + abody, b + LP_HDR_SIZE, bbody);
        zfree(b);
        *first = lp;
        *second = NULL;
    } else {
        lp = zrealloc(b, (size_t)total);
        memmove(lp + LP_HDR_SIZE + abody, lp + LP_HDR_SIZE, bbody);
        memcpy(lp + LP_HDR_SIZE, a + LP_HDR_SIZE, abody);
        zfree(a);
        *first = NULL;
        *second = lp;
    }
    lp[total - 1] = LP_EOF;
    lpSetTotalBytes(lp, (uint32_t)total);
    lpSetNumElements(lp, count);
    return lp;
}

/* ---- Iteration and access --------------------------------------------------- */

unsigned char *lpFirst(unsigned char *lp) {
    unsigned char *p = lp + LP_HDR_SIZE;
    return *p == LP_EOF ? NULL : p;
}

unsigned char *lpNext(unsigned char *lp, unsigned char *p) {
    (void)lp;
    p = lpSkip(p);
    return *p == LP_EOF ? NULL : p;
}

/* p may also be the end byte, giving the last element. */
unsigned char *lpPrev(unsigned char *lp, unsigned char *p) {
    if (p == lp + LP_HDR_SIZE) return NULL;
    uint64_t l = lpDecodeBacklen(p - 1);
    return p - lpBacklenSize(l) - l;
}

unsigned char *lpLast(unsigned char *lp) {
    return lpPrev(lp, lp + lpGetTotalBytes(lp) - 1);
}

unsigned char *lpSeek(unsigned char *lp, long index) {
    uint32_t n = lpGetNumElements(lp);
    unsigned char *p;
    int forward;

    if (n != LP_HDR_NUMELE_UNKNOWN) {
        if (index < 0) index += (long)n;
        if (index < 0 || index >= (long)n) return NULL;
        /* Walk from the nearer end. */
        if ((unsigned long)index > n / 2) {
            forward = 0;
            index = index - (long)n; /* now negative: -1 is the last */
        } else {
            forward = 1;
        }
    } else {
        forward = index >= 0;
    }

    if (forward) {
        p = lpFirst(lp);
        while (index > 0 && p) {
            p = lpNext(lp, p);
            index--;
        }
    } else {
        p = lpLast(lp);
        while (index < -1 && p) {
            p = lpPrev(lp, p);
            index++;
        }
    }
    return p;
}

unsigned char *lpRandom(unsigned char *lp) {
    unsigned long n = lpLength(lp);
    if (n == 0) return NULL;
    return lpSeek(lp, (long)((unsigned long)random() % n));
}

unsigned char *lpGet(unsigned char *p, int64_t *count, unsigned char *intbuf) {
    int64_t v;
    const unsigned char *s;
    uint32_t slen;
    if (lpDecode(p, &v, &s, &slen)) {
        if (intbuf) {
            *count = (int64_t)lpInt64ToString(intbuf, v);
            return intbuf;
        }
        *count = v;
        return NULL;
    }
    *count = slen;
    return (unsigned char *)s;
}

unsigned char *lpGetValue(unsigned char *p, unsigned int *slen, long long *lval) {
    int64_t v;
    const unsigned char *s;
    uint32_t len;
    if (lpDecode(p, &v, &s, &len)) {
        *lval = v;
        return NULL;
    }
    *slen = len;
    return (unsigned char *)s;
}

void lpGetEntry(unsigned char *p, listpackEntry *e) {
    int64_t v;
    const unsigned char *s;
    uint32_t len;
    if (lpDecode(p, &v, &s, &len)) {
        e->sval = NULL;
        e->slen = 0;
        e->lval = v;
    } else {
        e->sval = (unsigned char *)s;
        e->slen = len;
        e->lval = 0;
    }
}

int lpGetIntegerValue(unsigned char *p, long long *lval) {
    int64_t v;
    const unsigned char *s;
    uint32_t len;
    if (!lpDecode(p, &v, &s, &len)) return 0;
    *lval = v;
    return 1;
}

int lpCompare(unsigned char *p, const unsigned char *s, uint32_t slen) {
    int64_t v, sv;
    const unsigned char *es;
    uint32_t elen;
    if (lpDecode(p, &v, &es, &elen)) return lpStringToInt64(s, slen, &sv) && sv == v;
    return elen == slen && memcmp(es, s, slen) == 0;
}

unsigned char *lpFind(unsigned char *lp, unsigned char *p, const unsigned char *s, uint32_t slen,
                      unsigned int skip) {
    /* Whether s is an integer is decided once, at the first integer entry. */
    int s_is_int = -1;
    int64_t sv = 0;
    unsigned int skipcnt = 0;

    (void)lp;
    while (p && *p != LP_EOF) {
        if (skipcnt == 0) {
            int64_t v;
            const unsigned char *es;
            uint32_t elen;
            if (lpDecode(p, &v, &es, &elen)) {
                if (s_is_int < 0) s_is_int = lpStringToInt64(s, slen, &sv);
                if (s_is_int && v == sv) return p;
            } else if (elen == slen && memcmp(es, s, slen) == 0) {
                return p;
            }
            skipcnt = skip;
        } else {
            skipcnt--;
        }
        p = lpSkip(p);
    }
    return NULL;
}

/* ---- Untrusted input --------------------------------------------------------- */

/* Validates the entry at p, which lies before end (the end byte's position).
 * On success stores the pointer past the entry in *next and returns 1. */
static int lpValidateEntry(const unsigned char *p, const unsigned char *end,
                           const unsigned char **next) {
    size_t avail = (size_t)(end - p);
    unsigned char b = p[0];
    uint64_t l;

    /* How many header bytes the encoding needs before its length is known. */
    size_t hdr = 1;
    if (b >= 0xE0 && b < 0xF0) hdr = 2;
    else if (b == LP_ENC_32BIT_STR) hdr = 5;
    if (hdr > avail) return 0;
    if (b > LP_ENC_64BIT_INT) return 0; /* 0xF5..0xFF */
    /* In 64 bits: a 32-bit string length plus its header could wrap. */
    if (b == LP_ENC_32BIT_STR)
        l = 5 + ((uint64_t)p[1] | (uint64_t)p[2] << 8 | (uint64_t)p[3] << 16 |
                 (uint64_t)p[4] << 24);
    else
        l = lpEncodedSize(p);
    if (l > avail) return 0;
    size_t blen = lpBacklenSize(l);
    if (blen > avail - l) return 0;

    /* The backlen must be exactly blen bytes: continuation bits on all but
     * its leftmost byte, and the value l. */
    const unsigned char *bl = p + l;
    uint64_t val = 0;
    for (size_t i = 0; i < blen; i++) {
        unsigned char c = bl[blen - 1 - i];
        int more = i + 1 < blen;
        if (((c & 128) != 0) != more) return 0;
        val |= (uint64_t)(c & 127) << (7 * i);
    }
    if (val != l) return 0;
    *next = bl + blen;
    return 1;
}

int lpValidateIntegrity(unsigned char *lp, size_t size, int deep,
                        int (*entry_cb)(unsigned char *p, unsigned int head_count, void *userdata),
                        void *cb_userdata) {
    if (lp == NULL || size < LP_HDR_SIZE + 1) return 0;
    if (lpGetTotalBytes(lp) != size) return 0;
    if (lp[size - 1] != LP_EOF) return 0;
    if (!deep) return 1;

    uint32_t head_count = lpGetNumElements(lp);
    const unsigned char *end = lp + size - 1;
    const unsigned char *p = lp + LP_HDR_SIZE;
    unsigned long count = 0;
    while (p < end) {
        const unsigned char *next;
        if (!lpValidateEntry(p, end, &next)) return 0;
        if (entry_cb && !entry_cb((unsigned char *)p, head_count, cb_userdata)) return 0;
        count++;
        p = next;
    }
    if (p != end) return 0;
    if (head_count != LP_HDR_NUMELE_UNKNOWN && head_count != count) return 0;
    return 1;
}

/* ---- Random sampling ------------------------------------------------------------ */

void lpRandomPair(unsigned char *lp, unsigned long total_count, listpackEntry *key,
                  listpackEntry *val) {
    unsigned long pairs = total_count / 2;
    if (pairs == 0) return;
    unsigned char *p = lpSeek(lp, (long)(2 * ((unsigned long)random() % pairs)));
    lpGetEntry(p, key);
    if (val) lpGetEntry(lpNext(lp, p), val);
}

static int lpCompareEntryIndex(const void *a, const void *b) {
    long long x = ((const listpackEntry *)a)->lval, y = ((const listpackEntry *)b)->lval;
    return (x > y) - (x < y);
}

/* With repetition. To walk the listpack once and allocate nothing, the
 * picked pair indexes are parked in keys[].lval, sorted, filled in by one
 * forward walk, and the result shuffled so the order is random too. */
void lpRandomPairs(unsigned char *lp, unsigned int count, listpackEntry *keys,
                   listpackEntry *vals) {
    unsigned long pairs = lpLength(lp) / 2;
    if (pairs == 0 || count == 0) return;
    for (unsigned int i = 0; i < count; i++)
        keys[i].lval = (long long)((unsigned long)random() % pairs);
    qsort(keys, count, sizeof(*keys), lpCompareEntryIndex);

    unsigned char *p = lpFirst(lp);
    unsigned long at = 0;
    for (unsigned int i = 0; i < count; i++) {
        unsigned long want = (unsigned long)keys[i].lval;
        while (at < want) {
            p = lpSkip(lpSkip(p));
            at++;
        }
        lpGetEntry(p, &keys[i]);
        if (vals) lpGetEntry(lpSkip(p), &vals[i]);
    }
    for (unsigned int i = count - 1; i > 0; i--) {
        unsigned int j = (unsigned int)((unsigned long)random() % (i + 1));
        listpackEntry t = keys[i];
        keys[i] = keys[j];
        keys[j] = t;
        if (vals) {
            t = vals[i];
            vals[i] = vals[j];
            vals[j] = t;
        }
    }
}

/* Selection sampling (Knuth's algorithm S): one pass, each pair kept with
 * probability needed/remaining, which yields a uniform subset in order. */
unsigned int lpRandomPairsUnique(unsigned char *lp, unsigned int count, listpackEntry *keys,
                                 listpackEntry *vals) {
    unsigned long pairs = lpLength(lp) / 2;
    unsigned int picked = 0;
    if (count > pairs) count = (unsigned int)pairs;
    unsigned char *p = lpFirst(lp);
    for (unsigned long remaining = pairs; picked < count && p; remaining--) {
        unsigned long needed = count - picked;
        if ((unsigned long)random() % remaining < needed) {
            lpGetEntry(p, &keys[picked]);
            if (vals) lpGetEntry(lpSkip(p), &vals[picked]);
            picked++;
        }
        p = lpSkip(lpSkip(p)); /* to the next key */
        if (*p == LP_EOF) p = NULL;
    }
    return picked;
}
