/*
 * oracle_diff.c - comparing two /proc/PID/maps texts: the normalisation
 * that forgives only the inode of "/dev/zero (deleted)" lines (the shmem
 * inode of shared anonymous memory differs between runs) and of
 * "/anon_hugepage (deleted)" lines (the same for MAP_HUGETLB anonymous
 * memory on the kernel's internal hugetlbfs mount), and a diff printer
 * for mismatch reports.
 */
#define _GNU_SOURCE
#include "oracle_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_COLUMN 73

/* Names whose inode is an arbitrary number of an internal mount. */
static const char *const internal_names[] = {
	" /dev/zero (deleted)",
	" /anon_hugepage (deleted)",
};

/* The internal name line p ends with, or NULL. */
static const char *internal_tail(const char *p, size_t n)
{
	for (size_t i = 0; i < sizeof(internal_names) / sizeof(internal_names[0]); i++) {
		size_t t = strlen(internal_names[i]);

		if (n >= t && memcmp(p + n - t, internal_names[i], t) == 0)
			return internal_names[i];
	}
	return NULL;
}

/* One line of a maps text (not NUL-terminated). */
struct mline {
	const char *p;
	size_t n;
};

/* Writes the normalised form of one line to f. */
static void put_normalised(FILE *f, const char *p, size_t n)
{
	const char *name = internal_tail(p, n);
	size_t tail = name ? strlen(name) : 0;
	char head[128];
	unsigned long a, b, off, ino;
	unsigned int maj, min;
	char perms[5];
	int w;

	if (!name || n - tail >= sizeof(head) ||
	    (memcpy(head, p, n - tail), head[n - tail] = '\0',
	     sscanf(head, "%lx-%lx %4s %lx %x:%x %lu", &a, &b, perms, &off, &maj, &min, &ino) != 7)) {
		fwrite(p, 1, n, f);
		return;
	}
	w = fprintf(f, "%08lx-%08lx %s %08lx %02x:%02x INODE ", a, b, perms, off, maj, min);
	fprintf(f, "%*s%s", w < NAME_COLUMN ? NAME_COLUMN - w : 0, "", name + 1);
}

char *oracle_normalise(const char *text)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);

		put_normalised(f, text, n);
		if (nl)
			fputc('\n', f);
		text += n + (nl ? 1 : 0);
	}
	fclose(f);
	return out;
}

bool oracle_maps_equal(const char *a, const char *b)
{
	char *na = oracle_normalise(a), *nb = oracle_normalise(b);
	bool eq = na && nb && strcmp(na, nb) == 0;

	free(na);
	free(nb);
	return eq;
}

/* Splits text into lines; returns the count, *out malloc'ed. */
static size_t split_lines(const char *text, struct mline **out)
{
	size_t cap = 64, n = 0;
	struct mline *v = malloc(cap * sizeof(*v));

	while (v && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		if (n == cap) {
			struct mline *nv = realloc(v, (cap *= 2) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		v[n++] = (struct mline){text, len};
		text += len + (nl ? 1 : 0);
	}
	*out = v;
	return v ? n : 0;
}

static unsigned long line_start(struct mline l)
{
	return strtoul(l.p, NULL, 16);
}

static bool line_eq(struct mline a, struct mline b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/* Prints kernel line i / usermm line j with context: merge by address. */
static void print_merge(FILE *f, struct mline *k, size_t nk, struct mline *u, size_t nu)
{
	size_t i = 0, j = 0;

	while (i < nk || j < nu) {
		if (i < nk && j < nu && line_eq(k[i], u[j])) {
			fprintf(f, "    %.*s\n", (int)k[i].n, k[i].p);
			i++, j++;
		} else if (j >= nu || (i < nk && line_start(k[i]) <= line_start(u[j]))) {
			fprintf(f, "  - %.*s\n", (int)k[i].n, k[i].p);
			i++;
		} else {
			fprintf(f, "  + %.*s\n", (int)u[j].n, u[j].p);
			j++;
		}
	}
}

/* Only the differing lines, for very long texts. */
static void print_changes(FILE *f, struct mline *k, size_t nk, struct mline *u, size_t nu)
{
	size_t i = 0, j = 0, shown = 0;

	while ((i < nk || j < nu) && shown < 40) {
		if (i < nk && j < nu && line_eq(k[i], u[j])) {
			i++, j++;
			continue;
		}
		if (j >= nu || (i < nk && line_start(k[i]) <= line_start(u[j]))) {
			fprintf(f, "  - %.*s\n", (int)k[i].n, k[i].p);
			i++;
		} else {
			fprintf(f, "  + %.*s\n", (int)u[j].n, u[j].p);
			j++;
		}
		shown++;
	}
	fprintf(f, "  (%zu kernel lines, %zu usermm lines)\n", nk, nu);
}

void oracle_print_diff(FILE *f, const char *kernel, const char *umm)
{
	char *nk = oracle_normalise(kernel), *nu = oracle_normalise(umm);
	struct mline *k = NULL, *u = NULL;
	size_t kn = nk ? split_lines(nk, &k) : 0, un = nu ? split_lines(nu, &u) : 0;

	fprintf(f, "  maps diff ('-' kernel only, '+' usermm only):\n");
	if (kn + un <= 400)
		print_merge(f, k, kn, u, un);
	else
		print_changes(f, k, kn, u, un);
	free(k);
	free(u);
	free(nk);
	free(nu);
}
