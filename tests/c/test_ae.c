/* test_ae.c -- the event loop test battery, run once per compiled-in backend.
 *
 * Every scenario that does not depend on the backend's limits runs on each
 * backend aeBackendAvailable() reports (epoll, poll, select, and kqueue when
 * built with the kqueue double), so a backend that diverges from the others
 * fails by name ("[FAIL] kqueue: testBarrierOrder").  Scenarios use pipes and
 * socketpairs, never the network, and wait with bounded loops so a broken
 * backend fails instead of hanging. */
#include "../../src/ae.h"
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *backend; /* the backend the current scenario runs on */

static long long nowMs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static aeEventLoop *newLoop(int setsize) {
    aeEventLoop *el = aeCreateEventLoop(setsize, backend);
    TEST_ASSERT(el != NULL);
    if (el) TEST_ASSERT(strcmp(aeGetApiName(el), backend) == 0);
    return el;
}

static void makePipe(int p[2]) {
    TEST_ASSERT(pipe(p) == 0);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
}

/* A record of handler calls: one letter per call, in call order. */
typedef struct callLog {
    char calls[64];
    int n;
    int lastMask;
    int lastFd;
} callLog;

static void logCall(callLog *log, char c, int fd, int mask) {
    if (log->n < (int)sizeof(log->calls) - 1) log->calls[log->n++] = c;
    log->calls[log->n] = '\0';
    log->lastMask = mask;
    log->lastFd = fd;
}

static void readProc(aeEventLoop *el, int fd, void *data, int mask) {
    (void)el;
    char buf[16];
    logCall(data, 'R', fd, mask);
    if (read(fd, buf, sizeof(buf)) < 0 && errno != EAGAIN) abort();
}

static void peekReadProc(aeEventLoop *el, int fd, void *data, int mask) {
    (void)el;
    logCall(data, 'R', fd, mask); /* leaves the data: stays readable */
}

static void writeProc(aeEventLoop *el, int fd, void *data, int mask) {
    (void)el;
    logCall(data, 'W', fd, mask);
}

static void bothProc(aeEventLoop *el, int fd, void *data, int mask) {
    (void)el;
    logCall(data, 'B', fd, mask);
}

/* Processes file events until the log has `want` calls or 2 s pass. */
static void pumpUntil(aeEventLoop *el, callLog *log, int want) {
    long long deadline = nowMs() + 2000;
    while (log->n < want && nowMs() < deadline) {
        int flags = AE_FILE_EVENTS | AE_DONT_WAIT;
        aeProcessEvents(el, flags);
        if (log->n < want) usleep(1000);
    }
}

/* ------------------------------ File events ------------------------------ */

static void testPipeReadable(void) {
    aeEventLoop *el = newLoop(64);
    int p[2];
    callLog log = {0};
    makePipe(p);
    TEST_ASSERT_EQ(aeCreateFileEvent(el, p[0], AE_READABLE, readProc, &log), AE_OK);
    TEST_ASSERT_EQ(aeGetFileEvents(el, p[0]), AE_READABLE);
    TEST_ASSERT(aeGetFileClientData(el, p[0]) == &log);

    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 0);
    TEST_ASSERT_EQ(log.n, 0);

    TEST_ASSERT_EQ(write(p[1], "x", 1), 1);
    pumpUntil(el, &log, 1);
    TEST_ASSERT_EQ(log.n, 1);
    TEST_ASSERT_EQ(log.lastFd, p[0]);
    TEST_ASSERT_EQ(log.lastMask, AE_READABLE);

    /* Drained: nothing more fires. */
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 0);

    /* Level triggered: unread data fires again and again. */
    aeCreateFileEvent(el, p[0], AE_READABLE, peekReadProc, &log);
    TEST_ASSERT_EQ(write(p[1], "y", 1), 1);
    pumpUntil(el, &log, 2);
    pumpUntil(el, &log, 3);
    TEST_ASSERT_EQ(log.n, 3);

    aeDeleteFileEvent(el, p[0], AE_READABLE);
    TEST_ASSERT_EQ(aeGetFileEvents(el, p[0]), AE_NONE);
    TEST_ASSERT(aeGetFileClientData(el, p[0]) == NULL);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 0);

    aeDeleteEventLoop(el);
    close(p[0]);
    close(p[1]);
}

static void testPipeWritableAndEof(void) {
    aeEventLoop *el = newLoop(64);
    int p[2];
    callLog log = {0};
    makePipe(p);
    TEST_ASSERT_EQ(aeCreateFileEvent(el, p[1], AE_WRITABLE, writeProc, &log), AE_OK);
    pumpUntil(el, &log, 1);
    TEST_ASSERT_EQ(log.n, 1);
    TEST_ASSERT_EQ(log.lastFd, p[1]);
    TEST_ASSERT(log.lastMask & AE_WRITABLE);
    aeDeleteFileEvent(el, p[1], AE_WRITABLE);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 0);

    /* The writer going away makes the reader readable (EOF). */
    callLog rlog = {0};
    TEST_ASSERT_EQ(aeCreateFileEvent(el, p[0], AE_READABLE, readProc, &rlog), AE_OK);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 0);
    close(p[1]);
    pumpUntil(el, &rlog, 1);
    TEST_ASSERT_EQ(rlog.n, 1);
    TEST_ASSERT(rlog.lastMask & AE_READABLE);
    aeDeleteFileEvent(el, p[0], AE_READABLE);

    aeDeleteEventLoop(el);
    close(p[0]);
}

/* A socketpair end with a pending byte is readable and writable at once. */
static void testBarrierOrder(void) {
    aeEventLoop *el = newLoop(64);
    int sv[2];
    callLog log = {0};
    TEST_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    TEST_ASSERT_EQ(write(sv[1], "abc", 3), 3);

    /* Registration order must not matter: write first, then read. */
    aeCreateFileEvent(el, sv[0], AE_WRITABLE, writeProc, &log);
    aeCreateFileEvent(el, sv[0], AE_READABLE, peekReadProc, &log);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 2);
    TEST_ASSERT(strcmp(log.calls, "RW") == 0);

    log.n = 0;
    aeCreateFileEvent(el, sv[0], AE_WRITABLE | AE_BARRIER, writeProc, &log);
    TEST_ASSERT_EQ(aeGetFileEvents(el, sv[0]), AE_READABLE | AE_WRITABLE | AE_BARRIER);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 2);
    TEST_ASSERT(strcmp(log.calls, "WR") == 0);
    TEST_ASSERT_EQ(log.lastMask, AE_READABLE | AE_WRITABLE);

    /* Removing the write side removes the barrier too. */
    aeDeleteFileEvent(el, sv[0], AE_WRITABLE);
    TEST_ASSERT_EQ(aeGetFileEvents(el, sv[0]), AE_READABLE);
    log.n = 0;
    aeCreateFileEvent(el, sv[0], AE_WRITABLE, writeProc, &log);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 2);
    TEST_ASSERT(strcmp(log.calls, "RW") == 0);

    /* One proc for both directions is called once, with both bits. */
    log.n = 0;
    aeCreateFileEvent(el, sv[0], AE_READABLE | AE_WRITABLE, bothProc, &log);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 1);
    TEST_ASSERT(strcmp(log.calls, "B") == 0);
    TEST_ASSERT_EQ(log.lastMask, AE_READABLE | AE_WRITABLE);

    aeDeleteFileEvent(el, sv[0], AE_READABLE | AE_WRITABLE);
    aeDeleteEventLoop(el);
    close(sv[0]);
    close(sv[1]);
}

/* Handlers that delete events: their own other half, or another fd's. */
typedef struct deleter {
    callLog log;
    int victimFd;
    int victimMask;
} deleter;

static void deletingProc(aeEventLoop *el, int fd, void *data, int mask) {
    deleter *d = data;
    logCall(&d->log, 'D', fd, mask);
    aeDeleteFileEvent(el, d->victimFd, d->victimMask);
}

static void testDeleteInHandler(void) {
    aeEventLoop *el = newLoop(64);
    int sv[2];
    TEST_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    TEST_ASSERT_EQ(write(sv[1], "a", 1), 1);

    /* The read handler deletes the write event of its own fd. */
    deleter d = {.victimFd = sv[0], .victimMask = AE_WRITABLE};
    aeCreateFileEvent(el, sv[0], AE_READABLE, deletingProc, &d);
    aeCreateFileEvent(el, sv[0], AE_WRITABLE, writeProc, &d.log);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 1);
    TEST_ASSERT(strcmp(d.log.calls, "D") == 0);
    TEST_ASSERT_EQ(aeGetFileEvents(el, sv[0]), AE_READABLE);
    aeDeleteFileEvent(el, sv[0], AE_READABLE);

    /* Two ready fds, each handler deletes the other: exactly one runs. */
    deleter a = {.victimFd = sv[1], .victimMask = AE_WRITABLE};
    deleter b = {.victimFd = sv[0], .victimMask = AE_WRITABLE};
    aeCreateFileEvent(el, sv[0], AE_WRITABLE, deletingProc, &a);
    aeCreateFileEvent(el, sv[1], AE_WRITABLE, deletingProc, &b);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 1);
    TEST_ASSERT_EQ(a.log.n + b.log.n, 1);
    TEST_ASSERT_EQ(aeGetFileEvents(el, sv[0]) | aeGetFileEvents(el, sv[1]), AE_WRITABLE);

    /* A handler deleting its own event: never called again. */
    aeDeleteFileEvent(el, sv[0], AE_WRITABLE);
    aeDeleteFileEvent(el, sv[1], AE_WRITABLE);
    deleter self = {.victimFd = sv[0], .victimMask = AE_WRITABLE};
    aeCreateFileEvent(el, sv[0], AE_WRITABLE, deletingProc, &self);
    aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT);
    aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT);
    TEST_ASSERT_EQ(self.log.n, 1);

    /* Deleting what was never registered is harmless. */
    aeDeleteFileEvent(el, sv[1], AE_READABLE | AE_WRITABLE);
    aeDeleteFileEvent(el, 63, AE_READABLE);
    aeDeleteFileEvent(el, 1000, AE_READABLE);
    aeDeleteFileEvent(el, -1, AE_READABLE);

    aeDeleteEventLoop(el);
    close(sv[0]);
    close(sv[1]);
}

static void testFileEventErrors(void) {
    aeEventLoop *el = newLoop(16);
    callLog log = {0};
    errno = 0;
    TEST_ASSERT_EQ(aeCreateFileEvent(el, 16, AE_READABLE, readProc, &log), AE_ERR);
    TEST_ASSERT_EQ(errno, ERANGE);
    TEST_ASSERT_EQ(aeCreateFileEvent(el, -1, AE_READABLE, readProc, &log), AE_ERR);
    TEST_ASSERT_EQ(aeCreateFileEvent(el, 0, AE_NONE, readProc, &log), AE_ERR);
    TEST_ASSERT_EQ(aeGetFileEvents(el, 16), AE_NONE);
    TEST_ASSERT(aeGetFileClientData(el, 16) == NULL);
    aeDeleteEventLoop(el);
}

/* ------------------------------ Time events ------------------------------ */

typedef struct timerLog {
    char order[64];
    int n;
    int finalized;
} timerLog;

typedef struct timerArg {
    timerLog *log;
    char tag;
    long long ret;       /* what the callback returns */
    int repeat;          /* times to return ret before AE_NOMORE */
    long long victim;    /* id to delete from the callback, -1 none */
    long long *selfId;   /* set: delete own id from the callback */
    int calls;
} timerArg;

static long long timerProc(aeEventLoop *el, long long id, void *data) {
    timerArg *a = data;
    timerLog *log = a->log;
    if (log->n < (int)sizeof(log->order) - 1) log->order[log->n++] = a->tag;
    log->order[log->n] = '\0';
    a->calls++;
    if (a->victim != -1) {
        if (aeDeleteTimeEvent(el, a->victim) != AE_OK) abort();
        a->victim = -1;
    }
    if (a->selfId) {
        if (*a->selfId != id) abort();
        if (aeDeleteTimeEvent(el, id) != AE_OK) abort();
        /* Second delete of the same id: already gone. */
        if (aeDeleteTimeEvent(el, id) != AE_ERR) abort();
        a->selfId = NULL;
    }
    if (a->repeat-- > 0) return a->ret;
    return AE_NOMORE;
}

static void timerFinalizer(aeEventLoop *el, void *data) {
    (void)el;
    timerArg *a = data;
    a->log->finalized++;
}

/* Runs iterations until `want` timer calls happened or 3 s pass. */
static void runTimers(aeEventLoop *el, timerLog *log, int want) {
    long long deadline = nowMs() + 3000;
    while (log->n < want && nowMs() < deadline) aeProcessEvents(el, AE_ALL_EVENTS);
}

static timerArg targ(timerLog *log, char tag) {
    timerArg a = {.log = log, .tag = tag, .ret = AE_NOMORE, .repeat = 0, .victim = -1};
    return a;
}

static void testTimerOrder(void) {
    aeEventLoop *el = newLoop(64);
    timerLog log = {0};
    timerArg a[5] = {targ(&log, 'c'), targ(&log, 'a'), targ(&log, 'b'), targ(&log, '1'),
                     targ(&log, '2')};
    TEST_ASSERT(aeCreateTimeEvent(el, 30, timerProc, &a[0], timerFinalizer) >= 0);
    TEST_ASSERT(aeCreateTimeEvent(el, 10, timerProc, &a[1], timerFinalizer) >= 0);
    TEST_ASSERT(aeCreateTimeEvent(el, 20, timerProc, &a[2], timerFinalizer) >= 0);
    /* Same deadline class: creation order. */
    TEST_ASSERT(aeCreateTimeEvent(el, 0, timerProc, &a[3], timerFinalizer) >= 0);
    TEST_ASSERT(aeCreateTimeEvent(el, 0, timerProc, &a[4], timerFinalizer) >= 0);

    long long start = nowMs();
    runTimers(el, &log, 5);
    TEST_ASSERT(strcmp(log.order, "12abc") == 0);
    TEST_ASSERT(nowMs() - start >= 30);
    TEST_ASSERT_EQ(log.finalized, 5);
    aeDeleteEventLoop(el);
}

static void testTimerWaitsAndRepeats(void) {
    aeEventLoop *el = newLoop(64);
    timerLog log = {0};
    timerArg a = targ(&log, 'r');
    a.ret = 5;
    a.repeat = 2;
    long long start = nowMs();
    long long id = aeCreateTimeEvent(el, 50, timerProc, &a, timerFinalizer);
    TEST_ASSERT(id >= 0);

    /* Not due yet: a non-blocking pass runs nothing. */
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_ALL_EVENTS | AE_DONT_WAIT), 0);
    /* A blocking pass sleeps in the backend until the timer is due. */
    int processed = 0;
    while (processed == 0 && nowMs() - start < 3000) processed = aeProcessEvents(el, AE_ALL_EVENTS);
    TEST_ASSERT_EQ(processed, 1);
    TEST_ASSERT(nowMs() - start >= 50);
    TEST_ASSERT(nowMs() - start < 1000);

    runTimers(el, &log, 3);
    TEST_ASSERT_EQ(a.calls, 3);
    TEST_ASSERT_EQ(log.finalized, 1);
    /* Gone for good. */
    TEST_ASSERT_EQ(aeDeleteTimeEvent(el, id), AE_ERR);
    aeDeleteEventLoop(el);
}

static void testDeleteTimerFromCallback(void) {
    aeEventLoop *el = newLoop(64);
    timerLog log = {0};

    /* s deletes itself while asking to be re-armed: it must not be. */
    timerArg s = targ(&log, 's');
    s.ret = 1;
    s.repeat = 100;
    long long sid = aeCreateTimeEvent(el, 0, timerProc, &s, timerFinalizer);
    s.selfId = &sid;

    /* k (due first) kills v (due at the same time, later in order). */
    timerArg k = targ(&log, 'k'), v = targ(&log, 'v');
    long long kid = aeCreateTimeEvent(el, 1, timerProc, &k, timerFinalizer);
    long long vid = aeCreateTimeEvent(el, 1, timerProc, &v, timerFinalizer);
    k.victim = vid;
    TEST_ASSERT(kid != vid);

    /* A far-away timer that stays, to prove the loop still runs. */
    timerArg far = targ(&log, 'f');
    long long fid = aeCreateTimeEvent(el, 100000, timerProc, &far, timerFinalizer);

    runTimers(el, &log, 2);
    usleep(20000);
    aeProcessEvents(el, AE_ALL_EVENTS | AE_DONT_WAIT);
    TEST_ASSERT(strcmp(log.order, "sk") == 0);
    TEST_ASSERT_EQ(s.calls, 1);
    TEST_ASSERT_EQ(v.calls, 0);
    TEST_ASSERT_EQ(log.finalized, 3); /* s, k, v */
    TEST_ASSERT_EQ(aeDeleteTimeEvent(el, vid), AE_ERR);
    TEST_ASSERT_EQ(aeDeleteTimeEvent(el, sid), AE_ERR);
    TEST_ASSERT_EQ(aeDeleteTimeEvent(el, -1), AE_ERR);
    TEST_ASSERT_EQ(aeDeleteTimeEvent(el, 1LL << 40), AE_ERR);

    /* The slot of a deleted timer is reused with a new id; the old id
     * does not reach the new timer. */
    timerArg n = targ(&log, 'n');
    long long nid = aeCreateTimeEvent(el, 100000, timerProc, &n, timerFinalizer);
    TEST_ASSERT(nid != sid && nid != kid && nid != vid);
    TEST_ASSERT_EQ(aeDeleteTimeEvent(el, sid), AE_ERR);
    TEST_ASSERT_EQ(aeDeleteTimeEvent(el, nid), AE_OK);
    TEST_ASSERT_EQ(log.finalized, 4);

    /* Deleting the loop finalizes what is left (far). */
    (void)fid;
    aeDeleteEventLoop(el);
    TEST_ASSERT_EQ(log.finalized, 5);
    TEST_ASSERT_EQ(far.calls, 0);
}

static long long rearmZeroProc(aeEventLoop *el, long long id, void *data) {
    (void)el;
    (void)id;
    (*(int *)data)++;
    return 0;
}

static long long spawnProc(aeEventLoop *el, long long id, void *data) {
    (void)id;
    (*(int *)data)++;
    aeCreateTimeEvent(el, 0, rearmZeroProc, data, NULL);
    return AE_NOMORE;
}

/* A timer re-armed (or created) with 0 ms inside a pass waits for the next
 * pass, so it cannot keep the loop from polling files. */
static void testTimerNoStarvation(void) {
    aeEventLoop *el = newLoop(64);
    int count = 0;
    aeCreateTimeEvent(el, 0, rearmZeroProc, &count, NULL);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT), 1);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT), 1);
    TEST_ASSERT_EQ(count, 2);
    aeDeleteEventLoop(el);

    el = newLoop(64);
    count = 0;
    aeCreateTimeEvent(el, 0, spawnProc, &count, NULL);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT), 1);
    TEST_ASSERT_EQ(count, 1);
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_TIME_EVENTS | AE_DONT_WAIT), 1);
    TEST_ASSERT_EQ(count, 2);
    aeDeleteEventLoop(el);
}

static long long neverProc(aeEventLoop *el, long long id, void *data) {
    (void)el;
    (void)id;
    (void)data;
    abort();
}

static void countFinalizer(aeEventLoop *el, void *data) {
    (void)el;
    (*(int *)data)++;
}

static void testManyTimers(void) {
    enum { N = 100000 };
    aeEventLoop *el = newLoop(64);
    long long *ids = malloc(sizeof(long long) * N);
    int finalized = 0;
    long long start = nowMs();

    for (int i = 0; i < N; i++)
        ids[i] = aeCreateTimeEvent(el, 100000 + (i * 7919) % 50000, neverProc, &finalized,
                                   countFinalizer);
    /* Delete in a scrambled order, so removals hit the middle of the heap. */
    for (int i = 0; i < N; i++) {
        int j = (int)(((long long)i * 48271) % N);
        TEST_ASSERT_EQ(aeDeleteTimeEvent(el, ids[j]), AE_OK);
    }
    TEST_ASSERT_EQ(finalized, N);

    /* Again, several rounds: slots are reused, memory stays bounded. */
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < N; i++)
            ids[i] = aeCreateTimeEvent(el, 100000 + i % 977, neverProc, &finalized, countFinalizer);
        for (int i = N - 1; i >= 0; i--) aeDeleteTimeEvent(el, ids[i]);
    }
    TEST_ASSERT_EQ(finalized, 6 * N);
    long long elapsed = nowMs() - start;
    /* 1.2M heap operations: well under a second unless something is O(n). */
    TEST_ASSERT(elapsed < 5000);
    printf("  %s: 600k timers created and deleted in %lld ms\n", backend, elapsed);

    /* Many due timers fire in deadline order: timer i is due in
     * 5 * ((39 - i) / 4) ms, so groups of four fire latest-created group
     * first, each group in creation order. */
    timerLog log = {0};
    timerArg a[40];
    char expect[41];
    int e = 0;
    for (int i = 0; i < 40; i++) {
        a[i] = targ(&log, (char)('0' + i));
        aeCreateTimeEvent(el, 5 * ((39 - i) / 4), timerProc, &a[i], timerFinalizer);
    }
    for (int g = 9; g >= 0; g--)
        for (int i = g * 4; i < g * 4 + 4; i++) expect[e++] = (char)('0' + i);
    expect[e] = '\0';
    runTimers(el, &log, 40);
    TEST_ASSERT_EQ(log.n, 40);
    TEST_ASSERT(strcmp(log.order, expect) == 0);
    TEST_ASSERT_EQ(log.finalized, 40);

    free(ids);
    aeDeleteEventLoop(el);
}

/* ------------------------------- The loop -------------------------------- */

typedef struct hookCounts {
    int before, after, ticks;
    long long orderCheck; /* before - after must stay 0 or 1 */
    int bad;
} hookCounts;

static hookCounts *hooks;

static void beforeSleep(aeEventLoop *el) {
    (void)el;
    hooks->before++;
    if (hooks->before - hooks->after != 1) hooks->bad++;
}

static void afterSleep(aeEventLoop *el) {
    (void)el;
    hooks->after++;
    if (hooks->before != hooks->after) hooks->bad++;
}

static long long stopProc(aeEventLoop *el, long long id, void *data) {
    (void)id;
    hookCounts *h = data;
    if (++h->ticks == 3) {
        aeStop(el);
        return AE_NOMORE;
    }
    return 1;
}

static void testMainAndStop(void) {
    aeEventLoop *el = newLoop(64);
    hookCounts h = {0};
    hooks = &h;
    aeSetBeforeSleepProc(el, beforeSleep);
    aeSetAfterSleepProc(el, afterSleep);
    aeCreateTimeEvent(el, 1, stopProc, &h, NULL);
    long long start = nowMs();
    aeMain(el);
    TEST_ASSERT_EQ(h.ticks, 3);
    TEST_ASSERT(h.before >= 3);
    TEST_ASSERT_EQ(h.before, h.after);
    TEST_ASSERT_EQ(h.bad, 0);
    TEST_ASSERT(nowMs() - start < 2000);

    /* Hooks run only when asked for (and only around a poll: with no fd
     * and AE_DONT_WAIT there is none, so give the loop a pipe). */
    int p[2];
    makePipe(p);
    callLog unused = {0};
    aeCreateFileEvent(el, p[0], AE_READABLE, readProc, &unused);
    int before = h.before;
    aeProcessEvents(el, AE_ALL_EVENTS | AE_DONT_WAIT);
    TEST_ASSERT_EQ(h.before, before);
    aeProcessEvents(el, AE_ALL_EVENTS | AE_DONT_WAIT | AE_CALL_BEFORE_SLEEP | AE_CALL_AFTER_SLEEP);
    TEST_ASSERT_EQ(h.before, before + 1);
    TEST_ASSERT_EQ(h.after, before + 1);

    /* aeSetDontWait: a far timer does not make a blocking call sleep. */
    aeCreateTimeEvent(el, 10000, neverProc, NULL, NULL);
    aeSetDontWait(el, 1);
    start = nowMs();
    aeProcessEvents(el, AE_ALL_EVENTS);
    TEST_ASSERT(nowMs() - start < 1000);
    aeSetDontWait(el, 0);
    hooks = NULL;
    aeDeleteEventLoop(el);
    close(p[0]);
    close(p[1]);
}

static void onAlarm(int sig) {
    (void)sig;
}

/* A signal interrupting the poll is not an error. */
static void testEintr(void) {
    aeEventLoop *el = newLoop(64);
    timerLog log = {0};
    timerArg a = targ(&log, 't');
    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = onAlarm; /* no SA_RESTART: the poll fails with EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old);
    struct itimerval it = {.it_value = {.tv_sec = 0, .tv_usec = 20000}};
    setitimer(ITIMER_REAL, &it, NULL);

    aeCreateTimeEvent(el, 150, timerProc, &a, NULL);
    long long start = nowMs();
    int processed = aeProcessEvents(el, AE_ALL_EVENTS);
    TEST_ASSERT_EQ(processed, 0); /* woken by the signal, timer not due */
    TEST_ASSERT(nowMs() - start < 140);
    runTimers(el, &log, 1);
    TEST_ASSERT_EQ(a.calls, 1);

    sigaction(SIGALRM, &old, NULL);
    aeDeleteEventLoop(el);
}

static void testResizeSetSize(void) {
    aeEventLoop *el = newLoop(64);
    int p[2];
    callLog log = {0};
    makePipe(p);
    TEST_ASSERT_EQ(aeGetSetSize(el), 64);
    TEST_ASSERT_EQ(aeCreateFileEvent(el, p[0], AE_READABLE, readProc, &log), AE_OK);

    errno = 0;
    TEST_ASSERT_EQ(aeResizeSetSize(el, p[0]), AE_ERR); /* p[0] would not fit */
    TEST_ASSERT_EQ(errno, ERANGE);
    TEST_ASSERT_EQ(aeGetSetSize(el), 64);
    TEST_ASSERT_EQ(aeResizeSetSize(el, 64), AE_OK);
    TEST_ASSERT_EQ(aeResizeSetSize(el, 0), AE_ERR);

    /* Grow, then use an fd that only fits now. */
    TEST_ASSERT_EQ(aeResizeSetSize(el, 256), AE_OK);
    TEST_ASSERT_EQ(aeGetSetSize(el), 256);
    TEST_ASSERT_EQ(aeGetFileEvents(el, p[0]), AE_READABLE); /* kept */
    int high = 200;
    TEST_ASSERT_EQ(dup2(p[0], high), high);
    TEST_ASSERT_EQ(aeCreateFileEvent(el, high, AE_READABLE, peekReadProc, &log), AE_OK);
    TEST_ASSERT_EQ(aeResizeSetSize(el, 100), AE_ERR);
    TEST_ASSERT_EQ(write(p[1], "z", 1), 1);
    pumpUntil(el, &log, 1);
    TEST_ASSERT(log.n >= 1);
    aeDeleteFileEvent(el, high, AE_READABLE);
    close(high);

    /* Shrink once nothing high is left; the remaining fd still works. */
    TEST_ASSERT_EQ(aeResizeSetSize(el, 32), AE_OK);
    TEST_ASSERT_EQ(aeGetSetSize(el), 32);
    log.n = 0;
    aeCreateFileEvent(el, p[0], AE_READABLE, readProc, &log);
    TEST_ASSERT_EQ(write(p[1], "z", 1), 1);
    pumpUntil(el, &log, 1);
    TEST_ASSERT_EQ(log.n, 1);
    TEST_ASSERT_EQ(log.lastFd, p[0]);

    aeDeleteEventLoop(el);
    close(p[0]);
    close(p[1]);
}

/* A handler that shrinks the loop while other fds' events are pending. */
static void shrinkProc(aeEventLoop *el, int fd, void *data, int mask) {
    callLog *log = data;
    logCall(log, 'S', fd, mask);
    aeDeleteFileEvent(el, 40, AE_WRITABLE);
    aeDeleteFileEvent(el, 6, AE_WRITABLE);
    if (aeResizeSetSize(el, 8) != AE_OK) abort();
}

static void testResizeInHandler(void) {
    aeEventLoop *el = newLoop(64);
    int sv[2];
    callLog log = {0};
    TEST_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    TEST_ASSERT_EQ(dup2(sv[0], 40), 40);
    TEST_ASSERT_EQ(dup2(sv[0], 6), 6);
    aeCreateFileEvent(el, 40, AE_WRITABLE, shrinkProc, &log);
    aeCreateFileEvent(el, 6, AE_WRITABLE, shrinkProc, &log);
    /* Whichever runs first removes both and shrinks: the other fd's fired
     * entry must be skipped without touching freed memory. */
    TEST_ASSERT_EQ(aeProcessEvents(el, AE_FILE_EVENTS | AE_DONT_WAIT), 1);
    TEST_ASSERT_EQ(log.n, 1);
    TEST_ASSERT_EQ(aeGetSetSize(el), 8);
    aeDeleteEventLoop(el);
    close(40);
    close(6);
    close(sv[0]);
    close(sv[1]);
}

/* Raises the soft fd limit so fd `want` can exist; 0 if impossible. */
static int allowFd(int want) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == -1) return 0;
    if (rl.rlim_cur > (rlim_t)want) return 1;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max <= (rlim_t)want) return 0;
    rl.rlim_cur = (rlim_t)want + 1;
    return setrlimit(RLIMIT_NOFILE, &rl) == 0;
}

/* An fd >= FD_SETSIZE: select must refuse it cleanly, the others use it. */
static void testHighFd(void) {
    int high = FD_SETSIZE + 5;
    if (!allowFd(high)) {
        printf("  %s: skipped: cannot raise RLIMIT_NOFILE above %d\n", backend, high);
        return;
    }
    aeEventLoop *el = newLoop(FD_SETSIZE + 64);
    int p[2];
    callLog log = {0};
    makePipe(p);
    TEST_ASSERT_EQ(dup2(p[0], high), high);

    int isSelect = strcmp(backend, "select") == 0;
    errno = 0;
    int rc = aeCreateFileEvent(el, high, AE_READABLE, readProc, &log);
    if (isSelect) {
        TEST_ASSERT_EQ(rc, AE_ERR);
        TEST_ASSERT_EQ(errno, ERANGE);
        TEST_ASSERT_EQ(aeGetFileEvents(el, high), AE_NONE);
        TEST_ASSERT_EQ(aeBackendMaxSetSize("select"), FD_SETSIZE);
    } else {
        TEST_ASSERT_EQ(rc, AE_OK);
        TEST_ASSERT(aeBackendMaxSetSize(backend) > FD_SETSIZE);
    }
    /* Either way the loop keeps working for low fds. */
    TEST_ASSERT_EQ(aeCreateFileEvent(el, p[0], AE_READABLE, readProc, &log), AE_OK);
    TEST_ASSERT_EQ(write(p[1], "h", 1), 1);
    pumpUntil(el, &log, 1);
    TEST_ASSERT(log.n >= 1);

    aeDeleteEventLoop(el);
    close(high);
    close(p[0]);
    close(p[1]);
}

/* ------------------------ Backend-independent API ------------------------ */

static void testBackendSelection(void) {
    TEST_ASSERT(aeBackendAvailable("poll"));
    TEST_ASSERT(aeBackendAvailable("select"));
    TEST_ASSERT(!aeBackendAvailable("evport"));
    TEST_ASSERT(!aeBackendAvailable(NULL));
#ifdef __linux__
    TEST_ASSERT(aeBackendAvailable("epoll"));
    TEST_ASSERT(strcmp(aeDefaultBackend(), "epoll") == 0);
#endif
#ifdef HAVE_KQUEUE
    TEST_ASSERT(aeBackendAvailable("kqueue"));
#elif defined(__linux__)
    TEST_ASSERT(!aeBackendAvailable("kqueue"));
#endif
    TEST_ASSERT_EQ(aeBackendMaxSetSize("select"), FD_SETSIZE);
    TEST_ASSERT(aeBackendMaxSetSize("poll") >= 1000000);
    TEST_ASSERT(aeBackendMaxSetSize(NULL) > 0);
    TEST_ASSERT_EQ(aeBackendMaxSetSize("nope"), -1);

    errno = 0;
    TEST_ASSERT(aeCreateEventLoop(64, "nope") == NULL);
    TEST_ASSERT_EQ(errno, ENOTSUP);
    TEST_ASSERT(aeCreateEventLoop(0, NULL) == NULL);

    aeEventLoop *el = aeCreateEventLoop(64, NULL);
    TEST_ASSERT(el != NULL);
    if (el) {
        TEST_ASSERT(strcmp(aeGetApiName(el), aeDefaultBackend()) == 0);
        aeDeleteEventLoop(el);
    }
}

static void testAeWait(void) {
    int p[2];
    makePipe(p);
    long long start = nowMs();
    TEST_ASSERT_EQ(aeWait(p[0], AE_READABLE, 30), 0);
    TEST_ASSERT(nowMs() - start >= 30);
    TEST_ASSERT_EQ(aeWait(p[1], AE_WRITABLE, 1000), AE_WRITABLE);
    TEST_ASSERT_EQ(write(p[1], "w", 1), 1);
    TEST_ASSERT_EQ(aeWait(p[0], AE_READABLE, -1), AE_READABLE);
    close(p[1]);
    TEST_ASSERT(aeWait(p[0], AE_READABLE, 1000) & AE_READABLE);
    close(p[0]);
}

static void runForBackend(const char *name, void (*fn)(void), const char *fnName) {
    char label[128];
    snprintf(label, sizeof(label), "%s: %s", name, fnName);
    backend = name;
    testRun(label, fn);
}

#define RUN_ALL(fn) runForBackend(names[b], fn, #fn)

int main(void) {
    static const char *const all[] = {"epoll", "kqueue", "poll", "select"};
    const char *names[4];
    int n = 0;

    /* Pipes to closed readers must not kill the test. */
    signal(SIGPIPE, SIG_IGN);

    for (int i = 0; i < 4; i++)
        if (aeBackendAvailable(all[i])) names[n++] = all[i];
    printf("backends: ");
    for (int i = 0; i < n; i++) printf("%s%s", names[i], i + 1 < n ? " " : "\n");

    TEST_RUN(testBackendSelection);
    TEST_RUN(testAeWait);
    for (int b = 0; b < n; b++) {
        RUN_ALL(testPipeReadable);
        RUN_ALL(testPipeWritableAndEof);
        RUN_ALL(testBarrierOrder);
        RUN_ALL(testDeleteInHandler);
        RUN_ALL(testFileEventErrors);
        RUN_ALL(testTimerOrder);
        RUN_ALL(testTimerWaitsAndRepeats);
        RUN_ALL(testDeleteTimerFromCallback);
        RUN_ALL(testTimerNoStarvation);
        RUN_ALL(testManyTimers);
        RUN_ALL(testMainAndStop);
        RUN_ALL(testEintr);
        RUN_ALL(testResizeSetSize);
        RUN_ALL(testResizeInHandler);
        RUN_ALL(testHighFd);
    }
    return testReport();
}
