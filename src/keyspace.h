/* keyspace.h -- generic key commands (keyspace.c) and the EXPIRE family
 * (expire_cmds.c).
 *
 * These commands work on keys whatever their type: they delete, test,
 * enumerate, rename, move, copy and expire keys, and flush or swap whole
 * databases.  All of them go through the keyspace API of db.h; none touches
 * a database's tables directly.
 *
 * The SCAN helpers are exported so that the per-type cursors (SSCAN, HSCAN,
 * ZSCAN) parse the cursor and the MATCH/COUNT options exactly as SCAN does,
 * and share one walk (scanCollect) and one cursor reply. */
#ifndef RINGKV_KEYSPACE_H
#define RINGKV_KEYSPACE_H

#include <stddef.h>

#include "client.h"
#include "htab.h"
#include "object.h"

/* Options shared by SCAN and the per-type scans. */
typedef struct scanOptions {
    long count;          /* COUNT: a hint of how many elements to visit (>= 1) */
    const char *pattern; /* MATCH pattern, NULL when absent or "*" */
    size_t patlen;
    const char *type;    /* TYPE name (SCAN only), NULL when absent */
} scanOptions;

/* Parses a SCAN cursor: an unsigned decimal number of the machine's long
 * width.  On failure replies "invalid cursor" and returns C_ERR. */
int parseScanCursorOrReply(client *c, robj *o, unsigned long *cursor);
/* Parses [MATCH pattern] [COUNT count] (and [TYPE type] when allow_type)
 * from argv[first] on.  On failure replies with the error and returns C_ERR.
 * The returned pointers point into c->argv and live as long as it does. */
int parseScanOptionsOrReply(client *c, int first, int allow_type, scanOptions *opts);

/* The walk shared by HSCAN, SSCAN and ZSCAN over their hashed encodings.
 * One step visits one bucket of `table` from `cursor` (htabScan, zslScan),
 * passing each entry to fn, and returns the next cursor. */
typedef unsigned long scanStepFunction(void *table, unsigned long cursor, htabScanFunction *fn,
                                       void *privdata);
/* The step over a hashtable (HSCAN, SSCAN); ZSCAN's walks its skiplist. */
unsigned long scanStepHtab(void *table, unsigned long cursor, htabScanFunction *fn, void *privdata);
/* Entries gathered by scanCollect, in visit order; free with scanBatchFree. */
typedef struct scanBatch {
    void **found;
    size_t n, cap;
} scanBatch;
/* Steps from cursor until COUNT entries were gathered (MATCH is the caller's
 * business, applied when replying, so a selective pattern gives short pages
 * as in Redis), the walk is over (cursor 0), or 10*COUNT steps were spent on
 * a sparse table.  Returns the cursor to reply. */
unsigned long scanCollect(scanStepFunction *step, void *table, unsigned long cursor, long count,
                          scanBatch *batch);
void scanBatchFree(scanBatch *batch);
/* A cursor reply's head: the two-element array and the cursor as a bulk
 * string; the caller then replies the array of elements. */
void addReplyScanCursor(client *c, unsigned long cursor);

/* keyspace.c */
void delCommand(client *c);
void unlinkCommand(client *c);
void existsCommand(client *c);
void typeCommand(client *c);
void keysCommand(client *c);
void scanCommand(client *c);
void randomkeyCommand(client *c);
void renameCommand(client *c);
void renamenxCommand(client *c);
void moveCommand(client *c);
void copyCommand(client *c);
void swapdbCommand(client *c);
void dbsizeCommand(client *c);
void flushdbCommand(client *c);
void flushallCommand(client *c);
void touchCommand(client *c);
void objectCommand(client *c); /* serves every OBJECT subcommand */

/* expire_cmds.c */
void expireCommand(client *c);
void pexpireCommand(client *c);
void expireatCommand(client *c);
void pexpireatCommand(client *c);
void ttlCommand(client *c);
void pttlCommand(client *c);
void expiretimeCommand(client *c);
void pexpiretimeCommand(client *c);
void persistCommand(client *c);

#endif
