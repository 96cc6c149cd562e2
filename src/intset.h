/* intset.h -- a sorted set of integers in one contiguous blob.
 *
 * The layout is Redis's intset, byte for byte, so it travels unchanged in
 * RDB files and DUMP payloads (RDB type 11):
 *
 *   <encoding u32 LE> <length u32 LE> <length sorted, distinct signed ints>
 *
 * encoding is the width of every element: 2, 4 or 8 bytes, little endian.
 * Adding a value that does not fit the current width rewrites the whole
 * set at the wider width ("upgrade"); removing never narrows it back.
 * Membership is a binary search; insertion and removal memmove the tail.
 * The blob is resized to its exact size on every change.
 *
 * Only intsetValidateIntegrity() is safe on untrusted bytes.
 */
#ifndef RINGKV_INTSET_H
#define RINGKV_INTSET_H

#include <stddef.h>
#include <stdint.h>

/* Element widths (the value of the encoding field). */
#define INTSET_ENC_INT16 ((uint32_t)sizeof(int16_t))
#define INTSET_ENC_INT32 ((uint32_t)sizeof(int32_t))
#define INTSET_ENC_INT64 ((uint32_t)sizeof(int64_t))

/* Opaque: the blob is contiguous (intsetBlobLen bytes starting at the
 * pointer), so it can be written out or memcpy'd as is. */
typedef struct intset intset;

/* A new empty set (INT16 encoding, 8 bytes). */
intset *intsetNew(void);
void intsetFree(intset *is);
/* A copy of the blob. */
intset *intsetDup(const intset *is);
/* Adds value; *success (may be NULL) is 1 if added, 0 if already present.
 * Returns the (possibly moved) set: always `is = intsetAdd(is, ...)`. */
intset *intsetAdd(intset *is, int64_t value, uint8_t *success);
/* Removes value; *success (may be NULL) is 1 if it was present. */
intset *intsetRemove(intset *is, int64_t value, int *success);
/* 1 if value is in the set. */
uint8_t intsetFind(intset *is, int64_t value);
/* A uniformly chosen element; the set must not be empty. */
int64_t intsetRandom(intset *is);
/* Largest / smallest element; the set must not be empty. */
int64_t intsetMax(intset *is);
int64_t intsetMin(intset *is);
/* Element at pos (0 = smallest) into *value; 0 if pos is out of range. */
uint8_t intsetGet(intset *is, uint32_t pos, int64_t *value);
/* Number of elements. */
uint32_t intsetLen(const intset *is);
/* Bytes of the blob (header + elements). */
size_t intsetBlobLen(intset *is);
/* Validates `size` untrusted bytes, never reading past them. Shallow
 * (deep=0, O(1)): the header is readable, the encoding is 2, 4 or 8 and
 * size == 8 + length*encoding. Deep: also elements strictly ascending (and
 * each one needing the declared width is not checked: Redis does not either).
 * An empty set is structurally valid: loaders reject empty keys themselves.
 * Returns 1 if valid. */
int intsetValidateIntegrity(const unsigned char *is, size_t size, int deep);

#endif
