/* config.h -- runtime configuration: redis.conf parsing, command-line
 * options, and the CONFIG command (config.c).
 *
 * Every directive lives in one table in config.c (name, alias, type,
 * bounds, flags, default, where its value is stored in `server`).  The same
 * table drives start-up parsing, CONFIG GET/SET and CONFIG REWRITE, so a
 * directive behaves identically wherever it is set.
 *
 * Start-up sequence expected from main():
 *     initConfigValues();                      defaults into server.*
 *     options = configOptionsFromArgv(argc, argv, &first, &from_stdin);
 *     loadServerConfig(file_or_NULL, from_stdin, options);
 * A bad line ends the process with Redis's "FATAL CONFIG FILE ERROR" report
 * on stderr and exit status 1. */
#ifndef RINGKV_CONFIG_H
#define RINGKV_CONFIG_H

#include "client.h"

/* Puts every directive's default into server.*.  Must run before anything
 * reads server.* configuration values (and before logging is used much). */
void initConfigValues(void);

/* Builds the Redis-style options text from the command line: every
 * "--name" starts a new line "name", and following words are appended as
 * quoted arguments, so `--port 7000 --bind a b` becomes
 * "port \"7000\" \nbind \"a\" \"b\" ".  argv[start..argc-1] is read (start
 * is 1, or 2 after a config file name).  A lone "-" as the first or last
 * argument sets *config_from_stdin.  `--save` with no value means `save ""`.
 * Returns a malloc'ed (zmalloc) string, possibly empty; zfree it. */
char *configOptionsFromArgv(int argc, char **argv, int start, int *config_from_stdin);

/* Reads filename (may be NULL), then stdin when config_from_stdin, then the
 * options text (lines as built by configOptionsFromArgv; may be NULL) and
 * applies them in that order, so the command line wins.  Sets
 * server.configfile to the absolute path of filename if it is still NULL.
 * Exits the process on an unreadable file or a bad line. */
void loadServerConfig(char *filename, char config_from_stdin, char *options);

/* Applies configuration text, one directive per line.  On a bad line prints
 *     *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***
 *     Reading the configuration file, at line N
 *     >>> 'the line'
 *     reason
 * on stderr and exits with status 1. */
void loadServerConfigFromString(char *config);

/* The CONFIG subcommands (bound by name to the command table). */
void configGetCommand(client *c);
void configSetCommand(client *c);
void configResetstatCommand(client *c);
void configRewriteCommand(client *c);
void configHelpCommand(client *c);

/* Rewrites server.configfile from the current configuration (what CONFIG
 * REWRITE does).  Returns 0 on success, -1 with errno set on failure. */
int rewriteConfig(const char *path);

/* The Redis name of a maxmemory-policy value ("noeviction" ...), for INFO. */
const char *configMaxmemoryPolicyName(int policy);

/* maxmemory-policy values (server.maxmemory_policy). */
#define MAXMEMORY_VOLATILE_LRU 0
#define MAXMEMORY_VOLATILE_LFU 1
#define MAXMEMORY_VOLATILE_RANDOM 2
#define MAXMEMORY_VOLATILE_TTL 3
#define MAXMEMORY_ALLKEYS_LRU 4
#define MAXMEMORY_ALLKEYS_LFU 5
#define MAXMEMORY_ALLKEYS_RANDOM 6
#define MAXMEMORY_NO_EVICTION 7

/* supervised values (server.supervised). */
#define SUPERVISED_NONE 0
#define SUPERVISED_AUTODETECT 1
#define SUPERVISED_SYSTEMD 2
#define SUPERVISED_UPSTART 3

/* Hooks other modules provide.  config.c carries weak fallbacks so it links
 * (and CONFIG SET works) before they exist; a strong definition elsewhere
 * replaces the fallback.
 *
 * serverApplyMaxclients: called after CONFIG SET maxclients stored the new
 * value.  Returns 0 if the process can serve that many clients (fd limit
 * raised, event loop resized); otherwise returns -1 after storing in
 * server.maxclients the largest value that would work, which CONFIG SET
 * quotes in its error before restoring the previous value.
 *
 * serverApplyListeners: reopens the listening sockets from server.bindaddr
 * and server.port.  Returns 0, or -1 leaving the old sockets open.  While no
 * module defines it, `bind` and `port` are immutable at run time. */
int serverApplyMaxclients(void);
int serverApplyListeners(void);

/* Provided by the stats owner: zeroes the counters CONFIG RESETSTAT clears. */
void resetServerStats(void);

/* Settings whose storage config.c owns, because struct ringkvServer has no
 * field for them yet (they belong there; config.c is the only writer).
 * Read them as serverCfg.name. */
#define CONFIG_OOM_MASTER 0
#define CONFIG_OOM_REPLICA 1
#define CONFIG_OOM_BGCHILD 2
#define CONFIG_OOM_COUNT 3

/* oom-score-adj values. */
#define OOM_SCORE_ADJ_NO 0
#define OOM_SCORE_ADJ_YES 1       /* same as relative */
#define OOM_SCORE_ADJ_RELATIVE 2
#define OOM_SCORE_ADJ_ABSOLUTE 3

struct serverSettings {
    int active_rehashing;         /* activerehashing: cron rehash steps */
    int jemalloc_bg_thread;       /* jemalloc's background purging thread */
    int disable_thp;              /* PR_SET_THP_DISABLE at start-up */
    int oom_score_adj;            /* OOM_SCORE_ADJ_* */
    int oom_score_adj_values[CONFIG_OOM_COUNT];
    char *proc_title_template;    /* validated: expands, never blank */
    /* Data-type knobs, stored for the types that will read them. */
    size_t hll_sparse_max_bytes;
    size_t stream_node_max_bytes;
    long long stream_node_max_entries;
    unsigned long acllog_max_len;
    /* NOTIFY_* bits (db.h): notify-keyspace-events, read by notify.c. */
    int notify_keyspace_events;
    /* fsync every 32 MB while writing a snapshot (read by the snapshot
     * writer). */
    int rdb_save_incremental_fsync;
};

extern struct serverSettings serverCfg;

/* Applies the process-level settings once the server is initialized (call
 * from main() after initServer): THP opt-out, jemalloc's background thread,
 * the OOM score, the process title; then logs one NOTICE line per
 * compatibility-only directive set to a non-default value. */
void configApplyProcessSettings(void);

/* Sets the process title from proc-title-template (when set-proc-title is
 * yes).  Returns 0, or -1 if the template cannot be expanded. */
int configUpdateProcTitle(void);

#endif
