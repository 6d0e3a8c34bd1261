/*
 * test_oracle_remap_file_pages.c - remap_file_pages(2) as this kernel
 * emulates it (a MAP_FIXED shared mapping of the same file at another
 * offset): its argument rules, the VMAs it may span, what the new VMA
 * keeps of the old one, and mmap's own refusals behind it.
 */
#include "oracle_test.h"

ORACLE_SCENARIO(arguments,
	"file s ${SHM} O_RDWR\n"
	"a=mmap 0x200000000000 64K PROT_RW MAP_SHARED|MAP_FIXED s 0\n"
	"remap_file_pages a 4K PROT_READ 0 0 => -EINVAL\n"
	"remap_file_pages a 0 0 0 0 => -EINVAL\n"
	"remap_file_pages a 4095 0 0 0 => -EINVAL\n"
	"remap_file_pages a 4K 0 -1 0 => -EINVAL\n"
	"remap_file_pages 0xfffffffffffff000 8K 0 0 0 => -EINVAL\n"
	"remap_file_pages a-4K 8K 0 0 0 => -EINVAL\n"
	"remap_file_pages a+1 4K+5 0 2 0 => 0\n"
	"remap_file_pages a+8K 8K 0 7 0xffffffff => 0\n"
	"remap_file_pages a+60K 8K 0 0 0 => -EINVAL\n"
	"remap_file_pages a+4K 4K 0 0x7fffffffffff0 0 => 0\n"
	"remap_file_pages a+4K 4K 0 0x7ffffffffffff 0 => -EOVERFLOW\n")

ORACLE_SCENARIO(spans_equal_vmas,
	"smaps\n"
	"file s ${SHM} O_RDWR\n"
	"a=mmap 0x200000000000 64K PROT_RW MAP_SHARED|MAP_FIXED s 0\n"
	"remap_file_pages a+16K 4K 0 40 0 => 0\n"
	"remap_file_pages a+12K 16K 0 3 0 => 0\n"
	"remap_file_pages a 64K 0 0 0 => 0\n"
	"madvise a+8K 4K MADV_DONTDUMP => 0\n"
	"remap_file_pages a 16K 0 5 0 => -EINVAL\n"
	"remap_file_pages a+8K 4K 0 5 0 => 0\n"
	"mprotect a+32K 4K PROT_READ => 0\n"
	"remap_file_pages a+28K 8K 0 5 0 => -EINVAL\n"
	"remap_file_pages a+32K 4K 0 9 0 => 0\n")

ORACLE_SCENARIO(what_may_be_remapped,
	"file s ${SHM} O_RDWR\n"
	"file r ${SHM} O_RDONLY\n"
	"file t ${SHM} O_RDWR\n"
	"a=mmap 0x200000000000 16K PROT_RW MAP_PRIVATE|MAP_FIXED s 0\n"
	"remap_file_pages a 4K 0 1 0 => -EINVAL\n"
	"b=mmap 0x200000100000 16K PROT_READ MAP_SHARED|MAP_FIXED r 0\n"
	"remap_file_pages b 4K 0 1 0 => -EINVAL\n"
	"c=mmap 0x200000200000 16K PROT_RW MAP_SA|MAP_FIXED -1 0\n"
	"remap_file_pages c 4K 0 2 0 => 0\n"
	"remap_file_pages c 8K 0 15 0 => 0\n"
	"d=mmap 0x200000300000 8K PROT_RW MAP_SHARED|MAP_FIXED s 0\n"
	"e=mmap 0x200000302000 8K PROT_RW MAP_SHARED|MAP_FIXED t 2\n"
	"remap_file_pages d 16K 0 0 0 => -EINVAL\n"
	"remap_file_pages 0x200000400000 4K 0 0 0 => -EINVAL\n")

ORACLE_SCENARIO(sealed_locked_and_mdwe,
	"privileged\n"
	"smaps\n"
	"file s ${SHM} O_RDWR\n"
	"a=mmap 0x200000000000 16K PROT_RW MAP_SHARED|MAP_FIXED s 0\n"
	"mlock a 8K => 0\n"
	"remap_file_pages a 4K 0 3 0 => 0\n"
	"mseal a+12K 4K 0 => 0\n"
	"remap_file_pages a+12K 4K 0 1 0 => -EPERM\n"
	"b=mmap 0x200000100000 16K PROT_RWX MAP_SHARED|MAP_FIXED s 0\n"
	"prctl PR_SET_MDWE 1 0 0 0 => 0\n"
	"remap_file_pages b 4K 0 1 0 => -EACCES\n"
	"remap_file_pages a+8K 4K 0 1 0 => 0\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arguments),
		cmocka_unit_test(spans_equal_vmas),
		cmocka_unit_test(what_may_be_remapped),
		cmocka_unit_test(sealed_locked_and_mdwe),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
