/*
 * kernel_runner.c - runs one scenario (scenario.h) on the real kernel and
 * records what it did: every op's raw result and /proc/self/maps after
 * each op. Owns nothing but this program; the oracle (oracle.c) execs it.
 *
 *   kernel_runner SCENARIO_FILE OUTPUT_FILE
 *
 * It re-execs itself once with personality(ADDR_NO_RANDOMIZE) and an
 * 8 MiB RLIMIT_STACK, so mmap_base is 0x7ffff7fff000 and the layout is
 * the same every run (with "legacy", also ADDR_COMPAT_LAYOUT: bottom-up
 * from 0x2aaaaaaab000). Everything it needs (files, the snapshot buffer,
 * the VMAs of a "fill") is set up before the first snapshot; from that
 * snapshot to the end of the ops only raw syscalls run (no malloc, no
 * stdio), so the address space changes only through the scenario. The
 * output is written afterwards:
 *
 *   runner 1
 *   layout topdown|legacy
 *   caps RAWIO IPC_LOCK SYS_ADMIN      effective capabilities, 0/1
 *   rlimit RESOURCE CUR MAX            for as, data, memlock, stack
 *   brk0 HEX                           brk(0) before the first op
 *   stat START_BRK START_STACK END_DATA   from /proc/self/stat
 *   snap 0 LEN\n<LEN bytes>            maps before the first op
 *   res I RESULT                       op I: address/0, or -errno
 *   snap I+1 LEN\n<LEN bytes>          maps (with "smaps": smaps) after op I
 *   mem I VMPTE RSSANON RSSSHMEM MINFLT PAGEMAP  with "memstat", after snap I,
 *   vm I VMSIZE VMLCK VMDATA VMSTK VMEXE VMLIB   and these status lines,
 *   rollup I RSS PSSANON PSSSHMEM ANON LOCKED   and smaps_rollup's:
 *                                      VmPTE and RssAnon in kB, the minor
 *                                      faults of op I-1 (0 for I 0), and
 *                                      the pagemap of 0x300000000000's
 *                                      first 64 pages (scn_pagemap_code)
 *   vec I BITS                         with "memstat", after the mem line
 *                                      of a mincore op: bit 0 of the
 *                                      vector's first 64 bytes, as 0/1
 *   end
 *
 * Capabilities: unless the scenario says "privileged", the runner drops
 * CAP_SYS_RAWIO, CAP_IPC_LOCK and CAP_SYS_ADMIN from its effective set
 * (it usually runs as root in CI), so it behaves like the unprivileged
 * process umm_config_init() describes; the caps line reports the truth.
 */
#define _GNU_SOURCE
#include "scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RUNNER_PAGE 4096UL
#define STACK_LIMIT (8UL << 20)
#define SNAP_BUF_ADDR 0x6f0000000000UL
#define MAX_TEXT (1UL << 20)

static struct scenario scn;
static char text[MAX_TEXT];
static char scratch[1 << 16];
static int fds[SCN_MAX_FILES];
static long results[SCN_MAX_OPS];
static unsigned long vals[SCN_MAX_VARS];
static unsigned long snap_off[SCN_MAX_OPS + 1];
static long snap_len[SCN_MAX_OPS + 1];
static char *snap_buf;
static unsigned long snap_cap, snap_used;
static char stat_buf[4096];

static void die(const char *what)
{
	const char *e = strerror(errno);

	if (write(2, "kernel_runner: ", 15) < 0 || write(2, what, strlen(what)) < 0 ||
	    write(2, ": ", 2) < 0 || write(2, e, strlen(e)) < 0 || write(2, "\n", 1) < 0)
		_exit(3);
	_exit(2);
}

/* Re-exec once so that the layout is not randomised (and is bottom-up
 * for "legacy" scenarios). */
static void ensure_fixed_layout(char **argv)
{
	int pers = personality(0xffffffff);
	int want = ADDR_NO_RANDOMIZE | (scn.legacy ? ADDR_COMPAT_LAYOUT : 0);
	struct rlimit rl;

	if (getrlimit(RLIMIT_STACK, &rl))
		die("getrlimit");
	if ((pers & want) == want && rl.rlim_cur == STACK_LIMIT)
		return;
	rl.rlim_cur = STACK_LIMIT;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < STACK_LIMIT)
		rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_STACK, &rl))
		die("setrlimit stack");
	if (personality((unsigned long)(pers | want)) < 0)
		die("personality");
	execv("/proc/self/exe", argv);
	die("execv /proc/self/exe");
}

static void read_scenario(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		die(path);
	while ((n = read(fd, text + len, MAX_TEXT - 1 - len)) > 0)
		len += (size_t)n;
	if (n < 0 || len >= MAX_TEXT - 1)
		die("reading the scenario (too big?)");
	close(fd);
	if (scn_parse(&scn, text, len)) {
		char msg[200];

		snprintf(msg, sizeof(msg), "scenario line %d: %s", scn.err_line, scn.err);
		errno = EINVAL;
		die(msg);
	}
}

static void open_files(void)
{
	for (int i = 0; i < scn.nfiles; i++) {
		fds[i] = open(scn.files[i].path, scn.files[i].open_flags | O_CLOEXEC);
		if (fds[i] < 0)
			die(scn.files[i].path);
	}
}

static void drop_caps(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	if (scn.privileged || syscall(SYS_capget, &h, d))
		return;
	d[0].effective &= ~((1U << CAP_SYS_RAWIO) | (1U << CAP_IPC_LOCK) | (1U << CAP_SYS_ADMIN));
	if (syscall(SYS_capset, &h, d))
		die("capset");
}

/* Bytes in /proc/self/maps now; *vmas gets the VMA count (no gate VMA). */
static unsigned long maps_size(unsigned long *vmas)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	unsigned long total = 0, lines = 0;
	bool gate = false;
	ssize_t n;

	if (fd < 0)
		die("/proc/self/maps");
	while ((n = read(fd, scratch, sizeof(scratch))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			lines += scratch[i] == '\n';
		gate = gate || memmem(scratch, (size_t)n, "[vsyscall]", 10) != NULL;
		total += (unsigned long)n;
	}
	close(fd);
	*vmas = lines - (gate ? 1 : 0);
	return total;
}

static void alloc_snapshots(void)
{
	unsigned long vmas, base = maps_size(&vmas), per, flags;
	unsigned long nsnap = (unsigned long)scn.nops + 1;
	void *p;

	if (scn.fill)
		base += scn_eval(&scn.fill_count, vals) * 64;
	per = base * 2 + (unsigned long)scn.nops * 1024 + 65536;
	if (scn.smaps)
		per *= 32;
	/* The first snapshot is smaps (about 20 times the maps text). */
	snap_cap = (nsnap * per + base * 32 + RUNNER_PAGE - 1) & ~(RUNNER_PAGE - 1);
	if (snap_cap < (64UL << 20))
		snap_cap = 64UL << 20;
	flags = MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE;
	/* memstat: the buffer's pages and page tables are all there before
	 * the first snapshot, so filling it moves no counter. */
	if (scn.memstat)
		flags |= MAP_POPULATE;
	p = mmap((void *)SNAP_BUF_ADDR, snap_cap, PROT_READ | PROT_WRITE,
		 (int)(flags | MAP_FIXED_NOREPLACE), -1, 0);
	if (p == MAP_FAILED)
		p = mmap(NULL, snap_cap, PROT_READ | PROT_WRITE, (int)flags, -1, 0);
	if (p == MAP_FAILED)
		die("mmap snapshot buffer");
	/* memstat: and dirty, so that filling it moves no Pss_Dirty. */
	if (scn.memstat && madvise(p, snap_cap, MADV_POPULATE_WRITE))
		die("populate snapshot buffer");
	snap_buf = p;
}

/* Adds single-page VMAs of alternating protection at ADDR up to COUNT. */
static void do_fill(void)
{
	unsigned long vmas, addr = scn_eval(&scn.fill_addr, vals);
	unsigned long want = scn_eval(&scn.fill_count, vals), k;

	maps_size(&vmas);
	if (!scn.fill || want <= vmas)
		return;
	k = want - vmas;
	if (syscall(SYS_mmap, addr, k * RUNNER_PAGE, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0) !=
	    (long)addr)
		die("fill mmap");
	for (unsigned long i = 1; i < k; i += 2)
		if (syscall(SYS_mprotect, addr + i * RUNNER_PAGE, RUNNER_PAGE, PROT_NONE))
			die("fill mprotect");
}

static void set_rlimits(void)
{
	for (int i = 0; i < scn.nrlimits; i++) {
		struct rlimit rl = {scn.rlimits[i].cur, scn.rlimits[i].max};

		if (setrlimit(scn.rlimits[i].resource, &rl))
			die("setrlimit");
	}
}

/* Faults in stack pages the ops might use, so [stack] cannot grow later. */
static __attribute__((noinline)) void pretouch_stack(void)
{
	volatile char pad[32768];

	for (size_t i = 0; i < sizeof(pad); i += 512)
		pad[i] = 0;
}

/* Field n (1-based) of /proc/self/stat, counted after the comm field. */
static unsigned long stat_field(int n)
{
	char *p = strrchr(stat_buf, ')');
	int field = 2;

	while (p && field < n) {
		p = strchr(p + 1, ' ');
		field++;
	}
	return p ? strtoul(p + 1, NULL, 10) : 0;
}

static void read_stat(void)
{
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		die("/proc/self/stat");
	n = read(fd, stat_buf, sizeof(stat_buf) - 1);
	if (n <= 0)
		die("read /proc/self/stat");
	stat_buf[n] = '\0';
	close(fd);
}

/*
 * Raw read of /proc/self/maps into the snapshot buffer. The first one is
 * smaps instead (unless a fill made it huge): its VmFlags and Anonymous
 * counts let the import know the exact flags and which VMAs hold pages.
 * A scenario saying "smaps" gets smaps every time.
 */
static void snapshot(int i)
{
	const char *path = scn.smaps || (i == 0 && !scn.fill) ? "/proc/self/smaps"
								: "/proc/self/maps";
	int fd = (int)syscall(SYS_open, path, O_RDONLY | O_CLOEXEC);
	unsigned long start = snap_used;
	long n;

	snap_off[i] = start;
	snap_len[i] = -1;
	if (fd < 0)
		return;
	while ((n = syscall(SYS_read, fd, snap_buf + snap_used, snap_cap - snap_used)) > 0)
		snap_used += (unsigned long)n;
	syscall(SYS_close, fd);
	if (n == 0 && snap_used < snap_cap)
		snap_len[i] = (long)(snap_used - start);
}

static unsigned char mincore_vec[16384];

/* memstat: VmPTE, RssAnon and RssShmem (kB) after each op, and its minor faults;
 * the first MINCORE_KEPT bytes of each mincore vector. */
#define MINCORE_KEPT 64
static long mem_pte[SCN_MAX_OPS + 1], mem_anon[SCN_MAX_OPS + 1], mem_shmem[SCN_MAX_OPS + 1];
static long mem_flt[SCN_MAX_OPS + 1];
/* and the lines of /proc/self/status the import fixes: VmSize, VmLck,
 * VmData, VmStk, VmExe, VmLib (kB) */
#define STATUS_VM_LINES 6
static const char *const status_vm_names[STATUS_VM_LINES] = {
	"VmSize:", "VmLck:", "VmData:", "VmStk:", "VmExe:", "VmLib:",
};
static long mem_vm[SCN_MAX_OPS + 1][STATUS_VM_LINES];
/* and of /proc/self/smaps_rollup the sums the runner's own pages never
 * move: not its file pages' Pss (other processes map them too), nor
 * what is dirty (a page compaction is migrating shows as clean) */
static const char *const rollup_names[SCN_ROLLUP_LINES] = {
	"Rss:", "Pss_Anon:", "Pss_Shmem:", "Anonymous:", "Locked:",
};
static long mem_rollup[SCN_MAX_OPS + 1][SCN_ROLLUP_LINES];
static char rollup_buf[4096];
static unsigned char mincore_kept[SCN_MAX_OPS + 1][MINCORE_KEPT];
/* pagemap of the window's first PAGEMAP_KEPT pages after each op, as
 * scn_pagemap_code() condenses them. */
#define PAGEMAP_KEPT 64
#define PAGEMAP_WINDOW 0x300000000000UL
static char pagemap_kept[SCN_MAX_OPS + 1][PAGEMAP_KEPT + 1];
static uint64_t pagemap_buf[PAGEMAP_KEPT];
static char status_buf[8192];

static long text_kb(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	long v = 0;

	if (!p)
		return -1;
	for (p += strlen(name); *p == ' ' || *p == '\t'; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}

static long status_kb(const char *name)
{
	return text_kb(status_buf, name);
}

/* One read of a small /proc file into buf, NUL-terminated. */
static void read_small(const char *path, char *buf, size_t size)
{
	int fd = (int)syscall(SYS_open, path, O_RDONLY | O_CLOEXEC);
	long n = fd < 0 ? -1 : syscall(SYS_read, fd, buf, size - 1);

	if (fd >= 0)
		syscall(SYS_close, fd);
	buf[n > 0 ? n : 0] = '\0';
}

static void read_rollup(int i)
{
	read_small("/proc/self/smaps_rollup", rollup_buf, sizeof(rollup_buf));
	for (int k = 0; k < SCN_ROLLUP_LINES; k++)
		mem_rollup[i][k] = text_kb(rollup_buf, rollup_names[k]);
}

static void read_pagemap(int i)
{
	int fd = (int)syscall(SYS_open, "/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	long n = fd < 0 ? -1
			: syscall(SYS_pread64, fd, pagemap_buf, sizeof(pagemap_buf),
				  (PAGEMAP_WINDOW / RUNNER_PAGE) * 8);

	if (fd >= 0)
		syscall(SYS_close, fd);
	for (int k = 0; k < PAGEMAP_KEPT; k++)
		pagemap_kept[i][k] = n == (long)sizeof(pagemap_buf) ? scn_pagemap_code(pagemap_buf[k]) : '?';
	pagemap_kept[i][PAGEMAP_KEPT] = '\0';
}

static void read_memstat(int i)
{
	read_small("/proc/self/status", status_buf, sizeof(status_buf));
	mem_pte[i] = status_kb("VmPTE:");
	mem_anon[i] = status_kb("RssAnon:");
	mem_shmem[i] = status_kb("RssShmem:");
	for (int k = 0; k < STATUS_VM_LINES; k++)
		mem_vm[i][k] = status_kb(status_vm_names[k]);
	read_rollup(i);
	read_pagemap(i);
}

static long minflt_now(void)
{
	static struct rusage ru;

	return syscall(SYS_getrusage, RUSAGE_SELF, &ru) ? -1 : ru.ru_minflt;
}

static long raw_result(long r)
{
	return r == -1 ? -(long)errno : r;
}

/*
 * touch: one access, with SIGSEGV and SIGBUS caught on an alternate
 * stack (the access may be the one that overflows [stack]). The result
 * is 0 or (signal << 8) | si_code, as scenario.h describes.
 */
static char altstack[65536];
static sigjmp_buf touch_env;
static volatile long touch_result;

static void touch_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	touch_result = ((long)sig << 8) | si->si_code;
	siglongjmp(touch_env, 1);
}

static void install_touch_handlers(void)
{
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = touch_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	if (sigaltstack(&ss, NULL) || sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL))
		die("installing the touch handlers");
}

static long touch(unsigned long addr, unsigned long access)
{
	touch_result = 0;
	if (sigsetjmp(touch_env, 1))
		return touch_result;
	if (access & PROT_EXEC)
		((void (*)(void))addr)();
	else if (access & PROT_WRITE)
		*(volatile unsigned char *)addr = 0xc3;
	else
		(void)*(volatile unsigned char *)addr;
	return 0;
}

/* memstat: the kernel batches pages per CPU on their way to its LRU
 * lists, and an op such as MADV_PAGEOUT drains only the batches of the
 * CPU it runs on: on one CPU throughout, what it finds is decided. */
static void pin_to_one_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* memstat: the runner's own static memory gets its pages now, so that
 * neither RssAnon nor the minor faults of an op count them later. */
static void pretouch_statics(void)
{
	static volatile unsigned char probe;

	memset(status_buf, 1, sizeof(status_buf));
	memset(altstack, 0, sizeof(altstack));
	memset(mincore_vec, 0, sizeof(mincore_vec));
	memset(results, 0, sizeof(results));
	memset(mem_pte, 0, sizeof(mem_pte));
	memset(mem_anon, 0, sizeof(mem_anon));
	memset(mem_shmem, 0, sizeof(mem_shmem));
	memset(mem_flt, 0, sizeof(mem_flt));
	memset(mem_vm, 0, sizeof(mem_vm));
	memset(mem_rollup, 0, sizeof(mem_rollup));
	memset(rollup_buf, 1, sizeof(rollup_buf));
	memset(mincore_kept, 0, sizeof(mincore_kept));
	memset(pagemap_kept, 0, sizeof(pagemap_kept));
	memset(pagemap_buf, 0, sizeof(pagemap_buf));
	memset(snap_off, 0, sizeof(snap_off));
	memset(snap_len, 0, sizeof(snap_len));
	minflt_now();
	/* A touch that faults, so that its whole path (the signal frame on
	 * the alternate stack, the jump back) has run once. */
	touch((unsigned long)&probe, PROT_READ);
	touch(0, PROT_READ);
}

/* peek and poke: one byte read (its value) or written, as touch does. */
static long peek(unsigned long addr)
{
	touch_result = 0;
	if (sigsetjmp(touch_env, 1))
		return touch_result;
	return *(volatile unsigned char *)addr;
}

static long poke(unsigned long addr, unsigned char value)
{
	touch_result = 0;
	if (sigsetjmp(touch_env, 1))
		return touch_result;
	*(volatile unsigned char *)addr = value;
	return 0;
}

/* The effective set's three capabilities become mask's; raw syscalls. */
static long set_caps(unsigned long mask)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	const unsigned int ours = (1U << CAP_SYS_RAWIO) | (1U << CAP_IPC_LOCK) | (1U << CAP_SYS_ADMIN);

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[0].effective = (d[0].effective & ~ours) | ((unsigned int)mask & ours);
	return raw_result(syscall(SYS_capset, &h, d));
}

static long run_op(const struct scn_op *op)
{
	unsigned long addr = scn_eval(&op->addr, vals), len = scn_eval(&op->len, vals);
	unsigned long prot = scn_eval(&op->prot, vals);

	switch (op->kind) {
	case SCN_MMAP:
		return raw_result(syscall(SYS_mmap, addr, len, prot, scn_eval(&op->flags, vals),
					  op->file >= 0 ? fds[op->file] : -1,
					  scn_eval(&op->off, vals)));
	case SCN_MUNMAP:
		return raw_result(syscall(SYS_munmap, addr, len));
	case SCN_MPROTECT:
		return raw_result(syscall(SYS_mprotect, addr, len, prot));
	case SCN_BRK:
		return syscall(SYS_brk, addr);
	case SCN_MSEAL: /* no SYS_mseal in this libc's headers */
		return raw_result(syscall(462, addr, len, prot));
	case SCN_MLOCK:
		return raw_result(syscall(SYS_mlock, addr, len));
	case SCN_MLOCK2:
		return raw_result(syscall(SYS_mlock2, addr, len, prot));
	case SCN_MUNLOCK:
		return raw_result(syscall(SYS_munlock, addr, len));
	case SCN_MLOCKALL:
		return raw_result(syscall(SYS_mlockall, addr));
	case SCN_MUNLOCKALL:
		return raw_result(syscall(SYS_munlockall));
	case SCN_MSYNC:
		return raw_result(syscall(SYS_msync, addr, len, prot));
	case SCN_PKEY_MPROTECT:
		return raw_result(syscall(SYS_pkey_mprotect, addr, len, prot,
					  (int)scn_eval(&op->flags, vals)));
	case SCN_MINCORE: /* a vector for up to 64 MiB; larger lengths only for errors */
		return raw_result(syscall(SYS_mincore, addr, len, mincore_vec));
	case SCN_MINCORE_TO: /* the vector in the scenario's memory */
		return raw_result(syscall(SYS_mincore, addr, len, scn_eval(&op->new_addr, vals)));
	case SCN_MREMAP:
		return raw_result(syscall(SYS_mremap, addr, len, scn_eval(&op->new_len, vals),
					  scn_eval(&op->flags, vals), scn_eval(&op->new_addr, vals)));
	case SCN_MADVISE:
		return raw_result(syscall(SYS_madvise, addr, len, prot));
	case SCN_ANON_NAME:
		return raw_result(syscall(SYS_prctl, PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len,
					  op->name_null ? NULL : op->name));
	case SCN_TOUCH:
		return touch(addr, prot);
	case SCN_PEEK:
		return peek(addr);
	case SCN_POKE:
		return poke(addr, (unsigned char)prot);
	case SCN_PRCTL:
		return raw_result(syscall(SYS_prctl, addr, len, prot, scn_eval(&op->flags, vals),
					  scn_eval(&op->off, vals)));
	case SCN_PERSONALITY:
		return syscall(SYS_personality, addr);
	case SCN_SETRLIMIT: {
		struct rlimit rl = { len, prot };

		return raw_result(syscall(SYS_setrlimit, addr, &rl));
	}
	case SCN_CAPSET:
		return set_caps(addr);
	case SCN_REMAP_FILE_PAGES:
		return raw_result(syscall(SYS_remap_file_pages, addr, len, prot,
					  scn_eval(&op->off, vals), scn_eval(&op->flags, vals)));
	}
	return -EINVAL;
}

static void run_ops(void)
{
	for (int i = 0; i < scn.nops; i++) {
		long flt = scn.memstat ? minflt_now() : 0;

		results[i] = run_op(&scn.ops[i]);
		if (scn.memstat)
			mem_flt[i + 1] = minflt_now() - flt;
		if (scn.memstat && scn.ops[i].kind == SCN_MINCORE)
			memcpy(mincore_kept[i + 1], mincore_vec, MINCORE_KEPT);
		if (scn.ops[i].defines >= 0)
			vals[scn.ops[i].defines] = (unsigned long)results[i];
		snapshot(i + 1);
		if (scn.memstat)
			read_memstat(i + 1);
	}
}

static int cap_bit(const struct __user_cap_data_struct *d, int cap)
{
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

/*
 * Output goes through a static buffer and write(2): the scenario may have
 * left RLIMIT_AS/DATA too low for stdio's malloc.
 */
static char obuf[1 << 16];
static size_t olen;
static int ofd = -1;

static void out_flush(void)
{
	size_t done = 0;

	while (done < olen) {
		ssize_t n = write(ofd, obuf + done, olen - done);

		if (n <= 0)
			die("writing the output");
		done += (size_t)n;
	}
	olen = 0;
}

static void out_bytes(const char *p, size_t n)
{
	while (n) {
		size_t m = sizeof(obuf) - olen < n ? sizeof(obuf) - olen : n;

		memcpy(obuf + olen, p, m);
		olen += m;
		p += m;
		n -= m;
		if (olen == sizeof(obuf))
			out_flush();
	}
}

static __attribute__((format(printf, 1, 2))) void out_fmt(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		die("output line too long");
	out_bytes(line, (size_t)n);
}

/* The capabilities and limits the ops start with (ops may change them). */
static const int start_res[] = {RLIMIT_AS, RLIMIT_DATA, RLIMIT_MEMLOCK, RLIMIT_STACK};
static struct __user_cap_data_struct start_caps[2];
static struct rlimit start_rl[sizeof(start_res) / sizeof(start_res[0])];

static void read_start_state(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};

	if (syscall(SYS_capget, &h, start_caps))
		die("capget");
	for (size_t i = 0; i < sizeof(start_res) / sizeof(start_res[0]); i++)
		if (getrlimit(start_res[i], &start_rl[i]))
			die("getrlimit");
}

static void write_header(void)
{
	const struct __user_cap_data_struct *d = start_caps;

	out_fmt("runner 1\nlayout %s\ncaps %d %d %d %d\n", scn.legacy ? "legacy" : "topdown",
		cap_bit(d, CAP_SYS_RAWIO), cap_bit(d, CAP_IPC_LOCK), cap_bit(d, CAP_SYS_ADMIN),
		cap_bit(d, CAP_SYS_RESOURCE));
	for (size_t i = 0; i < sizeof(start_res) / sizeof(start_res[0]); i++)
		out_fmt("rlimit %d %lu %lu\n", start_res[i], (unsigned long)start_rl[i].rlim_cur,
			(unsigned long)start_rl[i].rlim_max);
	/* /proc/PID/stat: 28 startstack, 46 end_data, 47 start_brk */
	out_fmt("brk0 %#lx\nstat %#lx %#lx %#lx %#lx %#lx\n", vals[SCN_VAR_BRK0], stat_field(47),
		stat_field(28), stat_field(46), stat_field(26), stat_field(27));
}

static void write_snap(int i)
{
	out_fmt("snap %d %ld\n", i, snap_len[i]);
	if (snap_len[i] > 0)
		out_bytes(snap_buf + snap_off[i], (size_t)snap_len[i]);
	if (scn.memstat)
		out_fmt("mem %d %ld %ld %ld %ld %s\nvm %d %ld %ld %ld %ld %ld %ld\n", i, mem_pte[i],
			mem_anon[i], mem_shmem[i], mem_flt[i], pagemap_kept[i], i, mem_vm[i][0],
			mem_vm[i][1], mem_vm[i][2], mem_vm[i][3], mem_vm[i][4], mem_vm[i][5]);
	if (scn.memstat)
		out_fmt("rollup %d %ld %ld %ld %ld %ld\n", i, mem_rollup[i][0], mem_rollup[i][1],
			mem_rollup[i][2], mem_rollup[i][3], mem_rollup[i][4]);
	if (scn.memstat && i > 0 && scn.ops[i - 1].kind == SCN_MINCORE) {
		out_fmt("vec %d ", i);
		for (int k = 0; k < MINCORE_KEPT; k++)
			out_fmt("%c", '0' + (mincore_kept[i][k] & 1));
		out_fmt("\n");
	}
}

static void write_output(int fd)
{
	ofd = fd;
	write_header();
	write_snap(0);
	for (int i = 0; i < scn.nops; i++) {
		out_fmt("res %d %ld\n", i, results[i]);
		write_snap(i + 1);
	}
	out_fmt("end\n");
	out_flush();
	if (close(fd))
		die("closing the output");
}

int main(int argc, char **argv)
{
	int out;

	if (argc != 3) {
		errno = EINVAL;
		die("usage: kernel_runner SCENARIO OUTPUT");
	}
	read_scenario(argv[1]);
	ensure_fixed_layout(argv);
	if (scn.memstat)
		pin_to_one_cpu();
	open_files();
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		die(argv[2]);
	drop_caps();
	alloc_snapshots();
	do_fill();
	set_rlimits();
	pretouch_stack();
	install_touch_handlers();
	read_stat();
	read_start_state();
	/* From here to the end of run_ops(): raw syscalls only. */
	vals[SCN_VAR_BRK0] = (unsigned long)syscall(SYS_brk, 0);
	if (scn.memstat)
		pretouch_statics();
	snapshot(0);
	if (scn.memstat)
		read_memstat(0);
	run_ops();
	write_output(out);
	return 0;
}
