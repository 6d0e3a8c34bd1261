/*
 * shmem.c - owns the pages of shared anonymous memory (see shmem.h): the
 * page cache of its hidden file, a radix tree of page records indexed by
 * file page, made at the first fault (shmem_get_folio's part), freed
 * with the file (shmem_evict_inode's); the hole punch of MADV_REMOVE
 * (shmem_fallocate), and the reclaim of a clean page.
 *
 * A punched page may still be mapped by another space, which another
 * thread may be working on; its lock is not ours to take while we hold
 * our own. The punch bumps the physical memory's truncate_seq instead,
 * and every space compares it with what it saw when it takes its lock:
 * the entries to punched pages go before anything can look at them.
 */
#include "core/alloc.h"
#include "core/check.h"
#include "core/file.h"
#include "core/mm.h"
#include "core/vma.h"
#include "mem/memory.h"
#include "mem/page_alloc.h"
#include "mem/pgtable.h"
#include "mem/rmap.h"
#include "mem/shmem.h"

#include <pthread.h>

#define CACHE_SHIFT 6
#define CACHE_SLOTS (1u << CACHE_SHIFT)
#define CACHE_MASK (CACHE_SLOTS - 1)
/* 11 levels of 6 bits cover every unsigned long index. */
#define CACHE_MAX_HEIGHT 11

/* An inner node holds nodes, a node at height 1 holds pages. */
struct cache_node {
	void *slots[CACHE_SLOTS];
};

struct address_space {
	struct umm_phys *phys;   /* where its pages come from (a reference) */
	struct cache_node *root;
	unsigned int height;     /* the tree covers indices below 2^(6 * height) */
	unsigned long nrpages;
};

static bool covers(unsigned int height, unsigned long index)
{
	return height >= CACHE_MAX_HEIGHT || (index >> (CACHE_SHIFT * height)) == 0;
}

static unsigned int slot_of(unsigned long index, unsigned int level)
{
	return (index >> (CACHE_SHIFT * (level - 1))) & CACHE_MASK;
}

/* The page slot of index, if the nodes down to it exist. */
static void **cache_find_slot(const struct address_space *as, unsigned long index)
{
	struct cache_node *node = as->root;

	if (!node || !covers(as->height, index))
		return NULL;
	for (unsigned int level = as->height; level > 1 && node; level--)
		node = node->slots[slot_of(index, level)];
	return node ? &node->slots[slot_of(index, 1)] : NULL;
}

static struct page *cache_lookup(const struct address_space *as, unsigned long index)
{
	void **slot = cache_find_slot(as, index);

	return slot ? *slot : NULL;
}

/* The slot for index, the tree grown and nodes made on the way; NULL
 * without memory (the nodes made stay, empty, until the file goes). */
static void **cache_slot(struct address_space *as, unsigned long index)
{
	const struct umm_allocator *a = as->phys->cfg.allocator;
	struct cache_node *node;

	while (!as->root || !covers(as->height, index)) {
		node = kzalloc(a, sizeof(*node));
		if (!node)
			return NULL;
		node->slots[0] = as->root;
		as->root = node;
		as->height++;
	}
	node = as->root;
	for (unsigned int level = as->height; level > 1; level--) {
		void **slot = &node->slots[slot_of(index, level)];

		if (!*slot && !(*slot = kzalloc(a, sizeof(struct cache_node))))
			return NULL;
		node = *slot;
	}
	return &node->slots[slot_of(index, 1)];
}

typedef void (*cache_fn)(struct address_space *as, void **slot, void *ctx);

/* Calls fn on each page slot of [first, last] that holds a page, and
 * with free_nodes frees the nodes it passed. */
static void cache_walk(struct address_space *as, struct cache_node *node, unsigned int level,
		       unsigned long base, unsigned long first, unsigned long last, cache_fn fn,
		       void *ctx, bool free_nodes)
{
	unsigned int shift = CACHE_SHIFT * (level - 1);

	for (unsigned int i = 0; i < CACHE_SLOTS; i++) {
		unsigned long lo = base + ((unsigned long)i << shift);
		unsigned long hi = lo + ((1UL << shift) - 1);

		if (!node->slots[i] || hi < first || lo > last)
			continue;
		if (level == 1)
			fn(as, &node->slots[i], ctx);
		else
			cache_walk(as, node->slots[i], level - 1, lo, first, last, fn, ctx, free_nodes);
	}
	if (free_nodes)
		kfree(as->phys->cfg.allocator, node, sizeof(*node));
}

/* Takes a page out of the cache: it is no longer the file's, and the
 * cache's reference goes. */
static void cache_delete(struct address_space *as, void **slot, void *ctx)
{
	struct page *page = *slot;
	bool *still_mapped = ctx;

	*slot = NULL;
	as->nrpages--;
	mod_node_page_state(as->phys, NR_SHMEM, -1);
	__atomic_store_n(&page->mapping, NULL, __ATOMIC_RELEASE);
	if (still_mapped && __atomic_load_n(&page->mapcount, __ATOMIC_ACQUIRE) >= 0)
		*still_mapped = true;
	put_page(as->phys, page);
}

static void release_mapping(struct umm_file *f)
{
	struct address_space *as = f->mapping;

	if (as->root)
		cache_walk(as, as->root, as->height, 0, 0, ~0UL, cache_delete, NULL, true);
	umm_phys_put(as->phys);
	kfree(f->alloc, as, sizeof(*as));
	f->mapping = NULL;
}

/* The file's cache, made for mm's physical memory; cache_lock held. */
static enum vm_fault mapping_of(struct umm_mm *mm, struct umm_file *f, struct address_space **out)
{
	if (!f->mapping) {
		struct address_space *as = kzalloc(f->alloc, sizeof(*as));

		if (!as)
			return VM_FAULT_OOM;
		as->phys = umm_phys_get(mm->phys);
		f->mapping = as;
		f->release_mapping = release_mapping;
	}
	*out = f->mapping;
	return f->mapping->phys == mm->phys ? VM_FAULT_DONE : VM_FAULT_SIGBUS;
}

/* A new page of the file at index, zeroed; its references: the cache's
 * and the caller's. */
static enum vm_fault cache_add(struct address_space *as, struct umm_file *f, unsigned long index,
			       struct page **out)
{
	struct page *page = alloc_pages(as->phys, 0, GFP_ZERO);
	void **slot;

	if (!page)
		return VM_FAULT_OOM;
	slot = cache_slot(as, index);
	if (!slot) {
		free_pages(as->phys, page, 0);
		return VM_FAULT_OOM;
	}
	page_set_flags(page, PG_swapbacked);
	page->mapping = f;
	page->index = index;
	page->mapcount = -1;
	page->refcount = 2;
	*slot = page;
	as->nrpages++;
	mod_node_page_state(as->phys, NR_SHMEM, 1);
	*out = page;
	return VM_FAULT_DONE;
}

enum vm_fault shmem_get_page(struct umm_mm *mm, struct umm_file *f, unsigned long index,
			     struct page **out)
{
	struct address_space *as;
	enum vm_fault ret;

	pthread_mutex_lock(&f->cache_lock);
	ret = mapping_of(mm, f, &as);
	if (ret == VM_FAULT_DONE) {
		*out = cache_lookup(as, index);
		if (*out)
			__atomic_add_fetch(&(*out)->refcount, 1, __ATOMIC_RELAXED);
		else
			ret = cache_add(as, f, index, out);
	}
	pthread_mutex_unlock(&f->cache_lock);
	return ret;
}

void shmem_find_get_pages(struct umm_file *f, unsigned long first, unsigned long n,
			  struct page **pages)
{
	pthread_mutex_lock(&f->cache_lock);
	for (unsigned long i = 0; i < n; i++) {
		pages[i] = f->mapping ? cache_lookup(f->mapping, first + i) : NULL;
		if (pages[i])
			__atomic_add_fetch(&pages[i]->refcount, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&f->cache_lock);
}

bool shmem_cached(struct umm_file *f, unsigned long index)
{
	bool cached;

	pthread_mutex_lock(&f->cache_lock);
	cached = f->mapping && cache_lookup(f->mapping, index);
	pthread_mutex_unlock(&f->cache_lock);
	return cached;
}

static void note_found(struct address_space *as, void **slot, void *ctx)
{
	(void)as;
	(void)slot;
	*(bool *)ctx = true;
}

bool shmem_cached_any(struct umm_file *f, unsigned long first, unsigned long n)
{
	bool found = false;

	pthread_mutex_lock(&f->cache_lock);
	if (n && f->mapping && f->mapping->root)
		cache_walk(f->mapping, f->mapping->root, f->mapping->height, 0, first,
			   first + n - 1, note_found, &found, false);
	pthread_mutex_unlock(&f->cache_lock);
	return found;
}

void shmem_punch_hole(struct umm_file *f, unsigned long first, unsigned long n)
{
	struct address_space *as;
	bool still_mapped = false;

	if (!n)
		return;
	pthread_mutex_lock(&f->cache_lock);
	as = f->mapping;
	if (as && as->root)
		cache_walk(as, as->root, as->height, 0, first, first + n - 1, cache_delete,
			   &still_mapped, false);
	pthread_mutex_unlock(&f->cache_lock);
	if (still_mapped)
		__atomic_add_fetch(&as->phys->truncate_seq, 1, __ATOMIC_ACQ_REL);
}

void shmem_reclaim_page(struct page *page)
{
	struct umm_file *f = __atomic_load_n(&page->mapping, __ATOMIC_ACQUIRE);
	void **slot;

	if (!f || page_test(page, PG_dirty))
		return;
	pthread_mutex_lock(&f->cache_lock);
	/* Mapped again meanwhile, or punched: not ours to drop. */
	if (__atomic_load_n(&page->mapcount, __ATOMIC_ACQUIRE) < 0 &&
	    (slot = cache_find_slot(f->mapping, page->index)) && *slot == page)
		cache_delete(f->mapping, slot, NULL);
	pthread_mutex_unlock(&f->cache_lock);
}

struct cache_census {
	unsigned long count, bad_index;
	const char *why;
};

static void census_page(struct address_space *as, void **slot, void *ctx)
{
	struct cache_census *c = ctx;
	const struct page *page = *slot;
	uint32_t flags = page_flags(page);

	c->count++;
	if (c->why)
		return;
	if ((flags & (PG_anon | PG_buddy | PG_table | PG_reserved)) || !(flags & PG_swapbacked))
		c->why = "a cached page that is not a page of shared memory";
	else if (__atomic_load_n(&page->refcount, __ATOMIC_ACQUIRE) < 1)
		c->why = "a cached page without the cache's reference";
	else if (cache_find_slot(as, page->index) != slot)
		c->why = "a cached page at another index than its own";
	if (c->why)
		c->bad_index = page->index;
}

int shmem_check(struct umm_file *f, char *msg, size_t len)
{
	struct cache_census c = { 0, 0, NULL };
	struct address_space *as;
	int err = 0;

	pthread_mutex_lock(&f->cache_lock);
	as = f->mapping;
	if (as && as->root)
		cache_walk(as, as->root, as->height, 0, 0, ~0UL, census_page, &c, false);
	if (c.why)
		err = check_fail(msg, len, "shmem cache: %s (page %lu)", c.why, c.bad_index);
	else if (as && c.count != as->nrpages)
		err = check_fail(msg, len, "shmem cache: %lu pages, counted %lu", c.count, as->nrpages);
	pthread_mutex_unlock(&f->cache_lock);
	return err;
}

/* An entry of a punched page goes. */
static int drop_punched(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	struct page *page = vm_normal_page(mm, *pte);

	(void)addr;
	(void)ctx;
	if (page && !page_test(page, PG_anon) && !__atomic_load_n(&page->mapping, __ATOMIC_ACQUIRE))
		zap_pte_entry(mm, pte);
	return 0;
}

void shmem_sync_truncation(struct umm_mm *mm)
{
	unsigned long seq;

	if (!mm->phys)
		return;
	seq = __atomic_load_n(&mm->phys->truncate_seq, __ATOMIC_ACQUIRE);
	if (seq == mm->truncate_seen)
		return;
	mm->truncate_seen = seq;
	update_hiwater_rss(mm); /* unmap_mapping_range's zap */
	for (struct vma *v = mm->first_vma; v; v = v->vm_next)
		if (vma_is_anon_shmem(v))
			walk_ptes(mm, v->vm_start, v->vm_end, drop_punched, NULL);
	mm_ptes_changed(mm);
}
