/*
 * fork_probe.c - the kernel's side of test_fork: sets up a window of
 * mappings at 0x300000000000, forks, and measures with raw syscalls and
 * static buffers what the child and then the parent see (fork_probe.h
 * lists the observations), printing them in order on one line. Built
 * without sanitizers: their shadow memory would add page tables.
 */
#define _GNU_SOURCE
#include "fork_probe.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define W FORK_W
#define PG FORK_PG
#define GIG FORK_GIG
#define WINDOW FORK_WINDOW
#define MADV_GUARD_INSTALL_ 102

static char status[8192];

/* The whole of a /proc file into buf, NUL-terminated (raw calls only). */
static void read_proc(const char *path, char *buf, size_t size)
{
	int fd = (int)syscall(SYS_open, path, O_RDONLY);
	long n, total = 0;

	while (fd >= 0 && (n = syscall(SYS_read, fd, buf + total, size - 1 - (size_t)total)) > 0)
		total += n;
	if (fd >= 0)
		syscall(SYS_close, fd);
	buf[total] = '\0';
}

static long status_kb(const char *name)
{
	const char *p;
	long v = 0;

	read_proc("/proc/self/status", status, sizeof(status));
	p = strstr(status, name);
	if (!p)
		return -1;
	for (p += strlen(name); *p == ' ' || *p == '\t'; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}

static long minflt(void)
{
	static struct rusage ru;

	syscall(SYS_getrusage, RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static char maps[65536];

/* VMAs of /proc/self/maps that start inside the window. */
static long window_vmas(void)
{
	long count = 0;

	read_proc("/proc/self/maps", maps, sizeof(maps));
	for (const char *p = maps; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		unsigned long a = strtoul(p, NULL, 16);

		count += a >= W && a < W + WINDOW;
	}
	return count;
}

static long k_map(unsigned long addr, unsigned long len, int flags)
{
	return syscall(SYS_mmap, addr, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0);
}

static long flt_of_write(volatile char *p, char v)
{
	long f = minflt();

	*p = v;
	return minflt() - f;
}

static long flt_of_read(volatile char *p, long *val)
{
	long f = minflt();

	*val = *p;
	return minflt() - f;
}

/* pagemap bit 58: a guard region. */
static long guard_bit(unsigned long addr)
{
	int fd = (int)syscall(SYS_open, "/proc/self/pagemap", O_RDONLY);
	uint64_t e = 0;

	syscall(SYS_pread64, fd, &e, sizeof(e), (addr / PG) * 8);
	syscall(SYS_close, fd);
	return (long)((e >> 58) & 1);
}

static void k_setup(long *o)
{
	long pte = status_kb("VmPTE:"), anon = status_kb("RssAnon:"), shmem = status_kb("RssShmem:");

	k_map(W, 16 * PG, MAP_PRIVATE);
	for (unsigned long i = 0; i < 8; i++)
		*(volatile char *)(W + i * PG) = (char)(i + 1);
	syscall(SYS_madvise, W + 15 * PG, PG, MADV_GUARD_INSTALL_);
	k_map(W + GIG, 4 * PG, MAP_PRIVATE);
	k_map(W + 2 * GIG, 4 * PG, MAP_SHARED);
	*(volatile char *)(W + 2 * GIG) = 5;
	*(volatile char *)(W + 2 * GIG + PG) = 6;
	k_map(W + 3 * GIG, 4 * PG, MAP_PRIVATE);
	*(volatile char *)(W + 3 * GIG) = 1;
	syscall(SYS_madvise, W + 3 * GIG, 4 * PG, MADV_DONTFORK);
	k_map(W + 4 * GIG, 4 * PG, MAP_PRIVATE);
	*(volatile char *)(W + 4 * GIG) = 9;
	syscall(SYS_madvise, W + 4 * GIG, 4 * PG, MADV_WIPEONFORK);
	o[P_SETUP_PTE] = status_kb("VmPTE:") - pte;
	o[P_SETUP_ANON] = status_kb("RssAnon:") - anon;
	o[P_SETUP_SHMEM] = status_kb("RssShmem:") - shmem;
	/* Populated shared memory: read, then written (pages already there
	 * too), by MADV_POPULATE_*. */
	k_map(FORK_POP, 8 * PG, MAP_SHARED);
	syscall(SYS_madvise, FORK_POP, 2 * PG, MADV_POPULATE_READ);
	syscall(SYS_madvise, FORK_POP, 6 * PG, MADV_POPULATE_WRITE);
	/* Shared memory with a guard region: fork copies its entries, clean;
	 * the page a write fault dirtied itself stays dirty. */
	k_map(FORK_GUARDED, 4 * PG, MAP_SHARED);
	syscall(SYS_madvise, FORK_GUARDED, 2 * PG, MADV_POPULATE_READ);
	*(volatile char *)FORK_GUARDED = 1;            /* through a clean entry */
	*(volatile char *)(FORK_GUARDED + 2 * PG) = 1; /* a write fault */
	syscall(SYS_madvise, FORK_GUARDED + 3 * PG, PG, MADV_GUARD_INSTALL_);
	/* Private memory the child will MADV_FREE while the parent maps it. */
	k_map(FORK_FREED, 4 * PG, MAP_PRIVATE);
	*(volatile char *)FORK_FREED = 1;
}

static char smaps[65536];

static long smaps_kb(unsigned long start, const char *key)
{
	read_proc("/proc/self/smaps", smaps, sizeof(smaps));
	return fork_smaps_kb(smaps, start, key);
}

/* The dirt of pages after fork, in the child. */
static void k_child_dirt(long *o)
{
	syscall(SYS_mlock, FORK_POP, 6 * PG);
	o[C_POP_SHARED_DIRTY] = smaps_kb(FORK_POP, "Shared_Dirty");
	o[C_GUARD_SHARED_CLEAN] = smaps_kb(FORK_GUARDED, "Shared_Clean");
	o[C_GUARD_SHARED_DIRTY] = smaps_kb(FORK_GUARDED, "Shared_Dirty");
	syscall(SYS_madvise, FORK_FREED, 4 * PG, MADV_FREE);
	o[C_FREE_SHARED_CLEAN] = smaps_kb(FORK_FREED, "Shared_Clean");
	o[C_FREE_SHARED_DIRTY] = smaps_kb(FORK_FREED, "Shared_Dirty");
}

/* The shared mapping after fork, in the child: the parent's pages are in
 * the cache, not in the child's tables; a read maps them around it. */
static void k_child_shared(long *o)
{
	long shmem = status_kb("RssShmem:"), flt;

	o[C_SHM_READ_FLT] = flt_of_read((volatile char *)(W + 2 * GIG), &o[C_SHM_BYTE]);
	o[C_SHM_READ_SHMEM] = status_kb("RssShmem:") - shmem;
	flt = flt_of_write((volatile char *)(W + 2 * GIG + 2 * PG), 'c');
	o[C_SHM_WRITE_FLT] = flt;
	shmem = status_kb("RssShmem:");
	syscall(SYS_madvise, W + 2 * GIG + PG, PG, MADV_REMOVE);
	o[C_SHM_REMOVE_SHMEM] = shmem - status_kb("RssShmem:");
}

/* The parent after the child: the page the child punched is gone from
 * its tables too, the child's write is there. */
static void k_parent_shared(long *o, long shmem_setup)
{
	long f, v1, v2;

	o[P_SHM_SHMEM] = status_kb("RssShmem:") - shmem_setup;
	f = minflt();
	v1 = *(volatile char *)(W + 2 * GIG + PG);
	v2 = *(volatile char *)(W + 2 * GIG + 2 * PG);
	o[P_SHM_READ_FLT] = minflt() - f;
	o[P_SHM_BYTE1] = v1;
	o[P_SHM_BYTE2] = v2;
}

/* The steps both sides of a fork take in the window, then its munmap. */
static void k_tail(long *o, int vmas, int anon_freed, int pte_freed)
{
	long pte, anon;

	k_map(W + 16 * PG, PG, MAP_PRIVATE);
	o[vmas] = window_vmas();
	pte = status_kb("VmPTE:");
	anon = status_kb("RssAnon:");
	syscall(SYS_munmap, W, WINDOW);
	o[anon_freed] = anon - status_kb("RssAnon:");
	o[pte_freed] = pte - status_kb("VmPTE:");
}

/* After a fork every page of this process is copy-on-write: the
 * buffers and the stack the measurements use are written once first,
 * so that their faults are not counted as the steps'. */
static __attribute__((noinline)) void k_pretouch(void)
{
	volatile char pad[32768];

	for (size_t i = 0; i < sizeof(pad); i += 512)
		pad[i] = 0;
	memset(status, 0, sizeof(status));
	memset(maps, 0, sizeof(maps));
	memset(smaps, 0, sizeof(smaps));
	minflt();
	minflt();
}

/* A forked child has no PTEs for file pages (its text, libc's): their
 * first execution would fault in the middle of a measured step. Map them
 * all first. */
static void populate_text(void)
{
	read_proc("/proc/self/maps", maps, sizeof(maps));
	for (char *p = maps; *p;) {
		char *nl = strchr(p, '\n'), *end;
		unsigned long a = strtoul(p, &end, 16), b = strtoul(end + 1, NULL, 16);

		if (nl)
			*nl = '\0';
		if (strstr(p, " r-xp ") || strstr(p, " r--p "))
			syscall(SYS_madvise, a, b - a, MADV_POPULATE_READ);
		p = nl ? nl + 1 : p + strlen(p);
	}
}

static void k_child(long *o)
{
	long v;

	k_pretouch();
	populate_text();
	k_pretouch();
	o[C_WRITE0_FLT] = flt_of_write((volatile char *)W, 'c');
	o[C_READ1_FLT] = flt_of_read((volatile char *)(W + PG), &v);
	o[C_WRITE1_FLT] = flt_of_write((volatile char *)(W + PG), 'c');
	flt_of_read((volatile char *)(W + 2 * PG), &o[C_BYTE2]);
	o[C_WIPE_FLT] = flt_of_read((volatile char *)(W + 4 * GIG), &o[C_WIPE_BYTE]);
	o[C_GUARD] = guard_bit(W + 15 * PG);
	k_child_shared(o);
	k_child_dirt(o);
	k_tail(o, C_NEIGHBOUR_VMAS, C_MUNMAP_ANON, C_MUNMAP_PTE);
}

static void k_parent_after(long *o, long shmem_setup)
{
	k_pretouch();
	k_parent_shared(o, shmem_setup);
	o[P_WRITE0_FLT] = flt_of_write((volatile char *)W, 'p');
	o[P_WRITE0_AGAIN_FLT] = flt_of_write((volatile char *)W, 'q');
	o[P_BYTE0] = *(volatile char *)W;
	k_tail(o, P_NEIGHBOUR_VMAS, P_MUNMAP_ANON, P_MUNMAP_PTE);
}

int main(void)
{
	long *o = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long shmem_setup;
	pid_t c;

	if (o == MAP_FAILED)
		return 2;
	memset(o, 0, PG);
	k_pretouch();
	k_setup(o);
	shmem_setup = status_kb("RssShmem:");
	c = (pid_t)syscall(SYS_fork);
	if (c == 0) {
		k_child(o);
		_exit(0);
	}
	if (c < 0 || waitpid(c, NULL, 0) != c)
		return 2;
	k_parent_after(o, shmem_setup);
	for (int i = 0; i < NOBS; i++)
		printf("%ld%c", o[i], i + 1 < NOBS ? ' ' : '\n');
	return 0;
}
