/*
 * oracle_test.h - glue between cmocka suites and the oracle: the
 * ORACLE_SCENARIO macro (one cmocka test per scenario text) and the
 * group setup/teardown that make the standard scratch files:
 *   ${REG}  1 MiB regular file on the disk file system of /tmp (ext4)
 *   ${REG2} another 1 MiB file there
 *   ${SHM}  1 MiB file on tmpfs (/dev/shm)
 *   ${DIR}  a directory (no mmap method: ENODEV)
 *   ${ZERO} /dev/zero
 * and ${HUGE_1GB_ERR}: what a 1 GiB MAP_HUGETLB without MAP_NORESERVE
 * gets from this kernel: -ENOMEM (empty pool) where the CPU has 1 GiB
 * pages, -EINVAL (no such hstate) where it has not.
 */
#ifndef UMM_TEST_ORACLE_TEST_H
#define UMM_TEST_ORACLE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "oracle.h"

#define ORACLE_SCENARIO(name, text)                          \
	static void name(void **state)                       \
	{                                                    \
		(void)state;                                 \
		assert_int_equal(oracle_check(text), 0);     \
	}

/* cmocka group setup/teardown for the ${...} files above. */
int oracle_files_setup(void **state);
int oracle_files_teardown(void **state);

#endif /* UMM_TEST_ORACLE_TEST_H */
