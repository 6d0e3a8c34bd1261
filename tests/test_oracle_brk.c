/*
 * test_oracle_brk.c - brk(2) scenarios judged by the kernel: reading,
 * growing, shrinking, unaligned breaks, failures that return the old
 * break (below start_brk, into a mapping, next to a MAP_GROWSDOWN guard
 * gap, RLIMIT_DATA, RLIMIT_AS, TASK_SIZE), and the interplay with mmap,
 * munmap and mprotect in the heap. The runner never mallocs, so brk0 is
 * start_brk and there is no [heap] until the first growth. Expectations
 * are what this machine's 6.18 kernel returned.
 */
#include "oracle_test.h"

ORACLE_SCENARIO(read_only,
	"brk 0 => brk0\n"
	"brk 1 => brk0\n")

ORACLE_SCENARIO(grow_and_shrink,
	"brk brk0+4K => brk0+4K\n"
	"brk brk0+64K => brk0+64K\n"
	"brk brk0+1M => brk0+1M\n"
	"brk brk0+32K => brk0+32K\n"
	"brk brk0+4K => brk0+4K\n"
	"brk brk0 => brk0\n"
	"brk brk0+8K => brk0+8K\n")

ORACLE_SCENARIO(unaligned_breaks,
	"brk brk0+1 => brk0+1\n"
	"brk brk0+100 => brk0+100\n"
	"brk brk0+4095 => brk0+4095\n"
	"brk brk0+4097 => brk0+4097\n"
	"brk brk0+10 => brk0+10\n"
	"brk brk0 => brk0\n")

ORACLE_SCENARIO(below_start_brk,
	"brk brk0-4K => brk0\n"
	"brk brk0+8K => brk0+8K\n"
	"brk brk0-1 => brk0+8K\n"
	"brk 0x10000 => brk0+8K\n")

ORACLE_SCENARIO(huge_values,
	"brk TASK_SIZE => brk0\n"
	"brk TASK_SIZE+4K => brk0\n"
	"brk 0xfffffffffffff000 => brk0\n"
	"brk -1 => brk0\n"
	"brk brk0+1G => brk0+1G\n"
	"brk brk0+0x100000000000 => brk0+1G\n")

ORACLE_SCENARIO(into_a_mapping,
	"m=mmap brk0+64K 16K PROT_READ MAP_PAF -1 0 => brk0+64K\n"
	"brk brk0+64K => brk0\n"
	"brk brk0+60K+1 => brk0\n"
	"brk brk0+60K => brk0+60K\n"
	"brk brk0+1M => brk0+60K\n"
	"munmap m 16K => 0\n"
	"brk brk0+1M => brk0+1M\n")

ORACLE_SCENARIO(growsdown_guard_gap,
	"g=mmap brk0+2M 64K PROT_RW MAP_PA|MAP_GROWSDOWN|MAP_FIXED -1 0 => brk0+2M\n"
	"brk brk0+1M => brk0\n"
	"brk brk0+1M-4K => brk0+1M-4K\n"
	"brk brk0+1M-4K+1 => brk0+1M-4K\n"
	"brk brk0+512K => brk0+512K\n")

ORACLE_SCENARIO(rlimit_data,
	/* the runner's own data (bss, libc) is a few MiB of data_vm */
	"rlimit data 64M inf\n"
	"brk brk0+32M => brk0+32M\n"
	"brk brk0+60M => brk0+32M\n"
	"brk brk0+128M => brk0+32M\n"
	"brk brk0+4K => brk0+4K\n")

ORACLE_SCENARIO(rlimit_as,
	"rlimit as 256M inf\n"
	"brk brk0+512M => brk0\n"
	"brk brk0+1M => brk0+1M\n")

ORACLE_SCENARIO(overcommit_guess,
	"brk brk0+1T => brk0\n"
	"brk brk0+1G => brk0+1G\n")

ORACLE_SCENARIO(mprotect_then_grow,
	"brk brk0+16K => brk0+16K\n"
	"mprotect brk0+8K 8K PROT_READ => 0\n"
	"brk brk0+32K => brk0+32K\n"
	"brk brk0+12K => brk0+12K\n"
	"mprotect brk0 12K PROT_RW => 0\n"
	"brk brk0+64K => brk0+64K\n")

ORACLE_SCENARIO(mmap_next_to_heap,
	"brk brk0+16K => brk0+16K\n"
	"mmap brk0+16K 16K PROT_RW MAP_PAF -1 0 => brk0+16K\n"
	"brk brk0+20K => brk0+16K\n"
	"brk brk0+8K => brk0+8K\n"
	"mmap brk0+40K 8K PROT_RW MAP_PAF -1 0 => brk0+40K\n")

ORACLE_SCENARIO(munmap_inside_heap,
	"brk brk0+64K => brk0+64K\n"
	"munmap brk0+16K 16K => 0\n"
	"brk brk0+8K => brk0+8K\n"
	"brk brk0+64K => brk0+64K\n"
	"munmap brk0 64K => 0\n"
	"brk brk0+32K => brk0+64K\n"
	"brk brk0+128K => brk0+128K\n")

ORACLE_SCENARIO(heap_label_follows_break,
	"m=mmap brk0+1M 16K PROT_RW MAP_PAF -1 0 => brk0+1M\n"
	"brk brk0+4K => brk0+4K\n"
	"munmap brk0 4K => 0\n"
	"brk brk0+8K => brk0+8K\n")

ORACLE_SCENARIO(fixed_inside_heap,
	/* every VMA meeting [start_brk, brk) is labelled [heap] */
	"brk brk0+64K => brk0+64K\n"
	"mmap brk0+16K 16K PROT_READ MAP_PAF -1 0 => brk0+16K\n"
	"mmap brk0+64K 16K PROT_READ MAP_PAF -1 0 => brk0+64K\n"
	"brk brk0+32K => brk0+32K\n"
	"brk brk0+48K => brk0+48K\n"
	"brk brk0+60K+1 => brk0+48K\n")

ORACLE_SCENARIO(locked_memlock,
	"rlimit memlock 0 0\n"
	"brk brk0+16K => brk0+16K\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_only),
		cmocka_unit_test(grow_and_shrink),
		cmocka_unit_test(unaligned_breaks),
		cmocka_unit_test(below_start_brk),
		cmocka_unit_test(huge_values),
		cmocka_unit_test(into_a_mapping),
		cmocka_unit_test(growsdown_guard_gap),
		cmocka_unit_test(rlimit_data),
		cmocka_unit_test(rlimit_as),
		cmocka_unit_test(overcommit_guess),
		cmocka_unit_test(mprotect_then_grow),
		cmocka_unit_test(mmap_next_to_heap),
		cmocka_unit_test(munmap_inside_heap),
		cmocka_unit_test(heap_label_follows_break),
		cmocka_unit_test(fixed_inside_heap),
		cmocka_unit_test(locked_memlock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
