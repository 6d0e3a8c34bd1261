/*
 * test_record.c - tests of `usermm record`: the files it writes (maps at
 * exec, before ld.so; strace-shaped trace lines; pid prefixes once a
 * child exists; a maps file per later exec), exit status passthrough,
 * usage errors, and that every shipped trace under tests/traces passes
 * `usermm replay --check` (skipped while replay is not a command yet).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_test.h"


static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int setup(void **state)
{
	(void)state;
	return make_tmpdir("record");
}

/* Every trace line has one of strace's shapes, including a call a signal
 * interrupted, to be restarted ("= ? ERESTARTNOINTR (To be restarted)"). */
static void check_shapes(const char *text)
{
	regex_t call, death;
	char *copy = strdup(text), *save = NULL;

	assert_int_equal(regcomp(&call, "^(\\[pid +[0-9]+\\] )?[a-z_0-9]+\\(.*\\) += (\\?( E[A-Z_]+ \\(.*\\))?|-1 E[A-Z]+ \\(.*\\)|(0x[0-9a-f]+|[0-9]+)( \\([A-Z_|]+\\)|<[^>]*>(\\(deleted\\))?)?)$", REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regcomp(&death, "^(\\[pid +[0-9]+\\] )?\\+\\+\\+ (exited with [0-9]+|killed by SIG[A-Z0-9]+( \\(core dumped\\))?) \\+\\+\\+$", REG_EXTENDED | REG_NOSUB), 0);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (regexec(&call, l, 0, NULL, 0) && regexec(&death, l, 0, NULL, 0))
			fail_msg("not a strace line: %s", l);
	}
	regfree(&call);
	regfree(&death);
	free(copy);
}

static void test_single_process(void **state)
{
	char path[256], *trace, *maps;

	(void)state;
	assert_int_equal(run_shell("cd / && %s record -o %s/one -- /usr/bin/cat /etc/hostname >/dev/null", UMM_CLI_PATH, tmpdir), 0);
	snprintf(path, sizeof(path), "%s/one.trace", tmpdir);
	trace = read_whole_file(path);
	snprintf(path, sizeof(path), "%s/one.maps", tmpdir);
	maps = read_whole_file(path);
	assert_non_null(trace);
	assert_non_null(maps);
	check_shapes(trace);
	assert_true(starts_with(trace, "execve(\"/usr/bin/cat\", [\"/usr/bin/cat\", \"/etc/hostname\"], 0x"));
	assert_non_null(strstr(trace, "\nbrk(NULL)                               = 0x"));
	assert_non_null(strstr(trace, "</usr/lib/x86_64-linux-gnu/libc.so.6>, 0) = 0x"));
	assert_non_null(strstr(trace, "\nexit_group(0)                           = ?\n+++ exited with 0 +++\n"));
	assert_null(strstr(trace, "[pid "));
	/* Captured at the exec event: ld.so is there, libc and the heap not yet. */
	assert_true(starts_with(maps, "# usermm: start_brk=0x"));
	assert_non_null(strstr(maps, "ld-linux-x86-64.so.2"));
	assert_non_null(strstr(maps, "[stack]"));
	assert_non_null(strstr(maps, "VmFlags:"));
	assert_null(strstr(maps, "libc.so.6"));
	assert_null(strstr(maps, "[heap]"));
	free(trace);
	free(maps);
}

static void test_fork_and_exec(void **state)
{
	char path[256], *trace;
	int nmaps = 0;
	DIR *d;
	struct dirent *e;

	(void)state;
	assert_int_equal(run_shell("%s record -o %s/pipe -- sh -c 'echo a | cat; exit 7' >/dev/null", UMM_CLI_PATH, tmpdir), 7);
	snprintf(path, sizeof(path), "%s/pipe.trace", tmpdir);
	trace = read_whole_file(path);
	assert_non_null(trace);
	check_shapes(trace);
	assert_non_null(strstr(trace, "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"));
	assert_non_null(strstr(trace, "] execve(\"/usr/bin/cat\", [\"cat\"], 0x"));
	assert_non_null(strstr(trace, "+++ exited with 7 +++"));
	d = opendir(tmpdir);
	assert_non_null(d);
	while ((e = readdir(d)))
		nmaps += !strcmp(e->d_name, "pipe.1.maps") - !strcmp(e->d_name, "pipe.2.maps");
	closedir(d);
	assert_int_equal(nmaps, 1); /* cat's image; echo is a builtin */
	free(trace);
}

static void test_status_and_usage(void **state)
{
	(void)state;
	assert_int_equal(run_shell("%s record -o %s/k -- sh -c 'kill -9 $$'", UMM_CLI_PATH, tmpdir), 137);
	assert_int_equal(run_shell("%s record -o %s/n -- /nonexistent/x 2>/dev/null", UMM_CLI_PATH, tmpdir), 127);
	assert_int_equal(run_shell("%s record -- true 2>/dev/null", UMM_CLI_PATH), 2);
	assert_int_equal(run_shell("%s record -o %s/x 2>/dev/null", UMM_CLI_PATH, tmpdir), 2);
	assert_int_equal(run_shell("%s record --help >/dev/null", UMM_CLI_PATH), 0);
}

/*
 * The calls that change what mapping calls decide are in the trace, in
 * strace's form (openat with O_PATH, memfd_create with MFD_HUGETLB,
 * remap_file_pages, prlimit64, personality, the THP and MDWE prctls)
 * or, for credentials, as the capabilities they left
 * (usermm_caps(0x...)); each snapshot's header says the personality,
 * capabilities and limits; and replay --check takes it all.
 */
static void test_state_calls(void **state)
{
	static const char *const want[] = {
		"\"/etc/passwd\", O_RDONLY|O_CLOEXEC|O_PATH) = ",
		"memfd_create(\"umm_huge\", MFD_CLOEXEC|MFD_HUGETLB) = ",
		"</memfd:umm_huge>(deleted)\n",
		"</memfd:umm_huge>(deleted), 0) = -1 ENOMEM (",
		"remap_file_pages(0x", ", 4096, PROT_NONE, 3, MAP_FILE) = 0\n",
		"prlimit64(0, RLIMIT_MEMLOCK, {rlim_cur=64*1024, rlim_max=64*1024}, NULL) = 0\n",
		"usermm_caps(0x", "personality(PER_LINUX|READ_IMPLIES_EXEC) = 0 (PER_LINUX)\n",
		"prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)   = 0\n",
		"prctl(0x41 /* PR_??? */, 0x1, 0, 0, 0)  = 0\n",
	};
	char path[256], *trace, *maps;

	(void)state;
	assert_int_equal(run_shell("cd / && %s record -o %s/st -- %s", UMM_CLI_PATH, tmpdir,
				   UMM_STATE_CALLS_PATH), 0);
	snprintf(path, sizeof(path), "%s/st.trace", tmpdir);
	trace = read_whole_file(path);
	snprintf(path, sizeof(path), "%s/st.maps", tmpdir);
	maps = read_whole_file(path);
	assert_non_null(trace);
	assert_non_null(maps);
	check_shapes(trace);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(trace, want[i]))
			fail_msg("the trace lacks '%s':\n%s", want[i], trace);
	assert_non_null(strstr(maps, " personality=0 caps=0x"));
	assert_non_null(strstr(maps, " rlimit_memlock=0x"));
	assert_int_equal(run_shell("cd / && %s replay --check -q --maps %s/st.maps --maps %s/st.1.maps "
				   "%s/st.trace >/dev/null", UMM_CLI_PATH, tmpdir, tmpdir, tmpdir), 0);
	free(trace);
	free(maps);
}

/* Memory calls of threads are serialized: each line is complete. */
static void test_threads(void **state)
{
	char path[256], *trace;

	(void)state;
	if (access("/usr/bin/python3", X_OK))
		skip();
	assert_int_equal(run_shell("%s record -o %s/thr -- /usr/bin/python3 -c 'import threading\n"
				   "ts=[threading.Thread(target=len,args=([],)) for i in range(3)]\n"
				   "[t.start() for t in ts]; [t.join() for t in ts]'",
				   UMM_CLI_PATH, tmpdir), 0);
	snprintf(path, sizeof(path), "%s/thr.trace", tmpdir);
	trace = read_whole_file(path);
	assert_non_null(trace);
	check_shapes(trace);
	assert_non_null(strstr(trace, "clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD"));
	assert_null(strstr(trace, "unfinished"));
	free(trace);
}

/* "--maps DIR/NAME.maps --maps DIR/NAME.1.maps ...": every snapshot, in
 * the order of the trace's execs. */
static const char *maps_args(const char *dir, const char *name)
{
	static char buf[8192];
	char path[1024];
	size_t len;

	len = (size_t)snprintf(buf, sizeof(buf), "--maps %s/%s.maps", dir, name);
	for (int i = 1; len < sizeof(buf) - 1100; i++) {
		snprintf(path, sizeof(path), "%s/%s.%d.maps", dir, name, i);
		if (access(path, R_OK))
			break;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " --maps %s", path);
	}
	return buf;
}

static int replay_registered(void)
{
	return run_shell("%s replay --help >/dev/null 2>&1", UMM_CLI_PATH) == 0;
}

/* Every shipped trace passes replay --check from its maps. */
static void test_shipped_traces_replay(void **state)
{
	char dir[512];
	struct dirent *e;
	DIR *d;
	int n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/traces", UMM_SOURCE_DIR);
	d = opendir(dir);
	assert_non_null(d);
	if (!replay_registered()) {
		printf("usermm replay is not a command yet: shipped traces not replayed\n");
		closedir(d);
		skip();
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char name[256];
		if (len < 7 || strcmp(e->d_name + len - 6, ".trace"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 6), e->d_name);
		n++;
		if (run_shell("%s replay --check %s %s/%s.trace >/dev/null", UMM_CLI_PATH,
			      maps_args(dir, name), dir, name))
			fail_msg("replay --check fails on tests/traces/%s.trace", name);
	}
	closedir(d);
	assert_true(n >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_process),
		cmocka_unit_test(test_fork_and_exec),
		cmocka_unit_test(test_status_and_usage),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_state_calls),
		cmocka_unit_test(test_shipped_traces_replay),
	};

	return cmocka_run_group_tests(tests, setup, remove_tmpdir);
}
