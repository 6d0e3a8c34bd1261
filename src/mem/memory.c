/*
 * memory.c - owns the pages of private anonymous memory and the range
 * seams of memory.h that act on page tables: the page-level fault
 * (handle_pte_fault, do_anonymous_page, do_wp_page), zap, unmap with
 * free_pgtables, and the layer's state at a space's birth and death.
 * Moving page tables is mremap.c's, changing their protection
 * mprotect.c's, guard markers guard.c's.
 */
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/pkeys.h"
#include "core/vma.h"
#include "mem/memory.h"
#include "mem/page_alloc.h"
#include "mem/pgtable.h"
#include "mem/populate.h"
#include "mem/rmap.h"
#include "mem/shmem.h"

#include <string.h>

void mem_init(struct umm_mm *mm)
{
	mm->pgd_pfn = NO_PFN;
	mem_phys_init(mm);
}

static int zap_pte(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx);

void mem_exit(struct umm_mm *mm)
{
	bool markers_too = true;

	if (mm->phys) {
		walk_ptes(mm, 0, mm->cfg.task_size, zap_pte, &markers_too);
		free_all_pgtables(mm);
	}
	mem_phys_exit(mm);
}

bool vma_has_pages(const struct vma *v)
{
	if (v->vm_flags & (VM_HUGETLB | VM_PFNMAP | VM_IO))
		return false;
	return vma_is_anon_shmem(v) || (vma_is_anonymous(v) && !(v->vm_flags & VM_SHARED));
}

pte_t vma_page_prot(const struct umm_mm *mm, const struct vma *v)
{
	pte_t prot = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (!(v->vm_flags & VM_ACCESS_FLAGS))
		return _PAGE_PROTNONE | _PAGE_ACCESSED;
	if (!(v->vm_flags & VM_EXEC))
		prot |= _PAGE_NX;
	/* Private memory is mapped read-only until a write fault copies or
	 * claims the page. */
	if ((v->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED))
		prot |= _PAGE_RW;
	if (mm->cfg.pkeys)
		prot |= (pte_t)vma_pkey(v) << 59;
	return prot;
}

static pte_t mk_pte(const struct umm_phys *phys, const struct page *page, pte_t prot)
{
	return ((pte_t)page_to_pfn(phys, page) << PAGE_SHIFT) | prot;
}

/* do_anonymous_page: an empty PTE of v gets the zero page (a read,
 * where allowed) or a new zeroed page of its own. */
static enum vm_fault do_anonymous_page(struct umm_mm *mm, struct vma *v, pte_t *pte,
				       unsigned long addr, bool write)
{
	pte_t prot = vma_page_prot(mm, v);
	struct page *page;

	if (!write && !read_fault_allocates(mm, v)) {
		*pte = ((pte_t)mm->phys->zero_pfn << PAGE_SHIFT) | prot | _PAGE_SPECIAL;
		return VM_FAULT_DONE;
	}
	if (anon_vma_prepare(mm, v))
		return VM_FAULT_OOM;
	page = alloc_pages(mm->phys, 0, 0);
	if (!page)
		return VM_FAULT_OOM;
	/* The counts first: their atomics would otherwise wait for the
	 * zeroing's stores to drain. */
	page_add_new_anon_rmap(mm, v, page, addr);
	memset(page_address(mm->phys, page), 0, PAGE_SIZE);
	/* A new page in a writable VMA is mapped writable and dirty, even
	 * for a read: a later write needs no fault. */
	if (v->vm_flags & VM_WRITE)
		prot |= _PAGE_RW | _PAGE_DIRTY;
	*pte = mk_pte(mm->phys, page, prot);
	return VM_FAULT_DONE;
}

/* wp_can_reuse_anon_folio: a page no other space or PTE holds. */
static bool can_reuse(struct page *page)
{
	if (page_test(page, PG_anon_exclusive))
		return true;
	if (__atomic_load_n(&page->refcount, __ATOMIC_ACQUIRE) != 1)
		return false;
	page_set(page, PG_anon_exclusive);
	return true;
}

/* do_wp_page: a write to a present, write-protected PTE of v. */
static enum vm_fault do_wp_page(struct umm_mm *mm, struct vma *v, pte_t *pte, unsigned long addr)
{
	struct page *old = vm_normal_page(mm, *pte), *page;
	/* maybe_mkwrite: a forced write (ptrace) into a VMA without
	 * VM_WRITE gets the page, not a writable entry. */
	pte_t rw = (v->vm_flags & VM_WRITE) ? _PAGE_RW : 0;

	if (old && page_test(old, PG_anon) && can_reuse(old)) {
		*pte |= rw | _PAGE_DIRTY | _PAGE_ACCESSED;
		return VM_FAULT_DONE;
	}
	if (anon_vma_prepare(mm, v))
		return VM_FAULT_OOM;
	/* wp_page_copy: the zero page's copy is a zeroed page. */
	page = alloc_pages(mm->phys, 0, old ? 0 : GFP_ZERO);
	if (!page)
		return VM_FAULT_OOM;
	if (old)
		memcpy(page_address(mm->phys, page), page_address(mm->phys, old), PAGE_SIZE);
	page_add_new_anon_rmap(mm, v, page, addr);
	if (old)
		page_remove_rmap(mm, old);
	*pte = mk_pte(mm->phys, page, vma_page_prot(mm, v) | rw | _PAGE_DIRTY);
	mm_ptes_changed(mm);
	return VM_FAULT_DONE;
}

/* Would the CPU fault on this access through pte? */
static bool pte_faults(pte_t pte, bool write)
{
	return !(pte & _PAGE_PRESENT) || (write && !(pte & _PAGE_RW));
}

/* ---- shared anonymous memory: pages of its file's cache ---- */

#define FAULT_AROUND_PAGES 16 /* fault_around_bytes: 64 KiB */

/*
 * do_fault_around with filemap_map_pages: a read fault first maps the
 * cached pages of the 16-entry block of the PTE table around addr
 * (clipped to v, the table and the file), where the entries are empty.
 * Did that map addr's page?
 */
static bool do_fault_around(struct umm_mm *mm, struct vma *v, pte_t *pte, unsigned long addr)
{
	unsigned long pte_off = (addr >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);
	unsigned long vma_off = (addr - v->vm_start) >> PAGE_SHIFT;
	unsigned long from = pte_off & ~(FAULT_AROUND_PAGES - 1UL), to, first, eof;
	struct page *pages[FAULT_AROUND_PAGES];
	pte_t *table = pte - pte_off, prot = vma_page_prot(mm, v);

	if (pte_off - from > vma_off)
		from = pte_off - vma_off;
	to = from + FAULT_AROUND_PAGES;
	if (to > PTRS_PER_TABLE)
		to = PTRS_PER_TABLE;
	if (to > pte_off + vma_pages(v) - vma_off)
		to = pte_off + vma_pages(v) - vma_off;
	first = linear_page_index(v, addr) - (pte_off - from);
	eof = shmem_eof(v->vm_file);
	if (first >= eof)
		return false;
	if (to - from > eof - first)
		to = from + (eof - first);
	shmem_find_get_pages(v->vm_file, first, to - from, pages);
	for (unsigned long i = from; i < to; i++) {
		struct page *page = pages[i - from];

		if (!page)
			continue;
		if (table[i]) {
			put_page(mm->phys, page);
			continue;
		}
		page_add_file_rmap(mm, page);
		table[i] = mk_pte(mm->phys, page, prot);
	}
	return table[pte_off] != 0;
}

/* do_read_fault and do_shared_fault: the page of the file (made if the
 * cache has none; SIGBUS past its end) mapped; a write makes the entry
 * and the page dirty (fault_dirty_shared_page). */
static enum vm_fault do_shared_fault(struct umm_mm *mm, struct vma *v, pte_t *pte,
				     unsigned long addr, bool write)
{
	unsigned long index = linear_page_index(v, addr);
	pte_t prot = vma_page_prot(mm, v);
	struct page *page;
	enum vm_fault ret;

	if (!write && do_fault_around(mm, v, pte, addr))
		return VM_FAULT_DONE;
	if (index >= shmem_eof(v->vm_file))
		return VM_FAULT_SIGBUS;
	ret = shmem_get_page(mm, v->vm_file, index, &page);
	if (ret != VM_FAULT_DONE)
		return ret;
	if (write) {
		prot |= _PAGE_DIRTY;
		page_set(page, PG_dirty);
	}
	page_add_file_rmap(mm, page);
	*pte = mk_pte(mm->phys, page, prot);
	return VM_FAULT_DONE;
}

/* wp_page_shared: a write through a write-protected entry of shared
 * memory only makes it writable and dirty. */
static enum vm_fault wp_page_shared(struct umm_mm *mm, pte_t *pte)
{
	page_set(vm_normal_page(mm, *pte), PG_dirty);
	*pte |= _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED;
	mm_ptes_changed(mm);
	return VM_FAULT_DONE;
}

enum vm_fault handle_pte_fault(struct umm_mm *mm, struct vma *v, unsigned long addr, bool write)
{
	bool shared = vma_is_anon_shmem(v);
	enum vm_fault ret;
	int err = 0;
	pte_t *pte;

	if (!mm_phys(mm))
		return VM_FAULT_OOM;
	pte = pte_offset(mm, addr, true, &err);
	if (!pte)
		return VM_FAULT_OOM;
	if (pte_is_guard(*pte))
		return VM_FAULT_SIGSEGV;
	if (!pte_faults(*pte, write)) {
		/* No fault: the CPU marks the entry itself. */
		*pte |= _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
		return VM_FAULT_DONE;
	}
	if (!pte_maps(*pte))
		ret = shared ? do_shared_fault(mm, v, pte, addr, write)
			     : do_anonymous_page(mm, v, pte, addr, write);
	else if (write)
		ret = shared ? wp_page_shared(mm, pte) : do_wp_page(mm, v, pte, addr);
	else
		ret = VM_FAULT_DONE;
	if (ret == VM_FAULT_DONE)
		mm->min_flt++;
	mm->tables_touched = true;
	return ret;
}

bool follow_page(struct umm_mm *mm, unsigned long addr, bool write)
{
	pte_t *pte = mm->phys ? pte_offset(mm, addr, false, NULL) : NULL;
	struct page *page;

	if (!pte || pte_faults(*pte, write))
		return false;
	page = vm_normal_page(mm, *pte);
	if (page && write && !(*pte & _PAGE_DIRTY))
		page_set(page, PG_dirty);
	if (page)
		page_set(page, PG_referenced);
	return true;
}

bool pte_guard_marked(struct umm_mm *mm, unsigned long addr)
{
	pte_t *pte = mm->phys ? pte_offset(mm, addr, false, NULL) : NULL;

	return pte && pte_is_guard(*pte);
}

void pages_resident(struct umm_mm *mm, const struct vma *v, unsigned long start, unsigned long n,
		    unsigned char *vec)
{
	for (unsigned long i = 0; i < n; i++) {
		unsigned long addr = start + (i << PAGE_SHIFT);
		pte_t *pte = mm->phys ? pte_offset(mm, addr, false, NULL) : NULL;

		vec[i] = pte && pte_maps(*pte);
		/* Shared memory: the page cache's, mapped here or not. */
		if (!vec[i] && vma_is_anon_shmem(v))
			vec[i] = shmem_cached(v->vm_file, linear_page_index(v, addr));
	}
}

/* ---- zap and unmap ---- */

void zap_pte_entry(struct umm_mm *mm, pte_t *pte)
{
	struct page *page = vm_normal_page(mm, *pte);

	/* A page of shared memory keeps what its entry knew: it was written. */
	if (page && !page_test(page, PG_anon) && (*pte & _PAGE_DIRTY))
		page_set(page, PG_dirty);
	*pte = 0;
	if (page)
		page_remove_rmap(mm, page);
}

/* zap_pte_range's step: ctx says whether guard markers go too. */
static int zap_pte(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	bool markers_too = *(bool *)ctx;

	(void)addr;
	if (pte_is_guard(*pte) && !markers_too)
		return 0;
	zap_pte_entry(mm, pte);
	return 0;
}

void zap_page_range(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end)
{
	bool markers_too = false;

	(void)v;
	update_hiwater_rss(mm);
	if (mm->phys)
		walk_ptes(mm, start, end, zap_pte, &markers_too);
	mm_ptes_changed(mm);
}

/* free_pgtables: the removed VMAs in groups no more than a PMD apart,
 * each group's tables freed between the first floor and the next
 * group's start. */
static void free_pgtables(struct umm_mm *mm, struct vma *first, struct vma *stop,
			  unsigned long floor, unsigned long ceiling)
{
	for (struct vma *v = first; v != stop;) {
		unsigned long start = v->vm_start;
		struct vma *last = v;

		while (last->vm_next != stop && last->vm_next->vm_start <= last->vm_end + PMD_SIZE)
			last = last->vm_next;
		v = last->vm_next;
		free_pgd_range(mm, start, last->vm_end, floor, v != stop ? v->vm_start : ceiling);
	}
}

void unmap_region(struct umm_mm *mm, struct vma *first, struct vma *stop, unsigned long floor,
		  unsigned long ceiling)
{
	bool markers_too = true;

	if (!mm->phys)
		return;
	update_hiwater_rss(mm);
	for (struct vma *v = first; v != stop; v = v->vm_next)
		walk_ptes(mm, v->vm_start, v->vm_end, zap_pte, &markers_too);
	mm_ptes_changed(mm);
	free_pgtables(mm, first, stop, floor, ceiling);
}

/* pte_to_pagemap_entry, the frame number hidden. */
static uint64_t pagemap_entry(struct umm_mm *mm, pte_t pte)
{
	const struct page *page;

	if (pte_is_guard(pte))
		return UMM_PM_SWAP | UMM_PM_GUARD_REGION;
	if (!pte_maps(pte))
		return 0;
	if (pte & _PAGE_SPECIAL)
		return UMM_PM_PRESENT;
	page = pfn_to_page(mm->phys, pte_pfn(pte));
	return UMM_PM_PRESENT | (page_test(page, PG_anon) ? 0 : UMM_PM_FILE) |
	       (page_mapped_once(page) ? UMM_PM_MMAP_EXCLUSIVE : 0);
}

int umm_pagemap(struct umm_mm *mm, unsigned long addr, unsigned long n, uint64_t *out)
{
	if (!mm || (!out && n) || offset_in_page(addr) || n > (~addr >> PAGE_SHIFT))
		return -EINVAL;
	mm_lock(mm);
	for (unsigned long i = 0; i < n; i++) {
		pte_t *pte = mm->phys ? pte_offset(mm, addr + (i << PAGE_SHIFT), false, NULL) : NULL;

		out[i] = pte ? pagemap_entry(mm, *pte) : 0;
	}
	mm_unlock(mm);
	return 0;
}

uint64_t umm_mm_pte(struct umm_mm *mm, unsigned long addr)
{
	pte_t *pte, val = 0;

	if (!mm)
		return 0;
	mm_lock(mm);
	pte = mm->phys ? pte_offset(mm, addr, false, NULL) : NULL;
	if (pte)
		val = *pte;
	mm_unlock(mm);
	return val;
}

long umm_mm_pgd(struct umm_mm *mm)
{
	long pfn;

	if (!mm)
		return -1;
	mm_lock(mm);
	pfn = mm->pgd_pfn == NO_PFN ? -1 : (long)mm->pgd_pfn;
	mm_unlock(mm);
	return pfn;
}
