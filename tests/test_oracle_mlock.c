/*
 * test_oracle_mlock.c - mlock, mlock2, munlock, mlockall and munlockall
 * against this kernel: rounding, holes, PROT_NONE (locked, then ENOMEM
 * from the populate), MLOCK_ONFAULT, RLIMIT_MEMLOCK (EPERM at 0, ENOMEM
 * over it, already-locked pages not counted twice), splits and merges,
 * MCL_FUTURE on later mmap and brk, and what populating does to merging
 * (a written private VMA gets an anon_vma and keeps VM_ACCOUNT).
 * The runner drops CAP_IPC_LOCK unless a scenario says "privileged".
 */
#include "oracle_test.h"

ORACLE_SCENARIO(rounding_split_merge,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"mlock a+8K+1 4K => 0\n"
	"mlock a+4K 4K => 0\n"
	"mlock a 0 => 0\n"
	"mlock a 0xffffffffffffffff => 0\n"
	"munlock a+4K 8K => 0\n"
	"mlock a 64K => 0\n"
	"munlock a 64K => 0\n")

ORACLE_SCENARIO(holes_and_prot_none,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"mprotect a+16K 4K PROT_NONE => 0\n"
	"mlock a+12K 12K => -ENOMEM\n"
	"mlock a+16K 4K => -ENOMEM\n"
	"munmap a+40K 4K => 0\n"
	"mlock a+32K 16K => -ENOMEM\n"
	"munlock a+32K 16K => -ENOMEM\n"
	"mlock 0x300000000000 4K => -ENOMEM\n"
	"mprotect a 64K PROT_READ\n")

ORACLE_SCENARIO(mlock2_flags,
	"a=mmap 0x200000000000 32K PROT_RW MAP_PAF -1 0\n"
	"mlock2 a 4K 2 => -EINVAL\n"
	"mlock2 a 8K 1 => 0\n"
	"mlock2 a+8K 8K 0 => 0\n"
	"mlock2 a 16K 1 => 0\n"
	"munlock a 16K => 0\n")

ORACLE_SCENARIO(memlock_limits,
	"rlimit memlock 16K 16K\n"
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"mlock a 16K => 0\n"
	"mlock a+8K 8K => 0\n"
	"mlock a+8K 12K => -ENOMEM\n"
	"munlock a 8K => 0\n"
	"mlock a+16K 8K => 0\n")

ORACLE_SCENARIO(memlock_zero_is_eperm,
	"rlimit memlock 0 0\n"
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"mlock a 4K => -EPERM\n"
	"mlockall 1 => -EPERM\n"
	"munlock a 4K => 0\n")

ORACLE_SCENARIO(mlockall_arguments,
	"mlockall 0 => -EINVAL\n"
	"mlockall 4 => -EINVAL\n"
	"mlockall 8 => -EINVAL\n"
	"mlockall 1 => -ENOMEM\n"
	"munlockall => 0\n")

ORACLE_SCENARIO(mcl_future_locks_later_mappings,
	"mlockall 2 => 0\n"
	"a=mmap 0 16K PROT_RW MAP_PA -1 0\n"
	"b=mmap 0 16K PROT_READ MAP_PA -1 0\n"
	"brk brk0+8K\n"
	"c=mmap 0 16M PROT_RW MAP_PA -1 0 => -EAGAIN\n"
	"munlockall => 0\n"
	"d=mmap 0 16K PROT_RW MAP_PA -1 0\n")

ORACLE_SCENARIO(mcl_future_onfault,
	"mlockall 6 => 0\n"
	"a=mmap 0 16K PROT_RW MAP_PA -1 0\n"
	"munlockall => 0\n")

ORACLE_SCENARIO(mlockall_current_privileged,
	"privileged\n"
	"a=mmap 0x200000000000 16K PROT_RW MAP_PAF -1 0\n"
	"mprotect a+4K 4K PROT_NONE\n"
	"mlockall 3 => 0\n"
	"b=mmap 0 8K PROT_RW MAP_PA -1 0\n"
	"munlockall => 0\n"
	"mprotect a 16K PROT_READ\n")

ORACLE_SCENARIO(populate_keeps_account,
	"a=mmap 0x200000000000 32K PROT_RW MAP_PAF -1 0\n"
	"mlock a 8K => 0\n"
	"munlock a 8K => 0\n"
	"mprotect a 32K PROT_READ => 0\n"
	"mprotect a 32K PROT_RW => 0\n")

ORACLE_SCENARIO(file_past_eof,
	"file f ${REG} O_RDONLY\n"
	"a=mmap 0 2M PROT_READ MAP_PRIVATE f 0\n"
	"mlock a 4K => 0\n"
	"mlock a 2M => -ENOMEM\n"
	"mlock a 1M => 0\n")

/* A droppable mapping never takes VM_LOCKED, but a new one is merged
 * (or not) while def_flags still give it VM_LOCKED: equal neighbours
 * stay apart (found by fuzzing: the invariant checker wanted a merge). */
ORACLE_SCENARIO(mcl_future_droppable_stays_apart,
	"privileged\n"
	"smaps\n"
	"a=mmap 0x200000000000 8K PROT_NONE MAP_DROPPABLE|MAP_ANONYMOUS|MAP_FIXED -1 0\n"
	"mlockall 7 => 0\n"
	"b=mmap a+8K 8K PROT_NONE MAP_DROPPABLE|MAP_ANONYMOUS|MAP_FIXED -1 0\n"
	"c=mmap a-8K 8K PROT_NONE MAP_DROPPABLE|MAP_ANONYMOUS|MAP_FIXED -1 0\n"
	"d=mmap 0 8K PROT_READ MAP_DROPPABLE|MAP_ANONYMOUS -1 0\n"
	"e=mmap 0 8K PROT_READ MAP_DROPPABLE|MAP_ANONYMOUS -1 0\n"
	"munlockall => 0\n"
	"f=mmap a+16K 8K PROT_NONE MAP_DROPPABLE|MAP_ANONYMOUS|MAP_FIXED -1 0\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rounding_split_merge),
		cmocka_unit_test(holes_and_prot_none),
		cmocka_unit_test(mlock2_flags),
		cmocka_unit_test(memlock_limits),
		cmocka_unit_test(memlock_zero_is_eperm),
		cmocka_unit_test(mlockall_arguments),
		cmocka_unit_test(mcl_future_locks_later_mappings),
		cmocka_unit_test(mcl_future_onfault),
		cmocka_unit_test(mlockall_current_privileged),
		cmocka_unit_test(populate_keeps_account),
		cmocka_unit_test(file_past_eof),
		cmocka_unit_test(mcl_future_droppable_stays_apart),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
