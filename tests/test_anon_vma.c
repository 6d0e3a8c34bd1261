/*
 * test_anon_vma.c - the anon_vma objects as the kernel's rmap.c keeps
 * them (white-box: the counts are not public): a root at the first
 * write, shared by the pieces of a split, a child per forked VMA chained
 * to its parent's, an ancestor no VMA uses reused by a later fork, and
 * the merge rules they decide. The merges themselves are checked
 * against the kernel by test_fork, the oracle and difftest's forks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "usermm.h"
#include "core/anon_vma.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/vma.h"

#define A 0x300000000000UL
#define PAGE 4096UL
#define RW (UMM_PROT_READ | UMM_PROT_WRITE)
#define PAF (UMM_MAP_PRIVATE | UMM_MAP_ANONYMOUS | UMM_MAP_FIXED)

static struct vma *vma_at(struct umm_mm *mm, unsigned long addr)
{
	struct vma *v = vma_lookup(mm, addr);

	assert_non_null(v);
	return v;
}

static long count(const long *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

static void write_at(struct umm_mm *mm, unsigned long addr)
{
	assert_int_equal(umm_fault(mm, addr, UMM_ACCESS_WRITE, NULL), 0);
}

/* The first write makes a root; a split shares it and its chain. */
static void root_and_split(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL);
	struct anon_vma *av;

	(void)state;
	assert_int_equal(umm_mmap(mm, A, 8 * PAGE, RW, PAF, NULL, 0), (long)A);
	assert_null(vma_at(mm, A)->anon_vma);
	write_at(mm, A);
	av = vma_at(mm, A)->anon_vma;
	assert_non_null(av);
	assert_ptr_equal(av->root, av);
	assert_ptr_equal(av->parent, av);
	assert_int_equal(count(&av->num_children), 1); /* itself */
	assert_int_equal(count(&av->num_active_vmas), 1);
	assert_int_equal(vma_at(mm, A)->anon_chain->n, 1);
	assert_int_equal(umm_mprotect(mm, A + 4 * PAGE, 4 * PAGE, UMM_PROT_READ), 0);
	assert_ptr_equal(vma_at(mm, A + 4 * PAGE)->anon_vma, av);
	assert_ptr_equal(vma_at(mm, A + 4 * PAGE)->anon_chain, vma_at(mm, A)->anon_chain);
	assert_int_equal(count(&av->num_active_vmas), 2);
	assert_int_equal(count(&av->links), 2);
	/* Merged back: one VMA again. */
	assert_int_equal(umm_mprotect(mm, A + 4 * PAGE, 4 * PAGE, RW), 0);
	assert_ptr_equal(vma_at(mm, A + 4 * PAGE), vma_at(mm, A));
	assert_int_equal(count(&av->num_active_vmas), 1);
	umm_mm_destroy(mm);
}

/* A forked VMA gets a child anon_vma, chained after the parent's; a
 * fresh neighbour in the child does not take it (6.18). */
static void fork_chains(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL), *child = NULL;
	struct anon_vma *pav, *cav;
	struct vma *cv;

	(void)state;
	assert_int_equal(umm_mmap(mm, A, 4 * PAGE, RW, PAF, NULL, 0), (long)A);
	write_at(mm, A);
	pav = vma_at(mm, A)->anon_vma;
	assert_int_equal(umm_mm_fork(mm, &child), 0);
	cv = vma_at(child, A);
	cav = cv->anon_vma;
	assert_non_null(cav);
	assert_true(cav != pav);
	assert_ptr_equal(cav->parent, pav);
	assert_ptr_equal(cav->root, pav);
	assert_int_equal(cv->anon_chain->n, 2);
	assert_ptr_equal(cv->anon_chain->avs[0], pav);
	assert_ptr_equal(cv->anon_chain->avs[1], cav);
	assert_int_equal(count(&pav->num_children), 2);
	assert_int_equal(count(&pav->links), 2); /* both spaces' VMAs chain it */
	assert_int_equal(umm_mmap(child, A + 4 * PAGE, 4 * PAGE, RW, PAF, NULL, 0),
			 (long)(A + 4 * PAGE));
	assert_int_equal(vma_at(child, A + 4 * PAGE)->vm_start, A + 4 * PAGE);
	/* In the parent the same mmap merges. */
	assert_int_equal(umm_mmap(mm, A + 4 * PAGE, 4 * PAGE, RW, PAF, NULL, 0),
			 (long)(A + 4 * PAGE));
	assert_int_equal(vma_at(mm, A + 4 * PAGE)->vm_start, A);
	/* The child gone, the parent's anon_vma has its own link only. */
	umm_mm_destroy(child);
	assert_int_equal(count(&pav->num_children), 1);
	assert_int_equal(count(&pav->links), 1);
	umm_mm_destroy(mm);
}

/* P forks C, C forks G, C's VMA goes: C's anon_vma has no VMA and one
 * child, so G's fork GG reuses it (anon_vma_clone) instead of making a
 * new one, and its chain is G's. */
static void fork_reuses_idle_ancestor(void **state)
{
	struct umm_mm *p = umm_mm_create(NULL), *c = NULL, *g = NULL, *gg = NULL;
	struct anon_vma *cav;
	unsigned char b = 7;

	(void)state;
	assert_int_equal(umm_mmap(p, A, 4 * PAGE, RW, PAF, NULL, 0), (long)A);
	assert_int_equal(umm_write(p, A, &b, 1, NULL), 1);
	b = 0;
	assert_int_equal(umm_mm_fork(p, &c), 0);
	cav = vma_at(c, A)->anon_vma;
	assert_int_equal(umm_mm_fork(c, &g), 0);
	assert_int_equal(vma_at(g, A)->anon_chain->n, 3);
	assert_int_equal(count(&cav->num_children), 1);
	umm_mm_destroy(c);
	assert_int_equal(count(&cav->num_active_vmas), 0);
	assert_int_equal(umm_mm_fork(g, &gg), 0);
	assert_ptr_equal(vma_at(gg, A)->anon_vma, cav);
	assert_ptr_equal(vma_at(gg, A)->anon_chain, vma_at(g, A)->anon_chain);
	/* The bytes are still the family's. */
	assert_int_equal(umm_read(gg, A, &b, 1, NULL), 1);
	assert_int_equal(b, 7);
	umm_mm_destroy(gg);
	umm_mm_destroy(g);
	umm_mm_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(root_and_split),
		cmocka_unit_test(fork_chains),
		cmocka_unit_test(fork_reuses_idle_ancestor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
