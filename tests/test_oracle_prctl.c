/*
 * test_oracle_prctl.c - what the process changes about itself and the
 * mapping calls then obey, against this kernel: memory-deny-write-execute
 * (PR_SET_MDWE: its argument rules, mmap and mprotect refusing
 * write+exec and exec gain), the THP switch (PR_SET_THP_DISABLE:
 * THPeligible and MADV_COLLAPSE), READ_IMPLIES_EXEC, RLIMIT_MEMLOCK and
 * RLIMIT_AS lowered and capabilities dropped part-way (found by running
 * the kernel's mlock-random-test under shadow).
 */
#include "oracle_test.h"

ORACLE_SCENARIO(mdwe_arguments,
	"prctl PR_GET_MDWE 1 0 0 0 => -EINVAL\n"
	"prctl PR_GET_MDWE 0 0 0 0 => 0\n"
	"prctl PR_SET_MDWE 4 0 0 0 => -EINVAL\n"
	"prctl PR_SET_MDWE 2 0 0 0 => -EINVAL\n"
	"prctl PR_SET_MDWE 1 1 0 0 => -EINVAL\n"
	"prctl PR_SET_MDWE 1 0 0 1 => -EINVAL\n"
	"prctl PR_SET_MDWE 0 0 0 0 => 0\n"
	"prctl PR_SET_MDWE 1 0 0 0 => 0\n"
	"prctl PR_GET_MDWE 0 0 0 0 => 1\n"
	"prctl PR_SET_MDWE 1 0 0 0 => 0\n"
	"prctl PR_SET_MDWE 0 0 0 0 => -EPERM\n"
	"prctl PR_SET_MDWE 3 0 0 0 => -EPERM\n")

ORACLE_SCENARIO(mdwe_no_inherit_is_fixed_too,
	"prctl PR_SET_MDWE 3 0 0 0 => 0\n"
	"prctl PR_GET_MDWE 0 0 0 0 => 3\n"
	"prctl PR_SET_MDWE 1 0 0 0 => -EPERM\n"
	"prctl PR_SET_MDWE 3 0 0 0 => 0\n")

ORACLE_SCENARIO(mdwe_mmap,
	"prctl PR_SET_MDWE 1 0 0 0 => 0\n"
	"mmap 0 4K PROT_RWX MAP_PA -1 0 => -EACCES\n"
	"mmap 0 4K PROT_WRITE|PROT_EXEC MAP_SA -1 0 => -EACCES\n"
	"a=mmap 0 4K PROT_RX MAP_PA -1 0 => ok\n"
	"b=mmap 0 4K PROT_EXEC MAP_PA -1 0 => ok\n"
	"c=mmap 0 4K PROT_RW MAP_PA -1 0 => ok\n"
	/* placement errors come first */
	"mmap 1 4K PROT_RWX MAP_PAF -1 0 => -EINVAL\n"
	"mmap 0 -1 PROT_RWX MAP_PA -1 0 => -ENOMEM\n"
	"file r ${REG} O_RDONLY\n"
	"mmap 0 4K PROT_RWX MAP_PRIVATE r 0 => -EACCES\n"
	"mmap c 4K PROT_RWX MAP_PAF -1 0 => -EACCES\n")

ORACLE_SCENARIO(mdwe_mprotect,
	"a=mmap 0x200000000000 32K PROT_READ MAP_PAF -1 0\n"
	"mprotect a+16K 8K PROT_RX => 0\n"
	"prctl PR_SET_MDWE 1 0 0 0 => 0\n"
	"mprotect a 4K PROT_RX => -EACCES\n"
	"mprotect a 4K PROT_EXEC => -EACCES\n"
	"mprotect a+16K 4K PROT_RWX => -EACCES\n"
	"mprotect a+16K 4K PROT_EXEC => 0\n"
	"mprotect a+16K 4K PROT_READ => 0\n"
	"mprotect a+16K 4K PROT_RX => -EACCES\n"
	"mprotect a+20K 4K PROT_RX => 0\n"
	/* VMA by VMA: the first is changed before the second refuses */
	"mprotect a+20K 8K PROT_READ => 0\n"
	"mprotect a+20K 8K PROT_RX => -EACCES\n"
	"mprotect a 32K PROT_RW => 0\n")

ORACLE_SCENARIO(thp_disable,
	"smaps\n"
	"a=mmap 0 4M PROT_RW MAP_PA -1 0\n"
	"madvise a 4M MADV_HUGEPAGE => 0\n"
	"madvise a 4M MADV_POPULATE_WRITE => 0\n"
	"prctl PR_GET_THP_DISABLE 0 0 0 0 => 0\n"
	"prctl PR_GET_THP_DISABLE 1 0 0 0 => -EINVAL\n"
	"prctl PR_SET_THP_DISABLE 1 1 0 0 => -EINVAL\n"
	"prctl PR_SET_THP_DISABLE 1 0 1 0 => -EINVAL\n"
	"prctl PR_SET_THP_DISABLE 0 2 0 0 => -EINVAL\n"
	"prctl PR_SET_THP_DISABLE 7 0 0 0 => 0\n"
	"prctl PR_GET_THP_DISABLE 0 0 0 0 => 1\n"
	"madvise a 4M MADV_COLLAPSE => -EINVAL\n"
	"prctl PR_SET_THP_DISABLE 1 2 0 0 => 0\n"
	"prctl PR_GET_THP_DISABLE 0 0 0 0 => 3\n"
	"madvise a 4M MADV_COLLAPSE => 0\n"
	"prctl PR_SET_THP_DISABLE 0 0 0 0 => 0\n"
	"prctl PR_GET_THP_DISABLE 0 0 0 0 => 0\n")

ORACLE_SCENARIO(read_implies_exec,
	"personality 0xffffffff => ADDR_NO_RANDOMIZE\n"
	"personality ADDR_NO_RANDOMIZE|READ_IMPLIES_EXEC => ADDR_NO_RANDOMIZE\n"
	"a=mmap 0x200000000000 16K PROT_READ MAP_PAF -1 0\n"
	"b=mmap 0x200000004000 4K PROT_RW MAP_PAF -1 0\n"
	"c=mmap 0x200000005000 4K PROT_WRITE MAP_PAF -1 0\n"
	"file n ${REG} O_RDONLY\n"
	"d=mmap 0 4K PROT_READ MAP_PRIVATE n 0\n"
	"mprotect a 4K PROT_NONE => 0\n"
	"mprotect a 4K PROT_READ => 0\n"
	"mprotect a+4K 4K PROT_WRITE => 0\n"
	"personality ADDR_NO_RANDOMIZE => ADDR_NO_RANDOMIZE|READ_IMPLIES_EXEC\n"
	"mprotect a 24K PROT_READ => 0\n")

ORACLE_SCENARIO(read_implies_exec_sticks_across_vmas,
	"a=mmap 0x200000000000 16K PROT_READ MAP_PAF -1 0\n"
	"file r ${REG} O_RDONLY\n"
	"b=mmap 0x200000004000 4K PROT_READ MAP_PRIVATE|MAP_FIXED r 0\n"
	"mprotect b 4K PROT_READ => 0\n"
	"personality ADDR_NO_RANDOMIZE|READ_IMPLIES_EXEC\n"
	"mprotect a 20K PROT_READ => 0\n")

/* Found by the kernel's mlock-random-test under shadow: the limit is
 * lowered part-way, and the capabilities dropped. */
ORACLE_SCENARIO(memlock_lowered_and_caps_dropped,
	"privileged\n"
	"a=mmap 0x200000000000 1M PROT_RW MAP_PAF -1 0\n"
	"mlock a 512K => 0\n"
	"setrlimit RLIMIT_MEMLOCK 256K 256K => 0\n"
	"munlock a 512K => 0\n"
	"mlock a 512K => 0\n"
	"munlock a 512K => 0\n"
	"capset 0 => 0\n"
	"mlock a 512K => -ENOMEM\n"
	"mlock2 a 256K 1 => 0\n"
	"mlock2 a+256K 8K 1 => -ENOMEM\n"
	"setrlimit RLIMIT_MEMLOCK 0 0 => 0\n"
	"mlock a 4K => -EPERM\n"
	"capset CAP_IPC_LOCK => 0\n"
	"mlock a 4K => 0\n")

ORACLE_SCENARIO(as_and_data_lowered,
	"a=mmap 0x200000000000 64K PROT_RW MAP_PAF -1 0\n"
	"setrlimit RLIMIT_AS 1M 1M => 0\n"
	"mmap 0 4K PROT_READ MAP_PA -1 0 => -ENOMEM\n"
	"setrlimit RLIMIT_AS RLIM_INFINITY RLIM_INFINITY => -EPERM\n"
	"setrlimit RLIMIT_DATA 0 RLIM_INFINITY => 0\n"
	"setrlimit RLIMIT_DATA 8K 4K => -EINVAL\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mdwe_arguments),
		cmocka_unit_test(mdwe_no_inherit_is_fixed_too),
		cmocka_unit_test(mdwe_mmap),
		cmocka_unit_test(mdwe_mprotect),
		cmocka_unit_test(thp_disable),
		cmocka_unit_test(read_implies_exec),
		cmocka_unit_test(read_implies_exec_sticks_across_vmas),
		cmocka_unit_test(memlock_lowered_and_caps_dropped),
		cmocka_unit_test(as_and_data_lowered),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
