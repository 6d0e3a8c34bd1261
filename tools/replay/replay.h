/*
 * replay.h - owns the replay engine: one usermm address space per traced
 * pid, fed memory calls as numbers (struct mem_call), plus the process
 * events that create, replace and drop spaces (clone/fork, execve, exit).
 * It knows nothing of strace's text: `usermm replay` feeds it parsed
 * trace lines, a live tracer can feed it calls as they happen.
 *
 * Processes:
 *  - fork/clone without CLONE_VM gives the child umm_mm_fork's copy of
 *    the parent's space: its VMAs as fork leaves them (anon_vmas chained
 *    to the parent's, which decides later merges; the same file
 *    handles), its pages shared copy-on-write.
 *  - CLONE_VM (threads, vfork) shares the parent's space.
 *  - execve replaces the pid's space by one imported from the maps text
 *    the caller gives (NULL: an empty space).
 */
#ifndef UMM_TOOLS_REPLAY_H
#define UMM_TOOLS_REPLAY_H

#include "usermm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The memory calls a trace may hold. */
enum mem_op {
	MEM_BRK,
	MEM_MMAP,
	MEM_MUNMAP,
	MEM_MPROTECT,
	MEM_PKEY_MPROTECT,
	MEM_MREMAP,
	MEM_MADVISE,
	MEM_MLOCK,
	MEM_MLOCK2,
	MEM_MUNLOCK,
	MEM_MLOCKALL,
	MEM_MUNLOCKALL,
	MEM_MSYNC,
	MEM_MINCORE,
	MEM_MSEAL,
	MEM_PKEY_ALLOC, /* pkey_alloc(flags, init_val) */
	MEM_PKEY_FREE,  /* pkey_free(key) */
	/* usermm_touch(addr, PROT_*): difftest's record of one access (no
	 * system call); its result is umm_fault()'s encoding */
	MEM_TOUCH,
	MEM_ANON_NAME, /* prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, name) */
	MEM_REMAP_FILE_PAGES, /* remap_file_pages(start, size, prot, pgoff, flags) */
	/* setrlimit(2)/prlimit64(2) setting a limit a space keeps:
	 * resource, cur, max, and the target pid (0: the caller) */
	MEM_SETRLIMIT,
	MEM_PERSONALITY, /* personality(persona) */
	MEM_PRCTL,	 /* prctl(PR_SET/GET_MDWE, PR_SET/GET_THP_DISABLE, ...) */
	/* usermm_caps(EFFECTIVE) = 0: record's note of the effective
	 * capabilities after a call that changed them (capset, setuid, ...);
	 * also a successful capset line */
	MEM_CAPS,
	MEM_OTHER, /* another call strace counts as memory (mbind, ...) */
};

/*
 * One call, as the syscall's raw arguments in order (mmap: addr, len,
 * prot, flags, fd, off). For mmap's fd: path is what the fd names (the
 * -y annotation), NULL if the fd was not open; deleted marks an unlinked
 * file. file, if not NULL, is used as is instead (borrowed).
 */
struct mem_call {
	enum mem_op op;
	unsigned long arg[6];
	int nargs;
	const char *path;
	bool deleted;
	struct umm_file *file;
	const char *name; /* for MEM_OTHER and messages */
	const char *str;  /* MEM_ANON_NAME: the name (NULL: none) */
};

struct replay_opts {
	/* Privileges, limits, layout. mmap_base 0: inferred from each maps
	 * snapshot (umm_maps_infer_mmap_base), else the kernel's default. */
	struct umm_config cfg;
	/* The capabilities of cfg stand for every process: those a snapshot's
	 * header or a usermm_caps/capset line gives are ignored (the user
	 * said --privileged or --unprivileged). */
	bool fixed_caps;
	/* Keep the final space of pids that exited, for replay_mm(). */
	bool keep_exited;
	/* Notes on approximations go here (NULL: nowhere). */
	FILE *notes;
};

struct replay;

struct replay *replay_new(const struct replay_opts *opts);
void replay_free(struct replay *r);

/*
 * pid gets a new space built from maps_text (NULL: empty). Snapshot text
 * may start with "# usermm: key=value ..." lines giving start_brk, brk,
 * start_stack and mmap_base (hex), which maps text cannot show.
 * Returns 0 or a negative errno (message in err; bad line of the text).
 */
int replay_exec(struct replay *r, long pid, const char *maps_text, char *err, size_t errlen);
/* child starts with parent's space: shared (CLONE_VM) or copied. */
int replay_clone(struct replay *r, long parent, long child, bool share_vm, char *err,
		 size_t errlen);
/* The pid is gone; its space dies with its last user. */
void replay_exit(struct replay *r, long pid);
bool replay_has_pid(const struct replay *r, long pid);
/* A pid first known under a stand-in number (strace omits the pid while
 * it follows one process) gets its real one. */
int replay_rename(struct replay *r, long old_pid, long new_pid);

/*
 * Applies c to pid's space. Returns what the syscall returns (an address,
 * 0, or -errno); *supported false (and 0 returned) for a call usermm does
 * not implement yet, which then changes nothing. The pid must exist.
 */
/*
 * An open(2)/openat(2) line of the trace: fd now names a new open file
 * description opened with open_flags (O_RDONLY/O_WRONLY/O_RDWR, O_APPEND),
 * which the next mmap of fd uses instead of guessing the mode.
 */
void replay_fd_opened(struct replay *r, long pid, int fd, int open_flags);
/*
 * A memfd_create(2) line: fd names a new memfd made with these MFD_*
 * flags; with MFD_HUGETLB it is a hugetlbfs file (of the size its
 * MFD_HUGE_* bits give, else 2 MiB), whose mappings need huge pages.
 */
void replay_fd_memfd(struct replay *r, long pid, int fd, unsigned long mfd_flags);

long replay_call(struct replay *r, long pid, const struct mem_call *c, bool *supported);

/*
 * A space whose brk is not known (a snapshot without [heap] and without
 * a start_brk header) and which has seen no brk call yet has its break
 * set, from the first brk's recorded answer (brk(NULL), or a brk that
 * failed): the break area is still empty, so the break is where it
 * starts. Other calls may come first. Returns true if it was set.
 */
bool replay_seed_brk(struct replay *r, long pid, unsigned long brk);

/* How messages name pid: "pid N", or "the traced process" for the -1
 * of a trace that never showed its pid. Returns buf. */
const char *replay_pid_name(long pid, char *buf, size_t len);

/* The pid's space (live or, with keep_exited, final); NULL if none. */
struct umm_mm *replay_mm(struct replay *r, long pid);
/* Every pid known, in order of first appearance. */
size_t replay_pids(const struct replay *r, long *out, size_t max);

#endif
