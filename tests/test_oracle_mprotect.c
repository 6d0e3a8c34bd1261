/*
 * test_oracle_mprotect.c - mprotect(2) scenarios judged by the kernel:
 * splits and merges (both sides, left, right, back to one VMA), VM_MAY*
 * limits (EACCES), holes with partial application (ENOMEM), argument
 * errors, PROT_GROWSDOWN/GROWSUP, accounting limits and max_map_count.
 * Expectations are what this machine's 6.18 kernel returned. Scratch
 * area: 0x100000000000.
 */
#include "oracle_test.h"

ORACLE_SCENARIO(split_three_and_merge_back,
	"a=mmap 0x100000000000 64K PROT_RW MAP_PAF -1 0\n"
	"mprotect a+16K 16K PROT_READ => 0\n"
	"mprotect a+16K 16K PROT_RW => 0\n"
	"mprotect a+16K 16K PROT_RW => 0\n")

ORACLE_SCENARIO(merge_left_and_right,
	"a=mmap 0x100000000000 16K PROT_READ MAP_PAF -1 0\n"
	"mmap a+16K 16K PROT_RW MAP_PAF -1 0\n"
	"mmap a+32K 16K PROT_READ MAP_PAF -1 0\n"
	"mprotect a+16K 4K PROT_READ => 0\n"
	"mprotect a+28K 4K PROT_READ => 0\n"
	"mprotect a+20K 8K PROT_READ => 0\n"
	"mprotect a 48K PROT_EXEC => 0\n"
	"mprotect a 48K PROT_NONE => 0\n")

ORACLE_SCENARIO(many_vmas_to_one,
	"a=mmap 0x100000000000 4K PROT_READ MAP_PAF -1 0\n"
	"mmap a+4K 4K PROT_RW MAP_PAF -1 0\n"
	"mmap a+8K 4K PROT_EXEC MAP_PAF -1 0\n"
	"mmap a+12K 4K PROT_NONE MAP_PAF -1 0\n"
	"mmap a+16K 4K PROT_RWX MAP_PAF -1 0\n"
	"mprotect a 20K PROT_RW => 0\n")

ORACLE_SCENARIO(file_split_and_merge,
	"file r ${REG} O_RDONLY\n"
	"a=mmap 0x100000000000 64K PROT_READ MAP_PRIVATE|MAP_FIXED r 128K\n"
	"mprotect a+8K 8K PROT_RW => 0\n"
	"mprotect a+32K 32K PROT_RWX => 0\n"
	"mprotect a 64K PROT_READ => 0\n")

ORACLE_SCENARIO(shared_anon_split_and_merge,
	"a=mmap 0 64K PROT_RW MAP_SA -1 0 => ok\n"
	"mprotect a+16K 16K PROT_READ => 0\n"
	"mprotect a 64K PROT_RW => 0\n")

ORACLE_SCENARIO(vm_may_limits,
	"file r ${REG} O_RDONLY\n"
	"file rw ${REG} O_RDWR\n"
	"s=mmap 0 16K PROT_READ MAP_SHARED r 0 => ok\n"
	"mprotect s 16K PROT_RW => -EACCES\n"
	"mprotect s 16K PROT_WRITE => -EACCES\n"
	"mprotect s 4K PROT_EXEC => 0\n"
	"mprotect s 16K PROT_NONE => 0\n"
	"p=mmap 0 16K PROT_READ MAP_PRIVATE r 0 => ok\n"
	"mprotect p 16K PROT_RWX => 0\n"
	"w=mmap 0 16K PROT_READ MAP_SHARED rw 0 => ok\n"
	"mprotect w 16K PROT_RW => 0\n")

ORACLE_SCENARIO(eacces_applies_partially,
	"file r ${REG} O_RDONLY\n"
	"a=mmap 0x100000000000 16K PROT_READ MAP_PAF -1 0\n"
	"mmap a+16K 16K PROT_READ MAP_SHARED|MAP_FIXED r 0\n"
	"mprotect a 32K PROT_RW => -EACCES\n"
	"mprotect a+8K 24K PROT_READ => 0\n")

ORACLE_SCENARIO(holes_enomem,
	"a=mmap 0x100000000000 16K PROT_RW MAP_PAF -1 0\n"
	"mmap a+32K 16K PROT_RW MAP_PAF -1 0\n"
	"mprotect a-4K 8K PROT_READ => -ENOMEM\n"
	"mprotect a+8K 32K PROT_READ => -ENOMEM\n"
	"mprotect a+32K 32K PROT_EXEC => -ENOMEM\n"
	"mprotect a+16K 4K PROT_READ => -ENOMEM\n"
	"mprotect 0x100000100000 4K PROT_READ => -ENOMEM\n")

ORACLE_SCENARIO(argument_errors,
	"a=mmap 0x100000000000 16K PROT_RW MAP_PAF -1 0\n"
	"mprotect a+1 4K PROT_READ => -EINVAL\n"
	"mprotect a 0 PROT_READ => 0\n"
	"mprotect a+1 0 PROT_READ => -EINVAL\n"
	"mprotect 0x100000100000 0 PROT_READ => 0\n"
	"mprotect a 1 PROT_READ => 0\n"
	"mprotect a -4K PROT_READ => -ENOMEM\n"
	"mprotect a -1 PROT_READ => -ENOMEM\n"
	"mprotect a 4K 0x10 => -EINVAL\n"
	"mprotect a 4K PROT_READ|0x80 => -EINVAL\n"
	"mprotect a 4K PROT_READ|PROT_SEM => 0\n"
	"mprotect a 4K PROT_GROWSDOWN|PROT_GROWSUP => -EINVAL\n"
	"mprotect TASK_SIZE 4K PROT_READ => -ENOMEM\n"
	"mprotect 0xfffffffffffff000 4K PROT_READ => -ENOMEM\n")

ORACLE_SCENARIO(growsdown_prot,
	"g=mmap 0x100000100000 64K PROT_RW MAP_PA|MAP_GROWSDOWN|MAP_FIXED -1 0\n"
	"mprotect g+32K 4K PROT_READ|PROT_GROWSDOWN => 0\n"
	"mprotect g+48K 4K PROT_RW|PROT_GROWSUP => -EINVAL\n"
	"mprotect g+48K 16K PROT_RW|PROT_GROWSDOWN => 0\n"
	"mprotect g-8K 4K PROT_READ|PROT_GROWSDOWN => -ENOMEM\n"
	"mprotect g-8K 16K PROT_READ|PROT_GROWSDOWN => 0\n"
	"mprotect g+1 4K PROT_READ|PROT_GROWSDOWN => -EINVAL\n")

ORACLE_SCENARIO(growsdown_prot_on_plain_mapping,
	"a=mmap 0x100000000000 64K PROT_RW MAP_PAF -1 0\n"
	"mprotect a+16K 4K PROT_READ|PROT_GROWSDOWN => -EINVAL\n"
	"mprotect a+16K 4K PROT_READ|PROT_GROWSUP => -EINVAL\n"
	"mprotect a+16K 4K PROT_READ => 0\n")

ORACLE_SCENARIO(runner_stack_growsdown,
	/* [stack] is VM_GROWSDOWN: PROT_GROWSDOWN reaches its start */
	"mprotect 0x7ffffffef000 4K PROT_RW|PROT_GROWSDOWN => 0\n")

ORACLE_SCENARIO(exec_and_none,
	"a=mmap 0 32K PROT_RW MAP_PA -1 0 => ok\n"
	"mprotect a 8K PROT_EXEC => 0\n"
	"mprotect a+8K 8K PROT_NONE => 0\n"
	"mprotect a+16K 8K PROT_WRITE => 0\n"
	"mprotect a+24K 8K PROT_RWX => 0\n")

ORACLE_SCENARIO(locked_noreserve_droppable,
	"rlimit memlock 8M 8M\n"
	"a=mmap 0 32K PROT_RW MAP_PA|MAP_LOCKED -1 0 => ok\n"
	"mprotect a+8K 8K PROT_READ => 0\n"
	"b=mmap 0 32K PROT_READ MAP_PA|MAP_NORESERVE -1 0 => ok\n"
	"mprotect b+8K 8K PROT_RW => 0\n"
	"c=mmap 0 32K PROT_RW MAP_DROPPABLE|MAP_ANONYMOUS -1 0 => ok\n"
	"mprotect c+8K 8K PROT_READ => 0\n"
	"mprotect c 32K PROT_RW => 0\n")

ORACLE_SCENARIO(rlimit_data_on_write,
	/* the runner's own data (bss, libc) is a few MiB of data_vm */
	"rlimit data 40M inf\n"
	"a=mmap 0 48M PROT_READ MAP_PA -1 0 => ok\n"
	"mprotect a 32M PROT_RW => 0\n"
	"mprotect a+32M 16M PROT_RW => -ENOMEM\n"
	"mprotect a 16M PROT_READ => 0\n"
	"mprotect a+32M 16M PROT_RW => 0\n")

ORACLE_SCENARIO(overcommit_on_write,
	/* mode 0: turning 1T private writable fails, NORESERVE does not */
	"a=mmap 0 1T PROT_READ MAP_PA -1 0 => ok\n"
	"mprotect a 1T PROT_RW => -ENOMEM\n"
	"mprotect a 4G PROT_RW => 0\n"
	"b=mmap 0 1T PROT_READ MAP_PA|MAP_NORESERVE -1 0 => ok\n"
	"mprotect b 1T PROT_RW => 0\n")

ORACLE_SCENARIO(runner_heap,
	"brk brk0+64K => brk0+64K\n"
	"mprotect brk0 16K PROT_READ => 0\n"
	"mprotect brk0 16K PROT_RW => 0\n"
	"mprotect brk0+48K 16K PROT_NONE => 0\n"
	"mprotect brk0 64K PROT_RW => 0\n")

ORACLE_SCENARIO(max_map_count_split,
	/* "fill" leaves one-page VMAs R,N,R,N,... at 0x400000000000 */
	"fill 0x400000000000 65529\n"
	"a=mmap 0x300000000000 16K PROT_RW MAP_PAF -1 0 => 0x300000000000\n"
	"mprotect a+4K 4K PROT_READ => -ENOMEM\n"
	"mprotect a 4K PROT_READ => -ENOMEM\n"
	"mprotect a 16K PROT_READ => 0\n"
	"mprotect 0x400000000000+4K 4K PROT_READ => 0\n"
	"mprotect a+4K 4K PROT_RW => 0\n"
	"mprotect a+12K 4K PROT_RW => -ENOMEM\n"
	"mprotect 0x400000000000+16K 4K PROT_NONE => 0\n"
	"mprotect a+12K 4K PROT_RW => 0\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_three_and_merge_back),
		cmocka_unit_test(merge_left_and_right),
		cmocka_unit_test(many_vmas_to_one),
		cmocka_unit_test(file_split_and_merge),
		cmocka_unit_test(shared_anon_split_and_merge),
		cmocka_unit_test(vm_may_limits),
		cmocka_unit_test(eacces_applies_partially),
		cmocka_unit_test(holes_enomem),
		cmocka_unit_test(argument_errors),
		cmocka_unit_test(growsdown_prot),
		cmocka_unit_test(growsdown_prot_on_plain_mapping),
		cmocka_unit_test(runner_stack_growsdown),
		cmocka_unit_test(exec_and_none),
		cmocka_unit_test(locked_noreserve_droppable),
		cmocka_unit_test(rlimit_data_on_write),
		cmocka_unit_test(overcommit_on_write),
		cmocka_unit_test(runner_heap),
		cmocka_unit_test(max_map_count_split),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
