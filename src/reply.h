/* reply.h -- encoding replies into a client's output buffers (reply.c).
 *
 * Every function appends a complete RESP element (or a header for an
 * aggregate whose elements follow) to the client's buffer, choosing the RESP2
 * or RESP3 form from c->resp.  Nothing is written to the socket here: the
 * client is queued and its buffers flushed before the loop sleeps.
 *
 * Errors: addReplyError* take the text without CRLF.  A text that starts
 * with '-' carries its own error code ("-WRONGTYPE Operation ..."); any other
 * text gets "-ERR " prepended.  Every error is counted in the errorstats by
 * its code. */
#ifndef RINGKV_REPLY_H
#define RINGKV_REPLY_H

#include <stddef.h>

#include "client.h"
#include "object.h"

void addReplyProto(client *c, const char *s, size_t len); /* raw bytes */
void addReply(client *c, robj *obj);                      /* string object as bulk */
void addReplyRstr(client *c, rstr s);                     /* raw protocol; frees s */
void addReplyStatus(client *c, const char *status);       /* +status */
void addReplyStatusLength(client *c, const char *s, size_t len);
void addReplyOk(client *c);
void addReplyError(client *c, const char *err);
void addReplyErrorLength(client *c, const char *s, size_t len);
void addReplyErrorFormat(client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void addReplyErrorArity(client *c);
void addReplyErrorSyntax(client *c);
void addReplyErrorObject(client *c, robj *err);
void addReplyErrorExpireTime(client *c);
void addReplyErrorNotInteger(client *c);     /* value is not an integer or out of range */
void addReplyErrorWrongType(client *c);
void addReplySubcommandSyntaxError(client *c);
void addReplyBulk(client *c, robj *obj);
void addReplyBulkCBuffer(client *c, const void *p, size_t len);
void addReplyBulkCString(client *c, const char *s);
void addReplyBulkRstr(client *c, rstr s);    /* frees s */
void addReplyBulkLongLong(client *c, long long ll);
void addReplyVerbatim(client *c, const char *s, size_t len, const char *ext);
void addReplyLongLong(client *c, long long ll);
void addReplyDouble(client *c, double d);
void addReplyLongDoubleAsBulk(client *c, long double d); /* humanfriendly text, always bulk */
void addReplyHumanLongDouble(client *c, long double d);  /* RESP3 double / RESP2 bulk */
void addReplyBigNum(client *c, const char *num, size_t len);
void addReplyBool(client *c, int b);
void addReplyNull(client *c);        /* RESP2 $-1 / RESP3 _ */
void addReplyNullArray(client *c);   /* RESP2 *-1 / RESP3 _ */
void addReplyArrayLen(client *c, long length);
void addReplyMapLen(client *c, long length);      /* RESP2: array of 2*length */
void addReplySetLen(client *c, long length);      /* RESP2: array */
void addReplyAttributeLen(client *c, long length);
void addReplyPushLen(client *c, long length);     /* RESP2: array */
void addReplyEmptyArray(client *c);
/* Help text: a header line then lines, as an array of status replies. */
void addReplyHelp(client *c, const char **help);
/* Deferred aggregate length: reserve now, set when the count is known. */
void *addReplyDeferredLen(client *c);
void setDeferredArrayLen(client *c, void *node, long length);
void setDeferredMapLen(client *c, void *node, long length);
void setDeferredSetLen(client *c, void *node, long length);
void setDeferredAttributeLen(client *c, void *node, long length);
void setDeferredReplyBulkRstr(client *c, void *node, rstr s);
/* Error statistics (INFO errorstats). */
void incrementErrorCount(const char *fullerr, size_t namelen);
void resetErrorTableStats(void);
/* Queues the client for the before-sleep flush. */
void putClientInPendingWriteQueue(client *c);
/* Returns whether replies to this client are suppressed (CLIENT REPLY). */
int prepareClientToWrite(client *c);

/* Shared, pre-encoded protocol snippets. */
struct sharedReplies {
    const char *crlf, *ok, *pong, *queued, *czero, *cone, *cnegone, *nullbulk2, *nullarray2,
        *emptyarray, *emptybulk, *wrongtypeerr, *syntaxerr, *noautherr;
};
extern const struct sharedReplies shared;

#endif
