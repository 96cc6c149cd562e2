/* commands.h -- the command table and dispatch (commands.c, command_table.c).
 *
 * A command is a name, a handler `void xxxCommand(client *c)`, an arity
 * (positive: exact argc; negative: at least -arity), flags that drive the
 * dispatcher (write, denyoom, loading, noauth ...), ACL categories and key
 * positions.  The facts shown by COMMAND INFO/DOCS (flags, key specs, tips,
 * argument docs) come from command_table.c; the handlers are bound to
 * those entries by name at start-up, so a command exists for clients iff
 * it has a handler. */
#ifndef RINGKV_COMMANDS_H
#define RINGKV_COMMANDS_H

#include <stdint.h>

#include "client.h"

/* Command flags (COMMAND INFO shows them by these names). */
#define CMD_WRITE (1ULL << 0)
#define CMD_READONLY (1ULL << 1)
#define CMD_DENYOOM (1ULL << 2)
#define CMD_MODULE (1ULL << 3)
#define CMD_ADMIN (1ULL << 4)
#define CMD_PUBSUB (1ULL << 5)
#define CMD_NOSCRIPT (1ULL << 6)
#define CMD_BLOCKING (1ULL << 8)
#define CMD_LOADING (1ULL << 9)
#define CMD_STALE (1ULL << 10)
#define CMD_SKIP_MONITOR (1ULL << 11)
#define CMD_SKIP_SLOWLOG (1ULL << 12)
#define CMD_ASKING (1ULL << 13)
#define CMD_FAST (1ULL << 14)
#define CMD_NO_AUTH (1ULL << 15)
#define CMD_MAY_REPLICATE (1ULL << 16)
#define CMD_SENTINEL (1ULL << 17)
#define CMD_ONLY_SENTINEL (1ULL << 18)
#define CMD_NO_MANDATORY_KEYS (1ULL << 19)
#define CMD_PROTECTED (1ULL << 20)
#define CMD_MODULE_GETKEYS (1ULL << 21)
#define CMD_MODULE_NO_CLUSTER (1ULL << 22)
#define CMD_NO_ASYNC_LOADING (1ULL << 23)
#define CMD_NO_MULTI (1ULL << 24)
#define CMD_MOVABLE_KEYS (1ULL << 25)
#define CMD_ALLOW_BUSY (1ULL << 26)
#define CMD_MODULE_GETCHANNELS (1ULL << 27)
#define CMD_TOUCHES_ARBITRARY_KEYS (1ULL << 28)

/* ACL categories (bits; names in command_table.c). */
#define ACL_CATEGORY_KEYSPACE (1ULL << 0)
#define ACL_CATEGORY_READ (1ULL << 1)
#define ACL_CATEGORY_WRITE (1ULL << 2)
#define ACL_CATEGORY_SET (1ULL << 3)
#define ACL_CATEGORY_SORTEDSET (1ULL << 4)
#define ACL_CATEGORY_LIST (1ULL << 5)
#define ACL_CATEGORY_HASH (1ULL << 6)
#define ACL_CATEGORY_STRING (1ULL << 7)
#define ACL_CATEGORY_BITMAP (1ULL << 8)
#define ACL_CATEGORY_HYPERLOGLOG (1ULL << 9)
#define ACL_CATEGORY_GEO (1ULL << 10)
#define ACL_CATEGORY_STREAM (1ULL << 11)
#define ACL_CATEGORY_PUBSUB (1ULL << 12)
#define ACL_CATEGORY_ADMIN (1ULL << 13)
#define ACL_CATEGORY_FAST (1ULL << 14)
#define ACL_CATEGORY_SLOW (1ULL << 15)
#define ACL_CATEGORY_BLOCKING (1ULL << 16)
#define ACL_CATEGORY_DANGEROUS (1ULL << 17)
#define ACL_CATEGORY_CONNECTION (1ULL << 18)
#define ACL_CATEGORY_TRANSACTION (1ULL << 19)
#define ACL_CATEGORY_SCRIPTING (1ULL << 20)

typedef void redisCommandProc(client *c);

/* Static facts about one command or subcommand (command_table.c). */
typedef struct commandFacts commandFacts;

typedef struct redisCommand {
    void *htab_next;               /* chain link of the command tables (htab.h) */
    const char *declared_name;     /* "get", or "get" for CONFIG GET */
    size_t declared_len;           /* strlen(declared_name): the table's key length, per lookup */
    char *fullname;                /* "get", "config|get" */
    redisCommandProc *proc;
    int arity;
    uint64_t flags;
    uint64_t acl_categories;
    int firstkey, lastkey, keystep; /* legacy key range, as COMMAND INFO shows */
    const commandFacts *facts;     /* COMMAND INFO/DOCS material */
    struct redisCommand *parent;
    htab *subcommands;             /* name -> redisCommand, or NULL */
    int id;
    /* statistics (INFO commandstats) */
    long long microseconds;
    long long calls;
    long long rejected_calls;
    long long failed_calls;
} redisCommand;

/* commands.c */
void commandTableInit(void);                       /* builds server.commands */
redisCommand *lookupCommand(robj **argv, int argc); /* resolves subcommands */
redisCommand *lookupCommandByCString(const char *name);
redisCommand *lookupCommandOrOriginal(robj **argv, int argc);
int processCommand(client *c); /* C_OK: client still valid; C_ERR: client freed */
void call(client *c, int flags);
int commandCheckArity(const redisCommand *cmd, int argc);
int clientAuthRequired(client *c);
void resetCommandTableStats(void);
int commandRename(const char *from, const char *to); /* rename-command directive */
int isProtectedActionAllowed(int setting, client *c); /* enable-*-command checks */
void populateCommandTableFromFacts(void);

/* Iteration over all top-level commands (COMMAND, COMMAND LIST, INFO). */
typedef void commandVisitor(redisCommand *cmd, void *privdata);
void commandForEach(commandVisitor *fn, void *privdata, int include_subcommands);

#define CMD_CALL_NONE 0
#define CMD_CALL_SLOWLOG (1 << 0)
#define CMD_CALL_STATS (1 << 1)
#define CMD_CALL_FULL (CMD_CALL_SLOWLOG | CMD_CALL_STATS)

#endif
