/*
 * test_oracle_mseal.c - mseal(2) against this kernel: the argument rules,
 * all-or-nothing sealing over holes, splits and merges of sealed VMAs,
 * and EPERM from munmap, mprotect, MAP_FIXED and brk on sealed memory
 * (each checked by the oracle: the kernel runs the same calls).
 */
#include "oracle_test.h"

ORACLE_SCENARIO(arguments,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"mseal a 4K 1 => -EINVAL\n"
	"mseal a+1 4K 0 => -EINVAL\n"
	"mseal a 0 0 => 0\n"
	"mseal a 0xffffffffffffffff 0 => -EINVAL\n"
	"mseal 0xfffffffffffff000 0x2000 0 => -EINVAL\n"
	"mseal a+60K 8K 0 => -ENOMEM\n"
	"mseal 0x300000000000 4K 0 => -ENOMEM\n")

ORACLE_SCENARIO(split_merge_and_refusals,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"mseal a+8K 8K 0 => 0\n"
	"mseal a+8K 4K 0 => 0\n"
	"munmap a+8K 4K => -EPERM\n"
	"munmap a 16K => -EPERM\n"
	"mprotect a+8K 4K PROT_READ => -EPERM\n"
	"mprotect a+8K 4K PROT_RW => -EPERM\n"
	"mmap a+12K 4K PROT_RW MAP_PAF|MAP_FIXED -1 0 => -EPERM\n"
	"munmap a+20K 4K => 0\n"
	"mseal a 64K 0 => -ENOMEM\n"
	"mseal a 20K 0 => 0\n"
	"mprotect a+24K 8K PROT_READ => 0\n")

ORACLE_SCENARIO(partial_munmap_split_stays,
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"b=mmap a+16K 16K PROT_READ MAP_PAF -1 0\n"
	"mseal b 16K 0 => 0\n"
	"munmap a+4K 20K => -EPERM\n"
	"mprotect a 32K PROT_READ => -EPERM\n")

ORACLE_SCENARIO(sealed_heap_keeps_break,
	"brk brk0+64K\n"
	"mseal brk0 64K 0 => 0\n"
	"brk brk0+16K\n"
	"brk brk0+128K\n")

ORACLE_SCENARIO(sealed_file_and_shared,
	"file f ${REG} O_RDWR\n"
	"a=mmap 0 16K PROT_READ MAP_SHARED f 0\n"
	"mseal a 16K 0 => 0\n"
	"munmap a 4K => -EPERM\n"
	"b=mmap 0 8K PROT_RW MAP_SHARED|MAP_ANONYMOUS -1 0\n"
	"mseal b 4K 0 => 0\n"
	"mprotect b+4K 4K PROT_READ => 0\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arguments),
		cmocka_unit_test(split_merge_and_refusals),
		cmocka_unit_test(partial_munmap_split_stays),
		cmocka_unit_test(sealed_heap_keeps_break),
		cmocka_unit_test(sealed_file_and_shared),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
