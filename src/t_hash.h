/* t_hash.h -- the hash type: its two encodings, the API other modules use to
 * read and build hashes (SORT BY/GET, snapshots, COPY, DEBUG), and the H*
 * commands (t_hash.c).
 *
 * A hash is an robj of type OBJ_HASH in one of two encodings:
 *   OBJ_ENCODING_LISTPACK  ptr is a listpack (listpack.h) holding field,
 *                          value, field, value ... back to back: the exact
 *                          blob Redis 7.0 writes to RDB files;
 *   OBJ_ENCODING_HT        ptr is an htab of hashField entries (one
 *                          allocation per field, field and value bytes
 *                          inside it).
 * A hash starts as a listpack and converts once, for good, to HT when it
 * gets more than hash-max-listpack-entries fields or a field or value longer
 * than hash-max-listpack-value bytes. */
#ifndef RINGKV_T_HASH_H
#define RINGKV_T_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "htab.h"
#include "listpack.h"
#include "object.h"

/* Registers the hash type's free, lazy-free effort, digest and copy
 * functions.  Called once at start-up, before any hash exists. */
void hashTypeInit(void);

/* One field of an HT-encoded hash: a single allocation holding the chain
 * link, both lengths, then the field bytes immediately followed by the value
 * bytes (no terminators). */
typedef struct hashField {
    void *next;     /* htab chain link: owned by the table */
    uint32_t flen;  /* field bytes at data[0] */
    uint32_t vlen;  /* value bytes at data[flen] */
    char data[];
} hashField;

/* Creation and size. */
robj *hashTypeCreate(void); /* empty listpack hash, refcount 1 */
unsigned long hashTypeLength(const robj *o);
/* Converts a listpack hash to OBJ_ENCODING_HT (the only direction). */
void hashTypeConvert(robj *o, int encoding);

/* Reads the value of a field.  Returns 1 and the value if the field exists,
 * 0 if not.  The value comes as bytes (*vstr, *vlen; pointing into the hash,
 * valid until it is next modified) or, for a listpack integer, as *vstr ==
 * NULL and *vll. */
int hashTypeGetValue(robj *o, const void *field, size_t flen, const unsigned char **vstr,
                     size_t *vlen, long long *vll);
/* Same, as a new string object (NULL if the field is absent). */
robj *hashTypeGetValueObject(robj *o, const void *field, size_t flen);
int hashTypeExists(robj *o, const void *field, size_t flen);

/* Sets a field, converting the encoding when a length or the field count
 * passes its threshold.  Returns 1 if the field was added, 0 if it existed
 * and its value was replaced. */
int hashTypeSet(robj *o, const void *field, size_t flen, const void *value, size_t vlen);
/* Removes a field: 1 if it was there, 0 if not.  Never deletes the key: the
 * caller does that when the hash becomes empty. */
int hashTypeDelete(robj *o, const void *field, size_t flen);

/* Bytes used by the payload (MEMORY USAGE): exact for a listpack; for a
 * hashtable the buckets plus the average size of `samples` entries (0: all)
 * times the field count. */
size_t hashTypeMemUsage(robj *o, size_t samples);

/* Iteration over (field, value) pairs in storage order.  The hash must not
 * be modified while an iterator is live; hashTypeReleaseIterator must always
 * be called (it resumes rehashing of an HT hash). */
#define HASH_FIELD 0
#define HASH_VALUE 1
typedef struct hashTypeIterator {
    robj *subject;
    int encoding;
    unsigned char *fptr, *vptr; /* listpack: current field and value */
    hashField *cur;             /* HT: current entry */
    htabIterator hi;            /* HT */
} hashTypeIterator;
void hashTypeInitIterator(robj *o, hashTypeIterator *it);
/* Advances to the next pair: 1 if there is one, 0 at the end. */
int hashTypeNext(hashTypeIterator *it);
/* Bytes of the current field or value (what = HASH_FIELD / HASH_VALUE);
 * listpack integers are rendered as text into buf. */
const unsigned char *hashTypeCurrent(hashTypeIterator *it, int what,
                                     unsigned char buf[LP_INTBUF_SIZE], size_t *len);
void hashTypeReleaseIterator(hashTypeIterator *it);

/* Commands. */
void hsetCommand(client *c);
void hmsetCommand(client *c);
void hsetnxCommand(client *c);
void hgetCommand(client *c);
void hmgetCommand(client *c);
void hdelCommand(client *c);
void hlenCommand(client *c);
void hstrlenCommand(client *c);
void hexistsCommand(client *c);
void hkeysCommand(client *c);
void hvalsCommand(client *c);
void hgetallCommand(client *c);
void hincrbyCommand(client *c);
void hincrbyfloatCommand(client *c);
void hrandfieldCommand(client *c);
void hscanCommand(client *c);

#endif
