/*
 * shadow_touch.h - owns what shadow learns of the plain loads and stores
 * a traced process makes (which no tracer sees): before a memory call,
 * the VMAs it concerns are compared with the process's
 * /proc/PID/pagemap, and a VMA that usermm thinks never had anonymous
 * pages but the kernel shows one gets it, through the fault the process
 * must have taken (umm_fault). That gives it its anon_vma, which decides
 * merges, and MADV_COLLAPSE's answer.
 */
#ifndef UMM_TOOLS_SHADOW_TOUCH_H
#define UMM_TOOLS_SHADOW_TOUCH_H

#include "usermm.h"

#include <stdbool.h>
#include <sys/types.h>

/* What the syncing cost, for shadow's summary. */
struct touch_sync {
	bool off;             /* --no-touch-sync */
	unsigned long vmas;   /* VMAs whose pagemap was read */
	unsigned long entries; /* pagemap reads: entries read, or scans */
	unsigned long faults; /* VMAs found touched, faulted in usermm */
	double seconds;       /* time spent */
	/* The last pagemap opened: an open file keeps the mm it was opened
	 * on, so it must be forgotten at the pid's exec and exit. */
	pid_t fd_pid;
	int fd;
};

/* pid's pagemap may not be the one opened: it exec'd or is gone. */
void touch_forget(struct touch_sync *ts, pid_t pid);

/*
 * Brings usermm's view of the VMAs of mm meeting [lo, hi) (and the one on
 * each side, which a merge may join) up to date with what pid's pagemap
 * shows. hi < lo is the whole space.
 */
void touch_sync_range(struct touch_sync *ts, pid_t pid, struct umm_mm *mm, unsigned long lo,
		      unsigned long hi);
/*
 * The page cache of the shmem files mapped in [lo, hi), as far as pid's
 * pagemap shows it: the pages of those files present in any of pid's
 * mappings are noted (umm_file_cache_add). MADV_COLLAPSE of shmem asks.
 */
void touch_sync_cache(struct touch_sync *ts, pid_t pid, struct umm_mm *mm, unsigned long lo,
		      unsigned long hi);

#endif
