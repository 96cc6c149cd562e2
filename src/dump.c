/* dump.c -- DUMP and RESTORE: a key's value as a portable payload.
 *
 * The payload is the value in RDB encoding followed by the RDB version (2
 * bytes LE) and a CRC64 of everything before it (8 bytes LE), exactly as
 * Redis 7.0 produces it, so values move between Redis and ringkv in both
 * directions (MIGRATE-style tooling, redis-cli --rdb-free copies).
 *
 * RESTORE checks in Redis's order, so the same bad input gets the same
 * error: options, existing key (BUSYKEY), TTL, payload checksum, then the
 * value itself.  The payload is untrusted input: rdb.c validates every
 * length and encoding before using it. */
#include <string.h>
#include <strings.h>

#include "db.h"
#include "rdb.h"
#include "reply.h"
#include "server.h"
#include "util.h"

void dumpCommand(client *c) {
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReplyNull(c);
        return;
    }
    rstr payload = rdbDumpPayload(o, server.rdb_compression);
    if (payload == NULL) {
        addReplyError(c, "DUMP of this value type is not supported yet");
        return;
    }
    addReplyBulkRstr(c, payload);
}

/* The eviction policy decides whether IDLETIME or FREQ means anything; the
 * value is recorded in the object's lru field either way (issue 5 adds the
 * LFU layout). */
static void restoreSetAccessInfo(robj *o, long long idle, long long freq) {
    (void)freq;
    if (idle >= 0) {
        long long clock = getLRUClock();
        long long units = idle * 1000 / LRU_CLOCK_RESOLUTION;
        o->lru = (unsigned)((clock - units) & LRU_CLOCK_MAX);
    }
}

void restoreCommand(client *c) {
    int replace = 0, absttl = 0;
    long long idle = -1, freq = -1;
    for (int j = 4; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int more = c->argc - j - 1;
        if (!strcasecmp(opt, "replace")) {
            replace = 1;
        } else if (!strcasecmp(opt, "absttl")) {
            absttl = 1;
        } else if (!strcasecmp(opt, "idletime") && more >= 1 && freq == -1) {
            if (getLongLongFromObject(c->argv[j + 1], &idle) == -1) {
                addReplyErrorNotInteger(c);
                return;
            }
            if (idle < 0) {
                addReplyError(c, "Invalid IDLETIME value, must be >= 0");
                return;
            }
            j++;
        } else if (!strcasecmp(opt, "freq") && more >= 1 && idle == -1) {
            if (getLongLongFromObject(c->argv[j + 1], &freq) == -1) {
                addReplyErrorNotInteger(c);
                return;
            }
            if (freq < 0 || freq > 255) {
                addReplyError(c, "Invalid FREQ value, must be >= 0 and <= 255");
                return;
            }
            j++;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    robj *key = c->argv[1];
    if (!replace && lookupKeyWrite(c->db, key) != NULL) {
        addReplyError(c, "-BUSYKEY Target key name already exists.");
        return;
    }
    long long ttl;
    if (getLongLongFromObject(c->argv[2], &ttl) == -1) {
        addReplyErrorNotInteger(c);
        return;
    }
    if (ttl < 0) {
        addReplyError(c, "Invalid TTL value, must be >= 0");
        return;
    }
    const char *err = NULL;
    robj *payload = c->argv[3];
    robj *val = rdbRestorePayload((const unsigned char *)payload->ptr, rstrLen(payload->ptr),
                                  !server.skip_checksum_validation, &err);
    if (val == NULL) {
        addReplyError(c, err);
        return;
    }
    if (ttl && !absttl) ttl += server.cmd_time_snapshot;
    int deleted = replace ? dbDelete(c->db, key) : 0;
    if (ttl && ttl <= server.cmd_time_snapshot) {
        /* Already expired: the key is not created (but a replaced one is
         * gone), as in Redis. */
        decrRefCount(val);
        if (deleted) {
            signalModifiedKey(c, c->db, key);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
            server.dirty++;
        }
        addReplyOk(c);
        return;
    }
    restoreSetAccessInfo(val, idle, freq);
    dbAdd(c->db, key, val);
    if (ttl) setExpire(c, c->db, key, ttl);
    signalModifiedKey(c, c->db, key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "restore", key, c->db->id);
    server.dirty++;
    addReplyOk(c);
}
