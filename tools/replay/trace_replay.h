/*
 * trace_replay.h - replaying an strace text stream (`usermm replay`):
 * each line is parsed (trace/strace.h), its pid tied to a space (execs,
 * clones, threads, strace's missing pids), its memory call run through
 * the replay engine (replay.h) and printed with usermm's result; with
 * check, the first result that differs from the recorded one stops it.
 */
#ifndef UMM_TOOLS_TRACE_REPLAY_H
#define UMM_TOOLS_TRACE_REPLAY_H

#include "replay/replay.h"
#include "report/progress.h"

#include <stdbool.h>
#include <stdio.h>

struct trace_replay_opts {
	const char *trace;      /* the trace's name, for messages */
	/* The --maps snapshots: their file names and texts, in order; the
	 * Nth starts the Nth process image. When they run out and the first
	 * is P.maps, image N reads P.N.maps if it exists. */
	char *const *maps;
	char *const *snapshots;
	size_t nmaps;
	bool check, quiet;
	FILE *out; /* each call with its result, and the summary */
	FILE *err; /* notes, errors and the divergence */
	struct progress *progress; /* the line on a terminal (NULL: none) */
};

struct trace_replay;

/* Replays through r (the caller's; it must outlive the result). NULL on
 * no memory. */
struct trace_replay *trace_replay_new(struct replay *r, const struct trace_replay_opts *o);
void trace_replay_free(struct trace_replay *t);
/* The whole stream: 0, or 1 for a divergence (check) or a bad trace. */
int trace_replay_stream(struct trace_replay *t, FILE *in);
/* "# replay: N calls replayed, ..." on out. */
void trace_replay_summary(const struct trace_replay *t);
/* Were any calls replayed (or found unsupported)? */
bool trace_replay_ran(const struct trace_replay *t);
/* The first process of the trace, into *pid (-1 when the trace never
 * showed its pid); false before any line named a process. */
bool trace_replay_first_pid(const struct trace_replay *t, long *pid);
/* A whole file, NUL-terminated and malloc'ed; NULL with errno set. */
char *replay_read_file(const char *path);

#endif
