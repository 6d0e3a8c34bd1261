/*
 * test_guard.c - the guard-marker set (guard.c) through the public calls:
 * random MADV_GUARD_INSTALL / MADV_GUARD_REMOVE over a mapping, checked
 * page by page with umm_fault against a plain array of booleans, then
 * munmap (drops markers) and mremap (moves them). The kernel's rules for
 * these calls are checked by test_oracle_madvise and test_oracle_mremap;
 * this test is about the range set's bookkeeping (joining, cutting and
 * moving ranges), which needs many more operations than a scenario has.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "usermm.h"

#define PAGE 4096UL
#define NPAGES 96
#define BASE 0x200000000000UL
#define MADV_GUARD_INSTALL 102
#define MADV_GUARD_REMOVE 103
#define SEGV_MAPERR_CODE UMM_FAULT_SIGNAL(UMM_SIGSEGV, UMM_SEGV_MAPERR)

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void expect_marks(struct umm_mm *mm, unsigned long base, const bool *marked)
{
	for (unsigned long i = 0; i < NPAGES; i++) {
		long r = umm_fault(mm, base + i * PAGE, UMM_ACCESS_READ, NULL);

		if (r != (marked[i] ? SEGV_MAPERR_CODE : 0))
			fail_msg("page %lu: umm_fault %ld, marked %d", i, r, marked[i]);
	}
}

static void random_install_remove(void **state)
{
	struct umm_config cfg;
	struct umm_mm *mm;
	bool marked[NPAGES] = { false };
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	(void)state;
	umm_config_init(&cfg);
	mm = umm_mm_create(&cfg);
	assert_int_equal(umm_mmap(mm, BASE, NPAGES * PAGE, 3, 0x32, NULL, 0), (long)BASE);
	for (int op = 0; op < 2000; op++) {
		unsigned long first = next(&seed) % NPAGES;
		unsigned long n = 1 + next(&seed) % (NPAGES - first);
		bool install = next(&seed) % 2;

		assert_int_equal(umm_madvise(mm, BASE + first * PAGE, n * PAGE,
					     install ? MADV_GUARD_INSTALL : MADV_GUARD_REMOVE),
				 0);
		for (unsigned long i = first; i < first + n; i++)
			marked[i] = install;
		if (op % 50 == 0)
			expect_marks(mm, BASE, marked);
	}
	expect_marks(mm, BASE, marked);
	/* mremap carries the markers; munmap drops them. */
	assert_int_equal(umm_mremap(mm, BASE, NPAGES * PAGE, NPAGES * PAGE, 3, BASE + (1UL << 30)),
			 (long)(BASE + (1UL << 30)));
	expect_marks(mm, BASE + (1UL << 30), marked);
	assert_int_equal(umm_munmap(mm, BASE + (1UL << 30), NPAGES * PAGE), 0);
	assert_int_equal(umm_mmap(mm, BASE + (1UL << 30), NPAGES * PAGE, 3, 0x32, NULL, 0),
			 (long)(BASE + (1UL << 30)));
	for (unsigned long i = 0; i < NPAGES; i++)
		marked[i] = false;
	expect_marks(mm, BASE + (1UL << 30), marked);
	umm_mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_install_remove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
