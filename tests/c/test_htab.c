/* test_htab.c: unit tests for htab.c and siphash.c.
 *
 * The entries are small malloc'd structs with an integer id and the key
 * "k<id>", so a test can rebuild any key from its id without touching the
 * entry: that is how deletions of entries that may already be freed are
 * driven, and ASan then catches any dereference of a freed entry by the
 * table. Randomness comes from a fixed-seed PRNG so failures reproduce.
 *
 * Build and run (pass --no-bench to skip the timing printout):
 *   gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -DHTAB_DEBUG -Isrc -Itests/c \
 *       tests/c/test_htab.c src/htab.c src/siphash.c src/zmalloc.c -o test_htab
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "htab.h"
#include "siphash.h"
#include "test.h"

/* ------------------------------------------------------------ fixtures */

typedef struct testEntry {
    htabLink link;
    uint32_t id;
    uint32_t len;
    char key[];
} testEntry;

static long destroyedCount;

static const void *entryKey(const void *entry, size_t *len) {
    const testEntry *e = entry;
    *len = e->len;
    return e->key;
}

static void entryFree(void *entry) {
    destroyedCount++;
    free(entry);
}

static const htabType entryType = {entryKey, entryFree, 0};
static const htabType entryTypeNoFree = {entryKey, NULL, 0};
static const htabType entryTypeNocase = {entryKey, entryFree, 1};

static size_t keyFor(uint32_t id, char *buf) {
    return (size_t)sprintf(buf, "k%u", id);
}

static testEntry *newEntryWithKey(uint32_t id, const char *key, size_t len) {
    testEntry *e = malloc(sizeof(*e) + len + 1);
    e->link.next = NULL;
    e->id = id;
    e->len = (uint32_t)len;
    memcpy(e->key, key, len);
    e->key[len] = '\0';
    return e;
}

static testEntry *newEntry(uint32_t id) {
    char buf[32];
    size_t len = keyFor(id, buf);
    return newEntryWithKey(id, buf, len);
}

static void *findId(htab *t, uint32_t id) {
    char buf[32];
    size_t len = keyFor(id, buf);
    return htabFind(t, buf, len);
}

static int deleteId(htab *t, uint32_t id) {
    char buf[32];
    size_t len = keyFor(id, buf);
    return htabDelete(t, buf, len);
}

static uint64_t rngState = 0x853c49e6748fea9bULL;

static uint64_t rnd(void) {
    rngState ^= rngState >> 12;
    rngState ^= rngState << 25;
    rngState ^= rngState >> 27;
    return rngState * 0x2545f4914f6cdd1dULL;
}

static uint32_t rndBelow(uint32_t n) {
    return (uint32_t)(rnd() % n);
}

static void finishRehashing(htab *t) {
    for (int i = 0; i < 1000; i++) {
        if (!htabRehashMicroseconds(t, 100000) && !htabIsRehashing(t)) {
            htabResizeIfNeeded(t);
            if (!htabIsRehashing(t)) return;
        }
    }
}

/* Adds entries with fresh ids until the table is in the middle of a rehash.
 * Returns the next unused id. */
static uint32_t addUntilRehashing(htab *t, uint32_t id, char *present) {
    while (!htabIsRehashing(t)) {
        htabInsert(t, newEntry(id));
        if (present) present[id] = 1;
        id++;
    }
    return id;
}

/* --------------------------------------------------------------- siphash */

/* SipHash-2-4 of the bytes 0,1,..,i-1 under the key 0,1,..,15: the test
 * vectors published with the reference implementation. */
static const uint64_t sip24Vectors[64] = {
    0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL, 0x0d6c8009d9a94f5aULL, 0x85676696d7fb7e2dULL,
    0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL, 0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL,
    0x93f5f5799a932462ULL, 0x9e0082df0ba9e4b0ULL, 0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
    0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL, 0xf723ca908e7af2eeULL, 0xa129ca6149be45e5ULL,
    0x3f2acc7f57c29bdbULL, 0x699ae9f52cbe4794ULL, 0x4bc1b3f0968dd39cULL, 0xbb6dc91da77961bdULL,
    0xbed65cf21aa2ee98ULL, 0xd0f2cbb02e3b67c7ULL, 0x93536795e3a33e88ULL, 0xa80c038ccd5ccec8ULL,
    0xb8ad50c6f649af94ULL, 0xbce192de8a85b8eaULL, 0x17d835b85bbb15f3ULL, 0x2f2e6163076bcfadULL,
    0xde4daaaca71dc9a5ULL, 0xa6a2506687956571ULL, 0xad87a3535c49ef28ULL, 0x32d892fad841c342ULL,
    0x7127512f72f27cceULL, 0xa7f32346f95978e3ULL, 0x12e0b01abb051238ULL, 0x15e034d40fa197aeULL,
    0x314dffbe0815a3b4ULL, 0x027990f029623981ULL, 0xcadcd4e59ef40c4dULL, 0x9abfd8766a33735cULL,
    0x0e3ea96b5304a7d0ULL, 0xad0c42d6fc585992ULL, 0x187306c89bc215a9ULL, 0xd4a60abcf3792b95ULL,
    0xf935451de4f21df2ULL, 0xa9538f0419755787ULL, 0xdb9acddff56ca510ULL, 0xd06c98cd5c0975ebULL,
    0xe612a3cb9ecba951ULL, 0xc766e62cfcadaf96ULL, 0xee64435a9752fe72ULL, 0xa192d576b245165aULL,
    0x0a8787bf8ecb74b2ULL, 0x81b3e73d20b49b6fULL, 0x7fa8220ba3b2eceaULL, 0x245731c13ca42499ULL,
    0xb78dbfaf3a8d83bdULL, 0xea1ad565322a1a0bULL, 0x60e61c23a3795013ULL, 0x6606d7e446282b93ULL,
    0x6ca4ecb15c5f91e1ULL, 0x9f626da15c9625f3ULL, 0xe51b38608ef25f57ULL, 0x958a324ceb064572ULL,
};

static void testSiphashVectors(void) {
    uint8_t key[16], in[64];
    for (int i = 0; i < 16; i++) key[i] = (uint8_t)i;
    for (int i = 0; i < 64; i++) in[i] = (uint8_t)i;
    for (int i = 0; i < 64; i++) TEST_ASSERT(siphash24(in, (size_t)i, key) == sip24Vectors[i]);
    /* 1-2 runs fewer rounds of the same core, so it must differ from 2-4. */
    TEST_ASSERT(siphash(in, 16, key) != siphash24(in, 16, key));
}

static void testSiphashNocase(void) {
    uint8_t key[16];
    for (int i = 0; i < 16; i++) key[i] = (uint8_t)(i * 7 + 1);
    const char *lower = "the quick brown fox jumps over the lazy dog 0123456789 @[`{";
    char mixed[128];
    size_t n = strlen(lower);
    for (size_t len = 0; len <= n; len++) {
        for (size_t i = 0; i < len; i++) {
            char c = lower[i];
            mixed[i] = (c >= 'a' && c <= 'z' && (rnd() & 1)) ? (char)(c - 32) : c;
        }
        const uint8_t *l = (const uint8_t *)lower, *m = (const uint8_t *)mixed;
        TEST_ASSERT(siphashNocase(m, len, key) == siphash(l, len, key));
        TEST_ASSERT(siphashNocase(l, len, key) == siphash(l, len, key));
    }
    /* Only ASCII letters fold: '@' (0x40) and '`' (0x60) stay distinct. */
    TEST_ASSERT(siphashNocase((const uint8_t *)"@", 1, key) != siphashNocase((const uint8_t *)"`", 1, key));
    /* Bytes >= 0x80 are hashed unchanged. */
    TEST_ASSERT(siphashNocase((const uint8_t *)"\xc9", 1, key) == siphash((const uint8_t *)"\xc9", 1, key));
}

/* ----------------------------------------------------------- basic ops */

static void testMillion(void) {
    const uint32_t n = 1000000;
    htab *t = htabCreate(&entryType);
    testEntry **all = malloc(sizeof(*all) * n);
    long addFail = 0, sizeOver = 0;

    for (uint32_t i = 0; i < n; i++) {
        all[i] = newEntry(i);
        if (htabAdd(t, all[i]) != 1) addFail++;
        if (htabBuckets(t) > 2 * (size_t)n) sizeOver++;
    }
    TEST_ASSERT_EQ(addFail, 0);
    TEST_ASSERT_EQ(sizeOver, 0);
    TEST_ASSERT_EQ(htabSize(t), n);

    /* A duplicate key is refused and leaves the table unchanged. */
    testEntry *dup = newEntry(123);
    TEST_ASSERT_EQ(htabAdd(t, dup), 0);
    TEST_ASSERT(findId(t, 123) == all[123]);
    free(dup);

    long wrong = 0;
    for (uint32_t i = 0; i < n; i++)
        if (findId(t, i) != all[i]) wrong++;
    TEST_ASSERT_EQ(wrong, 0);
    long phantom = 0;
    for (uint32_t i = n; i < n + 100000; i++)
        if (findId(t, i) != NULL) phantom++;
    TEST_ASSERT_EQ(phantom, 0);

    finishRehashing(t);
    TEST_ASSERT_EQ(htabBuckets(t), 1 << 20); /* memory: <= 2 buckets per key */
    TEST_ASSERT_EQ(htabMemUsage(t) > (size_t)8 << 20, 1);
    TEST_ASSERT_EQ(htabMemUsage(t) < ((size_t)8 << 20) + 1024, 1);

    /* Delete the even ids. */
    destroyedCount = 0;
    long delFail = 0;
    for (uint32_t i = 0; i < n; i += 2)
        if (htabDelete(t, all[i]->key, all[i]->len) != 1) delFail++;
    TEST_ASSERT_EQ(delFail, 0);
    TEST_ASSERT_EQ(destroyedCount, n / 2);
    TEST_ASSERT_EQ(htabSize(t), n / 2);
    TEST_ASSERT_EQ(deleteId(t, 0), 0);
    wrong = 0;
    for (uint32_t i = 0; i < n; i++)
        if (findId(t, i) != ((i & 1) ? all[i] : NULL)) wrong++;
    TEST_ASSERT_EQ(wrong, 0);

    /* Unlink the odd ids: no destructor. */
    for (uint32_t i = 1; i < n; i += 2) {
        char buf[32];
        size_t len = keyFor(i, buf);
        if (htabUnlink(t, buf, len) != all[i]) delFail++;
        free(all[i]);
    }
    TEST_ASSERT_EQ(delFail, 0);
    TEST_ASSERT_EQ(destroyedCount, n / 2);
    TEST_ASSERT_EQ(htabSize(t), 0);

    /* An emptied table shrinks back to the minimum. */
    finishRehashing(t);
    TEST_ASSERT_EQ(htabBuckets(t), 4);
    TEST_ASSERT(htabRandomEntry(t) == NULL);
    htabRelease(t);
    free(all);
}

static void testReplace(void) {
    htab *t = htabCreate(&entryType);
    const uint32_t n = 5000;
    testEntry **all = malloc(sizeof(*all) * n);
    for (uint32_t i = 0; i < n; i++) htabInsert(t, all[i] = newEntry(i));
    TEST_ASSERT(htabIsRehashing(t) || htabBuckets(t) >= n);

    long bad = 0;
    for (uint32_t i = 0; i < n; i++) {
        testEntry *copy = newEntryWithKey(i + n, all[i]->key, all[i]->len);
        if (htabReplace(t, all[i], copy) != 1) bad++;
        if (findId(t, i) != copy) bad++;
        /* The old entry is no longer in the table. */
        if (htabReplace(t, all[i], copy) != 0) bad++;
        free(all[i]);
        all[i] = copy;
    }
    TEST_ASSERT_EQ(bad, 0);
    TEST_ASSERT_EQ(htabSize(t), n);

    testEntry *stranger = newEntry(n * 10);
    testEntry *other = newEntry(n * 10);
    TEST_ASSERT_EQ(htabReplace(t, stranger, other), 0);
    free(stranger);
    free(other);

    destroyedCount = 0;
    htabRelease(t);
    TEST_ASSERT_EQ(destroyedCount, n);
    free(all);
}

static void testNocase(void) {
    htab *t = htabCreate(&entryTypeNocase);
    testEntry *e = newEntryWithKey(1, "Hello", 5);
    TEST_ASSERT_EQ(htabAdd(t, e), 1);
    TEST_ASSERT(htabFind(t, "HELLO", 5) == e);
    TEST_ASSERT(htabFind(t, "hello", 5) == e);
    TEST_ASSERT(htabFind(t, "hellp", 5) == NULL);
    TEST_ASSERT(htabFind(t, "hell", 4) == NULL);
    testEntry *e2 = newEntryWithKey(2, "hELLo", 5);
    TEST_ASSERT_EQ(htabAdd(t, e2), 0);
    free(e2);
    TEST_ASSERT(htabHashKey(t, "ABC", 3) == htabHashKey(t, "abc", 3));
    TEST_ASSERT(htabGenHashNoCase("ABC", 3) == htabGenHash("abc", 3));

    /* Many mixed-case keys through growth and rehashing. */
    long bad = 0;
    for (uint32_t i = 0; i < 3000; i++) {
        char buf[32];
        size_t len = (size_t)sprintf(buf, "Cmd%uName", i);
        htabInsert(t, newEntryWithKey(i, buf, len));
    }
    for (uint32_t i = 0; i < 3000; i++) {
        char buf[32];
        size_t len = (size_t)sprintf(buf, "cMD%unAME", i);
        testEntry *f = htabFind(t, buf, len);
        if (f == NULL || f->id != i) bad++;
    }
    TEST_ASSERT_EQ(bad, 0);
    TEST_ASSERT_EQ(htabDelete(t, "HELLO", 5), 1);
    TEST_ASSERT(htabFind(t, "Hello", 5) == NULL);
    htabRelease(t);

    /* A case-sensitive table keeps them apart. */
    t = htabCreate(&entryType);
    TEST_ASSERT_EQ(htabAdd(t, newEntryWithKey(1, "Hello", 5)), 1);
    TEST_ASSERT(htabFind(t, "hello", 5) == NULL);
    testEntry *lower = newEntryWithKey(2, "hello", 5);
    TEST_ASSERT_EQ(htabAdd(t, lower), 1);
    TEST_ASSERT(htabFind(t, "hello", 5) == lower);
    htabRelease(t);
}

static void testPauseAutoResize(void) {
    htab *t = htabCreate(&entryType);
    uint32_t id = 0;
    htabInsert(t, newEntry(id++));
    TEST_ASSERT_EQ(htabBuckets(t), 4);

    /* Paused: no growth until load factor 4, then a forced grow. */
    htabPauseAutoResize(t);
    while (id < 16) htabInsert(t, newEntry(id++));
    TEST_ASSERT_EQ(htabBuckets(t), 4);
    htabInsert(t, newEntry(id++));
    TEST_ASSERT(htabBuckets(t) > 4);
    finishRehashing(t);
    htabResumeAutoResize(t);

    /* Grow big, then delete nearly everything with resizing paused. */
    while (id < 10000) htabInsert(t, newEntry(id++));
    finishRehashing(t);
    size_t big = htabBuckets(t);
    htabPauseAutoResize(t);
    for (uint32_t i = 0; i < 9990; i++) deleteId(t, i);
    finishRehashing(t);
    TEST_ASSERT_EQ(htabBuckets(t), big);
    htabResumeAutoResize(t);
    finishRehashing(t);
    TEST_ASSERT(htabBuckets(t) <= 32);
    TEST_ASSERT_EQ(htabSize(t), 10);
    for (uint32_t i = 9990; i < 10000; i++) TEST_ASSERT(findId(t, i) != NULL);

    /* Paused rehashing: buckets do not move, lookups still work. */
    htabPauseRehashing(t);
    while (id < 10100) htabInsert(t, newEntry(id++));
    TEST_ASSERT(htabIsRehashing(t));
    TEST_ASSERT_EQ(htabRehashStep(t, 100), 1);
    TEST_ASSERT_EQ(htabRehashMicroseconds(t, 1000), 1);
    TEST_ASSERT(htabIsRehashing(t));
    long missing = 0;
    for (uint32_t i = 9990; i < id; i++)
        if (findId(t, i) == NULL) missing++;
    TEST_ASSERT_EQ(missing, 0);
    htabResumeRehashing(t);
    while (htabRehashStep(t, 1)) {
    }
    TEST_ASSERT(!htabIsRehashing(t));
    htabRelease(t);
}

/* ------------------------------------------------------------------ scan */

typedef struct scanCtx {
    htab *t;
    uint32_t stableCount; /* ids below this are the entries present throughout */
    unsigned *seen;       /* per stable id */
    char *present;        /* per id, for delete-in-callback tests */
    long calls;
    int deleteMode;       /* 0 none, 1 delete even ids, 2 delete all */
    long deleted;
} scanCtx;

static void scanCollect(void *privdata, void *entry) {
    scanCtx *ctx = privdata;
    testEntry *e = entry;
    ctx->calls++;
    if (e->id < ctx->stableCount) ctx->seen[e->id]++;
    if (ctx->present) TEST_ASSERT(ctx->present[e->id]);
    if (ctx->deleteMode == 2 || (ctx->deleteMode == 1 && (e->id & 1) == 0)) {
        ctx->present[e->id] = 0;
        TEST_ASSERT_EQ(htabDelete(ctx->t, e->key, e->len), 1);
        ctx->deleted++;
    }
}

/* Scans while growing and shrinking the table between calls; checks that
 * every entry present for the whole scan was seen. maxBuckets 0 uses
 * htabScan, otherwise htabScanBounded. */
static void scanUnderChurn(size_t maxBuckets, int rounds) {
    for (int round = 0; round < rounds; round++) {
        htab *t = htabCreate(&entryType);
        const uint32_t stable = 200 + rndBelow(800);
        scanCtx ctx = {t, stable, calloc(stable, sizeof(unsigned)), NULL, 0, 0, 0};
        for (uint32_t i = 0; i < stable; i++) htabInsert(t, newEntry(i));

        /* Churn ids live above the stable ones; churnNext grows forever. */
        uint32_t churnBase = 1000000, churnNext = churnBase, churnLive = churnBase;
        if (round & 1) {
            /* Start big so the scan sees shrinking early. */
            while (churnNext < churnBase + 20000) htabInsert(t, newEntry(churnNext++));
        }
        unsigned long cursor = 0;
        long steps = 0;
        size_t minBuckets = SIZE_MAX, maxBucketsSeen = 0;
        int sawRehashing = 0;
        do {
            cursor = maxBuckets ? htabScanBounded(t, cursor, maxBuckets, scanCollect, &ctx)
                                : htabScan(t, cursor, scanCollect, &ctx);
            steps++;
            if (htabIsRehashing(t)) sawRehashing = 1;
            if (htabBuckets(t) < minBuckets) minBuckets = htabBuckets(t);
            if (htabBuckets(t) > maxBucketsSeen) maxBucketsSeen = htabBuckets(t);
            if (rndBelow(100) >= (maxBuckets == 1 ? 3u : 20u)) continue;
            switch (rndBelow(6)) {
            case 0:
            case 1: { /* grow */
                uint32_t k = 1 + rndBelow(8000);
                for (uint32_t i = 0; i < k; i++) htabInsert(t, newEntry(churnNext++));
                break;
            }
            case 2: /* shrink: delete every churn entry */
                for (; churnLive < churnNext; churnLive++) deleteId(t, churnLive);
                break;
            case 3: { /* delete the oldest part of the churn */
                uint32_t k = (churnNext - churnLive) / 2;
                for (uint32_t i = 0; i < k; i++) deleteId(t, churnLive++);
                break;
            }
            case 4:
                htabRehashStep(t, (int)rndBelow(50));
                break;
            default:
                htabRehashMicroseconds(t, 50);
                break;
            }
        } while (cursor != 0 && steps < 50000000);
        TEST_ASSERT_EQ(cursor, 0);
        long unseen = 0;
        for (uint32_t i = 0; i < stable; i++)
            if (ctx.seen[i] == 0) unseen++;
        TEST_ASSERT_EQ(unseen, 0);
        (void)sawRehashing;
        (void)minBuckets;
        (void)maxBucketsSeen;
        free(ctx.seen);
        htabRelease(t);
    }
}

static void testScanUnderChurn(void) {
    scanUnderChurn(0, 40);
}

static void testScanBoundedUnderChurn(void) {
    scanUnderChurn(1, 6);
    scanUnderChurn(3, 10);
    scanUnderChurn(64, 20);
}

/* Without changes between calls, a full scan sees every entry exactly once,
 * and the bounded scan respects its bound. */
static void testScanStable(void) {
    htab *t = htabCreate(&entryType);
    const uint32_t n = 10000;
    for (uint32_t i = 0; i < n; i++) htabInsert(t, newEntry(i));
    finishRehashing(t);
    for (int variant = 0; variant < 2; variant++) {
        scanCtx ctx = {t, n, calloc(n, sizeof(unsigned)), NULL, 0, 0, 0};
        unsigned long cursor = 0;
        long calls = 0;
        do {
            cursor = variant ? htabScanBounded(t, cursor, 100, scanCollect, &ctx)
                             : htabScan(t, cursor, scanCollect, &ctx);
            calls++;
        } while (cursor);
        long notOnce = 0;
        for (uint32_t i = 0; i < n; i++)
            if (ctx.seen[i] != 1) notOnce++;
        TEST_ASSERT_EQ(notOnce, 0);
        TEST_ASSERT_EQ(calls, variant ? (long)htabBuckets(t) / 100 + 1 : (long)htabBuckets(t));
        free(ctx.seen);
    }
    htabRelease(t);

    /* Right after a big shrink one cursor step of htabScan covers a whole
     * group of large-table buckets; the bounded scan must split it. */
    t = htabCreate(&entryType);
    for (uint32_t i = 0; i < 70000; i++) htabInsert(t, newEntry(i));
    finishRehashing(t);
    htabPauseAutoResize(t);
    for (uint32_t i = 100; i < 70000; i++) deleteId(t, i);
    htabResumeAutoResize(t);
    htabPauseRehashing(t);
    htabResizeIfNeeded(t); /* one jump from 131072 to 256 buckets */
    TEST_ASSERT(htabIsRehashing(t));
    size_t total = htabBuckets(t);
    TEST_ASSERT(total > 100000);
    for (int variant = 0; variant < 2; variant++) {
        scanCtx ctx = {t, 100, calloc(100, sizeof(unsigned)), NULL, 0, 0, 0};
        unsigned long cursor = 0;
        long calls = 0;
        do {
            cursor = variant ? htabScanBounded(t, cursor, 64, scanCollect, &ctx)
                             : htabScan(t, cursor, scanCollect, &ctx);
            calls++;
        } while (cursor);
        long unseen = 0;
        for (uint32_t i = 0; i < 100; i++)
            if (ctx.seen[i] == 0) unseen++;
        TEST_ASSERT_EQ(unseen, 0);
        /* Each bounded call visits at most 64 buckets. */
        if (variant) TEST_ASSERT(calls >= (long)(total / 64));
        else TEST_ASSERT(calls < 1000);
        free(ctx.seen);
    }
    htabResumeRehashing(t);
    htabRelease(t);

    /* An empty or never-filled table ends at once. */
    t = htabCreate(&entryType);
    scanCtx ctx = {t, 0, NULL, NULL, 0, 0, 0};
    TEST_ASSERT_EQ(htabScan(t, 0, scanCollect, &ctx), 0);
    TEST_ASSERT_EQ(htabScanBounded(t, 0, 10, scanCollect, &ctx), 0);
    TEST_ASSERT_EQ(ctx.calls, 0);
    htabRelease(t);
}

static void scanDeleting(int startRehashing, int deleteMode, int bounded) {
    htab *t = htabCreate(&entryType);
    uint32_t n = 5000;
    char *present = calloc(n * 4, 1);
    for (uint32_t i = 0; i < n; i++) {
        htabInsert(t, newEntry(i));
        present[i] = 1;
    }
    if (startRehashing) {
        finishRehashing(t);
        n = addUntilRehashing(t, n, present);
    }
    scanCtx ctx = {t, n, calloc(n, sizeof(unsigned)), present, 0, deleteMode, 0};
    unsigned long cursor = 0;
    do {
        cursor = bounded ? htabScanBounded(t, cursor, 5, scanCollect, &ctx)
                         : htabScan(t, cursor, scanCollect, &ctx);
    } while (cursor);

    long unseen = 0, wrong = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (ctx.seen[i] == 0) unseen++;
        if ((findId(t, i) != NULL) != present[i]) wrong++;
    }
    TEST_ASSERT_EQ(unseen, 0);
    TEST_ASSERT_EQ(wrong, 0);
    long expected = deleteMode == 2 ? n : (deleteMode == 1 ? (n + 1) / 2 : 0);
    TEST_ASSERT_EQ(ctx.deleted, expected);
    TEST_ASSERT_EQ(htabSize(t), n - expected);
    free(ctx.seen);
    free(present);
    htabRelease(t);
}

static void testScanDeleteInCallback(void) {
    for (int rehashing = 0; rehashing < 2; rehashing++) {
        for (int bounded = 0; bounded < 2; bounded++) {
            scanDeleting(rehashing, 1, bounded);
            scanDeleting(rehashing, 2, bounded);
        }
    }
}

/* ------------------------------------------------------------- iterator */

static void iterateWithChanges(int startRehashing, int seed) {
    rngState = 0x9e3779b97f4a7c15ULL * (uint64_t)(seed + 1);
    htab *t = htabCreate(&entryType);
    uint32_t n = 20000, cap = n * 2;
    char *present = calloc(cap, 1), *deleted = calloc(cap, 1);
    unsigned *returned = calloc(cap, sizeof(unsigned));
    for (uint32_t i = 0; i < n; i++) {
        htabInsert(t, newEntry(i));
        present[i] = 1;
    }
    if (startRehashing) {
        finishRehashing(t);
        n = addUntilRehashing(t, n, present);
    }
    uint32_t original = n, next = n;

    htabIterator it;
    htabIterInit(&it, t);
    testEntry *e;
    long badReturn = 0;
    while ((e = htabIterNext(&it)) != NULL) {
        if (!present[e->id]) badReturn++;
        returned[e->id]++;
        uint32_t r = rndBelow(12);
        if (r < 4) { /* delete the current entry */
            present[e->id] = 0;
            deleted[e->id] = 1;
            TEST_ASSERT_EQ(deleteId(t, e->id), 1);
        } else if (r < 8) { /* delete some other entry, seen or not */
            uint32_t victim = rndBelow(next);
            if (present[victim]) {
                present[victim] = 0;
                deleted[victim] = 1;
                TEST_ASSERT_EQ(deleteId(t, victim), 1);
            }
        } else if (r < 9 && next < cap) { /* insert */
            htabInsert(t, newEntry(next));
            present[next++] = 1;
        }
    }
    htabIterRelease(&it);
    TEST_ASSERT_EQ(badReturn, 0);

    long missed = 0, twice = 0;
    for (uint32_t i = 0; i < next; i++) {
        if (returned[i] > 1) twice++;
        if (i < original && !deleted[i] && returned[i] != 1) missed++;
    }
    TEST_ASSERT_EQ(missed, 0);
    TEST_ASSERT_EQ(twice, 0);
    long wrong = 0, live = 0;
    for (uint32_t i = 0; i < next; i++) {
        if ((findId(t, i) != NULL) != present[i]) wrong++;
        live += present[i];
    }
    TEST_ASSERT_EQ(wrong, 0);
    TEST_ASSERT_EQ(htabSize(t), live);
    free(present);
    free(deleted);
    free(returned);
    htabRelease(t);
}

static void testSafeIterator(void) {
    for (int seed = 0; seed < 4; seed++) {
        iterateWithChanges(0, seed);
        iterateWithChanges(1, seed);
    }

    /* Plain iteration returns everything once. */
    htab *t = htabCreate(&entryType);
    htabIterator it;
    htabIterInit(&it, t);
    TEST_ASSERT(htabIterNext(&it) == NULL);
    htabIterRelease(&it);
    for (uint32_t i = 0; i < 1000; i++) htabInsert(t, newEntry(i));
    unsigned seen[1000] = {0};
    htabIterInit(&it, t);
    for (testEntry *e; (e = htabIterNext(&it)) != NULL;) seen[e->id]++;
    htabIterRelease(&it);
    long notOnce = 0;
    for (int i = 0; i < 1000; i++)
        if (seen[i] != 1) notOnce++;
    TEST_ASSERT_EQ(notOnce, 0);
    htabRelease(t);
}

/* Long chains (rehashing paused while table[1] fills up) exercise the
 * iterator's heap-allocated chain snapshot. */
static void testIteratorLongChains(void) {
    htab *t = htabCreate(&entryType);
    htabPauseRehashing(t);
    const uint32_t n = 2000;
    for (uint32_t i = 0; i < n; i++) htabInsert(t, newEntry(i));
    TEST_ASSERT(htabIsRehashing(t));
    TEST_ASSERT(htabBuckets(t) <= 16);

    char stats[4096];
    htabGetStats(t, stats, sizeof(stats));
    TEST_ASSERT(strstr(stats, ">=15") != NULL);

    /* With ~250 entries per chain, random victims often sit later in the
     * chain being returned: exactly what the pointer check must handle. */
    unsigned *seen = calloc(n, sizeof(unsigned));
    char *present = malloc(n);
    memset(present, 1, n);
    htabIterator it;
    htabIterInit(&it, t);
    testEntry *e;
    long badReturn = 0;
    while ((e = htabIterNext(&it)) != NULL) {
        if (!present[e->id]) badReturn++;
        seen[e->id]++;
        uint32_t id = e->id;
        if (rndBelow(3) == 0) {
            present[id] = 0;
            deleteId(t, id);
        }
        for (int k = 0; k < 2; k++) {
            uint32_t victim = rndBelow(n);
            if (present[victim] && victim != id) {
                present[victim] = 0;
                deleteId(t, victim);
                if (seen[victim] == 0) seen[victim] = 100; /* must never come back */
            }
        }
    }
    htabIterRelease(&it);
    TEST_ASSERT_EQ(badReturn, 0);
    long bad = 0;
    for (uint32_t i = 0; i < n; i++)
        if (seen[i] != 1 && seen[i] != 100) bad++;
    TEST_ASSERT_EQ(bad, 0);
    free(present);
    htabResumeRehashing(t);
    finishRehashing(t);
    TEST_ASSERT(htabBuckets(t) >= htabSize(t));
    free(seen);
    htabRelease(t);
}

/* ------------------------------------------------------- random / sample */

static void testRandomAndSample(void) {
    htab *t = htabCreate(&entryType);
    void *out[64];
    TEST_ASSERT(htabRandomEntry(t) == NULL);
    TEST_ASSERT_EQ(htabSampleEntries(t, out, 16), 0);

    testEntry *only = newEntry(0);
    htabInsert(t, only);
    TEST_ASSERT(htabRandomEntry(t) == only);
    TEST_ASSERT_EQ(htabSampleEntries(t, out, 16), 1);
    TEST_ASSERT(out[0] == only);

    /* Ten entries: each one comes up reasonably often. */
    for (uint32_t i = 1; i < 10; i++) htabInsert(t, newEntry(i));
    unsigned hits[10] = {0};
    for (int i = 0; i < 100000; i++) hits[((testEntry *)htabRandomEntry(t))->id]++;
    unsigned minHits = 100000;
    for (int i = 0; i < 10; i++)
        if (hits[i] < minHits) minHits = hits[i];
    TEST_ASSERT(minHits > 2000);
    unsigned got = htabSampleEntries(t, out, 64);
    TEST_ASSERT(got >= 1 && got <= 10);

    /* Big table, also while rehashing. */
    uint32_t id = 10;
    while (id < 100000) htabInsert(t, newEntry(id++));
    finishRehashing(t);
    id = addUntilRehashing(t, id, NULL);
    long bad = 0, shortSamples = 0;
    for (int i = 0; i < 10000; i++) {
        testEntry *e = htabRandomEntry(t);
        if (e == NULL || findId(t, e->id) != e) bad++;
        got = htabSampleEntries(t, out, 16);
        if (got < 16) shortSamples++;
        for (unsigned k = 0; k < got; k++) {
            testEntry *s = out[k];
            if (findId(t, s->id) != s) bad++;
        }
    }
    TEST_ASSERT_EQ(bad, 0);
    TEST_ASSERT(shortSamples < 100);

    /* Very sparse (shrinking paused): random still finds the survivors. */
    htabPauseAutoResize(t);
    for (uint32_t i = 3; i < id; i++) deleteId(t, i);
    finishRehashing(t);
    TEST_ASSERT_EQ(htabSize(t), 3);
    TEST_ASSERT(htabBuckets(t) >= 65536);
    unsigned sparseHits[3] = {0};
    for (int i = 0; i < 300; i++) {
        testEntry *e = htabRandomEntry(t);
        if (e == NULL || e->id >= 3) bad++;
        else sparseHits[e->id]++;
    }
    TEST_ASSERT_EQ(bad, 0);
    TEST_ASSERT(sparseHits[0] && sparseHits[1] && sparseHits[2]);
    got = htabSampleEntries(t, out, 16);
    TEST_ASSERT(got <= 3);
    for (unsigned k = 0; k < got; k++) TEST_ASSERT(((testEntry *)out[k])->id < 3);
    htabResumeAutoResize(t);
    htabRelease(t);
}

/* --------------------------------------------------- empty, release, stats */

static long emptyCallbacks;

static void countEmptyCallback(htab *t) {
    (void)t;
    emptyCallbacks++;
}

static void testEmptyAndRelease(void) {
    htab *t = htabCreate(&entryType);
    for (uint32_t i = 0; i < 200000; i++) htabInsert(t, newEntry(i));
    TEST_ASSERT(htabIsRehashing(t) || htabBuckets(t) >= 200000);
    destroyedCount = 0;
    emptyCallbacks = 0;
    htabEmpty(t, countEmptyCallback);
    TEST_ASSERT_EQ(destroyedCount, 200000);
    TEST_ASSERT(emptyCallbacks >= 1);
    TEST_ASSERT_EQ(htabSize(t), 0);
    TEST_ASSERT_EQ(htabBuckets(t), 0);
    TEST_ASSERT(findId(t, 5) == NULL);
    TEST_ASSERT_EQ(htabScan(t, 0, scanCollect, NULL), 0);

    /* The table stays usable; empty it while rehashing, then release. */
    for (uint32_t i = 0; i < 100; i++) htabInsert(t, newEntry(i));
    finishRehashing(t);
    uint32_t n = addUntilRehashing(t, 100, NULL);
    TEST_ASSERT(htabIsRehashing(t));
    htabEmpty(t, NULL);
    TEST_ASSERT_EQ(destroyedCount, 200000 + (long)n);
    TEST_ASSERT(!htabIsRehashing(t));
    for (uint32_t i = 0; i < 10; i++) htabInsert(t, newEntry(i));
    htabRelease(t);
    TEST_ASSERT_EQ(destroyedCount, 200000 + (long)n + 10);

    /* No destructor: the caller keeps ownership. */
    t = htabCreate(&entryTypeNoFree);
    testEntry *e = newEntry(1);
    htabInsert(t, e);
    TEST_ASSERT_EQ(htabDelete(t, e->key, e->len), 1);
    htabInsert(t, e);
    htabRelease(t);
    TEST_ASSERT_EQ(e->id, 1);
    free(e);
    htabRelease(NULL);
}

static void testStats(void) {
    htab *t = htabCreate(&entryType);
    char buf[2048];
    htabGetStats(t, buf, sizeof(buf));
    TEST_ASSERT(strstr(buf, "entries: 0") != NULL);
    for (uint32_t i = 0; i < 1000; i++) htabInsert(t, newEntry(i));
    htabGetStats(t, buf, sizeof(buf));
    TEST_ASSERT(strstr(buf, "entries: 1000") != NULL);
    TEST_ASSERT(strstr(buf, "histogram") != NULL);
    char tiny[12];
    memset(tiny, 'x', sizeof(tiny));
    htabGetStats(t, tiny, sizeof(tiny));
    TEST_ASSERT(memchr(tiny, '\0', sizeof(tiny)) != NULL);
    htabGetStats(t, tiny, 0);
    htabRelease(t);
}

/* ------------------------------------------------------------- benchmark */

static long long nowNs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Not an assertion: prints ns per insert and per find for 1M 16-byte keys.
 * Lookup keys come from one contiguous array in random order, like keys
 * parsed from a request buffer, so the timing is hash + bucket + entry
 * (two likely cache misses at this size), not the cost of reaching the key. */
static void benchFind(void) {
    const uint32_t n = 1000000;
    htab *t = htabCreate(&entryType);
    testEntry **all = malloc(sizeof(*all) * n);
    char (*keys)[17] = malloc(sizeof(*keys) * n);
    for (uint32_t i = 0; i < n; i++) {
        char buf[32];
        snprintf(buf, sizeof(buf), "key:%012u", i); /* exactly 16 bytes */
        all[i] = newEntryWithKey(i, buf, 16);
    }
    long long start = nowNs();
    for (uint32_t i = 0; i < n; i++) htabInsert(t, all[i]);
    long long insertNs = nowNs() - start;
    finishRehashing(t);

    for (uint32_t i = 0; i < n; i++) memcpy(keys[i], all[i]->key, 17);
    for (uint32_t i = n - 1; i > 0; i--) {
        uint32_t j = rndBelow(i + 1);
        char tmp[17];
        memcpy(tmp, keys[i], 17);
        memcpy(keys[i], keys[j], 17);
        memcpy(keys[j], tmp, 17);
    }

    uintptr_t sink = 0;
    start = nowNs();
    for (uint32_t i = 0; i < n; i++) sink += (uintptr_t)htabFind(t, keys[i], 16);
    long long findNs = nowNs() - start;
    start = nowNs();
    for (uint32_t i = 0; i < n; i++) sink += (uintptr_t)htabGenHash(keys[i], 16);
    long long hashNs = nowNs() - start;
    printf("bench: 1M 16-byte keys: insert %.1f ns/op, find %.1f ns/op (hash alone %.1f ns), "
           "%zu buckets, %zu bytes of buckets (sink %d)\n",
           (double)insertNs / n, (double)findNs / n, (double)hashNs / n, htabBuckets(t),
           htabMemUsage(t), (int)(sink & 1));
    htabRelease(t);
    free(all);
    free(keys);
}

int main(int argc, char **argv) {
    (void)argv;
    uint8_t seed[16];
    for (int i = 0; i < 16; i++) seed[i] = (uint8_t)(rnd() >> 24);
    htabSetSeed(seed);

    TEST_RUN(testSiphashVectors);
    TEST_RUN(testSiphashNocase);
    TEST_RUN(testMillion);
    TEST_RUN(testReplace);
    TEST_RUN(testNocase);
    TEST_RUN(testPauseAutoResize);
    TEST_RUN(testScanStable);
    TEST_RUN(testScanUnderChurn);
    TEST_RUN(testScanBoundedUnderChurn);
    TEST_RUN(testScanDeleteInCallback);
    TEST_RUN(testSafeIterator);
    TEST_RUN(testIteratorLongChains);
    TEST_RUN(testRandomAndSample);
    TEST_RUN(testEmptyAndRelease);
    TEST_RUN(testStats);
    if (argc < 2 || strcmp(argv[1], "--no-bench") != 0) benchFind();
    return testReport();
}
