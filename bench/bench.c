/*
 * bench/bench.c - umm_bench, owned by the benchmark (bench/): runs the same
 * call sequences on usermm and on this machine's kernel and prints the cost
 * per operation of each, with the ratio kernel/usermm (above 1: usermm is
 * faster).
 *
 * For each size N (default 1,000, 64,000 and 1,000,000 VMAs) both sides get
 * the same address-space shape: a PROT_NONE reservation of N + 2 pages, then
 * N one-page MAP_FIXED mappings inside it (the first and last page stay
 * PROT_NONE as guards) whose protection alternates between PROT_READ|
 * PROT_WRITE and PROT_READ, so no two neighbours merge: N VMAs, plus a
 * 1024-page read-write VMA used by the mprotect workload. usermm runs in this
 * process; the kernel side runs in a forked child, so it starts from a
 * small, clean address space and its teardown is not timed, using raw
 * syscall(2) calls.
 *
 * Workloads (each op counted as one):
 *   populate   the N MAP_FIXED mmaps of the setup itself (timed once).
 *   find       usermm: umm_find_vma() at a random mapped page. The kernel
 *              has no "find VMA" system call; mincore() of that one page is
 *              the cheapest call that does the same lookup (vma_lookup()
 *              under mmap_lock) followed by a trivial page-table walk (the
 *              pages are never touched), so the kernel figure includes
 *              syscall entry and exit. The getppid() round trip is printed
 *              as a baseline for that overhead.
 *   mmap+munmap  map one anonymous read-only page (see MMAP_PROT) at an
 *              address of the kernel's (usermm's) choosing, then unmap it.
 *   mprotect split+merge  make the middle page of the 1024-page VMA
 *              read-only (the VMA splits into 3) and read-write again (the
 *              three merge back into 1); the pair is one op.
 *   brk        grow the break by one page, then shrink it back; the pair
 *              is one op (the heap is first given 16 pages so that both
 *              sides expand and shrink an existing heap VMA).
 *
 * Each measured workload is calibrated to rounds of about --round-ms, run
 * for a number of rounds, and the median ns/op is reported. Random page
 * choices come from a fixed-seed generator, restarted for every round, so
 * both sides see the same address sequence.
 *
 * For the kernel side to hold N VMAs vm.max_map_count must be at least N
 * plus the process's own mappings; if it is lower the benchmark raises
 * /proc/sys/vm/max_map_count (root only) and restores the old value
 * afterwards (also on SIGINT/SIGTERM/SIGHUP). If that file cannot be
 * written, the kernel side of that size is skipped and the table says so.
 */
#define _GNU_SOURCE
#include "bench_memory.h"
#include "usermm.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PG 4096UL
#define BIG_PAGES 1024UL  /* the VMA the mprotect workload splits */
#define HEAP_PAGES 16UL   /* heap given before the brk workload */
/*
 * The mmap+munmap page is read-only: no anonymous read-only VMA lies next
 * to the gap the top-down search picks on either side, so both sides insert
 * and remove a VMA of its own. (A read-write page merges into whatever
 * read-write anonymous VMA happens to border that gap in the kernel child,
 * e.g. libc's, but not in usermm, and the two sides would do different
 * work.) The benchmark checks that it did not merge.
 */
#define MMAP_PROT PROT_READ
#define MAX_ROUNDS 15
#define MAX_SIZES 16
#define SEED 0x5eed0f0b5eedULL
#define MMC_PATH "/proc/sys/vm/max_map_count"

enum workload { WL_POPULATE, WL_FIND, WL_MMAP, WL_MPROTECT, WL_BRK, WL_COUNT };
static const char *const wl_names[WL_COUNT] = {
	"populate (MAP_FIXED)", "find", "mmap+munmap", "mprotect split+merge", "brk grow+shrink",
};

/* What one side (usermm or kernel) reports for one size. */
struct side_result {
	int ok;                /* 1: the figures below are valid */
	int skipped;           /* the side was not run (see msg) */
	double ns[WL_COUNT];   /* ns per op; < 0: not measured */
	unsigned long vmas;    /* VMAs after the setup */
	double syscall_ns;     /* kernel only: getppid() round trip */
	char msg[200];         /* why not ok, or a warning */
};

/* Appends a message (a failure or a warning) to res->msg. */
__attribute__((format(printf, 2, 3))) static void note(struct side_result *res, const char *fmt, ...)
{
	size_t used = strlen(res->msg);
	va_list ap;

	if (used && used + 2 < sizeof(res->msg)) {
		strcpy(res->msg + used, "; ");
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(res->msg + used, sizeof(res->msg) - used, fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------------
 * Options, timing, random numbers
 * ------------------------------------------------------------------- */

static struct {
	unsigned long sizes[MAX_SIZES];
	int nsizes;
	uint64_t round_ns;
	int rounds;
	bool quick;
	bool no_kernel;
	bool no_memory;
} opt;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* splitmix64: small, fast, good enough to pick pages. */
static uint64_t rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) by multiply-shift (bias negligible for n << 2^64). */
static unsigned long rnd_below(uint64_t *s, unsigned long n)
{
	return (unsigned long)(((unsigned __int128)rnd_next(s) * n) >> 64);
}

/* One side's state: mm is NULL on the kernel side. */
struct ctx {
	struct umm_mm *mm;
	unsigned long base;   /* first of the N one-page VMAs */
	unsigned long npages; /* N */
	unsigned long big;    /* start of the BIG_PAGES VMA */
	unsigned long heap;   /* page-aligned heap end for the brk workload */
};

typedef int (*loop_fn)(struct ctx *c, uint64_t iters);

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Runs fn for rounds of about opt.round_ns (after doubling the iteration
 * count from 1 to calibrate, which also warms up) and stores the median
 * ns per op. 0, or fn's negative errno.
 */
static int measure(loop_fn fn, struct ctx *c, double *ns_per_op)
{
	double v[MAX_ROUNDS];
	uint64_t iters = 1, t = 0, n;
	int r;

	for (;;) {
		uint64_t t0 = now_ns();

		r = fn(c, iters);
		if (r)
			return r;
		t = now_ns() - t0;
		if (t >= opt.round_ns / 8 || iters >= (1ULL << 32))
			break;
		iters *= 2;
	}
	n = t ? (uint64_t)((double)opt.round_ns * (double)iters / (double)t) : iters;
	if (n < 1)
		n = 1;
	for (int k = 0; k < opt.rounds; k++) {
		uint64_t t0 = now_ns();

		r = fn(c, n);
		if (r)
			return r;
		v[k] = (double)(now_ns() - t0) / (double)n;
	}
	qsort(v, (size_t)opt.rounds, sizeof(v[0]), cmp_double);
	*ns_per_op = v[opt.rounds / 2];
	return 0;
}

/* ---------------------------------------------------------------------
 * usermm side
 * ------------------------------------------------------------------- */

static int u_find(struct ctx *c, uint64_t iters)
{
	struct umm_vma_info vi;
	uint64_t s = SEED;

	for (uint64_t i = 0; i < iters; i++) {
		unsigned long a = c->base + rnd_below(&s, c->npages) * PG;
		int r = umm_find_vma(c->mm, a, &vi);

		if (r)
			return r;
		if (vi.start != a) /* every page is its own VMA */
			return -EFAULT;
	}
	return 0;
}

static int u_mmap(struct ctx *c, uint64_t iters)
{
	for (uint64_t i = 0; i < iters; i++) {
		long a = umm_mmap(c->mm, 0, PG, MMAP_PROT, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
		int r;

		if (a < 0)
			return (int)a;
		r = umm_munmap(c->mm, (unsigned long)a, PG);
		if (r)
			return r;
	}
	return 0;
}

static int u_mprotect(struct ctx *c, uint64_t iters)
{
	unsigned long mid = c->big + BIG_PAGES / 2 * PG;

	for (uint64_t i = 0; i < iters; i++) {
		int r = umm_mprotect(c->mm, mid, PG, PROT_READ);

		if (r)
			return r;
		r = umm_mprotect(c->mm, mid, PG, PROT_READ | PROT_WRITE);
		if (r)
			return r;
	}
	return 0;
}

static int u_brk(struct ctx *c, uint64_t iters)
{
	for (uint64_t i = 0; i < iters; i++) {
		if (umm_brk(c->mm, c->heap + PG) != c->heap + PG)
			return -ENOMEM;
		if (umm_brk(c->mm, c->heap) != c->heap)
			return -ENOMEM;
	}
	return 0;
}

static unsigned long u_vmas(struct ctx *c)
{
	struct umm_mm_stats st;

	umm_mm_stats(c->mm, &st);
	return st.map_count;
}

static void run_usermm(unsigned long n, struct side_result *res)
{
	struct umm_config cfg;
	struct ctx c = { .npages = n };
	char msg[160];
	unsigned long before, brk0;
	uint64_t t0;
	long a;
	int r = 0;
	const char *what = "";

	umm_config_init(&cfg);
	cfg.max_map_count = n + 4096;
	c.mm = umm_mm_create(&cfg);
	if (!c.mm) {
		note(res, "umm_mm_create failed");
		return;
	}

	what = "reservation";
	a = umm_mmap(c.mm, 0, (n + 2) * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, NULL, 0);
	if (a < 0) {
		r = (int)a;
		goto fail;
	}
	c.base = (unsigned long)a + PG;
	what = "populate";
	t0 = now_ns();
	for (unsigned long i = 0; i < n; i++) {
		unsigned long p = c.base + i * PG;
		int prot = (i & 1) ? PROT_READ : PROT_READ | PROT_WRITE;

		a = umm_mmap(c.mm, p, PG, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
		if (a != (long)p) {
			r = a < 0 ? (int)a : -EFAULT;
			goto fail;
		}
	}
	res->ns[WL_POPULATE] = (double)(now_ns() - t0) / (double)n;

	what = "big VMA";
	a = umm_mmap(c.mm, 0, BIG_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	if (a < 0) {
		r = (int)a;
		goto fail;
	}
	c.big = (unsigned long)a;
	res->vmas = u_vmas(&c);
	if (umm_mm_check(c.mm, msg, sizeof(msg)))
		note(res, "umm_mm_check after setup: %s", msg);

	what = "find";
	r = measure(u_find, &c, &res->ns[WL_FIND]);
	if (r)
		goto fail;
	what = "mmap+munmap";
	before = u_vmas(&c);
	a = umm_mmap(c.mm, 0, PG, MMAP_PROT, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	if (a < 0) {
		r = (int)a;
		goto fail;
	}
	if (u_vmas(&c) != before + 1)
		note(res, "the mmap+munmap page merged with a neighbour");
	r = umm_munmap(c.mm, (unsigned long)a, PG);
	if (r)
		goto fail;
	r = measure(u_mmap, &c, &res->ns[WL_MMAP]);
	if (r)
		goto fail;
	what = "mprotect";
	before = u_vmas(&c);
	r = measure(u_mprotect, &c, &res->ns[WL_MPROTECT]);
	if (r)
		goto fail;
	if (u_vmas(&c) != before)
		note(res, "mprotect pair did not merge back: %lu VMAs, was %lu",
			 u_vmas(&c), before);

	what = "brk";
	brk0 = umm_brk(c.mm, 0);
	c.heap = ((brk0 + PG - 1) & ~(PG - 1)) + HEAP_PAGES * PG;
	if (umm_brk(c.mm, c.heap) != c.heap) {
		r = -ENOMEM;
		goto fail;
	}
	r = measure(u_brk, &c, &res->ns[WL_BRK]);
	if (r)
		goto fail;
	umm_brk(c.mm, brk0);

	if (umm_mm_check(c.mm, msg, sizeof(msg)))
		note(res, "umm_mm_check at the end: %s", msg);
	res->ok = 1;
	umm_mm_destroy(c.mm);
	return;
fail:
	note(res, "%s failed: %s", what, strerror(-r));
	umm_mm_destroy(c.mm);
}

/* ---------------------------------------------------------------------
 * Kernel side (runs in a forked child)
 * ------------------------------------------------------------------- */

static long k_mmap_raw(unsigned long addr, unsigned long len, int prot, int flags)
{
	return syscall(SYS_mmap, addr, len, prot, flags, -1, 0L);
}

static int k_find(struct ctx *c, uint64_t iters)
{
	unsigned char vec[1];
	uint64_t s = SEED;

	for (uint64_t i = 0; i < iters; i++) {
		unsigned long a = c->base + rnd_below(&s, c->npages) * PG;

		if (syscall(SYS_mincore, a, PG, vec))
			return -errno;
	}
	return 0;
}

static int k_mmap(struct ctx *c, uint64_t iters)
{
	(void)c;
	for (uint64_t i = 0; i < iters; i++) {
		long a = k_mmap_raw(0, PG, MMAP_PROT, MAP_PRIVATE | MAP_ANONYMOUS);

		if (a == -1)
			return -errno;
		if (syscall(SYS_munmap, a, PG))
			return -errno;
	}
	return 0;
}

static int k_mprotect(struct ctx *c, uint64_t iters)
{
	unsigned long mid = c->big + BIG_PAGES / 2 * PG;

	for (uint64_t i = 0; i < iters; i++) {
		if (syscall(SYS_mprotect, mid, PG, PROT_READ))
			return -errno;
		if (syscall(SYS_mprotect, mid, PG, PROT_READ | PROT_WRITE))
			return -errno;
	}
	return 0;
}

static int k_brk(struct ctx *c, uint64_t iters)
{
	for (uint64_t i = 0; i < iters; i++) {
		if ((unsigned long)syscall(SYS_brk, c->heap + PG) != c->heap + PG)
			return -ENOMEM;
		if ((unsigned long)syscall(SYS_brk, c->heap) != c->heap)
			return -ENOMEM;
	}
	return 0;
}

static int k_null(struct ctx *c, uint64_t iters)
{
	(void)c;
	for (uint64_t i = 0; i < iters; i++)
		syscall(SYS_getppid);
	return 0;
}

/* Lines of /proc/self/maps, read without malloc: the VMA count. */
static unsigned long k_vmas(void)
{
	static char buf[1 << 16];
	unsigned long lines = 0;
	ssize_t got;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < got; i++)
			lines += buf[i] == '\n';
	close(fd);
	return lines;
}

static void run_kernel(unsigned long n, struct side_result *res)
{
	struct ctx c = { .npages = n };
	unsigned long before, brk0;
	const char *what = "";
	uint64_t t0;
	long a;
	int r = 0;

	what = "getppid";
	r = measure(k_null, &c, &res->syscall_ns);
	if (r)
		goto fail;

	what = "reservation";
	a = k_mmap_raw(0, (n + 2) * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
	if (a == -1) {
		r = -errno;
		goto fail;
	}
	c.base = (unsigned long)a + PG;
	what = "populate";
	t0 = now_ns();
	for (unsigned long i = 0; i < n; i++) {
		unsigned long p = c.base + i * PG;
		int prot = (i & 1) ? PROT_READ : PROT_READ | PROT_WRITE;

		a = k_mmap_raw(p, PG, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
		if (a != (long)p) {
			r = a == -1 ? -errno : -EFAULT;
			goto fail;
		}
	}
	res->ns[WL_POPULATE] = (double)(now_ns() - t0) / (double)n;

	what = "big VMA";
	a = k_mmap_raw(0, BIG_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (a == -1) {
		r = -errno;
		goto fail;
	}
	c.big = (unsigned long)a;
	res->vmas = k_vmas();

	what = "find (mincore)";
	r = measure(k_find, &c, &res->ns[WL_FIND]);
	if (r)
		goto fail;
	what = "mmap+munmap";
	before = k_vmas();
	a = k_mmap_raw(0, PG, MMAP_PROT, MAP_PRIVATE | MAP_ANONYMOUS);
	if (a == -1) {
		r = -errno;
		goto fail;
	}
	if (k_vmas() != before + 1)
		note(res, "the mmap+munmap page merged with a neighbour");
	if (syscall(SYS_munmap, a, PG)) {
		r = -errno;
		goto fail;
	}
	r = measure(k_mmap, &c, &res->ns[WL_MMAP]);
	if (r)
		goto fail;
	what = "mprotect";
	before = k_vmas();
	r = measure(k_mprotect, &c, &res->ns[WL_MPROTECT]);
	if (r)
		goto fail;
	if (k_vmas() != before)
		note(res, "mprotect pair did not merge back");

	what = "brk";
	brk0 = (unsigned long)syscall(SYS_brk, 0UL);
	c.heap = ((brk0 + PG - 1) & ~(PG - 1)) + HEAP_PAGES * PG;
	if ((unsigned long)syscall(SYS_brk, c.heap) != c.heap) {
		r = -ENOMEM;
		goto fail;
	}
	r = measure(k_brk, &c, &res->ns[WL_BRK]);
	if (r)
		goto fail;
	syscall(SYS_brk, brk0);
	res->ok = 1;
	return;
fail:
	note(res, "%s failed: %s", what, strerror(-r));
}

/* ---------------------------------------------------------------------
 * vm.max_map_count: raise when needed, always restore
 * ------------------------------------------------------------------- */

static char saved_mmc[32];             /* the old value, as read */
static volatile sig_atomic_t mmc_raised; /* saved_mmc must be written back */
static volatile sig_atomic_t in_child;
static volatile pid_t kernel_child;      /* running kernel-side child, or 0 */

static unsigned long read_mmc(void)
{
	char buf[32];
	ssize_t got;
	int fd = open(MMC_PATH, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return 0;
	buf[got] = '\0';
	return strtoul(buf, NULL, 10);
}

/* Async-signal-safe (open/write/close only). 0 or -1. */
static int write_mmc_str(const char *s)
{
	int fd = open(MMC_PATH, O_WRONLY | O_CLOEXEC);
	ssize_t len = (ssize_t)strlen(s), put;

	if (fd < 0)
		return -1;
	put = write(fd, s, (size_t)len);
	close(fd);
	return put == len ? 0 : -1;
}

static void restore_mmc(void)
{
	if (mmc_raised && !in_child) {
		if (write_mmc_str(saved_mmc))
			fprintf(stderr, "umm_bench: could not restore %s to %s\n", MMC_PATH, saved_mmc);
		mmc_raised = 0;
	}
}

static void on_signal(int sig)
{
	if (!in_child && kernel_child > 0)
		kill(kernel_child, SIGKILL);
	if (mmc_raised && !in_child)
		write_mmc_str(saved_mmc);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Makes max_map_count at least need. 0 on success, -1 if it cannot be
 * raised (with why filled in).
 */
static int ensure_mmc(unsigned long need, char *why, size_t len)
{
	unsigned long cur = read_mmc();
	char val[32];

	if (cur >= need)
		return 0;
	if (!mmc_raised) {
		int fd = open(MMC_PATH, O_RDONLY | O_CLOEXEC);
		ssize_t got = fd >= 0 ? read(fd, saved_mmc, sizeof(saved_mmc) - 1) : -1;

		if (fd >= 0)
			close(fd);
		if (got <= 0) {
			snprintf(why, len, "cannot read %s", MMC_PATH);
			return -1;
		}
		saved_mmc[got] = '\0';
	}
	snprintf(val, sizeof(val), "%lu\n", need);
	if (write_mmc_str(val)) {
		snprintf(why, len, "vm.max_map_count is %lu < %lu and %s is not writable (%s)", cur, need,
			 MMC_PATH, strerror(errno));
		return -1;
	}
	mmc_raised = 1;
	return 0;
}

/* Runs run_kernel() in a child and collects its result. */
static void run_kernel_child(unsigned long n, struct side_result *res)
{
	int fds[2], status;
	unsigned long need;
	ssize_t got = 0;
	pid_t pid;

	/* N + guards + the big VMA + this process's own mappings + slack. */
	need = n + 2 + 1 + k_vmas() + 64;
	if (ensure_mmc(need, res->msg, sizeof(res->msg))) {
		res->skipped = 1;
		return;
	}
	if (pipe(fds)) {
		note(res, "pipe: %s", strerror(errno));
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		note(res, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		const char *p = (const char *)res;
		size_t left = sizeof(*res);

		in_child = 1;
		close(fds[0]);
		run_kernel(n, res);
		while (left) {
			ssize_t w = write(fds[1], p, left);

			if (w <= 0)
				_exit(1);
			p += w;
			left -= (size_t)w;
		}
		_exit(0);
	}
	kernel_child = pid;
	close(fds[1]);
	{
		struct side_result tmp;
		char *p = (char *)&tmp;

		while ((size_t)got < sizeof(tmp)) {
			ssize_t r = read(fds[0], p + got, sizeof(tmp) - (size_t)got);

			if (r <= 0)
				break;
			got += r;
		}
		if ((size_t)got == sizeof(tmp))
			*res = tmp;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	kernel_child = 0;
	if ((size_t)got != sizeof(*res)) {
		if (WIFSIGNALED(status))
			note(res, "kernel child killed by signal %d", WTERMSIG(status));
		else
			note(res, "kernel child exited without a result");
	}
	restore_mmc();
}

/* ---------------------------------------------------------------------
 * Main
 * ------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: umm_bench [--sizes N[,N...]] [--quick] [--round-ms MS] [--rounds R] [--no-kernel]\n"
		"                 [--no-memory]\n"
		"  --sizes     VMA counts to run (suffix k or m allowed); default 1000,64000,1000000\n"
		"  --quick     tiny run (smoke test): size 1000 unless --sizes, 2 ms rounds\n"
		"  --round-ms  length of one timed round (default 40)\n"
		"  --rounds    timed rounds per figure, median reported (default 5, max %d)\n"
		"  --no-kernel measure usermm only\n"
		"  --no-memory leave out the memory layer's figures (faults, guest access)\n",
		MAX_ROUNDS);
}

static int parse_sizes(const char *s)
{
	opt.nsizes = 0;
	while (*s) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);

		if (end == s)
			return -1;
		if (*end == 'k' || *end == 'K')
			v *= 1000, end++;
		else if (*end == 'm' || *end == 'M')
			v *= 1000000, end++;
		if (v < 16 || v > 16000000 || opt.nsizes == MAX_SIZES)
			return -1;
		opt.sizes[opt.nsizes++] = v;
		if (*end == ',')
			end++;
		else if (*end)
			return -1;
		s = end;
	}
	return opt.nsizes ? 0 : -1;
}

static void print_ns(double v, bool ok)
{
	if (ok && v >= 0)
		printf(" %14.1f", v);
	else
		printf(" %14s", "-");
}

int main(int argc, char **argv)
{
	static const unsigned long default_sizes[] = { 1000, 64000, 1000000 };
	bool sizes_given = false;
	long round_ms = -1;
	struct utsname un;

	opt.rounds = -1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
			if (parse_sizes(argv[++i])) {
				fprintf(stderr, "umm_bench: bad --sizes '%s'\n", argv[i]);
				return 2;
			}
			sizes_given = true;
		} else if (!strcmp(argv[i], "--quick")) {
			opt.quick = true;
		} else if (!strcmp(argv[i], "--round-ms") && i + 1 < argc) {
			round_ms = strtol(argv[++i], NULL, 10);
			if (round_ms < 1 || round_ms > 10000) {
				fprintf(stderr, "umm_bench: bad --round-ms\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			opt.rounds = (int)strtol(argv[++i], NULL, 10);
			if (opt.rounds < 1 || opt.rounds > MAX_ROUNDS) {
				fprintf(stderr, "umm_bench: bad --rounds\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--no-kernel")) {
			opt.no_kernel = true;
		} else if (!strcmp(argv[i], "--no-memory")) {
			opt.no_memory = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!sizes_given) {
		if (opt.quick) {
			opt.sizes[0] = 1000;
			opt.nsizes = 1;
		} else {
			for (size_t i = 0; i < sizeof(default_sizes) / sizeof(default_sizes[0]); i++)
				opt.sizes[opt.nsizes++] = default_sizes[i];
		}
	}
	if (round_ms < 0)
		round_ms = opt.quick ? 2 : 40;
	if (opt.rounds < 0)
		opt.rounds = opt.quick ? 3 : 5;
	opt.round_ns = (uint64_t)round_ms * 1000000ULL;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	if (uname(&un))
		strcpy(un.release, "?");
	printf("umm_bench: usermm %s vs this kernel (Linux %s), ns per op, median of %d rounds of ~%ld ms\n",
	       UMM_VERSION, un.release, opt.rounds, round_ms);
	printf("  kernel side: raw syscalls in a forked child. find: usermm umm_find_vma() vs kernel\n"
	       "  mincore() of the same random page (no find-VMA syscall exists; mincore does the\n"
	       "  VMA lookup plus a trivial page walk, and pays syscall entry/exit, see getppid).\n"
	       "  ratio = kernel / usermm (above 1: usermm faster).\n\n");
	printf("%9s  %-22s %14s %14s %8s\n", "VMAs", "workload", "usermm ns/op", "kernel ns/op", "ratio");

	for (int s = 0; s < opt.nsizes; s++) {
		unsigned long n = opt.sizes[s];
		struct side_result u, k;

		memset(&u, 0, sizeof(u));
		memset(&k, 0, sizeof(k));
		for (int w = 0; w < WL_COUNT; w++)
			u.ns[w] = k.ns[w] = -1;
		if (opt.no_kernel) {
			k.skipped = 1;
			snprintf(k.msg, sizeof(k.msg), "--no-kernel");
		} else {
			run_kernel_child(n, &k);
		}
		run_usermm(n, &u);

		for (int w = 0; w < WL_COUNT; w++) {
			bool uok = u.ok || (w == WL_POPULATE && u.ns[w] >= 0);
			bool kok = k.ok || (w == WL_POPULATE && k.ns[w] >= 0);

			printf("%9lu  %-22s", n, wl_names[w]);
			print_ns(u.ns[w], uok);
			print_ns(k.ns[w], kok);
			if (uok && kok && u.ns[w] > 0 && k.ns[w] >= 0)
				printf(" %8.2f\n", k.ns[w] / u.ns[w]);
			else
				printf(" %8s\n", "-");
		}
		printf("%9s  VMAs after setup: usermm %lu", "", u.vmas);
		if (k.vmas)
			printf(", kernel %lu (with the process's own)", k.vmas);
		if (k.ok)
			printf("; kernel getppid() %.1f ns", k.syscall_ns);
		printf("\n");
		if (u.msg[0])
			printf("%9s  usermm: %s\n", "", u.msg);
		if (k.msg[0])
			printf("%9s  kernel: %s%s\n", "", k.skipped ? "skipped: " : "", k.msg);
		fflush(stdout);
	}
	restore_mmc();
	if (!opt.no_memory)
		run_memory_bench();
	return 0;
}
