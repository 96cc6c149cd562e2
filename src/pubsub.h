/* pubsub.h -- Pub/Sub (pubsub.c): channel, pattern and shard-channel
 * subscriptions, message delivery, and the commands that drive them.
 *
 * Three independent namespaces, as in a standalone Redis 7.0:
 *   channels        SUBSCRIBE / UNSUBSCRIBE / PUBLISH ("message")
 *   patterns        PSUBSCRIBE / PUNSUBSCRIBE, matched by PUBLISH ("pmessage")
 *   shard channels  SSUBSCRIBE / SUNSUBSCRIBE / SPUBLISH ("smessage"); a
 *                   shard channel named like a plain channel is another
 *                   channel, and patterns never match shard channels.
 *
 * Per client, c->pubsub_channels / c->pubsub_patterns /
 * c->pubsub_shard_channels are htabs of this module's subscription entries
 * (NULL until the first subscription); htabSize() of each is the client's
 * number of subscriptions of that kind.  CLIENT_PUBSUB is set while the
 * client has at least one subscription of any kind. */
#ifndef RINGKV_PUBSUB_H
#define RINGKV_PUBSUB_H

#include <stddef.h>

#include "client.h"

/* Creates the server-side tables and registers the client free and RESET
 * hooks that drop a client's subscriptions.  Call once at start-up; calling
 * it again does nothing (the first subscription calls it as well, so the
 * module cannot be left uninitialized). */
void pubsubInit(void);

/* Delivers msg to every subscriber of channel and to every client whose
 * pattern matches it; returns the number of deliveries (a client subscribed
 * to the channel and to two matching patterns counts three times).  Used by
 * PUBLISH and by keyspace notifications (notify.c). */
long long pubsubPublishMessage(const char *channel, size_t chlen, const char *msg, size_t msglen);

/* Dispatcher hook (commands.c): a RESP2 client with subscriptions may only
 * run (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET.  Replies the
 * error and returns 1 for any other command, returns 0 otherwise. */
int pubsubCheckContextOrReply(client *c);

/* Server-wide counts for INFO stats: channels, patterns and shard channels
 * with at least one subscriber. */
size_t pubsubChannelCount(void);
size_t pubsubPatternCount(void);
size_t pubsubShardChannelCount(void);
/* Bytes of a client's subscription state (CLIENT LIST tot-mem). */
size_t pubsubClientMemUsage(client *c);
/* Calls fn for each of c's subscriptions (channels, patterns, shard
 * channels) until it returns non-zero; returns 1 then, else 0.  The ACL
 * module uses it to find subscribers whose channels were revoked. */
int pubsubClientAnySubscription(client *c, int (*fn)(void *priv, int is_pattern, const char *name, size_t len),
                                void *priv);

/* Commands */
void subscribeCommand(client *c);
void unsubscribeCommand(client *c);
void psubscribeCommand(client *c);
void punsubscribeCommand(client *c);
void ssubscribeCommand(client *c);
void sunsubscribeCommand(client *c);
void publishCommand(client *c);
void spublishCommand(client *c);
void pubsubChannelsCommand(client *c);
void pubsubNumsubCommand(client *c);
void pubsubNumpatCommand(client *c);
void pubsubShardchannelsCommand(client *c);
void pubsubShardnumsubCommand(client *c);
void pubsubHelpCommand(client *c);

#endif
