/* memory_cmd.h -- the MEMORY command family (memory_cmd.c): USAGE, STATS,
 * DOCTOR, MALLOC-STATS, PURGE, HELP.  Bound by name from the command table. */
#ifndef RINGKV_MEMORY_CMD_H
#define RINGKV_MEMORY_CMD_H

#include "client.h"

void memoryUsageCommand(client *c);
void memoryStatsCommand(client *c);
void memoryDoctorCommand(client *c);
void memoryMallocStatsCommand(client *c);
void memoryPurgeCommand(client *c);
void memoryHelpCommand(client *c);

#endif
