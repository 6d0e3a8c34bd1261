/*
 * vma_tree.c - the VMA index: what the maple tree is to the kernel.
 *
 * An AVL tree keyed by vm_start. Each node also carries, for its whole
 * subtree, the lowest start, the highest end and the largest hole between
 * two of its VMAs. Those three values are enough to find the lowest or the
 * highest free range of a given size inside given limits in O(log n), and
 * they depend only on the subtree's own VMAs, so changing one VMA's extent
 * only means recomputing its ancestors.
 *
 * Lookups (find_vma and friends) walk down from the root; insertion and
 * removal are recursive (the depth is below 1.45 log2 n, so under 30 for a
 * million VMAs).
 */
#include "internal.h"

#include <stdio.h>

static int height(const struct vma *n)
{
	return n ? n->height : 0;
}

static unsigned long max_ul(unsigned long a, unsigned long b)
{
	return a > b ? a : b;
}

/* Recomputes n's height and augmented values from its children. */
static void pull(struct vma *n)
{
	struct vma *l = n->left, *r = n->right;
	unsigned long gap = 0;

	n->height = 1 + (height(l) > height(r) ? height(l) : height(r));
	n->sub_start = l ? l->sub_start : n->vm_start;
	n->sub_end = r ? r->sub_end : n->vm_end;
	if (l)
		gap = max_ul(l->sub_max_gap, n->vm_start - l->sub_end);
	if (r)
		gap = max_ul(gap, max_ul(r->sub_max_gap, r->sub_start - n->vm_end));
	n->sub_max_gap = gap;
}

static struct vma *rotate_right(struct vma *n)
{
	struct vma *l = n->left;

	n->left = l->right;
	l->right = n;
	pull(n);
	pull(l);
	return l;
}

static struct vma *rotate_left(struct vma *n)
{
	struct vma *r = n->right;

	n->right = r->left;
	r->left = n;
	pull(n);
	pull(r);
	return r;
}

static struct vma *rebalance(struct vma *n)
{
	int bf;

	pull(n);
	bf = height(n->left) - height(n->right);
	if (bf > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (bf < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

static struct vma *insert_at(struct vma *n, struct vma *v)
{
	if (!n)
		return v;
	if (v->vm_start < n->vm_start)
		n->left = insert_at(n->left, v);
	else
		n->right = insert_at(n->right, v);
	return rebalance(n);
}

int vt_reserve(struct vma_tree *t)
{
	(void)t; /* the nodes are the VMAs themselves: nothing to reserve */
	return 0;
}

void vt_insert(struct vma_tree *t, struct vma *v)
{
	v->left = v->right = NULL;
	pull(v);
	t->root = insert_at(t->root, v);
	t->count++;
}

/* Detaches the leftmost node of n's subtree into *min. */
static struct vma *take_min(struct vma *n, struct vma **min)
{
	if (!n->left) {
		*min = n;
		return n->right;
	}
	n->left = take_min(n->left, min);
	return rebalance(n);
}

static struct vma *erase_at(struct vma *n, struct vma *v)
{
	struct vma *min;

	if (!n)
		return NULL;
	if (n != v) {
		if (v->vm_start < n->vm_start)
			n->left = erase_at(n->left, v);
		else
			n->right = erase_at(n->right, v);
		return rebalance(n);
	}
	if (!n->left || !n->right)
		return n->left ? n->left : n->right;
	n->right = take_min(n->right, &min);
	min->left = n->left;
	min->right = n->right;
	return rebalance(min);
}

void vt_erase(struct vma_tree *t, struct vma *v)
{
	t->root = erase_at(t->root, v);
	v->left = v->right = NULL;
	t->count--;
}

static void update_at(struct vma *n, struct vma *v)
{
	if (n != v)
		update_at(v->vm_start < n->vm_start ? n->left : n->right, v);
	pull(n);
}

void vt_update(struct vma_tree *t, struct vma *v)
{
	update_at(t->root, v);
}

struct vma *find_vma(const struct umm_mm *mm, unsigned long addr)
{
	struct vma *n = mm->tree.root, *best = NULL;

	while (n) {
		if (n->vm_end > addr) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vma *find_vma_prev_of(const struct umm_mm *mm, unsigned long addr)
{
	struct vma *n = mm->tree.root, *best = NULL;

	while (n) {
		if (n->vm_start < addr) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

struct vma *find_vma_intersection(const struct umm_mm *mm, unsigned long start,
				  unsigned long end)
{
	struct vma *v = find_vma(mm, start);

	return (v && v->vm_start < end) ? v : NULL;
}

struct vma *vma_lookup(const struct umm_mm *mm, unsigned long addr)
{
	struct vma *v = find_vma(mm, addr);

	return (v && v->vm_start <= addr) ? v : NULL;
}

/*
 * The free-range search. Holes are half-open [a, b); the end of the
 * address space is ULONG_MAX (the last byte can never hold a page). A
 * search is for `size` bytes inside [lo, hix).
 */
struct gap_query {
	unsigned long lo, hix, size;
	unsigned long first, last; /* the answer */
};

/* Does the hole [a, b), clipped to the query, hold size bytes? */
static bool hole_fits(const struct gap_query *q, unsigned long a, unsigned long b,
		      unsigned long *ca, unsigned long *cb)
{
	*ca = max_ul(a, q->lo);
	*cb = b < q->hix ? b : q->hix;
	return *ca < *cb && *cb - *ca >= q->size;
}

/* Can the span [a, b) around subtree n hold an answer at all? */
static bool span_may_fit(const struct gap_query *q, const struct vma *n, unsigned long a,
			 unsigned long b)
{
	if (a >= q->hix || b <= q->lo)
		return false;
	return n->sub_start - a >= q->size || b - n->sub_end >= q->size ||
	       n->sub_max_gap >= q->size;
}

/* n's subtree lies in [a, b): a is the end of the VMA before it. */
static bool lowest_in(struct gap_query *q, const struct vma *n, unsigned long a, unsigned long b)
{
	unsigned long ca, cb;

	if (!n) {
		if (!hole_fits(q, a, b, &ca, &cb))
			return false;
		q->first = ca;
		q->last = ca + q->size - 1;
		return true;
	}
	if (!span_may_fit(q, n, a, b))
		return false;
	return lowest_in(q, n->left, a, n->vm_start) || lowest_in(q, n->right, n->vm_end, b);
}

static bool highest_in(struct gap_query *q, const struct vma *n, unsigned long a,
		       unsigned long b)
{
	unsigned long ca, cb;

	if (!n) {
		if (!hole_fits(q, a, b, &ca, &cb))
			return false;
		q->last = cb - 1;
		q->first = cb - q->size;
		return true;
	}
	if (!span_may_fit(q, n, a, b))
		return false;
	return highest_in(q, n->right, n->vm_end, b) || highest_in(q, n->left, a, n->vm_start);
}

static int empty_area(const struct vma_tree *t, unsigned long lo, unsigned long hi,
		      unsigned long size, unsigned long *first, unsigned long *last, bool rev)
{
	struct gap_query q = { lo, hi == ULONG_MAX ? ULONG_MAX : hi + 1, size, 0, 0 };
	bool found;

	if (size == 0 || lo > hi)
		return -EINVAL;
	found = rev ? highest_in(&q, t->root, 0, ULONG_MAX) : lowest_in(&q, t->root, 0, ULONG_MAX);
	if (!found)
		return -ENOMEM;
	*first = q.first;
	*last = q.last;
	return 0;
}

int vt_empty_area(const struct vma_tree *t, unsigned long lo, unsigned long hi,
		  unsigned long size, unsigned long *first, unsigned long *last)
{
	return empty_area(t, lo, hi, size, first, last, false);
}

int vt_empty_area_rev(const struct vma_tree *t, unsigned long lo, unsigned long hi,
		      unsigned long size, unsigned long *first, unsigned long *last)
{
	return empty_area(t, lo, hi, size, first, last, true);
}

/* Recomputes what pull() would store and compares; returns subtree size. */
static long check_node(const struct vma *n, char *msg, size_t len)
{
	struct vma copy;
	long l, r;

	if (!n)
		return 0;
	l = check_node(n->left, msg, len);
	r = check_node(n->right, msg, len);
	if (l < 0 || r < 0)
		return -1;
	if ((n->left && n->left->vm_start >= n->vm_start) ||
	    (n->right && n->right->vm_start <= n->vm_start)) {
		snprintf(msg, len, "index out of order at %#lx", n->vm_start);
		return -1;
	}
	copy = *n;
	pull(&copy);
	if (copy.height != n->height || copy.sub_start != n->sub_start ||
	    copy.sub_end != n->sub_end || copy.sub_max_gap != n->sub_max_gap) {
		snprintf(msg, len, "stale index data at %#lx", n->vm_start);
		return -1;
	}
	if (height(n->left) - height(n->right) > 1 || height(n->right) - height(n->left) > 1) {
		snprintf(msg, len, "index unbalanced at %#lx", n->vm_start);
		return -1;
	}
	return l + r + 1;
}

int vt_check(const struct vma_tree *t, char *msg, size_t len)
{
	long n = check_node(t->root, msg, len);

	if (n < 0)
		return -EUCLEAN;
	if ((unsigned long)n != t->count) {
		snprintf(msg, len, "index holds %ld nodes, count says %lu", n, t->count);
		return -EUCLEAN;
	}
	return 0;
}
