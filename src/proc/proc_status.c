/*
 * proc_status.c - owns the memory lines of /proc/PID/status
 * (umm_status_write, umm_status_string), as the kernel's task_mem prints
 * them: each "Name:\t", the value in kB right-aligned in 8, " kB".
 */
#include "core/mm.h"
#include "core/mmap_lock.h"
#include "proc/proc.h"

#include <stdio.h>

static int put_kb(FILE *out, const char *name, unsigned long kb)
{
	return fprintf(out, "%s:\t%8lu kB\n", name, kb) < 0 ? -EIO : 0;
}

static unsigned long page_align(unsigned long a)
{
	return (a + PAGE_SIZE - 1) & PAGE_MASK;
}

/* The program's text, within what is executable; the rest of that is
 * libraries'. */
static unsigned long text_bytes(const struct umm_mm *mm)
{
	unsigned long exec = mm->exec_vm << PAGE_SHIFT;
	unsigned long text = page_align(mm->end_code) - (mm->start_code & PAGE_MASK);

	return mm->end_code < mm->start_code || text > exec ? exec : text;
}

/* task_mem; mm locked. */
static int task_mem(const struct umm_mm *mm, FILE *out)
{
	unsigned long rss = get_mm_rss(mm), exec = mm->exec_vm << PAGE_SHIFT, text = text_bytes(mm);
	const struct {
		const char *name;
		unsigned long kb;
	} *l, lines[] = {
		{ "VmPeak", (mm->hiwater_vm > mm->total_vm ? mm->hiwater_vm : mm->total_vm) << 2 },
		{ "VmSize", mm->total_vm << 2 },
		{ "VmLck", mm->locked_vm << 2 },
		{ "VmPin", 0 },
		{ "VmHWM", (mm->hiwater_rss > rss ? mm->hiwater_rss : rss) << 2 },
		{ "VmRSS", rss << 2 },
		{ "RssAnon", mm->rss[MM_ANONPAGES] << 2 },
		{ "RssFile", mm->rss[MM_FILEPAGES] << 2 },
		{ "RssShmem", mm->rss[MM_SHMEMPAGES] << 2 },
		{ "VmData", mm->data_vm << 2 },
		{ "VmStk", mm->stack_vm << 2 },
		{ "VmExe", text >> 10 },
		{ "VmLib", (exec - text) >> 10 },
		{ "VmPTE", mm->pgtables_bytes >> 10 },
		{ "VmSwap", 0 },
		{ "HugetlbPages", 0 }, /* the huge page pool is empty */
	};
	int rc = 0;

	for (l = lines; !rc && l < lines + sizeof(lines) / sizeof(lines[0]); l++)
		rc = put_kb(out, l->name, l->kb);
	return rc;
}

int umm_status_write(struct umm_mm *mm, FILE *out)
{
	int rc;

	if (!mm || !out)
		return -EINVAL;
	mm_lock(mm);
	rc = task_mem(mm, out);
	mm_unlock(mm);
	return rc;
}

static int emit_status(void *mm, FILE *out)
{
	return umm_status_write(mm, out);
}

char *umm_status_string(struct umm_mm *mm)
{
	return proc_text(emit_status, mm);
}
