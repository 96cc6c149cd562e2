/* server_commands.c -- TIME and SHUTDOWN.
 *
 * Both are thin: TIME reads the clock, SHUTDOWN validates its options and
 * hands over to prepareForShutdown() in server.c, which owns the shutdown
 * sequence (final save when configured, pid file, sockets) and decides
 * whether the process may exit.  Keeping the sequence there means SIGTERM,
 * SIGINT and SHUTDOWN all go through the same code. */
#include "server_commands.h"

#include <stdlib.h>
#include <strings.h>

#include "reply.h"
#include "server.h"
#include "util.h"

/* TIME: the wall clock read now, not the time cached at the start of the
 * event-loop iteration, so two TIME calls in one pipeline still differ. */
void timeCommand(client *c) {
    long long us = ustime();
    addReplyArrayLen(c, 2);
    addReplyBulkLongLong(c, us / 1000000);
    addReplyBulkLongLong(c, us % 1000000);
}

/* SHUTDOWN ABORT cancels a shutdown that was requested but has not happened
 * yet: one scheduled by SIGTERM/SIGINT (run from the next cron tick) or one
 * waiting for something (shutdown_mstime set).  Returns C_ERR when there is
 * nothing to cancel. */
static int abortPendingShutdown(void) {
    if (!server.shutdown_asap && server.shutdown_mstime == 0) return C_ERR;
    server.shutdown_asap = 0;
    server.shutdown_mstime = 0;
    server.shutdown_flags = SHUTDOWN_NOFLAGS;
    serverLog(LL_NOTICE, "Shutdown manually aborted.");
    return C_OK;
}

/* SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]
 *
 * Options may repeat; SAVE with NOSAVE, or ABORT with anything else, is a
 * syntax error.  On success the process exits inside prepareForShutdown's
 * caller (here), so the client gets no reply: its connection just closes. */
void shutdownCommand(client *c) {
    int flags = SHUTDOWN_NOFLAGS;
    int do_abort = 0;
    for (int i = 1; i < c->argc; i++) {
        const char *opt = c->argv[i]->ptr;
        if (!strcasecmp(opt, "nosave")) {
            flags |= SHUTDOWN_NOSAVE;
        } else if (!strcasecmp(opt, "save")) {
            flags |= SHUTDOWN_SAVE;
        } else if (!strcasecmp(opt, "now")) {
            flags |= SHUTDOWN_NOW;
        } else if (!strcasecmp(opt, "force")) {
            flags |= SHUTDOWN_FORCE;
        } else if (!strcasecmp(opt, "abort")) {
            do_abort = 1;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    if ((do_abort && flags != SHUTDOWN_NOFLAGS) ||
        ((flags & SHUTDOWN_NOSAVE) && (flags & SHUTDOWN_SAVE))) {
        addReplyErrorSyntax(c);
        return;
    }
    if (do_abort) {
        if (abortPendingShutdown() == C_OK)
            addReplyOk(c);
        else
            addReplyError(c, "No shutdown in progress.");
        return;
    }
    if (prepareForShutdown(flags) == C_OK) exit(0);
    addReplyError(c, "Errors trying to SHUTDOWN. Check logs.");
}
