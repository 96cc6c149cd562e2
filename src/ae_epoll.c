/* ae_epoll.c -- Linux epoll(7) backend for the event loop.
 *
 * The kernel keeps the interest set, so adding or removing an fd costs one
 * epoll_ctl() and a poll costs O(ready fds), not O(watched fds): the best
 * choice on Linux.  Events are level triggered, like every ae backend, so an
 * event ae.c did not get to (see the resize note in ae.c) is reported again.
 * The ready list is a single array of setsize entries: epoll reports each fd
 * once, with all of its bits. */
#include "ae.h"
#include "ae_backend.h"

#ifdef HAVE_EPOLL

#include "zmalloc.h"

#include <errno.h>
#include <limits.h>
#include <sys/epoll.h>
#include <unistd.h>

typedef struct aeEpollState {
    int epfd;
    int setsize;
    struct epoll_event *events;
} aeEpollState;

static void *aeEpollCreate(int setsize) {
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd == -1) return NULL;
    aeEpollState *st = zmalloc(sizeof(*st));
    st->epfd = epfd;
    st->setsize = setsize;
    st->events = zmalloc(sizeof(struct epoll_event) * (size_t)setsize);
    return st;
}

static int aeEpollResize(void *state, int setsize) {
    aeEpollState *st = state;
    st->events = zrealloc(st->events, sizeof(struct epoll_event) * (size_t)setsize);
    st->setsize = setsize;
    return 0;
}

static void aeEpollFree(void *state) {
    aeEpollState *st = state;
    close(st->epfd);
    zfree(st->events);
    zfree(st);
}

static uint32_t aeEpollBits(int mask) {
    uint32_t bits = 0;
    if (mask & AE_READABLE) bits |= EPOLLIN;
    if (mask & AE_WRITABLE) bits |= EPOLLOUT;
    return bits;
}

static int aeEpollAddEvent(void *state, int fd, int oldmask, int addmask) {
    aeEpollState *st = state;
    struct epoll_event ee = {0};
    ee.events = aeEpollBits(oldmask | addmask);
    ee.data.fd = fd;
    int op = oldmask == AE_NONE ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    return epoll_ctl(st->epfd, op, fd, &ee) == -1 ? -1 : 0;
}

static void aeEpollDelEvent(void *state, int fd, int oldmask, int delmask) {
    aeEpollState *st = state;
    int mask = oldmask & ~delmask;
    /* Linux before 2.6.9 wants a non-NULL event even for DEL; cheap to keep. */
    struct epoll_event ee = {0};
    ee.events = aeEpollBits(mask);
    ee.data.fd = fd;
    /* Errors are ignored on purpose: ENOENT/EBADF mean the fd was closed
     * first, and the kernel already dropped it. */
    (void)epoll_ctl(st->epfd, mask == AE_NONE ? EPOLL_CTL_DEL : EPOLL_CTL_MOD, fd, &ee);
}

static int aeEpollPoll(void *state, long long timeoutUs, aeFiredEvent *fired) {
    aeEpollState *st = state;
    int timeout = -1;
    if (timeoutUs >= 0) {
        /* Round up: waking before the timer is due would spin. */
        long long ms = (timeoutUs + 999) / 1000;
        timeout = ms > INT_MAX ? INT_MAX : (int)ms;
    }
    int n = epoll_wait(st->epfd, st->events, st->setsize, timeout);
    for (int j = 0; j < n; j++) {
        uint32_t ev = st->events[j].events;
        int mask = 0;
        if (ev & EPOLLIN) mask |= AE_READABLE;
        if (ev & EPOLLOUT) mask |= AE_WRITABLE;
        /* Errors and hang-ups wake both handlers, whose read()/write()
         * will then see the condition. */
        if (ev & (EPOLLERR | EPOLLHUP)) mask |= AE_READABLE | AE_WRITABLE;
        fired[j].fd = st->events[j].data.fd;
        fired[j].mask = mask;
    }
    return n;
}

const aeBackend aeBackendEpoll = {
    .name = "epoll",
    .maxSetSize = INT_MAX,
    .create = aeEpollCreate,
    .resize = aeEpollResize,
    .free = aeEpollFree,
    .addEvent = aeEpollAddEvent,
    .delEvent = aeEpollDelEvent,
    .poll = aeEpollPoll,
};

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int aeEpollNotCompiledIn;
#endif
