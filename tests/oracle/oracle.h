/*
 * oracle.h - the kernel as a test oracle. This module owns running a
 * scenario (scenario.h) through the kernel runner, rebuilding the runner's
 * initial address space in a umm_mm, replaying the ops through usermm and
 * comparing every result and every /proc/PID/maps text.
 *
 * Typical use in a cmocka test:
 *     assert_int_equal(oracle_check("a=mmap 0 4K PROT_READ ...\n"), 0);
 * Text may contain ${NAME} placeholders defined with oracle_define().
 */
#ifndef UMM_TEST_ORACLE_H
#define UMM_TEST_ORACLE_H

#include "scenario.h"
#include "usermm.h"

/* What the runner recorded. */
struct oracle_run {
	struct scenario *scn;
	bool legacy;       /* bottom-up layout (ADDR_COMPAT_LAYOUT) */
	bool cap_sys_rawio, cap_ipc_lock, cap_sys_admin, cap_sys_resource;
	struct umm_rlimit rl_as, rl_data, rl_memlock, rl_stack;
	unsigned long brk0, start_brk, start_stack, end_data;
	unsigned long start_code, end_code; /* /proc/self/stat's startcode, endcode */
	long *results;     /* scn->nops results: address/0 or -errno */
	char **maps;       /* scn->nops + 1 NUL-terminated texts; [0] is the initial one */
	/* With "memstat", per snapshot: VmPTE and RssAnon in kB, and the
	 * minor faults of the op before it. */
	long *vm_pte, *rss_anon, *rss_shmem, *min_flt;
	/* and VmSize, VmLck, VmData, VmStk, VmExe, VmLib in kB */
	long (*vm)[6];
	/* and smaps_rollup's Rss, Pss_Anon, Pss_Shmem, Anonymous, Locked in
	 * kB (SCN_ROLLUP_LINES) */
	long (*rollup)[5];
	char (*mincore)[65]; /* after a mincore op: its vector's first 64 bits, "0101..." */
	char (*pagemap)[65]; /* the window's first 64 pages' pagemap bits, one digit each */
	char *raw;         /* the runner's output, which maps[] points into */
};

/* Defines ${name} for later scenario texts (copied). 0 or -1. */
int oracle_define(const char *name, const char *value);
/* Forgets every definition. */
void oracle_undefine_all(void);

/* Runs text on the kernel. 0, or -1 after printing why. */
int oracle_kernel_run(const char *text, struct oracle_run *run);
void oracle_run_free(struct oracle_run *run);

/* The umm_config matching what the runner had (caps, rlimits, sysctls,
 * RAM, mmap_base inferred from the initial maps). */
void oracle_config(const struct oracle_run *run, struct umm_config *cfg);

/* A umm_mm holding the runner's initial address space; NULL on failure
 * (printed). */
struct umm_mm *oracle_import(const struct oracle_run *run);

/*
 * The whole check: kernel run, import, replay, compare. Returns 0 when
 * usermm agreed with the kernel everywhere and every "=> expectation" held
 * on the kernel; otherwise prints the first disagreement and returns 1.
 */
int oracle_check(const char *text);

/* Same, with printf formatting of the text. */
int oracle_checkf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Comparing maps texts: maps_text_equal and maps_text_print_diff, the
 * tools' own (tools/report/maps_text.h). */
#include "report/maps_text.h"

/* A new file of size bytes made with mkstemp in dir (e.g. "/tmp" or
 * "/dev/shm"); returns its malloc'ed path, or NULL. Caller unlinks. */
char *oracle_make_file(const char *dir, unsigned long size);

#endif /* UMM_TEST_ORACLE_H */
