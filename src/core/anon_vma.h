/*
 * anon_vma.h - the anon_vma objects and the VMAs' chains of them
 * (anon_vma.c), as the kernel's mm/rmap.c keeps them.
 *
 * An anon_vma stands for the anonymous pages one VMA made: a private VMA
 * gets one at its first write (anon_vma_prepare: a new root, or a
 * compatible neighbour's that no fork chained), and each VMA a fork
 * copies gets one of its own whose parent is the parent VMA's (or
 * reuses an ancestor no VMA uses any more). A VMA's chain lists every
 * anon_vma whose pages it may map: its ancestors' and its own, oldest
 * first. Splits, merges and moves give a VMA another's anon_vma and
 * chain unchanged.
 *
 * What this decides, as in the kernel: two VMAs merge only with the same
 * anon_vma, or one without; a VMA whose chain has more than one entry (a
 * fork child: vma_had_uncowed_parents) does not give its anon_vma to a
 * neighbour without one; anon_vma_prepare reuses only a neighbour's
 * with a single-entry chain.
 *
 * anon_vmas are shared by the spaces of a fork family, which other
 * threads may be working on: their counts are atomic. A chain never
 * changes once made, so the VMAs with the same chain share one object,
 * counted; a split or merge needs no memory.
 */
#ifndef UMM_CORE_ANON_VMA_H
#define UMM_CORE_ANON_VMA_H

#include "core/types.h"

struct umm_mm;
struct vma;
struct umm_allocator;

struct anon_vma {
	struct anon_vma *root;   /* the family's first; itself for a root */
	struct anon_vma *parent; /* the one it was forked from; itself for a root */
	/* Atomic counts: references (each chain holding it, each child);
	 * anon_vmas forked from it while chained anywhere, itself included
	 * for a root (num_children); VMAs whose anon_vma it is
	 * (num_active_vmas); VMAs whose chain holds it (its interval tree). */
	long refcount;
	long num_children;
	long num_active_vmas;
	long links;
	const struct umm_allocator *alloc;
};

struct anon_chain {
	long refcount; /* atomic: VMAs holding it */
	unsigned int n;
	const struct umm_allocator *alloc;
	struct anon_vma *avs[]; /* oldest first */
};

/* Does the chain reach a parent's anon_vma (vma_had_uncowed_parents)? */
static inline bool anon_chain_forked(const struct anon_chain *c)
{
	return c && c->n > 1;
}

/*
 * anon_vma_prepare: v (private, about to get anonymous pages) gets an
 * anon_vma if it has none: a compatible neighbour's, as
 * find_mergeable_anon_vma finds it, or a new root. 0 or -ENOMEM.
 */
int anon_vma_prepare(struct umm_mm *mm, struct vma *v);
/*
 * dst (which has none) takes anon_vma av and chain c, both counted
 * (anon_vma_clone for a split, dup_anon_vma for a merge, copy_vma).
 * Nothing when av is NULL.
 */
void vma_anon_attach(struct vma *dst, struct anon_vma *av, struct anon_chain *c);
/* unlink_anon_vmas: v lets go of its anon_vma and chain. */
void vma_anon_detach(struct vma *v);
/*
 * anon_vma_fork: the child's copy v of parent VMA pv gets its anon_vma
 * and chain (nothing if pv has none). 0 or -ENOMEM (v then has none).
 */
int anon_vma_fork(struct umm_mm *child, struct vma *v, const struct vma *pv);
/* A new root with a chain of its own, for a VMA the import says had
 * anonymous pages; NULL without memory. */
struct anon_chain *anon_chain_new_root(const struct umm_allocator *a);

#endif
