/*
 * vma.h - struct vma (vm_area_struct) and what vma.c does with it:
 * allocation, linking into the space, splitting, merging and the
 * attribute tests the calls and the checker share.
 *
 * Functions here expect mm->lock held.
 */
#ifndef UMM_CORE_VMA_H
#define UMM_CORE_VMA_H

#include "core/anon_name.h"
#include "core/anon_vma.h"
#include "core/file.h"
#include "core/types.h"

struct umm_mm;

/* vm_area_struct, 88 bytes. The index (vma_tree.c) keeps its own copy of
 * the extent. */
struct vma {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_pgoff;
	vm_flags_t vm_flags;
	struct umm_file *vm_file; /* holds a reference */
	enum umm_special special;
	/* The kernel left this VMA apart from an identical left neighbour
	 * (a failed call's split, a stack grown into it, an order of steps
	 * that never tried the merge); the checker must not demand it.
	 * Cleared when vm_start moves. (Here: the padding after special.) */
	bool kept_apart;
	/* The anon_vma (anon_vma.c): NULL until pages are faulted in;
	 * merging needs it NULL on one side or equal. Its chain, shared and
	 * counted, is the anon_vmas it may map pages of; a chain longer than
	 * one (a fork child) bars merges that would give the anon_vma to a
	 * VMA without one. (The maps import keeps odd markers here, without
	 * a chain, until it makes the objects.) */
	struct anon_vma *anon_vma;
	struct anon_chain *anon_chain;
	/* NULL, or a reference: only VMAs with equal names merge. */
	struct anon_vma_name *anon_name;

	/* Address order, for O(1) neighbours. */
	struct vma *vm_prev;
	struct vma *vm_next;
};

_Static_assert(sizeof(struct vma) == 88, "struct vma grew: a malloc size class up");

static inline unsigned long vma_pages(const struct vma *v)
{
	return (v->vm_end - v->vm_start) >> PAGE_SHIFT;
}

/* The protection key in a VMA's flags (VM_PKEY_BIT0..3). */
static inline int vma_pkey(const struct vma *v)
{
	return (int)((v->vm_flags & VM_PKEY_MASK) >> VM_PKEY_SHIFT);
}

/*
 * No vm_ops: plain anonymous memory, or a /dev/zero mapping that did not
 * become shmem (mmap_zero makes shmem only of VM_SHARED ones, so a
 * MAP_SHARED mapping of a read-only /dev/zero fd stays anonymous).
 */
static inline bool vma_is_anonymous(const struct vma *v)
{
	if (v->vm_file)
		return v->vm_file->desc.dev_zero && !(v->vm_flags & VM_SHARED);
	return v->special == UMM_SPECIAL_NONE;
}

/* The hidden shmem file of a shared anonymous mapping (shmem_anon_vm_ops). */
static inline bool vma_is_anon_shmem(const struct vma *v)
{
	return v->vm_file && v->vm_file->shmem_anon;
}

/*
 * thp_vma_suitable_order as __thp_vma_allowable_orders asks it outside
 * faults (smaps' THPeligible, MADV_COLLAPSE): at vm_end - PMD_SIZE, a
 * whole aligned PMD lies in v, and a file's offset is aligned like the
 * address. The subtraction wraps for a VMA that ends below PMD_SIZE, and
 * then the test passes: measured with VMAs at address 0.
 */
static inline bool vma_thp_suitable(const struct vma *v)
{
	unsigned long haddr = (v->vm_end - PMD_SIZE) & ~(PMD_SIZE - 1);

	if (!vma_is_anonymous(v) &&
	    (((v->vm_start >> PAGE_SHIFT) - v->vm_pgoff) & ((PMD_SIZE >> PAGE_SHIFT) - 1)))
		return false;
	return haddr >= v->vm_start && haddr + PMD_SIZE <= v->vm_end;
}

/* vm_ops->may_split: hugetlb VMAs split only at their page size. */
static inline int vma_may_split(const struct vma *v, unsigned long addr)
{
	unsigned int shift = v->vm_file ? v->vm_file->desc.huge_shift : 0;

	/* special_mapping_split: [vdso] and [vvar] are never split. */
	if (v->special != UMM_SPECIAL_NONE)
		return -EINVAL;

	return shift && (addr & ((1UL << shift) - 1)) ? -EINVAL : 0;
}

/* A zeroed VMA, from mm's cache of freed ones or mm's allocator. */
struct vma *vma_alloc(struct umm_mm *mm);
/* Frees the VMA (into mm's cache) and drops its file and anon name
 * references. Not linked. NULL is ignored. */
void vma_free(struct umm_mm *mm, struct vma *v);
void vma_cache_drain(struct umm_mm *mm);
/* A copy of v's attributes (not linked), taking a file reference and
 * one on its anon name. */
void vma_copy_attrs(struct vma *dst, const struct vma *src);
/* Links into the index and address list; map_count follows. */
void vma_link(struct umm_mm *mm, struct vma *v);
void vma_unlink(struct umm_mm *mm, struct vma *v);
/* Records that the kernel leaves the VMAs meeting at addr apart. */
void vma_mark_kept_apart(struct umm_mm *mm, unsigned long addr);
/* Changes the extent (and pgoff) of a linked VMA in place. The new start
 * must not equal another linked VMA's start (remove that one first). */
void vma_set_range(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end,
		   unsigned long pgoff);
/*
 * __split_vma with a preallocated spare: v keeps one side, spare becomes
 * the other and is linked. new_below: spare takes [vm_start, addr).
 * Cannot fail: limits are the caller's business.
 */
void vma_split_with(struct umm_mm *mm, struct vma *v, unsigned long addr, int new_below,
		    struct vma *spare);
/*
 * vma_modify_flags: gives [start, end) of vma (which contains it) the
 * flags newflags, merging with a neighbour where the kernel would,
 * otherwise splitting (each split refused with -ENOMEM at max_map_count;
 * a first split stays if the second fails, as in the kernel). Returns the
 * VMA that now covers exactly [start, end) with the flags set, or NULL
 * with *err set.
 */
struct vma *vma_modify_flags(struct umm_mm *mm, struct vma *vma, unsigned long start,
			     unsigned long end, vm_flags_t newflags, int *err);
/*
 * vma_modify_name: the same for a new anon name (NULL: none): merging
 * only with a neighbour that has that name. The returned VMA covers
 * exactly [start, end) and carries the name.
 */
struct vma *vma_modify_name(struct umm_mm *mm, struct vma *vma, unsigned long start,
			    unsigned long end, struct anon_vma_name *name, int *err);
/*
 * vma_merge_struct: one merge, with all its state: a range, the
 * attributes it would have, the neighbours it could join and, once
 * decided, which of them it does join. VMG_STATE starts one for a new
 * range without anon_vma or name (mmap, brk: the kernel's VMG_STATE);
 * VMG_VMA_STATE one for [start, end) of v with v's attributes (an
 * existing range, or one that v extends or leaves behind).
 */
struct vma_merge_struct {
	struct umm_mm *mm;
	struct vma *prev, *next; /* the VMAs on either side of the range, or NULL */
	struct vma *middle;      /* the VMA the range is part of (modify), or NULL */
	unsigned long start, end, pgoff;
	vm_flags_t flags;
	struct umm_file *file;
	struct anon_vma *anon_vma;
	struct anon_chain *anon_chain; /* the anon_vma's VMA's (middle, or mremap's source) */
	struct anon_vma_name *anon_name;
	bool merge_prev, merge_next; /* decided by the merge */
};

#define VMG_STATE(mm_, prev_, next_, start_, end_, flags_, file_, pgoff_)                  \
	((struct vma_merge_struct){ .mm = (mm_), .prev = (prev_), .next = (next_),        \
				    .start = (start_), .end = (end_), .pgoff = (pgoff_), \
				    .flags = (flags_), .file = (file_) })

#define VMG_VMA_STATE(mm_, v_, start_, end_)                                                \
	((struct vma_merge_struct){                                                         \
		.mm = (mm_), .prev = (v_)->vm_prev, .next = (v_)->vm_next,                    \
		.start = (start_), .end = (end_),                                            \
		.pgoff = (v_)->vm_pgoff + (((start_) - (v_)->vm_start) >> PAGE_SHIFT),       \
		.flags = (v_)->vm_flags, .file = (v_)->vm_file, .anon_vma = (v_)->anon_vma, \
		.anon_chain = (v_)->anon_chain, .anon_name = (v_)->anon_name })

/* can_vma_merge_after: may vmg->prev absorb the range (it ends at start,
 * with equal attributes and a pgoff that continues)? */
bool can_vma_merge_after(const struct vma_merge_struct *vmg);
/* can_vma_merge_before: may vmg->next absorb it from the left? */
bool can_vma_merge_before(const struct vma_merge_struct *vmg);
/*
 * vma_merge_new_range: the range, not yet mapped, joins prev and/or next
 * where the kernel would merge them; the survivor keeps any anon_vma
 * (the range's, as copy_vma passes it along). Returns the VMA now
 * covering the range, or NULL if nothing merged.
 */
struct vma *vma_merge_new_range(struct vma_merge_struct *vmg);
/* Would v, with anon_vma instead of its own, merge into prev if it were
 * a new range (the checker's and maps import's question)? */
bool vma_would_join_prev(const struct vma *prev, const struct vma *v,
			 const struct anon_vma *anon_vma);

#endif
