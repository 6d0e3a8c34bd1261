/*
 * test_oracle_msync.c - msync and mincore against this kernel: argument
 * rules, holes (ENOMEM after the mapped parts, or at once for a plain
 * MS_ASYNC), EBUSY for MS_INVALIDATE on locked memory, mincore's range
 * checks. Only results are compared (and the maps, which these calls
 * never change); mincore's residency bytes are not (see usermm.h).
 * Mapped parts of mincore ranges stay within the runner's 64 MiB vector.
 */
#include "oracle_test.h"

ORACLE_SCENARIO(msync_arguments,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"msync a 4K 8 => -EINVAL\n"
	"msync a+1 4K 4 => -EINVAL\n"
	"msync a 4K 5 => -EINVAL\n"
	"msync a 0 4 => 0\n"
	"msync a 0xfffffffffffff000 4 => -ENOMEM\n"
	"msync a 4K 0 => 0\n"
	"msync a 64K 6 => 0\n"
	"msync a 64K 3 => 0\n")

ORACLE_SCENARIO(msync_holes_and_locks,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"munmap a+16K 4K => 0\n"
	"msync a 32K 1 => -ENOMEM\n"
	"msync a 32K 4 => -ENOMEM\n"
	"msync a 32K 0 => -ENOMEM\n"
	"msync a+16K 4K 4 => -ENOMEM\n"
	"msync a-4K 8K 1 => -ENOMEM\n"
	"msync a-4K 8K 4 => -ENOMEM\n"
	"msync 0x300000000000 4K 4 => -ENOMEM\n"
	"mlock a+32K 4K => 0\n"
	"msync a+20K 16K 2 => -EBUSY\n"
	"msync a 32K 2 => -ENOMEM\n"
	"msync a+20K 16K 4 => 0\n")

ORACLE_SCENARIO(msync_files,
	"file f ${REG} O_RDWR\n"
	"a=mmap 0 64K PROT_RW MAP_SHARED f 0\n"
	"msync a 64K 4 => 0\n"
	"msync a 64K 1 => 0\n"
	"b=mmap 0 16K PROT_READ MAP_PRIVATE f 0\n"
	"msync b 16K 6 => 0\n")

ORACLE_SCENARIO(mincore_rules,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"mincore a 64K => 0\n"
	"mincore a+1 4K => -EINVAL\n"
	"mincore a 0 => 0\n"
	"mincore a 1 => 0\n"
	"munmap a+16K 4K => 0\n"
	"mincore a 64K => -ENOMEM\n"
	"mincore a+16K 4K => -ENOMEM\n"
	"mincore 0x7ffffffff000 0x2000 => -ENOMEM\n"
	"mincore a 0x8000000000000000 => -ENOMEM\n"
	"mincore 0xfffffffffffff000 4K => -ENOMEM\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msync_arguments),
		cmocka_unit_test(msync_holes_and_locks),
		cmocka_unit_test(msync_files),
		cmocka_unit_test(mincore_rules),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
