/*
 * proc_smaps.c - placeholder; being written.
 */
#include "internal.h"
