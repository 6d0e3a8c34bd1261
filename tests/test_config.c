/*
 * test_config.c - umm_config_init() defaults and the layout they produce,
 * checked against facts observed on this machine's kernel (6.18.44,
 * x86_64, ASLR off via personality). The probes were small static
 * programs run under `setarch -R` (plus -L, or `ulimit -s`), which
 * unmapped [vvar]/[vdso] to get an empty top of the address space and
 * then called mmap(0, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS)
 * through syscall(2). Each test cites the observation it relies on.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oracle.h"
#include "usermm.h"

#define PA (0x02 | 0x20) /* MAP_PRIVATE | MAP_ANONYMOUS */
#define RW 0x3

static struct umm_mm *mm_with(const struct umm_config *cfg)
{
	struct umm_mm *mm = umm_mm_create(cfg);

	assert_non_null(mm);
	return mm;
}

static void defaults_sizes(void **state)
{
	struct umm_config c;

	(void)state;
	umm_config_init(&c);
	assert_int_equal(c.page_size, 4096);          /* getconf PAGESIZE */
	assert_int_equal(c.task_size, (1UL << 47) - 4096); /* mmap(TASK_SIZE,..,FIXED) ENOMEM,
							    * [stack] ends 0x7ffffffff000 */
	assert_int_equal(c.layout, UMM_LAYOUT_TOPDOWN); /* maps: ld.so just below 0x7ffff7fff000 */
	assert_false(c.randomize);
	assert_int_equal(c.mmap_rnd_bits, 28);        /* /proc/sys/vm/mmap_rnd_bits */
	assert_int_equal(c.mmap_base, 0);             /* computed, see below */
	assert_int_equal(c.start_brk, 0);             /* default picked at create */
}

static void defaults_limits(void **state)
{
	struct umm_config c;

	(void)state;
	umm_config_init(&c);
	assert_int_equal(c.mmap_min_addr, 4096);      /* /proc/sys/vm/mmap_min_addr; MAP_FIXED at
						       * 0x1000 succeeded, at 0 EPERM */
	assert_int_equal(c.mmap_min_addr_hint, 65536); /* hint 0x1000 -> 0x10000 */
	assert_int_equal(c.max_map_count, 65530);     /* /proc/sys/vm/max_map_count */
	assert_int_equal(c.stack_guard_gap, 1UL << 20); /* hints within 1 MiB under a
							 * MAP_GROWSDOWN VMA were refused */
	assert_true(c.rlimit_as.cur == UMM_RLIM_INFINITY && c.rlimit_as.max == UMM_RLIM_INFINITY);
	assert_true(c.rlimit_data.cur == UMM_RLIM_INFINITY);  /* ulimit -d: unlimited */
	assert_int_equal(c.rlimit_memlock.cur, 8UL << 20);    /* ulimit -l: 8192 */
	assert_int_equal(c.rlimit_stack.cur, 8UL << 20);      /* ulimit -s: 8192 */
	assert_true(c.rlimit_stack.max == UMM_RLIM_INFINITY); /* ulimit -Hs: unlimited */
}

static void defaults_overcommit_and_caps(void **state)
{
	struct umm_config c;

	(void)state;
	umm_config_init(&c);
	assert_int_equal(c.overcommit_memory, 0);     /* /proc/sys/vm/overcommit_memory */
	assert_int_equal(c.overcommit_ratio, 50);     /* /proc/sys/vm/overcommit_ratio */
	assert_int_equal(c.overcommit_kbytes, 0);     /* /proc/sys/vm/overcommit_kbytes */
	assert_int_equal(c.admin_reserve_kbytes, 8192); /* /proc/sys/vm/admin_reserve_kbytes */
	assert_int_equal(c.total_swap_pages, 0);      /* SwapTotal: 0 kB */
	assert_false(c.cap_sys_rawio);
	assert_false(c.cap_ipc_lock);
	assert_false(c.cap_sys_admin);
}

/* 8 MiB stack: ld.so's last mapping ends at 0x7ffff7fff000 (setarch -R). */
static void mmap_base_default_stack(void **state)
{
	struct umm_mm *mm = mm_with(NULL);
	struct umm_config out;

	(void)state;
	umm_mm_config(mm, &out);
	assert_int_equal(out.mmap_base, 0x7ffff7fff000UL);
	umm_mm_destroy(mm);
}

/* The first 4 KiB anonymous mmap of an empty top lands at 0x7ffff7ffe000,
 * the second at 0x7ffff7ffd000 and merges with it. */
static void first_mmaps_topdown(void **state)
{
	struct umm_mm *mm = mm_with(NULL);
	struct umm_mm_stats st;

	(void)state;
	assert_int_equal(umm_mmap(mm, 0, 4096, RW, PA, NULL, 0), 0x7ffff7ffe000L);
	assert_int_equal(umm_mmap(mm, 0, 4096, RW, PA, NULL, 0), 0x7ffff7ffd000L);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.map_count, 1);
	umm_mm_destroy(mm);
}

/* RLIMIT_STACK 64 MiB: still 0x7ffff7fff000 (the gap is at least 128 MiB);
 * 256 MiB: first 4 KiB mmap at 0x7fffefefe000; unlimited: 0x155555555000. */
static void mmap_base_follows_rlimit_stack(void **state)
{
	static const struct {
		unsigned long stack;
		long first;
	} cases[] = {
		{64UL << 20, 0x7ffff7ffe000L},
		{256UL << 20, 0x7fffefefe000L},
		{UMM_RLIM_INFINITY, 0x155555555000L},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct umm_config c;
		struct umm_mm *mm;

		umm_config_init(&c);
		c.rlimit_stack.cur = cases[i].stack;
		mm = mm_with(&c);
		assert_int_equal(umm_mmap(mm, 0, 4096, RW, PA, NULL, 0), cases[i].first);
		umm_mm_destroy(mm);
	}
}

/* setarch -R -L (ADDR_COMPAT_LAYOUT): bottom-up from 0x2aaaaaaab000. */
static void legacy_layout(void **state)
{
	struct umm_config c;
	struct umm_mm *mm;

	(void)state;
	umm_config_init(&c);
	c.layout = UMM_LAYOUT_LEGACY;
	mm = mm_with(&c);
	assert_int_equal(umm_mmap(mm, 0, 4096, RW, PA, NULL, 0), 0x2aaaaaaab000L);
	assert_int_equal(umm_mmap(mm, 0, 4096, RW, PA, NULL, 0), 0x2aaaaaaac000L);
	umm_mm_destroy(mm);
}

/* MAP_32BIT: first 4 KiB at 0x40000000 (not randomised). */
static void map_32bit_start(void **state)
{
	struct umm_mm *mm = mm_with(NULL);

	(void)state;
	assert_int_equal(umm_mmap(mm, 0, 4096, RW, PA | 0x40, NULL, 0), 0x40000000L);
	umm_mm_destroy(mm);
}

/* A small non-randomised PIE (setarch -R): brk(0) = 0x555555559000. */
static void default_brk(void **state)
{
	struct umm_mm *mm = mm_with(NULL);

	(void)state;
	assert_int_equal(umm_brk(mm, 0), 0x555555559000UL);
	umm_mm_destroy(mm);
}

/* mmap_min_addr 4096 for MAP_FIXED (0 -> EPERM, 0x1000 ok without
 * CAP_SYS_RAWIO); hints below 65536 are raised to 0x10000. */
static void min_addr_rules(void **state)
{
	struct umm_mm *mm = mm_with(NULL);

	(void)state;
	assert_int_equal(umm_mmap(mm, 0, 4096, RW, PA | 0x10, NULL, 0), -EPERM);
	assert_int_equal(umm_mmap(mm, 0x1000, 4096, RW, PA | 0x10, NULL, 0), 0x1000L);
	assert_int_equal(umm_mmap(mm, 0x2000, 4096, RW, PA, NULL, 0), 0x10000L);
	umm_mm_destroy(mm);
}

/* The runner (8 MiB stack, no ASLR): mmap_base inferred from its maps is
 * 0x7ffff7fff000, the end of ld.so's last mapping. */
static void infer_mmap_base_from_runner(void **state)
{
	struct oracle_run run;

	(void)state;
	assert_int_equal(oracle_kernel_run("", &run), 0);
	assert_int_equal(umm_maps_infer_mmap_base(run.maps[0]), 0x7ffff7fff000UL);
	oracle_run_free(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_sizes),
		cmocka_unit_test(defaults_limits),
		cmocka_unit_test(defaults_overcommit_and_caps),
		cmocka_unit_test(mmap_base_default_stack),
		cmocka_unit_test(first_mmaps_topdown),
		cmocka_unit_test(mmap_base_follows_rlimit_stack),
		cmocka_unit_test(legacy_layout),
		cmocka_unit_test(map_32bit_start),
		cmocka_unit_test(default_brk),
		cmocka_unit_test(min_addr_rules),
		cmocka_unit_test(infer_mmap_base_from_runner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
