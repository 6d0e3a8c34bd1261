/*
 * gup.c - populating ranges, as get_user_pages does for mlock,
 * MAP_POPULATE, mremap of locked memory (__mm_populate) and
 * MADV_POPULATE_READ/WRITE (faultin_page_range): each page of the range
 * is faulted in, in address order, and the first that cannot be stops
 * the VMA. The two entry points differ only in which VMAs they refuse
 * and how.
 */
#include "core/file.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "mem/filemap.h"
#include "mem/guard.h"
#include "mem/memory.h"
#include "mem/populate.h"

/* Does the page at end - 1 of v lie past its file's end (a fault there
 * is SIGBUS)? The hidden shmem object of shared anonymous memory is as
 * large as the mapping was made, while its pgoff keeps /dev/zero's. */
static bool range_past_eof(const struct vma *v, unsigned long end)
{
	const struct umm_file *f = v->vm_file;
	unsigned long long eof;

	if (!f || f->desc.dev_zero || f->desc.huge_shift)
		return false;
	eof = (f->desc.size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	return v->vm_pgoff + ((end - v->vm_start) >> PAGE_SHIFT) > eof;
}

/* The page-level faults of [start, end) in a VMA with pages: -EFAULT at
 * a guard marker, -ENOMEM without memory. */
static int faultin_pages(struct umm_mm *mm, struct vma *v, unsigned long start,
			 unsigned long end, bool write)
{
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		if (follow_page(mm, a, write))
			continue;
		switch (handle_pte_fault(mm, v, a, write)) {
		case VM_FAULT_DONE:
			break;
		case VM_FAULT_OOM:
			return -ENOMEM;
		default:
			return -EFAULT;
		}
	}
	return 0;
}

/*
 * The faults of [start, end) inside v, once the VMA was found fit:
 * -EFAULT at the first page that faults. A guard marker is SIGSEGV, a
 * page past a file's end SIGBUS. A write fault of private memory
 * prepares the anon_vma first, even when it then fails past the end.
 */
static int faultin_vma(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end,
		       bool write)
{
	unsigned long guard;

	if (vma_has_pages(v))
		return faultin_pages(mm, v, start, end, write);
	if (v->vm_flags & VM_HUGETLB)
		return -EFAULT; /* no page in the (empty) huge page pool */
	guard = guard_first(mm, start, end);
	if (guard == start)
		return -EFAULT;
	if ((write ? !(v->vm_flags & VM_SHARED) : read_fault_allocates(mm, v)) &&
	    anon_vma_prepare(mm, v))
		return -ENOMEM;
	vma_cache_fault(v, start, guard, write);
	return (guard < end || range_past_eof(v, end)) ? -EFAULT : 0;
}

/* populate_vma_page_range: I/O and lock-on-fault VMAs are left alone,
 * one without access, or under a key the PKRU shuts, faults. */
int populate_vma_page_range(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end)
{
	bool write = vma_populate_writes(v);

	if (v->vm_flags & (VM_IO | VM_PFNMAP | VM_LOCKONFAULT))
		return 0;
	if (!(v->vm_flags & VM_ACCESS_FLAGS) || !gup_pkru_allows(mm, v, write))
		return -EFAULT;
	return faultin_vma(mm, v, start, end, write);
}

int mm_populate(struct umm_mm *mm, unsigned long start, unsigned long end, bool ignore_errors)
{
	struct vma *v;
	int err;

	for (v = find_vma(mm, start); v && v->vm_start < end; v = v->vm_next) {
		err = populate_vma_page_range(mm, v, v->vm_start > start ? v->vm_start : start,
				   v->vm_end < end ? v->vm_end : end);
		if (err && !ignore_errors)
			return err;
	}
	return 0;
}

/* check_vma_flags as MADV_POPULATE asks it: such VMAs are -EINVAL. */
static bool faultin_refused(const struct umm_mm *mm, const struct vma *v, bool write)
{
	return (v->vm_flags & (VM_IO | VM_PFNMAP)) ||
	       !(v->vm_flags & (write ? VM_WRITE : VM_READ)) || !gup_pkru_allows(mm, v, write);
}

int faultin_page_range(struct umm_mm *mm, unsigned long start, unsigned long end, bool write)
{
	while (start < end) {
		struct vma *v = vma_lookup(mm, start);
		unsigned long stop;
		int err;

		if (!v)
			return -ENOMEM;
		if (faultin_refused(mm, v, write))
			return -EINVAL;
		stop = v->vm_end < end ? v->vm_end : end;
		err = faultin_vma(mm, v, start, stop, write);
		if (err)
			return err;
		start = stop;
	}
	return 0;
}
