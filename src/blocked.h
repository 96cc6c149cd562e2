/* blocked.h -- clients blocked on keys (BLPOP & co., BZPOPMIN & co.).
 *
 * Contract for a blocking command's handler (t_list.c, t_zset.c):
 *
 *   1. Parse the arguments (timeouts with getTimeoutFromObjectOrReply).
 *   2. Try to serve now.  While blocked.c re-executes the command because a
 *      key became ready, blockedReadyKey(c) returns that key: try ONLY that
 *      key (Redis 7.0 serves the key that became ready, so other keys of the
 *      command that turned into the wrong type meanwhile give no error).
 *      Outside re-execution it returns NULL: try the keys in order.
 *   3. If nothing can be served: when clientCannotBlock(c) reply a null
 *      array (as if the timeout expired: MULTI/EXEC, scripts); otherwise call
 *      blockForKeys() and return WITHOUT replying.
 *
 * blockForKeys() keeps the client's argv (the command is re-executed later)
 * and sets CLIENT_BLOCKED, which stops the client's pipeline.  When the key
 * is signalled ready (signalKeyAsReady, called by dbAdd and the keyspace's
 * other "key appears" paths) and holds the type that btype waits for
 * (BLOCKED_LIST: a list, BLOCKED_ZSET: a sorted set), the clients blocked on
 * it are re-executed in the order they blocked, from
 * handleClientsBlockedOnKeys().  A re-executed command that calls
 * blockForKeys() again stays blocked in its original place (the call is a
 * no-op); one that replies is unblocked and the rest of its pipeline runs
 * from blockedBeforeSleep().  Re-executions happen outside call(): command
 * statistics count a blocking command once, when it is first called.
 *
 * Timeouts are absolute unix times in milliseconds (0 = forever); each
 * blocked client with a timeout owns one event-loop timer, so the client is
 * answered (null array) at the right millisecond without any polling. */
#ifndef RINGKV_BLOCKED_H
#define RINGKV_BLOCKED_H

#include "client.h"
#include "db.h"
#include "object.h"

/* Registers the client-free hook.  Idempotent: listTypeInit() calls it, the
 * zset module may call it too. */
void blockedInit(void);

/* Parses a timeout in seconds (a float, as Redis does) from `object`: on
 * success stores the absolute deadline in ms into *timeout (0 = block
 * forever) and returns C_OK; otherwise replies the Redis error ("timeout is
 * not a float or out of range", "timeout is negative") and returns C_ERR. */
int getTimeoutFromObjectOrReply(client *c, robj *object, long long *timeout);

/* Non-zero when c must not block (inside MULTI/EXEC, fake clients): the
 * command then replies as if the timeout had expired. */
int clientCannotBlock(client *c);

/* Blocks c on keys[0..numkeys-1] of c->db (duplicates are fine) until one
 * of them is served, the deadline `timeout` (absolute ms, 0 = forever)
 * passes, CLIENT UNBLOCK, or the client goes away.  btype is BLOCKED_LIST or
 * BLOCKED_ZSET.  The keys are referenced, not consumed.  No-op when c is
 * already blocked (re-execution: the client keeps its place). */
void blockForKeys(client *c, int btype, robj **keys, int numkeys, long long timeout);

/* The key being served while blocked.c re-executes c's command, else NULL. */
robj *blockedReadyKey(client *c);

/* Notes that key (in db) may now serve clients blocked on it.  `type` is the
 * OBJ_* type of the value now at key; values of types nobody blocks for, and
 * keys nobody waits on, cost one lookup and are ignored. */
void signalKeyAsReady(redisDb *db, robj *key, int type);

/* After SWAPDB: signals every key someone waits on in db that now holds a
 * value (the lead's dbSwapDatabases calls it for both databases). */
void blockedScanDbForReadyKeys(redisDb *db);

/* Serves the clients blocked on the keys signalled ready, repeating until no
 * key is ready (a BLMOVE served can make its destination ready: chains).
 * Call after each command executed from the network and before sleeping.
 * Cheap when nothing is ready; not re-entrant (nested calls return). */
void handleClientsBlockedOnKeys(void);

/* Runs the pipelines of clients unblocked since the last call (they were
 * served, timed out, or were unblocked by CLIENT UNBLOCK).  beforeSleep. */
void blockedBeforeSleep(void);

/* Removes c from every key it waits on and cancels its timer; the client's
 * argv is released and its pipeline is resumed from blockedBeforeSleep().
 * No reply is sent.  No-op if c is not blocked. */
void unblockClient(client *c);

/* Replies to a blocked client as on timeout (null array) and unblocks it. */
void blockedReplyTimeoutAndUnblock(client *c);

/* Number of clients currently blocked on keys, and of those with a
 * deadline (INFO clients: blocked_clients counts CLIENT_BLOCKED already;
 * the second is Redis's clients_in_timeout_table). */
unsigned long blockedClientsCount(void);
unsigned long blockedClientsWithTimeoutCount(void);

/* CLIENT UNBLOCK <id> [TIMEOUT|ERROR] */
void clientUnblockCommand(client *c);

#endif
