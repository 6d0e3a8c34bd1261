/*
 * cmd_difftest.c - `usermm difftest`: the command line of the
 * differential fuzzer (options, the loop over seeds, the summary). The
 * work is in difftest*.c; see difftest.h for which file owns what.
 */
#define _GNU_SOURCE
#include "cli/cli.h"
#include "cli/commands.h"
#include "difftest/difftest.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char difftest_usage[] =
	"usage: usermm difftest [--seed N] [--calls N] [--seeds K] [--minimize | --no-minimize]\n"
	"                       [--minimize-seconds S] [--out PREFIX] [--aslr] [--unprivileged]\n"
	"                       [--skip CALL,...] [--verbose] [--help]\n"
	"\n"
	"Differential test against this machine's kernel. For each seed it starts a\n"
	"child (this program re-executed, ASLR off unless --aslr), imports the child's\n"
	"/proc/PID/smaps into a fresh usermm space configured as the child really is\n"
	"(this host's settings, its layout, its capabilities), then runs the same\n"
	"random calls as raw syscalls in the child and through usermm, comparing after\n"
	"every call the result and the whole /proc/PID/maps text (only the inode of\n"
	"'/dev/zero (deleted)' and '/anon_hugepage (deleted)' lines may differ).\n"
	"Calls touch only ranges difftest mapped and arenas free in the child.\n"
	"\n"
	"Calls: mmap (fixed, no-replace and hinted; anonymous, and files opened\n"
	"read-only, write-only, read-write and append, on disk, tmpfs, /dev/zero, a\n"
	"directory, an unlinked file, a closed fd, an O_PATH fd (EBADF), a hugetlbfs\n"
	"memfd; shared and private; bad types,\n"
	"flags, lengths and offsets), munmap, mprotect (overlapping, unaligned and\n"
	"invalid ranges), brk, mlock, mlock2, munlock, mlockall and munlockall (only\n"
	"with MCL_ONFAULT: anything else would fault in gigabytes), msync, mincore\n"
	"(with a NULL vector: the child has no buffer for it), mseal, madvise\n"
	"(every advice; populating advice and MADV_COLLAPSE on short ranges),\n"
	"mremap (in place, moving, fixed, DONTUNMAP, old_len 0), pkey_mprotect,\n"
	"pkey_alloc and pkey_free (bad flags, init values and keys; the child is a\n"
	"new process per seed, as its key map must be) and prctl(PR_SET_VMA,\n"
	"PR_SET_VMA_ANON_NAME) (names valid, too long, with bad characters, NULL),\n"
	"remap_file_pages (shared file mappings at new offsets; bad prot, ranges).\n"
	"\n"
	"Touches (--skip usermm_touch): one read, write (of 0xc3) or instruction\n"
	"fetch by the child at an address in or next to difftest's mappings, below\n"
	"mappings that grow down (and the child's [stack]), in holes, non-canonical or\n"
	"in the kernel's half, compared with umm_fault(). The child catches SIGSEGV\n"
	"and SIGBUS; the result is 0 or (signal << 8) | si_code, printed in traces as\n"
	"the pseudo call `usermm_touch(0xADDR, PROT_WRITE) = 2817` (2817: SIGSEGV,\n"
	"SEGV_MAPERR; 2818 SEGV_ACCERR; 1794 SIGBUS, BUS_ADRERR; 2944 SI_KERNEL),\n"
	"which replay runs through umm_fault. An exec runs exactly one instruction\n"
	"(single-stepped) of memory whose bytes are all 0x00 or 0xc3.\n"
	"\n"
	"Memory: every 16th call, the smaps counters (Rss, Pss, Pss_Dirty, Shared_*,\n"
	"Private_*, Anonymous, Locked) of the anonymous VMAs difftest made, private\n"
	"and shared, are compared too, and the bytes each touch read or wrote.\n"
	"\n"
	"Fork (--skip fork): now and then the child forks; its child takes the calls\n"
	"(usermm: umm_mm_fork's child space) until it exits (exit_group, about 50\n"
	"calls later) and the parent takes them again. Meanwhile the memory\n"
	"comparison covers the parent too. Reproducers with a fork carry pids, as\n"
	"strace -f writes them, and replay follows the fork.\n"
	"\n"
	"  --seed N             first seed (default 1)\n"
	"  --seeds K            run K seeds: N, N+1, ... (default 1)\n"
	"  --calls N            calls per seed (default 10000)\n"
	"  --minimize           on a divergence, minimise the sequence (the default)\n"
	"  --no-minimize        write the whole sequence up to the divergence instead\n"
	"  --minimize-seconds S time limit of a minimisation (default 120)\n"
	"  --out PREFIX         reproducer files PREFIX-seedN.{trace,smaps,maps}\n"
	"                       (default: the temp directory, kept on a divergence)\n"
	"  --aslr               keep the child's address space randomisation\n"
	"  --unprivileged       drop CAP_SYS_RAWIO, CAP_IPC_LOCK and CAP_SYS_ADMIN in the\n"
	"                       child (default: the privileges of whoever runs difftest)\n"
	"  --skip CALL,...      do not generate these calls (e.g. --skip mincore,mseal)\n"
	"  --verbose            print every call with the kernel's result\n"
	"\n"
	"On a divergence it prints the call, both results and the maps diff, then a\n"
	"(minimised) reproducer as an strace-style trace, and writes it with the\n"
	"child's initial smaps and maps for `usermm replay --check --maps FILE TRACE`.\n"
	"Each seed stops at its first divergence. Exit status: 0 no divergence,\n"
	"1 a divergence (or difftest itself failed), 2 usage.\n";

enum { OPT_NO_MIN = 256, OPT_MIN_SECS, OPT_OUT, OPT_ASLR, OPT_UNPRIV, OPT_SKIP };

/* "mincore,mseal" -> the mask of those kinds; -1 for an unknown name. */
static int parse_skip(const char *list, unsigned int *mask)
{
	char buf[256], *save, *tok;
	int k;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if ((k = dt_kind_by_name(tok)) < 0) {
			fprintf(stderr, "usermm difftest: --skip: unknown call '%s'\n", tok);
			return -1;
		}
		*mask |= 1U << k;
	}
	return 0;
}

/* The numbers' limits: a seed is any 64-bit value; a run stays sane. */
#define MAX_CALLS 100000000UL
#define MAX_SEEDS 100000000UL
#define MAX_MINIMIZE_SECONDS 86400UL

/* A numeric option's value into *v; false after a message. */
static bool number_opt(int c, unsigned long *v)
{
	switch (c) {
	case 's': return cli_number("difftest", "--seed", optarg, ~0UL, v);
	case 'n': return cli_number("difftest", "--calls", optarg, MAX_CALLS, v);
	case 'k':
		if (!cli_number("difftest", "--seeds", optarg, MAX_SEEDS, v))
			return false;
		if (*v)
			return true;
		fprintf(stderr, "usermm difftest: --seeds: at least 1\n");
		return false;
	case OPT_MIN_SECS:
		return cli_number("difftest", "--minimize-seconds", optarg, MAX_MINIMIZE_SECONDS, v);
	default: return true;
	}
}

/* 0, 2 after a message (or -1 after --help). */
static int parse_opt(int c, struct dt_opts *o, unsigned long *seeds)
{
	unsigned long v = 0;

	if (!number_opt(c, &v) || (c == OPT_SKIP && parse_skip(optarg, &o->skip)))
		return 2;
	switch (c) {
	case 's': o->seed = v; break;
	case 'n': o->calls = v; break;
	case 'k': *seeds = v; break;
	case 'm': o->minimize = true; break;
	case OPT_NO_MIN: o->minimize = false; break;
	case OPT_MIN_SECS: o->minimize_seconds = (unsigned int)v; break;
	case OPT_OUT: o->out_prefix = optarg; break;
	case OPT_ASLR: o->child.aslr = true; break;
	case OPT_UNPRIV: o->child.unprivileged = true; break;
	case OPT_SKIP: break;
	case 'v': o->verbose = true; break;
	case 'h': fputs(difftest_usage, stdout); return -1;
	default: return 2;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct dt_opts *o, unsigned long *seeds)
{
	static const struct option opts[] = {
		{ "seed", required_argument, 0, 's' },
		{ "calls", required_argument, 0, 'n' },
		{ "seeds", required_argument, 0, 'k' },
		{ "minimize", no_argument, 0, 'm' },
		{ "no-minimize", no_argument, 0, OPT_NO_MIN },
		{ "minimize-seconds", required_argument, 0, OPT_MIN_SECS },
		{ "out", required_argument, 0, OPT_OUT },
		{ "aslr", no_argument, 0, OPT_ASLR },
		{ "unprivileged", no_argument, 0, OPT_UNPRIV },
		{ "skip", required_argument, 0, OPT_SKIP },
		{ "verbose", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c, rc;

	*o = (struct dt_opts){ .seed = 1, .calls = 10000, .minimize = true,
			       .minimize_seconds = 120 };
	*seeds = 1;
	optind = 1;
	while ((c = cli_getopt("difftest", argc, argv, "hv", opts)) != -1)
		if ((rc = parse_opt(c, o, seeds)) != 0)
			return rc;
	if (optind < argc) {
		fprintf(stderr, "usermm difftest: unexpected argument '%s'\nTry 'usermm difftest "
			"--help'.\n", argv[optind]);
		return 2;
	}
	return 0;
}

/* Interrupted: remove the temp files, then die of the signal (the child
 * dies with its parent: PR_SET_PDEATHSIG). */
static struct dt_files *signal_files;

static void on_signal(int sig)
{
	if (signal_files && !signal_files->keep)
		dt_files_remove(signal_files);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(struct dt_files *files)
{
	signal_files = files;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
}

int cmd_difftest(int argc, char **argv)
{
	struct dt_stats st = { 0 };
	struct progress progress;
	struct dt_files files;
	struct dt_opts o;
	unsigned long seeds;
	uint64_t first;
	int rc;

	if (argc > 1 && !strcmp(argv[1], DT_CHILD_ARG))
		return dt_child_main(argc, argv);
	rc = parse_args(argc, argv, &o, &seeds);
	if (rc)
		return rc < 0 ? 0 : rc;
	progress_init(&progress, stderr);
	o.progress = &progress;
	if (dt_files_open(&files))
		return 1;
	catch_signals(&files);
	first = o.seed;
	for (unsigned long i = 0; i < seeds; i++) {
		o.seed = first + i;
		dt_run_seed(&o, &files, &st);
		fflush(stdout);
	}
	printf("difftest: %lu seed%s from %llu, %lu calls run, %lu divergence%s%s\n", seeds,
	       seeds == 1 ? "" : "s", (unsigned long long)first, st.calls, st.divergences,
	       st.divergences == 1 ? "" : "s", st.failures ? ", difftest FAILED to run" : "");
	if (files.keep)
		printf("files kept for the reproducers: %s, %s\n", files.dir, files.shm);
	dt_files_close(&files);
	signal_files = NULL;
	return st.divergences || st.failures ? 1 : 0;
}
