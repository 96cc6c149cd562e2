/* util.c -- conversions and matching shared by every module (see util.h).
 *
 * The number parsers are deliberately strict: Redis accepts "10" but not
 * " 10", "+10" or "010" as an integer argument, and a server that is lenient
 * where Redis is strict gives different replies to the same command stream. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int globCharEq(char a, char b, int nocase) {
    return nocase ? tolower((unsigned char)a) == tolower((unsigned char)b) : a == b;
}

/* A character class at *pp ('['), Redis's rules: "\\x" escapes, a leading
 * ']' closes an empty class, "x-y" is a range whenever two more characters
 * follow (so "[a-]" is the range a..']'), and an unterminated class ends at
 * the end of the pattern.  *pp is left on the closing ']' (or last byte). */
static int globClassMatch(const char **pp, const char *pend, char c, int nocase) {
    const char *p = *pp + 1;
    int negate = 0, match = 0;
    if (p < pend && *p == '^') {
        negate = 1;
        p++;
    }
    for (;;) {
        if (p >= pend) {
            p--;
            break;
        }
        if (*p == '\\' && p + 1 < pend) {
            p++;
            if (globCharEq(*p, c, nocase)) match = 1;
        } else if (*p == ']') {
            break;
        } else if (p + 2 < pend && p[1] == '-') {
            int lo = (unsigned char)p[0], hi = (unsigned char)p[2], ch = (unsigned char)c;
            if (lo > hi) {
                int t = lo;
                lo = hi;
                hi = t;
            }
            if (nocase) {
                lo = tolower(lo);
                hi = tolower(hi);
                ch = tolower(ch);
            }
            if (ch >= lo && ch <= hi) match = 1;
            p += 2;
        } else if (globCharEq(*p, c, nocase)) {
            match = 1;
        }
        p++;
    }
    *pp = p;
    return negate ? !match : match;
}

/* Iterative matching with one backtrack point, the last '*' seen: every
 * other token consumes exactly one byte, so retrying only from the latest
 * star is enough and the cost is O(pattern * string), whatever the pattern
 * (a recursive matcher is exponential on "a*a*a*...b").  Like Redis, a
 * pattern nesting more than 1000 stars matches nothing. */
int stringmatchlen(const char *pattern, size_t patlen, const char *string, size_t slen,
                   int nocase) {
    const char *p = pattern, *pend = pattern + patlen;
    const char *s = string, *send = string + slen;
    const char *starP = NULL, *starS = NULL;
    int stars = 0, starStars = 0;
    /* Redis's matcher never enters its loop for an empty string, so "" is
     * matched by the empty pattern only (not even by "*"): a pattern
     * subscription "*" gets no message on channel "".  KEYS and SCAN treat
     * a lone "*" as "everything" before calling here. */
    if (slen == 0) return patlen == 0;
    while (p < pend || s < send) {
        if (p < pend) {
            const char *q = p;
            switch (*p) {
            case '*':
                while (p + 1 < pend && p[1] == '*') p++;
                if (++stars > 1000) return 0;
                starP = p;
                starS = s;
                starStars = stars;
                p++;
                continue;
            case '?':
                if (s < send) {
                    p++;
                    s++;
                    continue;
                }
                break;
            case '[':
                if (s < send && globClassMatch(&q, pend, *s, nocase)) {
                    p = q + 1;
                    s++;
                    continue;
                }
                break;
            case '\\':
                if (q + 1 < pend) q++;
                /* fall through */
            default:
                if (s < send && globCharEq(*q, *s, nocase)) {
                    p = q + 1;
                    s++;
                    continue;
                }
                break;
            }
        }
        if (starP && starS < send) {
            p = starP + 1;
            s = ++starS;
            stars = starStars;
            continue;
        }
        return 0;
    }
    return 1;
}

int stringmatch(const char *pattern, const char *string, int nocase) {
    return stringmatchlen(pattern, strlen(pattern), string, strlen(string), nocase);
}

int string2ll(const char *s, size_t slen, long long *value) {
    const char *p = s;
    size_t plen = 0;
    int negative = 0;
    unsigned long long v;
    if (slen == 0 || slen >= LONG_STR_SIZE) return 0;
    if (slen == 1 && p[0] == '0') {
        if (value) *value = 0;
        return 1;
    }
    if (p[0] == '-') {
        negative = 1;
        p++;
        plen++;
        if (plen == slen) return 0;
    }
    if (p[0] >= '1' && p[0] <= '9') {
        v = (unsigned long long)(p[0] - '0');
        p++;
        plen++;
    } else {
        return 0;
    }
    while (plen < slen && p[0] >= '0' && p[0] <= '9') {
        if (v > ULLONG_MAX / 10) return 0;
        v *= 10;
        if (v > ULLONG_MAX - (unsigned long long)(p[0] - '0')) return 0;
        v += (unsigned long long)(p[0] - '0');
        p++;
        plen++;
    }
    if (plen < slen) return 0;
    if (negative) {
        if (v > ((unsigned long long)(-(LLONG_MIN + 1)) + 1)) return 0;
        if (value) *value = (long long)(0ULL - v);
    } else {
        if (v > LLONG_MAX) return 0;
        if (value) *value = (long long)v;
    }
    return 1;
}

int string2l(const char *s, size_t slen, long *lval) {
    long long ll;
    if (!string2ll(s, slen, &ll)) return 0;
    if (ll < LONG_MIN || ll > LONG_MAX) return 0;
    *lval = (long)ll;
    return 1;
}

int string2ull(const char *s, unsigned long long *value) {
    long long ll;
    if (string2ll(s, strlen(s), &ll)) {
        if (ll < 0) return 0;
        *value = (unsigned long long)ll;
        return 1;
    }
    errno = 0;
    char *endptr = NULL;
    if (s[0] == '-' || isspace((unsigned char)s[0])) return 0;
    *value = strtoull(s, &endptr, 10);
    if (errno == EINVAL || errno == ERANGE || !(*s != '\0' && *endptr == '\0')) return 0;
    return 1;
}

int string2ld(const char *s, size_t slen, long double *dp) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    long double value;
    char *eptr;
    if (slen == 0 || slen >= sizeof(buf)) return 0;
    memcpy(buf, s, slen);
    buf[slen] = '\0';
    errno = 0;
    value = strtold(buf, &eptr);
    /* eptr must stop at the end of the input: an embedded NUL would stop
     * strtold early and make "0\0junk" look like 0. */
    if (isspace((unsigned char)buf[0]) || (size_t)(eptr - buf) != slen ||
        (errno == ERANGE && (value == HUGE_VALL || value == -HUGE_VALL || fpclassify(value) == FP_ZERO)) ||
        isnan(value))
        return 0;
    if (dp) *dp = value;
    return 1;
}

int string2d(const char *s, size_t slen, double *dp) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    char *eptr;
    if (slen == 0 || slen >= sizeof(buf)) return 0;
    memcpy(buf, s, slen);
    buf[slen] = '\0';
    errno = 0;
    double value = strtod(buf, &eptr);
    if (isspace((unsigned char)buf[0]) || (size_t)(eptr - buf) != slen ||
        (errno == ERANGE && (value == HUGE_VAL || value == -HUGE_VAL || fpclassify(value) == FP_ZERO)) ||
        isnan(value))
        return 0;
    if (dp) *dp = value;
    return 1;
}

int ull2string(char *dst, size_t dstlen, unsigned long long value) {
    char tmp[LONG_STR_SIZE];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    if ((size_t)n + 1 > dstlen) {
        if (dstlen) dst[0] = '\0';
        return 0;
    }
    for (int i = 0; i < n; i++) dst[i] = tmp[n - 1 - i];
    dst[n] = '\0';
    return n;
}

int ll2string(char *dst, size_t dstlen, long long svalue) {
    if (svalue < 0) {
        if (dstlen < 2) {
            if (dstlen) dst[0] = '\0';
            return 0;
        }
        unsigned long long v = 0ULL - (unsigned long long)svalue;
        dst[0] = '-';
        int n = ull2string(dst + 1, dstlen - 1, v);
        if (n == 0) {
            dst[0] = '\0';
            return 0;
        }
        return n + 1;
    }
    return ull2string(dst, dstlen, (unsigned long long)svalue);
}

int d2string(char *buf, size_t len, double value) {
    if (isnan(value)) return snprintf(buf, len, "nan");
    if (isinf(value)) return snprintf(buf, len, value > 0 ? "inf" : "-inf");
    if (value == 0) {
        /* Keep the sign of zero as "%.17g" would, but short. */
        return snprintf(buf, len, signbit(value) ? "-0" : "0");
    }
    /* Integers that fit are printed without exponent or fraction. */
    if (value > -4503599627370496.0 && value < 4503599627370496.0 && (double)(long long)value == value)
        return ll2string(buf, len, (long long)value);
    return snprintf(buf, len, "%.17g", value);
}

int ld2string(char *buf, size_t len, long double value, int humanfriendly) {
    size_t l;
    if (isinf(value)) {
        if (len < 5) return 0;
        if (value > 0) {
            memcpy(buf, "inf", 3);
            l = 3;
        } else {
            memcpy(buf, "-inf", 4);
            l = 4;
        }
    } else if (humanfriendly) {
        /* Fixed point with 17 decimals, then trailing zeros and the dot
         * trimmed: readable output for INCRBYFLOAT and friends. */
        int n = snprintf(buf, len, "%.17Lf", value);
        if (n < 1 || (size_t)n > len - 1) return 0;
        l = (size_t)n;
        if (strchr(buf, '.') != NULL) {
            char *p = buf + l - 1;
            while (*p == '0') {
                p--;
                l--;
            }
            if (*p == '.') l--;
        }
        if (l == 2 && buf[0] == '-' && buf[1] == '0') {
            buf[0] = '0';
            l = 1;
        }
    } else {
        int n = snprintf(buf, len, "%.17Lg", value);
        if (n < 1 || (size_t)n > len - 1) return 0;
        l = (size_t)n;
    }
    buf[l] = '\0';
    return (int)l;
}

int ld2stringPrecise(char *buf, size_t len, long double value) {
    return ld2string(buf, len, value, 0);
}

long long ustime(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return ((long long)tv.tv_sec) * 1000000 + tv.tv_usec;
}

long long mstime(void) {
    return ustime() / 1000;
}

long long monotonicUs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long long memtoll(const char *p, int *err) {
    const char *u;
    char buf[128];
    long mul;
    long long val;
    unsigned int digits;
    if (err) *err = 0;
    u = p;
    if (*u == '-') u++;
    while (*u && isdigit((unsigned char)*u)) u++;
    if (*u == '\0' || !strcasecmp(u, "b")) {
        mul = 1;
    } else if (!strcasecmp(u, "k")) {
        mul = 1000;
    } else if (!strcasecmp(u, "kb")) {
        mul = 1024;
    } else if (!strcasecmp(u, "m")) {
        mul = 1000 * 1000;
    } else if (!strcasecmp(u, "mb")) {
        mul = 1024 * 1024;
    } else if (!strcasecmp(u, "g")) {
        mul = 1000L * 1000 * 1000;
    } else if (!strcasecmp(u, "gb")) {
        mul = 1024L * 1024 * 1024;
    } else {
        if (err) *err = 1;
        return 0;
    }
    digits = (unsigned)(u - p);
    if (digits >= sizeof(buf) || digits == 0) {
        if (err) *err = 1;
        return 0;
    }
    memcpy(buf, p, digits);
    buf[digits] = '\0';
    char *endptr;
    errno = 0;
    val = strtoll(buf, &endptr, 10);
    if ((val == 0 && errno == EINVAL) || *endptr != '\0' || errno == ERANGE) {
        if (err) *err = 1;
        return 0;
    }
    if (val != 0 && (val > LLONG_MAX / mul || val < LLONG_MIN / mul)) {
        if (err) *err = 1;
        return 0;
    }
    return val * mul;
}

void getRandomBytes(unsigned char *p, size_t len) {
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    size_t got = 0;
    if (fd != -1) {
        while (got < len) {
            ssize_t n = read(fd, p + got, len - got);
            if (n <= 0) break;
            got += (size_t)n;
        }
        close(fd);
    }
    /* Fallback: not cryptographic, but never leaves the buffer untouched. */
    for (; got < len; got++) p[got] = (unsigned char)(rand() ^ (int)ustime());
}

void getRandomHexChars(char *p, size_t len) {
    static const char *charset = "0123456789abcdef";
    getRandomBytes((unsigned char *)p, len);
    for (size_t j = 0; j < len; j++) p[j] = charset[p[j] & 0x0F];
}

int pathIsBaseName(const char *path) {
    return strchr(path, '/') == NULL && strchr(path, '\\') == NULL;
}

/* CRC-64 with the Jones polynomial (reflected 0xad93d23594c935a9), the
 * checksum RDB files carry.  Bitwise table built once on first use. */
uint64_t crc64(uint64_t crc, const unsigned char *s, uint64_t l) {
    static uint64_t table[8][256];
    static int init = 0;
    if (!init) {
        const uint64_t poly = 0x95ac9329ac4bc9b5ULL; /* reflected 0xad93d23594c935a9 */
        for (int n = 0; n < 256; n++) {
            uint64_t c = (uint64_t)n;
            for (int k = 0; k < 8; k++) c = (c & 1) ? poly ^ (c >> 1) : c >> 1;
            table[0][n] = c;
        }
        for (int n = 0; n < 256; n++) {
            uint64_t c = table[0][n];
            for (int k = 1; k < 8; k++) {
                c = table[0][c & 0xff] ^ (c >> 8);
                table[k][n] = c;
            }
        }
        init = 1;
    }
    while (l >= 8) {
        uint64_t v;
        memcpy(&v, s, 8);
        crc ^= v;
        crc = table[7][crc & 0xff] ^ table[6][(crc >> 8) & 0xff] ^ table[5][(crc >> 16) & 0xff] ^
              table[4][(crc >> 24) & 0xff] ^ table[3][(crc >> 32) & 0xff] ^
              table[2][(crc >> 40) & 0xff] ^ table[1][(crc >> 48) & 0xff] ^ table[0][crc >> 56];
        s += 8;
        l -= 8;
    }
    while (l--) crc = table[0][(crc ^ *s++) & 0xff] ^ (crc >> 8);
    return crc;
}
