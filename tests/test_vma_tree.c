/*
 * test_vma_tree.c - the VMA index (vma_tree.c) against a brute-force
 * model: random insertions, removals and resizes, the transient overlaps
 * of a merge, large trees built in every order, free-range searches with
 * limits, and the promise behind vt_reserve (no insert needs more nodes
 * than it keeps). After each step find_vma, the previous-VMA lookup and
 * both free-range searches must agree with a scan of the model, and the
 * tree must pass its own structural check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/lookup.h"
#include "core/mm.h"
#include "core/vma.h"
#include "core/vma_tree.h"

#define SLOT_PAGES 16
#define SLOT_SIZE (SLOT_PAGES * PAGE_SIZE)
#define BASE 0x100000UL

static uint64_t rng = 12345;

static unsigned long rnd(unsigned long n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned long)(rng >> 33) % n;
}

/*
 * The model: slot i holds at most one VMA, inside [BASE + i * SLOT_SIZE,
 * + SLOT_SIZE), except that during an overlap step it may reach into the
 * next slot. So address order is slot order.
 */
static struct vma **slot;
static long nslots;

static long slot_of(unsigned long addr)
{
	if (addr < BASE)
		return -1;
	return (long)((addr - BASE) / SLOT_SIZE) < nslots ? (long)((addr - BASE) / SLOT_SIZE)
							 : nslots;
}

static struct vma *model_find(unsigned long addr)
{
	long k = slot_of(addr) - 1;

	for (long i = k < 0 ? 0 : k; i < nslots; i++)
		if (slot[i] && slot[i]->vm_end > addr)
			return slot[i];
	return NULL;
}

static struct vma *model_prev(unsigned long addr)
{
	long k = slot_of(addr);

	for (long i = k >= nslots ? nslots - 1 : k; i >= 0; i--)
		if (slot[i] && slot[i]->vm_start < addr)
			return slot[i];
	return NULL;
}

/* Does the hole [a, b) clipped to [lo, hi] hold size? Records the fit. */
static bool model_hole(unsigned long a, unsigned long b, unsigned long lo, unsigned long hi,
		       unsigned long size, bool rev, unsigned long *found)
{
	unsigned long ca = a > lo ? a : lo;
	unsigned long cb = hi == ULONG_MAX ? b : (b < hi + 1 ? b : hi + 1);

	if (ca >= cb || cb - ca < size)
		return false;
	*found = rev ? cb - size : ca;
	return true;
}

/* The holes between VMAs, clipped to [lo, hi]; lowest or highest fit. */
static int model_area(unsigned long lo, unsigned long hi, unsigned long size, bool rev,
		      unsigned long *first)
{
	unsigned long a = 0;
	bool any = false;

	for (long i = 0; i <= nslots; i++) {
		struct vma *v = i < nslots ? slot[i] : NULL;

		if (i < nslots && !v)
			continue;
		if (model_hole(a, v ? v->vm_start : ULONG_MAX, lo, hi, size, rev, first)) {
			any = true;
			if (!rev)
				break;
		}
		a = v ? v->vm_end : a;
	}
	return any ? 0 : -ENOMEM;
}

static unsigned long rnd_addr(void)
{
	return BASE + rnd((unsigned long)(nslots + 2) * SLOT_SIZE) - SLOT_SIZE;
}

/* Each leaf slot must be the address list's next VMA, with its extent
 * (what the library's checker asks too). */
static int leaf_matches_list(void *arg, const void *item, unsigned long start, unsigned long end,
			     char *msg, size_t len)
{
	const struct vma **next = arg, *v = item;

	if (v != *next || start != v->vm_start || end != v->vm_end) {
		snprintf(msg, len, "leaf slot %#lx-%#lx is not the list's next VMA", start, end);
		return -EUCLEAN;
	}
	*next = v->vm_next;
	return 0;
}

static void check_structure(struct umm_mm *mm)
{
	const struct vma *next = mm->first_vma;
	char msg[128] = "";
	int err = vt_check(&mm->tree, leaf_matches_list, &next, msg, sizeof(msg));

	if (err)
		fail_msg("vt_check: %s", msg);
	assert_null(next);
}

static void check_lookup(struct umm_mm *mm, unsigned long addr)
{
	unsigned long end = addr + 1 + rnd(2 * SLOT_SIZE);
	struct vma *want = model_find(addr);

	assert_ptr_equal(find_vma(mm, addr), want);
	assert_ptr_equal(find_vma_prev_of(mm, addr), model_prev(addr));
	assert_ptr_equal(vma_lookup(mm, addr), want && want->vm_start <= addr ? want : NULL);
	assert_ptr_equal(find_vma_intersection(mm, addr, end),
			 want && want->vm_start < end ? want : NULL);
}

static void check_lookups(struct umm_mm *mm, int n)
{
	for (int k = 0; k < n; k++)
		check_lookup(mm, rnd_addr());
}

/* Every page from a slot before slot i to one after slot i + 1. */
static void check_lookups_near(struct umm_mm *mm, long i)
{
	unsigned long from = BASE + (unsigned long)(i > 0 ? i - 1 : 0) * SLOT_SIZE;

	for (unsigned long a = from; a < BASE + (unsigned long)(i + 3) * SLOT_SIZE; a += PAGE_SIZE)
		check_lookup(mm, a);
}

static void check_area(struct umm_mm *mm, unsigned long lo, unsigned long hi, unsigned long size)
{
	unsigned long first = 0, last = 0, want = 0;

	for (int rev = 0; rev < 2; rev++) {
		int err = rev ? vt_empty_area_rev(&mm->tree, lo, hi, size, &first, &last)
			      : vt_empty_area(&mm->tree, lo, hi, size, &first, &last);
		int werr = model_area(lo, hi, size, rev, &want);

		assert_int_equal(err, werr);
		if (!err) {
			assert_int_equal(first, want);
			assert_int_equal(last, want + size - 1);
		}
	}
}

/* Limits inside the slots, at the edges of the space, and sizes from one
 * page to more than any hole. */
static void check_areas(struct umm_mm *mm, int n)
{
	unsigned long span = (unsigned long)nslots * SLOT_SIZE;

	for (int k = 0; k < n; k++) {
		unsigned long lo = rnd(8) ? BASE + rnd(span) : 0;
		unsigned long hi = rnd(8) ? lo + rnd(rnd(2) ? span : 64 * SLOT_SIZE) : ULONG_MAX;
		unsigned long size = rnd(16) ? PAGE_SIZE * (1 + rnd(40)) : 1 + rnd(span);

		check_area(mm, lo, hi, size);
	}
}

static void check_against_model(struct umm_mm *mm)
{
	check_structure(mm);
	check_lookups(mm, 20);
	check_areas(mm, 10);
}

/* vma_link after vt_reserve: the insert must take no more than the
 * height plus one nodes, all from what vt_reserve set aside. */
static void link_reserved(struct umm_mm *mm, struct vma *v)
{
	struct vt_chunk *chunks;
	unsigned long nfree, height;

	assert_int_equal(vt_reserve(&mm->tree), 0);
	chunks = mm->tree.chunks;
	nfree = mm->tree.nfree;
	height = mm->tree.height;
	vma_link(mm, v);
	assert_ptr_equal(mm->tree.chunks, chunks);
	assert_true(nfree - mm->tree.nfree <= height + 1);
}

static struct vma *new_vma(struct umm_mm *mm, unsigned long start, unsigned long end)
{
	struct vma *v = vma_alloc(mm);

	assert_non_null(v);
	v->vm_start = start;
	v->vm_end = end;
	return v;
}

/* A random extent inside slot i. */
static void slot_extent(long i, unsigned long *start, unsigned long *end)
{
	unsigned long a = rnd(SLOT_PAGES), b = a + 1 + rnd(SLOT_PAGES - a);

	*start = BASE + (unsigned long)i * SLOT_SIZE + a * PAGE_SIZE;
	*end = BASE + (unsigned long)i * SLOT_SIZE + b * PAGE_SIZE;
}

static void remove_slot(struct umm_mm *mm, long i)
{
	vma_unlink(mm, slot[i]);
	vma_free(mm, slot[i]);
	slot[i] = NULL;
}

static void random_step(struct umm_mm *mm)
{
	long i = (long)rnd((unsigned long)nslots);
	unsigned long start, end;

	slot_extent(i, &start, &end);
	if (!slot[i]) {
		slot[i] = new_vma(mm, start, end);
		link_reserved(mm, slot[i]);
	} else if (rnd(2)) {
		vma_set_range(mm, slot[i], start, end, 0);
	} else {
		remove_slot(mm, i);
	}
}

/*
 * What a merge does: the VMA in slot i grows over part or all of the
 * next one before that one shrinks or goes. Lookups and the structure
 * must hold in between; then slot i's VMA returns to its slot. It may
 * even grow past the next one's end (vma.c never does, but then ends are
 * out of order, which find_vma must survive).
 */
static void overlap_step(struct umm_mm *mm, bool check)
{
	long i = (long)rnd((unsigned long)nslots - 1);
	struct vma *v = slot[i], *next = slot[i + 1];
	unsigned long old_end, cut, room;

	if (!v || !next)
		return;
	old_end = v->vm_end;
	room = (BASE + (unsigned long)(i + 2) * SLOT_SIZE - next->vm_start) / PAGE_SIZE;
	cut = next->vm_start + PAGE_SIZE * (1 + rnd(rnd(4) ? vma_pages(next) : room));
	vma_set_range(mm, v, v->vm_start, cut, 0);
	if (check) {
		check_structure(mm);
		check_lookups_near(mm, i);
	}
	if (cut >= next->vm_end)
		remove_slot(mm, i + 1); /* erased while v overlaps it */
	else
		vma_set_range(mm, next, cut, next->vm_end, 0);
	vma_set_range(mm, v, v->vm_start, old_end, 0);
}

static struct umm_mm *setup(long n)
{
	struct umm_mm *mm = umm_mm_create(NULL);

	assert_non_null(mm);
	nslots = n;
	slot = calloc((size_t)n, sizeof(*slot));
	assert_non_null(slot);
	return mm;
}

static void teardown(struct umm_mm *mm)
{
	for (long i = 0; i < nslots; i++)
		if (slot[i])
			remove_slot(mm, i);
	assert_null(mm->tree.root);
	assert_int_equal(mm->tree.height, 0);
	assert_int_equal(mm->tree.count, 0);
	check_structure(mm);
	free(slot);
	slot = NULL;
	vt_destroy(&mm->tree); /* harmless if umm_mm_destroy does it again */
	umm_mm_destroy(mm);
}

static void index_matches_brute_force(void **state)
{
	struct umm_mm *mm = setup(512);

	(void)state;
	for (int step = 0; step < 8000; step++) {
		if (rnd(8))
			random_step(mm);
		else
			overlap_step(mm, true);
		check_against_model(mm);
	}
	teardown(mm);
}

static void empty_tree(void **state)
{
	struct umm_mm *mm = setup(1);
	unsigned long first, last;

	(void)state;
	check_against_model(mm);
	assert_null(find_vma(mm, 0));
	assert_null(find_vma(mm, ULONG_MAX));
	assert_null(find_vma_prev_of(mm, ULONG_MAX));
	assert_int_equal(vt_empty_area(&mm->tree, 0, ULONG_MAX, PAGE_SIZE, &first, &last), 0);
	assert_int_equal(first, 0);
	assert_int_equal(vt_empty_area_rev(&mm->tree, 0, ULONG_MAX, PAGE_SIZE, &first, &last), 0);
	assert_int_equal(last, ULONG_MAX - 1);
	assert_int_equal(vt_empty_area(&mm->tree, 5, 4, 1, &first, &last), -EINVAL);
	assert_int_equal(vt_empty_area(&mm->tree, 0, 4, 0, &first, &last), -EINVAL);
	teardown(mm);
}

/* Slots filled in order ord: 0 ascending, 1 descending, 2 random. */
static void fill_slots(struct umm_mm *mm, int ord)
{
	long *perm = malloc((size_t)nslots * sizeof(*perm));
	unsigned long start, end;

	assert_non_null(perm);
	for (long i = 0; i < nslots; i++)
		perm[i] = ord == 1 ? nslots - 1 - i : i;
	for (long i = nslots - 1; ord == 2 && i > 0; i--) {
		long j = (long)rnd((unsigned long)i + 1), tmp = perm[i];

		perm[i] = perm[j];
		perm[j] = tmp;
	}
	for (long i = 0; i < nslots; i++) {
		if (rnd(16) == 0)
			continue; /* leave some slots empty */
		slot_extent(perm[i], &start, &end);
		slot[perm[i]] = new_vma(mm, start, end);
		link_reserved(mm, slot[perm[i]]);
	}
	free(perm);
}

/* Big trees in each insertion order; then emptied in random order. */
static void large_trees(void **state)
{
	(void)state;
	for (int ord = 0; ord < 3; ord++) {
		struct umm_mm *mm = setup(200000);

		fill_slots(mm, ord);
		check_structure(mm);
		assert_true(mm->tree.height >= 4);
		check_lookups(mm, 2000);
		check_areas(mm, 100);
		for (long i = 0; i < nslots; i += 1 + (long)rnd(3))
			if (slot[i])
				remove_slot(mm, i);
		check_structure(mm);
		check_lookups(mm, 2000);
		check_areas(mm, 50);
		teardown(mm);
	}
}

/* 150,000 random steps on a few thousand VMAs, checked as they go. */
static void stress(void **state)
{
	struct umm_mm *mm = setup(6000);

	(void)state;
	fill_slots(mm, 2);
	for (int step = 1; step <= 150000; step++) {
		if (rnd(6))
			random_step(mm);
		else
			overlap_step(mm, step % 64 == 0);
		check_lookups(mm, 1);
		if (step % 500 == 0)
			check_areas(mm, 2);
		if (step % 5000 == 0)
			check_structure(mm);
	}
	teardown(mm);
}

/* Inserts three VMAs into empty slots after a single vt_reserve. Each
 * may split every level and grow the tree: none may need a new chunk. */
static bool three_after_one_reserve(struct umm_mm *mm)
{
	struct vt_chunk *chunks;
	unsigned long nfree, height, start, end;

	assert_int_equal(vt_reserve(&mm->tree), 0);
	chunks = mm->tree.chunks;
	nfree = mm->tree.nfree;
	height = mm->tree.height;
	for (int k = 0; k < 3; k++) {
		long i = (long)rnd((unsigned long)nslots);

		while (slot[i])
			i = (i + 1) % nslots;
		slot_extent(i, &start, &end);
		slot[i] = new_vma(mm, start, end);
		vma_link(mm, slot[i]);
	}
	assert_ptr_equal(mm->tree.chunks, chunks);
	assert_true(nfree - mm->tree.nfree <= 3 * height + 6);
	return mm->tree.height > height;
}

/*
 * One vt_reserve covers three inserts, however they fall: random triples
 * build a tree of 60,000 VMAs, the root splitting inside triples on the
 * way.
 */
static void reserve_covers_three_inserts(void **state)
{
	struct umm_mm *mm = setup(80000);
	int grown = 0;

	(void)state;
	for (int k = 0; k < 20000; k++)
		grown += three_after_one_reserve(mm);
	assert_true(grown >= 3);
	check_structure(mm);
	check_lookups(mm, 1000);
	teardown(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(index_matches_brute_force),
		cmocka_unit_test(empty_tree),
		cmocka_unit_test(large_trees),
		cmocka_unit_test(stress),
		cmocka_unit_test(reserve_covers_three_inserts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
