/* connection.h -- per-connection commands: PING, ECHO, QUIT, SELECT, RESET,
 * HELLO, AUTH (connection.c) and the CLIENT container (client_command.c).
 *
 * These commands only read and change the state of client structs (name,
 * protocol, selected db, reply mode, authentication) and the server-wide
 * client pause; the client lifecycle itself stays in networking.c. */
#ifndef RINGKV_CONNECTION_H
#define RINGKV_CONNECTION_H

#include "client.h"
#include "object.h"

/* connection.c */
void pingCommand(client *c);
void echoCommand(client *c);
void quitCommand(client *c);
void selectCommand(client *c);
void resetCommand(client *c);
void helloCommand(client *c);
void authCommand(client *c);

/* RESET returns a connection to the state of a new one.  Subsystems that
 * keep per-client state of their own (MULTI, pub/sub, MONITOR ...) register
 * a hook that drops it; hooks run before the generic part of the reset. */
#define CONNECTION_MAX_RESET_HOOKS 8
void connectionRegisterResetHook(void (*fn)(client *c));

/* Marks the client to be closed once its pending replies are written, and
 * makes sure that happens even when no reply is queued (CLIENT REPLY OFF):
 * QUIT and CLIENT KILL of oneself use it. */
void connectionCloseAfterReply(client *c);

/* client_command.c */
void clientIdCommand(client *c);
void clientSetnameCommand(client *c);
void clientGetnameCommand(client *c);
void clientListCommand(client *c);
void clientInfoCommand(client *c);
void clientKillCommand(client *c);
void clientReplyCommand(client *c);
void clientNoEvictCommand(client *c);
void clientPauseCommand(client *c);
void clientUnpauseCommand(client *c);
void clientHelpCommand(client *c);
void clientGetredirCommand(client *c);
void clientTrackinginfoCommand(client *c);

/* Validates and sets the connection name (CLIENT SETNAME, HELLO SETNAME).
 * An empty name removes it.  Replies with the error and returns C_ERR when
 * the name has characters outside '!'..'~'; replies nothing on success. */
int clientSetNameOrReply(client *c, robj *name);

#endif
