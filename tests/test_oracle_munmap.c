/*
 * test_oracle_munmap.c - munmap(2) scenarios judged by the kernel: whole,
 * head, tail and middle unmaps (splits and holes), ranges over several
 * VMAs and holes, argument errors, file offsets after splits, reuse of
 * holes, and the max_map_count limit on splitting. Expectations are what
 * this machine's 6.18 kernel returned. Scratch area: 0x100000000000.
 */
#include "oracle_test.h"

ORACLE_SCENARIO(whole_mapping,
	"a=mmap 0 64K PROT_RW MAP_PA -1 0 => ok\n"
	"munmap a 64K => 0\n"
	"b=mmap 0 64K PROT_RW MAP_PA -1 0 => a\n")

ORACLE_SCENARIO(head_tail_middle,
	"a=mmap 0x100000000000 64K PROT_RW MAP_PAF -1 0\n"
	"munmap a 4K => 0\n"
	"munmap a+60K 4K => 0\n"
	"munmap a+16K 8K => 0\n"
	"munmap a+32K 1 => 0\n"
	"munmap a+40K 4097 => 0\n")

ORACLE_SCENARIO(across_vmas_and_holes,
	"a=mmap 0x100000000000 16K PROT_READ MAP_PAF -1 0\n"
	"mmap a+32K 16K PROT_RW MAP_PAF -1 0\n"
	"mmap a+64K 16K PROT_EXEC MAP_PAF -1 0\n"
	"mmap a+96K 16K PROT_NONE MAP_PAF -1 0\n"
	"munmap a+8K 64K => 0\n"
	"munmap a-1M 2M => 0\n")

ORACLE_SCENARIO(nothing_mapped,
	"munmap 0x100000000000 64K => 0\n"
	"munmap 0x10000 4K => 0\n"
	"munmap 0 4K => 0\n"
	"munmap 0x7fff00000000 1G => 0\n")

ORACLE_SCENARIO(argument_errors,
	"a=mmap 0x100000000000 16K PROT_RW MAP_PAF -1 0\n"
	"munmap a+1 4K => -EINVAL\n"
	"munmap a+2K 4K => -EINVAL\n"
	"munmap a 0 => -EINVAL\n"
	"munmap TASK_SIZE 4K => -EINVAL\n"
	"munmap TASK_SIZE+4K 4K => -EINVAL\n"
	"munmap TASK_SIZE-4K 8K => -EINVAL\n"
	"munmap 0x800000000000 4K => -EINVAL\n"
	"munmap a -4K => -EINVAL\n"
	"munmap a -1 => -EINVAL\n"
	"munmap 0 TASK_SIZE+1 => -EINVAL\n"
	"munmap 0x7fff00000000 4K => 0\n"
	"munmap a 16K => 0\n")

ORACLE_SCENARIO(file_split_offsets,
	"file r ${REG} O_RDONLY\n"
	"a=mmap 0x100000000000 64K PROT_READ MAP_PRIVATE|MAP_FIXED r 64K\n"
	"munmap a+16K 16K => 0\n"
	"mmap a+16K 16K PROT_READ MAP_PRIVATE|MAP_FIXED r 80K => a+16K\n"
	"munmap a+4K 4K => 0\n"
	"mmap a+4K 4K PROT_READ MAP_PRIVATE|MAP_FIXED r 0 => a+4K\n")

ORACLE_SCENARIO(shared_file_and_shared_anon,
	"file rw ${REG} O_RDWR\n"
	"a=mmap 0 64K PROT_RW MAP_SHARED rw 0 => ok\n"
	"b=mmap 0 64K PROT_RW MAP_SA -1 0 => ok\n"
	"munmap a+8K 8K => 0\n"
	"munmap b+8K 8K => 0\n"
	"munmap b 4K => 0\n")

ORACLE_SCENARIO(hole_reused_topdown,
	"a=mmap 0 1M PROT_READ MAP_PA -1 0 => ok\n"
	"munmap a+256K 64K => 0\n"
	"mmap 0 32K PROT_RW MAP_PA -1 0 => ok\n"
	"mmap 0 64K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0 32K PROT_READ MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(growsdown_parts,
	"g=mmap 0x100000100000 64K PROT_RW MAP_PA|MAP_GROWSDOWN|MAP_FIXED -1 0\n"
	"munmap g 16K => 0\n"
	"munmap g+48K 16K => 0\n"
	"mmap 0x100000000000 16K PROT_RW MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(thp_aligned_unmap_part,
	"a=mmap 0 4M PROT_RW MAP_PA -1 0 => align:2M\n"
	"munmap a+1M 2M => 0\n"
	"mmap 0 2M PROT_RW MAP_PA -1 0 => align:2M\n"
	"mmap 0 1M PROT_RW MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(locked_and_droppable,
	"rlimit memlock 8M 8M\n"
	"a=mmap 0 64K PROT_RW MAP_PA|MAP_LOCKED -1 0 => ok\n"
	"munmap a+16K 16K => 0\n"
	"b=mmap 0 64K PROT_RW MAP_DROPPABLE|MAP_ANONYMOUS -1 0 => ok\n"
	"munmap b+16K 16K => 0\n"
	"mmap 0 8M-48K PROT_READ MAP_PA|MAP_LOCKED|MAP_NORESERVE -1 0 => ok\n"
	"mmap 0 4K PROT_READ MAP_PA|MAP_LOCKED -1 0 => -EAGAIN\n"
	"munmap a 4K => 0\n"
	"mmap 0 4K PROT_READ MAP_PA|MAP_LOCKED -1 0 => ok\n")

ORACLE_SCENARIO(brk_area,
	"brk brk0+64K => brk0+64K\n"
	"munmap brk0+16K 16K => 0\n"
	"munmap brk0+48K 16K => 0\n"
	"brk brk0+32K => brk0+32K\n")

/* map_count: 65530 (vm.max_map_count); "fill" brings the runner there
 * with alternating one-page VMAs before the first snapshot. */
ORACLE_SCENARIO(max_map_count_split,
	"fill 0x400000000000 65529\n"
	"a=mmap 0x300000000000 16K PROT_RW MAP_PAF -1 0 => 0x300000000000\n"
	"munmap a+4K 4K => -ENOMEM\n"
	"munmap a 4K => 0\n"
	"munmap a+8K 4K => -ENOMEM\n"
	"munmap a+12K 4K => 0\n"
	"mmap 0x300000100000 4K PROT_RW MAP_PAF -1 0 => 0x300000100000\n"
	"mmap 0x300000200000 4K PROT_RW MAP_PAF -1 0 => -ENOMEM\n"
	"munmap 0x400000000000+8K 4K => 0\n"
	"mmap 0x300000200000 4K PROT_RW MAP_PAF -1 0 => 0x300000200000\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_mapping),
		cmocka_unit_test(head_tail_middle),
		cmocka_unit_test(across_vmas_and_holes),
		cmocka_unit_test(nothing_mapped),
		cmocka_unit_test(argument_errors),
		cmocka_unit_test(file_split_offsets),
		cmocka_unit_test(shared_file_and_shared_anon),
		cmocka_unit_test(hole_reused_topdown),
		cmocka_unit_test(growsdown_parts),
		cmocka_unit_test(thp_aligned_unmap_part),
		cmocka_unit_test(locked_and_droppable),
		cmocka_unit_test(brk_area),
		cmocka_unit_test(max_map_count_split),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
