/*
 * alloc.c - owns the library's memory for its own structures: every
 * allocation goes through kmalloc_aligned and kfree here, to the
 * caller's umm_allocator or to the default one below. There is no
 * global state: the allocator in use travels with the object.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "core/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* A block of UMM_ALLOC_HUGE bytes or more, aligned to UMM_ALLOC_HUGE so
 * that its pages can be huge ones: mmap twice the size, trim. Not
 * charged against the host's overcommit limit (MAP_NORESERVE): a
 * physical memory as large as the host's RAM is reserved address space,
 * and only the frames in use ever take host memory. */
static void *huge_block(size_t size, bool thp)
{
	size_t span = size + UMM_ALLOC_HUGE;
	char *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	uintptr_t lead;

	if (p == MAP_FAILED)
		return NULL;
	lead = (UMM_ALLOC_HUGE - ((uintptr_t)p & (UMM_ALLOC_HUGE - 1))) & (UMM_ALLOC_HUGE - 1);
	if (lead)
		munmap(p, lead);
	munmap(p + lead + size, span - lead - size);
	/* Advice only: without huge pages the block still works. */
	if (thp)
		madvise(p + lead, size, MADV_HUGEPAGE);
	return p + lead;
}

static size_t round_up(size_t n, size_t align)
{
	return (n + align - 1) & ~(align - 1);
}

static void *default_alloc(size_t size, size_t align)
{
	if (size >= UMM_ALLOC_HUGE)
		return huge_block(round_up(size, 4096), true);
	if (align <= 16)
		return malloc(size);
	return aligned_alloc(align, round_up(size, align));
}

static void default_free(void *p, size_t size)
{
	if (size >= UMM_ALLOC_HUGE)
		munmap(p, round_up(size, 4096));
	else
		free(p);
}

void *kmalloc_aligned(const struct umm_allocator *a, size_t size, size_t align)
{
	if (!size || size > PTRDIFF_MAX || !align || (align & (align - 1)) || align > 4096)
		return NULL;
	if (a)
		return a->alloc(a->ctx, size, align);
	return default_alloc(size, align);
}

void *kzalloc(const struct umm_allocator *a, size_t size)
{
	void *p = kmalloc(a, size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *kvzalloc(const struct umm_allocator *a, size_t size)
{
	if (!a && size >= UMM_ALLOC_HUGE && size <= PTRDIFF_MAX)
		return huge_block(round_up(size, 4096), true); /* mmap's pages are zero */
	return kzalloc(a, size);
}

void *kmalloc_frames(const struct umm_allocator *a, size_t size)
{
	if (!a && size >= UMM_ALLOC_HUGE && size <= PTRDIFF_MAX)
		return huge_block(round_up(size, 4096), false);
	return kmalloc_aligned(a, size, 4096);
}

void kfree(const struct umm_allocator *a, void *p, size_t size)
{
	if (!p)
		return;
	if (a)
		a->free(a->ctx, p, size);
	else
		default_free(p, size);
}

void *krealloc_array(const struct umm_allocator *a, void *p, size_t n_old, size_t n_new,
		     size_t elem)
{
	void *q;

	if (!elem || n_new > PTRDIFF_MAX / elem || n_old > PTRDIFF_MAX / elem)
		return NULL;
	q = kmalloc(a, n_new * elem);
	if (!q)
		return NULL;
	if (p)
		memcpy(q, p, (n_old < n_new ? n_old : n_new) * elem);
	kfree(a, p, n_old * elem);
	return q;
}
