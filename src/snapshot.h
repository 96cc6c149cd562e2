/* snapshot.h -- point-in-time snapshots without fork (snapshot.c): BGSAVE,
 * SAVE, save points, LASTSAVE, loading at start-up. */
#ifndef RINGKV_SNAPSHOT_H
#define RINGKV_SNAPSHOT_H

#include <stddef.h>
#include <time.h>

/* Sets up the I/O engine (snapshot-io) and the keyspace hook.  After the
 * event loop exists. */
void snapshotInit(void);
/* Starts a background save.  Returns 0, or -1 with a reason in err. */
int snapshotStartBackground(char *err, size_t errlen);
/* Saves synchronously (SAVE, SHUTDOWN SAVE): the loop does not run, but the
 * same writer and I/O engine are used.  Returns 0 on success. */
int snapshotSaveBlocking(void);
int snapshotInProgress(void);
/* Waits for a background save to finish (shutdown), then returns its status. */
int snapshotWaitForCompletion(void);
/* Aborts a background save in progress (SHUTDOWN NOSAVE, FLUSHALL). */
void snapshotAbort(const char *why);
/* Save points ("save <seconds> <changes>") and scheduled saves: from the cron. */
void snapshotCron(void);
/* Loads dbfilename at start-up.  Exits with a clear message (naming the
 * offset) on a corrupt or truncated file; a missing file is fine. */
void snapshotLoadAtStartup(void);
/* Loads an RDB file into the (empty) keyspace.  Returns 0, or -1 with a
 * message (offset included) in err. */
int snapshotLoadFile(const char *path, char *err, size_t errlen);

/* ringkv-check-rdb (check_rdb.c). */
int checkRdbMain(int argc, char **argv);

/* For INFO persistence. */
typedef struct snapshotInfo {
    int in_progress;
    long long current_time_sec;   /* -1 when idle */
    long long last_time_sec;      /* duration of the last save, -1 if none */
    long long saves;              /* completed saves since start-up */
    long long keys_written;       /* of the save in progress */
    long long keys_total;         /* keys in the data set when it started */
    long long bytes_written;
    long long hook_keys;          /* keys written early because they were about to change */
    long long keys_in_pieces;     /* values written across several slices */
    long long pieces_finished_early; /* of those, finished at once: about to change */
    size_t held_peak;             /* most bytes of early keys held back behind a value in pieces */
    long long values_adopted;     /* big values of deleted keys kept and written later */
    size_t overflow_buffers;      /* extra buffers taken beyond the fixed pool */
    time_t loading_start_time;    /* loading at start-up (INFO while loading:1) */
    size_t loading_total_bytes;
    size_t loading_loaded_bytes;
    long long loading_elapsed_us;
    const char *engine;           /* io_uring | aio | sync */
    const char *fallback_reason;
    long long last_load_keys_loaded;  /* by the last successful load */
    long long last_load_keys_expired; /* skipped by it: already expired */
} snapshotInfo;
void snapshotGetInfo(snapshotInfo *info);

#endif
