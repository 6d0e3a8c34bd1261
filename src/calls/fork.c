/*
 * fork.c - owns the life of a space: umm_mm_create (the kernel's
 * mm_alloc and mm_init) and umm_mm_destroy (mmput's exit_mmap), each the
 * core's part (core/mm.c) with the memory layer's around it.
 */
#include "core/mm.h"
#include "mem/memory.h"

struct umm_mm *umm_mm_create(const struct umm_config *cfg)
{
	struct umm_mm *mm = mm_alloc(cfg);

	if (mm)
		mem_init(mm);
	return mm;
}

void umm_mm_destroy(struct umm_mm *mm)
{
	if (!mm)
		return;
	mem_exit(mm);
	mm_free(mm);
}
