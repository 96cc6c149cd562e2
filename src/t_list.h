/* t_list.h -- the list type: commands (t_list.c) and the small API other
 * modules use to read and build lists (SORT, snapshots, COPY).
 *
 * A list value is an robj of type OBJ_LIST, encoding
 * OBJ_ENCODING_QUICKLIST, whose ptr is a quicklist (quicklist.h).  Redis 7.0
 * reports every list as "quicklist", whatever its size, and so do we. */
#ifndef RINGKV_T_LIST_H
#define RINGKV_T_LIST_H

#include <stddef.h>

#include "client.h"
#include "object.h"
#include "quicklist.h"

#define LIST_HEAD 0 /* = QUICKLIST_HEAD */
#define LIST_TAIL 1 /* = QUICKLIST_TAIL */

/* Registers the list destructor, COPY, DEBUG DIGEST and lazy-free cost
 * functions, and the blocking module.  server.c calls it at start-up. */
void listTypeInit(void);

/* A new empty list (refcount 1) with the current list-max-listpack-size and
 * list-compress-depth.  Hand it to dbAdd/setKey only once non-empty: the
 * keyspace never holds an empty list. */
robj *createListObject(void);
unsigned long listTypeLength(const robj *o);
/* Appends (LIST_TAIL) or prepends (LIST_HEAD) the bytes s. */
void listTypePush(robj *o, const void *s, size_t len, int where);

/* Iteration from index (0 first, -1 last) towards the tail (LIST_TAIL:
 * head-to-tail, as in Redis's listTypeInitIterator) or towards the head
 * (LIST_HEAD).  Elements come back as bytes (*s, *len) or, for integers, as
 * *s = NULL and *ll.  The bytes are valid until the next call. */
typedef struct listTypeIterator {
    quicklistIter qi;
    int valid;
} listTypeIterator;
void listTypeInitIterator(listTypeIterator *it, robj *o, long index, int direction);
int listTypeNext(listTypeIterator *it, const char **s, size_t *len, long long *ll);
void listTypeReleaseIterator(listTypeIterator *it);

/* Commands. */
void lpushCommand(client *c);
void rpushCommand(client *c);
void lpushxCommand(client *c);
void rpushxCommand(client *c);
void linsertCommand(client *c);
void llenCommand(client *c);
void lindexCommand(client *c);
void lsetCommand(client *c);
void lpopCommand(client *c);
void rpopCommand(client *c);
void lrangeCommand(client *c);
void ltrimCommand(client *c);
void lposCommand(client *c);
void lremCommand(client *c);
void lmoveCommand(client *c);
void rpoplpushCommand(client *c);
void lmpopCommand(client *c);
void blpopCommand(client *c);
void brpopCommand(client *c);
void blmoveCommand(client *c);
void brpoplpushCommand(client *c);
void blmpopCommand(client *c);

#endif
