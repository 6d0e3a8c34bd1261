/*
 * msync.c - msync(2) and mincore(2): the two calls that look at a range
 * without changing it. mincore reports the pages of private anonymous
 * memory from the page tables, and of shared anonymous memory from its
 * page cache; the page cache of files is not modelled yet, so for them,
 * and for msync, what they decide is the kernel's argument and range
 * rules: which errno, and where a hole is only reported at the end.
 */
#include "core/file.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "mem/filemap.h"
#include "mem/memory.h"

#include <string.h>

#define MS_ASYNC UMM_MS_ASYNC
#define MS_INVALIDATE UMM_MS_INVALIDATE
#define MS_SYNC UMM_MS_SYNC

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

/*
 * The residency of n pages from start of v, a VMA without pages here.
 * can_do_mincore: anonymous memory, or a file the caller may write or
 * owns, shows the page cache: a shmem file's record, nothing for other
 * files (their page cache is not modelled); any other file reads as
 * resident.
 */
static void file_residency(const struct vma *v, unsigned long start, unsigned long n,
			   unsigned char *vec)
{
	struct umm_file *f = v->vm_file;
	unsigned long first = v->vm_pgoff + ((start - v->vm_start) >> PAGE_SHIFT);
	bool shown = vma_is_anonymous(v) || !f || (f->desc.mode & UMM_FILE_WRITE) || f->desc.owner;

	if (!shown || !f || f->desc.kind != UMM_FILE_SHMEM || vma_is_anonymous(v)) {
		memset(vec, !shown, n);
		return;
	}
	for (unsigned long i = 0; i < n; i++)
		vec[i] = file_cache_any(f, first + i, 1);
}

/* The copy-out of n residency bytes: to a user address of the space
 * (checked), and to the caller's buffer if there is one. */
struct mincore_out {
	bool user;            /* vec_addr is an address in the space */
	unsigned long vec_addr;
	unsigned char *buf;   /* may be NULL */
};

/* The residency of the n pages from start, all inside v, is worked out
 * a chunk at a time (the kernel's temporary page), then copied out: to
 * the guest as the kernel's copy_to_user writes it (faults, and the
 * bytes before a failing one, included), and to the caller's buffer. */
#define MINCORE_CHUNK 4096UL
static int mincore_copy(struct umm_mm *mm, struct mincore_out *o, struct vma *v,
			unsigned long start, unsigned long n)
{
	unsigned char tmp[MINCORE_CHUNK];

	if (!o->user && !o->buf)
		return -EFAULT;
	while (n) {
		unsigned long k = n < MINCORE_CHUNK ? n : MINCORE_CHUNK;

		if (vma_has_pages(v))
			pages_resident(mm, v, start, k, tmp);
		else
			file_residency(v, start, k, tmp);
		if (o->buf) {
			memcpy(o->buf, tmp, k);
			o->buf += k;
		}
		if (o->user && copy_to_user(mm, o->vec_addr, tmp, k) < k)
			return -EFAULT;
		o->vec_addr += k;
		start += k << PAGE_SHIFT;
		n -= k;
	}
	return 0;
}

static int do_mincore(struct umm_mm *mm, unsigned long start, unsigned long len,
		      struct mincore_out *o)
{
	unsigned long pages, end, n;
	struct vma *v;
	int err = 0;

	if (!mm || offset_in_page(start))
		return -EINVAL;
	/* access_ok: the range must not wrap nor end past the last user
	 * page (USER_PTR_MAX, which is the task size here). */
	if (start + len < start || start + len > mm->cfg.task_size)
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + (offset_in_page(len) != 0);
	if (o->user && (o->vec_addr + pages < o->vec_addr ||
			o->vec_addr + pages > mm->cfg.task_size))
		return -EFAULT;
	mm_lock(mm);
	for (; pages; pages -= n, start += n << PAGE_SHIFT) {
		v = vma_lookup(mm, start);
		if (!v) {
			err = -ENOMEM;
			break;
		}
		end = v->vm_end < start + (pages << PAGE_SHIFT) ? v->vm_end
								: start + (pages << PAGE_SHIFT);
		n = (end - start) >> PAGE_SHIFT;
		err = mincore_copy(mm, o, v, start, n);
		if (err)
			break;
	}
	mm_unlock(mm);
	return err;
}

int umm_mincore(struct umm_mm *mm, unsigned long start, unsigned long len, unsigned char *vec)
{
	struct mincore_out o = { .buf = vec };

	return do_mincore(mm, start, len, &o);
}

int umm_mincore_user(struct umm_mm *mm, unsigned long start, unsigned long len,
		     unsigned long vec_addr, unsigned char *out)
{
	struct mincore_out o = { .user = true, .vec_addr = vec_addr, .buf = out };

	return do_mincore(mm, start, len, &o);
}
