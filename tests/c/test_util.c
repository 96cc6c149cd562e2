/* test_util.c -- unit tests for util.c: number parsing and formatting, glob
 * matching, memory-unit parsing.
 *
 * These helpers decide the exact text of replies (d2string is how a score is
 * printed) and which arguments are accepted (string2ll is why "+1" and "01"
 * are refused), so the expectations below are Redis 7.0's observable
 * behaviour, not what a reasonable parser might do.  The glob table was read
 * off a running redis-server with one key and KEYS <pattern>, including the
 * odd corners of character classes ("[a-]" is a range ending at ']').
 *
 * Pattern matching runs on patterns clients send (KEYS, SCAN MATCH), so the
 * pathological-pattern tests run in a forked child under alarm(): an
 * exponential matcher fails the test after a few seconds instead of hanging
 * the suite. */
#include "util.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

/* ------------------------------------------------------------ helpers */

static int ll(const char *s, long long *v) {
    return string2ll(s, strlen(s), v);
}

/* Deterministic PRNG (splitmix64), so failures reproduce. */
static unsigned long long rngState = 0x9e3779b97f4a7c15ULL;
static unsigned long long rngNext(void) {
    unsigned long long z = (rngState += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Runs fn in a child with a time limit.  Returns fn's result (0..127), or -1
 * if the child was killed (by the alarm or by a crash). */
static int runBounded(int (*fn)(void), unsigned seconds) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(seconds);
        _exit(fn() & 0x7f);
    }
    if (pid < 0) return -1;
    int status;
    while (waitpid(pid, &status, 0) == -1) {
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    fprintf(stderr, "  child killed by signal %d (%s)\n", WTERMSIG(status),
            WTERMSIG(status) == SIGALRM ? "time limit exceeded" : "crash");
    return -1;
}

/* ------------------------------------------------------------ string2ll */

static void testString2llValid(void) {
    static const struct {
        const char *s;
        long long v;
    } ok[] = {
        {"0", 0},
        {"1", 1},
        {"-1", -1},
        {"10", 10},
        {"-10", -10},
        {"123456789", 123456789},
        {"9223372036854775807", LLONG_MAX},
        {"-9223372036854775808", LLONG_MIN},
        {"9223372036854775806", LLONG_MAX - 1},
        {"-9223372036854775807", LLONG_MIN + 1},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        long long v = 12345;
        TEST_ASSERT(ll(ok[i].s, &v) == 1);
        TEST_ASSERT_EQ(v, ok[i].v);
    }
    /* The length, not the NUL, ends the number. */
    long long v;
    TEST_ASSERT(string2ll("12345", 3, &v) == 1);
    TEST_ASSERT_EQ(v, 123);
    /* A NULL target only validates. */
    TEST_ASSERT(string2ll("42", 2, NULL) == 1);
    TEST_ASSERT(string2ll("4x", 2, NULL) == 0);
}

static void testString2llInvalid(void) {
    static const char *const bad[] = {
        "", "-", "+1", " 1", "1 ", "01", "00", "-0", "-01", "1a", "a", "1.0", "1e3", "0x10",
        "9223372036854775808", "-9223372036854775809", "18446744073709551615",
        "18446744073709551616", "99999999999999999999", "-99999999999999999999",
        "100000000000000000000000", "000000000000000000000001", "--1", "1-", "\t1", "1\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        long long v = 777;
        int r = ll(bad[i], &v);
        if (r != 0) fprintf(stderr, "  string2ll accepted \"%s\"\n", bad[i]);
        TEST_ASSERT(r == 0);
    }
    /* Embedded NUL bytes are not digits. */
    TEST_ASSERT(string2ll("1\0", 2, NULL) == 0);
    TEST_ASSERT(string2ll("\0" "1", 2, NULL) == 0);
}

static void testString2lAndUll(void) {
    long l;
    TEST_ASSERT(string2l("-42", 3, &l) == 1);
    TEST_ASSERT_EQ(l, -42);
    TEST_ASSERT(string2l("9223372036854775807", 19, &l) == 1);
    TEST_ASSERT(l == LONG_MAX);
    TEST_ASSERT(string2l("+1", 2, &l) == 0);

    unsigned long long u;
    TEST_ASSERT(string2ull("18446744073709551615", &u) == 1);
    TEST_ASSERT(u == ULLONG_MAX);
    TEST_ASSERT(string2ull("9223372036854775808", &u) == 1);
    TEST_ASSERT(u == 9223372036854775808ULL);
    TEST_ASSERT(string2ull("0", &u) == 1 && u == 0);
    TEST_ASSERT(string2ull("18446744073709551616", &u) == 0);
    TEST_ASSERT(string2ull("-1", &u) == 0);
    TEST_ASSERT(string2ull(" 1", &u) == 0);
    TEST_ASSERT(string2ull("", &u) == 0);
    TEST_ASSERT(string2ull("12a", &u) == 0);
}

/* Every long long survives ll2string -> string2ll unchanged, and the text is
 * what printf prints. */
static void testLl2stringRoundTrip(void) {
    char buf[LONG_STR_SIZE], ref[32];
    for (int i = 0; i < 200000; i++) {
        long long v;
        switch (i % 4) {
        case 0: v = (long long)rngNext(); break;
        case 1: v = (long long)(rngNext() % 2000) - 1000; break;
        case 2: v = (long long)(rngNext() >> (rngNext() % 64)); break;
        default: v = -(long long)(rngNext() >> (1 + rngNext() % 63)); break;
        }
        int n = ll2string(buf, sizeof(buf), v);
        snprintf(ref, sizeof(ref), "%lld", v);
        TEST_ASSERT_EQ(n, (long long)strlen(ref));
        TEST_ASSERT(strcmp(buf, ref) == 0);
        long long back;
        TEST_ASSERT(string2ll(buf, (size_t)n, &back) == 1);
        TEST_ASSERT_EQ(back, v);
    }
}

static void testLl2stringEdges(void) {
    char buf[64];
    TEST_ASSERT_EQ(ll2string(buf, sizeof(buf), 0), 1);
    TEST_ASSERT(strcmp(buf, "0") == 0);
    TEST_ASSERT_EQ(ll2string(buf, sizeof(buf), LLONG_MIN), 20);
    TEST_ASSERT(strcmp(buf, "-9223372036854775808") == 0);
    TEST_ASSERT_EQ(ll2string(buf, sizeof(buf), LLONG_MAX), 19);
    TEST_ASSERT(strcmp(buf, "9223372036854775807") == 0);
    /* LONG_STR_SIZE holds the longest value and its NUL. */
    TEST_ASSERT_EQ(ll2string(buf, LONG_STR_SIZE, LLONG_MIN), 20);

    /* Exact fit versus one byte short: "123" needs 4 bytes. */
    TEST_ASSERT_EQ(ll2string(buf, 4, 123), 3);
    TEST_ASSERT(strcmp(buf, "123") == 0);
    memset(buf, 'x', sizeof(buf));
    TEST_ASSERT_EQ(ll2string(buf, 3, 123), 0);
    TEST_ASSERT(buf[0] == '\0');
    TEST_ASSERT_EQ(ll2string(buf, 5, -123), 4);
    TEST_ASSERT(strcmp(buf, "-123") == 0);
    memset(buf, 'x', sizeof(buf));
    TEST_ASSERT_EQ(ll2string(buf, 4, -123), 0);
    TEST_ASSERT(buf[0] == '\0');
    memset(buf, 'x', sizeof(buf));
    TEST_ASSERT_EQ(ll2string(buf, 1, -5), 0);
    TEST_ASSERT(buf[0] == '\0');
    /* Nothing is written when there is no room at all. */
    buf[0] = 'x';
    TEST_ASSERT_EQ(ll2string(buf, 0, 7), 0);
    TEST_ASSERT(buf[0] == 'x');

    TEST_ASSERT_EQ(ull2string(buf, sizeof(buf), ULLONG_MAX), 20);
    TEST_ASSERT(strcmp(buf, "18446744073709551615") == 0);
    TEST_ASSERT_EQ(ull2string(buf, 20, ULLONG_MAX), 0);
}

/* ------------------------------------------------------------ floats */

static void testString2ld(void) {
    long double v;
    TEST_ASSERT(string2ld("1.5", 3, &v) == 1 && v == 1.5L);
    TEST_ASSERT(string2ld("-0.25", 5, &v) == 1 && v == -0.25L);
    TEST_ASSERT(string2ld("10", 2, &v) == 1 && v == 10.0L);
    TEST_ASSERT(string2ld("1e3", 3, &v) == 1 && v == 1000.0L);
    TEST_ASSERT(string2ld(".5", 2, &v) == 1 && v == 0.5L);
    TEST_ASSERT(string2ld("5.", 2, &v) == 1 && v == 5.0L);
    TEST_ASSERT(string2ld("+1.5", 4, &v) == 1 && v == 1.5L);
    /* Infinity parses (callers such as INCRBYFLOAT refuse it themselves). */
    TEST_ASSERT(string2ld("inf", 3, &v) == 1 && isinf(v) && v > 0);
    TEST_ASSERT(string2ld("-inf", 4, &v) == 1 && isinf(v) && v < 0);
    /* Only the given length counts. */
    TEST_ASSERT(string2ld("2.5xyz", 3, &v) == 1 && v == 2.5L);

    static const char *const bad[] = {"", " 1", "1 ", "abc", "1.5x", "nan", "-nan", "NaN",
                                      "1e5000", "-1e5000", "1e-5000", "1..2", "--1", "\n1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int r = string2ld(bad[i], strlen(bad[i]), &v);
        if (r != 0) fprintf(stderr, "  string2ld accepted \"%s\"\n", bad[i]);
        TEST_ASSERT(r == 0);
    }
    /* Too long to be a number anyone sends: refused without overflowing. */
    char *huge = malloc(MAX_LONG_DOUBLE_CHARS + 10);
    memset(huge, '1', MAX_LONG_DOUBLE_CHARS + 10);
    TEST_ASSERT(string2ld(huge, MAX_LONG_DOUBLE_CHARS + 10, &v) == 0);
    TEST_ASSERT(string2d(huge, MAX_LONG_DOUBLE_CHARS + 10, NULL) == 0);
    free(huge);
}

static void testString2d(void) {
    double d;
    TEST_ASSERT(string2d("3.25", 4, &d) == 1 && d == 3.25);
    TEST_ASSERT(string2d("-1e10", 5, &d) == 1 && d == -1e10);
    TEST_ASSERT(string2d("inf", 3, &d) == 1 && isinf(d));
    TEST_ASSERT(string2d("1e400", 5, &d) == 0);   /* overflow */
    TEST_ASSERT(string2d("-1e400", 6, &d) == 0);
    TEST_ASSERT(string2d("1e-400", 6, &d) == 0);  /* underflow to zero */
    TEST_ASSERT(string2d("nan", 3, &d) == 0);
    TEST_ASSERT(string2d(" 1", 2, &d) == 0);
    TEST_ASSERT(string2d("", 0, &d) == 0);
    TEST_ASSERT(string2d("1,5", 3, &d) == 0);
}

static void checkD2string(double v, const char *expected) {
    char buf[MAX_D2STRING_CHARS];
    int n = d2string(buf, sizeof(buf), v);
    if (strcmp(buf, expected) != 0)
        fprintf(stderr, "  d2string(%.17g) = \"%s\", expected \"%s\"\n", v, buf, expected);
    TEST_ASSERT(strcmp(buf, expected) == 0);
    TEST_ASSERT_EQ(n, (long long)strlen(expected));
}

/* Expected texts are what ZSCORE prints for the same score in Redis 7. */
static void testD2string(void) {
    checkD2string(0.0, "0");
    checkD2string(-0.0, "-0");
    checkD2string(1.0, "1");
    checkD2string(-1.0, "-1");
    checkD2string(1.5, "1.5");
    checkD2string(-2.5, "-2.5");
    checkD2string(0.1, "0.10000000000000001");
    checkD2string(1.0 / 3.0, "0.33333333333333331");
    checkD2string(100.0, "100");
    checkD2string(1e15, "1000000000000000");
    checkD2string(4503599627370495.0, "4503599627370495");
    checkD2string(-4503599627370495.0, "-4503599627370495");
    checkD2string(1e20, "1e+20");
    checkD2string(-1e20, "-1e+20");
    checkD2string(1e-5, "1.0000000000000001e-05");
    checkD2string(123456789.125, "123456789.125");
    checkD2string(HUGE_VAL, "inf");
    checkD2string(-HUGE_VAL, "-inf");
    checkD2string(DBL_MAX, "1.7976931348623157e+308");
    checkD2string(DBL_MIN, "2.2250738585072014e-308");
    /* Round trip: the 17 significant digits always parse back exactly. */
    for (int i = 0; i < 20000; i++) {
        double v;
        unsigned long long bits = rngNext();
        memcpy(&v, &bits, sizeof(v));
        if (isnan(v) || isinf(v)) continue;
        char buf[MAX_D2STRING_CHARS];
        int n = d2string(buf, sizeof(buf), v);
        double back;
        TEST_ASSERT(n > 0 && n < MAX_D2STRING_CHARS);
        if (v == 0 || fabs(v) < DBL_MIN) continue; /* denormals may set ERANGE */
        TEST_ASSERT(string2d(buf, (size_t)n, &back) == 1);
        TEST_ASSERT(back == v);
    }
}

static void checkLd2string(long double v, int human, const char *expected) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    int n = ld2string(buf, sizeof(buf), v, human);
    if (strcmp(buf, expected) != 0)
        fprintf(stderr, "  ld2string(%Lg, %d) = \"%s\", expected \"%s\"\n", v, human, buf,
                expected);
    TEST_ASSERT(strcmp(buf, expected) == 0);
    TEST_ASSERT_EQ(n, (long long)strlen(expected));
}

/* Human-friendly output is what INCRBYFLOAT replies. */
static void testLd2string(void) {
    checkLd2string(10.5L, 1, "10.5");
    checkLd2string(3.0L, 1, "3");
    checkLd2string(0.0L, 1, "0");
    checkLd2string(-0.0L, 1, "0");
    checkLd2string(0.1L, 1, "0.1");
    checkLd2string(-1.25L, 1, "-1.25");
    checkLd2string(5.0e3L, 1, "5000");
    checkLd2string(1e20L, 1, "100000000000000000000");
    checkLd2string(HUGE_VALL, 1, "inf");
    checkLd2string(-HUGE_VALL, 1, "-inf");
    checkLd2string(1.5L, 0, "1.5");
    checkLd2string(1e20L, 0, "1e+20");
    /* Too small a buffer is an error, not an overflow. */
    char small[4];
    TEST_ASSERT_EQ(ld2string(small, sizeof(small), 12345.5L, 1), 0);
    TEST_ASSERT_EQ(ld2string(small, sizeof(small), HUGE_VALL, 1), 0);
}

/* ------------------------------------------------------------ memtoll */

static void testMemtoll(void) {
    static const struct {
        const char *s;
        long long v;
    } ok[] = {
        {"0", 0},
        {"1", 1},
        {"100", 100},
        {"1b", 1},
        {"1k", 1000},
        {"1kb", 1024},
        {"1K", 1000},
        {"1KB", 1024},
        {"1kB", 1024},
        {"2m", 2000000},
        {"2mb", 2 * 1024 * 1024},
        {"3g", 3000000000LL},
        {"3gb", 3LL * 1024 * 1024 * 1024},
        {"3GB", 3LL * 1024 * 1024 * 1024},
        {"-1", -1},
        {"-2kb", -2048},
        {"9223372036854775807", LLONG_MAX},
        {"8589934591gb", 8589934591LL * 1024 * 1024 * 1024},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        int err = 1;
        long long v = memtoll(ok[i].s, &err);
        if (err || v != ok[i].v) fprintf(stderr, "  memtoll(\"%s\") = %lld err=%d\n", ok[i].s, v, err);
        TEST_ASSERT(err == 0);
        TEST_ASSERT_EQ(v, ok[i].v);
    }
    static const char *const bad[] = {"", "k", "kb", "1x", "1kbb", "1 kb", " 1", "1.5gb", "1tb",
                                      "abc", "99999999999999999999", "9223372036854775807k",
                                      "8589934592gb", "1-"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int err = 0;
        long long v = memtoll(bad[i], &err);
        if (!err) fprintf(stderr, "  memtoll accepted \"%s\" = %lld\n", bad[i], v);
        TEST_ASSERT(err == 1);
        TEST_ASSERT_EQ(v, 0);
    }
    /* err may be NULL. */
    TEST_ASSERT_EQ(memtoll("5kb", NULL), 5120);
}

/* ------------------------------------------------------------ stringmatchlen */

/* (pattern, string, Redis 7.0's answer) read off a running redis-server. */
static const struct globCase {
    const char *pattern;
    const char *string;
    int match;
} globCases[] = {
    /* Redis 7.0 matches the empty string with the empty pattern only
     * (its loop never starts), so PSUBSCRIBE * misses channel "". */
    {"*", "", 0},
    {"*", "abc", 1},
    {"?", "", 0},
    {"?", "a", 1},
    {"?", "ab", 0},
    {"??", "ab", 1},
    {"a*", "a", 1},
    {"a*b", "ab", 1},
    {"a*b", "axxb", 1},
    {"a*b", "axxbc", 0},
    {"*b", "b", 1},
    {"*b", "ab", 1},
    {"*b", "ba", 0},
    {"a?c", "abc", 1},
    {"a?c", "ac", 0},
    {"h[ae]llo", "hallo", 1},
    {"h[ae]llo", "hillo", 0},
    {"h[^e]llo", "hallo", 1},
    {"h[^e]llo", "hello", 0},
    {"h[a-b]llo", "hbllo", 1},
    {"h[a-b]llo", "hcllo", 0},
    {"[z-a]", "m", 1},
    {"[z-a]", "A", 0},
    {"[a-]", "-", 0},
    {"[a-]", "a", 1},
    {"[a-", "-", 1},
    {"[a-", "a", 1},
    {"[a-", "b", 0},
    {"[abc", "a", 1},
    {"[abc", "[", 0},
    {"a[", "a", 0},
    {"a[", "a[", 0},
    {"[]", "]", 0},
    {"[]]", "]", 0},
    {"[\\]]", "]", 1},
    {"[^]", "a", 1},
    {"a\\", "a\\", 1},
    {"a\\", "a", 0},
    {"\\*", "*", 1},
    {"\\*", "a", 0},
    {"\\?", "?", 1},
    {"\\?", "x", 0},
    {"\\[a]", "[a]", 1},
    {"\\[a]", "a", 0},
    {"[\\-]", "-", 1},
    {"[\\^a]", "^", 1},
    {"[!a]", "b", 0},
    {"[!a]", "!", 1},
    {"*a*", "bab", 1},
    {"**", "x", 1},
    {"a**b", "ab", 1},
    {"*?", "", 0},
    {"*?", "x", 1},
    {"?*?", "ab", 1},
    {"?*?", "a", 0},
    {"[a-c][x-z]", "by", 1},
    {"[a-c][x-z]", "bb", 0},
    {"[]a]", "a", 0},
    {"[-a]", "-", 1},
    {"[a-c-e]", "d", 0},
    {"[a-c-e]", "-", 1},
    {"[a-c-e]", "e", 1},
    {"[[]", "[", 1},
    {"x[^a-z]y", "x1y", 1},
    {"x[^a-z]y", "xay", 0},
    {"x[^]y", "x]y", 1},
    {"x[^]y", "xay", 1},
    {"**a", "a", 1},
    {"*\\", "a\\", 1},
    {"[\\", "\\", 1},
    {"[\\", "a", 0},
    {"ab[c", "abc", 1},
};

static void testStringmatchTable(void) {
    for (size_t i = 0; i < sizeof(globCases) / sizeof(globCases[0]); i++) {
        const struct globCase *c = &globCases[i];
        int got = stringmatchlen(c->pattern, strlen(c->pattern), c->string, strlen(c->string), 0);
        if (got != c->match)
            fprintf(stderr, "  stringmatchlen(\"%s\", \"%s\") = %d, Redis says %d\n", c->pattern,
                    c->string, got, c->match);
        TEST_ASSERT_EQ(got, c->match);
        /* stringmatch is the same on NUL-terminated input. */
        TEST_ASSERT_EQ(stringmatch(c->pattern, c->string, 0), got);
    }
}

static void testStringmatchNocaseAndBinary(void) {
    TEST_ASSERT(stringmatch("HELLO*", "hello world", 1) == 1);
    TEST_ASSERT(stringmatch("HELLO*", "hello world", 0) == 0);
    TEST_ASSERT(stringmatch("h[A-C]llo", "hbllo", 1) == 1);
    TEST_ASSERT(stringmatch("h[A-C]llo", "hbllo", 0) == 0);
    TEST_ASSERT(stringmatch("h[^B]llo", "hbllo", 1) == 0);
    TEST_ASSERT(stringmatch("?X?", "axb", 1) == 1);
    /* Lengths, not NULs, delimit both strings. */
    TEST_ASSERT(stringmatchlen("a?c", 3, "a\0c", 3, 0) == 1);
    TEST_ASSERT(stringmatchlen("a\0*", 3, "a\0zzz", 5, 0) == 1);
    TEST_ASSERT(stringmatchlen("a\0*", 3, "a\1zzz", 5, 0) == 0);
    TEST_ASSERT(stringmatchlen("*\r\n", 3, "x\r\n", 3, 0) == 1);
    TEST_ASSERT(stringmatchlen("[\x80-\xff]", 5, "\xc3", 1, 0) == 1);
    TEST_ASSERT(stringmatchlen("[\x80-\xff]", 5, "\x7f", 1, 0) == 0);
    /* A pattern shorter than its C string. */
    TEST_ASSERT(stringmatchlen("abcdef", 3, "abc", 3, 0) == 1);
    TEST_ASSERT(stringmatchlen("", 0, "", 0, 0) == 1);
    TEST_ASSERT(stringmatchlen("", 0, "a", 1, 0) == 0);
}

/* Random agreement with a simple reference matcher (no classes or escapes,
 * so the reference can be obviously right: dynamic programming). */
static int refMatch(const char *p, size_t pl, const char *s, size_t sl) {
    unsigned char *dp = calloc((pl + 1) * (sl + 1), 1);
#define DP(i, j) dp[(i) * (sl + 1) + (j)]
    DP(pl, sl) = 1;
    for (size_t i = pl + 1; i-- > 0;) {
        for (size_t j = sl + 1; j-- > 0;) {
            if (i == pl) {
                DP(i, j) = (j == sl);
                continue;
            }
            if (p[i] == '*')
                DP(i, j) = DP(i + 1, j) || (j < sl && DP(i, j + 1));
            else if (p[i] == '?')
                DP(i, j) = j < sl && DP(i + 1, j + 1);
            else
                DP(i, j) = j < sl && p[i] == s[j] && DP(i + 1, j + 1);
        }
    }
    int r = sl == 0 ? pl == 0 : DP(0, 0); /* Redis's rule for "" (see the table) */
#undef DP
    free(dp);
    return r;
}

static void testStringmatchRandom(void) {
    static const char palphabet[] = "ab*?";
    char p[16], s[24];
    for (int iter = 0; iter < 100000; iter++) {
        size_t pl = rngNext() % sizeof(p), sl = rngNext() % sizeof(s);
        for (size_t i = 0; i < pl; i++) p[i] = palphabet[rngNext() % 4];
        for (size_t i = 0; i < sl; i++) s[i] = "ab"[rngNext() % 2];
        int got = stringmatchlen(p, pl, s, sl, 0);
        int want = refMatch(p, pl, s, sl);
        if (got != want)
            fprintf(stderr, "  \"%.*s\" vs \"%.*s\": %d, reference %d\n", (int)pl, p, (int)sl, s,
                    got, want);
        TEST_ASSERT_EQ(got, want);
    }
}

/* --- pathological patterns: each returns 1 when the answer is right. */

static char *repeat(const char *unit, int times, const char *tail) {
    size_t ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(ul * (size_t)times + tl + 1);
    for (int i = 0; i < times; i++) memcpy(s + ul * (size_t)i, unit, ul);
    memcpy(s + ul * (size_t)times, tail, tl + 1);
    return s;
}

/* "a*a*a*...*b" against a long run of 'a': exponential for a naive
 * backtracking matcher (CVE-2022-36021 is this against Redis). */
static int pathoStarsNoMatch(void) {
    char *pat = repeat("a*", 30, "b");
    char *str = repeat("a", 200, "");
    int r = stringmatch(pat, str, 0);
    free(pat);
    free(str);
    return r == 0;
}

static int pathoLeadingStars(void) {
    char *pat = repeat("*a", 40, "*b");
    char *str = repeat("a", 5000, "");
    int r = stringmatch(pat, str, 0);
    free(pat);
    free(str);
    return r == 0;
}

static int pathoQuestionStars(void) {
    char *pat = repeat("*?", 50, "x");
    char *str = repeat("y", 3000, "");
    int r = stringmatch(pat, str, 0);
    free(pat);
    free(str);
    return r == 0;
}

static int pathoNocaseClasses(void) {
    char *pat = repeat("*[a-z]", 30, "!");
    char *str = repeat("A", 2000, "");
    int r = stringmatch(pat, str, 1);
    free(pat);
    free(str);
    return r == 0;
}

/* A matching pathological pattern must still match. */
static int pathoStarsMatch(void) {
    char *pat = repeat("a*", 30, "b");
    char *str = repeat("a", 200, "b");
    int r = stringmatch(pat, str, 0);
    free(pat);
    free(str);
    return r == 1;
}

/* A million consecutive stars collapse to one. */
static int pathoManyStars(void) {
    char *pat = repeat("*", 1000000, "z");
    int r1 = stringmatch(pat, "abcz", 0);
    int r2 = stringmatch(pat, "abc", 0);
    free(pat);
    return r1 == 1 && r2 == 0;
}

/* Nesting: Redis refuses patterns deeper than 1000 stars rather than
 * risking the stack (900 pairs match, 2000 pairs do not), and the matcher
 * must not crash on 100k stars separated by letters. */
static int pathoDeepNesting(void) {
    char *pat900 = repeat("a*", 900, "");
    char *pat2000 = repeat("a*", 2000, "");
    char *str = repeat("a", 2000, "");
    char *patHuge = repeat("a*", 100000, "");
    int r900 = stringmatch(pat900, str, 0);
    int r2000 = stringmatch(pat2000, str, 0);
    int rHuge = stringmatch(patHuge, str, 0);
    free(pat900);
    free(pat2000);
    free(str);
    free(patHuge);
    if (r900 != 1) fprintf(stderr, "  900 nested stars: %d, expected 1\n", r900);
    if (r2000 != 0) fprintf(stderr, "  2000 nested stars: %d, expected 0 (Redis)\n", r2000);
    return r900 == 1 && r2000 == 0 && rHuge == 0;
}

static int pathoLongClass(void) {
    /* An unterminated class as long as the pattern, tried at every position. */
    char *pat = repeat("*[", 1, "");
    char *cls = repeat("abcdefgh", 10000, "");
    size_t pl = strlen(pat) + strlen(cls);
    char *full = malloc(pl + 1);
    memcpy(full, pat, strlen(pat));
    memcpy(full + strlen(pat), cls, strlen(cls) + 1);
    char *str = repeat("z", 500, "");
    int r = stringmatchlen(full, pl, str, strlen(str), 0);
    free(pat);
    free(cls);
    free(full);
    free(str);
    return r == 0;
}

static void testStringmatchPathological(void) {
    static const struct {
        const char *name;
        int (*fn)(void);
    } cases[] = {
        {"a*a*..*b vs aaaa", pathoStarsNoMatch},   {"*a*a..*b vs aaaa", pathoLeadingStars},
        {"*?*?..x vs yyyy", pathoQuestionStars},   {"*[a-z].. nocase", pathoNocaseClasses},
        {"a*a*..*b vs aaa..b", pathoStarsMatch},   {"1M stars", pathoManyStars},
        {"deep nesting", pathoDeepNesting},        {"long class", pathoLongClass},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int r = runBounded(cases[i].fn, 3);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (r != 1)
            fprintf(stderr, "  pathological pattern \"%s\": %s after %.2fs\n", cases[i].name,
                    r == -1 ? "killed" : "wrong answer", secs);
        TEST_ASSERT(r == 1);
    }
}

/* ------------------------------------------------------------ misc */

static void testPathIsBaseNameAndRandom(void) {
    TEST_ASSERT(pathIsBaseName("dump.rdb") == 1);
    TEST_ASSERT(pathIsBaseName("dir/dump.rdb") == 0);
    TEST_ASSERT(pathIsBaseName("..\\dump.rdb") == 0);
    char hex[41];
    getRandomHexChars(hex, 40);
    hex[40] = '\0';
    for (int i = 0; i < 40; i++) TEST_ASSERT(strchr("0123456789abcdef", hex[i]) != NULL);
    char hex2[41];
    getRandomHexChars(hex2, 40);
    hex2[40] = '\0';
    TEST_ASSERT(strcmp(hex, hex2) != 0);
}

static void testClocks(void) {
    long long m0 = monotonicUs(), u0 = ustime(), ms0 = mstime();
    usleep(20000);
    long long m1 = monotonicUs(), u1 = ustime(), ms1 = mstime();
    TEST_ASSERT(m1 - m0 >= 19000 && m1 - m0 < 2000000);
    TEST_ASSERT(u1 - u0 >= 15000);
    TEST_ASSERT(ms1 - ms0 >= 15);
    TEST_ASSERT(ms0 / 1000 - u0 / 1000000 <= 1);
}

/* CRC-64/Jones: the standard check value of "123456789" (Redis's crc64 test). */
static void testCrc64(void) {
    TEST_ASSERT(crc64(0, (const unsigned char *)"123456789", 9) == 0xe9c6d914c4b8d9caULL);
    /* Incremental equals one-shot, at every split. */
    const char *text = "The quick brown fox jumps over the lazy dog, twice over.";
    size_t n = strlen(text);
    uint64_t whole = crc64(0, (const unsigned char *)text, n);
    for (size_t k = 0; k <= n; k++) {
        uint64_t part = crc64(0, (const unsigned char *)text, k);
        part = crc64(part, (const unsigned char *)text + k, n - k);
        TEST_ASSERT(part == whole);
    }
}

int main(void) {
    TEST_RUN(testString2llValid);
    TEST_RUN(testString2llInvalid);
    TEST_RUN(testString2lAndUll);
    TEST_RUN(testLl2stringRoundTrip);
    TEST_RUN(testLl2stringEdges);
    TEST_RUN(testString2ld);
    TEST_RUN(testString2d);
    TEST_RUN(testD2string);
    TEST_RUN(testLd2string);
    TEST_RUN(testMemtoll);
    TEST_RUN(testStringmatchTable);
    TEST_RUN(testStringmatchNocaseAndBinary);
    TEST_RUN(testStringmatchRandom);
    TEST_RUN(testStringmatchPathological);
    TEST_RUN(testPathIsBaseNameAndRandom);
    TEST_RUN(testClocks);
    TEST_RUN(testCrc64);
    return testReport();
}
