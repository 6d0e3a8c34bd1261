/*
 * cli.h - what the subcommands share on the command line: option parsing
 * whose messages name the command and the bad option, numbers checked
 * for junk, overflow and range, and input files refused with a clear
 * message when they are missing, a directory or empty.
 *
 * Exit statuses, for every subcommand: 0 success, 1 a divergence or a
 * bad input's content, 2 a usage error (a bad option, number or file).
 */
#ifndef UMM_TOOLS_CLI_H
#define UMM_TOOLS_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/*
 * getopt_long for subcommand cmd ("replay"): on an unknown option or a
 * missing value it prints "usermm CMD: unknown option '--x'" (or
 * "option '--x' needs a value") and a pointer to --help, and returns
 * '?'. shortopts as getopt's (a leading '+' stops at the first operand).
 */
int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* s as an unsigned number (decimal, 0x hex or 0 octal) no larger than
 * max: false, after saying why, for junk, a sign, overflow or too large. */
bool cli_number(const char *cmd, const char *opt, const char *s, unsigned long max,
		unsigned long *out);

/*
 * Opens path for reading as the command's `what` ("trace", "script"):
 * "-" is standard input, with a note when that is a terminal. A missing
 * or unreadable file, a directory, or a file with nothing in it is
 * refused: NULL after a message.
 */
FILE *cli_open_input(const char *cmd, const char *what, const char *path);
/* The whole of such a file, malloc'ed and NUL-terminated, or NULL after
 * a message. */
char *cli_read_input(const char *cmd, const char *what, const char *path);
/* Closes what cli_open_input opened (standard input stays open). */
void cli_close_input(FILE *f);

#endif
