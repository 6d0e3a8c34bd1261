/*
 * inspect.c - read-only views of an address space for users of the
 * library: find_vma, ordered iteration and the mm_struct counters.
 */
#include "core/lookup.h"
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "core/vma.h"
#include "core/vma_tree.h"

#include <stdio.h>

void vma_to_info(const struct vma *v, struct umm_vma_info *out)
{
	out->start = v->vm_start;
	out->end = v->vm_end;
	out->vm_flags = v->vm_flags;
	out->pgoff = v->vm_pgoff;
	out->file = v->vm_file;
	out->special = v->special;
	out->anon_vma = v->anon_vma != NULL;
	/* A copy: the name object may go with the VMA once the lock drops. */
	out->has_anon_name = v->anon_name != NULL;
	out->anon_name[0] = '\0';
	if (v->anon_name)
		snprintf(out->anon_name, sizeof(out->anon_name), "%s", v->anon_name->name);
}

int umm_find_vma(struct umm_mm *mm, unsigned long addr, struct umm_vma_info *out)
{
	struct vma *v;

	if (!mm || !out)
		return -EINVAL;
	mm_lock(mm);
	v = find_vma_peek(mm, addr);
	if (v)
		vma_to_info(v, out);
	mm_unlock(mm);
	return v ? 0 : -ENOENT;
}

void umm_vma_iter_init(struct umm_vma_iter *it, struct umm_mm *mm, unsigned long from)
{
	if (!it)
		return;
	it->mm = mm;
	it->next_addr = from;
	it->done = false;
}

bool umm_vma_iter_next(struct umm_vma_iter *it, struct umm_vma_info *out)
{
	if (!it || it->done || umm_find_vma(it->mm, it->next_addr, out)) {
		it->done = true;
		return false;
	}
	it->next_addr = out->end;
	return true;
}

void umm_mm_stats(struct umm_mm *mm, struct umm_mm_stats *out)
{
	if (!mm || !out)
		return;
	mm_lock(mm);
	*out = (struct umm_mm_stats){
		.map_count = mm->tree.count,
		.total_vm = mm->total_vm,
		.data_vm = mm->data_vm,
		.exec_vm = mm->exec_vm,
		.stack_vm = mm->stack_vm,
		.locked_vm = mm->locked_vm,
		.committed = mm->committed,
		.start_brk = mm->start_brk,
		.brk = mm->brk,
		.mmap_base = mm->mmap_base,
		.start_stack = mm->start_stack,
		.rss_anon = mm->rss[MM_ANONPAGES],
		.rss_file = mm->rss[MM_FILEPAGES],
		.rss_shmem = mm->rss[MM_SHMEMPAGES],
		.pgtables_bytes = mm->pgtables_bytes,
		.min_flt = mm->min_flt,
	};
	mm_unlock(mm);
}

void umm_mm_config(struct umm_mm *mm, struct umm_config *out)
{
	if (!mm || !out)
		return;
	mm_lock(mm);
	*out = mm->cfg;
	out->mmap_base = mm->mmap_base;
	out->start_brk = mm->start_brk;
	mm_unlock(mm);
}
