/*
 * memory.c - the range seams of memory.h that act on page tables: zap,
 * unmap, move and protect, and the layer's state at a space's birth and
 * death. Today the page tables hold only guard markers (guard.c).
 */
#include "core/mm.h"
#include "core/vma.h"
#include "mem/guard.h"
#include "mem/memory.h"
#include "mem/populate.h"

void mem_init(struct umm_mm *mm)
{
	mm->guards.alloc = mm->cfg.allocator;
	mem_phys_init(mm);
}

void mem_exit(struct umm_mm *mm)
{
	guard_destroy(mm);
	mem_phys_exit(mm);
}

void zap_page_range(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end)
{
	/* No pages are modelled yet, and guard markers survive a zap. */
	(void)mm;
	(void)v;
	(void)start;
	(void)end;
}

int unmap_region_prepare(struct umm_mm *mm)
{
	/* Removing markers from the middle of a marked range splits it. */
	return guard_reserve(mm);
}

void unmap_region(struct umm_mm *mm, unsigned long start, unsigned long end)
{
	guard_remove(mm, start, end);
}

int move_page_tables(struct umm_mm *mm, unsigned long old, unsigned long new, unsigned long len)
{
	return guard_move(mm, old, new, len);
}

void change_protection(struct umm_mm *mm, struct vma *v, vm_flags_t oldflags)
{
	/* mprotect_fixup populates a locked private VMA made writable, which
	 * breaks COW: the write faults give it an anon_vma. */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED &&
	    (v->vm_flags & VM_WRITE) && vma_populate_allocates(mm, v))
		vma_anon_prepare(mm, v);
}
