/* util.h -- small pure helpers: number <-> string conversions that follow
 * Redis's exact rules, glob matching, time. No server state. */
#ifndef RINGKV_UTIL_H
#define RINGKV_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define LONG_STR_SIZE 21
#define MAX_LONG_DOUBLE_CHARS (5 * 1024)
#define MAX_D2STRING_CHARS 128

/* Glob-style matching with Redis's pattern syntax: * ? [abc] [^a-z] \x. */
int stringmatchlen(const char *pattern, size_t patlen, const char *string, size_t strlen,
                   int nocase);
int stringmatch(const char *pattern, const char *string, int nocase);
/* Strict conversions: no spaces, no leading '+', no leading zeros ("01"),
 * "-0" refused, overflow refused.  Return 1 on success. */
int string2ll(const char *s, size_t slen, long long *value);
int string2l(const char *s, size_t slen, long *value);
int string2ull(const char *s, unsigned long long *value);
/* Number parsing as strtold/strtod but refusing spaces, empty input, NaN. */
int string2ld(const char *s, size_t slen, long double *dp);
int string2d(const char *s, size_t slen, double *dp);
int ll2string(char *dst, size_t dstlen, long long svalue);
int ull2string(char *dst, size_t dstlen, unsigned long long value);
/* "%.17g" with inf/-inf spelled as Redis does. */
int d2string(char *buf, size_t len, double value);
/* Long double to string; humanfriendly trims trailing zeros ("10.5"). */
int ld2string(char *buf, size_t len, long double value, int humanfriendly);
long long ustime(void);      /* wall clock, microseconds */
long long mstime(void);      /* wall clock, milliseconds */
long long monotonicUs(void); /* monotonic, microseconds */
/* Parses "1gb", "100mb", "10k" (Redis's memory units).  *err set on error. */
long long memtoll(const char *p, int *err);
void getRandomBytes(unsigned char *p, size_t len);
void getRandomHexChars(char *p, size_t len);
int pathIsBaseName(const char *path);
uint64_t crc64(uint64_t crc, const unsigned char *s, uint64_t l);
int ld2stringPrecise(char *buf, size_t len, long double value);

#endif
