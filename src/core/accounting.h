/*
 * accounting.h - the space's counters (vm_stat_account), the rlimits a
 * call must respect (RLIMIT_AS, RLIMIT_DATA, RLIMIT_MEMLOCK) and the
 * overcommit charge of VM_ACCOUNT memory. accounting.c owns them.
 */
#ifndef UMM_CORE_ACCOUNTING_H
#define UMM_CORE_ACCOUNTING_H

#include "core/vma.h"

/* vm_stat_account: adds (or with negative npages removes) to the counters. */
void vm_stat_account(struct umm_mm *mm, vm_flags_t flags, long npages);
/* may_expand_vm: RLIMIT_AS and RLIMIT_DATA for npages more. */
bool may_expand_vm(struct umm_mm *mm, vm_flags_t flags, unsigned long npages);
/* security_vm_enough_memory_mm: charges npages or returns -ENOMEM. */
int vm_enough_memory(struct umm_mm *mm, unsigned long npages);
void vm_unacct_memory(struct umm_mm *mm, unsigned long npages);
bool can_do_mlock(const struct umm_mm *mm);
bool mlock_future_ok(const struct umm_mm *mm, vm_flags_t flags, unsigned long bytes);
/* Pages a VMA charges while VM_ACCOUNT is set. */
static inline unsigned long vma_charge(const struct vma *v)
{
	return (v->vm_flags & VM_ACCOUNT) ? vma_pages(v) : 0;
}

#endif
