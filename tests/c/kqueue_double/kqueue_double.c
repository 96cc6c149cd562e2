/* kqueue_double.c -- kqueue(2)/kevent(2) implemented over poll(2).
 *
 * Lets the test suite run src/ae_kqueue.c on Linux.  It is meant to be
 * honest about the parts of kqueue the backend relies on, including the
 * awkward ones, rather than fast:
 *   - a kqueue is a real descriptor (an open of /dev/null), so close() works
 *     and the backend's fd bookkeeping is exercised;
 *   - registrations are per (fd, filter); EV_ADD on an existing one only
 *     updates udata; EV_DELETE of a missing one fails with ENOENT; EV_ADD on
 *     a bad fd fails with EBADF;
 *   - a failed change is reported as an EV_ERROR event when the event list
 *     has room (and kevent returns at once), else as -1/errno;
 *   - with nevents == 0, kevent applies the changes and returns at once;
 *   - events are level triggered; an fd closed while registered silently
 *     loses its registrations (kqueue drops knotes on close), which the
 *     double learns from POLLNVAL;
 *   - readiness comes back one kevent per (fd, filter), all EVFILT_WRITE
 *     events before all EVFILT_READ events.  Real kqueue promises no order;
 *     this one is chosen so that a backend which does not merge the two
 *     filters of an fd gets AE_BARRIER ordering wrong in the tests.
 * Not supported: other filters and flags (EINVAL), fork/exec semantics,
 * threads.  Finding an fd's registrations is a linear scan. */
#include "sys/event.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct kqdReg {
    int fd;
    short filter;
    void *udata;
} kqdReg;

typedef struct kqdQueue {
    int live;
    dev_t dev; /* identity of the /dev/null open, to spot a reused fd */
    ino_t ino;
    kqdReg *regs; /* in registration order */
    int nregs, cap;
} kqdQueue;

static kqdQueue *kqdQueues; /* indexed by the kqueue fd */
static int kqdNumQueues;

int kqueue(void) {
    int fd = open("/dev/null", O_RDONLY);
    if (fd == -1) return -1;
    struct stat stb;
    if (fstat(fd, &stb) == -1) {
        close(fd);
        return -1;
    }
    if (fd >= kqdNumQueues) {
        kqdQueue *q = realloc(kqdQueues, sizeof(*q) * (size_t)(fd + 1));
        if (q == NULL) {
            close(fd);
            errno = ENOMEM;
            return -1;
        }
        memset(q + kqdNumQueues, 0, sizeof(*q) * (size_t)(fd + 1 - kqdNumQueues));
        kqdQueues = q;
        kqdNumQueues = fd + 1;
    }
    /* Whatever queue had this number before was closed: start afresh. */
    kqdQueue *kq = &kqdQueues[fd];
    free(kq->regs);
    memset(kq, 0, sizeof(*kq));
    kq->live = 1;
    kq->dev = stb.st_dev;
    kq->ino = stb.st_ino;
    return fd;
}

static kqdQueue *kqdLookup(int kqfd) {
    struct stat stb;
    if (kqfd < 0 || kqfd >= kqdNumQueues || !kqdQueues[kqfd].live) return NULL;
    if (fstat(kqfd, &stb) == -1) return NULL;
    if (stb.st_dev != kqdQueues[kqfd].dev || stb.st_ino != kqdQueues[kqfd].ino) return NULL;
    return &kqdQueues[kqfd];
}

static int kqdFind(kqdQueue *kq, int fd, short filter) {
    for (int i = 0; i < kq->nregs; i++)
        if (kq->regs[i].fd == fd && kq->regs[i].filter == filter) return i;
    return -1;
}

static void kqdRemove(kqdQueue *kq, int i) {
    memmove(&kq->regs[i], &kq->regs[i + 1], sizeof(kqdReg) * (size_t)(kq->nregs - i - 1));
    kq->nregs--;
}

/* Applies one change; returns 0 or an errno value. */
static int kqdApply(kqdQueue *kq, const struct kevent *ch) {
    if (ch->filter != EVFILT_READ && ch->filter != EVFILT_WRITE) return EINVAL;
    if (ch->ident > (uintptr_t)INT_MAX) return EBADF;
    int fd = (int)ch->ident;
    int i = kqdFind(kq, fd, ch->filter);
    if (ch->flags == EV_ADD) {
        if (fcntl(fd, F_GETFD) == -1) return EBADF;
        if (i != -1) {
            kq->regs[i].udata = ch->udata;
            return 0;
        }
        if (kq->nregs == kq->cap) {
            int cap = kq->cap ? kq->cap * 2 : 16;
            kqdReg *r = realloc(kq->regs, sizeof(*r) * (size_t)cap);
            if (r == NULL) return ENOMEM;
            kq->regs = r;
            kq->cap = cap;
        }
        kq->regs[kq->nregs].fd = fd;
        kq->regs[kq->nregs].filter = ch->filter;
        kq->regs[kq->nregs].udata = ch->udata;
        kq->nregs++;
        return 0;
    }
    if (ch->flags == EV_DELETE) {
        if (i == -1) return ENOENT;
        kqdRemove(kq, i);
        return 0;
    }
    return EINVAL;
}

static long long kqdNowMs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Appends to out[] the ready registrations of one filter. */
static int kqdCollect(kqdQueue *kq, const struct pollfd *pfds, const int *pidx, short filter,
                      struct kevent *out, int n, int nevents) {
    for (int i = 0; i < kq->nregs && n < nevents; i++) {
        kqdReg *r = &kq->regs[i];
        if (r->filter != filter) continue;
        short re = pfds[pidx[i]].revents;
        int ready, eof = (re & POLLHUP) != 0;
        if (filter == EVFILT_READ) {
            ready = (re & (POLLIN | POLLHUP | POLLERR)) != 0;
        } else {
            ready = (re & (POLLOUT | POLLHUP | POLLERR)) != 0;
            eof = eof || (re & POLLERR);
        }
        if (!ready) continue;
        int avail = 0;
        if (filter == EVFILT_READ && ioctl(r->fd, FIONREAD, &avail) == -1) avail = 0;
        EV_SET(&out[n], r->fd, filter, eof ? EV_EOF : 0, 0, avail, r->udata);
        n++;
    }
    return n;
}

int kevent(int kqfd, const struct kevent *changelist, int nchanges, struct kevent *eventlist,
           int nevents, const struct timespec *timeout) {
    kqdQueue *kq = kqdLookup(kqfd);
    if (kq == NULL) {
        errno = EBADF;
        return -1;
    }
    if (nchanges < 0 || nevents < 0) {
        errno = EINVAL;
        return -1;
    }

    int n = 0;
    for (int c = 0; c < nchanges; c++) {
        int err = kqdApply(kq, &changelist[c]);
        if (err == 0) continue;
        if (n < nevents) {
            eventlist[n] = changelist[c];
            eventlist[n].flags = EV_ERROR;
            eventlist[n].data = err;
            n++;
        } else {
            errno = err;
            return -1;
        }
    }
    if (n > 0 || nevents == 0) return n;

    long long deadline = -1;
    if (timeout)
        deadline = kqdNowMs() + (long long)timeout->tv_sec * 1000 +
                   (timeout->tv_nsec + 999999) / 1000000;

    for (;;) {
        /* One pollfd per distinct fd; pidx maps each registration to it. */
        struct pollfd *pfds = malloc(sizeof(*pfds) * (size_t)(kq->nregs + 1));
        int *pidx = malloc(sizeof(int) * (size_t)(kq->nregs + 1));
        if (pfds == NULL || pidx == NULL) {
            free(pfds);
            free(pidx);
            errno = ENOMEM;
            return -1;
        }
        int npfds = 0;
        for (int i = 0; i < kq->nregs; i++) {
            kqdReg *r = &kq->regs[i];
            int p;
            for (p = 0; p < npfds; p++)
                if (pfds[p].fd == r->fd) break;
            if (p == npfds) {
                pfds[p].fd = r->fd;
                pfds[p].events = 0;
                pfds[p].revents = 0;
                npfds++;
            }
            pfds[p].events |= r->filter == EVFILT_READ ? POLLIN : POLLOUT;
            pidx[i] = p;
        }

        int ms = -1;
        if (deadline != -1) {
            long long left = deadline - kqdNowMs();
            ms = left < 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
        }
        int ready = poll(pfds, (nfds_t)npfds, ms);
        if (ready == -1) {
            int saved = errno;
            free(pfds);
            free(pidx);
            errno = saved;
            return -1;
        }

        n = kqdCollect(kq, pfds, pidx, EVFILT_WRITE, eventlist, 0, nevents);
        n = kqdCollect(kq, pfds, pidx, EVFILT_READ, eventlist, n, nevents);

        /* Closed fds lose their registrations, as kqueue drops knotes on
         * close(); they produce no event. */
        for (int i = kq->nregs - 1; i >= 0; i--)
            if (pfds[pidx[i]].revents & POLLNVAL) kqdRemove(kq, i);
        free(pfds);
        free(pidx);

        if (n > 0 || ready == 0) return n;
        if (deadline != -1 && kqdNowMs() >= deadline) return 0;
        /* Only closed fds woke poll(): keep waiting, like kqueue would. */
    }
}
