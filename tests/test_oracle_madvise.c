/*
 * test_oracle_madvise.c - madvise against this kernel: the argument
 * rules, every advice's flags (seen as splits and merges in the maps),
 * which VMAs each advice refuses, holes, max_map_count, sealing,
 * MADV_POPULATE_*, MADV_COLLAPSE and the guard markers (touched through
 * umm_fault).
 */
#include <stdlib.h>

#include "oracle_test.h"

ORACLE_SCENARIO(madvise_arguments,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"madvise a 4K 5 => -EINVAL\n"
	"madvise a 4K 7 => -EINVAL\n"
	"madvise a 4K 26 => -EINVAL\n"
	"madvise a 4K 104 => -EINVAL\n"
	"madvise a 4K -1 => -EINVAL\n"
	"madvise a 4K MADV_HWPOISON => -EINVAL\n"
	"madvise a 4K MADV_SOFT_OFFLINE => -EINVAL\n"
	"madvise a 0 MADV_HWPOISON => -EINVAL\n"
	"madvise a 0 999 => -EINVAL\n"
	"madvise a+1 0 MADV_NORMAL => -EINVAL\n"
	"madvise a+1 4K MADV_NORMAL => -EINVAL\n"
	"madvise a 0 MADV_NORMAL => 0\n"
	"madvise 0x300000000000 0 MADV_DONTFORK => 0\n"
	"madvise a -1 MADV_NORMAL => -EINVAL\n"
	"madvise a 0xfffffffffffff000 MADV_NORMAL => -EINVAL\n"
	"madvise a 0x7fffffffffff MADV_NORMAL => -ENOMEM\n"
	"madvise a+4K 1 MADV_DONTFORK => 0\n"
	"madvise 0 4K MADV_NORMAL => -ENOMEM\n"
	"madvise 0x800000000000 4K MADV_DONTFORK => -ENOMEM\n"
	"madvise 0xffffffffff600000 4K MADV_DONTFORK => -ENOMEM\n")

/* Each flag advice splits a page out of a plain VMA; undoing it (or
 * giving the whole VMA the same flags) merges the pieces again. */
ORACLE_SCENARIO(madvise_flag_advice_splits_and_merges,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"madvise a+4K 4K MADV_RANDOM => 0\n"
	"madvise a+4K 4K MADV_NORMAL => 0\n"
	"madvise a+4K 4K MADV_SEQUENTIAL => 0\n"
	"madvise a+4K 4K MADV_RANDOM => 0\n"
	"madvise a 64K MADV_NORMAL => 0\n"
	"madvise a+8K 4K MADV_DONTFORK => 0\n"
	"madvise a+8K 4K MADV_DOFORK => 0\n"
	"madvise a+8K 8K MADV_WIPEONFORK => 0\n"
	"madvise a 64K MADV_KEEPONFORK => 0\n"
	"madvise a+16K 4K MADV_DONTDUMP => 0\n"
	"madvise a 64K MADV_DONTDUMP => 0\n"
	"madvise a 64K MADV_DODUMP => 0\n"
	"madvise a+20K 4K MADV_MERGEABLE => 0\n"
	"madvise a 64K MADV_UNMERGEABLE => 0\n"
	"madvise a+24K 4K MADV_HUGEPAGE => 0\n"
	"madvise a+24K 4K MADV_NOHUGEPAGE => 0\n"
	"madvise a+28K 4K MADV_NOHUGEPAGE => 0\n"
	"madvise a+20K 4K MADV_NOHUGEPAGE => 0\n"
	"madvise a 64K MADV_HUGEPAGE => 0\n")

/* Advice that changes no flag never splits. */
ORACLE_SCENARIO(madvise_advice_without_flags,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"madvise a+4K 4K MADV_NORMAL => 0\n"
	"madvise a+4K 4K MADV_DOFORK => 0\n"
	"madvise a+4K 4K MADV_KEEPONFORK => 0\n"
	"madvise a+4K 4K MADV_DODUMP => 0\n"
	"madvise a+4K 4K MADV_UNMERGEABLE => 0\n"
	"madvise a+4K 4K MADV_WILLNEED => 0\n"
	"madvise a+4K 4K MADV_DONTNEED => 0\n"
	"madvise a+4K 4K MADV_DONTNEED_LOCKED => 0\n"
	"madvise a+4K 4K MADV_FREE => 0\n"
	"madvise a+4K 4K MADV_COLD => 0\n"
	"madvise a+4K 4K MADV_PAGEOUT => 0\n"
	"madvise a+4K 4K MADV_POPULATE_READ => 0\n"
	"madvise a+4K 4K MADV_POPULATE_WRITE => 0\n"
	"madvise a+4K 4K MADV_GUARD_INSTALL => 0\n"
	"madvise a+4K 4K MADV_GUARD_REMOVE => 0\n"
	"madvise a+4K 4K MADV_REMOVE => -EINVAL\n"
	"madvise a+4K 4K MADV_COLLAPSE => -EINVAL\n")

/* Files, shared and /dev/zero memory: WIPEONFORK and FREE want private
 * anonymous memory, KSM ignores shared memory, REMOVE wants a mapping
 * shared and writable. */
ORACLE_SCENARIO(madvise_files_and_shared_memory,
	"file f ${REG} O_RDWR\n"
	"file r ${REG} O_RDONLY\n"
	"file s ${SHM} O_RDWR\n"
	"file z ${ZERO} O_RDWR\n"
	"a=mmap 0x200000000000 64K PROT_RW MAP_SAF -1 0\n"
	"madvise a+4K 4K MADV_WIPEONFORK => -EINVAL\n"
	"madvise a+4K 4K MADV_FREE => -EINVAL\n"
	"madvise a+4K 4K MADV_MERGEABLE => 0\n"
	"madvise a+4K 4K MADV_REMOVE => 0\n"
	"madvise a+4K 4K MADV_DONTFORK => 0\n"
	"b=mmap 0x210000000000 64K PROT_RW MAP_PRIVATE|MAP_FIXED f 0\n"
	"madvise b+4K 4K MADV_WIPEONFORK => -EINVAL\n"
	"madvise b+4K 4K MADV_FREE => -EINVAL\n"
	"madvise b+4K 4K MADV_REMOVE => -EACCES\n"
	"madvise b+4K 4K MADV_MERGEABLE => 0\n"
	"c=mmap 0x220000000000 64K PROT_RW MAP_SHARED|MAP_FIXED f 0\n"
	"madvise c+4K 4K MADV_REMOVE => 0\n"
	/* ext4's largest file is 16 TiB - 4 KiB: a hole past it is EFBIG
	 * (found by difftest), one ending on it is not. */
	"k=mmap 0x270000000000 8K PROT_READ MAP_SHARED|MAP_FIXED f 0xffffffff000-8K\n"
	"madvise k 8K MADV_REMOVE => 0\n"
	"mmap 0x270000000000 12K PROT_READ MAP_SHARED|MAP_FIXED f 0xffffffff000-8K\n"
	"madvise k 12K MADV_REMOVE => -EFBIG\n"
	"madvise k+4K 4K MADV_REMOVE => 0\n"
	"madvise c+4K 4K MADV_MERGEABLE => 0\n"
	"madvise c+4K 4K MADV_FREE => -EINVAL\n"
	"madvise c+8K 4K MADV_HUGEPAGE => 0\n"
	"d=mmap 0x230000000000 64K PROT_READ MAP_SHARED|MAP_FIXED r 0\n"
	"madvise d+4K 4K MADV_REMOVE => -EACCES\n"
	"madvise d+4K 4K MADV_POPULATE_WRITE => -EINVAL\n"
	"madvise d+4K 4K MADV_POPULATE_READ => 0\n"
	"e=mmap 0x240000000000 64K PROT_RW MAP_SHARED|MAP_FIXED s 0\n"
	"madvise e+4K 4K MADV_REMOVE => 0\n"
	"madvise e+4K 4K MADV_MERGEABLE => 0\n"
	"madvise e+4K 4K MADV_WIPEONFORK => -EINVAL\n"
	"g=mmap 0x250000000000 64K PROT_RW MAP_PRIVATE|MAP_FIXED s 0\n"
	"madvise g+4K 4K MADV_REMOVE => -EACCES\n"
	"madvise g+4K 4K MADV_MERGEABLE => 0\n"
	"h=mmap 0x260000000000 64K PROT_RW MAP_PRIVATE|MAP_FIXED z 0\n"
	"madvise h+4K 4K MADV_REMOVE => -EACCES\n"
	"madvise h+4K 4K MADV_WIPEONFORK => -EINVAL\n"
	"madvise h+4K 4K MADV_FREE => 0\n"
	"madvise h+4K 4K MADV_MERGEABLE => 0\n")

ORACLE_SCENARIO(madvise_locked_memory,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF|MAP_LOCKED -1 0\n"
	"madvise a+4K 4K MADV_DONTNEED => -EINVAL\n"
	"madvise a+4K 4K MADV_DONTNEED_LOCKED => 0\n"
	"madvise a+4K 4K MADV_FREE => -EINVAL\n"
	"madvise a+4K 4K MADV_REMOVE => -EINVAL\n"
	"madvise a+4K 4K MADV_COLD => -EINVAL\n"
	"madvise a+4K 4K MADV_PAGEOUT => -EINVAL\n"
	"madvise a+4K 4K MADV_GUARD_INSTALL => -EINVAL\n"
	"madvise a+4K 4K MADV_GUARD_REMOVE => 0\n"
	"madvise a+4K 4K MADV_POPULATE_WRITE => 0\n"
	"madvise a+4K 4K MADV_DONTFORK => 0\n"
	"madvise a+4K 4K MADV_WIPEONFORK => 0\n")

/* hugetlb: splits only at 2 MiB, DONTNEED only from an aligned start,
 * nothing to populate from the empty pool. */
ORACLE_SCENARIO(madvise_hugetlb,
	"a=mmap 0x200000000000 4M PROT_RW MAP_PAF|MAP_HUGETLB|MAP_NORESERVE -1 0\n"
	"madvise a 2M MADV_DONTFORK => 0\n"
	"madvise a+4K 4K MADV_RANDOM => -EINVAL\n"
	"madvise a 4K MADV_RANDOM => -EINVAL\n"
	"madvise a 4M MADV_DOFORK => 0\n"
	"madvise a 4K MADV_DONTNEED => 0\n"
	"madvise a+4K 4K MADV_DONTNEED => -EINVAL\n"
	"madvise a+2M 2M MADV_DONTNEED_LOCKED => 0\n"
	"madvise a 2M MADV_FREE => -EINVAL\n"
	"madvise a 2M MADV_COLD => -EINVAL\n"
	"madvise a 2M MADV_PAGEOUT => -EINVAL\n"
	"madvise a 2M MADV_POPULATE_READ => -EFAULT\n"
	"madvise a 2M MADV_POPULATE_WRITE => -EFAULT\n"
	"madvise a 2M MADV_GUARD_INSTALL => -EINVAL\n"
	"madvise a 2M MADV_GUARD_REMOVE => -EINVAL\n"
	"madvise a 2M MADV_MERGEABLE => 0\n"
	"madvise a 2M MADV_WIPEONFORK => -EINVAL\n"
	"madvise a 2M MADV_REMOVE => -EACCES\n"
	"madvise a 2M MADV_DODUMP => 0\n"
	"madvise a 2M MADV_DONTDUMP => 0\n"
	"madvise a+2M 2M MADV_HUGEPAGE => 0\n"
	"madvise a 2M MADV_COLLAPSE => -EINVAL\n")

/* MAP_DROPPABLE memory is always wiped on fork and never dumped. */
ORACLE_SCENARIO(madvise_droppable,
	"a=mmap 0x200000000000 64K PROT_RW MAP_DROPPABLE|MAP_ANONYMOUS|MAP_FIXED -1 0\n"
	"madvise a+4K 4K MADV_DODUMP => -EINVAL\n"
	"madvise a+4K 4K MADV_KEEPONFORK => -EINVAL\n"
	"madvise a+4K 4K MADV_WIPEONFORK => 0\n"
	"madvise a+4K 4K MADV_DONTDUMP => 0\n"
	"madvise a+4K 4K MADV_MERGEABLE => 0\n"
	"madvise a+4K 4K MADV_REMOVE => -EINVAL\n"
	"madvise a+4K 4K MADV_FREE => 0\n"
	"madvise a+4K 4K MADV_GUARD_INSTALL => 0\n"
	"madvise a+8K 4K MADV_HUGEPAGE => 0\n")

/* [vvar] (VM_IO|VM_PFNMAP) and [vdso]: special mappings refuse splits,
 * DOFORK refuses VM_IO, DODUMP refuses special memory. With ASLR off
 * they sit at fixed addresses under the dynamic loader. */
ORACLE_SCENARIO(madvise_special_mappings,
	"madvise 0x7ffff7fc2000 4K MADV_DONTFORK => -EINVAL\n"
	"madvise 0x7ffff7fc2000 16K MADV_DONTFORK => 0\n"
	"madvise 0x7ffff7fc2000 16K MADV_DOFORK => -EINVAL\n"
	"madvise 0x7ffff7fc2000 4K MADV_DODUMP => -EINVAL\n"
	"madvise 0x7ffff7fc2000 4K MADV_DONTDUMP => 0\n"
	"madvise 0x7ffff7fc2000 4K MADV_DONTNEED => -EINVAL\n"
	"madvise 0x7ffff7fc2000 4K MADV_COLD => -EINVAL\n"
	"madvise 0x7ffff7fc2000 4K MADV_POPULATE_READ => -EINVAL\n"
	"madvise 0x7ffff7fc2000 4K MADV_WILLNEED => 0\n"
	"madvise 0x7ffff7fc2000 4K MADV_MERGEABLE => 0\n"
	"madvise 0x7ffff7fc2000 4K MADV_GUARD_REMOVE => -EINVAL\n"
	"madvise 0x7ffff7fc8000 4K MADV_RANDOM => -EINVAL\n"
	"madvise 0x7ffff7fc8000 4K MADV_DOFORK => 0\n"
	"madvise 0x7ffff7fc8000 4K MADV_DODUMP => -EINVAL\n"
	"madvise 0x7ffff7fc8000 4K MADV_DONTNEED => 0\n"
	"madvise 0x7ffff7fc8000 4K MADV_FREE => -EINVAL\n"
	"madvise 0x7ffff7fc8000 4K MADV_POPULATE_READ => 0\n"
	"madvise 0x7ffff7fc8000 4K MADV_POPULATE_WRITE => -EINVAL\n"
	"madvise 0x7ffff7fc8000 4K MADV_GUARD_INSTALL => -EINVAL\n"
	"madvise 0x7ffff7fc8000 8K MADV_DONTDUMP => 0\n")

/* Holes: the advice reaches every mapped part, then ENOMEM; an error
 * in a later VMA wins and leaves the earlier ones changed. */
ORACLE_SCENARIO(madvise_holes_and_partial_application,
	"file f ${REG} O_RDWR\n"
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"munmap a+16K 4K => 0\n"
	"madvise a+8K 16K MADV_DONTFORK => -ENOMEM\n"
	"madvise a+16K 4K MADV_DONTFORK => -ENOMEM\n"
	"madvise a+16K 16K MADV_WIPEONFORK => -ENOMEM\n"
	"madvise a-4K 8K MADV_HUGEPAGE => -ENOMEM\n"
	"madvise a+60K 8K MADV_DONTDUMP => -ENOMEM\n"
	"madvise a 64K MADV_DONTNEED => -ENOMEM\n"
	"madvise a 64K MADV_GUARD_INSTALL => -ENOMEM\n"
	"madvise a 64K 999 => -EINVAL\n"
	"b=mmap 0x210000000000 16K PROT_RW MAP_PAF -1 0\n"
	"mmap b+16K 16K PROT_RW MAP_SHARED|MAP_FIXED f 0\n"
	"madvise b+4K 32K MADV_WIPEONFORK => -EINVAL\n"
	"munmap b+32K 4K => 0\n"
	"madvise b 64K MADV_FREE => -EINVAL\n"
	"madvise b+16K 64K MADV_DONTDUMP => -ENOMEM\n")

/* A split refused at max_map_count is EAGAIN; a first split stays. */
ORACLE_SCENARIO(madvise_max_map_count,
	"fill 0x100000000000 65528\n"
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"madvise a+4K 4K MADV_DONTFORK => -EAGAIN\n"
	"madvise a+4K 4K MADV_RANDOM => -EAGAIN\n"
	"madvise a 4K MADV_SEQUENTIAL => 0\n"
	"madvise a+4K 4K MADV_DOFORK => 0\n"
	"madvise a+4K 4K MADV_DONTNEED => 0\n"
	"madvise a 64K MADV_DONTFORK => 0\n"
	"madvise 0x7ffff7fc2000 4K MADV_RANDOM => -EAGAIN\n")

/* mseal: discarding advice on sealed anonymous memory that is not
 * writable is EPERM, the rest goes through; the walk stops there. */
ORACLE_SCENARIO(madvise_sealed,
	"file f ${REG} O_RDWR\n"
	"a=mmap 0x200000000000 64K PROT_READ MAP_PAF -1 0\n"
	"mseal a 64K 0 => 0\n"
	"madvise a+4K 4K MADV_DONTNEED => -EPERM\n"
	"madvise a+4K 4K MADV_DONTNEED_LOCKED => -EPERM\n"
	"madvise a+4K 4K MADV_FREE => -EPERM\n"
	"madvise a+4K 4K MADV_REMOVE => -EPERM\n"
	"madvise a+4K 4K MADV_DONTFORK => -EPERM\n"
	"madvise a+4K 4K MADV_WIPEONFORK => -EPERM\n"
	"madvise a+4K 4K MADV_GUARD_INSTALL => -EPERM\n"
	"madvise a+4K 4K MADV_GUARD_REMOVE => 0\n"
	"madvise a+4K 4K MADV_DOFORK => 0\n"
	"madvise a+4K 4K MADV_COLD => 0\n"
	"madvise a+4K 4K MADV_MERGEABLE => 0\n"
	"madvise a+8K 4K MADV_DONTDUMP => 0\n"
	"madvise a+4K 4K MADV_POPULATE_WRITE => -EINVAL\n"
	"madvise a-64K 128K MADV_DONTNEED => -EPERM\n"
	"b=mmap 0x210000000000 64K PROT_RW MAP_PAF -1 0\n"
	"mseal b 64K 0 => 0\n"
	"madvise b+4K 4K MADV_DONTNEED => 0\n"
	"madvise b+4K 4K MADV_WIPEONFORK => 0\n"
	"madvise b+4K 4K MADV_GUARD_INSTALL => 0\n"
	"c=mmap 0x220000000000 64K PROT_READ MAP_PRIVATE|MAP_FIXED f 0\n"
	"mseal c 64K 0 => 0\n"
	"madvise c+4K 4K MADV_DONTNEED => 0\n"
	"madvise c+4K 4K MADV_DONTFORK => 0\n"
	"d=mmap 0x230000000000 16K PROT_RW MAP_PAF -1 0\n"
	"mmap d+16K 16K PROT_READ MAP_PAF -1 0\n"
	"mseal d+16K 16K 0 => 0\n"
	"madvise d+4K 32K MADV_DONTFORK => -EPERM\n")

/* MADV_POPULATE_*: permissions (EINVAL), a file's end (EFAULT), a hole
 * (ENOMEM at once); a write populate of private memory gives it an
 * anon_vma, which keeps it from merging with another one later. */
ORACLE_SCENARIO(madvise_populate,
	"file f ${REG} O_RDWR\n"
	"a=mmap 0x200000000000 64K PROT_WRITE MAP_PAF -1 0\n"
	"madvise a 8K MADV_POPULATE_READ => -EINVAL\n"
	"madvise a 8K MADV_POPULATE_WRITE => 0\n"
	"b=mmap 0x210000000000 64K PROT_EXEC MAP_PAF -1 0\n"
	"madvise b 8K MADV_POPULATE_READ => -EINVAL\n"
	"madvise b 8K MADV_POPULATE_WRITE => -EINVAL\n"
	"c=mmap 0x220000000000 64K PROT_RX MAP_PAF -1 0\n"
	"madvise c 8K MADV_POPULATE_READ => 0\n"
	"madvise c 8K MADV_POPULATE_WRITE => -EINVAL\n"
	"d=mmap 0x230000000000 64K PROT_NONE MAP_PAF -1 0\n"
	"madvise d 8K MADV_POPULATE_READ => -EINVAL\n"
	"e=mmap 0x240000000000 64K PROT_RW MAP_SHARED|MAP_FIXED f 0xfe000\n"
	"madvise e 8K MADV_POPULATE_READ => 0\n"
	"madvise e 16K MADV_POPULATE_READ => -EFAULT\n"
	"madvise e+8K 16K MADV_POPULATE_WRITE => -EFAULT\n"
	"madvise e+16K 16K MADV_DONTNEED => 0\n"
	"madvise e+16K 16K MADV_REMOVE => 0\n"
	"g=mmap 0x250000000000 64K PROT_RW MAP_PAF -1 0\n"
	"munmap g+16K 4K => 0\n"
	"madvise g 64K MADV_POPULATE_READ => -ENOMEM\n"
	"madvise g+16K 8K MADV_POPULATE_WRITE => -ENOMEM\n"
	"h=mmap 0x260000000000 64K PROT_RW MAP_PAF -1 0\n"
	"madvise h+32K 32K MADV_DONTFORK => 0\n"
	"madvise h 32K MADV_POPULATE_WRITE => 0\n"
	"madvise h+32K 32K MADV_POPULATE_WRITE => 0\n"
	"madvise h+32K 32K MADV_DOFORK => 0\n"
	"i=mmap 0x270000000000 64K PROT_RW MAP_PAF -1 0\n"
	"madvise i+32K 32K MADV_DONTFORK => 0\n"
	"madvise i 32K MADV_POPULATE_READ => 0\n"
	"madvise i+32K 32K MADV_POPULATE_READ => 0\n"
	"madvise i+32K 32K MADV_DOFORK => 0\n"
	"j=mmap 0x280000000000 64K PROT_RW MAP_PRIVATE|MAP_FIXED f 0xfe000\n"
	"madvise j+32K 32K MADV_DONTFORK => 0\n"
	"madvise j+32K 4K MADV_POPULATE_WRITE => -EFAULT\n"
	"madvise j 4K MADV_POPULATE_WRITE => 0\n"
	"madvise j+32K 32K MADV_DOFORK => 0\n")

/* MADV_COLLAPSE: anonymous memory needs to have been written (the empty
 * case is EINVAL), a whole PMD in the VMA, no NOHUGEPAGE. Files need
 * their pages in the page cache: a sparse shmem file is EINVAL. */
/* A VMA ending below 2 MiB at address 0: the kernel's suitability test
 * looks at vm_end - 2M, which wraps, and passes (found by difftest). Its
 * smaps says THPeligible 1 and a collapse of a range from 0 is 0; the
 * same VMA at 2M fails. */
ORACLE_SCENARIO(collapse_at_zero,
	"privileged\n"
	"smaps\n"
	"file s ${SHM} O_RDWR\n"
	"z=mmap 0 10969 PROT_NONE MAP_PRIVATE|MAP_FIXED s 0 => 0\n"
	"madvise 0 12K MADV_COLLAPSE => 0\n"
	"madvise 4K 4K MADV_COLLAPSE => -EINVAL\n"
	"mmap 0 12K PROT_READ MAP_SHARED|MAP_FIXED s 0x200000 => 0\n"
	"madvise 0 12K MADV_COLLAPSE => 0\n"
	"mmap 0 12K PROT_READ MAP_SHARED|MAP_FIXED s 4K => 0\n"
	"madvise 0 12K MADV_COLLAPSE => -EINVAL\n"
	"mmap 0 12K PROT_RW MAP_PAF -1 0 => 0\n"
	"madvise 0 12K MADV_HUGEPAGE => 0\n"
	"madvise 0 12K MADV_COLLAPSE => -EINVAL\n"
	"touch 0 PROT_WRITE => 0\n"
	"madvise 0 12K MADV_COLLAPSE => 0\n"
	"mmap 0x200000 12K PROT_RW MAP_PAF -1 0 => 0x200000\n"
	"madvise 0x200000 12K MADV_HUGEPAGE => 0\n"
	"touch 0x200000 PROT_WRITE => 0\n"
	"madvise 0x200000 12K MADV_COLLAPSE => -EINVAL\n")

ORACLE_SCENARIO(madvise_collapse,
	"file s ${SHM} O_RDWR\n"
	"file r ${REG} O_RDONLY\n"
	"a=mmap 0x200000000000 4M PROT_RW MAP_PAF -1 0\n"
	"madvise a 2M MADV_COLLAPSE => -EINVAL\n"
	"madvise a+2M 4K MADV_COLLAPSE => -EINVAL\n"
	"madvise a+2M 4K MADV_POPULATE_WRITE => 0\n"
	"madvise a+2M 2M MADV_COLLAPSE => 0\n"
	"madvise a+1M 2M MADV_COLLAPSE => 0\n"
	"madvise a+2M 4K MADV_COLLAPSE => 0\n"
	"b=mmap 0x210000000000 64K PROT_RW MAP_PAF -1 0\n"
	"madvise b 4K MADV_POPULATE_WRITE => 0\n"
	"madvise b 64K MADV_COLLAPSE => -EINVAL\n"
	"c=mmap 0x220000000000 4M PROT_RW MAP_SAF -1 0\n"
	"madvise c 2M MADV_COLLAPSE => -EINVAL\n"
	"madvise c+1M 2M MADV_COLLAPSE => 0\n"
	"madvise c+1M 4K MADV_COLLAPSE => -EINVAL\n"
	"d=mmap 0x230000000000 2M PROT_RW MAP_SHARED|MAP_FIXED s 0\n"
	"madvise d 2M MADV_COLLAPSE => -EINVAL\n"
	"e=mmap 0x240000000000 4M PROT_READ MAP_PRIVATE|MAP_FIXED r 0\n"
	"madvise e 2M MADV_COLLAPSE => -EINVAL\n"
	"g=mmap 0x250000000000 4M PROT_RW MAP_PAF -1 0\n"
	"madvise g 4M MADV_NOHUGEPAGE => 0\n"
	"madvise g 4K MADV_POPULATE_WRITE => 0\n"
	"madvise g 2M MADV_COLLAPSE => -EINVAL\n"
	"madvise g+4M 2M MADV_COLLAPSE => -ENOMEM\n")

/* MADV_COLLAPSE of shmem (here shared anonymous memory) needs, in each
 * PMD, a page in the page cache: written, read or populated through any
 * mapping, gone again after MADV_REMOVE (measured: one page is enough;
 * a private write copies a hole to an anonymous page, caching nothing). */
ORACLE_SCENARIO(collapse_shmem_page_cache,
	"c=mmap 0x220000000000 4M PROT_RW MAP_SAF -1 0\n"
	"madvise c 2M MADV_COLLAPSE => -EINVAL\n"
	"touch c+4K PROT_WRITE => 0\n"
	"madvise c 2M MADV_COLLAPSE => 0\n"
	"madvise c 4M MADV_COLLAPSE => -EINVAL\n"
	"touch c+2M+8K PROT_READ => 0\n"
	"madvise c 4M MADV_COLLAPSE => 0\n"
	"d=mmap 0x230000000000 2M PROT_RW MAP_SAF -1 0\n"
	"madvise d 4K MADV_POPULATE_READ => 0\n"
	"madvise d 2M MADV_COLLAPSE => 0\n"
	"madvise d 2M MADV_REMOVE => 0\n"
	"madvise d 2M MADV_COLLAPSE => -EINVAL\n"
	"e=mmap 0x240000000000 2M PROT_RW MAP_SAF|MAP_POPULATE -1 0\n"
	"madvise e 2M MADV_COLLAPSE => 0\n"
	"f=mmap 0x250000000000 2M PROT_RW MAP_SAF -1 0\n"
	"madvise f 2M MADV_WILLNEED => 0\n"
	"madvise f 2M MADV_COLLAPSE => -EINVAL\n")

/* Guard markers without touching them: where they may go, that the maps
 * never show them, that populate and mlock stop at them, that unmapping
 * drops them, and the anon_vma an install gives anonymous memory. */
ORACLE_SCENARIO(madvise_guard_rules,
	"file f ${REG} O_RDWR\n"
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"madvise a+4K 8K MADV_GUARD_INSTALL => 0\n"
	"madvise a+4K 8K MADV_GUARD_INSTALL => 0\n"
	"madvise a 64K MADV_POPULATE_READ => -EFAULT\n"
	"madvise a 64K MADV_POPULATE_WRITE => -EFAULT\n"
	"madvise a+12K 4K MADV_POPULATE_READ => 0\n"
	"madvise a 64K MADV_DONTNEED => 0\n"
	"madvise a 64K MADV_FREE => 0\n"
	"mprotect a 64K PROT_READ => 0\n"
	"mprotect a 64K PROT_RW => 0\n"
	"madvise a 64K MADV_POPULATE_READ => -EFAULT\n"
	"mlock a 64K => -ENOMEM\n"
	"madvise a 64K MADV_GUARD_INSTALL => -EINVAL\n"
	"madvise a+4K 4K MADV_GUARD_REMOVE => 0\n"
	"madvise a+4K 4K MADV_POPULATE_READ => 0\n"
	"madvise a 64K MADV_POPULATE_READ => -EFAULT\n"
	"munlock a 64K => 0\n"
	"mlock2 a 64K 1 => 0\n"
	"munlock a 64K => 0\n"
	"madvise a+8K 4K MADV_GUARD_REMOVE => 0\n"
	"madvise a 64K MADV_POPULATE_READ => 0\n"
	"madvise a 64K MADV_GUARD_INSTALL => 0\n"
	"munmap a+16K 8K => 0\n"
	"mmap a+16K 8K PROT_RW MAP_PAF -1 0\n"
	"madvise a+16K 8K MADV_POPULATE_WRITE => 0\n"
	"madvise a+16K 12K MADV_POPULATE_WRITE => -EFAULT\n"
	"mmap a+32K 4K PROT_RW MAP_PAF -1 0\n"
	"madvise a+32K 4K MADV_POPULATE_READ => 0\n"
	"madvise a+36K 4K MADV_POPULATE_READ => -EFAULT\n"
	"b=mmap 0x210000000000 64K PROT_RW MAP_SHARED|MAP_FIXED f 0\n"
	"madvise b 4K MADV_GUARD_INSTALL => 0\n"
	"madvise b 4K MADV_REMOVE => 0\n"
	"madvise b 4K MADV_POPULATE_READ => -EFAULT\n"
	"madvise b+4K 4K MADV_POPULATE_WRITE => 0\n"
	"c=mmap 0x220000000000 64K PROT_RW MAP_PAF -1 0\n"
	"madvise c+32K 32K MADV_DONTFORK => 0\n"
	"madvise c 4K MADV_GUARD_INSTALL => 0\n"
	"madvise c+32K 4K MADV_GUARD_INSTALL => 0\n"
	"madvise c+32K 32K MADV_DOFORK => 0\n"
	"d=mmap 0x230000000000 64K PROT_RW MAP_PAF -1 0\n"
	"madvise d+32K 32K MADV_DONTFORK => 0\n"
	"madvise d 4K MADV_GUARD_INSTALL => 0\n"
	"madvise d+32K 32K MADV_DOFORK => 0\n"
	"mlock d 64K => -ENOMEM\n")

/* The accesses themselves: a guarded page faults with SEGV_MAPERR
 * (PROT_NONE first gives SEGV_ACCERR); DONTNEED and mprotect keep the
 * marker; GUARD_REMOVE, munmap and MAP_FIXED drop it. */
static const char guard_touch_text[] =
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"touch a+4K PROT_WRITE => 0\n"
	"madvise a+4K 8K MADV_GUARD_INSTALL => 0\n"
	"touch a+4K PROT_READ => SIGSEGV_MAPERR\n"
	"touch a+8K PROT_WRITE => SIGSEGV_MAPERR\n"
	"touch a+12K PROT_WRITE => 0\n"
	"madvise a 64K MADV_DONTNEED => 0\n"
	"touch a+4K PROT_READ => SIGSEGV_MAPERR\n"
	"mprotect a 64K PROT_NONE => 0\n"
	"touch a+4K PROT_READ => SIGSEGV_ACCERR\n"
	"mprotect a 64K PROT_RW => 0\n"
	"touch a+4K PROT_READ => SIGSEGV_MAPERR\n"
	"madvise a+4K 4K MADV_GUARD_REMOVE => 0\n"
	"touch a+4K PROT_READ => 0\n"
	"touch a+8K PROT_READ => SIGSEGV_MAPERR\n"
	"mmap a+8K 4K PROT_RW MAP_PAF -1 0\n"
	"touch a+8K PROT_READ => 0\n"
	"madvise a 64K MADV_GUARD_INSTALL => 0\n"
	"munmap a 64K => 0\n"
	"mmap a 64K PROT_RW MAP_PAF -1 0\n"
	"touch a+8K PROT_WRITE => 0\n";

static void guard_touch(void **state)
{
	(void)state;
	assert_int_equal(oracle_check(guard_touch_text), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(madvise_arguments),
		cmocka_unit_test(madvise_flag_advice_splits_and_merges),
		cmocka_unit_test(madvise_advice_without_flags),
		cmocka_unit_test(madvise_files_and_shared_memory),
		cmocka_unit_test(madvise_locked_memory),
		cmocka_unit_test(madvise_hugetlb),
		cmocka_unit_test(madvise_droppable),
		cmocka_unit_test(madvise_special_mappings),
		cmocka_unit_test(madvise_holes_and_partial_application),
		cmocka_unit_test(madvise_max_map_count),
		cmocka_unit_test(madvise_sealed),
		cmocka_unit_test(madvise_populate),
		cmocka_unit_test(collapse_at_zero),
		cmocka_unit_test(madvise_collapse),
		cmocka_unit_test(collapse_shmem_page_cache),
		cmocka_unit_test(madvise_guard_rules),
		cmocka_unit_test(guard_touch),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
