/* client.h -- a connected client: socket, query buffer, parsed arguments,
 * reply buffers, and per-connection state (db, protocol, name, flags).
 *
 * networking.c owns the lifecycle (accept, read, write, close); reply.c the
 * encoding of replies into the buffers; resp_parse.c turns query bytes into
 * argv.  Commands receive a client and reply through reply.h. */
#ifndef RINGKV_CLIENT_H
#define RINGKV_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "adlist.h"
#include "ae.h"
#include "htab.h"
#include "object.h"
#include "resp.h"
#include "rstr.h"

struct redisDb;
struct redisCommand;
struct user;

/* Client flags */
#define CLIENT_CLOSE_AFTER_REPLY (1ULL << 0) /* close once the reply is written */
#define CLIENT_CLOSE_ASAP (1ULL << 1)        /* close from the next cron/beforeSleep */
#define CLIENT_UNIX_SOCKET (1ULL << 2)
#define CLIENT_PENDING_WRITE (1ULL << 3)     /* in server.clients_pending_write */
#define CLIENT_MULTI (1ULL << 4)             /* inside MULTI (issue 5) */
#define CLIENT_DIRTY_CAS (1ULL << 5)         /* a WATCHed key changed */
#define CLIENT_DIRTY_EXEC (1ULL << 6)        /* a queued command was refused */
#define CLIENT_BLOCKED (1ULL << 7)           /* blocked in a blocking command (issue 3) */
#define CLIENT_PUBSUB (1ULL << 8)            /* subscribed (issue 5) */
#define CLIENT_MONITOR (1ULL << 9)
#define CLIENT_REPLY_OFF (1ULL << 10)        /* CLIENT REPLY OFF */
#define CLIENT_REPLY_SKIP_NEXT (1ULL << 11)  /* CLIENT REPLY SKIP: skip the next command */
#define CLIENT_REPLY_SKIP (1ULL << 12)       /* skip the reply of the current command */
#define CLIENT_NO_EVICT (1ULL << 13)
#define CLIENT_PROTECTED (1ULL << 14)        /* must not be freed now: being processed */
#define CLIENT_EXECUTING_COMMAND (1ULL << 15)
#define CLIENT_READ_PAUSED (1ULL << 16)      /* input paused: output backlog too large */
#define CLIENT_PAUSED (1ULL << 17)           /* waiting for CLIENT UNPAUSE */
#define CLIENT_NO_TOUCH (1ULL << 18)
#define CLIENT_FAKE (1ULL << 19)             /* no socket (snapshot loading, scripts) */
#define CLIENT_CLOSE_AFTER_COMMAND (1ULL << 20)
#define CLIENT_PUSHING (1ULL << 21)
#define CLIENT_IN_TO_TABLE (1ULL << 22)

/* Blocking types (issue 3 fills them in) */
#define BLOCKED_NONE 0
#define BLOCKED_LIST 1
#define BLOCKED_ZSET 2
#define BLOCKED_PAUSE 3
#define BLOCKED_SLEEP 4

/* A block of reply bytes past the client's fixed buffer. */
typedef struct clientReplyBlock {
    size_t size; /* capacity of buf */
    size_t used;
    char buf[];
} clientReplyBlock;

typedef struct client {
    uint64_t id;
    int fd;                        /* -1 for fake clients */
    int resp;                      /* 2 or 3 */
    uint64_t flags;
    struct redisDb *db;
    rstr name;                     /* CLIENT SETNAME, or NULL */
    rstr lib_name;                 /* CLIENT SETINFO (7.2; kept for CLIENT LIST) */
    rstr lib_ver;
    char addr[64];                 /* "ip:port" of the peer, or "/path:0" */
    char laddr[64];                /* "ip:port" of our side */
    struct user *user;             /* ACL user (issue 5); NULL = default */
    int authenticated;
    /* --- input --- */
    rstr querybuf;
    size_t qb_pos;                 /* bytes of querybuf already parsed */
    size_t querybuf_peak;
    respParser parser;             /* incremental request parser state */
    int argc;
    robj **argv;
    size_t argv_len_sum;           /* bytes of all arguments (CLIENT LIST argv-mem) */
    struct redisCommand *cmd;      /* command being executed */
    struct redisCommand *lastcmd;  /* last command executed (CLIENT LIST cmd=) */
    struct redisCommand *realcmd;
    /* --- output --- */
    char buf[16 * 1024];           /* fixed reply buffer: most replies fit here */
    size_t bufpos;
    size_t buf_usable_size;
    size_t buf_peak;               /* most bytes buf held since buf_peak_reset (CLIENT LIST rbp) */
    long long buf_peak_reset;      /* ms: when buf_peak was last restarted (clientsCron) */
    size_t sentlen;                /* bytes of the current buffer/block already written */
    list *reply;                   /* clientReplyBlock list past buf */
    unsigned long long reply_bytes;/* bytes in the reply list */
    size_t last_memory_usage;
    listNode *client_list_node;    /* our node in server.clients */
    listNode pending_write_node;   /* embedded: queueing for write allocates nothing */
    time_t obuf_soft_limit_reached_time;
    /* --- timing --- */
    time_t ctime;                  /* connection time */
    time_t lastinteraction;        /* for timeout and CLIENT LIST idle */
    long long duration;
    int slot;
    /* --- blocking (issue 3) --- */
    int btype;
    long long bpop_timeout;
    void *bstate;
    /* --- transactions and watch (issue 5) --- */
    void *mstate;
    list *watched_keys;
    /* --- pub/sub (issue 5) --- */
    htab *pubsub_channels;
    htab *pubsub_patterns;
    htab *pubsub_shard_channels;
    /* --- misc --- */
    long long woff;
    unsigned long long net_input_bytes;
    unsigned long long net_output_bytes;
    unsigned long long commands_processed;
    int user_requested_close;
} client;

/* networking.c */
client *createClient(int fd, int flags);
void freeClient(client *c);
void freeClientAsync(client *c);
void freeClientsInAsyncFreeQueue(void);
/* Per-client state of other modules (blocked keys, transactions,
 * subscriptions) is dropped by hooks run when a client is freed. */
void clientRegisterFreeHook(void (*fn)(client *c));
void resetClient(client *c);
void freeClientArgv(client *c);
int handleClientsWithPendingWrites(void);
void processInputBuffer(client *c);
void acceptTcpHandler(aeEventLoop *el, int fd, void *privdata, int mask);
void acceptUnixHandler(aeEventLoop *el, int fd, void *privdata, int mask);
int clientHasPendingReplies(client *c);
unsigned long getClientOutputBufferMemoryUsage(client *c);
size_t getClientMemoryUsage(client *c, size_t *output_buffer_mem_usage);
int getClientType(client *c);
int getClientTypeByName(const char *name);
const char *getClientTypeName(int type);
int checkClientOutputBufferLimits(client *c);
void closeClientOnOutputBufferLimitReached(client *c);
rstr catClientInfoString(rstr s, client *c);
rstr getAllClientsInfoString(int type);
client *lookupClientByID(uint64_t id);
void clientsCron(void);
void pauseClients(int type, long long end_ms);
void unpauseClients(void);
int areClientsPaused(void);
int checkClientPauseTimeoutAndReturnIfPaused(void);
void processPendingInputOfUnpausedClients(void);
void rewriteClientCommandArgument(client *c, int i, robj *newval);
void replaceClientCommandVector(client *c, int argc, robj **argv);
void resetClientCommandState(client *c);
/* Used by the command layer: whether a client is local (loopback/unix). */
int clientIsLocal(client *c);
void trackingPendingKeyNoop(void);

#endif
