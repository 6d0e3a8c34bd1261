/*
 * vma.c - VMA objects: allocation, linking into the index and the address
 * list, splitting, and the predicates that decide whether two ranges may
 * merge (the kernel's is_mergeable_vma, is_mergeable_anon_vma and
 * can_vma_merge_before/after in mm/vma.c), and vma_modify_flags /
 * vma_modify_name, which change part of a VMA by merging or splitting.
 *
 * Nothing here checks limits: callers decide first, then call these,
 * which cannot fail once the memory they need is in hand.
 */
#include "core/alloc.h"
#include "core/anon_name.h"
#include "core/file.h"
#include "core/mm.h"
#include "core/vma.h"
#include "core/vma_tree.h"

#include <stdlib.h>
#include <string.h>

/* Freed VMAs kept for reuse: splits and merges churn through them. Only
 * with the default allocator: a caller's allocator sees every VMA, so
 * that a test can make any of them fail. */
#define VMA_CACHE_MAX 64

struct vma *vma_alloc(struct umm_mm *mm)
{
	struct vma *v = mm->vma_cache;

	if (!v)
		return kzalloc(mm->cfg.allocator, sizeof(struct vma));
	mm->vma_cache = v->vm_next;
	mm->vma_cache_count--;
	memset(v, 0, sizeof(*v));
	return v;
}

void vma_free(struct umm_mm *mm, struct vma *v)
{
	if (!v)
		return;
	if (v->vm_file)
		umm_file_put(v->vm_file);
	if (v->anon_vma)
		vma_anon_detach(v);
	anon_vma_name_put(v->anon_name);
	v->anon_name = NULL;
	if (!mm->cfg.allocator && mm->vma_cache_count < VMA_CACHE_MAX) {
		v->vm_next = mm->vma_cache;
		mm->vma_cache = v;
		mm->vma_cache_count++;
		return;
	}
	kfree(mm->cfg.allocator, v, sizeof(*v));
}

void vma_cache_drain(struct umm_mm *mm)
{
	struct vma *v;

	while ((v = mm->vma_cache)) {
		mm->vma_cache = v->vm_next;
		kfree(mm->cfg.allocator, v, sizeof(*v));
	}
	mm->vma_cache_count = 0;
}

void vma_copy_attrs(struct vma *dst, const struct vma *src)
{
	dst->vm_start = src->vm_start;
	dst->vm_end = src->vm_end;
	dst->vm_pgoff = src->vm_pgoff;
	dst->vm_flags = src->vm_flags;
	dst->vm_file = src->vm_file ? umm_file_get(src->vm_file) : NULL;
	dst->special = src->special;
	dst->anon_vma = NULL;
	dst->anon_chain = NULL;
	if (src->anon_vma)
		vma_anon_attach(dst, src->anon_vma, src->anon_chain);
	dst->anon_name = anon_vma_name_get(src->anon_name);
}

/* v as the index sees it. */
static struct vt_entry vma_entry(struct vma *v)
{
	return (struct vt_entry){ v, v->vm_start, v->vm_end };
}

/* Puts v on the address list right after prev (first if NULL). */
static void list_link_after(struct umm_mm *mm, struct vma *v, struct vma *prev)
{
	struct vma *next = prev ? prev->vm_next : mm->first_vma;

	v->vm_prev = prev;
	v->vm_next = next;
	if (prev)
		prev->vm_next = v;
	else
		mm->first_vma = v;
	if (next)
		next->vm_prev = v;
	else
		mm->last_vma = v;
}

void vma_link(struct umm_mm *mm, struct vma *v)
{
	list_link_after(mm, v, vt_find_prev(&mm->tree, v->vm_start));
	vt_insert(&mm->tree, vma_entry(v));
}

static void list_unlink(struct umm_mm *mm, struct vma *v)
{
	if (v->vm_prev)
		v->vm_prev->vm_next = v->vm_next;
	else
		mm->first_vma = v->vm_next;
	if (v->vm_next)
		v->vm_next->vm_prev = v->vm_prev;
	else
		mm->last_vma = v->vm_prev;
	v->vm_prev = v->vm_next = NULL;
}

void vma_unlink(struct umm_mm *mm, struct vma *v)
{
	vt_erase(&mm->tree, v, v->vm_start);
	list_unlink(mm, v);
}

void vma_mark_kept_apart(struct umm_mm *mm, unsigned long addr)
{
	struct vma *v = vt_find(&mm->tree, addr);

	if (v && v->vm_start == addr && v->vm_prev && v->vm_prev->vm_end == addr)
		v->kept_apart = true;
}

void vma_set_range(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end,
		   unsigned long pgoff)
{
	if (start != v->vm_start)
		v->kept_apart = false;
	v->vm_start = start;
	v->vm_end = end;
	v->vm_pgoff = pgoff;
	vt_update(&mm->tree, vma_entry(v));
}

void vma_split_with(struct umm_mm *mm, struct vma *v, unsigned long addr, int new_below,
		    struct vma *spare)
{
	unsigned long upper_pgoff = v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);

	vma_copy_attrs(spare, v);
	if (new_below) {
		spare->kept_apart = v->kept_apart;
		spare->vm_end = addr;
		v->kept_apart = false;
		v->vm_start = addr;
		v->vm_pgoff = upper_pgoff;
		list_link_after(mm, spare, v->vm_prev);
	} else {
		spare->vm_start = addr;
		spare->vm_pgoff = upper_pgoff;
		v->vm_end = addr;
		list_link_after(mm, spare, v);
	}
	if (new_below)
		vt_split(&mm->tree, v, vma_entry(spare), vma_entry(v));
	else
		vt_split(&mm->tree, v, vma_entry(v), vma_entry(spare));
}

/* is_mergeable_vma (its anon_vma_name_eq included) and
 * is_mergeable_anon_vma: may v and vmg's range be one VMA? */
static bool vmg_attrs_match(const struct vma_merge_struct *vmg, const struct vma *v)
{
	if ((v->vm_flags ^ vmg->flags) & ~VM_IGNORE_MERGE)
		return false;
	if (v->vm_file != vmg->file || v->special != UMM_SPECIAL_NONE)
		return false;
	if (!anon_vma_name_eq(v->anon_name, vmg->anon_name))
		return false;
	/*
	 * is_mergeable_anon_vma (6.18): one side without an anon_vma joins
	 * the other (the survivor keeps it), unless the side that has one is
	 * a fork child; two different ones never merge.
	 */
	if (!v->anon_vma && vmg->anon_vma)
		return !anon_chain_forked(vmg->anon_chain);
	if (v->anon_vma && !vmg->anon_vma)
		return !anon_chain_forked(v->anon_chain);
	return v->anon_vma == vmg->anon_vma;
}

bool can_vma_merge_after(const struct vma_merge_struct *vmg)
{
	const struct vma *prev = vmg->prev;

	if (!prev || prev->vm_end != vmg->start || (vmg->flags & VM_SPECIAL))
		return false;
	return vmg_attrs_match(vmg, prev) && prev->vm_pgoff + vma_pages(prev) == vmg->pgoff;
}

bool can_vma_merge_before(const struct vma_merge_struct *vmg)
{
	const struct vma *next = vmg->next;

	if (!next || next->vm_start != vmg->end || (vmg->flags & VM_SPECIAL))
		return false;
	return vmg_attrs_match(vmg, next) &&
	       next->vm_pgoff == vmg->pgoff + ((vmg->end - vmg->start) >> PAGE_SHIFT);
}

bool vma_would_join_prev(const struct vma *prev, const struct vma *v,
			 const struct anon_vma *anon_vma)
{
	struct vma_merge_struct vmg = VMG_VMA_STATE(NULL, v, v->vm_start, v->vm_end);

	/* Only read: the merge struct's pointers are not const. */
	vmg.prev = (struct vma *)prev;
	vmg.anon_vma = (struct anon_vma *)anon_vma;
	return can_vma_merge_after(&vmg);
}

/* Which neighbours join (those allowed to try): both only where their
 * anon_vmas do not differ. */
static void vmg_decide(struct vma_merge_struct *vmg, bool try_prev, bool try_next)
{
	vmg->merge_prev = try_prev && can_vma_merge_after(vmg);
	vmg->merge_next = try_next && can_vma_merge_before(vmg);
	if (vmg->merge_prev && vmg->merge_next && vmg->prev->anon_vma && vmg->next->anon_vma &&
	    vmg->prev->anon_vma != vmg->next->anon_vma)
		vmg->merge_next = false;
}

/* The survivor keeps the sticky flags of what it absorbs, and with
 * dup_anon_vma its anon_vma and chain if it had none. */
static void absorb(struct vma *dst, vm_flags_t flags, struct anon_vma *anon_vma,
		   struct anon_chain *chain)
{
	dst->vm_flags |= flags & VM_STICKY;
	if (!dst->anon_vma && anon_vma)
		vma_anon_attach(dst, anon_vma, chain);
}

static void absorb_vma(struct vma *dst, vm_flags_t flags, const struct vma *src)
{
	absorb(dst, flags, src->anon_vma, src->anon_chain);
}

static void remove_merged(struct umm_mm *mm, struct vma *v)
{
	vma_unlink(mm, v);
	vma_free(mm, v);
}

/* v grows to end over the n (1 or 2) VMAs after it, which go: the index
 * learns both at once. */
static void grow_over_next(struct umm_mm *mm, struct vma *v, unsigned long end, unsigned int n)
{
	struct vma *gone[2] = { v->vm_next, n > 1 ? v->vm_next->vm_next : NULL };
	struct vt_entry entries[2];

	for (unsigned int k = 0; k < n; k++)
		entries[k] = vma_entry(gone[k]);
	v->vm_end = end;
	vt_absorb(&mm->tree, vma_entry(v), entries, n);
	for (unsigned int k = 0; k < n; k++) {
		list_unlink(mm, gone[k]);
		vma_free(mm, gone[k]);
	}
}

struct vma *vma_merge_new_range(struct vma_merge_struct *vmg)
{
	struct vma *prev = vmg->prev, *next = vmg->next;

	vmg_decide(vmg, true, true);
	if (vmg->merge_prev) {
		unsigned long end = vmg->end;

		if (vmg->merge_next) {
			absorb_vma(prev, next->vm_flags, next);
			end = next->vm_end;
		}
		absorb(prev, vmg->flags, vmg->anon_vma, vmg->anon_chain);
		if (vmg->merge_next)
			grow_over_next(vmg->mm, prev, end, 1);
		else
			vma_set_range(vmg->mm, prev, prev->vm_start, end, prev->vm_pgoff);
		return prev;
	}
	if (!vmg->merge_next)
		return NULL;
	absorb(next, vmg->flags, vmg->anon_vma, vmg->anon_chain);
	vma_set_range(vmg->mm, next, vmg->start, next->vm_end, vmg->pgoff);
	return next;
}

/* vma_merge_existing_range with both neighbours joining: all three are one. */
static struct vma *merge_both(struct vma_merge_struct *vmg)
{
	struct vma *prev = vmg->prev, *middle = vmg->middle, *next = vmg->next;

	absorb_vma(prev, middle->vm_flags | next->vm_flags, next->anon_vma ? next : middle);
	grow_over_next(vmg->mm, prev, next->vm_end, 2);
	return prev;
}

/* prev takes [.., end) of middle, which keeps the rest if any. */
static struct vma *merge_into_prev(struct vma_merge_struct *vmg)
{
	struct vma *prev = vmg->prev, *middle = vmg->middle;

	absorb_vma(prev, middle->vm_flags, middle);
	if (vmg->end == middle->vm_end) {
		grow_over_next(vmg->mm, prev, vmg->end, 1);
		return prev;
	}
	vma_set_range(vmg->mm, prev, prev->vm_start, vmg->end, prev->vm_pgoff);
	vma_set_range(vmg->mm, middle, vmg->end, middle->vm_end,
		      vmg->pgoff + ((vmg->end - vmg->start) >> PAGE_SHIFT));
	return prev;
}

/* next takes [start, ..) of middle, which keeps the rest if any. */
static struct vma *merge_into_next(struct vma_merge_struct *vmg)
{
	struct vma *middle = vmg->middle, *next = vmg->next;

	absorb_vma(next, middle->vm_flags, middle);
	if (vmg->start == middle->vm_start) /* out of the index before next takes its start */
		remove_merged(vmg->mm, middle);
	else
		vma_set_range(vmg->mm, middle, middle->vm_start, vmg->start, middle->vm_pgoff);
	vma_set_range(vmg->mm, next, vmg->start, next->vm_end, vmg->pgoff);
	return next;
}

/*
 * vma_merge_existing_range: vmg's range, part of vmg->middle, gets vmg's
 * flags and anon name; if the range touches an edge of middle, a
 * neighbour with the same attributes may absorb it. Returns the VMA now
 * holding the range, or NULL. vmg->anon_name is only compared: it may be
 * middle's own, freed here.
 */
static struct vma *vma_merge_existing_range(struct vma_merge_struct *vmg)
{
	const struct vma *middle = vmg->middle;
	bool left_side = vmg->start == middle->vm_start, right_side = vmg->end == middle->vm_end;

	if ((!left_side && !right_side) || middle->special != UMM_SPECIAL_NONE)
		return NULL;
	vmg_decide(vmg, left_side, right_side);
	if (vmg->merge_prev && vmg->merge_next)
		return merge_both(vmg);
	if (vmg->merge_prev)
		return merge_into_prev(vmg);
	if (vmg->merge_next)
		return merge_into_next(vmg);
	return NULL;
}

/* split_vma: __split_vma behind the map_count limit. */
static int split_checked(struct umm_mm *mm, struct vma *v, unsigned long addr, int new_below)
{
	struct vma *spare;

	if (mm->tree.count >= mm->cfg.max_map_count)
		return -ENOMEM;
	if (vma_may_split(v, addr))
		return -EINVAL;
	spare = vma_alloc(mm);
	if (!spare)
		return -ENOMEM;
	vma_split_with(mm, v, addr, new_below, spare);
	return 0;
}

/* vma_modify: merge, else split off what lies outside [start, end). The
 * caller sets the new attributes on the VMA returned. */
static struct vma *vma_modify(struct umm_mm *mm, struct vma *vma, unsigned long start,
			      unsigned long end, vm_flags_t newflags,
			      struct anon_vma_name *name, int *err)
{
	struct vma_merge_struct vmg = VMG_VMA_STATE(mm, vma, start, end);
	struct vma *merged;

	vmg.middle = vma;
	vmg.flags = newflags;
	vmg.anon_name = name;
	merged = vma_merge_existing_range(&vmg);
	*err = 0;
	if (merged)
		return merged;
	if (vma->vm_start < start) {
		*err = split_checked(mm, vma, start, 1);
		if (*err)
			return NULL;
	}
	if (vma->vm_end > end) {
		*err = split_checked(mm, vma, end, 0);
		if (*err) {
			vma_mark_kept_apart(mm, start);
			return NULL;
		}
	}
	return vma;
}

struct vma *vma_modify_flags(struct umm_mm *mm, struct vma *vma, unsigned long start,
			     unsigned long end, vm_flags_t newflags, int *err)
{
	vma = vma_modify(mm, vma, start, end, newflags, vma->anon_name, err);
	if (vma) /* a merge keeps the sticky flags of what it joined */
		vma->vm_flags = newflags | (vma->vm_flags & VM_STICKY);
	return vma;
}

struct vma *vma_modify_name(struct umm_mm *mm, struct vma *vma, unsigned long start,
			    unsigned long end, struct anon_vma_name *name, int *err)
{
	vma = vma_modify(mm, vma, start, end, vma->vm_flags, name, err);
	/* replace_anon_vma_name: a merged neighbour already has an equal one */
	if (vma && !anon_vma_name_eq(vma->anon_name, name)) {
		anon_vma_name_put(vma->anon_name);
		vma->anon_name = anon_vma_name_get(name);
	}
	return vma;
}
