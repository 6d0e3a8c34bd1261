/*
 * internal.h - what the pieces of the library share and nobody else sees:
 * struct umm_mm (the kernel's mm_struct), struct vma (vm_area_struct),
 * struct umm_file (struct file) and the internal calls between the files
 * that mirror mm/.
 *
 * Locking: functions here expect mm->lock held unless they say otherwise.
 * The public entry points in the call-family files take it.
 */
#ifndef UMM_INTERNAL_H
#define UMM_INTERNAL_H

#include "usermm.h"
#include "core/range_set.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)
/* Like the kernel: a returned address in the top 4095 values is an errno. */
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-4095)
#define offset_in_page(x) ((unsigned long)(x) & (PAGE_SIZE - 1))
#define PMD_SIZE (1UL << 21)

typedef uint64_t vm_flags_t;

/* Kernel vm_flags not exported with UMM_ names, and the derived masks. */
#define VM_NONE 0ULL
#define VM_READ UMM_VM_READ
#define VM_WRITE UMM_VM_WRITE
#define VM_EXEC UMM_VM_EXEC
#define VM_SHARED UMM_VM_SHARED
#define VM_MAYREAD UMM_VM_MAYREAD
#define VM_MAYWRITE UMM_VM_MAYWRITE
#define VM_MAYEXEC UMM_VM_MAYEXEC
#define VM_MAYSHARE UMM_VM_MAYSHARE
#define VM_GROWSDOWN UMM_VM_GROWSDOWN
#define VM_PFNMAP UMM_VM_PFNMAP
#define VM_MAYBE_GUARD UMM_VM_MAYBE_GUARD
#define VM_LOCKED UMM_VM_LOCKED
#define VM_IO UMM_VM_IO
#define VM_SEQ_READ UMM_VM_SEQ_READ
#define VM_RAND_READ UMM_VM_RAND_READ
#define VM_DONTCOPY UMM_VM_DONTCOPY
#define VM_DONTEXPAND UMM_VM_DONTEXPAND
#define VM_LOCKONFAULT UMM_VM_LOCKONFAULT
#define VM_ACCOUNT UMM_VM_ACCOUNT
#define VM_NORESERVE UMM_VM_NORESERVE
#define VM_HUGETLB UMM_VM_HUGETLB
#define VM_SYNC UMM_VM_SYNC
#define VM_WIPEONFORK UMM_VM_WIPEONFORK
#define VM_DONTDUMP UMM_VM_DONTDUMP
#define VM_SOFTDIRTY UMM_VM_SOFTDIRTY
#define VM_MIXEDMAP UMM_VM_MIXEDMAP
#define VM_HUGEPAGE UMM_VM_HUGEPAGE
#define VM_NOHUGEPAGE UMM_VM_NOHUGEPAGE
#define VM_MERGEABLE UMM_VM_MERGEABLE
#define VM_DROPPABLE UMM_VM_DROPPABLE
#define VM_SEALED UMM_VM_SEALED
#define VM_PKEY_SHIFT UMM_VM_PKEY_SHIFT
#define VM_PKEY_MASK UMM_VM_PKEY_MASK

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)
#define VM_SPECIAL (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_STACK_FLAGS (VM_GROWSDOWN | VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT)
#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)
/* Flags that never keep two VMAs apart: a merge keeps the union. */
#define VM_STICKY VM_MAYBE_GUARD
#define VM_IGNORE_MERGE (VM_SOFTDIRTY | VM_STICKY)

/* The flags MAP_SHARED keeps; MAP_SHARED_VALIDATE refuses anything else. */
#define LEGACY_MAP_MASK                                                                        \
	(UMM_MAP_SHARED | UMM_MAP_PRIVATE | UMM_MAP_FIXED | UMM_MAP_ANONYMOUS |                \
	 UMM_MAP_DENYWRITE | UMM_MAP_EXECUTABLE | UMM_MAP_UNINITIALIZED | UMM_MAP_GROWSDOWN | \
	 UMM_MAP_LOCKED | UMM_MAP_NORESERVE | UMM_MAP_POPULATE | UMM_MAP_NONBLOCK |           \
	 UMM_MAP_STACK | UMM_MAP_HUGETLB | UMM_MAP_32BIT | UMM_MAP_ABOVE4G |                 \
	 (21UL << UMM_MAP_HUGE_SHIFT) | (30UL << UMM_MAP_HUGE_SHIFT))

struct vma;

/* struct file. */
struct umm_file {
	atomic_long refcount;
	struct umm_file_desc desc; /* desc.path points to path below */
	char *path;
	bool shmem_anon; /* the hidden file behind a MAP_SHARED|MAP_ANONYMOUS mapping */
	const struct umm_allocator *alloc; /* the handle's memory came from here */
	/* shmem files: the page indices in the page cache (faults and
	 * populates put them there, MADV_REMOVE takes them out), which
	 * decides MADV_COLLAPSE. Shared by every space that maps the file. */
	pthread_mutex_t cache_lock;
	struct range_set cached;
};

/*
 * Faulting [start, end) of v in (one page, or a populate's range) puts
 * the pages of a shmem file into its page cache, except a write to a
 * private mapping, which copies a hole to an anonymous page instead.
 * Best effort: without memory for the record, the pages are not noted.
 */
void vma_cache_fault(const struct vma *v, unsigned long start, unsigned long end, bool write);
/* MADV_REMOVE: the file's pages [first, first + n) leave the cache. */
void file_cache_remove(struct umm_file *f, unsigned long first, unsigned long n);
/* Does the page cache hold a page of [first, first + n) of f? */
bool file_cache_any(struct umm_file *f, unsigned long first, unsigned long n);

/* umm_file_create with the handle's memory from alloc. */
struct umm_file *file_create(const struct umm_allocator *alloc, const struct umm_file_desc *desc);
/* Makes the hidden shmem file of a shared anonymous mapping. */
struct umm_file *shmem_zero_file(const struct umm_allocator *alloc, unsigned long ino,
				 unsigned long long size);

/*
 * struct anon_vma_name: the name umm_set_anon_name gives anonymous
 * memory, shared by the VMAs that carry it (splits and copies take a
 * reference) and freed with the last.
 */
struct anon_vma_name {
	atomic_long refcount;
	const struct umm_allocator *alloc; /* its memory came from here */
	char name[];
};

/* vm_area_struct. The index (vma_tree.c) keeps its own copy of the extent. */
struct vma {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_pgoff;
	vm_flags_t vm_flags;
	struct umm_file *vm_file; /* holds a reference */
	enum umm_special special;
	/* The anon_vma the kernel would have: NULL until pages are faulted in
	 * (the memory layer); merging needs it NULL on one side or equal. */
	void *anon_vma;
	/* A failed call left this VMA split from an identical left
	 * neighbour, as the kernel does; the checker must not demand the
	 * merge. Cleared when vm_start moves. */
	bool split_left_by_failure;
	/* NULL, or a reference: only VMAs with equal names merge. */
	struct anon_vma_name *anon_name;

	/* Address order, for O(1) neighbours. */
	struct vma *vm_prev;
	struct vma *vm_next;
};

/*
 * The VMA index (a B+tree, see vma_tree.c) and the address list. All
 * zero is an empty tree; vt_destroy returns the node memory.
 */
struct vt_node;
struct vt_chunk;
struct vma_tree {
	const struct umm_allocator *alloc; /* node memory comes from here */
	struct vt_node *root;
	unsigned int height; /* levels, leaves included; 0 when empty */
	struct vma *first;
	struct vma *last;
	unsigned long count;

	/* Node memory, owned by this tree alone. */
	struct vt_node *free_nodes;         /* freed nodes, for reuse */
	struct vt_node *bump, *bump_end;    /* the untouched rest of the newest chunk */
	unsigned long nfree;                /* free_nodes plus the bump region */
	struct vt_chunk *chunks;            /* every chunk, for vt_destroy */
	size_t next_chunk;                  /* bytes of the chunk to get next */
};


/* mm_struct. */
struct umm_mm {
	pthread_mutex_t lock; /* mmap_lock */
	struct umm_config cfg;
	struct vma_tree tree;
	struct vma *gate; /* [vsyscall]: not in the tree, not counted */

	unsigned long total_vm, data_vm, exec_vm, stack_vm, locked_vm;
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
	unsigned long next_anon_vma; /* tokens for anon_vma_prepare */
	struct vma *vma_cache;       /* freed VMAs for reuse, linked by vm_next */
	unsigned long vma_cache_count;
	struct range_set guards; /* MADV_GUARD_INSTALL markers (page tables in the kernel) */
	/* Protection keys (pkeys.c): mm->context's map and execute-only key,
	 * and the calling thread's PKRU. */
	unsigned int pkey_map;
	int execute_only_pkey;
	unsigned int pkru;
	uint64_t rng; /* randomisation state, from cfg.seed */
	/* prctl.c: the personality, PR_SET_MDWE's bits (MMF_HAS_MDWE and
	 * MMF_HAS_MDWE_NO_INHERIT), PR_GET_THP_DISABLE's answer. */
	unsigned int personality, mdwe, thp_disable;
};

/* The protection key in a VMA's flags (VM_PKEY_BIT0..3). */
static inline int vma_pkey(const struct vma *v)
{
	return (int)((v->vm_flags & VM_PKEY_MASK) >> VM_PKEY_SHIFT);
}
static inline vm_flags_t pkey_vm_flags(int pkey)
{
	return ((vm_flags_t)pkey << VM_PKEY_SHIFT) & VM_PKEY_MASK;
}

/* ---- pkeys.c: protection keys ---- */
/* The key state of a new space, from cfg.pkeys. */
void pkeys_init(struct umm_mm *mm);
/* Does the PKRU let data (a write, if write) through a page of pkey? */
bool pkru_allows(const struct umm_mm *mm, int pkey, bool write);
/* The execute-only key (taken on first use), -1 if none is left, 0
 * without PKU. */
int execute_only_pkey(struct umm_mm *mm);
/* The key mprotect(prot) with pkey_mprotect's pkey (-1: none) gives v. */
int mprotect_pkey(struct umm_mm *mm, const struct vma *v, unsigned long prot, int pkey);
/* May pkey_mprotect use pkey? -1 (plain mprotect) or an allocated key. */
bool pkey_usable(const struct umm_mm *mm, int pkey);

/*
 * map_count + extra >= sysctl_max_map_count - margin, compared as the
 * kernel compares them: as ints, so that a limit below margin does not
 * wrap around to a huge one (mremap's headroom checks).
 */
static inline bool map_count_near_limit(const struct umm_mm *mm, long extra, long margin)
{
	return (long)mm->tree.count + extra >= (long)mm->cfg.max_map_count - margin;
}

static inline unsigned long vma_pages(const struct vma *v)
{
	return (v->vm_end - v->vm_start) >> PAGE_SHIFT;
}

/*
 * No vm_ops: plain anonymous memory, or a /dev/zero mapping that did not
 * become shmem (mmap_zero makes shmem only of VM_SHARED ones, so a
 * MAP_SHARED mapping of a read-only /dev/zero fd stays anonymous).
 */
static inline bool vma_is_anonymous(const struct vma *v)
{
	if (v->vm_file)
		return v->vm_file->desc.dev_zero && !(v->vm_flags & VM_SHARED);
	return v->special == UMM_SPECIAL_NONE;
}

/* The hidden shmem file of a shared anonymous mapping (shmem_anon_vm_ops). */
static inline bool vma_is_anon_shmem(const struct vma *v)
{
	return v->vm_file && v->vm_file->shmem_anon;
}

/*
 * thp_vma_suitable_order as __thp_vma_allowable_orders asks it outside
 * faults (smaps' THPeligible, MADV_COLLAPSE): at vm_end - PMD_SIZE, a
 * whole aligned PMD lies in v, and a file's offset is aligned like the
 * address. The subtraction wraps for a VMA that ends below PMD_SIZE, and
 * then the test passes: measured with VMAs at address 0.
 */
static inline bool vma_thp_suitable(const struct vma *v)
{
	unsigned long haddr = (v->vm_end - PMD_SIZE) & ~(PMD_SIZE - 1);

	if (!vma_is_anonymous(v) &&
	    (((v->vm_start >> PAGE_SHIFT) - v->vm_pgoff) & ((PMD_SIZE >> PAGE_SHIFT) - 1)))
		return false;
	return haddr >= v->vm_start && haddr + PMD_SIZE <= v->vm_end;
}

/*
 * check_input_range of madvise and mseal: start page aligned, len rounded
 * up to pages without wrapping (to 0 from just below 2^64, or past the
 * end of the address space). 0 with *end set, or -EINVAL.
 */
static inline int input_range_end(unsigned long start, unsigned long len, unsigned long *end)
{
	unsigned long alen = PAGE_ALIGN(len);

	if (offset_in_page(start) || (len && !alen) || start + alen < start)
		return -EINVAL;
	*end = start + alen;
	return 0;
}

/* vm_start_gap: a VM_GROWSDOWN VMA keeps stack_guard_gap free below it. */
unsigned long vm_start_gap(const struct umm_mm *mm, const struct vma *v);

/* ---- prctl.c ---- */
/* map_deny_write_exec: MDWE refuses a VMA going from old to new flags
 * (mmap passes the new flags twice). */
bool map_deny_write_exec(const struct umm_mm *mm, vm_flags_t old, vm_flags_t new);
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

/* ---- mm.c ---- */
void mm_lock(struct umm_mm *mm);
/* Runs the invariant checker in test builds, then unlocks. */
void mm_unlock(struct umm_mm *mm);

/* ---- vma_tree.c: the index ---- */
/*
 * Makes sure the index holds enough spare nodes that the inserts of one
 * call (at most three) cannot fail; each call family runs it before it
 * changes anything. 0 or -ENOMEM.
 */
int vt_reserve(struct vma_tree *t);
/* Cannot fail after vt_reserve. v's start must differ from every other's. */
void vt_insert(struct vma_tree *t, struct vma *v);
/* Works while v overlaps a neighbour (in the middle of a merge). */
void vt_erase(struct vma_tree *t, struct vma *v);
/*
 * After changing v's vm_start or vm_end, at once: one VMA at a time, its
 * start not passing or meeting a neighbour's (its end may overlap one).
 */
void vt_update(struct vma_tree *t, struct vma *v);
/* Returns the node memory; the tree is empty afterwards (the VMAs and
 * the address list are the caller's). */
void vt_destroy(struct vma_tree *t);
/* find_vma: the first VMA with vm_end > addr, or NULL. */
struct vma *find_vma(const struct umm_mm *mm, unsigned long addr);
/* The last VMA with vm_start < addr, or NULL. */
struct vma *find_vma_prev_of(const struct umm_mm *mm, unsigned long addr);
/* The first VMA intersecting [start, end), or NULL. */
struct vma *find_vma_intersection(const struct umm_mm *mm, unsigned long start,
				  unsigned long end);
/* vma_lookup: the VMA containing addr, or NULL. */
struct vma *vma_lookup(const struct umm_mm *mm, unsigned long addr);
/*
 * mas_empty_area / mas_empty_area_rev: the lowest (highest) free range of
 * at least size bytes inside [lo, hi] (hi inclusive). A hole counts with
 * its part inside [lo, hi]. Returns 0 and the range's clipped first and
 * last byte, or -ENOMEM.
 */
int vt_empty_area(const struct vma_tree *t, unsigned long lo, unsigned long hi,
		  unsigned long size, unsigned long *first, unsigned long *last);
int vt_empty_area_rev(const struct vma_tree *t, unsigned long lo, unsigned long hi,
		      unsigned long size, unsigned long *first, unsigned long *last);
/* Checks the index's own structure (fill, order, summaries, that the
 * leaves hold the address list in order with current extents). */
int vt_check(const struct vma_tree *t, char *msg, size_t len);

/* ---- vma.c: VMA objects, splitting and merging ---- */
/* A zeroed VMA, from mm's cache of freed ones or mm's allocator. */
struct vma *vma_alloc(struct umm_mm *mm);
/* Frees the VMA (into mm's cache) and drops its file and anon name
 * references. Not linked. NULL is ignored. */
void vma_free(struct umm_mm *mm, struct vma *v);
void vma_cache_drain(struct umm_mm *mm);
/* A copy of v's attributes (not linked), taking a file reference and
 * one on its anon name. */
void vma_copy_attrs(struct vma *dst, const struct vma *src);
/* Links into the index and address list; map_count follows. */
void vma_link(struct umm_mm *mm, struct vma *v);
void vma_unlink(struct umm_mm *mm, struct vma *v);
/*
 * anon_vma_prepare: v is about to get anonymous pages (a write fault or
 * a populate that breaks COW). It reuses a compatible neighbour's
 * anon_vma, as find_mergeable_anon_vma does, or gets a new one. Only the
 * identity matters until the memory layer exists: it decides merging.
 */
void vma_anon_prepare(struct umm_mm *mm, struct vma *v);
/* Would populating v write-fault it? Private and writable, and not
 * lock-on-fault (populate leaves those alone). */
static inline bool vma_populate_writes(const struct vma *v)
{
	return (v->vm_flags & (VM_WRITE | VM_SHARED | VM_LOCKONFAULT)) == VM_WRITE;
}
/*
 * Does a read fault of v allocate an anonymous page? Private anonymous
 * memory maps the zero page for reads, unless the kernel forbids it
 * (cfg.zero_page false): then the page is allocated, as by a write.
 */
static inline bool read_fault_allocates(const struct umm_mm *mm, const struct vma *v)
{
	return !mm->cfg.zero_page && vma_is_anonymous(v) && !(v->vm_flags & VM_SHARED);
}
/*
 * get_user_pages checks the caller's PKRU as a data access would
 * (check_vma_flags): a populate of memory under a key the PKRU shuts
 * faults nothing in. write: the populate writes (FOLL_WRITE).
 */
static inline bool gup_pkru_allows(const struct umm_mm *mm, const struct vma *v, bool write)
{
	return !mm->cfg.pkeys || pkru_allows(mm, vma_pkey(v), write);
}
/* Would populating v (populate_vma_page_range) give it anonymous pages:
 * write faults of private memory, or read faults that allocate? */
static inline bool vma_populate_allocates(const struct umm_mm *mm, const struct vma *v)
{
	if (v->vm_flags & VM_LOCKONFAULT)
		return false;
	if (!gup_pkru_allows(mm, v, vma_populate_writes(v)))
		return false;
	return vma_populate_writes(v) ||
	       ((v->vm_flags & VM_ACCESS_FLAGS) && read_fault_allocates(mm, v));
}
/* Records that a failed call leaves the VMAs meeting at addr split. */
void vma_mark_failed_split(struct umm_mm *mm, unsigned long addr);
/* Changes the extent (and pgoff) of a linked VMA in place. The new start
 * must not equal another linked VMA's start (remove that one first). */
void vma_set_range(struct umm_mm *mm, struct vma *v, unsigned long start, unsigned long end,
		   unsigned long pgoff);
/*
 * __split_vma with a preallocated spare: v keeps one side, spare becomes
 * the other and is linked. new_below: spare takes [vm_start, addr).
 * Cannot fail: limits are the caller's business.
 */
void vma_split_with(struct umm_mm *mm, struct vma *v, unsigned long addr, int new_below,
		    struct vma *spare);
/*
 * vma_modify_flags: gives [start, end) of vma (which contains it) the
 * flags newflags, merging with a neighbour where the kernel would,
 * otherwise splitting (each split refused with -ENOMEM at max_map_count;
 * a first split stays if the second fails, as in the kernel). Returns the
 * VMA that now covers exactly [start, end) with the flags set, or NULL
 * with *err set.
 */
struct vma *vma_modify_flags(struct umm_mm *mm, struct vma *vma, unsigned long start,
			     unsigned long end, vm_flags_t newflags, int *err);
/*
 * vma_modify_name: the same for a new anon name (NULL: none): merging
 * only with a neighbour that has that name. The returned VMA covers
 * exactly [start, end) and carries the name.
 */
struct vma *vma_modify_name(struct umm_mm *mm, struct vma *vma, unsigned long start,
			    unsigned long end, struct anon_vma_name *name, int *err);
/* is_mergeable_vma + is_mergeable_anon_vma for extending the existing VMA a
 * over a range with these attributes and no anon name (flags compared
 * without SOFTDIRTY). */
bool vma_attrs_mergeable(const struct vma *a, vm_flags_t flags, const struct umm_file *file,
			 const void *anon_vma, enum umm_special special);
/* Can prev absorb [.., start) with these attributes and pgoff? The range
 * has no anon name, as a new one (mmap, brk: the kernel's VMG_STATE). */
bool can_merge_after(const struct vma *prev, unsigned long start, vm_flags_t flags,
		     const struct umm_file *file, unsigned long pgoff, const void *anon_vma);
/* Can next absorb [.., end) from the left? end_pgoff: the pgoff the
 * range would have at end (its pgoff plus its length in pages). */
bool can_merge_before(const struct vma *next, unsigned long end, vm_flags_t flags,
		      const struct umm_file *file, unsigned long end_pgoff, const void *anon_vma);
/* The same for a range that carries an anon name (NULL: none), as one
 * taken from an existing VMA does (VMG_VMA_STATE: mremap's copy_vma). */
bool can_merge_after_named(const struct vma *prev, unsigned long start, vm_flags_t flags,
			   const struct umm_file *file, unsigned long pgoff, const void *anon_vma,
			   const struct anon_vma_name *name);
bool can_merge_before_named(const struct vma *next, unsigned long end, vm_flags_t flags,
			    const struct umm_file *file, unsigned long end_pgoff,
			    const void *anon_vma, const struct anon_vma_name *name);

/* ---- anon_name.c: anonymous VMA names ---- */
/* A new name (len bytes of name, NUL added) with one reference; NULL on
 * no memory. */
struct anon_vma_name *anon_vma_name_alloc(const struct umm_allocator *alloc, const char *name,
					  size_t len);
/* Both take NULL. */
struct anon_vma_name *anon_vma_name_get(struct anon_vma_name *n);
void anon_vma_name_put(struct anon_vma_name *n);
/* Equal strings, or both NULL. */
bool anon_vma_name_eq(const struct anon_vma_name *a, const struct anon_vma_name *b);
/* The characters a name may hold (printable ASCII but [ ] \ $ `), and at
 * most UMM_ANON_NAME_MAX - 1 of them; maps import uses the same rule. */
bool anon_name_valid(const char *name, size_t len);

/*
 * vma_merge_new_range: a new range [start, end) with these attributes
 * joins prev and/or next where the kernel would merge them; the survivor
 * keeps any anon_vma (the range's, as copy_vma passes it along). name:
 * the range's anon name (NULL for a new range). Returns the VMA now
 * covering the range, or NULL if nothing merged.
 */
struct vma *vma_merge_new_range(struct umm_mm *mm, struct vma *prev, struct vma *next,
				unsigned long start, unsigned long end, vm_flags_t flags,
				const struct umm_file *file, unsigned long pgoff, void *anon_vma,
				const struct anon_vma_name *name);

/* ---- accounting.c: counters, rlimits, overcommit ---- */
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

/* ---- layout.c: mmap_base and the free-area search ---- */
void mm_pick_layout(struct umm_mm *mm);
/* vm_unmapped_area_info. */
struct vma_search {
	unsigned long length;
	unsigned long low_limit, high_limit;
	unsigned long align_mask, align_offset;
};
/* vm_unmapped_area: the lowest (or with topdown the highest) fit. */
long vm_unmapped_area(struct umm_mm *mm, const struct vma_search *q, bool topdown);
/* __get_unmapped_area. Returns an address or a negative errno. */
long get_unmapped_area(struct umm_mm *mm, struct umm_file *file, unsigned long addr,
		       unsigned long len, unsigned long pgoff, unsigned long flags,
		       vm_flags_t vm_flags);

/* ---- hugetlb.c: MAP_HUGETLB ---- */
/* The hidden hugetlbfs file of an anonymous MAP_HUGETLB mapping, and len
 * rounded up to its page size (wrapping to 0 as the kernel's ALIGN does). */
int hugetlb_anon_setup(struct umm_mm *mm, unsigned long flags, unsigned long *len,
		       struct umm_file **file);
/* hugetlbfs_file_mmap's checks: pgoff alignment and the reservation. */
int hugetlb_mmap_check(const struct umm_file *file, unsigned long pgoff, vm_flags_t vm_flags);
/* vm_ops->may_split: hugetlb VMAs split only at their page size. */
static inline int vma_may_split(const struct vma *v, unsigned long addr)
{
	unsigned int shift = v->vm_file ? v->vm_file->desc.huge_shift : 0;

	/* special_mapping_split: [vdso] and [vvar] are never split. */
	if (v->special != UMM_SPECIAL_NONE)
		return -EINVAL;

	return shift && (addr & ((1UL << shift) - 1)) ? -EINVAL : 0;
}

/* ---- mlock.c ---- */
/* __mm_populate over [start, end): faults the pages in as far as the
 * VMA layer can tell (a write fault gives a private VMA its anon_vma).
 * Holes are skipped; the first failure is returned unless ignore_errors. */
int mm_populate(struct umm_mm *mm, unsigned long start, unsigned long end, bool ignore_errors);

/* ---- madvise.c ---- */
/*
 * madvise_walk_vmas: visit() each VMA part of [start, end) in address
 * order, as madvise and the anon-name prctl do. visit may merge or split
 * and sets *v to the VMA now covering its part. The first error ends the
 * walk (earlier parts stay changed); a hole makes the result -ENOMEM once
 * the rest is done, and nothing mapped past a point is -ENOMEM at once.
 */
typedef int (*madvise_visit_fn)(struct umm_mm *mm, struct vma **v, unsigned long start,
				unsigned long end, void *arg);
int madvise_walk_vmas(struct umm_mm *mm, unsigned long start, unsigned long end,
		      madvise_visit_fn visit, void *arg);

/* ---- munmap.c ---- */
/* do_vmi_munmap with mm locked. Returns 0 or a negative errno. */
int do_munmap(struct umm_mm *mm, unsigned long start, unsigned long len);

/* ---- proc_maps.c ---- */
/* The name column of a VMA, or NULL; deleted files get " (deleted)". */
const char *vma_name(const struct umm_mm *mm, const struct vma *v, char *buf, size_t len);
/* show_map_vma: writes v's maps line. 0, -ENOMEM or -EIO. */
int show_map_vma(const struct umm_mm *mm, const struct vma *v, FILE *out);
/* What writer writes, in a malloc'ed string; NULL on failure. */
char *proc_text_string(struct umm_mm *mm, int (*writer)(struct umm_mm *, FILE *));

/* ---- proc_smaps.c ---- */
/* The two-letter VmFlags codes of smaps, in the kernel's (bit) order;
 * only flags usermm keeps have one. */
struct vmflag_code {
	char code[3];
	vm_flags_t flag;
};
extern const struct vmflag_code vmflag_codes[];
extern const size_t vmflag_ncodes;

/* ---- check.c ---- */
int mm_check_locked(struct umm_mm *mm, char *msg, size_t len);

/* Copies a VMA into the public snapshot. */
void vma_to_info(const struct vma *v, struct umm_vma_info *out);

#endif
