/* test_resp_parse.c -- unit tests for resp_parse.c, the request parser.
 *
 * The parser is a pure function of (state, bytes), so it is tested without a
 * server: a driver feeds input in chunks the way a socket would deliver it
 * and records a transcript (each command with its arguments, then the error
 * or "need more").  The central property is that a transcript does not
 * depend on how the bytes were split: every input is parsed one-shot, split
 * at every byte boundary, fed one byte at a time and in random chunks, both
 * with the caller's buffer growing in place and with it compacted after each
 * read (so the parser may keep no pointer or offset into the buffer), and all
 * transcripts must be equal.  Each call gets a heap copy of exactly the bytes
 * available, so under ASan any read past the end is caught.
 *
 * Error texts are compared byte for byte with what Redis 7.0 sends after
 * "-ERR " (read off a running redis-server with raw sockets).  Memory is
 * checked with zmalloc's counter: a client announcing 2^31 arguments or a
 * 512 MB bulk must cost nothing until the bytes arrive. */
#include "resp.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "object.h"
#include "rstr.h"
#include "test.h"
#include "zmalloc.h"

static const respLimits limDefault = {512LL * 1024 * 1024, 1};
static const respLimits limUnauth = {512LL * 1024 * 1024, 0};

/* splitmix64: reproducible randomness. */
static unsigned long long rngState = 12345;
static unsigned long long rngNext(void) {
    unsigned long long z = (rngState += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ------------------------------------------------------------ driver */

/* Appends one parsed command to the transcript: "C<argc>[len:bytes]...;". */
static rstr recordCommand(rstr t, const respParser *p) {
    t = rstrCatPrintf(t, "C%d", p->argc);
    for (int i = 0; i < p->argc; i++) {
        char buf[64];
        size_t len;
        const char *bytes = stringObjectBytes(p->argv[i], buf, sizeof(buf), &len);
        t = rstrCatPrintf(t, "[%zu:", len);
        t = rstrCatLen(t, bytes, len);
        t = rstrCatLen(t, "]", 1);
    }
    return rstrCatLen(t, ";", 1);
}

/* Feeds in[0..n) in chunks of the given sizes (the last chunk takes the
 * rest) and returns the transcript.  compact: after each read the consumed
 * prefix is dropped and the rest moved to a new buffer, as a server that
 * recycles its query buffer would do.  The transcript ends with "E<text>" at
 * a protocol error (nothing more is parsed, the connection would close) or
 * "N" when the parser wants more bytes. */
static rstr parseChunks(const char *in, size_t n, const size_t *chunks, int nchunks,
                        const respLimits *lim, int compact) {
    respParser p;
    respParserInit(&p);
    rstr t = rstrEmpty();
    char *buf = NULL;
    size_t len = 0, pos = 0, fed = 0;
    int failed = 0;
    for (int c = 0; c < nchunks && !failed && fed < n; c++) {
        size_t chunk = c == nchunks - 1 ? n - fed : chunks[c];
        if (chunk > n - fed) chunk = n - fed;
        /* A fresh allocation of exactly the available bytes. */
        char *nb = malloc(len + chunk ? len + chunk : 1);
        if (len) memcpy(nb, buf, len);
        if (chunk) memcpy(nb + len, in + fed, chunk);
        free(buf);
        buf = nb;
        len += chunk;
        fed += chunk;
        for (;;) {
            size_t before = pos;
            int r = respParse(&p, buf, len, &pos, lim);
            if (pos < before || pos > len) {
                t = rstrCat(t, "!bad-pos;");
                failed = 1;
                break;
            }
            if (r == RESP_PARSE_OK) {
                t = recordCommand(t, &p);
                respParserReset(&p);
            } else if (r == RESP_PARSE_ERR) {
                t = rstrCatPrintf(t, "E%s", p.error ? p.error : "(null)");
                failed = 1;
                break;
            } else {
                break;
            }
        }
        if (compact && !failed) {
            char *rest = malloc(len > pos ? len - pos : 1);
            if (len > pos) memcpy(rest, buf + pos, len - pos);
            free(buf);
            buf = rest;
            len -= pos;
            pos = 0;
        }
    }
    if (!failed) t = rstrCat(t, "N");
    free(buf);
    respParserFree(&p);
    return t;
}

static rstr parseOneShot(const char *in, size_t n, const respLimits *lim) {
    size_t all = n;
    return parseChunks(in, n, &all, 1, lim, 0);
}

/* Every way of splitting must give the one-shot transcript.  Returns the
 * number of mismatching splits (and prints the first). */
static int checkSplitInvariance(const char *in, size_t n, const respLimits *lim) {
    rstr want = parseOneShot(in, n, lim);
    int bad = 0;
    for (int compact = 0; compact <= 1; compact++) {
        /* Two chunks, at every boundary. */
        for (size_t k = 0; k <= n; k++) {
            size_t cuts[2] = {k, n - k};
            rstr got = parseChunks(in, n, cuts, 2, lim, compact);
            if (rstrCmp(got, want) != 0 && bad++ == 0)
                fprintf(stderr, "  split at %zu (compact=%d): %s\n  one-shot: %s\n", k, compact,
                        got, want);
            rstrFree(got);
        }
        /* One byte at a time. */
        size_t *ones = malloc((n + 1) * sizeof(size_t));
        for (size_t i = 0; i <= n; i++) ones[i] = 1;
        rstr got = parseChunks(in, n, ones, (int)n + 1, lim, compact);
        if (rstrCmp(got, want) != 0 && bad++ == 0)
            fprintf(stderr, "  byte by byte (compact=%d): %s\n  one-shot: %s\n", compact, got,
                    want);
        rstrFree(got);
        free(ones);
        /* Random chunk sizes. */
        for (int round = 0; round < 20; round++) {
            size_t cuts[64];
            int nc = 0;
            for (; nc < 63; nc++) cuts[nc] = 1 + rngNext() % (n / 4 + 2);
            cuts[nc++] = 0;
            got = parseChunks(in, n, cuts, nc, lim, compact);
            if (rstrCmp(got, want) != 0 && bad++ == 0)
                fprintf(stderr, "  random chunks (compact=%d): %s\n  one-shot: %s\n", compact,
                        got, want);
            rstrFree(got);
        }
    }
    rstrFree(want);
    return bad;
}

/* One-shot transcript equals expected. */
static void expectTranscript(const char *in, size_t n, const respLimits *lim,
                             const char *expected, size_t elen) {
    rstr got = parseOneShot(in, n, lim);
    int ok = rstrLen(got) == elen && memcmp(got, expected, elen) == 0;
    if (!ok) {
        rstr shown = rstrCatRepr(rstrEmpty(), in, n > 60 ? 60 : n);
        rstr g = rstrCatRepr(rstrEmpty(), got, rstrLen(got) > 200 ? 200 : rstrLen(got));
        rstr e = rstrCatRepr(rstrEmpty(), expected, elen > 200 ? 200 : elen);
        fprintf(stderr, "  input %s%s\n    got      %s\n    expected %s\n", shown,
                n > 60 ? "..." : "", g, e);
        rstrFree(shown);
        rstrFree(g);
        rstrFree(e);
    }
    TEST_ASSERT(ok);
    rstrFree(got);
}

static void expectStr(const char *in, const respLimits *lim, const char *expected) {
    expectTranscript(in, strlen(in), lim, expected, strlen(expected));
}

#define EXPECT(in, out) expectTranscript((in), sizeof(in) - 1, &limDefault, (out), sizeof(out) - 1)

/* ------------------------------------------------------------ request forms */

static void testMultibulk(void) {
    EXPECT("*1\r\n$4\r\nPING\r\n", "C1[4:PING];N");
    EXPECT("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n", "C3[3:SET][1:k][5:hello];N");
    /* Binary-safe: NUL, CR and LF inside a bulk are data. */
    EXPECT("*2\r\n$4\r\nECHO\r\n$3\r\n\0\r\n\r\n", "C2[4:ECHO][3:\0\r\n];N");
    EXPECT("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", "C2[4:ECHO][0:];N");
    /* Pipelined. */
    EXPECT("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nx\r\n", "C1[4:PING];C2[3:GET][1:x];N");
    /* The two bytes after a bulk are skipped unchecked, as Redis does. */
    EXPECT("*1\r\n$4\r\nPINGxxPING\r\n", "C1[4:PING];C1[4:PING];N");
    /* Empty multibulks are empty commands (Redis ignores them silently). */
    EXPECT("*0\r\n", "C0;N");
    EXPECT("*-1\r\n*1\r\n$4\r\nPING\r\n", "C0;C1[4:PING];N");
    EXPECT("*-5\r\n", "C0;N");
    /* Incomplete input waits. */
    EXPECT("*1\r\n$4\r\nPIN", "N");
    EXPECT("*1\r\n$4\r\nPING", "N");
    EXPECT("*1\r\n$4\r\nPING\r", "N");
    EXPECT("*2\r\n$4\r\nECHO\r\n", "N");
    EXPECT("*1\r", "N");
    EXPECT("*", "N");
    EXPECT("", "N");
}

static void testInline(void) {
    EXPECT("PING\r\n", "C1[4:PING];N");
    EXPECT("PING\n", "C1[4:PING];N");
    EXPECT("set k v\r\nget k\r\n", "C3[3:set][1:k][1:v];C2[3:get][1:k];N");
    EXPECT("  set   k \t v  \r\n", "C3[3:set][1:k][1:v];N");
    EXPECT("set k \"a b\\r\\n\"\r\n", "C3[3:set][1:k][5:a b\r\n];N");
    EXPECT("set k 'it\\'s'\r\n", "C3[3:set][1:k][4:it's];N");
    EXPECT("echo \"\\x41\\x4\"\r\n", "C2[4:echo][3:Ax4];N");
    /* Empty lines are empty commands. */
    EXPECT("\r\n", "C0;N");
    EXPECT("\n\n", "C0;C0;N");
    EXPECT("   \r\nPING\r\n", "C0;C1[4:PING];N");
    /* Inline and multibulk interleave freely. */
    EXPECT("PING\r\n*1\r\n$4\r\nPING\r\nPING\r\n", "C1[4:PING];C1[4:PING];C1[4:PING];N");
    EXPECT("PING", "N");
    EXPECT("PING\r", "N");
}

static void testEmptyInlineFlag(void) {
    respParser p;
    respParserInit(&p);
    size_t pos = 0;
    const char *in = "\r\nPING\r\n";
    TEST_ASSERT_EQ(respParse(&p, in, 8, &pos, &limDefault), RESP_PARSE_OK);
    TEST_ASSERT_EQ(p.argc, 0);
    TEST_ASSERT(p.empty_inline == 1);
    respParserReset(&p);
    TEST_ASSERT_EQ(respParse(&p, in, 8, &pos, &limDefault), RESP_PARSE_OK);
    TEST_ASSERT_EQ(p.argc, 1);
    TEST_ASSERT(p.empty_inline == 0);
    TEST_ASSERT_EQ(pos, 8);
    respParserFree(&p);
}

/* ------------------------------------------------------------ errors */

static void testProtocolErrors(void) {
    EXPECT("*abc\r\n", "EProtocol error: invalid multibulk length");
    EXPECT("*3000000000\r\n", "EProtocol error: invalid multibulk length");
    EXPECT("*2147483648\r\n", "EProtocol error: invalid multibulk length");
    EXPECT("*-0\r\n", "EProtocol error: invalid multibulk length");
    EXPECT("*+1\r\n", "EProtocol error: invalid multibulk length");
    EXPECT("*1 \r\n", "EProtocol error: invalid multibulk length");
    EXPECT("*01\r\n", "EProtocol error: invalid multibulk length");
    EXPECT("*\r\n", "EProtocol error: invalid multibulk length");
    EXPECT("*99999999999999999999\r\n", "EProtocol error: invalid multibulk length");
    EXPECT("*1\r\n$abc\r\n", "EProtocol error: invalid bulk length");
    EXPECT("*1\r\n$-1\r\n", "EProtocol error: invalid bulk length");
    EXPECT("*1\r\n$+4\r\nPING\r\n", "EProtocol error: invalid bulk length");
    EXPECT("*1\r\n$04\r\nPING\r\n", "EProtocol error: invalid bulk length");
    EXPECT("*1\r\n$\r\n", "EProtocol error: invalid bulk length");
    EXPECT("*1\r\n$600000000\r\n", "EProtocol error: invalid bulk length");
    EXPECT("*1\r\n$536870913\r\n", "EProtocol error: invalid bulk length");
    EXPECT("*1\r\n$9223372036854775807\r\n", "EProtocol error: invalid bulk length");
    EXPECT("*2\r\n$4\r\nPING\r\n$-1\r\n", "EProtocol error: invalid bulk length");
    EXPECT("*1\r\nfoo\r\n", "EProtocol error: expected '$', got 'f'");
    EXPECT("*2\r\n$4\r\nECHO\r\n:5\r\n", "EProtocol error: expected '$', got ':'");
    EXPECT("set k \"unbalanced\r\n", "EProtocol error: unbalanced quotes in request");
    EXPECT("set k 'a'b\r\n", "EProtocol error: unbalanced quotes in request");
    EXPECT("set k \"a\"b\r\n", "EProtocol error: unbalanced quotes in request");
    /* Commands before the error were parsed and are kept. */
    EXPECT("PING\r\n*x\r\n", "C1[4:PING];EProtocol error: invalid multibulk length");

    /* "expected '$'" names the offending byte; a CR is sent as a space by
     * the error reply writer (Redis shows "got ' '"), so accept either. */
    rstr t = parseOneShot("*1\r\n\r\n", 6, &limDefault);
    TEST_ASSERT(strcmp(t, "EProtocol error: expected '$', got '\r'") == 0 ||
                strcmp(t, "EProtocol error: expected '$', got ' '") == 0);
    rstrFree(t);

    /* A 512 MB bulk is allowed by default, one byte more is not. */
    EXPECT("*1\r\n$536870912\r\n", "N");
    /* A lower proto-max-bulk-len is honoured. */
    respLimits small = {100, 1};
    const char *ok = "*1\r\n$100\r\n";
    const char *bad = "*1\r\n$101\r\n";
    expectStr(ok, &small, "N");
    expectStr(bad, &small, "EProtocol error: invalid bulk length");
}

/* Lines longer than 64 KB without their terminator. */
static void testTooBig(void) {
    size_t n = 70000;
    char *in = malloc(n + 8);

    memset(in, 'x', n);
    rstr t = parseOneShot(in, n, &limDefault);
    TEST_ASSERT(strcmp(t, "EProtocol error: too big inline request") == 0);
    rstrFree(t);
    /* Under the limit it just waits. */
    t = parseOneShot(in, 60000, &limDefault);
    TEST_ASSERT(strcmp(t, "N") == 0);
    rstrFree(t);
    /* A complete inline line that is too long is refused too. */
    in[n] = '\n';
    t = parseOneShot(in, n + 1, &limDefault);
    TEST_ASSERT(strcmp(t, "EProtocol error: too big inline request") == 0);
    rstrFree(t);

    in[0] = '*';
    memset(in + 1, '1', n - 1);
    t = parseOneShot(in, n, &limDefault);
    TEST_ASSERT(strcmp(t, "EProtocol error: too big mbulk count string") == 0);
    rstrFree(t);

    memcpy(in, "*1\r\n$", 5);
    memset(in + 5, '1', n - 5);
    t = parseOneShot(in, n, &limDefault);
    TEST_ASSERT(strcmp(t, "EProtocol error: too big bulk count string") == 0);
    rstrFree(t);

    /* Redis checks the length before the '$': a long line that does not
     * start with '$' is also "too big bulk count string". */
    memcpy(in, "*1\r\nf", 5);
    memset(in + 5, 'x', n - 5);
    t = parseOneShot(in, n, &limDefault);
    if (strcmp(t, "EProtocol error: too big bulk count string") != 0)
        fprintf(stderr, "  \"*1\\r\\nfxxx...\" (70000 bytes): %s\n", t);
    TEST_ASSERT(strcmp(t, "EProtocol error: too big bulk count string") == 0);
    rstrFree(t);
    free(in);
}

static void testUnauthenticatedLimits(void) {
    const char *c10 = "*10\r\n$1\r\nx\r\n";
    const char *c11 = "*11\r\n";
    const char *b16384 = "*1\r\n$16384\r\n";
    const char *b16385 = "*1\r\n$16385\r\n";
    expectStr(c10, &limUnauth, "N");
    expectStr(c11, &limUnauth, "EProtocol error: unauthenticated multibulk length");
    expectStr(b16384, &limUnauth, "N");
    expectStr(b16385, &limUnauth, "EProtocol error: unauthenticated bulk length");
    /* Authenticated clients have no such limits. */
    expectStr(c11, &limDefault, "N");
    expectStr(b16385, &limDefault, "N");
    /* The limits never apply to what a small command needs. */
    const char *ping = "*1\r\n$4\r\nPING\r\nAUTH pw\r\n";
    expectStr(ping, &limUnauth, "C1[4:PING];C2[4:AUTH][2:pw];N");
}

/* ------------------------------------------------------------ split invariance */

static void testSplitEveryBoundary(void) {
    static const struct {
        const char *s;
        size_t n;
    } inputs[] = {
#define IN(x) {x, sizeof(x) - 1}
        IN("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n*1\r\n$4\r\nPING\r\n"),
        IN("PING\r\nset k \"a b\"\r\n\r\n*0\r\n*-1\r\nget k\n"),
        IN("*2\r\n$4\r\nECHO\r\n$10\r\n\0\1\2\r\n\n\r\xff\x80\r\n*1\r\n$4\r\nPING\r\n"),
        IN("*2\r\n$4\r\nECHO\r\n$0\r\n\r\nPING\r\n*1\r\n$4\r\nPINGxx"),
        IN("*12\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n"
           "$1\r\ng\r\n$1\r\nh\r\n$1\r\ni\r\n$1\r\nj\r\n$1\r\nk\r\n$2\r\nlm\r\n"),
        /* Ending in errors: the same error whatever the split. */
        IN("PING\r\n*1\r\n$x\r\n"),
        IN("*2\r\n$4\r\nECHO\r\n:5\r\n"),
        IN("*1\r\n$4\r\nPING\r\n*abc\r\n"),
        IN("set a \"b\r\n"),
        IN("*1\r\n$-1\r\n"),
        IN("*1\r\nfoo\r\n"),
        /* Ending incomplete. */
        IN("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$100\r\nabc"),
#undef IN
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
        TEST_ASSERT_EQ(checkSplitInvariance(inputs[i].s, inputs[i].n, &limDefault), 0);
    /* Unauthenticated limits do not depend on splitting either. */
    const char *u = "*1\r\n$4\r\nPING\r\n*11\r\n";
    TEST_ASSERT_EQ(checkSplitInvariance(u, strlen(u), &limUnauth), 0);
}

/* Random valid pipelines: the transcript lists exactly the generated
 * commands, whatever the chunking. */
static void testRandomPipelines(void) {
    for (int round = 0; round < 60; round++) {
        rstr in = rstrEmpty(), want = rstrEmpty();
        int ncmd = 1 + (int)(rngNext() % 8);
        for (int c = 0; c < ncmd; c++) {
            if (rngNext() % 4 == 0) {
                /* Inline: plain words only (no quoting rules involved). */
                int argc = 1 + (int)(rngNext() % 4);
                want = rstrCatPrintf(want, "C%d", argc);
                for (int a = 0; a < argc; a++) {
                    int len = 1 + (int)(rngNext() % 6);
                    char w[8];
                    for (int k = 0; k < len; k++) w[k] = (char)('a' + rngNext() % 26);
                    if (a) in = rstrCatLen(in, " ", 1);
                    in = rstrCatLen(in, w, (size_t)len);
                    want = rstrCatPrintf(want, "[%d:", len);
                    want = rstrCatLen(want, w, (size_t)len);
                    want = rstrCatLen(want, "]", 1);
                }
                in = rstrCatLen(in, "\r\n", 2);
                want = rstrCatLen(want, ";", 1);
            } else {
                int argc = 1 + (int)(rngNext() % 6);
                in = rstrCatPrintf(in, "*%d\r\n", argc);
                want = rstrCatPrintf(want, "C%d", argc);
                for (int a = 0; a < argc; a++) {
                    int len = (int)(rngNext() % 40);
                    char w[40];
                    for (int k = 0; k < len; k++) w[k] = (char)(rngNext() & 0xff);
                    in = rstrCatPrintf(in, "$%d\r\n", len);
                    in = rstrCatLen(in, w, (size_t)len);
                    in = rstrCatLen(in, "\r\n", 2);
                    want = rstrCatPrintf(want, "[%d:", len);
                    want = rstrCatLen(want, w, (size_t)len);
                    want = rstrCatLen(want, "]", 1);
                }
                want = rstrCatLen(want, ";", 1);
            }
        }
        want = rstrCatLen(want, "N", 1);
        rstr got = parseOneShot(in, rstrLen(in), &limDefault);
        TEST_ASSERT(rstrCmp(got, want) == 0);
        rstrFree(got);
        if (round < 15) TEST_ASSERT_EQ(checkSplitInvariance(in, rstrLen(in), &limDefault), 0);
        rstrFree(in);
        rstrFree(want);
    }
}

/* ------------------------------------------------------------ sizes and memory */

static void testManyArguments(void) {
    /* 5000 arguments: past the 1024-slot initial array, which must grow. */
    int argc = 5000;
    rstr in = rstrCatPrintf(rstrEmpty(), "*%d\r\n", argc);
    for (int i = 0; i < argc; i++) {
        char w[16];
        int l = snprintf(w, sizeof(w), "%d", i);
        in = rstrCatPrintf(in, "$%d\r\n%s\r\n", l, w);
    }
    respParser p;
    respParserInit(&p);
    size_t pos = 0;
    TEST_ASSERT_EQ(respParse(&p, in, rstrLen(in), &pos, &limDefault), RESP_PARSE_OK);
    TEST_ASSERT_EQ(p.argc, argc);
    TEST_ASSERT_EQ(pos, rstrLen(in));
    int ok = 1;
    size_t sum = 0;
    for (int i = 0; i < p.argc; i++) {
        char w[16], buf[32];
        size_t len;
        int l = snprintf(w, sizeof(w), "%d", i);
        const char *b = stringObjectBytes(p.argv[i], buf, sizeof(buf), &len);
        if (len != (size_t)l || memcmp(b, w, len) != 0) ok = 0;
        sum += len;
    }
    TEST_ASSERT(ok);
    TEST_ASSERT_EQ(p.argv_len_sum, sum);
    respParserReset(&p);
    TEST_ASSERT_EQ(p.argc, 0);
    TEST_ASSERT_EQ(p.argv_len_sum, 0);
    /* The parser is reusable after a big command. */
    pos = 0;
    TEST_ASSERT_EQ(respParse(&p, "*1\r\n$4\r\nPING\r\n", 14, &pos, &limDefault), RESP_PARSE_OK);
    TEST_ASSERT_EQ(p.argc, 1);
    respParserFree(&p);
    rstrFree(in);
}

static void testBigBulk(void) {
    size_t n = 8 * 1024 * 1024;
    rstr in = rstrCatPrintf(rstrEmpty(), "*2\r\n$3\r\nSET\r\n$%zu\r\n", n);
    size_t hdr = rstrLen(in);
    in = rstrGrowZero(in, hdr + n);
    for (size_t i = 0; i < n; i++) in[hdr + i] = (char)(i * 7 + 3);
    in = rstrCatLen(in, "\r\n", 2);
    respParser p;
    respParserInit(&p);
    size_t pos = 0;
    /* All but the last byte: waits, and has copied nothing big yet. */
    size_t before = zmallocUsedMemory();
    TEST_ASSERT_EQ(respParse(&p, in, rstrLen(in) - 1, &pos, &limDefault), RESP_PARSE_NEED_MORE);
    TEST_ASSERT(zmallocUsedMemory() - before < 64 * 1024);
    TEST_ASSERT_EQ(respParse(&p, in, rstrLen(in), &pos, &limDefault), RESP_PARSE_OK);
    TEST_ASSERT_EQ(p.argc, 2);
    if (p.argc == 2) {
        char buf[32];
        size_t len;
        const char *b = stringObjectBytes(p.argv[1], buf, sizeof(buf), &len);
        TEST_ASSERT_EQ(len, n);
        TEST_ASSERT(memcmp(b, in + hdr, n) == 0);
    }
    respParserFree(&p);
    rstrFree(in);
}

/* Announced sizes cost nothing until the bytes arrive. */
static void testHugeAnnouncedLengths(void) {
    size_t base = zmallocUsedMemory();
    respParser p;
    respParserInit(&p);
    size_t pos = 0;
    const char *a = "*2147483647\r\n";
    TEST_ASSERT_EQ(respParse(&p, a, strlen(a), &pos, &limDefault), RESP_PARSE_NEED_MORE);
    size_t after = zmallocUsedMemory();
    if (after - base >= 64 * 1024)
        fprintf(stderr, "  *2147483647 allocated %zu bytes\n", after - base);
    TEST_ASSERT(after - base < 64 * 1024);

    /* Then a 512 MB bulk header: still nothing big. */
    const char *b = "*2147483647\r\n$536870912\r\nabc";
    TEST_ASSERT_EQ(respParse(&p, b, strlen(b), &pos, &limDefault), RESP_PARSE_NEED_MORE);
    after = zmallocUsedMemory();
    TEST_ASSERT(after - base < 64 * 1024);
    respParserFree(&p);
    TEST_ASSERT_EQ(zmallocUsedMemory(), base);

    /* A huge count followed by a few thousand small arguments: memory
     * follows what arrived (about 3000 slots), not what was announced. */
    respParserInit(&p);
    rstr in = rstrNew("*1000000000\r\n");
    for (int i = 0; i < 3000; i++) in = rstrCat(in, "$1\r\nx\r\n");
    pos = 0;
    base = zmallocUsedMemory();
    TEST_ASSERT_EQ(respParse(&p, in, rstrLen(in), &pos, &limDefault), RESP_PARSE_NEED_MORE);
    TEST_ASSERT_EQ(p.argc, 3000);
    after = zmallocUsedMemory();
    if (after - base >= 1024 * 1024)
        fprintf(stderr, "  3000 args of *1000000000 took %zu bytes\n", after - base);
    TEST_ASSERT(after - base < 1024 * 1024);
    respParserFree(&p);
    rstrFree(in);

    /* Unauthenticated: refused before anything is allocated. */
    base = zmallocUsedMemory();
    respParserInit(&p);
    pos = 0;
    TEST_ASSERT_EQ(respParse(&p, a, strlen(a), &pos, &limUnauth), RESP_PARSE_ERR);
    respParserFree(&p);
    TEST_ASSERT_EQ(zmallocUsedMemory(), base);
}

/* Errors and resets leave no memory behind. */
static void testNoLeaks(void) {
    size_t base = zmallocUsedMemory();
    static const char *const inputs[] = {
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$x\r\n",
        "set k \"v\r\n", "set k v\r\n", "*2\r\n$3\r\nGET\r\n$3\r\nab", "\r\n",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        rstr t = parseOneShot(inputs[i], strlen(inputs[i]), &limDefault);
        rstrFree(t);
    }
    TEST_ASSERT_EQ(zmallocUsedMemory(), base);

    /* Reset after an error makes the parser usable again. */
    respParser p;
    respParserInit(&p);
    size_t pos = 0;
    TEST_ASSERT_EQ(respParse(&p, "*1\r\n$x\r\n", 8, &pos, &limDefault), RESP_PARSE_ERR);
    TEST_ASSERT(p.error != NULL);
    respParserReset(&p);
    TEST_ASSERT(p.error == NULL);
    pos = 0;
    TEST_ASSERT_EQ(respParse(&p, "*1\r\n$4\r\nPING\r\n", 14, &pos, &limDefault), RESP_PARSE_OK);
    TEST_ASSERT_EQ(p.argc, 1);
    respParserFree(&p);
    TEST_ASSERT_EQ(zmallocUsedMemory(), base);
}

int main(void) {
    TEST_RUN(testMultibulk);
    TEST_RUN(testInline);
    TEST_RUN(testEmptyInlineFlag);
    TEST_RUN(testProtocolErrors);
    TEST_RUN(testTooBig);
    TEST_RUN(testUnauthenticatedLimits);
    TEST_RUN(testSplitEveryBoundary);
    TEST_RUN(testRandomPipelines);
    TEST_RUN(testManyArguments);
    TEST_RUN(testBigBulk);
    TEST_RUN(testHugeAnnouncedLengths);
    TEST_RUN(testNoLeaks);
    return testReport();
}
