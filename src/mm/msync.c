/*
 * msync.c - msync(2) and mincore(2): the two calls that look at a range
 * without changing it. Until the memory layer exists there is no page
 * cache to write back and no page to report resident, so what they
 * decide is the kernel's argument and range rules: which errno, and
 * where a hole is only reported at the end.
 */
#include "internal.h"

#include <string.h>

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

/* The walk of msync: holes give ENOMEM at the end (at once for a plain
 * MS_ASYNC), an invalidate of locked memory gives EBUSY. */
static int msync_walk(struct umm_mm *mm, unsigned long start, unsigned long end, int flags)
{
	struct vma *v = find_vma(mm, start);
	int unmapped = 0;

	for (;;) {
		if (!v)
			return -ENOMEM;
		if (start < v->vm_start) {
			if (flags == MS_ASYNC)
				return -ENOMEM;
			start = v->vm_start;
			if (start >= end)
				return -ENOMEM;
			unmapped = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (v->vm_flags & VM_LOCKED))
			return -EBUSY;
		start = v->vm_end;
		if (start >= end)
			return unmapped;
		v = v->vm_next;
	}
}

int umm_msync(struct umm_mm *mm, unsigned long start, unsigned long len, int flags)
{
	unsigned long end;
	int err;

	if (!mm || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || offset_in_page(start))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	mm_lock(mm);
	err = msync_walk(mm, start, end, flags);
	mm_unlock(mm);
	return err;
}

/* can_do_mincore, as far as a handle tells: anonymous memory, or a file
 * the caller may write; otherwise every page reads as resident. */
static unsigned char hidden_residency(const struct vma *v)
{
	if (vma_is_anonymous(v) || !v->vm_file)
		return 0;
	return (v->vm_file->desc.mode & UMM_FILE_WRITE) ? 0 : 1;
}

int umm_mincore(struct umm_mm *mm, unsigned long start, unsigned long len, unsigned char *vec)
{
	unsigned long pages, end, n;
	struct vma *v;
	int err = 0;

	if (!mm || offset_in_page(start))
		return -EINVAL;
	/* access_ok: the range must not wrap nor reach the kernel half. */
	if (start + len < start || (long)(start + len) < 0)
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + (offset_in_page(len) != 0);
	if (pages && !vec)
		return -EFAULT;
	mm_lock(mm);
	for (; pages; pages -= n, start += n << PAGE_SHIFT, vec += n) {
		v = vma_lookup(mm, start);
		if (!v) {
			err = -ENOMEM;
			break;
		}
		end = v->vm_end < start + (pages << PAGE_SHIFT) ? v->vm_end
								: start + (pages << PAGE_SHIFT);
		n = (end - start) >> PAGE_SHIFT;
		memset(vec, hidden_residency(v), n);
	}
	mm_unlock(mm);
	return err;
}
