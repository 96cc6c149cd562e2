/* latency.h -- the latency monitor (LATENCY LATEST HISTORY RESET GRAPH
 * DOCTOR) and the per-command latency histograms (LATENCY HISTOGRAM, INFO
 * latencystats), implemented in latency.c.
 *
 * Two independent instruments:
 *
 *   Events.  Code that may stall the event loop times itself and reports
 *   the duration under an event name ("command", "fast-command",
 *   "command-unblocking", "expire-cycle", "eviction-cycle", "eviction-del",
 *   "eviction-lazyfree", "snapshot-slice", "snapshot-write").  Durations at
 *   or above latency-monitor-threshold milliseconds are kept: per event, one
 *   sample per second (the worst of that second) for the last 160 such
 *   seconds, plus the all-time worst.  With the threshold at 0 (the default) the
 *   monitor is off and reporting costs one comparison.
 *
 *   Histograms.  call() feeds every command's duration into a histogram of
 *   its own (latency_histogram.h), while latency-tracking is yes; INFO
 *   latencystats shows the percentiles listed in
 *   latency-tracking-info-percentiles, LATENCY HISTOGRAM the distribution.
 *
 * Nothing needs initialising: events and histograms appear with their
 * first sample. */
#ifndef RINGKV_LATENCY_H
#define RINGKV_LATENCY_H

#include "client.h"
#include "commands.h"
#include "rstr.h"
#include "server.h"
#include "util.h"

/* Settings that struct ringkvServer has no field for (config.c stores into
 * them through its table). */
struct latencySettings {
    int tracking; /* latency-tracking yes|no */
};
extern struct latencySettings latencyCfg;

/* --- events ------------------------------------------------------------ */

/* Records a sample for event unconditionally (the threshold test is the
 * caller's: use latencyAddSampleIfNeeded).  event is copied. */
void latencyAddSample(const char *event, long long duration_ms);

/* Records duration_ms under event when the monitor is on and the duration
 * reaches latency-monitor-threshold. */
static inline void latencyAddSampleIfNeeded(const char *event, long long duration_ms) {
    if (server.latency_monitor_threshold && duration_ms >= server.latency_monitor_threshold)
        latencyAddSample(event, duration_ms);
}

/* Timing a stretch of code only when the monitor is on:
 *     long long t = latencyStartMonitor();
 *     ... work ...
 *     latencyEndMonitor("event-name", t);
 * With the monitor off no clock is read: t is 0 and the end is a test. */
static inline long long latencyStartMonitor(void) {
    return server.latency_monitor_threshold ? ustime() : 0;
}

static inline void latencyEndMonitor(const char *event, long long start_us) {
    if (start_us) latencyAddSampleIfNeeded(event, (ustime() - start_us) / 1000);
}

/* --- per-command histograms ------------------------------------------- */

/* Adds one execution of cmd lasting duration_us (no-op with
 * latency-tracking no).  Called by call() and, for blocking commands, when
 * the command is finally served. */
void latencyTrackCommand(const redisCommand *cmd, long long duration_us);

/* Drops every command's histogram (CONFIG RESETSTAT). */
void latencyResetCommandHistograms(void);

/* Appends the body of INFO's "Latencystats" section: one line per command
 * that has a histogram, with the configured percentiles. */
rstr latencyInfoStats(rstr s);

/* latency-tracking-info-percentiles, for config.c: parse and store the
 * list (argv as split by the config layer; no argument, or one empty
 * argument, is the empty list), or fail with a static message in *err;
 * and the list as CONFIG GET shows it ("50 99 99.9"). */
int latencySetPercentilesConfig(int argc, char **argv, const char **err);
rstr latencyGetPercentilesConfig(void);

/* --- commands ----------------------------------------------------------- */

void latencyLatestCommand(client *c);
void latencyHistoryCommand(client *c);
void latencyResetCommand(client *c);
void latencyGraphCommand(client *c);
void latencyDoctorCommand(client *c);
void latencyHistogramCommand(client *c);
void latencyHelpCommand(client *c);

#endif
