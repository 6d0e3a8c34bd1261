/*
 * alloc.h - the one place the library gets memory for its own structures
 * (VMAs, index nodes, files, names, guard ranges, import tables, text
 * buffers). Each goes to the umm_allocator of the space or object it
 * belongs to, or to the default one (the C library's heap; mmap for
 * large blocks) when that is NULL. Tests plug in an allocator that fails
 * at the Nth call; every caller treats NULL as -ENOMEM.
 */
#ifndef UMM_ALLOC_H
#define UMM_ALLOC_H

#include "usermm.h"

#include <stddef.h>

/* Blocks of this size or more come from mmap in the default allocator,
 * aligned to it and advised for transparent huge pages. */
#define UMM_ALLOC_HUGE (2UL << 20)

void *kmalloc_aligned(const struct umm_allocator *a, size_t size, size_t align);
static inline void *kmalloc(const struct umm_allocator *a, size_t size)
{
	return kmalloc_aligned(a, size, 16);
}
void *kzalloc(const struct umm_allocator *a, size_t size);
/* size must be what the block was allocated with. p may be NULL. */
void kfree(const struct umm_allocator *a, void *p, size_t size);
/*
 * Grows (or shrinks) an array of n_old elements of elem bytes to n_new,
 * keeping the first min(n_old, n_new). NULL, with p untouched, on
 * failure or when the size overflows.
 */
void *krealloc_array(const struct umm_allocator *a, void *p, size_t n_old, size_t n_new,
		     size_t elem);

/* A zeroed block that may be very large: from the default allocator a
 * large one is fresh mmap memory, zero without being touched, so that
 * only the parts used ever take host memory. Freed with kfree. */
void *kvzalloc(const struct umm_allocator *a, size_t size);

/* The host memory of a physical memory's frames: page aligned, and from
 * the default allocator not advised for huge pages (a frame's first
 * touch then costs the host one 4 KiB fault, not a 2 MiB one with
 * compaction: measured 1.8 against 4 to 11 microseconds per frame).
 * Freed with kfree. */
void *kmalloc_frames(const struct umm_allocator *a, size_t size);

#endif
