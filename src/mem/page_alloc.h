/*
 * page_alloc.h - the buddy allocator of struct umm_phys (page_alloc.c):
 * frames handed out in blocks of 2^order, the watermarks that decide
 * when a zone may give one, and the zones' setup at creation.
 */
#ifndef UMM_MEM_PAGE_ALLOC_H
#define UMM_MEM_PAGE_ALLOC_H

#include "mem/mmzone.h"

#define GFP_ZERO 1u /* __GFP_ZERO: the block comes zeroed */

/*
 * A block of 2^order frames, its first frame's record returned with a
 * reference count of 1; NULL when no zone can give it above its
 * watermarks (out of memory), or when cfg.fail_alloc says so. Takes
 * phys->lock.
 */
struct page *alloc_pages(struct umm_phys *phys, unsigned int order, unsigned int gfp);
/* Gives the block back, merging it with its free buddies. Takes the lock. */
void free_pages(struct umm_phys *phys, struct page *page, unsigned int order);

/* A /proc/meminfo counter moves by delta (atomically: spaces on other
 * threads share the physical memory); node_page_state reads it. */
static inline void mod_node_page_state(struct umm_phys *phys, enum node_stat_item item, long delta)
{
	__atomic_fetch_add(&phys->node_stat[item], (unsigned long)delta, __ATOMIC_RELAXED);
}

static inline unsigned long node_page_state(struct umm_phys *phys, enum node_stat_item item)
{
	return __atomic_load_n(&phys->node_stat[item], __ATOMIC_RELAXED);
}

/* At creation, lock not needed: each zone's frames go to its free lists,
 * then the lowmem reserves, min_free_kbytes and the watermarks follow
 * from the sizes, as at the kernel's boot. */
void zones_init(struct umm_phys *phys);

/* The free lists against the zones' counts: every block free, aligned,
 * inside its zone and unmerged with a free buddy. 0, or -EUCLEAN with
 * msg set. Takes the lock. */
int phys_check(struct umm_phys *phys, char *msg, size_t len);

#endif
