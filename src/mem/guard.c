/*
 * guard.c - the guard markers in a space's page tables (see guard.h).
 */
#include "mem/guard.h"
#include "mem/memory.h"
#include "mem/pgtable.h"

bool guard_marked(struct umm_mm *mm, unsigned long addr)
{
	return mm->phys && pte_guard_marked(mm, addr);
}

static int find_marker(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	(void)mm;
	if (!pte_is_guard(*pte))
		return 0;
	*(unsigned long *)ctx = addr;
	return 1;
}

unsigned long guard_first(struct umm_mm *mm, unsigned long start, unsigned long end)
{
	unsigned long found = end;

	if (mm->phys)
		walk_ptes(mm, start, end, find_marker, &found);
	return found;
}

int guard_install(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end)
{
	int err = 0;

	if (!mm_phys(mm))
		return -ENOMEM;
	/* madvise_guard_install zaps what is mapped, then marks the
	 * now empty entries. */
	zap_page_range(mm, v, start, end);
	/* A PTE table at a time: its entries lie side by side. */
	for (unsigned long a = start; a < end;) {
		pte_t *pte = pte_offset(mm, a, true, &err);
		unsigned long n = PTRS_PER_TABLE - ((a >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1));

		if (!pte)
			return err;
		if (n > (end - a) >> PAGE_SHIFT)
			n = (end - a) >> PAGE_SHIFT;
		for (unsigned long i = 0; i < n; i++)
			pte[i] = PTE_MARKER_GUARD;
		mm->tables_touched = true;
		a += n << PAGE_SHIFT;
	}
	return 0;
}

static int clear_marker(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	(void)mm;
	(void)addr;
	(void)ctx;
	if (pte_is_guard(*pte))
		*pte = 0;
	return 0;
}

void guard_remove(struct umm_mm *mm, unsigned long start, unsigned long end)
{
	if (mm->phys)
		walk_ptes(mm, start, end, clear_marker, NULL);
	mm->tables_touched = true;
}
