/*
 * page_alloc.c - owns the frames' free lists: the buddy allocator (the
 * kernel's __rmqueue_smallest, expand and __free_one_page), the zone
 * fallback with its watermark test (zone_watermark_ok), and the boot-time
 * sums: lowmem reserves, min_free_kbytes (with khugepaged's raise) and
 * the watermarks (setup_per_zone_wmarks). The arithmetic was checked
 * against this machine's /proc/zoneinfo (tests/test_page_alloc.c).
 */
#include "core/alloc.h"
#include "mem/page_alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- free lists ---- */

static void list_add(struct umm_phys *phys, struct free_area *fa, uint32_t pfn, bool tail)
{
	struct page *page = pfn_to_page(phys, pfn);

	if (fa->head == NO_PFN) {
		page->lru_prev = page->lru_next = NO_PFN;
		fa->head = fa->tail = pfn;
	} else if (tail) {
		page->lru_prev = fa->tail;
		page->lru_next = NO_PFN;
		pfn_to_page(phys, fa->tail)->lru_next = pfn;
		fa->tail = pfn;
	} else {
		page->lru_prev = NO_PFN;
		page->lru_next = fa->head;
		pfn_to_page(phys, fa->head)->lru_prev = pfn;
		fa->head = pfn;
	}
}

static void list_del(struct umm_phys *phys, struct free_area *fa, uint32_t pfn)
{
	struct page *page = pfn_to_page(phys, pfn);

	if (page->lru_prev != NO_PFN)
		pfn_to_page(phys, page->lru_prev)->lru_next = page->lru_next;
	else
		fa->head = page->lru_next;
	if (page->lru_next != NO_PFN)
		pfn_to_page(phys, page->lru_next)->lru_prev = page->lru_prev;
	else
		fa->tail = page->lru_prev;
}

static void add_free(struct umm_phys *phys, struct zone *z, unsigned long pfn, unsigned int order,
		     bool tail)
{
	struct page *page = pfn_to_page(phys, pfn);

	page_set_flags(page, PG_buddy);
	page->private = order;
	list_add(phys, &z->free_area[order], (uint32_t)pfn, tail);
	z->free_area[order].nr_free++;
}

static void del_free(struct umm_phys *phys, struct zone *z, unsigned long pfn, unsigned int order)
{
	list_del(phys, &z->free_area[order], (uint32_t)pfn);
	page_clear(pfn_to_page(phys, pfn), PG_buddy);
	z->free_area[order].nr_free--;
}

/* Is [pfn, pfn + 2^order) inside z and a free block of that order? */
static bool free_block(const struct umm_phys *phys, const struct zone *z, unsigned long pfn,
		       unsigned int order)
{
	const struct page *page;

	if (pfn < z->zone_start_pfn || pfn + (1UL << order) > z->zone_start_pfn + z->spanned_pages)
		return false;
	page = pfn_to_page(phys, pfn);
	return page_test(page, PG_buddy) && page->private == order;
}

/* ---- the buddy allocator ---- */

/*
 * __free_one_page: the block merges with its buddy while that is free at
 * the same order. It goes to the tail of its list when the next order's
 * buddy is free too (buddy_merge_likely), so that what is about to merge
 * is not handed out first.
 */
static void free_one(struct umm_phys *phys, struct zone *z, unsigned long pfn, unsigned int order)
{
	unsigned long higher;
	bool tail;

	z->free_pages += 1UL << order;
	while (order < UMM_MAX_PAGE_ORDER && free_block(phys, z, pfn ^ (1UL << order), order)) {
		del_free(phys, z, pfn ^ (1UL << order), order);
		pfn &= ~(1UL << order);
		order++;
	}
	higher = pfn & ~(1UL << order); /* the block of the next order */
	tail = order + 1 < UMM_MAX_PAGE_ORDER &&
	       free_block(phys, z, higher ^ (1UL << (order + 1)), order + 1);
	add_free(phys, z, pfn, order, tail);
}

/* __rmqueue_smallest and expand: the smallest free block that holds
 * 2^order frames, its upper halves back on the lower lists. */
static bool rmqueue(struct umm_phys *phys, struct zone *z, unsigned int order, unsigned long *out)
{
	for (unsigned int o = order; o <= UMM_MAX_PAGE_ORDER; o++) {
		unsigned long pfn = z->free_area[o].head;

		if (pfn == NO_PFN)
			continue;
		del_free(phys, z, pfn, o);
		while (o > order) {
			o--;
			add_free(phys, z, pfn + (1UL << o), o, false);
		}
		z->free_pages -= 1UL << order;
		*out = pfn;
		return true;
	}
	return false;
}

/*
 * zone_watermark_ok for an allocation whose highest usable zone is
 * highest: the zone must keep more than mark plus its lowmem reserve
 * against that zone, and hold a free block of at least the order.
 */
static bool watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
			 enum zone_type highest)
{
	long free = (long)z->free_pages - (1L << order) + 1;

	if (free <= (long)(mark + z->lowmem_reserve[highest]))
		return false;
	for (unsigned int o = order; o <= UMM_MAX_PAGE_ORDER; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

/* User pages (GFP_HIGHUSER_MOVABLE) may come from every zone, the
 * highest first: Normal, then DMA32, then DMA. */
static bool get_page_from_zones(struct umm_phys *phys, unsigned int order, enum zone_watermarks mark,
				unsigned long *pfn)
{
	for (int i = ZONE_NORMAL; i >= ZONE_DMA; i--) {
		struct zone *z = &phys->zones[i];

		if (z->managed_pages && watermark_ok(z, order, z->watermark[mark], ZONE_MOVABLE) &&
		    rmqueue(phys, z, order, pfn))
			return true;
	}
	return false;
}

/* prep_new_page: the block's records, fresh. Under the lock: a free
 * next door reads the flags of its would-be buddy. */
static struct page *prep_new_page(struct umm_phys *phys, unsigned long pfn, unsigned int order)
{
	struct page *page = pfn_to_page(phys, pfn);

	memset(page, 0, sizeof(*page) << order);
	for (unsigned long i = 0; i < (1UL << order); i++)
		page[i].mapcount = -1;
	page->refcount = 1;
	if (order)
		page_set_flags(page, PG_head);
	return page;
}

struct page *alloc_pages(struct umm_phys *phys, unsigned int order, unsigned int gfp)
{
	struct page *page = NULL;
	unsigned long pfn;

	if (order > UMM_MAX_PAGE_ORDER)
		return NULL;
	if (phys->cfg.fail_alloc && phys->cfg.fail_alloc(phys->cfg.fail_ctx, order))
		return NULL;
	pthread_mutex_lock(&phys->lock);
	/* The fast path keeps the low watermark; the slow one, with nothing
	 * to reclaim here, goes down to min; below that is out of memory. */
	if (get_page_from_zones(phys, order, WMARK_LOW, &pfn) ||
	    get_page_from_zones(phys, order, WMARK_MIN, &pfn))
		page = prep_new_page(phys, pfn, order);
	pthread_mutex_unlock(&phys->lock);
	if (page && (gfp & GFP_ZERO))
		memset(page_address(phys, page), 0, PAGE_SIZE << order);
	return page;
}

static struct zone *page_zone(struct umm_phys *phys, unsigned long pfn)
{
	for (int i = ZONE_DMA; i <= ZONE_NORMAL; i++) {
		struct zone *z = &phys->zones[i];

		if (pfn >= z->zone_start_pfn && pfn < z->zone_start_pfn + z->spanned_pages)
			return z;
	}
	return NULL;
}

void free_pages(struct umm_phys *phys, struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(phys, page);

	pthread_mutex_lock(&phys->lock);
	free_one(phys, page_zone(phys, pfn), pfn, order);
	pthread_mutex_unlock(&phys->lock);
}

/* ---- the zones at boot ---- */

/* __free_pages_memory: a zone's frames in the largest aligned blocks. */
static void zone_free_all(struct umm_phys *phys, struct zone *z)
{
	unsigned long pfn = z->zone_start_pfn, end = pfn + z->spanned_pages;

	while (pfn < end) {
		unsigned int order = UMM_MAX_PAGE_ORDER;

		while ((pfn & ((1UL << order) - 1)) || pfn + (1UL << order) > end)
			order--;
		free_one(phys, z, pfn, order);
		pfn += 1UL << order;
	}
}

/* setup_per_zone_lowmem_reserve: what a zone keeps back from requests
 * that could have used a higher zone. */
static void setup_lowmem_reserve(struct umm_phys *phys)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &phys->zones[i];
		unsigned int ratio = i < UMM_NR_ZONES ? phys->cfg.lowmem_reserve_ratio[i] : 0;
		unsigned long above = 0;

		for (int j = i + 1; j < MAX_NR_ZONES; j++) {
			above += phys->zones[j].managed_pages;
			z->lowmem_reserve[j] = ratio && z->managed_pages ? above / ratio : 0;
		}
	}
}

/* The managed pages of the zones below Movable. */
static unsigned long lowmem_pages(const struct umm_phys *phys)
{
	unsigned long n = 0;

	for (int i = ZONE_DMA; i <= ZONE_NORMAL; i++)
		n += phys->zones[i].managed_pages;
	return n;
}

/* setup_per_zone_wmarks: min_free_kbytes shared out by size; low, high
 * and promo a step each above min. */
static void setup_wmarks(struct umm_phys *phys)
{
	unsigned long pages_min = phys->min_free_kbytes >> (PAGE_SHIFT - 10), low = lowmem_pages(phys);

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &phys->zones[i];
		unsigned long tmp = low ? (unsigned long)((unsigned __int128)pages_min * z->managed_pages / low) : 0;
		unsigned long step = z->managed_pages * phys->cfg.watermark_scale_factor / 10000;
		unsigned long min = tmp;

		if (i == ZONE_MOVABLE) { /* clamp(managed / 1024, SWAP_CLUSTER_MAX, 128) */
			min = z->managed_pages / 1024;
			min = min < 32 ? 32 : min > 128 ? 128 : min;
		}
		step = (tmp >> 2) > step ? tmp >> 2 : step;
		z->watermark[WMARK_MIN] = min;
		z->watermark[WMARK_LOW] = min + step;
		z->watermark[WMARK_HIGH] = min + 2 * step;
		z->watermark[WMARK_PROMO] = min + 3 * step;
	}
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	for (unsigned long bit = 1UL << 62; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/* nr_free_buffer_pages: what the zones hold above their high marks. */
static unsigned long free_buffer_pages(const struct umm_phys *phys)
{
	unsigned long n = 0;

	for (int i = ZONE_DMA; i <= ZONE_NORMAL; i++) {
		const struct zone *z = &phys->zones[i];

		if (z->managed_pages > z->watermark[WMARK_HIGH])
			n += z->managed_pages - z->watermark[WMARK_HIGH];
	}
	return n;
}

/* set_recommended_min_free_kbytes: with THP on, khugepaged keeps two
 * pageblocks per populated zone free, plus room for migrate-type
 * fallbacks, but never more than 5% of low memory. */
static unsigned long thp_min_free_kbytes(const struct umm_phys *phys)
{
	unsigned long zones = 0, pageblock = 1UL << PAGEBLOCK_ORDER, rec;

	for (int i = ZONE_DMA; i <= ZONE_NORMAL; i++)
		zones += phys->zones[i].present_pages != 0;
	rec = pageblock * zones * 2 + pageblock * zones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
	if (rec > free_buffer_pages(phys) / 20)
		rec = free_buffer_pages(phys) / 20;
	return rec << (PAGE_SHIFT - 10);
}

/* calculate_totalreserve_pages: what MemAvailable leaves out. */
static void setup_totalreserve(struct umm_phys *phys)
{
	phys->totalreserve_pages = 0;
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &phys->zones[i];
		unsigned long max = 0;

		for (int j = i; j < MAX_NR_ZONES; j++)
			max = z->lowmem_reserve[j] > max ? z->lowmem_reserve[j] : max;
		max += z->watermark[WMARK_HIGH];
		phys->totalreserve_pages += max > z->managed_pages ? z->managed_pages : max;
	}
}

void zones_init(struct umm_phys *phys)
{
	unsigned long kb;

	for (int i = ZONE_DMA; i <= ZONE_NORMAL; i++)
		if (phys->zones[i].spanned_pages)
			zone_free_all(phys, &phys->zones[i]);
	setup_lowmem_reserve(phys);
	phys->min_free_kbytes = phys->cfg.min_free_kbytes;
	if (!phys->min_free_kbytes) { /* calculate_min_free_kbytes */
		kb = int_sqrt(lowmem_pages(phys) * (PAGE_SIZE >> 10) * 16);
		phys->min_free_kbytes = kb < 128 ? 128 : kb > 262144 ? 262144 : kb;
		setup_wmarks(phys);
		kb = phys->cfg.thp ? thp_min_free_kbytes(phys) : 0;
		phys->min_free_kbytes = kb > phys->min_free_kbytes ? kb : phys->min_free_kbytes;
	}
	setup_wmarks(phys);
	setup_totalreserve(phys);
}

/* ---- checking ---- */

static int bad(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return -EUCLEAN;
}

static int check_area(struct umm_phys *phys, struct zone *z, unsigned int o, unsigned long *free)
{
	unsigned long n = 0, prev = NO_PFN;

	for (unsigned long pfn = z->free_area[o].head; pfn != NO_PFN;
	     prev = pfn, pfn = pfn_to_page(phys, pfn)->lru_next) {
		const struct page *page = pfn_to_page(phys, pfn);

		if (!free_block(phys, z, pfn, o) || (pfn & ((1UL << o) - 1)) || page->lru_prev != prev)
			return -EUCLEAN;
		if (o < UMM_MAX_PAGE_ORDER && free_block(phys, z, pfn ^ (1UL << o), o))
			return -EUCLEAN;
		if (++n > z->spanned_pages)
			return -EUCLEAN; /* a cycle */
	}
	if (n != z->free_area[o].nr_free || prev != z->free_area[o].tail)
		return -EUCLEAN;
	*free += n << o;
	return 0;
}

int phys_check(struct umm_phys *phys, char *msg, size_t len)
{
	int err = 0;

	pthread_mutex_lock(&phys->lock);
	for (int i = ZONE_DMA; !err && i <= ZONE_NORMAL; i++) {
		struct zone *z = &phys->zones[i];
		unsigned long free = 0;

		for (unsigned int o = 0; !err && o <= UMM_MAX_PAGE_ORDER; o++)
			if (check_area(phys, z, o, &free))
				err = bad(msg, len, "phys: zone %s: free list of order %u broken", z->name, o);
		if (!err && free != z->free_pages)
			err = bad(msg, len, "phys: zone %s: %lu pages free, lists hold %lu", z->name,
				  z->free_pages, free);
	}
	pthread_mutex_unlock(&phys->lock);
	return err;
}
