/*
 * progress.h - one line of progress for long runs (difftest, a quiet
 * replay), shown only when it goes to a terminal: rewritten in place at
 * most five times a second, and cleared before other output.
 */
#ifndef UMM_TOOLS_PROGRESS_H
#define UMM_TOOLS_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct progress {
	FILE *out;   /* NULL: off */
	double last; /* when the line was last drawn */
	bool shown;  /* a line is on the screen */
};

/* On only if out is a terminal. */
void progress_init(struct progress *p, FILE *out);
/* Redraws the line, unless it was drawn less than 0.2 s ago. p may be NULL. */
void progress_show(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Erases the line, so that other output starts on a clean one. p may be NULL. */
void progress_clear(struct progress *p);

#endif
