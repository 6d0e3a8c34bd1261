/*
 * scenario.h - the scenario text format, shared by the kernel runner and
 * the oracle. This file owns parsing and expression evaluation only; it
 * never allocates (the runner must not touch its address space).
 *
 * Format: one statement per line, '#' starts a comment, tokens are
 * separated by blanks. Every number-like field is an expression: terms
 * joined by '+', '-' or '|' (no blanks inside), evaluated left to right
 * with unsigned wrap-around. A term is a decimal or 0x-hex number with an
 * optional K/M/G/T suffix (x1024^n), a symbolic constant (PROT_*, MAP_*,
 * O_*, E* errno names, TASK_SIZE), or a variable. A leading '-' negates.
 * Shorthands: PROT_RW, PROT_RX, PROT_RWX; MAP_PA = MAP_PRIVATE|MAP_ANONYMOUS,
 * MAP_SA = MAP_SHARED|MAP_ANONYMOUS, MAP_PAF / MAP_SAF the same |MAP_FIXED.
 *
 *   file ID PATH OPENFLAGS     open PATH up front (OPENFLAGS e.g. O_RDWR)
 *   rlimit NAME CUR MAX        set as|data|memlock|stack|nofile; "inf"
 *   privileged                 keep CAP_SYS_RAWIO/IPC_LOCK/SYS_ADMIN
 *   legacy                     bottom-up layout (ADDR_COMPAT_LAYOUT)
 *   smaps                      every snapshot is /proc/self/smaps (not
 *                              only the first); the oracle then compares
 *                              usermm's smaps too
 *   memstat                    after each op, the oracle compares how
 *                              VmPTE and RssAnon (/proc/self/status)
 *                              moved since the first snapshot, and the
 *                              op's minor faults (ru_minflt); keep the
 *                              scenario's mappings away from the
 *                              runner's own (e.g. at 0x300000000000)
 *   fill ADDR COUNT            before the first snapshot, add VMAs at ADDR
 *                              until the process has COUNT VMAs
 *   [VAR=]mmap ADDR LEN PROT FLAGS FILEID|-1 OFF   [=> EXPECT]
 *   [VAR=]munmap ADDR LEN                            [=> EXPECT]
 *   [VAR=]mprotect ADDR LEN PROT                     [=> EXPECT]
 *   [VAR=]brk ADDR                                   [=> EXPECT]
 *   [VAR=]mremap ADDR OLDLEN NEWLEN FLAGS NEWADDR    [=> EXPECT]
 *   [VAR=]madvise ADDR LEN ADVICE                    [=> EXPECT]
 *   [VAR=]anon_name ADDR LEN NAME                    [=> EXPECT]
 *                              prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME);
 *                              NAME is one token taken verbatim, or "-"
 *                              for NULL (clear the name)
 *   [VAR=]touch ADDR ACCESS    one access of ACCESS (PROT_READ, PROT_WRITE
 *                              or PROT_EXEC); a write stores 0xc3 (ret),
 *                              an exec calls the address. The result is 0,
 *                              or (signal << 8) | si_code: SIGSEGV_MAPERR,
 *                              SIGSEGV_ACCERR, SIGBUS_ADRERR, ...
 *
 *   [VAR=]peek ADDR            a read of the byte at ADDR: its value
 *                              (0-255), or (signal << 8) | si_code
 *   [VAR=]poke ADDR VALUE      a write of the byte VALUE at ADDR: 0, or
 *                              (signal << 8) | si_code
 *   [VAR=]mincore_to ADDR LEN VEC                    [=> EXPECT]
 *                              mincore with its vector at VEC, in the
 *                              scenario's own memory (mincore alone uses
 *                              the runner's buffer)
 *
 *   [VAR=]prctl OPTION ARG2 ARG3 ARG4 ARG5            [=> EXPECT]
 *                              prctl() with numbers (PR_SET_MDWE, ...)
 *   [VAR=]remap_file_pages ADDR LEN PROT PGOFF FLAGS [=> EXPECT]
 *   [VAR=]personality PERSONA                        [=> EXPECT]
 *   [VAR=]setrlimit RESOURCE CUR MAX                 [=> EXPECT]
 *                              RLIMIT_AS, ...; RLIM_INFINITY
 *   [VAR=]capset MASK          the effective set's CAP_SYS_RAWIO,
 *                              CAP_IPC_LOCK, CAP_SYS_ADMIN become those
 *                              of MASK (the constants are masks here)
 *
 * VAR names the op's result for later expressions; the variable brk0
 * holds the break before the first op. EXPECT is "ok" (not an errno),
 * "err" (an errno), "align:N" / "!align:N" (an address that is / is not
 * a multiple of N) or an expression such as -EEXIST or brk0+0x1000: what
 * the kernel was observed to return; the oracle checks the kernel still
 * does, so a scenario cannot silently stop testing what it claims to.
 */
#ifndef UMM_TEST_SCENARIO_H
#define UMM_TEST_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCN_MAX_FILES 16
#define SCN_MAX_OPS 4096
#define SCN_MAX_VARS 64
#define SCN_MAX_TERMS 8
#define SCN_MAX_PATH 256
#define SCN_MAX_NAME 16
#define SCN_MAX_RLIMITS 8

/* An expression: value = t[0] op[1] t[1] op[2] t[2] ... */
struct scn_expr {
	int nterms;
	char op[SCN_MAX_TERMS];           /* '+', '-', '|'; op[0] is '+' or '-' */
	int var[SCN_MAX_TERMS];           /* variable index, or -1 for a constant */
	unsigned long k[SCN_MAX_TERMS];   /* the constant */
};

enum scn_kind {
	SCN_MMAP, SCN_MUNMAP, SCN_MPROTECT, SCN_BRK, SCN_MSEAL,
	SCN_MLOCK, SCN_MLOCK2, SCN_MUNLOCK, SCN_MLOCKALL, SCN_MUNLOCKALL,
	SCN_MSYNC, SCN_MINCORE, SCN_PKEY_MPROTECT, SCN_MREMAP, SCN_MADVISE,
	SCN_ANON_NAME, SCN_TOUCH, SCN_PRCTL, SCN_PERSONALITY, SCN_SETRLIMIT, SCN_CAPSET,
	SCN_REMAP_FILE_PAGES, SCN_PEEK, SCN_POKE, SCN_MINCORE_TO
};

#define SCN_MAX_ANON_NAME 128
/* The smaps_rollup sums a memstat scenario compares (their changes):
 * Rss, Pss_Anon, Pss_Shmem, Anonymous, Locked. */
#define SCN_ROLLUP_LINES 5

enum scn_expect {
	SCN_EXPECT_NONE,
	SCN_EXPECT_OK,        /* "ok": not an errno */
	SCN_EXPECT_ERR,       /* "err": an errno */
	SCN_EXPECT_VALUE,     /* an expression */
	SCN_EXPECT_ALIGNED,   /* "align:N": not an errno, a multiple of N */
	SCN_EXPECT_UNALIGNED, /* "!align:N": not an errno, not a multiple of N */
};

struct scn_op {
	enum scn_kind kind;
	struct scn_expr addr, len, prot, flags, off;
	struct scn_expr new_len, new_addr;  /* mremap */
	bool name_null;                      /* anon_name "-" */
	char name[SCN_MAX_ANON_NAME];        /* anon_name NAME */
	int file;                 /* index into files, or -1 */
	int defines;              /* variable set to the result, or -1 */
	int line;                 /* 1-based line in the text */
	enum scn_expect expect;
	struct scn_expr expect_val;
};

struct scn_file {
	char id[SCN_MAX_NAME];
	char path[SCN_MAX_PATH];
	int open_flags;
};

struct scn_rlimit {
	int resource;             /* RLIMIT_* */
	unsigned long cur, max;
};

struct scenario {
	struct scn_file files[SCN_MAX_FILES];
	int nfiles;
	struct scn_rlimit rlimits[SCN_MAX_RLIMITS];
	int nrlimits;
	bool privileged;
	bool legacy;
	bool smaps;
	bool memstat;
	bool fill;
	struct scn_expr fill_addr, fill_count;
	char vars[SCN_MAX_VARS][SCN_MAX_NAME]; /* vars[0] is "brk0" */
	int nvars;
	struct scn_op ops[SCN_MAX_OPS];
	int nops;
	int err_line;             /* set when parsing fails */
	char err[128];
};

#define SCN_VAR_BRK0 0

/* Parses len bytes of text into s. 0, or -1 with s->err/err_line set. */
int scn_parse(struct scenario *s, const char *text, size_t len);

/* Evaluates e; vals[i] is the value of variable i. */
unsigned long scn_eval(const struct scn_expr *e, const unsigned long *vals);

/* The name of an op kind ("mmap", ...). */
const char *scn_kind_name(enum scn_kind kind);

/* Whether a syscall result of this kind is an errno (-4095..-1). */
bool scn_is_errno(enum scn_kind kind, long result);

/* The pagemap bits a memstat scenario compares (present 1, swap 2,
 * file 4, guard 8, exclusive 16) as one base-32 digit: what the runner
 * records and the oracle computes from umm_pagemap alike. */
char scn_pagemap_code(uint64_t entry);

/* Symbolic errno name for a positive errno value, or NULL. */
const char *scn_errno_name(long err);

#endif /* UMM_TEST_SCENARIO_H */
