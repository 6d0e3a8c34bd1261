/*
 * test_strace_parse.c - owns the tests of the strace trace parser
 * (tools/strace_parse.c): every line shape strace 6.1 writes for
 * `-f -y -e trace=memory,process`, the reading of arguments, a table of
 * malformed lines that must each give an error naming their line, and a
 * random-mutation loop that must never crash (run it under ASan too).
 *
 * The parser lives with the command's sources; it is compiled into this
 * test directly, as the test build has no library of the tools.
 */
#include "../tools/trace/strace_parse.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static int parse1(struct st_parser *p, const char *line, int lineno, struct st_event *ev,
		  char *err)
{
	st_event_clear(ev);
	return st_parse_line(p, line, lineno, ev, err, 256);
}

struct shape {
	const char *line;
	enum st_kind kind;
	long pid;
	const char *name;
	int nargs;
	bool has_result;
	long result;
};

static const struct shape shapes[] = {
	{ "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f58e1630000",
	  ST_CALL, -1, "mmap", 6, true, 0x7f58e1630000 },
	{ "21815 brk(NULL)                         = 0x561a43052000", ST_CALL, 21815, "brk", 1, true,
	  0x561a43052000 },
	{ "[pid 21890] munmap(0x7f0000000000, 4096) = 0", ST_CALL, 21890, "munmap", 2, true, 0 },
	{ "[pid   100] munmap(0x7f0000000000, 4096) = 0", ST_CALL, 100, "munmap", 2, true, 0 },
	{ "00:16:58 munmap(0x1000, 4096) = -1 EINVAL (Invalid argument)", ST_CALL, -1, "munmap", 2,
	  true, -EINVAL },
	{ "21875 00:16:58.155261 brk(0x3039) = 0x56415528c000", ST_CALL, 21875, "brk", 1, true,
	  0x56415528c000 },
	{ "21866 1795220218.075822 mprotect(0x7f00, 4096, PROT_READ) = -1 EPERM (Operation not permitted)",
	  ST_CALL, 21866, "mprotect", 3, true, -EPERM },
	{ "21882      0.000116 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 100, 0) = -1 EBADF (Bad file descriptor)",
	  ST_CALL, 21882, "mmap", 6, true, -EBADF },
	{ "     0.000116 munlockall()    = 0", ST_CALL, -1, "munlockall", 0, true, 0 },
	{ "mlockall(MCL_FUTURE|MCL_ONFAULT)        = 0 <0.000031>", ST_CALL, -1, "mlockall", 1, true, 0 },
	{ "[00007f0000001234] brk(NULL) = 0x1000", ST_CALL, -1, "brk", 1, true, 0x1000 },
	{ "21815 exit_group(0)                     = ?", ST_CALL, 21815, "exit_group", 1, false, 0 },
	{ "21815 +++ exited with 3 +++", ST_EXITED, 21815, NULL, 0, false, 0 },
	{ "+++ killed by SIGSEGV (core dumped) +++", ST_EXITED, -1, NULL, 0, false, 0 },
	{ "21815 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=21816} ---", ST_IGNORED,
	  21815, NULL, 0, false, 0 },
	{ "strace: Process 21892 attached", ST_IGNORED, -1, NULL, 0, false, 0 },
	{ "", ST_IGNORED, -1, NULL, 0, false, 0 },
	{ "21866 syscall_0x1ce(0x7efed024a000, 0x1000, 0, 0xffffffff, 0, 0) = 0", ST_CALL, 21866,
	  "syscall_0x1ce", 6, true, 0 },
	{ "execve(\"/usr/bin/sh\", [\"sh\", \"-c\", \"ls, (x) >/dev/null\"...], 0x7ffc /* 41 vars */) = 0",
	  ST_CALL, -1, "execve", 3, true, 0 },
	{ "21866 clone3({flags=CLONE_VM|CLONE_THREAD, child_tid=0x7e, exit_signal=0} => {parent_tid=[21867]}, 88) = 21867",
	  ST_CALL, 21866, "clone3", 2, true, 21867 },
	{ "22090 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 3</tmp/a,b) (x\\76y>, 0) = 0x7ff86d549000",
	  ST_CALL, 22090, "mmap", 6, true, 0x7ff86d549000 },
	{ "wait4(-1, 0x7fff8032fddc, WNOHANG, NULL) = -1 ECHILD (No child processes)", ST_CALL, -1,
	  "wait4", 4, true, -ECHILD },
	{ "[pid 5] read(3,  <unfinished ...>", ST_UNFINISHED, 5, "read", 1, false, 0 },
	{ "1 +++ superseded by execve in pid 2 +++", ST_IGNORED, 1, NULL, 0, false, 0 },
	{ "1 nanosleep({tv_sec=1, tv_nsec=0}, NULL) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)",
	  ST_CALL, 1, "nanosleep", 2, false, 0 },
};

static void test_shapes(void **state)
{
	struct st_event ev = { .pid = -1 };
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct st_parser *p = st_parser_new();
		const struct shape *s = &shapes[i];

		if (parse1(p, s->line, 7, &ev, err))
			fail_msg("shape %zu: %s: %s", i, s->line, err);
		assert_int_equal(ev.kind, s->kind);
		assert_int_equal(ev.pid, s->pid);
		if (s->name)
			assert_string_equal(ev.name, s->name);
		if (s->kind == ST_CALL || s->kind == ST_UNFINISHED)
			assert_int_equal(ev.nargs, s->nargs);
		assert_int_equal(ev.has_result, s->has_result);
		if (s->has_result)
			assert_int_equal(ev.result, s->result);
		st_event_clear(&ev);
		st_parser_free(p);
	}
}

static void test_unfinished_resumed(void **state)
{
	struct st_parser *p = st_parser_new();
	struct st_event ev = { .pid = -1 };
	char err[256];

	(void)state;
	assert_int_equal(parse1(p, "21816 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>", 10, &ev, err), 0);
	assert_int_equal(ev.kind, ST_UNFINISHED);
	assert_int_equal(parse1(p, "21817 mmap(0x7f7638278000, 339968, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3</lib/x.so>, 0x17c000 <unfinished ...>", 11, &ev, err), 0);
	assert_int_equal(parse1(p, "21815 vfork( <unfinished ...>", 12, &ev, err), 0);
	assert_string_equal(ev.name, "vfork");
	assert_int_equal(st_pending(p, NULL), 3);
	assert_int_equal(parse1(p, "21816 <... mmap resumed>)               = 0x7efd59ec0000", 13, &ev, err), 0);
	assert_int_equal(ev.kind, ST_CALL);
	assert_int_equal(ev.lineno, 10);
	assert_int_equal(ev.end_lineno, 13);
	assert_int_equal(ev.nargs, 6);
	assert_string_equal(ev.args[5], "0");
	assert_string_equal(ev.call_text, "mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)");
	assert_int_equal(ev.result, 0x7efd59ec0000);
	assert_int_equal(parse1(p, "21815 <... vfork resumed>)              = 21817", 14, &ev, err), 0);
	assert_int_equal(ev.result, 21817);
	assert_int_equal(parse1(p, "21815 wait4(-1,  <unfinished ...>", 15, &ev, err), 0);
	assert_int_equal(parse1(p, "21815 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 21816", 16, &ev, err), 0);
	assert_int_equal(ev.nargs, 4);
	/* An exit drops the unresumed half, and it is counted. */
	assert_int_equal(parse1(p, "21817 +++ killed by SIGKILL +++", 17, &ev, err), 0);
	assert_int_equal(ev.exit_status, 128 + SIGKILL);
	int first = 0;
	assert_int_equal(st_pending(p, &first), 1);
	assert_int_equal(first, 11);
	st_event_clear(&ev);
	st_parser_free(p);
}

static void classify_line(const char *line, enum st_call_class *cls, struct mem_call *mc,
			  bool *share, struct st_event *ev)
{
	struct st_parser *p = st_parser_new();
	char err[256];

	if (parse1(p, line, 1, ev, err) || st_classify(ev, cls, mc, share, err, sizeof(err)))
		fail_msg("%s: %s", line, err);
	st_parser_free(p);
}

static void test_arguments(void **state)
{
	struct st_event ev = { .pid = -1 };
	enum st_call_class cls;
	struct mem_call mc;
	bool share;

	(void)state;
	classify_line("mmap(0x7f58e1469000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3</usr/lib/x86_64-linux-gnu/libc.so.6>, 0x26000) = 0x7f58e1469000", &cls, &mc, &share, &ev);
	assert_int_equal(cls, ST_CLASS_MEMORY);
	assert_int_equal(mc.op, MEM_MMAP);
	assert_int_equal(mc.arg[0], 0x7f58e1469000);
	assert_int_equal(mc.arg[1], 1400832);
	assert_int_equal(mc.arg[2], 5);
	assert_int_equal(mc.arg[3], 0x812);
	assert_int_equal(mc.arg[4], 3);
	assert_int_equal(mc.arg[5], 0x26000);
	assert_string_equal(mc.path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_false(mc.deleted);

	classify_line("mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3</tmp/we ird\\76name\\n>(deleted), 0x1000) = 0x7ff86d543000", &cls, &mc, &share, &ev);
	assert_string_equal(mc.path, "/tmp/we ird>name\n");
	assert_true(mc.deleted);

	classify_line("mmap(NULL, 2097152, PROT_READ|PROT_WRITE, 0xa /* MAP_??? */|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = -1 EINVAL (Invalid argument)", &cls, &mc, &share, &ev);
	assert_int_equal(mc.arg[3], 0xaUL | 0x20 | 0x40000 | (21UL << 26));
	assert_int_equal((long)mc.arg[4], -1);
	assert_null(mc.path);

	classify_line("mprotect(0xffffffffffffffff, 4096, 0x40 /* PROT_??? */) = -1 EINVAL (Invalid argument)", &cls, &mc, &share, &ev);
	assert_int_equal(mc.arg[0], ~0UL);
	assert_int_equal(mc.arg[2], 0x40);

	classify_line("21866 syscall_0x1ce(0x7efed024a000, 0x1000, 0, 0xffffffff, 0, 0) = 0", &cls, &mc, &share, &ev);
	assert_int_equal(mc.op, MEM_MSEAL);
	assert_int_equal(mc.nargs, 3);
	assert_int_equal(mc.arg[1], 0x1000);

	classify_line("mincore(0x7efed024a000, 4096, [1]) = 0", &cls, &mc, &share, &ev);
	assert_int_equal(mc.op, MEM_MINCORE);
	classify_line("mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x3fffff) = -1 EINVAL (Invalid argument)", &cls, &mc, &share, &ev);
	assert_int_equal(mc.op, MEM_MREMAP);
	assert_int_equal(mc.arg[3], 3);
	classify_line("mmap(0x1000000000000000, 9223372036854775808, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)", &cls, &mc, &share, &ev);
	assert_int_equal(mc.arg[1], 1UL << 63);
	classify_line("mbind(0x1000, 4096, MPOL_BIND, [0x1], 2, 0) = 0", &cls, &mc, &share, &ev);
	assert_int_equal(cls, ST_CLASS_MEMORY);
	assert_int_equal(mc.op, MEM_OTHER);

	classify_line("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 21816", &cls, &mc, &share, &ev);
	assert_int_equal(cls, ST_CLASS_CLONE);
	assert_false(share);
	classify_line("clone(child_stack=0x7f, flags=CLONE_VM|CLONE_FS|CLONE_THREAD, parent_tid=[5]) = 5", &cls, &mc, &share, &ev);
	assert_true(share);
	classify_line("clone3({flags=CLONE_VM|CLONE_FS, child_tid=0x7e} => {parent_tid=[21867]}, 88) = 21867", &cls, &mc, &share, &ev);
	assert_true(share);
	classify_line("vfork() = 3", &cls, &mc, &share, &ev);
	assert_true(share);
	classify_line("execve(\"/bin/true\", [\"true\"], 0x7ffe /* 3 vars */) = 0", &cls, &mc, &share, &ev);
	assert_int_equal(cls, ST_CLASS_EXEC);
	classify_line("close(3</etc/ld.so.cache>) = 0", &cls, &mc, &share, &ev);
	assert_int_equal(cls, ST_CLASS_OTHER);
	st_event_clear(&ev);
}

/* Lines that must give an error; the number is the line they sit on. */
static const char *const malformed[] = {
	"mmap(NULL, 4096",                               /* no ')' and no unfinished */
	"mmap NULL, 4096) = 0",                          /* no '(' */
	"munmap(0x1000, 4096)",                          /* no result */
	"munmap(0x1000, 4096) 0",                        /* no '=' */
	"munmap(0x1000, 4096) = ",                       /* empty result */
	"munmap(0x1000, 4096) = zero",                   /* not a number */
	"munmap(0x1000, 4096) = -1 ENOTANERRNO (x)",     /* unknown errno */
	"munmap(0x1000, 4096) = 0 junk",                 /* junk after it */
	"[pid abc] munmap(0x1000, 4096) = 0",            /* bad pid prefix */
	"[pid 12 munmap(0x1000, 4096) = 0",
	"<... mmap resumed>) = 0",                       /* nothing unfinished */
	"<... mmap resumed) = 0",                        /* no 'resumed>' */
	"+++ exploded +++",
	"(NULL) = 0",                                    /* no name */
	"mmap(\"abc, 4096) = 0",                         /* unterminated string */
	"mmap(1</abc, 4096) = 0",                        /* unterminated path */
	"f(1, 2, 3, 4, 5, 6, 7, 8, 9) = 0",              /* too many arguments */
	" <unfinished ...>",                             /* unfinished, no call */
};

/* Calls that parse but whose arguments cannot be read. */
static const char *const bad_args[] = {
	"mmap(NULL, 4096, PROT_READ) = 0",                /* too few */
	"munmap(0x1000, 4096, 1) = 0",                    /* too many */
	"mmap(NULL, 4096, PROT_BOGUS, MAP_PRIVATE, -1, 0) = 0",
	"mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3</x>junk, 0) = 0",
	"mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, x, 0) = 0",
	"munmap(0x1000, 12abc) = 0",
	"mprotect(0x1000, 4096, PROT_READ /* open) = 0",
	"brk(1<<99) = 0",
};

/* difftest's usermm_touch pseudo call, and prctl(PR_SET_VMA) as strace
 * 6.1 printed it here; other prctls stay non-memory calls. */
static void test_touch_and_anon_name(void **state)
{
	struct st_event ev = { .pid = -1 };
	enum st_call_class cls;
	struct mem_call mc;
	bool share;

	(void)state;
	classify_line("usermm_touch(0x7ffff7ffd000, PROT_WRITE) = 2817", &cls, &mc, &share, &ev);
	assert_int_equal(cls, ST_CLASS_MEMORY);
	assert_int_equal(mc.op, MEM_TOUCH);
	assert_int_equal(mc.arg[0], 0x7ffff7ffd000);
	assert_int_equal(mc.arg[1], 2);
	assert_int_equal(ev.result, 2817);

	classify_line("prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7ff5f1e22000, 4096, \"bad[x]\\n\\1\") = -1 EINVAL (Invalid argument)", &cls, &mc, &share, &ev);
	assert_int_equal(cls, ST_CLASS_MEMORY);
	assert_int_equal(mc.op, MEM_ANON_NAME);
	assert_int_equal(mc.arg[2], 0x7ff5f1e22000);
	assert_int_equal(mc.arg[3], 4096);
	assert_string_equal(mc.str, "bad[x]\n\1");
	classify_line("prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7ff5f1e22000, 4096, \"01234567890123456789012345678901\"...) = -1 EINVAL (Invalid argument)", &cls, &mc, &share, &ev);
	assert_int_equal(mc.op, MEM_ANON_NAME);
	assert_string_equal(mc.str, "01234567890123456789012345678901");
	classify_line("prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7ff5f1e22000, 4096, NULL) = -1 EINVAL (Invalid argument)", &cls, &mc, &share, &ev);
	assert_int_equal(mc.op, MEM_ANON_NAME);
	assert_null(mc.str);
	/* an unreadable name, another attribute: memory calls replay lacks */
	classify_line("prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7ff5f1e22000, 4096, 0x1) = -1 EINVAL (Invalid argument)", &cls, &mc, &share, &ev);
	assert_int_equal(cls, ST_CLASS_MEMORY);
	assert_int_equal(mc.op, MEM_OTHER);
	classify_line("prctl(PR_SET_VMA, 0x1 /* PR_SET_VMA_??? */, 0x7ff5f1e22000, 0x1000, 0x55b9e4acb074) = -1 EINVAL (Invalid argument)", &cls, &mc, &share, &ev);
	assert_int_equal(mc.op, MEM_OTHER);
	classify_line("pkey_alloc(0, PKEY_DISABLE_ACCESS|PKEY_DISABLE_WRITE) = -1 EINVAL (Invalid argument)", &cls, &mc, &share, &ev);
	assert_int_equal(cls, ST_CLASS_MEMORY);
	assert_int_equal(mc.op, MEM_PKEY_ALLOC);
	assert_int_equal(mc.arg[0], 0);
	assert_int_equal(mc.arg[1], 3);
	classify_line("pkey_alloc(0x1, PKEY_DISABLE_EXECUTE) = -1 EINVAL (Invalid argument)", &cls, &mc, &share, &ev);
	assert_int_equal(mc.arg[0], 1);
	assert_int_equal(mc.arg[1], 4);
	classify_line("pkey_free(-1) = -1 EINVAL (Invalid argument)", &cls, &mc, &share, &ev);
	assert_int_equal(mc.op, MEM_PKEY_FREE);
	assert_int_equal((long)mc.arg[0], -1);
	classify_line("prctl(PR_SET_NAME, \"worker\") = 0", &cls, &mc, &share, &ev);
	assert_int_equal(cls, ST_CLASS_OTHER);
	st_event_clear(&ev);
}

static void test_malformed(void **state)
{
	struct st_event ev = { .pid = -1 };
	enum st_call_class cls;
	struct mem_call mc;
	char err[256], want[32];
	bool share;

	(void)state;
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		struct st_parser *p = st_parser_new();
		int lineno = 100 + (int)i;

		snprintf(want, sizeof(want), "line %d: ", lineno);
		if (parse1(p, malformed[i], lineno, &ev, err) == 0)
			fail_msg("accepted: %s", malformed[i]);
		if (strncmp(err, want, strlen(want)))
			fail_msg("%s: error '%s' does not name line %d", malformed[i], err, lineno);
		st_parser_free(p);
	}
	for (size_t i = 0; i < sizeof(bad_args) / sizeof(bad_args[0]); i++) {
		struct st_parser *p = st_parser_new();
		int lineno = 200 + (int)i;

		snprintf(want, sizeof(want), "line %d: ", lineno);
		if (parse1(p, bad_args[i], lineno, &ev, err) == 0 &&
		    st_classify(&ev, &cls, &mc, &share, err, sizeof(err)) == 0)
			fail_msg("accepted: %s", bad_args[i]);
		if (strncmp(err, want, strlen(want)))
			fail_msg("%s: error '%s' does not name line %d", bad_args[i], err, lineno);
		st_parser_free(p);
	}
	st_event_clear(&ev);
}

static void test_resumed_mismatch(void **state)
{
	struct st_parser *p = st_parser_new();
	struct st_event ev = { .pid = -1 };
	char err[256];

	(void)state;
	assert_int_equal(parse1(p, "5 mmap(NULL, 4096 <unfinished ...>", 3, &ev, err), 0);
	assert_int_equal(parse1(p, "5 munmap(0x1000, 4096 <unfinished ...>", 4, &ev, err), -1);
	assert_non_null(strstr(err, "line 4: "));
	assert_int_equal(parse1(p, "5 <... munmap resumed>) = 0", 5, &ev, err), -1);
	assert_non_null(strstr(err, "line 5: "));
	assert_int_equal(parse1(p, "5 <... mmap resumed>, 3) = zz", 6, &ev, err), -1);
	assert_non_null(strstr(err, "line 6: "));
	st_event_clear(&ev);
	st_parser_free(p);
}

/* Random mutations of real lines: no crash, no read past the line, and
 * every error names the line it was given. */
static void test_fuzz(void **state)
{
	static const char alphabet[] = "()<>[]{}\",|=-?0123456789xabcdef /*\\.:NULLEPROT_MAP_+<...>";
	const char *seeds[sizeof(shapes) / sizeof(shapes[0])];
	unsigned long long x = 0x9e3779b97f4a7c15ULL;
	const char *env = getenv("UMM_FUZZ_ITERS");
	long iters = env ? atol(env) : 100000;
	struct st_event ev = { .pid = -1 };
	struct st_parser *p = st_parser_new();
	char line[512], err[256], want[32];

	(void)state;
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		seeds[i] = shapes[i].line;
	for (long it = 0; it < iters; it++) {
		size_t n;
		int lineno = (int)(it % 100000) + 1;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		snprintf(line, sizeof(line), "%s", seeds[x % (sizeof(seeds) / sizeof(seeds[0]))]);
		n = strlen(line);
		for (int m = 0, k = (int)(x >> 60) % 4 + 1; m < k; m++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t pos = n ? (x >> 8) % n : 0;

			switch ((x >> 4) % 3) {
			case 0: /* replace */
				if (n)
					line[pos] = alphabet[(x >> 20) % (sizeof(alphabet) - 1)];
				break;
			case 1: /* cut */
				line[pos] = '\0';
				n = pos;
				break;
			default: /* insert */
				if (n + 1 < sizeof(line)) {
					memmove(line + pos + 1, line + pos, n - pos + 1);
					line[pos] = alphabet[(x >> 20) % (sizeof(alphabet) - 1)];
					n++;
				}
			}
		}
		snprintf(want, sizeof(want), "line %d: ", lineno);
		if (parse1(p, line, lineno, &ev, err) == 0) {
			enum st_call_class cls;
			struct mem_call mc;
			bool share;

			if (ev.kind == ST_CALL && st_classify(&ev, &cls, &mc, &share, err, sizeof(err)) &&
			    strncmp(err, want, strlen(want)))
				fail_msg("'%s': '%s' does not name its line", line, err);
		} else if (strncmp(err, want, strlen(want))) {
			fail_msg("'%s': '%s' does not name its line", line, err);
		}
		/* Let unfinished halves pile up only so far. */
		if (it % 64 == 0) {
			st_parser_free(p);
			p = st_parser_new();
		}
	}
	st_event_clear(&ev);
	st_parser_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_unfinished_resumed),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_touch_and_anon_name),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_resumed_mismatch),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
