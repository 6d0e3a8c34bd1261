/*
 * difftest_trace.c - owns how `usermm difftest` writes calls: one line
 * per call in the form `strace -f -y -e trace=memory` prints (fds as
 * `3</path>`, errors as `= -1 ENOMEM (Cannot allocate memory)`, names as
 * strace 6.1 knows them, anything else in hex), and the reproducer files
 * that `usermm replay --check --maps PREFIX.smaps PREFIX.trace` reads,
 * with the kernel's maps after the last call (PREFIX.after.maps) for a
 * divergence that shows in the maps text only.
 *
 * Two lines are difftest's own: a touch (one access by the child, which
 * strace does not see) is the pseudo call `usermm_touch(0xADDR, PROT_WRITE)
 * = R` with R umm_fault()'s encoding as a decimal number: 0, or
 * (signal << 8) | si_code, e.g. 2817 for SIGSEGV with SEGV_MAPERR, 2818
 * for SEGV_ACCERR, 1794 for SIGBUS with BUS_ADRERR, 2944 for SI_KERNEL;
 * and the anon-name prctl prints as strace does, but with the whole name.
 *
 * The trace starts with an openat line per fd it uses, as
 * `strace -e trace=memory,openat` would show it: the open mode (read-only,
 * write-only) decides mmap's EACCES, and the -y path alone does not tell.
 */
#define _GNU_SOURCE
#include "difftest/difftest.h"
#include "trace/flags.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_prot(FILE *out, unsigned long prot)
{
	char buf[256];

	fputs(flag_bits(buf, sizeof(buf), FLAGS_PROT, prot, "PROT_NONE"), out);
}

static void print_mflags(FILE *out, unsigned long flags)
{
	char buf[512];

	fputs(flag_mmap_flags(buf, sizeof(buf), flags), out);
}

/* -y style: 3</tmp/file>, or the bare number of an fd we do not have. */
static void print_fd(FILE *out, unsigned long v)
{
	int fd = (int)v;
	char link[64], path[PATH_MAX];
	ssize_t n = -1;

	if (fd >= 0) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
	}
	if (n < 0) {
		fprintf(out, "%d", fd);
		return;
	}
	path[n] = '\0';
	fprintf(out, "%d<%s>", fd, path);
}

/* A string as strace quotes it (but whole: strace cuts at -s 32). */
static void print_quoted(FILE *out, const char *s)
{
	static const char special[] = "\"\\\f\n\r\t\v", shown[] = "\"\\fnrtv";

	fputc('"', out);
	for (; *s; s++) {
		const char *esc = strchr(special, *s);

		if (esc)
			fprintf(out, "\\%c", shown[esc - special]);
		else if (*s < 0x20 || *s > 0x7e)
			fprintf(out, isdigit((unsigned char)s[1]) ? "\\%03o" : "\\%o", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

/* prctl's arguments: PR_SET_VMA, PR_SET_VMA_ANON_NAME, the name. */
static void print_prctl_arg(FILE *out, enum dt_arg t, unsigned long v)
{
	const char *name = v < DT_NANON_NAMES ? dt_anon_names[v] : NULL;

	if (t == DA_PR_OPTION && v == DT_PR_SET_VMA)
		fputs("PR_SET_VMA", out);
	else if (t == DA_PR_VMA_ATTR && v == 0)
		fputs("PR_SET_VMA_ANON_NAME", out);
	else if (t != DA_ANON_NAME)
		fprintf(out, "%#lx", v);
	else if (name)
		print_quoted(out, name);
	else
		fputs("NULL", out);
}

static void print_arg(FILE *out, enum dt_arg t, unsigned long v)
{
	switch (t) {
	case DA_ADDR: v ? fprintf(out, "%#lx", v) : fprintf(out, "NULL"); break;
	case DA_LEN: fprintf(out, "%lu", v); break;
	case DA_PROT: print_prot(out, v); break;
	case DA_MFLAGS: print_mflags(out, v); break;
	case DA_FD: print_fd(out, v); break;
	case DA_OFF: case DA_HEX: v ? fprintf(out, "%#lx", v) : fprintf(out, "0"); break;
	case DA_INT: fprintf(out, "%ld", (long)v); break;
	case DA_PR_OPTION: case DA_PR_VMA_ATTR: case DA_ANON_NAME: print_prctl_arg(out, t, v); break;
	case DA_NONE: break;
	}
}

void dt_print_call(FILE *out, const struct dt_call *c)
{
	const struct dt_kind_info *k = &dt_kinds[c->kind];
	int nargs = 0;

	while (nargs < 6 && k->args[nargs] != DA_NONE)
		nargs++;
	/* mremap's fifth argument exists only with MREMAP_FIXED/DONTUNMAP */
	if (c->kind == DT_MREMAP && !(c->a[3] & 6))
		nargs = 4;
	fprintf(out, "%s(", k->name);
	for (int i = 0; i < nargs; i++) {
		if (i)
			fputs(", ", out);
		print_arg(out, k->args[i], c->a[i]);
	}
	fputc(')', out);
}

void dt_print_result(FILE *out, const struct dt_call *c, long r)
{
	if (r < 0 && r > -4096 && c->kind != DT_BRK)
		fprintf(out, " = -1 %s (%s)", strerrorname_np((int)-r), strerror((int)-r));
	else if (dt_kinds[c->kind].addr_result)
		fprintf(out, " = %#lx", (unsigned long)r);
	else
		fprintf(out, " = %ld", r);
}

static const struct dt_fd *find_fd(const struct dt_files *f, unsigned long fd)
{
	for (int i = 0; i < f->nfds; i++)
		if ((unsigned long)f->fds[i].fd == fd)
			return &f->fds[i];
	return NULL;
}

static void print_open_flags(FILE *out, int flags)
{
	int acc = flags & O_ACCMODE;

	fputs(acc == O_WRONLY ? "O_WRONLY" : acc == O_RDWR ? "O_RDWR" : "O_RDONLY", out);
	if (flags & O_APPEND)
		fputs("|O_APPEND", out);
	if (flags & O_DIRECTORY)
		fputs("|O_DIRECTORY", out);
	if (flags & O_PATH)
		fputs("|O_PATH", out);
}

/* openat lines for the fds the calls pass, each once. */
static void print_opens(FILE *out, const struct dt_call *calls, size_t n, const struct dt_files *f,
			const char *pfx)
{
	bool seen[DT_MAX_FDS] = { false };

	for (size_t i = 0; i < n; i++) {
		const struct dt_fd *d = calls[i].kind == DT_MMAP ? find_fd(f, calls[i].a[4]) : NULL;
		char link[64], path[PATH_MAX];
		ssize_t len;

		if (!d || seen[d - f->fds])
			continue;
		seen[d - f->fds] = true;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", d->fd);
		len = readlink(link, path, sizeof(path) - 1);
		path[len > 0 ? len : 0] = '\0';
		fputs(pfx, out);
		if (d->memfd_name) { /* "/memfd:NAME (deleted)" */
			fprintf(out, "memfd_create(\"%s\", %s) = %d</memfd:%s>(deleted)\n",
				d->memfd_name, (d->mfd_flags & 4) ? "MFD_HUGETLB" : "0", d->fd,
				d->memfd_name);
			continue;
		}
		fprintf(out, "openat(AT_FDCWD, \"%s\", ", path);
		print_open_flags(out, d->flags);
		fprintf(out, ") = %d<%s>\n", d->fd, path);
	}
}

static int write_text(const char *prefix, const char *ext, const char *text)
{
	char path[PATH_MAX];
	FILE *f;
	int bad;

	snprintf(path, sizeof(path), "%s.%s", prefix, ext);
	f = fopen(path, "w");
	if (!f)
		return -1;
	bad = fputs(text ? text : "", f) < 0;
	return fclose(f) || bad ? -1 : 0;
}

/* Has the sequence a fork that worked? Then every line gets a pid, as
 * strace -f writes them. */
static bool forks(const struct dt_repro *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->calls[i].kind == DT_FORK && r->results[i] == 0)
			return true;
	return false;
}

/* The calls, with pids where there was a fork: the child is
 * DT_TRACE_PID, each fork's child the next number; a join is the forked
 * child's exit. Forks and joins that failed (nested, or without a fork)
 * changed nothing and are left out. */
#define DT_TRACE_PID 1000L
static void print_calls(FILE *out, const struct dt_repro *r)
{
	bool pids = forks(r);
	long pid = DT_TRACE_PID, parent = pid, next = pid + 1;

	for (size_t i = 0; i < r->n; i++) {
		const struct dt_call *c = &r->calls[i];

		if ((c->kind == DT_FORK || c->kind == DT_JOIN) && r->results[i] != 0)
			continue;
		if (pids)
			fprintf(out, "%ld ", pid);
		if (c->kind == DT_FORK) {
			fprintf(out, "fork() = %ld\n", next);
			parent = pid;
			pid = next++;
		} else if (c->kind == DT_JOIN) {
			fprintf(out, "exit_group(0) = ?\n%ld +++ exited with 0 +++\n", pid);
			pid = parent;
		} else {
			dt_print_call(out, c);
			dt_print_result(out, c, r->results[i]);
			fputc('\n', out);
		}
	}
}

int dt_write_repro(const char *prefix, const struct dt_repro *r, const struct dt_files *f)
{
	char path[PATH_MAX], pfx[24];
	FILE *out;
	int bad;

	snprintf(path, sizeof(path), "%s.trace", prefix);
	out = fopen(path, "w");
	if (!out)
		return -1;
	snprintf(pfx, sizeof(pfx), "%ld ", DT_TRACE_PID);
	if (!forks(r))
		pfx[0] = '\0';
	print_opens(out, r->calls, r->n, f, pfx);
	fprintf(out, "%sbrk(NULL) = %#lx\n", pfx, r->brk0);
	print_calls(out, r);
	bad = ferror(out);
	if (fclose(out) || bad)
		return -1;
	return write_text(prefix, "smaps", r->smaps) || write_text(prefix, "maps", r->maps) ||
			       write_text(prefix, "after.maps", r->after)
		       ? -1
		       : 0;
}
