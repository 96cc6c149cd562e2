/* test_client.c -- end-to-end tests through hiredis 0.14 (RESP2), against a
 * private server this program starts and always kills (see test_server.h).
 *
 * What a C client library exercises that the Tcl suite does not: bytes that
 * only a binary-safe writer produces (every byte value, CR LF and NUL inside
 * keys and values, 1 MB and 64 MB values), deep pipelines built with
 * redisAppendCommand, ten thousand simultaneous connections, and a client
 * that pipelines far more than it reads.  That last one is a ringkv
 * guarantee, not a Redis one: the server stops reading from a client once
 * about 64 MB of replies are waiting for it, so its memory stays bounded; the
 * test watches the server's RSS in /proc while the client is not reading,
 * then reads everything and checks every byte of every reply.
 *
 * The pipeline test runs once per event backend (--event-backend epoll, poll,
 * select) on a server started for that backend.  Backend switching, the
 * 10,000-connection test (it needs maxclients above the default) and the
 * back-pressure test are skipped, with a message, when the binary is not
 * ringkv (e.g. when run against /usr/bin/redis-server to check the tests).
 *
 * Usage: test_client [--server PATH] [--only SUBSTRING] [--all]
 * PATH defaults to $RINGKV_SERVER_BIN, then ../../src/ringkv-server. */
#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "test.h"
#include "test_server.h"

static const char *serverBin;
static const char *onlyFilter;
static int forceAll; /* --all: run ringkv-only tests on any server (to see them fail) */
static int isRingkv;
static testServer mainServer;

/* ------------------------------------------------------------ helpers */

static unsigned long long rngState = 42;
static unsigned long long rngNext(void) {
    unsigned long long z = (rngState += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void fillRandom(unsigned char *p, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        unsigned long long r = rngNext();
        memcpy(p + i, &r, 8);
    }
    for (; i < n; i++) p[i] = (unsigned char)rngNext();
}

static redisContext *connectTo(int port) {
    struct timeval tv = {5, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", port, tv);
    if (c == NULL || c->err) {
        fprintf(stderr, "  connect to 127.0.0.1:%d failed: %s\n", port,
                c ? c->errstr : "out of memory");
        if (c) redisFree(c);
        return NULL;
    }
    struct timeval rw = {120, 0}; /* sanitizer builds are slow on 64 MB values */
    redisSetTimeout(c, rw);
    return c;
}

/* Runs a command, returns the reply (caller frees), NULL on I/O error. */
static redisReply *cmd(redisContext *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    if (r == NULL) fprintf(stderr, "  command failed: %s\n", c->errstr);
    return r;
}

static int replyIsStatus(const redisReply *r, const char *s) {
    return r && r->type == REDIS_REPLY_STATUS && strcmp(r->str, s) == 0;
}

static int replyIsBulk(const redisReply *r, const void *p, size_t len) {
    return r && r->type == REDIS_REPLY_STRING && (size_t)r->len == len && memcmp(r->str, p, len) == 0;
}

static int replyIsInt(const redisReply *r, long long v) {
    return r && r->type == REDIS_REPLY_INTEGER && r->integer == v;
}

/* SET key value, then GET/STRLEN/EXISTS check it; all binary. */
static void checkRoundTrip(redisContext *c, const void *key, size_t klen, const void *val,
                           size_t vlen) {
    redisReply *r = cmd(c, "SET %b %b", key, klen, val, vlen);
    TEST_ASSERT(replyIsStatus(r, "OK"));
    if (r) freeReplyObject(r);
    r = cmd(c, "GET %b", key, klen);
    TEST_ASSERT(replyIsBulk(r, val, vlen));
    if (r) freeReplyObject(r);
    r = cmd(c, "STRLEN %b", key, klen);
    TEST_ASSERT(replyIsInt(r, (long long)vlen));
    if (r) freeReplyObject(r);
    r = cmd(c, "EXISTS %b", key, klen);
    TEST_ASSERT(replyIsInt(r, 1));
    if (r) freeReplyObject(r);
}

/* Reads one INFO field of a section (e.g. "multiplexing_api") into out. */
static int infoField(redisContext *c, const char *section, const char *field, char *out,
                     size_t cap) {
    redisReply *r = cmd(c, "INFO %s", section);
    int found = 0;
    if (r && r->type == REDIS_REPLY_STRING) {
        size_t fl = strlen(field);
        const char *p = r->str;
        while (p && *p) {
            if (strncmp(p, field, fl) == 0 && p[fl] == ':') {
                const char *v = p + fl + 1;
                size_t n = strcspn(v, "\r\n");
                if (n >= cap) n = cap - 1;
                memcpy(out, v, n);
                out[n] = '\0';
                found = 1;
                break;
            }
            p = strchr(p, '\n');
            if (p) p++;
        }
    }
    if (r) freeReplyObject(r);
    return found;
}

/* ------------------------------------------------------------ supervision */

/* supervised systemd: once ready the server sends "READY=1" in a datagram to
 * the unix socket named by $NOTIFY_SOCKET (Debian's unit is Type=notify). */
static void testSupervisedSystemdNotify(void) {
    char path[108];
    snprintf(path, sizeof(path), "/tmp/ringkv-notify.%d.sock", (int)getpid());
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    TEST_ASSERT(fd != -1);
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path));
    TEST_ASSERT(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    setenv("NOTIFY_SOCKET", path, 1);
    testServer s;
    const char *extra[] = {"--supervised", "systemd", NULL};
    int started = tsStart(&s, serverBin, extra, 0);
    unsetenv("NOTIFY_SOCKET");
    TEST_ASSERT(started == 0);
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    char buf[256] = {0};
    if (poll(&pfd, 1, 5000) == 1) {
        ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
        if (n > 0) buf[n] = '\0';
    }
    TEST_ASSERT(strstr(buf, "READY=1") != NULL);
    tsStop(&s);
    close(fd);
    unlink(path);
}

/* ------------------------------------------------------------ basics */

static void testPingEcho(void) {
    redisContext *c = connectTo(mainServer.port);
    TEST_ASSERT(c != NULL);
    if (!c) return;
    redisReply *r = cmd(c, "PING");
    TEST_ASSERT(replyIsStatus(r, "PONG"));
    if (r) freeReplyObject(r);
    r = cmd(c, "ECHO %s", "hello");
    TEST_ASSERT(replyIsBulk(r, "hello", 5));
    if (r) freeReplyObject(r);
    r = cmd(c, "GET %s", "test_client:nonexistent");
    TEST_ASSERT(r && r->type == REDIS_REPLY_NIL);
    if (r) freeReplyObject(r);
    r = cmd(c, "NOSUCHCOMMAND");
    TEST_ASSERT(r && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "ERR unknown command", 19) == 0);
    if (r) freeReplyObject(r);
    redisFree(c);
}

/* ------------------------------------------------------------ binary safety */

static void testAllByteValues(void) {
    redisContext *c = connectTo(mainServer.port);
    TEST_ASSERT(c != NULL);
    if (!c) return;
    unsigned char all[256];
    for (int i = 0; i < 256; i++) all[i] = (unsigned char)i;
    /* As a value, as a key, and both; each single byte as its own key. */
    checkRoundTrip(c, "bin:value", 9, all, 256);
    checkRoundTrip(c, all, 256, "v", 1);
    checkRoundTrip(c, all, 256, all, 256);
    for (int i = 0; i < 256; i++) {
        unsigned char k[2] = {'b', (unsigned char)i};
        unsigned char v[3] = {(unsigned char)i, 0, (unsigned char)(255 - i)};
        checkRoundTrip(c, k, 2, v, 3);
    }
    /* APPEND and GETRANGE keep NULs. */
    redisReply *r = cmd(c, "APPEND %b %b", "bin:value", (size_t)9, "\0\r\n", (size_t)3);
    TEST_ASSERT(replyIsInt(r, 259));
    if (r) freeReplyObject(r);
    r = cmd(c, "GETRANGE %s %d %d", "bin:value", 254, 258);
    TEST_ASSERT(replyIsBulk(r, "\xfe\xff\0\r\n", 5));
    if (r) freeReplyObject(r);
    /* The empty key and the empty value are values too. */
    checkRoundTrip(c, "", 0, "", 0);
    redisFree(c);
}

static void testEmbeddedProtocol(void) {
    redisContext *c = connectTo(mainServer.port);
    TEST_ASSERT(c != NULL);
    if (!c) return;
    /* Values that look like protocol must come back as data. */
    static const char v1[] = "\r\n\0\r\n$3\r\nabc\r\n*1\r\n$4\r\nPING\r\n";
    static const char v2[] = "PING\r\nPING\n-ERR x\r\n+OK\r\n:1\r\n";
    static const char v3[] = "\0\0\0\0";
    checkRoundTrip(c, "emb:1", 5, v1, sizeof(v1) - 1);
    checkRoundTrip(c, "emb:\r\n2", 7, v2, sizeof(v2) - 1);
    checkRoundTrip(c, "emb:\0" "3", 6, v3, sizeof(v3) - 1);
    checkRoundTrip(c, "*1\r\n$4\r\nPING\r\n", 14, "x", 1);
    /* The key with a NUL differs from its prefix. */
    redisReply *r = cmd(c, "EXISTS %b", "emb:", (size_t)4);
    TEST_ASSERT(replyIsInt(r, 0));
    if (r) freeReplyObject(r);
    /* The connection is still in sync. */
    r = cmd(c, "PING");
    TEST_ASSERT(replyIsStatus(r, "PONG"));
    if (r) freeReplyObject(r);
    redisFree(c);
}

static void checkBigValue(size_t size) {
    redisContext *c = connectTo(mainServer.port);
    TEST_ASSERT(c != NULL);
    if (!c) return;
    unsigned char *val = malloc(size);
    fillRandom(val, size);
    /* Make sure every special byte appears too. */
    memcpy(val + size / 2, "\r\n\0\r\n$", 6);
    char key[32];
    snprintf(key, sizeof(key), "big:%zu", size);
    checkRoundTrip(c, key, strlen(key), val, size);
    /* Appending one byte to a big value. */
    redisReply *r = cmd(c, "APPEND %s %b", key, "!", (size_t)1);
    TEST_ASSERT(replyIsInt(r, (long long)size + 1));
    if (r) freeReplyObject(r);
    r = cmd(c, "GETRANGE %s %lld %lld", key, (long long)size - 2, (long long)size);
    unsigned char tail[3] = {val[size - 2], val[size - 1], '!'};
    TEST_ASSERT(replyIsBulk(r, tail, 3));
    if (r) freeReplyObject(r);
    r = cmd(c, "DEL %s", key);
    TEST_ASSERT(replyIsInt(r, 1));
    if (r) freeReplyObject(r);
    free(val);
    redisFree(c);
}

static void testValue1MB(void) {
    checkBigValue(1024 * 1024);
}

static void testValue64MB(void) {
    checkBigValue(64 * 1024 * 1024);
}

/* Protocol errors reach the client as Redis words them, then the server
 * closes the connection (raw sockets: hiredis cannot send broken requests). */
static void testRawProtocolErrors(void) {
    static const struct {
        const char *req;
        size_t len;
        const char *reply;
    } cases[] = {
        {"*abc\r\n", 6, "-ERR Protocol error: invalid multibulk length\r\n"},
        {"*1\r\n$-1\r\n", 9, "-ERR Protocol error: invalid bulk length\r\n"},
        {"*1\r\nfoo\r\n", 9, "-ERR Protocol error: expected '$', got 'f'\r\n"},
        {"*1\r\n\r\n", 6, "-ERR Protocol error: expected '$', got ' '\r\n"},
        {"set k \"x\r\n", 10, "-ERR Protocol error: unbalanced quotes in request\r\n"},
        {"PING\r\n*x\r\n", 10, "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int fd = tsConnect(mainServer.port);
        TEST_ASSERT(fd >= 0);
        if (fd < 0) continue;
        char buf[512];
        int eof = 0;
        TEST_ASSERT(tsWriteAll(fd, cases[i].req, cases[i].len, 5000) == 0);
        size_t want = strlen(cases[i].reply);
        size_t got = tsReadUntil(fd, buf, sizeof(buf), sizeof(buf), 5000, &eof);
        if (got != want || memcmp(buf, cases[i].reply, want) != 0)
            fprintf(stderr, "  request %zu: got [%.*s]\n", i, (int)got, buf);
        TEST_ASSERT(got == want && memcmp(buf, cases[i].reply, want) == 0);
        TEST_ASSERT(eof == 1); /* closed after the error */
        close(fd);
    }
    /* Inline commands and empty lines between multibulk requests. */
    int fd = tsConnect(mainServer.port);
    TEST_ASSERT(fd >= 0);
    if (fd >= 0) {
        const char *req = "\r\nPING\r\n\n*0\r\nECHO \"a\\x00b\"\r\n*1\r\n$4\r\nPING\r\n";
        static const char want[] = "+PONG\r\n$3\r\na\0b\r\n+PONG\r\n";
        char buf[256];
        TEST_ASSERT(tsWriteAll(fd, req, strlen(req), 5000) == 0);
        size_t got = tsReadUntil(fd, buf, sizeof(buf), sizeof(want) - 1, 5000, NULL);
        TEST_ASSERT(got == sizeof(want) - 1 && memcmp(buf, want, got) == 0);
        close(fd);
    }
}

/* ------------------------------------------------------------ pipelining */

/* 100,000 commands appended, then all replies read: SETs, GETs that must see
 * them, and INCRs whose results prove the replies come back in order. */
static void runPipeline(int port, const char *tag) {
    redisContext *c = connectTo(port);
    TEST_ASSERT(c != NULL);
    if (!c) return;
    const int n = 100000;
    for (int i = 0; i < n; i++) redisAppendCommand(c, "SET pipe:%s:%d v%d", tag, i, i);
    int okCount = 0;
    for (int i = 0; i < n; i++) {
        redisReply *r = NULL;
        if (redisGetReply(c, (void **)&r) != REDIS_OK) {
            fprintf(stderr, "  [%s] SET reply %d: %s\n", tag, i, c->errstr);
            break;
        }
        if (replyIsStatus(r, "OK")) okCount++;
        freeReplyObject(r);
    }
    TEST_ASSERT_EQ(okCount, n);

    for (int i = 0; i < n; i++) redisAppendCommand(c, "GET pipe:%s:%d", tag, i);
    int good = 0;
    for (int i = 0; i < n; i++) {
        redisReply *r = NULL;
        if (redisGetReply(c, (void **)&r) != REDIS_OK) {
            fprintf(stderr, "  [%s] GET reply %d: %s\n", tag, i, c->errstr);
            break;
        }
        char want[32];
        int wl = snprintf(want, sizeof(want), "v%d", i);
        if (replyIsBulk(r, want, (size_t)wl)) good++;
        freeReplyObject(r);
    }
    TEST_ASSERT_EQ(good, n);

    char counter[64];
    snprintf(counter, sizeof(counter), "pipe:%s:counter", tag);
    redisReply *r = cmd(c, "DEL %s", counter);
    if (r) freeReplyObject(r);
    for (int i = 0; i < n; i++) redisAppendCommand(c, "INCR %s", counter);
    int inOrder = 0;
    for (int i = 0; i < n; i++) {
        r = NULL;
        if (redisGetReply(c, (void **)&r) != REDIS_OK) break;
        if (replyIsInt(r, i + 1)) inOrder++;
        freeReplyObject(r);
    }
    TEST_ASSERT_EQ(inOrder, n);
    redisFree(c);
}

static void testPipeline100k(void) {
    runPipeline(mainServer.port, "default");
}

/* The same pipeline on a server per event backend; INFO must name it. */
static void testPipelinePerBackend(void) {
    static const char *const backends[] = {"epoll", "poll", "select"};
    for (size_t b = 0; b < 3; b++) {
        testServer s;
        const char *extra[] = {"--event-backend", backends[b], NULL};
        if (tsStart(&s, serverBin, extra, 0) != 0) {
            fprintf(stderr, "  could not start a server with --event-backend %s\n", backends[b]);
            TEST_ASSERT(0);
            tsStop(&s);
            continue;
        }
        redisContext *c = connectTo(s.port);
        TEST_ASSERT(c != NULL);
        if (c) {
            char api[64] = "";
            TEST_ASSERT(infoField(c, "server", "multiplexing_api", api, sizeof(api)));
            if (strcmp(api, backends[b]) != 0)
                fprintf(stderr, "  --event-backend %s: INFO says multiplexing_api:%s\n",
                        backends[b], api);
            TEST_ASSERT(strcmp(api, backends[b]) == 0);
            redisFree(c);
        }
        runPipeline(s.port, backends[b]);
        TEST_ASSERT(tsStop(&s) == 0);
        printf("  backend %s: pipeline done\n", backends[b]);
    }
}

/* ------------------------------------------------------------ many connections */

#define MANY_CONNS 10000

static int raiseNofile(rlim_t want) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
    if (rl.rlim_cur >= want) return 1;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want) rl.rlim_max = want; /* may need root */
    rl.rlim_cur = want;
    if (setrlimit(RLIMIT_NOFILE, &rl) == 0) return 1;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max >= want) {
        rl.rlim_cur = want;
        return setrlimit(RLIMIT_NOFILE, &rl) == 0;
    }
    return 0;
}

static void testTenThousandConnections(void) {
    testServer s;
    /* With the epoll backend on ringkv; the reference server picks its own. */
    const char *extra[] = {"--maxclients", "10100", isRingkv ? "--event-backend" : NULL, "epoll",
                           NULL};
    if (tsStart(&s, serverBin, extra, 0) != 0) {
        TEST_ASSERT(0);
        tsStop(&s);
        return;
    }
    redisContext **conns = calloc(MANY_CONNS, sizeof(*conns));
    int opened = 0;
    long long t0 = tsNowMs();
    for (int i = 0; i < MANY_CONNS; i++) {
        conns[i] = connectTo(s.port);
        if (!conns[i]) break;
        opened++;
    }
    TEST_ASSERT_EQ(opened, MANY_CONNS);
    /* Everyone sends PING before anyone reads: all are live at once. */
    int sent = 0;
    for (int i = 0; i < opened; i++) {
        int done = 0;
        redisAppendCommand(conns[i], "PING");
        while (!done)
            if (redisBufferWrite(conns[i], &done) != REDIS_OK) break;
        if (done) sent++;
    }
    TEST_ASSERT_EQ(sent, opened);
    redisContext *ctl = connectTo(s.port);
    TEST_ASSERT(ctl != NULL);
    if (ctl) {
        char v[32] = "";
        TEST_ASSERT(infoField(ctl, "clients", "connected_clients", v, sizeof(v)));
        TEST_ASSERT(atoi(v) >= opened + 1);
        redisFree(ctl);
    }
    int pongs = 0;
    for (int i = 0; i < opened; i++) {
        redisReply *r = NULL;
        if (redisGetReply(conns[i], (void **)&r) == REDIS_OK && replyIsStatus(r, "PONG")) pongs++;
        if (r) freeReplyObject(r);
    }
    TEST_ASSERT_EQ(pongs, opened);
    for (int i = 0; i < opened; i++) redisFree(conns[i]);
    free(conns);
    printf("  %d connections, %d PONGs in %lld ms\n", opened, pongs, tsNowMs() - t0);
    /* The server forgets them all. */
    long long deadline = tsNowMs() + 10000;
    int left = -1;
    while (tsNowMs() < deadline) {
        redisContext *c = connectTo(s.port);
        char v[32] = "";
        if (c && infoField(c, "clients", "connected_clients", v, sizeof(v))) left = atoi(v);
        if (c) redisFree(c);
        if (left == 1) break;
        usleep(50000);
    }
    TEST_ASSERT_EQ(left, 1);
    TEST_ASSERT(tsStop(&s) == 0);
}

/* ------------------------------------------------------------ back-pressure */

#ifndef BP_COUNT
#define BP_COUNT 1000000
#endif
#define BP_VALUE 10240

/* A client pipelines a million GETs of a 10 KB value (10 GB of replies)
 * without reading.  The server must stop reading it rather than buffer the
 * replies: its RSS stays bounded.  Then the client reads everything and
 * every byte of every reply is checked. */
static void testBackpressure(void) {
    testServer *s = &mainServer;
    int asan = tsIsAsan(s);
    size_t limit = asan ? (size_t)1536 << 20 : (size_t)300 << 20;
    redisContext *c = connectTo(s->port);
    TEST_ASSERT(c != NULL);
    if (!c) return;
    unsigned char *val = malloc(BP_VALUE);
    fillRandom(val, BP_VALUE);
    redisReply *r = cmd(c, "SET bp:value %b", val, (size_t)BP_VALUE);
    TEST_ASSERT(replyIsStatus(r, "OK"));
    if (r) freeReplyObject(r);
    redisFree(c);

    /* The expected reply, repeated BP_COUNT times. */
    char hdr[32];
    int hl = snprintf(hdr, sizeof(hdr), "$%d\r\n", BP_VALUE);
    size_t replyLen = (size_t)hl + BP_VALUE + 2;
    char *reply = malloc(replyLen);
    memcpy(reply, hdr, (size_t)hl);
    memcpy(reply + hl, val, BP_VALUE);
    memcpy(reply + hl + BP_VALUE, "\r\n", 2);
    free(val);

    /* Requests in blocks of 1000 identical GETs. */
    static const char get[] = "*2\r\n$3\r\nGET\r\n$8\r\nbp:value\r\n";
    const size_t getLen = sizeof(get) - 1;
    const size_t block = 1000;
    char *reqs = malloc(getLen * block);
    for (size_t i = 0; i < block; i++) memcpy(reqs + i * getLen, get, getLen);
    const unsigned long long totalOut = (unsigned long long)getLen * BP_COUNT;
    const unsigned long long totalIn = (unsigned long long)replyLen * BP_COUNT;

    int fd = tsConnect(s->port);
    TEST_ASSERT(fd >= 0);
    if (fd < 0) {
        free(reqs);
        free(reply);
        return;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    size_t rssStart = tsRss(s), rssMax = rssStart;
    unsigned long long out = 0, in = 0;
    int mismatch = 0;

    /* Phase 1: write only, until the server has not taken a byte for 2 s. */
    long long lastProgress = tsNowMs(), lastSample = 0, phaseStart = tsNowMs();
    while (out < totalOut && tsNowMs() - lastProgress < 2000 && tsNowMs() - phaseStart < 120000) {
        size_t off = (size_t)(out % (getLen * block));
        size_t chunk = getLen * block - off;
        if (chunk > totalOut - out) chunk = (size_t)(totalOut - out);
        ssize_t n = send(fd, reqs + off, chunk, MSG_NOSIGNAL);
        if (n > 0) {
            out += (unsigned long long)n;
            lastProgress = tsNowMs();
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            fprintf(stderr, "  send: %s\n", strerror(errno));
            break;
        } else {
            struct pollfd pfd = {fd, POLLOUT, 0};
            poll(&pfd, 1, 50);
        }
        if (tsNowMs() - lastSample >= 50) {
            lastSample = tsNowMs();
            size_t rss = tsRss(s);
            if (rss > rssMax) rssMax = rss;
            if (rss > limit) break; /* the server is buffering: stop feeding it */
        }
    }
    size_t rssStalled = tsRss(s);
    if (rssStalled > rssMax) rssMax = rssStalled;
    printf("  phase 1: %llu of %d GETs sent before the server stopped reading; RSS %zu MB -> %zu MB "
           "(limit %zu MB)\n",
           out / getLen, BP_COUNT, rssStart >> 20, rssMax >> 20, limit >> 20);
    TEST_ASSERT(out < totalOut); /* it did stop reading */
    TEST_ASSERT(rssMax <= limit);

    /* Phase 2: read everything (and send the rest). */
    size_t bufCap = 1 << 20;
    char *buf = malloc(bufCap);
    long long deadline = tsNowMs() + (asan ? 900000 : 300000);
    int failed = rssMax > limit;
    while (!failed && in < totalIn && tsNowMs() < deadline) {
        struct pollfd pfd = {fd, POLLIN | (out < totalOut ? POLLOUT : 0), 0};
        if (poll(&pfd, 1, 1000) <= 0) continue;
        if (pfd.revents & POLLOUT) {
            size_t off = (size_t)(out % (getLen * block));
            size_t chunk = getLen * block - off;
            if (chunk > totalOut - out) chunk = (size_t)(totalOut - out);
            ssize_t n = send(fd, reqs + off, chunk, MSG_NOSIGNAL);
            if (n > 0) out += (unsigned long long)n;
        }
        if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = recv(fd, buf, bufCap, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
                fprintf(stderr, "  connection closed by the server after %llu replies\n",
                        in / replyLen);
                break;
            }
            /* Compare against the periodic expected stream. */
            size_t done = 0;
            while (n > 0 && done < (size_t)n) {
                size_t at = (size_t)(in % replyLen);
                size_t take = replyLen - at;
                if (take > (size_t)n - done) take = (size_t)n - done;
                if (!mismatch && memcmp(buf + done, reply + at, take) != 0) {
                    mismatch = 1;
                    fprintf(stderr, "  reply bytes differ in reply #%llu\n", in / replyLen);
                }
                done += take;
                in += take;
            }
        }
        if (tsNowMs() - lastSample >= 200) {
            lastSample = tsNowMs();
            size_t rss = tsRss(s);
            if (rss > rssMax) rssMax = rss;
        }
    }
    printf("  phase 2: %llu replies read, max RSS %zu MB\n", in / replyLen, rssMax >> 20);
    TEST_ASSERT_EQ(in / replyLen, BP_COUNT);
    TEST_ASSERT_EQ(in % replyLen, 0);
    TEST_ASSERT(!mismatch);
    TEST_ASSERT(rssMax <= limit);
    /* Nothing more than the replies. */
    int eof = 0;
    size_t extra = tsReadUntil(fd, buf, 64, 64, 200, &eof);
    TEST_ASSERT_EQ(extra, 0);
    close(fd);
    free(buf);
    free(reqs);
    free(reply);
    TEST_ASSERT(tsPing(s->port, 5000));
}

/* Runs last on the main server: it survived everything above and exits
 * cleanly on SIGTERM, with no crash or sanitizer report in its log. */
static void testMainServerClean(void) {
    TEST_ASSERT(tsAlive(&mainServer));
    TEST_ASSERT(tsStop(&mainServer) == 0);
}

/* ------------------------------------------------------------ main */

static int selected(const char *name) {
    return onlyFilter == NULL || strstr(name, onlyFilter) != NULL;
}

#define RUN(fn)                                                                \
    do {                                                                       \
        if (selected(#fn)) TEST_RUN(fn);                                       \
    } while (0)

static void skip(const char *name, const char *why) {
    if (selected(name)) printf("[skip] %s: %s\n", name, why);
}

int main(int argc, char **argv) {
    serverBin = getenv("RINGKV_SERVER_BIN");
    if (serverBin == NULL) serverBin = "../../src/ringkv-server";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--server") && i + 1 < argc)
            serverBin = argv[++i];
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            onlyFilter = argv[++i];
        else if (!strcmp(argv[i], "--all"))
            forceAll = 1;
        else {
            fprintf(stderr, "usage: %s [--server PATH] [--only SUBSTRING] [--all]\n", argv[0]);
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (access(serverBin, X_OK) != 0) {
        printf("[FAIL] server binary %s not found: build it first (make -C src)\n", serverBin);
        printf("0 passed, 1 failed\n");
        return 1;
    }
    isRingkv = forceAll || tsIsRingkv(serverBin);
    printf("server: %s (%s)\n", serverBin, isRingkv ? "ringkv" : "not ringkv: ringkv-only tests skipped");

    /* 10,000 client sockets plus the server's own fds if it inherits ours. */
    int manyOk = raiseNofile(MANY_CONNS + 1024);

    if (tsStart(&mainServer, serverBin, NULL, 0) != 0) {
        printf("[FAIL] could not start %s\n", serverBin);
        printf("0 passed, 1 failed\n");
        return 1;
    }
    printf("server pid %d on 127.0.0.1:%d%s\n", (int)mainServer.pid, mainServer.port,
           tsIsAsan(&mainServer) ? " (AddressSanitizer build)" : "");

    RUN(testPingEcho);
    RUN(testAllByteValues);
    RUN(testEmbeddedProtocol);
    RUN(testValue1MB);
    RUN(testValue64MB);
    RUN(testRawProtocolErrors);
    RUN(testPipeline100k);
    if (isRingkv)
        RUN(testBackpressure);
    else
        skip("testBackpressure", "reading pause under output back-pressure is a ringkv feature");

    RUN(testSupervisedSystemdNotify);

    /* The main server must have survived all of it. */
    RUN(testMainServerClean);
    if (mainServer.pid > 0) tsStop(&mainServer);

    if (isRingkv)
        RUN(testPipelinePerBackend);
    else
        skip("testPipelinePerBackend", "--event-backend is a ringkv option");
    if (manyOk)
        RUN(testTenThousandConnections);
    else
        skip("testTenThousandConnections",
             "cannot raise RLIMIT_NOFILE to 11024 (ulimit -Hn too low); not run");
    return testReport();
}
