/*
 * test_pku_recorded.c - usermm with protection keys (cfg.pkeys) against
 * a kernel that has them. This machine's CPU has no PKU, so the kernel's
 * answers were recorded once under qemu (scripts/pku_record.sh: Debian's
 * 6.12 kernel, -cpu max) into tests/pku/pku.expected; this test runs the
 * same calls (tests/pku/pku_ops.h) on an empty usermm space and compares
 * the whole text: every result, si_code and si_pkey, the PKRU after each
 * call and every VMA of the window with its key.
 *
 * The guest kernel is 6.12, not 6.18; the calls avoid what changed in
 * between (mremap's multi-VMA move, 6.17).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/mm.h"
#include "core/vma.h"
#include "pku/pku_ops.h"

#define EXPECTED UMM_SOURCE_DIR "/tests/pku/pku.expected"

static long run(struct umm_mm *mm, const struct pku_op *op, struct umm_fault_info *fi)
{
	int access;

	switch (op->kind) {
	case PK_MMAP:
		return umm_mmap(mm, op->a, op->b, (int)op->c,
				UMM_MAP_PRIVATE | UMM_MAP_ANONYMOUS | UMM_MAP_FIXED, NULL, 0);
	case PK_MPROTECT: return umm_mprotect(mm, op->a, op->b, (int)op->c);
	case PK_PKEY_MPROTECT: return umm_pkey_mprotect(mm, op->a, op->b, (int)op->c, (int)op->d);
	case PK_ALLOC: return umm_pkey_alloc(mm, op->a, op->b);
	case PK_FREE: return umm_pkey_free(mm, (int)op->a);
	case PK_WRPKRU: return umm_pkru_set(mm, (unsigned int)op->a);
	case PK_TOUCH:
		access = op->b == P_W ? UMM_ACCESS_WRITE : op->b == P_R ? UMM_ACCESS_READ
								     : UMM_ACCESS_EXEC;
		return umm_fault(mm, op->a, access, fi);
	case PK_MADVISE: return umm_madvise(mm, op->a, op->b, (int)op->c);
	case PK_MLOCK: return umm_mlock(mm, op->a, op->b);
	case PK_MINCORE: return umm_mincore_user(mm, op->a, op->b, op->c, NULL);
	case PK_MREMAP:
		return umm_mremap(mm, op->a, op->b, op->c, 3 /* MREMAP_MAYMOVE | MREMAP_FIXED */,
				  op->d);
	}
	return -EINVAL;
}

static void print_vmas(struct umm_mm *mm, FILE *out)
{
	struct umm_vma_iter it;
	struct umm_vma_info vi;

	umm_vma_iter_init(&it, mm, PKU_BASE);
	while (umm_vma_iter_next(&it, &vi) && vi.start < PKU_END)
		fprintf(out, "vma %lx-%lx %c%c%c%c key %llu\n", vi.start, vi.end,
			vi.vm_flags & UMM_VM_READ ? 'r' : '-', vi.vm_flags & UMM_VM_WRITE ? 'w' : '-',
			vi.vm_flags & UMM_VM_EXEC ? 'x' : '-', vi.vm_flags & UMM_VM_SHARED ? 's' : 'p',
			(vi.vm_flags & UMM_VM_PKEY_MASK) >> UMM_VM_PKEY_SHIFT);
}

/* usermm's text, as pku_probe.c prints the kernel's. */
static char *usermm_text(void)
{
	struct umm_config c;
	struct umm_mm *mm;
	struct umm_fault_info fi;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	umm_config_init(&c);
	c.pkeys = true;
	c.cap_ipc_lock = true; /* init runs as root */
	mm = umm_mm_create(&c);
	assert_non_null(mm);
	assert_non_null(out);
	fprintf(out, "pkru 0x%x\n", umm_pkru_get(mm));
	for (unsigned long i = 0; i < PKU_NOPS; i++) {
		long r = run(mm, &pku_ops[i], &fi);

		fprintf(out, "op %lu %s = %ld", i, pku_kind_names[pku_ops[i].kind], r);
		if (pku_ops[i].kind == PK_TOUCH && UMM_FAULT_CODE(r) == UMM_SEGV_PKUERR &&
		    UMM_FAULT_SIGNO(r) == UMM_SIGSEGV)
			fprintf(out, " pkey %d", fi.pkey);
		fprintf(out, "\npkru 0x%x\n", umm_pkru_get(mm));
		print_vmas(mm, out);
	}
	fclose(out);
	assert_int_equal(umm_mm_check(mm, NULL, 0), 0);
	umm_mm_destroy(mm);
	return text;
}

/* The recording without its markers and comment lines. */
static char *kernel_text(void)
{
	FILE *f = fopen(EXPECTED, "r");
	char line[256], *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && strncmp(line, "===", 3) != 0)
			fputs(line, out);
	fclose(f);
	fclose(out);
	return text;
}

static void same_as_recorded_kernel(void **state)
{
	char *want = kernel_text(), *got = usermm_text();
	char *w = want, *g = got;
	int line = 1;

	(void)state;
	while (*w && *w == *g) {
		line += *w == '\n';
		w++;
		g++;
	}
	if (*w || *g) {
		fprintf(stderr, "first difference at line %d\nkernel: %.200s\nusermm: %.200s\n", line,
			w, g);
		fail();
	}
	free(want);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_recorded_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
