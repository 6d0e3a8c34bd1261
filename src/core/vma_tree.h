/*
 * vma_tree.h - the VMA index (a B+tree, see vma_tree.c; the kernel's
 * maple tree): items kept by their extents, the lookups by address and
 * the searches for free ranges. It never looks inside its items (VMAs):
 * an item is a pointer with the extent the caller gives.
 */
#ifndef UMM_CORE_VMA_TREE_H
#define UMM_CORE_VMA_TREE_H

#include "core/types.h"

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
	unsigned long count; /* items */

	/* Node memory, owned by this tree alone. */
	struct vt_node *free_nodes;         /* freed nodes, for reuse */
	struct vt_node *bump, *bump_end;    /* the untouched rest of the newest chunk */
	unsigned long nfree;                /* free_nodes plus the bump region */
	struct vt_chunk *chunks;            /* every chunk, for vt_destroy */
	size_t next_chunk;                  /* bytes of the chunk to get next */

	struct vt_cursor cursor;
};

/* An item and its extent [start, end). */
struct vt_entry {
	void *item;
	unsigned long start, end;
};

/*
 * Makes sure the index holds enough spare nodes that the inserts of one
 * call (at most three) cannot fail; each call family runs it before it
 * changes anything. 0 or -ENOMEM.
 */
int vt_reserve(struct vma_tree *t);
/* Cannot fail after vt_reserve. The start must differ from every other's. */
void vt_insert(struct vma_tree *t, struct vt_entry e);
/* Removes item, whose start is start. Works while it overlaps a
 * neighbour (in the middle of a merge). */
void vt_erase(struct vma_tree *t, const void *item, unsigned long start);
/*
 * The item's extent changed to e's, at once: one item at a time, its
 * start not passing or meeting a neighbour's (its end may overlap one).
 */
void vt_update(struct vma_tree *t, struct vt_entry e);
/*
 * vt_split: linked, an item of the index, was split in two, lower and
 * upper (one of them linked itself), which cover what it did: the index
 * learns both in one step. Cannot fail after vt_reserve.
 */
void vt_split(struct vma_tree *t, const void *linked, struct vt_entry lower, struct vt_entry upper);
/*
 * vt_absorb: the item of grown has grown (to grown's extent) over the n
 * items gone[], the next ones in address order: they leave the index,
 * in one step with the growth.
 */
void vt_absorb(struct vma_tree *t, struct vt_entry grown, const struct vt_entry *gone,
	       unsigned int n);
/* Returns the node memory; the tree is empty afterwards. */
void vt_destroy(struct vma_tree *t);

/* The first item whose end is above addr, or NULL (find_vma). */
void *vt_find(const struct vma_tree *t, unsigned long addr);
/* The same, leaving the cursor alone: for queries from outside a call. */
void *vt_find_peek(const struct vma_tree *t, unsigned long addr);
/* The last item whose start is below addr, or NULL. */
void *vt_find_prev(const struct vma_tree *t, unsigned long addr);

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

/*
 * Checks the index's own structure (fill, order, summaries, the cursor),
 * and hands each leaf slot in address order to item(), which checks the
 * item against its own view and returns 0 or -EUCLEAN with msg set.
 */
typedef int (*vt_check_item_fn)(void *arg, const void *item, unsigned long start,
				unsigned long end, char *msg, size_t len);
int vt_check(const struct vma_tree *t, vt_check_item_fn item, void *arg, char *msg, size_t len);

#endif
