/*
 * test_smaps.c - umm_smaps_write against this kernel: scenarios saying
 * "smaps" make the runner snapshot /proc/self/smaps after every op, and
 * the oracle compares usermm's smaps with it: every line exactly, except
 * the memory counters, whose names and order only are compared (usermm
 * has no pages yet). Plus the layout and THPeligible on texts usermm
 * imports.
 */
#define _GNU_SOURCE
#include "oracle_test.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The runner's own VMAs (vdso, vvar, stack, vsyscall, libraries) are
 * compared by every scenario's first snapshot. */
ORACLE_SCENARIO(smaps_anonymous,
	"smaps\n"
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"b=mmap 0x200000100000 64K PROT_NONE MAP_PAF -1 0\n"
	"c=mmap 0x200000200000 64K PROT_RW MAP_PAF|MAP_NORESERVE -1 0\n"
	"d=mmap 0x200000300000 64K PROT_RW MAP_PAF|MAP_LOCKED -1 0\n"
	"e=mmap 0x200004000000 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch e-4K PROT_WRITE => 0\n"
	"f=mmap 0x200000500000 64K PROT_RWX MAP_SAF -1 0\n"
	"mprotect a+16K 16K PROT_READ => 0\n"
	"mlock2 a 8K 1 => 0\n"
	"mseal c 64K 0 => 0\n"
	"g=mmap 0x200000600000 4M PROT_RW MAP_PAF -1 0\n")

ORACLE_SCENARIO(smaps_files,
	"smaps\n"
	"file r ${REG} O_RDWR\n"
	"file o ${REG2} O_RDONLY\n"
	"file m ${SHM} O_RDWR\n"
	"file z ${ZERO} O_RDWR\n"
	"a=mmap 0x210000000000 64K PROT_RW MAP_SHARED|MAP_FIXED r 0\n"
	"b=mmap 0x210000100000 64K PROT_RW MAP_PRIVATE|MAP_FIXED r 0\n"
	"c=mmap 0x210000200000 64K PROT_RX MAP_PRIVATE|MAP_FIXED o 4K\n"
	"d=mmap 0x210000300000 64K PROT_READ MAP_SHARED|MAP_FIXED o 0\n"
	"e=mmap 0x210000400000 4M PROT_RW MAP_SHARED|MAP_FIXED m 0\n"
	"f=mmap 0x210000800000 4M PROT_RW MAP_PRIVATE|MAP_FIXED z 0\n"
	"g=mmap 0x210000c00000 64K PROT_RW MAP_SHARED|MAP_FIXED z 0\n"
	"h=mmap 0x210000d00000 64K PROT_READ MAP_SHARED|MAP_FIXED|MAP_LOCKED r 0\n"
	"mlock b 64K => 0\n")

/* Hugetlb: the page size in KernelPageSize and MMUPageSize. */
ORACLE_SCENARIO(smaps_hugetlb,
	"smaps\n"
	"a=mmap 0x220000000000 4M PROT_RW MAP_PA|MAP_FIXED|MAP_HUGETLB|MAP_NORESERVE -1 0\n"
	"b=mmap 0x220000400000 2M PROT_READ MAP_SA|MAP_FIXED|MAP_HUGETLB|MAP_NORESERVE -1 0\n"
	"c=mmap 0x230000000000 1G PROT_RW MAP_PA|MAP_FIXED|MAP_HUGETLB|MAP_NORESERVE|0x78000000 -1 0\n")

/* The layout of one block, character for character. */
/* MADV_GUARD_INSTALL sets "gu" (VM_MAYBE_GUARD) on the whole VMA for
 * good; it never keeps VMAs apart, and a merge keeps it. */
ORACLE_SCENARIO(smaps_maybe_guard,
	"smaps\n"
	"file f ${REG} O_RDWR\n"
	"x=mmap 0x300000000000 8K PROT_READ MAP_PAF -1 0\n"
	"y=mmap x+8K 8K PROT_RW MAP_PAF -1 0\n"
	"madvise x 4K MADV_GUARD_INSTALL => 0\n"
	"madvise x 4K MADV_GUARD_REMOVE => 0\n"
	"mprotect y 8K PROT_READ => 0\n"
	"munmap x 16K => 0\n"
	"mmap x 8K PROT_RW MAP_PAF -1 0\n"
	"z=mmap x+12K 8K PROT_RW MAP_PAF -1 0\n"
	"madvise z 4K MADV_GUARD_INSTALL => 0\n"
	"mmap x+8K 4K PROT_RW MAP_PAF -1 0\n"
	"mprotect x+4K 4K PROT_READ => 0\n"
	"mprotect x+4K 4K PROT_RW => 0\n"
	"g=mmap 0x300000100000 16K PROT_READ MAP_SHARED f 0\n"
	"madvise g+4K 4K MADV_GUARD_INSTALL => 0\n"
	"mremap g 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000200000 => 0x300000200000\n")

static void smaps_layout(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL);
	char *text;

	(void)state;
	assert_non_null(mm);
	assert_int_equal(umm_mmap(mm, 0x200000000000, 4096, 3, 0x32, NULL, 0), 0x200000000000);
	text = umm_smaps_string(mm);
	assert_non_null(text);
	assert_string_equal(text, "200000000000-200000001000 rw-p 00000000 00:00 0 \n"
				  "Size:                  4 kB\n"
				  "KernelPageSize:        4 kB\n"
				  "MMUPageSize:           4 kB\n"
				  "Rss:                   0 kB\n"
				  "Pss:                   0 kB\n"
				  "Pss_Dirty:             0 kB\n"
				  "Shared_Clean:          0 kB\n"
				  "Shared_Dirty:          0 kB\n"
				  "Private_Clean:         0 kB\n"
				  "Private_Dirty:         0 kB\n"
				  "Referenced:            0 kB\n"
				  "Anonymous:             0 kB\n"
				  "KSM:                   0 kB\n"
				  "LazyFree:              0 kB\n"
				  "AnonHugePages:         0 kB\n"
				  "ShmemPmdMapped:        0 kB\n"
				  "FilePmdMapped:         0 kB\n"
				  "Shared_Hugetlb:        0 kB\n"
				  "Private_Hugetlb:       0 kB\n"
				  "Swap:                  0 kB\n"
				  "SwapPss:               0 kB\n"
				  "Locked:                0 kB\n"
				  "THPeligible:           0\n"
				  "VmFlags: rd wr mr mw me ac \n");
	free(text);
	assert_int_equal(umm_smaps_write(NULL, stdout), -EINVAL);
	assert_int_equal(umm_smaps_write(mm, NULL), -EINVAL);
	assert_null(umm_smaps_string(NULL));
	umm_mm_destroy(mm);
}

/* The THPeligible line of the block of the VMA starting at start. */
static char *thp_line_of(const char *text, const char *start)
{
	const char *block = strstr(text, start);
	const char *line = block ? strstr(block, "THPeligible:") : NULL;

	return line ? strndup(line, (size_t)(strchr(line, '\n') - line)) : NULL;
}

/* As measured with MADV_HUGEPAGE (THP "madvise"): anonymous VMAs with
 * hg that hold an aligned 2 MiB (PROT_NONE, locked and stacks too), not
 * nh, not files or shared memory. The big values widen their column. */
static void smaps_thp_eligible(void **state)
{
	static const struct {
		const char *line, *flags;
		const char *eligible;
	} cases[] = {
		{"200000000000-200000400000 rw-p 00000000 00:00 0 ", "rd wr mr mw me ac hg", "1"},
		{"210000001000-210000201000 rw-p 00000000 00:00 0 ", "rd wr mr mw me ac hg", "0"},
		{"220000000000-220000200000 rw-p 00000000 00:00 0 ", "rd wr mr mw me ac hg", "1"},
		{"230000000000-230000400000 rw-p 00000000 00:00 0 ", "rd wr mr mw me ac", "0"},
		{"240000000000-240000400000 rw-p 00000000 00:00 0 ", "rd wr mr mw me ac nh", "0"},
		{"250000000000-250000400000 ---p 00000000 00:00 0 ", "mr mw me hg", "1"},
		{"260000000000-260000400000 rw-s 00000000 00:01 1615183                    "
		 "/dev/zero (deleted)", "rd wr sh mr mw me ms hg", "0"},
		{"270000000000-270000400000 rw-p 00000000 00:06 4                          /dev/zero",
		 "rd wr mr mw me ac hg", "1"},
		{"280000000000-280000400000 r-xp 00000000 fe:00 11043151                   /tmp/big",
		 "rd ex mr mw me hg", "0"},
		{"290000000000-290000400000 rw-p 00000000 00:00 0 ", "rd wr mr mw me gd lo ac hg", "1"},
	};
	size_t n = sizeof(cases) / sizeof(cases[0]);
	struct umm_mm *mm = umm_mm_create(NULL);
	char *text = NULL, *out;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(mm);
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\nVmFlags: %s \n", cases[i].line, cases[i].flags);
	fclose(f);
	assert_int_equal(umm_maps_import(mm, text, NULL, NULL), 0);
	free(text);
	out = umm_smaps_string(mm);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++) {
		char want[64], start[32], *got;

		snprintf(start, sizeof(start), "%.25s", cases[i].line);
		snprintf(want, sizeof(want), "THPeligible:           %s", cases[i].eligible);
		got = thp_line_of(out, start);
		assert_non_null(got);
		assert_string_equal(got, want);
		free(got);
	}
	free(out);
	umm_mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(smaps_anonymous),
		cmocka_unit_test(smaps_files),
		cmocka_unit_test(smaps_hugetlb),
		cmocka_unit_test(smaps_maybe_guard),
		cmocka_unit_test(smaps_layout),
		cmocka_unit_test(smaps_thp_eligible),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
