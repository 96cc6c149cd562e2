/* test_quicklist.c: the quicklist (src/quicklist.c) against a model.
 *
 * White-box checks that the Tcl tests cannot make: node sizes follow the
 * fill rule, the compression windows hold (head and tail always plain, inner
 * nodes compressed when it pays), node links and counts stay consistent, and
 * a long seeded random run of every operation (push, pop, insert, replace,
 * range delete, delete while iterating, duplicate) agrees with an array of
 * strings after every step, for several fill and depth settings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listpack.h"
#include "quicklist.h"
#include "test.h"

/* ---- the model: an array of C strings ---- */

typedef struct model {
    char **v;
    long n, cap;
} model;

static void modelInsert(model *m, long i, const char *s) {
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->v = realloc(m->v, (size_t)m->cap * sizeof(char *));
    }
    memmove(m->v + i + 1, m->v + i, (size_t)(m->n - i) * sizeof(char *));
    m->v[i] = strdup(s);
    m->n++;
}

static void modelDelete(model *m, long i) {
    free(m->v[i]);
    memmove(m->v + i, m->v + i + 1, (size_t)(m->n - i - 1) * sizeof(char *));
    m->n--;
}

static void modelFree(model *m) {
    for (long i = 0; i < m->n; i++) free(m->v[i]);
    free(m->v);
    memset(m, 0, sizeof(*m));
}

static void entryText(const quicklistEntry *e, char *buf) {
    if (e->value) {
        memcpy(buf, e->value, e->sz);
        buf[e->sz] = '\0';
    } else {
        sprintf(buf, "%lld", e->longval);
    }
}

/* Structure and content checks; returns 1 if everything holds. */
static int checkList(quicklist *ql, model *m) {
    int ok = 1;
    unsigned long count = 0, len = 0;
    for (quicklistNode *n = ql->head; n; n = n->next) {
        count += n->count;
        len++;
        if (n->count == 0) ok = 0;
        if (n->next && n->next->prev != n) ok = 0;
        if (n->recompress) ok = 0; /* nobody holds a node between operations */
    }
    if (count != ql->count || len != ql->len || (long)ql->count != m->n) ok = 0;
    if (ql->head && (ql->head->encoding != QUICKLIST_NODE_RAW || ql->tail->encoding != QUICKLIST_NODE_RAW))
        ok = 0;
    char buf[512];
    quicklistIter it;
    quicklistEntry e;
    long i = 0;
    if (quicklistIterInit(&it, ql, QUICKLIST_HEAD, 0)) {
        while (quicklistNext(&it, &e)) {
            entryText(&e, buf);
            if (i >= m->n || strcmp(buf, m->v[i])) ok = 0;
            i++;
        }
        quicklistIterRelease(&it);
    }
    if (i != m->n) ok = 0;
    i = m->n - 1;
    if (quicklistIterInit(&it, ql, QUICKLIST_TAIL, -1)) {
        while (quicklistNext(&it, &e)) {
            entryText(&e, buf);
            if (i < 0 || strcmp(buf, m->v[i])) ok = 0;
            i--;
        }
        quicklistIterRelease(&it);
    }
    if (i != -1) ok = 0;
    return ok;
}

static void randomValue(char *b) {
    int l;
    switch (rand() % 4) {
    case 0: sprintf(b, "%d", rand() % 100000 - 50000); break;
    case 1:
        l = rand() % 40;
        for (int k = 0; k < l; k++) b[k] = (char)('a' + rand() % 3);
        b[l] = '\0';
        break;
    case 2:
        l = rand() % 300;
        for (int k = 0; k < l; k++) b[k] = (char)('a' + rand() % 2);
        b[l] = '\0';
        break;
    default: sprintf(b, "v%d", rand() % 50);
    }
}

/* ---- tests ---- */

static void testPushPeekPop(void) {
    quicklist *ql = quicklistCreate(-2, 0);
    quicklistEntry e;
    TEST_ASSERT(!quicklistPeek(ql, QUICKLIST_HEAD, &e));
    quicklistPush(ql, QUICKLIST_TAIL, "b", 1);
    quicklistPush(ql, QUICKLIST_HEAD, "a", 1);
    quicklistPush(ql, QUICKLIST_TAIL, "12345", 5);
    TEST_ASSERT_EQ(quicklistCount(ql), 3);
    TEST_ASSERT(quicklistPeek(ql, QUICKLIST_HEAD, &e) && e.value && e.sz == 1 && e.value[0] == 'a');
    TEST_ASSERT(quicklistPeek(ql, QUICKLIST_TAIL, &e) && !e.value && e.longval == 12345);
    quicklistPopDiscard(ql, QUICKLIST_TAIL);
    quicklistPopDiscard(ql, QUICKLIST_HEAD);
    TEST_ASSERT(quicklistPeek(ql, QUICKLIST_HEAD, &e) && e.value[0] == 'b');
    quicklistPopDiscard(ql, QUICKLIST_HEAD);
    TEST_ASSERT_EQ(quicklistCount(ql), 0);
    TEST_ASSERT(ql->head == NULL && ql->tail == NULL && ql->len == 0);
    quicklistRelease(ql);
}

static void testFillByCount(void) {
    quicklist *ql = quicklistCreate(3, 0);
    for (int i = 0; i < 10; i++) quicklistPush(ql, QUICKLIST_TAIL, "x", 1);
    TEST_ASSERT_EQ(ql->len, 4); /* 3 + 3 + 3 + 1 */
    for (quicklistNode *n = ql->head; n; n = n->next) TEST_ASSERT(n->count <= 3);
    quicklistRelease(ql);
}

static void testFillByBytes(void) {
    static const size_t limits[] = {4096, 8192, 16384, 32768, 65536};
    char val[100];
    memset(val, 'v', sizeof(val));
    for (int level = 1; level <= 5; level++) {
        quicklist *ql = quicklistCreate(-level, 0);
        for (int i = 0; i < 3000; i++) quicklistPush(ql, QUICKLIST_TAIL, val, sizeof(val));
        for (quicklistNode *n = ql->head; n; n = n->next) {
            TEST_ASSERT(n->sz <= limits[level - 1]);
            /* Every node but the last is full: no room for one more. */
            if (n->next) TEST_ASSERT(n->sz + 102 > limits[level - 1]);
        }
        quicklistRelease(ql);
    }
    /* A single element bigger than any limit gets a node of its own. */
    quicklist *ql = quicklistCreate(-1, 0);
    char *big = malloc(10000);
    memset(big, 'b', 10000);
    quicklistPush(ql, QUICKLIST_TAIL, "a", 1);
    quicklistPush(ql, QUICKLIST_TAIL, big, 10000);
    quicklistPush(ql, QUICKLIST_TAIL, "c", 1);
    TEST_ASSERT_EQ(ql->len, 3);
    free(big);
    quicklistRelease(ql);
}

static void testCompressionWindows(void) {
    char val[64];
    for (int depth = 1; depth <= 3; depth++) {
        quicklist *ql = quicklistCreate(4, depth);
        model m = {0};
        for (int i = 0; i < 200; i++) {
            snprintf(val, sizeof(val), "element-%d-aaaaaaaaaaaaaaaaaaaaaaaa", i);
            quicklistPush(ql, QUICKLIST_TAIL, val, strlen(val));
            modelInsert(&m, m.n, val);
        }
        int d = 0, compressed = 0;
        for (quicklistNode *n = ql->head; n; n = n->next, d++) {
            long from_tail = (long)ql->len - 1 - d;
            if (d < depth || from_tail < depth)
                TEST_ASSERT(n->encoding == QUICKLIST_NODE_RAW);
            else if (n->encoding == QUICKLIST_NODE_LZF)
                compressed++;
        }
        TEST_ASSERT_EQ(compressed, (long)ql->len - 2 * depth);
        TEST_ASSERT(checkList(ql, &m));
        /* Reading through the middle leaves it compressed. */
        TEST_ASSERT(checkList(ql, &m));
        TEST_ASSERT(ql->head->next->next->next->encoding == QUICKLIST_NODE_LZF);
        /* Popping from the ends brings inner nodes into the windows plain. */
        for (int i = 0; i < 150; i++) {
            quicklistPopDiscard(ql, i % 2 ? QUICKLIST_HEAD : QUICKLIST_TAIL);
            modelDelete(&m, i % 2 ? 0 : m.n - 1);
            TEST_ASSERT(ql->head->encoding == QUICKLIST_NODE_RAW);
            TEST_ASSERT(ql->tail->encoding == QUICKLIST_NODE_RAW);
        }
        TEST_ASSERT(checkList(ql, &m));
        quicklistRelease(ql);
        modelFree(&m);
    }
}

static void testIncompressibleNodesStayPlain(void) {
    quicklist *ql = quicklistCreate(2, 1);
    char val[32];
    srand(7);
    for (int i = 0; i < 30; i++) {
        for (int k = 0; k < 30; k++) val[k] = (char)(rand() & 0xff);
        quicklistPush(ql, QUICKLIST_TAIL, val, sizeof(val) - 2);
    }
    for (quicklistNode *n = ql->head; n; n = n->next) TEST_ASSERT(n->encoding == QUICKLIST_NODE_RAW);
    quicklistRelease(ql);
}

static void testDeleteWhileIterating(void) {
    quicklist *ql = quicklistCreate(2, 1);
    model m = {0};
    char val[64];
    for (int i = 0; i < 100; i++) {
        snprintf(val, sizeof(val), "%s-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", i % 3 ? "keep" : "drop");
        quicklistPush(ql, QUICKLIST_TAIL, val, strlen(val));
        modelInsert(&m, m.n, val);
    }
    const char *drop = "drop-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    quicklistIter it;
    quicklistEntry e;
    TEST_ASSERT(quicklistIterInit(&it, ql, QUICKLIST_TAIL, -1));
    while (quicklistNext(&it, &e))
        if (quicklistEntryEqual(&e, drop, strlen(drop))) quicklistDelEntry(&it, &e);
    quicklistIterRelease(&it);
    for (long i = m.n - 1; i >= 0; i--)
        if (!strcmp(m.v[i], drop)) modelDelete(&m, i);
    TEST_ASSERT_EQ(m.n, 66);
    TEST_ASSERT(checkList(ql, &m));
    quicklistRelease(ql);
    modelFree(&m);
}

static void testIntegersAndEquality(void) {
    quicklist *ql = quicklistCreate(-2, 0);
    quicklistPush(ql, QUICKLIST_TAIL, "10", 2);
    quicklistPush(ql, QUICKLIST_TAIL, "010", 3);
    quicklistPush(ql, QUICKLIST_TAIL, "-9223372036854775808", 20);
    quicklistIter it;
    quicklistEntry e;
    TEST_ASSERT(quicklistIterInit(&it, ql, QUICKLIST_HEAD, 0));
    TEST_ASSERT(quicklistNext(&it, &e) && !e.value && e.longval == 10);
    TEST_ASSERT(quicklistEntryEqual(&e, "10", 2) && !quicklistEntryEqual(&e, "010", 3));
    TEST_ASSERT(quicklistNext(&it, &e) && e.value && e.sz == 3);
    TEST_ASSERT(quicklistEntryEqual(&e, "010", 3) && !quicklistEntryEqual(&e, "10", 2));
    TEST_ASSERT(quicklistNext(&it, &e) && !e.value && e.longval == (-9223372036854775807LL - 1));
    TEST_ASSERT(!quicklistNext(&it, &e));
    quicklistIterRelease(&it);
    TEST_ASSERT(!quicklistIterInit(&it, ql, QUICKLIST_HEAD, 3));
    TEST_ASSERT(!quicklistIterInit(&it, ql, QUICKLIST_HEAD, -4));
    TEST_ASSERT(!quicklistReplaceAtIndex(ql, 3, "x", 1));
    TEST_ASSERT_EQ(quicklistDelRange(ql, 5, 1), 0);
    TEST_ASSERT_EQ(quicklistDelRange(ql, -2, 100), 2);
    TEST_ASSERT_EQ(quicklistCount(ql), 1);
    quicklistRelease(ql);
}

static void testAppendListpack(void) {
    quicklist *ql = quicklistCreate(-2, 1);
    model m = {0};
    char val[64];
    for (int node = 0; node < 5; node++) {
        unsigned char *lp = lpNew(0);
        for (int i = 0; i < 10; i++) {
            snprintf(val, sizeof(val), "n%d-e%d-cccccccccccccccccccccccc", node, i);
            lp = lpAppend(lp, (unsigned char *)val, (uint32_t)strlen(val));
            modelInsert(&m, m.n, val);
        }
        quicklistAppendListpack(ql, lp);
    }
    TEST_ASSERT_EQ(ql->len, 5);
    TEST_ASSERT(ql->head->next->next->encoding == QUICKLIST_NODE_LZF);
    TEST_ASSERT(checkList(ql, &m));
    quicklistPush(ql, QUICKLIST_TAIL, "x", 1);
    modelInsert(&m, m.n, "x");
    TEST_ASSERT(checkList(ql, &m));
    quicklistRelease(ql);
    modelFree(&m);
}

/* Every operation at random against the model, for several layouts. */
static void testRandomAgainstModel(void) {
    static const int fills[] = {-1, -2, -5, 1, 2, 5, 128};
    char v[512];
    int bad = 0;
    srand(12345);
    for (int round = 0; round < 30 && !bad; round++) {
        quicklist *ql = quicklistCreate(fills[rand() % 7], rand() % 3);
        model m = {0};
        for (int step = 0; step < 1500 && !bad; step++) {
            randomValue(v);
            int op = rand() % 10;
            if (op < 3) {
                int where = rand() % 2;
                quicklistPush(ql, where, v, strlen(v));
                modelInsert(&m, where == QUICKLIST_HEAD ? 0 : m.n, v);
            } else if (op == 3 && m.n) {
                int where = rand() % 2;
                quicklistEntry e;
                char got[512];
                quicklistPeek(ql, where, &e);
                entryText(&e, got);
                long i = where == QUICKLIST_HEAD ? 0 : m.n - 1;
                if (strcmp(got, m.v[i])) bad = 1;
                quicklistPopDiscard(ql, where);
                modelDelete(&m, i);
            } else if (op == 4 && m.n) {
                long i = rand() % m.n;
                int after = rand() % 2;
                quicklistIter it;
                quicklistEntry e;
                if (!quicklistIterInit(&it, ql, rand() % 2, i) || !quicklistNext(&it, &e)) {
                    bad = 1;
                    break;
                }
                quicklistInsert(&it, &e, after, v, strlen(v));
                quicklistIterRelease(&it);
                modelInsert(&m, i + after, v);
            } else if (op == 5 && m.n) {
                long i = rand() % m.n;
                if (!quicklistReplaceAtIndex(ql, rand() % 2 ? i : i - m.n, v, strlen(v))) bad = 1;
                free(m.v[i]);
                m.v[i] = strdup(v);
            } else if (op == 6 && m.n) {
                long s = rand() % m.n;
                unsigned long c = (unsigned long)(rand() % (m.n / 2 + 2));
                unsigned long want = c > (unsigned long)(m.n - s) ? (unsigned long)(m.n - s) : c;
                if (quicklistDelRange(ql, rand() % 2 ? s : s - m.n, c) != want) bad = 1;
                for (unsigned long k = 0; k < want; k++) modelDelete(&m, s);
            } else if (op == 7 && m.n) {
                int dir = rand() % 2;
                char target[512];
                strcpy(target, m.v[rand() % m.n]);
                long removed = 0;
                quicklistIter it;
                quicklistEntry e;
                if (quicklistIterInit(&it, ql, dir, dir == QUICKLIST_HEAD ? 0 : -1)) {
                    while (quicklistNext(&it, &e)) {
                        if (quicklistEntryEqual(&e, target, strlen(target))) {
                            quicklistDelEntry(&it, &e);
                            removed++;
                            if (rand() % 3 == 0) break;
                        }
                    }
                    quicklistIterRelease(&it);
                }
                if (dir == QUICKLIST_HEAD) {
                    for (long i = 0; i < m.n && removed;)
                        if (!strcmp(m.v[i], target)) {
                            modelDelete(&m, i);
                            removed--;
                        } else {
                            i++;
                        }
                } else {
                    for (long i = m.n - 1; i >= 0 && removed; i--)
                        if (!strcmp(m.v[i], target)) {
                            modelDelete(&m, i);
                            removed--;
                        }
                }
            } else if (op == 8 && rand() % 20 == 0) {
                quicklist *copy = quicklistDup(ql);
                quicklistRelease(ql);
                ql = copy;
            } else if (op == 9) {
                for (int k = 0; k < 50; k++) {
                    randomValue(v);
                    quicklistPush(ql, QUICKLIST_TAIL, v, strlen(v));
                    modelInsert(&m, m.n, v);
                }
            }
            if (!checkList(ql, &m)) bad = 1;
        }
        TEST_ASSERT(!bad);
        quicklistRelease(ql);
        modelFree(&m);
    }
}

int main(void) {
    TEST_RUN(testPushPeekPop);
    TEST_RUN(testFillByCount);
    TEST_RUN(testFillByBytes);
    TEST_RUN(testCompressionWindows);
    TEST_RUN(testIncompressibleNodesStayPlain);
    TEST_RUN(testDeleteWhileIterating);
    TEST_RUN(testIntegersAndEquality);
    TEST_RUN(testAppendListpack);
    TEST_RUN(testRandomAgainstModel);
    return testReport();
}
