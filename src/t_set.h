/* t_set.h -- the set type (t_set.c): encodings, a small API for other
 * modules (snapshots, SORT, COPY), and the S* command handlers.
 *
 * A set value is an robj of type OBJ_SET in one of two encodings:
 *   OBJ_ENCODING_INTSET  ptr is an intset (intset.h): every member is the
 *                        canonical decimal text of a 64-bit integer and
 *                        there are at most set-max-intset-entries of them;
 *   OBJ_ENCODING_HT      ptr is an htab (htab.h) of setEntry, one
 *                        allocation per member.
 * Conversion is one-way, intset to hashtable, as in Redis.
 *
 * Members are passed as (bytes, length); the API never keeps the caller's
 * pointer. */
#ifndef RINGKV_T_SET_H
#define RINGKV_T_SET_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "htab.h"
#include "object.h"

/* Registers the set type with object.c (free, dup), lazyfree.c (effort)
 * and debug.c (digest).  Called once at start-up. */
void setTypeInit(void);

/* A new empty set: intset if `first` (the first member the caller will
 * add) is an integer, hashtable otherwise.  first may be NULL: intset. */
robj *setTypeCreate(const char *first, size_t len);
/* Adds a member, converting the encoding when needed: 1 if added, 0 if it
 * was already there. */
int setTypeAdd(robj *set, const char *ele, size_t len);
int setTypeAddInteger(robj *set, int64_t value);
/* 1 if removed, 0 if absent. */
int setTypeRemove(robj *set, const char *ele, size_t len);
int setTypeIsMember(robj *set, const char *ele, size_t len);
size_t setTypeSize(const robj *set);
/* Only OBJ_ENCODING_HT is a valid target (from intset). */
void setTypeConvert(robj *set, int encoding);
/* Deep copy with the same encoding, refcount 1 (COPY). */
robj *setTypeDup(robj *set);

/* Iteration.  The struct is public so it can live on the stack; fields are
 * private.  The set must not be modified while an iterator is live.
 * setTypeNext returns 0 at the end; otherwise either *str is NULL and
 * *llval holds an intset member, or *str and *len point at the member's bytes
 * inside the set.  setTypeReleaseIterator must always be called. */
typedef struct setTypeIterator {
    robj *set;
    uint32_t pos;       /* intset position */
    htabIterator hi;    /* hashtable iterator */
} setTypeIterator;
void setTypeInitIterator(setTypeIterator *it, robj *set);
int setTypeNext(setTypeIterator *it, const char **str, size_t *len, int64_t *llval);
void setTypeReleaseIterator(setTypeIterator *it);

/* Commands. */
void saddCommand(client *c);
void sremCommand(client *c);
void sismemberCommand(client *c);
void smismemberCommand(client *c);
void scardCommand(client *c);
void smembersCommand(client *c);
void srandmemberCommand(client *c);
void spopCommand(client *c);
void smoveCommand(client *c);
void sinterCommand(client *c);
void sintercardCommand(client *c);
void sinterstoreCommand(client *c);
void sunionCommand(client *c);
void sunionstoreCommand(client *c);
void sdiffCommand(client *c);
void sdiffstoreCommand(client *c);
void sscanCommand(client *c);

#endif
