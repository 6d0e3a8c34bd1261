/*
 * pku_ops.h - the protection-key calls replayed on a kernel with PKU
 * (pku_probe.c, run under qemu by scripts/pku_record.sh) and on usermm
 * (tests/test_pku_recorded.c), and the text both print after each call:
 *
 *   op N KIND = RESULT [pkey K]    the call's result (0, an address,
 *                                  -errno, or for a touch 0 or
 *                                  (signal << 8) | si_code, with si_pkey)
 *   pkru 0xVALUE                   the PKRU after the call
 *   vma START-END PERMS key K      each VMA in [PKU_BASE, PKU_END)
 *
 * Only memory in that window is used, so neither side needs the other's
 * address space around it.
 */
#ifndef UMM_PKU_OPS_H
#define UMM_PKU_OPS_H

#define PKU_BASE 0x200000000000UL
#define PKU_END 0x300000000000UL
#define B PKU_BASE
#define K4 0x1000UL

enum pku_kind {
	PK_MMAP,          /* a=addr b=len c=prot: private anonymous, MAP_FIXED */
	PK_MPROTECT,      /* a=addr b=len c=prot */
	PK_PKEY_MPROTECT, /* a=addr b=len c=prot d=key */
	PK_ALLOC,         /* a=flags b=init_val */
	PK_FREE,          /* a=key */
	PK_WRPKRU,        /* a=value */
	PK_TOUCH,         /* a=addr b=PROT_READ/WRITE/EXEC (a write stores 0xc3) */
	PK_MADVISE,       /* a=addr b=len c=advice */
	PK_MLOCK,         /* a=addr b=len */
	PK_MINCORE,       /* a=addr b=len c=vector address */
	PK_MREMAP,        /* a=addr b=old c=new d=new address: MAYMOVE|FIXED */
};

struct pku_op {
	enum pku_kind kind;
	unsigned long a, b, c, d;
};

#define P_R 1UL
#define P_W 2UL
#define P_X 4UL
#define P_RW 3UL
#define AD(k) (1UL << (2 * (k)))
#define WD(k) (2UL << (2 * (k)))
#define MADV_POP_READ 22UL
#define MADV_POP_WRITE 23UL

static const struct pku_op pku_ops[] = {
	{PK_MMAP, B, 64 * K4, P_RW, 0},
	{PK_ALLOC, 0, 0, 0, 0},                    /* 1 */
	{PK_ALLOC, 0, 2, 0, 0},                    /* 2, write-disabled */
	{PK_ALLOC, 0, 1, 0, 0},                    /* 3, access-disabled */
	{PK_ALLOC, 1, 0, 0, 0},                    /* bad flags */
	{PK_ALLOC, 0, 4, 0, 0},                    /* bad init_val */
	{PK_PKEY_MPROTECT, B + 4 * K4, 4 * K4, P_RW, 1},
	{PK_PKEY_MPROTECT, B + 8 * K4, 4 * K4, P_RW, 1},  /* merges with the last */
	{PK_MPROTECT, B + 4 * K4, 2 * K4, P_R, 0},        /* keeps key 1 */
	{PK_PKEY_MPROTECT, B, K4, P_RW, 9},               /* not allocated */
	{PK_PKEY_MPROTECT, B, 0, P_RW, 9},
	{PK_PKEY_MPROTECT, B + 1, K4, P_RW, 9},
	{PK_PKEY_MPROTECT, B, K4, P_RW, 16},
	{PK_PKEY_MPROTECT, B, K4, P_RW, (unsigned long)-2},
	{PK_FREE, 2, 0, 0, 0},
	{PK_FREE, 2, 0, 0, 0},
	{PK_FREE, 0, 0, 0, 0},                     /* key 0 is allocated */
	{PK_ALLOC, 0, 0, 0, 0},                    /* ... and taken again */
	{PK_FREE, 16, 0, 0, 0},
	{PK_FREE, (unsigned long)-1, 0, 0, 0},
	{PK_TOUCH, B + 4 * K4, P_R, 0, 0},
	{PK_PKEY_MPROTECT, B + 12 * K4, K4, P_RW, 3},
	{PK_TOUCH, B + 12 * K4, P_R, 0, 0},
	{PK_TOUCH, B + 12 * K4, P_W, 0, 0},
	{PK_WRPKRU, 0, 0, 0, 0},
	{PK_TOUCH, B + 12 * K4, P_W, 0, 0},
	{PK_WRPKRU, AD(3) | WD(1), 0, 0, 0},
	{PK_TOUCH, B + 4 * K4, P_W, 0, 0},         /* read-only and write-disabled */
	{PK_TOUCH, B + 6 * K4, P_W, 0, 0},
	{PK_TOUCH, B + 6 * K4, P_R, 0, 0},
	{PK_PKEY_MPROTECT, B + 13 * K4, K4, 0, 3}, /* PROT_NONE, access-disabled */
	{PK_TOUCH, B + 13 * K4, P_R, 0, 0},
	{PK_PKEY_MPROTECT, B + 13 * K4, K4, 0, 0},
	{PK_TOUCH, B + 13 * K4, P_R, 0, 0},
	{PK_TOUCH, B + 14 * K4, P_W, 0, 0},        /* a ret instruction */
	{PK_MPROTECT, B + 14 * K4, K4, P_X, 0},    /* takes the execute-only key */
	{PK_TOUCH, B + 14 * K4, P_X, 0, 0},
	{PK_TOUCH, B + 14 * K4, P_R, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_FREE, 2, 0, 0, 0},
	{PK_PKEY_MPROTECT, B, K4, P_RW, 2},
	{PK_MMAP, B + 16 * K4, K4, P_X, 0},        /* execute-only too */
	{PK_MMAP, B + 17 * K4, K4, P_X | P_R, 0},  /* not execute-only */
	{PK_MPROTECT, B + 14 * K4, K4, P_R, 0},    /* back to key 0 */
	{PK_WRPKRU, 0, 0, 0, 0},
	{PK_MPROTECT, B + 16 * K4, K4, P_X, 0},    /* access disabled again */
	{PK_MPROTECT, B + 18 * K4, 2 * K4, P_X, 0},
	{PK_MPROTECT, B + 18 * K4, K4, P_RW, 0},
	{PK_WRPKRU, AD(3) | WD(1), 0, 0, 0},
	{PK_MADVISE, B + 12 * K4, K4, MADV_POP_READ, 0},
	{PK_MADVISE, B + 6 * K4, K4, MADV_POP_WRITE, 0},
	{PK_MADVISE, B + 6 * K4, K4, MADV_POP_READ, 0},
	{PK_MADVISE, B + 20 * K4, K4, MADV_POP_WRITE, 0},
	{PK_MLOCK, B + 12 * K4, K4, 0, 0},
	{PK_MLOCK, B + 6 * K4, K4, 0, 0},
	{PK_MLOCK, B + 21 * K4, K4, 0, 0},
	{PK_MINCORE, B + 20 * K4, K4, B + 12 * K4, 0},
	{PK_MINCORE, B + 20 * K4, K4, B + 6 * K4, 0},
	{PK_MINCORE, B + 20 * K4, K4, B + 22 * K4, 0},
	{PK_MREMAP, B + 8 * K4, 2 * K4, 2 * K4, B + 256 * K4}, /* one VMA: 6.12 has no multi-VMA move */
	{PK_MREMAP, B + 256 * K4, 2 * K4, 4 * K4, B + 512 * K4},
	{PK_PKEY_MPROTECT, B + 512 * K4, 2 * K4, P_RW, 0},
	{PK_PKEY_MPROTECT, B + 512 * K4, 4 * K4, P_RW, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_ALLOC, 0, 0, 0, 0},
	{PK_FREE, 15, 0, 0, 0},
	{PK_ALLOC, 0, 3, 0, 0},
};

#define PKU_NOPS (sizeof(pku_ops) / sizeof(pku_ops[0]))

static const char *const pku_kind_names[] = {
	"mmap", "mprotect", "pkey_mprotect", "pkey_alloc", "pkey_free", "wrpkru",
	"touch", "madvise", "mlock", "mincore", "mremap",
};

#undef B
#undef K4
#endif /* UMM_PKU_OPS_H */
