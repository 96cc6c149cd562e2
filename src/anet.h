/* anet.h -- socket syscalls with the error handling done once.
 *
 * No server knowledge: every function takes fds, addresses and numbers, and
 * reports failures as ANET_ERR with errno left as the syscall set it (the
 * source of truth: callers test EAGAIN, EADDRNOTAVAIL, ...) plus, when `err`
 * is not NULL, a "what: why" message in the caller's err[ANET_ERR_LEN] for
 * the caller to log or not.  EINTR is retried inside. */
#ifndef RINGKV_ANET_H
#define RINGKV_ANET_H

#include <stddef.h>

#define ANET_OK 0
#define ANET_ERR -1
#define ANET_ERR_LEN 256

/* anetFdToString() `remote` argument. */
#define ANET_FD_LOCAL 0  /* the fd's own address (getsockname) */
#define ANET_FD_REMOTE 1 /* the peer's address (getpeername) */

/* Enough for any textual IPv6 address (INET6_ADDRSTRLEN) and the port. */
#define ANET_IP_STR_LEN 46
#define ANET_ADDR_STR_LEN (ANET_IP_STR_LEN + 8)

/* Returns a listening TCP socket bound to bindaddr:port, or ANET_ERR.
 * The family follows the address: anything with a ':' is IPv6 (and gets
 * IPV6_V6ONLY, so "::" does not also take the IPv4 port), else IPv4.
 * "*" means every IPv4 address, "::*" every IPv6 address, NULL is "*";
 * host names are resolved.  A leading '-' (see anetBindAddrIsOptional) is
 * ignored here.  port 0 picks a free port (read it with anetFdToString).
 * The socket has SO_REUSEADDR and is non-blocking and close-on-exec.
 * On failure errno is kept: EADDRNOTAVAIL / EAFNOSUPPORT mean the address
 * or family does not exist on this host, EADDRINUSE the port is taken. */
int anetTcpServer(char *err, int port, const char *bindaddr, int backlog);
/* Returns 1 if addr starts with '-' ("bind if you can": a missing address
 * or address family is not an error), else 0.  *stripped (if not NULL) is
 * set to addr without the '-'.  Typical use:
 *     optional = anetBindAddrIsOptional(addr, &a);
 *     fd = anetTcpServer(err, port, a, backlog);
 *     if (fd == ANET_ERR && optional &&
 *         (errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT)) skip it. */
int anetBindAddrIsOptional(const char *addr, const char **stripped);
/* Returns a listening Unix socket at path (which must not exist: removing
 * a stale one is the caller's decision), chmod'ed to perm unless perm is
 * 0; non-blocking and close-on-exec.  ENAMETOOLONG if path does not fit. */
int anetUnixServer(char *err, const char *path, unsigned int perm, int backlog);

/* Accepts one connection; returns the new fd (non-blocking, close-on-exec)
 * or ANET_ERR, with errno EAGAIN/EWOULDBLOCK when nothing is pending.
 * ip (iplen bytes, ANET_IP_STR_LEN is enough) and port receive the peer's
 * address; either may be NULL. */
int anetTcpAccept(char *err, int serversock, char *ip, size_t iplen, int *port);
int anetUnixAccept(char *err, int serversock);

/* Connects to addr:port (numeric address or host name), waiting for the
 * connection: for tests and tools, not for the event loop.  Returns a
 * blocking, close-on-exec fd or ANET_ERR. */
int anetTcpConnect(char *err, const char *addr, int port);

int anetNonBlock(char *err, int fd);
int anetBlock(char *err, int fd);
/* No err buffer: used right after socket()/accept(), where only errno
 * matters. */
int anetCloexec(int fd);
int anetEnableTcpNoDelay(char *err, int fd);
int anetDisableTcpNoDelay(char *err, int fd);
/* Turns on TCP keepalive: the first probe after `interval` seconds idle,
 * then every interval/3 seconds, dropping the peer after 3 unanswered ones
 * (so a dead peer is noticed in about 2 * interval).  Where the platform
 * lacks the per-socket knobs, only SO_KEEPALIVE is set. */
int anetKeepAlive(char *err, int fd, int interval);
int anetSetSendBuffer(char *err, int fd, int buffsize);

/* Puts the address of fd (ANET_FD_LOCAL or ANET_FD_REMOTE) into ip and
 * port (either may be NULL).  For a Unix socket ip receives the socket's
 * path (the listening path, for an accepted socket whose peer is unnamed)
 * and port is 0.  Returns ANET_OK or ANET_ERR (e.g. ENOTCONN). */
int anetFdToString(int fd, char *ip, size_t iplen, int *port, int remote);
/* Writes "ip:port", or "[ip]:port" when ip is IPv6, into buf.  Returns what
 * snprintf returns (a value >= buflen means it was truncated). */
int anetFormatAddr(char *buf, size_t buflen, const char *ip, int port);
/* 1 if ip is a loopback address (127.0.0.0/8, ::1, ::ffff:127.x.x.x),
 * else 0 (also for anything that is not an address). */
int anetIsLoopback(const char *ip);

#endif
