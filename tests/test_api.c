/*
 * test_api.c - bad arguments never crash usermm and get the kernel's
 * answer. Expected errnos are what this machine's 6.18 kernel returned for
 * the same raw syscalls (probes run with the kernel runner, ASLR off, see
 * the scenarios in test_oracle_*.c); "API contract" marks expectations
 * that come from usermm.h because the kernel has no counterpart.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/lookup.h"
#include "oracle.h"
#include "usermm.h"

#define MAP_SHARED_ 0x01
#define MAP_PRIVATE_ 0x02
#define MAP_FIXED_ 0x10
#define MAP_ANON_ 0x20
#define PA (MAP_PRIVATE_ | MAP_ANON_)
#define RW 0x3
#define TASK_SIZE_ ((1UL << 47) - 4096)

static int setup_mm(void **state)
{
	*state = umm_mm_create(NULL);
	return *state ? 0 : -1;
}

static int teardown_mm(void **state)
{
	struct umm_mm *mm = *state;
	char msg[256];

	assert_int_equal(umm_mm_check(mm, msg, sizeof(msg)), 0);
	umm_mm_destroy(mm);
	return 0;
}

/* Kernel: mmap(0, 4096, PROT_READ, MAP_PRIVATE, -1, 0) = -EBADF; also with
 * MAP_SHARED, with flags 0, and with length 0 (fd is checked first). */
static void null_file_is_ebadf(void **state)
{
	struct umm_mm *mm = *state;

	assert_int_equal(umm_mmap(mm, 0, 4096, 1, MAP_PRIVATE_, NULL, 0), -EBADF);
	assert_int_equal(umm_mmap(mm, 0, 4096, 1, MAP_SHARED_, NULL, 0), -EBADF);
	assert_int_equal(umm_mmap(mm, 0, 4096, 1, 0, NULL, 0), -EBADF);
	assert_int_equal(umm_mmap(mm, 0, 0, 1, MAP_PRIVATE_, NULL, 0), -EBADF);
	assert_int_equal(umm_mmap(mm, 0, 4096, 1, MAP_PRIVATE_ | MAP_FIXED_, NULL, 0), -EBADF);
}

/* Kernel: an unaligned offset is -EINVAL before anything else, even with a
 * bad fd or an anonymous mapping. */
static void unaligned_offset_first(void **state)
{
	struct umm_mm *mm = *state;

	assert_int_equal(umm_mmap(mm, 0, 4096, 1, MAP_PRIVATE_, NULL, 0x123), -EINVAL);
	assert_int_equal(umm_mmap(mm, 0, 8192, RW, PA, NULL, 0x123), -EINVAL);
	assert_int_equal(umm_mmap(mm, 1, 4096, 1, PA | MAP_FIXED_, NULL, 1), -EINVAL);
}

/* Kernel: length 0 -EINVAL; -1, -4096, 1<<47 and TASK_SIZE -ENOMEM. */
static void bad_lengths(void **state)
{
	struct umm_mm *mm = *state;

	assert_int_equal(umm_mmap(mm, 0, 0, 1, PA, NULL, 0), -EINVAL);
	assert_int_equal(umm_mmap(mm, 0, ~0UL, 1, PA, NULL, 0), -ENOMEM);
	assert_int_equal(umm_mmap(mm, 0, -4096UL, 1, PA, NULL, 0), -ENOMEM);
	assert_int_equal(umm_mmap(mm, 0, 1UL << 47, 1, PA, NULL, 0), -ENOMEM);
	assert_int_equal(umm_mmap(mm, 0, TASK_SIZE_, 1, PA | 0x4000, NULL, 0), -ENOMEM);
	assert_int_equal(umm_mmap(mm, 0x100000000000UL, ~0UL, 1, PA | MAP_FIXED_, NULL, 0),
			 -ENOMEM);
}

/* Kernel: MAP_FIXED at TASK_SIZE, straddling it, at 0x800000000000 and at
 * 0xfffffffffffff000 are -ENOMEM; unaligned MAP_FIXED -EINVAL. */
static void bad_fixed_addresses(void **state)
{
	struct umm_mm *mm = *state;

	assert_int_equal(umm_mmap(mm, TASK_SIZE_, 4096, 1, PA | MAP_FIXED_, NULL, 0), -ENOMEM);
	assert_int_equal(umm_mmap(mm, TASK_SIZE_ - 4096, 8192, 1, PA | MAP_FIXED_, NULL, 0),
			 -ENOMEM);
	assert_int_equal(umm_mmap(mm, 1UL << 47, 4096, 1, PA | MAP_FIXED_, NULL, 0), -ENOMEM);
	assert_int_equal(umm_mmap(mm, 0xfffffffffffff000UL, 4096, 1, PA | MAP_FIXED_, NULL, 0),
			 -ENOMEM);
	assert_int_equal(umm_mmap(mm, 0x100000000001UL, 4096, 1, PA | MAP_FIXED_, NULL, 0),
			 -EINVAL);
}

/* Kernel: types 0, 4, 0xf and MAP_SHARED_VALIDATE are -EINVAL for
 * anonymous mappings, as is MAP_SHARED|MAP_GROWSDOWN. */
static void bad_anon_types(void **state)
{
	struct umm_mm *mm = *state;

	assert_int_equal(umm_mmap(mm, 0, 4096, 1, MAP_ANON_, NULL, 0), -EINVAL);
	assert_int_equal(umm_mmap(mm, 0, 4096, 1, 4 | MAP_ANON_, NULL, 0), -EINVAL);
	assert_int_equal(umm_mmap(mm, 0, 4096, 1, 0xf | MAP_ANON_, NULL, 0), -EINVAL);
	assert_int_equal(umm_mmap(mm, 0, 4096, 1, 3 | MAP_ANON_, NULL, 0), -EINVAL);
	assert_int_equal(umm_mmap(mm, 0, 4096, 1, MAP_SHARED_ | MAP_ANON_ | 0x100, NULL, 0),
			 -EINVAL);
}

/* Kernel: munmap unaligned, len 0, at/after TASK_SIZE, huge len: -EINVAL;
 * nothing mapped: 0. */
static void munmap_bad_arguments(void **state)
{
	struct umm_mm *mm = *state;

	assert_int_equal(umm_munmap(mm, 0x100000000001UL, 4096), -EINVAL);
	assert_int_equal(umm_munmap(mm, 0x100000000000UL, 0), -EINVAL);
	assert_int_equal(umm_munmap(mm, TASK_SIZE_, 4096), -EINVAL);
	assert_int_equal(umm_munmap(mm, TASK_SIZE_ - 4096, 8192), -EINVAL);
	assert_int_equal(umm_munmap(mm, 0x100000000000UL, ~0UL), -EINVAL);
	assert_int_equal(umm_munmap(mm, 0x100000000000UL, -4096UL), -EINVAL);
	assert_int_equal(umm_munmap(mm, 0x100000000000UL, 1UL << 30), 0);
	assert_int_equal(umm_munmap(mm, 0, 4096), 0);
}

/* Kernel: mprotect len 0 -> 0 (even unmapped), unaligned -EINVAL, wrapping
 * len -ENOMEM, unknown prot bits -EINVAL, GROWSDOWN|GROWSUP -EINVAL, an
 * unmapped range -ENOMEM. */
static void mprotect_bad_arguments(void **state)
{
	struct umm_mm *mm = *state;
	unsigned long a = 0x100000000000UL;

	assert_int_equal(umm_mprotect(mm, a, 0, 1), 0);
	assert_int_equal(umm_mprotect(mm, a + 1, 4096, 1), -EINVAL);
	assert_int_equal(umm_mprotect(mm, a + 1, 0, 1), -EINVAL);
	assert_int_equal(umm_mmap(mm, a, 16384, RW, PA | MAP_FIXED_, NULL, 0), (long)a);
	assert_int_equal(umm_mprotect(mm, a, ~0UL, 1), -ENOMEM);
	assert_int_equal(umm_mprotect(mm, a, -4096UL, 1), -ENOMEM);
	assert_int_equal(umm_mprotect(mm, a, 4096, 0x10), -EINVAL);
	assert_int_equal(umm_mprotect(mm, a, 4096, 0x03000000), -EINVAL);
	assert_int_equal(umm_mprotect(mm, a + 0x100000, 4096, 1), -ENOMEM);
	assert_int_equal(umm_mprotect(mm, TASK_SIZE_, 4096, 1), -ENOMEM);
}

/* Kernel: brk never fails with an errno; bad values return the old break
 * (brk(TASK_SIZE), brk(-1), brk(1) all returned brk0). */
static void brk_bad_values(void **state)
{
	struct umm_mm *mm = *state;
	unsigned long b0 = umm_brk(mm, 0);

	assert_int_equal(umm_brk(mm, ~0UL), b0);
	assert_int_equal(umm_brk(mm, TASK_SIZE_), b0);
	assert_int_equal(umm_brk(mm, 1), b0);
	assert_int_equal(umm_brk(mm, b0 - 4096), b0);
	assert_int_equal(umm_brk(mm, 0xfffffffffffff000UL), b0);
}

/* open(2) of a missing path: ENOENT. */
static void open_missing_file(void **state)
{
	int err = 0;

	(void)state;
	assert_null(umm_file_open_path("/nonexistent/usermm-test", O_RDONLY, &err));
	assert_int_equal(err, -ENOENT);
	assert_null(umm_file_open_path("/nonexistent/usermm-test", O_RDONLY, NULL));
}

/* Kernel: a directory has no mmap method -> ENODEV; an O_WRONLY fd ->
 * EACCES; with MAP_ANONYMOUS the fd is ignored. */
static void file_handle_errors(void **state)
{
	struct umm_mm *mm = *state;
	char *path = oracle_make_file("/tmp", 65536);
	struct umm_file *dir, *wo;
	int err = 0;

	assert_non_null(path);
	dir = umm_file_open_path("/tmp", O_RDONLY, &err);
	wo = umm_file_open_path(path, O_WRONLY, &err);
	assert_non_null(dir);
	assert_non_null(wo);
	assert_int_equal(umm_mmap(mm, 0, 4096, 1, MAP_PRIVATE_, dir, 0), -ENODEV);
	assert_int_equal(umm_mmap(mm, 0, 4096, 1, MAP_PRIVATE_, wo, 0), -EACCES);
	assert_int_equal(umm_mmap(mm, 0, 4096, 1, MAP_SHARED_, wo, 0), -EACCES);
	assert_true(umm_mmap(mm, 0, 4096, RW, MAP_SHARED_ | MAP_ANON_, wo, 0) > 0);
	umm_file_put(dir);
	umm_file_put(wo);
	unlink(path);
	free(path);
}

/* API contract: invalid configurations and descriptions are refused. */
static void api_contract_refusals(void **state)
{
	struct umm_config c;
	int bad_line = 0;

	(void)state;
	umm_config_init(&c);
	c.page_size = 8192;
	assert_null(umm_mm_create(&c));
	assert_null(umm_file_create(NULL));
	assert_int_equal(umm_maps_infer_mmap_base(""), 0);
	{
		struct umm_mm *mm = umm_mm_create(NULL);
		struct umm_vma_info vi;

		assert_non_null(mm);
		assert_int_equal(umm_find_vma(mm, 0, &vi), -ENOENT);
		assert_int_equal(umm_maps_import(mm, "garbage\n", NULL, &bad_line), -EINVAL);
		assert_int_equal(bad_line, 1);
		umm_mm_destroy(mm);
	}
}

/* Deterministic xorshift, for the stress test below. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* Edge-heavy values: small, page-ish, huge, near TASK_SIZE, all-ones. */
static unsigned long wild(void)
{
	static const unsigned long edges[] = {
		0, 1, 4095, 4096, 65536, 1UL << 21, TASK_SIZE_, TASK_SIZE_ + 1, 1UL << 47,
		~0UL, ~0UL - 4095, 1UL << 63, 0x100000000000UL,
	};

	switch (rnd() % 3) {
	case 0: return edges[rnd() % (sizeof(edges) / sizeof(edges[0]))];
	case 1: return 0x100000000000UL + (rnd() % 64) * 4096;
	default: return rnd();
	}
}

/* No expected values: every call must return and keep the invariants
 * (usermm_checked verifies them after each call). */
static void random_calls_never_crash(void **state)
{
	struct umm_mm *mm = *state;

	for (int i = 0; i < 3000; i++) {
		switch (rnd() % 4) {
		case 0:
			umm_mmap(mm, wild(), wild() % (1UL << 24), (int)(rnd() % 16),
				 (int)(rnd() % 2 ? rnd() : (uint64_t)(PA | (rnd() % 2) * MAP_FIXED_)),
				 NULL, rnd() % 2 ? 0 : wild());
			break;
		case 1: umm_munmap(mm, wild(), wild()); break;
		case 2: umm_mprotect(mm, wild(), wild(), (int)rnd()); break;
		default: umm_brk(mm, wild()); break;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(null_file_is_ebadf, setup_mm, teardown_mm),
		cmocka_unit_test_setup_teardown(unaligned_offset_first, setup_mm, teardown_mm),
		cmocka_unit_test_setup_teardown(bad_lengths, setup_mm, teardown_mm),
		cmocka_unit_test_setup_teardown(bad_fixed_addresses, setup_mm, teardown_mm),
		cmocka_unit_test_setup_teardown(bad_anon_types, setup_mm, teardown_mm),
		cmocka_unit_test_setup_teardown(munmap_bad_arguments, setup_mm, teardown_mm),
		cmocka_unit_test_setup_teardown(mprotect_bad_arguments, setup_mm, teardown_mm),
		cmocka_unit_test_setup_teardown(brk_bad_values, setup_mm, teardown_mm),
		cmocka_unit_test(open_missing_file),
		cmocka_unit_test_setup_teardown(file_handle_errors, setup_mm, teardown_mm),
		cmocka_unit_test(api_contract_refusals),
		cmocka_unit_test_setup_teardown(random_calls_never_crash, setup_mm, teardown_mm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
