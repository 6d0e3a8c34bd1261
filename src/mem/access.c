/*
 * access.c - owns guest access: the one translation from a guest
 * address to the host memory of its frame (umm_translate), the CPU-like
 * copies built on it (umm_read, umm_write), and the forced access of
 * ptrace and /proc/PID/mem (umm_access_process_vm, the kernel's
 * access_remote_vm with FOLL_FORCE). A translation that the page table
 * allows takes no fault and marks the entry accessed (and dirty for a
 * write), as the CPU does; otherwise it goes through the fault path.
 */
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/pkeys.h"
#include "core/vma.h"
#include "mem/memory.h"
#include "mem/pgtable.h"

#include <string.h>

#define PTE_PKEY_SHIFT 59

/* Would the CPU complete this access through pte (the PKRU included)? */
static bool pte_allows(const struct umm_mm *mm, pte_t pte, int access)
{
	if (!(pte & _PAGE_PRESENT))
		return false;
	if (access == UMM_ACCESS_EXEC)
		return !(pte & _PAGE_NX);
	if (mm->cfg.pkeys && !pkru_allows(mm, (int)((pte >> PTE_PKEY_SHIFT) & 15),
					  access == UMM_ACCESS_WRITE))
		return false;
	return access != UMM_ACCESS_WRITE || (pte & _PAGE_RW);
}

static pte_t *user_pte(struct umm_mm *mm, unsigned long addr)
{
	if (!mm->phys || addr >= mm->cfg.task_size)
		return NULL;
	return pte_offset(mm, addr, false, NULL);
}

static unsigned char *pte_host(const struct umm_mm *mm, pte_t pte, unsigned long addr)
{
	return mm->phys->frames + pte_pfn(pte) * PAGE_SIZE + offset_in_page(addr);
}

/* The translation with mm locked: 0 and *host, or the fault's result,
 * or -EOPNOTSUPP where the access completes without a page here. */
static long translate_locked(struct umm_mm *mm, unsigned long addr, int access,
			     unsigned char **host)
{
	struct umm_fault_info info;
	pte_t *pte = user_pte(mm, addr);
	long r;

	if (!pte || !pte_allows(mm, *pte, access)) {
		r = do_user_addr_fault(mm, addr, access, &info);
		if (r)
			return r;
		pte = user_pte(mm, addr);
		if (!pte || !pte_allows(mm, *pte, access))
			return -EOPNOTSUPP;
	}
	*pte |= _PAGE_ACCESSED | (access == UMM_ACCESS_WRITE ? _PAGE_DIRTY : 0);
	*host = pte_host(mm, *pte, addr);
	return 0;
}

static bool access_valid(int access)
{
	return access == UMM_ACCESS_READ || access == UMM_ACCESS_WRITE || access == UMM_ACCESS_EXEC;
}

long umm_translate(struct umm_mm *mm, unsigned long addr, int access, void **host,
		   size_t *bytes_to_page_end)
{
	unsigned char *p = NULL;
	long r;

	if (!mm || !host || !access_valid(access))
		return -EINVAL;
	mm_lock(mm);
	r = translate_locked(mm, addr, access, &p);
	mm_unlock(mm);
	*host = p;
	if (bytes_to_page_end)
		*bytes_to_page_end = r ? 0 : PAGE_SIZE - offset_in_page(addr);
	return r;
}

uint64_t umm_mm_generation(const struct umm_mm *mm)
{
	return mm ? __atomic_load_n(&mm->generation, __ATOMIC_ACQUIRE) : 0;
}

/* A copy between buf and the guest, page by page, through get (the CPU's
 * translation or the forced one). */
typedef long (*translate_fn)(struct umm_mm *mm, unsigned long addr, bool write,
			     unsigned char **host);

static size_t copy_pages(struct umm_mm *mm, unsigned long addr, unsigned char *buf, size_t len,
			 bool write, translate_fn get, long *fault)
{
	size_t done = 0;
	long r = 0;

	mm_lock(mm);
	while (done < len) {
		unsigned long a = addr + done;
		size_t n = PAGE_SIZE - offset_in_page(a);
		unsigned char *host;

		r = get(mm, a, write, &host);
		if (r)
			break;
		n = n < len - done ? n : len - done;
		if (write)
			memcpy(host, buf + done, n);
		else
			memcpy(buf + done, host, n);
		done += n;
	}
	mm_unlock(mm);
	if (fault)
		*fault = r;
	return done;
}

static long cpu_translate(struct umm_mm *mm, unsigned long addr, bool write, unsigned char **host)
{
	return translate_locked(mm, addr, write ? UMM_ACCESS_WRITE : UMM_ACCESS_READ, host);
}

size_t copy_to_user(struct umm_mm *mm, unsigned long addr, const void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		unsigned long a = addr + done;
		size_t chunk = PAGE_SIZE - offset_in_page(a);
		unsigned char *host;
		long r = translate_locked(mm, a, UMM_ACCESS_WRITE, &host);

		if (r && r != -EOPNOTSUPP)
			break;
		chunk = chunk < n - done ? chunk : n - done;
		if (!r)
			memcpy(host, (const unsigned char *)buf + done, chunk);
		done += chunk;
	}
	return done;
}

static bool range_valid(struct umm_mm *mm, unsigned long addr, const void *buf, size_t len)
{
	return mm && (buf || !len) && addr + len >= addr;
}

long umm_read(struct umm_mm *mm, unsigned long addr, void *buf, size_t len, long *fault)
{
	if (!range_valid(mm, addr, buf, len))
		return -EINVAL;
	return (long)copy_pages(mm, addr, buf, len, false, cpu_translate, fault);
}

long umm_write(struct umm_mm *mm, unsigned long addr, const void *buf, size_t len, long *fault)
{
	if (!range_valid(mm, addr, buf, len))
		return -EINVAL;
	return (long)copy_pages(mm, addr, (unsigned char *)(uintptr_t)buf, len, true, cpu_translate,
				fault);
}

/* ---- forced access (get_user_pages with FOLL_FORCE) ---- */

/* check_vma_flags with FOLL_FORCE: reads need VM_MAYREAD, writes into a
 * VMA without VM_WRITE only into a private one that may be written. */
static bool force_allowed(const struct vma *v, bool write)
{
	if (v->vm_flags & (VM_IO | VM_PFNMAP))
		return false;
	if (write)
		return (v->vm_flags & VM_WRITE) ||
		       (v->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
	return v->vm_flags & (VM_READ | VM_MAYREAD);
}

/* can_follow_write_pte: writable, or a page of this space alone. */
static bool can_follow(struct umm_mm *mm, pte_t pte, bool write)
{
	if (!pte_maps(pte))
		return false;
	if (!write || (pte & _PAGE_RW))
		return true;
	return !(pte & _PAGE_SPECIAL) &&
	       page_test(pfn_to_page(mm->phys, pte_pfn(pte)), PG_anon_exclusive);
}

static long forced_translate(struct umm_mm *mm, unsigned long addr, bool write,
			     unsigned char **host)
{
	struct vma *v = vma_lookup(mm, addr);
	pte_t *pte;

	if (!v || !force_allowed(v, write))
		return -EFAULT;
	if (!vma_has_pages(v))
		return -EOPNOTSUPP;
	pte = user_pte(mm, addr);
	if (!pte || !can_follow(mm, *pte, write)) {
		/* The fault counts for whoever does the access (the
		 * tracer), not for this space. */
		unsigned long min_flt = mm->min_flt;
		enum vm_fault ret = handle_pte_fault(mm, v, addr, write);

		mm->min_flt = min_flt;
		if (ret != VM_FAULT_DONE)
			return -EFAULT;
		pte = user_pte(mm, addr);
		if (!pte || !can_follow(mm, *pte, write))
			return -EFAULT;
	}
	*pte |= _PAGE_ACCESSED;
	if (write)
		page_set(pfn_to_page(mm->phys, pte_pfn(*pte)), PG_dirty);
	*host = pte_host(mm, *pte, addr);
	return 0;
}

long umm_access_process_vm(struct umm_mm *mm, unsigned long addr, void *buf, size_t len,
			   bool write)
{
	if (!range_valid(mm, addr, buf, len))
		return -EINVAL;
	return (long)copy_pages(mm, addr, buf, len, write, forced_translate, NULL);
}
