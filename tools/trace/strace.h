/*
 * strace.h - owns the reading of `strace -f -y -e trace=memory[,process]`
 * output (strace 6.1): one line in, at most one complete event out, with
 * `<unfinished ...>` / `<... NAME resumed>` pairs joined per pid, and the
 * conversion of a memory call's text arguments into a struct mem_call.
 * Nothing here touches an address space; replay.h does that.
 */
#ifndef UMM_TOOLS_STRACE_H
#define UMM_TOOLS_STRACE_H

#include "replay/replay.h"

#include <stdbool.h>
#include <stddef.h>

#define ST_MAX_ARGS 8

enum st_kind {
	ST_CALL,       /* a complete call: name, args, result */
	ST_UNFINISHED, /* the first half of a call; the call comes later as ST_CALL */
	ST_EXITED,     /* +++ exited with N +++ or +++ killed by SIG +++ */
	ST_IGNORED,    /* signals, strace's own messages, blank lines */
};

/* One parsed event. Strings point into buffers the event owns. */
struct st_event {
	enum st_kind kind;
	int lineno;       /* the line the call started on */
	int end_lineno;   /* the line it completed on (resumed), else lineno */
	long pid;         /* -1 when the line had no pid prefix */
	char *name;       /* syscall name as printed, e.g. "mmap", "syscall_0x1ce" */
	char *call_text;  /* "name(args)" as printed, joined if resumed */
	int nargs;
	char *args[ST_MAX_ARGS]; /* raw, trimmed argument texts */
	bool has_result;  /* false for "= ?" */
	long result;      /* the value, or -errno when the call failed */
	int exit_status;  /* ST_EXITED: status, or 128+signal if killed */
	char *buf_;       /* storage */
	char *argbuf_;
	char *path_;
};

struct st_parser;

struct st_parser *st_parser_new(void);
void st_parser_free(struct st_parser *p);

/*
 * Parses one line (a trailing newline is allowed). Returns 0 with *ev
 * filled (free it with st_event_clear), or -1 with a message in err that
 * names the line number. ev is always left safe to clear.
 */
int st_parse_line(struct st_parser *p, const char *line, int lineno, struct st_event *ev,
		  char *err, size_t errlen);
void st_event_clear(struct st_event *ev);

/* Lines whose calls started but never resumed; the count, and the first. */
size_t st_pending(const struct st_parser *p, int *first_lineno);

/*
 * What an ST_CALL means to the address space: the call as numbers (a
 * memory call), or a process event. Returns 0, or -1 with a message in err
 * when a memory call's arguments cannot be read. mc->path points into
 * storage of ev (valid until st_event_clear).
 */
enum st_call_class {
	ST_CLASS_MEMORY,  /* *mc filled */
	ST_CLASS_EXEC,    /* execve/execveat */
	ST_CLASS_CLONE,   /* clone, clone3, fork, vfork; *share_vm set */
	ST_CLASS_OTHER,   /* anything else: not a memory call */
};
int st_classify(struct st_event *ev, enum st_call_class *cls, struct mem_call *mc,
		bool *share_vm, char *err, size_t errlen);

/* Undoes strace's escaping of a -y path (\\, \n, \NNN octal...) in place. */
void st_unescape(char *s);

#endif
