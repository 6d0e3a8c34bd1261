/*
 * calls.h - what the call families share among themselves: the range
 * check of madvise and mseal, the madvise walk (madvise and the
 * anon-name prctl), and MDWE's verdict (mmap and mprotect).
 */
#ifndef UMM_CALLS_H
#define UMM_CALLS_H

#include "core/mm.h"
#include "core/vma.h"

/*
 * check_input_range of madvise and mseal: start page aligned, len rounded
 * up to pages without wrapping (to 0 from just below 2^64, or past the
 * end of the address space). 0 with *end set, or -EINVAL.
 */
static inline int input_range_end(unsigned long start, unsigned long len, unsigned long *end)
{
	unsigned long alen = PAGE_ALIGN(len);

	if (offset_in_page(start) || (len && !alen) || start + alen < start)
		return -EINVAL;
	*end = start + alen;
	return 0;
}

/*
 * madvise_walk_vmas: visit() each VMA part of [start, end) in address
 * order, as madvise and the anon-name prctl do. visit may merge or split
 * and sets *v to the VMA now covering its part. The first error ends the
 * walk (earlier parts stay changed); a hole makes the result -ENOMEM once
 * the rest is done, and nothing mapped past a point is -ENOMEM at once.
 */
typedef int (*madvise_visit_fn)(struct umm_mm *mm, struct vma **v, unsigned long start,
				unsigned long end, void *arg);
int madvise_walk_vmas(struct umm_mm *mm, unsigned long start, unsigned long end,
		      madvise_visit_fn visit, void *arg);

/* map_deny_write_exec (prctl.c): MDWE refuses a VMA going from old to
 * new flags (mmap passes the new flags twice). */
bool map_deny_write_exec(const struct umm_mm *mm, vm_flags_t old, vm_flags_t new);

#endif
