/* debug.h -- the DEBUG command and the dataset digest (debug.c).
 *
 * DEBUG exposes internals for white-box tests (object encodings, hash table
 * shapes, a digest of the whole dataset) and knobs that make rare paths
 * cheap to reach (sleeping, bulk population, switching active expiry off).
 * It is refused unless enable-debug-command allows it (the dispatcher
 * checks).
 *
 * The digest is a 20-byte value, shown as 40 hex digits.  Type modules make
 * their values digestible by registering a function that fills a digest from
 * the contents of a value; two helpers combine digests:
 *   debugDigestMix  ordered: the digest depends on the order of the calls
 *                   (list elements, a sorted set in rank order, a field then
 *                   its value);
 *   debugDigestXor  unordered: folds one digest into another so that the
 *                   order of folding does not matter (set members, hash
 *                   fields: their internal order depends on the encoding,
 *                   the digest must not). */
#ifndef RINGKV_DEBUG_H
#define RINGKV_DEBUG_H

#include <stddef.h>

#include "client.h"
#include "object.h"

#define DEBUG_DIGEST_LEN 20

void debugCommand(client *c);

/* digest = H(digest || len || bytes): ordered combination. */
void debugDigestMix(unsigned char digest[DEBUG_DIGEST_LEN], const void *p, size_t len);
/* digest ^= other: unordered combination. */
void debugDigestXor(unsigned char digest[DEBUG_DIGEST_LEN],
                    const unsigned char other[DEBUG_DIGEST_LEN]);
/* A value's digest: fn receives a zeroed digest and fills it from the
 * contents of o (not from its encoding).  Strings are built in. */
typedef void debugValueDigestProc(robj *o, unsigned char digest[DEBUG_DIGEST_LEN]);
void debugSetValueDigestFunction(int type, debugValueDigestProc *fn);

#endif
