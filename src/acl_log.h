/* acl_log.h -- the ACL LOG: recent denials and failed authentications
 * (acl_log.c). */
#ifndef RINGKV_ACL_LOG_H
#define RINGKV_ACL_LOG_H

#include "client.h"

/* Where the denied command ran (the log's "context" field). */
#define ACL_LOG_CTX_TOPLEVEL 0
#define ACL_LOG_CTX_MULTI 1

/* Records a denial: reason is ACL_DENIED_* (acl_selectors.h).  object is
 * what was refused; NULL means: the command's name for a command, the
 * argument at argpos for a key or channel, the command as typed for an
 * auth failure.  username NULL means the client's user. */
void aclLogAdd(client *c, int reason, int context, int argpos, const char *username, const char *object);
/* The context of a check done for c now. */
int aclLogContext(client *c);

/* ACL LOG [count | RESET]. */
void aclLogReply(client *c, long count);
void aclLogReset(void);

#endif
