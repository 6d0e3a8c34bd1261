/*
 * fuzz_api.c - libFuzzer harness: the input bytes decode into a sequence
 * of public usermm calls on one or two address spaces. The library is
 * built with UMM_CHECK_INVARIANTS (its checker runs after every call and
 * aborts), and the harness also calls umm_mm_check after every call.
 *
 * Input layout (every read past the end gives 0, so any input is valid):
 *   byte 0  setup: bit0 second space, bit1 first space starts from an
 *           imported maps text, bit2 second space likewise,
 *           bits 3-7 variant bits for the second space's config
 *   byte 1  more variant bits (max_map_count, rlimits)
 *   byte 2-3 the size of the in-memory regular file, in pages
 *   then    one op byte and its arguments per call, until the end
 *
 * FUZZ_PRINT=1 in the environment (or -DFUZZ_PRINT) prints each decoded
 * call and its result to stderr, for reading a reproducer; FUZZ_PRINT=2
 * also prints the maps after every call (useful with a library built
 * without UMM_CHECK_INVARIANTS, whose checker aborts before that).
 *
 * FUZZ_AVOID=TAG[,TAG...] steers the decoding away from a known bug, so
 * that a long run finds others (the same input then decodes differently):
 *   droppable-future  no MAP_DROPPABLE mmap while mlockall(MCL_FUTURE) is
 *                     in force (fuzz/findings/fuzz_api-droppable-mlockall-nomerge)
 */
#include "usermm.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG 4096UL
#define MAX_OPS 256

struct in {
	const uint8_t *p;
	size_t n, off;
};

static uint8_t u8(struct in *in)
{
	return in->off < in->n ? in->p[in->off++] : 0;
}

static uint16_t u16(struct in *in)
{
	return (uint16_t)(u8(in) | (u8(in) << 8));
}

static uint32_t u32(struct in *in)
{
	return (uint32_t)u16(in) | ((uint32_t)u16(in) << 16);
}

static uint64_t u64(struct in *in)
{
	return (uint64_t)u32(in) | ((uint64_t)u32(in) << 32);
}

static int print_mode = -1;

static int printing(void)
{
	if (print_mode < 0) {
#ifdef FUZZ_PRINT
		print_mode = 1;
#else
		const char *e = getenv("FUZZ_PRINT");

		print_mode = e && *e ? atoi(e) : 0;
#endif
	}
	return print_mode;
}

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;

	if (!printing())
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------------
 * The world: spaces and files
 * ------------------------------------------------------------------- */

enum { NFILES = 9 };

struct world {
	struct umm_mm *mm[2];
	bool future_locked[2]; /* mlockall(MCL_FUTURE) in force */
	int nmm;
	struct umm_config cfg[2];
	struct umm_file *files[NFILES];
	const char *file_names[NFILES];
};

/* A small process image: brk area, a stack, special mappings and the
 * gate area, none of which the public calls can make by themselves. */
static const char image_maps[] =
	"555555554000-555555555000 r--p 00000000 fe:00 100                        /usr/bin/prog\n"
	"555555555000-555555556000 r-xp 00001000 fe:00 100                        /usr/bin/prog\n"
	"555555556000-555555558000 rw-p 00002000 fe:00 100                        /usr/bin/prog\n"
	"555555559000-55555557a000 rw-p 00000000 00:00 0                          [heap]\n"
	"7ffff7fbd000-7ffff7fc1000 rw-s 00000000 00:01 7                          /dev/zero (deleted)\n"
	"7ffff7fc1000-7ffff7fc5000 r--p 00000000 00:00 0                          [vvar]\n"
	"7ffff7fc5000-7ffff7fc7000 r-xp 00000000 00:00 0                          [vdso]\n"
	"7ffff7fc7000-7ffff7fc8000 r--p 00000000 fe:00 200                        /usr/lib/ld.so\n"
	"7ffff7fc8000-7ffff7ff0000 r-xp 00001000 fe:00 200                        /usr/lib/ld.so\n"
	"7ffff7ff0000-7ffff7ffb000 r--p 00029000 fe:00 200                        /usr/lib/ld.so\n"
	"7ffff7ffb000-7ffff7fff000 rw-p 00034000 fe:00 200                        /usr/lib/ld.so\n"
	"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

static int avoid_droppable_future = -1;

static bool avoiding(int *flag, const char *tag)
{
	if (*flag < 0) {
		const char *e = getenv("FUZZ_AVOID");

		*flag = e && strstr(e, tag) != NULL;
	}
	return *flag;
}

static void check_mm(struct umm_mm *mm, const char *after)
{
	char msg[512];

	if (umm_mm_check(mm, msg, sizeof(msg))) {
		fprintf(stderr, "fuzz_api: umm_mm_check failed after %s: %s\n", after, msg);
		abort();
	}
}

static void make_files(struct world *w, struct in *in)
{
	unsigned long pages = u16(in);
	struct umm_file_desc d[NFILES] = {
		{ .path = "/data/file.rw", .dev_major = 254, .ino = 11, .size = pages * PG + (pages & 7),
		  .mode = UMM_FILE_READ | UMM_FILE_WRITE, .kind = UMM_FILE_REGULAR },
		{ .path = "/usr/lib/libro.so", .dev_major = 254, .ino = 12, .size = 64 * PG,
		  .mode = UMM_FILE_READ, .kind = UMM_FILE_REGULAR },
		{ .path = "/memfd:shm", .dev_minor = 1, .ino = 13, .size = 32 * PG,
		  .mode = UMM_FILE_READ | UMM_FILE_WRITE, .kind = UMM_FILE_SHMEM, .deleted = true },
		{ .path = "/dev/mem-like", .dev_minor = 6, .ino = 14, .size = 0,
		  .mode = UMM_FILE_READ | UMM_FILE_WRITE, .kind = UMM_FILE_CHAR },
		{ .path = "/dev/zero", .dev_minor = 6, .ino = 5, .size = 0,
		  .mode = UMM_FILE_READ | UMM_FILE_WRITE, .kind = UMM_FILE_CHAR, .dev_zero = true },
		{ .path = "/proc/self/status", .dev_minor = 22, .ino = 15, .size = 0,
		  .mode = UMM_FILE_READ, .kind = UMM_FILE_REGULAR, .mmap_errno = -19 },
		{ .path = "/mnt/noexec/bin", .dev_major = 8, .ino = 16, .size = 8 * PG,
		  .mode = UMM_FILE_READ | UMM_FILE_WRITE | UMM_FILE_APPEND, .kind = UMM_FILE_REGULAR,
		  .noexec_mount = true },
		{ .path = "/var/log/append-only", .dev_major = 8, .ino = 17, .size = 3 * PG + 100,
		  .mode = UMM_FILE_READ | UMM_FILE_WRITE, .kind = UMM_FILE_REGULAR, .append_only = true },
		{ .path = "/tmp/small", .dev_major = 8, .ino = 18, .size = 5, .max_bytes = 1UL << 20,
		  .mode = UMM_FILE_WRITE, .kind = UMM_FILE_SHMEM },
	};

	for (int i = 0; i < NFILES; i++) {
		w->files[i] = umm_file_create(&d[i]);
		w->file_names[i] = d[i].path;
		if (!w->files[i]) {
			fprintf(stderr, "fuzz_api: umm_file_create(%s) failed\n", d[i].path);
			abort();
		}
	}
}

static void make_variant(struct umm_config *c, uint8_t a, uint8_t b)
{
	static const unsigned long sizes[] = { 0, PG, 16 * PG, 1UL << 20, 8UL << 20, 1UL << 30 };

	umm_config_init(c);
	if (a & 0x08)
		c->layout = UMM_LAYOUT_LEGACY;
	if (a & 0x10)
		c->zero_page = false;
	if (a & 0x20)
		c->pkeys = true;
	if (a & 0x40)
		c->anon_vma_name = true;
	if (a & 0x80) {
		c->overcommit_memory = 2;
		c->totalram_pages = (b & 0x80) ? 4096 : c->totalram_pages;
	}
	if (b & 0x01)
		c->max_map_count = 1 + (b >> 4) % 10;
	if (b & 0x02) {
		c->rlimit_as.cur = c->rlimit_as.max = sizes[(b >> 2) % 6] + (1UL << 24);
		c->rlimit_data.cur = c->rlimit_data.max = sizes[(b >> 4) % 6];
	}
	if (b & 0x04) {
		c->rlimit_memlock.cur = c->rlimit_memlock.max = sizes[(b >> 3) % 6];
		c->rlimit_stack.cur = c->rlimit_stack.max = (b & 0x40) ? UMM_RLIM_INFINITY : 128 * 1024;
	}
	if (b & 0x08) {
		c->cap_ipc_lock = true;
		c->cap_sys_rawio = true;
	}
	if ((b & 0x30) == 0x30) {
		c->randomize = true;
		c->seed = a * 131 + b;
	}
	if (b & 0x40)
		c->hugetlb_shifts = 1UL << 21;
}

/* ---------------------------------------------------------------------
 * Arguments
 * ------------------------------------------------------------------- */

/* The n-th VMA (mod the count), false if there is none. */
static bool pick_vma(struct umm_mm *mm, unsigned idx, struct umm_vma_info *out)
{
	struct umm_mm_stats st;
	struct umm_vma_iter it;
	unsigned long k;

	umm_mm_stats(mm, &st);
	if (!st.map_count)
		return false;
	k = idx % st.map_count;
	umm_vma_iter_init(&it, mm, 0);
	while (umm_vma_iter_next(&it, out))
		if (k-- == 0)
			return true;
	return false;
}

static unsigned long gen_addr(struct in *in, struct umm_mm *mm, const struct umm_config *cfg)
{
	uint8_t sel = u8(in);
	struct umm_vma_info v;
	struct umm_mm_stats st;

	if (sel < 150) {
		uint8_t b = u8(in);
		unsigned long a, pages;
		long delta;

		if (!pick_vma(mm, u8(in), &v))
			return cfg->mmap_base ? cfg->mmap_base - PG * (b & 15) : 0x7ffff7000000UL;
		pages = (v.end - v.start) / PG;
		switch (b & 3) {
		case 0: a = v.start; break;
		case 1: a = v.end; break;
		default: a = v.start + PG * ((b >> 2) % pages); break;
		}
		delta = (long)((sel >> 2) % 7) - 3; /* -3 .. +3 pages */
		if (sel & 1)
			delta = 0;
		return a + (unsigned long)(delta * (long)PG);
	}
	umm_mm_stats(mm, &st);
	switch (sel % 16) {
	case 0: return 0;
	case 1: return cfg->mmap_min_addr;
	case 2: return cfg->mmap_min_addr_hint;
	case 3: return cfg->task_size - PG * (u8(in) & 15);
	case 4: return cfg->task_size;
	case 5: return ~0UL;
	case 6: return ~0UL - PG + 1;
	case 7: return st.mmap_base - PG * (u8(in) % 32);
	case 8: return st.brk + PG * (u8(in) % 8);
	case 9: return st.start_brk;
	case 10: return u64(in);
	case 11: return (u64(in) & ((1UL << 47) - 1)) & ~(PG - 1);
	case 12: return 0x1000000UL * (u8(in) + 1);
	case 13: return 0x7ffff7000000UL + PG * u16(in);
	case 14: return (1UL << 32) - PG * (u8(in) % 4);
	default: return st.start_stack ? (st.start_stack & ~(PG - 1)) - PG * (u8(in) % 64) : PG * u8(in);
	}
}

static unsigned long gen_len(struct in *in)
{
	uint8_t sel = u8(in);

	if (sel < 200)
		return PG * (1 + sel % 16);
	switch (sel % 14) {
	case 0: return 0;
	case 1: return u16(in);              /* unaligned, small */
	case 2: return PG * u16(in);
	case 3: return 1UL << 40;
	case 4: return 1UL << 47;
	case 5: return ~0UL;
	case 6: return ~0UL - PG + 1;
	case 7: return (2UL << 20) * (1 + u8(in) % 4); /* huge pages */
	case 8: return 1UL << 30;
	case 9: return u64(in);
	case 10: return PG * (1 + u8(in) % 16) + 1 + u8(in) % 4095;
	case 11: return PG * 256;
	case 12: return 8UL << 20;
	default: return PG - 1;
	}
}

static int gen_prot(struct in *in)
{
	uint8_t b = u8(in);

	if (b < 240)
		return b & 7;
	switch (b % 5) {
	case 0: return 0x01000000 | (b & 3); /* PROT_GROWSDOWN */
	case 1: return 0x02000000 | (b & 3); /* PROT_GROWSUP */
	case 2: return 0x8 | (b & 7);        /* PROT_SEM */
	case 3: return 0x10;
	default: return (int)u32(in);
	}
}

static const int extra_map_flags[] = {
	0x10,      /* MAP_FIXED */
	0x100000,  /* MAP_FIXED_NOREPLACE */
	0x100,     /* MAP_GROWSDOWN */
	0x2000,    /* MAP_LOCKED */
	0x4000,    /* MAP_NORESERVE */
	0x8000,    /* MAP_POPULATE */
	0x10000,   /* MAP_NONBLOCK */
	0x20000,   /* MAP_STACK */
	0x40000,   /* MAP_HUGETLB */
	0x80000,   /* MAP_SYNC */
	0x40,      /* MAP_32BIT */
	0x80,      /* MAP_ABOVE4G */
	0x800,     /* MAP_DENYWRITE */
	0x1000,    /* MAP_EXECUTABLE */
	0x4000000, /* MAP_UNINITIALIZED */
	(21 << 26),
	(30 << 26),
	(16 << 26),
	0x200000,  /* unknown bit */
};

static int gen_map_flags(struct in *in, bool *anon_out)
{
	static const int types[] = { 0x02, 0x01, 0x03, 0x08, 0x00, 0x0f };
	uint8_t t = u8(in), nextra = u8(in);
	int flags;

	flags = types[t < 200 ? (t & 1) : t % 6];
	*anon_out = !(t & 0x10) || (t & 0x20);
	if (*anon_out)
		flags |= 0x20;
	/* most calls have at most one or two extra flags */
	for (int i = 0; i < (nextra >> 6); i++)
		flags |= extra_map_flags[u8(in) % (sizeof(extra_map_flags) / sizeof(int))];
	if (nextra & 1)
		flags |= 0x10;
	return flags;
}

static const int advices[] = {
	0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
	21, 22, 23, 24, 25, 100, 101, 102, 103, 5, 6, 7, 26, 104, -1,
};

static const char *const anon_names[] = {
	NULL, "", "a", "b", "heap thing", "[bad]", "\x01", "x$y", "tab\t",
	"0123456789012345678901234567890123456789012345678901234567890123456789012345678",
	"01234567890123456789012345678901234567890123456789012345678901234567890123456789",
};

/* ---------------------------------------------------------------------
 * Calls
 * ------------------------------------------------------------------- */

enum op {
	OP_MMAP, OP_MMAP_FILE, OP_MUNMAP, OP_MPROTECT, OP_PKEY_MPROTECT, OP_PKEY_ALLOC,
	OP_PKEY_FREE, OP_PKRU_SET, OP_MREMAP, OP_BRK, OP_MADVISE, OP_MSEAL, OP_MLOCK,
	OP_MLOCK2, OP_MUNLOCK, OP_MLOCKALL, OP_MUNLOCKALL, OP_MSYNC, OP_MINCORE,
	OP_MINCORE_USER, OP_ANON_NAME, OP_FAULT, OP_MAPS, OP_SMAPS, OP_FIND_VMA, OP_ITER,
	OP_STATS, OP_SWITCH, OP_MMAP_FIXED_OVER, OP_MREMAP_VMA, OP_MADVISE_VMA, OP_WRITE, OP_READ,
	OP_TRANSLATE, OP_ACCESS_VM, OP_FORK, OP_NOP,
	NOPS
};

static void do_op(struct world *w, struct in *in, int *cur)
{
	int which = *cur < w->nmm ? *cur : 0;
	struct umm_mm *mm = w->mm[which];
	const struct umm_config *cfg = &w->cfg[which];
	uint8_t op = u8(in) % NOPS;
	unsigned long a, l, l2, na, fl;
	const char *what = "?";
	long r = 0;
	int prot, flags;
	bool anon;

	switch (op) {
	case OP_MMAP:
	case OP_MMAP_FILE: {
		struct umm_file *f = NULL;
		unsigned long off = 0;
		int fi = -1;

		a = (u8(in) & 3) ? gen_addr(in, mm, cfg) : 0;
		l = gen_len(in);
		prot = gen_prot(in);
		flags = gen_map_flags(in, &anon);
		if (op == OP_MMAP_FILE) {
			uint8_t o = u8(in);

			fi = u8(in) % NFILES;
			f = w->files[fi];
			flags &= ~0x20;
			if (o & 0x80)
				flags |= 0x20; /* the file is ignored */
			off = o < 0xf0 ? PG * (o & 0x3f) : o == 0xff ? u64(in) : (unsigned long)u16(in);
		}
		/* !anon without a file: the EBADF path */
		if ((flags & 0x0f) == 0x08 && w->future_locked[which] &&
		    avoiding(&avoid_droppable_future, "droppable-future"))
			flags = (flags & ~0x0f) | 0x02;
		r = umm_mmap(mm, a, l, prot, flags, f, off);
		say("mm%d: mmap(%#lx, %#lx, prot=%#x, flags=%#x, %s, off=%#lx) = %#lx (%ld)\n", which,
		    a, l, prot, flags, fi >= 0 ? w->file_names[fi] : "anon", off, (unsigned long)r, r);
		what = "mmap";
		break;
	}
	case OP_MMAP_FIXED_OVER: {
		/* MAP_FIXED exactly over part of an existing VMA: replacement. */
		struct umm_vma_info v;
		int fi = u8(in) % (NFILES + 3);

		if (!pick_vma(mm, u8(in), &v))
			return;
		l = PG * (1 + u8(in) % 4);
		a = v.start + PG * (u8(in) % ((v.end - v.start) / PG));
		prot = u8(in) & 7;
		flags = (u8(in) & 1 ? 0x01 : 0x02) | 0x10;
		if (fi >= NFILES)
			flags |= 0x20;
		r = umm_mmap(mm, a, l, prot, flags, fi < NFILES ? w->files[fi] : NULL, 0);
		say("mm%d: mmap(%#lx, %#lx, prot=%#x, flags=%#x, %s, 0) = %#lx (%ld)\n", which, a, l,
		    prot, flags, fi < NFILES ? w->file_names[fi] : "anon", (unsigned long)r, r);
		what = "mmap(FIXED over)";
		break;
	}
	case OP_MUNMAP:
		a = gen_addr(in, mm, cfg);
		l = gen_len(in);
		r = umm_munmap(mm, a, l);
		say("mm%d: munmap(%#lx, %#lx) = %ld\n", which, a, l, r);
		what = "munmap";
		break;
	case OP_MPROTECT:
		a = gen_addr(in, mm, cfg);
		l = gen_len(in);
		prot = gen_prot(in);
		r = umm_mprotect(mm, a, l, prot);
		say("mm%d: mprotect(%#lx, %#lx, %#x) = %ld\n", which, a, l, prot, r);
		what = "mprotect";
		break;
	case OP_PKEY_MPROTECT: {
		int key = (int)(u8(in) % 20) - 2;

		a = gen_addr(in, mm, cfg);
		l = gen_len(in);
		prot = gen_prot(in);
		r = umm_pkey_mprotect(mm, a, l, prot, key);
		say("mm%d: pkey_mprotect(%#lx, %#lx, %#x, %d) = %ld\n", which, a, l, prot, key, r);
		what = "pkey_mprotect";
		break;
	}
	case OP_PKEY_ALLOC: {
		uint8_t b = u8(in);
		unsigned long f2 = b & 0x80 ? 1 : 0, iv = b & 7;

		r = umm_pkey_alloc(mm, f2, iv);
		say("mm%d: pkey_alloc(%lu, %lu) = %ld\n", which, f2, iv, r);
		what = "pkey_alloc";
		break;
	}
	case OP_PKEY_FREE: {
		int key = (int)(u8(in) % 20) - 2;

		r = umm_pkey_free(mm, key);
		say("mm%d: pkey_free(%d) = %ld\n", which, key, r);
		what = "pkey_free";
		break;
	}
	case OP_PKRU_SET: {
		unsigned int v = u8(in) & 1 ? u32(in) : 0x55555554U;

		r = umm_pkru_set(mm, v);
		say("mm%d: pkru_set(%#x) = %ld (get %#x)\n", which, v, r, umm_pkru_get(mm));
		what = "pkru_set";
		break;
	}
	case OP_MREMAP:
	case OP_MREMAP_VMA: {
		uint8_t b = u8(in);

		if (op == OP_MREMAP_VMA) {
			/* a whole VMA (or its tail), grown or shrunk */
			struct umm_vma_info v;

			if (!pick_vma(mm, u8(in), &v))
				return;
			a = v.start + (b & 0x80 ? PG * (u8(in) % ((v.end - v.start) / PG)) : 0);
			l = v.end - a;
			l2 = b & 0x40 ? l + PG * (u8(in) % 8 + 1) : PG * (1 + u8(in) % 8);
		} else {
			a = gen_addr(in, mm, cfg);
			l = u8(in) < 16 ? 0 : gen_len(in);
			l2 = gen_len(in);
		}
		fl = b & 7;
		if ((b & 0x38) == 0x38)
			fl |= 8; /* unknown flag */
		na = fl & 2 ? gen_addr(in, mm, cfg) : 0;
		r = umm_mremap(mm, a, l, l2, fl, na);
		say("mm%d: mremap(%#lx, %#lx, %#lx, flags=%#lx, %#lx) = %#lx (%ld)\n", which, a, l, l2,
		    fl, na, (unsigned long)r, r);
		what = "mremap";
		break;
	}
	case OP_BRK: {
		struct umm_mm_stats st;
		uint8_t b = u8(in);

		umm_mm_stats(mm, &st);
		switch (b & 7) {
		case 0: a = 0; break;
		case 1: a = st.brk + PG * (u8(in) % 64) + (b >> 3); break;
		case 2: a = st.brk - PG * (u8(in) % 64); break;
		case 3: a = st.start_brk; break;
		case 4: a = st.start_brk - PG; break;
		case 5: a = st.brk + (1UL << 30) * (1 + (b >> 3)); break;
		case 6: a = gen_addr(in, mm, cfg); break;
		default: a = st.brk + (u16(in) & ~7); break;
		}
		r = (long)umm_brk(mm, a);
		say("mm%d: brk(%#lx) = %#lx\n", which, a, (unsigned long)r);
		what = "brk";
		break;
	}
	case OP_MADVISE:
	case OP_MADVISE_VMA: {
		int adv = advices[u8(in) % (sizeof(advices) / sizeof(int))];

		if (op == OP_MADVISE_VMA) {
			struct umm_vma_info v;

			if (!pick_vma(mm, u8(in), &v))
				return;
			a = v.start;
			l = v.end - v.start;
		} else {
			a = gen_addr(in, mm, cfg);
			l = gen_len(in);
		}
		r = umm_madvise(mm, a, l, adv);
		say("mm%d: madvise(%#lx, %#lx, %d) = %ld\n", which, a, l, adv, r);
		what = "madvise";
		break;
	}
	case OP_MSEAL: {
		unsigned long f2 = u8(in) > 240 ? 1 : 0;

		a = gen_addr(in, mm, cfg);
		l = gen_len(in);
		r = umm_mseal(mm, a, l, f2);
		say("mm%d: mseal(%#lx, %#lx, %lu) = %ld\n", which, a, l, f2, r);
		what = "mseal";
		break;
	}
	case OP_MLOCK:
		a = gen_addr(in, mm, cfg);
		l = gen_len(in);
		r = umm_mlock(mm, a, l);
		say("mm%d: mlock(%#lx, %#lx) = %ld\n", which, a, l, r);
		what = "mlock";
		break;
	case OP_MLOCK2: {
		unsigned int f2 = u8(in);

		f2 = f2 < 200 ? f2 & 1 : f2;
		a = gen_addr(in, mm, cfg);
		l = gen_len(in);
		r = umm_mlock2(mm, a, l, f2);
		say("mm%d: mlock2(%#lx, %#lx, %u) = %ld\n", which, a, l, f2, r);
		what = "mlock2";
		break;
	}
	case OP_MUNLOCK:
		a = gen_addr(in, mm, cfg);
		l = gen_len(in);
		r = umm_munlock(mm, a, l);
		say("mm%d: munlock(%#lx, %#lx) = %ld\n", which, a, l, r);
		what = "munlock";
		break;
	case OP_MLOCKALL: {
		int f2 = u8(in);

		f2 = f2 < 200 ? f2 & 7 : f2;
		r = umm_mlockall(mm, f2);
		if (r == 0 && (f2 & 2))
			w->future_locked[which] = true;
		say("mm%d: mlockall(%d) = %ld\n", which, f2, r);
		what = "mlockall";
		break;
	}
	case OP_MUNLOCKALL:
		r = umm_munlockall(mm);
		if (r == 0)
			w->future_locked[which] = false;
		say("mm%d: munlockall() = %ld\n", which, r);
		what = "munlockall";
		break;
	case OP_MSYNC: {
		int f2 = u8(in);

		f2 = f2 < 220 ? f2 & 7 : f2;
		a = gen_addr(in, mm, cfg);
		l = gen_len(in);
		r = umm_msync(mm, a, l, f2);
		say("mm%d: msync(%#lx, %#lx, %d) = %ld\n", which, a, l, f2, r);
		what = "msync";
		break;
	}
	case OP_MINCORE: {
		unsigned char *vec;
		unsigned long pages;

		a = gen_addr(in, mm, cfg);
		l = gen_len(in);
		pages = l / PG + 2;
		vec = (pages <= 65536 && !(u8(in) == 0xff)) ? calloc(pages, 1) : NULL;
		r = umm_mincore(mm, a, l, vec);
		say("mm%d: mincore(%#lx, %#lx, %s) = %ld\n", which, a, l, vec ? "vec" : "NULL", r);
		free(vec);
		what = "mincore";
		break;
	}
	case OP_MINCORE_USER: {
		unsigned char *vec;
		unsigned long pages;

		a = gen_addr(in, mm, cfg);
		l = gen_len(in);
		na = gen_addr(in, mm, cfg) + (u8(in) & 0x80 ? 0 : u8(in));
		pages = l / PG + 2;
		vec = (pages <= 65536 && (u8(in) & 1)) ? calloc(pages, 1) : NULL;
		r = umm_mincore_user(mm, a, l, na, vec);
		say("mm%d: mincore_user(%#lx, %#lx, vec_addr=%#lx, %s) = %ld\n", which, a, l, na,
		    vec ? "out" : "NULL", r);
		free(vec);
		what = "mincore_user";
		break;
	}
	case OP_ANON_NAME: {
		const char *name = anon_names[u8(in) % (sizeof(anon_names) / sizeof(anon_names[0]))];

		a = gen_addr(in, mm, cfg);
		l = gen_len(in);
		r = umm_set_anon_name(mm, a, l, name);
		say("mm%d: set_anon_name(%#lx, %#lx, %s%s%s) = %ld\n", which, a, l, name ? "\"" : "",
		    name ? name : "NULL", name ? "\"" : "", r);
		what = "set_anon_name";
		break;
	}
	case OP_FAULT: {
		static const int acc[] = { 1, 2, 4, 1, 2, 0, 3, 8 };
		struct umm_fault_info fi;
		int ac = acc[u8(in) % 8];

		a = gen_addr(in, mm, cfg) + (u8(in) & 0x80 ? 0 : u16(in) % PG);
		r = umm_fault(mm, a, ac, u8(in) & 1 ? &fi : NULL);
		say("mm%d: fault(%#lx, %d) = %#lx\n", which, a, ac, (unsigned long)r);
		what = "fault";
		break;
	}
	case OP_MAPS: {
		char *s = umm_maps_string(mm);

		if (!s)
			abort();
		say("mm%d: maps:\n%s", which, s);
		free(s);
		what = "maps_string";
		break;
	}
	case OP_SMAPS: {
		char *s = umm_smaps_string(mm);

		if (!s)
			abort();
		free(s);
		say("mm%d: smaps_string\n", which);
		what = "smaps_string";
		break;
	}
	case OP_FIND_VMA: {
		struct umm_vma_info v;

		a = gen_addr(in, mm, cfg);
		r = umm_find_vma(mm, a, &v);
		if (r == 0 && (v.end <= a || v.start >= v.end)) {
			fprintf(stderr, "fuzz_api: find_vma(%#lx) gave %#lx-%#lx\n", a, v.start, v.end);
			abort();
		}
		say("mm%d: find_vma(%#lx) = %ld\n", which, a, r);
		what = "find_vma";
		break;
	}
	case OP_ITER: {
		struct umm_vma_iter it;
		struct umm_vma_info v;
		struct umm_mm_stats st;
		unsigned long n = 0, prev_end = 0;

		a = u8(in) & 1 ? gen_addr(in, mm, cfg) : 0;
		umm_vma_iter_init(&it, mm, a);
		while (umm_vma_iter_next(&it, &v)) {
			if (v.start < prev_end || v.start >= v.end) {
				fprintf(stderr, "fuzz_api: iteration out of order at %#lx-%#lx\n", v.start,
					v.end);
				abort();
			}
			prev_end = v.end;
			n++;
		}
		umm_mm_stats(mm, &st);
		if (a == 0 && n != st.map_count) {
			fprintf(stderr, "fuzz_api: iteration saw %lu VMAs, map_count %lu\n", n,
				st.map_count);
			abort();
		}
		say("mm%d: iter(from %#lx): %lu VMAs\n", which, a, n);
		what = "vma_iter";
		break;
	}
	case OP_STATS: {
		struct umm_mm_stats st;
		struct umm_config c;

		umm_mm_stats(mm, &st);
		umm_mm_config(mm, &c);
		say("mm%d: stats: map_count %lu total_vm %lu locked %lu committed %lu brk %#lx\n", which,
		    st.map_count, st.total_vm, st.locked_vm, st.committed, st.brk);
		what = "mm_stats";
		break;
	}
	case OP_WRITE:
	case OP_READ: {
		static unsigned char buf[3 * PG];
		size_t n = u16(in) % sizeof(buf);
		long fault = 0;

		a = gen_addr(in, mm, cfg) + (u8(in) & 0x80 ? 0 : u16(in) % PG);
		memset(buf, u8(in), n);
		r = op == OP_WRITE ? umm_write(mm, a, buf, n, &fault) : umm_read(mm, a, buf, n, &fault);
		say("mm%d: %s(%#lx, %zu) = %ld, fault %#lx\n", which, op == OP_WRITE ? "write" : "read",
		    a, n, r, (unsigned long)fault);
		if (r > (long)n)
			abort();
		what = op == OP_WRITE ? "write" : "read";
		break;
	}
	case OP_TRANSLATE: {
		static const int acc[] = { 1, 2, 4, 3 };
		int ac = acc[u8(in) % 4];
		size_t left = 0;
		void *host = NULL;

		a = gen_addr(in, mm, cfg) + u16(in) % PG;
		r = umm_translate(mm, a, ac, &host, &left);
		say("mm%d: translate(%#lx, %d) = %ld, %zu left\n", which, a, ac, r, left);
		if (!r && (!host || !left || left > PG))
			abort();
		/* The pointer is good for its page: touch both ends. */
		if (!r && ac == 2) {
			((volatile unsigned char *)host)[0] = 1;
			((volatile unsigned char *)host)[left - 1] = 2;
		} else if (!r) {
			(void)((volatile unsigned char *)host)[left - 1];
		}
		what = "translate";
		break;
	}
	case OP_ACCESS_VM: {
		static unsigned char buf[2 * PG];
		size_t n = u16(in) % sizeof(buf);
		bool wr = u8(in) & 1;

		a = gen_addr(in, mm, cfg) + u16(in) % PG;
		r = umm_access_process_vm(mm, a, buf, n, wr);
		say("mm%d: access_process_vm(%#lx, %zu, %d) = %ld\n", which, a, n, wr, r);
		if (r > (long)n)
			abort();
		what = "access_process_vm";
		break;
	}
	case OP_FORK: {
		struct umm_mm *child = NULL;
		int slot = w->nmm == 2 ? 1 - which : 1;

		r = umm_mm_fork(mm, &child);
		say("mm%d: fork -> mm%d = %ld\n", which, slot, r);
		if (r)
			break;
		if (slot < w->nmm)
			umm_mm_destroy(w->mm[slot]);
		w->mm[slot] = child;
		w->nmm = 2;
		umm_mm_config(child, &w->cfg[slot]);
		w->future_locked[slot] = false;
		check_mm(child, "fork (child)");
		what = "fork";
		break;
	}
	case OP_SWITCH:
		*cur = (*cur + 1) % w->nmm;
		say("switch to mm%d\n", *cur);
		return;
	default:
		return;
	}
	(void)r;
	if (printing() >= 2) {
		char *s = umm_maps_string(mm);

		say("%s", s ? s : "(no maps)\n");
		free(s);
	}
	check_mm(mm, what);
}

static struct umm_mm *make_mm(const struct umm_config *cfg, bool image)
{
	struct umm_mm *mm = umm_mm_create(cfg);
	int bad = 0;

	if (!mm || !image)
		return mm;
	if (umm_maps_import(mm, image_maps, NULL, &bad)) {
		/* a variant config may refuse the image (max_map_count, limits):
		 * start empty then */
		umm_mm_destroy(mm);
		mm = umm_mm_create(cfg);
	}
	return mm;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size, 0 };
	struct world w = { 0 };
	uint8_t setup = u8(&in), vb = u8(&in);
	int cur = 0;

	struct umm_phys_config pc;
	struct umm_phys *phys;

	/* Both spaces draw on one small memory: running out is part of the
	 * game, and it is quick to make. */
	umm_phys_config_init(&pc);
	pc.bytes = (4UL << 20) << (vb & 3);
	phys = umm_phys_create(&pc);
	if (!phys)
		abort();
	umm_config_init(&w.cfg[0]);
	make_variant(&w.cfg[1], setup, vb);
	w.cfg[0].phys = w.cfg[1].phys = phys;
	make_files(&w, &in);
	w.mm[0] = make_mm(&w.cfg[0], setup & 2);
	if (!w.mm[0])
		abort();
	w.nmm = 1;
	if (setup & 1) {
		w.mm[1] = make_mm(&w.cfg[1], setup & 4);
		if (w.mm[1])
			w.nmm = 2;
		say("mm1: config layout=%d zero_page=%d pkeys=%d anon_name=%d overcommit=%d "
		    "max_map_count=%lu rlimit_as=%#lx data=%#lx memlock=%#lx stack=%#lx: %s\n",
		    w.cfg[1].layout, w.cfg[1].zero_page, w.cfg[1].pkeys, w.cfg[1].anon_vma_name,
		    w.cfg[1].overcommit_memory, w.cfg[1].max_map_count, w.cfg[1].rlimit_as.cur,
		    w.cfg[1].rlimit_data.cur, w.cfg[1].rlimit_memlock.cur, w.cfg[1].rlimit_stack.cur,
		    w.mm[1] ? "created" : "refused");
	}
	for (int i = 0; i < w.nmm; i++) {
		umm_mm_config(w.mm[i], &w.cfg[i]);
		check_mm(w.mm[i], "create");
	}
	for (int ops = 0; in.off < in.n && ops < MAX_OPS; ops++)
		do_op(&w, &in, &cur);
	for (int i = 0; i < w.nmm; i++) {
		char *s = umm_smaps_string(w.mm[i]);

		if (!s)
			abort();
		free(s);
		check_mm(w.mm[i], "end");
		umm_mm_destroy(w.mm[i]);
	}
	for (int i = 0; i < NFILES; i++)
		umm_file_put(w.files[i]);
	umm_phys_put(phys);
	return 0;
}
