/*
 * test_replay.c - owns the tests of `usermm replay` as users run it: the
 * built command (UMM_CLI_PATH) on the synthetic traces of
 * tests/traces/synthetic/ (one process with every call shape; forks,
 * vfork and threads; a trace with one wrong recorded result), checking
 * exit statuses, the divergence report and --dump-maps. The traces that
 * real programs recorded on this machine are checked by their own test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYN UMM_SOURCE_DIR "/tests/traces/synthetic/"

/* Runs the command line under sh; returns its exit status, and its
 * stdout and stderr (joined) in *out (caller frees). */
static int run(const char *args, char **out)
{
	return usermm_output("replay", args, out);
}

static void expect(const char *args, int status, const char *needle)
{
	expect_usermm("replay", args, status, needle);
}

static void test_basic_checks(void **state)
{
	(void)state;
	expect("--unprivileged --check --maps " SYN "basic.maps " SYN "basic.trace", 0,
	       "17 calls replayed, 0 differ from the trace, 0 unsupported");
	/* From standard input too. */
	expect("--unprivileged --check -q --maps " SYN "basic.maps < " SYN "basic.trace", 0,
	       "0 differ");
	/* Root may map at 0: with --privileged the recorded EPERM differs. */
	expect("--privileged --check --maps " SYN "basic.maps " SYN "basic.trace", 1,
	       "basic.trace:16:");
}

/* pkey_alloc and pkey_free, recorded here (no PKU: EINVAL, then ENOSPC
 * for ever; pkey_free always EINVAL) from a program making five calls. */
static void test_pkeys(void **state)
{
	(void)state;
	expect("--unprivileged --check --maps " SYN "pkeys.maps " SYN "pkeys.trace", 0,
	       "18 calls replayed, 0 differ from the trace, 0 unsupported");
}

/*
 * A snapshot without [heap] or header does not say where the break is:
 * the first brk(NULL), or a first brk that fails, does, even after other
 * calls (found by testing: usermm answered an address inside the
 * executable's mappings).
 */
static void test_late_brk(void **state)
{
	(void)state;
	expect("--check --maps " SYN "late_brk.maps " SYN "late_brk.trace", 0,
	       "7 calls replayed, 0 differ from the trace");
	expect("--check --maps " SYN "late_brk.maps " SYN "late_brk_fail.trace", 0,
	       "3 calls replayed, 0 differ from the trace");
}

static void test_wrong_result(void **state)
{
	(void)state;
	expect("--unprivileged --check --maps " SYN "basic.maps " SYN "wrong_result.trace", 1,
	       "divergence at " SYN "wrong_result.trace:9:\n"
	       "  mprotect(0x7ffff7fbb000, 4096, PROT_READ|PROT_WRITE)\n"
	       "  recorded: = -1 ENOMEM (Cannot allocate memory)\n"
	       "  usermm:   = 0\n");
	expect("--unprivileged --check --maps " SYN "basic.maps " SYN "wrong_result.trace", 1,
	       "=> 7ffff7fbb000-7ffff7fbc000 rw-p");
	/* Without --check the difference is shown and counted. */
	expect("--unprivileged --maps " SYN "basic.maps " SYN "wrong_result.trace", 0,
	       "# recorded: -1 ENOMEM");
	expect("--unprivileged --maps " SYN "basic.maps " SYN "wrong_result.trace", 0,
	       "1 differ from the trace");
}

static void test_processes(void **state)
{
	char *out, path[256];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/umm_test_replay.%d", (int)getpid());
	snprintf(path + strlen(path), 64, ".%%p");
	{
		char args[1024];

		snprintf(args, sizeof(args), "--check --maps %sbasic.maps --dump-maps %s %sfork.trace",
			 SYN, path, SYN);
		assert_int_equal(run(args, &out), 0);
	}
	assert_non_null(strstr(out, "7 calls replayed, 0 differ"));
	assert_non_null(strstr(out, "4 pids"));
	free(out);
	/* The forked child 101 kept its own copy: its two mappings, and
	 * not the parent's munmap. */
	path[strlen(path) - 2] = '\0';
	strcat(path, "101");
	f = fopen(path, "r");
	assert_non_null(f);
	{
		char line[256];
		int found = 0;

		while (fgets(line, sizeof(line), f))
			found += !strncmp(line, "7ffff7fbd000-7ffff7fc1000 r--p", 30) ||
				 !strncmp(line, "7ffff7fbd000-7ffff7fbf000 r--p", 30);
		assert_int_equal(found, 1);
	}
	fclose(f);
	unlink(path);
	for (int pid = 100; pid <= 103; pid++) {
		path[strlen(path) - 3] = '\0';
		snprintf(path + strlen(path), 8, "%d", pid);
		unlink(path);
	}
}

static void test_usage(void **state)
{
	(void)state;
	expect("--help", 0, "usage: usermm replay");
	expect("--bogus", 2, "usermm replay: unknown option '--bogus'");
	expect("--maps", 2, "usermm replay: option '--maps' needs a value");
	expect("--mmap-base 0x123 x", 2, "'0x123' is not a page-aligned address");
	expect("--mmap-base 0x1000zz x", 2, "'0x1000zz' is not a number");
	expect("--mmap-base 99999999999999999999999 x", 2, "is not a number");
	expect("a b", 2, "one trace at a time");
	expect("/nonexistent/trace", 2, "trace /nonexistent/trace: No such file");
}

/* A directory, an empty file or a missing file, as the trace or as a
 * snapshot, is refused with a message: never a silent success or a
 * divergence blamed on usermm. */
static void test_unusable_files(void **state)
{
	FILE *f = fopen("/tmp/umm_test_replay_empty", "w");

	(void)state;
	assert_non_null(f);
	fclose(f);
	expect("/tmp", 2, "usermm replay: trace /tmp: is a directory");
	expect("/tmp/umm_test_replay_empty", 2, "trace /tmp/umm_test_replay_empty: is empty");
	expect("< /tmp/umm_test_replay_empty", 2, "trace (standard input): is empty");
	expect("--maps /tmp " SYN "basic.trace", 2, "maps snapshot /tmp: is a directory");
	expect("--maps /tmp/umm_test_replay_empty " SYN "basic.trace", 2,
	       "maps snapshot /tmp/umm_test_replay_empty: is empty");
	expect("--maps /nonexistent.maps " SYN "basic.trace", 2,
	       "maps snapshot /nonexistent.maps: No such file");
	unlink("/tmp/umm_test_replay_empty");
}

/*
 * openat lines give mmap its fd's mode: the results below are what this
 * kernel returns for a write-only, a read-only and a read-write fd (a
 * file needs FMODE_READ to be mapped at all, and FMODE_WRITE for a
 * shared writable mapping). Without the openat lines replay would open
 * the file read-write and get the first and third results wrong.
 */
static void test_open_modes(void **state)
{
	char dir[] = "/tmp/umm-replay-XXXXXX", path[64], trace[64], args[160];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/file", dir);
	snprintf(trace, sizeof(trace), "%s/t.trace", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 8192), 0);
	fclose(f);
	f = fopen(trace, "w");
	assert_non_null(f);
	fprintf(f,
		"openat(AT_FDCWD, \"%1$s\", O_WRONLY) = 3<%1$s>\n"
		"mmap(NULL, 4096, PROT_READ, MAP_SHARED, 3<%1$s>, 0) = -1 EACCES (Permission denied)\n"
		"openat(AT_FDCWD, \"%1$s\", O_RDONLY|O_CLOEXEC) = 4<%1$s>\n"
		"mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 4<%1$s>, 0) = -1 EACCES (Permission denied)\n"
		"mmap(NULL, 4096, PROT_READ, MAP_SHARED, 4<%1$s>, 0) = 0x7ffff7ffe000\n"
		"openat(AT_FDCWD, \"%1$s\", O_RDWR|O_APPEND) = 3<%1$s>\n"
		"mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3<%1$s>, 0) = 0x7ffff7ffd000\n",
		path);
	fclose(f);
	snprintf(args, sizeof(args), "--check %s", trace);
	expect(args, 0, "0 differ from the trace");
	unlink(trace);
	unlink(path);
	rmdir(dir);
}

static void test_bad_trace(void **state)
{
	char *out;
	FILE *f = fopen("/tmp/umm_test_replay_bad.trace", "w");

	(void)state;
	assert_non_null(f);
	fputs("brk(NULL) = 0x555555559000\n\nmunmap(0x1000, 4096 = 0\n", f);
	fclose(f);
	assert_int_equal(run("/tmp/umm_test_replay_bad.trace", &out), 1);
	assert_non_null(strstr(out, "/tmp/umm_test_replay_bad.trace: line 3: "));
	free(out);
	unlink("/tmp/umm_test_replay_bad.trace");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_checks),
		cmocka_unit_test(test_wrong_result),
		cmocka_unit_test(test_pkeys),
		cmocka_unit_test(test_late_brk),
		cmocka_unit_test(test_processes),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_unusable_files),
		cmocka_unit_test(test_bad_trace),
		cmocka_unit_test(test_open_modes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
