/*
 * accounting.c - the counters of an address space and the limits they
 * answer to: vm_stat_account (total/data/exec/stack), may_expand_vm
 * (RLIMIT_AS, RLIMIT_DATA), the overcommit policy behind VM_ACCOUNT
 * (__vm_enough_memory) and the mlock limits (can_do_mlock,
 * mlock_future_ok).
 *
 * The kernel keeps one system-wide Committed_AS; here each address space
 * keeps its own charge and the configuration says how much the rest of
 * the system has committed.
 */
#include "core/accounting.h"
#include "core/mm.h"

static bool is_exec_mapping(vm_flags_t f)
{
	return (f & (VM_EXEC | VM_WRITE | VM_GROWSDOWN)) == VM_EXEC;
}

static bool is_stack_mapping(vm_flags_t f)
{
	return (f & VM_GROWSDOWN) == VM_GROWSDOWN;
}

static bool is_data_mapping(vm_flags_t f)
{
	return (f & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE;
}

void vm_stat_account(struct umm_mm *mm, vm_flags_t flags, long npages)
{
	mm->total_vm += npages;
	if (is_exec_mapping(flags))
		mm->exec_vm += npages;
	else if (is_stack_mapping(flags))
		mm->stack_vm += npages;
	else if (is_data_mapping(flags))
		mm->data_vm += npages;
}

static unsigned long rlimit_pages(unsigned long bytes)
{
	return bytes >> PAGE_SHIFT;
}

bool may_expand_vm(struct umm_mm *mm, vm_flags_t flags, unsigned long npages)
{
	const struct umm_rlimit *data = &mm->cfg.rlimit_data;

	if (mm->total_vm + npages > rlimit_pages(mm->cfg.rlimit_as.cur))
		return false;
	if (is_data_mapping(flags) && mm->data_vm + npages > rlimit_pages(data->cur)) {
		/* The kernel lets a zero soft limit pass up to the hard one
		 * (kept for Valgrind, which sets RLIMIT_DATA to 0). */
		return data->cur == 0 && mm->data_vm + npages <= rlimit_pages(data->max);
	}
	return true;
}

/* vm_commit_limit: what overcommit mode 2 allows in all. */
static long commit_limit(const struct umm_config *c)
{
	unsigned long pages;

	if (c->overcommit_kbytes)
		pages = c->overcommit_kbytes >> (PAGE_SHIFT - 10);
	else
		pages = c->totalram_pages * c->overcommit_ratio / 100;
	return (long)(pages + c->total_swap_pages);
}

int vm_enough_memory(struct umm_mm *mm, unsigned long npages)
{
	const struct umm_config *c = &mm->cfg;
	long allowed, reserve;

	/* The charge goes in first, as the kernel adds to Committed_AS
	 * before it decides. */
	mm->committed += npages;
	if (c->overcommit_memory == 1)
		return 0;
	if (c->overcommit_memory == 0) {
		if (npages <= c->totalram_pages + c->total_swap_pages)
			return 0;
	} else {
		allowed = commit_limit(c);
		if (!c->cap_sys_admin)
			allowed -= (long)(c->admin_reserve_kbytes >> (PAGE_SHIFT - 10));
		reserve = (long)(c->user_reserve_kbytes >> (PAGE_SHIFT - 10));
		allowed -= (long)(mm->total_vm / 32) < reserve ? (long)(mm->total_vm / 32) : reserve;
		if ((long)(c->committed_other_pages + mm->committed) < allowed)
			return 0;
	}
	mm->committed -= npages;
	return -ENOMEM;
}

void vm_unacct_memory(struct umm_mm *mm, unsigned long npages)
{
	mm->committed -= npages;
}

bool can_do_mlock(const struct umm_mm *mm)
{
	return mm->cfg.rlimit_memlock.cur != 0 || mm->cfg.cap_ipc_lock;
}

bool mlock_future_ok(const struct umm_mm *mm, vm_flags_t flags, unsigned long bytes)
{
	if (!(flags & VM_LOCKED) || mm->cfg.cap_ipc_lock)
		return true;
	return (bytes >> PAGE_SHIFT) + mm->locked_vm <= rlimit_pages(mm->cfg.rlimit_memlock.cur);
}
