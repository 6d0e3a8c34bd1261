/*
 * cli.c - see cli.h.
 */
#define _GNU_SOURCE
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	char opts[64];
	const char *arg;
	int c;

	/* ':' first (after a '+'): a missing value is ':', not '?'. */
	snprintf(opts, sizeof(opts), "%s:%s", shortopts[0] == '+' ? "+" : "",
		 shortopts + (shortopts[0] == '+'));
	opterr = 0;
	c = getopt_long(argc, argv, opts, longopts, NULL);
	if (c != '?' && c != ':')
		return c;
	arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	if (optopt && !(arg[0] == '-' && arg[1] == '-'))
		fprintf(stderr, c == ':' ? "usermm %s: option '-%c' needs a value\n"
					 : "usermm %s: unknown option '-%c'\n", cmd, optopt);
	else
		fprintf(stderr, c == ':' ? "usermm %s: option '%s' needs a value\n"
					 : "usermm %s: unknown option '%s'\n", cmd, arg);
	fprintf(stderr, "Try 'usermm %s --help'.\n", cmd);
	return '?';
}

bool cli_number(const char *cmd, const char *opt, const char *s, unsigned long max,
		unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	if (!*s || *s == '-' || *s == '+' || *s == ' ' || *end || errno || *out > max) {
		fprintf(stderr, "usermm %s: %s: '%s' is not a number from 0 to %lu\n", cmd, opt, s,
			max);
		return false;
	}
	return true;
}

/* Refuses a directory; false after a message. */
static bool not_a_directory(const char *cmd, const char *what, const char *path, FILE *f)
{
	struct stat st;

	if (fstat(fileno(f), &st) || !S_ISDIR(st.st_mode))
		return true;
	fprintf(stderr, "usermm %s: %s %s: is a directory\n", cmd, what, path);
	return false;
}

/* Refuses a stream with nothing in it, without taking anything out. */
static bool not_empty(const char *cmd, const char *what, const char *path, FILE *f)
{
	int c = getc(f);

	if (c != EOF) {
		ungetc(c, f);
		return true;
	}
	fprintf(stderr, "usermm %s: %s %s: %s\n", cmd, what, f == stdin ? "(standard input)" : path,
		ferror(f) ? strerror(errno) : "is empty");
	return false;
}

FILE *cli_open_input(const char *cmd, const char *what, const char *path)
{
	bool std = !strcmp(path, "-");
	FILE *f = std ? stdin : fopen(path, "r");

	if (!f) {
		fprintf(stderr, "usermm %s: %s %s: %s\n", cmd, what, path, strerror(errno));
		return NULL;
	}
	if (std && isatty(STDIN_FILENO))
		fprintf(stderr, "usermm %s: reading the %s from standard input (end it with "
			"Ctrl-D)\n", cmd, what);
	if (!not_a_directory(cmd, what, path, f) || !not_empty(cmd, what, path, f)) {
		cli_close_input(f);
		return NULL;
	}
	return f;
}

void cli_close_input(FILE *f)
{
	if (f && f != stdin)
		fclose(f);
}

char *cli_read_input(const char *cmd, const char *what, const char *path)
{
	FILE *f = cli_open_input(cmd, what, path), *mem;
	char *buf = NULL, chunk[8192];
	size_t len = 0, n;

	if (!f)
		return NULL;
	mem = open_memstream(&buf, &len);
	while (mem && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, mem);
	if (!mem || ferror(f)) {
		fprintf(stderr, "usermm %s: %s %s: %s\n", cmd, what, path, strerror(errno));
		if (mem)
			fclose(mem);
		free(buf);
		buf = NULL;
	} else {
		fclose(mem);
	}
	cli_close_input(f);
	return buf;
}
