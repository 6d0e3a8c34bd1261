/*
 * mmap_lock.h - the per-space lock (the kernel's mmap_lock). Every public
 * entry point takes it; in test builds releasing it runs the invariant
 * checker (check.c) over the whole space, so a call that breaks one
 * aborts at once, naming what broke.
 */
#ifndef UMM_CORE_MMAP_LOCK_H
#define UMM_CORE_MMAP_LOCK_H

struct umm_mm;

/* Takes the lock, then lets the memory layer catch up (mm->mem_sync). */
void mm_lock(struct umm_mm *mm);
/* Runs the invariant checker in test builds, then unlocks. */
void mm_unlock(struct umm_mm *mm);

#endif
