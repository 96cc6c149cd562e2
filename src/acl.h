/* acl.h -- access control: users, authentication and permission checks
 * (acl.c), the rule engine (acl_selectors.c), the ACL LOG (acl_log.c), ACL
 * files and `user` config lines (acl_file.c), and the ACL command family
 * (acl_commands.c).
 *
 * Every client runs as a user.  c->user NULL means the "default" user,
 * which always exists (it cannot be deleted; ACL LOAD and requirepass
 * change it in place).  c->authenticated says whether the client proved
 * who it is: new connections are authenticated as "default" when that
 * user needs no password and is enabled, otherwise they must AUTH (or
 * HELLO AUTH) before anything but the few no-auth commands. */
#ifndef RINGKV_ACL_H
#define RINGKV_ACL_H

#include <stddef.h>

#include "client.h"
#include "commands.h"
#include "object.h"
#include "rstr.h"

struct user;

/* Directives whose storage the ACL module owns (config.c fills them). */
struct aclSettings {
    char *aclfile;          /* aclfile: "" or NULL when users come from the config */
    int pubsub_default_all; /* acl-pubsub-default: 1 allchannels, 0 resetchannels */
};
extern struct aclSettings aclCfg;

/* --- acl.c ---------------------------------------------------------------- */

/* Creates the users table and the default user.  Idempotent; main() calls
 * it before the configuration is read (requirepass edits the default user
 * while the file is parsed). */
void aclInit(void);

/* Whether a connection must authenticate: the default user has a password
 * or is disabled.  clientAuthRequired (commands.c) combines it with the
 * client's own state; createClient uses it for a new connection. */
int aclDefaultUserRequiresAuth(void);
/* Whether the default user is "nopass" (protected mode refuses remote
 * clients then, whether the user is enabled or not). */
int aclDefaultUserHasNoPassword(void);

/* AUTH / HELLO AUTH.  On success the client runs as that user from now
 * on; on failure an "auth" entry goes to the ACL LOG and nothing changes.
 * Returns C_OK or C_ERR. */
int aclAuthenticateUser(client *c, robj *username, robj *password);
/* RESET: back to the default user, authenticated only if it needs no
 * password. */
void aclResetClientUser(client *c);

/* requirepass as the default user's password: "" means nopass.  At
 * start-up aclLoadUsersAtStartup applies it (before `user` lines and the
 * aclfile, which win); afterwards CONFIG SET does, through the directive's
 * apply hook, which runs only when the value changed and the whole CONFIG
 * SET succeeded: as in Redis, an unchanged or failed CONFIG SET leaves
 * passwords set with ACL SETUSER alone. */
void aclApplyRequirepass(void);
int aclRequirepassApply(const char **err);

/* Names and lookups for other modules (CLIENT LIST user=, CLIENT KILL USER). */
const char *aclGetUserName(struct user *u);
struct user *aclGetUserByName(const char *name, size_t len);
struct user *aclClientUser(client *c); /* never NULL: the default user for NULL */

/* Dispatcher hook (commands.c): NOPERM for a command, key or channel the
 * client's user may not use.  Logs the denial, replies (or dooms the
 * transaction) and returns 1; returns 0 when the command may run.  The
 * default user with all permissions costs one flag test. */
int aclCheckCommandOrReply(client *c);
/* EXEC hook (multi.c): rules may have changed since a command was queued.
 * Returns 1 after replying the error in place of the command's reply. */
int aclCheckQueuedCommandOrReply(client *c);
/* SORT ... BY/GET patterns name arbitrary keys: allowed only when a
 * selector that allows this SORT can read every key. */
int aclClientHasFullKeyAccess(client *c);

/* --- acl_file.c ----------------------------------------------------------- */

/* A `user <name> <rules...>` line of the configuration (argv[0] is
 * "user").  Checks the rules and queues the user for start-up.  Returns
 * NULL, or the reason the line is refused. */
const char *aclConfigUserLine(int argc, char **argv);
/* After the configuration: creates the queued users, or loads the aclfile.
 * Exits the process (as Redis does) when both are configured or either
 * fails. */
void aclLoadUsersAtStartup(void);
/* CONFIG REWRITE: the `user` lines that describe the current users (none
 * with an aclfile, where users live).  *count lines; free with
 * rstrFreeSplitRes. */
rstr *aclConfigRewriteLines(int *count);

/* --- commands ------------------------------------------------------------- */

void aclSetuserCommand(client *c);
void aclGetuserCommand(client *c);
void aclDeluserCommand(client *c);
void aclListCommand(client *c);
void aclUsersCommand(client *c);
void aclWhoamiCommand(client *c);
void aclCatCommand(client *c);
void aclGenpassCommand(client *c);
void aclLogCommand(client *c);
void aclDryrunCommand(client *c);
void aclSaveCommand(client *c);
void aclLoadCommand(client *c);
void aclHelpCommand(client *c);

#endif
