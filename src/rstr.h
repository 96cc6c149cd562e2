/* rstr.h -- binary-safe dynamic strings.
 *
 * An rstr is a `char *` that points at the first byte of the string; a small
 * header sits just before it (see rstr.c), so an rstr can be passed to any
 * function that reads a NUL-terminated C string, while its length is O(1) and
 * it may contain NUL bytes.  (Named rstr, not sds: libhiredis, which our C
 * tests link, already exports sds* symbols.)
 *
 * Ownership: a function that may grow the string returns the new pointer and
 * the old one is invalid afterwards, so always write `s = rstrCat(s, ...)`. */
#ifndef RINGKV_RSTR_H
#define RINGKV_RSTR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef char *rstr;

#define RSTR_MAX_PREALLOC (1024 * 1024)

rstr rstrNewLen(const void *init, size_t len); /* init NULL: zero-filled */
rstr rstrNew(const char *init);
rstr rstrEmpty(void);
rstr rstrDup(const rstr s);
void rstrFree(rstr s);
/* Embedded strings: bytes needed to hold an rstr of len bytes inside a
 * caller's allocation, and construction there.  An embedded rstr can be read
 * like any other but must never be grown or freed on its own. */
size_t rstrEmbeddedSize(size_t len);
rstr rstrInitEmbedded(void *buf, const void *init, size_t len);
size_t rstrLen(const rstr s);
size_t rstrAvail(const rstr s);
size_t rstrAllocSize(const rstr s); /* header + buffer, for memory accounting */
void rstrSetLen(rstr s, size_t len); /* len <= capacity; writes the NUL */
void rstrIncrLen(rstr s, ssize_t incr);
rstr rstrMakeRoomFor(rstr s, size_t addlen);         /* greedy: doubles up to 1MB */
rstr rstrMakeRoomForExact(rstr s, size_t addlen);    /* no preallocation */
rstr rstrRemoveFreeSpace(rstr s);
rstr rstrGrowZero(rstr s, size_t len);
rstr rstrCatLen(rstr s, const void *t, size_t len);
rstr rstrCat(rstr s, const char *t);
rstr rstrCatRstr(rstr s, const rstr t);
rstr rstrCpyLen(rstr s, const char *t, size_t len);
rstr rstrCatVprintf(rstr s, const char *fmt, va_list ap);
rstr rstrCatPrintf(rstr s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
rstr rstrCatRepr(rstr s, const char *p, size_t len); /* quoted, escaped, like redis-cli shows */
rstr rstrFromLongLong(long long value);
void rstrRange(rstr s, ssize_t start, ssize_t end); /* inclusive, negative from end */
void rstrClear(rstr s);
void rstrToLower(rstr s);
void rstrToUpper(rstr s);
rstr rstrTrim(rstr s, const char *cset);
int rstrCmp(const rstr a, const rstr b);
/* Split a line into arguments with shell-like quoting ("..." with escapes,
 * '...').  Returns NULL on unbalanced quotes.  *argc receives the count;
 * free with rstrFreeSplitRes. */
rstr *rstrSplitArgs(const char *line, int *argc);
rstr *rstrSplitLen(const char *s, ssize_t len, const char *sep, int seplen, int *count);
void rstrFreeSplitRes(rstr *tokens, int count);
rstr rstrJoin(char **argv, int argc, const char *sep);

#endif
