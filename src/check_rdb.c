/* check_rdb.c -- ringkv-check-rdb: validates an RDB file and summarizes it.
 *
 * The same binary as the server, entered when invoked as ringkv-check-rdb
 * (a symlink the Makefile creates) or as `ringkv-server --check-rdb FILE`.
 * It loads the file with the server's own loader into an empty in-memory
 * keyspace, so "the checker accepts it" and "the server loads it" can never
 * disagree, then prints what it found.  Exit status 0 when the file is
 * valid, 1 otherwise (with the reason and the offset). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "config.h"
#include "db.h"
#include "object.h"
#include "rdb.h"
#include "server.h"
#include "snapshot.h"
#include "t_hash.h"
#include "t_set.h"

typedef struct checkCounts {
    long long keys, expires;
    long long by_type[8];
} checkCounts;

static void countEntry(void *privdata, dbEntry *e) {
    checkCounts *c = privdata;
    c->keys++;
    if (dbEntryExpire(e) != -1) c->expires++;
    c->by_type[dbEntryVal(e)->type & 7]++;
}

int checkRdbMain(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "Usage: %s <rdb-file-name>\n", argv[0]);
        return 1;
    }
    const char *path = argv[1];
    struct stat st;
    if (stat(path, &st) == -1) {
        printf("[check] cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    server.dbnum = 16;
    server.rdb_checksum = 1;
    server.verbosity = LL_WARNING; /* the loader's notices are not wanted here */
    dbInitAll(server.dbnum);
    setTypeInit();
    hashTypeInit();
    rdbTypesInit();
    printf("[check] checking %s (%lld bytes)\n", path, (long long)st.st_size);
    char err[512];
    if (snapshotLoadFile(path, err, sizeof(err)) == -1) {
        printf("[check] INVALID: %s\n", err);
        return 1;
    }
    static const char *names[] = {"string", "list", "set", "zset", "hash", "?", "?", "?"};
    long long total = 0;
    for (int j = 0; j < server.dbnum; j++) {
        checkCounts c;
        memset(&c, 0, sizeof(c));
        redisDb *db = dbGet(j);
        unsigned long cursor = 0;
        do {
            cursor = dbScan(db, cursor, countEntry, &c);
        } while (cursor);
        if (c.keys == 0) continue;
        printf("[check] db %d: %lld keys, %lld with an expire;", j, c.keys, c.expires);
        for (int t = 0; t < 5; t++)
            if (c.by_type[t]) printf(" %s=%lld", names[t], c.by_type[t]);
        printf("\n");
        total += c.keys;
    }
    printf("[check] OK: %lld keys, checksum verified\n", total);
    return 0;
}
