/*
 * layout.c - where mappings go: the mmap layout (mmap_base, the legacy
 * base, randomisation) and the free-area search behind every mapping
 * that is not MAP_FIXED, as x86_64 does it:
 *   __get_unmapped_area         -> get_unmapped_area()
 *   arch_get_unmapped_area(_topdown) -> area_bottomup() / area_topdown()
 *   unmapped_area(_topdown)     -> search_up() / search_down()
 *   __thp_get_unmapped_area     -> thp_area()
 */
#include "core/file.h"
#include "core/layout.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/range_set.h"
#include "core/vma.h"
#include "core/vma_tree.h"

#define SIZE_128M (128UL << 20)
#define STACK_RND_PAGES 0x3fffffUL /* 64-bit stack randomisation, in pages */

/* splitmix64: the per-space generator behind ASLR. */
static uint64_t next_random(struct umm_mm *mm)
{
	uint64_t z = (mm->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* randomize_page: start plus a random whole number of pages below range. */
static unsigned long randomize_page(struct umm_mm *mm, unsigned long start, unsigned long range)
{
	unsigned long pages = range >> PAGE_SHIFT;

	return pages ? start + ((next_random(mm) % pages) << PAGE_SHIFT) : start;
}

static unsigned long compute_mmap_base(const struct umm_config *c, unsigned long rnd)
{
	unsigned long gap = c->rlimit_stack.cur;
	unsigned long pad = c->stack_guard_gap + (c->randomize ? STACK_RND_PAGES << PAGE_SHIFT : 0);
	unsigned long gap_max = c->task_size / 6 * 5;

	if (gap + pad > gap) /* an infinite limit must not wrap */
		gap += pad;
	if (gap < SIZE_128M)
		gap = SIZE_128M;
	else if (gap > gap_max)
		gap = gap_max;
	return PAGE_ALIGN(c->task_size - gap - rnd);
}

void mm_pick_layout(struct umm_mm *mm)
{
	const struct umm_config *c = &mm->cfg;
	unsigned long rnd = 0;

	if (c->randomize)
		rnd = (next_random(mm) & ((1UL << c->mmap_rnd_bits) - 1)) << PAGE_SHIFT;
	mm->mmap_legacy_base = PAGE_ALIGN(c->task_size / 3) + rnd;
	if (c->mmap_base)
		mm->mmap_base = c->mmap_base;
	else if (c->layout == UMM_LAYOUT_LEGACY)
		mm->mmap_base = mm->mmap_legacy_base;
	else
		mm->mmap_base = compute_mmap_base(c, rnd);
	mm->start_brk = c->start_brk ? c->start_brk : 0x555555559000UL;
	if (c->randomize) /* arch_randomize_brk: within 1 GiB */
		mm->start_brk = randomize_page(mm, mm->start_brk, 1UL << 30);
	mm->brk = mm->start_brk;
}

unsigned long vm_start_gap(const struct umm_mm *mm, const struct vma *v)
{
	unsigned long start = v->vm_start;

	if (!(v->vm_flags & VM_GROWSDOWN))
		return start;
	start -= mm->cfg.stack_guard_gap;
	return start > v->vm_start ? 0 : start;
}

/*
 * The length to look for (room for the worst alignment) and the real low
 * limit (never below the hint floor); false if the length overflows.
 */
static bool search_bounds(const struct umm_mm *mm, const struct vma_search *q,
			  unsigned long *length, unsigned long *low)
{
	*length = q->length + q->align_mask;
	*low = q->low_limit < mm->cfg.mmap_min_addr_hint ? mm->cfg.mmap_min_addr_hint
							  : q->low_limit;
	return *length >= q->length;
}

/* unmapped_area: the lowest fit; a VMA that grows down keeps its gap. */
static long search_up(struct umm_mm *mm, const struct vma_search *q)
{
	unsigned long length, low, first, last, gap;
	struct vma *next;

	if (!search_bounds(mm, q, &length, &low))
		return -ENOMEM;
	for (;;) {
		if (q->high_limit == 0 ||
		    vt_empty_area(&mm->tree, low, q->high_limit - 1, length, &first, &last))
			return -ENOMEM;
		gap = first + ((q->align_offset - first) & q->align_mask);
		next = find_vma(mm, last);
		if (next && (next->vm_flags & VM_GROWSDOWN) &&
		    vm_start_gap(mm, next) < gap + length - 1) {
			low = next->vm_end;
			continue;
		}
		return (long)gap;
	}
}

/* unmapped_area_topdown: the highest fit. */
static long search_down(struct umm_mm *mm, const struct vma_search *q)
{
	unsigned long length, low, high = q->high_limit, first, last, gap;
	struct vma *next;

	if (!search_bounds(mm, q, &length, &low))
		return -ENOMEM;
	for (;;) {
		if (high == 0 || vt_empty_area_rev(&mm->tree, low, high - 1, length, &first, &last))
			return -ENOMEM;
		gap = last + 1 - q->length;
		gap -= (gap - q->align_offset) & q->align_mask;
		next = find_vma(mm, last);
		if (next && (next->vm_flags & VM_GROWSDOWN) && vm_start_gap(mm, next) < last + 1) {
			high = vm_start_gap(mm, next);
			continue;
		}
		return (long)gap;
	}
}

long vm_unmapped_area(struct umm_mm *mm, const struct vma_search *q, bool topdown)
{
	return topdown ? search_down(mm, q) : search_up(mm, q);
}

/* The hint is usable if nothing (nor a stack's guard gap) is in the way. */
static bool hint_is_free(struct umm_mm *mm, unsigned long addr, unsigned long len)
{
	struct vma *v = find_vma(mm, addr);

	return !v || addr + len <= vm_start_gap(mm, v);
}

/* arch_get_unmapped_area: the legacy bottom-up search. */
static long area_bottomup(struct umm_mm *mm, unsigned long addr, unsigned long len,
			  unsigned long pgoff, unsigned long flags, unsigned long align_mask)
{
	struct vma_search q = { .length = len, .align_offset = pgoff << PAGE_SHIFT,
				.align_mask = align_mask };
	unsigned long begin = mm->mmap_legacy_base, end = mm->cfg.task_size;

	if (flags & UMM_MAP_FIXED)
		return (long)addr;
	if (flags & UMM_MAP_32BIT) {
		begin = 0x40000000UL;
		end = 0x80000000UL;
		if (mm->cfg.randomize)
			begin = randomize_page(mm, begin, 0x02000000UL);
	}
	if (len > end)
		return -ENOMEM;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (end - len >= addr && hint_is_free(mm, addr, len))
			return (long)addr;
	}
	q.low_limit = begin;
	q.high_limit = end;
	return search_up(mm, &q);
}

/* mmap_address_hint_valid; with 4-level paging the window is the task. */
static bool hint_valid(const struct umm_mm *mm, unsigned long addr, unsigned long len)
{
	return mm->cfg.task_size - len >= addr;
}

/* arch_get_unmapped_area_topdown, falling back to bottom-up on failure. */
static long area_topdown(struct umm_mm *mm, unsigned long addr0, unsigned long len,
			 unsigned long pgoff, unsigned long flags, unsigned long align_mask)
{
	struct vma_search q = { .length = len, .align_offset = pgoff << PAGE_SHIFT,
				.align_mask = align_mask };
	unsigned long addr = addr0;
	long found;

	if (len > mm->cfg.task_size)
		return -ENOMEM;
	if (flags & UMM_MAP_FIXED)
		return (long)addr;
	if (flags & UMM_MAP_32BIT)
		return area_bottomup(mm, addr0, len, pgoff, flags, align_mask);
	if (addr) {
		addr &= PAGE_MASK;
		if (hint_valid(mm, addr, len) && hint_is_free(mm, addr, len))
			return (long)addr;
	}
	q.low_limit = (flags & UMM_MAP_ABOVE4G) ? (1UL << 32) : PAGE_SIZE;
	q.high_limit = mm->mmap_base;
	found = search_down(mm, &q);
	if (!IS_ERR_VALUE(found))
		return found;
	return area_bottomup(mm, addr0, len, pgoff, flags, align_mask);
}

/* mm_get_unmapped_area_vmflags; align_mask is x86's get_align_mask(). */
static long area_aligned(struct umm_mm *mm, unsigned long addr, unsigned long len,
			 unsigned long pgoff, unsigned long flags, unsigned long align_mask)
{
	if (mm->cfg.layout == UMM_LAYOUT_TOPDOWN)
		return area_topdown(mm, addr, len, pgoff, flags, align_mask);
	return area_bottomup(mm, addr, len, pgoff, flags, align_mask);
}

static long area_plain(struct umm_mm *mm, unsigned long addr, unsigned long len,
		       unsigned long pgoff, unsigned long flags)
{
	return area_aligned(mm, addr, len, pgoff, flags, 0);
}

/*
 * hugetlb_get_unmapped_area: the generic search, with the huge page size
 * as the alignment and the hint rounded up to it.
 */
static long hugetlb_area(struct umm_mm *mm, const struct umm_file *file, unsigned long addr,
			 unsigned long len, unsigned long pgoff, unsigned long flags)
{
	unsigned long size = 1UL << file->desc.huge_shift;

	if (len & (size - 1))
		return -EINVAL;
	if ((flags & UMM_MAP_FIXED) && (addr & (size - 1)))
		return -EINVAL;
	if (addr)
		addr = (addr + size - 1) & ~(size - 1);
	return area_aligned(mm, addr, len, pgoff, flags, (size - 1) & PAGE_MASK);
}

/*
 * __thp_get_unmapped_area: search for a PMD more than needed, then slide
 * so that file offset and address agree modulo 2 MiB. 0 means "could not,
 * use the plain search".
 */
static long thp_area(struct umm_mm *mm, unsigned long addr, unsigned long len,
		     unsigned long pgoff, unsigned long flags)
{
	/* Offsets are the kernel's loff_t: signed where it compares two of
	 * them, unsigned where one meets an unsigned length. */
	unsigned long off = pgoff << PAGE_SHIFT, off_end = off + len;
	unsigned long off_align = ((off - 1) | (PMD_SIZE - 1)) + 1;
	unsigned long len_pad = len + PMD_SIZE, sub;
	long ret;

	if ((long)off_end <= (long)off_align || off_end - off_align < PMD_SIZE)
		return 0;
	if (len_pad < len || off + len_pad < off)
		return 0;
	ret = area_plain(mm, addr, len_pad, pgoff, flags);
	if (IS_ERR_VALUE(ret))
		return 0;
	if ((unsigned long)ret == addr)
		return ret;
	sub = (off - (unsigned long)ret) & (PMD_SIZE - 1);
	if (mm->cfg.layout == UMM_LAYOUT_TOPDOWN && !sub)
		return ret + (long)PMD_SIZE;
	return ret + (long)sub;
}

static long thp_get_unmapped_area(struct umm_mm *mm, unsigned long addr, unsigned long len,
				  unsigned long pgoff, unsigned long flags)
{
	long ret = thp_area(mm, addr, len, pgoff, flags);

	return ret ? ret : area_plain(mm, addr, len, pgoff, flags);
}

/*
 * Which search a file's f_op->get_unmapped_area would run. Disk files
 * (ext4) use the THP-aligning one; shmem's only aligns when shmem huge
 * pages are enabled, which they are not by default, so it is the plain
 * search; other files have none.
 */
static bool file_uses_thp_area(const struct umm_file *file)
{
	return file && file->desc.kind == UMM_FILE_REGULAR && !file->shmem_anon &&
	       !file->desc.dev_zero;
}

long get_unmapped_area(struct umm_mm *mm, struct umm_file *file, unsigned long addr,
		       unsigned long len, unsigned long pgoff, unsigned long flags,
		       vm_flags_t vm_flags)
{
	long ret;

	(void)vm_flags; /* only shadow stacks would need it */
	if (len > mm->cfg.task_size)
		return -ENOMEM;
	if (!file)
		pgoff = 0;
	if (file && file->desc.huge_shift)
		ret = hugetlb_area(mm, file, addr, len, pgoff, flags);
	else if (file_uses_thp_area(file))
		ret = thp_get_unmapped_area(mm, addr, len, pgoff, flags);
	else if (file && file->desc.dev_zero && (flags & UMM_MAP_SHARED))
		ret = area_plain(mm, addr, len, pgoff, flags);
	else if (file && file->desc.dev_zero) /* private /dev/zero: THP-placed */
		ret = thp_get_unmapped_area(mm, addr, len, pgoff, flags);
	else if (!file && !(flags & UMM_MAP_SHARED) && !addr && !(len & (PMD_SIZE - 1)))
		ret = thp_get_unmapped_area(mm, addr, len, pgoff, flags);
	else
		ret = area_plain(mm, addr, len, pgoff, flags);
	if (IS_ERR_VALUE(ret))
		return ret;
	if ((unsigned long)ret > mm->cfg.task_size - len)
		return -ENOMEM;
	if (offset_in_page(ret))
		return -EINVAL;
	if ((unsigned long)ret < mm->cfg.mmap_min_addr && !mm->cfg.cap_sys_rawio)
		return -EPERM;
	return ret;
}
