/* sio_sync.c -- the "sync" snapshot I/O engine: plain syscalls, run at once.
 *
 * submit() performs the syscall on the caller's thread, so with this engine
 * the event loop does wait on the disk.  It exists as the reference the
 * other two engines are tested against, and as the last resort when neither
 * io_uring nor the AIO helper threads can be set up.
 *
 * Completions are still delivered the asynchronous way: the finished request
 * goes on a FIFO and an eventfd is signalled, so sio.c's contract (done is
 * never called from inside the submission call) holds on every engine and the
 * callers' code paths are the same whichever engine runs.  Everything happens
 * on the loop thread: no locking. */
#include "sio.h"
#include "zmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

typedef struct syncState {
    int efd;            /* eventfd: readable while done is not empty */
    sioOp *head, *tail; /* finished, not reaped yet, in submission order */
} syncState;

static int syncInit(void **state, int depth, int *notifyFd, char *err, size_t errlen) {
    (void)depth; /* no limit: requests finish inside submit() */
    int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd == -1) {
        int e = errno;
        if (err) snprintf(err, errlen, "eventfd: %s", strerror(e));
        return -e;
    }
    syncState *s = zcalloc(sizeof(*s));
    s->efd = efd;
    *state = s;
    *notifyFd = efd;
    return 0;
}

long long sioSyncRun(const sioOp *op) {
    long long r;
    do {
        switch (op->type) {
        case SIO_OP_OPEN: r = open(op->path, op->flags, op->mode); break;
        case SIO_OP_WRITE: r = pwrite(op->fd, op->buf, op->len, op->offset); break;
        case SIO_OP_FSYNC: r = fsync(op->fd); break;
        case SIO_OP_RENAME: r = rename(op->path, op->path2); break;
        case SIO_OP_CLOSE:
            /* Linux releases the fd even when close fails (EINTR too), so
             * never retry it: a retry could close someone else's new fd. */
            return close(op->fd) == -1 ? -errno : 0;
        default: errno = EINVAL; r = -1; break;
        }
    } while (r == -1 && errno == EINTR);
    return r == -1 ? -errno : r;
}

static int syncSubmit(void *state, sioOp *op) {
    syncState *s = state;
    op->res = sioSyncRun(op);
    op->engineNext = NULL;
    if (s->tail) s->tail->engineNext = op;
    else s->head = op;
    s->tail = op;
    uint64_t one = 1;
    /* Can only fail with EAGAIN at a counter near 2^64: still readable. */
    if (write(s->efd, &one, sizeof(one)) == -1) { /* nothing to do */ }
    return 0;
}

static int syncReap(void *state, sioOp **out, int max) {
    syncState *s = state;
    uint64_t count;
    if (read(s->efd, &count, sizeof(count)) == -1) { /* EAGAIN: not signalled */ }
    int n = 0;
    while (n < max && s->head) {
        out[n++] = s->head;
        s->head = s->head->engineNext;
    }
    if (!s->head) s->tail = NULL;
    return n;
}

static void syncCleanup(void *state) {
    syncState *s = state;
    close(s->efd);
    zfree(s);
}

const sioEngine sioSyncEngine = {
    .name = "sync",
    .init = syncInit,
    .submit = syncSubmit,
    .reap = syncReap,
    .cleanup = syncCleanup,
};
