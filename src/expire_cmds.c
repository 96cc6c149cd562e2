/* expire_cmds.c -- the commands that set, read and clear a key's expire time:
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME
 * and PERSIST.
 *
 * Expiry itself (lazy expiry on lookup and the active cycle that samples
 * volatile keys) belongs to db.c; this file only translates the commands'
 * arguments into absolute unix times in milliseconds, which is the only form
 * the keyspace stores.
 *
 * The four setters share one path.  Its order is observable and follows
 * Redis: options are validated before the time argument, the time is
 * validated (including overflow of the unit conversion and of adding the
 * base time) before the key is looked up, and the NX/XX/GT/LT conditions are
 * checked against the key's current TTL, with "no TTL" counting as infinity.
 * A time already in the past deletes the key at once instead of storing a
 * dead TTL, so the key disappears from TTL/EXISTS/DBSIZE without waiting for
 * the expiry machinery; that deletion is reported as "del", not "expired",
 * because it is the command that removed the key. */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "keyspace.h"
#include "reply.h"
#include "server.h"
#include "util.h"

#define EXPIRE_NX (1 << 0) /* only if the key has no TTL */
#define EXPIRE_XX (1 << 1) /* only if the key has a TTL */
#define EXPIRE_GT (1 << 2) /* only if the new time is later (no TTL = never) */
#define EXPIRE_LT (1 << 3) /* only if the new time is earlier */

#define EXPIRE_UNIT_SECONDS 0
#define EXPIRE_UNIT_MS 1

/* Parses the NX|XX|GT|LT options after the time argument into *flags.  On an
 * unknown or incompatible combination replies the error and returns C_ERR. */
static int parseExpireOptionsOrReply(client *c, int *flags) {
    *flags = 0;
    for (int j = 3; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        if (!strcasecmp(opt, "nx")) {
            *flags |= EXPIRE_NX;
        } else if (!strcasecmp(opt, "xx")) {
            *flags |= EXPIRE_XX;
        } else if (!strcasecmp(opt, "gt")) {
            *flags |= EXPIRE_GT;
        } else if (!strcasecmp(opt, "lt")) {
            *flags |= EXPIRE_LT;
        } else {
            addReplyErrorFormat(c, "Unsupported option %s", opt);
            return C_ERR;
        }
    }
    /* XX combines with GT or LT; NX combines with nothing. */
    if ((*flags & EXPIRE_NX) && (*flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
        addReplyError(c, "NX and XX, GT or LT options at the same time are not compatible");
        return C_ERR;
    }
    if ((*flags & EXPIRE_GT) && (*flags & EXPIRE_LT)) {
        addReplyError(c, "GT and LT options at the same time are not compatible");
        return C_ERR;
    }
    return C_OK;
}

/* Whether the NX/XX/GT/LT conditions allow replacing `current` (-1 = no
 * TTL, i.e. never expires) by `when`. */
static int expireConditionsHold(int flags, long long current, long long when) {
    if ((flags & EXPIRE_NX) && current != -1) return 0;
    if ((flags & EXPIRE_XX) && current == -1) return 0;
    /* No TTL is later than any time, so GT can never win against it... */
    if ((flags & EXPIRE_GT) && (current == -1 || when <= current)) return 0;
    /* ...and LT always does. */
    if ((flags & EXPIRE_LT) && current != -1 && when >= current) return 0;
    return 1;
}

/* Shared by the four setters.  basetime is added to the argument (the
 * current time for the relative forms, 0 for the absolute ones); unit says
 * whether the argument is in seconds or milliseconds. */
static void expireGenericCommand(client *c, long long basetime, int unit) {
    robj *key = c->argv[1];
    int flags;
    long long when;

    if (parseExpireOptionsOrReply(c, &flags) != C_OK) return;
    if (getLongLongFromObject(c->argv[2], &when) != C_OK) {
        addReplyErrorNotInteger(c);
        return;
    }
    /* Negative times are allowed (they delete the key), but a conversion or
     * addition that would overflow is an error rather than a wrapped time. */
    if (unit == EXPIRE_UNIT_SECONDS) {
        if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) {
            addReplyErrorExpireTime(c);
            return;
        }
        when *= 1000;
    }
    if (when > LLONG_MAX - basetime) {
        addReplyErrorExpireTime(c);
        return;
    }
    when += basetime;

    if (lookupKeyWrite(c->db, key) == NULL) {
        addReplyLongLong(c, 0);
        return;
    }
    if (flags && !expireConditionsHold(flags, getExpire(c->db, key), when)) {
        addReplyLongLong(c, 0);
        return;
    }

    /* While a snapshot is loaded, keys keep their times whatever the clock
     * says: expiring them is the loader's decision. */
    if (when <= mstime() && !server.loading) {
        int deleted = dbGenericDelete(c->db, key, server.lazyfree_lazy_expire);
        serverAssert(deleted);
        server.dirty++;
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
        addReplyLongLong(c, 1);
        return;
    }
    setExpire(c, c->db, key, when);
    /* Reply first, then the event: a RESP3 client subscribed to its own
     * keyspace events sees them in Redis's order (the "del" above comes
     * before its reply, this one after). */
    addReplyLongLong(c, 1);
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key, c->db->id);
    server.dirty++;
}

void expireCommand(client *c) {
    expireGenericCommand(c, mstime(), EXPIRE_UNIT_SECONDS);
}

void pexpireCommand(client *c) {
    expireGenericCommand(c, mstime(), EXPIRE_UNIT_MS);
}

void expireatCommand(client *c) {
    expireGenericCommand(c, 0, EXPIRE_UNIT_SECONDS);
}

void pexpireatCommand(client *c) {
    expireGenericCommand(c, 0, EXPIRE_UNIT_MS);
}

/* TTL family: -2 when the key does not exist, -1 when it has no TTL.
 * Relative forms round seconds to nearest (a fresh EXPIRE 100 reads 100,
 * not 99) and never go below 0 for a key that is due but not yet expired. */
static void ttlGenericCommand(client *c, int output_ms, int output_abs) {
    if (lookupKeyReadWithFlags(c->db, c->argv[1], LOOKUP_NOTOUCH) == NULL) {
        addReplyLongLong(c, -2);
        return;
    }
    long long expire = getExpire(c->db, c->argv[1]);
    if (expire == -1) {
        addReplyLongLong(c, -1);
        return;
    }
    long long t = output_abs ? expire : expire - mstime();
    if (t < 0) t = 0;
    addReplyLongLong(c, output_ms ? t : (t + 500) / 1000);
}

void ttlCommand(client *c) {
    ttlGenericCommand(c, 0, 0);
}

void pttlCommand(client *c) {
    ttlGenericCommand(c, 1, 0);
}

void expiretimeCommand(client *c) {
    ttlGenericCommand(c, 0, 1);
}

void pexpiretimeCommand(client *c) {
    ttlGenericCommand(c, 1, 1);
}

void persistCommand(client *c) {
    robj *key = c->argv[1];
    if (lookupKeyWrite(c->db, key) == NULL || !removeExpire(c->db, key)) {
        addReplyLongLong(c, 0);
        return;
    }
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "persist", key, c->db->id);
    server.dirty++;
    addReplyLongLong(c, 1);
}
