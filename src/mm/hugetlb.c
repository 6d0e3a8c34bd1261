/*
 * hugetlb.c - MAP_HUGETLB: the hidden hugetlbfs file behind an anonymous
 * huge mapping, the placement rules of hugetlbfs (alignment to the huge
 * page size) and the checks its ->mmap makes.
 *
 * The machine this models has hstates of 2 MiB (device 0:0x11) and
 * 1 GiB (0:0x12) and no huge pages in the pool, so every mapping that
 * needs a reservation (no MAP_NORESERVE) fails with ENOMEM, as it does
 * on the kernel here.
 */
#include "internal.h"

#define HUGE_2M_SHIFT 21
#define HUGE_1G_SHIFT 30

/* hstate_sizelog: 0 picks the default size. */
static unsigned int huge_shift_of(unsigned long flags)
{
	unsigned int log = (flags >> UMM_MAP_HUGE_SHIFT) & UMM_MAP_HUGE_MASK;

	if (log == 0 || log == HUGE_2M_SHIFT)
		return HUGE_2M_SHIFT;
	return log == HUGE_1G_SHIFT ? HUGE_1G_SHIFT : 0;
}

int hugetlb_anon_setup(struct umm_mm *mm, unsigned long flags, unsigned long *len,
		       struct umm_file **file)
{
	unsigned int shift = huge_shift_of(flags);
	unsigned long size = 1UL << shift;
	struct umm_file_desc d = {
		.path = "/anon_hugepage",
		.dev_minor = shift == HUGE_2M_SHIFT ? 0x11 : 0x12,
		.mode = UMM_FILE_READ | UMM_FILE_WRITE,
		.kind = UMM_FILE_SHMEM,
		.deleted = true,
	};

	if (!shift)
		return -EINVAL;
	*len = (*len + size - 1) & ~(size - 1);
	d.ino = mm->next_shmem_ino++;
	d.size = *len;
	*file = umm_file_create(&d);
	if (!*file)
		return -ENOMEM;
	(*file)->huge_shift = shift;
	return 0;
}

static long hugetlb_search(struct umm_mm *mm, unsigned long len, unsigned long size)
{
	struct vma_search q = { .length = len, .align_mask = PAGE_MASK & ~(~(size - 1)) };
	long addr;

	if (mm->cfg.layout == UMM_LAYOUT_TOPDOWN) {
		q.low_limit = PAGE_SIZE;
		q.high_limit = mm->mmap_base;
		addr = vm_unmapped_area(mm, &q, true);
		if (!IS_ERR_VALUE(addr))
			return addr;
	}
	q.low_limit = mm->mmap_base;
	q.high_limit = mm->cfg.task_size;
	return vm_unmapped_area(mm, &q, false);
}

long hugetlb_get_unmapped_area(struct umm_mm *mm, struct umm_file *file, unsigned long addr,
			       unsigned long len, unsigned long flags)
{
	unsigned long size = 1UL << file->huge_shift, end = mm->cfg.task_size;
	unsigned long min = mm->cfg.mmap_min_addr_hint;
	struct vma *next;

	if (len & (size - 1))
		return -EINVAL;
	if (len > end - min)
		return -ENOMEM;
	if (flags & UMM_MAP_FIXED)
		return (addr & (size - 1)) ? -EINVAL : (long)addr;
	if (addr) {
		addr = (addr + size - 1) & ~(size - 1);
		next = find_vma(mm, addr);
		if (addr && end - len >= addr && addr >= min &&
		    (!next || addr + len <= vm_start_gap(mm, next)))
			return (long)addr;
	}
	return hugetlb_search(mm, len, size);
}

int hugetlb_mmap_check(const struct umm_file *file, unsigned long pgoff, vm_flags_t vm_flags)
{
	unsigned long pages_per_huge = 1UL << (file->huge_shift - PAGE_SHIFT);

	if (pgoff & (pages_per_huge - 1))
		return -EINVAL;
	return (vm_flags & VM_NORESERVE) ? 0 : -ENOMEM;
}
