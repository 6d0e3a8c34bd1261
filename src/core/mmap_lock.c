/*
 * mmap_lock.c - see mmap_lock.h.
 */
#include "core/check.h"
#include "core/mm.h"
#include "core/mmap_lock.h"

#include <stdio.h>
#include <stdlib.h>

void mm_lock(struct umm_mm *mm)
{
	pthread_mutex_lock(&mm->lock);
	if (mm->mem_sync)
		mm->mem_sync(mm);
}

#ifdef UMM_CHECK_INVARIANTS
/* The full check after every call: O(n), which test builds can afford. */
static void check_after_call(struct umm_mm *mm)
{
	char msg[256];

	if (mm_check_locked(mm, msg, sizeof(msg))) {
		fprintf(stderr, "usermm: invariant broken: %s\n", msg);
		abort();
	}
}
#endif

void mm_unlock(struct umm_mm *mm)
{
#ifdef UMM_CHECK_INVARIANTS
	check_after_call(mm);
#endif
	pthread_mutex_unlock(&mm->lock);
}
