/* t_set.c -- the set type: its two encodings and the S* commands.
 *
 * Encodings (Redis 7.0's, so OBJECT ENCODING answers the same and snapshot
 * files can carry an intset blob unchanged):
 *
 *   intset     while every member is the canonical text of a 64-bit integer
 *              (string2ll's strict rules: no "+1", "01", "-0", spaces) and
 *              there are at most set-max-intset-entries members.  A sorted
 *              array of integers: 2 to 8 bytes per member.
 *   hashtable  otherwise.  An htab of setEntry: ONE allocation per member
 *              holding the table's chain link, the length and the bytes
 *              (12 + len bytes), where Redis spends a dictEntry (24 bytes)
 *              plus an sds (header + len + NUL) in two allocations.
 *
 * Conversion is one-way (intset -> hashtable) during a value's life, as in
 * Redis: removing members never converts back.  New values are built the
 * way Redis builds them, because OBJECT ENCODING shows the difference: a
 * *STORE result starts as an intset and converts while being filled (so a
 * hashtable of integers can give an intset result), SADD and SMOVE create
 * the key in the encoding of its first member, SPOP moves the few survivors
 * of a large pop into a new set, and SDIFF picks between Redis's two
 * algorithms by the same cost estimate (one of them fills the result with
 * the whole first set before removing, which may convert it).
 *
 * Members travel inside this file as a setMember: either bytes (pointing
 * into an argument or into a setEntry) or an integer taken from an intset.
 * Comparing an intset's integer with a hashtable member costs a conversion
 * to text (or a parse), which is why intersection and difference test
 * membership through memberHas rather than by materialising strings.
 *
 * Random members: intsets pick a uniform position.  Hashtables sample a
 * short run of neighbouring buckets and pick uniformly inside it, which
 * removes most of the bias of "random bucket, then random chain slot"
 * (a member alone in its bucket would otherwise be twice as likely as one
 * sharing it).  Distinct samples (SRANDMEMBER with a positive count, SPOP
 * with a count) shuffle a copy of the whole set when the sample is a large
 * fraction of it, and otherwise draw with rejection of repeats. */
#include "t_set.h"

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "debug.h"
#include "intset.h"
#include "keyspace.h"
#include "reply.h"
#include "server.h"
#include "util.h"
#include "zmalloc.h"

/* ------------------------------------------------------------------------
 * Hashtable members
 * ---------------------------------------------------------------------- */

typedef struct setEntry {
    void *next;     /* htab chain link: must be first */
    uint32_t len;
    char member[];  /* len bytes, not NUL-terminated */
} setEntry;

static const void *setEntryKey(const void *entry, size_t *len) {
    const setEntry *e = entry;
    *len = e->len;
    return e->member;
}

static void setEntryFree(void *entry) {
    zfree(entry);
}

static const htabType setHtabType = {.entryKey = setEntryKey, .entryDestructor = setEntryFree};

static setEntry *setEntryNew(const char *s, size_t len) {
    /* Bulk strings are bounded by proto-max-bulk-len; a member past 4 GB
     * would need a different entry layout, not a silent truncation. */
    serverAssert(len <= UINT32_MAX);
    setEntry *e = zmalloc(offsetof(setEntry, member) + len);
    e->next = NULL;
    e->len = (uint32_t)len;
    memcpy(e->member, s, len);
    return e;
}

/* 1 if added, 0 if present.  Hashes the member once for both steps. */
static int htAdd(htab *t, const char *s, size_t len) {
    uint64_t h = htabHashKey(t, s, len);
    if (htabFindWithHash(t, s, len, h)) return 0;
    htabInsertWithHash(t, setEntryNew(s, len), h);
    return 1;
}

/* ------------------------------------------------------------------------
 * Randomness
 * ---------------------------------------------------------------------- */

/* splitmix64: fast and well spread; seeded from /dev/urandom by
 * setTypeInit so that two servers do not draw the same sequence. */
static uint64_t rngState = 0x9e3779b97f4a7c15ULL;

static uint64_t rngNext(void) {
    uint64_t z = (rngState += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); the modulo bias is below 2^-40 for any real set. */
static size_t rngBelow(size_t n) {
    return (size_t)(rngNext() % n);
}

/* Entries sampled from neighbouring buckets per random pick. */
#define SET_RANDOM_SAMPLE 16

static setEntry *htRandomEntry(htab *t) {
    void *sample[SET_RANDOM_SAMPLE];
    unsigned n = htabSampleEntries(t, sample, SET_RANDOM_SAMPLE);
    if (n == 0) return htabRandomEntry(t);
    return sample[rngBelow(n)];
}

/* ------------------------------------------------------------------------
 * Encoding-independent members
 * ---------------------------------------------------------------------- */

/* The strict integer test that decides intset membership: a member is an
 * integer only if its text is exactly what ll2string would print. */
static int memberToInt(const char *s, size_t len, int64_t *v) {
    long long ll;
    if (len == 0 || len > 20 || !string2ll(s, len, &ll)) return 0;
    *v = ll;
    return 1;
}

typedef struct setMember {
    const char *str; /* NULL: the member is the integer ll */
    size_t len;
    int64_t ll;
} setMember;

/* Text of a member: its bytes, or the integer printed into buf. */
static const char *memberBytes(const setMember *m, char *buf, size_t *len) {
    if (m->str) {
        *len = m->len;
        return m->str;
    }
    *len = (size_t)ll2string(buf, LONG_STR_SIZE, m->ll);
    return buf;
}

static void replyMember(client *c, const setMember *m) {
    if (m->str)
        addReplyBulkCBuffer(c, m->str, m->len);
    else
        addReplyBulkLongLong(c, m->ll);
}

static inline const char *argBytes(robj *o, size_t *len) {
    *len = rstrLen(o->ptr);
    return o->ptr;
}

/* ------------------------------------------------------------------------
 * The set API
 * ---------------------------------------------------------------------- */

static robj *createIntsetObject(void) {
    robj *o = createObject(OBJ_SET, intsetNew());
    o->encoding = OBJ_ENCODING_INTSET;
    return o;
}

static robj *createHtSetObject(void) {
    robj *o = createObject(OBJ_SET, htabCreate(&setHtabType));
    o->encoding = OBJ_ENCODING_HT;
    return o;
}

robj *setTypeCreate(const char *first, size_t len) {
    int64_t v;
    if (first == NULL || memberToInt(first, len, &v)) return createIntsetObject();
    return createHtSetObject();
}

size_t setTypeSize(const robj *set) {
    if (set->encoding == OBJ_ENCODING_INTSET) return intsetLen(set->ptr);
    return htabSize(set->ptr);
}

void setTypeConvert(robj *set, int encoding) {
    serverAssert(set->type == OBJ_SET && set->encoding == OBJ_ENCODING_INTSET &&
                 encoding == OBJ_ENCODING_HT);
    intset *is = set->ptr;
    htab *t = htabCreate(&setHtabType);
    char buf[LONG_STR_SIZE];
    int64_t v;
    for (uint32_t i = 0; intsetGet(is, i, &v); i++) {
        int n = ll2string(buf, sizeof(buf), v);
        htabInsert(t, setEntryNew(buf, (size_t)n));
    }
    intsetFree(is);
    set->ptr = t;
    set->encoding = OBJ_ENCODING_HT;
}

/* Adds to an intset, converting once it holds too many members. */
static int intsetAddChecked(robj *set, int64_t v) {
    uint8_t added = 0;
    set->ptr = intsetAdd(set->ptr, v, &added);
    if (added && intsetLen(set->ptr) > server.set_max_intset_entries)
        setTypeConvert(set, OBJ_ENCODING_HT);
    return added;
}

int setTypeAdd(robj *set, const char *ele, size_t len) {
    if (set->encoding == OBJ_ENCODING_INTSET) {
        int64_t v;
        if (memberToInt(ele, len, &v)) return intsetAddChecked(set, v);
        setTypeConvert(set, OBJ_ENCODING_HT);
    }
    return htAdd(set->ptr, ele, len);
}

int setTypeAddInteger(robj *set, int64_t value) {
    if (set->encoding == OBJ_ENCODING_INTSET) return intsetAddChecked(set, value);
    char buf[LONG_STR_SIZE];
    int n = ll2string(buf, sizeof(buf), value);
    return htAdd(set->ptr, buf, (size_t)n);
}

int setTypeRemove(robj *set, const char *ele, size_t len) {
    if (set->encoding == OBJ_ENCODING_INTSET) {
        int64_t v;
        int removed = 0;
        if (memberToInt(ele, len, &v)) set->ptr = intsetRemove(set->ptr, v, &removed);
        return removed;
    }
    return htabDelete(set->ptr, ele, len);
}

int setTypeIsMember(robj *set, const char *ele, size_t len) {
    if (set->encoding == OBJ_ENCODING_INTSET) {
        int64_t v;
        return memberToInt(ele, len, &v) && intsetFind(set->ptr, v);
    }
    return htabFind(set->ptr, ele, len) != NULL;
}

static int memberHas(robj *set, const setMember *m) {
    if (m->str) return setTypeIsMember(set, m->str, m->len);
    if (set->encoding == OBJ_ENCODING_INTSET) return intsetFind(set->ptr, m->ll);
    char buf[LONG_STR_SIZE];
    int n = ll2string(buf, sizeof(buf), m->ll);
    return htabFind(set->ptr, buf, (size_t)n) != NULL;
}

static int memberAdd(robj *set, const setMember *m) {
    return m->str ? setTypeAdd(set, m->str, m->len) : setTypeAddInteger(set, m->ll);
}

static int memberRemove(robj *set, const setMember *m) {
    char buf[LONG_STR_SIZE];
    size_t len;
    if (m->str == NULL && set->encoding == OBJ_ENCODING_INTSET) {
        int removed = 0;
        set->ptr = intsetRemove(set->ptr, m->ll, &removed);
        return removed;
    }
    const char *s = memberBytes(m, buf, &len);
    return setTypeRemove(set, s, len);
}

void setTypeInitIterator(setTypeIterator *it, robj *set) {
    it->set = set;
    it->pos = 0;
    if (set->encoding == OBJ_ENCODING_HT) htabIterInit(&it->hi, set->ptr);
}

int setTypeNext(setTypeIterator *it, const char **str, size_t *len, int64_t *llval) {
    if (it->set->encoding == OBJ_ENCODING_INTSET) {
        if (!intsetGet(it->set->ptr, it->pos, llval)) return 0;
        it->pos++;
        *str = NULL;
        *len = 0;
        return 1;
    }
    setEntry *e = htabIterNext(&it->hi);
    if (e == NULL) return 0;
    *str = e->member;
    *len = e->len;
    return 1;
}

void setTypeReleaseIterator(setTypeIterator *it) {
    if (it->set->encoding == OBJ_ENCODING_HT) htabIterRelease(&it->hi);
}

static int iterNextMember(setTypeIterator *it, setMember *m) {
    return setTypeNext(it, &m->str, &m->len, &m->ll);
}

static void randomMember(robj *set, setMember *m) {
    if (set->encoding == OBJ_ENCODING_INTSET) {
        m->str = NULL;
        m->len = 0;
        m->ll = intsetRandom(set->ptr);
    } else {
        setEntry *e = htRandomEntry(set->ptr);
        m->str = e->member;
        m->len = e->len;
    }
}

/* Frees a set payload (object.c calls it for keyspace values). */
static void setFreePayload(robj *o) {
    if (o->encoding == OBJ_ENCODING_INTSET)
        intsetFree(o->ptr);
    else
        htabRelease(o->ptr);
    o->ptr = NULL;
}

/* Frees a temporary set this file created and never stored. */
static void freeSetObject(robj *o) {
    setFreePayload(o);
    zfree(o);
}

robj *setTypeDup(robj *set) {
    if (set->encoding == OBJ_ENCODING_INTSET) {
        robj *o = createObject(OBJ_SET, intsetDup(set->ptr));
        o->encoding = OBJ_ENCODING_INTSET;
        return o;
    }
    robj *o = createHtSetObject();
    htabIterator it;
    htabIterInit(&it, set->ptr);
    setEntry *e;
    while ((e = htabIterNext(&it)) != NULL) htabInsert(o->ptr, setEntryNew(e->member, e->len));
    htabIterRelease(&it);
    return o;
}

/* ------------------------------------------------------------------------
 * Registration: free, dup, lazy-free effort, digest
 * ---------------------------------------------------------------------- */

static size_t setFreeEffort(robj *o) {
    /* One allocation for an intset; one per member for a hashtable. */
    return o->encoding == OBJ_ENCODING_INTSET ? 1 : htabSize(o->ptr);
}

static void setDigest(robj *o, unsigned char digest[DEBUG_DIGEST_LEN]) {
    /* Members digested by their text, so an intset and a hashtable holding
     * the same members give the same digest; XOR-folded: order-free. */
    setTypeIterator it;
    setMember m;
    setTypeInitIterator(&it, o);
    while (iterNextMember(&it, &m)) {
        unsigned char member[DEBUG_DIGEST_LEN] = {0};
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *s = memberBytes(&m, buf, &len);
        debugDigestMix(member, s, len);
        debugDigestXor(digest, member);
    }
    setTypeReleaseIterator(&it);
}

void setTypeInit(void) {
    objectSetFreeFunction(OBJ_SET, setFreePayload);
    objectSetDupFunction(OBJ_SET, setTypeDup);
    lazyfreeSetEffortFunction(OBJ_SET, setFreeEffort);
    debugSetValueDigestFunction(OBJ_SET, setDigest);
    unsigned char seed[sizeof(rngState)];
    getRandomBytes(seed, sizeof(seed));
    memcpy(&rngState, seed, sizeof(seed));
}

/* ------------------------------------------------------------------------
 * Argument parsing
 * ---------------------------------------------------------------------- */

/* A long within [min, max].  msg (if not NULL) replaces both the
 * not-an-integer and the out-of-range error, as in Redis. */
static int getRangeLongOrReply(client *c, robj *o, long min, long max, long *out,
                               const char *msg) {
    long long v;
    if (getLongLongFromObject(o, &v) != 0) {
        addReplyError(c, msg ? msg : "value is not an integer or out of range");
        return C_ERR;
    }
    if (v < min || v > max) {
        if (msg)
            addReplyError(c, msg);
        else
            addReplyErrorFormat(c, "value is out of range, value must between %ld and %ld", min,
                                max);
        return C_ERR;
    }
    *out = (long)v;
    return C_OK;
}

static int getPositiveLongOrReply(client *c, robj *o, long *out, const char *msg) {
    return getRangeLongOrReply(c, o, 0, LONG_MAX, out,
                               msg ? msg : "value is out of range, must be positive");
}

/* ------------------------------------------------------------------------
 * Distinct random samples
 * ---------------------------------------------------------------------- */

/* Open-addressing set of 64-bit keys (member pointers or intset values),
 * to reject repeats while drawing a sample. */
typedef struct seenSet {
    uint64_t *keys;
    unsigned char *used;
    size_t mask;
} seenSet;

static void seenInit(seenSet *s, size_t count) {
    size_t cap = 16;
    while (cap < count * 2) cap <<= 1;
    s->keys = zmalloc(cap * sizeof(uint64_t));
    s->used = zcalloc(cap);
    s->mask = cap - 1;
}

/* 1 if key was new (and is now recorded). */
static int seenAdd(seenSet *s, uint64_t key) {
    size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & s->mask;
    while (s->used[i]) {
        if (s->keys[i] == key) return 0;
        i = (i + 1) & s->mask;
    }
    s->used[i] = 1;
    s->keys[i] = key;
    return 1;
}

static void seenFree(seenSet *s) {
    zfree(s->keys);
    zfree(s->used);
}

/* Fills out[0..count) with count distinct members of set chosen uniformly
 * (count < size).  Hashtable members point into their entries and stay
 * valid until removed. */
static void sampleDistinct(robj *set, size_t count, setMember *out) {
    size_t size = setTypeSize(set);
    if (count * 3 > size) {
        /* A large share of the set: shuffle a full copy partially. */
        setMember *all = zmalloc(size * sizeof(*all));
        setTypeIterator it;
        size_t n = 0;
        setTypeInitIterator(&it, set);
        while (n < size && iterNextMember(&it, &all[n])) n++;
        setTypeReleaseIterator(&it);
        for (size_t i = 0; i < count; i++) {
            size_t j = i + rngBelow(n - i);
            setMember tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        memcpy(out, all, count * sizeof(*all));
        zfree(all);
        return;
    }
    /* A small share: at most a third of the draws are repeats. */
    seenSet seen;
    seenInit(&seen, count);
    size_t n = 0;
    while (n < count) {
        setMember m;
        randomMember(set, &m);
        uint64_t key = m.str ? (uint64_t)(uintptr_t)m.str : (uint64_t)m.ll;
        if (seenAdd(&seen, key)) out[n++] = m;
    }
    seenFree(&seen);
}

/* ------------------------------------------------------------------------
 * SADD SREM SISMEMBER SMISMEMBER SCARD
 * ---------------------------------------------------------------------- */

void saddCommand(client *c) {
    robj *key = c->argv[1];
    robj *set = lookupKeyWrite(c->db, key);
    if (checkType(c, set, OBJ_SET)) return;

    long long added = 0;
    int created = 0;
    size_t len;
    const char *s;
    if (set == NULL) {
        s = argBytes(c->argv[2], &len);
        set = setTypeCreate(s, len);
        created = 1;
    }
    for (int j = 2; j < c->argc; j++) {
        s = argBytes(c->argv[j], &len);
        added += setTypeAdd(set, s, len);
    }
    /* The value is filled before it enters the keyspace: dbAdd consumes
     * the object, so it must not be touched afterwards. */
    if (created) dbAdd(c->db, key, set);
    if (added) {
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_SET, "sadd", key, c->db->id);
    }
    server.dirty += added;
    addReplyLongLong(c, added);
}

void sremCommand(client *c) {
    robj *key = c->argv[1];
    robj *set = lookupKeyWrite(c->db, key);
    if (set == NULL) {
        addReplyProto(c, shared.czero, strlen(shared.czero));
        return;
    }
    if (checkType(c, set, OBJ_SET)) return;

    long long deleted = 0;
    int keyremoved = 0;
    for (int j = 2; j < c->argc; j++) {
        size_t len;
        const char *s = argBytes(c->argv[j], &len);
        if (setTypeRemove(set, s, len)) {
            deleted++;
            if (setTypeSize(set) == 0) {
                dbDelete(c->db, key);
                keyremoved = 1;
                break;
            }
        }
    }
    if (deleted) {
        signalModifiedKey(c, c->db, key);
        notifyKeyspaceEvent(NOTIFY_SET, "srem", key, c->db->id);
        if (keyremoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
        server.dirty += deleted;
    }
    addReplyLongLong(c, deleted);
}

void sismemberCommand(client *c) {
    robj *set = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, set, OBJ_SET)) return;
    size_t len;
    const char *s = argBytes(c->argv[2], &len);
    addReplyLongLong(c, set && setTypeIsMember(set, s, len));
}

void smismemberCommand(client *c) {
    robj *set = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, set, OBJ_SET)) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        size_t len;
        const char *s = argBytes(c->argv[j], &len);
        addReplyLongLong(c, set && setTypeIsMember(set, s, len));
    }
}

void scardCommand(client *c) {
    robj *set = lookupKeyRead(c->db, c->argv[1]);
    if (checkType(c, set, OBJ_SET)) return;
    addReplyLongLong(c, set ? (long long)setTypeSize(set) : 0);
}

/* ------------------------------------------------------------------------
 * SMOVE
 * ---------------------------------------------------------------------- */

void smoveCommand(client *c) {
    robj *srckey = c->argv[1], *dstkey = c->argv[2];
    robj *src = lookupKeyWrite(c->db, srckey);
    robj *dst = lookupKeyWrite(c->db, dstkey);
    size_t len;
    const char *ele = argBytes(c->argv[3], &len);

    /* Redis's order: a missing source wins over a wrongly typed
     * destination. */
    if (src == NULL) {
        addReplyLongLong(c, 0);
        return;
    }
    if (checkType(c, src, OBJ_SET) || checkType(c, dst, OBJ_SET)) return;

    if (src == dst) {
        /* Same key: nothing moves, but the answer still says whether the
         * member is there. */
        addReplyLongLong(c, setTypeIsMember(src, ele, len));
        return;
    }
    if (!setTypeRemove(src, ele, len)) {
        addReplyLongLong(c, 0);
        return;
    }
    notifyKeyspaceEvent(NOTIFY_SET, "srem", srckey, c->db->id);
    if (setTypeSize(src) == 0) {
        dbDelete(c->db, srckey);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", srckey, c->db->id);
    }
    signalModifiedKey(c, c->db, srckey);
    server.dirty++;

    int added;
    if (dst == NULL) {
        dst = setTypeCreate(ele, len);
        added = setTypeAdd(dst, ele, len);
        dbAdd(c->db, dstkey, dst);
    } else {
        added = setTypeAdd(dst, ele, len);
    }
    if (added) {
        server.dirty++;
        signalModifiedKey(c, c->db, dstkey);
        notifyKeyspaceEvent(NOTIFY_SET, "sadd", dstkey, c->db->id);
    }
    addReplyLongLong(c, 1);
}

/* ------------------------------------------------------------------------
 * SPOP SRANDMEMBER
 * ---------------------------------------------------------------------- */

/* Replies every member of set as a RESP3 set (RESP2 array). */
static void replyWholeSet(client *c, robj *set) {
    setTypeIterator it;
    setMember m;
    addReplySetLen(c, (long)setTypeSize(set));
    setTypeInitIterator(&it, set);
    while (iterNextMember(&it, &m)) replyMember(c, &m);
    setTypeReleaseIterator(&it);
}

static int cmpInt64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Pops `count` (< size) random members of an intset, replying them. */
static void spopIntset(client *c, robj *set, size_t count) {
    setMember *popped = zmalloc(count * sizeof(*popped));
    sampleDistinct(set, count, popped);
    addReplySetLen(c, (long)count);
    for (size_t i = 0; i < count; i++) replyMember(c, &popped[i]);

    if (count <= 8) {
        /* Few removals: each is one memmove of the tail. */
        for (size_t i = 0; i < count; i++)
            set->ptr = intsetRemove(set->ptr, popped[i].ll, NULL);
    } else {
        /* Many: one merge pass keeps the survivors, instead of count
         * memmoves of the whole tail. */
        int64_t *gone = zmalloc(count * sizeof(*gone));
        for (size_t i = 0; i < count; i++) gone[i] = popped[i].ll;
        qsort(gone, count, sizeof(*gone), cmpInt64);
        intset *old = set->ptr, *kept = intsetNew();
        size_t g = 0;
        int64_t v;
        for (uint32_t i = 0; intsetGet(old, i, &v); i++) {
            if (g < count && gone[g] == v) {
                g++;
                continue;
            }
            kept = intsetAdd(kept, v, NULL);
        }
        intsetFree(old);
        set->ptr = kept;
        zfree(gone);
    }
    zfree(popped);
}

/* Pops `count` (< size) random members of a hashtable set, replying them. */
static void spopHashtable(client *c, robj *set, size_t count) {
    htab *t = set->ptr;
    size_t remaining = htabSize(t) - count;
    addReplySetLen(c, (long)count);

    if (remaining * 5 > count) {
        /* Most members stay: draw and unlink one at a time. */
        for (size_t i = 0; i < count; i++) {
            setEntry *e = htRandomEntry(t);
            addReplyBulkCBuffer(c, e->member, e->len);
            htabUnlink(t, e->member, e->len);
            zfree(e);
        }
        return;
    }
    /* Most members go: move the few survivors to a new set (an intset if
     * they allow it, as Redis does), then reply and free all the rest. */
    setMember *keep = zmalloc(remaining * sizeof(*keep));
    sampleDistinct(set, remaining, keep);
    robj *kept = setTypeCreate(keep[0].str, keep[0].len);
    for (size_t i = 0; i < remaining; i++) memberAdd(kept, &keep[i]);
    for (size_t i = 0; i < remaining; i++) htabDelete(t, keep[i].str, keep[i].len);
    zfree(keep);

    htabIterator it;
    htabIterInit(&it, t);
    setEntry *e;
    while ((e = htabIterNext(&it)) != NULL) addReplyBulkCBuffer(c, e->member, e->len);
    htabIterRelease(&it);
    htabRelease(t);
    set->ptr = kept->ptr;
    set->encoding = kept->encoding;
    zfree(kept);
}

static void spopWithCountCommand(client *c) {
    long l;
    robj *key = c->argv[1];
    if (getPositiveLongOrReply(c, c->argv[2], &l, NULL) != C_OK) return;
    size_t count = (size_t)l;

    robj *set = lookupKeyWrite(c->db, key);
    if (set == NULL) {
        addReplySetLen(c, 0);
        return;
    }
    if (checkType(c, set, OBJ_SET)) return;
    if (count == 0) {
        addReplySetLen(c, 0);
        return;
    }

    size_t size = setTypeSize(set);
    notifyKeyspaceEvent(NOTIFY_SET, "spop", key, c->db->id);
    server.dirty += (long long)(count >= size ? size : count);

    if (count >= size) {
        replyWholeSet(c, set);
        dbDelete(c->db, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
    } else if (set->encoding == OBJ_ENCODING_INTSET) {
        spopIntset(c, set, count);
    } else {
        spopHashtable(c, set, count);
    }
    signalModifiedKey(c, c->db, key);
}

void spopCommand(client *c) {
    if (c->argc == 3) {
        spopWithCountCommand(c);
        return;
    }
    if (c->argc > 3) {
        addReplyErrorSyntax(c);
        return;
    }
    robj *key = c->argv[1];
    robj *set = lookupKeyWrite(c->db, key);
    if (set == NULL) {
        addReplyNull(c);
        return;
    }
    if (checkType(c, set, OBJ_SET)) return;

    setMember m;
    randomMember(set, &m);
    replyMember(c, &m);
    memberRemove(set, &m); /* m is dead from here on (its entry is freed) */
    notifyKeyspaceEvent(NOTIFY_SET, "spop", key, c->db->id);
    if (setTypeSize(set) == 0) {
        dbDelete(c->db, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c->db->id);
    }
    signalModifiedKey(c, c->db, key);
    server.dirty++;
}

static void srandmemberWithCountCommand(client *c) {
    long l;
    if (getRangeLongOrReply(c, c->argv[2], -LONG_MAX, LONG_MAX, &l, NULL) != C_OK) return;
    int distinct = l >= 0;
    size_t count = (size_t)(l >= 0 ? l : -l);

    robj *set = lookupKeyRead(c->db, c->argv[1]);
    if (set == NULL) {
        addReplyEmptyArray(c);
        return;
    }
    if (checkType(c, set, OBJ_SET)) return;
    if (count == 0) {
        addReplyEmptyArray(c);
        return;
    }
    size_t size = setTypeSize(set);
    setMember m;

    /* Repetitions allowed (negative count): independent draws.  This is
     * the only case where the order of the reply must be random too. */
    if (!distinct || count == 1) {
        addReplyArrayLen(c, (long)count);
        while (count--) {
            randomMember(set, &m);
            replyMember(c, &m);
        }
        return;
    }
    addReplyArrayLen(c, (long)(count < size ? count : size));
    if (count >= size) {
        setTypeIterator it;
        setTypeInitIterator(&it, set);
        while (iterNextMember(&it, &m)) replyMember(c, &m);
        setTypeReleaseIterator(&it);
        return;
    }
    setMember *out = zmalloc(count * sizeof(*out));
    sampleDistinct(set, count, out);
    for (size_t i = 0; i < count; i++) replyMember(c, &out[i]);
    zfree(out);
}

void srandmemberCommand(client *c) {
    if (c->argc == 3) {
        srandmemberWithCountCommand(c);
        return;
    }
    if (c->argc > 3) {
        addReplyErrorSyntax(c);
        return;
    }
    robj *set = lookupKeyRead(c->db, c->argv[1]);
    if (set == NULL) {
        addReplyNull(c);
        return;
    }
    if (checkType(c, set, OBJ_SET)) return;
    setMember m;
    randomMember(set, &m);
    replyMember(c, &m);
}

/* ------------------------------------------------------------------------
 * Results of the set algebra
 * ---------------------------------------------------------------------- */

/* Stores a computed result under dstkey (or deletes dstkey when the result
 * is empty) and replies its cardinality.  Consumes result. */
static void storeResult(client *c, robj *dstkey, robj *result, const char *event) {
    size_t size = setTypeSize(result);
    if (size > 0) {
        setKey(c, c->db, dstkey, result, 0);
        addReplyLongLong(c, (long long)size);
        notifyKeyspaceEvent(NOTIFY_SET, event, dstkey, c->db->id);
        server.dirty++;
    } else {
        freeSetObject(result);
        addReplyLongLong(c, 0);
        if (dbDelete(c->db, dstkey)) {
            server.dirty++;
            signalModifiedKey(c, c->db, dstkey);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dstkey, c->db->id);
        }
    }
}

/* Looks up every source key; a missing key is a NULL slot.  On a wrongly
 * typed key replies WRONGTYPE, frees the array and returns NULL; missing
 * keys do not stop the scan, so a later wrong type still wins. */
static robj **lookupSources(client *c, robj **keys, int numkeys, int *missing) {
    robj **sets = zmalloc(sizeof(robj *) * (size_t)numkeys);
    *missing = 0;
    for (int j = 0; j < numkeys; j++) {
        sets[j] = lookupKeyRead(c->db, keys[j]);
        if (sets[j] == NULL) {
            (*missing)++;
        } else if (checkType(c, sets[j], OBJ_SET)) {
            zfree(sets);
            return NULL;
        }
    }
    return sets;
}

/* A missing key (NULL) sorts as an empty set. */
static int cmpSetsBySize(const void *a, const void *b) {
    robj *sa = *(robj *const *)a, *sb = *(robj *const *)b;
    size_t x = sa ? setTypeSize(sa) : 0, y = sb ? setTypeSize(sb) : 0;
    return (x > y) - (x < y);
}

static int cmpSetsBySizeDesc(const void *a, const void *b) {
    return cmpSetsBySize(b, a);
}

/* ------------------------------------------------------------------------
 * SINTER SMEMBERS SINTERCARD SINTERSTORE
 * ---------------------------------------------------------------------- */

/* Intersection of keys[0..numkeys).  dstkey: store it; cardOnly: reply
 * its size, stopping at limit (0 = no limit); else reply it as a set. */
static void sinterGeneric(client *c, robj **keys, int numkeys, robj *dstkey, int cardOnly,
                          long limit) {
    int missing;
    robj **sets = lookupSources(c, keys, numkeys, &missing);
    if (sets == NULL) return;

    if (missing) {
        /* Intersecting with an empty set: nothing to compute. */
        zfree(sets);
        if (dstkey) {
            if (dbDelete(c->db, dstkey)) {
                signalModifiedKey(c, c->db, dstkey);
                notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dstkey, c->db->id);
                server.dirty++;
            }
            addReplyLongLong(c, 0);
        } else if (cardOnly) {
            addReplyLongLong(c, 0);
        } else {
            addReplySetLen(c, 0);
        }
        return;
    }

    /* Walk the smallest set; test membership in the others. */
    qsort(sets, (size_t)numkeys, sizeof(robj *), cmpSetsBySize);
    robj *result = dstkey ? createIntsetObject() : NULL;
    void *deferred = (!dstkey && !cardOnly) ? addReplyDeferredLen(c) : NULL;
    long long card = 0;
    setTypeIterator it;
    setMember m;
    setTypeInitIterator(&it, sets[0]);
    while (iterNextMember(&it, &m)) {
        int j;
        for (j = 1; j < numkeys; j++) {
            if (sets[j] == sets[0]) continue;
            if (!memberHas(sets[j], &m)) break;
        }
        if (j < numkeys) continue;
        if (cardOnly) {
            card++;
            if (limit && card >= limit) break;
        } else if (dstkey) {
            memberAdd(result, &m);
        } else {
            replyMember(c, &m);
            card++;
        }
    }
    setTypeReleaseIterator(&it);
    zfree(sets);

    if (dstkey)
        storeResult(c, dstkey, result, "sinterstore");
    else if (cardOnly)
        addReplyLongLong(c, card);
    else
        setDeferredSetLen(c, deferred, (long)card);
}

void sinterCommand(client *c) {
    sinterGeneric(c, c->argv + 1, c->argc - 1, NULL, 0, 0);
}

void smembersCommand(client *c) {
    /* SMEMBERS key is SINTER key, replies and errors included. */
    sinterGeneric(c, c->argv + 1, 1, NULL, 0, 0);
}

void sinterstoreCommand(client *c) {
    sinterGeneric(c, c->argv + 2, c->argc - 2, c->argv[1], 0, 0);
}

void sintercardCommand(client *c) {
    long numkeys, limit = 0;
    if (getRangeLongOrReply(c, c->argv[1], 1, LONG_MAX, &numkeys,
                            "numkeys should be greater than 0") != C_OK)
        return;
    if (numkeys > c->argc - 2) {
        addReplyError(c, "Number of keys can't be greater than number of args");
        return;
    }
    for (int j = 2 + (int)numkeys; j < c->argc; j++) {
        int moreargs = c->argc - 1 - j;
        if (!strcasecmp(c->argv[j]->ptr, "limit") && moreargs) {
            j++;
            if (getPositiveLongOrReply(c, c->argv[j], &limit, "LIMIT can't be negative") != C_OK)
                return;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    sinterGeneric(c, c->argv + 2, (int)numkeys, NULL, 1, limit);
}

/* ------------------------------------------------------------------------
 * SUNION SDIFF and their STORE forms
 * ---------------------------------------------------------------------- */

#define SET_OP_UNION 0
#define SET_OP_DIFF 1

static void sunionDiffGeneric(client *c, robj **keys, int numkeys, robj *dstkey, int op) {
    int missing;
    robj **sets = lookupSources(c, keys, numkeys, &missing);
    if (sets == NULL) return;

    /* Redis picks between two difference algorithms by estimated work, and
     * since they fill the result in different ways the choice can show in
     * the result's encoding; mirror it.  1: walk the first set and keep
     * members found in no other (best when the first set is small); 2: add
     * the first set, then remove every member of the others. */
    int algo = 1;
    int sameset = 0;
    for (int j = 1; j < numkeys; j++)
        if (sets[0] && sets[j] == sets[0]) sameset = 1;
    if (op == SET_OP_DIFF && sets[0] && !sameset) {
        long long work1 = 0, work2 = 0;
        for (int j = 0; j < numkeys; j++) {
            if (sets[j] == NULL) continue;
            work1 += (long long)setTypeSize(sets[0]);
            work2 += (long long)setTypeSize(sets[j]);
        }
        /* Algorithm 1 stops early on common members: favour it. */
        work1 /= 2;
        algo = work1 <= work2 ? 1 : 2;
        /* Subtract the largest sets first: a member is likelier to be
         * found (and rejected) early. */
        if (algo == 1 && numkeys > 1)
            qsort(sets + 1, (size_t)numkeys - 1, sizeof(robj *), cmpSetsBySizeDesc);
    }

    robj *result = createIntsetObject();
    setTypeIterator it;
    setMember m;
    if (op == SET_OP_UNION) {
        for (int j = 0; j < numkeys; j++) {
            if (sets[j] == NULL) continue;
            setTypeInitIterator(&it, sets[j]);
            while (iterNextMember(&it, &m)) memberAdd(result, &m);
            setTypeReleaseIterator(&it);
        }
    } else if (sets[0] && sameset) {
        /* A set minus itself (and anything else) is empty. */
    } else if (sets[0] && algo == 1) {
        setTypeInitIterator(&it, sets[0]);
        while (iterNextMember(&it, &m)) {
            int j;
            for (j = 1; j < numkeys; j++) {
                if (sets[j] == NULL) continue;
                if (memberHas(sets[j], &m)) break;
            }
            if (j == numkeys) memberAdd(result, &m);
        }
        setTypeReleaseIterator(&it);
    } else if (sets[0]) {
        for (int j = 0; j < numkeys; j++) {
            if (sets[j] == NULL) continue;
            setTypeInitIterator(&it, sets[j]);
            while (iterNextMember(&it, &m)) {
                if (j == 0)
                    memberAdd(result, &m);
                else
                    memberRemove(result, &m);
            }
            setTypeReleaseIterator(&it);
            /* Nothing left to remove from. */
            if (setTypeSize(result) == 0) break;
        }
    }
    zfree(sets);

    if (dstkey) {
        storeResult(c, dstkey, result, op == SET_OP_UNION ? "sunionstore" : "sdiffstore");
    } else {
        replyWholeSet(c, result);
        freeSetObject(result);
    }
}

void sunionCommand(client *c) {
    sunionDiffGeneric(c, c->argv + 1, c->argc - 1, NULL, SET_OP_UNION);
}

void sunionstoreCommand(client *c) {
    sunionDiffGeneric(c, c->argv + 2, c->argc - 2, c->argv[1], SET_OP_UNION);
}

void sdiffCommand(client *c) {
    sunionDiffGeneric(c, c->argv + 1, c->argc - 1, NULL, SET_OP_DIFF);
}

void sdiffstoreCommand(client *c) {
    sunionDiffGeneric(c, c->argv + 2, c->argc - 2, c->argv[1], SET_OP_DIFF);
}

/* ------------------------------------------------------------------------
 * SSCAN
 * ---------------------------------------------------------------------- */

void sscanCommand(client *c) {
    unsigned long cursor;
    scanOptions opts;
    /* Redis's order: cursor, then key (a missing key is an empty scan,
     * whatever the options), then type, then options. */
    if (parseScanCursorOrReply(c, c->argv[2], &cursor) != C_OK) return;
    robj *set = lookupKeyRead(c->db, c->argv[1]);
    if (set == NULL) {
        addReplyScanCursor(c, 0);
        addReplyArrayLen(c, 0);
        return;
    }
    if (checkType(c, set, OBJ_SET)) return;
    if (parseScanOptionsOrReply(c, 3, 0, &opts) != C_OK) return;

    if (set->encoding == OBJ_ENCODING_INTSET) {
        /* Small by construction: everything in one call, cursor 0. */
        char buf[LONG_STR_SIZE];
        int64_t v;
        long n = 0;
        addReplyScanCursor(c, 0);
        void *deferred = addReplyDeferredLen(c);
        for (uint32_t i = 0; intsetGet(set->ptr, i, &v); i++) {
            int len = ll2string(buf, sizeof(buf), v);
            if (opts.pattern && !stringmatchlen(opts.pattern, opts.patlen, buf, (size_t)len, 0))
                continue;
            addReplyBulkCBuffer(c, buf, (size_t)len);
            n++;
        }
        setDeferredArrayLen(c, deferred, n);
        return;
    }

    scanBatch batch = {0};
    cursor = scanCollect(scanStepHtab, set->ptr, cursor, opts.count, &batch);
    addReplyScanCursor(c, cursor);
    void *deferred = addReplyDeferredLen(c);
    long n = 0;
    for (size_t i = 0; i < batch.n; i++) {
        setEntry *e = batch.found[i];
        if (opts.pattern && !stringmatchlen(opts.pattern, opts.patlen, e->member, e->len, 0))
            continue;
        addReplyBulkCBuffer(c, e->member, e->len);
        n++;
    }
    setDeferredArrayLen(c, deferred, n);
    scanBatchFree(&batch);
}
