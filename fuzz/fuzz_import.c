/*
 * fuzz_import.c - libFuzzer harness for umm_maps_import: the input is a
 * /proc/PID/maps or smaps text, imported into a fresh address space.
 * When the import succeeds the space must survive a round trip: its
 * smaps text, imported into a second fresh space, must give byte-identical
 * smaps text, and its maps text likewise byte-identical maps text (maps
 * lines do not carry VmFlags, so they are compared as maps). umm_maps_infer_mmap_base runs on the
 * input too.
 *
 * Lines starting with '#' are taken out first, as usermm replay does with
 * its snapshots; "# usermm: start_brk=... brk=... start_stack=...
 * mmap_base=..." gives the import options (used for every import here)
 * and mmap_base.
 *
 * Both spaces get the same config: umm_config_init()'s defaults, with
 * mmap_base from the header or else inferred from the text (as usermm
 * replay does) when that gives a usable address, pkeys on when the text
 * has ProtectionKey lines and anon_vma_name on when it has [anon names.
 *
 * FUZZ_PRINT=1 prints the texts of a failed round trip in full.
 */
#define _GNU_SOURCE
#include "usermm.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_mm(struct umm_mm *mm, const char *what)
{
	char msg[512];

	if (umm_mm_check(mm, msg, sizeof(msg))) {
		fprintf(stderr, "fuzz_import: umm_mm_check failed (%s): %s\n", what, msg);
		abort();
	}
}

/* The first line where a and b differ, for the message. */
static void report_diff(const char *what, const char *a, const char *b)
{
	int line = 1;
	const char *la = a, *lb = b;

	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++;
		b++;
	}
	fprintf(stderr,
		"fuzz_import: round trip changed the text (%s), first difference on line %d:\n"
		"  first:  %.*s\n  second: %.*s\n",
		what, line, (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
}

static struct umm_import_opts iopts;

/* tools/replay.c's strip_header: '#' lines out, "# usermm:" read. */
static void strip_header(char *text, unsigned long *base)
{
	char *o = text;

	for (const char *s = text; *s;) {
		size_t n = strcspn(s, "\n");
		size_t nl = s[n] == '\n';

		if (*s != '#') {
			memmove(o, s, n + nl);
			o += n + nl;
		} else if (!strncmp(s, "# usermm:", 9)) {
			const char *t;

			if ((t = strstr(s, "start_brk=")) && t < s + n)
				iopts.start_brk = strtoul(t + 10, NULL, 16);
			if ((t = strstr(s, " brk=")) && t < s + n)
				iopts.brk = strtoul(t + 5, NULL, 16);
			if ((t = strstr(s, "start_stack=")) && t < s + n)
				iopts.start_stack = strtoul(t + 12, NULL, 16);
			if ((t = strstr(s, "mmap_base=")) && t < s + n)
				*base = strtoul(t + 10, NULL, 16);
		}
		s += n + nl;
	}
	*o = 0;
}

static struct umm_mm *import(const struct umm_config *cfg, const char *text, int *rc,
			     int *bad)
{
	struct umm_mm *mm = umm_mm_create(cfg);

	if (!mm)
		abort();
	*rc = umm_maps_import(mm, text, &iopts, bad);
	check_mm(mm, "after import");
	return mm;
}

/* text1 (the first space's smaps or maps text) imported into a second
 * space must give the same text of the same kind back. */
static void round_trip(const struct umm_config *cfg, const char *via, const char *text1,
		       bool smaps)
{
	struct umm_mm *mm2;
	char *text2;
	int rc, bad;

	mm2 = import(cfg, text1, &rc, &bad);
	if (rc) {
		fprintf(stderr, "fuzz_import: re-import of the %s text failed: %d (line %d)\n", via,
			rc, bad);
		if (getenv("FUZZ_PRINT"))
			fprintf(stderr, "--- the %s text:\n%s---\n", via, text1);
		abort();
	}
	text2 = smaps ? umm_smaps_string(mm2) : umm_maps_string(mm2);
	if (!text2)
		abort();
	if (strcmp(text1, text2)) {
		report_diff(via, text1, text2);
		if (getenv("FUZZ_PRINT"))
			fprintf(stderr, "--- first %s:\n%s--- second %s:\n%s---\n", via, text1, via,
				text2);
		abort();
	}
	free(text2);
	umm_mm_destroy(mm2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *smaps1, *maps1;
	struct umm_config cfg;
	struct umm_mm *mm;
	unsigned long base = 0;
	int rc, bad;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;

	memset(&iopts, 0, sizeof(iopts));
	/* the raw text first (comments and all), then the stripped one */
	(void)umm_maps_infer_mmap_base(text);
	strip_header(text, &base);
	if (!base)
		base = umm_maps_infer_mmap_base(text);
	umm_config_init(&cfg);
	cfg.pkeys = strstr(text, "ProtectionKey") != NULL;
	cfg.anon_vma_name = strstr(text, "[anon") != NULL;
	if (base && !(base & 4095) && base < cfg.task_size && base > (1UL << 32)) {
		struct umm_mm *probe;

		cfg.mmap_base = base;
		probe = umm_mm_create(&cfg);
		if (probe)
			umm_mm_destroy(probe);
		else
			cfg.mmap_base = 0;
	}

	mm = import(&cfg, text, &rc, &bad);
	if (getenv("FUZZ_PRINT"))
		fprintf(stderr, "fuzz_import: inferred mmap_base %#lx, import = %d (bad line %d)\n",
			base, rc, bad);
	if (rc == 0) {
		smaps1 = umm_smaps_string(mm);
		maps1 = umm_maps_string(mm);
		if (!smaps1 || !maps1)
			abort();
		round_trip(&cfg, "smaps", smaps1, true);
		round_trip(&cfg, "maps", maps1, false);
		free(smaps1);
		free(maps1);
	}
	umm_mm_destroy(mm);
	free(text);
	return 0;
}
