/* test_rstr.c -- unit tests for rstr.c, the binary-safe string library.
 *
 * Every value and argument the server handles is an rstr, so the tests pin
 * down the contract callers rely on: the length is stored, not found by
 * strlen (NULs inside are data); there is always a NUL after the last byte;
 * growth is amortised (greedy doubling below 1 MB, then 1 MB steps) while
 * the "exact" variants never over-allocate; and the quoting/splitting helpers
 * behave like redis-cli's, since CONFIG, inline requests and MONITOR output
 * go through them.  Run under ASan (make SANITIZE=address) these tests also
 * prove no operation touches a byte outside the allocation. */
#include "rstr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "zmalloc.h"

/* True when s holds exactly the len bytes at p, followed by a NUL. */
static int rstrIs(const rstr s, const void *p, size_t len) {
    return rstrLen(s) == len && memcmp(s, p, len) == 0 && s[len] == '\0';
}

#define RSTR_IS_LIT(s, lit) rstrIs((s), (lit), sizeof(lit) - 1)

static void testCreate(void) {
    rstr s = rstrNew("hello");
    TEST_ASSERT(RSTR_IS_LIT(s, "hello"));
    rstrFree(s);

    s = rstrNewLen("a\0b", 3);
    TEST_ASSERT(RSTR_IS_LIT(s, "a\0b"));
    TEST_ASSERT(strlen(s) == 1); /* C functions see the first NUL, rstrLen does not */
    rstrFree(s);

    /* NULL init: zero-filled. */
    s = rstrNewLen(NULL, 16);
    TEST_ASSERT_EQ(rstrLen(s), 16);
    for (int i = 0; i <= 16; i++) TEST_ASSERT(s[i] == 0);
    rstrFree(s);

    s = rstrNew(NULL);
    TEST_ASSERT(RSTR_IS_LIT(s, ""));
    rstrFree(s);

    s = rstrEmpty();
    TEST_ASSERT(RSTR_IS_LIT(s, ""));
    rstr d = rstrDup(s);
    TEST_ASSERT(d != s && RSTR_IS_LIT(d, ""));
    rstrFree(s);
    rstrFree(d);

    s = rstrNewLen("x\0y\r\n", 5);
    d = rstrDup(s);
    TEST_ASSERT(d != s && RSTR_IS_LIT(d, "x\0y\r\n"));
    rstrFree(s);
    rstrFree(d);

    rstrFree(NULL); /* allowed, like free(NULL) */

    s = rstrFromLongLong(-9223372036854775807LL - 1);
    TEST_ASSERT(RSTR_IS_LIT(s, "-9223372036854775808"));
    rstrFree(s);
    s = rstrFromLongLong(0);
    TEST_ASSERT(RSTR_IS_LIT(s, "0"));
    rstrFree(s);
}

static void testAllBytes(void) {
    unsigned char all[256];
    for (int i = 0; i < 256; i++) all[i] = (unsigned char)i;
    rstr s = rstrNewLen(all, 256);
    TEST_ASSERT(rstrIs(s, all, 256));
    s = rstrCatLen(s, all, 256);
    TEST_ASSERT_EQ(rstrLen(s), 512);
    TEST_ASSERT(memcmp(s + 256, all, 256) == 0 && s[512] == 0);
    rstr t = rstrDup(s);
    TEST_ASSERT(rstrCmp(s, t) == 0);
    rstrFree(s);
    rstrFree(t);
}

static void testCat(void) {
    rstr s = rstrEmpty();
    s = rstrCat(s, "foo");
    s = rstrCatLen(s, "bar\0baz", 7);
    TEST_ASSERT(RSTR_IS_LIT(s, "foobar\0baz"));
    rstr t = rstrNew("!");
    s = rstrCatRstr(s, t);
    TEST_ASSERT(RSTR_IS_LIT(s, "foobar\0baz!"));
    s = rstrCatLen(s, "", 0);
    TEST_ASSERT(RSTR_IS_LIT(s, "foobar\0baz!"));
    rstrFree(t);
    rstrFree(s);

    /* A million one-byte appends: content exact, growth amortised. */
    s = rstrEmpty();
    for (int i = 0; i < 1000000; i++) {
        char c = (char)('a' + i % 26);
        s = rstrCatLen(s, &c, 1);
    }
    TEST_ASSERT_EQ(rstrLen(s), 1000000);
    int ok = 1;
    for (int i = 0; i < 1000000; i++)
        if (s[i] != (char)('a' + i % 26)) ok = 0;
    TEST_ASSERT(ok && s[1000000] == 0);
    rstrFree(s);
}

static void testCatPrintf(void) {
    rstr s = rstrNew("x=");
    s = rstrCatPrintf(s, "%d,%s,%lld", 42, "str", -7LL);
    TEST_ASSERT(RSTR_IS_LIT(s, "x=42,str,-7"));
    rstrFree(s);

    /* Output longer than any stack buffer. */
    char *big = malloc(5001);
    memset(big, 'q', 5000);
    big[5000] = '\0';
    s = rstrNew("<");
    s = rstrCatPrintf(s, "%s>%d", big, 9);
    TEST_ASSERT_EQ(rstrLen(s), 5003);
    TEST_ASSERT(s[0] == '<' && s[1] == 'q' && s[5000] == 'q' && s[5001] == '>' && s[5002] == '9' &&
                s[5003] == 0);
    rstrFree(s);
    free(big);

    s = rstrEmpty();
    s = rstrCatPrintf(s, "%s", "");
    TEST_ASSERT(RSTR_IS_LIT(s, ""));
    rstrFree(s);
}

static void testCpyAndSetLen(void) {
    rstr s = rstrNew("a long initial string");
    s = rstrCpyLen(s, "xy", 2);
    TEST_ASSERT(RSTR_IS_LIT(s, "xy"));
    s = rstrCpyLen(s, "a much longer replacement string than before", 44);
    TEST_ASSERT(RSTR_IS_LIT(s, "a much longer replacement string than before"));
    s = rstrCpyLen(s, "", 0);
    TEST_ASSERT(RSTR_IS_LIT(s, ""));
    rstrFree(s);

    /* Writing into reserved room, then committing the length. */
    s = rstrNew("abc");
    s = rstrMakeRoomFor(s, 100);
    TEST_ASSERT(rstrAvail(s) >= 100);
    memcpy(s + 3, "defgh", 5);
    rstrIncrLen(s, 5);
    TEST_ASSERT(RSTR_IS_LIT(s, "abcdefgh"));
    rstrIncrLen(s, -3);
    TEST_ASSERT(RSTR_IS_LIT(s, "abcde"));
    rstrSetLen(s, 1);
    TEST_ASSERT(RSTR_IS_LIT(s, "a"));
    rstrClear(s);
    TEST_ASSERT(RSTR_IS_LIT(s, ""));
    TEST_ASSERT(rstrAvail(s) >= 108); /* clearing keeps the buffer */
    rstrFree(s);
}

static void testGrowth(void) {
    /* Greedy below 1 MB: at least double what is needed. */
    rstr s = rstrNew("abc");
    s = rstrMakeRoomFor(s, 100);
    TEST_ASSERT(rstrAvail(s) >= 203);
    TEST_ASSERT(RSTR_IS_LIT(s, "abc"));
    /* Enough room already: the same pointer comes back. */
    rstr same = rstrMakeRoomFor(s, 5);
    TEST_ASSERT(same == s);
    rstrFree(s);

    /* Above 1 MB: need + 1 MB, not double. */
    s = rstrEmpty();
    s = rstrMakeRoomFor(s, 3 * 1024 * 1024);
    TEST_ASSERT(rstrAvail(s) >= 4 * 1024 * 1024);
    TEST_ASSERT(rstrAvail(s) < 5 * 1024 * 1024);
    rstrFree(s);

    /* Exact: what was asked for, plus at most allocator rounding. */
    s = rstrNew("abc");
    s = rstrMakeRoomForExact(s, 1000);
    TEST_ASSERT(rstrAvail(s) >= 1000);
    TEST_ASSERT(rstrAvail(s) < 1000 + 64);
    TEST_ASSERT(RSTR_IS_LIT(s, "abc"));
    s = rstrRemoveFreeSpace(s);
    TEST_ASSERT(rstrAvail(s) < 32);
    TEST_ASSERT(RSTR_IS_LIT(s, "abc"));
    TEST_ASSERT(rstrAllocSize(s) >= 3 + 1 + 1);
    rstrFree(s);

    s = rstrNew("ab");
    s = rstrGrowZero(s, 10);
    TEST_ASSERT(RSTR_IS_LIT(s, "ab\0\0\0\0\0\0\0\0"));
    s = rstrGrowZero(s, 5); /* never shrinks */
    TEST_ASSERT_EQ(rstrLen(s), 10);
    /* The zeros must survive a previous longer content in the room. */
    rstrSetLen(s, 0);
    s = rstrCat(s, "xyzxyzxyz");
    rstrSetLen(s, 2);
    s = rstrGrowZero(s, 6);
    TEST_ASSERT(RSTR_IS_LIT(s, "xy\0\0\0\0"));
    rstrFree(s);

    /* A large binary value grows and shrinks intact. */
    size_t big = 10 * 1024 * 1024;
    unsigned char *buf = malloc(big);
    for (size_t i = 0; i < big; i++) buf[i] = (unsigned char)(i * 131 + 7);
    s = rstrEmpty();
    for (size_t off = 0; off < big; off += 65536) s = rstrCatLen(s, buf + off, 65536);
    TEST_ASSERT(rstrIs(s, buf, big));
    s = rstrRemoveFreeSpace(s);
    TEST_ASSERT(rstrIs(s, buf, big));
    TEST_ASSERT(rstrAllocSize(s) >= big);
    rstrFree(s);
    free(buf);
}

static void testEmbedded(void) {
    size_t need = rstrEmbeddedSize(5);
    TEST_ASSERT(need >= 5 + 1 + 1);
    char *mem = malloc(need);
    rstr s = rstrInitEmbedded(mem, "hello", 5);
    TEST_ASSERT(RSTR_IS_LIT(s, "hello"));
    TEST_ASSERT_EQ(rstrAvail(s), 0);
    TEST_ASSERT(s > mem && s + 5 < mem + need);
    rstr d = rstrDup(s);
    TEST_ASSERT(rstrCmp(d, s) == 0);
    rstrFree(d);
    free(mem);

    need = rstrEmbeddedSize(0);
    mem = malloc(need);
    s = rstrInitEmbedded(mem, NULL, 0);
    TEST_ASSERT(RSTR_IS_LIT(s, ""));
    free(mem);
}

/* Expectations from Redis's own sdsrange cases on "ciao". */
static void testRange(void) {
    static const struct {
        long start, end;
        const char *out;
    } cases[] = {
        {1, 1, "i"},     {1, -1, "iao"},   {-2, -1, "ao"}, {2, 1, ""},
        {1, 100, "iao"}, {100, 100, ""},   {0, 0, "c"},    {-100, 100, "ciao"},
        {4, 6, ""},      {3, 6, "o"},      {-1, -1, "o"},  {-4, -4, "c"},
        {-5, -5, "c"},   {0, -5, "c"},     {-1, 0, ""},    {0, 3, "ciao"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rstr s = rstrNew("ciao");
        rstrRange(s, cases[i].start, cases[i].end);
        if (!rstrIs(s, cases[i].out, strlen(cases[i].out)))
            fprintf(stderr, "  range(%ld,%ld) of \"ciao\" = \"%s\", expected \"%s\"\n",
                    cases[i].start, cases[i].end, s, cases[i].out);
        TEST_ASSERT(rstrIs(s, cases[i].out, strlen(cases[i].out)));
        rstrFree(s);
    }
    rstr s = rstrEmpty();
    rstrRange(s, 0, 10);
    TEST_ASSERT(RSTR_IS_LIT(s, ""));
    rstrFree(s);
}

static void testTrimCaseCmp(void) {
    rstr s = rstrNew("xxciaoyyy");
    s = rstrTrim(s, "xy");
    TEST_ASSERT(RSTR_IS_LIT(s, "ciao"));
    rstrFree(s);
    s = rstrNew("AA...AA.a.aa.aHelloWorld     :::");
    s = rstrTrim(s, "Aa. :");
    TEST_ASSERT(RSTR_IS_LIT(s, "HelloWorld"));
    rstrFree(s);
    s = rstrNew("xyxyxy");
    s = rstrTrim(s, "xy");
    TEST_ASSERT(RSTR_IS_LIT(s, ""));
    rstrFree(s);
    s = rstrNew(" keep ");
    s = rstrTrim(s, "");
    TEST_ASSERT(RSTR_IS_LIT(s, " keep "));
    rstrFree(s);

    s = rstrNew("MiXeD 123 \xc3");
    rstrToLower(s);
    TEST_ASSERT(RSTR_IS_LIT(s, "mixed 123 \xc3"));
    rstrToUpper(s);
    TEST_ASSERT(RSTR_IS_LIT(s, "MIXED 123 \xc3"));
    rstrFree(s);

    static const struct {
        const char *a;
        size_t al;
        const char *b;
        size_t bl;
        int sign;
    } cmp[] = {
        {"foo", 3, "foa", 3, 1}, {"bar", 3, "bar", 3, 0}, {"aar", 3, "bar", 3, -1},
        {"ab", 2, "abc", 3, -1}, {"abc", 3, "ab", 2, 1},  {"", 0, "", 0, 0},
        {"", 0, "a", 1, -1},     {"\0a", 2, "\0b", 2, -1}, {"a\0", 2, "a", 1, 1},
        {"\xff", 1, "\x01", 1, 1},
    };
    for (size_t i = 0; i < sizeof(cmp) / sizeof(cmp[0]); i++) {
        rstr a = rstrNewLen(cmp[i].a, cmp[i].al), b = rstrNewLen(cmp[i].b, cmp[i].bl);
        int r = rstrCmp(a, b);
        int sign = r > 0 ? 1 : (r < 0 ? -1 : 0);
        TEST_ASSERT_EQ(sign, cmp[i].sign);
        rstrFree(a);
        rstrFree(b);
    }
}

static void testCatRepr(void) {
    rstr s = rstrEmpty();
    s = rstrCatRepr(s, "\a\n\0foo\r", 7);
    TEST_ASSERT(RSTR_IS_LIT(s, "\"\\a\\n\\x00foo\\r\""));
    rstrFree(s);
    s = rstrNew(">");
    s = rstrCatRepr(s, "q\"b\\s\t\b\x7f\xff", 9);
    TEST_ASSERT(RSTR_IS_LIT(s, ">\"q\\\"b\\\\s\\t\\b\\x7f\\xff\""));
    rstrFree(s);
    s = rstrEmpty();
    s = rstrCatRepr(s, "", 0);
    TEST_ASSERT(RSTR_IS_LIT(s, "\"\""));
    rstrFree(s);
}

/* Splits line and checks the result against expected (n strings, lengths). */
static void checkSplit(const char *line, int n, const char *const *expected, const size_t *lens) {
    int argc = -1;
    rstr *argv = rstrSplitArgs(line, &argc);
    TEST_ASSERT(argv != NULL);
    if (argv == NULL) return;
    if (argc != n) fprintf(stderr, "  split \"%s\": %d args, expected %d\n", line, argc, n);
    TEST_ASSERT_EQ(argc, n);
    for (int i = 0; i < argc && i < n; i++) {
        size_t l = lens ? lens[i] : strlen(expected[i]);
        TEST_ASSERT(rstrIs(argv[i], expected[i], l));
    }
    rstrFreeSplitRes(argv, argc);
}

static void testSplitArgs(void) {
    {
        const char *e[] = {"foo", "bar", "newline are supported\n", "and", "\xff\x00otherstuff"};
        size_t l[] = {3, 3, 22, 3, 12};
        checkSplit("foo bar \"newline are supported\\n\" and \"\\xff\\x00otherstuff\"", 5, e, l);
    }
    {
        const char *e[] = {"set", "key", "value"};
        checkSplit("  set\tkey   value  \r\n", 3, e, NULL);
    }
    {
        const char *e[] = {""};
        checkSplit("''", 1, e, NULL);
        checkSplit("\"\"", 1, e, NULL);
    }
    {
        const char *e[] = {"it's", "a \"b\""};
        checkSplit("'it\\'s' \"a \\\"b\\\"\"", 2, e, NULL);
    }
    {
        /* Escapes only inside double quotes; single quotes are literal. */
        const char *e[] = {"a\\nb", "a\nb", "\\x41", "A", "x4"};
        checkSplit("a\\nb \"a\\nb\" '\\x41' \"\\x41\" \"\\x4\"", 5, e, NULL);
    }
    {
        /* A quote in the middle of a word opens a quoted part. */
        const char *e[] = {"ab c"};
        checkSplit("a\"b c\"", 1, e, NULL);
    }
    {
        const char *e[] = {"tab\tcr\rbell\abs\b"};
        checkSplit("\"tab\\tcr\\rbell\\abs\\b\"", 1, e, NULL);
    }
    checkSplit("", 0, NULL, NULL);
    checkSplit("   \t  ", 0, NULL, NULL);

    static const char *const unbalanced[] = {"\"foo", "'foo", "\"foo\"bar", "'foo'bar",
                                             "a \"b", "\"\\\"", "x 'y\\'"};
    for (size_t i = 0; i < sizeof(unbalanced) / sizeof(unbalanced[0]); i++) {
        int argc = 123;
        rstr *argv = rstrSplitArgs(unbalanced[i], &argc);
        if (argv != NULL) fprintf(stderr, "  split accepted [%s]\n", unbalanced[i]);
        TEST_ASSERT(argv == NULL);
        TEST_ASSERT_EQ(argc, 0);
        rstrFreeSplitRes(argv, argc);
    }
}

static void testSplitLenAndJoin(void) {
    int n;
    rstr *t = rstrSplitLen("a,b,,c", 6, ",", 1, &n);
    TEST_ASSERT_EQ(n, 4);
    if (n == 4) {
        TEST_ASSERT(RSTR_IS_LIT(t[0], "a"));
        TEST_ASSERT(RSTR_IS_LIT(t[1], "b"));
        TEST_ASSERT(RSTR_IS_LIT(t[2], ""));
        TEST_ASSERT(RSTR_IS_LIT(t[3], "c"));
    }
    rstrFreeSplitRes(t, n);

    t = rstrSplitLen("foo_-_bar_-_", 12, "_-_", 3, &n);
    TEST_ASSERT_EQ(n, 3);
    if (n == 3) {
        TEST_ASSERT(RSTR_IS_LIT(t[0], "foo"));
        TEST_ASSERT(RSTR_IS_LIT(t[1], "bar"));
        TEST_ASSERT(RSTR_IS_LIT(t[2], ""));
    }
    rstrFreeSplitRes(t, n);

    /* Many tokens (forces the token array to grow), binary separators. */
    rstr line = rstrEmpty();
    for (int i = 0; i < 1000; i++) {
        if (i) line = rstrCatLen(line, "\0\n", 2);
        line = rstrCatPrintf(line, "%d", i);
    }
    t = rstrSplitLen(line, (ssize_t)rstrLen(line), "\0\n", 2, &n);
    TEST_ASSERT_EQ(n, 1000);
    int ok = 1;
    for (int i = 0; i < n && i < 1000; i++) {
        char buf[16];
        int l = snprintf(buf, sizeof(buf), "%d", i);
        if (!rstrIs(t[i], buf, (size_t)l)) ok = 0;
    }
    TEST_ASSERT(ok);
    rstrFreeSplitRes(t, n);
    rstrFree(line);

    t = rstrSplitLen("abc", 3, "", 0, &n); /* an empty separator is refused */
    TEST_ASSERT(t == NULL);
    TEST_ASSERT_EQ(n, 0);
    t = rstrSplitLen("", 0, ",", 1, &n); /* empty input: no crash, freeable */
    TEST_ASSERT(n >= 0);
    rstrFreeSplitRes(t, n);
    rstrFreeSplitRes(NULL, 0);

    char *parts[] = {"a", "b", "c"};
    rstr j = rstrJoin(parts, 3, ", ");
    TEST_ASSERT(RSTR_IS_LIT(j, "a, b, c"));
    rstrFree(j);
    j = rstrJoin(parts, 0, ", ");
    TEST_ASSERT(RSTR_IS_LIT(j, ""));
    rstrFree(j);
    j = rstrJoin(parts, 1, "");
    TEST_ASSERT(RSTR_IS_LIT(j, "a"));
    rstrFree(j);
}

/* Memory accounting: freeing everything returns the counter to where it was. */
static void testNoLeaks(void) {
    size_t before = zmallocUsedMemory();
    rstr s = rstrNew("start");
    for (int i = 0; i < 1000; i++) s = rstrCatPrintf(s, "%d", i);
    int argc;
    rstr *argv = rstrSplitArgs("a \"b c\" 'd'", &argc);
    rstrFreeSplitRes(argv, argc);
    s = rstrRemoveFreeSpace(s);
    rstrFree(s);
    TEST_ASSERT_EQ(zmallocUsedMemory(), before);
}

int main(void) {
    TEST_RUN(testCreate);
    TEST_RUN(testAllBytes);
    TEST_RUN(testCat);
    TEST_RUN(testCatPrintf);
    TEST_RUN(testCpyAndSetLen);
    TEST_RUN(testGrowth);
    TEST_RUN(testEmbedded);
    TEST_RUN(testRange);
    TEST_RUN(testTrimCaseCmp);
    TEST_RUN(testCatRepr);
    TEST_RUN(testSplitArgs);
    TEST_RUN(testSplitLenAndJoin);
    TEST_RUN(testNoLeaks);
    return testReport();
}
