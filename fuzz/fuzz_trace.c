/*
 * fuzz_trace.c - libFuzzer harness for `usermm replay`: the input is the
 * text of an strace trace, fed line by line to the tool's parser
 * (tools/trace/strace_parse.c) and replay engine (tools/replay/) through
 * trace_replay_stream, the code `usermm replay` runs.
 *
 * Input layout:
 *   optional maps snapshot: if the input contains a line "%%%%\n", the
 *     text before it is the snapshot given to the first process image
 *     (as --maps FILE would give it) and the trace follows the separator;
 *     otherwise the whole input is the trace and there is no snapshot.
 *   a first trace line "#check" turns on --check (stops at the first
 *     result that differs, printing the maps around it).
 *
 * At the end every pid's space is checked (umm_mm_check), written as maps
 * and smaps text, and everything is freed.
 *
 * The config is umm_config_init()'s fixed defaults, not the host's, so a
 * crash reproduces on any machine. FUZZ_PRINT=1 shows the replay's own
 * output and notes (they go to /dev/null otherwise).
 */
#define _GNU_SOURCE
#include "replay/trace_replay.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The input split into its snapshot (NULL: none) and its trace; false
 * for an input without a trace. */
static bool split_input(char *buf, size_t size, char **maps, char **trace, bool *check)
{
	char *sep = memmem(buf, size, separator, sizeof(separator) - 1);

	*maps = NULL;
	*trace = buf;
	if (sep && (sep == buf || sep[-1] == '\n')) {
		*sep = 0;
		*maps = buf;
		*trace = sep + sizeof(separator) - 1;
	}
	*check = !strncmp(*trace, "#check\n", 7);
	if (*check)
		*trace += 7;
	return size != (size_t)(*trace - buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out, *err;
	bool print = getenv("FUZZ_PRINT") != NULL, check;
	char *buf = malloc(size + 1), *trace, *maps;
	/* a name without ".maps": no P.N.maps files are looked for */
	char *names[1] = { "fuzz-snapshot" };
	struct replay_opts ro = { .keep_exited = true };
	struct trace_replay *t;
	struct replay *r;
	FILE *in;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	/* The trace as a stream, NUL bytes included: getline hands them to
	 * the parser inside a line, as it would from a file. */
	if (!split_input(buf, size, &maps, &trace, &check) ||
	    !(in = fmemopen(trace, size - (size_t)(trace - buf), "r"))) {
		free(buf);
		return 0;
	}
	if (!out) {
		out = print ? stdout : fopen("/dev/null", "w");
		err = print ? stderr : out;
		if (!out)
			abort();
	}
	umm_config_init(&ro.cfg);
	ro.cfg.randomize = false;
	ro.notes = print ? stderr : NULL;
	r = replay_new(&ro);
	t = r ? trace_replay_new(r, &(struct trace_replay_opts){
			.trace = "fuzz-input", .maps = names, .snapshots = &maps,
			.nmaps = maps ? 1 : 0, .check = check, .out = out, .err = err })
	      : NULL;
	if (!t)
		abort();
	(void)trace_replay_stream(t, in);
	if (trace_replay_ran(t))
		trace_replay_summary(t);
	fflush(out);
	fclose(in);
	check_all(r);
	trace_replay_free(t);
	replay_free(r);
	free(buf);
	return 0;
}
