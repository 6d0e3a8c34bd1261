/*
 * test_cli.c - the usermm command as a new user meets it: `usermm run`
 * takes every call replay takes; every subcommand names itself and the
 * bad option, checks its numbers, refuses unusable files with a clear
 * message and exit status 2, and speaks of "the traced process" where a
 * trace never named its pid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_test.h"

#include <unistd.h>

#define SYN UMM_SOURCE_DIR "/tests/traces/synthetic/"

/* "usermm ARGS", run in the scratch directory. */
static int usermm(const char *args, char **out)
{
	assert_int_equal(chdir(tmpdir), 0);
	return usermm_output("", args, out);
}

static void expect(const char *args, int status, const char *needle)
{
	assert_int_equal(chdir(tmpdir), 0);
	expect_usermm("", args, status, needle);
}

/* A file in the scratch directory with the given text. */
static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_run_takes_every_call(void **state)
{
	(void)state;
	write_file("calls.ops",
		   "mmap 0 0x4000 PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
		   "mremap 0x7ffff7ffb000 0x4000 0x3000 0\n"
		   "mremap 0x7ffff7ffd000 0x1000 0x1000 MREMAP_MAYMOVE|MREMAP_FIXED 0x10000000\n"
		   "madvise 0x7ffff7ffc000 0x1000 MADV_DONTFORK\n"
		   "mlock2 0x7ffff7ffb000 0x1000 MLOCK_ONFAULT\n"
		   "munlock 0x7ffff7ffb000 0x1000\n"
		   "msync 0x7ffff7ffc000 0x1000 MS_SYNC\n"
		   "mseal 0x10000000 0x1000 0\n"
		   "munmap 0x10000000 0x1000\n"
		   "pkey_mprotect 0x7ffff7ffc000 0x1000 PROT_READ -1\n"
		   "touch 0x7ffff7ffc000 PROT_WRITE\n"
		   "mlockall MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT\n"
		   "munlockall\n"
		   "maps\n");
	expect("run calls.ops", 0,
	       "mremap(0x7ffff7ffd000, 0x1000, 0x1000, MREMAP_MAYMOVE|MREMAP_FIXED, 0x10000000) "
	       "= 0x10000000\n");
	expect("run calls.ops", 0, "mlock2(0x7ffff7ffb000, 0x1000, MLOCK_ONFAULT) = 0\n");
	expect("run calls.ops", 0, "msync(0x7ffff7ffc000, 0x1000, MS_SYNC) = 0\n");
	expect("run calls.ops", 0,
	       "pkey_mprotect(0x7ffff7ffc000, 0x1000, PROT_READ, -1) = 0\n");
	expect("run calls.ops", 0, "madvise(0x7ffff7ffc000, 0x1000, MADV_DONTFORK) = 0\n");
	expect("run calls.ops", 0, "mseal(0x10000000, 0x1000, 0) = 0\n");
	expect("run calls.ops", 0,
	       "munmap(0x10000000, 0x1000) = -1 EPERM (Operation not permitted)\n");
	expect("run calls.ops", 0,
	       "touch(0x7ffff7ffc000, PROT_WRITE) = 0xb02\n"); /* SIGSEGV, SEGV_ACCERR */
	expect("run calls.ops", 0, "10000000-10001000 rw-p");
	expect("run -", 2, "usermm run: script (standard input): is empty");
}

static void test_run_refuses(void **state)
{
	(void)state;
	write_file("empty.ops", "");
	write_file("other.ops", "getpid\n");
	write_file("short.ops", "munmap 0x1000\n");
	expect("run --bogus", 2, "usermm run: unknown option '--bogus'");
	expect("run", 2, "usermm run: no script");
	expect("run a b", 2, "usermm run: one script at a time");
	expect("run .", 2, "usermm run: script .: is a directory");
	expect("run empty.ops", 2, "usermm run: script empty.ops: is empty");
	expect("run missing.ops", 2, "usermm run: script missing.ops: No such file");
	expect("run other.ops", 1, "'getpid' is not a memory call usermm knows");
	expect("run short.ops", 1, "usermm run: short.ops: line 1: munmap");
}

static void test_numbers_checked(void **state)
{
	(void)state;
	expect("difftest --calls 99999999999999999999999", 2,
	       "usermm difftest: --calls: '99999999999999999999999' is not a number");
	expect("difftest --calls 1e3", 2, "--calls: '1e3' is not a number");
	expect("difftest --calls -5", 2, "--calls: '-5' is not a number");
	expect("difftest --seeds 0", 2, "--seeds: at least 1");
	expect("difftest --seed abc", 2, "--seed: 'abc' is not a number");
	expect("difftest --minimize-seconds 1000000", 2, "--minimize-seconds: '1000000'");
	expect("difftest --bogus", 2, "usermm difftest: unknown option '--bogus'");
	expect("difftest extra", 2, "unexpected argument 'extra'");
}

static void test_commands_name_themselves(void **state)
{
	(void)state;
	expect("bogus", 2, "usermm: unknown command 'bogus'");
	expect("record --bogus -- true", 2, "usermm record: unknown option '--bogus'");
	expect("record -o", 2, "usermm record: option '-o' needs a value");
	expect("record -o x", 2, "usermm record: no command to run");
	expect("record -o x -- /nonexistent/program", 127,
	       "usermm record: cannot run /nonexistent/program");
	expect("shadow", 2, "usermm shadow: no command to run");
	expect("shadow -- /nonexistent/program", 2,
	       "usermm shadow: cannot run /nonexistent/program");
}

/* A trace whose lines carry no pid: messages name the traced process. */
static void test_no_pid_minus_one(void **state)
{
	char *out;

	(void)state;
	write_file("nopid.trace", "execve(\"/bin/x\", [\"x\"], 0x7ffc /* 1 var */) = 0\n"
				  "execve(\"/bin/y\", [\"y\"], 0x7ffc /* 1 var */) = 0\n"
				  "brk(NULL) = 0x555555559000\n");
	write_file("one.maps", "555555554000-555555555000 r--p 00000000 fe:00 1 /bin/x\n");
	assert_int_equal(usermm("replay --maps one.maps nopid.trace", &out), 0);
	assert_null(strstr(out, "pid -1"));
	assert_non_null(strstr(out, "no maps snapshot for this image of the traced process"));
	free(out);
}

/* --dump-maps writes the first process's space, also when the trace
 * never named its pid (strace omits it while it follows one process). */
static void test_dump_maps_without_pids(void **state)
{
	char path[128], *maps;

	(void)state;
	expect("replay -q --maps " SYN "late_brk.maps --dump-maps final.maps " SYN "late_brk.trace",
	       0, "0 differ from the trace");
	snprintf(path, sizeof(path), "%s/final.maps", tmpdir);
	maps = read_whole_file(path);
	assert_non_null(maps);
	assert_non_null(strstr(maps, "555555d8c000-555555d9c000 rw-p"));
	assert_non_null(strstr(maps, "7ffff7fbe000-7ffff7fc0000 r--p"));
	free(maps);
}

/* With no trace and a terminal on standard input, replay says where it
 * reads from (script(1) gives it a terminal, which then ends at once). */
static void test_replay_names_a_terminal(void **state)
{
	char path[128], *out;

	(void)state;
	if (run_shell("command -v script >/dev/null"))
		skip();
	snprintf(path, sizeof(path), "%s/tty.out", tmpdir);
	run_shell("timeout 10 script -qec '%s replay' /dev/null </dev/null >%s 2>&1", UMM_CLI_PATH,
		  path);
	out = read_whole_file(path);
	assert_non_null(out);
	assert_non_null(strstr(out, "usermm replay: reading the trace from standard input"));
	free(out);
}

/* A long run shows its progress on a terminal, and only there. */
static void test_progress_on_a_terminal(void **state)
{
	char path[128], *out;

	(void)state;
	if (run_shell("command -v script >/dev/null"))
		skip();
	snprintf(path, sizeof(path), "%s/progress.out", tmpdir);
	run_shell("timeout 120 script -qec '%s difftest --calls 1500' /dev/null </dev/null >%s 2>&1",
		  UMM_CLI_PATH, path);
	out = read_whole_file(path);
	assert_non_null(out);
	assert_non_null(strstr(out, "of 1500 calls"));
	free(out);
	expect("difftest --calls 300", 0, "seed 1: 300 calls, no divergence");
	assert_int_equal(usermm("difftest --calls 300", &out), 0);
	assert_null(strstr(out, "of 300 calls"));
	free(out);
}

static int setup(void **state)
{
	(void)state;
	return make_tmpdir("cli");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_takes_every_call),
		cmocka_unit_test(test_run_refuses),
		cmocka_unit_test(test_numbers_checked),
		cmocka_unit_test(test_commands_name_themselves),
		cmocka_unit_test(test_no_pid_minus_one),
		cmocka_unit_test(test_dump_maps_without_pids),
		cmocka_unit_test(test_replay_names_a_terminal),
		cmocka_unit_test(test_progress_on_a_terminal),
	};

	return cmocka_run_group_tests(tests, setup, remove_tmpdir);
}
