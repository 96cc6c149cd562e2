/* memory_cmd.c -- MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP.
 *
 * The figures come from two modules: object_size.c measures one key
 * (USAGE) and memory_stats.c the whole server (STATS, DOCTOR; INFO memory
 * uses the same breakdown, so the two always agree).  This file only parses
 * arguments and shapes the replies the way Redis 7.0 does: STATS is a map
 * whose keys, order and value types (integers, and doubles for ratios)
 * follow Redis, with one "db.<n>" sub-map per non-empty database placed
 * after functions.caches.
 *
 * DOCTOR reads the same breakdown and looks for the situations worth a
 * human's attention (memory far below its peak, fragmentation at any of
 * the three levels between used_memory and RSS, big client buffers).  It
 * refuses to judge an instance using under 5 MB, where fixed costs dominate
 * every ratio, as Redis does. */
#include "memory_cmd.h"

#include <stdio.h>
#include <strings.h>

#include "db.h"
#include "memory_stats.h"
#include "object_size.h"
#include "reply.h"
#include "server.h"
#include "zmalloc.h"

/* --- USAGE ------------------------------------------------------------- */

/* MEMORY USAGE key [SAMPLES count].  The key is looked up without the
 * usual read side effects (no expiry, no hit/miss count, no LRU touch):
 * measuring a key must not change it.  Options are parsed before the
 * lookup, so a bad option is an error even for a missing key. */
void memoryUsageCommand(client *c) {
    long long samples = OBJECT_SIZE_DEFAULT_SAMPLES;
    for (int j = 3; j < c->argc; j++) {
        if (!strcasecmp(c->argv[j]->ptr, "samples") && j + 1 < c->argc) {
            if (getLongLongFromObject(c->argv[j + 1], &samples) != C_OK) {
                addReplyErrorNotInteger(c);
                return;
            }
            if (samples < 0) {
                addReplyErrorSyntax(c);
                return;
            }
            j++;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    robj *key = c->argv[2];
    dbEntry *e = dbFindEntry(c->db, key->ptr, rstrLen(key->ptr));
    if (e == NULL) {
        addReplyNull(c);
        return;
    }
    addReplyLongLong(c, (long long)objectKeyMemoryUsage(c->db, e, (size_t)samples));
}

/* --- STATS ------------------------------------------------------------- */

static void replyStatInt(client *c, const char *name, long long value) {
    addReplyBulkCString(c, name);
    addReplyLongLong(c, value);
}

/* Ratios are single-precision floats widened to double, so the digits
 * printed are those of the float, as in Redis's reply. */
static void replyStatRatio(client *c, const char *name, float value) {
    addReplyBulkCString(c, name);
    addReplyDouble(c, (double)value);
}

#define MEMORY_STATS_FIXED_FIELDS 27

void memoryStatsCommand(client *c) {
    memoryOverhead *mh = memoryGetOverheadData();
    addReplyMapLen(c, MEMORY_STATS_FIXED_FIELDS + mh->num_dbs);
    replyStatInt(c, "peak.allocated", (long long)mh->peak_allocated);
    replyStatInt(c, "total.allocated", (long long)mh->total_allocated);
    replyStatInt(c, "startup.allocated", (long long)mh->startup_allocated);
    replyStatInt(c, "replication.backlog", (long long)mh->repl_backlog);
    replyStatInt(c, "clients.slaves", (long long)mh->clients_slaves);
    replyStatInt(c, "clients.normal", (long long)mh->clients_normal);
    replyStatInt(c, "cluster.links", (long long)mh->cluster_links);
    replyStatInt(c, "aof.buffer", (long long)mh->aof_buffer);
    replyStatInt(c, "lua.caches", (long long)mh->lua_caches);
    replyStatInt(c, "functions.caches", (long long)mh->functions_caches);
    for (int j = 0; j < mh->num_dbs; j++) {
        char name[32];
        snprintf(name, sizeof(name), "db.%d", mh->db[j].dbid);
        addReplyBulkCString(c, name);
        addReplyMapLen(c, 3);
        replyStatInt(c, "overhead.hashtable.main", (long long)mh->db[j].overhead_ht_main);
        replyStatInt(c, "overhead.hashtable.expires", (long long)mh->db[j].overhead_ht_expires);
        /* Cluster mode only; ringkv has none. */
        replyStatInt(c, "overhead.hashtable.slot-to-keys", 0);
    }
    replyStatInt(c, "overhead.total", (long long)mh->overhead_total);
    replyStatInt(c, "keys.count", (long long)mh->total_keys);
    replyStatInt(c, "keys.bytes-per-key", (long long)mh->bytes_per_key);
    replyStatInt(c, "dataset.bytes", (long long)mh->dataset);
    replyStatRatio(c, "dataset.percentage", mh->dataset_perc);
    replyStatRatio(c, "peak.percentage", mh->peak_perc);
    replyStatInt(c, "allocator.allocated", (long long)mh->allocator_allocated);
    replyStatInt(c, "allocator.active", (long long)mh->allocator_active);
    replyStatInt(c, "allocator.resident", (long long)mh->allocator_resident);
    replyStatRatio(c, "allocator-fragmentation.ratio", mh->allocator_frag);
    replyStatInt(c, "allocator-fragmentation.bytes", mh->allocator_frag_bytes);
    replyStatRatio(c, "allocator-rss.ratio", mh->allocator_rss);
    replyStatInt(c, "allocator-rss.bytes", mh->allocator_rss_bytes);
    replyStatRatio(c, "rss-overhead.ratio", mh->rss_extra);
    replyStatInt(c, "rss-overhead.bytes", mh->rss_extra_bytes);
    replyStatRatio(c, "fragmentation", mh->total_frag);
    replyStatInt(c, "fragmentation.bytes", mh->total_frag_bytes);
    memoryFreeOverheadData(mh);
}

/* --- DOCTOR ------------------------------------------------------------ */

#define DOCTOR_MIN_MEMORY (5ULL * 1024 * 1024)     /* below: nothing to judge */
#define DOCTOR_FRAG_MIN_BYTES (10LL * 1024 * 1024) /* a ratio alone is not a problem */
#define DOCTOR_CLIENT_AVG_MAX (200 * 1024)         /* per client, on average */

static rstr doctorReport(void) {
    memoryOverhead *mh = memoryGetOverheadData();
    rstr s = rstrEmpty();
    if (mh->total_allocated < DOCTOR_MIN_MEMORY) {
        s = rstrCat(s,
                    "This instance holds almost no data yet (under 5 MB in use), so every ratio I "
                    "could compute would be dominated by fixed start-up costs and tell you nothing. "
                    "Fill it with some data and ask me again.\n");
        memoryFreeOverheadData(mh);
        return s;
    }
    rstr issues = rstrEmpty();
    if (mh->peak_allocated / 2 > mh->total_allocated)
        issues = rstrCatPrintf(issues,
                               " * Far below the peak: %zu bytes are in use now, but %zu were at the "
                               "peak. Freed memory is often kept by the allocator or the process "
                               "(see fragmentation and RSS); MEMORY PURGE asks the allocator to "
                               "return what it can.\n\n",
                               mh->total_allocated, mh->peak_allocated);
    if (mh->total_frag > 1.4f && mh->total_frag_bytes > DOCTOR_FRAG_MIN_BYTES)
        issues = rstrCatPrintf(issues,
                               " * High fragmentation: the process's RSS is %.2f times the memory in "
                               "use (%lld bytes more). The lines below tell which layer holds the "
                               "difference.\n\n",
                               (double)mh->total_frag, mh->total_frag_bytes);
    if (mh->allocator_frag > 1.1f && mh->allocator_frag_bytes > DOCTOR_FRAG_MIN_BYTES)
        issues = rstrCatPrintf(issues,
                               " * Allocator fragmentation: the allocator's active pages hold "
                               "%.2f times the bytes allocated in them (%lld bytes of holes), "
                               "typically after many deletes of objects of mixed sizes.\n\n",
                               (double)mh->allocator_frag, mh->allocator_frag_bytes);
    if (mh->allocator_rss > 1.1f && mh->allocator_rss_bytes > DOCTOR_FRAG_MIN_BYTES)
        issues = rstrCatPrintf(issues,
                               " * Allocator RSS overhead: the allocator keeps %.2f times its active "
                               "memory resident (%lld bytes of free pages not returned to the OS). "
                               "MEMORY PURGE returns them now.\n\n",
                               (double)mh->allocator_rss, mh->allocator_rss_bytes);
    if (mh->rss_extra > 1.1f && mh->rss_extra_bytes > DOCTOR_FRAG_MIN_BYTES)
        issues = rstrCatPrintf(issues,
                               " * Non-allocator RSS: the process's RSS is %.2f times what the "
                               "allocator holds (%lld bytes in other mappings: thread stacks, "
                               "libraries, buffers outside the allocator).\n\n",
                               (double)mh->rss_extra, mh->rss_extra_bytes);
    unsigned long nclients = listLength(server.clients);
    if (nclients && mh->clients_normal / nclients > DOCTOR_CLIENT_AVG_MAX)
        issues = rstrCatPrintf(issues,
                               " * Big client buffers: %lu connections use %zu bytes, over 200 KB "
                               "each on average. Look for clients that do not read their replies "
                               "or send huge pipelines (CLIENT LIST: qbuf, omem, tot-mem), and "
                               "consider client-output-buffer-limit.\n\n",
                               nclients, mh->clients_normal);
    if (rstrLen(issues) == 0) {
        s = rstrCat(s, "No memory problems found in this instance. (Only what the server itself "
                       "measures can be judged here.)\n");
    } else {
        s = rstrCat(s, "Memory report: a few things look wrong in this instance.\n\n");
        s = rstrCatRstr(s, issues);
        s = rstrCat(s, "Each item above is a measurement, not a certainty: check it against your "
                       "workload before acting.\n");
    }
    rstrFree(issues);
    memoryFreeOverheadData(mh);
    return s;
}

void memoryDoctorCommand(client *c) {
    rstr report = doctorReport();
    addReplyVerbatim(c, report, rstrLen(report), "txt");
    rstrFree(report);
}

/* --- MALLOC-STATS, PURGE ------------------------------------------------ */

static void collectStatsText(void *opaque, const char *text) {
    rstr *s = opaque;
    *s = rstrCat(*s, text);
}

void memoryMallocStatsCommand(client *c) {
    rstr s = rstrEmpty();
    if (zmallocStatsPrint(collectStatsText, &s) == -1) {
        addReplyBulkCString(c, "Stats not supported for the current allocator");
    } else {
        addReplyVerbatim(c, s, rstrLen(s), "txt");
    }
    rstrFree(s);
}

void memoryPurgeCommand(client *c) {
    if (zmallocPurge() == -1) {
        addReplyError(c, "Error purging dirty pages");
        return;
    }
    addReplyOk(c);
}

/* --- HELP -------------------------------------------------------------- */

void memoryHelpCommand(client *c) {
    static const char *help[] = {
        "DOCTOR",
        "    Report what looks wrong in the server's memory use, if anything.",
        "MALLOC-STATS",
        "    Show the memory allocator's own statistics report.",
        "PURGE",
        "    Ask the allocator to give unused pages back to the operating system.",
        "STATS",
        "    Break the server's memory use down: overhead, dataset, fragmentation.",
        "USAGE <key> [SAMPLES <count>]",
        "    Estimate the bytes <key> and its value take. Big values are estimated",
        "    from <count> of their elements (default: 5; 0 measures them all).",
        NULL,
    };
    addReplyHelp(c, help);
}
