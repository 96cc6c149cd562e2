/* command_info.c -- the COMMAND command, and key extraction from key specs.
 *
 * What it owns:
 *   - COMMAND, COMMAND COUNT/INFO/DOCS/LIST/GETKEYS/GETKEYSANDFLAGS/HELP, with
 *     the reply shapes of Redis 7.0 in RESP2 and RESP3;
 *   - the names of command flags, ACL categories and key-spec flags, in the
 *     order COMMAND INFO lists them (also used by ACL);
 *   - commandGetKeys(): which arguments of a command line are keys, and how
 *     the command uses each one.
 *
 * How it is built:
 *   Everything shown comes from the static facts of command_table.c
 *   (cmd->facts), except what commands.c may change at run time (the flags
 *   and the name), which is read from the redisCommand itself.  Only visible
 *   commands (those in server.commands) are ever listed.
 *
 *   Keys are located from the key specs whenever every spec can be trusted:
 *   a spec is applied positionally (begin at an index or after a keyword,
 *   then a range or a counted run of keys).  A spec that cannot be applied
 *   (unknown positions, a count that is not a number or overshoots the
 *   arguments, a spec marked incomplete), or flags that depend on the
 *   arguments, send the command to a small hand-written extractor when it
 *   has one (SORT, MIGRATE, SET, BITFIELD, and the commands whose key count
 *   is an argument); otherwise it has no keys in that form.  This is the
 *   order Redis 7.0 uses, so COMMAND GETKEYS answers the same, including for
 *   malformed lines. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "command_table.h"
#include "commands.h"
#include "reply.h"
#include "server.h"
#include "util.h"
#include "zmalloc.h"

/* ------------------------------------------------------------------ names */

typedef struct bitName {
    uint64_t bit;
    const char *name;
    int shown; /* listed by COMMAND INFO */
} bitName;

/* In COMMAND INFO order.  Hidden flags exist for the dispatcher only. */
static const bitName commandFlagNames[] = {
    {CMD_WRITE, "write", 1},
    {CMD_READONLY, "readonly", 1},
    {CMD_DENYOOM, "denyoom", 1},
    {CMD_MODULE, "module", 1},
    {CMD_ADMIN, "admin", 1},
    {CMD_PUBSUB, "pubsub", 1},
    {CMD_NOSCRIPT, "noscript", 1},
    {CMD_BLOCKING, "blocking", 1},
    {CMD_LOADING, "loading", 1},
    {CMD_STALE, "stale", 1},
    {CMD_SKIP_MONITOR, "skip_monitor", 1},
    {CMD_SKIP_SLOWLOG, "skip_slowlog", 1},
    {CMD_ASKING, "asking", 1},
    {CMD_FAST, "fast", 1},
    {CMD_NO_AUTH, "no_auth", 1},
    {CMD_MAY_REPLICATE, "may_replicate", 0},
    {CMD_SENTINEL, "sentinel", 0},
    {CMD_ONLY_SENTINEL, "only_sentinel", 0},
    {CMD_NO_MANDATORY_KEYS, "no_mandatory_keys", 1},
    {CMD_PROTECTED, "protected", 0},
    {CMD_MODULE_GETKEYS, "module_getkeys", 0},
    {CMD_MODULE_NO_CLUSTER, "module_no_cluster", 0},
    {CMD_NO_ASYNC_LOADING, "no_async_loading", 1},
    {CMD_NO_MULTI, "no_multi", 1},
    {CMD_MOVABLE_KEYS, "movablekeys", 1},
    {CMD_ALLOW_BUSY, "allow_busy", 1},
    {CMD_MODULE_GETCHANNELS, "module_getchannels", 0},
    {CMD_TOUCHES_ARBITRARY_KEYS, "touches_arbitrary_keys", 0},
    {0, NULL, 0},
};

static const bitName aclCategoryNames[] = {
    {ACL_CATEGORY_KEYSPACE, "keyspace", 1},
    {ACL_CATEGORY_READ, "read", 1},
    {ACL_CATEGORY_WRITE, "write", 1},
    {ACL_CATEGORY_SET, "set", 1},
    {ACL_CATEGORY_SORTEDSET, "sortedset", 1},
    {ACL_CATEGORY_LIST, "list", 1},
    {ACL_CATEGORY_HASH, "hash", 1},
    {ACL_CATEGORY_STRING, "string", 1},
    {ACL_CATEGORY_BITMAP, "bitmap", 1},
    {ACL_CATEGORY_HYPERLOGLOG, "hyperloglog", 1},
    {ACL_CATEGORY_GEO, "geo", 1},
    {ACL_CATEGORY_STREAM, "stream", 1},
    {ACL_CATEGORY_PUBSUB, "pubsub", 1},
    {ACL_CATEGORY_ADMIN, "admin", 1},
    {ACL_CATEGORY_FAST, "fast", 1},
    {ACL_CATEGORY_SLOW, "slow", 1},
    {ACL_CATEGORY_BLOCKING, "blocking", 1},
    {ACL_CATEGORY_DANGEROUS, "dangerous", 1},
    {ACL_CATEGORY_CONNECTION, "connection", 1},
    {ACL_CATEGORY_TRANSACTION, "transaction", 1},
    {ACL_CATEGORY_SCRIPTING, "scripting", 1},
    {0, NULL, 0},
};

static const bitName keySpecFlagNames[] = {
    {CMD_KEY_RO, "RO", 1},
    {CMD_KEY_RW, "RW", 1},
    {CMD_KEY_OW, "OW", 1},
    {CMD_KEY_RM, "RM", 1},
    {CMD_KEY_ACCESS, "access", 1},
    {CMD_KEY_UPDATE, "update", 1},
    {CMD_KEY_INSERT, "insert", 1},
    {CMD_KEY_DELETE, "delete", 1},
    {CMD_KEY_NOT_KEY, "not_key", 1},
    {CMD_KEY_INCOMPLETE, "incomplete", 1},
    {CMD_KEY_VARIABLE_FLAGS, "variable_flags", 1},
    {0, NULL, 0},
};

static const char *bitNameLookup(const bitName *table, uint64_t bit) {
    for (; table->name; table++)
        if (table->bit == bit) return table->name;
    return NULL;
}

const char *aclCategoryName(uint64_t bit) {
    return bitNameLookup(aclCategoryNames, bit);
}

const char *commandFlagName(uint64_t bit) {
    return bitNameLookup(commandFlagNames, bit);
}

const char *keySpecFlagName(uint64_t bit) {
    return bitNameLookup(keySpecFlagNames, bit);
}

uint64_t aclCategoryByName(const char *name) {
    for (const bitName *b = aclCategoryNames; b->name; b++)
        if (!strcasecmp(b->name, name)) return b->bit;
    return 0;
}

/* A set of status replies, one per shown bit of `flags`, in table order;
 * `prefix` ("@" for ACL categories) goes before each name. */
static void addReplyBitNames(client *c, const bitName *table, uint64_t flags, const char *prefix) {
    long n = 0;
    for (const bitName *b = table; b->name; b++)
        if (b->shown && (flags & b->bit)) n++;
    addReplySetLen(c, n);
    for (const bitName *b = table; b->name; b++) {
        if (!b->shown || !(flags & b->bit)) continue;
        if (prefix[0]) {
            char buf[64];
            snprintf(buf, sizeof(buf), "%s%s", prefix, b->name);
            addReplyStatus(c, buf);
        } else {
            addReplyStatus(c, b->name);
        }
    }
}

/* ------------------------------------------------------- key extraction */

/* Collects key positions up to the caller's buffer, counting past it. */
typedef struct keyCollector {
    commandKeyRef *keys;
    int max;
    int n;
} keyCollector;

static void collectKey(keyCollector *kc, int pos, uint64_t flags) {
    if (kc->n < kc->max) {
        kc->keys[kc->n].pos = pos;
        kc->keys[kc->n].flags = flags;
    }
    kc->n++;
}

static int argEqualsNoCase(robj *arg, const char *word) {
    size_t len = rstrLen(arg->ptr);
    return len == strlen(word) && !strncasecmp(arg->ptr, word, len);
}

/* Index just after the spec's keyword, or 0 when it is absent.  A positive
 * start searches forward and never takes the last argument as the keyword
 * (no key could follow it); a negative one searches backwards from
 * argc+startfrom down to index 2. */
static int keywordSearch(const commandKeySpec *ks, robj **argv, int argc) {
    if (ks->bs_startfrom > 0) {
        for (int i = ks->bs_startfrom; i < argc - 1; i++)
            if (argEqualsNoCase(argv[i], ks->bs_keyword)) return i + 1;
    } else {
        for (int i = argc + ks->bs_startfrom; i > 1; i--)
            if (i < argc && argEqualsNoCase(argv[i], ks->bs_keyword)) return i + 1;
    }
    return 0;
}

/* Applies every key spec.  Returns the key count, or -1 when one of the
 * specs cannot be applied to these arguments (the caller then falls back to
 * the command's extractor), leaving kc empty. */
static int keysFromSpecs(const commandFacts *f, robj **argv, int argc, keyCollector *kc) {
    for (int j = 0; j < f->num_key_specs; j++) {
        const commandKeySpec *ks = &f->key_specs[j];
        if (ks->flags & CMD_KEY_NOT_KEY) continue;
        int first, last, step;
        if (ks->bs_type == KSPEC_BS_INDEX) {
            first = ks->bs_index;
        } else if (ks->bs_type == KSPEC_BS_KEYWORD) {
            first = keywordSearch(ks, argv, argc);
            if (!first) continue; /* optional keyword not given */
        } else {
            goto invalid;
        }
        if (ks->fk_type == KSPEC_FK_RANGE) {
            step = ks->fk_keystep;
            if (ks->fk_lastkey >= 0)
                last = first + ks->fk_lastkey;
            else if (!ks->fk_limit)
                last = argc + ks->fk_lastkey;
            else
                last = first + (argc - first) / ks->fk_limit + ks->fk_lastkey;
        } else if (ks->fk_type == KSPEC_FK_KEYNUM) {
            step = ks->fk_keystep;
            int idx = first + ks->fk_keynumidx;
            long long numkeys;
            if (idx >= argc) goto invalid;
            if (!string2ll(argv[idx]->ptr, rstrLen(argv[idx]->ptr), &numkeys) || numkeys < 0 ||
                numkeys > argc)
                goto invalid;
            first += ks->fk_firstkey;
            last = first + (int)numkeys - 1;
        } else {
            goto invalid;
        }
        /* Positions outside the line mean the line is malformed. */
        if (step < 1 || first >= argc || last >= argc || last < first) goto invalid;
        for (int i = first; i <= last; i += step) collectKey(kc, i, ks->flags);
        if (ks->flags & CMD_KEY_INCOMPLETE) goto invalid;
    }
    return kc->n;

invalid:
    kc->n = 0;
    return -1;
}

/* Extractors for the commands whose specs are not enough.  Each sees the
 * full argv and returns the number of keys collected. */
typedef int keyExtractor(robj **argv, int argc, keyCollector *kc);

/* Leading integer of an argument, as atoi would read it (clamped). */
static long leadingInteger(robj *arg) {
    long v = strtol(arg->ptr, NULL, 10);
    if (v > INT_MAX) v = INT_MAX;
    if (v < INT_MIN) v = INT_MIN;
    return v;
}

/* "[dest] count key [key ...] ...": count at countpos, keys from firstpos,
 * an optional destination at destpos (0: none).  A count below one or
 * beyond the arguments means no keys. */
static int keynumKeys(int destpos, int countpos, int firstpos, robj **argv, int argc,
                      keyCollector *kc) {
    if (countpos >= argc) return 0;
    long num = leadingInteger(argv[countpos]);
    if (num < 1 || num > argc - firstpos) return 0;
    /* The destination goes last, as Redis lists it on this path. */
    for (long i = 0; i < num; i++) collectKey(kc, firstpos + (int)i, 0);
    if (destpos) collectKey(kc, destpos, 0);
    return kc->n;
}

static int scriptKeys(robj **argv, int argc, keyCollector *kc) {
    return keynumKeys(0, 2, 3, argv, argc, kc); /* EVAL script numkeys key... */
}

static int storeKeynumKeys(robj **argv, int argc, keyCollector *kc) {
    return keynumKeys(1, 2, 3, argv, argc, kc); /* ZUNIONSTORE dest numkeys key... */
}

static int keynumFirstKeys(robj **argv, int argc, keyCollector *kc) {
    return keynumKeys(0, 1, 2, argv, argc, kc); /* ZUNION numkeys key... */
}

static int blockingKeynumKeys(robj **argv, int argc, keyCollector *kc) {
    return keynumKeys(0, 2, 3, argv, argc, kc); /* BLMPOP timeout numkeys key... */
}

/* SORT key [BY p] [LIMIT o c] [GET p ...] [ASC|DESC] [ALPHA] [STORE dest]:
 * the sorted key is read, the last STORE destination is overwritten. */
static int sortKeys(robj **argv, int argc, keyCollector *kc) {
    int store = 0;
    for (int i = 2; i < argc; i++) {
        if (argEqualsNoCase(argv[i], "limit")) {
            i += 2;
        } else if (argEqualsNoCase(argv[i], "get") || argEqualsNoCase(argv[i], "by")) {
            i += 1;
        } else if (argEqualsNoCase(argv[i], "store") && i + 1 < argc) {
            store = i + 1;
            i++;
        }
    }
    collectKey(kc, 1, CMD_KEY_RO | CMD_KEY_ACCESS);
    if (store) collectKey(kc, store, CMD_KEY_OW | CMD_KEY_UPDATE);
    return kc->n;
}

static int sortRoKeys(robj **argv, int argc, keyCollector *kc) {
    (void)argv;
    (void)argc;
    collectKey(kc, 1, CMD_KEY_RO | CMD_KEY_ACCESS);
    return kc->n;
}

/* MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw]
 * [AUTH2 user pw] [KEYS key ...]: KEYS requires the key argument to be
 * empty, and then the keys are everything after it. */
static int migrateKeys(robj **argv, int argc, keyCollector *kc) {
    const uint64_t flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE;
    for (int i = 6; i < argc; i++) {
        if (argEqualsNoCase(argv[i], "keys")) {
            if (rstrLen(argv[3]->ptr) > 0) return 0;
            for (int j = i + 1; j < argc; j++) collectKey(kc, j, flags);
            return kc->n;
        } else if (argEqualsNoCase(argv[i], "auth")) {
            i += 1;
        } else if (argEqualsNoCase(argv[i], "auth2")) {
            i += 2;
        }
    }
    collectKey(kc, 3, flags);
    return kc->n;
}

/* SET reads the old value only with GET. */
static int setKeys(robj **argv, int argc, keyCollector *kc) {
    for (int i = 3; i < argc; i++) {
        if (argEqualsNoCase(argv[i], "get")) {
            collectKey(kc, 1, CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE);
            return kc->n;
        }
    }
    collectKey(kc, 1, CMD_KEY_OW | CMD_KEY_UPDATE);
    return kc->n;
}

/* BITFIELD is read-only when it only has well-formed GETs (and OVERFLOWs);
 * anything else, including a syntax error, counts as a write. */
static int bitfieldKeys(robj **argv, int argc, keyCollector *kc) {
    int readonly = 1;
    for (int i = 2; i < argc; i++) {
        int rest = argc - i - 1;
        if (argEqualsNoCase(argv[i], "get") && rest >= 2) {
            i += 2;
        } else if ((argEqualsNoCase(argv[i], "set") || argEqualsNoCase(argv[i], "incrby")) &&
                   rest >= 3) {
            readonly = 0;
            break;
        } else if (argEqualsNoCase(argv[i], "overflow") && rest >= 1) {
            i += 1;
        } else {
            readonly = 0;
            break;
        }
    }
    collectKey(kc, 1, readonly ? CMD_KEY_RO | CMD_KEY_ACCESS
                               : CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE);
    return kc->n;
}

static const struct {
    const char *fullname;
    keyExtractor *fn;
} keyExtractors[] = {
    {"eval", scriptKeys},
    {"evalsha", scriptKeys},
    {"eval_ro", scriptKeys},
    {"evalsha_ro", scriptKeys},
    {"fcall", scriptKeys},
    {"fcall_ro", scriptKeys},
    {"zunionstore", storeKeynumKeys},
    {"zinterstore", storeKeynumKeys},
    {"zdiffstore", storeKeynumKeys},
    {"zunion", keynumFirstKeys},
    {"zinter", keynumFirstKeys},
    {"zdiff", keynumFirstKeys},
    {"sintercard", keynumFirstKeys},
    {"zintercard", keynumFirstKeys},
    {"lmpop", keynumFirstKeys},
    {"zmpop", keynumFirstKeys},
    {"blmpop", blockingKeynumKeys},
    {"bzmpop", blockingKeynumKeys},
    {"sort", sortKeys},
    {"sort_ro", sortRoKeys},
    {"migrate", migrateKeys},
    {"set", setKeys},
    {"bitfield", bitfieldKeys},
    {NULL, NULL},
};

static keyExtractor *findKeyExtractor(const redisCommand *cmd) {
    const char *name = cmd->facts && !cmd->facts->parent ? cmd->facts->name : NULL;
    if (!name) return NULL; /* no subcommand needs one */
    for (int i = 0; keyExtractors[i].fullname; i++)
        if (!strcmp(keyExtractors[i].fullname, name)) return keyExtractors[i].fn;
    return NULL;
}

/* OR of all spec flags, and whether some spec names real keys. */
static uint64_t specFlagsUnion(const commandFacts *f, int *has_real_key) {
    uint64_t all = 0;
    *has_real_key = 0;
    for (int j = 0; j < f->num_key_specs; j++) {
        all |= f->key_specs[j].flags;
        if (!(f->key_specs[j].flags & CMD_KEY_NOT_KEY)) *has_real_key = 1;
    }
    return all;
}

int commandHasKeys(const redisCommand *cmd) {
    if (!cmd->facts) return 0;
    int real;
    specFlagsUnion(cmd->facts, &real);
    return real || findKeyExtractor(cmd) != NULL;
}

int commandGetKeys(const redisCommand *cmd, robj **argv, int argc, commandKeyRef *keys, int max) {
    keyCollector kc = {keys, max, 0};
    const commandFacts *f = cmd->facts;
    if (!f) return 0;
    int real;
    uint64_t all = specFlagsUnion(f, &real);
    if (real && !(all & CMD_KEY_VARIABLE_FLAGS)) {
        int n = keysFromSpecs(f, argv, argc, &kc);
        if (n >= 0) return n;
    }
    keyExtractor *fn = findKeyExtractor(cmd);
    return fn ? fn(argv, argc, &kc) : 0;
}

/* -------------------------------------------------------- COMMAND INFO */

static void addReplyCommandInfo(client *c, redisCommand *cmd);

static void addReplyKeySpec(client *c, const commandKeySpec *ks) {
    addReplyMapLen(c, ks->notes ? 4 : 3);
    if (ks->notes) {
        addReplyBulkCString(c, "notes");
        addReplyBulkCString(c, ks->notes);
    }
    addReplyBulkCString(c, "flags");
    addReplyBitNames(c, keySpecFlagNames, ks->flags, "");

    addReplyBulkCString(c, "begin_search");
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "type");
    if (ks->bs_type == KSPEC_BS_INDEX) {
        addReplyBulkCString(c, "index");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 1);
        addReplyBulkCString(c, "index");
        addReplyLongLong(c, ks->bs_index);
    } else if (ks->bs_type == KSPEC_BS_KEYWORD) {
        addReplyBulkCString(c, "keyword");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 2);
        addReplyBulkCString(c, "keyword");
        addReplyBulkCString(c, ks->bs_keyword);
        addReplyBulkCString(c, "startfrom");
        addReplyLongLong(c, ks->bs_startfrom);
    } else {
        addReplyBulkCString(c, "unknown");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 0);
    }

    addReplyBulkCString(c, "find_keys");
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "type");
    if (ks->fk_type == KSPEC_FK_RANGE) {
        addReplyBulkCString(c, "range");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "lastkey");
        addReplyLongLong(c, ks->fk_lastkey);
        addReplyBulkCString(c, "keystep");
        addReplyLongLong(c, ks->fk_keystep);
        addReplyBulkCString(c, "limit");
        addReplyLongLong(c, ks->fk_limit);
    } else if (ks->fk_type == KSPEC_FK_KEYNUM) {
        addReplyBulkCString(c, "keynum");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "keynumidx");
        addReplyLongLong(c, ks->fk_keynumidx);
        addReplyBulkCString(c, "firstkey");
        addReplyLongLong(c, ks->fk_firstkey);
        addReplyBulkCString(c, "keystep");
        addReplyLongLong(c, ks->fk_keystep);
    } else {
        addReplyBulkCString(c, "unknown");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 0);
    }
}

static void addReplySubcommandsInfo(client *c, redisCommand *cmd) {
    /* Redis answers an empty set here, but an array when there are some. */
    if (!cmd->subcommands || htabSize(cmd->subcommands) == 0) {
        addReplySetLen(c, 0);
        return;
    }
    addReplyArrayLen(c, (long)htabSize(cmd->subcommands));
    htabIterator it;
    htabIterInit(&it, cmd->subcommands);
    redisCommand *sub;
    while ((sub = htabIterNext(&it))) addReplyCommandInfo(c, sub);
    htabIterRelease(&it);
}

/* One COMMAND INFO entry: [name, arity, flags, first, last, step, ACL
 * categories, tips, key specs, subcommands]. */
static void addReplyCommandInfo(client *c, redisCommand *cmd) {
    const commandFacts *f = cmd->facts;
    addReplyArrayLen(c, 10);
    addReplyBulkCString(c, cmd->fullname);
    addReplyLongLong(c, cmd->arity);
    addReplyBitNames(c, commandFlagNames, cmd->flags, "");
    addReplyLongLong(c, cmd->firstkey);
    addReplyLongLong(c, cmd->lastkey);
    addReplyLongLong(c, cmd->keystep);
    addReplyBitNames(c, aclCategoryNames, cmd->acl_categories, "@");
    int ntips = f ? f->num_tips : 0;
    addReplySetLen(c, ntips);
    for (int i = 0; i < ntips; i++) addReplyBulkCString(c, f->tips[i]);
    int nspecs = f ? f->num_key_specs : 0;
    addReplySetLen(c, nspecs); /* a set in RESP3, as Redis sends it */
    for (int i = 0; i < nspecs; i++) addReplyKeySpec(c, &f->key_specs[i]);
    addReplySubcommandsInfo(c, cmd);
}

/* -------------------------------------------------------- COMMAND DOCS */

static const char *argTypeName(int type) {
    switch (type) {
    case CMD_ARG_STRING: return "string";
    case CMD_ARG_INTEGER: return "integer";
    case CMD_ARG_DOUBLE: return "double";
    case CMD_ARG_KEY: return "key";
    case CMD_ARG_PATTERN: return "pattern";
    case CMD_ARG_UNIX_TIME: return "unix-time";
    case CMD_ARG_PURE_TOKEN: return "pure-token";
    case CMD_ARG_ONEOF: return "oneof";
    case CMD_ARG_BLOCK: return "block";
    }
    return "unknown";
}

static void addReplyArgs(client *c, const commandArg *args, int num) {
    addReplyArrayLen(c, num);
    for (int i = 0; i < num; i++) {
        const commandArg *a = &args[i];
        long n = 2 + (a->key_spec_index >= 0) + !!a->token + !!a->summary + !!a->since +
                 !!a->deprecated_since + !!a->flags + !!a->subargs;
        addReplyMapLen(c, n);
        addReplyBulkCString(c, "name");
        addReplyBulkCString(c, a->name);
        addReplyBulkCString(c, "type");
        addReplyBulkCString(c, argTypeName(a->type));
        if (a->key_spec_index >= 0) {
            addReplyBulkCString(c, "key_spec_index");
            addReplyLongLong(c, a->key_spec_index);
        }
        if (a->token) {
            addReplyBulkCString(c, "token");
            addReplyBulkCString(c, a->token);
        }
        if (a->summary) {
            addReplyBulkCString(c, "summary");
            addReplyBulkCString(c, a->summary);
        }
        if (a->since) {
            addReplyBulkCString(c, "since");
            addReplyBulkCString(c, a->since);
        }
        if (a->deprecated_since) {
            addReplyBulkCString(c, "deprecated_since");
            addReplyBulkCString(c, a->deprecated_since);
        }
        if (a->flags) {
            long nf = !!(a->flags & CMD_ARG_OPTIONAL) + !!(a->flags & CMD_ARG_MULTIPLE) +
                      !!(a->flags & CMD_ARG_MULTIPLE_TOKEN);
            addReplyBulkCString(c, "flags");
            addReplySetLen(c, nf);
            if (a->flags & CMD_ARG_OPTIONAL) addReplyStatus(c, "optional");
            if (a->flags & CMD_ARG_MULTIPLE) addReplyStatus(c, "multiple");
            if (a->flags & CMD_ARG_MULTIPLE_TOKEN) addReplyStatus(c, "multiple_token");
        }
        if (a->subargs) {
            addReplyBulkCString(c, "arguments");
            addReplyArgs(c, a->subargs, a->numsubargs);
        }
    }
}

/* The doc map of one command (without its name). */
static void addReplyCommandDocs(client *c, redisCommand *cmd) {
    static const commandFacts none = {.name = NULL};
    const commandFacts *f = cmd->facts ? cmd->facts : &none;
    int has_subs = cmd->subcommands && htabSize(cmd->subcommands) > 0;
    long n = !!f->summary + !!f->since + !!f->group + !!f->complexity + !!f->doc_flags +
             !!f->deprecated_since + !!f->replaced_by + (f->num_history > 0) +
             (f->num_args > 0) + has_subs;
    addReplyMapLen(c, n);
    if (f->summary) {
        addReplyBulkCString(c, "summary");
        addReplyBulkCString(c, f->summary);
    }
    if (f->since) {
        addReplyBulkCString(c, "since");
        addReplyBulkCString(c, f->since);
    }
    if (f->group) {
        addReplyBulkCString(c, "group");
        addReplyBulkCString(c, f->group);
    }
    if (f->complexity) {
        addReplyBulkCString(c, "complexity");
        addReplyBulkCString(c, f->complexity);
    }
    if (f->doc_flags) {
        addReplyBulkCString(c, "doc_flags");
        addReplySetLen(c, !!(f->doc_flags & CMD_DOC_DEPRECATED) + !!(f->doc_flags & CMD_DOC_SYSCMD));
        if (f->doc_flags & CMD_DOC_DEPRECATED) addReplyStatus(c, "deprecated");
        if (f->doc_flags & CMD_DOC_SYSCMD) addReplyStatus(c, "syscmd");
    }
    if (f->deprecated_since) {
        addReplyBulkCString(c, "deprecated_since");
        addReplyBulkCString(c, f->deprecated_since);
    }
    if (f->replaced_by) {
        addReplyBulkCString(c, "replaced_by");
        addReplyBulkCString(c, f->replaced_by);
    }
    if (f->num_history > 0) {
        addReplyBulkCString(c, "history");
        addReplySetLen(c, f->num_history);
        for (int i = 0; i < f->num_history; i++) {
            addReplyArrayLen(c, 2);
            addReplyBulkCString(c, f->history[i].since);
            addReplyBulkCString(c, f->history[i].changes);
        }
    }
    if (f->num_args > 0) {
        addReplyBulkCString(c, "arguments");
        addReplyArgs(c, f->args, f->num_args);
    }
    if (has_subs) {
        addReplyBulkCString(c, "subcommands");
        addReplyMapLen(c, (long)htabSize(cmd->subcommands));
        htabIterator it;
        htabIterInit(&it, cmd->subcommands);
        redisCommand *sub;
        while ((sub = htabIterNext(&it))) {
            addReplyBulkCString(c, sub->fullname);
            addReplyCommandDocs(c, sub);
        }
        htabIterRelease(&it);
    }
}

/* ----------------------------------------------------------- handlers */

static void countVisitor(redisCommand *cmd, void *privdata) {
    (void)cmd;
    (*(long *)privdata)++;
}

static long countTopLevelCommands(void) {
    long n = 0;
    commandForEach(countVisitor, &n, 0);
    return n;
}

static void infoVisitor(redisCommand *cmd, void *privdata) {
    addReplyCommandInfo(privdata, cmd);
}

static void addReplyAllCommandsInfo(client *c) {
    addReplyArrayLen(c, countTopLevelCommands());
    commandForEach(infoVisitor, c, 0);
}

/* COMMAND: every visible command, as COMMAND INFO describes it. */
void commandCommand(client *c) {
    if (c->argc > 1) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    addReplyAllCommandsInfo(c);
}

void commandCountCommand(client *c) {
    addReplyLongLong(c, countTopLevelCommands());
}

/* COMMAND INFO [name ...]: unknown names answer nil in their slot. */
void commandInfoCommand(client *c) {
    if (c->argc == 2) {
        addReplyAllCommandsInfo(c);
        return;
    }
    addReplyArrayLen(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++) {
        redisCommand *cmd = lookupCommandByCString(c->argv[i]->ptr);
        if (cmd)
            addReplyCommandInfo(c, cmd);
        else
            addReplyNull(c); /* $-1 in RESP2, as Redis sends */
    }
}

static void docsVisitor(redisCommand *cmd, void *privdata) {
    client *c = privdata;
    addReplyBulkCString(c, cmd->fullname);
    addReplyCommandDocs(c, cmd);
}

/* COMMAND DOCS [name ...]: a map from name to docs; unknown names are left
 * out rather than answered with nil. */
void commandDocsCommand(client *c) {
    if (c->argc == 2) {
        addReplyMapLen(c, countTopLevelCommands());
        commandForEach(docsVisitor, c, 0);
        return;
    }
    void *len = addReplyDeferredLen(c);
    long n = 0;
    for (int i = 2; i < c->argc; i++) {
        redisCommand *cmd = lookupCommandByCString(c->argv[i]->ptr);
        if (!cmd) continue;
        docsVisitor(cmd, c);
        n++;
    }
    setDeferredMapLen(c, len, n);
}

/* COMMAND LIST filters. */
#define LIST_FILTER_NONE 0
#define LIST_FILTER_MODULE 1
#define LIST_FILTER_ACLCAT 2
#define LIST_FILTER_PATTERN 3

typedef struct listFilter {
    client *c;
    int type;
    uint64_t aclcat;      /* ACLCAT: the category bit, 0 if unknown */
    const char *pattern;  /* PATTERN */
    size_t patlen;
    long count;
} listFilter;

static void listVisitor(redisCommand *cmd, void *privdata) {
    listFilter *lf = privdata;
    int match;
    switch (lf->type) {
    case LIST_FILTER_MODULE:
        match = 0; /* ringkv loads no modules */
        break;
    case LIST_FILTER_ACLCAT:
        match = (cmd->acl_categories & lf->aclcat) != 0;
        break;
    case LIST_FILTER_PATTERN:
        match = stringmatchlen(lf->pattern, lf->patlen, cmd->fullname, strlen(cmd->fullname), 1);
        break;
    default:
        match = 1;
    }
    if (!match) return;
    addReplyBulkCString(lf->c, cmd->fullname);
    lf->count++;
}

/* COMMAND LIST [FILTERBY MODULE name|ACLCAT category|PATTERN pattern]:
 * names of commands and subcommands, each parent before its subcommands. */
void commandListCommand(client *c) {
    listFilter lf = {.c = c, .type = LIST_FILTER_NONE};
    if (c->argc == 5 && argEqualsNoCase(c->argv[2], "filterby")) {
        robj *kind = c->argv[3];
        const char *arg = c->argv[4]->ptr;
        if (argEqualsNoCase(kind, "module")) {
            lf.type = LIST_FILTER_MODULE;
        } else if (argEqualsNoCase(kind, "aclcat")) {
            lf.type = LIST_FILTER_ACLCAT;
            lf.aclcat = aclCategoryByName(arg);
        } else if (argEqualsNoCase(kind, "pattern")) {
            lf.type = LIST_FILTER_PATTERN;
            lf.pattern = arg;
            lf.patlen = rstrLen(c->argv[4]->ptr);
        } else {
            addReplyErrorSyntax(c);
            return;
        }
    } else if (c->argc != 2) {
        addReplyErrorSyntax(c);
        return;
    }
    void *len = addReplyDeferredLen(c);
    commandForEach(listVisitor, &lf, 1);
    setDeferredArrayLen(c, len, lf.count);
}

/* GETKEYS and GETKEYSANDFLAGS: argv[2..] is the command line to inspect. */
static void getKeysGeneric(client *c, int with_flags) {
    robj **argv = c->argv + 2;
    int argc = c->argc - 2;
    redisCommand *cmd = lookupCommand(argv, argc);
    if (!cmd) {
        addReplyError(c, "Invalid command specified");
        return;
    }
    if (!commandHasKeys(cmd)) {
        addReplyError(c, "The command has no key arguments");
        return;
    }
    if ((cmd->arity > 0 && cmd->arity != argc) || argc < -cmd->arity) {
        addReplyError(c, "Invalid number of arguments specified for command");
        return;
    }
    commandKeyRef stackbuf[16];
    commandKeyRef *keys = stackbuf;
    int n = commandGetKeys(cmd, argv, argc, keys, 16);
    if (n > 16) {
        keys = zmalloc(sizeof(*keys) * (size_t)n);
        n = commandGetKeys(cmd, argv, argc, keys, n);
    }
    if (n == 0) {
        if (cmd->flags & CMD_NO_MANDATORY_KEYS)
            addReplyArrayLen(c, 0);
        else
            addReplyError(c, "Invalid arguments specified for command");
    } else {
        addReplyArrayLen(c, n);
        for (int i = 0; i < n; i++) {
            if (with_flags) {
                addReplyArrayLen(c, 2);
                addReplyBulk(c, argv[keys[i].pos]);
                addReplyBitNames(c, keySpecFlagNames, keys[i].flags, "");
            } else {
                addReplyBulk(c, argv[keys[i].pos]);
            }
        }
    }
    if (keys != stackbuf) zfree(keys);
}

void commandGetkeysCommand(client *c) {
    getKeysGeneric(c, 0);
}

void commandGetkeysandflagsCommand(client *c) {
    getKeysGeneric(c, 1);
}

void commandHelpCommand(client *c) {
    static const char *help[] = {
        "(no subcommand)",
        "    Describe every command of the server, as INFO does for one.",
        "COUNT",
        "    Number of commands.",
        "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
        "    Names of all commands and subcommands, or of those passing the filter.",
        "INFO [<command-name> ...]",
        "    Name, arity, flags, key positions, ACL categories, tips, key specs and",
        "    subcommands of the given commands, or of all of them.",
        "DOCS [<command-name> ...]",
        "    Documentation (summary, version, group, arguments ...) of the given",
        "    commands, or of all of them.",
        "GETKEYS <full-command>",
        "    The arguments of a complete command line that are keys.",
        "GETKEYSANDFLAGS <full-command>",
        "    The same keys, each with the flags saying how the command uses it.",
        NULL,
    };
    addReplyHelp(c, help);
}
