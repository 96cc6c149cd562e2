/* info.c -- the INFO command.
 *
 * INFO is read by machines far more often than by people: client libraries
 * parse redis_version and role, sentinels and exporters scrape whole
 * sections.  So the text follows Redis 7.0 to the byte where ringkv has the
 * same concept: "# Title" header, one "field:value\r\n" line per field, a
 * blank line between sections, the same section names, field names and
 * number formats.  Every field Redis 7.0 prints is there, in Redis's order
 * within its section, because exporters and dashboards look fields up by
 * name and some parsers by position.  For machinery ringkv does not have
 * (forks, AOF, scripting, modules, active defrag, client tracking,
 * replication) the truthful value is a constant of the design, usually 0,
 * and that is what is reported; everything else is measured.  ringkv's own
 * fields (rdb_snapshot_io ...) come after the Redis fields they relate to.
 *
 * Each section is one generator function appending to an rstr; the table
 * infoSections lists them in output order with the groups ("default",
 * "all") they belong to.  A section that later issues extend (persistence
 * once snapshots exist) is a single function, marked as such below.
 *
 * Rates (instantaneous_ops_per_sec and the kbps figures) come from samples:
 * every 100 ms at most, the growth of a counter since the previous sample is
 * turned into a per-second rate, and the last 16 rates are averaged.  The
 * samples are taken by statsTrackInstantaneous(), which serverCron calls
 * and INFO calls too, so the figures exist even before the cron hook does. */
#include "info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "db.h"
#include "blocked.h"
#include "evict.h"
#include "latency.h"
#include "memory_stats.h"
#include "reply.h"
#include "server.h"
#include "pubsub.h"
#include "snapshot.h"
#include "util.h"
#include "zmalloc.h"

/* --- instantaneous metrics ---------------------------------------------- */

#define INFO_INST_SAMPLES 16
#define INFO_INST_PERIOD_MS 100

enum { INST_COMMANDS, INST_NET_INPUT, INST_NET_OUTPUT, INST_METRICS };

typedef struct instMetric {
    long long last_ms;      /* monotonic time of the previous sample, 0 = none */
    long long last_value;   /* counter value at the previous sample */
    long long samples[INFO_INST_SAMPLES]; /* per-second rates */
    int next;               /* slot the next rate goes to */
    int count;              /* slots filled so far (<= INFO_INST_SAMPLES) */
} instMetric;

static instMetric instMetrics[INST_METRICS];

static long long instCurrentValue(int metric) {
    switch (metric) {
    case INST_COMMANDS: return server.stat_numcommands;
    case INST_NET_INPUT: return server.stat_net_input_bytes;
    default: return server.stat_net_output_bytes;
    }
}

void statsTrackInstantaneous(void) {
    /* Monotonic time: a wall-clock jump must not produce a huge or negative
     * rate. */
    long long now = monotonicUs() / 1000;
    for (int m = 0; m < INST_METRICS; m++) {
        instMetric *im = &instMetrics[m];
        long long value = instCurrentValue(m);
        if (im->last_ms == 0 || value < im->last_value) {
            /* First sample, or the counter was reset (CONFIG RESETSTAT):
             * only a baseline. */
            im->last_ms = now;
            im->last_value = value;
            continue;
        }
        long long elapsed = now - im->last_ms;
        if (elapsed < INFO_INST_PERIOD_MS) continue;
        im->samples[im->next] = (value - im->last_value) * 1000 / elapsed;
        im->next = (im->next + 1) % INFO_INST_SAMPLES;
        if (im->count < INFO_INST_SAMPLES) im->count++;
        im->last_ms = now;
        im->last_value = value;
    }
}

void statsResetInstantaneous(void) {
    memset(instMetrics, 0, sizeof(instMetrics));
}

static long long instAverage(int metric) {
    const instMetric *im = &instMetrics[metric];
    if (im->count == 0) return 0;
    long long sum = 0;
    for (int j = 0; j < im->count; j++) sum += im->samples[j];
    return sum / im->count;
}

/* --- formatting helpers ------------------------------------------------- */

void infoBytesToHuman(char *buf, size_t len, unsigned long long n) {
    static const char units[] = "KMGTPE";
    if (n < 1024) {
        snprintf(buf, len, "%lluB", n);
        return;
    }
    double d = (double)n / 1024;
    int u = 0;
    while (d >= 1024 && units[u + 1]) {
        d /= 1024;
        u++;
    }
    snprintf(buf, len, "%.2f%c", d, units[u]);
}

static rstr catHumanField(rstr s, const char *field, unsigned long long bytes) {
    char hbuf[32];
    infoBytesToHuman(hbuf, sizeof(hbuf), bytes);
    return rstrCatPrintf(s, "%s:%s\r\n", field, hbuf);
}

/* A name taken from user data (an error code) must not break the
 * "field:value" or "a=1,b=2" syntax of the line it lands in. */
static rstr catSafeInfoName(rstr s, const char *name, size_t len) {
    size_t start = rstrLen(s);
    s = rstrCatLen(s, name, len);
    for (size_t j = start; j < rstrLen(s); j++) {
        char ch = s[j];
        if (ch == ':' || ch == ',' || ch == '\r' || ch == '\n' || ch == ' ') s[j] = '_';
    }
    return s;
}

/* process_supervised: the supervisor in use; an autodetection that found
 * none reads "no". */
static const char *supervisedName(int mode) {
    switch (mode) {
    case SUPERVISED_SYSTEMD: return "systemd";
    case SUPERVISED_UPSTART: return "upstart";
    default: return "no";
    }
}

/* The path of the running binary.  argv[0] is kept as given; when it is
 * relative, /proc/self/exe tells where the binary really is (the working
 * directory may have changed since start-up). */
static const char *executablePath(char *buf, size_t len) {
    if (server.executable == NULL) return "";
    if (server.executable[0] == '/') return server.executable;
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    if (n <= 0) return server.executable;
    buf[n] = '\0';
    return buf;
}

/* The replication id.  ringkv has no replication yet, but clients read
 * master_replid: it must exist and stay the same for the process lifetime. */
static const char *replicationId(void) {
    static char replid[41];
    if (replid[0] == '\0') {
        getRandomHexChars(replid, 40);
        replid[40] = '\0';
    }
    return replid;
}

/* redis_build_id: identifies the binary, as Redis's does (tools compare it
 * to tell whether two servers run the same build).  A hash of the version
 * and the compile time: stable for one binary, different for a rebuild. */
static unsigned long long buildId(void) {
    static const char text[] = "ringkv " RINGKV_OWN_VERSION " " __DATE__ " " __TIME__;
    unsigned long long h = 1469598103934665603ULL; /* FNV-1a */
    for (const char *p = text; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ULL;
    }
    return h;
}

/* --- sections ------------------------------------------------------------ */

static rstr infoServer(rstr s) {
    struct utsname name;
    if (uname(&name) != 0) memset(&name, 0, sizeof(name));
    char exebuf[4096];
    long long uptime = (long long)(server.unixtime - server.stat_starttime);
    if (uptime < 0) uptime = 0;
    s = rstrCatPrintf(s,
                      "redis_version:%s\r\n"
                      "redis_git_sha1:00000000\r\n"
                      "redis_git_dirty:0\r\n"
                      "redis_build_id:%llx\r\n"
                      "redis_mode:standalone\r\n"
                      "ringkv_version:%s\r\n"
                      "os:%s %s %s\r\n"
                      "arch_bits:%d\r\n"
                      "monotonic_clock:POSIX clock_gettime\r\n"
                      "multiplexing_api:%s\r\n"
                      "atomicvar_api:atomic-builtin\r\n",
                      RINGKV_VERSION, buildId(), RINGKV_OWN_VERSION, name.sysname, name.release, name.machine,
                      (int)(sizeof(long) * 8), serverGetEventBackend());
#ifdef __GNUC__
    s = rstrCatPrintf(s, "gcc_version:%d.%d.%d\r\n", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
    s = rstrCat(s, "gcc_version:0.0.0\r\n");
#endif
    s = rstrCatPrintf(s,
                      "process_id:%lld\r\n"
                      "process_supervised:%s\r\n"
                      "run_id:%s\r\n"
                      "tcp_port:%d\r\n"
                      "server_time_usec:%lld\r\n"
                      "uptime_in_seconds:%lld\r\n"
                      "uptime_in_days:%lld\r\n"
                      "hz:%d\r\n"
                      "configured_hz:%d\r\n"
                      "lru_clock:%u\r\n"
                      "executable:%s\r\n"
                      "config_file:%s\r\n"
                      "io_threads_active:0\r\n",
                      (long long)getpid(), supervisedName(server.supervised), server.runid,
                      server.port, ustime(), uptime, uptime / 86400, server.hz, server.config_hz,
                      getLRUClock(), executablePath(exebuf, sizeof(exebuf)),
                      server.configfile ? server.configfile : "");
    return s;
}

static rstr infoClients(rstr s) {
    unsigned long blocked = 0;
    size_t max_in = 0, max_out = 0;
    listIter li;
    listNode *ln;
    listRewind(server.clients, &li);
    while ((ln = listNext(&li))) {
        client *c = listNodeValue(ln);
        /* Clients held by CLIENT PAUSE count as blocked, as in Redis. */
        if (c->flags & (CLIENT_BLOCKED | CLIENT_PAUSED)) blocked++;
        size_t in = c->querybuf ? rstrAllocSize(c->querybuf) : 0;
        if (in > max_in) max_in = in;
        size_t out = c->bufpos + (size_t)c->reply_bytes;
        if (out > max_out) max_out = out;
    }
    s = rstrCatPrintf(s,
                      "connected_clients:%lu\r\n"
                      "cluster_connections:0\r\n"
                      "maxclients:%u\r\n"
                      "client_recent_max_input_buffer:%zu\r\n"
                      "client_recent_max_output_buffer:%zu\r\n"
                      "blocked_clients:%lu\r\n"
                      "tracking_clients:0\r\n"
                      "clients_in_timeout_table:%lu\r\n",
                      listLength(server.clients), server.maxclients, max_in, max_out, blocked,
                      blockedClientsWithTimeoutCount());
    return s;
}

/* Field for field as Redis 7.0 prints them.  The breakdown (overhead,
 * startup, dataset, fragmentation at each level) is memory_stats.c's, the
 * same MEMORY STATS shows.  Scripting, functions and active defrag do not
 * exist in ringkv: their memory and counters are truthfully 0. */
static rstr infoMemory(rstr s) {
    memoryOverhead *mh = memoryGetOverheadData();
    long pages = sysconf(_SC_PHYS_PAGES), pagesize = sysconf(_SC_PAGESIZE);
    unsigned long long sysmem =
        pages > 0 && pagesize > 0 ? (unsigned long long)pages * (unsigned long long)pagesize : 0;

    s = rstrCatPrintf(s, "used_memory:%zu\r\n", mh->total_allocated);
    s = catHumanField(s, "used_memory_human", mh->total_allocated);
    s = rstrCatPrintf(s, "used_memory_rss:%zu\r\n", mh->rss);
    s = catHumanField(s, "used_memory_rss_human", mh->rss);
    s = rstrCatPrintf(s, "used_memory_peak:%zu\r\n", mh->peak_allocated);
    s = catHumanField(s, "used_memory_peak_human", mh->peak_allocated);
    s = rstrCatPrintf(s,
                      "used_memory_peak_perc:%.2f%%\r\n"
                      "used_memory_overhead:%zu\r\n"
                      "used_memory_startup:%zu\r\n"
                      "used_memory_dataset:%zu\r\n"
                      "used_memory_dataset_perc:%.2f%%\r\n"
                      "allocator_allocated:%zu\r\n"
                      "allocator_active:%zu\r\n"
                      "allocator_resident:%zu\r\n"
                      "total_system_memory:%llu\r\n",
                      (double)mh->peak_perc, mh->overhead_total, mh->startup_allocated, mh->dataset,
                      (double)mh->dataset_perc, mh->allocator_allocated, mh->allocator_active,
                      mh->allocator_resident, sysmem);
    s = catHumanField(s, "total_system_memory_human", sysmem);
    s = rstrCat(s,
                "used_memory_lua:0\r\n"
                "used_memory_vm_eval:0\r\n"
                "used_memory_lua_human:0B\r\n"
                "used_memory_scripts_eval:0\r\n"
                "number_of_cached_scripts:0\r\n"
                "number_of_functions:0\r\n"
                "number_of_libraries:0\r\n"
                "used_memory_vm_functions:0\r\n"
                "used_memory_vm_total:0\r\n"
                "used_memory_vm_total_human:0B\r\n"
                "used_memory_functions:0\r\n"
                "used_memory_scripts:0\r\n"
                "used_memory_scripts_human:0B\r\n");
    s = rstrCatPrintf(s, "maxmemory:%llu\r\n", server.maxmemory);
    s = catHumanField(s, "maxmemory_human", server.maxmemory);
    s = rstrCatPrintf(
        s,
        "maxmemory_policy:%s\r\n"
        "allocator_frag_ratio:%.2f\r\n"
        "allocator_frag_bytes:%lld\r\n"
        "allocator_rss_ratio:%.2f\r\n"
        "allocator_rss_bytes:%lld\r\n"
        "rss_overhead_ratio:%.2f\r\n"
        "rss_overhead_bytes:%lld\r\n"
        "mem_fragmentation_ratio:%.2f\r\n"
        "mem_fragmentation_bytes:%lld\r\n"
        "mem_not_counted_for_evict:%zu\r\n"
        "mem_replication_backlog:%zu\r\n"
        "mem_total_replication_buffers:0\r\n"
        "mem_clients_slaves:%zu\r\n"
        "mem_clients_normal:%zu\r\n"
        "mem_cluster_links:%zu\r\n"
        "mem_aof_buffer:%zu\r\n"
        "mem_allocator:%s\r\n"
        "active_defrag_running:0\r\n"
        "lazyfree_pending_objects:%zu\r\n"
        "lazyfreed_objects:%zu\r\n",
        configMaxmemoryPolicyName(server.maxmemory_policy), (double)mh->allocator_frag,
        mh->allocator_frag_bytes, (double)mh->allocator_rss, mh->allocator_rss_bytes,
        (double)mh->rss_extra, mh->rss_extra_bytes, (double)mh->total_frag, mh->total_frag_bytes,
        evictNotCountedMemory(), mh->repl_backlog, mh->clients_slaves, mh->clients_normal,
        mh->cluster_links, mh->aof_buffer, zmallocLibName(), lazyfreeGetPendingObjectsCount(),
        lazyfreeGetFreedObjectsCount());
    memoryFreeOverheadData(mh);
    return s;
}

/* ---- Persistence: the snapshot issue extends this function. -------------
 * Everything INFO says about saving and loading is here, so that when
 * snapshots (and later an append-only file) exist, their in-progress flags,
 * timings and statuses are added in this one place. */
static rstr infoPersistence(rstr s) {
    snapshotInfo si;
    snapshotGetInfo(&si);
    /* Snapshots are fork-less, so the copy-on-write and fork fields are 0;
     * the progress of the save in progress is real (keys written so far out
     * of the keys there were when it started), 0 when idle as in Redis. */
    long long save_done = si.in_progress ? si.keys_written : 0;
    long long save_total = si.in_progress ? si.keys_total : 0;
    double save_perc = save_total ? 100.0 * (double)save_done / (double)save_total : 0;
    if (save_perc > 100) save_perc = 100;
    s = rstrCatPrintf(s,
                      "loading:%d\r\n"
                      "async_loading:0\r\n"
                      "current_cow_peak:0\r\n"
                      "current_cow_size:0\r\n"
                      "current_cow_size_age:0\r\n"
                      "current_fork_perc:%.2f\r\n"
                      "current_save_keys_processed:%lld\r\n"
                      "current_save_keys_total:%lld\r\n"
                      "rdb_changes_since_last_save:%lld\r\n"
                      "rdb_bgsave_in_progress:%d\r\n"
                      "rdb_last_save_time:%lld\r\n"
                      "rdb_last_bgsave_status:%s\r\n"
                      "rdb_last_bgsave_time_sec:%lld\r\n"
                      "rdb_current_bgsave_time_sec:%lld\r\n"
                      "rdb_saves:%lld\r\n"
                      "rdb_last_cow_size:0\r\n"
                      "rdb_last_load_keys_expired:%lld\r\n"
                      "rdb_last_load_keys_loaded:%lld\r\n"
                      "rdb_snapshot_io:%s\r\n"
                      "rdb_snapshot_io_fallback:%s\r\n"
                      "rdb_current_keys_written:%lld\r\n"
                      "rdb_current_keys_written_early:%lld\r\n"
                      "rdb_current_overflow_buffers:%zu\r\n"
                      /* issue 4: big values written in pieces (snapshot.c) */
                      "rdb_current_keys_in_pieces:%lld\r\n"
                      "rdb_current_keys_in_pieces_finished_early:%lld\r\n"
                      "rdb_current_held_bytes_peak:%zu\r\n"
                      "rdb_current_values_adopted:%lld\r\n"
                      "aof_enabled:0\r\n"
                      "aof_rewrite_in_progress:0\r\n"
                      "aof_rewrite_scheduled:0\r\n"
                      "aof_last_rewrite_time_sec:-1\r\n"
                      "aof_current_rewrite_time_sec:-1\r\n"
                      "aof_last_bgrewrite_status:ok\r\n"
                      "aof_rewrites:0\r\n"
                      "aof_rewrites_consecutive_failures:0\r\n"
                      "aof_last_write_status:ok\r\n"
                      "aof_last_cow_size:0\r\n"
                      "module_fork_in_progress:0\r\n"
                      "module_fork_last_cow_size:0\r\n",
                      server.loading ? 1 : 0, save_perc, save_done, save_total, server.dirty, si.in_progress, (long long)server.lastsave,
                      server.lastbgsave_status == C_OK ? "ok" : "err", si.last_time_sec, si.current_time_sec,
                      si.saves, si.last_load_keys_expired, si.last_load_keys_loaded, si.engine, si.fallback_reason[0] ? si.fallback_reason : "none",
                      si.keys_written, si.hook_keys, si.overflow_buffers, si.keys_in_pieces,
                      si.pieces_finished_early, si.held_peak, si.values_adopted);
    if (server.loading) {
        double perc = si.loading_total_bytes ? 100.0 * (double)si.loading_loaded_bytes / (double)si.loading_total_bytes : 0;
        long long eta = si.loading_loaded_bytes
                            ? (long long)((double)si.loading_elapsed_us / 1e6 *
                                          (double)(si.loading_total_bytes - si.loading_loaded_bytes) /
                                          (double)si.loading_loaded_bytes)
                            : 1;
        s = rstrCatPrintf(s,
                          "loading_start_time:%lld\r\n"
                          "loading_total_bytes:%zu\r\n"
                          "loading_rdb_used_mem:0\r\n"
                          "loading_loaded_bytes:%zu\r\n"
                          "loading_loaded_perc:%.2f\r\n"
                          "loading_eta_seconds:%lld\r\n",
                          (long long)si.loading_start_time, si.loading_total_bytes, si.loading_loaded_bytes,
                          perc, eta);
    }
    return s;
}

static rstr infoStats(rstr s) {
    statsTrackInstantaneous();
    long long evict_total_ms, evict_current_ms;
    evictGetExceededTime(&evict_total_ms, &evict_current_ms);
    /* No forks, no active defrag, no client-side caching, no MIGRATE socket
     * cache and no replicas in ringkv: those counters are 0.  The reply
     * buffer has a fixed size, so it is never shrunk or expanded. */
    s = rstrCatPrintf(s,
                      "total_connections_received:%lld\r\n"
                      "total_commands_processed:%lld\r\n"
                      "instantaneous_ops_per_sec:%lld\r\n"
                      "total_net_input_bytes:%lld\r\n"
                      "total_net_output_bytes:%lld\r\n"
                      "total_net_repl_input_bytes:0\r\n"
                      "total_net_repl_output_bytes:0\r\n"
                      "instantaneous_input_kbps:%.2f\r\n"
                      "instantaneous_output_kbps:%.2f\r\n"
                      "instantaneous_input_repl_kbps:0.00\r\n"
                      "instantaneous_output_repl_kbps:0.00\r\n"
                      "rejected_connections:%lld\r\n"
                      "sync_full:0\r\n"
                      "sync_partial_ok:0\r\n"
                      "sync_partial_err:0\r\n"
                      "expired_keys:%lld\r\n"
                      "expired_stale_perc:%.2f\r\n"
                      "expired_time_cap_reached_count:%lld\r\n"
                      "expire_cycle_cpu_milliseconds:%lld\r\n"
                      "evicted_keys:%lld\r\n"
                      "evicted_clients:0\r\n"
                      "total_eviction_exceeded_time:%lld\r\n"
                      "current_eviction_exceeded_time:%lld\r\n"
                      "keyspace_hits:%lld\r\n"
                      "keyspace_misses:%lld\r\n"
                      "pubsub_channels:%lld\r\n"
                      "pubsub_patterns:%lld\r\n"
                      "pubsubshard_channels:%lld\r\n"
                      "latest_fork_usec:0\r\n"
                      "total_forks:0\r\n"
                      "migrate_cached_sockets:0\r\n"
                      "slave_expires_tracked_keys:0\r\n"
                      "active_defrag_hits:0\r\n"
                      "active_defrag_misses:0\r\n"
                      "active_defrag_key_hits:0\r\n"
                      "active_defrag_key_misses:0\r\n"
                      "total_active_defrag_time:0\r\n"
                      "current_active_defrag_time:0\r\n"
                      "tracking_total_keys:0\r\n"
                      "tracking_total_items:0\r\n"
                      "tracking_total_prefixes:0\r\n"
                      "unexpected_error_replies:%lld\r\n"
                      "total_error_replies:%lld\r\n"
                      "dump_payload_sanitizations:%lld\r\n"
                      "total_reads_processed:%lld\r\n"
                      "total_writes_processed:%lld\r\n"
                      "io_threaded_reads_processed:0\r\n"
                      "io_threaded_writes_processed:0\r\n"
                      "reply_buffer_shrinks:0\r\n"
                      "reply_buffer_expands:0\r\n"
                      "busy_poll_hits:%lld\r\n",
                      server.stat_numconnections, server.stat_numcommands,
                      instAverage(INST_COMMANDS), server.stat_net_input_bytes,
                      server.stat_net_output_bytes, (double)instAverage(INST_NET_INPUT) / 1024,
                      (double)instAverage(INST_NET_OUTPUT) / 1024, server.stat_rejected_conn,
                      server.stat_expiredkeys, server.stat_expired_stale_perc * 100,
                      server.stat_expired_time_cap_reached_count,
                      server.stat_expire_cycle_time_used / 1000, server.stat_evictedkeys,
                      evict_total_ms, evict_current_ms, server.stat_keyspace_hits, server.stat_keyspace_misses,
                      (long long)pubsubChannelCount(), (long long)pubsubPatternCount(),
                      (long long)pubsubShardChannelCount(), server.stat_unexpected_error_replies, server.stat_total_error_replies,
                      server.stat_dump_payload_sanitizations, server.stat_total_reads_processed, server.stat_total_writes_processed,
                      server.el ? aeBusyPollHits(server.el) : 0LL);
    return s;
}

static rstr infoReplication(rstr s) {
    s = rstrCatPrintf(s,
                      "role:master\r\n"
                      "connected_slaves:0\r\n"
                      "master_failover_state:no-failover\r\n"
                      "master_replid:%s\r\n"
                      "master_replid2:0000000000000000000000000000000000000000\r\n"
                      "master_repl_offset:0\r\n"
                      "second_repl_offset:-1\r\n"
                      "repl_backlog_active:0\r\n"
                      "repl_backlog_size:0\r\n"
                      "repl_backlog_first_byte_offset:0\r\n"
                      "repl_backlog_histlen:0\r\n",
                      replicationId());
    return s;
}

static rstr catRusage(rstr s, const char *prefix, const char *suffix, int who) {
    struct rusage ru;
    if (getrusage(who, &ru) != 0) memset(&ru, 0, sizeof(ru));
    return rstrCatPrintf(s, "%ssys%s:%ld.%06ld\r\n%suser%s:%ld.%06ld\r\n", prefix, suffix,
                         (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec, prefix, suffix,
                         (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec);
}

static rstr infoCpu(rstr s) {
    s = catRusage(s, "used_cpu_", "", RUSAGE_SELF);
    s = catRusage(s, "used_cpu_", "_children", RUSAGE_CHILDREN);
    /* INFO runs on the main thread, so this thread's usage is the main
     * thread's, apart from the lazy-free thread's work. */
    s = catRusage(s, "used_cpu_", "_main_thread", RUSAGE_THREAD);
    return s;
}

static rstr infoModules(rstr s) {
    /* No modules: the header alone, as Redis prints it with none loaded. */
    return s;
}

/* Commandstats lists the commands that were called, failed or rejected,
 * sorted by name so that two INFO outputs can be compared line by line. */
typedef struct cmdList {
    redisCommand **cmds;
    size_t len, cap;
} cmdList;

static void collectCalledCommand(redisCommand *cmd, void *privdata) {
    cmdList *l = privdata;
    if (!cmd->calls && !cmd->failed_calls && !cmd->rejected_calls) return;
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->cmds = zrealloc(l->cmds, l->cap * sizeof(*l->cmds));
    }
    l->cmds[l->len++] = cmd;
}

static int compareCommandNames(const void *a, const void *b) {
    const redisCommand *ca = *(redisCommand *const *)a, *cb = *(redisCommand *const *)b;
    return strcmp(ca->fullname, cb->fullname);
}

static rstr infoCommandstats(rstr s) {
    cmdList l = {NULL, 0, 0};
    commandForEach(collectCalledCommand, &l, 1);
    if (l.len) qsort(l.cmds, l.len, sizeof(*l.cmds), compareCommandNames);
    for (size_t j = 0; j < l.len; j++) {
        redisCommand *cmd = l.cmds[j];
        s = rstrCat(s, "cmdstat_");
        s = catSafeInfoName(s, cmd->fullname, strlen(cmd->fullname));
        s = rstrCatPrintf(s, ":calls=%lld,usec=%lld,usec_per_call=%.2f,rejected_calls=%lld,failed_calls=%lld\r\n",
                          cmd->calls, cmd->microseconds,
                          cmd->calls ? (double)cmd->microseconds / (double)cmd->calls : 0.0,
                          cmd->rejected_calls, cmd->failed_calls);
    }
    zfree(l.cmds);
    return s;
}

/* The layout of server.errors' entries, written by reply.c. */
typedef struct infoErrorEntry {
    void *next;
    long long count;
    size_t len;
    char name[];
} infoErrorEntry;

static int compareErrorNames(const void *a, const void *b) {
    const infoErrorEntry *ea = *(infoErrorEntry *const *)a, *eb = *(infoErrorEntry *const *)b;
    size_t n = ea->len < eb->len ? ea->len : eb->len;
    int cmp = memcmp(ea->name, eb->name, n);
    if (cmp) return cmp;
    return ea->len < eb->len ? -1 : ea->len > eb->len;
}

static rstr infoErrorstats(rstr s) {
    if (server.errors == NULL || htabSize(server.errors) == 0) return s;
    size_t n = htabSize(server.errors), k = 0;
    infoErrorEntry **entries = zmalloc(n * sizeof(*entries));
    htabIterator it;
    htabIterInit(&it, server.errors);
    infoErrorEntry *e;
    while ((e = htabIterNext(&it)) && k < n) entries[k++] = e;
    htabIterRelease(&it);
    qsort(entries, k, sizeof(*entries), compareErrorNames);
    for (size_t j = 0; j < k; j++) {
        s = rstrCat(s, "errorstat_");
        s = catSafeInfoName(s, entries[j]->name, entries[j]->len);
        s = rstrCatPrintf(s, ":count=%lld\r\n", entries[j]->count);
    }
    zfree(entries);
    return s;
}

static rstr infoCluster(rstr s) {
    return rstrCat(s, "cluster_enabled:0\r\n");
}

static rstr infoKeyspace(rstr s) {
    for (int j = 0; j < server.dbnum; j++) {
        redisDb *db = dbGet(j);
        long long keys = dbSize(db), expires = dbExpiresCount(db);
        if (keys == 0 && expires == 0) continue;
        s = rstrCatPrintf(s, "db%d:keys=%lld,expires=%lld,avg_ttl=%lld\r\n", j, keys, expires,
                          db->avg_ttl);
    }
    return s;
}

/* --- section selection --------------------------------------------------- */

#define INFO_IN_DEFAULT (1 << 0)
#define INFO_IN_ALL (1 << 1)

static const struct infoSection {
    const char *name;  /* as given to INFO, lower case */
    const char *title; /* header line text after "# " */
    rstr (*gen)(rstr s);
    int groups;        /* INFO_IN_* */
} infoSections[] = {
    {"server", "Server", infoServer, INFO_IN_DEFAULT | INFO_IN_ALL},
    {"clients", "Clients", infoClients, INFO_IN_DEFAULT | INFO_IN_ALL},
    {"memory", "Memory", infoMemory, INFO_IN_DEFAULT | INFO_IN_ALL},
    {"persistence", "Persistence", infoPersistence, INFO_IN_DEFAULT | INFO_IN_ALL},
    {"stats", "Stats", infoStats, INFO_IN_DEFAULT | INFO_IN_ALL},
    {"replication", "Replication", infoReplication, INFO_IN_DEFAULT | INFO_IN_ALL},
    {"cpu", "CPU", infoCpu, INFO_IN_DEFAULT | INFO_IN_ALL},
    {"modules", "Modules", infoModules, INFO_IN_DEFAULT | INFO_IN_ALL},
    {"commandstats", "Commandstats", infoCommandstats, INFO_IN_ALL},
    {"errorstats", "Errorstats", infoErrorstats, INFO_IN_DEFAULT | INFO_IN_ALL},
    {"latencystats", "Latencystats", latencyInfoStats, INFO_IN_ALL}, /* latency.c */
    {"cluster", "Cluster", infoCluster, INFO_IN_DEFAULT | INFO_IN_ALL},
    {"keyspace", "Keyspace", infoKeyspace, INFO_IN_DEFAULT | INFO_IN_ALL},
};

#define INFO_NUM_SECTIONS ((int)(sizeof(infoSections) / sizeof(infoSections[0])))

static void selectGroup(char *selected, int group) {
    for (int j = 0; j < INFO_NUM_SECTIONS; j++)
        if (infoSections[j].groups & group) selected[j] = 1;
}

rstr infoGenerate(robj **argv, int argc) {
    char selected[INFO_NUM_SECTIONS];
    memset(selected, 0, sizeof(selected));
    if (argc == 0) selectGroup(selected, INFO_IN_DEFAULT);
    for (int i = 0; i < argc; i++) {
        const char *name = argv[i]->ptr;
        if (!strcasecmp(name, "default")) {
            selectGroup(selected, INFO_IN_DEFAULT);
        } else if (!strcasecmp(name, "all") || !strcasecmp(name, "everything")) {
            /* Without modules, "everything" has nothing more than "all". */
            selectGroup(selected, INFO_IN_ALL);
        } else {
            for (int j = 0; j < INFO_NUM_SECTIONS; j++)
                if (!strcasecmp(name, infoSections[j].name)) selected[j] = 1;
        }
    }
    rstr s = rstrEmpty();
    int emitted = 0;
    for (int j = 0; j < INFO_NUM_SECTIONS; j++) {
        if (!selected[j]) continue;
        if (emitted++) s = rstrCat(s, "\r\n");
        s = rstrCatPrintf(s, "# %s\r\n", infoSections[j].title);
        s = infoSections[j].gen(s);
    }
    return s;
}

void infoCommand(client *c) {
    rstr s = infoGenerate(c->argv + 1, c->argc - 1);
    /* RESP3 clients get a verbatim string, so a terminal can show it as
     * text; RESP2 clients a bulk string. */
    addReplyVerbatim(c, s, rstrLen(s), "txt");
    rstrFree(s);
}
