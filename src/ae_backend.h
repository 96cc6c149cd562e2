/* ae_backend.h -- the contract between ae.c and the OS readiness backends.
 *
 * Private to ae.c and ae_*.c.  Each backend file defines one aeBackend ops
 * table (aeBackendEpoll, aeBackendKqueue, aeBackendPoll, aeBackendSelect)
 * when the platform has the API, and ae.c picks one by name at run time.
 * Backends keep their own state behind a void pointer and never see the
 * loop: ae.c passes them the old mask of an fd, so they need no copy of the
 * file event table, and they report what fired into an array that ae.c owns.
 *
 * Platform detection lives here and nowhere else.  A build may also force a
 * backend in with -DHAVE_KQUEUE (the tests do so on Linux, with a stand-in
 * <sys/event.h> from tests/c/kqueue_double on the include path). */
#ifndef RINGKV_AE_BACKEND_H
#define RINGKV_AE_BACKEND_H

#if !defined(HAVE_EPOLL) && defined(__linux__)
#define HAVE_EPOLL 1
#endif

#if !defined(HAVE_KQUEUE) &&                                                  \
    (defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) ||    \
     defined(__NetBSD__) || defined(__DragonFly__))
#define HAVE_KQUEUE 1
#endif

/* One fd that is ready, with the AE_READABLE/AE_WRITABLE bits that fired.
 * A backend reports each fd at most once per poll. */
typedef struct aeFiredEvent {
    int fd;
    int mask;
} aeFiredEvent;

typedef struct aeBackend {
    const char *name;
    /* Largest setsize the backend can serve (FD_SETSIZE for select). */
    int maxSetSize;
    /* Returns a new state able to watch fds 0..setsize-1, or NULL with
     * errno set. */
    void *(*create)(int setsize);
    /* Grows or shrinks the state; ae.c has checked that every fd in use
     * fits.  Returns 0, or -1 with errno set (and the state unchanged). */
    int (*resize)(void *state, int setsize);
    void (*free)(void *state);
    /* Starts watching addmask on fd, which already watches oldmask.  Masks
     * hold only AE_READABLE/AE_WRITABLE bits.  Returns 0, or -1 with errno
     * set and nothing changed. */
    int (*addEvent)(void *state, int fd, int oldmask, int addmask);
    /* Stops watching delmask on fd, which watched oldmask.  Cannot fail:
     * an fd the kernel already forgot (closed) is not an error. */
    void (*delEvent)(void *state, int fd, int oldmask, int delmask);
    /* Waits up to timeoutUs microseconds (-1: forever, 0: don't block) and
     * fills fired[] (setsize entries available).  Returns the count, or -1
     * with errno set (EINTR is for ae.c to handle). */
    int (*poll)(void *state, long long timeoutUs, aeFiredEvent *fired);
} aeBackend;

#ifdef HAVE_EPOLL
extern const aeBackend aeBackendEpoll;
#endif
#ifdef HAVE_KQUEUE
extern const aeBackend aeBackendKqueue;
#endif
extern const aeBackend aeBackendPoll;
extern const aeBackend aeBackendSelect;

#endif
