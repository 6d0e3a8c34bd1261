/*
 * main.c - the usermm command: global options and the dispatch to its
 * subcommands (one file each, cmd_*.c). Errors go to stderr; exit status
 * 0 for success, 1 for a divergence or failure, 2 for a usage error.
 */
#define _GNU_SOURCE
#include "cli/commands.h"
#include "usermm.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "run", cmd_run, "play a script of memory calls on a new address space" },
	{ "difftest", cmd_difftest, "random calls on this kernel and on usermm, compared" },
	{ "replay", cmd_replay, "replay an strace trace on usermm, optionally checking every result" },
	{ "record", cmd_record, "run a program under ptrace, write its maps and memory calls" },
	{ "shadow", cmd_shadow, "run a program under ptrace, check each memory call on usermm live" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage: usermm [--version] [--help] COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'usermm COMMAND --help' describes one command.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "help", no_argument, 0, 'h' },
					      { "version", no_argument, 0, 'V' },
					      { 0, 0, 0, 0 } };
	int c;

	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (c == 'V') {
			printf("usermm %s\n", UMM_VERSION);
			return 0;
		}
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; optind < argc && i < NCOMMANDS; i++)
		if (!strcmp(argv[optind], commands[i].name))
			return commands[i].run(argc - optind, argv + optind);
	if (optind < argc)
		fprintf(stderr, "usermm: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return 2;
}
