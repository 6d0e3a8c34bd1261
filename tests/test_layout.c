/*
 * test_layout.c - address space layout that the kernel randomises: with
 * ASLR on, mmap_base lies in the window the kernel's mmap_base() allows
 * (28 bits of pages below the stack gap), start_brk within 1 GiB above
 * its base, both page aligned; the same seed gives the same layout, and
 * different seeds different ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "usermm.h"

#define TASK_SIZE ((1UL << 47) - 4096)
/* The kernel's gap with randomisation: 8 MiB stack + 16 GiB - 4 KiB of
 * stack randomisation + 1 MiB guard. */
#define GAP ((8UL << 20) + (0x3fffffUL << 12) + (1UL << 20))

static struct umm_mm_stats layout_of(uint64_t seed)
{
	struct umm_config cfg;
	struct umm_mm_stats st;
	struct umm_mm *mm;

	umm_config_init(&cfg);
	cfg.randomize = true;
	cfg.seed = seed;
	mm = umm_mm_create(&cfg);
	assert_non_null(mm);
	umm_mm_stats(mm, &st);
	umm_mm_destroy(mm);
	return st;
}

static void randomised_base_in_window(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed < 200; seed++) {
		struct umm_mm_stats st = layout_of(seed);
		unsigned long top = (TASK_SIZE - GAP) & ~4095UL;

		assert_true(st.mmap_base <= top);
		assert_true(st.mmap_base > top - (1UL << (28 + 12)));
		assert_int_equal(st.mmap_base & 4095, 0);
		assert_true(st.start_brk >= 0x555555559000UL);
		assert_true(st.start_brk < 0x555555559000UL + (1UL << 30));
		assert_int_equal(st.start_brk & 4095, 0);
		assert_int_equal(st.brk, st.start_brk);
	}
}

static void same_seed_same_layout(void **state)
{
	struct umm_mm_stats a = layout_of(42), b = layout_of(42), c = layout_of(43);

	(void)state;
	assert_int_equal(a.mmap_base, b.mmap_base);
	assert_int_equal(a.start_brk, b.start_brk);
	assert_true(a.mmap_base != c.mmap_base || a.start_brk != c.start_brk);
}

/* Without ASLR there is nothing random: the kernel's 0x7ffff7fff000. */
static void no_aslr_is_fixed(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL);
	struct umm_mm_stats st;

	(void)state;
	umm_mm_stats(mm, &st);
	assert_int_equal(st.mmap_base, 0x7ffff7fff000UL);
	assert_int_equal(umm_mmap(mm, 0, 4096, 3, 0x22, NULL, 0), 0x7ffff7ffe000L);
	umm_mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(randomised_base_in_window),
		cmocka_unit_test(same_seed_same_layout),
		cmocka_unit_test(no_aslr_is_fixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
