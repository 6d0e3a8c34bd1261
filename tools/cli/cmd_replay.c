/*
 * cmd_replay.c - `usermm replay`: reads a trace of `strace -f -y -e
 * trace=memory[,process]`, replays every memory call on usermm (one
 * address space per pid, see replay.h), prints each call with usermm's
 * result, and with --check stops at the first result that differs from
 * the recorded one. The rules it follows are in replay_usage below.
 */
#define _GNU_SOURCE
#include "cli/cli.h"
#include "cli/commands.h"
#include "replay/replay.h"
#include "replay/trace_replay.h"
#include "usermm.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char replay_usage[] =
	"usage: usermm replay [OPTIONS] [TRACE]\n"
	"Replays the memory calls of an strace trace on usermm and prints each call\n"
	"with usermm's result. TRACE is the output of\n"
	"  strace -f -y -e trace=memory,process -o TRACE PROGRAM\n"
	"(trace=memory alone works too; - or no TRACE reads standard input).\n"
	"\n"
	"  --maps FILE       a /proc/PID/maps (or smaps) snapshot of the traced program\n"
	"                    right after its execve. Give it once per execve in the\n"
	"                    trace: the Nth snapshot starts the Nth process image (the\n"
	"                    first one also serves the first pid when the trace has no\n"
	"                    execve line). When they run out and the first is P.maps,\n"
	"                    image N (from 0) reads P.N.maps if it exists (the names\n"
	"                    usermm record writes). An image with no snapshot starts\n"
	"                    from an empty space, and a note says so.\n"
	"  --mmap-base ADDR  mmap_base of every new image; by default it is inferred\n"
	"                    from each snapshot: the end of the run of mappings that\n"
	"                    starts at [vvar]/[vdso] (the loader sits right under\n"
	"                    mmap_base), else the kernel's default for the stack limit.\n"
	"  --check           compare every result with the recorded one; at the first\n"
	"                    difference print the line, both results and the maps\n"
	"                    around the address, and exit 1.\n"
	"  --dump-maps FILE  write the final address space of the first process as\n"
	"                    /proc/PID/maps text; a %p in FILE writes one file per pid.\n"
	"  --unprivileged    the traced process had no capabilities (CAP_SYS_RAWIO,\n"
	"                    CAP_IPC_LOCK, CAP_SYS_ADMIN); --privileged: it had them.\n"
	"                    Default: the privileges, limits and sysctls of the user\n"
	"                    running replay (traces are usually recorded here).\n"
	"  -q, --quiet       print only notes, the divergence and the summary.\n"
	"  -h, --help        this text.\n"
	"\n"
	"Processes: a fork or clone without CLONE_VM copies its parent's space (through\n"
	"maps text: an approximation, see the notes it prints), CLONE_VM shares it,\n"
	"execve replaces it. A pid that appears without a clone in the trace (trace=\n"
	"memory only) is taken for a thread of the first process. The break: when a\n"
	"snapshot has no [heap] line and no '# usermm: start_brk=ADDR' line, the first\n"
	"brk(NULL) result of that image tells where it is (at exec brk == start_brk).\n"
	"Calls usermm does not implement (prctl's VMA names, ...) are printed as\n"
	"unsupported, change nothing, and are counted in the summary.\n"
	"Exit status: 0 done, 1 divergence (--check) or a line it cannot read, 2 usage\n"
	"error or an unusable file (missing, a directory, empty).\n";

struct opts {
	char **maps;
	size_t nmaps;
	unsigned long mmap_base;
	bool check, quiet;
	int privileges; /* -1 unprivileged, 1 privileged, 0 host */
	const char *dump;
	const char *trace;
};

/* The command's state: the engine and what it replays through. */
struct state {
	struct opts *o;
	struct progress progress; /* with --quiet, on a terminal */
	struct replay *r;
	struct trace_replay *t;
	char **snapshots;
};

static int dump_one(struct replay *r, const char *pattern, long pid)
{
	char path[4096];
	const char *pp = strstr(pattern, "%p");
	struct umm_mm *mm = replay_mm(r, pid);
	FILE *f;
	int rc;

	if (!mm)
		return 0;
	if (pp)
		snprintf(path, sizeof(path), "%.*s%ld%s", (int)(pp - pattern), pattern, pid, pp + 2);
	else
		snprintf(path, sizeof(path), "%s", pattern);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "usermm replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	rc = umm_maps_write(mm, f);
	return (fclose(f) || rc) ? 1 : 0;
}

static int dump_maps(struct state *s)
{
	long pids[4096], first;
	size_t n = replay_pids(s->r, pids, 4096);
	int rc = 0;

	if (!strstr(s->o->dump, "%p"))
		return trace_replay_first_pid(s->t, &first) ? dump_one(s->r, s->o->dump, first) : 0;
	for (size_t i = 0; i < n && i < 4096; i++)
		rc |= dump_one(s->r, s->o->dump, pids[i]);
	return rc;
}

/* --mmap-base: a page-aligned address, not 0. */
static bool parse_mmap_base(const char *arg, unsigned long *out)
{
	if (!cli_number("replay", "--mmap-base", arg, ~0UL, out))
		return false;
	if (*out && !(*out & 4095))
		return true;
	fprintf(stderr, "usermm replay: --mmap-base: '%s' is not a page-aligned address\n", arg);
	return false;
}

static int add_maps(struct opts *o, char *path)
{
	char **m = realloc(o->maps, (o->nmaps + 1) * sizeof(*m));

	if (!m)
		return 1;
	o->maps = m;
	o->maps[o->nmaps++] = path;
	return 0;
}

/* 0, -1 after --help, or the exit status of a bad command line. */
static int parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "maps", required_argument, 0, 'm' },	   { "mmap-base", required_argument, 0, 'b' },
		{ "check", no_argument, 0, 'c' },	   { "dump-maps", required_argument, 0, 'd' },
		{ "unprivileged", no_argument, 0, 'U' },   { "privileged", no_argument, 0, 'P' },
		{ "quiet", no_argument, 0, 'q' },	   { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 } };
	int c;

	optind = 0; /* 0: glibc re-initialises its scan (main used getopt first) */
	while ((c = cli_getopt("replay", argc, argv, "qh", lopts)) != -1) {
		switch (c) {
		case 'm': if (add_maps(o, optarg)) return 1; break;
		case 'b': if (!parse_mmap_base(optarg, &o->mmap_base)) return 2; break;
		case 'c': o->check = true; break;
		case 'q': o->quiet = true; break;
		case 'U': o->privileges = -1; break;
		case 'P': o->privileges = 1; break;
		case 'd': o->dump = optarg; break;
		case 'h': fputs(replay_usage, stdout); return -1;
		default: return 2;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "usermm replay: one trace at a time ('%s' is extra)\n"
			"Try 'usermm replay --help'.\n", argv[optind + 1]);
		return 2;
	}
	o->trace = optind < argc ? argv[optind] : "-";
	return 0;
}

static int make_replay(struct state *s)
{
	struct replay_opts ro = { .notes = stderr, .keep_exited = s->o->dump != NULL };

	if (umm_config_from_host(&ro.cfg))
		fprintf(stderr, "usermm replay: note: cannot read this host's settings; using "
			"usermm's defaults\n");
	/* A trace's layout comes from its snapshots, never from a seed. */
	ro.cfg.randomize = false;
	ro.cfg.mmap_base = s->o->mmap_base;
	if (s->o->privileges) {
		ro.cfg.cap_sys_rawio = ro.cfg.cap_ipc_lock = ro.cfg.cap_sys_admin =
			ro.cfg.cap_sys_resource = s->o->privileges > 0;
		ro.fixed_caps = true;
	}
	s->r = replay_new(&ro);
	s->snapshots = calloc(s->o->nmaps + 1, sizeof(char *));
	for (size_t i = 0; s->snapshots && i < s->o->nmaps; i++)
		if (!(s->snapshots[i] = cli_read_input("replay", "maps snapshot", s->o->maps[i])))
			return 2;
	if (!s->r || !s->snapshots)
		return 1;
	progress_init(&s->progress, s->o->quiet ? stderr : NULL);
	s->t = trace_replay_new(s->r, &(struct trace_replay_opts){
		.trace = s->o->trace, .maps = s->o->maps, .snapshots = s->snapshots,
		.nmaps = s->o->nmaps, .check = s->o->check, .quiet = s->o->quiet,
		.out = stdout, .err = stderr, .progress = &s->progress });
	return s->t ? 0 : 1;
}

static void free_state(struct state *s)
{
	for (size_t i = 0; s->snapshots && i < s->o->nmaps; i++)
		free(s->snapshots[i]);
	free(s->snapshots);
	trace_replay_free(s->t);
	replay_free(s->r);
	free(s->o->maps);
}

int cmd_replay(int argc, char **argv)
{
	struct opts o = { 0 };
	struct state s = { .o = &o };
	FILE *in;
	int rc = parse_options(argc, argv, &o);

	if (rc) {
		free(o.maps);
		return rc < 0 ? 0 : rc;
	}
	rc = make_replay(&s);
	in = rc ? NULL : cli_open_input("replay", "trace", o.trace);
	if (!rc && !in)
		rc = 2;
	if (!rc)
		rc = trace_replay_stream(s.t, in);
	if (s.t && (!rc || trace_replay_ran(s.t)))
		trace_replay_summary(s.t);
	if (!rc && o.dump)
		rc = dump_maps(&s);
	cli_close_input(in);
	free_state(&s);
	return rc;
}
