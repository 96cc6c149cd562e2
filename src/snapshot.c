/* snapshot.c -- fork-less point-in-time snapshots written asynchronously.
 *
 * Why not fork: a forked child shares pages copy-on-write with the parent,
 * so under writes memory can double, and fork itself stalls large servers.
 * ringkv serializes from the event loop instead, with a memory overhead that
 * does not grow with the data set.
 *
 * How a point-in-time view is kept without copying the data set:
 *   - BGSAVE at T0 flips the keyspace's snapshot generation bit
 *     (dbNewSnapshotGeneration): every existing key becomes "unwritten" in
 *     O(1); keys created from then on are born "written" and so are not part
 *     of the image.
 *   - The serializer walks each database's hash table with the bounded scan
 *     cursor (htabScanBounded), which visits every key present for the whole
 *     walk at least once even while the table grows or shrinks; the
 *     generation bit makes a key met twice be written once.
 *   - Every change to a key goes through the keyspace's write choke point
 *     (db.c), which calls our hook before modifying or deleting a key that is
 *     still unwritten: the hook serializes the key's T0 value right there and
 *     marks it written.  So the file holds exactly the data as of T0:
 *     unchanged keys when the walk reaches them, changed or deleted ones just
 *     before their change.
 *
 * Pacing: the walk runs in slices from a timer that fires on every loop
 * iteration while there is work.  Replies of the iteration are flushed
 * first; then a slice runs for a guaranteed part (a quarter of the time
 * the loop spent on clients since the last slice, at most
 * snapshot-slice-us) and after that only while no client event is ready
 * (checked every few tens of microseconds, up to 2 ms).  So a client-bound
 * server does its snapshot in the gaps between requests, and a saturated one
 * still makes steady progress.  The walk prefetches bucket slots and entries
 * in batches (htab.c): it is bound by cache misses, not by serialization.
 * Bytes go into a fixed pool of 1 MB buffers; a full buffer is handed to the
 * asynchronous I/O engine (sio.h: io_uring, or POSIX AIO) at its file
 * offset.  When every pool buffer is in flight the walk pauses until a write
 * completes.  The hook cannot pause (the command is about to change the
 * key), so it may take extra buffers beyond the pool; those are freed as
 * soon as their write completes (INFO shows how many).
 *
 * O_DIRECT (snapshot-direct-io, default yes): a buffered write makes the
 * kernel copy the megabyte into the page cache, on a kernel worker that
 * shares the server's CPUs.  On a server pinned to one CPU that worker took
 * it away for 1-2.5 ms per buffer while a 5M-key save ran, and client p99
 * doubled.  Written direct, the device reads the buffer itself.  Buffers are
 * 4 KB aligned and every write but the file's last is a full buffer at a
 * multiple of 1 MB; the last one, whose length is rarely a multiple of 4 KB,
 * is written after clearing O_DIRECT on the descriptor.  A file system that
 * refuses O_DIRECT at open time gets the page cache for the whole file.
 *
 * Durability: the file is written as temp-<pid>.rdb, then fsync, close,
 * rename over dbfilename, and fsync of the directory, each step submitted
 * only after the previous one completed.  A crash at any moment leaves the
 * previous dump intact.  The loop never waits: completions arrive through
 * the engine's notification fd.
 *
 * Big values are written in pieces (section "big values" below,
 * rdb_chunked.c): a list of millions of elements or a 500 MB string takes
 * as many turns of the slice loop as it needs, and clients are served in
 * between.
 *
 * Worst case for latency.  A slice is a sequence of units of work with a
 * time check after each: it ends after its guaranteed part (at most
 * snapshot-slice-us) if a client event is ready (checked every 25 us),
 * else after 2 ms.  A unit is one of:
 *   - a scan batch: 32 buckets of the table, whose keys are written until
 *     the batch has produced snapshot-chunk-bytes (C, 64 KB by default),
 *     each key given one step; keys beyond that wait for later units;
 *   - one step of the value in pieces, or of a waiting key's first step;
 *   - moving C bytes that the hook held back (below) to the stream.
 * A step writes at most about C bytes or C/256 elements, whichever comes
 * first, and handles at most C bytes of any one string: longer strings and
 * packed blobs go a block of C bytes per step (LZF-compressed block by
 * block); the most a step can overshoot is one element of at most C bytes
 * with its LZF compression.  So the loop is never held longer than the
 * slice limit plus about two steps: serializing and compressing ~2C bytes
 * or ~C/128 elements, a fraction of a millisecond at the default, whatever
 * the size of the largest value (utils/snapshot-bigvalue.tcl measures it;
 * submitting a full 1 MB buffer to the I/O engine comes on top, bounded by
 * the buffer size).
 *
 * The one case still linear in the size of a value: a command about to
 * change in place (LPUSH, HSET, APPEND, EXPIRE, RENAME ...) a big key the
 * save has not finished writing.  The hook must capture the key's T0 value
 * before the command runs, so it writes the value (what is left of it, if
 * it is the one in pieces) in one go before that command, the way a forked
 * child's pages are copied on the first write.  Deleting or replacing such
 * a key (DEL, UNLINK, expiry, eviction, SET or RENAME over it) costs O(1):
 * the save adopts the doomed value and writes it later (snapshotAdoptValue).
 * The other keys the hook writes while a value is in pieces are held in
 * memory (at most SNAP_HELD_MAX bytes, else the value is finished at once)
 * and follow it into the stream. */
#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ae.h"
#include "client.h"
#include "config.h"
#include "db.h"
#include "latency.h"
#include "rdb.h"
#include "rdb_chunked.h"
#include "reply.h"
#include "server.h"
#include "sio.h"
#include "util.h"
#include "zmalloc.h"

#define SNAP_BUF_SIZE (1024 * 1024)
/* Buffer address, length and file offset alignment for O_DIRECT writes: a
 * multiple of any logical block size in use (512 or 4096). */
#define SNAP_DIO_ALIGN 4096
#define SNAP_POOL_SIZE 4
#define SNAP_RETRY_DELAY 5 /* seconds before retrying a failed save point */

#define SNAP_IDLE 0
#define SNAP_OPENING 1
#define SNAP_WRITING 2
#define SNAP_FLUSHING 3 /* last bytes submitted, waiting for writes */
#define SNAP_SYNCING 4
#define SNAP_CLOSING 5
#define SNAP_RENAMING 6
#define SNAP_SYNCDIR 7
#define SNAP_FAILING 8 /* failed: waiting for writes in flight before cleaning up */

typedef struct snapBuf {
    char *data;
    size_t len;
    off_t offset; /* where it goes in the file */
    int inflight; /* being written, or waiting for the file to open */
    int overflow; /* not from the pool: freed after its write */
} snapBuf;

static struct {
    int state;
    int blocking;             /* SAVE: driven by snapshotSaveBlocking */
    int fd;
    int direct;               /* fd is open with O_DIRECT (snapshot-direct-io) */
    int opened_direct;        /* ... was, when it opened (for the log) */
    char tmpfile[256];
    long long start_us;
    time_t start_time;
    long long dirty_before;
    int dbnum;
    htab **tables;            /* each db's table as of T0 */
    int db;                   /* db being walked */
    unsigned long cursor;
    int db_started;           /* SELECTDB/RESIZEDB of this db written */
    int selected;             /* db of the last SELECTDB in the stream */
    snapBuf pool[SNAP_POOL_SIZE];
    snapBuf *cur;
    off_t offset;             /* file offset of cur */
    int writes_inflight;
    int failed;               /* first error seen (errno), 0 if none */
    long long timer_id;
    rdbSink sink;
    long long keys_written;
    long long keys_total;     /* keys at T0 (INFO current_save_keys_total) */
    long long hook_keys;
    size_t overflow_buffers;
    int scheduled;            /* BGSAVE SCHEDULE pending */
    snapBuf **waiting;        /* full before the file was open: written once it is */
    int nwaiting;
    long long synced_upto;    /* bytes completed when the last incremental fsync started */
    long long completed;      /* bytes whose write completed */
    /* Big values, written in pieces across slices (section "big values"). */
    int piece_active;         /* piece holds a value not completely written */
    dbEntry *piece_entry;     /* its key: unwritten until the last piece */
    robj *piece_owned;        /* or, for an adopted value, the value itself */
    rdbChunkedWriter piece;   /* must stay in place: holds iterators */
    struct adoptedValue {
        rstr key;
        long long expire;
        robj *val;            /* ours: freed (lazily) once written */
        int dbid;
    } *adopted;               /* values of keys deleted or replaced before being written */
    int nadopted, adopted_cap;
    long long values_adopted;
    struct pendingKey {
        dbEntry *e;
        int dbid;
    } *pending;               /* met by the scan batch after a piece started */
    int npending, pending_cap;
    rstr held;                /* keys the hook wrote while a value was in pieces */
    size_t held_off;          /* bytes of held already moved to the stream */
    int held_selected;        /* SELECTDB state at the end of held */
    rdbSink held_sink;
    size_t batch_start;       /* sink.written when the current scan batch began */
    long long keys_in_pieces;
    long long pieces_finished_early; /* in pieces, then finished by the hook */
    size_t held_peak;
} snap;

/* Longest slice when no client is waiting: bounds how late a timer (the
 * cron, a blocked client's timeout) can fire while a save runs. */
#define SNAP_IDLE_SLICE_US 2000

/* While clients keep the loop busy, the snapshot is guaranteed 1/4 of the
 * time spent on them (at most snapshot-slice-us per iteration). */
#define SNAP_GUARANTEED_SHARE 4

#define SNAP_INCREMENTAL_FSYNC_BYTES (32LL * 1024 * 1024)

/* Most bytes the hook may hold back while a value is being written in
 * pieces (keys changed meanwhile); past it the value is finished at once. */
#define SNAP_HELD_MAX (16 * 1024 * 1024)

/* INFO rdb_last_load_keys_loaded / _expired. */
static long long lastLoadKeysLoaded, lastLoadKeysExpired;

/* Loading at start-up keeps the server responsive: every few thousand keys
 * the loop processes pending client events, and commands other than those
 * flagged "loading" (INFO, CONFIG, PING ...) get -LOADING, as in Redis.
 * Other loads (DEBUG RELOAD) run inside a command and must not re-enter the
 * loop. */
static struct {
    int serve_clients;
    time_t start_time;
    long long start_us;
    size_t total_bytes;
    size_t loaded_bytes;
} loading;

static long long lastSaveDurationSec = -1;
static long long savesCompleted = 0;
static time_t lastBgsaveTry = 0;

static void snapshotFail(int err, const char *what);
static void snapshotWriteDone(void *ctx, long long res);
static void finishSteps(void);
static void failCheck(void);

/* --- buffers ---------------------------------------------------------- */

/* Aligned for O_DIRECT whether or not this save uses it: the choice is only
 * made when the file opens, after the first buffers were filled. */
static char *snapBufAlloc(void) {
    return zmallocAligned(SNAP_DIO_ALIGN, SNAP_BUF_SIZE);
}

static snapBuf *takeFreeBuffer(int allow_overflow) {
    for (int i = 0; i < SNAP_POOL_SIZE; i++) {
        snapBuf *b = &snap.pool[i];
        if (!b->inflight && b != snap.cur) {
            if (!b->data) b->data = snapBufAlloc();
            b->len = 0;
            return b;
        }
    }
    if (!allow_overflow) return NULL;
    snapBuf *b = zcalloc(sizeof(*b));
    b->data = snapBufAlloc();
    b->overflow = 1;
    snap.overflow_buffers++;
    return b;
}

static int poolHasFreeBuffer(void) {
    for (int i = 0; i < SNAP_POOL_SIZE; i++)
        if (!snap.pool[i].inflight && &snap.pool[i] != snap.cur) return 1;
    return 0;
}

/* Every buffer but the file's last is full, so only the last can break the
 * alignment O_DIRECT needs: it goes through the page cache instead.  The
 * flag is read when a write starts, so writes already handed to the engine
 * keep going direct, and this one (at a later offset) does not. */
static int leaveDirectIoForTail(snapBuf *b) {
    if (!snap.direct || b->len % SNAP_DIO_ALIGN == 0) return 0;
    int fl = fcntl(snap.fd, F_GETFL);
    if (fl == -1 || fcntl(snap.fd, F_SETFL, fl & ~O_DIRECT) == -1) return -errno;
    snap.direct = 0;
    return 0;
}

static void submitBuffer(snapBuf *b) {
    int err = leaveDirectIoForTail(b);
    if (err < 0) {
        snapshotFail(-err, "clearing O_DIRECT for the last block");
        return;
    }
    snap.writes_inflight++;
    long long lat = latencyStartMonitor(); /* LATENCY "snapshot-write" (latency.h) */
    int r = sioWrite(snap.fd, b->data, b->len, b->offset, snapshotWriteDone, b);
    latencyEndMonitor("snapshot-write", lat);
    if (r < 0) {
        b->inflight = 0;
        snap.writes_inflight--;
        snapshotFail(-r, "write");
    }
}

/* Hands the current buffer to the engine (or, while the file is still being
 * opened, to the waiting list) and makes a new one current. */
static void submitCurrent(int allow_overflow) {
    snapBuf *b = snap.cur;
    if (b->len == 0) return;
    b->inflight = 1;
    b->offset = snap.offset;
    snap.offset += (off_t)b->len;
    if (snap.fd == -1) {
        snap.waiting = zrealloc(snap.waiting, sizeof(snapBuf *) * (size_t)(snap.nwaiting + 1));
        snap.waiting[snap.nwaiting++] = b;
    } else {
        submitBuffer(b);
    }
    snap.cur = takeFreeBuffer(allow_overflow);
}

static int sinkWrite(rdbSink *s, const void *p, size_t len) {
    (void)s;
    const char *src = p;
    if (snap.failed) return -1;
    while (len) {
        if (snap.cur == NULL) {
            /* Only the hook path gets here without a buffer: take an
             * overflow one (the key must be written before it changes). */
            snap.cur = takeFreeBuffer(1);
        }
        size_t room = SNAP_BUF_SIZE - snap.cur->len;
        size_t n = len < room ? len : room;
        memcpy(snap.cur->data + snap.cur->len, src, n);
        snap.cur->len += n;
        src += n;
        len -= n;
        if (snap.cur->len == SNAP_BUF_SIZE) submitCurrent(1);
        if (snap.failed) return -1;
    }
    return 0;
}

static void incrementalFsyncDone(void *ctx, long long res) {
    (void)ctx;
    snap.writes_inflight--;
    if (res < 0 && !snap.failed) snapshotFail((int)-res, "fsync");
    finishSteps();
    failCheck();
}

static void snapshotWriteDone(void *ctx, long long res) {
    snapBuf *b = ctx;
    b->inflight = 0;
    snap.writes_inflight--;
    if (res > 0) snap.completed += res;
    /* rdb-save-incremental-fsync: flush every 32 MB as we go, so the final
     * fsync does not have the whole file's dirty pages to write at once (and
     * the page cache does not fill with our data). */
    if (res > 0 && serverCfg.rdb_save_incremental_fsync && snap.fd != -1 &&
        snap.completed - snap.synced_upto >= SNAP_INCREMENTAL_FSYNC_BYTES) {
        snap.synced_upto = snap.completed;
        snap.writes_inflight++;
        if (sioFsync(snap.fd, incrementalFsyncDone, NULL) < 0) snap.writes_inflight--;
    }
    if (b->overflow) {
        zfree(b->data);
        zfree(b);
    }
    if (res < 0 && !snap.failed) snapshotFail((int)-res, "write");
    finishSteps(); /* the last write completing moves on to fsync */
    failCheck();
}

/* --- serialization ---------------------------------------------------- */

static int tableIndex(htab *t) {
    for (int i = 0; i < snap.dbnum; i++)
        if (snap.tables[i] == t) return i;
    return -1;
}

/* SELECTDB into a stream whose current database is *selected. */
static void writeSelectDbTo(rdbSink *s, int *selected, int dbid) {
    if (*selected == dbid) return;
    rdbSaveType(s, RDB_OPCODE_SELECTDB);
    rdbSaveLen(s, (uint64_t)dbid);
    *selected = dbid;
}

static void writeSelectDb(int dbid) {
    writeSelectDbTo(&snap.sink, &snap.selected, dbid);
}

/* --- big values ------------------------------------------------------------
 *
 * The walk writes each key through a resumable writer (rdb_chunked.h) and
 * gives it one step; a value that needs more (a string or packed blob over
 * snapshot-chunk-bytes, a container of more than a step's elements) stays
 * in `piece` and gets one step per turn of the slice loop, with the time
 * checks in between.  Its key stays unwritten until the last piece, so the
 * hook still hears of any change to it.  While a value is in pieces the
 * stream belongs to it, so:
 *   - keys the scan batch meets after it (or after the batch wrote a
 *     piece's worth) are queued in `pending` and written one per turn once
 *     it completes; the hook writes a queued key at once if it is about to
 *     change, and drops it from the queue (entries stay valid while queued:
 *     nothing frees or moves an unwritten entry without the hook);
 *   - keys the hook must write meanwhile are serialized whole into `held`,
 *     a memory buffer moved to the stream after the value (the RDB stream
 *     is one record after another: nothing may come between two pieces);
 *   - a change to the value itself makes the hook finish it at once, the
 *     rest of it in one go (see "worst case" at the top).  So does `held`
 *     outgrowing SNAP_HELD_MAX, which bounds the memory held back.
 * Reads of the value between pieces are harmless (rdb_chunked.c says why).
 * Nothing else frees, converts or moves it without the hook: expiry,
 * eviction, DEL/UNLINK (lazy free), overwrites, RENAME, MOVE and the OBJECT
 * conversions of writes all go through the keyspace's write choke point;
 * SWAPDB swaps tables without touching values (the walk follows tables);
 * FLUSHDB leaves the old tables, and the values in them, to the save;
 * FLUSHALL, DEBUG RELOAD and SHUTDOWN abort the save, which releases the
 * writer (releaseState) before any value goes. */

static int holdingBack(void) {
    return snap.piece_active || snap.held != NULL;
}

/* A value the save owns (adopted) is written: it goes, off the loop when
 * big (lazyfree.c). */
static void freeOwnedValue(robj *o) {
    freeObjAsync(NULL, o, 0);
}

/* The value in pieces is complete: its key is written. */
static void pieceEnd(void) {
    rdbChunkedRelease(&snap.piece);
    snap.piece_active = 0;
    if (snap.piece_owned) {
        freeOwnedValue(snap.piece_owned);
        snap.piece_owned = NULL;
    } else {
        dbEntryMarkSnapshotWritten(snap.piece_entry);
    }
    snap.keys_written++;
}

/* One more piece of the value in pieces. */
static void pieceStep(void) {
    int r = rdbChunkedStep(&snap.piece, &snap.sink);
    if (r == 1) return;
    if (snap.piece_active) pieceEnd();
    if (r == -1 && !snap.failed) snapshotFail(EINVAL, "serializing a value in pieces");
}

/* Writes the whole key now: to the stream, or to `held` while the stream
 * belongs to a value in pieces.  One go, whatever the size (the hook must
 * capture the value before it changes). */
static void writeEntry(int dbid, dbEntry *e) {
    size_t klen;
    const char *key = dbEntryKey(e, &klen);
    rdbSink *s = &snap.sink;
    int *selected = &snap.selected;
    if (holdingBack()) {
        if (snap.held == NULL) {
            /* The held records go in right after the value in pieces,
             * where the stream is still in that value's database. */
            snap.held = rstrEmpty();
            snap.held_off = 0;
            snap.held_selected = snap.selected;
            rdbSinkInitRstr(&snap.held_sink, &snap.held);
            snap.held_sink.checksum = 0; /* the stream's CRC covers them when moved */
            snap.held_sink.compress = snap.sink.compress;
        }
        s = &snap.held_sink;
        selected = &snap.held_selected;
    }
    writeSelectDbTo(s, selected, dbid);
    if (rdbSaveKeyValuePair(s, key, klen, dbEntryVal(e), dbEntryExpire(e)) == -1 && !snap.failed)
        snapshotFail(ENOTSUP, "serializing a value");
    if (snap.held && rstrLen(snap.held) - snap.held_off > snap.held_peak)
        snap.held_peak = rstrLen(snap.held) - snap.held_off;
    dbEntryMarkSnapshotWritten(e);
    snap.keys_written++;
}

/* Moves up to limit bytes of `held` to the stream; once it is empty the
 * stream is in the database its last record selected. */
static void drainHeld(size_t limit) {
    size_t n = rstrLen(snap.held) - snap.held_off;
    if (n > limit) n = limit;
    if (rdbWriteRaw(&snap.sink, snap.held + snap.held_off, n) == -1) return; /* failed: dropped */
    snap.held_off += n;
    if (snap.held_off < rstrLen(snap.held)) return;
    rstrFree(snap.held);
    snap.held = NULL;
    snap.selected = snap.held_selected;
}

/* The walk's write of a key: one step, and the rest in later turns if the
 * value needs more (it becomes the value in pieces).  e is the key's entry,
 * or NULL for an adopted value (then val is ours). */
static void walkValue(int dbid, const char *key, size_t klen, robj *val, long long expire, dbEntry *e) {
    writeSelectDb(dbid);
    /* SAVE blocks anyway: one go, with LZF for long strings too. */
    size_t chunk = snap.blocking ? 0 : (size_t)server.snapshot_chunk_bytes;
    int r = rdbChunkedBegin(&snap.piece, &snap.sink, key, klen, val, expire, chunk);
    if (r == 0) r = rdbChunkedStep(&snap.piece, &snap.sink);
    if (r == 1) {
        snap.piece_active = 1;
        snap.piece_entry = e;
        snap.piece_owned = e ? NULL : val;
        snap.keys_in_pieces++;
        return;
    }
    rdbChunkedRelease(&snap.piece);
    if (e)
        dbEntryMarkSnapshotWritten(e);
    else
        freeOwnedValue(val);
    snap.keys_written++;
    if (r == -1 && !snap.failed) snapshotFail(ENOTSUP, "serializing a value");
}

static void walkEntry(int dbid, dbEntry *e) {
    size_t klen;
    const char *key = dbEntryKey(e, &klen);
    walkValue(dbid, key, klen, dbEntryVal(e), dbEntryExpire(e), e);
}

static void walkAdopted(void) {
    struct adoptedValue a = snap.adopted[--snap.nadopted];
    walkValue(a.dbid, a.key, rstrLen(a.key), a.val, a.expire, NULL);
    rstrFree(a.key); /* written with the first step */
}

static void pendingRemove(dbEntry *e) {
    for (int i = 0; i < snap.npending; i++) {
        if (snap.pending[i].e == e) {
            snap.pending[i] = snap.pending[--snap.npending];
            return;
        }
    }
}

/* Drops the value in pieces, the queue and the held bytes: the save failed
 * or ended.  The writer is released before anything can free its value. */
static void dropBigValueState(void) {
    if (snap.piece_active) rdbChunkedRelease(&snap.piece);
    snap.piece_active = 0;
    if (snap.piece_owned) freeOwnedValue(snap.piece_owned);
    snap.piece_owned = NULL;
    for (int i = 0; i < snap.nadopted; i++) {
        rstrFree(snap.adopted[i].key);
        freeOwnedValue(snap.adopted[i].val);
    }
    zfree(snap.adopted);
    snap.adopted = NULL;
    snap.nadopted = snap.adopted_cap = 0;
    zfree(snap.pending);
    snap.pending = NULL;
    snap.npending = snap.pending_cap = 0;
    rstrFree(snap.held);
    snap.held = NULL;
}

/* The keyspace calls this before changing or deleting an unwritten key. */
static void snapshotKeyChangeHook(redisDb *db, dbEntry *e) {
    /* While the temporary file is being opened, keys are serialized into
     * buffers all the same: T0 began when BGSAVE returned. */
    if (snap.state != SNAP_WRITING && snap.state != SNAP_OPENING) {
        dbEntryMarkSnapshotWritten(e);
        return;
    }
    long long lat = latencyStartMonitor(); /* LATENCY "snapshot-hook" */
    if (snap.piece_active && snap.piece_entry == e) {
        /* The value in pieces is about to change: the rest of it, now. */
        int r = rdbChunkedFinish(&snap.piece, &snap.sink);
        if (snap.piece_active) pieceEnd();
        dbEntryMarkSnapshotWritten(e);
        if (r == -1 && !snap.failed) snapshotFail(EINVAL, "serializing a value in pieces");
        snap.hook_keys++;
        snap.pieces_finished_early++;
    } else {
        pendingRemove(e);
        int dbid = tableIndex(db->keys);
        if (dbid < 0) {
            /* Not a table of the image (a database emptied since T0). */
            dbEntryMarkSnapshotWritten(e);
            return;
        }
        writeEntry(dbid, e);
        snap.hook_keys++;
        if (snap.held && rstrLen(snap.held) - snap.held_off > SNAP_HELD_MAX) {
            /* Bound the memory held back: finish the value in pieces, then
             * move everything held to the stream (extra buffers if need
             * be, as any hook write). */
            if (snap.piece_active) {
                int r = rdbChunkedFinish(&snap.piece, &snap.sink);
                if (snap.piece_active) pieceEnd();
                if (r == -1 && !snap.failed) snapshotFail(EINVAL, "serializing a value in pieces");
                snap.pieces_finished_early++;
            }
            while (snap.held && !snap.failed) drainHeld(SIZE_MAX);
        }
    }
    latencyEndMonitor("snapshot-hook", lat);
}

/* The keyspace calls this before deleting or replacing an unwritten key's
 * value (DEL, UNLINK, expiry, eviction, SET or RENAME over it).  A big
 * value is taken over instead of written now: the command costs O(1), and
 * the walk writes the value later under its key's name, then frees it.
 * Returns 1 if adopted; 0 lets the key change hook write it as usual. */
static int snapshotAdoptValue(redisDb *db, dbEntry *e) {
    if (snap.state != SNAP_WRITING && snap.state != SNAP_OPENING) return 0;
    robj *val = dbEntryVal(e);
    int active = snap.piece_active && snap.piece_entry == e;
    /* Embedded and integer strings live inside the entry, and are small;
     * other small values are cheaper to write now than to keep. */
    if (val->type == OBJ_STRING && val->encoding != OBJ_ENCODING_RAW) return 0;
    if (!active && !rdbChunkedIsBig(val, (size_t)server.snapshot_chunk_bytes)) return 0;
    /* Above maxmemory the memory must come back now (eviction would
     * otherwise go on deleting keys while we hold this one). */
    if (server.maxmemory && zmallocUsedMemory() > server.maxmemory) return 0;
    int dbid = tableIndex(db->keys);
    if (dbid < 0) return 0;
    robj *o = createObject(val->type, val->ptr);
    o->encoding = val->encoding;
    o->lru = val->lru;
    snap.values_adopted++;
    if (active) {
        /* Its writer goes on with the same payload. */
        rdbChunkedRebind(&snap.piece, o);
        snap.piece_entry = NULL;
        snap.piece_owned = o;
        return 1;
    }
    pendingRemove(e);
    if (snap.nadopted == snap.adopted_cap) {
        snap.adopted_cap = snap.adopted_cap ? snap.adopted_cap * 2 : 16;
        snap.adopted = zrealloc(snap.adopted, sizeof(*snap.adopted) * (size_t)snap.adopted_cap);
    }
    size_t klen;
    const char *key = dbEntryKey(e, &klen);
    snap.adopted[snap.nadopted].key = rstrNewLen(key, klen);
    snap.adopted[snap.nadopted].expire = dbEntryExpire(e);
    snap.adopted[snap.nadopted].val = o;
    snap.adopted[snap.nadopted].dbid = dbid;
    snap.nadopted++;
    return 1;
}

static void scanCallback(void *privdata, void *entry) {
    (void)privdata;
    dbEntry *e = entry;
    if (dbEntrySnapshotWritten(e)) return;
    /* A batch writes about one piece's worth at most: a scan cannot stop
     * half-way through its buckets, so past that (or once a value of the
     * batch is in pieces) keys wait in `pending` and are written one per
     * turn of the slice loop, with the time checks in between. */
    if (!holdingBack() &&
        (snap.blocking || snap.sink.written - snap.batch_start < (size_t)server.snapshot_chunk_bytes)) {
        walkEntry(snap.db, e);
        return;
    }
    if (snap.npending == snap.pending_cap) {
        snap.pending_cap = snap.pending_cap ? snap.pending_cap * 2 : 64;
        snap.pending = zrealloc(snap.pending, sizeof(*snap.pending) * (size_t)snap.pending_cap);
    }
    snap.pending[snap.npending].e = e;
    snap.pending[snap.npending].dbid = snap.db;
    snap.npending++;
}

static void writeHeader(void) {
    char magic[16];
    snprintf(magic, sizeof(magic), "REDIS%04d", RDB_VERSION);
    rdbWriteRaw(&snap.sink, magic, 9);
    rdbSaveAuxField(&snap.sink, "redis-ver", RINGKV_VERSION);
    rdbSaveAuxFieldLongLong(&snap.sink, "redis-bits", (long long)(sizeof(void *) * 8));
    rdbSaveAuxFieldLongLong(&snap.sink, "ctime", (long long)snap.start_time);
    rdbSaveAuxFieldLongLong(&snap.sink, "used-mem", (long long)zmallocUsedMemory());
    rdbSaveAuxFieldLongLong(&snap.sink, "aof-base", 0);
}

static void writeTrailer(void) {
    rdbSaveType(&snap.sink, RDB_OPCODE_EOF);
    unsigned char crc[8];
    uint64_t v = snap.sink.checksum ? snap.sink.crc : 0;
    for (int i = 0; i < 8; i++) crc[i] = (unsigned char)(v >> (8 * i));
    /* The checksum itself is not part of what it covers. */
    snap.sink.checksum = 0;
    rdbWriteRaw(&snap.sink, crc, 8);
}

static void finishSteps(void);

/* How often (in microseconds of walking) a slice asks the event loop
 * whether a client is waiting: one zero-timeout poll costs well under a
 * microsecond, so this keeps the check below 3% of the slice. */
#define SNAP_YIELD_CHECK_US 25

/* Walks the keyspace for up to budget_us (0: no limit).  After yield_us
 * (-1: never) the walk also stops as soon as the loop has a ready file
 * event, so a request that arrives during a slice waits for at most
 * yield_us plus one check interval.  Returns 1 while there is more. */
static int snapshotSlice(long long budget_us, long long yield_us) {
    long long start = ustime(), next_check = start + (yield_us > 0 ? yield_us : 0);
    while (snap.state == SNAP_WRITING && !snap.failed) {
        if (snap.piece_active || snap.held || snap.nadopted || snap.npending) {
            /* A big value first, piece by piece, then what waited for it:
             * the bytes the hook held back, the values adopted from
             * deleted keys (their memory comes back once written), the
             * keys the scan queued. */
            if (snap.cur == NULL || (!poolHasFreeBuffer() && snap.cur->len > SNAP_BUF_SIZE / 2)) return 1;
            if (snap.piece_active) {
                pieceStep();
            } else if (snap.held) {
                drainHeld((size_t)server.snapshot_chunk_bytes);
            } else if (snap.nadopted) {
                walkAdopted();
            } else {
                struct pendingKey k = snap.pending[--snap.npending];
                if (!dbEntrySnapshotWritten(k.e)) walkEntry(k.dbid, k.e);
            }
        } else if (snap.db >= snap.dbnum) {
            writeTrailer();
            submitCurrent(1);
            snap.state = SNAP_FLUSHING;
            finishSteps();
            return 0;
        } else {
            htab *t = snap.tables[snap.db];
            if (htabSize(t) == 0 && !snap.db_started) {
                snap.db++;
                continue;
            }
            if (!snap.db_started) {
                writeSelectDb(snap.db);
                redisDb *live = dbGet(snap.db);
                rdbSaveType(&snap.sink, RDB_OPCODE_RESIZEDB);
                rdbSaveLen(&snap.sink, htabSize(t));
                rdbSaveLen(&snap.sink, live && live->keys == t ? (uint64_t)dbExpiresCount(live) : 0);
                snap.db_started = 1;
                snap.cursor = 0;
            }
            /* Back-pressure: stop when the pool is exhausted. */
            if (snap.cur == NULL || (!poolHasFreeBuffer() && snap.cur->len > SNAP_BUF_SIZE / 2)) return 1;
            snap.batch_start = snap.sink.written;
            snap.cursor = htabScanBounded(t, snap.cursor, 32, scanCallback, NULL);
            if (snap.cursor == 0) {
                snap.db++;
                snap.db_started = 0;
            }
        }
        long long now = ustime();
        if (budget_us > 0 && now - start >= budget_us) return 1;
        if (yield_us >= 0 && now >= next_check) {
            if (aeHasPendingFileEvents(server.el)) return 1;
            next_check = now + SNAP_YIELD_CHECK_US;
        }
    }
    return snap.state == SNAP_WRITING;
}

/* --- completion chain: flush, fsync, close, rename, fsync dir ----------- */

static void snapshotEnd(int ok);

static void stepDone(void *ctx, long long res) {
    (void)ctx;
    if (res < 0) {
        snapshotFail((int)-res, snap.state == SNAP_SYNCING    ? "fsync"
                                : snap.state == SNAP_CLOSING  ? "close"
                                : snap.state == SNAP_RENAMING ? "rename"
                                                              : "fsync of the directory");
        return;
    }
    switch (snap.state) {
    case SNAP_SYNCING:
        snap.state = SNAP_CLOSING;
        if (sioClose(snap.fd, stepDone, NULL) < 0) snapshotFail(EIO, "close");
        snap.fd = -1;
        break;
    case SNAP_CLOSING:
        snap.state = SNAP_RENAMING;
        if (sioRename(snap.tmpfile, server.rdb_filename, stepDone, NULL) < 0) snapshotFail(EIO, "rename");
        break;
    case SNAP_RENAMING:
        snap.state = SNAP_SYNCDIR;
        if (sioFsyncDir(".", stepDone, NULL) < 0) snapshotFail(EIO, "fsync of the directory");
        break;
    case SNAP_SYNCDIR: snapshotEnd(1); break;
    default: break;
    }
}

/* Called when the walk is over and whenever a write completes. */
static void finishSteps(void) {
    if (snap.state != SNAP_FLUSHING || snap.failed || snap.writes_inflight) return;
    snap.state = SNAP_SYNCING;
    if (sioFsync(snap.fd, stepDone, NULL) < 0) snapshotFail(EIO, "fsync");
}

/* --- start, end, failure ------------------------------------------------ */

static void *unlinkThread(void *arg) {
    unlink(arg);
    zfree(arg);
    return NULL;
}

/* Removing a big file can take a while (the file system frees its
 * extents): done on a detached thread so the loop does not wait.  The file
 * is first renamed aside (a cheap metadata change): a save started right
 * after this one (DEBUG RELOAD aborts one and saves at once) creates a new
 * file under the same temporary name, which the thread must not remove. */
static void unlinkInBackground(const char *path) {
    static unsigned long doomed = 0;
    char aside[300];
    snprintf(aside, sizeof(aside), "%s.removing-%lu", path, doomed++);
    if (rename(path, aside) == -1) {
        if (errno != ENOENT) unlink(path); /* cannot move it: remove it here */
        return;
    }
    pthread_t t;
    char *copy = zstrdup(aside);
    if (pthread_create(&t, NULL, unlinkThread, copy) == 0)
        pthread_detach(t);
    else
        unlinkThread(copy);
}

/* FLUSHDB during a save: the flushed database's tables are still part of
 * the image (the walk reads them through snap.tables), so the snapshot
 * takes them over and frees them when it ends, in the background. */
static struct {
    htab *keys, *expires;
} *adoptedTables;
static int adoptedCount;

static int snapshotAdoptTables(htab *keys, htab *expires) {
    if (snap.state == SNAP_IDLE) return 0;
    int i;
    for (i = 0; i < snap.dbnum && snap.tables[i] != keys; i++) {
    }
    if (i == snap.dbnum) return 0;
    if (snap.failed) {
        /* Nothing reads it any more: the database frees it as usual, and
         * the pass after the save (see "keys a save did not reach") must
         * not look at it. */
        snap.tables[i] = NULL;
        return 0;
    }
    adoptedTables = zrealloc(adoptedTables, sizeof(*adoptedTables) * (size_t)(adoptedCount + 1));
    adoptedTables[adoptedCount].keys = keys;
    adoptedTables[adoptedCount].expires = expires;
    adoptedCount++;
    return 1;
}

/* --- keys a save did not reach ---------------------------------------------
 *
 * "Written" is one bit compared with a generation bit that flips at each
 * save.  A save that completes leaves every key with the current bit; one
 * that fails or is aborted leaves the keys it did not reach with the
 * previous bit, which is also the next save's: that save would take them
 * for written and leave them out of its file.  So after an unfinished save
 * a pass over the image's tables marks every key with the current bit, in
 * 1 ms slices from a timer; a save that starts before the pass is over
 * finishes it first, in one go.  The pass needs no hook (keys may change
 * freely: nothing is being saved) and follows tables, not database
 * numbers, so SWAPDB does not disturb it; a table FLUSHDB empties is
 * dropped from it (its entries are gone, new ones are born current). */
static struct {
    int active;
    int dbnum;
    htab **tables; /* NULL slots: flushed, or already done */
    int db;
    unsigned long cursor;
    long long timer_id;
} pass = {.timer_id = -1};

static void passMark(void *privdata, void *entry) {
    (void)privdata;
    dbEntryMarkSnapshotWritten(entry);
}

/* Marks keys for up to budget_us (0: until done).  1 while more remain. */
static int passStep(long long budget_us) {
    long long start = ustime();
    while (pass.db < pass.dbnum) {
        htab *t = pass.tables[pass.db];
        if (t) pass.cursor = htabScanBounded(t, pass.cursor, 256, passMark, NULL);
        if (!t || pass.cursor == 0) {
            pass.db++;
            pass.cursor = 0;
        }
        if (budget_us > 0 && ustime() - start >= budget_us) break;
    }
    return pass.db < pass.dbnum;
}

static int passForgetTable(htab *keys, htab *expires) {
    (void)expires;
    for (int i = 0; i < pass.dbnum; i++) {
        if (pass.tables[i] == keys) {
            pass.tables[i] = NULL;
            if (i == pass.db) pass.cursor = 0;
        }
    }
    return 0; /* not adopted: the database empties it */
}

static void passEnd(void) {
    if (!pass.active) return;
    pass.active = 0;
    dbSetTablesAdoptHook(NULL);
    if (pass.timer_id != -1) aeDeleteTimeEvent(server.el, pass.timer_id);
    pass.timer_id = -1;
    zfree(pass.tables);
    pass.tables = NULL;
}

static long long passTimer(aeEventLoop *el, long long id, void *clientData) {
    (void)el;
    (void)id;
    (void)clientData;
    if (pass.active && passStep(1000)) return 1;
    pass.timer_id = -1; /* AE_NOMORE deletes it */
    passEnd();
    return AE_NOMORE;
}

/* Called by releaseState after an unfinished save, while snap.tables still
 * lists the image's tables (adopted ones excluded: they are being freed). */
static void passStart(void) {
    pass.dbnum = snap.dbnum;
    pass.tables = zmalloc(sizeof(htab *) * (size_t)snap.dbnum);
    for (int i = 0; i < snap.dbnum; i++) {
        pass.tables[i] = snap.tables[i];
        for (int j = 0; j < adoptedCount; j++)
            if (adoptedTables[j].keys == snap.tables[i]) pass.tables[i] = NULL;
    }
    pass.db = 0;
    pass.cursor = 0;
    pass.active = 1;
}

/* After releaseState cleared the save's hooks. */
static void passArm(void) {
    dbSetTablesAdoptHook(passForgetTable);
    if (server.el) pass.timer_id = aeCreateTimeEvent(server.el, 1, passTimer, NULL, NULL);
}

static void freeAdoptedTables(void) {
    for (int i = 0; i < adoptedCount; i++) freeTablesAsync(adoptedTables[i].keys, adoptedTables[i].expires);
    zfree(adoptedTables);
    adoptedTables = NULL;
    adoptedCount = 0;
}

/* unfinished: the save failed or was aborted after T0, so keys it did not
 * reach need the pass above. */
static void releaseState(int unfinished) {
    dbSetKeyChangeHook(NULL);
    dbSetTablesAdoptHook(NULL);
    dbSetValueAdoptHook(NULL);
    /* Before the adopted tables go: the writer may be reading a value in
     * one of them. */
    dropBigValueState();
    if (unfinished && snap.tables) passStart();
    /* The walk is over (done, failed or aborted): nothing reads them now. */
    freeAdoptedTables();
    for (int i = 0; i < snap.nwaiting; i++) {
        snap.waiting[i]->inflight = 0;
        if (snap.waiting[i]->overflow) {
            zfree(snap.waiting[i]->data);
            zfree(snap.waiting[i]);
        }
    }
    zfree(snap.waiting);
    snap.waiting = NULL;
    snap.nwaiting = 0;
    if (snap.timer_id != -1 && !snap.blocking) aeDeleteTimeEvent(server.el, snap.timer_id);
    snap.timer_id = -1;
    for (int i = 0; i < SNAP_POOL_SIZE; i++) {
        if (!snap.pool[i].inflight) {
            zfree(snap.pool[i].data);
            snap.pool[i].data = NULL;
        }
    }
    if (snap.cur && snap.cur->overflow && !snap.cur->inflight) {
        zfree(snap.cur->data);
        zfree(snap.cur);
    }
    snap.cur = NULL;
    zfree(snap.tables);
    snap.tables = NULL;
    if (pass.active) passArm();
}

static void snapshotEnd(int ok) {
    long long elapsed = (ustime() - snap.start_us) / 1000000;
    if (ok) {
        server.dirty -= snap.dirty_before;
        server.lastsave = snap.start_time;
        server.lastbgsave_status = C_OK;
        lastSaveDurationSec = elapsed;
        savesCompleted++;
        serverLog(LL_NOTICE, "%s saving terminated with success (%lld keys, %lld written early, %lld bytes, %s)",
                  snap.blocking ? "DB" : "Background", snap.keys_written, snap.hook_keys,
                  (long long)snap.offset, snap.opened_direct ? "O_DIRECT" : "page cache");
    } else {
        server.lastbgsave_status = C_ERR;
        lastSaveDurationSec = elapsed;
    }
    snap.state = SNAP_IDLE;
    releaseState(!ok);
}

/* Failure is asynchronous: buffers still being written must not be freed,
 * so the save only ends (temp file closed and removed, status err) when the
 * last write in flight has come back. */
static void snapshotFail(int err, const char *what) {
    if (snap.failed) return;
    /* From now on the hook lets keys change without writing them: the
     * writer must not keep iterating a value that may go away. */
    dropBigValueState();
    snap.failed = err ? err : EIO;
    serverLog(LL_WARNING, "%s saving error: %s failed: %s", snap.blocking ? "DB" : "Background", what,
              strerror(snap.failed));
    snap.state = SNAP_FAILING;
    failCheck();
}

static void failCheck(void) {
    if (snap.state != SNAP_FAILING || snap.writes_inflight) return;
    if (snap.fd != -1) close(snap.fd);
    snap.fd = -1;
    unlinkInBackground(snap.tmpfile);
    snapshotEnd(0);
}

static long long snapshotTimer(aeEventLoop *el, long long id, void *clientData) {
    (void)el;
    (void)id;
    (void)clientData;
    if (snap.state == SNAP_IDLE) {
        snap.timer_id = -1;
        return AE_NOMORE;
    }
    if (snap.state == SNAP_WRITING) {
        /* Replies produced by this iteration's commands go out before the
         * slice, not after it: otherwise every request would wait for a
         * whole slice on top of its own turn. */
        handleClientsWithPendingWrites();
        /* A slice gives way as soon as any client event is ready, except
         * for a guaranteed part so that a saturated server still makes
         * progress: a quarter of the time the loop spent on other work
         * since the last slice, at most snapshot-slice-us.  Proportional
         * rather than fixed: when clients trickle in a few per iteration,
         * a fixed part per iteration would make each few wait for it.
         * With nobody waiting the slice goes on, up to SNAP_IDLE_SLICE_US
         * so that timers stay on time. */
        static long long lastSliceEnd;
        long long now = ustime();
        long long guaranteed = lastSliceEnd ? (now - lastSliceEnd) / SNAP_GUARANTEED_SHARE : 0;
        if (guaranteed > server.snapshot_slice_us || guaranteed < 0) guaranteed = server.snapshot_slice_us;
        long long lat = latencyStartMonitor(); /* LATENCY "snapshot-slice" (latency.h) */
        int more = snapshotSlice(SNAP_IDLE_SLICE_US, guaranteed);
        lastSliceEnd = ustime();
        latencyEndMonitor("snapshot-slice", lat);
        if (more && snap.cur != NULL && (poolHasFreeBuffer() || snap.cur->len <= SNAP_BUF_SIZE / 2)) return 0;
        return 1;
    }
    finishSteps();
    failCheck();
    return 10;
}

static void openDone(void *ctx, long long res);

static int openTempFile(void) {
    int flags = O_WRONLY | O_CREAT | O_TRUNC | (snap.direct ? O_DIRECT : 0);
    return sioOpen(snap.tmpfile, flags, 0644, openDone, NULL);
}

static void openDone(void *ctx, long long res) {
    (void)ctx;
    if (snap.state != SNAP_OPENING) {
        if (res >= 0) close((int)res);
        return;
    }
    if (res == -EINVAL && snap.direct) {
        /* The file system has no O_DIRECT (tmpfs before Linux 6.6, some
         * FUSE and network file systems): write through the page cache. */
        static int logged;
        if (!logged) {
            serverLog(LL_NOTICE, "The file system of '%s' refuses O_DIRECT: snapshots go through the page cache",
                      server.dir ? server.dir : ".");
            logged = 1;
        }
        snap.direct = 0;
        if (openTempFile() < 0) snapshotFail(EIO, "opening the temporary file");
        return;
    }
    if (res < 0) {
        snapshotFail((int)-res, "opening the temporary file");
        return;
    }
    snap.fd = (int)res;
    snap.opened_direct = snap.direct;
    snap.state = SNAP_WRITING;
    for (int i = 0; i < snap.nwaiting && !snap.failed; i++) submitBuffer(snap.waiting[i]);
    zfree(snap.waiting);
    snap.waiting = NULL;
    snap.nwaiting = 0;
}

static int snapshotBegin(int blocking, char *err, size_t errlen) {
    if (snap.state != SNAP_IDLE) {
        snprintf(err, errlen, "Background save already in progress");
        return -1;
    }
    /* The keys an unfinished save left behind must be "written" before the
     * generation flips again (see "keys a save did not reach"). */
    if (pass.active) {
        passStep(0);
        passEnd();
    }
    memset(&snap, 0, sizeof(snap));
    snap.fd = -1;
    snap.timer_id = -1;
    snap.blocking = blocking;
    snap.start_us = ustime();
    snap.start_time = time(NULL);
    snap.dirty_before = server.dirty;
    snap.dbnum = server.dbnum;
    snap.tables = zmalloc(sizeof(htab *) * (size_t)snap.dbnum);
    for (int i = 0; i < snap.dbnum; i++) {
        snap.tables[i] = dbGet(i)->keys;
        snap.keys_total += dbSize(dbGet(i));
    }
    snap.selected = -1;
    snap.sink.write = sinkWrite;
    snap.sink.checksum = server.rdb_checksum;
    snap.sink.compress = server.rdb_compression;
    snprintf(snap.tmpfile, sizeof(snap.tmpfile), "temp-%d.rdb", (int)getpid());
    snap.cur = takeFreeBuffer(0);
    /* T0: from here on every existing key is unwritten, new ones written. */
    dbNewSnapshotGeneration();
    dbSetKeyChangeHook(snapshotKeyChangeHook);
    dbSetTablesAdoptHook(snapshotAdoptTables);
    dbSetValueAdoptHook(snapshotAdoptValue);
    snap.state = SNAP_OPENING;
    writeHeader();
    snap.direct = server.snapshot_direct_io;
    if (openTempFile() < 0) {
        snprintf(err, errlen, "cannot open %s", snap.tmpfile);
        snap.state = SNAP_IDLE;
        /* No key was written yet: flipping the generation back restores
         * every mark as it was. */
        dbNewSnapshotGeneration();
        releaseState(0);
        server.lastbgsave_status = C_ERR;
        return -1;
    }
    return 0;
}

int snapshotStartBackground(char *err, size_t errlen) {
    lastBgsaveTry = time(NULL);
    if (snapshotBegin(0, err, errlen) == -1) return -1;
    snap.timer_id = aeCreateTimeEvent(server.el, 0, snapshotTimer, NULL, NULL);
    serverLog(LL_NOTICE, "Background saving started (fork-less, %s I/O)", sioEngineInUse());
    return 0;
}

int snapshotSaveBlocking(void) {
    char err[128];
    if (snapshotBegin(1, err, sizeof(err)) == -1) {
        serverLog(LL_WARNING, "SAVE failed: %s", err);
        return -1;
    }
    /* The same state machine, driven here: poll completions, walk without a
     * time budget. */
    while (snap.state != SNAP_IDLE) {
        if (snap.state == SNAP_WRITING) {
            snapshotSlice(0, -1);
            if (snap.state == SNAP_WRITING) sioPoll(snap.writes_inflight ? -1 : 0);
        } else {
            if (sioPoll(-1) <= 0) {
                finishSteps();
                failCheck();
            }
        }
    }
    return server.lastbgsave_status == C_OK ? 0 : -1;
}

int snapshotInProgress(void) {
    return snap.state != SNAP_IDLE;
}

int snapshotWaitForCompletion(void) {
    while (snap.state != SNAP_IDLE) {
        if (snap.state == SNAP_WRITING) snapshotSlice(0, -1);
        if (snap.state != SNAP_IDLE && sioPoll(-1) <= 0) {
            finishSteps();
            failCheck();
        }
    }
    return server.lastbgsave_status == C_OK ? 0 : -1;
}

void snapshotAbort(const char *why) {
    if (snap.state == SNAP_IDLE) return;
    serverLog(LL_NOTICE, "Background saving aborted: %s", why);
    /* Writes in flight still reference pool buffers: wait for them. */
    while (snap.writes_inflight) sioPoll(-1);
    if (snap.fd != -1) close(snap.fd);
    snap.fd = -1;
    unlinkInBackground(snap.tmpfile);
    snap.state = SNAP_IDLE;
    releaseState(1);
}

void snapshotCron(void) {
    if (snap.state != SNAP_IDLE) return;
    time_t now = time(NULL);
    int start = snap.scheduled;
    for (int j = 0; j < server.saveparamslen && !start; j++) {
        struct saveparam *sp = &server.saveparams[j];
        /* After a failure, retry only every few seconds. */
        if (server.dirty >= sp->changes && now - server.lastsave > sp->seconds &&
            (now - lastBgsaveTry > SNAP_RETRY_DELAY || server.lastbgsave_status == C_OK)) {
            serverLog(LL_NOTICE, "%d changes in %d seconds. Saving...", sp->changes, (int)sp->seconds);
            start = 1;
        }
    }
    if (start) {
        char err[128];
        snap.scheduled = 0;
        if (snapshotStartBackground(err, sizeof(err)) == -1)
            serverLog(LL_WARNING, "Background save failed to start: %s", err);
    }
}

void snapshotGetInfo(snapshotInfo *info) {
    memset(info, 0, sizeof(*info));
    info->in_progress = snap.state != SNAP_IDLE;
    info->current_time_sec = info->in_progress ? (ustime() - snap.start_us) / 1000000 : -1;
    info->last_time_sec = lastSaveDurationSec;
    info->saves = savesCompleted;
    info->keys_written = snap.keys_written;
    info->keys_total = snap.keys_total;
    info->last_load_keys_loaded = lastLoadKeysLoaded;
    info->last_load_keys_expired = lastLoadKeysExpired;
    info->bytes_written = (long long)snap.offset;
    info->hook_keys = snap.hook_keys;
    info->keys_in_pieces = snap.keys_in_pieces;
    info->pieces_finished_early = snap.pieces_finished_early;
    info->held_peak = snap.held_peak;
    info->values_adopted = snap.values_adopted;
    info->overflow_buffers = snap.overflow_buffers;
    info->loading_start_time = loading.start_time;
    info->loading_total_bytes = loading.total_bytes;
    info->loading_loaded_bytes = loading.loaded_bytes;
    info->loading_elapsed_us = ustime() - loading.start_us;
    info->engine = sioEngineInUse();
    info->fallback_reason = sioFallbackReason();
}

void snapshotInit(void) {
    char err[SIO_ERR_LEN];
    if (sioInit(server.el, server.snapshot_io, err, sizeof(err)) == SIO_ERR) {
        serverLog(LL_WARNING, "Cannot set up the snapshot I/O engine '%s': %s",
                  sioEngineName(server.snapshot_io), err);
        exit(1);
    }
    /* sioInit logged the engine it took and why a better one failed. */
}

/* --- commands --------------------------------------------------------- */

void bgsaveCommand(client *c) {
    int schedule = 0;
    if (c->argc > 1) {
        if (c->argc == 2 && !strcasecmp(c->argv[1]->ptr, "schedule")) {
            schedule = 1;
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    }
    if (snapshotInProgress()) {
        if (schedule) {
            snap.scheduled = 1;
            addReplyStatus(c, "Background saving scheduled");
        } else {
            addReplyError(c, "Background save already in progress");
        }
        return;
    }
    char err[128];
    if (snapshotStartBackground(err, sizeof(err)) == -1) {
        addReplyError(c, err);
        return;
    }
    addReplyStatus(c, "Background saving started");
}

void saveCommand(client *c) {
    if (snapshotInProgress()) {
        addReplyError(c, "Background save already in progress");
        return;
    }
    if (snapshotSaveBlocking() == 0)
        addReplyOk(c);
    else
        addReplyErrorLength(c, "-ERR", 4); /* Redis replies a bare -ERR */
}

void lastsaveCommand(client *c) {
    addReplyLongLong(c, (long long)server.lastsave);
}

/* --- loading ---------------------------------------------------------- */

static void loadingProgress(size_t consumed) {
    loading.loaded_bytes = consumed;
    if (!loading.serve_clients || !server.el) return;
    aeProcessEvents(server.el, AE_FILE_EVENTS | AE_DONT_WAIT);
    handleClientsWithPendingWrites();
    freeClientsInAsyncFreeQueue();
}

/* A buffered reader over a file descriptor: the loader reads at start-up,
 * before serving clients, so plain blocking reads are fine here. */
typedef struct fileSource {
    int fd;
    unsigned char *buf;
    size_t len, pos;
    size_t filesize, fileoff; /* bytes consumed from the file so far */
    uint64_t crc;             /* CRC64 of bytes before crc_pos in earlier buffers */
    size_t crc_pos;           /* bytes of buf already in crc */
} fileSource;

/* The checksum is folded over whole read buffers (fast, table-driven CRC
 * on large blocks) instead of per field; fileSourceCrc finishes it up to the
 * current position. */
static uint64_t fileSourceCrc(fileSource *f) {
    f->crc = crc64(f->crc, f->buf + f->crc_pos, f->pos - f->crc_pos);
    f->crc_pos = f->pos;
    return f->crc;
}

static int fileSourceRead(rdbSource *s, void *p, size_t len) {
    fileSource *f = s->ctx;
    unsigned char *dst = p;
    while (len) {
        if (f->pos == f->len) {
            fileSourceCrc(f);
            f->crc_pos = 0;
            ssize_t n;
            do {
                n = read(f->fd, f->buf, SNAP_BUF_SIZE);
            } while (n == -1 && errno == EINTR);
            if (n <= 0) return -1;
            f->len = (size_t)n;
            f->pos = 0;
        }
        size_t k = f->len - f->pos < len ? f->len - f->pos : len;
        memcpy(dst, f->buf + f->pos, k);
        f->pos += k;
        f->fileoff += k;
        dst += k;
        len -= k;
    }
    return 0;
}

static size_t fileSourceRemaining(rdbSource *s) {
    fileSource *f = s->ctx;
    return f->filesize - f->fileoff;
}

/* A key met twice in the file (db.c finds it while inserting the queue). */
static void loadDuplicateError(char *err, size_t errlen, size_t offset) {
    snprintf(err, errlen, "duplicate key '%s' at offset %zu", dbLoadedDuplicateKey(), offset);
}

static int loadFail(rdbSource *src, char *err, size_t errlen, const char *what) {
    snprintf(err, errlen, "%s at offset %zu", src->error ? src->error : what, src->consumed);
    return -1;
}

int snapshotLoadFile(const char *path, char *err, size_t errlen) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    fileSource f = {.fd = fd, .buf = zmalloc(SNAP_BUF_SIZE)};
    off_t size = lseek(fd, 0, SEEK_END);
    lseek(fd, 0, SEEK_SET);
    f.filesize = size > 0 ? (size_t)size : 0;
    loading.total_bytes = f.filesize;
    loading.loaded_bytes = 0;
    loading.start_time = time(NULL);
    loading.start_us = ustime();
    rdbSource src;
    memset(&src, 0, sizeof(src));
    src.read = fileSourceRead;
    src.remaining = fileSourceRemaining;
    src.ctx = &f;
    src.checksum = 0; /* folded per buffer by the file source itself */
    int ret = -1;
    char magic[10];
    long long now = mstime();
    long long keys = 0, expired = 0;
    redisDb *db = dbGet(0);
    long long expire = -1;
    if (src.read(&src, magic, 9) == -1) {
        snprintf(err, errlen, "short read in the header (offset 0)");
        goto done;
    }
    src.consumed = 9;
    magic[9] = '\0';
    if (memcmp(magic, "REDIS", 5) != 0) {
        snprintf(err, errlen, "wrong signature trying to load DB from file (offset 0)");
        goto done;
    }
    int version = atoi(magic + 5);
    if (version < 1 || version > RDB_VERSION) {
        snprintf(err, errlen, "can't handle RDB format version %d (offset 5)", version);
        goto done;
    }
    server.loading = 1;
    for (;;) {
        int type = rdbLoadType(&src);
        if (type == -1) {
            loadFail(&src, err, errlen, "short read");
            goto done;
        }
        if (type == RDB_OPCODE_EXPIRETIME_MS) {
            if (rdbLoadMillisecondTime(&src, &expire) == -1) break;
            continue;
        } else if (type == RDB_OPCODE_EXPIRETIME) {
            if (rdbLoadSecondTime(&src, &expire) == -1) break;
            expire *= 1000;
            continue;
        } else if (type == RDB_OPCODE_IDLE || type == RDB_OPCODE_FREQ) {
            uint64_t v;
            unsigned char b;
            if (type == RDB_OPCODE_IDLE ? rdbLoadLen(&src, &v, NULL) == -1 : src.read(&src, &b, 1) == -1)
                break;
            if (type == RDB_OPCODE_FREQ) src.consumed++;
            continue;
        } else if (type == RDB_OPCODE_SELECTDB) {
            uint64_t id;
            if (rdbLoadLen(&src, &id, NULL) == -1) break;
            if (id >= (uint64_t)server.dbnum) {
                snprintf(err, errlen, "FATAL: Data file was created with a Redis server configured to handle more than %d databases (offset %zu)",
                         server.dbnum, src.consumed);
                goto done;
            }
            db = dbGet((int)id);
            continue;
        } else if (type == RDB_OPCODE_RESIZEDB) {
            uint64_t a, b;
            if (rdbLoadLen(&src, &a, NULL) == -1 || rdbLoadLen(&src, &b, NULL) == -1) break;
            /* Pre-size the tables: no incremental rehash while loading.  The
             * hint is bounded by what the file could hold (a key takes at
             * least 3 bytes) so a corrupt header cannot allocate wildly. */
            size_t cap = f.filesize / 3;
            dbExpandTables(db, a < cap ? a : cap, b < cap ? b : cap);
            continue;
        } else if (type == RDB_OPCODE_AUX) {
            rstr k = rdbLoadString(&src), v = k ? rdbLoadString(&src) : NULL;
            if (!k || !v) {
                rstrFree(k);
                break;
            }
            if (!strcasecmp(k, "redis-ver")) serverLog(LL_NOTICE, "Loading RDB produced by version %s", v);
            rstrFree(k);
            rstrFree(v);
            continue;
        } else if (type == RDB_OPCODE_EOF) {
            uint64_t expected = fileSourceCrc(&f);
            unsigned char crc[8];
            if (version >= 5) {
                if (src.read(&src, crc, 8) == -1) {
                    snprintf(err, errlen, "short read of the checksum at offset %zu", src.consumed);
                    goto done;
                }
                uint64_t got = 0;
                for (int i = 0; i < 8; i++) got |= (uint64_t)crc[i] << (8 * i);
                if (got != 0 && server.rdb_checksum && got != expected) {
                    snprintf(err, errlen, "wrong RDB checksum expected: (%llx) got: (%llx) at offset %zu",
                             (unsigned long long)got, (unsigned long long)expected, src.consumed);
                    goto done;
                }
            }
            ret = 0;
            goto done;
        } else if (type == RDB_OPCODE_FUNCTION || type == RDB_OPCODE_FUNCTION2 ||
                   type == RDB_OPCODE_MODULE_AUX) {
            snprintf(err, errlen, "the file holds functions or module data, which ringkv does not support (offset %zu)",
                     src.consumed - 1);
            goto done;
        } else if (!rdbIsObjectType(type)) {
            snprintf(err, errlen, "unknown RDB type or opcode %d at offset %zu", type, src.consumed - 1);
            goto done;
        }
        rstr key = rdbLoadString(&src);
        if (!key) break;
        robj *val = rdbLoadObject(&src, type);
        if (!val) {
            rstrFree(key);
            break;
        }
        if (expire != -1 && expire < now) {
            /* Expired while the file sat on disk: not loaded (Redis does the
             * same on a master). */
            decrRefCount(val);
            expired++;
        } else {
            int ok = dbAddLoaded(db, key, rstrLen(key), val, expire);
            keys++;
            /* The insert queue is emptied before clients get a turn, so
             * what they see (INFO keyspace) holds every key counted. */
            int progress = (keys & 4095) == 0;
            if (ok && progress) ok = dbAddLoadedFlush();
            if (!ok) {
                loadDuplicateError(err, errlen, src.consumed);
                rstrFree(key);
                goto done;
            }
            if (progress) loadingProgress(src.consumed);
        }
        rstrFree(key);
        expire = -1;
    }
    loadFail(&src, err, errlen, "short read or corrupt data");
done:
    /* Keys still queued for insertion (db.c) go in now, on error too so
     * that nothing leaks; a duplicate among them fails the load. */
    if (!dbAddLoadedFlush() && ret == 0) {
        loadDuplicateError(err, errlen, src.consumed);
        ret = -1;
    }
    server.loading = 0;
    if (ret == 0) {
        serverLog(LL_NOTICE, "Done loading RDB, keys loaded: %lld, keys expired: %lld.", keys, expired);
        lastLoadKeysLoaded = keys;
        lastLoadKeysExpired = expired;
    }
    zfree(f.buf);
    close(fd);
    return ret;
}

void snapshotLoadAtStartup(void) {
    if (access(server.rdb_filename, F_OK) != 0) return;
    long long start = ustime();
    char err[512];
    loading.serve_clients = 1;
    int r = snapshotLoadFile(server.rdb_filename, err, sizeof(err));
    loading.serve_clients = 0;
    if (r == -1) {
        serverLog(LL_WARNING, "Error loading %s: %s", server.rdb_filename, err);
        serverLog(LL_WARNING, "Fatal error loading the DB, check server logs. Exiting.");
        exit(1);
    }
    server.dirty = 0;
    serverLog(LL_NOTICE, "DB loaded from disk: %.3f seconds", (double)(ustime() - start) / 1000000);
}
