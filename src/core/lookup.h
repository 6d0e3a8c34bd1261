/*
 * lookup.h - VMAs by address: find_vma and its relatives, as the kernel
 * names them, answered by the space's index (vma_tree.c).
 */
#ifndef UMM_CORE_LOOKUP_H
#define UMM_CORE_LOOKUP_H

#include "core/mm.h"
#include "core/vma.h"
#include "core/vma_tree.h"

/* find_vma: the first VMA with vm_end > addr, or NULL. */
static inline struct vma *find_vma(const struct umm_mm *mm, unsigned long addr)
{
	return vt_find(&mm->tree, addr);
}

/* find_vma for queries from outside the calls (umm_find_vma, the
 * iterator): it leaves the index's cursor to the calls. */
static inline struct vma *find_vma_peek(const struct umm_mm *mm, unsigned long addr)
{
	return vt_find_peek(&mm->tree, addr);
}

/* The last VMA with vm_start < addr, or NULL. */
static inline struct vma *find_vma_prev_of(const struct umm_mm *mm, unsigned long addr)
{
	return vt_find_prev(&mm->tree, addr);
}

/* The first VMA intersecting [start, end), or NULL. */
static inline struct vma *find_vma_intersection(const struct umm_mm *mm, unsigned long start,
						unsigned long end)
{
	struct vma *v = find_vma(mm, start);

	return v && v->vm_start < end ? v : NULL;
}

/* vma_lookup: the VMA containing addr, or NULL. */
static inline struct vma *vma_lookup(const struct umm_mm *mm, unsigned long addr)
{
	struct vma *v = find_vma(mm, addr);

	return v && v->vm_start <= addr ? v : NULL;
}

#endif
