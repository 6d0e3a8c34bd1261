/*
 * cli_test.h - what the tests of the usermm command share: a scratch
 * directory per test group, running a shell command, and reading a whole
 * file. Header-only, included by one test file each (static functions).
 */
#ifndef UMM_TESTS_CLI_TEST_H
#define UMM_TESTS_CLI_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char tmpdir[64];

/* Runs a printf-formatted shell command; its exit status, or -1. */
static int run_shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run_shell(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The whole file, NUL-terminated and malloc'ed; NULL if it cannot be read. */
static char *read_whole_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, *grown;
	size_t cap = 0, len = 0, n;

	if (!f)
		return NULL;
	do {
		grown = realloc(buf, cap += 65536);
		if (!grown) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = grown;
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	buf[len] = 0;
	fclose(f);
	return buf;
}

/* cmocka group setup/teardown: a fresh tmpdir named after the suite. */
static int make_tmpdir(const char *suite)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/umm_%s_XXXXXX", suite);
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	(void)state;
	return run_shell("rm -rf %s", tmpdir);
}

#endif /* UMM_TESTS_CLI_TEST_H */
