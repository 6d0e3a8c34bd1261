/*
 * test_shmem.c - the pages of shared anonymous memory as a library user
 * sees them: one page cache behind every space that shares the mapping
 * after fork, host pointers of both spaces to the same bytes, the
 * physical memory's counters (Cached, Shmem, Mapped in meminfo), holes
 * punched by one space gone from the other, and every page back when
 * the last mapping goes. What the kernel does with the same steps is
 * checked by test_oracle_pgtable (shared_anon_*) and test_fork.
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

#define A 0x300000000000UL
#define PAGE 4096UL
#define RW (UMM_PROT_READ | UMM_PROT_WRITE)
#define SA (UMM_MAP_SHARED | UMM_MAP_ANONYMOUS | UMM_MAP_FIXED)

static struct umm_phys *small_phys(void)
{
	struct umm_phys_config cfg;
	struct umm_phys *phys;

	umm_phys_config_init(&cfg);
	cfg.bytes = 32UL << 20;
	phys = umm_phys_create(&cfg);
	assert_non_null(phys);
	return phys;
}

static struct umm_mm *space_on(struct umm_phys *phys)
{
	struct umm_config cfg;
	struct umm_mm *mm;

	umm_config_init(&cfg);
	cfg.phys = phys;
	mm = umm_mm_create(&cfg);
	assert_non_null(mm);
	return mm;
}

/* A "Key: N kB" line of the physical memory's meminfo, in pages. */
static long meminfo_pages(struct umm_phys *phys, const char *key)
{
	char *text = umm_phys_meminfo_string(phys), *p;
	long kb = -1;

	assert_non_null(text);
	p = strstr(text, key);
	if (p)
		kb = strtol(p + strlen(key), NULL, 10);
	free(text);
	return kb / 4;
}

static unsigned long free_pages(struct umm_phys *phys)
{
	struct umm_zone_info z;
	unsigned long n = 0;

	for (unsigned int i = 0; i < UMM_NR_ZONES; i++) {
		assert_int_equal(umm_phys_zone(phys, i, &z), 0);
		n += z.free;
	}
	return n;
}

static unsigned long rss_shmem(struct umm_mm *mm)
{
	struct umm_mm_stats st;

	umm_mm_stats(mm, &st);
	return st.rss_shmem;
}

/* Both spaces reach the same bytes, through their own host pointers. */
static void fork_shares_pages(void **state)
{
	struct umm_phys *phys = small_phys();
	struct umm_mm *parent = space_on(phys), *child = NULL;
	unsigned char *p, *c, v = 0x5a;

	(void)state;
	assert_int_equal(umm_mmap(parent, A, 4 * PAGE, RW, SA, NULL, 0), (long)A);
	assert_int_equal(umm_write(parent, A + PAGE + 1, &v, 1, NULL), 1);
	assert_int_equal(umm_mm_fork(parent, &child), 0);
	assert_int_equal(rss_shmem(child), 0); /* no entries copied */
	assert_int_equal(umm_translate(parent, A + PAGE, UMM_ACCESS_WRITE, (void **)&p, NULL), 0);
	assert_int_equal(umm_translate(child, A + PAGE, UMM_ACCESS_WRITE, (void **)&c, NULL), 0);
	assert_ptr_equal(p, c);
	assert_int_equal(c[1], 0x5a);
	c[2] = 0x77;
	v = 0;
	assert_int_equal(umm_read(parent, A + PAGE + 2, &v, 1, NULL), 1);
	assert_int_equal(v, 0x77);
	/* One page in the cache, mapped by both. */
	assert_int_equal(meminfo_pages(phys, "Shmem:"), 1);
	assert_int_equal(meminfo_pages(phys, "Cached:"), 1);
	assert_int_equal(meminfo_pages(phys, "Mapped:"), 1);
	umm_mm_destroy(child);
	umm_mm_destroy(parent);
	assert_int_equal(meminfo_pages(phys, "Shmem:"), 0);
	assert_int_equal(meminfo_pages(phys, "Mapped:"), 0);
	umm_phys_put(phys);
}

/* MADV_REMOVE in one space: the other's entry goes too, and its next
 * read is of a new zeroed page. */
static void punch_reaches_other_space(void **state)
{
	struct umm_phys *phys = small_phys();
	struct umm_mm *parent = space_on(phys), *child = NULL;
	unsigned char v = 9, vec[4];
	long fault = 0;

	(void)state;
	assert_int_equal(umm_mmap(parent, A, 4 * PAGE, RW, SA, NULL, 0), (long)A);
	assert_int_equal(umm_write(parent, A, &v, 1, NULL), 1);
	assert_int_equal(umm_mm_fork(parent, &child), 0);
	assert_int_equal(umm_read(child, A, &v, 1, &fault), 1);
	assert_int_equal(v, 9);
	assert_int_equal(rss_shmem(child), 1);
	assert_int_equal(umm_madvise(parent, A, PAGE, UMM_MADV_REMOVE), 0);
	assert_int_equal(rss_shmem(parent), 0);
	assert_int_equal(rss_shmem(child), 0);
	assert_int_equal(umm_mincore(child, A, 4 * PAGE, vec), 0);
	assert_int_equal(vec[0], 0);
	assert_int_equal(umm_read(child, A, &v, 1, &fault), 1);
	assert_int_equal(v, 0);
	assert_int_equal(meminfo_pages(phys, "Shmem:"), 1);
	umm_mm_destroy(parent);
	umm_mm_destroy(child);
	umm_phys_put(phys);
}

/* The last mapping's munmap frees the cache; MADV_DONTNEED and a
 * munmap of part keep it. */
static void pages_come_back(void **state)
{
	struct umm_phys *phys = small_phys();
	struct umm_mm *mm = space_on(phys);
	unsigned long before;
	unsigned char buf[8 * PAGE];

	(void)state;
	memset(buf, 0x33, sizeof(buf));
	assert_int_equal(umm_mmap(mm, A, 64 * PAGE, RW, SA, NULL, 0), (long)A);
	before = free_pages(phys);
	assert_int_equal(umm_write(mm, A, buf, sizeof(buf), NULL), (long)sizeof(buf));
	assert_int_equal(umm_madvise(mm, A, 64 * PAGE, UMM_MADV_DONTNEED), 0);
	assert_int_equal(meminfo_pages(phys, "Shmem:"), 8);
	assert_int_equal(umm_munmap(mm, A, 4 * PAGE), 0);
	assert_int_equal(meminfo_pages(phys, "Shmem:"), 8);
	assert_int_equal(umm_read(mm, A + 4 * PAGE, buf, 1, NULL), 1);
	assert_int_equal(buf[0], 0x33);
	assert_int_equal(umm_munmap(mm, A, 64 * PAGE), 0);
	assert_int_equal(meminfo_pages(phys, "Shmem:"), 0);
	/* The tables under the window stay until the space goes. */
	assert_true(free_pages(phys) <= before);
	umm_mm_destroy(mm);
	umm_phys_put(phys);
}

/* A huge, sparse shared mapping: the cache holds only what was
 * touched, at both ends. */
static void sparse_cache(void **state)
{
	struct umm_phys *phys = small_phys();
	struct umm_mm *mm = space_on(phys);
	const unsigned long len = 1UL << 40;
	unsigned char v = 1, vec[2];

	(void)state;
	assert_int_equal(umm_mmap(mm, A, len, RW, SA | UMM_MAP_NORESERVE, NULL, 0), (long)A);
	assert_int_equal(umm_write(mm, A + len - PAGE, &v, 1, NULL), 1);
	assert_int_equal(umm_write(mm, A, &v, 1, NULL), 1);
	assert_int_equal(meminfo_pages(phys, "Shmem:"), 2);
	assert_int_equal(umm_madvise(mm, A, len, UMM_MADV_DONTNEED), 0);
	assert_int_equal(umm_mincore(mm, A + len - 2 * PAGE, 2 * PAGE, vec), 0);
	assert_int_equal(vec[0], 0);
	assert_int_equal(vec[1], 1);
	assert_int_equal(umm_madvise(mm, A + PAGE, len - PAGE, UMM_MADV_REMOVE), 0);
	assert_int_equal(meminfo_pages(phys, "Shmem:"), 1);
	umm_mm_destroy(mm);
	assert_int_equal(meminfo_pages(phys, "Shmem:"), 0);
	umm_phys_put(phys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fork_shares_pages),
		cmocka_unit_test(punch_reaches_other_space),
		cmocka_unit_test(pages_come_back),
		cmocka_unit_test(sparse_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
