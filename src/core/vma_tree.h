/*
 * vma_tree.h - the VMA index (a B+tree, see vma_tree.c, the kernel's
 * maple tree) with the address list beside it, and the lookups the
 * kernel answers from it (find_vma and friends, the gap searches).
 */
#ifndef UMM_CORE_VMA_TREE_H
#define UMM_CORE_VMA_TREE_H

#include "core/types.h"

struct vma;
struct umm_mm;

/* All zero is an empty tree; vt_destroy returns the node memory. */
struct vt_node;
struct vt_chunk;

#define VT_MAX_HEIGHT 24 /* needs 2 * 8^23 VMAs: more than fit in memory */

/* The way down to one slot: the node and slot index at each level. */
struct vt_path {
	struct vt_node *node[VT_MAX_HEIGHT];
	unsigned int idx[VT_MAX_HEIGHT];
};

/*
 * The last way down, kept for the next: a call works on one place, and
 * its lookups, splits and merges there find their leaf without a
 * descent (the kernel keeps a maple state for the same reason). It
 * serves every key in [lo, hi) while ok; any change to the tree's shape
 * or to an inner node's keys clears ok. A lookup by end (find_vma) keeps
 * its way without the bounds, which are worked out when first needed.
 */
struct vt_cursor {
	struct vt_path path;
	unsigned long lo, hi;
	bool ok, bounded;
};

struct vma_tree {
	const struct umm_allocator *alloc; /* node memory comes from here */
	struct vt_node *root;
	unsigned int height; /* levels, leaves included; 0 when empty */
	struct vma *first;
	struct vma *last;
	unsigned long count;

	/* Node memory, owned by this tree alone. */
	struct vt_node *free_nodes;         /* freed nodes, for reuse */
	struct vt_node *bump, *bump_end;    /* the untouched rest of the newest chunk */
	unsigned long nfree;                /* free_nodes plus the bump region */
	struct vt_chunk *chunks;            /* every chunk, for vt_destroy */
	size_t next_chunk;                  /* bytes of the chunk to get next */

	struct vt_cursor cursor;
};

/*
 * Makes sure the index holds enough spare nodes that the inserts of one
 * call (at most three) cannot fail; each call family runs it before it
 * changes anything. 0 or -ENOMEM.
 */
int vt_reserve(struct vma_tree *t);
/* Cannot fail after vt_reserve. v's start must differ from every other's. */
void vt_insert(struct vma_tree *t, struct vma *v);
/* Works while v overlaps a neighbour (in the middle of a merge). */
void vt_erase(struct vma_tree *t, struct vma *v);
/*
 * After changing v's vm_start or vm_end, at once: one VMA at a time, its
 * start not passing or meeting a neighbour's (its end may overlap one).
 */
void vt_update(struct vma_tree *t, struct vma *v);
/*
 * vt_split: v, linked, was split in two: v and piece, adjacent, now
 * cover what v did. piece joins the index beside v, and v's slot takes
 * its new extent, in one step. Cannot fail after vt_reserve.
 */
void vt_split(struct vma_tree *t, struct vma *v, struct vma *piece);
/*
 * vt_absorb: v has grown over gone[0..n), the VMAs right after it in
 * address order: they leave the index and v's slot takes its new end,
 * in one step.
 */
void vt_absorb(struct vma_tree *t, struct vma *v, struct vma *const *gone, unsigned int n);
/* Returns the node memory; the tree is empty afterwards (the VMAs and
 * the address list are the caller's). */
void vt_destroy(struct vma_tree *t);
/*
 * mas_empty_area / mas_empty_area_rev: the lowest (highest) free range of
 * at least size bytes inside [lo, hi] (hi inclusive). A hole counts with
 * its part inside [lo, hi]. Returns 0 and the range's clipped first and
 * last byte, or -ENOMEM.
 */
int vt_empty_area(const struct vma_tree *t, unsigned long lo, unsigned long hi,
		  unsigned long size, unsigned long *first, unsigned long *last);
int vt_empty_area_rev(const struct vma_tree *t, unsigned long lo, unsigned long hi,
		      unsigned long size, unsigned long *first, unsigned long *last);
/* Checks the index's own structure (fill, order, summaries, that the
 * leaves hold the address list in order with current extents). */
int vt_check(const struct vma_tree *t, char *msg, size_t len);

/* find_vma: the first VMA with vm_end > addr, or NULL. */
struct vma *find_vma(const struct umm_mm *mm, unsigned long addr);
/* find_vma for a query from outside the calls (umm_find_vma, the
 * iterator): it neither uses nor moves the cursor, which belongs to the
 * call working on its own place. */
struct vma *find_vma_peek(const struct umm_mm *mm, unsigned long addr);
/* The last VMA with vm_start < addr, or NULL. */
struct vma *find_vma_prev_of(const struct umm_mm *mm, unsigned long addr);
/* The first VMA intersecting [start, end), or NULL. */
struct vma *find_vma_intersection(const struct umm_mm *mm, unsigned long start,
				  unsigned long end);
/* vma_lookup: the VMA containing addr, or NULL. */
struct vma *vma_lookup(const struct umm_mm *mm, unsigned long addr);

#endif
