/*
 * mm.c - the address space's configuration: the defaults, what a valid
 * one is. (A space is made and torn down by calls/fork.c, locked
 * through core/mmap_lock.c; proc/inspect.c reports its configuration.)
 */
#include "core/mm.h"

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

bool mm_config_valid(const struct umm_config *c)
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
