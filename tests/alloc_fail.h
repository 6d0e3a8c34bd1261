/*
 * alloc_fail.h - a umm_allocator for tests: it counts the allocations it
 * is asked for, refuses the Nth (and, if sticky, every later one), and
 * keeps the number of blocks and bytes outstanding, so that a test can
 * see a leak or a double free.
 */
#ifndef UMM_TEST_ALLOC_FAIL_H
#define UMM_TEST_ALLOC_FAIL_H

#include "usermm.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct fail_alloc {
	struct umm_allocator a;
	long calls;       /* allocations asked for */
	long fail_at;     /* the call (1-based) that fails; 0: none */
	bool sticky;      /* every call after fail_at fails too */
	long failed;      /* allocations refused */
	long live;        /* blocks not yet freed */
	long long bytes;  /* their bytes */
	bool bad_free;    /* a free of NULL or with a size never handed out */
};

static void *fail_alloc_alloc(void *ctx, size_t size, size_t align)
{
	struct fail_alloc *f = ctx;
	long n = __atomic_add_fetch(&f->calls, 1, __ATOMIC_RELAXED);
	void *p;

	if (f->fail_at && (n == f->fail_at || (f->sticky && n > f->fail_at))) {
		__atomic_add_fetch(&f->failed, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	p = align <= 16 ? malloc(size) : aligned_alloc(align, (size + align - 1) & ~(align - 1));
	if (p) {
		/* Garbage, so that a caller relying on zeroed memory shows (in
		 * a huge block, such as a physical memory's frames, the
		 * first 16 MiB: enough to show it, without touching GiBs). */
		memset(p, 0xa5, size < (16UL << 20) ? size : (16UL << 20));
		__atomic_add_fetch(&f->live, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&f->bytes, (long long)size, __ATOMIC_RELAXED);
	}
	return p;
}

static void fail_alloc_free(void *ctx, void *p, size_t size)
{
	struct fail_alloc *f = ctx;

	if (!p || !size)
		f->bad_free = true;
	__atomic_sub_fetch(&f->live, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&f->bytes, (long long)size, __ATOMIC_RELAXED);
	free(p);
}

/* A fresh allocator refusing call fail_at (0: none). */
static inline void fail_alloc_init(struct fail_alloc *f, long fail_at, bool sticky)
{
	memset(f, 0, sizeof(*f));
	f->a.alloc = fail_alloc_alloc;
	f->a.free = fail_alloc_free;
	f->a.ctx = f;
	f->fail_at = fail_at;
	f->sticky = sticky;
}

#endif
