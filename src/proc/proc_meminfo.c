/*
 * proc_meminfo.c - the texts of physical memory: /proc/buddyinfo
 * (frag_show_print), the zones of /proc/zoneinfo (zoneinfo_show_print,
 * without the counters this layer does not keep) and the lines of
 * /proc/meminfo it knows, in the kernel's formats and order.
 */
#include "mem/page_alloc.h"
#include "proc/proc.h"

#include <stdio.h>

/* buddyinfo shows only zones with pages. */
static int write_buddyinfo(struct umm_phys *phys, FILE *out)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *z = &phys->zones[i];

		if (!z->present_pages)
			continue;
		fprintf(out, "Node 0, zone %8s ", z->name);
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			fprintf(out, "%6lu ", z->free_area[o].nr_free);
		fputc('\n', out);
	}
	return ferror(out) ? -EIO : 0;
}

static void write_zone(const struct zone *z, FILE *out)
{
	fprintf(out, "Node 0, zone %8s", z->name);
	fprintf(out, "\n  pages free     %lu\n        boost    0\n        min      %lu"
		     "\n        low      %lu\n        high     %lu\n        promo    %lu"
		     "\n        spanned  %lu\n        present  %lu\n        managed  %lu"
		     "\n        cma      0\n        protection: (",
		z->free_pages, z->watermark[WMARK_MIN], z->watermark[WMARK_LOW],
		z->watermark[WMARK_HIGH], z->watermark[WMARK_PROMO], z->spanned_pages,
		z->present_pages, z->managed_pages);
	for (int j = 0; j < MAX_NR_ZONES; j++)
		fprintf(out, "%s%lu", j ? ", " : "", z->lowmem_reserve[j]);
	fputs(")\n", out);
	if (z->present_pages) /* the kernel stops here for an empty zone */
		fprintf(out, "      %-12s %lu\n", "nr_free_pages", z->free_pages);
}

static int write_zoneinfo(struct umm_phys *phys, FILE *out)
{
	for (int i = 0; i < MAX_NR_ZONES; i++)
		write_zone(&phys->zones[i], out);
	return ferror(out) ? -EIO : 0;
}

/* show_val_kb: the label padded as the kernel pads it, 8 digits, kB. */
static void show_val_kb(FILE *out, const char *label, unsigned long pages)
{
	fprintf(out, "%-16s%8lu kB\n", label, pages << (PAGE_SHIFT - 10));
}

static int write_meminfo(struct umm_phys *phys, FILE *out)
{
	unsigned long total = 0, free = 0;
	long available;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		total += phys->zones[i].managed_pages;
		free += phys->zones[i].free_pages;
	}
	/* si_mem_available with no page cache and no reclaimable slab */
	available = (long)free - (long)phys->totalreserve_pages;
	show_val_kb(out, "MemTotal:", total);
	show_val_kb(out, "MemFree:", free);
	show_val_kb(out, "MemAvailable:", available > 0 ? (unsigned long)available : 0);
	/* The page cache: shared memory's pages are all it holds here. */
	show_val_kb(out, "Cached:", node_page_state(phys, NR_SHMEM));
	show_val_kb(out, "AnonPages:", node_page_state(phys, NR_ANON_MAPPED));
	show_val_kb(out, "Mapped:", node_page_state(phys, NR_FILE_MAPPED));
	show_val_kb(out, "Shmem:", node_page_state(phys, NR_SHMEM));
	show_val_kb(out, "PageTables:", node_page_state(phys, NR_PAGETABLE));
	return ferror(out) ? -EIO : 0;
}

/* Runs a writer under the lock, so that the text is one moment's. */
static int locked(struct umm_phys *phys, FILE *out, int (*write)(struct umm_phys *, FILE *))
{
	int rc;

	if (!phys || !out)
		return -EINVAL;
	pthread_mutex_lock(&phys->lock);
	rc = write(phys, out);
	pthread_mutex_unlock(&phys->lock);
	return rc;
}

int umm_phys_buddyinfo_write(struct umm_phys *phys, FILE *out)
{
	return locked(phys, out, write_buddyinfo);
}

int umm_phys_zoneinfo_write(struct umm_phys *phys, FILE *out)
{
	return locked(phys, out, write_zoneinfo);
}

int umm_phys_meminfo_write(struct umm_phys *phys, FILE *out)
{
	return locked(phys, out, write_meminfo);
}

static int emit_buddyinfo(void *phys, FILE *out)
{
	return umm_phys_buddyinfo_write(phys, out);
}

static int emit_zoneinfo(void *phys, FILE *out)
{
	return umm_phys_zoneinfo_write(phys, out);
}

static int emit_meminfo(void *phys, FILE *out)
{
	return umm_phys_meminfo_write(phys, out);
}

char *umm_phys_buddyinfo_string(struct umm_phys *phys)
{
	return proc_text(emit_buddyinfo, phys);
}

char *umm_phys_zoneinfo_string(struct umm_phys *phys)
{
	return proc_text(emit_zoneinfo, phys);
}

char *umm_phys_meminfo_string(struct umm_phys *phys)
{
	return proc_text(emit_meminfo, phys);
}
