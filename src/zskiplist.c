/* zskiplist.c -- the big encoding of sorted sets.
 *
 * What it owns: a skiplist ordered by (score, member bytes) whose forward
 * pointers carry spans, so rank <-> node is O(log n), together with a hash
 * index member -> node for O(1) ZSCORE and member lookups.
 *
 * Why it is built this way: memory.  Redis spends four allocations per
 * member (the member sds, the skiplist node, the dict entry, plus the
 * node's per-level array of 16-byte forward+span pairs).  Here a member
 * costs ONE allocation:
 *
 *     +------+-------+----------+-----+-------+------------+-----------+--------+
 *     | next | score | backward | len | level | forward[L] | span[L-1] | member |
 *     +------+-------+----------+-----+-------+------------+-----------+--------+
 *       8      8       8          4     1+3     8*L          4*(L-1)     len
 *
 *   - `next` is the chain link of the intrusive hash table (htab.h), so the
 *     node itself is the hash entry and the index costs only its buckets.
 *   - The span of level 0 is always 1 (a level-0 forward pointer moves to
 *     the very next node) and is never stored.  Spans of the upper levels
 *     are 32-bit: a sorted set of 2^32 members would need hundreds of GB
 *     first; zslInsert asserts the bound anyway.
 *   - The member bytes come last, so the node's size is exact for its
 *     level.  With p = 1/4 three nodes in four have a single level.
 *
 * A 19-byte member with an integer score takes a 64-byte jemalloc slot at
 * level 1, 80 at level 2, plus ~8-16 bytes of hash buckets.
 *
 * Levels are drawn from a private splitmix64 generator (no global random()
 * state to share with other modules); P(level >= k+1) = 4^-k, capped at
 * ZSKIPLIST_MAXLEVEL.
 *
 * Conventions: public names are zslXxx; helpers are static. */
#include "zskiplist.h"

#include <assert.h>
#include <string.h>

#include "zmalloc.h"

/* --------------------------------------------------------------- nodes */

static inline uint32_t *nodeSpans(const zskiplistNode *n) {
    return (uint32_t *)(void *)(n->forward + n->level);
}

/* Span of level i (i >= 1 is stored; level 0 is always 1). */
static inline unsigned long spanGet(const zskiplistNode *n, int i) {
    return i == 0 ? 1 : nodeSpans(n)[i - 1];
}

static inline void spanSet(zskiplistNode *n, int i, unsigned long v) {
    if (i > 0) nodeSpans(n)[i - 1] = (uint32_t)v;
}

static zskiplistNode *nodeCreate(int level, double score, const void *ele, size_t len) {
    size_t size = sizeof(zskiplistNode) + sizeof(zskiplistNode *) * (size_t)level +
                  sizeof(uint32_t) * (size_t)(level - 1) + len;
    zskiplistNode *n = zmalloc(size);
    n->next = NULL;
    n->score = score;
    n->backward = NULL;
    n->len = (uint32_t)len;
    n->level = (uint8_t)level;
    memset(n->forward, 0, sizeof(zskiplistNode *) * (size_t)level);
    memset(nodeSpans(n), 0, sizeof(uint32_t) * (size_t)(level - 1));
    if (len) memcpy((unsigned char *)zslNodeMember(n), ele, len);
    return n;
}

static const void *nodeKey(const void *entry, size_t *len) {
    const zskiplistNode *n = entry;
    *len = n->len;
    return zslNodeMember(n);
}

static const htabType indexType = {.entryKey = nodeKey, .entryDestructor = NULL, .nocase = 0};

static uint64_t rngState = 0x6a09e667f3bcc909ULL;

static int randomLevel(void) {
    uint64_t z = (rngState += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    /* Each pair of zero low bits is one more level: probability 1/4 each. */
    int level = 1 + __builtin_ctzll(z | (1ULL << 62)) / 2;
    return level > ZSKIPLIST_MAXLEVEL ? ZSKIPLIST_MAXLEVEL : level;
}

/* Byte-wise comparison of two members, shorter prefix first. */
static inline int memberCmp(const void *a, size_t alen, const void *b, size_t blen) {
    size_t min = alen < blen ? alen : blen;
    int c = min ? memcmp(a, b, min) : 0;
    if (c) return c;
    return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* Does node n sort strictly before (score, ele)? */
static inline int nodeBefore(const zskiplistNode *n, double score, const void *ele, size_t len) {
    return n->score < score ||
           (n->score == score && memberCmp(zslNodeMember(n), n->len, ele, len) < 0);
}

/* ------------------------------------------------------------ lifecycle */

zskiplist *zslCreate(void) {
    zskiplist *zsl = zmalloc(sizeof(*zsl));
    zsl->header = nodeCreate(ZSKIPLIST_MAXLEVEL, 0, NULL, 0);
    zsl->tail = NULL;
    zsl->length = 0;
    zsl->level = 1;
    zsl->index = htabCreate(&indexType);
    return zsl;
}

void zslFree(zskiplist *zsl) {
    htabRelease(zsl->index); /* no destructor: the nodes are freed below */
    zskiplistNode *n = zsl->header->forward[0];
    while (n) {
        zskiplistNode *next = n->forward[0];
        zfree(n);
        n = next;
    }
    zfree(zsl->header);
    zfree(zsl);
}

/* -------------------------------------------------------------- linking */

/* Fills update[] with the last node before (score, ele) on every level and
 * rank[] with their ranks (0 = header). */
static zskiplistNode *findUpdate(zskiplist *zsl, double score, const void *ele, size_t len,
                                 zskiplistNode **update, unsigned long *rank) {
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        if (rank) rank[i] = i == zsl->level - 1 ? 0 : rank[i + 1];
        while (x->forward[i] && nodeBefore(x->forward[i], score, ele, len)) {
            if (rank) rank[i] += spanGet(x, i);
            x = x->forward[i];
        }
        update[i] = x;
    }
    return x;
}

/* Links node x (its level and score set, not in the list) at its place. */
static void linkNode(zskiplist *zsl, zskiplistNode *x) {
    zskiplistNode *update[ZSKIPLIST_MAXLEVEL];
    unsigned long rank[ZSKIPLIST_MAXLEVEL];
    findUpdate(zsl, x->score, zslNodeMember(x), x->len, update, rank);
    int level = x->level;
    if (level > zsl->level) {
        for (int i = zsl->level; i < level; i++) {
            rank[i] = 0;
            update[i] = zsl->header;
            spanSet(zsl->header, i, zsl->length);
        }
        zsl->level = level;
    }
    for (int i = 0; i < level; i++) {
        x->forward[i] = update[i]->forward[i];
        update[i]->forward[i] = x;
        spanSet(x, i, spanGet(update[i], i) - (rank[0] - rank[i]));
        spanSet(update[i], i, (rank[0] - rank[i]) + 1);
    }
    for (int i = level; i < zsl->level; i++) spanSet(update[i], i, spanGet(update[i], i) + 1);
    x->backward = update[0] == zsl->header ? NULL : update[0];
    if (x->forward[0])
        x->forward[0]->backward = x;
    else
        zsl->tail = x;
    zsl->length++;
}

/* Unlinks x, given update[] as found by findUpdate for x's position. */
static void unlinkNode(zskiplist *zsl, zskiplistNode *x, zskiplistNode **update) {
    for (int i = 0; i < zsl->level; i++) {
        if (update[i]->forward[i] == x) {
            spanSet(update[i], i, spanGet(update[i], i) + spanGet(x, i) - 1);
            update[i]->forward[i] = x->forward[i];
        } else {
            spanSet(update[i], i, spanGet(update[i], i) - 1);
        }
    }
    if (x->forward[0])
        x->forward[0]->backward = x->backward;
    else
        zsl->tail = x->backward;
    while (zsl->level > 1 && zsl->header->forward[zsl->level - 1] == NULL) zsl->level--;
    zsl->length--;
}

zskiplistNode *zslInsert(zskiplist *zsl, double score, const void *ele, size_t len) {
    assert(zsl->length < UINT32_MAX && len <= UINT32_MAX);
    zskiplistNode *x = nodeCreate(randomLevel(), score, ele, len);
    linkNode(zsl, x);
    htabInsert(zsl->index, x);
    return x;
}

zskiplistNode *zslFind(zskiplist *zsl, const void *ele, size_t len) {
    return htabFind(zsl->index, ele, len);
}

/* Unlinks node (known to be in the list) from the skiplist only. */
static void unlinkFromList(zskiplist *zsl, zskiplistNode *node) {
    zskiplistNode *update[ZSKIPLIST_MAXLEVEL];
    zskiplistNode *x = findUpdate(zsl, node->score, zslNodeMember(node), node->len, update, NULL);
    assert(x->forward[0] == node);
    (void)x;
    unlinkNode(zsl, node, update);
}

int zslDelete(zskiplist *zsl, const void *ele, size_t len, double *score) {
    zskiplistNode *node = htabUnlink(zsl->index, ele, len);
    if (!node) return 0;
    unlinkFromList(zsl, node);
    if (score) *score = node->score;
    zfree(node);
    return 1;
}

void zslUpdateScore(zskiplist *zsl, zskiplistNode *node, double newscore) {
    /* Fast path: the node keeps its place when the new score still sorts
     * between its neighbours. */
    zskiplistNode *prev = node->backward, *next = node->forward[0];
    const unsigned char *m = zslNodeMember(node);
    if ((prev == NULL || nodeBefore(prev, newscore, m, node->len)) &&
        (next == NULL || !nodeBefore(next, newscore, m, node->len))) {
        node->score = newscore;
        return;
    }
    unlinkFromList(zsl, node);
    node->score = newscore;
    memset(node->forward, 0, sizeof(zskiplistNode *) * node->level);
    linkNode(zsl, node);
}

/* ----------------------------------------------------------------- rank */

unsigned long zslGetRank(zskiplist *zsl, const zskiplistNode *node) {
    zskiplistNode *x = zsl->header;
    unsigned long rank = 0;
    const unsigned char *m = zslNodeMember(node);
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->forward[i] && (x->forward[i] == node ||
                                 nodeBefore(x->forward[i], node->score, m, node->len))) {
            rank += spanGet(x, i);
            x = x->forward[i];
        }
        if (x == node) return rank;
    }
    return 0;
}

zskiplistNode *zslGetByRank(zskiplist *zsl, unsigned long rank) {
    zskiplistNode *x = zsl->header;
    unsigned long traversed = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->forward[i] && traversed + spanGet(x, i) <= rank) {
            traversed += spanGet(x, i);
            x = x->forward[i];
        }
        if (traversed == rank) return x == zsl->header ? NULL : x;
    }
    return NULL;
}

/* --------------------------------------------------------------- ranges */

int zslValueGteMin(double v, const zrangespec *r) {
    return r->minex ? v > r->min : v >= r->min;
}

int zslValueLteMax(double v, const zrangespec *r) {
    return r->maxex ? v < r->max : v <= r->max;
}

int zslIsEmptyRange(const zrangespec *r) {
    return r->min > r->max || (r->min == r->max && (r->minex || r->maxex));
}

/* Compares a string with a lex bound: <0, 0, >0. */
static int lexCmp(const void *s, size_t len, const zlexbound *b) {
    if (b->inf) return b->inf < 0 ? 1 : -1;
    return memberCmp(s, len, b->s, b->len);
}

int zslLexValueGteMin(const void *s, size_t len, const zlexrangespec *r) {
    int c = lexCmp(s, len, &r->min);
    return r->min.ex ? c > 0 : c >= 0;
}

int zslLexValueLteMax(const void *s, size_t len, const zlexrangespec *r) {
    int c = lexCmp(s, len, &r->max);
    return r->max.ex ? c < 0 : c <= 0;
}

int zslIsEmptyLexRange(const zlexrangespec *r) {
    const zlexbound *a = &r->min, *b = &r->max;
    /* "+" as a minimum or "-" as a maximum select nothing. */
    if (a->inf > 0 || b->inf < 0) return 1;
    if (a->inf < 0 || b->inf > 0) return 0;
    int c = memberCmp(a->s, a->len, b->s, b->len);
    return c > 0 || (c == 0 && (a->ex || b->ex));
}

static int zslIsInRange(zskiplist *zsl, const zrangespec *r) {
    if (zslIsEmptyRange(r) || zsl->tail == NULL) return 0;
    if (!zslValueGteMin(zsl->tail->score, r)) return 0;
    if (!zslValueLteMax(zsl->header->forward[0]->score, r)) return 0;
    return 1;
}

zskiplistNode *zslFirstInRange(zskiplist *zsl, const zrangespec *r) {
    if (!zslIsInRange(zsl, r)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->forward[i] && !zslValueGteMin(x->forward[i]->score, r)) x = x->forward[i];
    x = x->forward[0];
    return x && zslValueLteMax(x->score, r) ? x : NULL;
}

zskiplistNode *zslLastInRange(zskiplist *zsl, const zrangespec *r) {
    if (!zslIsInRange(zsl, r)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->forward[i] && zslValueLteMax(x->forward[i]->score, r)) x = x->forward[i];
    return x != zsl->header && zslValueGteMin(x->score, r) ? x : NULL;
}

static int zslIsInLexRange(zskiplist *zsl, const zlexrangespec *r) {
    if (zslIsEmptyLexRange(r) || zsl->tail == NULL) return 0;
    if (!zslLexValueGteMin(zslNodeMember(zsl->tail), zsl->tail->len, r)) return 0;
    zskiplistNode *first = zsl->header->forward[0];
    if (!zslLexValueLteMax(zslNodeMember(first), first->len, r)) return 0;
    return 1;
}

zskiplistNode *zslFirstInLexRange(zskiplist *zsl, const zlexrangespec *r) {
    if (!zslIsInLexRange(zsl, r)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->forward[i] &&
               !zslLexValueGteMin(zslNodeMember(x->forward[i]), x->forward[i]->len, r))
            x = x->forward[i];
    x = x->forward[0];
    return x && zslLexValueLteMax(zslNodeMember(x), x->len, r) ? x : NULL;
}

zskiplistNode *zslLastInLexRange(zskiplist *zsl, const zlexrangespec *r) {
    if (!zslIsInLexRange(zsl, r)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->forward[i] &&
               zslLexValueLteMax(zslNodeMember(x->forward[i]), x->forward[i]->len, r))
            x = x->forward[i];
    return x != zsl->header && zslLexValueGteMin(zslNodeMember(x), x->len, r) ? x : NULL;
}

/* ------------------------------------------------------ range deletion */

/* Deletes x (update[] = its predecessors) from list and index, then frees. */
static void deleteNode(zskiplist *zsl, zskiplistNode *x, zskiplistNode **update,
                       zslDeleteCallback *cb, void *privdata) {
    unlinkNode(zsl, x, update);
    void *removed = htabUnlink(zsl->index, zslNodeMember(x), x->len);
    assert(removed == x);
    (void)removed;
    if (cb) cb(privdata, x);
    zfree(x);
}

unsigned long zslDeleteRangeByScore(zskiplist *zsl, const zrangespec *r,
                                    zslDeleteCallback *cb, void *privdata) {
    zskiplistNode *update[ZSKIPLIST_MAXLEVEL];
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->forward[i] && !zslValueGteMin(x->forward[i]->score, r)) x = x->forward[i];
        update[i] = x;
    }
    /* update[] stays valid: every removed node sits right after update[0],
     * and the upper levels still precede whatever follows. */
    unsigned long removed = 0;
    x = x->forward[0];
    while (x && zslValueLteMax(x->score, r)) {
        zskiplistNode *next = x->forward[0];
        deleteNode(zsl, x, update, cb, privdata);
        removed++;
        x = next;
    }
    return removed;
}

unsigned long zslDeleteRangeByLex(zskiplist *zsl, const zlexrangespec *r,
                                  zslDeleteCallback *cb, void *privdata) {
    zskiplistNode *update[ZSKIPLIST_MAXLEVEL];
    zskiplistNode *x = zsl->header;
    if (zslIsEmptyLexRange(r)) return 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->forward[i] &&
               !zslLexValueGteMin(zslNodeMember(x->forward[i]), x->forward[i]->len, r))
            x = x->forward[i];
        update[i] = x;
    }
    unsigned long removed = 0;
    x = x->forward[0];
    while (x && zslLexValueLteMax(zslNodeMember(x), x->len, r)) {
        zskiplistNode *next = x->forward[0];
        deleteNode(zsl, x, update, cb, privdata);
        removed++;
        x = next;
    }
    return removed;
}

unsigned long zslDeleteRangeByRank(zskiplist *zsl, unsigned long start, unsigned long end,
                                   zslDeleteCallback *cb, void *privdata) {
    zskiplistNode *update[ZSKIPLIST_MAXLEVEL];
    zskiplistNode *x = zsl->header;
    unsigned long traversed = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->forward[i] && traversed + spanGet(x, i) < start) {
            traversed += spanGet(x, i);
            x = x->forward[i];
        }
        update[i] = x;
    }
    traversed++;
    unsigned long removed = 0;
    x = x->forward[0];
    while (x && traversed <= end) {
        zskiplistNode *next = x->forward[0];
        deleteNode(zsl, x, update, cb, privdata);
        removed++;
        traversed++;
        x = next;
    }
    return removed;
}

unsigned long zslScan(zskiplist *zsl, unsigned long cursor, htabScanFunction *fn, void *privdata) {
    return htabScan(zsl->index, cursor, fn, privdata);
}
