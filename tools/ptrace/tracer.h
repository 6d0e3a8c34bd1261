/*
 * tracer.h - owns the ptrace machinery of `usermm record` and `usermm
 * shadow`: runs a command under ptrace, follows every fork, vfork, clone
 * and exec, stops each new image at its exec event (before any of its
 * syscalls), and hands every memory and process call to hooks, decoded
 * and as the line `strace -f -y -e trace=memory` prints.
 *
 * Memory calls (and fork/clone/exec) are serialized across all tracees:
 * one at a time is let into the kernel, so the order of the lines is the
 * order in which the kernel applied them, even between threads.
 */
#ifndef UMM_TOOLS_TRACER_H
#define UMM_TOOLS_TRACER_H

#include <sys/types.h>

/* One finished call as the hooks see it. */
struct tracer_call {
	pid_t pid;
	long nr;
	unsigned long args[6];
	long ret;	   /* the raw result: -errno on failure */
	int noreturn;	   /* exit, exit_group */
	pid_t child;	   /* fork/vfork/clone/clone3: the new task, else 0 */
	unsigned long clone_flags; /* fork is 0+SIGCHLD, vfork CLONE_VM|CLONE_VFORK */
	const char *fd_path; /* mmap's fd, as readlink of /proc/PID/fd/N at entry */
	const char *str;     /* prctl(PR_SET_VMA)'s name, read at entry; NULL if none */
	/* A call that changed the credentials (capset, setuid, ...) and
	 * succeeded: the effective capabilities after it, from
	 * /proc/PID/status; the line is then "usermm_caps(0x...) = 0". */
	int has_caps;
	unsigned long long caps_eff;
	/* setrlimit/prlimit64: the new limit, read at entry (has_rlim). */
	int has_rlim;
	unsigned long rlim[2];
	const char *line;  /* the strace line, with its pid prefix, no newline */
};

struct tracer_hooks {
	void *ctx;
	const char *name; /* the command, for messages: "record", "shadow" */
	/* pid has just exec'd: its new image is in place and nothing of it
	 * has run. former is its tid before (differs when a thread execs).
	 * nth counts this pid's execs from 0 (0 only for the command).
	 * The execve line follows at once, so the order of these calls is the
	 * order of the successful execve lines in the trace.
	 * Return nonzero to stop tracing (the tracees are killed). */
	int (*on_exec)(void *ctx, pid_t pid, pid_t former, int nth, int first);
	/* A memory call is about to go into the kernel (it has the slot):
	 * pid, nr and args are set, nothing else. May be NULL. */
	int (*on_entry)(void *ctx, const struct tracer_call *call);
	/* A traced call has finished (exit and exit_group: has begun). */
	int (*on_call)(void *ctx, const struct tracer_call *call);
	/* A task is gone; line is strace's "+++ exited with N +++". */
	int (*on_exit)(void *ctx, pid_t pid, int status, const char *line);
};

struct tracer_result {
	int status;	     /* the command's wait status */
	int exec_failed;     /* the command could not be started */
	int aborted;	     /* a hook asked to stop */
	unsigned long calls; /* traced calls seen */
	unsigned long tasks; /* tasks (processes and threads) seen */
};

/* Runs argv (looked up in PATH) under ptrace until every tracee is gone.
 * Returns 0, or -1 with a message on stderr if tracing failed. */
int tracer_run(char *const argv[], const struct tracer_hooks *hooks, struct tracer_result *res);

/* /proc/PID/smaps of a tracee stopped at its exec event, after one line
 * "# usermm: start_brk=0x... brk=0x... start_stack=0x... personality=0x...
 * caps=0x... rlimit_as=CUR:MAX rlimit_data=... rlimit_memlock=...
 * rlimit_stack=..." from /proc/PID/stat, personality and status and
 * prlimit (the line is left out if stat cannot be read). Malloc'ed; NULL
 * if smaps cannot be read. */
char *tracer_snapshot(pid_t pid);

/* The effective capability set of pid (CapEff of /proc/PID/status). */
int tracer_read_caps(pid_t pid, unsigned long long *eff);

/* The exit status a shell would give for a wait status. */
int tracer_exit_code(int status);

#endif
