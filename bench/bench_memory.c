/*
 * bench/bench_memory.c - owned by the benchmark (bench/): the memory
 * layer's figures of umm_bench, each against this kernel (or the host's
 * memset) in the same run:
 *
 *   write fault   a write to each page of a fresh 64 MiB private
 *                 anonymous mapping: usermm's umm_fault (a new zeroed
 *                 frame, its PTE) against the kernel's page fault on a
 *                 store to a fresh page. usermm is measured twice: on
 *                 frames whose host memory was never touched (each first
 *                 touch costs the host a page fault of its own) and on
 *                 frames used before (the mapping unmapped and made again);
 *                 then over 256 KiB, where the frames stay in the caches.
 *   memset 4 KiB  the zeroing alone, on host memory touched before.
 *   fork          of a space with 100,000 resident private pages, and the
 *                 first write to each page afterwards (a copy on write),
 *                 against the kernel's fork of a process with the same
 *                 pages (its child holds them until the parent has
 *                 written) and its copies on write.
 *   8-byte load/store  through pointers from umm_translate, cached per
 *                 page, against the same loads and stores to host memory.
 *   metadata      bytes per 4 KiB frame and per page-table page.
 *
 * Times are the minimum over the rounds (the machine is a noisy VM); each
 * round maps afresh.
 */
#define _GNU_SOURCE
#include "bench_memory.h"
#include "usermm.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PG 4096UL
#define REGION (64UL << 20)
#define NPAGES (REGION / PG)
#define BASE 0x300000000000UL
#define ROUNDS 5
#define SMALL (256UL << 10) /* fits in the caches */

static uint64_t ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static double min_of(const double *v, int n)
{
	double m = v[0];

	for (int i = 1; i < n; i++)
		m = v[i] < m ? v[i] : m;
	return m;
}

/* ns per page of write faults over a fresh mapping of len bytes (the
 * old one unmapped first); < 0 on failure. */
static double usermm_faults(struct umm_mm *mm, unsigned long len)
{
	uint64_t t0;

	umm_munmap(mm, BASE, REGION);
	if (umm_mmap(mm, BASE, len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) != (long)BASE)
		return -1;
	t0 = ns_now();
	for (unsigned long a = BASE; a < BASE + len; a += PG)
		if (umm_fault(mm, a, UMM_ACCESS_WRITE, NULL))
			return -1;
	return (double)(ns_now() - t0) / (double)(len / PG);
}

static double kernel_faults(unsigned long len)
{
	volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);
	uint64_t t0;
	double ns;

	if (p == MAP_FAILED)
		return -1;
	madvise((void *)p, len, MADV_NOHUGEPAGE);
	t0 = ns_now();
	for (unsigned long off = 0; off < len; off += PG)
		p[off] = 1;
	ns = (double)(ns_now() - t0) / (double)(len / PG);
	munmap((void *)p, len);
	return ns;
}

static double memset_pages(unsigned char *buf, unsigned long len)
{
	uint64_t t0 = ns_now();

	for (unsigned long off = 0; off < len; off += PG)
		memset(buf + off, 0, PG);
	__asm__ volatile("" : : "r"(buf) : "memory");
	return (double)(ns_now() - t0) / (double)(len / PG);
}

struct fault_figures {
	double cold, warm, kernel, memset_ns;
};

/* Over len bytes: cold only the first time (frames never touched). */
static void fault_round(struct umm_mm *mm, unsigned char *buf, unsigned long len,
			struct fault_figures *f)
{
	double warm[ROUNDS], kern[ROUNDS], ms[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		warm[r] = usermm_faults(mm, len);
		kern[r] = kernel_faults(len);
		ms[r] = memset_pages(buf, len);
	}
	f->warm = min_of(warm, ROUNDS);
	f->kernel = min_of(kern, ROUNDS);
	f->memset_ns = min_of(ms, ROUNDS);
}

static int fault_figures(struct fault_figures *f, struct fault_figures *small)
{
	double cold;
	struct umm_phys_config pc;
	struct umm_config cfg;
	struct umm_phys *phys;
	struct umm_mm *mm;
	unsigned char *buf = malloc(REGION);

	umm_phys_config_init(&pc);
	pc.bytes = REGION * 2;
	phys = umm_phys_create(&pc);
	umm_config_init(&cfg);
	cfg.phys = phys;
	mm = phys ? umm_mm_create(&cfg) : NULL;
	if (!mm || !buf)
		return -1;
	memset(buf, 1, REGION);
	cold = usermm_faults(mm, REGION);
	fault_round(mm, buf, REGION, f);
	f->cold = cold;
	fault_round(mm, buf, SMALL, small);
	umm_mm_destroy(mm);
	umm_phys_put(phys);
	free(buf);
	return cold < 0 || f->warm < 0 || f->kernel < 0 ? -1 : 0;
}

/* ns per 8-byte access, loads then stores, over every page in turn. */
static void access_figures(double *u_load, double *u_store, double *h_load, double *h_store)
{
	static void *ptr[NPAGES];
	double ul[ROUNDS], us[ROUNDS], hl[ROUNDS], hs[ROUNDS];
	struct umm_mm *mm = umm_mm_create(NULL);
	unsigned char *host = malloc(REGION);
	const unsigned long n = NPAGES * (PG / 8);

	*u_load = *u_store = *h_load = *h_store = -1;
	if (!mm || !host || umm_mmap(mm, BASE, REGION, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) != (long)BASE)
		goto out;
	memset(host, 1, REGION);
	for (unsigned long i = 0; i < NPAGES; i++)
		if (umm_translate(mm, BASE + i * PG, UMM_ACCESS_WRITE, &ptr[i], NULL))
			goto out;
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t sum = 0, t0 = ns_now();

		for (unsigned long i = 0; i < NPAGES; i++)
			for (unsigned long k = 0; k < PG / 8; k++)
				sum += ((volatile uint64_t *)ptr[i])[k];
		ul[r] = (double)(ns_now() - t0) / n;
		t0 = ns_now();
		for (unsigned long i = 0; i < NPAGES; i++)
			for (unsigned long k = 0; k < PG / 8; k++)
				((volatile uint64_t *)ptr[i])[k] = sum + k;
		us[r] = (double)(ns_now() - t0) / n;
		t0 = ns_now();
		for (unsigned long k = 0; k < REGION / 8; k++)
			sum += ((volatile uint64_t *)host)[k];
		hl[r] = (double)(ns_now() - t0) / n;
		t0 = ns_now();
		for (unsigned long k = 0; k < REGION / 8; k++)
			((volatile uint64_t *)host)[k] = sum + k;
		hs[r] = (double)(ns_now() - t0) / n;
	}
	*u_load = min_of(ul, ROUNDS);
	*u_store = min_of(us, ROUNDS);
	*h_load = min_of(hl, ROUNDS);
	*h_store = min_of(hs, ROUNDS);
out:
	umm_mm_destroy(mm);
	free(host);
}

/* fork of a space with FORK_PAGES resident private pages, then the
 * first write to each page in the parent (each a copy on write): ns for
 * the fork, and ns per page for the writes. */
#define FORK_PAGES 100000UL

/* phys is kept across the rounds: from the second on, its frames' host
 * memory has been touched (the minimum reported is that case). */
static int usermm_fork(struct umm_phys *phys, double *fork_ns, double *write_ns)
{
	struct umm_config cfg;
	struct umm_mm *mm, *child = NULL;
	const unsigned long len = FORK_PAGES * PG;
	uint64_t t0;
	int rc = -1;

	umm_config_init(&cfg);
	cfg.phys = phys;
	mm = phys ? umm_mm_create(&cfg) : NULL;
	if (!mm || umm_mmap(mm, BASE, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, NULL, 0) != (long)BASE)
		goto out;
	t0 = ns_now();
	if (umm_mm_fork(mm, &child))
		goto out;
	*fork_ns = (double)(ns_now() - t0);
	t0 = ns_now();
	for (unsigned long a = BASE; a < BASE + len; a += PG)
		if (umm_fault(mm, a, UMM_ACCESS_WRITE, NULL))
			goto out;
	*write_ns = (double)(ns_now() - t0) / FORK_PAGES;
	rc = 0;
out:
	umm_mm_destroy(child);
	umm_mm_destroy(mm);
	return rc;
}

static int kernel_fork(double *fork_ns, double *write_ns)
{
	const unsigned long len = FORK_PAGES * PG;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		       -1, 0);
	int pipefd[2];
	uint64_t t0;
	pid_t pid;

	if (p == MAP_FAILED || pipe(pipefd))
		return -1;
	madvise(p, len, MADV_NOHUGEPAGE);
	t0 = ns_now();
	pid = fork();
	if (pid == 0) {
		char c;

		/* The child holds its copy until the parent has written. */
		close(pipefd[1]);
		if (read(pipefd[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	*fork_ns = (double)(ns_now() - t0);
	t0 = ns_now();
	for (unsigned long off = 0; off < len; off += PG)
		((volatile char *)p)[off] = 1;
	*write_ns = (double)(ns_now() - t0) / FORK_PAGES;
	close(pipefd[1]);
	close(pipefd[0]);
	waitpid(pid, NULL, 0);
	munmap(p, len);
	return pid < 0 ? -1 : 0;
}

static void row(const char *what, double u, double k, const char *yardstick)
{
	printf("  %-40s %10.1f %10.1f %7.2f  (%s)\n", what, u, k, u > 0 ? k / u : 0, yardstick);
}

void run_memory_bench(void)
{
	struct fault_figures f, small;
	double ul, us, hl, hs;

	printf("\nmemory layer (64 MiB, 4 KiB pages, min of %d rounds; ratio = yardstick / usermm)\n",
	       ROUNDS);
	printf("  %-40s %10s %10s %7s\n", "", "usermm ns", "yardstick", "ratio");
	if (fault_figures(&f, &small)) {
		printf("  write fault: could not be measured\n");
	} else {
		row("write fault, frames used before", f.warm, f.kernel, "kernel page fault");
		row("write fault, frames never touched", f.cold, f.kernel, "kernel page fault");
		row("write fault, frames used before", f.warm, f.memset_ns, "memset 4 KiB");
		row("write fault, 256 KiB, in cache", small.warm, small.kernel, "kernel page fault");
		row("write fault, 256 KiB, in cache", small.warm, small.memset_ns, "memset 4 KiB");
	}
	{
		double uf[ROUNDS], uw[ROUNDS], kf[ROUNDS], kw[ROUNDS];
		struct umm_phys_config pc;
		struct umm_phys *phys;
		int ok;

		umm_phys_config_init(&pc);
		pc.bytes = 3 * FORK_PAGES * PG;
		phys = umm_phys_create(&pc);
		ok = phys != NULL;
		for (int r = 0; r < ROUNDS && ok; r++)
			ok = !usermm_fork(phys, &uf[r], &uw[r]) && !kernel_fork(&kf[r], &kw[r]);
		umm_phys_put(phys);
		if (ok) {
			row("fork, 100,000 resident pages (us)", min_of(uf, ROUNDS) / 1000,
			    min_of(kf, ROUNDS) / 1000, "kernel fork");
			row("first write after fork, per page", min_of(uw, ROUNDS), min_of(kw, ROUNDS),
			    "kernel copy on write");
		} else {
			printf("  fork: could not be measured\n");
		}
	}
	access_figures(&ul, &us, &hl, &hs);
	row("8-byte load via cached umm_translate", ul, hl, "host load");
	row("8-byte store via cached umm_translate", us, hs, "host store");
	printf("  metadata: %d bytes per 4 KiB frame (struct page); a page-table page is a\n"
	       "  frame of its own: %lu bytes with its struct page\n",
	       UMM_PAGE_STRUCT_SIZE, PG + UMM_PAGE_STRUCT_SIZE);
}
