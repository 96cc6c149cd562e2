/* connection.c -- commands about the connection itself: PING, ECHO, QUIT,
 * SELECT, RESET, HELLO and AUTH.
 *
 * Each one changes only the calling client's state (selected database,
 * protocol version, name, authentication, reply mode) or asks networking.c
 * to close it; none touches the keyspace.  Replies and error texts are
 * Redis 7.0's, read off a running server, because client libraries branch on
 * them (NOPROTO makes a driver fall back to RESP2, WRONGPASS and NOAUTH drive
 * reconnect logic).
 *
 * Authentication is the ACL module's (acl.c): AUTH and HELLO AUTH hand it
 * the credentials, and it checks them against the users' password hashes
 * (requirepass being the default user's password), logs failures in the
 * ACL LOG and switches the client to the user on success.
 *
 * RESET must undo state owned by later subsystems (transactions,
 * subscriptions, MONITOR).  Rather than reaching into them, it runs hooks
 * those subsystems register; this file then resets what it owns. */
#include "connection.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "acl.h"
#include "commands.h"
#include "db.h"
#include "reply.h"
#include "server.h"
#include "slowlog.h"

/* --- helpers ---------------------------------------------------------- */

static void (*resetHooks[CONNECTION_MAX_RESET_HOOKS])(client *c);
static int resetHooksCount = 0;

void connectionRegisterResetHook(void (*fn)(client *c)) {
    serverAssert(resetHooksCount < CONNECTION_MAX_RESET_HOOKS);
    resetHooks[resetHooksCount++] = fn;
}

void connectionCloseAfterReply(client *c) {
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
    /* The writer closes a CLOSE_AFTER_REPLY client once its buffers drain,
     * but it only visits clients with something queued.  With replies
     * switched off nothing may be queued, and the client would stay open
     * forever: close it from the async queue instead (it is not freed while
     * this command runs). */
    if (!(c->flags & CLIENT_PENDING_WRITE) && !clientHasPendingReplies(c)) freeClientAsync(c);
}

/* Checks credentials and, when they are right, authenticates the client as
 * that user.  user NULL means "default" (the one-argument AUTH form).
 * Returns C_OK or C_ERR; a failure leaves the client's state unchanged (and
 * is recorded in the ACL LOG). */
static int connectionAuthenticate(client *c, robj *user, robj *pass) {
    if (user != NULL) return aclAuthenticateUser(c, user, pass);
    robj *def = createStringObject("default", 7);
    int ret = aclAuthenticateUser(c, def, pass);
    decrRefCount(def);
    return ret;
}

static const char *wrongPassError = "-WRONGPASS invalid username-password pair or user is disabled.";

/* --- PING, ECHO, QUIT ------------------------------------------------- */

void pingCommand(client *c) {
    if (c->argc > 2) {
        addReplyErrorArity(c);
        return;
    }
    /* A RESP2 connection in subscribed mode can only carry arrays, so PING
     * answers with a two-element array there. */
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2) {
        addReplyArrayLen(c, 2);
        addReplyBulkCBuffer(c, "pong", 4);
        if (c->argc == 1)
            addReplyBulkCBuffer(c, "", 0);
        else
            addReplyBulk(c, c->argv[1]);
        return;
    }
    if (c->argc == 1)
        addReplyProto(c, shared.pong, strlen(shared.pong));
    else
        addReplyBulk(c, c->argv[1]);
}

void echoCommand(client *c) {
    addReplyBulk(c, c->argv[1]);
}

void quitCommand(client *c) {
    addReplyOk(c);
    connectionCloseAfterReply(c);
}

/* --- SELECT ----------------------------------------------------------- */

void selectCommand(client *c) {
    long long id;
    /* Redis parses the index as a C int, and each way of failing has its
     * own text: not a number at all, a number that is not an int, and an
     * int that is not a configured database. */
    if (getLongLongFromObject(c->argv[1], &id) != C_OK) {
        addReplyErrorNotInteger(c);
        return;
    }
    if (id < INT_MIN || id > INT_MAX) {
        addReplyErrorFormat(c, "value is out of range, value must between %d and %d", INT_MIN, INT_MAX);
        return;
    }
    if (id < 0 || id >= server.dbnum) {
        addReplyError(c, "DB index is out of range");
        return;
    }
    c->db = dbGet((int)id);
    addReplyOk(c);
}

/* --- RESET ------------------------------------------------------------ */

void resetCommand(client *c) {
    for (int i = 0; i < resetHooksCount; i++) resetHooks[i](c);
    c->db = dbGet(0);
    c->resp = 2;
    rstrFree(c->name);
    c->name = NULL;
    /* Back to the state of a fresh connection: a password-protected server
     * wants AUTH again. */
    aclResetClientUser(c);
    /* CLIENT REPLY OFF/SKIP end, so that +RESET itself is seen (a SKIP
     * already in effect for this very command still applies, as in Redis).
     * CLIENT NO-EVICT survives a reset in Redis 7.0. */
    c->flags &= ~(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP_NEXT | CLIENT_PUBSUB);
    addReplyStatus(c, "RESET");
}

/* --- AUTH and HELLO --------------------------------------------------- */

void authCommand(client *c) {
    if (c->argc > 3) {
        addReplyErrorSyntax(c);
        return;
    }
    /* Credentials never reach SLOWLOG or MONITOR (slowlog.c). */
    for (int j = 1; j < c->argc; j++) slowlogRedactArgument(c, j);
    if (c->argc == 2 && aclDefaultUserHasNoPassword()) {
        /* The one-argument form against a server without a password is
         * almost always a misconfigured client: say so instead of
         * silently accepting. */
        addReplyError(c, "AUTH <password> called without any password configured for the default "
                         "user. Are you sure your configuration is correct?");
        return;
    }
    robj *user = c->argc == 3 ? c->argv[1] : NULL;
    robj *pass = c->argv[c->argc - 1];
    if (connectionAuthenticate(c, user, pass) == C_OK)
        addReplyOk(c);
    else
        addReplyError(c, wrongPassError);
}

void helloCommand(client *c) {
    long long ver = 0;
    if (c->argc >= 2) {
        if (getLongLongFromObject(c->argv[1], &ver) != C_OK) {
            addReplyError(c, "Protocol version is not an integer or out of range");
            return;
        }
        if (ver < 2 || ver > 3) {
            addReplyError(c, "-NOPROTO unsupported protocol version");
            return;
        }
    }
    /* Options apply in order, each as soon as it is read (so a SETNAME
     * before a bad option sticks, as in Redis). */
    for (int j = 2; j < c->argc; j++) {
        int moreargs = c->argc - 1 - j;
        const char *opt = c->argv[j]->ptr;
        if (!strcasecmp(opt, "AUTH") && moreargs >= 2) {
            slowlogRedactArgument(c, j + 1); /* hidden from SLOWLOG/MONITOR */
            slowlogRedactArgument(c, j + 2);
            if (connectionAuthenticate(c, c->argv[j + 1], c->argv[j + 2]) != C_OK) {
                addReplyError(c, wrongPassError);
                return;
            }
            j += 2;
        } else if (!strcasecmp(opt, "SETNAME") && moreargs >= 1) {
            if (clientSetNameOrReply(c, c->argv[j + 1]) != C_OK) return;
            j++;
        } else {
            addReplyErrorFormat(c, "Syntax error in HELLO option '%s'", opt);
            return;
        }
    }
    if (clientAuthRequired(c)) {
        addReplyError(c, "-NOAUTH HELLO must be called with the client already authenticated, "
                         "otherwise the HELLO AUTH <user> <pass> option can be used to "
                         "authenticate the client and select the RESP protocol version at the "
                         "same time");
        return;
    }
    /* The reply is already in the new protocol. */
    if (ver) c->resp = (int)ver;
    addReplyMapLen(c, 7);
    addReplyBulkCString(c, "server");
    addReplyBulkCString(c, "redis");
    addReplyBulkCString(c, "version");
    addReplyBulkCString(c, RINGKV_VERSION);
    addReplyBulkCString(c, "proto");
    addReplyLongLong(c, c->resp);
    addReplyBulkCString(c, "id");
    addReplyLongLong(c, (long long)c->id);
    addReplyBulkCString(c, "mode");
    addReplyBulkCString(c, "standalone");
    addReplyBulkCString(c, "role");
    addReplyBulkCString(c, "master");
    addReplyBulkCString(c, "modules");
    addReplyArrayLen(c, 0);
}
