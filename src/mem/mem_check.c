/*
 * mem_check.c - the memory layer's part of the invariant checker, run by
 * the core's after every call in test builds: every table is a table of
 * its level, entries lie only inside VMAs (pages only in VMAs that have
 * pages), VmPTE and the RSS counters equal what the tables hold, each
 * mapped page is an anonymous page whose map count equals its PTEs, and
 * the physical memory's free lists hold.
 */
#include "core/check.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/vma.h"
#include "mem/memory.h"
#include "mem/page_alloc.h"
#include "mem/pgtable.h"


struct census {
	unsigned long anon;   /* PTEs mapping counted pages */
	unsigned long bad;    /* the first address found wrong, or 0 */
	const char *why;
	bool second_pass;
};

static int note_bad(struct census *c, unsigned long addr, const char *why)
{
	c->bad = addr ? addr : 1;
	c->why = why;
	return -EUCLEAN;
}

/* Pages are checked in two passes over the same PTEs: the first clears
 * a scratch count in each page's private word (unused while a page is
 * mapped), the second counts the PTEs that map it. */
static int census_pte(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	struct census *c = ctx;
	const struct vma *v = vma_lookup(mm, addr);
	struct page *page;

	if (!v)
		return note_bad(c, addr, "an entry outside every VMA");
	if (pte_is_guard(*pte))
		return 0;
	if (!pte_maps(*pte) || !vma_has_pages(v))
		return note_bad(c, addr, "a stray entry");
	if (*pte & _PAGE_SPECIAL)
		return pte_pfn(*pte) == mm->phys->zero_pfn ? 0 : note_bad(c, addr, "a special non-zero page");
	if (pte_pfn(*pte) >= mm->phys->nr_pages)
		return note_bad(c, addr, "a frame past the memory");
	page = pfn_to_page(mm->phys, pte_pfn(*pte));
	if (!page_test(page, PG_anon) || page->refcount < 1 || page_test(page, PG_buddy | PG_table))
		return note_bad(c, addr, "a mapped page that is not an anonymous page in use");
	if (!c->second_pass) {
		page->private = 0;
		return 0;
	}
	c->anon++;
	page->private++;
	return 0;
}

/* Until pages are shared by fork, each maps once: its count is 0. */
static int census_mapcount(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	struct page *page;

	if (!pte_maps(*pte) || (*pte & _PAGE_SPECIAL))
		return 0;
	page = pfn_to_page(mm->phys, pte_pfn(*pte));
	if ((long)page->private != page->mapcount + 1)
		return note_bad(ctx, addr, "a page whose map count is not its PTEs");
	page->private = 0;
	return 0;
}

static int tables_check(struct umm_mm *mm, char *msg, size_t len)
{
	struct census c = { 0 };
	unsigned long counts[PT_LEVELS], below;

	int err = pt_census(mm, counts, census_pte, &c);

	c.second_pass = true;
	err = err ? err : pt_census(mm, counts, census_pte, &c);
	err = err ? err : pt_census(mm, counts, census_mapcount, &c);
	if (err && c.bad)
		return check_fail(msg, len, "page tables: %s at %#lx", c.why, c.bad);
	if (err)
		return check_fail(msg, len, "page tables: a table not marked as one of its level");
	below = counts[PT_PUD] + counts[PT_PMD] + counts[PT_PTE];
	if (below * PAGE_SIZE != mm->pgtables_bytes)
		return check_fail(msg, len, "VmPTE %lu bytes, tables below the PGD %lu", mm->pgtables_bytes, below);
	if (c.anon != mm->rss[MM_ANONPAGES])
		return check_fail(msg, len, "RssAnon %lu pages, anonymous PTEs %lu", mm->rss[MM_ANONPAGES], c.anon);
	return 0;
}

int mem_check(struct umm_mm *mm, char *msg, size_t len)
{
	int err;

	if (!mm->phys)
		return mm->pgtables_bytes || mm->rss[MM_ANONPAGES] ? check_fail(msg, len, "counts without memory") : 0;
	err = tables_check(mm, msg, len);
	return err ? err : phys_check(mm->phys, msg, len);
}
