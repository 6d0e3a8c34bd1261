/*
 * difftest.c - owns one seed of `usermm difftest`: a session (a kernel
 * child and a usermm space imported from the child's smaps), the
 * lock-step loop that runs each generated call on both and compares the
 * result and the whole maps text, the divergence report, and the
 * minimisation of a diverging sequence into a short reproducer.
 */
#define _GNU_SOURCE
#include "difftest/difftest.h"
#include "report/maps_text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HEAP_PAGES 33UL /* a first malloc's worth of heap, see session_brk */
/* The child's resident memory is checked every RSS_EVERY calls; above
 * RSS_LIMIT_KB the generator has let something fault in far too much. */
#define RSS_EVERY 1000
#define RSS_LIMIT_KB (2UL << 20)

struct session {
	struct dt_child kid;
	struct dt_umm u;
	char *smaps0, *maps0;      /* the child's start */
	unsigned long steps;       /* steps that compared the maps */
	struct dt_range *prot;
	int nprot;
	unsigned long brk0;
	bool heap_fresh; /* no heap before session_brk: its bytes are all 0 */
	bool dead;
};

/* ---- set-up ----------------------------------------------------------- */

/* Field n (1-based) of a /proc/PID/stat text. */
static unsigned long stat_field(const char *stat, int n)
{
	const char *p = strrchr(stat, ')');

	for (int field = 2; p && field < n; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoul(p + 1, NULL, 10) : 0;
}

static long kernel_call(struct session *s, long nr, unsigned long a0)
{
	unsigned long a[6] = { a0 };

	return dt_child_syscall(&s->kid, nr, a, &s->dead, NULL);
}

/*
 * The break: a fresh child may not have a heap yet, and without a
 * [heap] line a maps file does not tell where the break is. The child
 * gets what glibc's first malloc would give it, so the reproducer's
 * maps file carries the break.
 */
static void session_brk(struct session *s, unsigned long start_brk)
{
	s->brk0 = (unsigned long)kernel_call(s, dt_kinds[DT_BRK].nr, 0);
	s->heap_fresh = s->brk0 == start_brk;
	if (s->brk0 == start_brk)
		s->brk0 = (unsigned long)kernel_call(s, dt_kinds[DT_BRK].nr,
						     start_brk + HEAP_PAGES * DT_PAGE);
}

/* Effective capabilities of the child, from its status file. */
static void session_caps(const struct session *s, struct umm_config *cfg)
{
	char *st = dt_child_proc(&s->kid, "status"), *p = st ? strstr(st, "CapEff:") : NULL;
	unsigned long long eff = p ? strtoull(p + 7, NULL, 16) : 0;

	cfg->cap_sys_rawio = (eff >> 17) & 1;
	cfg->cap_ipc_lock = (eff >> 14) & 1;
	cfg->cap_sys_admin = (eff >> 21) & 1;
	free(st);
}

/* The host's settings, and what the child really has: its layout (given
 * explicitly, so usermm draws nothing at random) and its capabilities. */
static int session_config(const struct session *s, struct umm_config *cfg)
{
	if (umm_config_from_host(cfg)) {
		fprintf(stderr, "usermm difftest: cannot read this host's settings\n");
		return -1;
	}
	cfg->randomize = false;
	if (cfg->layout == UMM_LAYOUT_TOPDOWN) {
		cfg->mmap_base = umm_maps_infer_mmap_base(s->maps0);
		if (!cfg->mmap_base) {
			fprintf(stderr, "usermm difftest: no mmap_base in the child's maps\n");
			return -1;
		}
	}
	session_caps(s, cfg);
	return 0;
}

static int session_import(struct session *s, const char *stat, const struct dt_files *f)
{
	struct umm_import_opts opts = { stat_field(stat, 47), s->brk0, stat_field(stat, 28),
					stat_field(stat, 26), stat_field(stat, 27) };
	struct umm_config cfg;
	int bad = 0, rc;

	if (session_config(s, &cfg) || !(s->u.mm = umm_mm_create(&cfg)))
		return -1;
	rc = umm_maps_import(s->u.mm, s->smaps0, &opts, &bad);
	if (rc) {
		fprintf(stderr, "usermm difftest: umm_maps_import = %d (line %d of the smaps)\n", rc,
			bad);
		return -1;
	}
	for (int i = 0; i < f->nfds; i++)
		s->u.files[f->fds[i].fd] = umm_file_from_fd(f->fds[i].fd, NULL);
	return 0;
}

static void session_end(struct session *s)
{
	dt_child_stop(&s->kid);
	for (int i = 0; i < DT_FD_LIMIT; i++)
		umm_file_put(s->u.files[i]);
	umm_mm_destroy(s->u.mm);
	umm_mm_destroy(s->u.parent);
	free(s->smaps0);
	free(s->maps0);
	free(s->prot);
	memset(s, 0, sizeof(*s));
}

static int session_start(struct session *s, const struct dt_opts *o, const struct dt_files *f)
{
	char *stat;
	int rc;

	memset(s, 0, sizeof(*s));
	if (dt_child_spawn(&s->kid, &o->child)) {
		fprintf(stderr, "usermm difftest: cannot start the kernel child\n");
		return -1;
	}
	stat = dt_child_proc(&s->kid, "stat");
	if (stat)
		session_brk(s, stat_field(stat, 47));
	s->smaps0 = dt_child_proc(&s->kid, "smaps");
	s->maps0 = dt_child_proc(&s->kid, "maps");
	rc = !stat || s->dead || !s->smaps0 || !s->maps0 ? -1 : session_import(s, stat, f);
	free(stat);
	if (!rc)
		s->nprot = dt_maps_protected(s->maps0, &s->prot);
	if (rc || !s->prot) {
		session_end(s);
		return -1;
	}
	return 0;
}

/* ---- one call --------------------------------------------------------- */

struct outcome {
	long k, u;   /* the kernel's and usermm's results (u DT_BYTE_DIFFERS: the bytes) */
	long kbyte, ubyte; /* a touch's byte on each side, or -1 */
	char *kmaps; /* the maps texts after the call (when asked for) */
	char *umaps;
	char *kmem;  /* with the maps: the memory views (difftest_mem.c) */
	char *umem;
};

static void outcome_free(struct outcome *r)
{
	free(r->kmaps);
	free(r->umaps);
	free(r->kmem);
	free(r->umem);
	r->kmaps = r->umaps = r->kmem = r->umem = NULL;
}

/* One side's memory view of an smaps text (NULL stays NULL), leaving
 * out the n ranges of prot. */
static char *view_of(const struct dt_range *prot, int n, char *smaps)
{
	char *v = smaps ? dt_mem_view(smaps, prot, n) : NULL;

	free(smaps);
	return v;
}

/* Appends the parent's view to a forked child's, after a marker line. */
static char *with_parent(char *child, char *parent)
{
	char *both = child && parent ? malloc(strlen(child) + strlen(parent) + 16) : NULL;

	if (both)
		sprintf(both, "%s-- parent --\n%s", child, parent);
	free(child);
	free(parent);
	return both;
}

/* The memory views of both sides now (NULL where a side gave none);
 * after a fork, the forked child's and then its parent's. */
static void mem_views(struct session *s, char **k, char **u)
{
	char *ks = dt_child_proc(&s->kid, "smaps");
	struct dt_range *apart = NULL;
	int n = ks && s->kid.forked ? dt_mergeable_ranges(ks, s->prot, s->nprot, &apart) : -1;

	*k = view_of(s->prot, s->nprot, ks);
	*u = view_of(s->prot, s->nprot, umm_smaps_string(s->u.mm));
	if (s->kid.forked && s->u.parent) {
		/* The parent's, apart from where the child's VMAs are
		 * mergeable (-1: no memory, so no view). */
		*k = with_parent(*k, n < 0 ? NULL : view_of(apart, n, dt_child_proc_parent(&s->kid, "smaps")));
		*u = with_parent(*u, n < 0 ? NULL : view_of(apart, n, umm_smaps_string(s->u.parent)));
	}
	free(apart);
}

static bool mem_differ(struct session *s)
{
	char *k, *u;
	bool differ;

	mem_views(s, &k, &u);
	differ = k && u && strcmp(k, u) != 0;
	free(k);
	free(u);
	return differ;
}

/* The memory views are compared every MEM_EVERY steps that compare the
 * maps (reading two smaps texts is the slow part of a step), and at
 * every step of a reproducer's rerun. */
#define MEM_EVERY 16

/* Runs c on both sides; with maps, reads both maps texts, and on every
 * MEM_EVERY-th such step (or with mem) the memory views. False if the
 * two disagree. */
static bool step_mem(struct session *s, const struct dt_call *c, bool maps, bool mem,
		     struct outcome *r)
{
	s->u.byte = -1;
	r->k = dt_child_syscall(&s->kid, dt_kinds[c->kind].nr, c->a, &s->dead, &r->kbyte);
	r->u = dt_kinds[c->kind].umm(&s->u, c);
	r->ubyte = s->u.byte;
	/* The bytes, where usermm holds the page (not shared or file memory). */
	if (r->k == r->u && r->kbyte >= 0 && r->ubyte >= 0 && r->kbyte != r->ubyte)
		r->u = DT_BYTE_DIFFERS;
	r->kmaps = r->umaps = r->kmem = r->umem = NULL;
	if (!maps || s->dead)
		return r->k == r->u;
	r->kmaps = dt_child_proc(&s->kid, "maps");
	r->umaps = umm_maps_string(s->u.mm);
	if (r->k != r->u || !r->kmaps || !r->umaps || !maps_text_equal(r->kmaps, r->umaps))
		return false;
	if (!mem && ++s->steps % MEM_EVERY)
		return true;
	mem_views(s, &r->kmem, &r->umem);
	return r->kmem && r->umem && strcmp(r->kmem, r->umem) == 0;
}

static bool step(struct session *s, const struct dt_call *c, bool maps, struct outcome *r)
{
	return step_mem(s, c, maps, false, r);
}

/* ---- reports ---------------------------------------------------------- */

static void report(FILE *out, const struct dt_call *c, const struct outcome *r)
{
	fputs("  call:   ", out);
	dt_print_call(out, c);
	fputs("\n  kernel:", out);
	dt_print_result(out, c, r->k);
	fputs("\n  usermm:", out);
	dt_print_result(out, c, r->u == DT_BYTE_DIFFERS ? r->k : r->u);
	fputc('\n', out);
	if (r->u == DT_BYTE_DIFFERS)
		fprintf(out, "  the byte: kernel %#lx, usermm %#lx\n", r->kbyte, r->ubyte);
	if (r->kmaps && r->umaps && !maps_text_equal(r->kmaps, r->umaps)) {
		maps_text_print_diff(out, r->kmaps, r->umaps);
	} else if (r->kmem && r->umem && strcmp(r->kmem, r->umem)) {
		fputs("  (the maps texts agree; the smaps counters of the VMAs of pages do not)\n",
		      out);
		maps_text_print_diff(out, r->kmem, r->umem);
	} else if (r->kmaps && r->umaps) {
		fputs("  (the maps texts agree)\n", out);
	}
}

static bool import_agrees(const struct session *s)
{
	char *mine = umm_maps_string(s->u.mm);
	bool same = mine && maps_text_equal(s->maps0, mine);

	if (!same) {
		printf("DIVERGENCE after the import of the child's smaps:\n");
		if (mine)
			maps_text_print_diff(stdout, s->maps0, mine);
	}
	free(mine);
	return same;
}

/* ---- the sequence ---------------------------------------------------- */

/* The calls of one seed, as run. */
struct seq {
	struct dt_call *v;
	size_t n, cap;
};

static int seq_push(struct seq *q, const struct dt_call *c)
{
	if (q->n == q->cap) {
		struct dt_call *nv = realloc(q->v, (q->cap = q->cap * 2 + 1024) * sizeof(*nv));

		if (!nv)
			return -1;
		q->v = nv;
	}
	q->v[q->n++] = *c;
	return 0;
}

/* A safety net against generator bugs that would eat the machine's
 * memory: false (after a message) if the child holds too much. */
static bool rss_ok(const struct session *s, unsigned long i)
{
	char *st;
	const char *p;
	unsigned long kb;

	if (i % RSS_EVERY)
		return true;
	st = dt_child_proc(&s->kid, "status");
	p = st ? strstr(st, "VmRSS:") : NULL;
	kb = p ? strtoul(p + 6, NULL, 10) : 0;
	free(st);
	if (kb <= RSS_LIMIT_KB)
		return true;
	fprintf(stderr, "usermm difftest: the child's resident memory reached %lu MiB after %lu "
			"calls (a difftest bug); stopping this seed\n", kb >> 10, i);
	return false;
}

static void dead_report(const struct dt_opts *o, unsigned long i, const struct dt_call *c, long k)
{
	fprintf(stderr, "usermm difftest: seed %llu, call %lu: the kernel child %s:\n  ",
		(unsigned long long)o->seed, i,
		k == -ETIMEDOUT ? "did not answer within 30 s" : "died");
	dt_print_call(stderr, c);
	fputc('\n', stderr);
}

static void verbose_line(const struct dt_opts *o, size_t i, const struct dt_call *c, long k)
{
	if (!o->verbose)
		return;
	printf("%6zu ", i);
	dt_print_call(stdout, c);
	dt_print_result(stdout, c, k);
	putchar('\n');
}

/* How a sequence diverged at its last call: in the result, or only in
 * the maps text. A reduction must keep it, so that it does not drift to
 * another divergence. */
enum dt_sig { SIG_RESULT, SIG_MAPS, SIG_MEM };

/*
 * Generates and runs calls until o->calls or the first divergence.
 * Returns the index of the diverging call (and *sig), -1 if none, -2 if
 * difftest failed; *ran counts the calls.
 */
static long run_calls(const struct dt_opts *o, struct session *s, const struct dt_files *f,
		      struct seq *q, unsigned long *ran, enum dt_sig *sig)
{
	struct umm_config cfg;
	struct dt_gen g;
	struct dt_call c;
	struct outcome r;

	umm_mm_config(s->u.mm, &cfg);
	dt_gen_init(&g, o->seed, s->brk0, f, s->prot, s->nprot);
	g.aslr = o->child.aslr;
	g.skip = o->skip;
	g.privileged = cfg.cap_ipc_lock; /* RLIMIT_MEMLOCK does not bound locking */
	g.exec_ok = s->heap_fresh; /* touches may run only memory of known bytes */
	for (unsigned long i = 0; i < o->calls; i++) {
		dt_gen_next(&g, &c);
		if (seq_push(q, &c)) {
			dt_gen_free(&g);
			return -2;
		}
		bool same = step(s, &c, true, &r);

		(*ran)++;
		progress_show(o->progress, "seed %llu: %lu of %lu calls", (unsigned long long)o->seed,
			      i + 1, o->calls);
		verbose_line(o, i, &c, r.k);
		if (!same || s->dead) {
			progress_clear(o->progress);
			*sig = r.k != r.u ? SIG_RESULT
			       : r.kmaps && r.umaps && maps_text_equal(r.kmaps, r.umaps) ? SIG_MEM
											 : SIG_MAPS;
			if (s->dead)
				dead_report(o, i, &c, r.k);
			if (!s->dead) {
				printf("DIVERGENCE at call %lu of seed %llu:\n", i,
				       (unsigned long long)o->seed);
				report(stdout, &c, &r);
			}
			outcome_free(&r);
			dt_gen_free(&g);
			return s->dead ? -2 : (long)i;
		}
		dt_gen_observe(&g, &c, r.k, r.kmaps);
		outcome_free(&r);
		if (!rss_ok(s, i + 1)) {
			dt_gen_free(&g);
			return -2;
		}
	}
	dt_gen_free(&g);
	return -1;
}

/* ---- minimisation ----------------------------------------------------- */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Whether the maps texts of the session differ now. */
static bool maps_differ(struct session *s)
{
	char *k = dt_child_proc(&s->kid, "maps"), *u = umm_maps_string(s->u.mm);
	bool differ = k && u && !maps_text_equal(k, u);

	free(k);
	free(u);
	return differ;
}

/*
 * Whether the kept calls still diverge the same way on a fresh child:
 * every call but the last agrees in its result, and the last (the one
 * that diverged, always kept) differs as sig says. Maps are compared only
 * at the end, for speed. Calls unsafe in this child are left out.
 */
static bool still_diverges(const struct dt_opts *o, const struct dt_files *f, const struct seq *q,
			   const bool *keep, enum dt_sig sig)
{
	struct session s;
	struct outcome r = { 0 };
	bool same = true, fails;
	size_t last = q->n - 1;

	if (session_start(&s, o, f))
		return false;
	for (size_t i = 0; i < last && same && !s.dead; i++)
		if (keep[i] && dt_call_safe(&q->v[i], s.prot, s.nprot))
			same = step(&s, &q->v[i], false, &r);
	fails = same && !s.dead && dt_call_safe(&q->v[last], s.prot, s.nprot);
	if (fails) {
		same = step(&s, &q->v[last], false, &r);
		fails = sig == SIG_RESULT ? !same
			: sig == SIG_MAPS ? same && maps_differ(&s)
					  : same && !maps_differ(&s) && mem_differ(&s);
	}
	fails = fails && !s.dead;
	session_end(&s);
	return fails;
}

/* Tries to drop the kept calls in [lo, hi); keeps the drop if it still
 * diverges. */
static bool try_drop(const struct dt_opts *o, const struct dt_files *f, const struct seq *q,
		     bool *keep, size_t lo, size_t hi, enum dt_sig sig)
{
	bool any = false;

	for (size_t i = lo; i < hi; i++) {
		any = any || keep[i];
		keep[i] = false;
	}
	if (any && still_diverges(o, f, q, keep, sig))
		return true;
	for (size_t i = lo; i < hi; i++)
		keep[i] = true;
	return false;
}

/* Greedy delta debugging: drop ever smaller chunks of calls while the
 * sequence still diverges, within o->minimize_seconds. */
static void minimize(const struct dt_opts *o, const struct dt_files *f, const struct seq *q,
		     bool *keep, enum dt_sig sig)
{
	double deadline = now() + o->minimize_seconds;
	size_t last = q->n - 1;

	for (size_t chunk = last / 2 ? last / 2 : 1; chunk >= 1; chunk /= 2) {
		bool progress = true;

		while (progress && now() < deadline) {
			progress = false;
			for (size_t hi = last; hi > 0 && now() < deadline; hi = hi > chunk ? hi - chunk : 0) {
				size_t lo = hi > chunk ? hi - chunk : 0;
				bool had = false;

				for (size_t i = lo; i < hi; i++)
					had = had || keep[i];
				progress_show(o->progress, "minimising: chunks of %zu calls, %.0f s left",
					      chunk, deadline - now());
				if (had && try_drop(o, f, q, keep, lo, hi, sig))
					progress = true;
			}
		}
		if (chunk == 1 || now() >= deadline)
			break;
	}
	progress_clear(o->progress);
}

/* ---- the reproducer --------------------------------------------------- */

/* The kept calls, run with full comparison up to the first divergence. */
struct rerun {
	struct dt_call *calls;
	long *res;
	size_t n;
	char *after;  /* the kernel's maps after the last call */
	bool diverged;
};

static void rerun_call(struct session *s, const struct dt_call *c, struct rerun *rr)
{
	struct outcome r;
	bool same = step_mem(s, c, true, true, &r);

	rr->calls[rr->n] = *c;
	rr->res[rr->n++] = r.k;
	printf("  ");
	dt_print_call(stdout, c);
	dt_print_result(stdout, c, r.k);
	printf("%s\n", same ? "" : "    <- diverges here");
	if (!same)
		report(stdout, c, &r);
	free(rr->after);
	rr->after = r.kmaps;
	r.kmaps = NULL;
	outcome_free(&r);
	rr->diverged = !same;
}

static void write_files(const char *prefix, const struct session *s, const struct rerun *rr,
			struct dt_files *f)
{
	struct dt_repro rp = { rr->calls, rr->res, rr->n, s->brk0, s->smaps0, s->maps0, rr->after };

	f->keep = true;
	if (dt_write_repro(prefix, &rp, f)) {
		fprintf(stderr, "usermm difftest: cannot write %s.*\n", prefix);
		return;
	}
	printf("reproducer: %s.trace (%zu calls) from %s.smaps (or .maps):\n"
	       "  usermm replay --check --maps %s.smaps %s.trace\n"
	       "the kernel's maps after the last call: %s.after.maps (compare with replay's "
	       "--dump-maps)\n",
	       prefix, rr->n, prefix, prefix, prefix, prefix);
}

/* Runs the kept calls on a fresh child, prints them as a trace with the
 * kernel's results, stops after the first divergence, and writes the
 * reproducer files. */
static void reproduce(const struct dt_opts *o, struct dt_files *f, const struct seq *q,
		      const bool *keep, const char *prefix)
{
	struct rerun rr = { malloc(q->n * sizeof(*rr.calls)), malloc(q->n * sizeof(*rr.res)), 0,
			    NULL, false };
	struct session s;

	if (rr.calls && rr.res && !session_start(&s, o, f)) {
		for (size_t i = 0; i < q->n && !rr.diverged && !s.dead; i++)
			if (keep[i] && dt_call_safe(&q->v[i], s.prot, s.nprot))
				rerun_call(&s, &q->v[i], &rr);
		if (!rr.diverged)
			printf("  (this run did not diverge: the divergence is not deterministic)\n");
		write_files(prefix, &s, &rr, f);
		session_end(&s);
	}
	free(rr.calls);
	free(rr.res);
	free(rr.after);
}

static void handle_divergence(const struct dt_opts *o, struct dt_files *f, struct seq *q,
			      size_t at, enum dt_sig sig)
{
	bool *keep = malloc((at + 1) * sizeof(*keep));
	char prefix[512];

	if (!keep)
		return;
	q->n = at + 1;
	for (size_t i = 0; i <= at; i++)
		keep[i] = true;
	if (o->out_prefix)
		snprintf(prefix, sizeof(prefix), "%s-seed%llu", o->out_prefix,
			 (unsigned long long)o->seed);
	else
		snprintf(prefix, sizeof(prefix), "%s/seed%llu", f->dir, (unsigned long long)o->seed);
	if (o->minimize) {
		printf("minimising %zu calls (at most %u s)...\n", q->n, o->minimize_seconds);
		fflush(stdout);
		minimize(o, f, q, keep, sig);
	}
	printf("%s reproducer:\n", o->minimize ? "minimised" : "full");
	reproduce(o, f, q, keep, prefix);
	free(keep);
}

void dt_run_seed(const struct dt_opts *o, struct dt_files *files, struct dt_stats *st)
{
	struct session s;
	struct seq q = { 0 };
	unsigned long before = st->calls;
	enum dt_sig sig = SIG_RESULT;
	long at;

	if (session_start(&s, o, files)) {
		st->failures++;
		return;
	}
	if (!import_agrees(&s)) {
		st->divergences++;
		session_end(&s);
		return;
	}
	at = run_calls(o, &s, files, &q, &st->calls, &sig);
	progress_clear(o->progress);
	if (at == -1)
		printf("seed %llu: %lu calls, no divergence\n", (unsigned long long)o->seed,
		       st->calls - before);
	if (at == -2) {
		fprintf(stderr, "usermm difftest: seed %llu: difftest failed (see above), the child "
				"died, or no memory\n",
			(unsigned long long)o->seed);
		st->failures++;
	}
	session_end(&s);
	if (at >= 0) {
		st->divergences++;
		handle_divergence(o, files, &q, (size_t)at, sig);
	}
	free(q.v);
}
