/*
 * mprotect.c - owns change_protection: the PTEs of a VMA whose flags
 * mprotect changed follow them, and a locked private VMA made writable
 * has its copy-on-write broken at once (mprotect_fixup's populate).
 */
#include "core/mm.h"
#include "core/vma.h"
#include "mem/memory.h"
#include "mem/pgtable.h"
#include "mem/populate.h"

/* The bits of a mapping PTE that are the page's, not the VMA's. */
#define PTE_PAGE_BITS (PTE_PFN_MASK | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SPECIAL | _PAGE_SOFT_DIRTY)

struct protect_walk {
	pte_t prot;
	bool may_write; /* can_change_pte_writable applies */
};

static int protect_pte(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	const struct protect_walk *w = ctx;
	pte_t new;

	(void)addr;
	if (!pte_maps(*pte))
		return 0; /* empty, or a guard marker: kept */
	new = (*pte & PTE_PAGE_BITS) | w->prot;
	/* A private page this space alone holds becomes writable at once
	 * (can_change_private_pte_writable); the zero page and shared
	 * pages wait for the write fault. */
	if (w->may_write && !(*pte & _PAGE_SPECIAL) &&
	    page_test(pfn_to_page(mm->phys, pte_pfn(*pte)), PG_anon_exclusive))
		new |= _PAGE_RW;
	*pte = new;
	return 0;
}

void change_protection(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end,
		       vm_flags_t oldflags)
{
	struct protect_walk w = {
		.prot = vma_page_prot(mm, v),
		.may_write = (v->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE,
	};

	if (mm->phys && vma_has_pages(v)) {
		walk_ptes(mm, start, end, protect_pte, &w);
		mm_ptes_changed(mm);
	}
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) != VM_LOCKED || !(v->vm_flags & VM_WRITE))
		return;
	if (vma_has_pages(v))
		populate_vma_page_range(mm, v, start, end);
	else if (vma_populate_allocates(mm, v))
		anon_vma_prepare(mm, v); /* the write faults would; without memory, they fail */
}
