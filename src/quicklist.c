/* quicklist.c -- the list encoding: a doubly linked list of listpack nodes.
 *
 * Why this shape: a plain linked list costs two allocations and ~40 bytes of
 * overhead per element, one big listpack makes every push a memmove of the
 * whole list.  A chain of bounded listpacks keeps pushes and pops at either
 * end O(node size) and the per-element overhead at 1-3 bytes.  Each node's
 * payload is exactly Redis's listpack, so a node can be written to (and read
 * from) an RDB file as is.
 *
 * Compression.  With list-compress-depth N > 0, every node except the N
 * nearest each end is stored LZF-compressed when that saves at least
 * QL_MIN_COMPRESS_IMPROVE bytes: the ends are where pushes and pops happen,
 * the middle is rarely touched.  Invariants:
 *   - nodes inside the two windows are plain (qlCompressAround restores this
 *     after every link/unlink of a node), so head and tail are always plain
 *     and pushes, pops and peeks never decompress;
 *   - a node outside the windows may be plain for a while: while in use
 *     (`recompress` set: it is compressed again when its user is done) or
 *     when compression did not pay.  Code that reads a node goes through
 *     qlDecompressForUse(), so a compressed node is never read directly.
 *
 * Node boundaries are decided by qlNodeAllows() (list-max-listpack-size);
 * splitting happens only for inserts into the middle of a full node
 * (LINSERT, LSET with a bigger value), after which the two halves are merged
 * with their neighbours when the result fits.
 *
 * Conventions: functions named qlXxx are private; ql->count (elements) is
 * maintained by the public operations, ql->len (nodes) by qlLink/qlUnlink. */
#include "quicklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listpack.h"
#include "lzf.h"
#include "zmalloc.h"

#define QL_SAFETY_LIMIT 8192        /* positive fill: bytes cap per node */
#define QL_MIN_COMPRESS_BYTES 48    /* smaller nodes are not worth it */
#define QL_MIN_COMPRESS_IMPROVE 8   /* bytes compression must save */
#define QL_MAX_NODE_COUNT 65535     /* count is a 16-bit field */

/* Byte limits of the negative fill levels -1..-5. */
static const size_t qlSizeLevels[] = {4096, 8192, 16384, 32768, 65536};

static void qlFatal(const char *msg) {
    fprintf(stderr, "quicklist: %s\n", msg);
    abort();
}

/* --- node sizing -------------------------------------------------------- */

/* The most bytes a node's listpack may reach. */
static size_t qlMaxBytes(const quicklist *ql) {
    if (ql->fill >= 0) return QL_SAFETY_LIMIT;
    int level = -ql->fill - 1;
    if (level > 4) level = 4;
    return qlSizeLevels[level];
}

/* 1 if node n may take one more element of `add` bytes. */
static int qlNodeAllows(const quicklist *ql, const quicklistNode *n, size_t add) {
    if (n->count >= QL_MAX_NODE_COUNT) return 0;
    if (n->sz + add > qlMaxBytes(ql)) return 0;
    if (ql->fill >= 0 && (long)n->count >= ql->fill) return 0;
    return 1;
}

/* 1 if a and b could be one node. */
static int qlNodesMergeable(const quicklist *ql, const quicklistNode *a, const quicklistNode *b) {
    unsigned long count = (unsigned long)a->count + b->count;
    if (count >= QL_MAX_NODE_COUNT) return 0;
    if (ql->fill >= 0 && count > (unsigned long)ql->fill) return 0;
    /* One header and end byte disappear in the merge. */
    return a->sz + b->sz - (LP_HDR_SIZE + 1) <= qlMaxBytes(ql);
}

/* --- compression -------------------------------------------------------- */

/* Compresses a plain node not in use; keeps it plain if that does not pay. */
static void qlCompressNode(quicklistNode *n) {
    if (n->encoding != QUICKLIST_NODE_RAW || n->recompress || n->sz < QL_MIN_COMPRESS_BYTES) return;
    /* Output room sz - improve - 1: a result that fits saves enough. */
    unsigned int room = (unsigned int)(n->sz - QL_MIN_COMPRESS_IMPROVE - 1);
    quicklistLZF *lzf = zmalloc(sizeof(*lzf) + room);
    unsigned int csz = lzfCompress(n->entry, (unsigned int)n->sz, lzf->compressed, room);
    if (csz == 0) {
        zfree(lzf);
        return;
    }
    lzf = zrealloc(lzf, sizeof(*lzf) + csz);
    lzf->sz = csz;
    lpFree(n->entry);
    n->entry = (unsigned char *)lzf;
    n->encoding = QUICKLIST_NODE_LZF;
}

/* Makes a compressed node plain for good. */
static void qlDecompressNode(quicklistNode *n) {
    if (n->encoding != QUICKLIST_NODE_LZF) return;
    quicklistLZF *lzf = (quicklistLZF *)n->entry;
    unsigned char *lp = zmalloc(n->sz);
    if (lzfDecompress(lzf->compressed, (unsigned int)lzf->sz, lp, (unsigned int)n->sz) != n->sz)
        qlFatal("corrupt compressed node");
    zfree(lzf);
    n->entry = lp;
    n->encoding = QUICKLIST_NODE_RAW;
}

/* Makes n plain for reading or writing; qlRecompress() when done. */
static void qlDecompressForUse(quicklistNode *n) {
    if (n->encoding == QUICKLIST_NODE_LZF) {
        qlDecompressNode(n);
        n->recompress = 1;
    }
}

/* 1 if n is among the `compress` nodes nearest either end. */
static int qlInWindow(const quicklist *ql, const quicklistNode *n) {
    const quicklistNode *f = ql->head, *r = ql->tail;
    for (int d = 0; d < ql->compress && f; d++) {
        if (f == n || r == n) return 1;
        f = f->next;
        r = r->prev;
    }
    return 0;
}

/* Ends a use started by qlDecompressForUse(). */
static void qlRecompress(quicklist *ql, quicklistNode *n) {
    if (!n || !n->recompress) return;
    n->recompress = 0;
    if (ql->compress && !qlInWindow(ql, n)) qlCompressNode(n);
}

/* Restores the window invariant after nodes were linked or unlinked: the
 * windows are made plain, the first node past each window is compressed,
 * and so is `node` (a node that just changed) if it lies outside them. */
static void qlCompressAround(quicklist *ql, quicklistNode *node) {
    if (ql->compress == 0 || !ql->head) return;
    quicklistNode *f = ql->head, *r = ql->tail;
    int in_window = 0;
    for (int d = 0; d < ql->compress; d++) {
        qlDecompressNode(f);
        qlDecompressNode(r);
        if (f == node || r == node) in_window = 1;
        /* The windows cover the whole list: nothing to compress. */
        if (f == r || f->next == r) return;
        f = f->next;
        r = r->prev;
    }
    if (node && !in_window) qlCompressNode(node);
    qlCompressNode(f);
    if (r != f) qlCompressNode(r);
}

/* --- nodes ---------------------------------------------------------------- */

static quicklistNode *qlNodeCreate(void) {
    quicklistNode *n = zmalloc(sizeof(*n));
    n->prev = n->next = NULL;
    n->entry = lpNew(0);
    n->sz = lpBytes(n->entry);
    n->count = 0;
    n->encoding = QUICKLIST_NODE_RAW;
    n->recompress = 0;
    n->unused = 0;
    return n;
}

static void qlNodeFree(quicklistNode *n) {
    zfree(n->entry); /* a listpack or an LZF block: both plain allocations */
    zfree(n);
}

/* Links n after (after = 1) or before `at` (NULL: the list is empty). */
static void qlLink(quicklist *ql, quicklistNode *at, quicklistNode *n, int after) {
    if (!at) {
        ql->head = ql->tail = n;
    } else if (after) {
        n->prev = at;
        n->next = at->next;
        if (at->next) at->next->prev = n;
        at->next = n;
        if (ql->tail == at) ql->tail = n;
    } else {
        n->next = at;
        n->prev = at->prev;
        if (at->prev) at->prev->next = n;
        at->prev = n;
        if (ql->head == at) ql->head = n;
    }
    ql->len++;
}

/* Unlinks and frees n; ql->count is the caller's business. */
static void qlUnlink(quicklist *ql, quicklistNode *n) {
    if (n->prev) n->prev->next = n->next;
    if (n->next) n->next->prev = n->prev;
    if (ql->head == n) ql->head = n->next;
    if (ql->tail == n) ql->tail = n->prev;
    ql->len--;
    qlNodeFree(n);
}

static void qlNodeUpdateSize(quicklistNode *n) {
    n->sz = lpBytes(n->entry);
}

/* Merges b (= a->next) into a when they fit in one node; 1 if merged. */
static int qlTryMerge(quicklist *ql, quicklistNode *a) {
    if (!a || !a->next) return 0;
    quicklistNode *b = a->next;
    if (a->recompress || b->recompress || !qlNodesMergeable(ql, a, b)) return 0;
    qlDecompressNode(a);
    qlDecompressNode(b);
    unsigned char *first = a->entry, *second = b->entry;
    unsigned char *merged = lpMerge(&first, &second);
    a->entry = merged;
    b->entry = NULL;
    a->count += b->count;
    qlNodeUpdateSize(a);
    qlUnlink(ql, b);
    return 1;
}

/* --- list ------------------------------------------------------------------ */

quicklist *quicklistCreate(int fill, int compress) {
    quicklist *ql = zmalloc(sizeof(*ql));
    ql->head = ql->tail = NULL;
    ql->count = 0;
    ql->len = 0;
    ql->fill = fill < -5 ? -5 : fill;
    ql->compress = compress < 0 ? 0 : compress;
    return ql;
}

void quicklistRelease(quicklist *ql) {
    quicklistNode *n = ql->head;
    while (n) {
        quicklistNode *next = n->next;
        qlNodeFree(n);
        n = next;
    }
    zfree(ql);
}

quicklist *quicklistDup(quicklist *ql) {
    quicklist *copy = quicklistCreate(ql->fill, ql->compress);
    for (quicklistNode *n = ql->head; n; n = n->next) {
        quicklistNode *c = zmalloc(sizeof(*c));
        *c = *n;
        c->prev = c->next = NULL;
        c->recompress = 0;
        if (n->encoding == QUICKLIST_NODE_LZF) {
            quicklistLZF *lzf = (quicklistLZF *)n->entry;
            c->entry = zmemdup(lzf, sizeof(*lzf) + lzf->sz);
        } else {
            c->entry = zmemdup(n->entry, n->sz);
        }
        qlLink(copy, copy->tail, c, 1);
    }
    copy->count = ql->count;
    return copy;
}

unsigned long quicklistCount(const quicklist *ql) {
    return ql->count;
}

size_t quicklistAllocSize(const quicklist *ql) {
    size_t total = zmallocSize((void *)ql);
    for (const quicklistNode *n = ql->head; n; n = n->next)
        total += zmallocSize((void *)n) + zmallocSize(n->entry);
    return total;
}

/* --- ends ------------------------------------------------------------------ */

void quicklistPush(quicklist *ql, int where, const void *s, size_t len) {
    size_t add = lpEntrySizeString(s, (uint32_t)len);
    quicklistNode *n = where == QUICKLIST_HEAD ? ql->head : ql->tail;
    if (n && qlNodeAllows(ql, n, add)) {
        qlDecompressNode(n); /* ends are plain; cheap check */
        if (where == QUICKLIST_HEAD)
            n->entry = lpPrepend(n->entry, s, (uint32_t)len);
        else
            n->entry = lpAppend(n->entry, s, (uint32_t)len);
        n->count++;
        qlNodeUpdateSize(n);
    } else {
        quicklistNode *fresh = qlNodeCreate();
        fresh->entry = lpAppend(fresh->entry, s, (uint32_t)len);
        fresh->count = 1;
        qlNodeUpdateSize(fresh);
        qlLink(ql, n, fresh, where == QUICKLIST_TAIL);
        qlCompressAround(ql, fresh);
    }
    ql->count++;
}

void quicklistAppendListpack(quicklist *ql, unsigned char *lp) {
    quicklistNode *n = zmalloc(sizeof(*n));
    n->prev = n->next = NULL;
    n->entry = lp;
    n->sz = lpBytes(lp);
    n->count = (unsigned int)lpLength(lp);
    n->encoding = QUICKLIST_NODE_RAW;
    n->recompress = 0;
    n->unused = 0;
    qlLink(ql, ql->tail, n, 1);
    ql->count += n->count;
    qlCompressAround(ql, n);
}

static void qlFillEntry(quicklistEntry *e, quicklistNode *n, unsigned char *p, long offset) {
    unsigned int slen = 0;
    long long lval = 0;
    e->node = n;
    e->p = p;
    e->offset = offset;
    e->value = lpGetValue(p, &slen, &lval);
    e->sz = slen;
    e->longval = lval;
}

int quicklistPeek(quicklist *ql, int where, quicklistEntry *e) {
    quicklistNode *n = where == QUICKLIST_HEAD ? ql->head : ql->tail;
    if (!n) return 0;
    qlDecompressNode(n);
    unsigned char *p = where == QUICKLIST_HEAD ? lpFirst(n->entry) : lpLast(n->entry);
    qlFillEntry(e, n, p, where == QUICKLIST_HEAD ? 0 : (long)n->count - 1);
    return 1;
}

void quicklistPopDiscard(quicklist *ql, int where) {
    quicklistNode *n = where == QUICKLIST_HEAD ? ql->head : ql->tail;
    if (!n) return;
    ql->count--;
    if (n->count == 1) {
        qlUnlink(ql, n);
        qlCompressAround(ql, NULL);
        return;
    }
    qlDecompressNode(n);
    n->entry = lpDeleteRange(n->entry, where == QUICKLIST_HEAD ? 0 : -1, 1);
    n->count--;
    qlNodeUpdateSize(n);
}

/* --- iteration ------------------------------------------------------------- */

/* Finds the node holding element index (0 <= index < count), walking from
 * the nearer end; *offset receives the index inside the node. */
static quicklistNode *qlFindIndex(quicklist *ql, unsigned long index, long *offset) {
    quicklistNode *n;
    if (index < ql->count / 2) {
        unsigned long seen = 0;
        for (n = ql->head; n && seen + n->count <= index; n = n->next) seen += n->count;
        *offset = (long)(index - seen);
    } else {
        unsigned long after = ql->count; /* elements from the start of n */
        for (n = ql->tail; n; n = n->prev) {
            after -= n->count;
            if (after <= index) break;
        }
        *offset = (long)(index - after);
    }
    return n;
}

int quicklistIterInit(quicklistIter *it, quicklist *ql, int direction, long idx) {
    long count = (long)ql->count;
    long index = idx < 0 ? count + idx : idx;
    if (index < 0 || index >= count) return 0;
    it->ql = ql;
    it->direction = direction;
    it->p = NULL;
    it->current = qlFindIndex(ql, (unsigned long)index, &it->offset);
    return it->current != NULL;
}

int quicklistNext(quicklistIter *it, quicklistEntry *e) {
    while (it->current) {
        quicklistNode *n = it->current;
        if (!it->p && it->offset >= 0 && it->offset < (long)n->count) {
            qlDecompressForUse(n);
            it->p = lpSeek(n->entry, it->offset);
        }
        if (it->p) {
            qlFillEntry(e, n, it->p, it->offset);
            if (it->direction == QUICKLIST_HEAD) {
                it->p = lpNext(n->entry, it->p);
                it->offset++;
            } else {
                it->p = lpPrev(n->entry, it->p);
                it->offset--;
            }
            return 1;
        }
        /* This node is done: on to the next one. */
        qlRecompress(it->ql, n);
        if (it->direction == QUICKLIST_HEAD) {
            it->current = n->next;
            it->offset = 0;
        } else {
            it->current = n->prev;
            it->offset = it->current ? (long)it->current->count - 1 : 0;
        }
    }
    return 0;
}

void quicklistDelEntry(quicklistIter *it, quicklistEntry *e) {
    quicklist *ql = it->ql;
    quicklistNode *n = e->node;
    ql->count--;
    if (n->count == 1) {
        quicklistNode *next = it->direction == QUICKLIST_HEAD ? n->next : n->prev;
        qlUnlink(ql, n);
        qlCompressAround(ql, NULL);
        it->current = next;
        it->p = NULL;
        it->offset = it->direction == QUICKLIST_HEAD ? 0 : (next ? (long)next->count - 1 : 0);
        return;
    }
    n->entry = lpDelete(n->entry, e->p, NULL);
    n->count--;
    qlNodeUpdateSize(n);
    /* Re-seek by offset: the element after e slid into e's index. */
    it->p = NULL;
    it->offset = it->direction == QUICKLIST_HEAD ? e->offset : e->offset - 1;
}

void quicklistIterRelease(quicklistIter *it) {
    if (it->current) qlRecompress(it->ql, it->current);
    it->current = NULL;
}

/* --- insertion in the middle ----------------------------------------------- */

/* Splits n so that it keeps its first k elements; returns the new node
 * (linked after n) holding the others.  n must be plain. */
static quicklistNode *qlSplitNode(quicklist *ql, quicklistNode *n, long k) {
    quicklistNode *right = zmalloc(sizeof(*right));
    *right = *n;
    right->prev = right->next = NULL;
    right->recompress = 0;
    right->entry = zmemdup(n->entry, n->sz);
    right->entry = lpDeleteRange(right->entry, 0, (unsigned long)k);
    right->count = (unsigned int)(n->count - k);
    qlNodeUpdateSize(right);
    n->entry = lpDeleteRange(n->entry, k, (unsigned long)(n->count - k));
    n->count = (unsigned int)k;
    qlNodeUpdateSize(n);
    qlLink(ql, n, right, 1);
    return right;
}

static void qlNodeInsertAt(quicklistNode *n, int where, const void *s, size_t len) {
    if (where == QUICKLIST_HEAD)
        n->entry = lpPrepend(n->entry, s, (uint32_t)len);
    else
        n->entry = lpAppend(n->entry, s, (uint32_t)len);
    n->count++;
    qlNodeUpdateSize(n);
}

/* Inserts s after/before element e; e->node is plain (it came from an
 * iterator), and may be marked for recompression. */
static void qlInsert(quicklist *ql, quicklistEntry *e, int after, const void *s, size_t len) {
    quicklistNode *n = e->node;
    size_t add = lpEntrySizeString(s, (uint32_t)len);
    ql->count++;
    if (qlNodeAllows(ql, n, add)) {
        n->entry = lpInsertString(n->entry, s, (uint32_t)len, e->p, after ? LP_AFTER : LP_BEFORE, NULL);
        n->count++;
        qlNodeUpdateSize(n);
        qlRecompress(ql, n);
        return;
    }
    int at_tail = after && e->offset == (long)n->count - 1;
    int at_head = !after && e->offset == 0;
    quicklistNode *neighbour = at_tail ? n->next : (at_head ? n->prev : NULL);
    if (neighbour && qlNodeAllows(ql, neighbour, add)) {
        qlDecompressForUse(neighbour);
        qlNodeInsertAt(neighbour, at_tail ? QUICKLIST_HEAD : QUICKLIST_TAIL, s, len);
        qlRecompress(ql, neighbour);
        qlRecompress(ql, n);
        return;
    }
    if (at_tail || at_head) {
        quicklistNode *fresh = qlNodeCreate();
        qlNodeInsertAt(fresh, QUICKLIST_TAIL, s, len);
        qlLink(ql, n, fresh, at_tail);
        qlRecompress(ql, n);
        qlCompressAround(ql, fresh);
        return;
    }
    /* Middle of a full node: split at the insertion point, then put the
     * element at the end of the left half, the start of the right half, or
     * in a node of its own between them. */
    n->recompress = 0;
    quicklistNode *right = qlSplitNode(ql, n, after ? e->offset + 1 : e->offset);
    if (qlNodeAllows(ql, n, add)) {
        qlNodeInsertAt(n, QUICKLIST_TAIL, s, len);
    } else if (qlNodeAllows(ql, right, add)) {
        qlNodeInsertAt(right, QUICKLIST_HEAD, s, len);
    } else {
        quicklistNode *fresh = qlNodeCreate();
        qlNodeInsertAt(fresh, QUICKLIST_TAIL, s, len);
        qlLink(ql, n, fresh, 1);
    }
    /* The halves may now fit with their outer neighbours (merging only
     * ever frees the second node of the pair, so `right` survives). */
    qlTryMerge(ql, right);
    quicklistNode *before = n->prev;
    if (before && qlTryMerge(ql, before)) n = before;
    qlCompressAround(ql, n);
    qlCompressAround(ql, right);
    if (n->next != right) qlCompressAround(ql, n->next);
}

void quicklistInsert(quicklistIter *it, quicklistEntry *e, int after, const void *s, size_t len) {
    /* The insert may split or merge the iterator's node: it takes over the
     * node's pending recompression and the iteration ends here. */
    it->current = NULL;
    qlInsert(it->ql, e, after, s, len);
}

int quicklistReplaceAtIndex(quicklist *ql, long idx, const void *s, size_t len) {
    quicklistIter it;
    quicklistEntry e;
    if (!quicklistIterInit(&it, ql, QUICKLIST_HEAD, idx) || !quicklistNext(&it, &e)) return 0;
    quicklistNode *n = e.node;
    size_t oldsz = lpEntryBytes(e.p);
    size_t newsz = lpEntrySizeString(s, (uint32_t)len);
    if (newsz <= oldsz || n->sz + (newsz - oldsz) <= qlMaxBytes(ql) || n->count == 1) {
        unsigned char *p = e.p;
        n->entry = lpReplace(n->entry, &p, s, (uint32_t)len);
        qlNodeUpdateSize(n);
        quicklistIterRelease(&it);
        return 1;
    }
    /* Too big for its node: insert the new value after the old one (which
     * splits the node as needed), then delete the old one. */
    long index = idx < 0 ? (long)ql->count + idx : idx;
    quicklistInsert(&it, &e, 1, s, len);
    quicklistDelRange(ql, index, 1);
    return 1;
}

unsigned long quicklistDelRange(quicklist *ql, long start, unsigned long count) {
    long total = (long)ql->count;
    if (start < 0) start += total;
    if (count == 0 || start < 0 || start >= total) return 0;
    if (count > (unsigned long)(total - start)) count = (unsigned long)(total - start);
    long offset;
    quicklistNode *n = qlFindIndex(ql, (unsigned long)start, &offset);
    unsigned long left = count;
    int unlinked = 0;
    while (left && n) {
        quicklistNode *next = n->next;
        if (offset == 0 && left >= n->count) {
            left -= n->count;
            qlUnlink(ql, n);
            unlinked = 1;
        } else {
            unsigned long del = n->count - (unsigned long)offset;
            if (del > left) del = left;
            qlDecompressForUse(n);
            n->entry = lpDeleteRange(n->entry, offset, del);
            n->count -= (unsigned int)del;
            qlNodeUpdateSize(n);
            left -= del;
            qlRecompress(ql, n);
        }
        n = next;
        offset = 0;
    }
    ql->count -= count;
    if (unlinked) qlCompressAround(ql, NULL);
    return count;
}

int quicklistEntryEqual(const quicklistEntry *e, const void *s, size_t len) {
    if (e->value) return e->sz == len && memcmp(e->value, s, len) == 0;
    return lpCompare(e->p, s, (uint32_t)len);
}
