/*
 * test_threads.c - owns the concurrency tests: several threads hammering
 * one umm_mm with random mmap/munmap/mprotect/brk and the read-only calls
 * (umm_maps_string, umm_vma_iter, umm_find_vma, umm_mm_stats,
 * umm_mm_config), several threads each with a space of its own, and one
 * file handle mapped into many spaces from many threads at once.
 *
 * Each worker owns an arena (ARENA_PAGES pages at its own address, far
 * from where searches place things) and keeps a model of it page by
 * page; nobody else touches it, so the model must match even in a shared
 * space. Mappings a worker got from the free-area search are its own too.
 * Workers never use cmocka's asserts (not thread-safe): they record the
 * first failure, and the main thread asserts afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "core/lookup.h"
#include "mem/page_alloc.h"
#include "oracle.h"
#include "usermm.h"

#define PAGE 4096UL
#define NWORKERS 4
#define OPS_PER_WORKER 6000
#define ARENA_PAGES 64
#define ARENA_BASE 0x100000000000UL /* 16 TiB: far below mmap_base, above brk */
#define ARENA_STRIDE (1UL << 32)
#define ARENA_END (ARENA_BASE + 2 * NWORKERS * ARENA_STRIDE)
#define MAX_OWNED 24
#define BRK_PAGES 256
#define FILE_SIZE (1UL << 20)
#define UNMAPPED (-1)

struct owned {
	unsigned long addr, len;
	int prot;
};

struct worker {
	struct umm_mm *mm;
	struct umm_file *file; /* shared by every worker */
	unsigned long arena;
	signed char model[ARENA_PAGES]; /* prot of each arena page, or UNMAPPED */
	struct owned owned[MAX_OWNED];
	int nowned;
	unsigned long start_brk;
	uint64_t rng;
	int ops;
	bool shared; /* other workers use mm too */
	char fail[256]; /* the first failure; empty if none */
};

#define WCHECK(w, cond)                                                                     \
	do {                                                                                \
		if (!(cond) && !(w)->fail[0])                                               \
			snprintf((w)->fail, sizeof((w)->fail), "%s:%d: %s", __FILE__, __LINE__, \
				 #cond);                                                    \
	} while (0)

static uint64_t next_rnd(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static unsigned long rnd_below(struct worker *w, unsigned long n)
{
	return n ? next_rnd(w) % n : 0;
}

static int prot_of(unsigned long long flags)
{
	return (int)(flags & (UMM_VM_READ | UMM_VM_WRITE | UMM_VM_EXEC));
}

static unsigned long page_addr(const struct worker *w, unsigned long page)
{
	return w->arena + page * PAGE;
}

/* ---------------------------------------------------------------------
 * Arena ops: MAP_FIXED, munmap and mprotect with an exact model
 * ------------------------------------------------------------------- */

/* A random run of pages inside the arena. */
static void pick_run(struct worker *w, unsigned long *first, unsigned long *n)
{
	*first = rnd_below(w, ARENA_PAGES);
	*n = 1 + rnd_below(w, ARENA_PAGES - *first < 8 ? ARENA_PAGES - *first : 8);
}

static void op_fixed_map(struct worker *w)
{
	unsigned long first, n, off = 0;
	int prot = (int)rnd_below(w, 8), kind = (int)rnd_below(w, 4);
	int flags = MAP_FIXED | (kind < 2 ? MAP_PRIVATE | MAP_ANONYMOUS :
				kind == 2 ? MAP_SHARED | MAP_ANONYMOUS : MAP_SHARED);
	long r;

	pick_run(w, &first, &n);
	if (kind == 3)
		off = rnd_below(w, FILE_SIZE / PAGE - n) * PAGE;
	r = umm_mmap(w->mm, page_addr(w, first), n * PAGE, prot, flags,
		     kind == 3 ? w->file : NULL, off);
	WCHECK(w, r == (long)page_addr(w, first));
	memset(w->model + first, prot, n);
}

static void op_unmap(struct worker *w)
{
	unsigned long first, n;

	pick_run(w, &first, &n);
	WCHECK(w, umm_munmap(w->mm, page_addr(w, first), n * PAGE) == 0);
	memset(w->model + first, UNMAPPED, n);
}

/* mprotect applies up to the first hole and then fails with ENOMEM. */
static void op_protect(struct worker *w)
{
	unsigned long first, n, i;
	int prot = (int)rnd_below(w, 8), rc;

	pick_run(w, &first, &n);
	rc = umm_mprotect(w->mm, page_addr(w, first), n * PAGE, prot);
	for (i = first; i < first + n && w->model[i] != UNMAPPED; i++)
		w->model[i] = (signed char)prot;
	WCHECK(w, rc == (i == first + n ? 0 : -ENOMEM));
}

/* Every arena page as the model says. */
static void verify_arena(struct worker *w)
{
	for (unsigned long p = 0; p < ARENA_PAGES; p++) {
		struct umm_vma_info v;
		unsigned long a = page_addr(w, p);
		int rc = umm_find_vma(w->mm, a, &v);
		bool mapped = rc == 0 && v.start <= a;

		WCHECK(w, mapped == (w->model[p] != UNMAPPED));
		if (mapped)
			WCHECK(w, prot_of(v.vm_flags) == w->model[p]);
	}
}

/* ---------------------------------------------------------------------
 * Mappings from the free-area search
 * ------------------------------------------------------------------- */

static void drop_owned(struct worker *w, int i)
{
	WCHECK(w, umm_munmap(w->mm, w->owned[i].addr, w->owned[i].len) == 0);
	w->owned[i] = w->owned[--w->nowned];
}

static void op_map_any(struct worker *w)
{
	unsigned long len = (1 + rnd_below(w, 16)) * PAGE;
	int prot = (int)rnd_below(w, 8);
	long r;

	if (w->nowned == MAX_OWNED)
		drop_owned(w, (int)rnd_below(w, MAX_OWNED));
	r = umm_mmap(w->mm, 0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	WCHECK(w, r > 0 && (unsigned long)r % PAGE == 0);
	if (r <= 0)
		return;
	WCHECK(w, (unsigned long)r + len <= ARENA_BASE || (unsigned long)r >= ARENA_END);
	w->owned[w->nowned++] = (struct owned){ (unsigned long)r, len, prot };
}

static void verify_owned(struct worker *w, const struct owned *o)
{
	for (unsigned long a = o->addr; a < o->addr + o->len; a += PAGE) {
		struct umm_vma_info v;

		WCHECK(w, umm_find_vma(w->mm, a, &v) == 0 && v.start <= a);
		WCHECK(w, prot_of(v.vm_flags) == o->prot);
	}
}

static void op_owned(struct worker *w)
{
	int i = (int)rnd_below(w, (unsigned long)w->nowned);
	int prot = (int)rnd_below(w, 8);

	if (!w->nowned)
		return;
	if (rnd_below(w, 2)) {
		drop_owned(w, i);
		return;
	}
	WCHECK(w, umm_mprotect(w->mm, w->owned[i].addr, w->owned[i].len, prot) == 0);
	w->owned[i].prot = prot;
	verify_owned(w, &w->owned[i]);
}

/* brk always succeeds in the empty space above start_brk. */
static void op_brk(struct worker *w)
{
	unsigned long target = w->start_brk + rnd_below(w, BRK_PAGES * PAGE);

	WCHECK(w, umm_brk(w->mm, target) == target);
}

/* ---------------------------------------------------------------------
 * Read-only views
 * ------------------------------------------------------------------- */

/* A snapshot is one consistent state: it imports into a space of its
 * own and prints back the same. */
static void op_maps_string(struct worker *w)
{
	char *s = umm_maps_string(w->mm), *again;
	struct umm_mm *copy = umm_mm_create(NULL);
	int bad_line = 0;

	WCHECK(w, s != NULL && copy != NULL);
	if (s && copy) {
		WCHECK(w, umm_maps_import(copy, s, NULL, &bad_line) == 0);
		again = umm_maps_string(copy);
		WCHECK(w, again && maps_text_equal(s, again));
		free(again);
	}
	umm_mm_destroy(copy);
	free(s);
}

static void op_iter(struct worker *w)
{
	struct umm_vma_iter it;
	struct umm_vma_info v;
	unsigned long prev_end = 0, n = 0;

	umm_vma_iter_init(&it, w->mm, 0);
	while (umm_vma_iter_next(&it, &v)) {
		/* ends only grow; a start may lie below the last end when
		 * another thread merged across it meanwhile */
		WCHECK(w, v.end > prev_end && v.start < v.end && v.start % PAGE == 0);
		WCHECK(w, w->shared || v.start >= prev_end);
		prev_end = v.end;
		n++;
	}
	WCHECK(w, n < 65530);
}

static void op_find(struct worker *w)
{
	unsigned long addr = rnd_below(w, 3) ? page_addr(w, rnd_below(w, ARENA_PAGES)) :
					       rnd_below(w, 1UL << 47);
	struct umm_vma_info v;
	struct umm_mm_stats st;
	struct umm_config cfg;

	if (umm_find_vma(w->mm, addr, &v) == 0)
		WCHECK(w, v.end > addr && v.start < v.end);
	umm_mm_stats(w->mm, &st);
	WCHECK(w, st.total_vm >= st.map_count && st.brk >= st.start_brk);
	umm_mm_config(w->mm, &cfg);
	WCHECK(w, cfg.mmap_base == st.mmap_base && cfg.start_brk == w->start_brk);
}

/* ---------------------------------------------------------------------
 * Workers
 * ------------------------------------------------------------------- */

static void one_op(struct worker *w)
{
	unsigned long k = rnd_below(w, 100);

	if (k < 25)
		op_fixed_map(w);
	else if (k < 40)
		op_unmap(w);
	else if (k < 55)
		op_protect(w);
	else if (k < 65)
		op_map_any(w);
	else if (k < 75)
		op_owned(w);
	else if (k < 80)
		op_brk(w);
	else if (k < 82)
		op_maps_string(w);
	else if (k < 87)
		op_iter(w);
	else if (k < 97)
		op_find(w);
	else
		verify_arena(w);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < w->ops && !w->fail[0]; i++)
		one_op(w);
	verify_arena(w);
	for (int i = 0; i < w->nowned; i++)
		verify_owned(w, &w->owned[i]);
	return NULL;
}

static struct umm_file *shared_file(void)
{
	struct umm_file_desc d = { .path = "/umm/threads shared", .dev_major = 0, .dev_minor = 1,
				   .ino = 4242, .size = FILE_SIZE,
				   .mode = UMM_FILE_READ | UMM_FILE_WRITE, .kind = UMM_FILE_SHMEM };
	struct umm_file *f = umm_file_create(&d);

	assert_non_null(f);
	return f;
}

static void worker_init(struct worker *w, struct umm_mm *mm, struct umm_file *f, int i)
{
	struct umm_mm_stats st;

	memset(w, 0, sizeof(*w));
	umm_mm_stats(mm, &st);
	w->mm = mm;
	w->file = f;
	w->arena = ARENA_BASE + (unsigned long)i * ARENA_STRIDE;
	memset(w->model, UNMAPPED, sizeof(w->model));
	w->start_brk = st.start_brk;
	w->rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
	w->ops = OPS_PER_WORKER;
}

static void run_workers(struct worker *ws, int n)
{
	pthread_t t[2 * NWORKERS];

	for (int i = 0; i < n; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker_main, &ws[i]), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < n; i++) {
		if (ws[i].fail[0])
			fprintf(stderr, "worker %d: %s\n", i, ws[i].fail);
		assert_string_equal(ws[i].fail, "");
	}
}

/* ---------------------------------------------------------------------
 * Whole-space checks after the threads are done
 * ------------------------------------------------------------------- */

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Counters, the maps text and iteration agree; the checker passes. */
static void assert_consistent(struct umm_mm *mm)
{
	struct umm_mm_stats st;
	struct umm_vma_iter it;
	struct umm_vma_info v;
	unsigned long n = 0, pages = 0;
	char msg[256], *s;

	assert_int_equal(umm_mm_check(mm, msg, sizeof(msg)), 0);
	umm_mm_stats(mm, &st);
	umm_vma_iter_init(&it, mm, 0);
	while (umm_vma_iter_next(&it, &v)) {
		n++;
		pages += (v.end - v.start) / PAGE;
	}
	s = umm_maps_string(mm);
	assert_non_null(s);
	assert_int_equal(st.map_count, n);
	assert_int_equal(count_lines(s), n);
	assert_int_equal(st.total_vm, pages);
	assert_true(st.brk >= st.start_brk && st.brk <= st.start_brk + BRK_PAGES * PAGE);
	free(s);
}

static void shared_space(void **state)
{
	struct worker ws[NWORKERS];
	struct umm_file *f = shared_file();
	struct umm_mm *mm = umm_mm_create(NULL);

	(void)state;
	assert_non_null(mm);
	for (int i = 0; i < NWORKERS; i++) {
		worker_init(&ws[i], mm, f, i);
		ws[i].shared = true;
	}
	run_workers(ws, NWORKERS);
	assert_consistent(mm);
	umm_mm_destroy(mm);
	umm_file_put(f);
}

static void own_spaces(void **state)
{
	struct worker ws[NWORKERS];
	struct umm_file *f = shared_file();

	(void)state;
	for (int i = 0; i < NWORKERS; i++) {
		struct umm_mm *mm = umm_mm_create(NULL);

		assert_non_null(mm);
		worker_init(&ws[i], mm, f, i);
	}
	run_workers(ws, NWORKERS);
	for (int i = 0; i < NWORKERS; i++) {
		assert_consistent(ws[i].mm);
		umm_mm_destroy(ws[i].mm);
	}
	umm_file_put(f);
}

/* Both at once: NWORKERS on one space, NWORKERS on spaces of their own,
 * all mapping the same file. */
static void mixed(void **state)
{
	struct worker ws[2 * NWORKERS];
	struct umm_file *f = shared_file();
	struct umm_mm *shared = umm_mm_create(NULL);

	(void)state;
	assert_non_null(shared);
	for (int i = 0; i < 2 * NWORKERS; i++) {
		struct umm_mm *mm = i < NWORKERS ? shared : umm_mm_create(NULL);

		assert_non_null(mm);
		worker_init(&ws[i], mm, f, i);
		ws[i].ops = OPS_PER_WORKER / 2;
		ws[i].shared = i < NWORKERS;
	}
	run_workers(ws, 2 * NWORKERS);
	assert_consistent(shared);
	umm_mm_destroy(shared);
	for (int i = NWORKERS; i < 2 * NWORKERS; i++) {
		assert_consistent(ws[i].mm);
		umm_mm_destroy(ws[i].mm);
	}
	umm_file_put(f);
}

/* ---------------------------------------------------------------------
 * One handle, many short-lived spaces, many threads
 * ------------------------------------------------------------------- */

struct churn {
	struct umm_file *file;
	atomic_int failures;
};

static void *churn_main(void *arg)
{
	struct churn *c = arg;

	for (int i = 0; i < 400; i++) {
		struct umm_mm *mm = umm_mm_create(NULL);
		long a = mm ? umm_mmap(mm, 0, 8 * PAGE, PROT_READ, MAP_SHARED, c->file, 0) : -1;
		long b = mm ? umm_mmap(mm, 0, 4 * PAGE, PROT_READ, MAP_PRIVATE, c->file, PAGE) : -1;

		if (a <= 0 || b <= 0 || umm_munmap(mm, (unsigned long)a + PAGE, PAGE) != 0)
			atomic_fetch_add(&c->failures, 1);
		/* destroying drops the mappings' references, racing the others */
		umm_mm_destroy(mm);
	}
	return NULL;
}

static void file_across_spaces(void **state)
{
	struct churn c = { .file = shared_file() };
	pthread_t t[2 * NWORKERS];
	const struct umm_file_desc *d;

	(void)state;
	atomic_init(&c.failures, 0);
	for (int i = 0; i < 2 * NWORKERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, churn_main, &c), 0);
	for (int i = 0; i < 2 * NWORKERS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(atomic_load(&c.failures), 0);
	/* only our own reference is left, and the handle is intact */
	d = umm_file_describe(c.file);
	assert_string_equal(d->path, "/umm/threads shared");
	umm_file_put(c.file);
}

/* Threads allocating and freeing frames of one physical memory, and
 * spaces sharing it made and dropped in between. */
struct phys_churn {
	struct umm_phys *phys;
	int seed;
};

static void *phys_main(void *arg)
{
	struct phys_churn *c = arg;
	struct page *held[64] = { 0 };
	unsigned int order[64] = { 0 };
	unsigned int r = (unsigned int)c->seed;
	struct umm_config cfg;

	umm_config_init(&cfg);
	cfg.phys = c->phys;
	for (int i = 0; i < 20000; i++) {
		int k = (int)((r = r * 1103515245u + 12345u) >> 16) % 64;

		if (held[k]) {
			free_pages(c->phys, held[k], order[k]);
			held[k] = NULL;
		} else {
			order[k] = (r >> 8) % 4;
			held[k] = alloc_pages(c->phys, order[k], 0);
		}
		if (i % 1000 == 0)
			umm_mm_destroy(umm_mm_create(&cfg));
	}
	for (int k = 0; k < 64; k++)
		if (held[k])
			free_pages(c->phys, held[k], order[k]);
	return NULL;
}

static void phys_across_threads(void **state)
{
	struct umm_phys_config pcfg;
	struct phys_churn c[NWORKERS];
	pthread_t t[NWORKERS];
	struct umm_zone_info z;
	struct umm_phys *phys;
	char msg[128];

	(void)state;
	umm_phys_config_init(&pcfg);
	pcfg.bytes = 64UL << 20;
	phys = umm_phys_create(&pcfg);
	assert_non_null(phys);
	for (int i = 0; i < NWORKERS; i++) {
		c[i] = (struct phys_churn){ phys, i + 1 };
		assert_int_equal(pthread_create(&t[i], NULL, phys_main, &c[i]), 0);
	}
	for (int i = 0; i < NWORKERS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(phys_check(phys, msg, sizeof(msg)), 0);
	assert_int_equal(umm_phys_zone(phys, 1, &z), 0);
	assert_int_equal(z.free, 12288); /* everything came back */
	umm_phys_put(phys);
}

/* One space per thread, all on one physical memory: faults, moves and
 * unmaps in parallel, each space's tables and counts its own. */
struct fault_worker {
	struct umm_phys *phys;
	unsigned int seed;
	long faults;
};

static void *fault_main(void *arg)
{
	struct fault_worker *w = arg;
	struct umm_config cfg;
	struct umm_mm *mm;
	const unsigned long base = 0x300000000000UL, len = 64 * 4096UL;

	umm_config_init(&cfg);
	cfg.phys = w->phys;
	mm = umm_mm_create(&cfg);
	for (int round = 0; mm && round < 200; round++) {
		unsigned long at = base + ((unsigned long)(rand_r(&w->seed) % 4) << 30);

		if (umm_mmap(mm, at, len, 3, 0x32, NULL, 0) != (long)at)
			break;
		for (unsigned long a = at; a < at + len; a += 4096 * (1 + rand_r(&w->seed) % 3))
			w->faults += umm_fault(mm, a, UMM_ACCESS_WRITE, NULL) == 0;
		if (rand_r(&w->seed) % 2)
			umm_mremap(mm, at, len, len, 3, at + (1UL << 29));
		umm_munmap(mm, base, 8UL << 30);
	}
	umm_mm_destroy(mm);
	return NULL;
}

static void faults_across_threads(void **state)
{
	struct umm_phys_config pcfg;
	struct fault_worker w[NWORKERS];
	pthread_t t[NWORKERS];
	struct umm_zone_info z0, z1;
	struct umm_phys *phys;
	char msg[128];

	(void)state;
	umm_phys_config_init(&pcfg);
	pcfg.bytes = 64UL << 20;
	phys = umm_phys_create(&pcfg);
	assert_non_null(phys);
	assert_int_equal(umm_phys_zone(phys, 1, &z0), 0);
	for (int i = 0; i < NWORKERS; i++) {
		w[i] = (struct fault_worker){ phys, (unsigned int)i + 7, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, fault_main, &w[i]), 0);
	}
	for (int i = 0; i < NWORKERS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(w[i].faults > 0);
	}
	assert_int_equal(phys_check(phys, msg, sizeof(msg)), 0);
	assert_int_equal(umm_phys_zone(phys, 1, &z1), 0);
	assert_int_equal(z1.free, z0.free);
	umm_phys_put(phys);
}

/* A parent and its forked child, each written by its own thread: the
 * copies on write of the pages they share race on the pages' counts. */
struct cow_worker {
	struct umm_mm *mm;
	unsigned char tag;
};

static void *cow_main(void *arg)
{
	struct cow_worker *w = arg;

	for (unsigned long i = 0; i < 256; i++)
		umm_write(w->mm, 0x300000000000UL + i * 4096, &w->tag, 1, NULL);
	return NULL;
}

static void cow_across_threads(void **state)
{
	struct cow_worker w[2];
	pthread_t t[2];
	struct umm_mm *parent = umm_mm_create(NULL), *child = NULL;
	unsigned char buf[256 * 4096];
	char msg[128];

	(void)state;
	assert_int_equal(umm_mmap(parent, 0x300000000000UL, sizeof(buf), 3, 0x32, NULL, 0),
			 0x300000000000L);
	memset(buf, 0x11, sizeof(buf));
	assert_int_equal(umm_write(parent, 0x300000000000UL, buf, sizeof(buf), NULL), (long)sizeof(buf));
	for (int round = 0; round < 20; round++) {
		assert_int_equal(umm_mm_fork(parent, &child), 0);
		w[0] = (struct cow_worker){ parent, (unsigned char)round };
		w[1] = (struct cow_worker){ child, (unsigned char)(round + 100) };
		for (int i = 0; i < 2; i++)
			assert_int_equal(pthread_create(&t[i], NULL, cow_main, &w[i]), 0);
		for (int i = 0; i < 2; i++)
			assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(umm_read(child, 0x300000000000UL + 4096, buf, 1, NULL), 1);
		assert_int_equal(buf[0], round + 100);
		assert_int_equal(umm_mm_check(child, msg, sizeof(msg)), 0);
		umm_mm_destroy(child);
		assert_int_equal(umm_read(parent, 0x300000000000UL + 4096, buf, 1, NULL), 1);
		assert_int_equal(buf[0], round);
	}
	assert_int_equal(umm_mm_check(parent, msg, sizeof(msg)), 0);
	umm_mm_destroy(parent);
}

/* Shared memory of a parent and its forked child, each worked on by its
 * own thread: faults of both fill one page cache while the parent
 * punches holes (which the child's entries must drop), unmaps and pages
 * out; in the end every page comes back to the physical memory. */
#define SHM_AT 0x300000000000UL
#define SHM_PAGES 64UL

struct shm_worker {
	struct umm_mm *mm;
	unsigned int seed;
	bool puncher;
};

static void *shm_main(void *arg)
{
	struct shm_worker *w = arg;
	unsigned char vec[SHM_PAGES], b = 1;

	for (int i = 0; i < 2000; i++) {
		unsigned long pg = (unsigned long)rand_r(&w->seed) % SHM_PAGES;
		unsigned long n = 1 + (unsigned long)rand_r(&w->seed) % 8;
		unsigned long at = SHM_AT + pg * 4096;

		if (pg + n > SHM_PAGES)
			n = SHM_PAGES - pg;
		switch (rand_r(&w->seed) % (w->puncher ? 6 : 3)) {
		case 0:
			umm_write(w->mm, at, &b, 1, NULL);
			break;
		case 1:
			umm_read(w->mm, at, &b, 1, NULL);
			break;
		case 2:
			umm_mincore(w->mm, SHM_AT, SHM_PAGES * 4096, vec);
			break;
		case 3:
			umm_madvise(w->mm, at, n * 4096, UMM_MADV_REMOVE);
			break;
		case 4:
			umm_madvise(w->mm, at, n * 4096, UMM_MADV_DONTNEED);
			break;
		default:
			umm_madvise(w->mm, at, n * 4096, UMM_MADV_PAGEOUT);
			break;
		}
	}
	return NULL;
}

static void shared_memory_across_threads(void **state)
{
	struct umm_phys_config pcfg;
	struct umm_zone_info z0, z1;
	struct umm_config cfg;
	struct umm_mm *parent, *child = NULL;
	struct shm_worker w[2];
	pthread_t t[2];
	struct umm_phys *phys;
	char msg[128];

	(void)state;
	umm_phys_config_init(&pcfg);
	pcfg.bytes = 64UL << 20;
	phys = umm_phys_create(&pcfg);
	assert_non_null(phys);
	assert_int_equal(umm_phys_zone(phys, 1, &z0), 0);
	umm_config_init(&cfg);
	cfg.phys = phys;
	parent = umm_mm_create(&cfg);
	assert_non_null(parent);
	assert_int_equal(umm_mmap(parent, SHM_AT, SHM_PAGES * 4096, 3,
				  UMM_MAP_SHARED | UMM_MAP_ANONYMOUS | UMM_MAP_FIXED, NULL, 0),
			 (long)SHM_AT);
	for (int round = 0; round < 10; round++) {
		assert_int_equal(umm_mm_fork(parent, &child), 0);
		w[0] = (struct shm_worker){ parent, (unsigned int)round + 1, true };
		w[1] = (struct shm_worker){ child, (unsigned int)round + 50, false };
		for (int i = 0; i < 2; i++)
			assert_int_equal(pthread_create(&t[i], NULL, shm_main, &w[i]), 0);
		for (int i = 0; i < 2; i++)
			assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(umm_mm_check(child, msg, sizeof(msg)), 0);
		umm_mm_destroy(child);
	}
	assert_int_equal(umm_mm_check(parent, msg, sizeof(msg)), 0);
	umm_mm_destroy(parent);
	assert_int_equal(phys_check(phys, msg, sizeof(msg)), 0);
	assert_int_equal(umm_phys_zone(phys, 1, &z1), 0);
	assert_int_equal(z1.free, z0.free);
	umm_phys_put(phys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shared_space),
		cmocka_unit_test(own_spaces),
		cmocka_unit_test(mixed),
		cmocka_unit_test(file_across_spaces),
		cmocka_unit_test(phys_across_threads),
		cmocka_unit_test(faults_across_threads),
		cmocka_unit_test(cow_across_threads),
		cmocka_unit_test(shared_memory_across_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
