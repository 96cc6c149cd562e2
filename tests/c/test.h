/* test.h: a tiny assertion framework for the C unit tests in tests/c.
 *
 * Each test binary is one .c file: it defines `static void testXxx(void)`
 * functions, runs them with TEST_RUN(testXxx) from main(), and returns
 * testReport(). A test passes when none of its assertions failed; failed
 * assertions print file:line and the expression (the first few per test
 * only, so an assertion inside a loop cannot flood the output) and the test
 * keeps running. testReport() prints exactly "N passed, M failed" and returns
 * the process exit code (non-zero if any test failed).
 *
 * Everything is static inline with its state inside a function, so files that
 * use only part of it still compile with -Wall -Wextra -Werror.
 */
#ifndef TEST_H
#define TEST_H

#include <stdio.h>
#include <string.h>

/* Failed assertions printed per test before going quiet. */
#define TEST_MAX_REPORTED 10

typedef struct testState {
    int passed;          /* tests with no failed assertion */
    int failed;          /* tests with at least one failed assertion */
    int currentFailures; /* failed assertions in the running test */
    const char *currentName;
} testState;

static inline testState *testGetState(void) {
    static testState state;
    return &state;
}

static inline void testFail(const char *file, int line, const char *what) {
    testState *s = testGetState();
    if (++s->currentFailures <= TEST_MAX_REPORTED)
        fprintf(stderr, "  %s:%d: in %s: assertion failed: %s\n", file, line,
                s->currentName ? s->currentName : "?", what);
}

/* Records a failure if cond is false; the test continues. */
#define TEST_ASSERT(cond)                                                      \
    do {                                                                       \
        if (!(cond)) testFail(__FILE__, __LINE__, #cond);                      \
    } while (0)

/* Integer equality that prints both values on failure. */
#define TEST_ASSERT_EQ(a, b)                                                   \
    do {                                                                       \
        long long testA_ = (long long)(a), testB_ = (long long)(b);            \
        if (testA_ != testB_) {                                                \
            char testMsg_[256];                                                \
            snprintf(testMsg_, sizeof(testMsg_), "%s == %s (%lld != %lld)",    \
                     #a, #b, testA_, testB_);                                  \
            testFail(__FILE__, __LINE__, testMsg_);                            \
        }                                                                      \
    } while (0)

/* Runs one test function and records whether it passed. */
static inline void testRun(const char *name, void (*fn)(void)) {
    testState *s = testGetState();
    s->currentName = name;
    s->currentFailures = 0;
    fn();
    if (s->currentFailures == 0) {
        s->passed++;
        printf("[ok] %s\n", name);
    } else {
        s->failed++;
        printf("[FAIL] %s (%d failed assertions)\n", name, s->currentFailures);
    }
    fflush(stdout);
    s->currentName = NULL;
}

#define TEST_RUN(fn) testRun(#fn, fn)

/* Prints the summary line; use as main's return value. */
static inline int testReport(void) {
    testState *s = testGetState();
    printf("%d passed, %d failed\n", s->passed, s->failed);
    return s->failed ? 1 : 0;
}

#endif /* TEST_H */
