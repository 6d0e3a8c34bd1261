/*
 * difftest_child.c - owns the kernel side of `usermm difftest`: a child
 * process, this very program re-executed (ASLR off unless asked), that
 * runs raw syscalls on request and nothing else, and the reading of its
 * /proc files by the parent.
 *
 * Why re-exec and not a plain fork: a forked child's VMAs each get a new
 * anon_vma, which changes how they merge; a freshly executed process is
 * what a real program looks like, and what the reproducer's maps file
 * describes.
 *
 * Protocol, over two pipes made before the exec: the parent writes a
 * struct dt_req, the child runs it with syscall(2) and writes back the
 * result (or -errno); a touch request is one access instead
 * (difftest_touch.c), whose handlers are installed before the snapshot;
 * a fork request makes the forked child serve the requests until a join
 * (see DT_NR_FORK).
 * Between the snapshot and its exit the child calls
 * nothing but raw syscalls (no malloc, no stdio, no sanitizer
 * interceptors), so its mappings change only through the requests.
 */
#define _GNU_SOURCE
#include "difftest/difftest.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define REQ_EXIT (-1L) /* a request that ends the child (unused: SIGKILL) */
/* A call the kernel does not answer within this is reported, not waited
 * for forever. */
#define ANSWER_MS 30000

struct dt_req {
	long nr;
	unsigned long a[6];
};

/* ---- the child --------------------------------------------------------- */

/* Raw read/write: the sanitizers intercept the libc wrappers. */
__attribute__((no_sanitize("address", "undefined"))) static int raw_io(long nr, int fd, void *buf,
								       size_t n)
{
	size_t done = 0;

	while (done < n) {
		long r = syscall(nr, fd, (char *)buf + done, n - done);

		if (r <= 0 && !(r < 0 && errno == EINTR))
			return -1;
		if (r > 0)
			done += (size_t)r;
	}
	return 0;
}

/* One request: a system call, or one of difftest's pseudo calls. */
__attribute__((no_sanitize("address", "undefined"))) static long run_request(const struct dt_req *q,
									     long *byte)
{
	const char *name;
	long r;

	*byte = -1;
	if (q->nr == DT_NR_TOUCH)
		return dt_touch(q->a[0], q->a[1], byte);
	if (q->nr == DT_NR_ANON_NAME) {
		name = q->a[4] < DT_NANON_NAMES ? dt_anon_names[q->a[4]] : NULL;
		r = syscall(SYS_prctl, q->a[0], q->a[1], q->a[2], q->a[3], name);
	} else {
		r = syscall(q->nr, q->a[0], q->a[1], q->a[2], q->a[3], q->a[4], q->a[5]);
	}
	return r == -1 ? -(long)errno : r;
}

/* A fork request: the forked child answers it and goes on serving; the
 * parent waits for it to exit (at a join, or dying), then answers the
 * request pending then with DT_JOINED and its status. */
__attribute__((no_sanitize("address", "undefined"))) static void fork_request(int wfd, bool *forked,
									 long *r)
{
	long pid;
	int status = 0;

	r[1] = -1;
	if (*forked) {
		r[0] = -EBUSY;
		return;
	}
	pid = syscall(SYS_fork);
	if (pid == 0) {
		syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		*forked = true;
		r[0] = 0;
		r[1] = syscall(SYS_getpid);
		return;
	}
	if (pid < 0) {
		r[0] = -(long)errno;
		return;
	}
	while (syscall(SYS_wait4, pid, &status, 0, NULL) < 0 && errno == EINTR)
		;
	r[0] = DT_JOINED;
	r[1] = status;
	(void)wfd;
}

__attribute__((no_sanitize("address", "undefined"), noreturn)) static void serve(int rfd, int wfd)
{
	struct dt_req q;
	bool forked = false;
	long r[2];

	for (;;) {
		if (raw_io(SYS_read, rfd, &q, sizeof(q)) || q.nr == REQ_EXIT)
			syscall(SYS_exit_group, 0);
		if (q.nr == DT_NR_JOIN && forked)
			syscall(SYS_exit_group, 0);
		if (q.nr == DT_NR_FORK) {
			fork_request(wfd, &forked, r);
		} else if (q.nr == DT_NR_JOIN) {
			r[0] = -ECHILD;
			r[1] = -1;
		} else {
			r[0] = run_request(&q, &r[1]);
		}
		if (raw_io(SYS_write, wfd, r, sizeof(r)))
			syscall(SYS_exit_group, 0);
	}
}

/* Faults in the stack the loop will use, so that [stack] never grows
 * during the sequence (it would change the maps text). */
static __attribute__((noinline)) void pretouch_stack(void)
{
	volatile char pad[65536];

	for (size_t i = 0; i < sizeof(pad); i += 256)
		pad[i] = 0;
}

static void drop_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return;
	d[0].effective &= ~((1U << CAP_SYS_RAWIO) | (1U << CAP_IPC_LOCK) | (1U << CAP_SYS_ADMIN));
	syscall(SYS_capset, &h, d);
}

/* argv: difftest --internal-child REQ_FD RESP_FD UNPRIVILEGED */
int dt_child_main(int argc, char **argv)
{
	int rfd, wfd;
	long ready = 0;

	if (argc != 5)
		return 2;
	rfd = atoi(argv[2]);
	wfd = atoi(argv[3]);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (atoi(argv[4]))
		drop_caps();
	pretouch_stack();
	if (dt_touch_setup())
		return 1;
	if (raw_io(SYS_write, wfd, &ready, sizeof(ready)))
		return 1;
	serve(rfd, wfd);
}

/* ---- the parent's handle -------------------------------------------- */

static void exec_child(const struct dt_child_opts *o, int rfd, int wfd)
{
	char r[16], w[16], *args[] = { "usermm", "difftest", DT_CHILD_ARG, r, w,
				       o->unprivileged ? "1" : "0", NULL };
	int pers = personality(0xffffffff);

	snprintf(r, sizeof(r), "%d", rfd);
	snprintf(w, sizeof(w), "%d", wfd);
	if (!o->aslr && pers != -1)
		personality((unsigned long)pers | ADDR_NO_RANDOMIZE);
	execv("/proc/self/exe", args);
	_exit(127);
}

int dt_child_spawn(struct dt_child *c, const struct dt_child_opts *o)
{
	int req[2], resp[2];
	long ready;

	if (pipe(req) || pipe(resp))
		return -1;
	fflush(NULL);
	c->forked = 0;
	c->pid = fork();
	if (c->pid == 0) {
		close(req[1]);
		close(resp[0]);
		exec_child(o, req[0], resp[1]);
	}
	close(req[0]);
	close(resp[1]);
	c->req_fd = req[1];
	c->resp_fd = resp[0];
	fcntl(c->req_fd, F_SETFD, FD_CLOEXEC);
	fcntl(c->resp_fd, F_SETFD, FD_CLOEXEC);
	if (c->pid < 0 || raw_io(SYS_read, c->resp_fd, &ready, sizeof(ready))) {
		dt_child_stop(c);
		return -1;
	}
	return 0;
}

long dt_child_syscall(struct dt_child *c, long nr, const unsigned long a[6], bool *dead,
		      long *byte)
{
	struct dt_req q = { nr, { a[0], a[1], a[2], a[3], a[4], a[5] } };
	struct pollfd p = { c->resp_fd, POLLIN, 0 };
	long r[2];

	if (raw_io(SYS_write, c->req_fd, &q, sizeof(q))) {
		*dead = true;
		return -EIO;
	}
	if (poll(&p, 1, ANSWER_MS) == 0) {
		*dead = true;
		return -ETIMEDOUT;
	}
	if (raw_io(SYS_read, c->resp_fd, r, sizeof(r))) {
		*dead = true;
		return -EIO;
	}
	if (nr == DT_NR_FORK && r[0] == 0)
		c->forked = (pid_t)r[1];
	if (r[0] == DT_JOINED) {
		/* The forked child exited: at the join, or died on the call. */
		c->forked = 0;
		if (nr != DT_NR_JOIN || r[1] != 0) {
			*dead = true;
			return -EIO;
		}
		r[0] = 0;
	}
	if (byte)
		*byte = nr == DT_NR_FORK ? -1 : r[1];
	return r[0];
}

static char *read_proc(pid_t pid, const char *name);

char *dt_child_proc(const struct dt_child *c, const char *name)
{
	return read_proc(c->forked ? c->forked : c->pid, name);
}

char *dt_child_proc_parent(const struct dt_child *c, const char *name)
{
	return read_proc(c->pid, name);
}

static char *read_proc(pid_t pid, const char *name)
{
	char path[64], *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	do {
		if (cap - len < 65536) {
			char *nb = realloc(buf, cap = cap * 2 + 65536);

			if (!nb)
				break;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		len += n > 0 ? (size_t)n : 0;
	} while (n > 0);
	close(fd);
	if (!buf || n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* The child has nothing to clean up, and may be stuck in a call that
 * did not answer: SIGKILL. */
void dt_child_stop(struct dt_child *c)
{
	if (c->pid <= 0)
		return;
	kill(c->pid, SIGKILL);
	close(c->req_fd);
	close(c->resp_fd);
	waitpid(c->pid, NULL, 0);
	c->pid = 0;
	c->forked = 0;
}
