/* fuzz_resp.c -- protocol fuzzer against a live server.
 *
 * Network bytes are untrusted input: whatever a client sends, the server
 * must answer or close that one connection and keep serving everyone else.
 * This program sends batches of hostile payloads, each on its own
 * connection, many connections at a time, and after every batch checks that
 * the server process is alive and answers PING on a fresh connection.
 *
 * Payloads come from a seeded PRNG, so a failure is replayed with the same
 * --seed (the failing batch is also written to a file and its first bytes
 * printed).  Generators:
 *   random      random bytes, sometimes led by '*', '$' or a RESP3 type byte
 *   valid       well-formed pipelines of harmless commands (multibulk/inline)
 *   mutated     valid pipelines with bit flips, byte substitutions, inserted
 *               and deleted ranges, duplications, truncation, and numbers
 *               (counts, lengths) swapped for hostile ones (2^31, 2^63, -1,
 *               "+5", "05", 20 digits, ...)
 *   huge        announced counts/lengths up to the limits, with little data
 *   nested      arrays inside arrays, RESP3 reply types sent as requests
 *   inline      inline garbage: quotes, escapes, unbalanced quotes, NULs,
 *               very long lines, blank lines
 *   manyargs    one command with up to 100k small arguments
 * The command corpus avoids what would legitimately stop or stall the
 * server (SHUTDOWN, DEBUG, CONFIG SET, CLIENT PAUSE, SAVE, huge SETRANGE /
 * SETBIT offsets): a mutation can only change bytes, and none of these is a
 * few bit flips away from the corpus.
 *
 * The server is started by this program (--server PATH, on a free 127.0.0.1
 * port, killed at exit) unless --port N points at one already running.
 *
 * Usage: fuzz_resp [--server PATH | --port N] [--seed N] [--iterations N]
 *                  [--max-seconds N] [--batch N] [--verbose]
 * --iterations counts payloads (connections); --max-seconds stops early,
 * without failing, when the time budget is spent. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "test_server.h"

/* ------------------------------------------------------------ PRNG */

static uint64_t rngS[2];

static void rngSeed(uint64_t seed) {
    /* splitmix64 to spread the seed over the xorshift128+ state */
    for (int i = 0; i < 2; i++) {
        uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        rngS[i] = z ^ (z >> 31);
    }
    if (!rngS[0] && !rngS[1]) rngS[0] = 1;
}

static uint64_t rngNext(void) {
    uint64_t s1 = rngS[0];
    const uint64_t s0 = rngS[1];
    rngS[0] = s0;
    s1 ^= s1 << 23;
    rngS[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return rngS[1] + s0;
}

static size_t rngBelow(size_t n) {
    return n ? (size_t)(rngNext() % n) : 0;
}

/* ------------------------------------------------------------ byte buffers */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void bufReserve(buf *b, size_t add) {
    if (b->len + add <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + add) cap *= 2;
    b->p = realloc(b->p, cap);
    if (!b->p) abort();
    b->cap = cap;
}

static void bufAppend(buf *b, const void *p, size_t n) {
    bufReserve(b, n);
    if (n) memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void bufPrintf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bufPrintf(buf *b, const char *fmt, ...) {
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0) bufAppend(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void bufFree(buf *b) {
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* ------------------------------------------------------------ generators */

/* Harmless commands: none stops, pauses or blocks the server, and none can
 * make it allocate much (no offsets, no counts that size an allocation). */
static const char *const corpus[] = {
    "PING", "PING hello", "ECHO abc", "SET k v", "SET k v EX 100", "SET k v NX", "GET k",
    "DEL k k2", "INCR n", "INCRBY n 5", "DECR n", "INCRBYFLOAT f 1.5", "APPEND k xyz",
    "STRLEN k", "EXISTS k n", "MSET a 1 b 2", "MGET a b k", "GETRANGE k 0 -1", "GETSET k v2",
    "SETNX k3 v", "EXPIRE k 100", "TTL k", "PTTL k", "PERSIST k", "TYPE k", "KEYS a*",
    "SCAN 0 MATCH * COUNT 10", "DBSIZE", "INFO server", "SELECT 1", "SELECT 0", "MULTI", "EXEC",
    "DISCARD", "HELLO 2", "HELLO 3", "COMMAND COUNT", "CLIENT SETNAME fuzz", "CLIENT GETNAME",
    "CLIENT ID", "OBJECT ENCODING k", "GETDEL k4", "SETEX k5 10 v", "RENAME a b", "UNLINK b",
    "RANDOMKEY", "TIME", "LASTSAVE", "WATCH k", "UNWATCH", "QUIT",
};
#define CORPUS_SIZE (sizeof(corpus) / sizeof(corpus[0]))

static const char *const hostileNumbers[] = {
    "2147483647", "2147483648", "-2147483648", "4294967296", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "99999999999999999999", "-1", "-2", "0",
    "536870912", "536870913", "1048576", "65536", "+5", "05", "1e3", "", " 3", "3 ", "0x10",
    "-0", "1.5", "\x00", "18446744073709551615",
};
#define HOSTILE_SIZE (sizeof(hostileNumbers) / sizeof(hostileNumbers[0]))

static const char interestingBytes[] = {'\r', '\n', '*', '$', '-', '+', ':', '0', '9', '"',
                                        '\'', '\\', ' ', '\0', '\x7f', '\xff', '\x80'};

static void appendMultibulk(buf *b, const char *line) {
    /* Split the corpus line on spaces. */
    const char *words[16];
    size_t lens[16];
    int n = 0;
    const char *p = line;
    while (*p && n < 16) {
        while (*p == ' ') p++;
        if (!*p) break;
        words[n] = p;
        while (*p && *p != ' ') p++;
        lens[n] = (size_t)(p - words[n]);
        n++;
    }
    bufPrintf(b, "*%d\r\n", n);
    for (int i = 0; i < n; i++) {
        bufPrintf(b, "$%zu\r\n", lens[i]);
        bufAppend(b, words[i], lens[i]);
        bufAppend(b, "\r\n", 2);
    }
}

static void genValid(buf *b) {
    int n = 1 + (int)rngBelow(6);
    for (int i = 0; i < n; i++) {
        const char *line = corpus[rngBelow(CORPUS_SIZE)];
        if (rngBelow(4) == 0) {
            bufAppend(b, line, strlen(line));
            bufAppend(b, rngBelow(2) ? "\r\n" : "\n", rngBelow(2) ? 2 : 1);
        } else {
            appendMultibulk(b, line);
        }
    }
}

static void genRandom(buf *b) {
    size_t n = 1 + rngBelow(rngBelow(8) == 0 ? 70000 : 2048);
    static const char leads[] = "*$+-:_,#!=(%~>|";
    if (rngBelow(2)) bufAppend(b, &leads[rngBelow(sizeof(leads) - 1)], 1);
    bufReserve(b, n);
    for (size_t i = 0; i < n; i++) b->p[b->len + i] = (char)rngNext();
    b->len += n;
}

/* Replaces the digits after the k-th '*' or '$' with a hostile number. */
static void mutateNumber(buf *b) {
    size_t marks = 0;
    for (size_t i = 0; i < b->len; i++)
        if (b->p[i] == '*' || b->p[i] == '$') marks++;
    if (!marks) return;
    size_t k = rngBelow(marks), at = 0;
    for (size_t i = 0; i < b->len; i++)
        if ((b->p[i] == '*' || b->p[i] == '$') && k-- == 0) {
            at = i + 1;
            break;
        }
    size_t end = at;
    while (end < b->len && b->p[end] != '\r') end++;
    const char *num = hostileNumbers[rngBelow(HOSTILE_SIZE)];
    size_t nl = num[0] ? strlen(num) : (rngBelow(2) ? 1 : 0); /* "\x00" is one NUL byte */
    buf out = {0};
    bufAppend(&out, b->p, at);
    bufAppend(&out, num, nl);
    bufAppend(&out, b->p + end, b->len - end);
    bufFree(b);
    *b = out;
}

static void mutate(buf *b) {
    int rounds = 1 + (int)rngBelow(8);
    for (int r = 0; r < rounds && b->len; r++) {
        size_t at = rngBelow(b->len);
        switch (rngBelow(8)) {
        case 0: /* bit flip */
            b->p[at] ^= (char)(1 << rngBelow(8));
            break;
        case 1: /* interesting byte */
            b->p[at] = interestingBytes[rngBelow(sizeof(interestingBytes))];
            break;
        case 2: { /* insert random bytes */
            size_t n = 1 + rngBelow(16);
            bufReserve(b, n);
            memmove(b->p + at + n, b->p + at, b->len - at);
            for (size_t i = 0; i < n; i++) b->p[at + i] = (char)rngNext();
            b->len += n;
            break;
        }
        case 3: { /* delete a range */
            size_t n = 1 + rngBelow(b->len - at);
            memmove(b->p + at, b->p + at + n, b->len - at - n);
            b->len -= n;
            break;
        }
        case 4: { /* duplicate a range */
            size_t n = 1 + rngBelow(b->len - at < 64 ? b->len - at : 64);
            bufReserve(b, n);
            memmove(b->p + at + n, b->p + at, b->len - at);
            b->len += n;
            break;
        }
        case 5: /* truncate */
            b->len = at;
            break;
        default: /* hostile number, twice as likely: counts and lengths are the attack surface */
            mutateNumber(b);
            break;
        }
    }
}

static void genMutated(buf *b) {
    genValid(b);
    mutate(b);
}

static void genHuge(buf *b) {
    static const char *const heads[] = {
        "*2147483647\r\n",          "*1048576\r\n",       "*1\r\n$536870912\r\n",
        "*2\r\n$3\r\nSET\r\n$536870911\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$104857600\r\n",
        "*1\r\n$2147483647\r\n",     "*-2147483648\r\n",   "*1\r\n$9223372036854775807\r\n",
        "*100000\r\n$1\r\nx\r\n",    "*1\r\n$-2147483648\r\n",
    };
    const char *h = heads[rngBelow(sizeof(heads) / sizeof(heads[0]))];
    bufAppend(b, h, strlen(h));
    size_t n = rngBelow(4096);
    bufReserve(b, n);
    for (size_t i = 0; i < n; i++) b->p[b->len + i] = rngBelow(2) ? 'x' : (char)rngNext();
    b->len += n;
}

static void genNested(buf *b) {
    static const char *const pieces[] = {
        "*2\r\n", "*1\r\n", "$3\r\nGET\r\n", "*0\r\n", "*-1\r\n", "%1\r\n", "~2\r\n", "#t\r\n",
        ",1.5\r\n", "(12345678901234567890\r\n", "=7\r\ntxt:abc\r\n", "|1\r\n", ">2\r\n",
        "_\r\n", "+OK\r\n", "-ERR x\r\n", ":1\r\n", "$-1\r\n", "!3\r\nerr\r\n", "$1\r\nk\r\n",
    };
    int n = 1 + (int)rngBelow(30);
    for (int i = 0; i < n; i++) {
        const char *p = pieces[rngBelow(sizeof(pieces) / sizeof(pieces[0]))];
        bufAppend(b, p, strlen(p));
    }
}

static void genInline(buf *b) {
    int lines = 1 + (int)rngBelow(8);
    static const char *const tokens[] = {
        "SET", "GET", "k", "\"quoted value\"", "'single'", "\"unbalanced", "'also",
        "\"esc\\x41\\x\"", "\"\\\\\"", "\"a\"b", "''", "\"\"", "\\x00", "\t", "PING", "ECHO",
        "\"\\n\\r\\t\\b\\a\"", "\"\\xzz\"", "'it\\'s'", "\"\\\"", "*3", "$5",
    };
    for (int l = 0; l < lines; l++) {
        int kind = (int)rngBelow(10);
        if (kind == 0) {
            /* A very long line, sometimes past the 64 KB inline limit. */
            size_t n = rngBelow(2) ? 70000 : 1 + rngBelow(60000);
            bufReserve(b, n);
            for (size_t i = 0; i < n; i++) b->p[b->len + i] = (char)('a' + rngBelow(26));
            b->len += n;
        } else if (kind == 1) {
            bufAppend(b, "\r\n\r\n\n", 5); /* blank lines */
        } else {
            int words = 1 + (int)rngBelow(6);
            for (int w = 0; w < words; w++) {
                const char *t = tokens[rngBelow(sizeof(tokens) / sizeof(tokens[0]))];
                if (w) bufAppend(b, " ", 1);
                bufAppend(b, t, strlen(t));
            }
            if (rngBelow(8) == 0) bufAppend(b, "\0", 1);
        }
        bufAppend(b, rngBelow(3) ? "\r\n" : "\n", rngBelow(3) ? 2 : 1);
    }
}

static void genManyArgs(buf *b) {
    size_t n = 1 + rngBelow(rngBelow(4) == 0 ? 100000 : 2000);
    bufPrintf(b, "*%zu\r\n$4\r\nMGET\r\n", n + 1);
    for (size_t i = 0; i < n; i++) bufAppend(b, "$1\r\nk\r\n", 7);
    if (rngBelow(3) == 0) mutate(b);
}

typedef struct generator {
    const char *name;
    void (*fn)(buf *b);
    int weight;
} generator;

static const generator generators[] = {
    {"random", genRandom, 3},   {"valid", genValid, 1},   {"mutated", genMutated, 6},
    {"huge", genHuge, 2},       {"nested", genNested, 2}, {"inline", genInline, 2},
    {"manyargs", genManyArgs, 1},
};
#define NGEN (sizeof(generators) / sizeof(generators[0]))

static const generator *pickGenerator(void) {
    int total = 0;
    for (size_t i = 0; i < NGEN; i++) total += generators[i].weight;
    int r = (int)rngBelow((size_t)total);
    for (size_t i = 0; i < NGEN; i++) {
        if (r < generators[i].weight) return &generators[i];
        r -= generators[i].weight;
    }
    return &generators[0];
}

/* ------------------------------------------------------------ batches */

typedef struct conn {
    int fd;
    buf payload;
    const char *gen;
    size_t sent;
    int closeMode; /* 0 read then close, 1 half-close first, 2 reset at once */
    int done;
    long long lastActivity;
} conn;

static int optVerbose;

static void setNonblock(int fd) {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Sends every payload of the batch and drains replies for a short while,
 * then closes the connections.  Returns the number of bytes received. */
static size_t runBatch(int port, conn *cs, int n) {
    long long start = tsNowMs();
    size_t received = 0;
    for (int i = 0; i < n; i++) {
        cs[i].fd = tsConnect(port);
        cs[i].sent = 0;
        cs[i].done = cs[i].fd < 0;
        cs[i].lastActivity = start;
        if (cs[i].fd >= 0) setNonblock(cs[i].fd);
    }
    /* Interleave: write in random slices, read whatever comes back, until
     * everything is sent and the replies have dried up (bounded). */
    char rbuf[65536];
    for (;;) {
        int active = 0;
        long long now = tsNowMs();
        for (int i = 0; i < n; i++) {
            conn *c = &cs[i];
            if (c->done) continue;
            if (c->sent < c->payload.len) {
                size_t slice = 1 + rngBelow(c->payload.len - c->sent);
                if (rngBelow(4) == 0 && slice > 7) slice = 1 + rngBelow(7);
                ssize_t w = send(c->fd, c->payload.p + c->sent, slice, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (w > 0) {
                    c->sent += (size_t)w;
                    c->lastActivity = now;
                } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                    c->sent = c->payload.len; /* closed by the server: fine */
                }
                if (c->sent == c->payload.len && c->closeMode == 1) shutdown(c->fd, SHUT_WR);
            }
            for (;;) {
                ssize_t r = recv(c->fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
                if (r > 0) {
                    received += (size_t)r;
                    c->lastActivity = now;
                    continue;
                }
                if (r == 0 || (errno != EAGAIN && errno != EINTR)) c->done = 1;
                break;
            }
            /* Quiet for a while after sending everything: move on.  A
             * server that stalls reading (an incomplete request) is fine. */
            if (c->sent == c->payload.len && now - c->lastActivity > 30) c->done = 1;
            if (c->closeMode == 2 && c->sent == c->payload.len) c->done = 1;
            if (!c->done) active++;
        }
        if (!active || tsNowMs() - start > 1500) break;
        usleep(500);
    }
    for (int i = 0; i < n; i++) {
        if (cs[i].fd < 0) continue;
        if (cs[i].closeMode == 2) {
            struct linger lg = {1, 0}; /* RST with unread data in flight */
            setsockopt(cs[i].fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        }
        close(cs[i].fd);
        cs[i].fd = -1;
    }
    return received;
}

/* Writes the batch's payloads to dir/failing-batch.bin (length-prefixed)
 * and prints the start of each. */
static void reportBatch(const conn *cs, int n, const char *dir) {
    char path[256];
    snprintf(path, sizeof(path), "%s/failing-batch.bin", dir);
    FILE *f = fopen(path, "w");
    for (int i = 0; i < n; i++) {
        if (f) {
            fprintf(f, "%zu %s\n", cs[i].payload.len, cs[i].gen);
            fwrite(cs[i].payload.p, 1, cs[i].payload.len, f);
            fputc('\n', f);
        }
        fprintf(stderr, "  payload %d (%s, %zu bytes): ", i, cs[i].gen, cs[i].payload.len);
        for (size_t k = 0; k < cs[i].payload.len && k < 80; k++) {
            unsigned char ch = (unsigned char)cs[i].payload.p[k];
            if (ch >= 32 && ch < 127 && ch != '\\')
                fputc(ch, stderr);
            else
                fprintf(stderr, "\\x%02x", ch);
        }
        fputc('\n', stderr);
    }
    if (f) {
        fclose(f);
        fprintf(stderr, "  all payloads of the batch: %s\n", path);
    }
}

/* ------------------------------------------------------------ main */

static const char *serverBin;
static int externalPort;
static unsigned long long seed = 1;
static long iterations = 2000;
static long maxSeconds = 0;
static int batchSize = 32;
static testServer server;
static long payloadsRun, batchesRun;

static void fuzzServer(void) {
    int port = externalPort ? externalPort : server.port;
    conn *cs = calloc((size_t)batchSize, sizeof(conn));
    long long start = tsNowMs();
    long genCount[NGEN] = {0};
    size_t totalReceived = 0;
    rngSeed(seed);
    while (payloadsRun < iterations) {
        if (maxSeconds && tsNowMs() - start > maxSeconds * 1000) {
            printf("  time budget of %lds spent after %ld payloads: stopping\n", maxSeconds,
                   payloadsRun);
            break;
        }
        int n = batchSize;
        if (iterations - payloadsRun < n) n = (int)(iterations - payloadsRun);
        for (int i = 0; i < n; i++) {
            const generator *g = pickGenerator();
            cs[i].payload.len = 0;
            g->fn(&cs[i].payload);
            cs[i].gen = g->name;
            cs[i].closeMode = (int)rngBelow(3);
            genCount[g - generators]++;
        }
        totalReceived += runBatch(port, cs, n);
        payloadsRun += n;
        batchesRun++;

        int alive = externalPort ? 1 : tsAlive(&server);
        int pong = alive && tsPing(port, 5000);
        if (!alive || !pong) {
            fprintf(stderr, "  after batch %ld (seed %llu): server %s\n", batchesRun, seed,
                     !alive ? "is gone" : "does not answer PING within 5s");
            reportBatch(cs, n, externalPort ? "/tmp" : server.dir);
            TEST_ASSERT(alive);
            TEST_ASSERT(pong);
            break;
        }
        if (optVerbose && batchesRun % 20 == 0)
            printf("  %ld payloads, %zu reply bytes, %lld ms\n", payloadsRun, totalReceived,
                   tsNowMs() - start);
    }
    printf("  %ld payloads in %ld batches, %zu reply bytes, %lld ms (seed %llu)\n", payloadsRun,
           batchesRun, totalReceived, tsNowMs() - start, seed);
    printf("  per generator:");
    for (size_t i = 0; i < NGEN; i++) printf(" %s=%ld", generators[i].name, genCount[i]);
    printf("\n");
    for (int i = 0; i < batchSize; i++) bufFree(&cs[i].payload);
    free(cs);
}

/* The server ends the run clean: memory not run away, exits on SIGTERM,
 * nothing in its log. */
static void fuzzServerClean(void) {
    if (externalPort) return;
    size_t rss = tsRss(&server);
    size_t limit = tsIsAsan(&server) ? (size_t)2048 << 20 : (size_t)512 << 20;
    printf("  server RSS after fuzzing: %zu MB\n", rss >> 20);
    TEST_ASSERT(rss < limit);
    TEST_ASSERT(tsAlive(&server));
    TEST_ASSERT(tsStop(&server) == 0);
}

int main(int argc, char **argv) {
    serverBin = getenv("RINGKV_SERVER_BIN");
    if (serverBin == NULL) serverBin = "../../src/ringkv-server";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--server") && v) {
            serverBin = v;
            i++;
        } else if (!strcmp(a, "--port") && v) {
            externalPort = atoi(v);
            i++;
        } else if (!strcmp(a, "--seed") && v) {
            seed = strtoull(v, NULL, 10);
            i++;
        } else if (!strcmp(a, "--iterations") && v) {
            iterations = atol(v);
            i++;
        } else if (!strcmp(a, "--max-seconds") && v) {
            maxSeconds = atol(v);
            i++;
        } else if (!strcmp(a, "--batch") && v) {
            batchSize = atoi(v);
            if (batchSize < 1) batchSize = 1;
            if (batchSize > 256) batchSize = 256;
            i++;
        } else if (!strcmp(a, "--verbose")) {
            optVerbose = 1;
        } else {
            fprintf(stderr,
                    "usage: %s [--server PATH | --port N] [--seed N] [--iterations N] "
                    "[--max-seconds N] [--batch N] [--verbose]\n",
                    argv[0]);
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    tsInstallCleanup();
    if (externalPort == 6379) {
        fprintf(stderr, "refusing to fuzz port 6379\n");
        return 2;
    }
    if (!externalPort) {
        if (tsStart(&server, serverBin, NULL, 0) != 0) {
            printf("[FAIL] could not start %s\n", serverBin);
            printf("0 passed, 1 failed\n");
            return 1;
        }
        printf("fuzzing %s (pid %d) on 127.0.0.1:%d, seed %llu, %ld iterations\n", serverBin,
               (int)server.pid, server.port, seed, iterations);
    } else {
        printf("fuzzing the server on 127.0.0.1:%d, seed %llu, %ld iterations\n", externalPort,
               seed, iterations);
    }
    TEST_RUN(fuzzServer);
    TEST_RUN(fuzzServerClean);
    return testReport();
}
