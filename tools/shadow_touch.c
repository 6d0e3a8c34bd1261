/*
 * shadow_touch.c - owns shadow's reading of the traced process's
 * pagemap (see shadow_touch.h). A pagemap entry is 64 bits per page:
 * bit 63 present, bit 62 swapped, bit 61 a file page or shared
 * anonymous memory. An entry present or swapped without bit 61 is an
 * anonymous page of the process.
 */
#define _GNU_SOURCE
#include "shadow_touch.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

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

/* Notes the file pages of v that pid has mapped (present, file). */
static void cache_from_vma(struct touch_sync *ts, int fd, const struct umm_vma_info *v)
{
	uint64_t e[CHUNK];

	ts->vmas++;
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

void touch_sync_cache(struct touch_sync *ts, pid_t pid, struct umm_mm *mm, unsigned long lo,
		      unsigned long hi)
{
	struct umm_file *files[8];
	struct umm_vma_iter it;
	struct umm_vma_info v;
	size_t nfiles = 0;
	char path[64];
	int fd;

	if (ts->off || !mm)
		return;
	umm_vma_iter_init(&it, mm, lo);
	while (umm_vma_iter_next(&it, &v) && v.start < hi && nfiles < 8)
		if (is_shmem(&v))
			files[nfiles++] = v.file;
	if (!nfiles)
		return;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
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
	close(fd);
}

void touch_sync_range(struct touch_sync *ts, pid_t pid, struct umm_mm *mm, unsigned long lo,
		      unsigned long hi)
{
	struct timespec t0, t1;
	struct umm_vma_iter it;
	struct umm_vma_info v;
	char path[64];
	int fd;

	if (ts->off || !mm)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
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
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ts->seconds += (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
}
