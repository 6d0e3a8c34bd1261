/*
 * difftest_calls.c - owns the table of call kinds of `usermm difftest`
 * (syscall number, argument types for the trace, usermm adapter) and the
 * safety rule: the range a call may change, checked against the child's
 * own mappings before the call is run on the kernel.
 *
 * A kind is enabled when it has a usermm adapter. The generator already
 * makes arguments for every kind (difftest_gen.c); to enable one when the
 * library gets the call, write its adapter here and put it in the table.
 */
#define _GNU_SOURCE
#include "difftest/difftest.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#define MAP_FIXED_BIT 0x10UL
#define MAP_ANON_BIT 0x20UL
#define MAP_HUGETLB_BIT 0x40000UL
#define MAP_NOREPLACE_BIT 0x100000UL
#define MREMAP_FIXED_BIT 2UL
#define MREMAP_DONTUNMAP_BIT 4UL
#define NR_MSEAL 462

static struct umm_file *fd_file(const struct dt_umm *u, unsigned long fd)
{
	return fd < DT_FD_LIMIT ? u->files[fd] : NULL;
}

static long umm_do_mmap(struct dt_umm *u, const struct dt_call *c)
{
	/* The kernel ignores the fd of an anonymous mapping; a file NULL
	 * without MAP_ANONYMOUS is usermm's EBADF, as for a closed fd. */
	struct umm_file *f = (c->a[3] & MAP_ANON_BIT) ? NULL : fd_file(u, c->a[4]);

	return umm_mmap(u->mm, c->a[0], c->a[1], (int)c->a[2], (int)c->a[3], f, c->a[5]);
}

static long umm_do_munmap(struct dt_umm *u, const struct dt_call *c)
{
	return umm_munmap(u->mm, c->a[0], c->a[1]);
}

static long umm_do_mprotect(struct dt_umm *u, const struct dt_call *c)
{
	return umm_mprotect(u->mm, c->a[0], c->a[1], (int)c->a[2]);
}

static long umm_do_brk(struct dt_umm *u, const struct dt_call *c)
{
	return (long)umm_brk(u->mm, c->a[0]);
}

static long umm_do_mremap(struct dt_umm *u, const struct dt_call *c)
{
	return umm_mremap(u->mm, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}

static long umm_do_pkey_mprotect(struct dt_umm *u, const struct dt_call *c)
{
	return umm_pkey_mprotect(u->mm, c->a[0], c->a[1], (int)c->a[2], (int)c->a[3]);
}

static long umm_do_pkey_alloc(struct dt_umm *u, const struct dt_call *c)
{
	return umm_pkey_alloc(u->mm, c->a[0], c->a[1]);
}

static long umm_do_pkey_free(struct dt_umm *u, const struct dt_call *c)
{
	return umm_pkey_free(u->mm, (int)c->a[0]);
}

static long umm_do_remap_file_pages(struct dt_umm *u, const struct dt_call *c)
{
	return umm_remap_file_pages(u->mm, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}

static long umm_do_mseal(struct dt_umm *u, const struct dt_call *c)
{
	return umm_mseal(u->mm, c->a[0], c->a[1], c->a[2]);
}

static long umm_do_mlock(struct dt_umm *u, const struct dt_call *c)
{
	return umm_mlock(u->mm, c->a[0], c->a[1]);
}

static long umm_do_mlock2(struct dt_umm *u, const struct dt_call *c)
{
	return umm_mlock2(u->mm, c->a[0], c->a[1], (unsigned int)c->a[2]);
}

static long umm_do_munlock(struct dt_umm *u, const struct dt_call *c)
{
	return umm_munlock(u->mm, c->a[0], c->a[1]);
}

static long umm_do_mlockall(struct dt_umm *u, const struct dt_call *c)
{
	return umm_mlockall(u->mm, (int)c->a[0]);
}

static long umm_do_munlockall(struct dt_umm *u, const struct dt_call *c)
{
	(void)c;
	return umm_munlockall(u->mm);
}

static long umm_do_msync(struct dt_umm *u, const struct dt_call *c)
{
	return umm_msync(u->mm, c->a[0], c->a[1], (int)c->a[2]);
}

static long umm_do_madvise(struct dt_umm *u, const struct dt_call *c)
{
	return umm_madvise(u->mm, c->a[0], c->a[1], (int)c->a[2]);
}

/* The generator passes a NULL vector (the child has no buffer for it):
 * the range checks run, then the copy fails with EFAULT. */
static long umm_do_mincore(struct dt_umm *u, const struct dt_call *c)
{
	/* a[2] is the vector's address in the child: check it there. */
	return umm_mincore_user(u->mm, c->a[0], c->a[1], c->a[2], NULL);
}

/* An executed 0x00 byte is `add %al,(%rax)`, whose second byte the CPU
 * fetches too: from the next page when it was the page's last. That
 * fetch faults the next page in (its outcome is not the touch's). */
static void exec_second_fetch(struct dt_umm *u, unsigned long addr)
{
	unsigned char b = 0xc3;

	if ((addr & (DT_PAGE - 1)) == DT_PAGE - 1 && umm_read(u->mm, addr, &b, 1, NULL) == 1 && !b)
		umm_fault(u->mm, addr + 1, UMM_ACCESS_EXEC, NULL);
}

/* The access by the child (difftest_touch.c) against umm_fault. */
static long umm_do_touch(struct dt_umm *u, const struct dt_call *c)
{
	unsigned char b = 0xc3;
	long r = umm_fault(u->mm, c->a[0], (int)c->a[1], NULL);

	/* The access itself, where usermm holds the page: the child's write
	 * stores 0xc3, its read tells the byte. */
	if (r == 0 && c->a[1] == UMM_ACCESS_READ && umm_read(u->mm, c->a[0], &b, 1, NULL) == 1)
		u->byte = b;
	else if (r == 0 && c->a[1] == UMM_ACCESS_WRITE && umm_write(u->mm, c->a[0], &b, 1, NULL) == 1)
		u->byte = b;
	else if (r == 0 && c->a[1] == UMM_ACCESS_EXEC)
		exec_second_fetch(u, c->a[0]);
	return r;
}

/* Names for the anon-name prctl, by index: valid ones, the longest valid
 * (79 characters), one too long, bad characters, empty and NULL. */
const char *const dt_anon_names[DT_NANON_NAMES] = {
	"difftest",
	"a",
	"with space: ok",
	"0123456789012345678901234567890123456789012345678901234567890123456789012345678",
	"01234567890123456789012345678901234567890123456789012345678901234567890123456789",
	"bad[bracket]",
	"dollar$",
	"back`tick",
	"tab\there",
	"new\nline",
	"",
	NULL,
};

static long umm_do_anon_name(struct dt_umm *u, const struct dt_call *c)
{
	const char *name = c->a[4] < DT_NANON_NAMES ? dt_anon_names[c->a[4]] : NULL;

	return umm_set_anon_name(u->mm, c->a[2], c->a[3], name);
}

/* fork: the child's space takes the calls; the parent's waits. */
static long umm_do_fork(struct dt_umm *u, const struct dt_call *c)
{
	struct umm_mm *child = NULL;
	long r;

	(void)c;
	if (u->parent)
		return -EBUSY;
	r = umm_mm_fork(u->mm, &child);
	if (r)
		return r;
	u->parent = u->mm;
	u->mm = child;
	return 0;
}

/* The forked child exits: the parent's space takes the calls again. */
static long umm_do_join(struct dt_umm *u, const struct dt_call *c)
{
	(void)c;
	if (!u->parent)
		return -ECHILD;
	umm_mm_destroy(u->mm);
	u->mm = u->parent;
	u->parent = NULL;
	return 0;
}

const struct dt_kind_info dt_kinds[DT_NKINDS] = {
	[DT_MMAP] = { "mmap", SYS_mmap, { DA_ADDR, DA_LEN, DA_PROT, DA_MFLAGS, DA_FD, DA_OFF },
		      true, 48, umm_do_mmap },
	[DT_MUNMAP] = { "munmap", SYS_munmap, { DA_ADDR, DA_LEN }, false, 20, umm_do_munmap },
	[DT_MPROTECT] = { "mprotect", SYS_mprotect, { DA_ADDR, DA_LEN, DA_PROT }, false, 22,
			  umm_do_mprotect },
	[DT_BRK] = { "brk", SYS_brk, { DA_ADDR }, true, 10, umm_do_brk },
	[DT_MREMAP] = { "mremap", SYS_mremap, { DA_ADDR, DA_LEN, DA_LEN, DA_HEX, DA_ADDR }, true,
			12, umm_do_mremap },
	[DT_MADVISE] = { "madvise", SYS_madvise, { DA_ADDR, DA_LEN, DA_INT }, false, 8,
			 umm_do_madvise },
	[DT_MLOCK] = { "mlock", SYS_mlock, { DA_ADDR, DA_LEN }, false, 4, umm_do_mlock },
	[DT_MLOCK2] = { "mlock2", SYS_mlock2, { DA_ADDR, DA_LEN, DA_HEX }, false, 3,
			umm_do_mlock2 },
	[DT_MUNLOCK] = { "munlock", SYS_munlock, { DA_ADDR, DA_LEN }, false, 4, umm_do_munlock },
	[DT_MLOCKALL] = { "mlockall", SYS_mlockall, { DA_HEX }, false, 1, umm_do_mlockall },
	[DT_MUNLOCKALL] = { "munlockall", SYS_munlockall, { DA_NONE }, false, 1,
			    umm_do_munlockall },
	[DT_MSYNC] = { "msync", SYS_msync, { DA_ADDR, DA_LEN, DA_HEX }, false, 3, umm_do_msync },
	[DT_MINCORE] = { "mincore", SYS_mincore, { DA_ADDR, DA_LEN, DA_ADDR }, false, 3,
			 umm_do_mincore },
	[DT_MSEAL] = { "mseal", NR_MSEAL, { DA_ADDR, DA_LEN, DA_HEX }, false, 1, umm_do_mseal },
	[DT_PKEY_MPROTECT] = { "pkey_mprotect", SYS_pkey_mprotect,
			       { DA_ADDR, DA_LEN, DA_PROT, DA_INT }, false, 3,
			       umm_do_pkey_mprotect },
	[DT_TOUCH] = { "usermm_touch", DT_NR_TOUCH, { DA_ADDR, DA_PROT }, false, 22, umm_do_touch },
	[DT_PRCTL_ANON_NAME] = { "prctl", DT_NR_ANON_NAME,
				 { DA_PR_OPTION, DA_PR_VMA_ATTR, DA_ADDR, DA_LEN, DA_ANON_NAME },
				 false, 4, umm_do_anon_name },
	[DT_PKEY_ALLOC] = { "pkey_alloc", SYS_pkey_alloc, { DA_HEX, DA_HEX }, false, 1,
			    umm_do_pkey_alloc },
	[DT_PKEY_FREE] = { "pkey_free", SYS_pkey_free, { DA_INT }, false, 1, umm_do_pkey_free },
	[DT_REMAP_FILE_PAGES] = { "remap_file_pages", SYS_remap_file_pages,
				  { DA_ADDR, DA_LEN, DA_PROT, DA_LEN, DA_MFLAGS }, false, 4,
				  umm_do_remap_file_pages },
	/* The generator picks these itself (dt_gen.c): a fork now and then,
	 * a join while forked. */
	[DT_FORK] = { "fork", DT_NR_FORK, { DA_NONE }, false, 0, umm_do_fork },
	[DT_JOIN] = { "exit_group", DT_NR_JOIN, { DA_NONE }, false, 0, umm_do_join },
};

bool dt_kind_enabled(enum dt_kind k)
{
	return dt_kinds[k].umm != NULL;
}

int dt_kind_by_name(const char *name)
{
	for (int k = 0; k < DT_NKINDS; k++)
		if (!strcmp(dt_kinds[k].name, name))
			return k;
	return -1;
}

/* [addr, addr + len rounded up to align), false if the kernel refuses
 * it before any change: unaligned start, zero length, or overflow past
 * TASK_SIZE (where munmap and MAP_FIXED fail with EINVAL/ENOMEM). */
static bool aligned_range(unsigned long addr, unsigned long len, unsigned long align,
			  struct dt_range *out)
{
	unsigned long alen = (len + align - 1) & ~(align - 1);

	if ((addr & (DT_PAGE - 1)) || len == 0 || alen < len || alen > DT_TASK_SIZE ||
	    addr > DT_TASK_SIZE - alen)
		return false;
	*out = (struct dt_range){ addr, addr + alen };
	return true;
}

/* mprotect and the like are not limited to TASK_SIZE (they stop at the
 * first hole), so only an unaligned start or a wrapping end saves them;
 * then the reach is up to the end of the address space. */
static bool walk_range(unsigned long addr, unsigned long len, struct dt_range *out)
{
	unsigned long alen = (len + DT_PAGE - 1) & ~(DT_PAGE - 1);

	if ((addr & (DT_PAGE - 1)) || len == 0 || alen < len || addr + alen < addr)
		return false;
	*out = (struct dt_range){ addr, addr + alen };
	return true;
}

/* A MAP_FIXED mapping replaces what is there; MAP_FIXED_NOREPLACE (even
 * with MAP_FIXED) and hints never do. A huge-page mapping is rounded up
 * to its page size (2 MiB, or 1 GiB with MAP_HUGE_1GB). */
static bool mmap_reach(const struct dt_call *c, struct dt_range *out)
{
	unsigned long flags = c->a[3], align = DT_PAGE;

	if (!(flags & MAP_FIXED_BIT) || (flags & MAP_NOREPLACE_BIT))
		return false;
	if (flags & MAP_HUGETLB_BIT)
		align = ((flags >> 26) & 0x3f) == 30 ? 1UL << 30 : 2UL << 20;
	/* A file may be a hugetlbfs one (the huge memfd): its mapping is
	 * rounded to 2 MiB without MAP_HUGETLB (it replaced the child's
	 * libc once). Taken so for every file, which costs little. */
	else if (!(flags & MAP_ANON_BIT))
		align = 2UL << 20;
	return aligned_range(c->a[0], c->a[1], align, out);
}

/* The old range, and (as a second check by the caller) the new one. */
static bool mremap_reach(const struct dt_call *c, struct dt_range *out)
{
	return walk_range(c->a[0], c->a[1] ? c->a[1] : DT_PAGE, out);
}

/* A touch reads, writes or runs the page it touches, wherever it is
 * (non-canonical and kernel addresses only fault, but [vsyscall] is the
 * child's own). A stack growth it causes reaches down from a VMA that
 * grows down: difftest's, or the child's [stack] below its used part. */
static bool touch_reach(const struct dt_call *c, struct dt_range *out)
{
	unsigned long page = c->a[0] & ~(DT_PAGE - 1);

	*out = (struct dt_range){ page, page + DT_PAGE ? page + DT_PAGE : ~0UL };
	return true;
}

bool dt_call_reach(const struct dt_call *c, struct dt_range *out)
{
	switch (c->kind) {
	case DT_MMAP:
		return mmap_reach(c, out);
	case DT_MUNMAP:
		return aligned_range(c->a[0], c->a[1], DT_PAGE, out);
	case DT_BRK:
	case DT_MLOCKALL:
	case DT_MUNLOCKALL:
	case DT_PKEY_ALLOC:
	case DT_PKEY_FREE:
	case DT_FORK:
	case DT_JOIN:
		return false; /* brk moves only the heap; the rest are global */
	case DT_MREMAP:
		return mremap_reach(c, out);
	case DT_TOUCH:
		return touch_reach(c, out);
	case DT_PRCTL_ANON_NAME:
		return walk_range(c->a[2], c->a[3], out);
	case DT_REMAP_FILE_PAGES: /* a MAP_FIXED mmap of the rounded range */
		return aligned_range(c->a[0] & ~(DT_PAGE - 1), c->a[1] & ~(DT_PAGE - 1), DT_PAGE,
				     out);
	default:
		return walk_range(c->a[0], c->a[1], out);
	}
}

static bool overlaps(struct dt_range r, const struct dt_range *prot, int nprot)
{
	for (int i = 0; i < nprot; i++)
		if (r.start < prot[i].end && prot[i].start < r.end)
			return true;
	return false;
}

bool dt_call_safe(const struct dt_call *c, const struct dt_range *prot, int nprot)
{
	struct dt_range r;

	if (dt_call_reach(c, &r) && overlaps(r, prot, nprot))
		return false;
	/* mremap's target: MREMAP_FIXED replaces what is at new_addr. */
	if (c->kind == DT_MREMAP && (c->a[3] & (MREMAP_FIXED_BIT | MREMAP_DONTUNMAP_BIT)) &&
	    walk_range(c->a[4], c->a[2] ? c->a[2] : DT_PAGE, &r) && overlaps(r, prot, nprot))
		return false;
	/* mlockall without MCL_ONFAULT faults in every mapping (MCL_CURRENT)
	 * or every later one (MCL_FUTURE): gigabytes of NORESERVE memory. */
	if (c->kind == DT_MLOCKALL && (c->a[0] & 3) && !(c->a[0] & 4))
		return false;
	return true;
}
