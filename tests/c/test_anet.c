/* test_anet.c -- anet against real loopback sockets.
 *
 * Servers listen on port 0 (the kernel picks a free port, read back with
 * anetFdToString), so tests never collide with a running server or with
 * each other.  IPv6 tests skip themselves when the host has no ::1. */
#include "../../src/anet.h"
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int isNonBlocking(int fd) {
    return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0;
}

static int isCloexec(int fd) {
    return (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

/* Waits for a pending connection, since the listener is non-blocking. */
static void waitReadable(int fd) {
    struct pollfd pfd = {.fd = fd, .events = POLLIN, .revents = 0};
    poll(&pfd, 1, 2000);
}

/* Listens on addr:0, connects, accepts; checks both ends' addresses. */
static void roundTrip(const char *addr, const char *expectIp) {
    char err[ANET_ERR_LEN] = "";
    char ip[ANET_IP_STR_LEN], peerIp[ANET_IP_STR_LEN];
    int port = -1, peerPort = -1, lport = -1;

    int s = anetTcpServer(err, 0, addr, 16);
    TEST_ASSERT(s >= 0);
    if (s < 0) {
        fprintf(stderr, "  anetTcpServer(%s): %s\n", addr, err);
        return;
    }
    TEST_ASSERT(isNonBlocking(s));
    TEST_ASSERT(isCloexec(s));
    TEST_ASSERT_EQ(anetFdToString(s, ip, sizeof(ip), &port, ANET_FD_LOCAL), ANET_OK);
    TEST_ASSERT(strcmp(ip, expectIp) == 0);
    TEST_ASSERT(port > 0);

    /* Nothing pending yet: EAGAIN, not a hang. */
    errno = 0;
    TEST_ASSERT_EQ(anetTcpAccept(err, s, peerIp, sizeof(peerIp), &peerPort), ANET_ERR);
    TEST_ASSERT(errno == EAGAIN || errno == EWOULDBLOCK);

    int c = anetTcpConnect(err, expectIp, port);
    TEST_ASSERT(c >= 0);
    TEST_ASSERT(!isNonBlocking(c));
    TEST_ASSERT(isCloexec(c));
    waitReadable(s);
    int a = anetTcpAccept(err, s, peerIp, sizeof(peerIp), &peerPort);
    TEST_ASSERT(a >= 0);
    TEST_ASSERT(strcmp(peerIp, expectIp) == 0);
    TEST_ASSERT(isNonBlocking(a));
    TEST_ASSERT(isCloexec(a));

    /* The accepted peer port is the client's local port. */
    TEST_ASSERT_EQ(anetFdToString(c, ip, sizeof(ip), &lport, ANET_FD_LOCAL), ANET_OK);
    TEST_ASSERT_EQ(lport, peerPort);
    TEST_ASSERT_EQ(anetFdToString(a, ip, sizeof(ip), &lport, ANET_FD_REMOTE), ANET_OK);
    TEST_ASSERT_EQ(lport, peerPort);
    TEST_ASSERT_EQ(anetFdToString(c, ip, sizeof(ip), &lport, ANET_FD_REMOTE), ANET_OK);
    TEST_ASSERT_EQ(lport, port);
    TEST_ASSERT(anetIsLoopback(ip));

    /* Bytes flow both ways. */
    char buf[8] = {0};
    TEST_ASSERT_EQ(write(c, "ping", 4), 4);
    struct pollfd pfd = {.fd = a, .events = POLLIN, .revents = 0};
    poll(&pfd, 1, 2000);
    TEST_ASSERT_EQ(read(a, buf, sizeof(buf)), 4);
    TEST_ASSERT(memcmp(buf, "ping", 4) == 0);

    /* Socket options on a live TCP connection. */
    TEST_ASSERT_EQ(anetEnableTcpNoDelay(err, a), ANET_OK);
    int v = 0;
    socklen_t vl = sizeof(v);
    getsockopt(a, IPPROTO_TCP, TCP_NODELAY, &v, &vl);
    TEST_ASSERT(v != 0);
    TEST_ASSERT_EQ(anetDisableTcpNoDelay(err, a), ANET_OK);
    getsockopt(a, IPPROTO_TCP, TCP_NODELAY, &v, &vl);
    TEST_ASSERT_EQ(v, 0);
    TEST_ASSERT_EQ(anetKeepAlive(err, a, 300), ANET_OK);
    getsockopt(a, SOL_SOCKET, SO_KEEPALIVE, &v, &vl);
    TEST_ASSERT(v != 0);
#ifdef TCP_KEEPIDLE
    getsockopt(a, IPPROTO_TCP, TCP_KEEPIDLE, &v, &vl);
    TEST_ASSERT_EQ(v, 300);
    getsockopt(a, IPPROTO_TCP, TCP_KEEPINTVL, &v, &vl);
    TEST_ASSERT_EQ(v, 100);
    getsockopt(a, IPPROTO_TCP, TCP_KEEPCNT, &v, &vl);
    TEST_ASSERT_EQ(v, 3);
#endif
    TEST_ASSERT_EQ(anetSetSendBuffer(err, a, 65536), ANET_OK);
    TEST_ASSERT_EQ(anetBlock(err, a), ANET_OK);
    TEST_ASSERT(!isNonBlocking(a));
    TEST_ASSERT_EQ(anetNonBlock(err, a), ANET_OK);
    TEST_ASSERT(isNonBlocking(a));

    /* Port in use: EADDRINUSE, the message filled in. */
    err[0] = '\0';
    errno = 0;
    TEST_ASSERT_EQ(anetTcpServer(err, port, addr, 16), ANET_ERR);
    TEST_ASSERT_EQ(errno, EADDRINUSE);
    TEST_ASSERT(strstr(err, "bind") != NULL);

    close(a);
    close(c);
    close(s);
}

static void testTcpIpv4(void) {
    roundTrip("127.0.0.1", "127.0.0.1");
}

/* Optional bind, as "-::1" in a config would ask. */
static void testTcpIpv6(void) {
    char err[ANET_ERR_LEN];
    const char *addr;
    TEST_ASSERT_EQ(anetBindAddrIsOptional("-::1", &addr), 1);
    TEST_ASSERT(strcmp(addr, "::1") == 0);
    int s = anetTcpServer(err, 0, addr, 16);
    if (s == ANET_ERR) {
        TEST_ASSERT(errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT);
        printf("  skipped: no IPv6 loopback here (%s)\n", err);
        return;
    }
    close(s);
    roundTrip("::1", "::1");
    /* The '-' prefix is also accepted by anetTcpServer itself. */
    s = anetTcpServer(err, 0, "-::1", 16);
    TEST_ASSERT(s >= 0);
    if (s >= 0) close(s);
}

static void testWildcards(void) {
    char err[ANET_ERR_LEN], ip[ANET_IP_STR_LEN];
    int port;
    int s = anetTcpServer(err, 0, "*", 16);
    TEST_ASSERT(s >= 0);
    TEST_ASSERT_EQ(anetFdToString(s, ip, sizeof(ip), &port, ANET_FD_LOCAL), ANET_OK);
    TEST_ASSERT(strcmp(ip, "0.0.0.0") == 0);
    /* A wildcard listener is reachable over loopback. */
    int c = anetTcpConnect(err, "127.0.0.1", port);
    TEST_ASSERT(c >= 0);
    if (c >= 0) close(c);
    close(s);

    s = anetTcpServer(err, 0, NULL, 16);
    TEST_ASSERT(s >= 0);
    if (s >= 0) close(s);
    s = anetTcpServer(err, 0, "0.0.0.0", 16);
    TEST_ASSERT(s >= 0);
    if (s >= 0) close(s);

    s = anetTcpServer(err, 0, "::", 16);
    if (s >= 0) {
        TEST_ASSERT_EQ(anetFdToString(s, ip, sizeof(ip), &port, ANET_FD_LOCAL), ANET_OK);
        TEST_ASSERT(strcmp(ip, "::") == 0);
        /* IPV6_V6ONLY: the same port stays free for IPv4. */
        int s4 = anetTcpServer(err, port, "0.0.0.0", 16);
        TEST_ASSERT(s4 >= 0);
        if (s4 >= 0) close(s4);
        int v6only = 0;
        socklen_t vl = sizeof(v6only);
        getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &vl);
        TEST_ASSERT(v6only);
        close(s);
        s = anetTcpServer(err, 0, "::*", 16);
        TEST_ASSERT(s >= 0);
        if (s >= 0) close(s);
    } else {
        printf("  skipped IPv6 wildcard: %s\n", err);
    }
}

static void testBindErrors(void) {
    char err[ANET_ERR_LEN];
    /* 192.0.2.1 (TEST-NET-1) is nobody's address: not available here. */
    errno = 0;
    err[0] = '\0';
    TEST_ASSERT_EQ(anetTcpServer(err, 0, "192.0.2.1", 16), ANET_ERR);
    TEST_ASSERT_EQ(errno, EADDRNOTAVAIL);
    TEST_ASSERT(err[0] != '\0');
    const char *addr;
    TEST_ASSERT_EQ(anetBindAddrIsOptional("-192.0.2.1", &addr), 1);
    TEST_ASSERT(strcmp(addr, "192.0.2.1") == 0);
    TEST_ASSERT_EQ(anetBindAddrIsOptional("127.0.0.1", &addr), 0);
    TEST_ASSERT(strcmp(addr, "127.0.0.1") == 0);
    TEST_ASSERT_EQ(anetBindAddrIsOptional("-x", NULL), 1);
    /* A NULL err buffer is allowed everywhere. */
    TEST_ASSERT_EQ(anetTcpServer(NULL, 0, "192.0.2.1", 16), ANET_ERR);
    TEST_ASSERT_EQ(anetTcpServer(NULL, 70000, "127.0.0.1", 16), ANET_ERR);
    TEST_ASSERT_EQ(anetTcpServer(err, 0, "not an address!", 16), ANET_ERR);
    TEST_ASSERT_EQ(anetNonBlock(NULL, -1), ANET_ERR);
    TEST_ASSERT_EQ(errno, EBADF);
    TEST_ASSERT_EQ(anetCloexec(-1), ANET_ERR);
    TEST_ASSERT_EQ(anetEnableTcpNoDelay(err, -1), ANET_ERR);
    TEST_ASSERT_EQ(anetFdToString(-1, NULL, 0, NULL, ANET_FD_LOCAL), ANET_ERR);
}

static void testConnectRefused(void) {
    char err[ANET_ERR_LEN];
    /* Find a port nobody listens on: bind, note it, close. */
    int s = anetTcpServer(err, 0, "127.0.0.1", 1), port = 0;
    TEST_ASSERT(s >= 0);
    anetFdToString(s, NULL, 0, &port, ANET_FD_LOCAL);
    close(s);
    errno = 0;
    TEST_ASSERT_EQ(anetTcpConnect(err, "127.0.0.1", port), ANET_ERR);
    TEST_ASSERT_EQ(errno, ECONNREFUSED);
    TEST_ASSERT(strstr(err, "connect") != NULL);
    TEST_ASSERT_EQ(anetTcpConnect(err, "127.0.0.1", 0), ANET_ERR);
}

static void testUnixSocket(void) {
    char err[ANET_ERR_LEN], path[64], name[128];
    int port = -1;
    snprintf(path, sizeof(path), "/tmp/ringkv-test-anet-%d.sock", (int)getpid());
    unlink(path);

    int s = anetUnixServer(err, path, 0700, 16);
    TEST_ASSERT(s >= 0);
    if (s < 0) {
        fprintf(stderr, "  anetUnixServer: %s\n", err);
        return;
    }
    struct stat st;
    TEST_ASSERT_EQ(stat(path, &st), 0);
    TEST_ASSERT_EQ(st.st_mode & 0777, 0700);
    TEST_ASSERT(isNonBlocking(s));
    TEST_ASSERT(isCloexec(s));
    TEST_ASSERT_EQ(anetFdToString(s, name, sizeof(name), &port, ANET_FD_LOCAL), ANET_OK);
    TEST_ASSERT(strcmp(name, path) == 0);
    TEST_ASSERT_EQ(port, 0);

    /* Exists already: the caller decides about stale sockets. */
    errno = 0;
    TEST_ASSERT_EQ(anetUnixServer(err, path, 0, 16), ANET_ERR);
    TEST_ASSERT_EQ(errno, EADDRINUSE);

    errno = 0;
    TEST_ASSERT_EQ(anetUnixAccept(err, s), ANET_ERR);
    TEST_ASSERT(errno == EAGAIN || errno == EWOULDBLOCK);

    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    strcpy(sa.sun_path, path);
    TEST_ASSERT_EQ(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
    waitReadable(s);
    int a = anetUnixAccept(err, s);
    TEST_ASSERT(a >= 0);
    TEST_ASSERT(isNonBlocking(a));
    TEST_ASSERT(isCloexec(a));
    /* The unnamed client is named after the path it came through. */
    name[0] = '\0';
    port = -1;
    TEST_ASSERT_EQ(anetFdToString(a, name, sizeof(name), &port, ANET_FD_REMOTE), ANET_OK);
    TEST_ASSERT(strcmp(name, path) == 0);
    TEST_ASSERT_EQ(port, 0);

    close(a);
    close(c);
    close(s);
    unlink(path);

    /* Too long for sun_path. */
    char longPath[300];
    memset(longPath, 'a', sizeof(longPath) - 1);
    longPath[0] = '/';
    longPath[sizeof(longPath) - 1] = '\0';
    errno = 0;
    TEST_ASSERT_EQ(anetUnixServer(err, longPath, 0, 16), ANET_ERR);
    TEST_ASSERT_EQ(errno, ENAMETOOLONG);
}

static void testFormatAndLoopback(void) {
    char buf[ANET_ADDR_STR_LEN];
    TEST_ASSERT_EQ(anetFormatAddr(buf, sizeof(buf), "::1", 6379), 10);
    TEST_ASSERT(strcmp(buf, "[::1]:6379") == 0);
    anetFormatAddr(buf, sizeof(buf), "1.2.3.4", 6379);
    TEST_ASSERT(strcmp(buf, "1.2.3.4:6379") == 0);
    anetFormatAddr(buf, sizeof(buf), "fe80::1:2", 0);
    TEST_ASSERT(strcmp(buf, "[fe80::1:2]:0") == 0);
    char small[8];
    TEST_ASSERT(anetFormatAddr(small, sizeof(small), "1.2.3.4", 6379) >= (int)sizeof(small));
    TEST_ASSERT(strlen(small) == sizeof(small) - 1);

    TEST_ASSERT(anetIsLoopback("127.0.0.1"));
    TEST_ASSERT(anetIsLoopback("127.255.0.9"));
    TEST_ASSERT(anetIsLoopback("::1"));
    TEST_ASSERT(anetIsLoopback("::ffff:127.0.0.1"));
    TEST_ASSERT(!anetIsLoopback("128.0.0.1"));
    TEST_ASSERT(!anetIsLoopback("10.0.0.1"));
    TEST_ASSERT(!anetIsLoopback("::"));
    TEST_ASSERT(!anetIsLoopback("::2"));
    TEST_ASSERT(!anetIsLoopback("localhost"));
    TEST_ASSERT(!anetIsLoopback(""));
    TEST_ASSERT(!anetIsLoopback(NULL));
}

static void testFdToStringSocketpair(void) {
    int sv[2];
    char name[64] = "x";
    int port = -1;
    TEST_ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    TEST_ASSERT_EQ(anetFdToString(sv[0], name, sizeof(name), &port, ANET_FD_REMOTE), ANET_OK);
    TEST_ASSERT(strcmp(name, "") == 0);
    TEST_ASSERT_EQ(port, 0);
    /* A pipe is no socket. */
    int p[2];
    TEST_ASSERT_EQ(pipe(p), 0);
    TEST_ASSERT_EQ(anetFdToString(p[0], name, sizeof(name), &port, ANET_FD_LOCAL), ANET_ERR);
    TEST_ASSERT_EQ(errno, ENOTSOCK);
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

int main(void) {
    TEST_RUN(testTcpIpv4);
    TEST_RUN(testTcpIpv6);
    TEST_RUN(testWildcards);
    TEST_RUN(testBindErrors);
    TEST_RUN(testConnectRefused);
    TEST_RUN(testUnixSocket);
    TEST_RUN(testFormatAndLoopback);
    TEST_RUN(testFdToStringSocketpair);
    return testReport();
}
