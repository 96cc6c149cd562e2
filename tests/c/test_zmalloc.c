/* test_zmalloc.c -- unit tests for zmalloc.c's used-memory counter.
 *
 * maxmemory, INFO used_memory and eviction all trust one number: the sum of
 * the usable sizes of live allocations.  zmalloc.c finds those sizes without
 * asking the allocator where it can (a table of jemalloc's size classes on
 * allocation, sizes told by the caller on free), so these tests check, for
 * every request size up to past the table's end and through every entry
 * point, that the counter moves by exactly what the allocator reports
 * (zmallocSize, i.e. malloc_usable_size) and comes back to where it started.
 *
 * Built against jemalloc when it is installed (the table is then in use) and
 * against libc under ASan (the table is empty and every size is asked for),
 * so both paths of zmalloc.c are covered. */
#include "zmalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

/* Past ZMALLOC_CLASS_MAX (4096) and the first large classes. */
#define MAX_SIZE 20000

/* Steps through every size below 1100 (all small classes up to 1 KB and
 * their boundaries), then every 7th: still lands on both sides of every
 * class boundary above. */
static size_t nextSize(size_t s) {
    return s < 1100 ? s + 1 : s + 7;
}

static void testMallocAndFreeBalance(void) {
    size_t base = zmallocUsedMemory();
    for (size_t s = 0; s <= MAX_SIZE; s = nextSize(s)) {
        void *p = zmalloc(s);
        TEST_ASSERT_EQ(zmallocUsedMemory() - base, zmallocSize(p));
        zfree(p);
        TEST_ASSERT_EQ(zmallocUsedMemory(), base);
    }
}

static void testFreeSized(void) {
    size_t base = zmallocUsedMemory();
    for (size_t s = 0; s <= MAX_SIZE; s = nextSize(s)) {
        void *p = zmalloc(s);
        memset(p, 'x', s);
        zfreeSized(p, s);
        TEST_ASSERT_EQ(zmallocUsedMemory(), base);
    }
    /* Through calloc too. */
    for (size_t s = 1; s <= MAX_SIZE; s = nextSize(s)) {
        void *p = zcalloc(s);
        TEST_ASSERT_EQ(zmallocUsedMemory() - base, zmallocSize(p));
        zfreeSized(p, s);
        TEST_ASSERT_EQ(zmallocUsedMemory(), base);
    }
}

static void testUsable(void) {
    size_t base = zmallocUsedMemory();
    for (size_t s = 0; s <= MAX_SIZE; s = nextSize(s)) {
        size_t usable = 0;
        void *p = zmallocUsable(s, &usable);
        TEST_ASSERT_EQ(usable, zmallocSize(p));
        TEST_ASSERT(usable >= s);
        TEST_ASSERT_EQ(zmallocUsedMemory() - base, usable);
        memset(p, 'y', usable); /* all of it is ours (ASan checks) */
        zfreeUsable(p, usable);
        TEST_ASSERT_EQ(zmallocUsedMemory(), base);
    }
}

/* Mixed: many live blocks at once, freed through different entry points in
 * another order than they were allocated. */
static void testManyLive(void) {
    enum { N = 3000 };
    static void *ptrs[N];
    static size_t sizes[N], usables[N];
    size_t base = zmallocUsedMemory(), expect = 0;
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        sizes[i] = (x >> 8) % 6000;
        if (i % 3 == 0)
            ptrs[i] = zmallocUsable(sizes[i], &usables[i]);
        else
            ptrs[i] = i % 3 == 1 ? zmalloc(sizes[i]) : ztrymalloc(sizes[i]);
        expect += zmallocSize(ptrs[i]);
    }
    TEST_ASSERT_EQ(zmallocUsedMemory() - base, expect);
    /* Grow some through zrealloc (only blocks later freed with zfree: the
     * zfreeSized contract is the size asked of zmalloc, not of zrealloc). */
    for (int i = 2; i < N; i += 51) {
        expect -= zmallocSize(ptrs[i]);
        sizes[i] = sizes[i] * 2 + 1;
        ptrs[i] = zrealloc(ptrs[i], sizes[i]);
        usables[i] = zmallocSize(ptrs[i]);
        expect += usables[i];
    }
    TEST_ASSERT_EQ(zmallocUsedMemory() - base, expect);
    for (int i = N - 1; i >= 0; i--) {
        if (i % 3 == 0)
            zfreeUsable(ptrs[i], zmallocSize(ptrs[i]));
        else if (i % 3 == 1)
            zfreeSized(ptrs[i], sizes[i]);
        else
            zfree(ptrs[i]);
    }
    TEST_ASSERT_EQ(zmallocUsedMemory(), base);
}

int main(void) {
    printf("allocator: %s\n", zmallocLibName());
    TEST_RUN(testMallocAndFreeBalance);
    TEST_RUN(testFreeSized);
    TEST_RUN(testUsable);
    TEST_RUN(testManyLive);
    return testReport();
}
