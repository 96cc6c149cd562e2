/* sha256.h -- SHA-256 (FIPS 180-4), for ACL password hashes (sha256.c).
 *
 * Library tier: no server state, no allocation.  Streaming use:
 *     sha256Ctx ctx;
 *     sha256Init(&ctx);
 *     sha256Update(&ctx, part1, len1);  ... any number of times
 *     sha256Final(&ctx, digest);
 * or the one-shot sha256Hex(), which is what the ACL code stores: 64
 * lower-case hex characters. */
#ifndef RINGKV_SHA256_H
#define RINGKV_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_HEX_LEN (SHA256_DIGEST_LEN * 2)

typedef struct sha256Ctx {
    uint32_t state[8];   /* the running hash value H0..H7 */
    uint64_t bitlen;     /* message bits absorbed so far */
    uint8_t block[64];   /* pending bytes of a partial block */
    size_t blocklen;     /* bytes used in block */
} sha256Ctx;

void sha256Init(sha256Ctx *ctx);
void sha256Update(sha256Ctx *ctx, const void *data, size_t len);
/* Pads, writes the 32-byte digest and leaves ctx unusable until re-inited. */
void sha256Final(sha256Ctx *ctx, uint8_t digest[SHA256_DIGEST_LEN]);

/* Digest of data[0..len) as lower-case hex into out (SHA256_HEX_LEN
 * characters plus a terminating NUL). */
void sha256Hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);

#endif
