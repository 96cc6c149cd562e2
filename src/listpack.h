/* listpack.h -- a compact, contiguous list of strings and integers.
 *
 * A listpack is one heap blob laid out exactly as Redis's listpack (the
 * public listpack specification), so RDB files and DUMP payloads carry it
 * verbatim and loading is a validation pass, never a conversion:
 *
 *   <total-bytes u32 LE> <num-elements u16 LE> <entry> ... <entry> <0xFF>
 *
 *   num-elements is 65535 ("unknown") once the count reaches 65535; then
 *   lpLength() counts by walking (and caches the count again if it fell
 *   back under 65535).
 *
 *   entry = <encoding [+ length]> <data> <backlen>
 *     0xxxxxxx                     7-bit unsigned int 0..127, no data
 *     10LLLLLL                     string of 0..63 bytes
 *     110xxxxx yyyyyyyy            13-bit signed int (two's complement)
 *     1110LLLL LLLLLLLL            string of 64..4095 bytes (big-endian len)
 *     11110000 <u32 LE len>        string of up to 2^32-1 bytes
 *     11110001 / 11110010 /
 *     11110011 / 11110100          16 / 24 / 32 / 64-bit signed int, LE
 *     backlen: the size of encoding+data in 1..5 bytes, 7 bits per byte,
 *     readable right to left (the rightmost byte holds the low bits and has
 *     bit 7 set when more bytes follow to its left).
 *
 * Strings that are the canonical text of a 64-bit integer (string2ll rules:
 * no '+', no leading zeros, no "-0") are stored as integers, the smallest
 * encoding that fits, just as Redis does: building a listpack from the same
 * inputs in the same order yields byte-identical blobs.
 *
 * Conventions
 *   - Functions that can grow or shrink the blob take `lp` and return the new
 *     pointer (the old one is invalid afterwards): always `lp = lpXxx(lp,..)`.
 *     Element pointers into the old blob are invalid too, except those handed
 *     back through the `newp` / `p` out-parameters.
 *   - An element pointer `p` points at the first byte of an entry's encoding.
 *     The end byte (0xFF) is never returned as an element: iteration
 *     functions return NULL instead.
 *   - A string being inserted must not point into the same listpack (the
 *     realloc may move it before it is copied): copy such a value first.
 *   - Memory comes from zmalloc and is resized to the exact size on every
 *     change (the allocator's size classes provide the slack); nothing else
 *     is allocated on any path.
 *   - Only lpValidateIntegrity() is safe on untrusted bytes. Every other
 *     function assumes a well-formed listpack (validated or built here).
 */
#ifndef RINGKV_LISTPACK_H
#define RINGKV_LISTPACK_H

#include <stddef.h>
#include <stdint.h>

/* Header: total bytes (u32) + element count (u16). */
#define LP_HDR_SIZE 6
/* Element count value meaning "too many, walk to count". */
#define LP_HDR_NUMELE_UNKNOWN UINT16_MAX
/* The byte terminating every listpack. */
#define LP_EOF 0xFF
/* Buffer size able to hold any long long rendered as text (with sign, NUL). */
#define LP_INTBUF_SIZE 21
/* Blob size a caller should not exceed (lpSafeToAdd); the format itself
 * allows 4 GB, but bigger blobs make every insert a huge memmove. */
#define LISTPACK_MAX_SAFETY_SIZE (1ul << 30)

/* Where lpInsertString / lpInsertInteger put the new element relative to p. */
#define LP_BEFORE 0
#define LP_AFTER 1
#define LP_REPLACE 2

/* A decoded element: a string (sval != NULL, slen bytes, pointing INTO the
 * listpack, so only valid until it changes) or an integer (sval == NULL,
 * value in lval). */
typedef struct {
    unsigned char *sval;
    uint32_t slen;
    long long lval;
} listpackEntry;

/* ---- Creation, size ---------------------------------------------------- */

/* Returns a new empty listpack; capacity pre-allocates that many bytes (0 is
 * fine: the blob then has exactly its 7 bytes). */
unsigned char *lpNew(size_t capacity);
void lpFree(unsigned char *lp);
/* Releases allocation slack beyond lpBytes(); returns the new pointer. */
unsigned char *lpShrinkToFit(unsigned char *lp);
/* Total bytes of the blob (header + entries + end byte). */
size_t lpBytes(unsigned char *lp);
/* Number of elements: O(1), except when the header says "unknown" (65535 or
 * more elements ever), in which case it walks the listpack. */
unsigned long lpLength(unsigned char *lp);
/* 1 if adding `add` more bytes keeps the blob under LISTPACK_MAX_SAFETY_SIZE. */
int lpSafeToAdd(unsigned char *lp, size_t add);
/* Exact bytes (encoding + data + backlen) that the string s / the integer v
 * would occupy as one entry: lets callers check size limits before inserting. */
size_t lpEntrySizeString(const unsigned char *s, uint32_t slen);
size_t lpEntrySizeInteger(long long v);
/* Bytes occupied by the entry at p (encoding + data + backlen). */
size_t lpEntryBytes(unsigned char *p);

/* ---- Insertion, replacement, deletion ---------------------------------- */

/* Append / prepend one element. Strings that look like integers are stored
 * as integers (see the top comment). */
unsigned char *lpAppend(unsigned char *lp, const unsigned char *s, uint32_t slen);
unsigned char *lpAppendInteger(unsigned char *lp, long long v);
unsigned char *lpPrepend(unsigned char *lp, const unsigned char *s, uint32_t slen);
unsigned char *lpPrependInteger(unsigned char *lp, long long v);

/* Inserts before / after the element p, or replaces it (LP_REPLACE). p may
 * also point at the end byte with LP_BEFORE (append). If newp is not NULL it
 * receives a pointer to the inserted/replacing element in the new blob. */
unsigned char *lpInsertString(unsigned char *lp, const unsigned char *s, uint32_t slen,
                              unsigned char *p, int where, unsigned char **newp);
unsigned char *lpInsertInteger(unsigned char *lp, long long v, unsigned char *p, int where,
                               unsigned char **newp);
/* Replace the element *p; *p is updated to the replacing element. */
unsigned char *lpReplace(unsigned char *lp, unsigned char **p, const unsigned char *s,
                         uint32_t slen);
unsigned char *lpReplaceInteger(unsigned char *lp, unsigned char **p, long long v);

/* Deletes the element p. If newp is not NULL it receives the element that
 * followed p (NULL if p was the last one), so deleting while iterating is:
 *   lp = lpDelete(lp, p, &p);   (then continue with p, no lpNext) */
unsigned char *lpDelete(unsigned char *lp, unsigned char *p, unsigned char **newp);
/* Deletes num elements starting at index (negative counts from the end);
 * fewer if the listpack ends first. Out-of-range index: no-op. */
unsigned char *lpDeleteRange(unsigned char *lp, long index, unsigned long num);
/* Deletes num elements starting at *p (fewer if the listpack ends first);
 * *p then points at the element after the deleted ones, or NULL at the end. */
unsigned char *lpDeleteRangeWithEntry(unsigned char *lp, unsigned char **p, unsigned long num);
/* Deletes the `count` elements ps[0..count-1], which must be distinct and in
 * ascending address order; one memmove pass, one realloc. */
unsigned char *lpBatchDelete(unsigned char *lp, unsigned char **ps, unsigned long count);
/* Appends *second to *first (the larger blob is reallocated, the other one
 * freed). Returns the merged listpack and stores it in the surviving one of
 * *first / *second, setting the other to NULL. NULL if either is NULL or
 * both are the same blob. */
unsigned char *lpMerge(unsigned char **first, unsigned char **second);

/* ---- Iteration and access ---------------------------------------------- */

unsigned char *lpFirst(unsigned char *lp);                  /* NULL if empty */
unsigned char *lpLast(unsigned char *lp);                   /* NULL if empty */
unsigned char *lpNext(unsigned char *lp, unsigned char *p); /* NULL after the last */
unsigned char *lpPrev(unsigned char *lp, unsigned char *p); /* NULL before the first */
/* Element at index (0 first, -1 last); NULL if out of range. Walks from the
 * nearer end. */
unsigned char *lpSeek(unsigned char *lp, long index);
/* Pointer to a uniformly chosen element; NULL if empty. */
unsigned char *lpRandom(unsigned char *lp);

/* Decodes element p. Strings: returns a pointer to the bytes (inside the
 * listpack) and stores the length in *count. Integers: if intbuf is NULL,
 * returns NULL and stores the value in *count; if intbuf (LP_INTBUF_SIZE
 * bytes) is given, renders the decimal text there, returns intbuf and stores
 * the text length in *count. */
unsigned char *lpGet(unsigned char *p, int64_t *count, unsigned char *intbuf);
/* Decodes element p: a string returns its pointer with *slen set; an
 * integer returns NULL with *lval set. */
unsigned char *lpGetValue(unsigned char *p, unsigned int *slen, long long *lval);
void lpGetEntry(unsigned char *p, listpackEntry *e);
/* 1 if the element p is an integer, storing it in *lval; 0 for strings
 * (even numeric-looking ones cannot occur: they are always stored as ints). */
int lpGetIntegerValue(unsigned char *p, long long *lval);

/* Finds, starting at p, the first element equal to s (by lpCompare rules),
 * looking only at p and then every (skip+1)-th element: skip=1 searches the
 * fields of a field/value listpack. Returns NULL if not found. */
unsigned char *lpFind(unsigned char *lp, unsigned char *p, const unsigned char *s, uint32_t slen,
                      unsigned int skip);
/* 1 if element p equals the string s. An integer element equals exactly its
 * canonical decimal text ("10" matches 10, "010" and "+10" do not). */
int lpCompare(unsigned char *p, const unsigned char *s, uint32_t slen);

/* ---- Untrusted input ---------------------------------------------------- */

/* Validates a blob of `size` bytes (from RDB / RESTORE). Never reads outside
 * [lp, lp+size). Shallow (deep=0): header total matches size, end byte in
 * place. Deep: additionally every entry's encoding, lengths and backlen are
 * consistent and in bounds, the end byte comes exactly at the end, and the
 * element count matches the header (unless unknown). entry_cb, if given, is
 * called for each entry of a deep walk with the header count; returning 0
 * from it fails validation. Returns 1 if valid, 0 if not. */
int lpValidateIntegrity(unsigned char *lp, size_t size, int deep,
                        int (*entry_cb)(unsigned char *p, unsigned int head_count, void *userdata),
                        void *cb_userdata);

/* ---- Random sampling of field/value pairs (hashes, zsets) --------------- */

/* One random pair; total_count is the number of elements (2 * pairs). val
 * may be NULL. */
void lpRandomPair(unsigned char *lp, unsigned long total_count, listpackEntry *key,
                  listpackEntry *val);
/* count random pairs, with repetition; vals may be NULL. */
void lpRandomPairs(unsigned char *lp, unsigned int count, listpackEntry *keys,
                   listpackEntry *vals);
/* Up to count distinct random pairs (all of them if count >= pairs), in
 * listpack order; vals may be NULL. Returns how many were picked. */
unsigned int lpRandomPairsUnique(unsigned char *lp, unsigned int count, listpackEntry *keys,
                                 listpackEntry *vals);

#endif
