/*
 * test_oracle_mmap.c - mmap(2) scenarios judged by the kernel: every MAP_
 * flag, hints, THP alignment, the order of errno checks, file modes and
 * merging. Each scenario runs on the kernel (kernel_runner) and through
 * usermm; results and /proc/PID/maps must agree after every op. The
 * "=> ..." expectations are what this machine's 6.18 kernel returned.
 * Scratch area for fixed mappings: 0x100000000000 (free in the runner).
 */
#include "oracle_test.h"

/* ---- anonymous placement ---------------------------------------------- */

ORACLE_SCENARIO(anon_first_small,
	"a=mmap 0 4K PROT_RW MAP_PA -1 0 => ok\n"
	"b=mmap 0 4K PROT_RW MAP_PA -1 0 => a-4K\n")

ORACLE_SCENARIO(anon_fills_gaps_then_goes_below,
	"mmap 0 16K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0 16K PROT_RW MAP_PA -1 0 => ok\n"
	"mmap 0 64K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0 1M PROT_NONE MAP_PA -1 0 => ok\n"
	"mmap 0 12K PROT_EXEC MAP_PA -1 0 => ok\n"
	"mmap 0 4K PROT_WRITE MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(anon_prot_bits_ignored,
	/* PROT_GROWSDOWN, PROT_SEM and unknown bits are not checked by mmap */
	"a=mmap 0 4K PROT_READ|PROT_GROWSDOWN MAP_PA -1 0 => ok\n"
	"b=mmap 0 4K PROT_READ|PROT_SEM MAP_PA -1 0 => a-4K\n"
	"c=mmap 0 4K PROT_READ|0x10 MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(anon_ignored_flags,
	"mmap 0 4K PROT_READ MAP_PA|MAP_UNINITIALIZED|MAP_DENYWRITE|MAP_EXECUTABLE -1 0 => ok\n"
	"mmap 0 4K PROT_READ MAP_PA|0x200|0x400|0x200000|0x1000000 -1 0 => ok\n"
	"mmap 0 4K PROT_READ MAP_PA|MAP_ABOVE4G -1 0 => ok\n")

ORACLE_SCENARIO(anon_offset_ignored_but_checked,
	"mmap 0 8K PROT_RW MAP_PA -1 -8K => ok\n"
	"mmap 0 8K PROT_RW MAP_PA -1 0x10000000 => ok\n"
	"mmap 0 8K PROT_RW MAP_PA -1 0x123 => -EINVAL\n"
	"mmap 0 8K PROT_RW MAP_SA -1 -4K => ok\n")

/* ---- THP alignment of anonymous mappings ------------------------------- */

ORACLE_SCENARIO(thp_align_multiples_of_2m,
	"mmap 0 4K PROT_READ MAP_PA -1 0\n"
	"mmap 0 2M PROT_RW MAP_PA -1 0 => align:2M\n"
	"mmap 0 4M PROT_READ MAP_PA -1 0 => align:2M\n"
	"mmap 0 6M PROT_READ MAP_PA -1 0 => align:2M\n"
	"mmap 0 8M PROT_NONE MAP_PA -1 0 => align:2M\n")

ORACLE_SCENARIO(thp_no_align_other_lengths,
	"mmap 0 4K PROT_READ MAP_PA -1 0\n"
	"mmap 0 3M PROT_READ MAP_PA -1 0 => !align:2M\n"
	"mmap 0 5M PROT_RW MAP_PA -1 0 => !align:2M\n"
	"mmap 0 2M+4K PROT_READ MAP_PA -1 0 => !align:2M\n"
	"mmap 0 1M PROT_READ MAP_PA -1 0 => !align:2M\n")

ORACLE_SCENARIO(thp_len_rounded_before_check,
	"mmap 0 4K PROT_READ MAP_PA -1 0\n"
	"mmap 0 2M-1 PROT_READ MAP_PA -1 0 => align:2M\n")

ORACLE_SCENARIO(thp_stack_noreserve_growsdown_aligned,
	"mmap 0 4K PROT_READ MAP_PA -1 0\n"
	"mmap 0 2M PROT_RW MAP_PA|MAP_STACK -1 0 => align:2M\n"
	"mmap 0 2M PROT_RW MAP_PA|MAP_NORESERVE -1 0 => align:2M\n"
	"mmap 0 2M PROT_RW MAP_PA|MAP_GROWSDOWN -1 0 => align:2M\n"
	"mmap 0 2M PROT_RW MAP_PA|MAP_POPULATE -1 0 => align:2M\n")

ORACLE_SCENARIO(thp_not_with_hint,
	"mmap 0x100000001000 2M PROT_READ MAP_PA -1 0 => 0x100000001000\n"
	"mmap 0x100000001000 2M PROT_READ MAP_PA -1 0 => ok\n")

/* Files on ext4 go through thp_get_unmapped_area: the address is made
 * congruent to the offset modulo 2M when [off, off+len) holds a whole
 * aligned 2M block. The first fresh 2M/4M slot (below libc) is unaligned. */
ORACLE_SCENARIO(thp_file_offset_zero,
	"file r ${REG} O_RDONLY\n"
	"mmap 0 2M PROT_READ MAP_PRIVATE r 0 => align:2M\n")

ORACLE_SCENARIO(thp_file_offset_too_short,
	"file r ${REG} O_RDONLY\n"
	"mmap 0 2M PROT_READ MAP_PRIVATE r 4K => !align:2M\n")

ORACLE_SCENARIO(thp_file_offset_congruent,
	"file r ${REG} O_RDONLY\n"
	"mmap 0 4M PROT_READ MAP_SHARED r 4K => !align:2M\n"
	"mmap 0 3M PROT_READ MAP_PRIVATE r 1M => !align:2M\n"
	"mmap 0 2M PROT_READ MAP_PRIVATE r 2M => align:2M\n")

ORACLE_SCENARIO(thp_file_with_hint,
	"file r ${REG} O_RDONLY\n"
	"mmap 0x100000001000 2M PROT_READ MAP_PRIVATE r 0 => 0x100000001000\n")

/* /dev/zero: private mappings take the file path (offset-congruent THP
 * alignment), shared ones become shmem (no alignment). */
ORACLE_SCENARIO(thp_dev_zero,
	"file z ${ZERO} O_RDWR\n"
	"mmap 0 2M PROT_READ MAP_PRIVATE z 0 => align:2M\n"
	"mmap 0 4M PROT_READ MAP_PRIVATE z 4K => !align:2M\n"
	"mmap 0 2M PROT_RW MAP_SHARED z 0 => !align:2M\n"
	"mmap 0 2M PROT_READ MAP_PRIVATE z 4K => !align:2M\n")

ORACLE_SCENARIO(thp_not_for_shared_anon_or_tmpfs,
	"file s ${SHM} O_RDWR\n"
	"mmap 0 2M PROT_READ MAP_SA -1 0 => !align:2M\n"
	"mmap 0 2M PROT_READ MAP_SHARED s 0 => !align:2M\n"
	"mmap 0 2M PROT_READ MAP_PRIVATE s 0 => !align:2M\n")

ORACLE_SCENARIO(thp_32bit_bottom_up_skips_first_pmd,
	/* MMF_TOPDOWN is still set: an aligned bottom-up result moves up 2M */
	"mmap 0 2M PROT_READ MAP_PA|MAP_32BIT -1 0 => 0x40200000\n"
	"mmap 0 4K PROT_READ MAP_PA|MAP_32BIT -1 0 => 0x40000000\n"
	"mmap 0 2M PROT_READ MAP_PA|MAP_32BIT -1 0 => 0x40600000\n")

ORACLE_SCENARIO(thp_below_growsdown_keeps_guard_gap,
	"g=mmap 0 2M PROT_RW MAP_PA|MAP_GROWSDOWN -1 0 => align:2M\n"
	"mmap 0 2M PROT_RW MAP_PA -1 0 => g-4M\n"
	"mmap 0 4K PROT_RW MAP_PA -1 0 => ok\n")

/* ---- hints ----------------------------------------------------------- */

ORACLE_SCENARIO(hint_free_exact,
	"mmap 0x200000000000 4K PROT_READ MAP_PA -1 0 => 0x200000000000\n"
	"mmap 0x200000002000 8K PROT_READ MAP_PA -1 0 => 0x200000002000\n"
	"mmap 0x200000001000 4K PROT_READ MAP_PA -1 0 => 0x200000001000\n")

ORACLE_SCENARIO(hint_rounded_down,
	"mmap 0x200000000123 4K PROT_READ MAP_PA -1 0 => 0x200000000000\n"
	"mmap 0x200000001fff 4K PROT_READ MAP_PA -1 0 => 0x200000001000\n")

ORACLE_SCENARIO(hint_floor_65536,
	"mmap 0x1000 4K PROT_READ MAP_PA -1 0 => 0x10000\n"
	"mmap 0xf000 4K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0x5 4K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0xfff 4K PROT_READ MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(hint_47bit_window,
	"mmap 0x800000000000 4K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0xffff800000000000 4K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0x7ffffffff000 4K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0x7fffff000000 8K PROT_READ MAP_PA -1 0 => 0x7fffff000000\n"
	"mmap TASK_SIZE-0x100000000 4K PROT_READ MAP_PA -1 0 => TASK_SIZE-0x100000000\n")

ORACLE_SCENARIO(hint_over_existing_mapping,
	"a=mmap 0x200000000000 64K PROT_READ MAP_PA -1 0 => 0x200000000000\n"
	"mmap a+16K 4K PROT_RW MAP_PA -1 0 => ok\n"
	"mmap a-4K 8K PROT_RW MAP_PA -1 0 => ok\n"
	"mmap a-8K 8K PROT_RW MAP_PA -1 0 => a-8K\n"
	"mmap a+64K 4K PROT_RW MAP_PA -1 0 => a+64K\n")

ORACLE_SCENARIO(hint_on_runner_text,
	"mmap 0x555555554000 4K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0x7ffff7ffd000 4K PROT_READ MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(hint_gap_too_small,
	"a=mmap 0x200000000000 4K PROT_READ MAP_PA -1 0\n"
	"b=mmap 0x200000003000 4K PROT_READ MAP_PA -1 0\n"
	"mmap a+4K 12K PROT_RW MAP_PA -1 0 => ok\n"
	"mmap a+4K 8K PROT_RW MAP_PA -1 0 => a+4K\n")

ORACLE_SCENARIO(hint_below_growsdown_guard,
	"g=mmap 0x200000100000 64K PROT_RW MAP_PA|MAP_GROWSDOWN -1 0 => 0x200000100000\n"
	"mmap g-32K 16K PROT_RW MAP_PA -1 0 => ok\n"
	"mmap g-1M-16K 16K PROT_RW MAP_PA -1 0 => g-1M-16K\n"
	"mmap g-1M-8K 16K PROT_RW MAP_PA -1 0 => ok\n"
	"mmap g+64K 16K PROT_RW MAP_PA -1 0 => g+64K\n")

/* ---- MAP_FIXED / MAP_FIXED_NOREPLACE --------------------------------- */

ORACLE_SCENARIO(fixed_basic_and_replace_middle,
	"a=mmap 0x100000000000 64K PROT_RW MAP_PAF -1 0 => 0x100000000000\n"
	"mmap a+16K 16K PROT_READ MAP_PAF -1 0 => a+16K\n"
	"mmap a+16K 16K PROT_RW MAP_PAF -1 0 => a+16K\n"
	"mmap a+60K 8K PROT_EXEC MAP_PAF -1 0 => a+60K\n")

ORACLE_SCENARIO(fixed_spanning_several,
	"a=mmap 0x100000000000 4K PROT_READ MAP_PAF -1 0\n"
	"mmap a+8K 4K PROT_RW MAP_PAF -1 0\n"
	"mmap a+16K 4K PROT_EXEC MAP_PAF -1 0\n"
	"mmap a+24K 4K PROT_NONE MAP_PAF -1 0\n"
	"mmap a+2K 20K PROT_RW MAP_PAF -1 0 => -EINVAL\n"
	"mmap a+4K 20K PROT_RW MAP_PAF -1 0 => a+4K\n"
	"mmap a 32K PROT_READ MAP_SAF -1 0 => a\n")

ORACLE_SCENARIO(fixed_noreplace,
	"a=mmap 0x100000000000 16K PROT_RW MAP_PA|MAP_FIXED_NOREPLACE -1 0 => 0x100000000000\n"
	"mmap a 4K PROT_RW MAP_PA|MAP_FIXED_NOREPLACE -1 0 => -EEXIST\n"
	"mmap a-4K 8K PROT_RW MAP_PA|MAP_FIXED_NOREPLACE -1 0 => -EEXIST\n"
	"mmap a+12K 8K PROT_RW MAP_PA|MAP_FIXED_NOREPLACE -1 0 => -EEXIST\n"
	"mmap a-4K 4K PROT_RW MAP_PA|MAP_FIXED_NOREPLACE -1 0 => a-4K\n"
	"mmap a+16K 4K PROT_RW MAP_PA|MAP_FIXED_NOREPLACE -1 0 => a+16K\n"
	"mmap a+1 4K PROT_RW MAP_PA|MAP_FIXED_NOREPLACE -1 0 => -EINVAL\n"
	"mmap 0 4K PROT_RW MAP_PA|MAP_FIXED_NOREPLACE -1 0 => -EPERM\n"
	"mmap TASK_SIZE 4K PROT_RW MAP_PA|MAP_FIXED_NOREPLACE -1 0 => -ENOMEM\n"
	"mmap 0x7ffffffde000 4K PROT_RW MAP_PA|MAP_FIXED_NOREPLACE -1 0 => -EEXIST\n")

ORACLE_SCENARIO(fixed_noreplace_with_shared_validate,
	"file r ${REG} O_RDONLY\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|MAP_FIXED_NOREPLACE r 0 => -EPERM\n"
	/* MAP_FIXED_NOREPLACE is not a legacy flag */
	"mmap 0x100000000000 4K PROT_READ MAP_SHARED_VALIDATE|MAP_FIXED_NOREPLACE r 0 "
	"=> -EOPNOTSUPP\n"
	"mmap 0x100000000000 4K PROT_READ MAP_SHARED_VALIDATE|MAP_FIXED r 0 => 0x100000000000\n")

ORACLE_SCENARIO(fixed_unaligned_and_limits,
	"mmap 0x100000000001 4K PROT_READ MAP_PAF -1 0 => -EINVAL\n"
	"mmap 0x100000000800 4K PROT_READ MAP_PAF -1 0 => -EINVAL\n"
	"mmap TASK_SIZE 4K PROT_READ MAP_PAF -1 0 => -ENOMEM\n"
	"mmap TASK_SIZE-4K 8K PROT_READ MAP_PAF -1 0 => -ENOMEM\n"
	"mmap 0x800000000000 4K PROT_READ MAP_PAF -1 0 => -ENOMEM\n"
	"mmap 0xfffffffffffff000 4K PROT_READ MAP_PAF -1 0 => -ENOMEM\n"
	"mmap 0x7fff00000000 4K PROT_READ MAP_PAF -1 0 => 0x7fff00000000\n")

ORACLE_SCENARIO(fixed_below_mmap_min_addr_unprivileged,
	/* The runner dropped CAP_SYS_RAWIO: vm.mmap_min_addr (4096 here)
	 * applies to MAP_FIXED; the hint floor is 65536. */
	"mmap 0 4K PROT_READ MAP_PAF -1 0 => -EPERM\n"
	"mmap 0 8K PROT_READ MAP_PAF -1 0 => -EPERM\n"
	"mmap 0x1000 4K PROT_READ MAP_PAF -1 0 => 0x1000\n"
	"mmap 0xf000 4K PROT_READ MAP_PAF -1 0 => 0xf000\n"
	"mmap 0x1000 4K PROT_READ MAP_PA|MAP_FIXED_NOREPLACE -1 0 => -EEXIST\n")

ORACLE_SCENARIO(fixed_below_mmap_min_addr_privileged,
	/* "privileged": the runner keeps CAP_SYS_RAWIO (and the config says so) */
	"privileged\n"
	"mmap 0 4K PROT_READ MAP_PAF -1 0 => 0\n"
	"mmap 0x1000 4K PROT_RW MAP_PAF -1 0 => 0x1000\n")

ORACLE_SCENARIO(fixed_over_runner_heap_area,
	"mmap brk0 8K PROT_RW MAP_PAF -1 0 => brk0\n"
	"brk brk0+4K => brk0\n")

/* ---- lengths and offsets --------------------------------------------- */

ORACLE_SCENARIO(len_errors,
	"mmap 0 0 PROT_READ MAP_PA -1 0 => -EINVAL\n"
	"mmap 0 -1 PROT_READ MAP_PA -1 0 => -ENOMEM\n"
	"mmap 0 -4K PROT_READ MAP_PA -1 0 => -ENOMEM\n"
	"mmap 0 0x800000000000 PROT_READ MAP_PA -1 0 => -ENOMEM\n"
	"mmap 0 TASK_SIZE PROT_READ MAP_PA|MAP_NORESERVE -1 0 => -ENOMEM\n"
	"mmap 0x100000000000 -1 PROT_READ MAP_PAF -1 0 => -ENOMEM\n"
	"mmap 0 1 PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0 4097 PROT_READ MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(huge_reservations,
	"mmap 0 64G PROT_READ MAP_PA -1 0 => align:2M\n"
	"mmap 0 1T PROT_NONE MAP_PA|MAP_NORESERVE -1 0 => ok\n"
	"mmap 0 64T PROT_NONE MAP_PA|MAP_NORESERVE -1 0 => ok\n"
	"mmap 0 64T PROT_NONE MAP_PA|MAP_NORESERVE -1 0 => -ENOMEM\n")

ORACLE_SCENARIO(overcommit_guess_limit,
	/* mode 0: one private writable request larger than RAM+swap fails */
	"mmap 0 1T PROT_RW MAP_PA -1 0 => -ENOMEM\n"
	"mmap 0 1T PROT_RW MAP_PA|MAP_NORESERVE -1 0 => ok\n"
	"mmap 0 1T PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0 1T PROT_RW MAP_SA -1 0 => -ENOMEM\n"
	"mmap 0 1T PROT_RW MAP_SA|MAP_NORESERVE -1 0 => ok\n")

/* ---- errno order ---------------------------------------------------- */

ORACLE_SCENARIO(errno_order_badf_inval,
	"file r ${REG} O_RDONLY\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE -1 0 => -EBADF\n"
	"mmap 0 0 PROT_READ MAP_PRIVATE -1 0 => -EBADF\n"
	"mmap 0 4K PROT_READ 0 -1 0 => -EBADF\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE -1 0x123 => -EINVAL\n"
	"mmap 0 0 PROT_READ MAP_PRIVATE r 0 => -EINVAL\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE r 100 => -EINVAL\n"
	"mmap 0 4K PROT_READ 0 r 0 => -EINVAL\n"
	"mmap 0 4K PROT_READ 0xf r 0 => -EINVAL\n"
	"mmap 0 -1 PROT_READ MAP_PRIVATE r 0 => -ENOMEM\n")

ORACLE_SCENARIO(errno_anon_types,
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|MAP_ANONYMOUS -1 0 => -EINVAL\n"
	"mmap 0 4K PROT_READ 0|MAP_ANONYMOUS -1 0 => -EINVAL\n"
	"mmap 0 4K PROT_READ 4|MAP_ANONYMOUS -1 0 => -EINVAL\n"
	"mmap 0 4K PROT_READ 0xf|MAP_ANONYMOUS -1 0 => -EINVAL\n"
	"mmap 0 4K PROT_READ MAP_SA|MAP_GROWSDOWN -1 0 => -EINVAL\n"
	"mmap 0 4K PROT_READ MAP_PA|MAP_GROWSDOWN -1 0 => ok\n")

ORACLE_SCENARIO(errno_inval_before_perm,
	"mmap 1 4K PROT_READ MAP_PAF -1 0 => -EINVAL\n"
	"mmap 0 0 PROT_READ MAP_PAF -1 0 => -EINVAL\n"
	"mmap 0 4K PROT_READ MAP_PAF -1 1 => -EINVAL\n")

ORACLE_SCENARIO(errno_fixed_anon_with_fd_ignored,
	"file w ${REG} O_WRONLY\n"
	"mmap 0x100000000000 4K PROT_RW MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED w 0 => 0x100000000000\n"
	"mmap 0 4K PROT_RW MAP_PA w 0x1000 => ok\n")

/* An O_PATH descriptor cannot be mapped: EBADF before any other check
 * (fget refuses it) but the offset's alignment, which the system call
 * checks on entry; with MAP_ANONYMOUS the fd is ignored as ever. */
ORACLE_SCENARIO(errno_o_path_is_badf,
	"file p ${REG} O_PATH\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE p 0 => -EBADF\n"
	"mmap 0 0 PROT_READ MAP_PRIVATE p 0 => -EBADF\n"
	"mmap 0 4K PROT_READ 0 p 0x123 => -EINVAL\n"
	"mmap 0 4K PROT_READ 0 p 0 => -EBADF\n"
	"mmap 0 4K PROT_RW MAP_SHARED p 0 => -EBADF\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE|MAP_HUGETLB p 0 => -EBADF\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS p 0 => ok\n")

/* A hugetlbfs memfd (MFD_HUGETLB): the length is rounded up to huge
 * pages first (-1 wraps to 0: EINVAL), the address and offset must be aligned to
 * them, and a mapping that needs the (empty) pool's pages is ENOMEM. */
ORACLE_SCENARIO(file_hugetlb_memfd,
	"file h ${HUGE_MEMFD} O_RDWR\n"
	"mmap 0 4K PROT_RW MAP_SHARED h 0 => -ENOMEM\n"
	"mmap 0 4K PROT_RW MAP_PRIVATE h 0 => -ENOMEM\n"
	"a=mmap 0 4K PROT_RW MAP_SHARED|MAP_NORESERVE h 0 => align:2M\n"
	"b=mmap 0 2M+1 PROT_READ MAP_PRIVATE|MAP_NORESERVE h 0 => align:2M\n"
	"mmap 0 4K PROT_RW MAP_SHARED|MAP_NORESERVE h 4K => -EINVAL\n"
	"c=mmap 0 4K PROT_RW MAP_SHARED|MAP_NORESERVE|MAP_HUGETLB h 2M => align:2M\n"
	"mmap a+4K 4K PROT_RW MAP_SHARED|MAP_NORESERVE|MAP_FIXED h 0 => -EINVAL\n"
	"mmap 0 -1 PROT_RW MAP_SHARED|MAP_NORESERVE h 0 => -EINVAL\n"
	"munmap a 4K => -EINVAL\n"
	"munmap b 2M => 0\n")

/* ---- files: modes ---------------------------------------------------- */

ORACLE_SCENARIO(file_modes_private,
	"file r ${REG} O_RDONLY\n"
	"file w ${REG} O_WRONLY\n"
	"file rw ${REG} O_RDWR\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE w 0 => -EACCES\n"
	"mmap 0 4K PROT_NONE MAP_PRIVATE w 0 => -EACCES\n"
	"mmap 0 4K PROT_RW MAP_PRIVATE r 0 => ok\n"
	"mmap 0 4K PROT_RWX MAP_PRIVATE r 4K => ok\n"
	"mmap 0 4K PROT_RW MAP_PRIVATE rw 0 => ok\n")

ORACLE_SCENARIO(file_modes_shared,
	"file r ${REG} O_RDONLY\n"
	"file w ${REG} O_WRONLY\n"
	"file rw ${REG} O_RDWR\n"
	"file ra ${REG} O_RDWR|O_APPEND\n"
	"mmap 0 4K PROT_READ MAP_SHARED w 0 => -EACCES\n"
	"mmap 0 4K PROT_WRITE MAP_SHARED w 0 => -EACCES\n"
	"mmap 0 4K PROT_RW MAP_SHARED r 0 => -EACCES\n"
	"mmap 0 4K PROT_WRITE MAP_SHARED_VALIDATE r 0 => -EACCES\n"
	"mmap 0 4K PROT_READ MAP_SHARED r 0 => ok\n"
	"mmap 0 4K PROT_RW MAP_SHARED rw 0 => ok\n"
	"mmap 0 4K PROT_RW MAP_SHARED ra 0 => ok\n"
	"mmap 0 4K PROT_RWX MAP_SHARED rw 8K => ok\n")

ORACLE_SCENARIO(file_nodev_and_devzero,
	"file d ${DIR} O_RDONLY\n"
	"file z ${ZERO} O_RDWR\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE d 0 => -ENODEV\n"
	"mmap 0 4K PROT_READ MAP_SHARED d 0 => -ENODEV\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE z 0 => ok\n"
	"mmap 0 8K PROT_RW MAP_SHARED z 0 => ok\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE z -4K => -EOVERFLOW\n")

ORACLE_SCENARIO(file_offsets,
	"file r ${REG} O_RDONLY\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE r -4K => -EOVERFLOW\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE r 0x7ffffffffffff000 => -EOVERFLOW\n"
	"mmap 0 8K PROT_READ MAP_PRIVATE r 0x7fffffffffffe000 => -EOVERFLOW\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE r 0x7fffffffffffe000 => ok\n"
	"mmap 0 4K PROT_READ MAP_SHARED r 0x10000000000 => ok\n"
	"mmap 0 64K PROT_READ MAP_PRIVATE r 1M-4K => ok\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE r 4K+1 => -EINVAL\n")

/* ---- MAP_SHARED vs MAP_SHARED_VALIDATE, MAP_SYNC ------------------- */

ORACLE_SCENARIO(shared_validate_unknown_flags,
	"file r ${REG} O_RDONLY\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|0x200 r 0 => -EOPNOTSUPP\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|0x400 r 0 => -EOPNOTSUPP\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|0x200000 r 0 => -EOPNOTSUPP\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|0x1000000 r 0 => -EOPNOTSUPP\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|0x80000000 r 0 => -EOPNOTSUPP\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|MAP_SYNC r 0 => -EOPNOTSUPP\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|MAP_UNINITIALIZED r 0 => ok\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|MAP_HUGE_1GB r 0 => ok\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|MAP_ABOVE4G r 0 => ok\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|MAP_32BIT r 0 => 0x40000000\n"
	"mmap 0 4K PROT_READ MAP_SHARED_VALIDATE|MAP_DROPPABLE r 0 => -EINVAL\n")

ORACLE_SCENARIO(shared_legacy_drops_unknown_flags,
	"file r ${REG} O_RDONLY\n"
	"mmap 0 4K PROT_READ MAP_SHARED|0x200 r 0 => ok\n"
	"mmap 0 4K PROT_READ MAP_SHARED|0x200000|0x400 r 4K => ok\n"
	"mmap 0 4K PROT_READ MAP_SHARED|0x1000000 r 8K => ok\n")

ORACLE_SCENARIO(sync_on_disk_file_and_tmpfs,
	"file r ${REG} O_RDONLY\n"
	"file s ${SHM} O_RDWR\n"
	"mmap 0 4K PROT_READ MAP_SHARED|MAP_SYNC r 0 => -EOPNOTSUPP\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE|MAP_SYNC r 0 => -EOPNOTSUPP\n"
	"mmap 0 4K PROT_RW MAP_SHARED|MAP_SYNC s 0 => ok\n"
	"mmap 0 4K PROT_RW MAP_SHARED_VALIDATE|MAP_SYNC s 0 => -EOPNOTSUPP\n"
	"mmap 0 4K PROT_READ MAP_PRIVATE|MAP_SYNC s 0 => ok\n"
	"mmap 0 4K PROT_RW MAP_PA|MAP_SYNC -1 0 => ok\n"
	"mmap 0 4K PROT_RW MAP_SA|MAP_SYNC -1 0 => ok\n")

/* ---- other flags ------------------------------------------------------ */

ORACLE_SCENARIO(growsdown_mapping,
	"g=mmap 0x200000100000 16K PROT_RW MAP_PA|MAP_GROWSDOWN|MAP_FIXED -1 0 => 0x200000100000\n"
	"mmap g-4K 4K PROT_RW MAP_PAF -1 0 => g-4K\n"
	"mmap g+16K 4K PROT_RW MAP_PA|MAP_GROWSDOWN|MAP_FIXED -1 0 => g+16K\n"
	"mmap 0 4K PROT_READ MAP_PA|MAP_GROWSDOWN -1 0 => ok\n"
	"mmap 0 4K PROT_READ MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(locked_within_limit,
	/* runner without CAP_IPC_LOCK, RLIMIT_MEMLOCK 8 MiB (inherited) */
	"rlimit memlock 8M 8M\n"
	"a=mmap 0 16K PROT_RW MAP_PA|MAP_LOCKED -1 0 => ok\n"
	"mmap 0 16K PROT_RW MAP_PA -1 0 => a-16K\n"
	"mmap 0 16K PROT_RW MAP_PA|MAP_LOCKED -1 0 => ok\n"
	"mmap 0 8M PROT_RW MAP_PA|MAP_LOCKED -1 0 => -EAGAIN\n"
	"mmap 0 8M-32K PROT_READ MAP_PA|MAP_LOCKED|MAP_NORESERVE -1 0 => ok\n"
	"mmap 0 4K PROT_READ MAP_PA|MAP_LOCKED -1 0 => -EAGAIN\n"
	"mmap 0 4K PROT_READ MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(locked_rlimit_zero,
	"rlimit memlock 0 0\n"
	"mmap 0 4K PROT_RW MAP_PA|MAP_LOCKED -1 0 => -EPERM\n"
	"mmap 0 4K PROT_RW MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(locked_privileged,
	/* keeps CAP_IPC_LOCK: RLIMIT_MEMLOCK does not apply */
	"privileged\n"
	"rlimit memlock 0 0\n"
	"mmap 0 16M PROT_READ MAP_PA|MAP_LOCKED|MAP_NORESERVE -1 0 => ok\n")

ORACLE_SCENARIO(populate_nonblock_noreserve_stack,
	"a=mmap 0 16K PROT_RW MAP_PA|MAP_POPULATE -1 0 => ok\n"
	"mmap 0 16K PROT_RW MAP_PA|MAP_POPULATE|MAP_NONBLOCK -1 0 => a-16K\n"
	"mmap 0 16K PROT_RW MAP_PA|MAP_NONBLOCK -1 0 => ok\n"
	"mmap 0 16K PROT_RW MAP_PA|MAP_NORESERVE -1 0 => ok\n"
	"mmap 0 16K PROT_RW MAP_PA|MAP_STACK -1 0 => ok\n"
	"mmap 0 16K PROT_RW MAP_PA|MAP_STACK -1 0 => ok\n"
	"mmap 0 16K PROT_RW MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(map_32bit,
	"mmap 0 4K PROT_READ MAP_PA|MAP_32BIT -1 0 => 0x40000000\n"
	"mmap 0 4K PROT_READ MAP_PA|MAP_32BIT -1 0 => 0x40001000\n"
	"mmap 0x200000000000 4K PROT_READ MAP_PA|MAP_32BIT -1 0 => 0x40002000\n"
	"mmap 0x50000000 4K PROT_READ MAP_PA|MAP_32BIT -1 0 => 0x50000000\n"
	"mmap 0 2G PROT_READ MAP_PA|MAP_32BIT -1 0 => -ENOMEM\n"
	"mmap 0 1G PROT_READ MAP_PA|MAP_32BIT -1 0 => -ENOMEM\n")

ORACLE_SCENARIO(map_32bit_full,
	"mmap 0 1G PROT_READ MAP_PA|MAP_32BIT|MAP_NORESERVE -1 0 => 0x40000000\n"
	"mmap 0 4K PROT_READ MAP_PA|MAP_32BIT -1 0 => -ENOMEM\n"
	"mmap 0x200000000000 4K PROT_READ MAP_PA|MAP_32BIT -1 0 => -ENOMEM\n")

ORACLE_SCENARIO(hugetlb_anon,
	/* no huge pages are reserved on this machine (HugePages_Total 0) */
	"mmap 0 4K PROT_RW MAP_PA|MAP_HUGETLB -1 0 => -ENOMEM\n"
	"mmap 0 2M PROT_RW MAP_PA|MAP_HUGETLB|MAP_HUGE_2MB -1 0 => -ENOMEM\n"
	"mmap 0 2M PROT_RW MAP_PA|MAP_HUGETLB|MAP_HUGE_1GB -1 0 => ${HUGE_1GB_ERR}\n"
	"mmap 0 2M PROT_RW MAP_PA|MAP_HUGETLB|MAP_HUGE_64KB -1 0 => -EINVAL\n"
	"mmap 0 2M PROT_RW MAP_SA|MAP_HUGETLB -1 0 => -ENOMEM\n"
	"mmap 0 2M PROT_RW MAP_PA|MAP_HUGE_64KB -1 0 => ok\n")

ORACLE_SCENARIO(hugetlb_file,
	"file r ${REG} O_RDONLY\n"
	"mmap 0 2M PROT_READ MAP_PRIVATE|MAP_HUGETLB r 0 => -EINVAL\n"
	"mmap 0 2M PROT_READ MAP_SHARED|MAP_HUGETLB r 0 => -EINVAL\n"
	"mmap 0 2M PROT_READ MAP_PRIVATE|MAP_HUGE_64KB r 0 => ok\n")

ORACLE_SCENARIO(droppable,
	"file r ${REG} O_RDONLY\n"
	"a=mmap 0 8K PROT_RW MAP_DROPPABLE|MAP_ANONYMOUS -1 0 => ok\n"
	"mmap 0 8K PROT_RW MAP_DROPPABLE|MAP_ANONYMOUS -1 0 => a-8K\n"
	"mmap 0 8K PROT_RW MAP_PA -1 0 => a-16K\n"
	"mmap 0 4K PROT_RW MAP_DROPPABLE|MAP_ANONYMOUS|MAP_LOCKED -1 0 => -EINVAL\n"
	"mmap 0 4K PROT_RW MAP_DROPPABLE|MAP_ANONYMOUS|MAP_HUGETLB -1 0 => -EINVAL\n"
	"mmap 0 4K PROT_RW MAP_DROPPABLE|MAP_ANONYMOUS|MAP_GROWSDOWN -1 0 => -EINVAL\n"
	"mmap 0 4K PROT_READ MAP_DROPPABLE r 0 => -EINVAL\n"
	"mmap 0x100000000000 4K PROT_RW MAP_DROPPABLE|MAP_ANONYMOUS|MAP_FIXED -1 0 "
	"=> 0x100000000000\n")

/* ---- merging ---------------------------------------------------------- */

ORACLE_SCENARIO(merge_anon_both_sides,
	"a=mmap 0x100000000000 4K PROT_RW MAP_PAF -1 0\n"
	"mmap a+8K 4K PROT_RW MAP_PAF -1 0\n"
	"mmap a+4K 4K PROT_RW MAP_PAF -1 0 => a+4K\n"
	"mmap a+12K 4K PROT_READ MAP_PAF -1 0\n"
	"mmap a-4K 4K PROT_RW MAP_PAF -1 0\n")

ORACLE_SCENARIO(merge_anon_incompatible,
	"a=mmap 0x100000000000 4K PROT_RW MAP_PAF -1 0\n"
	"mmap a+4K 4K PROT_RW MAP_PAF|MAP_NORESERVE -1 0\n"
	"mmap a+8K 4K PROT_RW MAP_PAF|MAP_STACK -1 0\n"
	"mmap a+12K 4K PROT_RW MAP_SAF -1 0\n"
	"mmap a+16K 4K PROT_RW MAP_SAF -1 0\n"
	"mmap a+20K 4K PROT_RW MAP_PAF|MAP_LOCKED -1 0\n"
	"mmap a+24K 4K PROT_RW MAP_PAF|MAP_GROWSDOWN -1 0\n"
	"mmap a+28K 4K PROT_RW MAP_DROPPABLE|MAP_ANONYMOUS|MAP_FIXED -1 0\n")

ORACLE_SCENARIO(merge_file_contiguous,
	"file r ${REG} O_RDONLY\n"
	"a=mmap 0x100000000000 8K PROT_READ MAP_PRIVATE|MAP_FIXED r 0\n"
	"mmap a+8K 8K PROT_READ MAP_PRIVATE|MAP_FIXED r 8K\n"
	"mmap a+16K 8K PROT_READ MAP_PRIVATE|MAP_FIXED r 64K\n"
	"mmap a-8K 8K PROT_READ MAP_PRIVATE|MAP_FIXED r 0\n"
	"mmap a+24K 4K PROT_READ MAP_PRIVATE|MAP_FIXED r 72K\n"
	"mmap a+28K 4K PROT_READ MAP_SHARED|MAP_FIXED r 76K\n")

ORACLE_SCENARIO(merge_file_two_opens_never,
	"file r1 ${REG} O_RDONLY\n"
	"file r2 ${REG} O_RDONLY\n"
	"a=mmap 0x100000000000 8K PROT_READ MAP_PRIVATE|MAP_FIXED r1 0\n"
	"mmap a+8K 8K PROT_READ MAP_PRIVATE|MAP_FIXED r2 8K\n"
	"mmap a+16K 8K PROT_READ MAP_PRIVATE|MAP_FIXED r2 16K\n")

ORACLE_SCENARIO(merge_file_into_hole,
	"file r ${REG} O_RDWR\n"
	"a=mmap 0x100000000000 12K PROT_RW MAP_SHARED|MAP_FIXED r 0\n"
	"munmap a+4K 4K\n"
	"mmap a+4K 4K PROT_RW MAP_SHARED|MAP_FIXED r 4K => a+4K\n"
	"munmap a+4K 4K\n"
	"mmap a+4K 4K PROT_RW MAP_SHARED|MAP_FIXED r 8K => a+4K\n")

ORACLE_SCENARIO(merge_file_topdown_adjacent,
	"file r ${REG} O_RDONLY\n"
	"a=mmap 0 8K PROT_READ MAP_PRIVATE r 8K => ok\n"
	"mmap 0 8K PROT_READ MAP_PRIVATE r 0 => a-8K\n"
	"mmap 0 8K PROT_READ MAP_PRIVATE r 0 => a-16K\n")

ORACLE_SCENARIO(merge_anon_with_runner_neighbours,
	/* the first small mappings land next to ld.so's anonymous pages */
	"mmap 0 4K PROT_RW MAP_PA -1 0\n"
	"mmap 0 4K PROT_READ MAP_PA -1 0\n"
	"mmap 0 20K PROT_RW MAP_PA -1 0\n"
	"mmap 0 40K PROT_RW MAP_PA -1 0\n")

/* ---- resource limits -------------------------------------------------- */

ORACLE_SCENARIO(rlimit_as,
	"rlimit as 1G inf\n"
	"mmap 0 1G PROT_READ MAP_PA -1 0 => -ENOMEM\n"
	"a=mmap 0 16M PROT_READ MAP_PA -1 0 => ok\n"
	"mmap a 16M PROT_RW MAP_PAF -1 0 => a\n")

ORACLE_SCENARIO(rlimit_data,
	/* the runner's own data (bss, libc) is a few MiB of data_vm */
	"rlimit data 64M inf\n"
	"mmap 0 64M PROT_RW MAP_PA -1 0 => -ENOMEM\n"
	"mmap 0 64M PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0 64M PROT_RW MAP_SA -1 0 => ok\n"
	"mmap 0 64M PROT_RW MAP_PA|MAP_GROWSDOWN -1 0 => ok\n"
	"mmap 0 32M PROT_RW MAP_PA -1 0 => ok\n"
	"mmap 0 16M PROT_RW MAP_PA|MAP_NORESERVE -1 0 => ok\n"
	"mmap 0 32M PROT_RW MAP_PA -1 0 => -ENOMEM\n")

/* ---- legacy (bottom-up) layout: the runner under ADDR_COMPAT_LAYOUT --- */

ORACLE_SCENARIO(legacy_bottom_up,
	"legacy\n"
	"a=mmap 0 4K PROT_RW MAP_PA -1 0 => ok\n"
	"b=mmap 0 4K PROT_READ MAP_PA -1 0 => a+4K\n"
	"mmap 0 2M PROT_READ MAP_PA -1 0 => align:2M\n"
	"mmap 0 3M PROT_READ MAP_PA -1 0 => ok\n"
	"munmap a 4K => 0\n"
	"mmap 0 8K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0 4K PROT_RW MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(legacy_hints_and_32bit,
	"legacy\n"
	"mmap 0 4K PROT_READ MAP_PA|MAP_32BIT -1 0 => 0x40000000\n"
	"mmap 0x100000000000 4K PROT_READ MAP_PA -1 0 => 0x100000000000\n"
	"mmap 0x1000 4K PROT_READ MAP_PA -1 0 => 0x10000\n"
	"mmap 0x7fff00000000 4K PROT_READ MAP_PA -1 0 => 0x7fff00000000\n"
	"mmap 0x800000000000 4K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0x555555554000 4K PROT_READ MAP_PA -1 0 => ok\n")

ORACLE_SCENARIO(legacy_files_and_growsdown,
	"legacy\n"
	"file r ${REG} O_RDONLY\n"
	"mmap 0 2M PROT_READ MAP_PRIVATE r 0 => align:2M\n"
	"mmap 0 4M PROT_READ MAP_SHARED r 4K => !align:2M\n"
	"g=mmap 0 64K PROT_RW MAP_PA|MAP_GROWSDOWN -1 0 => ok\n"
	"mmap 0 64K PROT_RW MAP_PA -1 0 => ok\n")

/* ---- failures after the old mappings were gathered ------------------- */

ORACLE_SCENARIO(fixed_failure_keeps_split,
	/* RLIMIT_DATA refuses the new range after the old VMA was split at
	 * its start: the kernel leaves the split in place */
	"rlimit data 40M inf\n"
	"a=mmap 0 32M PROT_RW MAP_PA -1 0 => ok\n"
	"mmap a 32M PROT_RW MAP_PAF -1 0 => a\n"
	"mmap a+16M 32M PROT_RW MAP_PAF -1 0 => -ENOMEM\n"
	"mmap a-16M 32M PROT_READ MAP_PAF -1 0 => a-16M\n")

ORACLE_SCENARIO(max_map_count_mmap,
	/* "fill" brings the runner to 65529 VMAs; mmap fails once the count
	 * is above 65530, a middle split fails at 65530 */
	"fill 0x400000000000 65529\n"
	"a=mmap 0x300000000000 16K PROT_RW MAP_PAF -1 0 => 0x300000000000\n"
	"mmap a+4K 4K PROT_READ MAP_PAF -1 0 => -ENOMEM\n"
	"mmap a 4K PROT_READ MAP_PAF -1 0 => a\n"
	"mmap a+12K 4K PROT_READ MAP_PAF -1 0 => -ENOMEM\n"
	"mmap 0x300000100000 4K PROT_RW MAP_PAF -1 0 => -ENOMEM\n"
	"mmap a 16K PROT_EXEC MAP_PAF -1 0 => -ENOMEM\n"
	"munmap 0x400000000000 8K => 0\n"
	"mmap a 16K PROT_EXEC MAP_PAF -1 0 => a\n"
	"mmap 0 4K PROT_RW MAP_PA -1 0 => ok\n"
	"mmap 0 4K PROT_READ MAP_PA -1 0 => ok\n"
	"mmap 0 4K PROT_EXEC MAP_PA -1 0 => ok\n"
	"mmap 0 4K PROT_NONE MAP_PA -1 0 => ok\n"
	"mmap 0 4K PROT_RW MAP_PA -1 0 => -ENOMEM\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(anon_first_small),
		cmocka_unit_test(anon_fills_gaps_then_goes_below),
		cmocka_unit_test(anon_prot_bits_ignored),
		cmocka_unit_test(anon_ignored_flags),
		cmocka_unit_test(anon_offset_ignored_but_checked),
		cmocka_unit_test(thp_align_multiples_of_2m),
		cmocka_unit_test(thp_no_align_other_lengths),
		cmocka_unit_test(thp_len_rounded_before_check),
		cmocka_unit_test(thp_stack_noreserve_growsdown_aligned),
		cmocka_unit_test(thp_not_with_hint),
		cmocka_unit_test(thp_file_offset_zero),
		cmocka_unit_test(thp_file_offset_too_short),
		cmocka_unit_test(thp_file_offset_congruent),
		cmocka_unit_test(thp_file_with_hint),
		cmocka_unit_test(thp_dev_zero),
		cmocka_unit_test(thp_not_for_shared_anon_or_tmpfs),
		cmocka_unit_test(thp_32bit_bottom_up_skips_first_pmd),
		cmocka_unit_test(thp_below_growsdown_keeps_guard_gap),
		cmocka_unit_test(hint_free_exact),
		cmocka_unit_test(hint_rounded_down),
		cmocka_unit_test(hint_floor_65536),
		cmocka_unit_test(hint_47bit_window),
		cmocka_unit_test(hint_over_existing_mapping),
		cmocka_unit_test(hint_on_runner_text),
		cmocka_unit_test(hint_gap_too_small),
		cmocka_unit_test(hint_below_growsdown_guard),
		cmocka_unit_test(fixed_basic_and_replace_middle),
		cmocka_unit_test(fixed_spanning_several),
		cmocka_unit_test(fixed_noreplace),
		cmocka_unit_test(fixed_noreplace_with_shared_validate),
		cmocka_unit_test(fixed_unaligned_and_limits),
		cmocka_unit_test(fixed_below_mmap_min_addr_unprivileged),
		cmocka_unit_test(fixed_below_mmap_min_addr_privileged),
		cmocka_unit_test(fixed_over_runner_heap_area),
		cmocka_unit_test(len_errors),
		cmocka_unit_test(huge_reservations),
		cmocka_unit_test(overcommit_guess_limit),
		cmocka_unit_test(errno_order_badf_inval),
		cmocka_unit_test(errno_anon_types),
		cmocka_unit_test(errno_inval_before_perm),
		cmocka_unit_test(errno_fixed_anon_with_fd_ignored),
		cmocka_unit_test(errno_o_path_is_badf),
		cmocka_unit_test(file_hugetlb_memfd),
		cmocka_unit_test(file_modes_private),
		cmocka_unit_test(file_modes_shared),
		cmocka_unit_test(file_nodev_and_devzero),
		cmocka_unit_test(file_offsets),
		cmocka_unit_test(shared_validate_unknown_flags),
		cmocka_unit_test(shared_legacy_drops_unknown_flags),
		cmocka_unit_test(sync_on_disk_file_and_tmpfs),
		cmocka_unit_test(growsdown_mapping),
		cmocka_unit_test(locked_within_limit),
		cmocka_unit_test(locked_rlimit_zero),
		cmocka_unit_test(locked_privileged),
		cmocka_unit_test(populate_nonblock_noreserve_stack),
		cmocka_unit_test(map_32bit),
		cmocka_unit_test(map_32bit_full),
		cmocka_unit_test(hugetlb_anon),
		cmocka_unit_test(hugetlb_file),
		cmocka_unit_test(droppable),
		cmocka_unit_test(merge_anon_both_sides),
		cmocka_unit_test(merge_anon_incompatible),
		cmocka_unit_test(merge_file_contiguous),
		cmocka_unit_test(merge_file_two_opens_never),
		cmocka_unit_test(merge_file_into_hole),
		cmocka_unit_test(merge_file_topdown_adjacent),
		cmocka_unit_test(merge_anon_with_runner_neighbours),
		cmocka_unit_test(rlimit_as),
		cmocka_unit_test(rlimit_data),
		cmocka_unit_test(legacy_bottom_up),
		cmocka_unit_test(legacy_hints_and_32bit),
		cmocka_unit_test(legacy_files_and_growsdown),
		cmocka_unit_test(fixed_failure_keeps_split),
		cmocka_unit_test(max_map_count_mmap),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
