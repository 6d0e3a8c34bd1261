/*
 * scenario.c - parser and evaluator of the scenario text format (see
 * scenario.h). Used inside the kernel runner between its start and its
 * first snapshot, so it must never allocate: only the caller's struct.
 */
#include "scenario.h"
#include "trace/flags.h"

#include <stdint.h>
#include <string.h>

/* The names of the scenario language that are not the calls' own flags
 * (those come from the tools' one table, tools/trace/flags.c): errnos,
 * capabilities, fault outcomes and shorthands. */
struct scn_sym {
	const char *name;
	unsigned long value;
};

static const struct scn_sym scn_syms[] = {
	{"MAP_ABOVE4G", 0x80}, {"CAP_IPC_LOCK", 1UL << 14},
	{"CAP_SYS_RAWIO", 1UL << 17}, {"CAP_SYS_ADMIN", 1UL << 21},
	{"EPERM", 1}, {"ENOENT", 2}, {"EINTR", 4}, {"EBADF", 9}, {"EAGAIN", 11},
	{"ENOMEM", 12}, {"EACCES", 13}, {"EFAULT", 14}, {"EBUSY", 16}, {"EEXIST", 17},
	{"ENODEV", 19}, {"EINVAL", 22}, {"ENFILE", 23}, {"EMFILE", 24}, {"ETXTBSY", 26},
	{"EFBIG", 27}, {"ENOSPC", 28}, {"ERANGE", 34}, {"ENOSYS", 38},
	{"EOVERFLOW", 75}, {"EOPNOTSUPP", 95},
	{"TASK_SIZE", (1UL << 47) - 4096},
	{"SIGSEGV_MAPERR", (11 << 8) | 1}, {"SIGSEGV_ACCERR", (11 << 8) | 2},
	{"SIGSEGV_PKUERR", (11 << 8) | 4}, {"SIGBUS_ADRALN", (7 << 8) | 1},
	{"SIGBUS_ADRERR", (7 << 8) | 2}, {"SIGBUS_OBJERR", (7 << 8) | 3},
	/* shorthands */
	{"PROT_RW", 0x3}, {"PROT_RX", 0x5}, {"PROT_RWX", 0x7},
	{"MAP_PA", 0x22}, {"MAP_SA", 0x21}, {"MAP_PAF", 0x32}, {"MAP_SAF", 0x31},
};

#define NSYMS (sizeof(scn_syms) / sizeof(scn_syms[0]))

struct tok {
	const char *p;
	size_t n;
};

static bool tok_is(struct tok t, const char *s)
{
	return strlen(s) == t.n && memcmp(t.p, s, t.n) == 0;
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int fail(struct scenario *s, int line, const char *msg, struct tok t)
{
	size_t n = strlen(msg), room = sizeof(s->err) - 1;

	if (n > room)
		n = room;
	memcpy(s->err, msg, n);
	if (t.n && n + 3 < room) {
		size_t m = t.n < room - n - 3 ? t.n : room - n - 3;
		memcpy(s->err + n, ": '", 3);
		memcpy(s->err + n + 3, t.p, m);
		n += 3 + m;
		if (n < room)
			s->err[n++] = '\'';
	}
	s->err[n] = '\0';
	s->err_line = line;
	return -1;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static unsigned long suffix_mult(char c)
{
	switch (c) {
	case 'K': case 'k': return 1UL << 10;
	case 'M': case 'm': return 1UL << 20;
	case 'G': case 'g': return 1UL << 30;
	case 'T': case 't': return 1UL << 40;
	default: return 0;
	}
}

/* A number term: decimal or 0x hex, optional K/M/G/T suffix. */
static bool parse_number(struct tok t, unsigned long *out)
{
	unsigned int base = 10;
	size_t i = 0, end = t.n;
	unsigned long v = 0, mult = 1;

	if (t.n > 2 && t.p[0] == '0' && (t.p[1] == 'x' || t.p[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (base == 10 && end > 1 && suffix_mult(t.p[end - 1])) {
		mult = suffix_mult(t.p[end - 1]);
		end--;
	}
	if (i >= end)
		return false;
	for (; i < end; i++) {
		int d = digit_value(t.p[i]);

		if (d < 0 || (unsigned int)d >= base)
			return false;
		v = v * base + (unsigned long)d;
	}
	*out = v * mult;
	return true;
}

static int find_var(const struct scenario *s, struct tok t)
{
	for (int i = 0; i < s->nvars; i++)
		if (tok_is(t, s->vars[i]))
			return i;
	return -1;
}

static bool find_sym(struct tok t, unsigned long *out)
{
	if (flag_value(t.p, t.n, out))
		return true;
	for (size_t i = 0; i < NSYMS; i++) {
		if (tok_is(t, scn_syms[i].name)) {
			*out = scn_syms[i].value;
			return true;
		}
	}
	return false;
}

/* One term into slot i of e. */
static int parse_term(struct scenario *s, int line, struct tok t, struct scn_expr *e, int i)
{
	e->var[i] = -1;
	e->k[i] = 0;
	if (t.n == 0)
		return fail(s, line, "empty term", t);
	if (parse_number(t, &e->k[i]) || find_sym(t, &e->k[i]))
		return 0;
	if (is_ident_start(t.p[0])) {
		e->var[i] = find_var(s, t);
		if (e->var[i] >= 0)
			return 0;
	}
	return fail(s, line, "unknown term", t);
}

static int parse_expr(struct scenario *s, int line, struct tok t, struct scn_expr *e)
{
	size_t i = 0;

	e->nterms = 0;
	e->op[0] = '+';
	if (t.n && (t.p[0] == '-' || t.p[0] == '+'))
		e->op[0] = t.p[i++];
	while (i <= t.n) {
		size_t j = i;

		while (j < t.n && t.p[j] != '+' && t.p[j] != '-' && t.p[j] != '|')
			j++;
		if (e->nterms == SCN_MAX_TERMS)
			return fail(s, line, "expression too long", t);
		if (parse_term(s, line, (struct tok){t.p + i, j - i}, e, e->nterms))
			return -1;
		e->nterms++;
		if (j >= t.n)
			break;
		e->op[e->nterms] = t.p[j];
		i = j + 1;
	}
	return 0;
}

unsigned long scn_eval(const struct scn_expr *e, const unsigned long *vals)
{
	unsigned long acc = 0;

	for (int i = 0; i < e->nterms; i++) {
		unsigned long v = e->var[i] >= 0 ? vals[e->var[i]] : e->k[i];

		if (e->op[i] == '-')
			acc -= v;
		else if (e->op[i] == '|')
			acc |= v;
		else
			acc += v;
	}
	return acc;
}

static int find_file(const struct scenario *s, struct tok t)
{
	for (int i = 0; i < s->nfiles; i++)
		if (tok_is(t, s->files[i].id))
			return i;
	return -1;
}

static int copy_name(struct scenario *s, int line, struct tok t, char *dst, size_t cap)
{
	if (t.n == 0 || t.n >= cap)
		return fail(s, line, "name empty or too long", t);
	memcpy(dst, t.p, t.n);
	dst[t.n] = '\0';
	return 0;
}

static int parse_file(struct scenario *s, int line, const struct tok *t, int n)
{
	struct scn_file *f;
	struct scn_expr e;

	if (n != 4)
		return fail(s, line, "usage: file ID PATH OPENFLAGS", t[0]);
	if (s->nfiles == SCN_MAX_FILES)
		return fail(s, line, "too many files", t[1]);
	if (find_file(s, t[1]) >= 0 || tok_is(t[1], "-1"))
		return fail(s, line, "duplicate file id", t[1]);
	f = &s->files[s->nfiles];
	if (copy_name(s, line, t[1], f->id, sizeof(f->id)) ||
	    copy_name(s, line, t[2], f->path, sizeof(f->path)) || parse_expr(s, line, t[3], &e))
		return -1;
	f->open_flags = (int)scn_eval(&e, NULL);
	s->nfiles++;
	return 0;
}

static int rlimit_resource(struct tok t)
{
	/* RLIMIT_* values on Linux x86_64 */
	if (tok_is(t, "as"))
		return 9;
	if (tok_is(t, "data"))
		return 2;
	if (tok_is(t, "memlock"))
		return 8;
	if (tok_is(t, "stack"))
		return 3;
	if (tok_is(t, "nofile"))
		return 7;
	return -1;
}

static int parse_limit_value(struct scenario *s, int line, struct tok t, unsigned long *out)
{
	struct scn_expr e;

	if (tok_is(t, "inf")) {
		*out = ~0UL;
		return 0;
	}
	if (parse_expr(s, line, t, &e))
		return -1;
	*out = scn_eval(&e, NULL);
	return 0;
}

static int parse_rlimit(struct scenario *s, int line, const struct tok *t, int n)
{
	struct scn_rlimit *r;

	if (n != 4)
		return fail(s, line, "usage: rlimit NAME CUR MAX", t[0]);
	if (s->nrlimits == SCN_MAX_RLIMITS)
		return fail(s, line, "too many rlimits", t[0]);
	r = &s->rlimits[s->nrlimits];
	r->resource = rlimit_resource(t[1]);
	if (r->resource < 0)
		return fail(s, line, "unknown rlimit", t[1]);
	if (parse_limit_value(s, line, t[2], &r->cur) || parse_limit_value(s, line, t[3], &r->max))
		return -1;
	s->nrlimits++;
	return 0;
}

static int parse_fill(struct scenario *s, int line, const struct tok *t, int n)
{
	if (n != 3)
		return fail(s, line, "usage: fill ADDR COUNT", t[0]);
	if (s->fill)
		return fail(s, line, "only one fill", t[0]);
	s->fill = true;
	if (parse_expr(s, line, t[1], &s->fill_addr) || parse_expr(s, line, t[2], &s->fill_count))
		return -1;
	return 0;
}

/* Number of operands each op takes. */
static int op_arity(enum scn_kind k)
{
	switch (k) {
	case SCN_MMAP: return 6;
	case SCN_MUNMAP: return 2;
	case SCN_MPROTECT: return 3;
	case SCN_MSEAL: return 3; /* ADDR LEN FLAGS */
	case SCN_MLOCK: return 2;
	case SCN_MLOCK2: return 3; /* ADDR LEN FLAGS */
	case SCN_MUNLOCK: return 2;
	case SCN_MUNLOCKALL: return 0;
	case SCN_MSYNC: return 3; /* ADDR LEN FLAGS */
	case SCN_MINCORE: return 2;
	case SCN_MINCORE_TO: return 3;   /* ADDR LEN VEC */
	case SCN_PKEY_MPROTECT: return 4; /* ADDR LEN PROT PKEY */
	case SCN_MREMAP: return 5;        /* ADDR OLDLEN NEWLEN FLAGS NEWADDR */
	case SCN_MADVISE: return 3;       /* ADDR LEN ADVICE */
	case SCN_ANON_NAME: return 3;     /* ADDR LEN NAME */
	case SCN_TOUCH: return 2;         /* ADDR ACCESS */
	case SCN_POKE: return 2;          /* ADDR VALUE */
	case SCN_PRCTL: return 5;         /* OPTION ARG2 ARG3 ARG4 ARG5 */
	case SCN_REMAP_FILE_PAGES: return 5; /* ADDR LEN PROT PGOFF FLAGS */
	case SCN_SETRLIMIT: return 3;     /* RESOURCE CUR MAX */
	default: return 1; /* brk ADDR, mlockall FLAGS, personality, capset */
	}
}

static int parse_file_ref(struct scenario *s, int line, struct tok t, int *out)
{
	if (tok_is(t, "-1")) {
		*out = -1;
		return 0;
	}
	*out = find_file(s, t);
	return *out < 0 ? fail(s, line, "unknown file id", t) : 0;
}

static int parse_anon_name(struct scenario *s, int line, const struct tok *a, struct scn_op *op)
{
	op->name_null = tok_is(a[2], "-");
	if (!op->name_null && copy_name(s, line, a[2], op->name, sizeof(op->name)))
		return -1;
	if (parse_expr(s, line, a[1], &op->len))
		return -1;
	return parse_expr(s, line, a[0], &op->addr);
}

static int parse_operands(struct scenario *s, int line, const struct tok *a, struct scn_op *op)
{
	switch (op->kind) {
	case SCN_MREMAP:
		if (parse_expr(s, line, a[2], &op->new_len) || parse_expr(s, line, a[3], &op->flags) ||
		    parse_expr(s, line, a[4], &op->new_addr))
			return -1;
		if (parse_expr(s, line, a[1], &op->len))
			return -1;
		return parse_expr(s, line, a[0], &op->addr);
	case SCN_ANON_NAME:
		return parse_anon_name(s, line, a, op);
	case SCN_POKE: /* its value goes where mprotect's prot goes */
	case SCN_TOUCH: /* its access goes where mprotect's prot goes */
		if (parse_expr(s, line, a[1], &op->prot))
			return -1;
		return parse_expr(s, line, a[0], &op->addr);
	case SCN_REMAP_FILE_PAGES: /* PGOFF goes where mmap's OFF goes */
		if (parse_expr(s, line, a[2], &op->prot) || parse_expr(s, line, a[3], &op->off) ||
		    parse_expr(s, line, a[4], &op->flags) || parse_expr(s, line, a[1], &op->len))
			return -1;
		return parse_expr(s, line, a[0], &op->addr);
	case SCN_PRCTL: /* OPTION, ARG2..5 go where mmap's ADDR, LEN, PROT, FLAGS, OFF go */
		if (parse_expr(s, line, a[2], &op->prot) || parse_expr(s, line, a[3], &op->flags) ||
		    parse_expr(s, line, a[4], &op->off) || parse_expr(s, line, a[1], &op->len))
			return -1;
		return parse_expr(s, line, a[0], &op->addr);
	case SCN_SETRLIMIT: /* RESOURCE, CUR, MAX go where ADDR, LEN, PROT go */
		if (parse_expr(s, line, a[1], &op->len) || parse_expr(s, line, a[2], &op->prot))
			return -1;
		return parse_expr(s, line, a[0], &op->addr);
	case SCN_MMAP:
		if (parse_expr(s, line, a[2], &op->prot) || parse_expr(s, line, a[3], &op->flags) ||
		    parse_file_ref(s, line, a[4], &op->file) || parse_expr(s, line, a[5], &op->off))
			return -1;
		/* fall through */
	case SCN_MUNMAP:
	case SCN_MLOCK:
	case SCN_MUNLOCK:
	case SCN_MINCORE:
		if (parse_expr(s, line, a[1], &op->len))
			return -1;
		/* fall through */
	case SCN_BRK:
	case SCN_PEEK:
	case SCN_PERSONALITY:
	case SCN_CAPSET:
	case SCN_MLOCKALL: /* its flags go where brk's address goes */
		return parse_expr(s, line, a[0], &op->addr);
	case SCN_MUNLOCKALL:
		return 0;
	case SCN_MINCORE_TO: /* the vector's address goes where mremap's new_addr goes */
		if (parse_expr(s, line, a[2], &op->new_addr) || parse_expr(s, line, a[1], &op->len))
			return -1;
		return parse_expr(s, line, a[0], &op->addr);
	case SCN_MPROTECT:
	case SCN_MSEAL: /* flags go where mprotect's prot goes */
	case SCN_MLOCK2:
	case SCN_MSYNC:
	case SCN_MADVISE: /* its advice goes where mprotect's prot goes */
	case SCN_PKEY_MPROTECT: /* its pkey goes where mmap's flags go */
		if (op->kind == SCN_PKEY_MPROTECT && parse_expr(s, line, a[3], &op->flags))
			return -1;
		if (parse_expr(s, line, a[1], &op->len) || parse_expr(s, line, a[2], &op->prot))
			return -1;
		return parse_expr(s, line, a[0], &op->addr);
	}
	return -1;
}

static int parse_expect(struct scenario *s, int line, struct tok t, struct scn_op *op)
{
	if (tok_is(t, "ok")) {
		op->expect = SCN_EXPECT_OK;
		return 0;
	}
	if (tok_is(t, "err")) {
		op->expect = SCN_EXPECT_ERR;
		return 0;
	}
	if (t.n > 6 && memcmp(t.p, "align:", 6) == 0) {
		op->expect = SCN_EXPECT_ALIGNED;
		return parse_expr(s, line, (struct tok){t.p + 6, t.n - 6}, &op->expect_val);
	}
	if (t.n > 7 && memcmp(t.p, "!align:", 7) == 0) {
		op->expect = SCN_EXPECT_UNALIGNED;
		return parse_expr(s, line, (struct tok){t.p + 7, t.n - 7}, &op->expect_val);
	}
	op->expect = SCN_EXPECT_VALUE;
	return parse_expr(s, line, t, &op->expect_val);
}

/* The op names, in enum scn_kind's order. */
static const char *const kind_names[] = {"mmap", "munmap", "mprotect", "brk", "mseal",
					 "mlock", "mlock2", "munlock", "mlockall", "munlockall",
					 "msync", "mincore", "pkey_mprotect", "mremap", "madvise",
					 "anon_name", "touch", "prctl", "personality", "setrlimit",
					 "capset", "remap_file_pages", "peek", "poke", "mincore_to"};

static int kind_of(struct tok t, enum scn_kind *k)
{
	for (int i = 0; i < (int)(sizeof(kind_names) / sizeof(kind_names[0])); i++) {
		if (tok_is(t, kind_names[i])) {
			*k = (enum scn_kind)i;
			return 0;
		}
	}
	return -1;
}

/* "VAR=op": splits off the variable name, declared after the operands parse. */
static struct tok split_define(struct tok *t)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->p[i] == '=') {
			struct tok name = {t->p, i};

			t->p += i + 1;
			t->n -= i + 1;
			return name;
		}
	}
	return (struct tok){NULL, 0};
}

static int declare_var(struct scenario *s, int line, struct tok name, struct scn_op *op)
{
	op->defines = -1;
	if (!name.p)
		return 0;
	if (!is_ident_start(name.p[0]) || s->nvars == SCN_MAX_VARS)
		return fail(s, line, "bad variable or too many", name);
	for (size_t i = 0; i < name.n; i++)
		if (!is_ident_char(name.p[i]))
			return fail(s, line, "bad variable name", name);
	if (find_var(s, name) >= 0)
		return fail(s, line, "variable defined twice", name);
	if (copy_name(s, line, name, s->vars[s->nvars], SCN_MAX_NAME))
		return -1;
	op->defines = s->nvars++;
	return 0;
}

static int parse_op(struct scenario *s, int line, struct tok *t, int n)
{
	struct tok var = split_define(&t[0]);
	struct scn_op *op;
	int arity, nargs = n - 1;

	if (s->nops == SCN_MAX_OPS)
		return fail(s, line, "too many ops", t[0]);
	op = &s->ops[s->nops];
	memset(op, 0, sizeof(*op));
	op->line = line;
	op->file = -1;
	if (kind_of(t[0], &op->kind))
		return fail(s, line, "unknown statement", t[0]);
	arity = op_arity(op->kind);
	if (nargs == arity + 2 && tok_is(t[n - 2], "=>")) {
		if (parse_expect(s, line, t[n - 1], op))
			return -1;
		nargs = arity;
	}
	if (nargs != arity)
		return fail(s, line, "wrong number of operands", t[0]);
	if (parse_operands(s, line, &t[1], op) || declare_var(s, line, var, op))
		return -1;
	s->nops++;
	return 0;
}

static int parse_statement(struct scenario *s, int line, struct tok *t, int n)
{
	if (tok_is(t[0], "file"))
		return parse_file(s, line, t, n);
	if (tok_is(t[0], "rlimit"))
		return parse_rlimit(s, line, t, n);
	if (tok_is(t[0], "fill"))
		return parse_fill(s, line, t, n);
	if (tok_is(t[0], "privileged") || tok_is(t[0], "legacy") || tok_is(t[0], "smaps") ||
	    tok_is(t[0], "memstat")) {
		if (tok_is(t[0], "legacy"))
			s->legacy = true;
		else if (tok_is(t[0], "smaps"))
			s->smaps = true;
		else if (tok_is(t[0], "memstat"))
			s->memstat = true;
		else
			s->privileged = true;
		return n == 1 ? 0 : fail(s, line, "this statement takes no operands", t[0]);
	}
	return parse_op(s, line, t, n);
}

#define MAX_TOKS 12

/* Splits [p, end) at blanks, stopping at '#'. Returns the count, or -1. */
static int tokenize(const char *p, const char *end, struct tok *t)
{
	int n = 0;

	while (p < end && *p != '#') {
		const char *q;

		if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
			continue;
		}
		if (n == MAX_TOKS)
			return -1;
		q = p;
		while (q < end && *q != ' ' && *q != '\t' && *q != '\r' && *q != '#')
			q++;
		t[n++] = (struct tok){p, (size_t)(q - p)};
		p = q;
	}
	return n;
}

static void scn_reset(struct scenario *s)
{
	s->nfiles = s->nrlimits = s->nops = 0;
	s->privileged = s->legacy = s->fill = s->smaps = s->memstat = false;
	s->err_line = 0;
	s->err[0] = '\0';
	memcpy(s->vars[SCN_VAR_BRK0], "brk0", 5);
	s->nvars = 1;
}

int scn_parse(struct scenario *s, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int line = 0;

	scn_reset(s);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		struct tok t[MAX_TOKS];
		int n;

		if (!eol)
			eol = end;
		line++;
		n = tokenize(p, eol, t);
		if (n < 0)
			return fail(s, line, "too many tokens", (struct tok){p, 0});
		if (n > 0 && parse_statement(s, line, t, n))
			return -1;
		p = eol + 1;
	}
	return 0;
}

const char *scn_kind_name(enum scn_kind kind)
{
	return (unsigned int)kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[kind] :
										  "?";
}

bool scn_is_errno(enum scn_kind kind, long result)
{
	return kind != SCN_BRK && kind != SCN_TOUCH && kind != SCN_PEEK && kind != SCN_POKE &&
	       kind != SCN_PERSONALITY && result < 0 &&
	       result >= -4095;
}

const char *scn_errno_name(long err)
{
	for (size_t i = 0; i < NSYMS; i++) {
		if (scn_syms[i].name[0] == 'E' && scn_syms[i].value == (unsigned long)err)
			return scn_syms[i].name;
	}
	return NULL;
}

char scn_pagemap_code(uint64_t e)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuv";
	unsigned v = (unsigned)((e >> 63) & 1) | (unsigned)((e >> 62) & 1) << 1 |
		     (unsigned)((e >> 61) & 1) << 2 | (unsigned)((e >> 58) & 1) << 3 |
		     (unsigned)((e >> 56) & 1) << 4;

	return digits[v];
}
