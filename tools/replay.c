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
 */
#define _GNU_SOURCE
#include "replay.h"

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
	fputs("usermm: replay: note: ", r->o.notes);
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

/* "# usermm: start_brk=0x... brk=0x... start_stack=0x... mmap_base=0x..."
 * lines give what maps text cannot; other '#' lines are comments. The
 * text handed to the import has them all removed. */
static char *strip_header(const char *text, struct umm_import_opts *io, unsigned long *base)
{
	char *out = malloc(strlen(text) + 1), *o = out;

	for (const char *s = text; out && *s;) {
		size_t n = strcspn(s, "\n");

		if (*s != '#') {
			memcpy(o, s, n + (s[n] == '\n'));
			o += n + (s[n] == '\n');
		} else if (!strncmp(s, "# usermm:", 9)) {
			const char *t;

			if ((t = strstr(s, "start_brk=")) && t < s + n)
				io->start_brk = strtoul(t + 10, NULL, 16);
			if ((t = strstr(s, " brk=")) && t < s + n)
				io->brk = strtoul(t + 5, NULL, 16);
			if ((t = strstr(s, "start_stack=")) && t < s + n)
				io->start_stack = strtoul(t + 12, NULL, 16);
			if ((t = strstr(s, "mmap_base=")) && t < s + n)
				*base = strtoul(t + 10, NULL, 16);
		}
		s += n + (s[n] == '\n');
	}
	if (o)
		*o = '\0';
	return out;
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

static struct space *space_from_maps(struct replay *r, const char *text, char *err,
				     size_t errlen)
{
	struct space *sp = calloc(1, sizeof(*sp));
	unsigned long base = 0;

	if (!sp)
		return NULL;
	sp->refs = 1;
	sp->cfg = r->o.cfg;
	if (text) {
		sp->snapshot = strip_header(text, &sp->iopts, &base);
		if (!sp->snapshot) {
			free(sp);
			return NULL;
		}
		if (!sp->cfg.mmap_base)
			sp->cfg.mmap_base = base ? base : umm_maps_infer_mmap_base(sp->snapshot);
	}
	sp->brk_unknown = !sp->iopts.start_brk && !(text && strstr(sp->snapshot, "[heap]"));
	if (space_build(sp, err, errlen)) {
		space_put(sp);
		return NULL;
	}
	return sp;
}

/* A copy through maps text: see replay.h for what is lost. */
static struct space *space_copy(struct space *parent, char *err, size_t errlen)
{
	struct space *sp = calloc(1, sizeof(*sp));
	struct umm_mm_stats st;

	if (!sp)
		return NULL;
	sp->refs = 1;
	umm_mm_config(parent->mm, &sp->cfg);
	umm_mm_stats(parent->mm, &st);
	sp->iopts.start_brk = st.start_brk;
	sp->iopts.brk = st.brk;
	sp->iopts.start_stack = st.start_stack;
	sp->calls = parent->calls;
	sp->snapshot = umm_maps_string(parent->mm);
	if (!sp->snapshot || space_build(sp, err, errlen)) {
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
	struct space *sp = space_from_maps(r, maps_text, err, errlen);
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

	if (!pp || !pp->alive) {
		snprintf(err, errlen, "clone: parent pid %ld is not known", parent);
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
	struct umm_mm *old;
	char err[160];

	if (!sp || !sp->brk_unknown || sp->calls || !brk)
		return false;
	old = sp->mm;
	sp->cfg.start_brk = brk;
	sp->iopts.start_brk = sp->iopts.brk = brk;
	if (space_build(sp, err, sizeof(err))) {
		note(r, "pid %ld: cannot set the break to %#lx: %s", pid, brk, err);
		sp->mm = old;
		return false;
	}
	umm_mm_destroy(old);
	sp->brk_unknown = false;
	return true;
}

/* ---------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------- */

/* A handle for a file this host cannot show us, from its name alone. */
static struct umm_file *file_from_name(const char *path, bool deleted)
{
	struct umm_file_desc d = {
		.path = path,
		.mode = UMM_FILE_READ | UMM_FILE_WRITE,
		.kind = UMM_FILE_REGULAR,
		.deleted = deleted,
	};

	if (!strncmp(path, "/memfd:", 7) || !strncmp(path, "/dev/shm/", 9)) {
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
				  int open_flags)
{
	struct umm_file *f = NULL;
	int err = 0;

	/* An unlinked file's name may now be another file: do not look. */
	if (!deleted && path[0] == '/' && open_flags >= 0)
		f = umm_file_open_path(path, open_flags, &err);
	else if (!deleted && path[0] == '/') {
		f = umm_file_open_path(path, O_RDWR, &err);
		if (!f)
			f = umm_file_open_path(path, O_RDONLY, &err);
	}
	if (!f) {
		if (!deleted && path[0] == '/')
			note(r, "%s: %s; using a handle made from its name", path, strerror(-err));
		f = file_from_name(path, deleted);
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
	e->file = e->path ? file_open(r, path, deleted, e->open_flags) : NULL;
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
	default:
		return false;
	}
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
