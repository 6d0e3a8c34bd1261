/*
 * mseal.c - mseal(2): sealing a range so that it can no longer be
 * unmapped, moved, re-protected or replaced (the other call families
 * check VM_SEALED themselves). The whole range must be mapped before
 * anything is sealed; then each VMA gets VM_SEALED through the usual
 * split/merge path, and sealed neighbours merge like any other.
 */
#include "calls/calls.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "core/vma_tree.h"

/* range_contains_unmapped: a hole anywhere in [start, end)? */
static bool range_has_hole(const struct umm_mm *mm, unsigned long start, unsigned long end)
{
	unsigned long covered = start;
	struct vma *v;

	for (v = find_vma(mm, start); v && v->vm_start < end; v = v->vm_next) {
		if (v->vm_start > covered)
			return true;
		covered = v->vm_end;
	}
	return covered < end;
}

static int mseal_apply(struct umm_mm *mm, unsigned long start, unsigned long end)
{
	unsigned long cur = start, cur_end;
	struct vma *v = find_vma(mm, start);
	int err;

	while (v && v->vm_start < end) {
		cur_end = v->vm_end < end ? v->vm_end : end;
		if (!(v->vm_flags & VM_SEALED)) {
			v = vma_modify_flags(mm, v, cur, cur_end, v->vm_flags | VM_SEALED, &err);
			if (!v)
				return err;
		}
		cur = cur_end;
		/* A merge may have joined v to its successor: look up by address. */
		v = cur < end ? find_vma(mm, cur) : NULL;
	}
	return 0;
}

int umm_mseal(struct umm_mm *mm, unsigned long start, unsigned long len, unsigned long flags)
{
	unsigned long end;
	int err;

	if (!mm || flags || input_range_end(start, len, &end))
		return -EINVAL;
	if (end == start)
		return 0;
	mm_lock(mm);
	err = vt_reserve(&mm->tree);
	if (!err)
		err = range_has_hole(mm, start, end) ? -ENOMEM : mseal_apply(mm, start, end);
	mm_unlock(mm);
	return err;
}
