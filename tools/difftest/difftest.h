/*
 * difftest.h - the parts of `usermm difftest` (the differential fuzzer
 * against this machine's kernel) and how they talk to each other:
 *   difftest_calls.c  the table of call kinds (syscall number, argument
 *                     types, usermm adapter, enabled bit) and the range a
 *                     call may change (the safety check);
 *   difftest_gen.c    the random call generator;
 *   difftest_child.c  the kernel side: a re-executed child that runs raw
 *                     syscalls on request, and its /proc files;
 *   difftest_touch.c  the child's touch: one access, its signal caught;
 *   difftest_files.c  the temp files and the fds both sides map;
 *   difftest_trace.c  strace-style rendering and the reproducer files;
 *   difftest_maps.c   maps comparison, the diff, the protected ranges;
 *   difftest.c        one seed: set-up, the lock-step loop, comparison,
 *                     divergence report and minimisation;
 *   cmd_difftest.c    the command line.
 */
#ifndef UMM_TOOLS_DIFFTEST_H
#define UMM_TOOLS_DIFFTEST_H

#include "report/progress.h"
#include "usermm.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define DT_PAGE 4096UL
#define DT_TASK_SIZE ((1UL << 47) - DT_PAGE)

/* ---- calls ------------------------------------------------------------ */

enum dt_kind {
	DT_MMAP,
	DT_MUNMAP,
	DT_MPROTECT,
	DT_BRK,
	DT_MREMAP,
	DT_MADVISE,
	DT_MLOCK,
	DT_MLOCK2,
	DT_MUNLOCK,
	DT_MLOCKALL,
	DT_MUNLOCKALL,
	DT_MSYNC,
	DT_MINCORE,
	DT_MSEAL,
	DT_PKEY_MPROTECT,
	DT_TOUCH,            /* one access by the child: umm_fault() */
	DT_PRCTL_ANON_NAME,  /* prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ...) */
	DT_PKEY_ALLOC,       /* the key map is the process's: no range */
	DT_PKEY_FREE,
	DT_REMAP_FILE_PAGES,
	DT_FORK,             /* the child forks; its child takes the calls: umm_mm_fork() */
	DT_JOIN,             /* the forked child exits; its parent takes the calls again */
	DT_NKINDS
};

/* Requests of the child that are not plain system calls (dt_kind_info.nr):
 * a touch (a[0] address, a[1] UMM_ACCESS_*), and the anon-name prctl,
 * whose name argument a[4] is an index into dt_anon_names (the child has
 * no memory of its own to put a string in). */
#define DT_NR_TOUCH (-2L)
/* usermm's result when both sides' results agree but a touch's bytes do
 * not (difftest.c). */
#define DT_BYTE_DIFFERS (-1000000L)
#define DT_NR_ANON_NAME (-3L)
/* fork: the forked child answers 0 (its pid in the byte's place) and
 * serves the requests until a join, on which it exits; its parent,
 * waiting for it meanwhile, then answers the join with DT_JOINED. A
 * fork while forked is -EBUSY, a join while not -ECHILD, on both sides. */
#define DT_NR_FORK (-4L)
#define DT_NR_JOIN (-5L)
#define DT_JOINED (-2000000L)
#define DT_PR_SET_VMA 0x53564d41UL
#define DT_NANON_NAMES 12
extern const char *const dt_anon_names[DT_NANON_NAMES];

/* How an argument prints in a trace. */
enum dt_arg {
	DA_NONE,
	DA_ADDR,     /* NULL or hex */
	DA_LEN,      /* decimal */
	DA_PROT,     /* PROT_* */
	DA_MFLAGS,   /* MAP_* */
	DA_FD,       /* 3</path> */
	DA_OFF,      /* hex */
	DA_HEX,      /* plain hex (flags we have no names for) */
	DA_INT,      /* decimal, signed */
	DA_PR_OPTION,   /* PR_SET_VMA */
	DA_PR_VMA_ATTR, /* PR_SET_VMA_ANON_NAME */
	DA_ANON_NAME,   /* "name" from dt_anon_names, or NULL */
};

/* One call, with the raw argument values both sides get. */
struct dt_call {
	enum dt_kind kind;
	unsigned long a[6];
};

/* The usermm side of a session: the space and a handle per fd. */
#define DT_FD_LIMIT 64
struct dt_umm {
	struct umm_mm *mm;
	struct umm_mm *parent; /* after a fork: the parent's space, mm the child's */
	struct umm_file *files[DT_FD_LIMIT]; /* by fd number; NULL: not open */
	long byte; /* a touch's byte (read, or 0xc3 written), or -1: none known */
};

struct dt_kind_info {
	const char *name;
	long nr;                 /* the syscall number */
	enum dt_arg args[6];
	bool addr_result;        /* the result prints as an address */
	unsigned int weight;     /* how often the generator picks it */
	/* usermm's version of the call, NULL while the library lacks it */
	long (*umm)(struct dt_umm *u, const struct dt_call *c);
};

/* The table; a kind is enabled when its umm adapter is not NULL. */
extern const struct dt_kind_info dt_kinds[DT_NKINDS];
bool dt_kind_enabled(enum dt_kind k);
/* The kind named name ("mmap"), or -1. */
int dt_kind_by_name(const char *name);

/* A half-open range of addresses. */
struct dt_range {
	unsigned long start, end;
};

/* The range a call may change, or false if it changes nothing in any
 * case (refused before any change, or it never replaces a mapping). */
bool dt_call_reach(const struct dt_call *c, struct dt_range *out);
/* Whether the call leaves every protected range alone. */
bool dt_call_safe(const struct dt_call *c, const struct dt_range *prot, int nprot);

/* difftest_mem.c: the part of an smaps text the memory comparison
 * looks at (see there), malloc'ed. */
char *dt_mem_view(const char *smaps, const struct dt_range *prot, int nprot);
/* prot, and the ranges of the VMAs an smaps text shows MADV_MERGEABLE,
 * malloc'ed in *out; their number, or -1 without memory. */
int dt_mergeable_ranges(const char *smaps, const struct dt_range *prot, int nprot,
			struct dt_range **out);

/* ---- files ------------------------------------------------------------ */

/* One fd the calls may pass (the same number in the parent and child). */
struct dt_fd {
	int fd;
	int flags;        /* the open(2) flags, for the trace's openat line */
	const char *what; /* for reports: "regular file, O_RDONLY" */
	/* A memfd: its name and memfd_create flags, for a memfd_create line. */
	const char *memfd_name;
	unsigned int mfd_flags;
};

#define DT_MAX_FDS 16
struct dt_files {
	char dir[64];      /* the temp directory under /tmp */
	char shm[64];      /* the file on /dev/shm */
	char reg[96], small[96], gone[96]; /* the files in dir */
	struct dt_fd fds[DT_MAX_FDS];
	int nfds;
	bool keep;         /* leave the files for a reproducer */
};

int dt_files_open(struct dt_files *f);
void dt_files_close(struct dt_files *f);
/* Removes the files (async-signal-safe: for a signal handler too). */
void dt_files_remove(const struct dt_files *f);

/* ---- the kernel child ------------------------------------------------- */

struct dt_child {
	pid_t pid;
	pid_t forked; /* after a fork: the forked child serving the requests, else 0 */
	int req_fd, resp_fd;
};

struct dt_child_opts {
	bool aslr;         /* keep address space randomisation */
	bool unprivileged; /* drop CAP_SYS_RAWIO, CAP_IPC_LOCK, CAP_SYS_ADMIN */
};

int dt_child_spawn(struct dt_child *c, const struct dt_child_opts *o);
/* Runs one raw syscall in the child: its result, or -errno. Sets *dead
 * if the child is gone (-EIO) or did not answer in 30 s (-ETIMEDOUT).
 * *byte (if not NULL): after a touch that read or wrote, the byte there
 * afterwards; otherwise -1. */
long dt_child_syscall(struct dt_child *c, long nr, const unsigned long a[6], bool *dead,
		      long *byte);
/* /proc/PID/<name> of the process serving the requests (the forked
 * child after a fork), malloc'ed; NULL on failure. */
char *dt_child_proc(const struct dt_child *c, const char *name);
/* The same of the child, forked or not. */
char *dt_child_proc_parent(const struct dt_child *c, const char *name);
void dt_child_stop(struct dt_child *c);
/* The child's touch (difftest_touch.c): the handlers, set up before the
 * child's snapshot, and one access: 0 or (signal << 8) | si_code; *byte
 * gets the byte a completed read saw or a write left (else -1). */
int dt_touch_setup(void);
long dt_touch(unsigned long addr, unsigned long access, long *byte);
/* The child's side: `usermm difftest --internal-child ...`. */
int dt_child_main(int argc, char **argv);
#define DT_CHILD_ARG "--internal-child"

/* ---- the generator ---------------------------------------------------- */

#define DT_MAX_OWNED 256
#define DT_MAX_POINTS 128
#define DT_NARENAS 3

struct dt_gen {
	uint64_t s;
	bool aslr;
	bool privileged;
	unsigned int skip;  /* kinds not to generate, 1 << kind */
	unsigned long brk0;
	struct dt_range arenas[DT_NARENAS];
	int narenas;
	struct dt_range owned[DT_MAX_OWNED]; /* ranges earlier mmaps got */
	int nowned;
	unsigned long points[DT_MAX_POINTS]; /* edges of earlier ranges */
	int npts;
	struct dt_range *live; /* the child's VMAs now, protected ones aside */
	int nlive, live_cap;
	const struct dt_files *files;
	const struct dt_range *prot; /* what must stay untouched */
	int nprot;
	/* touches: instruction fetches only where every byte is known (see
	 * difftest_touch.c), so not while the child's start had a heap */
	bool exec_ok;
	unsigned long stack_start;           /* the child's [stack], from maps */
	unsigned long growsdown[16];         /* MAP_GROWSDOWN mmaps' results */
	int ngrowsdown;
	bool forked; /* a fork was generated and no join since */
};

void dt_gen_init(struct dt_gen *g, uint64_t seed, unsigned long brk0, const struct dt_files *files,
		 const struct dt_range *prot, int nprot);
/* The next call (always safe against g->prot). */
void dt_gen_next(struct dt_gen *g, struct dt_call *c);
/* Learns from the kernel's result (new owned ranges) and its maps text
 * after the call (the VMAs there are now; maps may be NULL). */
void dt_gen_observe(struct dt_gen *g, const struct dt_call *c, long result, const char *maps);
void dt_gen_free(struct dt_gen *g);

/* ---- traces ----------------------------------------------------------- */

/* "mmap(NULL, 4096, ...) = 0x7ffff7ffe000" (no newline). */
void dt_print_call(FILE *out, const struct dt_call *c);
void dt_print_result(FILE *out, const struct dt_call *c, long r);
/* The files of a reproducer. */
struct dt_repro {
	const struct dt_call *calls;
	const long *results;   /* the kernel's */
	size_t n;
	unsigned long brk0;
	const char *smaps;     /* the child's start, as smaps and as maps */
	const char *maps;
	const char *after;     /* the kernel's maps after the last call */
};

/* Writes PREFIX.trace (calls with the kernel's results), PREFIX.smaps,
 * PREFIX.maps and PREFIX.after.maps; 0 or -1. */
int dt_write_repro(const char *prefix, const struct dt_repro *r, const struct dt_files *f);

/* ---- maps texts ------------------------------------------------------- */

/* The ranges of a maps text the calls must leave alone; *out malloc'ed. */
int dt_maps_protected(const char *maps, struct dt_range **out);

/* ---- one seed --------------------------------------------------------- */

struct dt_opts {
	uint64_t seed;
	unsigned long calls;
	bool minimize;
	unsigned int minimize_seconds;
	const char *out_prefix; /* reproducer files: PREFIX-seedN.{trace,maps,smaps} */
	unsigned int skip;      /* kinds not to generate, 1 << kind (--skip) */
	struct dt_child_opts child;
	bool verbose;
	struct progress *progress; /* the line on a terminal (NULL: none) */
};

struct dt_stats {
	unsigned long calls;       /* calls run on both sides */
	unsigned long divergences;
	unsigned long failures;    /* difftest itself failed (child died, import) */
};

/* Runs one seed; adds to *st. */
void dt_run_seed(const struct dt_opts *o, struct dt_files *files, struct dt_stats *st);

#endif
