/*
 * anon_vma.c - owns the anon_vma objects and their chains (see
 * anon_vma.h): their making (anon_vma_prepare, anon_vma_fork, the
 * import's roots), the counts VMAs keep on them, and their freeing when
 * the last reference goes.
 */
#include "core/alloc.h"
#include "core/anon_vma.h"
#include "core/mm.h"
#include "core/vma.h"

static long add(long *count, long delta)
{
	return __atomic_add_fetch(count, delta, __ATOMIC_ACQ_REL);
}

static long load(const long *count)
{
	return __atomic_load_n(count, __ATOMIC_ACQUIRE);
}

static struct anon_vma *anon_vma_alloc(const struct umm_allocator *a)
{
	struct anon_vma *av = kzalloc(a, sizeof(*av));

	if (av) {
		av->root = av->parent = av;
		av->alloc = a;
	}
	return av;
}

/* put_anon_vma: the last reference frees it, and lets go of its parent. */
static void put_anon_vma(struct anon_vma *av)
{
	while (av && add(&av->refcount, -1) == 0) {
		struct anon_vma *parent = av->parent == av ? NULL : av->parent;

		kfree(av->alloc, av, sizeof(*av));
		av = parent;
	}
}

static size_t chain_size(unsigned int n)
{
	return sizeof(struct anon_chain) + n * sizeof(struct anon_vma *);
}

/* A chain of old's entries (none if NULL) and then last (if not NULL),
 * each counted; refcount 0 until a VMA takes it. */
static struct anon_chain *chain_make(const struct umm_allocator *a, const struct anon_chain *old,
				     struct anon_vma *last)
{
	unsigned int n = (old ? old->n : 0) + (last != NULL);
	struct anon_chain *c = kzalloc(a, chain_size(n));

	if (!c)
		return NULL;
	c->alloc = a;
	for (unsigned int i = 0; old && i < old->n; i++)
		c->avs[c->n++] = old->avs[i];
	if (last)
		c->avs[c->n++] = last;
	for (unsigned int i = 0; i < c->n; i++)
		add(&c->avs[i]->refcount, 1);
	return c;
}

static void chain_free(struct anon_chain *c)
{
	for (unsigned int i = 0; i < c->n; i++)
		put_anon_vma(c->avs[i]);
	kfree(c->alloc, c, chain_size(c->n));
}

void vma_anon_attach(struct vma *dst, struct anon_vma *av, struct anon_chain *c)
{
	if (!av)
		return;
	dst->anon_vma = av;
	dst->anon_chain = c;
	add(&av->num_active_vmas, 1);
	add(&c->refcount, 1);
	for (unsigned int i = 0; i < c->n; i++)
		add(&c->avs[i]->links, 1);
}

void vma_anon_detach(struct vma *v)
{
	struct anon_chain *c = v->anon_chain;

	if (!c) { /* none, or one of the import's markers */
		v->anon_vma = NULL;
		return;
	}
	add(&v->anon_vma->num_active_vmas, -1);
	/* An anon_vma no VMA chains any more no longer counts as its
	 * parent's child (a root counts itself). */
	for (unsigned int i = 0; i < c->n; i++)
		if (add(&c->avs[i]->links, -1) == 0)
			add(&c->avs[i]->parent->num_children, -1);
	if (add(&c->refcount, -1) == 0)
		chain_free(c);
	v->anon_vma = NULL;
	v->anon_chain = NULL;
}

/* anon_vma_compatible: neighbours whose flags differ only in access. */
static bool anon_vma_compatible(const struct vma *a, const struct vma *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_ACCESS_FLAGS | VM_IGNORE_MERGE)) &&
	       b->vm_pgoff == a->vm_pgoff + ((b->vm_start - a->vm_start) >> PAGE_SHIFT);
}

/* reusable_anon_vma: a neighbour's whose chain is that anon_vma alone. */
static const struct vma *mergeable_neighbour(const struct vma *v)
{
	const struct vma *n = v->vm_next, *p = v->vm_prev;

	if (n && n->anon_vma && !anon_chain_forked(n->anon_chain) && anon_vma_compatible(v, n))
		return n;
	if (p && p->anon_vma && !anon_chain_forked(p->anon_chain) && anon_vma_compatible(p, v))
		return p;
	return NULL;
}

struct anon_chain *anon_chain_new_root(const struct umm_allocator *a)
{
	struct anon_vma *av = anon_vma_alloc(a);
	struct anon_chain *c = av ? chain_make(a, NULL, av) : NULL;

	if (!c) {
		kfree(a, av, sizeof(*av));
		return NULL;
	}
	av->num_children = 1; /* the root's link to itself */
	return c;
}

int anon_vma_prepare(struct umm_mm *mm, struct vma *v)
{
	const struct vma *n;
	struct anon_chain *c;

	if (v->anon_vma)
		return 0;
	n = mergeable_neighbour(v);
	if (n) {
		vma_anon_attach(v, n->anon_vma, n->anon_chain);
		return 0;
	}
	c = anon_chain_new_root(mm->cfg.allocator);
	if (!c)
		return -ENOMEM;
	vma_anon_attach(v, c->avs[0], c);
	return 0;
}

/* anon_vma_clone's reuse: the oldest anon_vma of the chain that no VMA
 * uses and that has at most one child. A root never qualifies: it
 * counts itself, and has the child it was chained through. */
static struct anon_vma *reusable(const struct anon_chain *c)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (load(&c->avs[i]->num_children) < 2 && load(&c->avs[i]->num_active_vmas) == 0)
			return c->avs[i];
	return NULL;
}

int anon_vma_fork(struct umm_mm *child, struct vma *v, const struct vma *pv)
{
	const struct umm_allocator *a = child->cfg.allocator;
	struct anon_vma *av, *parent = pv->anon_vma;
	struct anon_chain *c;

	v->anon_vma = NULL;
	v->anon_chain = NULL;
	if (!parent)
		return 0;
	av = reusable(pv->anon_chain);
	if (av) { /* the same entries as the parent VMA's chain */
		vma_anon_attach(v, av, pv->anon_chain);
		return 0;
	}
	av = anon_vma_alloc(a);
	c = av ? chain_make(a, pv->anon_chain, av) : NULL;
	if (!c) {
		kfree(a, av, sizeof(*av));
		return -ENOMEM;
	}
	av->parent = parent;
	av->root = parent->root;
	add(&parent->refcount, 1);
	add(&parent->num_children, 1);
	vma_anon_attach(v, av, c);
	return 0;
}
