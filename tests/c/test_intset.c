/* test_intset.c: unit tests for intset.c.
 *
 * Blobs captured from redis-server 7.0 (DUMP of small integer sets, RDB
 * type 11) must be reproduced byte for byte; a random sequence of adds and
 * removes is checked against a sorted-array model, crossing every width
 * upgrade; validation is fed mutated blobs in exact-size buffers (run under
 * `make run SANITIZE=address` to catch any out-of-bounds read). Fixed-seed
 * PRNG, so failures reproduce.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intset.h"
#include "test.h"
#include "zmalloc.h"

static uint64_t rngState = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void) {
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

/* values (in SADD order), DUMP'd intset blob: from redis-server 7.0. */
typedef struct redisVector {
    int count;
    long long values[8];
    const char *hex;
} redisVector;

static const redisVector redisVectors[] = {
    {3, {5LL, 1LL, 3LL}, "0200000003000000010003000500"},
    {3, {-2LL, 70000LL, 3LL}, "0400000003000000feffffff0300000070110100"},
    {5, {1LL, -1099511627776LL, 7LL, 32767LL, -32768LL},
     "08000000050000000000000000ffffff0080ffffffffffff0100000000000000"
     "0700000000000000ff7f000000000000"},
    {2, {2LL, 1LL}, "020000000200000001000200"},
};

static void testRedisVectors(void) {
    for (size_t v = 0; v < sizeof(redisVectors) / sizeof(redisVectors[0]); v++) {
        const redisVector *rv = &redisVectors[v];
        unsigned char expected[128];
        size_t n = hexDecode(rv->hex, expected);
        intset *is = intsetNew();
        for (int i = 0; i < rv->count; i++) is = intsetAdd(is, rv->values[i], NULL);
        TEST_ASSERT_EQ(intsetBlobLen(is), n);
        TEST_ASSERT(intsetBlobLen(is) == n && memcmp(is, expected, n) == 0);
        TEST_ASSERT(intsetValidateIntegrity(expected, n, 1));
        TEST_ASSERT_EQ(intsetLen(is), rv->count);
        intsetFree(is);
    }
}

static void testBasics(void) {
    intset *is = intsetNew();
    uint8_t ok;
    int removed;
    int64_t v;
    TEST_ASSERT_EQ(intsetLen(is), 0);
    TEST_ASSERT_EQ(intsetBlobLen(is), 8);
    TEST_ASSERT(!intsetFind(is, 0));
    TEST_ASSERT(!intsetGet(is, 0, &v));
    is = intsetRemove(is, 5, &removed);
    TEST_ASSERT(!removed);
    TEST_ASSERT(intsetValidateIntegrity((unsigned char *)is, 8, 1));

    is = intsetAdd(is, 5, &ok);
    TEST_ASSERT(ok);
    is = intsetAdd(is, 5, &ok);
    TEST_ASSERT(!ok);
    is = intsetAdd(is, 6, &ok);
    is = intsetAdd(is, 4, &ok);
    is = intsetAdd(is, 4, NULL);
    TEST_ASSERT_EQ(intsetLen(is), 3);
    TEST_ASSERT_EQ(intsetBlobLen(is), 8 + 3 * 2);
    TEST_ASSERT(intsetGet(is, 0, &v) && v == 4);
    TEST_ASSERT(intsetGet(is, 2, &v) && v == 6);
    TEST_ASSERT(!intsetGet(is, 3, &v));
    TEST_ASSERT_EQ(intsetMin(is), 4);
    TEST_ASSERT_EQ(intsetMax(is), 6);
    TEST_ASSERT(intsetFind(is, 5) && !intsetFind(is, 7) && !intsetFind(is, 3));
    /* Values wider than the encoding are never members (and never found by
     * truncation: 65541 & 0xffff == 5). */
    TEST_ASSERT(!intsetFind(is, 65541));
    is = intsetRemove(is, 65541, &removed);
    TEST_ASSERT(!removed && intsetLen(is) == 3);
    is = intsetRemove(is, 5, &removed);
    TEST_ASSERT(removed && intsetLen(is) == 2 && !intsetFind(is, 5));
    TEST_ASSERT_EQ(intsetBlobLen(is), 8 + 2 * 2);

    intset *dup = intsetDup(is);
    TEST_ASSERT(memcmp(dup, is, intsetBlobLen(is)) == 0);
    intsetFree(dup);
    intsetFree(is);
}

static void testUpgrades(void) {
    static const struct {
        int64_t first, second;
        size_t width;
    } cases[] = {
        {32, 65535, 4},        {32, -65535, 4},       {32, 4294967295LL, 8},
        {32, -4294967295LL, 8}, {65535, 4294967295LL, 8}, {-65535, -4294967295LL, 8},
        {32767, INT64_MIN, 8},  {-32768, INT64_MAX, 8}, {0, 32768, 4}, {0, -32769, 4},
        {0, 2147483648LL, 8}, {0, -2147483649LL, 8},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        intset *is = intsetNew();
        for (int64_t d = -3; d <= 3; d++) is = intsetAdd(is, cases[i].first / 2 + d * 7, NULL);
        is = intsetAdd(is, cases[i].first, NULL);
        is = intsetAdd(is, cases[i].second, NULL);
        uint32_t enc;
        memcpy(&enc, is, 4);
        TEST_ASSERT_EQ(enc, cases[i].width);
        TEST_ASSERT_EQ(intsetBlobLen(is), 8 + intsetLen(is) * cases[i].width);
        TEST_ASSERT(intsetFind(is, cases[i].first) && intsetFind(is, cases[i].second));
        for (int64_t d = -3; d <= 3; d++) TEST_ASSERT(intsetFind(is, cases[i].first / 2 + d * 7));
        TEST_ASSERT(intsetValidateIntegrity((unsigned char *)is, intsetBlobLen(is), 1));
        int64_t prev = 0, v;
        for (uint32_t k = 0; k < intsetLen(is); k++) {
            TEST_ASSERT(intsetGet(is, k, &v));
            if (k) TEST_ASSERT(v > prev);
            prev = v;
        }
        /* Removing the wide value keeps the width (no downgrade). */
        is = intsetRemove(is, cases[i].second, NULL);
        memcpy(&enc, is, 4);
        TEST_ASSERT_EQ(enc, cases[i].width);
        intsetFree(is);
    }
}

static int cmpI64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void testRandomAgainstModel(void) {
    enum { MAXN = 3000 };
    int64_t *model = malloc(MAXN * sizeof(int64_t));
    size_t n = 0;
    intset *is = intsetNew();
    for (int step = 0; step < 20000; step++) {
        /* Phase-dependent ranges so each width gets exercised in turn. */
        int64_t v;
        int phase = step / 5000;
        if (phase == 0) v = (int64_t)(rnd() % 2000) - 1000;
        else if (phase == 1) v = (int64_t)(rnd() % 200000) - 100000;
        else v = rndShifted(40);
        size_t at;
        int found = 0;
        for (at = 0; at < n; at++)
            if (model[at] == v) {
                found = 1;
                break;
            }
        if (rnd() % 3 || n == 0) {
            uint8_t ok;
            if (n >= MAXN) continue;
            is = intsetAdd(is, v, &ok);
            TEST_ASSERT_EQ(ok, !found);
            if (!found) {
                model[n++] = v;
                qsort(model, n, sizeof(*model), cmpI64);
            }
        } else {
            if (!found && rnd() % 2) {
                v = model[rnd() % n];
                found = 1;
                for (at = 0; model[at] != v; at++);
            }
            int removed;
            is = intsetRemove(is, v, &removed);
            TEST_ASSERT_EQ(removed, found);
            if (found) {
                memmove(model + at, model + at + 1, (n - at - 1) * sizeof(*model));
                n--;
            }
        }
        if (step % 97 == 0 || step > 19900) {
            TEST_ASSERT_EQ(intsetLen(is), n);
            for (size_t i = 0; i < n; i++) {
                int64_t got;
                TEST_ASSERT(intsetGet(is, (uint32_t)i, &got) && got == model[i]);
                TEST_ASSERT(intsetFind(is, model[i]));
            }
            TEST_ASSERT(intsetValidateIntegrity((unsigned char *)is, intsetBlobLen(is), 1));
            if (n) {
                TEST_ASSERT_EQ(intsetMin(is), model[0]);
                TEST_ASSERT_EQ(intsetMax(is), model[n - 1]);
            }
        }
    }
    free(model);
    intsetFree(is);
}

static void testRandom(void) {
    intset *is = intsetNew();
    int hits[10] = {0};
    for (int i = 0; i < 10; i++) is = intsetAdd(is, i * 100000LL, NULL);
    for (int r = 0; r < 5000; r++) {
        int64_t v = intsetRandom(is);
        TEST_ASSERT(v % 100000 == 0 && v >= 0 && v < 1000000);
        if (v >= 0 && v < 1000000) hits[v / 100000]++;
    }
    for (int i = 0; i < 10; i++) TEST_ASSERT(hits[i] > 350 && hits[i] < 650);
    intsetFree(is);
}

static void testValidate(void) {
    intset *is = intsetNew();
    for (int i = 0; i < 5; i++) is = intsetAdd(is, i * 3, NULL);
    size_t n = intsetBlobLen(is);
    unsigned char *b = malloc(n + 8);
    memcpy(b, is, n);
    TEST_ASSERT(intsetValidateIntegrity(b, n, 1));
    TEST_ASSERT(intsetValidateIntegrity(b, n, 0));
    TEST_ASSERT(!intsetValidateIntegrity(b, n - 1, 0));
    TEST_ASSERT(!intsetValidateIntegrity(b, n + 2, 0));
    TEST_ASSERT(!intsetValidateIntegrity(b, 7, 0));
    TEST_ASSERT(!intsetValidateIntegrity(NULL, 0, 0));
    /* Unaligned copies validate too (untrusted buffers can sit anywhere). */
    memmove(b + 1, b, n);
    TEST_ASSERT(intsetValidateIntegrity(b + 1, n, 1));
    memmove(b, b + 1, n);
    b[0] = 3; /* bad encoding */
    TEST_ASSERT(!intsetValidateIntegrity(b, n, 0));
    b[0] = 2;
    memcpy(b + 8, "\x09\x00", 2); /* 9 before 3: unsorted */
    TEST_ASSERT(intsetValidateIntegrity(b, n, 0)); /* shallow does not look */
    TEST_ASSERT(!intsetValidateIntegrity(b, n, 1));
    memcpy(b + 8, "\x03\x00", 2); /* duplicate of the next one */
    TEST_ASSERT(!intsetValidateIntegrity(b, n, 1));
    /* A length so large that length*encoding wraps 32 bits. */
    memcpy(b, "\x08\x00\x00\x00\x00\x00\x00\x20", 8);
    TEST_ASSERT(!intsetValidateIntegrity(b, 8, 0));
    free(b);
    intsetFree(is);

    /* Mutation fuzz in exact-size buffers. */
    long accepted = 0;
    for (int r = 0; r < 3000; r++) {
        intset *s = intsetNew();
        int cnt = (int)(rnd() % 12);
        for (int i = 0; i < cnt; i++) s = intsetAdd(s, rndShifted(64), NULL);
        size_t len = intsetBlobLen(s);
        size_t blen = rnd() % 4 ? len : rnd() % (len + 9);
        unsigned char *m = malloc(blen ? blen : 1);
        memcpy(m, s, blen < len ? blen : len);
        for (size_t i = len; i < blen; i++) m[i] = (unsigned char)rnd();
        if (blen) {
            size_t at = rnd() % blen;
            m[at] ^= (unsigned char)(1u << (rnd() % 8));
        }
        if (intsetValidateIntegrity(m, blen, 1)) {
            accepted++;
            /* Validated: reading it all must be safe. */
            int64_t prev = 0, v;
            const intset *vs = (const intset *)m;
            for (uint32_t i = 0; i < intsetLen(vs); i++) {
                intsetGet((intset *)m, i, &v);
                if (i) TEST_ASSERT(v > prev);
                prev = v;
            }
        }
        intsetValidateIntegrity(m, blen, 0);
        free(m);
        intsetFree(s);
    }
    printf("    fuzz: %ld of 3000 mutated blobs accepted\n", accepted);
}

int main(void) {
    TEST_RUN(testRedisVectors);
    TEST_RUN(testBasics);
    TEST_RUN(testUpgrades);
    TEST_RUN(testRandomAgainstModel);
    TEST_RUN(testRandom);
    TEST_RUN(testValidate);
    return testReport();
}
