/*
 * strace_parse.c - owns the parser of strace output (strace.h): line
 * prefixes (pid, timestamps, instruction pointer), call/result syntax,
 * the joining of unfinished and resumed halves per pid, and the reading
 * of memory calls' arguments (symbolic flags, -y fd paths) as numbers.
 *
 * Every malformed line gives an error naming its line number; the parser
 * never reads past the line it was given (it is fuzzed for that).
 */
#define _GNU_SOURCE
#include "trace/flags.h"
#include "trace/strace.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNFINISHED_SUFFIX " <unfinished ...>"
#define RESUMED_PREFIX "<... "
#define RESUMED_WORD " resumed>"

/* A call that started on one line and will resume on a later one. */
struct pending {
	long pid;
	int lineno;
	char *text; /* the line's call text without the unfinished marker */
};

struct st_parser {
	struct pending *pend;
	size_t npend, cap;
	size_t orphans; /* halves dropped when their pid exited */
	int first_orphan;
};

static int fail(char *err, size_t len, int lineno, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, len, "line %d: ", lineno);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < len)
		vsnprintf(err + n, len - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

struct st_parser *st_parser_new(void)
{
	return calloc(1, sizeof(struct st_parser));
}

void st_parser_free(struct st_parser *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->npend; i++)
		free(p->pend[i].text);
	free(p->pend);
	free(p);
}

void st_event_clear(struct st_event *ev)
{
	free(ev->buf_);
	free(ev->argbuf_);
	free(ev->path_);
	free(ev->call_text);
	memset(ev, 0, sizeof(*ev));
	ev->pid = -1;
}

size_t st_pending(const struct st_parser *p, int *first_lineno)
{
	int first = p->orphans ? p->first_orphan : 0;

	for (size_t i = 0; i < p->npend; i++)
		if (!first || p->pend[i].lineno < first)
			first = p->pend[i].lineno;
	if (first_lineno)
		*first_lineno = first;
	return p->npend + p->orphans;
}

/* ---------------------------------------------------------------------
 * Prefixes: "[pid N] " or "N ", then a timestamp, then "[ip] "
 * ------------------------------------------------------------------- */

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A run of digits followed by a blank: a pid (strace -o with -f). */
static const char *read_pid(const char *s, long *pid, bool *bad)
{
	char *end;
	long v;

	if (!strncmp(s, "[pid", 4)) {
		errno = 0;
		*pid = strtol(s + 4, &end, 10);
		if (errno || end == s + 4 || *end != ']' || *pid <= 0) {
			*bad = true;
			return s;
		}
		return skip_spaces(end + 1);
	}
	if (!isdigit((unsigned char)*s))
		return s;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || (*end != ' ' && *end != '\t'))
		return s; /* a timestamp, or not a prefix at all */
	*pid = v;
	return skip_spaces(end);
}

/* -t "12:34:56", -tt "12:34:56.123456", -ttt "1795220218.075822",
 * -r "     0.000116": digits with ':' or '.', then a blank. */
static const char *skip_timestamp(const char *s)
{
	const char *t = s;
	bool sep = false;

	while (isdigit((unsigned char)*t) || *t == ':' || *t == '.') {
		sep |= (*t == ':' || *t == '.');
		t++;
	}
	if (!sep || t == s || (*t != ' ' && *t != '\t'))
		return s;
	return skip_spaces(t);
}

/* -i: "[00007f0123456789] " */
static const char *skip_ip(const char *s)
{
	const char *t = s + 1;

	if (*s != '[')
		return s;
	while (isxdigit((unsigned char)*t))
		t++;
	if (*t != ']' || t == s + 1)
		return s;
	return skip_spaces(t + 1);
}

/* ---------------------------------------------------------------------
 * Arguments: split at top-level commas
 * ------------------------------------------------------------------- */

struct splitter {
	const char *s;     /* the text after '(' */
	size_t i;          /* scan position */
	int depth;         /* (), [], {} nesting */
	size_t arg_start;  /* where the current argument began */
};

/* Does the current argument, so far, consist of an fd number? Then a '<'
 * opens its -y path (and "<<" is a shift, as in 21<<MAP_HUGE_SHIFT). */
static bool fd_path_opens(const struct splitter *sp)
{
	size_t j = sp->arg_start, n = 0;

	while (j < sp->i && sp->s[j] == ' ')
		j++;
	for (; j < sp->i; j++, n++)
		if (!isdigit((unsigned char)sp->s[j]))
			return false;
	return n > 0 && sp->s[sp->i + 1] != '<' && sp->s[sp->i + 1] != '\0';
}

/* Skips a quoted string, a -y path or a comment starting at sp->i;
 * returns false if it does not end on this line. */
static bool skip_token(struct splitter *sp, char open)
{
	const char *close = open == '"' ? "\"" : open == '<' ? ">" : "*/";
	size_t i = sp->i + 1;

	for (; sp->s[i]; i++) {
		if (sp->s[i] == '\\' && open != '/') {
			if (!sp->s[++i])
				return false;
			continue;
		}
		if (!strncmp(sp->s + i, close, strlen(close))) {
			sp->i = i + strlen(close) - 1;
			return true;
		}
	}
	return false;
}

/* One step of the scan. Returns 1 at the closing ')', 2 at a top-level
 * comma, 0 otherwise, -1 if the text is cut inside a token. */
static int split_step(struct splitter *sp)
{
	char c = sp->s[sp->i];

	if (c == '"' || (c == '<' && fd_path_opens(sp)) ||
	    (c == '/' && sp->s[sp->i + 1] == '*'))
		return skip_token(sp, c) ? 0 : -1;
	if (c == '(' || c == '[' || c == '{')
		sp->depth++;
	else if ((c == ']' || c == '}') && sp->depth > 0)
		sp->depth--;
	else if (c == ')')
		return sp->depth-- == 0 ? 1 : 0;
	else if (c == ',' && sp->depth == 0)
		return 2;
	return 0;
}

/* Copies s[from, to) trimmed to out (which has room); returns out's end. */
static char *copy_trimmed(char *out, const char *s, size_t from, size_t to)
{
	while (from < to && isspace((unsigned char)s[from]))
		from++;
	while (to > from && isspace((unsigned char)s[to - 1]))
		to--;
	memcpy(out, s + from, to - from);
	out[to - from] = '\0';
	return out + (to - from) + 1;
}

/*
 * Splits the arguments of text (which starts just after '('). Returns
 * the offset of the closing ')' in text, or -1 if there is none (partial
 * text, allowed when partial is true; the args seen are still stored).
 * Returns -2 on too many arguments or a token cut short.
 */
static long split_args(struct st_event *ev, const char *text, bool partial)
{
	struct splitter sp = { .s = text };
	char *out;
	int r = 0;

	ev->argbuf_ = malloc(strlen(text) + ST_MAX_ARGS + 2);
	if (!ev->argbuf_)
		return -2;
	out = ev->argbuf_;
	for (; text[sp.i]; sp.i++) {
		r = split_step(&sp);
		if (r < 0)
			return partial ? -1 : -2;
		if (r == 0)
			continue;
		if (ev->nargs == ST_MAX_ARGS)
			return -2;
		ev->args[ev->nargs] = out;
		out = copy_trimmed(out, text, sp.arg_start, sp.i);
		/* "f()" has no argument, not one empty one. */
		if (r == 2 || ev->nargs > 0 || ev->args[0][0])
			ev->nargs++;
		sp.arg_start = sp.i + 1;
		if (r == 1)
			return (long)sp.i;
	}
	if (partial && ev->nargs < ST_MAX_ARGS) {
		ev->args[ev->nargs] = out;
		copy_trimmed(out, text, sp.arg_start, sp.i);
		if (ev->args[ev->nargs][0])
			ev->nargs++;
	}
	return -1;
}

/* ---------------------------------------------------------------------
 * Results: "= 0x7f...", "= 0", "= -1 ENOMEM (...)", "= ?"
 * ------------------------------------------------------------------- */

static const struct {
	const char *name;
	int value;
} kernel_errnos[] = {
	/* Values the kernel uses internally that strace names too. */
	{ "ERESTARTSYS", 512 },	   { "ERESTARTNOINTR", 513 },	      { "ERESTARTNOHAND", 514 },
	{ "ENOIOCTLCMD", 515 },	   { "ERESTART_RESTARTBLOCK", 516 }, { "EPROBE_DEFER", 517 },
	{ "EOPENSTALLED", 518 },   { "ENOPARAM", 519 },		      { "EBADHANDLE", 521 },
	{ "ENOTSYNC", 522 },	   { "EBADCOOKIE", 523 },	      { "ENOTSUPP", 524 },
	{ "ETOOSMALL", 525 },	   { "ESERVERFAULT", 526 },	      { "EBADTYPE", 527 },
	{ "EJUKEBOX", 528 },	   { "EIOCBQUEUED", 529 },	      { "ERECALLCONFLICT", 530 },
};

static int errno_value(const char *name, size_t len)
{
	for (int e = 1; e < 512; e++) {
		const char *n = strerrorname_np(e);

		if (n && strlen(n) == len && !strncmp(n, name, len))
			return e;
	}
	for (size_t i = 0; i < sizeof(kernel_errnos) / sizeof(kernel_errnos[0]); i++)
		if (strlen(kernel_errnos[i].name) == len && !strncmp(kernel_errnos[i].name, name, len))
			return kernel_errnos[i].value;
	return 0;
}

/* After the value: any number of "(...)" notes and "<...>" times (-T). */
static bool trailer_ok(const char *s)
{
	for (s = skip_spaces(s); *s; s = skip_spaces(s)) {
		char close = *s == '(' ? ')' : *s == '<' ? '>' : 0;
		const char *e = close ? strchr(s, close) : NULL;

		if (!e)
			return false;
		s = e + 1;
	}
	return true;
}

/* An error name after "-1 " (or after "? " for a restarted call). */
static const char *read_errno(const char *s, int *e)
{
	const char *t = s;

	while (isupper((unsigned char)*t) || isdigit((unsigned char)*t) || *t == '_')
		t++;
	*e = (t > s && *s == 'E') ? errno_value(s, (size_t)(t - s)) : 0;
	return *e ? t : NULL;
}

static int parse_result(struct st_event *ev, const char *s, char *err, size_t len)
{
	char *end;
	int e;

	s = skip_spaces(s);
	if (*s != '=')
		return fail(err, len, ev->lineno, "expected '= RESULT' after the call");
	s = skip_spaces(s + 1);
	if (*s == '?') {
		ev->has_result = false;
		s++;
		if (*skip_spaces(s) == 'E' && (end = (char *)read_errno(skip_spaces(s), &e)))
			s = end;
		return trailer_ok(s) ? 0 : fail(err, len, ev->lineno, "junk after '= ?'");
	}
	errno = 0;
	if (*s == '-')
		ev->result = strtol(s, &end, 0);
	else
		ev->result = (long)strtoul(s, &end, 0);
	if (errno || end == s || (*s != '-' && !isdigit((unsigned char)*s)))
		return fail(err, len, ev->lineno, "result is not a number");
	ev->has_result = true;
	s = end;
	if (ev->result == -1 && *s == ' ' && s[1] == 'E') {
		if (!(s = read_errno(s + 1, &e)))
			return fail(err, len, ev->lineno, "unknown error name in the result");
		ev->result = -e;
	}
	return trailer_ok(s) ? 0 : fail(err, len, ev->lineno, "junk after the result");
}

/* ---------------------------------------------------------------------
 * Calls
 * ------------------------------------------------------------------- */

/* The syscall name at s: [a-z0-9_]+ then '('. Returns its length or 0. */
static size_t call_name(const char *s)
{
	size_t n = 0;

	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return (n > 0 && n < 64 && s[n] == '(') ? n : 0;
}

/* Parses a complete "name(args) = result" text (owned by ev->buf_). */
static int parse_call(struct st_event *ev, char *err, size_t len)
{
	char *text = ev->buf_;
	size_t n = call_name(text);
	long close;

	if (!n)
		return fail(err, len, ev->lineno, "expected a syscall name and '('");
	close = split_args(ev, text + n + 1, false);
	if (close == -2)
		return fail(err, len, ev->lineno, "malformed or too many arguments");
	if (close < 0)
		return fail(err, len, ev->lineno, "no closing ')' for the arguments");
	if (parse_result(ev, text + n + 1 + close + 1, err, len))
		return -1;
	ev->call_text = strndup(text, n + 1 + (size_t)close + 1);
	if (!ev->call_text)
		return fail(err, len, ev->lineno, "out of memory");
	text[n] = '\0';
	ev->name = text;
	ev->kind = ST_CALL;
	return 0;
}

static struct pending *find_pending(struct st_parser *p, long pid)
{
	for (size_t i = 0; i < p->npend; i++)
		if (p->pend[i].pid == pid)
			return &p->pend[i];
	return NULL;
}

static void drop_pending(struct st_parser *p, struct pending *pd)
{
	free(pd->text);
	*pd = p->pend[--p->npend];
}

static int add_pending(struct st_parser *p, long pid, int lineno, const char *text, size_t n)
{
	if (p->npend == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct pending *np = realloc(p->pend, cap * sizeof(*np));

		if (!np)
			return -1;
		p->pend = np;
		p->cap = cap;
	}
	p->pend[p->npend].text = strndup(text, n);
	if (!p->pend[p->npend].text)
		return -1;
	p->pend[p->npend].pid = pid;
	p->pend[p->npend].lineno = lineno;
	p->npend++;
	return 0;
}

/* "name(args <unfinished ...>": remembered; reported as ST_UNFINISHED
 * with the arguments seen so far (clone's flags are among them). */
static int parse_unfinished(struct st_parser *p, struct st_event *ev, const char *s, char *err,
			    size_t len)
{
	size_t n = strlen(s) - strlen(UNFINISHED_SUFFIX), name = call_name(s);

	if (!name)
		return fail(err, len, ev->lineno, "expected a syscall name before <unfinished ...>");
	if (find_pending(p, ev->pid))
		return fail(err, len, ev->lineno, "pid %ld already has an unfinished call", ev->pid);
	if (add_pending(p, ev->pid, ev->lineno, s, n))
		return fail(err, len, ev->lineno, "out of memory");
	ev->buf_ = strndup(s, n);
	if (!ev->buf_)
		return fail(err, len, ev->lineno, "out of memory");
	if (split_args(ev, ev->buf_ + name + 1, true) == -2)
		return fail(err, len, ev->lineno, "malformed arguments");
	ev->buf_[name] = '\0';
	ev->name = ev->buf_;
	ev->kind = ST_UNFINISHED;
	return 0;
}

/* "<... name resumed>rest": joined with its first half. */
static int parse_resumed(struct st_parser *p, struct st_event *ev, const char *s, char *err,
			 size_t len)
{
	const char *name = s + strlen(RESUMED_PREFIX), *word = strstr(name, RESUMED_WORD);
	struct pending *pd = find_pending(p, ev->pid);
	size_t n;

	if (!word)
		return fail(err, len, ev->lineno, "malformed '<... NAME resumed>'");
	if (!pd)
		return fail(err, len, ev->lineno, "resumed call without an unfinished start (pid %ld)",
			    ev->pid);
	n = (size_t)(word - name);
	if (call_name(pd->text) != n || strncmp(pd->text, name, n))
		return fail(err, len, ev->lineno, "resumes %.*s but line %d started another call",
			    (int)(n > 64 ? 64 : n), name, pd->lineno);
	if (asprintf(&ev->buf_, "%s%s", pd->text, word + strlen(RESUMED_WORD)) < 0) {
		ev->buf_ = NULL;
		return fail(err, len, ev->lineno, "out of memory");
	}
	ev->end_lineno = ev->lineno;
	ev->lineno = pd->lineno;
	drop_pending(p, pd);
	if (parse_call(ev, err, len)) {
		/* Errors name the line where the text went wrong. */
		char *colon = strchr(err, ':');
		char tail[200];

		snprintf(tail, sizeof(tail), "%s", colon ? colon + 2 : err);
		return fail(err, len, ev->end_lineno, "%s (call started on line %d)", tail,
			    ev->lineno);
	}
	return 0;
}

/* "+++ exited with N +++", "+++ killed by SIGX (core dumped) +++". */
static int parse_exit(struct st_parser *p, struct st_event *ev, const char *s, char *err,
		      size_t len)
{
	struct pending *pd;
	int status;

	if (sscanf(s, "+++ exited with %d +++", &status) == 1) {
		ev->exit_status = status;
	} else if (!strncmp(s, "+++ killed by SIG", 17)) {
		ev->exit_status = 128;
		for (int sig = 1; sig < 65; sig++) {
			const char *abbrev = sigabbrev_np(sig);
			size_t n = abbrev ? strlen(abbrev) : 0;

			if (n && !strncmp(s + 17, abbrev, n) && !isalnum((unsigned char)s[17 + n]))
				ev->exit_status = 128 + sig;
		}
	} else if (!strncmp(s, "+++ superseded by execve", 24)) {
		return 0; /* the pid lives on in the new program */
	} else {
		return fail(err, len, ev->lineno, "unknown '+++' line");
	}
	/* A call cut short by the exit never resumes; remember that it was. */
	while ((pd = find_pending(p, ev->pid))) {
		if (!p->orphans++)
			p->first_orphan = pd->lineno;
		drop_pending(p, pd);
	}
	ev->kind = ST_EXITED;
	return 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The part of a line after its prefixes. */
static int parse_body(struct st_parser *p, struct st_event *ev, const char *s, char *err,
		      size_t len)
{
	if (!*s || !strncmp(s, "--- ", 4) || !strncmp(s, "strace: ", 8))
		return 0;
	if (!strncmp(s, "+++ ", 4))
		return parse_exit(p, ev, s, err, len);
	if (!strncmp(s, RESUMED_PREFIX, strlen(RESUMED_PREFIX)))
		return parse_resumed(p, ev, s, err, len);
	if (has_suffix(s, UNFINISHED_SUFFIX))
		return parse_unfinished(p, ev, s, err, len);
	ev->buf_ = strdup(s);
	if (!ev->buf_)
		return fail(err, len, ev->lineno, "out of memory");
	return parse_call(ev, err, len);
}

int st_parse_line(struct st_parser *p, const char *line, int lineno, struct st_event *ev,
		  char *err, size_t errlen)
{
	char *copy = strdup(line);
	const char *s;
	bool bad = false;
	size_t n;
	int r;

	memset(ev, 0, sizeof(*ev));
	ev->pid = -1;
	ev->lineno = ev->end_lineno = lineno;
	ev->kind = ST_IGNORED;
	if (!copy)
		return fail(err, errlen, lineno, "out of memory");
	n = strlen(copy);
	while (n > 0 && (copy[n - 1] == '\n' || copy[n - 1] == '\r' || copy[n - 1] == ' '))
		copy[--n] = '\0';
	s = read_pid(skip_spaces(copy), &ev->pid, &bad);
	if (bad) {
		free(copy);
		return fail(err, errlen, lineno, "malformed '[pid N]' prefix");
	}
	s = skip_ip(skip_timestamp(s));
	r = parse_body(p, ev, s, err, errlen);
	free(copy);
	if (r)
		ev->kind = ST_IGNORED;
	return r;
}

/* ---------------------------------------------------------------------
 * Arguments as numbers
 * ------------------------------------------------------------------- */

/* A number (C notation, maybe negative) or a known symbol, s[0..n). */
static bool atom_value(const char *s, size_t n, unsigned long *v)
{
	char buf[32], *end;

	if (n == 0 || n >= sizeof(buf))
		return false;
	if (isalpha((unsigned char)s[0]) || s[0] == '_')
		return flag_value(s, n, v);
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*v = buf[0] == '-' ? (unsigned long)strtol(buf, &end, 0) : strtoul(buf, &end, 0);
	return !errno && *end == '\0' && (isdigit((unsigned char)buf[0]) || buf[0] == '-');
}

/* One '|' term: an atom, or "A<<B" (21<<MAP_HUGE_SHIFT). */
static bool term_value(const char *s, size_t n, unsigned long *v)
{
	const char *shift = memmem(s, n, "<<", 2);
	unsigned long a, b;

	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!shift)
		return atom_value(s, n, v);
	if (!atom_value(s, (size_t)(shift - s), &a) ||
	    !atom_value(shift + 2, (size_t)(s + n - shift - 2), &b) || b >= 64)
		return false;
	*v = a << b;
	return true;
}

/* An argument: terms joined by '|', with strace's comments removed. */
static bool arg_value(const char *arg, unsigned long *v)
{
	char buf[256];
	size_t n = 0;
	unsigned long t;

	for (const char *s = arg; *s; s++) {
		if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			if (!e)
				return false;
			s = e + 1;
			continue;
		}
		if (n + 1 >= sizeof(buf))
			return false;
		buf[n++] = *s;
	}
	buf[n] = '\0';
	*v = 0;
	for (char *tok = buf, *bar;; tok = bar + 1) {
		bar = strchr(tok, '|');
		if (!term_value(tok, bar ? (size_t)(bar - tok) : strlen(tok), &t))
			return false;
		*v |= t;
		if (!bar)
			return true;
	}
}

void st_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s;
			continue;
		}
		s++;
		if (*s >= '0' && *s <= '7') {
			int v = 0, k = 0;

			for (; k < 3 && *s >= '0' && *s <= '7'; k++, s++)
				v = v * 8 + (*s - '0');
			*o++ = (char)v;
			s--;
			continue;
		}
		switch (*s) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'v': *o++ = '\v'; break;
		case 'f': *o++ = '\f'; break;
		default: *o++ = *s; break;
		}
	}
	*o = '\0';
}

/* "3</path>", "5</memfd:x>(deleted)", "-1", "7": the fd, and its path. */
static bool fd_value(struct st_event *ev, const char *arg, struct mem_call *mc)
{
	const char *lt = strchr(arg, '<'), *gt;
	char *end;
	long fd;

	errno = 0;
	fd = strtol(arg, &end, 10);
	if (errno || end == arg || fd < INT32_MIN || fd > INT32_MAX)
		return false;
	mc->arg[4] = (unsigned long)fd;
	if (!lt)
		return *end == '\0';
	gt = strrchr(arg, '>');
	if (end != lt || !gt || gt < lt)
		return false;
	if (gt[1] && strcmp(gt + 1, "(deleted)"))
		return false;
	mc->deleted = gt[1] != '\0';
	free(ev->path_);
	ev->path_ = strndup(lt + 1, (size_t)(gt - lt - 1));
	if (!ev->path_)
		return false;
	st_unescape(ev->path_);
	mc->path = ev->path_;
	return true;
}

/* ---------------------------------------------------------------------
 * Classification
 * ------------------------------------------------------------------- */

static const struct {
	const char *name;
	enum mem_op op;
	int min_args, max_args;
} mem_calls[] = {
	{ "brk", MEM_BRK, 1, 1 },	    { "mmap", MEM_MMAP, 6, 6 },
	{ "munmap", MEM_MUNMAP, 2, 2 },	    { "mprotect", MEM_MPROTECT, 3, 3 },
	{ "pkey_mprotect", MEM_PKEY_MPROTECT, 4, 4 }, { "mremap", MEM_MREMAP, 4, 5 },
	{ "madvise", MEM_MADVISE, 3, 3 },   { "mlock", MEM_MLOCK, 2, 2 },
	{ "mlock2", MEM_MLOCK2, 3, 3 },	    { "munlock", MEM_MUNLOCK, 2, 2 },
	{ "mlockall", MEM_MLOCKALL, 1, 1 }, { "munlockall", MEM_MUNLOCKALL, 0, 0 },
	{ "msync", MEM_MSYNC, 3, 3 },	    { "mincore", MEM_MINCORE, 3, 3 },
	{ "mseal", MEM_MSEAL, 3, 3 },
	{ "pkey_alloc", MEM_PKEY_ALLOC, 2, 2 }, { "pkey_free", MEM_PKEY_FREE, 1, 1 },
	{ "usermm_touch", MEM_TOUCH, 2, 2 }, /* not strace's: see replay.h */
	{ "usermm_caps", MEM_CAPS, 1, 1 },   /* not strace's: see replay.h */
	{ "remap_file_pages", MEM_REMAP_FILE_PAGES, 5, 5 },
	{ "personality", MEM_PERSONALITY, 1, 1 },
};

/* Other calls strace's %memory class holds, and calls that change
 * mappings from outside it: unsupported, but never ignored. */
static const char *const other_memory[] = {
	"mbind", "set_mempolicy", "get_mempolicy", "migrate_pages", "move_pages",
	"set_mempolicy_home_node", "process_madvise", "process_mrelease",
	"shmat", "shmdt", "map_shadow_stack", "userfaultfd", "io_uring_setup",
};

/* Calls newer than strace 6.1, which it prints as syscall_0xNNN. */
static const struct {
	unsigned long nr;
	const char *name;
} numbered[] = { { 453, "map_shadow_stack" }, { 462, "mseal" } };

/* "syscall_0x1ce" -> "mseal"; the printed name otherwise. */
static const char *real_name(const char *name)
{
	unsigned long nr;
	char *end;

	if (strncmp(name, "syscall_", 8))
		return name;
	nr = strtoul(name + 8, &end, 0);
	for (size_t i = 0; *end == '\0' && i < sizeof(numbered) / sizeof(numbered[0]); i++)
		if (numbered[i].nr == nr)
			return numbered[i].name;
	return name;
}

/* Every argument of a memory call as a number; mmap's fd with its path.
 * mincore's vector ("[1]") is output, and is read as 0. */
static int memory_args(struct st_event *ev, struct mem_call *mc, char *err, size_t len)
{
	for (int i = 0; i < mc->nargs; i++) {
		const char *a = ev->args[i];
		bool ok;

		if (mc->op == MEM_MMAP && i == 4)
			ok = fd_value(ev, a, mc);
		else if (mc->op == MEM_MINCORE && i == 2 && a[0] == '[')
			ok = true;
		else
			ok = arg_value(a, &mc->arg[i]);
		if (!ok && mc->op != MEM_OTHER)
			return fail(err, len, ev->lineno, "%s: cannot read argument %d '%.60s'",
				    mc->name, i + 1, a);
	}
	return 0;
}

static int classify_memory(struct st_event *ev, const char *name, struct mem_call *mc,
			   bool numbered_call, char *err, size_t len)
{
	for (size_t i = 0; i < sizeof(mem_calls) / sizeof(mem_calls[0]); i++) {
		if (strcmp(mem_calls[i].name, name))
			continue;
		mc->op = mem_calls[i].op;
		mc->name = mem_calls[i].name;
		/* strace prints an unknown call with all six registers. */
		if (ev->nargs < mem_calls[i].min_args ||
		    (ev->nargs > mem_calls[i].max_args && !numbered_call))
			return fail(err, len, ev->lineno, "%s takes %d arguments, not %d", name,
				    mem_calls[i].max_args, ev->nargs);
		mc->nargs = ev->nargs > mem_calls[i].max_args ? mem_calls[i].max_args : ev->nargs;
		return memory_args(ev, mc, err, len);
	}
	mc->op = MEM_OTHER;
	mc->name = name;
	mc->nargs = ev->nargs > 6 ? 6 : ev->nargs;
	return memory_args(ev, mc, err, len);
}

static bool is_memory_name(const char *name)
{
	for (size_t i = 0; i < sizeof(mem_calls) / sizeof(mem_calls[0]); i++)
		if (!strcmp(mem_calls[i].name, name))
			return true;
	for (size_t i = 0; i < sizeof(other_memory) / sizeof(other_memory[0]); i++)
		if (!strcmp(other_memory[i], name))
			return true;
	/* A call strace cannot name might be anything: counted, not ignored. */
	return !strncmp(name, "syscall_", 8);
}

/* prctl(PR_SET_VMA, ...) changes mappings; other prctls do not. */
static bool is_set_vma(const struct st_event *ev)
{
	unsigned long v;

	return ev->nargs >= 1 && arg_value(ev->args[0], &v) && v == 0x53564d41UL;
}

/* The name argument: "NULL", or a quoted string (cut short when strace
 * appends "...": its -s limit; the prefix is all there is). False for a
 * pointer strace could not read. */
static bool anon_name_value(struct st_event *ev, const char *arg, struct mem_call *mc)
{
	size_t n = strlen(arg);

	if (!strcmp(arg, "NULL")) {
		mc->str = NULL;
		return true;
	}
	if (n >= 5 && !strcmp(arg + n - 3, "..."))
		n -= 3;
	if (n < 2 || arg[0] != '"' || arg[n - 1] != '"')
		return false;
	free(ev->path_);
	ev->path_ = strndup(arg + 1, n - 2);
	if (!ev->path_)
		return false;
	st_unescape(ev->path_);
	mc->str = ev->path_;
	return true;
}

/* prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, name); any other
 * PR_SET_VMA attribute, or a name strace could not read, is a memory call
 * replay does not support (MEM_OTHER). */
static int classify_set_vma(struct st_event *ev, struct mem_call *mc, char *err, size_t len)
{
	unsigned long attr;

	mc->op = MEM_OTHER;
	mc->name = "prctl";
	mc->nargs = ev->nargs > 5 ? 5 : ev->nargs;
	if (ev->nargs != 5 || !arg_value(ev->args[1], &attr) || attr != 0 ||
	    !anon_name_value(ev, ev->args[4], mc))
		return 0;
	for (int i = 0; i < 4; i++)
		if (!arg_value(ev->args[i], &mc->arg[i]))
			return fail(err, len, ev->lineno, "prctl: cannot read argument %d '%.60s'",
				    i + 1, ev->args[i]);
	mc->op = MEM_ANON_NAME;
	return 0;
}

/* "{rlim_cur=256*1024, rlim_max=RLIM64_INFINITY}": strace prints sizes
 * in KiB as N*1024. */
static bool rlim_field(const char *arg, const char *key, unsigned long *v)
{
	const char *t = strstr(arg, key);
	char buf[64];
	size_t n;

	if (!t)
		return false;
	t += strlen(key);
	n = strcspn(t, ",}");
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, t, n);
	buf[n] = '\0';
	if (n > 5 && !strcmp(buf + n - 5, "*1024")) {
		buf[n - 5] = '\0';
		if (!arg_value(buf, v) || *v > (~0UL >> 10))
			return false;
		*v <<= 10;
		return true;
	}
	return arg_value(buf, v);
}

/*
 * setrlimit(RES, {...}) and prlimit64(PID, RES, {...}, OLD) that set one
 * of the limits a space keeps: MEM_SETRLIMIT. Reading or other limits:
 * not memory calls at all.
 */
static bool classify_setrlimit(struct st_event *ev, struct mem_call *mc)
{
	bool prl = !strcmp(ev->name, "prlimit64");
	int base = prl ? 1 : 0;
	unsigned long res, pid = 0;

	if (ev->nargs != (prl ? 4 : 2) || !arg_value(ev->args[base], &res) ||
	    (res != 2 && res != 3 && res != 8 && res != 9) || ev->args[base + 1][0] != '{')
		return false;
	if (prl && !arg_value(ev->args[0], &pid))
		return false;
	if (!rlim_field(ev->args[base + 1], "rlim_cur=", &mc->arg[1]) ||
	    !rlim_field(ev->args[base + 1], "rlim_max=", &mc->arg[2]))
		return false;
	mc->op = MEM_SETRLIMIT;
	mc->name = ev->name;
	mc->nargs = 4;
	mc->arg[0] = res;
	mc->arg[3] = pid;
	return true;
}

/* The effective capabilities of a capset line ("effective=1<<CAP_X|...")
 * as far as they matter: the four a space asks about. */
static bool classify_capset(struct st_event *ev, struct mem_call *mc)
{
	static const struct {
		const char *name;
		int bit;
	} caps[] = { { "CAP_IPC_LOCK", 14 }, { "CAP_SYS_RAWIO", 17 }, { "CAP_SYS_ADMIN", 21 },
		     { "CAP_SYS_RESOURCE", 24 } };
	const char *e = ev->nargs == 2 ? strstr(ev->args[1], "effective=") : NULL;
	size_t n;

	if (!e || !ev->has_result || ev->result != 0)
		return false;
	e += 10;
	n = strcspn(e, ",}");
	mc->arg[0] = 0;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		const char *t = strstr(e, caps[i].name);
		size_t k = strlen(caps[i].name);

		if (t && t < e + n && (t[k] == '|' || t[k] == ',' || t[k] == '}'))
			mc->arg[0] |= 1UL << caps[i].bit;
	}
	mc->op = MEM_CAPS;
	mc->name = "capset";
	mc->nargs = 1;
	return true;
}

/* prctl's options that bear on mappings besides PR_SET_VMA. */
static bool is_mapping_prctl(const struct st_event *ev)
{
	unsigned long v;

	return ev->nargs == 5 && arg_value(ev->args[0], &v) && (v == 41 || v == 42 || v == 65 ||
								  v == 66);
}

/* clone's "flags=..." (clone3: inside its struct): does it hold CLONE_VM? */
static bool clone_shares_vm(const struct st_event *ev)
{
	for (int i = 0; i < ev->nargs; i++) {
		const char *f = strstr(ev->args[i], "flags=");
		unsigned long v;

		if (!f)
			continue;
		f += 6;
		for (const char *t = f; *t && *t != ',' && *t != '}';) {
			size_t n = strcspn(t, "|,}");

			if (term_value(t, n, &v) && (v & 0x100))
				return true;
			t += n + (t[n] == '|');
		}
		return false;
	}
	return false;
}

int st_classify(struct st_event *ev, enum st_call_class *cls, struct mem_call *mc,
		bool *share_vm, char *err, size_t errlen)
{
	const char *name = real_name(ev->name);

	memset(mc, 0, sizeof(*mc));
	*share_vm = false;
	if (is_memory_name(name)) {
		*cls = ST_CLASS_MEMORY;
		return classify_memory(ev, name, mc, name != ev->name ||
					 !strncmp(name, "syscall_", 8), err, errlen);
	}
	if (!strcmp(name, "prctl") && is_set_vma(ev)) {
		*cls = ST_CLASS_MEMORY;
		return classify_set_vma(ev, mc, err, errlen);
	}
	if (!strcmp(name, "prctl") && is_mapping_prctl(ev)) {
		*cls = ST_CLASS_MEMORY;
		mc->op = MEM_PRCTL;
		mc->name = "prctl";
		mc->nargs = 5;
		return memory_args(ev, mc, err, errlen);
	}
	if ((!strcmp(name, "setrlimit") || !strcmp(name, "prlimit64")) &&
	    classify_setrlimit(ev, mc)) {
		*cls = ST_CLASS_MEMORY;
		return 0;
	}
	if (!strcmp(name, "capset") && classify_capset(ev, mc)) {
		*cls = ST_CLASS_MEMORY;
		return 0;
	}
	if (!strcmp(name, "execve") || !strcmp(name, "execveat")) {
		*cls = ST_CLASS_EXEC;
	} else if (!strcmp(name, "clone") || !strcmp(name, "clone3") || !strcmp(name, "fork") ||
		   !strcmp(name, "vfork")) {
		*cls = ST_CLASS_CLONE;
		*share_vm = !strcmp(name, "vfork") || clone_shares_vm(ev);
	} else {
		*cls = ST_CLASS_OTHER;
	}
	return 0;
}
