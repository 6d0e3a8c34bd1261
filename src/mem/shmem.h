/*
 * shmem.h - the pages of shared anonymous memory (shmem.c): the page
 * cache of the hidden shmem file behind a MAP_SHARED|MAP_ANONYMOUS (or
 * shared /dev/zero) mapping, which every space sharing the mapping after
 * fork reaches through its VMA's file.
 *
 * The cache holds one reference on each of its pages; every PTE mapping
 * one holds another. A page's mapping is its file while it is in the
 * cache, NULL once a hole was punched over it.
 */
#ifndef UMM_MEM_SHMEM_H
#define UMM_MEM_SHMEM_H

#include "core/file.h"
#include "core/mm.h"
#include "mem/memory.h"

/* The file page at addr of v. */
static inline unsigned long linear_page_index(const struct vma *v, unsigned long addr)
{
	return v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);
}

/* The file's pages: the first past its end. */
static inline unsigned long shmem_eof(const struct umm_file *f)
{
	return (unsigned long)((f->desc.size + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

/*
 * shmem_get_folio for a fault: the page at index, a new zeroed one put in
 * the cache if it holds none, with a reference taken for the caller's
 * PTE. VM_FAULT_OOM without memory for the page or the cache's node;
 * VM_FAULT_SIGBUS when the file's pages belong to another physical
 * memory than mm's (spaces share shared memory only through fork, which
 * shares the physical memory too).
 */
enum vm_fault shmem_get_page(struct umm_mm *mm, struct umm_file *f, unsigned long index,
			     struct page **out);
/* filemap_map_pages' look-up: pages[i] is the cached page at first + i,
 * its reference taken, or NULL. */
void shmem_find_get_pages(struct umm_file *f, unsigned long first, unsigned long n,
			  struct page **pages);
/* Does the cache hold the page at index (mincore)? */
bool shmem_cached(struct umm_file *f, unsigned long index);
/* Does it hold one of [first, first + n) (MADV_COLLAPSE)? */
bool shmem_cached_any(struct umm_file *f, unsigned long first, unsigned long n);
/*
 * shmem_fallocate's hole punch (MADV_REMOVE): the pages [first, first + n)
 * leave the cache. mm's own entries in the range must be gone already;
 * other spaces that map a punched page drop it the next time they are
 * locked (shmem_sync_truncation).
 */
void shmem_punch_hole(struct umm_file *f, unsigned long first, unsigned long n);
/* Reclaim of a page no PTE maps any more (MADV_PAGEOUT): a clean one
 * leaves the cache and is freed; a dirty one stays, with no swap to
 * write it to. */
void shmem_reclaim_page(struct page *page);
/* The checker's: every cached page is a page of shared memory, holds a
 * reference, sits at its own index, and nrpages counts them. 0, or
 * -EUCLEAN with msg set. */
int shmem_check(struct umm_file *f, char *msg, size_t len);
/* mm->mem_sync: the entries of mm that map punched pages go. */
void shmem_sync_truncation(struct umm_mm *mm);

#endif
