/*
 * vma_tree.c - the VMA index: what the maple tree is to the kernel.
 *
 * A B+tree keyed by vm_start. A leaf holds up to 16 VMAs in address
 * order as parallel arrays (start, end, the VMA), so that a lookup reads
 * a couple of cache lines per level and dereferences no VMA until it has
 * its answer. An inner node holds per child the lowest start and the
 * highest end in it, the largest hole between two of its VMAs, and the
 * child: the same arrays, so one node layout and one set of slot moves
 * serve both. All leaves are at the same depth and every node but the
 * root keeps at least 8 slots, so a million VMAs take 5 to 7 levels.
 *
 * Node memory comes from chunks each tree owns (no global state): small
 * ones first, then 2 MiB chunks aligned for transparent huge pages, so
 * that a walk through a large tree does not miss the TLB at every level.
 * Freed nodes go to the tree's free list; chunks go back in vt_destroy.
 * vt_insert cannot fail because vt_reserve, which every call family runs
 * before it changes anything, keeps enough spare nodes for three inserts.
 *
 * The leaves cache each VMA's extent. vt_update finds a changed VMA by
 * its new start: no VMA passes a neighbour, so the largest cached start
 * not above it is the VMA's own or its predecessor's, and comparing
 * pointers tells which. Ends are not kept in order (during a merge one
 * VMA may overlap the next): find_vma takes the first slot whose highest
 * end is above the address, which is right either way.
 */
#include "core/alloc.h"
#include "core/vma_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAN 16             /* slots per node */
#define MIN_FILL (FAN / 2) /* slots every node but the root keeps */
#define FIRST_CHUNK (16UL << 10)
#define HUGE_CHUNK UMM_ALLOC_HUGE /* from here on chunks may be huge pages */
#define CHUNK_HEAD 64          /* struct vt_chunk, then the nodes */

/*
 * Slot i of a leaf is a VMA: its start, its end, gap 0 and the VMA.
 * Slot i of an inner node summarises a child the same way: its lowest
 * start, its highest end, the largest hole between two of its VMAs, the
 * child. Unused slots hold start = end = ULONG_MAX and ptr = NULL, so
 * lookups scan all 16 without reading n (another cache line).
 */
struct vt_node {
	_Alignas(64) unsigned long start[FAN];
	unsigned long end[FAN];
	void *ptr[FAN];
	unsigned long gap[FAN];
	unsigned int n;
};

struct vt_chunk {
	struct vt_chunk *next;
	size_t bytes;
};

struct slot {
	unsigned long start, end, gap;
	void *ptr;
};

static const struct slot empty_slot = { ULONG_MAX, ULONG_MAX, 0, NULL };

static unsigned long max_ul(unsigned long a, unsigned long b)
{
	return a > b ? a : b;
}

/* The hole between an end and the next start; none if they overlap. */
static unsigned long hole(unsigned long a, unsigned long b)
{
	return b > a ? b - a : 0;
}

static _Noreturn void index_broken(const char *what, unsigned long key)
{
	fprintf(stderr, "usermm: VMA index: %s (at %#lx)\n", what, key);
	abort();
}

/* The tree changed shape, or an inner key changed: the cursor's way
 * down may be wrong now. */
static void cursor_drop(struct vma_tree *t)
{
	t->cursor.ok = false;
}

/* ---- node memory ---- */

static unsigned long bump_left(const struct vma_tree *t)
{
	return (unsigned long)(t->bump_end - t->bump);
}

static void node_free(struct vma_tree *t, struct vt_node *nd)
{
	cursor_drop(t);
	nd->ptr[0] = t->free_nodes;
	t->free_nodes = nd;
	t->nfree++;
}

/* Adds a chunk, twice as large as the last up to 2 MiB. */
static int add_chunk(struct vma_tree *t)
{
	size_t bytes = t->next_chunk ? t->next_chunk : FIRST_CHUNK;
	struct vt_chunk *c = kmalloc_aligned(t->alloc, bytes, 64);

	if (!c)
		return -ENOMEM;
	c->next = t->chunks;
	c->bytes = bytes;
	t->chunks = c;
	/* What is left of the previous chunk goes to the free list. */
	t->nfree -= bump_left(t);
	while (t->bump < t->bump_end)
		node_free(t, t->bump++);
	t->bump = (struct vt_node *)((char *)c + CHUNK_HEAD);
	t->bump_end = t->bump + (bytes - CHUNK_HEAD) / sizeof(struct vt_node);
	t->nfree += bump_left(t);
	t->next_chunk = bytes >= HUGE_CHUNK ? HUGE_CHUNK : 2 * bytes;
	return 0;
}

/* An empty node; vt_reserve made sure there is one. */
static struct vt_node *node_new(struct vma_tree *t)
{
	struct vt_node *nd = t->free_nodes;

	if (nd) {
		t->free_nodes = nd->ptr[0];
	} else {
		if (t->bump == t->bump_end && add_chunk(t))
			index_broken("out of memory (an insert without vt_reserve)", 0);
		nd = t->bump++;
	}
	t->nfree--;
	cursor_drop(t);
	memset(nd->start, 0xff, sizeof(nd->start));
	memset(nd->end, 0xff, sizeof(nd->end));
	memset(nd->ptr, 0, sizeof(nd->ptr));
	memset(nd->gap, 0, sizeof(nd->gap));
	nd->n = 0;
	return nd;
}

int vt_reserve(struct vma_tree *t)
{
	/* Insert k (0, 1, 2) of a call can split every level of a tree
	 * already k levels taller, and add a root: h + k + 1 nodes. */
	unsigned long need = 3UL * t->height + 6;

	while (t->nfree < need)
		if (add_chunk(t))
			return -ENOMEM;
	return 0;
}

void vt_destroy(struct vma_tree *t)
{
	struct vt_chunk *c, *next;

	for (c = t->chunks; c; c = next) {
		next = c->next;
		kfree(t->alloc, c, c->bytes);
	}
	t->root = NULL;
	t->height = 0;
	t->free_nodes = t->bump = t->bump_end = NULL;
	t->nfree = 0;
	t->chunks = NULL;
	t->next_chunk = 0;
	cursor_drop(t);
}

/* ---- slots ---- */

static struct slot get_slot(const struct vt_node *nd, unsigned int i)
{
	return (struct slot){ nd->start[i], nd->end[i], nd->gap[i], nd->ptr[i] };
}

static void set_slot(struct vt_node *nd, unsigned int i, struct slot s)
{
	nd->start[i] = s.start;
	nd->end[i] = s.end;
	nd->gap[i] = s.gap;
	nd->ptr[i] = s.ptr;
}

/* Moves slots [from, n) by one: up (+1) to open `from`, down (-1) onto it. */
static void shift(struct vt_node *nd, unsigned int from, int by)
{
	unsigned int to = (unsigned int)((int)from + by);
	size_t cnt = nd->n - from;

	memmove(&nd->start[to], &nd->start[from], cnt * sizeof(nd->start[0]));
	memmove(&nd->end[to], &nd->end[from], cnt * sizeof(nd->end[0]));
	memmove(&nd->gap[to], &nd->gap[from], cnt * sizeof(nd->gap[0]));
	memmove(&nd->ptr[to], &nd->ptr[from], cnt * sizeof(nd->ptr[0]));
}

static void slot_insert(struct vt_node *nd, unsigned int pos, struct slot s)
{
	shift(nd, pos, 1);
	set_slot(nd, pos, s);
	nd->n++;
}

static void slot_remove(struct vt_node *nd, unsigned int pos)
{
	if (pos + 1 < nd->n)
		shift(nd, pos + 1, -1);
	set_slot(nd, --nd->n, empty_slot);
}

/* What a parent's slot says about nd. */
static struct slot summary(struct vt_node *nd)
{
	struct slot s = { nd->start[0], nd->end[0], nd->gap[0], nd };

	for (unsigned int i = 1; i < nd->n; i++) {
		s.gap = max_ul(s.gap, max_ul(nd->gap[i], hole(nd->end[i - 1], nd->start[i])));
		s.end = max_ul(s.end, nd->end[i]);
	}
	return s;
}

/* Recomputes slot i of nd from its child; false if nothing changed. */
static bool refresh(struct vma_tree *t, struct vt_node *nd, unsigned int i)
{
	struct slot s = summary(nd->ptr[i]);

	if (s.start == nd->start[i] && s.end == nd->end[i] && s.gap == nd->gap[i])
		return false;
	if (s.start != nd->start[i])
		cursor_drop(t);
	set_slot(nd, i, s);
	return true;
}

/* The node at level lv changed: brings its ancestors' slots up to date.
 * An unchanged slot leaves everything above it unchanged too. */
static void fix_up(struct vma_tree *t, struct vt_path *p, unsigned int lv)
{
	while (lv-- > 0)
		if (!refresh(t, p->node[lv], p->idx[lv]))
			return;
}

static unsigned int gather(const struct vt_node *nd, struct slot *buf)
{
	for (unsigned int i = 0; i < nd->n; i++)
		buf[i] = get_slot(nd, i);
	return nd->n;
}

static void fill(struct vt_node *nd, const struct slot *buf, unsigned int cnt)
{
	for (unsigned int i = 0; i < FAN; i++)
		set_slot(nd, i, i < cnt ? buf[i] : empty_slot);
	nd->n = cnt;
}

/* Deals the slots of a and b (and item, if given, at position at)
 * evenly between them, a first. */
static void deal(struct vma_tree *t, struct vt_node *a, struct vt_node *b,
		 const struct slot *item, unsigned int at)
{
	struct slot buf[2 * FAN + 1];
	unsigned int cnt = gather(a, buf);

	cursor_drop(t);
	cnt += gather(b, buf + cnt);
	if (item) {
		memmove(&buf[at + 1], &buf[at], (cnt - at) * sizeof(buf[0]));
		buf[at] = *item;
		cnt++;
	}
	fill(a, buf, (cnt + 1) / 2);
	fill(b, buf + (cnt + 1) / 2, cnt / 2);
}

/* ---- descent ---- */

/* How many of nd's starts are <= key (unused slots are ULONG_MAX). A
 * branch per slot, for the reason first_end_above gives. */
static unsigned int count_le(const struct vt_node *nd, unsigned long key)
{
	unsigned int c = 0;

	while (c < FAN && nd->start[c] <= key)
		c++;
	return c;
}

/* Narrows [*lo, *hi) to the keys whose way down by start takes slot i
 * of nd: those from its start (any below it, for the first slot) to the
 * next slot's start. */
static void narrow(const struct vt_node *nd, unsigned int i, unsigned long *lo, unsigned long *hi)
{
	if (i > 0)
		*lo = nd->start[i];
	if (i + 1 < FAN && nd->start[i + 1] < *hi)
		*hi = nd->start[i + 1];
}

/* The keys the cursor's way down serves, from the inner levels' keys. */
static void cursor_bound(const struct vma_tree *t)
{
	struct vt_cursor *c = (struct vt_cursor *)&t->cursor;

	c->lo = 0;
	c->hi = ULONG_MAX;
	for (unsigned int lv = 0; lv + 1 < t->height; lv++)
		narrow(c->path.node[lv], c->path.idx[lv], &c->lo, &c->hi);
	c->bounded = true;
}

/* Does the cursor's way down serve key? */
static bool cursor_serves(const struct vma_tree *t, unsigned long key)
{
	const struct vt_cursor *c = &t->cursor;

	if (!c->ok)
		return false;
	if (!c->bounded)
		cursor_bound(t);
	return key >= c->lo && key < c->hi;
}

/* The way down by start, without the cursor, and the keys it serves. */
static void descend_fresh(const struct vma_tree *t, unsigned long key, struct vt_path *p,
			  unsigned long *lo, unsigned long *hi)
{
	struct vt_node *nd = t->root;
	unsigned int lv, c;

	*lo = 0;
	*hi = ULONG_MAX;
	for (lv = 0; lv + 1 < t->height; lv++) {
		c = count_le(nd, key);
		p->node[lv] = nd;
		p->idx[lv] = c ? c - 1 : 0;
		narrow(nd, p->idx[lv], lo, hi);
		nd = nd->ptr[p->idx[lv]];
	}
	p->node[lv] = nd;
}

/*
 * Follows the largest start <= key down to a leaf (the first child where
 * there is none); the leaf's index is the count of its starts <= key.
 * The way down is the cursor's, or becomes it, and is returned in place:
 * the caller may move the leaf's index, and must drop the cursor before
 * it moves anything above.
 */
static struct vt_path *descend(const struct vma_tree *t, unsigned long key)
{
	/* The cursor is a cache: lookups of a const tree update it too. */
	struct vt_cursor *c = (struct vt_cursor *)&t->cursor;
	unsigned int leaf = t->height - 1;

	if (!cursor_serves(t, key)) {
		descend_fresh(t, key, &c->path, &c->lo, &c->hi);
		c->ok = c->lo < c->hi;
		c->bounded = true;
	}
	c->path.idx[leaf] = count_le(c->path.node[leaf], key);
	return &c->path;
}

/* Moves the path to the first slot of the next leaf; false at the end. */
static bool next_leaf(const struct vma_tree *t, struct vt_path *p)
{
	unsigned int lv = t->height - 1, k = lv;

	while (k > 0 && p->idx[k - 1] + 1 >= p->node[k - 1]->n)
		k--;
	if (k == 0)
		return false;
	p->idx[k - 1]++;
	for (; k <= lv; k++) {
		p->node[k] = p->node[k - 1]->ptr[p->idx[k - 1]];
		p->idx[k] = 0;
	}
	return true;
}

/* The path to item's leaf slot, found by key, its start. The cached
 * start may be stale (vt_update): the slot found by the new start is the
 * item's or its predecessor's. */
static struct vt_path *locate(struct vma_tree *t, const void *item, unsigned long key)
{
	unsigned int lv = t->height - 1;
	struct vt_node *leaf;
	struct vt_path *p;
	unsigned int c;

	if (!t->root)
		index_broken("lookup in an empty index", key);
	p = descend(t, key);
	leaf = p->node[lv];
	c = p->idx[lv];
	if (c && leaf->ptr[c - 1] == item) {
		p->idx[lv] = c - 1;
		return p;
	}
	if (c == leaf->n) {
		cursor_drop(t); /* the way down moves on past its keys */
		if (!next_leaf(t, p))
			index_broken("VMA not found", key);
		c = 0;
	}
	if (p->node[lv]->ptr[c] != item)
		index_broken("VMA not found", key);
	p->idx[lv] = c;
	return p;
}

/* ---- insertion ---- */

static void insert_slot(struct vma_tree *t, struct vt_path *p, unsigned int lv, struct slot item);

/* A full node at lv shares with a sibling that has room, so that
 * ascending or descending runs of inserts fill nodes instead of leaving
 * them half empty. */
static bool share(struct vma_tree *t, struct vt_path *p, unsigned int lv, const struct slot *item)
{
	struct vt_node *parent = p->node[lv - 1];
	unsigned int pi = p->idx[lv - 1], ai;
	struct vt_node *a, *b;

	if (pi > 0 && ((struct vt_node *)parent->ptr[pi - 1])->n < FAN)
		ai = pi - 1;
	else if (pi + 1 < parent->n && ((struct vt_node *)parent->ptr[pi + 1])->n < FAN)
		ai = pi;
	else
		return false;
	a = parent->ptr[ai];
	b = parent->ptr[ai + 1];
	deal(t, a, b, item, p->idx[lv] + (ai < pi ? a->n : 0));
	refresh(t, parent, ai);
	refresh(t, parent, ai + 1);
	fix_up(t, p, lv - 1);
	return true;
}

/* Splits the full node at lv, adding item; the new right half goes into
 * the parent, or under a new root. */
static void split(struct vma_tree *t, struct vt_path *p, unsigned int lv, const struct slot *item)
{
	struct vt_node *nd = p->node[lv], *right = node_new(t), *root;

	deal(t, nd, right, item, p->idx[lv]);
	if (lv == 0) {
		root = node_new(t);
		set_slot(root, 0, summary(nd));
		set_slot(root, 1, summary(right));
		root->n = 2;
		t->root = root;
		t->height++;
		return;
	}
	refresh(t, p->node[lv - 1], p->idx[lv - 1]);
	p->idx[lv - 1]++;
	insert_slot(t, p, lv - 1, summary(right));
}

/* Puts item at slot p->idx[lv] of the node at level lv. */
static void insert_slot(struct vma_tree *t, struct vt_path *p, unsigned int lv, struct slot item)
{
	struct vt_node *nd = p->node[lv];

	if (nd->n < FAN) {
		slot_insert(nd, p->idx[lv], item);
		fix_up(t, p, lv);
	} else if (lv == 0 || !share(t, p, lv, &item)) {
		split(t, p, lv, &item);
	}
}

static struct slot entry_slot(struct vt_entry e)
{
	return (struct slot){ e.start, e.end, 0, e.item };
}

void vt_insert(struct vma_tree *t, struct vt_entry e)
{
	struct slot item = entry_slot(e);
	t->count++;
	if (!t->root) {
		t->root = node_new(t);
		t->height = 1;
		slot_insert(t->root, 0, item);
		return;
	}
	insert_slot(t, descend(t, e.start), t->height - 1, item);
}

/* ---- removal ---- */

/* The root lost a slot: an empty leaf or a one-child inner root goes. */
static void shrink_root(struct vma_tree *t)
{
	struct vt_node *root = t->root;

	if (root->n == 0) {
		t->root = NULL;
		t->height = 0;
	} else if (root->n == 1 && t->height > 1) {
		t->root = root->ptr[0];
		t->height--;
	} else {
		return;
	}
	node_free(t, root);
}

/* The node at lv lost a slot: refill it from a sibling or merge them. */
static void after_remove(struct vma_tree *t, struct vt_path *p, unsigned int lv)
{
	struct vt_node *parent, *a, *b;
	unsigned int ai;

	if (lv == 0) {
		shrink_root(t);
		return;
	}
	if (p->node[lv]->n >= MIN_FILL) {
		fix_up(t, p, lv);
		return;
	}
	parent = p->node[lv - 1];
	ai = p->idx[lv - 1] > 0 ? p->idx[lv - 1] - 1 : 0;
	a = parent->ptr[ai];
	b = parent->ptr[ai + 1];
	if (a->n + b->n >= 2 * MIN_FILL) {
		deal(t, a, b, NULL, 0);
		refresh(t, parent, ai);
		refresh(t, parent, ai + 1);
		fix_up(t, p, lv - 1);
		return;
	}
	/* Too few for two nodes: b's slots join a's. */
	for (unsigned int i = 0; i < b->n; i++)
		set_slot(a, a->n + i, get_slot(b, i));
	a->n += b->n;
	node_free(t, b);
	slot_remove(parent, ai + 1);
	refresh(t, parent, ai);
	after_remove(t, p, lv - 1);
}

void vt_erase(struct vma_tree *t, const void *item, unsigned long start)
{
	unsigned int lv = t->height - 1;
	struct vt_path *p = locate(t, item, start);

	slot_remove(p->node[lv], p->idx[lv]);
	t->count--;
	after_remove(t, p, lv);
}

void vt_update(struct vma_tree *t, struct vt_entry e)
{
	unsigned int lv = t->height - 1;
	struct vt_path *p = locate(t, e.item, e.start);

	p->node[lv]->start[p->idx[lv]] = e.start;
	p->node[lv]->end[p->idx[lv]] = e.end;
	fix_up(t, p, lv);
}

/* ---- splits and merges in place ---- */

void vt_split(struct vma_tree *t, const void *linked, struct vt_entry lower, struct vt_entry upper)
{
	unsigned int lv = t->height - 1;
	struct vt_path *p = locate(t, linked, linked == lower.item ? lower.start : upper.start);
	struct vt_node *leaf = p->node[lv];

	set_slot(leaf, p->idx[lv], entry_slot(lower));
	p->idx[lv]++;
	t->count++;
	/* The two pieces cover what the one did: the leaf's summary stands. */
	if (leaf->n < FAN)
		slot_insert(leaf, p->idx[lv], entry_slot(upper));
	else
		insert_slot(t, p, lv, entry_slot(upper));
}

void vt_absorb(struct vma_tree *t, struct vt_entry grown, const struct vt_entry *gone,
	       unsigned int n)
{
	unsigned int lv = t->height - 1, k = 0;
	struct vt_path *p = locate(t, grown.item, grown.start);
	struct vt_node *leaf = p->node[lv];
	unsigned int i = p->idx[lv];

	leaf->end[i] = grown.end;
	for (; k < n && i + 1 < leaf->n && leaf->ptr[i + 1] == gone[k].item; k++) {
		slot_remove(leaf, i + 1);
		t->count--;
	}
	after_remove(t, p, lv);
	/* Those in the next leaf go one by one. */
	for (; k < n; k++)
		vt_erase(t, gone[k].item, gone[k].start);
}

/* ---- lookups ---- */

/*
 * The first slot whose end is above addr, FAN if none. Not a count: ends
 * are out of order while a merge overlaps two VMAs. A branch, not a
 * branch-free mask: the CPU then guesses the slot and starts loading the
 * next level before this one's keys arrive, which in a tree too large
 * for the cache is worth more than the mispredictions (measured: 1M
 * VMAs, 165 ns against 290 ns).
 */
static unsigned int first_end_above(const struct vt_node *nd, unsigned long addr)
{
	unsigned int i = 0;

	while (i < FAN && nd->end[i] <= addr)
		i++;
	return i;
}

/* Does a VMA before the cursor's leaf end above addr? Only one that
 * overlaps the next can, in the middle of a merge; the ancestors' slots
 * before the way down know the highest end there. */
static bool earlier_end_above(const struct vma_tree *t, unsigned long addr)
{
	const struct vt_path *p = &t->cursor.path;

	for (unsigned int lv = 0; lv + 1 < t->height; lv++)
		for (unsigned int j = 0; j < p->idx[lv]; j++)
			if (p->node[lv]->end[j] > addr)
				return true;
	return false;
}

/*
 * The cursor's leaf answers when addr lies at or above its first start
 * and no earlier VMA ends above addr: then the first slot of the leaf
 * that ends above addr is the answer, if there is one. Only end lines
 * are read, which the last lookup left in the cache. NULL: ask the tree.
 */
static void *find_cursor(const struct vma_tree *t, unsigned long addr)
{
	const struct vt_cursor *c = &t->cursor;
	const struct vt_node *leaf;
	unsigned int i;

	if (!c->ok)
		return NULL;
	leaf = c->path.node[t->height - 1];
	if (addr >= leaf->end[leaf->n - 1]) /* past the leaf, most likely */
		return NULL;
	i = first_end_above(leaf, addr);
	/* At slot 0 addr may lie in an earlier leaf's range. */
	if (i >= leaf->n || (i == 0 && addr < leaf->start[0]))
		return NULL;
	return earlier_end_above(t, addr) ? NULL : leaf->ptr[i];
}

void *vt_find_peek(const struct vma_tree *t, unsigned long addr)
{
	const struct vt_node *nd = t->root;
	unsigned int i;

	for (unsigned int lv = 1; nd; lv++) {
		i = first_end_above(nd, addr);
		if (i == FAN)
			return NULL;
		if (lv == t->height)
			return nd->ptr[i]; /* NULL if an unused slot */
		nd = nd->ptr[i];
	}
	return NULL;
}

void *vt_find(const struct vma_tree *t, unsigned long addr)
{
	/* The way down becomes the cursor, written as it goes. */
	struct vt_cursor *c = (struct vt_cursor *)&t->cursor;
	struct vt_node *nd = t->root;
	void *v = find_cursor(t, addr);
	unsigned int i;

	if (v)
		return v;
	c->ok = false;
	for (unsigned int lv = 0; nd; lv++) {
		i = first_end_above(nd, addr);
		if (i == FAN)
			return NULL;
		c->path.node[lv] = nd;
		c->path.idx[lv] = i;
		if (lv + 1 == t->height) {
			c->ok = nd->ptr[i] != NULL; /* NULL if an unused slot */
			c->bounded = false;
			return nd->ptr[i];
		}
		nd = nd->ptr[i];
	}
	return NULL;
}

void *vt_find_prev(const struct vma_tree *t, unsigned long addr)
{
	unsigned int leaf = t->height - 1, c;
	struct vt_path *p;

	if (!t->root || addr == 0)
		return NULL;
	p = descend(t, addr - 1);
	c = p->idx[leaf];
	return c ? p->node[leaf]->ptr[c - 1] : NULL;
}

/* ---- free-range search ---- */

/*
 * Holes are half-open [a, b); the address space ends at ULONG_MAX (its
 * last byte never holds a page). A search is for `size` bytes inside
 * [lo, hix). A slot's holes between its own VMAs lie inside [its start,
 * its end); the holes between slots are seen at the level above.
 */
struct gap_query {
	unsigned long lo, hix, size;
	unsigned int height;
	unsigned long first, last; /* the answer */
};

/* The hole [a, b) clipped to the query, if it holds size bytes. */
static bool clip(const struct gap_query *q, unsigned long a, unsigned long b, unsigned long *ca,
		 unsigned long *cb)
{
	*ca = max_ul(a, q->lo);
	*cb = b < q->hix ? b : q->hix;
	return *ca < *cb && *cb - *ca >= q->size;
}

/* Slot i's inner holes: worth descending into? */
static bool slot_may_fit(const struct gap_query *q, const struct vt_node *nd, unsigned int i,
			 unsigned int lv)
{
	unsigned long ca, cb;

	return lv + 1 < q->height && nd->gap[i] >= q->size &&
	       clip(q, nd->start[i], nd->end[i], &ca, &cb);
}

static bool lowest_in(struct gap_query *q, const struct vt_node *nd, unsigned int lv,
		      unsigned long a, unsigned long b)
{
	unsigned long ca, cb;

	for (unsigned int i = 0; a < q->hix; i++) {
		if (clip(q, a, i < nd->n ? nd->start[i] : b, &ca, &cb)) {
			q->first = ca;
			q->last = ca + q->size - 1;
			return true;
		}
		if (i == nd->n)
			break;
		if (slot_may_fit(q, nd, i, lv) &&
		    lowest_in(q, nd->ptr[i], lv + 1, nd->start[i], nd->end[i]))
			return true;
		a = nd->end[i];
	}
	return false;
}

static bool highest_in(struct gap_query *q, const struct vt_node *nd, unsigned int lv,
		       unsigned long a, unsigned long b)
{
	unsigned long ca, cb;

	for (unsigned int i = nd->n; b > q->lo; i--) {
		if (clip(q, i ? nd->end[i - 1] : a, b, &ca, &cb)) {
			q->last = cb - 1;
			q->first = cb - q->size;
			return true;
		}
		if (i == 0)
			break;
		if (slot_may_fit(q, nd, i - 1, lv) &&
		    highest_in(q, nd->ptr[i - 1], lv + 1, nd->start[i - 1], nd->end[i - 1]))
			return true;
		b = nd->start[i - 1];
	}
	return false;
}

static int empty_area(const struct vma_tree *t, unsigned long lo, unsigned long hi,
		      unsigned long size, unsigned long *first, unsigned long *last, bool rev)
{
	struct gap_query q = { lo, hi == ULONG_MAX ? ULONG_MAX : hi + 1, size, t->height, 0, 0 };
	static const struct vt_node none = { .start = { 0 }, .n = 0 };
	const struct vt_node *root = t->root ? t->root : &none;
	bool found;

	if (size == 0 || lo > hi)
		return -EINVAL;
	found = rev ? highest_in(&q, root, 0, 0, ULONG_MAX) : lowest_in(&q, root, 0, 0, ULONG_MAX);
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

/* ---- checking ---- */

struct check {
	const struct vma_tree *t;
	vt_check_item_fn item; /* the caller's view of each leaf slot */
	void *arg;
	unsigned long count;
	char *msg;
	size_t len;
};

static int bad(struct check *c, const char *what, unsigned long addr)
{
	snprintf(c->msg, c->len, "index: %s at %#lx", what, addr);
	return -EUCLEAN;
}

static int check_slots(struct check *c, const struct vt_node *nd, unsigned int lv)
{
	unsigned int least = lv ? MIN_FILL : (c->t->height > 1 ? 2 : 1);

	if (nd->n < least || nd->n > FAN)
		return bad(c, "node fill out of range", nd->start[0]);
	for (unsigned int i = 1; i < nd->n; i++)
		if (nd->start[i] <= nd->start[i - 1])
			return bad(c, "starts out of order", nd->start[i]);
	for (unsigned int i = nd->n; i < FAN; i++)
		if (nd->start[i] != ULONG_MAX || nd->end[i] != ULONG_MAX || nd->ptr[i] || nd->gap[i])
			return bad(c, "unused slot not cleared", nd->start[0]);
	return 0;
}

/* A leaf slot holds an item, with no gap of its own; the caller checks
 * the item and its extent. */
static int check_leaf_slot(struct check *c, const struct vt_node *nd, unsigned int i)
{
	if (!nd->ptr[i] || nd->gap[i])
		return bad(c, "bad leaf slot", nd->start[i]);
	c->count++;
	return c->item(c->arg, nd->ptr[i], nd->start[i], nd->end[i], c->msg, c->len);
}

static int check_node(struct check *c, const struct vt_node *nd, unsigned int lv)
{
	int err = check_slots(c, nd, lv);

	for (unsigned int i = 0; !err && i < nd->n; i++) {
		struct slot s;

		if (lv + 1 == c->t->height) {
			err = check_leaf_slot(c, nd, i);
			continue;
		}
		if (!nd->ptr[i])
			return bad(c, "missing child", nd->start[i]);
		s = summary(nd->ptr[i]);
		if (s.start != nd->start[i] || s.end != nd->end[i] || s.gap != nd->gap[i])
			return bad(c, "stale summary", nd->start[i]);
		err = check_node(c, nd->ptr[i], lv + 1);
	}
	return err;
}

/* A cursor in use must be a way down from the root, and the way a fresh
 * descent takes for the keys it claims to serve. */
static int check_cursor(struct check *c)
{
	const struct vt_cursor *cur = &c->t->cursor;
	unsigned int leaf = c->t->height - 1;
	unsigned long lo, hi;
	struct vt_path p;

	if (!cur->ok)
		return 0;
	if (!c->t->root || cur->path.node[0] != c->t->root)
		return bad(c, "cursor not from the root", 0);
	for (unsigned int lv = 0; lv < leaf; lv++)
		if (cur->path.idx[lv] >= cur->path.node[lv]->n ||
		    cur->path.node[lv]->ptr[cur->path.idx[lv]] != cur->path.node[lv + 1])
			return bad(c, "cursor path broken", cur->path.node[lv]->start[0]);
	if (!cur->bounded || cur->lo >= cur->hi)
		return 0;
	descend_fresh(c->t, cur->lo, &p, &lo, &hi);
	if (lo != cur->lo || hi != cur->hi || p.node[leaf] != cur->path.node[leaf])
		return bad(c, "stale cursor", cur->lo);
	return 0;
}

static int check_memory(struct check *c)
{
	unsigned long n = bump_left(c->t);

	for (const struct vt_node *nd = c->t->free_nodes; nd && n <= c->t->nfree; nd = nd->ptr[0])
		n++;
	if (n != c->t->nfree)
		return bad(c, "free node count wrong", c->t->nfree);
	return 0;
}

int vt_check(const struct vma_tree *t, vt_check_item_fn item, void *arg, char *msg, size_t len)
{
	struct check c = { t, item, arg, 0, msg, len };
	int err;

	if (!t->root != !t->height || t->height > VT_MAX_HEIGHT)
		return bad(&c, "bad height", t->height);
	err = t->root ? check_node(&c, t->root, 0) : 0;
	if (!err && c.count != t->count)
		err = bad(&c, "item count differs from the leaves", t->count);
	if (!err)
		err = check_cursor(&c);
	return err ? err : check_memory(&c);
}
