/* resp.h -- the incremental RESP request parser (resp_parse.c).
 *
 * A pure function of (state, bytes): it knows nothing of clients or sockets,
 * so it can be fuzzed alone.  It accepts both request forms Redis accepts:
 * multibulk (`*<n>\r\n$<len>\r\n<bytes>\r\n...`) and inline (a text line,
 * split like a shell would).  Each call consumes as much of the buffer as it
 * can; it stops when one full command is ready, when more bytes are needed,
 * or at a protocol error (the caller replies with the error text and closes
 * the connection, as Redis does). */
#ifndef RINGKV_RESP_H
#define RINGKV_RESP_H

#include <stddef.h>

struct robj;

#define RESP_REQ_UNKNOWN 0
#define RESP_REQ_INLINE 1
#define RESP_REQ_MULTIBULK 2

#define RESP_PARSE_OK 0        /* a full command is in argv/argc */
#define RESP_PARSE_NEED_MORE 1 /* all input consumed or waiting for more bytes */
#define RESP_PARSE_ERR 2       /* protocol error: see respParser.error */

typedef struct respLimits {
    long long max_bulk_len;    /* proto-max-bulk-len */
    int authenticated;         /* unauthenticated clients get tight limits */
} respLimits;

typedef struct respParser {
    int reqtype;
    long multibulklen;         /* arguments still to read (multibulk) */
    long long bulklen;         /* length of the bulk being read, -1 = header */
    int argc;
    int argv_cap;
    struct robj **argv;
    size_t argv_len_sum;
    const char *error;         /* static text after RESP_PARSE_ERR */
    char errbuf[64];
    int empty_inline;          /* the last inline line was empty */
} respParser;

void respParserInit(respParser *p);
/* Parses from buf[*pos .. len).  Advances *pos past consumed bytes.  On OK the
 * caller takes argv[0..argc) (and must call respParserTakeArgs or
 * respParserReset afterwards). */
int respParse(respParser *p, const char *buf, size_t len, size_t *pos, const respLimits *lim);
/* Releases argument objects and resets the state for the next command. */
void respParserReset(respParser *p);
void respParserFree(respParser *p);

#endif
