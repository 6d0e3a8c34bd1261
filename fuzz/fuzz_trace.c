/*
 * fuzz_trace.c - libFuzzer harness for `usermm replay`: the input is the
 * text of an strace trace, fed line by line to the tool's parser
 * (tools/strace_parse.c) and replay engine (tools/replay.c) by the very
 * code of tools/cmd_replay.c, which this file includes so that its static
 * functions (replay_stream, handle_event, ...) run unchanged.
 *
 * Input layout:
 *   optional maps snapshot: if the input contains a line "%%%%\n", the
 *     text before it is the snapshot given to the first replay_exec (as
 *     --maps FILE would give it) and the trace follows the separator;
 *     otherwise the whole input is the trace and there is no snapshot.
 *   a first trace line "#check" turns on --check (stops at the first
 *     result that differs, printing the maps around it).
 *
 * At the end every pid's space is checked (umm_mm_check), written as maps
 * and smaps text, and everything is freed.
 *
 * cmd_replay.c reads the host's settings (umm_config_from_host); here the
 * config is umm_config_init()'s fixed defaults, so a crash reproduces on
 * any machine. FUZZ_PRINT=1 shows the replay's own output and notes
 * (they go to /dev/null otherwise).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmd_replay.c's own output (its printf and its stderr messages) goes to
 * these streams: /dev/null normally, the real ones with FUZZ_PRINT. The
 * library's and the sanitizers' messages are untouched. */
static FILE *fuzz_out, *fuzz_err;
#undef stderr
#undef stdout
#define stderr fuzz_err
#define stdout fuzz_out
#define printf(...) fprintf(fuzz_out, __VA_ARGS__)
#include "../tools/cmd_replay.c"
#undef printf
#undef stdout
#undef stderr
#define stderr stderr
#define stdout stdout

static const char separator[] = "%%%%\n";


static void check_all(struct replay *r)
{
	long pids[4096];
	size_t n = replay_pids(r, pids, 4096);
	char msg[512];

	for (size_t i = 0; i < n && i < 4096; i++) {
		struct umm_mm *mm = replay_mm(r, pids[i]);
		char *s;

		if (!mm)
			continue;
		if (umm_mm_check(mm, msg, sizeof(msg))) {
			fprintf(stderr, "fuzz_trace: umm_mm_check failed for pid %ld: %s\n", pids[i],
				msg);
			abort();
		}
		s = umm_maps_string(mm);
		free(s);
		s = umm_smaps_string(mm);
		free(s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *trace, *maps = NULL, *sep, *snap[1];
	struct opts o = { 0 };
	struct state s = { .o = &o };
	struct replay_opts ro = { 0 };
	FILE *in;
	bool print = getenv("FUZZ_PRINT") != NULL;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	trace = buf;
	sep = memmem(buf, size, separator, sizeof(separator) - 1);
	if (sep && (sep == buf || sep[-1] == '\n')) {
		*sep = 0;
		maps = buf;
		trace = sep + sizeof(separator) - 1;
	}
	if (!strncmp(trace, "#check\n", 7)) {
		o.check = true;
		trace += 7;
	}
	/* The trace as a stream, NUL bytes included: getline hands them to
	 * the parser inside a line, as it would from a file. */
	if (size == (size_t)(trace - buf)) {
		free(buf);
		return 0;
	}
	in = fmemopen(trace, size - (size_t)(trace - buf), "r");
	if (!in) {
		free(buf);
		return 0;
	}

	if (!fuzz_out) {
		fuzz_out = print ? stdout : fopen("/dev/null", "w");
		fuzz_err = print ? stderr : fuzz_out;
		if (!fuzz_out)
			abort();
	}
	/* make_replay(), without reading files or the host */
	umm_config_init(&ro.cfg);
	ro.cfg.randomize = false;
	ro.keep_exited = true;
	ro.notes = print ? stderr : NULL;
	o.quiet = false; /* print_call runs too; its output goes to fuzz_out */
	o.trace = "fuzz-input";
	if (maps) {
		/* a name without ".maps": snapshot_for must not look for P.N.maps files */
		snap[0] = "fuzz-snapshot";
		o.maps = snap;
		o.nmaps = 1;
	}
	s.r = replay_new(&ro);
	s.snapshots = calloc(2, sizeof(char *));
	if (!s.r || !s.snapshots)
		abort();
	if (maps && !(s.snapshots[0] = strdup(maps)))
		abort();

	(void)replay_stream(&s, in);
	if (s.calls || s.unsupported)
		print_summary(&s);
	fflush(fuzz_out);
	fclose(in);
	check_all(s.r);

	/* free_state() frees o->maps, which here is not malloc'ed */
	o.maps = NULL;
	for (size_t i = 0; i < o.nmaps; i++)
		free(s.snapshots[i]);
	free(s.snapshots);
	s.snapshots = NULL;
	o.nmaps = 0;
	free_state(&s);
	free(buf);
	return 0;
}
