/*
 * mremap.c - mremap(2): shrinking and growing in place, moving
 * (MREMAP_MAYMOVE, MREMAP_FIXED), MREMAP_DONTUNMAP, the old_len == 0
 * duplicate of a shared mapping, and the 6.17+ move of several VMAs at
 * once (MREMAP_FIXED with equal sizes).
 *
 * One call's state lives in struct vma_remap_struct, as in the kernel.
 * The argument and VMA checks run before anything changes; after that
 * the steps follow the kernel's order exactly, because a failing step
 * leaves the earlier ones applied (a MREMAP_FIXED target stays unmapped,
 * a shrink stays done).
 *
 * Two of the kernel's accounting quirks are reproduced, not fixed, so
 * that later limits answer as they do on Linux: MREMAP_DONTUNMAP of a
 * locked VMA leaves locked_vm counting the old, now unlocked VMA, and a
 * MREMAP_FIXED move that also shrinks charges the shrunk pages again.
 * Both go to the *_stray counters so the invariant checker can tell
 * them from a bookkeeping error.
 */
#include "calls/munmap.h"
#include "core/accounting.h"
#include "core/file.h"
#include "core/layout.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "mem/memory.h"

#define MREMAP_MAYMOVE ((unsigned long)UMM_MREMAP_MAYMOVE)
#define MREMAP_FIXED ((unsigned long)UMM_MREMAP_FIXED)
#define MREMAP_DONTUNMAP ((unsigned long)UMM_MREMAP_DONTUNMAP)

enum remap_type { REMAP_NO_RESIZE, REMAP_SHRINK, REMAP_EXPAND };

/* The kernel's vma_remap_struct. */
struct vma_remap_struct {
	unsigned long addr, old_len, new_len, flags, new_addr; /* as asked */
	struct vma *vma;          /* the source VMA, looked up again after each unmap */
	unsigned long delta;      /* |new_len - old_len| */
	enum remap_type type;
	bool populate_expand;     /* a locked VMA grew: fault in the new part */
	unsigned long charged;    /* pages charged for VM_ACCOUNT */
};

static bool implies_new_addr(const struct vma_remap_struct *r)
{
	return r->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
}

static bool ranges_overlap(const struct vma_remap_struct *r)
{
	return r->addr + r->old_len > r->new_addr && r->new_addr + r->new_len > r->addr;
}

/* check_mremap_params: everything that needs no VMA. */
static int check_params(const struct umm_mm *mm, const struct vma_remap_struct *r)
{
	unsigned long task_size = mm->cfg.task_size;

	if (r->flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (offset_in_page(r->addr) || !r->new_len || r->new_len > task_size)
		return -EINVAL;
	if (!implies_new_addr(r))
		return 0;
	if (r->new_addr > task_size - r->new_len || offset_in_page(r->new_addr))
		return -EINVAL;
	if (!(r->flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((r->flags & MREMAP_DONTUNMAP) && r->old_len != r->new_len)
		return -EINVAL;
	if (ranges_overlap(r))
		return -EINVAL;
	/* Both ranges may be split in three before anything is unmapped. */
	return map_count_near_limit(mm, 2, 3) ? -ENOMEM : 0;
}

/* align_hugetlb: lengths in huge pages, aligned addresses, no growth. */
static int align_hugetlb(struct vma_remap_struct *r)
{
	unsigned long size = 1UL << r->vma->vm_file->desc.huge_shift;

	r->old_len = (r->old_len + size - 1) & ~(size - 1);
	r->new_len = (r->new_len + size - 1) & ~(size - 1);
	if ((r->addr | r->new_addr) & (size - 1) || r->new_len > r->old_len)
		return -EINVAL;
	return 0;
}

static void set_type(struct vma_remap_struct *r)
{
	r->delta = r->new_len > r->old_len ? r->new_len - r->old_len : r->old_len - r->new_len;
	if (!r->delta)
		r->type = REMAP_NO_RESIZE;
	else
		r->type = r->old_len > r->new_len ? REMAP_SHRINK : REMAP_EXPAND;
}

/* The part of check_prep_vma for calls that map new address space. */
static int check_growth(const struct umm_mm *mm, struct vma_remap_struct *r)
{
	const struct vma *v = r->vma;
	unsigned long old_len = r->type == REMAP_SHRINK ? r->new_len : r->old_len;
	unsigned long pgoff;

	/* Duplicating a private mapping would make an unrelated copy. */
	if (!r->old_len && !(v->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return -EINVAL;
	if ((r->flags & MREMAP_DONTUNMAP) && (v->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EINVAL;
	if (old_len > v->vm_end - r->addr)
		return -EFAULT;
	if (r->new_len == old_len)
		return 0;
	if (v->vm_flags & VM_LOCKED)
		r->populate_expand = true;
	pgoff = v->vm_pgoff + ((r->addr - v->vm_start) >> PAGE_SHIFT);
	if (pgoff + (r->new_len >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	if (v->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;
	if (!mlock_future_ok(mm, v->vm_flags & VM_LOCKED, r->delta))
		return -EAGAIN;
	if (!may_expand_vm((struct umm_mm *)mm, v->vm_flags, r->delta >> PAGE_SHIFT))
		return -ENOMEM;
	return 0;
}

/* check_prep_vma. */
static int check_prep_vma(const struct umm_mm *mm, struct vma_remap_struct *r)
{
	int err;

	if (!r->vma)
		return -EFAULT;
	if (r->vma->vm_flags & VM_SEALED)
		return -EPERM;
	if (r->vma->vm_flags & VM_HUGETLB) {
		err = align_hugetlb(r);
		if (err)
			return err;
	}
	set_type(r);
	if (!implies_new_addr(r))
		r->new_addr = r->addr;
	if (r->type != REMAP_EXPAND && !implies_new_addr(r))
		return 0;
	return check_growth(mm, r);
}

/* vrm_set_new_addr: the target, through the file's get_unmapped_area. */
static int set_new_addr(struct umm_mm *mm, struct vma_remap_struct *r)
{
	const struct vma *v = r->vma;
	unsigned long pgoff = v->vm_pgoff + ((r->addr - v->vm_start) >> PAGE_SHIFT);
	unsigned long hint = implies_new_addr(r) ? r->new_addr : 0;
	unsigned long map_flags = (r->flags & MREMAP_FIXED) ? UMM_MAP_FIXED : 0;
	long res;

	if (v->vm_flags & VM_MAYSHARE)
		map_flags |= UMM_MAP_SHARED;
	res = get_unmapped_area(mm, v->vm_file, hint, r->new_len, pgoff, map_flags, 0);
	if (IS_ERR_VALUE(res))
		return (int)res;
	r->new_addr = (unsigned long)res;
	return 0;
}

/* vrm_calc_charge: DONTUNMAP keeps the old pages, so charges all new.
 * The charge is this VMA's: a multi-VMA move's earlier ones keep theirs. */
static int calc_charge(struct umm_mm *mm, struct vma_remap_struct *r)
{
	unsigned long pages;

	r->charged = 0;
	if (!(r->vma->vm_flags & VM_ACCOUNT))
		return 0;
	pages = ((r->flags & MREMAP_DONTUNMAP) ? r->new_len : r->delta) >> PAGE_SHIFT;
	if (vm_enough_memory(mm, pages))
		return -ENOMEM;
	r->charged = pages;
	return 0;
}

static void stat_account(struct umm_mm *mm, const struct vma *v, unsigned long bytes)
{
	vm_stat_account(mm, v->vm_flags, (long)(bytes >> PAGE_SHIFT));
	if (v->vm_flags & VM_LOCKED)
		mm->locked_vm += bytes >> PAGE_SHIFT;
}

/* vma_merge_extend: grow v by delta, taking in next if it now fits. */
static int merge_extend(struct umm_mm *mm, struct vma *v, unsigned long delta)
{
	struct vma_merge_struct vmg = VMG_VMA_STATE(mm, v, v->vm_end, v->vm_end + delta);

	vmg.prev = v;
	/* vma_merge_new_range refuses special VMAs */
	return vma_merge_new_range(&vmg) ? 0 : -ENOMEM;
}

/* vma_expandable: nothing in the way, and a fixed mapping there would do. */
static bool can_expand_in_place(struct umm_mm *mm, const struct vma_remap_struct *r)
{
	const struct vma *v = r->vma;
	unsigned long end = v->vm_end + r->delta;
	long res;

	if (v->vm_end - r->addr != r->old_len || end < v->vm_end)
		return false;
	if (find_vma_intersection(mm, v->vm_end, end))
		return false;
	res = get_unmapped_area(mm, NULL, v->vm_start, end - v->vm_start, 0, UMM_MAP_FIXED, 0);
	return !IS_ERR_VALUE(res);
}

static int expand_in_place(struct umm_mm *mm, struct vma_remap_struct *r)
{
	int err = calc_charge(mm, r);

	if (err)
		return err;
	err = merge_extend(mm, r->vma, r->delta);
	if (err) {
		vm_unacct_memory(mm, r->charged);
		return err;
	}
	stat_account(mm, r->vma, r->delta);
	return 0;
}

/*
 * copy_vma: the new VMA at new_addr, merged into a neighbour there when
 * the kernel would. An anonymous VMA that never had pages takes the pgoff
 * of its new place, so that it can merge there.
 */
static int copy_vma(struct umm_mm *mm, const struct vma_remap_struct *r, unsigned long pgoff)
{
	const struct vma *v = r->vma;
	unsigned long start = r->new_addr, end = r->new_addr + r->new_len;
	struct vma *prev = find_vma_prev_of(mm, start);
	struct vma *next = prev ? prev->vm_next : mm->first_vma;
	struct vma_merge_struct vmg;
	struct vma *nv;

	/* Even with DONTUNMAP the copy may join its own source (6.18). */
	if (vma_is_anonymous(v) && !v->anon_vma)
		pgoff = start >> PAGE_SHIFT;
	vmg = VMG_STATE(mm, prev, next, start, end, v->vm_flags, v->vm_file, pgoff);
	vmg.anon_vma = v->anon_vma;
	vmg.anon_chain = v->anon_chain; /* vmg->copied_from's */
	vmg.anon_name = v->anon_name;
	if (vma_merge_new_range(&vmg))
		return 0;
	nv = vma_alloc(mm);
	if (!nv)
		return -ENOMEM;
	vma_copy_attrs(nv, v);
	nv->vm_start = start;
	nv->vm_end = end;
	nv->vm_pgoff = pgoff;
	nv->kept_apart = false;
	vma_link(mm, nv);
	return 0;
}

/*
 * unmap_source_vma: the old range goes, without giving back its charge,
 * which now belongs to the new VMA. The kernel hides VM_ACCOUNT for the
 * unmap and gives it back to what is left on either side.
 *
 * If the unmap fails (no memory to split, or old_len 0), mremap still
 * succeeds: both ranges stay mapped, the source VMA (each piece, if one
 * split was made) keeps VM_ACCOUNT cleared, and old_len's pages are
 * charged once more. The charge no VMA accounts for goes to the stray
 * counter: the hidden VMA's pages, or old_len's if nothing was hidden.
 */
static void unmap_source(struct umm_mm *mm, struct vma_remap_struct *r)
{
	unsigned long end = r->addr + r->old_len;
	struct vma *v = vma_lookup(mm, r->addr);
	bool hide = v && (v->vm_flags & VM_ACCOUNT);
	unsigned long vm_start = hide ? v->vm_start : 0, vm_end = hide ? v->vm_end : 0;
	struct vma *left, *right;

	if (hide)
		v->vm_flags &= ~VM_ACCOUNT;
	if (vt_reserve(&mm->tree) || do_munmap(mm, r->addr, r->old_len)) {
		mm->committed += r->old_len >> PAGE_SHIFT;
		mm->committed_stray += hide ? (vm_end - vm_start) >> PAGE_SHIFT
					    : r->old_len >> PAGE_SHIFT;
		if (hide) { /* the flag changed in place: no merge */
			vma_mark_kept_apart(mm, vm_start);
			vma_mark_kept_apart(mm, vm_end);
		}
		return;
	}
	if (!hide)
		return;
	left = vm_start < r->addr ? find_vma_prev_of(mm, r->addr) : NULL;
	right = vm_end > end ? vma_lookup(mm, end) : NULL;
	if (left)
		left->vm_flags |= VM_ACCOUNT;
	if (right)
		right->vm_flags |= VM_ACCOUNT;
}

/*
 * dontunmap_complete: the old VMA stays, unlocked as a whole (even when
 * only part of it moved) and, if it moved entirely, without its anon_vma.
 * locked_vm keeps counting it, as in the kernel.
 */
static void dontunmap_complete(struct umm_mm *mm, struct vma_remap_struct *r, bool whole)
{
	struct vma *v = vma_lookup(mm, r->addr);

	if (v->vm_flags & VM_LOCKED)
		mm->locked_vm_stray += vma_pages(v);
	v->vm_flags &= ~VM_LOCKED_MASK;
	if (whole)
		vma_anon_detach(v); /* unlink_anon_vmas */
	/* The kernel changes the flags in place: no merge with neighbours. */
	vma_mark_kept_apart(mm, v->vm_start);
	vma_mark_kept_apart(mm, v->vm_end);
}

/* prep_move_vma. */
static int prep_move(const struct umm_mm *mm, const struct vma_remap_struct *r)
{
	const struct vma *v = r->vma;
	int err = 0;

	if (map_count_near_limit(mm, 0, 3))
		return -ENOMEM;
	if (v->vm_start != r->addr)
		err = vma_may_split(v, r->addr);
	if (!err && v->vm_end != r->addr + r->old_len)
		err = vma_may_split(v, r->addr + r->old_len);
	return err;
}

/* move_vma. */
static long move_vma(struct umm_mm *mm, struct vma_remap_struct *r)
{
	const struct vma *v = r->vma;
	unsigned long pgoff = v->vm_pgoff + ((r->addr - v->vm_start) >> PAGE_SHIFT);
	bool whole = v->vm_start == r->addr && v->vm_end == r->addr + r->old_len;
	vm_flags_t flags = v->vm_flags;
	int err = prep_move(mm, r);

	if (err)
		return err;
	err = calc_charge(mm, r);
	if (err)
		return err;
	err = vt_reserve(&mm->tree);
	if (!err)
		err = move_page_tables(mm, r->addr, r->new_addr, r->old_len);
	if (!err)
		err = copy_vma(mm, r, pgoff);
	if (err) {
		vm_unacct_memory(mm, r->charged);
		return err;
	}
	/* A move that also shrank charges the shrunk pages once more. */
	if ((flags & VM_ACCOUNT) && !(r->flags & MREMAP_DONTUNMAP))
		mm->committed_stray += r->charged - ((r->new_len - r->old_len) >> PAGE_SHIFT);
	stat_account(mm, vma_lookup(mm, r->new_addr), r->new_len);
	if (r->flags & MREMAP_DONTUNMAP)
		dontunmap_complete(mm, r, whole);
	else
		unmap_source(mm, r);
	return (long)r->new_addr;
}

/* shrink_vma: unmap the tail; the source VMA may have been split. */
static int shrink(struct umm_mm *mm, struct vma_remap_struct *r)
{
	int err = vt_reserve(&mm->tree);

	if (!err)
		err = do_munmap(mm, r->addr + r->new_len, r->delta);
	if (err)
		return err;
	r->vma = vma_lookup(mm, r->addr);
	return r->vma ? 0 : -EFAULT;
}

/* mremap_to: MREMAP_FIXED or MREMAP_DONTUNMAP. */
static long mremap_to(struct umm_mm *mm, struct vma_remap_struct *r)
{
	int err;

	if (r->flags & MREMAP_FIXED) {
		err = vt_reserve(&mm->tree);
		if (!err)
			err = do_munmap(mm, r->new_addr, r->new_len);
		if (err)
			return err;
		r->vma = vma_lookup(mm, r->addr);
		if (!r->vma)
			return -EFAULT;
	}
	if (r->type == REMAP_SHRINK) {
		err = shrink(mm, r);
		if (err)
			return err;
		r->old_len = r->new_len;
	}
	if ((r->flags & MREMAP_DONTUNMAP) &&
	    !may_expand_vm(mm, r->vma->vm_flags, r->old_len >> PAGE_SHIFT))
		return -ENOMEM;
	err = set_new_addr(mm, r);
	return err ? err : move_vma(mm, r);
}

static long expand(struct umm_mm *mm, struct vma_remap_struct *r)
{
	int err;

	if (can_expand_in_place(mm, r)) {
		err = expand_in_place(mm, r);
		return err ? err : (long)r->addr;
	}
	if (!(r->flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	err = set_new_addr(mm, r);
	return err ? err : move_vma(mm, r);
}

/* mremap_at: no new address asked for. */
static long mremap_at(struct umm_mm *mm, struct vma_remap_struct *r)
{
	int err;

	switch (r->type) {
	case REMAP_NO_RESIZE:
		return (long)r->addr;
	case REMAP_SHRINK:
		err = shrink(mm, r);
		return err ? err : (long)r->addr;
	case REMAP_EXPAND:
		return expand(mm, r);
	}
	return -EINVAL;
}

/*
 * vma_multi_allowed: a file whose own get_unmapped_area might not honour
 * MREMAP_FIXED cannot be part of a multi-VMA move. Of the files modelled
 * here that is only /dev/zero where it did not become shmem; disk files
 * use the THP helper, and shmem and hugetlbfs are known to be fine.
 */
static bool multi_allowed(const struct vma *v)
{
	const struct umm_file *f = v->vm_file;

	return !f || !f->desc.dev_zero || f->shmem_anon;
}

/* One VMA's share of a multi-VMA move. */
static long remap_move_one(struct umm_mm *mm, struct vma_remap_struct *r, struct vma *v,
			   unsigned long addr, unsigned long len, unsigned long target)
{
	long res;

	r->vma = v;
	r->addr = addr;
	r->new_addr = target;
	r->old_len = r->new_len = len;
	res = check_prep_vma(mm, r);
	return res ? res : mremap_to(mm, r);
}

/* remap_move: every VMA of [addr, addr + old_len), keeping the gaps. */
static long remap_move(struct umm_mm *mm, struct vma_remap_struct *r)
{
	unsigned long start = r->addr, end = r->addr + r->old_len, target = r->new_addr;
	unsigned long last_end = 0, pos = start;
	long res = -EFAULT, one;
	bool seen = false;
	struct vma *v;

	/* The walk stops once a VMA as found reached end, even if a move
	 * merged it with what lies beyond (the kernel's iterator is past
	 * end by then). */
	while (pos < end && (v = find_vma(mm, pos)) && v->vm_start < end) {
		unsigned long addr = v->vm_start > start ? v->vm_start : start;
		unsigned long len = (v->vm_end < end ? v->vm_end : end) - addr;
		unsigned long offset = seen ? v->vm_start - last_end : 0;

		if (!seen && start < v->vm_start)
			return -EFAULT;
		last_end = v->vm_end;
		if (!multi_allowed(v) && (seen || v->vm_end < end))
			return -EFAULT;
		one = remap_move_one(mm, r, v, addr, len, target + offset);
		if (IS_ERR_VALUE(one))
			return one;
		if (!seen)
			res = one;
		seen = true;
		target = (unsigned long)one + len;
		pos = last_end; /* the walk goes on after the VMA as it was found */
	}
	return res;
}

static long do_mremap(struct umm_mm *mm, struct vma_remap_struct *r)
{
	long res;

	if ((r->flags & MREMAP_FIXED) && r->old_len == r->new_len)
		return remap_move(mm, r);
	r->vma = vma_lookup(mm, r->addr);
	res = check_prep_vma(mm, r);
	if (res)
		return res;
	res = implies_new_addr(r) ? mremap_to(mm, r) : mremap_at(mm, r);
	if (!IS_ERR_VALUE(res) && r->populate_expand)
		mm_populate(mm, r->new_addr + r->old_len, r->new_addr + r->old_len + r->delta, true);
	return res;
}

long umm_mremap(struct umm_mm *mm, unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	struct vma_remap_struct r = {
		.addr = addr,
		.old_len = PAGE_ALIGN(old_len),
		.new_len = PAGE_ALIGN(new_len),
		.flags = flags,
		.new_addr = new_addr,
	};
	long res;

	if (!mm)
		return -EINVAL;
	mm_lock(mm);
	res = check_params(mm, &r);
	if (!res)
		res = do_mremap(mm, &r);
	mm_unlock(mm);
	return res;
}
