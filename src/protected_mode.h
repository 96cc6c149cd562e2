/* protected_mode.h -- `protected-mode yes`: refuse remote clients while the
 * default user has no password (protected_mode.c). */
#ifndef RINGKV_PROTECTED_MODE_H
#define RINGKV_PROTECTED_MODE_H

#include "client.h"

/* For a TCP client just accepted from ip: when protected mode applies,
 * writes Redis's -DENIED explanation straight to the socket, counts a
 * rejected connection and returns 1 (the caller frees the client).
 * Returns 0 when the client may stay. */
int protectedModeRefuse(client *c, const char *ip);

#endif
