/* monitor.h -- MONITOR: clients that watch every command the server runs
 * (monitor.c).
 *
 * After MONITOR replies +OK, the client receives one status line per
 * command executed by anyone (itself included), written after the command
 * ran:
 *     +1700000000.123456 [0 127.0.0.1:52345] "set" "k" "v"
 * (unix time with microseconds, the database the client had selected once
 * the command was done, the client's address -- "unix:<path>" on the unix
 * socket -- and the arguments quoted and escaped).  Administrative
 * commands (CONFIG, DEBUG, SLOWLOG, CLIENT LIST ...) and those flagged
 * skip_monitor are never shown; redacted arguments (slowlog.h) read
 * "(redacted)".  Queued MULTI commands appear when EXEC runs them, before
 * the EXEC line itself.  A monitoring client stays one until RESET or it
 * disconnects; while monitoring it may not run commands that read or write
 * keys (commands.c refuses them as Redis does). */
#ifndef RINGKV_MONITOR_H
#define RINGKV_MONITOR_H

#include "client.h"

/* Number of clients in MONITOR mode: call() tests it before feeding. */
extern unsigned long monitorCount;

void monitorInit(void);

/* Sends c's current command (just executed) to every monitor. */
void monitorFeed(client *c);

static inline void monitorFeedIfNeeded(client *c) {
    if (monitorCount) monitorFeed(c);
}

void monitorCommand(client *c);

#endif
