/*
 * rmap.c - owns the accounting of a page's mappings (see rmap.h). The
 * counts are atomic: pages are shared between spaces that other threads
 * may be working on.
 */
#include "mem/page_alloc.h"
#include "mem/rmap.h"

void page_add_new_anon_rmap(struct umm_mm *mm, struct vma *v, struct page *page,
			    unsigned long addr)
{
	/* Nobody else changes a new page's flags: a store, not an atomic
	 * read-modify-write. */
	page_set_flags(page, page_flags(page) | PG_anon | PG_anon_exclusive | PG_swapbacked);
	page->mapping = v->anon_vma;
	page->index = v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);
	page->mapcount = 0;
	mm->rss[MM_ANONPAGES]++;
	mod_node_page_state(mm->phys, NR_ANON_MAPPED, 1);
}

void page_add_file_rmap(struct umm_mm *mm, struct page *page)
{
	mm->rss[MM_SHMEMPAGES]++;
	if (__atomic_add_fetch(&page->mapcount, 1, __ATOMIC_ACQ_REL) == 0)
		mod_node_page_state(mm->phys, NR_FILE_MAPPED, 1);
}

void page_remove_rmap(struct umm_mm *mm, struct page *page)
{
	bool anon = page_test(page, PG_anon);

	mm->rss[anon ? MM_ANONPAGES : MM_SHMEMPAGES]--;
	if (__atomic_sub_fetch(&page->mapcount, 1, __ATOMIC_ACQ_REL) < 0)
		mod_node_page_state(mm->phys, anon ? NR_ANON_MAPPED : NR_FILE_MAPPED, -1);
	put_page(mm->phys, page);
}

void put_page(struct umm_phys *phys, struct page *page)
{
	if (__atomic_sub_fetch(&page->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	page_set_flags(page, 0);
	page->mapping = NULL;
	page->index = 0;
	page->mapcount = 0;
	free_pages(phys, page, 0);
}
