/* test_server.h -- starting and stopping a private server for the C tests
 * that need a live one (test_client.c, fuzz_resp.c).
 *
 * A test server is a child process: the given binary, started like
 * redis-server on a free 127.0.0.1 port (never 6379: the port comes from the
 * kernel's ephemeral range) with its working directory and log in a fresh
 * temp dir.  Servers must never outlive the test, whatever happens to it, so
 * there are three layers: testServerStop() for the normal path; an atexit
 * handler plus handlers for the fatal signals that kill every server still
 * registered; and PR_SET_PDEATHSIG in the child, so even a SIGKILLed test
 * takes its servers down with it.
 *
 * Every wait is bounded (start, PING, stop), so a hung server is a failure
 * with its log tail printed, never a hung test.
 *
 * Everything is static inline (as in test.h) so each program compiles clean
 * with -Wall -Wextra -Werror whichever part it uses. */
#ifndef TEST_SERVER_H
#define TEST_SERVER_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#define TS_MAX_SERVERS 16
#define TS_MAX_ARGS 32

typedef struct testServer {
    pid_t pid;      /* 0 when not running */
    int port;
    int exitStatus; /* waitpid status once stopped */
    char dir[128];  /* temp dir: working dir and server.log */
    char log[160];
} testServer;

static inline long long tsNowMs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The registry of running servers, for the emergency cleanup paths. */
static inline pid_t *tsRegistry(void) {
    static pid_t pids[TS_MAX_SERVERS];
    return pids;
}

static inline void tsKillAll(void) {
    pid_t *pids = tsRegistry();
    for (int i = 0; i < TS_MAX_SERVERS; i++) {
        if (pids[i] > 0) {
            kill(pids[i], SIGKILL);
            waitpid(pids[i], NULL, 0);
            pids[i] = 0;
        }
    }
}

static inline void tsFatalSignal(int sig) {
    tsKillAll();
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void tsInstallCleanup(void) {
    static int installed = 0;
    if (installed) return;
    installed = 1;
    atexit(tsKillAll);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGABRT,
                               SIGFPE, SIGALRM};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) signal(sigs[i], tsFatalSignal);
    /* Writing to a server that closed the connection is a test event, not
     * a reason to die. */
    signal(SIGPIPE, SIG_IGN);
}

static inline void tsRegister(pid_t pid) {
    pid_t *pids = tsRegistry();
    for (int i = 0; i < TS_MAX_SERVERS; i++)
        if (pids[i] == 0) {
            pids[i] = pid;
            return;
        }
}

static inline void tsUnregister(pid_t pid) {
    pid_t *pids = tsRegistry();
    for (int i = 0; i < TS_MAX_SERVERS; i++)
        if (pids[i] == pid) pids[i] = 0;
}

/* A port nobody listens on right now (the kernel picks an ephemeral one). */
static inline int tsFreePort(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    socklen_t sl = sizeof(sa);
    int port = -1;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
        port = ntohs(sa.sin_port);
    close(fd);
    return port == 6379 ? tsFreePort() : port;
}

/* Blocking TCP connection to 127.0.0.1:port, -1 on failure. */
static inline int tsConnect(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((uint16_t)port);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

/* Writes all of buf within timeoutMs.  0 on success, -1 otherwise. */
static inline int tsWriteAll(int fd, const void *buf, size_t len, int timeoutMs) {
    const char *p = buf;
    long long deadline = tsNowMs() + timeoutMs;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
        long long left = deadline - tsNowMs();
        if (left <= 0) return -1;
        struct pollfd pfd = {fd, POLLOUT, 0};
        poll(&pfd, 1, (int)(left > 100 ? 100 : left));
    }
    return 0;
}

/* Reads into buf until `want` bytes arrived, EOF, or timeoutMs.  Returns the
 * byte count (NUL-terminated; buf holds cap bytes). */
static inline size_t tsReadUntil(int fd, char *buf, size_t cap, size_t want, int timeoutMs,
                                 int *eof) {
    size_t got = 0;
    long long deadline = tsNowMs() + timeoutMs;
    if (eof) *eof = 0;
    while (got < want && got + 1 < cap) {
        long long left = deadline - tsNowMs();
        if (left <= 0) break;
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, (int)left) <= 0) continue;
        ssize_t n = recv(fd, buf + got, cap - 1 - got, MSG_DONTWAIT);
        if (n > 0) {
            got += (size_t)n;
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            if (eof) *eof = 1;
            break;
        }
    }
    buf[got] = '\0';
    return got;
}

/* PING on a fresh connection; 1 if +PONG came back within timeoutMs. */
static inline int tsPing(int port, int timeoutMs) {
    int fd = tsConnect(port);
    if (fd < 0) return 0;
    char buf[64];
    int ok = tsWriteAll(fd, "*1\r\n$4\r\nPING\r\n", 14, timeoutMs) == 0 &&
             tsReadUntil(fd, buf, sizeof(buf), 7, timeoutMs, NULL) == 7 &&
             memcmp(buf, "+PONG\r\n", 7) == 0;
    close(fd);
    return ok;
}

/* 1 while the server process exists (reaps it, recording the status, once
 * it has exited). */
static inline int tsAlive(testServer *s) {
    if (s->pid <= 0) return 0;
    int status;
    pid_t r = waitpid(s->pid, &status, WNOHANG);
    if (r == 0) return 1;
    if (r == s->pid) {
        s->exitStatus = status;
        tsUnregister(s->pid);
        s->pid = 0;
    }
    return 0;
}

static inline void tsPrintLogTail(const testServer *s, int lines) {
    char cmd[256];
    fprintf(stderr, "  --- last %d lines of %s ---\n", lines, s->log);
    fflush(stderr);
    snprintf(cmd, sizeof(cmd), "tail -n %d '%s' >&2", lines, s->log);
    if (system(cmd) != 0) {
        /* Best effort: the log may not exist. */
    }
    fprintf(stderr, "  ---\n");
}

/* Starts bin with the standard options plus extra (NULL-terminated, may be
 * NULL).  Returns 0 when the server answers PING; -1 otherwise (its log tail
 * is printed unless quiet).  A port race is retried with another port. */
static inline int tsStart(testServer *s, const char *bin, const char *const *extra, int quiet) {
    tsInstallCleanup();
    memset(s, 0, sizeof(*s));
    snprintf(s->dir, sizeof(s->dir), "/tmp/ringkv-ctest.XXXXXX");
    if (mkdtemp(s->dir) == NULL) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(s->log, sizeof(s->log), "%s/server.log", s->dir);
    if (access(bin, X_OK) != 0) {
        fprintf(stderr, "  server binary %s is missing or not executable\n", bin);
        return -1;
    }
    for (int attempt = 0; attempt < 3; attempt++) {
        s->port = tsFreePort();
        char port[16];
        snprintf(port, sizeof(port), "%d", s->port);
        const char *argv[TS_MAX_ARGS];
        int argc = 0;
        argv[argc++] = bin;
        argv[argc++] = "--port";
        argv[argc++] = port;
        argv[argc++] = "--bind";
        argv[argc++] = "127.0.0.1";
        argv[argc++] = "--save";
        argv[argc++] = "";
        argv[argc++] = "--appendonly";
        argv[argc++] = "no";
        argv[argc++] = "--daemonize";
        argv[argc++] = "no";
        argv[argc++] = "--dir";
        argv[argc++] = s->dir;
        for (int i = 0; extra && extra[i] && argc < TS_MAX_ARGS - 1; i++) argv[argc++] = extra[i];
        argv[argc] = NULL;

        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        if (pid < 0) return -1;
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            int fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
                close(fd);
            }
            int devnull = open("/dev/null", O_RDONLY);
            if (devnull >= 0) dup2(devnull, 0);
            signal(SIGPIPE, SIG_DFL);
            execv(bin, (char *const *)argv);
            _exit(127);
        }
        s->pid = pid;
        tsRegister(pid);
        long long deadline = tsNowMs() + 30000; /* sanitizer builds start slowly */
        while (tsNowMs() < deadline) {
            if (!tsAlive(s)) break;
            if (tsPing(s->port, 1000)) return 0;
            usleep(20000);
        }
        if (tsAlive(s)) {
            /* Up but not answering: a real failure, not a port race. */
            if (!quiet) {
                fprintf(stderr, "  server did not answer PING within 30s\n");
                tsPrintLogTail(s, 20);
            }
            kill(s->pid, SIGKILL);
            waitpid(s->pid, NULL, 0);
            tsUnregister(s->pid);
            s->pid = 0;
            return -1;
        }
        /* It exited: retry only if the port was taken meanwhile. */
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "grep -qi 'address already in use' '%s'", s->log);
        if (system(cmd) != 0) break;
    }
    if (!quiet) {
        fprintf(stderr, "  server failed to start\n");
        tsPrintLogTail(s, 20);
    }
    return -1;
}

static inline int tsRmEntry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* 1 if the log shows a sanitizer report or a crash report. */
static inline int tsLogShowsCrash(const testServer *s) {
    char cmd[300];
    snprintf(cmd, sizeof(cmd),
             "grep -qE 'AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:|LeakSanitizer|"
             "crashed by signal|=== .* BUG REPORT' '%s' 2>/dev/null",
             s->log);
    return system(cmd) == 0;
}

/* Stops the server (SIGTERM, then SIGKILL after 10s).  Returns 0 when it
 * exited cleanly (status 0 after SIGTERM, no crash in its log); otherwise -1
 * with the log tail printed and the temp dir kept for inspection. */
static inline int tsStop(testServer *s) {
    int clean = 1;
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        long long deadline = tsNowMs() + 10000;
        while (tsAlive(s) && tsNowMs() < deadline) usleep(10000);
        if (s->pid > 0) {
            fprintf(stderr, "  server pid %d ignored SIGTERM for 10s: killing it\n", (int)s->pid);
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &s->exitStatus, 0);
            tsUnregister(s->pid);
            s->pid = 0;
            clean = 0;
        }
    }
    if (WIFSIGNALED(s->exitStatus) && WTERMSIG(s->exitStatus) != SIGTERM) {
        fprintf(stderr, "  server died by signal %d\n", WTERMSIG(s->exitStatus));
        clean = 0;
    } else if (WIFEXITED(s->exitStatus) && WEXITSTATUS(s->exitStatus) != 0) {
        fprintf(stderr, "  server exited with status %d\n", WEXITSTATUS(s->exitStatus));
        clean = 0;
    }
    if (s->dir[0] && tsLogShowsCrash(s)) {
        fprintf(stderr, "  server log shows a crash or sanitizer report\n");
        clean = 0;
    }
    if (!clean) {
        if (s->dir[0]) {
            tsPrintLogTail(s, 40);
            fprintf(stderr, "  server files kept in %s\n", s->dir);
        }
        return -1;
    }
    if (s->dir[0]) nftw(s->dir, tsRmEntry, 8, FTW_DEPTH | FTW_PHYS);
    s->dir[0] = '\0';
    return 0;
}

/* Resident set size of the server in bytes (0 if unknown). */
static inline size_t tsRss(const testServer *s) {
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)s->pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t kb = 0;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %zu kB", &kb) == 1) break;
    fclose(f);
    return kb * 1024;
}

/* 1 if the server was built with AddressSanitizer (it then needs far more
 * memory: shadow bytes and the quarantine). */
static inline int tsIsAsan(const testServer *s) {
    char path[64], line[512];
    snprintf(path, sizeof(path), "/proc/%d/maps", (int)s->pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int asan = 0;
    while (!asan && fgets(line, sizeof(line), f))
        if (strstr(line, "libasan")) asan = 1;
    fclose(f);
    return asan;
}

/* 1 if bin --version says it is ringkv (not the reference redis-server). */
static inline int tsIsRingkv(const char *bin) {
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "'%s' --version 2>/dev/null | grep -q ringkv", bin);
    return system(cmd) == 0;
}

#endif /* TEST_SERVER_H */
