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

int hugetlb_mmap_check(const struct umm_file *file, unsigned long pgoff, vm_flags_t vm_flags)
{
	unsigned long pages_per_huge = 1UL << (file->huge_shift - PAGE_SHIFT);

	if (pgoff & (pages_per_huge - 1))
		return -EINVAL;
	return (vm_flags & VM_NORESERVE) ? 0 : -ENOMEM;
}
