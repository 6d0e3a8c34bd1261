/*
 * madvise.c - owns what MADV_FREE, MADV_COLD and MADV_PAGEOUT do to the
 * pages of a range (madvise_free_pte_range and
 * madvise_cold_or_pageout_pte_range). Measured on this machine's kernel
 * (no swap): MADV_FREE leaves the pages mapped and readable but clean
 * and lazily freed; MADV_PAGEOUT then discards those still clean (they
 * read back as zeros) and keeps those written since; with nothing to
 * swap to, it leaves other anonymous pages alone. Pages of shared
 * memory it unmaps, and drops from the cache those never written (they
 * too read back as zeros). MADV_COLD only ages pages. Pages mapped by
 * another space too are never touched.
 */
#include "core/mm.h"
#include "core/vma.h"
#include "mem/memory.h"
#include "mem/pgtable.h"
#include "mem/rmap.h"
#include "mem/shmem.h"

/* The page a PTE maps if this space alone maps it, else NULL. */
static struct page *own_page(struct umm_mm *mm, pte_t pte)
{
	struct page *page = vm_normal_page(mm, pte);

	return page && page_mapped_once(page) ? page : NULL;
}

/* madvise_free_pte_range's step: the entry is made clean and old and
 * the page lazily freed, even when another space maps it too; only a
 * page this space alone maps also loses its own dirty flag. */
static int free_pte(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	struct page *page = vm_normal_page(mm, *pte);

	(void)addr;
	(void)ctx;
	if (!page)
		return 0;
	if (page_mapped_once(page))
		page_clear(page, PG_dirty);
	*pte &= ~(pte_t)(_PAGE_DIRTY | _PAGE_ACCESSED);
	page_clear(page, PG_referenced | PG_swapbacked);
	return 0;
}

static int cold_pte(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	struct page *page = own_page(mm, *pte);

	(void)addr;
	(void)ctx;
	if (!page)
		return 0;
	*pte &= ~(pte_t)_PAGE_ACCESSED;
	page_clear(page, PG_referenced);
	return 0;
}

/* shrink_folio_list for a page of shared memory: unmapped, then, with
 * nothing to write it to, kept in the cache if dirty and dropped if
 * clean. */
static void pageout_shared(struct umm_mm *mm, pte_t *pte, struct page *page)
{
	/* Held across the unmap: a hole punched meanwhile may take the
	 * cache's reference. */
	__atomic_add_fetch(&page->refcount, 1, __ATOMIC_RELAXED);
	zap_pte_entry(mm, pte);
	shmem_reclaim_page(page);
	put_page(mm->phys, page);
}

/* shrink_folio_list for one page, with no swap: a lazily freed page
 * still clean is dropped; one written since becomes swap-backed again
 * and stays, as does every other anonymous page. */
static int pageout_pte(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	struct page *page = own_page(mm, *pte);

	(void)addr;
	(void)ctx;
	if (!page)
		return 0;
	page_clear(page, PG_referenced);
	if (!page_test(page, PG_anon)) {
		pageout_shared(mm, pte, page);
		return 0;
	}
	*pte &= ~(pte_t)_PAGE_ACCESSED;
	if (page_test(page, PG_swapbacked))
		return 0;
	if ((*pte & _PAGE_DIRTY) || page_test(page, PG_dirty)) {
		page_set(page, PG_swapbacked | PG_dirty);
		return 0;
	}
	*pte = 0;
	page_remove_rmap(mm, page);
	return 0;
}

void advise_pages(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end,
		  enum page_advice advice)
{
	static const pte_fn fns[] = {
		[ADVISE_FREE] = free_pte,
		[ADVISE_COLD] = cold_pte,
		[ADVISE_PAGEOUT] = pageout_pte,
	};

	if (mm->phys && vma_has_pages(v)) {
		if (advice == ADVISE_PAGEOUT)
			update_hiwater_rss(mm); /* try_to_unmap's */
		walk_ptes(mm, start, end, fns[advice], NULL);
		mm_ptes_changed(mm);
	}
}
