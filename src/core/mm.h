/*
 * mm.h - struct umm_mm, the kernel's mm_struct: one address space, its
 * lock (mmap_lock) and counters, and the process attributes that decide
 * its calls (personality, MDWE, THP disable). mm.c owns the
 * configuration and the lock; the invariant checker runs on unlock in
 * test builds.
 *
 * Locking: functions of the core and the memory layer expect mm->lock
 * held unless they say otherwise. The public entry points take it.
 */
#ifndef UMM_CORE_MM_H
#define UMM_CORE_MM_H

#include "core/types.h"
#include "core/vma_tree.h"

#include <pthread.h>

struct vma;

/* The kinds of mapped pages a space counts (the kernel's mm_rss_stat). */
enum { MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES, NR_MM_COUNTERS };

struct umm_mm {
	pthread_mutex_t lock; /* mmap_lock */
	struct umm_config cfg;
	struct vma_tree tree;  /* the index; tree.count is map_count */
	struct vma *first_vma; /* the address list (vm_next, vm_prev) */
	struct vma *last_vma;
	struct vma *gate; /* [vsyscall]: not in the tree, not counted */

	unsigned long total_vm, data_vm, exec_vm, stack_vm, locked_vm;
	/* The peaks /proc/PID/status shows (VmPeak, VmHWM), raised only as
	 * total_vm or the RSS is about to drop (update_hiwater_vm/_rss). */
	unsigned long hiwater_vm, hiwater_rss;
	unsigned long start_code, end_code; /* the program's text: VmExe */
	unsigned long committed; /* pages charged by VM_ACCOUNT VMAs */

	unsigned long mmap_base;
	unsigned long mmap_legacy_base;
	unsigned long start_brk, brk;
	unsigned long start_stack;
	vm_flags_t def_flags; /* mlockall(MCL_FUTURE) sets VM_LOCKED here */
	/* Pages the kernel leaves counted with no VMA to match (mremap's
	 * quirks, see mremap.c): part of locked_vm and committed. */
	unsigned long locked_vm_stray, committed_stray;

	unsigned long next_shmem_ino;
	struct vma *vma_cache;       /* freed VMAs for reuse, linked by vm_next */
	unsigned long vma_cache_count;
	/* The memory layer's state (mem/): the physical memory the pages and
	 * page tables come from (mem/phys.c: NULL until first needed), the
	 * page tables' root (mem/pgtable.c: NO_PFN until the first), their
	 * bytes below it (VmPTE), the pages mapped by kind (mm_rss_stat) and
	 * the minor faults taken; and the layer's own invariant checker,
	 * which the core's runs too. */
	struct umm_phys *phys;
	unsigned long pgd_pfn;
	unsigned long pgtables_bytes;
	unsigned long rss[NR_MM_COUNTERS];
	unsigned long min_flt;
	uint64_t generation; /* umm_mm_generation: atomic, bumped by mm_ptes_changed */
	bool tables_touched; /* the page tables changed since the checker's last walk */
	int (*mem_check)(struct umm_mm *mm, char *msg, size_t len);
	/* Run as the lock is taken, once the space has physical memory: the
	 * layer catches up with what other spaces did to pages it maps
	 * (mem/shmem.c: holes punched in shared memory), up to
	 * phys->truncate_seq, seen as truncate_seen. */
	void (*mem_sync)(struct umm_mm *mm);
	unsigned long truncate_seen;
	/* Protection keys (pkeys.c): mm->context's map and execute-only key,
	 * and the calling thread's PKRU. */
	unsigned int pkey_map;
	int execute_only_pkey;
	unsigned int pkru;
	uint64_t rng; /* randomisation state, from cfg.seed */
	/* calls/prctl.c: the personality, PR_SET_MDWE's bits (MMF_HAS_MDWE
	 * and MMF_HAS_MDWE_NO_INHERIT), PR_GET_THP_DISABLE's answer. */
	unsigned int personality, mdwe, thp_disable;
};

static inline unsigned long get_mm_rss(const struct umm_mm *mm)
{
	return mm->rss[MM_FILEPAGES] + mm->rss[MM_ANONPAGES] + mm->rss[MM_SHMEMPAGES];
}

/* Before total_vm drops (munmap's completion). */
static inline void update_hiwater_vm(struct umm_mm *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}

/* Before the RSS drops (zaps, unmaps, reclaim). */
static inline void update_hiwater_rss(struct umm_mm *mm)
{
	unsigned long rss = get_mm_rss(mm);

	if (mm->hiwater_rss < rss)
		mm->hiwater_rss = rss;
}

/* Is cfg a configuration a space can have? */
bool mm_config_valid(const struct umm_config *cfg);

/*
 * map_count + extra >= sysctl_max_map_count - margin, compared as the
 * kernel compares them: as ints, so that a limit below margin does not
 * wrap around to a huge one (mremap's headroom checks).
 */
static inline bool map_count_near_limit(const struct umm_mm *mm, long extra, long margin)
{
	return (long)mm->tree.count + extra >= (long)mm->cfg.max_map_count - margin;
}

/* The personality asks that PROT_READ imply PROT_EXEC. */
static inline bool read_implies_exec(const struct umm_mm *mm)
{
	return mm->personality & UMM_READ_IMPLIES_EXEC;
}

/* PR_SET_THP_DISABLE without PR_THP_DISABLE_EXCEPT_ADVISED: no VMA may
 * have huge pages, advised or not (MMF_DISABLE_THP_COMPLETELY). */
static inline bool thp_disabled_completely(const struct umm_mm *mm)
{
	return mm->thp_disable == 1;
}

#endif
