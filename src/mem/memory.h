/*
 * memory.h - the seams through which the calls reach the memory layer.
 * A call decides what happens to the VMAs; what happens to the pages and
 * page tables under them is asked for here, and only here:
 *
 *   zap       the pages of a range go, the page tables stay (MADV_DONTNEED)
 *   unmap     pages and page tables of a range go (munmap, MAP_FIXED, brk)
 *   move      the page tables of a range move (mremap)
 *   protect   the entries of a range follow new flags (mprotect)
 *   populate  the pages of a range are faulted in (mlock, MAP_POPULATE,
 *             MADV_POPULATE_*)
 *   fault     one access (umm_fault), or the kernel writing user memory
 *
 * Today the layer holds guard markers (guard.c), the shmem page-cache
 * record (filemap.c) and the anon_vma a fault prepares; pages, page
 * tables and their counts will move in behind the same seams.
 *
 * All expect mm->lock held.
 */
#ifndef UMM_MEM_MEMORY_H
#define UMM_MEM_MEMORY_H

#include "core/mm.h"
#include "core/vma.h"

/* A new space's memory-layer state (mm_init's page-table part). */
void mem_init(struct umm_mm *mm);
/* exit_mmap's page-table part: frees everything the layer holds for mm. */
void mem_exit(struct umm_mm *mm);
/* phys.c: the space's reference to its physical memory (cfg.phys, or
 * its own, made when first needed), and the layer's checker hooked into
 * the core's. */
void mem_phys_init(struct umm_mm *mm);
void mem_phys_exit(struct umm_mm *mm);

/*
 * zap_page_range_single: the pages of [start, end) inside v go, as
 * MADV_DONTNEED, MADV_DONTNEED_LOCKED, MADV_FREE and MADV_REMOVE drop
 * them; the page tables, and the guard markers in them, stay.
 */
void zap_page_range(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end);

/*
 * unmap_region: pages and page tables of [start, end) go, guard markers
 * with them. unmap_region_prepare, run while the call can still fail,
 * makes sure unmap_region then cannot. 0 or -ENOMEM.
 */
int unmap_region_prepare(struct umm_mm *mm);
void unmap_region(struct umm_mm *mm, unsigned long start, unsigned long end);

/* move_page_tables: [old, old + len) moves to new. 0, or -ENOMEM with
 * nothing moved. */
int move_page_tables(struct umm_mm *mm, unsigned long old, unsigned long new, unsigned long len);

/*
 * change_protection: v (just changed by mprotect from oldflags) gets
 * page-table entries that follow its new flags; a locked private VMA
 * made writable is populated for writing, as mprotect_fixup does.
 */
void change_protection(struct umm_mm *mm, struct vma *v, vm_flags_t oldflags);

/*
 * __mm_populate over [start, end): faults each VMA's pages in as
 * get_user_pages would (a write fault where the VMA is private and
 * writable). Holes are skipped; the first failure (-EFAULT) is returned
 * unless ignore_errors.
 */
int mm_populate(struct umm_mm *mm, unsigned long start, unsigned long end, bool ignore_errors);
/*
 * faultin_page_range (MADV_POPULATE_READ/WRITE): faults [start, end) in
 * for reading or writing. A hole is -ENOMEM, a VMA that cannot be
 * populated -EINVAL, a page that faults -EFAULT.
 */
int faultin_page_range(struct umm_mm *mm, unsigned long start, unsigned long end, bool write);

/* The kernel writes n bytes at addr of user memory (copy_to_user, after
 * the access was checked): the pages are write-faulted in. */
void fault_in_writeable(struct umm_mm *mm, unsigned long addr, unsigned long n);

#endif
