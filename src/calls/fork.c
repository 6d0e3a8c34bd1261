/*
 * fork.c - owns the life of a space: umm_mm_create (the kernel's
 * mm_alloc and mm_init) and umm_mm_destroy (mmput's exit_mmap): the
 * core's objects, with the memory layer's state beside them.
 */
#include "core/accounting.h"
#include "core/alloc.h"
#include "core/layout.h"
#include "core/mmap_lock.h"
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

/* ---- fork: dup_mm and dup_mmap ---- */

/* What the child takes over from the parent before its VMAs: the
 * layout, the break, the keys, and what umm_mm_inherit passes on. */
static void dup_mm_state(struct umm_mm *child, const struct umm_mm *parent)
{
	child->mmap_base = parent->mmap_base;
	child->mmap_legacy_base = parent->mmap_legacy_base;
	child->start_brk = parent->start_brk;
	child->brk = parent->brk;
	child->start_stack = parent->start_stack;
	child->start_code = parent->start_code;
	child->end_code = parent->end_code;
	child->pkey_map = parent->pkey_map;
	child->execute_only_pkey = parent->execute_only_pkey;
	child->pkru = parent->pkru;
	child->rng = parent->rng;
	child->next_shmem_ino = parent->next_shmem_ino;
	child->personality = parent->personality;
	child->thp_disable = parent->thp_disable;
	/* mmf_init_flags: PR_MDWE_NO_INHERIT ends MDWE with this process. */
	child->mdwe = (parent->mdwe & UMM_MDWE_NO_INHERIT) ? 0 : parent->mdwe;
	/* mm_init: of def_flags only VM_NOHUGEPAGE carries over, so
	 * mlockall(MCL_FUTURE) does not. */
	child->def_flags = parent->def_flags & VM_NOHUGEPAGE;
}

/* The child's copy of parent VMA pv (anon_vma_fork, and the flags fork
 * clears), or NULL without memory. */
static struct vma *dup_vma(struct umm_mm *child, const struct vma *pv)
{
	struct vma *v = vma_alloc(child);

	if (!v)
		return NULL;
	vma_copy_attrs(v, pv);
	vma_anon_detach(v);
	/* dup_mmap never merges: two neighbours that differed only in what
	 * fork clears (VM_LOCKED) stay two. */
	v->kept_apart = child->last_vma && child->last_vma->vm_end == v->vm_start;
	v->vm_flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
	/* anon_vma_fork: a new anon_vma of its own (or an ancestor nothing
	 * uses), chained to the parent's; WIPEONFORK memory starts over
	 * without one. */
	if (!(pv->vm_flags & VM_WIPEONFORK) && anon_vma_fork(child, v, pv)) {
		vma_free(child, v);
		return NULL;
	}
	return v;
}

/* dup_mmap's loop over the parent's VMAs. */
static int dup_mmap(struct umm_mm *child, struct umm_mm *parent)
{
	for (const struct vma *pv = parent->first_vma; pv; pv = pv->vm_next) {
		struct vma *v;
		int err;

		if (pv->vm_flags & VM_DONTCOPY)
			continue;
		v = dup_vma(child, pv);
		if (!v)
			return -ENOMEM;
		if ((pv->vm_flags & VM_ACCOUNT) && vm_enough_memory(child, vma_pages(pv))) {
			vma_free(child, v);
			return -ENOMEM;
		}
		if (vt_reserve(&child->tree)) {
			vm_unacct_memory(child, vma_charge(v)); /* with the VMA it was for */
			vma_free(child, v);
			return -ENOMEM;
		}
		vma_link(child, v);
		/* The parent's counters less its DONTCOPY VMAs, as dup_mmap
		 * has them, summed as the VMAs come (a failure part-way
		 * leaves them true to what was copied). */
		vm_stat_account(child, v->vm_flags, (long)vma_pages(v));
		err = copy_page_range(child, v, parent, pv);
		if (err)
			return err;
	}
	if (parent->gate) {
		child->gate = vma_alloc(child);
		if (!child->gate)
			return -ENOMEM;
		vma_copy_attrs(child->gate, parent->gate);
	}
	return 0;
}

long umm_mm_fork(struct umm_mm *parent, struct umm_mm **childp)
{
	struct umm_config cfg;
	struct umm_mm *child;
	int err = -ENOMEM;

	if (!parent || !childp)
		return -EINVAL;
	*childp = NULL;
	mm_lock(parent);
	cfg = parent->cfg;
	/* Parent and child share their frames: one physical memory. */
	cfg.phys = mm_phys(parent);
	child = cfg.phys ? mm_alloc(&cfg) : NULL;
	if (child) {
		mem_init(child);
		dup_mm_state(child, parent);
		mm_lock(child);
		err = dup_mmap(child, parent);
		/* dup_mm: the child's peaks start at what it has. */
		child->hiwater_rss = get_mm_rss(child);
		child->hiwater_vm = child->total_vm;
		mm_unlock(child);
	}
	mm_unlock(parent);
	if (err) {
		umm_mm_destroy(child);
		return err;
	}
	*childp = child;
	return 0;
}
