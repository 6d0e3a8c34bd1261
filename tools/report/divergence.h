/*
 * divergence.h - how replay and shadow show a call whose result on
 * usermm differs from the kernel's: both results as strace writes them,
 * and usermm's maps around the addresses involved.
 */
#ifndef UMM_TOOLS_DIVERGENCE_H
#define UMM_TOOLS_DIVERGENCE_H

#include "usermm.h"

#include <stdbool.h>
#include <stdio.h>

/* A result as strace writes it: "-1 ENOMEM (Cannot allocate memory)",
 * an address in hex (address: the call returns one) or a number. */
char *format_result(char *buf, size_t n, long v, bool address);

struct divergence {
	const char *call_text; /* the call as the trace shows it */
	const char *theirs;    /* whose the recorded result is: "kernel", "recorded" */
	long recorded, ours;
	bool address;          /* the call returns an address (mmap, mremap, brk) */
	unsigned long addr;    /* its first argument */
	struct umm_mm *mm;     /* usermm's space after the call (NULL: none) */
};

/* The call, both results, and usermm's maps around addr and around
 * each result that is another address. */
void print_divergence(FILE *out, const struct divergence *d);

#endif
