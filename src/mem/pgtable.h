/*
 * pgtable.h - the page tables of a space: four levels as on x86_64
 * (PGD, PUD, PMD, PTE; the P4D level folded), each table one frame of
 * the space's physical memory holding 512 entries in the hardware's
 * format, so that an x86 emulator can walk them. pgtable.c owns their
 * allocation, walking and freeing (the kernel's pgd_alloc, __pte_alloc,
 * walk_page_range and free_pgd_range) and the VmPTE count.
 *
 * Non-present entries that are not zero are markers the kernel keeps in
 * page tables: a guard marker (MADV_GUARD_INSTALL), or PROT_NONE's
 * protnone entry, which still maps its page.
 */
#ifndef UMM_MEM_PGTABLE_H
#define UMM_MEM_PGTABLE_H

#include "core/mm.h"
#include "mem/mmzone.h"

typedef uint64_t pte_t;

/* x86_64's entry bits (arch/x86/include/asm/pgtable_types.h). */
#define _PAGE_PRESENT UMM_PTE_PRESENT
#define _PAGE_RW UMM_PTE_RW
#define _PAGE_USER UMM_PTE_USER
#define _PAGE_ACCESSED UMM_PTE_ACCESSED
#define _PAGE_DIRTY UMM_PTE_DIRTY
#define _PAGE_PROTNONE UMM_PTE_PROTNONE   /* the global bit, with present clear */
#define _PAGE_SPECIAL UMM_PTE_SPECIAL     /* no struct page to count: the zero page */
#define _PAGE_SOFT_DIRTY UMM_PTE_SOFT_DIRTY
#define _PAGE_NX UMM_PTE_NX
#define PTE_PFN_MASK UMM_PTE_PFN_MASK
#define PTE_MARKER_GUARD UMM_PTE_MARKER_GUARD
/* An upper level's entry: present, writable, user, accessed, dirty
 * (_KERNPG_TABLE | _PAGE_USER). */
#define _PAGE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)

#define PTRS_PER_TABLE 512
enum pt_level { PT_PTE, PT_PMD, PT_PUD, PT_PGD, PT_LEVELS };
/* The span of one entry of a table of each level. */
#define PT_ENTRY_SHIFT(level) (PAGE_SHIFT + 9 * (level))
#define PUD_SIZE (1UL << PT_ENTRY_SHIFT(PT_PUD))
#define PGDIR_SIZE (1UL << PT_ENTRY_SHIFT(PT_PGD))

static inline unsigned long pte_pfn(pte_t pte)
{
	return (unsigned long)((pte & PTE_PFN_MASK) >> PAGE_SHIFT);
}

/* Maps a page (present or protnone): the entry points to a frame. */
static inline bool pte_maps(pte_t pte)
{
	return pte & (_PAGE_PRESENT | _PAGE_PROTNONE);
}

static inline bool pte_is_guard(pte_t pte)
{
	return pte == PTE_MARKER_GUARD;
}

/* vm_normal_page: the page an entry maps, or NULL for none, a marker or
 * the zero page (which has no counts to keep). */
static inline struct page *vm_normal_page(const struct umm_mm *mm, pte_t pte)
{
	if (!pte_maps(pte) || (pte & _PAGE_SPECIAL))
		return NULL;
	return pfn_to_page(mm->phys, pte_pfn(pte));
}

/* The entries of one table. */
static inline pte_t *table_entries(const struct umm_phys *phys, unsigned long pfn)
{
	return (pte_t *)(void *)(phys->frames + pfn * PAGE_SIZE);
}

/*
 * The PTE of addr: with alloc, the missing tables on the way are made
 * (-ENOMEM in *err when the physical memory has no frame, with the
 * tables made so far kept, as the kernel keeps them); without, NULL
 * where a table is missing. The space's physical memory must exist.
 */
pte_t *pte_offset(struct umm_mm *mm, unsigned long addr, bool alloc, int *err);

/*
 * The entry of level's table that maps addr (level PT_PMD: the PMD
 * entry, which points at a PTE table), tables above it made when alloc.
 * NULL as pte_offset.
 */
pte_t *pt_entry(struct umm_mm *mm, unsigned long addr, enum pt_level level, bool alloc, int *err);

/* A new, zeroed table of level (counted in VmPTE unless the PGD), its
 * frame number, or NO_PFN. */
unsigned long pt_alloc(struct umm_mm *mm, enum pt_level level);

/*
 * Calls fn on each PTE slot of [start, end) that has a PTE table, in
 * address order, skipping the parts without one. fn returns 0 to go on;
 * anything else stops the walk and is returned.
 */
typedef int (*pte_fn)(struct umm_mm *mm, pte_t *pte, unsigned long addr, void *ctx);
int walk_ptes(struct umm_mm *mm, unsigned long start, unsigned long end, pte_fn fn, void *ctx);

/*
 * free_pgd_range: frees the tables that serve only [addr, end), given
 * that nothing between floor and ceiling (0: the top) outside it is
 * mapped. Their entries must be empty already.
 */
void free_pgd_range(struct umm_mm *mm, unsigned long addr, unsigned long end,
		    unsigned long floor, unsigned long ceiling);

/* exit_mmap's last step: every table, the PGD too, goes. */
void free_all_pgtables(struct umm_mm *mm);

/* The checker's walk: calls fn on every non-empty PTE of the space and
 * counts the tables of each level into counts. */
int pt_census(struct umm_mm *mm, unsigned long counts[PT_LEVELS], pte_fn fn, void *ctx);

#endif
