/*
 * pkeys.c - memory protection keys: each space's key allocation map and
 * execute-only key (the x86 mm->context fields and the rules of
 * asm/pkeys.h and arch/x86/mm/pkeys.c), the PKRU of the calling thread,
 * pkey_alloc(2), pkey_free(2), and which key a mapping call gives a VMA
 * (execute_only_pkey, arch_override_mprotect_pkey).
 *
 * The same code serves both kinds of CPU. Without PKU (cfg.pkeys false)
 * the kernel still runs it, with one key at most and a map that starts
 * empty: the first pkey_alloc takes key 0, fails to program a PKRU that
 * does not exist, and cannot give the key back (key 0 then counts as the
 * execute-only key, which is never "allocated"); every later one finds
 * the map full. That is what this machine's kernel answers.
 */
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/pkeys.h"
#include "core/vma.h"

#define PKEY_ACCESS_MASK (UMM_PKEY_DISABLE_ACCESS | UMM_PKEY_DISABLE_WRITE)
#define PKRU_BITS(k) (3U << (2 * (k)))

void pkeys_init(struct umm_mm *mm)
{
	bool pku = mm->cfg.pkeys;

	mm->pkey_map = pku ? 1 : 0;
	mm->execute_only_pkey = pku ? -1 : 0;
	mm->pkru = pku ? UMM_PKRU_INIT : 0;
}

static int arch_max_pkey(const struct umm_mm *mm)
{
	return mm->cfg.pkeys ? 16 : 1;
}

static bool mm_pkey_is_allocated(const struct umm_mm *mm, int pkey)
{
	if (pkey < 0 || pkey >= arch_max_pkey(mm) || pkey == mm->execute_only_pkey)
		return false;
	return (mm->pkey_map >> pkey) & 1;
}

/* The lowest free key, now taken, or -1. */
static int mm_pkey_alloc(struct umm_mm *mm)
{
	unsigned int all = (1U << arch_max_pkey(mm)) - 1;
	int pkey;

	if (mm->pkey_map == all)
		return -1;
	pkey = __builtin_ctz(~mm->pkey_map);
	mm->pkey_map |= 1U << pkey;
	return pkey;
}

static int mm_pkey_free(struct umm_mm *mm, int pkey)
{
	if (!mm_pkey_is_allocated(mm, pkey))
		return -EINVAL;
	mm->pkey_map &= ~(1U << pkey);
	return 0;
}

/* arch_set_user_pkey_access: key's two PKRU bits become init_val's. */
static int set_pkey_access(struct umm_mm *mm, int pkey, unsigned long init_val)
{
	if (!mm->cfg.pkeys)
		return -EINVAL;
	mm->pkru = (mm->pkru & ~PKRU_BITS(pkey)) | ((unsigned int)init_val << (2 * pkey));
	return 0;
}

bool pkru_allows(const struct umm_mm *mm, int pkey, bool write)
{
	unsigned int bits = mm->pkru >> (2 * pkey);

	return !(bits & UMM_PKEY_DISABLE_ACCESS) && !(write && (bits & UMM_PKEY_DISABLE_WRITE));
}

/*
 * The key of execute-only memory: taken on first use and kept, its PKRU
 * access bit set whenever it is handed out and found readable. -1 when
 * no key is left; 0 (the default key) without PKU.
 */
int execute_only_pkey(struct umm_mm *mm)
{
	int pkey = mm->execute_only_pkey;
	bool fresh = pkey == -1;

	if (!mm->cfg.pkeys)
		return 0;
	if (fresh) {
		pkey = mm_pkey_alloc(mm);
		if (pkey < 0)
			return -1;
	}
	if (!fresh && !pkru_allows(mm, pkey, false))
		return pkey;
	set_pkey_access(mm, pkey, UMM_PKEY_DISABLE_ACCESS);
	if (fresh)
		mm->execute_only_pkey = pkey;
	return pkey;
}

static bool vma_is_pkey_exec_only(const struct umm_mm *mm, const struct vma *v)
{
	return (v->vm_flags & VM_ACCESS_FLAGS) == VM_EXEC &&
	       vma_pkey(v) == mm->execute_only_pkey;
}

/*
 * arch_override_mprotect_pkey: the key an mprotect to prot gives v. A
 * pkey_mprotect key always wins; PROT_EXEC alone moves to the
 * execute-only key (if one can be had), and leaving execute-only
 * memory goes back to key 0; otherwise v keeps its key.
 */
int mprotect_pkey(struct umm_mm *mm, const struct vma *v, unsigned long prot, int pkey)
{
	int exec_only;

	if (!mm->cfg.pkeys)
		return 0;
	if (pkey != -1)
		return pkey;
	if (prot == UMM_PROT_EXEC) {
		exec_only = execute_only_pkey(mm);
		if (exec_only > 0)
			return exec_only;
	} else if (vma_is_pkey_exec_only(mm, v)) {
		return 0;
	}
	return vma_pkey(v);
}

/* The check of do_mprotect_pkey: only a key pkey_alloc handed out. */
bool pkey_usable(const struct umm_mm *mm, int pkey)
{
	return pkey == -1 || mm_pkey_is_allocated(mm, pkey);
}

int umm_pkey_alloc(struct umm_mm *mm, unsigned long flags, unsigned long init_val)
{
	int pkey, err;

	if (!mm || flags || (init_val & ~(unsigned long)PKEY_ACCESS_MASK))
		return -EINVAL;
	mm_lock(mm);
	pkey = mm_pkey_alloc(mm);
	if (pkey < 0) {
		mm_unlock(mm);
		return -ENOSPC;
	}
	err = set_pkey_access(mm, pkey, init_val);
	if (err)
		mm_pkey_free(mm, pkey); /* fails without PKU: the key stays taken */
	mm_unlock(mm);
	return err ? err : pkey;
}

int umm_pkey_free(struct umm_mm *mm, int pkey)
{
	int err;

	if (!mm)
		return -EINVAL;
	mm_lock(mm);
	err = mm_pkey_free(mm, pkey);
	mm_unlock(mm);
	return err;
}

unsigned int umm_pkru_get(struct umm_mm *mm)
{
	unsigned int pkru;

	if (!mm)
		return 0;
	mm_lock(mm);
	pkru = mm->pkru;
	mm_unlock(mm);
	return pkru;
}

int umm_pkru_set(struct umm_mm *mm, unsigned int pkru)
{
	if (!mm || !mm->cfg.pkeys)
		return -EINVAL;
	mm_lock(mm);
	mm->pkru = pkru;
	mm_unlock(mm);
	return 0;
}
