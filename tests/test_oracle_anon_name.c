/*
 * test_oracle_anon_name.c - prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME)
 * against this kernel, which is built without CONFIG_ANON_VMA_NAME: the
 * call fails with EINVAL whatever its arguments (valid or not, NULL name
 * or not, mapped or not) and changes nothing, and usermm with the default
 * umm_config (anon_vma_name false) must do the same. The rules with the
 * option on cannot be measured here; test_anon_name.c has them.
 */
#include "oracle_test.h"

/* Requests the option would grant: still EINVAL, maps untouched. */
ORACLE_SCENARIO(anon_name_valid_requests_refused,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"anon_name a 64K heapish => -EINVAL\n"
	"anon_name a+16K 16K part => -EINVAL\n"
	"anon_name a 64K - => -EINVAL\n"
	"anon_name a 0 zero => -EINVAL\n"
	"anon_name a 1 one_byte => -EINVAL\n"
	"b=mmap 0 64K PROT_RW MAP_SA -1 0\n"
	"anon_name b 64K shared => -EINVAL\n"
	"mprotect a+16K 16K PROT_READ => 0\n"
	"anon_name a 64K across_three => -EINVAL\n")

/* Requests the option would refuse in other ways: EINVAL all the same,
 * where the option would give EBADF, ENOMEM or its own EINVAL. */
ORACLE_SCENARIO(anon_name_bad_requests_refused,
	"file f ${REG} O_RDWR\n"
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"c=mmap 0 64K PROT_READ MAP_PRIVATE f 0\n"
	"anon_name c 64K on_a_file => -EINVAL\n"
	"anon_name a+1 4K unaligned => -EINVAL\n"
	"anon_name a 0xfffffffffffff001 huge => -EINVAL\n"
	"anon_name 0x300000000000 4K unmapped => -EINVAL\n"
	"munmap a+16K 4K => 0\n"
	"anon_name a 64K holey => -EINVAL\n"
	"anon_name a 4K bad[char => -EINVAL\n"
	"anon_name a 4K back\\slash => -EINVAL\n"
	"anon_name a 4K "
	"name_of_eighty_characters_is_too_long_for_the_kernel_0123456789_0123456789_012345"
	" => -EINVAL\n")

/* brk, mprotect and munmap around a refused name behave as ever. */
ORACLE_SCENARIO(anon_name_heap_and_neighbours,
	"brk brk0+64K => brk0+64K\n"
	"anon_name brk0 64K heap => -EINVAL\n"
	"brk brk0+128K => brk0+128K\n"
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"b=mmap a+16K 16K PROT_RW MAP_PAF -1 0\n"
	"anon_name b 16K right => -EINVAL\n"
	"mprotect a 32K PROT_READ => 0\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(anon_name_valid_requests_refused),
		cmocka_unit_test(anon_name_bad_requests_refused),
		cmocka_unit_test(anon_name_heap_and_neighbours),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
