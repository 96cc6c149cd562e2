/* sha256.c -- SHA-256 as specified by FIPS 180-4, section 6.2.
 *
 * Why it is here: ACL passwords are never stored, only their SHA-256 (the
 * `#<hex>` form ACL LIST shows and ACL files carry, which must be the same
 * digest Redis computes so users can move between the two servers).  The
 * input is a password, so speed hardly matters; the code favours being
 * easy to check against the standard: one function per step of the
 * specification (message schedule, 64 rounds, padding), big-endian loads
 * and stores spelled out byte by byte so the result does not depend on the
 * host's byte order or alignment.
 *
 * tests/c/test_sha256.c checks it against the standard's known answers
 * (empty message, "abc", the two-block message and one million 'a'). */
#include "sha256.h"

#include <string.h>

/* First 32 bits of the fractional parts of the cube roots of the first 64
 * primes (FIPS 180-4, 4.2.2). */
static const uint32_t sha256K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n) {
    return (x >> n) | (x << (32 - n));
}

/* The six logical functions of FIPS 180-4, 4.1.2. */
static uint32_t ch(uint32_t x, uint32_t y, uint32_t z) {
    return (x & y) ^ (~x & z);
}
static uint32_t maj(uint32_t x, uint32_t y, uint32_t z) {
    return (x & y) ^ (x & z) ^ (y & z);
}
static uint32_t bigSigma0(uint32_t x) {
    return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22);
}
static uint32_t bigSigma1(uint32_t x) {
    return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25);
}
static uint32_t smallSigma0(uint32_t x) {
    return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3);
}
static uint32_t smallSigma1(uint32_t x) {
    return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10);
}

static uint32_t load32be(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void store32be(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Absorbs one 64-byte block (FIPS 180-4, 6.2.2 steps 1-4). */
static void sha256Block(uint32_t state[8], const uint8_t block[64]) {
    uint32_t w[64];
    for (int t = 0; t < 16; t++) w[t] = load32be(block + 4 * t);
    for (int t = 16; t < 64; t++)
        w[t] = smallSigma1(w[t - 2]) + w[t - 7] + smallSigma0(w[t - 15]) + w[t - 16];

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = h + bigSigma1(e) + ch(e, f, g) + sha256K[t] + w[t];
        uint32_t t2 = bigSigma0(a) + maj(a, b, c);
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

void sha256Init(sha256Ctx *ctx) {
    /* Initial hash value (FIPS 180-4, 5.3.3): fractional parts of the
     * square roots of the first eight primes. */
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(ctx->state, h0, sizeof(h0));
    ctx->bitlen = 0;
    ctx->blocklen = 0;
}

void sha256Update(sha256Ctx *ctx, const void *data, size_t len) {
    const uint8_t *p = data;
    ctx->bitlen += (uint64_t)len * 8;
    /* Top up a partial block first, then whole blocks straight from the
     * input, then keep the tail. */
    if (ctx->blocklen) {
        size_t take = 64 - ctx->blocklen;
        if (take > len) take = len;
        memcpy(ctx->block + ctx->blocklen, p, take);
        ctx->blocklen += take;
        p += take;
        len -= take;
        if (ctx->blocklen < 64) return;
        sha256Block(ctx->state, ctx->block);
        ctx->blocklen = 0;
    }
    while (len >= 64) {
        sha256Block(ctx->state, p);
        p += 64;
        len -= 64;
    }
    memcpy(ctx->block, p, len);
    ctx->blocklen = len;
}

void sha256Final(sha256Ctx *ctx, uint8_t digest[SHA256_DIGEST_LEN]) {
    /* Padding (FIPS 180-4, 5.1.1): a 1 bit, zeros up to 56 bytes mod 64,
     * then the message length in bits as a 64-bit big-endian number. */
    uint64_t bitlen = ctx->bitlen;
    ctx->block[ctx->blocklen++] = 0x80;
    if (ctx->blocklen > 56) {
        memset(ctx->block + ctx->blocklen, 0, 64 - ctx->blocklen);
        sha256Block(ctx->state, ctx->block);
        ctx->blocklen = 0;
    }
    memset(ctx->block + ctx->blocklen, 0, 56 - ctx->blocklen);
    store32be(ctx->block + 56, (uint32_t)(bitlen >> 32));
    store32be(ctx->block + 60, (uint32_t)bitlen);
    sha256Block(ctx->state, ctx->block);
    for (int i = 0; i < 8; i++) store32be(digest + 4 * i, ctx->state[i]);
    memset(ctx, 0, sizeof(*ctx));
}

void sha256Hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]) {
    static const char hex[] = "0123456789abcdef";
    uint8_t digest[SHA256_DIGEST_LEN];
    sha256Ctx ctx;
    sha256Init(&ctx);
    sha256Update(&ctx, data, len);
    sha256Final(&ctx, digest);
    for (int i = 0; i < SHA256_DIGEST_LEN; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[SHA256_HEX_LEN] = '\0';
}
