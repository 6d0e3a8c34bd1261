/*
 * test_oracle_fault.c - umm_fault against this kernel: the oracle's touch
 * op makes one real access and records 0 or (signal << 8) | si_code, and
 * the maps after it show stack growth and (through later merges) the
 * anon_vma a write fault prepares. The expectations are what the kernel
 * was measured to do.
 *
 * Guard regions (MADV_GUARD_INSTALL): SEGV_MAPERR, after the access check,
 * before a file's end.
 */
#define _GNU_SOURCE
#include "oracle_test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEGV_MAPERR "0xb01"
#define SEGV_ACCERR "0xb02"
#define SEGV_KERNEL "0xb80"
#define BUS_ADRERR "0x702"

/* What each protection allows on x86: reads need any right, writes
 * VM_WRITE, instruction fetches VM_EXEC (NX). */
ORACLE_SCENARIO(access_rights,
	"a=mmap 0x200000000000 16K PROT_NONE MAP_PAF -1 0\n"
	"touch a PROT_READ => " SEGV_ACCERR "\n"
	"touch a PROT_WRITE => " SEGV_ACCERR "\n"
	"touch a PROT_EXEC => " SEGV_ACCERR "\n"
	"b=mmap 0x200000100000 16K PROT_READ MAP_PAF -1 0\n"
	"touch b PROT_READ => 0\n"
	"touch b PROT_WRITE => " SEGV_ACCERR "\n"
	"touch b PROT_EXEC => " SEGV_ACCERR "\n"
	"c=mmap 0x200000200000 16K PROT_WRITE MAP_PAF -1 0\n"
	"touch c PROT_READ => 0\n"
	"touch c PROT_WRITE => 0\n"
	"touch c PROT_EXEC => " SEGV_ACCERR "\n"
	"d=mmap 0x200000300000 16K PROT_RW MAP_PAF -1 0\n"
	"touch d PROT_WRITE => 0\n"
	"mprotect d 16K PROT_EXEC => 0\n"
	"touch d PROT_READ => 0\n"
	"touch d PROT_WRITE => " SEGV_ACCERR "\n"
	"touch d PROT_EXEC => 0\n"
	"e=mmap 0x200000400000 16K PROT_RW MAP_PAF -1 0\n"
	"touch e PROT_WRITE => 0\n"
	"mprotect e 16K PROT_RX => 0\n"
	"touch e PROT_EXEC => 0\n"
	"mprotect e 16K PROT_EXEC => 0\n"
	"touch e PROT_EXEC => 0\n"
	"touch e PROT_READ => 0\n"
	"touch 0x200000500000 PROT_READ => " SEGV_MAPERR "\n"
	"touch 0x200000500000 PROT_WRITE => " SEGV_MAPERR "\n"
	"touch 0x200000500000 PROT_EXEC => " SEGV_MAPERR "\n"
	"mlock e 4K => 0\n"
	"touch e PROT_READ => 0\n"
	"touch e+4K PROT_WRITE => " SEGV_ACCERR "\n")

/* Addresses no VMA can hold: the kernel half, the non-canonical hole
 * (a #GP: SI_KERNEL), the last user page, the [vsyscall] page (read:
 * MAPERR; a fetch off its entry points: SI_KERNEL), low memory. */
ORACLE_SCENARIO(kernel_addresses,
	"touch 0xffffffffff600000 PROT_READ => " SEGV_MAPERR "\n"
	"touch 0xffffffffff600000 PROT_WRITE => " SEGV_MAPERR "\n"
	"touch 0xffffffffff600010 PROT_EXEC => " SEGV_KERNEL "\n"
	"touch 0xffffffffff600c00 PROT_EXEC => " SEGV_KERNEL "\n"
	"touch 0xffffffffff601000 PROT_READ => " SEGV_MAPERR "\n"
	"touch 0xffffffffff601000 PROT_EXEC => " SEGV_MAPERR "\n"
	"touch 0x800000000000 PROT_READ => " SEGV_KERNEL "\n"
	"touch 0x800000000000 PROT_EXEC => " SEGV_KERNEL "\n"
	"touch 0xffff7ffffffff000 PROT_WRITE => " SEGV_KERNEL "\n"
	"touch 0x7ffffffff000 PROT_READ => " SEGV_MAPERR "\n"
	"touch 0xffff800000000000 PROT_READ => " SEGV_MAPERR "\n"
	"touch 0xffff900000000000 PROT_WRITE => " SEGV_MAPERR "\n"
	"touch 0x1000 PROT_READ => " SEGV_MAPERR "\n"
	"touch 0 PROT_READ => " SEGV_MAPERR "\n")

/* Past a file's end (rounded up to pages): SIGBUS, shared or private,
 * on disk or tmpfs, for any access; shared anonymous memory and /dev/zero
 * mappings have no such end inside the mapping. */
ORACLE_SCENARIO(past_end_of_file,
	"file s ${SHORT} O_RDWR\n"
	"file m ${SHMSHORT} O_RDWR\n"
	"file z ${ZERO} O_RDWR\n"
	"f=mmap 0x200000600000 16K PROT_RW MAP_SHARED s 0\n"
	"touch f PROT_READ => 0\n"
	"touch f+4K+4095 PROT_READ => 0\n"
	"touch f+8K PROT_READ => " BUS_ADRERR "\n"
	"touch f+8K PROT_WRITE => " BUS_ADRERR "\n"
	"touch f+12K PROT_EXEC => " BUS_ADRERR "\n"
	"g=mmap 0x200000700000 16K PROT_RW MAP_PRIVATE s 0\n"
	"touch g+4K PROT_READ => 0\n"
	"touch g+8K PROT_READ => " BUS_ADRERR "\n"
	"touch g+8K PROT_WRITE => " BUS_ADRERR "\n"
	"h=mmap 0x200000800000 16K PROT_RW MAP_SHARED m 0\n"
	"touch h+4K PROT_WRITE => 0\n"
	"touch h+8K PROT_READ => " BUS_ADRERR "\n"
	"i=mmap 0x200000900000 16K PROT_RW MAP_SHARED z 0\n"
	"touch i+12K PROT_READ => 0\n"
	"j=mmap 0x200000a00000 16K PROT_RW MAP_SA -1 0\n"
	"touch j+12K PROT_WRITE => 0\n"
	"k=mmap 0x200000b00000 16K PROT_RW MAP_PRIVATE z 0\n"
	"touch k+12K PROT_READ => 0\n"
	"l=mmap 0x200000c00000 16K PROT_READ MAP_SHARED s 0x2000\n"
	"touch l PROT_READ => " BUS_ADRERR "\n"
	"n=mmap 0x200000d00000 16K PROT_READ MAP_PRIVATE s 0x1000\n"
	"touch n PROT_READ => 0\n"
	"touch n+4K PROT_EXEC => " BUS_ADRERR "\n")

/* Which faults give a private VMA an anon_vma: the middle third of each
 * VMA is made read-only, one outer third is touched, the other written,
 * and the middle made writable again: the VMA becomes one again only if
 * the touch left no anon_vma. A write past EOF (SIGBUS) does leave one;
 * reads, fetches and refused writes do not. */
ORACLE_SCENARIO(anon_vma_of_faults,
	"file s ${SHORT} O_RDWR\n"
	"c=mmap 0x210000000000 12K PROT_RW MAP_PRIVATE|MAP_FIXED s 0\n"
	"mprotect c+4K 4K PROT_READ => 0\n"
	"touch c+8K PROT_WRITE => " BUS_ADRERR "\n"
	"touch c PROT_WRITE => 0\n"
	"mprotect c+4K 4K PROT_RW => 0\n"
	"d=mmap 0x220000000000 12K PROT_RW MAP_PRIVATE|MAP_FIXED s 0\n"
	"mprotect d+4K 4K PROT_READ => 0\n"
	"touch d+8K PROT_READ => " BUS_ADRERR "\n"
	"touch d+4K PROT_READ => 0\n"
	"touch d PROT_WRITE => 0\n"
	"mprotect d+4K 4K PROT_RW => 0\n"
	"e=mmap 0x230000000000 12K PROT_RW MAP_PRIVATE|MAP_FIXED s 0\n"
	"mprotect e+4K 4K PROT_READ => 0\n"
	"touch e+8K PROT_EXEC => " BUS_ADRERR "\n"
	"touch e PROT_WRITE => 0\n"
	"mprotect e+4K 4K PROT_RW => 0\n"
	"f=mmap 0x240000000000 12K PROT_RW MAP_PAF -1 0\n"
	"mprotect f+4K 4K PROT_READ => 0\n"
	"touch f+8K PROT_READ => 0\n"
	"touch f PROT_WRITE => 0\n"
	"mprotect f+4K 4K PROT_RW => 0\n"
	"g=mmap 0x250000000000 12K PROT_RW MAP_PAF -1 0\n"
	"mprotect g+4K 4K PROT_READ => 0\n"
	"touch g+8K PROT_WRITE => 0\n"
	"touch g PROT_WRITE => 0\n"
	"mprotect g+4K 4K PROT_RW => 0\n"
	"h=mmap 0x260000000000 12K PROT_READ MAP_PAF -1 0\n"
	"mprotect h+4K 4K PROT_RW => 0\n"
	"touch h+8K PROT_WRITE => " SEGV_ACCERR "\n"
	"touch h PROT_WRITE => " SEGV_ACCERR "\n"
	"mprotect h 12K PROT_RW => 0\n"
	"i=mmap 0x270000000000 12K PROT_RW MAP_SA -1 0\n"
	"mprotect i+4K 4K PROT_READ => 0\n"
	"touch i+8K PROT_WRITE => 0\n"
	"touch i PROT_WRITE => 0\n"
	"mprotect i+4K 4K PROT_RW => 0\n")

/* Hugetlb faults find the pool empty: SIGBUS, read or write. */
ORACLE_SCENARIO(hugetlb_faults,
	"a=mmap 0x200000000000 2M PROT_RW MAP_PA|MAP_FIXED|MAP_HUGETLB|MAP_NORESERVE -1 0\n"
	"touch a PROT_READ => " BUS_ADRERR "\n"
	"touch a+8K PROT_WRITE => " BUS_ADRERR "\n"
	"b=mmap 0x200000200000 2M PROT_READ MAP_SA|MAP_FIXED|MAP_HUGETLB|MAP_NORESERVE -1 0\n"
	"touch b PROT_READ => " BUS_ADRERR "\n"
	"touch b PROT_WRITE => " SEGV_ACCERR "\n")

/* MAP_GROWSDOWN VMAs grow down to any access within RLIMIT_STACK, then
 * the access is checked; not within stack_guard_gap of an accessible
 * VMA below (an inaccessible one or another stack does not count). */
ORACLE_SCENARIO(growsdown_growth,
	"g=mmap 0x300000100000 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch g-1 PROT_READ => 0\n"
	"touch g-0x100000 PROT_WRITE => 0\n"
	"touch g-0x800000 PROT_WRITE => " SEGV_MAPERR "\n"
	"touch g-0x7f0000 PROT_WRITE => 0\n"
	"touch g-0x810000 PROT_WRITE => " SEGV_MAPERR "\n"
	"p=mmap 0x310000000000 4K PROT_RW MAP_PAF -1 0\n"
	"h=mmap 0x310000000000+4K+1M+64K 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch h-64K-4K PROT_WRITE => " SEGV_MAPERR "\n"
	"touch h-64K PROT_WRITE => 0\n"
	"touch h-64K-4K PROT_WRITE => " SEGV_MAPERR "\n"
	"q=mmap 0x320000000000 4K PROT_NONE MAP_PAF -1 0\n"
	"i=mmap 0x320000000000+4K+64K 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch q+4K PROT_WRITE => 0\n"
	"j=mmap 0x330000000000 64K PROT_NONE MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch j-4K PROT_READ => " SEGV_ACCERR "\n"
	"k=mmap 0x340000000000 64K PROT_READ MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch k-4K PROT_WRITE => " SEGV_ACCERR "\n"
	"touch k-8K PROT_EXEC => " SEGV_ACCERR "\n"
	"l=mmap 0x350000000000 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN|MAP_NORESERVE -1 0\n"
	"touch l-4K PROT_READ => 0\n"
	"m=mmap 0x360000000000 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"n=mmap 0x360000000000+68K 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch n-4K PROT_READ => 0\n"
	"mprotect m 128K PROT_READ => 0\n"
	"o=mmap 0x10000 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch o-4K PROT_READ => " SEGV_MAPERR "\n")

/* A grown stack has an anon_vma (made even when a limit then refuses the
 * growth), so it no longer merges with a VMA that has another one. */
ORACLE_SCENARIO(growsdown_anon_vma,
	"a=mmap 0x300000000000 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch a-0x800000 PROT_READ => " SEGV_MAPERR "\n"
	"b=mmap 0x300000010000 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch b PROT_WRITE => 0\n"
	"c=mmap 0x310000000000 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"d=mmap 0x310000010000 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"mprotect c+32K 32K PROT_READ => 0\n"
	"touch c-4K PROT_READ => 0\n"
	"touch d PROT_WRITE => 0\n"
	"mprotect c 64K PROT_RW => 0\n")

/* A stack grown into an identical neighbour (the other half of one
 * stack, sharing its anon_vma) is not merged with it: growth only moves
 * vm_start. Found by fuzzing: the checker demanded the merge. */
ORACLE_SCENARIO(growsdown_into_a_twin,
	"a=mmap 0x300000000000 32K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch a PROT_WRITE => 0\n"
	"munmap a+8K 8K => 0\n"
	"touch a+12K PROT_WRITE => 0\n"
	"touch a+8K PROT_WRITE => 0\n"
	"touch a+4K PROT_WRITE => 0\n")

/* The limits of a growth: RLIMIT_MEMLOCK for a locked stack (whose
 * growth counts in locked_vm), RLIMIT_STACK. (RLIMIT_AS: see
 * growsdown_address_space_limit; the runner's own size is not fixed.) */
ORACLE_SCENARIO(growsdown_limits,
	"rlimit memlock 256K 256K\n"
	"a=mmap 0x300000100000 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN|MAP_LOCKED -1 0\n"
	"touch a-128K PROT_WRITE => 0\n"
	"touch a-196K PROT_WRITE => " SEGV_MAPERR "\n"
	"touch a-192K PROT_WRITE => 0\n"
	"d=mmap 0x330000100000 64K PROT_RW MAP_PA|MAP_FIXED|MAP_GROWSDOWN -1 0\n"
	"touch d-8M PROT_WRITE => " SEGV_MAPERR "\n"
	"touch d-8M+64K PROT_READ => 0\n")

/* RLIMIT_AS counts a growth; a refused one leaves the VMA as it was. */
static void growsdown_address_space_limit(void **state)
{
	struct umm_config cfg;
	struct umm_mm *mm;
	struct umm_mm_stats st;
	long a;

	(void)state;
	umm_config_init(&cfg);
	cfg.rlimit_as.cur = 1UL << 20;
	mm = umm_mm_create(&cfg);
	assert_non_null(mm);
	a = umm_mmap(mm, 0x300000100000, 65536, 3, 0x22 | 0x10 | 0x100, NULL, 0);
	assert_int_equal(a, 0x300000100000);
	assert_int_equal(umm_fault(mm, a - (1UL << 20) + 65536, UMM_ACCESS_WRITE, NULL), 0);
	assert_int_equal(umm_fault(mm, a - (1UL << 20) + 61440, UMM_ACCESS_WRITE, NULL),
			 UMM_FAULT_SIGNAL(UMM_SIGSEGV, UMM_SEGV_MAPERR));
	umm_mm_stats(mm, &st);
	assert_int_equal(st.total_vm, 256);
	assert_int_equal(st.stack_vm, 256);
	assert_int_equal(st.committed, 256);
	umm_mm_destroy(mm);
}

/* The runner's own [stack] grows the same way (its signal handlers run
 * on an alternate stack), up to RLIMIT_STACK (8 MiB) below its top. */
ORACLE_SCENARIO(stack_growth,
	"touch 0x7fffff000000 PROT_READ => " SEGV_MAPERR "\n"
	"touch 0x7ffffff00000 PROT_WRITE => 0\n"
	"touch 0x7ffffff00000 PROT_EXEC => " SEGV_ACCERR "\n"
	"touch 0x7fffff800000 PROT_READ => 0\n"
	"touch 0x7fffff7ff000 PROT_WRITE => 0\n"
	"touch 0x7fffff7fe000 PROT_WRITE => " SEGV_MAPERR "\n")

/* Guard regions: MAPERR after the access check, ahead of a file's end.
 * Not in the suite until umm_madvise exists (MADV_GUARD_INSTALL is 102). */
ORACLE_SCENARIO(guard_regions,
	"file s ${SHORT} O_RDWR\n"
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"madvise a+4K 4K 102 => 0\n"
	"touch a+4K PROT_READ => " SEGV_MAPERR "\n"
	"touch a+4K PROT_WRITE => " SEGV_MAPERR "\n"
	"touch a+4K PROT_EXEC => " SEGV_MAPERR "\n"
	"mprotect a+4K 4K PROT_READ => 0\n"
	"touch a+4K PROT_WRITE => " SEGV_ACCERR "\n"
	"touch a+4K PROT_READ => " SEGV_MAPERR "\n"
	"c=mmap 0x210000000000 16K PROT_RW MAP_PRIVATE|MAP_FIXED s 0\n"
	"madvise c+8K 4K 102 => 0\n"
	"touch c+8K PROT_READ => " SEGV_MAPERR "\n"
	"touch c+12K PROT_READ => " BUS_ADRERR "\n")

/* The start of the special mapping named name in a kernel maps text. */
static unsigned long special_start(const char *maps, const char *name)
{
	for (const char *p = maps; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t k = strlen(name);

		if (n >= k && memcmp(p + n - k, name, k) == 0 && p[n - k - 1] == ' ')
			return strtoul(p, NULL, 16);
	}
	return 0;
}

/* [vvar] pages 0 and 2 and [vvar_vclock] page 0 can be read here, the
 * others have nothing behind them (SIGBUS); [vdso] is readable and
 * executable; none of them writable. Their place is read from a first
 * run's maps. */
static void vdso_pages(void **state)
{
	struct oracle_run run;
	unsigned long vvar, vclock, vdso;

	(void)state;
	assert_int_equal(oracle_kernel_run("touch 0 PROT_READ\n", &run), 0);
	vvar = special_start(run.maps[0], "[vvar]");
	vclock = special_start(run.maps[0], "[vvar_vclock]");
	vdso = special_start(run.maps[0], "[vdso]");
	oracle_run_free(&run);
	assert_true(vvar && vclock && vdso);
	assert_int_equal(oracle_checkf("touch %#lx PROT_READ => 0\n"
				       "touch %#lx PROT_READ => " BUS_ADRERR "\n"
				       "touch %#lx PROT_READ => 0\n"
				       "touch %#lx PROT_READ => " BUS_ADRERR "\n"
				       "touch %#lx PROT_WRITE => " SEGV_ACCERR "\n"
				       "touch %#lx PROT_EXEC => " SEGV_ACCERR "\n"
				       "touch %#lx PROT_READ => 0\n"
				       "touch %#lx PROT_READ => " BUS_ADRERR "\n"
				       "touch %#lx PROT_READ => 0\n"
				       "touch %#lx PROT_READ => 0\n"
				       "touch %#lx PROT_WRITE => " SEGV_ACCERR "\n",
				       vvar, vvar + 4096, vvar + 8192, vvar + 12288, vvar, vvar,
				       vclock, vclock + 4096, vdso, vdso + 4096, vdso),
			 0);
}

/* The API's own argument checks and details. */
static void fault_api(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL);
	struct umm_fault_info info;
	long a;

	(void)state;
	assert_non_null(mm);
	assert_int_equal(umm_fault(NULL, 0, UMM_ACCESS_READ, NULL), -EINVAL);
	assert_int_equal(umm_fault(mm, 0, 0, NULL), -EINVAL);
	assert_int_equal(umm_fault(mm, 0, UMM_ACCESS_READ | UMM_ACCESS_WRITE, NULL), -EINVAL);
	assert_int_equal(umm_fault(mm, 0, 8, &info), -EINVAL);
	a = umm_mmap(mm, 0x300000100000, 65536, 3, 0x22 | 0x10 | 0x100, NULL, 0);
	assert_int_equal(a, 0x300000100000);
	assert_int_equal(umm_fault(mm, a - 1, UMM_ACCESS_READ, &info), 0);
	assert_true(info.stack_grew);
	assert_int_equal(info.signo, 0);
	assert_int_equal(umm_fault(mm, a, UMM_ACCESS_EXEC, &info),
			 UMM_FAULT_SIGNAL(UMM_SIGSEGV, UMM_SEGV_ACCERR));
	assert_false(info.stack_grew);
	assert_int_equal(info.signo, UMM_SIGSEGV);
	assert_int_equal(info.si_code, UMM_SEGV_ACCERR);
	/* no gate area in an empty space: nothing is emulated */
	assert_int_equal(umm_fault(mm, 0xffffffffff600000UL, UMM_ACCESS_EXEC, &info),
			 UMM_FAULT_SIGNAL(UMM_SIGSEGV, UMM_SEGV_MAPERR));
	assert_false(info.vsyscall);
	umm_mm_destroy(mm);
}

/* With an imported [vsyscall], fetches from its entries are emulated. */
static void vsyscall_entries(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL);
	struct umm_fault_info info;
	const char *maps = "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
			   "                  [vsyscall]\n";

	(void)state;
	assert_non_null(mm);
	assert_int_equal(umm_maps_import(mm, maps, NULL, NULL), 0);
	for (unsigned long off = 0; off < 0xc00; off += 0x400) {
		assert_int_equal(umm_fault(mm, 0xffffffffff600000UL + off, UMM_ACCESS_EXEC, &info), 0);
		assert_true(info.vsyscall);
	}
	assert_int_equal(umm_fault(mm, 0xffffffffff600c00UL, UMM_ACCESS_EXEC, NULL),
			 UMM_FAULT_SIGNAL(UMM_SIGSEGV, UMM_SI_KERNEL));
	assert_int_equal(umm_fault(mm, 0xffffffffff600000UL, UMM_ACCESS_READ, &info),
			 UMM_FAULT_SIGNAL(UMM_SIGSEGV, UMM_SEGV_MAPERR));
	assert_false(info.vsyscall);
	umm_mm_destroy(mm);
}

static char *short_reg, *short_shm;

static int files_setup(void **state)
{
	short_reg = oracle_make_file("/tmp", 5000);
	short_shm = oracle_make_file("/dev/shm", 5000);
	if (!short_reg || !short_shm || oracle_define("SHORT", short_reg) ||
	    oracle_define("SHMSHORT", short_shm))
		return -1;
	return oracle_files_setup(state);
}

static int files_teardown(void **state)
{
	if (short_reg)
		unlink(short_reg);
	if (short_shm)
		unlink(short_shm);
	free(short_reg);
	free(short_shm);
	return oracle_files_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(access_rights),
		cmocka_unit_test(kernel_addresses),
		cmocka_unit_test(past_end_of_file),
		cmocka_unit_test(anon_vma_of_faults),
		cmocka_unit_test(hugetlb_faults),
		cmocka_unit_test(growsdown_growth),
		cmocka_unit_test(growsdown_anon_vma),
		cmocka_unit_test(growsdown_into_a_twin),
		cmocka_unit_test(growsdown_limits),
		cmocka_unit_test(growsdown_address_space_limit),
		cmocka_unit_test(stack_growth),
		cmocka_unit_test(vdso_pages),
		cmocka_unit_test(guard_regions),
		cmocka_unit_test(fault_api),
		cmocka_unit_test(vsyscall_entries),
	};

	(void)guard_regions; /* see the file comment */
	return cmocka_run_group_tests(tests, files_setup, files_teardown);
}
