/*
 * page.h - struct page, the record of one 4 KiB frame (the kernel's
 * struct page, cut to what usermm keeps), and the conversions between a
 * record, its frame number and the frame's host memory.
 */
#ifndef UMM_MEM_PAGE_H
#define UMM_MEM_PAGE_H

#include "core/types.h"

#define NO_PFN UINT32_MAX /* the end of a list of frames */

/* The flags of struct page. */
enum pageflags {
	PG_buddy = 1u << 0,      /* free, the first frame of a block in a free list */
	PG_head = 1u << 1,       /* the first frame of a block allocated whole */
	PG_anon = 1u << 2,       /* mapping is an anon_vma */
	PG_dirty = 1u << 3,
	PG_referenced = 1u << 4,
	PG_lru = 1u << 5,        /* on an LRU list (lru_prev, lru_next) */
	PG_swapbacked = 1u << 6, /* anonymous without it: lazily freed (MADV_FREE) */
	PG_table = 1u << 8,      /* a page table; private holds its level */
	PG_anon_exclusive = 1u << 9, /* anonymous, mapped by one space only: a write may reuse it */
	PG_reserved = 1u << 10,  /* never allocated nor freed: the zero page */
};

struct page {
	uint32_t flags;            /* enum pageflags */
	int32_t refcount;          /* _refcount: users of the frame; 0 when free */
	int32_t mapcount;          /* _mapcount: page-table entries mapping it, minus 1 */
	uint32_t private;          /* a free block's order (PG_buddy) */
	void *mapping;             /* the anon_vma or file it belongs to */
	unsigned long index;       /* its page offset there */
	uint32_t lru_prev, lru_next; /* frame numbers: the free list, or the LRU */
};

_Static_assert(sizeof(struct page) == UMM_PAGE_STRUCT_SIZE, "UMM_PAGE_STRUCT_SIZE is stale");

/* A page's flags are read and changed atomically: the buddy allocator,
 * under the memory's lock, looks at the flags of frames that spaces on
 * other threads own (is my buddy free?). */
static inline uint32_t page_flags(const struct page *page)
{
	return __atomic_load_n(&page->flags, __ATOMIC_ACQUIRE);
}

static inline bool page_test(const struct page *page, uint32_t f)
{
	return page_flags(page) & f;
}

static inline void page_set(struct page *page, uint32_t f)
{
	__atomic_fetch_or(&page->flags, f, __ATOMIC_ACQ_REL);
}

static inline void page_clear(struct page *page, uint32_t f)
{
	__atomic_fetch_and(&page->flags, ~f, __ATOMIC_ACQ_REL);
}

static inline void page_set_flags(struct page *page, uint32_t f)
{
	__atomic_store_n(&page->flags, f, __ATOMIC_RELEASE);
}

#endif
