/*
 * hugetlb.c - MAP_HUGETLB: the hidden hugetlbfs file behind an anonymous
 * huge mapping, the placement rules of hugetlbfs (alignment to the huge
 * page size) and the checks its ->mmap makes.
 *
 * The sizes come from cfg.hugetlb_shifts (2 MiB and, where the CPU has
 * them, 1 GiB). Each has its own internal hugetlbfs mount, numbered in
 * size order from device 0:0x11. The pool is taken as empty, so every
 * mapping that needs a reservation (no MAP_NORESERVE) fails with ENOMEM,
 * as it does on the kernel here.
 */
#include "core/file.h"
#include "core/mm.h"
#include "mem/hugetlb.h"

#define HUGE_FIRST_DEV_MINOR 0x11

/* hstate_sizelog: 0 picks the default size (the smallest); a size the
 * kernel has no hstate for is 0. */
static unsigned int huge_shift_of(const struct umm_mm *mm, unsigned long flags)
{
	unsigned int log = (flags >> UMM_MAP_HUGE_SHIFT) & UMM_MAP_HUGE_MASK;
	unsigned long have = mm->cfg.hugetlb_shifts;

	if (log == 0)
		return have ? (unsigned int)__builtin_ctzl(have) : 0;
	return log < 64 && (have >> log) & 1 ? log : 0;
}

/* The hidden mount of that size: one device per hstate, in size order. */
static unsigned int huge_dev_minor(const struct umm_mm *mm, unsigned int shift)
{
	unsigned long below = mm->cfg.hugetlb_shifts & ((1UL << shift) - 1);

	return HUGE_FIRST_DEV_MINOR + (unsigned int)__builtin_popcountl(below);
}

int hugetlb_anon_setup(struct umm_mm *mm, unsigned long flags, unsigned long *len,
		       struct umm_file **file)
{
	unsigned int shift = huge_shift_of(mm, flags);
	unsigned long size = 1UL << shift;
	struct umm_file_desc d = {
		.path = "/anon_hugepage",
		.dev_minor = huge_dev_minor(mm, shift),
		.mode = UMM_FILE_READ | UMM_FILE_WRITE,
		.kind = UMM_FILE_SHMEM,
		.deleted = true,
	};

	if (!shift)
		return -EINVAL;
	*len = (*len + size - 1) & ~(size - 1);
	d.ino = mm->next_shmem_ino++;
	d.size = *len;
	d.huge_shift = shift;
	*file = file_create(mm->cfg.allocator, &d);
	return *file ? 0 : -ENOMEM;
}

int hugetlb_mmap_check(const struct umm_file *file, unsigned long pgoff, vm_flags_t vm_flags)
{
	unsigned long pages_per_huge = 1UL << (file->desc.huge_shift - PAGE_SHIFT);

	if (pgoff & (pages_per_huge - 1))
		return -EINVAL;
	return (vm_flags & VM_NORESERVE) ? 0 : -ENOMEM;
}
