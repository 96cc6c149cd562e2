/* hyperloglog.h -- HyperLogLog commands (hyperloglog.c).
 *
 * A HyperLogLog is an ordinary string value laid out exactly as Redis lays
 * it out (magic "HYLL", encoding byte, cached cardinality, then 16384 6-bit
 * registers, dense or run-length "sparse"), so values move between Redis
 * and ringkv byte for byte.  Besides the handlers, the header exports the
 * format check that RESTORE / snapshot loading may want. */
#ifndef RINGKV_HYPERLOGLOG_H
#define RINGKV_HYPERLOGLOG_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"

/* 1 when the bytes are a structurally valid HyperLogLog (header, length of a
 * dense value, sparse opcodes covering exactly all registers), else 0. */
int hllIsValid(const unsigned char *p, size_t len);

/* The hash Redis uses for HyperLogLog elements (MurmurHash64A). */
uint64_t hllMurmurHash64A(const void *key, size_t len, uint64_t seed);

void pfaddCommand(client *c);
void pfcountCommand(client *c);
void pfmergeCommand(client *c);
void pfdebugCommand(client *c);
void pfselftestCommand(client *c);

#endif
