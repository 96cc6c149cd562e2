/* zskiplist.h -- the big encoding of sorted sets: a skiplist ordered by
 * (score, member) with spans (O(log n) rank), plus a hash index member ->
 * node (O(1) score lookup).  See zskiplist.c for the layout.
 *
 * Library tier: depends on htab and zmalloc only.  Members are binary-safe
 * byte strings; the list never holds two nodes with the same member.
 *
 * The node struct is public so that callers can walk the list with the
 * inline accessors below; its fields are owned by this module. */
#ifndef RINGKV_ZSKIPLIST_H
#define RINGKV_ZSKIPLIST_H

#include <stddef.h>
#include <stdint.h>

#include "htab.h"

#define ZSKIPLIST_MAXLEVEL 32

typedef struct zskiplistNode {
    void *next;                     /* hash index chain link: MUST BE FIRST */
    double score;
    struct zskiplistNode *backward; /* previous node at level 0, NULL for the first */
    uint32_t len;                   /* member length in bytes */
    uint8_t level;                  /* number of forward pointers, 1..MAXLEVEL */
    /* Then, in the same allocation:
     *   forward[level]      next node per level
     *   uint32_t span[level-1]  spans of levels 1.. (level 0's span is 1)
     *   member bytes (len, no terminator) */
    struct zskiplistNode *forward[];
} zskiplistNode;

typedef struct zskiplist {
    zskiplistNode *header; /* sentinel with MAXLEVEL levels, no member */
    zskiplistNode *tail;
    unsigned long length;
    int level;             /* highest level in use */
    htab *index;           /* member -> node (the node is the hash entry) */
} zskiplist;

/* Score interval; minex/maxex make the bound exclusive. */
typedef struct zrangespec {
    double min, max;
    int minex, maxex;
} zrangespec;

/* One bound of a lexicographic interval: the bytes s/len, or the special
 * "-" (inf < 0: below every string) or "+" (inf > 0: above every string). */
typedef struct zlexbound {
    const unsigned char *s;
    size_t len;
    int inf;
    int ex; /* exclusive */
} zlexbound;

typedef struct zlexrangespec {
    zlexbound min, max;
} zlexrangespec;

/* Member bytes of a node. */
static inline const unsigned char *zslNodeMember(const zskiplistNode *n) {
    return (const unsigned char *)(n->forward + n->level) + sizeof(uint32_t) * (n->level - 1u);
}
static inline zskiplistNode *zslNodeNext(const zskiplistNode *n) {
    return n->forward[0];
}

zskiplist *zslCreate(void);
void zslFree(zskiplist *zsl);
/* Inserts a member that must not be present; returns its node. */
zskiplistNode *zslInsert(zskiplist *zsl, double score, const void *ele, size_t len);
/* The node of a member, or NULL: O(1) through the index. */
zskiplistNode *zslFind(zskiplist *zsl, const void *ele, size_t len);
/* Removes a member; 1 if it was there (its score into *score if not NULL). */
int zslDelete(zskiplist *zsl, const void *ele, size_t len, double *score);
/* Moves node to a new score; the node stays the same allocation. */
void zslUpdateScore(zskiplist *zsl, zskiplistNode *node, double newscore);
/* 1-based rank of a node (0 if absent), and node of a 1-based rank. */
unsigned long zslGetRank(zskiplist *zsl, const zskiplistNode *node);
zskiplistNode *zslGetByRank(zskiplist *zsl, unsigned long rank);
static inline zskiplistNode *zslFirst(const zskiplist *zsl) {
    return zsl->header->forward[0];
}
static inline zskiplistNode *zslLast(const zskiplist *zsl) {
    return zsl->tail;
}

/* Range helpers, shared with the listpack encoding. */
int zslValueGteMin(double v, const zrangespec *r);
int zslValueLteMax(double v, const zrangespec *r);
int zslLexValueGteMin(const void *s, size_t len, const zlexrangespec *r);
int zslLexValueLteMax(const void *s, size_t len, const zlexrangespec *r);
int zslIsEmptyRange(const zrangespec *r);
int zslIsEmptyLexRange(const zlexrangespec *r);

/* First/last node inside a range, NULL if none. */
zskiplistNode *zslFirstInRange(zskiplist *zsl, const zrangespec *r);
zskiplistNode *zslLastInRange(zskiplist *zsl, const zrangespec *r);
zskiplistNode *zslFirstInLexRange(zskiplist *zsl, const zlexrangespec *r);
zskiplistNode *zslLastInLexRange(zskiplist *zsl, const zlexrangespec *r);

/* Range deletions; each returns the number of members removed.  cb, when
 * not NULL, sees every removed member before it is freed. */
typedef void zslDeleteCallback(void *privdata, const zskiplistNode *node);
unsigned long zslDeleteRangeByScore(zskiplist *zsl, const zrangespec *r,
                                    zslDeleteCallback *cb, void *privdata);
unsigned long zslDeleteRangeByLex(zskiplist *zsl, const zlexrangespec *r,
                                  zslDeleteCallback *cb, void *privdata);
/* start and end are 1-based and inclusive. */
unsigned long zslDeleteRangeByRank(zskiplist *zsl, unsigned long start, unsigned long end,
                                   zslDeleteCallback *cb, void *privdata);

/* Cursor scan of the index (ZSCAN), see htabScan: fn receives nodes. */
unsigned long zslScan(zskiplist *zsl, unsigned long cursor, htabScanFunction *fn, void *privdata);

#endif
