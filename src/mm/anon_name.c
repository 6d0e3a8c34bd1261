/*
 * anon_name.c - placeholder; being written.
 */
#include "internal.h"
