/* ae_poll.c -- poll(2) backend: portable, with no FD_SETSIZE limit.
 *
 * The pollfd array is kept compact (one entry per watched fd, in no
 * particular order) with an fd -> entry index, so adding and removing are
 * O(1) (removal moves the last entry into the hole) and a poll passes only
 * the watched fds to the kernel: O(watched fds), not O(highest fd).  Only
 * the poll bits are kept here; handlers stay in ae.c's file event table. */
#include "ae.h"
#include "ae_backend.h"
#include "zmalloc.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>

typedef struct aePollState {
    struct pollfd *pfds; /* count entries in use, capacity setsize */
    int *index; /* fd -> position in pfds, -1 if not watched */
    int count;
    int setsize;
} aePollState;

static void *aePollCreate(int setsize) {
    aePollState *st = zmalloc(sizeof(*st));
    st->pfds = zmalloc(sizeof(struct pollfd) * (size_t)setsize);
    st->index = zmalloc(sizeof(int) * (size_t)setsize);
    for (int i = 0; i < setsize; i++) st->index[i] = -1;
    st->count = 0;
    st->setsize = setsize;
    return st;
}

/* ae.c guarantees every watched fd is below the new setsize, so the index
 * entries cut off by shrinking are all -1 and count <= setsize. */
static int aePollResize(void *state, int setsize) {
    aePollState *st = state;
    st->pfds = zrealloc(st->pfds, sizeof(struct pollfd) * (size_t)setsize);
    st->index = zrealloc(st->index, sizeof(int) * (size_t)setsize);
    for (int i = st->setsize; i < setsize; i++) st->index[i] = -1;
    st->setsize = setsize;
    return 0;
}

static void aePollFree(void *state) {
    aePollState *st = state;
    zfree(st->pfds);
    zfree(st->index);
    zfree(st);
}

static int aePollAddEvent(void *state, int fd, int oldmask, int addmask) {
    aePollState *st = state;
    (void)oldmask;
    int i = st->index[fd];
    if (i == -1) {
        i = st->count++;
        st->index[fd] = i;
        st->pfds[i].fd = fd;
        st->pfds[i].events = 0;
        st->pfds[i].revents = 0;
    }
    if (addmask & AE_READABLE) st->pfds[i].events |= POLLIN;
    if (addmask & AE_WRITABLE) st->pfds[i].events |= POLLOUT;
    return 0;
}

static void aePollDelEvent(void *state, int fd, int oldmask, int delmask) {
    aePollState *st = state;
    (void)oldmask;
    int i = st->index[fd];
    if (i == -1) return;
    if (delmask & AE_READABLE) st->pfds[i].events &= ~POLLIN;
    if (delmask & AE_WRITABLE) st->pfds[i].events &= ~POLLOUT;
    if (st->pfds[i].events != 0) return;
    /* Fill the hole with the last entry. */
    int last = --st->count;
    if (i != last) {
        st->pfds[i] = st->pfds[last];
        st->index[st->pfds[i].fd] = i;
    }
    st->index[fd] = -1;
}

static int aePollPoll(void *state, long long timeoutUs, aeFiredEvent *fired) {
    aePollState *st = state;
    int timeout = -1;
    if (timeoutUs >= 0) {
        long long ms = (timeoutUs + 999) / 1000; /* never wake before due */
        timeout = ms > INT_MAX ? INT_MAX : (int)ms;
    }
    int n = poll(st->pfds, (nfds_t)st->count, timeout);
    if (n <= 0) return n;

    int numevents = 0;
    for (int i = 0; i < st->count && numevents < n; i++) {
        short re = st->pfds[i].revents;
        if (re == 0) continue;
        int mask = 0;
        if (re & POLLIN) mask |= AE_READABLE;
        if (re & POLLOUT) mask |= AE_WRITABLE;
        /* Errors, hang-ups and fds closed while watched (POLLNVAL) wake
         * both handlers, whose syscalls then report the condition. */
        if (re & (POLLERR | POLLHUP | POLLNVAL)) mask |= AE_READABLE | AE_WRITABLE;
        fired[numevents].fd = st->pfds[i].fd;
        fired[numevents].mask = mask;
        numevents++;
    }
    return numevents;
}

const aeBackend aeBackendPoll = {
    .name = "poll",
    .maxSetSize = INT_MAX,
    .create = aePollCreate,
    .resize = aePollResize,
    .free = aePollFree,
    .addEvent = aePollAddEvent,
    .delEvent = aePollDelEvent,
    .poll = aePollPoll,
};
