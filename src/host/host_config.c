/*
 * host_config.c - owns umm_config_from_host: a umm_config describing the
 * address space this host's kernel would give a program the calling
 * process executes now (its sysctls, /proc/meminfo, rlimits, effective
 * capabilities and personality, whether its kernel can name anonymous
 * memory or maps the zero page for reads, its huge page sizes and
 * whether its CPU has protection keys). Nothing here is global or cached: every
 * call reads the host afresh, so it is safe from any thread.
 */
#define _GNU_SOURCE
#include "core/alloc.h"
#include "core/types.h"
#include "host/procfs.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * CONFIG_LSM_MMAP_MIN_ADDR: with CONFIG_SECURITY (Debian's kernels and
 * this machine's), the kernel's effective mmap_min_addr is the larger of
 * this and vm.mmap_min_addr. It is a build option, not readable at run
 * time; 65536 is its default and this machine's value.
 */
#define LSM_MMAP_MIN_ADDR 65536UL

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

/* The vm.* sysctls that shape mmap. */
static int read_vm_sysctls(struct umm_config *c)
{
	unsigned long om, ratio, dac;
	int rc = 0;

	rc = rc ? rc : read_sysctl("vm/max_map_count", &c->max_map_count);
	rc = rc ? rc : read_sysctl("vm/overcommit_memory", &om);
	rc = rc ? rc : read_sysctl("vm/overcommit_ratio", &ratio);
	rc = rc ? rc : read_sysctl("vm/overcommit_kbytes", &c->overcommit_kbytes);
	rc = rc ? rc : read_sysctl("vm/admin_reserve_kbytes", &c->admin_reserve_kbytes);
	rc = rc ? rc : read_sysctl("vm/user_reserve_kbytes", &c->user_reserve_kbytes);
	rc = rc ? rc : read_sysctl("vm/mmap_min_addr", &dac);
	if (rc)
		return rc;
	if (om > 2 || ratio > UINT_MAX)
		return -EINVAL;
	c->overcommit_memory = (int)om;
	c->overcommit_ratio = (unsigned int)ratio;
	/* The sysctl shows dac_mmap_min_addr: below it, MAP_FIXED needs
	 * CAP_SYS_RAWIO. Hints are raised to, and searches stop at, the
	 * effective mmap_min_addr, which the LSM minimum may lift. */
	c->mmap_min_addr = dac;
	c->mmap_min_addr_hint = dac > LSM_MMAP_MIN_ADDR ? dac : LSM_MMAP_MIN_ADDR;
	return 0;
}

/* vm.mmap_rnd_bits is readable by root only (mode 0600): optional. */
static void read_rnd_bits(struct umm_config *c)
{
	unsigned long bits;

	if (read_sysctl("vm/mmap_rnd_bits", &bits) == 0 && bits <= 32)
		c->mmap_rnd_bits = (unsigned int)bits;
}

/* The layout an exec would pick (x86's mmap_is_legacy, which unlike the
 * generic one ignores an infinite RLIMIT_STACK) and whether it would set
 * PF_RANDOMIZE. */
static int read_layout(struct umm_config *c)
{
	unsigned long legacy, randomize;
	int pers = personality(0xffffffff);
	int rc;

	if (pers == -1)
		return -errno;
	rc = read_sysctl("vm/legacy_va_layout", &legacy);
	rc = rc ? rc : read_sysctl("kernel/randomize_va_space", &randomize);
	if (rc)
		return rc;
	c->layout = (legacy || (pers & ADDR_COMPAT_LAYOUT)) ? UMM_LAYOUT_LEGACY : UMM_LAYOUT_TOPDOWN;
	c->randomize = randomize != 0 && !(pers & ADDR_NO_RANDOMIZE);
	return 0;
}

/* The value of one "Key:   N kB" line of a /proc/meminfo text. */
static int meminfo_field(const char *text, const char *key, unsigned long *kb)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char *end;

		if (strncmp(p, key, klen) != 0 || p[klen] != ':')
			continue;
		errno = 0;
		*kb = strtoul(p + klen + 1, &end, 10);
		return (errno || end == p + klen + 1) ? -EINVAL : 0;
	}
	return -ENOENT;
}

/* RAM and swap sizes, and what the whole system has committed. */
static int read_meminfo(struct umm_config *c)
{
	size_t len = 16384;
	char *text = kmalloc(NULL, len);
	unsigned long mem, swap, committed;
	int rc;

	if (!text)
		return -ENOMEM;
	rc = read_small_file("/proc/meminfo", text, len);
	rc = rc ? rc : meminfo_field(text, "MemTotal", &mem);
	rc = rc ? rc : meminfo_field(text, "SwapTotal", &swap);
	rc = rc ? rc : meminfo_field(text, "Committed_AS", &committed);
	kfree(NULL, text, len);
	if (rc)
		return rc;
	/* The kernel prints pages << (PAGE_SHIFT - 10): exact in pages. */
	c->totalram_pages = mem >> (PAGE_SHIFT - 10);
	c->total_swap_pages = swap >> (PAGE_SHIFT - 10);
	c->committed_other_pages = committed >> (PAGE_SHIFT - 10);
	return 0;
}

static int read_rlimit(int resource, struct umm_rlimit *out)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl))
		return -errno;
	out->cur = rl.rlim_cur == RLIM_INFINITY ? UMM_RLIM_INFINITY : (unsigned long)rl.rlim_cur;
	out->max = rl.rlim_max == RLIM_INFINITY ? UMM_RLIM_INFINITY : (unsigned long)rl.rlim_max;
	return 0;
}

static int read_rlimits(struct umm_config *c)
{
	int rc = read_rlimit(RLIMIT_AS, &c->rlimit_as);

	rc = rc ? rc : read_rlimit(RLIMIT_DATA, &c->rlimit_data);
	rc = rc ? rc : read_rlimit(RLIMIT_MEMLOCK, &c->rlimit_memlock);
	return rc ? rc : read_rlimit(RLIMIT_STACK, &c->rlimit_stack);
}

/* The effective set, as capable() tests it. All three bits are < 32. */
static int read_caps(struct umm_config *c)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return -errno;
	c->cap_sys_rawio = (d[0].effective >> CAP_SYS_RAWIO) & 1;
	c->cap_ipc_lock = (d[0].effective >> CAP_IPC_LOCK) & 1;
	c->cap_sys_admin = (d[0].effective >> CAP_SYS_ADMIN) & 1;
	c->cap_sys_resource = (d[0].effective >> CAP_SYS_RESOURCE) & 1;
	return 0;
}

/*
 * CONFIG_ANON_VMA_NAME is not readable at run time (no /proc/config.gz on
 * most machines), so ask: name a scratch page. Without the option the
 * kernel's stub refuses even this valid request with EINVAL.
 */
static int read_anon_vma_name(struct umm_config *c)
{
	void *p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long rc;

	if (p == MAP_FAILED)
		return -errno;
	rc = syscall(SYS_prctl, PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)p, PAGE_SIZE,
		     (unsigned long)"usermm-probe");
	c->anon_vma_name = rc == 0;
	munmap(p, PAGE_SIZE);
	return 0;
}

/* The "Anonymous:" kB of the smaps entry that starts at addr, or -1. */
static long smaps_anonymous_kb(unsigned long addr)
{
	char head[32], *buf = kmalloc(NULL, 1 << 20), *p;
	long kb = -1;

	if (!buf)
		return -1;
	snprintf(head, sizeof(head), "\n%lx-", addr);
	if (read_small_file("/proc/self/smaps", buf + 1, (1 << 20) - 1) == 0) {
		buf[0] = '\n';
		p = strstr(buf, head);
		p = p ? strstr(p, "\nAnonymous:") : NULL;
		if (p)
			kb = strtol(p + 11, NULL, 10);
	}
	kfree(NULL, buf, 1 << 20);
	return kb;
}

/*
 * Whether a read fault maps the zero page is a build and patch matter
 * (mm_forbids_zeropage), so ask: read a scratch page and see whether it
 * became anonymous memory of its own.
 */
static int read_zero_page(struct umm_config *c)
{
	volatile unsigned char *p = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
					 -1, 0);
	long kb;

	if (p == MAP_FAILED)
		return -errno;
	(void)p[0];
	kb = smaps_anonymous_kb((unsigned long)p);
	munmap((void *)p, PAGE_SIZE);
	if (kb < 0)
		return -EIO;
	c->zero_page = kb == 0;
	return 0;
}

/* The hstates: one hugepages-<kB>kB directory each. */
static void read_hugetlb_shifts(struct umm_config *c)
{
	static const unsigned int shifts[] = { 21, 30 };
	char path[64];

	c->hugetlb_shifts = 0;
	for (size_t i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB",
			 (1UL << shifts[i]) >> 10);
		if (access(path, F_OK) == 0)
			c->hugetlb_shifts |= 1UL << shifts[i];
	}
}

/* PKU: the CPU has it and the kernel turned it on (OSPKE). */
static void read_pkeys(struct umm_config *c)
{
	char *buf = kmalloc(NULL, 1 << 16), *flags;

	c->pkeys = false;
	if (!buf)
		return;
	if (read_small_file("/proc/cpuinfo", buf, 1 << 16) == 0) {
		flags = strstr(buf, "\nflags");
		if (flags) {
			char *eol = strchr(flags + 1, '\n');

			if (eol)
				*eol = '\0';
			c->pkeys = strstr(flags, " ospke") != NULL;
		}
	}
	kfree(NULL, buf, 1 << 16);
}

int umm_config_from_host(struct umm_config *cfg)
{
	struct umm_config c;
	int rc;

	if (!cfg)
		return -EINVAL;
	umm_config_init(&c);
	rc = read_vm_sysctls(&c);
	rc = rc ? rc : read_layout(&c);
	rc = rc ? rc : read_meminfo(&c);
	rc = rc ? rc : read_rlimits(&c);
	rc = rc ? rc : read_caps(&c);
	rc = rc ? rc : read_anon_vma_name(&c);
	rc = rc ? rc : read_zero_page(&c);
	if (rc) {
		umm_config_init(cfg);
		return rc;
	}
	read_rnd_bits(&c);
	read_hugetlb_shifts(&c);
	read_pkeys(&c);
	memcpy(cfg, &c, sizeof(c));
	return 0;
}
