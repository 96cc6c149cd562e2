/* acl_selectors.h -- ACL users, selectors and rules (acl_selectors.c):
 * the data model shared by the acl*.c files.  Other modules see users only
 * through acl.h.
 *
 * A user has flags (on/off, nopass, payload sanitizing), a list of
 * password hashes and one or more selectors.  The first selector is the
 * root one (what `ACL SETUSER u ~k +get` edits); the others come from
 * parenthesized rules, `(~k +get)`.  A command is allowed when any one
 * selector allows all of it: the command itself, every key it touches with
 * the access it needs, and every channel it publishes or subscribes to.
 *
 * Commands are identified by their index in commandFactsTable (the catalogue
 * of every Redis 7.0 command, implemented here or not), so rules naming a
 * command ringkv lacks load fine and describe themselves exactly as Redis
 * would, and category arithmetic counts the same commands Redis counts.
 * rename-command does not change these names (Redis also matches ACL rules
 * against the original names). */
#ifndef RINGKV_ACL_SELECTORS_H
#define RINGKV_ACL_SELECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "commands.h"
#include "object.h"
#include "rstr.h"

/* Room for every command id: commandFactsTable has fewer entries (checked
 * at start-up). */
#define ACL_MAX_COMMANDS 1024
#define ACL_CMD_WORDS (ACL_MAX_COMMANDS / 64)

/* Outcome of a permission check, ordered as Redis orders them when several
 * selectors fail differently (the highest one is reported). */
#define ACL_OK 0
#define ACL_DENIED_CMD 1
#define ACL_DENIED_KEY 2
#define ACL_DENIED_AUTH 3
#define ACL_DENIED_CHANNEL 4

/* Why a rule was refused (aclSetUser); aclRuleErrorString gives the text
 * Redis shows for each. */
#define ACL_RULE_SYNTAX 1          /* unknown modifier, bad pattern */
#define ACL_RULE_UNKNOWN 2         /* unknown command or category */
#define ACL_RULE_KEY_AFTER_ALL 3   /* ~pattern after allkeys */
#define ACL_RULE_CHAN_AFTER_ALL 4  /* &pattern after allchannels */
#define ACL_RULE_NO_SUCH_PASS 5    /* <pass or !hash not present */
#define ACL_RULE_BAD_HASH 6        /* #hash or !hash malformed */
#define ACL_RULE_DUPLICATE 7       /* a user declared twice in the config */
#define ACL_RULE_SUB_FIRSTARG 8    /* +cmd|sub|arg */

/* Key pattern permissions (%R~ %W~ ~). */
#define ACL_PERM_READ 1
#define ACL_PERM_WRITE 2
#define ACL_PERM_ALL (ACL_PERM_READ | ACL_PERM_WRITE)

/* Selector flags. */
#define ACL_SEL_ALLKEYS (1u << 0)
#define ACL_SEL_ALLCHANNELS (1u << 1)
#define ACL_SEL_ALLCOMMANDS (1u << 2) /* every command bit set: skip the lookup */
#define ACL_SEL_FUTURE (1u << 3)      /* built from +@all: described as +@all ... */
#define ACL_SEL_UNRESTRICTED (ACL_SEL_ALLKEYS | ACL_SEL_ALLCHANNELS | ACL_SEL_ALLCOMMANDS)

typedef struct aclKeyPattern {
    int perms; /* ACL_PERM_* */
    rstr pattern;
} aclKeyPattern;

/* "+select|0": a command otherwise denied, allowed with this first argument. */
typedef struct aclFirstArg {
    int cmd;
    rstr arg;
} aclFirstArg;

typedef struct aclSelector {
    unsigned flags;                   /* ACL_SEL_* */
    uint64_t allowed[ACL_CMD_WORDS];  /* bit per command id */
    aclKeyPattern *patterns;          /* in the order given; ignored with ALLKEYS */
    int npatterns;
    rstr *channels;                   /* ignored with ALLCHANNELS */
    int nchannels;
    aclFirstArg *firstargs;
    int nfirstargs;
} aclSelector;

/* Payload sanitizing (RESTORE): neither flag means "as configured". */
#define ACL_SANITIZE_DEFAULT 0
#define ACL_SANITIZE_SKIP 1
#define ACL_SANITIZE_YES 2

typedef struct user {
    rstr name;
    int enabled;         /* on / off */
    int nopass;          /* any password works */
    int sanitize;        /* ACL_SANITIZE_* */
    rstr *passwords;     /* SHA-256 hex digests, in the order added */
    int npasswords;
    aclSelector **selectors; /* [0] is the root selector */
    int nselectors;
} user;

/* Whether s holds whitespace or NUL, which user names, patterns and
 * channels may not contain (they could not be written to an ACL file). */
int aclHasSpaces(const char *s, size_t len);

/* Builds the command index tables.  Called by aclInit. */
void aclRulesInit(void);

/* The rule-engine id of a command. */
int aclCommandId(const redisCommand *cmd);

/* Users.  aclUserCreate makes an unlinked user: off, no password, no
 * permissions (plus all channels when acl-pubsub-default says so).
 * aclUserCopy makes dst's rules (not its name) equal to src's. */
user *aclUserCreate(const char *name, size_t len);
void aclUserFree(user *u);
void aclUserCopy(user *dst, const user *src);
/* Whether the root selector allows everything: the dispatcher's fast path. */
static inline int aclUserIsUnrestricted(const user *u) {
    return (u->selectors[0]->flags & ACL_SEL_UNRESTRICTED) == ACL_SEL_UNRESTRICTED;
}

/* Applies one rule ("on", ">pass", "~key*", "+@read", "(~k +get)" ...) to
 * u.  Returns C_OK, or C_ERR with *err set to an ACL_RULE_* code; a failed
 * rule may have been partly applied, so callers work on a copy.  An empty
 * rule does nothing. */
int aclSetUser(user *u, const char *op, size_t len, int *err);
const char *aclRuleErrorString(int err);

/* Joins arguments that belong to one parenthesized selector ("(~a", "+get)"
 * -> "(~a +get)").  Returns a new array of *merged_argc rstrs (free with
 * rstrFreeSplitRes), or NULL when a '(' is never closed, with *bad_idx set
 * to the index of the argument that opened it. */
rstr *aclMergeSelectorArgs(char **argv, int argc, int *merged_argc, int *bad_idx);

/* Descriptions.  aclDescribeUser: the rule text after "user <name> " in
 * ACL LIST and ACL files.  The others are GETUSER's fields of a selector. */
rstr aclDescribeUser(const user *u);
rstr aclDescribeSelectorCommands(const aclSelector *s);
rstr aclDescribeSelectorKeys(const aclSelector *s);
rstr aclDescribeSelectorChannels(const aclSelector *s);

/* Permission checks.  argv[0] is the command name (argv[1] the subcommand
 * name for subcommands).  Returns ACL_OK or ACL_DENIED_*; *errpos is the
 * argument (key or channel) that was refused, 0 for a refused command. */
int aclCheckUserCommand(const user *u, const redisCommand *cmd, robj **argv, int argc, int *errpos);
/* Whether a selector that allows this command also allows reading every
 * key (SORT BY/GET patterns need it). */
int aclUserHasFullKeyAccess(const user *u, const redisCommand *cmd, robj **argv, int argc);
/* Whether channel (a pattern itself when is_pattern) is allowed by some
 * selector of u (channel patterns must be listed literally). */
int aclUserAllowsChannel(const user *u, const char *channel, size_t len, int is_pattern);
/* Whether every channel rule of old is also a channel rule of new, or new
 * allows all channels: then no subscriber of the user can lose access. */
int aclUserChannelsSuperset(const user *newu, const user *old);

#endif
