/*
 * filemap.c - the page cache of shmem files (see filemap.h): a range set
 * of page indices on each umm_file, under the file's cache_lock, since
 * spaces in several threads may map one file. The hidden file of shared
 * anonymous memory has real pages instead (shmem.c).
 */
#include "core/file.h"
#include "core/range_set.h"
#include "core/vma.h"
#include "mem/filemap.h"
#include "mem/shmem.h"

#include <pthread.h>

static unsigned long page_of(const struct vma *v, unsigned long addr)
{
	return v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);
}

void vma_cache_fault(const struct vma *v, unsigned long start, unsigned long end, bool write)
{
	struct umm_file *f = v->vm_file;
	unsigned long first, last, eof;

	if (!f || f->desc.kind != UMM_FILE_SHMEM || f->desc.huge_shift || start >= end)
		return;
	if (write && !(v->vm_flags & VM_SHARED))
		return;
	/* Past the end of the file a fault finds no page (SIGBUS). */
	eof = (unsigned long)((f->desc.size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	first = page_of(v, start);
	last = page_of(v, end);
	if (last > eof)
		last = eof;
	if (first >= last)
		return;
	pthread_mutex_lock(&f->cache_lock);
	range_set_add(&f->cached, first, last);
	pthread_mutex_unlock(&f->cache_lock);
}

void file_cache_remove(struct umm_file *f, unsigned long first, unsigned long n)
{
	if (f->shmem_anon) {
		shmem_punch_hole(f, first, n);
		return;
	}
	pthread_mutex_lock(&f->cache_lock);
	if (!range_set_reserve(&f->cached))
		range_set_remove(&f->cached, first, first + n);
	pthread_mutex_unlock(&f->cache_lock);
}

bool file_cache_any(struct umm_file *f, unsigned long first, unsigned long n)
{
	bool any;

	if (f->shmem_anon)
		return shmem_cached_any(f, first, n);
	pthread_mutex_lock(&f->cache_lock);
	any = range_set_first(&f->cached, first, first + n) < first + n;
	pthread_mutex_unlock(&f->cache_lock);
	return any;
}

int umm_file_cache_add(struct umm_file *file, unsigned long first_page, unsigned long npages)
{
	int err;

	if (!file || first_page + npages < first_page)
		return -EINVAL;
	if (file->desc.kind != UMM_FILE_SHMEM || file->desc.huge_shift || !npages)
		return 0;
	pthread_mutex_lock(&file->cache_lock);
	err = range_set_add(&file->cached, first_page, first_page + npages);
	pthread_mutex_unlock(&file->cache_lock);
	return err;
}
