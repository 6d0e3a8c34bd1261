/*
 * oracle.c - the usermm half of the oracle: the umm_config that matches
 * the runner, the import of its initial maps, the replay of the ops
 * through usermm and the op-by-op comparison with the kernel's results.
 */
#define _GNU_SOURCE
#include "oracle.h"
#include <ctype.h>
#include <errno.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_MMAP_BASE 0x7ffff7fff000UL

static unsigned long read_ulong_file(const char *path, unsigned long dflt)
{
	FILE *f = fopen(path, "r");
	unsigned long v;

	if (!f)
		return dflt;
	if (fscanf(f, "%lu", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

/* A "Name:   N kB" field of /proc/meminfo, in kB. */
static unsigned long meminfo_kb(const char *name, unsigned long dflt)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char key[64];
	unsigned long v;

	if (!f)
		return dflt;
	while (fscanf(f, "%63s %lu kB", key, &v) == 2) {
		if (strncmp(key, name, strlen(name)) == 0 && key[strlen(name)] == ':') {
			fclose(f);
			return v;
		}
	}
	fclose(f);
	return dflt;
}

/* What this kernel's build and CPU decide (probed by the library). */
static void config_kernel_build(struct umm_config *cfg)
{
	struct umm_config host;

	if (umm_config_from_host(&host))
		return;
	cfg->zero_page = host.zero_page;
	cfg->hugetlb_shifts = host.hugetlb_shifts;
	cfg->pkeys = host.pkeys;
}

/* The machine-wide settings the runner ran under. */
static void config_sysctls(struct umm_config *cfg)
{
	cfg->mmap_min_addr = read_ulong_file("/proc/sys/vm/mmap_min_addr", cfg->mmap_min_addr);
	cfg->max_map_count = read_ulong_file("/proc/sys/vm/max_map_count", cfg->max_map_count);
	cfg->overcommit_memory = (int)read_ulong_file("/proc/sys/vm/overcommit_memory",
						      (unsigned long)cfg->overcommit_memory);
	cfg->overcommit_ratio = (unsigned int)read_ulong_file("/proc/sys/vm/overcommit_ratio",
							      cfg->overcommit_ratio);
	cfg->overcommit_kbytes = read_ulong_file("/proc/sys/vm/overcommit_kbytes",
						 cfg->overcommit_kbytes);
	cfg->admin_reserve_kbytes = read_ulong_file("/proc/sys/vm/admin_reserve_kbytes",
						    cfg->admin_reserve_kbytes);
	cfg->user_reserve_kbytes = read_ulong_file("/proc/sys/vm/user_reserve_kbytes",
						   cfg->user_reserve_kbytes);
	cfg->totalram_pages = meminfo_kb("MemTotal", cfg->totalram_pages * 4) / 4;
	cfg->total_swap_pages = meminfo_kb("SwapTotal", cfg->total_swap_pages * 4) / 4;
	config_kernel_build(cfg);
}

void oracle_config(const struct oracle_run *run, struct umm_config *cfg)
{
	unsigned long base;

	umm_config_init(cfg);
	if (run->legacy) {
		/* bottom-up: the legacy base is computed (0x2aaaaaaab000) */
		cfg->layout = UMM_LAYOUT_LEGACY;
	} else {
		base = run->maps[0] ? umm_maps_infer_mmap_base(run->maps[0]) : 0;
		cfg->mmap_base = base ? base : DEFAULT_MMAP_BASE;
	}
	cfg->rlimit_as = run->rl_as;
	cfg->rlimit_data = run->rl_data;
	cfg->rlimit_memlock = run->rl_memlock;
	cfg->rlimit_stack = run->rl_stack;
	/* The runner drops these from its effective set unless "privileged"
	 * and reports what it really had; the config follows. */
	cfg->cap_sys_rawio = run->cap_sys_rawio;
	cfg->cap_ipc_lock = run->cap_ipc_lock;
	cfg->cap_sys_admin = run->cap_sys_admin;
	cfg->cap_sys_resource = run->cap_sys_resource;
	config_sysctls(cfg);
}

struct umm_mm *oracle_import(const struct oracle_run *run)
{
	struct umm_import_opts opts = {run->start_brk, run->brk0, run->start_stack, run->start_code,
				       run->end_code};
	struct umm_config cfg;
	struct umm_mm *mm;
	int bad_line = 0, rc;

	oracle_config(run, &cfg);
	mm = umm_mm_create(&cfg);
	if (!mm) {
		fprintf(stderr, "oracle: umm_mm_create failed\n");
		return NULL;
	}
	/* The runner re-execs itself with this persona. */
	umm_personality(mm, 0x0040000 /* ADDR_NO_RANDOMIZE */ |
				    (run->scn->legacy ? 0x0200000 /* ADDR_COMPAT_LAYOUT */ : 0));
	rc = umm_maps_import(mm, run->maps[0], &opts, &bad_line);
	if (rc) {
		fprintf(stderr, "oracle: umm_maps_import = %d (bad line %d) on:\n%s", rc, bad_line,
			run->maps[0]);
		umm_mm_destroy(mm);
		return NULL;
	}
	return mm;
}

/* The state of one replay. */
struct replay {
	const struct oracle_run *run;
	struct umm_mm *mm;
	struct umm_file *files[SCN_MAX_FILES];
	unsigned long vals[SCN_MAX_VARS]; /* variables, from the kernel's results */
	long base_pte, base_anon, base_shmem; /* memstat: usermm's counts after the import */
	long base_rollup[SCN_ROLLUP_LINES];
	unsigned long last_flt;
};

static void fmt_result(char *buf, size_t n, enum scn_kind kind, long r)
{
	const char *name = scn_is_errno(kind, r) ? scn_errno_name(-r) : NULL;

	if (scn_is_errno(kind, r))
		snprintf(buf, n, "-%s (%ld)", name ? name : "E?", r);
	else
		snprintf(buf, n, "%#lx", (unsigned long)r);
}

static void print_op(const struct replay *rp, const struct scn_op *op, int idx)
{
	const unsigned long *v = rp->vals;
	const char *file = op->file >= 0 ? rp->run->scn->files[op->file].id : "-1";

	fprintf(stderr, "  op %d (scenario line %d): %s(%#lx", idx, op->line, scn_kind_name(op->kind),
		scn_eval(&op->addr, v));
	if (op->kind == SCN_MMAP)
		fprintf(stderr, ", %#lx, prot %#lx, flags %#lx, file %s, off %#lx",
			scn_eval(&op->len, v), scn_eval(&op->prot, v), scn_eval(&op->flags, v), file,
			scn_eval(&op->off, v));
	else if (op->kind != SCN_BRK && op->kind != SCN_MLOCKALL && op->kind != SCN_MUNLOCKALL)
		fprintf(stderr, ", %#lx", scn_eval(&op->len, v));
	if (op->kind == SCN_MREMAP)
		fprintf(stderr, ", new_len %#lx, flags %#lx, new_addr %#lx",
			scn_eval(&op->new_len, v), scn_eval(&op->flags, v), scn_eval(&op->new_addr, v));
	if (op->kind == SCN_ANON_NAME)
		fprintf(stderr, ", %s", op->name_null ? "NULL" : op->name);
	if (op->kind == SCN_MPROTECT || op->kind == SCN_MSEAL || op->kind == SCN_MLOCK2 ||
	    op->kind == SCN_MSYNC || op->kind == SCN_PKEY_MPROTECT || op->kind == SCN_MADVISE ||
	    op->kind == SCN_TOUCH || op->kind == SCN_POKE)
		fprintf(stderr, ", %s %#lx", op->kind == SCN_MSEAL ? "flags" : "prot",
			scn_eval(&op->prot, v));
	fprintf(stderr, ")\n");
}

static int open_files(struct replay *rp)
{
	const struct scenario *s = rp->run->scn;

	for (int i = 0; i < s->nfiles; i++) {
		int err = 0;

		rp->files[i] = umm_file_open_path(s->files[i].path, s->files[i].open_flags, &err);
		if (!rp->files[i]) {
			fprintf(stderr, "oracle: umm_file_open_path(%s, %#x) failed: %d\n",
				s->files[i].path, s->files[i].open_flags, err);
			return -1;
		}
	}
	return 0;
}

/* mincore with a vector as large as the runner's (64 MiB of pages):
 * scenarios keep the mapped part of a mincore range within that, and use
 * larger lengths only where they fail before anything is written. */
static unsigned char mincore_vec[16384];

static long oracle_mincore(struct umm_mm *mm, unsigned long addr, unsigned long len)
{
	memset(mincore_vec, 0, sizeof(mincore_vec));
	return umm_mincore(mm, addr, len, mincore_vec);
}

/* After a mincore op that succeeded: the vectors' first 64 bytes. */
static int compare_mincore(const struct replay *rp, int idx, const struct scn_op *op)
{
	char mine[65];

	if (op->kind != SCN_MINCORE || rp->run->results[idx - 1] != 0)
		return 0;
	for (int k = 0; k < 64; k++)
		mine[k] = (char)('0' + (mincore_vec[k] & 1));
	mine[64] = '\0';
	if (strcmp(mine, rp->run->mincore[idx]) == 0)
		return 0;
	fprintf(stderr, "DIVERGENCE (mincore vector):\n");
	print_op(rp, op, idx - 1);
	fprintf(stderr, "  kernel: %s\n  usermm: %s\n", rp->run->mincore[idx], mine);
	return 1;
}

/* peek and poke through umm_read and umm_write: the byte, 0, or the
 * fault's (signal << 8) | si_code, as the runner's. */
static long oracle_peek_poke(struct umm_mm *mm, bool write, unsigned long addr, unsigned char v)
{
	long fault = 0, done;

	done = write ? umm_write(mm, addr, &v, 1, &fault) : umm_read(mm, addr, &v, 1, &fault);
	if (done == 1)
		return write ? 0 : v;
	return fault;
}

static long umm_do(struct replay *rp, const struct scn_op *op)
{
	const unsigned long *v = rp->vals;
	unsigned long addr = scn_eval(&op->addr, v), len = scn_eval(&op->len, v);
	int prot = (int)scn_eval(&op->prot, v);

	switch (op->kind) {
	case SCN_MMAP:
		return umm_mmap(rp->mm, addr, len, prot, (int)scn_eval(&op->flags, v),
				op->file >= 0 ? rp->files[op->file] : NULL, scn_eval(&op->off, v));
	case SCN_MUNMAP:
		return umm_munmap(rp->mm, addr, len);
	case SCN_MPROTECT:
		return umm_mprotect(rp->mm, addr, len, prot);
	case SCN_BRK:
		return (long)umm_brk(rp->mm, addr);
	case SCN_MSEAL:
		return umm_mseal(rp->mm, addr, len, (unsigned long)prot);
	case SCN_MLOCK:
		return umm_mlock(rp->mm, addr, len);
	case SCN_MLOCK2:
		return umm_mlock2(rp->mm, addr, len, (unsigned int)prot);
	case SCN_MUNLOCK:
		return umm_munlock(rp->mm, addr, len);
	case SCN_MLOCKALL:
		return umm_mlockall(rp->mm, (int)addr);
	case SCN_MUNLOCKALL:
		return umm_munlockall(rp->mm);
	case SCN_MSYNC:
		return umm_msync(rp->mm, addr, len, prot);
	case SCN_MINCORE:
		return oracle_mincore(rp->mm, addr, len);
	case SCN_MINCORE_TO:
		return umm_mincore_user(rp->mm, addr, len, scn_eval(&op->new_addr, v), NULL);
	case SCN_PKEY_MPROTECT:
		return umm_pkey_mprotect(rp->mm, addr, len, prot, (int)scn_eval(&op->flags, v));
	case SCN_MREMAP:
		return umm_mremap(rp->mm, addr, len, scn_eval(&op->new_len, v),
				  scn_eval(&op->flags, v), scn_eval(&op->new_addr, v));
	case SCN_MADVISE:
		return umm_madvise(rp->mm, addr, len, prot);
	case SCN_ANON_NAME:
		return umm_set_anon_name(rp->mm, addr, len, op->name_null ? NULL : op->name);
	case SCN_TOUCH: /* the same 0 or (signal << 8) | si_code as the runner */
		return umm_fault(rp->mm, addr, prot, NULL);
	case SCN_PEEK:
	case SCN_POKE:
		return oracle_peek_poke(rp->mm, op->kind == SCN_POKE, addr, (unsigned char)prot);
	case SCN_PRCTL:
		return umm_prctl(rp->mm, (int)addr, len, (unsigned long)prot,
				 scn_eval(&op->flags, v), scn_eval(&op->off, v));
	case SCN_PERSONALITY:
		return umm_personality(rp->mm, addr);
	case SCN_SETRLIMIT:
		return umm_setrlimit(rp->mm, (int)addr,
				     &(struct umm_rlimit){ len, scn_eval(&op->prot, v) });
	case SCN_CAPSET:
		umm_set_capabilities(rp->mm, addr);
		return 0;
	case SCN_REMAP_FILE_PAGES:
		return umm_remap_file_pages(rp->mm, addr, len, (unsigned long)prot,
					    scn_eval(&op->off, v), scn_eval(&op->flags, v));
	}
	return -1;
}

static bool expectation_holds(const struct replay *rp, const struct scn_op *op, long k)
{
	unsigned long n = scn_eval(&op->expect_val, rp->vals);

	switch (op->expect) {
	case SCN_EXPECT_NONE: return true;
	case SCN_EXPECT_OK: return !scn_is_errno(op->kind, k);
	case SCN_EXPECT_ERR: return scn_is_errno(op->kind, k);
	case SCN_EXPECT_VALUE: return (unsigned long)k == n;
	case SCN_EXPECT_ALIGNED: return !scn_is_errno(op->kind, k) && n && (unsigned long)k % n == 0;
	case SCN_EXPECT_UNALIGNED: return !scn_is_errno(op->kind, k) && n && (unsigned long)k % n;
	}
	return false;
}

static int report_expectation(const struct replay *rp, const struct scn_op *op, int i, long k)
{
	char kb[64];

	fmt_result(kb, sizeof(kb), op->kind, k);
	fprintf(stderr, "SCENARIO EXPECTATION FAILED (the test, not usermm, is wrong):\n");
	print_op(rp, op, i);
	fprintf(stderr, "  kernel returned %s, the scenario expects otherwise\n", kb);
	return 1;
}

static int report_result(const struct replay *rp, const struct scn_op *op, int i, long k, long u)
{
	char kb[64], ub[64];

	fmt_result(kb, sizeof(kb), op->kind, k);
	fmt_result(ub, sizeof(ub), op->kind, u);
	fprintf(stderr, "DIVERGENCE (result):\n");
	print_op(rp, op, i);
	fprintf(stderr, "  kernel: %s\n  usermm: %s\n", kb, ub);
	if (strlen(rp->run->maps[i]) < 16384)
		fprintf(stderr, "  maps before the op (kernel):\n%s", rp->run->maps[i]);
	return 1;
}

/* The maps lines of a maps or smaps text (smaps adds "Key: value" lines,
 * which never start with a lowercase hex digit). Malloc'ed. */
static char *maps_lines(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;

	for (const char *p = text; out && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);

		if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')) {
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	if (out)
		*o = '\0';
	return out;
}

/* Prints a maps or smaps divergence after op (NULL: after the import). */
static void report_text_divergence(struct replay *rp, const char *what, int idx,
				   const struct scn_op *op, const char *theirs, const char *mine)
{
	fprintf(stderr, "DIVERGENCE (%s %s):\n", what, op ? "after the op" : "after import");
	if (op)
		print_op(rp, op, idx - 1);
	if (mine && theirs)
		maps_text_print_diff(stderr, theirs, mine);
	else
		fprintf(stderr, "  %s\n", mine ? "kernel snapshot missing" : "no usermm text");
}

/* Compares usermm's maps with kernel snapshot idx; 0 if equal. */
static int compare_maps(struct replay *rp, int idx, const struct scn_op *op)
{
	char *mine = umm_maps_string(rp->mm);
	char *filtered = rp->run->maps[idx] ? maps_lines(rp->run->maps[idx]) : NULL;
	const char *theirs = filtered;
	int bad = !mine || !theirs || !maps_text_equal(theirs, mine);

	if (bad)
		report_text_divergence(rp, "maps", idx, op, theirs, mine);
	free(mine);
	free(filtered);
	return bad;
}

/* Is this smaps line a memory counter ("Rss:   12 kB")? Sizes of the
 * VMA and of its pages are not counters. */
static bool is_counter_line(const char *p, size_t n)
{
	static const char *const fixed[] = {"Size:", "KernelPageSize:", "MMUPageSize:"};

	if (n < 3 || memcmp(p + n - 3, " kB", 3) != 0)
		return false;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strncmp(p, fixed[i], strlen(fixed[i])) == 0)
			return false;
	return true;
}

/* The window of a "memstat" scenario: the VMAs whose pages usermm and
 * the runner both know from the start (imported VMAs hold pages in the
 * kernel that usermm never saw). */
#define MEMSTAT_WINDOW_START 0x300000000000UL
#define MEMSTAT_WINDOW_END 0x400000000000UL

/* Does this line start an smaps block of a VMA inside the window? */
static bool block_in_window(const char *p)
{
	char *end;
	unsigned long a = strtoul(p, &end, 16);

	return end != p && *end == '-' && a >= MEMSTAT_WINDOW_START && a < MEMSTAT_WINDOW_END;
}

/* An smaps text with the counters' values dropped, except (with
 * window) in the blocks of VMAs inside the memstat window: there every
 * counter must agree, elsewhere only which counters there are, in what
 * order. Malloc'ed. */
static char *smaps_skeleton(const char *text, bool window)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	bool in_window = false;

	for (const char *p = text; out && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t keep;

		if (isxdigit((unsigned char)*p) && strchr(p, '-') && strchr(p, '-') < p + n)
			in_window = window && block_in_window(p);
		keep = is_counter_line(p, n) && !in_window ? (size_t)(strchr(p, ':') - p + 1) : n;

		memcpy(o, p, keep);
		o += keep;
		if (nl)
			*o++ = '\n';
		p += n + (nl ? 1 : 0);
	}
	if (out)
		*o = '\0';
	return out;
}

/* With a "smaps" scenario: compares usermm's smaps with kernel snapshot
 * idx, counters by name only; 0 if equal. */
static int compare_smaps(struct replay *rp, int idx, const struct scn_op *op)
{
	bool window = rp->run->scn->memstat;
	char *text = umm_smaps_string(rp->mm);
	char *mine = text ? smaps_skeleton(text, window) : NULL;
	char *theirs = rp->run->maps[idx] ? smaps_skeleton(rp->run->maps[idx], window) : NULL;
	int bad = !mine || !theirs || !maps_text_equal(theirs, mine);

	if (bad)
		report_text_divergence(rp, "smaps", idx, op, theirs, mine);
	free(text);
	free(mine);
	free(theirs);
	return bad;
}


/* The window's first 64 pages' pagemap against the kernel's. */
static int compare_pagemap(const struct replay *rp, int idx, const struct scn_op *op)
{
	uint64_t e[64];
	char mine[65];

	if (umm_pagemap(rp->mm, MEMSTAT_WINDOW_START, 64, e))
		return 1;
	for (int k = 0; k < 64; k++)
		mine[k] = scn_pagemap_code(e[k]);
	mine[64] = '\0';
	if (strcmp(mine, rp->run->pagemap[idx]) == 0)
		return 0;
	fprintf(stderr, "DIVERGENCE (pagemap of the window's first 64 pages; bits present 1, "
			"swap 2, file 4, guard 8, exclusive 16):\n");
	print_op(rp, op, idx - 1);
	fprintf(stderr, "  kernel: %s\n  usermm: %s\n", rp->run->pagemap[idx], mine);
	return 1;
}

/* With "memstat": the lines of umm_status_string the import fixes,
 * against the kernel's /proc/self/status; 0 if equal. */
static int compare_status(struct replay *rp, int idx, const struct scn_op *op)
{
	static const char *const names[6] = { "VmSize:", "VmLck:", "VmData:", "VmStk:", "VmExe:",
					      "VmLib:" };
	char *text = umm_status_string(rp->mm);
	int bad = !text;

	for (int k = 0; k < 6 && !bad; k++) {
		const char *p = strstr(text, names[k]);
		long mine = p ? strtol(p + strlen(names[k]), NULL, 10) : -1;

		if (mine != rp->run->vm[idx][k]) {
			fprintf(stderr, "DIVERGENCE (/proc/PID/status after the op):\n");
			print_op(rp, op, idx - 1);
			fprintf(stderr, "  %s kernel %ld kB, usermm %ld kB\n", names[k],
				rp->run->vm[idx][k], mine);
			bad = 1;
		}
	}
	free(text);
	return bad;
}

/* With "memstat": how the smaps_rollup sums moved since the import,
 * against the kernel's; 0 if equal. Without op, notes the start. */
static int compare_rollup(struct replay *rp, int idx, const struct scn_op *op)
{
	static const char *const names[SCN_ROLLUP_LINES] = { "Rss:", "Pss_Anon:", "Pss_Shmem:",
							     "Anonymous:", "Locked:" };
	char *text = umm_smaps_rollup_string(rp->mm);
	int bad = !text;

	for (int k = 0; k < SCN_ROLLUP_LINES && !bad; k++) {
		const char *p = strstr(text, names[k]);
		long mine = p ? strtol(p + strlen(names[k]), NULL, 10) : -1;
		long theirs = rp->run->rollup[idx][k] - rp->run->rollup[0][k];

		if (!op) {
			rp->base_rollup[k] = mine;
			continue;
		}
		if (mine - rp->base_rollup[k] != theirs) {
			fprintf(stderr, "DIVERGENCE (smaps_rollup after the op):\n");
			print_op(rp, op, idx - 1);
			fprintf(stderr, "  %s kernel %+ld kB, usermm %+ld kB\n", names[k], theirs,
				mine - rp->base_rollup[k]);
			bad = 1;
		}
	}
	free(text);
	return bad;
}

/* With "memstat": how VmPTE, RssAnon and RssShmem moved since the import, and the
 * op's minor faults, against usermm's counts; 0 if equal. */
static int compare_memstat(struct replay *rp, int idx, const struct scn_op *op)
{
	const struct oracle_run *run = rp->run;
	struct umm_mm_stats st;
	long pte, anon, shmem, flt;

	umm_mm_stats(rp->mm, &st);
	pte = (long)(st.pgtables_bytes >> 10) - rp->base_pte;
	anon = (long)st.rss_anon * 4 - rp->base_anon;
	shmem = (long)st.rss_shmem * 4 - rp->base_shmem;
	flt = (long)(st.min_flt - rp->last_flt);
	rp->last_flt = st.min_flt;
	if (!op) {
		compare_rollup(rp, idx, op);
		rp->base_pte = pte;
		rp->base_anon = anon;
		rp->base_shmem = shmem;
		return 0;
	}
	if (pte == run->vm_pte[idx] - run->vm_pte[0] && anon == run->rss_anon[idx] - run->rss_anon[0] &&
	    shmem == run->rss_shmem[idx] - run->rss_shmem[0] && flt == run->min_flt[idx])
		return compare_mincore(rp, idx, op) || compare_pagemap(rp, idx, op) ||
		       compare_status(rp, idx, op) || compare_rollup(rp, idx, op);
	fprintf(stderr, "DIVERGENCE (memory counters after the op):\n");
	print_op(rp, op, idx - 1);
	fprintf(stderr, "  kernel: VmPTE %+ld kB, RssAnon %+ld kB, RssShmem %+ld kB, minor faults %ld\n",
		run->vm_pte[idx] - run->vm_pte[0], run->rss_anon[idx] - run->rss_anon[0],
		run->rss_shmem[idx] - run->rss_shmem[0], run->min_flt[idx]);
	fprintf(stderr, "  usermm: VmPTE %+ld kB, RssAnon %+ld kB, RssShmem %+ld kB, minor faults %ld\n",
		pte, anon, shmem, flt);
	return 1;
}

static int compare_snapshot(struct replay *rp, int idx, const struct scn_op *op)
{
	int bad = compare_maps(rp, idx, op);

	if (!bad && rp->run->scn->memstat)
		bad = compare_memstat(rp, idx, op);

	return !bad && rp->run->scn->smaps ? compare_smaps(rp, idx, op) : bad;
}

/* Shared with the parent of a forked check: the op being replayed
 * ([0], -1 for the import) and its scenario line ([1]). */
static volatile int *progress;

static void set_progress(int op, int line)
{
	if (progress) {
		progress[0] = op;
		progress[1] = line;
	}
}

static int replay_op(struct replay *rp, int i)
{
	const struct scn_op *op = &rp->run->scn->ops[i];
	long k = rp->run->results[i], u;
	int bad;

	set_progress(i, op->line);
	if (!expectation_holds(rp, op, k))
		return report_expectation(rp, op, i, k);
	u = umm_do(rp, op);
	bad = u != k ? report_result(rp, op, i, k, u) : 0;
	if (op->defines >= 0)
		rp->vals[op->defines] = (unsigned long)k;
	return bad ? bad : compare_snapshot(rp, i + 1, op);
}

/* UMM_ORACLE_KEEP_GOING=1: report every disagreement of a scenario, not
 * only the first (later ones may be consequences of earlier ones). */
static bool keep_going(void)
{
	const char *v = getenv("UMM_ORACLE_KEEP_GOING");

	return v && *v == '1';
}

static int replay(const struct oracle_run *run)
{
	struct replay rp = {.run = run};
	int bad;

	rp.vals[SCN_VAR_BRK0] = run->brk0;
	set_progress(-1, 0);
	rp.mm = oracle_import(run);
	bad = !rp.mm || open_files(&rp) || compare_snapshot(&rp, 0, NULL);
	for (int i = 0; (!bad || keep_going()) && rp.mm && i < run->scn->nops; i++)
		bad |= replay_op(&rp, i);
	for (int i = 0; i < run->scn->nfiles; i++)
		if (rp.files[i])
			umm_file_put(rp.files[i]);
	if (rp.mm)
		umm_mm_destroy(rp.mm);
	return bad ? 1 : 0;
}

/* UMM_ORACLE_KERNEL_ONLY=1: check the scenario's expectations on the
 * kernel and skip usermm (to validate scenarios on their own). */
static int expectations_only(const struct oracle_run *run)
{
	struct replay rp = {.run = run};

	rp.vals[SCN_VAR_BRK0] = run->brk0;
	for (int i = 0; i < run->scn->nops; i++) {
		const struct scn_op *op = &run->scn->ops[i];

		if (!expectation_holds(&rp, op, run->results[i]))
			return report_expectation(&rp, op, i, run->results[i]);
		if (op->defines >= 0)
			rp.vals[op->defines] = (unsigned long)run->results[i];
	}
	return 0;
}

static int check_in_process(const char *text)
{
	const char *only = getenv("UMM_ORACLE_KERNEL_ONLY");
	struct oracle_run run;
	int rc;

	if (oracle_kernel_run(text, &run))
		return 1;
	if (run.scn->privileged && !(run.cap_sys_rawio && run.cap_ipc_lock)) {
		fprintf(stderr, "oracle: SKIPPED, a privileged scenario needs CAP_SYS_RAWIO and "
				"CAP_IPC_LOCK (run as root)\n");
		oracle_run_free(&run);
		return 0;
	}
	rc = only && *only == '1' ? expectations_only(&run) : replay(&run);
	oracle_run_free(&run);
	return rc;
}

/* Seconds a forked check may take: UMM_ORACLE_TIMEOUT, default 10. */
static unsigned int replay_timeout(void)
{
	const char *v = getenv("UMM_ORACLE_TIMEOUT");
	long t = v ? strtol(v, NULL, 10) : 0;

	return t > 0 ? (unsigned int)t : 10;
}

/*
 * The check runs in a child process, so that a crash or an abort of the
 * invariant checker fails this scenario only and the suite goes on; a
 * replay that loops is killed by SIGALRM after replay_timeout() seconds.
 * UMM_ORACLE_NO_FORK=1 runs it in-process (for debuggers).
 */
/* The child side of a forked check; never returns. */
static void run_child(const char *text)
{
	/* cmocka's handlers would longjmp into its runner in the child */
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(replay_timeout());
	exit(check_in_process(text));
}

/* Turns the child's wait status into 0/1, reporting crashes and hangs. */
static int child_verdict(int status)
{
	if (WIFSIGNALED(status)) {
		if (WTERMSIG(status) == SIGALRM)
			fprintf(stderr, "USERMM TIMED OUT after %u s (a loop?)", replay_timeout());
		else
			fprintf(stderr, "USERMM CRASHED during the replay: signal %d (%s)",
				WTERMSIG(status), strsignal(WTERMSIG(status)));
		if (progress && progress[0] >= 0)
			fprintf(stderr, " in op %d (scenario line %d)\n", progress[0], progress[1]);
		else
			fprintf(stderr, progress && progress[0] == -1 ? " in the import\n" : "\n");
		return 1;
	}
	if (WEXITSTATUS(status) > 1)
		fprintf(stderr, "oracle: the replay exited with status %d (a sanitizer?)\n",
			WEXITSTATUS(status));
	return WEXITSTATUS(status) != 0;
}

int oracle_check(const char *text)
{
	const char *nofork = getenv("UMM_ORACLE_NO_FORK");
	int status;
	pid_t pid;

	if (nofork && *nofork == '1')
		return check_in_process(text);
	if (!progress) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		progress = p == MAP_FAILED ? NULL : p;
	}
	set_progress(-2, 0);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return check_in_process(text);
	if (pid == 0)
		run_child(text);
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	return child_verdict(status);
}

int oracle_checkf(const char *fmt, ...)
{
	va_list ap;
	char *text = NULL;
	int rc, n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return 1;
	rc = oracle_check(text);
	free(text);
	return rc;
}
