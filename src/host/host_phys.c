/*
 * host_phys.c - umm_phys_config_from_host: this host's zones and the
 * sysctls that shape its watermarks, as a struct umm_phys_config.
 */
#include "core/alloc.h"
#include "core/types.h"
#include "host/procfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZONEINFO_MAX (1UL << 20)

/* The "managed" count of zone name in /proc/zoneinfo's text. */
static int zone_managed(const char *text, const char *name, unsigned long *out)
{
	char head[64];
	const char *z, *m, *next;

	snprintf(head, sizeof(head), "zone %8s\n", name);
	z = strstr(text, head);
	if (!z)
		return -ENOENT;
	next = strstr(z + strlen(head), "Node ");
	m = strstr(z, "\n        managed  ");
	if (!m || (next && m > next))
		return -EINVAL;
	*out = strtoul(m + strlen("\n        managed  "), NULL, 10);
	return 0;
}

static int read_zones(struct umm_phys_config *c)
{
	static const char *const names[UMM_NR_ZONES] = { "DMA", "DMA32", "Normal" };
	char *text = kmalloc(NULL, ZONEINFO_MAX);
	int rc = text ? read_small_file("/proc/zoneinfo", text, ZONEINFO_MAX) : -ENOMEM;

	for (int i = 0; !rc && i < UMM_NR_ZONES; i++) {
		rc = zone_managed(text, names[i], &c->zone_pages[i]);
		if (rc == -ENOENT) { /* a kernel built without this zone */
			c->zone_pages[i] = 0;
			rc = 0;
		}
	}
	kfree(NULL, text, ZONEINFO_MAX);
	return rc;
}

/* vm.lowmem_reserve_ratio: one number per zone, tab-separated. */
static int read_ratios(struct umm_phys_config *c)
{
	char buf[128], *p = buf, *end;
	int rc = read_small_file("/proc/sys/vm/lowmem_reserve_ratio", buf, sizeof(buf));

	for (int i = 0; !rc && i < UMM_NR_ZONES; i++, p = end) {
		c->lowmem_reserve_ratio[i] = (unsigned int)strtoul(p, &end, 10);
		if (end == p)
			rc = -EINVAL;
	}
	return rc;
}

/* THP is on unless "[never]" is chosen. */
static int read_thp(struct umm_phys_config *c)
{
	char buf[128];
	int rc = read_small_file("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf));

	c->thp = rc ? false : !strstr(buf, "[never]");
	return 0; /* no THP at all: off */
}

int umm_phys_config_from_host(struct umm_phys_config *cfg)
{
	struct umm_phys_config c;
	unsigned long wsf = 0;
	int rc;

	if (!cfg)
		return -EINVAL;
	umm_phys_config_init(&c);
	rc = read_zones(&c);
	rc = rc ? rc : read_sysctl("vm/min_free_kbytes", &c.min_free_kbytes);
	rc = rc ? rc : read_sysctl("vm/watermark_scale_factor", &wsf);
	rc = rc ? rc : read_ratios(&c);
	rc = rc ? rc : read_thp(&c);
	c.watermark_scale_factor = (unsigned int)wsf;
	if (rc) {
		umm_phys_config_init(cfg);
		return rc;
	}
	*cfg = c;
	return 0;
}
