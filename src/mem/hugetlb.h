/*
 * hugetlb.h - MAP_HUGETLB and hugetlbfs files (hugetlb.c): the hidden
 * file of an anonymous huge mapping and the checks hugetlbfs's ->mmap
 * makes. The huge page pool is taken as empty.
 */
#ifndef UMM_MEM_HUGETLB_H
#define UMM_MEM_HUGETLB_H

#include "core/file.h"
#include "core/mm.h"

/* The hidden hugetlbfs file of an anonymous MAP_HUGETLB mapping, and len
 * rounded up to its page size (wrapping to 0 as the kernel's ALIGN does). */
int hugetlb_anon_setup(struct umm_mm *mm, unsigned long flags, unsigned long *len,
		       struct umm_file **file);
/* hugetlbfs_file_mmap's checks: pgoff alignment and the reservation. */
int hugetlb_mmap_check(const struct umm_file *file, unsigned long pgoff, vm_flags_t vm_flags);

#endif
