/* ae_select.c -- select(2) backend: the portable reference and last resort.
 *
 * select() can only name fds below FD_SETSIZE (1024 on glibc): FD_SET() on
 * a larger fd writes past the fd_set.  So this backend refuses such fds in
 * addEvent (ERANGE) however large the loop's setsize is, and advertises
 * FD_SETSIZE as its maximum so the server caps maxclients to it.  Each poll
 * copies the two master sets and scans fds 0..maxfd: O(highest fd).
 * Closing a watched fd without deleting its events first is a caller bug
 * that select() reports as EBADF, on which ae.c panics. */
#include "ae.h"
#include "ae_backend.h"
#include "zmalloc.h"

#include <errno.h>
#include <string.h>
#include <sys/select.h>

typedef struct aeSelectState {
    fd_set rfds, wfds; /* what is watched */
    fd_set rready, wready; /* scratch copies handed to select() */
    int maxfd; /* highest fd in rfds or wfds, -1 if none */
} aeSelectState;

static void *aeSelectCreate(int setsize) {
    (void)setsize;
    aeSelectState *st = zmalloc(sizeof(*st));
    FD_ZERO(&st->rfds);
    FD_ZERO(&st->wfds);
    st->maxfd = -1;
    return st;
}

static int aeSelectResize(void *state, int setsize) {
    (void)state;
    (void)setsize;
    return 0;
}

static void aeSelectFree(void *state) {
    zfree(state);
}

static int aeSelectAddEvent(void *state, int fd, int oldmask, int addmask) {
    aeSelectState *st = state;
    (void)oldmask;
    if (fd >= FD_SETSIZE) {
        errno = ERANGE;
        return -1;
    }
    if (addmask & AE_READABLE) FD_SET(fd, &st->rfds);
    if (addmask & AE_WRITABLE) FD_SET(fd, &st->wfds);
    if (fd > st->maxfd) st->maxfd = fd;
    return 0;
}

static void aeSelectDelEvent(void *state, int fd, int oldmask, int delmask) {
    aeSelectState *st = state;
    (void)oldmask;
    if (fd >= FD_SETSIZE) return;
    if (delmask & AE_READABLE) FD_CLR(fd, &st->rfds);
    if (delmask & AE_WRITABLE) FD_CLR(fd, &st->wfds);
    while (st->maxfd >= 0 && !FD_ISSET(st->maxfd, &st->rfds) && !FD_ISSET(st->maxfd, &st->wfds))
        st->maxfd--;
}

static int aeSelectPoll(void *state, long long timeoutUs, aeFiredEvent *fired) {
    aeSelectState *st = state;
    struct timeval tv, *tvp = NULL;
    if (timeoutUs >= 0) {
        tv.tv_sec = timeoutUs / 1000000;
        tv.tv_usec = timeoutUs % 1000000;
        tvp = &tv;
    }
    memcpy(&st->rready, &st->rfds, sizeof(fd_set));
    memcpy(&st->wready, &st->wfds, sizeof(fd_set));
    int n = select(st->maxfd + 1, &st->rready, &st->wready, NULL, tvp);
    if (n <= 0) return n;

    int numevents = 0;
    for (int fd = 0; fd <= st->maxfd; fd++) {
        int mask = 0;
        if (FD_ISSET(fd, &st->rready)) mask |= AE_READABLE;
        if (FD_ISSET(fd, &st->wready)) mask |= AE_WRITABLE;
        if (mask == 0) continue;
        fired[numevents].fd = fd;
        fired[numevents].mask = mask;
        numevents++;
    }
    return numevents;
}

const aeBackend aeBackendSelect = {
    .name = "select",
    .maxSetSize = FD_SETSIZE,
    .create = aeSelectCreate,
    .resize = aeSelectResize,
    .free = aeSelectFree,
    .addEvent = aeSelectAddEvent,
    .delEvent = aeSelectDelEvent,
    .poll = aeSelectPoll,
};
