/*
 * shadow_touch.c - owns shadow's reading of the traced process's
 * pagemap (see shadow_touch.h). A pagemap entry is 64 bits per page:
 * bit 63 present, bit 62 swapped, bit 61 a file page or shared
 * anonymous memory. An entry present or swapped without bit 61 is an
 * anonymous page of the process.
 *
 * Reading entries one by one costs 8 bytes per page of a VMA, untouched
 * terabytes included; the PAGEMAP_SCAN ioctl (Linux 6.7) walks only the
 * page tables that exist and stops at the first match, so it is tried
 * first, and the plain read is the fallback.
 */
#define _GNU_SOURCE
#include "ptrace/shadow_touch.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* PAGEMAP_SCAN's ABI (linux/fs.h of 6.7+; this machine's headers are
 * older): a page matches when its categories, with category_inverted's
 * bits flipped, have all of category_mask and one of category_anyof. */
struct pm_region {
	uint64_t start, end, categories;
};
struct pm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define PM_PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#define PAGE_IS_FILE (1 << 2)
#define PAGE_IS_PRESENT (1 << 3)
#define PAGE_IS_SWAPPED (1 << 4)
#define PAGE_IS_PFNZERO (1 << 5)

/* Regions of [start, end) matching (inverted, mask, anyof) into vec;
 * their count, or -1 if the kernel lacks the ioctl. */
static long pm_scan(int fd, unsigned long start, unsigned long end, uint64_t inverted,
		    uint64_t mask, uint64_t anyof, struct pm_region *vec, size_t n,
		    unsigned long max_pages, unsigned long *walk_end)
{
	struct pm_scan_arg a = {
		.size = sizeof(a), .start = start, .end = end, .vec = (uintptr_t)vec, .vec_len = n,
		.max_pages = max_pages, .category_inverted = inverted, .category_mask = mask,
		.category_anyof_mask = anyof, .return_mask = mask | anyof,
	};
	long r = ioctl(fd, PM_PAGEMAP_SCAN, &a);

	*walk_end = (unsigned long)a.walk_end;
	return r;
}

#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)
#define PM_FILE (1ULL << 61)
#define CHUNK 512 /* entries read at a time: 2 MiB of address space */

/* VMAs that may hold anonymous pages usermm does not know of. */
static bool worth_reading(const struct umm_vma_info *v)
{
	unsigned long long f = v->vm_flags;

	if (v->anon_vma || v->special != UMM_SPECIAL_NONE)
		return false;
	if (f & (UMM_VM_SHARED | UMM_VM_HUGETLB | UMM_VM_IO | UMM_VM_PFNMAP))
		return false;
	return (f & (UMM_VM_READ | UMM_VM_WRITE | UMM_VM_EXEC)) != 0;
}

/* The first anonymous page of [start, end) in the pagemap, or 0. */
static unsigned long first_anon_page(struct touch_sync *ts, int fd, unsigned long start,
				     unsigned long end)
{
	uint64_t e[CHUNK];
	struct pm_region r;
	unsigned long walked;
	long n = pm_scan(fd, start, end, PAGE_IS_FILE | PAGE_IS_PFNZERO,
			 PAGE_IS_FILE | PAGE_IS_PFNZERO, PAGE_IS_PRESENT | PAGE_IS_SWAPPED, &r, 1, 1,
			 &walked);

	if (n >= 0) {
		ts->entries++;
		return n > 0 ? (unsigned long)r.start : 0;
	}

	for (unsigned long a = start; a < end; a += CHUNK * 4096UL) {
		unsigned long n = (end - a) / 4096;
		ssize_t got;

		if (n > CHUNK)
			n = CHUNK;
		got = pread(fd, e, n * sizeof(e[0]), (off_t)((a / 4096) * sizeof(e[0])));
		if (got <= 0)
			return 0;
		ts->entries += (unsigned long)got / sizeof(e[0]);
		for (unsigned long i = 0; i < (unsigned long)got / sizeof(e[0]); i++)
			if ((e[i] & (PM_PRESENT | PM_SWAP)) && !(e[i] & PM_FILE))
				return a + i * 4096;
	}
	return 0;
}

static void sync_vma(struct touch_sync *ts, int fd, struct umm_mm *mm,
		     const struct umm_vma_info *v)
{
	unsigned long page;

	ts->vmas++;
	page = first_anon_page(ts, fd, v->start, v->end);
	if (!page)
		return;
	/* The fault that page took: a write where the VMA allows one. */
	umm_fault(mm, page, (v->vm_flags & UMM_VM_WRITE) ? UMM_ACCESS_WRITE : UMM_ACCESS_READ,
		  NULL);
	ts->faults++;
}

/* Notes the file pages of v that pid has mapped, through PAGEMAP_SCAN;
 * false if the kernel lacks it. */
static bool cache_by_scan(struct touch_sync *ts, int fd, const struct umm_vma_info *v)
{
	struct pm_region r[32];
	unsigned long at = v->start, walked;

	while (at < v->end) {
		long n = pm_scan(fd, at, v->end, 0, PAGE_IS_FILE | PAGE_IS_PRESENT, 0, r, 32, 0,
				 &walked);

		if (n < 0)
			return false;
		ts->entries++;
		for (long i = 0; i < n; i++)
			umm_file_cache_add(v->file, v->pgoff + (r[i].start - v->start) / 4096,
					   (r[i].end - r[i].start) / 4096);
		if (walked <= at || n < 32)
			break;
		at = walked;
	}
	return true;
}

/* Notes the file pages of v that pid has mapped (present, file). */
static void cache_from_vma(struct touch_sync *ts, int fd, const struct umm_vma_info *v)
{
	uint64_t e[CHUNK];

	ts->vmas++;
	if (cache_by_scan(ts, fd, v))
		return;
	for (unsigned long a = v->start; a < v->end; a += CHUNK * 4096UL) {
		unsigned long n = (v->end - a) / 4096 < CHUNK ? (v->end - a) / 4096 : CHUNK;
		ssize_t got = pread(fd, e, n * sizeof(e[0]), (off_t)((a / 4096) * sizeof(e[0])));

		if (got <= 0)
			return;
		ts->entries += (unsigned long)got / sizeof(e[0]);
		for (unsigned long i = 0; i < (unsigned long)got / sizeof(e[0]); i++)
			if ((e[i] & PM_PRESENT) && (e[i] & PM_FILE))
				umm_file_cache_add(v->file, v->pgoff + (a - v->start) / 4096 + i, 1);
	}
}

static bool is_shmem(const struct umm_vma_info *v)
{
	const struct umm_file_desc *d = umm_file_describe(v->file);

	return d && d->kind == UMM_FILE_SHMEM && !d->huge_shift;
}

void touch_forget(struct touch_sync *ts, pid_t pid)
{
	if (ts->fd_pid != pid || ts->fd < 0)
		return;
	close(ts->fd);
	ts->fd = -1;
	ts->fd_pid = 0;
}

/* pid's pagemap, opened once for the calls that follow; -1 if none. */
static int pagemap_fd(struct touch_sync *ts, pid_t pid)
{
	char path[64];

	if (ts->fd_pid == pid && ts->fd >= 0)
		return ts->fd;
	touch_forget(ts, ts->fd_pid);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	ts->fd = open(path, O_RDONLY | O_CLOEXEC);
	ts->fd_pid = ts->fd >= 0 ? pid : 0;
	return ts->fd;
}

void touch_sync_cache(struct touch_sync *ts, pid_t pid, struct umm_mm *mm, unsigned long lo,
		      unsigned long hi)
{
	struct umm_file *files[8];
	struct umm_vma_iter it;
	struct umm_vma_info v;
	size_t nfiles = 0;
	int fd;

	if (ts->off || !mm)
		return;
	umm_vma_iter_init(&it, mm, lo);
	while (umm_vma_iter_next(&it, &v) && v.start < hi && nfiles < 8)
		if (is_shmem(&v))
			files[nfiles++] = v.file;
	if (!nfiles)
		return;
	fd = pagemap_fd(ts, pid);
	if (fd < 0)
		return;
	/* Any mapping of those files: an alias elsewhere may have the pages. */
	umm_vma_iter_init(&it, mm, 0);
	while (umm_vma_iter_next(&it, &v))
		for (size_t i = 0; i < nfiles; i++)
			if (v.file == files[i]) {
				cache_from_vma(ts, fd, &v);
				break;
			}
}

void touch_sync_range(struct touch_sync *ts, pid_t pid, struct umm_mm *mm, unsigned long lo,
		      unsigned long hi)
{
	struct timespec t0, t1;
	struct umm_vma_iter it;
	struct umm_vma_info v;
	int fd;

	if (ts->off || !mm)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = pagemap_fd(ts, pid);
	if (fd < 0)
		return;
	if (hi < lo)
		lo = 0, hi = ~0UL;
	/* From the VMA before lo: a merge may join it. */
	umm_vma_iter_init(&it, mm, lo >= 4096 ? lo - 4096 : 0);
	/* Up to the VMA that starts at hi: a merge may join it too. */
	while (umm_vma_iter_next(&it, &v) && v.start <= hi)
		if (worth_reading(&v))
			sync_vma(ts, fd, mm, &v);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ts->seconds += (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
}
