/* memory_stats.c -- the memory breakdown behind INFO memory, MEMORY STATS
 * and MEMORY DOCTOR.
 *
 * Redis splits used_memory into "overhead" (what the server spends to run
 * and to index the data) and "dataset" (the rest), and tools graph both, so
 * ringkv computes the same split with the same parts:
 *
 *   startup     used_memory when initialization finished, before any data
 *               was loaded (memoryStatsMarkStartup, called by server.c)
 *   clients     every connection's buffers, argument vectors, queued MULTI
 *               commands and subscription tables (getClientMemoryUsage)
 *   per db      the keys table's bucket arrays plus each entry's chain link
 *               (the rest of an entry is the key and value: dataset), and
 *               the volatile-keys index: buckets plus one node per TTL
 *   replication backlog, replica buffers, cluster links, AOF buffer, Lua
 *   and function caches: features ringkv does not have, so 0.
 *
 * Allocator figures come from jemalloc's own statistics (mallctl
 * stats.allocated/active/resident, refreshed by bumping the epoch) and RSS
 * from /proc; with a libc build the allocator figures fall back to
 * used_memory and RSS, which is what Redis does too.  Everything is measured
 * when asked, not sampled by the cron, so INFO and MEMORY STATS describe the
 * same instant.  The cost is one pass over the clients and the databases:
 * fine for commands that monitoring runs every few seconds. */
#include "memory_stats.h"

#include "client.h"
#include "db.h"
#include "server.h"
#include "zmalloc.h"

static size_t startupAllocated;

void memoryStatsMarkStartup(void) {
    startupAllocated = zmallocUsedMemory();
}

size_t memoryStartupAllocated(void) {
    return startupAllocated;
}

static float ratio(size_t a, size_t b) {
    return b ? (float)a / (float)b : 0;
}

memoryOverhead *memoryGetOverheadData(void) {
    memoryOverhead *mh = zcalloc(sizeof(*mh));
    size_t used = zmallocUsedMemory();
    if (used > server.stat_peak_memory) server.stat_peak_memory = used;
    mh->total_allocated = used;
    mh->peak_allocated = server.stat_peak_memory;
    mh->startup_allocated = startupAllocated;
    size_t overhead = startupAllocated;

    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li))) mh->clients_normal += getClientMemoryUsage(listNodeValue(ln), NULL);
    overhead += mh->clients_normal;

    mh->db = zcalloc(sizeof(*mh->db) * (size_t)server.dbnum);
    for (int j = 0; j < server.dbnum; j++) {
        redisDb *db = dbGet(j);
        size_t keys = (size_t)dbSize(db);
        if (keys == 0) continue;
        memoryDbOverhead *d = &mh->db[mh->num_dbs++];
        d->dbid = j;
        d->overhead_ht_main = htabMemUsage(db->keys) + keys * sizeof(void *);
        d->overhead_ht_expires = dbExpiresIndexMemUsage(db);
        overhead += d->overhead_ht_main + d->overhead_ht_expires;
        mh->total_keys += keys;
    }
    mh->overhead_total = overhead;
    mh->dataset = used > overhead ? used - overhead : 0;

    /* The share of memory that start-up did not already take. */
    size_t net = used > startupAllocated ? used - startupAllocated : 1;
    mh->dataset_perc = (float)mh->dataset * 100 / (float)net;
    mh->bytes_per_key = mh->total_keys ? net / mh->total_keys : 0;
    mh->peak_perc = ratio(used, mh->peak_allocated) * 100;

    size_t retained;
    zmallocGetAllocatorInfo(&mh->allocator_allocated, &mh->allocator_active, &mh->allocator_resident,
                            &retained);
    mh->rss = zmallocGetRss();
    mh->allocator_frag = ratio(mh->allocator_active, mh->allocator_allocated);
    mh->allocator_frag_bytes = (long long)mh->allocator_active - (long long)mh->allocator_allocated;
    mh->allocator_rss = ratio(mh->allocator_resident, mh->allocator_active);
    mh->allocator_rss_bytes = (long long)mh->allocator_resident - (long long)mh->allocator_active;
    mh->rss_extra = ratio(mh->rss, mh->allocator_resident);
    mh->rss_extra_bytes = (long long)mh->rss - (long long)mh->allocator_resident;
    mh->total_frag = ratio(mh->rss, used);
    mh->total_frag_bytes = (long long)mh->rss - (long long)used;
    return mh;
}

void memoryFreeOverheadData(memoryOverhead *mh) {
    if (mh == NULL) return;
    zfree(mh->db);
    zfree(mh);
}
