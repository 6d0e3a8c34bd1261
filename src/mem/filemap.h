/*
 * filemap.h - the page cache of shmem files, as a record of which page
 * indices it holds (filemap.c): faults and populates put pages there,
 * MADV_REMOVE takes them out, MADV_COLLAPSE asks. The record lives on
 * the umm_file, shared by every space that maps it, under its own lock.
 * For the hidden file of shared anonymous memory, which has real pages
 * (shmem.c), removing punches the hole and asking looks at them.
 */
#ifndef UMM_MEM_FILEMAP_H
#define UMM_MEM_FILEMAP_H

#include "core/vma.h"

/*
 * Faulting [start, end) of v in (one page, or a populate's range) puts
 * the pages of a shmem file into its page cache, except a write to a
 * private mapping, which copies a hole to an anonymous page instead.
 * Best effort: without memory for the record, the pages are not noted.
 */
void vma_cache_fault(const struct vma *v, unsigned long start, unsigned long end, bool write);
/* shmem_fallocate's hole punch (MADV_REMOVE): the file's pages
 * [first, first + n) leave the cache. */
void file_cache_remove(struct umm_file *f, unsigned long first, unsigned long n);
/* Does the page cache hold a page of [first, first + n) of f? */
bool file_cache_any(struct umm_file *f, unsigned long first, unsigned long n);

#endif
