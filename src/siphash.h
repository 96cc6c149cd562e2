/* siphash.h: seeded SipHash for hash tables (see siphash.c for the design). */
#ifndef SIPHASH_H
#define SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* Length in bytes of a SipHash key. */
#define SIPHASH_KEY_LEN 16

/* SipHash-1-2 of in[0..inlen) under the 16-byte key k: the hash-table hash. */
uint64_t siphash(const uint8_t *in, size_t inlen, const uint8_t k[SIPHASH_KEY_LEN]);

/* Same as siphash(), but every ASCII upper-case byte is hashed as its lower-case
 * form, so keys that differ only in ASCII case hash equally. Non-ASCII bytes are
 * hashed unchanged. */
uint64_t siphashNocase(const uint8_t *in, size_t inlen, const uint8_t k[SIPHASH_KEY_LEN]);

/* SipHash-2-4 (the paper's recommended parameters). Shares its core with the
 * two functions above; exists so the official test vectors can validate it. */
uint64_t siphash24(const uint8_t *in, size_t inlen, const uint8_t k[SIPHASH_KEY_LEN]);

#endif /* SIPHASH_H */
