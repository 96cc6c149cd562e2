/* networking.c -- client connections: accept, read, dispatch, write, close.
 *
 * Flow of one request: the socket becomes readable -> readQueryFromClient
 * appends to c->querybuf -> processInputBuffer parses as many complete
 * commands as are buffered (pipelining) and runs each through
 * processCommand -> replies accumulate in the client's buffers (reply.c) and
 * the client is queued in server.clients_pending_write -> before the loop
 * sleeps, handleClientsWithPendingWrites writes every queued client directly;
 * only a client whose socket would block gets a writable handler.
 *
 * Memory bounds: the query buffer is capped by client-query-buffer-limit and
 * output by client-output-buffer-limit, as in Redis.  In addition, a client
 * that pipelines without reading its replies stops being read once
 * CLIENT_OUTPUT_BACKPRESSURE bytes of replies are queued for it; TCP then
 * pushes back on the sender, so memory stays bounded even with the default
 * unlimited normal-class limits.  Reading resumes when the backlog drains.
 *
 * Freeing: a client is never freed while one of its commands runs
 * (CLIENT_PROTECTED / current_client); freeClientAsync queues it and
 * beforeSleep frees the queue. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "acl.h"
#include "anet.h"
#include "client.h"
#include "commands.h"
#include "db.h"
#include "protected_mode.h"
#include "reply.h"
#include "server.h"
#include "util.h"
#include "zmalloc.h"

#define CLIENT_OUTPUT_BACKPRESSURE (64ULL * 1024 * 1024)
/* CLIENT LIST rbp is the reply buffer's peak over about this long. */
#define CLIENT_BUF_PEAK_RESET_MS 5000
#define MAX_ACCEPTS_PER_CALL 1000
#define IOV_BATCH 128

static void readQueryFromClient(aeEventLoop *el, int fd, void *privdata, int mask);
static void sendReplyToClient(aeEventLoop *el, int fd, void *privdata, int mask);
static int writeToClient(client *c, int handler_installed);
/* multi.c and pubsub.c: per-client memory, for tot-mem and maxmemory. */
extern size_t multiMemOverhead(client *c) __attribute__((weak));
extern size_t pubsubClientMemUsage(client *c) __attribute__((weak));

/* --- creation and destruction ----------------------------------------- */

client *createClient(int fd, int flags) {
    client *c = zcalloc(sizeof(*c));
    c->fd = fd;
    c->flags = (uint64_t)flags;
    if (fd != -1) {
        anetNonBlock(NULL, fd);
        anetEnableTcpNoDelay(NULL, fd);
        if (server.tcpkeepalive) anetKeepAlive(NULL, fd, server.tcpkeepalive);
        if (aeCreateFileEvent(server.el, fd, AE_READABLE, readQueryFromClient, c) == AE_ERR) {
            close(fd);
            zfree(c);
            return NULL;
        }
    }
    c->id = server.next_client_id++;
    c->resp = 2;
    c->db = dbGet(0);
    c->querybuf = rstrEmpty();
    respParserInit(&c->parser);
    c->reply = listCreate();
    c->buf_usable_size = sizeof(c->buf);
    c->buf_peak = 0; /* CLIENT LIST rbp: nothing written yet */
    c->buf_peak_reset = server.mstime;
    c->ctime = c->lastinteraction = server.unixtime;
    /* Logged in as the default user when it has no password (see
     * clientAuthRequired: a password set later does not log anyone out). */
    c->authenticated = !aclDefaultUserRequiresAuth();
    c->watched_keys = NULL;
    if (fd != -1) {
        listAddNodeTail(server.clients, c);
        c->client_list_node = listLast(server.clients);
    }
    return c;
}

void freeClientArgv(client *c) {
    respParserReset(&c->parser);
    c->argc = 0;
    c->argv = NULL;
    c->cmd = NULL;
    c->argv_len_sum = 0;
}

/* Prepares for the next command (the current one is complete). */
void resetClient(client *c) {
    freeClientArgv(c);
    /* CLIENT REPLY SKIP applies to exactly one command: the one after it. */
    if (c->flags & CLIENT_REPLY_SKIP) c->flags &= ~CLIENT_REPLY_SKIP;
    if (c->flags & CLIENT_REPLY_SKIP_NEXT) {
        c->flags |= CLIENT_REPLY_SKIP;
        c->flags &= ~CLIENT_REPLY_SKIP_NEXT;
    }
}

/* Hooks later subsystems register to drop per-client state (blocked keys,
 * watched keys, subscriptions) when a client goes away. */
#define MAX_FREE_HOOKS 8
static void (*clientFreeHooks[MAX_FREE_HOOKS])(client *c);
static int clientFreeHooksCount = 0;

void clientRegisterFreeHook(void (*fn)(client *c)) {
    if (clientFreeHooksCount < MAX_FREE_HOOKS) clientFreeHooks[clientFreeHooksCount++] = fn;
}

static void unlinkClient(client *c) {
    if (c->fd != -1) {
        aeDeleteFileEvent(server.el, c->fd, AE_READABLE | AE_WRITABLE);
        close(c->fd);
        c->fd = -1;
    }
    if (c->client_list_node) {
        listDelNode(server.clients, c->client_list_node);
        c->client_list_node = NULL;
    }
    if (c->flags & CLIENT_PENDING_WRITE) {
        listUnlinkNode(server.clients_pending_write, &c->pending_write_node);
        c->flags &= ~CLIENT_PENDING_WRITE;
    }
    if (c->flags & CLIENT_PAUSED) {
        listNode *ln = listSearchKey(server.clients_waiting_unpause, c);
        if (ln) listDelNode(server.clients_waiting_unpause, ln);
        c->flags &= ~CLIENT_PAUSED;
    }
}

void freeClient(client *c) {
    if (server.current_client == c || (c->flags & CLIENT_PROTECTED)) {
        freeClientAsync(c);
        return;
    }
    for (int i = 0; i < clientFreeHooksCount; i++) clientFreeHooks[i](c);
    unlinkClient(c);
    if (c->flags & CLIENT_CLOSE_ASAP) {
        listNode *ln = listSearchKey(server.clients_to_close, c);
        if (ln) listDelNode(server.clients_to_close, ln);
    }
    rstrFree(c->querybuf);
    respParserFree(&c->parser);
    listIter li;
    listNode *ln;
    listRewind(c->reply, &li);
    while ((ln = listNext(&li))) zfree(listNodeValue(ln));
    listRelease(c->reply);
    rstrFree(c->name);
    rstrFree(c->lib_name);
    rstrFree(c->lib_ver);
    zfree(c);
}

void freeClientAsync(client *c) {
    if (c->flags & CLIENT_CLOSE_ASAP) return;
    c->flags |= CLIENT_CLOSE_ASAP;
    listAddNodeTail(server.clients_to_close, c);
}

void freeClientsInAsyncFreeQueue(void) {
    listIter li;
    listNode *ln;
    listRewind(server.clients_to_close, &li);
    while ((ln = listNext(&li))) {
        client *c = listNodeValue(ln);
        if (c->flags & CLIENT_PROTECTED || server.current_client == c) continue;
        c->flags &= ~CLIENT_CLOSE_ASAP;
        listDelNode(server.clients_to_close, ln);
        freeClient(c);
    }
}

/* --- accepting -------------------------------------------------------- */

static void acceptCommonHandler(int fd, int flags, const char *ip) {
    /* Refuse politely past maxclients: one error line, then close. */
    if (listLength(server.clients) >= server.maxclients) {
        static const char *err = "-ERR max number of clients reached\r\n";
        if (write(fd, err, strlen(err)) == -1) {
            /* Nothing to do: the client is gone anyway. */
        }
        server.stat_rejected_conn++;
        close(fd);
        return;
    }
    client *c = createClient(fd, flags);
    if (c == NULL) {
        serverLog(LL_WARNING, "Error registering fd event for the new client: %s (fd=%d)",
                  strerror(errno), fd);
        close(fd);
        return;
    }
    server.stat_numconnections++;
    if (flags & CLIENT_UNIX_SOCKET) {
        snprintf(c->addr, sizeof(c->addr), "%s:0", server.unixsocket);
        snprintf(c->laddr, sizeof(c->laddr), "%s:0", server.unixsocket);
    } else {
        char cip[ANET_IP_STR_LEN];
        int cport;
        if (anetFdToString(fd, cip, sizeof(cip), &cport, ANET_FD_REMOTE) == ANET_OK)
            anetFormatAddr(c->addr, sizeof(c->addr), cip, cport);
        if (anetFdToString(fd, cip, sizeof(cip), &cport, ANET_FD_LOCAL) == ANET_OK)
            anetFormatAddr(c->laddr, sizeof(c->laddr), cip, cport);
        /* protected-mode: remote clients of a password-less server are
         * told why and dropped (protected_mode.c, helper 1). */
        if (protectedModeRefuse(c, ip)) freeClient(c);
    }
}

void acceptTcpHandler(aeEventLoop *el, int fd, void *privdata, int mask) {
    (void)el;
    (void)privdata;
    (void)mask;
    char cip[ANET_IP_STR_LEN];
    char err[ANET_ERR_LEN];
    int cport;
    for (int max = MAX_ACCEPTS_PER_CALL; max > 0; max--) {
        int cfd = anetTcpAccept(err, fd, cip, sizeof(cip), &cport);
        if (cfd == ANET_ERR) {
            if (errno != EWOULDBLOCK && errno != EAGAIN)
                serverLog(LL_WARNING, "Accepting client connection: %s", err);
            return;
        }
        anetCloexec(cfd);
        serverLog(LL_VERBOSE, "Accepted %s:%d", cip, cport);
        acceptCommonHandler(cfd, 0, cip);
    }
}

void acceptUnixHandler(aeEventLoop *el, int fd, void *privdata, int mask) {
    (void)el;
    (void)privdata;
    (void)mask;
    char err[ANET_ERR_LEN];
    for (int max = MAX_ACCEPTS_PER_CALL; max > 0; max--) {
        int cfd = anetUnixAccept(err, fd);
        if (cfd == ANET_ERR) {
            if (errno != EWOULDBLOCK && errno != EAGAIN)
                serverLog(LL_WARNING, "Accepting client connection: %s", err);
            return;
        }
        anetCloexec(cfd);
        serverLog(LL_VERBOSE, "Accepted connection to %s", server.unixsocket);
        acceptCommonHandler(cfd, CLIENT_UNIX_SOCKET, NULL);
    }
}

int clientIsLocal(client *c) {
    if (c->flags & CLIENT_UNIX_SOCKET) return 1;
    if (c->fd < 0) return 1;
    char ip[ANET_IP_STR_LEN];
    int port;
    if (anetFdToString(c->fd, ip, sizeof(ip), &port, ANET_FD_REMOTE) == -1) return 0;
    return anetIsLoopback(ip);
}

/* --- reading and parsing ---------------------------------------------- */

static void setProtocolError(client *c) {
    const char *err = c->parser.error ? c->parser.error : "Protocol error";
    if (server.verbosity <= LL_VERBOSE) {
        rstr info = catClientInfoString(rstrEmpty(), c);
        serverLog(LL_VERBOSE, "%s from client: %s", err, info);
        rstrFree(info);
    }
    /* The text may quote a client byte (expected '$', got '\r'): format it
     * through the path that turns CR/LF into spaces, or the error line itself
     * would break the reply stream. */
    addReplyErrorFormat(c, "%s", err);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

/* Stops reading from a client whose replies pile up unread (see top). */
static int pauseReadingIfBacklogged(client *c) {
    if (c->reply_bytes < CLIENT_OUTPUT_BACKPRESSURE) return 0;
    if (!(c->flags & CLIENT_READ_PAUSED)) {
        c->flags |= CLIENT_READ_PAUSED;
        aeDeleteFileEvent(server.el, c->fd, AE_READABLE);
    }
    return 1;
}

static void resumeReading(client *c) {
    if (!(c->flags & CLIENT_READ_PAUSED)) return;
    c->flags &= ~CLIENT_READ_PAUSED;
    if (c->fd != -1) aeCreateFileEvent(server.el, c->fd, AE_READABLE, readQueryFromClient, c);
}

void processInputBuffer(client *c) {
    respLimits lim;
    lim.max_bulk_len = server.proto_max_bulk_len;
    while (c->qb_pos < rstrLen(c->querybuf)) {
        if (c->flags & (CLIENT_BLOCKED | CLIENT_PAUSED)) break;
        if (c->flags & (CLIENT_CLOSE_AFTER_REPLY | CLIENT_CLOSE_ASAP)) break;
        if (c->fd != -1 && pauseReadingIfBacklogged(c)) break;
        lim.authenticated = !clientAuthRequired(c);
        int r = respParse(&c->parser, c->querybuf, rstrLen(c->querybuf), &c->qb_pos, &lim);
        if (r == RESP_PARSE_NEED_MORE) break;
        if (r == RESP_PARSE_ERR) {
            setProtocolError(c);
            break;
        }
        if (c->parser.argc == 0) {
            resetClient(c);
            continue;
        }
        c->argc = c->parser.argc;
        c->argv = c->parser.argv;
        c->argv_len_sum = c->parser.argv_len_sum;
        if (processCommand(c) == C_ERR) return; /* the client is gone */
        if (!(c->flags & (CLIENT_BLOCKED | CLIENT_PAUSED))) resetClient(c);
        if (server.current_client == NULL && (c->flags & CLIENT_CLOSE_ASAP)) break;
    }
    /* Drop the parsed prefix; keep only unparsed bytes. */
    if (c->qb_pos) {
        size_t left = rstrLen(c->querybuf) - c->qb_pos;
        if (left) memmove(c->querybuf, c->querybuf + c->qb_pos, left);
        rstrSetLen(c->querybuf, left);
        c->qb_pos = 0;
    }
}

static void readQueryFromClient(aeEventLoop *el, int fd, void *privdata, int mask) {
    (void)el;
    (void)mask;
    client *c = privdata;
    size_t readlen = PROTO_IOBUF_LEN;
    int big_arg = 0;
    /* A big bulk argument is read in one go into a buffer of its size, so the
     * query buffer grows once instead of doubling repeatedly. */
    if (c->parser.reqtype == RESP_REQ_MULTIBULK && c->parser.bulklen >= PROTO_MBULK_BIG_ARG) {
        size_t have = rstrLen(c->querybuf) - c->qb_pos;
        size_t need = (size_t)c->parser.bulklen + 2;
        if (need > have) readlen = need - have;
        if (readlen > 1024 * 1024 * 16) readlen = 1024 * 1024 * 16;
        big_arg = 1;
    }
    size_t qblen = rstrLen(c->querybuf);
    c->querybuf = rstrMakeRoomFor(c->querybuf, readlen);
    /* Otherwise take all the room the buffer has (helper 6): a pipeline
     * slightly over PROTO_IOBUF_LEN (16 x SET of 1 KB) then arrives in one
     * read(2) and is answered with one write, not split in two rounds. */
    if (!big_arg) readlen = rstrAvail(c->querybuf);
    ssize_t nread = read(fd, c->querybuf + qblen, readlen);
    if (nread == -1) {
        if (errno == EAGAIN || errno == EINTR) return;
        serverLog(LL_VERBOSE, "Reading from client: %s", strerror(errno));
        freeClient(c);
        return;
    }
    if (nread == 0) {
        serverLog(LL_VERBOSE, "Client closed connection");
        freeClient(c);
        return;
    }
    rstrIncrLen(c->querybuf, nread);
    if (rstrLen(c->querybuf) > c->querybuf_peak) c->querybuf_peak = rstrLen(c->querybuf);
    c->lastinteraction = server.unixtime;
    c->net_input_bytes += (unsigned long long)nread;
    server.stat_net_input_bytes += nread;
    server.stat_total_reads_processed++;
    if (rstrLen(c->querybuf) - c->qb_pos > server.client_max_querybuf_len) {
        rstr ci = catClientInfoString(rstrEmpty(), c);
        serverLog(LL_WARNING, "Closing client that reached max query buffer length: %s", ci);
        rstrFree(ci);
        server.stat_client_qbuf_limit_disconnections++;
        freeClientAsync(c);
        return;
    }
    processInputBuffer(c);
}

/* --- writing ---------------------------------------------------------- */

int clientHasPendingReplies(client *c) {
    return c->bufpos || listLength(c->reply);
}

void putClientInPendingWriteQueue(client *c) {
    if (c->flags & CLIENT_PENDING_WRITE) return;
    c->flags |= CLIENT_PENDING_WRITE;
    c->pending_write_node.value = c;
    listLinkNodeTail(server.clients_pending_write, &c->pending_write_node);
}

/* Writes as much as the socket takes.  Returns C_ERR if the client was
 * freed (write error, or everything sent with CLOSE_AFTER_REPLY). */
static int writeToClient(client *c, int handler_installed) {
    size_t totwritten = 0;
    /* buf only fills between writes, so its peak is seen here (rbp). */
    if (c->bufpos > c->buf_peak) c->buf_peak = c->bufpos;
    while (clientHasPendingReplies(c)) {
        struct iovec iov[IOV_BATCH];
        int iovcnt = 0;
        size_t want = 0;
        if (c->bufpos) {
            iov[iovcnt].iov_base = c->buf + c->sentlen;
            iov[iovcnt].iov_len = c->bufpos - c->sentlen;
            want += iov[iovcnt].iov_len;
            iovcnt++;
        }
        listIter li;
        listNode *ln;
        listRewind(c->reply, &li);
        size_t offset = c->bufpos ? 0 : c->sentlen;
        while ((ln = listNext(&li)) && iovcnt < IOV_BATCH) {
            clientReplyBlock *b = listNodeValue(ln);
            if (b->used == 0) {
                offset = 0;
                continue;
            }
            iov[iovcnt].iov_base = b->buf + offset;
            iov[iovcnt].iov_len = b->used - offset;
            want += iov[iovcnt].iov_len;
            iovcnt++;
            offset = 0;
        }
        if (iovcnt == 0) {
            /* Only empty placeholder blocks: drop them. */
            listEmpty(c->reply);
            c->reply_bytes = 0;
            c->sentlen = 0;
            break;
        }
        /* One chunk (the common small reply): write(2) is cheaper in the
         * kernel than a one-element writev. */
        ssize_t n = iovcnt == 1 ? write(c->fd, iov[0].iov_base, iov[0].iov_len)
                                : writev(c->fd, iov, iovcnt);
        if (n <= 0) {
            if (n == -1 && (errno == EAGAIN || errno == EINTR)) break;
            serverLog(LL_VERBOSE, "Error writing to client: %s", strerror(errno));
            freeClientAsync(c);
            return C_ERR;
        }
        totwritten += (size_t)n;
        size_t left = (size_t)n;
        if (c->bufpos) {
            size_t k = c->bufpos - c->sentlen;
            if (left >= k) {
                left -= k;
                c->bufpos = c->sentlen = 0;
            } else {
                c->sentlen += left;
                left = 0;
            }
        }
        while (left || (listLength(c->reply) && ((clientReplyBlock *)listNodeValue(listFirst(c->reply)))->used == 0)) {
            listNode *head = listFirst(c->reply);
            if (!head) break;
            clientReplyBlock *b = listNodeValue(head);
            size_t k = b->used - c->sentlen;
            if (left >= k) {
                left -= k;
                c->reply_bytes -= b->used;
                zfree(b);
                listDelNode(c->reply, head);
                c->sentlen = 0;
            } else {
                c->sentlen += left;
                left = 0;
            }
        }
        if ((size_t)n < want) break; /* the socket is full */
        /* Be fair to other clients: one big reply must not monopolise the
         * loop.  The rest goes out when the socket is writable again. */
        if (totwritten > NET_MAX_WRITES_PER_EVENT) break;
    }
    c->net_output_bytes += totwritten;
    server.stat_net_output_bytes += (long long)totwritten;
    if (totwritten) server.stat_total_writes_processed++;
    if (!clientHasPendingReplies(c)) {
        c->sentlen = 0;
        if (handler_installed) aeDeleteFileEvent(server.el, c->fd, AE_WRITABLE);
        if (c->flags & CLIENT_CLOSE_AFTER_REPLY) {
            freeClientAsync(c);
            return C_ERR;
        }
    }
    /* Backlog drained enough: read the pipeline again. */
    if ((c->flags & CLIENT_READ_PAUSED) && c->reply_bytes < CLIENT_OUTPUT_BACKPRESSURE / 2) {
        resumeReading(c);
        if (rstrLen(c->querybuf) > c->qb_pos && server.current_client == NULL) processInputBuffer(c);
    }
    return C_OK;
}

static void sendReplyToClient(aeEventLoop *el, int fd, void *privdata, int mask) {
    (void)el;
    (void)fd;
    (void)mask;
    writeToClient(privdata, 1);
}

int handleClientsWithPendingWrites(void) {
    int processed = 0;
    while (listLength(server.clients_pending_write)) {
        listNode *ln = listFirst(server.clients_pending_write);
        client *c = listNodeValue(ln);
        c->flags &= ~CLIENT_PENDING_WRITE;
        listUnlinkNode(server.clients_pending_write, ln);
        if (c->fd == -1 || (c->flags & CLIENT_CLOSE_ASAP)) continue;
        processed++;
        if (writeToClient(c, 0) == C_ERR) continue;
        if (clientHasPendingReplies(c) && !(aeGetFileEvents(server.el, c->fd) & AE_WRITABLE)) {
            if (aeCreateFileEvent(server.el, c->fd, AE_WRITABLE, sendReplyToClient, c) == AE_ERR)
                freeClientAsync(c);
        }
    }
    return processed;
}

/* --- output buffer limits --------------------------------------------- */

unsigned long getClientOutputBufferMemoryUsage(client *c) {
    return (unsigned long)(c->reply_bytes + sizeof(clientReplyBlock) * listLength(c->reply));
}

size_t getClientMemoryUsage(client *c, size_t *output_buffer_mem_usage) {
    size_t out = getClientOutputBufferMemoryUsage(c);
    if (output_buffer_mem_usage) *output_buffer_mem_usage = out;
    size_t mem = out + rstrAllocSize(c->querybuf) + sizeof(client);
    mem += c->argv_len_sum + sizeof(robj *) * (size_t)c->parser.argv_cap;
    if (c->name) mem += rstrAllocSize(c->name);
    /* Queued MULTI commands and WATCHed keys (multi-mem), and the client's
     * own subscription tables (channel names are shared, not counted). */
    if (multiMemOverhead) mem += multiMemOverhead(c);
    if (pubsubClientMemUsage) mem += pubsubClientMemUsage(c);
    return mem;
}

int getClientType(client *c) {
    if (c->flags & CLIENT_PUBSUB) return CLIENT_TYPE_PUBSUB;
    return CLIENT_TYPE_NORMAL;
}

int getClientTypeByName(const char *name) {
    if (!strcasecmp(name, "normal")) return CLIENT_TYPE_NORMAL;
    if (!strcasecmp(name, "slave") || !strcasecmp(name, "replica")) return CLIENT_TYPE_REPLICA;
    if (!strcasecmp(name, "pubsub")) return CLIENT_TYPE_PUBSUB;
    if (!strcasecmp(name, "master")) return CLIENT_TYPE_MASTER;
    return -1;
}

const char *getClientTypeName(int type) {
    switch (type) {
    case CLIENT_TYPE_NORMAL: return "normal";
    case CLIENT_TYPE_REPLICA: return "slave";
    case CLIENT_TYPE_PUBSUB: return "pubsub";
    case CLIENT_TYPE_MASTER: return "master";
    default: return NULL;
    }
}

/* Returns 1 when the client passed its class's hard limit, or stayed above
 * the soft limit for longer than allowed. */
int checkClientOutputBufferLimits(client *c) {
    int cls = getClientType(c);
    if (cls >= CLIENT_TYPE_OBUF_COUNT) return 0;
    unsigned long used = getClientOutputBufferMemoryUsage(c);
    const clientBufferLimitsConfig *lim = &server.client_obuf_limits[cls];
    int hard = lim->hard_limit_bytes && used >= lim->hard_limit_bytes;
    int soft = lim->soft_limit_bytes && used >= lim->soft_limit_bytes;
    if (soft) {
        if (c->obuf_soft_limit_reached_time == 0) {
            c->obuf_soft_limit_reached_time = server.unixtime;
            soft = 0;
        } else if (server.unixtime - c->obuf_soft_limit_reached_time <= lim->soft_limit_seconds) {
            soft = 0;
        }
    } else {
        c->obuf_soft_limit_reached_time = 0;
    }
    return hard || soft;
}

void closeClientOnOutputBufferLimitReached(client *c) {
    if (c->fd == -1 || (c->flags & CLIENT_CLOSE_ASAP)) return;
    rstr ci = catClientInfoString(rstrEmpty(), c);
    serverLog(LL_WARNING, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.",
              ci);
    rstrFree(ci);
    server.stat_client_outbuf_limit_disconnections++;
    /* No more output: the pending replies are dropped with the client. */
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
    freeClientAsync(c);
}

/* CLIENT LIST / CLIENT INFO text: catClientInfoString and
 * getAllClientsInfoString live in client_command.c. */

client *lookupClientByID(uint64_t id) {
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li))) {
        client *c = listNodeValue(ln);
        if (c->id == id) return c;
    }
    return NULL;
}

/* --- client pause ----------------------------------------------------- */

void pauseClients(int type, long long end_ms) {
    /* A new pause never shortens or weakens one in force (Redis rule). */
    if (type > server.client_pause_type) server.client_pause_type = type;
    if (end_ms > server.client_pause_end_time) server.client_pause_end_time = end_ms;
}

void unpauseClients(void) {
    server.client_pause_type = 0;
    server.client_pause_end_time = 0;
    /* Paused clients are re-run from beforeSleep, not from inside the command
     * that unpaused them. */
}

int areClientsPaused(void) {
    return server.client_pause_type != 0;
}

int checkClientPauseTimeoutAndReturnIfPaused(void) {
    if (!areClientsPaused()) return 0;
    if (server.client_pause_end_time < server.mstime) {
        unpauseClients();
        return 0;
    }
    return 1;
}

void processPendingInputOfUnpausedClients(void) {
    if (areClientsPaused() || listLength(server.clients_waiting_unpause) == 0) return;
    list *waiting = server.clients_waiting_unpause;
    server.clients_waiting_unpause = listCreate();
    listIter li;
    listNode *ln;
    listRewind(waiting, &li);
    while ((ln = listNext(&li))) {
        client *c = listNodeValue(ln);
        c->flags &= ~CLIENT_PAUSED;
        if (c->flags & CLIENT_CLOSE_ASAP) continue; /* killed while held */
        /* The held command runs now, then the rest of the pipeline. */
        if (c->argc > 0) {
            if (processCommand(c) == C_ERR) continue;
            if (!(c->flags & (CLIENT_BLOCKED | CLIENT_PAUSED))) resetClient(c);
        }
        if (!(c->flags & (CLIENT_PAUSED | CLIENT_BLOCKED | CLIENT_CLOSE_ASAP))) processInputBuffer(c);
    }
    listRelease(waiting);
}

/* --- cron ------------------------------------------------------------- */

/* Closes idle clients (timeout) and returns memory of idle query buffers.
 * Visits a slice of the clients per call so the cost stays flat with 10k
 * connections. */
void clientsCron(void) {
    unsigned long numclients = listLength(server.clients);
    unsigned long iterations = numclients / (unsigned long)(server.hz ? server.hz : 10);
    if (iterations < 50) iterations = numclients < 50 ? numclients : 50;
    while (listLength(server.clients) && iterations--) {
        listRotateHeadToTail(server.clients);
        client *c = listNodeValue(listLast(server.clients));
        c->client_list_node = listLast(server.clients);
        /* Monitors only read, and never time out (replicas to Redis). */
        if (server.maxidletime && !(c->flags & (CLIENT_BLOCKED | CLIENT_PUBSUB | CLIENT_MONITOR)) &&
            server.unixtime - c->lastinteraction > server.maxidletime) {
            serverLog(LL_VERBOSE, "Closing idle client");
            freeClientAsync(c);
            continue;
        }
        /* An idle client keeps a small query buffer only. */
        if (rstrLen(c->querybuf) == 0 && rstrAllocSize(c->querybuf) > 32 * 1024 &&
            server.unixtime - c->lastinteraction > 2) {
            rstrFree(c->querybuf);
            c->querybuf = rstrEmpty();
        }
        if (checkClientOutputBufferLimits(c)) closeClientOnOutputBufferLimitReached(c);
        /* rbp: restart the reply buffer's peak now and then, so it tells
         * what the client needs lately rather than ever. */
        if (server.mstime - c->buf_peak_reset >= CLIENT_BUF_PEAK_RESET_MS) {
            c->buf_peak = c->bufpos;
            c->buf_peak_reset = server.mstime;
        }
    }
}

void rewriteClientCommandArgument(client *c, int i, robj *newval) {
    if (i >= c->argc) return;
    decrRefCount(c->argv[i]);
    c->argv[i] = newval;
    incrRefCount(newval);
}

void replaceClientCommandVector(client *c, int argc, robj **argv) {
    freeClientArgv(c);
    c->parser.argv = argv;
    c->parser.argv_cap = argc;
    c->parser.argc = argc;
    c->argv = argv;
    c->argc = argc;
}
