/* t_string.h -- the string commands (t_string.c) and the bit commands on
 * strings (bitops.c).
 *
 * Besides the command handlers, this header exports the few helpers the two
 * files share: argument parsing that replies on failure, the string length
 * limit (proto-max-bulk-len), and the "write handle" through which a command
 * modifies a string value in place (APPEND, SETRANGE, SETBIT, BITFIELD). */
#ifndef RINGKV_T_STRING_H
#define RINGKV_T_STRING_H

#include <stddef.h>

#include "client.h"
#include "object.h"

/* A string value opened for modification.  `cur` is the value found in the
 * keyspace (NULL when the key is missing); `val` is the object whose rstr
 * the command edits.  When cur is a RAW string nobody else references, val
 * is cur itself and edits land in the keyspace directly; otherwise val is a
 * private RAW copy that stringWriteCommit stores under the key. */
typedef struct stringWriteHandle {
    robj *key;
    robj *cur;
    robj *val;
} stringWriteHandle;

/* Opens `cur` (looked up with lookupKeyWrite, already type-checked, or NULL)
 * for writing, with its rstr grown with zero bytes to at least minlen. */
void stringWriteOpen(stringWriteHandle *h, robj *key, robj *cur, size_t minlen);
/* Stores a private copy in the keyspace (dbAdd or dbOverwrite, keeping the
 * TTL); nothing to do when the edit was in place.  The handle is spent. */
void stringWriteCommit(client *c, stringWriteHandle *h);

/* Replies "string exceeds maximum allowed size (proto-max-bulk-len)" and
 * returns C_ERR when size + append bytes would pass the limit. */
int stringCheckLengthOrReply(client *c, long long size, long long append);
/* Parses a strict integer argument; on failure replies `msg` (or the
 * standard "not an integer" error when msg is NULL) and returns C_ERR. */
int stringGetLongLongOrReply(client *c, robj *o, long long *target, const char *msg);
/* The bytes of a string object whatever its encoding; INT values are
 * rendered into buf, which must hold LONG_STR_SIZE bytes. */
const unsigned char *stringBytes(robj *o, char *buf, size_t *len);

/* t_string.c */
void getCommand(client *c);
void setCommand(client *c);
void setnxCommand(client *c);
void setexCommand(client *c);
void psetexCommand(client *c);
void getsetCommand(client *c);
void getdelCommand(client *c);
void getexCommand(client *c);
void mgetCommand(client *c);
void msetCommand(client *c);
void msetnxCommand(client *c);
void appendCommand(client *c);
void strlenCommand(client *c);
void incrCommand(client *c);
void decrCommand(client *c);
void incrbyCommand(client *c);
void decrbyCommand(client *c);
void incrbyfloatCommand(client *c);
void getrangeCommand(client *c);
void substrCommand(client *c);
void setrangeCommand(client *c);
void lcsCommand(client *c);

/* bitops.c */
void setbitCommand(client *c);
void getbitCommand(client *c);
void bitcountCommand(client *c);
void bitposCommand(client *c);
void bitopCommand(client *c);
void bitfieldCommand(client *c);
void bitfieldRoCommand(client *c);

#endif
