/* info.h -- the INFO command and the instantaneous statistics it reports
 * (info.c).
 *
 * INFO renders the server's state as "# Section" blocks of "field:value"
 * lines, with Redis 7.0's section and field names, so that clients, scripts
 * and monitoring tools written for Redis read ringkv unchanged. */
#ifndef RINGKV_INFO_H
#define RINGKV_INFO_H

#include "client.h"
#include "object.h"
#include "rstr.h"

void infoCommand(client *c);

/* Builds the INFO text for the section names in argv[0..argc-1] (case does
 * not matter; "default", "all" and "everything" select groups; unknown names
 * are ignored).  argc == 0 means "default".  Returns a new rstr: the caller
 * frees it.  Sections appear in INFO's fixed order, each at most once. */
rstr infoGenerate(robj **argv, int argc);

/* Takes one sample of the rates shown as instantaneous_* (commands, network
 * input and output per second).  Meant to be called from serverCron; it
 * samples at most once every 100 ms whatever the caller's frequency, and INFO
 * also calls it, so the figures stay meaningful even at a low hz. */
void statsTrackInstantaneous(void);

/* Forgets the instantaneous samples (CONFIG RESETSTAT). */
void statsResetInstantaneous(void);

/* "1.50K", "2.00M" ...: a byte count as INFO's *_human fields show it.
 * Writes at most len bytes to buf (NUL-terminated). */
void infoBytesToHuman(char *buf, size_t len, unsigned long long n);

#endif
