/* lazyfree.c -- freeing big values and whole tables off the event loop.
 *
 * UNLINK, FLUSHALL/FLUSHDB ASYNC and the lazyfree-lazy-* directives hand
 * values to one background thread instead of freeing them inline: freeing a
 * list of ten million elements takes long enough to stall every client.
 * The thread only calls free functions (the allocator is thread-safe and
 * the used-memory counter is atomic); it never touches the keyspace.
 *
 * Values cheap to free (strings: one free() whatever their size, small
 * containers) are freed inline: a thread hand-off costs more than that. */
#include <pthread.h>

#include "db.h"
#include "server.h"
#include "zmalloc.h"

#define LAZYFREE_THRESHOLD 64 /* elements; below this, free inline */

typedef struct lazyfreeJob {
    struct lazyfreeJob *next;
    robj *obj;      /* or NULL */
    htab *keys;     /* or NULL */
    htab *expires;
} lazyfreeJob;

static pthread_t lazyfreeThread;
static pthread_mutex_t lazyfreeLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t lazyfreeCond = PTHREAD_COND_INITIALIZER;
static lazyfreeJob *jobsHead = NULL, *jobsTail = NULL;
static size_t pendingObjects = 0;
static size_t freedObjects = 0;
static int started = 0;

static void *lazyfreeMain(void *arg) {
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lazyfreeLock);
        while (jobsHead == NULL) pthread_cond_wait(&lazyfreeCond, &lazyfreeLock);
        lazyfreeJob *job = jobsHead;
        jobsHead = job->next;
        if (!jobsHead) jobsTail = NULL;
        pthread_mutex_unlock(&lazyfreeLock);
        size_t n = 1;
        if (job->obj) decrRefCount(job->obj);
        if (job->expires) htabRelease(job->expires);
        if (job->keys) {
            n = htabSize(job->keys);
            htabRelease(job->keys);
        }
        zfree(job);
        __atomic_sub_fetch(&pendingObjects, n, __ATOMIC_RELAXED);
        __atomic_add_fetch(&freedObjects, n, __ATOMIC_RELAXED);
    }
    return NULL;
}

void lazyfreeInit(void) {
    if (started) return;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 4 * 1024 * 1024);
    if (pthread_create(&lazyfreeThread, &attr, lazyfreeMain, NULL) != 0)
        serverPanic("Can't create the lazy free thread");
    pthread_attr_destroy(&attr);
    started = 1;
}

static void submit(lazyfreeJob *job, size_t n) {
    job->next = NULL;
    __atomic_add_fetch(&pendingObjects, n, __ATOMIC_RELAXED);
    pthread_mutex_lock(&lazyfreeLock);
    if (jobsTail)
        jobsTail->next = job;
    else
        jobsHead = job;
    jobsTail = job;
    pthread_cond_signal(&lazyfreeCond);
    pthread_mutex_unlock(&lazyfreeLock);
}

/* The cost of freeing a value, in elements (see LAZYFREE_THRESHOLD).  Type
 * modules register their own estimator for containers. */
static size_t (*freeEffortFns[8])(robj *o);

void lazyfreeSetEffortFunction(int type, size_t (*fn)(robj *o)) {
    freeEffortFns[type] = fn;
}

void freeObjAsync(robj *key, robj *obj, int dbid) {
    (void)key;
    (void)dbid;
    size_t effort = freeEffortFns[obj->type] ? freeEffortFns[obj->type](obj) : 1;
    if (!started || effort <= LAZYFREE_THRESHOLD || obj->refcount != 1) {
        decrRefCount(obj);
        return;
    }
    lazyfreeJob *job = zcalloc(sizeof(*job));
    job->obj = obj;
    submit(job, 1);
}

void freeTablesAsync(htab *keys, htab *expires) {
    if (!started || htabSize(keys) <= LAZYFREE_THRESHOLD) {
        htabRelease(expires);
        htabRelease(keys);
        return;
    }
    lazyfreeJob *job = zcalloc(sizeof(*job));
    job->keys = keys;
    job->expires = expires;
    submit(job, htabSize(keys));
}

size_t lazyfreeGetPendingObjectsCount(void) {
    return __atomic_load_n(&pendingObjects, __ATOMIC_RELAXED);
}

size_t lazyfreeGetFreedObjectsCount(void) {
    return __atomic_load_n(&freedObjects, __ATOMIC_RELAXED);
}
