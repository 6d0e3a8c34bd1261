/*
 * oracle_internal.h - what the oracle's own files share: maps
 * normalisation and diff printing (oracle_diff.c).
 */
#ifndef UMM_TEST_ORACLE_INTERNAL_H
#define UMM_TEST_ORACLE_INTERNAL_H

#include "oracle.h"

#include <stdio.h>

/* text with the inode of every "/dev/zero (deleted)" line replaced by a
 * placeholder; malloc'ed, NULL on no memory. */
char *oracle_normalise(const char *text);

/* Prints a line diff of two maps texts (kernel first). */
void oracle_print_diff(FILE *f, const char *kernel, const char *umm);

#endif /* UMM_TEST_ORACLE_INTERNAL_H */
