/*
 * replay.c - owns the replay engine (replay.h): the table of traced
 * pids, the address spaces they share or own, the per-pid cache of file
 * handles behind mmap's fds, and the dispatch of memory calls to usermm.
 *
 * File handles: an fd with a -y path gets one umm_file per (pid, fd,
 * path), so repeated mmaps of one open file use one handle and merge as
 * the kernel's mappings of one struct file do. A memory-only trace does
 * not say how the file was opened: the handle is opened O_RDWR if this
 * user may write the file, else O_RDONLY (this matters only to MAP_SHARED
 * mappings). Files that cannot be looked at on this host (unlinked,
 * memfd, anon_inode, sockets) get a handle made in memory from the path.
 * An open or memfd_create line of the trace says more: the mode (O_PATH:
 * a handle mmap refuses) and whether a memfd is a hugetlbfs file.
 *
 * Across execve and fork a space keeps what the process set: its limits,
 * capabilities and, as umm_mm_inherit says, personality, MDWE and the THP
 * switch, unless the snapshot's header gives them.
 */
#define _GNU_SOURCE
#include "replay/replay.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAP_ANONYMOUS_FLAG 0x20

struct space {
	struct umm_mm *mm;
	int refs;
	unsigned long calls;     /* calls applied so far */
	bool brk_unknown;        /* the snapshot did not tell where brk is */
	bool brk_seen;           /* a brk call was applied */
	char *snapshot;          /* kept for replay_seed_brk */
	struct umm_import_opts iopts;
	struct umm_config cfg;
};

struct fdent {
	int fd;
	bool deleted;
	char *path;
	struct umm_file *file;
	int open_flags; /* from an openat line of the trace; -1: unknown */
	unsigned int huge_shift; /* a hugetlbfs memfd (memfd_create line) */
};

struct proc {
	long pid;
	bool alive;
	struct space *sp;
	struct fdent *fds;
	size_t nfds;
};

struct replay {
	struct replay_opts o;
	struct proc *procs;
	size_t n, cap;
};

static void note(struct replay *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->o.notes)
		return;
	va_start(ap, fmt);
	fputs("usermm replay: note: ", r->o.notes);
	vfprintf(r->o.notes, fmt, ap);
	fputc('\n', r->o.notes);
	va_end(ap);
}

/* ---------------------------------------------------------------------
 * Spaces
 * ------------------------------------------------------------------- */

static void space_put(struct space *sp)
{
	if (!sp || --sp->refs > 0)
		return;
	umm_mm_destroy(sp->mm);
	free(sp->snapshot);
	free(sp);
}

/* What a snapshot's header may say beyond maps text. */
struct header {
	unsigned long mmap_base;
	bool has_persona, has_caps;
	unsigned long persona;
	unsigned long caps;
	unsigned int rlimits; /* bit i: rlim[i] given (as, data, memlock, stack) */
	struct umm_rlimit rlim[4];
};

static const char *const rlimit_keys[4] = { " rlimit_as=", " rlimit_data=", " rlimit_memlock=",
					     " rlimit_stack=" };

/* "key=0x..." inside the line [s, s+n), as hex. */
static bool header_value(const char *s, size_t n, const char *key, unsigned long *v)
{
	const char *t = strstr(s, key);

	if (!t || t >= s + n)
		return false;
	*v = strtoul(t + strlen(key), NULL, 16);
	return true;
}

static void parse_header_line(const char *s, size_t n, struct umm_import_opts *io,
			      struct header *h)
{
	const char *t;

	header_value(s, n, "start_brk=", &io->start_brk);
	header_value(s, n, " brk=", &io->brk);
	header_value(s, n, "start_stack=", &io->start_stack);
	header_value(s, n, "mmap_base=", &h->mmap_base);
	h->has_persona |= header_value(s, n, " personality=", &h->persona);
	h->has_caps |= header_value(s, n, " caps=", &h->caps);
	for (int i = 0; i < 4; i++) {
		if (!header_value(s, n, rlimit_keys[i], &h->rlim[i].cur))
			continue;
		t = strstr(s, rlimit_keys[i]);
		t = strchr(t, ':');
		if (t && t < s + n)
			h->rlim[i].max = strtoul(t + 1, NULL, 16);
		h->rlimits |= 1U << i;
	}
}

/* "# usermm: start_brk=0x... brk=0x... start_stack=0x... mmap_base=0x...
 * personality=0x... caps=0x... rlimit_as=CUR:MAX ..." lines give what
 * maps text cannot; other '#' lines are comments. The text handed to the
 * import has them all removed. */
static char *strip_header(const char *text, struct umm_import_opts *io, struct header *h)
{
	char *out = malloc(strlen(text) + 1), *o = out;

	for (const char *s = text; out && *s;) {
		size_t n = strcspn(s, "\n");

		if (*s != '#') {
			memcpy(o, s, n + (s[n] == '\n'));
			o += n + (s[n] == '\n');
		} else if (!strncmp(s, "# usermm:", 9)) {
			parse_header_line(s, n, io, h);
		}
		s += n + (s[n] == '\n');
	}
	if (o)
		*o = '\0';
	return out;
}

/* The limits and capabilities the process keeps across execve (prev's),
 * unless the header says what they are now. */
static void config_carried(struct umm_config *cfg, struct umm_mm *prev, const struct header *h,
			   bool fixed)
{
	struct umm_rlimit *slot[4] = { &cfg->rlimit_as, &cfg->rlimit_data, &cfg->rlimit_memlock,
				       &cfg->rlimit_stack };
	struct umm_config old;

	if (prev && !fixed) {
		umm_mm_config(prev, &old);
		cfg->cap_ipc_lock = old.cap_ipc_lock;
		cfg->cap_sys_rawio = old.cap_sys_rawio;
		cfg->cap_sys_admin = old.cap_sys_admin;
		cfg->cap_sys_resource = old.cap_sys_resource;
	}
	if (prev) {
		umm_mm_config(prev, &old);
		cfg->rlimit_as = old.rlimit_as;
		cfg->rlimit_data = old.rlimit_data;
		cfg->rlimit_memlock = old.rlimit_memlock;
		cfg->rlimit_stack = old.rlimit_stack;
	}
	for (int i = 0; i < 4; i++)
		if (h->rlimits & (1U << i))
			*slot[i] = h->rlim[i];
	if (h->has_caps && !fixed) {
		cfg->cap_ipc_lock = (h->caps >> UMM_CAP_IPC_LOCK) & 1;
		cfg->cap_sys_rawio = (h->caps >> UMM_CAP_SYS_RAWIO) & 1;
		cfg->cap_sys_admin = (h->caps >> UMM_CAP_SYS_ADMIN) & 1;
		cfg->cap_sys_resource = (h->caps >> UMM_CAP_SYS_RESOURCE) & 1;
	}
}

/* Builds sp->mm from sp->cfg, sp->snapshot and sp->iopts. */
static int space_build(struct space *sp, char *err, size_t errlen)
{
	int bad = 0, rc;

	sp->mm = umm_mm_create(&sp->cfg);
	if (!sp->mm) {
		snprintf(err, errlen, "cannot create an address space (bad configuration?)");
		return -EINVAL;
	}
	if (!sp->snapshot)
		return 0;
	rc = umm_maps_import(sp->mm, sp->snapshot, &sp->iopts, &bad);
	if (rc) {
		snprintf(err, errlen, "maps snapshot: %s%s%d", strerror(-rc),
			 bad ? " at line " : "", bad);
		umm_mm_destroy(sp->mm);
		sp->mm = NULL;
	}
	return rc;
}

/* A new image's space; prev is the one execve replaces (NULL: none). */
static struct space *space_from_maps(struct replay *r, const char *text, struct umm_mm *prev,
				     char *err, size_t errlen)
{
	struct space *sp = calloc(1, sizeof(*sp));
	struct header h = { 0 };

	if (!sp)
		return NULL;
	sp->refs = 1;
	sp->cfg = r->o.cfg;
	if (text) {
		sp->snapshot = strip_header(text, &sp->iopts, &h);
		if (!sp->snapshot) {
			free(sp);
			return NULL;
		}
		if (!sp->cfg.mmap_base)
			sp->cfg.mmap_base = h.mmap_base ? h.mmap_base
							: umm_maps_infer_mmap_base(sp->snapshot);
	}
	config_carried(&sp->cfg, prev, &h, r->o.fixed_caps);
	sp->brk_unknown = !sp->iopts.start_brk && !(text && strstr(sp->snapshot, "[heap]"));
	if (space_build(sp, err, errlen)) {
		space_put(sp);
		return NULL;
	}
	if (prev)
		umm_mm_inherit(sp->mm, prev);
	if (h.has_persona)
		umm_personality(sp->mm, h.persona);
	return sp;
}

/* fork's copy (umm_mm_fork): the child's space, sharing its pages with
 * the parent's, with the parent's replay state. */
static struct space *space_copy(struct space *parent, char *err, size_t errlen)
{
	struct space *sp = calloc(1, sizeof(*sp));
	long rc;

	if (!sp)
		return NULL;
	sp->refs = 1;
	umm_mm_config(parent->mm, &sp->cfg);
	sp->iopts = parent->iopts;
	sp->calls = parent->calls;
	sp->brk_unknown = parent->brk_unknown;
	sp->brk_seen = parent->brk_seen;
	rc = umm_mm_fork(parent->mm, &sp->mm);
	if (rc) {
		snprintf(err, errlen, "fork: %s", strerror((int)-rc));
		space_put(sp);
		return NULL;
	}
	return sp;
}

/* ---------------------------------------------------------------------
 * Processes
 * ------------------------------------------------------------------- */

static struct proc *find_proc(const struct replay *r, long pid)
{
	for (size_t i = r->n; i-- > 0;)
		if (r->procs[i].pid == pid)
			return &r->procs[i];
	return NULL;
}

static void fds_clear(struct proc *p)
{
	for (size_t i = 0; i < p->nfds; i++) {
		free(p->fds[i].path);
		umm_file_put(p->fds[i].file);
	}
	free(p->fds);
	p->fds = NULL;
	p->nfds = 0;
}

/* The pid's entry, new or reused (a dead pid may come back). */
static struct proc *proc_slot(struct replay *r, long pid)
{
	struct proc *p = find_proc(r, pid);

	if (p) {
		space_put(p->sp);
		p->sp = NULL;
		return p;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		struct proc *np = realloc(r->procs, cap * sizeof(*np));

		if (!np)
			return NULL;
		r->procs = np;
		r->cap = cap;
	}
	p = &r->procs[r->n++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	return p;
}

struct replay *replay_new(const struct replay_opts *opts)
{
	struct replay *r = calloc(1, sizeof(*r));

	if (r)
		r->o = *opts;
	return r;
}

void replay_free(struct replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		fds_clear(&r->procs[i]);
		space_put(r->procs[i].sp);
	}
	free(r->procs);
	free(r);
}

int replay_exec(struct replay *r, long pid, const char *maps_text, char *err, size_t errlen)
{
	struct proc *old = find_proc(r, pid);
	struct umm_mm *prev = old && old->alive && old->sp ? old->sp->mm : NULL;
	struct space *sp = space_from_maps(r, maps_text, prev, err, errlen);
	struct proc *p;

	if (!sp)
		return -EINVAL;
	p = proc_slot(r, pid);
	if (!p) {
		space_put(sp);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	p->sp = sp;
	p->alive = true;
	return 0;
}

static int copy_fds(struct proc *child, const struct proc *parent)
{
	fds_clear(child);
	if (!parent->nfds)
		return 0;
	child->fds = calloc(parent->nfds, sizeof(*child->fds));
	if (!child->fds)
		return -ENOMEM;
	for (size_t i = 0; i < parent->nfds; i++) {
		child->fds[i] = parent->fds[i];
		child->fds[i].path = parent->fds[i].path ? strdup(parent->fds[i].path) : NULL;
		umm_file_get(child->fds[i].file);
		child->nfds++;
		if (parent->fds[i].path && !child->fds[i].path)
			return -ENOMEM;
	}
	return 0;
}

int replay_clone(struct replay *r, long parent, long child, bool share_vm, char *err,
		 size_t errlen)
{
	struct proc *pp = find_proc(r, parent), *cp;
	struct space *sp;
	size_t pidx;
	char who[32];

	if (!pp || !pp->alive) {
		snprintf(err, errlen, "clone: the parent (%s) is not known",
			 replay_pid_name(parent, who, sizeof(who)));
		return -ESRCH;
	}
	sp = share_vm ? pp->sp : space_copy(pp->sp, err, errlen);
	if (!sp)
		return -ENOMEM;
	if (share_vm)
		sp->refs++;
	pidx = (size_t)(pp - r->procs); /* proc_slot may move the table */
	cp = proc_slot(r, child);
	if (!cp || copy_fds(cp, &r->procs[pidx])) {
		space_put(sp);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	cp->sp = sp;
	cp->alive = true;
	return 0;
}

void replay_exit(struct replay *r, long pid)
{
	struct proc *p = find_proc(r, pid);

	if (!p || !p->alive)
		return;
	p->alive = false;
	fds_clear(p);
	if (!r->o.keep_exited) {
		space_put(p->sp);
		p->sp = NULL;
	}
}

bool replay_has_pid(const struct replay *r, long pid)
{
	const struct proc *p = find_proc(r, pid);

	return p && p->alive;
}

int replay_rename(struct replay *r, long old_pid, long new_pid)
{
	struct proc *p = find_proc(r, old_pid), *q = find_proc(r, new_pid);

	if (!p || (q && q->alive))
		return -EEXIST;
	if (q) { /* a dead entry under the new number: drop it */
		fds_clear(q);
		space_put(q->sp);
		q->sp = NULL;
		q->pid = -2;
	}
	p->pid = new_pid;
	return 0;
}

struct umm_mm *replay_mm(struct replay *r, long pid)
{
	struct proc *p = find_proc(r, pid);

	return p && p->sp ? p->sp->mm : NULL;
}

size_t replay_pids(const struct replay *r, long *out, size_t max)
{
	for (size_t i = 0; i < r->n && i < max; i++)
		out[i] = r->procs[i].pid;
	return r->n;
}

bool replay_seed_brk(struct replay *r, long pid, unsigned long brk)
{
	struct proc *p = find_proc(r, pid);
	struct space *sp = p ? p->sp : NULL;
	char who[32];
	int err;

	if (!sp || !sp->brk_unknown || sp->brk_seen || !brk || (brk & 4095))
		return false;
	err = umm_mm_set_brk(sp->mm, brk, brk);
	if (err) {
		note(r, "%s: cannot set the break to %#lx: %s",
		     replay_pid_name(pid, who, sizeof(who)), brk, strerror(-err));
		return false;
	}
	sp->brk_unknown = false;
	return true;
}

/* ---------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------- */

/* A handle for a file this host cannot show us, from its name alone
 * (and what the trace said of the fd). */
static struct umm_file *file_from_name(const char *path, bool deleted, const struct fdent *e)
{
	struct umm_file_desc d = {
		.path = path,
		.mode = UMM_FILE_READ | UMM_FILE_WRITE,
		.kind = UMM_FILE_REGULAR,
		.deleted = deleted,
	};

	if (e->open_flags >= 0 && (e->open_flags & O_PATH))
		d.mode = UMM_FILE_PATH;
	if (e->huge_shift) {
		d.kind = UMM_FILE_SHMEM;
		d.huge_shift = e->huge_shift;
	} else if (!strncmp(path, "/memfd:", 7) || !strncmp(path, "/dev/shm/", 9)) {
		d.kind = UMM_FILE_SHMEM;
		d.dev_minor = 1; /* the internal shm mount, 0:1 */
	} else if (!strncmp(path, "socket:", 7) || !strncmp(path, "pipe:", 5)) {
		d.mmap_errno = -ENODEV;
	} else if (path[0] != '/') {
		d.kind = UMM_FILE_CHAR; /* anon_inode:[...] and the like */
	}
	return umm_file_create(&d);
}

static struct umm_file *file_open(struct replay *r, const char *path, bool deleted,
				  const struct fdent *e)
{
	int open_flags = e->open_flags;
	struct umm_file *f = NULL;
	int err = 0;

	/* An unlinked file's name may now be another file: do not look. */
	if (e->huge_shift)
		return file_from_name(path, deleted, e);
	if (!deleted && path[0] == '/' && open_flags >= 0)
		f = umm_file_open_path(path, open_flags & (O_ACCMODE | O_APPEND | O_PATH), &err);
	else if (!deleted && path[0] == '/') {
		f = umm_file_open_path(path, O_RDWR, &err);
		if (!f)
			f = umm_file_open_path(path, O_RDONLY, &err);
	}
	if (!f) {
		if (!deleted && path[0] == '/')
			note(r, "%s: %s; using a handle made from its name", path, strerror(-err));
		f = file_from_name(path, deleted, e);
	}
	return f;
}

/* The entry for fd in p, made (mode unknown) if there is none. */
static struct fdent *fd_entry(struct proc *p, int fd)
{
	struct fdent *grown;

	for (size_t i = 0; i < p->nfds; i++)
		if (p->fds[i].fd == fd)
			return &p->fds[i];
	grown = realloc(p->fds, (p->nfds + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	p->fds = grown;
	memset(&p->fds[p->nfds], 0, sizeof(*grown));
	p->fds[p->nfds].fd = fd;
	p->fds[p->nfds].open_flags = -1;
	return &p->fds[p->nfds++];
}

/* The handle for (pid, fd, path); a new path on an fd replaces the old. */
static struct umm_file *fd_file(struct replay *r, struct proc *p, int fd, const char *path,
				bool deleted)
{
	struct fdent *e;

	e = fd_entry(p, fd);
	if (!e)
		return NULL;
	if (e->file && e->deleted == deleted && e->path && !strcmp(e->path, path))
		return e->file;
	free(e->path);
	umm_file_put(e->file);
	e->path = strdup(path);
	e->deleted = deleted;
	e->file = e->path ? file_open(r, path, deleted, e) : NULL;
	return e->file;
}

void replay_fd_opened(struct replay *r, long pid, int fd, int open_flags)
{
	struct proc *p = find_proc(r, pid);
	struct fdent *e = p ? fd_entry(p, fd) : NULL;

	if (!e)
		return;
	/* A new open file description: the next mmap makes a new handle. */
	umm_file_put(e->file);
	e->file = NULL;
	e->open_flags = open_flags;
	e->huge_shift = 0;
}

void replay_fd_memfd(struct replay *r, long pid, int fd, unsigned long mfd_flags)
{
	struct proc *p = find_proc(r, pid);
	struct fdent *e;
	unsigned int size_log = (mfd_flags >> 26) & 0x3f;

	replay_fd_opened(r, pid, fd, O_RDWR);
	e = p ? fd_entry(p, fd) : NULL;
	if (e && (mfd_flags & 4 /* MFD_HUGETLB */))
		e->huge_shift = size_log ? size_log : 21;
}

/* ---------------------------------------------------------------------
 * Calls
 * ------------------------------------------------------------------- */

static long do_mmap(struct replay *r, struct proc *p, const struct mem_call *c)
{
	const unsigned long *a = c->arg;
	struct umm_file *file = c->file;

	/* A -y trace prints a path for every open fd: no path, no file,
	 * and the kernel's fget fails (EBADF) unless MAP_ANONYMOUS. */
	if (!file && c->path && !(a[3] & MAP_ANONYMOUS_FLAG)) {
		file = fd_file(r, p, (int)a[4], c->path, c->deleted);
		if (!file)
			return -ENOMEM;
	}
	return umm_mmap(p->sp->mm, a[0], a[1], (int)a[2], (int)a[3], file, a[5]);
}

/* mincore writes one byte per page into the traced process's memory.
 * strace prints the vector's contents, not its address, so replay cannot
 * check that address (umm_mincore_user would) and uses a scratch vector
 * (up to 64 GiB of range; beyond that no vector, which only an error
 * path survives). */
static long do_mincore(struct umm_mm *mm, const unsigned long *a)
{
	unsigned long pages = (a[1] >> 12) + ((a[1] & 4095) != 0);
	unsigned char *vec = pages && pages <= (1UL << 24) ? malloc(pages) : NULL;
	long ret = umm_mincore(mm, a[0], a[1], vec);

	free(vec);
	return ret;
}

/* The calls that need no more than the address space and the numbers. */
static bool plain_call(struct umm_mm *mm, const struct mem_call *c, long *ret)
{
	const unsigned long *a = c->arg;

	switch (c->op) {
	case MEM_MLOCK:
		*ret = umm_mlock(mm, a[0], a[1]);
		return true;
	case MEM_MLOCK2:
		*ret = umm_mlock2(mm, a[0], a[1], (unsigned int)a[2]);
		return true;
	case MEM_MUNLOCK:
		*ret = umm_munlock(mm, a[0], a[1]);
		return true;
	case MEM_MLOCKALL:
		*ret = umm_mlockall(mm, (int)a[0]);
		return true;
	case MEM_MUNLOCKALL:
		*ret = umm_munlockall(mm);
		return true;
	case MEM_MSYNC:
		*ret = umm_msync(mm, a[0], a[1], (int)a[2]);
		return true;
	case MEM_MINCORE:
		*ret = do_mincore(mm, a);
		return true;
	case MEM_MSEAL:
		*ret = umm_mseal(mm, a[0], a[1], a[2]);
		return true;
	case MEM_MREMAP:
		*ret = umm_mremap(mm, a[0], a[1], a[2], a[3], a[4]);
		return true;
	case MEM_MADVISE:
		*ret = umm_madvise(mm, a[0], a[1], (int)a[2]);
		return true;
	case MEM_REMAP_FILE_PAGES:
		*ret = umm_remap_file_pages(mm, a[0], a[1], a[2], a[3], a[4]);
		return true;
	case MEM_PERSONALITY:
		*ret = umm_personality(mm, a[0]);
		return true;
	case MEM_PRCTL:
		*ret = umm_prctl(mm, (int)a[0], a[1], a[2], a[3], a[4]);
		return true;
	default:
		return false;
	}
}

/* setrlimit, or prlimit64 on the caller or another traced pid. */
static long do_setrlimit(struct replay *r, long pid, const struct mem_call *c, bool *supported)
{
	long target = c->arg[3] ? (long)c->arg[3] : pid;
	struct proc *t = find_proc(r, target);

	if (!t || !t->alive || !t->sp) {
		*supported = false; /* a process outside the trace */
		return 0;
	}
	return umm_setrlimit(t->sp->mm, (int)c->arg[0],
			     &(struct umm_rlimit){ c->arg[1], c->arg[2] });
}

long replay_call(struct replay *r, long pid, const struct mem_call *c, bool *supported)
{
	struct proc *p = find_proc(r, pid);
	struct umm_mm *mm = p && p->sp ? p->sp->mm : NULL;
	const unsigned long *a = c->arg;

	*supported = true;
	if (!mm || !p->alive) {
		*supported = false;
		return -ESRCH;
	}
	p->sp->calls++;
	switch (c->op) {
	case MEM_BRK:
		p->sp->brk_seen = true;
		return (long)umm_brk(mm, a[0]);
	case MEM_MMAP:
		return do_mmap(r, p, c);
	case MEM_MUNMAP:
		return umm_munmap(mm, a[0], a[1]);
	case MEM_MPROTECT:
		return umm_mprotect(mm, a[0], a[1], (int)a[2]);
	case MEM_PKEY_MPROTECT:
		/* pkey -1 is mprotect itself (both are do_mprotect_pkey). */
		return umm_pkey_mprotect(mm, a[0], a[1], (int)a[2], (int)a[3]);
	case MEM_PKEY_ALLOC:
		return umm_pkey_alloc(mm, a[0], a[1]);
	case MEM_PKEY_FREE:
		return umm_pkey_free(mm, (int)a[0]);
	case MEM_TOUCH:
		return umm_fault(mm, a[0], (int)a[1], NULL);
	case MEM_ANON_NAME:
		return umm_set_anon_name(mm, a[2], a[3], c->str);
	case MEM_SETRLIMIT:
		return do_setrlimit(r, pid, c, supported);
	case MEM_CAPS:
		if (!r->o.fixed_caps)
			umm_set_capabilities(mm, a[0]);
		return 0;
	default: {
		long ret;

		if (plain_call(mm, c, &ret))
			return ret;
		break;
	}
	}
	*supported = false;
	return 0;
}

const char *replay_pid_name(long pid, char *buf, size_t len)
{
	if (pid < 0)
		snprintf(buf, len, "the traced process");
	else
		snprintf(buf, len, "pid %ld", pid);
	return buf;
}
