/*
 * strace_fmt.c - owns the strace text of one traced call (see
 * strace_fmt.h): argument decoding, flag names in the order this
 * machine's strace 6.1 prints them, the result column. The orders and
 * shapes were read off this machine's strace output, call by call.
 */
#define _GNU_SOURCE
#include "trace/flags.h"
#include "trace/strace_fmt.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		b->cap = (b->cap + (size_t)n + 64) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
}

void sb_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

static void sb_char_escaped(struct sbuf *b, unsigned char c, unsigned char next)
{
	static const char named[] = "\a\b\t\n\v\f\r";
	static const char letters[] = "abtnvfr";
	const char *p = c ? strchr(named, c) : NULL;

	if (c == '"' || c == '\\')
		sb_printf(b, "\\%c", c);
	else if (p)
		sb_printf(b, "\\%c", letters[p - named]);
	else if (c >= 0x20 && c < 0x7f)
		sb_printf(b, "%c", c);
	else if (next >= '0' && next <= '7')
		sb_printf(b, "\\%03o", c); /* a short escape would swallow the digit */
	else
		sb_printf(b, "\\%o", c);
}

void sb_quoted(struct sbuf *b, const char *s, size_t max)
{
	size_t n = strlen(s);

	sb_printf(b, "\"");
	for (size_t i = 0; i < n && (!max || i < max); i++)
		sb_char_escaped(b, (unsigned char)s[i], (unsigned char)s[i + 1]);
	sb_printf(b, max && n > max ? "\"..." : "\"");
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void put_flags(struct sbuf *b, enum flag_set set, unsigned long v, const char *zero)
{
	char tmp[512];

	sb_printf(b, "%s", flag_bits(tmp, sizeof(tmp), set, v, zero));
}

struct call_name {
	long nr;
	const char *name;
	int memory;
};

static const struct call_name call_names[] = {
	{ SYS_brk, "brk", 1 },		 { SYS_mmap, "mmap", 1 },	   { SYS_munmap, "munmap", 1 },
	{ SYS_mprotect, "mprotect", 1 }, { SYS_pkey_mprotect, "pkey_mprotect", 1 },
	{ SYS_mremap, "mremap", 1 },	 { SYS_madvise, "madvise", 1 },	   { SYS_mlock, "mlock", 1 },
	{ SYS_mlock2, "mlock2", 1 },	 { SYS_munlock, "munlock", 1 },	   { SYS_mlockall, "mlockall", 1 },
	{ SYS_munlockall, "munlockall", 1 }, { SYS_msync, "msync", 1 },	   { SYS_mincore, "mincore", 1 },
	{ SFMT_NR_MSEAL, "syscall_0x1ce", 1 }, { SYS_shmat, "shmat", 1 },  { SYS_shmdt, "shmdt", 1 },
	{ SYS_pkey_alloc, "pkey_alloc", 1 }, { SYS_pkey_free, "pkey_free", 1 },
	{ SYS_prctl, "prctl", 1 }, /* only some options: sfmt_traced_call */
	{ SYS_remap_file_pages, "remap_file_pages", 1 },
	{ SYS_open, "open", 0 },	 { SYS_openat, "openat", 0 },
	{ SYS_memfd_create, "memfd_create", 0 },
	{ SYS_setrlimit, "setrlimit", 0 }, { SYS_prlimit64, "prlimit64", 0 },
	{ SYS_personality, "personality", 0 },
	{ SYS_capset, "capset", 0 },	 { SYS_setuid, "setuid", 0 },	   { SYS_setreuid, "setreuid", 0 },
	{ SYS_setresuid, "setresuid", 0 }, { SYS_setfsuid, "setfsuid", 0 },
	{ SYS_fork, "fork", 0 },	 { SYS_vfork, "vfork", 0 },	   { SYS_clone, "clone", 0 },
	{ SYS_clone3, "clone3", 0 },	 { SYS_execve, "execve", 0 },	   { SYS_execveat, "execveat", 0 },
	{ SYS_exit, "exit", 0 },	 { SYS_exit_group, "exit_group", 0 },
};

static const struct call_name *lookup(long nr)
{
	for (size_t i = 0; i < NELEM(call_names); i++)
		if (call_names[i].nr == nr)
			return &call_names[i];
	return NULL;
}

int sfmt_traced(long nr)
{
	return lookup(nr) != NULL;
}

int sfmt_traced_call(long nr, const unsigned long args[6])
{
	if (nr == SYS_prctl)
		return args[0] == SFMT_PR_SET_VMA || args[0] == 41 || args[0] == 42 ||
		       args[0] == 65 || args[0] == 66;
	return sfmt_traced(nr);
}

int sfmt_creds_call(long nr)
{
	return nr == SYS_capset || nr == SYS_setuid || nr == SYS_setreuid || nr == SYS_setresuid ||
	       nr == SYS_setfsuid;
}

void sfmt_caps_line(struct sbuf *b, unsigned long long effective)
{
	sb_printf(b, "usermm_caps(%#llx)", effective);
	while (b->len < 39)
		sb_printf(b, " ");
	sb_printf(b, " = 0");
}

int sfmt_returns_fd(long nr)
{
	return nr == SYS_open || nr == SYS_openat || nr == SYS_memfd_create;
}

int sfmt_memory_call(long nr)
{
	const struct call_name *c = lookup(nr);

	return c && c->memory;
}

int sfmt_hex_result(long nr)
{
	return nr == SYS_mmap || nr == SYS_mremap || nr == SYS_brk || nr == SYS_shmat;
}

void sfmt_signal(struct sbuf *b, int sig)
{
	const char *n = sig > 0 ? sigabbrev_np(sig) : NULL;

	if (n)
		sb_printf(b, "SIG%s", n);
	else
		sb_printf(b, "%d", sig);
}

static void put_addr(struct sbuf *b, unsigned long a)
{
	if (a)
		sb_printf(b, "%#lx", a);
	else
		sb_printf(b, "NULL");
}

static void put_prot(struct sbuf *b, unsigned long v)
{
	put_flags(b, FLAGS_PROT, v & 0xffffffffUL, "PROT_NONE");
}

/* The mapping type (low nibble) comes first, the huge page size last. */
static void put_map_flags(struct sbuf *b, unsigned long v)
{
	char tmp[512];

	sb_printf(b, "%s", flag_mmap_flags(tmp, sizeof(tmp), v));
}

/* "3</path>"; strace puts an unlinked file's mark outside: "</p>(deleted)". */
static void put_fd(struct sbuf *b, unsigned long fd, const char *path)
{
	size_t n = path ? strlen(path) : 0;

	sb_printf(b, "%d", (int)fd);
	if (n > 10 && !strcmp(path + n - 10, " (deleted)"))
		sb_printf(b, "<%.*s>(deleted)", (int)(n - 10), path);
	else if (path)
		sb_printf(b, "<%s>", path);
}

static void put_madvise(struct sbuf *b, unsigned long adv)
{
	unsigned int v = (unsigned int)adv;

	if (flag_name(FLAGS_MADV, v))
		sb_printf(b, "%s", flag_name(FLAGS_MADV, v));
	else
		sb_printf(b, "%#x /* MADV_??? */", v);
}

static void put_clone_flags(struct sbuf *b, unsigned long f, int with_signal)
{
	unsigned long sig = with_signal ? f & 0xff : 0;

	f &= with_signal ? ~0xffUL : ~0UL;
	if (f)
		put_flags(b, FLAGS_CLONE, f, NULL);
	if (sig) {
		sb_printf(b, f ? "|" : "");
		sfmt_signal(b, (int)sig);
	}
	if (!f && !sig)
		sb_printf(b, "0");
}

/* clone(flags, stack, parent_tid, child_tid, tls) on x86_64. */
static void fmt_clone(struct sbuf *b, const struct sfmt_call *c)
{
	unsigned long f = c->a[0];

	sb_printf(b, "child_stack=");
	put_addr(b, c->a[1]);
	sb_printf(b, ", flags=");
	put_clone_flags(b, f, 1);
	if (f & 0x100000)
		sb_printf(b, ", parent_tid=[%ld]", c->ret);
	if (f & 0x80000)
		sb_printf(b, ", tls=%#lx", c->a[4]);
	if (f & (0x1000000 | 0x200000))
		sb_printf(b, ", child_tidptr=%#lx", c->a[3]);
}

/* clone3's struct clone_args: flags, pidfd, child_tid, parent_tid,
 * exit_signal, stack, stack_size, tls. */
static void fmt_clone3(struct sbuf *b, const struct sfmt_call *c)
{
	const unsigned long *w = c->clone3;
	unsigned long f;

	if (!w || c->clone3_words < 8) {
		sb_printf(b, "%#lx, %lu", c->a[0], c->a[1]);
		return;
	}
	f = w[0];
	sb_printf(b, "{flags=");
	put_clone_flags(b, f, 0);
	if (f & 0x1000)
		sb_printf(b, ", pidfd=%#lx", w[1]);
	if (f & (0x1000000 | 0x200000))
		sb_printf(b, ", child_tid=%#lx", w[2]);
	if (f & 0x100000)
		sb_printf(b, ", parent_tid=%#lx", w[3]);
	sb_printf(b, ", exit_signal=");
	sfmt_signal(b, (int)w[4]);
	if (w[5] || w[6])
		sb_printf(b, ", stack=%#lx, stack_size=%#lx", w[5], w[6]);
	if (f & 0x80000)
		sb_printf(b, ", tls=%#lx", w[7]);
	sb_printf(b, "}");
	if ((f & 0x100000) && c->ret > 0)
		sb_printf(b, " => {parent_tid=[%ld]}", c->ret);
	sb_printf(b, ", %lu", c->a[1]);
}

/* mincore's vector: strace shows at most 32 entries. */
static void fmt_mincore_vec(struct sbuf *b, const struct sfmt_call *c)
{
	if (c->ret != 0 || !c->vec) {
		put_addr(b, c->a[2]);
		return;
	}
	sb_printf(b, "[");
	for (size_t i = 0; i < c->vec_len && i < 32; i++)
		sb_printf(b, "%s%u", i ? ", " : "", c->vec[i]);
	sb_printf(b, c->vec_len > 32 ? ", ...]" : "]");
}

static void fmt_mmap(struct sbuf *b, const struct sfmt_call *c)
{
	put_addr(b, c->a[0]);
	sb_printf(b, ", %lu, ", c->a[1]);
	put_prot(b, c->a[2]);
	sb_printf(b, ", ");
	put_map_flags(b, c->a[3] & 0xffffffffUL);
	sb_printf(b, ", ");
	put_fd(b, c->a[4], c->fd_path);
	sb_printf(b, ", %#lx", c->a[5]);
}

static void fmt_mremap(struct sbuf *b, const struct sfmt_call *c)
{
	unsigned long f = c->a[3] & 0xffffffffUL;

	put_addr(b, c->a[0]);
	sb_printf(b, ", %lu, %lu, ", c->a[1], c->a[2]);
	put_flags(b, FLAGS_MREMAP, f, NULL);
	if ((f & 3) == 3) {
		sb_printf(b, ", ");
		put_addr(b, c->a[4]);
	}
}

/* Calls of the shape (addr, len[, more]). */
static int fmt_range_call(struct sbuf *b, const struct sfmt_call *c)
{
	switch (c->nr) {
	case SYS_munmap: case SYS_mlock: case SYS_munlock: case SYS_mprotect:
	case SYS_pkey_mprotect: case SYS_madvise: case SYS_mlock2: case SYS_msync:
	case SYS_mincore:
		break;
	default:
		return 0;
	}
	put_addr(b, c->a[0]);
	sb_printf(b, ", %lu", c->a[1]);
	if (c->nr == SYS_munmap || c->nr == SYS_mlock || c->nr == SYS_munlock)
		return 1;
	sb_printf(b, ", ");
	if (c->nr == SYS_mprotect || c->nr == SYS_pkey_mprotect)
		put_prot(b, c->a[2]);
	if (c->nr == SYS_pkey_mprotect)
		sb_printf(b, ", %d", (int)c->a[3]);
	if (c->nr == SYS_madvise)
		put_madvise(b, c->a[2]);
	if (c->nr == SYS_mlock2)
		put_flags(b, FLAGS_MLOCK, c->a[2] & 0xffffffffUL, NULL);
	if (c->nr == SYS_msync)
		put_flags(b, FLAGS_MS, c->a[2] & 0xffffffffUL, NULL);
	if (c->nr == SYS_mincore)
		fmt_mincore_vec(b, c);
	return 1;
}

/* prctl(PR_SET_VMA, attr, addr, len, name), strace's default 32-byte
 * string limit included. */
static void fmt_set_vma(struct sbuf *b, const struct sfmt_call *c)
{
	if (c->a[1] != 0) {
		sb_printf(b, "PR_SET_VMA, %#lx /* PR_SET_VMA_??? */, %#lx, %#lx, %#lx", c->a[1],
			  c->a[2], c->a[3], c->a[4]);
		return;
	}
	sb_printf(b, "PR_SET_VMA, PR_SET_VMA_ANON_NAME, ");
	put_addr(b, c->a[2]);
	sb_printf(b, ", %lu, ", c->a[3]);
	if (c->str_arg)
		sb_quoted(b, c->str_arg, 32);
	else if (c->a[4])
		sb_printf(b, "%#lx", c->a[4]);
	else
		sb_printf(b, "NULL");
}

static void put_open_flags(struct sbuf *b, unsigned long f)
{
	unsigned long rest = f & ~3UL & 0xffffffffUL;

	sb_printf(b, "%s", flag_name(FLAGS_OPEN_MODE, f & 3));
	if (rest) {
		sb_printf(b, "|");
		put_flags(b, FLAGS_OPEN, rest, NULL);
	}
}

/* open(path, flags[, mode]) and openat(dirfd, path, flags[, mode]). */
static void fmt_open(struct sbuf *b, const struct sfmt_call *c)
{
	int at = c->nr == SYS_openat;
	unsigned long flags = c->a[at + 1];

	if (at && (int)c->a[0] == -100)
		sb_printf(b, c->dir_path ? "AT_FDCWD<%s>, " : "AT_FDCWD, ", c->dir_path);
	else if (at)
		sb_printf(b, c->dir_path ? "%d<%s>, " : "%d, ", (int)c->a[0], c->dir_path);
	if (c->path_arg)
		sb_quoted(b, c->path_arg, 0);
	else
		put_addr(b, c->a[at]);
	sb_printf(b, ", ");
	put_open_flags(b, flags);
	if ((flags & 0x40) || (flags & 0x410000) == 0x410000)
		sb_printf(b, ", %#lo", c->a[at + 2] & 07777);
}

static void fmt_memfd_create(struct sbuf *b, const struct sfmt_call *c)
{
	unsigned long f = c->a[1] & 0xffffffffUL, huge = f >> 26;

	if (c->path_arg)
		sb_quoted(b, c->path_arg, 0);
	else
		put_addr(b, c->a[0]);
	sb_printf(b, ", ");
	if (f & 0x3ffffff)
		put_flags(b, FLAGS_MFD, f & 0x3ffffff, NULL);
	if (huge)
		sb_printf(b, "%s%lu<<MFD_HUGE_SHIFT", (f & 0x3ffffff) ? "|" : "", huge);
	if (!f)
		sb_printf(b, "0");
}

static void put_rlim_value(struct sbuf *b, unsigned long v)
{
	if (v == ~0UL)
		sb_printf(b, "RLIM64_INFINITY");
	else if (v && !(v % 1024))
		sb_printf(b, "%lu*1024", v / 1024);
	else
		sb_printf(b, "%lu", v);
}

static void put_rlim(struct sbuf *b, unsigned long ptr, const unsigned long *v)
{
	if (!ptr) {
		sb_printf(b, "NULL");
	} else if (!v) {
		sb_printf(b, "%#lx", ptr);
	} else {
		sb_printf(b, "{rlim_cur=");
		put_rlim_value(b, v[0]);
		sb_printf(b, ", rlim_max=");
		put_rlim_value(b, v[1]);
		sb_printf(b, "}");
	}
}

/* setrlimit(resource, new) and prlimit64(pid, resource, new, old). */
static void fmt_rlimit(struct sbuf *b, const struct sfmt_call *c)
{
	int prl = c->nr == SYS_prlimit64;
	unsigned long res = c->a[prl] & 0xffffffffUL;

	if (prl)
		sb_printf(b, "%d, ", (int)c->a[0]);
	if (flag_name(FLAGS_RLIMIT, res))
		sb_printf(b, "%s, ", flag_name(FLAGS_RLIMIT, res));
	else
		sb_printf(b, "%#lx /* RLIMIT_??? */, ", res);
	put_rlim(b, c->a[prl + 1], c->rlim_new);
	if (prl) {
		sb_printf(b, ", ");
		put_rlim(b, c->a[3], c->ret == 0 ? c->rlim_old : NULL);
	}
}

/* A persona: its type (only PER_LINUX has a name here) and flags. */
static void put_persona(struct sbuf *b, unsigned long p)
{
	unsigned long flags = p & ~0xffUL;

	if (p & 0xff)
		sb_printf(b, "%#lx", p & 0xff);
	else
		sb_printf(b, "PER_LINUX");
	if (flags) {
		sb_printf(b, "|");
		put_flags(b, FLAGS_PERSONALITY, flags, NULL);
	}
}

/* The prctls traced besides PR_SET_VMA: THP's switch (arg2 decimal) and
 * MDWE, which strace 6.1 does not know ("0x41 / * PR_??? * /"). */
static void fmt_prctl(struct sbuf *b, const struct sfmt_call *c)
{
	int thp = c->a[0] == 41 || c->a[0] == 42;

	if (c->a[0] == SFMT_PR_SET_VMA) {
		fmt_set_vma(b, c);
		return;
	}
	if (thp)
		sb_printf(b, "%s, %lu", c->a[0] == 41 ? "PR_SET_THP_DISABLE" : "PR_GET_THP_DISABLE",
			  c->a[1]);
	else /* %#lx prints 0 as "0", as strace does */
		sb_printf(b, "%#lx /* PR_??? */, %#lx", c->a[0], c->a[1]);
	for (int i = 2; i < 5; i++)
		sb_printf(b, ", %#lx", c->a[i]);
}

static void fmt_other(struct sbuf *b, const struct sfmt_call *c)
{
	switch (c->nr) {
	case SYS_brk: case SYS_shmdt:
		put_addr(b, c->a[0]);
		break;
	case SYS_mlockall:
		put_flags(b, FLAGS_MCL, c->a[0] & 0xffffffffUL, NULL);
		break;
	case SYS_shmat:
		sb_printf(b, "%d, ", (int)c->a[0]);
		put_addr(b, c->a[1]);
		sb_printf(b, ", ");
		put_flags(b, FLAGS_SHM, c->a[2] & 0xffffffffUL, NULL);
		break;
	case SYS_pkey_alloc: /* flags in hex, as strace prints unknown ones */
		if (c->a[0])
			sb_printf(b, "%#lx, ", c->a[0]);
		else
			sb_printf(b, "0, ");
		put_flags(b, FLAGS_PKEY, c->a[1], NULL);
		break;
	case SYS_pkey_free:
		sb_printf(b, "%d", (int)c->a[0]);
		break;
	case SYS_prctl:
		fmt_prctl(b, c);
		break;
	case SYS_open: case SYS_openat:
		fmt_open(b, c);
		break;
	case SYS_memfd_create:
		fmt_memfd_create(b, c);
		break;
	case SYS_setrlimit: case SYS_prlimit64:
		fmt_rlimit(b, c);
		break;
	case SYS_personality:
		if ((unsigned int)c->a[0] == 0xffffffffU)
			sb_printf(b, "0xffffffff");
		else
			put_persona(b, c->a[0] & 0xffffffffUL);
		break;
	case SYS_remap_file_pages:
		put_addr(b, c->a[0]);
		sb_printf(b, ", %lu, ", c->a[1]);
		put_prot(b, c->a[2]);
		sb_printf(b, ", %lu, ", c->a[3]);
		put_map_flags(b, c->a[4] & 0xffffffffUL);
		break;
	case SFMT_NR_MSEAL: /* an unknown call to strace 6.1: six raw words */
		for (int i = 0; i < 6; i++)
			sb_printf(b, "%s%#lx", i ? ", " : "", c->a[i]);
		break;
	case SYS_clone:
		fmt_clone(b, c);
		break;
	case SYS_clone3:
		fmt_clone3(b, c);
		break;
	case SYS_execve: case SYS_execveat:
		sb_printf(b, "%s", c->exec_args ? c->exec_args : "");
		break;
	case SYS_exit: case SYS_exit_group:
		sb_printf(b, "%d", (int)c->a[0]);
		break;
	default: /* munlockall, fork, vfork: no arguments */
		break;
	}
}

void sfmt_call(struct sbuf *b, const struct sfmt_call *c)
{
	const struct call_name *n = lookup(c->nr);

	if (n)
		sb_printf(b, "%s(", n->name);
	else
		sb_printf(b, "syscall_%#lx(", (unsigned long)c->nr);
	if (c->nr == SYS_mmap)
		fmt_mmap(b, c);
	else if (c->nr == SYS_mremap)
		fmt_mremap(b, c);
	else if (!fmt_range_call(b, c))
		fmt_other(b, c);
	sb_printf(b, ")");
}

/* The kernel's restart codes, seen when a signal interrupts a call. */
static const char *restart_text(long e)
{
	switch (e) {
	case 512: return "ERESTARTSYS (To be restarted if SA_RESTART is set)";
	case 513: return "ERESTARTNOINTR (To be restarted)";
	case 514: return "ERESTARTNOHAND (To be restarted if no handler)";
	case 516: return "ERESTART_RESTARTBLOCK (Interrupted by signal)";
	default: return NULL;
	}
}

void sfmt_result(struct sbuf *b, size_t line_start, const struct sfmt_call *c)
{
	long r = c->ret;

	while (b->len - line_start < 39)
		sb_printf(b, " ");
	if (c->noreturn)
		sb_printf(b, " = ?");
	else if (r < 0 && r > -4096 && restart_text(-r))
		sb_printf(b, " = ? %s", restart_text(-r));
	else if (r < 0 && r > -4096 && strerrorname_np((int)-r))
		sb_printf(b, " = -1 %s (%s)", strerrorname_np((int)-r), strerror((int)-r));
	else if (r < 0 && r > -4096)
		sb_printf(b, " = -1 %ld (errno %ld)", -r, -r);
	else if (sfmt_hex_result(c->nr))
		sb_printf(b, " = %#lx", (unsigned long)r);
	else if (c->nr == SYS_personality) {
		sb_printf(b, r ? " = %#lx (" : " = %ld (", r);
		put_persona(b, (unsigned long)r);
		sb_printf(b, ")");
	} else {
		sb_printf(b, " = %ld", r);
		if (sfmt_returns_fd(c->nr) && c->ret_path) {
			struct sbuf t = { 0 };

			put_fd(&t, 0, c->ret_path); /* the "<path>" part only */
			sb_printf(b, "%s", t.s + 1);
			sb_free(&t);
		}
	}
}

void sfmt_strings(struct sbuf *b, char **strs, size_t n, int truncated)
{
	sb_printf(b, "[");
	for (size_t i = 0; i < n && i < 32; i++) {
		sb_printf(b, "%s", i ? ", " : "");
		sb_quoted(b, strs[i], 32);
	}
	sb_printf(b, (n > 32 || truncated) ? ", ...]" : "]");
}
