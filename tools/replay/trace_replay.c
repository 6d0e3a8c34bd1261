/*
 * trace_replay.c - see trace_replay.h. The processes of a trace: the
 * first pid starts from the first snapshot, an execve from the next, a
 * clone from its parent (shared with CLONE_VM); a pid that appears with
 * no clone in sight is a thread of the first process.
 */
#define _GNU_SOURCE
#include "replay/trace_replay.h"
#include "report/divergence.h"
#include "trace/strace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

struct pending_clone {
	long pid;
	bool share_vm;
};


struct trace_replay {
	struct trace_replay_opts o;
	struct replay *r;
	size_t next_snapshot;
	long first_pid, last_pid;
	bool any_pid;
	struct pending_clone clones[64];
	size_t nclones;
	unsigned long images; /* process images started so far (execs) */
	/* counts */
	unsigned long calls, unsupported, differ, other, processes;
	unsigned long unsupported_by_op[MEM_OTHER + 1];
	int first_unsupported_line;
};

/* ---------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------- */

static bool returns_address(enum mem_op op)
{
	return op == MEM_MMAP || op == MEM_BRK || op == MEM_MREMAP;
}

/* The error stream, with the progress line out of the way. */
static FILE *err_out(const struct trace_replay *s)
{
	progress_clear(s->o.progress);
	return s->o.err;
}

static void print_call(const struct trace_replay *s, const struct st_event *ev,
		       const char *result, const char *extra)
{
	if (ev->pid >= 0)
		fprintf(s->o.out, "%ld ", ev->pid);
	fprintf(s->o.out, "%s = %s%s\n", ev->call_text, result, extra);
}

static void report_divergence(struct trace_replay *s, const struct st_event *ev,
			      const struct mem_call *mc, long ours)
{
	struct divergence d = {
		.call_text = ev->call_text, .theirs = "recorded", .recorded = ev->result,
		.ours = ours, .address = returns_address(mc->op), .addr = mc->arg[0],
		.mm = replay_mm(s->r, ev->pid),
	};

	fprintf(err_out(s), "usermm replay: divergence at %s:%d", s->o.trace, ev->lineno);
	if (ev->end_lineno != ev->lineno)
		fprintf(err_out(s), " (resumed on line %d)", ev->end_lineno);
	fprintf(err_out(s), ":\n");
	print_divergence(err_out(s), &d);
	if (s->unsupported)
		fprintf(err_out(s), "(%lu unsupported call%s before this one, the first on line %d,"
			" may have made the spaces differ)\n", s->unsupported,
			s->unsupported > 1 ? "s" : "", s->first_unsupported_line);
}

/* ---------------------------------------------------------------------
 * Processes
 * ------------------------------------------------------------------- */

/* Lines without a pid come from the only process strace follows at
 * that moment (it prints pids only while it follows several). */
static long resolve_pid(struct trace_replay *s, long pid)
{
	long pids[1024], only = -1;
	size_t n, alive = 0;

	if (pid >= 0 || replay_has_pid(s->r, -1))
		return pid;
	n = replay_pids(s->r, pids, 1024);
	for (size_t i = 0; i < n && i < 1024; i++)
		if (replay_has_pid(s->r, pids[i]) && alive++ == 0)
			only = pids[i];
	if (alive == 1)
		return only;
	return s->any_pid && replay_has_pid(s->r, s->last_pid) ? s->last_pid : pid;
}

/* The first pid the trace names, while the process that had no pid yet
 * is alone and no clone is in flight, is that process's own. */
static void name_anonymous(struct trace_replay *s, long pid)
{
	if (pid < 0 || replay_has_pid(s->r, pid) || !replay_has_pid(s->r, -1) || s->nclones)
		return;
	if (replay_rename(s->r, -1, pid))
		return;
	if (s->first_pid == -1)
		s->first_pid = pid;
	if (s->last_pid == -1)
		s->last_pid = pid;
}

/*
 * The snapshot of a new image (malloc'ed): the next --maps given; when
 * they run out and the first is named P.maps, P.N.maps for the Nth image
 * (N = 1, 2, ... in the order of the trace's execs: usermm record's names).
 */
static char *snapshot_for(struct trace_replay *s)
{
	const char *first = s->o.nmaps ? s->o.maps[0] : NULL;
	size_t n = first ? strlen(first) : 0;
	unsigned long nth = s->images++;
	char path[4096];

	if (s->next_snapshot < s->o.nmaps)
		return strdup(s->o.snapshots[s->next_snapshot++]);
	if (nth && n > 5 && !strcmp(first + n - 5, ".maps")) {
		snprintf(path, sizeof(path), "%.*s.%lu.maps", (int)(n - 5), first, nth);
		return replay_read_file(path);
	}
	return NULL;
}

static int do_exec(struct trace_replay *s, long pid, int lineno)
{
	char *text = snapshot_for(s);
	char err[256];
	char who[32];
	int rc;

	if (!text && s->o.nmaps)
		fprintf(err_out(s), "usermm replay: note: line %d: no maps snapshot for this image of "
			"%s: it starts from an empty address space\n", lineno,
			replay_pid_name(pid, who, sizeof(who)));
	rc = replay_exec(s->r, pid, text, err, sizeof(err));
	free(text);
	if (rc) {
		fprintf(err_out(s), "usermm replay: line %d: %s\n", lineno, err);
		return -1;
	}
	s->processes++;
	return 0;
}

static int do_clone(struct trace_replay *s, long parent, long child, bool share_vm)
{
	char err[256];

	if (replay_clone(s->r, parent, child, share_vm, err, sizeof(err))) {
		fprintf(err_out(s), "usermm replay: %s\n", err);
		return -1;
	}
	s->processes++;
	return 0;
}

/* A pid seen for the first time: the first process, the child of a
 * clone still in progress, or (with no clone in sight) a thread. */
static int ensure_pid(struct trace_replay *s, long pid, int lineno)
{
	long parent = s->first_pid;
	char who[32];

	if (replay_has_pid(s->r, pid))
		return 0;
	if (!s->any_pid)
		return do_exec(s, pid, lineno);
	if (s->nclones) {
		struct pending_clone *c = &s->clones[--s->nclones];

		return do_clone(s, c->pid, pid, c->share_vm);
	}
	if (!replay_has_pid(s->r, parent))
		parent = s->last_pid;
	if (!replay_has_pid(s->r, parent))
		return do_exec(s, pid, lineno);
	fprintf(err_out(s), "usermm replay: note: line %d: pid %ld appears without a clone in the "
		"trace; taken for a thread of %s (trace with -e trace=memory,process to "
		"follow forks)\n", lineno, pid, replay_pid_name(parent, who, sizeof(who)));
	return do_clone(s, parent, pid, true);
}

static void forget_clone(struct trace_replay *s, long pid)
{
	for (size_t i = 0; i < s->nclones; i++)
		if (s->clones[i].pid == pid) {
			s->clones[i] = s->clones[--s->nclones];
			return;
		}
}

/* ---------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------- */

static void count_unsupported(struct trace_replay *s, const struct st_event *ev,
			      const struct mem_call *mc)
{
	char rec[96] = "?";

	if (!s->unsupported++)
		s->first_unsupported_line = ev->lineno;
	s->unsupported_by_op[mc->op]++;
	if (ev->has_result)
		format_result(rec, sizeof(rec), ev->result, returns_address(mc->op));
	if (!s->o.quiet) {
		char extra[160];

		snprintf(extra, sizeof(extra), " (unsupported by usermm; recorded = %s)", rec);
		print_call(s, ev, "?", extra);
	}
}

/* Returns 0, or 1 on a divergence under --check. */
static int memory_call(struct trace_replay *s, struct st_event *ev, const struct mem_call *mc)
{
	bool supported;
	char got[96], extra[160] = "", who[32];
	long ours;

	/* brk(NULL), or a first brk that failed, says where the break is. */
	if (mc->op == MEM_BRK && ev->has_result && (unsigned long)ev->result != mc->arg[0] &&
	    replay_seed_brk(s->r, ev->pid, (unsigned long)ev->result))
		fprintf(err_out(s), "usermm replay: note: line %d: the snapshot does not show the "
			"break of %s; taken from this brk's answer: %#lx\n", ev->lineno,
			replay_pid_name(ev->pid, who, sizeof(who)), (unsigned long)ev->result);
	ours = replay_call(s->r, ev->pid, mc, &supported);
	if (!supported) {
		count_unsupported(s, ev, mc);
		return 0;
	}
	s->calls++;
	if (ev->has_result && ev->result != ours) {
		s->differ++;
		if (s->o.check) {
			report_divergence(s, ev, mc, ours);
			return 1;
		}
		format_result(got, sizeof(got), ev->result, returns_address(mc->op));
		snprintf(extra, sizeof(extra), "  # recorded: %s", got);
	}
	format_result(got, sizeof(got), ours, returns_address(mc->op));
	if (!s->o.quiet)
		print_call(s, ev, got, extra);
	return 0;
}

/* The access mode an open/openat line asked for, from its flags text. */
static int open_flags_of(const char *flags)
{
	int mode = strstr(flags, "O_RDWR") ? O_RDWR : strstr(flags, "O_WRONLY") ? O_WRONLY : O_RDONLY;

	return mode | (strstr(flags, "O_APPEND") ? O_APPEND : 0) |
	       (strstr(flags, "O_PATH") ? O_PATH : 0);
}

/* memfd_create's flags: MFD_HUGETLB and its size, as numbers. */
static unsigned long memfd_flags_of(const char *flags)
{
	const char *shift = strstr(flags, "<<MFD_HUGE_SHIFT");
	unsigned long v = strstr(flags, "MFD_HUGETLB") ? 4 : 0;

	if (shift) { /* "30<<MFD_HUGE_SHIFT": the digits before it */
		const char *d = shift;

		while (d > flags && d[-1] >= '0' && d[-1] <= '9')
			d--;
		v |= strtoul(d, NULL, 10) << 26;
	}
	if (strstr(flags, "MFD_HUGE_1GB"))
		v |= 30UL << 26;
	return v;
}

/* open, openat and memfd_create matter to mmap: the fd's mode decides
 * EACCES and EBADF (O_PATH), and a hugetlbfs memfd maps huge pages. */
static bool open_event(struct trace_replay *s, const struct st_event *ev)
{
	int flags_arg = !strcmp(ev->name, "openat") ? 2 : !strcmp(ev->name, "open") ? 1 :
			!strcmp(ev->name, "memfd_create") ? 1 : -1;

	if (flags_arg < 0 || ev->nargs <= flags_arg || !ev->has_result || ev->result < 0)
		return false;
	if (!strcmp(ev->name, "memfd_create"))
		replay_fd_memfd(s->r, ev->pid, (int)ev->result, memfd_flags_of(ev->args[1]));
	else
		replay_fd_opened(s->r, ev->pid, (int)ev->result, open_flags_of(ev->args[flags_arg]));
	return true;
}

static int call_event(struct trace_replay *s, struct st_event *ev)
{
	enum st_call_class cls;
	struct mem_call mc;
	bool share;
	char err[256];

	if (st_classify(ev, &cls, &mc, &share, err, sizeof(err))) {
		fprintf(err_out(s), "usermm replay: %s: %s\n", s->o.trace, err);
		return 1;
	}
	if (cls == ST_CLASS_EXEC && ev->has_result && ev->result == 0)
		return do_exec(s, ev->pid, ev->lineno) ? 1 : 0;
	if (ensure_pid(s, ev->pid, ev->lineno))
		return 1;
	if (cls == ST_CLASS_MEMORY)
		return memory_call(s, ev, &mc);
	if (cls == ST_CLASS_CLONE) {
		forget_clone(s, ev->pid);
		if (ev->has_result && ev->result > 0 && !replay_has_pid(s->r, ev->result))
			return do_clone(s, ev->pid, ev->result, share) ? 1 : 0;
		return 0;
	}
	if (!open_event(s, ev))
		s->other++;
	return 0;
}

static void unfinished_event(struct trace_replay *s, struct st_event *ev)
{
	enum st_call_class cls;
	struct mem_call mc;
	bool share;
	char err[256];

	/* The child may act before its parent's clone returns: remember the
	 * clone so that the new pid can be tied to it. */
	if (st_classify(ev, &cls, &mc, &share, err, sizeof(err)) || cls != ST_CLASS_CLONE)
		return;
	if (s->nclones < sizeof(s->clones) / sizeof(s->clones[0]))
		s->clones[s->nclones++] = (struct pending_clone){ ev->pid, share };
}

static int handle_event(struct trace_replay *s, struct st_event *ev)
{
	if (ev->kind != ST_IGNORED)
		name_anonymous(s, ev->pid);
	ev->pid = resolve_pid(s, ev->pid);
	switch (ev->kind) {
	case ST_IGNORED:
		return 0;
	case ST_EXITED:
		replay_exit(s->r, ev->pid);
		return 0;
	case ST_UNFINISHED:
		unfinished_event(s, ev);
		break;
	case ST_CALL:
		if (call_event(s, ev))
			return 1;
		break;
	}
	if (ev->kind == ST_CALL || ev->kind == ST_UNFINISHED) {
		if (!s->any_pid)
			s->first_pid = ev->pid;
		s->any_pid = true;
		s->last_pid = ev->pid;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * The command
 * ------------------------------------------------------------------- */


int trace_replay_stream(struct trace_replay *s, FILE *in)
{
	struct st_parser *p = st_parser_new();
	struct st_event ev = { .pid = -1 };
	char *line = NULL, err[512];
	size_t cap = 0;
	int lineno = 0, rc = 0;

	while (p && !rc && getline(&line, &cap, in) >= 0) {
		if (st_parse_line(p, line, ++lineno, &ev, err, sizeof(err))) {
			fprintf(err_out(s), "usermm replay: %s: %s\n", s->o.trace, err);
			rc = 1;
		} else {
			rc = handle_event(s, &ev);
		}
		progress_show(s->o.progress, "line %d: %lu calls replayed", lineno, s->calls);
		st_event_clear(&ev);
	}
	progress_clear(s->o.progress);
	if (p && st_pending(p, &lineno))
		fprintf(s->o.out, "# %zu call%s never resumed (the first on line %d): not replayed\n",
		       st_pending(p, NULL), st_pending(p, NULL) > 1 ? "s" : "", lineno);
	free(line);
	st_parser_free(p);
	return p ? rc : 1;
}

void trace_replay_summary(const struct trace_replay *s)
{
	static const char *const names[MEM_OTHER + 1] = {
		[MEM_BRK] = "brk", [MEM_MMAP] = "mmap", [MEM_MUNMAP] = "munmap",
		[MEM_MPROTECT] = "mprotect", [MEM_PKEY_MPROTECT] = "pkey_mprotect",
		[MEM_MREMAP] = "mremap", [MEM_MADVISE] = "madvise", [MEM_MLOCK] = "mlock",
		[MEM_MLOCK2] = "mlock2", [MEM_MUNLOCK] = "munlock", [MEM_MLOCKALL] = "mlockall",
		[MEM_MUNLOCKALL] = "munlockall", [MEM_MSYNC] = "msync", [MEM_MINCORE] = "mincore",
		[MEM_MSEAL] = "mseal", [MEM_PKEY_ALLOC] = "pkey_alloc", [MEM_PKEY_FREE] = "pkey_free",
		[MEM_TOUCH] = "usermm_touch", [MEM_ANON_NAME] = "prctl(PR_SET_VMA)",
		[MEM_REMAP_FILE_PAGES] = "remap_file_pages", [MEM_SETRLIMIT] = "setrlimit",
		[MEM_PERSONALITY] = "personality", [MEM_PRCTL] = "prctl", [MEM_CAPS] = "capabilities",
		[MEM_OTHER] = "other",
	};

	fprintf(s->o.out, "# replay: %lu calls replayed, %lu differ from the trace, %lu unsupported",
	       s->calls, s->differ, s->unsupported);
	for (int i = 0, first = 1; i <= MEM_OTHER; i++)
		if (s->unsupported_by_op[i]) {
			fprintf(s->o.out, "%s%s %lu", first ? " (" : ", ", names[i], s->unsupported_by_op[i]);
			first = 0;
		}
	fprintf(s->o.out, "%s, %lu other calls ignored, %lu pids\n", s->unsupported ? ")" : "",
	       s->other, s->processes);
}

char *replay_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int c;

	if (!f)
		return NULL;
	mem = open_memstream(&buf, &len);
	while (mem && (c = getc(f)) != EOF)
		putc(c, mem);
	if (mem)
		fclose(mem);
	fclose(f);
	return buf;
}

struct trace_replay *trace_replay_new(struct replay *r, const struct trace_replay_opts *o)
{
	struct trace_replay *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->o = *o;
	t->r = r;
	return t;
}

void trace_replay_free(struct trace_replay *t)
{
	free(t);
}

bool trace_replay_ran(const struct trace_replay *t)
{
	return t->calls || t->unsupported;
}

bool trace_replay_first_pid(const struct trace_replay *t, long *pid)
{
	*pid = t->first_pid;
	return t->any_pid;
}
