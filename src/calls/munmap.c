/*
 * munmap.c - munmap(2), and the two-phase removal of a range that mmap
 * (MAP_FIXED) and brk share with it: vms_gather() checks and splits the
 * edge VMAs (the kernel's vms_gather_munmap_vmas), vms_complete() takes
 * everything in the range out and gives back its pages and charges
 * (vms_complete_munmap_vmas). Between the two, a caller may still fail,
 * and the range stays mapped, split at its edges, as in the kernel.
 */
#include "calls/munmap.h"
#include "core/accounting.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "mem/memory.h"

/* Splits v at addr; this split is exempt from the map_count limit. */
static int split_unchecked(struct umm_mm *mm, struct vma *v, unsigned long addr,
			   int new_below)
{
	struct vma *spare = vma_alloc(mm);

	if (!spare)
		return -ENOMEM;
	vma_split_with(mm, v, addr, new_below, spare);
	return 0;
}

/* The first VMA straddles start: split it unless the limit forbids. */
static int gather_first(struct umm_mm *mm, struct vma_munmap_struct *vms, struct vma *first)
{
	if (first->vm_start >= vms->start)
		return 0;
	if (vms->end < first->vm_end && mm->tree.count >= mm->cfg.max_map_count)
		return -ENOMEM;
	if (first->vm_flags & VM_SEALED)
		return -EPERM;
	if (vma_may_split(first, vms->start))
		return -EINVAL;
	return split_unchecked(mm, first, vms->start, 1);
}

static int gather_range(struct umm_mm *mm, struct vma_munmap_struct *vms, unsigned long start,
			unsigned long end)
{
	struct vma *v = find_vma_intersection(mm, start, end);
	int err;

	*vms = (struct vma_munmap_struct){ .start = start, .end = end };
	if (!v) {
		vms->prev = find_vma_prev_of(mm, start);
		vms->next = vms->prev ? vms->prev->vm_next : mm->first_vma;
		return 0;
	}
	err = gather_first(mm, vms, v);
	if (err)
		return err;
	vms->first = v;
	for (; v && v->vm_start < end; v = v->vm_next) {
		if (v->vm_flags & VM_SEALED)
			return -EPERM;
		if (v->vm_end > end) {
			err = vma_may_split(v, end);
			if (!err)
				err = split_unchecked(mm, v, end, 0);
			if (err)
				return err;
		}
		vms->last = v;
		vms->vma_count++;
		vms->nr_pages += vma_pages(v);
		vms->nr_accounted += vma_charge(v);
	}
	vms->prev = vms->first->vm_prev;
	vms->next = vms->last->vm_next;
	return 0;
}

int vms_gather(struct umm_mm *mm, struct vma_munmap_struct *vms, unsigned long start,
	       unsigned long end)
{
	int err = gather_range(mm, vms, start, end);

	if (err) /* a split made before the failure stays */
		vma_mark_kept_apart(mm, start);
	return err;
}

void vms_abort(struct umm_mm *mm, struct vma_munmap_struct *vms)
{
	vma_mark_kept_apart(mm, vms->start);
	vma_mark_kept_apart(mm, vms->end);
}

void vms_complete(struct umm_mm *mm, struct vma_munmap_struct *vms)
{
	struct vma *v = vms->first, *next;

	update_hiwater_vm(mm);
	if (v)
		unmap_region(mm, v, vms->next, vms->prev ? vms->prev->vm_end : 0,
			     vms->next ? vms->next->vm_start : 0);
	while (v && v != vms->next) {
		next = v->vm_next;
		vm_stat_account(mm, v->vm_flags, -(long)vma_pages(v));
		if (v->vm_flags & VM_LOCKED)
			mm->locked_vm -= vma_pages(v);
		vm_unacct_memory(mm, vma_charge(v));
		vma_unlink(mm, v);
		vma_free(mm, v);
		v = next;
	}
	vms->first = vms->last = NULL;
}

int do_munmap(struct umm_mm *mm, unsigned long start, unsigned long len)
{
	struct vma_munmap_struct vms;
	unsigned long end;
	int err;

	if (offset_in_page(start) || start > mm->cfg.task_size || len > mm->cfg.task_size - start)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end == start)
		return -EINVAL;
	err = vms_gather(mm, &vms, start, end);
	if (err)
		return err;
	vms_complete(mm, &vms);
	return 0;
}

int umm_munmap(struct umm_mm *mm, unsigned long addr, unsigned long len)
{
	int ret;

	if (!mm)
		return -EINVAL;
	mm_lock(mm);
	ret = vt_reserve(&mm->tree);
	if (!ret)
		ret = do_munmap(mm, addr, len);
	mm_unlock(mm);
	return ret;
}
