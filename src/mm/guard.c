/*
 * guard.c - the set of guard-marked pages of an address space (see
 * guard.h): a sorted array of disjoint, non-adjacent ranges, searched by
 * bisection. Guard regions are few and large (one per thread stack, one
 * per allocator arena), so a flat array beats a tree here.
 *
 * The array always keeps one free slot after an install or a reserve,
 * so that a removal, which may split a range in two, needs no memory.
 */
#include "alloc.h"
#include "guard.h"

#include <stdlib.h>
#include <string.h>

/* The first range ending above addr (ends are sorted like starts). */
static size_t first_ending_above(const struct guard_set *g, unsigned long addr)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->r[mid].end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The first range starting at or above addr. */
static size_t first_starting_from(const struct guard_set *g, unsigned long addr)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->r[mid].start >= addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int ensure_room(struct umm_mm *mm, struct guard_set *g, size_t want)
{
	struct guard_range *r;
	size_t cap = g->cap ? g->cap : 4;

	if (want <= g->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	r = krealloc_array(mm->cfg.allocator, g->r, g->cap, cap, sizeof(*r));
	if (!r)
		return -ENOMEM;
	g->r = r;
	g->cap = cap;
	return 0;
}

/* Replaces ranges [lo, hi) with the count ranges of with; room checked. */
static void splice(struct guard_set *g, size_t lo, size_t hi, const struct guard_range *with,
		   size_t count)
{
	memmove(&g->r[lo + count], &g->r[hi], (g->n - hi) * sizeof(g->r[0]));
	memcpy(&g->r[lo], with, count * sizeof(g->r[0]));
	g->n = g->n - (hi - lo) + count;
}

bool guard_marked(const struct umm_mm *mm, unsigned long addr)
{
	const struct guard_set *g = &mm->guards;
	size_t i = first_ending_above(g, addr);

	return i < g->n && g->r[i].start <= addr;
}

unsigned long guard_first(const struct umm_mm *mm, unsigned long start, unsigned long end)
{
	const struct guard_set *g = &mm->guards;
	size_t i = first_ending_above(g, start);

	if (i == g->n || g->r[i].start >= end)
		return end;
	return g->r[i].start > start ? g->r[i].start : start;
}

int guard_install(struct umm_mm *mm, unsigned long start, unsigned long end)
{
	struct guard_set *g = &mm->guards;
	struct guard_range merged = { start, end };
	size_t lo, hi;

	if (start >= end)
		return 0;
	if (ensure_room(mm, g, g->n + 2))
		return -ENOMEM;
	/* Ranges touching [start, end) are absorbed, adjacent ones too. */
	lo = start ? first_ending_above(g, start - 1) : 0;
	hi = end == ~0UL ? g->n : first_starting_from(g, end + 1);
	if (lo < hi) {
		if (g->r[lo].start < merged.start)
			merged.start = g->r[lo].start;
		if (g->r[hi - 1].end > merged.end)
			merged.end = g->r[hi - 1].end;
	}
	splice(g, lo, hi, &merged, 1);
	return 0;
}

int guard_reserve(struct umm_mm *mm)
{
	if (!mm->guards.n) /* nothing to split */
		return 0;
	return ensure_room(mm, &mm->guards, mm->guards.n + 1);
}

void guard_remove(struct umm_mm *mm, unsigned long start, unsigned long end)
{
	struct guard_set *g = &mm->guards;
	struct guard_range keep[2];
	size_t lo, hi, count = 0;

	if (start >= end)
		return;
	lo = first_ending_above(g, start);
	hi = first_starting_from(g, end);
	if (lo >= hi)
		return;
	if (g->r[lo].start < start)
		keep[count++] = (struct guard_range){ g->r[lo].start, start };
	if (g->r[hi - 1].end > end)
		keep[count++] = (struct guard_range){ end, g->r[hi - 1].end };
	/* Without the reserved slot, leaving the range marked is the only
	 * outcome that loses nothing; callers reserve, so it cannot happen. */
	if (g->n - (hi - lo) + count > g->cap && ensure_room(mm, g, g->n + 1))
		return;
	splice(g, lo, hi, keep, count);
}

int guard_move(struct umm_mm *mm, unsigned long old, unsigned long new, unsigned long len)
{
	struct guard_set *g = &mm->guards;
	size_t lo = first_ending_above(g, old), hi = first_starting_from(g, old + len);
	struct guard_range *moved;
	size_t count = lo < hi ? hi - lo : 0;

	if (!count)
		return 0;
	moved = kmalloc(mm->cfg.allocator, count * sizeof(*moved));
	if (!moved || ensure_room(mm, g, g->n + count + 2)) {
		kfree(mm->cfg.allocator, moved, count * sizeof(*moved));
		return -ENOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		const struct guard_range *r = &g->r[lo + i];

		moved[i].start = (r->start > old ? r->start : old) - old + new;
		moved[i].end = (r->end < old + len ? r->end : old + len) - old + new;
	}
	guard_remove(mm, old, old + len);
	/* Room for every piece was made above, so none of these fails. */
	for (size_t i = 0; i < count; i++)
		guard_install(mm, moved[i].start, moved[i].end);
	kfree(mm->cfg.allocator, moved, count * sizeof(*moved));
	return 0;
}

void guard_destroy(struct umm_mm *mm)
{
	kfree(mm->cfg.allocator, mm->guards.r, mm->guards.cap * sizeof(*mm->guards.r));
	mm->guards = (struct guard_set){ 0 };
}
