/* latency.c -- the latency monitor and the per-command latency histograms:
 * LATENCY LATEST HISTORY RESET GRAPH DOCTOR HISTOGRAM HELP, and INFO's
 * latencystats section.
 *
 * Events (see latency.h for who reports what).  Each event name owns a
 * ring of LATENCY_TS_LEN samples {unix second, milliseconds}; a second
 * sample within the same second only raises that second's value, so the
 * ring spans at least the last 160 seconds with spikes and a burst cannot
 * flush the history.  Events live in a small array in order of first
 * appearance: there are a handful of names, and samples only arrive when a
 * threshold was exceeded, so a linear search costs nothing that matters.
 * As in Redis, RESET matches names without regard to case while HISTORY
 * and GRAPH want the exact name.
 *
 * Histograms.  One latencyHistogram per command that has run, indexed by
 * the command's id (ids are dense, assigned when the command table is
 * built), created on first use and dropped by CONFIG RESETSTAT.  Recording
 * is an array index and the inline bucket computation of
 * latency_histogram.h: this runs after every command.  The reports list
 * commands sorted by full name ("config|get"), so two outputs compare line
 * by line (Redis prints them in hash-table order).
 *
 * GRAPH and DOCTOR produce text for people.  Their layout follows Redis's
 * (a header line, a ruler, a bar chart with the age of each sample written
 * vertically underneath; a numbered list of events, then advice) while
 * the drawing and the wording are ringkv's own. */
#include "latency.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "htab.h"
#include "latency_histogram.h"
#include "reply.h"
#include "zmalloc.h"

struct latencySettings latencyCfg = {.tracking = 1};

/* --- events ------------------------------------------------------------ */

#define LATENCY_TS_LEN 160

typedef struct latencySample {
    int32_t time;     /* unix seconds; 0 = slot never used */
    uint32_t latency; /* milliseconds, the worst of that second */
} latencySample;

typedef struct latencyEvent {
    char *name;
    int next;         /* slot the next new second goes to */
    uint32_t max;     /* all-time worst, survives the ring wrapping */
    latencySample samples[LATENCY_TS_LEN];
} latencyEvent;

static latencyEvent **events;
static int eventCount;

static latencyEvent *eventFind(const char *name) {
    for (int i = 0; i < eventCount; i++)
        if (!strcmp(events[i]->name, name)) return events[i];
    return NULL;
}

static latencySample *eventLatest(latencyEvent *ev) {
    return &ev->samples[(ev->next + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN];
}

void latencyAddSample(const char *event, long long duration_ms) {
    latencyEvent *ev = eventFind(event);
    if (!ev) {
        ev = zcalloc(sizeof(*ev));
        ev->name = zstrdup(event);
        events = zrealloc(events, sizeof(*events) * (size_t)(eventCount + 1));
        events[eventCount++] = ev;
    }
    uint32_t ms = duration_ms < 0 ? 0 : duration_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)duration_ms;
    int32_t now = (int32_t)time(NULL);
    if (ms > ev->max) ev->max = ms;
    latencySample *last = eventLatest(ev);
    if (last->time == now) {
        if (ms > last->latency) last->latency = ms;
        return;
    }
    ev->samples[ev->next].time = now;
    ev->samples[ev->next].latency = ms;
    ev->next = (ev->next + 1) % LATENCY_TS_LEN;
}

static void eventFree(latencyEvent *ev) {
    zfree(ev->name);
    zfree(ev);
}

/* Drops the events whose name matches (case-insensitively), or all of them
 * with name NULL.  Returns how many were dropped. */
static int eventReset(const char *name) {
    int dropped = 0, kept = 0;
    for (int i = 0; i < eventCount; i++) {
        if (name == NULL || !strcasecmp(events[i]->name, name)) {
            eventFree(events[i]);
            dropped++;
        } else {
            events[kept++] = events[i];
        }
    }
    eventCount = kept;
    return dropped;
}

/* Copies the used samples of ev into out (room for LATENCY_TS_LEN), oldest
 * first; returns how many. */
static int eventSamples(latencyEvent *ev, latencySample *out) {
    int n = 0;
    for (int j = 0; j < LATENCY_TS_LEN; j++) {
        latencySample *s = &ev->samples[(ev->next + j) % LATENCY_TS_LEN];
        if (s->time) out[n++] = *s;
    }
    return n;
}

/* --- per-command histograms ------------------------------------------- */

static latencyHistogram **histograms; /* by redisCommand.id */
static int histogramsCap;

static latencyHistogram *commandHistogram(const redisCommand *cmd) {
    return cmd->id < histogramsCap ? histograms[cmd->id] : NULL;
}

void latencyTrackCommand(const redisCommand *cmd, long long duration_us) {
    if (!latencyCfg.tracking) return;
    latencyHistogram *h = commandHistogram(cmd);
    if (!h) {
        if (cmd->id >= histogramsCap) {
            int cap = histogramsCap ? histogramsCap : 256;
            while (cap <= cmd->id) cap *= 2;
            histograms = zrealloc(histograms, sizeof(*histograms) * (size_t)cap);
            memset(histograms + histogramsCap, 0, sizeof(*histograms) * (size_t)(cap - histogramsCap));
            histogramsCap = cap;
        }
        h = histograms[cmd->id] = latencyHistogramCreate();
    }
    latencyHistogramRecord(h, duration_us);
}

void latencyResetCommandHistograms(void) {
    for (int i = 0; i < histogramsCap; i++) {
        latencyHistogramFree(histograms[i]);
        histograms[i] = NULL;
    }
}

/* Commands that have a histogram, sorted by full name. */
typedef struct cmdSet {
    redisCommand **cmds;
    size_t len, cap;
} cmdSet;

static void cmdSetAdd(cmdSet *set, redisCommand *cmd) {
    if (set->len == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 32;
        set->cmds = zrealloc(set->cmds, set->cap * sizeof(*set->cmds));
    }
    set->cmds[set->len++] = cmd;
}

static void collectTracked(redisCommand *cmd, void *privdata) {
    if (commandHistogram(cmd)) cmdSetAdd(privdata, cmd);
}

static int compareFullnames(const void *a, const void *b) {
    const redisCommand *ca = *(redisCommand *const *)a, *cb = *(redisCommand *const *)b;
    return strcmp(ca->fullname, cb->fullname);
}

static void cmdSetSort(cmdSet *set) {
    if (set->len > 1) qsort(set->cmds, set->len, sizeof(*set->cmds), compareFullnames);
}

/* --- percentiles shown by INFO ----------------------------------------- */

static double *infoPercentiles;
static int infoPercentilesCount;

/* "%f" without trailing zeros (and without a trailing '.'): 99.9, 50,
 * 0.123457 -- how Redis prints these numbers in CONFIG GET and INFO. */
static int formatPercentile(char *buf, size_t len, double p) {
    int n = snprintf(buf, len, "%f", p);
    if (n <= 0 || (size_t)n >= len) return 0;
    if (strchr(buf, '.')) {
        while (n > 0 && buf[n - 1] == '0') n--;
        if (n > 0 && buf[n - 1] == '.') n--;
        buf[n] = '\0';
    }
    return n;
}

int latencySetPercentilesConfig(int argc, char **argv, const char **err) {
    /* An empty list is written `""` in a config file: one empty argument. */
    if (argc == 1 && argv[0][0] == '\0') argc = 0;
    double *values = argc ? zmalloc(sizeof(double) * (size_t)argc) : NULL;
    for (int j = 0; j < argc; j++) {
        if (!string2d(argv[j], strlen(argv[j]), &values[j])) {
            *err = "Invalid latency-tracking-info-percentiles parameters";
            zfree(values);
            return C_ERR;
        }
        if (values[j] < 0.0 || values[j] > 100.0) {
            *err = "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
            zfree(values);
            return C_ERR;
        }
    }
    zfree(infoPercentiles);
    infoPercentiles = values;
    infoPercentilesCount = argc;
    return C_OK;
}

rstr latencyGetPercentilesConfig(void) {
    rstr s = rstrEmpty();
    for (int j = 0; j < infoPercentilesCount; j++) {
        char buf[128];
        int n = formatPercentile(buf, sizeof(buf), infoPercentiles[j]);
        if (j) s = rstrCatLen(s, " ", 1);
        s = rstrCatLen(s, buf, (size_t)n);
    }
    return s;
}

rstr latencyInfoStats(rstr s) {
    /* With tracking off the section is empty (the histograms that exist
     * stay visible to LATENCY HISTOGRAM), as in Redis. */
    if (!latencyCfg.tracking) return s;
    cmdSet set = {NULL, 0, 0};
    commandForEach(collectTracked, &set, 1);
    cmdSetSort(&set);
    for (size_t i = 0; i < set.len; i++) {
        redisCommand *cmd = set.cmds[i];
        latencyHistogram *h = commandHistogram(cmd);
        s = rstrCat(s, "latency_percentiles_usec_");
        /* The same characters as in commandstats would break the
         * field:value syntax. */
        size_t at = rstrLen(s);
        s = rstrCat(s, cmd->fullname);
        for (size_t k = at; k < rstrLen(s); k++)
            if (s[k] == ':' || s[k] == ',' || s[k] == ' ' || s[k] == '\r' || s[k] == '\n') s[k] = '_';
        s = rstrCatLen(s, ":", 1);
        for (int j = 0; j < infoPercentilesCount; j++) {
            char buf[128];
            formatPercentile(buf, sizeof(buf), infoPercentiles[j]);
            uint64_t us = latencyHistogramPercentile(h, infoPercentiles[j]);
            s = rstrCatPrintf(s, "%sp%s=%.3f", j ? "," : "", buf, (double)us);
        }
        s = rstrCatLen(s, "\r\n", 2);
    }
    zfree(set.cmds);
    return s;
}

/* --- LATENCY HISTOGRAM --------------------------------------------------- */

static void replyCdfPoint(void *privdata, long long label_us, uint64_t cumulative) {
    client *c = privdata;
    addReplyLongLong(c, label_us);
    addReplyLongLong(c, (long long)cumulative);
}

/* name -> {calls, histogram_usec -> {label -> cumulative count}} */
static void replyCommandHistogram(client *c, redisCommand *cmd) {
    latencyHistogram *h = commandHistogram(cmd);
    addReplyBulkCString(c, cmd->fullname);
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "calls");
    addReplyLongLong(c, (long long)h->total);
    addReplyBulkCString(c, "histogram_usec");
    void *len = addReplyDeferredLen(c);
    int points = latencyHistogramCdf(h, replyCdfPoint, c);
    setDeferredMapLen(c, len, points);
}

void latencyHistogramCommand(client *c) {
    cmdSet set = {NULL, 0, 0};
    if (c->argc == 2) {
        commandForEach(collectTracked, &set, 1);
        cmdSetSort(&set);
    } else {
        /* Names as given, repeats included; unknown ones are skipped.  A
         * command with subcommands stands for those of them that ran. */
        for (int j = 2; j < c->argc; j++) {
            redisCommand *cmd = lookupCommandByCString(c->argv[j]->ptr);
            if (!cmd) continue;
            if (commandHistogram(cmd)) cmdSetAdd(&set, cmd);
            if (!cmd->subcommands) continue;
            cmdSet subs = {NULL, 0, 0};
            htabIterator it;
            htabIterInit(&it, cmd->subcommands);
            redisCommand *sub;
            while ((sub = htabIterNext(&it)))
                if (commandHistogram(sub)) cmdSetAdd(&subs, sub);
            htabIterRelease(&it);
            cmdSetSort(&subs);
            for (size_t k = 0; k < subs.len; k++) cmdSetAdd(&set, subs.cmds[k]);
            zfree(subs.cmds);
        }
    }
    addReplyMapLen(c, (long)set.len);
    for (size_t i = 0; i < set.len; i++) replyCommandHistogram(c, set.cmds[i]);
    zfree(set.cmds);
}

/* --- LATEST, HISTORY, RESET --------------------------------------------- */

void latencyLatestCommand(client *c) {
    addReplyArrayLen(c, eventCount);
    for (int i = 0; i < eventCount; i++) {
        latencyEvent *ev = events[i];
        latencySample *last = eventLatest(ev);
        addReplyArrayLen(c, 4);
        addReplyBulkCString(c, ev->name);
        addReplyLongLong(c, last->time);
        addReplyLongLong(c, last->latency);
        addReplyLongLong(c, ev->max);
    }
}

void latencyHistoryCommand(client *c) {
    latencyEvent *ev = eventFind(c->argv[2]->ptr);
    if (!ev) {
        addReplyArrayLen(c, 0);
        return;
    }
    latencySample samples[LATENCY_TS_LEN];
    int n = eventSamples(ev, samples);
    addReplyArrayLen(c, n);
    for (int j = 0; j < n; j++) {
        addReplyArrayLen(c, 2);
        addReplyLongLong(c, samples[j].time);
        addReplyLongLong(c, samples[j].latency);
    }
}

void latencyResetCommand(client *c) {
    if (c->argc == 2) {
        addReplyLongLong(c, eventReset(NULL));
        return;
    }
    int dropped = 0;
    for (int j = 2; j < c->argc; j++) dropped += eventReset(c->argv[j]->ptr);
    addReplyLongLong(c, dropped);
}

/* --- GRAPH --------------------------------------------------------------- */

#define GRAPH_COLUMNS 80
#define GRAPH_ROWS 4

/* How long ago t was, in the largest unit that keeps it readable. */
static int formatAge(char *buf, size_t len, long long age) {
    if (age < 0) age = 0;
    if (age < 60) return snprintf(buf, len, "%llds", age);
    if (age < 3600) return snprintf(buf, len, "%lldm", age / 60);
    if (age < 86400) return snprintf(buf, len, "%lldh", age / 3600);
    return snprintf(buf, len, "%lldd", age / 86400);
}

/* Draws samples[0..n-1] as vertical bars, GRAPH_COLUMNS per block.  Each
 * bar's height is its latency scaled between low (one cell) and high (all
 * GRAPH_ROWS cells); the top cell of a bar is drawn as '*', the cells under
 * it as ':', and a bar of the lowest value as '.' on the base line.  Under
 * each bar, its age reads top to bottom. */
static rstr drawBars(rstr g, const latencySample *samples, int n, uint32_t low, uint32_t high) {
    long long now = time(NULL);
    for (int start = 0; start < n; start += GRAPH_COLUMNS) {
        int cols = n - start < GRAPH_COLUMNS ? n - start : GRAPH_COLUMNS;
        int heights[GRAPH_COLUMNS];
        char ages[GRAPH_COLUMNS][16];
        int agelen[GRAPH_COLUMNS], maxage = 0;
        for (int x = 0; x < cols; x++) {
            const latencySample *s = &samples[start + x];
            heights[x] = high == low ? GRAPH_ROWS
                                     : 1 + (int)((uint64_t)(s->latency - low) * (GRAPH_ROWS - 1) / (high - low));
            agelen[x] = formatAge(ages[x], sizeof(ages[x]), now - s->time);
            if (agelen[x] > maxage) maxage = agelen[x];
        }
        if (start) g = rstrCatLen(g, "\n", 1);
        for (int row = GRAPH_ROWS; row >= 1; row--) {
            for (int x = 0; x < cols; x++) {
                char ch = ' ';
                if (heights[x] == 1 && high != low)
                    ch = row == 1 ? '.' : ' ';
                else if (heights[x] == row)
                    ch = '*';
                else if (heights[x] > row)
                    ch = ':';
                g = rstrCatLen(g, &ch, 1);
            }
            g = rstrCatLen(g, "\n", 1);
        }
        /* Ages aligned on their last character, so the units line up. */
        for (int line = 0; line < maxage; line++) {
            for (int x = 0; x < cols; x++) {
                int k = line - (maxage - agelen[x]);
                g = rstrCatLen(g, k >= 0 ? &ages[x][k] : " ", 1);
            }
            g = rstrCatLen(g, "\n", 1);
        }
    }
    return g;
}

void latencyGraphCommand(client *c) {
    const char *name = c->argv[2]->ptr;
    latencyEvent *ev = eventFind(name);
    if (!ev) {
        addReplyErrorFormat(c, "No samples available for event '%s'", name);
        return;
    }
    latencySample samples[LATENCY_TS_LEN];
    int n = eventSamples(ev, samples);
    uint32_t low = 0, high = 0;
    for (int j = 0; j < n; j++) {
        if (j == 0 || samples[j].latency < low) low = samples[j].latency;
        if (j == 0 || samples[j].latency > high) high = samples[j].latency;
    }
    rstr g = rstrCatPrintf(rstrEmpty(), "%s - high %lu ms, low %lu ms (all time high %lu ms)\n", ev->name,
                           (unsigned long)high, (unsigned long)low, (unsigned long)ev->max);
    for (int j = 0; j < GRAPH_COLUMNS; j++) g = rstrCatLen(g, "-", 1);
    g = rstrCatLen(g, "\n", 1);
    g = drawBars(g, samples, n, low, high);
    addReplyVerbatim(c, g, rstrLen(g), "txt");
    rstrFree(g);
}

/* --- DOCTOR -------------------------------------------------------------- */

/* Advice per kind of event; an event not listed gets the generic line. */
static const struct {
    const char *event;
    const char *advice;
} doctorAdvice[] = {
    {"command",
     "Commands took long to run. SLOWLOG GET names them, with their arguments: look for "
     "commands whose cost grows with the size of a value (KEYS, SMEMBERS, HGETALL, LRANGE 0 -1, "
     "SORT, DEL of a big key ...) and replace them with incremental ones (SCAN, SSCAN, HSCAN, "
     "UNLINK)."},
    {"fast-command",
     "Commands that normally take constant or logarithmic time were slow. The data is not the "
     "cause: look at the machine instead (CPU contention with other processes, memory being "
     "swapped, a virtual machine being starved)."},
    {"command-unblocking",
     "Serving clients blocked on a key (BLPOP and friends) took long when the key was filled."},
    {"expire-cycle",
     "Removing expired keys in the background took long. Many keys expiring at the same moment "
     "cause this: spread their time to live (add a random amount to each)."},
    {"eviction-cycle",
     "Evicting keys to stay under maxmemory took long. Consider lazyfree-lazy-eviction yes, so "
     "that big values are freed in the background, or a larger maxmemory."},
    {"eviction-del",
     "Deleting a single evicted key took long: big values are expensive to free. "
     "lazyfree-lazy-eviction yes moves that work off the main thread."},
    {"eviction-lazyfree",
     "Eviction waited for the background thread to free memory it had been handed. Big values "
     "are being evicted faster than they can be freed: a larger maxmemory margin helps."},
    {"snapshot-slice",
     "A slice of snapshot serialization ran longer than the threshold. A single big value is "
     "serialized in one go; a smaller snapshot-slice-us shortens the other slices."},
    {"snapshot-write",
     "Handing snapshot data to the disk was slow. The storage device or the I/O engine "
     "(snapshot-io) is struggling; a faster disk or another engine may help."},
};

static const char *adviceFor(const char *event) {
    for (size_t i = 0; i < sizeof(doctorAdvice) / sizeof(doctorAdvice[0]); i++)
        if (!strcmp(doctorAdvice[i].event, event)) return doctorAdvice[i].advice;
    return NULL;
}

static rstr doctorReport(void) {
    long long threshold = server.latency_monitor_threshold;
    if (eventCount == 0 && threshold == 0) {
        return rstrNew("The latency monitor is switched off (latency-monitor-threshold is 0), so "
                       "no spike has been recorded and there is nothing to analyse. Switch it on "
                       "with CONFIG SET latency-monitor-threshold <milliseconds>, let the server "
                       "work for a while, and ask again.\n");
    }
    if (eventCount == 0) {
        return rstrCatPrintf(rstrEmpty(),
                             "No event has taken %lld ms or more since the server started (or since "
                             "the last LATENCY RESET). All quiet.\n",
                             threshold);
    }
    rstr r = rstrCatPrintf(rstrEmpty(),
                           "Latency report: %d kind%s of event went over the %lld ms threshold.\n\n",
                           eventCount, eventCount == 1 ? "" : "s", threshold);
    for (int i = 0; i < eventCount; i++) {
        latencyEvent *ev = events[i];
        latencySample samples[LATENCY_TS_LEN];
        int n = eventSamples(ev, samples);
        double sum = 0;
        for (int j = 0; j < n; j++) sum += samples[j].latency;
        double avg = n ? sum / n : 0;
        double dev = 0;
        for (int j = 0; j < n; j++) dev += fabs(samples[j].latency - avg);
        dev = n ? dev / n : 0;
        r = rstrCatPrintf(r, "%d. %s: %d spike%s, average %.0f ms (mean deviation %.0f ms)", i + 1,
                          ev->name, n, n == 1 ? "" : "s", avg, dev);
        if (n > 1) {
            double period = (double)(samples[n - 1].time - samples[0].time) / (n - 1);
            r = rstrCatPrintf(r, ", one every %.2f s on average", period);
        }
        r = rstrCatPrintf(r, "; the worst so far took %lu ms.\n", (unsigned long)ev->max);
    }
    r = rstrCat(r, "\nWhat to look at:\n\n");
    int generic = 0;
    for (int i = 0; i < eventCount; i++) {
        const char *advice = adviceFor(events[i]->name);
        if (advice)
            r = rstrCatPrintf(r, "- %s\n", advice);
        else
            generic = 1;
    }
    if (generic)
        r = rstrCat(r, "- Other events: LATENCY HISTORY <event> shows when they happened; compare "
                       "with what the server was doing then.\n");
    if (threshold < 5)
        r = rstrCatPrintf(r, "- The threshold (%lld ms) is very low: scheduling noise of the "
                             "operating system alone can exceed it.\n",
                          threshold);
    return r;
}

void latencyDoctorCommand(client *c) {
    rstr r = doctorReport();
    addReplyVerbatim(c, r, rstrLen(r), "txt");
    rstrFree(r);
}

void latencyHelpCommand(client *c) {
    static const char *help[] = {
        "DOCTOR",
        "    Analyse the recorded latency spikes and suggest what may cause them.",
        "GRAPH <event>",
        "    Draw the recorded spikes of <event> as an ASCII chart.",
        "HISTORY <event>",
        "    List the [unix time, milliseconds] samples recorded for <event>.",
        "LATEST",
        "    For each event: its name, the time and duration of its latest spike, and",
        "    its worst duration ever.",
        "RESET [<event> ...]",
        "    Forget the samples of the given events (of every event without",
        "    arguments); reply with the number of events forgotten.",
        "HISTOGRAM [<command> ...]",
        "    The distribution of execution times (cumulative, in microseconds) of the",
        "    given commands, or of every command that has run.",
        NULL};
    addReplyHelp(c, help);
}
