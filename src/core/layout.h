/*
 * layout.h - where things go (layout.c): mmap_base, the stack guard gap
 * and the free-area search behind mmap's placement.
 */
#ifndef UMM_CORE_LAYOUT_H
#define UMM_CORE_LAYOUT_H

#include "core/types.h"

struct umm_mm;
struct umm_file;
struct vma;

void mm_pick_layout(struct umm_mm *mm);
/* vm_start_gap: a VM_GROWSDOWN VMA keeps stack_guard_gap free below it. */
unsigned long vm_start_gap(const struct umm_mm *mm, const struct vma *v);
/* vm_unmapped_area_info. */
struct vma_search {
	unsigned long length;
	unsigned long low_limit, high_limit;
	unsigned long align_mask, align_offset;
};
/* vm_unmapped_area: the lowest (or with topdown the highest) fit. */
long vm_unmapped_area(struct umm_mm *mm, const struct vma_search *q, bool topdown);
/* __get_unmapped_area. Returns an address or a negative errno. */
long get_unmapped_area(struct umm_mm *mm, struct umm_file *file, unsigned long addr,
		       unsigned long len, unsigned long pgoff, unsigned long flags,
		       vm_flags_t vm_flags);

#endif
