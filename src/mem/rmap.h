/*
 * rmap.h - the mappings of a page (rmap.c): a page's map count and its
 * owner as a PTE comes and goes, the space's RSS counters and the
 * memory's AnonPages and Mapped that follow them, and the page's last
 * reference (the kernel's folio_add_new_anon_rmap, folio_add_file_rmap_pte,
 * folio_remove_rmap_pte, folio_put).
 */
#ifndef UMM_MEM_RMAP_H
#define UMM_MEM_RMAP_H

#include "core/mm.h"
#include "core/vma.h"
#include "mem/mmzone.h"

/* A new page (refcount 1) becomes v's anonymous page at addr, mapped
 * once, by this space alone. */
void page_add_new_anon_rmap(struct umm_mm *mm, struct vma *v, struct page *page,
			    unsigned long addr);
/* A page of shared memory's cache (its reference for this PTE taken)
 * gets one more PTE in mm: RssShmem, and Mapped at its first. */
void page_add_file_rmap(struct umm_mm *mm, struct page *page);
/* One PTE of mm mapping page went: its map count and the counters drop,
 * and the PTE's reference with them. */
void page_remove_rmap(struct umm_mm *mm, struct page *page);
/* Drops a reference; the last frees the page. */
void put_page(struct umm_phys *phys, struct page *page);

/* Does page_mapcount say one mapping (the kernel's _mapcount 0)? */
static inline bool page_mapped_once(const struct page *page)
{
	return __atomic_load_n(&page->mapcount, __ATOMIC_RELAXED) == 0;
}

#endif
