/*
 * cmd_run.c - `usermm run SCRIPT`: plays a script of memory calls on a
 * fresh address space and prints each call's result and then the
 * address space as /proc/PID/maps.
 *
 * A script line is a call name and its arguments, separated by blanks:
 * every call `usermm replay` takes, with the same names and argument
 * order (mmap ADDR LEN PROT FLAGS [FILE OFF], mremap OLD OLDLEN NEWLEN
 * FLAGS [NEW], madvise ADDR LEN ADVICE, mlock2, mseal, pkey_alloc, ...).
 * Numbers are in C notation, flags numbers or names joined by '|'. Each
 * line becomes the strace line replay would read, so the two agree on
 * what a call means. Besides: touch ADDR ACCESS (one access), maps and
 * smaps (print the text now); '#' starts a comment.
 */
#define _GNU_SOURCE
#include "cli/cli.h"
#include "cli/commands.h"
#include "replay/replay.h"
#include "report/divergence.h"
#include "trace/strace.h"
#include "usermm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN_PID 1
#define MAX_WORDS 8

static const char run_usage[] =
	"usage: usermm run SCRIPT\n"
	"Plays SCRIPT (a file, or - for standard input) on a new address space, one\n"
	"call per line: a name and its arguments, blank-separated, as strace would\n"
	"show them (every call `usermm replay` takes), e.g.\n"
	"  mmap ADDR LEN PROT FLAGS [FILE OFF] | munmap ADDR LEN | mprotect ADDR LEN PROT\n"
	"  mremap OLD OLDLEN NEWLEN FLAGS [NEW] | madvise ADDR LEN ADVICE | brk ADDR\n"
	"  mlock ADDR LEN | mlockall FLAGS | msync ADDR LEN FLAGS | mseal ADDR LEN 0 | ...\n"
	"  touch ADDR PROT_READ|PROT_WRITE|PROT_EXEC (0 or (signal << 8) | si_code)\n"
	"  maps | smaps (print the address space now)\n"
	"PROT, FLAGS and ADVICE are numbers or PROT_*/MAP_*/MADV_*... names joined by\n"
	"'|'. Prints each call with its result as strace would, then the maps text.\n"
	"Exit status: 0 done, 1 a line it cannot read, 2 usage error or an unusable\n"
	"script (missing, a directory, empty).\n";

struct run {
	struct replay *r;
	struct st_parser *p;
	const char *script;
};

/* The strace line for words w[0..n): "name(a, b, ...) = ?". mmap gets a
 * file's -y form ("3</path>") or -1 and 0; touch is usermm_touch. */
static void call_text(char *buf, size_t len, char **w, int n)
{
	bool mmap = !strcmp(w[0], "mmap");
	size_t o = (size_t)snprintf(buf, len, "%s(", strcmp(w[0], "touch") ? w[0] : "usermm_touch");

	for (int i = 1; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s%s%s", i > 1 ? ", " : "",
				      mmap && i == 5 ? "3<" : "", w[i], mmap && i == 5 ? ">" : "");
	if (mmap && n == 5 && o < len)
		o += (size_t)snprintf(buf + o, len - o, ", -1, 0");
	if (o < len)
		snprintf(buf + o, len - o, ") = ?\n");
}

/* The memory call of words w[0..n), or -1 after a message. */
static int to_call(struct run *run, char **w, int n, int lineno, struct st_event *ev,
		   struct mem_call *mc)
{
	enum st_call_class cls;
	char text[1024], err[512];
	bool share;

	call_text(text, sizeof(text), w, n);
	if (st_parse_line(run->p, text, lineno, ev, err, sizeof(err)) ||
	    st_classify(ev, &cls, mc, &share, err, sizeof(err))) {
		fprintf(stderr, "usermm run: %s: %s\n", run->script, err);
		return -1;
	}
	if (ev->kind != ST_CALL || cls != ST_CLASS_MEMORY) {
		fprintf(stderr, "usermm run: %s:%d: '%s' is not a memory call usermm knows\n",
			run->script, lineno, w[0]);
		return -1;
	}
	return 0;
}

static void print_call(char **w, int n, long r, bool supported)
{
	char res[96];

	printf("%s(", w[0]);
	for (int i = 1; i < n; i++)
		printf("%s%s", i > 1 ? ", " : "", w[i]);
	printf(") = %s%s\n", supported ? format_result(res, sizeof(res), r, true) : "?",
	       supported ? "" : " (unsupported by usermm)");
}

/* Runs one script line; 0, or -1 for a line that cannot be read. */
static int run_line(struct run *run, char *line, int lineno)
{
	struct umm_mm *mm = replay_mm(run->r, RUN_PID);
	struct st_event ev = { .pid = -1 };
	struct mem_call mc;
	char *w[MAX_WORDS + 1];
	bool supported;
	int n = 0;
	long r;

	for (char *t = strtok(line, " \t\n"); t && n <= MAX_WORDS; t = strtok(NULL, " \t\n"))
		w[n++] = t;
	if (n == 0 || w[0][0] == '#')
		return 0;
	if (n > MAX_WORDS) {
		fprintf(stderr, "usermm run: %s:%d: too many arguments\n", run->script, lineno);
		return -1;
	}
	if (n == 1 && (!strcmp(w[0], "maps") || !strcmp(w[0], "smaps")))
		return (w[0][0] == 's' ? umm_smaps_write(mm, stdout) : umm_maps_write(mm, stdout)) ? -1
														   : 0;
	if (to_call(run, w, n, lineno, &ev, &mc)) {
		st_event_clear(&ev);
		return -1;
	}
	r = replay_call(run->r, RUN_PID, &mc, &supported);
	st_event_clear(&ev);
	print_call(w, n, r, supported);
	return 0;
}

/* The space: usermm's defaults, empty. */
static int run_open(struct run *run)
{
	struct replay_opts ro = { .notes = stderr };
	char err[256];

	umm_config_init(&ro.cfg);
	run->r = replay_new(&ro);
	run->p = st_parser_new();
	if (!run->r || !run->p || replay_exec(run->r, RUN_PID, NULL, err, sizeof(err))) {
		fprintf(stderr, "usermm run: cannot make the address space\n");
		return -1;
	}
	return 0;
}

static int run_script(struct run *run, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;

	while (getline(&line, &cap, in) >= 0)
		if (run_line(run, line, ++lineno)) {
			free(line);
			return 1;
		}
	free(line);
	printf("\n# the address space, as /proc/PID/maps:\n");
	return umm_maps_write(replay_mm(run->r, RUN_PID), stdout) ? 1 : 0;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = { { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	struct run run = { 0 };
	FILE *in;
	int c, rc;

	optind = 1;
	while ((c = cli_getopt("run", argc, argv, "h", opts)) != -1) {
		if (c != 'h')
			return 2;
		fputs(run_usage, stdout);
		return 0;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "usermm run: %s\nTry 'usermm run --help'.\n",
			optind == argc ? "no script" : "one script at a time");
		return 2;
	}
	run.script = strcmp(argv[optind], "-") ? argv[optind] : "standard input";
	in = cli_open_input("run", "script", argv[optind]);
	if (!in)
		return 2;
	rc = run_open(&run) ? 1 : run_script(&run, in);
	cli_close_input(in);
	st_parser_free(run.p);
	replay_free(run.r);
	return rc;
}
