/*
 * memory.h - the seams through which the calls reach the memory layer.
 * A call decides what happens to the VMAs; what happens to the pages and
 * page tables under them is asked for here, and only here:
 *
 *   zap       the pages of a range go, the page tables stay (MADV_DONTNEED)
 *   advise    the pages of a range are lazily freed, aged or paged out
 *             (MADV_FREE, MADV_COLD, MADV_PAGEOUT)
 *   unmap     pages and page tables of a range go (munmap, MAP_FIXED, brk)
 *   move      the page tables of a range move (mremap)
 *   protect   the entries of a range follow new flags (mprotect)
 *   populate  the pages of a range are faulted in (mlock, MAP_POPULATE,
 *             MADV_POPULATE_*)
 *   fault     one access (umm_fault), or the kernel writing user memory
 *   fork      a VMA's entries copied into a child (copy_page_range)
 *
 * The layer holds the page tables (pgtable.c) with the guard markers in
 * them (guard.c), the pages of private anonymous memory (memory.c,
 * rmap.c), the pages of shared anonymous memory (shmem.c) and the
 * page-cache record of other shmem files (filemap.c).
 *
 * All expect mm->lock held.
 */
#ifndef UMM_MEM_MEMORY_H
#define UMM_MEM_MEMORY_H

#include "core/mm.h"
#include "core/vma.h"
#include "mem/pgtable.h"

/* handle_mm_fault's verdicts (the kernel's VM_FAULT_* that matter here). */
enum vm_fault {
	VM_FAULT_DONE = 0,
	VM_FAULT_SIGBUS,
	VM_FAULT_SIGSEGV,
	VM_FAULT_OOM, /* no frame for the page or a table */
};

/* A new space's memory-layer state (mm_init's page-table part). */
void mem_init(struct umm_mm *mm);
/* exit_mmap's page-table part: frees everything the layer holds for mm. */
void mem_exit(struct umm_mm *mm);
/* phys.c: the space's reference to its physical memory (cfg.phys, or
 * its own, made when first needed), and the layer's checker hooked into
 * the core's. */
void mem_phys_init(struct umm_mm *mm);
void mem_phys_exit(struct umm_mm *mm);
/* The space's physical memory, made now if it has none (NULL when that
 * fails). */
struct umm_phys *mm_phys(struct umm_mm *mm);
/* mem_check.c: the layer's invariant checker (mm->mem_check). */
int mem_check(struct umm_mm *mm, char *msg, size_t len);

/* Does the layer keep pages for v? Private anonymous memory, and shared
 * anonymous memory (its hidden file's cache, shmem.c); files and
 * hugetlb have none until the page cache and the huge page pool move in. */
bool vma_has_pages(const struct vma *v);
/* vm_page_prot: the bits of v's present PTEs. */
pte_t vma_page_prot(const struct umm_mm *mm, const struct vma *v);
/*
 * The page-level fault at addr of v (a VMA with pages; the access was
 * allowed): finds or makes the page and maps it (handle_pte_fault). A
 * fault the PTE did not need changes nothing; one that did counts in
 * min_flt. A guard marker is VM_FAULT_SIGSEGV.
 */
enum vm_fault handle_pte_fault(struct umm_mm *mm, struct vma *v, unsigned long addr, bool write);
/* umm_fault with mm locked and access checked: the whole fault path. */
long do_user_addr_fault(struct umm_mm *mm, unsigned long addr, int access,
			struct umm_fault_info *info);
/* Entries that held a page changed (zapped, moved, protected, copied,
 * cleaned): host pointers handed out by umm_translate are stale. */
static inline void mm_ptes_changed(struct umm_mm *mm)
{
	__atomic_fetch_add(&mm->generation, 1, __ATOMIC_RELEASE);
	mm->tables_touched = true;
}
/* follow_page_pte with FOLL_TOUCH, as get_user_pages looks before it
 * faults: does the entry at addr already allow the access? Then the
 * page is marked accessed, and for a write dirty itself where its entry
 * is clean (not the entry: a space that maps the page later sees it
 * dirty). */
bool follow_page(struct umm_mm *mm, unsigned long addr, bool write);
/* Is addr's page guard-marked? */
bool pte_guard_marked(struct umm_mm *mm, unsigned long addr);

/*
 * zap_page_range_single: the pages of [start, end) inside v go, as
 * MADV_DONTNEED, MADV_DONTNEED_LOCKED, MADV_FREE and MADV_REMOVE drop
 * them; the page tables, and the guard markers in them, stay.
 */
void zap_page_range(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end);
/* zap_present_pte: one entry that maps a page goes, with its page's
 * mapping (a page of shared memory keeps the entry's dirty bit). */
void zap_pte_entry(struct umm_mm *mm, pte_t *pte);

/* mincore_pte_range: one byte per page from start inside v, 1 where a
 * PTE maps a page (the zero page and PROT_NONE entries too), 0 for an
 * empty one or a guard marker, unless v is shared memory whose cache
 * holds the page. */
void pages_resident(struct umm_mm *mm, const struct vma *v, unsigned long start, unsigned long n,
		    unsigned char *vec);

/* What MADV_FREE, MADV_COLD and MADV_PAGEOUT do to the pages of
 * [start, end) inside v (madvise.c). */
enum page_advice { ADVISE_FREE, ADVISE_COLD, ADVISE_PAGEOUT };
void advise_pages(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end,
		  enum page_advice advice);

/*
 * copy_page_range: fork's copy of sv's entries in src into dv of dst
 * (the child, sharing src's physical memory). 0, or -ENOMEM when a
 * table could not be made (the child is then thrown away).
 */
int copy_page_range(struct umm_mm *dst, const struct vma *dv, struct umm_mm *src,
		    const struct vma *sv);

/*
 * unmap_region: the pages of the VMAs from first up to stop (not
 * included) go, guard markers with them, then the page tables that only
 * they needed: floor is where the mapping before them ends (0 if none),
 * ceiling where the one after them starts (0 if none), as
 * free_pgtables decides. Cannot fail. The VMAs are still linked.
 */
void unmap_region(struct umm_mm *mm, struct vma *first, struct vma *stop, unsigned long floor,
		  unsigned long ceiling);

/* move_page_tables: [old, old + len) moves to new. 0, or -ENOMEM with
 * nothing moved. */
int move_page_tables(struct umm_mm *mm, unsigned long old, unsigned long new, unsigned long len);

/*
 * change_protection: [start, end) of v (just changed by mprotect from
 * oldflags; v may have merged beyond the range) gets page-table entries
 * that follow its new flags; a locked private range made writable is
 * populated for writing, as mprotect_fixup does, the range only.
 */
void change_protection(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end,
		       vm_flags_t oldflags);

/*
 * __mm_populate over [start, end): faults each VMA's pages in as
 * get_user_pages would (a write fault where the VMA is private and
 * writable). Holes are skipped; the first failure (-EFAULT) is returned
 * unless ignore_errors.
 */
int mm_populate(struct umm_mm *mm, unsigned long start, unsigned long end, bool ignore_errors);
/* populate_vma_page_range: [start, end) of v alone, as mm_populate
 * faults each VMA's part in. */
int populate_vma_page_range(struct umm_mm *mm, struct vma *v, unsigned long start,
			    unsigned long end);
/*
 * faultin_page_range (MADV_POPULATE_READ/WRITE): faults [start, end) in
 * for reading or writing. A hole is -ENOMEM, a VMA that cannot be
 * populated -EINVAL, a page that faults -EFAULT.
 */
int faultin_page_range(struct umm_mm *mm, unsigned long start, unsigned long end, bool write);

/* copy_to_user: the kernel writes n bytes of buf at addr of user memory,
 * as the task's own write would, faults included; it stops at the first
 * that fails. Returns the bytes written (where the page is a file's,
 * which the layer does not hold, the bytes count as written). */
size_t copy_to_user(struct umm_mm *mm, unsigned long addr, const void *buf, size_t n);

#endif
