/* protected_mode.c -- the safety net for servers started with no password:
 * with `protected-mode yes` (the default) and a default user that needs no
 * password, only loopback and unix-socket clients are served.  Anyone else
 * gets one -DENIED line explaining the ways out, and is disconnected.
 *
 * The rule is checked when a connection is accepted, before it can send
 * anything, so a server exposed by mistake answers nothing but the
 * explanation.  It holds whatever `bind` says, as in Redis 7.0: binding a
 * public address is not consent to serve it without a password.  Giving
 * the default user a password (requirepass, ACL SETUSER default >...) or
 * turning protected mode off lifts it for new connections.
 *
 * The reply is written straight to the socket, not queued: the client is
 * freed right after, before the event loop would flush a queued reply. */
#include "protected_mode.h"

#include <string.h>
#include <unistd.h>

#include "acl.h"
#include "anet.h"
#include "server.h"

/* Redis 7.0's wording, which operators search for. */
static const char protectedModeError[] =
    "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set "
    "for the default user. In this mode connections are only accepted from the loopback interface. If you "
    "want to connect from external computers to Redis you may adopt one of the following solutions: 1) "
    "Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback "
    "interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis "
    "is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change "
    "permanent. 2) Alternatively you can just disable the protected mode by editing the Redis "
    "configuration file, and setting the protected mode option to 'no', and then restarting the server. "
    "3) If you started the server manually just for testing, restart it with the '--protected-mode no' "
    "option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of "
    "the above things in order for the server to start accepting connections from the outside.\r\n";

int protectedModeRefuse(client *c, const char *ip) {
    if (!server.protected_mode || !aclDefaultUserHasNoPassword()) return 0;
    if (ip == NULL || anetIsLoopback(ip)) return 0;
    if (write(c->fd, protectedModeError, sizeof(protectedModeError) - 1) == -1) {
        /* The client is being dropped anyway. */
    }
    server.stat_rejected_conn++;
    return 1;
}
