/*
 * test_pkeys.c - protection keys: pkey_alloc, pkey_free, pkey_mprotect,
 * the execute-only key, the PKRU and SEGV_PKUERR, ProtectionKey in smaps
 * and in the import; and the two kernel-build settings measured on this
 * machine alongside them (cfg.zero_page, cfg.hugetlb_shifts).
 *
 * The no-PKU sequence is asked of this machine's kernel (the "kernel"
 * test). The PKU expectations come from reading the 6.18 source
 * (arch/x86/include/asm/pkeys.h, arch/x86/mm/pkeys.c, mm/mprotect.c,
 * do_mmap, access_error and bad_area_access_error in arch/x86/mm/fault.c);
 * tests/pku/ replays the same kinds of calls against a kernel with PKU
 * (recorded under qemu) through the oracle.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/lookup.h"
#include "core/mm.h"

#define A 0x200000000000UL
#define K4 0x1000UL
#define K16 0x4000UL
#define K64 0x10000UL
#define PA (UMM_MAP_PRIVATE | UMM_MAP_ANONYMOUS)
#define PAF (PA | UMM_MAP_FIXED)
#define RW (UMM_PROT_READ | UMM_PROT_WRITE)
#define RWX (RW | UMM_PROT_EXEC)
#define PKUERR UMM_FAULT_SIGNAL(UMM_SIGSEGV, UMM_SEGV_PKUERR)
#define ACCERR UMM_FAULT_SIGNAL(UMM_SIGSEGV, UMM_SEGV_ACCERR)

static struct umm_mm *space(bool pkeys)
{
	struct umm_config c;
	struct umm_mm *mm;

	umm_config_init(&c);
	c.pkeys = pkeys;
	mm = umm_mm_create(&c);
	assert_non_null(mm);
	return mm;
}

static void done(struct umm_mm *mm)
{
	char msg[256];

	assert_int_equal(umm_mm_check(mm, msg, sizeof(msg)), 0);
	umm_mm_destroy(mm);
}

static int key_at(struct umm_mm *mm, unsigned long addr)
{
	struct umm_vma_info vi;

	assert_int_equal(umm_find_vma(mm, addr, &vi), 0);
	return (int)((vi.vm_flags & UMM_VM_PKEY_MASK) >> UMM_VM_PKEY_SHIFT);
}

/* Does mm's smaps text contain s? */
static bool smaps_has(struct umm_mm *mm, const char *s)
{
	char *text = umm_smaps_string(mm);
	bool found;

	assert_non_null(text);
	found = strstr(text, s) != NULL;
	free(text);
	return found;
}

static unsigned long nvmas(struct umm_mm *mm)
{
	struct umm_mm_stats st;

	umm_mm_stats(mm, &st);
	return st.map_count;
}

/* The calls of the kernel test, in a fresh process each time. */
static void key_calls(long out[8], long (*call)(void *, long, long, long), void *ctx)
{
	out[0] = call(ctx, SYS_pkey_alloc, 0, 0);
	out[1] = call(ctx, SYS_pkey_alloc, 0, 0);
	out[2] = call(ctx, SYS_pkey_alloc, 1, 0);
	out[3] = call(ctx, SYS_pkey_alloc, 0, 4);
	out[4] = call(ctx, SYS_pkey_free, 0, 0);
	out[5] = call(ctx, SYS_pkey_free, 1, 0);
	out[6] = call(ctx, SYS_pkey_free, -1, 0);
	out[7] = call(ctx, SYS_pkey_alloc, 0, 0);
}

static long kernel_call_raw(void *ctx, long nr, long a, long b)
{
	long r = syscall(nr, a, b);

	(void)ctx;
	return r < 0 ? -errno : r;
}

static long umm_call(void *ctx, long nr, long a, long b)
{
	struct umm_mm *mm = ctx;

	if (nr == SYS_pkey_alloc)
		return umm_pkey_alloc(mm, (unsigned long)a, (unsigned long)b);
	return umm_pkey_free(mm, (int)a);
}

/* kernel: a new process's key calls, here and in usermm configured from
 * this host (no PKU on this machine: EINVAL, then ENOSPC for ever). */
static void kernel_key_sequence(void **state)
{
	long want[8], got[8];
	int pipefd[2], status;
	struct umm_config c;
	struct umm_mm *mm;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		key_calls(want, kernel_call_raw, NULL);
		_exit(write(pipefd[1], want, sizeof(want)) == sizeof(want) ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(read(pipefd[0], want, sizeof(want)), (ssize_t)sizeof(want));
	close(pipefd[0]);
	close(pipefd[1]);
	assert_int_equal(umm_config_from_host(&c), 0);
	mm = umm_mm_create(&c);
	assert_non_null(mm);
	key_calls(got, umm_call, mm);
	for (int i = 0; i < 8; i++)
		assert_int_equal(got[i], want[i]);
	if (!c.pkeys) {
		assert_int_equal(want[0], -EINVAL);
		assert_int_equal(want[1], -ENOSPC);
	}
	done(mm);
}

static void no_pku(void **state)
{
	struct umm_mm *mm = space(false);
	long a = umm_mmap(mm, A, K64, RW, PAF, NULL, 0);

	(void)state;
	assert_int_equal(a, (long)A);
	assert_int_equal(umm_pkey_alloc(mm, 0, 0), -EINVAL);
	assert_int_equal(umm_pkey_alloc(mm, 0, 0), -ENOSPC);
	assert_int_equal(umm_pkey_mprotect(mm, A, K4, UMM_PROT_READ, 0), -EINVAL);
	assert_int_equal(umm_mprotect(mm, A, K4, UMM_PROT_EXEC), 0);
	assert_int_equal(key_at(mm, A), 0);
	assert_int_equal(umm_pkru_get(mm), 0);
	assert_int_equal(umm_pkru_set(mm, 0), -EINVAL);
	assert_false(smaps_has(mm, "ProtectionKey"));
	done(mm);
}

static void alloc_order(void **state)
{
	struct umm_mm *mm = space(true);

	(void)state;
	assert_int_equal(umm_pkru_get(mm), UMM_PKRU_INIT);
	for (int k = 1; k < 16; k++)
		assert_int_equal(umm_pkey_alloc(mm, 0, 0), k);
	assert_int_equal(umm_pkey_alloc(mm, 0, 0), -ENOSPC);
	assert_int_equal(umm_pkey_alloc(mm, 1, 0), -EINVAL);
	assert_int_equal(umm_pkey_alloc(mm, 0, 4), -EINVAL);
	assert_int_equal(umm_pkey_free(mm, 3), 0);
	assert_int_equal(umm_pkey_free(mm, 3), -EINVAL);
	assert_int_equal(umm_pkey_alloc(mm, 0, UMM_PKEY_DISABLE_WRITE), 3);
	assert_int_equal(umm_pkru_get(mm) & (UMM_PKRU_AD(3) | UMM_PKRU_WD(3)), UMM_PKRU_WD(3));
	/* Key 0 is allocated from the start, so it can be freed and taken. */
	assert_int_equal(umm_pkey_free(mm, 0), 0);
	assert_int_equal(umm_pkey_alloc(mm, 0, 0), 0);
	assert_int_equal(umm_pkey_free(mm, 16), -EINVAL);
	assert_int_equal(umm_pkey_free(mm, -1), -EINVAL);
	done(mm);
}

static void mprotect_tags(void **state)
{
	struct umm_mm *mm = space(true);
	int k = umm_pkey_alloc(mm, 0, 0);

	(void)state;
	assert_int_equal(umm_mmap(mm, A, K64, RW, PAF, NULL, 0), (long)A);
	assert_int_equal(umm_pkey_mprotect(mm, A + K16, K16, RW, k), 0);
	assert_int_equal(nvmas(mm), 3);
	assert_int_equal(key_at(mm, A + K16), k);
	assert_true(smaps_has(mm, "ProtectionKey:         1\n"));
	/* Plain mprotect keeps each VMA's key. */
	assert_int_equal(umm_mprotect(mm, A, K64, UMM_PROT_READ), 0);
	assert_int_equal(nvmas(mm), 3);
	assert_int_equal(key_at(mm, A + K16), k);
	assert_int_equal(key_at(mm, A), 0);
	assert_int_equal(umm_pkey_mprotect(mm, A + K16, K16, UMM_PROT_READ, 0), 0);
	assert_int_equal(nvmas(mm), 1);
	/* Argument checks come before the key's. */
	assert_int_equal(umm_pkey_mprotect(mm, A, 0, RW, 5), 0);
	assert_int_equal(umm_pkey_mprotect(mm, A + 1, K4, RW, 5), -EINVAL);
	assert_int_equal(umm_pkey_mprotect(mm, A, -K4, RW, 5), -ENOMEM);
	assert_int_equal(umm_pkey_mprotect(mm, A, K4, RW, 5), -EINVAL);
	assert_int_equal(umm_pkey_mprotect(mm, A, K4, RW, 16), -EINVAL);
	assert_int_equal(umm_pkey_mprotect(mm, A, K4, RW, -2), -EINVAL);
	/* A freed key stays on its VMAs. */
	assert_int_equal(umm_pkey_mprotect(mm, A, K4, RW, k), 0);
	assert_int_equal(umm_pkey_free(mm, k), 0);
	assert_int_equal(key_at(mm, A), k);
	done(mm);
}

static void execute_only(void **state)
{
	struct umm_mm *mm = space(true);
	long b;

	(void)state;
	assert_int_equal(umm_mmap(mm, A, K64, RW, PAF, NULL, 0), (long)A);
	assert_int_equal(umm_mprotect(mm, A, K4, UMM_PROT_EXEC), 0);
	assert_int_equal(key_at(mm, A), 1);
	assert_true(umm_pkru_get(mm) & UMM_PKRU_AD(1));
	/* Taken, but never usable through the key calls. */
	assert_int_equal(umm_pkey_alloc(mm, 0, 0), 2);
	assert_int_equal(umm_pkey_free(mm, 1), -EINVAL);
	assert_int_equal(umm_pkey_mprotect(mm, A, K4, UMM_PROT_EXEC, 1), -EINVAL);
	/* Reading it is a key fault; running it is not. */
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_READ, NULL), PKUERR);
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_EXEC, NULL), 0);
	/* A readable PKRU is fixed again on the next use. */
	assert_int_equal(umm_pkru_set(mm, 0), 0);
	assert_int_equal(umm_mprotect(mm, A + K4, K4, UMM_PROT_EXEC), 0);
	assert_int_equal(umm_pkru_get(mm), UMM_PKRU_AD(1));
	assert_int_equal(nvmas(mm), 2);
	/* Leaving execute-only goes back to key 0, and merges. */
	assert_int_equal(umm_mprotect(mm, A, 2 * K4, RW), 0);
	assert_int_equal(key_at(mm, A), 0);
	assert_int_equal(nvmas(mm), 1);
	b = umm_mmap(mm, 0, K4, UMM_PROT_EXEC, PA, NULL, 0);
	assert_true(b > 0);
	assert_int_equal(key_at(mm, (unsigned long)b), 1);
	/* PROT_EXEC with another bit is not execute-only. */
	b = umm_mmap(mm, 0, K4, UMM_PROT_EXEC | UMM_PROT_READ, PA, NULL, 0);
	assert_int_equal(key_at(mm, (unsigned long)b), 0);
	done(mm);
}

static void execute_only_without_a_key(void **state)
{
	struct umm_mm *mm = space(true);

	(void)state;
	for (int k = 1; k < 16; k++)
		assert_int_equal(umm_pkey_alloc(mm, 0, 0), k);
	assert_int_equal(umm_mmap(mm, A, K64, RW, PAF, NULL, 0), (long)A);
	assert_int_equal(umm_pkey_mprotect(mm, A, K4, RW, 7), 0);
	assert_int_equal(umm_mprotect(mm, A, K16, UMM_PROT_EXEC), 0);
	assert_int_equal(key_at(mm, A), 7);
	assert_int_equal(key_at(mm, A + K4), 0);
	assert_int_equal(umm_mmap(mm, A + K64, K4, UMM_PROT_EXEC, PAF, NULL, 0), (long)(A + K64));
	assert_int_equal(key_at(mm, A + K64), 0);
	done(mm);
}

static void faults(void **state)
{
	struct umm_mm *mm = space(true);
	int ad = umm_pkey_alloc(mm, 0, UMM_PKEY_DISABLE_ACCESS);
	int wd = umm_pkey_alloc(mm, 0, UMM_PKEY_DISABLE_WRITE);
	struct umm_fault_info fi;

	(void)state;
	assert_int_equal(umm_mmap(mm, A, K64, RWX, PAF, NULL, 0), (long)A);
	assert_int_equal(umm_pkey_mprotect(mm, A, K4, RWX, ad), 0);
	assert_int_equal(umm_pkey_mprotect(mm, A + K4, K4, RWX, wd), 0);
	assert_int_equal(umm_pkey_mprotect(mm, A + 2 * K4, K4, 0, ad), 0);
	assert_int_equal(umm_pkey_mprotect(mm, A + 3 * K4, K4, UMM_PROT_READ, wd), 0);
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_READ, &fi), PKUERR);
	assert_int_equal(fi.pkey, ad);
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_WRITE, NULL), PKUERR);
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_EXEC, NULL), 0);
	assert_int_equal(umm_fault(mm, A + K4, UMM_ACCESS_READ, NULL), 0);
	assert_int_equal(umm_fault(mm, A + K4, UMM_ACCESS_WRITE, &fi), PKUERR);
	assert_int_equal(fi.pkey, wd);
	/* The key is checked before the VMA's own rights. */
	assert_int_equal(umm_fault(mm, A + 2 * K4, UMM_ACCESS_READ, NULL), PKUERR);
	assert_int_equal(umm_fault(mm, A + 3 * K4, UMM_ACCESS_WRITE, NULL), PKUERR);
	assert_int_equal(umm_pkru_set(mm, 0), 0);
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_WRITE, NULL), 0);
	assert_int_equal(umm_fault(mm, A + 2 * K4, UMM_ACCESS_READ, NULL), ACCERR);
	assert_int_equal(umm_fault(mm, A + 3 * K4, UMM_ACCESS_WRITE, NULL), ACCERR);
	/* Key 0 is a key like the others. */
	assert_int_equal(umm_pkru_set(mm, UMM_PKRU_AD(0)), 0);
	assert_int_equal(umm_fault(mm, A + 4 * K4, UMM_ACCESS_READ, NULL), PKUERR);
	done(mm);
}

/* get_user_pages is a data access: populating memory the PKRU shuts is
 * refused (MADV_POPULATE_*: EINVAL; mlock's populate: EFAULT, which
 * mlock reports as ENOMEM with the range locked), and mincore cannot
 * write its vector there. */
static void gup_under_keys(void **state)
{
	struct umm_mm *mm = space(true);
	int ad = umm_pkey_alloc(mm, 0, UMM_PKEY_DISABLE_ACCESS);
	int wd = umm_pkey_alloc(mm, 0, UMM_PKEY_DISABLE_WRITE);
	struct umm_vma_info vi;

	(void)state;
	assert_int_equal(umm_mmap(mm, A, K64, RW, PAF, NULL, 0), (long)A);
	assert_int_equal(umm_pkey_mprotect(mm, A, K16, RW, ad), 0);
	assert_int_equal(umm_pkey_mprotect(mm, A + K16, K16, RW, wd), 0);
	assert_int_equal(umm_madvise(mm, A, K4, 22 /* MADV_POPULATE_READ */), -EINVAL);
	assert_int_equal(umm_madvise(mm, A + K16, K4, 22), 0);
	assert_int_equal(umm_madvise(mm, A + K16, K4, 23 /* MADV_POPULATE_WRITE */), -EINVAL);
	assert_int_equal(umm_madvise(mm, A + 2 * K16, K4, 23), 0);
	assert_int_equal(umm_mincore_user(mm, A + 2 * K16, K4, A, NULL), -EFAULT);
	assert_int_equal(umm_mincore_user(mm, A + 2 * K16, K4, A + K16, NULL), -EFAULT);
	assert_int_equal(umm_mincore_user(mm, A + 2 * K16, K4, A + 2 * K16 + K4, NULL), 0);
	assert_int_equal(umm_mlock(mm, A, K4), -ENOMEM);
	assert_int_equal(umm_find_vma(mm, A, &vi), 0);
	assert_true(vi.vm_flags & UMM_VM_LOCKED);
	assert_int_equal(umm_pkru_set(mm, 0), 0);
	assert_int_equal(umm_madvise(mm, A, K4, 22), 0);
	assert_int_equal(umm_mlock(mm, A + K4, K4), 0);
	done(mm);
}

static void import_keys(void **state)
{
	static const char text[] =
		"200000000000-200000001000 rw-p 00000000 00:00 0 \n"
		"Size:                  4 kB\n"
		"ProtectionKey:         5\n"
		"VmFlags: rd wr mr mw me ac \n"
		"200000001000-200000002000 rw-p 00000000 00:00 0 \n"
		"Size:                  4 kB\n"
		"ProtectionKey:         0\n"
		"VmFlags: rd wr mr mw me ac \n";
	struct umm_mm *mm = space(true);
	int bad = 0;

	(void)state;
	assert_int_equal(umm_maps_import(mm, text, NULL, &bad), 0);
	assert_int_equal(nvmas(mm), 2);
	assert_int_equal(key_at(mm, A), 5);
	assert_int_equal(key_at(mm, A + K4), 0);
	assert_true(smaps_has(mm, "ProtectionKey:         5\n"));
	done(mm);
}

/* Measured here: reading f+8K before the middle is made writable again
 * keeps the three apart on this kernel, which allocates a page. */
static void zero_page_setting(void **state)
{
	for (int zero = 0; zero < 2; zero++) {
		struct umm_config c;
		struct umm_mm *mm;

		umm_config_init(&c);
		c.zero_page = zero;
		mm = umm_mm_create(&c);
		assert_non_null(mm);
		assert_int_equal(umm_mmap(mm, A, 3 * K4, RW, PAF, NULL, 0), (long)A);
		assert_int_equal(umm_mprotect(mm, A + K4, K4, UMM_PROT_READ), 0);
		assert_int_equal(umm_fault(mm, A + 2 * K4, UMM_ACCESS_READ, NULL), 0);
		assert_int_equal(umm_fault(mm, A, UMM_ACCESS_WRITE, NULL), 0);
		assert_int_equal(umm_mprotect(mm, A + K4, K4, RW), 0);
		assert_int_equal(nvmas(mm), zero ? 1 : 2);
		done(mm);
	}
	(void)state;
}

static void hugetlb_sizes(void **state)
{
	struct umm_config c;
	struct umm_mm *mm;
	char *maps;
	long a;

	(void)state;
	umm_config_init(&c);
	c.hugetlb_shifts = 1UL << 21;
	mm = umm_mm_create(&c);
	assert_non_null(mm);
	assert_int_equal(umm_mmap(mm, 0, 2UL << 20, RW, PA | UMM_MAP_HUGETLB | UMM_MAP_NORESERVE |
				  (30 << UMM_MAP_HUGE_SHIFT), NULL, 0), -EINVAL);
	assert_true(umm_mmap(mm, 0, 2UL << 20, RW, PA | UMM_MAP_HUGETLB | UMM_MAP_NORESERVE, NULL,
			     0) > 0);
	done(mm);
	c.hugetlb_shifts = 1UL << 30;
	mm = umm_mm_create(&c);
	a = umm_mmap(mm, 0, 2UL << 20, RW, PA | UMM_MAP_HUGETLB | UMM_MAP_NORESERVE, NULL, 0);
	assert_true(a > 0 && (a & ((1L << 30) - 1)) == 0);
	maps = umm_maps_string(mm);
	assert_non_null(strstr(maps, "00:11 "));
	free(maps);
	done(mm);
	c.hugetlb_shifts = 1UL << 22;
	assert_null(umm_mm_create(&c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kernel_key_sequence),
		cmocka_unit_test(no_pku),
		cmocka_unit_test(alloc_order),
		cmocka_unit_test(mprotect_tags),
		cmocka_unit_test(execute_only),
		cmocka_unit_test(execute_only_without_a_key),
		cmocka_unit_test(faults),
		cmocka_unit_test(gup_under_keys),
		cmocka_unit_test(import_keys),
		cmocka_unit_test(zero_page_setting),
		cmocka_unit_test(hugetlb_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
