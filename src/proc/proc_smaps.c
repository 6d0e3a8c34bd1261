/*
 * proc_smaps.c - owns the /proc/PID/smaps text (umm_smaps_write,
 * umm_smaps_string) and the VmFlags codes, which the import parses too.
 *
 * Each VMA is its maps line (proc_maps.c's show_map_vma), then one line
 * per field: the name padded to 16 columns, the value right-aligned in 8
 * (Private_Hugetlb's longer name takes one of those), " kB" for sizes.
 * The layout, the field order and the VmFlags order are this machine's
 * kernel's (show_smap, show_smap_vma_flags). The ProtectionKey line is
 * there only with cfg.pkeys: this machine's CPU has no keys.
 */
#define _GNU_SOURCE
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "mem/memory.h"
#include "mem/pgtable.h"
#include "proc/proc.h"

#include <stdio.h>
#include <string.h>

/* Bit order, as the kernel walks vm_flags. Not kept here, so never
 * printed: um (bit 9), uw (12), ar (24), the pkey bits, ui, ss. "sd" only
 * comes from an imported text: this kernel is built without soft-dirty
 * tracking and never prints it. */
const struct vmflag_code vmflag_codes[] = {
	{"rd", VM_READ},       {"wr", VM_WRITE},       {"ex", VM_EXEC},
	{"sh", VM_SHARED},     {"mr", VM_MAYREAD},     {"mw", VM_MAYWRITE},
	{"me", VM_MAYEXEC},    {"ms", VM_MAYSHARE},    {"gd", VM_GROWSDOWN},
	{"pf", VM_PFNMAP},     {"gu", VM_MAYBE_GUARD}, {"lo", VM_LOCKED},
	{"io", VM_IO},
	{"sr", VM_SEQ_READ},   {"rr", VM_RAND_READ},   {"dc", VM_DONTCOPY},
	{"de", VM_DONTEXPAND}, {"lf", VM_LOCKONFAULT}, {"ac", VM_ACCOUNT},
	{"nr", VM_NORESERVE},  {"ht", VM_HUGETLB},     {"sf", VM_SYNC},
	{"wf", VM_WIPEONFORK}, {"dd", VM_DONTDUMP},    {"sd", VM_SOFTDIRTY},
	{"mm", VM_MIXEDMAP},   {"hg", VM_HUGEPAGE},    {"nh", VM_NOHUGEPAGE},
	{"mg", VM_MERGEABLE},  {"dp", VM_DROPPABLE},   {"sl", VM_SEALED},
};
const size_t vmflag_ncodes = sizeof(vmflag_codes) / sizeof(vmflag_codes[0]);

/* The memory counters, in the kernel's order (mem_size_stats), in
 * bytes; the Pss ones in bytes << PSS_SHIFT, as the kernel sums them. */
enum smaps_counter {
	SM_RSS, SM_PSS, SM_PSS_DIRTY, SM_SHARED_CLEAN, SM_SHARED_DIRTY, SM_PRIVATE_CLEAN,
	SM_PRIVATE_DIRTY, SM_REFERENCED, SM_ANONYMOUS, SM_KSM, SM_LAZYFREE, SM_ANON_HUGE,
	SM_SHMEM_PMD, SM_FILE_PMD, SM_SHARED_HUGETLB, SM_PRIVATE_HUGETLB, SM_SWAP, SM_SWAP_PSS,
	SM_LOCKED, NR_SMAPS_COUNTERS,
	/* smaps_rollup's alone: Pss by the kind of page. */
	SM_PSS_ANON = NR_SMAPS_COUNTERS, SM_PSS_FILE, SM_PSS_SHMEM, NR_MSS
};

static const char *const counter_names[NR_MSS] = {
	"Rss",		 "Pss",		    "Pss_Dirty",     "Shared_Clean",   "Shared_Dirty",
	"Private_Clean", "Private_Dirty",   "Referenced",    "Anonymous",      "KSM",
	"LazyFree",	 "AnonHugePages",   "ShmemPmdMapped", "FilePmdMapped", "Shared_Hugetlb",
	"Private_Hugetlb", "Swap",	    "SwapPss",	     "Locked",
	"Pss_Anon",	 "Pss_File",	    "Pss_Shmem",
};

#define PSS_SHIFT 12

static bool counter_is_pss(int i)
{
	return i == SM_PSS || i == SM_PSS_DIRTY || i == SM_SWAP_PSS || i == SM_LOCKED ||
	       i >= NR_SMAPS_COUNTERS;
}

/* smaps_account for one PTE that maps a counted page. */
static void smaps_account(uint64_t *mss, const struct page *page, pte_t pte, bool locked)
{
	uint32_t flags = page_flags(page);
	bool dirty = (pte & _PAGE_DIRTY) || (flags & PG_dirty);
	int mapcount = __atomic_load_n(&page->mapcount, __ATOMIC_RELAXED) + 1;
	bool private = __atomic_load_n(&page->refcount, __ATOMIC_RELAXED) == 1 || mapcount < 2;
	uint64_t pss = (uint64_t)PAGE_SIZE << PSS_SHIFT;

	if (flags & PG_anon) {
		mss[SM_ANONYMOUS] += PAGE_SIZE;
		if (!(flags & PG_swapbacked) && !dirty)
			mss[SM_LAZYFREE] += PAGE_SIZE;
	}
	mss[SM_RSS] += PAGE_SIZE;
	if ((pte & _PAGE_ACCESSED) || (flags & PG_referenced))
		mss[SM_REFERENCED] += PAGE_SIZE;
	if (!private)
		pss /= (uint64_t)mapcount;
	mss[SM_PSS] += pss;
	mss[(flags & PG_anon) ? SM_PSS_ANON : (flags & PG_swapbacked) ? SM_PSS_SHMEM : SM_PSS_FILE] += pss;
	if (locked)
		mss[SM_LOCKED] += pss;
	if (dirty) {
		mss[SM_PSS_DIRTY] += pss;
		mss[private ? SM_PRIVATE_DIRTY : SM_SHARED_DIRTY] += PAGE_SIZE;
	} else {
		mss[private ? SM_PRIVATE_CLEAN : SM_SHARED_CLEAN] += PAGE_SIZE;
	}
}

struct smaps_walk {
	uint64_t *mss;
	bool locked;
};

static int smaps_pte(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx)
{
	struct smaps_walk *w = ctx;
	const struct page *page = vm_normal_page(mm, *pte); /* PROT_NONE too */

	(void)addr;
	if (page)
		smaps_account(w->mss, page, *pte, w->locked);
	return 0;
}

/* smap_gather_stats: v's counters from its page tables, added to mss. */
static void smap_gather_stats(struct umm_mm *mm, const struct vma *v, uint64_t *mss)
{
	struct smaps_walk w = { mss, (v->vm_flags & VM_LOCKED) != 0 };

	if (mm->phys && vma_has_pages(v))
		walk_ptes(mm, v->vm_start, v->vm_end, smaps_pte, &w);
}

/* "Name:" padded to 16 columns, the value in 8 (the two share 24). */
static int put_field(FILE *out, const char *name, unsigned long value, const char *unit)
{
	int used = fprintf(out, "%s: ", name);

	if (used < 0)
		return -EIO;
	if (used < 16)
		used = fprintf(out, "%*s", 16 - used, "") < 0 ? -1 : 16;
	return used < 0 || fprintf(out, "%*lu%s\n", 24 - used, value, unit) < 0 ? -EIO : 0;
}

static int put_counter(FILE *out, const uint64_t *mss, int i)
{
	return put_field(out, counter_names[i],
			 (unsigned long)((counter_is_pss(i) ? mss[i] >> PSS_SHIFT : mss[i]) >> 10), " kB");
}

/* The counters in __show_smap's order: with rollup's three (n =
 * NR_MSS), those come after Pss_Dirty. */
static int put_counters(FILE *out, const uint64_t *mss, int n)
{
	int rc = 0;

	for (int i = 0; !rc && i < NR_SMAPS_COUNTERS; i++) {
		rc = put_counter(out, mss, i);
		for (int j = NR_SMAPS_COUNTERS; !rc && i == SM_PSS_DIRTY && j < n; j++)
			rc = put_counter(out, mss, j);
	}
	return rc;
}

static unsigned long vma_kernel_pagesize(const struct vma *v)
{
	unsigned int shift = v->vm_file ? v->vm_file->desc.huge_shift : 0;

	return shift ? 1UL << shift : PAGE_SIZE;
}

/* thp_vma_allowable_orders for smaps, with THP "madvise", only the PMD
 * size enabled and shmem THP "never": anonymous memory asked for huge
 * pages that can hold one aligned huge page. */
static bool thp_eligible(const struct umm_mm *mm, const struct vma *v)
{
	if (thp_disabled_completely(mm))
		return false;
	if (!vma_is_anonymous(v) || (v->vm_flags & (VM_HUGEPAGE | VM_NOHUGEPAGE)) != VM_HUGEPAGE)
		return false;
	return vma_thp_suitable(v);
}

static int put_vmflags(FILE *out, vm_flags_t flags)
{
	if (fputs("VmFlags: ", out) == EOF)
		return -EIO;
	for (size_t i = 0; i < vmflag_ncodes; i++)
		if ((flags & vmflag_codes[i].flag) && fprintf(out, "%s ", vmflag_codes[i].code) < 0)
			return -EIO;
	return fputc('\n', out) == EOF ? -EIO : 0;
}

/* show_smap: one VMA's block. */
static int show_smap(struct umm_mm *mm, const struct vma *v, FILE *out)
{
	unsigned long page_kb = vma_kernel_pagesize(v) >> 10;
	uint64_t mss[NR_MSS] = { 0 };
	int rc = show_map_vma(mm, v, out);

	smap_gather_stats(mm, v, mss);

	if (!rc)
		rc = put_field(out, "Size", (v->vm_end - v->vm_start) >> 10, " kB");
	if (!rc)
		rc = put_field(out, "KernelPageSize", page_kb, " kB");
	if (!rc)
		rc = put_field(out, "MMUPageSize", page_kb, " kB");
	if (!rc)
		rc = put_counters(out, mss, NR_SMAPS_COUNTERS);
	if (!rc)
		rc = put_field(out, "THPeligible", thp_eligible(mm, v), "");
	/* Only where the CPU has keys (arch_pkeys_enabled). */
	if (!rc && mm->cfg.pkeys)
		rc = put_field(out, "ProtectionKey", (unsigned long)vma_pkey(v), "");
	return rc ? rc : put_vmflags(out, v->vm_flags);
}

int umm_smaps_write(struct umm_mm *mm, FILE *out)
{
	int rc = 0;

	if (!mm || !out)
		return -EINVAL;
	mm_lock(mm);
	for (const struct vma *v = mm->first_vma; v && !rc; v = v->vm_next)
		rc = show_smap(mm, v, out);
	if (!rc && mm->gate)
		rc = show_smap(mm, mm->gate, out);
	mm_unlock(mm);
	return rc;
}

static int emit_smaps(void *mm, FILE *out)
{
	return umm_smaps_write(mm, out);
}

char *umm_smaps_string(struct umm_mm *mm)
{
	return proc_text(emit_smaps, mm);
}

/* show_smaps_rollup: mm locked. */
static int show_smaps_rollup(struct umm_mm *mm, FILE *out)
{
	uint64_t mss[NR_MSS] = { 0 };
	unsigned long start = mm->first_vma ? mm->first_vma->vm_start : 0, end = 0;
	int rc;

	for (const struct vma *v = mm->first_vma; v; v = v->vm_next) {
		smap_gather_stats(mm, v, mss);
		end = v->vm_end;
	}
	rc = show_named_header(out, start, end, "[rollup]");
	return rc ? rc : put_counters(out, mss, NR_MSS);
}

int umm_smaps_rollup_write(struct umm_mm *mm, FILE *out)
{
	int rc;

	if (!mm || !out)
		return -EINVAL;
	mm_lock(mm);
	rc = show_smaps_rollup(mm, out);
	mm_unlock(mm);
	return rc;
}

static int emit_rollup(void *mm, FILE *out)
{
	return umm_smaps_rollup_write(mm, out);
}

char *umm_smaps_rollup_string(struct umm_mm *mm)
{
	return proc_text(emit_rollup, mm);
}
