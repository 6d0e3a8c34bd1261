/*
 * guard.h - guard markers (MADV_GUARD_INSTALL): in the kernel they are
 * page-table entries, not VMAs, so /proc/PID/maps never shows them. The
 * address space keeps them as a set of marked pages; madvise installs
 * and removes them, munmap and mremap carry them along with the page
 * tables, and the fault path (fault.c) reports an access to one as
 * SIGSEGV. guard.c owns the set.
 *
 * Markers survive everything that keeps the page tables: mprotect,
 * mlock, MADV_DONTNEED, MADV_FREE, MADV_REMOVE. Only unmapping (munmap,
 * MAP_FIXED replacement, brk shrinking) and MADV_GUARD_REMOVE drop them.
 */
#ifndef UMM_GUARD_H
#define UMM_GUARD_H

#include "core/mm.h"

/* Is the page holding addr marked? */
bool guard_marked(const struct umm_mm *mm, unsigned long addr);
/* The first marked page in [start, end), or end if there is none. */
unsigned long guard_first(const struct umm_mm *mm, unsigned long start, unsigned long end);
/* Marks the pages of [start, end). 0 or -ENOMEM (nothing marked then). */
int guard_install(struct umm_mm *mm, unsigned long start, unsigned long end);
/*
 * Makes sure the next guard_remove() has the memory it may need (a
 * removal from the middle of a marked range splits it in two). Callers
 * that can still fail call it first. 0 or -ENOMEM.
 */
int guard_reserve(struct umm_mm *mm);
/* Unmarks the pages of [start, end) (MADV_GUARD_REMOVE, and page tables
 * freed by munmap). Cannot fail after guard_reserve(). */
void guard_remove(struct umm_mm *mm, unsigned long start, unsigned long end);
/* The markers of [old, old + len) move to new (mremap moving page
 * tables). 0 or -ENOMEM (nothing moved then). */
int guard_move(struct umm_mm *mm, unsigned long old, unsigned long new, unsigned long len);
/* Frees the set (umm_mm_destroy). */
void guard_destroy(struct umm_mm *mm);

#endif
