/* pubsub.c -- Pub/Sub: subscriptions, delivery of messages, and the
 * SUBSCRIBE family, PUBLISH, SPUBLISH and PUBSUB commands.
 *
 * State.  Each namespace (channels, patterns, shard channels; see pubsub.h)
 * has one server-side table of topics, name -> pubsubTopic, holding the
 * topic's subscribers in subscription order.  A topic exists exactly while
 * it has subscribers, so the size of the table is what PUBSUB NUMPAT and
 * INFO report.  Each client has one table per namespace of pubsubSub
 * entries, one per topic it subscribes to.
 *
 * A pubsubSub is at the same time the client's entry (chained in the
 * client's htab, keyed by the topic's name) and the client's node in the
 * topic's subscriber list (an adlist node embedded in the entry, value =
 * the client).  So a subscription costs one allocation, and unsubscribing is
 * O(1) whatever the number of subscribers of the channel: Redis searches
 * the channel's client list, which makes a mass disconnect from a popular
 * channel quadratic.
 *
 * Delivery.  PUBLISH encodes the message once as a complete RESP frame and
 * copies the bytes to each receiver, flipping only the first byte between
 * '*' (RESP2 array) and '>' (RESP3 push).  Channel subscribers receive
 * first, in subscription order, then pattern subscribers, pattern by
 * pattern in the order the patterns were first subscribed to (Redis uses
 * its dict's order, which changes from run to run).  Writing to a
 * subscriber never frees it (a client over its output buffer limit is
 * closed asynchronously), so the lists stay valid during a delivery.
 *
 * Pushed replies (messages and (un)subscribe confirmations) are written
 * with CLIENT_PUSHING set: Redis 7.0 sends them even to a client that
 * switched replies off with CLIENT REPLY OFF/SKIP, and reply.c lets them
 * through on that flag.
 *
 * Subscribed mode.  A RESP2 connection with subscriptions can only carry
 * pushes and the replies of the few commands that make sense there;
 * pubsubCheckContextOrReply, called by the dispatcher, refuses the rest.
 * RESP3 tells pushes apart from replies, so a RESP3 subscriber may run any
 * command. */
#include <string.h>
#include <strings.h>

#include "commands.h"
#include "connection.h"
#include "pubsub.h"
#include "reply.h"
#include "server.h"
#include "util.h"
#include "zmalloc.h"


/* A channel, pattern or shard channel with at least one subscriber. */
typedef struct pubsubTopic {
    htabLink link;    /* chain of the server-side table */
    list subscribers; /* pubsubSub.node of each subscriber, oldest first */
    listNode order;   /* patterns only: in patternOrder */
    size_t len;
    char name[];      /* len bytes, NUL-terminated for convenience */
} pubsubTopic;

/* One client's subscription to one topic. */
typedef struct pubsubSub {
    htabLink link;       /* chain of the client's table */
    pubsubTopic *topic;
    listNode node;       /* in topic->subscribers; node.value is the client */
} pubsubSub;

/* What differs between the three namespaces. */
typedef struct pubsubKind {
    int id;                  /* PUBSUB_KIND_* */
    const char *subscribe;   /* confirmation names */
    const char *unsubscribe;
} pubsubKind;

#define PUBSUB_KIND_CHANNEL 0
#define PUBSUB_KIND_PATTERN 1
#define PUBSUB_KIND_SHARD 2

static const pubsubKind kindChannel = {PUBSUB_KIND_CHANNEL, "subscribe", "unsubscribe"};
static const pubsubKind kindPattern = {PUBSUB_KIND_PATTERN, "psubscribe", "punsubscribe"};
static const pubsubKind kindShard = {PUBSUB_KIND_SHARD, "ssubscribe", "sunsubscribe"};

/* By PUBSUB_KIND_*: name -> pubsubTopic.  NULL until pubsubInit, which
 * the first subscription also calls: readers treat NULL as empty, so a
 * server that never sees a subscriber never allocates them. */
static htab *topics[3];

/* Every pattern topic, oldest first: PUBLISH tries patterns in this order,
 * which is deterministic (Redis's is its dict's order) and cheaper to walk
 * than the table. */
static list patternOrder;

static const void *topicKey(const void *entry, size_t *len) {
    const pubsubTopic *t = entry;
    *len = t->len;
    return t->name;
}

static void topicFree(void *entry) {
    zfree(entry);
}

static const void *subKey(const void *entry, size_t *len) {
    const pubsubSub *s = entry;
    *len = s->topic->len;
    return s->topic->name;
}

static const htabType topicTableType = {topicKey, topicFree, 0};
/* No destructor: entries are freed by dropSubscription, which also unlinks
 * them from their topic. */
static const htabType subTableType = {subKey, NULL, 0};

/* --- per-client tables ------------------------------------------------ */

static htab **clientTable(client *c, const pubsubKind *k) {
    switch (k->id) {
    case PUBSUB_KIND_CHANNEL: return &c->pubsub_channels;
    case PUBSUB_KIND_PATTERN: return &c->pubsub_patterns;
    default: return &c->pubsub_shard_channels;
    }
}

static size_t tableSize(const htab *t) {
    return t ? htabSize(t) : 0;
}

static pubsubTopic *findTopic(int kind, const char *name, size_t len) {
    return topics[kind] ? htabFind(topics[kind], name, len) : NULL;
}

/* The count that (un)subscribe confirmations carry: shard subscriptions are
 * counted on their own, channels and patterns together, as Redis 7.0 does. */
static long long confirmationCount(client *c, const pubsubKind *k) {
    if (k->id == PUBSUB_KIND_SHARD) return (long long)tableSize(c->pubsub_shard_channels);
    return (long long)(tableSize(c->pubsub_channels) + tableSize(c->pubsub_patterns));
}

static size_t totalSubscriptions(client *c) {
    return tableSize(c->pubsub_channels) + tableSize(c->pubsub_patterns) +
           tableSize(c->pubsub_shard_channels);
}

/* Called after every change to a client's subscriptions: leaves subscribed
 * mode with the last subscription of any kind, and releases tables that
 * became empty so an unsubscribed client carries nothing. */
static void afterSubscriptionChange(client *c) {
    htab **tables[3] = {&c->pubsub_channels, &c->pubsub_patterns, &c->pubsub_shard_channels};
    for (int i = 0; i < 3; i++) {
        if (*tables[i] && htabSize(*tables[i]) == 0) {
            htabRelease(*tables[i]);
            *tables[i] = NULL;
        }
    }
    if (totalSubscriptions(c) == 0)
        c->flags &= ~CLIENT_PUBSUB;
    else
        c->flags |= CLIENT_PUBSUB;
}

/* --- pushed replies --------------------------------------------------- */

/* Brackets a pushed reply so that CLIENT REPLY OFF/SKIP do not drop it. */
static uint64_t pushBegin(client *c) {
    uint64_t had = c->flags & CLIENT_PUSHING;
    c->flags |= CLIENT_PUSHING;
    return had;
}

static void pushEnd(client *c, uint64_t had) {
    if (!had) c->flags &= ~CLIENT_PUSHING;
}

/* [kind-name, topic (NULL: null), count]: the reply to each (un)subscribed
 * topic. */
static void addReplyConfirmation(client *c, const char *what, const char *name, size_t len,
                                 long long count) {
    uint64_t had = pushBegin(c);
    addReplyPushLen(c, 3);
    addReplyBulkCBuffer(c, what, strlen(what));
    if (name)
        addReplyBulkCBuffer(c, name, len);
    else
        addReplyNull(c);
    addReplyLongLong(c, count);
    pushEnd(c, had);
}

static rstr catBulk(rstr s, const char *p, size_t len) {
    s = rstrCatPrintf(s, "$%zu\r\n", len);
    s = rstrCatLen(s, p, len);
    return rstrCatLen(s, "\r\n", 2);
}

/* Encodes [kind, (pattern,) channel, message] as a RESP2 array; the first
 * byte is switched to '>' for RESP3 receivers. */
static rstr encodeMessage(const char *kind, const char *pat, size_t patlen, const char *ch,
                          size_t chlen, const char *msg, size_t msglen) {
    rstr f = rstrCatPrintf(rstrEmpty(), "*%d\r\n", pat ? 4 : 3);
    f = catBulk(f, kind, strlen(kind));
    if (pat) f = catBulk(f, pat, patlen);
    f = catBulk(f, ch, chlen);
    return catBulk(f, msg, msglen);
}

static void sendFrame(client *c, rstr frame) {
    uint64_t had = pushBegin(c);
    frame[0] = c->resp >= 3 ? '>' : '*';
    addReplyProto(c, frame, rstrLen(frame));
    pushEnd(c, had);
}

/* Sends frame to every subscriber of t; returns how many there were. */
static long long sendToSubscribers(pubsubTopic *t, rstr frame) {
    long long n = 0;
    for (listNode *ln = listFirst(&t->subscribers); ln; ln = ln->next) {
        sendFrame(listNodeValue(ln), frame);
        n++;
    }
    return n;
}

/* --- subscribe / unsubscribe ------------------------------------------ */

/* Subscribes c to name (no-op if already subscribed) and confirms. */
static void subscribeTopic(client *c, const pubsubKind *k, const char *name, size_t len) {
    pubsubInit();
    htab **ct = clientTable(c, k);
    if (!*ct) *ct = htabCreate(&subTableType);
    if (!htabFind(*ct, name, len)) {
        htab *st = topics[k->id];
        uint64_t hash = htabHashKey(st, name, len);
        pubsubTopic *t = htabFindWithHash(st, name, len, hash);
        if (!t) {
            t = zcalloc(sizeof(*t) + len + 1);
            t->len = len;
            memcpy(t->name, name, len);
            htabInsertWithHash(st, t, hash);
            if (k->id == PUBSUB_KIND_PATTERN) {
                t->order.value = t;
                listLinkNodeTail(&patternOrder, &t->order);
            }
        }
        pubsubSub *s = zmalloc(sizeof(*s));
        s->topic = t;
        s->node.value = c;
        listLinkNodeTail(&t->subscribers, &s->node);
        htabInsert(*ct, s);
    }
    c->flags |= CLIENT_PUBSUB;
    addReplyConfirmation(c, k->subscribe, name, len, confirmationCount(c, k));
}

/* Removes the subscription s of c (already unlinked from c's table) and
 * confirms with the topic's name if notify; frees the topic when c was its
 * last subscriber. */
static void dropSubscription(client *c, const pubsubKind *k, pubsubSub *s, int notify) {
    pubsubTopic *t = s->topic;
    listUnlinkNode(&t->subscribers, &s->node);
    zfree(s);
    if (notify) addReplyConfirmation(c, k->unsubscribe, t->name, t->len, confirmationCount(c, k));
    if (listLength(&t->subscribers) == 0) {
        if (k->id == PUBSUB_KIND_PATTERN) listUnlinkNode(&patternOrder, &t->order);
        htabDelete(topics[k->id], t->name, t->len);
    }
}

/* Unsubscribes c from name; confirms even when c was not subscribed. */
static void unsubscribeTopic(client *c, const pubsubKind *k, const char *name, size_t len) {
    htab *ct = *clientTable(c, k);
    pubsubSub *s = ct ? htabUnlink(ct, name, len) : NULL;
    if (s) {
        dropSubscription(c, k, s, 1);
    } else {
        addReplyConfirmation(c, k->unsubscribe, name, len, confirmationCount(c, k));
    }
}

/* Unsubscribes c from every topic of kind k.  With notify, confirms each
 * one, or once with a null name when there were none. */
static void unsubscribeAll(client *c, const pubsubKind *k, int notify) {
    htab *ct = *clientTable(c, k);
    size_t n = 0;
    if (ct) {
        htabIterator it;
        htabIterInit(&it, ct);
        pubsubSub *s;
        while ((s = htabIterNext(&it))) {
            htabUnlink(ct, s->topic->name, s->topic->len);
            dropSubscription(c, k, s, notify);
            n++;
        }
        htabIterRelease(&it);
    }
    if (notify && n == 0) addReplyConfirmation(c, k->unsubscribe, NULL, 0, confirmationCount(c, k));
}

/* Shared body of SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE. */
static void subscribeGeneric(client *c, const pubsubKind *k) {
    for (int j = 1; j < c->argc; j++) {
        rstr name = c->argv[j]->ptr;
        subscribeTopic(c, k, name, rstrLen(name));
    }
    afterSubscriptionChange(c);
}

/* Shared body of UNSUBSCRIBE, PUNSUBSCRIBE and SUNSUBSCRIBE: no argument
 * means every topic of the kind. */
static void unsubscribeGeneric(client *c, const pubsubKind *k) {
    if (c->argc == 1) {
        unsubscribeAll(c, k, 1);
    } else {
        for (int j = 1; j < c->argc; j++) {
            rstr name = c->argv[j]->ptr;
            unsubscribeTopic(c, k, name, rstrLen(name));
        }
    }
    afterSubscriptionChange(c);
}

/* Free and RESET hook: drops every subscription without replying. */
static void pubsubDropClient(client *c) {
    if (!c->pubsub_channels && !c->pubsub_patterns && !c->pubsub_shard_channels) return;
    unsubscribeAll(c, &kindChannel, 0);
    unsubscribeAll(c, &kindPattern, 0);
    unsubscribeAll(c, &kindShard, 0);
    afterSubscriptionChange(c);
}

void subscribeCommand(client *c) {
    subscribeGeneric(c, &kindChannel);
}

void psubscribeCommand(client *c) {
    subscribeGeneric(c, &kindPattern);
}

void ssubscribeCommand(client *c) {
    subscribeGeneric(c, &kindShard);
}

void unsubscribeCommand(client *c) {
    unsubscribeGeneric(c, &kindChannel);
}

void punsubscribeCommand(client *c) {
    unsubscribeGeneric(c, &kindPattern);
}

void sunsubscribeCommand(client *c) {
    unsubscribeGeneric(c, &kindShard);
}

/* --- publishing ------------------------------------------------------- */

long long pubsubPublishMessage(const char *channel, size_t chlen, const char *msg, size_t msglen) {
    long long receivers = 0;
    pubsubTopic *t = findTopic(PUBSUB_KIND_CHANNEL, channel, chlen);
    if (t) {
        rstr frame = encodeMessage("message", NULL, 0, channel, chlen, msg, msglen);
        receivers += sendToSubscribers(t, frame);
        rstrFree(frame);
    }
    for (listNode *ln = listFirst(&patternOrder); ln; ln = ln->next) {
        pubsubTopic *p = listNodeValue(ln);
        if (!stringmatchlen(p->name, p->len, channel, chlen, 0)) continue;
        rstr frame = encodeMessage("pmessage", p->name, p->len, channel, chlen, msg, msglen);
        receivers += sendToSubscribers(p, frame);
        rstrFree(frame);
    }
    return receivers;
}

/* Shard channels: no pattern subscriptions apply. */
static long long publishShardMessage(const char *channel, size_t chlen, const char *msg, size_t msglen) {
    pubsubTopic *t = findTopic(PUBSUB_KIND_SHARD, channel, chlen);
    if (!t) return 0;
    rstr frame = encodeMessage("smessage", NULL, 0, channel, chlen, msg, msglen);
    long long n = sendToSubscribers(t, frame);
    rstrFree(frame);
    return n;
}

void publishCommand(client *c) {
    rstr ch = c->argv[1]->ptr, msg = c->argv[2]->ptr;
    addReplyLongLong(c, pubsubPublishMessage(ch, rstrLen(ch), msg, rstrLen(msg)));
}

void spublishCommand(client *c) {
    rstr ch = c->argv[1]->ptr, msg = c->argv[2]->ptr;
    addReplyLongLong(c, publishShardMessage(ch, rstrLen(ch), msg, rstrLen(msg)));
}

/* --- subscribed mode --------------------------------------------------- */

int pubsubCheckContextOrReply(client *c) {
    if (!(c->flags & CLIENT_PUBSUB) || c->resp != 2) return 0;
    redisCommandProc *p = c->cmd->proc;
    if (p == subscribeCommand || p == psubscribeCommand || p == ssubscribeCommand ||
        p == unsubscribeCommand || p == punsubscribeCommand || p == sunsubscribeCommand ||
        p == pingCommand || p == quitCommand || p == resetCommand)
        return 0;
    /* A refusal, not a failure: counted as rejected like the dispatcher's
     * own checks. */
    c->cmd->rejected_calls++;
    addReplyErrorFormat(c,
                        "Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
                        "RESET are allowed in this context",
                        c->cmd->fullname);
    return 1;
}

/* --- PUBSUB introspection ---------------------------------------------- */

/* PUBSUB CHANNELS / SHARDCHANNELS [pattern]. */
static void listTopics(client *c, int kind) {
    if (c->argc > 3) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    rstr pat = c->argc == 3 ? c->argv[2]->ptr : NULL;
    void *len = addReplyDeferredLen(c);
    long n = 0;
    if (topics[kind]) {
        htabIterator it;
        htabIterInit(&it, topics[kind]);
        pubsubTopic *t;
        while ((t = htabIterNext(&it))) {
            if (pat && !stringmatchlen(pat, rstrLen(pat), t->name, t->len, 0)) continue;
            addReplyBulkCBuffer(c, t->name, t->len);
            n++;
        }
        htabIterRelease(&it);
    }
    setDeferredArrayLen(c, len, n);
}

/* PUBSUB NUMSUB / SHARDNUMSUB [name ...]: a flat array of name, count
 * pairs in both protocols, as Redis 7.0 replies. */
static void countSubscribers(client *c, int kind) {
    addReplyArrayLen(c, (long)(c->argc - 2) * 2);
    for (int j = 2; j < c->argc; j++) {
        rstr name = c->argv[j]->ptr;
        pubsubTopic *t = findTopic(kind, name, rstrLen(name));
        addReplyBulkCBuffer(c, name, rstrLen(name));
        addReplyLongLong(c, t ? (long long)listLength(&t->subscribers) : 0);
    }
}

void pubsubChannelsCommand(client *c) {
    listTopics(c, PUBSUB_KIND_CHANNEL);
}

void pubsubShardchannelsCommand(client *c) {
    listTopics(c, PUBSUB_KIND_SHARD);
}

void pubsubNumsubCommand(client *c) {
    countSubscribers(c, PUBSUB_KIND_CHANNEL);
}

void pubsubShardnumsubCommand(client *c) {
    countSubscribers(c, PUBSUB_KIND_SHARD);
}

void pubsubNumpatCommand(client *c) {
    addReplyLongLong(c, (long long)pubsubPatternCount());
}

void pubsubHelpCommand(client *c) {
    static const char *help[] = {
        "CHANNELS [<pattern>]",
        "    List the channels that have subscribers, optionally only those whose name",
        "    matches the glob-style <pattern>.",
        "NUMPAT",
        "    Count the distinct patterns that clients are subscribed to.",
        "NUMSUB [<channel> ...]",
        "    Reply with each given channel and its number of direct subscribers (pattern",
        "    subscriptions are not counted).",
        "SHARDCHANNELS [<pattern>]",
        "    Like CHANNELS, for shard channels.",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Like NUMSUB, for shard channels.",
        NULL,
    };
    addReplyHelp(c, help);
}

/* --- counts and start-up ------------------------------------------------ */

size_t pubsubChannelCount(void) {
    return tableSize(topics[PUBSUB_KIND_CHANNEL]);
}

size_t pubsubPatternCount(void) {
    return tableSize(topics[PUBSUB_KIND_PATTERN]);
}

size_t pubsubShardChannelCount(void) {
    return tableSize(topics[PUBSUB_KIND_SHARD]);
}

/* CLIENT LIST tot-mem: what a client's own subscriptions cost (its tables
 * and one pubsubSub each; the topics are shared by all subscribers). */
size_t pubsubClientMemUsage(client *c) {
    htab *tables[3] = {c->pubsub_channels, c->pubsub_patterns, c->pubsub_shard_channels};
    size_t mem = 0;
    for (int i = 0; i < 3; i++)
        if (tables[i]) mem += htabMemUsage(tables[i]) + htabSize(tables[i]) * sizeof(pubsubSub);
    return mem;
}

/* ACL (helper 1): lets acl_users.c test each subscription of a client
 * against a user's channel rules without knowing this file's tables. */
int pubsubClientAnySubscription(client *c, int (*fn)(void *priv, int is_pattern, const char *name, size_t len),
                                void *priv) {
    htab *tables[3] = {c->pubsub_channels, c->pubsub_patterns, c->pubsub_shard_channels};
    for (int i = 0; i < 3; i++) {
        if (!tables[i]) continue;
        htabIterator it;
        htabIterInit(&it, tables[i]);
        pubsubSub *s;
        int hit = 0;
        while (!hit && (s = htabIterNext(&it)))
            hit = fn(priv, i == PUBSUB_KIND_PATTERN, s->topic->name, s->topic->len);
        htabIterRelease(&it);
        if (hit) return 1;
    }
    return 0;
}

void pubsubInit(void) {
    if (topics[0]) return;
    for (int i = 0; i < 3; i++) topics[i] = htabCreate(&topicTableType);
    clientRegisterFreeHook(pubsubDropClient);
    connectionRegisterResetHook(pubsubDropClient);
}
