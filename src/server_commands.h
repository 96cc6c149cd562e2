/* server_commands.h -- small server-wide commands (server_commands.c):
 * TIME and SHUTDOWN. */
#ifndef RINGKV_SERVER_COMMANDS_H
#define RINGKV_SERVER_COMMANDS_H

#include "client.h"

void timeCommand(client *c);
void shutdownCommand(client *c);

#endif
