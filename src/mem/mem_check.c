/*
 * mem_check.c - the memory layer's part of the invariant checker, run by
 * the core's after every call in test builds: every table is a table of
 * its level, entries lie only inside VMAs (pages only in VMAs that have
 * pages), VmPTE and the RSS counters equal what the tables hold, an
 * exclusive anonymous page is mapped once, a page of shared memory is
 * its file's at the entry's file page, the page caches of shared memory
 * hold pages of their own at their own indices, and the physical
 * memory's free lists hold.
 */
#include "core/check.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/vma.h"
#include "mem/memory.h"
#include "mem/page_alloc.h"
#include "mem/pgtable.h"
#include "mem/shmem.h"


struct census {
	unsigned long anon;   /* PTEs mapping anonymous pages */
	unsigned long shmem;  /* PTEs mapping pages of shared memory */
	unsigned long bad;    /* the first address found wrong, or 0 */
	const char *why;
	int pass;
	const struct vma *last; /* the VMA of the previous entry */
};

static int note_bad(struct census *c, unsigned long addr, const char *why)
{
	c->bad = addr ? addr : 1;
	c->why = why;
	return -EUCLEAN;
}

/* A page of shared memory: its file's at its index, or punched (a hole
 * punched by another space on another thread, which this space's
 * entries drop at its next lock). */
static int census_shared(struct census *c, const struct vma *v, struct page *page,
			 unsigned long addr)
{
	const void *owner = __atomic_load_n(&page->mapping, __ATOMIC_ACQUIRE);

	if (!vma_is_anon_shmem(v))
		return note_bad(c, addr, "a page of shared memory outside it");
	if (owner && (owner != v->vm_file || page->index != linear_page_index(v, addr)))
		return note_bad(c, addr, "a page of shared memory at another file page");
	if (__atomic_load_n(&page->refcount, __ATOMIC_ACQUIRE) < 1)
		return note_bad(c, addr, "a page of shared memory without a reference");
	if (c->pass == 1)
		c->shmem++;
	return 0;
}

/* Pages are checked in two passes over the same PTEs: the first clears
 * a scratch count in each exclusive page's private word (unused while a
 * page is mapped; an exclusive page is this space's alone, so no other
 * space's checker touches it), the second counts its PTEs and wants no
 * more than one. Pages shared after fork are checked on their counts. */
static int census_pte(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	struct census *c = ctx;
	const struct vma *v = c->last && addr >= c->last->vm_start && addr < c->last->vm_end
				      ? c->last
				      : vma_lookup(mm, addr);
	struct page *page;
	bool exclusive;

	if (!v)
		return note_bad(c, addr, "an entry outside every VMA");
	c->last = v; /* entries come in address order: most share a VMA */
	if (pte_is_guard(*pte))
		return 0;
	if (!pte_maps(*pte) || !vma_has_pages(v))
		return note_bad(c, addr, "a stray entry");
	if (*pte & _PAGE_SPECIAL)
		return pte_pfn(*pte) == mm->phys->zero_pfn ? 0 : note_bad(c, addr, "a special non-zero page");
	if (pte_pfn(*pte) >= mm->phys->nr_pages)
		return note_bad(c, addr, "a frame past the memory");
	page = pfn_to_page(mm->phys, pte_pfn(*pte));
	if (page_test(page, PG_buddy | PG_table | PG_reserved))
		return note_bad(c, addr, "a mapped page that is not a page in use");
	if (!page_test(page, PG_anon))
		return census_shared(c, v, page, addr);
	exclusive = page_test(page, PG_anon_exclusive);
	if ((*pte & _PAGE_RW) && !exclusive)
		return note_bad(c, addr, "a writable PTE of a page that is not exclusive");
	/* Counts of a page other spaces share move under their own locks:
	 * only an exclusive page's can be held to each other here. */
	if (exclusive && __atomic_load_n(&page->refcount, __ATOMIC_ACQUIRE) < 1)
		return note_bad(c, addr, "an exclusive page without a reference");
	if (c->pass == 1)
		c->anon++;
	if (exclusive)
		page->private = c->pass == 0 ? 0 : page->private + 1;
	if (c->pass == 1 && exclusive && (page->private != 1 || page->mapcount != 0))
		return note_bad(c, addr, "an exclusive page mapped more than once");
	return 0;
}

static int tables_check(struct umm_mm *mm, char *msg, size_t len)
{
	struct census c = { 0 };
	unsigned long counts[PT_LEVELS], below;

	int err = 0;

	for (c.pass = 0; c.pass < 2 && !err; c.pass++)
		err = pt_census(mm, counts, census_pte, &c);
	if (err && c.bad)
		return check_fail(msg, len, "page tables: %s at %#lx", c.why, c.bad);
	if (err)
		return check_fail(msg, len, "page tables: a table not marked as one of its level");
	below = counts[PT_PUD] + counts[PT_PMD] + counts[PT_PTE];
	if (below * PAGE_SIZE != mm->pgtables_bytes)
		return check_fail(msg, len, "VmPTE %lu bytes, tables below the PGD %lu", mm->pgtables_bytes, below);
	if (c.anon != mm->rss[MM_ANONPAGES])
		return check_fail(msg, len, "RssAnon %lu pages, anonymous PTEs %lu", mm->rss[MM_ANONPAGES], c.anon);
	if (c.shmem != mm->rss[MM_SHMEMPAGES])
		return check_fail(msg, len, "RssShmem %lu pages, PTEs of shared memory %lu", mm->rss[MM_SHMEMPAGES], c.shmem);
	return 0;
}

/* The page caches of the shared memory mm maps (each file once, as far
 * as neighbours tell: split pieces of one mapping sit side by side). */
static int caches_check(struct umm_mm *mm, char *msg, size_t len)
{
	const struct umm_file *last = NULL;
	int err = 0;

	for (const struct vma *v = mm->first_vma; v && !err; v = v->vm_next) {
		if (!vma_is_anon_shmem(v) || v->vm_file == last)
			continue;
		last = v->vm_file;
		err = shmem_check(v->vm_file, msg, len);
	}
	return err;
}

int mem_check(struct umm_mm *mm, char *msg, size_t len)
{
	int err;

	if (!mm->phys)
		return mm->pgtables_bytes || mm->rss[MM_ANONPAGES] || mm->rss[MM_SHMEMPAGES] ? check_fail(msg, len, "counts without memory") : 0;
	/* The walk is long: only after the tables changed. */
	err = mm->tables_touched ? tables_check(mm, msg, len) : 0;
	if (!err && mm->tables_touched)
		err = caches_check(mm, msg, len);
	if (!err)
		mm->tables_touched = false;
	return err ? err : phys_check(mm->phys, msg, len);
}
