/*
 * proc_maps.c - owns the /proc/PID/maps text: umm_maps_write,
 * umm_maps_string, vma_name (the name column of one VMA) and
 * show_map_vma (one line, which smaps shares).
 *
 * Each line is "start-end perms offset major:minor inode", then a single
 * space; a line with a name pads with spaces so the name starts at column
 * 73 (the kernel pads its 25 + 6 * sizeof(void *) - 1 = 72 wide header,
 * then puts one more space), or one space past a longer header. The gate
 * area ([vsyscall]) is not in the tree and comes last, as the kernel
 * appends it after the last VMA. Named anonymous memory shows its name
 * as "[anon:NAME]", shared anonymous memory as "[anon_shmem:NAME]".
 */
#define _GNU_SOURCE
#include "core/alloc.h"
#include "core/file.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "proc/proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_WIDTH 72
#define DELETED_SUFFIX " (deleted)"

/* Bytes the name of file f takes: the kernel escapes '\n' in paths as
 * "\012" (nothing else, not even '\\'), then adds the deleted suffix. */
static size_t file_name_len(const struct umm_file *f)
{
	size_t n = 0;

	for (const char *p = f->desc.path; *p; p++)
		n += *p == '\n' ? 4 : 1;
	return n + (f->desc.deleted ? strlen(DELETED_SUFFIX) : 0);
}

/* Appends n bytes of s at buf[*o], as far as len leaves room for the
 * terminating NUL. */
static void put(char *buf, size_t len, size_t *o, const char *s, size_t n)
{
	size_t room = len - 1 - *o;

	if (n > room)
		n = room;
	memcpy(buf + *o, s, n);
	*o += n;
}

/* Writes the file's name into buf, cut short if len is too small. */
static void file_name(const struct umm_file *f, char *buf, size_t len)
{
	size_t o = 0;

	for (const char *p = f->desc.path; *p; p++)
		put(buf, len, &o, *p == '\n' ? "\\012" : p, *p == '\n' ? 4 : 1);
	if (f->desc.deleted)
		put(buf, len, &o, DELETED_SUFFIX, strlen(DELETED_SUFFIX));
	buf[o] = '\0';
}

static const char *special_name(enum umm_special s)
{
	switch (s) {
	case UMM_SPECIAL_VDSO:
		return "[vdso]";
	case UMM_SPECIAL_VVAR:
		return "[vvar]";
	case UMM_SPECIAL_VVAR_VCLOCK:
		return "[vvar_vclock]";
	case UMM_SPECIAL_VSYSCALL:
		return "[vsyscall]";
	default:
		return NULL;
	}
}

/*
 * The heap and stack names of an anonymous VMA, with the kernel's tests:
 * [heap] for any VMA overlapping [start_brk, brk) (an empty brk area
 * names nothing), [stack] for the VMA whose closed range holds
 * start_stack. start_stack 0 means this space has no stack.
 */
static const char *heap_stack_name(const struct umm_mm *mm, const struct vma *v)
{
	if (v->vm_start < mm->brk && v->vm_end > mm->start_brk)
		return "[heap]";
	if (mm->start_stack && v->vm_start <= mm->start_stack && v->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

/* "[anon:NAME]" or "[anon_shmem:NAME]" in buf, cut short to fit len. */
static const char *user_name(const struct vma *v, char *buf, size_t len)
{
	if (!buf || len == 0)
		return NULL;
	snprintf(buf, len, v->vm_file ? "[anon_shmem:%s]" : "[anon:%s]", v->anon_name->name);
	return buf;
}

/* The name with get_vma_name's precedence: file (or, for named shared
 * anonymous memory, its name), special, heap, stack, anon name. The file
 * and anon names are truncated to fit len. */
const char *vma_name(const struct umm_mm *mm, const struct vma *v, char *buf, size_t len)
{
	const char *name;

	if (v->vm_file && v->anon_name)
		return user_name(v, buf, len);
	if (v->vm_file) {
		if (!buf || len == 0)
			return NULL;
		file_name(v->vm_file, buf, len);
		return buf;
	}
	if (v->special != UMM_SPECIAL_NONE)
		return special_name(v->special);
	name = heap_stack_name(mm, v);
	if (!name && v->anon_name)
		return user_name(v, buf, len);
	return name;
}

/* The fixed part of a line, up to and including the space after the
 * inode. Returns its length. */
static int header(const struct vma *v, char *buf, size_t len)
{
	const struct umm_file_desc *d = v->vm_file ? &v->vm_file->desc : NULL;
	vm_flags_t f = v->vm_flags;
	unsigned long long off = d ? (unsigned long long)v->vm_pgoff << PAGE_SHIFT : 0;

	return snprintf(buf, len, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", v->vm_start,
			v->vm_end, (f & VM_READ) ? 'r' : '-', (f & VM_WRITE) ? 'w' : '-',
			(f & VM_EXEC) ? 'x' : '-', (f & VM_MAYSHARE) ? 's' : 'p', off,
			d ? d->dev_major : 0, d ? d->dev_minor : 0, d ? d->ino : 0UL);
}

/* The name of v for output, never truncated: a file's name goes into
 * *heap (*heap_len bytes) when it does not fit buf. NULL: no name. */
static const char *full_name(const struct umm_mm *mm, const struct vma *v, char *buf,
			     size_t len, char **heap, size_t *heap_len)
{
	size_t need;

	*heap = NULL;
	*heap_len = 0;
	if (!v->vm_file || v->anon_name) /* an anon name always fits buf */
		return vma_name(mm, v, buf, len);
	need = file_name_len(v->vm_file) + 1;
	if (need > len) {
		*heap = kmalloc(mm->cfg.allocator, need);
		if (!*heap)
			return NULL;
		*heap_len = need;
		buf = *heap;
	}
	file_name(v->vm_file, buf, need > len ? need : len);
	return buf;
}

int show_named_header(FILE *out, unsigned long start, unsigned long end, const char *name)
{
	int n = fprintf(out, "%08lx-%08lx ---p 00000000 00:00 0 ", start, end);

	if (n < 0 || fprintf(out, "%*s%s\n", n < HEADER_WIDTH ? HEADER_WIDTH - n + 1 : 1, "", name) < 0)
		return -EIO;
	return 0;
}

int show_map_vma(const struct umm_mm *mm, const struct vma *v, FILE *out)
{
	char head[160], nbuf[512], *heap;
	size_t heap_len;
	const char *name;
	int n = header(v, head, sizeof(head));
	int rc = 0;

	name = full_name(mm, v, nbuf, sizeof(nbuf), &heap, &heap_len);
	if (v->vm_file && !name)
		return -ENOMEM;
	if (fputs(head, out) == EOF)
		rc = -EIO;
	if (name && !rc && fprintf(out, "%*s%s", n < HEADER_WIDTH ? HEADER_WIDTH - n + 1 : 1,
				   "", name) < 0)
		rc = -EIO;
	if (!rc && fputc('\n', out) == EOF)
		rc = -EIO;
	kfree(mm->cfg.allocator, heap, heap_len);
	return rc;
}

/* Writes every line; mm locked. */
static int write_all(const struct umm_mm *mm, FILE *out)
{
	int rc = 0;

	for (const struct vma *v = mm->first_vma; v && !rc; v = v->vm_next)
		rc = show_map_vma(mm, v, out);
	if (!rc && mm->gate)
		rc = show_map_vma(mm, mm->gate, out);
	return rc;
}

int umm_maps_write(struct umm_mm *mm, FILE *out)
{
	int rc;

	if (!mm || !out)
		return -EINVAL;
	mm_lock(mm);
	rc = write_all(mm, out);
	mm_unlock(mm);
	return rc;
}

char *proc_text(int (*emit)(void *arg, FILE *out), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (!arg)
		return NULL;
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	rc = emit(arg, f);
	/* fclose flushes the last bytes into buf; a failure there is a
	 * failure to allocate them. */
	if (fclose(f) != 0 || rc != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int emit_maps(void *mm, FILE *out)
{
	return umm_maps_write(mm, out);
}

char *umm_maps_string(struct umm_mm *mm)
{
	return proc_text(emit_maps, mm);
}
