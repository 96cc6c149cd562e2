/* slowlog.h -- the slow log (SLOWLOG GET LEN RESET HELP) and the redaction
 * of secret arguments, which MONITOR honours too (slowlog.c).
 *
 * call() hands every executed command to slowlogPushIfNeeded(); a command
 * that ran for slowlog-log-slower-than microseconds or more (-1: never,
 * 0: always) is remembered, newest first, in at most slowlog-max-len
 * entries.  Commands flagged skip_slowlog (EXEC: its commands are logged one
 * by one) are not.  A blocking command is logged when it is served, with
 * the time of its executions (not of the wait). */
#ifndef RINGKV_SLOWLOG_H
#define RINGKV_SLOWLOG_H

#include "client.h"
#include "commands.h"
#include "server.h"

void slowlogInit(void);

/* Unconditionally appends an entry for c's current command (the caller
 * checked the threshold: use slowlogPushIfNeeded). */
void slowlogPush(client *c, const redisCommand *cmd, long long duration_us);

static inline void slowlogPushIfNeeded(client *c, const redisCommand *cmd, long long duration_us) {
    if (server.slowlog_log_slower_than >= 0 && duration_us >= server.slowlog_log_slower_than)
        slowlogPush(c, cmd, duration_us);
}

/* Redaction.  A command handler that receives a secret (AUTH's password,
 * HELLO AUTH, CONFIG SET requirepass, ACL SETUSER rules) calls this for
 * each such argument of the command it is executing: the slow log and
 * MONITOR then show "(redacted)" in its place.  Execution itself still
 * sees the real argument.  The marks last until the end of the current
 * call() (slowlogForgetRedactions). */
void slowlogRedactArgument(client *c, int argi);
/* Whether argument argi of c's current command was redacted. */
int slowlogArgumentRedacted(client *c, int argi);
/* Drops the marks of the command that just ran (call() does it, after
 * every command: one test when nothing was redacted). */
extern int slowlogRedactionsPending;
void slowlogDropRedactions(void);
static inline void slowlogForgetRedactions(void) {
    if (slowlogRedactionsPending) slowlogDropRedactions();
}

void slowlogGetCommand(client *c);
void slowlogLenCommand(client *c);
void slowlogResetCommand(client *c);
void slowlogHelpCommand(client *c);

#endif
