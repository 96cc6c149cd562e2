/* acl_users.c -- the set of ACL users, and disconnecting the clients of a
 * user that goes away or loses channels.
 *
 * The set is a sorted array of user pointers, searched by bisection.
 * There are few users (tens, rarely thousands) and the listing commands
 * want them sorted, so an array beats a hash table plus a sort per
 * listing.  Users are looked up by name only when clients authenticate
 * and when ACL commands run; the per-command permission check goes
 * through the client's own user pointer.
 *
 * Disconnecting.  Deleting a user, and replacing all users with ACL LOAD,
 * closes every client authenticated as a removed user: its rights are
 * gone, and Redis does the same.  Such a client is moved back to the
 * default user, unauthenticated, before it is closed, so that nothing it
 * may still run in the meantime uses a freed user.  The client whose own
 * command removed its user gets its reply first: it is flagged
 * (CLIENT_CLOSE_AFTER_COMMAND) and aclCloseCallerIfFlagged, called by the
 * ACL command after replying, turns that into close-after-reply.  ACL
 * SETUSER keeps the user, but its subscribers that hold a channel or
 * pattern the new rules no longer allow are closed too. */
#include "acl_users.h"

#include <string.h>

#include "acl.h"
#include "connection.h"
#include "pubsub.h"
#include "server.h"
#include "zmalloc.h"

user *aclDefaultUser = NULL;

static user **users;
static int numUsers, capUsers;

static int nameCmp(const char *a, size_t alen, const char *b, size_t blen) {
    size_t n = alen < blen ? alen : blen;
    int r = memcmp(a, b, n);
    if (r) return r;
    return alen < blen ? -1 : (alen > blen);
}

/* Index of name, or -(insertion point)-1. */
static int usersSearch(const char *name, size_t len) {
    int lo = 0, hi = numUsers - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int r = nameCmp(users[mid]->name, rstrLen(users[mid]->name), name, len);
        if (r == 0) return mid;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -lo - 1;
}

/* The default user of a new server: on, nopass, everything. */
static void setDefaultRules(user *u) {
    static const char *rules[] = {"+@all", "~*", "&*", "on", "nopass", NULL};
    for (int i = 0; rules[i]; i++) {
        int err;
        serverAssert(aclSetUser(u, rules[i], strlen(rules[i]), &err) == C_OK);
    }
}

void aclUsersInit(void) {
    if (aclDefaultUser) return;
    aclDefaultUser = aclUserCreate("default", 7);
    setDefaultRules(aclDefaultUser);
    aclUsersAdd(aclDefaultUser);
}

user *aclUsersFind(const char *name, size_t len) {
    int i = usersSearch(name, len);
    return i >= 0 ? users[i] : NULL;
}

void aclUsersAdd(user *u) {
    int i = usersSearch(u->name, rstrLen(u->name));
    serverAssert(i < 0);
    i = -i - 1;
    if (numUsers == capUsers) {
        capUsers = capUsers ? capUsers * 2 : 8;
        users = zrealloc(users, sizeof(user *) * (size_t)capUsers);
    }
    memmove(users + i + 1, users + i, sizeof(user *) * (size_t)(numUsers - i));
    users[i] = u;
    numUsers++;
}

int aclUsersDelete(const char *name, size_t len) {
    int i = usersSearch(name, len);
    if (i < 0) return 0;
    user *u = users[i];
    serverAssert(u != aclDefaultUser);
    memmove(users + i, users + i + 1, sizeof(user *) * (size_t)(numUsers - i - 1));
    numUsers--;
    aclKillClientsOfUser(u);
    aclUserFree(u);
    return 1;
}

int aclUsersCount(void) {
    return numUsers;
}

user *aclUsersAt(int i) {
    return users[i];
}

void aclUsersReplaceAll(user **newusers, int n) {
    user **old = users;
    int oldn = numUsers;
    users = NULL;
    numUsers = capUsers = 0;
    user *newdefault = NULL;
    for (int i = 0; i < n; i++) {
        if (rstrLen(newusers[i]->name) == 7 && !memcmp(newusers[i]->name, "default", 7))
            newdefault = newusers[i];
        else
            aclUsersAdd(newusers[i]);
    }
    /* The default user's struct stays (clients point at it implicitly);
     * it takes the new rules, or a new server's defaults. */
    if (newdefault) {
        aclUserCopy(aclDefaultUser, newdefault);
        aclUserFree(newdefault);
    } else {
        user *fresh = aclUserCreate("default", 7);
        setDefaultRules(fresh);
        aclUserCopy(aclDefaultUser, fresh);
        aclUserFree(fresh);
    }
    aclUsersAdd(aclDefaultUser);
    for (int i = 0; i < oldn; i++) {
        if (old[i] == aclDefaultUser) continue;
        aclKillClientsOfUser(old[i]);
        aclUserFree(old[i]);
    }
    zfree(old);
}

/* Closes c, or flags it when it is the client running this command. */
static void killClient(client *c) {
    if (c == server.current_client)
        c->flags |= CLIENT_CLOSE_AFTER_COMMAND;
    else
        freeClientAsync(c);
}

void aclKillClientsOfUser(user *u) {
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li))) {
        client *c = listNodeValue(ln);
        if (c->user != u) continue;
        c->user = NULL;
        c->authenticated = 0;
        killClient(c);
    }
}

static int subscriptionRevoked(void *priv, int is_pattern, const char *name, size_t len) {
    return !aclUserAllowsChannel(priv, name, len, is_pattern);
}

void aclKillSubscribersIfNeeded(const user *newu, user *old) {
    if (aclUserChannelsSuperset(newu, old)) return;
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li))) {
        client *c = listNodeValue(ln);
        if (aclClientUser(c) != old || !(c->flags & CLIENT_PUBSUB)) continue;
        if (pubsubClientAnySubscription(c, subscriptionRevoked, (void *)newu)) killClient(c);
    }
}

void aclCloseCallerIfFlagged(client *c) {
    if (!(c->flags & CLIENT_CLOSE_AFTER_COMMAND)) return;
    c->flags &= ~CLIENT_CLOSE_AFTER_COMMAND;
    connectionCloseAfterReply(c);
}
