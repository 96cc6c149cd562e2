/* t_zset.c -- the sorted set type: both encodings' logic above the data
 * structures, the zset API of t_zset.h, and every Z* command.
 *
 * Encodings (see t_zset.h): a listpack of member, score pairs for small
 * sets, the zskiplist (skiplist + member index, zskiplist.c) beyond the
 * zset-max-listpack-entries/value thresholds.  Commands never look at the
 * encoding directly; they go through a handful of primitives that do:
 *   - zsetAdd / zsetDel / zsetScore / zsetRank   single members;
 *   - zsetIter                                   ordered walks from a rank;
 *   - rangeSeekScore / rangeSeekLex              the first element of a
 *                                                score or lex range, from
 *                                                either end.
 * (ZREMRANGEBY* and ZPOP* also delete by position, with lpDeleteRange* or
 * the zsl range deletions.)
 * Listpack operations are linear, which is the point of the encoding: it is
 * only used while the set is small enough for a scan to beat a pointer
 * chase.
 *
 * Scores in the listpack are written the way Redis writes them (integers
 * as listpack integers, other values as "%.17g" text, and a zero of either
 * sign as 0), so that listpack blobs are byte-identical to Redis's and
 * snapshots carry them verbatim.
 *
 * Range commands share one implementation (zrangeGeneric) whose output goes
 * to a rangeSink: either the client (ZRANGE & co., with RESP2 flat or RESP3
 * nested WITHSCORES pairs) or a new zset (ZRANGESTORE).  The set algebra
 * commands (ZUNION/ZINTER/ZDIFF, their STORE forms, ZINTERCARD) accept sets
 * as inputs with score 1, through t_set.h's iteration API, collect their
 * result as an array of (score, member) sorted once, and build the stored
 * value directly in the encoding that fits.
 *
 * Blocking pops (BZPOPMIN, BZPOPMAX, BZMPOP) use blocked.h; the pop itself is
 * the same code as ZPOPMIN/ZMPOP.
 *
 * Lex ranges over members of different scores are not in lex order; Redis
 * answers them with whatever its walk finds, and so do we, step for step
 * (the early "is anything in range" checks, signed counts).  Only for the
 * skiplist, whose shape is random in both servers, can the answers differ. */
#include "t_zset.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "blocked.h"
#include "commands.h"
#include "db.h"
#include "debug.h"
#include "keyspace.h"
#include "reply.h"
#include "server.h"
#include "t_set.h"
#include "util.h"
#include "zmalloc.h"

/* ------------------------------------------------------------------------
 * Small helpers
 * ---------------------------------------------------------------------- */

static inline int memberCmp(const void *a, size_t alen, const void *b, size_t blen) {
    size_t min = alen < blen ? alen : blen;
    int c = min ? memcmp(a, b, min) : 0;
    if (c) return c;
    return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

static inline const unsigned char *argBytes(robj *o, size_t *len) {
    *len = rstrLen(o->ptr);
    return (const unsigned char *)o->ptr;
}

/* Uniform random number in [0, n). */
static unsigned long randomBelow(unsigned long n) {
    unsigned long r = ((unsigned long)random() << 31) ^ (unsigned long)random();
    return r % n;
}

/* Redis's getRangeLongFromObjectOrReply: msg (when given) is the error for
 * both a non-integer and an out-of-range value. */
static int getRangeLongOrReply(client *c, robj *o, long min, long max, long *target,
                               const char *msg) {
    long long v;
    if (getLongLongFromObject(o, &v) != 0) {
        if (msg)
            addReplyError(c, msg);
        else
            addReplyErrorNotInteger(c);
        return C_ERR;
    }
    if (v < min || v > max) {
        if (msg)
            addReplyError(c, msg);
        else
            addReplyErrorFormat(c, "value is out of range, value must between %ld and %ld", min, max);
        return C_ERR;
    }
    *target = (long)v;
    return C_OK;
}

static int getLongOrReply(client *c, robj *o, long *target) {
    return getRangeLongOrReply(c, o, LONG_MIN, LONG_MAX, target, NULL);
}

static int getDoubleOrReply(client *c, robj *o, double *target, const char *msg) {
    if (getDoubleFromObject(o, target) != 0) {
        addReplyError(c, msg ? msg : "value is not a valid float");
        return C_ERR;
    }
    return C_OK;
}

/* ------------------------------------------------------------------------
 * Listpack encoding: member, score pairs sorted by (score, member)
 * ---------------------------------------------------------------------- */

static double zzlScore(unsigned char *sptr) {
    unsigned int slen;
    long long lval;
    unsigned char *s = lpGetValue(sptr, &slen, &lval);
    if (!s) return (double)lval;
    char buf[MAX_D2STRING_CHARS];
    if (slen >= sizeof(buf)) slen = sizeof(buf) - 1;
    memcpy(buf, s, slen);
    buf[slen] = '\0';
    return strtod(buf, NULL);
}

/* Bytes of the member element p (integers rendered into ibuf). */
static const unsigned char *zzlMember(unsigned char *p, size_t *len, unsigned char *ibuf) {
    int64_t count;
    const unsigned char *s = lpGet(p, &count, ibuf);
    *len = (size_t)count;
    return s;
}

static int zzlCmpMember(unsigned char *p, const void *ele, size_t len) {
    unsigned char ibuf[LP_INTBUF_SIZE];
    size_t mlen;
    const unsigned char *m = zzlMember(p, &mlen, ibuf);
    return memberCmp(m, mlen, ele, len);
}

static unsigned long zzlLength(unsigned char *lp) {
    return lpLength(lp) / 2;
}

/* The member element of ele, or NULL; *score receives its score. */
static unsigned char *zzlFind(unsigned char *lp, const void *ele, size_t len, double *score) {
    unsigned char *p = lpFirst(lp);
    if (!p) return NULL;
    p = lpFind(lp, p, ele, (uint32_t)len, 1);
    if (p && score) *score = zzlScore(lpNext(lp, p));
    return p;
}

/* Inserts the pair before element p (NULL: append). */
static unsigned char *zzlInsertAt(unsigned char *lp, unsigned char *p, const void *ele, size_t len,
                                  double score) {
    char sbuf[MAX_D2STRING_CHARS];
    /* A zero of either sign is written as the integer 0, as Redis does. */
    int slen = d2string(sbuf, sizeof(sbuf), score == 0 ? 0.0 : score);
    if (p == NULL) {
        lp = lpAppend(lp, ele, (uint32_t)len);
        lp = lpAppend(lp, (unsigned char *)sbuf, (uint32_t)slen);
    } else {
        unsigned char *newp;
        lp = lpInsertString(lp, ele, (uint32_t)len, p, LP_BEFORE, &newp);
        lp = lpInsertString(lp, (unsigned char *)sbuf, (uint32_t)slen, newp, LP_AFTER, NULL);
    }
    return lp;
}

static unsigned char *zzlInsert(unsigned char *lp, const void *ele, size_t len, double score) {
    unsigned char *p = lpFirst(lp);
    while (p) {
        unsigned char *sp = lpNext(lp, p);
        double s = zzlScore(sp);
        if (s > score || (s == score && zzlCmpMember(p, ele, len) > 0)) break;
        p = lpNext(lp, sp);
    }
    return zzlInsertAt(lp, p, ele, len, score);
}

/* ------------------------------------------------------------------------
 * The zset API (t_zset.h)
 * ---------------------------------------------------------------------- */

unsigned long zsetLength(const robj *zobj) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) return zzlLength(zobj->ptr);
    return ((const zskiplist *)zobj->ptr)->length;
}

static robj *createZsetListpackObject(void) {
    robj *o = createObject(OBJ_ZSET, lpNew(0));
    o->encoding = OBJ_ENCODING_LISTPACK;
    return o;
}

static robj *createZsetSkiplistObject(void) {
    robj *o = createObject(OBJ_ZSET, zslCreate());
    o->encoding = OBJ_ENCODING_SKIPLIST;
    return o;
}

robj *zsetTypeCreate(size_t size_hint, size_t maxelelen) {
    if (size_hint <= server.zset_max_listpack_entries && maxelelen <= server.zset_max_listpack_value)
        return createZsetListpackObject();
    return createZsetSkiplistObject();
}

void zsetConvertToSkiplist(robj *zobj) {
    if (zobj->encoding != OBJ_ENCODING_LISTPACK) return;
    unsigned char *lp = zobj->ptr;
    zskiplist *zsl = zslCreate();
    unsigned char ibuf[LP_INTBUF_SIZE];
    for (unsigned char *p = lpFirst(lp); p;) {
        unsigned char *sp = lpNext(lp, p);
        size_t len;
        const unsigned char *m = zzlMember(p, &len, ibuf);
        zslInsert(zsl, zzlScore(sp), m, len);
        p = lpNext(lp, sp);
    }
    lpFree(lp);
    zobj->ptr = zsl;
    zobj->encoding = OBJ_ENCODING_SKIPLIST;
}

/* Appends a pair at the end of a listpack (the caller keeps the order). */
static unsigned char *zzlAppend(unsigned char *lp, const void *ele, size_t len, double score) {
    return zzlInsertAt(lp, NULL, ele, len, score);
}

int zsetAdd(robj *zobj, double score, const void *ele, size_t len, int in_flags, int *out_flags,
            double *newscore) {
    int incr = (in_flags & ZADD_IN_INCR) != 0;
    int nx = (in_flags & ZADD_IN_NX) != 0;
    int xx = (in_flags & ZADD_IN_XX) != 0;
    int gt = (in_flags & ZADD_IN_GT) != 0;
    int lt = (in_flags & ZADD_IN_LT) != 0;
    *out_flags = 0;
    if (isnan(score)) {
        *out_flags = ZADD_OUT_NAN;
        return 0;
    }

    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        double cur;
        unsigned char *p = zzlFind(zobj->ptr, ele, len, &cur);
        if (p) {
            if (nx) {
                *out_flags |= ZADD_OUT_NOP;
                return 1;
            }
            if (incr) {
                score += cur;
                if (isnan(score)) {
                    *out_flags |= ZADD_OUT_NAN;
                    return 0;
                }
            }
            if ((lt && score >= cur) || (gt && score <= cur)) {
                *out_flags |= ZADD_OUT_NOP;
                return 1;
            }
            if (newscore) *newscore = score;
            if (score != cur) {
                unsigned char *lp = lpDeleteRangeWithEntry(zobj->ptr, &p, 2);
                zobj->ptr = zzlInsert(lp, ele, len, score);
                *out_flags |= ZADD_OUT_UPDATED;
            }
            return 1;
        }
        if (xx) {
            *out_flags |= ZADD_OUT_NOP;
            return 1;
        }
        /* Decide before inserting whether the listpack would outgrow the
         * thresholds, so the insert happens once, in the right encoding. */
        if (zzlLength(zobj->ptr) + 1 > server.zset_max_listpack_entries ||
            len > server.zset_max_listpack_value || !lpSafeToAdd(zobj->ptr, len)) {
            zsetConvertToSkiplist(zobj);
        } else {
            zobj->ptr = zzlInsert(zobj->ptr, ele, len, score);
            if (newscore) *newscore = score;
            *out_flags |= ZADD_OUT_ADDED;
            return 1;
        }
    }

    zskiplist *zsl = zobj->ptr;
    zskiplistNode *node = zslFind(zsl, ele, len);
    if (node) {
        if (nx) {
            *out_flags |= ZADD_OUT_NOP;
            return 1;
        }
        double cur = node->score;
        if (incr) {
            score += cur;
            if (isnan(score)) {
                *out_flags |= ZADD_OUT_NAN;
                return 0;
            }
        }
        if ((lt && score >= cur) || (gt && score <= cur)) {
            *out_flags |= ZADD_OUT_NOP;
            return 1;
        }
        if (newscore) *newscore = score;
        if (score != cur) {
            zslUpdateScore(zsl, node, score);
            *out_flags |= ZADD_OUT_UPDATED;
        }
        return 1;
    }
    if (xx) {
        *out_flags |= ZADD_OUT_NOP;
        return 1;
    }
    zslInsert(zsl, score, ele, len);
    if (newscore) *newscore = score;
    *out_flags |= ZADD_OUT_ADDED;
    return 1;
}

int zsetDel(robj *zobj, const void *ele, size_t len) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *p = zzlFind(zobj->ptr, ele, len, NULL);
        if (!p) return 0;
        zobj->ptr = lpDeleteRangeWithEntry(zobj->ptr, &p, 2);
        return 1;
    }
    return zslDelete(zobj->ptr, ele, len, NULL);
}

int zsetScore(robj *zobj, const void *ele, size_t len, double *score) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) return zzlFind(zobj->ptr, ele, len, score) != NULL;
    zskiplistNode *n = zslFind(zobj->ptr, ele, len);
    if (!n) return 0;
    *score = n->score;
    return 1;
}

long zsetRank(robj *zobj, const void *ele, size_t len, int reverse) {
    unsigned long llen = zsetLength(zobj);
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = zobj->ptr;
        unsigned long rank = 0;
        for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, lpNext(lp, p)), rank++) {
            if (lpCompare(p, ele, (uint32_t)len)) return (long)(reverse ? llen - 1 - rank : rank);
        }
        return -1;
    }
    zskiplist *zsl = zobj->ptr;
    zskiplistNode *n = zslFind(zsl, ele, len);
    if (!n) return -1;
    unsigned long rank = zslGetRank(zsl, n); /* 1-based */
    return (long)(reverse ? llen - rank : rank - 1);
}

void zsetIterInit(zsetIter *it, robj *zobj, unsigned long rank, int reverse) {
    it->zobj = zobj;
    it->reverse = reverse;
    it->p = NULL;
    it->node = NULL;
    unsigned long llen = zsetLength(zobj);
    if (rank >= llen) return;
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        it->p = lpSeek(zobj->ptr, reverse ? -(long)(2 * rank) - 2 : (long)(2 * rank));
    } else {
        it->node = zslGetByRank(zobj->ptr, reverse ? llen - rank : rank + 1);
    }
}

/* Current element without advancing; 0 at the end. */
static int zsetIterPeek(zsetIter *it, const unsigned char **ele, size_t *len, double *score) {
    if (it->zobj->encoding == OBJ_ENCODING_LISTPACK) {
        if (!it->p) return 0;
        *ele = zzlMember(it->p, len, it->ibuf);
        if (score) *score = zzlScore(lpNext(it->zobj->ptr, it->p));
        return 1;
    }
    if (!it->node) return 0;
    *ele = zslNodeMember(it->node);
    *len = it->node->len;
    if (score) *score = it->node->score;
    return 1;
}

static void zsetIterAdvance(zsetIter *it) {
    if (it->zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = it->zobj->ptr;
        if (!it->p) return;
        if (it->reverse) {
            unsigned char *sp = lpPrev(lp, it->p);
            it->p = sp ? lpPrev(lp, sp) : NULL;
        } else {
            it->p = lpNext(lp, lpNext(lp, it->p));
        }
    } else if (it->node) {
        it->node = it->reverse ? it->node->backward : zslNodeNext(it->node);
    }
}

int zsetIterNext(zsetIter *it, const unsigned char **ele, size_t *len, double *score) {
    if (!zsetIterPeek(it, ele, len, score)) return 0;
    zsetIterAdvance(it);
    return 1;
}

/* Positions it on the first element inside the score range, walking from
 * the low end (or from the high end when reverse).  Returns 0 if the range
 * holds nothing (the iterator is then at its end). */
static int rangeSeekScore(zsetIter *it, robj *zobj, const zrangespec *r, int reverse) {
    it->zobj = zobj;
    it->reverse = reverse;
    it->p = NULL;
    it->node = NULL;
    if (zslIsEmptyRange(r)) return 0;
    if (zobj->encoding == OBJ_ENCODING_SKIPLIST) {
        zskiplist *zsl = zobj->ptr;
        it->node = reverse ? zslLastInRange(zsl, r) : zslFirstInRange(zsl, r);
        return it->node != NULL;
    }
    unsigned char *lp = zobj->ptr;
    if (!reverse) {
        for (unsigned char *p = lpFirst(lp); p;) {
            unsigned char *sp = lpNext(lp, p);
            double s = zzlScore(sp);
            if (zslValueGteMin(s, r)) {
                if (!zslValueLteMax(s, r)) return 0;
                it->p = p;
                return 1;
            }
            p = lpNext(lp, sp);
        }
    } else {
        for (unsigned char *sp = lpLast(lp); sp;) {
            unsigned char *p = lpPrev(lp, sp);
            double s = zzlScore(sp);
            if (zslValueLteMax(s, r)) {
                if (!zslValueGteMin(s, r)) return 0;
                it->p = p;
                return 1;
            }
            sp = lpPrev(lp, p);
        }
    }
    return 0;
}

static int rangeSeekLex(zsetIter *it, robj *zobj, const zlexrangespec *r, int reverse) {
    it->zobj = zobj;
    it->reverse = reverse;
    it->p = NULL;
    it->node = NULL;
    if (zslIsEmptyLexRange(r)) return 0;
    if (zobj->encoding == OBJ_ENCODING_SKIPLIST) {
        zskiplist *zsl = zobj->ptr;
        it->node = reverse ? zslLastInLexRange(zsl, r) : zslFirstInLexRange(zsl, r);
        return it->node != NULL;
    }
    unsigned char *lp = zobj->ptr;
    unsigned char ibuf[LP_INTBUF_SIZE];
    size_t len;
    /* Like the skiplist, give up early unless the last member is >= min
     * and the first <= max.  With mixed scores the members are not in lex
     * order and this check is visible, so it must match Redis's. */
    unsigned char *last = lpLast(lp);
    if (!last) return 0;
    const unsigned char *m = zzlMember(lpPrev(lp, last), &len, ibuf);
    if (!zslLexValueGteMin(m, len, r)) return 0;
    m = zzlMember(lpFirst(lp), &len, ibuf);
    if (!zslLexValueLteMax(m, len, r)) return 0;
    if (!reverse) {
        for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, lpNext(lp, p))) {
            m = zzlMember(p, &len, ibuf);
            if (zslLexValueGteMin(m, len, r)) {
                if (!zslLexValueLteMax(m, len, r)) return 0;
                it->p = p;
                return 1;
            }
        }
    } else {
        for (unsigned char *sp = lpLast(lp); sp;) {
            unsigned char *p = lpPrev(lp, sp);
            m = zzlMember(p, &len, ibuf);
            if (zslLexValueLteMax(m, len, r)) {
                if (!zslLexValueGteMin(m, len, r)) return 0;
                it->p = p;
                return 1;
            }
            sp = lpPrev(lp, p);
        }
    }
    return 0;
}

robj *zsetDup(robj *zobj) {
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = zobj->ptr;
        robj *o = createObject(OBJ_ZSET, zmemdup(lp, lpBytes(lp)));
        o->encoding = OBJ_ENCODING_LISTPACK;
        return o;
    }
    robj *o = createZsetSkiplistObject();
    zskiplist *src = zobj->ptr, *dst = o->ptr;
    for (zskiplistNode *n = zslFirst(src); n; n = zslNodeNext(n))
        zslInsert(dst, n->score, zslNodeMember(n), n->len);
    return o;
}

/* ------------------------------------------------------------------------
 * Type registration
 * ---------------------------------------------------------------------- */

static void zsetFreePayload(robj *o) {
    if (o->encoding == OBJ_ENCODING_LISTPACK)
        lpFree(o->ptr);
    else
        zslFree(o->ptr);
}

static size_t zsetFreeEffort(robj *o) {
    /* One allocation per member for the skiplist, one blob otherwise. */
    return o->encoding == OBJ_ENCODING_SKIPLIST ? ((zskiplist *)o->ptr)->length : 1;
}

static void zsetDigest(robj *o, unsigned char digest[DEBUG_DIGEST_LEN]) {
    /* Rank order, member then score text: the same for both encodings. */
    zsetIter it;
    const unsigned char *m;
    size_t len;
    double score;
    zsetIterInit(&it, o, 0, 0);
    while (zsetIterNext(&it, &m, &len, &score)) {
        char buf[MAX_D2STRING_CHARS];
        int slen = d2string(buf, sizeof(buf), score);
        debugDigestMix(digest, m, len);
        debugDigestMix(digest, buf, (size_t)slen);
    }
}

void zsetTypeInit(void) {
    blockedInit();
    objectSetFreeFunction(OBJ_ZSET, zsetFreePayload);
    objectSetDupFunction(OBJ_ZSET, zsetDup);
    lazyfreeSetEffortFunction(OBJ_ZSET, zsetFreeEffort);
    debugSetValueDigestFunction(OBJ_ZSET, zsetDigest);
}

/* ------------------------------------------------------------------------
 * Range parsing
 * ---------------------------------------------------------------------- */

/* One bound of a score range: "(x" exclusive, "x" inclusive.  Parsed with
 * strtod as Redis does, so "", " 1", "0x10" and "inf" are all accepted;
 * NaN and trailing bytes are not. */
static int parseScoreBound(robj *o, double *v, int *ex) {
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *s = stringObjectBytes(o, buf, sizeof(buf), &len);
    (void)len;
    char *end;
    *ex = 0;
    if (s[0] == '(') {
        *ex = 1;
        s++;
    }
    *v = strtod(s, &end);
    if (end[0] != '\0' || isnan(*v)) return C_ERR;
    return C_OK;
}

static int parseScoreRange(robj *min, robj *max, zrangespec *r) {
    if (parseScoreBound(min, &r->min, &r->minex) != C_OK) return C_ERR;
    if (parseScoreBound(max, &r->max, &r->maxex) != C_OK) return C_ERR;
    return C_OK;
}

/* "[x" inclusive, "(x" exclusive, "-" and "+" the infinities.  The bound
 * points into the argument, which outlives the command. */
static int parseLexBound(robj *o, zlexbound *b) {
    const unsigned char *s = o->ptr;
    size_t len = rstrLen(o->ptr);
    b->inf = 0;
    b->s = NULL;
    b->len = 0;
    switch (s[0]) {
    case '+':
    case '-':
        if (s[1] != '\0') return C_ERR;
        b->inf = s[0] == '+' ? 1 : -1;
        b->ex = 1;
        return C_OK;
    case '(':
    case '[':
        b->ex = s[0] == '(';
        b->s = s + 1;
        b->len = len - 1;
        return C_OK;
    default: return C_ERR;
    }
}

static int parseLexRange(robj *min, robj *max, zlexrangespec *r) {
    if (min->encoding == OBJ_ENCODING_INT || max->encoding == OBJ_ENCODING_INT) return C_ERR;
    if (parseLexBound(min, &r->min) != C_OK || parseLexBound(max, &r->max) != C_OK) return C_ERR;
    return C_OK;
}

/* ------------------------------------------------------------------------
 * ZADD, ZINCRBY
 * ---------------------------------------------------------------------- */

static void zaddGeneric(client *c, int flags) {
    robj *key = c->argv[1];
    int scoreidx = 2;
    int ch = 0;
    /* Options come first; the first word that is not one starts the pairs. */
    while (scoreidx < c->argc) {
        const char *opt = c->argv[scoreidx]->ptr;
        if (!strcasecmp(opt, "nx"))
            flags |= ZADD_IN_NX;
        else if (!strcasecmp(opt, "xx"))
            flags |= ZADD_IN_XX;
        else if (!strcasecmp(opt, "ch"))
            ch = 1;
        else if (!strcasecmp(opt, "incr"))
            flags |= ZADD_IN_INCR;
        else if (!strcasecmp(opt, "gt"))
            flags |= ZADD_IN_GT;
        else if (!strcasecmp(opt, "lt"))
            flags |= ZADD_IN_LT;
        else
            break;
        scoreidx++;
    }
    int incr = (flags & ZADD_IN_INCR) != 0, nx = (flags & ZADD_IN_NX) != 0;
    int xx = (flags & ZADD_IN_XX) != 0, gt = (flags & ZADD_IN_GT) != 0, lt = (flags & ZADD_IN_LT) != 0;

    long elements = c->argc - scoreidx;
    if (elements % 2 || !elements) {
        addReplyErrorSyntax(c);
        return;
    }
    elements /= 2;
    if (nx && xx) {
        addReplyError(c, "XX and NX options at the same time are not compatible");
        return;
    }
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
        addReplyError(c, "GT, LT, and/or NX options at the same time are not compatible");
        return;
    }
    if (incr && elements > 1) {
        addReplyError(c, "INCR option supports a single increment-element pair");
        return;
    }

    /* Parse every score before touching the key: all or nothing. */
    double *scores = zmalloc(sizeof(double) * (size_t)elements);
    for (long j = 0; j < elements; j++) {
        if (getDoubleOrReply(c, c->argv[scoreidx + j * 2], &scores[j], NULL) != C_OK) {
            zfree(scores);
            return;
        }
    }

    robj *zobj = lookupKeyWrite(c->db, key);
    if (checkType(c, zobj, OBJ_ZSET)) {
        zfree(scores);
        return;
    }
    int created = 0;
    long added = 0, updated = 0, processed = 0;
    double score = 0;
    if (zobj == NULL) {
        if (xx) goto reply; /* nothing to update in a missing key */
        /* Redis 7.0 sizes a new key on its first member only; later adds
         * convert as needed. */
        size_t firstlen = rstrLen(c->argv[scoreidx + 1]->ptr);
        if (server.zset_max_listpack_entries == 0 || server.zset_max_listpack_value < firstlen)
            zobj = createZsetSkiplistObject();
        else
            zobj = createZsetListpackObject();
        created = 1;
    }
    for (long j = 0; j < elements; j++) {
        size_t len;
        const unsigned char *ele = argBytes(c->argv[scoreidx + j * 2 + 1], &len);
        int out;
        double newscore = 0;
        if (!zsetAdd(zobj, scores[j], ele, len, flags, &out, &newscore)) {
            addReplyError(c, "resulting score is not a number (NaN)");
            goto cleanup;
        }
        if (out & ZADD_OUT_ADDED) added++;
        if (out & ZADD_OUT_UPDATED) updated++;
        if (!(out & ZADD_OUT_NOP)) processed++;
        score = newscore;
    }
    /* A new key joins the keyspace before the reply, so its "new" event
     * precedes the reply and "zadd" follows it, in Redis's order (visible
     * to a RESP3 client subscribed to its own keyspace events). */
    if (created) {
        if (zsetLength(zobj) > 0)
            dbAdd(c->db, key, zobj);
        else
            decrRefCount(zobj);
        created = 0;
    }

reply:
    if (incr) {
        if (processed)
            addReplyDouble(c, score);
        else
            addReplyNull(c);
    } else {
        addReplyLongLong(c, ch ? added + updated : added);
    }

cleanup:
    if (created) {
        if (zsetLength(zobj) > 0)
            dbAdd(c->db, key, zobj);
        else
            decrRefCount(zobj);
    }
    zfree(scores);
    if (added || updated) {
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_ZSET, incr ? "zincr" : "zadd", key, c->db->id);
    }
    server.dirty += added + updated;
}

void zaddCommand(client *c) {
    zaddGeneric(c, ZADD_IN_NONE);
}

void zincrbyCommand(client *c) {
    zaddGeneric(c, ZADD_IN_INCR);
}

/* ------------------------------------------------------------------------
 * ZREM, ZREMRANGEBY*
 * ---------------------------------------------------------------------- */

/* Deletes the key when its zset became empty, with Redis's "del" event. */
static int deleteIfEmpty(client *c, robj *key, robj *zobj) {
    if (zsetLength(zobj) != 0) return 0;
    dbDelete(c->db, key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
    return 1;
}

void zremCommand(client *c) {
    robj *key = c->argv[1];
    robj *zobj = lookupKeyWriteOrReply(c, key, shared.czero);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;
    long deleted = 0;
    int keyremoved = 0;
    for (int j = 2; j < c->argc; j++) {
        size_t len;
        const unsigned char *ele = argBytes(c->argv[j], &len);
        if (zsetDel(zobj, ele, len)) deleted++;
        if (zsetLength(zobj) == 0) {
            dbDelete(c->db, key);
            keyremoved = 1;
            break;
        }
    }
    if (deleted) {
        notifyKeyspaceEvent(NOTIFY_ZSET, "zrem", key, c->db->id);
        if (keyremoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
        signalModifiedKey(c, c->db, key);
        server.dirty += deleted;
    }
    addReplyLongLong(c, deleted);
}

#define ZRANGE_RANK 0
#define ZRANGE_SCORE 1
#define ZRANGE_LEX 2

static void zremrangeGeneric(client *c, int type) {
    robj *key = c->argv[1];
    long start = 0, end = 0;
    zrangespec range;
    zlexrangespec lexrange;
    if (type == ZRANGE_RANK) {
        if (getLongOrReply(c, c->argv[2], &start) != C_OK) return;
        if (getLongOrReply(c, c->argv[3], &end) != C_OK) return;
    } else if (type == ZRANGE_SCORE) {
        if (parseScoreRange(c->argv[2], c->argv[3], &range) != C_OK) {
            addReplyError(c, "min or max is not a float");
            return;
        }
    } else {
        if (parseLexRange(c->argv[2], c->argv[3], &lexrange) != C_OK) {
            addReplyError(c, "min or max not valid string range item");
            return;
        }
    }

    robj *zobj = lookupKeyWriteOrReply(c, key, shared.czero);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;

    unsigned long deleted = 0;
    if (type == ZRANGE_RANK) {
        long llen = (long)zsetLength(zobj);
        if (start < 0) start = llen + start;
        if (end < 0) end = llen + end;
        if (start < 0) start = 0;
        if (start > end || start >= llen) {
            addReplyLongLong(c, 0);
            return;
        }
        if (end >= llen) end = llen - 1;
        if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
            zobj->ptr = lpDeleteRange(zobj->ptr, 2 * start, (unsigned long)(2 * (end - start + 1)));
            deleted = (unsigned long)(end - start + 1);
        } else {
            deleted = zslDeleteRangeByRank(zobj->ptr, (unsigned long)start + 1,
                                           (unsigned long)end + 1, NULL, NULL);
        }
    } else if (zobj->encoding == OBJ_ENCODING_SKIPLIST) {
        deleted = type == ZRANGE_SCORE ? zslDeleteRangeByScore(zobj->ptr, &range, NULL, NULL)
                                       : zslDeleteRangeByLex(zobj->ptr, &lexrange, NULL, NULL);
    } else {
        zsetIter it;
        int found = type == ZRANGE_SCORE ? rangeSeekScore(&it, zobj, &range, 0)
                                         : rangeSeekLex(&it, zobj, &lexrange, 0);
        if (found) {
            unsigned char *first = it.p;
            const unsigned char *m;
            size_t len;
            double score;
            while (zsetIterPeek(&it, &m, &len, &score)) {
                if (type == ZRANGE_SCORE ? !zslValueLteMax(score, &range)
                                         : !zslLexValueLteMax(m, len, &lexrange))
                    break;
                deleted++;
                zsetIterAdvance(&it);
            }
            zobj->ptr = lpDeleteRangeWithEntry(zobj->ptr, &first, 2 * deleted);
        }
    }

    if (deleted) {
        static const char *events[] = {"zremrangebyrank", "zremrangebyscore", "zremrangebylex"};
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_ZSET, events[type], key, c->db->id);
        deleteIfEmpty(c, key, zobj);
    }
    server.dirty += (long long)deleted;
    addReplyLongLong(c, (long long)deleted);
}

void zremrangebyrankCommand(client *c) {
    zremrangeGeneric(c, ZRANGE_RANK);
}

void zremrangebyscoreCommand(client *c) {
    zremrangeGeneric(c, ZRANGE_SCORE);
}

void zremrangebylexCommand(client *c) {
    zremrangeGeneric(c, ZRANGE_LEX);
}

/* ------------------------------------------------------------------------
 * ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZCOUNT, ZLEXCOUNT
 * ---------------------------------------------------------------------- */

void zcardCommand(client *c) {
    robj *zobj = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;
    addReplyLongLong(c, (long long)zsetLength(zobj));
}

void zscoreCommand(client *c) {
    robj *zobj = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, zobj, OBJ_ZSET)) return;
    size_t len;
    const unsigned char *ele = argBytes(c->argv[2], &len);
    double score;
    if (zobj && zsetScore(zobj, ele, len, &score))
        addReplyDouble(c, score);
    else
        addReplyNull(c);
}

void zmscoreCommand(client *c) {
    robj *zobj = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, zobj, OBJ_ZSET)) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        size_t len;
        const unsigned char *ele = argBytes(c->argv[j], &len);
        double score;
        if (zobj && zsetScore(zobj, ele, len, &score))
            addReplyDouble(c, score);
        else
            addReplyNull(c);
    }
}

static void zrankGeneric(client *c, int reverse) {
    robj *zobj = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, zobj, OBJ_ZSET)) return;
    if (!zobj) {
        addReplyNull(c);
        return;
    }
    size_t len;
    const unsigned char *ele = argBytes(c->argv[2], &len);
    long rank = zsetRank(zobj, ele, len, reverse);
    if (rank < 0)
        addReplyNull(c);
    else
        addReplyLongLong(c, rank);
}

void zrankCommand(client *c) {
    zrankGeneric(c, 0);
}

void zrevrankCommand(client *c) {
    zrankGeneric(c, 1);
}

/* Number of elements from the iterator's position on that stay in range. */
static unsigned long countInRange(zsetIter *it, int type, const zrangespec *r,
                                  const zlexrangespec *lr) {
    unsigned long count = 0;
    const unsigned char *m;
    size_t len;
    double score;
    while (zsetIterNext(it, &m, &len, &score)) {
        if (type == ZRANGE_SCORE ? !zslValueLteMax(score, r) : !zslLexValueLteMax(m, len, lr))
            break;
        count++;
    }
    return count;
}

static void zcountGeneric(client *c, int type) {
    zrangespec range;
    zlexrangespec lexrange;
    if (type == ZRANGE_SCORE) {
        if (parseScoreRange(c->argv[2], c->argv[3], &range) != C_OK) {
            addReplyError(c, "min or max is not a float");
            return;
        }
    } else if (parseLexRange(c->argv[2], c->argv[3], &lexrange) != C_OK) {
        addReplyError(c, "min or max not valid string range item");
        return;
    }
    robj *zobj = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;

    long long count = 0;
    if (zobj->encoding == OBJ_ENCODING_SKIPLIST) {
        /* Two rank lookups instead of a walk: O(log n).  Signed, and with
         * the same steps as Redis: members of different scores are not in
         * lex order, and there a lex "count" can come out odd (even
         * negative); it must come out the same. */
        zskiplist *zsl = zobj->ptr;
        long long len = (long long)zsl->length;
        zskiplistNode *first = type == ZRANGE_SCORE ? zslFirstInRange(zsl, &range)
                                                    : zslFirstInLexRange(zsl, &lexrange);
        if (first) {
            count = len - ((long long)zslGetRank(zsl, first) - 1);
            zskiplistNode *last = type == ZRANGE_SCORE ? zslLastInRange(zsl, &range)
                                                       : zslLastInLexRange(zsl, &lexrange);
            if (last) count -= len - (long long)zslGetRank(zsl, last);
        }
    } else {
        zsetIter it;
        int found = type == ZRANGE_SCORE ? rangeSeekScore(&it, zobj, &range, 0)
                                         : rangeSeekLex(&it, zobj, &lexrange, 0);
        if (found) count = (long long)countInRange(&it, type, &range, &lexrange);
    }
    addReplyLongLong(c, count);
}

void zcountCommand(client *c) {
    zcountGeneric(c, ZRANGE_SCORE);
}

void zlexcountCommand(client *c) {
    zcountGeneric(c, ZRANGE_LEX);
}

/* ------------------------------------------------------------------------
 * Range output: to the client or into a new zset (ZRANGESTORE)
 * ---------------------------------------------------------------------- */

typedef struct rangeSink {
    client *c;
    int withscores;
    robj *dstkey;   /* ZRANGESTORE destination, NULL when replying */
    robj *dst;      /* the zset being built */
    void *deferred; /* deferred array length when the count is unknown */
    long count;
} rangeSink;

/* length: the exact number of elements that will be emitted, or -1. */
static void sinkBegin(rangeSink *s, long length) {
    s->count = 0;
    s->deferred = NULL;
    if (s->dstkey) {
        s->dst = zsetTypeCreate(length > 0 ? (size_t)length : 0, 0);
        return;
    }
    if (length > 0) {
        addReplyArrayLen(s->c, s->withscores && s->c->resp == 2 ? length * 2 : length);
    } else {
        s->deferred = addReplyDeferredLen(s->c);
    }
}

static void sinkEmit(rangeSink *s, const unsigned char *ele, size_t len, double score) {
    s->count++;
    if (s->dstkey) {
        int out;
        zsetAdd(s->dst, score, ele, len, ZADD_IN_NONE, &out, NULL);
        return;
    }
    /* RESP3 WITHSCORES: [member, score] pairs, not a map, so that clients
     * keep the order. */
    if (s->withscores && s->c->resp > 2) addReplyArrayLen(s->c, 2);
    addReplyBulkCBuffer(s->c, ele, len);
    if (s->withscores) addReplyDouble(s->c, score);
}

static void sinkEnd(rangeSink *s) {
    client *c = s->c;
    if (!s->dstkey) {
        if (s->deferred)
            setDeferredArrayLen(c, s->deferred,
                                s->withscores && c->resp == 2 ? s->count * 2 : s->count);
        return;
    }
    if (s->count) {
        setKey(c, c->db, s->dstkey, s->dst, 0);
        addReplyLongLong(c, s->count);
        notifyKeyspaceEvent(NOTIFY_ZSET, "zrangestore", s->dstkey, c->db->id);
        server.dirty++;
    } else {
        decrRefCount(s->dst);
        addReplyLongLong(c, 0);
        if (dbDelete(c->db, s->dstkey)) {
            signalModifiedKey(c, c->db, s->dstkey);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", s->dstkey, c->db->id);
            server.dirty++;
        }
    }
    s->dst = NULL;
}

static void rangeByRank(rangeSink *s, robj *zobj, long start, long end, int reverse) {
    long llen = (long)zsetLength(zobj);
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) {
        sinkBegin(s, 0);
        sinkEnd(s);
        return;
    }
    if (end >= llen) end = llen - 1;
    long rangelen = end - start + 1;
    sinkBegin(s, rangelen);
    zsetIter it;
    zsetIterInit(&it, zobj, (unsigned long)start, reverse);
    const unsigned char *m;
    size_t len;
    double score;
    while (rangelen-- && zsetIterNext(&it, &m, &len, &score)) sinkEmit(s, m, len, score);
    sinkEnd(s);
}

/* Score and lex ranges: skip offset elements (a negative offset skips
 * everything, as in Redis), then emit up to limit (negative: no limit). */
static void rangeByScoreOrLex(rangeSink *s, robj *zobj, int type, const zrangespec *r,
                              const zlexrangespec *lr, long offset, long limit, int reverse) {
    sinkBegin(s, -1);
    zsetIter it;
    int found = type == ZRANGE_SCORE ? rangeSeekScore(&it, zobj, r, reverse)
                                     : rangeSeekLex(&it, zobj, lr, reverse);
    if (found && offset >= 0 && (offset == 0 || (unsigned long)offset < zsetLength(zobj))) {
        const unsigned char *m;
        size_t len;
        double score;
        while (offset > 0 && zsetIterPeek(&it, &m, &len, NULL)) {
            zsetIterAdvance(&it);
            offset--;
        }
        while (limit-- != 0 && zsetIterNext(&it, &m, &len, &score)) {
            int in;
            if (type == ZRANGE_SCORE)
                in = reverse ? zslValueGteMin(score, r) : zslValueLteMax(score, r);
            else
                in = reverse ? zslLexValueGteMin(m, len, lr) : zslLexValueLteMax(m, len, lr);
            if (!in) break;
            sinkEmit(s, m, len, score);
        }
    }
    sinkEnd(s);
}

#define DIR_AUTO 0
#define DIR_FORWARD 1
#define DIR_REVERSE 2
#define ZRANGE_AUTO 3

/* The whole ZRANGE family.  argc_start is the index of the source key;
 * type and dir are fixed by the legacy commands, or AUTO for ZRANGE and
 * ZRANGESTORE, whose options choose them. */
static void zrangeGeneric(client *c, int argc_start, robj *dstkey, int type, int dir) {
    robj *key = c->argv[argc_start];
    int minidx = argc_start + 1, maxidx = argc_start + 2;
    int withscores = 0;
    long offset = 0, limit = -1;
    int store = dstkey != NULL;

    for (int j = argc_start + 3; j < c->argc; j++) {
        int leftargs = c->argc - j - 1;
        const char *opt = c->argv[j]->ptr;
        if (!store && !strcasecmp(opt, "withscores")) {
            withscores = 1;
        } else if (!strcasecmp(opt, "limit") && leftargs >= 2) {
            if (getLongOrReply(c, c->argv[j + 1], &offset) != C_OK) return;
            if (getLongOrReply(c, c->argv[j + 2], &limit) != C_OK) return;
            j += 2;
        } else if (dir == DIR_AUTO && !strcasecmp(opt, "rev")) {
            dir = DIR_REVERSE;
        } else if (type == ZRANGE_AUTO && !strcasecmp(opt, "bylex")) {
            type = ZRANGE_LEX;
        } else if (type == ZRANGE_AUTO && !strcasecmp(opt, "byscore")) {
            type = ZRANGE_SCORE;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    if (dir == DIR_AUTO) dir = DIR_FORWARD;
    if (type == ZRANGE_AUTO) type = ZRANGE_RANK;

    if (limit != -1 && type == ZRANGE_RANK) {
        addReplyError(c, "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        return;
    }
    if (withscores && type == ZRANGE_LEX) {
        addReplyError(c, "syntax error, WITHSCORES not supported in combination with BYLEX");
        return;
    }
    int reverse = dir == DIR_REVERSE;
    /* Reversed score and lex ranges are written max first. */
    if (reverse && type != ZRANGE_RANK) {
        int tmp = minidx;
        minidx = maxidx;
        maxidx = tmp;
    }

    long start = 0, end = 0;
    zrangespec range;
    zlexrangespec lexrange;
    if (type == ZRANGE_RANK) {
        if (getLongOrReply(c, c->argv[minidx], &start) != C_OK) return;
        if (getLongOrReply(c, c->argv[maxidx], &end) != C_OK) return;
    } else if (type == ZRANGE_SCORE) {
        if (parseScoreRange(c->argv[minidx], c->argv[maxidx], &range) != C_OK) {
            addReplyError(c, "min or max is not a float");
            return;
        }
    } else if (parseLexRange(c->argv[minidx], c->argv[maxidx], &lexrange) != C_OK) {
        addReplyError(c, "min or max not valid string range item");
        return;
    }

    rangeSink sink = {.c = c, .withscores = withscores, .dstkey = dstkey};
    robj *zobj = lookupKeyRead(c->db, key);
    if (zobj == NULL) {
        if (store) {
            sinkBegin(&sink, -1);
            sinkEnd(&sink);
        } else {
            addReplyEmptyArray(c);
        }
        return;
    }
    if (checkType(c, zobj, OBJ_ZSET)) return;

    if (type == ZRANGE_RANK)
        rangeByRank(&sink, zobj, start, end, reverse);
    else
        rangeByScoreOrLex(&sink, zobj, type, &range, &lexrange, offset, limit, reverse);
}

void zrangeCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_AUTO, DIR_AUTO);
}

void zrangestoreCommand(client *c) {
    zrangeGeneric(c, 2, c->argv[1], ZRANGE_AUTO, DIR_AUTO);
}

void zrevrangeCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_RANK, DIR_REVERSE);
}

void zrangebyscoreCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_SCORE, DIR_FORWARD);
}

void zrevrangebyscoreCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_SCORE, DIR_REVERSE);
}

void zrangebylexCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_LEX, DIR_FORWARD);
}

void zrevrangebylexCommand(client *c) {
    zrangeGeneric(c, 1, NULL, ZRANGE_LEX, DIR_REVERSE);
}

/* ------------------------------------------------------------------------
 * ZPOPMIN, ZPOPMAX, ZMPOP (and the pop behind the blocking variants)
 * ---------------------------------------------------------------------- */

#define ZSET_MIN 0
#define ZSET_MAX 1

/* Pops up to count elements from the first non-empty key of keyv and
 * replies.  emitkey: the reply names the key (BZPOP*, *MPOP); nested: each
 * element is a [member, score] array; count -1 is the plain single pop.
 * Replies the empty reply (null array when nil_when_empty) when every key
 * is missing.  Returns 1 when something was popped. */
static int zpopGeneric(client *c, robj **keyv, int keyc, int where, int emitkey, long count,
                       int nested, int nil_when_empty) {
    robj *key = NULL, *zobj = NULL;
    for (int i = 0; i < keyc; i++) {
        key = keyv[i];
        zobj = lookupKeyWrite(c->db, key);
        if (!zobj) continue;
        if (checkType(c, zobj, OBJ_ZSET)) return 0;
        break;
    }
    if (!zobj) {
        if (nil_when_empty)
            addReplyNullArray(c);
        else
            addReplyEmptyArray(c);
        return 0;
    }
    if (count == 0) {
        addReplyEmptyArray(c);
        return 0;
    }
    if (count == -1) count = 1;
    long llen = (long)zsetLength(zobj);
    long rangelen = count > llen ? llen : count;

    if (!nested && !emitkey) {
        addReplyArrayLen(c, rangelen * 2);
    } else if (nested && !emitkey) {
        addReplyArrayLen(c, rangelen);
    } else if (!nested && emitkey) {
        addReplyArrayLen(c, rangelen * 2 + 1);
        addReplyBulk(c, key);
    } else {
        addReplyArrayLen(c, 2);
        addReplyBulk(c, key);
        addReplyArrayLen(c, rangelen);
    }

    for (long i = 0; i < rangelen; i++) {
        zsetIter it;
        const unsigned char *m;
        size_t len;
        double score;
        zsetIterInit(&it, zobj, 0, where == ZSET_MAX);
        zsetIterNext(&it, &m, &len, &score);
        if (nested) addReplyArrayLen(c, 2);
        addReplyBulkCBuffer(c, m, len);
        addReplyDouble(c, score);
        /* Delete by position: m may point into the element itself. */
        if (zobj->encoding == OBJ_ENCODING_LISTPACK)
            zobj->ptr = lpDeleteRange(zobj->ptr, where == ZSET_MAX ? -2 : 0, 2);
        else
            zslDelete(zobj->ptr, m, len, NULL);
        server.dirty++;
        if (i == 0) {
            notifyKeyspaceEvent(NOTIFY_ZSET, where == ZSET_MAX ? "zpopmax" : "zpopmin", key,
                                c->db->id);
            signalModifiedKey(c, c->db, key);
        }
    }
    deleteIfEmpty(c, key, zobj);
    return 1;
}

static void zpopMinMax(client *c, int where) {
    if (c->argc > 3) {
        addReplyErrorSyntax(c);
        return;
    }
    long count = -1;
    if (c->argc == 3 &&
        getRangeLongOrReply(c, c->argv[2], 0, LONG_MAX, &count,
                            "value is out of range, must be positive") != C_OK)
        return;
    /* RESP3 with an explicit count: nested pairs. */
    int nested = c->resp > 2 && count != -1;
    zpopGeneric(c, &c->argv[1], 1, where, 0, count, nested, 0);
}

void zpopminCommand(client *c) {
    zpopMinMax(c, ZSET_MIN);
}

void zpopmaxCommand(client *c) {
    zpopMinMax(c, ZSET_MAX);
}

/* Parses "numkeys key... MIN|MAX [COUNT n]" from argv[numkeys_idx]. */
static int parseMpopOrReply(client *c, int numkeys_idx, long *numkeys, int *where, long *count) {
    if (getRangeLongOrReply(c, c->argv[numkeys_idx], 1, LONG_MAX, numkeys,
                            "numkeys should be greater than 0") != C_OK)
        return C_ERR;
    long where_idx = numkeys_idx + *numkeys + 1;
    if (*numkeys > c->argc || where_idx >= c->argc) {
        addReplyErrorSyntax(c);
        return C_ERR;
    }
    const char *w = c->argv[where_idx]->ptr;
    if (!strcasecmp(w, "min")) {
        *where = ZSET_MIN;
    } else if (!strcasecmp(w, "max")) {
        *where = ZSET_MAX;
    } else {
        addReplyErrorSyntax(c);
        return C_ERR;
    }
    *count = -1;
    for (long j = where_idx + 1; j < c->argc; j++) {
        int moreargs = c->argc - 1 - (int)j;
        if (*count == -1 && !strcasecmp(c->argv[j]->ptr, "count") && moreargs) {
            j++;
            if (getRangeLongOrReply(c, c->argv[j], 1, LONG_MAX, count,
                                    "count should be greater than 0") != C_OK)
                return C_ERR;
        } else {
            addReplyErrorSyntax(c);
            return C_ERR;
        }
    }
    if (*count == -1) *count = 1;
    return C_OK;
}

void zmpopCommand(client *c) {
    long numkeys, count;
    int where;
    if (parseMpopOrReply(c, 1, &numkeys, &where, &count) != C_OK) return;
    zpopGeneric(c, c->argv + 2, (int)numkeys, where, 1, count, 1, 1);
}

/* The blocking pops.  keys: the candidates in command-line order; the
 * reply has the shape of the non-blocking twin with the key in it.  See
 * blocked.h for the re-execution contract: when blocked.c re-runs the
 * command because a key became ready, only that key is tried. */
static void blockingZpop(client *c, robj **keys, int numkeys, int where, long long timeout,
                         long count, int nested) {
    robj *ready = blockedReadyKey(c);
    if (ready) {
        robj *o = lookupKeyWrite(c->db, ready);
        if (o && o->type == OBJ_ZSET && zsetLength(o) > 0) {
            zpopGeneric(c, &ready, 1, where, 1, count, nested, 1);
            return;
        }
        blockForKeys(c, BLOCKED_ZSET, keys, numkeys, timeout); /* keeps its place */
        return;
    }
    for (int j = 0; j < numkeys; j++) {
        robj *o = lookupKeyWrite(c->db, keys[j]);
        if (!o) continue;
        if (checkType(c, o, OBJ_ZSET)) return;
        if (zsetLength(o) == 0) continue;
        zpopGeneric(c, &keys[j], 1, where, 1, count, nested, 1);
        return;
    }
    /* Inside MULTI/EXEC (or a script) waiting is impossible: answer as if
     * the timeout had expired, even with timeout 0. */
    if (clientCannotBlock(c)) {
        addReplyNullArray(c);
        return;
    }
    blockForKeys(c, BLOCKED_ZSET, keys, numkeys, timeout);
}

static void bzpopMinMax(client *c, int where) {
    long long timeout;
    if (getTimeoutFromObjectOrReply(c, c->argv[c->argc - 1], &timeout) != C_OK) return;
    blockingZpop(c, c->argv + 1, c->argc - 2, where, timeout, -1, 0);
}

void bzpopminCommand(client *c) {
    bzpopMinMax(c, ZSET_MIN);
}

void bzpopmaxCommand(client *c) {
    bzpopMinMax(c, ZSET_MAX);
}

/* BZMPOP timeout numkeys key... MIN|MAX [COUNT count] */
void bzmpopCommand(client *c) {
    long long timeout;
    long numkeys, count;
    int where;
    if (getTimeoutFromObjectOrReply(c, c->argv[1], &timeout) != C_OK) return;
    if (parseMpopOrReply(c, 2, &numkeys, &where, &count) != C_OK) return;
    blockingZpop(c, c->argv + 3, (int)numkeys, where, timeout, count, 1);
}

/* ------------------------------------------------------------------------
 * ZRANDMEMBER
 * ---------------------------------------------------------------------- */

static void emitMember(client *c, const unsigned char *m, size_t len, double score,
                       int withscores) {
    if (withscores && c->resp > 2) addReplyArrayLen(c, 2);
    addReplyBulkCBuffer(c, m, len);
    if (withscores) addReplyDouble(c, score);
}

static void emitListpackEntry(client *c, listpackEntry *k, listpackEntry *v, int withscores) {
    char buf[LONG_STR_SIZE];
    const unsigned char *m = k->sval;
    size_t len = k->slen;
    if (!m) {
        len = (size_t)ll2string(buf, sizeof(buf), k->lval);
        m = (const unsigned char *)buf;
    }
    double score = 0;
    if (withscores) {
        if (v->sval) {
            char sbuf[MAX_D2STRING_CHARS];
            size_t sl = v->slen < sizeof(sbuf) - 1 ? v->slen : sizeof(sbuf) - 1;
            memcpy(sbuf, v->sval, sl);
            sbuf[sl] = '\0';
            score = strtod(sbuf, NULL);
        } else {
            score = (double)v->lval;
        }
    }
    emitMember(c, m, len, score, withscores);
}

/* Sets of distinct ranks, for sampling few members of a big skiplist. */
typedef struct rankSet {
    unsigned long *slots; /* rank + 1, 0 = empty */
    unsigned long mask;
} rankSet;

static int rankSetAdd(rankSet *s, unsigned long rank) {
    unsigned long h = (rank * 0x9e3779b97f4a7c15ULL) & s->mask;
    while (s->slots[h]) {
        if (s->slots[h] == rank + 1) return 0;
        h = (h + 1) & s->mask;
    }
    s->slots[h] = rank + 1;
    return 1;
}

static void zrandmemberWithCount(client *c, long l, int withscores) {
    robj *zobj = lookupKeyReadOrReply(c, c->argv[1], shared.emptyarray);
    if (zobj == NULL || checkType(c, zobj, OBJ_ZSET)) return;
    unsigned long size = zsetLength(zobj);
    int uniq = l >= 0;
    unsigned long count = l >= 0 ? (unsigned long)l : (unsigned long)(-l);
    if (count == 0) {
        addReplyEmptyArray(c);
        return;
    }
    long replylen = (long)count;

    /* With repetition (and the single-member case): independent draws. */
    if (!uniq || count == 1) {
        addReplyArrayLen(c, withscores && c->resp == 2 ? replylen * 2 : replylen);
        if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
            listpackEntry keys[64], vals[64];
            while (count) {
                unsigned int n = count > 64 ? 64 : (unsigned int)count;
                lpRandomPairs(zobj->ptr, n, keys, withscores ? vals : NULL);
                for (unsigned int i = 0; i < n; i++)
                    emitListpackEntry(c, &keys[i], &vals[i], withscores);
                count -= n;
            }
        } else {
            zskiplist *zsl = zobj->ptr;
            while (count--) {
                zskiplistNode *n = zslGetByRank(zsl, randomBelow(size) + 1);
                emitMember(c, zslNodeMember(n), n->len, n->score, withscores);
            }
        }
        return;
    }

    /* The whole set, highest score first as Redis walks it. */
    if (count >= size) {
        addReplyArrayLen(c, withscores && c->resp == 2 ? (long)size * 2 : (long)size);
        zsetIter it;
        const unsigned char *m;
        size_t len;
        double score;
        zsetIterInit(&it, zobj, 0, 1);
        while (zsetIterNext(&it, &m, &len, &score)) emitMember(c, m, len, score, withscores);
        return;
    }

    addReplyArrayLen(c, withscores && c->resp == 2 ? replylen * 2 : replylen);
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        listpackEntry *keys = zmalloc(sizeof(listpackEntry) * count);
        listpackEntry *vals = withscores ? zmalloc(sizeof(listpackEntry) * count) : NULL;
        unsigned int n = lpRandomPairsUnique(zobj->ptr, (unsigned int)count, keys, vals);
        for (unsigned int i = 0; i < n; i++) emitListpackEntry(c, &keys[i], vals ? &vals[i] : NULL, withscores);
        zfree(keys);
        zfree(vals);
        return;
    }

    zskiplist *zsl = zobj->ptr;
    if (count * 3 > size) {
        /* Many of them: a partial Fisher-Yates shuffle of all the nodes. */
        zskiplistNode **all = zmalloc(sizeof(*all) * size);
        unsigned long i = 0;
        for (zskiplistNode *n = zslFirst(zsl); n; n = zslNodeNext(n)) all[i++] = n;
        for (i = 0; i < count; i++) {
            unsigned long j = i + randomBelow(size - i);
            zskiplistNode *t = all[i];
            all[i] = all[j];
            all[j] = t;
            emitMember(c, zslNodeMember(all[i]), all[i]->len, all[i]->score, withscores);
        }
        zfree(all);
    } else {
        /* Few of them: Floyd's sampling of distinct ranks. */
        unsigned long cap = 4;
        while (cap < count * 2) cap <<= 1;
        rankSet set = {zcalloc(sizeof(unsigned long) * cap), cap - 1};
        for (unsigned long j = size - count; j < size; j++) {
            unsigned long t = randomBelow(j + 1);
            if (!rankSetAdd(&set, t)) {
                rankSetAdd(&set, j);
                t = j;
            }
            zskiplistNode *n = zslGetByRank(zsl, t + 1);
            emitMember(c, zslNodeMember(n), n->len, n->score, withscores);
        }
        zfree(set.slots);
    }
}

void zrandmemberCommand(client *c) {
    if (c->argc >= 3) {
        long l;
        if (getRangeLongOrReply(c, c->argv[2], -LONG_MAX, LONG_MAX, &l, NULL) != C_OK) return;
        if (c->argc > 4 || (c->argc == 4 && strcasecmp(c->argv[3]->ptr, "withscores"))) {
            addReplyErrorSyntax(c);
            return;
        }
        int withscores = c->argc == 4;
        if (withscores && (l < -LONG_MAX / 2 || l > LONG_MAX / 2)) {
            addReplyError(c, "value is out of range");
            return;
        }
        zrandmemberWithCount(c, l, withscores);
        return;
    }
    robj *zobj = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, zobj, OBJ_ZSET)) return;
    if (!zobj) {
        addReplyNull(c);
        return;
    }
    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        listpackEntry k;
        lpRandomPair(zobj->ptr, lpLength(zobj->ptr), &k, NULL);
        emitListpackEntry(c, &k, NULL, 0);
    } else {
        zskiplist *zsl = zobj->ptr;
        zskiplistNode *n = zslGetByRank(zsl, randomBelow(zsl->length) + 1);
        addReplyBulkCBuffer(c, zslNodeMember(n), n->len);
    }
}

/* ------------------------------------------------------------------------
 * ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD
 * ---------------------------------------------------------------------- */

#define SET_OP_UNION 0
#define SET_OP_INTER 1
#define SET_OP_DIFF 2
#define AGGR_SUM 0
#define AGGR_MIN 1
#define AGGR_MAX 2

/* An input: a zset, a set (every member scores 1), or a missing key. */
typedef struct opSource {
    robj *o;
    double weight;
    int pos; /* position on the command line: ties in the size sort */
} opSource;

static unsigned long sourceLength(const opSource *s) {
    if (!s->o) return 0;
    return s->o->type == OBJ_ZSET ? zsetLength(s->o) : setTypeSize(s->o);
}

static int sourceScore(opSource *s, const void *ele, size_t len, double *score) {
    if (!s->o) return 0;
    if (s->o->type == OBJ_ZSET) return zsetScore(s->o, ele, len, score);
    if (!setTypeIsMember(s->o, ele, len)) return 0;
    *score = 1.0;
    return 1;
}

typedef struct sourceIter {
    opSource *s;
    zsetIter zi;
    setTypeIterator si;
    char buf[LONG_STR_SIZE];
} sourceIter;

static void sourceIterInit(sourceIter *it, opSource *s) {
    it->s = s;
    if (s->o->type == OBJ_ZSET)
        zsetIterInit(&it->zi, s->o, 0, 0);
    else
        setTypeInitIterator(&it->si, s->o);
}

static int sourceIterNext(sourceIter *it, const unsigned char **ele, size_t *len, double *score) {
    if (it->s->o->type == OBJ_ZSET) return zsetIterNext(&it->zi, ele, len, score);
    const char *str;
    int64_t ll;
    if (!setTypeNext(&it->si, &str, len, &ll)) return 0;
    if (!str) {
        *len = (size_t)ll2string(it->buf, sizeof(it->buf), ll);
        str = it->buf;
    }
    *ele = (const unsigned char *)str;
    *score = 1.0;
    return 1;
}

static void sourceIterRelease(sourceIter *it) {
    if (it->s->o->type != OBJ_ZSET) setTypeReleaseIterator(&it->si);
}

static int compareSourcesBySize(const void *a, const void *b) {
    const opSource *x = a, *y = b;
    unsigned long lx = sourceLength(x), ly = sourceLength(y);
    if (lx != ly) return lx < ly ? -1 : 1;
    return x->pos - y->pos;
}

/* A result element: member copied in (sources may hold integers). */
typedef struct resultEntry {
    void *next; /* htab link (union accumulator) */
    double score;
    size_t len;
    unsigned char m[];
} resultEntry;

static const void *resultEntryKey(const void *e, size_t *len) {
    const resultEntry *r = e;
    *len = r->len;
    return r->m;
}

static const htabType resultHtabType = {.entryKey = resultEntryKey, .entryDestructor = NULL,
                                        .nocase = 0};

typedef struct resultSet {
    resultEntry **v;
    size_t n, cap;
    size_t maxelelen, totelelen;
} resultSet;

static resultEntry *resultPush(resultSet *rs, const unsigned char *m, size_t len, double score) {
    resultEntry *e = zmalloc(sizeof(*e) + len);
    e->next = NULL;
    e->score = score;
    e->len = len;
    memcpy(e->m, m, len);
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 16;
        rs->v = zrealloc(rs->v, sizeof(*rs->v) * rs->cap);
    }
    rs->v[rs->n++] = e;
    rs->totelelen += len;
    if (len > rs->maxelelen) rs->maxelelen = len;
    return e;
}

static void resultFree(resultSet *rs) {
    for (size_t i = 0; i < rs->n; i++) zfree(rs->v[i]);
    zfree(rs->v);
}

static int compareResults(const void *a, const void *b) {
    const resultEntry *x = *(resultEntry *const *)a, *y = *(resultEntry *const *)b;
    if (x->score < y->score) return -1;
    if (x->score > y->score) return 1;
    return memberCmp(x->m, x->len, y->m, y->len);
}

static void aggregate(double *target, double val, int aggr) {
    if (aggr == AGGR_SUM) {
        *target = *target + val;
        /* inf + -inf: Redis resolves the NaN to 0. */
        if (isnan(*target)) *target = 0.0;
    } else if (aggr == AGGR_MIN) {
        *target = val < *target ? val : *target;
    } else {
        *target = val > *target ? val : *target;
    }
}

/* Builds a zset holding the sorted results, in the encoding that fits. */
static robj *resultToZset(resultSet *rs) {
    robj *o;
    if (rs->n <= server.zset_max_listpack_entries && rs->maxelelen <= server.zset_max_listpack_value &&
        rs->totelelen <= LISTPACK_MAX_SAFETY_SIZE) {
        o = createZsetListpackObject();
        for (size_t i = 0; i < rs->n; i++)
            o->ptr = zzlAppend(o->ptr, rs->v[i]->m, rs->v[i]->len, rs->v[i]->score);
    } else {
        o = createZsetSkiplistObject();
        for (size_t i = 0; i < rs->n; i++) zslInsert(o->ptr, rs->v[i]->score, rs->v[i]->m, rs->v[i]->len);
    }
    return o;
}

static void zsetOpGeneric(client *c, robj *dstkey, int numkeys_idx, int op, int cardinality_only) {
    long setnum;
    if (getLongOrReply(c, c->argv[numkeys_idx], &setnum) != C_OK) return;
    if (setnum < 1) {
        addReplyErrorFormat(c, "at least 1 input key is needed for '%s' command",
                            c->cmd ? c->cmd->fullname : "zunionstore");
        return;
    }
    if (setnum > c->argc - (numkeys_idx + 1)) {
        addReplyErrorSyntax(c);
        return;
    }

    opSource *src = zcalloc(sizeof(opSource) * (size_t)setnum);
    int j = numkeys_idx + 1;
    for (long i = 0; i < setnum; i++, j++) {
        robj *o = lookupKeyRead(c->db, c->argv[j]);
        if (o && o->type != OBJ_ZSET && o->type != OBJ_SET) {
            zfree(src);
            addReplyErrorWrongType(c);
            return;
        }
        src[i].o = o;
        src[i].weight = 1.0;
        src[i].pos = (int)i;
    }

    int aggr = AGGR_SUM, withscores = 0;
    long limit = 0;
    while (j < c->argc) {
        int remaining = c->argc - j;
        const char *opt = c->argv[j]->ptr;
        if (op != SET_OP_DIFF && !cardinality_only && remaining >= setnum + 1 &&
            !strcasecmp(opt, "weights")) {
            j++;
            for (long i = 0; i < setnum; i++, j++) {
                if (getDoubleOrReply(c, c->argv[j], &src[i].weight, "weight value is not a float") !=
                    C_OK) {
                    zfree(src);
                    return;
                }
            }
        } else if (op != SET_OP_DIFF && !cardinality_only && remaining >= 2 &&
                   !strcasecmp(opt, "aggregate")) {
            const char *a = c->argv[j + 1]->ptr;
            if (!strcasecmp(a, "sum")) {
                aggr = AGGR_SUM;
            } else if (!strcasecmp(a, "min")) {
                aggr = AGGR_MIN;
            } else if (!strcasecmp(a, "max")) {
                aggr = AGGR_MAX;
            } else {
                zfree(src);
                addReplyErrorSyntax(c);
                return;
            }
            j += 2;
        } else if (!dstkey && !cardinality_only && !strcasecmp(opt, "withscores")) {
            withscores = 1;
            j++;
        } else if (cardinality_only && remaining >= 2 && !strcasecmp(opt, "limit")) {
            if (getRangeLongOrReply(c, c->argv[j + 1], 0, LONG_MAX, &limit,
                                    "LIMIT can't be negative") != C_OK) {
                zfree(src);
                return;
            }
            j += 2;
        } else {
            zfree(src);
            addReplyErrorSyntax(c);
            return;
        }
    }

    /* Smallest inputs first: the intersection walks the smallest and probes
     * the others.  Ties keep the command-line order (a stable sort), which
     * keeps floating point sums identical to Redis's. */
    if (op != SET_OP_DIFF) qsort(src, (size_t)setnum, sizeof(opSource), compareSourcesBySize);

    resultSet rs = {0};
    unsigned long cardinality = 0;
    const unsigned char *m;
    size_t len;
    double score;

    if (op == SET_OP_INTER) {
        if (sourceLength(&src[0]) > 0) {
            sourceIter it;
            sourceIterInit(&it, &src[0]);
            while (sourceIterNext(&it, &m, &len, &score)) {
                double acc = src[0].weight * score;
                if (isnan(acc)) acc = 0;
                long k;
                for (k = 1; k < setnum; k++) {
                    double value;
                    if (!sourceScore(&src[k], m, len, &value)) break;
                    aggregate(&acc, value * src[k].weight, aggr);
                }
                if (k != setnum) continue;
                if (cardinality_only) {
                    cardinality++;
                    if (limit && cardinality >= (unsigned long)limit) break;
                } else {
                    resultPush(&rs, m, len, acc);
                }
            }
            sourceIterRelease(&it);
        }
    } else if (op == SET_OP_UNION) {
        htab *acc = htabCreate(&resultHtabType);
        for (long i = 0; i < setnum; i++) {
            if (sourceLength(&src[i]) == 0) continue;
            sourceIter it;
            sourceIterInit(&it, &src[i]);
            while (sourceIterNext(&it, &m, &len, &score)) {
                double value = src[i].weight * score;
                if (isnan(value)) value = 0;
                resultEntry *e = htabFind(acc, m, len);
                if (e) {
                    aggregate(&e->score, value, aggr);
                } else {
                    e = resultPush(&rs, m, len, value);
                    htabInsert(acc, e);
                }
            }
            sourceIterRelease(&it);
        }
        htabRelease(acc); /* no destructor: the entries belong to rs */
    } else {
        /* Members of the first input that no other input holds, with their
         * score in the first input. */
        if (sourceLength(&src[0]) > 0) {
            sourceIter it;
            sourceIterInit(&it, &src[0]);
            while (sourceIterNext(&it, &m, &len, &score)) {
                long k;
                double value;
                for (k = 1; k < setnum; k++)
                    if (sourceScore(&src[k], m, len, &value)) break;
                if (k == setnum) resultPush(&rs, m, len, score);
            }
            sourceIterRelease(&it);
        }
    }
    zfree(src);

    if (cardinality_only) {
        addReplyLongLong(c, (long long)cardinality);
        return;
    }
    if (rs.n > 1) qsort(rs.v, rs.n, sizeof(*rs.v), compareResults);

    if (dstkey) {
        if (rs.n) {
            robj *dst = resultToZset(&rs);
            setKey(c, c->db, dstkey, dst, 0);
            addReplyLongLong(c, (long long)rs.n);
            notifyKeyspaceEvent(NOTIFY_ZSET,
                                op == SET_OP_UNION   ? "zunionstore"
                                : op == SET_OP_INTER ? "zinterstore"
                                                     : "zdiffstore",
                                dstkey, c->db->id);
            server.dirty++;
        } else {
            addReplyLongLong(c, 0);
            if (dbDelete(c->db, dstkey)) {
                signalModifiedKey(c, c->db, dstkey);
                notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dstkey, c->db->id);
                server.dirty++;
            }
        }
    } else {
        addReplyArrayLen(c, withscores && c->resp == 2 ? (long)rs.n * 2 : (long)rs.n);
        for (size_t i = 0; i < rs.n; i++) emitMember(c, rs.v[i]->m, rs.v[i]->len, rs.v[i]->score, withscores);
    }
    resultFree(&rs);
}

void zunionstoreCommand(client *c) {
    zsetOpGeneric(c, c->argv[1], 2, SET_OP_UNION, 0);
}

void zinterstoreCommand(client *c) {
    zsetOpGeneric(c, c->argv[1], 2, SET_OP_INTER, 0);
}

void zdiffstoreCommand(client *c) {
    zsetOpGeneric(c, c->argv[1], 2, SET_OP_DIFF, 0);
}

void zunionCommand(client *c) {
    zsetOpGeneric(c, NULL, 1, SET_OP_UNION, 0);
}

void zinterCommand(client *c) {
    zsetOpGeneric(c, NULL, 1, SET_OP_INTER, 0);
}

void zdiffCommand(client *c) {
    zsetOpGeneric(c, NULL, 1, SET_OP_DIFF, 0);
}

void zintercardCommand(client *c) {
    zsetOpGeneric(c, NULL, 1, SET_OP_INTER, 1);
}

/* ------------------------------------------------------------------------
 * ZSCAN
 * ---------------------------------------------------------------------- */

/* scanCollect's step over the skiplist encoding: entries are nodes. */
static unsigned long zscanStep(void *table, unsigned long cursor, htabScanFunction *fn, void *privdata) {
    return zslScan(table, cursor, fn, privdata);
}

static int zscanMatches(const scanOptions *opts, const unsigned char *m, size_t len) {
    return opts->pattern == NULL || stringmatchlen(opts->pattern, opts->patlen, (const char *)m, len, 0);
}

static void replyScore(client *c, double score) {
    /* ZSCAN returns scores as bulk strings in both protocols. */
    char buf[MAX_D2STRING_CHARS];
    int len = d2string(buf, sizeof(buf), score);
    addReplyBulkCBuffer(c, buf, (size_t)len);
}

void zscanCommand(client *c) {
    unsigned long cursor;
    if (parseScanCursorOrReply(c, c->argv[2], &cursor) != C_OK) return;
    robj *zobj = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, zobj, OBJ_ZSET)) return;
    if (!zobj) {
        addReplyScanCursor(c, 0);
        addReplyEmptyArray(c);
        return;
    }
    scanOptions opts;
    if (parseScanOptionsOrReply(c, 3, 0, &opts) != C_OK) return;

    if (zobj->encoding == OBJ_ENCODING_LISTPACK) {
        /* Small enough to return in one go, with cursor 0. */
        addReplyScanCursor(c, 0);
        void *deferred = addReplyDeferredLen(c);
        long n = 0;
        zsetIter it;
        const unsigned char *m;
        size_t len;
        double score;
        zsetIterInit(&it, zobj, 0, 0);
        while (zsetIterNext(&it, &m, &len, &score)) {
            if (!zscanMatches(&opts, m, len)) continue;
            addReplyBulkCBuffer(c, m, len);
            replyScore(c, score);
            n += 2;
        }
        setDeferredArrayLen(c, deferred, n);
        return;
    }

    scanBatch batch = {0};
    cursor = scanCollect(zscanStep, zobj->ptr, cursor, opts.count, &batch);
    addReplyScanCursor(c, cursor);
    void *deferred = addReplyDeferredLen(c);
    long n = 0;
    for (size_t i = 0; i < batch.n; i++) {
        const zskiplistNode *node = batch.found[i];
        const unsigned char *m = zslNodeMember(node);
        if (!zscanMatches(&opts, m, node->len)) continue;
        addReplyBulkCBuffer(c, m, node->len);
        replyScore(c, node->score);
        n += 2;
    }
    setDeferredArrayLen(c, deferred, n);
    scanBatchFree(&batch);
}
