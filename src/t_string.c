/* t_string.c -- the string commands: GET/SET and their variants, the
 * counters (INCR family, INCRBYFLOAT), ranges (GETRANGE, SETRANGE, APPEND,
 * STRLEN) and LCS.
 *
 * Values reach the keyspace in the encoding Redis would give them, because
 * OBJECT ENCODING is visible to clients: a value that is the canonical text
 * of a long long is stored as INT, up to 44 bytes as EMBSTR, beyond as RAW;
 * a value edited in place (APPEND on an existing key, SETRANGE, and the bit
 * commands in bitops.c) becomes RAW and stays RAW.
 *
 * Ownership: dbAdd/dbOverwrite/setKey consume the value they are given.
 * Values built from arguments are therefore either new objects or an
 * argument with an extra reference; c->argv itself is never rewritten, so
 * whatever reads it after the command (slowlog, MONITOR, MULTI queues) sees
 * what the client sent.
 *
 * In-place edits follow one rule (see stringWriteOpen): a RAW value that
 * only the keyspace references is edited where it lies, after
 * lookupKeyWrite has given the snapshot writer its chance to save the old
 * bytes; anything else (EMBSTR and INT values live inside the key's entry)
 * is copied into a new RAW object that replaces the value. */
#include "t_string.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "reply.h"
#include "server.h"
#include "util.h"
#include "zmalloc.h"

/* ------------------------------------------------------------------------
 * Helpers shared with bitops.c
 * ---------------------------------------------------------------------- */

const unsigned char *stringBytes(robj *o, char *buf, size_t *len) {
    return (const unsigned char *)stringObjectBytes(o, buf, LONG_STR_SIZE, len);
}

int stringCheckLengthOrReply(client *c, long long size, long long append) {
    /* Both operands are non-negative, so a sum that wrapped is negative or
     * smaller than one of them. */
    unsigned long long total = (unsigned long long)size + (unsigned long long)append;
    if (total > (unsigned long long)server.proto_max_bulk_len || total < (unsigned long long)size) {
        addReplyError(c, "string exceeds maximum allowed size (proto-max-bulk-len)");
        return C_ERR;
    }
    return C_OK;
}

int stringGetLongLongOrReply(client *c, robj *o, long long *target, const char *msg) {
    if (getLongLongFromObject(o, target) != 0) {
        if (msg)
            addReplyError(c, msg);
        else
            addReplyErrorNotInteger(c);
        return C_ERR;
    }
    return C_OK;
}

void stringWriteOpen(stringWriteHandle *h, robj *key, robj *cur, size_t minlen) {
    h->key = key;
    h->cur = cur;
    if (cur && cur->encoding == OBJ_ENCODING_RAW && cur->refcount == 1) {
        h->val = cur;
    } else {
        char buf[LONG_STR_SIZE];
        size_t len = 0;
        const unsigned char *p = cur ? stringBytes(cur, buf, &len) : NULL;
        h->val = createRawStringObject((const char *)p, len);
    }
    h->val->ptr = rstrGrowZero(h->val->ptr, minlen);
}

void stringWriteCommit(client *c, stringWriteHandle *h) {
    if (h->val != h->cur) {
        if (h->cur)
            dbOverwrite(c->db, h->key, h->val);
        else
            dbAdd(c->db, h->key, h->val);
    }
    h->val = h->cur = NULL;
}

/* A fresh value object for argument `arg`, encoded as Redis would store it
 * (see the top comment).  The caller hands it to the keyspace. */
static robj *stringValueFromArg(robj *arg) {
    if (arg->encoding == OBJ_ENCODING_INT) return createStringObjectFromLongLong((long long)(intptr_t)arg->ptr);
    size_t len = rstrLen(arg->ptr);
    long long ll;
    if (len <= 20 && string2ll(arg->ptr, len, &ll)) return createStringObjectFromLongLong(ll);
    if (len <= OBJ_EMBSTR_SIZE_LIMIT) {
        if (arg->encoding == OBJ_ENCODING_EMBSTR) {
            incrRefCount(arg);
            return arg;
        }
        return createEmbeddedStringObject(arg->ptr, len);
    }
    /* A long value is handed over with an extra reference: the keyspace
     * copies a string that is still referenced elsewhere (exactly sized),
     * and the argument stays intact for whoever reads argv later. */
    incrRefCount(arg);
    return arg;
}

/* ------------------------------------------------------------------------
 * SET option parsing (SET, SETNX, SETEX, PSETEX, GETEX)
 * ---------------------------------------------------------------------- */

#define STR_SET_NX (1 << 0)
#define STR_SET_XX (1 << 1)
#define STR_SET_GET (1 << 2)
#define STR_SET_KEEPTTL (1 << 3)
#define STR_SET_PERSIST (1 << 4) /* GETEX only */
#define STR_SET_EX (1 << 5)
#define STR_SET_PX (1 << 6)
#define STR_SET_EXAT (1 << 7)
#define STR_SET_PXAT (1 << 8)
#define STR_SET_ANY_EXPIRE (STR_SET_EX | STR_SET_PX | STR_SET_EXAT | STR_SET_PXAT)

/* Parses SET's options (or GETEX's when for_getex) from argv[first] on.
 * Redis's rules, observed on 7.0: an option may be repeated (the last
 * expire value wins) but not combined with one it contradicts: NX/XX,
 * KEEPTTL/PERSIST/any expire, and two different expire units.  Anything
 * else, including a missing expire value, is a syntax error. */
static int stringParseSetOptionsOrReply(client *c, int first, int for_getex, int *flags, robj **expire) {
    *flags = 0;
    *expire = NULL;
    for (int j = first; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int has_next = j + 1 < c->argc;
        int f = *flags;
        int expire_flag = 0;
        if (!strcasecmp(opt, "ex"))
            expire_flag = STR_SET_EX;
        else if (!strcasecmp(opt, "px"))
            expire_flag = STR_SET_PX;
        else if (!strcasecmp(opt, "exat"))
            expire_flag = STR_SET_EXAT;
        else if (!strcasecmp(opt, "pxat"))
            expire_flag = STR_SET_PXAT;

        if (expire_flag) {
            int other_expire = f & STR_SET_ANY_EXPIRE & ~expire_flag;
            if (!has_next || other_expire || (f & (STR_SET_KEEPTTL | STR_SET_PERSIST))) goto syntax;
            *flags |= expire_flag;
            *expire = c->argv[++j];
        } else if (!for_getex && !strcasecmp(opt, "nx") && !(f & STR_SET_XX)) {
            *flags |= STR_SET_NX;
        } else if (!for_getex && !strcasecmp(opt, "xx") && !(f & STR_SET_NX)) {
            *flags |= STR_SET_XX;
        } else if (!for_getex && !strcasecmp(opt, "get")) {
            *flags |= STR_SET_GET;
        } else if (!for_getex && !strcasecmp(opt, "keepttl") && !(f & STR_SET_ANY_EXPIRE)) {
            *flags |= STR_SET_KEEPTTL;
        } else if (for_getex && !strcasecmp(opt, "persist") && !(f & STR_SET_ANY_EXPIRE)) {
            *flags |= STR_SET_PERSIST;
        } else {
            goto syntax;
        }
    }
    return C_OK;
syntax:
    addReplyErrorSyntax(c);
    return C_ERR;
}

/* Converts an EX/PX/EXAT/PXAT argument into an absolute unix time in
 * milliseconds.  Zero, negative, and anything whose conversion to
 * milliseconds since the epoch overflows is an "invalid expire time". */
static int stringExpireAtOrReply(client *c, robj *arg, int flags, long long *when) {
    long long v;
    if (stringGetLongLongOrReply(c, arg, &v, NULL) != C_OK) return C_ERR;
    int seconds = (flags & (STR_SET_EX | STR_SET_EXAT)) != 0;
    if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) {
        addReplyErrorExpireTime(c);
        return C_ERR;
    }
    if (seconds) v *= 1000;
    if (flags & (STR_SET_EX | STR_SET_PX)) {
        long long now = mstime();
        if (v > LLONG_MAX - now) {
            addReplyErrorExpireTime(c);
            return C_ERR;
        }
        v += now;
    }
    *when = v;
    return C_OK;
}

/* Replies with the string value of key (or null); C_ERR after replying
 * WRONGTYPE when the key holds another type. */
static int stringReplyValue(client *c, robj *key) {
    robj *o = lookupKeyRead(c->db, key);
    if (o == NULL) {
        addReplyNull(c);
        return C_OK;
    }
    if (o->type != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return C_ERR;
    }
    addReplyBulk(c, o);
    return C_OK;
}

/* The body of SET, SETNX, SETEX and PSETEX.  `expire` is the raw EX/PX/...
 * argument (or NULL); the reply on success is +OK, or :1 for SETNX, or the
 * old value with GET.  A condition (NX/XX) that does not hold replies null
 * (or :0 for SETNX, or the old value with GET) and changes nothing. */
static void stringSetGeneric(client *c, int flags, robj *key, robj *val, robj *expire, int setnx_reply) {
    long long when = 0;
    if (expire && stringExpireAtOrReply(c, expire, flags, &when) != C_OK) return;
    if ((flags & STR_SET_GET) && stringReplyValue(c, key) != C_OK) return;

    int found = lookupKeyWrite(c->db, key) != NULL;
    if (((flags & STR_SET_NX) && found) || ((flags & STR_SET_XX) && !found)) {
        if (setnx_reply)
            addReplyProto(c, shared.czero, strlen(shared.czero));
        else if (!(flags & STR_SET_GET))
            addReplyNull(c);
        return;
    }

    int setkey_flags = found ? SETKEY_ALREADY_EXIST : SETKEY_DOESNT_EXIST;
    /* With an expire the TTL is replaced right below, so don't remove it. */
    if ((flags & STR_SET_KEEPTTL) || expire) setkey_flags |= SETKEY_KEEPTTL;
    setKey(c, c->db, key, stringValueFromArg(val), setkey_flags);
    server.dirty++;
    notifyKeyspaceEvent(NOTIFY_STRING, "set", key, c->db->id);
    if (expire) {
        setExpire(c, c->db, key, when);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key, c->db->id);
    }
    if (setnx_reply)
        addReplyProto(c, shared.cone, strlen(shared.cone));
    else if (!(flags & STR_SET_GET))
        addReplyOk(c);
}

/* ------------------------------------------------------------------------
 * GET / SET family
 * ---------------------------------------------------------------------- */

/* GET key */
void getCommand(client *c) {
    stringReplyValue(c, c->argv[1]);
}

/* SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL] */
void setCommand(client *c) {
    int flags;
    robj *expire;
    if (stringParseSetOptionsOrReply(c, 3, 0, &flags, &expire) != C_OK) return;
    stringSetGeneric(c, flags, c->argv[1], c->argv[2], expire, 0);
}

/* SETNX key value */
void setnxCommand(client *c) {
    stringSetGeneric(c, STR_SET_NX, c->argv[1], c->argv[2], NULL, 1);
}

/* SETEX key seconds value */
void setexCommand(client *c) {
    stringSetGeneric(c, STR_SET_EX, c->argv[1], c->argv[3], c->argv[2], 0);
}

/* PSETEX key milliseconds value */
void psetexCommand(client *c) {
    stringSetGeneric(c, STR_SET_PX, c->argv[1], c->argv[3], c->argv[2], 0);
}

/* GETSET key value: SET with GET, minus the options. */
void getsetCommand(client *c) {
    if (stringReplyValue(c, c->argv[1]) != C_OK) return;
    setKey(c, c->db, c->argv[1], stringValueFromArg(c->argv[2]), 0);
    notifyKeyspaceEvent(NOTIFY_STRING, "set", c->argv[1], c->db->id);
    server.dirty++;
}

/* GETDEL key */
void getdelCommand(client *c) {
    if (stringReplyValue(c, c->argv[1]) != C_OK) return;
    /* The value was replied (copied) before it is freed. */
    int deleted = server.lazyfree_lazy_user_del ? dbAsyncDelete(c->db, c->argv[1]) : dbSyncDelete(c->db, c->argv[1]);
    if (deleted) {
        signalModifiedKey(c, c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[1], c->db->id);
        server.dirty++;
    }
}

/* GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]
 *
 * As in Redis, the expire argument is validated only once the key is known
 * to hold a string, and an absolute time already in the past deletes the
 * key (after replying its value). */
void getexCommand(client *c) {
    int flags;
    robj *expire;
    robj *key = c->argv[1];
    if (stringParseSetOptionsOrReply(c, 2, 1, &flags, &expire) != C_OK) return;

    robj *o = lookupKeyRead(c->db, key);
    if (o == NULL) {
        addReplyNull(c);
        return;
    }
    if (checkType(c, o, OBJ_STRING)) return;
    long long when = 0;
    if (expire && stringExpireAtOrReply(c, expire, flags, &when) != C_OK) return;
    addReplyBulk(c, o);

    if ((flags & (STR_SET_EXAT | STR_SET_PXAT)) && when <= mstime() && !server.loading) {
        int deleted = server.lazyfree_lazy_expire ? dbAsyncDelete(c->db, key) : dbSyncDelete(c->db, key);
        if (deleted) {
            signalModifiedKey(c, c->db, key);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
            server.dirty++;
        }
    } else if (expire) {
        setExpire(c, c->db, key, when);
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key, c->db->id);
        server.dirty++;
    } else if ((flags & STR_SET_PERSIST) && removeExpire(c->db, key)) {
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "persist", key, c->db->id);
        server.dirty++;
    }
}

/* MGET key [key ...]: a null for every missing key or non-string value. */
void mgetCommand(client *c) {
    addReplyArrayLen(c, c->argc - 1);
    for (int j = 1; j < c->argc; j++) {
        robj *o = lookupKeyRead(c->db, c->argv[j]);
        if (o == NULL || o->type != OBJ_STRING)
            addReplyNull(c);
        else
            addReplyBulk(c, o);
    }
}

static void stringMsetGeneric(client *c, int nx) {
    if ((c->argc % 2) == 0) {
        addReplyErrorArity(c);
        return;
    }
    if (nx) {
        for (int j = 1; j < c->argc; j += 2) {
            if (lookupKeyWrite(c->db, c->argv[j]) != NULL) {
                addReplyProto(c, shared.czero, strlen(shared.czero));
                return;
            }
        }
    }
    for (int j = 1; j < c->argc; j += 2) {
        setKey(c, c->db, c->argv[j], stringValueFromArg(c->argv[j + 1]), 0);
        notifyKeyspaceEvent(NOTIFY_STRING, "set", c->argv[j], c->db->id);
    }
    server.dirty += (c->argc - 1) / 2;
    if (nx)
        addReplyProto(c, shared.cone, strlen(shared.cone));
    else
        addReplyOk(c);
}

/* MSET key value [key value ...] */
void msetCommand(client *c) {
    stringMsetGeneric(c, 0);
}

/* MSETNX key value [key value ...]: all or nothing. */
void msetnxCommand(client *c) {
    stringMsetGeneric(c, 1);
}

/* ------------------------------------------------------------------------
 * APPEND, STRLEN, GETRANGE, SETRANGE
 * ---------------------------------------------------------------------- */

/* APPEND key value: a missing key is created as SET would create it; an
 * existing value grows in place (and becomes RAW). */
void appendCommand(client *c) {
    robj *key = c->argv[1];
    robj *arg = c->argv[2];
    size_t totlen;
    robj *o = lookupKeyWrite(c->db, key);
    if (o == NULL) {
        totlen = stringObjectLen(arg);
        dbAdd(c->db, key, stringValueFromArg(arg));
    } else {
        if (checkType(c, o, OBJ_STRING)) return;
        size_t addlen = rstrLen(arg->ptr);
        size_t oldlen = stringObjectLen(o);
        if (stringCheckLengthOrReply(c, (long long)oldlen, (long long)addlen) != C_OK) return;
        stringWriteHandle h;
        stringWriteOpen(&h, key, o, 0);
        h.val->ptr = rstrCatLen(h.val->ptr, arg->ptr, addlen);
        totlen = rstrLen(h.val->ptr);
        stringWriteCommit(c, &h);
    }
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_STRING, "append", key, c->db->id);
    server.dirty++;
    addReplyLongLong(c, (long long)totlen);
}

/* STRLEN key */
void strlenCommand(client *c) {
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReplyLongLong(c, 0);
        return;
    }
    if (checkType(c, o, OBJ_STRING)) return;
    addReplyLongLong(c, (long long)stringObjectLen(o));
}

/* GETRANGE key start end (and its old name SUBSTR).  Negative indexes count
 * from the end; the range is clamped to the string.  Redis 7.0 quirk kept on
 * purpose: when both indexes are negative and start > end the answer is
 * empty, but an end clamped to 0 still yields the first byte. */
void getrangeCommand(client *c) {
    long long start, end;
    if (stringGetLongLongOrReply(c, c->argv[2], &start, NULL) != C_OK) return;
    if (stringGetLongLongOrReply(c, c->argv[3], &end, NULL) != C_OK) return;
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReplyProto(c, shared.emptybulk, strlen(shared.emptybulk));
        return;
    }
    if (checkType(c, o, OBJ_STRING)) return;

    char buf[LONG_STR_SIZE];
    size_t slen;
    const unsigned char *p = stringBytes(o, buf, &slen);
    long long len = (long long)slen;
    if (start < 0 && end < 0 && start > end) {
        addReplyProto(c, shared.emptybulk, strlen(shared.emptybulk));
        return;
    }
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= len) end = len - 1;
    if (len == 0 || start > end) {
        addReplyProto(c, shared.emptybulk, strlen(shared.emptybulk));
        return;
    }
    addReplyBulkCBuffer(c, p + start, (size_t)(end - start + 1));
}

void substrCommand(client *c) {
    getrangeCommand(c);
}

/* SETRANGE key offset value: overwrites from offset, zero-padding a string
 * that is too short.  An empty value changes nothing (and creates nothing)
 * but still reports the length. */
void setrangeCommand(client *c) {
    robj *key = c->argv[1];
    rstr value = c->argv[3]->ptr;
    size_t vlen = rstrLen(value);
    long long offset;
    if (stringGetLongLongOrReply(c, c->argv[2], &offset, NULL) != C_OK) return;
    if (offset < 0) {
        addReplyError(c, "offset is out of range");
        return;
    }

    robj *o = lookupKeyWrite(c->db, key);
    if (o != NULL && checkType(c, o, OBJ_STRING)) return;
    if (vlen == 0) {
        addReplyLongLong(c, o ? (long long)stringObjectLen(o) : 0);
        return;
    }
    if (stringCheckLengthOrReply(c, offset, (long long)vlen) != C_OK) return;

    stringWriteHandle h;
    stringWriteOpen(&h, key, o, (size_t)offset + vlen);
    memcpy((char *)h.val->ptr + offset, value, vlen);
    size_t newlen = rstrLen(h.val->ptr);
    stringWriteCommit(c, &h);
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_STRING, "setrange", key, c->db->id);
    server.dirty++;
    addReplyLongLong(c, (long long)newlen);
}

/* ------------------------------------------------------------------------
 * Counters
 * ---------------------------------------------------------------------- */

/* Adds incr to the integer value of key (a missing key counts as 0) and
 * replies the result.  The stored value is INT-encoded. */
static void stringIncrBy(client *c, long long incr) {
    robj *key = c->argv[1];
    robj *o = lookupKeyWrite(c->db, key);
    if (o != NULL && checkType(c, o, OBJ_STRING)) return;
    long long value;
    if (stringGetLongLongOrReply(c, o, &value, NULL) != C_OK) return;
    long long result;
    if (__builtin_add_overflow(value, incr, &result)) {
        addReplyError(c, "increment or decrement would overflow");
        return;
    }
    if (o && o->encoding == OBJ_ENCODING_INT && o->refcount == 1) {
        /* The integer lives in the value header itself: nothing to
         * reallocate (lookupKeyWrite already ran the change hook).  It is
         * no longer COPY's private duplicate (OBJECT REFCOUNT, db.h). */
        o->ptr = (void *)(intptr_t)result;
        dbValueSetUnshared(o, 0);
    } else if (o) {
        dbOverwrite(c->db, key, createStringObjectFromLongLong(result));
    } else {
        dbAdd(c->db, key, createStringObjectFromLongLong(result));
    }
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_STRING, "incrby", key, c->db->id);
    server.dirty++;
    addReplyLongLong(c, result);
}

void incrCommand(client *c) {
    stringIncrBy(c, 1);
}

void decrCommand(client *c) {
    stringIncrBy(c, -1);
}

void incrbyCommand(client *c) {
    long long incr;
    if (stringGetLongLongOrReply(c, c->argv[2], &incr, NULL) != C_OK) return;
    stringIncrBy(c, incr);
}

void decrbyCommand(client *c) {
    long long decr;
    if (stringGetLongLongOrReply(c, c->argv[2], &decr, NULL) != C_OK) return;
    /* -LLONG_MIN does not exist. */
    if (decr == LLONG_MIN) {
        addReplyError(c, "decrement would overflow");
        return;
    }
    stringIncrBy(c, -decr);
}

/* INCRBYFLOAT key increment: long double arithmetic, stored and replied as
 * human-friendly text ("10.6", "3000"), so the value is EMBSTR/RAW, never
 * INT. */
void incrbyfloatCommand(client *c) {
    robj *key = c->argv[1];
    robj *o = lookupKeyWrite(c->db, key);
    if (o != NULL && checkType(c, o, OBJ_STRING)) return;
    long double value, incr;
    if (getLongDoubleFromObject(o, &value) != 0 || getLongDoubleFromObject(c->argv[2], &incr) != 0) {
        addReplyError(c, "value is not a valid float");
        return;
    }
    value += incr;
    if (isnan(value) || isinf(value)) {
        addReplyError(c, "increment would produce NaN or Infinity");
        return;
    }
    robj *val = createStringObjectFromLongDouble(value, 1);
    incrRefCount(val); /* the keyspace consumes one reference, the reply needs val after */
    if (o)
        dbOverwrite(c->db, key, val);
    else
        dbAdd(c->db, key, val);
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_STRING, "incrbyfloat", key, c->db->id);
    server.dirty++;
    /* Reply after the event, as Redis orders them for a RESP3 client
     * subscribed to its own keyspace events. */
    addReplyBulk(c, val);
    decrRefCount(val);
}

/* ------------------------------------------------------------------------
 * LCS
 * ---------------------------------------------------------------------- */

/* Appends one IDX match, [[a_start, a_end], [b_start, b_end] (, len)]. */
static void lcsReplyMatch(client *c, uint32_t a_start, uint32_t b_start, uint32_t len, int withmatchlen) {
    addReplyArrayLen(c, withmatchlen ? 3 : 2);
    addReplyArrayLen(c, 2);
    addReplyLongLong(c, a_start);
    addReplyLongLong(c, a_start + len - 1);
    addReplyArrayLen(c, 2);
    addReplyLongLong(c, b_start);
    addReplyLongLong(c, b_start + len - 1);
    if (withmatchlen) addReplyLongLong(c, len);
}

/* LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
 *
 * Classic dynamic programming: table[i][j] is the LCS length of the first i
 * bytes of a and the first j bytes of b (O(n*m) time and memory, bounded by
 * proto-max-bulk-len as in Redis).  The subsequence and its matching ranges
 * are recovered walking back from the end; where both directions keep the
 * length, the walk moves in b first, which decides which of several equal
 * answers is returned: the same one Redis returns. */
void lcsCommand(client *c) {
    robj *oa = lookupKeyRead(c->db, c->argv[1]);
    robj *ob = lookupKeyRead(c->db, c->argv[2]);
    if ((oa && oa->type != OBJ_STRING) || (ob && ob->type != OBJ_STRING)) {
        addReplyError(c, "The specified keys must contain string values");
        return;
    }

    int getlen = 0, getidx = 0, withmatchlen = 0;
    long long minmatchlen = 0;
    for (int j = 3; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        if (!strcasecmp(opt, "idx")) {
            getidx = 1;
        } else if (!strcasecmp(opt, "len")) {
            getlen = 1;
        } else if (!strcasecmp(opt, "withmatchlen")) {
            withmatchlen = 1;
        } else if (!strcasecmp(opt, "minmatchlen") && j + 1 < c->argc) {
            if (stringGetLongLongOrReply(c, c->argv[++j], &minmatchlen, NULL) != C_OK) return;
            if (minmatchlen < 0) minmatchlen = 0;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    if (getidx && getlen) {
        addReplyError(c, "If you want both the length and indexes, please just use IDX.");
        return;
    }

    char bufa[LONG_STR_SIZE], bufb[LONG_STR_SIZE];
    size_t la = 0, lb = 0;
    const unsigned char *a = oa ? stringBytes(oa, bufa, &la) : (const unsigned char *)"";
    const unsigned char *b = ob ? stringBytes(ob, bufb, &lb) : (const unsigned char *)"";
    if (la >= UINT32_MAX - 1 || lb >= UINT32_MAX - 1) {
        addReplyError(c, "String too long for LCS");
        return;
    }
    uint32_t alen = (uint32_t)la, blen = (uint32_t)lb;
    size_t cols = (size_t)blen + 1;
    unsigned long long cells = (unsigned long long)(alen + 1ULL) * cols;
    unsigned long long bytes = cells * sizeof(uint32_t);
    if (bytes > (unsigned long long)server.proto_max_bulk_len) {
        addReplyError(c, "Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        return;
    }
    uint32_t *table = zmalloc((size_t)bytes);
#define LCS_AT(i, j) table[(size_t)(i) * cols + (j)]
    for (uint32_t i = 0; i <= alen; i++) {
        for (uint32_t j = 0; j <= blen; j++) {
            if (i == 0 || j == 0) {
                LCS_AT(i, j) = 0;
            } else if (a[i - 1] == b[j - 1]) {
                LCS_AT(i, j) = LCS_AT(i - 1, j - 1) + 1;
            } else {
                uint32_t up = LCS_AT(i - 1, j), left = LCS_AT(i, j - 1);
                LCS_AT(i, j) = up > left ? up : left;
            }
        }
    }
    uint32_t lcslen = LCS_AT(alen, blen);

    if (getlen) {
        addReplyLongLong(c, lcslen);
        zfree(table);
        return;
    }

    /* Walk back.  A match run is open while consecutive diagonal steps
     * match; it is reported when the walk leaves it (a non-matching step,
     * or the start of either string). */
    rstr result = getidx ? NULL : rstrNewLen(NULL, lcslen);
    void *matches_len = NULL;
    long nmatches = 0;
    if (getidx) {
        addReplyMapLen(c, 2);
        addReplyBulkCString(c, "matches");
        matches_len = addReplyDeferredLen(c);
    }
    uint32_t i = alen, j = blen, out = lcslen;
    int open = 0;
    uint32_t run_a = 0, run_b = 0, run_len = 0; /* the open run starts at run_a/run_b */
    while (i > 0 && j > 0) {
        int close_run = 0;
        if (a[i - 1] == b[j - 1]) {
            if (result) result[--out] = (char)a[i - 1];
            if (!open) {
                open = 1;
                run_len = 0;
            }
            run_a = i - 1;
            run_b = j - 1;
            run_len++;
            i--;
            j--;
            if (i == 0 || j == 0) close_run = 1;
        } else {
            if (LCS_AT(i - 1, j) > LCS_AT(i, j - 1))
                i--;
            else
                j--;
            if (open) close_run = 1;
        }
        if (close_run && open) {
            open = 0;
            if (getidx && run_len >= (unsigned long long)minmatchlen) {
                lcsReplyMatch(c, run_a, run_b, run_len, withmatchlen);
                nmatches++;
            }
        }
    }
#undef LCS_AT
    zfree(table);

    if (getidx) {
        setDeferredArrayLen(c, matches_len, nmatches);
        addReplyBulkCString(c, "len");
        addReplyLongLong(c, lcslen);
    } else {
        addReplyBulkRstr(c, result);
    }
}
