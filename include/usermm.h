/*
 * usermm.h - the public API of usermm, the Linux memory-mapping subsystem
 * as an embeddable library.
 *
 * One struct umm_mm is one process's address space. The calls below take
 * Linux's own numeric PROT_*, MAP_* and errno values (x86_64), so an
 * emulator can pass a guest's arguments straight through, and they return
 * what the Linux 6.18 kernel returns: an address or 0 on success, or a
 * negative errno (-ENOMEM, -EINVAL, ...) on failure.
 *
 * Threads: every call on one address space takes that space's own lock
 * (the counterpart of mmap_lock), so one umm_mm may be used from several
 * threads. Separate address spaces share nothing; there is no global
 * mutable state. File handles are reference counted atomically and may be
 * mapped into several address spaces.
 */
#ifndef USERMM_H
#define USERMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header; umm_version() gives the library's. */
#define UMM_VERSION_MAJOR 0
#define UMM_VERSION_MINOR 5
#define UMM_VERSION_PATCH 0
#define UMM_VERSION "0.5.0"

/* The version of the library linked: "MAJOR.MINOR.PATCH". A program built
 * against one header may run with another library of the same major
 * version (its SONAME). */
const char *umm_version(void);

/* ---------------------------------------------------------------------
 * Linux's values (x86_64) of the calls' arguments, so that a program on
 * any host (macOS, Windows, an old libc) can pass them, and an emulator a
 * guest's arguments unchanged.
 * ------------------------------------------------------------------- */

#define UMM_PROT_NONE 0x0
#define UMM_PROT_READ 0x1
#define UMM_PROT_WRITE 0x2
#define UMM_PROT_EXEC 0x4
#define UMM_PROT_SEM 0x8
#define UMM_PROT_GROWSDOWN 0x01000000
#define UMM_PROT_GROWSUP 0x02000000

#define UMM_MAP_SHARED 0x01
#define UMM_MAP_PRIVATE 0x02
#define UMM_MAP_SHARED_VALIDATE 0x03
#define UMM_MAP_DROPPABLE 0x08
#define UMM_MAP_TYPE 0x0f
#define UMM_MAP_FIXED 0x10
#define UMM_MAP_ANONYMOUS 0x20
#define UMM_MAP_32BIT 0x40
#define UMM_MAP_ABOVE4G 0x80
#define UMM_MAP_GROWSDOWN 0x0100
#define UMM_MAP_DENYWRITE 0x0800
#define UMM_MAP_EXECUTABLE 0x1000
#define UMM_MAP_LOCKED 0x2000
#define UMM_MAP_NORESERVE 0x4000
#define UMM_MAP_POPULATE 0x8000
#define UMM_MAP_NONBLOCK 0x10000
#define UMM_MAP_STACK 0x20000
#define UMM_MAP_HUGETLB 0x40000
#define UMM_MAP_SYNC 0x80000
#define UMM_MAP_FIXED_NOREPLACE 0x100000
#define UMM_MAP_UNINITIALIZED 0x4000000
#define UMM_MAP_HUGE_SHIFT 26
#define UMM_MAP_HUGE_MASK 0x3f
#define UMM_MAP_HUGE_2MB (21 << UMM_MAP_HUGE_SHIFT)
#define UMM_MAP_HUGE_1GB (30 << UMM_MAP_HUGE_SHIFT)

#define UMM_MREMAP_MAYMOVE 1
#define UMM_MREMAP_FIXED 2
#define UMM_MREMAP_DONTUNMAP 4

#define UMM_MADV_NORMAL 0
#define UMM_MADV_RANDOM 1
#define UMM_MADV_SEQUENTIAL 2
#define UMM_MADV_WILLNEED 3
#define UMM_MADV_DONTNEED 4
#define UMM_MADV_FREE 8
#define UMM_MADV_REMOVE 9
#define UMM_MADV_DONTFORK 10
#define UMM_MADV_DOFORK 11
#define UMM_MADV_MERGEABLE 12
#define UMM_MADV_UNMERGEABLE 13
#define UMM_MADV_HUGEPAGE 14
#define UMM_MADV_NOHUGEPAGE 15
#define UMM_MADV_DONTDUMP 16
#define UMM_MADV_DODUMP 17
#define UMM_MADV_WIPEONFORK 18
#define UMM_MADV_KEEPONFORK 19
#define UMM_MADV_COLD 20
#define UMM_MADV_PAGEOUT 21
#define UMM_MADV_POPULATE_READ 22
#define UMM_MADV_POPULATE_WRITE 23
#define UMM_MADV_DONTNEED_LOCKED 24
#define UMM_MADV_COLLAPSE 25
#define UMM_MADV_HWPOISON 100
#define UMM_MADV_SOFT_OFFLINE 101
#define UMM_MADV_GUARD_INSTALL 102
#define UMM_MADV_GUARD_REMOVE 103

#define UMM_MLOCK_ONFAULT 1
#define UMM_MCL_CURRENT 1
#define UMM_MCL_FUTURE 2
#define UMM_MCL_ONFAULT 4

#define UMM_MS_ASYNC 1
#define UMM_MS_INVALIDATE 2
#define UMM_MS_SYNC 4

/* ---------------------------------------------------------------------
 * Memory for the library's own structures
 * ------------------------------------------------------------------- */

/*
 * Where a space gets the memory for its VMAs, index nodes, names, files
 * and tables (cfg.allocator). alloc returns size bytes aligned to align
 * (a power of two, at most 4096), or NULL when it cannot: the call that
 * needed the memory then fails with -ENOMEM (-EAGAIN for madvise and
 * prctl, which convert it as the kernel does), and the space is left as
 * the kernel leaves it after a failed allocation. free gets back a
 * block with the size it was asked with. ctx is passed to both. The
 * callbacks run under the lock of the space that allocates; an
 * allocator shared by several spaces must be safe to call from several
 * threads. It must outlive every space made with it and every file and
 * name such a space created (a shared anonymous mapping's hidden file
 * lives as long as its last mapping). Each VMA, split and merge asks
 * alloc and free; the default keeps a few freed VMAs for reuse instead.
 * NULL means the default: the C library's heap, and mmap for blocks of
 * 2 MiB or more.
 * The strings umm_maps_string and umm_smaps_string return are the
 * caller's to free() and come from the C library's heap.
 */
struct umm_allocator {
	void *(*alloc)(void *ctx, size_t size, size_t align);
	void (*free)(void *ctx, void *p, size_t size);
	void *ctx;
};

/* ---------------------------------------------------------------------
 * Configuration
 * ------------------------------------------------------------------- */

/* A resource limit, as getrlimit() reports it. UMM_RLIM_INFINITY = none. */
#define UMM_RLIM_INFINITY (~0UL)
struct umm_rlimit {
	unsigned long cur;
	unsigned long max;
};

/* Layout of the free-area search (the kernel's MMF_TOPDOWN choice). */
enum umm_layout {
	UMM_LAYOUT_TOPDOWN = 0, /* the default on x86_64 */
	UMM_LAYOUT_LEGACY = 1,  /* bottom-up: ADDR_COMPAT_LAYOUT or vm.legacy_va_layout=1 */
};

/*
 * Everything that shapes an address space. umm_config_init() fills in the
 * defaults of this machine's kernel (6.18, x86_64) for an unprivileged
 * process with ASLR off; change fields after that. Sizes are in bytes
 * unless a field says pages.
 */
struct umm_config {
	unsigned long page_size;      /* 4096; other sizes are refused */
	unsigned long task_size;      /* (1<<47) - 4096: user space ends here */

	enum umm_layout layout;
	bool randomize;               /* ASLR: random mmap_base (and start_brk) from seed */
	uint64_t seed;                /* seed for randomize; same seed, same layout */
	unsigned int mmap_rnd_bits;   /* 28, as vm.mmap_rnd_bits */
	/* 0: computed from rlimit_stack as the kernel's mmap_base() does.
	 * Otherwise used as is (for instance inferred from a real process). */
	unsigned long mmap_base;

	/* The brk area. start_brk 0 picks the default 0x555555559000, where a
	 * small non-randomised PIE's heap starts. brk starts equal to it. */
	unsigned long start_brk;

	unsigned long mmap_min_addr;       /* 4096: MAP_FIXED below it -> EPERM */
	unsigned long mmap_min_addr_hint;  /* 65536: floor for hints and searches */
	unsigned long max_map_count;       /* 65530 */
	unsigned long stack_guard_gap;     /* 256 pages, in bytes: 1 MiB */

	struct umm_rlimit rlimit_as;       /* RLIMIT_AS: infinity */
	struct umm_rlimit rlimit_data;     /* RLIMIT_DATA: infinity */
	struct umm_rlimit rlimit_memlock;  /* RLIMIT_MEMLOCK: 8 MiB */
	struct umm_rlimit rlimit_stack;    /* RLIMIT_STACK: 8 MiB / infinity */

	/* Overcommit (vm.overcommit_memory 0, 1 or 2). */
	int overcommit_memory;             /* 0 */
	unsigned int overcommit_ratio;     /* 50 (percent) */
	unsigned long overcommit_kbytes;   /* 0: use the ratio */
	unsigned long totalram_pages;      /* RAM in pages: 6 GiB worth by default */
	unsigned long total_swap_pages;    /* 0 */
	unsigned long admin_reserve_kbytes;/* 8192 */
	unsigned long user_reserve_kbytes; /* 131072 */
	/* Pages committed by the rest of the system (Committed_AS minus this
	 * address space); mode 2 compares against it. */
	unsigned long committed_other_pages;

	/* Privileges, explicit: an unprivileged process by default. */
	bool cap_sys_rawio;  /* MAP_FIXED below mmap_min_addr is allowed */
	bool cap_ipc_lock;   /* RLIMIT_MEMLOCK does not apply */
	bool cap_sys_admin;  /* overcommit mode 2 keeps no admin reserve */
	bool cap_sys_resource; /* umm_setrlimit may raise a hard limit */

	/* The kernel was built with CONFIG_ANON_VMA_NAME, so anonymous memory
	 * can be named (umm_set_anon_name). false: this machine's kernel,
	 * where prctl(PR_SET_VMA, ...) fails with EINVAL whatever its
	 * arguments. */
	bool anon_vma_name;

	/* The CPU has protection keys and the kernel turned them on (x86 PKU
	 * with OSPKE): each space has 16 keys, key 0 allocated from the
	 * start, pkey_alloc hands out the lowest free one, pkey_mprotect
	 * tags VMAs with one (VM_PKEY_BIT0..3, which keep VMAs apart and
	 * show as smaps' ProtectionKey line), a PROT_EXEC-only mmap or
	 * mprotect takes the execute-only key, and umm_fault checks the
	 * PKRU (umm_pkru_set). false: this machine, whose CPU has no PKU. */
	bool pkeys;

	/* Read faults of private anonymous memory map the shared zero page,
	 * so reading (or MAP_POPULATE, MADV_POPULATE_READ or mlock of
	 * read-only memory) gives a VMA no anon_vma and leaves its merges
	 * alone. true: a stock kernel. false: such faults allocate a page
	 * and prepare an anon_vma, as this machine's kernel build does. */
	bool zero_page;

	/* The hugetlb page sizes (hstates) the kernel has, as a mask of
	 * 1UL << shift: 2 MiB (shift 21) always, 1 GiB (30) where the CPU
	 * has pdpe1gb. MAP_HUGETLB with a size not here is -EINVAL. The
	 * default has both; this machine's CPU has only 2 MiB. */
	unsigned long hugetlb_shifts;

	/* Memory for the space's own structures; NULL: the default (see
	 * struct umm_allocator). */
	const struct umm_allocator *allocator;

	/* The physical memory the space's pages come from, shared with the
	 * other spaces given it (after a fork they share pages); the space
	 * holds a reference. NULL: one of its own, of totalram_pages with
	 * umm_phys_config_init()'s other settings, made when first needed. */
	struct umm_phys *phys;
};

/* Fill cfg with the defaults described above. */
void umm_config_init(struct umm_config *cfg);

/*
 * Fill cfg from this host's kernel, for the calling process: what a
 * program it executes now would get. umm_config_init() gives fixed,
 * documented values (the same on every machine, so results are
 * reproducible); this gives the host's own. It starts from those defaults
 * and takes:
 *   /proc/sys/vm: max_map_count, overcommit_memory, overcommit_ratio,
 *     overcommit_kbytes, admin_reserve_kbytes, user_reserve_kbytes
 *     (100403 on this machine, not the default's 131072), mmap_rnd_bits
 *     (only if readable: it is root-only);
 *   mmap_min_addr: the sysctl's value, which is dac_mmap_min_addr (the
 *     MAP_FIXED floor without CAP_SYS_RAWIO). mmap_min_addr_hint becomes
 *     max(that, 65536): the kernel raises hints to, and stops searches
 *     at, its effective mmap_min_addr, which CONFIG_LSM_MMAP_MIN_ADDR
 *     (65536, a build option nothing exposes) lifts when it is higher;
 *   layout: legacy if vm.legacy_va_layout != 0 or the personality has
 *     ADDR_COMPAT_LAYOUT (x86 ignores an infinite RLIMIT_STACK here);
 *   randomize: kernel.randomize_va_space != 0 and the personality lacks
 *     ADDR_NO_RANDOMIZE. seed stays 0: set it for varied layouts. (At
 *     randomize_va_space 1 the kernel does not randomise brk; usermm's
 *     randomize does both.);
 *   /proc/meminfo: MemTotal, SwapTotal -> totalram_pages,
 *     total_swap_pages; Committed_AS -> committed_other_pages (the whole
 *     system's, the caller's own commitments included);
 *   getrlimit: RLIMIT_AS, DATA, MEMLOCK, STACK (RLIM_INFINITY becomes
 *     UMM_RLIM_INFINITY);
 *   capget: CAP_SYS_RAWIO, CAP_IPC_LOCK, CAP_SYS_ADMIN, CAP_SYS_RESOURCE in
 *     the effective set;
 *   anon_vma_name: whether prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME) names a
 *     scratch anonymous page of the caller's (a kernel without
 *     CONFIG_ANON_VMA_NAME fails with EINVAL; the page is unmapped again);
 *   zero_page: whether reading a scratch private anonymous page leaves
 *     its smaps "Anonymous:" at 0 kB (the zero page was mapped);
 *   hugetlb_shifts: the hugepages-NkB entries of /sys/kernel/mm/hugepages;
 *   pkeys: "ospke" among /proc/cpuinfo's flags (PKU on and in use).
 * stack_guard_gap (a boot parameter the kernel does not expose) keeps the
 * default, as do page_size, task_size, mmap_base and start_brk.
 * Returns 0, or a negative errno when any of the above (mmap_rnd_bits
 * aside) cannot be read or makes no sense; cfg then holds the defaults of
 * umm_config_init(). Thread-safe; reads the host on every call.
 */
int umm_config_from_host(struct umm_config *cfg);

/* ---------------------------------------------------------------------
 * Physical memory
 * ------------------------------------------------------------------- */

/*
 * struct umm_phys: the frames that address spaces get their pages from,
 * as the kernel's memory is: one record per 4 KiB frame (the kernel's
 * struct page; UMM_PAGE_STRUCT_SIZE bytes each), zones as on x86_64 (DMA
 * below 16 MiB, DMA32 below 4 GiB, Normal above, counted from frame 0),
 * each with a buddy allocator of orders 0 to UMM_MAX_PAGE_ORDER that
 * splits blocks to allocate and merges a freed block with its buddy, and
 * the watermarks (min, low, high, promo) and lowmem reserves the kernel
 * computes from the sizes. A page is allocated while its zone stays
 * above the low watermark, or failing that the min one, as the kernel's
 * fast and slow paths do; with no reclaim and no swap, below that an
 * allocation fails: out of memory is an outcome the caller sees, never
 * a crash. Not modelled: per-CPU page lists, migrate types, compaction.
 *
 * The frames' host memory and the records are reserved at creation and
 * only touched as pages are used. Several spaces, in several threads,
 * may share one umm_phys: it has its own lock and a reference count.
 */
struct umm_phys;
struct umm_mm;

#define UMM_PAGE_STRUCT_SIZE 40 /* bytes of metadata per 4 KiB frame */
#define UMM_MAX_PAGE_ORDER 10   /* the largest block: 4 MiB (MAX_PAGE_ORDER) */
#define UMM_NR_ZONES 3          /* DMA, DMA32, Normal (Movable, Device: empty) */

struct umm_phys_config {
	/* The memory: this many bytes, rounded down to whole frames, laid out
	 * from frame 0 across the zones. 512 MiB by default. */
	unsigned long bytes;
	/* Or the pages of each zone (DMA, DMA32, Normal), one after the
	 * other, for a machine whose zones are not laid out from 0 (this
	 * host's are its /proc/zoneinfo "managed" counts). All 0: from bytes. */
	unsigned long zone_pages[UMM_NR_ZONES];
	/* vm.min_free_kbytes; 0: as the kernel computes it at boot, the
	 * square root of 16 times the low memory in KiB, between 128 and
	 * 262144, raised as khugepaged raises it when thp is set. */
	unsigned long min_free_kbytes;
	bool thp;                             /* THP on ("always" or "madvise"): true */
	unsigned int watermark_scale_factor;  /* vm.watermark_scale_factor: 10 */
	/* vm.lowmem_reserve_ratio for DMA, DMA32, Normal: 256, 256, 32. */
	unsigned int lowmem_reserve_ratio[UMM_NR_ZONES];
	/* Memory for the frames and the records; NULL: the default. */
	const struct umm_allocator *allocator;
	/* Tests: called before each page allocation with its order; nonzero
	 * makes the allocation fail, as the kernel's fail_page_alloc does. */
	int (*fail_alloc)(void *ctx, unsigned int order);
	void *fail_ctx;
};

/* The defaults above. */
void umm_phys_config_init(struct umm_phys_config *cfg);
/*
 * This host's: the managed pages of its DMA, DMA32 and Normal zones
 * (/proc/zoneinfo), vm.min_free_kbytes, vm.watermark_scale_factor,
 * vm.lowmem_reserve_ratio and whether THP is on (/sys/kernel/mm/
 * transparent_hugepage/enabled). 0, or a negative errno with cfg at
 * umm_phys_config_init()'s defaults.
 */
int umm_phys_config_from_host(struct umm_phys_config *cfg);

/* A new physical memory with one reference, or NULL for a bad
 * configuration (no memory, or more than 2^32 frames) or no memory. */
struct umm_phys *umm_phys_create(const struct umm_phys_config *cfg);
/* Take and drop references; the last umm_phys_put frees it. NULL is
 * ignored. */
struct umm_phys *umm_phys_get(struct umm_phys *phys);
void umm_phys_put(struct umm_phys *phys);
/* The physical memory of mm (made now if it has none yet); borrowed, as
 * long as mm lives. NULL on no memory. */
struct umm_phys *umm_mm_phys(struct umm_mm *mm);

/* One zone, as /proc/zoneinfo shows it (pages). */
struct umm_zone_info {
	const char *name; /* "DMA", "DMA32", "Normal" */
	unsigned long start_pfn, spanned, present, managed, free;
	unsigned long min, low, high, promo;
	unsigned long protection[UMM_NR_ZONES + 2]; /* lowmem_reserve, with Movable, Device */
	unsigned long nr_free[UMM_MAX_PAGE_ORDER + 1]; /* free blocks of each order */
};
/* Zone i (0 to UMM_NR_ZONES - 1) of phys into out. 0 or -EINVAL. */
int umm_phys_zone(struct umm_phys *phys, unsigned int i, struct umm_zone_info *out);

/*
 * The kernel's texts, for the frames phys holds: /proc/buddyinfo (each
 * zone's free blocks per order), the zones of /proc/zoneinfo (free pages,
 * watermarks, sizes, protection and nr_free_pages; the kernel's other
 * counters are left out), and the lines of /proc/meminfo this layer
 * knows (MemTotal, MemFree, MemAvailable, Cached, AnonPages, Mapped,
 * Shmem, PageTables; the page cache is shared memory's pages). 0 or a negative errno.
 */
int umm_phys_buddyinfo_write(struct umm_phys *phys, FILE *out);
int umm_phys_zoneinfo_write(struct umm_phys *phys, FILE *out);
int umm_phys_meminfo_write(struct umm_phys *phys, FILE *out);
/* The same as malloc'ed strings (free() them); NULL on failure. */
char *umm_phys_buddyinfo_string(struct umm_phys *phys);
char *umm_phys_zoneinfo_string(struct umm_phys *phys);
char *umm_phys_meminfo_string(struct umm_phys *phys);

/* ---------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------- */

/*
 * A umm_file is an open file description: what a file descriptor names
 * in the kernel. Two handles opened on the same inode are two different
 * descriptions, and, as in the kernel, their mappings never merge with
 * each other; mapping one handle several times does merge.
 */
struct umm_file;

/* How the handle was opened (the fd's f_mode). */
#define UMM_FILE_READ   0x1
#define UMM_FILE_WRITE  0x2
#define UMM_FILE_APPEND 0x4
/* Opened with O_PATH: it names the file but cannot be used, so mmap of
 * it fails with -EBADF before anything else is checked (the kernel's
 * fget refuses such a descriptor). */
#define UMM_FILE_PATH   0x8

enum umm_file_kind {
	UMM_FILE_REGULAR = 0, /* a file on a disk file system (ext4): no MAP_SYNC */
	UMM_FILE_SHMEM = 1,   /* tmpfs, memfd: MAP_SYNC accepted */
	/* A character device, directory or FIFO: anything the kernel does not
	 * limit to MAX_LFS_FILESIZE, so offsets are limited only by ULONG_MAX. */
	UMM_FILE_CHAR = 2,
};

/* Everything usermm knows of a file; for umm_file_create(). */
struct umm_file_desc {
	const char *path;        /* shown in maps; copied */
	unsigned int dev_major;  /* st_dev, split */
	unsigned int dev_minor;
	unsigned long ino;
	unsigned long long size; /* bytes */
	/* UMM_FILE_READ | UMM_FILE_WRITE | UMM_FILE_APPEND, or UMM_FILE_PATH */
	unsigned int mode;
	enum umm_file_kind kind;
	bool noexec_mount;       /* on a noexec mount: PROT_EXEC -> EPERM */
	/* The inode has the append-only attribute (chattr +a): a shared
	 * mapping through a writable handle -> EACCES. (O_APPEND, i.e.
	 * UMM_FILE_APPEND, does not matter to mmap.) */
	bool append_only;
	/* The /dev/zero device: shared mappings get a fresh shmem object,
	 * private ones are anonymous memory that keeps the name. */
	bool dev_zero;
	bool deleted;            /* unlinked: maps shows " (deleted)" */
	/* 0 if the file can be mapped. Otherwise the negative errno that every
	 * mmap of it returns (-ENODEV for a file without an mmap method). */
	int mmap_errno;
	/* The file system's largest file (s_maxbytes): MADV_REMOVE punching
	 * a hole that ends past it is -EFBIG. 0 picks ext4's with 4 KiB
	 * blocks (16 TiB - 4 KiB) for UMM_FILE_REGULAR, else LLONG_MAX
	 * (tmpfs, block devices). */
	unsigned long long max_bytes;
	/* A hugetlbfs file (a memfd made with MFD_HUGETLB, a file on a
	 * hugetlbfs mount): log2 of its huge page size, 21 (2 MiB) or 30
	 * (1 GiB), with kind UMM_FILE_SHMEM. Its mappings are huge-page
	 * aligned and sized, and need the pool's pages (see MAP_HUGETLB).
	 * 0 for every other file. */
	unsigned int huge_shift;
	/* The caller owns the file, or may act as if it did
	 * (inode_owner_or_capable): mincore then shows its page cache even
	 * through a handle that cannot write. */
	bool owner;
};

/* A handle made purely in memory. NULL on bad arguments or no memory. */
struct umm_file *umm_file_create(const struct umm_file_desc *desc);
/*
 * A handle describing a host file. open_flags is O_RDONLY, O_WRONLY or
 * O_RDWR, optionally with O_APPEND, or O_PATH; the file is opened only to read its
 * identity (fstat, statfs for noexec) and then closed. Returns NULL and
 * sets *err (if err is not NULL) to a negative errno on failure.
 */
struct umm_file *umm_file_open_path(const char *path, int open_flags, int *err);
/* A handle describing an fd the caller already has open (not kept). */
struct umm_file *umm_file_from_fd(int fd, int *err);
/* Reference counting. A mapping holds its own reference. */
struct umm_file *umm_file_get(struct umm_file *file);
void umm_file_put(struct umm_file *file);
/*
 * Pages [first_page, first_page + npages) of a shmem file (tmpfs, a
 * memfd, shared anonymous memory) are in its page cache: the caller's
 * process wrote them with write(2) or fallocate, or faulted them in
 * where usermm could not see it. Faults and populates through usermm's
 * own mappings note their pages themselves. The page cache decides
 * MADV_COLLAPSE of shmem (a PMD of the file with no cached page cannot
 * be collapsed). 0, -EINVAL for a range that wraps, -ENOMEM; other
 * files have no page cache usermm keeps (0, nothing noted).
 */
int umm_file_cache_add(struct umm_file *file, unsigned long first_page, unsigned long npages);
/* The description a handle was made from (path owned by the handle). */
const struct umm_file_desc *umm_file_describe(const struct umm_file *file);

/* ---------------------------------------------------------------------
 * Address spaces and the core calls
 * ------------------------------------------------------------------- */

struct umm_mm;

/* A new, empty address space. cfg NULL means umm_config_init() defaults.
 * Returns NULL if cfg is invalid (e.g. page_size != 4096) or on no memory. */
struct umm_mm *umm_mm_create(const struct umm_config *cfg);
void umm_mm_destroy(struct umm_mm *mm);
/* The configuration the space was made with (mmap_base filled in). */
void umm_mm_config(struct umm_mm *mm, struct umm_config *out);

/*
 * mmap(2). off is in bytes. file NULL for MAP_ANONYMOUS; a file with
 * MAP_ANONYMOUS is ignored, as the kernel ignores the fd. Returns the
 * address, or a negative errno, in the kernel's order of checks:
 *   EINVAL     off not page aligned (first of all); len 0; no mapping
 *              type (MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE,
 *              MAP_DROPPABLE) or an unknown one; MAP_HUGETLB with a file
 *              that is not hugetlbfs, or with a page size the kernel
 *              lacks (cfg.hugetlb_shifts); MAP_FIXED at an unaligned
 *              address or one a hugetlb mapping cannot take;
 *              MAP_GROWSDOWN shared; MAP_DROPPABLE with MAP_LOCKED,
 *              MAP_HUGETLB or MAP_GROWSDOWN; a hugetlb offset not aligned
 *   EBADF      no file without MAP_ANONYMOUS, or an O_PATH handle
 *   ENOMEM     len rounds up past the task size (or to 0); no free range
 *              for it; max_map_count reached; RLIMIT_AS or RLIMIT_DATA;
 *              the overcommit policy; a hugetlb mapping that needs pages
 *              of the (empty) pool, i.e. without MAP_NORESERVE
 *   EOVERFLOW  pgoff plus the length wraps, or an offset past the file
 *              kind's largest (MAX_LFS_FILESIZE; devices: ULONG_MAX)
 *   EEXIST     MAP_FIXED_NOREPLACE onto a mapping
 *   EPERM      MAP_FIXED below cfg.mmap_min_addr without cap_sys_rawio;
 *              MAP_LOCKED with a zero RLIMIT_MEMLOCK and no
 *              cap_ipc_lock; PROT_EXEC on a noexec mount; a MAP_FIXED
 *              range that holds sealed memory
 *   EAGAIN     a locked mapping (MAP_LOCKED, or after mlockall
 *              MCL_FUTURE) past RLIMIT_MEMLOCK
 *   EACCES     a file not opened for reading; MAP_SHARED and PROT_WRITE
 *              of a file not opened for writing; a shared writable
 *              mapping of an append-only file; write and execute
 *              together under MDWE (umm_prctl)
 *   EOPNOTSUPP MAP_SHARED_VALIDATE with a flag it does not know;
 *              MAP_SYNC of a file system without DAX
 *   ENODEV     a file with no mmap method (desc.mmap_errno says so)
 * A MAP_FIXED mmap that fails after the old range was taken out leaves
 * it unmapped, as the kernel does.
 */
long umm_mmap(struct umm_mm *mm, unsigned long addr, unsigned long len, int prot, int flags,
	      struct umm_file *file, unsigned long off);
/*
 * munmap(2): 0, or a negative errno:
 *   EINVAL  addr not page aligned; len 0; a range past the task size
 *   ENOMEM  a VMA would be split with max_map_count reached, or no
 *           memory for the split
 *   EPERM   the range holds sealed memory (nothing is unmapped)
 * Unmapping a range that holds no mapping is 0.
 */
int umm_munmap(struct umm_mm *mm, unsigned long addr, unsigned long len);
/*
 * mprotect(2): 0, or a negative errno:
 *   EINVAL  addr not page aligned; prot with bits other than
 *           PROT_READ, WRITE, EXEC, SEM, GROWSDOWN, GROWSUP; both GROWS
 *           bits; PROT_GROWSDOWN on a VMA that does not grow down;
 *           PROT_GROWSUP (no VMA grows up on x86_64); pkey_mprotect's
 *           key not allocated
 *   ENOMEM  the range wraps, or runs into a hole or past the last VMA;
 *           a split with max_map_count reached; making private memory
 *           writable past RLIMIT_DATA/AS or the overcommit policy
 *   EACCES  a right the VMA may not have (VM_MAYWRITE of a read-only
 *           shared file, VM_MAYEXEC of a noexec mount); MDWE refusing
 *           write+exec or exec gain
 *   EPERM   sealed memory
 * The range is worked VMA by VMA: an error leaves the VMAs before it
 * changed (and a first split made), as the kernel does. len 0 is 0.
 */
int umm_mprotect(struct umm_mm *mm, unsigned long addr, unsigned long len, int prot);
/*
 * mremap(2), as Linux 6.18 does it. flags: MREMAP_MAYMOVE 1,
 * MREMAP_FIXED 2, MREMAP_DONTUNMAP 4. Returns the (new) address or a
 * negative errno:
 *   EINVAL  unknown flags; addr or new_addr not page aligned; new_len 0
 *           or above the task size; FIXED or DONTUNMAP without MAYMOVE;
 *           DONTUNMAP with old_len != new_len; the old and new ranges
 *           overlap; old_len 0 (duplicate) of a private mapping; hugetlb
 *           misaligned or growing
 *   EFAULT  nothing mapped at addr, or [addr, addr+old_len) runs past
 *           its VMA (growing or moving); a growing VM_DONTEXPAND VMA
 *   EPERM   the VMA is sealed (also a sealed MREMAP_FIXED target)
 *   EAGAIN  a locked VMA would grow past RLIMIT_MEMLOCK
 *   ENOMEM  cannot grow in place without MAYMOVE; RLIMIT_AS/DATA,
 *           overcommit, no room for the target, max_map_count
 * Growing happens in place when the VMA ends at addr+old_len and the
 * space after it is free; otherwise MAYMOVE moves it. Moved VMAs keep
 * their pgoff (an anonymous VMA that never had pages takes its new
 * address's) and merge at the target as the kernel merges them.
 * MREMAP_DONTUNMAP leaves the old VMA in place, empty (its pages went
 * with the move) and no longer locked. old_len 0 on a shared mapping
 * makes a second mapping of the same object. MREMAP_FIXED with
 * old_len == new_len moves every VMA in the range, keeping the gaps
 * (Linux 6.17+). Where the kernel fails after a step that changed the
 * space (the FIXED target unmapped, the shrink done), that step stays.
 */
long umm_mremap(struct umm_mm *mm, unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags, unsigned long new_addr);
/*
 * remap_file_pages(2), as Linux 6.18 emulates it: [start, start+size)
 * (start rounded down, size down to pages) of a shared mapping is mapped
 * again at file page pgoff, as mmap(MAP_SHARED | MAP_FIXED | MAP_POPULATE)
 * with the old VMA's access rights (and MAP_LOCKED if it was locked) would
 * map it; flags keeps only MAP_NONBLOCK. 0 or a negative errno: -EINVAL
 * for prot != 0, an empty or wrapping range or pgoff, no shared VMA at
 * start, or a range that leaves it for a hole, another file or VMAs with
 * other flags; then whatever that mmap returns (-EPERM on sealed memory,
 * -EACCES under MDWE, ...).
 */
int umm_remap_file_pages(struct umm_mm *mm, unsigned long start, unsigned long size,
			 unsigned long prot, unsigned long pgoff, unsigned long flags);
/*
 * Where the break area of a space starts and where its break is, for a
 * space whose maps text did not show them (no [heap] line, no import
 * option): replay learns them from the first brk(NULL) of a trace,
 * wherever it comes. As prctl(PR_SET_MM_START_BRK/BRK) sets them, without
 * that call's privilege and layout checks. Only while the break area is
 * empty (brk == start_brk): -EBUSY otherwise; -EINVAL for start_brk not
 * page aligned or brk below it or past the task size; -EEXIST if a
 * nonempty [start_brk, brk) overlaps a mapping.
 */
int umm_mm_set_brk(struct umm_mm *mm, unsigned long start_brk, unsigned long brk);
/* brk(2): the new break, or the old one on failure (brk never fails with
 * an errno). umm_brk(mm, 0) reads the break. */
unsigned long umm_brk(struct umm_mm *mm, unsigned long brk);

/*
 * Memory protection keys: pkey_mprotect(2), pkey_alloc(2), pkey_free(2).
 *
 * With cfg.pkeys (a CPU with PKU), as the x86 kernel does:
 *  - pkey_alloc(flags, init_val): flags must be 0 and init_val a subset
 *    of UMM_PKEY_DISABLE_ACCESS | UMM_PKEY_DISABLE_WRITE (-EINVAL). The
 *    lowest free key of 0..15 is taken (-ENOSPC when none is left) and
 *    init_val is written into its two PKRU bits.
 *  - pkey_free(key): -EINVAL unless key is allocated (key 0 is, from the
 *    start; the execute-only key never counts as allocated). A freed key
 *    keeps its PKRU bits and the VMAs tagged with it keep the tag.
 *  - pkey_mprotect(..., key): mprotect that also tags every VMA of the
 *    range with key (-EINVAL, after mprotect's argument checks, unless
 *    allocated); key -1 is plain mprotect, which keeps each VMA's key,
 *    except that PROT_EXEC alone gives the execute-only key (allocated,
 *    with access disabled in the PKRU, on first use; the VMA keeps its
 *    key if none is left) and a VMA leaving that state goes back to 0.
 *    An mmap with PROT_EXEC alone takes the execute-only key too.
 * Without cfg.pkeys (this machine): the kernel's key bitmap starts empty,
 * so the first pkey_alloc takes key 0, fails to program it and returns
 * -EINVAL leaving it taken; every later one is -ENOSPC. pkey_free is
 * -EINVAL for every key, and pkey_mprotect is mprotect for key -1 and
 * -EINVAL (after mprotect's own argument checks) for any other.
 */
int umm_pkey_mprotect(struct umm_mm *mm, unsigned long addr, unsigned long len, int prot,
		      int pkey);
int umm_pkey_alloc(struct umm_mm *mm, unsigned long flags, unsigned long init_val);
int umm_pkey_free(struct umm_mm *mm, int pkey);

#define UMM_PKEY_DISABLE_ACCESS 0x1
#define UMM_PKEY_DISABLE_WRITE  0x2
/* The PKRU's bits for key k: access disabled, write disabled. */
#define UMM_PKRU_AD(k) (1U << (2 * (k)))
#define UMM_PKRU_WD(k) (2U << (2 * (k)))
/* The PKRU a process starts with: every key but 0 access-disabled. */
#define UMM_PKRU_INIT 0x55555554U

/*
 * The PKRU register of the thread the calls are made for: pkey_alloc and
 * the execute-only key write it, umm_fault reads it. It is one value per
 * space: an emulator running several threads sets each one's own before
 * its calls (WRPKRU is an unprivileged instruction the guest may run at
 * any time). Starts at UMM_PKRU_INIT with cfg.pkeys, else 0 (no register:
 * umm_pkru_set then changes nothing and returns -EINVAL).
 */
unsigned int umm_pkru_get(struct umm_mm *mm);
int umm_pkru_set(struct umm_mm *mm, unsigned int pkru);

/*
 * mseal(2): seals [addr, addr+len) against munmap, mprotect, MAP_FIXED
 * replacement and (later) mremap and discarding madvise, all of which
 * then fail with -EPERM. flags must be 0. -ENOMEM, with nothing sealed,
 * if any page of the range is unmapped. Sealing twice is harmless; there
 * is no unsealing.
 */
int umm_mseal(struct umm_mm *mm, unsigned long addr, unsigned long len, unsigned long flags);

/*
 * mlock(2), mlock2(2) (flags: MLOCK_ONFAULT 1), munlock(2): lock or
 * unlock [addr, addr+len) (addr rounded down, len up, as the kernel does).
 * -EPERM with a zero RLIMIT_MEMLOCK and no CAP_IPC_LOCK; -ENOMEM over the
 * limit or at a hole (earlier VMAs stay changed). Locking populates the
 * range: where the kernel could not fault it in (PROT_NONE, a file's
 * pages past its end) the flags are set and -ENOMEM is returned.
 */
int umm_mlock(struct umm_mm *mm, unsigned long addr, unsigned long len);
int umm_mlock2(struct umm_mm *mm, unsigned long addr, unsigned long len, unsigned int flags);
int umm_munlock(struct umm_mm *mm, unsigned long addr, unsigned long len);
/* mlockall(2): MCL_CURRENT 1, MCL_FUTURE 2 (later mmap and brk get
 * VM_LOCKED), MCL_ONFAULT 4. munlockall(2) undoes both. */
int umm_mlockall(struct umm_mm *mm, int flags);
int umm_munlockall(struct umm_mm *mm);

/*
 * msync(2): flags MS_ASYNC 1, MS_INVALIDATE 2, MS_SYNC 4. The kernel's
 * argument and range rules: -EINVAL for bad flags or an unaligned addr,
 * -ENOMEM for holes (reported after the mapped parts, or at once for a
 * plain MS_ASYNC), -EBUSY for MS_INVALIDATE on locked memory. There is no
 * page cache yet, so nothing is written back.
 */
int umm_msync(struct umm_mm *mm, unsigned long addr, unsigned long len, int flags);
/*
 * mincore(2): one byte per page of [addr, addr+len) into vec (which must
 * hold that many bytes). The errnos are the kernel's: -EINVAL unaligned,
 * -ENOMEM for a range past the user half or with a hole (the bytes before
 * the hole are written), -EFAULT for a NULL vec once there is something
 * to write (a range starting in a hole is -ENOMEM first). A page is
 * resident (1) where a PTE maps it (anonymous memory, shared memory) or
 * where shared anonymous memory's page cache holds it. Pages of a file
 * the caller neither may write nor owns (desc.owner) read as resident,
 * as the kernel hides the page cache from such callers; for other files,
 * a shmem file's record of its cache tells, and a regular file's page
 * cache, which usermm does not model, reads as empty (0).
 */
int umm_mincore(struct umm_mm *mm, unsigned long addr, unsigned long len, unsigned char *vec);
/*
 * mincore(2) with the vector where a guest has it: vec_addr is an address
 * in this space, written as the kernel's copy_to_user writes it (faults
 * included: a shared page is faulted in and dirtied), -EFAULT where that
 * copy fails, after the bytes before it (the range checked up front).
 * The bytes also go to out, if out is not NULL (it must hold one
 * byte per page).
 */
int umm_mincore_user(struct umm_mm *mm, unsigned long addr, unsigned long len,
		     unsigned long vec_addr, unsigned char *out);

/*
 * prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, name): names the
 * anonymous memory in [addr, addr+len); maps then shows "[anon:NAME]"
 * (or "[anon_shmem:NAME]" for shared anonymous memory). name NULL removes
 * the name; an empty string is a name like any other ("[anon:]").
 *
 * Without cfg.anon_vma_name (this machine's kernel) every call returns
 * -EINVAL and changes nothing, as the kernel's stub does; the oracle
 * checks that. With it, the rules are the Linux 6.18 source's
 * (set_anon_vma_name and madvise_set_anon_name in mm/madvise.c), which
 * this machine cannot run, so its tests are unit tests from that reading:
 *   the name first: more than 79 characters -> -EINVAL (the kernel reads
 *     at most UMM_ANON_NAME_MAX = 80 bytes, the NUL included);
 *     any byte outside 0x20..0x7e, or one of  [ ] \ $ `  -> -EINVAL;
 *   then the range: addr not page aligned -> -EINVAL; len rounds up to
 *     pages, and a len that rounds to 0 or a range that wraps -> -EINVAL;
 *     len 0 -> 0;
 *   then each VMA in address order: one with a file (a private /dev/zero
 *     mapping included) other than shared anonymous memory -> -EBADF at
 *     once, the VMAs before it keep their new name; a VMA that already
 *     has this name is left alone; otherwise the VMA is split at the range
 *     (each split refused with -EAGAIN at max_map_count, not -ENOMEM: the
 *     kernel's madvise converts it) or merged with a neighbour of the same
 *     attributes and name. A hole, or memory missing past the end, gives
 *     -ENOMEM after the mapped parts are named.
 * Only VMAs with equal names (or both unnamed) merge, in every call: mmap
 * and brk make unnamed VMAs, so they do not join a named neighbour.
 * [heap] and [stack] (and the special mappings' names) win over a name in
 * maps; the name stays with the VMA through splits, mprotect and friends.
 */
#define UMM_ANON_NAME_MAX 80
int umm_set_anon_name(struct umm_mm *mm, unsigned long addr, unsigned long len, const char *name);

/*
 * madvise(2): advice on [addr, addr+len), as this machine's kernel takes
 * it (6.18 with KSM and THP, without CONFIG_MEMORY_FAILURE). advice is
 * the Linux value (MADV_NORMAL 0 ... MADV_GUARD_REMOVE 103). Returns 0 or
 * a negative errno:
 *   -EINVAL  unknown advice (MADV_HWPOISON and MADV_SOFT_OFFLINE
 *            included: this kernel has no memory-failure support), addr
 *            not page aligned, len wrapping; len 0 is 0 after those
 *            checks. Also a VMA the advice refuses, e.g. WIPEONFORK on
 *            files or shared memory, DONTNEED on locked memory, FREE on
 *            anything not anonymous, GUARD_INSTALL on locked, hugetlb or
 *            special mappings, POPULATE_READ (WRITE) on memory without
 *            read (write) permission, a split of [vdso]/[vvar];
 *   -ENOMEM  a hole in the range: the advice is applied to the mapped
 *            parts first (POPULATE_* stop at the hole instead);
 *   -EAGAIN  a split refused at max_map_count (earlier VMAs and a first
 *            split stay changed);
 *   -EPERM   discarding advice (DONTNEED, DONTNEED_LOCKED, FREE, REMOVE,
 *            DONTFORK, WIPEONFORK, GUARD_INSTALL) on sealed anonymous
 *            memory that is not writable;
 *   -EACCES  REMOVE on a mapping that is not shared and writable;
 *   -EFAULT  POPULATE_* reaching a guard marker, a file's end or hugetlb
 *            memory (its pool is empty here).
 * Flag advice (NORMAL, RANDOM, SEQUENTIAL, DONTFORK, DOFORK, WIPEONFORK,
 * KEEPONFORK, DONTDUMP, DODUMP, MERGEABLE, UNMERGEABLE, HUGEPAGE,
 * NOHUGEPAGE) splits and merges VMAs like mprotect. GUARD_INSTALL marks
 * pages so that an access faults with SIGSEGV; the maps do not show it;
 * unmapping and GUARD_REMOVE clear the marks. Without a memory layer
 * the page-moving advice (WILLNEED, DONTNEED, FREE, COLD, PAGEOUT) is
 * checked and otherwise has no effect; COLLAPSE takes anonymous memory
 * that was ever written as resident, and file pages as absent (there is
 * no page cache), which the kernel refuses with EINVAL.
 */
int umm_madvise(struct umm_mm *mm, unsigned long addr, unsigned long len, int advice);

/* /proc/PID/maps, exactly as Linux prints it. 0 or a negative errno. */
int umm_maps_write(struct umm_mm *mm, FILE *out);
/* The same text in a malloc'ed string (caller frees); NULL on no memory. */
char *umm_maps_string(struct umm_mm *mm);

/*
 * /proc/PID/smaps: for each VMA (and the gate area, last) its maps line,
 * then Size, KernelPageSize, MMUPageSize, the memory counters (Rss, Pss,
 * Pss_Dirty, Shared_/Private_Clean/Dirty, Referenced, Anonymous, KSM,
 * LazyFree, AnonHugePages, ShmemPmdMapped, FilePmdMapped,
 * Shared_/Private_Hugetlb, Swap, SwapPss, Locked), THPeligible and
 * VmFlags, formatted as this machine's kernel does. The counters come
 * from the page tables: pages of private and shared anonymous memory
 * (files have no page cache here: their counters stay 0; Swap is 0, as
 * without swap). There is no ProtectionKey line (this
 * machine's CPU has no protection keys), and VmFlags lists the codes of
 * the flags usermm keeps, in the kernel's (bit) order. THPeligible is the
 * kernel's answer with THP "madvise" and shmem THP "never": 1 for an
 * anonymous VMA (private /dev/zero included) with VM_HUGEPAGE, without
 * VM_NOHUGEPAGE, that holds an aligned 2 MiB range. 0 or a negative errno.
 */
int umm_smaps_write(struct umm_mm *mm, FILE *out);
/* The same text in a malloc'ed string (caller frees); NULL on no memory. */
char *umm_smaps_string(struct umm_mm *mm);
/*
 * /proc/PID/smaps_rollup: one header line from the first VMA's start to
 * the last one's end (the gate area not counted), named [rollup], then
 * the counters of every VMA summed, with Pss_Anon, Pss_File and
 * Pss_Shmem after Pss_Dirty. 0 or a negative errno.
 */
int umm_smaps_rollup_write(struct umm_mm *mm, FILE *out);
char *umm_smaps_rollup_string(struct umm_mm *mm);
/*
 * The memory lines of /proc/PID/status, as the kernel's task_mem prints
 * them: VmPeak, VmSize, VmLck, VmPin, VmHWM, VmRSS, RssAnon, RssFile,
 * RssShmem, VmData, VmStk, VmExe, VmLib, VmPTE, VmSwap, HugetlbPages.
 * VmPeak and VmHWM are the peaks since the space began (or was forked),
 * noted, as the kernel notes them, only when VmSize or the RSS is about
 * to drop. VmExe is the part of the executable mappings the program's
 * text takes (umm_import_opts' start_code, end_code), VmLib the rest.
 * 0 or a negative errno.
 */
int umm_status_write(struct umm_mm *mm, FILE *out);
char *umm_status_string(struct umm_mm *mm);

/* ---------------------------------------------------------------------
 * What the process changes about itself: limits, privileges, personality,
 * and the prctls that bear on mappings
 * ------------------------------------------------------------------- */

/* Linux's resource numbers of the limits a space keeps (cfg.rlimit_*). */
#define UMM_RLIMIT_DATA    2
#define UMM_RLIMIT_STACK   3
#define UMM_RLIMIT_MEMLOCK 8
#define UMM_RLIMIT_AS      9
/*
 * setrlimit(2) or prlimit64(2) of the process has succeeded: the later
 * calls decide with the new limit (RLIMIT_STACK: stack growth; where
 * mmap_base lies was fixed at creation, as the kernel fixes it at exec).
 * As the kernel's do_prlimit: -EINVAL for cur > max, -EPERM for a hard
 * limit raised without cfg.cap_sys_resource, and -EINVAL for a resource
 * the space does not keep. umm_getrlimit reads one.
 */
int umm_setrlimit(struct umm_mm *mm, int resource, const struct umm_rlimit *lim);
int umm_getrlimit(struct umm_mm *mm, int resource, struct umm_rlimit *out);

/* Capability numbers that mapping calls ask about. */
#define UMM_CAP_IPC_LOCK  14
#define UMM_CAP_SYS_RAWIO 17
#define UMM_CAP_SYS_ADMIN 21
#define UMM_CAP_SYS_RESOURCE 24
/*
 * The process's effective capability set changed (capset, setuid and
 * friends, execve): effective is Linux's bit mask (1 << UMM_CAP_*, as
 * /proc/PID/status shows CapEff). Sets cfg.cap_ipc_lock, cap_sys_rawio
 * cap_sys_admin and cap_sys_resource; other bits are ignored.
 */
void umm_set_capabilities(struct umm_mm *mm, uint64_t effective);

/* personality(2) flags that change what mapping calls do at run time. */
#define UMM_READ_IMPLIES_EXEC 0x0400000
/*
 * personality(2): sets the persona (0xffffffff only reads it) and
 * returns the old one; never fails. A new space's persona is 0. With
 * UMM_READ_IMPLIES_EXEC, mmap with PROT_READ adds PROT_EXEC (not for a
 * file on a noexec mount), and mprotect with PROT_READ adds it for each
 * VMA that may execute (VM_MAYEXEC) and, as the kernel's loop keeps it,
 * for every VMA after the first such one in the range. The layout bits
 * (ADDR_COMPAT_LAYOUT, ADDR_NO_RANDOMIZE) act at exec: see cfg.layout.
 */
long umm_personality(struct umm_mm *mm, unsigned long persona);

/* prctl options umm_prctl knows, and their arguments (Linux's values). */
#define UMM_PR_SET_THP_DISABLE 41
#define UMM_PR_GET_THP_DISABLE 42
#define UMM_PR_SET_MDWE        65
#define UMM_PR_GET_MDWE        66
#define UMM_PR_THP_DISABLE_EXCEPT_ADVISED 2 /* PR_SET_THP_DISABLE's arg3 */
#define UMM_MDWE_REFUSE_EXEC_GAIN 1
#define UMM_MDWE_NO_INHERIT       2
/*
 * prctl(2) for the options that bear on mappings, as this machine's
 * kernel answers them (measured):
 *  - PR_SET_MDWE(bits, 0, 0, 0): memory-deny-write-execute. bits is
 *    REFUSE_EXEC_GAIN, optionally with NO_INHERIT. -EINVAL for other
 *    bits, NO_INHERIT alone, or a nonzero arg3..5; -EPERM for any change
 *    once set (setting the same bits again is 0). From then on mmap of
 *    memory both writable and executable, and mprotect that makes a VMA
 *    writable and executable or executable when it was not, are -EACCES
 *    (mmap after its placement checks; mprotect VMA by VMA, the earlier
 *    ones changed). PR_GET_MDWE(0, 0, 0, 0) returns the bits.
 *  - PR_SET_THP_DISABLE(disable, flags, 0, 0): disable is a boolean;
 *    flags is 0 or PR_THP_DISABLE_EXCEPT_ADVISED, and must be 0 when
 *    enabling; -EINVAL otherwise. Disabled completely, no VMA is
 *    THPeligible in smaps and MADV_COLLAPSE is -EINVAL; "except advised"
 *    changes nothing under this machine's "madvise" THP mode.
 *    PR_GET_THP_DISABLE(0, 0, 0, 0) returns 0, 1, or 3 (except advised).
 * Any other option is -EINVAL (prctl(PR_SET_VMA) is umm_set_anon_name).
 */
long umm_prctl(struct umm_mm *mm, int option, unsigned long arg2, unsigned long arg3,
	       unsigned long arg4, unsigned long arg5);
/*
 * What a new space inherits from the one it is forked from or that
 * execve replaces: the personality, the THP switch, and MDWE unless it
 * was set with NO_INHERIT (measured: a forked child and an exec'd image
 * then have none). Limits and capabilities travel in the config.
 */
void umm_mm_inherit(struct umm_mm *child, struct umm_mm *parent);

/*
 * fork(2) and clone(2) without CLONE_VM: *child becomes a new space that
 * is the parent's copy, as dup_mmap makes it. Every VMA but the
 * MADV_DONTFORK ones, with VM_LOCKED and VM_LOCKONFAULT cleared; the
 * counters the kernel starts the child with (locked_vm 0, the charge of
 * each VM_ACCOUNT VMA taken again, which may fail); mlockall's
 * MCL_FUTURE not inherited, MDWE unless NO_INHERIT, the personality and
 * THP switch, the protection keys. Both spaces share the physical
 * memory (the parent's, made now if it had none). Private anonymous
 * pages become shared and write-protected in both: the first write in
 * either copies the page, or claims it when the other no longer maps
 * it. MADV_WIPEONFORK memory starts empty in the child; shared memory
 * stays shared (its pages are not copied). A VMA the child inherits with
 * an anon_vma gets one of its own chained to the parent's, so it never
 * merges with a neighbour that has none (vma_is_fork_child). The
 * parent's umm_mm_generation moves on (its entries lost write access).
 * Returns 0, -ENOMEM (no memory, or the overcommit policy refused a
 * charge; no child then), or -EINVAL.
 */
long umm_mm_fork(struct umm_mm *parent, struct umm_mm **child);

/* ---------------------------------------------------------------------
 * Faults: what one access would do
 * ------------------------------------------------------------------- */

/* The access of umm_fault(): the PROT_* values. */
#define UMM_ACCESS_READ  0x1
#define UMM_ACCESS_WRITE 0x2
#define UMM_ACCESS_EXEC  0x4 /* an instruction fetch */

/* Signals and si_codes of a failed access (Linux x86_64 values). */
#define UMM_SIGBUS       7
#define UMM_SIGSEGV      11
#define UMM_SEGV_MAPERR  1    /* no mapping there (or a guard region) */
#define UMM_SEGV_ACCERR  2    /* a mapping that forbids this access */
#define UMM_SEGV_PKUERR  4    /* the PKRU forbids it (cfg.pkeys) */
#define UMM_BUS_ADRERR   2    /* no page to map: past a file's end, ... */
#define UMM_SI_KERNEL    0x80 /* a general protection fault */
/* umm_fault()'s encoding of a signal; 0 is a completed access. */
#define UMM_FAULT_SIGNAL(signo, code) (((signo) << 8) | (code))
#define UMM_FAULT_SIGNO(r) ((int)((r) >> 8))
#define UMM_FAULT_CODE(r) ((int)((r) & 0xff))

/* Details of one umm_fault() call. */
struct umm_fault_info {
	int signo;           /* 0, UMM_SIGSEGV or UMM_SIGBUS */
	int si_code;         /* with signo */
	bool stack_grew;     /* a VM_GROWSDOWN VMA grew down to the address */
	/* An exec of one of the three [vsyscall] entry points: the kernel
	 * emulates the old system call, whose outcome depends on its
	 * register arguments (a bad pointer gets SIGSEGV); the result is 0. */
	bool vsyscall;
	/* With SEGV_PKUERR: the VMA's protection key (siginfo's si_pkey). */
	int pkey;
};

/*
 * What one access of one byte at addr by the process would do, as the
 * x86_64 fault path of this machine's kernel decides (do_user_addr_fault):
 *  - an address in the non-canonical hole (0x800000000000 up to
 *    0xffff800000000000): SIGSEGV with SI_KERNEL (a #GP, not a page
 *    fault). At or above task_size: SEGV_MAPERR, except an exec in the
 *    [vsyscall] page: the emulation (see vsyscall above) at its entry
 *    points 0xffffffffff600000, ...600400 and ...600800, elsewhere
 *    SIGSEGV with SI_KERNEL. Reading the page is SEGV_MAPERR.
 *  - no VMA at addr: SEGV_MAPERR, unless the next VMA above is
 *    VM_GROWSDOWN and can grow down to addr's page (expand_downwards):
 *    not below the effective mmap_min_addr (mmap_min_addr_hint),
 *    stack_guard_gap above an accessible, non-growsdown previous VMA,
 *    the new size within RLIMIT_STACK, RLIMIT_AS, RLIMIT_MEMLOCK for a
 *    locked VMA and the overcommit policy. It grows however far below the
 *    stack pointer the access is. Growing gives the VMA an anon_vma, done
 *    before the limits are checked (so a refused growth past them keeps
 *    it); a grown VMA does not merge with its neighbour.
 *  - with cfg.pkeys, a read or write the PKRU forbids for the VMA's key
 *    (umm_pkru_set): SEGV_PKUERR, info->pkey set. It is checked before the
 *    VMA's own rights (a PROT_NONE VMA under a forbidden key is PKUERR);
 *    instruction fetches are never checked.
 *  - a write to a VMA without VM_WRITE, or a read or exec of one with
 *    none of VM_READ, VM_WRITE, VM_EXEC: SEGV_ACCERR. (x86 page tables
 *    cannot forbid reads: write-only and exec-only memory is readable.)
 *  - a guard region (MADV_GUARD_INSTALL): SEGV_MAPERR.
 *  - no page to be had: SIGBUS with BUS_ADRERR for a page of a file (or
 *    of shared anonymous memory, which is as large as it was mapped) at
 *    or past the end of the file rounded up to pages; any hugetlb page
 *    (this machine's huge page pool is empty); the [vvar] pages 1 and 3
 *    and the [vvar_vclock] page 1 (time namespace, arch data, Hyper-V
 *    clock: absent here).
 *  - an exec of a VMA without VM_EXEC (no-exec pages): SEGV_ACCERR, after
 *    the page was faulted in as for a read.
 * A write to a private VMA gives it an anon_vma (anon_vma_prepare), which
 * decides its later merges, even when the fault then ends in SIGBUS past
 * a file's end; shared VMAs never do, and reads only where cfg.zero_page
 * is false (otherwise anonymous memory maps the zero page).
 *
 * Private anonymous memory (the heap, stacks, MAP_PRIVATE|MAP_ANONYMOUS,
 * private /dev/zero) gets real pages, as do_anonymous_page and
 * do_wp_page give them: a read maps the shared zero page read-only
 * (where cfg.zero_page; otherwise a new page, as a write), a write maps
 * a new zeroed page, writable and dirty, and replaces the zero page; a
 * write to a write-protected page of its own reuses it. The tables on
 * the way are made as needed (VmPTE grows). Each access whose entry did
 * not already allow it counts one minor fault (umm_mm_stats' min_flt);
 * one that the entry allowed changes nothing. Shared and file-backed
 * memory has no pages yet (the page cache is a later part): its faults
 * decide only the signal. Every VMA is treated as one without
 * MADV_HUGEPAGE under THP "madvise" (no huge pages).
 * access is exactly one of UMM_ACCESS_*. Returns 0 when the access
 * completes, UMM_FAULT_SIGNAL(signo, si_code) when it raises a signal,
 * -ENOMEM when the physical memory has no frame for the page or a page
 * table (the kernel's VM_FAULT_OOM; nothing is left half done), or
 * -EINVAL for a bad argument. info, if not NULL, gets the details.
 */
long umm_fault(struct umm_mm *mm, unsigned long addr, int access, struct umm_fault_info *info);

/* ---------------------------------------------------------------------
 * Page tables
 *
 * Four levels as on x86_64 (PGD, PUD, PMD, PTE), each table a frame of
 * the space's physical memory (umm_mm_phys) holding 512 little-endian
 * 64-bit entries in the hardware's format: an upper entry is a next
 * table's frame number with UMM_PTE_PRESENT, RW, USER, ACCESSED and
 * DIRTY; a PTE maps a frame with the bits below. A non-present entry
 * that is not 0 is a marker: UMM_PTE_MARKER_GUARD (MADV_GUARD_INSTALL),
 * or a PROT_NONE entry (UMM_PTE_PROTNONE with the frame still in it).
 * An emulator may walk them between calls; any non-present entry, or a
 * write through an entry without UMM_PTE_RW, is a fault for umm_fault.
 * ------------------------------------------------------------------- */
#define UMM_PTE_PRESENT    (1ULL << 0)
#define UMM_PTE_RW         (1ULL << 1)
#define UMM_PTE_USER       (1ULL << 2)
#define UMM_PTE_ACCESSED   (1ULL << 5)
#define UMM_PTE_DIRTY      (1ULL << 6)
#define UMM_PTE_PROTNONE   (1ULL << 8)  /* with PRESENT clear: PROT_NONE */
#define UMM_PTE_SPECIAL    (1ULL << 9)  /* a frame without a counted page: the zero page */
#define UMM_PTE_SOFT_DIRTY (1ULL << 58) /* never set: this kernel has no soft-dirty */
#define UMM_PTE_NX         (1ULL << 63)
#define UMM_PTE_PFN_MASK   0x000ffffffffff000ULL
#define UMM_PTE_MARKER_GUARD (1ULL << 10) /* alone, PRESENT clear */

/* The PTE that maps addr's page, or 0 where there is none (no table, or
 * an empty entry). */
uint64_t umm_mm_pte(struct umm_mm *mm, unsigned long addr);
/*
 * /proc/PID/pagemap for n pages from addr (page aligned) into out, one
 * entry per page as the kernel gives it to a process without
 * CAP_SYS_ADMIN (the frame number left 0): UMM_PM_PRESENT for an entry
 * that maps a page (the zero page and PROT_NONE ones too),
 * UMM_PM_MMAP_EXCLUSIVE when the page is mapped exactly once,
 * UMM_PM_SWAP and UMM_PM_GUARD_REGION for a guard marker, UMM_PM_FILE
 * for a page of a file or of shared memory; 0 for no entry or no VMA.
 * This kernel has no soft-dirty: UMM_PM_SOFT_DIRTY is never set.
 * Returns 0, or -EINVAL (NULL, unaligned, or a range that wraps).
 */
#define UMM_PM_PRESENT        (1ULL << 63)
#define UMM_PM_SWAP           (1ULL << 62)
#define UMM_PM_FILE           (1ULL << 61)
#define UMM_PM_GUARD_REGION   (1ULL << 58)
#define UMM_PM_MMAP_EXCLUSIVE (1ULL << 56)
#define UMM_PM_SOFT_DIRTY     (1ULL << 55)
int umm_pagemap(struct umm_mm *mm, unsigned long addr, unsigned long n, uint64_t *out);
/* The frame number of the space's top table (its CR3), or -1 before its
 * first page table was needed. */
long umm_mm_pgd(struct umm_mm *mm);
/* The host memory of frame pfn of phys (a page table or a page), or NULL
 * past its end. */
void *umm_phys_frame(struct umm_phys *phys, unsigned long pfn);

/* ---------------------------------------------------------------------
 * Guest access: one translation for every accessor
 *
 * An emulator reads and writes guest memory through host pointers into
 * the frames of the space's physical memory. Every accessor goes through
 * the same translation, so that no two paths can disagree (a bulk copy
 * that bypasses copy-on-write loses writes after a fork).
 * ------------------------------------------------------------------- */

/*
 * The host address of the byte at addr, for one access of the given
 * kind (UMM_ACCESS_*) as the CPU would make it: where the page table
 * allows the access, no fault is taken and the entry is marked accessed
 * (and dirty for a write), as the CPU marks it; otherwise the access
 * faults exactly as umm_fault() would (a new page, a copy on write, a
 * stack growth) and is then translated. *bytes_to_page_end says how many
 * bytes from *host lie in the same page (the same access rights).
 * Returns 0; UMM_FAULT_SIGNAL(signo, si_code) when the access raises a
 * signal; -ENOMEM when there is no frame for it; -EOPNOTSUPP when the
 * access completes but usermm holds no page there (shared and
 * file-backed memory until the page cache moves in; an exec of a
 * [vsyscall] entry, which the caller emulates); -EINVAL for a bad
 * argument. *host is NULL unless 0 is returned.
 *
 * The pointer stays valid while umm_mm_generation() returns the value
 * it had at the translation: any change to an entry that maps a page
 * (munmap, mremap, mprotect, MADV_DONTNEED, MADV_FREE, a copy on write,
 * ...) moves it on. A write through a pointer taken for reading is the
 * caller's error (the page may be the shared zero page).
 */
long umm_translate(struct umm_mm *mm, unsigned long addr, int access, void **host,
		   size_t *bytes_to_page_end);
/* A number that changes whenever a pointer from umm_translate() may have
 * gone stale; read without the space's lock (cheap enough to check
 * before every cached access). */
uint64_t umm_mm_generation(const struct umm_mm *mm);

/*
 * len bytes from guest address addr into buf (umm_read), or from buf to
 * addr (umm_write), as the CPU doing the accesses in address order
 * would: each page is translated as by umm_translate(). At the first
 * page whose access does not complete, the copy stops: the return value
 * is the number of bytes done (len when all were), and *fault (if not
 * NULL) gets that access's result (0 when all were done). -EINVAL for a
 * bad argument (a NULL buf with len, a range that wraps).
 */
long umm_read(struct umm_mm *mm, unsigned long addr, void *buf, size_t len, long *fault);
long umm_write(struct umm_mm *mm, unsigned long addr, const void *buf, size_t len, long *fault);

/*
 * A forced access, as ptrace(PTRACE_PEEKDATA/POKEDATA) and
 * /proc/PID/mem make it (access_remote_vm with FOLL_FORCE): reads any
 * VMA that may be readable (VM_MAYREAD, so PROT_NONE memory too), and
 * writes a private VMA that may be written even when it is read-only:
 * the page is then copied (or claimed, when this space alone holds it)
 * and stays read-only to the process. Shared VMAs without VM_WRITE, I/O
 * and PFN mappings, guard markers and holes stop it. It never grows a
 * stack, and its faults count for the accessor, not in min_flt. Returns
 * the bytes done (the kernel's /proc/PID/mem turns 0 into EIO), or
 * -EINVAL for a bad argument.
 */
long umm_access_process_vm(struct umm_mm *mm, unsigned long addr, void *buf, size_t len,
			   bool write);

/* ---------------------------------------------------------------------
 * Inspection
 * ------------------------------------------------------------------- */

/* vm_flags bits, the kernel's values. */
#define UMM_VM_READ       0x00000001ULL
#define UMM_VM_WRITE      0x00000002ULL
#define UMM_VM_EXEC       0x00000004ULL
#define UMM_VM_SHARED     0x00000008ULL
#define UMM_VM_MAYREAD    0x00000010ULL
#define UMM_VM_MAYWRITE   0x00000020ULL
#define UMM_VM_MAYEXEC    0x00000040ULL
#define UMM_VM_MAYSHARE   0x00000080ULL
#define UMM_VM_GROWSDOWN  0x00000100ULL
#define UMM_VM_PFNMAP     0x00000400ULL
#define UMM_VM_MAYBE_GUARD 0x00000800ULL /* MADV_GUARD_INSTALL was used: smaps "gu" */
#define UMM_VM_LOCKED     0x00002000ULL
#define UMM_VM_IO         0x00004000ULL
#define UMM_VM_SEQ_READ   0x00008000ULL
#define UMM_VM_RAND_READ  0x00010000ULL
#define UMM_VM_DONTCOPY   0x00020000ULL
#define UMM_VM_DONTEXPAND 0x00040000ULL
#define UMM_VM_LOCKONFAULT 0x00080000ULL
#define UMM_VM_ACCOUNT    0x00100000ULL
#define UMM_VM_NORESERVE  0x00200000ULL
#define UMM_VM_HUGETLB    0x00400000ULL
#define UMM_VM_SYNC       0x00800000ULL
#define UMM_VM_WIPEONFORK 0x02000000ULL
#define UMM_VM_DONTDUMP   0x04000000ULL
#define UMM_VM_SOFTDIRTY  0x08000000ULL
#define UMM_VM_MIXEDMAP   0x10000000ULL
#define UMM_VM_HUGEPAGE   0x20000000ULL
#define UMM_VM_NOHUGEPAGE 0x40000000ULL
#define UMM_VM_MERGEABLE  0x80000000ULL
#define UMM_VM_PKEY_SHIFT 32              /* VM_PKEY_BIT0..3: the key */
#define UMM_VM_PKEY_MASK  (0xfULL << UMM_VM_PKEY_SHIFT)
#define UMM_VM_DROPPABLE  (1ULL << 40)
#define UMM_VM_SEALED     (1ULL << 63)

/* What kind of special mapping a VMA is (its maps name). */
enum umm_special {
	UMM_SPECIAL_NONE = 0,
	UMM_SPECIAL_VDSO,        /* [vdso] */
	UMM_SPECIAL_VVAR,        /* [vvar] */
	UMM_SPECIAL_VVAR_VCLOCK, /* [vvar_vclock] */
	UMM_SPECIAL_VSYSCALL,    /* [vsyscall]: the gate area, outside the VMA tree */
};

/* A snapshot of one VMA. */
struct umm_vma_info {
	unsigned long start;
	unsigned long end;
	unsigned long long vm_flags;
	unsigned long pgoff;         /* in pages; for anon: start >> 12 at creation */
	struct umm_file *file;       /* borrowed: valid while the VMA lives */
	enum umm_special special;
	/* The name umm_set_anon_name gave it (copied), if has_anon_name. */
	bool has_anon_name;
	char anon_name[UMM_ANON_NAME_MAX];
	/* It has an anon_vma: it got anonymous pages (a write fault, a
	 * populate, ...), which decides its later merges. */
	bool anon_vma;
};

/* find_vma: the first VMA with end > addr. 0, or -ENOENT if none. */
int umm_find_vma(struct umm_mm *mm, unsigned long addr, struct umm_vma_info *out);

/* Ordered iteration. Safe against concurrent changes: each step looks up
 * the first VMA that ends above the previous one's end. */
struct umm_vma_iter {
	struct umm_mm *mm;
	unsigned long next_addr;
	bool done;
};
void umm_vma_iter_init(struct umm_vma_iter *it, struct umm_mm *mm, unsigned long from);
/* true and *out filled, or false at the end. */
bool umm_vma_iter_next(struct umm_vma_iter *it, struct umm_vma_info *out);

/* The counters the kernel keeps in mm_struct, in pages unless noted. */
struct umm_mm_stats {
	unsigned long map_count;     /* VMAs in the tree (the gate area excluded) */
	unsigned long total_vm;
	unsigned long data_vm;
	unsigned long exec_vm;
	unsigned long stack_vm;
	unsigned long locked_vm;
	unsigned long committed;     /* pages charged for VM_ACCOUNT VMAs */
	unsigned long start_brk;     /* bytes */
	unsigned long brk;           /* bytes */
	unsigned long mmap_base;     /* bytes */
	unsigned long start_stack;   /* bytes; 0 if no stack */
	/* The memory layer's (/proc/PID/status): pages mapped by kind
	 * (RssAnon, RssFile, RssShmem), the bytes of page tables below the
	 * PGD (VmPTE), and the minor faults taken (getrusage's ru_minflt). */
	unsigned long rss_anon, rss_file, rss_shmem;
	unsigned long pgtables_bytes;
	unsigned long min_flt;
};
void umm_mm_stats(struct umm_mm *mm, struct umm_mm_stats *out);

/*
 * Checks the structure: VMAs sorted and not overlapping, page aligned,
 * merged wherever the kernel would have merged them, the index's
 * augmented gaps right, and counters that add up. 0 if all holds,
 * otherwise -EUCLEAN and, if msg is not NULL, a description (up to len).
 * Test builds (UMM_CHECK_INVARIANTS) run it after every call and abort
 * on failure.
 */
int umm_mm_check(struct umm_mm *mm, char *msg, size_t len);

/* ---------------------------------------------------------------------
 * Building an address space from a real one
 * ------------------------------------------------------------------- */

/* Options for umm_maps_import(). Zero means "infer". */
struct umm_import_opts {
	unsigned long start_brk;   /* 0: [heap]'s start, else config */
	unsigned long brk;         /* 0: [heap]'s end, else start_brk */
	unsigned long start_stack; /* 0: inside [stack] (its end - 8) */
	/* The program's text (/proc/PID/stat's startcode and endcode),
	 * which splits the executable mappings into VmExe and VmLib in
	 * umm_status_write; 0 and 0: none, all of it is VmLib. */
	unsigned long start_code, end_code;
};

/*
 * Adds every mapping of a /proc/PID/maps text to an empty address space.
 * [stack] becomes a VM_GROWSDOWN, accounted stack VMA; [heap] sets the brk
 * area; [vdso], [vvar], [vvar_vclock] become special mappings; [vsyscall]
 * becomes the gate area. File lines get one shared in-memory handle per
 * (dev, inode), opened read-write when a line is shared and writable, else
 * read-only; `/dev/zero (deleted)` lines are shared anonymous memory.
 * smaps' ProtectionKey lines (a CPU with PKU) give each VMA its key; which
 * keys the process had allocated is not in the text, so the space's key
 * map and PKRU stay those of a new process.
 * Returns 0 or a negative errno (-EINVAL with *bad_line set to the 1-based
 * line number of a line that does not parse; -EEXIST if not empty).
 */
int umm_maps_import(struct umm_mm *mm, const char *text, const struct umm_import_opts *opts,
		    int *bad_line);

/*
 * The mmap_base a real top-down process was given, inferred from its maps
 * text. At exec the kernel maps the dynamic loader right under mmap_base
 * and [vvar]/[vdso] right under the loader, so mmap_base is the end of the
 * run of adjacent mappings that starts at [vvar] (or [vdso]); this holds
 * for any stack limit (unlimited puts it below the executable) and for
 * static binaries. Without [vvar]/[vdso]: the end of the highest mapping
 * below [stack]. 0 if the text has nothing to infer from.
 */
unsigned long umm_maps_infer_mmap_base(const char *text);

#ifdef __cplusplus
}
#endif
#endif /* USERMM_H */
