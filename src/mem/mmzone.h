/*
 * mmzone.h - struct umm_phys, the physical memory (the kernel's node,
 * pglist_data), and its zones (struct zone) with their free areas and
 * watermarks. phys.c makes and frees it; page_alloc.c hands out its
 * frames; proc/proc_meminfo.c prints it.
 */
#ifndef UMM_MEM_MMZONE_H
#define UMM_MEM_MMZONE_H

#include "core/types.h"
#include "mem/page.h"

#include <pthread.h>
#include <stdatomic.h>

enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, ZONE_DEVICE, MAX_NR_ZONES };

#define NR_PAGE_ORDERS (UMM_MAX_PAGE_ORDER + 1)
#define PAGEBLOCK_ORDER 9 /* pageblock_order: a PMD's worth */
#define MIGRATE_PCPTYPES 3 /* the kernel's movable, unmovable, reclaimable */

/* The free blocks of one order: a list through their first frames. */
struct free_area {
	uint32_t head, tail; /* NO_PFN: empty */
	unsigned long nr_free;
};

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO, NR_WMARK };

struct zone {
	const char *name;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages, present_pages, managed_pages;
	unsigned long free_pages; /* NR_FREE_PAGES */
	unsigned long watermark[NR_WMARK];
	unsigned long lowmem_reserve[MAX_NR_ZONES];
	struct free_area free_area[NR_PAGE_ORDERS];
};

/* The counters of /proc/meminfo that pages move (node_stat_item). */
enum node_stat_item { NR_ANON_MAPPED, NR_FILE_MAPPED, NR_SHMEM, NR_PAGETABLE, NR_NODE_STATS };

struct umm_phys {
	pthread_mutex_t lock; /* zone->lock, one for all zones */
	atomic_long refcount;
	struct umm_phys_config cfg;
	unsigned long nr_pages;    /* frames in the zones, numbered from 0 */
	unsigned long zero_pfn;    /* the zero page: the frame after them */
	struct page *pages;        /* the mem_map: one record per frame */
	unsigned char *frames;     /* their host memory */
	unsigned long min_free_kbytes;
	unsigned long totalreserve_pages;
	struct zone zones[MAX_NR_ZONES];
	unsigned long node_stat[NR_NODE_STATS]; /* atomic: see mod_node_page_state */
	/* Holes punched in shared memory whose pages other spaces still
	 * mapped (atomic; mem/shmem.c). */
	unsigned long truncate_seq;
};

static inline unsigned long page_to_pfn(const struct umm_phys *phys, const struct page *page)
{
	return (unsigned long)(page - phys->pages);
}

static inline struct page *pfn_to_page(const struct umm_phys *phys, unsigned long pfn)
{
	return &phys->pages[pfn];
}

/* The frame's bytes in host memory. */
static inline void *page_address(const struct umm_phys *phys, const struct page *page)
{
	return phys->frames + page_to_pfn(phys, page) * PAGE_SIZE;
}

#endif
