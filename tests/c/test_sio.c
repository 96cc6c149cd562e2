/* test_sio.c -- the snapshot I/O layer, run on every engine this host allows.
 *
 * Each engine scenario runs once per engine that sioInit() can set up here
 * (io_uring when the kernel allows it, aio, sync), through a real event loop
 * (src/ae.c), so a diverging engine fails by name ("[FAIL] aio:
 * testBigWriteRenameDurable").  io_uring being refused is a skip only when
 * kernel.io_uring_disabled says so; anywhere else it is a failure.
 *
 * Rare paths are reached with the knobs sio.h offers: sioTestFailEngine()
 * for the auto fallback, sioTestSetMaxWriteChunk() for short writes, and
 * RLIMIT_FSIZE / a 1 MB tmpfs for write errors in the middle of a request.
 * sio.c logs through serverLog(); this file provides it and keeps the lines
 * so the tests can check what an operator would read.
 *
 * Environment: SIO_TEST_MAX_GAP_MS (default 50) is the longest the 1 ms
 * timer may go unserved while 64 MB are written on io_uring and aio. */
#include "../../src/ae.h"
#include "../../src/sio.h"
#include "test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* The serverLog() sio.c calls, recording what it would print.             */

static char logText[16384];

void serverLog(int level, const char *fmt, ...) {
    size_t used = strlen(logText);
    if (used + 512 >= sizeof(logText)) used = 0; /* keep the newest lines */
    int n = snprintf(logText + used, sizeof(logText) - used, "[%d] ", level);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(logText + used + n, sizeof(logText) - used - n, fmt, ap);
    va_end(ap);
    strncat(logText, "\n", sizeof(logText) - strlen(logText) - 1);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                    */

static aeEventLoop *el;
static int engine;            /* the SIO_ENGINE_* the current scenario runs on */
static char tmpDir[256];      /* fresh per scenario */

static long long nowUs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* What a callback saw. */
typedef struct result {
    int calls;
    long long res;
} result;

static int doneTotal; /* onDone() calls, all results together */

static void onDone(void *ctx, long long res) {
    result *r = ctx;
    doneTotal++;
    r->calls++;
    r->res = res;
}

static long long tickProc(aeEventLoop *loop, long long id, void *data) {
    (void)loop;
    (void)id;
    (void)data;
    return 5;
}

/* Runs the loop until *counter reaches target or timeoutMs passed.  A 5 ms
 * timer bounds each wait so a lost completion is a failure, not a hang.
 * Returns 1 when the target was reached. */
static int runUntil(const int *counter, int target, long long timeoutMs) {
    long long tick = aeCreateTimeEvent(el, 5, tickProc, NULL, NULL);
    long long deadline = nowUs() + timeoutMs * 1000;
    while (*counter < target && nowUs() < deadline) aeProcessEvents(el, AE_ALL_EVENTS);
    aeDeleteTimeEvent(el, tick);
    return *counter >= target;
}

/* Waits for one operation and returns its result (-9999 on timeout). */
static long long waitResult(result *r) {
    if (!runUntil(&r->calls, 1, 30000)) return -9999;
    TEST_ASSERT_EQ(r->calls, 1);
    return r->res;
}

static void pathIn(char *out, size_t outlen, const char *name) {
    snprintf(out, outlen, "%s/%s", tmpDir, name);
}

/* The expected byte at file offset o: differs between neighbouring chunks
 * and buffers, so a write landing at the wrong offset shows. */
static unsigned char patternAt(uint64_t o) {
    return (unsigned char)(((o * 2654435761u) >> 11) ^ (o >> 17) ^ 0x5a);
}

static void fillPattern(unsigned char *buf, size_t len, uint64_t offset) {
    for (size_t i = 0; i < len; i++) buf[i] = patternAt(offset + i);
}

/* 1 when path holds exactly len pattern bytes. */
static int fileHasPattern(const char *path, size_t len) {
    int fd = open(path, O_RDONLY);
    if (fd == -1) return 0;
    struct stat st;
    int ok = fstat(fd, &st) == 0 && (size_t)st.st_size == len;
    unsigned char buf[65536];
    uint64_t off = 0;
    while (ok) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0) ok = 0;
        if (n <= 0) break;
        for (ssize_t i = 0; i < n && ok; i++)
            if (buf[i] != patternAt(off + i)) ok = 0;
        off += (uint64_t)n;
    }
    close(fd);
    return ok && off == len;
}

static void writeFile(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    TEST_ASSERT(fd != -1);
    if (fd == -1) return;
    TEST_ASSERT_EQ(write(fd, text, strlen(text)), (long long)strlen(text));
    close(fd);
}

static void removeTree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        if (unlink(p) == -1) removeTree(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Opens path through sio; the fd, or -errno. */
static int sioOpenWait(const char *path, int flags) {
    result r = {0, 0};
    int rc = sioOpen(path, flags, 0644, onDone, &r);
    if (rc != 0) return rc;
    return (int)waitResult(&r);
}

static long long sioCloseWait(int fd) {
    result r = {0, 0};
    int rc = sioClose(fd, onDone, &r);
    return rc != 0 ? rc : waitResult(&r);
}

static long long sioFsyncWait(int fd) {
    result r = {0, 0};
    int rc = sioFsync(fd, onDone, &r);
    return rc != 0 ? rc : waitResult(&r);
}

static long long sioWriteWait(int fd, const void *buf, size_t len, off_t off) {
    result r = {0, 0};
    int rc = sioWrite(fd, buf, len, off, onDone, &r);
    return rc != 0 ? rc : waitResult(&r);
}

/* kernel.io_uring_disabled, or -1 when the kernel has no such knob. */
static int uringDisabledSysctl(void) {
    FILE *fp = fopen("/proc/sys/kernel/io_uring_disabled", "r");
    int v = -1;
    if (fp) {
        if (fscanf(fp, "%d", &v) != 1) v = -1;
        fclose(fp);
    }
    return v;
}

/* ------------------------------------------------------------------------ */
/* Engine scenarios (each runs with sio initialized on `engine`)             */

/* Many writes of distinct buffers in flight at once (more than the queue
 * depth, so the backlog is used), then the durable-replace sequence:
 * fsync, close, rename over an existing file, fsync of the directory. */
static void testBigWriteRenameDurable(void) {
    enum { CHUNK = 128 * 1024, CHUNKS = 160 }; /* 20 MB, 160 > SIO_QUEUE_DEPTH */
    char tmp[512], final[512];
    pathIn(tmp, sizeof(tmp), "temp-1.rdb");
    pathIn(final, sizeof(final), "dump.rdb");
    writeFile(final, "the previous snapshot");

    int fd = sioOpenWait(tmp, O_WRONLY | O_CREAT | O_TRUNC);
    TEST_ASSERT(fd >= 0);
    if (fd < 0) return;
    unsigned char *bufs[CHUNKS];
    result res[CHUNKS];
    int completed = 0;
    for (int i = 0; i < CHUNKS; i++) {
        bufs[i] = malloc(CHUNK);
        fillPattern(bufs[i], CHUNK, (uint64_t)i * CHUNK);
        res[i].calls = 0;
        res[i].res = 0;
    }
    int doneBefore = doneTotal;
    /* Submit in a scrambled order: offsets, not submission order, place data. */
    for (int k = 0; k < CHUNKS; k++) {
        int i = (k * 37) % CHUNKS;
        TEST_ASSERT_EQ(sioWrite(fd, bufs[i], CHUNK, (off_t)i * CHUNK, onDone, &res[i]), 0);
    }
    TEST_ASSERT_EQ(sioInFlight(), CHUNKS);
    /* Never called from inside the submitting call, on any engine. */
    for (int i = 0; i < CHUNKS; i++) TEST_ASSERT_EQ(res[i].calls, 0);

    TEST_ASSERT(runUntil(&doneTotal, doneBefore + CHUNKS, 60000));
    for (int i = 0; i < CHUNKS; i++) completed += res[i].calls;
    TEST_ASSERT_EQ(completed, CHUNKS);
    for (int i = 0; i < CHUNKS; i++) {
        TEST_ASSERT_EQ(res[i].calls, 1);
        TEST_ASSERT_EQ(res[i].res, CHUNK);
    }
    TEST_ASSERT_EQ(sioInFlight(), 0);

    TEST_ASSERT_EQ(sioFsyncWait(fd), 0);
    TEST_ASSERT_EQ(sioCloseWait(fd), 0);
    result r = {0, 0};
    TEST_ASSERT_EQ(sioRename(tmp, final, onDone, &r), 0);
    TEST_ASSERT_EQ(waitResult(&r), 0);
    result d = {0, 0};
    TEST_ASSERT_EQ(sioFsyncDir(tmpDir, onDone, &d), 0);
    TEST_ASSERT_EQ(waitResult(&d), 0);

    TEST_ASSERT(access(tmp, F_OK) == -1 && errno == ENOENT);
    TEST_ASSERT(fileHasPattern(final, (size_t)CHUNK * CHUNKS));
    for (int i = 0; i < CHUNKS; i++) free(bufs[i]);
}

/* Every request is cut to 1000 bytes: the rest is resubmitted inside sio,
 * the caller sees one completion with the full length. */
static void testShortWritesCompleted(void) {
    enum { LEN = 1000003 }; /* not a multiple of the cap */
    char path[512];
    pathIn(path, sizeof(path), "short.bin");
    unsigned char *buf = malloc(LEN);
    fillPattern(buf, LEN, 0);
    int fd = sioOpenWait(path, O_WRONLY | O_CREAT | O_TRUNC);
    TEST_ASSERT(fd >= 0);
    sioTestSetMaxWriteChunk(1000);
    /* Two writes side by side, to interleave their resubmissions. */
    result a = {0, 0}, b = {0, 0};
    TEST_ASSERT_EQ(sioWrite(fd, buf, LEN / 2, 0, onDone, &a), 0);
    TEST_ASSERT_EQ(sioWrite(fd, buf + LEN / 2, LEN - LEN / 2, LEN / 2, onDone, &b), 0);
    TEST_ASSERT(runUntil(&a.calls, 1, 60000));
    TEST_ASSERT(runUntil(&b.calls, 1, 60000));
    sioTestSetMaxWriteChunk(0);
    TEST_ASSERT_EQ(a.calls, 1);
    TEST_ASSERT_EQ(b.calls, 1);
    TEST_ASSERT_EQ(a.res, LEN / 2);
    TEST_ASSERT_EQ(b.res, LEN - LEN / 2);
    TEST_ASSERT_EQ(sioCloseWait(fd), 0);
    TEST_ASSERT(fileHasPattern(path, LEN));
    free(buf);
}

/* Each step submitted from the previous step's callback, as the snapshot
 * writer will do it. */
typedef struct chain {
    int fd, step, steps, finished;
    long long firstError;
    unsigned char buf[4096];
} chain;

static void chainNext(void *ctx, long long res) {
    chain *c = ctx;
    if (res < 0 && !c->firstError) c->firstError = res;
    if (c->step < c->steps) {
        fillPattern(c->buf, sizeof(c->buf), (uint64_t)c->step * sizeof(c->buf));
        off_t off = (off_t)c->step * (off_t)sizeof(c->buf);
        c->step++;
        TEST_ASSERT_EQ(sioWrite(c->fd, c->buf, sizeof(c->buf), off, chainNext, c), 0);
    } else if (c->step == c->steps) {
        c->step++;
        TEST_ASSERT_EQ(sioFsync(c->fd, chainNext, c), 0);
    } else {
        c->finished = 1;
    }
}

static void testSubmitFromCallbacks(void) {
    char path[512];
    pathIn(path, sizeof(path), "chain.bin");
    chain c = {.steps = 50};
    c.fd = sioOpenWait(path, O_WRONLY | O_CREAT | O_TRUNC);
    TEST_ASSERT(c.fd >= 0);
    if (c.fd < 0) return;
    chainNext(&c, 0);
    TEST_ASSERT(runUntil(&c.finished, 1, 30000));
    TEST_ASSERT_EQ(c.firstError, 0);
    TEST_ASSERT_EQ(sioCloseWait(c.fd), 0);
    TEST_ASSERT(fileHasPattern(path, 50 * 4096));
}

static void testWriteReadOnlyFdIsEbadf(void) {
    char path[512];
    pathIn(path, sizeof(path), "ro.bin");
    writeFile(path, "x");
    int fd = sioOpenWait(path, O_RDONLY);
    TEST_ASSERT(fd >= 0);
    TEST_ASSERT_EQ(sioWriteWait(fd, "abc", 3, 0), -EBADF);
    /* fsync of a read-only fd is legal (it is how directories are synced). */
    TEST_ASSERT_EQ(sioFsyncWait(fd), 0);
    TEST_ASSERT_EQ(sioCloseWait(fd), 0);
    /* A closed fd. */
    TEST_ASSERT_EQ(sioWriteWait(fd, "abc", 3, 0), -EBADF);
}

static void testMissingPaths(void) {
    char from[512], to[512], missing[512];
    pathIn(from, sizeof(from), "exists.rdb");
    pathIn(to, sizeof(to), "no-such-dir/dump.rdb");
    pathIn(missing, sizeof(missing), "no-such-dir");
    writeFile(from, "data");
    result r = {0, 0};
    TEST_ASSERT_EQ(sioRename(from, to, onDone, &r), 0);
    TEST_ASSERT_EQ(waitResult(&r), -ENOENT);
    TEST_ASSERT(access(from, F_OK) == 0); /* a failed rename leaves the source */
    TEST_ASSERT_EQ(sioOpenWait(to, O_RDONLY), -ENOENT);
    result d = {0, 0};
    TEST_ASSERT_EQ(sioFsyncDir(missing, onDone, &d), 0);
    TEST_ASSERT_EQ(waitResult(&d), -ENOENT);
    /* A regular file is not a directory. */
    result f = {0, 0};
    TEST_ASSERT_EQ(sioFsyncDir(from, onDone, &f), 0);
    TEST_ASSERT_EQ(waitResult(&f), -ENOTDIR);
    TEST_ASSERT_EQ(sioInFlight(), 0);
}

/* RLIMIT_FSIZE at 1 MB: a 2 MB write gets 1 MB in (a short write, which sio
 * resubmits) and then EFBIG, which the caller sees. */
static void testFileSizeLimitIsEfbig(void) {
    enum { LIMIT = 1 << 20, LEN = 2 << 20 };
    struct rlimit old, lim;
    TEST_ASSERT(getrlimit(RLIMIT_FSIZE, &old) == 0);
    void (*oldHandler)(int) = signal(SIGXFSZ, SIG_IGN);
    char path[512];
    pathIn(path, sizeof(path), "big.bin");
    unsigned char *buf = malloc(LEN);
    fillPattern(buf, LEN, 0);
    int fd = sioOpenWait(path, O_WRONLY | O_CREAT | O_TRUNC);
    TEST_ASSERT(fd >= 0);
    lim = old;
    lim.rlim_cur = LIMIT;
    TEST_ASSERT(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    long long res = sioWriteWait(fd, buf, LEN, 0);
    /* Entirely beyond the limit: EFBIG at once. */
    long long res2 = sioWriteWait(fd, buf, 100, LIMIT + 4096);
    TEST_ASSERT(setrlimit(RLIMIT_FSIZE, &old) == 0);
    signal(SIGXFSZ, oldHandler);
    TEST_ASSERT_EQ(res, -EFBIG);
    TEST_ASSERT_EQ(res2, -EFBIG);
    struct stat st;
    TEST_ASSERT(fstat(fd, &st) == 0 && st.st_size == LIMIT);
    TEST_ASSERT_EQ(sioCloseWait(fd), 0);
    free(buf);
}

/* A 1 MB tmpfs: writing 2 MB ends in ENOSPC.  Needs the right to mount. */
static void testDiskFullIsEnospc(void) {
    enum { LEN = 2 << 20 };
    char mnt[512], path[600];
    pathIn(mnt, sizeof(mnt), "small");
    TEST_ASSERT(mkdir(mnt, 0755) == 0);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=1m") != 0) {
        printf("  [skip] %s: cannot mount a small tmpfs (%s); RLIMIT_FSIZE covers the error path\n",
               sioEngineName(engine), strerror(errno));
        return;
    }
    snprintf(path, sizeof(path), "%s/full.bin", mnt);
    unsigned char *buf = malloc(LEN);
    fillPattern(buf, LEN, 0);
    int fd = sioOpenWait(path, O_WRONLY | O_CREAT | O_TRUNC);
    TEST_ASSERT(fd >= 0);
    if (fd >= 0) {
        TEST_ASSERT_EQ(sioWriteWait(fd, buf, LEN, 0), -ENOSPC);
        TEST_ASSERT_EQ(sioCloseWait(fd), 0);
    }
    free(buf);
    TEST_ASSERT(umount(mnt) == 0);
}

/* sioShutdown() waits for what is in flight: every callback has run when it
 * returns.  Re-initializes the engine afterwards for the next scenario. */
static void testShutdownWaitsForInflight(void) {
    enum { N = 100, LEN = 64 * 1024 };
    char path[512];
    pathIn(path, sizeof(path), "shutdown.bin");
    int fd = sioOpenWait(path, O_WRONLY | O_CREAT | O_TRUNC);
    TEST_ASSERT(fd >= 0);
    unsigned char *buf = malloc((size_t)N * LEN);
    fillPattern(buf, (size_t)N * LEN, 0);
    result r[N];
    memset(r, 0, sizeof(r));
    for (int i = 0; i < N; i++)
        TEST_ASSERT_EQ(sioWrite(fd, buf + (size_t)i * LEN, LEN, (off_t)i * LEN, onDone, &r[i]), 0);
    sioShutdown();
    TEST_ASSERT_EQ(sioInFlight(), 0);
    TEST_ASSERT(strcmp(sioEngineInUse(), "none") == 0);
    for (int i = 0; i < N; i++) {
        TEST_ASSERT_EQ(r[i].calls, 1);
        TEST_ASSERT_EQ(r[i].res, LEN);
    }
    close(fd);
    TEST_ASSERT(fileHasPattern(path, (size_t)N * LEN));
    free(buf);
    /* Calls after shutdown are refused, and their callback never runs. */
    result late = {0, 0};
    TEST_ASSERT_EQ(sioFsync(0, onDone, &late), -EINVAL);
    TEST_ASSERT_EQ(sioPoll(0), -1);
    TEST_ASSERT_EQ(late.calls, 0);
    char err[SIO_ERR_LEN];
    TEST_ASSERT_EQ(sioInit(el, engine, err, sizeof(err)), SIO_OK);
}

/* Without a loop: sioPoll() delivers completions, with a timeout. */
static void testPollWithoutLoop(void) {
    sioShutdown();
    char err[SIO_ERR_LEN];
    TEST_ASSERT_EQ(sioInit(NULL, engine, err, sizeof(err)), SIO_OK);
    TEST_ASSERT_EQ(sioPoll(0), 0); /* nothing in flight */
    char path[512];
    pathIn(path, sizeof(path), "poll.bin");
    result o = {0, 0};
    TEST_ASSERT_EQ(sioOpen(path, O_WRONLY | O_CREAT | O_TRUNC, 0644, onDone, &o), 0);
    int calls = 0;
    for (int i = 0; i < 100 && o.calls == 0; i++) calls += sioPoll(1000);
    TEST_ASSERT_EQ(calls, 1);
    TEST_ASSERT(o.res >= 0);
    unsigned char buf[8192];
    fillPattern(buf, sizeof(buf), 0);
    result w = {0, 0}, f = {0, 0};
    TEST_ASSERT_EQ(sioWrite((int)o.res, buf, sizeof(buf), 0, onDone, &w), 0);
    while (w.calls == 0) TEST_ASSERT(sioPoll(-1) >= 0);
    TEST_ASSERT_EQ(w.res, (long long)sizeof(buf));
    TEST_ASSERT_EQ(sioFsync((int)o.res, onDone, &f), 0);
    while (f.calls == 0) TEST_ASSERT(sioPoll(5000) >= 0);
    TEST_ASSERT_EQ(f.res, 0);
    close((int)o.res);
    TEST_ASSERT(fileHasPattern(path, sizeof(buf)));
    sioShutdown();
    TEST_ASSERT_EQ(sioInit(el, engine, err, sizeof(err)), SIO_OK);
}

/* The loop keeps serving a 1 ms timer while 64 MB are written and fsynced:
 * the longest gap between two timer calls is the longest the loop waited. */
typedef struct gapProbe {
    long long last, maxGap;
    int ticks;
    int fd;
    unsigned char *bufs[8];
    int written, fsynced, started, failures;
} gapProbe;

enum { GAP_CHUNK = 1 << 20, GAP_CHUNKS = 64 };

static long long gapTick(aeEventLoop *loop, long long id, void *data) {
    (void)loop;
    (void)id;
    gapProbe *g = data;
    long long now = nowUs();
    if (g->last && now - g->last > g->maxGap) g->maxGap = now - g->last;
    g->last = now;
    g->ticks++;
    return 1;
}

static void gapFsynced(void *ctx, long long res) {
    gapProbe *g = ctx;
    if (res != 0) g->failures++;
    g->fsynced = 1;
}

static void gapWritten(void *ctx, long long res) {
    gapProbe *g = ctx;
    if (res != GAP_CHUNK) g->failures++;
    if (++g->written == GAP_CHUNKS && sioFsync(g->fd, gapFsynced, g) != 0) {
        g->failures++;
        g->fsynced = 1;
    }
}

/* Submits from inside the loop, so the submission time is measured too. */
static long long gapStart(aeEventLoop *loop, long long id, void *data) {
    (void)loop;
    (void)id;
    gapProbe *g = data;
    for (int i = 0; i < GAP_CHUNKS; i++)
        if (sioWrite(g->fd, g->bufs[i % 8], GAP_CHUNK, (off_t)i * GAP_CHUNK, gapWritten, g) != 0)
            g->failures++;
    g->started = 1;
    return AE_NOMORE;
}

static void testLoopNeverWaits(void) {
    char path[512];
    pathIn(path, sizeof(path), "gap.bin");
    gapProbe g;
    memset(&g, 0, sizeof(g));
    g.fd = sioOpenWait(path, O_WRONLY | O_CREAT | O_TRUNC);
    TEST_ASSERT(g.fd >= 0);
    if (g.fd < 0) return;
    for (int i = 0; i < 8; i++) {
        g.bufs[i] = malloc(GAP_CHUNK);
        memset(g.bufs[i], 'a' + i, GAP_CHUNK);
    }
    long long tick = aeCreateTimeEvent(el, 1, gapTick, &g, NULL);
    aeCreateTimeEvent(el, 5, gapStart, &g, NULL);
    long long t0 = nowUs();
    TEST_ASSERT(runUntil(&g.fsynced, 1, 120000));
    long long elapsed = nowUs() - t0;
    aeDeleteTimeEvent(el, tick);
    TEST_ASSERT_EQ(g.failures, 0);
    TEST_ASSERT_EQ(g.written, GAP_CHUNKS);
    long long limitMs = getenv("SIO_TEST_MAX_GAP_MS") ? atoll(getenv("SIO_TEST_MAX_GAP_MS")) : 50;
    printf("  %s: 64 MB written + fsync in %lld ms, %d timer ticks, longest loop gap %.1f ms\n",
           sioEngineName(engine), elapsed / 1000, g.ticks, g.maxGap / 1000.0);
    /* The sync engine does wait on the disk: measured for the record only. */
    if (engine != SIO_ENGINE_SYNC) TEST_ASSERT(g.maxGap < limitMs * 1000);
    TEST_ASSERT_EQ(sioCloseWait(g.fd), 0);
    struct stat st;
    TEST_ASSERT(stat(path, &st) == 0 && st.st_size == (off_t)GAP_CHUNK * GAP_CHUNKS);
    for (int i = 0; i < 8; i++) free(g.bufs[i]);
    unlink(path);
}

/* Runs one scenario on the current engine, in a fresh directory. */
static void runOnEngine(const char *name, void (*fn)(void)) {
    char full[128];
    snprintf(full, sizeof(full), "%s: %s", sioEngineName(engine), name);
    snprintf(tmpDir, sizeof(tmpDir), "/tmp/test_sio.XXXXXX");
    if (!mkdtemp(tmpDir)) {
        perror("mkdtemp");
        exit(1);
    }
    testRun(full, fn);
    removeTree(tmpDir);
}

#define RUN_ON_ENGINE(fn) runOnEngine(#fn, fn)

/* ------------------------------------------------------------------------ */
/* Engine choice                                                              */

static void testEngineNames(void) {
    TEST_ASSERT_EQ(sioEngineByName("auto"), SIO_ENGINE_AUTO);
    TEST_ASSERT_EQ(sioEngineByName("io_uring"), SIO_ENGINE_IO_URING);
    TEST_ASSERT_EQ(sioEngineByName("AIO"), SIO_ENGINE_AIO);
    TEST_ASSERT_EQ(sioEngineByName("sync"), SIO_ENGINE_SYNC);
    TEST_ASSERT_EQ(sioEngineByName("uring"), -1);
    TEST_ASSERT_EQ(sioEngineByName(""), -1);
    TEST_ASSERT_EQ(sioEngineByName(NULL), -1);
    for (int i = 0; i < SIO_ENGINE_COUNT; i++)
        TEST_ASSERT_EQ(sioEngineByName(sioEngineName(i)), i);
    TEST_ASSERT(sioEngineName(-1) == NULL);
    TEST_ASSERT(sioEngineName(SIO_ENGINE_COUNT) == NULL);
}

static void testNotInitialized(void) {
    result r = {0, 0};
    TEST_ASSERT(strcmp(sioEngineInUse(), "none") == 0);
    TEST_ASSERT_EQ(sioWrite(1, "x", 1, 0, onDone, &r), -EINVAL);
    TEST_ASSERT_EQ(sioOpen("/tmp", O_RDONLY, 0, onDone, &r), -EINVAL);
    TEST_ASSERT_EQ(sioFsyncDir("/tmp", onDone, &r), -EINVAL);
    TEST_ASSERT_EQ(sioPoll(0), -1);
    TEST_ASSERT_EQ(r.calls, 0);
    sioShutdown(); /* a no-op */
    char err[SIO_ERR_LEN];
    TEST_ASSERT_EQ(sioInit(el, 99, err, sizeof(err)), SIO_ERR);
    TEST_ASSERT(strstr(err, "unknown") != NULL);
}

static void testForcedEngine(void) {
    char err[SIO_ERR_LEN];
    TEST_ASSERT_EQ(sioInit(el, SIO_ENGINE_AIO, err, sizeof(err)), SIO_OK);
    TEST_ASSERT(strcmp(sioEngineInUse(), "aio") == 0);
    TEST_ASSERT(strcmp(sioFallbackReason(), "") == 0);
    TEST_ASSERT(strstr(logText, "Snapshot I/O engine: aio") != NULL);
    /* Twice is an error that leaves the first one in place. */
    TEST_ASSERT_EQ(sioInit(el, SIO_ENGINE_SYNC, err, sizeof(err)), SIO_ERR);
    TEST_ASSERT(strstr(err, "already") != NULL);
    TEST_ASSERT(strcmp(sioEngineInUse(), "aio") == 0);
    sioShutdown();
    TEST_ASSERT_EQ(sioInit(el, SIO_ENGINE_SYNC, err, sizeof(err)), SIO_OK);
    TEST_ASSERT(strcmp(sioEngineInUse(), "sync") == 0);
    sioShutdown();
    /* A forced engine that cannot be set up fails; nothing replaces it. */
    logText[0] = '\0';
    sioTestFailEngine(SIO_ENGINE_IO_URING, EPERM);
    err[0] = '\0';
    TEST_ASSERT_EQ(sioInit(el, SIO_ENGINE_IO_URING, err, sizeof(err)), SIO_ERR);
    TEST_ASSERT(strstr(err, "io_uring") != NULL);
    TEST_ASSERT(strstr(err, strerror(EPERM)) != NULL);
    TEST_ASSERT(strcmp(sioEngineInUse(), "none") == 0);
    TEST_ASSERT(strstr(logText, "Can't set up snapshot-io io_uring") != NULL);
    sioTestFailEngine(SIO_ENGINE_IO_URING, 0);
}

static void testAutoPrefersUring(void) {
    char err[SIO_ERR_LEN];
    logText[0] = '\0';
    TEST_ASSERT_EQ(sioInit(el, SIO_ENGINE_AUTO, err, sizeof(err)), SIO_OK);
    if (uringDisabledSysctl() > 0 || getenv("RINGKV_SIO_FAIL")) {
        printf("  [skip] io_uring not allowed here: auto took %s (%s)\n", sioEngineInUse(),
               sioFallbackReason());
        TEST_ASSERT(strcmp(sioEngineInUse(), "aio") == 0);
        TEST_ASSERT(strstr(sioFallbackReason(), "io_uring: ") == sioFallbackReason());
    } else {
#ifdef HAVE_LIBURING
        TEST_ASSERT(strcmp(sioEngineInUse(), "io_uring") == 0);
        TEST_ASSERT(strcmp(sioFallbackReason(), "") == 0);
        TEST_ASSERT(strstr(logText, "Snapshot I/O engine: io_uring") != NULL);
#else
        TEST_ASSERT(strcmp(sioEngineInUse(), "aio") == 0);
        TEST_ASSERT(strstr(sioFallbackReason(), "built without liburing") != NULL);
#endif
    }
    sioShutdown();
}

/* io_uring refused (as seccomp or io_uring_disabled would): auto takes aio
 * and says why; with aio refused too, sync, with a warning; with nothing
 * left, an error. */
static void testAutoFallback(void) {
    char err[SIO_ERR_LEN];
    logText[0] = '\0';
    sioTestFailEngine(SIO_ENGINE_IO_URING, EPERM);
    TEST_ASSERT_EQ(sioInit(el, SIO_ENGINE_AUTO, err, sizeof(err)), SIO_OK);
    TEST_ASSERT(strcmp(sioEngineInUse(), "aio") == 0);
    TEST_ASSERT(strstr(sioFallbackReason(), "io_uring: ") == sioFallbackReason());
    TEST_ASSERT(strstr(sioFallbackReason(), strerror(EPERM)) != NULL);
    TEST_ASSERT(strstr(logText, "Snapshot I/O engine: aio") != NULL);
    TEST_ASSERT(strstr(logText, strerror(EPERM)) != NULL);
    /* And it works. */
    char path[512];
    snprintf(path, sizeof(path), "/tmp/test_sio_fallback.%d", (int)getpid());
    int fd = sioOpenWait(path, O_WRONLY | O_CREAT | O_TRUNC);
    TEST_ASSERT(fd >= 0);
    TEST_ASSERT_EQ(sioWriteWait(fd, "hello", 5, 0), 5);
    TEST_ASSERT_EQ(sioCloseWait(fd), 0);
    unlink(path);
    sioShutdown();
    TEST_ASSERT(strcmp(sioFallbackReason(), "") == 0);

    logText[0] = '\0';
    sioTestFailEngine(SIO_ENGINE_AIO, EAGAIN);
    TEST_ASSERT_EQ(sioInit(el, SIO_ENGINE_AUTO, err, sizeof(err)), SIO_OK);
    TEST_ASSERT(strcmp(sioEngineInUse(), "sync") == 0);
    TEST_ASSERT(strstr(sioFallbackReason(), "; aio: ") != NULL);
    TEST_ASSERT(strstr(logText, "wait on the disk") != NULL);
    sioShutdown();

    sioTestFailEngine(SIO_ENGINE_SYNC, EMFILE);
    TEST_ASSERT_EQ(sioInit(el, SIO_ENGINE_AUTO, err, sizeof(err)), SIO_ERR);
    TEST_ASSERT(strstr(err, "sync: ") != NULL);
    TEST_ASSERT(strcmp(sioEngineInUse(), "none") == 0);
    for (int i = 1; i < SIO_ENGINE_COUNT; i++) sioTestFailEngine(i, 0);

    /* The same through the environment, as a Tcl test would do it. */
    setenv("RINGKV_SIO_FAIL", "io_uring", 1);
    TEST_ASSERT_EQ(sioInit(el, SIO_ENGINE_AUTO, err, sizeof(err)), SIO_OK);
    TEST_ASSERT(strcmp(sioEngineInUse(), "aio") == 0);
    TEST_ASSERT(strstr(sioFallbackReason(), "RINGKV_SIO_FAIL") != NULL);
    sioShutdown();
    setenv("RINGKV_SIO_FAIL", "aio, io_uring", 1);
    TEST_ASSERT_EQ(sioInit(el, SIO_ENGINE_AUTO, err, sizeof(err)), SIO_OK);
    TEST_ASSERT(strcmp(sioEngineInUse(), "sync") == 0);
    sioShutdown();
    unsetenv("RINGKV_SIO_FAIL");
}

int main(void) {
    el = aeCreateEventLoop(1024, NULL);
    if (!el) {
        perror("aeCreateEventLoop");
        return 1;
    }
    TEST_RUN(testEngineNames);
    TEST_RUN(testNotInitialized);
    TEST_RUN(testForcedEngine);
    TEST_RUN(testAutoPrefersUring);
    TEST_RUN(testAutoFallback);

    for (engine = SIO_ENGINE_IO_URING; engine < SIO_ENGINE_COUNT; engine++) {
        char err[SIO_ERR_LEN];
        if (sioInit(el, engine, err, sizeof(err)) != SIO_OK) {
            int builtWithout = 0;
#ifndef HAVE_LIBURING
            builtWithout = 1;
#endif
            if (engine == SIO_ENGINE_IO_URING &&
                (builtWithout || uringDisabledSysctl() > 0 || getenv("RINGKV_SIO_FAIL"))) {
                printf("[skip] io_uring engine not allowed here: %s\n", err);
                continue;
            }
            printf("[FAIL] %s engine cannot be set up: %s\n", sioEngineName(engine), err);
            testGetState()->failed++;
            continue;
        }
        RUN_ON_ENGINE(testBigWriteRenameDurable);
        RUN_ON_ENGINE(testShortWritesCompleted);
        RUN_ON_ENGINE(testSubmitFromCallbacks);
        RUN_ON_ENGINE(testWriteReadOnlyFdIsEbadf);
        RUN_ON_ENGINE(testMissingPaths);
        RUN_ON_ENGINE(testFileSizeLimitIsEfbig);
        RUN_ON_ENGINE(testDiskFullIsEnospc);
        RUN_ON_ENGINE(testShutdownWaitsForInflight);
        RUN_ON_ENGINE(testPollWithoutLoop);
        RUN_ON_ENGINE(testLoopNeverWaits);
        sioShutdown();
    }
    aeDeleteEventLoop(el);
    return testReport();
}
