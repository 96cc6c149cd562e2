/* sio.c -- snapshot I/O: engine choice, request bookkeeping, loop glue.
 *
 * The engines (sio_uring.c, sio_aio.c, sio_sync.c) each do one thing: start
 * a single syscall-sized request and hand it back when the kernel or a
 * thread finished it.  Everything callers rely on is built once, here, on
 * top of that table:
 *
 *   - Engine choice at run time.  "auto" tries io_uring, then aio, then sync,
 *     keeping each failure's reason for sioFallbackReason() and the log;
 *     io_uring can be compiled in and still be unusable (kernel too old,
 *     kernel.io_uring_disabled, seccomp in a container), which only setting
 *     it up reveals.  A forced engine that fails is an error, never replaced.
 *   - Loop integration.  The engine's notify fd is registered as a readable
 *     file event; its handler reaps without blocking and calls the
 *     callbacks.  Nothing in this file ever waits, except sioPoll() and
 *     sioShutdown(), which exist for callers that want to.
 *   - Whole writes.  A short write (ENOSPC/EFBIG after a partial write, a
 *     request larger than the engine takes, a signal) is resubmitted for the
 *     rest; -EAGAIN/-EINTR are retried a bounded number of times; a write
 *     that made no progress is -EIO.  The caller sees len or -errno.
 *   - Flow control.  An engine takes at most SIO_QUEUE_DEPTH requests; the
 *     rest wait here in a FIFO backlog, pushed after each reap.  Invariant:
 *     the backlog is only non-empty while the engine holds requests, so a
 *     completion always comes to drain it.
 *   - The "done is never called inside the submitting call" rule: every
 *     completion, also the sync engine's and the failures found while
 *     draining the backlog, is delivered from the reap path.
 *   - sioFsyncDir() is composed of open + fsync + close requests, so engines
 *     need no special case for directories.
 *
 * Conventions: public functions sioXxx, private ones static and unprefixed
 * by module; errors are negative errno values as in liburing.  This is the
 * one sio file that includes server.h, for serverLog(). */
#include "sio.h"
#include "server.h"
#include "zmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Consecutive -EAGAIN/-EINTR completions of one request before giving up. */
#define SIO_MAX_RETRIES 100

static const char *engineNames[SIO_ENGINE_COUNT] = {"auto", "io_uring", "aio", "sync"};
static const sioEngine *engineTable[SIO_ENGINE_COUNT] = {
    NULL, &sioUringEngine, &sioAioEngine, &sioSyncEngine};

static struct {
    int initialized;
    int engineId;             /* SIO_ENGINE_* in use */
    const sioEngine *engine;
    void *state;              /* the engine's */
    int notifyFd;
    aeEventLoop *el;          /* NULL: completions only through sioPoll() */
    int inflight;             /* accepted, done not called yet */
    int engineInflight;       /* held by the engine right now */
    sioOp *backlogHead, *backlogTail;
    int reaping;              /* inside processCompletions(): no re-entry */
    long long callbacks;      /* callbacks called so far (sioPoll's count) */
    char fallback[SIO_ERR_LEN * 2];
} sio;

/* Test knobs (see sio.h). */
static int testFailErr[SIO_ENGINE_COUNT];
static size_t testMaxChunk;

/* ------------------------------------------------------------------------ */
/* Engine names and choice                                                   */

int sioEngineByName(const char *name) {
    if (!name) return -1;
    for (int i = 0; i < SIO_ENGINE_COUNT; i++)
        if (!strcasecmp(name, engineNames[i])) return i;
    return -1;
}

const char *sioEngineName(int engine) {
    return engine >= 0 && engine < SIO_ENGINE_COUNT ? engineNames[engine] : NULL;
}

void sioTestFailEngine(int engine, int err) {
    if (engine > SIO_ENGINE_AUTO && engine < SIO_ENGINE_COUNT) testFailErr[engine] = err;
}

void sioTestSetMaxWriteChunk(size_t maxBytes) {
    testMaxChunk = maxBytes;
}

/* RINGKV_SIO_FAIL="io_uring,aio" makes those engines fail to set up, like
 * sioTestFailEngine() with ENOSYS: how the Tcl tests reach the fallback
 * paths of a real server without root or a special kernel. */
static int envFailsEngine(int engine) {
    const char *list = getenv("RINGKV_SIO_FAIL");
    if (!list) return 0;
    size_t len = strlen(engineNames[engine]);
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ", ");
        if (n == len && !strncasecmp(p, engineNames[engine], len)) return 1;
        p += n;
        p += strspn(p, ", ");
    }
    return 0;
}

/* Sets up one engine.  0, or -errno with a reason in why. */
static int tryEngine(int id, char *why, size_t whylen) {
    if (testFailErr[id]) {
        snprintf(why, whylen, "%s (test hook)", strerror(testFailErr[id]));
        return -testFailErr[id];
    }
    if (envFailsEngine(id)) {
        snprintf(why, whylen, "disabled by RINGKV_SIO_FAIL");
        return -ENOSYS;
    }
    why[0] = '\0';
    int r = engineTable[id]->init(&sio.state, SIO_QUEUE_DEPTH, &sio.notifyFd, why, whylen);
    if (r == 0) {
        sio.engine = engineTable[id];
        sio.engineId = id;
    } else if (!why[0]) {
        snprintf(why, whylen, "%s", strerror(-r));
    }
    return r;
}

static void appendFallback(int id, const char *why) {
    size_t used = strlen(sio.fallback);
    snprintf(sio.fallback + used, sizeof(sio.fallback) - used, "%s%s: %s",
             used ? "; " : "", engineNames[id], why);
}

static void setErr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void setErr(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || !errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static void onNotifyReadable(aeEventLoop *el, int fd, void *clientData, int mask);

int sioInit(aeEventLoop *el, int engine, char *err, size_t errlen) {
    char why[SIO_ERR_LEN];
    if (sio.initialized) {
        setErr(err, errlen, "snapshot I/O already initialized");
        return SIO_ERR;
    }
    if (engine < 0 || engine >= SIO_ENGINE_COUNT) {
        setErr(err, errlen, "unknown snapshot I/O engine");
        return SIO_ERR;
    }
    sio.fallback[0] = '\0';

    if (engine == SIO_ENGINE_AUTO) {
        int id, r = -1;
        for (id = SIO_ENGINE_IO_URING; id < SIO_ENGINE_COUNT; id++) {
            r = tryEngine(id, why, sizeof(why));
            if (r == 0) break;
            appendFallback(id, why);
        }
        if (r != 0) {
            setErr(err, errlen, "no snapshot I/O engine could be set up: %s", sio.fallback);
            serverLog(LL_WARNING, "No snapshot I/O engine could be set up: %s", sio.fallback);
            return SIO_ERR;
        }
        if (id == SIO_ENGINE_IO_URING) {
            serverLog(LL_NOTICE, "Snapshot I/O engine: io_uring");
        } else if (id == SIO_ENGINE_AIO) {
            serverLog(LL_WARNING, "Snapshot I/O engine: aio (POSIX AIO), io_uring unavailable: %s",
                      sio.fallback);
        } else {
            serverLog(LL_WARNING,
                      "Snapshot I/O engine: sync, the event loop will wait on the disk "
                      "during snapshots (%s)", sio.fallback);
        }
    } else {
        if (tryEngine(engine, why, sizeof(why)) != 0) {
            setErr(err, errlen, "snapshot-io %s: %s", engineNames[engine], why);
            serverLog(LL_WARNING, "Can't set up snapshot-io %s: %s", engineNames[engine], why);
            return SIO_ERR;
        }
        serverLog(LL_NOTICE, "Snapshot I/O engine: %s (snapshot-io %s)", engineNames[engine],
                  engineNames[engine]);
    }

    sio.el = el;
    if (el && aeCreateFileEvent(el, sio.notifyFd, AE_READABLE, onNotifyReadable, NULL) == AE_ERR) {
        snprintf(why, sizeof(why), "can't watch the completion fd: %s", strerror(errno));
        setErr(err, errlen, "snapshot-io %s: %s", sio.engine->name, why);
        serverLog(LL_WARNING, "Snapshot I/O: %s", why);
        sio.engine->cleanup(sio.state);
        sio.engine = NULL;
        sio.state = NULL;
        sio.el = NULL;
        return SIO_ERR;
    }
    sio.inflight = sio.engineInflight = 0;
    sio.backlogHead = sio.backlogTail = NULL;
    sio.initialized = 1;
    return SIO_OK;
}

const char *sioEngineInUse(void) {
    return sio.initialized ? sio.engine->name : "none";
}

const char *sioFallbackReason(void) {
    return sio.fallback;
}

int sioInFlight(void) {
    return sio.inflight;
}

/* ------------------------------------------------------------------------ */
/* Requests                                                                  */

static sioOp *opCreate(int type, sioDoneProc *done, void *ctx) {
    sioOp *op = zcalloc(sizeof(*op));
    op->type = type;
    op->fd = -1;
    op->done = done;
    op->ctx = ctx;
    return op;
}

static void opFree(sioOp *op) {
    zfree((char *)op->path);
    zfree((char *)op->path2);
    zfree(op);
}

static void backlogPush(sioOp *op) {
    op->next = NULL;
    if (sio.backlogTail) sio.backlogTail->next = op;
    else sio.backlogHead = op;
    sio.backlogTail = op;
}

/* Sets the size of the next request of a write: the rest, capped by the
 * test knob. */
static void opPrepare(sioOp *op) {
    if (op->type != SIO_OP_WRITE) return;
    op->len = op->total - op->written;
    if (testMaxChunk && op->len > testMaxChunk) op->len = testMaxChunk;
}

/* Gives op to the engine now.  0 when the engine or the backlog took it,
 * else -errno and op is still ours. */
static int opSubmitNow(sioOp *op) {
    opPrepare(op);
    int r = sio.engine->submit(sio.state, op);
    if (r == 0) {
        sio.engineInflight++;
        return 0;
    }
    if ((r == -EBUSY || r == -EAGAIN) && sio.engineInflight > 0) {
        backlogPush(op);
        return 0;
    }
    return r;
}

/* Like opSubmitNow(), but behind whatever already waits in the backlog, so
 * requests start in the order they were made. */
static int opSubmit(sioOp *op) {
    if (sio.backlogHead) {
        backlogPush(op);
        return 0;
    }
    return opSubmitNow(op);
}

/* The one place callbacks are called. */
static void opFinish(sioOp *op, long long res) {
    sio.inflight--;
    sio.callbacks++;
    op->done(op->ctx, res);
    opFree(op);
}

/* A public call's entry: 0, or -errno with op freed and done never called. */
static int opStart(sioOp *op) {
    if (!sio.initialized) {
        opFree(op);
        return -EINVAL;
    }
    int r = opSubmit(op);
    if (r != 0) {
        opFree(op);
        return r;
    }
    sio.inflight++;
    return 0;
}

/* Pushes backlogged requests while the engine takes them.  A request the
 * engine refuses for good fails now, through its callback. */
static void drainBacklog(void) {
    while (sio.backlogHead) {
        sioOp *op = sio.backlogHead;
        sio.backlogHead = op->next;
        if (!sio.backlogHead) sio.backlogTail = NULL;
        opPrepare(op);
        int r = sio.engine->submit(sio.state, op);
        if (r == 0) {
            sio.engineInflight++;
            continue;
        }
        if ((r == -EBUSY || r == -EAGAIN) && sio.engineInflight > 0) {
            /* Still full: back at the head, try after the next reap. */
            op->next = sio.backlogHead;
            sio.backlogHead = op;
            if (!sio.backlogTail) sio.backlogTail = op;
            return;
        }
        opFinish(op, r);
    }
}

/* An engine handed op back with op->res set: finish it, or resubmit it. */
static void opCompleted(sioOp *op) {
    long long res = op->res;
    int retry = 0;
    if ((res == -EAGAIN || res == -EINTR) && op->type != SIO_OP_CLOSE) {
        retry = ++op->retries <= SIO_MAX_RETRIES;
    } else if (op->type == SIO_OP_WRITE && res >= 0) {
        op->retries = 0;
        op->written += (size_t)res;
        if (op->written < op->total) {
            if (res == 0) {
                res = -EIO; /* no progress: would loop forever */
            } else {
                op->buf = (const char *)op->buf + res;
                op->offset += (off_t)res;
                retry = 1;
            }
        } else {
            res = (long long)op->total;
        }
    }
    if (retry) {
        int r = opSubmit(op);
        if (r == 0) return;
        res = r;
    }
    opFinish(op, res);
}

/* Reaps everything ready, calls callbacks, refills the engine.  Returns the
 * number of callbacks called.  Never blocks. */
static int processCompletions(void) {
    sioOp *batch[SIO_QUEUE_DEPTH];
    long long before = sio.callbacks;
    int n;
    sio.reaping++;
    do {
        n = sio.engine->reap(sio.state, batch, SIO_QUEUE_DEPTH);
        sio.engineInflight -= n;
        for (int i = 0; i < n; i++) opCompleted(batch[i]);
        drainBacklog();
    } while (n == SIO_QUEUE_DEPTH);
    sio.reaping--;
    return (int)(sio.callbacks - before);
}

static void onNotifyReadable(aeEventLoop *el, int fd, void *clientData, int mask) {
    (void)el;
    (void)fd;
    (void)clientData;
    (void)mask;
    if (sio.initialized && !sio.reaping) processCompletions();
}

static long long monotonicMs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int sioPoll(long long timeoutMs) {
    if (!sio.initialized || sio.reaping) return -1;
    long long deadline = timeoutMs < 0 ? -1 : monotonicMs() + timeoutMs;
    for (;;) {
        int calls = processCompletions();
        if (calls > 0 || sio.inflight == 0) return calls;
        long long wait = -1;
        if (deadline >= 0) {
            wait = deadline - monotonicMs();
            if (wait <= 0) return 0;
        }
        struct pollfd pfd = {.fd = sio.notifyFd, .events = POLLIN};
        /* EINTR: just go round, the deadline is absolute. */
        poll(&pfd, 1, wait > 1000000 ? 1000000 : (int)wait);
    }
}

void sioShutdown(void) {
    if (!sio.initialized || sio.reaping) return;
    while (sio.inflight > 0) sioPoll(-1);
    if (sio.el) aeDeleteFileEvent(sio.el, sio.notifyFd, AE_READABLE);
    sio.engine->cleanup(sio.state);
    sio.initialized = 0;
    sio.engine = NULL;
    sio.state = NULL;
    sio.el = NULL;
    sio.notifyFd = -1;
    sio.fallback[0] = '\0';
}

/* ------------------------------------------------------------------------ */
/* Public submission calls                                                   */

int sioOpen(const char *path, int flags, int mode, sioDoneProc *done, void *ctx) {
    if (!path || !done) return -EINVAL;
    sioOp *op = opCreate(SIO_OP_OPEN, done, ctx);
    op->path = zstrdup(path);
    op->flags = flags | O_CLOEXEC;
    op->mode = mode;
    return opStart(op);
}

int sioWrite(int fd, const void *buf, size_t len, off_t offset, sioDoneProc *done, void *ctx) {
    if ((!buf && len) || !done || offset < 0) return -EINVAL;
    sioOp *op = opCreate(SIO_OP_WRITE, done, ctx);
    op->fd = fd;
    op->buf = buf;
    op->total = op->len = len;
    op->offset = offset;
    return opStart(op);
}

int sioFsync(int fd, sioDoneProc *done, void *ctx) {
    if (!done) return -EINVAL;
    sioOp *op = opCreate(SIO_OP_FSYNC, done, ctx);
    op->fd = fd;
    return opStart(op);
}

int sioRename(const char *from, const char *to, sioDoneProc *done, void *ctx) {
    if (!from || !to || !done) return -EINVAL;
    sioOp *op = opCreate(SIO_OP_RENAME, done, ctx);
    op->path = zstrdup(from);
    op->path2 = zstrdup(to);
    return opStart(op);
}

int sioClose(int fd, sioDoneProc *done, void *ctx) {
    if (!done) return -EINVAL;
    sioOp *op = opCreate(SIO_OP_CLOSE, done, ctx);
    op->fd = fd;
    return opStart(op);
}

/* sioFsyncDir: open -> fsync -> close, each step started by the previous
 * one's callback.  res keeps the first error; the fd is always closed. */
typedef struct fsyncDirJob {
    sioDoneProc *done;
    void *ctx;
    int fd;
    long long res;
} fsyncDirJob;

static void fsyncDirClosed(void *ctx, long long res) {
    fsyncDirJob *job = ctx;
    if (job->res == 0 && res < 0) job->res = res;
    job->done(job->ctx, job->res);
    zfree(job);
}

static void fsyncDirClose(fsyncDirJob *job) {
    if (sioClose(job->fd, fsyncDirClosed, job) != 0) {
        /* Refused (engine out of resources): closing a directory fd does
         * not touch the disk, so doing it here is fine. */
        close(job->fd);
        fsyncDirClosed(job, 0);
    }
}

static void fsyncDirSynced(void *ctx, long long res) {
    fsyncDirJob *job = ctx;
    job->res = res < 0 ? res : 0;
    fsyncDirClose(job);
}

static void fsyncDirOpened(void *ctx, long long res) {
    fsyncDirJob *job = ctx;
    if (res < 0) {
        job->done(job->ctx, res);
        zfree(job);
        return;
    }
    job->fd = (int)res;
    int r = sioFsync(job->fd, fsyncDirSynced, job);
    if (r != 0) {
        job->res = r;
        fsyncDirClose(job);
    }
}

int sioFsyncDir(const char *dirpath, sioDoneProc *done, void *ctx) {
    if (!dirpath || !done) return -EINVAL;
    fsyncDirJob *job = zcalloc(sizeof(*job));
    job->done = done;
    job->ctx = ctx;
    job->fd = -1;
    int r = sioOpen(dirpath, O_RDONLY | O_DIRECTORY, 0, fsyncDirOpened, job);
    if (r != 0) zfree(job);
    return r;
}
