/*
 * prctl.c - owns what the process changes about itself after exec that
 * the mapping calls then obey: resource limits (setrlimit, prlimit64),
 * capabilities (capset, setuid and friends), the personality's
 * READ_IMPLIES_EXEC, and the prctls that bear on mappings: memory-deny-
 * write-execute (PR_SET_MDWE, the kernel's MMF_HAS_MDWE) and the THP
 * switch (PR_SET_THP_DISABLE, MMF_DISABLE_THP_*). The rules are those of
 * kernel/sys.c and include/linux/mman.h (map_deny_write_exec), measured
 * on this machine's kernel (see tests/test_oracle_prctl.c).
 */
#include "calls/calls.h"
#include "core/mm.h"
#include "core/mmap_lock.h"

#define PR_SET_THP_DISABLE 41
#define PR_GET_THP_DISABLE 42
#define PR_SET_MDWE 65
#define PR_GET_MDWE 66
#define PR_THP_DISABLE_EXCEPT_ADVISED 2UL

#define CAP_IPC_LOCK 14
#define CAP_SYS_RAWIO 17
#define CAP_SYS_ADMIN 21
#define CAP_SYS_RESOURCE 24

static struct umm_rlimit *rlimit_of(struct umm_mm *mm, int resource)
{
	switch (resource) {
	case UMM_RLIMIT_DATA:
		return &mm->cfg.rlimit_data;
	case UMM_RLIMIT_STACK:
		return &mm->cfg.rlimit_stack;
	case UMM_RLIMIT_MEMLOCK:
		return &mm->cfg.rlimit_memlock;
	case UMM_RLIMIT_AS:
		return &mm->cfg.rlimit_as;
	}
	return NULL;
}

int umm_setrlimit(struct umm_mm *mm, int resource, const struct umm_rlimit *lim)
{
	struct umm_rlimit *r;
	int err;

	if (!mm || !lim || lim->cur > lim->max)
		return -EINVAL;
	mm_lock(mm);
	r = rlimit_of(mm, resource);
	err = r ? 0 : -EINVAL;
	if (r && lim->max > r->max && !mm->cfg.cap_sys_resource)
		err = -EPERM;
	if (!err)
		*r = *lim;
	mm_unlock(mm);
	return err;
}

int umm_getrlimit(struct umm_mm *mm, int resource, struct umm_rlimit *out)
{
	struct umm_rlimit *r;

	if (!mm || !out)
		return -EINVAL;
	mm_lock(mm);
	r = rlimit_of(mm, resource);
	if (r)
		*out = *r;
	mm_unlock(mm);
	return r ? 0 : -EINVAL;
}

void umm_set_capabilities(struct umm_mm *mm, uint64_t effective)
{
	if (!mm)
		return;
	mm_lock(mm);
	mm->cfg.cap_ipc_lock = (effective >> CAP_IPC_LOCK) & 1;
	mm->cfg.cap_sys_rawio = (effective >> CAP_SYS_RAWIO) & 1;
	mm->cfg.cap_sys_admin = (effective >> CAP_SYS_ADMIN) & 1;
	mm->cfg.cap_sys_resource = (effective >> CAP_SYS_RESOURCE) & 1;
	mm_unlock(mm);
}

long umm_personality(struct umm_mm *mm, unsigned long persona)
{
	unsigned int old;

	if (!mm)
		return -EINVAL;
	mm_lock(mm);
	old = mm->personality;
	/* The system call takes an unsigned int; 0xffffffff only asks. */
	if ((unsigned int)persona != 0xffffffffU)
		mm->personality = (unsigned int)persona;
	mm_unlock(mm);
	return old;
}

/* prctl_set_mdwe: the bits can be set, and set again unchanged, but
 * never cleared or changed. */
static long set_mdwe(struct umm_mm *mm, unsigned long bits, unsigned long a3,
		     unsigned long a4, unsigned long a5)
{
	if (a3 || a4 || a5)
		return -EINVAL;
	if (bits & ~(UMM_MDWE_REFUSE_EXEC_GAIN | UMM_MDWE_NO_INHERIT))
		return -EINVAL;
	if ((bits & UMM_MDWE_NO_INHERIT) && !(bits & UMM_MDWE_REFUSE_EXEC_GAIN))
		return -EINVAL;
	if (mm->mdwe && mm->mdwe != bits)
		return -EPERM;
	mm->mdwe = (unsigned int)bits;
	return 0;
}

/* prctl_set_thp_disable: arg2 is a boolean, arg3 the flags (only with
 * arg2 set). */
static long set_thp_disable(struct umm_mm *mm, unsigned long disable, unsigned long flags,
			    unsigned long a4, unsigned long a5)
{
	if (a4 || a5)
		return -EINVAL;
	if (!disable) {
		if (flags)
			return -EINVAL;
		mm->thp_disable = 0;
		return 0;
	}
	if (flags & ~PR_THP_DISABLE_EXCEPT_ADVISED)
		return -EINVAL;
	mm->thp_disable = 1 | (unsigned int)flags;
	return 0;
}

static long do_prctl(struct umm_mm *mm, int option, unsigned long a2, unsigned long a3,
		     unsigned long a4, unsigned long a5)
{
	switch (option) {
	case PR_SET_MDWE:
		return set_mdwe(mm, a2, a3, a4, a5);
	case PR_GET_MDWE:
		return (a2 || a3 || a4 || a5) ? -EINVAL : (long)mm->mdwe;
	case PR_SET_THP_DISABLE:
		return set_thp_disable(mm, a2, a3, a4, a5);
	case PR_GET_THP_DISABLE:
		return (a2 || a3 || a4 || a5) ? -EINVAL : (long)mm->thp_disable;
	}
	return -EINVAL;
}

long umm_prctl(struct umm_mm *mm, int option, unsigned long arg2, unsigned long arg3,
	       unsigned long arg4, unsigned long arg5)
{
	long ret;

	if (!mm)
		return -EINVAL;
	mm_lock(mm);
	ret = do_prctl(mm, option, arg2, arg3, arg4, arg5);
	mm_unlock(mm);
	return ret;
}

bool map_deny_write_exec(const struct umm_mm *mm, vm_flags_t old, vm_flags_t new)
{
	if (!(mm->mdwe & UMM_MDWE_REFUSE_EXEC_GAIN) || !(new & VM_EXEC))
		return false;
	return (new & VM_WRITE) || !(old & VM_EXEC);
}

void umm_mm_inherit(struct umm_mm *child, struct umm_mm *parent)
{
	unsigned int personality, thp_disable, mdwe;

	if (!child || !parent || child == parent)
		return;
	mm_lock(parent);
	personality = parent->personality;
	thp_disable = parent->thp_disable;
	mdwe = parent->mdwe;
	mm_unlock(parent);
	mm_lock(child);
	child->personality = personality;
	child->thp_disable = thp_disable;
	/* mmf_init_flags: PR_MDWE_NO_INHERIT ends MDWE with this process. */
	child->mdwe = (mdwe & UMM_MDWE_NO_INHERIT) ? 0 : mdwe;
	mm_unlock(child);
}
