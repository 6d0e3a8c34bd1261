/*
 * difftest_gen.c - owns the random call generator of `usermm difftest`.
 *
 * Calls are made one at a time, knowing the kernel's earlier results:
 * mmap with random lengths (pages, 2 MiB multiples, unaligned, huge and
 * garbage), protections and flag combinations (valid, unknown and bad
 * types), files opened every way, offsets (also past the end and
 * unaligned), hints, MAP_FIXED and MAP_FIXED_NOREPLACE; munmap and
 * mprotect of random, overlapping, unaligned and invalid ranges; brk with
 * sensible and garbage values; and arguments for the calls the library
 * does not have yet (made only once difftest_calls.c enables them).
 *
 * Where calls land: three arenas that are free in the child (1 GiB
 * (MAP_32BIT's window), 32 TiB, and the 32 MiB above the break), the
 * ranges earlier mmaps returned, and the edges of earlier calls (where
 * splits and merges happen). Every call is checked against the child's
 * own mappings (dt_call_safe) and redrawn if it could touch them.
 *
 * Touches (one access by the child) land mostly in those ranges, also
 * just past their ends, below VMAs that grow down (stack growth, guard
 * gaps; the child's [stack] too), in holes and at non-canonical and kernel
 * addresses; now and then the touch generator maps a MAP_GROWSDOWN VMA
 * for them.
 */
#define _GNU_SOURCE
#include "difftest/difftest.h"

#include <stdlib.h>
#include <string.h>

#define MIB (1UL << 20)
#define GIB (1UL << 30)
#define BAD_FD 999UL
#define MAX_TRIES 64
/* Above this many VMAs of ours, munmaps of whole VMA runs grow likelier:
 * forgotten mappings would otherwise pile up and slow every maps read. */
#define LIVE_CALM 100

/* ---- randomness (splitmix64) ------------------------------------------- */

static uint64_t rnd(struct dt_gen *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long below(struct dt_gen *g, unsigned long n)
{
	return n ? (unsigned long)(rnd(g) % n) : 0;
}

static bool chance(struct dt_gen *g, unsigned int pct)
{
	return below(g, 100) < pct;
}

static size_t weighted(struct dt_gen *g, const unsigned int *w, size_t n)
{
	unsigned long total = 0, x;

	for (size_t i = 0; i < n; i++)
		total += w[i];
	x = below(g, total);
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define NELEM(v) (sizeof(v) / sizeof((v)[0]))
#define WEIGHTED(g, w) weighted((g), (w), NELEM(w))
#define PICK(g, v) ((v)[below((g), NELEM(v))])

/* ---- places ---------------------------------------------------------- */

static void add_point(struct dt_gen *g, unsigned long addr)
{
	if (g->npts < DT_MAX_POINTS)
		g->points[g->npts++] = addr;
	else
		g->points[below(g, DT_MAX_POINTS)] = addr;
}

static void add_owned(struct dt_gen *g, unsigned long start, unsigned long len)
{
	struct dt_range r = { start, start + len };

	if (!len || len > (1UL << 46) || r.end < start)
		return;
	if (g->nowned < DT_MAX_OWNED)
		g->owned[g->nowned++] = r;
	else
		g->owned[below(g, DT_MAX_OWNED)] = r;
}

/* A page in an arena, often an earlier call's edge or a 2 MiB boundary. */
static unsigned long arena_addr(struct dt_gen *g)
{
	const struct dt_range *a = &g->arenas[below(g, (unsigned long)g->narenas)];
	unsigned long addr = a->start + below(g, (a->end - a->start) / DT_PAGE) * DT_PAGE, d;

	if (g->npts && chance(g, 60)) {
		addr = g->points[below(g, (unsigned long)g->npts)];
		d = (1 + below(g, 4)) * DT_PAGE;
		if (chance(g, 30))
			addr = chance(g, 50) ? addr - d : addr + d;
	} else if (chance(g, 20)) {
		addr &= ~(2 * MIB - 1);
	}
	return addr;
}

/* A length for a range: pages, 2 MiB multiples, spans. */
static unsigned long range_len(struct dt_gen *g)
{
	static const unsigned int w[] = { 35, 20, 12, 10, 8, 10, 5 };

	switch (WEIGHTED(g, w)) {
	case 0: return (1 + below(g, 4)) * DT_PAGE;
	case 1: return (5 + below(g, 60)) * DT_PAGE;
	case 2: return (1 + below(g, 3)) * 2 * MIB;
	case 3: return (1 + below(g, 1024)) * DT_PAGE;
	case 4: return 2 * MIB + (chance(g, 50) ? DT_PAGE : -DT_PAGE);
	case 5: return (1 + below(g, 4096)) * DT_PAGE;
	default: return (1 + below(g, 16)) * MIB;
	}
}

/* A length for a non-fixed mmap: also zero, huge and unaligned. */
static unsigned long any_len(struct dt_gen *g)
{
	static const unsigned long huge[] = {
		1 * GIB, 64 * GIB, 1UL << 40, 1UL << 46, DT_TASK_SIZE, DT_TASK_SIZE + 1,
		1UL << 47, ~0UL, ~0UL - DT_PAGE + 1, 1UL << 63,
	};
	unsigned long x = below(g, 100);

	if (x < 3)
		return 0;
	if (x < 6)
		return PICK(g, huge);
	if (x < 14)
		return (1 + below(g, 8)) * DT_PAGE - 1 - below(g, DT_PAGE - 1);
	return range_len(g);
}

static unsigned long garbage_len(struct dt_gen *g)
{
	static const unsigned long v[] = {
		~0UL, ~0UL - DT_PAGE + 1, 1UL << 47, 1UL << 63, DT_TASK_SIZE + DT_PAGE,
		~0UL - 2 * MIB, 1UL << 46,
	};

	return PICK(g, v);
}

/* A sub-range of a VMA of ours or of a range an earlier mmap got (now
 * perhaps a hole); false if none. */
static bool owned_range(struct dt_gen *g, unsigned long *addr, unsigned long *len)
{
	const struct dt_range *o;
	unsigned long pages, offp, rem, lenp;

	if (g->nlive && (chance(g, 50) || !g->nowned))
		o = &g->live[below(g, (unsigned long)g->nlive)];
	else if (g->nowned)
		o = &g->owned[below(g, (unsigned long)g->nowned)];
	else
		return false;
	pages = (o->end - o->start) / DT_PAGE;
	offp = chance(g, 40) ? 0 : below(g, pages);
	rem = pages - offp;
	lenp = chance(g, 35) ? rem : chance(g, 15) ? 1 : 1 + below(g, rem);
	*addr = o->start + offp * DT_PAGE;
	*len = lenp * DT_PAGE;
	return true;
}

/* The target of a call on a range, with the odd bad case mixed in. */
static void pick_range(struct dt_gen *g, unsigned long *addr, unsigned long *len,
		       unsigned int owned_pct)
{
	if (!chance(g, owned_pct) || !owned_range(g, addr, len)) {
		*addr = arena_addr(g);
		*len = range_len(g);
	}
	add_point(g, *addr);
	add_point(g, *addr + *len);
	if (chance(g, 4))
		*addr += 1 + below(g, DT_PAGE - 1);
	if (chance(g, 8) && *len >= DT_PAGE)
		*len -= 1 + below(g, DT_PAGE - 1);
	if (chance(g, 3))
		*len = chance(g, 50) ? 0 : garbage_len(g);
	if (chance(g, 3)) {
		static const unsigned long bad[] = {
			0x800000000000UL, ~0UL - DT_PAGE + 1, DT_TASK_SIZE, 0, 0x1000,
			0xffff800000000000UL,
		};

		*addr = PICK(g, bad);
	}
}

/* ---- arguments ------------------------------------------------------- */

static unsigned long gen_prot(struct dt_gen *g)
{
	static const unsigned long base[] = { 0, 1, 3, 5, 7, 2, 4, 6 };
	static const unsigned int w[] = { 12, 25, 30, 8, 5, 5, 5, 2 };
	static const unsigned long odd[] = { 0x8, 0x01000000, 0x02000000, 0x10, 0x40000000, 0x80 };
	unsigned long prot = base[WEIGHTED(g, w)];

	if (chance(g, 8))
		prot |= PICK(g, odd);
	return prot;
}

static unsigned long gen_type(struct dt_gen *g)
{
	static const unsigned int w[] = { 60, 25, 6, 5, 4 };
	static const unsigned long types[] = { 0x02, 0x01, 0x03, 0x08 };
	static const unsigned long bad[] = { 0, 4, 5, 6, 7, 9, 0xa, 0xc, 0xf };
	size_t k = WEIGHTED(g, w);

	return k < NELEM(types) ? types[k] : PICK(g, bad);
}

/* The fd: one of ours, a closed one or -1, with or without MAP_ANONYMOUS
 * (with it, the kernel ignores the fd). */
static unsigned long gen_fd(struct dt_gen *g, unsigned long *flags)
{
	const struct dt_files *f = g->files;
	unsigned long fd = f->nfds ? (unsigned long)f->fds[below(g, (unsigned long)f->nfds)].fd : BAD_FD;

	if (chance(g, 40)) {
		if (chance(g, 3))
			*flags |= 0x20;
		return chance(g, 3) ? BAD_FD : fd;
	}
	*flags |= 0x20;
	if (chance(g, 3))
		return fd;
	if (chance(g, 2))
		*flags &= ~0x20UL; /* no fd: EBADF */
	return (unsigned long)-1L;
}

static unsigned long gen_extra_flags(struct dt_gen *g, bool fixed)
{
	static const unsigned long unknown[] = { 0x200, 0x400, 0x1000000, 0x8000000 };
	unsigned long f = 0;

	if (chance(g, 10)) f |= 0x4000;   /* NORESERVE */
	if (chance(g, 5)) f |= 0x20000;   /* STACK */
	if (chance(g, 6)) f |= 0x100;     /* GROWSDOWN */
	if (chance(g, 4)) f |= 0x2000;    /* LOCKED */
	if (chance(g, 4)) f |= 0x8000;    /* POPULATE */
	if (chance(g, fixed ? 2 : 6)) f |= 0x40; /* 32BIT */
	if (chance(g, 4)) f |= 0x80000;   /* SYNC */
	if (chance(g, 3)) {
		f |= 0x40000;             /* HUGETLB */
		if (chance(g, 80))
			f |= 0x4000;
		if (chance(g, 20))
			f |= chance(g, 50) ? 21UL << 26 : 30UL << 26;
	}
	if (chance(g, 2)) f |= 0x10000;   /* NONBLOCK */
	if (chance(g, 2)) f |= 0x4000000; /* UNINITIALIZED */
	if (chance(g, 1)) f |= 0x80;      /* ABOVE4G */
	if (chance(g, 1)) f |= 0x800 | 0x1000; /* DENYWRITE, EXECUTABLE */
	if (chance(g, 2)) f |= PICK(g, unknown);
	return f;
}

/* Keeps real memory small: no faulting in of big ranges, and no big
 * locked ones where RLIMIT_MEMLOCK does not apply. With ASLR on, no
 * non-fixed MAP_32BIT: the kernel randomises its window. */
static unsigned long tame_flags(const struct dt_gen *g, unsigned long flags, unsigned long len)
{
	if (len > 16 * MIB)
		flags &= ~0x8000UL;
	if (len > MIB && (g->privileged || len > 16 * MIB))
		flags &= ~0x2000UL;
	if (g->aslr && !(flags & 0x10))
		flags &= ~0x40UL;
	return flags;
}

static unsigned long gen_offset(struct dt_gen *g, bool file)
{
	static const unsigned long garbage[] = {
		1UL << 44, ~0UL - DT_PAGE + 1, 1UL << 62, 0x123, ~0UL - 2 * MIB + 1, 1UL << 52,
	};
	unsigned long x = below(g, 100);

	if (!file)
		return x < 85 ? 0 : x < 95 ? below(g, 4096) * DT_PAGE : PICK(g, garbage);
	if (x < 50)
		return 0;
	if (x < 85)
		return below(g, 512) * DT_PAGE;
	if (x < 92)
		return (1 + below(g, 4)) * 2 * MIB;
	if (x < 95)
		return below(g, 4096) * DT_PAGE + 1 + below(g, DT_PAGE - 1);
	return PICK(g, garbage);
}

/* A hint for a non-fixed mmap: none, an arena, a range we own, garbage. */
static unsigned long gen_hint(struct dt_gen *g)
{
	static const unsigned long garbage[] = {
		0x800000000000UL, 0xffff800000000000UL, DT_TASK_SIZE - DT_PAGE, 0x1000, 0x5,
		0x10000, 0x7ffff7000000UL,
	};
	unsigned long x = below(g, 100), addr = 0, len;

	if (x >= 70 && x < 82)
		addr = arena_addr(g);
	else if (x >= 82 && x < 92)
		owned_range(g, &addr, &len);
	else if (x >= 92)
		addr = chance(g, 50) ? PICK(g, garbage) : arena_addr(g) + below(g, DT_PAGE);
	return addr;
}

/* ---- the calls ------------------------------------------------------- */

static void gen_mmap(struct dt_gen *g, struct dt_call *c)
{
	bool fixed = chance(g, 42);
	unsigned long addr, len, flags = gen_type(g);
	unsigned long fd = gen_fd(g, &flags);

	if (fixed) {
		pick_range(g, &addr, &len, 30);
		flags |= chance(g, 70) ? 0x10 : chance(g, 85) ? 0x100000 : 0x100010;
	} else {
		addr = gen_hint(g);
		len = any_len(g);
	}
	flags = tame_flags(g, flags | gen_extra_flags(g, fixed), len);
	*c = (struct dt_call){ DT_MMAP, { addr, len, gen_prot(g), flags, fd,
					  gen_offset(g, !(flags & 0x20) && fd != BAD_FD) } };
}

static void gen_munmap(struct dt_gen *g, struct dt_call *c)
{
	c->kind = DT_MUNMAP;
	pick_range(g, &c->a[0], &c->a[1], 45);
}

static void gen_mprotect(struct dt_gen *g, struct dt_call *c)
{
	c->kind = DT_MPROTECT;
	pick_range(g, &c->a[0], &c->a[1], 45);
	c->a[2] = gen_prot(g);
}

static void gen_brk(struct dt_gen *g, struct dt_call *c)
{
	static const unsigned long garbage[] = {
		1, 0x1000, DT_TASK_SIZE, ~0UL, 1UL << 46, 0x7ffff7000000UL, 0x555555554000UL,
	};
	unsigned long x = below(g, 100), b = g->brk0;

	c->kind = DT_BRK;
	if (x < 45)
		c->a[0] = b + below(g, 32 * MIB / DT_PAGE) * DT_PAGE;
	else if (x < 60)
		c->a[0] = b + below(g, 64 * DT_PAGE);
	else if (x < 70)
		c->a[0] = 0;
	else if (x < 75)
		c->a[0] = b;
	else if (x < 80)
		c->a[0] = b - 1 - below(g, 3 * DT_PAGE);
	else if (x < 85)
		c->a[0] = b + (1 + below(g, 8)) * GIB;
	else
		c->a[0] = PICK(g, garbage);
}

/* The calls below wait for the library (see difftest_calls.c). */

static void gen_mremap(struct dt_gen *g, struct dt_call *c)
{
	static const unsigned long fl[] = { 0, 1, 1, 3, 7, 5, 8 };
	unsigned long new_addr, new_len;

	c->kind = DT_MREMAP;
	pick_range(g, &c->a[0], &c->a[1], 60);
	if (chance(g, 5))
		c->a[1] = 0; /* duplicate a shared mapping */
	pick_range(g, &new_addr, &new_len, 20);
	c->a[2] = chance(g, 50) ? new_len : c->a[1] + (1 + below(g, 8)) * DT_PAGE;
	c->a[3] = PICK(g, fl);
	c->a[4] = new_addr;
}

/*
 * Every advice this kernel knows, and some it does not (5, 26, 104 and
 * the memory-failure ones it lacks). The advice that faults pages in
 * (POPULATE_*, COLLAPSE, and HWPOISON were it valid) gets at most 16 MiB,
 * as mlock does: a garbage length would fault in every VMA up to a hole.
 * COLLAPSE gets less than a PMD: whether a whole PMD collapses depends on
 * which pages are resident, which usermm does not know.
 */
static void gen_madvise(struct dt_gen *g, struct dt_call *c)
{
	static const long advice[] = { 0,  1,  2,  3,  4,  8,  9,  10, 11,  12,  13,  14,  15,  16,
				       17, 18, 19, 20, 21, 22, 23, 24, 25,  100, 101, 102, 103, 102,
				       103, 4, 10, 5, 26, 104, -1 };
	long adv = PICK(g, advice);

	c->kind = DT_MADVISE;
	pick_range(g, &c->a[0], &c->a[1], 60);
	if ((adv == 22 || adv == 23 || adv == 25 || adv == 100 || adv == 101) &&
	    c->a[1] > 16 * MIB)
		c->a[1] = (1 + below(g, 16 * MIB / DT_PAGE)) * DT_PAGE;
	if (adv == 25 && c->a[1] >= 2 * MIB)
		c->a[1] = (1 + below(g, 2 * MIB / DT_PAGE - 1)) * DT_PAGE;
	c->a[2] = (unsigned long)adv;
}

/*
 * mlock faults the range in, and a locked VMA made writable by mprotect
 * is faulted in whole: small ranges. Without CAP_IPC_LOCK, RLIMIT_MEMLOCK
 * refuses a big length before anything happens, so garbage lengths stay;
 * with it, a huge length would lock every VMA up to the first hole
 * (gigabytes of NORESERVE memory, faulted in by a later mprotect).
 */
static void gen_lock_range(struct dt_gen *g, struct dt_call *c, enum dt_kind k)
{
	static const unsigned long fl2[] = { 0, 1, 1, 2, 3 };
	unsigned long cap = g->privileged ? MIB : 16 * MIB;

	c->kind = k;
	pick_range(g, &c->a[0], &c->a[1], 70);
	if (c->a[1] > cap && (g->privileged || c->a[1] < (1UL << 46)))
		c->a[1] = (1 + below(g, cap / DT_PAGE)) * DT_PAGE;
	c->a[2] = k == DT_MLOCK2 ? PICK(g, fl2) : 0;
}

/*
 * Without MCL_ONFAULT only the refused kinds (dt_call_safe). With
 * CAP_IPC_LOCK, neither MCL_CURRENT nor MCL_FUTURE: MCL_CURRENT walks the
 * page tables of every VMA, terabytes of NORESERVE mappings here, and
 * after MCL_FUTURE a 64 GiB MAP_DROPPABLE mmap was faulted in; either
 * took minutes (seeds 1002, 1004). Without the capability,
 * RLIMIT_MEMLOCK refuses MCL_CURRENT and big locked mmaps at once.
 */
static void gen_lockall(struct dt_gen *g, struct dt_call *c)
{
	static const unsigned long fl[] = { 5, 5, 6, 7, 4, 0, 8, 0xd };

	if (chance(g, 50)) {
		c->kind = DT_MUNLOCKALL;
		return;
	}
	c->kind = DT_MLOCKALL;
	c->a[0] = PICK(g, fl);
	if (g->privileged)
		c->a[0] &= ~3UL;
}

static void gen_msync(struct dt_gen *g, struct dt_call *c)
{
	static const unsigned long fl[] = { 1, 4, 2, 3, 6, 0, 8 };

	c->kind = DT_MSYNC;
	pick_range(g, &c->a[0], &c->a[1], 60);
	c->a[2] = PICK(g, fl);
}

static void gen_mseal(struct dt_gen *g, struct dt_call *c)
{
	c->kind = DT_MSEAL;
	pick_range(g, &c->a[0], &c->a[1], 60);
	c->a[2] = chance(g, 95) ? 0 : 1;
}

static void gen_pkey(struct dt_gen *g, struct dt_call *c)
{
	c->kind = DT_PKEY_MPROTECT;
	pick_range(g, &c->a[0], &c->a[1], 45);
	c->a[2] = gen_prot(g);
	c->a[3] = chance(g, 80) ? (unsigned long)-1L : below(g, 17);
}

/* mincore writes its vector into the child; the vector is at address 0,
 * which the kernel refuses (EFAULT) after its range checks unless the
 * child has page 0 mapped writable: usermm checks the same address. */
static void gen_mincore(struct dt_gen *g, struct dt_call *c)
{
	c->kind = DT_MINCORE;
	pick_range(g, &c->a[0], &c->a[1], 60);
	c->a[2] = 0;
}

/* ---- touches and anon names ----------------------------------------- */

/* Below a VMA that grows down: in its guard gap, at it, past it. */
static unsigned long below_growsdown(struct dt_gen *g, unsigned long start)
{
	static const unsigned int w[] = { 15, 30, 15, 25, 15 };
	unsigned long d;

	switch (WEIGHTED(g, w)) {
	case 0: d = 1 + below(g, 16); break;
	case 1: d = (1 + below(g, 4)) * DT_PAGE - below(g, DT_PAGE); break;
	case 2: d = (255 + below(g, 3)) * DT_PAGE; break; /* stack_guard_gap */
	case 3: d = 1 + below(g, 2 * MIB); break;
	default: d = 1 + below(g, 16 * MIB); break;
	}
	return start - d;
}

/* Where a touch lands: mostly in our VMAs and ranges, also just past
 * their ends, below VMAs that grow down (and the child's [stack]), in
 * holes of the arenas, and at non-canonical and kernel addresses. */
static unsigned long touch_addr(struct dt_gen *g)
{
	static const unsigned long far[] = {
		0, 0x1000, 0x10000, DT_TASK_SIZE, 0x800000000000UL, 0xdead000000000000UL,
		0xffff800000000000UL, 0xffffffff81000000UL, 0xfffffffffffff000UL,
	};
	unsigned long x = below(g, 100), addr, len;
	const struct dt_range *o;

	if (x < 55 && owned_range(g, &addr, &len))
		return addr + below(g, len);
	if (x < 67 && g->nlive) {
		o = &g->live[below(g, (unsigned long)g->nlive)];
		return chance(g, 50) ? o->end + below(g, 4 * DT_PAGE) : o->start - 1 - below(g, 4 * DT_PAGE);
	}
	if (x < 80 && g->ngrowsdown)
		return below_growsdown(g, g->growsdown[below(g, (unsigned long)g->ngrowsdown)]);
	if (x < 83 && g->stack_start)
		return below_growsdown(g, g->stack_start);
	if (x < 90)
		return PICK(g, far) + below(g, DT_PAGE);
	return arena_addr(g) + below(g, DT_PAGE);
}

/* A fresh VMA that grows down, for touches below it. */
static void gen_growsdown_mmap(struct dt_gen *g, struct dt_call *c)
{
	unsigned long prot = chance(g, 20) ? 7 : 3, flags = 0x122 | (chance(g, 50) ? 0x100000 : 0);

	*c = (struct dt_call){ DT_MMAP, { arena_addr(g), (1 + below(g, 16)) * DT_PAGE, prot, flags,
					  (unsigned long)-1L, 0 } };
}

static void gen_touch(struct dt_gen *g, struct dt_call *c)
{
	static const unsigned int w[] = { 40, 35, 25 };
	static const unsigned long access[] = { 1, 2, 4 };

	if (!(g->skip & (1U << DT_MMAP)) && chance(g, 4)) {
		gen_growsdown_mmap(g, c);
		return;
	}
	c->kind = DT_TOUCH;
	c->a[0] = touch_addr(g);
	c->a[1] = access[WEIGHTED(g, w) % (g->exec_ok ? 3 : 2)];
}

/* Mostly valid calls; bad flags and init_val, and keys from -1 to 16. */
static void gen_pkey_alloc_free(struct dt_gen *g, struct dt_call *c, enum dt_kind k)
{
	c->kind = k;
	if (k == DT_PKEY_FREE) {
		c->a[0] = (unsigned long)((long)below(g, 18) - 1);
		return;
	}
	c->a[0] = chance(g, 90) ? 0 : 1UL << below(g, 4);
	c->a[1] = chance(g, 90) ? below(g, 4) : below(g, 8);
}

static void gen_anon_name(struct dt_gen *g, struct dt_call *c)
{
	c->kind = DT_PRCTL_ANON_NAME;
	c->a[0] = DT_PR_SET_VMA;
	c->a[1] = 0; /* PR_SET_VMA_ANON_NAME */
	pick_range(g, &c->a[2], &c->a[3], 60);
	c->a[4] = below(g, DT_NANON_NAMES);
}

/* Mostly valid: within our ranges, prot 0, offsets inside the 1 MiB
 * files; sometimes unaligned, a prot, flags other than MAP_NONBLOCK. */
static void gen_remap_file_pages(struct dt_gen *g, struct dt_call *c)
{
	static const unsigned long fl[] = { 0, 0, 0, 0x10000, 0x10000, 0x22, 0xffffffff };

	c->kind = DT_REMAP_FILE_PAGES;
	pick_range(g, &c->a[0], &c->a[1], 60);
	if (chance(g, 10))
		c->a[0] += below(g, DT_PAGE);
	if (chance(g, 10))
		c->a[1] += below(g, DT_PAGE);
	c->a[2] = chance(g, 92) ? 0 : gen_prot(g);
	c->a[3] = chance(g, 90) ? below(g, 256) : chance(g, 50) ? ~0UL - below(g, 4) : 1UL << 40;
	c->a[4] = PICK(g, fl);
}

static void gen_kind(struct dt_gen *g, enum dt_kind k, struct dt_call *c)
{
	memset(c, 0, sizeof(*c));
	switch (k) {
	case DT_MMAP: gen_mmap(g, c); break;
	case DT_MUNMAP: gen_munmap(g, c); break;
	case DT_MPROTECT: gen_mprotect(g, c); break;
	case DT_BRK: gen_brk(g, c); break;
	case DT_MREMAP: gen_mremap(g, c); break;
	case DT_MADVISE: gen_madvise(g, c); break;
	case DT_MLOCK: case DT_MLOCK2: case DT_MUNLOCK: gen_lock_range(g, c, k); break;
	case DT_MLOCKALL: case DT_MUNLOCKALL: gen_lockall(g, c); break;
	case DT_MSYNC: gen_msync(g, c); break;
	case DT_MINCORE: gen_mincore(g, c); break;
	case DT_MSEAL: gen_mseal(g, c); break;
	case DT_PKEY_MPROTECT: gen_pkey(g, c); break;
	case DT_TOUCH: gen_touch(g, c); break;
	case DT_PRCTL_ANON_NAME: gen_anon_name(g, c); break;
	case DT_PKEY_ALLOC: case DT_PKEY_FREE: gen_pkey_alloc_free(g, c, k); break;
	case DT_REMAP_FILE_PAGES: gen_remap_file_pages(g, c); break;
	default: c->kind = DT_BRK; break;
	}
}

static enum dt_kind pick_kind(struct dt_gen *g)
{
	unsigned int w[DT_NKINDS];

	for (int k = 0; k < DT_NKINDS; k++)
		w[k] = dt_kind_enabled((enum dt_kind)k) && !(g->skip & (1U << k)) ? dt_kinds[k].weight : 0;
	/* mlockall and munlockall share one generator */
	if (!w[DT_MUNLOCKALL] || !w[DT_MLOCKALL])
		w[DT_MLOCKALL] = w[DT_MUNLOCKALL] = 0;
	return (enum dt_kind)WEIGHTED(g, w);
}

/* munmap of a run of up to 8 of our VMAs, holes between them included. */
static bool gen_sweep(struct dt_gen *g, struct dt_call *c)
{
	unsigned long i, j, pct = g->nlive > LIVE_CALM ? (unsigned long)(g->nlive - LIVE_CALM) / 4 : 0;

	if (!dt_kind_enabled(DT_MUNMAP) || (g->skip & (1U << DT_MUNMAP)) ||
	    below(g, 100) >= (pct > 60 ? 60 : pct))
		return false;
	i = below(g, (unsigned long)g->nlive);
	j = i + below(g, 8);
	if (j >= (unsigned long)g->nlive)
		j = (unsigned long)g->nlive - 1;
	*c = (struct dt_call){ DT_MUNMAP, { g->live[i].start, g->live[j].end - g->live[i].start } };
	return true;
}

/* Now and then a fork (1 call in 200), and while forked a join (1 in
 * 50): a fifth of the calls run in a forked child. */
static bool gen_fork_join(struct dt_gen *g, struct dt_call *c)
{
	if ((g->skip & (1U << DT_FORK)) || (g->forked ? below(g, 50) : below(g, 200)))
		return false;
	*c = (struct dt_call){ g->forked ? DT_JOIN : DT_FORK, { 0 } };
	g->forked = !g->forked;
	return true;
}

void dt_gen_next(struct dt_gen *g, struct dt_call *c)
{
	if (gen_fork_join(g, c))
		return;
	for (int i = 0; i < MAX_TRIES; i++) {
		if (!gen_sweep(g, c))
			gen_kind(g, pick_kind(g), c);
		if (dt_call_safe(c, g->prot, g->nprot))
			return;
	}
	*c = (struct dt_call){ DT_BRK, { 0 } };
}

static void live_add(struct dt_gen *g, struct dt_range r)
{
	if (g->nlive == g->live_cap) {
		struct dt_range *nv = realloc(g->live, (size_t)(g->live_cap * 2 + 256) * sizeof(*nv));

		if (!nv)
			return;
		g->live = nv;
		g->live_cap = g->live_cap * 2 + 256;
	}
	g->live[g->nlive++] = r;
}

/* The VMAs of a maps text that the calls may touch. */
static void live_update(struct dt_gen *g, const char *maps)
{
	struct dt_call probe = { DT_MUNMAP, { 0 } };
	unsigned long a, b;

	g->nlive = 0;
	for (const char *p = maps; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (sscanf(p, "%lx-%lx", &a, &b) != 2)
			continue;
		probe.a[0] = a;
		probe.a[1] = b - a;
		if (dt_call_safe(&probe, g->prot, g->nprot))
			live_add(g, (struct dt_range){ a, b });
	}
}

void dt_gen_free(struct dt_gen *g)
{
	free(g->live);
	g->live = NULL;
	g->nlive = g->live_cap = 0;
}

/* The start of the child's [stack] (before any touch grew it). */
static void find_stack(struct dt_gen *g, const char *maps)
{
	const char *p = strstr(maps, " [stack]\n");

	while (p && p > maps && p[-1] != '\n')
		p--;
	if (p)
		g->stack_start = strtoul(p, NULL, 16);
}

static void add_growsdown(struct dt_gen *g, unsigned long start)
{
	unsigned long n = sizeof(g->growsdown) / sizeof(g->growsdown[0]);

	if ((unsigned long)g->ngrowsdown < n)
		g->growsdown[g->ngrowsdown++] = start;
	else
		g->growsdown[below(g, n)] = start;
}

void dt_gen_observe(struct dt_gen *g, const struct dt_call *c, long result, const char *maps)
{
	unsigned long len = c->a[1], align = DT_PAGE;

	if (maps)
		live_update(g, maps);
	if (maps && !g->stack_start)
		find_stack(g, maps);
	if (c->kind != DT_MMAP || (result < 0 && result > -4096))
		return;
	if (c->a[3] & 0x100)
		add_growsdown(g, (unsigned long)result);
	if (c->a[3] & 0x40000)
		align = ((c->a[3] >> 26) & 0x3f) == 30 ? GIB : 2 * MIB;
	len = (len + align - 1) & ~(align - 1);
	add_owned(g, (unsigned long)result, len);
	add_point(g, (unsigned long)result);
	add_point(g, (unsigned long)result + len);
}

void dt_gen_init(struct dt_gen *g, uint64_t seed, unsigned long brk0, const struct dt_files *files,
		 const struct dt_range *prot, int nprot)
{
	const struct dt_range cand[DT_NARENAS] = {
		{ 0x40000000UL, 0x44000000UL },
		{ 0x200000000000UL, 0x200004000000UL },
		{ brk0, brk0 + 32 * MIB },
	};

	memset(g, 0, sizeof(*g));
	g->s = seed * 0x2545f4914f6cdd1dULL + 0x1234567ULL;
	g->brk0 = brk0;
	g->files = files;
	g->prot = prot;
	g->nprot = nprot;
	for (int i = 0; i < DT_NARENAS; i++) {
		struct dt_call probe = { DT_MUNMAP, { cand[i].start, cand[i].end - cand[i].start } };

		if (dt_call_safe(&probe, prot, nprot))
			g->arenas[g->narenas++] = cand[i];
	}
}
