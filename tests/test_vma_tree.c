/*
 * test_vma_tree.c - the VMA index against a brute-force model: random
 * insertions, removals and resizes, after each of which find_vma, the
 * previous-VMA lookup and both free-range searches must agree with a
 * linear scan, and the tree must pass its own structural check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../src/mm/internal.h"

#define SLOTS 512
#define SLOT_SIZE (16 * PAGE_SIZE)
#define BASE 0x100000UL

static uint64_t rng = 12345;

static unsigned long rnd(unsigned long n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned long)(rng >> 33) % n;
}

/* Each slot holds at most one VMA, somewhere inside the slot. */
static struct vma *slot[SLOTS];

static struct vma *model_find(unsigned long addr)
{
	for (int i = 0; i < SLOTS; i++)
		if (slot[i] && slot[i]->vm_end > addr)
			return slot[i];
	return NULL;
}

static struct vma *model_prev(unsigned long addr)
{
	struct vma *best = NULL;

	for (int i = 0; i < SLOTS; i++)
		if (slot[i] && slot[i]->vm_start < addr)
			best = slot[i];
	return best;
}

/* The holes between VMAs, clipped to [lo, hi]; lowest or highest fit. */
static int model_area(unsigned long lo, unsigned long hi, unsigned long size, bool rev,
		      unsigned long *first)
{
	unsigned long a = 0, found = 0;
	bool any = false;

	for (int i = 0; i <= SLOTS; i++) {
		struct vma *v = i < SLOTS ? slot[i] : NULL;
		unsigned long b = v ? v->vm_start : ULONG_MAX;
		unsigned long ca = a > lo ? a : lo, cb = b < hi + 1 ? b : hi + 1;

		if (i < SLOTS && !v)
			continue;
		if (ca < cb && cb - ca >= size) {
			found = rev ? cb - size : ca;
			any = true;
			if (!rev)
				break;
		}
		a = v ? v->vm_end : a;
	}
	*first = found;
	return any ? 0 : -ENOMEM;
}

static void check_against_model(struct umm_mm *mm)
{
	char msg[128];
	unsigned long lo, hi, size, first, last, want;
	int err, werr;

	assert_int_equal(vt_check(&mm->tree, msg, sizeof(msg)), 0);
	for (int k = 0; k < 20; k++) {
		unsigned long addr = BASE + rnd(SLOTS * SLOT_SIZE + 2 * SLOT_SIZE) - SLOT_SIZE;

		assert_ptr_equal(find_vma(mm, addr), model_find(addr));
		assert_ptr_equal(find_vma_prev_of(mm, addr), model_prev(addr));
	}
	for (int k = 0; k < 10; k++) {
		lo = BASE + rnd(SLOTS * SLOT_SIZE);
		hi = lo + rnd(SLOTS * SLOT_SIZE);
		size = PAGE_SIZE * (1 + rnd(40));
		for (int rev = 0; rev < 2; rev++) {
			err = rev ? vt_empty_area_rev(&mm->tree, lo, hi, size, &first, &last)
				  : vt_empty_area(&mm->tree, lo, hi, size, &first, &last);
			werr = model_area(lo, hi, size, rev, &want);
			assert_int_equal(err, werr);
			if (!err) {
				assert_int_equal(first, want);
				assert_int_equal(last, want + size - 1);
			}
		}
	}
}

static void random_step(struct umm_mm *mm)
{
	int i = (int)rnd(SLOTS);
	unsigned long s0 = BASE + (unsigned long)i * SLOT_SIZE;
	unsigned long start = s0 + rnd(8) * PAGE_SIZE;
	unsigned long end = start + (1 + rnd(8)) * PAGE_SIZE;
	struct vma *v = slot[i];

	if (!v) {
		v = vma_alloc(mm);
		assert_non_null(v);
		v->vm_start = start;
		v->vm_end = end;
		vma_link(mm, v);
		slot[i] = v;
	} else if (rnd(2)) {
		vma_set_range(mm, v, start, end, 0);
	} else {
		vma_unlink(mm, v);
		vma_free(mm, v);
		slot[i] = NULL;
	}
}

static void index_matches_brute_force(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL);

	(void)state;
	assert_non_null(mm);
	for (int step = 0; step < 6000; step++) {
		random_step(mm);
		check_against_model(mm);
	}
	for (int i = 0; i < SLOTS; i++) {
		if (slot[i]) {
			vma_unlink(mm, slot[i]);
			vma_free(mm, slot[i]);
			slot[i] = NULL;
		}
	}
	assert_null(mm->tree.root);
	umm_mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(index_matches_brute_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
