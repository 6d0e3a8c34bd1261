/*
 * test_shadow.c - tests of `usermm shadow`: real programs (a coreutil, a
 * shell pipeline that forks and execs, python3) mirrored live with exit
 * status 0 and 0 divergences in the summary, their output passing
 * through, a failing program's status passing through, usage errors, and
 * (as root, where --unprivileged makes usermm refuse an mlock the kernel
 * allows) the divergence report and exit 1.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_test.h"

/* A file of tmpdir, whole. */
static char *slurp(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return read_whole_file(path);
}

static int setup(void **state)
{
	(void)state;
	return make_tmpdir("shadow");
}

/* Shadows CMD (shell words) from /; returns its status, stdout and
 * stderr in tmpdir/out and tmpdir/err. */
static int shadow(const char *opts, const char *cmd)
{
	return run_shell("cd / && PATH=/usr/bin:/bin %s shadow %s -- %s >%s/out 2>%s/err",
			 UMM_CLI_PATH, opts, cmd, tmpdir, tmpdir);
}

/* The program ran clean: status 0, its output, a summary with 0 divergences. */
static void check_clean(const char *cmd, const char *output)
{
	char *out, *err;

	assert_int_equal(shadow("", cmd), 0);
	out = slurp("out");
	err = slurp("err");
	assert_non_null(out);
	assert_non_null(err);
	assert_non_null(strstr(out, output));
	if (!strstr(err, " 0 divergences, "))
		fail_msg("no clean summary:\n%s", err);
	assert_non_null(strstr(err, "usermm shadow: "));
	assert_non_null(strstr(err, " calls mirrored, "));
	assert_null(strstr(err, " 0 calls mirrored"));
	free(out);
	free(err);
}

static void test_ls(void **state)
{
	(void)state;
	check_clean("ls /", "usr\n");
}

static void test_sh_pipe(void **state)
{
	char *err;

	(void)state;
	check_clean("sh -c 'echo a | cat'", "a\n");
	err = slurp("err");
	assert_non_null(strstr(err, " 3 processes "));
	free(err);
}

static void test_python3(void **state)
{
	(void)state;
	check_clean("/usr/bin/python3 -c 'print(1)'", "1\n");
}

/* The number of calls the last shadow run mirrored. */
static long mirrored(void)
{
	char *err = slurp("err"), *p = err ? strstr(err, "usermm shadow: ") : NULL;
	long n = p ? strtol(p + 15, NULL, 10) : -1;

	free(err);
	return n;
}

/*
 * A python3 program making, REPS times, the calls in CALLS (l is libc, a
 * a mapped page), or as many getpid calls: shadow must mirror about
 * REPS x (calls per rep) more calls in the first (the interpreter's own
 * brk calls vary by one or two between runs).
 */
#define REPS 50
#define PY_LOOP(calls)                                                                             \
	"/usr/bin/python3 -c 'import ctypes, mmap; l = ctypes.CDLL(None); m = mmap.mmap(-1, 4096); "  \
	"a = ctypes.c_ulong(ctypes.addressof(ctypes.c_char.from_buffer(m)))\n"                       \
	"for i in range(50): r = (" calls ")\nprint(r)'"

static long mirrored_more(const char *with_calls, const char *without_calls, const char *output)
{
	long with;

	check_clean(with_calls, output);
	with = mirrored();
	check_clean(without_calls, "\n");
	return with - mirrored();
}

/* pkey_alloc and pkey_free (this kernel: EINVAL, then ENOSPC). */
static void test_pkeys(void **state)
{
	long more = mirrored_more(PY_LOOP("l.syscall(330, 0, 0), l.syscall(330, 0, 2), l.syscall(331, 1)"),
				  PY_LOOP("l.syscall(39), l.syscall(39), l.syscall(39)"),
				  "(-1, -1, -1)\n");

	(void)state;
	assert_in_range(more, 3 * REPS - 5, 3 * REPS + 5);
}

/* prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME) (EINVAL on this kernel, built
 * without anon names); other prctls are not memory calls. */
static void test_anon_name_prctl(void **state)
{
	long more = mirrored_more(
		PY_LOOP("l.syscall(157, 0x53564d41, 0, a, 4096, b\"x\"), "
			"l.syscall(157, 0x53564d41, 0, a, 4096, None)"),
		PY_LOOP("l.syscall(157, 15, b\"x\"), l.syscall(39)"), "(-1, -1)\n");

	(void)state;
	assert_in_range(more, 2 * REPS - 5, 2 * REPS + 5);
}

/*
 * The calls that change what mapping calls decide, each followed by one
 * that shows it (tests/progs/state_calls.c): an O_PATH fd, a hugetlbfs
 * memfd, remap_file_pages, RLIMIT_MEMLOCK lowered, capabilities dropped
 * by capset and (as root) by setuid in a child, READ_IMPLIES_EXEC, the
 * THP switch, MDWE in a forked child and after exec; and plain stores
 * before MADV_COLLAPSE, which shadow learns from the pagemap (without,
 * usermm refuses the collapse). Found by running the kernel's mm
 * selftests under shadow.
 */
static void test_state_calls(void **state)
{
	char *err;

	(void)state;
	assert_int_equal(shadow("", UMM_STATE_CALLS_PATH " stores"), 0);
	err = slurp("err");
	if (!strstr(err, " 0 divergences, 0 unsupported"))
		fail_msg("not clean:\n%s", err);
	assert_non_null(strstr(err, " 3 processes"));
	free(err);
	assert_int_equal(shadow("--no-touch-sync", UMM_STATE_CALLS_PATH " stores"), 1);
	err = slurp("err");
	assert_non_null(strstr(err, "MADV_COLLAPSE"));
	free(err);
}

/* The exit status is shadow's verdict; the program's own status is in
 * the summary, and the exit status only with --program-status. */
static void test_status(void **state)
{
	char *err;

	(void)state;
	assert_int_equal(shadow("", "sh -c 'exit 3'"), 0);
	err = slurp("err");
	assert_non_null(strstr(err, " 0 divergences, "));
	assert_non_null(strstr(err, "usermm shadow: the program exited with status 3\n"));
	free(err);
	assert_int_equal(shadow("", "sh -c 'kill -TERM $$'"), 0);
	err = slurp("err");
	assert_non_null(strstr(err, "the program was killed by signal 15 (SIGTERM)"));
	free(err);
	assert_int_equal(shadow("--program-status", "sh -c 'exit 3'"), 3);
	assert_int_equal(shadow("--program-status", "sh -c 'exit 1'"), 1);
	assert_int_equal(shadow("", "/nonexistent/program"), 2);
	err = slurp("err");
	assert_non_null(strstr(err, "usermm shadow: cannot run /nonexistent/program: No such file"));
	assert_non_null(strstr(err, "the program could not be run"));
	free(err);
	assert_int_equal(shadow("--program-status", "/nonexistent/program"), 127);
}

static void test_usage(void **state)
{
	(void)state;
	assert_int_equal(run_shell("%s shadow >/dev/null 2>&1", UMM_CLI_PATH), 2);
	assert_int_equal(run_shell("%s shadow --bogus -- true >/dev/null 2>&1", UMM_CLI_PATH), 2);
	assert_int_equal(run_shell("%s shadow --bogus -- true 2>&1 | grep -q \"usermm shadow: "
				   "unknown option '--bogus'\"", UMM_CLI_PATH), 0);
	assert_int_equal(run_shell("%s shadow --help | grep -q 'usage: usermm shadow'", UMM_CLI_PATH),
			 0);
}

/* As root, the kernel allows an mlock beyond RLIMIT_MEMLOCK; usermm,
 * told the program is unprivileged, refuses it. */
static void test_divergence(void **state)
{
	struct rlimit rl;
	char *out, *err;

	(void)state;
	if (geteuid() != 0 || getrlimit(RLIMIT_MEMLOCK, &rl) || rl.rlim_cur > (16UL << 20))
		skip();
	assert_int_equal(shadow("--unprivileged",
				"/usr/bin/python3 -c 'import ctypes, mmap\n"
				"m = mmap.mmap(-1, 32 << 20)\n"
				"a = ctypes.addressof(ctypes.c_char.from_buffer(m))\n"
				"ctypes.CDLL(None).mlock(ctypes.c_void_p(a), ctypes.c_size_t(32 << 20))\n"
				"print(\"after\")'"), 1);
	out = slurp("out");
	err = slurp("err");
	assert_null(strstr(out, "after")); /* killed at the divergence */
	assert_non_null(strstr(err, "divergence in pid "));
	assert_non_null(strstr(err, "mlock(0x"));
	assert_non_null(strstr(err, "  kernel:   = 0\n"));
	assert_non_null(strstr(err, "  usermm:   = -1 ENOMEM"));
	assert_non_null(strstr(err, "  => "));
	assert_non_null(strstr(err, " 1 divergence, "));
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ls),
		cmocka_unit_test(test_sh_pipe),
		cmocka_unit_test(test_python3),
		cmocka_unit_test(test_pkeys),
		cmocka_unit_test(test_anon_name_prctl),
		cmocka_unit_test(test_state_calls),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_divergence),
	};

	return cmocka_run_group_tests(tests, setup, remove_tmpdir);
}
