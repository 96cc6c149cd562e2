/* log.c -- levelled logging, assertions and panics.
 *
 * What it owns: the log line format, the destination (server.logfile, ""
 * meaning stdout, plus syslog when syslog-enabled), level filtering by
 * server.verbosity, and the two ways the process dies on a bug
 * (_serverAssert and _serverPanic).
 *
 * Line format, as Redis writes it (tools and tests grep for it):
 *
 *     <pid>:<role> <dd Mon yyyy HH:MM:SS.mmm> <level> <message>
 *
 * role is 'M' for the server process and 'C' for any other process (a child,
 * or the server itself before server.pid is known, i.e. while the
 * configuration is being read).  level is one of ". - * #" for debug,
 * verbose, notice, warning.  LL_RAW writes the message alone, with no
 * newline, for banners.
 *
 * Why it is built this way:
 *   * The log file is opened, written and closed for every line.  That
 *     costs a few syscalls, but logging is rare on the hot path, and it
 *     means log rotation (mv + nothing) needs no signal: the next line
 *     recreates the file.
 *   * serverLogFromSignalHandler may run inside a signal handler, where
 *     stdio and malloc can deadlock (the signal may have interrupted them).
 *     It therefore formats numbers by hand and uses only open/write/close,
 *     which POSIX lists as async-signal-safe.
 *   * Assertions and panics log with LL_WARNING, which is never filtered,
 *     then print a backtrace when the C library has one, then abort(): a
 *     core dump (or the crash handler, if one is installed for SIGABRT) is
 *     more useful than an exit status. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <execinfo.h>
#endif

#include "server.h"

/* Longest formatted message; longer ones are truncated (as in Redis). */
#define LOG_MAX_LEN 1024

static const char logLevelChars[] = ".-*#";
static const int logSyslogPriorities[] = {LOG_DEBUG, LOG_INFO, LOG_NOTICE, LOG_WARNING};

/* True when logging goes to standard output rather than a file. */
static int logToStdout(void) {
    return server.logfile == NULL || server.logfile[0] == '\0';
}

/* openlog() keeps the ident pointer, so the ident in use is copied here:
 * server.syslog_ident may be freed by a later config change. */
static void logSyslog(int level, const char *msg) {
    static int opened = 0;
    static char ident[64];
    if (!opened) {
        const char *id = server.syslog_ident ? server.syslog_ident : "redis";
        snprintf(ident, sizeof(ident), "%s", id);
        openlog(ident, LOG_PID | LOG_NDELAY | LOG_NOWAIT, LOG_USER);
        opened = 1;
    }
    syslog(logSyslogPriorities[level], "%s", msg);
}

void serverLogRaw(int level, const char *msg) {
    int raw = level & LL_RAW;
    level &= 0xff;
    if (level < server.verbosity) return;
    if (level > LL_WARNING) level = LL_WARNING;

    FILE *fp = logToStdout() ? stdout : fopen(server.logfile, "a");
    if (fp == NULL) return; /* nowhere to report it: drop the line */

    if (raw) {
        fputs(msg, fp);
    } else {
        struct timeval tv;
        struct tm tm;
        char when[64];
        gettimeofday(&tv, NULL);
        time_t secs = tv.tv_sec;
        localtime_r(&secs, &tm);
        size_t off = strftime(when, sizeof(when), "%d %b %Y %H:%M:%S.", &tm);
        snprintf(when + off, sizeof(when) - off, "%03d", (int)(tv.tv_usec / 1000));
        pid_t pid = getpid();
        char role = (server.pid == 0 || pid != server.pid) ? 'C' : 'M';
        fprintf(fp, "%d:%c %s %c %s\n", (int)pid, role, when, logLevelChars[level], msg);
    }
    fflush(fp);
    if (fp != stdout) fclose(fp);

    if (server.syslog_enabled) logSyslog(level, msg);
}

void serverLog(int level, const char *fmt, ...) {
    if ((level & 0xff) < server.verbosity) return;
    char msg[LOG_MAX_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    serverLogRaw(level, msg);
}

/* Decimal text of v into buf (at least 21 bytes), without stdio: usable in
 * a signal handler.  Returns the length. */
static size_t logFormatLong(char *buf, long long v) {
    char tmp[24];
    size_t n = 0, len = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) buf[len++] = '-';
    while (n) buf[len++] = tmp[--n];
    buf[len] = '\0';
    return len;
}

/* write() the whole buffer, retrying on EINTR and short writes.  Errors are
 * ignored: there is nobody left to tell. */
static void logWriteAll(int fd, const char *p, size_t len) {
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        p += n;
        len -= (size_t)n;
    }
}

void serverLogFromSignalHandler(int level, const char *msg) {
    level &= 0xff;
    if (level < server.verbosity) return;
    int saved_errno = errno; /* the interrupted code may be about to read it */
    int tofile = !logToStdout();
    int fd = tofile ? open(server.logfile, O_APPEND | O_CREAT | O_WRONLY, 0644) : STDOUT_FILENO;
    if (fd == -1) {
        errno = saved_errno;
        return;
    }
    char num[24];
    size_t n = logFormatLong(num, (long long)getpid());
    logWriteAll(fd, num, n);
    logWriteAll(fd, ":signal-handler (", 17);
    n = logFormatLong(num, (long long)time(NULL));
    logWriteAll(fd, num, n);
    logWriteAll(fd, ") ", 2);
    logWriteAll(fd, msg, strlen(msg));
    logWriteAll(fd, "\n", 1);
    if (tofile) close(fd);
    errno = saved_errno;
}

/* Appends the current stack to the log, when the C library can produce
 * one.  backtrace() may allocate on its first call; we are about to abort
 * anyway, so that risk is accepted. */
static void logBacktrace(void) {
#ifdef __GLIBC__
    void *frames[64];
    int count = backtrace(frames, 64);
    int tofile = !logToStdout();
    int fd = tofile ? open(server.logfile, O_APPEND | O_CREAT | O_WRONLY, 0644) : STDOUT_FILENO;
    if (fd == -1) return;
    logWriteAll(fd, "------ STACK TRACE ------\n", 26);
    backtrace_symbols_fd(frames, count, fd);
    if (tofile) close(fd);
#endif
}

void _serverAssert(const char *estr, const char *file, int line) {
    serverLog(LL_WARNING, "=== ASSERTION FAILED ===");
    serverLog(LL_WARNING, "==> %s:%d '%s' is not true", file, line, estr);
    logBacktrace();
    abort();
}

void _serverPanic(const char *file, int line, const char *msg, ...) {
    char fmtmsg[LOG_MAX_LEN];
    va_list ap;
    va_start(ap, msg);
    vsnprintf(fmtmsg, sizeof(fmtmsg), msg, ap);
    va_end(ap);
    serverLog(LL_WARNING, "------ BUG REPORT: unrecoverable state ------");
    serverLog(LL_WARNING, "!!! PANIC: %s (at %s:%d)", fmtmsg, file, line);
    logBacktrace();
    abort();
}
