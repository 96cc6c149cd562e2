/* object.c -- creation, encoding and destruction of robj values.
 *
 * Strings come in three encodings, chosen as Redis chooses them so that
 * OBJECT ENCODING reports the same name for the same value: INT for a value
 * that is the canonical text of a long long, EMBSTR (header and rstr in one
 * allocation) up to 44 bytes, RAW beyond.  Container payloads are freed by
 * the type modules' own free functions, registered here by type. */
#include "object.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "zmalloc.h"

/* Payload destructors for container types, filled in by the type modules
 * (objectSetFreeFunction) so that this file does not depend on them. */
static void (*payloadFree[8])(robj *o);

void objectSetFreeFunction(int type, void (*fn)(robj *o)) {
    payloadFree[type] = fn;
}

static robj *(*dupFunctions[8])(robj *o);

void objectSetDupFunction(int type, robj *(*fn)(robj *o)) {
    dupFunctions[type] = fn;
}

/* Returns NULL for a type whose module registered no copy function. */
robj *objectDup(robj *o) {
    if (o->type == OBJ_STRING) return dupStringObject(o);
    return dupFunctions[o->type] ? dupFunctions[o->type](o) : NULL;
}

robj *createObject(int type, void *ptr) {
    robj *o = zmalloc(sizeof(*o));
    o->type = (unsigned)type;
    o->encoding = OBJ_ENCODING_RAW;
    o->lru = 0;
    o->refcount = 1;
    o->ptr = ptr;
    return o;
}

robj *createRstrObject(rstr s) {
    return createObject(OBJ_STRING, s);
}

robj *createRawStringObject(const char *s, size_t len) {
    return createObject(OBJ_STRING, rstrNewLen(s, len));
}

/* One allocation: [robj][embedded rstr]. */
robj *createEmbeddedStringObject(const char *s, size_t len) {
    robj *o = zmalloc(sizeof(robj) + rstrEmbeddedSize(len));
    o->type = OBJ_STRING;
    o->encoding = OBJ_ENCODING_EMBSTR;
    o->lru = 0;
    o->refcount = 1;
    o->ptr = rstrInitEmbedded(o + 1, s, len);
    return o;
}

robj *createStringObject(const char *s, size_t len) {
    if (len <= OBJ_EMBSTR_SIZE_LIMIT) return createEmbeddedStringObject(s, len);
    return createRawStringObject(s, len);
}

robj *createStringObjectFromLongLong(long long value) {
    robj *o = createObject(OBJ_STRING, (void *)(intptr_t)value);
    o->encoding = OBJ_ENCODING_INT;
    return o;
}

robj *createStringObjectFromLongDouble(long double value, int humanfriendly) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    int len = ld2string(buf, sizeof(buf), value, humanfriendly);
    return createStringObject(buf, (size_t)len);
}

robj *dupStringObject(const robj *o) {
    switch (o->encoding) {
    case OBJ_ENCODING_RAW: return createRawStringObject(o->ptr, rstrLen(o->ptr));
    case OBJ_ENCODING_EMBSTR: return createEmbeddedStringObject(o->ptr, rstrLen(o->ptr));
    default: return createStringObjectFromLongLong((long long)(intptr_t)o->ptr);
    }
}

void freeObjectPayload(robj *o) {
    if (o->type == OBJ_STRING) {
        if (o->encoding == OBJ_ENCODING_RAW) rstrFree(o->ptr);
        return;
    }
    if (payloadFree[o->type]) payloadFree[o->type](o);
}

void incrRefCount(robj *o) {
    if (o->refcount < OBJ_SHARED_REFCOUNT) o->refcount++;
}

void decrRefCount(robj *o) {
    if (o->refcount == OBJ_SHARED_REFCOUNT) return;
    if (o->refcount == 1) {
        freeObjectPayload(o);
        /* The allocation's size follows from the encoding (createObject,
         * createEmbeddedStringObject): telling it saves zmalloc a lookup. */
        size_t size = sizeof(robj);
        if (o->type == OBJ_STRING && o->encoding == OBJ_ENCODING_EMBSTR)
            size = (size_t)((char *)o->ptr - (char *)o) + rstrLen(o->ptr) + 1; /* through the NUL */
        zfreeSized(o, size);
    } else {
        o->refcount--;
    }
}

void decrRefCountVoid(void *o) {
    decrRefCount(o);
}

/* Returns the INT encoding of a string that is the canonical text of a long
 * long (at most 20 chars), the same object otherwise.  Shrinks a RAW string's
 * spare capacity so values kept in the keyspace waste no memory. */
robj *tryObjectEncoding(robj *o) {
    if (o->type != OBJ_STRING || o->encoding == OBJ_ENCODING_INT) return o;
    size_t len = rstrLen(o->ptr);
    long long value;
    if (len <= 20 && string2ll(o->ptr, len, &value)) {
        if (o->refcount == 1) {
            if (o->encoding == OBJ_ENCODING_RAW) rstrFree(o->ptr);
            if (o->encoding == OBJ_ENCODING_EMBSTR) {
                decrRefCount(o);
                return createStringObjectFromLongLong(value);
            }
            o->encoding = OBJ_ENCODING_INT;
            o->ptr = (void *)(intptr_t)value;
            return o;
        }
        return o;
    }
    if (o->encoding == OBJ_ENCODING_RAW && len <= OBJ_EMBSTR_SIZE_LIMIT && o->refcount == 1) {
        robj *e = createEmbeddedStringObject(o->ptr, len);
        decrRefCount(o);
        return e;
    }
    if (o->encoding == OBJ_ENCODING_RAW && rstrAvail(o->ptr) > len / 10)
        o->ptr = rstrRemoveFreeSpace(o->ptr);
    return o;
}

robj *getDecodedObject(robj *o) {
    if (o->type == OBJ_STRING && o->encoding == OBJ_ENCODING_INT) {
        char buf[LONG_STR_SIZE];
        int len = ll2string(buf, sizeof(buf), (long long)(intptr_t)o->ptr);
        return createStringObject(buf, (size_t)len);
    }
    incrRefCount(o);
    return o;
}

size_t stringObjectLen(const robj *o) {
    if (o->encoding == OBJ_ENCODING_INT) {
        char buf[LONG_STR_SIZE];
        return (size_t)ll2string(buf, sizeof(buf), (long long)(intptr_t)o->ptr);
    }
    return rstrLen(o->ptr);
}

int isStringObjectInt(const robj *o) {
    return o->encoding == OBJ_ENCODING_INT;
}

const char *stringObjectBytes(const robj *o, char *buf, size_t bufsize, size_t *len) {
    if (o->encoding == OBJ_ENCODING_INT) {
        *len = (size_t)ll2string(buf, bufsize, (long long)(intptr_t)o->ptr);
        return buf;
    }
    *len = rstrLen(o->ptr);
    return o->ptr;
}

int compareStringObjects(const robj *a, const robj *b) {
    char ba[LONG_STR_SIZE], bb[LONG_STR_SIZE];
    size_t la, lb;
    const char *pa = stringObjectBytes(a, ba, sizeof(ba), &la);
    const char *pb = stringObjectBytes(b, bb, sizeof(bb), &lb);
    int c = memcmp(pa, pb, la < lb ? la : lb);
    if (c) return c;
    return la < lb ? -1 : (la > lb ? 1 : 0);
}

int equalStringObjects(const robj *a, const robj *b) {
    if (a->encoding == OBJ_ENCODING_INT && b->encoding == OBJ_ENCODING_INT) return a->ptr == b->ptr;
    return compareStringObjects(a, b) == 0;
}

const char *strObjectType(int type) {
    switch (type) {
    case OBJ_STRING: return "string";
    case OBJ_LIST: return "list";
    case OBJ_SET: return "set";
    case OBJ_ZSET: return "zset";
    case OBJ_HASH: return "hash";
    default: return "unknown";
    }
}

const char *strObjectEncoding(int encoding) {
    switch (encoding) {
    case OBJ_ENCODING_RAW: return "raw";
    case OBJ_ENCODING_INT: return "int";
    case OBJ_ENCODING_EMBSTR: return "embstr";
    case OBJ_ENCODING_HT: return "hashtable";
    case OBJ_ENCODING_INTSET: return "intset";
    case OBJ_ENCODING_LISTPACK: return "listpack";
    case OBJ_ENCODING_QUICKLIST: return "quicklist";
    case OBJ_ENCODING_SKIPLIST: return "skiplist";
    default: return "unknown";
    }
}

int getLongLongFromObject(const robj *o, long long *target) {
    long long value;
    if (o == NULL) {
        value = 0;
    } else if (o->encoding == OBJ_ENCODING_INT) {
        value = (long long)(intptr_t)o->ptr;
    } else if (!string2ll(o->ptr, rstrLen(o->ptr), &value)) {
        return -1;
    }
    if (target) *target = value;
    return 0;
}

int getLongDoubleFromObject(const robj *o, long double *target) {
    long double value;
    if (o == NULL) {
        value = 0;
    } else if (o->encoding == OBJ_ENCODING_INT) {
        value = (long double)(long long)(intptr_t)o->ptr;
    } else if (!string2ld(o->ptr, rstrLen(o->ptr), &value)) {
        return -1;
    }
    *target = value;
    return 0;
}

int getDoubleFromObject(const robj *o, double *target) {
    double value;
    if (o == NULL) {
        value = 0;
    } else if (o->encoding == OBJ_ENCODING_INT) {
        value = (double)(long long)(intptr_t)o->ptr;
    } else if (!string2d(o->ptr, rstrLen(o->ptr), &value)) {
        return -1;
    }
    *target = value;
    return 0;
}
