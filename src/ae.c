/* ae.c -- event loop core: file events, time events, the loop iteration.
 *
 * File events.  el->events is indexed by fd (0..setsize-1) and holds the
 * registered mask and the two handlers.  The OS side is a backend
 * (ae_backend.h) chosen by name when the loop is created: every backend the
 * platform supports is compiled in, so one binary can run on epoll, kqueue,
 * poll or select, and the tests exercise all of them.
 *
 * Time events.  A server keeps one timer per blocked client, per expiring
 * script, etc., so the loop must not scan all timers each iteration (the
 * classic Redis design is an unsorted list, O(N) per iteration and per
 * delete).  Timers live in a binary min-heap ordered by (when, seq), where
 * `when` is the monotonic deadline in microseconds and `seq` grows with each
 * (re)arming, so timers due at the same instant fire in arming order.  Ids
 * are not heap positions: an id names a slot in a table of live timers plus
 * that slot's generation (id = gen << 32 | slot), so aeDeleteTimeEvent()
 * finds the timer in O(1) and removes it from the heap in O(log n), and a
 * stale id (a slot reused since) is refused rather than deleting a stranger.
 * Freed slots go on a free list, so memory is bounded by the peak number of
 * live timers, not by how many were ever created.
 *
 * A timer whose callback runs is out of the heap.  Deleting it from inside
 * any callback (its own included) only marks it; the runner calls the
 * finalizer once the callback has returned, so clientData outlives every use
 * the callback makes of it.  Timers created or re-armed during a pass carry
 * a seq beyond the pass's starting one and wait for the next pass, so a
 * callback returning 0 cannot starve file events.
 *
 * One iteration of aeProcessEvents():
 *   1. beforesleep hook (if AE_CALL_BEFORE_SLEEP); it may add timers or set
 *      dont-wait, so the timeout is computed after it;
 *   2. poll the backend, for at most the time until the nearest timer
 *      (zero with AE_DONT_WAIT or aeSetDontWait());
 *   3. aftersleep hook (if AE_CALL_AFTER_SLEEP);
 *   4. file handlers: read before write, or write before read with
 *      AE_BARRIER; the mask is re-read before each call, since handlers may
 *      delete events of any fd;
 *   5. time events whose deadline has passed.
 *
 * Busy polling (aeSetBusyPoll, the busy-poll-us directive).  When a client
 * sends a request to a loop asleep in the backend, the client's own send
 * pays for waking it (the kernel runs the wakeup in the sender's system
 * call).  A client that keeps 50 connections busy from one thread spends a
 * few percent of its CPU on that, and when the client is the bottleneck
 * those percents are its throughput: measured with redis-benchmark -P 1,
 * LRANGE 0 99 went from 0.94x Redis's rate to 1.05x once the loop stopped
 * sleeping between requests.  So a loop that is busy (at least half its
 * time on work over the last 10 ms, and the last poll found events) polls
 * with a zero timeout for up to busy-poll-us before it sleeps.  An idle or
 * lightly loaded loop never spins: its sleeps cost nobody anything.
 *
 * Memory comes from zmalloc (abort on out-of-memory), so the loop's tables
 * count in the server's used_memory. */
#include "ae.h"
#include "ae_backend.h"
#include "zmalloc.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Registered events of one fd. */
typedef struct aeFileEvent {
    int mask; /* AE_READABLE | AE_WRITABLE | AE_BARRIER */
    aeFileProc *rfileProc;
    aeFileProc *wfileProc;
    void *clientData;
} aeFileEvent;

typedef struct aeTimeEvent {
    long long id;
    long long when;     /* monotonic deadline, microseconds */
    uint64_t seq;       /* arming order: breaks ties of `when` */
    int heapIndex;      /* position in el->heap; -1 while its callback runs */
    int deleted;        /* deleted while its callback runs */
    aeTimeProc *timeProc;
    aeEventFinalizerProc *finalizerProc;
    void *clientData;
} aeTimeEvent;

/* A slot of the id table.  gen counts the timers the slot has held, so an
 * id made from an older generation no longer matches. */
typedef struct aeTimeSlot {
    aeTimeEvent *te; /* NULL when free */
    uint32_t gen;
    int nextFree; /* free list link, -1 ends it */
} aeTimeSlot;

struct aeEventLoop {
    int setsize;
    int maxfd; /* highest registered fd, -1 if none */
    aeFileEvent *events; /* setsize entries, indexed by fd */
    aeFiredEvent *fired; /* setsize entries, filled by the backend */

    aeTimeEvent **heap; /* min-heap on (when, seq) */
    int heapLen, heapCap;
    aeTimeSlot *slots;
    int slotCap;
    int freeSlot; /* head of the free slot list, -1 if none */
    uint64_t nextSeq;

    int stop;
    int dontWait;
    aeBeforeSleepProc *beforesleep;
    aeBeforeSleepProc *aftersleep;
    const aeBackend *api;
    void *apidata;

    /* Busy polling (see the top of the file). */
    long long busyPollUs;   /* 0: off */
    long long busyPollHits; /* spins that found an event */
    int lastPollHadEvents;
    long long workStart;    /* when the last poll returned */
    long long windowStart;  /* current 10 ms utilization window */
    long long windowWorkUs; /* time outside the backend in it */
    int busy;               /* the last full window was at least half work */
};

/* Compiled-in backends, best first. */
static const aeBackend *const aeBackends[] = {
#ifdef HAVE_EPOLL
    &aeBackendEpoll,
#endif
#ifdef HAVE_KQUEUE
    &aeBackendKqueue,
#endif
    &aeBackendPoll,
    &aeBackendSelect,
};

#define AE_NUM_BACKENDS ((int)(sizeof(aeBackends) / sizeof(aeBackends[0])))
#define AE_RW (AE_READABLE | AE_WRITABLE)

/* A failure that only a bug (ours or the caller's) can cause: keep running
 * and the loop would spin or lose events silently. */
static void aePanic(const char *what, int err) {
    fprintf(stderr, "ae: %s: %s\n", what, strerror(err));
    fflush(stderr);
    abort();
}

static long long aeMonotonicUs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static const aeBackend *aeFindBackend(const char *name) {
    if (name == NULL) return aeBackends[0];
    for (int i = 0; i < AE_NUM_BACKENDS; i++)
        if (strcmp(aeBackends[i]->name, name) == 0) return aeBackends[i];
    return NULL;
}

const char *aeDefaultBackend(void) {
    return aeBackends[0]->name;
}

int aeBackendAvailable(const char *name) {
    return name != NULL && aeFindBackend(name) != NULL;
}

int aeBackendMaxSetSize(const char *backend) {
    const aeBackend *api = aeFindBackend(backend);
    return api ? api->maxSetSize : -1;
}

aeEventLoop *aeCreateEventLoop(int setsize, const char *backend) {
    const aeBackend *api = aeFindBackend(backend);
    if (api == NULL) {
        errno = ENOTSUP;
        return NULL;
    }
    if (setsize <= 0) {
        errno = EINVAL;
        return NULL;
    }
    void *apidata = api->create(setsize);
    if (apidata == NULL) return NULL;

    aeEventLoop *el = zcalloc(sizeof(*el));
    el->setsize = setsize;
    el->maxfd = -1;
    el->events = zcalloc(sizeof(aeFileEvent) * (size_t)setsize);
    el->fired = zcalloc(sizeof(aeFiredEvent) * (size_t)setsize);
    el->freeSlot = -1;
    el->api = api;
    el->apidata = apidata;
    return el;
}

static void aeFreeTimeEvent(aeEventLoop *el, aeTimeEvent *te) {
    if (te->finalizerProc) te->finalizerProc(el, te->clientData);
    zfree(te);
}

void aeDeleteEventLoop(aeEventLoop *el) {
    if (el == NULL) return;
    /* Finalizers may call back into the loop (e.g. aeDeleteTimeEvent of a
     * sibling timer), so take each timer out of the tables before calling. */
    while (el->heapLen > 0) {
        aeTimeEvent *te = el->heap[--el->heapLen];
        el->slots[te->id & 0xffffffffLL].te = NULL;
        aeFreeTimeEvent(el, te);
    }
    el->api->free(el->apidata);
    zfree(el->events);
    zfree(el->fired);
    zfree(el->heap);
    zfree(el->slots);
    zfree(el);
}

void aeStop(aeEventLoop *el) {
    el->stop = 1;
}

const char *aeGetApiName(const aeEventLoop *el) {
    return el->api->name;
}

void aeSetBeforeSleepProc(aeEventLoop *el, aeBeforeSleepProc *proc) {
    el->beforesleep = proc;
}

void aeSetAfterSleepProc(aeEventLoop *el, aeBeforeSleepProc *proc) {
    el->aftersleep = proc;
}

int aeGetSetSize(aeEventLoop *el) {
    return el->setsize;
}

void aeSetDontWait(aeEventLoop *el, int noWait) {
    el->dontWait = noWait != 0;
}

int aeResizeSetSize(aeEventLoop *el, int setsize) {
    if (setsize <= 0) {
        errno = EINVAL;
        return AE_ERR;
    }
    if (setsize == el->setsize) return AE_OK;
    if (el->maxfd >= setsize) {
        errno = ERANGE;
        return AE_ERR;
    }
    if (el->api->resize(el->apidata, setsize) == -1) return AE_ERR;
    el->events = zrealloc(el->events, sizeof(aeFileEvent) * (size_t)setsize);
    el->fired = zrealloc(el->fired, sizeof(aeFiredEvent) * (size_t)setsize);
    if (setsize > el->setsize)
        memset(el->events + el->setsize, 0,
               sizeof(aeFileEvent) * (size_t)(setsize - el->setsize));
    el->setsize = setsize;
    return AE_OK;
}

/* ------------------------------ File events ------------------------------ */

int aeCreateFileEvent(aeEventLoop *el, int fd, int mask, aeFileProc *proc, void *clientData) {
    if (fd < 0 || fd >= el->setsize) {
        errno = ERANGE;
        return AE_ERR;
    }
    if ((mask & AE_RW) == AE_NONE) {
        errno = EINVAL;
        return AE_ERR;
    }
    aeFileEvent *fe = &el->events[fd];
    int add = mask & AE_RW & ~fe->mask;
    if (add && el->api->addEvent(el->apidata, fd, fe->mask & AE_RW, add) == -1)
        return AE_ERR;
    fe->mask |= mask;
    if (mask & AE_READABLE) fe->rfileProc = proc;
    if (mask & AE_WRITABLE) fe->wfileProc = proc;
    fe->clientData = clientData;
    if (fd > el->maxfd) el->maxfd = fd;
    return AE_OK;
}

void aeDeleteFileEvent(aeEventLoop *el, int fd, int mask) {
    if (fd < 0 || fd >= el->setsize) return;
    aeFileEvent *fe = &el->events[fd];
    if (fe->mask == AE_NONE) return;
    /* A barrier only means something for a write handler. */
    if (mask & AE_WRITABLE) mask |= AE_BARRIER;
    int del = mask & AE_RW & fe->mask;
    if (del) el->api->delEvent(el->apidata, fd, fe->mask & AE_RW, del);
    fe->mask &= ~mask;
    if ((fe->mask & AE_RW) == AE_NONE) fe->mask = AE_NONE;
    if (fd == el->maxfd && fe->mask == AE_NONE) {
        int j;
        for (j = el->maxfd - 1; j >= 0; j--)
            if (el->events[j].mask != AE_NONE) break;
        el->maxfd = j;
    }
}

int aeGetFileEvents(aeEventLoop *el, int fd) {
    if (fd < 0 || fd >= el->setsize) return AE_NONE;
    return el->events[fd].mask;
}

void *aeGetFileClientData(aeEventLoop *el, int fd) {
    if (fd < 0 || fd >= el->setsize) return NULL;
    if (el->events[fd].mask == AE_NONE) return NULL;
    return el->events[fd].clientData;
}

/* Calls the handlers of one fired fd; returns how many were called.
 * el->events may move (a handler can resize the loop) and the fd's mask may
 * change (a handler can delete events), so both are re-read before each
 * call.  When the same proc handles both directions it is called once,
 * with the whole fired mask. */
static int aeDispatchFileEvent(aeEventLoop *el, int fd, int fired) {
    int called = 0;
    aeFileProc *first = NULL;
    if (fd >= el->setsize) return 0;
    int invert = el->events[fd].mask & AE_BARRIER;

    if (!invert && (el->events[fd].mask & fired & AE_READABLE)) {
        aeFileEvent *fe = &el->events[fd];
        first = fe->rfileProc;
        first(el, fd, fe->clientData, fired);
        called++;
    }
    if (fd < el->setsize && (el->events[fd].mask & fired & AE_WRITABLE)) {
        aeFileEvent *fe = &el->events[fd];
        if (!called || fe->wfileProc != first) {
            first = fe->wfileProc;
            first(el, fd, fe->clientData, fired);
            called++;
        }
    }
    if (invert && fd < el->setsize && (el->events[fd].mask & fired & AE_READABLE)) {
        aeFileEvent *fe = &el->events[fd];
        if (!called || fe->rfileProc != first) {
            fe->rfileProc(el, fd, fe->clientData, fired);
            called++;
        }
    }
    return called;
}

/* ------------------------------ Time events ------------------------------ */

static int aeTimeBefore(const aeTimeEvent *a, const aeTimeEvent *b) {
    return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void aeHeapSet(aeEventLoop *el, int i, aeTimeEvent *te) {
    el->heap[i] = te;
    te->heapIndex = i;
}

static void aeHeapSiftUp(aeEventLoop *el, int i) {
    aeTimeEvent *te = el->heap[i];
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (!aeTimeBefore(te, el->heap[parent])) break;
        aeHeapSet(el, i, el->heap[parent]);
        i = parent;
    }
    aeHeapSet(el, i, te);
}

static void aeHeapSiftDown(aeEventLoop *el, int i) {
    aeTimeEvent *te = el->heap[i];
    for (;;) {
        int child = 2 * i + 1;
        if (child >= el->heapLen) break;
        if (child + 1 < el->heapLen && aeTimeBefore(el->heap[child + 1], el->heap[child]))
            child++;
        if (!aeTimeBefore(el->heap[child], te)) break;
        aeHeapSet(el, i, el->heap[child]);
        i = child;
    }
    aeHeapSet(el, i, te);
}

static void aeHeapPush(aeEventLoop *el, aeTimeEvent *te) {
    if (el->heapLen == el->heapCap) {
        el->heapCap = el->heapCap ? el->heapCap * 2 : 16;
        el->heap = zrealloc(el->heap, sizeof(*el->heap) * (size_t)el->heapCap);
    }
    el->heap[el->heapLen++] = te;
    aeHeapSiftUp(el, el->heapLen - 1);
}

static void aeHeapRemove(aeEventLoop *el, aeTimeEvent *te) {
    int i = te->heapIndex;
    aeTimeEvent *last = el->heap[--el->heapLen];
    te->heapIndex = -1;
    if (i == el->heapLen) return;
    aeHeapSet(el, i, last);
    aeHeapSiftUp(el, i);
    if (last->heapIndex == i) aeHeapSiftDown(el, i);
}

/* Returns the deadline `ms` milliseconds after `now`, saturating instead of
 * overflowing for absurd delays. */
static long long aeDeadline(long long now, long long ms) {
    if (ms < 0) ms = 0;
    if (ms > (LLONG_MAX - now) / 1000) return LLONG_MAX;
    return now + ms * 1000;
}

static int aeAllocTimeSlot(aeEventLoop *el) {
    if (el->freeSlot == -1) {
        int oldCap = el->slotCap;
        int newCap = oldCap ? oldCap * 2 : 16;
        el->slots = zrealloc(el->slots, sizeof(*el->slots) * (size_t)newCap);
        /* Chain the new slots lowest first, so ids start small. */
        for (int i = newCap - 1; i >= oldCap; i--) {
            el->slots[i].te = NULL;
            el->slots[i].gen = 0;
            el->slots[i].nextFree = el->freeSlot;
            el->freeSlot = i;
        }
        el->slotCap = newCap;
    }
    int slot = el->freeSlot;
    el->freeSlot = el->slots[slot].nextFree;
    return slot;
}

/* Makes the timer's id invalid and its slot reusable. */
static void aeReleaseTimeSlot(aeEventLoop *el, aeTimeEvent *te) {
    int slot = (int)(te->id & 0xffffffffLL);
    aeTimeSlot *s = &el->slots[slot];
    s->te = NULL;
    s->gen = (s->gen + 1) & 0x7fffffffu; /* keep ids non-negative */
    s->nextFree = el->freeSlot;
    el->freeSlot = slot;
}

long long aeCreateTimeEvent(aeEventLoop *el, long long milliseconds, aeTimeProc *proc,
                            void *clientData, aeEventFinalizerProc *finalizerProc) {
    int slot = aeAllocTimeSlot(el);
    aeTimeEvent *te = zmalloc(sizeof(*te));
    te->id = ((long long)el->slots[slot].gen << 32) | slot;
    te->when = aeDeadline(aeMonotonicUs(), milliseconds);
    te->seq = el->nextSeq++;
    te->deleted = 0;
    te->timeProc = proc;
    te->finalizerProc = finalizerProc;
    te->clientData = clientData;
    el->slots[slot].te = te;
    aeHeapPush(el, te);
    return te->id;
}

int aeDeleteTimeEvent(aeEventLoop *el, long long id) {
    if (id < 0) return AE_ERR;
    long long slot = id & 0xffffffffLL;
    if (slot >= el->slotCap) return AE_ERR;
    aeTimeEvent *te = el->slots[slot].te;
    if (te == NULL || te->id != id) return AE_ERR;
    aeReleaseTimeSlot(el, te);
    if (te->heapIndex == -1) {
        /* Its callback is on the stack: the runner finalizes it. */
        te->deleted = 1;
        return AE_OK;
    }
    aeHeapRemove(el, te);
    aeFreeTimeEvent(el, te);
    return AE_OK;
}

/* Runs the timers due at the start of the pass, earliest first.  Returns how
 * many callbacks ran. */
static int aeProcessTimeEvents(aeEventLoop *el) {
    int processed = 0;
    long long now = aeMonotonicUs();
    uint64_t passSeq = el->nextSeq;

    /* Timers armed during the pass have seq >= passSeq and a deadline >=
     * now, so they sort after every timer that was due when the pass began:
     * meeting one at the top means nothing older is left. */
    while (el->heapLen > 0) {
        aeTimeEvent *te = el->heap[0];
        if (te->when > now || te->seq >= passSeq) break;
        aeHeapRemove(el, te);

        long long ret = te->timeProc(el, te->id, te->clientData);
        processed++;

        if (te->deleted) {
            aeFreeTimeEvent(el, te);
        } else if (ret < 0) {
            aeReleaseTimeSlot(el, te);
            aeFreeTimeEvent(el, te);
        } else {
            te->when = aeDeadline(aeMonotonicUs(), ret);
            te->seq = el->nextSeq++;
            aeHeapPush(el, te);
        }
    }
    return processed;
}

/* ------------------------------- The loop -------------------------------- */

#define AE_UTIL_WINDOW_US 10000

void aeSetBusyPoll(aeEventLoop *el, long long us) {
    el->busyPollUs = us > 0 ? us : 0;
    /* The utilization window starts afresh: time spent while it was off
     * is not counted as work. */
    el->workStart = 0;
    el->windowStart = 0;
    el->windowWorkUs = 0;
    el->busy = 0;
}

long long aeBusyPollHits(aeEventLoop *el) {
    return el->busyPollHits;
}

/* The backend poll, preceded by the busy-poll spin when the loop is busy.
 * With busy polling on it also keeps the utilization window: work is the
 * time from one poll's return to the next poll's start. */
static int aePoll(aeEventLoop *el, long long timeoutUs) {
    if (!el->busyPollUs) return el->api->poll(el->apidata, timeoutUs, el->fired);
    long long now = aeMonotonicUs();
    if (el->workStart) el->windowWorkUs += now - el->workStart;
    if (now - el->windowStart >= AE_UTIL_WINDOW_US) {
        el->busy = el->windowWorkUs * 2 >= now - el->windowStart;
        el->windowStart = now;
        el->windowWorkUs = 0;
    }
    int n = 0;
    if (timeoutUs != 0 && el->busy && el->lastPollHadEvents) {
        long long until = now + el->busyPollUs, t = now;
        if (timeoutUs > 0 && now + timeoutUs < until) until = now + timeoutUs;
        while ((n = el->api->poll(el->apidata, 0, el->fired)) == 0 && (t = aeMonotonicUs()) < until) {
        }
        if (n > 0) el->busyPollHits++;
        if (n == 0 && timeoutUs > 0) timeoutUs = timeoutUs > t - now ? timeoutUs - (t - now) : 0;
    }
    if (n == 0) n = el->api->poll(el->apidata, timeoutUs, el->fired);
    el->lastPollHadEvents = n > 0;
    el->workStart = aeMonotonicUs();
    return n;
}

int aeProcessEvents(aeEventLoop *el, int flags) {
    int processed = 0;

    if (!(flags & AE_ALL_EVENTS)) return 0;

    /* Poll even without fds when there are timers to sleep for: the backend
     * is the one place the loop sleeps. */
    if (el->maxfd != -1 || ((flags & AE_TIME_EVENTS) && !(flags & AE_DONT_WAIT))) {
        if (el->beforesleep && (flags & AE_CALL_BEFORE_SLEEP)) el->beforesleep(el);

        long long timeoutUs = -1;
        if ((flags & AE_DONT_WAIT) || el->dontWait) {
            timeoutUs = 0;
        } else if ((flags & AE_TIME_EVENTS) && el->heapLen > 0) {
            timeoutUs = el->heap[0]->when - aeMonotonicUs();
            if (timeoutUs < 0) timeoutUs = 0;
        }

        int numevents = aePoll(el, timeoutUs);
        if (numevents == -1) {
            if (errno != EINTR) aePanic(el->api->name, errno);
            numevents = 0;
        }
        if (!(flags & AE_FILE_EVENTS)) numevents = 0;

        if (el->aftersleep && (flags & AE_CALL_AFTER_SLEEP)) el->aftersleep(el);

        /* A handler may shrink the loop; entries past the new setsize are
         * dropped, which is harmless because every backend is level
         * triggered and reports them again. */
        for (int j = 0; j < numevents && j < el->setsize; j++) {
            aeFiredEvent fe = el->fired[j];
            processed += aeDispatchFileEvent(el, fe.fd, fe.mask);
        }
    }

    if (flags & AE_TIME_EVENTS) processed += aeProcessTimeEvents(el);
    return processed;
}

/* A zero-timeout poll whose result is thrown away: every backend is level
 * triggered, so whatever it reports is reported again by the next real
 * poll.  Long-running work done from a time event (the snapshot walk) asks
 * this between small steps to give way as soon as a client is waiting.
 * Not for use from inside a file event handler: it reuses el->fired. */
int aeHasPendingFileEvents(aeEventLoop *el) {
    if (el->maxfd == -1) return 0;
    int n = el->api->poll(el->apidata, 0, el->fired);
    return n > 0;
}

void aeMain(aeEventLoop *el) {
    el->stop = 0;
    while (!el->stop)
        aeProcessEvents(el, AE_ALL_EVENTS | AE_CALL_BEFORE_SLEEP | AE_CALL_AFTER_SLEEP);
}

int aeWait(int fd, int mask, long long milliseconds) {
    struct pollfd pfd = {.fd = fd, .events = 0, .revents = 0};
    if (mask & AE_READABLE) pfd.events |= POLLIN;
    if (mask & AE_WRITABLE) pfd.events |= POLLOUT;

    long long deadline = milliseconds < 0 ? -1 : aeDeadline(aeMonotonicUs(), milliseconds);
    for (;;) {
        int timeout = -1;
        if (deadline != -1) {
            long long leftUs = deadline - aeMonotonicUs();
            if (leftUs < 0) leftUs = 0;
            long long ms = (leftUs + 999) / 1000;
            timeout = ms > INT_MAX ? INT_MAX : (int)ms;
        }
        int n = poll(&pfd, 1, timeout);
        if (n == -1) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (n == 0) {
            /* poll may time out early by rounding; only give up when the
             * deadline has really passed. */
            if (deadline != -1 && aeMonotonicUs() < deadline) continue;
            return 0;
        }
        int ret = 0;
        if (pfd.revents & POLLIN) ret |= AE_READABLE;
        if (pfd.revents & POLLOUT) ret |= AE_WRITABLE;
        if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) ret |= AE_RW;
        return ret;
    }
}
