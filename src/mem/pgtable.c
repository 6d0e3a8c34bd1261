/*
 * pgtable.c - owns the page tables of a space (see pgtable.h): tables
 * made on the way down to a PTE, the walk over the PTEs of a range, and
 * the freeing of tables that no VMA needs any more, by the kernel's
 * floor and ceiling rule (free_pgd_range), which decides VmPTE after
 * munmap, mremap and MAP_FIXED.
 */
#include "mem/page_alloc.h"
#include "mem/pgtable.h"

#include <string.h>

static unsigned long entry_index(unsigned long addr, enum pt_level level)
{
	return (addr >> PT_ENTRY_SHIFT(level)) & (PTRS_PER_TABLE - 1);
}

unsigned long pt_alloc(struct umm_mm *mm, enum pt_level level)
{
	struct page *page = alloc_pages(mm->phys, 0, GFP_ZERO);

	if (!page)
		return NO_PFN;
	page_set(page, PG_table);
	page->private = level;
	mm->tables_touched = true;
	mod_node_page_state(mm->phys, NR_PAGETABLE, 1);
	/* mm_pgtables_bytes: the PGD is not counted (VmPTE). */
	if (level != PT_PGD)
		mm->pgtables_bytes += PAGE_SIZE;
	return page_to_pfn(mm->phys, page);
}

static void pt_free(struct umm_mm *mm, unsigned long pfn)
{
	struct page *page = pfn_to_page(mm->phys, pfn);

	mm->tables_touched = true;
	if (page->private != PT_PGD)
		mm->pgtables_bytes -= PAGE_SIZE;
	mod_node_page_state(mm->phys, NR_PAGETABLE, -1);
	page_clear(page, PG_table);
	page->private = 0;
	free_pages(mm->phys, page, 0);
}

pte_t *pt_entry(struct umm_mm *mm, unsigned long addr, enum pt_level level, bool alloc, int *err)
{
	unsigned long pfn = mm->pgd_pfn;

	if (pfn == NO_PFN) {
		if (!alloc || (pfn = pt_alloc(mm, PT_PGD)) == NO_PFN)
			goto missing;
		mm->pgd_pfn = pfn;
	}
	for (enum pt_level l = PT_PGD; l > level; l--) {
		pte_t *e = &table_entries(mm->phys, pfn)[entry_index(addr, l)];

		if (!(*e & _PAGE_PRESENT)) {
			unsigned long child;

			if (!alloc || (child = pt_alloc(mm, l - 1)) == NO_PFN)
				goto missing;
			*e = ((pte_t)child << PAGE_SHIFT) | _PAGE_TABLE;
		}
		pfn = pte_pfn(*e);
	}
	return &table_entries(mm->phys, pfn)[entry_index(addr, level)];
missing:
	if (alloc && err)
		*err = -ENOMEM;
	return NULL;
}

pte_t *pte_offset(struct umm_mm *mm, unsigned long addr, bool alloc, int *err)
{
	return pt_entry(mm, addr, PT_PTE, alloc, err);
}

/* The first address of the next entry of level after addr (0 past the
 * top), clipped to end. */
static unsigned long entry_end(unsigned long addr, unsigned long end, enum pt_level level)
{
	unsigned long span = 1UL << PT_ENTRY_SHIFT(level);
	unsigned long next = (addr & ~(span - 1)) + span;

	return next - 1 < end - 1 ? next : end;
}

static int walk_table(struct umm_mm *mm, unsigned long pfn, enum pt_level level,
		      unsigned long start, unsigned long end, pte_fn fn, void *ctx)
{
	pte_t *table = table_entries(mm->phys, pfn);
	int rc = 0;

	for (unsigned long a = start, next; !rc && a < end; a = next) {
		pte_t *e = &table[entry_index(a, level)];

		next = entry_end(a, end, level);
		if (level == PT_PTE)
			rc = fn(mm, e, a, ctx);
		else if (*e & _PAGE_PRESENT)
			rc = walk_table(mm, pte_pfn(*e), level - 1, a, next, fn, ctx);
		if (!next)
			break;
	}
	return rc;
}

int walk_ptes(struct umm_mm *mm, unsigned long start, unsigned long end, pte_fn fn, void *ctx)
{
	if (mm->pgd_pfn == NO_PFN || start >= end)
		return 0;
	return walk_table(mm, mm->pgd_pfn, PT_PGD, start, end, fn, ctx);
}

/* ---- freeing ---- */

/* A table and every table below it. */
static void free_table_tree(struct umm_mm *mm, unsigned long pfn, enum pt_level level)
{
	pte_t *table = table_entries(mm->phys, pfn);

	for (int i = 0; level > PT_PTE && i < PTRS_PER_TABLE; i++)
		if (table[i] & _PAGE_PRESENT)
			free_table_tree(mm, pte_pfn(table[i]), level - 1);
	pt_free(mm, pfn);
}

/* Does the table of level (its entries spanning from base) serve only
 * addresses between floor and ceiling? */
static bool table_freeable(unsigned long base, enum pt_level level, unsigned long floor,
			   unsigned long ceiling)
{
	unsigned long last = base + ((1UL << PT_ENTRY_SHIFT(level + 1)) - 1);

	return base >= floor && (ceiling == 0 || last <= ceiling - 1);
}

/*
 * Frees, below the table pfn of level, the child tables whose span meets
 * [start, end) and lies between floor and ceiling, deepest first.
 */
static void free_below(struct umm_mm *mm, unsigned long pfn, enum pt_level level,
		       unsigned long start, unsigned long end, unsigned long floor,
		       unsigned long ceiling)
{
	pte_t *table = table_entries(mm->phys, pfn);
	unsigned long span = 1UL << PT_ENTRY_SHIFT(level);

	for (unsigned long a = start, next; a < end; a = next) {
		pte_t *e = &table[entry_index(a, level)];
		unsigned long base = a & ~(span - 1);

		next = entry_end(a, end, level);
		if (*e & _PAGE_PRESENT) {
			if (level > PT_PMD)
				free_below(mm, pte_pfn(*e), level - 1, a, next, floor, ceiling);
			if (table_freeable(base, level - 1, floor, ceiling)) {
				/* Its children are gone already, as the rule
				 * guarantees; a stray one must not leak. */
				free_table_tree(mm, pte_pfn(*e), level - 1);
				*e = 0;
			}
		}
		if (!next)
			break;
	}
}

void free_pgd_range(struct umm_mm *mm, unsigned long addr, unsigned long end,
		    unsigned long floor, unsigned long ceiling)
{
	if (mm->pgd_pfn == NO_PFN || addr >= end)
		return;
	free_below(mm, mm->pgd_pfn, PT_PGD, addr, end, floor, ceiling);
}

void free_all_pgtables(struct umm_mm *mm)
{
	if (mm->pgd_pfn != NO_PFN)
		free_table_tree(mm, mm->pgd_pfn, PT_PGD);
	mm->pgd_pfn = NO_PFN;
}

/* ---- the checker's census ---- */

static int census_table(struct umm_mm *mm, unsigned long pfn, enum pt_level level,
			unsigned long base, unsigned long counts[PT_LEVELS], pte_fn fn, void *ctx)
{
	pte_t *table = table_entries(mm->phys, pfn);
	const struct page *page = pfn_to_page(mm->phys, pfn);
	int rc = 0;

	if (!page_test(page, PG_table) || page->private != level)
		return -EUCLEAN;
	counts[level]++;
	for (int i = 0; !rc && i < PTRS_PER_TABLE; i++) {
		unsigned long a = base + ((unsigned long)i << PT_ENTRY_SHIFT(level));

		/* Most of a table is empty: skip it eight entries at a time. */
		if (!(i & 7) && !(table[i] | table[i + 1] | table[i + 2] | table[i + 3] | table[i + 4] |
				  table[i + 5] | table[i + 6] | table[i + 7])) {
			i += 7;
			continue;
		}
		if (!table[i])
			continue;
		if (level == PT_PTE)
			rc = fn(mm, &table[i], a, ctx);
		else if (table[i] != (((pte_t)pte_pfn(table[i]) << PAGE_SHIFT) | _PAGE_TABLE))
			rc = -EUCLEAN;
		else
			rc = census_table(mm, pte_pfn(table[i]), level - 1, a, counts, fn, ctx);
	}
	return rc;
}

int pt_census(struct umm_mm *mm, unsigned long counts[PT_LEVELS], pte_fn fn, void *ctx)
{
	memset(counts, 0, PT_LEVELS * sizeof(counts[0]));
	if (mm->pgd_pfn == NO_PFN)
		return 0;
	return census_table(mm, mm->pgd_pfn, PT_PGD, 0, counts, fn, ctx);
}
