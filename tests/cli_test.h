/*
 * cli_test.h - what the tests of the usermm command share: a scratch
 * directory per test group, running a shell command, and reading a whole
 * file, running the command and checking its status and output.
 * Header-only (static inline functions).
 */
#ifndef UMM_TESTS_CLI_TEST_H
#define UMM_TESTS_CLI_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char tmpdir[64] __attribute__((unused));

/* Runs a printf-formatted shell command; its exit status, or -1. */
static inline int run_shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int run_shell(const char *fmt, ...)
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
static inline char *read_whole_file(const char *path)
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

/* Runs "usermm CMD ARGS" with stderr joined to stdout, standard input
 * from /dev/null unless ARGS redirect it; its exit status (-1 if it did
 * not exit), *out its output (malloc'ed). */
static inline int usermm_output(const char *cmd, const char *args, char **out)
{
	char line[4096];
	size_t len = 0, cap = 0;
	FILE *p;
	int st, c;

	snprintf(line, sizeof(line), "'%s' %s %s 2>&1%s", UMM_CLI_PATH, cmd, args,
		 strchr(args, '<') ? "" : " </dev/null");
	p = popen(line, "r");
	*out = NULL;
	while (p && (c = fgetc(p)) != EOF) {
		if (len + 2 > cap && !(*out = realloc(*out, cap = cap ? 2 * cap : 4096)))
			abort();
		(*out)[len++] = (char)c;
	}
	if (!*out && !(*out = calloc(1, 1)))
		abort();
	(*out)[len] = '\0';
	st = p ? pclose(p) : -1;
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* "usermm CMD ARGS" must exit with status, its output holding needle. */
static inline void expect_usermm(const char *cmd, const char *args, int status,
				 const char *needle)
{
	char *out;
	int rc = usermm_output(cmd, args, &out);

	if (rc != status || (needle && !strstr(out, needle)))
		fail_msg("usermm %s %s: exit %d (want %d), output:\n%s\n(wanted '%s')", cmd, args, rc,
			 status, out, needle ? needle : "");
	free(out);
}

/* cmocka group setup/teardown: a fresh tmpdir named after the suite. */
static inline int make_tmpdir(const char *suite)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/umm_%s_XXXXXX", suite);
	return mkdtemp(tmpdir) ? 0 : -1;
}

static inline int remove_tmpdir(void **state)
{
	(void)state;
	return run_shell("rm -rf %s", tmpdir);
}

#endif /* UMM_TESTS_CLI_TEST_H */
