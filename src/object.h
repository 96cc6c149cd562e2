/* object.h -- value objects: type, encoding, reference count.
 *
 * Every value the server handles (command arguments, keyspace values,
 * elements of containers) is an robj.  `ptr` points at the payload: an rstr
 * for strings (RAW and EMBSTR), the integer itself for INT (cast through
 * intptr_t), or a container for the other types.
 *
 * Keyspace values are special: they live embedded in the keyspace entry (see
 * db.h), so they are never shared and their refcount stays 1.  Arguments and
 * container elements are refcounted: incrRefCount to keep, decrRefCount to
 * drop; the last decrRefCount frees the payload. */
#ifndef RINGKV_OBJECT_H
#define RINGKV_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "rstr.h"

/* Types (never change the numbers: OBJECT and TYPE name them, RDB maps them). */
#define OBJ_STRING 0
#define OBJ_LIST 1
#define OBJ_SET 2
#define OBJ_ZSET 3
#define OBJ_HASH 4

/* Encodings.  OBJECT ENCODING reports them with Redis's names. */
#define OBJ_ENCODING_RAW 0       /* separately allocated rstr */
#define OBJ_ENCODING_INT 1       /* integer stored in ptr */
#define OBJ_ENCODING_EMBSTR 2    /* rstr in the same allocation as the header */
#define OBJ_ENCODING_HT 3        /* htab */
#define OBJ_ENCODING_INTSET 4
#define OBJ_ENCODING_LISTPACK 5
#define OBJ_ENCODING_QUICKLIST 6
#define OBJ_ENCODING_SKIPLIST 7

/* Strings up to this many bytes are embedded (same threshold as Redis, so
 * OBJECT ENCODING answers the same for the same value). */
#define OBJ_EMBSTR_SIZE_LIMIT 44
#define OBJ_SHARED_REFCOUNT INT32_MAX
#define OBJ_LRU_BITS 24

typedef struct robj {
    unsigned type : 4;
    unsigned encoding : 4;
    unsigned lru : OBJ_LRU_BITS; /* LRU clock, or LFU counter+time (eviction) */
    int refcount;
    void *ptr;
} robj;

robj *createObject(int type, void *ptr);
robj *createStringObject(const char *s, size_t len); /* embstr or raw by length */
robj *createRawStringObject(const char *s, size_t len);
robj *createEmbeddedStringObject(const char *s, size_t len);
robj *createStringObjectFromLongLong(long long value);
robj *createStringObjectFromLongDouble(long double value, int humanfriendly);
robj *createRstrObject(rstr s); /* takes ownership of s (RAW) */
robj *dupStringObject(const robj *o);
void incrRefCount(robj *o);
void decrRefCount(robj *o);
void decrRefCountVoid(void *o);
/* Frees the payload of an object by type (used for embedded keyspace values). */
void freeObjectPayload(robj *o);
robj *tryObjectEncoding(robj *o);   /* may return a different object */
robj *getDecodedObject(robj *o);    /* new reference to a RAW/EMBSTR equivalent */
size_t stringObjectLen(const robj *o);
int isStringObjectInt(const robj *o);
/* Copies the string value of o into buf when INT-encoded; returns pointer and
 * length of the bytes either way (no allocation). */
const char *stringObjectBytes(const robj *o, char *buf, size_t bufsize, size_t *len);
int compareStringObjects(const robj *a, const robj *b);
int equalStringObjects(const robj *a, const robj *b);
const char *strObjectType(int type);     /* "string", "list", ... */
const char *strObjectEncoding(int encoding);
int getLongLongFromObject(const robj *o, long long *target);
int getLongDoubleFromObject(const robj *o, long double *target);
int getDoubleFromObject(const robj *o, double *target);
/* Deep copy of any value (COPY): strings here, containers through the
 * function their type module registers. */
robj *objectDup(robj *o);
void objectSetDupFunction(int type, robj *(*fn)(robj *o));
/* Registers the payload destructor of a container type (type modules call it). */
void objectSetFreeFunction(int type, void (*fn)(robj *o));

#endif
