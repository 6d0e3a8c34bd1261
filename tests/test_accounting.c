/*
 * test_accounting.c - the commit charge and the counters of mm_struct.
 *
 * Overcommit mode 2 cannot be driven through the oracle (it is a global
 * sysctl), so it was probed by hand on this machine: with CommitLimit
 * 12342040 kB and Committed_AS 3000964 kB the largest private writable
 * mmap that succeeded was 2335823 pages, i.e. the kernel refuses once
 * Committed_AS + pages reaches CommitLimit - admin_reserve_kbytes -
 * min(total_vm / 32, user_reserve_kbytes), up to the slack of its per-CPU
 * counter (about 2600 pages there). These tests pin the same rule with
 * exact numbers. Modes 0 and 1 and the counters follow the kernel's
 * __vm_enough_memory and vm_stat_account.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "usermm.h"

#define PROT_RW 3
#define MAP_PA 0x22 /* MAP_PRIVATE | MAP_ANONYMOUS */
#define MAP_NORESERVE 0x4000

static struct umm_mm *space(int mode)
{
	struct umm_config cfg;

	umm_config_init(&cfg);
	cfg.overcommit_memory = mode;
	cfg.totalram_pages = 1UL << 20; /* 4 GiB */
	cfg.total_swap_pages = 0;
	return umm_mm_create(&cfg);
}

/* Mode 2: limit = 4 GiB * 50% = 524288 pages, minus the 8 MiB admin
 * reserve (2048 pages); an empty space has no user reserve yet. */
static void never_mode_limit(void **state)
{
	struct umm_mm *mm = space(2);
	struct umm_mm_stats st;
	long a;

	(void)state;
	assert_int_equal(umm_mmap(mm, 0, 522240UL << 12, PROT_RW, MAP_PA, NULL, 0), -12);
	a = umm_mmap(mm, 0, 522239UL << 12, PROT_RW, MAP_PA, NULL, 0);
	assert_true(a > 0);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.committed, 522239);
	/* Mode 2 ignores MAP_NORESERVE, and read-only mappings are free. */
	assert_int_equal(umm_mmap(mm, 0, 1UL << 12, PROT_RW, MAP_PA | MAP_NORESERVE, NULL, 0), -12);
	assert_true(umm_mmap(mm, 0, 1UL << 30, 1, MAP_PA, NULL, 0) > 0);
	/* Now total_vm is 784383 pages, so the user reserve is
	 * min(784383 / 32, 131072 kB / 4) = 24511 pages: giving back one
	 * page is not enough, giving back 24513 is. */
	assert_int_equal(umm_munmap(mm, (unsigned long)a, 4096), 0);
	assert_int_equal(umm_mmap(mm, 0, 1UL << 12, PROT_RW, MAP_PA, NULL, 0), -12);
	assert_int_equal(umm_munmap(mm, (unsigned long)a, 24513UL << 12), 0);
	assert_true(umm_mmap(mm, 0, 1UL << 12, PROT_RW, MAP_PA, NULL, 0) > 0);
	umm_mm_destroy(mm);
}

/* Mode 0 refuses only a single request larger than RAM + swap. */
static void guess_mode(void **state)
{
	struct umm_mm *mm = space(0);

	(void)state;
	assert_int_equal(umm_mmap(mm, 0, ((1UL << 20) + 1) << 12, PROT_RW, MAP_PA, NULL, 0), -12);
	assert_true(umm_mmap(mm, 0, (1UL << 20) << 12, PROT_RW, MAP_PA, NULL, 0) > 0);
	assert_true(umm_mmap(mm, 0, (1UL << 20) << 12, PROT_RW, MAP_PA, NULL, 0) > 0);
	/* MAP_NORESERVE is not charged at all. */
	assert_true(umm_mmap(mm, 0, (4UL << 20) << 12, PROT_RW, MAP_PA | MAP_NORESERVE, NULL, 0) > 0);
	umm_mm_destroy(mm);
}

static void always_mode(void **state)
{
	struct umm_mm *mm = space(1);

	(void)state;
	assert_true(umm_mmap(mm, 0, (8UL << 20) << 12, PROT_RW, MAP_PA, NULL, 0) > 0);
	umm_mm_destroy(mm);
}

/* vm_stat_account's classes and the VM_ACCOUNT charge, call by call. */
static void counters(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL);
	struct umm_mm_stats st;
	long rw, x;

	(void)state;
	rw = umm_mmap(mm, 0, 4 << 12, PROT_RW, MAP_PA, NULL, 0);
	x = umm_mmap(mm, 0, 2 << 12, 5, MAP_PA, NULL, 0);
	umm_mmap(mm, 0, 3 << 12, PROT_RW, MAP_PA | 0x100, NULL, 0); /* MAP_GROWSDOWN */
	umm_mmap(mm, 0, 5 << 12, PROT_RW, 0x21, NULL, 0);            /* shared anon */
	umm_mm_stats(mm, &st);
	assert_int_equal(st.map_count, 4);
	assert_int_equal(st.total_vm, 14);
	assert_int_equal(st.data_vm, 4);
	assert_int_equal(st.exec_vm, 2);
	assert_int_equal(st.stack_vm, 3);
	assert_int_equal(st.committed, 7); /* private writable: data + stack */
	/* Dropping write from untouched anonymous memory gives the charge back. */
	assert_int_equal(umm_mprotect(mm, (unsigned long)rw, 4 << 12, 1), 0);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.committed, 3);
	assert_int_equal(st.data_vm, 0);
	assert_int_equal(umm_munmap(mm, (unsigned long)x, 2 << 12), 0);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.exec_vm, 0);
	assert_int_equal(st.total_vm, 12);
	umm_mm_destroy(mm);
}

/*
 * mremap's two leaks, measured on this kernel (6.18): a MREMAP_FIXED move
 * that shrinks 1 GiB to 4 KiB left Committed_AS 1 GiB higher, still after
 * munmap; MREMAP_DONTUNMAP of 16 KiB of a 64 KiB locked VMA took VmLck
 * from 64 to 80 kB while the old VMA lost "lo" as a whole.
 */
static void mremap_leaks(void **state)
{
	struct umm_mm *mm = space(1);
	struct umm_mm_stats st;
	long a;

	(void)state;
	a = umm_mmap(mm, 0x200000000000UL, 1UL << 30, PROT_RW, MAP_PA | 0x10, NULL, 0);
	assert_int_equal(umm_mremap(mm, (unsigned long)a, 1UL << 30, 4096, 3, 0x300000000000UL),
			 0x300000000000L);
	assert_int_equal(umm_munmap(mm, 0x300000000000UL, 4096), 0);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.committed, (1UL << 18) - 1);
	a = umm_mmap(mm, 0x200000000000UL, 65536, PROT_RW, MAP_PA | 0x10 | 0x2000, NULL, 0);
	assert_int_equal(umm_mremap(mm, (unsigned long)a + 16384, 16384, 16384, 7,
				    0x300000000000UL), 0x300000000000L);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.locked_vm, 20);
	assert_int_equal(umm_mm_check(mm, NULL, 0), 0);
	assert_int_equal(umm_mremap(NULL, 0, 4096, 4096, 0, 0), -22);
	umm_mm_destroy(mm);
}

/*
 * A multi-VMA move (MREMAP_FIXED, equal lengths) with DONTUNMAP whose
 * third VMA's charge fails: the kernel leaves the first two moved and
 * answers ENOMEM; the failing VMA gives back only its own charge (none:
 * it was refused), not the first VMA's, which now belongs to its copy.
 * Found by fuzzing: the stale charge of the first VMA was given back
 * and the commit count drifted below the VMAs' (the checker aborted).
 */
static void multi_move_keeps_earlier_charges(void **state)
{
	unsigned long a = 0x200000000000UL, t = 0x300000000000UL;
	struct umm_config cfg;
	struct umm_mm_stats st;
	struct umm_vma_info v;
	struct umm_mm *mm;

	(void)state;
	umm_config_init(&cfg);
	cfg.totalram_pages = 16384; /* 64 MiB: a charge of more fails */
	mm = umm_mm_create(&cfg);
	assert_int_equal(umm_mmap(mm, a, 16384, PROT_RW, MAP_PA | 0x10, NULL, 0), (long)a);
	assert_int_equal(umm_mmap(mm, a + 16384, 16384, PROT_RW, 0x21 | 0x10, NULL, 0),
			 (long)(a + 16384));
	assert_int_equal(umm_mmap(mm, a + 32768, 48UL << 20, PROT_RW, MAP_PA | 0x10, NULL, 0),
			 (long)(a + 32768));
	assert_int_equal(umm_mremap(mm, a + 32768, 48UL << 20, 80UL << 20, 0, 0), (long)(a + 32768));
	assert_int_equal(umm_mremap(mm, a, 32768 + (80UL << 20), 32768 + (80UL << 20), 7, t), -12);
	assert_int_equal(umm_find_vma(mm, t, &v), 0); /* the first two moved */
	assert_int_equal(v.start, t);
	assert_int_equal(umm_find_vma(mm, t + 16384, &v), 0);
	assert_int_equal(v.start, t + 16384);
	assert_int_equal(umm_find_vma(mm, t + 32768, &v), -2);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.committed, 4 + 4 + (80UL << 8));
	assert_int_equal(umm_mm_check(mm, NULL, 0), 0);
	umm_mm_destroy(mm);
}

static struct umm_mm *space_with_map_limit(unsigned long max_map_count)
{
	struct umm_config cfg;

	umm_config_init(&cfg);
	cfg.max_map_count = max_map_count;
	return umm_mm_create(&cfg);
}

/*
 * mremap keeps headroom below vm.max_map_count, comparing ints: a move
 * to a fixed address needs map_count + 2 < max_map_count - 3, a move
 * map_count < max_map_count - 3. Measured on this kernel with a process
 * of C VMAs: a MREMAP_FIXED move of a VMA's middle is ENOMEM at
 * max_map_count C+4 and C+5 and succeeds at C+6 and C+7. Below 3 the
 * subtraction goes negative and every move is ENOMEM (found by fuzzing:
 * the unsigned subtraction wrapped and the move went ahead).
 */
static void map_count_headroom_is_signed(void **state)
{
	(void)state;
	for (unsigned long max = 1; max <= 7; max++) {
		struct umm_mm *mm = space_with_map_limit(max);
		long a = umm_mmap(mm, 0x200000000000UL, 65536, PROT_RW, MAP_PA | 0x10, NULL, 0);
		long r = umm_mremap(mm, (unsigned long)a + 16384, 8192, 8192, 3, 0x300000000000UL);

		assert_int_equal(r, max <= 6 ? -12 : 0x300000000000L);
		assert_int_equal(umm_mm_check(mm, NULL, 0), 0);
		umm_mm_destroy(mm);
	}
	for (unsigned long max = 1; max <= 6; max++) {
		struct umm_mm *mm = space_with_map_limit(max);
		long a = umm_mmap(mm, 0x200000000000UL, 8192, PROT_RW, MAP_PA | 0x10, NULL, 0);
		long r;

		/* A neighbour in the way: growing must move (count 2). */
		umm_mmap(mm, (unsigned long)a + 8192, 4096, 0, MAP_PA | 0x10, NULL, 0);
		r = umm_mremap(mm, (unsigned long)a, 8192, 16384, 1, 0);
		if (max <= 5)
			assert_int_equal(r, -12);
		else
			assert_true(r > 0 && r != a);
		assert_int_equal(umm_mm_check(mm, NULL, 0), 0);
		umm_mm_destroy(mm);
	}
}

/* do_prlimit's rules: cur above max is EINVAL, a raised hard limit
 * needs CAP_SYS_RESOURCE (EPERM), and only the four limits a space keeps
 * are known. The new limit decides the next call. */
static void setrlimit_rules(void **state)
{
	struct umm_mm *mm = space(1);
	struct umm_rlimit lim = { 8192, 4096 }, got;

	(void)state;
	assert_int_equal(umm_setrlimit(mm, UMM_RLIMIT_AS, &lim), -22);
	lim = (struct umm_rlimit){ 1 << 20, 1 << 20 };
	assert_int_equal(umm_setrlimit(mm, UMM_RLIMIT_AS, &lim), 0);
	assert_int_equal(umm_mmap(mm, 0, 2 << 20, PROT_RW, MAP_PA, NULL, 0), -12);
	lim = (struct umm_rlimit){ 2 << 20, 2 << 20 };
	assert_int_equal(umm_setrlimit(mm, UMM_RLIMIT_AS, &lim), -1);
	umm_set_capabilities(mm, 1ULL << UMM_CAP_SYS_RESOURCE);
	assert_int_equal(umm_setrlimit(mm, UMM_RLIMIT_AS, &lim), 0);
	assert_int_equal(umm_getrlimit(mm, UMM_RLIMIT_AS, &got), 0);
	assert_int_equal(got.max, 2 << 20);
	assert_int_equal(umm_setrlimit(mm, 7 /* RLIMIT_NOFILE */, &lim), -22);
	assert_int_equal(umm_getrlimit(mm, 7, &got), -22);
	umm_mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(never_mode_limit),
		cmocka_unit_test(guess_mode),
		cmocka_unit_test(always_mode),
		cmocka_unit_test(counters),
		cmocka_unit_test(mremap_leaks),
		cmocka_unit_test(multi_move_keeps_earlier_charges),
		cmocka_unit_test(map_count_headroom_is_signed),
		cmocka_unit_test(setrlimit_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
