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
/* Three small mappings of their own for the dirt checks. */
#define FORK_POP (FORK_W + 5 * FORK_GIG)
#define FORK_GUARDED (FORK_W + 5 * FORK_GIG + (64UL << 20))
#define FORK_FREED (FORK_W + 5 * FORK_GIG + (128UL << 20))

/* The value of "KEY:" in the smaps block of the VMA starting at start,
 * from smaps text; -1 if none. Plain C: the kernel side has no malloc. */
static inline long fork_smaps_kb(const char *text, unsigned long start, const char *key)
{
	const char *p = text;
	int in = 0;
	unsigned long klen = 0;

	while (key[klen])
		klen++;
	for (; *p; p++) {
		const char *line = p;
		unsigned long a = 0;
		int hex = 0;

		for (; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++, hex++)
			a = a * 16 + (unsigned long)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
		if (hex && *p == '-') {
			in = a == start;
		} else if (in) {
			unsigned long i = 0;

			for (p = line; i < klen && p[i] == key[i]; i++)
				;
			if (i == klen && p[i] == ':') {
				long v = 0;

				for (p += i + 1; *p == ' '; p++)
					;
				for (; *p >= '0' && *p <= '9'; p++)
					v = v * 10 + (*p - '0');
				return v;
			}
		}
		while (*p && *p != '\n')
			p++;
		if (!*p)
			break;
	}
	return -1;
}

/* The observations, in order. */
enum obs {
	P_SETUP_PTE, P_SETUP_ANON, P_SETUP_SHMEM,
	C_WRITE0_FLT, C_READ1_FLT, C_WRITE1_FLT, C_BYTE2, C_WIPE_BYTE, C_WIPE_FLT,
	C_GUARD, C_SHM_READ_FLT, C_SHM_BYTE, C_SHM_READ_SHMEM, C_SHM_WRITE_FLT, C_SHM_REMOVE_SHMEM,
	C_NEIGHBOUR_VMAS, C_MUNMAP_ANON, C_MUNMAP_PTE,
	C_POP_SHARED_DIRTY, C_GUARD_SHARED_CLEAN, C_GUARD_SHARED_DIRTY, C_FREE_SHARED_CLEAN,
	C_FREE_SHARED_DIRTY,
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
	"child: Shared_Dirty of populated shared memory it mlocked",
	"child: Shared_Clean of shared memory with a guard region",
	"child: Shared_Dirty of that",
	"child: Shared_Clean of private memory after its MADV_FREE",
	"child: Shared_Dirty of that",
	"parent: RssShmem change since setup", "parent: byte of the page the child punched",
	"parent: byte the child wrote", "parent: faults of reading the two",
	"parent: faults of a write after the child", "parent: faults of a second write",
	"parent: its byte", "parent: VMAs with a fresh neighbour",
	"parent: RssAnon freed by munmap", "parent: VmPTE freed by munmap",
};

#endif
