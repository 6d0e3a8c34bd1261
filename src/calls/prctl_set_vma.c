/*
 * prctl_set_vma.c - owns umm_set_anon_name, the counterpart of
 * prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME): the kernel's
 * set_anon_vma_name, madvise_set_anon_name and the madvise walk as it
 * runs for a name (mm/madvise.c, 6.18). The name object is
 * core/anon_name.c's.
 *
 * This machine's kernel is built without CONFIG_ANON_VMA_NAME, so only
 * the refusal (EINVAL for everything) could be measured; the rules behind
 * cfg.anon_vma_name come from reading the source (see usermm.h).
 */
#include "calls/calls.h"
#include "core/anon_name.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "core/vma_tree.h"

#include <stdlib.h>
#include <string.h>

/* The call's state, gathered and checked before the walk changes anything. */
struct name_call {
	unsigned long start, end;
	struct anon_vma_name *name; /* our reference; NULL clears */
};

/*
 * set_anon_vma_name's copy: strndup_user reads at most 80 bytes and
 * refuses a name without its NUL among them; then every character is
 * checked. NULL stays NULL (clear the name).
 */
static int take_name(const struct umm_allocator *alloc, const char *name,
		     struct anon_vma_name **out)
{
	size_t len;

	*out = NULL;
	if (!name)
		return 0;
	len = strnlen(name, UMM_ANON_NAME_MAX);
	if (!anon_name_valid(name, len))
		return -EINVAL;
	*out = anon_vma_name_alloc(alloc, name, len);
	return *out ? 0 : -ENOMEM;
}

/* madvise_set_anon_name's range checks. len 0 leaves end == start. */
static int check_range(struct name_call *c, unsigned long addr, unsigned long len)
{
	unsigned long rounded = PAGE_ALIGN(len);

	if (offset_in_page(addr))
		return -EINVAL;
	if (len && !rounded) /* rounded up from just below 2^64 */
		return -EINVAL;
	if (addr + rounded < addr)
		return -EINVAL;
	c->start = addr;
	c->end = addr + rounded;
	return 0;
}

/*
 * madvise_vma_behavior for a name, on [start, end) of *v: only anonymous
 * memory (shared anonymous included) may be named. *v becomes the VMA
 * now holding the range. The kernel's madvise turns a split's ENOMEM
 * (max_map_count) into EAGAIN.
 */
static int name_one(struct umm_mm *mm, struct vma **v, unsigned long start, unsigned long end,
		    struct anon_vma_name *name)
{
	struct vma *named;
	int err;

	if ((*v)->vm_file && !vma_is_anon_shmem(*v))
		return -EBADF;
	if (anon_vma_name_eq((*v)->anon_name, name))
		return 0;
	named = vma_modify_name(mm, *v, start, end, name, &err);
	if (!named)
		return err == -ENOMEM ? -EAGAIN : err;
	*v = named;
	return 0;
}

static int name_visit(struct umm_mm *mm, struct vma **v, unsigned long start,
		      unsigned long end, void *arg)
{
	return name_one(mm, v, start, end, arg);
}

static int set_anon_name(struct umm_mm *mm, unsigned long addr, unsigned long len,
			 const char *name)
{
	struct name_call c = { 0 };
	int err = take_name(mm->cfg.allocator, name, &c.name);

	if (!err)
		err = check_range(&c, addr, len);
	if (!err && c.end != c.start) {
		mm_lock(mm);
		/* The index's spare nodes: allocation failing is ENOMEM, and
		 * the kernel's madvise reports that as EAGAIN. */
		err = vt_reserve(&mm->tree) ? -EAGAIN
					       : madvise_walk_vmas(mm, c.start, c.end, name_visit, c.name);
		mm_unlock(mm);
	}
	anon_vma_name_put(c.name);
	return err;
}

int umm_set_anon_name(struct umm_mm *mm, unsigned long addr, unsigned long len, const char *name)
{
	/* Without CONFIG_ANON_VMA_NAME prctl_set_vma is a stub refusing all. */
	if (!mm || !mm->cfg.anon_vma_name)
		return -EINVAL;
	return set_anon_name(mm, addr, len, name);
}
