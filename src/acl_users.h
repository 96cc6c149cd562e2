/* acl_users.h -- the set of ACL users (acl_users.c), for the acl*.c files.
 *
 * Users are kept sorted by name (byte order), which is the order ACL LIST,
 * ACL USERS, ACL SAVE and CONFIG REWRITE show them in.  Clients point at
 * their user, so a user struct is never replaced while it exists: changes
 * are copied into it.  Removing a user disconnects its clients. */
#ifndef RINGKV_ACL_USERS_H
#define RINGKV_ACL_USERS_H

#include <stddef.h>

#include "acl_selectors.h"
#include "client.h"

/* The "default" user: always present, never freed. */
extern user *aclDefaultUser;

void aclUsersInit(void);
user *aclUsersFind(const char *name, size_t len);
/* Takes ownership of u, whose name must not be in use. */
void aclUsersAdd(user *u);
/* Removes and frees the user, disconnecting its clients.  Returns 1 if it
 * existed.  Never call it for "default". */
int aclUsersDelete(const char *name, size_t len);
int aclUsersCount(void);
user *aclUsersAt(int i); /* 0 .. count-1, sorted by name */

/* ACL LOAD: replaces every user with users[0..n-1] (sorted or not, names
 * unique; ownership passes to the table).  The default user keeps its
 * struct and takes the rules of the new "default" (a fresh default user
 * when users has none); every other old user is freed and its clients are
 * disconnected, as Redis does. */
void aclUsersReplaceAll(user **users, int n);

/* Disconnects the clients authenticated as u.  The client running the
 * current command is only flagged: aclCloseCallerIfFlagged closes it
 * after its reply. */
void aclKillClientsOfUser(user *u);
/* After ACL SETUSER changed old into newu: disconnects old's subscribers
 * that hold a channel or pattern newu no longer allows. */
void aclKillSubscribersIfNeeded(const user *newu, user *old);
/* Call once the reply of an ACL command is queued: if the caller lost its
 * user during the command, it is closed once that reply is written. */
void aclCloseCallerIfFlagged(client *c);

#endif
