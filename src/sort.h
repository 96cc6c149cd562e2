/* sort.h -- SORT and SORT_RO (sort.c). */
#ifndef RINGKV_SORT_H
#define RINGKV_SORT_H

#include "client.h"

void sortCommand(client *c);
void sortRoCommand(client *c);

#endif
