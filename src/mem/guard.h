/*
 * guard.h - guard markers (MADV_GUARD_INSTALL): as in the kernel, they
 * are page-table entries (PTE markers), not VMAs, so /proc/PID/maps
 * never shows them, and they move and go with the page tables: munmap,
 * MAP_FIXED replacement and brk shrinking drop them, mremap carries
 * them, MADV_DONTNEED, MADV_FREE, MADV_REMOVE, mprotect and mlock leave
 * them. guard.c owns installing, removing and finding them; the fault
 * path reports an access to one as SIGSEGV.
 */
#ifndef UMM_GUARD_H
#define UMM_GUARD_H

#include "core/mm.h"
#include "core/vma.h"

/* Is the page holding addr marked? */
bool guard_marked(struct umm_mm *mm, unsigned long addr);
/* The first marked page in [start, end), or end if there is none. */
unsigned long guard_first(struct umm_mm *mm, unsigned long start, unsigned long end);
/*
 * Marks the pages of [start, end) inside v: the pages mapped there go
 * first (they are zapped), the page tables are made as needed. 0, or
 * -ENOMEM without memory for a table (the pages marked so far stay
 * marked, as in the kernel).
 */
int guard_install(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end);
/* Unmarks the pages of [start, end) (MADV_GUARD_REMOVE). */
void guard_remove(struct umm_mm *mm, unsigned long start, unsigned long end);

#endif
