/* latency_histogram.c -- queries over the log-linear duration histogram
 * declared in latency_histogram.h (recording is inline there).
 *
 * Why not an HDR histogram library: the server only ever asks three things
 * (percentiles, a power-of-two CDF, the sample count) about durations that
 * the clock gives in whole microseconds, so a flat array of counters with a
 * closed-form bucket index is all that is needed; it costs one allocation
 * per command that has run, and nothing to configure.
 *
 * Bucket geometry (see the header): index i < 128 holds exactly i us; from
 * 128 on, row r = i / 128 covers [2^(r+6), 2^(r+7)) in 128 buckets of width
 * 2^(r-1) us. */
#include "latency_histogram.h"

#include "zmalloc.h"

latencyHistogram *latencyHistogramCreate(void) {
    return zcalloc(sizeof(latencyHistogram));
}

void latencyHistogramFree(latencyHistogram *h) {
    zfree(h);
}

uint64_t latencyHistogramBucketLow(unsigned idx) {
    if (idx < LATHIST_SUB_BUCKETS) return idx;
    unsigned shift = idx / LATHIST_SUB_BUCKETS - 1;
    uint64_t sub = idx - shift * LATHIST_SUB_BUCKETS; /* 128..255 */
    return sub << shift;
}

uint64_t latencyHistogramBucketHigh(unsigned idx) {
    if (idx < LATHIST_SUB_BUCKETS) return idx;
    unsigned shift = idx / LATHIST_SUB_BUCKETS - 1;
    return latencyHistogramBucketLow(idx) + (1ULL << shift) - 1;
}

uint64_t latencyHistogramPercentile(const latencyHistogram *h, double p) {
    if (h->total == 0) return 0;
    if (p <= 0) {
        for (unsigned i = 0; i < LATHIST_BUCKETS; i++)
            if (h->counts[i]) return latencyHistogramBucketLow(i);
        return 0;
    }
    double wanted = p < 100.0 ? p : 100.0;
    /* Rank of the sample that answers, rounded to nearest (HDR's rule). */
    uint64_t rank = (uint64_t)(wanted / 100.0 * (double)h->total + 0.5);
    if (rank < 1) rank = 1;
    uint64_t seen = 0;
    for (unsigned i = 0; i < LATHIST_BUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= rank) return latencyHistogramBucketHigh(i);
    }
    return LATHIST_MAX_US;
}

/* Number of doublings of the CDF: 2^10 ns .. 2^30 ns; the last boundary is
 * past LATHIST_MAX_US (1e9 ns), so every sample is counted by then. */
#define LATHIST_CDF_STEPS 21

int latencyHistogramCdf(const latencyHistogram *h, latencyHistogramCdfFn *fn, void *privdata) {
    uint64_t cumulative = 0, reported = 0;
    unsigned idx = 0;
    int calls = 0;
    for (int k = 0; k < LATHIST_CDF_STEPS && reported < h->total; k++) {
        int last = k == LATHIST_CDF_STEPS - 1;
        /* An HDR histogram with two significant digits keeps a boundary
         * 2^m together with the next 2^(m-7) - 1 values: samples up to
         * there count as "at the boundary", and its label is the last of
         * them.  At the final step Redis's histogram ends (2^30 - 1 ns). */
        uint64_t boundary = 1ULL << (10 + k);
        uint64_t limit_ns = boundary + (boundary >> 7);
        long long label = last ? (long long)((boundary - 1) / 1000) : (long long)((limit_ns - 1) / 1000);
        while (idx < LATHIST_BUCKETS && (last || latencyHistogramBucketLow(idx) * 1000 < limit_ns))
            cumulative += h->counts[idx++];
        if (cumulative > reported) {
            fn(privdata, label, cumulative);
            reported = cumulative;
            calls++;
        }
    }
    return calls;
}
