/* rdb.h -- the RDB format: encoding and decoding of values (rdb.c).
 *
 * ringkv reads and writes Redis 7.0's RDB format (version 10) so that a
 * dump.rdb moves between Redis and ringkv in both directions, and DUMP /
 * RESTORE payloads are interchangeable.  This module knows the format only:
 * where bytes go (a snapshot file, a DUMP payload) is the caller's business,
 * through a small sink/source interface, so the same encoder serves the
 * asynchronous snapshot writer and the DUMP command.
 *
 * Every length read from a source is untrusted: decoders check it against
 * the bytes actually available before allocating, and fail with an error
 * (never assert) on anything malformed. */
#ifndef RINGKV_RDB_H
#define RINGKV_RDB_H

#include <stddef.h>
#include <stdint.h>

#include "object.h"
#include "rstr.h"

#define RDB_VERSION 10

/* Value types (the byte before a key). */
#define RDB_TYPE_STRING 0
#define RDB_TYPE_LIST 1
#define RDB_TYPE_SET 2
#define RDB_TYPE_ZSET 3
#define RDB_TYPE_HASH 4
#define RDB_TYPE_ZSET_2 5
#define RDB_TYPE_MODULE_2 7
#define RDB_TYPE_HASH_ZIPMAP 9
#define RDB_TYPE_LIST_ZIPLIST 10
#define RDB_TYPE_SET_INTSET 11
#define RDB_TYPE_ZSET_ZIPLIST 12
#define RDB_TYPE_HASH_ZIPLIST 13
#define RDB_TYPE_LIST_QUICKLIST 14
#define RDB_TYPE_STREAM_LISTPACKS 15
#define RDB_TYPE_HASH_LISTPACK 16
#define RDB_TYPE_ZSET_LISTPACK 17
#define RDB_TYPE_LIST_QUICKLIST_2 18
#define RDB_TYPE_STREAM_LISTPACKS_2 19

/* Opcodes between keys. */
#define RDB_OPCODE_FUNCTION2 245
#define RDB_OPCODE_FUNCTION 246
#define RDB_OPCODE_MODULE_AUX 247
#define RDB_OPCODE_IDLE 248
#define RDB_OPCODE_FREQ 249
#define RDB_OPCODE_AUX 250
#define RDB_OPCODE_RESIZEDB 251
#define RDB_OPCODE_EXPIRETIME_MS 252
#define RDB_OPCODE_EXPIRETIME 253
#define RDB_OPCODE_SELECTDB 254
#define RDB_OPCODE_EOF 255

/* A destination for encoded bytes.  write returns 0 on success, -1 on
 * failure (the encoder stops).  The running CRC64 covers every byte. */
typedef struct rdbSink {
    int (*write)(struct rdbSink *s, const void *p, size_t len);
    void *ctx;
    uint64_t crc;
    int checksum;     /* update crc (rdbchecksum) */
    int compress;     /* LZF-compress strings (rdbcompression) */
    size_t written;
} rdbSink;

/* A source of bytes to decode.  read returns 0 when len bytes were copied,
 * -1 on a short read; remaining says how many bytes are still available
 * (SIZE_MAX when unknown), so a length can be checked before allocating. */
typedef struct rdbSource {
    int (*read)(struct rdbSource *s, void *p, size_t len);
    size_t (*remaining)(struct rdbSource *s);
    void *ctx;
    uint64_t crc;
    int checksum;
    size_t consumed;
    const char *error; /* static text of the first decoding error */
} rdbSource;

/* Sinks and sources over memory. */
void rdbSinkInitRstr(rdbSink *s, rstr *target);
void rdbSourceInitBuffer(rdbSource *s, const unsigned char *p, size_t len, size_t *posholder);
void rdbSourceRelease(rdbSource *s);

/* Encoding primitives. */
int rdbWriteRaw(rdbSink *s, const void *p, size_t len);
int rdbSaveType(rdbSink *s, unsigned char type);
int rdbSaveLen(rdbSink *s, uint64_t len);
int rdbSaveMillisecondTime(rdbSink *s, long long t);
int rdbSaveRawString(rdbSink *s, const unsigned char *p, size_t len);
int rdbSaveLongLongAsString(rdbSink *s, long long value);
int rdbSaveStringObject(rdbSink *s, robj *o);
int rdbSaveBinaryDouble(rdbSink *s, double val);
/* A string already LZF-compressed (clen bytes that expand to len). */
int rdbSaveLzfBlob(rdbSink *s, const void *data, size_t clen, size_t len);
/* The same string's header alone; its clen bytes follow (rdb_chunked.c
 * writes a long one in pieces). */
int rdbSaveLzfHeader(rdbSink *s, size_t clen, size_t len);
int rdbSaveAuxField(rdbSink *s, const char *key, const char *val);
int rdbSaveAuxFieldLongLong(rdbSink *s, const char *key, long long val);

/* Values.  rdbSaveObjectType writes the type byte for o (containers: the
 * function rdb_types.c registers says which); rdbSaveObject the whole value
 * in one go, through the resumable encoders of rdb_chunked.h, which also
 * write a big value in pieces. */
int rdbObjectType(robj *o);
int rdbSaveObjectType(rdbSink *s, robj *o);
int rdbSaveObject(rdbSink *s, robj *o);
/* A key with its value and expire time (-1 = none). */
int rdbSaveKeyValuePair(rdbSink *s, const char *key, size_t keylen, robj *val, long long expire);

/* Decoding primitives. */
int rdbLoadType(rdbSource *s);                       /* -1 on error */
int rdbLoadLen(rdbSource *s, uint64_t *len, int *isencoded);
int rdbLoadMillisecondTime(rdbSource *s, long long *t);
int rdbLoadSecondTime(rdbSource *s, long long *t);
rstr rdbLoadString(rdbSource *s);                    /* NULL on error */
robj *rdbLoadStringObject(rdbSource *s);
int rdbLoadBinaryDouble(rdbSource *s, double *val);
int rdbLoadDoubleValue(rdbSource *s, double *val);   /* the old text encoding (ZSET type 3) */
/* Decodes a value of the given RDB type; NULL (and s->error) on error. */
robj *rdbLoadObject(rdbSource *s, int rdbtype);
int rdbIsObjectType(int t);

/* Per-type hooks, registered at start-up: the RDB type byte of a container
 * value, and the decoder of each RDB type.  (Encoders: rdb_chunked.c.) */
typedef robj *rdbLoadProc(rdbSource *s, int rdbtype);
void rdbSetTypeOf(int objtype, int (*typeOf)(robj *o));
void rdbSetLoader(int rdbtype, rdbLoadProc *load);
/* Registers the container types' type bytes and decoders (rdb_types.c). */
void rdbTypesInit(void);

/* DUMP payloads: value + RDB version (2 bytes LE) + CRC64 (8 bytes LE). */
rstr rdbDumpPayload(robj *o, int compress);
/* Checks version and (unless verify_checksum is 0: DEBUG
 * SET-SKIP-CHECKSUM-VALIDATION) the checksum; returns the value or NULL with
 * *err set. */
robj *rdbRestorePayload(const unsigned char *p, size_t len, int verify_checksum, const char **err);

#endif
