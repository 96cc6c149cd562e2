/* t_list.c -- the list type: LPUSH & co., LMOVE/LMPOP, and the blocking
 * pops BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP.
 *
 * Encoding.  Every list is a quicklist (quicklist.c), as Redis 7.0 reports
 * it ("quicklist" even for one element); list-max-listpack-size and
 * list-compress-depth are read when a list is created.  Commands work on
 * the quicklist directly: an element is read in place (a pointer into a
 * node's listpack) and replied from there, so a pop costs no allocation.
 *
 * Keyspace rules (db.h): a value handed to dbAdd is moved into the key's
 * entry, but the quicklist it points to stays where it is, so handlers keep
 * a `quicklist *` across dbAdd.  A list that becomes empty is deleted
 * (Redis never keeps empty lists), with the "del" event after the list
 * event, as Redis orders them.
 *
 * Blocking commands follow blocked.h's contract: try to serve (only the
 * ready key when blocked.c re-executes them), else block.  Their reply
 * shapes are Redis's: BLPOP/BRPOP [key, element], BLMPOP [key, [elements]],
 * BLMOVE the element; a null array on timeout. */
#include "t_list.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "blocked.h"
#include "db.h"
#include "debug.h"
#include "reply.h"
#include "server.h"
#include "util.h"
#include "zmalloc.h"

/* --- argument helpers ----------------------------------------------------- */

/* Parses a long; replies msg (default: the "not an integer" error). */
static int getLongFromObjectOrReply(client *c, robj *o, long *target, const char *msg) {
    long long v;
    if (getLongLongFromObject(o, &v) != 0 || v < LONG_MIN || v > LONG_MAX) {
        if (msg)
            addReplyError(c, msg);
        else
            addReplyErrorNotInteger(c);
        return C_ERR;
    }
    *target = (long)v;
    return C_OK;
}

/* Parses a long in [min, max]; msg (when given) is the reply for both a
 * malformed and an out-of-range value, as in Redis. */
static int getRangeLongFromObjectOrReply(client *c, robj *o, long min, long max, long *target,
                                         const char *msg) {
    if (getLongFromObjectOrReply(c, o, target, msg) != C_OK) return C_ERR;
    if (*target < min || *target > max) {
        if (msg)
            addReplyError(c, msg);
        else
            addReplyErrorFormat(c, "value is out of range, value must between %ld and %ld", min, max);
        return C_ERR;
    }
    return C_OK;
}

static int getPositiveLongFromObjectOrReply(client *c, robj *o, long *target, const char *msg) {
    return getRangeLongFromObjectOrReply(c, o, 0, LONG_MAX, target,
                                         msg ? msg : "value is out of range, must be positive");
}

/* LEFT -> LIST_HEAD, RIGHT -> LIST_TAIL, anything else: syntax error. */
static int getListPositionFromObjectOrReply(client *c, robj *o, int *where) {
    const char *s = o->ptr;
    if (o->encoding != OBJ_ENCODING_INT && !strcasecmp(s, "left")) {
        *where = LIST_HEAD;
    } else if (o->encoding != OBJ_ENCODING_INT && !strcasecmp(s, "right")) {
        *where = LIST_TAIL;
    } else {
        addReplyErrorSyntax(c);
        return C_ERR;
    }
    return C_OK;
}

/* The bytes of a string argument (INT-encoded ones rendered into buf). */
static const char *argBytes(robj *o, char *buf, size_t bufsize, size_t *len) {
    return stringObjectBytes(o, buf, bufsize, len);
}

/* --- the list object -------------------------------------------------------- */

robj *createListObject(void) {
    quicklist *ql = quicklistCreate(server.list_max_listpack_size, server.list_compress_depth);
    robj *o = createObject(OBJ_LIST, ql);
    o->encoding = OBJ_ENCODING_QUICKLIST;
    return o;
}

unsigned long listTypeLength(const robj *o) {
    return quicklistCount(o->ptr);
}

void listTypePush(robj *o, const void *s, size_t len, int where) {
    quicklistPush(o->ptr, where == LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL, s, len);
}

/* Redis's direction names: LIST_TAIL walks towards the tail. */
static int qlDirection(int direction) {
    return direction == LIST_TAIL ? QUICKLIST_HEAD : QUICKLIST_TAIL;
}

void listTypeInitIterator(listTypeIterator *it, robj *o, long index, int direction) {
    it->valid = quicklistIterInit(&it->qi, o->ptr, qlDirection(direction), index);
}

int listTypeNext(listTypeIterator *it, const char **s, size_t *len, long long *ll) {
    quicklistEntry e;
    if (!it->valid || !quicklistNext(&it->qi, &e)) return 0;
    *s = (const char *)e.value;
    *len = e.sz;
    *ll = e.longval;
    return 1;
}

void listTypeReleaseIterator(listTypeIterator *it) {
    if (it->valid) quicklistIterRelease(&it->qi);
    it->valid = 0;
}

/* Looks up key for writing; when missing, creates an empty list under it.
 * Returns NULL (after replying WRONGTYPE) for a non-list. */
static quicklist *lookupOrCreateList(client *c, robj *key) {
    robj *o = lookupKeyWrite(c->db, key);
    if (checkType(c, o, OBJ_LIST)) return NULL;
    if (o) return o->ptr;
    robj *fresh = createListObject();
    quicklist *ql = fresh->ptr;
    dbAdd(c->db, key, fresh); /* the quicklist itself does not move */
    return ql;
}

static void addReplyListEntry(client *c, const quicklistEntry *e) {
    if (e->value)
        addReplyBulkCBuffer(c, e->value, e->sz);
    else
        addReplyBulkLongLong(c, e->longval);
}

/* A copy of element e as a string object (before the list changes). */
static robj *listEntryToObject(const quicklistEntry *e) {
    if (e->value) return createStringObject((const char *)e->value, e->sz);
    return createStringObjectFromLongLong(e->longval);
}

/* Events and bookkeeping after `count` elements were popped from `where`;
 * deletes the key when the list is empty (ql is then freed) and sets
 * *deleted accordingly. */
static void listElementsRemoved(client *c, robj *key, int where, quicklist *ql, long count,
                                int *deleted) {
    notifyKeyspaceEvent(NOTIFY_LIST, where == LIST_HEAD ? "lpop" : "rpop", key, c->db->id);
    if (quicklistCount(ql) == 0) {
        if (deleted) *deleted = 1;
        dbDelete(c->db, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
    } else if (deleted) {
        *deleted = 0;
    }
    signalModifiedKey(c, c->db, key);
    server.dirty += count;
}

/* Replies the elements start..end (Redis index rules; reverse walks from
 * end back to start). */
static void addListRangeReply(client *c, quicklist *ql, long start, long end, int reverse) {
    long llen = (long)quicklistCount(ql);
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    if (start > end || start >= llen) {
        addReplyEmptyArray(c);
        return;
    }
    if (end >= llen) end = llen - 1;
    long rangelen = end - start + 1;
    addReplyArrayLen(c, rangelen);
    quicklistIter it;
    quicklistEntry e;
    if (!quicklistIterInit(&it, ql, reverse ? QUICKLIST_TAIL : QUICKLIST_HEAD, reverse ? end : start)) return;
    while (rangelen-- && quicklistNext(&it, &e)) addReplyListEntry(c, &e);
    quicklistIterRelease(&it);
}

/* Pops up to count elements from `where`, replying them as an array. */
static long listPopRangeAndReply(client *c, quicklist *ql, int where, long count) {
    long llen = (long)quicklistCount(ql);
    long rangelen = count > llen ? llen : count;
    long rangestart = where == LIST_HEAD ? 0 : -rangelen;
    long rangeend = where == LIST_HEAD ? rangelen - 1 : -1;
    addListRangeReply(c, ql, rangestart, rangeend, where == LIST_TAIL);
    quicklistDelRange(ql, rangestart, (unsigned long)rangelen);
    return rangelen;
}

/* [key, [elements]]: the LMPOP / BLMPOP reply. */
static void listPopRangeAndReplyWithKey(client *c, quicklist *ql, robj *key, int where, long count) {
    addReplyArrayLen(c, 2);
    addReplyBulk(c, key);
    long popped = listPopRangeAndReply(c, ql, where, count);
    listElementsRemoved(c, key, where, ql, popped, NULL);
}

/* --- push ----------------------------------------------------------------- */

static void pushGenericCommand(client *c, int where, int xx) {
    robj *o = lookupKeyWrite(c->db, c->argv[1]);
    if (checkType(c, o, OBJ_LIST)) return;
    if (!o && xx) {
        addReplyProto(c, shared.czero, 4);
        return;
    }
    quicklist *ql = o ? o->ptr : lookupOrCreateList(c, c->argv[1]);
    char buf[LONG_STR_SIZE];
    int qlwhere = where == LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL;
    for (int j = 2; j < c->argc; j++) {
        size_t len;
        const char *s = argBytes(c->argv[j], buf, sizeof(buf), &len);
        quicklistPush(ql, qlwhere, s, len);
    }
    addReplyLongLong(c, (long long)quicklistCount(ql));
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_LIST, where == LIST_HEAD ? "lpush" : "rpush", c->argv[1], c->db->id);
    server.dirty += c->argc - 2;
}

void lpushCommand(client *c) {
    pushGenericCommand(c, LIST_HEAD, 0);
}

void rpushCommand(client *c) {
    pushGenericCommand(c, LIST_TAIL, 0);
}

void lpushxCommand(client *c) {
    pushGenericCommand(c, LIST_HEAD, 1);
}

void rpushxCommand(client *c) {
    pushGenericCommand(c, LIST_TAIL, 1);
}

void linsertCommand(client *c) {
    int after;
    const char *pos = c->argv[2]->ptr;
    if (c->argv[2]->encoding != OBJ_ENCODING_INT && !strcasecmp(pos, "after")) {
        after = 1;
    } else if (c->argv[2]->encoding != OBJ_ENCODING_INT && !strcasecmp(pos, "before")) {
        after = 0;
    } else {
        addReplyErrorSyntax(c);
        return;
    }
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.czero);
    if (!o || checkType(c, o, OBJ_LIST)) return;
    quicklist *ql = o->ptr;
    char pbuf[LONG_STR_SIZE], ebuf[LONG_STR_SIZE];
    size_t plen, elen;
    const char *pivot = argBytes(c->argv[3], pbuf, sizeof(pbuf), &plen);
    const char *ele = argBytes(c->argv[4], ebuf, sizeof(ebuf), &elen);
    quicklistIter it;
    quicklistEntry e;
    int inserted = 0;
    if (quicklistIterInit(&it, ql, QUICKLIST_HEAD, 0)) {
        while (quicklistNext(&it, &e)) {
            if (quicklistEntryEqual(&e, pivot, plen)) {
                quicklistInsert(&it, &e, after, ele, elen);
                inserted = 1;
                break;
            }
        }
        quicklistIterRelease(&it);
    }
    if (!inserted) {
        addReplyProto(c, shared.cnegone, 5);
        return;
    }
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_LIST, "linsert", c->argv[1], c->db->id);
    server.dirty++;
    addReplyLongLong(c, (long long)quicklistCount(ql));
}

/* --- read ----------------------------------------------------------------- */

void llenCommand(client *c) {
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (!o || checkType(c, o, OBJ_LIST)) return;
    addReplyLongLong(c, (long long)listTypeLength(o));
}

void lindexCommand(client *c) {
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (!o) {
        addReplyNull(c);
        return;
    }
    if (checkType(c, o, OBJ_LIST)) return;
    long index;
    if (getLongFromObjectOrReply(c, c->argv[2], &index, NULL) != C_OK) return;
    quicklistIter it;
    quicklistEntry e;
    if (quicklistIterInit(&it, o->ptr, QUICKLIST_HEAD, index) && quicklistNext(&it, &e)) {
        addReplyListEntry(c, &e);
        quicklistIterRelease(&it);
    } else {
        addReplyNull(c);
    }
}

void lrangeCommand(client *c) {
    long start, end;
    if (getLongFromObjectOrReply(c, c->argv[2], &start, NULL) != C_OK ||
        getLongFromObjectOrReply(c, c->argv[3], &end, NULL) != C_OK)
        return;
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.emptyarray);
    if (!o || checkType(c, o, OBJ_LIST)) return;
    addListRangeReply(c, o->ptr, start, end, 0);
}

void lposCommand(client *c) {
    char ebuf[LONG_STR_SIZE];
    size_t elen;
    const char *ele = argBytes(c->argv[2], ebuf, sizeof(ebuf), &elen);
    long rank = 1, count = -1, maxlen = 0; /* count -1: no COUNT option */
    for (int j = 3; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int moreargs = (c->argc - 1) - j;
        if (!strcasecmp(opt, "RANK") && moreargs) {
            j++;
            if (getLongFromObjectOrReply(c, c->argv[j], &rank, NULL) != C_OK) return;
            if (rank == 0) {
                addReplyError(c, "RANK can't be zero: use 1 to start from the first match, 2 from the "
                                 "second ... or use negative to start from the end of the list");
                return;
            }
        } else if (!strcasecmp(opt, "COUNT") && moreargs) {
            j++;
            if (getPositiveLongFromObjectOrReply(c, c->argv[j], &count, "COUNT can't be negative") != C_OK)
                return;
        } else if (!strcasecmp(opt, "MAXLEN") && moreargs) {
            j++;
            if (getPositiveLongFromObjectOrReply(c, c->argv[j], &maxlen, "MAXLEN can't be negative") !=
                C_OK)
                return;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    /* A negative rank searches from the tail.  Negating LLONG_MIN wraps
     * to itself in Redis, which then matches from the first hit and never
     * reaches COUNT: the wrapping arithmetic below reproduces that. */
    int from_tail = rank < 0;
    if (from_tail) rank = (long)(0UL - (unsigned long)rank);

    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (!o) {
        if (count != -1)
            addReplyEmptyArray(c);
        else
            addReplyNull(c);
        return;
    }
    if (checkType(c, o, OBJ_LIST)) return;
    quicklist *ql = o->ptr;
    void *lenptr = count != -1 ? addReplyDeferredLen(c) : NULL;
    long llen = (long)quicklistCount(ql);
    long index = 0, matches = 0, matchindex = -1, arraylen = 0;
    quicklistIter it;
    quicklistEntry e;
    if (quicklistIterInit(&it, ql, from_tail ? QUICKLIST_TAIL : QUICKLIST_HEAD, from_tail ? -1 : 0)) {
        while ((maxlen == 0 || index < maxlen) && quicklistNext(&it, &e)) {
            if (quicklistEntryEqual(&e, ele, elen)) {
                matches++;
                matchindex = from_tail ? llen - index - 1 : index;
                if (matches >= rank) {
                    if (lenptr) {
                        arraylen++;
                        addReplyLongLong(c, matchindex);
                        long served = (long)((unsigned long)matches - (unsigned long)rank + 1UL);
                        if (count && served >= count) break;
                    } else {
                        break;
                    }
                }
            }
            index++;
            matchindex = -1; /* no match at the end of the loop: not found */
        }
        quicklistIterRelease(&it);
    }
    if (lenptr) {
        setDeferredArrayLen(c, lenptr, arraylen);
    } else if (matchindex != -1) {
        addReplyLongLong(c, matchindex);
    } else {
        addReplyNull(c);
    }
}

/* --- modify in place ------------------------------------------------------ */

void lsetCommand(client *c) {
    robj *o = lookupKeyWrite(c->db, c->argv[1]);
    if (!o) {
        addReplyError(c, "no such key");
        return;
    }
    if (checkType(c, o, OBJ_LIST)) return;
    long index;
    if (getLongFromObjectOrReply(c, c->argv[2], &index, NULL) != C_OK) return;
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *s = argBytes(c->argv[3], buf, sizeof(buf), &len);
    if (!quicklistReplaceAtIndex(o->ptr, index, s, len)) {
        addReplyError(c, "index out of range");
        return;
    }
    addReplyOk(c);
    signalModifiedKey(c, c->db, c->argv[1]);
    notifyKeyspaceEvent(NOTIFY_LIST, "lset", c->argv[1], c->db->id);
    server.dirty++;
}

void ltrimCommand(client *c) {
    long start, end;
    if (getLongFromObjectOrReply(c, c->argv[2], &start, NULL) != C_OK ||
        getLongFromObjectOrReply(c, c->argv[3], &end, NULL) != C_OK)
        return;
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.ok);
    if (!o || checkType(c, o, OBJ_LIST)) return;
    quicklist *ql = o->ptr;
    long llen = (long)quicklistCount(ql), ltrim, rtrim;
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    if (start > end || start >= llen) {
        ltrim = llen; /* everything goes */
        rtrim = 0;
    } else {
        if (end >= llen) end = llen - 1;
        ltrim = start;
        rtrim = llen - end - 1;
    }
    quicklistDelRange(ql, 0, (unsigned long)ltrim);
    quicklistDelRange(ql, -rtrim, (unsigned long)rtrim);
    notifyKeyspaceEvent(NOTIFY_LIST, "ltrim", c->argv[1], c->db->id);
    if (quicklistCount(ql) == 0) {
        dbDelete(c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[1], c->db->id);
    }
    signalModifiedKey(c, c->db, c->argv[1]);
    server.dirty += ltrim + rtrim;
    addReplyOk(c);
}

void lremCommand(client *c) {
    long toremove;
    if (getLongFromObjectOrReply(c, c->argv[2], &toremove, NULL) != C_OK) return;
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.czero);
    if (!o || checkType(c, o, OBJ_LIST)) return;
    quicklist *ql = o->ptr;
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *ele = argBytes(c->argv[3], buf, sizeof(buf), &len);
    int from_tail = toremove < 0;
    /* Magnitude without overflow (LONG_MIN). 0 removes every match. */
    unsigned long limit = from_tail ? 0UL - (unsigned long)toremove : (unsigned long)toremove;
    unsigned long removed = 0;
    quicklistIter it;
    quicklistEntry e;
    if (quicklistIterInit(&it, ql, from_tail ? QUICKLIST_TAIL : QUICKLIST_HEAD, from_tail ? -1 : 0)) {
        while (quicklistNext(&it, &e)) {
            if (quicklistEntryEqual(&e, ele, len)) {
                quicklistDelEntry(&it, &e);
                removed++;
                if (limit && removed == limit) break;
            }
        }
        quicklistIterRelease(&it);
    }
    if (removed) {
        signalModifiedKey(c, c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_LIST, "lrem", c->argv[1], c->db->id);
    }
    if (quicklistCount(ql) == 0) {
        dbDelete(c->db, c->argv[1]);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[1], c->db->id);
    }
    server.dirty += (long long)removed;
    addReplyLongLong(c, (long long)removed);
}

/* --- pop ------------------------------------------------------------------ */

static void popGenericCommand(client *c, int where) {
    int hascount = c->argc == 3;
    long count = 0;
    if (c->argc > 3) {
        addReplyErrorArity(c);
        return;
    }
    if (hascount && getPositiveLongFromObjectOrReply(c, c->argv[2], &count, NULL) != C_OK) return;
    robj *o = lookupKeyWrite(c->db, c->argv[1]);
    if (!o) {
        if (hascount)
            addReplyNullArray(c);
        else
            addReplyNull(c);
        return;
    }
    if (checkType(c, o, OBJ_LIST)) return;
    quicklist *ql = o->ptr;
    if (hascount && count == 0) {
        addReplyEmptyArray(c);
        return;
    }
    if (!hascount) {
        quicklistEntry e;
        int qlwhere = where == LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL;
        quicklistPeek(ql, qlwhere, &e);
        addReplyListEntry(c, &e);
        quicklistPopDiscard(ql, qlwhere);
        listElementsRemoved(c, c->argv[1], where, ql, 1, NULL);
    } else {
        long popped = listPopRangeAndReply(c, ql, where, count);
        listElementsRemoved(c, c->argv[1], where, ql, popped, NULL);
    }
}

void lpopCommand(client *c) {
    popGenericCommand(c, LIST_HEAD);
}

void rpopCommand(client *c) {
    popGenericCommand(c, LIST_TAIL);
}

/* --- move ------------------------------------------------------------------ */

/* LMOVE src dst: the source exists and is a non-empty list, or the reply
 * is null.  Pushes to dst (created if needed) and replies the element. */
static void lmoveGenericCommand(client *c, int wherefrom, int whereto) {
    robj *src = c->argv[1], *dst = c->argv[2];
    robj *so = lookupKeyWrite(c->db, src);
    if (!so) {
        addReplyNull(c);
        return;
    }
    if (checkType(c, so, OBJ_LIST)) return;
    quicklist *sql = so->ptr;
    robj *dobj = lookupKeyWrite(c->db, dst);
    if (checkType(c, dobj, OBJ_LIST)) return;
    quicklistEntry e;
    quicklistPeek(sql, wherefrom == LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL, &e);
    /* Copied out: the element's bytes live in the node being changed, and
     * src and dst may be the same list. */
    robj *value = listEntryToObject(&e);
    quicklistPopDiscard(sql, wherefrom == LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL);

    quicklist *dql = dobj ? dobj->ptr : lookupOrCreateList(c, dst);
    signalModifiedKey(c, c->db, dst);
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *s = argBytes(value, buf, sizeof(buf), &len);
    quicklistPush(dql, whereto == LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL, s, len);
    notifyKeyspaceEvent(NOTIFY_LIST, whereto == LIST_HEAD ? "lpush" : "rpush", dst, c->db->id);
    addReplyBulk(c, value);
    decrRefCount(value);

    notifyKeyspaceEvent(NOTIFY_LIST, wherefrom == LIST_HEAD ? "lpop" : "rpop", src, c->db->id);
    if (quicklistCount(sql) == 0) {
        dbDelete(c->db, src);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", src, c->db->id);
    }
    signalModifiedKey(c, c->db, src);
    server.dirty++;
}

void lmoveCommand(client *c) {
    int wherefrom, whereto;
    if (getListPositionFromObjectOrReply(c, c->argv[3], &wherefrom) != C_OK ||
        getListPositionFromObjectOrReply(c, c->argv[4], &whereto) != C_OK)
        return;
    lmoveGenericCommand(c, wherefrom, whereto);
}

void rpoplpushCommand(client *c) {
    lmoveGenericCommand(c, LIST_TAIL, LIST_HEAD);
}

/* --- multi-key pops ---------------------------------------------------------- */

/* LMPOP: the first non-empty list among keys, or a null array. */
static void mpopGenericCommand(client *c, robj **keys, int numkeys, int where, long count) {
    for (int j = 0; j < numkeys; j++) {
        robj *o = lookupKeyWrite(c->db, keys[j]);
        if (!o) continue;
        if (checkType(c, o, OBJ_LIST)) return;
        listPopRangeAndReplyWithKey(c, o->ptr, keys[j], where, count);
        return;
    }
    addReplyNullArray(c);
}

/* BLPOP/BRPOP (count -1) and BLMPOP (count >= 1). */
static void blockingPopGenericCommand(client *c, robj **keys, int numkeys, int where, int timeout_idx,
                                      long count) {
    long long timeout;
    if (getTimeoutFromObjectOrReply(c, c->argv[timeout_idx], &timeout) != C_OK) return;
    robj *ready = blockedReadyKey(c);
    for (int j = 0; j < numkeys; j++) {
        robj *key = keys[j];
        if (ready && !equalStringObjects(key, ready)) continue;
        robj *o = lookupKeyWrite(c->db, key);
        if (!o) continue;
        if (checkType(c, o, OBJ_LIST)) return;
        quicklist *ql = o->ptr;
        if (count != -1) {
            listPopRangeAndReplyWithKey(c, ql, key, where, count);
            return;
        }
        quicklistEntry e;
        int qlwhere = where == LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL;
        quicklistPeek(ql, qlwhere, &e);
        addReplyArrayLen(c, 2);
        addReplyBulk(c, key);
        addReplyListEntry(c, &e);
        quicklistPopDiscard(ql, qlwhere);
        listElementsRemoved(c, key, where, ql, 1, NULL);
        return;
    }
    if (clientCannotBlock(c)) {
        addReplyNullArray(c);
        return;
    }
    blockForKeys(c, BLOCKED_LIST, keys, numkeys, timeout);
}

void blpopCommand(client *c) {
    blockingPopGenericCommand(c, c->argv + 1, c->argc - 2, LIST_HEAD, c->argc - 1, -1);
}

void brpopCommand(client *c) {
    blockingPopGenericCommand(c, c->argv + 1, c->argc - 2, LIST_TAIL, c->argc - 1, -1);
}

/* LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count], and BLMPOP with a
 * timeout before numkeys. */
static void lmpopGenericCommand(client *c, int numkeys_idx, int is_block) {
    long numkeys, count = -1;
    int where;
    if (getRangeLongFromObjectOrReply(c, c->argv[numkeys_idx], 1, LONG_MAX, &numkeys,
                                      "numkeys should be greater than 0") != C_OK)
        return;
    /* numkeys counted against what is left, so a huge value cannot wrap. */
    if (numkeys >= (long)c->argc - numkeys_idx - 1) {
        addReplyErrorSyntax(c);
        return;
    }
    int where_idx = numkeys_idx + (int)numkeys + 1;
    if (getListPositionFromObjectOrReply(c, c->argv[where_idx], &where) != C_OK) return;
    for (int j = where_idx + 1; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int moreargs = (c->argc - 1) - j;
        if (count == -1 && !strcasecmp(opt, "COUNT") && moreargs) {
            j++;
            if (getRangeLongFromObjectOrReply(c, c->argv[j], 1, LONG_MAX, &count,
                                              "count should be greater than 0") != C_OK)
                return;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    if (count == -1) count = 1;
    if (is_block)
        blockingPopGenericCommand(c, c->argv + numkeys_idx + 1, (int)numkeys, where, 1, count);
    else
        mpopGenericCommand(c, c->argv + numkeys_idx + 1, (int)numkeys, where, count);
}

void lmpopCommand(client *c) {
    lmpopGenericCommand(c, 1, 0);
}

void blmpopCommand(client *c) {
    lmpopGenericCommand(c, 2, 1);
}

/* BLMOVE / BRPOPLPUSH: block on the source only. */
static void blmoveGenericCommand(client *c, int wherefrom, int whereto, long long timeout) {
    robj *o = lookupKeyWrite(c->db, c->argv[1]);
    if (checkType(c, o, OBJ_LIST)) return;
    if (o) {
        lmoveGenericCommand(c, wherefrom, whereto);
        return;
    }
    if (clientCannotBlock(c)) {
        /* Redis answers a null bulk here (not the timeout's null array). */
        addReplyNull(c);
        return;
    }
    blockForKeys(c, BLOCKED_LIST, c->argv + 1, 1, timeout);
}

void blmoveCommand(client *c) {
    int wherefrom, whereto;
    long long timeout;
    if (getListPositionFromObjectOrReply(c, c->argv[3], &wherefrom) != C_OK ||
        getListPositionFromObjectOrReply(c, c->argv[4], &whereto) != C_OK ||
        getTimeoutFromObjectOrReply(c, c->argv[5], &timeout) != C_OK)
        return;
    blmoveGenericCommand(c, wherefrom, whereto, timeout);
}

void brpoplpushCommand(client *c) {
    long long timeout;
    if (getTimeoutFromObjectOrReply(c, c->argv[3], &timeout) != C_OK) return;
    blmoveGenericCommand(c, LIST_TAIL, LIST_HEAD, timeout);
}

/* --- type registration -------------------------------------------------------- */

static void listFreePayload(robj *o) {
    quicklistRelease(o->ptr);
}

static robj *listDup(robj *o) {
    robj *copy = createObject(OBJ_LIST, quicklistDup(o->ptr));
    copy->encoding = OBJ_ENCODING_QUICKLIST;
    return copy;
}

/* Lazy free: about one allocation pair per node. */
static size_t listFreeEffort(robj *o) {
    return ((quicklist *)o->ptr)->len;
}

static void listDigest(robj *o, unsigned char digest[DEBUG_DIGEST_LEN]) {
    quicklistIter it;
    quicklistEntry e;
    if (!quicklistIterInit(&it, o->ptr, QUICKLIST_HEAD, 0)) return;
    while (quicklistNext(&it, &e)) {
        if (e.value) {
            debugDigestMix(digest, e.value, e.sz);
        } else {
            char buf[LONG_STR_SIZE];
            int n = ll2string(buf, sizeof(buf), e.longval);
            debugDigestMix(digest, buf, (size_t)n);
        }
    }
    quicklistIterRelease(&it);
}

void listTypeInit(void) {
    objectSetFreeFunction(OBJ_LIST, listFreePayload);
    objectSetDupFunction(OBJ_LIST, listDup);
    lazyfreeSetEffortFunction(OBJ_LIST, listFreeEffort);
    debugSetValueDigestFunction(OBJ_LIST, listDigest);
    blockedInit();
}
