/*
 * mm.c - the address space itself: configuration defaults, the core's
 * part of creation and teardown (calls/fork.c adds the memory layer's),
 * and the per-space lock (the counterpart of mmap_lock) around which
 * test builds run the invariant checker.
 */
#include "core/alloc.h"
#include "core/check.h"
#include "core/layout.h"
#include "core/mm.h"
#include "core/pkeys.h"
#include "core/vma.h"
#include "core/vma_tree.h"

#include <stdlib.h>
#include <string.h>

/* The header's numbers, as a string, so that it cannot disagree. */
#define UMM_STR2(x) #x
#define UMM_STR(x) UMM_STR2(x)

const char *umm_version(void)
{
	return UMM_STR(UMM_VERSION_MAJOR) "." UMM_STR(UMM_VERSION_MINOR) "." UMM_STR(
		UMM_VERSION_PATCH);
}

void umm_config_init(struct umm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->page_size = 4096;
	cfg->task_size = (1UL << 47) - 4096;
	cfg->layout = UMM_LAYOUT_TOPDOWN;
	cfg->mmap_rnd_bits = 28;
	cfg->mmap_min_addr = 4096;
	cfg->mmap_min_addr_hint = 65536;
	cfg->max_map_count = 65530;
	cfg->stack_guard_gap = 256UL << 12;
	cfg->rlimit_as = (struct umm_rlimit){ UMM_RLIM_INFINITY, UMM_RLIM_INFINITY };
	cfg->rlimit_data = (struct umm_rlimit){ UMM_RLIM_INFINITY, UMM_RLIM_INFINITY };
	cfg->rlimit_memlock = (struct umm_rlimit){ 8UL << 20, 8UL << 20 };
	cfg->rlimit_stack = (struct umm_rlimit){ 8UL << 20, UMM_RLIM_INFINITY };
	cfg->overcommit_memory = 0;
	cfg->overcommit_ratio = 50;
	cfg->totalram_pages = (6UL << 30) >> 12;
	cfg->admin_reserve_kbytes = 8192;
	cfg->user_reserve_kbytes = 131072;
	cfg->zero_page = true;
	cfg->hugetlb_shifts = (1UL << 21) | (1UL << 30);
}

static bool config_valid(const struct umm_config *c)
{
	if (c->page_size != PAGE_SIZE)
		return false;
	if (c->task_size < (1UL << 32) || offset_in_page(c->task_size))
		return false;
	if (c->max_map_count > INT_MAX)
		return false; /* the sysctl is an int */
	if (c->mmap_rnd_bits > 32 || c->overcommit_memory < 0 || c->overcommit_memory > 2)
		return false;
	if (c->hugetlb_shifts & ~((1UL << 21) | (1UL << 30)))
		return false;
	if (offset_in_page(c->mmap_base) || c->mmap_base > c->task_size)
		return false;
	if (offset_in_page(c->start_brk) || c->start_brk >= c->task_size)
		return false;
	return !offset_in_page(c->stack_guard_gap) && c->layout <= UMM_LAYOUT_LEGACY;
}

struct umm_mm *mm_alloc(const struct umm_config *cfg)
{
	struct umm_mm *mm;
	struct umm_config defaults;

	if (!cfg) {
		umm_config_init(&defaults);
		cfg = &defaults;
	}
	if (!config_valid(cfg))
		return NULL;
	mm = kzalloc(cfg->allocator, sizeof(*mm));
	if (!mm)
		return NULL;
	mm->cfg = *cfg;
	if (pthread_mutex_init(&mm->lock, NULL)) {
		kfree(cfg->allocator, mm, sizeof(*mm));
		return NULL;
	}
	mm->tree.alloc = cfg->allocator;
	mm->rng = mm->cfg.seed;
	pkeys_init(mm);
	mm->next_shmem_ino = 1;
	mm_pick_layout(mm);
	return mm;
}

void mm_free(struct umm_mm *mm)
{
	struct vma *v, *next;

	for (v = mm->tree.first; v; v = next) {
		next = v->vm_next;
		vma_free(mm, v);
	}
	vma_free(mm, mm->gate);
	vma_cache_drain(mm);
	vt_destroy(&mm->tree);
	pthread_mutex_destroy(&mm->lock);
	kfree(mm->cfg.allocator, mm, sizeof(*mm));
}

void umm_mm_config(struct umm_mm *mm, struct umm_config *out)
{
	if (!mm || !out)
		return;
	mm_lock(mm);
	*out = mm->cfg;
	out->mmap_base = mm->mmap_base;
	out->start_brk = mm->start_brk;
	mm_unlock(mm);
}

void mm_lock(struct umm_mm *mm)
{
	pthread_mutex_lock(&mm->lock);
}

#ifdef UMM_CHECK_INVARIANTS
#include <stdio.h>
/* The full check after every call: O(n), which test builds can afford. */
static void check_after_call(struct umm_mm *mm)
{
	char msg[256];

	if (mm_check_locked(mm, msg, sizeof(msg))) {
		fprintf(stderr, "usermm: invariant broken: %s\n", msg);
		abort();
	}
}
#endif

void mm_unlock(struct umm_mm *mm)
{
#ifdef UMM_CHECK_INVARIANTS
	check_after_call(mm);
#endif
	pthread_mutex_unlock(&mm->lock);
}
