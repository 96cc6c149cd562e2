/* latency_histogram.h -- a fixed-size log-linear histogram of durations in
 * microseconds (latency_histogram.c), the store behind INFO latencystats
 * and LATENCY HISTOGRAM.
 *
 * Layout.  Values 1..127 us each have a bucket of their own.  From 128 us
 * on, every power-of-two range [2^e, 2^(e+1)) is split into
 * LATHIST_SUB_BUCKETS equal buckets, so a bucket is never wider than 1/128
 * of its values (under 0.8% error), whatever the magnitude.  Samples are
 * clamped to [1 us, 1 s]: the clock has microsecond resolution (a reading
 * of 0 means "below one microsecond"), and anything longer than a second is
 * simply "very slow" for the questions this histogram answers.
 *
 * Recording is the hot path (one per executed command): a clamp, a count
 * of leading zeros, a shift and two increments, inline below.  Queries walk
 * the ~1800 buckets, which only INFO and LATENCY do.
 *
 * Library tier: no server state. */
#ifndef RINGKV_LATENCY_HISTOGRAM_H
#define RINGKV_LATENCY_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

#define LATHIST_SUB_BITS 7
#define LATHIST_SUB_BUCKETS (1 << LATHIST_SUB_BITS) /* 128 */
#define LATHIST_MIN_US 1
#define LATHIST_MAX_US 1000000 /* 1 s */
/* 2^19 <= LATHIST_MAX_US < 2^20: exponents 7..19 each take one row of
 * LATHIST_SUB_BUCKETS, after the 128 one-microsecond buckets. */
#define LATHIST_MAX_EXP 19
#define LATHIST_BUCKETS ((LATHIST_MAX_EXP - LATHIST_SUB_BITS + 2) * LATHIST_SUB_BUCKETS)

typedef struct latencyHistogram {
    uint64_t total;                    /* samples recorded */
    uint64_t counts[LATHIST_BUCKETS];
} latencyHistogram;

latencyHistogram *latencyHistogramCreate(void); /* empty */
void latencyHistogramFree(latencyHistogram *h);

/* Bucket of a sample already clamped to [LATHIST_MIN_US, LATHIST_MAX_US]. */
static inline unsigned latencyHistogramIndex(uint64_t us) {
    if (us < LATHIST_SUB_BUCKETS) return (unsigned)us;
    unsigned e = 63u - (unsigned)__builtin_clzll(us);
    unsigned shift = e - LATHIST_SUB_BITS;
    /* us >> shift lies in [128, 256): the row of exponent e starts at
     * (e - 6) * 128, so the bucket is (e - 7) * 128 + (us >> shift). */
    return shift * LATHIST_SUB_BUCKETS + (unsigned)(us >> shift);
}

/* Records one duration (microseconds; clamped as described above). */
static inline void latencyHistogramRecord(latencyHistogram *h, long long us) {
    uint64_t v = us < LATHIST_MIN_US ? LATHIST_MIN_US
                 : us > LATHIST_MAX_US ? LATHIST_MAX_US
                                       : (uint64_t)us;
    h->counts[latencyHistogramIndex(v)]++;
    h->total++;
}

/* Smallest and largest microsecond values that fall into bucket idx. */
uint64_t latencyHistogramBucketLow(unsigned idx);
uint64_t latencyHistogramBucketHigh(unsigned idx);

/* The value at percentile p (0..100) in microseconds, as HDR histograms
 * define it: the largest value of the bucket holding the sample of rank
 * round(p% of total) (at least the first); p == 0 gives the smallest value
 * of the lowest non-empty bucket.  0 for an empty histogram. */
uint64_t latencyHistogramPercentile(const latencyHistogram *h, double p);

/* Cumulative distribution at power-of-two boundaries, in the shape of
 * LATENCY HISTOGRAM: for k = 0, 1, ... the boundary is 2^(10+k)
 * nanoseconds (1.024 us doubling), each reported under the label Redis
 * prints for it (the largest nanosecond value an HDR histogram with two
 * significant digits treats as equal to the boundary, in whole
 * microseconds: 1, 2, 4, 8, 16, 33, 66, 132 ...).  fn is called for each
 * boundary at which the cumulative count grew, in increasing order, until
 * all samples are accounted for.  Returns the number of calls. */
typedef void latencyHistogramCdfFn(void *privdata, long long label_us, uint64_t cumulative);
int latencyHistogramCdf(const latencyHistogram *h, latencyHistogramCdfFn *fn, void *privdata);

#endif
