/*
 * guard.h - guard markers (MADV_GUARD_INSTALL): in the kernel they are
 * page-table entries, not VMAs, so /proc/PID/maps never shows them. The
 * address space keeps them as a set of marked pages; madvise installs
 * and removes them, munmap and mremap carry them along with the page
 * tables, and the fault path (fault.c) reports an access to one as
 * SIGSEGV. guard.c owns the set.
 */
#ifndef UMM_GUARD_H
#define UMM_GUARD_H

#include "internal.h"

/* Is the page holding addr marked? */
bool guard_marked(const struct umm_mm *mm, unsigned long addr);
/* Marks the pages of [start, end). 0 or -ENOMEM (nothing marked then). */
int guard_install(struct umm_mm *mm, unsigned long start, unsigned long end);
/* Unmarks the pages of [start, end) (MADV_GUARD_REMOVE, and page tables
 * freed by munmap). Cannot fail. */
void guard_remove(struct umm_mm *mm, unsigned long start, unsigned long end);
/* The markers of [old, old + len) move to new (mremap moving page
 * tables). 0 or -ENOMEM (nothing moved then). */
int guard_move(struct umm_mm *mm, unsigned long old, unsigned long new, unsigned long len);
/* Frees the set (umm_mm_destroy). */
void guard_destroy(struct umm_mm *mm);

#endif
