/*
 * check.c - the invariant checker: the VMAs are sorted, page aligned and
 * disjoint; the address list and the index agree; no two neighbours are
 * left unmerged where the kernel's merge rules (anon names included)
 * would have joined them (for VMAs this library created); the anon_vmas
 * and chains are whole; and the counters equal what the VMAs add up to.
 */
#include "core/accounting.h"
#include "core/check.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/vma.h"
#include "core/vma_tree.h"

#include <stdarg.h>
#include <stdio.h>

int check_fail(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (msg && len) {
		va_start(ap, fmt);
		vsnprintf(msg, len, fmt, ap);
		va_end(ap);
	}
	return -EUCLEAN;
}

/* The counters, recomputed from scratch. */
struct mm_sums {
	unsigned long count, total, data, exec, stack, locked, committed;
};

static void add_vma(struct mm_sums *s, const struct vma *v)
{
	vm_flags_t f = v->vm_flags;
	unsigned long n = vma_pages(v);

	s->count++;
	s->total += n;
	if ((f & (VM_EXEC | VM_WRITE | VM_GROWSDOWN)) == VM_EXEC)
		s->exec += n;
	else if (f & VM_GROWSDOWN)
		s->stack += n;
	else if ((f & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE)
		s->data += n;
	if (f & VM_LOCKED)
		s->locked += n;
	s->committed += vma_charge(v);
}

/*
 * Would the kernel have merged these two adjacent VMAs? brk never joins
 * the heap to a VMA that starts below start_brk, so that boundary may
 * stay.
 */
static bool should_have_merged(const struct umm_mm *mm, const struct vma *a, const struct vma *b)
{
	if (a->vm_end != b->vm_start || a->special || b->special)
		return false;
	if (b->vm_start == mm->start_brk || b->kept_apart)
		return false;
	if (a->vm_flags & VM_SPECIAL)
		return false;
	/* Different anon_vmas may legitimately stay apart: a range with
	 * pages never joins a neighbour without the same anon_vma. */
	if (a->anon_vma != b->anon_vma)
		return false;
	/* Names take part: only equal names (or none) merge. */
	return vma_would_join_prev(a, b, b->anon_vma);
}

/* A VMA's anon_vma and chain: both or neither, the anon_vma in the
 * chain, private memory only, every count at least what this VMA holds.
 * (Other spaces of the family hold more: only lower bounds here.) */
static int check_anon_vma(const struct vma *v, char *msg, size_t len)
{
	const struct anon_chain *c = v->anon_chain;
	bool found = false;

	if (!v->anon_vma && !c)
		return 0;
	if (!v->anon_vma || !c || !c->n)
		return check_fail(msg, len, "anon_vma and chain apart at %#lx", v->vm_start);
	if (v->vm_flags & VM_SHARED)
		return check_fail(msg, len, "shared VMA %#lx with an anon_vma", v->vm_start);
	if (__atomic_load_n(&c->refcount, __ATOMIC_RELAXED) < 1 ||
	    __atomic_load_n(&v->anon_vma->num_active_vmas, __ATOMIC_RELAXED) < 1)
		return check_fail(msg, len, "anon_vma counts at %#lx below its use", v->vm_start);
	for (unsigned int i = 0; i < c->n; i++) {
		const struct anon_vma *av = c->avs[i];

		found = found || av == v->anon_vma;
		if (__atomic_load_n(&av->refcount, __ATOMIC_RELAXED) < 1 ||
		    __atomic_load_n(&av->links, __ATOMIC_RELAXED) < 1 || av->root != av->parent->root)
			return check_fail(msg, len, "anon_vma %u of the chain at %#lx broken", i,
					  v->vm_start);
	}
	return found ? 0 : check_fail(msg, len, "anon_vma not in its chain at %#lx", v->vm_start);
}

static int check_vma(const struct umm_mm *mm, const struct vma *v, const struct vma *prev,
		     char *msg, size_t len)
{
	int err = check_anon_vma(v, msg, len);

	if (err)
		return err;
	if (v->vm_start >= v->vm_end || offset_in_page(v->vm_start) || offset_in_page(v->vm_end))
		return check_fail(msg, len, "bad VMA %#lx-%#lx", v->vm_start, v->vm_end);
	if (v->vm_prev != prev)
		return check_fail(msg, len, "address list broken at %#lx", v->vm_start);
	if (prev && prev->vm_end > v->vm_start)
		return check_fail(msg, len, "VMAs overlap at %#lx", v->vm_start);
	if (prev && should_have_merged(mm, prev, v))
		return check_fail(msg, len, "VMAs %#lx-%#lx and %#lx-%#lx should be merged",
			    prev->vm_start, prev->vm_end, v->vm_start, v->vm_end);
	if (find_vma_peek(mm, v->vm_start) != v)
		return check_fail(msg, len, "index does not find %#lx", v->vm_start);
	return 0;
}

static int check_sums(const struct umm_mm *mm, const struct mm_sums *s, char *msg, size_t len)
{
	if (s->count != mm->tree.count)
		return check_fail(msg, len, "map_count %lu, VMAs %lu", mm->tree.count, s->count);
	if (s->total != mm->total_vm || s->data != mm->data_vm || s->exec != mm->exec_vm ||
	    s->stack != mm->stack_vm)
		return check_fail(msg, len, "vm counters total %lu/%lu data %lu/%lu exec %lu/%lu stack %lu/%lu",
			    mm->total_vm, s->total, mm->data_vm, s->data, mm->exec_vm, s->exec,
			    mm->stack_vm, s->stack);
	if (s->locked + mm->locked_vm_stray != mm->locked_vm)
		return check_fail(msg, len, "locked_vm %lu, VMAs %lu + stray %lu", mm->locked_vm, s->locked,
			    mm->locked_vm_stray);
	if (s->committed + mm->committed_stray != mm->committed)
		return check_fail(msg, len, "committed %lu, VMAs %lu + stray %lu", mm->committed,
			    s->committed, mm->committed_stray);
	return 0;
}

/* The index's leaves, in order, must be the address list, each VMA with
 * its extent. */
static int check_leaf(void *arg, const void *item, unsigned long start, unsigned long end,
		      char *msg, size_t len)
{
	const struct vma **next = arg, *v = item;

	if (v != *next)
		return check_fail(msg, len, "index: leaf and address list disagree at %#lx", start);
	if (start != v->vm_start || end != v->vm_end)
		return check_fail(msg, len, "index: stale extent in a leaf at %#lx", v->vm_start);
	*next = v->vm_next;
	return 0;
}

/* The index against the address list. */
static int check_index(struct umm_mm *mm, char *msg, size_t len)
{
	const struct vma *next = mm->first_vma;
	int err = vt_check(&mm->tree, check_leaf, &next, msg, len);

	if (!err && next)
		err = check_fail(msg, len, "index: VMA %#lx on the address list missing", next->vm_start);
	return err;
}

int mm_check_locked(struct umm_mm *mm, char *msg, size_t len)
{
	struct mm_sums sums = { 0 };
	const struct vma *v, *prev = NULL;
	char tmp[8];
	int err;

	if (!msg) {
		msg = tmp;
		len = sizeof(tmp);
	}
	err = check_index(mm, msg, len);
	if (err)
		return err;
	for (v = mm->first_vma; v; prev = v, v = v->vm_next) {
		err = check_vma(mm, v, prev, msg, len);
		if (err)
			return err;
		add_vma(&sums, v);
	}
	if (prev != mm->last_vma)
		return check_fail(msg, len, "address list tail is wrong");
	err = check_sums(mm, &sums, msg, len);
	return !err && mm->mem_check ? mm->mem_check(mm, msg, len) : err;
}

int umm_mm_check(struct umm_mm *mm, char *msg, size_t len)
{
	int err;

	if (!mm)
		return -EINVAL;
	pthread_mutex_lock(&mm->lock);
	err = mm_check_locked(mm, msg, len);
	pthread_mutex_unlock(&mm->lock);
	return err;
}
