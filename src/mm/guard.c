/*
 * guard.c - the set of guard-marked pages of an address space (see
 * guard.h). Placeholder until madvise's guard advice lands: no page is
 * ever marked.
 */
#include "guard.h"

bool guard_marked(const struct umm_mm *mm, unsigned long addr)
{
	(void)mm;
	(void)addr;
	return false;
}

int guard_install(struct umm_mm *mm, unsigned long start, unsigned long end)
{
	(void)mm;
	(void)start;
	(void)end;
	return -ENOMEM;
}

void guard_remove(struct umm_mm *mm, unsigned long start, unsigned long end)
{
	(void)mm;
	(void)start;
	(void)end;
}

int guard_move(struct umm_mm *mm, unsigned long old, unsigned long new, unsigned long len)
{
	(void)mm;
	(void)old;
	(void)new;
	(void)len;
	return 0;
}

void guard_destroy(struct umm_mm *mm)
{
	(void)mm;
}
