/*
 * test_fork.c - umm_mm_fork against this kernel's fork. The same steps
 * run twice: on the kernel, in a process of this test that forks a
 * child (fork_probe: raw syscalls, no allocation between the
 * measurements, its mappings in a window of their own at
 * 0x300000000000), and on usermm,
 * in a space and its umm_mm_fork child. Each step yields a number (a
 * fault count, a byte read, a VmPTE or RssAnon change, a VMA count) and
 * the two lists must be equal; the key ones are also asserted as the
 * kernel was measured to give them.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "usermm.h"

#include "progs/fork_probe.h"

#include <stdio.h>
#include <stdlib.h>

#define W FORK_W
#define PG FORK_PG
#define GIG FORK_GIG
#define WINDOW FORK_WINDOW

/* The kernel's observations: fork_probe's line. */
static int kernel_side(long *o)
{
	FILE *f = popen(UMM_FORK_PROBE_PATH, "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < NOBS && fscanf(f, "%ld", &o[n]) == 1)
		n++;
	return pclose(f) == 0 && n == NOBS ? 0 : -1;
}

/* ---- the usermm side ---- */

static long u_vmas(struct umm_mm *mm)
{
	struct umm_vma_iter it;
	struct umm_vma_info vi;
	long n = 0;

	umm_vma_iter_init(&it, mm, W);
	while (umm_vma_iter_next(&it, &vi) && vi.start < W + WINDOW)
		n++;
	return n;
}

static long u_flt(struct umm_mm *mm)
{
	struct umm_mm_stats st;

	umm_mm_stats(mm, &st);
	return (long)st.min_flt;
}

static long u_write(struct umm_mm *mm, unsigned long addr, char v)
{
	long f = u_flt(mm);

	assert_int_equal(umm_write(mm, addr, &v, 1, NULL), 1);
	return u_flt(mm) - f;
}

static long u_read(struct umm_mm *mm, unsigned long addr, long *val)
{
	long f = u_flt(mm);
	char c = 0;

	assert_int_equal(umm_read(mm, addr, &c, 1, NULL), 1);
	*val = c;
	return u_flt(mm) - f;
}

static void u_map(struct umm_mm *mm, unsigned long addr, unsigned long len, int flags)
{
	assert_int_equal(umm_mmap(mm, addr, len, UMM_PROT_READ | UMM_PROT_WRITE,
				  flags | UMM_MAP_ANONYMOUS | UMM_MAP_FIXED, NULL, 0),
			 (long)addr);
}

static void u_tail(struct umm_mm *mm, long *o, int vmas, int anon_freed, int pte_freed)
{
	struct umm_mm_stats a, b;

	u_map(mm, W + 16 * PG, PG, UMM_MAP_PRIVATE);
	o[vmas] = u_vmas(mm);
	umm_mm_stats(mm, &a);
	assert_int_equal(umm_munmap(mm, W, WINDOW), 0);
	umm_mm_stats(mm, &b);
	o[anon_freed] = (long)(a.rss_anon - b.rss_anon) * 4;
	o[pte_freed] = (long)(a.pgtables_bytes - b.pgtables_bytes) / 1024;
}

static long u_shmem(struct umm_mm *mm)
{
	struct umm_mm_stats st;

	umm_mm_stats(mm, &st);
	return (long)st.rss_shmem * 4;
}

static void u_child_shared(struct umm_mm *child, long *o)
{
	long shmem = u_shmem(child);

	o[C_SHM_READ_FLT] = u_read(child, W + 2 * GIG, &o[C_SHM_BYTE]);
	o[C_SHM_READ_SHMEM] = u_shmem(child) - shmem;
	o[C_SHM_WRITE_FLT] = u_write(child, W + 2 * GIG + 2 * PG, 'c');
	shmem = u_shmem(child);
	assert_int_equal(umm_madvise(child, W + 2 * GIG + PG, PG, UMM_MADV_REMOVE), 0);
	o[C_SHM_REMOVE_SHMEM] = shmem - u_shmem(child);
}

static void u_setup_dirt(struct umm_mm *mm)
{
	u_map(mm, FORK_POP, 8 * PG, UMM_MAP_SHARED);
	assert_int_equal(umm_madvise(mm, FORK_POP, 2 * PG, UMM_MADV_POPULATE_READ), 0);
	assert_int_equal(umm_madvise(mm, FORK_POP, 6 * PG, UMM_MADV_POPULATE_WRITE), 0);
	u_map(mm, FORK_GUARDED, 4 * PG, UMM_MAP_SHARED);
	assert_int_equal(umm_madvise(mm, FORK_GUARDED, 2 * PG, UMM_MADV_POPULATE_READ), 0);
	u_write(mm, FORK_GUARDED, 1);
	u_write(mm, FORK_GUARDED + 2 * PG, 1);
	assert_int_equal(umm_madvise(mm, FORK_GUARDED + 3 * PG, PG, UMM_MADV_GUARD_INSTALL), 0);
	u_map(mm, FORK_FREED, 4 * PG, UMM_MAP_PRIVATE);
	u_write(mm, FORK_FREED, 1);
}

static long u_smaps_kb(struct umm_mm *mm, unsigned long start, const char *key)
{
	char *text = umm_smaps_string(mm);
	long v;

	assert_non_null(text);
	v = fork_smaps_kb(text, start, key);
	free(text);
	return v;
}

static void u_child_dirt(struct umm_mm *child, long *o)
{
	assert_int_equal(umm_mlock(child, FORK_POP, 6 * PG), 0);
	o[C_POP_SHARED_DIRTY] = u_smaps_kb(child, FORK_POP, "Shared_Dirty");
	o[C_GUARD_SHARED_CLEAN] = u_smaps_kb(child, FORK_GUARDED, "Shared_Clean");
	o[C_GUARD_SHARED_DIRTY] = u_smaps_kb(child, FORK_GUARDED, "Shared_Dirty");
	assert_int_equal(umm_madvise(child, FORK_FREED, 4 * PG, UMM_MADV_FREE), 0);
	o[C_FREE_SHARED_CLEAN] = u_smaps_kb(child, FORK_FREED, "Shared_Clean");
	o[C_FREE_SHARED_DIRTY] = u_smaps_kb(child, FORK_FREED, "Shared_Dirty");
}

static void u_parent_shared(struct umm_mm *parent, long *o, long shmem_setup)
{
	long f, v;

	o[P_SHM_SHMEM] = u_shmem(parent) - shmem_setup;
	f = u_flt(parent);
	u_read(parent, W + 2 * GIG + PG, &o[P_SHM_BYTE1]);
	u_read(parent, W + 2 * GIG + 2 * PG, &v);
	o[P_SHM_READ_FLT] = u_flt(parent) - f;
	o[P_SHM_BYTE2] = v;
}

static void usermm_side(long *o)
{
	struct umm_mm *parent = umm_mm_create(NULL), *child = NULL;
	struct umm_mm_stats st;
	long v, shmem_setup;

	assert_non_null(parent);
	u_map(parent, W, 16 * PG, UMM_MAP_PRIVATE);
	for (unsigned long i = 0; i < 8; i++)
		u_write(parent, W + i * PG, (char)(i + 1));
	assert_int_equal(umm_madvise(parent, W + 15 * PG, PG, UMM_MADV_GUARD_INSTALL), 0);
	u_map(parent, W + GIG, 4 * PG, UMM_MAP_PRIVATE);
	umm_mm_stats(parent, &st);
	shmem_setup = (long)st.rss_shmem * 4;
	u_map(parent, W + 2 * GIG, 4 * PG, UMM_MAP_SHARED);
	u_write(parent, W + 2 * GIG, 5);
	u_write(parent, W + 2 * GIG + PG, 6);
	u_map(parent, W + 3 * GIG, 4 * PG, UMM_MAP_PRIVATE);
	u_write(parent, W + 3 * GIG, 1);
	assert_int_equal(umm_madvise(parent, W + 3 * GIG, 4 * PG, UMM_MADV_DONTFORK), 0);
	u_map(parent, W + 4 * GIG, 4 * PG, UMM_MAP_PRIVATE);
	u_write(parent, W + 4 * GIG, 9);
	assert_int_equal(umm_madvise(parent, W + 4 * GIG, 4 * PG, UMM_MADV_WIPEONFORK), 0);
	umm_mm_stats(parent, &st);
	o[P_SETUP_PTE] = (long)st.pgtables_bytes / 1024;
	o[P_SETUP_ANON] = (long)st.rss_anon * 4;
	o[P_SETUP_SHMEM] = (long)st.rss_shmem * 4 - shmem_setup;
	shmem_setup = (long)st.rss_shmem * 4;
	u_setup_dirt(parent);
	umm_mm_stats(parent, &st);
	shmem_setup = (long)st.rss_shmem * 4;

	assert_int_equal(umm_mm_fork(parent, &child), 0);
	o[C_WRITE0_FLT] = u_write(child, W, 'c');
	o[C_READ1_FLT] = u_read(child, W + PG, &v);
	o[C_WRITE1_FLT] = u_write(child, W + PG, 'c');
	u_read(child, W + 2 * PG, &o[C_BYTE2]);
	o[C_WIPE_FLT] = u_read(child, W + 4 * GIG, &o[C_WIPE_BYTE]);
	o[C_GUARD] = umm_mm_pte(child, W + 15 * PG) == UMM_PTE_MARKER_GUARD;
	u_child_shared(child, o);
	u_child_dirt(child, o);
	u_tail(child, o, C_NEIGHBOUR_VMAS, C_MUNMAP_ANON, C_MUNMAP_PTE);
	umm_mm_destroy(child);

	u_parent_shared(parent, o, shmem_setup);
	o[P_WRITE0_FLT] = u_write(parent, W, 'p');
	o[P_WRITE0_AGAIN_FLT] = u_write(parent, W, 'q');
	u_read(parent, W, &o[P_BYTE0]);
	u_tail(parent, o, P_NEIGHBOUR_VMAS, P_MUNMAP_ANON, P_MUNMAP_PTE);
	umm_mm_destroy(parent);
}

static void fork_against_kernel(void **state)
{
	long k[NOBS], u[NOBS];
	int bad = 0;

	(void)state;
	assert_int_equal(kernel_side(k), 0);
	usermm_side(u);
	for (int i = 0; i < NOBS; i++)
		if (getenv("UMM_TEST_VERBOSE"))
			fprintf(stderr, "%-44s kernel %ld, usermm %ld\n", obs_names[i], k[i], u[i]);
	for (int i = 0; i < NOBS; i++)
		if (k[i] != u[i]) {
			fprintf(stderr, "DIVERGENCE: %s: kernel %ld, usermm %ld\n", obs_names[i], k[i],
				u[i]);
			bad = 1;
		}
	assert_int_equal(bad, 0);
	/* What the kernel was measured to do. */
	assert_int_equal(k[C_WRITE0_FLT], 1);
	assert_int_equal(k[C_READ1_FLT], 0);
	assert_int_equal(k[C_WRITE1_FLT], 1);
	assert_int_equal(k[C_BYTE2], 3);
	assert_int_equal(k[C_WIPE_BYTE], 0);
	assert_int_equal(k[C_GUARD], 1);
	assert_int_equal(k[P_SETUP_SHMEM], 8);
	assert_int_equal(k[C_SHM_READ_FLT], 1);
	assert_int_equal(k[C_SHM_BYTE], 5);
	assert_int_equal(k[C_SHM_READ_SHMEM], 8);
	assert_int_equal(k[C_SHM_WRITE_FLT], 1);
	assert_int_equal(k[C_SHM_REMOVE_SHMEM], 4);
	assert_int_equal(k[P_SHM_SHMEM], -4);
	assert_int_equal(k[P_SHM_BYTE1], 0);
	assert_int_equal(k[P_SHM_BYTE2], 'c');
	assert_int_equal(k[C_POP_SHARED_DIRTY], 24);
	assert_int_equal(k[C_GUARD_SHARED_CLEAN], 8);
	assert_int_equal(k[C_GUARD_SHARED_DIRTY], 4);
	assert_int_equal(k[C_FREE_SHARED_CLEAN], 4);
	assert_int_equal(k[C_FREE_SHARED_DIRTY], 0);
	assert_int_equal(k[C_NEIGHBOUR_VMAS], 9); /* with the dirt checks' (mlock split one) */
	assert_int_equal(k[P_WRITE0_FLT], 1);
	assert_int_equal(k[P_WRITE0_AGAIN_FLT], 0);
	assert_int_equal(k[P_NEIGHBOUR_VMAS], 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fork_against_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
