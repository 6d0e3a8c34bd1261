/*
 * test_oracle_pkey.c - pkey_mprotect on this machine, whose CPU has no
 * protection keys: key -1 is plain mprotect, any other key is EINVAL but
 * only after mprotect's own argument checks (zero length is still 0,
 * unaligned is EINVAL, a wrapping length ENOMEM).
 */
#include "oracle_test.h"

ORACLE_SCENARIO(no_keys_here,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"pkey_mprotect a 8K PROT_READ -1 => 0\n"
	"pkey_mprotect a 8K PROT_READ 0 => -EINVAL\n"
	"pkey_mprotect a 8K PROT_READ 1 => -EINVAL\n"
	"pkey_mprotect a 0 PROT_READ 1 => 0\n"
	"pkey_mprotect a+1 4K PROT_READ 1 => -EINVAL\n"
	"pkey_mprotect a 0xfffffffffffff000 PROT_READ 1 => -ENOMEM\n"
	"pkey_mprotect 0x300000000000 4K PROT_READ 1 => -EINVAL\n"
	"pkey_mprotect 0x300000000000 4K PROT_READ -1 => -ENOMEM\n"
	"pkey_mprotect a 64K PROT_RW -1 => 0\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_keys_here),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
