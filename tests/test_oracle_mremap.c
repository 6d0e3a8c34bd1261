/*
 * test_oracle_mremap.c - mremap against this kernel: the argument rules
 * and their order, growing and shrinking in place, moves (MAYMOVE,
 * FIXED, DONTUNMAP), merging at the target, old_len 0, the 6.17+
 * multi-VMA move, sealing, limits and max_map_count.
 */
#include "oracle_test.h"

ORACLE_SCENARIO(mremap_arguments,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"mremap a 4K 8K 8 0 => -EINVAL\n"
	"mremap a+1 4K 8K 0 0 => -EINVAL\n"
	"mremap a 4K 0 0 0 => -EINVAL\n"
	"mremap a 4K 0xfffffffffffff001 0 0 => -EINVAL\n"
	"mremap a 4K TASK_SIZE+4K MREMAP_MAYMOVE 0 => -EINVAL\n"
	"mremap a 4K 4K MREMAP_FIXED 0x300000000000 => -EINVAL\n"
	"mremap a 4K 4K MREMAP_DONTUNMAP 0x300000000000 => -EINVAL\n"
	"mremap a 4K 8K MREMAP_MAYMOVE|MREMAP_DONTUNMAP 0x300000000000 => -EINVAL\n"
	"mremap a 4K 4K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000000001 => -EINVAL\n"
	"mremap a 4K 8K MREMAP_MAYMOVE|MREMAP_FIXED TASK_SIZE-4K => -EINVAL\n"
	"mremap a 8K 8K MREMAP_MAYMOVE|MREMAP_FIXED a+4K => -EINVAL\n"
	"mremap 0x300000000000 8K 8K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000001000 => -EINVAL\n"
	"mremap 0x300000000000 4K 8K 0 0 => -EFAULT\n"
	"mremap a 4K 4K 0 0 => a\n"
	"mremap a+60K 8K 8K 0 0 => a+60K\n"
	"mremap a+60K 8K 12K MREMAP_MAYMOVE 0 => -EFAULT\n"
	"mremap a 0 8K MREMAP_MAYMOVE 0 => -EINVAL\n")

ORACLE_SCENARIO(mremap_in_place,
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"mremap a 16K 32K 0 0 => a\n"
	"b=mmap a+48K 16K PROT_RW MAP_PAF -1 0\n"
	"mremap a 32K 48K 0 0 => a\n"
	"mremap a 64K 16K 0 0 => a\n"
	"mremap a+4K 12K 8K 0 0 => a+4K\n"
	"mremap a 12K 16K 0 0 => a\n"
	"c=mmap a+64K 8K PROT_READ MAP_PAF -1 0\n"
	"mremap a 12K 40K 0 0 => -ENOMEM\n"
	"mremap a 12K 20K 0 0 => -ENOMEM\n"
	"mremap a 16K 20K 0 0 => a\n"
	"mremap a+20K 4K 4K 0 0 => -EFAULT\n")

ORACLE_SCENARIO(mremap_shrink_across,
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"b=mmap a+20K 16K PROT_READ MAP_PAF -1 0\n"
	"mremap a 32K 8K 0 0 => a\n"
	"c=mmap a+16K 16K PROT_RW MAP_PAF -1 0\n"
	"mremap a+4K 24K 4K MREMAP_MAYMOVE 0 => a+4K\n")

ORACLE_SCENARIO(mremap_maymove,
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"b=mmap a+16K 16K PROT_READ MAP_PAF -1 0\n"
	"n=mremap a 16K 32K MREMAP_MAYMOVE 0 => !align:0x200000000000\n"
	"mremap n 32K 64K MREMAP_MAYMOVE 0 => ok\n"
	"m=mremap b+4K 4K 16K MREMAP_MAYMOVE 0 => ok\n"
	"mremap m 16K 2M MREMAP_MAYMOVE 0 => ok\n")

ORACLE_SCENARIO(mremap_fixed,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"t=mmap 0x300000000000 64K PROT_READ MAP_PAF -1 0\n"
	"mremap a+16K 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED t+16K => t+16K\n"
	"mremap a 8K 4K MREMAP_MAYMOVE|MREMAP_FIXED t+48K => t+48K\n"
	"mremap a+32K 8K 24K MREMAP_MAYMOVE|MREMAP_FIXED t => t\n"
	"mremap t 8K 8K MREMAP_MAYMOVE|MREMAP_FIXED a+40K => a+40K\n"
	"mremap a+48K 4K 4K MREMAP_MAYMOVE|MREMAP_FIXED a+56K => a+56K\n")

/* An anonymous VMA without pages takes its new address's pgoff, so it
 * merges back; one with pages (populated) keeps its pgoff. */
ORACLE_SCENARIO(mremap_merge_at_target,
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"b=mmap 0x200000010000 16K PROT_RW MAP_PAF -1 0\n"
	"mremap b 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED a+16K => a+16K\n"
	"c=mmap 0x200000100000 16K PROT_RW MAP_PAF|MAP_POPULATE -1 0\n"
	"mremap c 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED a+32K => a+32K\n"
	"mremap a+32K 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED c => c\n"
	"d=mmap c+16K 16K PROT_RW MAP_PAF -1 0\n"
	"mremap a+8K 4K 4K MREMAP_MAYMOVE|MREMAP_FIXED a+64K => a+64K\n")

ORACLE_SCENARIO(mremap_files,
	"file f ${REG} O_RDWR\n"
	"a=mmap 0x200000000000 64K PROT_RW MAP_SHARED f 0\n"
	"mremap a+16K 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000000000 => 0x300000000000\n"
	"mremap 0x300000000000 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED a+16K => a+16K\n"
	"mremap a 64K 128K 0 0 => a\n"
	"b=mmap 0x200000100000 16K PROT_READ MAP_PRIVATE f 0x8000\n"
	"mremap b 16K 64K MREMAP_MAYMOVE 0 => b\n"
	"mremap b 4K 4K MREMAP_MAYMOVE|MREMAP_DONTUNMAP 0 => ok\n"
	"file s ${SHM} O_RDWR\n"
	"c=mmap 0x200000200000 16K PROT_RW MAP_SHARED s 0\n"
	"mremap c 0 16K MREMAP_MAYMOVE 0 => ok\n"
	"mremap c 0 16K 0 0 => -ENOMEM\n"
	"d=mmap 0 8K PROT_RW MAP_SA -1 0\n"
	"mremap d 0 8K MREMAP_MAYMOVE 0 => ok\n"
	"mremap d 8K 64K MREMAP_MAYMOVE 0 => ok\n")

ORACLE_SCENARIO(mremap_dontunmap,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF|MAP_LOCKED -1 0\n"
	"mremap a+16K 16K 16K MREMAP_MAYMOVE|MREMAP_DONTUNMAP|MREMAP_FIXED 0x300000000000 => 0x300000000000\n"
	"mlock a 8K => 0\n"
	"b=mmap 0x200000100000 16K PROT_RW MAP_PAF -1 0\n"
	"mremap b 16K 16K MREMAP_MAYMOVE|MREMAP_DONTUNMAP b+16K => b+16K\n"
	"mremap b 4K 4K MREMAP_MAYMOVE|MREMAP_DONTUNMAP 0x300000100000 => 0x300000100000\n"
	"c=mmap 0x200000200000 16K PROT_RW MAP_PAF|MAP_POPULATE -1 0\n"
	"mremap c 16K 16K MREMAP_MAYMOVE|MREMAP_DONTUNMAP 0 => ok\n"
	"d=mmap c+16K 16K PROT_RW MAP_PAF -1 0\n"
	"e=mmap 0 16K PROT_RW MAP_SA -1 0\n"
	"mremap e 16K 16K MREMAP_MAYMOVE|MREMAP_DONTUNMAP 0 => ok\n")

/* Linux 6.17+: a FIXED move of equal size takes every VMA in the range. */
ORACLE_SCENARIO(mremap_multi_vma,
	"file f ${REG} O_RDWR\n"
	"a=mmap 0x200000000000 8K PROT_RW MAP_PAF -1 0\n"
	"mmap a+12K 8K PROT_READ MAP_PAF -1 0\n"
	"mmap a+20K 8K PROT_RW MAP_SHARED f 0\n"
	"mremap a+4K 28K 28K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000000000 => 0x300000000000\n"
	"mremap 0x2ffffffff000 64K 64K MREMAP_MAYMOVE|MREMAP_FIXED a+1M => -EFAULT\n"
	"mremap 0x300000000000 64K 64K MREMAP_MAYMOVE|MREMAP_FIXED a+1M => a+1M\n"
	"mremap a+1M 8K 8K MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP 0x300000000000 => 0x300000000000\n"
	"mremap a+1M 64K 64K MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP 0x300000100000 => 0x300000100000\n"
	"file z ${ZERO} O_RDWR\n"
	"z1=mmap 0x200000400000 8K PROT_RW MAP_PRIVATE z 0\n"
	"mmap z1+8K 8K PROT_READ MAP_PAF -1 0\n"
	"mremap z1 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000400000 => -EFAULT\n"
	"mremap z1-8K 24K 24K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000400000 => -EFAULT\n"
	"mremap z1+8K 8K 8K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000500000 => 0x300000500000\n"
	"mmap z1+8K 8K PROT_READ MAP_PAF -1 0\n"
	"mremap z1+8K-4K 12K 12K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000600000 => -EFAULT\n"
	"mremap z1+8K 8K 8K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000600000 => 0x300000600000\n")

ORACLE_SCENARIO(mremap_sealed,
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"mseal a+8K 8K 0 => 0\n"
	"mremap a+8K 4K 4K 0 0 => -EPERM\n"
	"mremap a+8K 8K 4K 0 0 => -EPERM\n"
	"mremap a 8K 16K MREMAP_MAYMOVE 0 => ok\n"
	"b=mmap 0x200000100000 16K PROT_RW MAP_PAF -1 0\n"
	"mremap b 8K 8K MREMAP_MAYMOVE|MREMAP_FIXED a+8K => -EPERM\n"
	"mremap b 16K 4K 0 0 => b\n")

ORACLE_SCENARIO(mremap_limits,
	"rlimit memlock 64K 64K\n"
	"a=mmap 0x200000000000 32K PROT_RW MAP_PAF|MAP_LOCKED -1 0\n"
	"mremap a 32K 64K 0 0 => a\n"
	"mremap a 64K 68K 0 0 => -EAGAIN\n"
	"mremap a 64K 68K MREMAP_MAYMOVE 0 => -EAGAIN\n"
	"mremap a 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000000000 => 0x300000000000\n"
	"rlimit as 0x4000000000 0x4000000000\n"
	"b=mmap 0x200000100000 16K PROT_RW MAP_PAF -1 0\n"
	"mremap b 16K 0x4000000000 MREMAP_MAYMOVE 0 => -ENOMEM\n")

/* The limits as 6.18 checks them: map_count + 2 >= max - 3 before a
 * FIXED/DONTUNMAP call (after the overlap check, before the VMA lookup),
 * map_count >= max - 3 before any move; calls that move nothing pass. */
ORACLE_SCENARIO(mremap_map_count,
	"fill 0x100000000000 65522\n"
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"mmap a+20K 4K PROT_RW MAP_PAF -1 0\n"
	"mremap a+4K 4K 4K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000000000 => 0x300000000000\n"
	"mmap a+28K 4K PROT_READ MAP_PAF -1 0\n"
	"mremap a 4K 4K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000001000 => -ENOMEM\n"
	"mremap 0x310000000000 4K 4K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000001000 => -ENOMEM\n"
	"mremap a 8K 8K MREMAP_MAYMOVE|MREMAP_FIXED a+4K => -EINVAL\n"
	"mremap a 4K 4K 0 0 => a\n"
	"mremap a+8K 8K 4K 0 0 => a+8K\n"
	"mremap a+20K 4K 8K MREMAP_MAYMOVE 0 => ok\n"
	"mmap a+40K 4K PROT_READ MAP_PAF -1 0\n"
	"mmap a+48K 4K PROT_READ MAP_PAF -1 0\n"
	"mremap a+20K 8K 16K MREMAP_MAYMOVE 0 => -ENOMEM\n"
	"munmap a+40K 12K => 0\n"
	"mremap a+20K 8K 16K MREMAP_MAYMOVE 0 => -ENOMEM\n"
	"munmap 0x300000000000 8K => 0\n"
	"mremap a+20K 8K 16K MREMAP_MAYMOVE 0 => ok\n")

/* Guard markers are page table entries: they move with the pages. */
ORACLE_SCENARIO(mremap_moves_guards,
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"madvise a+4K 4K MADV_GUARD_INSTALL => 0\n"
	"mremap a 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED 0x300000000000 => 0x300000000000\n"
	"touch 0x300000001000 PROT_READ => SIGSEGV_MAPERR\n"
	"touch 0x300000002000 PROT_READ => 0\n"
	"mremap 0x300000000000 16K 16K MREMAP_MAYMOVE|MREMAP_DONTUNMAP a => a\n"
	"touch 0x300000001000 PROT_READ => 0\n"
	"touch a+4K PROT_WRITE => SIGSEGV_MAPERR\n"
	"mremap a 16K 64K MREMAP_MAYMOVE 0 => ok\n"
	"munmap a 16K => 0\n"
	"mmap a 16K PROT_RW MAP_PAF -1 0\n"
	"touch a+4K PROT_READ => 0\n")

/* A fixed move whose copy merges with the VMA left of the target, which
 * is the source's own: the source is then inside the merged VMA, and
 * the move is done (the kernel's iterator has passed the range's end).
 * Found by difftest (seed 20026: usermm moved again, failed with EFAULT
 * and left a hole). */
ORACLE_SCENARIO(mremap_fixed_merges_into_source,
	"a=mmap 0x300000000000 128K PROT_READ MAP_PAF -1 0\n"
	"mprotect a 92K PROT_EXEC => 0\n"
	"mprotect a+112K 16K PROT_EXEC => 0\n"
	"mremap a+100K 8K 8K MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP a+112K => a+112K\n"
	"mremap a+96K 8K 8K MREMAP_MAYMOVE|MREMAP_FIXED a+120K => a+120K\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mremap_arguments),
		cmocka_unit_test(mremap_in_place),
		cmocka_unit_test(mremap_shrink_across),
		cmocka_unit_test(mremap_maymove),
		cmocka_unit_test(mremap_fixed),
		cmocka_unit_test(mremap_merge_at_target),
		cmocka_unit_test(mremap_files),
		cmocka_unit_test(mremap_dontunmap),
		cmocka_unit_test(mremap_multi_vma),
		cmocka_unit_test(mremap_sealed),
		cmocka_unit_test(mremap_limits),
		cmocka_unit_test(mremap_map_count),
		cmocka_unit_test(mremap_moves_guards),
		cmocka_unit_test(mremap_fixed_merges_into_source),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
