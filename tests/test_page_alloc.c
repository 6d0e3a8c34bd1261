/*
 * test_page_alloc.c - physical memory (struct umm_phys): the buddy
 * allocator's splits and merges, out of memory at the watermarks,
 * failure on demand, and the watermarks and lowmem reserves against this
 * machine's own /proc/zoneinfo, computed from its zone sizes and sysctls
 * exactly as its kernel computed them; the texts against the host's
 * formats; spaces sharing one physical memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/mm.h"
#include "mem/mmzone.h"
#include "mem/page_alloc.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(struct umm_phys *phys)
{
	char msg[256] = "";

	if (phys_check(phys, msg, sizeof(msg)))
		fail_msg("%s", msg);
}

/* 64 MiB: DMA's 16 MiB and 48 MiB of DMA32. */
static struct umm_phys *small_phys(void)
{
	struct umm_phys_config cfg;
	struct umm_phys *phys;

	umm_phys_config_init(&cfg);
	cfg.bytes = 64UL << 20;
	phys = umm_phys_create(&cfg);
	assert_non_null(phys);
	check(phys);
	return phys;
}

static unsigned long zone_free(struct umm_phys *phys, int i)
{
	struct umm_zone_info z;

	assert_int_equal(umm_phys_zone(phys, (unsigned int)i, &z), 0);
	return z.free;
}

static void fresh_zones_hold_max_order_blocks(void **state)
{
	struct umm_phys *phys = small_phys();
	struct umm_zone_info z;

	(void)state;
	assert_int_equal(umm_phys_zone(phys, 0, &z), 0);
	assert_string_equal(z.name, "DMA");
	assert_int_equal(z.managed, 4096);
	assert_int_equal(z.nr_free[UMM_MAX_PAGE_ORDER], 4);
	assert_int_equal(umm_phys_zone(phys, 1, &z), 0);
	assert_int_equal(z.start_pfn, 4096);
	assert_int_equal(z.managed, 12288);
	assert_int_equal(z.nr_free[UMM_MAX_PAGE_ORDER], 12);
	assert_int_equal(umm_phys_zone(phys, 2, &z), 0);
	assert_int_equal(z.managed, 0);
	umm_phys_put(phys);
}

/* An order-0 page splits a 4 MiB block of the highest zone into one
 * free block of each lower order; freeing it merges them back. */
static void split_and_merge(void **state)
{
	struct umm_phys *phys = small_phys();
	struct umm_zone_info z;
	struct page *page;

	(void)state;
	page = alloc_pages(phys, 0, 0);
	assert_non_null(page);
	check(phys);
	assert_true(page_to_pfn(phys, page) >= 4096); /* DMA32, not DMA */
	assert_int_equal(page->refcount, 1);
	assert_int_equal(umm_phys_zone(phys, 1, &z), 0);
	for (int o = 0; o < UMM_MAX_PAGE_ORDER; o++)
		assert_int_equal(z.nr_free[o], 1);
	assert_int_equal(z.nr_free[UMM_MAX_PAGE_ORDER], 11);
	assert_int_equal(z.free, 12288 - 1);
	free_pages(phys, page, 0);
	check(phys);
	assert_int_equal(umm_phys_zone(phys, 1, &z), 0);
	assert_int_equal(z.nr_free[UMM_MAX_PAGE_ORDER], 12);
	for (int o = 0; o < UMM_MAX_PAGE_ORDER; o++)
		assert_int_equal(z.nr_free[o], 0);
	umm_phys_put(phys);
}

/* Allocation goes on while a zone stays above min plus its reserve for
 * movable requests; past that it is out of memory, and everything freed
 * gives back the fresh free lists. */
static void out_of_memory_at_min(void **state)
{
	struct umm_phys *phys = small_phys();
	unsigned long expect = 0, n = 0;
	struct page **got = calloc(16384, sizeof(*got));
	char *before = umm_phys_buddyinfo_string(phys), *after;

	(void)state;
	assert_non_null(got);
	for (int i = 0; i < UMM_NR_ZONES; i++) {
		struct umm_zone_info z;

		assert_int_equal(umm_phys_zone(phys, (unsigned int)i, &z), 0);
		if (z.managed > z.min + z.protection[3])
			expect += z.managed - z.min - z.protection[3];
	}
	while ((got[n] = alloc_pages(phys, 0, 0)))
		n++;
	assert_int_equal(n, expect);
	assert_null(alloc_pages(phys, 0, 0)); /* still out of memory */
	check(phys);
	while (n)
		free_pages(phys, got[--n], 0);
	check(phys);
	after = umm_phys_buddyinfo_string(phys);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(got);
	umm_phys_put(phys);
}

static int fail_third(void *ctx, unsigned int order)
{
	int *calls = ctx;

	(void)order;
	return ++*calls == 3;
}

static void fails_on_demand(void **state)
{
	struct umm_phys_config cfg;
	struct umm_phys *phys;
	struct page *a, *b;
	int calls = 0;

	(void)state;
	umm_phys_config_init(&cfg);
	cfg.bytes = 32UL << 20;
	cfg.fail_alloc = fail_third;
	cfg.fail_ctx = &calls;
	phys = umm_phys_create(&cfg);
	assert_non_null(phys);
	a = alloc_pages(phys, 2, 0);
	b = alloc_pages(phys, 0, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(zone_free(phys, 1), 4096 - 5);
	assert_null(alloc_pages(phys, 0, 0)); /* the third: nothing changes */
	assert_int_equal(zone_free(phys, 1), 4096 - 5);
	check(phys);
	assert_null(alloc_pages(phys, UMM_MAX_PAGE_ORDER + 1, 0));
	free_pages(phys, a, 2);
	free_pages(phys, b, 0);
	check(phys);
	umm_phys_put(phys);
}

static void zeroed_on_request(void **state)
{
	struct umm_phys *phys = small_phys();
	struct page *page = alloc_pages(phys, 1, 0);
	unsigned char *p;

	(void)state;
	assert_non_null(page);
	p = page_address(phys, page);
	memset(p, 0xab, 2 * 4096);
	free_pages(phys, page, 1);
	page = alloc_pages(phys, 1, GFP_ZERO);
	assert_non_null(page);
	p = page_address(phys, page);
	for (int i = 0; i < 2 * 4096; i++)
		assert_int_equal(p[i], 0);
	free_pages(phys, page, 1);
	umm_phys_put(phys);
}

/* ---- against this machine's kernel ---- */

struct host_zone {
	char name[16];
	unsigned long min, low, high, promo, managed, prot[5];
};

/* The zones of /proc/zoneinfo; their count. */
static int read_host_zones(struct host_zone *hz, int max)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[512];
	int n = -1;

	memset(hz, 0, sizeof(*hz) * (size_t)max);
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long v;
		char key[32];

		if (sscanf(line, "Node %*d, zone %15s", hz[n + 1 < max ? n + 1 : n].name) == 1) {
			n++;
			continue;
		}
		if (n < 0)
			continue;
		if (sscanf(line, " protection: (%lu, %lu, %lu, %lu, %lu)", &hz[n].prot[0],
			   &hz[n].prot[1], &hz[n].prot[2], &hz[n].prot[3], &hz[n].prot[4]) == 5)
			continue;
		if (line[0] != ' ' || line[1] != ' ' || line[2] != ' ' ||
		    sscanf(line, " %31s %lu", key, &v) != 2)
			continue;
		if (!strcmp(key, "min"))
			hz[n].min = v;
		else if (!strcmp(key, "low"))
			hz[n].low = v;
		else if (!strcmp(key, "high"))
			hz[n].high = v;
		else if (!strcmp(key, "promo"))
			hz[n].promo = v;
		else if (!strcmp(key, "managed"))
			hz[n].managed = v;
	}
	fclose(f);
	return n + 1;
}

/* The host's zones and sysctls, read until two readings agree (memory
 * may be plugged in between). */
static void host_snapshot(struct umm_phys_config *cfg, struct host_zone *hz, int *n)
{
	struct host_zone again[8];

	for (int tries = 0; tries < 10; tries++) {
		*n = read_host_zones(hz, 8);
		assert_int_equal(umm_phys_config_from_host(cfg), 0);
		if (read_host_zones(again, 8) == *n && !memcmp(hz, again, sizeof(again[0]) * (size_t)*n))
			return;
	}
	fail_msg("the host's zones keep changing");
}

/* The host's sizes and sysctls give its watermarks and reserves. */
static void watermarks_as_the_host_has_them(void **state)
{
	struct umm_phys_config cfg;
	struct host_zone hz[8];
	struct umm_phys *phys;
	int n;

	(void)state;
	host_snapshot(&cfg, hz, &n);
	assert_true(n >= UMM_NR_ZONES);
	phys = umm_phys_create(&cfg);
	assert_non_null(phys);
	for (int i = 0; i < n && i < UMM_NR_ZONES + 2; i++) {
		struct umm_zone_info z;
		char zi[4096];
		FILE *f;

		if (i < UMM_NR_ZONES) {
			assert_int_equal(umm_phys_zone(phys, (unsigned int)i, &z), 0);
			assert_string_equal(z.name, hz[i].name);
			assert_int_equal(z.managed, hz[i].managed);
			assert_int_equal(z.min, hz[i].min);
			assert_int_equal(z.low, hz[i].low);
			assert_int_equal(z.high, hz[i].high);
			assert_int_equal(z.promo, hz[i].promo);
			for (int j = 0; j < 5; j++)
				assert_int_equal(z.protection[j], hz[i].prot[j]);
			continue;
		}
		/* Movable and Device, empty: the text shows their marks. */
		f = fmemopen(zi, sizeof(zi), "w");
		assert_int_equal(umm_phys_zoneinfo_write(phys, f), 0);
		fclose(f);
		{
			char want[1024];

			snprintf(want, sizeof(want),
				 "zone %8s\n  pages free     0\n        boost    0\n        min      %lu\n"
				 "        low      %lu\n        high     %lu\n        promo    %lu\n",
				 hz[i].name, hz[i].min, hz[i].low, hz[i].high, hz[i].promo);
			assert_non_null(strstr(zi, want));
		}
	}
	umm_phys_put(phys);
}

/* vm.min_free_kbytes as the kernel computed it from the same sizes
 * (with khugepaged's raise when THP is on). */
static void min_free_kbytes_as_the_host_computed_it(void **state)
{
	struct umm_phys_config cfg;
	struct host_zone hz[8];
	struct umm_phys *phys;
	unsigned long host;
	int n;

	(void)state;
	host_snapshot(&cfg, hz, &n);
	host = cfg.min_free_kbytes;
	cfg.min_free_kbytes = 0;
	phys = umm_phys_create(&cfg);
	assert_non_null(phys);
	assert_int_equal(phys->min_free_kbytes, host);
	umm_phys_put(phys);
}

/* Each line of our text has the shape of the host's. */
static void texts_in_the_kernels_format(void **state)
{
	struct umm_phys *phys = small_phys();
	char *buddy = umm_phys_buddyinfo_string(phys), *mem = umm_phys_meminfo_string(phys);
	char *zone = umm_phys_zoneinfo_string(phys), host[256];
	FILE *f = fopen("/proc/buddyinfo", "r");
	regex_t re;

	(void)state;
	assert_non_null(buddy);
	assert_non_null(f);
	assert_non_null(fgets(host, sizeof(host), f));
	fclose(f);
	/* the same width as the host's line, and the same frame */
	assert_int_equal(strcspn(buddy, "\n"), strcspn(host, "\n"));
	assert_int_equal(regcomp(&re, "^Node 0, zone +DMA( +[0-9]+){11} \n"
				      "Node 0, zone +DMA32( +[0-9]+){11} \n$", REG_EXTENDED), 0);
	assert_int_equal(regexec(&re, buddy, 0, NULL, 0), 0);
	regfree(&re);
	assert_non_null(strstr(buddy, "Node 0, zone      DMA      0      0      0      0      0"
				      "      0      0      0      0      0      4 \n"));
	assert_non_null(strstr(mem, "MemTotal:          65536 kB\n"));
	assert_non_null(strstr(mem, "MemFree:           65536 kB\n"));
	assert_non_null(strstr(mem, "PageTables:            0 kB\n"));
	assert_non_null(strstr(zone, "Node 0, zone    DMA32\n  pages free     12288\n"));
	assert_non_null(strstr(zone, "      nr_free_pages 12288\n"));
	assert_non_null(strstr(zone, "Node 0, zone   Device\n"));
	free(buddy);
	free(mem);
	free(zone);
	umm_phys_put(phys);
}

/* Spaces given one physical memory share it; one without gets its own
 * when first asked; references keep it until the last user goes. */
static void spaces_share_physical_memory(void **state)
{
	struct umm_phys *phys = small_phys();
	struct umm_config cfg;
	struct umm_mm *a, *b, *c;
	char msg[128];

	(void)state;
	umm_config_init(&cfg);
	cfg.phys = phys;
	a = umm_mm_create(&cfg);
	b = umm_mm_create(&cfg);
	c = umm_mm_create(NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	umm_phys_put(phys); /* the spaces keep it */
	assert_ptr_equal(umm_mm_phys(a), phys);
	assert_ptr_equal(umm_mm_phys(b), phys);
	assert_non_null(umm_mm_phys(c));
	assert_ptr_not_equal(umm_mm_phys(c), phys);
	assert_int_equal(umm_mm_check(a, msg, sizeof(msg)), 0);
	umm_mm_destroy(a);
	assert_int_equal(zone_free(phys, 1), 12288); /* b still holds it */
	umm_mm_destroy(b);
	umm_mm_destroy(c);
}

static void bad_configurations(void **state)
{
	struct umm_phys_config cfg;

	(void)state;
	assert_null(umm_phys_create(NULL));
	umm_phys_config_init(&cfg);
	cfg.bytes = 4095;
	assert_null(umm_phys_create(&cfg));
	umm_phys_config_init(&cfg);
	cfg.watermark_scale_factor = 0;
	assert_null(umm_phys_create(&cfg));
	umm_phys_config_init(&cfg);
	cfg.zone_pages[2] = 1UL << 33;
	assert_null(umm_phys_create(&cfg));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fresh_zones_hold_max_order_blocks),
		cmocka_unit_test(split_and_merge),
		cmocka_unit_test(out_of_memory_at_min),
		cmocka_unit_test(fails_on_demand),
		cmocka_unit_test(zeroed_on_request),
		cmocka_unit_test(watermarks_as_the_host_has_them),
		cmocka_unit_test(min_free_kbytes_as_the_host_computed_it),
		cmocka_unit_test(texts_in_the_kernels_format),
		cmocka_unit_test(spaces_share_physical_memory),
		cmocka_unit_test(bad_configurations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
