/* sio_uring.c -- the io_uring snapshot I/O engine (liburing).
 *
 * Every operation is one io_uring request: IORING_OP_OPENAT, WRITE, FSYNC,
 * RENAMEAT and CLOSE (kernel 5.11 for RENAMEAT; init probes the opcodes, so
 * an older kernel is a setup failure and sio.c falls back to POSIX AIO).
 * Each SQE's user_data is the sioOp it serves.
 *
 * How the loop learns about completions without waiting: an eventfd is
 * registered with io_uring_register_eventfd(), so the kernel bumps it for
 * every CQE posted; sio.c watches it as a file event, and reap() clears it
 * and then takes CQEs with io_uring_peek_cqe(), which never sleeps.  The
 * clear-then-peek order matters: a CQE posted after the clear bumps the
 * eventfd again, so none is ever left behind without a wakeup.  The ring is
 * set up with no flags on purpose: IORING_SETUP_DEFER_TASKRUN would post
 * completions only when this thread enters the kernel to wait for them, and
 * the eventfd would stay silent.
 *
 * Writes carry IOSQE_ASYNC: the request goes straight to the kernel's io-wq
 * workers, instead of io_uring_enter() first trying the buffered write
 * inline, which copies the whole buffer into the page cache on the loop's
 * thread (and can run into dirty-page throttling there).  A snapshot's
 * O_DIRECT writes (snapshot.c) copy nothing; for them the flag only keeps
 * block allocation off the loop's thread.  openat with
 * O_TRUNC/O_CREAT, renameat and fsync are always punted by the kernel; close
 * is done inline unless the file system flushes on close.
 *
 * Flow control: at most `depth` requests are in flight (the SQ has depth
 * entries, the CQ twice that), so the CQ cannot overflow; submit() answers
 * -EBUSY beyond that and sio.c keeps the request.  io_uring_submit() can
 * leave SQEs unconsumed (a transient -EAGAIN/-EBUSY from the kernel); they
 * stay in the SQ, are counted as in flight, and are pushed again by the next
 * submit() or reap(), for which the engine signals its own eventfd.
 *
 * Without liburing at build time the engine is a stub whose init fails,
 * which sio.c reports as the fallback reason. */
#include "sio.h"
#include "zmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifdef HAVE_LIBURING

#include <fcntl.h>
#include <liburing.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* Largest write in one request: the SQE's length is 32 bits, and Linux
 * writes at most 0x7ffff000 bytes per call anyway.  sio.c resubmits the
 * rest as it does for any short write. */
#define URING_MAX_WRITE (1u << 30)

typedef struct uringState {
    struct io_uring ring;
    int efd;      /* registered eventfd: the loop's completion fd */
    int depth;    /* max requests in flight */
    int inflight; /* requests given to the ring and not reaped */
} uringState;

/* The opcodes the engine needs, for the probe in init. */
static const struct {
    int op;
    const char *name;
} uringNeeded[] = {
    {IORING_OP_OPENAT, "IORING_OP_OPENAT"},
    {IORING_OP_WRITE, "IORING_OP_WRITE"},
    {IORING_OP_FSYNC, "IORING_OP_FSYNC"},
    {IORING_OP_RENAMEAT, "IORING_OP_RENAMEAT"},
    {IORING_OP_CLOSE, "IORING_OP_CLOSE"},
};

/* Reads kernel.io_uring_disabled (Linux 6.6+): 0 allowed, 1 only for the
 * io_uring_group, 2 off for everyone.  -1 when the file does not exist. */
static int uringDisabledSysctl(void) {
    FILE *fp = fopen("/proc/sys/kernel/io_uring_disabled", "r");
    if (!fp) return -1;
    int v = -1;
    if (fscanf(fp, "%d", &v) != 1) v = -1;
    fclose(fp);
    return v;
}

/* Turns a setup error into a reason an operator can act on. */
static void uringSetupError(int e, char *err, size_t errlen) {
    if (!err) return;
    const char *hint = "";
    char buf[96];
    int sysctl = uringDisabledSysctl();
    if (e == EPERM && sysctl > 0) {
        snprintf(buf, sizeof(buf), " (kernel.io_uring_disabled=%d)", sysctl);
        hint = buf;
    } else if (e == EPERM || e == ENOSYS) {
        hint = " (kernel without io_uring, or io_uring blocked by seccomp / container policy)";
    } else if (e == ENOMEM) {
        hint = " (before Linux 5.12 rings count against RLIMIT_MEMLOCK)";
    }
    snprintf(err, errlen, "io_uring_queue_init: %s%s", strerror(e), hint);
}

/* Pushes SQEs already in the SQ to the kernel.  When some stay behind
 * (transient failure), signals our own eventfd so reap() runs soon and
 * tries again: nothing else would wake the loop for them. */
static void uringFlush(uringState *s) {
    if (io_uring_sq_ready(&s->ring) == 0) return;
    int r = io_uring_submit(&s->ring);
    (void)r; /* an error leaves the SQEs queued: looked at just below */
    if (io_uring_sq_ready(&s->ring) > 0) {
        uint64_t one = 1;
        if (write(s->efd, &one, sizeof(one)) == -1) { /* counter full: still readable */ }
    }
}

static int uringInit(void **state, int depth, int *notifyFd, char *err, size_t errlen) {
    uringState *s = zcalloc(sizeof(*s));
    s->efd = -1;
    s->depth = depth;
    int r = io_uring_queue_init((unsigned)depth, &s->ring, 0);
    if (r < 0) {
        uringSetupError(-r, err, errlen);
        zfree(s);
        return r;
    }
    /* Before 5.6 there is no probe; without the probe we cannot know. */
    struct io_uring_probe *probe = io_uring_get_probe_ring(&s->ring);
    if (!probe) {
        r = -ENOSYS;
        if (err) snprintf(err, errlen, "io_uring opcode probe unsupported (kernel older than 5.6)");
        goto fail;
    }
    for (size_t i = 0; i < sizeof(uringNeeded) / sizeof(uringNeeded[0]); i++) {
        if (!io_uring_opcode_supported(probe, uringNeeded[i].op)) {
            r = -ENOSYS;
            if (err) snprintf(err, errlen, "kernel io_uring lacks %s", uringNeeded[i].name);
            io_uring_free_probe(probe);
            goto fail;
        }
    }
    io_uring_free_probe(probe);
    s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (s->efd == -1) {
        r = -errno;
        if (err) snprintf(err, errlen, "eventfd: %s", strerror(errno));
        goto fail;
    }
    r = io_uring_register_eventfd(&s->ring, s->efd);
    if (r < 0) {
        if (err) snprintf(err, errlen, "io_uring_register_eventfd: %s", strerror(-r));
        goto fail;
    }
    *state = s;
    *notifyFd = s->efd;
    return 0;

fail:
    if (s->efd != -1) close(s->efd);
    io_uring_queue_exit(&s->ring);
    zfree(s);
    return r;
}

static int uringSubmit(void *state, sioOp *op) {
    uringState *s = state;
    if (op->type < SIO_OP_OPEN || op->type > SIO_OP_CLOSE) return -EINVAL;
    if (s->inflight >= s->depth) return -EBUSY;
    struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);
    if (!sqe) return -EBUSY; /* cannot happen: SQ entries == depth */
    switch (op->type) {
    case SIO_OP_OPEN:
        io_uring_prep_openat(sqe, AT_FDCWD, op->path, op->flags, (mode_t)op->mode);
        break;
    case SIO_OP_WRITE: {
        size_t n = op->len > URING_MAX_WRITE ? URING_MAX_WRITE : op->len;
        io_uring_prep_write(sqe, op->fd, op->buf, (unsigned)n, (uint64_t)op->offset);
        io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
        break;
    }
    case SIO_OP_FSYNC: io_uring_prep_fsync(sqe, op->fd, 0); break;
    case SIO_OP_RENAME:
        io_uring_prep_renameat(sqe, AT_FDCWD, op->path, AT_FDCWD, op->path2, 0);
        break;
    default: /* SIO_OP_CLOSE */ io_uring_prep_close(sqe, op->fd); break;
    }
    io_uring_sqe_set_data(sqe, op);
    s->inflight++;
    uringFlush(s);
    return 0;
}

static int uringReap(void *state, sioOp **out, int max) {
    uringState *s = state;
    uint64_t count;
    if (read(s->efd, &count, sizeof(count)) == -1) { /* EAGAIN: not signalled */ }
    uringFlush(s);
    int n = 0;
    struct io_uring_cqe *cqe;
    while (n < max && io_uring_peek_cqe(&s->ring, &cqe) == 0) {
        sioOp *op = io_uring_cqe_get_data(cqe);
        op->res = cqe->res;
        io_uring_cqe_seen(&s->ring, cqe);
        s->inflight--;
        out[n++] = op;
    }
    return n;
}

static void uringCleanup(void *state) {
    uringState *s = state;
    io_uring_unregister_eventfd(&s->ring);
    io_uring_queue_exit(&s->ring);
    close(s->efd);
    zfree(s);
}

#else /* !HAVE_LIBURING */

static int uringInit(void **state, int depth, int *notifyFd, char *err, size_t errlen) {
    (void)state;
    (void)depth;
    (void)notifyFd;
    if (err) snprintf(err, errlen, "built without liburing");
    return -ENOSYS;
}

static int uringSubmit(void *state, sioOp *op) {
    (void)state;
    (void)op;
    return -ENOSYS;
}

static int uringReap(void *state, sioOp **out, int max) {
    (void)state;
    (void)out;
    (void)max;
    return 0;
}

static void uringCleanup(void *state) { (void)state; }

#endif

const sioEngine sioUringEngine = {
    .name = "io_uring",
    .init = uringInit,
    .submit = uringSubmit,
    .reap = uringReap,
    .cleanup = uringCleanup,
};
