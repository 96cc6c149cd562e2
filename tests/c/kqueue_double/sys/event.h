/* sys/event.h -- test double of the BSD kqueue API, for Linux builds.
 *
 * Just enough of <sys/event.h> for src/ae_kqueue.c: kqueue(), kevent(),
 * EV_SET, EVFILT_READ/EVFILT_WRITE, EV_ADD/EV_DELETE, and the EV_EOF/EV_ERROR
 * output flags, with the BSD field layout of struct kevent.  The behaviour
 * is implemented over poll(2) in kqueue_double.c; it is put on the include
 * path with -Itests/c/kqueue_double only in test builds. */
#ifndef KQUEUE_DOUBLE_SYS_EVENT_H
#define KQUEUE_DOUBLE_SYS_EVENT_H

#include <stdint.h>
#include <time.h>

struct kevent {
    uintptr_t ident;       /* the fd */
    short filter;          /* EVFILT_* */
    unsigned short flags;  /* EV_* */
    unsigned int fflags;   /* filter flags (unused here) */
    intptr_t data;         /* READ: bytes readable; EV_ERROR: the errno */
    void *udata;           /* opaque, returned as registered */
};

#define EVFILT_READ (-1)
#define EVFILT_WRITE (-2)

/* Input flags. */
#define EV_ADD 0x0001    /* add, or modify the udata of, a registration */
#define EV_DELETE 0x0002 /* remove a registration (ENOENT if none) */
/* Output flags. */
#define EV_ERROR 0x4000 /* a change failed; data holds the errno */
#define EV_EOF 0x8000   /* the other end hung up */

#define EV_SET(kevp, a, b, c, d, e, f)          \
    do {                                        \
        struct kevent *kevSet__ = (kevp);       \
        kevSet__->ident = (uintptr_t)(a);       \
        kevSet__->filter = (short)(b);          \
        kevSet__->flags = (unsigned short)(c);  \
        kevSet__->fflags = (unsigned int)(d);   \
        kevSet__->data = (intptr_t)(e);         \
        kevSet__->udata = (f);                  \
    } while (0)

int kqueue(void);
int kevent(int kq, const struct kevent *changelist, int nchanges, struct kevent *eventlist,
           int nevents, const struct timespec *timeout);

#endif
