/*
 * difftest_mem.c - owns the memory comparison of `usermm difftest`: after
 * a call, the smaps counters of the VMAs whose pages usermm holds on both
 * sides, the kernel child's and usermm's. Those are the anonymous VMAs
 * the calls made, private (no name: not [heap] or [stack], whose pages
 * the child had before the import) or shared, that touch none of the
 * child's own mappings. Compared: Rss, Pss, Pss_Dirty, Shared_Clean,
 * Shared_Dirty, Private_Clean, Private_Dirty, Anonymous, Locked. Left
 * out: Referenced and LazyFree, which the kernel updates when its
 * per-CPU LRU batches drain (measured); VMAs the kernel gave transparent
 * huge pages (MADV_HUGEPAGE, MADV_COLLAPSE: usermm has none);
 * MAP_DROPPABLE ones, whose pages reclaim drops as it finds them; and
 * MADV_MERGEABLE ones, whose pages ksmd merges in its own time (and
 * after a fork, the parent's VMAs where the child's are mergeable: a
 * page ksmd takes from the child is the parent's alone again).
 */
#define _GNU_SOURCE
#include "difftest/difftest.h"

#include <stdlib.h>
#include <string.h>

static const char *const compared[] = {
	"Rss:", "Pss:", "Pss_Dirty:", "Shared_Clean:", "Shared_Dirty:", "Private_Clean:",
	"Private_Dirty:", "Anonymous:", "Locked:",
};

static bool starts(const char *p, const char *word)
{
	return strncmp(p, word, strlen(word)) == 0;
}

/* Does this maps line describe anonymous memory clear of prot: a
 * private VMA without a name, or a shared one (its hidden file, on the
 * internal shm mount, shows as "/dev/zero (deleted)")? */
static bool block_compared(const char *line, size_t len, const struct dt_range *prot, int nprot)
{
	static const char shmem_name[] = "/dev/zero (deleted)";
	unsigned long a, b;
	char perms[8] = "", dev[16] = "";
	int name_at = 0;
	bool anon;

	if (sscanf(line, "%lx-%lx %7s %*s %15s %*s %n", &a, &b, perms, dev, &name_at) != 4)
		return false;
	if (perms[3] == 'p')
		anon = !name_at || (size_t)name_at >= len;
	else
		anon = strcmp(dev, "00:01") == 0 && name_at && len - (size_t)name_at == strlen(shmem_name) &&
		       strncmp(line + name_at, shmem_name, strlen(shmem_name)) == 0;
	if (!anon)
		return false;
	for (int i = 0; i < nprot; i++)
		if (a < prot[i].end && prot[i].start < b)
			return false;
	return true;
}

static bool line_compared(const char *p)
{
	for (size_t i = 0; i < sizeof(compared) / sizeof(compared[0]); i++)
		if (starts(p, compared[i]))
			return true;
	return false;
}

/* Appends n bytes and a newline. */
static void put(char **o, const char *p, size_t n)
{
	memcpy(*o, p, n);
	*o += n;
	*(*o)++ = '\n';
}

/* Does the VmFlags line at p hold this code (" hg ")? */
static bool has_flag(const char *p, const char *code)
{
	const char *nl = strchr(p, '\n'), *hit = strstr(p, code);

	return hit && (!nl || hit < nl);
}

/* One block: its header and compared lines, or nothing where the kernel
 * shows huge pages. Returns where the next block starts. */
static const char *take_block(const char *p, char **o, const struct dt_range *prot, int nprot)
{
	const char *nl = strchr(p, '\n');
	size_t len = nl ? (size_t)(nl - p) : strlen(p);
	bool keep = block_compared(p, len, prot, nprot);
	char *start = *o;

	/* The header's range and permissions only: the inode of a shared
	 * mapping's hidden file is each side's own. */
	if (keep)
		put(o, p, strcspn(p, " ") + 5);
	for (p += len + (nl ? 1 : 0); *p && !starts(p, "VmFlags:");) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (starts(p, "AnonHugePages:") && strtoul(p + 14, NULL, 10))
			keep = false;
		if (keep && line_compared(p))
			put(o, p, len);
		p += len + (nl ? 1 : 0);
	}
	/* MADV_HUGEPAGE: the kernel may fault huge pages; MAP_DROPPABLE: it
	 * drops what reclaim finds of it on its LRU lists; MADV_MERGEABLE:
	 * ksmd (running here, with use_zero_pages) merges its pages when it
	 * gets to them. */
	if (*p && (has_flag(p, " hg ") || has_flag(p, " dp ") || has_flag(p, " mg ")))
		keep = false;
	if (!keep)
		*o = start;
	nl = strchr(p, '\n');
	return nl ? nl + 1 : p + strlen(p);
}

int dt_mergeable_ranges(const char *smaps, const struct dt_range *prot, int nprot,
			struct dt_range **out)
{
	int n = 0, cap = nprot + 16;
	struct dt_range *r = malloc((size_t)cap * sizeof(*r));
	unsigned long a = 0, b = 0;

	if (!r)
		return -1;
	for (int i = 0; i < nprot; i++)
		r[n++] = prot[i];
	for (const char *p = smaps; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (sscanf(p, "%lx-%lx ", &a, &b) == 2 && p[strspn(p, "0123456789abcdef")] == '-')
			continue;
		if (!starts(p, "VmFlags:") || !has_flag(p, " mg "))
			continue;
		if (n == cap) {
			struct dt_range *nr = realloc(r, (size_t)(cap *= 2) * sizeof(*r));

			if (!nr) {
				free(r);
				return -1;
			}
			r = nr;
		}
		r[n++] = (struct dt_range){ a, b };
	}
	*out = r;
	return n;
}

char *dt_mem_view(const char *smaps, const struct dt_range *prot, int nprot)
{
	char *out = malloc(strlen(smaps) + 1), *o = out;

	for (const char *p = smaps; out && *p;)
		p = take_block(p, &o, prot, nprot);
	if (out)
		*o = '\0';
	return out;
}
