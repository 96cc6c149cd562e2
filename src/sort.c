/* sort.c -- SORT and SORT_RO: sort the elements of a list, set or sorted
 * set, numerically or as strings, by themselves or by values found through
 * a key pattern, optionally fetching other keys per element (GET) and
 * storing the result as a list (STORE).
 *
 * Design.  SORT reads three container types and writes one, all owned by
 * other modules, so everything type-specific sits behind a small source /
 * sink interface at the top of this file ("Sources" and "Sink"): the length
 * of a source, loading all its elements in the type's native order, loading
 * a range of them from either end (lists and sorted sets, for BY nosort),
 * and building the list STORE writes.  Each is a switch over the type
 * calling that module's public API; the rest of the command never looks
 * inside a container.
 *
 * Elements are copied out (one rstr each) before any pattern lookup runs,
 * because a lookup may expire keys: nothing here holds a pointer into the
 * keyspace across another keyspace call.
 *
 * Semantics follow Redis 7.0, including its corners:
 *   - numeric sorting parses values with strtod (so " 1", "1e3", "inf" and
 *     "" (= 0) are numbers) and breaks ties by comparing the elements as
 *     binary strings; a value that is not a number (or NaN, or out of
 *     range) makes the whole command fail, and nothing is stored;
 *   - ALPHA compares with strcoll (collation of the server's locale),
 *     except with STORE where it compares bytes; ALPHA BY puts elements
 *     whose BY key is missing first;
 *   - BY with a pattern lacking '*' means "don't sort": lists and sorted
 *     sets keep their order (DESC reverses it, LIMIT picks the range
 *     directly); a set then comes in iteration order, except with STORE,
 *     where it is sorted ALPHA so that the stored list is deterministic;
 *   - patterns: "#" is the element itself; the first '*' is replaced by
 *     the element; "key*->field" reads a hash field; only string values
 *     (or hash fields) are found, anything else is "missing";
 *   - LIMIT offset count is clamped to the data; a negative count means
 *     "to the end";
 *   - sorting a listpack sorted set converts it to a skiplist for good.
 * One documented difference: equal ALPHA BY keys (typically missing ones)
 * keep their input order here (a stable sort); Redis's order for them is
 * unspecified and, with LIMIT, comes from its partial quicksort. */
#include "sort.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "acl.h"
#include "db.h"
#include "object.h"
#include "reply.h"
#include "rstr.h"
#include "server.h"
#include "t_hash.h"
#include "t_list.h"
#include "t_set.h"
#include "t_zset.h"
#include "util.h"
#include "zmalloc.h"

/* One element being sorted. */
typedef struct sortItem {
    rstr ele;     /* the element (owned) */
    double score; /* numeric sort key (0 when its BY key is missing) */
    rstr cmp;     /* ALPHA BY sort key (owned), NULL when missing */
} sortItem;

typedef struct sortVec {
    sortItem *items;
    long len, cap;
} sortVec;

static void sortVecPush(sortVec *v, const char *p, size_t len) {
    if (v->len == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->items = zrealloc(v->items, sizeof(sortItem) * (size_t)v->cap);
    }
    sortItem *it = &v->items[v->len++];
    it->ele = rstrNewLen(p, len);
    it->score = 0;
    it->cmp = NULL;
}

static void sortVecPushLongLong(sortVec *v, long long ll) {
    char buf[LONG_STR_SIZE];
    int n = ll2string(buf, sizeof(buf), ll);
    sortVecPush(v, buf, (size_t)n);
}

static void sortVecFree(sortVec *v) {
    for (long i = 0; i < v->len; i++) {
        rstrFree(v->items[i].ele);
        if (v->items[i].cmp) rstrFree(v->items[i].cmp);
    }
    zfree(v->items);
}

/* ------------------------------------------------------------------------
 * Sources: what SORT needs from the types it sorts
 * ---------------------------------------------------------------------- */

static int sortSourceType(int type) {
    return type == OBJ_LIST || type == OBJ_SET || type == OBJ_ZSET;
}

/* Lists and sorted sets have an order of their own that BY nosort keeps. */
static int sortSourceIsOrdered(const robj *o) {
    return o->type == OBJ_LIST || o->type == OBJ_ZSET;
}

static long sortSourceLength(robj *o) {
    switch (o->type) {
    case OBJ_LIST: return (long)listTypeLength(o);
    case OBJ_SET: return (long)setTypeSize(o);
    case OBJ_ZSET: return (long)zsetLength(o);
    default: return 0;
    }
}

static void sortSourceLoadRange(robj *o, long start, long count, int desc, sortVec *v);

/* Appends every element of o in its native order (sets: iteration order;
 * sorted sets: score order). */
static void sortSourceLoadAll(robj *o, sortVec *v) {
    switch (o->type) {
    case OBJ_LIST: sortSourceLoadRange(o, 0, (long)listTypeLength(o), 0, v); break;
    case OBJ_SET: {
        setTypeIterator si;
        const char *str;
        size_t len;
        int64_t ll;
        setTypeInitIterator(&si, o);
        while (setTypeNext(&si, &str, &len, &ll)) {
            if (str)
                sortVecPush(v, str, len);
            else
                sortVecPushLongLong(v, ll);
        }
        setTypeReleaseIterator(&si);
        break;
    }
    case OBJ_ZSET: sortSourceLoadRange(o, 0, (long)zsetLength(o), 0, v); break;
    default: break;
    }
}

/* Ordered sources: appends `count` elements starting at rank `start`,
 * counted from the head, or from the tail (walking backwards) when desc.
 * (Lists: in list order; sorted sets: in score order.) */
static void sortSourceLoadRange(robj *o, long start, long count, int desc, sortVec *v) {
    switch (o->type) {
    case OBJ_ZSET: {
        zsetIter zi;
        const unsigned char *ele;
        size_t len;
        zsetIterInit(&zi, o, (unsigned long)start, desc);
        for (long i = 0; i < count && zsetIterNext(&zi, &ele, &len, NULL); i++)
            sortVecPush(v, (const char *)ele, len);
        break;
    }
    case OBJ_LIST: {
        listTypeIterator li;
        const char *str;
        size_t len;
        long long ll;
        long len_all = (long)listTypeLength(o);
        listTypeInitIterator(&li, o, desc ? len_all - start - 1 : start, desc ? LIST_HEAD : LIST_TAIL);
        for (long i = 0; i < count && listTypeNext(&li, &str, &len, &ll); i++) {
            if (str)
                sortVecPush(v, str, len);
            else
                sortVecPushLongLong(v, ll);
        }
        listTypeReleaseIterator(&li);
        break;
    }
    default: break;
    }
}

/* ------------------------------------------------------------------------
 * Sink: the list STORE writes
 * ---------------------------------------------------------------------- */

static robj *sortSinkCreate(void) {
    return createListObject();
}

static void sortSinkPush(robj *list, const char *p, size_t len) {
    listTypePush(list, p, len, LIST_TAIL);
}

/* ------------------------------------------------------------------------
 * Patterns
 * ---------------------------------------------------------------------- */

/* A value found through a pattern: bytes, or a listpack integer. */
typedef struct sortValue {
    const char *p;
    size_t len;
    int is_ll;
    long long ll;
    char buf[LONG_STR_SIZE];
} sortValue;

/* Resolves `pattern` for element `ele`.  Returns 1 and fills *out (valid
 * until the next keyspace call) when the pattern names a string key or a
 * hash field that exists; 0 otherwise (no '*', missing key or field, other
 * type).  The pattern is scanned as a C string, like Redis does. */
static int sortLookupByPattern(redisDb *db, rstr pattern, rstr ele, sortValue *out) {
    out->is_ll = 0;
    if (pattern[0] == '#' && pattern[1] == '\0') {
        out->p = ele;
        out->len = rstrLen(ele);
        return 1;
    }
    const char *star = strchr(pattern, '*');
    if (star == NULL) return 0;
    size_t patlen = rstrLen(pattern);
    const char *arrow = strstr(star + 1, "->");
    const char *field = NULL;
    size_t fieldlen = 0;
    if (arrow && arrow[2] != '\0') {
        field = arrow + 2;
        fieldlen = patlen - (size_t)(field - pattern);
    }
    size_t prefixlen = (size_t)(star - pattern);
    size_t postfixlen = patlen - prefixlen - 1 - (field ? fieldlen + 2 : 0);

    rstr key = rstrNewLen(NULL, prefixlen + rstrLen(ele) + postfixlen);
    memcpy(key, pattern, prefixlen);
    memcpy(key + prefixlen, ele, rstrLen(ele));
    memcpy(key + prefixlen + rstrLen(ele), star + 1, postfixlen);
    robj *keyobj = createRstrObject(key);
    robj *o = lookupKeyRead(db, keyobj);
    decrRefCount(keyobj);
    if (o == NULL) return 0;

    if (field) {
        if (o->type != OBJ_HASH) return 0;
        const unsigned char *vstr;
        size_t vlen;
        long long vll;
        if (!hashTypeGetValue(o, field, fieldlen, &vstr, &vlen, &vll)) return 0;
        if (vstr == NULL) {
            out->is_ll = 1;
            out->ll = vll;
            out->len = (size_t)ll2string(out->buf, sizeof(out->buf), vll);
            out->p = out->buf;
        } else {
            out->p = (const char *)vstr;
            out->len = vlen;
        }
        return 1;
    }
    if (o->type != OBJ_STRING) return 0;
    if (o->encoding == OBJ_ENCODING_INT) {
        out->is_ll = 1;
        out->ll = (long long)(intptr_t)o->ptr;
    }
    out->p = stringObjectBytes(o, out->buf, sizeof(out->buf), &out->len);
    return 1;
}

/* ------------------------------------------------------------------------
 * Comparison
 * ---------------------------------------------------------------------- */

typedef struct sortOptions {
    int desc, alpha, bypattern, store;
} sortOptions;

/* Bytes first, then length: the order of binary-safe string comparison. */
static int sortCompareBytes(const rstr a, const rstr b) {
    size_t la = rstrLen(a), lb = rstrLen(b);
    int c = memcmp(a, b, la < lb ? la : lb);
    if (c) return c;
    return la < lb ? -1 : (la > lb ? 1 : 0);
}

static int sortCompare(const void *p1, const void *p2, void *arg) {
    const sortItem *a = p1, *b = p2;
    const sortOptions *opt = arg;
    int cmp;
    if (!opt->alpha) {
        if (a->score > b->score)
            cmp = 1;
        else if (a->score < b->score)
            cmp = -1;
        else
            cmp = sortCompareBytes(a->ele, b->ele); /* deterministic ties */
    } else if (opt->bypattern) {
        if (!a->cmp || !b->cmp)
            cmp = (a->cmp == b->cmp) ? 0 : (a->cmp == NULL ? -1 : 1);
        else
            cmp = opt->store ? sortCompareBytes(a->cmp, b->cmp) : strcoll(a->cmp, b->cmp);
    } else {
        cmp = opt->store ? sortCompareBytes(a->ele, b->ele) : strcoll(a->ele, b->ele);
    }
    return opt->desc ? -cmp : cmp;
}

/* Numeric sort key of a value; 0 when it is not a valid number. */
static int sortParseScore(const sortValue *v, rstr *scratch, double *score) {
    if (v->is_ll) {
        *score = (double)v->ll;
        return 1;
    }
    /* strtod needs a terminated string; like Redis we parse up to the
     * first NUL byte. */
    *scratch = rstrCpyLen(*scratch, v->p, v->len);
    char *eptr;
    errno = 0;
    *score = strtod(*scratch, &eptr);
    return !(eptr[0] != '\0' || errno == ERANGE || isnan(*score));
}

/* ------------------------------------------------------------------------
 * The command
 * ---------------------------------------------------------------------- */

static int sortGetLongOrReply(client *c, robj *o, long *target) {
    long long ll;
    if (getLongLongFromObject(o, &ll) != 0 || ll < LONG_MIN || ll > LONG_MAX) {
        addReplyErrorNotInteger(c);
        return C_ERR;
    }
    *target = (long)ll;
    return C_OK;
}

static void sortGeneric(client *c, int readonly) {
    sortOptions opt = {0, 0, 0, 0};
    long limit_start = 0, limit_count = -1;
    int dontsort = 0;
    robj *sortby = NULL, *storekey = NULL;
    rstr *getops = zmalloc(sizeof(rstr) * (size_t)c->argc);
    int ngetops = 0;

    for (int j = 2; j < c->argc; j++) {
        const char *arg = c->argv[j]->ptr;
        int left = c->argc - j - 1;
        if (!strcasecmp(arg, "asc")) {
            opt.desc = 0;
        } else if (!strcasecmp(arg, "desc")) {
            opt.desc = 1;
        } else if (!strcasecmp(arg, "alpha")) {
            opt.alpha = 1;
        } else if (!strcasecmp(arg, "limit") && left >= 2) {
            if (sortGetLongOrReply(c, c->argv[j + 1], &limit_start) != C_OK ||
                sortGetLongOrReply(c, c->argv[j + 2], &limit_count) != C_OK) {
                zfree(getops);
                return;
            }
            j += 2;
        } else if (!readonly && !strcasecmp(arg, "store") && left >= 1) {
            storekey = c->argv[++j];
        } else if (!strcasecmp(arg, "by") && left >= 1) {
            sortby = c->argv[++j];
            /* A BY pattern without '*' cannot name per-element keys. */
            if (strchr(sortby->ptr, '*') == NULL) {
                dontsort = 1;
            } else if (!aclClientHasFullKeyAccess(c)) {
                /* The pattern reads keys the ACL check never saw (acl.c). */
                addReplyError(c, "BY option of SORT denied due to insufficient ACL permissions.");
                zfree(getops);
                return;
            }
        } else if (!strcasecmp(arg, "get") && left >= 1) {
            if (!aclClientHasFullKeyAccess(c)) {
                addReplyError(c, "GET option of SORT denied due to insufficient ACL permissions.");
                zfree(getops);
                return;
            }
            getops[ngetops++] = c->argv[++j]->ptr;
        } else {
            addReplyErrorSyntax(c);
            zfree(getops);
            return;
        }
    }

    robj *sortval = lookupKeyRead(c->db, c->argv[1]);
    if (sortval && !sortSourceType(sortval->type)) {
        addReplyErrorWrongType(c);
        zfree(getops);
        return;
    }

    /* Redis converts a listpack sorted set to a skiplist for good when it
     * sorts it, which OBJECT ENCODING shows: do the same.  The conversion
     * goes through a write lookup so the snapshot writer sees the change. */
    if (sortval && sortval->type == OBJ_ZSET && sortval->encoding == OBJ_ENCODING_LISTPACK) {
        sortval = lookupKeyWriteWithFlags(c->db, c->argv[1], LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
        zsetConvertToSkiplist(sortval);
    }

    /* An unsorted set would be stored in iteration order, which another
     * server (a replica, a restarted one) need not share: sort it. */
    if (dontsort && sortval && sortval->type == OBJ_SET && storekey) {
        dontsort = 0;
        opt.alpha = 1;
        sortby = NULL;
    }

    long vectorlen = sortval ? sortSourceLength(sortval) : 0;
    long start = limit_start < 0 ? 0 : (limit_start > vectorlen ? vectorlen : limit_start);
    if (limit_count < -1) limit_count = -1;
    if (limit_count > vectorlen) limit_count = vectorlen;
    long end = limit_count < 0 ? vectorlen - 1 : start + limit_count - 1;
    if (start >= vectorlen) {
        start = vectorlen - 1;
        end = vectorlen - 2;
    }
    if (end >= vectorlen) end = vectorlen - 1;

    /* Load the elements: for an unsorted list or sorted set only the
     * requested range (the output code then sees it as [0, n)). */
    sortVec v = {NULL, 0, 0};
    if (sortval && sortSourceIsOrdered(sortval) && dontsort) {
        if (end >= start) sortSourceLoadRange(sortval, start, end - start + 1, opt.desc, &v);
        end -= start;
        start = 0;
    } else if (sortval) {
        sortSourceLoadAll(sortval, &v);
    }
    sortval = NULL; /* lookups below may change the keyspace */

    int conversion_error = 0;
    if (!dontsort) {
        rstr scratch = rstrEmpty();
        for (long i = 0; i < v.len; i++) {
            sortItem *it = &v.items[i];
            sortValue val;
            if (sortby) {
                if (!sortLookupByPattern(c->db, sortby->ptr, it->ele, &val)) continue;
            } else {
                val.p = it->ele;
                val.len = rstrLen(it->ele);
                val.is_ll = 0;
            }
            if (opt.alpha) {
                if (sortby) it->cmp = rstrNewLen(val.p, val.len);
            } else if (!sortParseScore(&val, &scratch, &it->score)) {
                conversion_error = 1;
            }
        }
        rstrFree(scratch);
        opt.bypattern = sortby != NULL;
        opt.store = storekey != NULL;
        if (!conversion_error && v.len > 1) qsort_r(v.items, (size_t)v.len, sizeof(sortItem), sortCompare, &opt);
    }

    long outputlen = end - start + 1;
    if (outputlen < 0) outputlen = 0;
    if (ngetops) outputlen *= ngetops;

    if (conversion_error) {
        addReplyError(c, "One or more scores can't be converted into double");
    } else if (storekey == NULL) {
        addReplyArrayLen(c, outputlen);
        for (long i = start; i <= end; i++) {
            rstr ele = v.items[i].ele;
            if (!ngetops) addReplyBulkCBuffer(c, ele, rstrLen(ele));
            for (int g = 0; g < ngetops; g++) {
                sortValue val;
                if (sortLookupByPattern(c->db, getops[g], ele, &val))
                    addReplyBulkCBuffer(c, val.p, val.len);
                else
                    addReplyNull(c);
            }
        }
    } else {
        robj *list = outputlen ? sortSinkCreate() : NULL;
        for (long i = start; i <= end && list; i++) {
            rstr ele = v.items[i].ele;
            if (!ngetops) sortSinkPush(list, ele, rstrLen(ele));
            for (int g = 0; g < ngetops; g++) {
                sortValue val;
                if (sortLookupByPattern(c->db, getops[g], ele, &val))
                    sortSinkPush(list, val.p, val.len);
                else
                    sortSinkPush(list, "", 0); /* a list cannot hold a null */
            }
        }
        if (list) {
            setKey(c, c->db, storekey, list, 0);
            notifyKeyspaceEvent(NOTIFY_LIST, "sortstore", storekey, c->db->id);
            server.dirty += outputlen;
        } else if (dbDelete(c->db, storekey)) {
            signalModifiedKey(c, c->db, storekey);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", storekey, c->db->id);
            server.dirty++;
        }
        addReplyLongLong(c, outputlen);
    }
    sortVecFree(&v);
    zfree(getops);
}

/* SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC]
 *      [ALPHA] [STORE destination] */
void sortCommand(client *c) {
    sortGeneric(c, 0);
}

/* SORT_RO: SORT without STORE (which is then a syntax error). */
void sortRoCommand(client *c) {
    sortGeneric(c, 1);
}
