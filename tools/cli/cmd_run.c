/*
 * cmd_run.c - `usermm run SCRIPT`: plays a script of memory calls on a
 * fresh address space and prints each call's result and then the
 * address space as /proc/PID/maps.
 *
 * Script lines (numbers in C notation, '#' starts a comment):
 *   mmap ADDR LEN PROT FLAGS [FILE OFF]   PROT/FLAGS: numbers or names
 *                                         joined by '|' (PROT_READ, MAP_PRIVATE...)
 *   munmap ADDR LEN
 *   mprotect ADDR LEN PROT
 *   brk ADDR
 *   touch ADDR ACCESS                     one access (PROT_READ, _WRITE or _EXEC):
 *                                         0 or (signal << 8) | si_code
 *   maps                                  print the maps text now
 *   smaps                                 print the smaps text now
 */
#define _GNU_SOURCE
#include "cli/commands.h"
#include "trace/flags.h"
#include "usermm.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_value(const char *s, unsigned long *out)
{
	char buf[256], *tok, *save, *end;
	unsigned long v = 0, value;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		if (flag_value(tok, strlen(tok), &value)) {
			v |= value;
			continue;
		}
		errno = 0;
		v |= strtoul(tok, &end, 0);
		if (errno || *end || end == tok)
			return -1;
	}
	*out = v;
	return 0;
}

static void print_result(long r)
{
	if (r < 0 && r > -4096)
		printf(" = -1 %s (%s)\n", strerrorname_np((int)-r), strerror((int)-r));
	else
		printf(" = %#lx\n", (unsigned long)r);
}

/* Runs one script line; returns 0, or -1 for a line that does not parse. */
static int run_line(struct umm_mm *mm, char *line)
{
	char *argv[8];
	unsigned long a[7] = { 0 };
	struct umm_file *file = NULL;
	int argc = 0, err = 0, i;
	long r;

	for (char *t = strtok(line, " \t\n"); t && argc < 8; t = strtok(NULL, " \t\n"))
		argv[argc++] = t;
	if (argc == 0 || argv[0][0] == '#')
		return 0;
	if (!strcmp(argv[0], "maps") || !strcmp(argv[0], "smaps"))
		return argv[0][0] == 's' ? umm_smaps_write(mm, stdout) : umm_maps_write(mm, stdout);
	for (i = 1; i < argc && i < 7; i++)
		if (!(i == 5 && !strcmp(argv[0], "mmap")) && parse_value(argv[i], &a[i]))
			return -1;
	printf("%s(", argv[0]);
	for (i = 1; i < argc; i++)
		printf("%s%s", i > 1 ? ", " : "", argv[i]);
	printf(")");
	if (!strcmp(argv[0], "mmap") && (argc == 5 || argc == 7)) {
		if (argc == 7 && !(file = umm_file_open_path(argv[5], O_RDWR, &err)))
			file = umm_file_open_path(argv[5], O_RDONLY, &err);
		r = (argc == 7 && !file) ? err : umm_mmap(mm, a[1], a[2], (int)a[3], (int)a[4], file, a[6]);
		umm_file_put(file);
	} else if (!strcmp(argv[0], "munmap") && argc == 3) {
		r = umm_munmap(mm, a[1], a[2]);
	} else if (!strcmp(argv[0], "mprotect") && argc == 4) {
		r = umm_mprotect(mm, a[1], a[2], (int)a[3]);
	} else if (!strcmp(argv[0], "brk") && argc == 2) {
		r = (long)umm_brk(mm, a[1]);
	} else if (!strcmp(argv[0], "touch") && argc == 3) {
		r = umm_fault(mm, a[1], (int)a[2], NULL);
	} else {
		printf("\n");
		return -1;
	}
	print_result(r);
	return 0;
}

static const char run_usage[] =
	"usage: usermm run SCRIPT\n"
	"Plays SCRIPT (a file, or - for standard input) on a new address space:\n"
	"  mmap ADDR LEN PROT FLAGS [FILE OFF] | munmap ADDR LEN |\n"
	"  mprotect ADDR LEN PROT | brk ADDR | maps | smaps |\n"
	"  touch ADDR PROT_READ|PROT_WRITE|PROT_EXEC (0 or (signal << 8) | si_code)\n"
	"PROT and FLAGS are numbers or PROT_*/MAP_* names joined by '|'.\n"
	"Prints each call with its result as strace would, then the maps text.\n";

int cmd_run(int argc, char **argv)
{
	char line[1024];
	int lineno = 0, status = 0;
	struct umm_mm *mm;
	FILE *in;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(run_usage, stdout);
		return 0;
	}
	if (argc != 2) {
		fputs(run_usage, stderr);
		return 2;
	}
	in = strcmp(argv[1], "-") ? fopen(argv[1], "r") : stdin;
	if (!in) {
		fprintf(stderr, "usermm: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	mm = umm_mm_create(NULL);
	while (mm && fgets(line, sizeof(line), in)) {
		lineno++;
		if (run_line(mm, line)) {
			fprintf(stderr, "usermm: %s:%d: cannot parse this line\n", argv[1], lineno);
			status = 1;
			break;
		}
	}
	if (mm && !status) {
		printf("\n# the address space, as /proc/PID/maps:\n");
		umm_maps_write(mm, stdout);
	}
	umm_mm_destroy(mm);
	if (in != stdin)
		fclose(in);
	return mm ? status : 1;
}

