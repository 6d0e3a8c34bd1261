/*
 * test_host_config.c - owns the tests of umm_config_from_host: every field
 * against what this test reads from the host itself (sysctl files,
 * /proc/meminfo, getrlimit, /proc/self/status), the personality and
 * rlimit variants in child processes, the defaults on failure, and that a
 * space made from the host's config places mappings where a real child
 * process does (the kernel runner of the oracle, and the loader of an
 * exec'd cat). Checks inside child processes return an exit status
 * instead of using cmocka's asserts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "oracle.h"
#include "usermm.h"

#define PAGE 4096UL
#define LSM_MIN 65536UL

/* A check inside a child: print and fail with exit status 1. */
#define CHECK(c)                                                                      \
	do {                                                                          \
		if (!(c)) {                                                           \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
			return 1;                                                     \
		}                                                                     \
	} while (0)

/* ---------------------------------------------------------------------
 * Reading the host, independently of the library
 * ------------------------------------------------------------------- */

static unsigned long host_ulong(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned long v = 0;

	assert_non_null(f);
	assert_int_equal(fscanf(f, "%lu", &v), 1);
	fclose(f);
	return v;
}

/* A "Key: N kB" line of /proc/meminfo. */
static unsigned long host_meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	unsigned long v = ~0UL;
	size_t n = strlen(key);

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, n) == 0 && line[n] == ':')
			v = strtoul(line + n + 1, NULL, 10);
	fclose(f);
	assert_true(v != ~0UL);
	return v;
}

/* CapEff of /proc/self/status. */
static unsigned long long host_cap_eff(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long v = 0;
	bool found = false;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &v) == 1)
			found = true;
	fclose(f);
	assert_true(found);
	return v;
}

static unsigned long umm_rl(rlim_t v)
{
	return v == RLIM_INFINITY ? UMM_RLIM_INFINITY : (unsigned long)v;
}

static bool rlimit_is(int resource, const struct umm_rlimit *r)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl))
		return false;
	return r->cur == umm_rl(rl.rlim_cur) && r->max == umm_rl(rl.rlim_max);
}

/* Runs fn in a child process; its return value is the exit status. */
static int in_child(int (*fn)(void *), void *arg)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void from_host(struct umm_config *cfg)
{
	assert_int_equal(umm_config_from_host(cfg), 0);
}

/* ---------------------------------------------------------------------
 * Fields against the host
 * ------------------------------------------------------------------- */

static void sysctls_match(void **state)
{
	struct umm_config c;
	unsigned long dac = host_ulong("/proc/sys/vm/mmap_min_addr");

	(void)state;
	from_host(&c);
	assert_int_equal(c.max_map_count, host_ulong("/proc/sys/vm/max_map_count"));
	assert_int_equal(c.overcommit_memory, host_ulong("/proc/sys/vm/overcommit_memory"));
	assert_int_equal(c.overcommit_ratio, host_ulong("/proc/sys/vm/overcommit_ratio"));
	assert_int_equal(c.overcommit_kbytes, host_ulong("/proc/sys/vm/overcommit_kbytes"));
	assert_int_equal(c.admin_reserve_kbytes, host_ulong("/proc/sys/vm/admin_reserve_kbytes"));
	assert_int_equal(c.user_reserve_kbytes, host_ulong("/proc/sys/vm/user_reserve_kbytes"));
	assert_int_equal(c.mmap_min_addr, dac);
	assert_int_equal(c.mmap_min_addr_hint, dac > LSM_MIN ? dac : LSM_MIN);
	/* not exposed: the defaults stay */
	assert_int_equal(c.stack_guard_gap, 1UL << 20);
	assert_int_equal(c.page_size, PAGE);
	assert_int_equal(c.task_size, (1UL << 47) - PAGE);
	assert_int_equal(c.mmap_base, 0);
	assert_int_equal(c.start_brk, 0);
	assert_int_equal(c.seed, 0);
}

static void rnd_bits_match(void **state)
{
	struct umm_config c;
	FILE *f = fopen("/proc/sys/vm/mmap_rnd_bits", "r");
	unsigned long bits = 28;

	(void)state;
	if (f) { /* root only */
		assert_int_equal(fscanf(f, "%lu", &bits), 1);
		fclose(f);
	}
	from_host(&c);
	assert_int_equal(c.mmap_rnd_bits, bits);
}

static void layout_and_randomize_match(void **state)
{
	struct umm_config c;
	int pers = personality(0xffffffff);
	bool legacy = host_ulong("/proc/sys/vm/legacy_va_layout") || (pers & ADDR_COMPAT_LAYOUT);
	bool rnd = host_ulong("/proc/sys/kernel/randomize_va_space") &&
		   !(pers & ADDR_NO_RANDOMIZE);

	(void)state;
	from_host(&c);
	assert_int_equal(c.layout, legacy ? UMM_LAYOUT_LEGACY : UMM_LAYOUT_TOPDOWN);
	assert_int_equal(c.randomize, rnd);
}

static void meminfo_matches(void **state)
{
	struct umm_config c;
	unsigned long before, after, lo, hi, slack;

	(void)state;
	before = host_meminfo_kb("Committed_AS") / 4;
	from_host(&c);
	after = host_meminfo_kb("Committed_AS") / 4;
	assert_int_equal(c.totalram_pages, host_meminfo_kb("MemTotal") / 4);
	assert_int_equal(c.total_swap_pages, host_meminfo_kb("SwapTotal") / 4);
	/* Committed_AS moves with every process on the machine (other tests
	 * run in parallel); far from CommitLimit and from 0 is enough to show
	 * the right field is read. */
	lo = before < after ? before : after;
	hi = before < after ? after : before;
	slack = hi / 2 + (256UL << 20) / PAGE;
	assert_true(c.committed_other_pages + slack >= lo);
	assert_true(c.committed_other_pages <= hi + slack);
	assert_true(c.committed_other_pages > 0);
}

static void rlimits_match(void **state)
{
	struct umm_config c;

	(void)state;
	from_host(&c);
	assert_true(rlimit_is(RLIMIT_AS, &c.rlimit_as));
	assert_true(rlimit_is(RLIMIT_DATA, &c.rlimit_data));
	assert_true(rlimit_is(RLIMIT_MEMLOCK, &c.rlimit_memlock));
	assert_true(rlimit_is(RLIMIT_STACK, &c.rlimit_stack));
}

static void caps_match(void **state)
{
	struct umm_config c;
	unsigned long long eff = host_cap_eff();

	(void)state;
	from_host(&c);
	assert_int_equal(c.cap_sys_rawio, (eff >> CAP_SYS_RAWIO) & 1);
	assert_int_equal(c.cap_ipc_lock, (eff >> CAP_IPC_LOCK) & 1);
	assert_int_equal(c.cap_sys_admin, (eff >> CAP_SYS_ADMIN) & 1);
}

/* Lines of /proc/self/maps that start in [lo, hi). */
static int maps_lines_in(unsigned long lo, unsigned long hi)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long start, end;
	char line[512];
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &start, &end) == 2 && start >= lo && start < hi)
			n++;
	fclose(f);
	return n;
}

static int child_pkey_alloc(void *arg)
{
	(void)arg;
	return syscall(SYS_pkey_alloc, 0, 0) >= 0;
}

/* The build settings, measured here by what they change: whether a read
 * fault keeps three VMAs from merging, whether a process gets a key, and
 * which hstate directories exist. */
static void kernel_build_matches(void **state)
{
	/* Alone in its own 2 MiB, so that no neighbour merges with it. */
	unsigned char *p = mmap((void *)0x240000000000UL, 3 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	unsigned long a = (unsigned long)p;
	struct umm_config c;

	(void)state;
	from_host(&c);
	assert_true(p != MAP_FAILED);
	assert_int_equal(mprotect(p + PAGE, PAGE, PROT_READ), 0);
	(void)*(volatile unsigned char *)(p + 2 * PAGE);
	p[0] = 1;
	assert_int_equal(mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE), 0);
	assert_int_equal(maps_lines_in(a, a + 3 * PAGE), c.zero_page ? 1 : 2);
	munmap(p, 3 * PAGE);
	assert_int_equal(in_child(child_pkey_alloc, NULL), c.pkeys);
	assert_int_equal(!access("/sys/kernel/mm/hugepages/hugepages-2048kB", F_OK),
			 (c.hugetlb_shifts >> 21) & 1);
	assert_int_equal(!access("/sys/kernel/mm/hugepages/hugepages-1048576kB", F_OK),
			 (c.hugetlb_shifts >> 30) & 1);
}

static void null_config(void **state)
{
	(void)state;
	assert_int_equal(umm_config_from_host(NULL), -EINVAL);
}

/* ---------------------------------------------------------------------
 * Variants in child processes
 * ------------------------------------------------------------------- */

static int set_limit(int resource, rlim_t cur, rlim_t max)
{
	struct rlimit rl = { cur, max };

	return setrlimit(resource, &rl);
}

/* Lowered limits (a process may always lower them). AS and DATA stay
 * far above what a sanitizer runtime has reserved (some TiB of shadow),
 * or its next allocation would fail. */
#define BIG_LIMIT (1UL << 46)
static int child_rlimits(void *arg)
{
	struct umm_config c;

	(void)arg;
	CHECK(set_limit(RLIMIT_AS, BIG_LIMIT, BIG_LIMIT) == 0);
	CHECK(set_limit(RLIMIT_DATA, BIG_LIMIT / 2, RLIM_INFINITY) == 0 ||
	      set_limit(RLIMIT_DATA, BIG_LIMIT / 2, BIG_LIMIT / 2) == 0);
	CHECK(set_limit(RLIMIT_MEMLOCK, 64UL << 10, 64UL << 10) == 0);
	CHECK(set_limit(RLIMIT_STACK, 1UL << 20, 2UL << 20) == 0);
	CHECK(umm_config_from_host(&c) == 0);
	CHECK(c.rlimit_as.cur == BIG_LIMIT && c.rlimit_as.max == BIG_LIMIT);
	CHECK(c.rlimit_data.cur == BIG_LIMIT / 2 && rlimit_is(RLIMIT_DATA, &c.rlimit_data));
	CHECK(c.rlimit_memlock.cur == 64UL << 10 && c.rlimit_memlock.max == 64UL << 10);
	CHECK(c.rlimit_stack.cur == 1UL << 20 && c.rlimit_stack.max == 2UL << 20);
	CHECK(set_limit(RLIMIT_STACK, 2UL << 20, 2UL << 20) == 0);
	CHECK(umm_config_from_host(&c) == 0);
	CHECK(c.rlimit_stack.cur == 2UL << 20 && c.rlimit_stack.max == 2UL << 20);
	return 0;
}

static void rlimit_variants(void **state)
{
	(void)state;
	assert_int_equal(in_child(child_rlimits, NULL), 0);
}

static int child_personality(void *arg)
{
	bool rnd = host_ulong("/proc/sys/kernel/randomize_va_space") != 0;
	bool sys_legacy = host_ulong("/proc/sys/vm/legacy_va_layout") != 0;
	struct umm_config c;

	(void)arg;
	CHECK(personality(PER_LINUX) != -1);
	CHECK(umm_config_from_host(&c) == 0);
	CHECK(c.randomize == rnd);
	CHECK(c.layout == (sys_legacy ? UMM_LAYOUT_LEGACY : UMM_LAYOUT_TOPDOWN));
	CHECK(personality(PER_LINUX | ADDR_NO_RANDOMIZE) != -1);
	CHECK(umm_config_from_host(&c) == 0);
	CHECK(!c.randomize);
	CHECK(personality(PER_LINUX | ADDR_COMPAT_LAYOUT) != -1);
	CHECK(umm_config_from_host(&c) == 0);
	CHECK(c.layout == UMM_LAYOUT_LEGACY && c.randomize == rnd);
	return 0;
}

static void personality_variants(void **state)
{
	(void)state;
	assert_int_equal(in_child(child_personality, NULL), 0);
}

/* Clears CAP_SYS_RAWIO, CAP_IPC_LOCK, CAP_SYS_ADMIN from the effective set. */
static int drop_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return -1;
	d[0].effective &= ~((1U << CAP_SYS_RAWIO) | (1U << CAP_IPC_LOCK) | (1U << CAP_SYS_ADMIN));
	return (int)syscall(SYS_capset, &h, d);
}

static int child_caps(void *arg)
{
	struct umm_config c;

	(void)arg;
	CHECK(drop_caps() == 0);
	CHECK(umm_config_from_host(&c) == 0);
	CHECK(!c.cap_sys_rawio && !c.cap_ipc_lock && !c.cap_sys_admin);
	return 0;
}

static void caps_dropped(void **state)
{
	(void)state;
	assert_int_equal(in_child(child_caps, NULL), 0);
}

static bool same_as_defaults(const struct umm_config *c)
{
	struct umm_config d;

	umm_config_init(&d);
	return c->max_map_count == d.max_map_count && c->user_reserve_kbytes == d.user_reserve_kbytes &&
	       c->totalram_pages == d.totalram_pages && c->rlimit_stack.cur == d.rlimit_stack.cur &&
	       c->rlimit_memlock.cur == d.rlimit_memlock.cur && c->cap_sys_rawio == d.cap_sys_rawio &&
	       c->cap_sys_admin == d.cap_sys_admin && c->randomize == d.randomize &&
	       c->committed_other_pages == d.committed_other_pages &&
	       c->mmap_min_addr_hint == d.mmap_min_addr_hint && c->layout == d.layout;
}

/* Without /proc (a private mount namespace with it detached), the call
 * fails and leaves the defaults. Exit status 77: could not set that up. */
static int child_no_proc(void *arg)
{
	struct umm_config c;
	int rc;

	(void)arg;
	if (unshare(CLONE_NEWNS) && unshare(CLONE_NEWUSER | CLONE_NEWNS))
		return 77;
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) || umount2("/proc", MNT_DETACH))
		return 77;
	if (access("/proc/sys/vm/max_map_count", F_OK) == 0)
		return 77;
	memset(&c, 0x5a, sizeof(c));
	rc = umm_config_from_host(&c);
	CHECK(rc < 0 && rc > -4096);
	CHECK(same_as_defaults(&c));
	return 0;
}

static void failure_leaves_defaults(void **state)
{
	int rc = in_child(child_no_proc, NULL);

	(void)state;
	if (rc == 77)
		skip();
	assert_int_equal(rc, 0);
}

/* ---------------------------------------------------------------------
 * Placement against real processes
 * ------------------------------------------------------------------- */

/*
 * The hint floor: a hint below the effective mmap_min_addr is raised to
 * it (round_hint_to_min). The same hints on the kernel, in this process
 * where low memory is free, and on an empty space from the host config.
 */
static void hint_floor_like_kernel(void **state)
{
	static const unsigned long hints[] = { PAGE, 0x8000, LSM_MIN - PAGE, LSM_MIN, 0x20000 };
	struct umm_config c;
	struct umm_mm *mm;

	(void)state;
	from_host(&c);
	c.randomize = false;
	mm = umm_mm_create(&c);
	assert_non_null(mm);
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		void *k = mmap((void *)hints[i], PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		long u = umm_mmap(mm, hints[i], PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);

		assert_true(k != MAP_FAILED);
		assert_int_equal(u, (long)(uintptr_t)k);
		assert_int_equal(munmap(k, PAGE), 0);
		assert_int_equal(umm_munmap(mm, (unsigned long)u, PAGE), 0);
		if (hints[i] < c.mmap_min_addr_hint)
			assert_int_equal(u, c.mmap_min_addr_hint);
	}
	umm_mm_destroy(mm);
}

/* The ops of a placement scenario: mmap(addr, len, prot, flags, -1, 0). */
struct place_op {
	unsigned long addr, len;
	int prot, flags;
};

static const struct place_op place_ops[] = {
	{ 0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS },
	{ 0, 2UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS },
	{ 0, 5 * PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS },
	{ 0, 1UL << 30, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE },
	{ 0x1000, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS },
	{ 0, 3 * PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS },
};
#define NPLACE (sizeof(place_ops) / sizeof(place_ops[0]))

static char *place_text(bool legacy)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	if (legacy)
		fprintf(f, "legacy\n");
	for (size_t i = 0; i < NPLACE; i++)
		fprintf(f, "mmap %#lx %#lx %d %d -1 0\n", place_ops[i].addr, place_ops[i].len,
			place_ops[i].prot, place_ops[i].flags);
	fclose(f);
	return text;
}

/* The child's setting: what the runner will have (it inherits it). */
static int become_runner_like(bool legacy)
{
	struct rlimit rl;

	if (personality(PER_LINUX | ADDR_NO_RANDOMIZE | (legacy ? ADDR_COMPAT_LAYOUT : 0)) == -1)
		return -1;
	if (getrlimit(RLIMIT_STACK, &rl))
		return -1;
	rl.rlim_cur = 8UL << 20;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur)
		rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_STACK, &rl))
		return -1;
	/* the runner drops these unless privileged; drop them first */
	return drop_caps();
}

static bool rl_equal(const struct umm_rlimit *a, const struct umm_rlimit *b)
{
	return a->cur == b->cur && a->max == b->max;
}

/* The config a child in the runner's situation gets agrees with what
 * the runner reported about itself. */
static int config_agrees(const struct umm_config *c, const struct oracle_run *run)
{
	CHECK(!c->randomize);
	CHECK(c->layout == (run->legacy ? UMM_LAYOUT_LEGACY : UMM_LAYOUT_TOPDOWN));
	CHECK(c->cap_sys_rawio == run->cap_sys_rawio && c->cap_ipc_lock == run->cap_ipc_lock &&
	      c->cap_sys_admin == run->cap_sys_admin);
	CHECK(rl_equal(&c->rlimit_as, &run->rl_as) && rl_equal(&c->rlimit_data, &run->rl_data));
	CHECK(rl_equal(&c->rlimit_memlock, &run->rl_memlock));
	CHECK(rl_equal(&c->rlimit_stack, &run->rl_stack));
	return 0;
}

/* Replays place_ops on mm and compares with the runner, op by op. */
static int replay_like_kernel(struct umm_mm *mm, const struct oracle_run *run)
{
	for (size_t i = 0; i < NPLACE; i++) {
		const struct place_op *op = &place_ops[i];
		long u = umm_mmap(mm, op->addr, op->len, op->prot, op->flags, NULL, 0);
		char *maps = umm_maps_string(mm);
		bool same = maps && run->maps[i + 1] && maps_text_equal(run->maps[i + 1], maps);

		if (u != run->results[i] || !same)
			fprintf(stderr, "op %zu: usermm %#lx, kernel %#lx; maps %s\n", i,
				(unsigned long)u, (unsigned long)run->results[i],
				same ? "equal" : "differ");
		free(maps);
		CHECK(u == run->results[i] && same);
	}
	return 0;
}

/* mmap_base must come out of the config as the kernel computed it, not
 * from the oracle's inference. */
static int place_in_space(const struct umm_config *c, const struct oracle_run *run)
{
	struct umm_import_opts opts = { run->start_brk, run->brk0, run->start_stack, run->start_code,
					run->end_code };
	struct umm_mm *mm = umm_mm_create(c);
	struct umm_mm_stats st;
	int bad_line = 0, rc;

	CHECK(mm != NULL);
	rc = umm_maps_import(mm, run->maps[0], &opts, &bad_line);
	if (rc)
		fprintf(stderr, "import: %d at line %d\n", rc, bad_line);
	umm_mm_stats(mm, &st);
	if (!rc && !run->legacy && st.mmap_base != umm_maps_infer_mmap_base(run->maps[0])) {
		fprintf(stderr, "mmap_base %#lx, inferred %#lx\n", st.mmap_base,
			umm_maps_infer_mmap_base(run->maps[0]));
		rc = -1;
	}
	if (!rc)
		rc = replay_like_kernel(mm, run);
	umm_mm_destroy(mm);
	return rc ? 1 : 0;
}

static int child_place(void *arg)
{
	bool legacy = arg != NULL;
	char *text = place_text(legacy);
	struct oracle_run run;
	struct umm_config c;
	int rc;

	CHECK(text != NULL);
	CHECK(become_runner_like(legacy) == 0);
	CHECK(umm_config_from_host(&c) == 0);
	CHECK(oracle_kernel_run(text, &run) == 0);
	free(text);
	rc = config_agrees(&c, &run);
	if (!rc)
		rc = place_in_space(&c, &run);
	oracle_run_free(&run);
	return rc;
}

static void first_mmaps_like_child_topdown(void **state)
{
	(void)state;
	if (host_ulong("/proc/sys/vm/legacy_va_layout"))
		skip();
	assert_int_equal(in_child(child_place, NULL), 0);
}

static void first_mmaps_like_child_legacy(void **state)
{
	(void)state;
	assert_int_equal(in_child(child_place, (void *)1), 0);
}

/* The maps text of `cat /proc/self/maps` run now; malloc'ed or NULL. */
static char *exec_cat_maps(void)
{
	char *buf = malloc(1 << 20);
	size_t used = 0;
	int fds[2];
	ssize_t n;
	pid_t pid;

	if (!buf || pipe(fds)) {
		free(buf);
		return NULL;
	}
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execlp("cat", "cat", "/proc/self/maps", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (pid > 0 && (n = read(fds[0], buf + used, (1 << 20) - 1 - used)) > 0)
		used += (size_t)n;
	close(fds[0]);
	buf[used] = '\0';
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return used ? buf : (free(buf), NULL);
}

/* Whether some line of a maps text starts (or ends) at addr. */
static bool has_line_at(const char *maps, unsigned long addr, bool end)
{
	for (const char *p = maps; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char *dash;
		unsigned long start = strtoul(p, &dash, 16);

		if ((end ? strtoul(dash + 1, NULL, 16) : start) == addr)
			return true;
	}
	return false;
}

/* The loader (mapped first, right under mmap_base when top-down, at it
 * when legacy) bounds mmap_base. umm_maps_infer_mmap_base must find it
 * too, while mmap_base is above the executable (see the import tests for
 * an unlimited stack). */
static bool base_fits(const char *maps, unsigned long base, bool legacy)
{
	if (legacy)
		return has_line_at(maps, base, false);
	if (base > 0x555555554000UL && umm_maps_infer_mmap_base(maps) != base)
		return false;
	return has_line_at(maps, base, true);
}

struct base_case {
	rlim_t stack;
	bool legacy;
};

/* A program exec'd by a child with this stack limit gets the mmap_base a
 * space from the child's host config computes: the loader ends there
 * (top-down) or starts there (legacy). */
static int child_mmap_base(void *arg)
{
	const struct base_case *bc = arg;
	struct umm_config c;
	struct umm_mm_stats st;
	struct umm_mm *mm;
	char *maps;
	int ok;

	CHECK(personality(PER_LINUX | ADDR_NO_RANDOMIZE | (bc->legacy ? ADDR_COMPAT_LAYOUT : 0)) !=
	      -1);
	if (set_limit(RLIMIT_STACK, bc->stack, RLIM_INFINITY) &&
	    set_limit(RLIMIT_STACK, bc->stack, bc->stack))
		return 77;
	CHECK(umm_config_from_host(&c) == 0);
	mm = umm_mm_create(&c);
	CHECK(mm != NULL);
	umm_mm_stats(mm, &st);
	umm_mm_destroy(mm);
	maps = exec_cat_maps();
	CHECK(maps != NULL);
	ok = base_fits(maps, st.mmap_base, c.layout == UMM_LAYOUT_LEGACY);
	if (!ok)
		fprintf(stderr, "mmap_base %#lx (stack %#lx) does not fit:\n%s", st.mmap_base,
			(unsigned long)bc->stack, maps);
	free(maps);
	return ok ? 0 : 1;
}

static void mmap_base_like_exec(void **state)
{
	static const struct base_case cases[] = {
		{ 8UL << 20, false },  { 64UL << 20, false }, { 200UL << 20, false },
		{ 3UL << 30, false },  { RLIM_INFINITY, false }, { 8UL << 20, true },
	};
	bool sys_legacy = host_ulong("/proc/sys/vm/legacy_va_layout") != 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = in_child(child_mmap_base, (void *)&cases[i]);

		if (rc == 77 || (sys_legacy && !cases[i].legacy))
			continue; /* a hard limit below it, or no top-down to test */
		assert_int_equal(rc, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sysctls_match),
		cmocka_unit_test(rnd_bits_match),
		cmocka_unit_test(layout_and_randomize_match),
		cmocka_unit_test(meminfo_matches),
		cmocka_unit_test(rlimits_match),
		cmocka_unit_test(caps_match),
		cmocka_unit_test(kernel_build_matches),
		cmocka_unit_test(null_config),
		cmocka_unit_test(rlimit_variants),
		cmocka_unit_test(personality_variants),
		cmocka_unit_test(caps_dropped),
		cmocka_unit_test(failure_leaves_defaults),
		cmocka_unit_test(hint_floor_like_kernel),
		cmocka_unit_test(first_mmaps_like_child_topdown),
		cmocka_unit_test(first_mmaps_like_child_legacy),
		cmocka_unit_test(mmap_base_like_exec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
