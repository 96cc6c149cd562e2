/* rstr.c -- binary-safe dynamic strings (see rstr.h for the contract).
 *
 * Layout: [header][type byte][bytes ...][NUL].  The pointer handed out points
 * at the first byte of the string, so s[-1] is the type byte telling which
 * header precedes it:
 *   RSTR_TYPE_32: uint32 len, uint32 capacity   (9 bytes of overhead)
 *   RSTR_TYPE_64: uint64 len, uint64 capacity   (17 bytes; strings >= 4 GiB)
 * Two header sizes keep the common case small (keys, members, argv) without
 * capping the length.  Capacity excludes the type byte and the NUL. */
#include "rstr.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "zmalloc.h"

#define RSTR_TYPE_32 0
#define RSTR_TYPE_64 1

struct __attribute__((__packed__)) rstrHdr32 {
    uint32_t len;
    uint32_t cap;
    unsigned char type;
};
struct __attribute__((__packed__)) rstrHdr64 {
    uint64_t len;
    uint64_t cap;
    unsigned char type;
};

#define HDR32(s) ((struct rstrHdr32 *)((s) - sizeof(struct rstrHdr32)))
#define HDR64(s) ((struct rstrHdr64 *)((s) - sizeof(struct rstrHdr64)))

static inline size_t hdrSize(int type) {
    return type == RSTR_TYPE_32 ? sizeof(struct rstrHdr32) : sizeof(struct rstrHdr64);
}

static inline int typeFor(size_t cap) {
    return cap < UINT32_MAX ? RSTR_TYPE_32 : RSTR_TYPE_64;
}

size_t rstrLen(const rstr s) {
    return s[-1] == RSTR_TYPE_32 ? HDR32(s)->len : HDR64(s)->len;
}

static inline size_t rstrCap(const rstr s) {
    return s[-1] == RSTR_TYPE_32 ? HDR32(s)->cap : HDR64(s)->cap;
}

static inline void setLenCap(rstr s, size_t len, size_t cap) {
    if (s[-1] == RSTR_TYPE_32) {
        HDR32(s)->len = (uint32_t)len;
        HDR32(s)->cap = (uint32_t)cap;
    } else {
        HDR64(s)->len = len;
        HDR64(s)->cap = cap;
    }
}

size_t rstrAvail(const rstr s) {
    return rstrCap(s) - rstrLen(s);
}

size_t rstrAllocSize(const rstr s) {
    return zmallocSize(s - hdrSize(s[-1]));
}

void rstrSetLen(rstr s, size_t len) {
    if (s[-1] == RSTR_TYPE_32)
        HDR32(s)->len = (uint32_t)len;
    else
        HDR64(s)->len = len;
    s[len] = '\0';
}

void rstrIncrLen(rstr s, ssize_t incr) {
    rstrSetLen(s, (size_t)((ssize_t)rstrLen(s) + incr));
}

/* Allocates a string of capacity cap holding len bytes.  The allocator's
 * usable size is folded into the capacity: jemalloc rounds up to its size
 * class anyway, so the slack is free room for appends. */
static rstr rstrAlloc(size_t len, size_t cap) {
    int type = typeFor(cap);
    size_t hs = hdrSize(type);
    size_t usable;
    /* zmallocUsable: one size lookup for both the counter and the capacity
     * (helper 6: half of SET's allocator overhead was size lookups). */
    char *p = zmallocUsable(hs + cap + 1, &usable);
    usable -= hs + 1;
    if (type == RSTR_TYPE_32 && usable >= UINT32_MAX) usable = UINT32_MAX - 1;
    rstr s = p + hs;
    s[-1] = (char)type;
    setLenCap(s, len, usable);
    s[len] = '\0';
    return s;
}

rstr rstrNewLen(const void *init, size_t len) {
    rstr s = rstrAlloc(len, len);
    if (init)
        memcpy(s, init, len);
    else
        memset(s, 0, len);
    return s;
}

size_t rstrEmbeddedSize(size_t len) {
    return hdrSize(typeFor(len)) + len + 1;
}

rstr rstrInitEmbedded(void *buf, const void *init, size_t len) {
    int type = typeFor(len);
    rstr s = (char *)buf + hdrSize(type);
    s[-1] = (char)type;
    setLenCap(s, len, len);
    if (init) memcpy(s, init, len);
    s[len] = '\0';
    return s;
}

rstr rstrNew(const char *init) {
    return rstrNewLen(init, init ? strlen(init) : 0);
}

rstr rstrEmpty(void) {
    return rstrNewLen("", 0);
}

rstr rstrDup(const rstr s) {
    return rstrNewLen(s, rstrLen(s));
}

void rstrFree(rstr s) {
    if (s == NULL) return;
    size_t hs = hdrSize(s[-1]), cap = rstrCap(s);
    /* The capacity is the usable size minus header and NUL (rstrAlloc,
     * rstrResize), so the allocator need not be asked again; except when it
     * was clamped to fit the 32-bit header. */
    if (s[-1] == RSTR_TYPE_32 && cap == UINT32_MAX - 1)
        zfree(s - hs);
    else
        zfreeUsable(s - hs, hs + cap + 1);
}

static rstr rstrResize(rstr s, size_t newcap) {
    size_t len = rstrLen(s);
    int oldtype = s[-1], newtype = typeFor(newcap);
    if (oldtype == newtype) {
        size_t hs = hdrSize(oldtype);
        char *p = zrealloc(s - hs, hs + newcap + 1);
        size_t usable = zmallocSize(p) - hs - 1;
        if (newtype == RSTR_TYPE_32 && usable >= UINT32_MAX) usable = UINT32_MAX - 1;
        s = p + hs;
        setLenCap(s, len, usable);
        return s;
    }
    rstr n = rstrAlloc(len, newcap);
    memcpy(n, s, len + 1);
    rstrFree(s);
    return n;
}

rstr rstrMakeRoomFor(rstr s, size_t addlen) {
    size_t len = rstrLen(s);
    if (rstrCap(s) - len >= addlen) return s;
    size_t need = len + addlen;
    if (need < RSTR_MAX_PREALLOC)
        need *= 2;
    else
        need += RSTR_MAX_PREALLOC;
    return rstrResize(s, need);
}

rstr rstrMakeRoomForExact(rstr s, size_t addlen) {
    size_t len = rstrLen(s);
    if (rstrCap(s) - len >= addlen) return s;
    return rstrResize(s, len + addlen);
}

rstr rstrRemoveFreeSpace(rstr s) {
    if (rstrAvail(s) == 0) return s;
    return rstrResize(s, rstrLen(s));
}

rstr rstrGrowZero(rstr s, size_t len) {
    size_t cur = rstrLen(s);
    if (len <= cur) return s;
    s = rstrMakeRoomFor(s, len - cur);
    memset(s + cur, 0, len - cur + 1);
    rstrSetLen(s, len);
    return s;
}

rstr rstrCatLen(rstr s, const void *t, size_t len) {
    size_t cur = rstrLen(s);
    s = rstrMakeRoomFor(s, len);
    memcpy(s + cur, t, len);
    rstrSetLen(s, cur + len);
    return s;
}

rstr rstrCat(rstr s, const char *t) {
    return rstrCatLen(s, t, strlen(t));
}

rstr rstrCatRstr(rstr s, const rstr t) {
    return rstrCatLen(s, t, rstrLen(t));
}

rstr rstrCpyLen(rstr s, const char *t, size_t len) {
    if (rstrCap(s) < len) s = rstrMakeRoomFor(s, len - rstrLen(s));
    memcpy(s, t, len);
    rstrSetLen(s, len);
    return s;
}

rstr rstrCatVprintf(rstr s, const char *fmt, va_list ap) {
    char stackbuf[1024];
    va_list cpy;
    va_copy(cpy, ap);
    int n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, cpy);
    va_end(cpy);
    if (n < 0) return s;
    if ((size_t)n < sizeof(stackbuf)) return rstrCatLen(s, stackbuf, (size_t)n);
    size_t cur = rstrLen(s);
    s = rstrMakeRoomFor(s, (size_t)n + 1);
    va_copy(cpy, ap);
    vsnprintf(s + cur, (size_t)n + 1, fmt, cpy);
    va_end(cpy);
    rstrSetLen(s, cur + (size_t)n);
    return s;
}

rstr rstrCatPrintf(rstr s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s = rstrCatVprintf(s, fmt, ap);
    va_end(ap);
    return s;
}

rstr rstrCatRepr(rstr s, const char *p, size_t len) {
    s = rstrCatLen(s, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        switch (c) {
        case '\\':
        case '"': s = rstrCatPrintf(s, "\\%c", c); break;
        case '\n': s = rstrCatLen(s, "\\n", 2); break;
        case '\r': s = rstrCatLen(s, "\\r", 2); break;
        case '\t': s = rstrCatLen(s, "\\t", 2); break;
        case '\a': s = rstrCatLen(s, "\\a", 2); break;
        case '\b': s = rstrCatLen(s, "\\b", 2); break;
        default:
            if (isprint(c))
                s = rstrCatLen(s, &p[i], 1);
            else
                s = rstrCatPrintf(s, "\\x%02x", c);
        }
    }
    return rstrCatLen(s, "\"", 1);
}

rstr rstrFromLongLong(long long value) {
    char buf[24];
    int n = snprintf(buf, sizeof(buf), "%lld", value);
    return rstrNewLen(buf, (size_t)n);
}

void rstrRange(rstr s, ssize_t start, ssize_t end) {
    ssize_t len = (ssize_t)rstrLen(s);
    if (len == 0) return;
    if (start < 0) start = len + start < 0 ? 0 : len + start;
    if (end < 0) end = len + end < 0 ? 0 : len + end;
    ssize_t newlen = start > end ? 0 : end - start + 1;
    if (newlen != 0) {
        if (start >= len)
            newlen = 0;
        else if (end >= len) {
            end = len - 1;
            newlen = start > end ? 0 : end - start + 1;
        }
    }
    if (start && newlen) memmove(s, s + start, (size_t)newlen);
    rstrSetLen(s, (size_t)newlen);
}

void rstrClear(rstr s) {
    rstrSetLen(s, 0);
}

void rstrToLower(rstr s) {
    size_t len = rstrLen(s);
    for (size_t i = 0; i < len; i++) s[i] = (char)tolower((unsigned char)s[i]);
}

void rstrToUpper(rstr s) {
    size_t len = rstrLen(s);
    for (size_t i = 0; i < len; i++) s[i] = (char)toupper((unsigned char)s[i]);
}

rstr rstrTrim(rstr s, const char *cset) {
    size_t len = rstrLen(s);
    size_t a = 0, b = len;
    while (a < b && strchr(cset, s[a])) a++;
    while (b > a && strchr(cset, s[b - 1])) b--;
    if (a) memmove(s, s + a, b - a);
    rstrSetLen(s, b - a);
    return s;
}

int rstrCmp(const rstr a, const rstr b) {
    size_t la = rstrLen(a), lb = rstrLen(b);
    int c = memcmp(a, b, la < lb ? la : lb);
    if (c) return c;
    return la < lb ? -1 : (la > lb ? 1 : 0);
}

static int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

rstr *rstrSplitArgs(const char *line, int *argc) {
    const char *p = line;
    rstr *vector = NULL;
    *argc = 0;
    for (;;) {
        while (*p && isspace((unsigned char)*p)) p++;
        if (!*p) {
            if (vector == NULL) vector = zmalloc(sizeof(rstr));
            return vector;
        }
        int inq = 0, insq = 0, done = 0;
        rstr cur = rstrEmpty();
        while (!done) {
            if (inq) {
                if (*p == '\\' && p[1] == 'x' && hexValue(p[2]) >= 0 && hexValue(p[3]) >= 0) {
                    char c = (char)(hexValue(p[2]) * 16 + hexValue(p[3]));
                    cur = rstrCatLen(cur, &c, 1);
                    p += 3;
                } else if (*p == '\\' && p[1]) {
                    char c;
                    p++;
                    switch (*p) {
                    case 'n': c = '\n'; break;
                    case 'r': c = '\r'; break;
                    case 't': c = '\t'; break;
                    case 'b': c = '\b'; break;
                    case 'a': c = '\a'; break;
                    default: c = *p; break;
                    }
                    cur = rstrCatLen(cur, &c, 1);
                } else if (*p == '"') {
                    /* A closing quote must be followed by a space or the end. */
                    if (p[1] && !isspace((unsigned char)p[1])) goto err;
                    done = 1;
                } else if (!*p) {
                    goto err;
                } else {
                    cur = rstrCatLen(cur, p, 1);
                }
            } else if (insq) {
                if (*p == '\\' && p[1] == '\'') {
                    p++;
                    cur = rstrCatLen(cur, "'", 1);
                } else if (*p == '\'') {
                    if (p[1] && !isspace((unsigned char)p[1])) goto err;
                    done = 1;
                } else if (!*p) {
                    goto err;
                } else {
                    cur = rstrCatLen(cur, p, 1);
                }
            } else {
                switch (*p) {
                case ' ':
                case '\n':
                case '\r':
                case '\t':
                case '\0': done = 1; break;
                case '"': inq = 1; break;
                case '\'': insq = 1; break;
                default: cur = rstrCatLen(cur, p, 1); break;
                }
            }
            if (*p) p++;
        }
        vector = zrealloc(vector, ((size_t)*argc + 1) * sizeof(rstr));
        vector[*argc] = cur;
        (*argc)++;
        continue;
    err:
        rstrFree(cur);
        rstrFreeSplitRes(vector, *argc);
        *argc = 0;
        return NULL;
    }
}

rstr *rstrSplitLen(const char *s, ssize_t len, const char *sep, int seplen, int *count) {
    int n = 0, slots = 4;
    rstr *tokens = zmalloc(sizeof(rstr) * (size_t)slots);
    *count = 0;
    if (len < 0 || seplen < 1) {
        zfree(tokens);
        return NULL;
    }
    ssize_t start = 0;
    for (ssize_t j = 0; j <= len - seplen; j++) {
        if (memcmp(s + j, sep, (size_t)seplen) == 0) {
            if (n + 2 > slots) {
                slots *= 2;
                tokens = zrealloc(tokens, sizeof(rstr) * (size_t)slots);
            }
            tokens[n++] = rstrNewLen(s + start, (size_t)(j - start));
            start = j + seplen;
            j = j + seplen - 1;
        }
    }
    if (n + 1 > slots) tokens = zrealloc(tokens, sizeof(rstr) * (size_t)(n + 1));
    tokens[n++] = rstrNewLen(s + start, (size_t)(len - start));
    *count = n;
    return tokens;
}

void rstrFreeSplitRes(rstr *tokens, int count) {
    if (!tokens) return;
    for (int i = 0; i < count; i++) rstrFree(tokens[i]);
    zfree(tokens);
}

rstr rstrJoin(char **argv, int argc, const char *sep) {
    rstr s = rstrEmpty();
    for (int i = 0; i < argc; i++) {
        if (i) s = rstrCat(s, sep);
        s = rstrCat(s, argv[i]);
    }
    return s;
}
