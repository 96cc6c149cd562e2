/* multi.h -- transactions (MULTI EXEC DISCARD) and optimistic locking
 * (WATCH UNWATCH), implemented in multi.c.
 *
 * A client in MULTI has CLIENT_MULTI set and its queue in c->mstate; the
 * dispatcher diverts every command but EXEC/DISCARD/MULTI/WATCH/QUIT/RESET
 * to multiQueueCommand.  A client that WATCHes keys is listed, per key, in
 * db->watched_keys and holds its own list in c->watched_keys; any change to
 * a watched key (signalModifiedKey, a flush, a swap, expiry) sets
 * CLIENT_DIRTY_CAS on its watchers, and their EXEC then replies a null
 * array. */
#ifndef RINGKV_MULTI_H
#define RINGKV_MULTI_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "db.h"
#include "object.h"

/* Registers the hooks (modified keys, client free, RESET).  Called once at
 * start-up, after dbInitAll. */
void multiInit(void);

/* Command handlers. */
void multiCommand(client *c);
void execCommand(client *c);
void discardCommand(client *c);
void watchCommand(client *c);
void unwatchCommand(client *c);

/* Dispatcher hook (commands.c): inside MULTI, queues the command and
 * replies +QUEUED; returns 1 if it did so, 0 if the command must run now. */
int multiQueueCommand(client *c);

/* For every path that refuses a command before running it (unknown
 * command, arity, NOAUTH, NOPERM, OOM, MISCONF ...), with the error text
 * about to be sent (reply.h conventions: "-CODE text" or bare "text").
 * Inside MULTI it dooms the transaction (EXEC will answer EXECABORT).  When
 * the refused command is EXEC itself the transaction is discarded at once
 * and this function replies "-EXECABORT Transaction discarded because of:
 * <err>": it returns 1 then, and the caller must not reply.  Otherwise it
 * returns 0 and the caller replies err as usual. */
int multiCommandRejected(client *c, const char *err);
/* Just the flagging part: a transaction in progress will abort. */
void multiFlagDirty(client *c);

/* Introspection: commands queued (-1 when not in MULTI, as CLIENT LIST's
 * multi= shows it), the union of their command flags (the dispatcher treats
 * EXEC as a write / denyoom command when it carries such commands), and the
 * memory held by the queue and the watch list (CLIENT LIST tot-mem), of
 * which the queued arguments alone are CLIENT LIST's multi-mem=. */
int multiQueuedCount(client *c);
uint64_t multiQueuedCommandFlags(client *c);
size_t multiMemOverhead(client *c);
size_t multiQueuedArgvBytes(client *c);

/* Keyspace side.  touchWatchedKey flags the watchers of one key (it is the
 * hook registered with dbRegisterModifiedKeyHook).  touchAllWatchedKeysInDb
 * is for whole-database changes, called while the old contents are still in
 * place: FLUSHDB/FLUSHALL (replaced_with NULL) and SWAPDB (called for each
 * side, with the other database as replaced_with). */
void touchWatchedKey(redisDb *db, robj *key);
void touchAllWatchedKeysInDb(redisDb *emptied, redisDb *replaced_with);

/* Drops the queue and the watched keys and leaves MULTI (DISCARD, RESET). */
void multiDiscardTransaction(client *c);
/* Drops every watched key of the client (UNWATCH does this plus clearing
 * CLIENT_DIRTY_CAS). */
void multiUnwatchAllKeys(client *c);

#endif
