/*
 * progress.c - see progress.h.
 */
#define _GNU_SOURCE
#include "report/progress.h"

#include <stdarg.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void progress_init(struct progress *p, FILE *out)
{
	*p = (struct progress){ .out = out && isatty(fileno(out)) ? out : NULL };
}

void progress_show(struct progress *p, const char *fmt, ...)
{
	va_list ap;
	double t;

	if (!p || !p->out || (t = now()) - p->last < 0.2)
		return;
	p->last = t;
	fputs("\r\033[K", p->out); /* to the line's start, erase it */
	va_start(ap, fmt);
	vfprintf(p->out, fmt, ap);
	va_end(ap);
	fflush(p->out);
	p->shown = true;
}

void progress_clear(struct progress *p)
{
	if (!p || !p->out || !p->shown)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->shown = false;
	p->last = 0;
}
