/*
 * maps_text.c - see maps_text.h. Texts are read in place as arrays of
 * line spans; nothing is copied.
 */
#define _GNU_SOURCE
#include "report/maps_text.h"

#include <stdlib.h>
#include <string.h>

#define CONTEXT 3

struct mline {
	const char *p;
	size_t n;
};

/* The next line of *text (without its newline); false at the end. */
static bool next_line(const char **text, struct mline *l)
{
	const char *nl;

	if (!**text)
		return false;
	nl = strchr(*text, '\n');
	l->p = *text;
	l->n = nl ? (size_t)(nl - *text) : strlen(*text);
	*text += l->n + (nl ? 1 : 0);
	return true;
}

static bool ends_with(struct mline l, const char *tail)
{
	size_t t = strlen(tail);

	return l.n >= t && memcmp(l.p + l.n - t, tail, t) == 0;
}

static bool internal_name(struct mline l)
{
	return ends_with(l, " /dev/zero (deleted)") || ends_with(l, " /anon_hugepage (deleted)");
}

/* The length of the first k space-separated fields of l. */
static size_t fields_len(struct mline l, int k)
{
	size_t i = 0;

	for (int f = 0; f < k && i < l.n; f++) {
		while (i < l.n && l.p[i] == ' ')
			i++;
		while (i < l.n && l.p[i] != ' ')
			i++;
	}
	return i;
}

/* Equal, or the same internal-name line with another inode. */
static bool line_eq(struct mline a, struct mline b)
{
	size_t ha, hb;

	if (a.n == b.n && memcmp(a.p, b.p, a.n) == 0)
		return true;
	if (!internal_name(a) || !internal_name(b))
		return false;
	ha = fields_len(a, 4); /* range, perms, offset, device */
	hb = fields_len(b, 4);
	return ha == hb && memcmp(a.p, b.p, ha) == 0 &&
	       ends_with(a, " /dev/zero (deleted)") == ends_with(b, " /dev/zero (deleted)");
}

bool maps_text_equal(const char *kernel, const char *umm)
{
	struct mline a, b;
	bool ma, mb;

	for (;;) {
		ma = next_line(&kernel, &a);
		mb = next_line(&umm, &b);
		if (!ma || !mb)
			return ma == mb;
		if (!line_eq(a, b))
			return false;
	}
}

/* The lines of text, *out malloc'ed (NULL and 0 without memory). */
static size_t split(const char *text, struct mline **out)
{
	size_t n = 0, cap = 0;
	struct mline l, *v = NULL;

	while (text && next_line(&text, &l)) {
		if (n == cap) {
			struct mline *nv = realloc(v, (cap = cap * 2 + 64) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		v[n++] = l;
	}
	*out = v;
	return v ? n : 0;
}

/* One row of the merged listing. */
struct row {
	char tag;
	struct mline l;
};

static size_t merge(struct mline *k, size_t nk, struct mline *u, size_t nu, struct row *rows)
{
	size_t i = 0, j = 0, n = 0;

	while (i < nk || j < nu) {
		if (i < nk && j < nu && line_eq(k[i], u[j])) {
			rows[n++] = (struct row){ ' ', k[i] };
			i++, j++;
		} else if (j >= nu || (i < nk && strtoul(k[i].p, NULL, 16) <= strtoul(u[j].p, NULL, 16))) {
			rows[n++] = (struct row){ '-', k[i++] };
		} else {
			rows[n++] = (struct row){ '+', u[j++] };
		}
	}
	return n;
}

/* Rows within CONTEXT of a difference, "..." for the rest. */
static void print_rows(FILE *out, const struct row *rows, size_t n)
{
	bool skipped = false;

	for (size_t r = 0; r < n; r++) {
		bool near = false;

		for (size_t q = r >= CONTEXT ? r - CONTEXT : 0; q < n && q <= r + CONTEXT; q++)
			near = near || rows[q].tag != ' ';
		if (!near) {
			if (!skipped)
				fprintf(out, "    ...\n");
			skipped = true;
			continue;
		}
		skipped = false;
		fprintf(out, "  %c %.*s\n", rows[r].tag, (int)rows[r].l.n, rows[r].l.p);
	}
}

void maps_text_print_diff(FILE *out, const char *kernel, const char *umm)
{
	struct mline *k = NULL, *u = NULL;
	size_t nk = split(kernel, &k), nu = split(umm, &u);
	struct row *rows = malloc((nk + nu + 1) * sizeof(*rows));

	fprintf(out, "  maps diff ('-' kernel only, '+' usermm only):\n");
	if (rows)
		print_rows(out, rows, merge(k, nk, u, nu, rows));
	free(rows);
	free(k);
	free(u);
}

void maps_text_print_around(FILE *out, const char *maps, unsigned long addr)
{
	struct mline *lines = NULL;
	size_t n = split(maps, &lines), hit = 0;

	for (size_t i = 0; i < n; i++) {
		const char *dash = memchr(lines[i].p, '-', lines[i].n);

		if (dash && strtoul(dash + 1, NULL, 16) <= addr)
			hit = i + 1;
	}
	for (size_t i = hit > CONTEXT ? hit - CONTEXT : 0; i < n && i <= hit + CONTEXT; i++)
		fprintf(out, "  %s %.*s\n", i == hit ? "=>" : "  ", (int)lines[i].n, lines[i].p);
	if (!n)
		fprintf(out, "    (%s)\n", maps ? "empty" : "no address space");
	free(lines);
}
