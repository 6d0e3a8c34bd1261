/*
 * mremap.c - owns move_page_tables: the entries of a range move to a new
 * address with the mapping, so the data moves without a copy. As in the
 * kernel, a whole PMD table (1 GiB) or PTE table (2 MiB) that the move
 * covers at aligned addresses moves as one entry, after the addresses
 * were aligned down where no other VMA is in the way (try_realign_addr);
 * elsewhere the PTEs move one by one into tables made at the
 * destination. Which tables move or are made decides VmPTE afterwards.
 */
#include "core/lookup.h"
#include "core/mm.h"
#include "core/vma.h"
#include "mem/memory.h"
#include "mem/pgtable.h"

/* can_align_down: addr starts its VMA, or is free below down to the
 * boundary. */
static bool can_align_down(struct umm_mm *mm, unsigned long addr)
{
	const struct vma *v = find_vma(mm, addr);
	unsigned long down = addr & ~(PMD_SIZE - 1);

	if (v && v->vm_start < addr)
		return false; /* addr is inside a VMA, not at its start */
	return !find_vma_intersection(mm, down, addr);
}

/* The extent of the next step at level (PT_PMD: what one PMD entry
 * spans): up to the next boundary of either side, and the end. */
static unsigned long get_extent(enum pt_level level, unsigned long old, unsigned long old_end,
				unsigned long new)
{
	unsigned long span = 1UL << PT_ENTRY_SHIFT(level);
	unsigned long extent = span - (old & (span - 1));

	if (extent > old_end - old)
		extent = old_end - old;
	if (extent > span - (new & (span - 1)))
		extent = span - (new & (span - 1));
	return extent;
}

static int move_ptes(struct umm_mm *mm, unsigned long old, unsigned long new, unsigned long len)
{
	int err = 0;

	for (unsigned long off = 0; off < len; off += PAGE_SIZE) {
		pte_t *from = pte_offset(mm, old + off, false, NULL), *to;

		if (!from || !*from)
			continue;
		to = pte_offset(mm, new + off, true, &err);
		if (!to)
			return err;
		*to = *from;
		*from = 0;
	}
	return 0;
}

/* Moves the entry of level mapping old to new's empty slot. */
static bool move_entry(struct umm_mm *mm, unsigned long old, unsigned long new,
		       enum pt_level level)
{
	pte_t *from = pt_entry(mm, old, level, false, NULL);
	int err = 0;
	pte_t *to = pt_entry(mm, new, level, true, &err);

	if (!to || *to)
		return false;
	*to = *from;
	*from = 0;
	return true;
}

static bool table_present(struct umm_mm *mm, unsigned long addr, enum pt_level level)
{
	pte_t *e = pt_entry(mm, addr, level, false, NULL);

	return e && (*e & _PAGE_PRESENT);
}

/* One step from old: how far it went (the extent), or 0 when a table
 * could not be made. */
static unsigned long move_step(struct umm_mm *mm, unsigned long old, unsigned long old_end,
			       unsigned long new)
{
	unsigned long extent = get_extent(PT_PUD, old, old_end, new);
	int err = 0;

	if (!table_present(mm, old, PT_PUD))
		return extent;
	if (extent == PUD_SIZE && move_entry(mm, old, new, PT_PUD))
		return extent;
	extent = get_extent(PT_PMD, old, old_end, new);
	if (!table_present(mm, old, PT_PMD))
		return extent;
	if (!pt_entry(mm, new, PT_PMD, true, &err))
		return 0;
	if (extent == PMD_SIZE && move_entry(mm, old, new, PT_PMD))
		return extent;
	/* The destination's table is made even for an empty source one. */
	if (!pte_offset(mm, new, true, &err))
		return 0;
	return move_ptes(mm, old, new, extent) ? 0 : extent;
}

/* The bytes moved from [old, old + len) before a table was missing. */
static unsigned long move_range(struct umm_mm *mm, unsigned long old, unsigned long new,
				unsigned long len)
{
	unsigned long done = 0;

	while (done < len) {
		unsigned long step = move_step(mm, old + done, old + len, new + done);

		if (!step)
			break;
		done += step;
	}
	return done;
}

/* Frees the tables made at [new, new + len) when a move failed, as the
 * kernel's unmap of the new range would. */
static void free_new_tables(struct umm_mm *mm, unsigned long new, unsigned long len)
{
	const struct vma *prev = find_vma_prev_of(mm, new);
	const struct vma *next = find_vma(mm, new);

	free_pgd_range(mm, new, new + len, prev ? prev->vm_end : 0, next ? next->vm_start : 0);
}

int move_page_tables(struct umm_mm *mm, unsigned long old, unsigned long new, unsigned long len)
{
	unsigned long moved, align = old & (PMD_SIZE - 1);

	if (!mm->phys || !len)
		return 0;
	mm_ptes_changed(mm);
	/* try_realign_addr: only where the move reaches a boundary and both
	 * sides sit alike in their PMDs. */
	if (align && len >= PMD_SIZE - align && align == (new & (PMD_SIZE - 1)) &&
	    can_align_down(mm, old) && can_align_down(mm, new)) {
		old -= align;
		new -= align;
		len += align;
	}
	moved = move_range(mm, old, new, len);
	if (moved == len)
		return 0;
	move_range(mm, new, old, moved); /* puts back; the tables exist */
	free_new_tables(mm, new, len);
	return -ENOMEM;
}
