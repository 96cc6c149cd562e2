/* memory_stats.h -- where the server's memory goes: the breakdown shared by
 * INFO memory, MEMORY STATS and MEMORY DOCTOR (memory_stats.c). */
#ifndef RINGKV_MEMORY_STATS_H
#define RINGKV_MEMORY_STATS_H

#include <stddef.h>

/* One database's share of the overhead (databases with keys only). */
typedef struct memoryDbOverhead {
    int dbid;
    size_t overhead_ht_main;    /* keys table: buckets + each entry's chain link */
    size_t overhead_ht_expires; /* volatile-keys index: buckets + its nodes */
} memoryDbOverhead;

/* A snapshot of the figures, taken by memoryGetOverheadData.  Ratios are
 * floats because Redis computes them in single precision and MEMORY STATS
 * prints them at that precision. */
typedef struct memoryOverhead {
    size_t peak_allocated;      /* used_memory_peak */
    size_t total_allocated;     /* used_memory */
    size_t startup_allocated;   /* used_memory right after start-up */
    size_t repl_backlog;        /* no replication: 0 */
    size_t clients_slaves;      /* no replicas: 0 */
    size_t clients_normal;      /* every connected client (normal and pub/sub) */
    size_t cluster_links;       /* no cluster: 0 */
    size_t aof_buffer;          /* no AOF: 0 */
    size_t lua_caches;          /* no scripting: 0 */
    size_t functions_caches;    /* no functions: 0 */
    size_t overhead_total;      /* startup + all of the above + per-db tables */
    size_t dataset;             /* total_allocated - overhead_total */
    size_t total_keys;
    size_t bytes_per_key;       /* (total - startup) / keys */
    float dataset_perc;         /* of (total - startup) */
    float peak_perc;            /* total / peak */
    size_t rss;                 /* process resident set */
    size_t allocator_allocated; /* jemalloc stats.allocated (libc: used_memory) */
    size_t allocator_active;    /* stats.active (libc: used_memory) */
    size_t allocator_resident;  /* stats.resident (libc: rss) */
    float allocator_frag;       /* active / allocated */
    long long allocator_frag_bytes;
    float allocator_rss;        /* resident / active */
    long long allocator_rss_bytes;
    float rss_extra;            /* rss / resident */
    long long rss_extra_bytes;
    float total_frag;           /* rss / used_memory */
    long long total_frag_bytes;
    int num_dbs;
    memoryDbOverhead *db;       /* num_dbs entries */
} memoryOverhead;

/* Records used_memory as the start-up baseline (used_memory_startup).
 * server.c calls it once initialization is done, before loading data. */
void memoryStatsMarkStartup(void);
size_t memoryStartupAllocated(void);

/* Measures everything now (and raises the recorded peak if needed).  Free
 * the result with memoryFreeOverheadData. */
memoryOverhead *memoryGetOverheadData(void);
void memoryFreeOverheadData(memoryOverhead *mh);

#endif
