/*
 * test_status.c - the texts of /proc/PID/status (its memory lines) and
 * /proc/PID/smaps_rollup. The numbers follow what a process on this
 * machine's kernel showed for the same steps (a probe with raw calls,
 * December 2026): VmPeak keeps the largest VmSize, noted as munmap or a
 * shrinking mremap lowers it; VmHWM the largest RSS, noted as a zap
 * lowers it. The kernel's VmHWM is noted from its per-CPU-batched RSS
 * counters and may lag the true peak by a few pages (5456 kB where the
 * RSS had been 5524 kB); usermm's counters are exact. The lines the
 * import fixes (VmSize, VmLck, VmData, VmStk, VmExe, VmLib) are compared
 * with the kernel's after every op of the memstat oracle scenarios.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "usermm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1UL << 20)
#define PAGE 4096UL
#define RW (UMM_PROT_READ | UMM_PROT_WRITE)
#define PA (UMM_MAP_PRIVATE | UMM_MAP_ANONYMOUS)

static long field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static long status_kb(struct umm_mm *mm, const char *key)
{
	char *text = umm_status_string(mm);
	long v;

	assert_non_null(text);
	v = field(text, key);
	free(text);
	return v;
}

static void touch(struct umm_mm *mm, unsigned long addr, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++)
		assert_int_equal(umm_fault(mm, addr + i * PAGE, UMM_ACCESS_WRITE, NULL), 0);
}

/* An empty space: every line, in the kernel's layout. */
static void empty_text(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL);
	char *text = umm_status_string(mm);

	(void)state;
	assert_string_equal(text, "VmPeak:\t       0 kB\nVmSize:\t       0 kB\nVmLck:\t       0 kB\n"
				  "VmPin:\t       0 kB\nVmHWM:\t       0 kB\nVmRSS:\t       0 kB\n"
				  "RssAnon:\t       0 kB\nRssFile:\t       0 kB\n"
				  "RssShmem:\t       0 kB\nVmData:\t       0 kB\nVmStk:\t       0 kB\n"
				  "VmExe:\t       0 kB\nVmLib:\t       0 kB\nVmPTE:\t       0 kB\n"
				  "VmSwap:\t       0 kB\nHugetlbPages:\t       0 kB\n");
	free(text);
	umm_mm_destroy(mm);
}

/* The probe's steps; the kernel's VmPeak moved by the same amounts. */
static void peaks(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL);
	long p, q;

	(void)state;
	p = umm_mmap(mm, 0, 64 * MIB, RW, PA, NULL, 0);
	assert_true(p > 0);
	assert_int_equal(status_kb(mm, "VmPeak:"), 65536);
	touch(mm, (unsigned long)p, 1000);
	assert_int_equal(status_kb(mm, "VmHWM:"), 4000);
	assert_int_equal(umm_madvise(mm, (unsigned long)p, 64 * MIB, UMM_MADV_DONTNEED), 0);
	assert_int_equal(status_kb(mm, "VmRSS:"), 0);
	assert_int_equal(status_kb(mm, "VmHWM:"), 4000);
	touch(mm, (unsigned long)p, 500);
	assert_int_equal(status_kb(mm, "VmRSS:"), 2000);
	assert_int_equal(status_kb(mm, "VmHWM:"), 4000);
	q = umm_mremap(mm, (unsigned long)p, 64 * MIB, 128 * MIB, UMM_MREMAP_MAYMOVE, 0);
	assert_true(q > 0);
	assert_int_equal(status_kb(mm, "VmPeak:"), 131072);
	assert_int_equal(umm_mremap(mm, (unsigned long)q, 128 * MIB, 32 * MIB, 0, 0), q);
	assert_int_equal(status_kb(mm, "VmSize:"), 32768);
	assert_int_equal(status_kb(mm, "VmPeak:"), 131072);
	assert_int_equal(umm_munmap(mm, (unsigned long)q, 32 * MIB), 0);
	assert_int_equal(status_kb(mm, "VmSize:"), 0);
	assert_int_equal(status_kb(mm, "VmPeak:"), 131072);
	assert_int_equal(status_kb(mm, "VmHWM:"), 4000);
	p = umm_mmap(mm, 0, 256 * MIB, RW, PA, NULL, 0);
	assert_int_equal(status_kb(mm, "VmPeak:"), 262144);
	assert_int_equal(umm_mprotect(mm, (unsigned long)p, 256 * MIB, UMM_PROT_READ), 0);
	assert_int_equal(status_kb(mm, "VmData:"), 0);
	umm_mm_destroy(mm);
}

/* A fork's child starts its peaks at what it has. */
static void child_peaks(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL), *child = NULL;
	long p = umm_mmap(mm, 0, 16 * MIB, RW, PA, NULL, 0);

	(void)state;
	touch(mm, (unsigned long)p, 10);
	assert_int_equal(umm_munmap(mm, (unsigned long)p + 8 * MIB, 8 * MIB), 0);
	assert_int_equal(status_kb(mm, "VmPeak:"), 16384);
	assert_int_equal(umm_mm_fork(mm, &child), 0);
	assert_int_equal(status_kb(child, "VmPeak:"), 8192);
	assert_int_equal(status_kb(child, "VmHWM:"), 40);
	assert_int_equal(status_kb(child, "RssAnon:"), 40);
	umm_mm_destroy(child);
	umm_mm_destroy(mm);
}

/* smaps_rollup: the sums of smaps, Pss split by kind of page. */
static void rollup(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL), *child = NULL;
	const unsigned long a = 0x300000000000UL, b = 0x300000100000UL;
	char *text;

	(void)state;
	assert_int_equal(umm_mmap(mm, a, 16 * PAGE, RW, PA | UMM_MAP_FIXED, NULL, 0), (long)a);
	assert_int_equal(umm_mmap(mm, b, 8 * PAGE, RW,
				  UMM_MAP_SHARED | UMM_MAP_ANONYMOUS | UMM_MAP_FIXED, NULL, 0),
			 (long)b);
	touch(mm, a, 4);
	touch(mm, b, 2);
	assert_int_equal(umm_mm_fork(mm, &child), 0);
	text = umm_smaps_rollup_string(mm);
	assert_non_null(text);
	assert_memory_equal(text, "300000000000-300000108000 ---p 00000000 00:00 0", 47);
	assert_non_null(strstr(text, "0                          [rollup]\n"));
	assert_int_equal(field(text, "Rss:"), 24);
	/* The anonymous pages are shared with the child now: half each. */
	assert_int_equal(field(text, "Pss:"), 16);
	assert_int_equal(field(text, "Pss_Anon:"), 8);
	assert_int_equal(field(text, "Pss_File:"), 0);
	assert_int_equal(field(text, "Pss_Shmem:"), 8);
	assert_int_equal(field(text, "Shared_Dirty:"), 16);
	assert_int_equal(field(text, "Private_Dirty:"), 8);
	assert_int_equal(field(text, "Anonymous:"), 16);
	assert_non_null(strstr(text, "Pss_Dirty:            16 kB\nPss_Anon:"));
	assert_non_null(strstr(text, "Private_Hugetlb:       0 kB\nSwap:"));
	free(text);
	umm_mm_destroy(child);
	umm_mm_destroy(mm);
	mm = umm_mm_create(NULL);
	text = umm_smaps_rollup_string(mm);
	assert_memory_equal(text, "00000000-00000000 ---p 00000000 00:00 0 ", 40);
	free(text);
	umm_mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_text),
		cmocka_unit_test(peaks),
		cmocka_unit_test(child_peaks),
		cmocka_unit_test(rollup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
