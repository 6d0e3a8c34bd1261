/*
 * flags.c - the table behind flags.h and the three ways of reading it:
 * by name, by value in an enumeration, and as strace's bit-or form.
 */
#include "trace/flags.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HUGE_SHIFT 26

struct flag_name {
	enum flag_set set;
	unsigned long value;
	const char *name;
	bool alias; /* read, never written */
};

#define F(set, value, name) { FLAGS_##set, (unsigned long)(value), name, false }
#define ALIAS(set, value, name) { FLAGS_##set, (unsigned long)(value), name, true }

static const struct flag_name table[] = {
	ALIAS(PROT, 0, "PROT_NONE"),
	F(PROT, 0x1, "PROT_READ"), F(PROT, 0x2, "PROT_WRITE"), F(PROT, 0x4, "PROT_EXEC"),
	F(PROT, 0x8, "PROT_SEM"), F(PROT, 0x01000000, "PROT_GROWSDOWN"),
	F(PROT, 0x02000000, "PROT_GROWSUP"),

	F(MAP_TYPE, 0, "MAP_FILE"), F(MAP_TYPE, 1, "MAP_SHARED"), F(MAP_TYPE, 2, "MAP_PRIVATE"),
	F(MAP_TYPE, 3, "MAP_SHARED_VALIDATE"),
	/* strace 6.1 predates MAP_DROPPABLE and MAP_ABOVE4G: written in hex. */
	F(MAP, 0x10, "MAP_FIXED"), F(MAP, 0x20, "MAP_ANONYMOUS"), F(MAP, 0x40, "MAP_32BIT"),
	F(MAP, 0x4000, "MAP_NORESERVE"), F(MAP, 0x8000, "MAP_POPULATE"),
	F(MAP, 0x10000, "MAP_NONBLOCK"), F(MAP, 0x100, "MAP_GROWSDOWN"),
	F(MAP, 0x800, "MAP_DENYWRITE"), F(MAP, 0x1000, "MAP_EXECUTABLE"),
	F(MAP, 0x2000, "MAP_LOCKED"), F(MAP, 0x20000, "MAP_STACK"), F(MAP, 0x40000, "MAP_HUGETLB"),
	F(MAP, 0x80000, "MAP_SYNC"), F(MAP, 0x100000, "MAP_FIXED_NOREPLACE"),
	ALIAS(MAP, 0x08, "MAP_DROPPABLE"), ALIAS(MAP, 0x20, "MAP_ANON"),
	ALIAS(MAP, 0x4000000, "MAP_UNINITIALIZED"), ALIAS(MAP, HUGE_SHIFT, "MAP_HUGE_SHIFT"),
	ALIAS(MAP, 16UL << HUGE_SHIFT, "MAP_HUGE_64KB"),
	ALIAS(MAP, 19UL << HUGE_SHIFT, "MAP_HUGE_512KB"),
	ALIAS(MAP, 20UL << HUGE_SHIFT, "MAP_HUGE_1MB"), ALIAS(MAP, 21UL << HUGE_SHIFT, "MAP_HUGE_2MB"),
	ALIAS(MAP, 23UL << HUGE_SHIFT, "MAP_HUGE_8MB"), ALIAS(MAP, 24UL << HUGE_SHIFT, "MAP_HUGE_16MB"),
	ALIAS(MAP, 25UL << HUGE_SHIFT, "MAP_HUGE_32MB"),
	ALIAS(MAP, 28UL << HUGE_SHIFT, "MAP_HUGE_256MB"),
	ALIAS(MAP, 29UL << HUGE_SHIFT, "MAP_HUGE_512MB"),
	ALIAS(MAP, 30UL << HUGE_SHIFT, "MAP_HUGE_1GB"), ALIAS(MAP, 31UL << HUGE_SHIFT, "MAP_HUGE_2GB"),
	ALIAS(MAP, 34UL << HUGE_SHIFT, "MAP_HUGE_16GB"),

	F(MREMAP, 1, "MREMAP_MAYMOVE"), F(MREMAP, 2, "MREMAP_FIXED"), F(MREMAP, 4, "MREMAP_DONTUNMAP"),

	F(MADV, 0, "MADV_NORMAL"), F(MADV, 1, "MADV_RANDOM"), F(MADV, 2, "MADV_SEQUENTIAL"),
	F(MADV, 3, "MADV_WILLNEED"), F(MADV, 4, "MADV_DONTNEED"), F(MADV, 8, "MADV_FREE"),
	F(MADV, 9, "MADV_REMOVE"), F(MADV, 10, "MADV_DONTFORK"), F(MADV, 11, "MADV_DOFORK"),
	F(MADV, 12, "MADV_MERGEABLE"), F(MADV, 13, "MADV_UNMERGEABLE"),
	F(MADV, 14, "MADV_HUGEPAGE"), F(MADV, 15, "MADV_NOHUGEPAGE"), F(MADV, 16, "MADV_DONTDUMP"),
	F(MADV, 17, "MADV_DODUMP"), F(MADV, 18, "MADV_WIPEONFORK"), F(MADV, 19, "MADV_KEEPONFORK"),
	F(MADV, 20, "MADV_COLD"), F(MADV, 21, "MADV_PAGEOUT"), F(MADV, 22, "MADV_POPULATE_READ"),
	F(MADV, 23, "MADV_POPULATE_WRITE"), F(MADV, 24, "MADV_DONTNEED_LOCKED"),
	F(MADV, 25, "MADV_COLLAPSE"), F(MADV, 100, "MADV_HWPOISON"),
	F(MADV, 101, "MADV_SOFT_OFFLINE"),
	/* strace 6.1 writes the guard advice in hex. */
	ALIAS(MADV, 102, "MADV_GUARD_INSTALL"), ALIAS(MADV, 103, "MADV_GUARD_REMOVE"),

	F(MLOCK, 1, "MLOCK_ONFAULT"),
	F(MCL, 1, "MCL_CURRENT"), F(MCL, 2, "MCL_FUTURE"), F(MCL, 4, "MCL_ONFAULT"),
	F(MS, 4, "MS_SYNC"), F(MS, 1, "MS_ASYNC"), F(MS, 2, "MS_INVALIDATE"),
	F(PKEY, 1, "PKEY_DISABLE_ACCESS"), F(PKEY, 2, "PKEY_DISABLE_WRITE"),
	F(PKEY, 4, "PKEY_DISABLE_EXECUTE"),
	F(SHM, 010000, "SHM_RDONLY"), F(SHM, 020000, "SHM_RND"), F(SHM, 040000, "SHM_REMAP"),
	F(SHM, 0100000, "SHM_EXEC"),

	F(CLONE, 0x100, "CLONE_VM"), F(CLONE, 0x200, "CLONE_FS"), F(CLONE, 0x400, "CLONE_FILES"),
	F(CLONE, 0x800, "CLONE_SIGHAND"), F(CLONE, 0x1000, "CLONE_PIDFD"),
	F(CLONE, 0x2000, "CLONE_PTRACE"), F(CLONE, 0x4000, "CLONE_VFORK"),
	F(CLONE, 0x8000, "CLONE_PARENT"), F(CLONE, 0x10000, "CLONE_THREAD"),
	F(CLONE, 0x20000, "CLONE_NEWNS"), F(CLONE, 0x40000, "CLONE_SYSVSEM"),
	F(CLONE, 0x80000, "CLONE_SETTLS"), F(CLONE, 0x100000, "CLONE_PARENT_SETTID"),
	F(CLONE, 0x200000, "CLONE_CHILD_CLEARTID"), F(CLONE, 0x400000, "CLONE_DETACHED"),
	F(CLONE, 0x800000, "CLONE_UNTRACED"), F(CLONE, 0x1000000, "CLONE_CHILD_SETTID"),
	F(CLONE, 0x2000000, "CLONE_NEWCGROUP"), F(CLONE, 0x4000000, "CLONE_NEWUTS"),
	F(CLONE, 0x8000000, "CLONE_NEWIPC"), F(CLONE, 0x10000000, "CLONE_NEWUSER"),
	F(CLONE, 0x20000000, "CLONE_NEWPID"), F(CLONE, 0x40000000, "CLONE_NEWNET"),
	F(CLONE, 0x80000000UL, "CLONE_IO"),

	F(OPEN_MODE, 0, "O_RDONLY"), F(OPEN_MODE, 1, "O_WRONLY"), F(OPEN_MODE, 2, "O_RDWR"),
	F(OPEN_MODE, 3, "O_ACCMODE"),
	/* after the access mode; a name whose bits include another's first */
	F(OPEN, 0x40, "O_CREAT"), F(OPEN, 0x80, "O_EXCL"), F(OPEN, 0x100, "O_NOCTTY"),
	F(OPEN, 0x200, "O_TRUNC"), F(OPEN, 0x400, "O_APPEND"), F(OPEN, 0x800, "O_NONBLOCK"),
	F(OPEN, 0x101000, "O_SYNC"), F(OPEN, 0x1000, "O_DSYNC"), F(OPEN, 0x2000, "FASYNC"),
	F(OPEN, 0x4000, "O_DIRECT"), F(OPEN, 0x8000, "O_LARGEFILE"), F(OPEN, 0x410000, "O_TMPFILE"),
	F(OPEN, 0x10000, "O_DIRECTORY"), F(OPEN, 0x20000, "O_NOFOLLOW"),
	F(OPEN, 0x40000, "O_NOATIME"), F(OPEN, 0x80000, "O_CLOEXEC"), F(OPEN, 0x200000, "O_PATH"),

	F(MFD, 1, "MFD_CLOEXEC"), F(MFD, 2, "MFD_ALLOW_SEALING"), F(MFD, 4, "MFD_HUGETLB"),
	F(MFD, 8, "MFD_NOEXEC_SEAL"), F(MFD, 0x10, "MFD_EXEC"), ALIAS(MFD, 26, "MFD_HUGE_SHIFT"),
	ALIAS(MFD, 21UL << 26, "MFD_HUGE_2MB"), ALIAS(MFD, 30UL << 26, "MFD_HUGE_1GB"),

	ALIAS(PERSONALITY, 0, "PER_LINUX"),
	F(PERSONALITY, 0x20000, "UNAME26"), F(PERSONALITY, 0x40000, "ADDR_NO_RANDOMIZE"),
	F(PERSONALITY, 0x80000, "FDPIC_FUNCPTRS"), F(PERSONALITY, 0x100000, "MMAP_PAGE_ZERO"),
	F(PERSONALITY, 0x200000, "ADDR_COMPAT_LAYOUT"),
	F(PERSONALITY, 0x400000, "READ_IMPLIES_EXEC"),
	F(PERSONALITY, 0x800000, "ADDR_LIMIT_32BIT"), F(PERSONALITY, 0x1000000, "SHORT_INODE"),
	F(PERSONALITY, 0x2000000, "WHOLE_SECONDS"), F(PERSONALITY, 0x4000000, "STICKY_TIMEOUTS"),
	F(PERSONALITY, 0x8000000, "ADDR_LIMIT_3GB"),

	F(RLIMIT, 0, "RLIMIT_CPU"), F(RLIMIT, 1, "RLIMIT_FSIZE"), F(RLIMIT, 2, "RLIMIT_DATA"),
	F(RLIMIT, 3, "RLIMIT_STACK"), F(RLIMIT, 4, "RLIMIT_CORE"), F(RLIMIT, 5, "RLIMIT_RSS"),
	F(RLIMIT, 6, "RLIMIT_NPROC"), F(RLIMIT, 7, "RLIMIT_NOFILE"), F(RLIMIT, 8, "RLIMIT_MEMLOCK"),
	F(RLIMIT, 9, "RLIMIT_AS"), F(RLIMIT, 10, "RLIMIT_LOCKS"), F(RLIMIT, 11, "RLIMIT_SIGPENDING"),
	F(RLIMIT, 12, "RLIMIT_MSGQUEUE"), F(RLIMIT, 13, "RLIMIT_NICE"),
	F(RLIMIT, 14, "RLIMIT_RTPRIO"), F(RLIMIT, 15, "RLIMIT_RTTIME"),
	ALIAS(RLIMIT, ~0UL, "RLIM_INFINITY"), ALIAS(RLIMIT, ~0UL, "RLIM64_INFINITY"),

	ALIAS(OTHER, 0, "NULL"),
	ALIAS(OTHER, 0x53564d41, "PR_SET_VMA"), ALIAS(OTHER, 0, "PR_SET_VMA_ANON_NAME"),
	ALIAS(OTHER, 41, "PR_SET_THP_DISABLE"), ALIAS(OTHER, 42, "PR_GET_THP_DISABLE"),
	ALIAS(OTHER, 65, "PR_SET_MDWE"), ALIAS(OTHER, 66, "PR_GET_MDWE"),
	ALIAS(OTHER, 1, "PR_MDWE_REFUSE_EXEC_GAIN"), ALIAS(OTHER, 2, "PR_MDWE_NO_INHERIT"),
	ALIAS(OTHER, 2, "PR_THP_DISABLE_EXCEPT_ADVISED"),
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

/* The prefix of "0xN / * PFX_??? * /", per set. */
static const char *const prefixes[] = {
	[FLAGS_PROT] = "PROT", [FLAGS_MAP_TYPE] = "MAP", [FLAGS_MAP] = "MAP",
	[FLAGS_MREMAP] = "MREMAP", [FLAGS_MADV] = "MADV", [FLAGS_MLOCK] = "MLOCK",
	[FLAGS_MCL] = "MCL", [FLAGS_MS] = "MS", [FLAGS_PKEY] = "PKEY", [FLAGS_SHM] = "SHM",
	[FLAGS_CLONE] = "CLONE", [FLAGS_OPEN] = "O", [FLAGS_OPEN_MODE] = "O", [FLAGS_MFD] = "MFD",
	[FLAGS_PERSONALITY] = "PER", [FLAGS_RLIMIT] = "RLIMIT", [FLAGS_OTHER] = "",
};

bool flag_value(const char *name, size_t len, unsigned long *value)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (strlen(table[i].name) == len && !strncmp(table[i].name, name, len)) {
			*value = table[i].value;
			return true;
		}
	return false;
}

const char *flag_name(enum flag_set set, unsigned long value)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].set == set && !table[i].alias && table[i].value == value)
			return table[i].name;
	return NULL;
}

/* Appends to buf[len] at *o, truncating. */
__attribute__((format(printf, 4, 5))) static void put(char *buf, size_t len, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*o >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *o, len - *o, fmt, ap);
	va_end(ap);
	if (n > 0)
		*o += (size_t)n < len - *o ? (size_t)n : len - *o - 1;
}

char *flag_bits(char *buf, size_t len, enum flag_set set, unsigned long v, const char *zero)
{
	unsigned long rest = v;
	size_t o = 0;
	bool any = false;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!v) {
		put(buf, len, &o, "%s", zero ? zero : "0");
		return buf;
	}
	for (size_t i = 0; i < NTABLE; i++) {
		const struct flag_name *f = &table[i];

		if (f->set != set || f->alias || !f->value || (v & f->value) != f->value)
			continue;
		put(buf, len, &o, "%s%s", any ? "|" : "", f->name);
		rest &= ~f->value;
		any = true;
	}
	if (!any)
		put(buf, len, &o, "%#lx /* %s_??? */", rest, prefixes[set]);
	else if (rest)
		put(buf, len, &o, "|%#lx", rest);
	return buf;
}

char *flag_mmap_flags(char *buf, size_t len, unsigned long v)
{
	unsigned long type = v & 0xf, huge = (v >> HUGE_SHIFT) & 0x3f, rest = v & 0x03fffff0UL;
	const char *name = flag_name(FLAGS_MAP_TYPE, type);
	size_t o = 0;

	if (!len)
		return buf;
	if (name)
		put(buf, len, &o, "%s", name);
	else
		put(buf, len, &o, "%#lx /* MAP_??? */", type);
	if (rest) {
		put(buf, len, &o, "|");
		flag_bits(buf + o, len - o, FLAGS_MAP, rest, NULL);
		o += strlen(buf + o);
	}
	if (huge)
		put(buf, len, &o, "|%lu<<MAP_HUGE_SHIFT", huge);
	return buf;
}
