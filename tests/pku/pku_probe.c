/*
 * pku_probe.c - runs pku_ops.h's calls as raw system calls on a kernel
 * with protection keys and prints what pku_ops.h describes, between the
 * lines "=== pku begin" and "=== pku end". Built statically and run as
 * init under qemu by scripts/pku_record.sh (it mounts /proc itself and
 * powers the machine off at the end); it can also run as a plain
 * program on a machine with PKU.
 */
#define _GNU_SOURCE
#include "pku_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static sigjmp_buf touch_env;
static volatile long touch_result, touch_pkey;
static char smaps[1 << 20];
static unsigned char vec[64];

static unsigned int rdpkru(void)
{
	unsigned int eax, edx;

	__asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static void wrpkru(unsigned int v)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xef" : : "a"(v), "c"(0), "d"(0) : "memory");
}

static long raw(long r)
{
	return r < 0 ? -errno : r;
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	touch_result = ((long)sig << 8) | si->si_code;
	/* si_pkey sits right after si_addr and the address LSB (x86_64). */
	touch_pkey = si->si_code == 4 ? (long)*(unsigned int *)((char *)&si->si_addr + 16) : -1;
	siglongjmp(touch_env, 1);
}

/* One access; the PKRU is put back after a caught signal, because the
 * kernel runs the handler with a PKRU of its own. */
static long touch(unsigned long addr, unsigned long access)
{
	unsigned int pkru = rdpkru();

	touch_result = 0;
	touch_pkey = -1;
	if (sigsetjmp(touch_env, 1)) {
		wrpkru(pkru);
		return touch_result;
	}
	if (access == P_W)
		*(volatile unsigned char *)addr = 0xc3;
	else if (access == P_R)
		(void)*(volatile unsigned char *)addr;
	else
		((void (*)(void))addr)();
	return 0;
}

static long run(const struct pku_op *op)
{
	switch (op->kind) {
	case PK_MMAP:
		return raw((long)mmap((void *)op->a, op->b, (int)op->c,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	case PK_MPROTECT: return raw(syscall(SYS_mprotect, op->a, op->b, op->c));
	case PK_PKEY_MPROTECT: return raw(syscall(SYS_pkey_mprotect, op->a, op->b, op->c, op->d));
	case PK_ALLOC: return raw(syscall(SYS_pkey_alloc, op->a, op->b));
	case PK_FREE: return raw(syscall(SYS_pkey_free, op->a));
	case PK_WRPKRU: wrpkru((unsigned int)op->a); return 0;
	case PK_TOUCH: return touch(op->a, op->b);
	case PK_MADVISE: return raw(syscall(SYS_madvise, op->a, op->b, op->c));
	case PK_MLOCK: return raw(syscall(SYS_mlock, op->a, op->b));
	case PK_MINCORE: return raw(syscall(SYS_mincore, op->a, op->b, op->c));
	case PK_MREMAP:
		return raw(syscall(SYS_mremap, op->a, op->b, op->c, MREMAP_MAYMOVE | MREMAP_FIXED,
				   op->d));
	}
	return -EINVAL;
}

/* The window's VMAs, from smaps (the only place the key shows). */
static void print_vmas(void)
{
	int fd = open("/proc/self/smaps", O_RDONLY);
	unsigned long start = 0, end = 0, s, e;
	char perms[5] = "", p[5], *line, *save;
	ssize_t n, used = 0;

	while (fd >= 0 && (n = read(fd, smaps + used, sizeof(smaps) - 1 - (size_t)used)) > 0)
		used += n;
	if (fd >= 0)
		close(fd);
	smaps[used] = '\0';
	for (line = strtok_r(smaps, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* Field names such as "Anonymous" start like hex numbers. */
		if (sscanf(line, "%lx-%lx %4s", &s, &e, p) == 3) {
			start = s;
			end = e;
			memcpy(perms, p, sizeof(p));
			continue;
		}
		if (!strncmp(line, "ProtectionKey:", 14) && start >= PKU_BASE && start < PKU_END)
			printf("vma %lx-%lx %s key %ld\n", start, end, perms, strtol(line + 14, NULL, 10));
	}
}

static void setup(void)
{
	struct sigaction sa;
	static char altstack[1 << 16];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	int fd;

	if (getpid() == 1) {
		mount("proc", "/proc", "proc", 0, NULL);
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
		fd = open("/dev/console", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigaltstack(&ss, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

int main(void)
{
	struct utsname u;

	setup();
	uname(&u);
	(void)vec;
	printf("=== pku begin\n");
	printf("# kernel %s\n", u.release);
	printf("pkru 0x%x\n", rdpkru());
	for (unsigned long i = 0; i < PKU_NOPS; i++) {
		long r = run(&pku_ops[i]);

		printf("op %lu %s = %ld", i, pku_kind_names[pku_ops[i].kind], r);
		if (pku_ops[i].kind == PK_TOUCH && touch_pkey >= 0)
			printf(" pkey %ld", touch_pkey);
		printf("\npkru 0x%x\n", rdpkru());
		print_vmas();
	}
	printf("=== pku end\n");
	if (getpid() == 1)
		reboot(RB_POWER_OFF);
	return 0;
}
