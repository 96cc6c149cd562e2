/* server.h -- the server's global state and configuration values.
 *
 * One struct, `server`, holds what is truly process-wide: configuration
 * values (filled by config.c from redis.conf, the command line and CONFIG
 * SET), the event loop, listening sockets, the databases, statistics, and the
 * cached clock.  Types of the modules live in their own headers (client.h,
 * db.h, commands.h, object.h ...); this header only declares the struct and
 * the few server-wide functions server.c owns.  Library-tier files (ae, anet,
 * htab, rstr, zmalloc, util, adlist) never include it. */
#ifndef RINGKV_SERVER_H
#define RINGKV_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "adlist.h"
#include "ae.h"
#include "htab.h"

#define C_OK 0
#define C_ERR -1

#define RINGKV_VERSION "7.0.15"   /* the Redis version whose behaviour we match */
#define RINGKV_OWN_VERSION "0.1.0"
#define CONFIG_BINDADDR_MAX 16
#define CONFIG_DEFAULT_DBNUM 16
#define CONFIG_MIN_HZ 1
#define CONFIG_MAX_HZ 500
#define CONFIG_FDSET_INCR 128 /* loop set size = maxclients + this (listeners, files) */
#define PROTO_IOBUF_LEN (1024 * 16)
#define PROTO_REPLY_CHUNK_BYTES (16 * 1024)
#define PROTO_INLINE_MAX_SIZE (1024 * 64)
#define PROTO_MBULK_BIG_ARG (1024 * 32)
#define NET_MAX_WRITES_PER_EVENT (1024 * 64)
#define LRU_CLOCK_MAX ((1 << 24) - 1)
#define LRU_CLOCK_RESOLUTION 1000

/* Log levels */
#define LL_DEBUG 0
#define LL_VERBOSE 1
#define LL_NOTICE 2
#define LL_WARNING 3
#define LL_RAW (1 << 10)

/* enable-debug-command / enable-protected-configs values */
#define PROTECTED_ACTION_ALLOWED_NO 0
#define PROTECTED_ACTION_ALLOWED_YES 1
#define PROTECTED_ACTION_ALLOWED_LOCAL 2

/* Client output buffer limit classes */
#define CLIENT_TYPE_NORMAL 0
#define CLIENT_TYPE_REPLICA 1
#define CLIENT_TYPE_PUBSUB 2
#define CLIENT_TYPE_MASTER 3
#define CLIENT_TYPE_OBUF_COUNT 3

typedef struct clientBufferLimitsConfig {
    unsigned long long hard_limit_bytes;
    unsigned long long soft_limit_bytes;
    time_t soft_limit_seconds;
} clientBufferLimitsConfig;

struct redisDb;
struct client;

struct saveparam {
    time_t seconds;
    int changes;
};

struct ringkvServer {
    /* --- process --- */
    pid_t pid;
    char *configfile;       /* absolute path, or NULL */
    char *executable;       /* absolute path of the binary */
    char **exec_argv;
    aeEventLoop *el;
    int shutdown_asap;      /* SIGTERM/SIGINT seen: shut down from the cron */
    int shutdown_flags;
    long long shutdown_mstime;
    char runid[41];
    int arch_bits;
    /* --- keyspace --- */
    struct redisDb *db;
    int dbnum;                       /* databases */
    long long dirty;                 /* changes since the last save */
    /* --- commands --- */
    htab *commands;                  /* name -> struct redisCommand (case-insensitive) */
    htab *orig_commands;             /* the table before rename-command */
    /* --- network --- */
    int port;
    char *bindaddr[CONFIG_BINDADDR_MAX];
    int bindaddr_count;
    int tcp_backlog;
    char *unixsocket;
    unsigned int unixsocketperm;
    int ipfd[CONFIG_BINDADDR_MAX];
    int ipfd_count;
    int sofd;
    char *event_backend;             /* event-backend directive, NULL = best */
    int tcpkeepalive;
    int maxidletime;                 /* timeout (seconds, 0 = never) */
    unsigned int maxclients;
    long long proto_max_bulk_len;
    unsigned long long client_max_querybuf_len;
    clientBufferLimitsConfig client_obuf_limits[CLIENT_TYPE_OBUF_COUNT];
    int protected_mode;
    /* --- clients --- */
    list *clients;                   /* all connected clients */
    list *clients_pending_write;     /* replies to flush before sleeping */
    list *clients_to_close;          /* closed asynchronously from the cron/beforeSleep */
    list *paused_clients;            /* unused by the loop; CLIENT PAUSE state below */
    htab *clients_by_id;
    uint64_t next_client_id;
    struct client *current_client;   /* the client whose command is executing */
    int client_pause_type;           /* 0 none, 1 write, 2 all */
    long long client_pause_end_time; /* ms */
    list *clients_waiting_unpause;
    /* --- clock (cached once per loop iteration and per command) --- */
    long long ustime;
    long long mstime;
    time_t unixtime;
    unsigned int lruclock;
    long long cmd_time_snapshot;     /* ms, stable during one command (expiry decisions) */
    /* --- cron --- */
    int hz;                          /* current (may be adapted) */
    int config_hz;                   /* hz directive */
    int dynamic_hz;
    long long cronloops;
    int active_expire_enabled;
    int active_expire_effort;        /* 1..10 */
    /* --- logging --- */
    int verbosity;
    char *logfile;
    int syslog_enabled;
    char *syslog_ident;
    int daemonize;
    char *pidfile;
    int supervised;
    int always_show_logo;
    int set_proc_title;
    /* --- security --- */
    char *requirepass;
    int enable_debug_cmd;
    int enable_protected_configs;
    int enable_module_cmd;
    /* --- memory (issue 5 adds the policy machinery) --- */
    unsigned long long maxmemory;
    int maxmemory_policy;
    int maxmemory_samples;
    int lazyfree_lazy_eviction;
    int lazyfree_lazy_expire;
    int lazyfree_lazy_server_del;
    int lazyfree_lazy_user_del;
    int lazyfree_lazy_user_flush;
    /* --- persistence (issue 4) --- */
    char *rdb_filename;
    char *dir;                       /* informational: the cwd is the real thing */
    struct saveparam *saveparams;
    int saveparamslen;
    int rdb_compression;
    int rdb_checksum;
    int stop_writes_on_bgsave_err;
    time_t lastsave;
    int lastbgsave_status;
    int loading;
    int skip_checksum_validation;   /* DEBUG SET-SKIP-CHECKSUM-VALIDATION */
    int snapshot_io;                /* snapshot-io: SIO_ENGINE_* */
    long long snapshot_slice_us;    /* snapshot-slice-us: serialization time per loop iteration */
    long long snapshot_chunk_bytes; /* snapshot-chunk-bytes: a big value is written in pieces of this size (issue 4) */
    int snapshot_direct_io;         /* snapshot-direct-io: write snapshot files with O_DIRECT */
    long long busy_poll_us;         /* busy-poll-us: spin before sleeping when busy (ae.c) */
    /* --- encodings (issue 3) --- */
    size_t hash_max_listpack_entries;
    size_t hash_max_listpack_value;
    size_t set_max_intset_entries;
    size_t zset_max_listpack_entries;
    size_t zset_max_listpack_value;
    int list_max_listpack_size;
    int list_compress_depth;
    /* --- slowlog / latency (issue 5) --- */
    long long slowlog_log_slower_than;
    unsigned long slowlog_max_len;
    long long latency_monitor_threshold;
    /* --- stats --- */
    time_t stat_starttime;
    long long stat_numcommands;
    long long stat_numconnections;
    long long stat_rejected_conn;
    long long stat_expiredkeys;
    double stat_expired_stale_perc;
    long long stat_expired_time_cap_reached_count;
    long long stat_expire_cycle_time_used;
    long long stat_evictedkeys;
    long long stat_keyspace_hits;
    long long stat_keyspace_misses;
    long long stat_net_input_bytes;
    long long stat_net_output_bytes;
    long long stat_total_error_replies;
    long long stat_unexpected_error_replies;
    long long stat_client_qbuf_limit_disconnections;
    long long stat_client_outbuf_limit_disconnections;
    long long stat_total_reads_processed;
    long long stat_total_writes_processed;
    size_t stat_peak_memory;
    htab *errors;                    /* error prefix -> count (errorstats) */
    long long stat_io_reads_processed;
    long long stat_dump_payload_sanitizations; /* compact blobs deep-validated on load/RESTORE */
};

extern struct ringkvServer server;

/* Logging (log.c).  serverLog checks the level first so a disabled debug
 * line costs one comparison. */
void serverLogRaw(int level, const char *msg);
void serverLog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void serverLogFromSignalHandler(int level, const char *msg);
#define serverLogIf(level, ...)                                        \
    do {                                                               \
        if (((level) & 0xff) >= server.verbosity) serverLog(level, __VA_ARGS__); \
    } while (0)
void _serverAssert(const char *estr, const char *file, int line) __attribute__((noreturn));
void _serverPanic(const char *file, int line, const char *msg, ...) __attribute__((noreturn));
#define serverAssert(e) (__builtin_expect(!!(e), 1) ? (void)0 : _serverAssert(#e, __FILE__, __LINE__))
#define serverPanic(...) _serverPanic(__FILE__, __LINE__, __VA_ARGS__)

/* server.c */
void updateCachedTime(void);
unsigned int getLRUClock(void);
int prepareForShutdown(int flags);
#define SHUTDOWN_NOFLAGS 0
#define SHUTDOWN_SAVE 1
#define SHUTDOWN_NOSAVE 2
#define SHUTDOWN_NOW 4
#define SHUTDOWN_FORCE 8
const char *serverGetEventBackend(void);

#endif
