/*
 * mprotect.c - mprotect(2): do_mprotect_pkey and mprotect_fixup.
 *
 * The range is walked VMA by VMA; each one is checked and changed before
 * the next is looked at, so an error part-way leaves the earlier VMAs
 * changed, exactly as the kernel does.
 */
#include "calls/calls.h"
#include "core/accounting.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/pkeys.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "mem/memory.h"

/* The state of one mprotect call. */
struct mprotect_state {
	unsigned long start, end;
	unsigned long prot;    /* PROT_* without the GROWS bits */
	bool rier;             /* READ_IMPLIES_EXEC and PROT_READ asked for */
	int pkey;              /* pkey_mprotect's key, -1 for mprotect */
	vm_flags_t prot_flags; /* VM_READ|WRITE|EXEC asked for */
	unsigned long done;    /* everything below this has been handled */
};

static vm_flags_t prot_to_vm(unsigned long prot)
{
	return (prot & UMM_PROT_READ ? VM_READ : 0) | (prot & UMM_PROT_WRITE ? VM_WRITE : 0) |
	       (prot & UMM_PROT_EXEC ? VM_EXEC : 0);
}

/*
 * The commit charge when a range becomes writable (or stops being so);
 * returns the pages charged, or a negative errno.
 */
static long fixup_charge(struct umm_mm *mm, struct vma *vma, vm_flags_t oldflags,
			 vm_flags_t *newflags, unsigned long nrpages)
{
	if (*newflags & VM_WRITE) {
		if (!may_expand_vm(mm, *newflags, nrpages) && may_expand_vm(mm, oldflags, nrpages))
			return -ENOMEM;
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
			if (vm_enough_memory(mm, nrpages))
				return -ENOMEM;
			*newflags |= VM_ACCOUNT;
			return (long)nrpages;
		}
	} else if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) && !vma->anon_vma) {
		/* Never written: the charge can be given back. */
		*newflags &= ~VM_ACCOUNT;
	}
	return 0;
}

/* mprotect_fixup: [start, end) of vma gets newflags. */
static int mprotect_fixup(struct umm_mm *mm, struct vma *vma, unsigned long start,
			  unsigned long end, vm_flags_t newflags)
{
	vm_flags_t oldflags = vma->vm_flags;
	unsigned long nrpages = (end - start) >> PAGE_SHIFT;
	long charged;
	int err;

	if (oldflags & VM_SEALED)
		return -EPERM;
	if (newflags == oldflags)
		return 0;
	charged = fixup_charge(mm, vma, oldflags, &newflags, nrpages);
	if (charged < 0)
		return (int)charged;
	vma = vma_modify_flags(mm, vma, start, end, newflags, &err);
	if (!vma) {
		vm_unacct_memory(mm, (unsigned long)charged);
		return err;
	}
	change_protection(mm, vma, start, end, oldflags);
	if ((oldflags & VM_ACCOUNT) && !(newflags & VM_ACCOUNT))
		vm_unacct_memory(mm, nrpages);
	vm_stat_account(mm, oldflags, -(long)nrpages);
	vm_stat_account(mm, newflags, (long)nrpages);
	return 0;
}

/* The first VMA and the real start, with PROT_GROWSDOWN's extension. */
static int mprotect_first(struct umm_mm *mm, struct mprotect_state *s, bool growsdown,
			  struct vma **first)
{
	struct vma *vma = find_vma_intersection(mm, s->start, s->end);

	if (!vma)
		return -ENOMEM;
	if (growsdown) {
		if (vma->vm_start >= s->end)
			return -ENOMEM;
		s->start = vma->vm_start;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
	} else if (vma->vm_start > s->start) {
		return -ENOMEM;
	}
	*first = vma;
	return 0;
}

static int mprotect_walk(struct umm_mm *mm, struct mprotect_state *s, struct vma *vma)
{
	unsigned long tmp = vma->vm_start, nstart = s->start;
	vm_flags_t newflags;
	int err;

	while (vma && vma->vm_start < s->end && nstart < s->end) {
		/* A VMA may start below tmp when the last fixup merged
		 * forwards into it; only a start above tmp is a hole. */
		if (vma->vm_start > tmp)
			return -ENOMEM;
		/* Once added, PROT_EXEC stays for the VMAs after this one. */
		if (s->rier && (vma->vm_flags & VM_MAYEXEC)) {
			s->prot |= UMM_PROT_EXEC;
			s->prot_flags |= VM_EXEC;
		}
		newflags = s->prot_flags | pkey_vm_flags(mprotect_pkey(mm, vma, s->prot, s->pkey)) |
			   (vma->vm_flags & ~(VM_ACCESS_FLAGS | VM_PKEY_MASK));
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS)
			return -EACCES;
		if (map_deny_write_exec(mm, vma->vm_flags, newflags))
			return -EACCES;
		tmp = vma->vm_end < s->end ? vma->vm_end : s->end;
		err = mprotect_fixup(mm, vma, nstart, tmp, newflags);
		if (err)
			return err;
		/* A merge may have swallowed next; look it up by address. */
		vma = find_vma(mm, tmp);
		nstart = tmp;
	}
	return tmp < s->end ? -ENOMEM : 0;
}

/*
 * do_mprotect_pkey. A key pkey_alloc did not hand out is refused with
 * EINVAL, after the argument checks; without PKU that is every key.
 */
static int do_mprotect_pkey(struct umm_mm *mm, unsigned long start, unsigned long len, int prot,
			    int pkey)
{
	unsigned long uprot = (unsigned int)prot;
	unsigned long grows = uprot & (UMM_PROT_GROWSDOWN | UMM_PROT_GROWSUP);
	struct mprotect_state s = { .start = start, .pkey = pkey };
	struct vma *vma;
	int err;

	if (!mm)
		return -EINVAL;
	uprot &= ~(unsigned long)(UMM_PROT_GROWSDOWN | UMM_PROT_GROWSUP);
	if (grows == (UMM_PROT_GROWSDOWN | UMM_PROT_GROWSUP))
		return -EINVAL;
	if (offset_in_page(start))
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	s.end = start + len;
	if (s.end <= start)
		return -ENOMEM;
	if (uprot & ~(unsigned long)(UMM_PROT_READ | UMM_PROT_WRITE | UMM_PROT_EXEC | UMM_PROT_SEM))
		return -EINVAL;
	s.prot = uprot;
	s.prot_flags = prot_to_vm(uprot);
	mm_lock(mm);
	s.rier = read_implies_exec(mm) && (uprot & UMM_PROT_READ);
	err = pkey_usable(mm, pkey) ? vt_reserve(&mm->tree) : -EINVAL;
	if (!err)
		err = mprotect_first(mm, &s, grows & UMM_PROT_GROWSDOWN, &vma);
	if (!err && (grows & UMM_PROT_GROWSUP))
		err = -EINVAL; /* x86 has no VM_GROWSUP VMAs */
	if (!err)
		err = mprotect_walk(mm, &s, vma);
	mm_unlock(mm);
	return err;
}

int umm_mprotect(struct umm_mm *mm, unsigned long start, unsigned long len, int prot)
{
	return do_mprotect_pkey(mm, start, len, prot, -1);
}

int umm_pkey_mprotect(struct umm_mm *mm, unsigned long start, unsigned long len, int prot,
		      int pkey)
{
	return do_mprotect_pkey(mm, start, len, prot, pkey);
}
