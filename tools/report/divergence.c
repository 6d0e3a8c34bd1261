/*
 * divergence.c - see divergence.h.
 */
#define _GNU_SOURCE
#include "report/divergence.h"
#include "report/maps_text.h"

#include <stdlib.h>
#include <string.h>

char *format_result(char *buf, size_t n, long v, bool address)
{
	const char *name = v < 0 && v > -4096 ? strerrorname_np((int)-v) : NULL;

	if (name)
		snprintf(buf, n, "-1 %s (%s)", name, strerror((int)-v));
	else if (v < 0 && v > -4096)
		snprintf(buf, n, "-1 errno %ld", -v);
	else if (address)
		snprintf(buf, n, "%#lx", (unsigned long)v);
	else
		snprintf(buf, n, "%ld", v);
	return buf;
}

void print_divergence(FILE *out, const struct divergence *d)
{
	char rec[96], got[96], label[16];
	char *maps = d->mm ? umm_maps_string(d->mm) : NULL;

	snprintf(label, sizeof(label), "%s:", d->theirs);
	fprintf(out, "  %s\n  %-9s = %s\n  %-9s = %s\n", d->call_text, label,
		format_result(rec, sizeof(rec), d->recorded, d->address), "usermm:",
		format_result(got, sizeof(got), d->ours, d->address));
	fprintf(out, "usermm's maps around %#lx:\n", d->addr);
	maps_text_print_around(out, maps, d->addr);
	if (d->address && d->recorded >= 0 && (unsigned long)d->recorded != d->addr) {
		fprintf(out, "around the %s result %#lx:\n", d->theirs, (unsigned long)d->recorded);
		maps_text_print_around(out, maps, (unsigned long)d->recorded);
	}
	if (d->address && d->ours >= 0 && d->ours != d->recorded &&
	    (unsigned long)d->ours != d->addr) {
		fprintf(out, "around usermm's result %#lx:\n", (unsigned long)d->ours);
		maps_text_print_around(out, maps, (unsigned long)d->ours);
	}
	free(maps);
}
