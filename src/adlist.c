/* adlist.c -- doubly linked list (see adlist.h).  Iterators read the next
 * node before returning the current one, so the current node may be deleted
 * while iterating. */
#include "adlist.h"

#include "zmalloc.h"

list *listCreate(void) {
    return zcalloc(sizeof(list));
}

void listEmpty(list *l) {
    listNode *n = l->head;
    while (n) {
        listNode *next = n->next;
        if (l->free) l->free(n->value);
        zfree(n);
        n = next;
    }
    l->head = l->tail = NULL;
    l->len = 0;
}

void listRelease(list *l) {
    if (!l) return;
    listEmpty(l);
    zfree(l);
}

listNode *listAddNodeHead(list *l, void *value) {
    listNode *n = zmalloc(sizeof(*n));
    n->value = value;
    n->prev = NULL;
    n->next = l->head;
    if (l->head)
        l->head->prev = n;
    else
        l->tail = n;
    l->head = n;
    l->len++;
    return n;
}

void listLinkNodeTail(list *l, listNode *n) {
    n->next = NULL;
    n->prev = l->tail;
    if (l->tail)
        l->tail->next = n;
    else
        l->head = n;
    l->tail = n;
    l->len++;
}

listNode *listAddNodeTail(list *l, void *value) {
    listNode *n = zmalloc(sizeof(*n));
    n->value = value;
    listLinkNodeTail(l, n);
    return n;
}

void listUnlinkNode(list *l, listNode *n) {
    if (n->prev)
        n->prev->next = n->next;
    else
        l->head = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else
        l->tail = n->prev;
    n->prev = n->next = NULL;
    l->len--;
}

void listDelNode(list *l, listNode *n) {
    listUnlinkNode(l, n);
    if (l->free) l->free(n->value);
    zfree(n);
}

listNode *listSearchKey(list *l, void *key) {
    for (listNode *n = l->head; n; n = n->next)
        if (n->value == key) return n;
    return NULL;
}

void listRewind(list *l, listIter *it) {
    it->next = l->head;
    it->backward = 0;
}

void listRewindTail(list *l, listIter *it) {
    it->next = l->tail;
    it->backward = 1;
}

listNode *listNext(listIter *it) {
    listNode *cur = it->next;
    if (cur) it->next = it->backward ? cur->prev : cur->next;
    return cur;
}

void listRotateHeadToTail(list *l) {
    if (l->len <= 1) return;
    listNode *h = l->head;
    listUnlinkNode(l, h);
    listLinkNodeTail(l, h);
}
