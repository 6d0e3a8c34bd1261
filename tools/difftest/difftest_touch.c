/*
 * difftest_touch.c - owns the kernel side of difftest's "touch" pseudo
 * call: one access (read, write or instruction fetch) by the kernel
 * child, whose outcome is what umm_fault() predicts: 0, or
 * (signal << 8) | si_code for the SIGSEGV or SIGBUS it raised; a read
 * also reports the byte it saw, which difftest compares with usermm's.
 *
 * The access is a few instructions of assembly, so that a fault can be
 * resumed without any library call: the handler (on an alternate stack,
 * since the access may be one that grows or overflows a stack) writes
 * the result into the saved %rax and resumes at a fixed exit label. No
 * sigsetjmp: the child must run nothing but raw system calls once it has
 * taken its snapshot, and siglongjmp is a libc call (intercepted under
 * AddressSanitizer).
 *
 * A write stores 0xc3 (ret). An exec calls the address with the trap flag
 * set, so that exactly one instruction of the target runs: the first
 * SIGTRAP comes when the call has arrived there, the second after its
 * first instruction (or a SIGSEGV/SIGBUS if that fetch faults). Every byte
 * of memory difftest maps is 0x00 (fresh anonymous memory, /dev/zero,
 * files made by ftruncate) or 0xc3, so that instruction is ret,
 * `add %al,(%rax)` (%rax points at a scratch buffer here) or
 * `add %al,%bl`. An instruction that starts on the last byte of the page
 * may fault on the next page: the fetch at the address worked, so only a
 * fault whose si_addr is in the touched page (or a #GP, SI_KERNEL, whose
 * si_addr is 0) is the touch's outcome.
 */
#define _GNU_SOURCE
#include "difftest/difftest.h"

#include <signal.h>
#include <string.h>
#include <ucontext.h>

#define TRAP_FLAG 0x100L
#define SI_KERNEL_CODE 0x80

long dt_touch_read(unsigned long addr);
long dt_touch_write(unsigned long addr);
long dt_touch_exec(unsigned long addr, void *scratch);
extern const char dt_touch_read_at[], dt_touch_write_at[], dt_touch_ret[], dt_touch_exec_out[];

/* The faulting instructions are labelled so the handler can tell a
 * touch's fault from a bug of the child (which then dies as it would). */
__asm__(".text\n"
	".globl dt_touch_read, dt_touch_write, dt_touch_exec\n"
	".globl dt_touch_read_at, dt_touch_write_at, dt_touch_ret, dt_touch_exec_out\n"
	"dt_touch_read:\n"
	"dt_touch_read_at:\n"
	"	movzbl (%rdi), %eax\n"
	"dt_touch_ret:\n"
	"	ret\n"
	"dt_touch_write:\n"
	"dt_touch_write_at:\n"
	"	movb $0xc3, (%rdi)\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	"dt_touch_exec:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	movq %rsp, %rbp\n"
	"	movq %rsi, %rax\n"
	"	pushfq\n"
	"	orq $0x100, (%rsp)\n"
	"	popfq\n"
	"	call *%rdi\n"
	"dt_touch_exec_out:\n"
	"	movq %rbp, %rsp\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n");

/* The touch under way, for the handler (a process has one thread here). */
static volatile unsigned long touch_page;
static volatile int touch_traps;
static volatile bool touch_exec_on;
static char scratch[64];
static char altstack[65536];

static void set_result(greg_t *r, long result, const char *resume)
{
	r[REG_RAX] = result;
	r[REG_RIP] = (greg_t)resume;
	r[REG_EFL] &= ~TRAP_FLAG;
}

static bool in_touched_page(const siginfo_t *si)
{
	return ((unsigned long)si->si_addr & ~(DT_PAGE - 1)) == touch_page;
}

__attribute__((no_sanitize("address", "undefined"))) static void on_signal(int sig, siginfo_t *si,
									   void *ucv)
{
	greg_t *r = ((ucontext_t *)ucv)->uc_mcontext.gregs;
	const char *rip = (const char *)r[REG_RIP];
	long code = ((long)sig << 8) | si->si_code;

	if (touch_exec_on) {
		if (sig == SIGTRAP && ++touch_traps == 1)
			return; /* arrived at the target: now its first instruction */
		if (sig == SIGTRAP || (si->si_code != SI_KERNEL_CODE && !in_touched_page(si)))
			code = 0;
		set_result(r, code, dt_touch_exec_out);
		return;
	}
	if (sig != SIGTRAP && (rip == dt_touch_read_at || rip == dt_touch_write_at)) {
		set_result(r, code, dt_touch_ret);
		return;
	}
	/* Not a touch: die of it as without the handler. */
	signal(sig, SIG_DFL);
}

int dt_touch_setup(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;

	/* Fault in the handler's stack and the scratch now: a first write to
	 * a VMA later would give it an anon_vma the snapshot did not show. */
	for (size_t i = 0; i < sizeof(altstack); i += 256)
		((volatile char *)altstack)[i] = 0;
	((volatile char *)scratch)[0] = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	if (sigaltstack(&ss, NULL) || sigaction(SIGSEGV, &sa, NULL) ||
	    sigaction(SIGBUS, &sa, NULL) || sigaction(SIGTRAP, &sa, NULL))
		return -1;
	return 0;
}

__attribute__((no_sanitize("address", "undefined"))) long dt_touch(unsigned long addr,
								   unsigned long access, long *byte)
{
	long r;

	*byte = -1;
	if (access == UMM_ACCESS_READ) {
		/* The byte read, or the fault's code (0x100 and up). */
		r = dt_touch_read(addr);
		if (r > 0xff)
			return r;
		*byte = r;
		return 0;
	}
	if (access == UMM_ACCESS_WRITE) {
		r = dt_touch_write(addr);
		*byte = r ? -1 : 0xc3;
		return r;
	}
	if (access != UMM_ACCESS_EXEC)
		return -22; /* EINVAL, as umm_fault */
	touch_page = addr & ~(DT_PAGE - 1);
	touch_traps = 0;
	touch_exec_on = true;
	r = dt_touch_exec(addr, scratch);
	touch_exec_on = false;
	return r;
}
