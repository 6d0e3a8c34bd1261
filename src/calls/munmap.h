/*
 * munmap.h - the state of a range removal shared by munmap, mmap
 * (MAP_FIXED replacing mappings) and brk: the kernel's
 * vma_munmap_struct.
 */
#ifndef UMM_MUNMAP_H
#define UMM_MUNMAP_H

#include "core/mm.h"
#include "core/vma.h"

struct vma_munmap_struct {
	unsigned long start, end;
	struct vma *first, *last;   /* the VMAs inside [start, end), after splitting */
	struct vma *prev, *next;    /* the neighbours outside the range */
	unsigned long vma_count;
	unsigned long nr_pages;     /* pages in the range */
	unsigned long nr_accounted; /* of which charged (VM_ACCOUNT) */
};

/*
 * Checks the range and splits the VMAs at its edges. On error the range
 * is as the kernel leaves it (a first split may have happened).
 */
int vms_gather(struct umm_mm *mm, struct vma_munmap_struct *vms, unsigned long start,
	       unsigned long end);
/* A caller failing after a successful gather: the edge splits stay. */
void vms_abort(struct umm_mm *mm, struct vma_munmap_struct *vms);
/* Removes the gathered VMAs, their counters and charges. */
void vms_complete(struct umm_mm *mm, struct vma_munmap_struct *vms);

/* do_vmi_munmap with mm locked. Returns 0 or a negative errno. */
int do_munmap(struct umm_mm *mm, unsigned long start, unsigned long len);

#endif
