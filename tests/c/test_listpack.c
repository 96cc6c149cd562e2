/* test_listpack.c: unit tests for listpack.c.
 *
 * Three kinds of checks:
 *   - Compatibility: blobs captured from redis-server 7.0 (DUMP of lists,
 *     hashes and zsets with rdbcompression off; the listpack is the RDB
 *     string inside) must come out byte for byte when the same elements are
 *     appended here, including the string-header and backlen boundaries.
 *   - Behaviour: every encoding boundary round-trips, and a long random
 *     sequence of inserts / replaces / deletes is checked against a plain
 *     array model after every step (with a deep validation each time).
 *   - Untrusted input: mutated and truncated blobs go through
 *     lpValidateIntegrity in buffers of their exact size, so under
 *     `make run SANITIZE=address` any out-of-bounds read is caught; blobs
 *     that pass validation are then walked both ways and decoded.
 * Randomness comes from a fixed-seed PRNG so failures reproduce.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listpack.h"
#include "test.h"
#include "zmalloc.h"

/* ------------------------------------------------------------ helpers */

static uint64_t rngState = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void) {
    /* xorshift64*: fixed seed, reproducible. */
    rngState ^= rngState >> 12;
    rngState ^= rngState << 25;
    rngState ^= rngState >> 27;
    return rngState * 2685821657736338717ull;
}

/* A random value with a random magnitude: shift drawn first, then the bits
 * (two rnd() calls in one expression would be evaluated in unspecified
 * order, breaking reproducibility across compilers). */
static int64_t rndShifted(unsigned maxShift) {
    unsigned shift = (unsigned)(rnd() % maxShift);
    return (int64_t)rnd() >> shift;
}

static size_t hexDecode(const char *hex, unsigned char *out) {
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
    return n;
}

/* Vector elements "\x01<count><char>" stand for count copies of char. */
static unsigned char *expandElement(const char *e, size_t *len) {
    if (e[0] != '\x01') {
        *len = strlen(e);
        return (unsigned char *)zmemdup(e, *len + 1);
    }
    char *end;
    unsigned long n = strtoul(e + 1, &end, 10);
    unsigned char *buf = zmalloc(n + 1);
    memset(buf, *end, n);
    *len = n;
    return buf;
}

/* Text of element p (integers rendered), into a caller buffer. */
static const unsigned char *elementText(unsigned char *p, unsigned char *intbuf, int64_t *len) {
    return lpGet(p, len, intbuf);
}

static int elementEquals(unsigned char *p, const unsigned char *s, size_t slen) {
    unsigned char buf[LP_INTBUF_SIZE];
    int64_t len;
    const unsigned char *t = elementText(p, buf, &len);
    return (size_t)len == slen && memcmp(t, s, slen) == 0;
}

/* Copies a listpack into a buffer of exactly its size, so that ASan flags
 * any read past its end. */
static unsigned char *exactCopy(const unsigned char *src, size_t len) {
    unsigned char *p = malloc(len ? len : 1);
    memcpy(p, src, len);
    return p;
}

/* ------------------------------------------------ redis 7.0 vectors */

typedef struct redisVector {
    const char *name;
    const char *const *elems;
    size_t count;
    const char *hex;
} redisVector;

static const char *const vecListInts[] = {
    "0",
    "1",
    "127",
    "128",
    "-1",
    "-4096",
    "4095",
    "4096",
    "-4097",
    "32767",
    "-32768",
    "32768",
    "-32769",
    "8388607",
    "-8388608",
    "8388608",
    "-8388609",
    "2147483647",
    "-2147483648",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "-9223372036854775808",
};
static const char *const vecListNotints[] = {
    "",
    "01",
    "-0",
    "+1",
    " 1",
    "1 ",
    "9223372036854775808",
    "-9223372036854775809",
    "1.5",
    "abc",
    "0x10",
    "00",
    "-",
    "1e3",
};
static const char *const vecListStr63[] = {
    "\x01" "63a", /* 63 x 'a' */
    "\x01" "64b", /* 64 x 'b' */
    "\x01" "125c", /* 125 x 'c' */
    "\x01" "126d", /* 126 x 'd' */
};
static const char *const vecListMixed[] = {
    "hello",
    "42",
    "world",
    "-7",
    "\x01" "200x", /* 200 x 'x' */
    "100000",
};
static const char *const vecHash[] = {
    "name",
    "ringkv",
    "age",
    "7",
    "neg",
    "-300",
    "big",
    "123456789012",
    "f",
    "3.14",
    "empty",
    "",
};
static const char *const vecZset[] = {
    "b",
    "-3",
    "d",
    "0",
    "e",
    "2.5000000000000001e-05",
    "a",
    "1.5",
    "f",
    "42",
    "c",
    "10000000000",
};

static const redisVector redisVectors[] = {
    {"list-ints", vecListInts, sizeof(vecListInts) / sizeof(vecListInts[0]),
     "7d0000001700000101017f01c08002dfff02d00002cfff02f1001003f1ffef03f1ff7f03"
     "f1008003f200800004f2ff7fff04f2ffff7f04f200008004f30000800005f3ffff7fff05"
     "f3ffffff7f05f30000008005f4000000800000000009f4ffffff7fffffffff09f4ffffff"
     "ffffffff7f09f4000000000000008009ff"},
    {"list-notints", vecListNotints, sizeof(vecListNotints) / sizeof(vecListNotints[0]),
     "640000000e00800182303103822d3003822b310382203103823120039339323233333732"
     "30333638353437373538303814942d393232333337323033363835343737353830391583"
     "312e3504836162630484307831300582303003812d028331653304ff"},
    {"list-str63", vecListStr63, sizeof(vecListStr63) / sizeof(vecListStr63[0]),
     "8d0100000400bf6161616161616161616161616161616161616161616161616161616161"
     "6161616161616161616161616161616161616161616161616161616161616161616140e0"
     "406262626262626262626262626262626262626262626262626262626262626262626262"
     "626262626262626262626262626262626262626262626262626262626242e07d63636363"
     "636363636363636363636363636363636363636363636363636363636363636363636363"
     "636363636363636363636363636363636363636363636363636363636363636363636363"
     "636363636363636363636363636363636363636363636363636363636363636363636363"
     "636363636363636363636363637fe07e6464646464646464646464646464646464646464"
     "646464646464646464646464646464646464646464646464646464646464646464646464"
     "646464646464646464646464646464646464646464646464646464646464646464646464"
     "646464646464646464646464646464646464646464646464646464646464646464640180"
     "ff"},
    {"list-mixed", vecListMixed, sizeof(vecListMixed) / sizeof(vecListMixed[0]),
     "eb00000006008568656c6c6f062a0185776f726c6406dff902e0c8787878787878787878"
     "787878787878787878787878787878787878787878787878787878787878787878787878"
     "787878787878787878787878787878787878787878787878787878787878787878787878"
     "787878787878787878787878787878787878787878787878787878787878787878787878"
     "787878787878787878787878787878787878787878787878787878787878787878787878"
     "787878787878787878787878787878787878787878787878787878787878787878787878"
     "787878787878787878787801caf2a0860104ff"},
    {"hash", vecHash, sizeof(vecHash) / sizeof(vecHash[0]),
     "450000000c00846e616d65058672696e676b760783616765040701836e656704ded40283"
     "62696704f4141a99be1c0000000981660284332e31340585656d707479068001ff"},
    {"zset", vecZset, sizeof(vecZset) / sizeof(vecZset[0]),
     "470000000c00816202dffd02816402000181650296322e35303030303030303030303030"
     "303031652d30351781610283312e35048166022a01816302f400e40b540200000009ff"},
};

/* Big strings: blob = prefix + len x 'x' + suffix (lists of ["x"*len, "5"],
 * or just ["x"*len] past 100000 bytes), around the 4096 string-header
 * boundary and the 2/3 and 3/4-byte backlen boundaries (16383 and 2097151
 * bytes of encoding + data: Redis gives both the larger backlen). */
typedef struct bigVector {
    size_t len;
    const char *prefix;
    const char *suffix;
} bigVector;

static const bigVector bigVectors[] = {
    {4095, "0c1000000200efff", "20810501ff"},
    {4096, "101000000200f000100000", "20850501ff"},
    {16376, "084000000200f0f83f0000", "7ffd0501ff"},
    {16377, "094000000200f0f93f0000", "7ffe0501ff"},
    {16378, "0b4000000200f0fa3f0000", "00ffff0501ff"},
    {16379, "0c4000000200f0fb3f0000", "0180800501ff"},
    {2097144, "070020000100f0f8ff1f00", "7ffffdff"},
    {2097145, "080020000100f0f9ff1f00", "7ffffeff"},
    {2097146, "0a0020000100f0faff1f00", "00ffffffff"},
    {2097147, "0b0020000100f0fbff1f00", "01808080ff"},
};

static void testRedisVectors(void) {
    for (size_t v = 0; v < sizeof(redisVectors) / sizeof(redisVectors[0]); v++) {
        const redisVector *rv = &redisVectors[v];
        unsigned char *lp = lpNew(0);
        unsigned char expected[4096];
        size_t explen = hexDecode(rv->hex, expected);

        for (size_t i = 0; i < rv->count; i++) {
            size_t len;
            unsigned char *e = expandElement(rv->elems[i], &len);
            lp = lpAppend(lp, e, (uint32_t)len);
            zfree(e);
        }
        TEST_ASSERT_EQ(lpBytes(lp), explen);
        if (lpBytes(lp) != explen || memcmp(lp, expected, explen) != 0) {
            fprintf(stderr, "  vector %s differs\n", rv->name);
            TEST_ASSERT(0);
        }
        TEST_ASSERT_EQ(lpLength(lp), rv->count);
        TEST_ASSERT(lpValidateIntegrity(expected, explen, 1, NULL, NULL));

        /* Every element reads back as its input text, forwards and back. */
        unsigned char *p = lpFirst(lp);
        for (size_t i = 0; i < rv->count; i++) {
            size_t len;
            unsigned char *e = expandElement(rv->elems[i], &len);
            TEST_ASSERT(p != NULL);
            if (!p) break;
            TEST_ASSERT(elementEquals(p, e, len));
            TEST_ASSERT(lpCompare(p, e, (uint32_t)len));
            TEST_ASSERT(lpFind(lp, lpFirst(lp), e, (uint32_t)len, 0) != NULL);
            zfree(e);
            p = lpNext(lp, p);
        }
        TEST_ASSERT(p == NULL);
        p = lpLast(lp);
        for (size_t i = rv->count; i-- > 0;) {
            size_t len;
            unsigned char *e = expandElement(rv->elems[i], &len);
            TEST_ASSERT(p != NULL && elementEquals(p, e, len));
            zfree(e);
            if (!p) break;
            p = lpPrev(lp, p);
        }
        TEST_ASSERT(p == NULL);

        /* Built by prepending in reverse: the same bytes. */
        unsigned char *lp2 = lpNew(0);
        for (size_t i = rv->count; i-- > 0;) {
            size_t len;
            unsigned char *e = expandElement(rv->elems[i], &len);
            lp2 = lpPrepend(lp2, e, (uint32_t)len);
            zfree(e);
        }
        TEST_ASSERT(lpBytes(lp2) == explen && memcmp(lp2, expected, explen) == 0);
        lpFree(lp2);
        lpFree(lp);
    }
}

static void testBigVectors(void) {
    for (size_t v = 0; v < sizeof(bigVectors) / sizeof(bigVectors[0]); v++) {
        const bigVector *bv = &bigVectors[v];
        unsigned char pre[64], suf[64];
        size_t prelen = hexDecode(bv->prefix, pre), suflen = hexDecode(bv->suffix, suf);
        unsigned char *s = malloc(bv->len);
        memset(s, 'x', bv->len);
        unsigned char *lp = lpNew(0);
        lp = lpAppend(lp, s, (uint32_t)bv->len);
        if (bv->len < 100000) lp = lpAppendInteger(lp, 5);
        size_t total = prelen + bv->len + suflen;
        TEST_ASSERT_EQ(lpBytes(lp), total);
        if (lpBytes(lp) == total) {
            TEST_ASSERT(memcmp(lp, pre, prelen) == 0);
            TEST_ASSERT(memcmp(lp + prelen, s, bv->len) == 0);
            if (memcmp(lp + prelen + bv->len, suf, suflen) != 0) {
                fprintf(stderr, "  big vector %zu: suffix differs\n", bv->len);
                TEST_ASSERT(0);
            }
        }
        TEST_ASSERT(lpValidateIntegrity(lp, lpBytes(lp), 1, NULL, NULL));
        /* Backwards walk crosses the big backlen. */
        unsigned char *p = lpLast(lp);
        if (bv->len < 100000) {
            long long lv = 0;
            TEST_ASSERT(p && lpGetIntegerValue(p, &lv) && lv == 5);
            p = lpPrev(lp, p);
        }
        TEST_ASSERT(p == lpFirst(lp));
        TEST_ASSERT(p && elementEquals(p, s, bv->len));
        TEST_ASSERT(lpPrev(lp, p) == NULL);
        TEST_ASSERT_EQ(lpEntryBytes(p), lpEntrySizeString(s, (uint32_t)bv->len));
        lpFree(lp);
        free(s);
    }
}

/* --------------------------------------------------------- encodings */

static const long long intEdges[] = {
    0, 1, 63, 64, 127, 128, 255, 256, -1, -63, -64, -128, -129,
    4095, 4096, -4096, -4097, 32767, 32768, -32768, -32769,
    8388607, 8388608, -8388608, -8388609,
    2147483647LL, 2147483648LL, -2147483647LL - 1, -2147483649LL,
    4294967295LL, 4294967296LL, 140737488355327LL, -140737488355328LL,
    INT64_MAX, INT64_MAX - 1, INT64_MIN, INT64_MIN + 1,
};

/* Expected size of encoding + data, from the format table. */
static size_t expectedIntEncSize(long long v) {
    if (v >= 0 && v <= 127) return 1;
    if (v >= -4096 && v <= 4095) return 2;
    if (v >= -32768 && v <= 32767) return 3;
    if (v >= -8388608 && v <= 8388607) return 4;
    if (v >= INT32_MIN && v <= INT32_MAX) return 5;
    return 9;
}

static void testIntegerEncodings(void) {
    size_t n = sizeof(intEdges) / sizeof(intEdges[0]);
    unsigned char *a = lpNew(0), *b = lpNew(0);
    for (size_t i = 0; i < n; i++) {
        char buf[32];
        int len = snprintf(buf, sizeof(buf), "%lld", intEdges[i]);
        size_t before = lpBytes(a);
        a = lpAppendInteger(a, intEdges[i]);
        b = lpAppend(b, (unsigned char *)buf, (uint32_t)len);
        TEST_ASSERT_EQ(lpBytes(a) - before, expectedIntEncSize(intEdges[i]) + 1);
        TEST_ASSERT_EQ(lpEntrySizeInteger(intEdges[i]), expectedIntEncSize(intEdges[i]) + 1);
        TEST_ASSERT_EQ(lpEntrySizeString((unsigned char *)buf, (uint32_t)len),
                       expectedIntEncSize(intEdges[i]) + 1);
    }
    TEST_ASSERT(lpBytes(a) == lpBytes(b) && memcmp(a, b, lpBytes(a)) == 0);
    TEST_ASSERT(lpValidateIntegrity(a, lpBytes(a), 1, NULL, NULL));
    unsigned char *p = lpFirst(a);
    for (size_t i = 0; i < n; i++) {
        int64_t v;
        long long lv;
        unsigned int slen;
        listpackEntry e;
        TEST_ASSERT(p != NULL);
        if (!p) break;
        TEST_ASSERT(lpGet(p, &v, NULL) == NULL && v == intEdges[i]);
        TEST_ASSERT(lpGetValue(p, &slen, &lv) == NULL && lv == intEdges[i]);
        lpGetEntry(p, &e);
        TEST_ASSERT(e.sval == NULL && e.lval == intEdges[i]);
        char buf[32];
        int len = snprintf(buf, sizeof(buf), "%lld", intEdges[i]);
        TEST_ASSERT(elementEquals(p, (unsigned char *)buf, (size_t)len));
        TEST_ASSERT(lpCompare(p, (unsigned char *)buf, (uint32_t)len));
        p = lpNext(a, p);
    }
    lpFree(a);
    lpFree(b);

    /* Strings that are not canonical integers stay strings. */
    static const char *const notInts[] = {"", "-", "01", "-0", "+1", " 1", "1 ", "1.0", "0x1",
                                          "9223372036854775808", "-9223372036854775809",
                                          "99999999999999999999", "123456789012345678901",
                                          "--1", "1-", "00"};
    for (size_t i = 0; i < sizeof(notInts) / sizeof(notInts[0]); i++) {
        unsigned char *lp = lpAppend(lpNew(0), (const unsigned char *)notInts[i],
                                     (uint32_t)strlen(notInts[i]));
        unsigned int slen = 0;
        long long lv;
        unsigned char *s = lpGetValue(lpFirst(lp), &slen, &lv);
        TEST_ASSERT(s != NULL && slen == strlen(notInts[i]) && memcmp(s, notInts[i], slen) == 0);
        TEST_ASSERT(!lpGetIntegerValue(lpFirst(lp), &lv));
        lpFree(lp);
    }
}

/* Strings of many lengths around every header and backlen boundary. */
static void testStringLengths(void) {
    static const size_t extra[] = {4094, 4095, 4096, 4097, 16375, 16376, 16377, 16378, 16379,
                                   16380, 65535, 65536, 69999, 70000};
    size_t lens[200 + sizeof(extra) / sizeof(extra[0])];
    size_t nlens = 0;
    for (size_t l = 0; l < 200; l++) lens[nlens++] = l;
    for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) lens[nlens++] = extra[i];

    unsigned char *buf = malloc(70001);
    unsigned char *lp = lpNew(0);
    size_t expectBytes = 7;
    for (size_t i = 0; i < nlens; i++) {
        /* Letters only: never an integer. */
        for (size_t j = 0; j < lens[i]; j++) buf[j] = (unsigned char)('a' + (i + j) % 26);
        size_t enc = (lens[i] < 64 ? 1 : lens[i] < 4096 ? 2 : 5) + lens[i];
        size_t back = enc <= 127 ? 1 : enc < 16383 ? 2 : enc < 2097151 ? 3 : 4;
        TEST_ASSERT_EQ(lpEntrySizeString(buf, (uint32_t)lens[i]), enc + back);
        lp = lpAppend(lp, buf, (uint32_t)lens[i]);
        expectBytes += enc + back;
    }
    TEST_ASSERT_EQ(lpBytes(lp), expectBytes);
    TEST_ASSERT_EQ(lpLength(lp), nlens);
    TEST_ASSERT(lpValidateIntegrity(lp, lpBytes(lp), 1, NULL, NULL));
    unsigned char *p = lpLast(lp);
    for (size_t i = nlens; i-- > 0;) {
        for (size_t j = 0; j < lens[i]; j++) buf[j] = (unsigned char)('a' + (i + j) % 26);
        TEST_ASSERT(p && elementEquals(p, buf, lens[i]));
        TEST_ASSERT(p && lpSeek(lp, (long)i) == p);
        TEST_ASSERT(p && lpSeek(lp, (long)i - (long)nlens) == p);
        if (!p) break;
        p = lpPrev(lp, p);
    }
    lpFree(lp);
    free(buf);
}

/* ----------------------------------------------------- model testing */

/* The model: an array of owned strings (integers as their text). */
typedef struct modelElem {
    unsigned char *s;
    size_t len;
} modelElem;

typedef struct model {
    modelElem *v;
    size_t n, cap;
} model;

static void modelInsert(model *m, size_t at, const unsigned char *s, size_t len) {
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->v = realloc(m->v, m->cap * sizeof(*m->v));
    }
    memmove(m->v + at + 1, m->v + at, (m->n - at) * sizeof(*m->v));
    m->v[at].s = malloc(len ? len : 1);
    memcpy(m->v[at].s, s, len);
    m->v[at].len = len;
    m->n++;
}

static void modelDelete(model *m, size_t at, size_t count) {
    for (size_t i = at; i < at + count; i++) free(m->v[i].s);
    memmove(m->v + at, m->v + at + count, (m->n - at - count) * sizeof(*m->v));
    m->n -= count;
}

static void modelFree(model *m) {
    modelDelete(m, 0, m->n);
    free(m->v);
}

/* A random element: small/large ints (as text), short and long strings. */
static size_t randomElement(unsigned char *buf) {
    switch (rnd() % 6) {
    case 0: return (size_t)sprintf((char *)buf, "%lld", (long long)(rnd() % 300) - 150);
    case 1: return (size_t)sprintf((char *)buf, "%lld", (long long)rnd());
    case 2: return (size_t)sprintf((char *)buf, "%lld", (long long)(rnd() % 20000000) - 10000000);
    case 3: {
        size_t len = rnd() % 70;
        for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)('a' + rnd() % 26);
        return len;
    }
    case 4: {
        size_t len = rnd() % 300;
        for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)(rnd() & 0xff);
        return len;
    }
    default: {
        size_t len = (rnd() % 8 == 0) ? 4000 + rnd() % 14000 : rnd() % 5;
        for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)('0' + rnd() % 10);
        return len;
    }
    }
}

static int modelMatches(unsigned char *lp, model *m) {
    if (lpLength(lp) != m->n) return 0;
    if (!lpValidateIntegrity(lp, lpBytes(lp), 1, NULL, NULL)) return 0;
    unsigned char *p = lpFirst(lp);
    for (size_t i = 0; i < m->n; i++) {
        if (!p || !elementEquals(p, m->v[i].s, m->v[i].len)) return 0;
        p = lpNext(lp, p);
    }
    if (p != NULL) return 0;
    p = lpLast(lp);
    for (size_t i = m->n; i-- > 0;) {
        if (!p || !elementEquals(p, m->v[i].s, m->v[i].len)) return 0;
        p = lpPrev(lp, p);
    }
    return p == NULL;
}

static void testRandomOpsAgainstModel(void) {
    unsigned char *buf = malloc(20000);
    model m = {0};
    unsigned char *lp = lpNew(0);
    int failures = 0;

    for (int step = 0; step < 6000 && failures < 3; step++) {
        size_t len = randomElement(buf);
        unsigned char *p, *newp = NULL;
        int op = (int)(rnd() % 12);
        if (m.n > 400 && op < 6) op += 6; /* keep it from growing forever */
        switch (op) {
        case 0:
            lp = lpAppend(lp, buf, (uint32_t)len);
            modelInsert(&m, m.n, buf, len);
            break;
        case 1:
            lp = lpPrepend(lp, buf, (uint32_t)len);
            modelInsert(&m, 0, buf, len);
            break;
        case 2: case 3: {
            if (m.n == 0) break;
            size_t at = rnd() % m.n;
            int where = op == 2 ? LP_BEFORE : LP_AFTER;
            p = lpSeek(lp, (long)at);
            if (rnd() % 2) {
                long long v = rndShifted(64);
                len = (size_t)sprintf((char *)buf, "%lld", v);
                lp = lpInsertInteger(lp, v, p, where, &newp);
            } else {
                lp = lpInsertString(lp, buf, (uint32_t)len, p, where, &newp);
            }
            size_t pos = where == LP_BEFORE ? at : at + 1;
            modelInsert(&m, pos, buf, len);
            TEST_ASSERT(newp == lpSeek(lp, (long)pos));
            break;
        }
        case 4: case 5: {
            if (m.n == 0) break;
            size_t at = rnd() % m.n;
            p = lpSeek(lp, -(long)(m.n - at)); /* negative index */
            if (op == 4) {
                lp = lpReplace(lp, &p, buf, (uint32_t)len);
            } else {
                long long v = (long long)(rnd() % 100000) - 50000;
                len = (size_t)sprintf((char *)buf, "%lld", v);
                lp = lpReplaceInteger(lp, &p, v);
            }
            modelDelete(&m, at, 1);
            modelInsert(&m, at, buf, len);
            TEST_ASSERT(p == lpSeek(lp, (long)at));
            break;
        }
        case 6: case 7: {
            if (m.n == 0) break;
            size_t at = rnd() % m.n;
            p = lpSeek(lp, (long)at);
            lp = lpDelete(lp, p, &newp);
            modelDelete(&m, at, 1);
            TEST_ASSERT(newp == (at < m.n ? lpSeek(lp, (long)at) : NULL));
            break;
        }
        case 8: {
            if (m.n == 0) break;
            size_t at = rnd() % m.n, num = rnd() % 5;
            long idx = rnd() % 2 ? (long)at : (long)at - (long)m.n;
            lp = lpDeleteRange(lp, idx, num);
            modelDelete(&m, at, at + num > m.n ? m.n - at : num);
            break;
        }
        case 9: {
            if (m.n == 0) break;
            size_t at = rnd() % m.n, num = 1 + rnd() % 5;
            p = lpSeek(lp, (long)at);
            lp = lpDeleteRangeWithEntry(lp, &p, num);
            modelDelete(&m, at, at + num > m.n ? m.n - at : num);
            TEST_ASSERT(p == (at < m.n ? lpSeek(lp, (long)at) : NULL));
            break;
        }
        case 10: {
            /* Batch delete of a random ascending subset. */
            unsigned char *ps[64];
            size_t idx[64], k = 0;
            for (size_t i = 0; i < m.n && k < 64; i++)
                if (rnd() % 4 == 0) idx[k++] = i;
            for (size_t i = 0; i < k; i++) ps[i] = lpSeek(lp, (long)idx[i]);
            lp = lpBatchDelete(lp, ps, k);
            for (size_t i = k; i-- > 0;) modelDelete(&m, idx[i], 1);
            break;
        }
        default: {
            /* Split at a random point and merge back. */
            size_t at = m.n ? rnd() % (m.n + 1) : 0;
            unsigned char *second = lpNew(0);
            for (size_t i = at; i < m.n; i++)
                second = lpAppend(second, m.v[i].s, (uint32_t)m.v[i].len);
            lp = lpDeleteRange(lp, (long)at, m.n - at);
            unsigned char *first = lp;
            lp = lpMerge(&first, &second);
            TEST_ASSERT(lp != NULL && (first == NULL) != (second == NULL));
            TEST_ASSERT(lp == (first ? first : second));
            break;
        }
        }
        if (!modelMatches(lp, &m)) {
            fprintf(stderr, "  model mismatch after step %d (op %d)\n", step, op);
            TEST_ASSERT(0);
            failures++;
        }
    }
    lpFree(lp);
    modelFree(&m);
    free(buf);
}

/* --------------------------------------------------- specific paths */

static void testEmptyAndBasics(void) {
    unsigned char *lp = lpNew(0);
    TEST_ASSERT_EQ(lpBytes(lp), 7);
    TEST_ASSERT_EQ(lpLength(lp), 0);
    TEST_ASSERT(memcmp(lp, "\x07\x00\x00\x00\x00\x00\xff", 7) == 0);
    TEST_ASSERT(lpFirst(lp) == NULL && lpLast(lp) == NULL);
    TEST_ASSERT(lpSeek(lp, 0) == NULL && lpSeek(lp, -1) == NULL);
    TEST_ASSERT(lpFind(lp, lpFirst(lp), (const unsigned char *)"a", 1, 0) == NULL);
    TEST_ASSERT(lpRandom(lp) == NULL);
    TEST_ASSERT(lpValidateIntegrity(lp, 7, 1, NULL, NULL));
    lp = lpShrinkToFit(lp);
    TEST_ASSERT_EQ(lpBytes(lp), 7);
    lpFree(lp);

    lp = lpNew(1000); /* capacity is only a hint */
    TEST_ASSERT_EQ(lpBytes(lp), 7);
    lp = lpAppend(lp, (const unsigned char *)"x", 1);
    lp = lpShrinkToFit(lp);
    TEST_ASSERT_EQ(lpBytes(lp), 10);
    TEST_ASSERT(lpSafeToAdd(lp, 100));
    TEST_ASSERT(!lpSafeToAdd(lp, LISTPACK_MAX_SAFETY_SIZE));
    TEST_ASSERT(lpSafeToAdd(NULL, LISTPACK_MAX_SAFETY_SIZE));

    /* Deleting the only element, then the range API on an empty listpack. */
    unsigned char *next = (unsigned char *)1;
    lp = lpDelete(lp, lpFirst(lp), &next);
    TEST_ASSERT(next == NULL);
    TEST_ASSERT_EQ(lpBytes(lp), 7);
    lp = lpDeleteRange(lp, 0, 10);
    TEST_ASSERT_EQ(lpBytes(lp), 7);
    lpFree(lp);
}

static void testSeek(void) {
    unsigned char *lp = lpNew(0);
    for (long i = 0; i < 101; i++) lp = lpAppendInteger(lp, i * 1000);
    for (long i = -120; i < 120; i++) {
        unsigned char *p = lpSeek(lp, i);
        long idx = i < 0 ? i + 101 : i;
        if (idx < 0 || idx >= 101) {
            TEST_ASSERT(p == NULL);
        } else {
            long long v = -1;
            TEST_ASSERT(p && lpGetIntegerValue(p, &v) && v == idx * 1000);
        }
    }
    lpFree(lp);
}

static void testManyEntries(void) {
    /* 70000 entries: the header count saturates to "unknown" at 65535. */
    unsigned char *lp = lpNew(0);
    for (long i = 0; i < 70000; i++) {
        lp = lpAppendInteger(lp, i);
        if (i == 65533) TEST_ASSERT_EQ(lp[4] | lp[5] << 8, 65534);
        if (i == 65534) TEST_ASSERT_EQ(lp[4] | lp[5] << 8, 65535);
    }
    TEST_ASSERT_EQ(lp[4] | lp[5] << 8, 65535);
    TEST_ASSERT_EQ(lpLength(lp), 70000);
    TEST_ASSERT(lpValidateIntegrity(lp, lpBytes(lp), 1, NULL, NULL));
    long long v = -1;
    TEST_ASSERT(lpGetIntegerValue(lpSeek(lp, -1), &v) && v == 69999);
    TEST_ASSERT(lpGetIntegerValue(lpSeek(lp, 69999), &v) && v == 69999);
    TEST_ASSERT(lpGetIntegerValue(lpSeek(lp, -70000), &v) && v == 0);
    TEST_ASSERT(lpGetIntegerValue(lpSeek(lp, 40000), &v) && v == 40000);
    TEST_ASSERT(lpGetIntegerValue(lpSeek(lp, -30000), &v) && v == 40000);
    TEST_ASSERT(lpSeek(lp, 70000) == NULL);
    TEST_ASSERT(lpSeek(lp, -70001) == NULL);
    unsigned char *p = lpFind(lp, lpFirst(lp), (const unsigned char *)"69998", 5, 0);
    TEST_ASSERT(p && lpGetIntegerValue(p, &v) && v == 69998);
    p = lpFind(lp, lpFirst(lp), (const unsigned char *)"69998", 5, 1); /* even only */
    TEST_ASSERT(p && lpGetIntegerValue(p, &v) && v == 69998);
    p = lpFind(lp, lpFirst(lp), (const unsigned char *)"69999", 5, 1);
    TEST_ASSERT(p == NULL);

    /* Deleting while unknown keeps it unknown; lpLength re-caches below 65535. */
    lp = lpDeleteRange(lp, 0, 4000);
    TEST_ASSERT_EQ(lp[4] | lp[5] << 8, 65535);
    TEST_ASSERT_EQ(lpLength(lp), 66000);
    lp = lpDeleteRange(lp, -2000, 2000);
    TEST_ASSERT_EQ(lpLength(lp), 64000);
    TEST_ASSERT_EQ(lp[4] | lp[5] << 8, 64000);
    TEST_ASSERT(lpValidateIntegrity(lp, lpBytes(lp), 1, NULL, NULL));

    /* A merge that crosses the limit. */
    unsigned char *other = lpNew(0);
    for (long i = 0; i < 2000; i++) other = lpAppendInteger(other, i);
    unsigned char *first = lp;
    lp = lpMerge(&first, &other);
    TEST_ASSERT_EQ(lp[4] | lp[5] << 8, 65535);
    TEST_ASSERT_EQ(lpLength(lp), 66000);
    TEST_ASSERT(lpValidateIntegrity(lp, lpBytes(lp), 1, NULL, NULL));
    TEST_ASSERT(lpGetIntegerValue(lpLast(lp), &v) && v == 1999);
    lpFree(lp);
}

static void testFindAndCompare(void) {
    unsigned char *lp = lpNew(0);
    static const char *const fv[] = {"f1", "10", "10", "v2", "-5", "x", "abc", "-5", "",
                                     "empty", "9223372036854775807", "max"};
    for (size_t i = 0; i < 12; i++) lp = lpAppend(lp, (const unsigned char *)fv[i],
                                                   (uint32_t)strlen(fv[i]));
    /* skip=1: only fields (even positions) match. */
    unsigned char *p = lpFind(lp, lpFirst(lp), (const unsigned char *)"10", 2, 1);
    TEST_ASSERT(p == lpSeek(lp, 2));
    p = lpFind(lp, lpFirst(lp), (const unsigned char *)"-5", 2, 1);
    TEST_ASSERT(p == lpSeek(lp, 4));
    p = lpFind(lp, lpFirst(lp), (const unsigned char *)"x", 1, 1);
    TEST_ASSERT(p == NULL);
    p = lpFind(lp, lpFirst(lp), (const unsigned char *)"x", 1, 0);
    TEST_ASSERT(p == lpSeek(lp, 5));
    p = lpFind(lp, lpFirst(lp), (const unsigned char *)"", 0, 1);
    TEST_ASSERT(p == lpSeek(lp, 8));
    p = lpFind(lp, lpFirst(lp), (const unsigned char *)"9223372036854775807", 19, 1);
    TEST_ASSERT(p == lpSeek(lp, 10));
    p = lpFind(lp, lpFirst(lp), (const unsigned char *)"010", 3, 0);
    TEST_ASSERT(p == NULL);
    p = lpFind(lp, lpSeek(lp, 1), (const unsigned char *)"10", 2, 0);
    TEST_ASSERT(p == lpSeek(lp, 1));
    p = lpFind(lp, lpSeek(lp, 3), (const unsigned char *)"10", 2, 0);
    TEST_ASSERT(p == NULL);

    p = lpSeek(lp, 1); /* integer 10 */
    TEST_ASSERT(lpCompare(p, (const unsigned char *)"10", 2));
    TEST_ASSERT(!lpCompare(p, (const unsigned char *)"010", 3));
    TEST_ASSERT(!lpCompare(p, (const unsigned char *)"+10", 3));
    TEST_ASSERT(!lpCompare(p, (const unsigned char *)"1", 1));
    TEST_ASSERT(!lpCompare(p, (const unsigned char *)"10.0", 4));
    p = lpSeek(lp, 0);
    TEST_ASSERT(lpCompare(p, (const unsigned char *)"f1", 2));
    TEST_ASSERT(!lpCompare(p, (const unsigned char *)"f", 1));
    TEST_ASSERT(!lpCompare(p, (const unsigned char *)"f12", 3));

    /* lpGet with an intbuf renders; without, returns the value. */
    unsigned char ib[LP_INTBUF_SIZE];
    int64_t cnt;
    unsigned char *s = lpGet(lpSeek(lp, 4), &cnt, ib);
    TEST_ASSERT(s == ib && cnt == 2 && memcmp(s, "-5", 2) == 0);
    s = lpGet(lpSeek(lp, 10), &cnt, ib);
    TEST_ASSERT(s == ib && cnt == 19 && memcmp(s, "9223372036854775807", 19) == 0);
    TEST_ASSERT(lpGet(lpSeek(lp, 4), &cnt, NULL) == NULL && cnt == -5);
    s = lpGet(lpSeek(lp, 9), &cnt, ib);
    TEST_ASSERT(s != ib && cnt == 5 && memcmp(s, "empty", 5) == 0);
    lpFree(lp);
}

static void testMerge(void) {
    /* Both directions: first bigger and second bigger. */
    for (int bigFirst = 0; bigFirst < 2; bigFirst++) {
        unsigned char *a = lpNew(0), *b = lpNew(0);
        for (int i = 0; i < (bigFirst ? 50 : 3); i++) a = lpAppendInteger(a, i);
        for (int i = 0; i < (bigFirst ? 3 : 50); i++) b = lpAppendInteger(b, 1000 + i);
        unsigned char *ra = a, *rb = b;
        unsigned char *m = lpMerge(&ra, &rb);
        TEST_ASSERT(m != NULL);
        TEST_ASSERT(bigFirst ? (ra == m && rb == NULL) : (rb == m && ra == NULL));
        TEST_ASSERT_EQ(lpLength(m), 53);
        TEST_ASSERT(lpValidateIntegrity(m, lpBytes(m), 1, NULL, NULL));
        unsigned char *ref = lpNew(0);
        for (int i = 0; i < (bigFirst ? 50 : 3); i++) ref = lpAppendInteger(ref, i);
        for (int i = 0; i < (bigFirst ? 3 : 50); i++) ref = lpAppendInteger(ref, 1000 + i);
        TEST_ASSERT(lpBytes(ref) == lpBytes(m) && memcmp(ref, m, lpBytes(m)) == 0);
        lpFree(ref);
        lpFree(m);
    }
    /* Merging with an empty listpack, and refusing bad arguments. */
    unsigned char *a = lpAppend(lpNew(0), (const unsigned char *)"x", 1), *b = lpNew(0);
    unsigned char *m = lpMerge(&a, &b);
    TEST_ASSERT(m && lpLength(m) == 1 && lpBytes(m) == 10);
    unsigned char *same = m;
    TEST_ASSERT(lpMerge(&m, &same) == NULL);
    unsigned char *nul = NULL;
    TEST_ASSERT(lpMerge(&m, &nul) == NULL);
    lpFree(m);
}

static void testBatchDelete(void) {
    unsigned char *lp = lpNew(0);
    for (int i = 0; i < 10; i++) lp = lpAppendInteger(lp, i);
    unsigned char *ps[3] = {lpSeek(lp, 0), lpSeek(lp, 5), lpSeek(lp, 9)};
    lp = lpBatchDelete(lp, ps, 3);
    TEST_ASSERT_EQ(lpLength(lp), 7);
    unsigned char *ref = lpNew(0);
    static const int keep[] = {1, 2, 3, 4, 6, 7, 8};
    for (int i = 0; i < 7; i++) ref = lpAppendInteger(ref, keep[i]);
    TEST_ASSERT(lpBytes(ref) == lpBytes(lp) && memcmp(ref, lp, lpBytes(lp)) == 0);
    lpFree(ref);
    lp = lpBatchDelete(lp, ps, 0);
    TEST_ASSERT_EQ(lpLength(lp), 7);
    unsigned char *all[7];
    unsigned char *p = lpFirst(lp);
    for (int i = 0; i < 7; i++, p = lpNext(lp, p)) all[i] = p;
    lp = lpBatchDelete(lp, all, 7);
    TEST_ASSERT_EQ(lpBytes(lp), 7);
    TEST_ASSERT_EQ(lpLength(lp), 0);
    lpFree(lp);
}

static void testRandomPairs(void) {
    unsigned char *lp = lpNew(0);
    enum { PAIRS = 10 };
    for (int i = 0; i < PAIRS; i++) {
        char f[16];
        int n = snprintf(f, sizeof(f), "field%d", i);
        lp = lpAppend(lp, (unsigned char *)f, (uint32_t)n);
        lp = lpAppendInteger(lp, i);
    }
    int seen[PAIRS] = {0};
    listpackEntry k, v;
    for (int i = 0; i < 2000; i++) {
        lpRandomPair(lp, lpLength(lp), &k, &v);
        int idx = atoi((const char *)k.sval + 5);
        TEST_ASSERT(k.sval && v.sval == NULL && v.lval == idx);
        if (idx >= 0 && idx < PAIRS) seen[idx]++;
    }
    for (int i = 0; i < PAIRS; i++) TEST_ASSERT(seen[i] > 100); /* expect ~200 each */

    listpackEntry keys[300], vals[300];
    memset(seen, 0, sizeof(seen));
    lpRandomPairs(lp, 300, keys, vals);
    int inOrder = 1;
    for (int i = 0; i < 300; i++) {
        int idx = atoi((const char *)keys[i].sval + 5);
        TEST_ASSERT(vals[i].sval == NULL && vals[i].lval == idx);
        if (idx >= 0 && idx < PAIRS) seen[idx]++;
        if (i && idx < atoi((const char *)keys[i - 1].sval + 5)) inOrder = 0;
    }
    TEST_ASSERT(!inOrder); /* shuffled, not in listpack order */
    for (int i = 0; i < PAIRS; i++) TEST_ASSERT(seen[i] > 5);
    lpRandomPairs(lp, 5, keys, NULL);
    TEST_ASSERT(keys[4].sval != NULL);

    for (unsigned int want = 0; want <= PAIRS + 2; want++) {
        unsigned int got = lpRandomPairsUnique(lp, want, keys, vals);
        TEST_ASSERT_EQ(got, want > PAIRS ? PAIRS : want);
        for (unsigned int i = 0; i < got; i++) {
            int idx = atoi((const char *)keys[i].sval + 5);
            TEST_ASSERT(vals[i].lval == idx);
            if (i) TEST_ASSERT(idx > atoi((const char *)keys[i - 1].sval + 5));
        }
    }
    /* Uniformity of the unique picks: each pair chosen ~half the time. */
    memset(seen, 0, sizeof(seen));
    for (int r = 0; r < 1000; r++) {
        unsigned int got = lpRandomPairsUnique(lp, PAIRS / 2, keys, NULL);
        for (unsigned int i = 0; i < got; i++) seen[atoi((const char *)keys[i].sval + 5)]++;
    }
    for (int i = 0; i < PAIRS; i++) TEST_ASSERT(seen[i] > 400 && seen[i] < 600);

    int hits[PAIRS * 2] = {0};
    for (int r = 0; r < 4000; r++) {
        unsigned char *p = lpRandom(lp);
        for (int i = 0; i < PAIRS * 2; i++)
            if (p == lpSeek(lp, i)) hits[i]++;
    }
    for (int i = 0; i < PAIRS * 2; i++) TEST_ASSERT(hits[i] > 100);
    lpFree(lp);
}

/* ---------------------------------------------------- untrusted input */

static int countingCb(unsigned char *p, unsigned int head_count, void *ud) {
    (void)p;
    (void)head_count;
    (*(long *)ud)++;
    return 1;
}

static int refusingCb(unsigned char *p, unsigned int head_count, void *ud) {
    (void)p;
    (void)head_count;
    return ++(*(long *)ud) < 3;
}

/* After a blob passed deep validation, every accessor must be safe on it. */
static void exerciseValidated(unsigned char *lp) {
    unsigned char ib[LP_INTBUF_SIZE];
    unsigned long n = lpLength(lp), seen = 0;
    for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p)) {
        int64_t cnt;
        lpGet(p, &cnt, ib);
        lpCompare(p, (const unsigned char *)"abc", 3);
        seen++;
    }
    TEST_ASSERT_EQ(seen, n);
    seen = 0;
    for (unsigned char *p = lpLast(lp); p; p = lpPrev(lp, p)) seen++;
    TEST_ASSERT_EQ(seen, n);
    lpFind(lp, lpFirst(lp), (const unsigned char *)"123", 3, 0);
}

static void testValidateIntegrity(void) {
    unsigned char *lp = lpNew(0);
    static const char *const el[] = {"a", "12345", "hello world", "-1", "1000000000000"};
    for (int i = 0; i < 5; i++) lp = lpAppend(lp, (const unsigned char *)el[i],
                                              (uint32_t)strlen(el[i]));
    size_t n = lpBytes(lp);
    long calls = 0;
    TEST_ASSERT(lpValidateIntegrity(lp, n, 1, countingCb, &calls));
    TEST_ASSERT_EQ(calls, 5);
    calls = 0;
    TEST_ASSERT(!lpValidateIntegrity(lp, n, 1, refusingCb, &calls));
    TEST_ASSERT(lpValidateIntegrity(lp, n, 0, NULL, NULL));
    TEST_ASSERT(!lpValidateIntegrity(lp, n - 1, 0, NULL, NULL));
    TEST_ASSERT(!lpValidateIntegrity(lp, n + 1, 0, NULL, NULL));
    TEST_ASSERT(!lpValidateIntegrity(lp, 3, 1, NULL, NULL));
    TEST_ASSERT(!lpValidateIntegrity(NULL, 0, 1, NULL, NULL));

    /* Wrong element count. */
    unsigned char *bad = exactCopy(lp, n);
    bad[4] = 4;
    TEST_ASSERT(!lpValidateIntegrity(bad, n, 1, NULL, NULL));
    bad[4] = 0xff;
    bad[5] = 0xff; /* unknown is acceptable */
    TEST_ASSERT(lpValidateIntegrity(bad, n, 1, NULL, NULL));
    free(bad);

    /* Missing end byte; an invalid encoding byte; a wrong backlen. */
    bad = exactCopy(lp, n);
    bad[n - 1] = 0;
    TEST_ASSERT(!lpValidateIntegrity(bad, n, 0, NULL, NULL));
    free(bad);
    bad = exactCopy(lp, n);
    bad[6] = 0xF5;
    TEST_ASSERT(!lpValidateIntegrity(bad, n, 1, NULL, NULL));
    free(bad);
    bad = exactCopy(lp, n);
    bad[8] = 3; /* backlen of "a" is 2 */
    TEST_ASSERT(!lpValidateIntegrity(bad, n, 1, NULL, NULL));
    free(bad);
    /* A string length running past the end (header total fixed up). */
    bad = exactCopy(lp, n);
    bad[6] = 0x80 | 60;
    TEST_ASSERT(!lpValidateIntegrity(bad, n, 1, NULL, NULL));
    free(bad);
    /* A 32-bit string length near 4 GB must not wrap. */
    unsigned char huge[] = {0x0e, 0, 0, 0, 1, 0, 0xF0, 0xfc, 0xff, 0xff, 0xff, 0x01, 0x01, 0xff};
    huge[0] = sizeof(huge);
    TEST_ASSERT(!lpValidateIntegrity(huge, sizeof(huge), 1, NULL, NULL));

    /* Every truncation with a consistent header is rejected. */
    for (size_t len = 7; len < n; len++) {
        bad = exactCopy(lp, len);
        bad[0] = (unsigned char)len;
        bad[len - 1] = 0xff;
        int ok = lpValidateIntegrity(bad, len, 1, NULL, NULL);
        TEST_ASSERT(!ok);
        free(bad);
    }
    lpFree(lp);
}

static void testValidateFuzz(void) {
    unsigned char *elem = malloc(20000);
    long accepted = 0, rejected = 0;
    for (int round = 0; round < 400; round++) {
        unsigned char *lp = lpNew(0);
        int count = (int)(rnd() % 20);
        for (int i = 0; i < count; i++) {
            size_t len = randomElement(elem);
            lp = lpAppend(lp, elem, (uint32_t)len);
        }
        size_t n = lpBytes(lp);
        for (int m = 0; m < 50; m++) {
            size_t len = n;
            int kind = (int)(rnd() % 4);
            if (kind == 3) len = 7 + rnd() % n; /* truncate or extend */
            unsigned char *bad = malloc(len);
            memcpy(bad, lp, len < n ? len : n);
            for (size_t i = n; i < len; i++) bad[i] = (unsigned char)rnd();
            int flips = 1 + (int)(rnd() % 4);
            for (int f = 0; f < flips; f++) {
                size_t at = rnd() % len;
                if (kind == 0) bad[at] = (unsigned char)rnd();
                else if (kind == 1) bad[at] ^= (unsigned char)(1u << (rnd() % 8));
                else if (kind == 2) bad[at] = (unsigned char)(0xF0 + rnd() % 16);
            }
            /* Keep the shallow checks passing half the time, to reach the walk. */
            if (rnd() % 2) {
                bad[0] = len & 0xff;
                bad[1] = (len >> 8) & 0xff;
                bad[2] = (len >> 16) & 0xff;
                bad[3] = (len >> 24) & 0xff;
                bad[len - 1] = 0xff;
            }
            if (lpValidateIntegrity(bad, len, 1, NULL, NULL)) {
                accepted++;
                exerciseValidated(bad);
            } else {
                rejected++;
            }
            lpValidateIntegrity(bad, len, 0, NULL, NULL);
            free(bad);
        }
        lpFree(lp);
    }
    TEST_ASSERT(rejected > 0);
    printf("    fuzz: %ld mutated blobs accepted, %ld rejected\n", accepted, rejected);
    free(elem);
}

int main(void) {
    TEST_RUN(testEmptyAndBasics);
    TEST_RUN(testRedisVectors);
    TEST_RUN(testBigVectors);
    TEST_RUN(testIntegerEncodings);
    TEST_RUN(testStringLengths);
    TEST_RUN(testSeek);
    TEST_RUN(testFindAndCompare);
    TEST_RUN(testMerge);
    TEST_RUN(testBatchDelete);
    TEST_RUN(testManyEntries);
    TEST_RUN(testRandomPairs);
    TEST_RUN(testRandomOpsAgainstModel);
    TEST_RUN(testValidateIntegrity);
    TEST_RUN(testValidateFuzz);
    return testReport();
}
