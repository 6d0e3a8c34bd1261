/*
 * tracer.c - owns the ptrace machinery (see tracer.h): starting the
 * command seized, the wait loop, syscall entry/exit decoding through
 * PTRACE_GET_SYSCALL_INFO, fork/clone/exec events, the one-at-a-time
 * slot for memory calls, reading tracee memory for the strace text, and
 * the smaps snapshot taken at an exec event.
 */
#define _GNU_SOURCE
#include "ptrace/tracer.h"
#include "trace/strace_fmt.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* The kernel's struct ptrace_syscall_info (ABI of PTRACE_GET_SYSCALL_INFO),
 * which glibc's headers do not declare. */
struct sc_info {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t ip, sp;
	union {
		struct {
			uint64_t nr, args[6];
		} entry;
		struct {
			int64_t rval;
			uint8_t is_error;
		} exit;
		uint64_t words[8];
	};
};

enum { SC_ENTRY = 1, SC_EXIT = 2 };

struct task {
	pid_t pid;
	int fresh;	/* its attach stop has not been seen yet */
	int announced;	/* its parent's fork/clone event has been seen */
	int parked;	/* stopped at attach, waiting for the announcement */
	int active;	/* inside a traced call */
	int printed;	/* the call's line was already emitted (clone, root exec) */
	unsigned long waiting; /* queued for the slot (order), 0 if not */
	int nexec;
	long nr;
	unsigned long args[6];
	unsigned long cl3[8];
	int cl3_ok;
	char *fd_path;
	char *exec_text;
	char *anon_name; /* prctl(PR_SET_VMA, ...)'s name, read at entry */
	char *path_arg;	 /* open's path, memfd_create's name, read at entry */
	char *dir_path;	 /* openat's directory */
	unsigned long rlim_new[2];
	int rlim_new_ok;
};

struct tracer {
	const struct tracer_hooks *hooks;
	struct tracer_result *res;
	struct task **tasks;
	size_t ntasks, cap;
	struct task *slot; /* the task whose memory call is in the kernel */
	unsigned long seq;
	pid_t root;
	int stop;
};

/* ---- tasks ---- */

static struct task *task_find(struct tracer *tr, pid_t pid)
{
	for (size_t i = 0; i < tr->ntasks; i++)
		if (tr->tasks[i]->pid == pid)
			return tr->tasks[i];
	return NULL;
}

static struct task *task_add(struct tracer *tr, pid_t pid)
{
	struct task *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	if (tr->ntasks == tr->cap) {
		tr->cap = tr->cap ? tr->cap * 2 : 16;
		tr->tasks = realloc(tr->tasks, tr->cap * sizeof(*tr->tasks));
		if (!tr->tasks)
			abort();
	}
	t->pid = pid;
	t->fresh = 1;
	tr->tasks[tr->ntasks++] = t;
	tr->res->tasks++;
	return t;
}

static void task_clear_call(struct task *t)
{
	free(t->fd_path);
	free(t->exec_text);
	free(t->anon_name);
	free(t->path_arg);
	free(t->dir_path);
	t->fd_path = t->exec_text = t->anon_name = t->path_arg = t->dir_path = NULL;
	t->active = t->printed = t->cl3_ok = t->rlim_new_ok = 0;
}

static void task_del(struct tracer *tr, struct task *t)
{
	for (size_t i = 0; i < tr->ntasks; i++) {
		if (tr->tasks[i] == t) {
			tr->tasks[i] = tr->tasks[--tr->ntasks];
			break;
		}
	}
	task_clear_call(t);
	free(t);
}

static void resume(struct task *t, int sig)
{
	/* ESRCH: killed meanwhile; its death is reported by wait. */
	ptrace(PTRACE_SYSCALL, t->pid, 0, (void *)(long)sig);
}

/* ---- the slot: one memory call in the kernel at a time ---- */

static int serialized(long nr)
{
	return sfmt_memory_call(nr) || nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone ||
	       nr == SYS_clone3 || nr == SYS_execve || nr == SYS_execveat;
}

/* t's call goes into the kernel: the entry hook sees it first. */
static void enter_kernel(struct tracer *tr, struct task *t)
{
	struct tracer_call tc = { .pid = t->pid, .nr = t->nr };

	memcpy(tc.args, t->args, sizeof(tc.args));
	if (tr->hooks->on_entry && sfmt_memory_call(t->nr) &&
	    tr->hooks->on_entry(tr->hooks->ctx, &tc))
		tr->stop = 1;
	resume(t, 0);
}

static void slot_release(struct tracer *tr, struct task *t)
{
	struct task *next = NULL;

	if (tr->slot != t)
		return;
	tr->slot = NULL;
	for (size_t i = 0; i < tr->ntasks; i++) {
		struct task *c = tr->tasks[i];
		if (c->waiting && (!next || c->waiting < next->waiting))
			next = c;
	}
	if (next) {
		next->waiting = 0;
		tr->slot = next;
		enter_kernel(tr, next);
	}
}

/* ---- reading the tracee ---- */

static int read_mem(pid_t pid, unsigned long addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };

	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -1;
}

/* Reads a NUL-terminated string of at most max bytes, a page at a time
 * so that a string ending just before an unmapped page still reads. */
static char *read_string(pid_t pid, unsigned long addr, size_t max)
{
	char *s = malloc(max + 1);
	size_t n = 0;

	if (!s)
		abort();
	while (n < max) {
		size_t chunk = 4096 - ((addr + n) & 4095);
		if (chunk > max - n)
			chunk = max - n;
		if (read_mem(pid, addr + n, s + n, chunk)) {
			free(s);
			return NULL;
		}
		if (memchr(s + n, 0, chunk))
			return s;
		n += chunk;
	}
	s[max] = 0;
	return s;
}

static char *fd_path(pid_t pid, int fd)
{
	char link[64], buf[PATH_MAX];
	ssize_t n;

	if (fd < 0)
		return NULL;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = 0;
	return strdup(buf);
}

static char *cwd_path(pid_t pid)
{
	char link[64], buf[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/cwd", pid);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = 0;
	return strdup(buf);
}

int tracer_read_caps(pid_t pid, unsigned long long *eff)
{
	char path[64], line[256];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	while (f && !found && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			found = sscanf(line + 7, "%llx", eff) == 1;
	if (f)
		fclose(f);
	return found ? 0 : -1;
}

/* What a call's line needs from the tracee's memory, read at entry:
 * the file name of open, openat and memfd_create (and openat's directory),
 * the new limit of setrlimit and prlimit64. */
static void read_entry_args(struct task *t)
{
	const unsigned long *a = t->args;

	if (t->nr == SYS_open || t->nr == SYS_memfd_create)
		t->path_arg = a[0] ? read_string(t->pid, a[0], PATH_MAX) : NULL;
	if (t->nr == SYS_openat) {
		t->path_arg = a[1] ? read_string(t->pid, a[1], PATH_MAX) : NULL;
		t->dir_path = (int)a[0] == -100 ? cwd_path(t->pid) : fd_path(t->pid, (int)a[0]);
	}
	if ((t->nr == SYS_setrlimit && a[1]) || (t->nr == SYS_prlimit64 && a[2]))
		t->rlim_new_ok = !read_mem(t->pid, a[t->nr == SYS_prlimit64 ? 2 : 1], t->rlim_new,
					   sizeof(t->rlim_new));
}

/* Appends a NULL-terminated pointer array of strings (argv). */
static void put_string_array(struct sbuf *b, pid_t pid, unsigned long arr)
{
	char *strs[33];
	size_t n = 0;
	int bad = 0;

	if (!arr) {
		sb_printf(b, "NULL");
		return;
	}
	while (n < 33) {
		unsigned long p;
		if (read_mem(pid, arr + 8 * n, &p, 8) || !p)
			break;
		if (!(strs[n] = read_string(pid, p, 4096))) {
			bad = 1;
			break;
		}
		n++;
	}
	sfmt_strings(b, strs, n, bad);
	while (n)
		free(strs[--n]);
}

static void put_env(struct sbuf *b, pid_t pid, unsigned long envp)
{
	unsigned long n = 0, p;

	if (!envp) {
		sb_printf(b, "NULL");
		return;
	}
	while (n < 1000000 && !read_mem(pid, envp + 8 * n, &p, 8) && p)
		n++;
	sb_printf(b, "%#lx /* %lu var%s */", envp, n, n == 1 ? "" : "s");
}

static void put_path(struct sbuf *b, pid_t pid, unsigned long addr)
{
	char *s = addr ? read_string(pid, addr, PATH_MAX) : NULL;

	if (s)
		sb_quoted(b, s, 0);
	else if (addr)
		sb_printf(b, "%#lx", addr);
	else
		sb_printf(b, "NULL");
	free(s);
}

/* execve's and execveat's arguments, read at entry: the image that holds
 * them is gone by the exit. */
static char *exec_text(struct task *t)
{
	struct sbuf b = { 0 };
	const unsigned long *a = t->args;
	int at = t->nr == SYS_execveat;

	if (at) {
		char *dir = (int)a[0] == -100 ? NULL : fd_path(t->pid, (int)a[0]);
		if ((int)a[0] == -100)
			sb_printf(&b, "AT_FDCWD, ");
		else
			sb_printf(&b, dir ? "%d<%s>, " : "%d, ", (int)a[0], dir);
		free(dir);
	}
	put_path(&b, t->pid, a[at]);
	sb_printf(&b, ", ");
	put_string_array(&b, t->pid, a[at + 1]);
	sb_printf(&b, ", ");
	put_env(&b, t->pid, a[at + 2]);
	if (at)
		sb_printf(&b, (a[4] & 0x1100) == 0x1100 ? ", AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH" :
			      a[4] & 0x100 ? ", AT_SYMLINK_NOFOLLOW" :
			      a[4] & 0x1000 ? ", AT_EMPTY_PATH" : ", %lu", a[4]);
	return b.s;
}

/* ---- emitting lines ---- */

static void put_prefix(struct tracer *tr, struct sbuf *b, pid_t pid)
{
	/* strace -f drops the prefix while one task is traced; an unprefixed
	 * line here always means the command's own process. */
	if (pid != tr->root || tr->ntasks > 1)
		sb_printf(b, "[pid %5d] ", pid);
}

static void emit_call(struct tracer *tr, struct task *t, long ret, int noreturn, pid_t child)
{
	struct sfmt_call c = { .nr = t->nr, .ret = ret, .noreturn = noreturn,
			       .fd_path = t->fd_path, .exec_args = t->exec_text,
			       .str_arg = t->anon_name, .path_arg = t->path_arg,
			       .dir_path = t->dir_path };
	struct tracer_call tc = { .pid = t->pid, .nr = t->nr, .ret = ret, .noreturn = noreturn,
				  .child = child, .fd_path = t->fd_path, .str = t->anon_name };
	unsigned long rlim_old[2];
	unsigned char vec[33];
	struct sbuf b = { 0 };
	char *ret_path = NULL;

	/* A credentials change shows as the capabilities it left. */
	if (sfmt_creds_call(t->nr)) {
		if (ret != 0 || tracer_read_caps(t->pid, &tc.caps_eff))
			return;
		tc.has_caps = 1;
		put_prefix(tr, &b, t->pid);
		sfmt_caps_line(&b, tc.caps_eff);
		tc.line = b.s;
		tr->res->calls++;
		if (tr->hooks->on_call && tr->hooks->on_call(tr->hooks->ctx, &tc))
			tr->stop = 1;
		sb_free(&b);
		return;
	}
	if (t->rlim_new_ok) {
		c.rlim_new = t->rlim_new;
		tc.has_rlim = 1;
		memcpy(tc.rlim, t->rlim_new, sizeof(tc.rlim));
	}
	if (t->nr == SYS_prlimit64 && t->args[3] && ret == 0 &&
	    !read_mem(t->pid, t->args[3], rlim_old, sizeof(rlim_old)))
		c.rlim_old = rlim_old;
	if (sfmt_returns_fd(t->nr) && ret >= 0)
		c.ret_path = ret_path = fd_path(t->pid, (int)ret);
	memcpy(c.a, t->args, sizeof(c.a));
	memcpy(tc.args, t->args, sizeof(tc.args));
	if (t->cl3_ok)
		c.clone3 = t->cl3, c.clone3_words = 8;
	if (t->nr == SYS_mincore && ret == 0) {
		c.vec_len = (t->args[1] + 4095) / 4096;
		if (!read_mem(t->pid, t->args[2], vec, c.vec_len < 33 ? c.vec_len : 33))
			c.vec = vec;
	}
	tc.clone_flags = t->nr == SYS_fork ? SIGCHLD :
			 t->nr == SYS_vfork ? 0x4100 | SIGCHLD :
			 t->nr == SYS_clone ? t->args[0] :
			 t->nr == SYS_clone3 && t->cl3_ok ? t->cl3[0] | (t->cl3[4] & 0xff) : 0;
	put_prefix(tr, &b, t->pid);
	sfmt_call(&b, &c);
	sfmt_result(&b, 0, &c);
	tc.line = b.s;
	tr->res->calls++;
	if (tr->hooks->on_call && tr->hooks->on_call(tr->hooks->ctx, &tc))
		tr->stop = 1;
	sb_free(&b);
	free(ret_path);
}

static void emit_death(struct tracer *tr, pid_t pid, int status)
{
	struct sbuf b = { 0 };

	put_prefix(tr, &b, pid);
	if (WIFEXITED(status)) {
		sb_printf(&b, "+++ exited with %d +++", WEXITSTATUS(status));
	} else {
		sb_printf(&b, "+++ killed by ");
		sfmt_signal(&b, WTERMSIG(status));
		sb_printf(&b, WCOREDUMP(status) ? " (core dumped) +++" : " +++");
	}
	if (tr->hooks->on_exit && tr->hooks->on_exit(tr->hooks->ctx, pid, status, b.s))
		tr->stop = 1;
	sb_free(&b);
}

/* ---- syscall stops ---- */

static void syscall_entry(struct tracer *tr, struct task *t, const struct sc_info *si)
{
	task_clear_call(t);
	t->nr = (long)si->entry.nr;
	for (int i = 0; i < 6; i++)
		t->args[i] = si->entry.args[i];
	if (!sfmt_traced_call(t->nr, t->args)) {
		resume(t, 0);
		return;
	}
	t->active = 1;
	if (t->nr == SYS_mmap)
		t->fd_path = fd_path(t->pid, (int)t->args[4]);
	read_entry_args(t);
	if (t->nr == SYS_execve || t->nr == SYS_execveat)
		t->exec_text = exec_text(t);
	/* The name may be freed once the call returns: read it now. The
	 * kernel reads at most 80 bytes of it (ANON_VMA_NAME_MAX_LEN). */
	if (t->nr == SYS_prctl && t->args[1] == 0 && t->args[4])
		t->anon_name = read_string(t->pid, t->args[4], 256);
	if (t->nr == SYS_clone3)
		t->cl3_ok = t->args[1] >= sizeof(t->cl3) && !read_mem(t->pid, t->args[0], t->cl3, sizeof(t->cl3));
	if (t->nr == SYS_exit || t->nr == SYS_exit_group) {
		emit_call(tr, t, 0, 1, 0);
		t->printed = 1;
	}
	if (serialized(t->nr) && tr->slot && tr->slot != t) {
		t->waiting = ++tr->seq;
		return; /* stays stopped until the slot is free */
	}
	if (serialized(t->nr))
		tr->slot = t;
	enter_kernel(tr, t);
}

static void syscall_exit(struct tracer *tr, struct task *t, const struct sc_info *si)
{
	if (t->active && !t->printed) {
		long ret = (long)si->exit.rval;
		int forked = (t->nr == SYS_fork || t->nr == SYS_vfork || t->nr == SYS_clone ||
			      t->nr == SYS_clone3) && ret > 0;
		emit_call(tr, t, ret, 0, forked ? (pid_t)ret : 0);
	}
	task_clear_call(t);
	slot_release(tr, t);
	resume(t, 0);
}

static void syscall_stop(struct tracer *tr, struct task *t)
{
	struct sc_info si;

	memset(&si, 0, sizeof(si));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->pid, (void *)sizeof(si), &si) <= 0) {
		resume(t, 0);
		return;
	}
	if (si.op == SC_ENTRY)
		syscall_entry(tr, t, &si);
	else if (si.op == SC_EXIT)
		syscall_exit(tr, t, &si);
	else
		resume(t, 0);
}

/* ---- events ---- */

/* The parent's fork/clone event: the child exists and the call will
 * return its pid, so the line is written now, before any of the
 * child's own lines. */
static void fork_event(struct tracer *tr, struct task *t)
{
	unsigned long msg = 0;
	struct task *c;

	ptrace(PTRACE_GETEVENTMSG, t->pid, 0, &msg);
	c = task_find(tr, (pid_t)msg);
	if (!c)
		c = task_add(tr, (pid_t)msg);
	c->announced = 1;
	if (t->active && !t->printed) {
		emit_call(tr, t, (long)msg, 0, (pid_t)msg);
		t->printed = 1;
	}
	slot_release(tr, t);
	if (c->parked) {
		c->parked = 0;
		resume(c, 0);
	}
	resume(t, 0);
}

/* A thread that execs takes its leader's pid: its call moves along. */
static struct task *exec_adopt(struct tracer *tr, struct task *t, pid_t former)
{
	struct task *f = former != t->pid ? task_find(tr, former) : NULL;

	if (!f)
		return t;
	task_clear_call(t);
	t->active = f->active, t->nr = f->nr, t->exec_text = f->exec_text;
	memcpy(t->args, f->args, sizeof(t->args));
	f->exec_text = NULL;
	if (tr->slot == f)
		tr->slot = t;
	task_del(tr, f);
	return t;
}

static void exec_event(struct tracer *tr, struct task *t, char *const argv[], const char *path)
{
	unsigned long former = t->pid;
	int first = t->pid == tr->root && t->nexec == 0;

	ptrace(PTRACE_GETEVENTMSG, t->pid, 0, &former);
	t = exec_adopt(tr, t, (pid_t)former);
	if (tr->hooks->on_exec &&
	    tr->hooks->on_exec(tr->hooks->ctx, t->pid, (pid_t)former, t->nexec, first))
		tr->stop = 1;
	t->nexec++;
	if (first) { /* the command's own execve ran before any syscall stop */
		struct sbuf b = { 0 };
		extern char **environ;
		unsigned long n = 0;

		while (environ[n])
			n++;
		sb_quoted(&b, path, 0);
		sb_printf(&b, ", ");
		for (n = 0; argv[n]; n++)
			;
		sfmt_strings(&b, (char **)argv, n, 0);
		for (n = 0; environ[n]; n++)
			;
		sb_printf(&b, ", %p /* %lu var%s */", (void *)environ, n, n == 1 ? "" : "s");
		task_clear_call(t);
		t->nr = SYS_execve;
		t->exec_text = b.s;
		emit_call(tr, t, 0, 0, 0);
		task_clear_call(t);
	} else if (t->active && !t->printed) {
		/* Past the point of no return: the line goes out before any
		 * call of the new image or of a vfork parent it releases. */
		emit_call(tr, t, 0, 0, 0);
		t->printed = 1;
	}
	slot_release(tr, t);
	resume(t, 0);
}

static int is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* PTRACE_EVENT_STOP: a new task's attach stop, or a group-stop. */
static void event_stop(struct tracer *tr, struct task *t, int sig)
{
	(void)tr;
	if (t->fresh) {
		t->fresh = 0;
		if (!t->announced) {
			t->parked = 1; /* its parent's line must come first */
			return;
		}
		resume(t, 0);
	} else if (is_stop_signal(sig)) {
		ptrace(PTRACE_LISTEN, t->pid, 0, 0);
	} else {
		resume(t, 0);
	}
}

static void stopped(struct tracer *tr, pid_t pid, int status, char *const argv[], const char *path)
{
	struct task *t = task_find(tr, pid);
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16;

	if (!t)
		t = task_add(tr, pid);
	if (sig == (SIGTRAP | 0x80))
		syscall_stop(tr, t);
	else if (event == PTRACE_EVENT_STOP)
		event_stop(tr, t, sig);
	else if (event == PTRACE_EVENT_EXEC)
		exec_event(tr, t, argv, path);
	else if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
		 event == PTRACE_EVENT_CLONE)
		fork_event(tr, t);
	else if (event)
		resume(t, 0);
	else
		resume(t, sig); /* a signal for the tracee: deliver it */
}

static void died(struct tracer *tr, pid_t pid, int status)
{
	struct task *t = task_find(tr, pid);

	if (pid == tr->root)
		tr->res->status = status;
	if (!t)
		return;
	emit_death(tr, pid, status);
	slot_release(tr, t);
	t->waiting = 0;
	task_del(tr, t);
}

/* ---- starting the command ---- */

static char *find_in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(name, '/'))
		return strdup(name);
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, p, n ? "/" : "", name);
		if (!access(buf, X_OK))
			return strdup(buf);
		p += n + (p[n] == ':');
	}
	return strdup(name);
}

/* The child waits on a pipe until it is seized, so that its execve is
 * the first thing the tracer sees. */
static pid_t start(char *const argv[], const char *path, const char *name)
{
	int go[2];
	pid_t pid;
	char c;
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL;

	if (pipe2(go, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execv(path, argv);
		fprintf(stderr, "usermm %s: cannot run %s: %s\n", name ? name : "tracer", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(go[0]);
	if (pid > 0 && ptrace(PTRACE_SEIZE, pid, 0, (void *)opts)) {
		fprintf(stderr, "usermm: ptrace: %s\n", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	if (pid > 0 && write(go[1], "g", 1) != 1)
		pid = -1;
	close(go[1]);
	return pid;
}

int tracer_run(char *const argv[], const struct tracer_hooks *hooks, struct tracer_result *res)
{
	struct tracer tr = { .hooks = hooks, .res = res };
	char *path = find_in_path(argv[0]);
	int status;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	tr.root = start(argv, path, hooks->name);
	if (tr.root < 0) {
		free(path);
		return -1;
	}
	task_add(&tr, tr.root)->fresh = 0;
	while ((pid = waitpid(-1, &status, __WALL)) > 0 || errno == EINTR) {
		if (pid <= 0)
			continue;
		if (WIFSTOPPED(status))
			stopped(&tr, pid, status, argv, path);
		else if (WIFEXITED(status) || WIFSIGNALED(status))
			died(&tr, pid, status);
		if (tr.stop && !res->aborted) {
			res->aborted = 1;
			for (size_t i = 0; i < tr.ntasks; i++)
				kill(tr.tasks[i]->pid, SIGKILL);
		}
	}
	res->exec_failed = !res->calls && WIFEXITED(res->status) && WEXITSTATUS(res->status) == 127;
	while (tr.ntasks)
		task_del(&tr, tr.tasks[0]);
	free(tr.tasks);
	free(path);
	return 0;
}

/* ---- snapshots ---- */

/* What the new image keeps of the process: personality, effective
 * capabilities and the limits a space keeps. */
static void write_process_state(FILE *out, pid_t pid)
{
	static const struct {
		int res;
		const char *key;
	} lims[] = { { RLIMIT_AS, "rlimit_as" }, { RLIMIT_DATA, "rlimit_data" },
		     { RLIMIT_MEMLOCK, "rlimit_memlock" }, { RLIMIT_STACK, "rlimit_stack" } };
	char path[64];
	unsigned long persona;
	unsigned long long caps;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/personality", pid);
	f = fopen(path, "re");
	if (f && fscanf(f, "%lx", &persona) == 1)
		fprintf(out, " personality=%#lx", persona);
	if (f)
		fclose(f);
	if (!tracer_read_caps(pid, &caps))
		fprintf(out, " caps=%#llx", caps);
	for (size_t i = 0; i < sizeof(lims) / sizeof(lims[0]); i++) {
		struct rlimit r;

		if (!prlimit(pid, lims[i].res, NULL, &r))
			fprintf(out, " %s=%#lx:%#lx", lims[i].key, (unsigned long)r.rlim_cur,
				(unsigned long)r.rlim_max);
	}
}

/* start_stack (field 28) and start_brk (field 47) of /proc/PID/stat,
 * which smaps cannot show: without a [heap] line the break is unknown.
 * At an exec event the break is still at start_brk. */
static void write_header(FILE *out, pid_t pid)
{
	char path[64], buf[4096], *p;
	unsigned long v[48] = { 0 };
	FILE *f;
	size_t n;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (!p)
		return;
	p += 2;
	p += strcspn(p, " "); /* field 3, the state letter */
	p += strspn(p, " ");
	for (i = 4; i < 48 && *p; i++) {
		v[i] = strtoul(p, &p, 10);
		p += strspn(p, " ");
	}
	if (i == 48 && v[47]) {
		fprintf(out, "# usermm: start_brk=%#lx brk=%#lx start_stack=%#lx", v[47], v[47],
			v[28]);
		write_process_state(out, pid);
		fprintf(out, "\n");
	}
}

char *tracer_snapshot(pid_t pid)
{
	char path[64], buf[65536], *text = NULL;
	size_t len = 0, n;
	FILE *in, *out;
	int err;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	in = fopen(path, "re");
	if (!in)
		return NULL;
	out = open_memstream(&text, &len);
	if (!out) {
		fclose(in);
		return NULL;
	}
	write_header(out, pid);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	err = ferror(in);
	fclose(in);
	if (fclose(out) || err) {
		free(text);
		return NULL;
	}
	return text;
}

int tracer_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
