/*
 * phys.c - owns struct umm_phys: its configuration, its creation (the
 * zones laid out, the frames' host memory and their records reserved,
 * every frame freed into the buddy allocator), its reference count, and
 * the physical memory of a space (made when first asked for).
 */
#include "core/alloc.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "mem/memory.h"
#include "mem/mmzone.h"
#include "mem/page_alloc.h"
#include "mem/shmem.h"

#include <string.h>

#define DMA_END_PFN (16UL << (20 - PAGE_SHIFT))  /* 16 MiB */
#define DMA32_END_PFN (4UL << (30 - PAGE_SHIFT)) /* 4 GiB */

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable", "Device" };

void umm_phys_config_init(struct umm_phys_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->bytes = 512UL << 20;
	cfg->thp = true;
	cfg->watermark_scale_factor = 10;
	cfg->lowmem_reserve_ratio[0] = 256;
	cfg->lowmem_reserve_ratio[1] = 256;
	cfg->lowmem_reserve_ratio[2] = 32;
}

/* The zones' sizes: given, or cut from bytes at 16 MiB and 4 GiB. */
static unsigned long zone_sizes(const struct umm_phys_config *cfg, unsigned long *sizes)
{
	unsigned long nr = cfg->bytes >> PAGE_SHIFT, total = 0;
	bool given = false;

	for (int i = 0; i < UMM_NR_ZONES; i++)
		given = given || cfg->zone_pages[i];
	if (given) {
		for (int i = 0; i < UMM_NR_ZONES; i++) {
			sizes[i] = cfg->zone_pages[i];
			if (total + sizes[i] < total)
				return 0;
			total += sizes[i];
		}
		return total;
	}
	sizes[0] = nr < DMA_END_PFN ? nr : DMA_END_PFN;
	sizes[1] = nr < DMA32_END_PFN ? nr - sizes[0] : DMA32_END_PFN - DMA_END_PFN;
	sizes[2] = nr - sizes[0] - sizes[1];
	return nr;
}

static bool config_valid(const struct umm_phys_config *cfg, unsigned long *sizes)
{
	unsigned long nr = zone_sizes(cfg, sizes);

	if (!nr || nr >= NO_PFN - 1 || nr >= PTRDIFF_MAX / PAGE_SIZE)
		return false;
	if (cfg->watermark_scale_factor < 1 || cfg->watermark_scale_factor > 3000)
		return false; /* the sysctl's range */
	return cfg->min_free_kbytes <= (nr << (PAGE_SHIFT - 10));
}

static void zones_layout(struct umm_phys *phys, const unsigned long *sizes)
{
	unsigned long pfn = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &phys->zones[i];

		z->name = zone_names[i];
		z->zone_start_pfn = pfn;
		z->spanned_pages = z->present_pages = z->managed_pages = i < UMM_NR_ZONES ? sizes[i] : 0;
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			z->free_area[o] = (struct free_area){ NO_PFN, NO_PFN, 0 };
		pfn += z->spanned_pages;
	}
}

static void phys_free(struct umm_phys *phys)
{
	const struct umm_allocator *a = phys->cfg.allocator;

	kfree(a, phys->frames, (phys->nr_pages + 1) * PAGE_SIZE);
	kfree(a, phys->pages, (phys->nr_pages + 1) * sizeof(struct page));
	pthread_mutex_destroy(&phys->lock);
	kfree(a, phys, sizeof(*phys));
}

struct umm_phys *umm_phys_create(const struct umm_phys_config *cfg)
{
	const struct umm_allocator *a;
	unsigned long sizes[UMM_NR_ZONES];
	struct umm_phys *phys;

	if (!cfg || !config_valid(cfg, sizes))
		return NULL;
	a = cfg->allocator;
	phys = kzalloc(a, sizeof(*phys));
	if (!phys)
		return NULL;
	phys->cfg = *cfg;
	phys->nr_pages = zone_sizes(cfg, sizes);
	if (pthread_mutex_init(&phys->lock, NULL)) {
		kfree(a, phys, sizeof(*phys));
		return NULL;
	}
	/* One frame more than the zones hold: the zero page, as the
	 * kernel's lies outside the memory it manages. */
	phys->pages = kvzalloc(a, (phys->nr_pages + 1) * sizeof(struct page));
	phys->frames = kmalloc_frames(a, (phys->nr_pages + 1) * PAGE_SIZE);
	if (!phys->pages || !phys->frames) {
		phys_free(phys);
		return NULL;
	}
	phys->zero_pfn = phys->nr_pages;
	memset(phys->frames + phys->zero_pfn * PAGE_SIZE, 0, PAGE_SIZE);
	phys->pages[phys->zero_pfn] = (struct page){ .flags = PG_reserved, .refcount = 1 };
	atomic_init(&phys->refcount, 1);
	zones_layout(phys, sizes);
	zones_init(phys);
	return phys;
}

struct umm_phys *umm_phys_get(struct umm_phys *phys)
{
	if (phys)
		atomic_fetch_add_explicit(&phys->refcount, 1, memory_order_relaxed);
	return phys;
}

void umm_phys_put(struct umm_phys *phys)
{
	/* acq_rel: the last dropper sees every other user's writes. */
	if (phys && atomic_fetch_sub_explicit(&phys->refcount, 1, memory_order_acq_rel) == 1)
		phys_free(phys);
}

int umm_phys_zone(struct umm_phys *phys, unsigned int i, struct umm_zone_info *out)
{
	const struct zone *z;

	if (!phys || !out || i >= UMM_NR_ZONES)
		return -EINVAL;
	z = &phys->zones[i];
	pthread_mutex_lock(&phys->lock);
	*out = (struct umm_zone_info){
		.name = z->name, .start_pfn = z->zone_start_pfn, .spanned = z->spanned_pages,
		.present = z->present_pages, .managed = z->managed_pages, .free = z->free_pages,
		.min = z->watermark[WMARK_MIN], .low = z->watermark[WMARK_LOW],
		.high = z->watermark[WMARK_HIGH], .promo = z->watermark[WMARK_PROMO],
	};
	for (int j = 0; j < MAX_NR_ZONES; j++)
		out->protection[j] = z->lowmem_reserve[j];
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		out->nr_free[o] = z->free_area[o].nr_free;
	pthread_mutex_unlock(&phys->lock);
	return 0;
}

/* ---- the physical memory of a space ---- */

void mem_phys_init(struct umm_mm *mm)
{
	mm->phys = umm_phys_get(mm->cfg.phys);
	mm->mem_check = mem_check;
	/* Only a space with physical memory has pages to catch up on. */
	mm->mem_sync = mm->phys ? shmem_sync_truncation : NULL;
}

void mem_phys_exit(struct umm_mm *mm)
{
	umm_phys_put(mm->phys);
	mm->phys = NULL;
	mm->mem_sync = NULL;
}

/* A space's own: as large as the RAM its configuration says. */
static struct umm_phys *own_phys(const struct umm_mm *mm)
{
	struct umm_phys_config cfg;

	umm_phys_config_init(&cfg);
	cfg.bytes = mm->cfg.totalram_pages << PAGE_SHIFT;
	cfg.allocator = mm->cfg.allocator;
	return umm_phys_create(&cfg);
}

struct umm_phys *mm_phys(struct umm_mm *mm)
{
	if (!mm->phys) {
		mm->phys = own_phys(mm);
		mm->mem_sync = mm->phys ? shmem_sync_truncation : NULL;
	}
	return mm->phys;
}

struct umm_phys *umm_mm_phys(struct umm_mm *mm)
{
	struct umm_phys *phys;

	if (!mm)
		return NULL;
	mm_lock(mm);
	phys = mm_phys(mm);
	mm_unlock(mm);
	return phys;
}

void *umm_phys_frame(struct umm_phys *phys, unsigned long pfn)
{
	if (!phys || pfn > phys->nr_pages)
		return NULL;
	return phys->frames + pfn * PAGE_SIZE;
}
