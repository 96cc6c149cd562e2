/* zmalloc.h -- the allocator wrapper every module allocates through.
 *
 * ringkv links jemalloc (see zmalloc.c for why and how memory is counted).
 * All functions abort the process on out-of-memory: a key-value server that
 * keeps running with half-applied writes is worse than one that stops. */
#ifndef RINGKV_ZMALLOC_H
#define RINGKV_ZMALLOC_H

#include <stddef.h>

void *zmalloc(size_t size);
void *zcalloc(size_t size);
/* size bytes at an address that is a multiple of align (a power of two,
 * at least sizeof(void *)); freed with zfree.  For buffers handed to
 * O_DIRECT I/O. */
void *zmallocAligned(size_t align, size_t size);
void *zrealloc(void *ptr, size_t size);
void zfree(void *ptr);
/* Cheaper forms for hot paths (see zmalloc.c): zmallocUsable also returns
 * the usable size; zfreeSized takes the size that was asked of
 * zmalloc/zcalloc/ztrymalloc for ptr (not of zrealloc); zfreeUsable the
 * exact usable size zmallocUsable/zmallocSize reported.  A wrong size makes
 * used_memory drift, so only pass a size that follows from the block. */
void *zmallocUsable(size_t size, size_t *usable);
void zfreeSized(void *ptr, size_t size);
void zfreeUsable(void *ptr, size_t usable);
/* Like zmalloc but returns NULL instead of aborting: for transient buffers
 * whose size a client chooses (LCS tables), where an error reply is right. */
void *ztrymalloc(size_t size);
char *zstrdup(const char *s);
void *zmemdup(const void *p, size_t len);

/* Usable size of an allocation (>= what was asked for). */
size_t zmallocSize(void *ptr);
/* Bytes currently allocated through this wrapper (usable sizes). */
size_t zmallocUsedMemory(void);
/* Resident set size of the process, read from /proc. */
size_t zmallocGetRss(void);
/* Allocator statistics: allocated, active, resident, mapped (bytes). */
void zmallocGetAllocatorInfo(size_t *allocated, size_t *active, size_t *resident,
                             size_t *retained);
const char *zmallocLibName(void);
/* Ask the allocator to return unused dirty pages to the OS.  Returns 0, or
 * -1 when the allocator refused. */
int zmallocPurge(void);
/* The allocator's own statistics report (jemalloc's malloc_stats_print),
 * handed to write_cb in pieces.  Returns -1, calling nothing, when the
 * allocator has no such report (libc). */
int zmallocStatsPrint(void (*write_cb)(void *opaque, const char *text), void *opaque);
/* Turns jemalloc's background purging thread on or off (jemalloc-bg-thread).
 * Returns 0 on success. */
int zmallocSetBackgroundThread(int enable);

#endif
