/* server.c -- process start-up, the periodic cron, the loop hooks, shutdown.
 *
 * main() loads the configuration, opens the listening sockets, builds the
 * databases and the command table, and runs the event loop.  Two hooks give
 * the loop its rhythm:
 *   - serverCron, a timer firing `hz` times a second: client timeouts, the
 *     slow active-expire cycle, incremental rehashing, statistics, shutdown
 *     requested by a signal;
 *   - beforeSleep, run before every wait for events: the fast expire cycle,
 *     commands held by CLIENT PAUSE that may now run, and the write-out of
 *     every reply produced in this iteration (one write per client).
 * Everything else happens in handlers of file events (networking.c). */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "acl.h"
#include "anet.h"
#include "blocked.h"
#include "client.h"
#include "commands.h"
#include "config.h"
#include "db.h"
#include "evict.h"
#include "info.h"
#include "memory_stats.h"
#include "monitor.h"
#include "multi.h"
#include "pubsub.h"
#include "rdb.h"
#include "reply.h"
#include "slowlog.h"
#include "snapshot.h"
#include "t_hash.h"
#include "t_list.h"
#include "t_set.h"
#include "t_zset.h"
#include "util.h"
#include "zmalloc.h"

#define CONFIG_MIN_RESERVED_FDS 32

struct ringkvServer server;

/* --- clock ------------------------------------------------------------ */

unsigned int getLRUClock(void) {
    return (unsigned int)((server.mstime / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX);
}

void updateCachedTime(void) {
    long long us = ustime();
    server.ustime = us;
    server.mstime = us / 1000;
    server.unixtime = (time_t)(us / 1000000);
    server.cmd_time_snapshot = server.mstime;
    server.lruclock = getLRUClock();
}

/* --- statistics ------------------------------------------------------- */

static const void *errorEntryKey(const void *entry, size_t *len) {
    struct {
        void *next;
        long long count;
        size_t len;
        char name[];
    } const *e = entry;
    *len = e->len;
    return e->name;
}

static void errorEntryFree(void *e) {
    zfree(e);
}

static const htabType errorTableType = {.entryKey = errorEntryKey, .entryDestructor = errorEntryFree};

void resetServerStats(void) {
    server.stat_numcommands = 0;
    server.stat_numconnections = 0;
    server.stat_rejected_conn = 0;
    server.stat_expiredkeys = 0;
    server.stat_expired_stale_perc = 0;
    server.stat_expired_time_cap_reached_count = 0;
    server.stat_expire_cycle_time_used = 0;
    server.stat_evictedkeys = 0;
    server.stat_keyspace_hits = 0;
    server.stat_keyspace_misses = 0;
    server.stat_net_input_bytes = 0;
    server.stat_net_output_bytes = 0;
    server.stat_total_error_replies = 0;
    server.stat_unexpected_error_replies = 0;
    server.stat_client_qbuf_limit_disconnections = 0;
    server.stat_client_outbuf_limit_disconnections = 0;
    server.stat_total_reads_processed = 0;
    server.stat_total_writes_processed = 0;
    server.stat_peak_memory = 0;
    server.stat_dump_payload_sanitizations = 0;
    evictResetExceededTime(); /* INFO total_eviction_exceeded_time */
    resetErrorTableStats();
    resetCommandTableStats();
    statsResetInstantaneous();
}

/* --- cron ------------------------------------------------------------- */

static void databasesCron(void) {
    if (server.active_expire_enabled) activeExpireCycle(ACTIVE_EXPIRE_CYCLE_SLOW);
    /* Finish incremental rehashes of idle tables: a millisecond per call at
     * most, so a table that grew once does not keep two bucket arrays.
     * activerehashing no leaves rehashing to the table operations alone
     * (no 1 ms pauses, more memory held for longer). */
    for (int j = 0; j < server.dbnum; j++) {
        redisDb *db = dbGet(j);
        htabResizeIfNeeded(db->keys);
        htabResizeIfNeeded(db->expires);
        if (!serverCfg.active_rehashing) continue;
        if (htabIsRehashing(db->keys)) {
            htabRehashMicroseconds(db->keys, 1000);
            break;
        }
        if (htabIsRehashing(db->expires)) {
            htabRehashMicroseconds(db->expires, 1000);
            break;
        }
    }
}

static long long serverCron(aeEventLoop *el, long long id, void *clientData) {
    (void)el;
    (void)id;
    (void)clientData;
    updateCachedTime();
    /* Adapt hz to the number of clients, so that per-client cron work per
     * tick stays small with many connections (dynamic-hz). */
    server.hz = server.config_hz;
    if (server.dynamic_hz) {
        while (listLength(server.clients) / (unsigned long)server.hz > 200) {
            server.hz *= 2;
            if (server.hz > CONFIG_MAX_HZ) {
                server.hz = CONFIG_MAX_HZ;
                break;
            }
        }
    }
    size_t used = zmallocUsedMemory();
    if (used > server.stat_peak_memory) server.stat_peak_memory = used;
    if (server.shutdown_asap) {
        if (prepareForShutdown(server.shutdown_flags) == C_OK) exit(0);
        serverLog(LL_WARNING, "SIGTERM received but errors trying to shut down the server, check the logs for more information");
        server.shutdown_asap = 0;
    }
    statsTrackInstantaneous();
    clientsCron();
    databasesCron();
    snapshotCron();
    freeClientsInAsyncFreeQueue();
    checkClientPauseTimeoutAndReturnIfPaused();
    server.cronloops++;
    return 1000 / server.hz;
}

static void beforeSleep(aeEventLoop *el) {
    (void)el;
    if (!checkClientPauseTimeoutAndReturnIfPaused()) processPendingInputOfUnpausedClients();
    if (server.active_expire_enabled) activeExpireCycle(ACTIVE_EXPIRE_CYCLE_FAST);
    blockedBeforeSleep(); /* ready keys, then pipelines of unblocked clients */
    handleClientsWithPendingWrites();
    freeClientsInAsyncFreeQueue();
}

static void afterSleep(aeEventLoop *el) {
    (void)el;
    updateCachedTime();
}

/* --- shutdown --------------------------------------------------------- */

static void removePidFile(void) {
    if (server.pidfile && server.pidfile[0]) {
        serverLog(LL_NOTICE, "Removing the pid file.");
        unlink(server.pidfile);
    }
}

int prepareForShutdown(int flags) {
    serverLog(LL_WARNING, "User requested shutdown...");
    /* A background save describes an earlier moment: drop it, and save the
     * current data instead when asked (SAVE) or configured (save points),
     * unless NOSAVE. */
    if (snapshotInProgress()) snapshotAbort("shutdown");
    if (!(flags & SHUTDOWN_NOSAVE) && ((flags & SHUTDOWN_SAVE) || server.saveparamslen > 0)) {
        serverLog(LL_NOTICE, "Saving the final RDB snapshot before exiting.");
        if (snapshotSaveBlocking() != 0) {
            if (!(flags & SHUTDOWN_FORCE)) {
                serverLog(LL_WARNING, "Error trying to save the DB, can't exit.");
                return C_ERR;
            }
            serverLog(LL_WARNING, "Error trying to save the DB, exiting anyway (FORCE).");
        } else {
            serverLog(LL_NOTICE, "DB saved on disk");
        }
    }
    removePidFile();
    if (server.unixsocket && server.sofd > 0) {
        serverLog(LL_NOTICE, "Removing the unix socket file.");
        unlink(server.unixsocket);
    }
    for (int j = 0; j < server.ipfd_count; j++) close(server.ipfd[j]);
    if (server.sofd > 0) close(server.sofd);
    serverLog(LL_WARNING, "%s is now ready to exit, bye bye...", "ringkv");
    return C_OK;
}

static void sigShutdownHandler(int sig) {
    const char *msg;
    switch (sig) {
    case SIGINT: msg = "Received SIGINT scheduling shutdown..."; break;
    case SIGTERM: msg = "Received SIGTERM scheduling shutdown..."; break;
    default: msg = "Received shutdown signal, scheduling shutdown...";
    }
    /* A second SIGINT while shutting down means "now": the user insists. */
    if (server.shutdown_asap && sig == SIGINT) {
        serverLogFromSignalHandler(LL_WARNING, "You insist... exiting now.");
        removePidFile();
        _exit(1);
    }
    serverLogFromSignalHandler(LL_WARNING, msg);
    server.shutdown_asap = 1;
    server.shutdown_flags = SHUTDOWN_NOFLAGS;
}

static void setupSignalHandlers(void) {
    struct sigaction act;
    sigemptyset(&act.sa_mask);
    act.sa_flags = 0;
    act.sa_handler = sigShutdownHandler;
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    /* Past a file size limit (ulimit -f) a snapshot write must fail with
     * EFBIG and be reported, not kill the server. */
    signal(SIGXFSZ, SIG_IGN);
}

/* --- start-up --------------------------------------------------------- */

const char *serverGetEventBackend(void) {
    return server.el ? aeGetApiName(server.el) : aeDefaultBackend();
}

/* Raises RLIMIT_NOFILE for maxclients, or lowers maxclients to what the
 * limit allows, saying so in the log (Redis behaves the same way). */
static void adjustOpenFilesLimit(void) {
    rlim_t maxfiles = server.maxclients + CONFIG_MIN_RESERVED_FDS;
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == -1) {
        serverLog(LL_WARNING, "Unable to obtain the current NOFILE limit (%s), assuming 1024 and setting the max clients configuration accordingly.",
                  strerror(errno));
        server.maxclients = 1024 - CONFIG_MIN_RESERVED_FDS;
        return;
    }
    rlim_t oldlimit = limit.rlim_cur;
    if (oldlimit >= maxfiles) return;
    rlim_t bestlimit = maxfiles;
    int setrlimit_error = 0;
    while (bestlimit > oldlimit) {
        limit.rlim_cur = bestlimit;
        limit.rlim_max = bestlimit > limit.rlim_max ? bestlimit : limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &limit) != -1) break;
        setrlimit_error = errno;
        /* Try the hard limit, then step down. */
        struct rlimit cur;
        getrlimit(RLIMIT_NOFILE, &cur);
        if (bestlimit > cur.rlim_max && cur.rlim_max > oldlimit) {
            bestlimit = cur.rlim_max;
            limit.rlim_max = cur.rlim_max;
            continue;
        }
        if (bestlimit < 16) break;
        bestlimit -= 16;
    }
    if (bestlimit < oldlimit) bestlimit = oldlimit;
    if (bestlimit < maxfiles) {
        unsigned int old_maxclients = server.maxclients;
        server.maxclients = (unsigned int)(bestlimit - CONFIG_MIN_RESERVED_FDS);
        if (bestlimit <= CONFIG_MIN_RESERVED_FDS) {
            serverLog(LL_WARNING, "Your current 'ulimit -n' of %llu is not enough for the server to start. Please increase your open file limit to at least %llu. Exiting.",
                      (unsigned long long)oldlimit, (unsigned long long)maxfiles);
            exit(1);
        }
        serverLog(LL_WARNING, "You requested maxclients of %u requiring at least %llu max file descriptors.",
                  old_maxclients, (unsigned long long)maxfiles);
        serverLog(LL_WARNING, "Server can't set maximum open files to %llu because of OS error: %s.",
                  (unsigned long long)maxfiles, strerror(setrlimit_error));
        serverLog(LL_WARNING, "Current maximum open files is %llu. maxclients has been reduced to %u to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
                  (unsigned long long)bestlimit, server.maxclients);
    } else {
        serverLog(LL_NOTICE, "Increased maximum number of open files to %llu (it was originally set to %llu).",
                  (unsigned long long)maxfiles, (unsigned long long)oldlimit);
    }
}

/* The select backend cannot watch fds >= FD_SETSIZE: cap maxclients so the
 * loop never sees one, and say so. */
static void capMaxclientsForBackend(const char *backend) {
    int maxset = aeBackendMaxSetSize(backend);
    long long room = (long long)maxset - CONFIG_FDSET_INCR;
    if (room < 1) room = 1;
    if ((long long)server.maxclients > room) {
        serverLog(LL_WARNING, "The '%s' event backend can watch at most %d file descriptors: maxclients lowered from %u to %lld.",
                  backend, maxset, server.maxclients, room);
        server.maxclients = (unsigned int)room;
    }
}

int serverApplyMaxclients(void) {
    if (!server.el) return C_OK;
    capMaxclientsForBackend(aeGetApiName(server.el));
    adjustOpenFilesLimit();
    int setsize = (int)server.maxclients + CONFIG_FDSET_INCR;
    if (aeGetSetSize(server.el) != setsize && aeResizeSetSize(server.el, setsize) == AE_ERR) return C_ERR;
    return C_OK;
}

/* Opens a listening socket for every bind address into fds/count.  Optional
 * addresses ("-::1") that the host lacks are skipped.  On failure closes what
 * it opened and returns C_ERR. */
static int openListeners(int port, int *fds, int *count) {
    char err[ANET_ERR_LEN];
    *count = 0;
    if (port == 0) return C_OK;
    for (int j = 0; j < server.bindaddr_count; j++) {
        const char *addr;
        int optional = anetBindAddrIsOptional(server.bindaddr[j], &addr);
        int fd = anetTcpServer(err, port, addr, server.tcp_backlog);
        if (fd == ANET_ERR) {
            int e = errno;
            if (optional && (e == EADDRNOTAVAIL || e == EAFNOSUPPORT || e == EPROTONOSUPPORT ||
                             e == ESOCKTNOSUPPORT || e == EADDRINUSE)) {
                serverLog(LL_NOTICE, "Skipping optional bind address %s: %s", addr, err);
                continue;
            }
            serverLog(LL_WARNING, "Warning: Could not create server TCP listening socket %s:%d: %s",
                      addr, port, err);
            for (int k = 0; k < *count; k++) close(fds[k]);
            *count = 0;
            errno = e;
            return C_ERR;
        }
        anetNonBlock(NULL, fd);
        anetCloexec(fd);
        fds[(*count)++] = fd;
    }
    return C_OK;
}

static int listenToPort(void) {
    if (openListeners(server.port, server.ipfd, &server.ipfd_count) == C_ERR) {
        if (errno == EADDRINUSE) serverLog(LL_WARNING, "Failed listening on port %u (tcp), aborting.", server.port);
        return C_ERR;
    }
    return C_OK;
}

/* CONFIG SET bind/port: the new sockets are opened before the old ones are
 * closed, so a failure leaves the server listening where it was.  Clients
 * already connected are not affected. */
int serverApplyListeners(void) {
    int fds[CONFIG_BINDADDR_MAX], count;
    if (openListeners(server.port, fds, &count) == C_ERR) return C_ERR;
    for (int k = 0; k < count; k++) {
        if (aeCreateFileEvent(server.el, fds[k], AE_READABLE, acceptTcpHandler, NULL) == AE_ERR) {
            for (int j = 0; j < k; j++) aeDeleteFileEvent(server.el, fds[j], AE_READABLE);
            for (int j = 0; j < count; j++) close(fds[j]);
            return C_ERR;
        }
    }
    for (int j = 0; j < server.ipfd_count; j++) {
        aeDeleteFileEvent(server.el, server.ipfd[j], AE_READABLE);
        close(server.ipfd[j]);
    }
    memcpy(server.ipfd, fds, sizeof(int) * (size_t)count);
    server.ipfd_count = count;
    if (count == 0 && server.sofd < 0)
        serverLog(LL_WARNING, "Warning: the server now listens on no TCP port and no unix socket.");
    return C_OK;
}

static void initServer(void) {
    setupSignalHandlers();
    server.pid = getpid();
    server.clients = listCreate();
    server.clients_pending_write = listCreate();
    server.clients_to_close = listCreate();
    server.clients_waiting_unpause = listCreate();
    server.next_client_id = 1;
    server.errors = htabCreate(&errorTableType);
    server.stat_starttime = time(NULL);
    server.lastsave = time(NULL);
    server.hz = server.config_hz;
    server.active_expire_enabled = 1;
    getRandomHexChars(server.runid, 40);
    server.runid[40] = '\0';
    server.arch_bits = (int)(sizeof(long) * 8);
    updateCachedTime();

    const char *backend = server.event_backend && server.event_backend[0] ? server.event_backend : NULL;
    if (backend && !aeBackendAvailable(backend)) {
        serverLog(LL_WARNING, "The event backend '%s' is not available in this build.", backend);
        exit(1);
    }
    capMaxclientsForBackend(backend ? backend : aeDefaultBackend());
    adjustOpenFilesLimit();
    server.el = aeCreateEventLoop((int)server.maxclients + CONFIG_FDSET_INCR, backend);
    if (server.el == NULL) {
        serverLog(LL_WARNING, "Failed creating the event loop. Error message: '%s'", strerror(errno));
        exit(1);
    }
    aeSetBusyPoll(server.el, server.busy_poll_us);
    if (listenToPort() == C_ERR) exit(1);
    if (server.unixsocket && server.unixsocket[0]) {
        char err[ANET_ERR_LEN];
        unlink(server.unixsocket);
        server.sofd = anetUnixServer(err, server.unixsocket, server.unixsocketperm, server.tcp_backlog);
        if (server.sofd == ANET_ERR) {
            serverLog(LL_WARNING, "Failed opening Unix socket: %s", err);
            exit(1);
        }
        anetNonBlock(NULL, server.sofd);
        anetCloexec(server.sofd);
    } else {
        server.sofd = -1;
    }
    if (server.ipfd_count == 0 && server.sofd < 0) {
        serverLog(LL_WARNING, "Configured to not listen anywhere, exiting.");
        exit(1);
    }
    dbInitAll(server.dbnum);
    for (int j = 0; j < server.ipfd_count; j++)
        if (aeCreateFileEvent(server.el, server.ipfd[j], AE_READABLE, acceptTcpHandler, NULL) == AE_ERR)
            serverPanic("Unrecoverable error creating server.ipfd file event.");
    if (server.sofd > 0 &&
        aeCreateFileEvent(server.el, server.sofd, AE_READABLE, acceptUnixHandler, NULL) == AE_ERR)
        serverPanic("Unrecoverable error creating server.sofd file event.");
    if (aeCreateTimeEvent(server.el, 1, serverCron, NULL, NULL) == AE_ERR)
        serverPanic("Can't create event loop timers.");
    aeSetBeforeSleepProc(server.el, beforeSleep);
    aeSetAfterSleepProc(server.el, afterSleep);
    lazyfreeInit();
    /* Data types register their destructors, copy, digest and lazy-free
     * cost functions. */
    setTypeInit();
    listTypeInit();
    hashTypeInit();
    zsetTypeInit();
    rdbTypesInit();
    multiInit();
    pubsubInit();
    slowlogInit();
    monitorInit();
    evictInit();
    snapshotInit();
}

static void daemonize(void) {
    if (fork() != 0) exit(0); /* the parent exits */
    setsid();
    int fd = open("/dev/null", O_RDWR, 0);
    if (fd != -1) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO) close(fd);
    }
}

static void createPidFile(void) {
    if (!server.pidfile || !server.pidfile[0]) return;
    FILE *fp = fopen(server.pidfile, "w");
    if (fp) {
        fprintf(fp, "%d\n", (int)getpid());
        fclose(fp);
    } else {
        serverLog(LL_WARNING, "Failed to write PID file: %s", strerror(errno));
    }
}

/* supervised systemd (or auto under systemd): tell the service manager we
 * are ready, so a Type=notify unit (Debian's) starts.  The protocol is one
 * datagram "READY=1" to the unix socket named by $NOTIFY_SOCKET ('@' = the
 * abstract namespace). */
static void notifySupervisorReady(void) {
    if (server.supervised != SUPERVISED_SYSTEMD && server.supervised != SUPERVISED_AUTODETECT) return;
    const char *path = getenv("NOTIFY_SOCKET");
    if (!path || !path[0]) {
        if (server.supervised == SUPERVISED_SYSTEMD)
            serverLog(LL_WARNING, "systemd supervision requested or auto-detected, but NOTIFY_SOCKET not found!");
        return;
    }
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    size_t plen = strlen(path);
    if (plen >= sizeof(sa.sun_path)) return;
    memcpy(sa.sun_path, path, plen);
    if (sa.sun_path[0] == '@') sa.sun_path[0] = '\0';
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd == -1) return;
    const char *msg = "STATUS=Ready to accept connections\nREADY=1\n";
    if (sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&sa,
               (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen)) == -1)
        serverLog(LL_WARNING, "Could not notify systemd: %s", strerror(errno));
    else
        serverLog(LL_NOTICE, "Supervised by systemd. Please make sure you set appropriate values for TimeoutStartSec and TimeoutStopSec in your service unit.");
    close(fd);
}

static void usage(void) {
    fprintf(stderr, "Usage: ./ringkv-server [/path/to/redis.conf] [options] [-]\n");
    fprintf(stderr, "       ./ringkv-server - (read config from stdin)\n");
    fprintf(stderr, "       ./ringkv-server -v or --version\n");
    fprintf(stderr, "       ./ringkv-server -h or --help\n\n");
    fprintf(stderr, "Examples:\n");
    fprintf(stderr, "       ./ringkv-server (run the server with default config)\n");
    fprintf(stderr, "       ./ringkv-server /etc/redis/6379.conf\n");
    fprintf(stderr, "       ./ringkv-server --port 7777\n");
    fprintf(stderr, "       ./ringkv-server /etc/myredis.conf --loglevel verbose -\n");
    exit(1);
}

static void version(void) {
    printf("ringkv server v=%s (compatible with Redis %s) malloc=%s bits=%d event-backends=%s\n",
           RINGKV_OWN_VERSION, RINGKV_VERSION, zmallocLibName(), (int)(sizeof(long) * 8),
           aeDefaultBackend());
    exit(0);
}

int main(int argc, char **argv) {
    /* SORT ... ALPHA compares with strcoll, in the user's collation, as
     * Redis does. */
    setlocale(LC_COLLATE, "");
    uint8_t seed[16];
    getRandomBytes(seed, sizeof(seed));
    htabSetSeed(seed);
    tzset();
    memset(&server, 0, sizeof(server));
    /* Absolute, because INFO shows it and `dir` may change the cwd. */
    char *exe = realpath(argv[0], NULL);
    server.executable = exe ? exe : argv[0];
    server.exec_argv = argv;
    /* The ACL users (acl.c) exist before anything reads the configuration
     * or creates a client. */
    aclInit();
    initConfigValues();
    /* The RDB checker lives in this binary too (check_rdb.c). */
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    if (!strcmp(base, "ringkv-check-rdb")) return checkRdbMain(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "--check-rdb")) return checkRdbMain(argc - 1, argv + 1);
    /* Before the configuration: rename-command lines edit the table. */
    commandTableInit();

    if (argc >= 2) {
        int j = 1;
        char *configfile = NULL;
        int from_stdin = 0;
        if (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version")) version();
        if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) usage();
        if (argv[1][0] != '-') {
            configfile = argv[1];
            j = 2;
        }
        /* The rest is "--directive value ..." turned into config lines. */
        char *options = configOptionsFromArgv(argc, argv, j, &from_stdin);
        if (configfile) {
            char *abs = realpath(configfile, NULL);
            server.configfile = zstrdup(abs ? abs : configfile);
            free(abs);
        }
        loadServerConfig(server.configfile, (char)from_stdin, options);
        zfree(options);
    }
    if (server.daemonize) daemonize();
    serverLog(LL_NOTICE, "oO0OoO0OoO0Oo ringkv is starting oO0OoO0OoO0Oo");
    serverLog(LL_NOTICE, "ringkv version=%s, redis compatibility=%s, bits=%d, pid=%d, just started",
              RINGKV_OWN_VERSION, RINGKV_VERSION, (int)(sizeof(long) * 8), (int)getpid());
    if (server.configfile)
        serverLog(LL_NOTICE, "Configuration loaded");
    else
        serverLog(LL_WARNING, "Warning: no config file specified, using the default config. In order to specify a config file use %s /path/to/redis.conf",
                  argv[0]);
    /* `user` lines or the aclfile; exits on errors, before listening. */
    aclLoadUsersAtStartup();
    initServer();
    /* used_memory_startup: the baseline before any data (memory_stats.h). */
    memoryStatsMarkStartup();
    /* Listening already, not yet serving: clients that connect now wait in
     * the accept queue until the data is loaded. */
    snapshotLoadAtStartup();
    if (server.daemonize || (server.pidfile && server.pidfile[0])) createPidFile();
    configApplyProcessSettings();
    serverLog(LL_NOTICE, "Running mode=standalone, port=%d.", server.port);
    serverLog(LL_NOTICE, "Server initialized");
    serverLog(LL_NOTICE, "Event loop backend: %s", aeGetApiName(server.el));
    if (server.ipfd_count > 0) serverLog(LL_NOTICE, "Ready to accept connections tcp");
    if (server.sofd > 0) serverLog(LL_NOTICE, "Ready to accept connections unix");
    notifySupervisorReady();
    aeMain(server.el);
    aeDeleteEventLoop(server.el);
    return 0;
}
