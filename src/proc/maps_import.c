/*
 * maps_import.c - owns umm_maps_import (an address space rebuilt from a
 * real process's /proc/PID/maps or smaps text) and
 * umm_maps_infer_mmap_base.
 *
 * The work goes in stages so that nothing touches the mm until every
 * fallible step is done: parse every line, check the layout, build one
 * handle per file, make every VMA (with its flags), then link and account
 * them all under the lock. An error before the last stage leaves the mm
 * as it was.
 *
 * "[anon:NAME]" and "[anon_shmem:NAME]" (shared anonymous memory) give
 * the VMA that anon name, whatever cfg.anon_vma_name says: the text is
 * what a kernel did. A NAME the kernel could not have set (too long, or
 * a character it refuses) makes the line bad. Any other bracketed name
 * on a 00:00 0 line ([uprobes], ...) is dropped: those VMAs print without
 * a name.
 */
#define _GNU_SOURCE
#include "core/accounting.h"
#include "core/alloc.h"
#include "core/anon_name.h"
#include "core/file.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "core/vma_tree.h"
#include "proc/proc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define DELETED_SUFFIX " (deleted)"
#define MAX_DEV_MAJOR 0xfffULL  /* dev_t: 12 bits of major */
#define MAX_DEV_MINOR 0xfffffULL /* and 20 of minor */

enum line_kind {
	LK_ANON,
	LK_FILE,
	LK_SHMEM, /* shared anonymous memory: a shmem_zero_file */
	LK_HEAP,
	LK_STACK,
	LK_VDSO,
	LK_VVAR,
	LK_VVAR_VCLOCK,
	LK_VSYSCALL,
};

/* One mapping line, as parsed. */
struct map_line {
	unsigned long start, end;
	unsigned long long off;
	unsigned int maj, min;
	unsigned long ino;
	char perms[4];
	const char *name; /* into the text, not terminated; NULL if none */
	size_t name_len;
	enum line_kind kind;
	int lineno;
	bool has_vmflags; /* an smaps VmFlags line followed */
	vm_flags_t vmflags;
	bool has_anon; /* smaps shows anonymous pages (resident or swapped) */
	unsigned long pkey; /* smaps' ProtectionKey (a CPU with PKU), else 0 */
	const char *anon_name; /* NAME of [anon:NAME] / [anon_shmem:NAME], or NULL */
	size_t anon_name_len;
	size_t group; /* index into the file groups, for LK_FILE/LK_SHMEM */
};

/* The lines of a file that share one handle. */
struct file_group {
	unsigned int maj, min;
	unsigned long ino;
	const char *name;
	size_t name_len;
	bool shmem;
	bool writable; /* a shared line needs a read-write handle */
	unsigned long long size;
	struct umm_file *file;
};

struct import {
	struct umm_mm *mm; /* NULL while only parsing */
	const struct umm_allocator *alloc;
	struct map_line *lines;
	size_t n, cap;
	struct file_group *groups;
	size_t ngroups;
	struct vma **vmas; /* one per line, the gate included */
	int bad_line;
};

/* ---------------------------------------------------------------------
 * Scanning
 * ------------------------------------------------------------------- */

struct scan {
	const char *p, *end;
};

static bool at_end(const struct scan *s)
{
	return s->p >= s->end;
}

static bool take_char(struct scan *s, char c)
{
	if (at_end(s) || *s->p != c)
		return false;
	s->p++;
	return true;
}

static int hex_digit(char c)
{
	/* The kernel prints lowercase; anything else is not its output. */
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool take_hex(struct scan *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	int d, n = 0;

	while (!at_end(s) && (d = hex_digit(*s->p)) >= 0) {
		if (v > (ULLONG_MAX >> 4))
			return false;
		v = (v << 4) | (unsigned long long)d;
		s->p++;
		n++;
	}
	*out = v;
	return n > 0 && v <= max;
}

static bool take_dec(struct scan *s, unsigned long long *out)
{
	unsigned long long v = 0;
	int n = 0;

	while (!at_end(s) && *s->p >= '0' && *s->p <= '9') {
		unsigned int d = (unsigned int)(*s->p - '0');

		if (v > (ULLONG_MAX - d) / 10)
			return false;
		v = v * 10 + d;
		s->p++;
		n++;
	}
	*out = v;
	return n > 0;
}

static bool take_perms(struct scan *s, char perms[4])
{
	static const char yes[4] = { 'r', 'w', 'x', 's' };
	static const char no[4] = { '-', '-', '-', 'p' };

	if (s->end - s->p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		if (s->p[i] != yes[i] && s->p[i] != no[i])
			return false;
		perms[i] = s->p[i];
	}
	s->p += 4;
	return true;
}

/* "start-end perms offset major:minor inode" */
static bool parse_header(struct scan *s, struct map_line *l)
{
	unsigned long long start, end, maj, min, ino;

	if (!take_hex(s, ULONG_MAX, &start) || !take_char(s, '-') ||
	    !take_hex(s, ULONG_MAX, &end) || !take_char(s, ' ') || !take_perms(s, l->perms) ||
	    !take_char(s, ' ') || !take_hex(s, ULLONG_MAX, &l->off) || !take_char(s, ' ') ||
	    !take_hex(s, MAX_DEV_MAJOR, &maj) || !take_char(s, ':') ||
	    !take_hex(s, MAX_DEV_MINOR, &min) || !take_char(s, ' ') || !take_dec(s, &ino) ||
	    ino > ULONG_MAX)
		return false;
	l->start = (unsigned long)start;
	l->end = (unsigned long)end;
	l->maj = (unsigned int)maj;
	l->min = (unsigned int)min;
	l->ino = (unsigned long)ino;
	return true;
}

/* After the inode: nothing, or spaces and then the name (which keeps any
 * spaces of its own). The kernel leaves one trailing space when there is
 * no name. */
static bool parse_name(struct scan *s, struct map_line *l)
{
	l->name = NULL;
	l->name_len = 0;
	if (at_end(s))
		return true;
	if (!take_char(s, ' '))
		return false;
	while (!at_end(s) && *s->p == ' ')
		s->p++;
	if (!at_end(s)) {
		l->name = s->p;
		l->name_len = (size_t)(s->end - s->p);
	}
	return true;
}

static bool name_is(const struct map_line *l, const char *what)
{
	size_t n = strlen(what);

	return l->name_len == n && memcmp(l->name, what, n) == 0;
}

static bool name_starts(const struct map_line *l, const char *what)
{
	size_t n = strlen(what);

	return l->name_len >= n && memcmp(l->name, what, n) == 0;
}

static bool name_bracketed(const struct map_line *l)
{
	return l->name_len >= 2 && l->name[0] == '[' && l->name[l->name_len - 1] == ']';
}

static const struct {
	const char *name;
	enum line_kind kind;
} special_names[] = {
	{ "[heap]", LK_HEAP },	 { "[stack]", LK_STACK },
	{ "[vdso]", LK_VDSO },	 { "[vvar]", LK_VVAR },
	{ "[vvar_vclock]", LK_VVAR_VCLOCK }, { "[vsyscall]", LK_VSYSCALL },
};

/*
 * A file's name is an absolute path, or for files outside the mount tree
 * the "kind:detail" form the kernel makes up (anon_inode:[perf_event]).
 * A name ending in '\r' means the text had CRLF line ends, not a file.
 */
static bool file_name_ok(const struct map_line *l)
{
	size_t i = 0;

	if (l->name[l->name_len - 1] == '\r')
		return false;
	if (l->name[0] == '/')
		return true;
	while (i < l->name_len && (l->name[i] == '_' || (l->name[i] >= 'a' && l->name[i] <= 'z')))
		i++;
	return i > 0 && i < l->name_len && l->name[i] == ':';
}

/* The NAME of a "<prefix>NAME]" line name, if the kernel could have set
 * it; false otherwise. No such name is fine. */
static bool take_anon_name(struct map_line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!name_starts(l, prefix) || !name_bracketed(l))
		return true;
	l->anon_name = l->name + n;
	l->anon_name_len = l->name_len - n - 1;
	return anon_name_valid(l->anon_name, l->anon_name_len);
}

/* What the line's name makes it; false if the fields contradict it. */
static bool classify(struct map_line *l)
{
	bool zero_id = l->maj == 0 && l->min == 0 && l->ino == 0;
	bool shared = l->perms[3] == 's';

	if (name_is(l, "/dev/zero" DELETED_SUFFIX) || name_starts(l, "[anon_shmem:")) {
		l->kind = shared ? LK_SHMEM : LK_FILE;
		return shared ? take_anon_name(l, "[anon_shmem:") : l->name[0] == '/';
	}
	/* Only anon_shmem gives a bracketed name to a line with a file. */
	if (l->name && !name_bracketed(l)) {
		l->kind = LK_FILE;
		return file_name_ok(l);
	}
	/* Everything left is memory without a file: 00:00 0, offset 0 as the
	 * kernel prints for it, and never shared. */
	l->kind = LK_ANON;
	for (size_t i = 0; l->name && i < sizeof(special_names) / sizeof(special_names[0]); i++)
		if (name_is(l, special_names[i].name))
			l->kind = special_names[i].kind;
	return zero_id && l->off == 0 && !shared && take_anon_name(l, "[anon:");
}

static bool parse_map_line(const char *p, size_t len, struct map_line *l)
{
	struct scan s = { p, p + len };

	memset(l, 0, sizeof(*l));
	return parse_header(&s, l) && parse_name(&s, l) && classify(l);
}

/* ---------------------------------------------------------------------
 * smaps lines
 * ------------------------------------------------------------------- */

static vm_flags_t vmflag_of(const char *code)
{
	for (size_t i = 0; i < vmflag_ncodes; i++)
		if (code[0] == vmflag_codes[i].code[0] && code[1] == vmflag_codes[i].code[1])
			return vmflag_codes[i].flag;
	return 0;
}

/* " rd wr mr ... " after "VmFlags:": two-character codes, each after one
 * space; the kernel ends the list with a space. */
static bool parse_vmflags(struct scan *s, vm_flags_t *out)
{
	*out = 0;
	while (!at_end(s)) {
		if (!take_char(s, ' '))
			return false;
		if (at_end(s))
			break;
		if (s->end - s->p < 2 || s->p[0] == ' ' || s->p[1] == ' ')
			return false;
		*out |= vmflag_of(s->p);
		s->p += 2;
	}
	return true;
}

/* "Key:   123 kB" or "Key:   123": the other smaps fields. */
static bool parse_counter(struct scan *s, unsigned long long *v)
{
	if (!take_char(s, ' '))
		return false;
	while (!at_end(s) && *s->p == ' ')
		s->p++;
	if (!take_dec(s, v))
		return false;
	if (!at_end(s) && (!take_char(s, ' ') || !take_char(s, 'k') || !take_char(s, 'B')))
		return false;
	return at_end(s);
}

/* The length of "Key" when the line is "Key:...", else 0. */
static size_t key_len(const char *p, size_t len)
{
	size_t n = 0;

	while (n < len && (p[n] == '_' || (p[n] >= 'A' && p[n] <= 'Z') ||
			   (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9')))
		n++;
	return (n > 0 && n < len && p[n] == ':') ? n : 0;
}

/* An smaps field line, belonging to the mapping line l (NULL: none yet). */
static bool parse_key_line(const char *p, size_t len, size_t klen, struct map_line *l)
{
	struct scan s = { p + klen + 1, p + len };
	unsigned long long v;

	if (!l)
		return false;
	if (klen == 7 && memcmp(p, "VmFlags", 7) == 0) {
		if (l->has_vmflags)
			return false;
		l->has_vmflags = true;
		return parse_vmflags(&s, &l->vmflags);
	}
	if (!parse_counter(&s, &v))
		return false;
	if (klen == 13 && memcmp(p, "ProtectionKey", 13) == 0) {
		l->pkey = (unsigned long)v;
		return v < 16;
	}
	/* Anonymous pages, in memory or in swap, mean the kernel gave this
	 * VMA an anon_vma, which decides later merges. */
	if (v && ((klen == 9 && memcmp(p, "Anonymous", 9) == 0) ||
		  (klen == 4 && memcmp(p, "Swap", 4) == 0)))
		l->has_anon = true;
	return true;
}

/* ---------------------------------------------------------------------
 * The text
 * ------------------------------------------------------------------- */

static int push_line(struct import *im, const struct map_line *l)
{
	if (im->n == im->cap) {
		size_t cap = im->cap ? im->cap * 2 : 64;
		struct map_line *nl;

		nl = krealloc_array(im->alloc, im->lines, im->cap, cap, sizeof(*nl));
		if (!nl)
			return -ENOMEM;
		im->lines = nl;
		im->cap = cap;
	}
	im->lines[im->n++] = *l;
	return 0;
}

static int parse_one(struct import *im, const char *p, size_t len, int lineno)
{
	struct map_line l;
	size_t klen = key_len(p, len);

	if (klen)
		return parse_key_line(p, len, klen, im->n ? &im->lines[im->n - 1] : NULL) ?
			       0 :
			       -EINVAL;
	if (!parse_map_line(p, len, &l))
		return -EINVAL;
	l.lineno = lineno;
	return push_line(im, &l);
}

/* Splits the text into lines; the last one may lack its '\n'. */
static int parse_text(struct import *im, const char *text)
{
	int lineno = 0;

	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		int rc;

		lineno = lineno < INT_MAX ? lineno + 1 : INT_MAX;
		rc = parse_one(im, p, len, lineno);
		if (rc) {
			im->bad_line = lineno;
			return rc;
		}
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Checking the layout
 * ------------------------------------------------------------------- */

static vm_flags_t access_flags(const struct map_line *l)
{
	return (l->perms[0] == 'r' ? VM_READ : 0) | (l->perms[1] == 'w' ? VM_WRITE : 0) |
	       (l->perms[2] == 'x' ? VM_EXEC : 0);
}

static bool line_fits(const struct map_line *l, unsigned long task_size)
{
	/* Any page-aligned offset: the kernel keeps it in pages, so a device
	 * mapped near 2^64 may run past it in bytes, and a piece split off
	 * beyond it prints the offset wrapped. */
	if (l->start >= l->end || offset_in_page(l->start) || offset_in_page(l->end) ||
	    offset_in_page(l->off))
		return false;
	/* The gate area lies above user space; everything else inside it. */
	return l->kind == LK_VSYSCALL || l->end <= task_size;
}

/* Sorted, not overlapping, each inside user space, [vsyscall] last, the
 * VmFlags of smaps agreeing with the perms column. */
static int check_layout(struct import *im, unsigned long task_size)
{
	for (size_t i = 0; i < im->n; i++) {
		const struct map_line *l = &im->lines[i], *prev = i ? l - 1 : NULL;
		vm_flags_t acc = access_flags(l);
		bool shared = l->perms[3] == 's';

		if (!line_fits(l, task_size) || (prev && prev->kind == LK_VSYSCALL) ||
		    (prev && prev->end > l->start) ||
		    (l->has_vmflags && ((l->vmflags & VM_ACCESS_FLAGS) != acc ||
					!(l->vmflags & VM_MAYSHARE) != !shared))) {
			im->bad_line = l->lineno;
			return -EINVAL;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Files: one handle per (device, inode, name); shared anonymous memory
 * per (device, inode) alone, as its name may be an anon name.
 * ------------------------------------------------------------------- */

static bool same_group(const struct file_group *g, const struct map_line *l)
{
	if (g->maj != l->maj || g->min != l->min || g->ino != l->ino ||
	    g->shmem != (l->kind == LK_SHMEM))
		return false;
	return g->shmem || (g->name_len == l->name_len && memcmp(g->name, l->name, l->name_len) == 0);
}

static size_t group_hash(const struct map_line *l)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (size_t i = 0; l->kind != LK_SHMEM && i < l->name_len; i++)
		h = (h ^ (unsigned char)l->name[i]) * 1099511628211ULL;
	h ^= ((uint64_t)l->maj << 44) ^ ((uint64_t)l->min << 24) ^ l->ino;
	return (size_t)(h * 0x9e3779b97f4a7c15ULL >> 17);
}

/* A line joins its group; a shared line that may write needs a read-write
 * handle (without smaps: a writable shared line). */
static void join_group(struct file_group *g, const struct map_line *l)
{
	unsigned long long len = l->end - l->start;
	unsigned long long end = l->off > ULLONG_MAX - len ? ULLONG_MAX : l->off + len;
	bool may_write = l->has_vmflags ? (l->vmflags & VM_MAYWRITE) != 0 : l->perms[1] == 'w';

	if (end > g->size)
		g->size = end;
	if (l->perms[3] == 's' && may_write)
		g->writable = true;
}

/* Sorts the file lines into groups, with an open-addressed hash table of
 * group numbers (plus one; 0 is empty) so big texts stay linear. */
static int make_groups(struct import *im)
{
	size_t slots = 16, mask;
	size_t *table;

	while (slots < im->n * 2)
		slots *= 2;
	mask = slots - 1;
	table = kzalloc(im->alloc, slots * sizeof(*table));
	if (!table)
		return -ENOMEM;
	im->groups = kzalloc(im->alloc, (im->n ? im->n : 1) * sizeof(*im->groups));
	if (!im->groups) {
		kfree(im->alloc, table, slots * sizeof(*table));
		return -ENOMEM;
	}
	for (size_t i = 0; i < im->n; i++) {
		struct map_line *l = &im->lines[i];
		size_t h;

		if (l->kind != LK_FILE && l->kind != LK_SHMEM)
			continue;
		for (h = group_hash(l) & mask; table[h]; h = (h + 1) & mask)
			if (same_group(&im->groups[table[h] - 1], l))
				break;
		if (!table[h]) {
			struct file_group *g = &im->groups[im->ngroups++];

			*g = (struct file_group){ .maj = l->maj, .min = l->min, .ino = l->ino,
						  .name = l->name, .name_len = l->name_len,
						  .shmem = l->kind == LK_SHMEM };
			table[h] = im->ngroups;
		}
		l->group = table[h] - 1;
		join_group(&im->groups[l->group], l);
	}
	kfree(im->alloc, table, slots * sizeof(*table));
	return 0;
}

/* A handle for a file line: the name is the path, less " (deleted)".
 * Files on the internal shm mount (0:1: memfd, SysV shm) are shmem. */
static struct umm_file *group_file(const struct import *im, const struct file_group *g)
{
	size_t n = g->name_len, s = strlen(DELETED_SUFFIX);
	bool deleted = n > s && memcmp(g->name + n - s, DELETED_SUFFIX, s) == 0;
	char *path = kmalloc(im->alloc, n + 1);
	struct umm_file_desc d = {
		.dev_major = g->maj,
		.dev_minor = g->min,
		.ino = g->ino,
		.size = g->size,
		.mode = UMM_FILE_READ | (g->writable ? UMM_FILE_WRITE : 0),
		.kind = (g->maj == 0 && g->min == 1) ? UMM_FILE_SHMEM : UMM_FILE_REGULAR,
		.deleted = deleted,
	};
	struct umm_file *f;

	if (!path)
		return NULL;
	memcpy(path, g->name, n);
	path[deleted ? n - s : n] = '\0';
	d.path = path;
	/* A private /dev/zero mapping keeps the device's name (shared ones
	 * show as "/dev/zero (deleted)" shmem instead). */
	if (!deleted && !g->writable && strcmp(path, "/dev/zero") == 0) {
		d.dev_zero = true;
		d.kind = UMM_FILE_CHAR;
	}
	f = file_create(im->alloc, &d);
	kfree(im->alloc, path, n + 1);
	return f;
}

/* Shared anonymous memory: the hidden shmem file, on the device and with
 * the inode the text shows. */
static struct umm_file *group_shmem(const struct import *im, const struct file_group *g)
{
	struct umm_file *f = shmem_zero_file(im->alloc, g->ino, g->size);

	if (f) {
		f->desc.dev_major = g->maj;
		f->desc.dev_minor = g->min;
	}
	return f;
}

static int make_files(struct import *im)
{
	for (size_t i = 0; i < im->ngroups; i++) {
		struct file_group *g = &im->groups[i];

		g->file = g->shmem ? group_shmem(im, g) : group_file(im, g);
		if (!g->file)
			return -ENOMEM;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Flags
 * ------------------------------------------------------------------- */

#define VM_MAY_ALL (VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

/*
 * The part of an ELF data segment that the loader write-protects after
 * relocation (RELRO): a read-only private file line directly followed by
 * a writable private line of the same file at the next offset. It was
 * mapped writable, so it kept VM_ACCOUNT (smaps shows "ac" on it).
 */
static bool is_relro(const struct map_line *l, const struct map_line *next)
{
	return next && l->kind == LK_FILE && next->kind == LK_FILE && l->group == next->group &&
	       l->perms[1] == '-' && l->perms[3] == 'p' && next->perms[1] == 'w' &&
	       next->perms[3] == 'p' && l->end == next->start &&
	       next->off == l->off + (l->end - l->start);
}

/* A shared mapping: VM_SHARED and VM_MAYWRITE only through a handle that
 * may write (the kernel clears both for a read-only fd, keeps MAYSHARE). */
static vm_flags_t shared_flags(const struct map_line *l, const struct umm_file *f)
{
	vm_flags_t flags = access_flags(l) | VM_MAYSHARE | VM_MAYREAD | VM_MAYEXEC;

	if (f->desc.mode & UMM_FILE_WRITE)
		flags |= VM_SHARED | VM_MAYWRITE;
	return flags;
}

/*
 * The flags a typical process has on such a line, as observed on Linux
 * 6.18 x86_64 smaps: heap "rd wr mr mw me ac", stack "rd wr mr mw me gd
 * ac", vdso "rd ex mr mw me de", vvar and vvar_vclock "rd mr pf io de
 * dd", vsyscall "ex", private writable memory "ac". The perms column
 * gives rd/wr/ex. A heap part made read-only or inaccessible is treated
 * like any anonymous memory: the kernel gives its charge back when it was
 * never written (no anon_vma), which is what guard pages are.
 */
static vm_flags_t derive_flags(const struct map_line *l, const struct map_line *next,
			       const struct umm_file *f)
{
	vm_flags_t acc = access_flags(l);

	switch (l->kind) {
	case LK_STACK:
		return acc | VM_MAY_ALL | VM_GROWSDOWN | VM_ACCOUNT;
	case LK_VDSO:
		return acc | VM_MAY_ALL | VM_DONTEXPAND;
	case LK_VVAR:
	case LK_VVAR_VCLOCK:
		return acc | VM_MAYREAD | VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP;
	case LK_VSYSCALL:
		return acc;
	default:
		break;
	}
	if (l->perms[3] == 's')
		return shared_flags(l, f);
	if ((acc & VM_WRITE) || is_relro(l, next))
		return acc | VM_MAY_ALL | VM_ACCOUNT;
	return acc | VM_MAY_ALL;
}

static enum umm_special special_of(enum line_kind k)
{
	switch (k) {
	case LK_VDSO:
		return UMM_SPECIAL_VDSO;
	case LK_VVAR:
		return UMM_SPECIAL_VVAR;
	case LK_VVAR_VCLOCK:
		return UMM_SPECIAL_VVAR_VCLOCK;
	case LK_VSYSCALL:
		return UMM_SPECIAL_VSYSCALL;
	default:
		return UMM_SPECIAL_NONE;
	}
}

/* ---------------------------------------------------------------------
 * VMAs
 * ------------------------------------------------------------------- */

static struct vma *make_vma(const struct import *im, size_t i)
{
	const struct map_line *l = &im->lines[i];
	const struct map_line *next = i + 1 < im->n ? l + 1 : NULL;
	bool has_file = l->kind == LK_FILE || l->kind == LK_SHMEM;
	struct umm_file *f = has_file ? im->groups[l->group].file : NULL;
	struct vma *v = vma_alloc(im->mm);

	if (!v)
		return NULL;
	v->vm_start = l->start;
	v->vm_end = l->end;
	v->vm_flags = l->has_vmflags ? l->vmflags : derive_flags(l, next, f);
	v->vm_flags |= pkey_vm_flags((int)l->pkey); /* VmFlags never shows the key bits */
	v->special = special_of(l->kind);
	/* Files map at their offset; anonymous memory gets the pgoff the
	 * kernel gives it at creation (its address); special mappings 0. */
	if (has_file)
		v->vm_pgoff = (unsigned long)(l->off >> PAGE_SHIFT);
	else if (v->special == UMM_SPECIAL_NONE)
		v->vm_pgoff = l->start >> PAGE_SHIFT;
	v->vm_file = f ? umm_file_get(f) : NULL;
	if (l->anon_name) {
		v->anon_name = anon_vma_name_alloc(im->alloc, l->anon_name, l->anon_name_len);
		if (!v->anon_name) {
			vma_free(im->mm, v);
			return NULL;
		}
	}
	return v;
}

/* A marker standing for an anon_vma the kernel had: odd, so never a real
 * pointer, and unique to the VMA it is made from (addresses differ).
 * make_anon_vmas turns the markers into anon_vma objects at the end. */
static struct anon_vma *anon_marker(const struct vma *v)
{
	return (struct anon_vma *)(uintptr_t)(v->vm_start | 1);
}

/* Each marker becomes a root anon_vma with a chain of its own, shared by
 * the VMAs with that marker (a run of neighbours). Without memory, the
 * markers left are cleared and -ENOMEM returned. */
static int make_anon_vmas(struct import *im)
{
	struct anon_vma *marker = NULL;
	struct anon_chain *c = NULL;
	int rc = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct vma *v = im->vmas[i];

		if (!v->anon_vma)
			continue;
		if (v->anon_vma != marker) {
			marker = v->anon_vma;
			c = rc ? NULL : anon_chain_new_root(im->alloc);
			if (!c)
				rc = -ENOMEM;
		}
		v->anon_vma = NULL;
		if (c)
			vma_anon_attach(v, c->avs[0], c);
	}
	return rc;
}

/* A marker of a second kind (bit 1 set, which anon_marker's never
 * has: starts are page aligned), as unique to v. */
static struct anon_vma *apart_marker(const struct vma *v)
{
	return (struct anon_vma *)(uintptr_t)(v->vm_start | 3);
}

static bool may_share_anon(const struct vma *prev, const struct vma *v)
{
	return prev->vm_end == v->vm_start && prev->vm_file == v->vm_file &&
	       prev->vm_pgoff + vma_pages(prev) == v->vm_pgoff;
}

/*
 * Private VMAs that smaps shows with anonymous pages get an anon_vma
 * marker. Neighbours that could be halves of one split VMA (same file,
 * pgoff continuing) and cannot merge share one, as split halves share
 * the kernel's anon_vma and so may merge again once their flags agree.
 */
static bool had_pages(const struct import *im, size_t i)
{
	const struct vma *v = im->vmas[i];

	if (im->lines[i].has_anon)
		return true;
	/* Dropping write from anonymous memory that never had pages also
	 * drops VM_ACCOUNT; still charged means it had (or was split from a
	 * VMA that had) an anon_vma. */
	return vma_is_anonymous(v) && (v->vm_flags & (VM_WRITE | VM_ACCOUNT)) == VM_ACCOUNT;
}

static void mark_anon_vma(struct import *im, size_t i)
{
	struct vma *v = im->vmas[i], *prev = i ? im->vmas[i - 1] : NULL;

	if (!had_pages(im, i) || (v->vm_flags & VM_MAYSHARE) || v->special != UMM_SPECIAL_NONE)
		return;
	if (prev && prev->anon_vma && may_share_anon(prev, v) &&
	    !vma_would_join_prev(prev, v, prev->anon_vma))
		v->anon_vma = prev->anon_vma;
	else
		v->anon_vma = anon_marker(v);
}

/*
 * Two neighbours that the kernel left apart although their attributes
 * would merge must stay apart here too (the invariant checker insists on
 * merging otherwise). In a real process the cause is state maps does not
 * show: for private memory, different anon_vmas (each side faulted on
 * its own), so each side gets its own marker; for shared mappings, two
 * open file descriptions, so the right side gets its own handle.
 */
static int keep_apart(struct vma *prev, struct vma *v)
{
	if (!vma_would_join_prev(prev, v, v->anon_vma))
		return 0;
	if (v->vm_flags & VM_MAYSHARE) {
		struct umm_file *own = umm_file_create(&v->vm_file->desc);

		if (!own)
			return -ENOMEM;
		own->shmem_anon = v->vm_file->shmem_anon;
		umm_file_put(v->vm_file);
		v->vm_file = own;
		return 0;
	}
	if (!prev->anon_vma)
		prev->anon_vma = anon_marker(prev);
	/* prev may have borrowed v's own marker (split siblings share one):
	 * then v takes one of a second kind, unique to it as well. */
	if (!v->anon_vma || v->anon_vma == prev->anon_vma)
		v->anon_vma = anon_marker(v) != prev->anon_vma ? anon_marker(v) : apart_marker(v);
	return 0;
}

/* Adjacent, private, anonymous and both charged: likely pieces of one
 * VMA that mprotect or madvise split. */
static bool split_siblings(const struct vma *a, const struct vma *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file && vma_is_anonymous(a) &&
	       vma_is_anonymous(b) && !((a->vm_flags | b->vm_flags) & VM_MAYSHARE) &&
	       (a->vm_flags & b->vm_flags & VM_ACCOUNT);
}

/*
 * Pieces split from a VMA that had pages share its anon_vma even if they
 * hold no pages themselves (so they keep VM_ACCOUNT when made read-only,
 * and merge back): one marker for a whole run of such pieces. (Written
 * neighbours usually share one anyway: anon_vma_prepare reuses an
 * adjacent compatible VMA's.)
 */
/* The first [heap] line starts a VMA of its own: brk never joins it to
 * the one below (.bss), so the two were never one VMA, and nothing needs
 * to keep them apart either. */
static bool import_siblings_allowed(const struct import *im, size_t i)
{
	return im->lines[i].kind != LK_HEAP || im->lines[i - 1].kind == LK_HEAP;
}

static bool import_siblings(const struct import *im, size_t i)
{
	return import_siblings_allowed(im, i) && split_siblings(im->vmas[i - 1], im->vmas[i]);
}

static void share_split_markers(struct import *im)
{
	for (size_t i = 1; i < im->n; i++)
		if (import_siblings(im, i) && im->vmas[i - 1]->anon_vma)
			im->vmas[i]->anon_vma = im->vmas[i - 1]->anon_vma;
	for (size_t i = im->n; i-- > 1;)
		if (import_siblings(im, i) && !im->vmas[i - 1]->anon_vma)
			im->vmas[i - 1]->anon_vma = im->vmas[i]->anon_vma;
}

static int make_vmas(struct import *im)
{
	im->vmas = kzalloc(im->alloc, (im->n ? im->n : 1) * sizeof(*im->vmas));
	if (!im->vmas)
		return -ENOMEM;
	for (size_t i = 0; i < im->n; i++) {
		im->vmas[i] = make_vma(im, i);
		if (!im->vmas[i])
			return -ENOMEM;
		mark_anon_vma(im, i);
	}
	share_split_markers(im);
	for (size_t i = 1; i < im->n; i++) {
		int rc;

		if (im->lines[i].kind == LK_VSYSCALL || !import_siblings_allowed(im, i))
			continue;
		rc = keep_apart(im->vmas[i - 1], im->vmas[i]);
		if (rc)
			return rc;
	}
	return make_anon_vmas(im);
}

/* ---------------------------------------------------------------------
 * brk and stack
 * ------------------------------------------------------------------- */

struct mm_marks {
	unsigned long start_brk, brk, start_stack;
};

/*
 * start_stack: the options', else a point the [stack] line holds (its end
 * - 8, near where the kernel puts it). Two [stack] lines appear only when
 * they meet exactly at start_stack; more, or apart, cannot happen.
 */
static int find_start_stack(struct import *im, const struct umm_import_opts *o,
			    unsigned long *out)
{
	const struct map_line *first = NULL, *second = NULL;

	for (size_t i = 0; i < im->n; i++) {
		const struct map_line *l = &im->lines[i];

		if (l->kind != LK_STACK)
			continue;
		if (!first) {
			first = l;
		} else if (!second && l == first + 1 && first->end == l->start) {
			second = l;
		} else {
			im->bad_line = l->lineno;
			return -EINVAL;
		}
	}
	if (o->start_stack)
		*out = o->start_stack;
	else if (second)
		*out = first->end;
	else
		*out = first ? first->end - 8 : 0;
	return 0;
}

/* start_brk and brk: the options', else the span of the [heap] lines,
 * else the configured start with an empty brk area. */
static int find_brk(const struct import *im, const struct umm_import_opts *o,
		    unsigned long cfg_start_brk, struct mm_marks *m)
{
	unsigned long lo = 0, hi = 0;

	for (size_t i = 0; i < im->n; i++) {
		const struct map_line *l = &im->lines[i];

		if (l->kind != LK_HEAP)
			continue;
		lo = lo ? lo : l->start;
		hi = l->end;
	}
	m->start_brk = o->start_brk ? o->start_brk : (hi ? lo : cfg_start_brk);
	m->brk = o->brk ? o->brk : (hi ? hi : m->start_brk);
	return m->brk >= m->start_brk ? 0 : -EINVAL;
}

/* The name proc_maps.c will give an anonymous line, as a kind. */
static enum line_kind label_of(const struct map_line *l, const struct mm_marks *m)
{
	if (l->start < m->brk && l->end > m->start_brk)
		return LK_HEAP;
	if (m->start_stack && l->start <= m->start_stack && l->end >= m->start_stack)
		return LK_STACK;
	return LK_ANON;
}

/* Every anonymous line must come out with the name it came in with, or
 * the text and the marks contradict each other. */
static int check_labels(struct import *im, const struct mm_marks *m)
{
	for (size_t i = 0; i < im->n; i++) {
		const struct map_line *l = &im->lines[i];

		if (l->kind != LK_ANON && l->kind != LK_HEAP && l->kind != LK_STACK)
			continue;
		if (label_of(l, m) != l->kind) {
			im->bad_line = l->lineno;
			return -EINVAL;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Installing
 * ------------------------------------------------------------------- */

/* Inodes on the internal shm mount come from one counter in the kernel;
 * the next shared anonymous mapping must get a number above all of
 * these. */
static void note_shmem_ino(struct umm_mm *mm, const struct umm_file *f)
{
	const struct umm_file_desc *d = f ? &f->desc : NULL;

	if (d && d->kind == UMM_FILE_SHMEM && d->dev_major == 0 && d->dev_minor == 1 &&
	    d->ino >= mm->next_shmem_ino)
		mm->next_shmem_ino = d->ino + 1;
}

/*
 * Links every VMA but the gate, each after vt_reserve (the index may need
 * memory). If that fails, unlinks them again: they stay im's to free.
 */
static int link_all(struct umm_mm *mm, struct import *im)
{
	for (size_t i = 0; i < im->n; i++) {
		if (im->vmas[i]->special == UMM_SPECIAL_VSYSCALL)
			continue;
		if (vt_reserve(&mm->tree)) {
			while (i-- > 0)
				if (im->vmas[i]->special != UMM_SPECIAL_VSYSCALL)
					vma_unlink(mm, im->vmas[i]);
			return -ENOMEM;
		}
		vma_link(mm, im->vmas[i]);
	}
	return 0;
}

/* Links and accounts every VMA; only the index's memory can fail. */
static int install(struct umm_mm *mm, struct import *im, const struct mm_marks *m)
{
	struct vma *old_gate = mm->gate;

	if (link_all(mm, im))
		return -ENOMEM;
	mm->gate = NULL;
	for (size_t i = 0; i < im->n; i++) {
		struct vma *v = im->vmas[i];
		unsigned long pages = vma_pages(v);

		im->vmas[i] = NULL;
		if (v->special == UMM_SPECIAL_VSYSCALL) {
			/* The gate is outside the tree and counts nowhere. */
			mm->gate = v;
			continue;
		}
		vm_stat_account(mm, v->vm_flags, (long)pages);
		if (v->vm_flags & VM_ACCOUNT)
			mm->committed += pages;
		if (v->vm_flags & VM_LOCKED)
			mm->locked_vm += pages;
		note_shmem_ino(mm, v->vm_file);
	}
	/* The text decides the gate: one it lacks is not kept either. */
	vma_free(mm, old_gate);
	mm->start_brk = m->start_brk;
	mm->brk = m->brk;
	mm->start_stack = m->start_stack;
	return 0;
}

static int import_locked(struct umm_mm *mm, struct import *im, const struct umm_import_opts *o)
{
	struct mm_marks m;
	int rc;

	if (mm->tree.count != 0 || mm->first_vma)
		return -EEXIST;
	rc = check_layout(im, mm->cfg.task_size);
	if (!rc)
		rc = find_start_stack(im, o, &m.start_stack);
	if (!rc)
		rc = find_brk(im, o, mm->start_brk, &m);
	if (!rc)
		rc = check_labels(im, &m);
	if (!rc)
		rc = make_groups(im);
	if (!rc)
		rc = make_files(im);
	if (!rc)
		rc = make_vmas(im);
	if (!rc)
		rc = install(mm, im, &m);
	if (!rc) {
		mm->start_code = o->start_code;
		mm->end_code = o->end_code;
	}
	return rc;
}

static void import_free(struct import *im)
{
	for (size_t i = 0; im->vmas && i < im->n; i++)
		vma_free(im->mm, im->vmas[i]);
	for (size_t i = 0; i < im->ngroups; i++)
		umm_file_put(im->groups[i].file);
	kfree(im->alloc, im->vmas, (im->n ? im->n : 1) * sizeof(*im->vmas));
	kfree(im->alloc, im->groups, (im->n ? im->n : 1) * sizeof(*im->groups));
	kfree(im->alloc, im->lines, im->cap * sizeof(*im->lines));
}

int umm_maps_import(struct umm_mm *mm, const char *text, const struct umm_import_opts *opts,
		    int *bad_line)
{
	static const struct umm_import_opts none;
	struct import im = { 0 };
	int rc;

	if (bad_line)
		*bad_line = 0;
	if (!mm || !text)
		return -EINVAL;
	im.mm = mm;
	im.alloc = mm->cfg.allocator;
	rc = parse_text(&im, text);
	if (!rc) {
		mm_lock(mm);
		rc = import_locked(mm, &im, opts ? opts : &none);
		mm_unlock(mm);
	}
	if (rc == -EINVAL && bad_line)
		*bad_line = im.bad_line;
	import_free(&im);
	return rc;
}

/*
 * mmap_base of a top-down process: the end of the highest mapping that
 * ends at or below the start of the [stack] line, [stack] and [vsyscall]
 * themselves not counted. The first mapping the kernel makes below
 * mmap_base is the dynamic loader (a static binary: [vvar]/[vdso]), and
 * nothing goes between mmap_base and the stack unless asked for by
 * address. Observed on 6.18 with ASLR off: ld-linux-x86-64.so.2 ends at
 * 0x7ffff7fff000 = mmap_base, and for a static binary [vdso] ends there.
 * 0 without a [stack] line, a mapping below it, or a text that parses.
 */
/*
 * The exec-time mappings end at mmap_base: the interpreter is mapped
 * first, right below it, and [vvar]/[vdso] right below the interpreter.
 * So the run of adjacent mappings that starts at [vvar] (or [vdso]) ends
 * at mmap_base, wherever the stack limit put it (with an unlimited stack
 * that is below the executable). 0 if there is no such run.
 */
static unsigned long vdso_run_end(const struct import *im)
{
	size_t i = 0;

	while (i < im->n && im->lines[i].kind != LK_VVAR && im->lines[i].kind != LK_VDSO)
		i++;
	if (i == im->n)
		return 0;
	while (i + 1 < im->n && im->lines[i + 1].start == im->lines[i].end &&
	       im->lines[i + 1].kind != LK_STACK && im->lines[i + 1].kind != LK_VSYSCALL)
		i++;
	return im->lines[i].end;
}

unsigned long umm_maps_infer_mmap_base(const char *text)
{
	struct import im = { 0 };
	unsigned long stack = 0, best = 0;

	if (!text || parse_text(&im, text) != 0) {
		kfree(NULL, im.lines, im.cap * sizeof(*im.lines));
		return 0;
	}
	best = vdso_run_end(&im);
	if (best) {
		kfree(NULL, im.lines, im.cap * sizeof(*im.lines));
		return best;
	}
	for (size_t i = 0; i < im.n && !stack; i++)
		if (im.lines[i].kind == LK_STACK)
			stack = im.lines[i].start;
	for (size_t i = 0; i < im.n && stack; i++) {
		const struct map_line *l = &im.lines[i];

		if (l->kind != LK_STACK && l->kind != LK_VSYSCALL && l->end <= stack &&
		    l->end > best)
			best = l->end;
	}
	kfree(NULL, im.lines, im.cap * sizeof(*im.lines));
	return best;
}
