/*
 * mlock.c - mlock(2), mlock2(2), munlock(2), mlockall(2), munlockall(2):
 * VM_LOCKED / VM_LOCKONFAULT on ranges and on the whole space, the
 * locked_vm count, RLIMIT_MEMLOCK, and the populate that follows a lock.
 *
 * Populating matters before there are pages: a write fault on private
 * writable memory gives the VMA an anon_vma (which decides later merges),
 * and a range that cannot be faulted in (PROT_NONE, or a file's pages
 * past its end) makes mlock fail with ENOMEM after the flags are set,
 * as the kernel does.
 */
#include "core/accounting.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "mem/memory.h"

#define MLOCK_ONFAULT UMM_MLOCK_ONFAULT
#define MCL_CURRENT UMM_MCL_CURRENT
#define MCL_FUTURE UMM_MCL_FUTURE
#define MCL_ONFAULT UMM_MCL_ONFAULT

/* mlock_fixup: [start, end) of vma gets newflags, unless it cannot be
 * locked at all (special, hugetlb, droppable), which is silently fine. */
static int mlock_fixup(struct umm_mm *mm, struct vma *vma, unsigned long start,
		       unsigned long end, vm_flags_t newflags)
{
	vm_flags_t oldflags = vma->vm_flags;
	long nr_pages = (long)((end - start) >> PAGE_SHIFT);
	int err;

	if (newflags == oldflags || (oldflags & (VM_SPECIAL | VM_HUGETLB | VM_DROPPABLE)) ||
	    vma->special != UMM_SPECIAL_NONE)
		return 0;
	if (!vma_modify_flags(mm, vma, start, end, newflags, &err))
		return err;
	if (!(newflags & VM_LOCKED))
		nr_pages = -nr_pages;
	else if (oldflags & VM_LOCKED)
		nr_pages = 0;
	mm->locked_vm += (unsigned long)nr_pages;
	return 0;
}

/* apply_vma_lock_flags: the range must be mapped without holes. */
static int apply_lock_flags(struct umm_mm *mm, unsigned long start, unsigned long len,
			    vm_flags_t flags)
{
	unsigned long end = start + len, tmp, nstart = start;
	struct vma *vma;
	int err;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = vma_lookup(mm, start);
	if (!vma)
		return -ENOMEM;
	tmp = vma->vm_start;
	while (vma && vma->vm_start < end && nstart < end) {
		if (vma->vm_start > tmp)
			return -ENOMEM;
		tmp = vma->vm_end < end ? vma->vm_end : end;
		err = mlock_fixup(mm, vma, nstart, tmp, (vma->vm_flags & ~VM_LOCKED_MASK) | flags);
		if (err)
			return err;
		nstart = tmp;
		vma = find_vma(mm, tmp); /* a merge may have joined the next */
	}
	return tmp < end ? -ENOMEM : 0;
}

/* count_mm_mlocked_page_nr: pages of [start, start+len) already locked. */
static unsigned long locked_pages_in(struct umm_mm *mm, unsigned long start, unsigned long len)
{
	unsigned long end = start + len, count = 0;
	struct vma *v;

	for (v = find_vma(mm, start); v && v->vm_start < end; v = v->vm_next) {
		if (!(v->vm_flags & VM_LOCKED))
			continue;
		if (start > v->vm_start)
			count -= start - v->vm_start;
		if (end < v->vm_end) {
			count += end - v->vm_start;
			break;
		}
		count += v->vm_end - v->vm_start;
	}
	return count >> PAGE_SHIFT;
}

/* __mlock_posix_error_return. */
static int posix_error(int err)
{
	return err == -EFAULT ? -ENOMEM : err == -ENOMEM ? -EAGAIN : err;
}

static int do_mlock(struct umm_mm *mm, unsigned long start, unsigned long len, vm_flags_t flags)
{
	unsigned long limit = mm->cfg.rlimit_memlock.cur >> PAGE_SHIFT, locked;
	int err;

	if (!can_do_mlock(mm))
		return -EPERM;
	len = PAGE_ALIGN(len + offset_in_page(start));
	start &= PAGE_MASK;
	locked = (len >> PAGE_SHIFT) + mm->locked_vm;
	if (locked > limit && !mm->cfg.cap_ipc_lock)
		locked -= locked_pages_in(mm, start, len);
	if (locked > limit && !mm->cfg.cap_ipc_lock)
		return -ENOMEM;
	err = apply_lock_flags(mm, start, len, flags);
	if (!err && len)
		err = posix_error(mm_populate(mm, start, start + len, false));
	return err;
}

static int locked_call(struct umm_mm *mm, unsigned long start, unsigned long len,
		       vm_flags_t flags, bool lock)
{
	int err;

	if (!mm)
		return -EINVAL;
	mm_lock(mm);
	err = vt_reserve(&mm->tree);
	if (!err && lock)
		err = do_mlock(mm, start, len, flags);
	else if (!err)
		err = apply_lock_flags(mm, start & PAGE_MASK,
				       PAGE_ALIGN(len + offset_in_page(start)), 0);
	mm_unlock(mm);
	return err;
}

int umm_mlock(struct umm_mm *mm, unsigned long start, unsigned long len)
{
	return locked_call(mm, start, len, VM_LOCKED, true);
}

int umm_mlock2(struct umm_mm *mm, unsigned long start, unsigned long len, unsigned int flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return locked_call(mm, start, len,
			   VM_LOCKED | ((flags & MLOCK_ONFAULT) ? VM_LOCKONFAULT : 0), true);
}

int umm_munlock(struct umm_mm *mm, unsigned long start, unsigned long len)
{
	return locked_call(mm, start, len, 0, false);
}

/* apply_mlockall_flags: def_flags for the future, every VMA for now;
 * errors on single VMAs are ignored, as the kernel ignores them. */
static void apply_mlockall(struct umm_mm *mm, int flags)
{
	vm_flags_t to_add = 0;
	struct vma *v, *next;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED | ((flags & MCL_ONFAULT) ? VM_LOCKONFAULT : 0);
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT)
		to_add = VM_LOCKED | ((flags & MCL_ONFAULT) ? VM_LOCKONFAULT : 0);
	for (v = mm->first_vma; v; v = next) {
		unsigned long end = v->vm_end;

		mlock_fixup(mm, v, v->vm_start, end, (v->vm_flags & ~VM_LOCKED_MASK) | to_add);
		next = find_vma(mm, end); /* v may have merged into its neighbour */
	}
}

int umm_mlockall(struct umm_mm *mm, int flags)
{
	int err = 0;

	if (!mm || !flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock(mm))
		return -EPERM;
	mm_lock(mm);
	err = vt_reserve(&mm->tree);
	if (!err && (flags & MCL_CURRENT) && !mm->cfg.cap_ipc_lock &&
	    mm->total_vm > (mm->cfg.rlimit_memlock.cur >> PAGE_SHIFT))
		err = -ENOMEM;
	if (!err)
		apply_mlockall(mm, flags);
	if (!err && (flags & MCL_CURRENT))
		mm_populate(mm, 0, mm->cfg.task_size, true);
	mm_unlock(mm);
	return err;
}

int umm_munlockall(struct umm_mm *mm)
{
	int err;

	if (!mm)
		return -EINVAL;
	mm_lock(mm);
	err = vt_reserve(&mm->tree);
	if (!err)
		apply_mlockall(mm, 0);
	mm_unlock(mm);
	return err;
}
