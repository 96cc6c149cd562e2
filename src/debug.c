/* debug.c -- the DEBUG command and the dataset digest.
 *
 * DEBUG is a test instrument, so its replies follow Redis 7.0 wherever test
 * suites and client libraries depend on them (DEBUG OBJECT's line, DEBUG
 * PROTOCOL's sample values, the digest's 40 hex digits), while the
 * machinery behind them is ours.
 *
 * The digest.  DEBUG DIGEST must give the same answer for the same data,
 * whatever order the keys sit in and whatever encoding the values have, and
 * a different answer as soon as any key, value or TTL differs.  It is built
 * from SHA-1 (implemented here; DEBUG is the only user):
 *   - a value's digest mixes its type and its contents (strings: the bytes;
 *     other types: the function their module registers, see debug.h);
 *   - a key's digest mixes the key name, the value's digest and the absolute
 *     expire time if any;
 *   - the keys of one database are folded together with XOR, which is
 *     order-independent and cannot cancel out, key names being unique;
 *   - the databases that hold keys are mixed in id order, so moving a key
 *     to another database changes the result.
 * DEBUG DIGEST-VALUE shows value digests without the key name and with
 * only whether a TTL is set, as Redis does, so equal values under
 * different keys compare equal.
 * An empty dataset gives forty zeros, as in Redis.  Mixing is
 * H(previous || length || bytes), the length making ("ab","c") differ from
 * ("a","bc"). */
#include "debug.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "reply.h"
#include "server.h"
#include "snapshot.h"
#include "util.h"
#include "zmalloc.h"

/* --- SHA-1 (FIPS 180-4) ------------------------------------------------ */

typedef struct sha1Ctx {
    uint32_t h[5];
    uint64_t total;          /* bytes hashed so far */
    unsigned char block[64]; /* pending partial block */
    size_t used;             /* bytes in block */
} sha1Ctx;

static inline uint32_t sha1Rol(uint32_t x, int n) {
    return (x << n) | (x >> (32 - n));
}

static void sha1Compress(uint32_t h[5], const unsigned char *p) {
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 80; i++) w[i] = sha1Rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999u;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1u;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        uint32_t t = sha1Rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = sha1Rol(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

static void sha1Init(sha1Ctx *ctx) {
    static const uint32_t iv[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u,
                                   0xC3D2E1F0u};
    memcpy(ctx->h, iv, sizeof(iv));
    ctx->total = 0;
    ctx->used = 0;
}

static void sha1Update(sha1Ctx *ctx, const void *data, size_t len) {
    const unsigned char *p = data;
    ctx->total += len;
    while (len) {
        size_t n = 64 - ctx->used;
        if (n > len) n = len;
        memcpy(ctx->block + ctx->used, p, n);
        ctx->used += n;
        p += n;
        len -= n;
        if (ctx->used == 64) {
            sha1Compress(ctx->h, ctx->block);
            ctx->used = 0;
        }
    }
}

static void sha1Final(sha1Ctx *ctx, unsigned char out[DEBUG_DIGEST_LEN]) {
    uint64_t bits = ctx->total * 8;
    unsigned char pad = 0x80;
    sha1Update(ctx, &pad, 1);
    pad = 0;
    while (ctx->used != 56) sha1Update(ctx, &pad, 1);
    unsigned char lenbuf[8];
    for (int i = 0; i < 8; i++) lenbuf[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha1Update(ctx, lenbuf, 8);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (unsigned char)(ctx->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(ctx->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(ctx->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)ctx->h[i];
    }
}

/* --- digest ---------------------------------------------------------------- */

void debugDigestMix(unsigned char digest[DEBUG_DIGEST_LEN], const void *p, size_t len) {
    sha1Ctx ctx;
    sha1Init(&ctx);
    sha1Update(&ctx, digest, DEBUG_DIGEST_LEN);
    /* The length in a fixed byte order, so that digests do not depend on the
     * machine. */
    unsigned char lenbuf[8];
    for (int i = 0; i < 8; i++) lenbuf[i] = (unsigned char)((uint64_t)len >> (8 * i));
    sha1Update(&ctx, lenbuf, sizeof(lenbuf));
    sha1Update(&ctx, p, len);
    sha1Final(&ctx, digest);
}

void debugDigestXor(unsigned char digest[DEBUG_DIGEST_LEN],
                    const unsigned char other[DEBUG_DIGEST_LEN]) {
    for (int i = 0; i < DEBUG_DIGEST_LEN; i++) digest[i] ^= other[i];
}

static debugValueDigestProc *valueDigestProcs[16];

void debugSetValueDigestFunction(int type, debugValueDigestProc *fn) {
    serverAssert(type >= 0 && type < (int)(sizeof(valueDigestProcs) / sizeof(valueDigestProcs[0])));
    valueDigestProcs[type] = fn;
}

static void digestMixLongLong(unsigned char digest[DEBUG_DIGEST_LEN], long long v) {
    char buf[LONG_STR_SIZE];
    int n = ll2string(buf, sizeof(buf), v);
    debugDigestMix(digest, buf, (size_t)n);
}

/* Fills out with the digest of a value.  Returns C_ERR when the value's
 * type has no digest function. */
static int digestValue(robj *o, unsigned char out[DEBUG_DIGEST_LEN]) {
    memset(out, 0, DEBUG_DIGEST_LEN);
    unsigned char type = (unsigned char)o->type;
    debugDigestMix(out, &type, 1);
    if (o->type == OBJ_STRING) {
        /* The text, not the encoding: "12" stored as INT or as EMBSTR must
         * digest the same. */
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *p = stringObjectBytes(o, buf, sizeof(buf), &len);
        debugDigestMix(out, p, len);
    } else if (o->type < sizeof(valueDigestProcs) / sizeof(valueDigestProcs[0]) &&
               valueDigestProcs[o->type]) {
        unsigned char contents[DEBUG_DIGEST_LEN] = {0};
        valueDigestProcs[o->type](o, contents);
        debugDigestMix(out, contents, DEBUG_DIGEST_LEN);
    } else {
        return C_ERR;
    }
    return C_OK;
}

static void digestToHex(const unsigned char digest[DEBUG_DIGEST_LEN], char hex[41]) {
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < DEBUG_DIGEST_LEN; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[40] = '\0';
}

typedef struct datasetDigestState {
    unsigned char db[DEBUG_DIGEST_LEN]; /* XOR of the key digests of one db */
    int unsupported_type;               /* -1, or a type without digest function */
} datasetDigestState;

static void digestEntry(void *privdata, dbEntry *e) {
    datasetDigestState *st = privdata;
    size_t klen;
    const char *key = dbEntryKey(e, &klen);
    unsigned char valdigest[DEBUG_DIGEST_LEN];
    robj *val = dbEntryVal(e);
    if (digestValue(val, valdigest) == C_ERR) {
        st->unsupported_type = (int)val->type;
        return;
    }
    unsigned char keydigest[DEBUG_DIGEST_LEN] = {0};
    debugDigestMix(keydigest, key, klen);
    debugDigestMix(keydigest, valdigest, DEBUG_DIGEST_LEN);
    long long expire = dbEntryExpire(e);
    if (expire != -1) {
        debugDigestMix(keydigest, "expire", 6);
        digestMixLongLong(keydigest, expire);
    }
    debugDigestXor(st->db, keydigest);
}

/* The digest of every database.  Returns C_ERR (and the offending type in
 * *badtype) if a value cannot be digested. */
static int computeDatasetDigest(unsigned char final[DEBUG_DIGEST_LEN], int *badtype) {
    memset(final, 0, DEBUG_DIGEST_LEN);
    for (int j = 0; j < server.dbnum; j++) {
        redisDb *db = dbGet(j);
        if (dbSize(db) == 0) continue;
        datasetDigestState st;
        memset(st.db, 0, sizeof(st.db));
        st.unsupported_type = -1;
        /* Nothing modifies the table during this loop, so the scan visits
         * each key exactly once (a duplicate would cancel itself out of the
         * XOR). */
        unsigned long cursor = 0;
        do {
            cursor = dbScan(db, cursor, digestEntry, &st);
        } while (cursor != 0);
        if (st.unsupported_type != -1) {
            *badtype = st.unsupported_type;
            return C_ERR;
        }
        digestMixLongLong(final, j);
        debugDigestMix(final, st.db, DEBUG_DIGEST_LEN);
    }
    return C_OK;
}

static void replyUnsupportedDigest(client *c, int type) {
    addReplyErrorFormat(c, "DEBUG DIGEST does not support values of type %s", strObjectType(type));
}

/* --- subcommands ---------------------------------------------------------- */

/* The value of key looked up without touching its access time or counting
 * a hit, so that inspecting a key does not change what is inspected. */
static robj *debugLookup(client *c, robj *key) {
    return lookupKeyReadWithFlags(c->db, key, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY | LOOKUP_NOSTATS);
}

/* Bytes a string value takes in an RDB snapshot, not counting compression:
 * small integers use the integer encodings (1 type byte + 1, 2 or 4 bytes),
 * anything else a length prefix (1, 2, 5 or 9 bytes) and the bytes. */
static size_t stringSerializedLength(robj *o) {
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = stringObjectBytes(o, buf, sizeof(buf), &len);
    long long v;
    if (len <= 11 && string2ll(p, len, &v)) {
        if (v >= INT8_MIN && v <= INT8_MAX) return 2;
        if (v >= INT16_MIN && v <= INT16_MAX) return 3;
        if (v >= INT32_MIN && v <= INT32_MAX) return 5;
    }
    size_t prefix = len < (1 << 6) ? 1 : len < (1 << 14) ? 2 : len <= UINT32_MAX ? 5 : 9;
    return prefix + len;
}

/* Seconds since the value was last accessed, from the 24-bit LRU clock
 * (which wraps around about every 194 days). */
static unsigned long long idleSeconds(const robj *o) {
    unsigned long long now = getLRUClock();
    unsigned long long then = o->lru;
    unsigned long long ticks = now >= then ? now - then : now + (LRU_CLOCK_MAX - then);
    return ticks * LRU_CLOCK_RESOLUTION / 1000;
}

/* OBJECT REFCOUNT and DEBUG OBJECT report values Redis would share (the
 * integers 0..9999, unless maxmemory is set with an LRU/LFU policy, which
 * needs per-key access data) as pinned, even though ours are never shared,
 * so both commands agree with Redis and with each other. */
static int reportedRefcount(const robj *o) {
    int p = server.maxmemory_policy;
    int tracks_access = p == MAXMEMORY_VOLATILE_LRU || p == MAXMEMORY_VOLATILE_LFU ||
                        p == MAXMEMORY_ALLKEYS_LRU || p == MAXMEMORY_ALLKEYS_LFU;
    if (o->type == OBJ_STRING && o->encoding == OBJ_ENCODING_INT &&
        !(server.maxmemory && tracks_access)) {
        long long v = (long long)(intptr_t)o->ptr;
        if (v >= 0 && v < 10000) return OBJ_SHARED_REFCOUNT;
    }
    return o->refcount;
}

static void debugObject(client *c) {
    robj *o = debugLookup(c, c->argv[2]);
    if (o == NULL) {
        addReplyError(c, "no such key");
        return;
    }
    /* serializedlength: for strings, the uncompressed snapshot size;
     * containers report 0 until their snapshot encoding exists. */
    size_t serlen = o->type == OBJ_STRING ? stringSerializedLength(o) : 0;
    char line[256];
    snprintf(line, sizeof(line),
             "Value at:%p refcount:%d encoding:%s serializedlength:%zu lru:%u lru_seconds_idle:%llu",
             (void *)o, reportedRefcount(o), strObjectEncoding(o->encoding), serlen,
             (unsigned)o->lru, idleSeconds(o));
    addReplyStatus(c, line);
}

/* Parses a non-negative integer argument.  Replies and returns C_ERR
 * otherwise. */
static int getNonNegativeLongOrReply(client *c, robj *o, long *out) {
    long long v;
    if (!string2ll(o->ptr, rstrLen(o->ptr), &v) || v < 0 || v > LONG_MAX) {
        addReplyError(c, "value is out of range, must be positive");
        return C_ERR;
    }
    *out = (long)v;
    return C_OK;
}

/* POPULATE count [prefix] [size]: keys prefix:0 .. prefix:count-1 with
 * values "value:N", zero-padded or truncated to size bytes when size is
 * given.  Existing keys are left alone.  Like Redis, the keys are not
 * counted as changes since the last save: this is test setup, not data. */
static void debugPopulate(client *c) {
    long count, size = 0;
    if (getNonNegativeLongOrReply(c, c->argv[2], &count) == C_ERR) return;
    if (c->argc == 5 && getNonNegativeLongOrReply(c, c->argv[4], &size) == C_ERR) return;
    const char *prefix = c->argc >= 4 ? c->argv[3]->ptr : "key";
    size_t plen = c->argc >= 4 ? rstrLen(c->argv[3]->ptr) : 3;
    rstr keybuf = rstrEmpty();
    /* With a size, every value is "value:N" then zero bytes up to size: the
     * buffer stays zeroed past the text, which is rewritten for each key. */
    rstr valbuf = size ? rstrNewLen(NULL, (size_t)size) : NULL;
    for (long j = 0; j < count; j++) {
        rstrClear(keybuf);
        keybuf = rstrCatLen(keybuf, prefix, plen);
        keybuf = rstrCatPrintf(keybuf, ":%ld", j);
        robj *key = createStringObject(keybuf, rstrLen(keybuf));
        if (lookupKeyWrite(c->db, key) != NULL) {
            decrRefCount(key);
            continue;
        }
        char vbuf[32];
        size_t vlen = (size_t)snprintf(vbuf, sizeof(vbuf), "value:%ld", j);
        robj *val;
        if (size == 0) {
            val = createStringObject(vbuf, vlen);
        } else {
            size_t n = (size_t)size < vlen ? (size_t)size : vlen;
            memcpy(valbuf, vbuf, n);
            val = createStringObject(valbuf, (size_t)size);
        }
        dbAdd(c->db, key, val);
        decrRefCount(key);
    }
    if (valbuf) rstrFree(valbuf);
    rstrFree(keybuf);
    addReplyOk(c);
}

static void debugDigest(client *c) {
    unsigned char digest[DEBUG_DIGEST_LEN];
    int badtype = 0;
    if (computeDatasetDigest(digest, &badtype) == C_ERR) {
        replyUnsupportedDigest(c, badtype);
        return;
    }
    char hex[41];
    digestToHex(digest, hex);
    addReplyStatus(c, hex);
}

/* DIGEST-VALUE key ...: the digest of each value, without the key name,
 * so that equal values compare equal whatever their keys.  Missing keys
 * give forty zeros. */
static void debugDigestValue(client *c) {
    int n = c->argc - 2;
    unsigned char (*digests)[DEBUG_DIGEST_LEN] = zmalloc((size_t)(n ? n : 1) * DEBUG_DIGEST_LEN);
    for (int j = 0; j < n; j++) {
        robj *key = c->argv[j + 2];
        robj *o = debugLookup(c, key);
        memset(digests[j], 0, DEBUG_DIGEST_LEN);
        if (o == NULL) continue;
        if (digestValue(o, digests[j]) == C_ERR) {
            replyUnsupportedDigest(c, (int)o->type);
            zfree(digests);
            return;
        }
        /* Whether the key has a TTL counts, its value does not (Redis does
         * the same): two keys set with "EX 100" a moment apart still
         * compare equal. */
        if (getExpire(c->db, key) != -1) debugDigestMix(digests[j], "volatile", 8);
    }
    addReplyArrayLen(c, n);
    for (int j = 0; j < n; j++) {
        char hex[41];
        digestToHex(digests[j], hex);
        addReplyStatus(c, hex);
    }
    zfree(digests);
}

/* PROTOCOL type: one sample reply of each RESP type, with the values Redis
 * uses, so client libraries can test their parsers against either server. */
static void debugProtocol(client *c) {
    const char *name = c->argv[2]->ptr;
    if (!strcasecmp(name, "string")) {
        addReplyBulkCString(c, "Hello World");
    } else if (!strcasecmp(name, "integer")) {
        addReplyLongLong(c, 12345);
    } else if (!strcasecmp(name, "double")) {
        addReplyDouble(c, 3.141);
    } else if (!strcasecmp(name, "bignum")) {
        static const char big[] = "1234567999999999999999999999999999999";
        addReplyBigNum(c, big, sizeof(big) - 1);
    } else if (!strcasecmp(name, "null")) {
        addReplyNull(c);
    } else if (!strcasecmp(name, "array") || !strcasecmp(name, "set")) {
        if (!strcasecmp(name, "array"))
            addReplyArrayLen(c, 3);
        else
            addReplySetLen(c, 3);
        for (int j = 0; j < 3; j++) addReplyLongLong(c, j);
    } else if (!strcasecmp(name, "map")) {
        addReplyMapLen(c, 3);
        for (int j = 0; j < 3; j++) {
            addReplyLongLong(c, j);
            addReplyBool(c, j == 1);
        }
    } else if (!strcasecmp(name, "attrib")) {
        /* RESP2 has no attributes: only the reply they decorate is sent. */
        if (c->resp >= 3) {
            addReplyAttributeLen(c, 1);
            addReplyBulkCString(c, "key-popularity");
            addReplyArrayLen(c, 2);
            addReplyBulkCString(c, "key:123");
            addReplyLongLong(c, 90);
        }
        addReplyBulkCString(c, "Some real reply following the attribute");
    } else if (!strcasecmp(name, "push")) {
        if (c->resp < 3) {
            addReplyError(c, "RESP2 is not supported by this command");
            return;
        }
        addReplyPushLen(c, 2);
        addReplyBulkCString(c, "server-cpu-usage");
        addReplyLongLong(c, 42);
        addReplyBulkCString(c, "Some real reply following the push reply");
    } else if (!strcasecmp(name, "verbatim")) {
        static const char text[] = "This is a verbatim\nstring";
        addReplyVerbatim(c, text, sizeof(text) - 1, "txt");
    } else if (!strcasecmp(name, "true")) {
        addReplyBool(c, 1);
    } else if (!strcasecmp(name, "false")) {
        addReplyBool(c, 0);
    } else {
        addReplyError(c, "Wrong protocol type name. Please use one of the following: "
                         "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
    }
}

/* HTSTATS dbid: shape of the key and expire tables of a database. */
static void debugHtstats(client *c) {
    long long dbid;
    if (!string2ll(c->argv[2]->ptr, rstrLen(c->argv[2]->ptr), &dbid)) {
        addReplyErrorNotInteger(c);
        return;
    }
    if (dbid < 0 || dbid >= server.dbnum) {
        addReplyError(c, "Out of range database");
        return;
    }
    redisDb *db = dbGet((int)dbid);
    char buf[4096];
    rstr s = rstrNew("[Dictionary HT]\n");
    htabGetStats(db->keys, buf, sizeof(buf));
    s = rstrCat(s, buf);
    s = rstrCat(s, "[Expires HT]\n");
    htabGetStats(db->expires, buf, sizeof(buf));
    s = rstrCat(s, buf);
    addReplyVerbatim(c, s, rstrLen(s), "txt");
    rstrFree(s);
}

/* SLEEP seconds: blocks the whole server, decimals allowed.  Text that is
 * not a number sleeps for 0 seconds, as in Redis. */
static void debugSleep(client *c) {
    double secs = strtod(c->argv[2]->ptr, NULL);
    if (!(secs > 0)) secs = 0;
    long long us = (long long)(secs * 1e6);
    struct timespec ts = {.tv_sec = (time_t)(us / 1000000), .tv_nsec = (long)(us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
    addReplyOk(c);
}

static const char *debugHelp[] = {
    "DIGEST",
    "    Reply with a 40 hex digit signature of the whole dataset (keys, values,",
    "    TTLs); all zeros when the dataset is empty.",
    "DIGEST-VALUE <key> [<key> ...]",
    "    Reply with the signature of the value of each <key> (the key name and",
    "    the TTL's value left out); all zeros for a missing key.",
    "HTSTATS <dbid>",
    "    Describe the key and expire hash tables of database <dbid>.",
    "LOG <message>",
    "    Write <message> to the server log.",
    "OBJECT <key>",
    "    Describe how the value of <key> is stored.",
    "POPULATE <count> [<prefix>] [<size>]",
    "    Create <count> string keys <prefix>:<n> (prefix defaults to 'key') with",
    "    values value:<n>, padded or cut to <size> bytes when given. Keys that",
    "    exist already are skipped.",
    "PROTOCOL <type>",
    "    Reply with a sample value of a RESP type: string, integer, double,",
    "    bignum, null, array, set, map, attrib, push, verbatim, true, false.",
    "RELOAD",
    "    Save the data set to the RDB file, empty memory, and load the file back.",
    "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
    "    Accept DUMP payloads without checking their CRC64 (to test decoders).",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Turn the background deletion of expired keys off (0) or on (1).",
    "SLEEP <seconds>",
    "    Block the server for <seconds> (decimals allowed).",
    NULL,
};

/* DEBUG RELOAD: a full save/empty/load cycle through the RDB file, so tests
 * can check that every value survives persistence exactly. */
static void debugReload(client *c) {
    if (snapshotInProgress()) snapshotAbort("DEBUG RELOAD");
    if (snapshotSaveBlocking() != 0) {
        addReplyError(c, "Error trying to save the DB");
        return;
    }
    emptyData(-1, 0, NULL);
    char err[512];
    if (snapshotLoadFile(server.rdb_filename, err, sizeof(err)) != 0) {
        addReplyErrorFormat(c, "Error trying to load the RDB dump: %s", err);
        return;
    }
    server.dirty = 0;
    addReplyOk(c);
}

void debugCommand(client *c) {
    const char *sub = c->argv[1]->ptr;
    if (c->argc == 2 && !strcasecmp(sub, "help")) {
        addReplyHelp(c, debugHelp);
    } else if (c->argc == 3 && !strcasecmp(sub, "sleep")) {
        debugSleep(c);
    } else if (c->argc == 3 && !strcasecmp(sub, "set-active-expire")) {
        server.active_expire_enabled = atoi(c->argv[2]->ptr);
        addReplyOk(c);
    } else if (c->argc == 2 && !strcasecmp(sub, "reload")) {
        debugReload(c);
    } else if (c->argc == 3 && !strcasecmp(sub, "set-skip-checksum-validation")) {
        server.skip_checksum_validation = atoi(c->argv[2]->ptr) != 0;
        addReplyOk(c);
    } else if (c->argc == 3 && !strcasecmp(sub, "object")) {
        debugObject(c);
    } else if (c->argc >= 3 && c->argc <= 5 && !strcasecmp(sub, "populate")) {
        debugPopulate(c);
    } else if (c->argc == 2 && !strcasecmp(sub, "digest")) {
        debugDigest(c);
    } else if (c->argc >= 2 && !strcasecmp(sub, "digest-value")) {
        debugDigestValue(c);
    } else if (c->argc == 3 && !strcasecmp(sub, "protocol")) {
        debugProtocol(c);
    } else if (c->argc == 3 && !strcasecmp(sub, "htstats")) {
        debugHtstats(c);
    } else if (c->argc == 3 && !strcasecmp(sub, "log")) {
        serverLog(LL_WARNING, "DEBUG LOG: %s", (char *)c->argv[2]->ptr);
        addReplyOk(c);
    } else {
        addReplySubcommandSyntaxError(c);
    }
}
