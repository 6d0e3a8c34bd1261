/*
 * brk.c - brk(2): moving the program break. Shrinking unmaps the tail of
 * the heap; growing extends the VMA that ends at the old break
 * (do_brk_flags) or makes a new one. brk never fails with an errno: on
 * any refusal the old break is returned unchanged.
 */
#include "calls/munmap.h"
#include "core/accounting.h"
#include "core/layout.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "mem/memory.h"

static bool brk_shrink(struct umm_mm *mm, unsigned long newbrk, unsigned long oldbrk)
{
	struct vma_munmap_struct vms;
	struct vma *v = find_vma_intersection(mm, newbrk, oldbrk);

	if (!v || v->vm_start >= oldbrk)
		return false;
	if (vms_gather(mm, &vms, newbrk, oldbrk))
		return false;
	vms_complete(mm, &vms);
	return true;
}

/* check_brk_limits: the range must be a valid fixed mapping. */
static bool brk_limits_ok(struct umm_mm *mm, unsigned long addr, unsigned long len)
{
	if (get_unmapped_area(mm, NULL, addr, len, 0, UMM_MAP_FIXED, 0) < 0)
		return false;
	return mlock_future_ok(mm, mm->def_flags, len);
}

/* do_brk_flags: [addr, addr+len) becomes heap, extending the VMA before. */
static bool do_brk_flags(struct umm_mm *mm, struct vma *prev, unsigned long addr,
			 unsigned long len)
{
	vm_flags_t flags = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags;
	unsigned long pages = len >> PAGE_SHIFT;
	struct vma_merge_struct vmg;
	struct vma *v;

	if (!may_expand_vm(mm, flags, pages) || mm->tree.count > mm->cfg.max_map_count)
		return false;
	if (vm_enough_memory(mm, pages))
		return false;
	vmg = VMG_STATE(mm, prev, NULL, addr, addr + len, flags, NULL, addr >> PAGE_SHIFT);
	if (can_vma_merge_after(&vmg)) {
		vma_set_range(mm, prev, prev->vm_start, addr + len, prev->vm_pgoff);
	} else {
		v = vma_alloc(mm);
		if (!v) {
			vm_unacct_memory(mm, pages);
			return false;
		}
		v->vm_start = addr;
		v->vm_end = addr + len;
		v->vm_pgoff = addr >> PAGE_SHIFT;
		v->vm_flags = flags;
		vma_link(mm, v);
	}
	vm_stat_account(mm, flags, (long)pages);
	if (flags & VM_LOCKED) {
		mm->locked_vm += pages;
		/* mlockall(MCL_FUTURE): the new heap is populated, written. */
		mm_populate(mm, addr, addr + len, true);
	}
	return true;
}

static bool brk_grow(struct umm_mm *mm, unsigned long newbrk, unsigned long oldbrk)
{
	struct vma *next, *prev;

	if (!brk_limits_ok(mm, oldbrk, newbrk - oldbrk))
		return false;
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(mm, next))
		return false;
	prev = find_vma_prev_of(mm, oldbrk);
	if (prev && prev->vm_end <= mm->start_brk)
		prev = NULL;
	return do_brk_flags(mm, prev, oldbrk, newbrk - oldbrk);
}

static bool data_rlimit_ok(const struct umm_mm *mm, unsigned long brk)
{
	unsigned long rlim = mm->cfg.rlimit_data.cur;

	return rlim == UMM_RLIM_INFINITY || brk - mm->start_brk <= rlim;
}

static unsigned long do_brk(struct umm_mm *mm, unsigned long brk)
{
	unsigned long newbrk, oldbrk;

	if (brk < mm->start_brk || !data_rlimit_ok(mm, brk))
		return mm->brk;
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (newbrk == oldbrk) {
		mm->brk = brk;
		return brk;
	}
	if (brk <= mm->brk ? !brk_shrink(mm, newbrk, oldbrk) : !brk_grow(mm, newbrk, oldbrk))
		return mm->brk;
	mm->brk = brk;
	return brk;
}

unsigned long umm_brk(struct umm_mm *mm, unsigned long brk)
{
	unsigned long ret;

	if (!mm)
		return 0;
	mm_lock(mm);
	ret = vt_reserve(&mm->tree) ? mm->brk : do_brk(mm, brk);
	mm_unlock(mm);
	return ret;
}

int umm_mm_set_brk(struct umm_mm *mm, unsigned long start_brk, unsigned long brk)
{
	int err = 0;

	if (!mm || offset_in_page(start_brk) || brk < start_brk || brk > mm->cfg.task_size)
		return -EINVAL;
	mm_lock(mm);
	/* The heap, if any, lies in [start_brk, brk): it would be orphaned. */
	if (mm->brk != mm->start_brk)
		err = -EBUSY;
	else if (brk != start_brk && find_vma_intersection(mm, start_brk, PAGE_ALIGN(brk)))
		err = -EEXIST;
	if (!err) {
		mm->start_brk = start_brk;
		mm->brk = brk;
	}
	mm_unlock(mm);
	return err;
}
