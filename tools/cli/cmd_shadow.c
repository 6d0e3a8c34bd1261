/*
 * cmd_shadow.c - `usermm shadow [OPTIONS] [--] CMD...`: runs CMD under
 * ptrace (ptrace/tracer.c) and mirrors it live into usermm (replay/):
 * each exec's smaps snapshot starts a space, forks, clones and exits
 * follow, and every memory call is applied to usermm as the kernel
 * finishes it, its result compared with the kernel's. At the first
 * divergence it prints the call, both results and the maps around the
 * address and kills CMD. Its exit status is its verdict (see the usage);
 * CMD's own status is in the summary, and is the exit status only with
 * --program-status. CMD's input and output pass through.
 */
#define _GNU_SOURCE
#include "cli/cli.h"
#include "cli/commands.h"
#include "report/divergence.h"
#include "replay/replay.h"
#include "ptrace/shadow_touch.h"
#include "trace/strace_fmt.h"
#include "ptrace/tracer.h"
#include "usermm.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define CLONE_VM_FLAG 0x100UL
#define CLONE_THREAD_FLAG 0x10000UL

static const char shadow_usage[] =
	"usage: usermm shadow [OPTIONS] [--] CMD [ARGS...]\n"
	"Runs CMD under ptrace, following forks, clones and execs, and mirrors its\n"
	"address spaces live in usermm: each image starts from its /proc/PID/smaps\n"
	"at the exec event, and every memory call (brk, mmap, munmap, mprotect, ...)\n"
	"is applied to usermm when the kernel has finished it and the two results\n"
	"are compared. At the first difference it prints the call, both results and\n"
	"usermm's maps around the address, and kills CMD. At the end it prints on\n"
	"stderr the calls mirrored, the processes, the divergences, the calls usermm\n"
	"does not implement yet (counted by name, never hidden) and how CMD ended.\n"
	"CMD's input and output pass through.\n"
	"\n"
	"  --unprivileged    CMD has no capabilities (CAP_SYS_RAWIO, CAP_IPC_LOCK,\n"
	"                    CAP_SYS_ADMIN); --privileged: it has them. Default: those\n"
	"                    of the user running shadow, as for the limits and sysctls.\n"
	"  --no-touch-sync   do not read the program's pagemap before each memory call\n"
	"                    to learn which VMAs its plain stores gave pages (and so an\n"
	"                    anon_vma, which decides merges and MADV_COLLAPSE); the\n"
	"                    summary says what reading it cost.\n"
	"  --program-status  exit with CMD's own status (128+N if signal N killed it,\n"
	"                    127 if it could not be run) when usermm agreed throughout.\n"
	"  -h, --help        this text.\n"
	"\n"
	"Exit status: 0 usermm agreed with the kernel on every call (whatever CMD's\n"
	"own status), 1 a divergence, 2 a usage error or CMD could not be run, 3 usermm\n"
	"could not follow CMD (a snapshot or a clone it could not take: no verdict).\n";

/* The memory calls, by syscall number; unsupported calls count by index. */
static const struct {
	long nr;
	enum mem_op op;
	int nargs;
	const char *name;
} mem_calls[] = {
	{ SYS_brk, MEM_BRK, 1, "brk" },
	{ SYS_mmap, MEM_MMAP, 6, "mmap" },
	{ SYS_munmap, MEM_MUNMAP, 2, "munmap" },
	{ SYS_mprotect, MEM_MPROTECT, 3, "mprotect" },
	{ SYS_pkey_mprotect, MEM_PKEY_MPROTECT, 4, "pkey_mprotect" },
	{ SYS_mremap, MEM_MREMAP, 5, "mremap" },
	{ SYS_madvise, MEM_MADVISE, 3, "madvise" },
	{ SYS_mlock, MEM_MLOCK, 2, "mlock" },
	{ SYS_mlock2, MEM_MLOCK2, 3, "mlock2" },
	{ SYS_munlock, MEM_MUNLOCK, 2, "munlock" },
	{ SYS_mlockall, MEM_MLOCKALL, 1, "mlockall" },
	{ SYS_munlockall, MEM_MUNLOCKALL, 0, "munlockall" },
	{ SYS_msync, MEM_MSYNC, 3, "msync" },
	{ SYS_mincore, MEM_MINCORE, 3, "mincore" },
	{ SFMT_NR_MSEAL, MEM_MSEAL, 3, "mseal" },
	{ SYS_pkey_alloc, MEM_PKEY_ALLOC, 2, "pkey_alloc" },
	{ SYS_pkey_free, MEM_PKEY_FREE, 1, "pkey_free" },
	{ SYS_prctl, MEM_ANON_NAME, 5, "prctl" }, /* PR_SET_VMA; see mem_call_of */
	{ SYS_remap_file_pages, MEM_REMAP_FILE_PAGES, 5, "remap_file_pages" },
	{ SYS_personality, MEM_PERSONALITY, 1, "personality" },
	{ SYS_setrlimit, MEM_SETRLIMIT, 2, "setrlimit" },
	{ SYS_prlimit64, MEM_SETRLIMIT, 4, "prlimit64" },
	{ SYS_shmat, MEM_OTHER, 3, "shmat" },
	{ SYS_shmdt, MEM_OTHER, 1, "shmdt" },
};

#define NMEM (sizeof(mem_calls) / sizeof(mem_calls[0]))

struct shadow {
	struct replay *r;
	bool fixed_caps; /* --privileged or --unprivileged: caps never change */
	struct touch_sync touch;
	unsigned long calls, processes, divergences, unsupported;
	unsigned long unsupported_by[NMEM];
	int failed; /* usermm could not follow (a snapshot, a clone) */
};

/* ---- reporting ---- */

static void report_divergence(struct shadow *s, const struct tracer_call *c, long ours)
{
	struct divergence d = {
		.call_text = c->line, .theirs = "kernel", .recorded = c->ret, .ours = ours,
		.address = sfmt_hex_result(c->nr), .addr = c->args[0],
		.mm = replay_mm(s->r, c->pid),
	};

	fprintf(stderr, "usermm shadow: divergence in pid %d:\n", c->pid);
	print_divergence(stderr, &d);
	if (s->unsupported)
		fprintf(stderr, "(%lu unsupported call%s before this one may have made the "
			"spaces differ)\n", s->unsupported, s->unsupported > 1 ? "s" : "");
}

/* How CMD itself ended. */
static void print_program_end(const struct shadow *s, const struct tracer_result *res)
{
	if (res->exec_failed)
		fprintf(stderr, "usermm shadow: the program could not be run\n");
	else if (res->aborted)
		fprintf(stderr, "usermm shadow: the program was killed %s\n",
			s->divergences ? "at the divergence" : "when usermm could not follow it");
	else if (WIFEXITED(res->status))
		fprintf(stderr, "usermm shadow: the program exited with status %d\n",
			WEXITSTATUS(res->status));
	else if (WIFSIGNALED(res->status))
		fprintf(stderr, "usermm shadow: the program was killed by signal %d (SIG%s)\n",
			WTERMSIG(res->status), sigabbrev_np(WTERMSIG(res->status)) ?: "?");
}

static void print_summary(const struct shadow *s, const struct tracer_result *res)
{
	fprintf(stderr, "usermm shadow: %lu calls mirrored, %lu process%s (%lu tasks), "
		"%lu divergence%s, %lu unsupported", s->calls, s->processes,
		s->processes == 1 ? "" : "es", res->tasks, s->divergences,
		s->divergences == 1 ? "" : "s", s->unsupported);
	for (size_t i = 0, first = 1; i < NMEM; i++)
		if (s->unsupported_by[i]) {
			fprintf(stderr, "%s%s %lu", first ? " (" : ", ", mem_calls[i].name,
				s->unsupported_by[i]);
			first = 0;
		}
	fprintf(stderr, "%s\n", s->unsupported ? ")" : "");
	print_program_end(s, res);
	if (!s->touch.off)
		fprintf(stderr, "usermm shadow: touched pages: %lu VMAs read from pagemap (%lu "
			"reads, %.1f ms), %lu found written by the program\n", s->touch.vmas,
			s->touch.entries, s->touch.seconds * 1e3, s->touch.faults);
}

/* ---- the hooks ---- */

static int shadow_exec(void *ctx, pid_t pid, pid_t former, int nth, int first)
{
	struct shadow *s = ctx;
	char *text = tracer_snapshot(pid), err[256];
	int rc;

	(void)nth;
	touch_forget(&s->touch, pid);
	touch_forget(&s->touch, former);
	/* A thread that execs takes its leader's pid; its own tid is gone. */
	if (former != pid && replay_has_pid(s->r, former))
		replay_exit(s->r, former);
	if (!text) {
		fprintf(stderr, "usermm shadow: cannot read /proc/%d/smaps\n", pid);
		s->failed = 1;
		return 1;
	}
	rc = replay_exec(s->r, pid, text, err, sizeof(err));
	free(text);
	if (rc) {
		fprintf(stderr, "usermm shadow: pid %d: its maps: %s\n", pid, err);
		s->failed = 1;
		return 1;
	}
	s->processes += first;
	return 0;
}

static int shadow_clone(struct shadow *s, const struct tracer_call *c)
{
	char err[256];

	if (replay_clone(s->r, c->pid, c->child, c->clone_flags & CLONE_VM_FLAG, err,
			 sizeof(err))) {
		fprintf(stderr, "usermm shadow: %s\n", err);
		s->failed = 1;
		return 1;
	}
	s->processes += !(c->clone_flags & CLONE_THREAD_FLAG);
	return 0;
}

/* setrlimit/prlimit64 of a limit a space keeps, as replay takes it
 * (resource, cur, max, target pid); false for anything else. */
static bool setrlimit_call(const struct tracer_call *c, struct mem_call *mc)
{
	bool prl = c->nr == SYS_prlimit64;
	unsigned long res = c->args[prl ? 1 : 0] & 0xffffffffUL;

	if (!c->has_rlim || (res != 2 && res != 3 && res != 8 && res != 9))
		return false;
	mc->arg[0] = res;
	mc->arg[1] = c->rlim[0];
	mc->arg[2] = c->rlim[1];
	mc->arg[3] = prl && (pid_t)c->args[0] != c->pid ? (unsigned long)(pid_t)c->args[0] : 0;
	return true;
}

/* The call as replay takes it; -1 if it is not a memory call. */
static int mem_call_of(const struct tracer_call *c, struct mem_call *mc, char **path)
{
	size_t i = 0, n;

	while (i < NMEM && mem_calls[i].nr != c->nr)
		i++;
	if (i == NMEM)
		return -1;
	memset(mc, 0, sizeof(*mc));
	mc->op = mem_calls[i].op;
	mc->nargs = mem_calls[i].nargs;
	mc->name = mem_calls[i].name;
	memcpy(mc->arg, c->args, sizeof(mc->arg));
	*path = c->fd_path ? strdup(c->fd_path) : NULL;
	n = *path ? strlen(*path) : 0;
	/* readlink marks an unlinked file the way strace -y does. */
	if (n > 10 && !strcmp(*path + n - 10, " (deleted)")) {
		(*path)[n - 10] = 0;
		mc->deleted = true;
	}
	mc->path = *path;
	if (mc->op == MEM_ANON_NAME && c->args[0] != SFMT_PR_SET_VMA) {
		mc->op = MEM_PRCTL; /* MDWE or the THP switch */
		return (int)i;
	}
	if (mc->op == MEM_SETRLIMIT)
		return setrlimit_call(c, mc) ? (int)i : -1;
	/* Another attribute, or a name the tracer could not read: replay
	 * lacks it, and says so. */
	if (mc->op == MEM_ANON_NAME) {
		mc->str = c->str;
		if (c->args[1] != 0 || (c->args[4] && !c->str))
			mc->op = MEM_OTHER;
	}
	return (int)i;
}

static int mirror(struct shadow *s, const struct tracer_call *c, const struct mem_call *mc,
		  int idx)
{
	bool supported;
	long ours;

	if (mc->op == MEM_BRK && mc->arg[0] == 0 && c->ret > 0)
		replay_seed_brk(s->r, c->pid, (unsigned long)c->ret);
	ours = replay_call(s->r, c->pid, mc, &supported);
	if (!supported) {
		s->unsupported++;
		s->unsupported_by[idx]++;
		return 0;
	}
	s->calls++;
	if (ours == c->ret)
		return 0;
	s->divergences++;
	report_divergence(s, c, ours);
	return 1;
}

/*
 * Calls that change what later mapping calls decide without being
 * memory calls: a new fd (its mode: O_PATH; a hugetlbfs memfd) and the
 * capabilities a credentials change left. True if c was one.
 */
static bool follow_process_state(struct shadow *s, const struct tracer_call *c)
{
	struct umm_mm *mm = replay_mm(s->r, c->pid);

	if (c->has_caps) {
		if (mm && replay_has_pid(s->r, c->pid) && !s->fixed_caps)
			umm_set_capabilities(mm, c->caps_eff);
		return true;
	}
	if (c->ret < 0 || !replay_has_pid(s->r, c->pid))
		return c->nr == SYS_open || c->nr == SYS_openat || c->nr == SYS_memfd_create;
	if (c->nr == SYS_open || c->nr == SYS_openat) {
		replay_fd_opened(s->r, c->pid, (int)c->ret, (int)c->args[c->nr == SYS_openat ? 2 : 1]);
		return true;
	}
	if (c->nr == SYS_memfd_create) {
		replay_fd_memfd(s->r, c->pid, (int)c->ret, c->args[1]);
		return true;
	}
	return false;
}

/* The range a memory call works on, known before it runs; false if none
 * (a plain mmap's place is known only from its result). */
static bool entry_range(const struct tracer_call *c, struct umm_mm *mm, unsigned long *lo,
			unsigned long *hi)
{
	const unsigned long *a = c->args;
	struct umm_mm_stats st;

	*lo = a[0];
	*hi = a[0] + a[1];
	switch (c->nr) {
	case SYS_mmap:
		return (a[3] & 0x100010) != 0; /* MAP_FIXED, MAP_FIXED_NOREPLACE */
	case SYS_mremap:
		*hi = a[0] + (a[1] > a[2] ? a[1] : a[2]);
		return true;
	case SYS_brk:
		umm_mm_stats(mm, &st);
		*lo = st.brk;
		*hi = st.brk;
		return true;
	case SYS_mlockall: case SYS_munlockall:
		*lo = 1, *hi = 0; /* the whole space */
		return true;
	case SYS_prctl:
		*lo = a[2];
		*hi = a[2] + a[3];
		return a[0] == SFMT_PR_SET_VMA;
	case SYS_mincore: case SYS_msync: case SYS_pkey_alloc: case SYS_pkey_free:
	case SYS_personality: case SYS_setrlimit: case SYS_prlimit64:
		return false;
	default:
		return true;
	}
}

/* Before the call runs: what the process touched in the range it works
 * on (and beside it) since the last call. */
static int shadow_entry(void *ctx, const struct tracer_call *c)
{
	struct shadow *s = ctx;
	struct umm_mm *mm = replay_has_pid(s->r, c->pid) ? replay_mm(s->r, c->pid) : NULL;
	unsigned long lo, hi;

	if (mm && entry_range(c, mm, &lo, &hi))
		touch_sync_range(&s->touch, c->pid, mm, lo, hi);
	if (mm && c->nr == SYS_madvise && c->args[2] == 25) /* MADV_COLLAPSE */
		touch_sync_cache(&s->touch, c->pid, mm, c->args[0], c->args[0] + c->args[1]);
	if (mm && c->nr == SYS_mremap && (c->args[3] & 2)) /* MREMAP_FIXED's target */
		touch_sync_range(&s->touch, c->pid, mm, c->args[4], c->args[4] + c->args[2]);
	return 0;
}

/* Is there a VMA of mm that ends at (end) or starts at (!end) addr? */
static bool vma_meets(struct umm_mm *mm, unsigned long addr, bool end)
{
	struct umm_vma_info v;

	if (end)
		return addr && !umm_find_vma(mm, addr - 1, &v) && v.end == addr;
	return !umm_find_vma(mm, addr, &v) && v.start == addr;
}

/*
 * After the call, before usermm mirrors it: the neighbours of where a
 * new mapping went. A new VMA (no anon_vma) merges with a neighbour
 * whatever it holds; only joining both at once needs to know whether
 * each has an anon_vma. A moved VMA brings its own, so each neighbour
 * it touches counts.
 */
static void sync_new_place(struct shadow *s, const struct tracer_call *c)
{
	struct umm_mm *mm = replay_mm(s->r, c->pid);
	unsigned long len = c->nr == SYS_mmap ? c->args[1] : c->args[2];
	unsigned long start = (unsigned long)c->ret, end = (start + len + 4095) & ~4095UL;
	bool below, above;

	if (!mm || c->ret < 0 || start == c->args[0] ||
	    (c->nr != SYS_mmap && c->nr != SYS_mremap))
		return;
	below = vma_meets(mm, start, true);
	above = vma_meets(mm, end, false);
	if (c->nr == SYS_mmap ? below && above : below || above)
		touch_sync_range(&s->touch, c->pid, mm, start, end);
}

static int shadow_call(void *ctx, const struct tracer_call *c)
{
	struct shadow *s = ctx;
	struct mem_call mc;
	char *path = NULL;
	int idx, rc;

	if (c->child > 0)
		return shadow_clone(s, c);
	if (follow_process_state(s, c))
		return 0;
	idx = mem_call_of(c, &mc, &path);
	if (idx < 0 || !replay_has_pid(s->r, c->pid)) {
		free(path);
		return 0; /* exec (see shadow_exec), exit, a failed clone */
	}
	sync_new_place(s, c);
	rc = mirror(s, c, &mc, idx);
	free(path);
	return rc;
}

static int shadow_exit(void *ctx, pid_t pid, int status, const char *line)
{
	struct shadow *s = ctx;

	(void)status, (void)line;
	touch_forget(&s->touch, pid);
	if (replay_has_pid(s->r, pid))
		replay_exit(s->r, pid);
	return 0;
}

/* ---- the command ---- */

static struct replay *make_replay(int privileges)
{
	struct replay_opts ro = { .notes = NULL };

	if (umm_config_from_host(&ro.cfg))
		fprintf(stderr, "usermm shadow: note: cannot read this host's settings; using "
			"usermm's defaults\n");
	ro.cfg.randomize = false; /* the layout comes from each snapshot */
	ro.cfg.mmap_base = 0;	  /* inferred from each snapshot */
	if (privileges) {
		ro.cfg.cap_sys_rawio = ro.cfg.cap_ipc_lock = ro.cfg.cap_sys_admin =
			ro.cfg.cap_sys_resource = privileges > 0;
		ro.fixed_caps = true;
	}
	return replay_new(&ro);
}

/* The verdict as the exit status (see the usage). */
static int shadow_status(const struct shadow *s, const struct tracer_result *res,
			 bool program_status)
{
	if (s->divergences)
		return 1;
	if (s->failed)
		return 3;
	if (program_status)
		return res->exec_failed ? 127 : tracer_exit_code(res->status);
	return res->exec_failed ? 2 : 0;
}

static int shadow_run(char **cmd, int privileges, bool touch_sync, bool program_status)
{
	struct shadow s = { .r = make_replay(privileges), .fixed_caps = privileges != 0,
			    .touch = { .off = !touch_sync, .fd = -1 } };
	struct tracer_hooks hooks = { .ctx = &s, .name = "shadow", .on_exec = shadow_exec,
				      .on_entry = shadow_entry, .on_call = shadow_call,
				      .on_exit = shadow_exit };
	struct tracer_result res;
	int rc;

	if (!s.r)
		return 3;
	/* Ctrl-C goes to the program; shadow stays to follow its end. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	rc = tracer_run(cmd, &hooks, &res);
	if (!rc)
		print_summary(&s, &res);
	touch_forget(&s.touch, s.touch.fd_pid);
	replay_free(s.r);
	return rc ? 3 : shadow_status(&s, &res, program_status);
}

int cmd_shadow(int argc, char **argv)
{
	enum { OPT_NO_TOUCH = 256, OPT_PROGRAM_STATUS };
	static const struct option opts[] = {
		{ "unprivileged", no_argument, 0, 'U' },
		{ "privileged", no_argument, 0, 'P' },
		{ "no-touch-sync", no_argument, 0, OPT_NO_TOUCH },
		{ "program-status", no_argument, 0, OPT_PROGRAM_STATUS },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 } };
	bool touch_sync = true, program_status = false;
	int c, privileges = 0;

	optind = 1;
	while ((c = cli_getopt("shadow", argc, argv, "+h", opts)) != -1) {
		switch (c) {
		case 'h': fputs(shadow_usage, stdout); return 0;
		case OPT_NO_TOUCH: touch_sync = false; break;
		case OPT_PROGRAM_STATUS: program_status = true; break;
		case 'U': privileges = -1; break;
		case 'P': privileges = 1; break;
		default: return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usermm shadow: no command to run\nTry 'usermm shadow --help'.\n");
		return 2;
	}
	return shadow_run(argv + optind, privileges, touch_sync, program_status);
}
