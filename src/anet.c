/* anet.c -- socket syscalls with the error handling done once.
 *
 * Every socket the server owns is made here: listening TCP/Unix sockets,
 * accepted connections, and the blocking client connection the tests use.
 * The rules, applied everywhere so callers need not remember them:
 *   - errno is the result: a failing function returns ANET_ERR with errno
 *     as the failing syscall left it (getaddrinfo codes are mapped to the
 *     nearest errno), and only describes it in err[] when err is not NULL;
 *   - EINTR is retried (for connect, by waiting for the connection that
 *     the interrupted call already started);
 *   - sockets are created close-on-exec, atomically where the platform can
 *     (SOCK_CLOEXEC, accept4), so a forked child that execs leaks nothing;
 *   - server-side sockets are non-blocking, since only the event loop reads
 *     and writes them.
 * No function here knows about the server or logs anything. */
#include "anet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__)
#define ANET_HAVE_ACCEPT4 1
#endif

__attribute__((format(printf, 2, 3))) static void anetSetError(char *err, const char *fmt, ...) {
    if (err == NULL) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, ANET_ERR_LEN, fmt, ap);
    va_end(ap);
}

/* Sets errno to `e` and describes the failure of `what` in err[]. */
static int anetFail(char *err, const char *what, int e) {
    anetSetError(err, "%s: %s", what, strerror(e));
    errno = e;
    return ANET_ERR;
}

/* Closes fd without letting close() disturb the errno being reported. */
static void anetCloseKeepErrno(int fd) {
    int saved = errno;
    close(fd);
    errno = saved;
}

/* ----------------------------- Socket flags ------------------------------ */

static int anetSetBlock(char *err, int fd, int nonblock) {
    int flags;
    if ((flags = fcntl(fd, F_GETFL)) == -1) return anetFail(err, "fcntl(F_GETFL)", errno);
    int want = nonblock ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    if (want == flags) return ANET_OK;
    if (fcntl(fd, F_SETFL, want) == -1) return anetFail(err, "fcntl(F_SETFL,O_NONBLOCK)", errno);
    return ANET_OK;
}

int anetNonBlock(char *err, int fd) {
    return anetSetBlock(err, fd, 1);
}

int anetBlock(char *err, int fd) {
    return anetSetBlock(err, fd, 0);
}

int anetCloexec(int fd) {
    int flags, r;
    do {
        flags = fcntl(fd, F_GETFD);
    } while (flags == -1 && errno == EINTR);
    if (flags == -1) return ANET_ERR;
    if (flags & FD_CLOEXEC) return ANET_OK;
    do {
        r = fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    } while (r == -1 && errno == EINTR);
    return r == -1 ? ANET_ERR : ANET_OK;
}

static int anetSetIntOpt(char *err, int fd, int level, int opt, int val, const char *what) {
    if (setsockopt(fd, level, opt, &val, sizeof(val)) == -1) return anetFail(err, what, errno);
    return ANET_OK;
}

int anetEnableTcpNoDelay(char *err, int fd) {
    return anetSetIntOpt(err, fd, IPPROTO_TCP, TCP_NODELAY, 1, "setsockopt(TCP_NODELAY)");
}

int anetDisableTcpNoDelay(char *err, int fd) {
    return anetSetIntOpt(err, fd, IPPROTO_TCP, TCP_NODELAY, 0, "setsockopt(TCP_NODELAY)");
}

int anetSetSendBuffer(char *err, int fd, int buffsize) {
    return anetSetIntOpt(err, fd, SOL_SOCKET, SO_SNDBUF, buffsize, "setsockopt(SO_SNDBUF)");
}

int anetKeepAlive(char *err, int fd, int interval) {
    if (anetSetIntOpt(err, fd, SOL_SOCKET, SO_KEEPALIVE, 1, "setsockopt(SO_KEEPALIVE)") == ANET_ERR)
        return ANET_ERR;
    if (interval <= 0) return ANET_OK;
    int probeEvery = interval / 3 > 0 ? interval / 3 : 1;
#if defined(TCP_KEEPIDLE)
    if (anetSetIntOpt(err, fd, IPPROTO_TCP, TCP_KEEPIDLE, interval, "setsockopt(TCP_KEEPIDLE)") == ANET_ERR)
        return ANET_ERR;
#elif defined(TCP_KEEPALIVE) /* macOS spells the idle time this way */
    if (anetSetIntOpt(err, fd, IPPROTO_TCP, TCP_KEEPALIVE, interval, "setsockopt(TCP_KEEPALIVE)") == ANET_ERR)
        return ANET_ERR;
#endif
#if defined(TCP_KEEPINTVL)
    if (anetSetIntOpt(err, fd, IPPROTO_TCP, TCP_KEEPINTVL, probeEvery, "setsockopt(TCP_KEEPINTVL)") == ANET_ERR)
        return ANET_ERR;
#endif
#if defined(TCP_KEEPCNT)
    if (anetSetIntOpt(err, fd, IPPROTO_TCP, TCP_KEEPCNT, 3, "setsockopt(TCP_KEEPCNT)") == ANET_ERR)
        return ANET_ERR;
#endif
    (void)probeEvery;
    return ANET_OK;
}

/* --------------------------- Creating sockets ---------------------------- */

/* socket() that is close-on-exec from birth where the platform allows, so
 * no fork+exec in another thread can catch it half-made. */
static int anetSocket(char *err, int family, int type) {
    int fd;
#ifdef SOCK_CLOEXEC
    fd = socket(family, type | SOCK_CLOEXEC, 0);
#else
    fd = socket(family, type, 0);
    if (fd != -1 && anetCloexec(fd) == ANET_ERR) {
        int e = errno;
        close(fd);
        return anetFail(err, "fcntl(FD_CLOEXEC)", e);
    }
#endif
    if (fd == -1) return anetFail(err, "socket", errno);
    return fd;
}

/* Maps a getaddrinfo() failure to the errno it most resembles, so that
 * callers can keep treating errno as the answer. */
static int anetGaiErrno(int rc) {
    switch (rc) {
    case EAI_SYSTEM: return errno;
    case EAI_FAMILY: return EAFNOSUPPORT;
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY: return EADDRNOTAVAIL;
#endif
#ifdef EAI_NODATA
    case EAI_NODATA: return EADDRNOTAVAIL;
#endif
    case EAI_NONAME: return EADDRNOTAVAIL;
    case EAI_AGAIN: return EAGAIN;
    case EAI_MEMORY: return ENOMEM;
    default: return EINVAL;
    }
}

static int anetListen(char *err, int fd, const struct sockaddr *sa, socklen_t len, int backlog) {
    if (bind(fd, sa, len) == -1) return anetFail(err, "bind", errno);
    if (listen(fd, backlog) == -1) return anetFail(err, "listen", errno);
    return ANET_OK;
}

int anetBindAddrIsOptional(const char *addr, const char **stripped) {
    int optional = addr != NULL && addr[0] == '-';
    if (stripped) *stripped = optional ? addr + 1 : addr;
    return optional;
}

int anetTcpServer(char *err, int port, const char *bindaddr, int backlog) {
    char portstr[16];
    struct addrinfo hints, *servinfo = NULL, *p;
    int rc, fd = ANET_ERR, lastErrno = EADDRNOTAVAIL;
    char lastErr[ANET_ERR_LEN] = "";

    anetBindAddrIsOptional(bindaddr, &bindaddr);
    int af = (bindaddr && strchr(bindaddr, ':')) ? AF_INET6 : AF_INET;
    if (bindaddr && (strcmp(bindaddr, "*") == 0 || strcmp(bindaddr, "::*") == 0)) bindaddr = NULL;
    if (port < 0 || port > 65535) return anetFail(err, "anetTcpServer: port", EINVAL);

    snprintf(portstr, sizeof(portstr), "%d", port);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = af;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE; /* NULL host: the wildcard address */
    if ((rc = getaddrinfo(bindaddr, portstr, &hints, &servinfo)) != 0) {
        int e = anetGaiErrno(rc);
        anetSetError(err, "getaddrinfo(%s): %s", bindaddr ? bindaddr : "*", gai_strerror(rc));
        errno = e;
        return ANET_ERR;
    }

    /* A name may resolve to several addresses: the first that binds wins. */
    for (p = servinfo; p != NULL; p = p->ai_next) {
        fd = anetSocket(lastErr, p->ai_family, p->ai_socktype);
        if (fd == ANET_ERR) {
            lastErrno = errno;
            continue;
        }
        /* Restarts must not wait out TIME_WAIT connections on the port. */
        if (anetSetIntOpt(lastErr, fd, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)") == ANET_ERR ||
            (p->ai_family == AF_INET6 &&
             anetSetIntOpt(lastErr, fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "setsockopt(IPV6_V6ONLY)") == ANET_ERR) ||
            anetListen(lastErr, fd, p->ai_addr, p->ai_addrlen, backlog) == ANET_ERR ||
            anetNonBlock(lastErr, fd) == ANET_ERR) {
            lastErrno = errno;
            close(fd);
            fd = ANET_ERR;
            continue;
        }
        break;
    }
    freeaddrinfo(servinfo);
    if (fd == ANET_ERR) {
        if (err) snprintf(err, ANET_ERR_LEN, "%s", lastErr[0] ? lastErr : "no address to bind");
        errno = lastErrno;
    }
    return fd;
}

int anetUnixServer(char *err, const char *path, unsigned int perm, int backlog) {
    struct sockaddr_un sa;
    if (strlen(path) >= sizeof(sa.sun_path))
        return anetFail(err, "anetUnixServer: path too long", ENAMETOOLONG);

    int fd = anetSocket(err, AF_UNIX, SOCK_STREAM);
    if (fd == ANET_ERR) return ANET_ERR;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    if (anetListen(err, fd, (struct sockaddr *)&sa, sizeof(sa), backlog) == ANET_ERR ||
        anetNonBlock(err, fd) == ANET_ERR) {
        anetCloseKeepErrno(fd);
        return ANET_ERR;
    }
    if (perm && chmod(path, (mode_t)perm) == -1) {
        anetFail(err, "chmod", errno);
        anetCloseKeepErrno(fd);
        return ANET_ERR;
    }
    return fd;
}

/* ------------------------------- Accepting ------------------------------- */

/* accept() retrying EINTR; the new fd is non-blocking and close-on-exec. */
static int anetGenericAccept(char *err, int s, struct sockaddr *sa, socklen_t *len) {
    int fd;
    do {
#ifdef ANET_HAVE_ACCEPT4
        fd = accept4(s, sa, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
        fd = accept(s, sa, len);
#endif
    } while (fd == -1 && errno == EINTR);
    if (fd == -1) return anetFail(err, "accept", errno);
#ifndef ANET_HAVE_ACCEPT4
    if (anetCloexec(fd) == ANET_ERR || anetNonBlock(err, fd) == ANET_ERR) {
        anetCloseKeepErrno(fd);
        return ANET_ERR;
    }
#endif
    return fd;
}

/* Renders an AF_INET/AF_INET6 address; ip and port may be NULL. */
static int anetSockaddrToString(const struct sockaddr_storage *ss, char *ip, size_t iplen, int *port) {
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)ss;
        if (ip && inet_ntop(AF_INET, &s->sin_addr, ip, (socklen_t)iplen) == NULL) return ANET_ERR;
        if (port) *port = ntohs(s->sin_port);
        return ANET_OK;
    }
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;
        if (ip && inet_ntop(AF_INET6, &s->sin6_addr, ip, (socklen_t)iplen) == NULL) return ANET_ERR;
        if (port) *port = ntohs(s->sin6_port);
        return ANET_OK;
    }
    errno = EAFNOSUPPORT;
    return ANET_ERR;
}

int anetTcpAccept(char *err, int serversock, char *ip, size_t iplen, int *port) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int fd = anetGenericAccept(err, serversock, (struct sockaddr *)&ss, &len);
    if (fd == ANET_ERR) return ANET_ERR;
    if (anetSockaddrToString(&ss, ip, iplen, port) == ANET_ERR) {
        anetFail(err, "anetTcpAccept: peer address", errno);
        anetCloseKeepErrno(fd);
        return ANET_ERR;
    }
    return fd;
}

int anetUnixAccept(char *err, int serversock) {
    struct sockaddr_un sa;
    socklen_t len = sizeof(sa);
    return anetGenericAccept(err, serversock, (struct sockaddr *)&sa, &len);
}

/* ------------------------------ Connecting ------------------------------- */

/* After an interrupted connect() the kernel goes on connecting: wait for it
 * and fetch the outcome instead of calling connect() again (EALREADY). */
static int anetFinishConnect(int fd) {
    struct pollfd pfd = {.fd = fd, .events = POLLOUT, .revents = 0};
    int r, soerr = 0;
    socklen_t len = sizeof(soerr);
    do {
        r = poll(&pfd, 1, -1);
    } while (r == -1 && errno == EINTR);
    if (r == -1) return -1;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1) return -1;
    if (soerr) {
        errno = soerr;
        return -1;
    }
    return 0;
}

int anetTcpConnect(char *err, const char *addr, int port) {
    char portstr[16];
    struct addrinfo hints, *servinfo = NULL, *p;
    int rc, fd = ANET_ERR, lastErrno = ECONNREFUSED;
    char lastErr[ANET_ERR_LEN] = "";

    if (port <= 0 || port > 65535) return anetFail(err, "anetTcpConnect: port", EINVAL);
    snprintf(portstr, sizeof(portstr), "%d", port);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if ((rc = getaddrinfo(addr, portstr, &hints, &servinfo)) != 0) {
        int e = anetGaiErrno(rc);
        anetSetError(err, "getaddrinfo(%s): %s", addr, gai_strerror(rc));
        errno = e;
        return ANET_ERR;
    }
    for (p = servinfo; p != NULL; p = p->ai_next) {
        fd = anetSocket(lastErr, p->ai_family, p->ai_socktype);
        if (fd == ANET_ERR) {
            lastErrno = errno;
            continue;
        }
        if (connect(fd, p->ai_addr, p->ai_addrlen) == 0 ||
            (errno == EINTR && anetFinishConnect(fd) == 0))
            break;
        lastErrno = errno;
        anetSetError(lastErr, "connect: %s", strerror(errno));
        close(fd);
        fd = ANET_ERR;
    }
    freeaddrinfo(servinfo);
    if (fd == ANET_ERR) {
        if (err) snprintf(err, ANET_ERR_LEN, "%s", lastErr[0] ? lastErr : "no address to connect to");
        errno = lastErrno;
    }
    return fd;
}

/* ------------------------------- Addresses ------------------------------- */

/* Copies the path of a Unix socket address (it need not be NUL-terminated
 * when it fills sun_path).  Returns its length. */
static size_t anetUnixPath(const struct sockaddr_storage *ss, socklen_t len, char *out, size_t outlen) {
    const struct sockaddr_un *su = (const struct sockaddr_un *)ss;
    size_t off = offsetof(struct sockaddr_un, sun_path);
    size_t n = len > off ? (size_t)len - off : 0;
    if (n > sizeof(su->sun_path)) n = sizeof(su->sun_path);
    n = strnlen(su->sun_path, n);
    if (out && outlen) {
        size_t c = n < outlen - 1 ? n : outlen - 1;
        memcpy(out, su->sun_path, c);
        out[c] = '\0';
    }
    return n;
}

int anetFdToString(int fd, char *ip, size_t iplen, int *port, int remote) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    memset(&ss, 0, sizeof(ss));
    int r = remote ? getpeername(fd, (struct sockaddr *)&ss, &len) : getsockname(fd, (struct sockaddr *)&ss, &len);
    if (r == -1) return ANET_ERR;

    if (ss.ss_family == AF_UNIX) {
        /* A connecting client is usually unnamed: name the connection by
         * the path it came in through instead. */
        if (anetUnixPath(&ss, len, ip, iplen) == 0 && remote) {
            len = sizeof(ss);
            memset(&ss, 0, sizeof(ss));
            if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) anetUnixPath(&ss, len, ip, iplen);
        }
        if (port) *port = 0;
        return ANET_OK;
    }
    return anetSockaddrToString(&ss, ip, iplen, port);
}

int anetFormatAddr(char *buf, size_t buflen, const char *ip, int port) {
    return snprintf(buf, buflen, strchr(ip, ':') ? "[%s]:%d" : "%s:%d", ip, port);
}

int anetIsLoopback(const char *ip) {
    struct in_addr a4;
    struct in6_addr a6;
    if (ip == NULL) return 0;
    if (inet_pton(AF_INET, ip, &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, ip, &a6) == 1) {
        if (IN6_IS_ADDR_LOOPBACK(&a6)) return 1;
        return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
    }
    return 0;
}
