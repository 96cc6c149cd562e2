/* siphash.c: SipHash, the keyed hash behind every hash table in the server.
 *
 * What it owns: one generic SipHash-c-d core, instantiated as SipHash-1-2 (the
 * table hash, with a case-insensitive twin) and SipHash-2-4 (for validation).
 *
 * Why SipHash: keys arrive from the network, so a fixed hash function lets a
 * client choose keys that all land in one chain and turn O(1) lookups into
 * O(n) (hash flooding). SipHash is a PRF keyed by a 128-bit secret picked at
 * startup, so an attacker cannot predict collisions.
 *
 * Why 1-2 rounds: the paper (Aumasson & Bernstein, "SipHash: a fast short-input
 * PRF", 2012) recommends 2 compression and 4 finalization rounds. Hash tables
 * hash short keys constantly and only need collision unpredictability, not a
 * MAC, so we trade margin for speed with 1 and 2 rounds, as other in-memory
 * stores do. The round counts are parameters of one inline core, and
 * siphash24() instantiates the same core with 2 and 4 so the official test
 * vectors check the message schedule, padding and finalization we use.
 *
 * Algorithm (from the paper): state v0..v3 is the key XORed with the ASCII of
 * "somepseudorandomlygeneratedbytes"; each 8-byte little-endian word m is
 * absorbed as v3 ^= m, c SipRounds, v0 ^= m; the last word holds the remaining
 * 0..7 bytes with (inlen mod 256) in its top byte; then v2 ^= 0xff, d rounds,
 * and the result is v0 ^ v1 ^ v2 ^ v3.
 *
 * The case-insensitive variant lowers each byte as it is read instead of
 * copying the key: the command table looks names up by client input without
 * allocating.
 */
#include "siphash.h"

#include <string.h>

/* Rotate left; compilers turn this into a single instruction. */
#define SIP_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

/* One SipRound: the ARX network from the paper, figure 2.2. */
#define SIP_ROUND(v0, v1, v2, v3)                                              \
    do {                                                                       \
        v0 += v1; v1 = SIP_ROTL(v1, 13); v1 ^= v0; v0 = SIP_ROTL(v0, 32);      \
        v2 += v3; v3 = SIP_ROTL(v3, 16); v3 ^= v2;                             \
        v0 += v3; v3 = SIP_ROTL(v3, 21); v3 ^= v0;                             \
        v2 += v1; v1 = SIP_ROTL(v1, 17); v1 ^= v2; v2 = SIP_ROTL(v2, 32);      \
    } while (0)

/* ASCII-only lower-casing: locale-independent on purpose, since hashing must
 * agree with the table's byte comparison whatever setlocale() says. */
static inline uint8_t asciiLower(uint8_t c) {
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* Reads 8 bytes little-endian. Byte-wise assembly is endian-neutral and
 * alignment-safe; gcc and clang compile it to one load on x86-64 and arm64. */
static inline uint64_t loadLE64(const uint8_t *p, int nocase) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* gcc 12 does not always fuse the byte loop below into one load (seen
     * in instruction counts): say it directly where we can. */
    if (!nocase) {
        uint64_t v;
        memcpy(&v, p, sizeof(v));
        return v;
    }
#endif
    uint64_t w = 0;
    for (int i = 7; i >= 0; i--) {
        uint8_t c = nocase ? asciiLower(p[i]) : p[i];
        w = (w << 8) | c;
    }
    return w;
}

/* The generic core. Always inlined with constant crounds/drounds/nocase so
 * each public function gets a specialized loop without branches on them. */
static inline __attribute__((always_inline)) uint64_t sipCore(
    const uint8_t *in, size_t inlen, const uint8_t k[SIPHASH_KEY_LEN],
    int crounds, int drounds, int nocase) {
    uint64_t k0 = loadLE64(k, 0), k1 = loadLE64(k + 8, 0);
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0; /* "somepseu" */
    uint64_t v1 = 0x646f72616e646f6dULL ^ k1; /* "dorandom" */
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0; /* "lygenera" */
    uint64_t v3 = 0x7465646279746573ULL ^ k1; /* "tedbytes" */
    const uint8_t *end = in + (inlen & ~(size_t)7);

    for (; in != end; in += 8) {
        uint64_t m = loadLE64(in, nocase);
        v3 ^= m;
        for (int r = 0; r < crounds; r++) SIP_ROUND(v0, v1, v2, v3);
        v0 ^= m;
    }

    /* Final word: leftover bytes in the low positions, length mod 256 on top. */
    uint64_t b = (uint64_t)inlen << 56;
    for (int i = (int)(inlen & 7) - 1; i >= 0; i--) {
        uint8_t c = nocase ? asciiLower(in[i]) : in[i];
        b |= (uint64_t)c << (8 * i);
    }
    v3 ^= b;
    for (int r = 0; r < crounds; r++) SIP_ROUND(v0, v1, v2, v3);
    v0 ^= b;

    v2 ^= 0xff;
    for (int r = 0; r < drounds; r++) SIP_ROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t siphash(const uint8_t *in, size_t inlen, const uint8_t k[SIPHASH_KEY_LEN]) {
    return sipCore(in, inlen, k, 1, 2, 0);
}

uint64_t siphashNocase(const uint8_t *in, size_t inlen, const uint8_t k[SIPHASH_KEY_LEN]) {
    return sipCore(in, inlen, k, 1, 2, 1);
}

uint64_t siphash24(const uint8_t *in, size_t inlen, const uint8_t k[SIPHASH_KEY_LEN]) {
    return sipCore(in, inlen, k, 2, 4, 0);
}
