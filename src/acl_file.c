/* acl_file.c -- where users come from at start-up and where they go:
 * `user` lines of the configuration, the aclfile (loaded at start-up, ACL
 * LOAD, ACL SAVE: the file format's two directions live together), and
 * the `user` lines CONFIG REWRITE writes.
 *
 * Users can be declared in the configuration or in an ACL file, never
 * both (Redis refuses to start then: two sources of truth for passwords
 * invite mistakes).  Configuration lines are checked while the file is
 * parsed, so a typo is reported with its line number, but applied only
 * after the whole configuration is read.  An unknown command name is not a
 * parse error, only a start-up one, as in Redis.
 *
 * An ACL file is all or nothing: every line is parsed into a new set of
 * users, and only when no line has an error does that set replace the
 * current one (acl_users.c then disconnects the clients of the users that
 * were replaced).  The format is Redis's: one `user <name> <rules>` per
 * line, words separated by single spaces, no quoting, no comments.  ACL
 * SAVE writes a temporary file next to the target, fsyncs it and renames
 * it over the target, so a crash leaves the old file or the new one.
 *
 * One deliberate difference: a selector left open, "(~x", in an ACL file
 * is reported as an error; Redis 7.0.15 crashes on it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acl.h"
#include "acl_selectors.h"
#include "acl_users.h"
#include "reply.h"
#include "server.h"
#include "util.h"
#include "zmalloc.h"

/* Configured users waiting for start-up: each is [name, rule, rule ...]. */
typedef struct aclPendingUser {
    rstr *args;
    int nargs;
} aclPendingUser;

static aclPendingUser *pendingUsers;
static int numPendingUsers;

const char *aclConfigUserLine(int argc, char **argv) {
    static char msg[512];
    aclInit();
    for (int i = 0; i < numPendingUsers; i++) {
        if (!strcmp(pendingUsers[i].args[0], argv[1])) {
            snprintf(msg, sizeof(msg), "Error in user declaration '%s': %s", argv[1],
                     aclRuleErrorString(ACL_RULE_DUPLICATE));
            return msg;
        }
    }
    int merged_argc = 0, bad = 0;
    rstr *merged = aclMergeSelectorArgs(argv + 2, argc - 2, &merged_argc, &bad);
    if (!merged) {
        /* Redis names argv[index within the rules] in these messages. */
        snprintf(msg, sizeof(msg), "Error in user declaration '%s': Unmatched parenthesis in acl selector",
                 argv[bad]);
        return msg;
    }
    /* Dry run on a scratch user.  Unknown commands are only reported at
     * start-up (Redis lets module commands appear later). */
    user *scratch = aclUserCreate("", 0);
    const char *reason = NULL;
    for (int j = 0; j < merged_argc && !reason; j++) {
        int err;
        if (aclSetUser(scratch, merged[j], rstrLen(merged[j]), &err) != C_OK && err != ACL_RULE_UNKNOWN) {
            snprintf(msg, sizeof(msg), "Error in user declaration '%s': %s", argv[j], aclRuleErrorString(err));
            reason = msg;
        }
    }
    aclUserFree(scratch);
    if (reason) {
        rstrFreeSplitRes(merged, merged_argc);
        return reason;
    }
    pendingUsers = zrealloc(pendingUsers, sizeof(aclPendingUser) * (size_t)(numPendingUsers + 1));
    aclPendingUser *p = &pendingUsers[numPendingUsers++];
    p->nargs = merged_argc + 1;
    p->args = zmalloc(sizeof(rstr) * (size_t)p->nargs);
    p->args[0] = rstrNew(argv[1]);
    for (int j = 0; j < merged_argc; j++) p->args[j + 1] = merged[j];
    zfree(merged);
    return NULL;
}

/* Creates the users queued by aclConfigUserLine.  Returns C_ERR after
 * logging the first problem. */
static int aclCreatePendingUsers(void) {
    for (int i = 0; i < numPendingUsers; i++) {
        aclPendingUser *p = &pendingUsers[i];
        const char *name = p->args[0];
        if (aclHasSpaces(name, rstrLen(p->args[0]))) {
            serverLog(LL_WARNING, "Spaces not allowed in ACL usernames");
            return C_ERR;
        }
        user *u = aclUsersFind(name, rstrLen(p->args[0]));
        if (u) {
            /* Only "default" exists already: its line replaces it. */
            int err;
            aclSetUser(u, "reset", 5, &err);
        } else {
            u = aclUserCreate(name, rstrLen(p->args[0]));
            aclUsersAdd(u);
        }
        for (int j = 1; j < p->nargs; j++) {
            int err;
            if (aclSetUser(u, p->args[j], rstrLen(p->args[j]), &err) != C_OK) {
                serverLog(LL_WARNING, "Error loading ACL rule '%s' for the user named '%s': %s", p->args[j],
                          name, aclRuleErrorString(err));
                return C_ERR;
            }
        }
        if (!u->enabled)
            serverLog(LL_NOTICE,
                      "The user '%s' is disabled (it has no 'on' rule in its declaration): make sure this "
                      "is intended.",
                      name);
    }
    return C_OK;
}

static void aclFreePendingUsers(void) {
    for (int i = 0; i < numPendingUsers; i++) rstrFreeSplitRes(pendingUsers[i].args, pendingUsers[i].nargs);
    zfree(pendingUsers);
    pendingUsers = NULL;
    numPendingUsers = 0;
}

static int aclFileConfigured(void) {
    return aclCfg.aclfile && aclCfg.aclfile[0];
}

/* --- ACL files -------------------------------------------------------------- */

/* Reads the aclfile and, if it is free of errors, makes its users the
 * current ones.  Returns NULL, or the errors found (caller frees). */
static rstr aclLoadFromFile(const char *filename) {
    FILE *fp = fopen(filename, "r");
    if (!fp) return rstrCatPrintf(rstrEmpty(), "Error loading ACLs, opening file '%s': %s", filename, strerror(errno));
    rstr content = rstrEmpty();
    char buf[4096];
    size_t nread;
    while ((nread = fread(buf, 1, sizeof(buf), fp)) > 0) content = rstrCatLen(content, buf, nread);
    fclose(fp);

    int nlines;
    rstr *lines = rstrSplitLen(content, (ssize_t)rstrLen(content), "\n", 1, &nlines);
    rstrFree(content);
    rstr errors = rstrEmpty();
    user **loaded = NULL;
    int nloaded = 0;

    for (int i = 0; i < nlines; i++) {
        int linenum = i + 1;
        lines[i] = rstrTrim(lines[i], " \t\r\n");
        if (rstrLen(lines[i]) == 0) continue;
        int argc;
        rstr *argv = rstrSplitLen(lines[i], (ssize_t)rstrLen(lines[i]), " ", 1, &argc);
        if (argc < 2 || strcmp(argv[0], "user") != 0) {
            errors = rstrCatPrintf(errors, "%s:%d should start with user keyword followed by the username. ",
                                   filename, linenum);
            rstrFreeSplitRes(argv, argc);
            continue;
        }
        if (aclHasSpaces(argv[1], rstrLen(argv[1]))) {
            errors = rstrCatPrintf(errors, "'%s:%d: username '%s' contains invalid characters. ", filename,
                                   linenum, argv[1]);
            rstrFreeSplitRes(argv, argc);
            continue;
        }
        int dup = 0;
        for (int k = 0; k < nloaded && !dup; k++) dup = !rstrCmp(loaded[k]->name, argv[1]);
        if (dup) {
            errors = rstrCatPrintf(errors, "WARNING: Duplicate user '%s' found on line %d. ", argv[1], linenum);
            rstrFreeSplitRes(argv, argc);
            continue;
        }
        int merged_argc = 0;
        rstr *merged = aclMergeSelectorArgs(argv + 2, argc - 2, &merged_argc, NULL);
        if (!merged) {
            errors = rstrCatPrintf(errors, "%s:%d: Unmatched parenthesis in selector definition. ", filename,
                                   linenum);
            rstrFreeSplitRes(argv, argc);
            continue;
        }
        user *u = aclUserCreate(argv[1], rstrLen(argv[1]));
        loaded = zrealloc(loaded, sizeof(user *) * (size_t)(nloaded + 1));
        loaded[nloaded++] = u;
        int reported = 0;
        for (int j = 0; j < merged_argc; j++) {
            merged[j] = rstrTrim(merged[j], "\t\r\n");
            int err;
            if (aclSetUser(u, merged[j], rstrLen(merged[j]), &err) == C_OK) continue;
            if (err == ACL_RULE_UNKNOWN) {
                /* Command names are safe to echo; other rules may hold a
                 * password, so only the first error of a line is told. */
                errors = rstrCatPrintf(errors, "%s:%d: Error in applying operation '%s': %s. ", filename,
                                       linenum, merged[j], aclRuleErrorString(err));
            } else if (!reported) {
                errors = rstrCatPrintf(errors, "%s:%d: %s. ", filename, linenum, aclRuleErrorString(err));
                reported = 1;
            }
        }
        rstrFreeSplitRes(merged, merged_argc);
        rstrFreeSplitRes(argv, argc);
    }
    rstrFreeSplitRes(lines, nlines);

    if (rstrLen(errors)) {
        for (int k = 0; k < nloaded; k++) aclUserFree(loaded[k]);
        zfree(loaded);
        errors = rstrCat(errors, "WARNING: ACL errors detected, no change to the previously active ACL rules was "
                                 "performed");
        return errors;
    }
    rstrFree(errors);
    aclUsersReplaceAll(loaded, nloaded);
    zfree(loaded);
    return NULL;
}

/* Writes every user to filename through a temporary file.  Returns C_OK,
 * or C_ERR after logging why. */
static int aclSaveToFile(const char *filename) {
    rstr content = rstrEmpty();
    for (int i = 0; i < aclUsersCount(); i++) {
        user *u = aclUsersAt(i);
        rstr desc = aclDescribeUser(u);
        content = rstrCatPrintf(content, "user %s %s\n", u->name, desc);
        rstrFree(desc);
    }
    rstr tmp = rstrCatPrintf(rstrEmpty(), "%s.tmp-%d-%lld", filename, (int)getpid(), mstime());
    int ret = C_ERR;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd == -1) {
        serverLog(LL_WARNING, "Opening temp ACL file for ACL SAVE: %s", strerror(errno));
        goto done;
    }
    size_t off = 0, len = rstrLen(content);
    while (off < len) {
        ssize_t n = write(fd, content + off, len - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            serverLog(LL_WARNING, "Writing ACL file for ACL SAVE: %s", strerror(errno));
            close(fd);
            unlink(tmp);
            goto done;
        }
        off += (size_t)n;
    }
    if (fsync(fd) == -1) {
        serverLog(LL_WARNING, "Syncing ACL file for ACL SAVE: %s", strerror(errno));
        close(fd);
        unlink(tmp);
        goto done;
    }
    close(fd);
    if (rename(tmp, filename) == -1) {
        serverLog(LL_WARNING, "Renaming ACL file for ACL SAVE: %s", strerror(errno));
        unlink(tmp);
        goto done;
    }
    ret = C_OK;
done:
    rstrFree(tmp);
    rstrFree(content);
    return ret;
}

void aclLoadUsersAtStartup(void) {
    aclInit();
    if (aclFileConfigured() && numPendingUsers) {
        serverLog(LL_WARNING,
                  "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path "
                  "is invalid. This setup is very likely to lead to configuration errors and security holes, "
                  "please define either an ACL file or declare users directly in your redis.conf, but not "
                  "both.");
        exit(1);
    }
    aclApplyRequirepass();
    if (aclCreatePendingUsers() != C_OK) {
        serverLog(LL_WARNING, "Critical error while loading ACLs. Exiting.");
        exit(1);
    }
    aclFreePendingUsers();
    if (aclFileConfigured()) {
        rstr errors = aclLoadFromFile(aclCfg.aclfile);
        if (errors) {
            serverLog(LL_WARNING, "Aborting Redis startup because of ACL errors: %s", errors);
            rstrFree(errors);
            exit(1);
        }
    }
}

rstr *aclConfigRewriteLines(int *count) {
    *count = 0;
    rstr *lines = zmalloc(sizeof(rstr) * (size_t)(aclUsersCount() + 1));
    if (aclFileConfigured()) return lines;
    for (int i = 0; i < aclUsersCount(); i++) {
        user *u = aclUsersAt(i);
        rstr desc = aclDescribeUser(u);
        lines[(*count)++] = rstrCatPrintf(rstrEmpty(), "user %s %s", u->name, desc);
        rstrFree(desc);
    }
    return lines;
}

/* --- ACL LOAD / ACL SAVE ------------------------------------------------------ */

static const char *noAclFileError =
    "This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL "
    "SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in "
    "order to store users in the Redis configuration.";

void aclLoadCommand(client *c) {
    if (!aclFileConfigured()) {
        addReplyError(c, noAclFileError);
        return;
    }
    rstr errors = aclLoadFromFile(aclCfg.aclfile);
    if (errors) {
        addReplyErrorFormat(c, "%s", errors);
        rstrFree(errors);
        return;
    }
    addReplyOk(c);
    /* The caller's own user may have been replaced: it goes now. */
    aclCloseCallerIfFlagged(c);
}

void aclSaveCommand(client *c) {
    if (!aclFileConfigured()) {
        addReplyError(c, noAclFileError);
        return;
    }
    if (aclSaveToFile(aclCfg.aclfile) != C_OK) {
        addReplyError(c, "There was an error trying to save the ACLs. Please check the server logs for more "
                         "information");
        return;
    }
    addReplyOk(c);
}
