/*
 * range_set.h - a set of unsigned long values kept as sorted, disjoint,
 * non-adjacent half-open ranges in a flat array searched by bisection:
 * the guard-marked pages of a space (addresses), the pages of a file in
 * the page cache (page indices). Sets are small and their ranges large,
 * so a flat array beats a tree.
 *
 * After an add or a reserve the array keeps one free slot, so that a
 * removal, which may split a range in two, needs no memory.
 */
#ifndef UMM_RANGE_SET_H
#define UMM_RANGE_SET_H

#include "usermm.h"

#include <stdbool.h>
#include <stddef.h>

struct range {
	unsigned long start, end;
};

struct range_set {
	struct range *r;
	size_t n, cap;
	const struct umm_allocator *alloc; /* the array's memory */
};

/* Is v in the set? */
bool range_set_contains(const struct range_set *s, unsigned long v);
/* The first value of [start, end) in the set, or end if there is none. */
unsigned long range_set_first(const struct range_set *s, unsigned long start, unsigned long end);
/* Adds [start, end). 0 or -ENOMEM (nothing added then). */
int range_set_add(struct range_set *s, unsigned long start, unsigned long end);
/* Room for the next range_set_remove. 0 or -ENOMEM. */
int range_set_reserve(struct range_set *s);
/* Takes [start, end) out; cannot fail after range_set_reserve. */
void range_set_remove(struct range_set *s, unsigned long start, unsigned long end);
/* What the set holds of [old, old + len) moves to new. 0 or -ENOMEM
 * (nothing moved then). */
int range_set_move(struct range_set *s, unsigned long old, unsigned long new, unsigned long len);
/* Frees the array; the set is empty afterwards. */
void range_set_destroy(struct range_set *s);

#endif
