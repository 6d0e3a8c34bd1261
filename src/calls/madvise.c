/*
 * madvise.c - madvise(2): do_madvise, madvise_walk_vmas and the advice
 * itself (madvise_vma_behavior and madvise_populate), with the rules of
 * this machine's 6.18 kernel (CONFIG_KSM on, THP in "madvise" mode,
 * CONFIG_MEMORY_FAILURE off).
 *
 * What usermm models of each advice: the flags it sets, with the splits
 * and merges that follow; the errno of every VMA it refuses; the
 * anon_vma that populating or guarding gives a VMA (it decides later
 * merges); and the guard markers (mem/guard.c). What happens to pages
 * is the memory layer's (mem/memory.h): DONTNEED, FREE and REMOVE zap,
 * POPULATE faults in; the advice that only ages pages (COLD, PAGEOUT)
 * is checked and otherwise does nothing.
 */
#include "calls/calls.h"
#include "core/file.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "mem/filemap.h"
#include "mem/guard.h"
#include "mem/memory.h"

#include <limits.h>

#define MADV_NORMAL UMM_MADV_NORMAL
#define MADV_RANDOM UMM_MADV_RANDOM
#define MADV_SEQUENTIAL UMM_MADV_SEQUENTIAL
#define MADV_WILLNEED UMM_MADV_WILLNEED
#define MADV_DONTNEED UMM_MADV_DONTNEED
#define MADV_FREE UMM_MADV_FREE
#define MADV_REMOVE UMM_MADV_REMOVE
#define MADV_DONTFORK UMM_MADV_DONTFORK
#define MADV_DOFORK UMM_MADV_DOFORK
#define MADV_MERGEABLE UMM_MADV_MERGEABLE
#define MADV_UNMERGEABLE UMM_MADV_UNMERGEABLE
#define MADV_HUGEPAGE UMM_MADV_HUGEPAGE
#define MADV_NOHUGEPAGE UMM_MADV_NOHUGEPAGE
#define MADV_DONTDUMP UMM_MADV_DONTDUMP
#define MADV_DODUMP UMM_MADV_DODUMP
#define MADV_WIPEONFORK UMM_MADV_WIPEONFORK
#define MADV_KEEPONFORK UMM_MADV_KEEPONFORK
#define MADV_COLD UMM_MADV_COLD
#define MADV_PAGEOUT UMM_MADV_PAGEOUT
#define MADV_POPULATE_READ UMM_MADV_POPULATE_READ
#define MADV_POPULATE_WRITE UMM_MADV_POPULATE_WRITE
#define MADV_DONTNEED_LOCKED UMM_MADV_DONTNEED_LOCKED
#define MADV_COLLAPSE UMM_MADV_COLLAPSE
#define MADV_GUARD_INSTALL UMM_MADV_GUARD_INSTALL
#define MADV_GUARD_REMOVE UMM_MADV_GUARD_REMOVE

/* VMAs KSM never scans: MADV_MERGEABLE leaves their flags alone. */
#define VM_KSM_INCOMPATIBLE                                                            \
	(VM_SHARED | VM_MAYSHARE | VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_HUGETLB |     \
	 VM_MIXEDMAP | VM_DROPPABLE)

/* The state of one madvise call: the advice and the VMA range at hand. */
struct madvise_state {
	int behavior;
	unsigned long start, end; /* inside one VMA while it is visited */
	struct vma *vma;          /* the VMA now covering [start, end) */
};

/*
 * madvise_behavior_valid. MADV_HWPOISON and MADV_SOFT_OFFLINE exist only
 * with CONFIG_MEMORY_FAILURE, which this kernel lacks: EINVAL, even for
 * CAP_SYS_ADMIN.
 */
static bool behavior_valid(int behavior)
{
	return (behavior >= MADV_NORMAL && behavior <= MADV_DONTNEED) ||
	       (behavior >= MADV_FREE && behavior <= MADV_COLLAPSE) ||
	       behavior == MADV_GUARD_INSTALL || behavior == MADV_GUARD_REMOVE;
}

/* is_discard: the advice mseal refuses on read-only anonymous memory. */
static bool is_discard(int behavior)
{
	switch (behavior) {
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_WIPEONFORK:
	case MADV_GUARD_INSTALL:
		return true;
	}
	return false;
}

/* can_madvise_modify: discarding from sealed memory the process could
 * not write anyway would be a way around the seal; files keep their
 * data, so only anonymous memory counts. */
static bool can_madvise_modify(const struct vma *v, int behavior)
{
	return !(v->vm_flags & VM_SEALED) || !is_discard(behavior) || !vma_is_anonymous(v) ||
	       (v->vm_flags & VM_WRITE);
}

/* The new flags of flag-changing advice in *f (which holds the old
 * ones), or a negative errno for a VMA the advice refuses. */
static int advised_flags(const struct vma *v, int behavior, vm_flags_t *f)
{
	switch (behavior) {
	case MADV_NORMAL: *f &= ~(VM_RAND_READ | VM_SEQ_READ); break;
	case MADV_SEQUENTIAL: *f = (*f & ~VM_RAND_READ) | VM_SEQ_READ; break;
	case MADV_RANDOM: *f = (*f & ~VM_SEQ_READ) | VM_RAND_READ; break;
	case MADV_DONTFORK: *f |= VM_DONTCOPY; break;
	case MADV_DOFORK:
		if (*f & VM_IO)
			return -EINVAL;
		*f &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK: /* anonymous private memory only */
		if (v->vm_file || (*f & VM_SHARED))
			return -EINVAL;
		*f |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK: /* droppable memory is always wiped */
		if (*f & VM_DROPPABLE)
			return -EINVAL;
		*f &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP: *f |= VM_DONTDUMP; break;
	case MADV_DODUMP:
		if ((!(*f & VM_HUGETLB) && (*f & VM_SPECIAL)) || (*f & VM_DROPPABLE))
			return -EINVAL;
		*f &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE: /* ksm_madvise */
		if (!(*f & VM_KSM_INCOMPATIBLE))
			*f |= VM_MERGEABLE;
		break;
	case MADV_UNMERGEABLE: *f &= ~VM_MERGEABLE; break;
	case MADV_HUGEPAGE: *f = (*f & ~VM_NOHUGEPAGE) | VM_HUGEPAGE; break;
	case MADV_NOHUGEPAGE: *f = (*f & ~VM_HUGEPAGE) | VM_NOHUGEPAGE; break;
	default: return -EINVAL;
	}
	return 0;
}

/* A special mapping ([vdso], [vvar]) refuses to be split (its
 * may_split), after the map_count check every split makes. */
static int special_split_check(const struct umm_mm *mm, const struct madvise_state *s)
{
	const struct vma *v = s->vma;

	if (v->special == UMM_SPECIAL_NONE || (s->start == v->vm_start && s->end == v->vm_end))
		return 0;
	return mm->tree.count >= mm->cfg.max_map_count ? -ENOMEM : -EINVAL;
}

/* madvise_update_vma: split or merge so that [start, end) gets newflags.
 * A failed split is ENOMEM inside, which madvise reports as EAGAIN. */
static int update_vma(struct umm_mm *mm, struct madvise_state *s, vm_flags_t newflags)
{
	struct vma *v;
	int err;

	if (newflags == s->vma->vm_flags)
		return 0;
	err = special_split_check(mm, s);
	if (!err) {
		v = vma_modify_flags(mm, s->vma, s->start, s->end, newflags, &err);
		if (v)
			s->vma = v;
	}
	return err == -ENOMEM ? -EAGAIN : err;
}

/* madvise_remove: punching a hole needs a file shared and writable
 * through this mapping; the data goes, the mapping stays. */
static int advise_remove(const struct madvise_state *s)
{
	const struct vma *v = s->vma;
	unsigned long long off, end;

	if (v->vm_flags & VM_LOCKED)
		return -EINVAL;
	if (!v->vm_file)
		return -EINVAL;
	if ((v->vm_flags & (VM_SHARED | VM_MAYWRITE)) != (VM_SHARED | VM_MAYWRITE))
		return -EACCES;
	/* vfs_fallocate on something that is not a regular file */
	if (v->vm_file->desc.kind == UMM_FILE_CHAR)
		return -ENODEV;
	/* ... and on a hole that ends past the file system's largest file,
	 * or whose end overflows loff_t. */
	off = (s->start - v->vm_start) + ((unsigned long long)v->vm_pgoff << PAGE_SHIFT);
	end = off + (s->end - s->start);
	return (end > LLONG_MAX || end > v->vm_file->desc.max_bytes) ? -EFBIG : 0;
}

/* madvise_dontneed_free_valid_vma and madvise_free_single_vma: may the
 * pages go? */
static int dontneed_free_valid(const struct madvise_state *s)
{
	const struct vma *v = s->vma;
	unsigned int shift = v->vm_file ? v->vm_file->desc.huge_shift : 0;

	if (v->vm_flags & VM_HUGETLB) {
		if (s->behavior == MADV_FREE)
			return -EINVAL;
		return (shift && (s->start & ((1UL << shift) - 1))) ? -EINVAL : 0;
	}
	if ((v->vm_flags & VM_PFNMAP) ||
	    ((v->vm_flags & VM_LOCKED) && s->behavior != MADV_DONTNEED_LOCKED))
		return -EINVAL;
	return (s->behavior == MADV_FREE && !vma_is_anonymous(v)) ? -EINVAL : 0;
}

static int advise_dontneed_free(struct umm_mm *mm, const struct madvise_state *s)
{
	int err = dontneed_free_valid(s);

	if (err)
		return err;
	if (s->behavior == MADV_FREE)
		advise_pages(mm, s->vma, s->start, s->end, ADVISE_FREE);
	else
		zap_page_range(mm, s->vma, s->start, s->end);
	return 0;
}

/*
 * madvise_collapse, as far as it can be decided without pages. Anonymous
 * memory qualifies once it has an anon_vma (it was written), and its
 * whole PMDs in the range are then taken as resident (they collapse).
 * shmem qualifies too, for each PMD whose part of the file has a page in
 * the page cache (struct umm_file's record of it); a PMD without one
 * fails as on a sparse file. Other files never qualify here.
 */
static int advise_collapse(const struct umm_mm *mm, const struct madvise_state *s)
{
	const struct vma *v = s->vma;
	const struct umm_file *f = v->vm_file;
	unsigned long first = (s->start + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	unsigned long last = s->end & ~(PMD_SIZE - 1);
	bool anon = vma_is_anonymous(v);

	if ((v->vm_flags & (VM_NOHUGEPAGE | VM_HUGETLB | VM_SPECIAL)) || !vma_thp_suitable(v) ||
	    thp_disabled_completely(mm))
		return -EINVAL;
	if (anon ? !v->anon_vma : !(f && f->desc.kind == UMM_FILE_SHMEM))
		return -EINVAL;
	/* No whole PMD: nothing to do (0) when the range meets one PMD
	 * boundary, but a range inside a single PMD counts as a failure. */
	if (last <= first)
		return last < first ? -EINVAL : 0;
	if (anon)
		return 0;
	/* shmem: each PMD of the file needs a page in the page cache
	 * (measured: one page is enough, none fails). */
	for (unsigned long pmd = first; pmd < last; pmd += PMD_SIZE)
		if (!file_cache_any(v->vm_file, v->vm_pgoff + ((pmd - v->vm_start) >> PAGE_SHIFT),
				    PMD_SIZE >> PAGE_SHIFT))
			return -EINVAL;
	return 0;
}

/* is_valid_guard_vma: only VMAs whose page tables the core alone
 * manages; installing also refuses locked memory (it would zap it). */
static bool guard_allowed(const struct vma *v, bool allow_locked)
{
	if (!allow_locked && (v->vm_flags & VM_LOCKED))
		return false;
	return !(v->vm_flags & (VM_SPECIAL | VM_HUGETLB)) && v->special == UMM_SPECIAL_NONE;
}

static int advise_guard_install(struct umm_mm *mm, const struct madvise_state *s)
{
	struct vma *v = s->vma;

	if (!guard_allowed(v, false))
		return -EINVAL;
	/* Set on the whole VMA, without a split, and never cleared. */
	v->vm_flags |= VM_MAYBE_GUARD;
	/* The markers are page tables: anonymous memory gets its anon_vma. */
	if (vma_is_anonymous(v) && anon_vma_prepare(mm, v))
		return -ENOMEM;
	return guard_install(mm, v, s->start, s->end);
}

static int advise_guard_remove(struct umm_mm *mm, const struct madvise_state *s)
{
	if (!guard_allowed(s->vma, true))
		return -EINVAL;
	guard_remove(mm, s->start, s->end);
	return 0;
}

/* madvise_vma_behavior: the advice on [s->start, s->end) of s->vma. */
static int advise_vma(struct umm_mm *mm, struct madvise_state *s)
{
	const struct vma *v = s->vma;
	vm_flags_t flags = v->vm_flags;
	int err;

	if (!can_madvise_modify(v, s->behavior))
		return -EPERM;
	switch (s->behavior) {
	case MADV_REMOVE:
		err = advise_remove(s);
		if (err)
			return err;
		/* The mapped pages go, then the hole is punched in the file. */
		zap_page_range(mm, s->vma, s->start, s->end);
		file_cache_remove(v->vm_file, v->vm_pgoff + ((s->start - v->vm_start) >> PAGE_SHIFT),
				  (s->end - s->start) >> PAGE_SHIFT);
		return 0;
	case MADV_WILLNEED:
		return 0;
	case MADV_COLD:
	case MADV_PAGEOUT: /* can_madv_lru_vma */
		if (v->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
			return -EINVAL;
		advise_pages(mm, s->vma, s->start, s->end,
			     s->behavior == MADV_COLD ? ADVISE_COLD : ADVISE_PAGEOUT);
		return 0;
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		return advise_dontneed_free(mm, s);
	case MADV_COLLAPSE:
		return advise_collapse(mm, s);
	case MADV_GUARD_INSTALL:
		return advise_guard_install(mm, s);
	case MADV_GUARD_REMOVE:
		return advise_guard_remove(mm, s);
	}
	err = advised_flags(v, s->behavior, &flags);
	return err ? err : update_vma(mm, s, flags);
}

int madvise_walk_vmas(struct umm_mm *mm, unsigned long start, unsigned long end,
		      madvise_visit_fn visit, void *arg)
{
	struct vma *v = find_vma(mm, start);
	unsigned long stop;
	int unmapped = 0, err;

	for (;;) {
		if (!v)
			return -ENOMEM;
		if (start < v->vm_start) {
			unmapped = -ENOMEM;
			start = v->vm_start;
			if (start >= end)
				return unmapped;
		}
		stop = v->vm_end < end ? v->vm_end : end;
		err = visit(mm, &v, start, stop, arg);
		if (err)
			return err;
		/* A merge may have carried the VMA past stop. */
		start = v->vm_end > stop ? v->vm_end : stop;
		if (start >= end)
			return unmapped;
		v = find_vma(mm, start);
	}
}

static int advise_visit(struct umm_mm *mm, struct vma **v, unsigned long start,
			unsigned long end, void *arg)
{
	struct madvise_state *s = arg;
	int err;

	s->start = start;
	s->end = end;
	s->vma = *v;
	err = advise_vma(mm, s);
	*v = s->vma;
	return err;
}

int umm_madvise(struct umm_mm *mm, unsigned long start, unsigned long len, int advice)
{
	struct madvise_state s = { .behavior = advice };
	unsigned long end;
	int err;

	if (!mm || !behavior_valid(advice) || input_range_end(start, len, &end))
		return -EINVAL;
	if (!len)
		return 0;
	mm_lock(mm);
	err = vt_reserve(&mm->tree);
	if (!err && (advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE))
		err = faultin_page_range(mm, start, end, advice == MADV_POPULATE_WRITE);
	else if (!err)
		err = madvise_walk_vmas(mm, start, end, advise_visit, &s);
	mm_unlock(mm);
	return err;
}
