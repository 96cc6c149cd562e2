/* acl_selectors.c -- the ACL rule engine: users and selectors as data,
 * the rule language that edits them, permission checks, and the canonical
 * text that describes them (ACL LIST, GETUSER, ACL files).
 *
 * Commands.  Rules refer to commands by name; a selector keeps one bit per
 * command id, where the id is the command's index in commandFactsTable.  That
 * table lists every Redis 7.0 command and subcommand, a parent immediately
 * followed by its subcommands, so "the subcommands of X" is a contiguous run
 * of ids and a pass in id order visits a parent before its subcommands,
 * which is the order Redis applies and describes rules in.  +cmd on a
 * command with subcommands sets every subcommand's bit as well; +@cat sets
 * the bits of every command and subcommand in the category.
 *
 * Describing.  Redis does not keep the rules as typed: it rebuilds a short
 * rule list from the bits, and clients compare that text, so we rebuild it
 * the same way.  Start from +@all when the selector was built from +@all
 * (commands added later would be allowed) and from -@all otherwise; then
 * repeatedly emit the category that best explains the remaining
 * difference (more matching than mismatching commands, fewest mismatches,
 * then most matches, earliest category on ties); then emit single commands
 * and subcommands whose bit still differs, in id order (Redis's order there
 * is its hash table's, random per process), and finally the "+cmd|arg"
 * first-argument rules.
 *
 * Checking.  A selector allows a command when its bit is set (or the first
 * argument is one of its allowed first args), every key the command's key
 * specs locate matches a pattern granting the access the spec declares
 * (read for ACCESS, write for INSERT/UPDATE/DELETE), and every channel it
 * publishes or subscribes to matches a channel rule (a PSUBSCRIBE pattern
 * must be listed literally: a pattern rule cannot vouch for every channel
 * another pattern may match).  Keys are located once per check and shared
 * by all selectors. */
#include "acl_selectors.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "acl.h"
#include "command_table.h"
#include "server.h"
#include "sha256.h"
#include "util.h"
#include "zmalloc.h"

/* --- the command index ------------------------------------------------ */

/* What a command publishes or subscribes to (checked against & rules). */
#define ACL_CHAN_NONE 0
#define ACL_CHAN_PUBLISH 1   /* argv[1] only */
#define ACL_CHAN_SUBSCRIBE 2 /* argv[1..] */
#define ACL_CHAN_PATTERN 3   /* argv[1..], patterns matched literally */

typedef struct aclCmd {
    const commandFacts *f;
    int parent; /* id of the parent command, -1 for top-level ones */
    int nsub;   /* subcommands: ids id+1 .. id+nsub */
    int chan;   /* ACL_CHAN_* */
} aclCmd;

static aclCmd *aclCmds;
static int aclNumCmds;

/* Number of ACL categories (ACL_CATEGORY_* bits in commands.h). */
#define ACL_NUM_CATEGORIES 21
_Static_assert(ACL_CATEGORY_SCRIPTING == 1ULL << (ACL_NUM_CATEGORIES - 1),
               "ACL categories are bits 0..ACL_NUM_CATEGORIES-1, in ACL CAT order");

/* Per category, the bits of its commands: describing a selector counts
 * category members often, and a popcount over 16 words beats a pass over
 * the catalogue. */
static uint64_t aclCategoryBits[ACL_NUM_CATEGORIES][ACL_CMD_WORDS];

void aclRulesInit(void) {
    if (aclCmds) return;
    int n = 0;
    while (commandFactsTable[n].name) n++;
    serverAssert(n < ACL_MAX_COMMANDS);
    aclCmds = zcalloc(sizeof(aclCmd) * (size_t)n);
    aclNumCmds = n;
    int parent = -1;
    for (int i = 0; i < n; i++) {
        const commandFacts *f = &commandFactsTable[i];
        aclCmds[i].f = f;
        for (int cat = 0; cat < ACL_NUM_CATEGORIES; cat++)
            if (f->acl_categories & (1ULL << cat)) aclCategoryBits[cat][i >> 6] |= 1ULL << (i & 63);
        if (f->parent) {
            /* The table promises a parent's subcommands follow it. */
            serverAssert(parent >= 0 && !strcasecmp(commandFactsTable[parent].name, f->parent));
            aclCmds[i].parent = parent;
            aclCmds[parent].nsub++;
            continue;
        }
        parent = i;
        aclCmds[i].parent = -1;
        if (!strcmp(f->name, "publish") || !strcmp(f->name, "spublish"))
            aclCmds[i].chan = ACL_CHAN_PUBLISH;
        else if (!strcmp(f->name, "subscribe") || !strcmp(f->name, "ssubscribe"))
            aclCmds[i].chan = ACL_CHAN_SUBSCRIBE;
        else if (!strcmp(f->name, "psubscribe"))
            aclCmds[i].chan = ACL_CHAN_PATTERN;
    }
}

int aclCommandId(const redisCommand *cmd) {
    return (int)(cmd->facts - commandFactsTable);
}

/* "get" or "config|get": the id, or -1.  Case-insensitive; more than one
 * '|' never names a command. */
static int aclLookupCommand(const char *name, size_t len) {
    const char *bar = memchr(name, '|', len);
    size_t baselen = bar ? (size_t)(bar - name) : len;
    for (int i = 0; i < aclNumCmds; i++) {
        const char *n = aclCmds[i].f->name;
        if (aclCmds[i].parent != -1 || strlen(n) != baselen || strncasecmp(n, name, baselen)) continue;
        if (!bar) return i;
        const char *sub = bar + 1;
        size_t sublen = len - baselen - 1;
        if (memchr(sub, '|', sublen)) return -1;
        for (int j = i + 1; j <= i + aclCmds[i].nsub; j++) {
            const char *sn = aclCmds[j].f->name;
            if (strlen(sn) == sublen && !strncasecmp(sn, sub, sublen)) return j;
        }
        return -1;
    }
    return -1;
}

/* "config|get" for subcommands. */
static rstr aclCatCommandName(rstr s, int id) {
    const aclCmd *c = &aclCmds[id];
    if (c->parent >= 0) s = rstrCatPrintf(s, "%s|", aclCmds[c->parent].f->name);
    return rstrCat(s, c->f->name);
}

/* --- selectors --------------------------------------------------------- */

static inline int selGetBit(const aclSelector *s, int id) {
    return (int)((s->allowed[id >> 6] >> (id & 63)) & 1);
}

static void selSetBit(aclSelector *s, int id, int on) {
    uint64_t bit = 1ULL << (id & 63);
    if (on) {
        s->allowed[id >> 6] |= bit;
    } else {
        s->allowed[id >> 6] &= ~bit;
        s->flags &= ~ACL_SEL_ALLCOMMANDS;
    }
}

static void selResetFirstArgs(aclSelector *s, int id) {
    int kept = 0;
    for (int i = 0; i < s->nfirstargs; i++) {
        if (id == -1 || s->firstargs[i].cmd == id)
            rstrFree(s->firstargs[i].arg);
        else
            s->firstargs[kept++] = s->firstargs[i];
    }
    s->nfirstargs = kept;
}

/* +cmd / -cmd: the command and, for a container, all its subcommands. */
static void selChangePerm(aclSelector *s, int id, int allow) {
    selSetBit(s, id, allow);
    selResetFirstArgs(s, id);
    for (int j = id + 1; j <= id + aclCmds[id].nsub; j++) selSetBit(s, j, allow);
}

static void selSetCategory(aclSelector *s, uint64_t cat, int allow) {
    for (int i = 0; i < aclNumCmds; i++)
        if (aclCmds[i].f->acl_categories & cat) selChangePerm(s, i, allow);
}

static void selAllCommands(aclSelector *s) {
    memset(s->allowed, 0xff, sizeof(s->allowed));
    s->flags |= ACL_SEL_ALLCOMMANDS | ACL_SEL_FUTURE;
    selResetFirstArgs(s, -1);
}

static void selNoCommands(aclSelector *s) {
    memset(s->allowed, 0, sizeof(s->allowed));
    s->flags &= ~(ACL_SEL_ALLCOMMANDS | ACL_SEL_FUTURE);
    selResetFirstArgs(s, -1);
}

static void selResetKeys(aclSelector *s) {
    for (int i = 0; i < s->npatterns; i++) rstrFree(s->patterns[i].pattern);
    zfree(s->patterns);
    s->patterns = NULL;
    s->npatterns = 0;
}

static void selResetChannels(aclSelector *s) {
    for (int i = 0; i < s->nchannels; i++) rstrFree(s->channels[i]);
    zfree(s->channels);
    s->channels = NULL;
    s->nchannels = 0;
}

static aclSelector *selCreate(unsigned flags) {
    aclSelector *s = zcalloc(sizeof(*s));
    s->flags = flags;
    return s;
}

static void selFree(aclSelector *s) {
    selResetKeys(s);
    selResetChannels(s);
    selResetFirstArgs(s, -1);
    zfree(s->firstargs);
    zfree(s);
}

static aclSelector *selDup(const aclSelector *src) {
    aclSelector *s = zmalloc(sizeof(*s));
    *s = *src;
    if (src->npatterns) {
        s->patterns = zmalloc(sizeof(aclKeyPattern) * (size_t)src->npatterns);
        for (int i = 0; i < src->npatterns; i++) {
            s->patterns[i].perms = src->patterns[i].perms;
            s->patterns[i].pattern = rstrDup(src->patterns[i].pattern);
        }
    }
    if (src->nchannels) {
        s->channels = zmalloc(sizeof(rstr) * (size_t)src->nchannels);
        for (int i = 0; i < src->nchannels; i++) s->channels[i] = rstrDup(src->channels[i]);
    }
    if (src->nfirstargs) {
        s->firstargs = zmalloc(sizeof(aclFirstArg) * (size_t)src->nfirstargs);
        for (int i = 0; i < src->nfirstargs; i++) {
            s->firstargs[i].cmd = src->firstargs[i].cmd;
            s->firstargs[i].arg = rstrDup(src->firstargs[i].arg);
        }
    } else {
        s->firstargs = NULL;
    }
    return s;
}

int aclHasSpaces(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (isspace((unsigned char)s[i]) || s[i] == '\0') return 1;
    return 0;
}

static void selAddKeyPattern(aclSelector *s, const char *pat, size_t len, int perms) {
    /* The same pattern given twice keeps one entry with both permissions. */
    for (int i = 0; i < s->npatterns; i++) {
        rstr p = s->patterns[i].pattern;
        if (rstrLen(p) == len && !memcmp(p, pat, len)) {
            s->patterns[i].perms |= perms;
            return;
        }
    }
    s->patterns = zrealloc(s->patterns, sizeof(aclKeyPattern) * (size_t)(s->npatterns + 1));
    s->patterns[s->npatterns].perms = perms;
    s->patterns[s->npatterns].pattern = rstrNewLen(pat, len);
    s->npatterns++;
}

static void selAddChannel(aclSelector *s, const char *pat, size_t len) {
    for (int i = 0; i < s->nchannels; i++)
        if (rstrLen(s->channels[i]) == len && !memcmp(s->channels[i], pat, len)) return;
    s->channels = zrealloc(s->channels, sizeof(rstr) * (size_t)(s->nchannels + 1));
    s->channels[s->nchannels++] = rstrNewLen(pat, len);
}

static void selAddFirstArg(aclSelector *s, int id, const char *arg, size_t len) {
    for (int i = 0; i < s->nfirstargs; i++) {
        rstr a = s->firstargs[i].arg;
        if (s->firstargs[i].cmd == id && rstrLen(a) == len && !strncasecmp(a, arg, len)) return;
    }
    s->firstargs = zrealloc(s->firstargs, sizeof(aclFirstArg) * (size_t)(s->nfirstargs + 1));
    s->firstargs[s->nfirstargs].cmd = id;
    s->firstargs[s->nfirstargs].arg = rstrNewLen(arg, len);
    s->nfirstargs++;
}

static int opIs(const char *op, size_t len, const char *word) {
    return strlen(word) == len && !strncasecmp(op, word, len);
}

/* "~pattern", "%R~pattern", "%W~pattern", "%RW~pattern". */
static int selSetKeyRule(aclSelector *s, const char *op, size_t len, int *err) {
    if (s->flags & ACL_SEL_ALLKEYS) {
        *err = ACL_RULE_KEY_AFTER_ALL;
        return C_ERR;
    }
    int perms = 0;
    size_t off = 1;
    if (op[0] == '%') {
        /* Each letter once, then '~' (a rule may also stop right after the
         * letters: an empty pattern, as Redis accepts it). */
        for (; off < len; off++) {
            char ch = (char)toupper((unsigned char)op[off]);
            if (ch == 'R' && !(perms & ACL_PERM_READ)) {
                perms |= ACL_PERM_READ;
            } else if (ch == 'W' && !(perms & ACL_PERM_WRITE)) {
                perms |= ACL_PERM_WRITE;
            } else if (op[off] == '~') {
                off++;
                break;
            } else {
                *err = ACL_RULE_SYNTAX;
                return C_ERR;
            }
        }
    } else {
        perms = ACL_PERM_ALL;
    }
    if (perms == 0 || aclHasSpaces(op + off, len - off)) {
        *err = ACL_RULE_SYNTAX;
        return C_ERR;
    }
    selAddKeyPattern(s, op + off, len - off, perms);
    return C_OK;
}

/* "+cmd", "+cmd|sub", "+cmd|firstarg", "-cmd", "-cmd|sub". */
static int selSetCommandRule(aclSelector *s, const char *op, size_t len, int *err) {
    int allow = op[0] == '+';
    const char *name = op + 1;
    size_t namelen = len - 1;
    const char *bar = NULL;
    for (size_t i = namelen; i > 0; i--)
        if (name[i - 1] == '|') {
            bar = name + i - 1;
            break;
        }
    if (!allow || !bar) {
        int id = aclLookupCommand(name, namelen);
        if (id < 0) {
            *err = ACL_RULE_UNKNOWN;
            return C_ERR;
        }
        selChangePerm(s, id, allow);
        return C_OK;
    }
    /* "+a|b": split at the last '|'. */
    int id = aclLookupCommand(name, (size_t)(bar - name));
    if (id < 0) {
        *err = ACL_RULE_UNKNOWN;
        return C_ERR;
    }
    if (aclCmds[id].parent >= 0) {
        *err = ACL_RULE_SUB_FIRSTARG;
        return C_ERR;
    }
    const char *sub = bar + 1;
    size_t sublen = namelen - (size_t)(sub - name);
    if (sublen == 0) {
        *err = ACL_RULE_SYNTAX;
        return C_ERR;
    }
    if (aclCmds[id].nsub) {
        int subid = aclLookupCommand(name, namelen);
        if (subid < 0) {
            *err = ACL_RULE_UNKNOWN;
            return C_ERR;
        }
        selChangePerm(s, subid, 1);
        return C_OK;
    }
    /* A command without subcommands: allow it only with this first
     * argument (SELECT 0).  Redis warns that this is a misuse of ACLs. */
    serverLog(LL_WARNING,
              "Deprecation warning: allowing a first argument of an otherwise blocked command is a "
              "misuse of ACLs and may be removed (offender: %.*s)",
              (int)len, op);
    selAddFirstArg(s, id, sub, sublen);
    return C_OK;
}

/* Rules that apply to a selector: keys, channels, commands. */
static int selSetRule(aclSelector *s, const char *op, size_t len, int *err) {
    if (opIs(op, len, "allkeys") || (len == 2 && !memcmp(op, "~*", 2))) {
        s->flags |= ACL_SEL_ALLKEYS;
        selResetKeys(s);
    } else if (opIs(op, len, "resetkeys")) {
        s->flags &= ~ACL_SEL_ALLKEYS;
        selResetKeys(s);
    } else if (opIs(op, len, "allchannels") || (len == 2 && !memcmp(op, "&*", 2))) {
        s->flags |= ACL_SEL_ALLCHANNELS;
        selResetChannels(s);
    } else if (opIs(op, len, "resetchannels")) {
        s->flags &= ~ACL_SEL_ALLCHANNELS;
        selResetChannels(s);
    } else if (opIs(op, len, "allcommands") || opIs(op, len, "+@all")) {
        selAllCommands(s);
    } else if (opIs(op, len, "nocommands") || opIs(op, len, "-@all")) {
        selNoCommands(s);
    } else if (op[0] == '~' || op[0] == '%') {
        return selSetKeyRule(s, op, len, err);
    } else if (op[0] == '&') {
        if (s->flags & ACL_SEL_ALLCHANNELS) {
            *err = ACL_RULE_CHAN_AFTER_ALL;
            return C_ERR;
        }
        if (aclHasSpaces(op + 1, len - 1)) {
            *err = ACL_RULE_SYNTAX;
            return C_ERR;
        }
        selAddChannel(s, op + 1, len - 1);
    } else if ((op[0] == '+' || op[0] == '-') && len > 1 && op[1] == '@') {
        rstr cat = rstrNewLen(op + 2, len - 2);
        uint64_t bit = aclCategoryByName(cat);
        rstrFree(cat);
        if (!bit) {
            *err = ACL_RULE_UNKNOWN;
            return C_ERR;
        }
        selSetCategory(s, bit, op[0] == '+');
    } else if (op[0] == '+' || op[0] == '-') {
        return selSetCommandRule(s, op, len, err);
    } else {
        *err = ACL_RULE_SYNTAX;
        return C_ERR;
    }
    return C_OK;
}

/* A new selector gets all channels when acl-pubsub-default says so. */
static unsigned selDefaultFlags(void) {
    return aclCfg.pubsub_default_all ? ACL_SEL_ALLCHANNELS : 0;
}

/* "(rules)": a new selector built from the rules inside the parentheses. */
static aclSelector *selCreateFromOpSet(const char *op, size_t len, int *err) {
    aclSelector *s = selCreate(selDefaultFlags());
    rstr inner = rstrNewLen(op + 1, len - 2);
    int argc;
    /* Unbalanced quotes split into nothing: an empty selector, as Redis. */
    rstr *argv = rstrSplitArgs(inner, &argc);
    rstrFree(inner);
    int ok = 1;
    for (int i = 0; i < argc && ok; i++)
        if (selSetRule(s, argv[i], rstrLen(argv[i]), err) != C_OK) ok = 0;
    if (argv) rstrFreeSplitRes(argv, argc);
    if (!ok) {
        selFree(s);
        return NULL;
    }
    return s;
}

/* --- users ------------------------------------------------------------- */

user *aclUserCreate(const char *name, size_t len) {
    user *u = zcalloc(sizeof(*u));
    u->name = rstrNewLen(name, len);
    u->selectors = zmalloc(sizeof(aclSelector *));
    u->selectors[0] = selCreate(selDefaultFlags());
    u->nselectors = 1;
    return u;
}

static void userResetPasswords(user *u) {
    for (int i = 0; i < u->npasswords; i++) rstrFree(u->passwords[i]);
    zfree(u->passwords);
    u->passwords = NULL;
    u->npasswords = 0;
}

static void userClearSelectors(user *u) {
    for (int i = 1; i < u->nselectors; i++) selFree(u->selectors[i]);
    u->nselectors = 1;
}

void aclUserFree(user *u) {
    if (!u) return;
    userResetPasswords(u);
    for (int i = 0; i < u->nselectors; i++) selFree(u->selectors[i]);
    zfree(u->selectors);
    rstrFree(u->name);
    zfree(u);
}

void aclUserCopy(user *dst, const user *src) {
    if (dst == src) return;
    userResetPasswords(dst);
    for (int i = 0; i < dst->nselectors; i++) selFree(dst->selectors[i]);
    zfree(dst->selectors);
    dst->enabled = src->enabled;
    dst->nopass = src->nopass;
    dst->sanitize = src->sanitize;
    if (src->npasswords) {
        dst->passwords = zmalloc(sizeof(rstr) * (size_t)src->npasswords);
        for (int i = 0; i < src->npasswords; i++) dst->passwords[i] = rstrDup(src->passwords[i]);
        dst->npasswords = src->npasswords;
    }
    dst->selectors = zmalloc(sizeof(aclSelector *) * (size_t)src->nselectors);
    for (int i = 0; i < src->nselectors; i++) dst->selectors[i] = selDup(src->selectors[i]);
    dst->nselectors = src->nselectors;
}

static int userFindPassword(const user *u, const char *hex) {
    for (int i = 0; i < u->npasswords; i++)
        if (!strcmp(u->passwords[i], hex)) return i;
    return -1;
}

static void userAddPassword(user *u, const char *hex) {
    if (userFindPassword(u, hex) >= 0) return;
    u->passwords = zrealloc(u->passwords, sizeof(rstr) * (size_t)(u->npasswords + 1));
    u->passwords[u->npasswords++] = rstrNew(hex);
}

static int userRemovePassword(user *u, const char *hex) {
    int i = userFindPassword(u, hex);
    if (i < 0) return C_ERR;
    rstrFree(u->passwords[i]);
    memmove(u->passwords + i, u->passwords + i + 1, sizeof(rstr) * (size_t)(u->npasswords - i - 1));
    u->npasswords--;
    return C_OK;
}

/* A stored hash: exactly 64 lower-case hex digits. */
static int aclValidHash(const char *s, size_t len) {
    if (len != SHA256_HEX_LEN) return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    return 1;
}

/* The hash a password rule names: >pass and <pass hash the clear text,
 * #hash and !hash give it (validated). */
static int rulePasswordHash(const char *op, size_t len, char *hex, int *err) {
    if (op[0] == '>' || op[0] == '<') {
        sha256Hex(op + 1, len - 1, hex);
        return C_OK;
    }
    if (!aclValidHash(op + 1, len - 1)) {
        *err = ACL_RULE_BAD_HASH;
        return C_ERR;
    }
    memcpy(hex, op + 1, SHA256_HEX_LEN);
    hex[SHA256_HEX_LEN] = '\0';
    return C_OK;
}

int aclSetUser(user *u, const char *op, size_t len, int *err) {
    char hex[SHA256_HEX_LEN + 1];
    if (len == 0) return C_OK;
    if (opIs(op, len, "on")) {
        u->enabled = 1;
    } else if (opIs(op, len, "off")) {
        u->enabled = 0;
    } else if (opIs(op, len, "skip-sanitize-payload")) {
        u->sanitize = ACL_SANITIZE_SKIP;
    } else if (opIs(op, len, "sanitize-payload")) {
        u->sanitize = ACL_SANITIZE_YES;
    } else if (opIs(op, len, "nopass")) {
        u->nopass = 1;
        userResetPasswords(u);
    } else if (opIs(op, len, "resetpass")) {
        u->nopass = 0;
        userResetPasswords(u);
    } else if (op[0] == '>' || op[0] == '#') {
        if (rulePasswordHash(op, len, hex, err) != C_OK) return C_ERR;
        userAddPassword(u, hex);
        u->nopass = 0;
    } else if (op[0] == '<' || op[0] == '!') {
        if (rulePasswordHash(op, len, hex, err) != C_OK) return C_ERR;
        if (userRemovePassword(u, hex) != C_OK) {
            *err = ACL_RULE_NO_SUCH_PASS;
            return C_ERR;
        }
    } else if (op[0] == '(' && op[len - 1] == ')') {
        aclSelector *s = selCreateFromOpSet(op, len, err);
        if (!s) return C_ERR;
        u->selectors = zrealloc(u->selectors, sizeof(aclSelector *) * (size_t)(u->nselectors + 1));
        u->selectors[u->nselectors++] = s;
    } else if (opIs(op, len, "clearselectors")) {
        userClearSelectors(u);
    } else if (opIs(op, len, "reset")) {
        /* Back to a new user's state, whatever acl-pubsub-default says
         * about channels, and with payload sanitizing explicitly on. */
        u->nopass = 0;
        userResetPasswords(u);
        aclSelector *root = u->selectors[0];
        root->flags &= ~(ACL_SEL_ALLKEYS | ACL_SEL_ALLCHANNELS);
        selResetKeys(root);
        selResetChannels(root);
        root->flags |= selDefaultFlags();
        u->enabled = 0;
        u->sanitize = ACL_SANITIZE_YES;
        userClearSelectors(u);
        selNoCommands(root);
    } else {
        return selSetRule(u->selectors[0], op, len, err);
    }
    return C_OK;
}

const char *aclRuleErrorString(int err) {
    switch (err) {
    case ACL_RULE_UNKNOWN: return "Unknown command or category name in ACL";
    case ACL_RULE_SYNTAX: return "Syntax error";
    case ACL_RULE_KEY_AFTER_ALL:
        return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does "
               "not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    case ACL_RULE_CHAN_AFTER_ALL:
        return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and "
               "does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    case ACL_RULE_NO_SUCH_PASS: return "The password you are trying to remove from the user does not exist";
    case ACL_RULE_BAD_HASH:
        return "The password hash must be exactly 64 characters and contain only lowercase "
               "hexadecimal characters";
    case ACL_RULE_DUPLICATE:
        return "Duplicate user found. A user can only be defined once in config files";
    case ACL_RULE_SUB_FIRSTARG: return "Allowing first-arg of a subcommand is not supported";
    default: return "Wrong format";
    }
}

rstr *aclMergeSelectorArgs(char **argv, int argc, int *merged_argc, int *bad_idx) {
    rstr *out = zmalloc(sizeof(rstr) * (size_t)(argc ? argc : 1));
    int n = 0, open = -1;
    rstr cur = NULL;
    for (int j = 0; j < argc; j++) {
        const char *op = argv[j];
        size_t len = strlen(op);
        if (len && op[0] == '(' && op[len - 1] != ')') {
            /* Opens a selector spread over several arguments.  Inside one
             * already, it starts over: Redis drops the unfinished part. */
            rstrFree(cur);
            cur = rstrNew(op);
            open = j;
            continue;
        }
        if (open != -1) {
            cur = rstrCat(rstrCat(cur, " "), op);
            if (len && op[len - 1] == ')') {
                out[n++] = cur;
                cur = NULL;
                open = -1;
            }
            continue;
        }
        out[n++] = rstrNew(op);
    }
    if (open != -1) {
        rstrFree(cur);
        rstrFreeSplitRes(out, n);
        if (bad_idx) *bad_idx = open;
        return NULL;
    }
    *merged_argc = n;
    return out;
}

/* --- descriptions ------------------------------------------------------- */

/* Commands of category number cat whose bit is set / clear in s. */
static void selCountCategory(const aclSelector *s, int cat, unsigned long *on, unsigned long *off) {
    *on = *off = 0;
    for (int w = 0; w < ACL_CMD_WORDS; w++) {
        uint64_t members = aclCategoryBits[cat][w];
        *on += (unsigned long)__builtin_popcountll(s->allowed[w] & members);
        *off += (unsigned long)__builtin_popcountll(~s->allowed[w] & members);
    }
}

rstr aclDescribeSelectorCommands(const aclSelector *s) {
    /* fake: what the rules emitted so far grant; left: the part of the
     * selector that categories emitted so far have not explained yet. */
    aclSelector fake, left;
    memset(&fake, 0, sizeof(fake));
    memset(&left, 0, sizeof(left));
    memcpy(left.allowed, s->allowed, sizeof(left.allowed));
    int additive = !(s->flags & ACL_SEL_FUTURE);
    rstr rules = rstrNew(additive ? "-@all " : "+@all ");
    if (!additive) memset(fake.allowed, 0xff, sizeof(fake.allowed));

    int applied[ACL_NUM_CATEGORIES] = {0};
    for (;;) {
        int best = -1;
        unsigned long mindiff = ULONG_MAX, maxsame = 0;
        for (int j = 0; j < ACL_NUM_CATEGORIES; j++) {
            if (applied[j]) continue;
            unsigned long on, off;
            selCountCategory(&left, j, &on, &off);
            unsigned long diff = additive ? off : on;
            unsigned long same = additive ? on : off;
            if (same > diff && (diff < mindiff || (diff == mindiff && same > maxsame))) {
                best = j;
                mindiff = diff;
                maxsame = same;
            }
        }
        if (best == -1) break;
        uint64_t cat = 1ULL << best;
        selSetCategory(&fake, cat, additive);
        selSetCategory(&left, cat, !additive);
        rules = rstrCatPrintf(rules, "%c@%s ", additive ? '+' : '-', aclCategoryName(cat));
        applied[best] = 1;
    }

    for (int i = 0; i < aclNumCmds; i++) {
        int userbit = selGetBit(s, i);
        if (userbit != selGetBit(&fake, i)) {
            rules = rstrCat(rules, userbit ? "+" : "-");
            rules = aclCatCommandName(rules, i);
            rules = rstrCat(rules, " ");
            selChangePerm(&fake, i, userbit);
        }
        if (userbit) continue;
        for (int j = 0; j < s->nfirstargs; j++) {
            if (s->firstargs[j].cmd != i) continue;
            rules = rstrCat(rules, "+");
            rules = aclCatCommandName(rules, i);
            rules = rstrCatPrintf(rules, "|%s ", s->firstargs[j].arg);
        }
    }
    rstrSetLen(rules, rstrLen(rules) - 1); /* the last space */
    return rules;
}

static rstr catKeyPattern(rstr s, const aclKeyPattern *p) {
    if (p->perms == ACL_PERM_READ)
        s = rstrCat(s, "%R~");
    else if (p->perms == ACL_PERM_WRITE)
        s = rstrCat(s, "%W~");
    else
        s = rstrCat(s, "~");
    return rstrCatLen(s, p->pattern, rstrLen(p->pattern));
}

rstr aclDescribeSelectorKeys(const aclSelector *s) {
    if (s->flags & ACL_SEL_ALLKEYS) return rstrNew("~*");
    rstr out = rstrEmpty();
    for (int i = 0; i < s->npatterns; i++) {
        if (i) out = rstrCat(out, " ");
        out = catKeyPattern(out, &s->patterns[i]);
    }
    return out;
}

rstr aclDescribeSelectorChannels(const aclSelector *s) {
    if (s->flags & ACL_SEL_ALLCHANNELS) return rstrNew("&*");
    rstr out = rstrEmpty();
    for (int i = 0; i < s->nchannels; i++) {
        if (i) out = rstrCat(out, " ");
        out = rstrCat(out, "&");
        out = rstrCatLen(out, s->channels[i], rstrLen(s->channels[i]));
    }
    return out;
}

/* Keys, then channels, then commands: "~k* resetchannels &c -@all +get". */
static rstr catSelector(rstr out, const aclSelector *s) {
    if (s->flags & ACL_SEL_ALLKEYS) {
        out = rstrCat(out, "~* ");
    } else {
        for (int i = 0; i < s->npatterns; i++) {
            out = catKeyPattern(out, &s->patterns[i]);
            out = rstrCat(out, " ");
        }
    }
    if (s->flags & ACL_SEL_ALLCHANNELS) {
        out = rstrCat(out, "&* ");
    } else {
        out = rstrCat(out, "resetchannels ");
        for (int i = 0; i < s->nchannels; i++) {
            out = rstrCat(out, "&");
            out = rstrCatLen(out, s->channels[i], rstrLen(s->channels[i]));
            out = rstrCat(out, " ");
        }
    }
    rstr cmds = aclDescribeSelectorCommands(s);
    out = rstrCatLen(out, cmds, rstrLen(cmds));
    rstrFree(cmds);
    return out;
}

rstr aclDescribeUser(const user *u) {
    rstr out = rstrNew(u->enabled ? "on " : "off ");
    if (u->nopass) out = rstrCat(out, "nopass ");
    if (u->sanitize == ACL_SANITIZE_SKIP) out = rstrCat(out, "skip-sanitize-payload ");
    if (u->sanitize == ACL_SANITIZE_YES) out = rstrCat(out, "sanitize-payload ");
    for (int i = 0; i < u->npasswords; i++) out = rstrCatPrintf(out, "#%s ", u->passwords[i]);
    out = catSelector(out, u->selectors[0]);
    for (int i = 1; i < u->nselectors; i++) {
        out = rstrCat(out, " (");
        out = catSelector(out, u->selectors[i]);
        out = rstrCat(out, ")");
    }
    return out;
}

/* --- checks ------------------------------------------------------------- */

/* Key positions of one command line, located at most once per check. */
typedef struct aclKeyCache {
    int done;
    int n;
    commandKeyRef *keys;
    commandKeyRef buf[16];
} aclKeyCache;

static void keyCacheFill(aclKeyCache *kc, const redisCommand *cmd, robj **argv, int argc) {
    if (kc->done) return;
    kc->done = 1;
    kc->keys = kc->buf;
    kc->n = commandGetKeys(cmd, argv, argc, kc->buf, 16);
    if (kc->n > 16) {
        kc->keys = zmalloc(sizeof(commandKeyRef) * (size_t)kc->n);
        commandGetKeys(cmd, argv, argc, kc->keys, kc->n);
    }
}

static void keyCacheRelease(aclKeyCache *kc) {
    if (kc->done && kc->keys != kc->buf) zfree(kc->keys);
}

/* The access a key spec asks for, in ACL_PERM_* terms. */
static int keySpecPerms(uint64_t flags) {
    int perms = 0;
    if (flags & CMD_KEY_ACCESS) perms |= ACL_PERM_READ;
    if (flags & (CMD_KEY_INSERT | CMD_KEY_DELETE | CMD_KEY_UPDATE)) perms |= ACL_PERM_WRITE;
    return perms;
}

static int selCheckKey(const aclSelector *s, const char *key, size_t len, int perms) {
    for (int i = 0; i < s->npatterns; i++) {
        const aclKeyPattern *p = &s->patterns[i];
        if ((p->perms & perms) != perms) continue;
        if (stringmatchlen(p->pattern, rstrLen(p->pattern), key, len, 0)) return ACL_OK;
    }
    return ACL_DENIED_KEY;
}

static int channelAllowedBy(rstr *list, int n, const char *ch, size_t len, int is_pattern) {
    for (int i = 0; i < n; i++) {
        size_t plen = rstrLen(list[i]);
        if (is_pattern) {
            if (plen == len && !memcmp(list[i], ch, len)) return 1;
        } else if (stringmatchlen(list[i], plen, ch, len, 0)) {
            return 1;
        }
    }
    return 0;
}

static int selCheckCommand(const aclSelector *s, const redisCommand *cmd, robj **argv, int argc,
                           int *errpos, aclKeyCache *kc) {
    int id = aclCommandId(cmd);
    if (!(s->flags & ACL_SEL_ALLCOMMANDS) && !(cmd->flags & CMD_NO_AUTH) && !selGetBit(s, id)) {
        /* Maybe allowed with this first argument only. */
        int idx = aclCmds[id].parent >= 0 ? 2 : 1;
        int ok = 0;
        if (argc > idx) {
            robj *arg = argv[idx];
            size_t alen = rstrLen(arg->ptr);
            for (int i = 0; i < s->nfirstargs && !ok; i++) {
                const aclFirstArg *fa = &s->firstargs[i];
                ok = fa->cmd == id && rstrLen(fa->arg) == alen && !strncasecmp(fa->arg, arg->ptr, alen);
            }
        }
        if (!ok) {
            *errpos = 0;
            return ACL_DENIED_CMD;
        }
    }
    if (!(s->flags & ACL_SEL_ALLKEYS) && commandHasKeys(cmd)) {
        keyCacheFill(kc, cmd, argv, argc);
        int n = kc->n;
        for (int j = 0; j < n; j++) {
            int pos = kc->keys[j].pos;
            robj *k = argv[pos];
            if (selCheckKey(s, k->ptr, rstrLen(k->ptr), keySpecPerms(kc->keys[j].flags)) != ACL_OK) {
                *errpos = pos;
                return ACL_DENIED_KEY;
            }
        }
    }
    int chan = aclCmds[id].chan;
    if (!(s->flags & ACL_SEL_ALLCHANNELS) && chan != ACL_CHAN_NONE) {
        int last = chan == ACL_CHAN_PUBLISH ? (argc > 1 ? 1 : 0) : argc - 1;
        for (int pos = 1; pos <= last; pos++) {
            robj *ch = argv[pos];
            if (!channelAllowedBy(s->channels, s->nchannels, ch->ptr, rstrLen(ch->ptr),
                                  chan == ACL_CHAN_PATTERN)) {
                *errpos = pos;
                return ACL_DENIED_CHANNEL;
            }
        }
    }
    return ACL_OK;
}

int aclCheckUserCommand(const user *u, const redisCommand *cmd, robj **argv, int argc, int *errpos) {
    /* With several selectors the error reported is the most specific one
     * (channel > key > command), and among equals the one furthest right. */
    int relevant = ACL_DENIED_CMD, lastpos = 0;
    aclKeyCache kc;
    kc.done = 0;
    for (int i = 0; i < u->nselectors; i++) {
        int pos = 0;
        int r = selCheckCommand(u->selectors[i], cmd, argv, argc, &pos, &kc);
        if (r == ACL_OK) {
            keyCacheRelease(&kc);
            return ACL_OK;
        }
        if (r > relevant || (r == relevant && pos > lastpos)) {
            relevant = r;
            lastpos = pos;
        }
    }
    keyCacheRelease(&kc);
    *errpos = lastpos;
    return relevant;
}

static int selHasFullReadAccess(const aclSelector *s) {
    if (s->flags & ACL_SEL_ALLKEYS) return 1;
    for (int i = 0; i < s->npatterns; i++) {
        const aclKeyPattern *p = &s->patterns[i];
        if ((p->perms & ACL_PERM_READ) && rstrLen(p->pattern) == 1 && p->pattern[0] == '*') return 1;
    }
    return 0;
}

int aclUserHasFullKeyAccess(const user *u, const redisCommand *cmd, robj **argv, int argc) {
    aclKeyCache kc;
    kc.done = 0;
    int ok = 0;
    for (int i = 0; i < u->nselectors && !ok; i++) {
        int pos;
        ok = selCheckCommand(u->selectors[i], cmd, argv, argc, &pos, &kc) == ACL_OK &&
             selHasFullReadAccess(u->selectors[i]);
    }
    keyCacheRelease(&kc);
    return ok;
}

int aclUserAllowsChannel(const user *u, const char *channel, size_t len, int is_pattern) {
    for (int i = 0; i < u->nselectors; i++) {
        const aclSelector *s = u->selectors[i];
        if (s->flags & ACL_SEL_ALLCHANNELS) return 1;
        if (channelAllowedBy(s->channels, s->nchannels, channel, len, is_pattern)) return 1;
    }
    return 0;
}

int aclUserChannelsSuperset(const user *newu, const user *old) {
    for (int i = 0; i < newu->nselectors; i++)
        if (newu->selectors[i]->flags & ACL_SEL_ALLCHANNELS) return 1;
    for (int i = 0; i < old->nselectors; i++) {
        const aclSelector *s = old->selectors[i];
        /* All channels before, not after: something was lost. */
        if (s->flags & ACL_SEL_ALLCHANNELS) return 0;
        for (int j = 0; j < s->nchannels; j++) {
            int found = 0;
            for (int k = 0; k < newu->nselectors && !found; k++) {
                const aclSelector *ns = newu->selectors[k];
                for (int m = 0; m < ns->nchannels && !found; m++)
                    found = !rstrCmp(ns->channels[m], s->channels[j]);
            }
            if (!found) return 0;
        }
    }
    return 1;
}
