/*
 * cmd_record.c - `usermm record -o PREFIX [--] CMD [ARGS...]`: runs CMD
 * under ptrace (tracer.c), following its children, and writes
 *   PREFIX.trace          every memory and process call, as
 *                         `strace -f -y -e trace=memory` prints it;
 *   PREFIX.maps           /proc/PID/smaps of CMD's image at its exec event,
 *                         before ld.so's first call;
 *   PREFIX.N.maps         the same for every later exec, N = 1, 2, ... in the
 *                         order of the successful execve lines in the trace
 *                         (the order `replay --maps ... --maps ...` wants).
 * Each .maps file starts with one line "# usermm: start_brk=0x... brk=0x...
 * start_stack=0x..." (from /proc/PID/stat) that replay reads.
 * CMD's input and output pass through; record exits with CMD's status
 * (128+N if a signal N killed it, 127 if it could not be run).
 */
#define _GNU_SOURCE
#include "cli/cli.h"
#include "cli/commands.h"
#include "ptrace/tracer.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct record {
	const char *prefix;
	FILE *trace;
	int execs; /* snapshots written after PREFIX.maps */
	int failed;
};

static void record_usage(FILE *out)
{
	fprintf(out,
		"usage: usermm record -o PREFIX [--] CMD [ARGS...]\n\n"
		"Runs CMD under ptrace, following forks, clones and execs, and writes\n"
		"  PREFIX.trace       its memory and process calls as `strace -f -y\n"
		"                     -e trace=memory` prints them (replay reads it);\n"
		"  PREFIX.maps        CMD's /proc/PID/smaps at its exec, before ld.so runs;\n"
		"  PREFIX.N.maps      the same at every later exec, N = 1, 2, ... in the\n"
		"                     order of the successful execve lines of the trace:\n"
		"                     replay --maps PREFIX.maps --maps PREFIX.1.maps ...\n"
		"CMD's output and exit status pass through.\n\n"
		"  -o, --output PREFIX   where to write (required)\n"
		"  -h, --help            this text\n");
}

static int write_snapshot(pid_t pid, const char *to)
{
	char *text = tracer_snapshot(pid);
	FILE *out = text ? fopen(to, "we") : NULL;
	int err = !out;

	if (out) {
		err |= fputs(text, out) == EOF;
		err |= fclose(out) != 0;
	}
	if (err)
		fprintf(stderr, "usermm record: cannot write %s: %s\n", to,
			text ? strerror(errno) : "cannot read the smaps");
	free(text);
	return err ? -1 : 0;
}

static int record_exec(void *ctx, pid_t pid, pid_t former, int nth, int first)
{
	struct record *r = ctx;
	char to[4096];

	(void)former, (void)nth;
	if (first)
		snprintf(to, sizeof(to), "%s.maps", r->prefix);
	else
		snprintf(to, sizeof(to), "%s.%d.maps", r->prefix, ++r->execs);
	if (write_snapshot(pid, to))
		r->failed = 1;
	return 0; /* a lost snapshot is reported at the end; the program runs on */
}

static int record_call(void *ctx, const struct tracer_call *c)
{
	struct record *r = ctx;

	fprintf(r->trace, "%s\n", c->line);
	return 0;
}

static int record_exit(void *ctx, pid_t pid, int status, const char *line)
{
	struct record *r = ctx;

	(void)pid, (void)status;
	fprintf(r->trace, "%s\n", line);
	return 0;
}

/* Runs the command with the record hooks; returns the exit status. */
static int record_run(struct record *r, char **cmd)
{
	struct tracer_hooks hooks = { .ctx = r, .name = "record", .on_exec = record_exec,
				      .on_call = record_call, .on_exit = record_exit };
	struct tracer_result res;
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s.trace", r->prefix);
	r->trace = fopen(path, "we");
	if (!r->trace) {
		fprintf(stderr, "usermm record: %s: %s\n", path, strerror(errno));
		return 1;
	}
	/* Ctrl-C goes to the program; the tracer stays to record its end. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	rc = tracer_run(cmd, &hooks, &res);
	if (fclose(r->trace) || r->failed) {
		fprintf(stderr, "usermm record: could not write all of %s.*\n", r->prefix);
		return 1;
	}
	if (rc)
		return 1;
	return res.exec_failed ? 127 : tracer_exit_code(res.status);
}

int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = { { "output", required_argument, 0, 'o' },
					      { "help", no_argument, 0, 'h' },
					      { 0, 0, 0, 0 } };
	struct record r = { 0 };
	int c;

	optind = 1;
	while ((c = cli_getopt("record", argc, argv, "+o:h", opts)) != -1) {
		if (c == 'h') {
			record_usage(stdout);
			return 0;
		}
		if (c != 'o')
			return 2;
		r.prefix = optarg;
	}
	if (!r.prefix || optind >= argc) {
		fprintf(stderr, "usermm record: %s\nTry 'usermm record --help'.\n",
			r.prefix ? "no command to run" : "-o PREFIX is required");
		return 2;
	}
	return record_run(&r, argv + optind);
}
