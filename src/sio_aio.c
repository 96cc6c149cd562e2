/* sio_aio.c -- the POSIX AIO snapshot I/O engine (the io_uring fallback).
 *
 * Writes and fsyncs of writable fds go through aio_write()/aio_fsync(O_SYNC).
 * glibc implements POSIX AIO with its own pool of user-space threads running
 * pwrite/fsync (one thread at a time per fd, requests of one fd in order),
 * so this is a portable fallback, not a fast path.  Each request asks for
 * SIGEV_THREAD notification: glibc calls aioNotify() on a thread of its own
 * once the result is stored, and aioNotify() moves the request to the
 * `finished` list and bumps an eventfd, the fd the event loop watches.
 * reap() then runs on the loop thread and collects each result with
 * aio_error()/aio_return().  No signal handler is involved.
 *
 * open, rename and close have no AIO form, and glibc's aio_fsync() refuses
 * fds not open for writing (EBADF) although fsync(2) accepts them, which is
 * how a directory gets synced.  Those requests go to one helper thread of
 * ours instead, which runs them with the sync engine's sioSyncRun() and
 * finishes them the same way, so the loop thread never waits on the disk
 * for metadata either.
 *
 * Threads and lifetime.  The state is a static singleton (one engine
 * instance at a time, which is all sio.c needs): the mutex and the condition
 * variable are statically initialized and never destroyed, because a
 * notification thread may still be returning from aioFinish() after the loop
 * thread reaped its request.  aioFinish() bumps the eventfd while holding the
 * mutex, and cleanup() closes the eventfd only under the same mutex, so a
 * late notification can never write into a closed (and perhaps reused) fd.
 * The helper thread starts with every signal blocked, so SIGTERM and friends
 * keep going to the main thread. */
#include "sio.h"
#include "zmalloc.h"

#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

typedef struct aioState {
    int active;              /* set between init and cleanup */
    int efd;                 /* the loop's completion fd */
    int depth;               /* max requests in flight */
    int inflight;            /* loop thread only: submitted, not reaped */
    pthread_mutex_t lock;    /* protects everything below */
    pthread_cond_t jobReady; /* signalled when jobs gets work or stop is set */
    sioOp *finishedHead, *finishedTail; /* done, waiting for reap() */
    sioOp *jobHead, *jobTail;           /* for the helper thread, FIFO */
    int stop;                           /* helper thread: exit when idle */
    pthread_t helper;
} aioState;

static aioState aio = {
    .efd = -1,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .jobReady = PTHREAD_COND_INITIALIZER,
};

/* Called on a glibc notification thread or the helper thread. */
static void aioFinish(sioOp *op) {
    pthread_mutex_lock(&aio.lock);
    op->engineNext = NULL;
    if (aio.finishedTail) aio.finishedTail->engineNext = op;
    else aio.finishedHead = op;
    aio.finishedTail = op;
    uint64_t one = 1;
    if (write(aio.efd, &one, sizeof(one)) == -1) { /* counter full: still readable */ }
    pthread_mutex_unlock(&aio.lock);
}

static void aioNotify(union sigval sv) {
    aioFinish(sv.sival_ptr);
}

static void *aioHelperMain(void *arg) {
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&aio.lock);
        while (!aio.jobHead && !aio.stop) pthread_cond_wait(&aio.jobReady, &aio.lock);
        sioOp *op = aio.jobHead;
        if (op) {
            aio.jobHead = op->engineNext;
            if (!aio.jobHead) aio.jobTail = NULL;
        }
        pthread_mutex_unlock(&aio.lock);
        if (!op) return NULL; /* stop, and nothing left */
        op->res = sioSyncRun(op);
        aioFinish(op);
    }
}

static int aioInit(void **state, int depth, int *notifyFd, char *err, size_t errlen) {
    if (aio.active) {
        if (err) snprintf(err, errlen, "aio engine already in use");
        return -EBUSY;
    }
    int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd == -1) {
        int e = errno;
        if (err) snprintf(err, errlen, "eventfd: %s", strerror(e));
        return -e;
    }
    aio.efd = efd;
    aio.depth = depth;
    aio.inflight = 0;
    aio.stop = 0;
    aio.finishedHead = aio.finishedTail = NULL;
    aio.jobHead = aio.jobTail = NULL;

    /* The helper inherits the creating thread's signal mask. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int r = pthread_create(&aio.helper, NULL, aioHelperMain, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (r != 0) {
        if (err) snprintf(err, errlen, "pthread_create: %s", strerror(r));
        close(efd);
        aio.efd = -1;
        return -r;
    }
    aio.active = 1;
    *state = &aio;
    *notifyFd = efd;
    return 0;
}

/* glibc's aio_fsync() wants an fd open for writing; fsync(2) does not. */
static int aioFdWritable(int fd) {
    int fl = fcntl(fd, F_GETFL);
    return fl != -1 && (fl & O_ACCMODE) != O_RDONLY;
}

static int aioSubmit(void *state, sioOp *op) {
    (void)state;
    if (op->type < SIO_OP_OPEN || op->type > SIO_OP_CLOSE) return -EINVAL;
    if (aio.inflight >= aio.depth) return -EBUSY;

    if (op->type == SIO_OP_WRITE || (op->type == SIO_OP_FSYNC && aioFdWritable(op->fd))) {
        struct aiocb *cb = zcalloc(sizeof(*cb));
        cb->aio_fildes = op->fd;
        cb->aio_buf = (void *)(uintptr_t)op->buf; /* aio_write only reads it */
        cb->aio_nbytes = op->len;
        cb->aio_offset = op->offset;
        cb->aio_sigevent.sigev_notify = SIGEV_THREAD;
        cb->aio_sigevent.sigev_notify_function = aioNotify;
        cb->aio_sigevent.sigev_value.sival_ptr = op;
        op->priv = cb;
        /* The notification may run before aio_write() returns: harmless,
         * the op is only looked at again by reap(), on this thread. */
        aio.inflight++;
        int r = op->type == SIO_OP_WRITE ? aio_write(cb) : aio_fsync(O_SYNC, cb);
        if (r == -1) {
            int e = errno;
            aio.inflight--;
            op->priv = NULL;
            zfree(cb);
            /* EAGAIN: out of threads or request slots right now. */
            if (e == EAGAIN && aio.inflight > 0) return -EBUSY;
            return -e;
        }
        return 0;
    }

    /* open, rename, close, fsync of a read-only fd: the helper thread. */
    op->priv = NULL;
    op->engineNext = NULL;
    aio.inflight++;
    pthread_mutex_lock(&aio.lock);
    if (aio.jobTail) aio.jobTail->engineNext = op;
    else aio.jobHead = op;
    aio.jobTail = op;
    pthread_cond_signal(&aio.jobReady);
    pthread_mutex_unlock(&aio.lock);
    return 0;
}

static int aioReap(void *state, sioOp **out, int max) {
    (void)state;
    uint64_t count;
    if (read(aio.efd, &count, sizeof(count)) == -1) { /* EAGAIN: not signalled */ }
    int n = 0;
    pthread_mutex_lock(&aio.lock);
    while (n < max && aio.finishedHead) {
        out[n++] = aio.finishedHead;
        aio.finishedHead = aio.finishedHead->engineNext;
    }
    if (!aio.finishedHead) aio.finishedTail = NULL;
    pthread_mutex_unlock(&aio.lock);

    for (int i = 0; i < n; i++) {
        sioOp *op = out[i];
        struct aiocb *cb = op->priv;
        if (cb) {
            /* The notification comes after glibc stored the result, so the
             * status is final; aio_return() is called exactly once, as
             * POSIX asks, also when the request failed. */
            int e = aio_error(cb);
            ssize_t ret = aio_return(cb);
            op->res = e != 0 ? -(long long)e : (long long)ret;
            op->priv = NULL;
            zfree(cb);
        }
        aio.inflight--;
    }
    return n;
}

static void aioCleanup(void *state) {
    (void)state;
    pthread_mutex_lock(&aio.lock);
    aio.stop = 1;
    pthread_cond_signal(&aio.jobReady);
    pthread_mutex_unlock(&aio.lock);
    pthread_join(aio.helper, NULL);
    /* Under the lock: a notification thread still inside aioFinish() is
     * done with the eventfd once we hold it. */
    pthread_mutex_lock(&aio.lock);
    close(aio.efd);
    aio.efd = -1;
    aio.active = 0;
    pthread_mutex_unlock(&aio.lock);
}

const sioEngine sioAioEngine = {
    .name = "aio",
    .init = aioInit,
    .submit = aioSubmit,
    .reap = aioReap,
    .cleanup = aioCleanup,
};
