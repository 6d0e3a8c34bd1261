/*
 * fork_probe.h - the observations of test_fork, in order: what
 * fork_probe (the kernel's side, a program of its own so that no
 * sanitizer maps memory behind its back) prints, and what test_fork
 * takes on usermm.
 */
#ifndef UMM_TEST_FORK_PROBE_H
#define UMM_TEST_FORK_PROBE_H

#define FORK_W 0x300000000000UL
#define FORK_PG 4096UL
#define FORK_GIG (1UL << 30)
#define FORK_WINDOW (8 * FORK_GIG)

/* The observations, in order. */
enum obs {
	P_SETUP_PTE, P_SETUP_ANON, P_SETUP_SHMEM,
	C_WRITE0_FLT, C_READ1_FLT, C_WRITE1_FLT, C_BYTE2, C_WIPE_BYTE, C_WIPE_FLT,
	C_GUARD, C_SHM_READ_FLT, C_SHM_BYTE, C_SHM_READ_SHMEM, C_SHM_WRITE_FLT, C_SHM_REMOVE_SHMEM,
	C_NEIGHBOUR_VMAS, C_MUNMAP_ANON, C_MUNMAP_PTE,
	P_SHM_SHMEM, P_SHM_BYTE1, P_SHM_BYTE2, P_SHM_READ_FLT,
	P_WRITE0_FLT, P_WRITE0_AGAIN_FLT, P_BYTE0, P_NEIGHBOUR_VMAS, P_MUNMAP_ANON, P_MUNMAP_PTE,
	NOBS
};

static const char *const obs_names[NOBS] __attribute__((unused)) = {
	"parent VmPTE after setup", "parent RssAnon after setup", "parent RssShmem after setup",
	"child: faults of a write to a shared page", "child: faults of a read of one",
	"child: faults of a write to it", "child: byte the parent wrote",
	"child: byte of WIPEONFORK memory", "child: faults of that read",
	"child: guard marker kept",
	"child: faults of a read of shared memory", "child: byte the parent wrote there",
	"child: RssShmem that read mapped", "child: faults of a write to a new shared page",
	"child: RssShmem MADV_REMOVE of a page both map freed",
	"child: VMAs with a fresh neighbour",
	"child: RssAnon freed by munmap", "child: VmPTE freed by munmap",
	"parent: RssShmem change since setup", "parent: byte of the page the child punched",
	"parent: byte the child wrote", "parent: faults of reading the two",
	"parent: faults of a write after the child", "parent: faults of a second write",
	"parent: its byte", "parent: VMAs with a fresh neighbour",
	"parent: RssAnon freed by munmap", "parent: VmPTE freed by munmap",
};

#endif
