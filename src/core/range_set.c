/*
 * range_set.c - owns struct range_set (see range_set.h).
 */
#include "core/alloc.h"
#include "core/range_set.h"

#include <errno.h>

#include <stdlib.h>
#include <string.h>

/* The first range ending above addr (ends are sorted like starts). */
static size_t first_ending_above(const struct range_set *g, unsigned long addr)
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
static size_t first_starting_from(const struct range_set *g, unsigned long addr)
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

static int ensure_room(struct range_set *g, size_t want)
{
	struct range *r;
	size_t cap = g->cap ? g->cap : 4;

	if (want <= g->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	r = krealloc_array(g->alloc, g->r, g->cap, cap, sizeof(*r));
	if (!r)
		return -ENOMEM;
	g->r = r;
	g->cap = cap;
	return 0;
}

/* Replaces ranges [lo, hi) with the count ranges of with; room checked. */
static void splice(struct range_set *g, size_t lo, size_t hi, const struct range *with,
		   size_t count)
{
	memmove(&g->r[lo + count], &g->r[hi], (g->n - hi) * sizeof(g->r[0]));
	memcpy(&g->r[lo], with, count * sizeof(g->r[0]));
	g->n = g->n - (hi - lo) + count;
}

bool range_set_contains(const struct range_set *g, unsigned long addr)
{
	size_t i = first_ending_above(g, addr);

	return i < g->n && g->r[i].start <= addr;
}

unsigned long range_set_first(const struct range_set *g, unsigned long start, unsigned long end)
{
	size_t i = first_ending_above(g, start);

	if (i == g->n || g->r[i].start >= end)
		return end;
	return g->r[i].start > start ? g->r[i].start : start;
}

int range_set_add(struct range_set *g, unsigned long start, unsigned long end)
{
	struct range merged = { start, end };
	size_t lo, hi;

	if (start >= end)
		return 0;
	if (ensure_room(g, g->n + 2))
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

int range_set_reserve(struct range_set *g)
{
	if (!g->n) /* nothing to split */
		return 0;
	return ensure_room(g, g->n + 1);
}

void range_set_remove(struct range_set *g, unsigned long start, unsigned long end)
{
	struct range keep[2];
	size_t lo, hi, count = 0;

	if (start >= end)
		return;
	lo = first_ending_above(g, start);
	hi = first_starting_from(g, end);
	if (lo >= hi)
		return;
	if (g->r[lo].start < start)
		keep[count++] = (struct range){ g->r[lo].start, start };
	if (g->r[hi - 1].end > end)
		keep[count++] = (struct range){ end, g->r[hi - 1].end };
	/* Without the reserved slot, leaving the range marked is the only
	 * outcome that loses nothing; callers reserve, so it cannot happen. */
	if (g->n - (hi - lo) + count > g->cap && ensure_room(g, g->n + 1))
		return;
	splice(g, lo, hi, keep, count);
}

int range_set_move(struct range_set *g, unsigned long old, unsigned long new, unsigned long len)
{
	size_t lo = first_ending_above(g, old), hi = first_starting_from(g, old + len);
	struct range *moved;
	size_t count = lo < hi ? hi - lo : 0;

	if (!count)
		return 0;
	moved = kmalloc(g->alloc, count * sizeof(*moved));
	if (!moved || ensure_room(g, g->n + count + 2)) {
		kfree(g->alloc, moved, count * sizeof(*moved));
		return -ENOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		const struct range *r = &g->r[lo + i];

		moved[i].start = (r->start > old ? r->start : old) - old + new;
		moved[i].end = (r->end < old + len ? r->end : old + len) - old + new;
	}
	range_set_remove(g, old, old + len);
	/* Room for every piece was made above, so none of these fails. */
	for (size_t i = 0; i < count; i++)
		range_set_add(g, moved[i].start, moved[i].end);
	kfree(g->alloc, moved, count * sizeof(*moved));
	return 0;
}

void range_set_destroy(struct range_set *g)
{
	kfree(g->alloc, g->r, g->cap * sizeof(*g->r));
	g->r = NULL;
	g->n = g->cap = 0;
}
