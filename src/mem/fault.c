/*
 * fault.c - owns umm_fault: what one access would do, decided at the VMA
 * level in the order of the x86_64 fault path (do_user_addr_fault): the
 * address itself, the VMA lookup with stack growth (expand_downwards),
 * the access check (access_error), then handle_mm_fault, the hook where
 * pages will be found or made once usermm models memory.
 *
 * The facts encoded here were measured on this machine's kernel with the
 * oracle's touch op (tests/test_oracle_fault.c).
 */
#include "core/accounting.h"
#include "core/file.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/pkeys.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "mem/filemap.h"
#include "mem/guard.h"
#include "mem/memory.h"
#include "mem/populate.h"

/* 4-level paging: user addresses below it, the hole up to its mirror. */
#define CANONICAL_USER_END (1UL << 47)
#define CANONICAL_KERNEL_START (~0UL << 47)

#define VSYSCALL_ADDR 0xffffffffff600000UL
#define VSYSCALL_ENTRY_MASK 0xc00UL /* entries are 1 KiB apart */
#define VSYSCALL_ENTRIES 3

/* The state of one fault, gathered before anything changes. */
struct fault {
	struct umm_mm *mm;
	unsigned long addr;
	int access;
	struct umm_fault_info *info;
};

static long fault_signal(struct fault *f, int signo, int code)
{
	f->info->signo = signo;
	f->info->si_code = code;
	return UMM_FAULT_SIGNAL(signo, code);
}

static bool is_non_canonical(unsigned long addr)
{
	return addr >= CANONICAL_USER_END && addr < CANONICAL_KERNEL_START;
}

/* emulate_vsyscall's choice for an instruction fetch in the gate page:
 * an entry point is emulated, anything else there is a SIGSEGV the
 * kernel forces (SI_KERNEL). */
static long gate_exec(struct fault *f)
{
	unsigned long off = f->addr - VSYSCALL_ADDR;

	if ((off & ~VSYSCALL_ENTRY_MASK) == 0 && (off >> 10) < VSYSCALL_ENTRIES) {
		f->info->vsyscall = true;
		return 0;
	}
	return fault_signal(f, UMM_SIGSEGV, UMM_SI_KERNEL);
}

/* An address no VMA of the tree can hold. Reads of the gate page are not
 * emulated (the vsyscall page is execute-only). */
static long kernel_half(struct fault *f)
{
	const struct vma *gate = f->mm->gate;

	if (f->access == UMM_ACCESS_EXEC && gate && f->addr >= gate->vm_start &&
	    f->addr < gate->vm_end && gate->vm_start == VSYSCALL_ADDR)
		return gate_exec(f);
	return fault_signal(f, UMM_SIGSEGV, UMM_SEGV_MAPERR);
}

/* acct_stack_growth: the limits a growth of grow pages to size bytes
 * must meet. The overcommit charge comes last and stays. */
static int acct_stack_growth(struct umm_mm *mm, struct vma *v, unsigned long size,
			     unsigned long grow)
{
	if (!may_expand_vm(mm, v->vm_flags, grow))
		return -ENOMEM;
	if (size > mm->cfg.rlimit_stack.cur)
		return -ENOMEM;
	if (!mlock_future_ok(mm, v->vm_flags, grow << PAGE_SHIFT))
		return -ENOMEM;
	if (vm_enough_memory(mm, grow))
		return -ENOMEM;
	/* The kernel charges a VMA without VM_ACCOUNT too, and never gives
	 * it back: a charge no VMA holds. */
	if (!(v->vm_flags & VM_ACCOUNT))
		mm->committed_stray += grow;
	return 0;
}

/* expand_downwards: v (VM_GROWSDOWN, above addr) grows down to addr's
 * page. 0, or a negative errno when it may not. */
static int expand_downwards(struct umm_mm *mm, struct vma *v, unsigned long addr)
{
	const struct vma *prev = v->vm_prev;
	unsigned long grow, size;
	int err;

	addr &= PAGE_MASK;
	if (addr < mm->cfg.mmap_min_addr_hint)
		return -EPERM;
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & VM_ACCESS_FLAGS) &&
	    addr - prev->vm_end < mm->cfg.stack_guard_gap)
		return -ENOMEM;
	/* Prepared before the limits are looked at: a refused growth keeps
	 * the anon_vma. */
	if (anon_vma_prepare(mm, v))
		return -ENOMEM;
	size = v->vm_end - addr;
	grow = (v->vm_start - addr) >> PAGE_SHIFT;
	if (grow > v->vm_pgoff)
		return -ENOMEM;
	err = acct_stack_growth(mm, v, size, grow);
	if (err)
		return err;
	if (v->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	vm_stat_account(mm, v->vm_flags, (long)grow);
	vma_set_range(mm, v, addr, v->vm_end, v->vm_pgoff - grow);
	/* Growing into a neighbour never merges with it. */
	vma_mark_kept_apart(mm, addr);
	return 0;
}

/* The VMA that will hold addr (grown to it if it is a stack), or NULL
 * (lock_mm_and_find_vma). */
static struct vma *find_fault_vma(struct fault *f)
{
	struct vma *v = find_vma(f->mm, f->addr);

	if (!v || v->vm_start <= f->addr)
		return v;
	if (!(v->vm_flags & VM_GROWSDOWN) || expand_downwards(f->mm, v, f->addr))
		return NULL;
	f->info->stack_grew = true;
	return v;
}

/* access_error: only writes need more than some access right (an exec
 * faults in as a read; the NX bit is a later, separate fault). */
static bool access_error(const struct vma *v, int access)
{
	if (access == UMM_ACCESS_WRITE)
		return !(v->vm_flags & VM_WRITE);
	return !(v->vm_flags & VM_ACCESS_FLAGS);
}

/* The pages of the special mappings that have nothing behind them here:
 * [vvar] 1 (time namespace) and 3 (arch data), [vvar_vclock] 1 (the
 * Hyper-V clock). */
static bool special_page_missing(const struct vma *v, unsigned long pgoff)
{
	switch (v->special) {
	case UMM_SPECIAL_VVAR:
		return pgoff == 1 || pgoff == 3;
	case UMM_SPECIAL_VVAR_VCLOCK:
		return pgoff == 1;
	default:
		return false;
	}
}

/* Is the page at pgoff past the end of v's file? Shared anonymous memory
 * is a shmem file as large as the mapping was; a private /dev/zero
 * mapping is anonymous, and other devices have no end. */
static bool file_page_past_eof(const struct vma *v, unsigned long pgoff)
{
	const struct umm_file *file = v->vm_file;

	if (!file || file->desc.dev_zero || file->desc.kind == UMM_FILE_CHAR)
		return false;
	return pgoff >= (file->desc.size + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/*
 * handle_mm_fault: the page-level part of a fault. Private anonymous
 * memory gets its page (memory.c); elsewhere, until the page cache moves
 * in, it only decides whether a page can be had and notes the anon_vma
 * a private write prepares.
 */
static enum vm_fault handle_mm_fault(struct umm_mm *mm, struct vma *v, unsigned long addr,
				     int access)
{
	unsigned long pgoff = v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);

	if (vma_has_pages(v))
		return handle_pte_fault(mm, v, addr, access == UMM_ACCESS_WRITE);
	if (guard_marked(mm, addr))
		return VM_FAULT_SIGSEGV;
	if (v->vm_flags & VM_HUGETLB)
		return VM_FAULT_SIGBUS; /* the huge page pool is empty */
	if (special_page_missing(v, pgoff))
		return VM_FAULT_SIGBUS;
	/* do_anonymous_page / do_cow_fault prepare the anon_vma before
	 * they look for a page, so a write past EOF still leaves one. */
	if ((access == UMM_ACCESS_WRITE ? !(v->vm_flags & VM_SHARED) && v->special == UMM_SPECIAL_NONE
					: read_fault_allocates(mm, v)) &&
	    anon_vma_prepare(mm, v))
		return VM_FAULT_OOM;
	if (file_page_past_eof(v, pgoff))
		return VM_FAULT_SIGBUS;
	vma_cache_fault(v, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE,
			access == UMM_ACCESS_WRITE);
	return VM_FAULT_DONE;
}

/* The user-half part of the fault path; mm locked. */
static long user_fault(struct fault *f)
{
	struct vma *v = find_fault_vma(f);

	if (!v)
		return fault_signal(f, UMM_SIGSEGV, UMM_SEGV_MAPERR);
	/* The PKRU is checked before the VMA's own rights; it never
	 * applies to instruction fetches. */
	if (f->mm->cfg.pkeys && f->access != UMM_ACCESS_EXEC &&
	    !pkru_allows(f->mm, vma_pkey(v), f->access == UMM_ACCESS_WRITE)) {
		f->info->pkey = vma_pkey(v);
		return fault_signal(f, UMM_SIGSEGV, UMM_SEGV_PKUERR);
	}
	if (access_error(v, f->access))
		return fault_signal(f, UMM_SIGSEGV, UMM_SEGV_ACCERR);
	switch (handle_mm_fault(f->mm, v, f->addr, f->access)) {
	case VM_FAULT_SIGBUS:
		return fault_signal(f, UMM_SIGBUS, UMM_BUS_ADRERR);
	case VM_FAULT_SIGSEGV:
		return fault_signal(f, UMM_SIGSEGV, UMM_SEGV_MAPERR);
	case VM_FAULT_OOM:
		return -ENOMEM;
	case VM_FAULT_DONE:
		break;
	}
	/* The page is there now, mapped no-exec: the fetch faults again. */
	if (f->access == UMM_ACCESS_EXEC && !(v->vm_flags & VM_EXEC))
		return fault_signal(f, UMM_SIGSEGV, UMM_SEGV_ACCERR);
	return 0;
}

long do_user_addr_fault(struct umm_mm *mm, unsigned long addr, int access,
			struct umm_fault_info *info)
{
	struct fault f = {mm, addr, access, info};

	*info = (struct umm_fault_info){0};
	if (is_non_canonical(addr))
		return fault_signal(&f, UMM_SIGSEGV, UMM_SI_KERNEL);
	return addr >= mm->cfg.task_size ? kernel_half(&f) : user_fault(&f);
}

long umm_fault(struct umm_mm *mm, unsigned long addr, int access, struct umm_fault_info *info)
{
	struct umm_fault_info scratch;
	long r;

	if (!mm || (access != UMM_ACCESS_READ && access != UMM_ACCESS_WRITE &&
		    access != UMM_ACCESS_EXEC))
		return -EINVAL;
	mm_lock(mm);
	r = do_user_addr_fault(mm, addr, access, info ? info : &scratch);
	mm_unlock(mm);
	return r;
}
