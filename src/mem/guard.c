/*
 * guard.c - the guard-marked pages of an address space (see guard.h), a
 * range set of addresses in mm->guards.
 */
#include "core/mm.h"
#include "core/range_set.h"
#include "mem/guard.h"

bool guard_marked(const struct umm_mm *mm, unsigned long addr)
{
	return range_set_contains(&mm->guards, addr);
}

unsigned long guard_first(const struct umm_mm *mm, unsigned long start, unsigned long end)
{
	return range_set_first(&mm->guards, start, end);
}

int guard_install(struct umm_mm *mm, unsigned long start, unsigned long end)
{
	return range_set_add(&mm->guards, start, end);
}

int guard_reserve(struct umm_mm *mm)
{
	return range_set_reserve(&mm->guards);
}

void guard_remove(struct umm_mm *mm, unsigned long start, unsigned long end)
{
	range_set_remove(&mm->guards, start, end);
}

int guard_move(struct umm_mm *mm, unsigned long old, unsigned long new, unsigned long len)
{
	return range_set_move(&mm->guards, old, new, len);
}

void guard_destroy(struct umm_mm *mm)
{
	range_set_destroy(&mm->guards);
}
