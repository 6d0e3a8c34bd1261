/*
 * test_oracle_random.c - random scenarios judged by the kernel. This file
 * owns a generator of random op sequences (mmap with random lengths,
 * protections, flag combinations, files and offsets, fixed and
 * no-replace mappings; munmap and mprotect of random ranges; brk with
 * sensible and garbage values) made from fixed seeds, and the loop that
 * runs each sequence through oracle_check().
 *
 * Safety: the kernel runner must survive its scenario, so every range the
 * generator touches is one the scenario owns or a region that is free in
 * the runner: three arenas (0x200000000000, 0x40000000 and the 32 MiB
 * above brk0), and sub-ranges of what an earlier mmap returned (a failed
 * mmap's -errno plus a small offset lands in free low memory or is
 * refused). Lengths that could reach beyond are only garbage values the
 * kernel refuses before touching anything; a MAP_FIXED|MAP_HUGETLB into
 * an owned range is kept only if its length rounded up to the huge page
 * still fits. Each check runs under a CPU time limit, so a usermm call
 * that never returns fails the scenario instead of hanging the suite.
 *
 * Environment:
 *   UMM_RANDOM_SCENARIOS=N   how many scenarios (default 200)
 *   UMM_RANDOM_SEED=S        the first seed (default 1); scenario i uses S+i
 *   UMM_RANDOM_MINIMIZE=1    on a divergence, also print a reduced scenario
 *                            that still fails the same way
 * A failing scenario is printed with its seed; its ${NAME} files are the
 * standard ones of oracle_test.h plus ${SMALL} (3 pages + 100 bytes on
 * /tmp) and ${BIG} (8 MiB on /tmp).
 */
#define _GNU_SOURCE
#include "oracle_test.h"
#include "trace/flags.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define MIB (1UL << 20)
#define GIB (1UL << 30)
#define TASK_SIZE_VAL ((1UL << 47) - PAGE)

#define DEFAULT_SCENARIOS 200
#define CHECK_CPU_SECONDS 20
#define MIN_OPS 30
#define MAX_OPS 60
#define MAX_FILES 4
#define MAX_HDR (MAX_FILES + 2)
#define MAX_POINTS 128
#define LINE_MAX_LEN 512
#define TEXT_MAX (MAX_OPS * LINE_MAX_LEN + 2048)

/* ---- the random number generator (splitmix64) ------------------------ */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long below(struct rng *r, unsigned long n)
{
	return n ? (unsigned long)(rnd(r) % n) : 0;
}

static bool chance(struct rng *r, unsigned int pct)
{
	return below(r, 100) < pct;
}

/* An index in [0, n) drawn with the given weights. */
static size_t weighted(struct rng *r, const unsigned int *w, size_t n)
{
	unsigned long total = 0, x;

	for (size_t i = 0; i < n; i++)
		total += w[i];
	x = below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define WEIGHTED(r, w) weighted((r), (w), sizeof(w) / sizeof((w)[0]))

static unsigned long pick_ul(struct rng *r, const unsigned long *v, size_t n)
{
	return v[below(r, n)];
}

#define PICK(r, v) pick_ul((r), (v), sizeof(v) / sizeof((v)[0]))

/* ---- rendering numbers and masks ------------------------------------- */

/* "|"-joined terms. */
struct terms {
	char buf[200];
	int n;
};

static void term_add(struct terms *t, const char *s)
{
	size_t len = strlen(t->buf);

	snprintf(t->buf + len, sizeof(t->buf) - len, "%s%s", t->n ? "|" : "", s);
	t->n++;
}

static void term_hex(struct terms *t, unsigned long v)
{
	char hex[32];

	snprintf(hex, sizeof(hex), "0x%lx", v);
	term_add(t, hex);
}

/* Each set bit by its name in the tools' table (tools/trace/flags.c),
 * or in hex. */
static void term_bits(struct terms *t, enum flag_set set, unsigned long v)
{
	for (int b = 0; b < 64; b++) {
		const char *name = flag_name(set, 1UL << b);

		if (!(v & (1UL << b)))
			continue;
		if (name)
			term_add(t, name);
		else
			term_hex(t, 1UL << b);
	}
}

/* The terms, or v in hex if there are more than SCN_MAX_TERMS. */
static void render_terms(char *out, size_t n, const struct terms *t, unsigned long v)
{
	if (t->n == 0)
		snprintf(out, n, "0");
	else if (t->n > SCN_MAX_TERMS)
		snprintf(out, n, "0x%lx", v);
	else
		snprintf(out, n, "%s", t->buf);
}

static void render_prot(char *out, size_t n, unsigned long prot)
{
	struct terms t = {"", 0};

	if (prot == 0) {
		snprintf(out, n, "PROT_NONE");
		return;
	}
	term_bits(&t, FLAGS_PROT, prot);
	render_terms(out, n, &t, prot);
}

/* The type, the flag bits, a huge page size by name (the scenario
 * language has no shifts). */
static void render_flags(char *out, size_t n, unsigned long flags)
{
	unsigned long huge = (flags >> 26) & 0x3f, type = flags & 0xf;
	struct terms t = {"", 0};

	if (flag_name(FLAGS_MAP_TYPE, type))
		term_add(&t, flag_name(FLAGS_MAP_TYPE, type));
	else
		term_hex(&t, type);
	term_bits(&t, FLAGS_MAP, flags & ~0xfUL & ~(0x3fUL << 26));
	if (huge == 21 || huge == 30)
		term_add(&t, huge == 21 ? "MAP_HUGE_2MB" : "MAP_HUGE_1GB");
	else if (huge)
		term_hex(&t, huge << 26);
	render_terms(out, n, &t, flags);
}

/* ---- the generator --------------------------------------------------- */

enum { AR_HIGH, AR_LOW, AR_BRK, NARENAS };

static const unsigned long arena_base[NARENAS] = {0x200000000000UL, 0x40000000UL, 0};
static const unsigned long arena_size[NARENAS] = {64 * MIB, 64 * MIB, 32 * MIB};

/* An address expression: a literal, brk0 + off, or variable + off. */
#define ADDR_LITERAL (-1)
#define ADDR_BRK0 (-2)
struct gaddr {
	int var;           /* ADDR_LITERAL, ADDR_BRK0, or the defining op's index */
	unsigned long off; /* the literal, or the offset */
};

struct gop {
	char line[LINE_MAX_LEN];
	int uses;          /* op index whose variable this op uses, or -1 */
	int file;          /* file id this op maps, or -1 */
};

/* A range an earlier mmap's variable owns: [m<op>, m<op> + len). */
struct owned {
	int op;
	unsigned long len;
};

struct point {
	int arena;
	unsigned long off;
};

struct gen {
	struct rng r;
	char hdr[MAX_HDR][128]; /* "file fN ..." lines (hdr[N]), rlimit, privileged */
	int nhdr;
	int nfiles;
	bool privileged;
	struct gop ops[MAX_OPS];
	int nops;
	struct owned owned[MAX_OPS];
	int nowned;
	struct point pts[MAX_POINTS];
	int npts;
};

static void render_addr(char *out, size_t n, struct gaddr a)
{
	if (a.var == ADDR_LITERAL)
		snprintf(out, n, "0x%lx", a.off);
	else if (a.var == ADDR_BRK0)
		snprintf(out, n, "brk0+0x%lx", a.off);
	else
		snprintf(out, n, "m%d+0x%lx", a.var, a.off);
}

static void add_point(struct gen *g, int arena, unsigned long off)
{
	if (off >= arena_size[arena])
		return;
	if (g->npts < MAX_POINTS)
		g->pts[g->npts++] = (struct point){arena, off};
	else
		g->pts[below(&g->r, MAX_POINTS)] = (struct point){arena, off};
}

static struct gaddr arena_addr(int arena, unsigned long off)
{
	if (arena == AR_BRK)
		return (struct gaddr){ADDR_BRK0, off};
	return (struct gaddr){ADDR_LITERAL, arena_base[arena] + off};
}

/* An arena and a page-aligned offset in it, often an earlier op's edge. */
static int pick_arena(struct gen *g, unsigned long *off)
{
	static const unsigned int w[NARENAS] = {55, 25, 20};
	int arena = (int)WEIGHTED(&g->r, w);
	unsigned long pages = arena_size[arena] / PAGE;

	*off = below(&g->r, pages) * PAGE;
	if (g->npts && chance(&g->r, 60)) {
		const struct point *p = &g->pts[below(&g->r, (unsigned long)g->npts)];

		arena = p->arena;
		*off = p->off;
		if (chance(&g->r, 30)) {
			unsigned long d = (1 + below(&g->r, 4)) * PAGE;

			*off = chance(&g->r, 50) && *off >= d ? *off - d : *off + d;
		}
	} else if (chance(&g->r, 20)) {
		*off &= ~(2 * MIB - 1); /* a 2 MiB boundary */
	}
	return arena;
}

/* A length for a range in an arena: pages, 2 MiB multiples, spans. */
static unsigned long arena_len(struct rng *r)
{
	static const unsigned int w[] = {35, 20, 12, 10, 8, 10, 5};

	switch (WEIGHTED(r, w)) {
	case 0: return (1 + below(r, 4)) * PAGE;
	case 1: return (5 + below(r, 60)) * PAGE;
	case 2: return (1 + below(r, 3)) * 2 * MIB;
	case 3: return (1 + below(r, 1024)) * PAGE;
	case 4: return 2 * MIB + (chance(r, 50) ? PAGE : -PAGE);
	case 5: return (1 + below(r, 4096)) * PAGE;
	default: return (1 + below(r, 16)) * MIB;
	}
}

/* A length for a non-fixed mmap: like arena_len, plus big and garbage. */
static unsigned long any_len(struct rng *r)
{
	static const unsigned long huge[] = {
		1 * GIB, 64 * GIB, 1UL << 40, 1UL << 46, TASK_SIZE_VAL, TASK_SIZE_VAL + 1,
		1UL << 47, ~0UL, ~0UL - PAGE + 1, 1UL << 63,
	};
	unsigned int x = (unsigned int)below(r, 100);

	if (x < 3)
		return 0;
	if (x < 6)
		return PICK(r, huge);
	if (x < 14) /* unaligned: rounded up by the kernel */
		return (1 + below(r, 8)) * PAGE - 1 - below(r, PAGE - 1);
	return arena_len(r);
}

/* A garbage length for a fixed range: always refused before any change. */
static unsigned long garbage_len(struct rng *r)
{
	static const unsigned long v[] = {
		~0UL, ~0UL - PAGE + 1, 1UL << 47, 1UL << 63, TASK_SIZE_VAL + PAGE, ~0UL - 2 * MIB,
	};

	return PICK(r, v);
}

static unsigned long gen_prot(struct rng *r)
{
	static const unsigned long base[] = {0, 1, 3, 5, 7, 2, 4, 6};
	static const unsigned int w[] = {12, 25, 30, 8, 5, 5, 5, 2};
	static const unsigned long odd[] = {0x8, 0x01000000, 0x02000000, 0x10, 0x40000000, 0x80};
	unsigned long prot = base[WEIGHTED(r, w)];

	if (chance(r, 8))
		prot |= PICK(r, odd);
	return prot;
}

/* A sub-range of an owned range: *a and *len; false if none. */
static bool pick_owned(struct gen *g, struct gaddr *a, unsigned long *len)
{
	const struct owned *o;
	unsigned long pages, offp, rem, lenp;

	if (!g->nowned)
		return false;
	o = &g->owned[below(&g->r, (unsigned long)g->nowned)];
	pages = o->len / PAGE;
	offp = chance(&g->r, 40) ? 0 : below(&g->r, pages);
	rem = pages - offp;
	if (chance(&g->r, 35))
		lenp = rem;
	else if (chance(&g->r, 15))
		lenp = 1;
	else
		lenp = 1 + below(&g->r, rem);
	*a = (struct gaddr){o->op, offp * PAGE};
	*len = lenp * PAGE;
	return true;
}

/* Target of a fixed mmap, munmap or mprotect. Returns the arena, or -1
 * for an owned range; *a and *len set. */
static int pick_range(struct gen *g, struct gaddr *a, unsigned long *len, unsigned int owned_pct)
{
	unsigned long off;
	int arena;

	if (chance(&g->r, owned_pct) && pick_owned(g, a, len))
		return -1;
	arena = pick_arena(g, &off);
	*a = arena_addr(arena, off);
	*len = arena_len(&g->r);
	return arena;
}

/* Make a valid range unaligned in a way that cannot reach further: an
 * unaligned start (always refused) or a length rounded up to the same. */
static void maybe_unalign(struct gen *g, struct gaddr *a, unsigned long *len)
{
	if (chance(&g->r, 4))
		a->off += 1 + below(&g->r, PAGE - 1);
	if (chance(&g->r, 8) && *len >= PAGE)
		*len -= 1 + below(&g->r, PAGE - 1);
}

static void add_line(struct gen *g, int uses, int file, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_line(struct gen *g, int uses, int file, const char *fmt, ...)
{
	struct gop *op = &g->ops[g->nops++];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(op->line, sizeof(op->line), fmt, ap);
	va_end(ap);
	op->uses = uses;
	op->file = file;
}

static void add_owned(struct gen *g, int op, unsigned long len)
{
	if (len && len <= (1UL << 46))
		g->owned[g->nowned++] = (struct owned){op, (len + PAGE - 1) & ~(PAGE - 1)};
}

/* MAP_* type, anonymity, extra flags; *file is the file id or -1. */
static unsigned long gen_flags(struct gen *g, unsigned long len, bool fixed, int *file)
{
	static const unsigned int tw[] = {60, 25, 6, 5, 4};
	static const unsigned long bad_types[] = {0, 4, 5, 6, 7, 9, 0xa, 0xc, 0xf};
	static const unsigned long unknown[] = {0x200, 0x400, 0x1000000, 0x8000000};
	struct rng *r = &g->r;
	unsigned long flags;

	switch (WEIGHTED(r, tw)) {
	case 0: flags = 0x02; break;
	case 1: flags = 0x01; break;
	case 2: flags = 0x03; break;
	case 3: flags = 0x08; break;
	default: flags = PICK(r, bad_types); break;
	}
	*file = -1;
	if (g->nfiles && chance(r, 35)) {
		*file = (int)below(r, (unsigned long)g->nfiles);
		if (chance(r, 3))
			flags |= 0x20; /* the fd is ignored */
	} else {
		flags |= 0x20;
		if (g->nfiles && chance(r, 3))
			*file = (int)below(r, (unsigned long)g->nfiles);
		else if (chance(r, 2))
			flags &= ~0x20UL; /* no fd: EBADF */
	}
	if (chance(r, 10)) flags |= 0x4000;   /* NORESERVE */
	if (chance(r, 5)) flags |= 0x20000;   /* STACK */
	if (chance(r, 6)) flags |= 0x100;     /* GROWSDOWN */
	if (chance(r, 4)) flags |= 0x2000;    /* LOCKED */
	if (chance(r, 4)) flags |= 0x8000;    /* POPULATE */
	if (chance(r, fixed ? 2 : 6)) flags |= 0x40; /* 32BIT */
	if (chance(r, 4)) flags |= 0x80000;   /* SYNC */
	if (chance(r, 3)) {
		flags |= 0x40000;             /* HUGETLB */
		if (chance(r, 80))
			flags |= 0x4000;
		if (chance(r, 20))
			flags |= chance(r, 50) ? 21UL << 26 : 30UL << 26;
	}
	if (chance(r, 2)) flags |= 0x10000;   /* NONBLOCK */
	if (chance(r, 2)) flags |= 0x4000000; /* UNINITIALIZED */
	if (chance(r, 1)) flags |= 0x80;      /* ABOVE4G */
	if (chance(r, 1)) flags |= 0x800 | 0x1000;
	if (chance(r, 2)) flags |= PICK(r, unknown);
	/* Keep real memory use small: no faulting in of big ranges, and
	 * with CAP_IPC_LOCK (no RLIMIT_MEMLOCK) no big locked ones. */
	if (len > 16 * MIB)
		flags &= ~0x8000UL;
	if (g->privileged && len > MIB)
		flags &= ~0x2000UL;
	return flags;
}

static unsigned long gen_offset(struct rng *r, bool file)
{
	static const unsigned long garbage[] = {
		1UL << 44, ~0UL - PAGE + 1, 1UL << 62, 0x123, ~0UL - 2 * MIB + 1, 1UL << 52,
	};
	unsigned int x = (unsigned int)below(r, 100);

	if (!file)
		return x < 85 ? 0 : x < 95 ? below(r, 4096) * PAGE : PICK(r, garbage);
	if (x < 50)
		return 0;
	if (x < 85)
		return below(r, 512) * PAGE;
	if (x < 92)
		return (1 + below(r, 4)) * 2 * MIB;
	if (x < 95)
		return below(r, 4096) * PAGE + 1 + below(r, PAGE - 1);
	return PICK(r, garbage);
}

static void emit_mmap(struct gen *g, struct gaddr a, unsigned long len, unsigned long prot,
		      unsigned long flags, int file, unsigned long off)
{
	char as[64], ps[200], fs[200], fid[16];
	int idx = g->nops;

	render_addr(as, sizeof(as), a);
	render_prot(ps, sizeof(ps), prot);
	render_flags(fs, sizeof(fs), flags);
	if (file >= 0)
		snprintf(fid, sizeof(fid), "f%d", file);
	else
		snprintf(fid, sizeof(fid), "-1");
	add_line(g, a.var >= 0 ? a.var : -1, file, "m%d=mmap %s 0x%lx %s %s %s 0x%lx", idx, as, len, ps,
		 fs, fid, off);
}

static void gen_mmap_nonfixed(struct gen *g)
{
	static const unsigned long garbage_hints[] = {
		0x800000000000UL, 0xffff800000000000UL, TASK_SIZE_VAL - PAGE, 0x1000, 0x5,
		0x10000, 0x7ffff7000000UL,
	};
	struct rng *r = &g->r;
	unsigned long len = any_len(r), flags, off, x = below(r, 100), dummy;
	struct gaddr a = {ADDR_LITERAL, 0};
	int file, idx = g->nops;

	if (x >= 70 && x < 82) {
		int arena = pick_arena(g, &a.off);

		a = arena_addr(arena, a.off);
	} else if (x >= 82 && x < 92) {
		if (!pick_owned(g, &a, &dummy))
			a = (struct gaddr){ADDR_LITERAL, 0};
	} else if (x >= 92) {
		a.off = PICK(r, garbage_hints);
		if (chance(r, 50))
			a.off = arena_base[AR_HIGH] + below(r, arena_size[AR_HIGH]);
	}
	flags = gen_flags(g, len, false, &file);
	off = gen_offset(r, file >= 0 && !(flags & 0x20));
	emit_mmap(g, a, len, gen_prot(r), flags, file, off);
	add_owned(g, idx, len);
}

/* Whether a MAP_HUGETLB mapping of len at owned address a, its length
 * rounded up to the huge page size, stays inside the owned range. */
static bool fits_huge(const struct gen *g, struct gaddr a, unsigned long len, unsigned long flags)
{
	unsigned long huge = ((flags >> 26) & 0x3f) == 30 ? GIB : 2 * MIB, end;

	if (len > 64 * MIB)
		return true; /* a garbage length: refused before anything */
	end = a.off + ((len + huge - 1) & ~(huge - 1));
	for (int i = 0; i < g->nowned; i++)
		if (g->owned[i].op == a.var)
			return end <= g->owned[i].len;
	return false;
}

static void gen_mmap_fixed(struct gen *g)
{
	struct rng *r = &g->r;
	struct gaddr a;
	unsigned long len, flags, off;
	int file, idx = g->nops, arena = pick_range(g, &a, &len, 30);

	if (arena >= 0) {
		add_point(g, arena, a.off - arena_base[arena]);
		add_point(g, arena, a.off - arena_base[arena] + len);
	}
	maybe_unalign(g, &a, &len);
	if (chance(r, 3))
		len = garbage_len(r);
	flags = gen_flags(g, len, true, &file);
	flags |= chance(r, 70) ? 0x10 : chance(r, 85) ? 0x100000 : 0x100010;
	if (arena < 0 && (flags & 0x40000) && !fits_huge(g, a, len, flags)) {
		/* MAP_HUGETLB rounds the length up to a huge page, which
		 * could reach past the owned range: use an arena instead
		 * (the arenas are free far beyond their size). */
		arena = pick_arena(g, &a.off);
		a = arena_addr(arena, a.off);
	}
	off = gen_offset(r, file >= 0 && !(flags & 0x20));
	emit_mmap(g, a, len, gen_prot(r), flags, file, off);
	add_owned(g, idx, len <= 64 * MIB ? len : 0);
}

enum range_op { OP_MUNMAP, OP_MPROTECT, OP_MSEAL, OP_MLOCK, OP_MUNLOCK, OP_MSYNC };

/* A munmap, mprotect or mseal target, with the garbage cases of all. */
static void gen_range_op(struct gen *g, enum range_op op)
{
	bool prot_op = op != OP_MUNMAP;
	struct rng *r = &g->r;
	struct gaddr a;
	unsigned long len;
	char as[64], ps[200];
	int arena = pick_range(g, &a, &len, 45);

	if (arena >= 0) {
		add_point(g, arena, a.off - arena_base[arena]);
		add_point(g, arena, a.off - arena_base[arena] + len);
	}
	maybe_unalign(g, &a, &len);
	if (chance(r, 3))
		len = 0;
	if (chance(r, 6)) {
		static const unsigned long bad_addrs[] = {
			0x800000000000UL, ~0UL - PAGE + 1, TASK_SIZE_VAL, 0, 0x1000, 0xffff800000000000UL,
		};

		if (chance(r, 50)) {
			a = (struct gaddr){ADDR_LITERAL, PICK(r, bad_addrs)};
			len = PAGE;
		} else if (arena == AR_HIGH || arena == AR_LOW || !prot_op) {
			/* huge lengths: refused by munmap; mprotect stops at the
			 * first hole, which comes long before anything of the
			 * runner's above the two literal arenas */
			len = prot_op && chance(r, 50) ? 1UL << 46 : garbage_len(r);
		}
	}
	render_addr(as, sizeof(as), a);
	if (op == OP_MSEAL) {
		add_line(g, a.var >= 0 ? a.var : -1, -1, "mseal %s 0x%lx %d", as, len,
			 chance(r, 5) ? 1 : 0);
	} else if (op == OP_MLOCK) {
		/* With CAP_IPC_LOCK the kernel really faults a locked range
		 * in: keep it small enough to be quick and harmless. */
		if (g->privileged && len > (16UL << 20))
			len = 16UL << 20;
		if (chance(r, 50))
			add_line(g, a.var >= 0 ? a.var : -1, -1, "mlock %s 0x%lx", as, len);
		else
			add_line(g, a.var >= 0 ? a.var : -1, -1, "mlock2 %s 0x%lx %d", as, len,
				 (int)below(r, 3));
	} else if (op == OP_MUNLOCK) {
		add_line(g, a.var >= 0 ? a.var : -1, -1, "munlock %s 0x%lx", as, len);
	} else if (op == OP_MSYNC) {
		add_line(g, a.var >= 0 ? a.var : -1, -1, "msync %s 0x%lx %d", as, len,
			 (int)below(r, 8));
	} else if (prot_op) {
		render_prot(ps, sizeof(ps), gen_prot(r));
		add_line(g, a.var >= 0 ? a.var : -1, -1, "mprotect %s 0x%lx %s", as, len, ps);
	} else {
		add_line(g, a.var >= 0 ? a.var : -1, -1, "munmap %s 0x%lx", as, len);
	}
}

static void gen_brk(struct gen *g)
{
	static const unsigned long garbage[] = {
		1, 0x1000, TASK_SIZE_VAL, ~0UL, 1UL << 46, 0x7ffff7000000UL, 0x6f0000001000UL,
		0x555555554000UL,
	};
	struct rng *r = &g->r;
	unsigned int x = (unsigned int)below(r, 100);

	if (x < 45)
		add_line(g, -1, -1, "brk brk0+0x%lx", below(r, arena_size[AR_BRK] / PAGE) * PAGE);
	else if (x < 60)
		add_line(g, -1, -1, "brk brk0+0x%lx", below(r, 64 * PAGE));
	else if (x < 70)
		add_line(g, -1, -1, "brk 0");
	else if (x < 75)
		add_line(g, -1, -1, "brk brk0");
	else if (x < 80)
		add_line(g, -1, -1, "brk brk0-0x%lx", 1 + below(r, 3 * PAGE));
	else if (x < 85)
		add_line(g, -1, -1, "brk brk0+0x%lx", (1 + below(r, 8)) * GIB);
	else
		add_line(g, -1, -1, "brk 0x%lx", PICK(r, garbage));
}

static void gen_files(struct gen *g)
{
	static const char *const pool[][2] = {
		{"${REG}", "O_RDONLY"}, {"${REG}", "O_RDWR"}, {"${REG}", "O_WRONLY"},
		{"${REG}", "O_RDWR|O_APPEND"}, {"${REG2}", "O_RDWR"}, {"${SHM}", "O_RDWR"},
		{"${SHM}", "O_RDONLY"}, {"${ZERO}", "O_RDWR"}, {"${ZERO}", "O_RDONLY"},
		{"${DIR}", "O_RDONLY"}, {"${SMALL}", "O_RDWR"}, {"${BIG}", "O_RDONLY"},
		{"${BIG}", "O_RDWR"},
	};
	static const unsigned int w[] = {14, 16, 5, 4, 8, 12, 5, 8, 3, 2, 6, 8, 5};
	static const char *const rlimits[] = {
		"rlimit memlock 0 0", "rlimit memlock 64K 64K", "rlimit memlock 1M 1M",
		"rlimit data 16M inf", "rlimit data 200M inf", "rlimit as 512M inf",
		"rlimit as 1G inf",
	};

	g->nfiles = (int)below(&g->r, MAX_FILES + 1);
	for (int i = 0; i < g->nfiles; i++) {
		size_t k = WEIGHTED(&g->r, w);

		snprintf(g->hdr[i], sizeof(g->hdr[i]), "file f%d %s %s", i, pool[k][0], pool[k][1]);
	}
	g->nhdr = g->nfiles;
	if (chance(&g->r, 12))
		snprintf(g->hdr[g->nhdr++], sizeof(g->hdr[0]), "%s",
			 rlimits[below(&g->r, sizeof(rlimits) / sizeof(rlimits[0]))]);
	/* Keeps CAP_SYS_RAWIO, CAP_IPC_LOCK and CAP_SYS_ADMIN if the test
	 * runs as root (the oracle's config follows what the runner had). */
	g->privileged = chance(&g->r, 5);
	if (g->privileged)
		snprintf(g->hdr[g->nhdr++], sizeof(g->hdr[0]), "privileged");
}

static void generate(struct gen *g, uint64_t seed)
{
	static const unsigned int w[] = {28, 20, 20, 22, 10, 3, 3, 2, 3};
	int nops;

	memset(g, 0, sizeof(*g));
	g->r.s = seed * 0x2545f4914f6cdd1dULL + 0x1234567ULL;
	gen_files(g);
	nops = MIN_OPS + (int)below(&g->r, MAX_OPS - MIN_OPS + 1);
	while (g->nops < nops) {
		switch (WEIGHTED(&g->r, w)) {
		case 0: gen_mmap_nonfixed(g); break;
		case 1: gen_mmap_fixed(g); break;
		case 2: gen_range_op(g, OP_MUNMAP); break;
		case 3: gen_range_op(g, OP_MPROTECT); break;
		case 4: gen_brk(g); break;
		case 5: gen_range_op(g, OP_MSEAL); break;
		case 6: gen_range_op(g, OP_MLOCK); break;
		case 7: gen_range_op(g, OP_MUNLOCK); break;
		default: gen_range_op(g, OP_MSYNC); break;
		}
	}
}

/* Which lines a rendering keeps: ops[i], and hdr[k] as KEEP_HDR + k. */
#define KEEP_HDR MAX_OPS
#define KEEP_SIZE (MAX_OPS + MAX_HDR)

/* The scenario text with the lines that keep[] selects (NULL: all). */
static void render(const struct gen *g, const bool *keep, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (int k = 0; k < g->nhdr && len < n; k++)
		if (!keep || keep[KEEP_HDR + k])
			len += (size_t)snprintf(out + len, n - len, "%s\n", g->hdr[k]);
	for (int i = 0; i < g->nops && len < n; i++)
		if (!keep || keep[i])
			len += (size_t)snprintf(out + len, n - len, "%s\n", g->ops[i].line);
}

/* ---- running a check ------------------------------------------------ */

/*
 * oracle_check() in a child with a CPU time limit, which the replay
 * process it forks inherits: a usermm call that never returns is then
 * reported (killed by SIGXCPU) instead of hanging the suite.
 */
static int guarded_check(const char *text)
{
	struct rlimit cpu = {CHECK_CPU_SECONDS, CHECK_CPU_SECONDS + 5}, core = {0, 0};
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return oracle_check(text);
	if (pid == 0) {
		setrlimit(RLIMIT_CPU, &cpu);
		setrlimit(RLIMIT_CORE, &core);
		fflush(NULL);
		_exit(oracle_check(text) ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

/* ---- minimisation ---------------------------------------------------- */

/*
 * How a check failed: the first "DIVERGENCE (...)" or "USERMM CRASHED"
 * line and the op kind after it. Empty if it did not fail; "other" if it
 * failed some other way (which a reduction must not drift into).
 */
static void check_signature(const char *text, char *sig, size_t n)
{
	char path[] = "/tmp/umm-random-err-XXXXXX", line[512];
	int fd = mkstemp(path), saved;
	FILE *f;
	int rc;

	snprintf(sig, n, "other");
	if (fd < 0)
		return;
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	rc = guarded_check(text);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	if (rc == 0) {
		sig[0] = '\0';
		unlink(path);
		return;
	}
	f = fopen(path, "r");
	unlink(path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "DIVERGENCE", 10) == 0 || strncmp(line, "USERMM CRASHED", 14) == 0) {
			char next[512] = "", *kind;

			if (strncmp(line, "USERMM", 6) == 0) {
				/* op and line numbers change as the scenario shrinks */
				snprintf(sig, n, "%.*s", (int)strcspn(line, ")\n"), line);
				break;
			}
			line[strcspn(line, "\n")] = '\0';
			if (fgets(next, sizeof(next), f) && (kind = strstr(next, "): ")) != NULL)
				snprintf(sig, n, "%s %.*s", line, (int)strcspn(kind + 3, "("), kind + 3);
			else
				snprintf(sig, n, "%s", line);
			break;
		}
	}
	fclose(f);
}

/* Drops op i and, transitively, every kept op that uses its variable. */
static void drop_op(const struct gen *g, bool *keep, int i)
{
	keep[i] = false;
	for (int j = i + 1; j < g->nops; j++)
		if (keep[j] && g->ops[j].uses >= 0 && !keep[g->ops[j].uses])
			keep[j] = false;
}

/* Whether the kept lines, rendered, still fail with signature sig. */
static bool still_fails(const struct gen *g, const bool *keep, const char *sig, char *text,
			size_t n)
{
	char tsig[600];

	render(g, keep, text, n);
	check_signature(text, tsig, sizeof(tsig));
	return strcmp(tsig, sig) == 0;
}

/* Greedy reduction: remove chunks of ops, then unused header lines,
 * while the failure stays the same. */
static void minimize(const struct gen *g, const char *sig, char *text, size_t n)
{
	bool keep[KEEP_SIZE], trial[KEEP_SIZE];

	for (int i = 0; i < KEEP_SIZE; i++)
		keep[i] = true;
	for (int chunk = g->nops / 2; chunk >= 1; chunk = chunk > 1 ? chunk / 2 : 0) {
		bool progress = true;

		while (progress) {
			progress = false;
			for (int start = g->nops - 1; start >= 0; start--) {
				bool any = false;

				memcpy(trial, keep, sizeof(trial));
				for (int i = start; i < start + chunk && i < g->nops; i++) {
					if (trial[i]) {
						drop_op(g, trial, i);
						any = true;
					}
				}
				if (any && still_fails(g, trial, sig, text, n)) {
					memcpy(keep, trial, sizeof(keep));
					progress = true;
				}
			}
		}
	}
	for (int k = 0; k < g->nhdr; k++) {
		bool used = false;

		for (int i = 0; i < g->nops; i++)
			used = used || (keep[i] && k < g->nfiles && g->ops[i].file == k);
		if (used)
			continue;
		memcpy(trial, keep, sizeof(trial));
		trial[KEEP_HDR + k] = false;
		if (still_fails(g, trial, sig, text, n))
			memcpy(keep, trial, sizeof(keep));
	}
	render(g, keep, text, n);
}

/* ---- the test -------------------------------------------------------- */

static unsigned long env_ulong(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

static char *small_path, *big_path;

static int group_teardown(void **state)
{
	if (small_path)
		unlink(small_path);
	if (big_path)
		unlink(big_path);
	free(small_path);
	free(big_path);
	small_path = big_path = NULL;
	return oracle_files_teardown(state);
}

static int group_setup(void **state)
{
	if (oracle_files_setup(state))
		return -1;
	small_path = oracle_make_file("/tmp", 3 * PAGE + 100);
	big_path = oracle_make_file("/tmp", 8 * MIB);
	if (!small_path || !big_path || oracle_define("SMALL", small_path) ||
	    oracle_define("BIG", big_path)) {
		group_teardown(state);
		return -1;
	}
	return 0;
}

static void random_scenarios(void **state)
{
	unsigned long count = env_ulong("UMM_RANDOM_SCENARIOS", DEFAULT_SCENARIOS);
	unsigned long first = env_ulong("UMM_RANDOM_SEED", 1);
	bool reduce = env_ulong("UMM_RANDOM_MINIMIZE", 0) == 1;
	static struct gen g;
	static char text[TEXT_MAX], small[TEXT_MAX];
	unsigned long failed = 0;

	(void)state;
	for (unsigned long i = 0; i < count; i++) {
		uint64_t seed = first + i;

		generate(&g, seed);
		render(&g, NULL, text, sizeof(text));
		if (guarded_check(text) == 0)
			continue;
		failed++;
		fprintf(stderr,
			"^^^ random scenario, seed %llu, failed as reported above (reproduce: "
			"UMM_RANDOM_SEED=%llu UMM_RANDOM_SCENARIOS=1):\n%s--- end of seed %llu\n",
			(unsigned long long)seed, (unsigned long long)seed, text,
			(unsigned long long)seed);
		if (reduce) {
			char sig[600];

			check_signature(text, sig, sizeof(sig));
			if (sig[0] && strcmp(sig, "other") != 0) {
				minimize(&g, sig, small, sizeof(small));
				fprintf(stderr, "+++ reduced, seed %llu [%s]:\n%s", (unsigned long long)seed,
					sig, small);
				guarded_check(small);
				fprintf(stderr, "--- end of reduced seed %llu\n", (unsigned long long)seed);
			}
		}
	}
	fprintf(stderr, "random scenarios: %lu run from seed %lu, %lu diverged\n", count, first,
		failed);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_scenarios),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
