/* t_zset.h -- the sorted set type (t_zset.c): encodings, a small API for
 * other modules (snapshots, SORT, COPY), and the Z* command handlers.
 *
 * A sorted set value is an robj of type OBJ_ZSET in one of two encodings:
 *   OBJ_ENCODING_LISTPACK  ptr is a listpack (listpack.h) of member, score
 *                          pairs sorted by (score, member); scores are
 *                          stored as integers when integral, else as the
 *                          "%.17g" text, exactly as Redis writes them;
 *   OBJ_ENCODING_SKIPLIST  ptr is a zskiplist (zskiplist.h): skiplist plus
 *                          member index, one allocation per member.
 * Listpack while the set has at most zset-max-listpack-entries members of at
 * most zset-max-listpack-value bytes; conversion to the skiplist is one-way
 * during a value's life (stored results of ZUNIONSTORE & co. are built in
 * whichever encoding fits, as Redis does).
 *
 * Members are passed as (bytes, length); the API never keeps the caller's
 * pointer. */
#ifndef RINGKV_T_ZSET_H
#define RINGKV_T_ZSET_H

#include <stddef.h>

#include "client.h"
#include "listpack.h"
#include "object.h"
#include "zskiplist.h"

/* Registers the zset type with object.c (free, dup), lazyfree.c (effort)
 * and debug.c (digest).  Called once at start-up. */
void zsetTypeInit(void);

/* A new empty sorted set (refcount 1) in the encoding that suits size_hint
 * members of up to maxelelen bytes. */
robj *zsetTypeCreate(size_t size_hint, size_t maxelelen);
unsigned long zsetLength(const robj *zobj);
/* Converts a listpack zset to OBJ_ENCODING_SKIPLIST (no-op otherwise). */
void zsetConvertToSkiplist(robj *zobj);
/* Deep copy with the same encoding, refcount 1 (COPY). */
robj *zsetDup(robj *zobj);

/* zsetAdd flags.  In: ZADD_IN_*; out: ZADD_OUT_*. */
#define ZADD_IN_NONE 0
#define ZADD_IN_INCR (1 << 0) /* increment the score instead of setting it */
#define ZADD_IN_NX (1 << 1)   /* only add new members */
#define ZADD_IN_XX (1 << 2)   /* only update existing members */
#define ZADD_IN_GT (1 << 3)   /* only update when the new score is greater */
#define ZADD_IN_LT (1 << 4)   /* only update when the new score is less */
#define ZADD_OUT_NOP (1 << 0)     /* nothing done because of the flags */
#define ZADD_OUT_NAN (1 << 1)     /* the resulting score would be NaN */
#define ZADD_OUT_ADDED (1 << 2)   /* a new member */
#define ZADD_OUT_UPDATED (1 << 3) /* an existing member changed score */
/* Adds or updates a member, converting the encoding when needed.  Returns 1
 * on success (see *out_flags), 0 on NaN (ZADD_OUT_NAN, nothing changed).
 * *newscore (may be NULL) receives the member's score afterwards. */
int zsetAdd(robj *zobj, double score, const void *ele, size_t len, int in_flags, int *out_flags,
            double *newscore);
/* 1 if removed, 0 if absent (the caller deletes an emptied key). */
int zsetDel(robj *zobj, const void *ele, size_t len);
/* 1 and *score if the member exists, else 0. */
int zsetScore(robj *zobj, const void *ele, size_t len, double *score);
/* 0-based rank (from the highest score when reverse), -1 if absent. */
long zsetRank(robj *zobj, const void *ele, size_t len, int reverse);

/* Iteration in score order (reverse: highest first), starting at a 0-based
 * rank counted from the starting end.  The zset must not change while an
 * iterator is in use; there is nothing to release.  zsetIterNext returns 0
 * at the end; the member bytes stay valid until the next call. */
typedef struct zsetIter {
    robj *zobj;
    int reverse;
    unsigned char *p;   /* listpack: current member element, NULL at the end */
    zskiplistNode *node;/* skiplist: current node, NULL at the end */
    unsigned char ibuf[LP_INTBUF_SIZE];
} zsetIter;
void zsetIterInit(zsetIter *it, robj *zobj, unsigned long rank, int reverse);
int zsetIterNext(zsetIter *it, const unsigned char **ele, size_t *len, double *score);

/* Commands. */
void zaddCommand(client *c);
void zincrbyCommand(client *c);
void zremCommand(client *c);
void zcardCommand(client *c);
void zscoreCommand(client *c);
void zmscoreCommand(client *c);
void zrankCommand(client *c);
void zrevrankCommand(client *c);
void zcountCommand(client *c);
void zlexcountCommand(client *c);
void zrangeCommand(client *c);
void zrangestoreCommand(client *c);
void zrevrangeCommand(client *c);
void zrangebyscoreCommand(client *c);
void zrevrangebyscoreCommand(client *c);
void zrangebylexCommand(client *c);
void zrevrangebylexCommand(client *c);
void zremrangebyrankCommand(client *c);
void zremrangebyscoreCommand(client *c);
void zremrangebylexCommand(client *c);
void zpopminCommand(client *c);
void zpopmaxCommand(client *c);
void zmpopCommand(client *c);
void bzpopminCommand(client *c);
void bzpopmaxCommand(client *c);
void bzmpopCommand(client *c);
void zrandmemberCommand(client *c);
void zunionCommand(client *c);
void zunionstoreCommand(client *c);
void zinterCommand(client *c);
void zinterstoreCommand(client *c);
void zintercardCommand(client *c);
void zdiffCommand(client *c);
void zdiffstoreCommand(client *c);
void zscanCommand(client *c);

#endif
