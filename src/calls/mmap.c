/*
 * mmap.c - mmap(2): the argument checks of ksys_mmap_pgoff and do_mmap,
 * then mmap_region, which replaces whatever a MAP_FIXED range covers,
 * charges the new mapping and either extends a neighbour (merge) or
 * links a new VMA.
 *
 * Everything a call decides is gathered in struct mmap_state, checked in
 * the kernel's order, and only then applied.
 */
#include "calls/calls.h"
#include "calls/munmap.h"
#include "core/accounting.h"
#include "core/file.h"
#include "core/layout.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/pkeys.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "mem/hugetlb.h"
#include "mem/memory.h"

/* The flags MAP_SHARED keeps; MAP_SHARED_VALIDATE refuses anything else. */
#define LEGACY_MAP_MASK                                                                        \
	(UMM_MAP_SHARED | UMM_MAP_PRIVATE | UMM_MAP_FIXED | UMM_MAP_ANONYMOUS |                \
	 UMM_MAP_DENYWRITE | UMM_MAP_EXECUTABLE | UMM_MAP_UNINITIALIZED | UMM_MAP_GROWSDOWN | \
	 UMM_MAP_LOCKED | UMM_MAP_NORESERVE | UMM_MAP_POPULATE | UMM_MAP_NONBLOCK |           \
	 UMM_MAP_STACK | UMM_MAP_HUGETLB | UMM_MAP_32BIT | UMM_MAP_ABOVE4G |                 \
	 (21UL << UMM_MAP_HUGE_SHIFT) | (30UL << UMM_MAP_HUGE_SHIFT))

/* The kernel's mmap_state plus the decoded arguments. */
struct mmap_state {
	unsigned long addr, len, pgoff;
	unsigned long flags;
	int prot;
	struct umm_file *file;
	vm_flags_t vm_flags;
	unsigned long charged;       /* pages charged for VM_ACCOUNT */
	struct vma_munmap_struct vms; /* what a MAP_FIXED range replaces */
};

static vm_flags_t calc_vm_prot_bits(int prot)
{
	return (prot & UMM_PROT_READ ? VM_READ : 0) | (prot & UMM_PROT_WRITE ? VM_WRITE : 0) |
	       (prot & UMM_PROT_EXEC ? VM_EXEC : 0);
}

static vm_flags_t calc_vm_flag_bits(unsigned long flags)
{
	return (flags & UMM_MAP_GROWSDOWN ? VM_GROWSDOWN : 0) |
	       (flags & UMM_MAP_LOCKED ? VM_LOCKED : 0) | (flags & UMM_MAP_SYNC ? VM_SYNC : 0) |
	       (flags & UMM_MAP_STACK ? VM_NOHUGEPAGE : 0);
}

/* round_hint_to_min: a hint below the floor is raised to it. */
static unsigned long round_hint_to_min(const struct umm_mm *mm, unsigned long hint)
{
	hint &= PAGE_MASK;
	if (hint && hint < mm->cfg.mmap_min_addr_hint)
		return PAGE_ALIGN(mm->cfg.mmap_min_addr_hint);
	return hint;
}

/* file_mmap_ok: the largest offset a file of this kind may be mapped at. */
static bool file_mmap_ok(const struct umm_file *file, unsigned long pgoff, unsigned long len)
{
	const unsigned long max_lfs = 0x7fffffffffffffffUL; /* MAX_LFS_FILESIZE */
	unsigned long maxsize = file->desc.kind == UMM_FILE_CHAR ? ULONG_MAX : max_lfs;

	if (maxsize && len > maxsize)
		return false;
	maxsize -= len;
	return pgoff <= maxsize >> PAGE_SHIFT;
}

/* The MAP_SHARED / MAP_SHARED_VALIDATE / MAP_PRIVATE rules for a file. */
static int check_file_mapping(struct mmap_state *s)
{
	const struct umm_file_desc *d = &s->file->desc;
	/* Only DAX-capable file systems (ext4 here) let MAP_SYNC through
	 * validation; ext4 then refuses it in ->mmap unless DAX. */
	bool sync_ok = d->kind == UMM_FILE_REGULAR && !d->dev_zero;
	unsigned long mask = LEGACY_MAP_MASK | (sync_ok ? UMM_MAP_SYNC : 0);
	int type = (int)(s->flags & UMM_MAP_TYPE);

	if (!file_mmap_ok(s->file, s->pgoff, s->len))
		return -EOVERFLOW;
	if (type == UMM_MAP_SHARED)
		s->flags &= LEGACY_MAP_MASK;
	if (type == UMM_MAP_SHARED || type == UMM_MAP_SHARED_VALIDATE) {
		if (s->flags & ~mask)
			return -EOPNOTSUPP;
		if ((s->prot & UMM_PROT_WRITE) && !(d->mode & UMM_FILE_WRITE))
			return -EACCES;
		if (d->append_only && (d->mode & UMM_FILE_WRITE))
			return -EACCES;
		s->vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!(d->mode & UMM_FILE_WRITE))
			s->vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
	} else if (type != UMM_MAP_PRIVATE) {
		return -EINVAL;
	}
	if (!(d->mode & UMM_FILE_READ))
		return -EACCES;
	if (d->noexec_mount) {
		if (s->vm_flags & VM_EXEC)
			return -EPERM;
		s->vm_flags &= ~VM_MAYEXEC;
	}
	if (d->mmap_errno)
		return d->mmap_errno;
	if (s->vm_flags & VM_GROWSDOWN)
		return -EINVAL;
	return 0;
}

static int check_anon_mapping(struct mmap_state *s)
{
	switch (s->flags & UMM_MAP_TYPE) {
	case UMM_MAP_SHARED:
		if (s->vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		s->pgoff = 0;
		s->vm_flags |= VM_SHARED | VM_MAYSHARE;
		return 0;
	case UMM_MAP_DROPPABLE:
		if (s->flags & (UMM_MAP_LOCKED | UMM_MAP_HUGETLB))
			return -EINVAL;
		if (s->vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		s->vm_flags |= VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK | VM_DONTDUMP;
		s->pgoff = s->addr >> PAGE_SHIFT;
		return 0;
	case UMM_MAP_PRIVATE:
		s->pgoff = s->addr >> PAGE_SHIFT;
		return 0;
	default:
		return -EINVAL;
	}
}

/* do_mmap up to the address: the checks that come before any change. */
static long mmap_prepare(struct umm_mm *mm, struct mmap_state *s)
{
	long addr;
	int pkey;

	if ((s->prot & UMM_PROT_READ) && read_implies_exec(mm) &&
	    !(s->file && s->file->desc.noexec_mount))
		s->prot |= UMM_PROT_EXEC;
	if (s->flags & UMM_MAP_FIXED_NOREPLACE)
		s->flags |= UMM_MAP_FIXED;
	if (!(s->flags & UMM_MAP_FIXED))
		s->addr = round_hint_to_min(mm, s->addr);
	s->len = PAGE_ALIGN(s->len);
	if (!s->len)
		return -ENOMEM;
	if (s->pgoff + (s->len >> PAGE_SHIFT) < s->pgoff)
		return -EOVERFLOW;
	if (mm->tree.count > mm->cfg.max_map_count)
		return -ENOMEM;
	/* Taken here, before anything can fail, and kept if something does. */
	pkey = s->prot == UMM_PROT_EXEC ? execute_only_pkey(mm) : 0;
	s->vm_flags = calc_vm_prot_bits(s->prot) | pkey_vm_flags(pkey < 0 ? 0 : pkey) |
		      calc_vm_flag_bits(s->flags) | mm->def_flags | VM_MAYREAD | VM_MAYWRITE |
		      VM_MAYEXEC;
	addr = get_unmapped_area(mm, s->file, s->addr, s->len, s->pgoff, s->flags, s->vm_flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	s->addr = (unsigned long)addr;
	if ((s->flags & UMM_MAP_FIXED_NOREPLACE) &&
	    find_vma_intersection(mm, s->addr, s->addr + s->len))
		return -EEXIST;
	if ((s->flags & UMM_MAP_LOCKED) && !can_do_mlock(mm))
		return -EPERM;
	if (!mlock_future_ok(mm, s->vm_flags, s->len))
		return -EAGAIN;
	return s->file ? check_file_mapping(s) : check_anon_mapping(s);
}

static bool accountable_mapping(const struct mmap_state *s)
{
	if (s->file && s->file->desc.huge_shift)
		return false; /* hugetlb keeps its own reservations */
	return (s->vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/* The hidden shmem object of a shared anonymous mapping, charged in full. */
static int shmem_zero_setup(struct umm_mm *mm, struct mmap_state *s)
{
	unsigned long pages = s->len >> PAGE_SHIFT;

	if (!(s->vm_flags & VM_NORESERVE)) {
		if (vm_enough_memory(mm, pages))
			return -ENOMEM;
		/* shmem's charge lives with the object, not this space */
		vm_unacct_memory(mm, pages);
	}
	s->file = shmem_zero_file(mm->cfg.allocator, mm->next_shmem_ino++, s->len);
	return s->file ? 0 : -ENOMEM;
}

/*
 * What the file's ->mmap would refuse, after the old range is gone: a
 * disk file (not DAX) refuses VM_SYNC; hugetlbfs checks its alignment
 * and reservation.
 */
static int file_mmap_hook(struct mmap_state *s)
{
	const struct umm_file *f = s->file;

	if (!f)
		return 0;
	if (f->desc.huge_shift)
		return hugetlb_mmap_check(f, s->pgoff, s->vm_flags | VM_HUGETLB);
	if ((s->vm_flags & VM_SYNC) && f->desc.kind == UMM_FILE_REGULAR && !f->desc.dev_zero)
		return -EOPNOTSUPP;
	return 0;
}

static int link_new_vma(struct umm_mm *mm, struct mmap_state *s, struct vma **out)
{
	bool shared_anon = (!s->file || s->file->desc.dev_zero) && (s->vm_flags & VM_SHARED);
	struct vma *v;
	int err = file_mmap_hook(s);

	if (err)
		return err;
	v = vma_alloc(mm);
	if (!v)
		return -ENOMEM;
	if (shared_anon) {
		err = shmem_zero_setup(mm, s);
		if (err) {
			vma_free(mm, v);
			return err;
		}
	} else if (s->file) {
		umm_file_get(s->file);
	}
	v->vm_start = s->addr;
	v->vm_end = s->addr + s->len;
	v->vm_pgoff = s->pgoff;
	v->vm_flags = s->vm_flags;
	v->vm_file = s->file; /* the reference taken above */
	if (s->file && s->file->desc.huge_shift)
		v->vm_flags |= VM_HUGETLB | VM_DONTEXPAND;
	vma_link(mm, v);
	*out = v;
	return 0;
}

/*
 * mm_populate after a locked or MAP_POPULATE mapping: breaking COW on
 * private writable pages gives the VMA an anon_vma, and the pages read
 * in go to a shmem file's page cache.
 */
static void mmap_populate(struct umm_mm *mm, const struct mmap_state *s, const struct vma *v)
{
	if (!(v->vm_flags & VM_LOCKED) &&
	    (s->flags & (UMM_MAP_POPULATE | UMM_MAP_NONBLOCK)) != UMM_MAP_POPULATE)
		return;
	if (v->vm_flags & (VM_SPECIAL | VM_HUGETLB))
		return;
	mm_populate(mm, s->addr, s->addr + s->len, true);
}

/* __mmap_region: the part that changes the address space. */
static long mmap_region(struct umm_mm *mm, struct mmap_state *s)
{
	unsigned long pglen = s->len >> PAGE_SHIFT;
	struct vma_merge_struct vmg;
	struct vma *v;
	int err;

	if (map_deny_write_exec(mm, s->vm_flags, s->vm_flags))
		return -EACCES;
	err = vms_gather(mm, &s->vms, s->addr, s->addr + s->len);
	if (err)
		return err;
	if (!may_expand_vm(mm, s->vm_flags, pglen - s->vms.nr_pages)) {
		vms_abort(mm, &s->vms);
		return -ENOMEM;
	}
	if (accountable_mapping(s)) {
		s->charged = pglen - s->vms.nr_accounted;
		if (s->charged && vm_enough_memory(mm, s->charged)) {
			vms_abort(mm, &s->vms);
			return -ENOMEM;
		}
		s->vm_flags |= VM_ACCOUNT;
	}
	/* From here on the old mappings are gone even if we fail. */
	vms_complete(mm, &s->vms);
	if (s->vm_flags & VM_ACCOUNT) /* the replaced pages' charge carries over */
		mm->committed += s->vms.nr_accounted;
	vmg = VMG_STATE(mm, s->vms.prev, s->vms.next, s->addr, s->addr + s->len, s->vm_flags,
			s->file, s->pgoff);
	v = vma_merge_new_range(&vmg);
	if (!v) {
		err = link_new_vma(mm, s, &v);
		if (err) {
			if (s->vm_flags & VM_ACCOUNT)
				vm_unacct_memory(mm, pglen);
			return err;
		}
	}
	vm_stat_account(mm, v->vm_flags, (long)pglen);
	mmap_populate(mm, s, v);
	if (v->vm_flags & VM_LOCKED) {
		if ((v->vm_flags & (VM_SPECIAL | VM_DROPPABLE | VM_HUGETLB))) {
			/* The merge was tried with VM_LOCKED set, so a neighbour
			 * that is equal now stayed apart. */
			v->vm_flags &= ~VM_LOCKED_MASK;
			vma_mark_kept_apart(mm, v->vm_start);
			vma_mark_kept_apart(mm, v->vm_end);
		} else {
			mm->locked_vm += pglen;
		}
	}
	return (long)s->addr;
}

static long do_mmap(struct umm_mm *mm, struct mmap_state *s)
{
	long ret;

	if (s->len == 0)
		return -EINVAL;
	ret = mmap_prepare(mm, s);
	if (ret < 0)
		return ret;
	if ((s->flags & UMM_MAP_NORESERVE) &&
	    (mm->cfg.overcommit_memory != 2 || (s->file && s->file->desc.huge_shift)))
		s->vm_flags |= VM_NORESERVE;
	return mmap_region(mm, s);
}

long umm_mmap(struct umm_mm *mm, unsigned long addr, unsigned long len, int prot, int flags,
	      struct umm_file *file, unsigned long off)
{
	struct mmap_state s = { .addr = addr, .len = len, .prot = prot };
	struct umm_file *hugetlb_file;
	long ret;

	if (!mm)
		return -EINVAL;
	s.flags = (unsigned int)flags;
	if (off & ~PAGE_MASK)
		return -EINVAL;
	s.pgoff = off >> PAGE_SHIFT;
	if (!(s.flags & UMM_MAP_ANONYMOUS)) {
		if (!file || (file->desc.mode & UMM_FILE_PATH))
			return -EBADF;
		if ((s.flags & UMM_MAP_HUGETLB) && !file->desc.huge_shift)
			return -EINVAL;
		/* A hugetlbfs file maps whole huge pages (wrapping to 0 as
		 * the kernel's ALIGN does, which do_mmap then refuses). */
		if (file->desc.huge_shift)
			s.len = (len + (1UL << file->desc.huge_shift) - 1) &
				~((1UL << file->desc.huge_shift) - 1);
		s.file = file;
	}
	mm_lock(mm);
	ret = vt_reserve(&mm->tree);
	if (!ret && (s.flags & UMM_MAP_ANONYMOUS) && (s.flags & UMM_MAP_HUGETLB))
		ret = hugetlb_anon_setup(mm, s.flags, &s.len, &s.file);
	hugetlb_file = (s.flags & UMM_MAP_ANONYMOUS) ? s.file : NULL;
	if (!ret)
		ret = do_mmap(mm, &s);
	umm_file_put(hugetlb_file); /* the mapping holds its own reference */
	mm_unlock(mm);
	return ret;
}

/*
 * remap_file_pages: the kernel emulates it by mapping the file again,
 * MAP_FIXED and shared, at the new offset: the range must lie in one
 * shared VMA, or in a run of adjacent VMAs of the same file with equal
 * flags. The new VMA takes the old one's access rights and lock, nothing
 * else of it (advice, names), and is populated.
 */
static long remap_file_pages_locked(struct umm_mm *mm, unsigned long start,
				    unsigned long size, unsigned long pgoff, unsigned long flags)
{
	struct vma *v = vma_lookup(mm, start), *next;
	struct mmap_state s = { .addr = start, .len = size, .pgoff = pgoff };
	long ret;

	if (!v || !(v->vm_flags & VM_SHARED))
		return -EINVAL;
	for (next = v; start + size > next->vm_end; next = next->vm_next)
		if (!next->vm_next || next->vm_next->vm_start != next->vm_end ||
		    next->vm_next->vm_file != v->vm_file || next->vm_next->vm_flags != v->vm_flags)
			return -EINVAL;
	s.prot = (v->vm_flags & VM_READ ? UMM_PROT_READ : 0) |
		 (v->vm_flags & VM_WRITE ? UMM_PROT_WRITE : 0) |
		 (v->vm_flags & VM_EXEC ? UMM_PROT_EXEC : 0);
	s.flags = (flags & UMM_MAP_NONBLOCK) | UMM_MAP_SHARED | UMM_MAP_FIXED | UMM_MAP_POPULATE |
		  (v->vm_flags & VM_LOCKED ? UMM_MAP_LOCKED : 0);
	/* The old VMAs go; the file must outlive them. */
	s.file = umm_file_get(v->vm_file);
	ret = vt_reserve(&mm->tree);
	if (!ret)
		ret = do_mmap(mm, &s);
	umm_file_put(s.file);
	return ret < 0 ? ret : 0;
}

int umm_remap_file_pages(struct umm_mm *mm, unsigned long start, unsigned long size,
			 unsigned long prot, unsigned long pgoff, unsigned long flags)
{
	long ret;

	if (!mm || prot)
		return -EINVAL;
	start &= PAGE_MASK;
	size &= PAGE_MASK;
	if (start + size <= start || pgoff + (size >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	mm_lock(mm);
	ret = remap_file_pages_locked(mm, start, size, pgoff, flags);
	mm_unlock(mm);
	return (int)ret;
}
