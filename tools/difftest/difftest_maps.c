/*
 * difftest_maps.c - owns the child's protected ranges of `usermm
 * difftest`: every mapping of its initial maps but [heap], which the
 * calls must leave alone. (Comparing and printing maps text is
 * report/maps_text.c's.)
 */
#define _GNU_SOURCE
#include "difftest/difftest.h"

#include <stdlib.h>
#include <string.h>

/* Every mapping of the text but [heap] (brk's, which the child never
 * uses during the sequence); *out malloc'ed. Returns the count. */
int dt_maps_protected(const char *maps, struct dt_range **out)
{
	size_t n = 0;
	int m = 0;

	for (const char *p = maps; *p; p++)
		n += *p == '\n';
	*out = calloc(n + 2, sizeof(**out));
	for (const char *l = maps; *out && *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		unsigned long a, b;

		if (!(len >= 7 && !memcmp(l + len - 7, " [heap]", 7)) &&
		    sscanf(l, "%lx-%lx", &a, &b) == 2)
			(*out)[m++] = (struct dt_range){ a, b };
		l += len + (nl ? 1 : 0);
	}
	return m;
}
