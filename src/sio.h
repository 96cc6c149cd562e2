/* sio.h -- asynchronous snapshot I/O: open, write, fsync, rename, close
 * without ever making the event loop wait on the disk.
 *
 * The snapshot writer (issue 4) serializes the keyspace into buffers from the
 * event loop and hands each full buffer to sioWrite(); the request runs in the
 * kernel (io_uring) or on threads (POSIX AIO), and its completion callback is
 * later called from the event loop when the completion file descriptor that
 * sioInit() registered becomes readable.  Three engines sit behind one table
 * of functions, in the manner of fio's ioengines:
 *
 *   io_uring  liburing; every operation, including openat/renameat/close, is
 *             an io_uring request.  First choice.
 *   aio       POSIX AIO (glibc: user-space threads) for write and fsync, and
 *             a helper thread for open, rename and close.  Used when io_uring
 *             cannot be set up (old kernel, seccomp, io_uring_disabled).
 *   sync      plain syscalls run on the caller's thread at submission time,
 *             completions still delivered later from the loop.  Tests, and the
 *             last resort: with it the loop DOES wait on the disk.
 *
 * Contracts that hold for every operation and every engine:
 *
 *   - Results: done(ctx, res) gets res >= 0 on success (bytes for a write,
 *     the new fd for an open, 0 otherwise) or a negative errno value.
 *   - A submission function returns 0 when the operation was accepted; its
 *     done callback will then be called exactly once.  It returns a negative
 *     errno when it was refused (-EINVAL: sio not initialized or bad argument;
 *     -EAGAIN: the engine cannot take work and has none in flight), and then
 *     done is NEVER called.
 *   - done is never called from inside the submission function, always from
 *     the event loop (or from sioPoll()/sioShutdown()), on the thread that
 *     runs the loop.  It may submit new operations.  It must not call
 *     sioInit(), sioShutdown() or sioPoll().
 *   - Ordering: NONE between operations in flight at the same time, on any
 *     engine.  Requests are not linked or drained (IOSQE_IO_DRAIN would stall
 *     every other request in the ring), so the caller orders them by waiting:
 *     sioFsync(fd) makes durable the writes on fd whose done was called BEFORE
 *     sioFsync() was called; writes still in flight may or may not be covered.
 *     Likewise submit sioRename() only after the fsync completed, and
 *     sioFsyncDir() only after the rename completed.
 *   - Buffers: a write's buffer belongs to the caller, must stay valid and
 *     unchanged until done is called, and is never freed by sio.  Path strings
 *     are copied: the caller may free them as soon as the call returns.
 *   - Writes are complete or failed: a short write is resubmitted for the rest
 *     internally, so done sees exactly len, or -errno (then the file holds an
 *     unknown prefix of the data: e.g. -ENOSPC, -EFBIG, -EIO).  A write that
 *     makes no progress at all reports -EIO rather than looping.
 *   - An fd must not be closed (by sioClose or close(2)) while operations on it
 *     are in flight.
 *   - Everything except the engines' internal threads runs on one thread: sio
 *     is not thread-safe and is meant to be called from the event loop. */
#ifndef RINGKV_SIO_H
#define RINGKV_SIO_H

#include <stddef.h>
#include <sys/types.h>

#include "ae.h"

#define SIO_OK 0
#define SIO_ERR -1
#define SIO_ERR_LEN 256 /* enough for any error string sio produces */

/* Engine ids: the values of the `snapshot-io` directive. */
#define SIO_ENGINE_AUTO 0     /* io_uring, else aio, else sync (with a warning) */
#define SIO_ENGINE_IO_URING 1
#define SIO_ENGINE_AIO 2
#define SIO_ENGINE_SYNC 3
#define SIO_ENGINE_COUNT 4

/* Requests an engine may have in flight; more are queued inside sio and
 * submitted as completions free slots (never refused for being too many). */
#define SIO_QUEUE_DEPTH 64

/* res >= 0 (bytes written, fd opened, or 0) or -errno; see above. */
typedef void sioDoneProc(void *ctx, long long res);

/* "auto", "io_uring", "aio", "sync" (case-insensitive) -> SIO_ENGINE_*, or -1. */
int sioEngineByName(const char *name);
/* SIO_ENGINE_* -> its name ("auto" ...), or NULL for an unknown id. */
const char *sioEngineName(int engine);

/* Sets up the engine and, when el is not NULL, registers its completion fd
 * with the loop (readable handler that reaps and calls the callbacks; with
 * el NULL completions are only delivered by sioPoll()).  SIO_ENGINE_AUTO
 * tries io_uring, then aio, then sync, and logs which one it took and why the
 * better ones failed (sioFallbackReason()); a forced engine that cannot be set
 * up is an error, never silently replaced.  Returns SIO_OK, or SIO_ERR with a
 * message in err (may be NULL) when the engine cannot be set up, sio is
 * already initialized (sioShutdown() first), or engine is unknown. */
int sioInit(aeEventLoop *el, int engine, char *err, size_t errlen);
/* Waits for every operation in flight (their callbacks run, and may submit
 * more, which are waited for too), unregisters the fd and frees the engine.
 * No-op when not initialized.  Blocks: for exit, SHUTDOWN, and engine
 * changes while no snapshot is running. */
void sioShutdown(void);
/* Waits up to timeoutMs (-1: no limit, 0: just look) for completions and
 * calls their callbacks on this thread, outside the event loop (what a
 * blocking SAVE needs).  Returns the number of callbacks called, 0 on timeout
 * or when nothing is in flight, -1 when not initialized. */
int sioPoll(long long timeoutMs);

/* "io_uring" | "aio" | "sync", or "none" before sioInit(): for INFO. */
const char *sioEngineInUse(void);
/* Why SIO_ENGINE_AUTO did not take io_uring (and aio, when it fell to sync),
 * e.g. "io_uring: io_uring_queue_init: Operation not permitted
 * (kernel.io_uring_disabled=2)"; "" when nothing failed. */
const char *sioFallbackReason(void);
/* Operations accepted whose callback has not been called yet (an fsyncDir
 * counts as the one step it is at). */
int sioInFlight(void);

/* open(path, flags | O_CLOEXEC, mode); res = the new fd or -errno. */
int sioOpen(const char *path, int flags, int mode, sioDoneProc *done, void *ctx);
/* pwrite of buf[0..len) at offset, completed over short writes; res = len or
 * -errno.  buf must stay valid until done. */
int sioWrite(int fd, const void *buf, size_t len, off_t offset, sioDoneProc *done, void *ctx);
/* fsync(fd): data and metadata of writes already completed; res = 0 or -errno. */
int sioFsync(int fd, sioDoneProc *done, void *ctx);
/* rename(from, to): atomically replaces `to`; res = 0 or -errno. */
int sioRename(const char *from, const char *to, sioDoneProc *done, void *ctx);
/* open(dirpath, O_RDONLY|O_DIRECTORY) + fsync + close, one after another,
 * so a rename inside dirpath is durable; res = 0 or the first -errno. */
int sioFsyncDir(const char *dirpath, sioDoneProc *done, void *ctx);
/* close(fd) as a request (io_uring: IORING_OP_CLOSE; aio: helper thread),
 * because on some file systems (NFS) close flushes; res = 0 or -errno.
 * Treat fd as closed once this returns 0, whatever res turns out to be
 * (Linux releases the descriptor even when close reports an error). */
int sioClose(int fd, sioDoneProc *done, void *ctx);

/* Test hooks (tests/c/test_sio.c; also reachable without a rebuild through
 * the environment, see sio.c).  Knobs that make rare paths cheap to reach. */
/* Make the next sioInit()s fail to set up `engine` with -err (0 = stop). */
void sioTestFailEngine(int engine, int err);
/* Cap every write request at maxBytes (0 = no cap), so short-write
 * resubmission runs on every write. */
void sioTestSetMaxWriteChunk(size_t maxBytes);

/* ---------------------------------------------------------------------------
 * The engine interface: only sio.c and sio_{uring,aio,sync}.c use this part.
 * Engine files are library tier: they include this header and zmalloc.h,
 * never server.h, and report setup problems as strings. */

#define SIO_OP_OPEN 1
#define SIO_OP_WRITE 2
#define SIO_OP_FSYNC 3
#define SIO_OP_RENAME 4
#define SIO_OP_CLOSE 5

/* One request as the engine sees it.  sio.c allocates it, fills the request
 * fields, and frees it after the engine returned it from reap().  The engine
 * sets res, and may use priv and engineNext as it likes between submit and
 * reap. */
typedef struct sioOp {
    int type;            /* SIO_OP_* */
    int fd;              /* WRITE, FSYNC, CLOSE */
    int flags, mode;     /* OPEN (flags already include O_CLOEXEC) */
    const char *path;    /* OPEN, RENAME (from); owned by sio.c */
    const char *path2;   /* RENAME (to); owned by sio.c */
    const void *buf;     /* WRITE: the part still to write ... */
    size_t len;          /* ... its length (> 0) ... */
    off_t offset;        /* ... and its file offset */
    long long res;       /* set by the engine: result of this one syscall */
    void *priv;          /* engine private (its aiocb, ...) */
    struct sioOp *engineNext; /* engine private list link */
    /* Owned by sio.c; engines do not touch these. */
    size_t total;        /* WRITE: the caller's len */
    size_t written;      /* WRITE: bytes done by earlier (short) requests */
    int retries;         /* consecutive -EAGAIN/-EINTR resubmissions */
    sioDoneProc *done;
    void *ctx;
    struct sioOp *next;  /* sio.c's backlog link */
} sioOp;

/* What each engine provides.  All hooks are required and are only called
 * from the thread that runs the loop.
 *   init     Sets up the engine (depth = max requests in flight): stores its
 *            state in *state and the fd that becomes readable when a request
 *            completed in *notifyFd.  Returns 0, or -errno with a reason in
 *            err ("io_uring_queue_init: Operation not permitted").
 *   submit   Starts op.  Returns 0 (op now belongs to the engine until reap
 *            returns it), -EBUSY when depth requests are in flight (sio.c
 *            retries after the next reap), or another -errno when the request
 *            could not be started at all (op still belongs to sio.c).  Never
 *            waits for the disk (sync excepted).
 *   reap     Never blocks.  Clears the notify fd, then moves up to max
 *            finished requests into out[] with res set, and returns how many.
 *            Returning max means more may be ready: call again.
 *   cleanup  Frees the engine; called with nothing in flight. */
typedef struct sioEngine {
    const char *name;
    int (*init)(void **state, int depth, int *notifyFd, char *err, size_t errlen);
    int (*submit)(void *state, sioOp *op);
    int (*reap)(void *state, sioOp **out, int max);
    void (*cleanup)(void *state);
} sioEngine;

extern const sioEngine sioUringEngine; /* sio_uring.c (fails init without liburing) */
extern const sioEngine sioAioEngine;   /* sio_aio.c */
extern const sioEngine sioSyncEngine;  /* sio_sync.c */

/* Performs op with plain blocking syscalls (EINTR retried) and returns what
 * goes in op->res.  sio_sync.c; the aio engine's helper thread uses it too. */
long long sioSyncRun(const sioOp *op);

#endif
