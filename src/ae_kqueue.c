/* ae_kqueue.c -- kqueue(2) backend for the BSDs and macOS.
 *
 * kqueue watches (fd, filter) pairs: EVFILT_READ and EVFILT_WRITE are two
 * separate registrations and come back as two separate kevents, in no
 * promised order and not necessarily next to each other.  ae.c wants one
 * fired entry per fd with both bits, or AE_BARRIER could not order the two
 * handlers, so poll merges them through a per-fd mask array (one byte per
 * fd, all zero between polls) before filling fired[].
 *
 * On Linux this file is built against tests/c/kqueue_double, a stand-in
 * <sys/event.h> over poll(2), so the test suite runs it too. */
#include "ae.h"
#include "ae_backend.h"

#ifdef HAVE_KQUEUE

#include "zmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/event.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

typedef struct aeKqueueState {
    int kqfd;
    int setsize;
    struct kevent *events; /* 2 * setsize: a read and a write per fd */
    unsigned char *merged; /* fd -> AE bits seen in the current poll */
} aeKqueueState;

static int aeKqueueCloexec(int fd) {
    int flags = fcntl(fd, F_GETFD);
    if (flags == -1) return -1;
    return fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

static void *aeKqueueCreate(int setsize) {
    int kqfd = kqueue();
    if (kqfd == -1) return NULL;
    /* A kqueue is not inherited by fork() children anyway, but a leaked
     * descriptor in an exec'd child would still hold a slot. */
    (void)aeKqueueCloexec(kqfd);
    aeKqueueState *st = zmalloc(sizeof(*st));
    st->kqfd = kqfd;
    st->setsize = setsize;
    st->events = zmalloc(sizeof(struct kevent) * 2 * (size_t)setsize);
    st->merged = zcalloc((size_t)setsize);
    return st;
}

static int aeKqueueResize(void *state, int setsize) {
    aeKqueueState *st = state;
    st->events = zrealloc(st->events, sizeof(struct kevent) * 2 * (size_t)setsize);
    st->merged = zrealloc(st->merged, (size_t)setsize);
    memset(st->merged, 0, (size_t)setsize);
    st->setsize = setsize;
    return 0;
}

static void aeKqueueFree(void *state) {
    aeKqueueState *st = state;
    close(st->kqfd);
    zfree(st->events);
    zfree(st->merged);
    zfree(st);
}

static int aeKqueueChange(aeKqueueState *st, int fd, short filter, unsigned short flags) {
    struct kevent ke;
    EV_SET(&ke, fd, filter, flags, 0, 0, NULL);
    return kevent(st->kqfd, &ke, 1, NULL, 0, NULL);
}

static int aeKqueueAddEvent(void *state, int fd, int oldmask, int addmask) {
    aeKqueueState *st = state;
    if (addmask & AE_READABLE) {
        if (aeKqueueChange(st, fd, EVFILT_READ, EV_ADD) == -1) return -1;
    }
    if (addmask & AE_WRITABLE) {
        if (aeKqueueChange(st, fd, EVFILT_WRITE, EV_ADD) == -1) {
            /* Nothing may change on failure: undo the read half. */
            if ((addmask & AE_READABLE) && !(oldmask & AE_READABLE)) {
                int saved = errno;
                (void)aeKqueueChange(st, fd, EVFILT_READ, EV_DELETE);
                errno = saved;
            }
            return -1;
        }
    }
    return 0;
}

static void aeKqueueDelEvent(void *state, int fd, int oldmask, int delmask) {
    aeKqueueState *st = state;
    (void)oldmask;
    /* ENOENT/EBADF: the fd was closed first and kqueue dropped it. */
    if (delmask & AE_READABLE) (void)aeKqueueChange(st, fd, EVFILT_READ, EV_DELETE);
    if (delmask & AE_WRITABLE) (void)aeKqueueChange(st, fd, EVFILT_WRITE, EV_DELETE);
}

static int aeKqueuePoll(void *state, long long timeoutUs, aeFiredEvent *fired) {
    aeKqueueState *st = state;
    struct timespec ts, *tsp = NULL;
    if (timeoutUs >= 0) {
        ts.tv_sec = (time_t)(timeoutUs / 1000000);
        ts.tv_nsec = (long)(timeoutUs % 1000000) * 1000;
        tsp = &ts;
    }
    int room = st->setsize > INT_MAX / 2 ? INT_MAX : 2 * st->setsize;
    int n = kevent(st->kqfd, NULL, 0, st->events, room, tsp);
    if (n <= 0) return n;

    int numevents = 0;
    for (int j = 0; j < n; j++) {
        struct kevent *ke = &st->events[j];
        int fd = (int)ke->ident;
        if ((ke->flags & EV_ERROR) || fd < 0 || fd >= st->setsize) continue;
        int bit = 0;
        if (ke->filter == EVFILT_READ) bit = AE_READABLE;
        else if (ke->filter == EVFILT_WRITE) bit = AE_WRITABLE;
        if (bit == 0) continue;
        if (st->merged[fd] == 0) fired[numevents++].fd = fd;
        st->merged[fd] |= (unsigned char)bit;
    }
    for (int j = 0; j < numevents; j++) {
        int fd = fired[j].fd;
        fired[j].mask = st->merged[fd];
        st->merged[fd] = 0;
    }
    return numevents;
}

const aeBackend aeBackendKqueue = {
    .name = "kqueue",
    .maxSetSize = INT_MAX,
    .create = aeKqueueCreate,
    .resize = aeKqueueResize,
    .free = aeKqueueFree,
    .addEvent = aeKqueueAddEvent,
    .delEvent = aeKqueueDelEvent,
    .poll = aeKqueuePoll,
};

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int aeKqueueNotCompiledIn;
#endif
