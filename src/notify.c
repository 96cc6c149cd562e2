/* notify.c -- keyspace notifications: turns the events that commands and
 * the keyspace report through notifyKeyspaceEvent() (db.h) into Pub/Sub
 * messages, as selected by the notify-keyspace-events directive.
 *
 * An event of class `type` (NOTIFY_GENERIC, NOTIFY_STRING, ... NOTIFY_NEW)
 * named `event` (Redis's names: "set", "del", "expired", "rename_from" ...)
 * on `key` in database `dbid` is published, when its class is enabled, as
 *   K: channel "__keyspace@<dbid>__:<key>"   message <event>
 *   E: channel "__keyevent@<dbid>__:<event>" message <key>
 * in that order.  Delivery is synchronous, so a subscriber sees the events
 * of a command before the command's reply reaches its caller, and in the
 * order the command reported them.
 *
 * This is on the path of every write command.  Disabled (the default), an
 * event costs one test of a bitmask; enabled with nobody subscribed, two
 * more counters; otherwise the channel name is built on the stack unless the
 * key is long.  db.c's weak empty notifyKeyspaceEvent is replaced by this
 * one at link time. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "pubsub.h"
#include "rstr.h"

/* Publishes "<prefix>@<dbid>__:<suffix>" -> msg. */
static void publishOn(const char *prefix, int dbid, const char *suffix, size_t suffixlen,
                      const char *msg, size_t msglen) {
    char buf[256];
    int n = snprintf(buf, sizeof(buf), "%s@%d__:", prefix, dbid);
    size_t headlen = (size_t)n;
    if (headlen + suffixlen <= sizeof(buf)) {
        memcpy(buf + headlen, suffix, suffixlen);
        pubsubPublishMessage(buf, headlen + suffixlen, msg, msglen);
        return;
    }
    rstr ch = rstrNewLen(buf, headlen);
    ch = rstrCatLen(ch, suffix, suffixlen);
    pubsubPublishMessage(ch, rstrLen(ch), msg, msglen);
    rstrFree(ch);
}

void notifyKeyspaceEvent(int type, const char *event, robj *key, int dbid) {
    int flags = serverCfg.notify_keyspace_events;
    if (!(flags & type) || !(flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT))) return;
    /* Keyspace channels are never shard channels: only plain channel and
     * pattern subscribers can receive anything. */
    if (pubsubChannelCount() == 0 && pubsubPatternCount() == 0) return;
    char num[32];
    size_t keylen;
    const char *keyp = stringObjectBytes(key, num, sizeof(num), &keylen);
    size_t eventlen = strlen(event);
    if (flags & NOTIFY_KEYSPACE) publishOn("__keyspace", dbid, keyp, keylen, event, eventlen);
    if (flags & NOTIFY_KEYEVENT) publishOn("__keyevent", dbid, event, eventlen, keyp, keylen);
}
