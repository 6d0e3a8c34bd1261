/*
 * strace_fmt.h - owns the text form of one traced call: the line
 * `strace -f -y -e trace=memory` (strace 6.1, this machine) writes for the
 * memory calls and the process calls around them. Used by the tracer
 * (record, shadow); it only formats, it never reads a tracee.
 */
#ifndef UMM_TOOLS_STRACE_FMT_H
#define UMM_TOOLS_STRACE_FMT_H

#include <stddef.h>
#include <stdio.h>

/* A growing text buffer. */
struct sbuf {
	char *s;
	size_t len, cap;
};

void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(struct sbuf *b);
/* Appends a C string as strace quotes it: escapes, at most max bytes
 * (then `"..."`), max 0 for no limit. */
void sb_quoted(struct sbuf *b, const char *s, size_t max);

/* Syscall numbers (x86_64) the formatter knows; mseal is newer than the
 * strace of this machine, which prints it as syscall_0x1ce. */
enum {
	SFMT_NR_MSEAL = 462,
};
#define SFMT_PR_SET_VMA 0x53564d41UL

/* Everything a line needs, captured by the tracer at entry and exit. */
struct sfmt_call {
	long nr;
	unsigned long a[6];
	long ret;
	int noreturn;			/* exit, exit_group: "= ?" */
	const char *fd_path;		/* -y path of the fd argument, or NULL */
	const char *exec_args;		/* execve/execveat: the text inside (), or NULL */
	const char *str_arg;		/* prctl(PR_SET_VMA): the name read, or NULL */
	const unsigned char *vec;	/* mincore's vector after the call */
	size_t vec_len;
	const unsigned long *clone3;	/* the struct clone_args words, or NULL */
	size_t clone3_words;
	const char *path_arg;		/* open/openat's file name, memfd_create's name */
	const char *dir_path;		/* openat's dirfd path (the cwd for AT_FDCWD) */
	const char *ret_path;		/* the path of the fd a call returned, or NULL */
	const unsigned long *rlim_new;	/* setrlimit/prlimit64's new limit read at entry */
	const unsigned long *rlim_old;	/* prlimit64's old limit read at exit */
};

/* 1 for calls the trace records (memory and process calls). */
int sfmt_traced(long nr);
/* sfmt_traced, and of prctl only the options that bear on mappings
 * (PR_SET_VMA, PR_SET/GET_MDWE, PR_SET/GET_THP_DISABLE). */
int sfmt_traced_call(long nr, const unsigned long args[6]);
/* Calls that change the effective capabilities (capset, setuid, ...):
 * traced, but the trace shows their effect instead, as the line
 * "usermm_caps(0xEFFECTIVE) = 0" (sfmt_caps_line). */
int sfmt_creds_call(long nr);
void sfmt_caps_line(struct sbuf *b, unsigned long long effective);
/* Calls that return a new fd (open, openat, memfd_create). */
int sfmt_returns_fd(long nr);
/* 1 for calls that change or inspect an address space. */
int sfmt_memory_call(long nr);
/* 1 for the calls whose result is an address, printed in hex. */
int sfmt_hex_result(long nr);
/* Appends "name(args)" for c. */
void sfmt_call(struct sbuf *b, const struct sfmt_call *c);
/* Appends " = result" padded at column 40 as strace does; line_start is
 * where the line begins in b. */
void sfmt_result(struct sbuf *b, size_t line_start, const struct sfmt_call *c);
/* Appends a signal's name (SIGCHLD), or its number. */
void sfmt_signal(struct sbuf *b, int sig);
/* Appends execve's and execveat's shared tail: argv, envp (from the
 * tracer's reading of the tracee). */
void sfmt_strings(struct sbuf *b, char **strs, size_t n, int truncated);

#endif
