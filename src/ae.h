/* ae.h -- the event loop: file events, time events and sleep hooks.
 *
 * The loop knows nothing about the server.  Callers register callbacks for
 * "fd is readable/writable" and for "N milliseconds have passed"; aeMain()
 * then waits for and dispatches those events until aeStop() is called.
 * The OS readiness API (epoll, kqueue, poll, select) is chosen when the loop
 * is created, by name, among every backend this build compiled in, so the
 * tests can run the same scenarios on each of them.  See ae.c for the order
 * of the steps inside one loop iteration. */
#ifndef RINGKV_AE_H
#define RINGKV_AE_H

#define AE_OK 0
#define AE_ERR -1

/* File event masks. */
#define AE_NONE 0     /* No events registered. */
#define AE_READABLE 1 /* Fire when the fd is readable (or at EOF / error). */
#define AE_WRITABLE 2 /* Fire when the fd is writable (or on error). */
/* With AE_WRITABLE: when both fire in the same iteration, call the write
 * handler before the read handler.  The server uses it to persist what a
 * command changed (in beforeSleep) before a reply is sent, and never to send
 * a reply for a request read in this very iteration. */
#define AE_BARRIER 4

/* aeProcessEvents() flags. */
#define AE_FILE_EVENTS (1 << 0)       /* Dispatch file events. */
#define AE_TIME_EVENTS (1 << 1)       /* Dispatch due time events. */
#define AE_ALL_EVENTS (AE_FILE_EVENTS | AE_TIME_EVENTS)
#define AE_DONT_WAIT (1 << 2)         /* Poll with a zero timeout. */
#define AE_CALL_BEFORE_SLEEP (1 << 3) /* Call the beforesleep hook. */
#define AE_CALL_AFTER_SLEEP (1 << 4)  /* Call the aftersleep hook. */

/* A time event callback returns this (any negative value, in fact) to be
 * removed; a value >= 0 re-arms it that many milliseconds from now. */
#define AE_NOMORE -1
/* Never a valid time event id: callers use it for "no timer armed". */
#define AE_DELETED_EVENT_ID -1

struct aeEventLoop;
typedef struct aeEventLoop aeEventLoop; /* opaque */

/* mask is the subset of the registered events that fired for fd. */
typedef void aeFileProc(struct aeEventLoop *el, int fd, void *clientData, int mask);
/* Returns the milliseconds until the next call, or AE_NOMORE. */
typedef long long aeTimeProc(struct aeEventLoop *el, long long id, void *clientData);
/* Called once when a time event goes away, however it goes away. */
typedef void aeEventFinalizerProc(struct aeEventLoop *el, void *clientData);
typedef void aeBeforeSleepProc(struct aeEventLoop *el);

/* Creates a loop able to watch fds 0..setsize-1.  backend NULL picks the
 * best backend compiled in (aeDefaultBackend()); otherwise "epoll",
 * "kqueue", "poll" or "select".  Returns NULL with errno ENOTSUP if that
 * backend is not in this build, EINVAL if setsize <= 0, or the backend's
 * errno if it could not be set up (e.g. EMFILE). */
aeEventLoop *aeCreateEventLoop(int setsize, const char *backend);
/* Frees the loop; the finalizers of the remaining time events are called.
 * Registered fds are not closed.  Must not be called from a callback. */
void aeDeleteEventLoop(aeEventLoop *el);
/* Makes aeMain() return after the current iteration. */
void aeStop(aeEventLoop *el);
/* Before sleeping in the backend, a busy loop polls without a timeout for
 * up to us microseconds (0: never); see ae.c.  aeBusyPollHits counts the
 * spins that found an event. */
void aeSetBusyPoll(aeEventLoop *el, long long us);
long long aeBusyPollHits(aeEventLoop *el);

/* Adds mask (AE_READABLE/AE_WRITABLE, optionally with AE_BARRIER) to what is
 * watched for fd, with proc as the handler for those events.  clientData is
 * per fd, not per event: the last call wins.  Returns AE_OK, or AE_ERR with
 * errno ERANGE if fd is outside 0..setsize-1 (or beyond what the backend can
 * watch, e.g. fd >= FD_SETSIZE with select), EINVAL if mask has neither
 * AE_READABLE nor AE_WRITABLE, or the backend's errno.  On
 * AE_ERR nothing changed and proc will never be called for that mask. */
int aeCreateFileEvent(aeEventLoop *el, int fd, int mask, aeFileProc *proc, void *clientData);
/* Stops watching mask for fd.  Removing AE_WRITABLE also removes AE_BARRIER.
 * Safe to call from any handler, for any fd, also fds not registered: a
 * handler whose event was removed is not called later in the same iteration. */
void aeDeleteFileEvent(aeEventLoop *el, int fd, int mask);
/* The mask registered for fd (AE_NONE if none or out of range). */
int aeGetFileEvents(aeEventLoop *el, int fd);
/* The clientData registered for fd, NULL if none. */
void *aeGetFileClientData(aeEventLoop *el, int fd);

/* Calls proc once `milliseconds` from now (then again as long as it returns
 * a value >= 0).  Returns the event id (>= 0), used by aeDeleteTimeEvent().
 * Ids of removed events are not reused for a long time (2^31 generations per
 * slot), so deleting a stale id fails instead of hitting a new timer. */
long long aeCreateTimeEvent(aeEventLoop *el, long long milliseconds, aeTimeProc *proc,
                            void *clientData, aeEventFinalizerProc *finalizerProc);
/* Removes a time event in O(log n), also from inside its own or any other
 * callback.  The finalizer runs now, or, if the event's callback is running,
 * right after the callback returns.  Returns AE_OK, or AE_ERR if there is no
 * such event (never created, already fired for good, or already deleted). */
int aeDeleteTimeEvent(aeEventLoop *el, long long id);

/* One loop iteration: optional beforesleep, wait for file events (not longer
 * than until the nearest time event), optional aftersleep, file handlers, due
 * time events.  Returns the number of handlers called. */
int aeProcessEvents(aeEventLoop *el, int flags);
/* Waits up to `milliseconds` (-1: forever) for fd to become readable or
 * writable, without any loop.  Returns the mask that is ready (errors and
 * hang-ups count as both readable and writable), 0 on timeout, -1 on error. */
int aeWait(int fd, int mask, long long milliseconds);
/* Nonzero when some watched fd is ready right now (a zero-timeout poll;
 * nothing is dispatched).  For time events that want to yield to clients. */
int aeHasPendingFileEvents(aeEventLoop *el);
/* Runs iterations with every flag until aeStop(). */
void aeMain(aeEventLoop *el);
/* The backend's name: "epoll", "kqueue", "poll" or "select". */
const char *aeGetApiName(const aeEventLoop *el);
void aeSetBeforeSleepProc(aeEventLoop *el, aeBeforeSleepProc *proc);
void aeSetAfterSleepProc(aeEventLoop *el, aeBeforeSleepProc *proc);
int aeGetSetSize(aeEventLoop *el);
/* Changes setsize.  Returns AE_ERR (errno ERANGE) if a registered fd would
 * not fit, or EINVAL if setsize <= 0; AE_OK otherwise (also if unchanged). */
int aeResizeSetSize(aeEventLoop *el, int setsize);
/* Nonzero: every poll uses a zero timeout until this is called with 0. */
void aeSetDontWait(aeEventLoop *el, int noWait);

/* The largest setsize worth asking of that backend (NULL: the default one):
 * FD_SETSIZE for select, INT_MAX for the others.  -1 if not in this build. */
int aeBackendMaxSetSize(const char *backend);
/* The name of the best backend in this build: epoll > kqueue > poll > select. */
const char *aeDefaultBackend(void);
/* 1 if the named backend is compiled in, else 0. */
int aeBackendAvailable(const char *name);

#endif
