/*
 * fork.c - owns copy_page_range: what fork does to the page tables and
 * pages of a VMA the child inherits. Private pages become shared by
 * both spaces, write-protected in both (the first write of either
 * copies, or claims the page once the other has let go), and the
 * child's entries start old (not accessed); the zero page and guard
 * markers are copied as they are. The child gets tables wherever the
 * parent has a PTE table under the VMA, even an empty one.
 */
#include "core/mm.h"
#include "core/vma.h"
#include "mem/memory.h"
#include "mem/page_alloc.h"
#include "mem/pgtable.h"
#include "mem/rmap.h"

struct copy_walk {
	struct umm_mm *dst;
	bool cow;    /* is_cow_mapping: private and may be written */
	bool shared; /* VM_SHARED */
	/* The child's PTE table last used, and the address of its first
	 * entry: the walk goes a table at a time. */
	pte_t *dst_table;
	unsigned long dst_base;
};

/* folio_try_dup_anon_rmap_pte, folio_dup_file_rmap_pte: the child maps
 * the page too. */
static void page_dup_rmap(struct umm_mm *dst, struct page *page)
{
	bool anon = page_test(page, PG_anon);

	if (anon)
		page_clear(page, PG_anon_exclusive);
	__atomic_add_fetch(&page->refcount, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&page->mapcount, 1, __ATOMIC_RELAXED);
	dst->rss[anon ? MM_ANONPAGES : MM_SHMEMPAGES]++;
}

static pte_t copy_one(struct copy_walk *w, struct umm_mm *src, pte_t *pte)
{
	pte_t val = *pte;

	if (!pte_maps(val))
		return val; /* a guard marker */
	if (!(val & _PAGE_SPECIAL))
		page_dup_rmap(w->dst, pfn_to_page(src->phys, pte_pfn(val)));
	if (w->cow && (val & _PAGE_RW)) {
		*pte &= ~(pte_t)_PAGE_RW;
		val &= ~(pte_t)_PAGE_RW;
	}
	/* A shared mapping's entry starts clean in the child: the page's
	 * dirt stays with the parent's entry (measured: Shared_Clean). */
	if (w->shared)
		val &= ~(pte_t)_PAGE_DIRTY;
	return val & ~(pte_t)_PAGE_ACCESSED;
}

static int copy_pte(struct umm_mm *src, pte_t *pte, unsigned long addr, void *ctx)
{
	struct copy_walk *w = ctx;
	unsigned long base = addr & ~(PMD_SIZE - 1);
	int err = 0;

	/* The child's table for this PMD slot, made even where the
	 * parent's entries are all empty. */
	if (!w->dst_table || base != w->dst_base) {
		pte_t *first = pte_offset(w->dst, addr, true, &err);

		if (!first)
			return err;
		w->dst_table = first - ((addr - base) >> PAGE_SHIFT);
		w->dst_base = base;
	}
	if (*pte)
		w->dst_table[(addr - base) >> PAGE_SHIFT] = copy_one(w, src, pte);
	return 0;
}

static bool vma_needs_copy(const struct vma *v)
{
	return v->anon_vma || (v->vm_flags & (VM_PFNMAP | VM_MAYBE_GUARD));
}

int copy_page_range(struct umm_mm *dst, const struct vma *dv, struct umm_mm *src,
		    const struct vma *sv)
{
	struct copy_walk w = {
		.dst = dst,
		.cow = (sv->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE,
		.shared = (sv->vm_flags & VM_SHARED) != 0,
	};
	int err;

	if (!src->phys || (dv->vm_flags & VM_WIPEONFORK) || !vma_needs_copy(sv))
		return 0;
	if (!mm_phys(dst))
		return -ENOMEM;
	err = walk_ptes(src, sv->vm_start, sv->vm_end, copy_pte, &w);
	if (w.cow)
		mm_ptes_changed(src); /* its writable entries are not any more */
	return err;
}
