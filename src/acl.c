/* acl.c -- who a client is and what it may run: authentication (AUTH,
 * HELLO AUTH, RESET), the permission check the dispatcher runs before
 * every command, its re-check at EXEC, and requirepass as the default
 * user's password.
 *
 * The rules themselves live in acl_selectors.c, the set of users in
 * acl_users.c, the denial log in acl_log.c, ACL files and `user` config
 * lines in acl_file.c and the ACL command family in acl_commands.c.
 *
 * Cost.  aclCheckCommandOrReply runs for every command.  A user whose root
 * selector allows every command, key and channel (the default user as
 * shipped, and any `~* &* +@all` user) is accepted on one flag test; only
 * restricted users pay for looking at keys and channels.
 *
 * Passwords.  Users store SHA-256 hex digests.  A candidate password is
 * hashed and compared with each digest in time that does not depend on
 * where they differ, so response times tell nothing about stored hashes. */
#include "acl.h"

#include <string.h>

#include "acl_log.h"
#include "acl_selectors.h"
#include "acl_users.h"
#include "multi.h"
#include "reply.h"
#include "server.h"
#include "sha256.h"

struct aclSettings aclCfg = {NULL, 0};

void aclInit(void) {
    aclRulesInit();
    aclUsersInit();
}

user *aclClientUser(client *c) {
    return c->user ? c->user : aclDefaultUser;
}

const char *aclGetUserName(user *u) {
    return u ? u->name : "default";
}

user *aclGetUserByName(const char *name, size_t len) {
    aclInit();
    return aclUsersFind(name, len);
}

int aclDefaultUserRequiresAuth(void) {
    return !aclDefaultUser->nopass || !aclDefaultUser->enabled;
}

int aclDefaultUserHasNoPassword(void) {
    return aclDefaultUser->nopass;
}

/* --- authentication ------------------------------------------------------- */

static int timeIndependentEqual(const char *a, const char *b, size_t len) {
    unsigned char diff = 0;
    for (size_t i = 0; i < len; i++) diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* The user these credentials log in as, or NULL. */
static user *aclCheckCredentials(robj *username, robj *password) {
    user *u = aclUsersFind(username->ptr, rstrLen(username->ptr));
    if (!u || !u->enabled) return NULL;
    if (u->nopass) return u;
    char hex[SHA256_HEX_LEN + 1];
    sha256Hex(password->ptr, rstrLen(password->ptr), hex);
    int match = 0;
    for (int i = 0; i < u->npasswords; i++) match |= timeIndependentEqual(hex, u->passwords[i], SHA256_HEX_LEN);
    return match ? u : NULL;
}

int aclAuthenticateUser(client *c, robj *username, robj *password) {
    user *u = aclCheckCredentials(username, password);
    if (!u) {
        aclLogAdd(c, ACL_DENIED_AUTH, aclLogContext(c), 0, username->ptr, NULL);
        return C_ERR;
    }
    c->user = u == aclDefaultUser ? NULL : u;
    c->authenticated = 1;
    return C_OK;
}

void aclResetClientUser(client *c) {
    c->user = NULL;
    c->authenticated = !aclDefaultUserRequiresAuth();
}

void aclApplyRequirepass(void) {
    aclInit();
    const char *pass = server.requirepass ? server.requirepass : "";
    int err;
    serverAssert(aclSetUser(aclDefaultUser, "resetpass", 9, &err) == C_OK);
    if (pass[0]) {
        rstr op = rstrCat(rstrNew(">"), pass);
        serverAssert(aclSetUser(aclDefaultUser, op, rstrLen(op), &err) == C_OK);
        rstrFree(op);
    } else {
        serverAssert(aclSetUser(aclDefaultUser, "nopass", 6, &err) == C_OK);
    }
}

int aclRequirepassApply(const char **err) {
    (void)err;
    aclApplyRequirepass();
    return C_OK;
}

/* --- permission checks ---------------------------------------------------- */

/* A refusal before the command runs: counted as rejected, and inside MULTI
 * it dooms the transaction (multi.c may answer for EXEC itself). */
static void aclRejectCommand(client *c, const char *err) {
    c->cmd->rejected_calls++;
    if (multiCommandRejected(c, err)) return;
    addReplyError(c, err);
}

int aclCheckCommandOrReply(client *c) {
    user *u = c->user ? c->user : aclDefaultUser;
    if (aclUserIsUnrestricted(u)) return 0;
    int pos = 0;
    int r = aclCheckUserCommand(u, c->cmd, c->argv, c->argc, &pos);
    if (r == ACL_OK) return 0;
    aclLogAdd(c, r, aclLogContext(c), pos, NULL, NULL);
    rstr err;
    if (r == ACL_DENIED_CMD)
        err = rstrCatPrintf(rstrEmpty(), "-NOPERM this user has no permissions to run the '%s' command",
                            c->cmd->fullname);
    else if (r == ACL_DENIED_KEY)
        err = rstrNew("-NOPERM this user has no permissions to access one of the keys used as arguments");
    else
        err = rstrNew("-NOPERM this user has no permissions to access one of the channels used as arguments");
    aclRejectCommand(c, err);
    rstrFree(err);
    return 1;
}

int aclCheckQueuedCommandOrReply(client *c) {
    user *u = c->user ? c->user : aclDefaultUser;
    if (aclUserIsUnrestricted(u)) return 0;
    int pos = 0;
    int r = aclCheckUserCommand(u, c->cmd, c->argv, c->argc, &pos);
    if (r == ACL_OK) return 0;
    const char *why;
    switch (r) {
    case ACL_DENIED_CMD: why = "no permission to execute the command or subcommand"; break;
    case ACL_DENIED_KEY: why = "no permission to touch the specified keys"; break;
    case ACL_DENIED_CHANNEL: why = "no permission to access one of the channels used as arguments"; break;
    default: why = "no permission"; break;
    }
    aclLogAdd(c, r, ACL_LOG_CTX_MULTI, pos, NULL, NULL);
    addReplyErrorFormat(c,
                        "-NOPERM ACLs rules changed between the moment the transaction was accumulated and "
                        "the EXEC call. This command is no longer allowed for the following reason: %s",
                        why);
    return 1;
}

int aclClientHasFullKeyAccess(client *c) {
    user *u = c->user ? c->user : aclDefaultUser;
    if (aclUserIsUnrestricted(u)) return 1;
    return aclUserHasFullKeyAccess(u, c->cmd, c->argv, c->argc);
}
