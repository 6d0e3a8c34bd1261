/*
 * test_pgtable.c - page tables and anonymous pages through the public
 * API, as an emulator sees them: the PTE bits of each kind of entry, a
 * walk of the four levels from umm_mm_pgd through umm_phys_frame, the
 * bytes behind a mapping (zeroed when new, moved by mremap, gone after
 * MADV_DONTNEED), and out of memory as a result that leaves the space
 * intact. The counts themselves are checked against the kernel by
 * test_oracle_pgtable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "usermm.h"

#include <errno.h>
#include <string.h>

#define A 0x300000000000UL
#define K 1024UL
#define PAGE 4096UL
#define PA (UMM_MAP_PRIVATE | UMM_MAP_ANONYMOUS | UMM_MAP_FIXED)
#define RW (UMM_PROT_READ | UMM_PROT_WRITE)

static struct umm_mm *space(bool zero_page, struct umm_phys *phys)
{
	struct umm_config cfg;
	struct umm_mm *mm;

	umm_config_init(&cfg);
	cfg.zero_page = zero_page;
	cfg.phys = phys;
	mm = umm_mm_create(&cfg);
	assert_non_null(mm);
	return mm;
}

static void map(struct umm_mm *mm, unsigned long addr, unsigned long len, int prot)
{
	assert_int_equal(umm_mmap(mm, addr, len, prot, PA, NULL, 0), (long)addr);
}

static unsigned char *frame_of(struct umm_mm *mm, unsigned long addr)
{
	uint64_t pte = umm_mm_pte(mm, addr);

	assert_true(pte & (UMM_PTE_PRESENT | UMM_PTE_PROTNONE));
	return umm_phys_frame(umm_mm_phys(mm), (pte & UMM_PTE_PFN_MASK) >> 12);
}

/* The walk an x86 MMU does, from the top table down. */
static uint64_t mmu_walk(struct umm_mm *mm, unsigned long addr)
{
	long pfn = umm_mm_pgd(mm);
	uint64_t e = 0;

	for (int shift = 39; pfn >= 0 && shift >= 12; shift -= 9) {
		const uint64_t *table = umm_phys_frame(umm_mm_phys(mm), (unsigned long)pfn);

		e = table[(addr >> shift) & 511];
		if (shift > 12 && !(e & UMM_PTE_PRESENT))
			return 0;
		pfn = (long)((e & UMM_PTE_PFN_MASK) >> 12);
	}
	return e;
}

static void pte_bits(void **state)
{
	struct umm_mm *mm = space(true, NULL);
	const uint64_t user = UMM_PTE_PRESENT | UMM_PTE_USER | UMM_PTE_ACCESSED;
	struct umm_mm_stats st;
	uint64_t pte;

	(void)state;
	map(mm, A, 16 * K, RW);
	assert_int_equal(umm_mm_pte(mm, A), 0);
	assert_int_equal(umm_mm_pgd(mm), -1);
	/* A read maps the zero page, read-only and special. */
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_READ, NULL), 0);
	pte = umm_mm_pte(mm, A);
	assert_int_equal(pte & ~UMM_PTE_PFN_MASK, user | UMM_PTE_NX | UMM_PTE_SPECIAL);
	assert_int_equal(mmu_walk(mm, A), pte);
	/* A write replaces it with a page of its own, writable and dirty. */
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_WRITE, NULL), 0);
	pte = umm_mm_pte(mm, A);
	assert_int_equal(pte & ~UMM_PTE_PFN_MASK,
			 user | UMM_PTE_NX | UMM_PTE_RW | UMM_PTE_DIRTY);
	assert_int_equal(mmu_walk(mm, A), pte);
	/* An access the entry allows is no fault. */
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_WRITE, NULL), 0);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.min_flt, 2);
	assert_int_equal(st.rss_anon, 1);
	assert_int_equal(st.pgtables_bytes, 3 * PAGE);
	/* mprotect rewrites the entry: PROT_NONE keeps the frame, not the
	 * present bit; made writable again, the page is still its own. */
	assert_int_equal(umm_mprotect(mm, A, 16 * K, UMM_PROT_NONE), 0);
	assert_int_equal(umm_mm_pte(mm, A) & (UMM_PTE_PRESENT | UMM_PTE_PROTNONE | UMM_PTE_PFN_MASK),
			 UMM_PTE_PROTNONE | (pte & UMM_PTE_PFN_MASK));
	assert_int_equal(umm_mprotect(mm, A, 16 * K, UMM_PROT_READ | UMM_PROT_EXEC), 0);
	assert_int_equal(umm_mm_pte(mm, A) & (UMM_PTE_RW | UMM_PTE_NX | UMM_PTE_PRESENT),
			 UMM_PTE_PRESENT);
	assert_int_equal(umm_mprotect(mm, A, 16 * K, RW), 0);
	assert_int_equal(umm_mm_pte(mm, A), pte);
	/* A guard marker is an entry of its own, not present. */
	assert_int_equal(umm_madvise(mm, A + 4 * K, 4 * K, UMM_MADV_GUARD_INSTALL), 0);
	assert_int_equal(umm_mm_pte(mm, A + 4 * K), UMM_PTE_MARKER_GUARD);
	assert_int_equal(umm_fault(mm, A + 4 * K, UMM_ACCESS_READ, NULL),
			 UMM_FAULT_SIGNAL(UMM_SIGSEGV, UMM_SEGV_MAPERR));
	umm_mm_destroy(mm);
}

/* Where the kernel forbids the zero page, a read maps a page of its own,
 * writable and dirty in a writable VMA. */
static void no_zero_page(void **state)
{
	struct umm_mm *mm = space(false, NULL);
	struct umm_mm_stats st;

	(void)state;
	map(mm, A, 8 * K, RW);
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_READ, NULL), 0);
	assert_true(umm_mm_pte(mm, A) & UMM_PTE_RW);
	assert_false(umm_mm_pte(mm, A) & UMM_PTE_SPECIAL);
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_WRITE, NULL), 0);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.min_flt, 1);
	assert_int_equal(st.rss_anon, 1);
	umm_mm_destroy(mm);
}

static void fill(struct umm_mm *mm, unsigned long addr, int byte)
{
	assert_int_equal(umm_fault(mm, addr, UMM_ACCESS_WRITE, NULL), 0);
	memset(frame_of(mm, addr), byte, PAGE);
}

static bool all_bytes(const unsigned char *p, int byte)
{
	for (unsigned long i = 0; i < PAGE; i++)
		if (p[i] != byte)
			return false;
	return true;
}

/* New pages are zeroed; mremap carries the pages, not copies; what
 * MADV_DONTNEED drops reads back as zeros; MREMAP_DONTUNMAP leaves the
 * source empty. */
static void data_follows_the_mapping(void **state)
{
	struct umm_mm *mm = space(true, NULL);
	uint64_t before;

	(void)state;
	map(mm, A, 4 * PAGE, RW);
	fill(mm, A, 0x5a);
	fill(mm, A + PAGE, 0x33);
	memset(frame_of(mm, A + PAGE), 0x33, PAGE);
	assert_int_equal(umm_fault(mm, A + 2 * PAGE, UMM_ACCESS_WRITE, NULL), 0);
	assert_true(all_bytes(frame_of(mm, A + 2 * PAGE), 0));
	before = umm_mm_pte(mm, A);
	assert_int_equal(umm_mremap(mm, A, 4 * PAGE, 4 * PAGE, UMM_MREMAP_MAYMOVE | UMM_MREMAP_FIXED,
				    A + (1UL << 30)),
			 (long)(A + (1UL << 30)));
	assert_int_equal(umm_mm_pte(mm, A), 0);
	assert_int_equal(umm_mm_pte(mm, A + (1UL << 30)), before);
	assert_true(all_bytes(frame_of(mm, A + (1UL << 30)), 0x5a));
	assert_true(all_bytes(frame_of(mm, A + (1UL << 30) + PAGE), 0x33));
	assert_int_equal(umm_madvise(mm, A + (1UL << 30), PAGE, UMM_MADV_DONTNEED), 0);
	assert_int_equal(umm_mm_pte(mm, A + (1UL << 30)), 0);
	assert_int_equal(umm_fault(mm, A + (1UL << 30), UMM_ACCESS_READ, NULL), 0);
	assert_true(all_bytes(frame_of(mm, A + (1UL << 30)), 0));
	assert_int_equal(umm_mremap(mm, A + (1UL << 30) + PAGE, PAGE, PAGE,
				    UMM_MREMAP_MAYMOVE | UMM_MREMAP_FIXED | UMM_MREMAP_DONTUNMAP, A),
			 (long)A);
	assert_int_equal(umm_mm_pte(mm, A + (1UL << 30) + PAGE), 0);
	assert_true(all_bytes(frame_of(mm, A), 0x33));
	umm_mm_destroy(mm);
}

static int refuse(void *ctx, unsigned int order)
{
	int *left = ctx;

	(void)order;
	return (*left)-- <= 0;
}

/* Out of memory is a result: the fault says -ENOMEM, nothing is half
 * done, and memory given back makes the next fault work. */
static void out_of_memory(void **state)
{
	struct umm_phys_config pc;
	struct umm_phys *phys;
	struct umm_mm_stats st;
	struct umm_mm *mm;
	char msg[256] = "";
	int left = 2;

	(void)state;
	umm_phys_config_init(&pc);
	pc.bytes = 8UL << 20;
	pc.fail_alloc = refuse;
	pc.fail_ctx = &left;
	phys = umm_phys_create(&pc);
	assert_non_null(phys);
	mm = space(true, phys);
	map(mm, A, 64 * PAGE, RW);
	/* Two frames: the PGD and the PUD; the PMD table is refused. */
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_WRITE, NULL), -ENOMEM);
	assert_int_equal(umm_mm_pte(mm, A), 0);
	assert_int_equal(umm_mm_check(mm, msg, sizeof(msg)), 0);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.rss_anon, 0);
	assert_int_equal(st.min_flt, 0);
	/* mlock reports a populate out of memory as EAGAIN
	 * (__mlock_posix_error_return), MADV_POPULATE as ENOMEM. */
	assert_int_equal(umm_mlock(mm, A, 4 * PAGE), -EAGAIN);
	assert_int_equal(umm_madvise(mm, A, PAGE, UMM_MADV_POPULATE_WRITE), -ENOMEM);
	left = 1000000;
	assert_int_equal(umm_fault(mm, A, UMM_ACCESS_WRITE, NULL), 0);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.rss_anon, 1);
	assert_int_equal(umm_mm_check(mm, msg, sizeof(msg)), 0);
	umm_mm_destroy(mm);
	umm_phys_put(phys);
}

/* Filling a small memory until it runs out, then emptying it, leaves
 * every frame free again. */
static void exhaust_and_free(void **state)
{
	struct umm_phys_config pc;
	struct umm_phys *phys;
	struct umm_zone_info z0, z1;
	struct umm_mm *mm;
	unsigned long addr = A, faulted = 0;
	char msg[256] = "";

	(void)state;
	umm_phys_config_init(&pc);
	pc.bytes = 4UL << 20;
	phys = umm_phys_create(&pc);
	assert_non_null(phys);
	assert_int_equal(umm_phys_zone(phys, 0, &z0), 0);
	mm = space(true, phys);
	map(mm, A, 8UL << 20, RW);
	for (; umm_fault(mm, addr, UMM_ACCESS_WRITE, NULL) == 0; addr += PAGE)
		faulted++;
	assert_int_equal(umm_fault(mm, addr, UMM_ACCESS_WRITE, NULL), -ENOMEM);
	assert_true(faulted > 100 && faulted < 1024);
	assert_int_equal(umm_mm_check(mm, msg, sizeof(msg)), 0);
	assert_int_equal(umm_munmap(mm, A, 8UL << 20), 0);
	umm_mm_destroy(mm);
	/* Only the space's top table could outlive the mapping; the space is
	 * gone, so every frame is back. */
	assert_int_equal(umm_phys_zone(phys, 0, &z1), 0);
	assert_int_equal(z1.free, z0.free);
	umm_phys_put(phys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pte_bits),
		cmocka_unit_test(no_zero_page),
		cmocka_unit_test(data_follows_the_mapping),
		cmocka_unit_test(out_of_memory),
		cmocka_unit_test(exhaust_and_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
