/* evict.h -- the memory limit: maxmemory accounting, eviction policies,
 * and the per-key access data (LRU clock or LFU counter) they rank keys by
 * (evict.c).
 *
 * Every keyspace value carries 24 bits of access data in robj.lru:
 *   LRU policies (and every non-LFU policy): the LRU clock at the last
 *       access (getLRUClock(), LRU_CLOCK_RESOLUTION ms per tick);
 *   LFU policies: 16 bits of "minutes" (unixtime / 60, wrapping) at the
 *       last decay, then an 8-bit logarithmic access counter:
 *           | ldt (16 bits) | counter (8 bits) |
 *       New keys start at EVICT_LFU_INIT_VAL so they are not evicted
 *       before they had a chance to be read again.
 * Switching policy at run time does not convert existing values: they
 * adjust as keys are accessed (as in Redis). */
#ifndef RINGKV_EVICT_H
#define RINGKV_EVICT_H

#include <stddef.h>

#include "client.h"
#include "config.h"
#include "object.h"
#include "server.h"

#define EVICT_LFU_INIT_VAL 5

/* Settings that struct ringkvServer has no field for (config.c stores into
 * them through its table; nothing else writes them). */
struct evictSettings {
    int tenacity;        /* maxmemory-eviction-tenacity: 0..100 */
    int lfu_log_factor;  /* lfu-log-factor */
    int lfu_decay_time;  /* lfu-decay-time, minutes per counter decrement */
};
extern struct evictSettings evictCfg;

/* Outcome of evictPerformEvictions(). */
#define EVICT_OK 0      /* under the limit (or eviction not applicable) */
#define EVICT_RUNNING 1 /* over the limit, time budget spent: a timer goes on */
#define EVICT_FAIL 2    /* over the limit and nothing (more) can be evicted */

static inline int evictPolicyIsLfu(void) {
    return server.maxmemory_policy == MAXMEMORY_ALLKEYS_LFU ||
           server.maxmemory_policy == MAXMEMORY_VOLATILE_LFU;
}

/* The access data a brand-new keyspace value starts with. */
unsigned int evictInitialAccess(void);

/* LFU: logarithmic increment of a counter / the counter after the decay
 * owed since its last-decay time (not stored). */
void evictLfuTouch(robj *o);
unsigned long evictLfuDecrAndReturn(const robj *o);

/* Records an access to a keyspace value (lookups call it): one store of
 * the LRU clock, or an LFU decay-then-increment.  Inline because every read
 * and write lookup goes through it. */
static inline void evictUpdateAccess(robj *o) {
    if (evictPolicyIsLfu()) {
        evictLfuTouch(o);
    } else {
        o->lru = getLRUClock();
    }
}

/* Memory the limit is compared against: allocator-reported usage minus
 * what is not counted (replication/AOF buffers: ringkv has neither, so 0). */
size_t evictNotCountedMemory(void);

/* Evicts keys until used memory is under maxmemory, within the time budget
 * set by maxmemory-eviction-tenacity; when the budget runs out a timer event
 * continues the job between commands.  Returns EVICT_OK / EVICT_RUNNING /
 * EVICT_FAIL. */
int evictPerformEvictions(void);

/* The dispatcher hook (commands.c): with maxmemory set, evicts before each
 * command and refuses commands flagged denyoom with -OOM while memory stays
 * above the limit.  Returns 1 if it replied (the command must not run). */
int evictBeforeCommandOrReply(client *c);

/* INFO stats: milliseconds spent over maxmemory despite eviction, in total
 * (including the current stretch) and in the current stretch (0 if none).
 * The reset is CONFIG RESETSTAT's. */
void evictGetExceededTime(long long *total_ms, long long *current_ms);
void evictResetExceededTime(void);

/* CONFIG SET maxmemory / maxmemory-policy: start evicting right away rather
 * than at the next command. */
void evictConfigChanged(void);

/* Start-up (nothing to register today; kept for symmetry with the other
 * modules' init calls). */
void evictInit(void);

#endif
