/*
 * commands.h - the subcommands of the usermm command. Each one takes its
 * own argv (argv[0] is the subcommand's name) and returns the exit
 * status: 0 success, 1 a divergence or failure, 2 a usage error.
 */
#ifndef UMM_TOOLS_COMMANDS_H
#define UMM_TOOLS_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_difftest(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_shadow(int argc, char **argv);

#endif
