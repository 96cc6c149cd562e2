/* acl_commands.c -- the ACL command family: SETUSER GETUSER DELUSER LIST
 * USERS WHOAMI CAT GENPASS LOG DRYRUN HELP.  (ACL LOAD and ACL SAVE are
 * with the file format, in acl_file.c.)
 *
 * These handlers only parse arguments and shape replies; the rules, the
 * user set and the log are acl_selectors.c, acl_users.c and acl_log.c.
 * Reply shapes and error texts are Redis 7.0's, read off a running
 * server: GETUSER's map and field order, DRYRUN's bulk-string verdicts,
 * the "Error in ACL SETUSER modifier" wording.
 *
 * ACL SETUSER is atomic: the rules are applied to a copy of the user and
 * the copy replaces the user's rules only when every rule was accepted.
 * Before that, subscribers of the user that would lose a channel are
 * disconnected. */
#include <limits.h>
#include <strings.h>
#include <string.h>

#include "acl.h"
#include "acl_log.h"
#include "acl_selectors.h"
#include "acl_users.h"
#include "command_table.h"
#include "reply.h"
#include "server.h"
#include "slowlog.h"
#include "util.h"
#include "zmalloc.h"

#define ACL_GENPASS_DEFAULT_BITS 256
#define ACL_GENPASS_MAX_BITS 4096
#define ACL_LOG_DEFAULT_COUNT 10

void aclSetuserCommand(client *c) {
    /* Rules may hold passwords: SLOWLOG and MONITOR show none of them. */
    for (int j = 2; j < c->argc; j++) slowlogRedactArgument(c, j);
    robj *name = c->argv[2];
    if (aclHasSpaces(name->ptr, rstrLen(name->ptr))) {
        addReplyError(c, "Usernames can't contain spaces or null characters");
        return;
    }
    int nrules = c->argc - 3;
    char **rules = zmalloc(sizeof(char *) * (size_t)(nrules ? nrules : 1));
    for (int i = 0; i < nrules; i++) rules[i] = c->argv[i + 3]->ptr;
    int merged_argc = 0, bad = 0;
    rstr *merged = aclMergeSelectorArgs(rules, nrules, &merged_argc, &bad);
    zfree(rules);
    if (!merged) {
        addReplyErrorFormat(c, "Unmatched parenthesis in acl selector starting at '%s'.",
                            (char *)c->argv[bad + 3]->ptr);
        return;
    }

    user *existing = aclUsersFind(name->ptr, rstrLen(name->ptr));
    user *draft = aclUserCreate(name->ptr, rstrLen(name->ptr));
    if (existing) aclUserCopy(draft, existing);
    for (int j = 0; j < merged_argc; j++) {
        int err;
        if (aclSetUser(draft, merged[j], rstrLen(merged[j]), &err) != C_OK) {
            addReplyErrorFormat(c, "Error in ACL SETUSER modifier '%s': %s", merged[j], aclRuleErrorString(err));
            aclUserFree(draft);
            rstrFreeSplitRes(merged, merged_argc);
            return;
        }
    }
    rstrFreeSplitRes(merged, merged_argc);
    if (existing) {
        aclKillSubscribersIfNeeded(draft, existing);
        aclUserCopy(existing, draft);
        aclUserFree(draft);
    } else {
        aclUsersAdd(draft);
    }
    addReplyOk(c);
    aclCloseCallerIfFlagged(c);
}

/* The three rule fields of one selector (ACL GETUSER): commands, keys and
 * channels, each with its description. */
static void addSelectorRulesReply(client *c, const aclSelector *sel) {
    addReplyBulkCString(c, "commands");
    addReplyBulkRstr(c, aclDescribeSelectorCommands(sel));
    addReplyBulkCString(c, "keys");
    addReplyBulkRstr(c, aclDescribeSelectorKeys(sel));
    addReplyBulkCString(c, "channels");
    addReplyBulkRstr(c, aclDescribeSelectorChannels(sel));
}

void aclGetuserCommand(client *c) {
    robj *name = c->argv[2];
    user *u = aclUsersFind(name->ptr, rstrLen(name->ptr));
    if (!u) {
        addReplyNull(c);
        return;
    }
    addReplyMapLen(c, 6);
    addReplyBulkCString(c, "flags");
    int nflags = 1 + u->nopass + (u->sanitize != ACL_SANITIZE_DEFAULT);
    addReplySetLen(c, nflags);
    addReplyBulkCString(c, u->enabled ? "on" : "off");
    if (u->nopass) addReplyBulkCString(c, "nopass");
    if (u->sanitize == ACL_SANITIZE_SKIP) addReplyBulkCString(c, "skip-sanitize-payload");
    if (u->sanitize == ACL_SANITIZE_YES) addReplyBulkCString(c, "sanitize-payload");
    addReplyBulkCString(c, "passwords");
    addReplyArrayLen(c, u->npasswords);
    for (int i = 0; i < u->npasswords; i++) addReplyBulkCBuffer(c, u->passwords[i], rstrLen(u->passwords[i]));
    /* The root selector's rules at the top level, the others below. */
    const aclSelector *root = u->selectors[0];
    addSelectorRulesReply(c, root);
    addReplyBulkCString(c, "selectors");
    addReplyArrayLen(c, u->nselectors - 1);
    for (int i = 1; i < u->nselectors; i++) {
        addReplyMapLen(c, 3);
        addSelectorRulesReply(c, u->selectors[i]);
    }
}

void aclDeluserCommand(client *c) {
    for (int j = 2; j < c->argc; j++) {
        if (!strcmp(c->argv[j]->ptr, "default")) {
            addReplyError(c, "The 'default' user cannot be removed");
            return;
        }
    }
    long long deleted = 0;
    for (int j = 2; j < c->argc; j++) deleted += aclUsersDelete(c->argv[j]->ptr, rstrLen(c->argv[j]->ptr));
    addReplyLongLong(c, deleted);
    aclCloseCallerIfFlagged(c);
}

void aclListCommand(client *c) {
    int n = aclUsersCount();
    addReplyArrayLen(c, n);
    for (int i = 0; i < n; i++) {
        user *u = aclUsersAt(i);
        rstr desc = aclDescribeUser(u);
        rstr line = rstrCatPrintf(rstrEmpty(), "user %s %s", u->name, desc);
        rstrFree(desc);
        addReplyBulkRstr(c, line);
    }
}

void aclUsersCommand(client *c) {
    int n = aclUsersCount();
    addReplyArrayLen(c, n);
    for (int i = 0; i < n; i++) {
        user *u = aclUsersAt(i);
        addReplyBulkCBuffer(c, u->name, rstrLen(u->name));
    }
}

void aclWhoamiCommand(client *c) {
    user *u = aclClientUser(c);
    addReplyBulkCBuffer(c, u->name, rstrLen(u->name));
}

/* --- CAT ------------------------------------------------------------------- */

typedef struct catCollector {
    client *c;
    uint64_t category;
    long count;
} catCollector;

static void catVisitor(redisCommand *cmd, void *privdata) {
    catCollector *cc = privdata;
    if (!(cmd->acl_categories & cc->category)) return;
    addReplyBulkCString(cc->c, cmd->fullname);
    cc->count++;
}

void aclCatCommand(client *c) {
    if (c->argc > 3) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    if (c->argc == 2) {
        void *len = addReplyDeferredLen(c);
        long n = 0;
        for (int bit = 0; bit < 64; bit++) {
            const char *name = aclCategoryName(1ULL << bit);
            if (!name) continue;
            addReplyBulkCString(c, name);
            n++;
        }
        setDeferredArrayLen(c, len, n);
        return;
    }
    uint64_t cat = aclCategoryByName(c->argv[2]->ptr);
    if (!cat) {
        addReplyErrorFormat(c, "Unknown category '%.128s'", (char *)c->argv[2]->ptr);
        return;
    }
    /* The commands this server has (COMMAND lists the same ones). */
    catCollector cc = {c, cat, 0};
    void *len = addReplyDeferredLen(c);
    commandForEach(catVisitor, &cc, 1);
    setDeferredArrayLen(c, len, cc.count);
}

/* --- GENPASS, LOG ---------------------------------------------------------- */

void aclGenpassCommand(client *c) {
    if (c->argc > 3) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    long long bits = ACL_GENPASS_DEFAULT_BITS;
    if (c->argc == 3 && getLongLongFromObject(c->argv[2], &bits) != C_OK) {
        addReplyErrorNotInteger(c);
        return;
    }
    if (bits <= 0 || bits > ACL_GENPASS_MAX_BITS) {
        addReplyErrorFormat(c,
                            "ACL GENPASS argument must be the number of bits for the output password, a "
                            "positive number up to %d",
                            ACL_GENPASS_MAX_BITS);
        return;
    }
    /* One hex digit carries four bits: round up. */
    size_t chars = (size_t)(bits + 3) / 4;
    char pass[ACL_GENPASS_MAX_BITS / 4];
    getRandomHexChars(pass, chars);
    addReplyBulkCBuffer(c, pass, chars);
}

void aclLogCommand(client *c) {
    if (c->argc > 3) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    long long count = ACL_LOG_DEFAULT_COUNT;
    if (c->argc == 3) {
        if (!strcasecmp(c->argv[2]->ptr, "reset")) {
            aclLogReset();
            addReplyOk(c);
            return;
        }
        if (getLongLongFromObject(c->argv[2], &count) != C_OK || count > LONG_MAX) {
            addReplyErrorNotInteger(c);
            return;
        }
        if (count < 0) count = 0;
    }
    aclLogReply(c, (long)count);
}

/* --- DRYRUN ---------------------------------------------------------------- */

void aclDryrunCommand(client *c) {
    robj *name = c->argv[2];
    user *u = aclUsersFind(name->ptr, rstrLen(name->ptr));
    if (!u) {
        addReplyErrorFormat(c, "User '%s' not found", (char *)name->ptr);
        return;
    }
    robj **argv = c->argv + 3;
    int argc = c->argc - 3;
    redisCommand *cmd = lookupCommand(argv, argc);
    if (!cmd) {
        addReplyErrorFormat(c, "Command '%s' not found", (char *)argv[0]->ptr);
        return;
    }
    if (!commandCheckArity(cmd, argc)) {
        addReplyErrorFormat(c, "wrong number of arguments for '%s' command", cmd->fullname);
        return;
    }
    int pos = 0;
    int r = aclCheckUserCommand(u, cmd, argv, argc, &pos);
    if (r == ACL_OK) {
        addReplyOk(c);
        return;
    }
    rstr verdict;
    if (r == ACL_DENIED_CMD)
        verdict = rstrCatPrintf(rstrEmpty(), "This user has no permissions to run the '%s' command", cmd->fullname);
    else
        verdict = rstrCatPrintf(rstrEmpty(), "This user has no permissions to access the '%s' %s",
                                (char *)argv[pos]->ptr, r == ACL_DENIED_KEY ? "key" : "channel");
    addReplyBulkRstr(c, verdict);
}

/* --- HELP ------------------------------------------------------------------ */

void aclHelpCommand(client *c) {
    static const char *help[] = {
        "CAT [<category>]",
        "    Without a category, list the command categories; with one, list the",
        "    commands it contains.",
        "DELUSER <username> [<username> ...]",
        "    Remove users, disconnecting the clients logged in as them.",
        "DRYRUN <username> <command> [<arg> ...]",
        "    Tell whether the user could run this command line, without running it.",
        "GETUSER <username>",
        "    Show the flags, password hashes and rules of a user.",
        "GENPASS [<bits>]",
        "    Return a random password: 256 bits, or the given number of bits, as",
        "    hex digits.",
        "LIST",
        "    Show every user as the rule line that would recreate it.",
        "LOAD",
        "    Replace the users with those of the ACL file.",
        "LOG [<count> | RESET]",
        "    Show the most recent denials and failed logins, or clear them.",
        "SAVE",
        "    Write the users to the ACL file.",
        "SETUSER <username> <rule> [<rule> ...]",
        "    Create a user, or apply more rules to an existing one.",
        "USERS",
        "    List the user names.",
        "WHOAMI",
        "    Return the user this connection is logged in as.",
        NULL};
    addReplyHelp(c, help);
}
