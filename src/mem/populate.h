/*
 * populate.h - what faulting pages in does to a VMA, as a fault
 * (fault.c), get_user_pages (gup.c) and mprotect's populate (memory.c)
 * each ask it.
 */
#ifndef UMM_MEM_POPULATE_H
#define UMM_MEM_POPULATE_H

#include "core/mm.h"
#include "core/pkeys.h"
#include "core/vma.h"

/*
 * Does a read fault of v allocate an anonymous page? Private anonymous
 * memory maps the zero page for reads, unless the kernel forbids it
 * (cfg.zero_page false): then the page is allocated, as by a write.
 */
static inline bool read_fault_allocates(const struct umm_mm *mm, const struct vma *v)
{
	return !mm->cfg.zero_page && vma_is_anonymous(v) && !(v->vm_flags & VM_SHARED);
}

/*
 * get_user_pages checks the caller's PKRU as a data access would
 * (check_vma_flags): a populate of memory under a key the PKRU shuts
 * faults nothing in. write: the populate writes (FOLL_WRITE).
 */
static inline bool gup_pkru_allows(const struct umm_mm *mm, const struct vma *v, bool write)
{
	return !mm->cfg.pkeys || pkru_allows(mm, vma_pkey(v), write);
}

/* Would populating v write-fault it? Private and writable, and not
 * lock-on-fault (populate leaves those alone). */
static inline bool vma_populate_writes(const struct vma *v)
{
	return (v->vm_flags & (VM_WRITE | VM_SHARED | VM_LOCKONFAULT)) == VM_WRITE;
}

/* Would populating v (populate_vma_page_range) give it anonymous pages:
 * write faults of private memory, or read faults that allocate? */
static inline bool vma_populate_allocates(const struct umm_mm *mm, const struct vma *v)
{
	if (v->vm_flags & VM_LOCKONFAULT)
		return false;
	if (!gup_pkru_allows(mm, v, vma_populate_writes(v)))
		return false;
	return vma_populate_writes(v) ||
	       ((v->vm_flags & VM_ACCESS_FLAGS) && read_fault_allocates(mm, v));
}

#endif
