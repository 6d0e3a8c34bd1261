/*
 * oracle_run.c - the kernel half of the oracle: ${NAME} expansion of
 * scenario texts, exec of the kernel runner, and parsing of what it wrote
 * (format in kernel_runner.c) into a struct oracle_run.
 */
#define _GNU_SOURCE
#include "oracle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef ORACLE_RUNNER_PATH
#define ORACLE_RUNNER_PATH "kernel_runner"
#endif

#define MAX_DEFS 32

static char *def_names[MAX_DEFS];
static char *def_values[MAX_DEFS];
static int ndefs;

int oracle_define(const char *name, const char *value)
{
	for (int i = 0; i < ndefs; i++) {
		if (strcmp(def_names[i], name) == 0) {
			char *v = strdup(value);

			if (!v)
				return -1;
			free(def_values[i]);
			def_values[i] = v;
			return 0;
		}
	}
	if (ndefs == MAX_DEFS)
		return -1;
	def_names[ndefs] = strdup(name);
	def_values[ndefs] = strdup(value);
	if (!def_names[ndefs] || !def_values[ndefs])
		return -1;
	ndefs++;
	return 0;
}

void oracle_undefine_all(void)
{
	for (int i = 0; i < ndefs; i++) {
		free(def_names[i]);
		free(def_values[i]);
	}
	ndefs = 0;
}

static const char *lookup_def(const char *name, size_t n)
{
	for (int i = 0; i < ndefs; i++)
		if (strlen(def_names[i]) == n && memcmp(def_names[i], name, n) == 0)
			return def_values[i];
	return NULL;
}

/* text with every ${NAME} replaced; NULL (printed) on an unknown name. */
static char *expand(const char *text)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	const char *p = text;

	if (!f)
		return NULL;
	while (*p) {
		const char *end = p[0] == '$' && p[1] == '{' ? strchr(p, '}') : NULL;
		const char *v = end ? lookup_def(p + 2, (size_t)(end - p - 2)) : NULL;

		if (end && !v) {
			fprintf(stderr, "oracle: undefined %.*s\n", (int)(end - p + 1), p);
			fclose(f);
			free(out);
			return NULL;
		}
		if (v) {
			fputs(v, f);
			p = end + 1;
		} else {
			fputc(*p++, f);
		}
	}
	fclose(f);
	return out;
}

static int write_temp(const char *text, char *path)
{
	int fd = mkstemp(path);
	size_t len = strlen(text), done = 0;

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	return close(fd);
}

static const char *runner_path(void)
{
	const char *env = getenv("UMM_KERNEL_RUNNER");

	return env && *env ? env : ORACLE_RUNNER_PATH;
}

/* fork/exec the runner; 0 if it exited with status 0. */
static int spawn_runner(const char *scn_path, const char *out_path)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl(runner_path(), runner_path(), scn_path, out_path, (char *)NULL);
		perror(runner_path());
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "oracle: kernel runner failed (status %#x)\n", status);
		return -1;
	}
	return 0;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (cap - len < 65536) {
			char *nb = realloc(buf, cap * 2 + 65536 + 1);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap = cap * 2 + 65536;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* Cursor over the runner's output. */
struct cursor {
	char *p, *end;
	bool bad;
};

static char *next_line(struct cursor *c)
{
	char *line = c->p, *nl;

	if (c->bad || !line || !*line) {
		c->bad = true;
		return "";
	}
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		c->p = nl + 1;
	} else {
		c->p = line + strlen(line);
	}
	return line;
}

/* "snap I LEN" and LEN bytes; the bytes become a NUL-terminated string
 * in place (the byte after them is the next line's first, saved first). */
static char *take_snap(struct cursor *c, int want)
{
	int i = -1;
	long len = -1;
	char *s;

	if (sscanf(next_line(c), "snap %d %ld", &i, &len) != 2 || i != want || len < 0 ||
	    (size_t)(c->end - c->p) < (size_t)len) {
		c->bad = true;
		return NULL;
	}
	s = c->p - 1; /* the '\0' that replaced "snap"'s newline */
	memmove(s, c->p, (size_t)len);
	s[len] = '\0';
	c->p += len;
	return s;
}

static struct umm_rlimit *rlimit_slot(struct oracle_run *run, int resource)
{
	switch (resource) {
	case 9: return &run->rl_as;
	case 2: return &run->rl_data;
	case 8: return &run->rl_memlock;
	case 3: return &run->rl_stack;
	default: return NULL;
	}
}

static void parse_header(struct cursor *c, struct oracle_run *run)
{
	int r, a = 0, b = 0, d = 0, e = 0;
	char layout[16] = "";

	if (strcmp(next_line(c), "runner 1") != 0 ||
	    sscanf(next_line(c), "layout %15s", layout) != 1 ||
	    sscanf(next_line(c), "caps %d %d %d %d", &a, &b, &d, &e) != 4)
		c->bad = true;
	run->legacy = strcmp(layout, "legacy") == 0;
	run->cap_sys_rawio = a;
	run->cap_ipc_lock = b;
	run->cap_sys_admin = d;
	run->cap_sys_resource = e;
	for (int i = 0; i < 4 && !c->bad; i++) {
		unsigned long cur, max;
		struct umm_rlimit *slot;

		if (sscanf(next_line(c), "rlimit %d %lu %lu", &r, &cur, &max) != 3 ||
		    !(slot = rlimit_slot(run, r)))
			c->bad = true;
		else
			*slot = (struct umm_rlimit){cur, max};
	}
	if (sscanf(next_line(c), "brk0 %lx", &run->brk0) != 1 ||
	    sscanf(next_line(c), "stat %lx %lx %lx %lx %lx", &run->start_brk, &run->start_stack,
		   &run->end_data, &run->start_code, &run->end_code) != 5)
		c->bad = true;
}

/* With "memstat": "mem I VMPTE RSSANON RSSSHMEM MINFLT PAGEMAP". */
static void take_mem(struct cursor *c, struct oracle_run *run, int want)
{
	int i = -1;

	if (!run->scn->memstat || c->bad)
		return;
	if (sscanf(next_line(c), "mem %d %ld %ld %ld %ld %64s", &i, &run->vm_pte[want],
		   &run->rss_anon[want], &run->rss_shmem[want], &run->min_flt[want],
		   run->pagemap[want]) != 6 || i != want || run->vm_pte[want] < 0 ||
	    run->rss_anon[want] < 0 || run->rss_shmem[want] < 0)
		c->bad = true;
	if (!c->bad && sscanf(next_line(c), "vm %d %ld %ld %ld %ld %ld %ld", &i, &run->vm[want][0],
			      &run->vm[want][1], &run->vm[want][2], &run->vm[want][3],
			      &run->vm[want][4], &run->vm[want][5]) != 7)
		c->bad = true;
	if (!c->bad &&
	    sscanf(next_line(c), "rollup %d %ld %ld %ld %ld %ld", &i, &run->rollup[want][0],
		   &run->rollup[want][1], &run->rollup[want][2], &run->rollup[want][3],
		   &run->rollup[want][4]) != 6)
		c->bad = true;
	if (want > 0 && !c->bad && run->scn->ops[want - 1].kind == SCN_MINCORE &&
	    (sscanf(next_line(c), "vec %d %64s", &i, run->mincore[want]) != 2 || i != want))
		c->bad = true;
}

static int parse_output(struct oracle_run *run)
{
	struct cursor c = {run->raw, run->raw + strlen(run->raw), false};
	int n = run->scn->nops;

	parse_header(&c, run);
	run->maps[0] = take_snap(&c, 0);
	take_mem(&c, run, 0);
	for (int i = 0; i < n && !c.bad; i++) {
		int idx = -1;

		if (sscanf(next_line(&c), "res %d %ld", &idx, &run->results[i]) != 2 || idx != i)
			c.bad = true;
		run->maps[i + 1] = take_snap(&c, i + 1);
		take_mem(&c, run, i + 1);
	}
	if (c.bad || strcmp(next_line(&c), "end") != 0) {
		fprintf(stderr, "oracle: cannot parse the kernel runner's output\n");
		return -1;
	}
	return 0;
}

static int alloc_run(struct oracle_run *run, const char *text)
{
	memset(run, 0, sizeof(*run));
	run->scn = malloc(sizeof(*run->scn));
	if (!run->scn)
		return -1;
	if (scn_parse(run->scn, text, strlen(text))) {
		fprintf(stderr, "oracle: scenario line %d: %s\n", run->scn->err_line, run->scn->err);
		return -1;
	}
	run->results = calloc((size_t)run->scn->nops + 1, sizeof(long));
	run->maps = calloc((size_t)run->scn->nops + 1, sizeof(char *));
	run->vm_pte = calloc((size_t)run->scn->nops + 1, sizeof(long));
	run->rss_anon = calloc((size_t)run->scn->nops + 1, sizeof(long));
	run->rss_shmem = calloc((size_t)run->scn->nops + 1, sizeof(long));
	run->vm = calloc((size_t)run->scn->nops + 1, sizeof(*run->vm));
	run->rollup = calloc((size_t)run->scn->nops + 1, sizeof(*run->rollup));
	run->min_flt = calloc((size_t)run->scn->nops + 1, sizeof(long));
	run->mincore = calloc((size_t)run->scn->nops + 1, sizeof(*run->mincore));
	run->pagemap = calloc((size_t)run->scn->nops + 1, sizeof(*run->pagemap));
	return run->results && run->maps && run->vm_pte && run->rss_anon && run->rss_shmem && run->vm && run->rollup && run->min_flt &&
			       run->mincore && run->pagemap ? 0 : -1;
}

static int run_in_temp(const char *text, struct oracle_run *run)
{
	char scn_path[] = "/tmp/umm-scn-XXXXXX", out_path[] = "/tmp/umm-out-XXXXXX";
	int fd = mkstemp(out_path), rc = -1;

	if (fd < 0)
		return -1;
	close(fd);
	if (write_temp(text, scn_path) == 0) {
		if (spawn_runner(scn_path, out_path) == 0) {
			run->raw = read_all(out_path);
			rc = run->raw ? parse_output(run) : -1;
		}
		unlink(scn_path);
	}
	unlink(out_path);
	return rc;
}

int oracle_kernel_run(const char *text, struct oracle_run *run)
{
	char *full = expand(text);
	int rc = -1;

	memset(run, 0, sizeof(*run));
	if (full && alloc_run(run, full) == 0)
		rc = run_in_temp(full, run);
	free(full);
	if (rc)
		oracle_run_free(run);
	return rc;
}

void oracle_run_free(struct oracle_run *run)
{
	free(run->scn);
	free(run->results);
	free(run->maps);
	free(run->vm_pte);
	free(run->rss_anon);
	free(run->rss_shmem);
	free(run->vm);
	free(run->rollup);
	free(run->min_flt);
	free(run->mincore);
	free(run->pagemap);
	free(run->raw);
	memset(run, 0, sizeof(*run));
}

char *oracle_make_file(const char *dir, unsigned long size)
{
	size_t n = strlen(dir) + 32;
	char *path = malloc(n);
	int fd;

	if (!path)
		return NULL;
	snprintf(path, n, "%s/umm-file-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}
