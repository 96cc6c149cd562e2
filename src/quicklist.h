/* quicklist.h -- a doubly linked list of listpacks, inner nodes optionally
 * LZF-compressed: the list type's only encoding ("quicklist", as Redis 7.0
 * reports it for every list).
 *
 * Library tier: knows listpack.h, lzf.h and the allocator, not the server.
 * Elements are byte strings; strings that are canonical integers are stored
 * as integers by the listpack and read back as integers (value == NULL).
 *
 * Node size (`fill`, the list-max-listpack-size directive):
 *   fill < 0   a node's listpack may grow to 4, 8, 16, 32 or 64 KB for
 *              -1..-5 (values below -5 act as -5);
 *   fill > 0   at most `fill` elements per node, and never past 8 KB;
 *   either way a node accepts its first element whatever its size.
 * Compression (`compress`, list-compress-depth): 0 = never; N > 0 keeps
 * the N nodes at each end plain and LZF-compresses the others when that
 * saves at least 8 bytes (nodes under 48 bytes are left alone).
 *
 * Entries and iterators hold pointers into node listpacks: they are valid
 * until the list is next modified, except through the iterator calls that
 * say otherwise. */
#ifndef RINGKV_QUICKLIST_H
#define RINGKV_QUICKLIST_H

#include <stddef.h>

#define QUICKLIST_HEAD 0
#define QUICKLIST_TAIL 1

/* Node encodings. */
#define QUICKLIST_NODE_RAW 1 /* entry is a listpack */
#define QUICKLIST_NODE_LZF 2 /* entry is a quicklistLZF */

typedef struct quicklistNode {
    struct quicklistNode *prev;
    struct quicklistNode *next;
    unsigned char *entry;        /* listpack, or quicklistLZF when compressed */
    size_t sz;                   /* bytes of the (uncompressed) listpack */
    unsigned int count : 16;     /* elements in this node */
    unsigned int encoding : 2;   /* QUICKLIST_NODE_RAW / _LZF */
    unsigned int recompress : 1; /* decompressed for use: compress when done */
    unsigned int unused : 13;
} quicklistNode;

/* A compressed node payload. */
typedef struct quicklistLZF {
    size_t sz; /* compressed bytes that follow */
    unsigned char compressed[];
} quicklistLZF;

typedef struct quicklist {
    quicklistNode *head;
    quicklistNode *tail;
    unsigned long count; /* elements in all nodes */
    unsigned long len;   /* nodes */
    int fill;            /* list-max-listpack-size */
    int compress;        /* list-compress-depth */
} quicklist;

/* One element, as returned by peeks and iterators. */
typedef struct quicklistEntry {
    quicklistNode *node;
    unsigned char *p;     /* the element inside node->entry */
    unsigned char *value; /* string bytes, NULL if the element is an integer */
    size_t sz;            /* string length */
    long long longval;    /* the integer when value == NULL */
    long offset;          /* index of the element inside its node */
} quicklistEntry;

/* Iterator state (lives on the caller's stack; fields are private). */
typedef struct quicklistIter {
    quicklist *ql;
    quicklistNode *current;
    unsigned char *p;     /* next element to return, NULL: seek by offset */
    long offset;          /* index in current of the next element */
    int direction;        /* QUICKLIST_HEAD: head to tail, _TAIL: backwards */
} quicklistIter;

quicklist *quicklistCreate(int fill, int compress);
void quicklistRelease(quicklist *ql);
/* Deep copy (compressed nodes are copied compressed). */
quicklist *quicklistDup(quicklist *ql);
unsigned long quicklistCount(const quicklist *ql);
/* Bytes allocated for the list (struct, nodes, payloads). */
size_t quicklistAllocSize(const quicklist *ql);

/* Adds an element at the head or the tail (QUICKLIST_HEAD / _TAIL). */
void quicklistPush(quicklist *ql, int where, const void *s, size_t len);
/* Appends a whole listpack as a new tail node, taking ownership of lp
 * (valid, validated if it came from outside, and non-empty): snapshot
 * loading reads a list node by node.  Nodes keep their size even if it
 * exceeds the list's fill.  For saving, walk ql->head..next: a node is a
 * listpack of n->sz bytes, or (QUICKLIST_NODE_LZF) a quicklistLZF whose
 * compressed bytes decompress to that listpack. */
void quicklistAppendListpack(quicklist *ql, unsigned char *lp);
/* The element at the head or tail; 0 if the list is empty.  Valid until the
 * list changes. */
int quicklistPeek(quicklist *ql, int where, quicklistEntry *e);
/* Removes the head or tail element (no-op on an empty list). */
void quicklistPopDiscard(quicklist *ql, int where);

/* Iteration.  quicklistIterInit positions before the element at index idx
 * (0 first, -1 last; negative indexes count from the tail) going in
 * `direction`; it returns 0 (and needs no release) when idx is out of
 * range.  Every successful init must be paired with quicklistIterRelease. */
int quicklistIterInit(quicklistIter *it, quicklist *ql, int direction, long idx);
/* Stores the next element in *e and returns 1, or returns 0 at the end. */
int quicklistNext(quicklistIter *it, quicklistEntry *e);
/* Deletes e (just returned by quicklistNext on it); iteration continues
 * with the element after it in the iterator's direction. */
void quicklistDelEntry(quicklistIter *it, quicklistEntry *e);
void quicklistIterRelease(quicklistIter *it);

/* Inserts s before (after = 0) or after (after = 1) the element e just
 * returned by quicklistNext(it).  The iteration ends: the list's layout may
 * have changed; quicklistIterRelease(it) is still allowed (a no-op). */
void quicklistInsert(quicklistIter *it, quicklistEntry *e, int after, const void *s, size_t len);
/* Replaces the element at idx; 0 if idx is out of range. */
int quicklistReplaceAtIndex(quicklist *ql, long idx, const void *s, size_t len);
/* Deletes count elements from index start (negative: from the tail);
 * returns how many were deleted. */
unsigned long quicklistDelRange(quicklist *ql, long start, unsigned long count);

/* 1 if the element e equals the bytes s. */
int quicklistEntryEqual(const quicklistEntry *e, const void *s, size_t len);

#endif
