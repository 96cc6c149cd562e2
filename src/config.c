/* config.c -- the configuration table, redis.conf parsing, the command-line
 * options, and CONFIG GET / SET / RESETSTAT / REWRITE / HELP.
 *
 * Design.  Every directive is one row of configTable below: its Redis name,
 * an optional alias (the pre-7.0 "ziplist" names), flags, a type, the
 * address of its value in `server`, bounds or names, its default written as
 * it would appear in redis.conf, and optional hooks.  Start-up parsing,
 * CONFIG GET, CONFIG SET and CONFIG REWRITE all go through the same three
 * per-type operations:
 *
 *     set      parse textual argument(s) and store them, or fail with a
 *              message (never half-stores: parse everything, then write);
 *     get      the value as CONFIG GET shows it (memory in plain bytes);
 *     rewrite  the line(s) CONFIG REWRITE writes (memory with units).
 *
 * Defaults are applied by running `set` on the default text, so a default
 * can never disagree with what the parser accepts, and the "canonical"
 * default (what `get` says right after) is kept to decide whether CONFIG
 * REWRITE must write a directive the file did not mention.
 *
 * CONFIG SET with several pairs is atomic: every name is checked first
 * (unknown, immutable, protected, duplicate), then the old values are saved
 * as `get` strings, the new ones stored, and only then the apply hooks run
 * (each hook once, even if two of its directives changed).  Any failure
 * stores the saved strings back.  Saving values as text costs a few
 * allocations but needs no per-type backup code, and `get` output is
 * required to parse back through `set` anyway.
 *
 * Hooks: `post` runs after every store, at start-up too (hz clamping);
 * `apply` runs only for CONFIG SET, after all pairs were stored, and may
 * fail (maxclients, bind/port).  Side effects that must happen while
 * parsing the file (dir's chdir) live in the type's `set`.
 *
 * Directives that ringkv does not implement are refused at start-up (an
 * unknown directive is a fatal error): silently accepting a setting that
 * does nothing would lie to the operator.  Two exceptions, both so that a
 * redis.conf written for Redis loads unchanged:
 *   - `appendonly` exists, reads "no", and refuses "yes";
 *   - the tuning directives of AOF and replication (CFG_INERT) are parsed
 *     with Redis's types and bounds and stored where nothing reads them:
 *     they configure a feature that is absent, so no value can change
 *     behaviour.  Start-up logs those set away from their default.
 * A directive whose value would change behaviour ringkv lacks is refused
 * even when the directive is known.
 * `rename-command` is a file-only directive handled in the loader, not in
 * the table. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acl.h"
#include "commands.h"
#include "config.h"
#include "db.h"
#include "evict.h"
#include "latency.h"
#include "reply.h"
#include "rstr.h"
#include "server.h"
#include "sio.h"
#include "slowlog.h"
#include "util.h"
#include "zmalloc.h"

/* ------------------------------------------------------------------------
 * Table types */

/* Entry flags. */
#define CFG_IMMUTABLE (1 << 0)     /* only from the file / command line */
#define CFG_PROTECTED (1 << 1)     /* CONFIG SET needs enable-protected-configs */
#define CFG_DENY_LOADING (1 << 2)  /* CONFIG SET refused while loading a snapshot */
#define CFG_SENSITIVE (1 << 3)     /* value is a secret (requirepass) */
#define CFG_HIDDEN (1 << 4)        /* CONFIG GET patterns skip it; exact name works */
#define CFG_MULTI_ARG (1 << 5)     /* several values on one line (bind, save ...) */
#define CFG_LISTENER (1 << 6)      /* applied by reopening the listening sockets */
#define CFG_INERT (1 << 7)         /* configures a feature ringkv lacks (AOF,
                                      replication): accepted, stored, shown and
                                      rewritten for compatibility, read by
                                      nothing; a non-default value is logged
                                      at start-up */

/* Numeric flags. */
#define NUM_MEMORY (1 << 0)        /* accepts units (1gb, 100mb); refuses negatives */
#define NUM_OCTAL (1 << 1)         /* base 8 in and out (unixsocketperm) */

/* Where a numeric value is stored. */
enum numStorage { ST_INT, ST_UINT, ST_LL, ST_ULL, ST_ULONG, ST_SIZE };

typedef struct configEnum {
    const char *name;
    int value;
} configEnum;

typedef struct configEntry configEntry;
typedef struct rewriteState rewriteState;

typedef struct configType {
    /* Parses argv[0..argc-1] (argc is 1 unless CFG_MULTI_ARG) and stores it.
     * Returns C_OK, or C_ERR with *err set to a static message. */
    int (*set)(const configEntry *e, int argc, char **argv, const char **err);
    rstr (*get)(const configEntry *e);
    void (*rewrite)(const configEntry *e, rewriteState *st);
} configType;

struct configEntry {
    const char *name;
    const char *alias;
    unsigned flags;
    const configType *type;
    const char *deflt;            /* default, as written in redis.conf */
    void *ptr;                    /* value in `server` (NULL for specials) */
    int storage;                  /* numeric: enum numStorage */
    int numflags;                 /* numeric: NUM_* */
    long long min;                /* numeric bounds, inclusive */
    unsigned long long max;
    const configEnum *names;      /* enum */
    int empty_is_null;            /* string: "" stored as NULL */
    void (*post)(void);           /* after any successful store */
    int (*apply)(const char **err); /* CONFIG SET only, after all stores */
    const char *inert_why;        /* CFG_INERT: the missing feature */
};

/* Per-entry runtime state, parallel to configTable. */
typedef struct configRuntime {
    rstr default_value;  /* `get` right after defaults were applied */
} configRuntime;

/* Loading context: the `save` directive accumulates over several lines of a
 * file (the first one replaces the default), while CONFIG SET replaces. */
static int configLoadingFile = 0;
static int configSaveSeenInFile = 0;

/* ------------------------------------------------------------------------
 * Small helpers */

/* Parses a memory amount: decimal digits and an optional unit (b, k, kb,
 * m, mb, g, gb, any case).  No sign, no spaces.  "" means 0, as in Redis.
 * Unlike Redis, an overflowing value is refused rather than wrapped.
 * Returns 1 and stores *out, or 0 on bad syntax or overflow. */
static int configParseMemory(const char *s, unsigned long long *out) {
    const char *p = s;
    unsigned long long v = 0;
    while (*p >= '0' && *p <= '9') {
        unsigned d = (unsigned)(*p - '0');
        if (v > (ULLONG_MAX - d) / 10) return 0;
        v = v * 10 + d;
        p++;
    }
    /* A unit with no digits ("mb") reads as 0, as Redis reads it. */
    unsigned long long mul;
    if (*p == '\0' || !strcasecmp(p, "b")) mul = 1;
    else if (!strcasecmp(p, "k")) mul = 1000ULL;
    else if (!strcasecmp(p, "kb")) mul = 1024ULL;
    else if (!strcasecmp(p, "m")) mul = 1000ULL * 1000;
    else if (!strcasecmp(p, "mb")) mul = 1024ULL * 1024;
    else if (!strcasecmp(p, "g")) mul = 1000ULL * 1000 * 1000;
    else if (!strcasecmp(p, "gb")) mul = 1024ULL * 1024 * 1024;
    else return 0;
    if (v && mul > ULLONG_MAX / v) return 0;
    *out = v * mul;
    return 1;
}

/* Memory value as CONFIG REWRITE writes it: the largest binary unit that
 * divides it exactly, else plain bytes. */
static rstr configFormatMemory(rstr s, unsigned long long v) {
    static const struct {
        unsigned long long size;
        const char *unit;
    } units[] = {{1024ULL * 1024 * 1024, "gb"}, {1024ULL * 1024, "mb"}, {1024ULL, "kb"}};
    for (size_t i = 0; v && i < sizeof(units) / sizeof(units[0]); i++) {
        if (v % units[i].size == 0) return rstrCatPrintf(s, "%llu%s", v / units[i].size, units[i].unit);
    }
    return rstrCatPrintf(s, "%llu", v);
}

/* Splits a CONFIG SET value of a multi-argument directive on single
 * spaces, as Redis does: "" is no argument at all, and doubled spaces give
 * empty arguments (which the directive then refuses). */
static rstr *configSplitValue(const char *value, int *argc) {
    if (value[0] == '\0') {
        *argc = 0;
        return zmalloc(sizeof(rstr));
    }
    return rstrSplitLen(value, (ssize_t)strlen(value), " ", 1, argc);
}

/* ------------------------------------------------------------------------
 * CONFIG REWRITE state (declared early: every type's rewrite uses it).
 *
 * The old file is kept as lines; each line that holds a known directive
 * remembers which table entry it belongs to.  Rewriting a directive reuses
 * its old lines in order, appends what does not fit (under a signature
 * comment), and blanks the old lines it no longer needs.  Lines of
 * directives the table does not know (rename-command, include) are kept. */

#define CONFIG_REWRITE_SIGNATURE "# Generated by CONFIG REWRITE"
/* Owner of the old `user` lines (ACL users: rewriteAclUsers). */
#define REWRITE_OWNER_USER -2

struct rewriteState {
    rstr *lines;
    int *owner;          /* per line: table index, or -1 */
    int numlines;
    int cap;
    unsigned char *done; /* per table entry: rewritten (own lines settled) */
    int has_signature;
};

static void rewriteAppendLine(rewriteState *st, rstr line, int owner);
static void rewriteLine(rewriteState *st, const configEntry *e, rstr line, int force);
static void rewriteMarkDone(rewriteState *st, const configEntry *e);
static int configIsDefault(const configEntry *e);

/* The common case: one line "name <text>", forced when not at default. */
static void rewriteSimple(rewriteState *st, const configEntry *e, const char *text) {
    rstr line = rstrCatPrintf(rstrEmpty(), "%s %s", e->name, text);
    rewriteLine(st, e, line, !configIsDefault(e));
}

/* ------------------------------------------------------------------------
 * bool */

static int boolSet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)argc;
    int v;
    if (!strcasecmp(argv[0], "yes")) v = 1;
    else if (!strcasecmp(argv[0], "no")) v = 0;
    else {
        *err = "argument must be 'yes' or 'no'";
        return C_ERR;
    }
    *(int *)e->ptr = v;
    return C_OK;
}

static rstr boolGet(const configEntry *e) {
    return rstrNew(*(int *)e->ptr ? "yes" : "no");
}

static void boolRewrite(const configEntry *e, rewriteState *st) {
    rewriteSimple(st, e, *(int *)e->ptr ? "yes" : "no");
}

static const configType boolType = {boolSet, boolGet, boolRewrite};

/* ------------------------------------------------------------------------
 * numeric: int, unsigned int, long long, unsigned long long, unsigned
 * long, size_t; optionally memory units or octal. */

static void numStore(const configEntry *e, unsigned long long bits) {
    switch (e->storage) {
    case ST_INT: *(int *)e->ptr = (int)(long long)bits; break;
    case ST_UINT: *(unsigned int *)e->ptr = (unsigned int)bits; break;
    case ST_LL: *(long long *)e->ptr = (long long)bits; break;
    case ST_ULL: *(unsigned long long *)e->ptr = bits; break;
    case ST_ULONG: *(unsigned long *)e->ptr = (unsigned long)bits; break;
    case ST_SIZE: *(size_t *)e->ptr = (size_t)bits; break;
    }
}

static int numIsSigned(const configEntry *e) {
    return e->storage == ST_INT || e->storage == ST_LL;
}

/* The stored value, as raw bits; numIsSigned says how to read them. */
static unsigned long long numLoad(const configEntry *e) {
    switch (e->storage) {
    case ST_INT: return (unsigned long long)(long long)*(int *)e->ptr;
    case ST_UINT: return *(unsigned int *)e->ptr;
    case ST_LL: return (unsigned long long)*(long long *)e->ptr;
    case ST_ULL: return *(unsigned long long *)e->ptr;
    case ST_ULONG: return *(unsigned long *)e->ptr;
    case ST_SIZE: return *(size_t *)e->ptr;
    }
    return 0;
}

static int numSet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)argc;
    static char msg[128];
    const char *s = argv[0];
    unsigned long long u = 0;
    long long v = 0;
    int negative = 0;

    if (e->numflags & NUM_MEMORY) {
        if (!configParseMemory(s, &u)) {
            *err = "argument must be a memory value";
            return C_ERR;
        }
    } else if (e->numflags & NUM_OCTAL) {
        char *end;
        errno = 0;
        v = strtoll(s, &end, 8);
        if (s[0] == '\0' || *end != '\0' || errno == ERANGE) {
            *err = "argument couldn't be parsed as an octal number";
            return C_ERR;
        }
        negative = v < 0;
        u = (unsigned long long)v;
    } else {
        if (!string2ll(s, strlen(s), &v)) {
            *err = "argument couldn't be parsed into an integer";
            return C_ERR;
        }
        negative = v < 0;
        u = (unsigned long long)v;
    }

    /* Bounds: min may be negative (signed directives), max never is. */
    int ok;
    if (negative) ok = v >= e->min;
    else ok = (e->min <= 0 || u >= (unsigned long long)e->min) && u <= e->max;
    if (!ok) {
        if (e->numflags & NUM_OCTAL)
            snprintf(msg, sizeof(msg), "argument must be between %llo and %llo inclusive",
                     (unsigned long long)e->min, e->max);
        else
            snprintf(msg, sizeof(msg), "argument must be between %lld and %llu inclusive", e->min,
                     e->max);
        *err = msg;
        return C_ERR;
    }
    numStore(e, u);
    return C_OK;
}

static rstr numGet(const configEntry *e) {
    unsigned long long bits = numLoad(e);
    if (e->numflags & NUM_OCTAL) return rstrCatPrintf(rstrEmpty(), "%llo", bits);
    if (numIsSigned(e)) return rstrCatPrintf(rstrEmpty(), "%lld", (long long)bits);
    return rstrCatPrintf(rstrEmpty(), "%llu", bits);
}

static void numRewrite(const configEntry *e, rewriteState *st) {
    rstr text;
    if (e->numflags & NUM_MEMORY) text = configFormatMemory(rstrEmpty(), numLoad(e));
    else text = numGet(e);
    rewriteSimple(st, e, text);
    rstrFree(text);
}

static const configType numType = {numSet, numGet, numRewrite};

/* ------------------------------------------------------------------------
 * enum */

static int enumSet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)argc;
    static char msg[256];
    for (const configEnum *n = e->names; n->name; n++) {
        if (!strcasecmp(n->name, argv[0])) {
            *(int *)e->ptr = n->value;
            return C_OK;
        }
    }
    size_t off = (size_t)snprintf(msg, sizeof(msg), "argument(s) must be one of the following: ");
    for (const configEnum *n = e->names; n->name && off < sizeof(msg); n++) {
        off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s%s", n->name, n[1].name ? ", " : "");
    }
    *err = msg;
    return C_ERR;
}

static const char *enumName(const configEnum *names, int value) {
    for (const configEnum *n = names; n->name; n++) {
        if (n->value == value) return n->name;
    }
    return "unknown";
}

static rstr enumGet(const configEntry *e) {
    return rstrNew(enumName(e->names, *(int *)e->ptr));
}

static void enumRewrite(const configEntry *e, rewriteState *st) {
    rewriteSimple(st, e, enumName(e->names, *(int *)e->ptr));
}

static const configType enumType = {enumSet, enumGet, enumRewrite};

/* ------------------------------------------------------------------------
 * string */

static void stringStore(char **slot, const char *value, int empty_is_null) {
    char *old = *slot;
    *slot = (empty_is_null && value[0] == '\0') ? NULL : zstrdup(value);
    zfree(old);
}

static int stringSet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)argc;
    (void)err;
    stringStore((char **)e->ptr, argv[0], e->empty_is_null);
    return C_OK;
}

static rstr stringGet(const configEntry *e) {
    const char *v = *(char **)e->ptr;
    return rstrNew(v ? v : "");
}

/* A NULL string is written nowhere, so that the next start keeps it NULL;
 * its old lines are dropped. */
static void stringRewrite(const configEntry *e, rewriteState *st) {
    const char *v = *(char **)e->ptr;
    if (v == NULL) {
        rewriteMarkDone(st, e);
        return;
    }
    rstr quoted = rstrCatRepr(rstrEmpty(), v, strlen(v));
    rewriteSimple(st, e, quoted);
    rstrFree(quoted);
}

static const configType stringType = {stringSet, stringGet, stringRewrite};

/* dbfilename is a plain name inside `dir`. */
static int dbfilenameSet(const configEntry *e, int argc, char **argv, const char **err) {
    if (!pathIsBaseName(argv[0])) {
        *err = "dbfilename can't be a path, just a filename";
        return C_ERR;
    }
    return stringSet(e, argc, argv, err);
}

static const configType dbfilenameType = {dbfilenameSet, stringGet, stringRewrite};

/* ------------------------------------------------------------------------
 * Special directives */

/* bind: up to CONFIG_BINDADDR_MAX addresses ("-" prefix: optional). */
static int bindSet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)e;
    if (argc > CONFIG_BINDADDR_MAX) {
        *err = "Too many bind addresses specified.";
        return C_ERR;
    }
    for (int i = 0; i < server.bindaddr_count; i++) {
        zfree(server.bindaddr[i]);
        server.bindaddr[i] = NULL;
    }
    for (int i = 0; i < argc; i++) server.bindaddr[i] = zstrdup(argv[i]);
    server.bindaddr_count = argc;
    return C_OK;
}

static rstr bindGet(const configEntry *e) {
    (void)e;
    rstr s = rstrEmpty();
    for (int i = 0; i < server.bindaddr_count; i++) {
        if (i) s = rstrCat(s, " ");
        s = rstrCat(s, server.bindaddr[i]);
    }
    return s;
}

static void bindRewrite(const configEntry *e, rewriteState *st) {
    rstr v = bindGet(e);
    rewriteSimple(st, e, v);
    rstrFree(v);
}

static const configType bindType = {bindSet, bindGet, bindRewrite};

/* save: pairs "<seconds> <changes>"; no argument (or "") means never. */
static int saveSet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)e;
    if (argc == 1 && argv[0][0] == '\0') argc = 0;
    if (argc % 2) {
        *err = "Invalid save parameters";
        return C_ERR;
    }
    for (int i = 0; i < argc; i++) {
        char *end;
        errno = 0;
        long long v = strtoll(argv[i], &end, 10);
        if (argv[i][0] == '\0' || *end != '\0' || v < 0 || errno == ERANGE ||
            (i % 2 == 1 && v > INT_MAX)) {
            *err = "Invalid save parameters";
            return C_ERR;
        }
    }
    /* In a file, successive save lines add up; the first replaces the
     * default.  Anywhere else the value replaces the list. */
    int append = configLoadingFile && configSaveSeenInFile;
    if (configLoadingFile) configSaveSeenInFile = 1;
    if (!append) {
        zfree(server.saveparams);
        server.saveparams = NULL;
        server.saveparamslen = 0;
    }
    if (argc) {
        server.saveparams = zrealloc(server.saveparams, sizeof(struct saveparam) *
                                                            (size_t)(server.saveparamslen + argc / 2));
        for (int i = 0; i < argc; i += 2) {
            struct saveparam *sp = &server.saveparams[server.saveparamslen++];
            sp->seconds = (time_t)strtoll(argv[i], NULL, 10);
            sp->changes = (int)strtoll(argv[i + 1], NULL, 10);
        }
    }
    return C_OK;
}

static rstr saveGet(const configEntry *e) {
    (void)e;
    rstr s = rstrEmpty();
    for (int i = 0; i < server.saveparamslen; i++) {
        s = rstrCatPrintf(s, "%s%lld %d", i ? " " : "", (long long)server.saveparams[i].seconds,
                          server.saveparams[i].changes);
    }
    return s;
}

/* Always written: with no line at all the next start would use the
 * default points instead of "never". */
static void saveRewrite(const configEntry *e, rewriteState *st) {
    if (server.saveparamslen == 0) rewriteLine(st, e, rstrNew("save \"\""), 1);
    for (int i = 0; i < server.saveparamslen; i++) {
        rstr line = rstrCatPrintf(rstrEmpty(), "save %lld %d", (long long)server.saveparams[i].seconds,
                                  server.saveparams[i].changes);
        rewriteLine(st, e, line, 1);
    }
    rewriteMarkDone(st, e);
}

static const configType saveType = {saveSet, saveGet, saveRewrite};

/* client-output-buffer-limit: groups "<class> <hard> <soft> <seconds>";
 * only the classes named change.  Shown with Redis's class names. */
static const char *obufClassNames[CLIENT_TYPE_OBUF_COUNT] = {"normal", "slave", "pubsub"};

static int obufClassByName(const char *name) {
    if (!strcasecmp(name, "normal")) return CLIENT_TYPE_NORMAL;
    if (!strcasecmp(name, "slave") || !strcasecmp(name, "replica")) return CLIENT_TYPE_REPLICA;
    if (!strcasecmp(name, "pubsub")) return CLIENT_TYPE_PUBSUB;
    return -1;
}

static int obufSet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)e;
    if (argc % 4) {
        *err = "Wrong number of arguments in buffer limit configuration.";
        return C_ERR;
    }
    clientBufferLimitsConfig next[CLIENT_TYPE_OBUF_COUNT];
    memcpy(next, server.client_obuf_limits, sizeof(next));
    for (int i = 0; i < argc; i += 4) {
        int cls = obufClassByName(argv[i]);
        if (cls == -1) {
            *err = "Invalid client class specified in buffer limit configuration.";
            return C_ERR;
        }
        unsigned long long hard, soft;
        long long secs;
        if (!configParseMemory(argv[i + 1], &hard) || !configParseMemory(argv[i + 2], &soft) ||
            !string2ll(argv[i + 3], strlen(argv[i + 3]), &secs) || secs < 0) {
            *err = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
            return C_ERR;
        }
        next[cls].hard_limit_bytes = hard;
        next[cls].soft_limit_bytes = soft;
        next[cls].soft_limit_seconds = (time_t)secs;
    }
    memcpy(server.client_obuf_limits, next, sizeof(next));
    return C_OK;
}

static rstr obufGet(const configEntry *e) {
    (void)e;
    rstr s = rstrEmpty();
    for (int j = 0; j < CLIENT_TYPE_OBUF_COUNT; j++) {
        const clientBufferLimitsConfig *l = &server.client_obuf_limits[j];
        s = rstrCatPrintf(s, "%s%s %llu %llu %lld", j ? " " : "", obufClassNames[j], l->hard_limit_bytes,
                          l->soft_limit_bytes, (long long)l->soft_limit_seconds);
    }
    return s;
}

/* The defaults, per class, to decide which class lines must be written. */
static clientBufferLimitsConfig obufDefaults[CLIENT_TYPE_OBUF_COUNT];

static void obufRewrite(const configEntry *e, rewriteState *st) {
    for (int j = 0; j < CLIENT_TYPE_OBUF_COUNT; j++) {
        const clientBufferLimitsConfig *l = &server.client_obuf_limits[j];
        const clientBufferLimitsConfig *d = &obufDefaults[j];
        int force = l->hard_limit_bytes != d->hard_limit_bytes ||
                    l->soft_limit_bytes != d->soft_limit_bytes ||
                    l->soft_limit_seconds != d->soft_limit_seconds;
        rstr line = rstrCatPrintf(rstrEmpty(), "%s %s ", e->name, obufClassNames[j]);
        line = configFormatMemory(line, l->hard_limit_bytes);
        line = rstrCat(line, " ");
        line = configFormatMemory(line, l->soft_limit_bytes);
        line = rstrCatPrintf(line, " %lld", (long long)l->soft_limit_seconds);
        rewriteLine(st, e, line, force);
    }
    rewriteMarkDone(st, e);
}

static const configType obufType = {obufSet, obufGet, obufRewrite};

/* dir: changes the working directory at once (snapshots are written
 * relative to it).  CONFIG GET shows the absolute working directory. */
static int dirSet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)e;
    (void)argc;
    if (chdir(argv[0]) == -1) {
        *err = strerror(errno);
        return C_ERR;
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) != NULL) stringStore(&server.dir, cwd, 0);
    return C_OK;
}

static rstr dirGet(const configEntry *e) {
    (void)e;
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == NULL) return rstrNew(server.dir ? server.dir : "");
    return rstrNew(cwd);
}

/* Always written, as Redis does: a relative config file would otherwise
 * depend on where the server is started from. */
static void dirRewrite(const configEntry *e, rewriteState *st) {
    rstr cwd = dirGet(e);
    rstr line = rstrCatRepr(rstrCatPrintf(rstrEmpty(), "%s ", e->name), cwd, rstrLen(cwd));
    rewriteLine(st, e, line, 1);
    rstrFree(cwd);
}

static const configType dirType = {dirSet, dirGet, dirRewrite};

/* appendonly: ringkv has no append-only file.  The directive exists so
 * that clients and tools asking for it get "no", and so that a config
 * file or a client asking for "yes" fails loudly. */
static int appendonlySet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)e;
    (void)argc;
    if (!strcasecmp(argv[0], "no")) return C_OK;
    if (!strcasecmp(argv[0], "yes"))
        *err = "ringkv has no append-only file: only 'appendonly no' is supported";
    else
        *err = "argument must be 'yes' or 'no'";
    return C_ERR;
}

static rstr appendonlyGet(const configEntry *e) {
    (void)e;
    return rstrNew("no");
}

static void appendonlyRewrite(const configEntry *e, rewriteState *st) {
    rewriteSimple(st, e, "no");
}

static const configType appendonlyType = {appendonlySet, appendonlyGet, appendonlyRewrite};

/* event-backend (ringkv only): which readiness API the event loop uses.
 * Accepts the backends compiled into this build.  CONFIG GET answers with
 * the backend actually in use once the loop exists. */
static int backendSet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)e;
    (void)argc;
    static char msg[160];
    static const char *all[] = {"epoll", "kqueue", "poll", "select"};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (!strcasecmp(argv[0], all[i]) && aeBackendAvailable(all[i])) {
            stringStore(&server.event_backend, all[i], 0);
            return C_OK;
        }
    }
    size_t off = (size_t)snprintf(msg, sizeof(msg), "argument(s) must be one of the following: ");
    const char *sep = "";
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (!aeBackendAvailable(all[i])) continue;
        off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s%s", sep, all[i]);
        sep = ", ";
        if (off >= sizeof(msg)) break;
    }
    *err = msg;
    return C_ERR;
}

static rstr backendGet(const configEntry *e) {
    (void)e;
    if (server.el) return rstrNew(aeGetApiName(server.el));
    return rstrNew(server.event_backend ? server.event_backend : aeDefaultBackend());
}

static void backendRewrite(const configEntry *e, rewriteState *st) {
    if (server.event_backend == NULL) {
        rewriteMarkDone(st, e);
        return;
    }
    rewriteSimple(st, e, server.event_backend);
}

static const configType backendType = {backendSet, backendGet, backendRewrite};

/* ------------------------------------------------------------------------
 * Storage for directives without a field in `server` */

struct serverSettings serverCfg;

/* Directives of features ringkv does not have (AOF, replication).  They are
 * parsed with Redis's types and bounds, shown and rewritten, and nothing
 * reads them: see CFG_INERT. */
static struct {
    int aof_load_truncated;
    int aof_rewrite_incremental_fsync;
    int aof_timestamp_enabled;
    int aof_use_rdb_preamble;
    char *appenddirname;
    char *appendfilename;
    int appendfsync;
    long long auto_aof_rewrite_min_size;
    int auto_aof_rewrite_percentage;
    int no_appendfsync_on_rewrite;
    int rdb_del_sync_files;
    int repl_disable_tcp_nodelay;
    int repl_diskless_load;
    int repl_diskless_sync;
    int repl_diskless_sync_delay;
    int repl_diskless_sync_max_replicas;
    int replica_lazy_flush;
    int replica_priority;
    int replica_read_only;
    int replica_serve_stale_data;
} inertCfg;

/* appendfilename / appenddirname: plain names, as Redis requires. */
static int aofNameCheck(const configEntry *e, const char *v, const char *what, const char **err) {
    static char msg[96];
    if (v[0] == '\0') {
        snprintf(msg, sizeof(msg), "%s can't be empty", e->name);
        *err = msg;
        return C_ERR;
    }
    if (!pathIsBaseName(v)) {
        snprintf(msg, sizeof(msg), "%s can't be a path, just a %s", e->name, what);
        *err = msg;
        return C_ERR;
    }
    return C_OK;
}

static int appendfilenameSet(const configEntry *e, int argc, char **argv, const char **err) {
    if (aofNameCheck(e, argv[0], "filename", err) != C_OK) return C_ERR;
    return stringSet(e, argc, argv, err);
}

static int appenddirnameSet(const configEntry *e, int argc, char **argv, const char **err) {
    if (aofNameCheck(e, argv[0], "dirname", err) != C_OK) return C_ERR;
    return stringSet(e, argc, argv, err);
}

static const configType appendfilenameType = {appendfilenameSet, stringGet, stringRewrite};
static const configType appenddirnameType = {appenddirnameSet, stringGet, stringRewrite};

/* notify-keyspace-events: Redis's class letters, stored as NOTIFY_* bits.
 * "A" stands for every data class (not m, key-miss, nor n, new-key), and
 * CONFIG GET prints "A" when all of them are set, then the other letters in
 * Redis's order (with "A", "n" is not printed: Redis 7.0 drops it there
 * too).  notify.c reads the bits on every event. */
#define NOTIFY_ALL_CLASSES                                                                  \
    (NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET | \
     NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE)

static const struct {
    char letter;
    int flag;
} notifyLetters[] = {{'g', NOTIFY_GENERIC}, {'$', NOTIFY_STRING}, {'l', NOTIFY_LIST},
                     {'s', NOTIFY_SET},     {'h', NOTIFY_HASH},   {'z', NOTIFY_ZSET},
                     {'x', NOTIFY_EXPIRED}, {'e', NOTIFY_EVICTED}, {'t', NOTIFY_STREAM},
                     {'d', NOTIFY_MODULE},  {'n', NOTIFY_NEW}};

static int notifySet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)e;
    (void)argc;
    int flags = 0;
    for (const char *p = argv[0]; *p; p++) {
        int f = 0;
        switch (*p) {
        case 'A': f = NOTIFY_ALL_CLASSES; break;
        case 'K': f = NOTIFY_KEYSPACE; break;
        case 'E': f = NOTIFY_KEYEVENT; break;
        case 'm': f = NOTIFY_KEY_MISS; break;
        default:
            for (size_t i = 0; i < sizeof(notifyLetters) / sizeof(notifyLetters[0]); i++) {
                if (notifyLetters[i].letter == *p) f = notifyLetters[i].flag;
            }
        }
        if (f == 0) {
            *err = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
            return C_ERR;
        }
        flags |= f;
    }
    serverCfg.notify_keyspace_events = flags;
    return C_OK;
}

static rstr notifyGet(const configEntry *e) {
    (void)e;
    int flags = serverCfg.notify_keyspace_events;
    rstr s = rstrEmpty();
    if ((flags & NOTIFY_ALL_CLASSES) == NOTIFY_ALL_CLASSES) {
        s = rstrCat(s, "A");
    } else {
        for (size_t i = 0; i < sizeof(notifyLetters) / sizeof(notifyLetters[0]); i++) {
            if (flags & notifyLetters[i].flag) s = rstrCatLen(s, &notifyLetters[i].letter, 1);
        }
    }
    if (flags & NOTIFY_KEYSPACE) s = rstrCat(s, "K");
    if (flags & NOTIFY_KEYEVENT) s = rstrCat(s, "E");
    if (flags & NOTIFY_KEY_MISS) s = rstrCat(s, "m");
    return s;
}

static void notifyRewrite(const configEntry *e, rewriteState *st) {
    rstr v = notifyGet(e);
    rstr quoted = rstrCatRepr(rstrEmpty(), v, rstrLen(v));
    rewriteSimple(st, e, quoted);
    rstrFree(quoted);
    rstrFree(v);
}

static const configType notifyType = {notifySet, notifyGet, notifyRewrite};

/* oom-score-adj-values: one value per process class (master, replica,
 * background child), each within [-2000, 2000] as in Redis. */
static int oomValuesSet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)e;
    int vals[CONFIG_OOM_COUNT];
    if (argc != CONFIG_OOM_COUNT) {
        *err = "wrong number of arguments";
        return C_ERR;
    }
    for (int i = 0; i < argc; i++) {
        long long v;
        if (!string2ll(argv[i], strlen(argv[i]), &v) || v < -2000 || v > 2000) {
            *err = "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
            return C_ERR;
        }
        vals[i] = (int)v;
    }
    memcpy(serverCfg.oom_score_adj_values, vals, sizeof(vals));
    return C_OK;
}

static rstr oomValuesGet(const configEntry *e) {
    (void)e;
    const int *v = serverCfg.oom_score_adj_values;
    return rstrCatPrintf(rstrEmpty(), "%d %d %d", v[0], v[1], v[2]);
}

static void oomValuesRewrite(const configEntry *e, rewriteState *st) {
    rstr v = oomValuesGet(e);
    rewriteSimple(st, e, v);
    rstrFree(v);
}

static const configType oomValuesType = {oomValuesSet, oomValuesGet, oomValuesRewrite};

/* latency-tracking-info-percentiles: a list of numbers kept by latency.c.
 * The empty list is rewritten as `""`, or the default would come back. */
static int percentilesSet(const configEntry *e, int argc, char **argv, const char **err) {
    (void)e;
    return latencySetPercentilesConfig(argc, argv, err);
}

static rstr percentilesGet(const configEntry *e) {
    (void)e;
    return latencyGetPercentilesConfig();
}

static void percentilesRewrite(const configEntry *e, rewriteState *st) {
    rstr v = percentilesGet(e);
    rewriteSimple(st, e, rstrLen(v) ? v : "\"\"");
    rstrFree(v);
}

static const configType percentilesType = {percentilesSet, percentilesGet, percentilesRewrite};

/* proc-title-template: "{name}" placeholders, "{{" for a literal brace.
 * Expands into a new rstr, or returns NULL on an unknown placeholder or an
 * unterminated one.  `title` stands for {title}. */
static rstr procTitleExpand(const char *tpl, const char *title) {
    rstr out = rstrEmpty();
    const char *p = tpl;
    while (*p) {
        const char *open = strchr(p, '{');
        if (open == NULL) {
            out = rstrCat(out, p);
            break;
        }
        out = rstrCatLen(out, p, (size_t)(open - p));
        if (open[1] == '{') {
            out = rstrCat(out, "{");
            p = open + 2;
            continue;
        }
        const char *close = strchr(open + 1, '}');
        if (close == NULL) goto bad;
        size_t len = (size_t)(close - open - 1);
        const char *name = open + 1;
#define IS_VAR(lit) (len == sizeof(lit) - 1 && !memcmp(name, lit, len))
        if (IS_VAR("title")) {
            out = rstrCat(out, title);
        } else if (IS_VAR("listen-addr")) {
            if (server.port)
                out = rstrCatPrintf(out, "%s:%d", server.bindaddr_count ? server.bindaddr[0] : "*",
                                    server.port);
            else
                out = rstrCat(out, server.unixsocket ? server.unixsocket : "");
        } else if (IS_VAR("server-mode")) {
            /* Neither cluster nor sentinel: nothing to show. */
        } else if (IS_VAR("port")) {
            out = rstrCatPrintf(out, "%d", server.port);
        } else if (IS_VAR("tls-port")) {
            out = rstrCat(out, "0");
        } else if (IS_VAR("unixsocket")) {
            out = rstrCat(out, server.unixsocket ? server.unixsocket : "");
        } else if (IS_VAR("config-file")) {
            out = rstrCat(out, server.configfile ? server.configfile : "");
        } else {
            goto bad;
        }
#undef IS_VAR
        p = close + 1;
    }
    return rstrTrim(out, " ");
bad:
    rstrFree(out);
    return NULL;
}

/* Valid when it expands, with an empty {title}, to something not blank. */
static int procTitleTemplateSet(const configEntry *e, int argc, char **argv, const char **err) {
    rstr probe = procTitleExpand(argv[0], "");
    int ok = probe && rstrLen(probe) > 0;
    rstrFree(probe);
    if (!ok) {
        *err = "template format is invalid or contains unknown variables";
        return C_ERR;
    }
    return stringSet(e, argc, argv, err);
}

static const configType procTitleTemplateType = {procTitleTemplateSet, stringGet, stringRewrite};

/* ------------------------------------------------------------------------
 * Process-level settings */

/* The process title lives where the kernel reads /proc/PID/cmdline: the
 * argv strings.  They are contiguous from argv[0]; the title is written
 * over that area (truncated to it) and the rest is zeroed, which is what
 * ps shows.  Redis does the same and leaves the thread name (comm) alone,
 * so `pidof` and `killall` keep finding the binary by its name. */
static char *procTitleArea = NULL;
static size_t procTitleAreaLen = 0;
static char *procTitleName = NULL; /* argv[0] as started: {title} */

static void procTitleInitArea(void) {
    if (procTitleName || server.exec_argv == NULL || server.exec_argv[0] == NULL) return;
    char **argv = server.exec_argv;
    procTitleName = zstrdup(argv[0]);
    char *end = argv[0] + strlen(argv[0]);
    for (int i = 1; argv[i] && argv[i] == end + 1; i++) end = argv[i] + strlen(argv[i]);
    procTitleArea = argv[0];
    procTitleAreaLen = (size_t)(end - argv[0]); /* without the final NUL */
}

int configUpdateProcTitle(void) {
    if (!server.set_proc_title) return C_OK;
    procTitleInitArea();
    if (procTitleArea == NULL) return C_ERR;
    rstr title = procTitleExpand(serverCfg.proc_title_template, procTitleName);
    if (title == NULL) return C_ERR;
    size_t n = rstrLen(title);
    if (n > procTitleAreaLen) n = procTitleAreaLen;
    memcpy(procTitleArea, title, n);
    memset(procTitleArea + n, 0, procTitleAreaLen + 1 - n);
    rstrFree(title);
    return C_OK;
}

/* Provided by zmalloc.c: switches jemalloc's background purging thread;
 * 0, or -1 when the allocator has none.  (Prototype kept here until
 * zmalloc.h declares it.) */

/* The OOM-killer score.  The value the process started with is the base
 * for "relative", and is put back when oom-score-adj returns to "no". */
static int oomBase = 0;
static int oomAdjusted = 0;

static int configSetOomScoreAdj(void) {
    int val;
    if (serverCfg.oom_score_adj != OOM_SCORE_ADJ_NO) {
        if (!oomAdjusted) {
            FILE *fp = fopen("/proc/self/oom_score_adj", "r");
            if (fp == NULL || fscanf(fp, "%d", &oomBase) != 1) {
                if (fp) fclose(fp);
                serverLog(LL_WARNING, "Unable to read oom_score_adj: %s", strerror(errno));
                return C_ERR;
            }
            fclose(fp);
            oomAdjusted = 1;
        }
        /* Only the master class applies: ringkv has no replication, and no
         * child process ever outlives a snapshot on its own. */
        val = serverCfg.oom_score_adj_values[CONFIG_OOM_MASTER];
        if (serverCfg.oom_score_adj != OOM_SCORE_ADJ_ABSOLUTE) val += oomBase;
        if (val > 1000) val = 1000;
        if (val < -1000) val = -1000;
    } else if (oomAdjusted) {
        oomAdjusted = 0;
        val = oomBase;
    } else {
        return C_OK;
    }
    int fd = open("/proc/self/oom_score_adj", O_WRONLY);
    char buf[32];
    int len = snprintf(buf, sizeof(buf), "%d\n", val);
    if (fd == -1 || write(fd, buf, (size_t)len) != len) {
        serverLog(LL_WARNING, "Unable to write oom_score_adj: %s", strerror(errno));
        if (fd != -1) close(fd);
        return C_ERR;
    }
    close(fd);
    return C_OK;
}

static int oomApply(const char **err) {
    if (configSetOomScoreAdj() == C_OK) return C_OK;
    *err = "Failed to set current oom_score_adj. Check server logs.";
    return C_ERR;
}

static int jemallocBgThreadApply(const char **err) {
    (void)err;
    /* As in Redis, an allocator without the thread is not an error. */
    if (zmallocSetBackgroundThread(serverCfg.jemalloc_bg_thread) != 0)
        serverLog(LL_NOTICE, "jemalloc-bg-thread: the allocator has no background thread");
    return C_OK;
}

/* maxmemory: evict towards a lowered limit now, not at the next command. */
static int maxmemoryApply(const char **err) {
    (void)err;
    evictConfigChanged();
    return C_OK;
}

static int busyPollApply(const char **err) {
    (void)err;
    if (server.el) aeSetBusyPoll(server.el, server.busy_poll_us);
    return C_OK;
}

static int procTitleApply(const char **err) {
    if (configUpdateProcTitle() == C_OK) return C_OK;
    *err = "failed to set process title";
    return C_ERR;
}

/* ------------------------------------------------------------------------
 * Hooks */

/* hz: any non-negative value is accepted and clamped, as Redis does. */
static void hzPost(void) {
    if (server.config_hz < CONFIG_MIN_HZ) server.config_hz = CONFIG_MIN_HZ;
    if (server.config_hz > CONFIG_MAX_HZ) server.config_hz = CONFIG_MAX_HZ;
    server.hz = server.config_hz;
}

static int maxclientsApply(const char **err) {
    static char msg[128];
    if (serverApplyMaxclients() == C_OK) return C_OK;
    snprintf(msg, sizeof(msg),
             "The operating system is not able to handle the specified number of clients, try with %u",
             server.maxclients);
    *err = msg;
    return C_ERR;
}

static int bindApply(const char **err) {
    if (serverApplyListeners() == C_OK) return C_OK;
    *err = "Failed to bind to specified addresses.";
    return C_ERR;
}

static int portApply(const char **err) {
    if (serverApplyListeners() == C_OK) return C_OK;
    *err = "Unable to listen on this port";
    return C_ERR;
}

/* ------------------------------------------------------------------------
 * The table */

static const configEnum loglevelNames[] = {
    {"debug", LL_DEBUG}, {"verbose", LL_VERBOSE}, {"notice", LL_NOTICE}, {"warning", LL_WARNING}, {NULL, 0}};

static const configEnum maxmemoryPolicyNames[] = {
    {"volatile-lru", MAXMEMORY_VOLATILE_LRU},     {"volatile-lfu", MAXMEMORY_VOLATILE_LFU},
    {"volatile-random", MAXMEMORY_VOLATILE_RANDOM}, {"volatile-ttl", MAXMEMORY_VOLATILE_TTL},
    {"allkeys-lru", MAXMEMORY_ALLKEYS_LRU},       {"allkeys-lfu", MAXMEMORY_ALLKEYS_LFU},
    {"allkeys-random", MAXMEMORY_ALLKEYS_RANDOM}, {"noeviction", MAXMEMORY_NO_EVICTION},
    {NULL, 0}};

/* snapshot-io: the asynchronous I/O engine of snapshots (sio.h).  "sync"
 * exists in sio for tests only: it makes the loop wait on the disk, so it is
 * not offered here. */
static const configEnum snapshotIoNames[] = {{"auto", SIO_ENGINE_AUTO},
                                             {"io_uring", SIO_ENGINE_IO_URING},
                                             {"aio", SIO_ENGINE_AIO},
                                             {NULL, 0}};

static const configEnum supervisedNames[] = {{"upstart", SUPERVISED_UPSTART},
                                             {"systemd", SUPERVISED_SYSTEMD},
                                             {"auto", SUPERVISED_AUTODETECT},
                                             {"no", SUPERVISED_NONE},
                                             {NULL, 0}};

/* acl-pubsub-default: the channels a new ACL user starts with. */
static const configEnum aclPubsubDefaultNames[] = {{"allchannels", 1}, {"resetchannels", 0}, {NULL, 0}};

static const configEnum protectedActionNames[] = {{"no", PROTECTED_ACTION_ALLOWED_NO},
                                                  {"yes", PROTECTED_ACTION_ALLOWED_YES},
                                                  {"local", PROTECTED_ACTION_ALLOWED_LOCAL},
                                                  {NULL, 0}};

static const configEnum oomScoreAdjNames[] = {{"no", OOM_SCORE_ADJ_NO},
                                              {"yes", OOM_SCORE_ADJ_YES},
                                              {"relative", OOM_SCORE_ADJ_RELATIVE},
                                              {"absolute", OOM_SCORE_ADJ_ABSOLUTE},
                                              {NULL, 0}};

/* appendfsync and repl-diskless-load: the values only matter for the
 * names CONFIG GET shows and the order the error lists them in. */
static const configEnum appendfsyncNames[] = {{"everysec", 1}, {"always", 0}, {"no", 2}, {NULL, 0}};

static const configEnum replDisklessLoadNames[] = {
    {"disabled", 0}, {"on-empty-db", 1}, {"swapdb", 2}, {NULL, 0}};

/* Rows whose value is not in `server` (P: any pointer). */
#define BOOLP(n, al, fl, p, def) \
    {.name = n, .alias = al, .flags = fl, .type = &boolType, .deflt = def, .ptr = p}
#define NUMP(n, fl, st, nf, p, lo, hi, def)                                                    \
    {.name = n, .flags = fl, .type = &numType, .deflt = def, .ptr = p, .storage = st, .numflags = nf, \
     .min = lo, .max = hi}
/* Inert rows: AOF and replication directives. */
#define AOF_BOOL(n, field, def) \
    {.name = n, .flags = CFG_INERT, .type = &boolType, .deflt = def, .ptr = &inertCfg.field, \
     .inert_why = "AOF"}
#define REPL_BOOL(n, al, field, def) \
    {.name = n, .alias = al, .flags = CFG_INERT, .type = &boolType, .deflt = def, \
     .ptr = &inertCfg.field, .inert_why = "replication"}
#define REPL_INT(n, al, field, def)                                                              \
    {.name = n, .alias = al, .flags = CFG_INERT, .type = &numType, .deflt = def,                  \
     .ptr = &inertCfg.field, .storage = ST_INT, .min = 0, .max = MAX_INT, .inert_why = "replication"}

#define BOOL(n, fl, field, def) \
    {.name = n, .flags = fl, .type = &boolType, .deflt = def, .ptr = &server.field}
#define NUM(n, al, fl, st, nf, field, lo, hi, def)                                            \
    {.name = n, .alias = al, .flags = fl, .type = &numType, .deflt = def, .ptr = &server.field, \
     .storage = st, .numflags = nf, .min = lo, .max = hi}
#define ENUM(n, fl, field, nm, def) \
    {.name = n, .flags = fl, .type = &enumType, .deflt = def, .ptr = &server.field, .names = nm}
#define STR(n, fl, field, null, def)                                                         \
    {.name = n, .flags = fl, .type = &stringType, .deflt = def, .ptr = &server.field,         \
     .empty_is_null = null}
#define SPECIAL(n, fl, ty, def) {.name = n, .flags = fl, .type = &ty, .deflt = def}

#define MAX_INT ((unsigned long long)INT_MAX)
#define MB (1024LL * 1024)

static configEntry configTable[] = {
    /* network */
    {.name = "port", .flags = CFG_LISTENER, .type = &numType, .deflt = "6379", .ptr = &server.port,
     .storage = ST_INT, .min = 0, .max = 65535, .apply = portApply},
    {.name = "bind", .flags = CFG_MULTI_ARG | CFG_LISTENER, .type = &bindType,
     .deflt = "127.0.0.1 -::1", .apply = bindApply},
    STR("unixsocket", CFG_IMMUTABLE, unixsocket, 1, ""),
    NUM("unixsocketperm", NULL, CFG_IMMUTABLE, ST_UINT, NUM_OCTAL, unixsocketperm, 0, 0777, "0"),
    NUM("tcp-backlog", NULL, CFG_IMMUTABLE, ST_INT, 0, tcp_backlog, 0, MAX_INT, "511"),
    NUM("tcp-keepalive", NULL, 0, ST_INT, 0, tcpkeepalive, 0, MAX_INT, "300"),
    NUM("timeout", NULL, 0, ST_INT, 0, maxidletime, 0, MAX_INT, "0"),
    BOOL("protected-mode", 0, protected_mode, "yes"),
    SPECIAL("event-backend", CFG_IMMUTABLE, backendType, NULL),
    /* clients and protocol */
    {.name = "maxclients", .type = &numType, .deflt = "10000", .ptr = &server.maxclients,
     .storage = ST_UINT, .min = 1, .max = UINT_MAX, .apply = maxclientsApply},
    NUM("proto-max-bulk-len", NULL, 0, ST_LL, NUM_MEMORY, proto_max_bulk_len, MB, LLONG_MAX, "512mb"),
    NUM("client-query-buffer-limit", NULL, 0, ST_ULL, NUM_MEMORY, client_max_querybuf_len, MB,
        LONG_MAX, "1gb"),
    SPECIAL("client-output-buffer-limit", CFG_MULTI_ARG, obufType,
            "normal 0 0 0 slave 256mb 64mb 60 pubsub 32mb 8mb 60"),
    /* general */
    NUM("databases", NULL, CFG_IMMUTABLE, ST_INT, 0, dbnum, 1, MAX_INT, "16"),
    ENUM("loglevel", 0, verbosity, loglevelNames, "notice"),
    STR("logfile", CFG_IMMUTABLE, logfile, 0, ""),
    BOOL("daemonize", CFG_IMMUTABLE, daemonize, "no"),
    STR("pidfile", CFG_IMMUTABLE, pidfile, 1, ""),
    ENUM("supervised", CFG_IMMUTABLE, supervised, supervisedNames, "no"),
    BOOL("always-show-logo", CFG_IMMUTABLE, always_show_logo, "no"),
    BOOL("set-proc-title", CFG_IMMUTABLE, set_proc_title, "yes"),
    {.name = "proc-title-template", .type = &procTitleTemplateType,
     .deflt = "{title} {listen-addr} {server-mode}", .ptr = &serverCfg.proc_title_template,
     .apply = procTitleApply},
    BOOL("syslog-enabled", CFG_IMMUTABLE, syslog_enabled, "no"),
    STR("syslog-ident", CFG_IMMUTABLE, syslog_ident, 0, "redis"),
    {.name = "hz", .type = &numType, .deflt = "10", .ptr = &server.config_hz, .storage = ST_INT,
     .min = 0, .max = MAX_INT, .post = hzPost},
    BOOL("dynamic-hz", 0, dynamic_hz, "yes"),
    NUM("active-expire-effort", NULL, 0, ST_INT, 0, active_expire_effort, 1, 10, "1"),
    /* security */
    /* requirepass is the default user's password (acl.c). */
    {.name = "requirepass", .flags = CFG_SENSITIVE, .type = &stringType, .deflt = "",
     .ptr = &server.requirepass, .empty_is_null = 1, .apply = aclRequirepassApply},
    {.name = "aclfile", .flags = CFG_IMMUTABLE, .type = &stringType, .deflt = "", .ptr = &aclCfg.aclfile,
     .empty_is_null = 1},
    {.name = "acl-pubsub-default", .type = &enumType, .deflt = "resetchannels",
     .ptr = &aclCfg.pubsub_default_all, .names = aclPubsubDefaultNames},
    ENUM("enable-protected-configs", CFG_IMMUTABLE, enable_protected_configs, protectedActionNames, "no"),
    ENUM("enable-debug-command", CFG_IMMUTABLE, enable_debug_cmd, protectedActionNames, "no"),
    ENUM("enable-module-command", CFG_IMMUTABLE, enable_module_cmd, protectedActionNames, "no"),
    /* snapshots */
    SPECIAL("dir", CFG_PROTECTED | CFG_DENY_LOADING, dirType, "."),
    {.name = "dbfilename", .flags = CFG_PROTECTED, .type = &dbfilenameType, .deflt = "dump.rdb",
     .ptr = &server.rdb_filename},
    SPECIAL("save", CFG_MULTI_ARG, saveType, "3600 1 300 100 60 10000"),
    BOOL("rdbcompression", 0, rdb_compression, "yes"),
    BOOL("rdbchecksum", CFG_IMMUTABLE, rdb_checksum, "yes"),
    BOOL("stop-writes-on-bgsave-error", 0, stop_writes_on_bgsave_err, "yes"),
    SPECIAL("appendonly", 0, appendonlyType, "no"),
    ENUM("snapshot-io", CFG_IMMUTABLE, snapshot_io, snapshotIoNames, "auto"),
    NUM("snapshot-slice-us", NULL, 0, ST_LL, 0, snapshot_slice_us, 20, 1000000, "100"),
    /* Pieces of a big value per slice step (snapshot.c, rdb_chunked.c). */
    NUM("snapshot-chunk-bytes", NULL, 0, ST_LL, NUM_MEMORY, snapshot_chunk_bytes, 64, 512LL * 1024 * 1024, "64kb"),
    /* O_DIRECT snapshot writes: no page-cache copy on our CPU (snapshot.c). */
    BOOL("snapshot-direct-io", 0, snapshot_direct_io, "yes"),
    /* fsync every 32 MB while writing a snapshot (snapshot.c). */
    BOOLP("rdb-save-incremental-fsync", NULL, 0, &serverCfg.rdb_save_incremental_fsync, "yes"),
    /* event loop: spin before sleeping while busy (ae.c) */
    {.name = "busy-poll-us", .type = &numType, .deflt = "20", .ptr = &server.busy_poll_us, .storage = ST_LL,
     .min = 0, .max = 1000000, .apply = busyPollApply},
    /* memory */
    {.name = "maxmemory", .type = &numType, .deflt = "0", .ptr = &server.maxmemory, .storage = ST_ULL,
     .numflags = NUM_MEMORY, .min = 0, .max = ULLONG_MAX, .apply = maxmemoryApply},
    ENUM("maxmemory-policy", 0, maxmemory_policy, maxmemoryPolicyNames, "noeviction"),
    NUM("maxmemory-samples", NULL, 0, ST_INT, 0, maxmemory_samples, 1, MAX_INT, "5"),
    /* eviction tuning (evict.c owns the storage) */
    NUMP("maxmemory-eviction-tenacity", 0, ST_INT, 0, &evictCfg.tenacity, 0, 100, "10"),
    NUMP("lfu-log-factor", 0, ST_INT, 0, &evictCfg.lfu_log_factor, 0, MAX_INT, "10"),
    NUMP("lfu-decay-time", 0, ST_INT, 0, &evictCfg.lfu_decay_time, 0, MAX_INT, "1"),
    BOOL("lazyfree-lazy-eviction", 0, lazyfree_lazy_eviction, "no"),
    BOOL("lazyfree-lazy-expire", 0, lazyfree_lazy_expire, "no"),
    BOOL("lazyfree-lazy-server-del", 0, lazyfree_lazy_server_del, "no"),
    BOOL("lazyfree-lazy-user-del", 0, lazyfree_lazy_user_del, "no"),
    BOOL("lazyfree-lazy-user-flush", 0, lazyfree_lazy_user_flush, "no"),
    BOOLP("activerehashing", NULL, 0, &serverCfg.active_rehashing, "yes"),
    {.name = "jemalloc-bg-thread", .type = &boolType, .deflt = "yes", .ptr = &serverCfg.jemalloc_bg_thread,
     .apply = jemallocBgThreadApply},
    BOOLP("disable-thp", NULL, CFG_IMMUTABLE, &serverCfg.disable_thp, "yes"),
    {.name = "oom-score-adj", .type = &enumType, .deflt = "no", .ptr = &serverCfg.oom_score_adj,
     .names = oomScoreAdjNames, .apply = oomApply},
    {.name = "oom-score-adj-values", .flags = CFG_MULTI_ARG, .type = &oomValuesType,
     .deflt = "0 200 800", .apply = oomApply},
    /* encodings */
    NUM("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, ST_SIZE, 0,
        hash_max_listpack_entries, 0, LONG_MAX, "512"),
    NUM("hash-max-listpack-value", "hash-max-ziplist-value", 0, ST_SIZE, NUM_MEMORY,
        hash_max_listpack_value, 0, LONG_MAX, "64"),
    NUM("set-max-intset-entries", NULL, 0, ST_SIZE, 0, set_max_intset_entries, 0, LONG_MAX, "512"),
    NUM("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, ST_SIZE, 0,
        zset_max_listpack_entries, 0, LONG_MAX, "128"),
    NUM("zset-max-listpack-value", "zset-max-ziplist-value", 0, ST_SIZE, NUM_MEMORY,
        zset_max_listpack_value, 0, LONG_MAX, "64"),
    NUM("list-max-listpack-size", "list-max-ziplist-size", 0, ST_INT, 0, list_max_listpack_size,
        INT_MIN, MAX_INT, "-2"),
    NUM("list-compress-depth", NULL, 0, ST_INT, 0, list_compress_depth, 0, MAX_INT, "0"),
    /* slow log and latency */
    NUM("slowlog-log-slower-than", NULL, 0, ST_LL, 0, slowlog_log_slower_than, -1, LLONG_MAX, "10000"),
    NUM("slowlog-max-len", NULL, 0, ST_ULONG, 0, slowlog_max_len, 0, LONG_MAX, "128"),
    NUM("latency-monitor-threshold", NULL, 0, ST_LL, 0, latency_monitor_threshold, 0, LLONG_MAX, "0"),
    BOOLP("latency-tracking", NULL, 0, &latencyCfg.tracking, "yes"),
    SPECIAL("latency-tracking-info-percentiles", CFG_MULTI_ARG, percentilesType, "50 99 99.9"),
    /* data types (stored for the types that arrive later) */
    NUMP("hll-sparse-max-bytes", 0, ST_SIZE, NUM_MEMORY, &serverCfg.hll_sparse_max_bytes, 0, LONG_MAX,
         "3000"),
    NUMP("stream-node-max-bytes", 0, ST_SIZE, NUM_MEMORY, &serverCfg.stream_node_max_bytes, 0,
         LONG_MAX, "4096"),
    NUMP("stream-node-max-entries", 0, ST_LL, 0, &serverCfg.stream_node_max_entries, 0, LLONG_MAX,
         "100"),
    NUMP("acllog-max-len", 0, ST_ULONG, 0, &serverCfg.acllog_max_len, 0, LONG_MAX, "128"),
    {.name = "notify-keyspace-events", .type = &notifyType, .deflt = ""},
    /* accepted for compatibility: ringkv has no AOF */
    AOF_BOOL("aof-load-truncated", aof_load_truncated, "yes"),
    AOF_BOOL("aof-rewrite-incremental-fsync", aof_rewrite_incremental_fsync, "yes"),
    AOF_BOOL("aof-timestamp-enabled", aof_timestamp_enabled, "no"),
    AOF_BOOL("aof-use-rdb-preamble", aof_use_rdb_preamble, "yes"),
    {.name = "appenddirname", .flags = CFG_IMMUTABLE | CFG_INERT, .type = &appenddirnameType,
     .deflt = "appendonlydir", .ptr = &inertCfg.appenddirname, .inert_why = "AOF"},
    {.name = "appendfilename", .flags = CFG_IMMUTABLE | CFG_INERT, .type = &appendfilenameType,
     .deflt = "appendonly.aof", .ptr = &inertCfg.appendfilename, .inert_why = "AOF"},
    {.name = "appendfsync", .flags = CFG_INERT, .type = &enumType, .deflt = "everysec",
     .ptr = &inertCfg.appendfsync, .names = appendfsyncNames, .inert_why = "AOF"},
    {.name = "auto-aof-rewrite-min-size", .flags = CFG_INERT, .type = &numType, .deflt = "64mb",
     .ptr = &inertCfg.auto_aof_rewrite_min_size, .storage = ST_LL, .numflags = NUM_MEMORY, .min = 0,
     .max = LLONG_MAX, .inert_why = "AOF"},
    {.name = "auto-aof-rewrite-percentage", .flags = CFG_INERT, .type = &numType, .deflt = "100",
     .ptr = &inertCfg.auto_aof_rewrite_percentage, .storage = ST_INT, .min = 0, .max = MAX_INT,
     .inert_why = "AOF"},
    AOF_BOOL("no-appendfsync-on-rewrite", no_appendfsync_on_rewrite, "no"),
    /* accepted for compatibility: ringkv has no replication */
    REPL_BOOL("rdb-del-sync-files", NULL, rdb_del_sync_files, "no"),
    REPL_BOOL("repl-disable-tcp-nodelay", NULL, repl_disable_tcp_nodelay, "no"),
    {.name = "repl-diskless-load", .flags = CFG_INERT, .type = &enumType, .deflt = "disabled",
     .ptr = &inertCfg.repl_diskless_load, .names = replDisklessLoadNames, .inert_why = "replication"},
    REPL_BOOL("repl-diskless-sync", NULL, repl_diskless_sync, "yes"),
    REPL_INT("repl-diskless-sync-delay", NULL, repl_diskless_sync_delay, "5"),
    REPL_INT("repl-diskless-sync-max-replicas", NULL, repl_diskless_sync_max_replicas, "0"),
    REPL_BOOL("replica-lazy-flush", "slave-lazy-flush", replica_lazy_flush, "no"),
    REPL_INT("replica-priority", "slave-priority", replica_priority, "100"),
    REPL_BOOL("replica-read-only", "slave-read-only", replica_read_only, "yes"),
    REPL_BOOL("replica-serve-stale-data", "slave-serve-stale-data", replica_serve_stale_data, "yes"),
};

#define CONFIG_COUNT ((int)(sizeof(configTable) / sizeof(configTable[0])))

static configRuntime configState[CONFIG_COUNT];

/* ------------------------------------------------------------------------
 * Lookup */

/* Finds a directive by name or alias, case-insensitively.  *by_alias (may
 * be NULL) tells which spelling matched: errors name the spelling used. */
static configEntry *configLookup(const char *name, int *by_alias) {
    for (int i = 0; i < CONFIG_COUNT; i++) {
        configEntry *e = &configTable[i];
        if (!strcasecmp(e->name, name)) {
            if (by_alias) *by_alias = 0;
            return e;
        }
        if (e->alias && !strcasecmp(e->alias, name)) {
            if (by_alias) *by_alias = 1;
            return e;
        }
    }
    return NULL;
}

static int configIndex(const configEntry *e) {
    return (int)(e - configTable);
}

static int configIsMutable(const configEntry *e) {
    if (e->flags & CFG_IMMUTABLE) return 0;
    return 1;
}

/* Stores argv through the entry's type and runs its post hook. */
static int configSetArgs(const configEntry *e, int argc, char **argv, const char **err) {
    if (e->type->set(e, argc, argv, err) != C_OK) return C_ERR;
    if (e->post) e->post();
    return C_OK;
}

/* Stores a single textual value, split first for multi-argument
 * directives (CONFIG SET, defaults, restoring saved values). */
static int configSetValue(const configEntry *e, const char *value, const char **err) {
    if (!(e->flags & CFG_MULTI_ARG)) {
        char *argv[1] = {(char *)value};
        return configSetArgs(e, 1, argv, err);
    }
    int argc;
    rstr *argv = configSplitValue(value, &argc);
    int ret = configSetArgs(e, argc, argv, err);
    rstrFreeSplitRes(argv, argc);
    return ret;
}

static int configIsDefault(const configEntry *e) {
    rstr now = e->type->get(e);
    const rstr def = configState[configIndex(e)].default_value;
    int same = def && !strcmp(now, def);
    rstrFree(now);
    return same;
}

const char *configMaxmemoryPolicyName(int policy) {
    return enumName(maxmemoryPolicyNames, policy);
}

/* ------------------------------------------------------------------------
 * Start-up */

void initConfigValues(void) {
    for (int i = 0; i < CONFIG_COUNT; i++) {
        configEntry *e = &configTable[i];
        const char *err = NULL;
        if (e->deflt && configSetValue(e, e->deflt, &err) != C_OK) {
            /* A table bug: the default must parse. */
            fprintf(stderr, "ringkv: bad default for '%s': %s\n", e->name, err);
            abort();
        }
        rstrFree(configState[i].default_value);
        configState[i].default_value = e->type->get(e);
    }
    memcpy(obufDefaults, server.client_obuf_limits, sizeof(obufDefaults));
}

#ifdef __linux__
/* True when /sys says THP is "[always]". */
static int configThpAlways(void) {
    char buf[128] = {0};
    FILE *fp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (fp == NULL) return 0;
    int ok = fgets(buf, sizeof(buf), fp) != NULL;
    fclose(fp);
    return ok && strstr(buf, "[always]") != NULL;
}
#endif

void configApplyProcessSettings(void) {
#ifdef __linux__
    /* Transparent huge pages turn copy-on-write of a snapshot child into
     * 2 MB copies and add latency spikes: opt this process out when the
     * system forces them on every mapping ("always").  Under "madvise" or
     * "never" nothing is forced, and Redis leaves the process as it is. */
    if (serverCfg.disable_thp && configThpAlways() &&
        prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) == -1)
        serverLog(LL_WARNING, "Failed to disable transparent huge pages: %s", strerror(errno));
#endif
    const char *ignored;
    jemallocBgThreadApply(&ignored);
    configSetOomScoreAdj();
    configUpdateProcTitle();

    /* Transparency for the compatibility-only directives: one line naming
     * those the configuration moved away from their default. */
    rstr list = rstrEmpty();
    for (int i = 0; i < CONFIG_COUNT; i++) {
        const configEntry *e = &configTable[i];
        if (!(e->flags & CFG_INERT) || configIsDefault(e)) continue;
        list = rstrCatPrintf(list, "%s%s: ringkv has no %s", rstrLen(list) ? "; " : "", e->name,
                             e->inert_why);
    }
    if (rstrLen(list))
        serverLog(LL_NOTICE, "Accepted for compatibility, setting ignored: %s", list);
    rstrFree(list);
}

char *configOptionsFromArgv(int argc, char **argv, int start, int *config_from_stdin) {
    rstr opts = rstrEmpty();
    /* A "--name" that came alone (no value inside the same word) is still
     * waiting for its value: the next word is that value even if it starts
     * with "--" (so `--save --port 7000` and `--bind -::1` work). */
    int awaiting_value = 0;
    for (int j = start; j < argc; j++) {
        const char *a = argv[j];
        if (!strcmp(a, "-") && (j == 1 || j == argc - 1)) {
            if (config_from_stdin) *config_from_stdin = 1;
        } else if (a[0] == '-' && a[1] == '-' && !awaiting_value) {
            if (rstrLen(opts)) opts = rstrCat(opts, "\n");
            opts = rstrCat(opts, a + 2);
            opts = rstrCat(opts, " ");
            int words;
            rstr *split = rstrSplitArgs(a, &words);
            int name_only = split != NULL && words == 1;
            if (split) rstrFreeSplitRes(split, words);
            if (name_only) {
                awaiting_value = 1;
                int last = j == argc - 1;
                int next_is_option = !last && argv[j + 1][0] == '-' && argv[j + 1][1] == '-';
                /* A bare --save (last, or followed by another option)
                 * means save "", for compatibility with generated command
                 * lines that pass an empty list. */
                if (!strcasecmp(a, "--save") && (last || next_is_option)) {
                    opts = rstrCat(opts, "\"\"");
                    awaiting_value = 0;
                }
            }
        } else {
            opts = rstrCatRepr(opts, a, strlen(a));
            opts = rstrCat(opts, " ");
            awaiting_value = 0;
        }
    }
    char *out = zstrdup(opts);
    rstrFree(opts);
    return out;
}

static void configFatal(int linenum, const char *line, const char *reason) {
    fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\n", RINGKV_VERSION);
    if (line) {
        fprintf(stderr, "Reading the configuration file, at line %d\n", linenum);
        fprintf(stderr, ">>> '%s'\n", line);
    }
    fprintf(stderr, "%s\n", reason);
    exit(1);
}

/* Applies one non-empty, non-comment line.  Returns NULL, or the reason
 * the line is refused. */
static const char *configApplyLine(int argc, rstr *argv) {
    rstrToLower(argv[0]);

    /* File-only: renames (or, to "", disables) a command.  Needs the
     * command table to exist before the configuration is read. */
    if (!strcmp(argv[0], "rename-command")) {
        if (argc != 3) return "Bad directive or wrong number of arguments";
        if (server.commands == NULL) return "rename-command needs the command table (start-up order bug)";
        if (lookupCommandByCString(argv[1]) == NULL) return "No such command in rename-command";
        if (commandRename(argv[1], argv[2]) != C_OK) return "Target command name already exists";
        return NULL;
    }

    /* File-only: an ACL user, created once the whole file is read (acl_file.c). */
    if (!strcmp(argv[0], "user") && argc >= 2) return aclConfigUserLine(argc, argv);

    configEntry *e = configLookup(argv[0], NULL);
    if (e == NULL) return "Bad directive or wrong number of arguments";

    const char *err = NULL;
    if (e->flags & CFG_MULTI_ARG) {
        /* One quoted value holding spaces ("--save '900 1'") is split like
         * a CONFIG SET value; several words are taken as they are. */
        if (argc == 2 && strchr(argv[1], ' ')) {
            if (configSetValue(e, argv[1], &err) != C_OK) return err;
        } else if (configSetArgs(e, argc - 1, argv + 1, &err) != C_OK) {
            return err;
        }
        return NULL;
    }
    if (argc != 2) return "wrong number of arguments";
    if (configSetArgs(e, 1, argv + 1, &err) != C_OK) return err;
    return NULL;
}

void loadServerConfigFromString(char *config) {
    int totlines;
    rstr *lines = rstrSplitLen(config, (ssize_t)strlen(config), "\n", 1, &totlines);
    configLoadingFile = 1;
    configSaveSeenInFile = 0;
    for (int i = 0; i < totlines; i++) {
        lines[i] = rstrTrim(lines[i], " \t\r\n");
        if (lines[i][0] == '#' || lines[i][0] == '\0') continue;
        int argc;
        rstr *argv = rstrSplitArgs(lines[i], &argc);
        if (argv == NULL) configFatal(i + 1, lines[i], "Unbalanced quotes in configuration line");
        if (argc == 0) {
            rstrFreeSplitRes(argv, argc);
            continue;
        }
        const char *reason = configApplyLine(argc, argv);
        rstrFreeSplitRes(argv, argc);
        if (reason) configFatal(i + 1, lines[i], reason);
    }
    configLoadingFile = 0;
    rstrFreeSplitRes(lines, totlines);
}

/* Absolute form of path, computed before any `dir` directive moves the
 * working directory.  The file itself need not exist. */
static char *configAbsolutePath(const char *path) {
    if (path[0] == '/') return zstrdup(path);
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == NULL) return zstrdup(path);
    rstr abs = rstrCatPrintf(rstrEmpty(), "%s/%s", cwd, path);
    char *out = zstrdup(abs);
    rstrFree(abs);
    return out;
}

/* Appends everything readable from fp to s. */
static rstr configReadAll(rstr s, FILE *fp) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) s = rstrCatLen(s, buf, n);
    return s;
}

void loadServerConfig(char *filename, char config_from_stdin, char *options) {
    rstr config = rstrEmpty();
    if (filename) {
        if (server.configfile == NULL) server.configfile = configAbsolutePath(filename);
        FILE *fp = fopen(filename, "r");
        if (fp == NULL) {
            serverLog(LL_WARNING, "Fatal error, can't open config file '%s': %s", filename,
                      strerror(errno));
            exit(1);
        }
        config = configReadAll(config, fp);
        fclose(fp);
    }
    if (config_from_stdin) {
        serverLog(LL_NOTICE, "Reading config from stdin");
        config = configReadAll(config, stdin);
    }
    /* The options come after a newline of their own, so with no file their
     * first line is line 2: the same numbering Redis reports. */
    config = rstrCat(config, "\n");
    if (options) config = rstrCat(config, options);
    loadServerConfigFromString(config);
    rstrFree(config);
}

/* ------------------------------------------------------------------------
 * CONFIG GET */

typedef struct configMatch {
    const char *key;      /* the name replied (as asked, for exact names) */
    const configEntry *e;
} configMatch;

static int configMatchSeen(const configMatch *m, int n, const char *key) {
    for (int i = 0; i < n; i++) {
        if (!strcasecmp(m[i].key, key)) return 1;
    }
    return 0;
}

void configGetCommand(client *c) {
    int cap = CONFIG_COUNT * 2 + c->argc;
    configMatch *m = zmalloc(sizeof(*m) * (size_t)cap);
    int n = 0;
    for (int j = 2; j < c->argc; j++) {
        const char *pat = c->argv[j]->ptr;
        if (!strpbrk(pat, "*?[")) {
            /* An exact name: replied under the spelling asked for. */
            configEntry *e = configLookup(pat, NULL);
            if (e && !configMatchSeen(m, n, pat)) m[n++] = (configMatch){pat, e};
            continue;
        }
        size_t plen = strlen(pat);
        for (int i = 0; i < CONFIG_COUNT; i++) {
            const configEntry *e = &configTable[i];
            if (e->flags & CFG_HIDDEN) continue;
            const char *names[2] = {e->name, e->alias};
            for (int k = 0; k < 2; k++) {
                if (names[k] == NULL || configMatchSeen(m, n, names[k])) continue;
                if (stringmatchlen(pat, plen, names[k], strlen(names[k]), 1))
                    m[n++] = (configMatch){names[k], e};
            }
        }
    }
    addReplyMapLen(c, n);
    for (int i = 0; i < n; i++) {
        addReplyBulkCString(c, m[i].key);
        rstr v = m[i].e->type->get(m[i].e);
        addReplyBulkCBuffer(c, v, rstrLen(v));
        rstrFree(v);
    }
    zfree(m);
}

/* ------------------------------------------------------------------------
 * CONFIG SET */

typedef struct configPending {
    configEntry *e;
    int by_alias;
    const char *value;
    rstr old;        /* `get` before the change */
} configPending;

static const char *configSpelling(const configPending *p) {
    return p->by_alias ? p->e->alias : p->e->name;
}

/* Stores the saved values of p[0..n-1] back, last first.  Cannot fail in
 * practice: they are `get` outputs, which parse. */
static void configRestore(configPending *p, int n) {
    for (int i = n - 1; i >= 0; i--) {
        const char *err;
        if (configSetValue(p[i].e, p[i].old, &err) != C_OK)
            serverLog(LL_WARNING, "Could not restore '%s' to '%s': %s", p[i].e->name, p[i].old, err);
    }
}

void configSetCommand(client *c) {
    if ((c->argc - 2) % 2) {
        addReplyErrorSyntax(c);
        return;
    }
    int count = (c->argc - 2) / 2;
    configPending *p = zcalloc(sizeof(*p) * (size_t)count);
    const char *unknown = NULL;   /* first unknown name: reported first */
    const char *errname = NULL;
    const char *errstr = NULL;
    int loading_refused = 0;
    int i;

    /* 1. Names.  The first refused pair, in argument order, decides the
     *    error (unknown, immutable, protected, loading or duplicate). */
    for (i = 0; i < count; i++) {
        const char *name = c->argv[2 + i * 2]->ptr;
        p[i].value = c->argv[3 + i * 2]->ptr;
        p[i].e = configLookup(name, &p[i].by_alias);
        /* Secrets never reach SLOWLOG or MONITOR (slowlog.c). */
        if (p[i].e && (p[i].e->flags & CFG_SENSITIVE)) slowlogRedactArgument(c, 3 + i * 2);
        if (unknown || errstr || loading_refused) continue;
        const configEntry *e = p[i].e;
        if (e == NULL) {
            unknown = name;
        } else if (!configIsMutable(e)) {
            errstr = "can't set immutable config";
            errname = name;
        } else if ((e->flags & CFG_PROTECTED) &&
                   !isProtectedActionAllowed(server.enable_protected_configs, c)) {
            errstr = "can't set protected config";
            errname = name;
        } else if ((e->flags & CFG_DENY_LOADING) && server.loading) {
            loading_refused = 1;
        } else {
            for (int j = 0; j < i; j++) {
                if (p[j].e == e && p[j].by_alias == p[i].by_alias) {
                    errstr = "duplicate parameter";
                    errname = name;
                    break;
                }
            }
        }
    }
    if (unknown) {
        addReplyErrorFormat(c, "Unknown option or number of arguments for CONFIG SET - '%s'", unknown);
        goto done;
    }
    if (loading_refused) {
        addReplyError(c, "LOADING Redis is loading the dataset in memory");
        goto done;
    }
    if (errstr) goto fail;

    /* 2. Save, then store.  A store failure restores what was stored. */
    for (i = 0; i < count; i++) p[i].old = p[i].e->type->get(p[i].e);
    for (i = 0; i < count; i++) {
        if (configSetValue(p[i].e, p[i].value, &errstr) != C_OK) {
            /* The refused one is restored too, as Redis does.  A no-op for
             * every directive whose `get` parses back to the same value;
             * notify-keyspace-events is the visible exception: "A" hides
             * "n" in its canonical string, so a refused CONFIG SET drops
             * new-key events in Redis, and here alike. */
            configRestore(p, i + 1);
            errname = configSpelling(&p[i]);
            goto fail;
        }
    }

    /* 3. Apply hooks, once each, only for values that really changed (a
     *    listener must not be reopened on its own port). */
    typedef int applyFn(const char **);
    applyFn **applied = zmalloc(sizeof(applyFn *) * (size_t)count);
    int napplied = 0;
    for (i = 0; i < count; i++) {
        applyFn *fn = p[i].e->apply;
        if (fn == NULL) continue;
        rstr now = p[i].e->type->get(p[i].e);
        int changed = strcmp(now, p[i].old) != 0;
        rstrFree(now);
        if (!changed) continue;
        int seen = 0;
        for (int j = 0; j < napplied; j++) seen |= applied[j] == fn;
        if (seen) continue;
        applied[napplied++] = fn;
        if (fn(&errstr) != C_OK) {
            serverLog(LL_WARNING,
                      "Failed applying new configuration. Possibly related to new %s setting. "
                      "Restoring previous settings.",
                      p[i].e->name);
            errname = configSpelling(&p[i]);
            /* Build the reply text now: restoring may rewrite the static
             * buffer errstr points into. */
            addReplyErrorFormat(c, "CONFIG SET failed (possibly related to argument '%s') - %s", errname,
                                errstr);
            configRestore(p, count);
            for (int j = 0; j < napplied; j++) {
                const char *ignored;
                if (applied[j](&ignored) != C_OK)
                    serverLog(LL_WARNING, "Could not re-apply the previous configuration: %s", ignored);
            }
            zfree(applied);
            goto done;
        }
    }
    zfree(applied);
    addReplyOk(c);
    goto done;

fail:
    addReplyErrorFormat(c, "CONFIG SET failed (possibly related to argument '%s') - %s", errname, errstr);
done:
    for (i = 0; i < count; i++) rstrFree(p[i].old);
    zfree(p);
}

/* ------------------------------------------------------------------------
 * CONFIG RESETSTAT, HELP */

void configResetstatCommand(client *c) {
    resetServerStats();
    resetCommandTableStats();
    resetErrorTableStats();
    addReplyOk(c);
}

void configHelpCommand(client *c) {
    static const char *help[] = {
        "GET <pattern> [<pattern> ...]",
        "    Reply with every configuration parameter whose name matches one of the",
        "    glob-style patterns, with its current value.",
        "SET <directive> <value> [<directive> <value> ...]",
        "    Change one or more parameters at once; if any of them is refused, none",
        "    is changed.",
        "RESETSTAT",
        "    Zero the statistics shown by INFO (commands, errors, hits, misses ...).",
        "REWRITE",
        "    Write the current configuration back into the configuration file,",
        "    keeping its comments and the order of its lines.",
        NULL};
    addReplyHelp(c, help);
}

/* ------------------------------------------------------------------------
 * CONFIG REWRITE */

static void rewriteAppendLine(rewriteState *st, rstr line, int owner) {
    if (st->numlines == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 64;
        st->lines = zrealloc(st->lines, sizeof(rstr) * (size_t)st->cap);
        st->owner = zrealloc(st->owner, sizeof(int) * (size_t)st->cap);
    }
    st->lines[st->numlines] = line;
    st->owner[st->numlines] = owner;
    st->numlines++;
}

static void rewriteMarkDone(rewriteState *st, const configEntry *e) {
    st->done[configIndex(e)] = 1;
}

/* Puts `line` (owned by the state from now on) in place of the next old
 * line of the same directive; without one, appends it if force is set. */
static void rewriteLine(rewriteState *st, const configEntry *e, rstr line, int force) {
    int idx = configIndex(e);
    rewriteMarkDone(st, e);
    for (int i = 0; i < st->numlines; i++) {
        if (st->owner[i] == idx) {
            rstrFree(st->lines[i]);
            st->lines[i] = line;
            st->owner[i] = -1; /* settled: not an old line anymore */
            return;
        }
    }
    if (!force) {
        rstrFree(line);
        return;
    }
    if (!st->has_signature) {
        rewriteAppendLine(st, rstrNew(CONFIG_REWRITE_SIGNATURE), -1);
        st->has_signature = 1;
    }
    rewriteAppendLine(st, line, -1);
}

/* Loads the old file into a state.  A missing file is an empty state.
 * Returns NULL (errno set) when the file exists but cannot be read. */
static rewriteState *rewriteReadOld(const char *path) {
    rewriteState *st = zcalloc(sizeof(*st));
    st->done = zcalloc(CONFIG_COUNT);
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        if (errno == ENOENT) return st;
        zfree(st->done);
        zfree(st);
        return NULL;
    }
    rstr content = configReadAll(rstrEmpty(), fp);
    fclose(fp);
    int total;
    rstr *lines = rstrSplitLen(content, (ssize_t)rstrLen(content), "\n", 1, &total);
    rstrFree(content);
    /* A file ending in "\n" splits into a last empty piece: not a line. */
    if (total > 0 && rstrLen(lines[total - 1]) == 0) {
        rstrFree(lines[total - 1]);
        total--;
    }
    for (int i = 0; i < total; i++) {
        rstr line = rstrTrim(lines[i], " \t\r\n");
        lines[i] = NULL;
        if (line[0] == '#' || line[0] == '\0') {
            if (!strcmp(line, CONFIG_REWRITE_SIGNATURE)) st->has_signature = 1;
            rewriteAppendLine(st, line, -1);
            continue;
        }
        int argc;
        rstr *argv = rstrSplitArgs(line, &argc);
        configEntry *e = (argv && argc) ? configLookup(argv[0], NULL) : NULL;
        int file_only = argv && argc && !strcasecmp(argv[0], "rename-command");
        int acl_user = argv && argc && !strcasecmp(argv[0], "user");
        if (argv) rstrFreeSplitRes(argv, argc);
        if (acl_user) {
            rewriteAppendLine(st, line, REWRITE_OWNER_USER);
            continue;
        }
        if (e == NULL && !file_only) {
            /* Unparsable, or a directive this server does not know: kept,
             * but commented out so the file still loads. */
            rstr kept = rstrCat(rstrNew("# ??? "), line);
            rstrFree(line);
            rewriteAppendLine(st, kept, -1);
            continue;
        }
        rewriteAppendLine(st, line, e ? configIndex(e) : -1);
    }
    zfree(lines);
    return st;
}

static void rewriteFreeState(rewriteState *st) {
    for (int i = 0; i < st->numlines; i++) rstrFree(st->lines[i]);
    zfree(st->lines);
    zfree(st->owner);
    zfree(st->done);
    zfree(st);
}

/* The new file text.  Old lines of rewritten directives that were not
 * reused are dropped; runs of blank lines collapse to one. */
static rstr rewriteContent(rewriteState *st) {
    rstr out = rstrEmpty();
    int prev_blank = 0;
    for (int i = 0; i < st->numlines; i++) {
        if (st->owner[i] >= 0 && st->done[st->owner[i]]) continue;
        int blank = rstrLen(st->lines[i]) == 0;
        if (blank && prev_blank) continue;
        prev_blank = blank;
        out = rstrCatRstr(out, st->lines[i]);
        out = rstrCat(out, "\n");
    }
    return out;
}

/* Writes content to path atomically: a temporary file in the same
 * directory, fsync, rename over the old file, fsync of the directory.  The
 * old file's permissions are kept.  Returns 0, or -1 with errno set. */
static int rewriteWriteFile(const char *path, const char *content, size_t len) {
    rstr tmp = rstrCatPrintf(rstrEmpty(), "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd == -1) {
        rstrFree(tmp);
        return -1;
    }
    struct stat sb;
    mode_t mode = 0644;
    if (stat(path, &sb) == 0) mode = sb.st_mode & 07777;
    int saved;
    if (fchmod(fd, mode) == -1) goto fail;
    while (len) {
        ssize_t n = write(fd, content, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            goto fail;
        }
        content += n;
        len -= (size_t)n;
    }
    if (fsync(fd) == -1) goto fail;
    if (close(fd) == -1) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) == -1) goto fail;
    rstrFree(tmp);

    /* Make the rename itself durable. */
    rstr dir = rstrNew(path);
    char *slash = strrchr(dir, '/');
    if (slash) rstrSetLen(dir, (size_t)(slash - dir) + (slash == dir));
    else rstrCpyLen(dir, ".", 1);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd != -1) {
        fsync(dfd);
        close(dfd);
    }
    rstrFree(dir);
    return 0;

fail:
    saved = errno;
    if (fd != -1) close(fd);
    unlink(tmp);
    rstrFree(tmp);
    errno = saved;
    return -1;
}

/* ACL users (acl_file.c, helper 1): the current users take the places of
 * the old `user` lines in order; old lines left over are dropped, users
 * left over are appended.  With an aclfile there are none to write. */
static void rewriteAclUsers(rewriteState *st) {
    int count, next = 0, kept = 0;
    rstr *users = aclConfigRewriteLines(&count);
    for (int i = 0; i < st->numlines; i++) {
        if (st->owner[i] == REWRITE_OWNER_USER) {
            rstrFree(st->lines[i]);
            if (next == count) continue; /* dropped */
            st->lines[i] = users[next++];
            st->owner[i] = -1;
        }
        st->lines[kept] = st->lines[i];
        st->owner[kept] = st->owner[i];
        kept++;
    }
    st->numlines = kept;
    for (; next < count; next++) {
        if (!st->has_signature) {
            rewriteAppendLine(st, rstrNew(CONFIG_REWRITE_SIGNATURE), -1);
            st->has_signature = 1;
        }
        rewriteAppendLine(st, users[next], -1);
    }
    zfree(users);
}

int rewriteConfig(const char *path) {
    rewriteState *st = rewriteReadOld(path);
    if (st == NULL) return -1;
    rewriteAclUsers(st);
    for (int i = 0; i < CONFIG_COUNT; i++) configTable[i].type->rewrite(&configTable[i], st);
    rstr content = rewriteContent(st);
    int ret = rewriteWriteFile(path, content, rstrLen(content));
    int saved = errno;
    rstrFree(content);
    rewriteFreeState(st);
    errno = saved;
    return ret;
}

void configRewriteCommand(client *c) {
    if (server.configfile == NULL) {
        addReplyError(c, "The server is running without a config file");
        return;
    }
    if (rewriteConfig(server.configfile) == -1) {
        int err = errno;
        serverLog(LL_WARNING, "CONFIG REWRITE failed: %s", strerror(err));
        addReplyErrorFormat(c, "Rewriting config file: %s", strerror(err));
        return;
    }
    /* Warning level, as Redis: an operator wants to see config changes. */
    serverLog(LL_WARNING, "CONFIG REWRITE executed with success.");
    addReplyOk(c);
}
