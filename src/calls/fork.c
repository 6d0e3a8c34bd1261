/*
 * fork.c - owns the life of a space: umm_mm_create (the kernel's
 * mm_alloc and mm_init) and umm_mm_destroy (mmput's exit_mmap): the
 * core's objects, with the memory layer's state beside them.
 */
#include "core/alloc.h"
#include "core/layout.h"
#include "core/mm.h"
#include "core/pkeys.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "mem/memory.h"

/* mm_alloc and mm_init: a new, empty space, or NULL for an invalid
 * configuration or no memory. */
static struct umm_mm *mm_alloc(const struct umm_config *cfg)
{
	struct umm_mm *mm;
	struct umm_config defaults;

	if (!cfg) {
		umm_config_init(&defaults);
		cfg = &defaults;
	}
	if (!mm_config_valid(cfg))
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

/* exit_mmap's core part: the VMAs, the index and the space itself. */
static void mm_free(struct umm_mm *mm)
{
	struct vma *v, *next;

	for (v = mm->first_vma; v; v = next) {
		next = v->vm_next;
		vma_free(mm, v);
	}
	vma_free(mm, mm->gate);
	vma_cache_drain(mm);
	vt_destroy(&mm->tree);
	pthread_mutex_destroy(&mm->lock);
	kfree(mm->cfg.allocator, mm, sizeof(*mm));
}

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
