/* rdb.c -- encoding and decoding values in Redis 7.0's RDB format.
 *
 * Byte-level facts of the format (RDB version 10):
 *   lengths   00xxxxxx (6 bit) | 01xxxxxx xxxxxxxx (14 bit, big endian) |
 *             0x80 + 4 bytes BE | 0x81 + 8 bytes BE |
 *             11xxxxxx = a special string encoding follows:
 *               0 int8, 1 int16 LE, 2 int32 LE, 3 LZF (clen, len, data)
 *   strings   length + bytes, or one of the special encodings above
 *   times     EXPIRETIME_MS + 8 bytes LE (ms); old EXPIRETIME + 4 bytes LE (s)
 *   doubles   8 bytes LE (binary, ZSET_2), or the old text form (ZSET)
 *   checksum  CRC64 (Jones polynomial) of everything before it, 8 bytes LE
 *
 * Writers go through an rdbSink, readers through an rdbSource; both keep a
 * running CRC64 so the file checksum and DUMP payloads need no second pass.
 * Strings are written the way Redis writes them (integers that fit 32 bits
 * in the int encodings, LZF when compression is on and it saves space), so
 * the same data produces the same bytes and Redis reads ours unchanged.
 *
 * Container values are encoded by rdb_chunked.c (resumable, so that the
 * snapshot writer can split a big value across event-loop slices) and
 * decoded by rdb_types.c through rdbSetLoader: their compact encodings
 * already use Redis's listpack and intset formats, so most of them are
 * written and read as one blob. */
#include "rdb.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lzf.h"
#include "rdb_chunked.h"
#include "util.h"
#include "zmalloc.h"

#define RDB_6BITLEN 0
#define RDB_14BITLEN 1
#define RDB_32BITLEN 0x80
#define RDB_64BITLEN 0x81
#define RDB_ENCVAL 3
#define RDB_ENC_INT8 0
#define RDB_ENC_INT16 1
#define RDB_ENC_INT32 2
#define RDB_ENC_LZF 3

/* Strings longer than this are tried with LZF (as in Redis). */
#define RDB_LZF_MIN_LEN 20

/* --- sinks and sources over memory ------------------------------------- */

static int rstrSinkWrite(rdbSink *s, const void *p, size_t len) {
    rstr *target = s->ctx;
    *target = rstrCatLen(*target, p, len);
    return 0;
}

void rdbSinkInitRstr(rdbSink *s, rstr *target) {
    memset(s, 0, sizeof(*s));
    s->write = rstrSinkWrite;
    s->ctx = target;
    s->checksum = 1;
    s->compress = 1;
}

typedef struct bufferSource {
    const unsigned char *p;
    size_t len;
    size_t *pos;
} bufferSource;

static int bufferSourceRead(rdbSource *s, void *p, size_t len) {
    bufferSource *b = s->ctx;
    if (b->len - *b->pos < len) return -1;
    memcpy(p, b->p + *b->pos, len);
    *b->pos += len;
    return 0;
}

static size_t bufferSourceRemaining(rdbSource *s) {
    bufferSource *b = s->ctx;
    return b->len - *b->pos;
}

/* A source over a memory buffer; *posholder tracks the read position.  Its
 * small state is heap-allocated: release it with rdbSourceRelease. */
void rdbSourceInitBuffer(rdbSource *s, const unsigned char *p, size_t len, size_t *posholder) {
    memset(s, 0, sizeof(*s));
    bufferSource *b = zmalloc(sizeof(*b));
    b->p = p;
    b->len = len;
    b->pos = posholder;
    *posholder = 0;
    s->read = bufferSourceRead;
    s->remaining = bufferSourceRemaining;
    s->ctx = b;
}

void rdbSourceRelease(rdbSource *s) {
    if (s->read == bufferSourceRead) zfree(s->ctx);
    s->ctx = NULL;
}

/* --- writing ---------------------------------------------------------- */

int rdbWriteRaw(rdbSink *s, const void *p, size_t len) {
    if (len == 0) return 0;
    if (s->checksum) s->crc = crc64(s->crc, p, len);
    s->written += len;
    return s->write(s, p, len);
}

int rdbSaveType(rdbSink *s, unsigned char type) {
    return rdbWriteRaw(s, &type, 1);
}

int rdbSaveLen(rdbSink *s, uint64_t len) {
    unsigned char buf[9];
    if (len < (1 << 6)) {
        buf[0] = (unsigned char)((len & 0xFF) | (RDB_6BITLEN << 6));
        return rdbWriteRaw(s, buf, 1);
    }
    if (len < (1 << 14)) {
        buf[0] = (unsigned char)(((len >> 8) & 0xFF) | (RDB_14BITLEN << 6));
        buf[1] = (unsigned char)(len & 0xFF);
        return rdbWriteRaw(s, buf, 2);
    }
    if (len <= UINT32_MAX) {
        buf[0] = RDB_32BITLEN;
        for (int i = 0; i < 4; i++) buf[1 + i] = (unsigned char)(len >> (24 - 8 * i));
        return rdbWriteRaw(s, buf, 5);
    }
    buf[0] = RDB_64BITLEN;
    for (int i = 0; i < 8; i++) buf[1 + i] = (unsigned char)(len >> (56 - 8 * i));
    return rdbWriteRaw(s, buf, 9);
}

static void putLE(unsigned char *p, uint64_t v, int n) {
    for (int i = 0; i < n; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t getLE(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

int rdbSaveMillisecondTime(rdbSink *s, long long t) {
    unsigned char buf[8];
    putLE(buf, (uint64_t)t, 8);
    return rdbWriteRaw(s, buf, 8);
}

/* The int encodings: 1, 2 or 4 bytes for values that fit. */
static int encodeInteger(long long value, unsigned char *enc) {
    if (value >= -(1 << 7) && value <= (1 << 7) - 1) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
        enc[1] = (unsigned char)(value & 0xFF);
        return 2;
    }
    if (value >= -(1 << 15) && value <= (1 << 15) - 1) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
        putLE(enc + 1, (uint64_t)value, 2);
        return 3;
    }
    if (value >= -((long long)1 << 31) && value <= ((long long)1 << 31) - 1) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
        putLE(enc + 1, (uint64_t)value, 4);
        return 5;
    }
    return 0;
}

/* Strings of up to 11 chars that are the canonical text of an integer
 * fitting 32 bits are stored in the int encoding. */
static int tryIntegerEncoding(const unsigned char *p, size_t len, unsigned char *enc) {
    long long value;
    if (len == 0 || len > 11 || !string2ll((const char *)p, len, &value)) return 0;
    return encodeInteger(value, enc);
}

static int saveLzfString(rdbSink *s, const unsigned char *p, size_t len) {
    /* Worth it only if at least 4 bytes are saved. */
    if (len <= 4) return 0;
    size_t outlen = len - 4;
    unsigned char *out = ztrymalloc(outlen + 1);
    if (!out) return 0;
    unsigned int comprlen = lzfCompress(p, (unsigned int)len, out, (unsigned int)outlen);
    if (comprlen == 0) {
        zfree(out);
        return 0;
    }
    unsigned char b = (RDB_ENCVAL << 6) | RDB_ENC_LZF;
    int ok = rdbWriteRaw(s, &b, 1) == 0 && rdbSaveLen(s, comprlen) == 0 && rdbSaveLen(s, len) == 0 &&
             rdbWriteRaw(s, out, comprlen) == 0;
    zfree(out);
    return ok ? 1 : -1;
}

int rdbSaveRawString(rdbSink *s, const unsigned char *p, size_t len) {
    if (len <= 11) {
        unsigned char enc[5];
        int n = tryIntegerEncoding(p, len, enc);
        if (n > 0) return rdbWriteRaw(s, enc, (size_t)n);
    }
    if (s->compress && len > RDB_LZF_MIN_LEN) {
        int r = saveLzfString(s, p, len);
        if (r == 1) return 0;
        if (r == -1) return -1;
    }
    if (rdbSaveLen(s, len) == -1) return -1;
    return rdbWriteRaw(s, p, len);
}

int rdbSaveLongLongAsString(rdbSink *s, long long value) {
    unsigned char enc[5];
    int n = encodeInteger(value, enc);
    if (n > 0) return rdbWriteRaw(s, enc, (size_t)n);
    char buf[LONG_STR_SIZE];
    int len = ll2string(buf, sizeof(buf), value);
    if (rdbSaveLen(s, (uint64_t)len) == -1) return -1;
    return rdbWriteRaw(s, buf, (size_t)len);
}

int rdbSaveStringObject(rdbSink *s, robj *o) {
    if (o->encoding == OBJ_ENCODING_INT) return rdbSaveLongLongAsString(s, (long long)(intptr_t)o->ptr);
    return rdbSaveRawString(s, (const unsigned char *)o->ptr, rstrLen(o->ptr));
}

int rdbSaveLzfHeader(rdbSink *s, size_t clen, size_t len) {
    unsigned char b = (RDB_ENCVAL << 6) | RDB_ENC_LZF;
    if (rdbWriteRaw(s, &b, 1) == -1 || rdbSaveLen(s, clen) == -1) return -1;
    return rdbSaveLen(s, len);
}

int rdbSaveLzfBlob(rdbSink *s, const void *data, size_t clen, size_t len) {
    if (rdbSaveLzfHeader(s, clen, len) == -1) return -1;
    return rdbWriteRaw(s, data, clen);
}

int rdbSaveBinaryDouble(rdbSink *s, double val) {
    unsigned char buf[8];
    uint64_t bits;
    memcpy(&bits, &val, 8);
    putLE(buf, bits, 8);
    return rdbWriteRaw(s, buf, 8);
}

int rdbSaveAuxField(rdbSink *s, const char *key, const char *val) {
    if (rdbSaveType(s, RDB_OPCODE_AUX) == -1) return -1;
    if (rdbSaveRawString(s, (const unsigned char *)key, strlen(key)) == -1) return -1;
    return rdbSaveRawString(s, (const unsigned char *)val, strlen(val));
}

int rdbSaveAuxFieldLongLong(rdbSink *s, const char *key, long long val) {
    char buf[LONG_STR_SIZE];
    ll2string(buf, sizeof(buf), val);
    return rdbSaveAuxField(s, key, buf);
}

/* --- per-type codecs -------------------------------------------------- */

static int (*typeOfFns[8])(robj *o);
static rdbLoadProc *loadFns[32];

void rdbSetTypeOf(int objtype, int (*typeOf)(robj *o)) {
    typeOfFns[objtype] = typeOf;
}

void rdbSetLoader(int rdbtype, rdbLoadProc *load) {
    if (rdbtype >= 0 && rdbtype < 32) loadFns[rdbtype] = load;
}

int rdbObjectType(robj *o) {
    if (o->type == OBJ_STRING) return RDB_TYPE_STRING;
    return typeOfFns[o->type] ? typeOfFns[o->type](o) : -1;
}

int rdbSaveObjectType(rdbSink *s, robj *o) {
    int t = rdbObjectType(o);
    if (t < 0) return -1;
    return rdbSaveType(s, (unsigned char)t);
}

int rdbSaveObject(rdbSink *s, robj *o) {
    if (o->type == OBJ_STRING) return rdbSaveStringObject(s, o);
    rdbChunkedWriter w;
    if (rdbChunkedBeginValue(&w, o, 0) == -1) return -1;
    int r = rdbChunkedFinish(&w, s);
    rdbChunkedRelease(&w);
    return r;
}

int rdbSaveKeyValuePair(rdbSink *s, const char *key, size_t keylen, robj *val, long long expire) {
    rdbChunkedWriter w;
    if (rdbChunkedBegin(&w, s, key, keylen, val, expire, 0) == -1) return -1;
    int r = rdbChunkedFinish(&w, s);
    rdbChunkedRelease(&w);
    return r;
}

/* --- reading ---------------------------------------------------------- */

static int readBytes(rdbSource *s, void *p, size_t len) {
    if (len == 0) return 0;
    if (s->read(s, p, len) == -1) {
        if (!s->error) s->error = "unexpected end of data";
        return -1;
    }
    if (s->checksum) s->crc = crc64(s->crc, p, len);
    s->consumed += len;
    return 0;
}

int rdbLoadType(rdbSource *s) {
    unsigned char t;
    if (readBytes(s, &t, 1) == -1) return -1;
    return t;
}

int rdbLoadLen(rdbSource *s, uint64_t *len, int *isencoded) {
    unsigned char buf[8];
    if (isencoded) *isencoded = 0;
    if (readBytes(s, buf, 1) == -1) return -1;
    int type = (buf[0] & 0xC0) >> 6;
    if (type == RDB_ENCVAL) {
        if (isencoded) *isencoded = 1;
        *len = buf[0] & 0x3F;
    } else if (type == RDB_6BITLEN) {
        *len = buf[0] & 0x3F;
    } else if (type == RDB_14BITLEN) {
        unsigned char b;
        if (readBytes(s, &b, 1) == -1) return -1;
        *len = ((uint64_t)(buf[0] & 0x3F) << 8) | b;
    } else if (buf[0] == RDB_32BITLEN) {
        if (readBytes(s, buf, 4) == -1) return -1;
        *len = ((uint64_t)buf[0] << 24) | ((uint64_t)buf[1] << 16) | ((uint64_t)buf[2] << 8) | buf[3];
    } else if (buf[0] == RDB_64BITLEN) {
        if (readBytes(s, buf, 8) == -1) return -1;
        uint64_t v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | buf[i];
        *len = v;
    } else {
        s->error = "unknown length encoding";
        return -1;
    }
    return 0;
}

int rdbLoadMillisecondTime(rdbSource *s, long long *t) {
    unsigned char buf[8];
    if (readBytes(s, buf, 8) == -1) return -1;
    *t = (long long)getLE(buf, 8);
    return 0;
}

int rdbLoadSecondTime(rdbSource *s, long long *t) {
    unsigned char buf[4];
    if (readBytes(s, buf, 4) == -1) return -1;
    *t = (long long)(int32_t)getLE(buf, 4);
    return 0;
}

/* Guards an allocation of len bytes against what the source still holds. */
static int checkAvailable(rdbSource *s, uint64_t len) {
    size_t rem = s->remaining ? s->remaining(s) : SIZE_MAX;
    if (len > rem) {
        s->error = "length exceeds the remaining data";
        return -1;
    }
    return 0;
}

static rstr loadIntegerString(rdbSource *s, int enctype) {
    unsigned char buf[4];
    long long v;
    if (enctype == RDB_ENC_INT8) {
        if (readBytes(s, buf, 1) == -1) return NULL;
        v = (signed char)buf[0];
    } else if (enctype == RDB_ENC_INT16) {
        if (readBytes(s, buf, 2) == -1) return NULL;
        v = (int16_t)getLE(buf, 2);
    } else {
        if (readBytes(s, buf, 4) == -1) return NULL;
        v = (int32_t)getLE(buf, 4);
    }
    char out[LONG_STR_SIZE];
    int n = ll2string(out, sizeof(out), v);
    return rstrNewLen(out, (size_t)n);
}

static rstr loadLzfString(rdbSource *s) {
    uint64_t clen, len;
    if (rdbLoadLen(s, &clen, NULL) == -1 || rdbLoadLen(s, &len, NULL) == -1) return NULL;
    if (checkAvailable(s, clen) == -1) return NULL;
    /* An LZF stream expands at most ~ 264x per byte (max back reference);
     * refuse impossible claims before allocating. */
    if (len > clen * 300 + 64 || len > UINT32_MAX || clen > UINT32_MAX) {
        s->error = "corrupt compressed string lengths";
        return NULL;
    }
    unsigned char *c = ztrymalloc(clen ? clen : 1);
    rstr out = NULL;
    if (!c) {
        s->error = "out of memory";
        return NULL;
    }
    if (readBytes(s, c, clen) == 0) {
        out = rstrNewLen(NULL, len);
        if (len && lzfDecompress(c, (unsigned int)clen, out, (unsigned int)len) != len) {
            rstrFree(out);
            out = NULL;
            s->error = "invalid LZF compressed string";
        }
    }
    zfree(c);
    return out;
}

static rstr rdbLoadStringAfterLen(rdbSource *s, uint64_t len, int isencoded) {
    if (isencoded) {
        switch (len) {
        case RDB_ENC_INT8:
        case RDB_ENC_INT16:
        case RDB_ENC_INT32: return loadIntegerString(s, (int)len);
        case RDB_ENC_LZF: return loadLzfString(s);
        default: s->error = "unknown string encoding"; return NULL;
        }
    }
    if (checkAvailable(s, len) == -1) return NULL;
    rstr out = rstrNewLen(NULL, len);
    if (readBytes(s, out, len) == -1) {
        rstrFree(out);
        return NULL;
    }
    return out;
}

rstr rdbLoadString(rdbSource *s) {
    uint64_t len;
    int isencoded;
    if (rdbLoadLen(s, &len, &isencoded) == -1) return NULL;
    return rdbLoadStringAfterLen(s, len, isencoded);
}

robj *rdbLoadStringObject(rdbSource *s) {
    /* Small plain strings (most values) go straight into an embedded string
     * object, with no intermediate copy. */
    uint64_t len;
    int isencoded;
    if (rdbLoadLen(s, &len, &isencoded) == -1) return NULL;
    if (!isencoded && len <= OBJ_EMBSTR_SIZE_LIMIT) {
        char buf[OBJ_EMBSTR_SIZE_LIMIT];
        if (readBytes(s, buf, len) == -1) return NULL;
        long long v;
        if (len <= 20 && string2ll(buf, len, &v)) return createStringObjectFromLongLong(v);
        return createEmbeddedStringObject(buf, len);
    }
    rstr str = rdbLoadStringAfterLen(s, len, isencoded);
    if (!str) return NULL;
    robj *o;
    if (rstrLen(str) <= OBJ_EMBSTR_SIZE_LIMIT) {
        o = createStringObject(str, rstrLen(str));
        rstrFree(str);
    } else {
        o = createRstrObject(str);
    }
    return tryObjectEncoding(o);
}

int rdbLoadBinaryDouble(rdbSource *s, double *val) {
    unsigned char buf[8];
    if (readBytes(s, buf, 8) == -1) return -1;
    uint64_t bits = getLE(buf, 8);
    memcpy(val, &bits, 8);
    return 0;
}

int rdbLoadDoubleValue(rdbSource *s, double *val) {
    unsigned char len;
    char buf[256];
    if (readBytes(s, &len, 1) == -1) return -1;
    switch (len) {
    case 255: *val = -INFINITY; return 0;
    case 254: *val = INFINITY; return 0;
    case 253: *val = NAN; return 0;
    default:
        if (readBytes(s, buf, len) == -1) return -1;
        buf[len] = '\0';
        if (sscanf(buf, "%lg", val) != 1) {
            s->error = "invalid double";
            return -1;
        }
        return 0;
    }
}

int rdbIsObjectType(int t) {
    return (t >= RDB_TYPE_STRING && t <= RDB_TYPE_HASH) || t == RDB_TYPE_ZSET_2 ||
           (t >= RDB_TYPE_HASH_ZIPMAP && t <= RDB_TYPE_STREAM_LISTPACKS_2);
}

robj *rdbLoadObject(rdbSource *s, int rdbtype) {
    if (rdbtype == RDB_TYPE_STRING) return rdbLoadStringObject(s);
    if (rdbtype >= 0 && rdbtype < 32 && loadFns[rdbtype]) return loadFns[rdbtype](s, rdbtype);
    s->error = rdbIsObjectType(rdbtype) ? "value type not supported" : "unknown value type";
    return NULL;
}

/* --- DUMP / RESTORE payloads ------------------------------------------ */

rstr rdbDumpPayload(robj *o, int compress) {
    rstr out = rstrEmpty();
    rdbSink s;
    rdbSinkInitRstr(&s, &out);
    s.compress = compress;
    if (rdbSaveObjectType(&s, o) == -1 || rdbSaveObject(&s, o) == -1) {
        rstrFree(out);
        return NULL;
    }
    unsigned char trailer[10];
    putLE(trailer, RDB_VERSION, 2);
    s.crc = crc64(s.crc, trailer, 2);
    putLE(trailer + 2, s.crc, 8);
    out = rstrCatLen(out, trailer, 10);
    return out;
}

robj *rdbRestorePayload(const unsigned char *p, size_t len, int verify_checksum, const char **err) {
    if (len < 10) {
        *err = "DUMP payload version or checksum are wrong";
        return NULL;
    }
    unsigned int version = (unsigned int)getLE(p + len - 10, 2);
    uint64_t crc = getLE(p + len - 8, 8);
    /* Payloads of our RDB version and older are accepted, as in Redis. */
    if (version > RDB_VERSION || (verify_checksum && crc64(0, p, len - 8) != crc)) {
        *err = "DUMP payload version or checksum are wrong";
        return NULL;
    }
    size_t pos;
    rdbSource s;
    rdbSourceInitBuffer(&s, p, len - 10, &pos);
    int type = rdbLoadType(&s);
    robj *o = type == -1 || !rdbIsObjectType(type) ? NULL : rdbLoadObject(&s, type);
    /* Trailing garbage in the value part is an error too. */
    if (o && pos != len - 10) {
        decrRefCount(o);
        o = NULL;
    }
    rdbSourceRelease(&s);
    if (!o) *err = "Bad data format";
    return o;
}
