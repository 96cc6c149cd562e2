/* monitor.c -- the MONITOR command and the feed of executed commands to
 * monitoring clients.
 *
 * The feed runs from call() after each command, so what a monitor sees is
 * what actually executed, in execution order: commands queued in MULTI show
 * up at EXEC time, a command refused by the dispatcher (unknown, wrong
 * arity, NOAUTH, OOM ...) never shows, and the database shown is the one
 * selected after the command (SELECT shows its new database).  A blocking
 * command shows once, when it is first called.
 *
 * The line is formatted once per command and appended as a raw status
 * reply to each monitor's output buffer; output-buffer limits apply to
 * monitors like to any normal client, so a monitor that does not read is
 * disconnected rather than allowed to grow without bound.  With no monitor
 * connected, call() pays one test of monitorCount. */
#include "monitor.h"

#include <string.h>

#include "adlist.h"
#include "commands.h"
#include "connection.h"
#include "db.h"
#include "reply.h"
#include "server.h"
#include "slowlog.h"
#include "util.h"

unsigned long monitorCount;
static list *monitors;

static void monitorStop(client *c) {
    if (!(c->flags & CLIENT_MONITOR)) return;
    listNode *ln = listSearchKey(monitors, c);
    if (ln) listDelNode(monitors, ln);
    c->flags &= ~CLIENT_MONITOR;
    monitorCount = listLength(monitors);
}

void monitorInit(void) {
    monitors = listCreate();
    clientRegisterFreeHook(monitorStop);
    connectionRegisterResetHook(monitorStop);
}

void monitorFeed(client *c) {
    if (c->cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)) return;
    long long now = ustime();
    rstr line = rstrCatPrintf(rstrEmpty(), "+%lld.%06lld [%d ", now / 1000000, now % 1000000,
                              c->db ? c->db->id : 0);
    if (c->flags & CLIENT_UNIX_SOCKET)
        line = rstrCatPrintf(line, "unix:%s] ", server.unixsocket ? server.unixsocket : "");
    else
        line = rstrCatPrintf(line, "%s] ", c->addr);
    for (int j = 0; j < c->argc; j++) {
        if (j) line = rstrCatLen(line, " ", 1);
        if (slowlogArgumentRedacted(c, j)) {
            line = rstrCat(line, "\"(redacted)\"");
            continue;
        }
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *p = stringObjectBytes(c->argv[j], buf, sizeof(buf), &len);
        line = rstrCatRepr(line, p, len);
    }
    line = rstrCatLen(line, "\r\n", 2);
    listIter li;
    listNode *ln;
    listRewind(monitors, &li);
    while ((ln = listNext(&li))) addReplyProto(listNodeValue(ln), line, rstrLen(line));
    rstrFree(line);
}

void monitorCommand(client *c) {
    /* Inside a transaction the client expects one reply per command; a
     * stream of lines would break that (MONITOR is queued, this runs at
     * EXEC). */
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "MONITOR isn't allowed for DENY BLOCKING client");
        return;
    }
    /* Already monitoring: nothing to do, and nothing to say. */
    if (c->flags & CLIENT_MONITOR) return;
    c->flags |= CLIENT_MONITOR;
    listAddNodeTail(monitors, c);
    monitorCount = listLength(monitors);
    addReplyOk(c);
}
