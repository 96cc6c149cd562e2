/* adlist.h -- a plain doubly linked list of void pointers.
 *
 * Used where order matters and elements come and go from both ends or the
 * middle: clients, reply blocks, pending writes.  Nodes are allocated one per
 * element; hot paths that need fewer allocations use their own structures. */
#ifndef RINGKV_ADLIST_H
#define RINGKV_ADLIST_H

typedef struct listNode {
    struct listNode *prev;
    struct listNode *next;
    void *value;
} listNode;

typedef struct list {
    listNode *head;
    listNode *tail;
    void (*free)(void *ptr); /* optional value destructor */
    unsigned long len;
} list;

typedef struct listIter {
    listNode *next;
    int backward;
} listIter;

#define listLength(l) ((l)->len)
#define listFirst(l) ((l)->head)
#define listLast(l) ((l)->tail)
#define listNodeValue(n) ((n)->value)

list *listCreate(void);
void listRelease(list *l);
void listEmpty(list *l);
listNode *listAddNodeHead(list *l, void *value);
listNode *listAddNodeTail(list *l, void *value);
void listDelNode(list *l, listNode *node);
void listUnlinkNode(list *l, listNode *node);
void listLinkNodeTail(list *l, listNode *node);
listNode *listSearchKey(list *l, void *key);
void listRewind(list *l, listIter *it);
void listRewindTail(list *l, listIter *it);
listNode *listNext(listIter *it);
void listRotateHeadToTail(list *l);

#endif
