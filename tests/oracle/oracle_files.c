/*
 * oracle_files.c - the standard scratch files of the oracle suites
 * (see oracle_test.h): made in the group setup, removed in the teardown.
 */
#define _GNU_SOURCE /* memfd_create */
#include "oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define STD_FILE_SIZE (1UL << 20)
#define HUGE_1GB_HSTATE "/sys/kernel/mm/hugepages/hugepages-1048576kB"

static char *reg, *reg2, *shm;
static int huge_memfd = -1;

static void forget(char **path)
{
	if (*path) {
		unlink(*path);
		free(*path);
		*path = NULL;
	}
}

int oracle_files_teardown(void **state)
{
	(void)state;
	forget(&reg);
	forget(&reg2);
	forget(&shm);
	if (huge_memfd >= 0)
		close(huge_memfd);
	huge_memfd = -1;
	oracle_undefine_all();
	return 0;
}

int oracle_files_setup(void **state)
{
	char huge[64];

	reg = oracle_make_file("/tmp", STD_FILE_SIZE);
	reg2 = oracle_make_file("/tmp", STD_FILE_SIZE);
	shm = oracle_make_file("/dev/shm", STD_FILE_SIZE);

	/* A hugetlbfs memfd (MFD_HUGETLB): the runner and usermm both open
	 * it through this process's fd link, so both see the same inode. */
	huge_memfd = memfd_create("oracle_huge", MFD_HUGETLB);
	snprintf(huge, sizeof(huge), "/proc/%d/fd/%d", (int)getpid(), huge_memfd);
	if (huge_memfd < 0 || oracle_define("HUGE_MEMFD", huge) ||
	    !reg || !reg2 || !shm || oracle_define("REG", reg) || oracle_define("REG2", reg2) ||
	    oracle_define("SHM", shm) || oracle_define("DIR", "/tmp") ||
	    oracle_define("ZERO", "/dev/zero") ||
	    oracle_define("HUGE_1GB_ERR", access(HUGE_1GB_HSTATE, F_OK) ? "-EINVAL" : "-ENOMEM")) {
		oracle_files_teardown(state);
		return -1;
	}
	return 0;
}
