/* zmalloc.c -- allocation through jemalloc, with a cheap used-memory counter.
 *
 * Why jemalloc: its size classes are fine-grained for small objects (the
 * keyspace is millions of 48..96 byte allocations) and it returns memory to
 * the OS well after large deletes.  Debian's libjemalloc exports the standard
 * malloc names, so linking -ljemalloc replaces the libc allocator for the
 * whole process; when built without it (USE_JEMALLOC=no) glibc is used and
 * only the allocator statistics become approximate.
 *
 * used_memory: every allocation adds its usable size to a counter and every
 * free subtracts it.  The server is single-threaded for everything that
 * allocates, except the lazy free job, so the counter is updated with relaxed
 * atomics.
 *
 * Finding the usable size is most of the cost of counting: jemalloc's
 * malloc_usable_size() walks its radix tree (~40 instructions, as much as the
 * malloc itself), and a GET allocates and frees two argument objects.  So
 * the size is found without asking jemalloc wherever it is already known:
 *   - on allocation, up to ZMALLOC_CLASS_MAX bytes, from a table of
 *     jemalloc's size classes filled once at start-up with nallocx(), which
 *     jemalloc documents to return exactly the size malloc() would give;
 *   - on free, when the caller tells the size it asked for (zfreeSized, for
 *     objects whose size follows from their contents) or the usable size
 *     zmallocUsable returned (zfreeUsable, for rstr, whose capacity is it).
 * Everything else still asks malloc_usable_size().  Building with
 * -DZMALLOC_CHECK_SIZES compares every shortcut with malloc_usable_size()
 * and aborts on a difference. */
#include "zmalloc.h"

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef USE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

static size_t usedMemory = 0;

static void zmallocOom(size_t size) {
    fprintf(stderr, "zmalloc: out of memory trying to allocate %zu bytes\n", size);
    fflush(stderr);
    abort();
}

/* Size classes by requested size, in 8-byte steps: jemalloc's classes up to
 * 4 KB are all multiples of 8, so every size in (8k-8, 8k] has the class of
 * 8k.  Zero until filled; a zero entry means "ask malloc_usable_size", so an
 * allocation made before the constructor ran is still counted right. */
#define ZMALLOC_CLASS_MAX 4096
static uint16_t zmallocClassTable[ZMALLOC_CLASS_MAX / 8 + 1];

#ifdef USE_JEMALLOC
__attribute__((constructor)) static void zmallocInitClassTable(void) {
    for (size_t i = 1; i <= ZMALLOC_CLASS_MAX / 8; i++) {
        size_t usable = nallocx(i * 8, 0);
        if (usable == 0 || usable > UINT16_MAX) return; /* not jemalloc's classes: keep asking */
        zmallocClassTable[i] = (uint16_t)usable;
    }
}
#endif

#ifdef ZMALLOC_CHECK_SIZES
static void zmallocSizeMismatch(const char *what, size_t computed, size_t real) {
    fprintf(stderr, "zmalloc: %s size %zu, allocator says %zu\n", what, computed, real);
    fflush(stderr);
    abort();
}
#endif

/* Usable size of p, just allocated with (or, for zfreeSized, once asked
 * for) size bytes; size 0 was allocated as 1 byte. */
static inline size_t usableFor(void *p, size_t size) {
    size_t usable = 0;
    if (size <= ZMALLOC_CLASS_MAX) usable = zmallocClassTable[(size + 7) >> 3];
    if (__builtin_expect(usable == 0, 0)) return malloc_usable_size(p);
#ifdef ZMALLOC_CHECK_SIZES
    if (usable != malloc_usable_size(p)) zmallocSizeMismatch("class table", usable, malloc_usable_size(p));
#endif
    return usable;
}

static inline void countAlloc(void *p, size_t size) {
    __atomic_add_fetch(&usedMemory, usableFor(p, size), __ATOMIC_RELAXED);
}

static inline void countFree(void *p) {
    __atomic_sub_fetch(&usedMemory, malloc_usable_size(p), __ATOMIC_RELAXED);
}

void *zmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p) zmallocOom(size);
    countAlloc(p, size);
    return p;
}

void *zmallocUsable(size_t size, size_t *usable) {
    void *p = malloc(size ? size : 1);
    if (!p) zmallocOom(size);
    *usable = usableFor(p, size);
    __atomic_add_fetch(&usedMemory, *usable, __ATOMIC_RELAXED);
    return p;
}

void *ztrymalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (p) countAlloc(p, size);
    return p;
}

void *zmallocAligned(size_t align, size_t size) {
    void *p = NULL;
    if (posix_memalign(&p, align, size ? size : 1) != 0) zmallocOom(size);
    __atomic_add_fetch(&usedMemory, malloc_usable_size(p), __ATOMIC_RELAXED);
    return p;
}

void *zcalloc(size_t size) {
    void *p = calloc(1, size ? size : 1);
    if (!p) zmallocOom(size);
    countAlloc(p, size);
    return p;
}

void *zrealloc(void *ptr, size_t size) {
    if (ptr == NULL) return zmalloc(size);
    if (size == 0) size = 1;
    size_t old = malloc_usable_size(ptr);
    void *p = realloc(ptr, size);
    if (!p) zmallocOom(size);
    size_t now = malloc_usable_size(p);
    if (now >= old)
        __atomic_add_fetch(&usedMemory, now - old, __ATOMIC_RELAXED);
    else
        __atomic_sub_fetch(&usedMemory, old - now, __ATOMIC_RELAXED);
    return p;
}

void zfree(void *ptr) {
    if (ptr == NULL) return;
    countFree(ptr);
    free(ptr);
}

void zfreeSized(void *ptr, size_t size) {
    if (ptr == NULL) return;
    __atomic_sub_fetch(&usedMemory, usableFor(ptr, size), __ATOMIC_RELAXED);
    free(ptr);
}

void zfreeUsable(void *ptr, size_t usable) {
    if (ptr == NULL) return;
#ifdef ZMALLOC_CHECK_SIZES
    if (usable != malloc_usable_size(ptr)) zmallocSizeMismatch("caller's usable", usable, malloc_usable_size(ptr));
#endif
    __atomic_sub_fetch(&usedMemory, usable, __ATOMIC_RELAXED);
    free(ptr);
}

char *zstrdup(const char *s) {
    return zmemdup(s, strlen(s) + 1);
}

void *zmemdup(const void *p, size_t len) {
    void *d = zmalloc(len);
    memcpy(d, p, len);
    return d;
}

size_t zmallocSize(void *ptr) {
    return malloc_usable_size(ptr);
}

size_t zmallocUsedMemory(void) {
    return __atomic_load_n(&usedMemory, __ATOMIC_RELAXED);
}

size_t zmallocGetRss(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long size = 0, rss = 0;
    int n = fscanf(f, "%lu %lu", &size, &rss);
    fclose(f);
    if (n != 2) return 0;
    return (size_t)rss * (size_t)sysconf(_SC_PAGESIZE);
}

const char *zmallocLibName(void) {
#ifdef USE_JEMALLOC
    return "jemalloc-5.3.0";
#else
    return "libc";
#endif
}

void zmallocGetAllocatorInfo(size_t *allocated, size_t *active, size_t *resident,
                             size_t *retained) {
    *allocated = *active = *resident = *retained = 0;
#ifdef USE_JEMALLOC
    /* jemalloc caches its statistics; bumping the epoch refreshes them. */
    uint64_t epoch = 1;
    size_t sz = sizeof(epoch);
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    sz = sizeof(size_t);
    mallctl("stats.allocated", allocated, &sz, NULL, 0);
    mallctl("stats.active", active, &sz, NULL, 0);
    mallctl("stats.resident", resident, &sz, NULL, 0);
    mallctl("stats.retained", retained, &sz, NULL, 0);
#else
    *allocated = *active = zmallocUsedMemory();
    *resident = zmallocGetRss();
#endif
}

int zmallocPurge(void) {
#ifdef USE_JEMALLOC
    /* Blocks this thread freed may still sit in its cache, invisible to
     * the arenas: flush it first so that their pages can go too. */
    mallctl("thread.tcache.flush", NULL, NULL, NULL, 0);
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "arena.%d.purge", 4096 /* MALLCTL_ARENAS_ALL */);
    return mallctl(cmd, NULL, NULL, NULL, 0) == 0 ? 0 : -1;
#else
    malloc_trim(0);
    return 0;
#endif
}

int zmallocStatsPrint(void (*write_cb)(void *opaque, const char *text), void *opaque) {
#ifdef USE_JEMALLOC
    /* Fresh figures: the report reads the same cached counters as mallctl. */
    uint64_t epoch = 1;
    size_t sz = sizeof(epoch);
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    malloc_stats_print(write_cb, opaque, NULL);
    return 0;
#else
    (void)write_cb;
    (void)opaque;
    return -1;
#endif
}

/* jemalloc-bg-thread: jemalloc's own thread returns freed dirty pages to
 * the OS in the background instead of on the allocating path.  Returns 0,
 * or -1 when the allocator has no such thread (libc, or a jemalloc built
 * without it). */
int zmallocSetBackgroundThread(int enable) {
#ifdef USE_JEMALLOC
    bool val = enable != 0;
    return mallctl("background_thread", NULL, NULL, &val, sizeof(val)) == 0 ? 0 : -1;
#else
    (void)enable;
    return -1;
#endif
}
