/* acl_log.c -- the ACL LOG: a bounded list of recent ACL denials and
 * failed authentications, newest first, for ACL LOG to show.
 *
 * Repeats are grouped, as in Redis, so that a client hammering the same
 * forbidden key does not flood the log: an event equal to a recent entry
 * (same reason, context, object and user, within a minute of it) bumps
 * that entry's count, refreshes its time and client description, and moves
 * it to the front.  Only the 10 newest entries are compared, which bounds
 * the work per denial.  The list is trimmed to acllog-max-len on every
 * insertion, so lowering the setting takes effect with the next event.
 *
 * The entry keeps a CLIENT LIST style description of the client taken
 * when the event happened: the client may be gone when the log is read. */
#include "acl_log.h"

#include <string.h>

#include "acl.h"
#include "acl_selectors.h"
#include "adlist.h"
#include "config.h"
#include "reply.h"
#include "server.h"
#include "util.h"
#include "zmalloc.h"

#define ACL_LOG_GROUP_MS 60000 /* events closer than this may be grouped */
#define ACL_LOG_GROUP_SCAN 10  /* how many recent entries are compared */

typedef struct aclLogEntry {
    long long count;
    int reason;
    int context;
    rstr object;
    rstr username;
    long long ctime; /* ms of the last occurrence */
    rstr cinfo;
} aclLogEntry;

static list *aclLog; /* of aclLogEntry, newest first */

static void aclLogEntryFree(void *p) {
    aclLogEntry *e = p;
    rstrFree(e->object);
    rstrFree(e->username);
    rstrFree(e->cinfo);
    zfree(e);
}

static list *aclLogList(void) {
    if (!aclLog) {
        aclLog = listCreate();
        aclLog->free = aclLogEntryFree;
    }
    return aclLog;
}

int aclLogContext(client *c) {
    return (c->flags & CLIENT_MULTI) ? ACL_LOG_CTX_MULTI : ACL_LOG_CTX_TOPLEVEL;
}

static int aclLogMatches(const aclLogEntry *a, const aclLogEntry *b) {
    return a->reason == b->reason && a->context == b->context && a->ctime - b->ctime <= ACL_LOG_GROUP_MS &&
           !rstrCmp(a->object, b->object) && !rstrCmp(a->username, b->username);
}

void aclLogAdd(client *c, int reason, int context, int argpos, const char *username, const char *object) {
    list *log = aclLogList();
    aclLogEntry *e = zmalloc(sizeof(*e));
    e->count = 1;
    e->reason = reason;
    e->context = context;
    e->ctime = mstime();
    if (object) {
        e->object = rstrNew(object);
    } else if (reason == ACL_DENIED_CMD) {
        e->object = rstrNew(c->cmd->fullname);
    } else if (reason == ACL_DENIED_AUTH) {
        e->object = rstrDup(c->argv[0]->ptr);
    } else {
        e->object = rstrDup(c->argv[argpos]->ptr);
    }
    e->username = rstrNew(username ? username : aclGetUserName(aclClientUser(c)));
    e->cinfo = catClientInfoString(rstrEmpty(), c);

    listIter li;
    listNode *ln;
    listRewind(log, &li);
    for (int scanned = 0; scanned < ACL_LOG_GROUP_SCAN && (ln = listNext(&li)); scanned++) {
        aclLogEntry *old = listNodeValue(ln);
        if (!aclLogMatches(e, old)) continue;
        rstrFree(old->cinfo);
        old->cinfo = e->cinfo;
        e->cinfo = NULL;
        old->ctime = e->ctime;
        old->count++;
        aclLogEntryFree(e);
        if (ln != listFirst(log)) {
            listUnlinkNode(log, ln);
            /* Back in at the head: adlist has no "link at head", so the
             * node is re-added and the old one released. */
            ln->value = NULL;
            zfree(ln);
            listAddNodeHead(log, old);
        }
        return;
    }
    listAddNodeHead(log, e);
    while (listLength(log) > serverCfg.acllog_max_len) listDelNode(log, listLast(log));
}

static const char *aclLogReasonName(int reason) {
    switch (reason) {
    case ACL_DENIED_CMD: return "command";
    case ACL_DENIED_KEY: return "key";
    case ACL_DENIED_CHANNEL: return "channel";
    case ACL_DENIED_AUTH: return "auth";
    default: return "unknown";
    }
}

void aclLogReply(client *c, long count) {
    list *log = aclLogList();
    if (count > (long)listLength(log)) count = (long)listLength(log);
    addReplyArrayLen(c, count);
    long long now = mstime();
    listIter li;
    listNode *ln;
    listRewind(log, &li);
    for (long i = 0; i < count && (ln = listNext(&li)); i++) {
        aclLogEntry *e = listNodeValue(ln);
        addReplyMapLen(c, 7);
        addReplyBulkCString(c, "count");
        addReplyLongLong(c, e->count);
        addReplyBulkCString(c, "reason");
        addReplyBulkCString(c, aclLogReasonName(e->reason));
        addReplyBulkCString(c, "context");
        addReplyBulkCString(c, e->context == ACL_LOG_CTX_MULTI ? "multi" : "toplevel");
        addReplyBulkCString(c, "object");
        addReplyBulkCBuffer(c, e->object, rstrLen(e->object));
        addReplyBulkCString(c, "username");
        addReplyBulkCBuffer(c, e->username, rstrLen(e->username));
        addReplyBulkCString(c, "age-seconds");
        addReplyDouble(c, (double)(now - e->ctime) / 1000.0);
        addReplyBulkCString(c, "client-info");
        addReplyBulkCBuffer(c, e->cinfo, rstrLen(e->cinfo));
    }
}

void aclLogReset(void) {
    listEmpty(aclLogList());
}
