/*
 * state_calls.c - a program for the tool tests (record, replay, shadow):
 * it makes the calls that change what later mapping calls decide without
 * being mapping calls, each followed by a mapping call that shows it:
 * an O_PATH fd, a hugetlbfs memfd, remap_file_pages, RLIMIT_MEMLOCK
 * lowered, capabilities dropped (capset, and setuid in a child as root),
 * READ_IMPLIES_EXEC, the THP switch, and MDWE across fork and exec;
 * and, with the argument "stores", plain stores no tracer sees before
 * MADV_COLLAPSE (anonymous memory, and a memfd written through another
 * mapping of it), which shadow learns from the pagemap and a trace
 * cannot show.
 * Its own results do not matter: the tools compare them with usermm's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define K 1024UL

static void fds(void)
{
	int p = open("/etc/passwd", O_PATH | O_CLOEXEC);
	int h = memfd_create("umm_huge", MFD_HUGETLB | MFD_CLOEXEC);
	int m = memfd_create("umm_plain", MFD_CLOEXEC);
	char *a;

	mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p, 0);
	mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, p, 0);
	mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, h, 0);
	a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, h, 0);
	if (a != MAP_FAILED)
		munmap(a, 2 << 20);
	if (ftruncate(m, 64 * K))
		return;
	a = mmap(NULL, 16 * K, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
	syscall(SYS_remap_file_pages, a, 4096, 0, 3, 0);
	syscall(SYS_remap_file_pages, a + 4096, 8192, 0, 9, MAP_NONBLOCK);
	syscall(SYS_remap_file_pages, a, 4096, PROT_READ, 1, 0);
	syscall(SYS_remap_file_pages, a + 12 * K, 8192, 0, 1, 0);
	munmap(a, 16 * K);
}

static void set_ipc_lock(int on)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return;
	if (on)
		d[0].effective |= d[0].permitted & (1U << CAP_IPC_LOCK);
	else
		d[0].effective &= ~(1U << CAP_IPC_LOCK);
	syscall(SYS_capset, &h, d);
}

static void limits(void)
{
	struct rlimit r = { 64 * K, 64 * K }, inf = { RLIM_INFINITY, RLIM_INFINITY };
	char *b = mmap(NULL, 256 * K, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	setrlimit(RLIMIT_MEMLOCK, &r);
	mlock(b, 128 * K);
	munlock(b, 128 * K);
	set_ipc_lock(0);
	mlock(b, 128 * K);
	mlock(b, 32 * K);
	munlock(b, 32 * K);
	prlimit(0, RLIMIT_AS, &inf, NULL);
	set_ipc_lock(1);
	mlock(b, 128 * K);
	munlock(b, 256 * K);
	if (fork() == 0) { /* a user without privileges: setuid drops them */
		if (setuid(65534) == 0) {
			mlock(b, 128 * K);
			mlock(b, 16 * K);
		}
		_exit(0);
	}
	wait(NULL);
	munmap(b, 256 * K);
}

/* 2 MiB-aligned address space of len bytes, reserved PROT_NONE. */
static char *aligned(size_t len)
{
	char *r = mmap(NULL, len + (2 << 20), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return (char *)(((unsigned long)r + (2 << 20) - 1) & ~((2UL << 20) - 1));
}

static void plain_stores(void)
{
	char *a = aligned(2 << 20), *b = aligned(2 << 20), *alias;
	int m = memfd_create("umm_collapse", MFD_CLOEXEC);

	a = mmap(a, 2 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0);
	madvise(a, 2 << 20, MADV_HUGEPAGE);
	memset(a, 1, 4096);
	madvise(a, 2 << 20, 25 /* MADV_COLLAPSE */);
	if (ftruncate(m, 2 << 20))
		return;
	b = mmap(b, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, m, 0);
	madvise(b, 2 << 20, 25);
	alias = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
	alias[8192] = 1;
	madvise(b, 2 << 20, 25);
}

static void persona_and_thp(void)
{
	char *c, *d;

	personality(PER_LINUX | READ_IMPLIES_EXEC);
	c = mmap(NULL, 8 * K, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(c, 4 * K, PROT_READ);
	personality(PER_LINUX);
	munmap(c, 8 * K);
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
	d = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	madvise(d, 4 << 20, MADV_HUGEPAGE);
	madvise(d, 4 << 20, MADV_POPULATE_WRITE);
	madvise(d, 4 << 20, 25 /* MADV_COLLAPSE */);
	prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
	munmap(d, 4 << 20);
}

/* Under MDWE: write+exec and exec gain are refused, here, in a forked
 * child and after exec. */
static void mdwe_checks(void)
{
	char *e = mmap(NULL, 8 * K, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(e, 4 * K, PROT_READ | PROT_EXEC);
	munmap(e, 8 * K);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child")) {
		mdwe_checks();
		return 0;
	}
	fds();
	if (argc > 1 && !strcmp(argv[1], "stores"))
		plain_stores();
	limits();
	persona_and_thp();
	prctl(65 /* PR_SET_MDWE */, 1 /* PR_MDWE_REFUSE_EXEC_GAIN */, 0, 0, 0);
	prctl(66 /* PR_GET_MDWE */, 0, 0, 0, 0);
	mdwe_checks();
	if (fork() == 0) {
		mdwe_checks();
		execl("/proc/self/exe", argv[0], "child", (char *)NULL);
		_exit(1);
	}
	wait(NULL);
	return 0;
}
