/*
 * test_access.c - guest access (umm_translate, umm_read, umm_write,
 * umm_access_process_vm): what an emulator's loads and stores see.
 * What the kernel does was measured with the same accesses made by a
 * process on itself (plain loads and stores, and /proc/self/mem for the
 * forced ones): MADV_DONTNEED memory reads back as zeros, a lazily freed
 * page written again survives MADV_PAGEOUT, /proc/PID/mem writes a
 * read-only private mapping and reads a PROT_NONE one but not a shared
 * read-only one (EIO), and stops at a guard marker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "usermm.h"

#include <errno.h>
#include <string.h>

#define A 0x300000000000UL
#define PAGE 4096UL
#define PA (UMM_MAP_PRIVATE | UMM_MAP_ANONYMOUS | UMM_MAP_FIXED)
#define SA (UMM_MAP_SHARED | UMM_MAP_ANONYMOUS | UMM_MAP_FIXED)
#define RW (UMM_PROT_READ | UMM_PROT_WRITE)
#define MAPERR UMM_FAULT_SIGNAL(UMM_SIGSEGV, UMM_SEGV_MAPERR)
#define ACCERR UMM_FAULT_SIGNAL(UMM_SIGSEGV, UMM_SEGV_ACCERR)

static struct umm_mm *space(void)
{
	struct umm_mm *mm = umm_mm_create(NULL);

	assert_non_null(mm);
	return mm;
}

static void map(struct umm_mm *mm, unsigned long addr, unsigned long len, int prot, int flags)
{
	assert_int_equal(umm_mmap(mm, addr, len, prot, flags, NULL, 0), (long)addr);
}

static void translate_and_generation(void **state)
{
	struct umm_file_desc desc = {.path = "/data", .ino = 7, .size = 1 << 20,
				     .mode = UMM_FILE_READ | UMM_FILE_WRITE, .kind = UMM_FILE_REGULAR};
	struct umm_file *file = umm_file_create(&desc);
	struct umm_mm *mm = space();
	unsigned char *r, *w;
	size_t left;
	uint64_t gen;

	(void)state;
	map(mm, A, 4 * PAGE, RW, PA);
	gen = umm_mm_generation(mm);
	assert_int_equal(umm_translate(mm, A + 10, UMM_ACCESS_READ, (void **)&r, &left), 0);
	assert_int_equal(left, PAGE - 10);
	assert_int_equal(*r, 0);
	/* Filling an empty entry leaves earlier pointers valid. */
	assert_int_equal(umm_mm_generation(mm), gen);
	/* The write replaces the zero page: the read pointer is stale. */
	assert_int_equal(umm_translate(mm, A + 10, UMM_ACCESS_WRITE, (void **)&w, &left), 0);
	assert_true(umm_mm_generation(mm) != gen);
	assert_ptr_not_equal(r, w);
	*w = 0x77;
	gen = umm_mm_generation(mm);
	assert_int_equal(umm_translate(mm, A + 10, UMM_ACCESS_READ, (void **)&r, NULL), 0);
	assert_ptr_equal(r, w);
	assert_int_equal(umm_mm_generation(mm), gen);
	assert_int_equal(umm_mprotect(mm, A, PAGE, UMM_PROT_READ), 0);
	assert_true(umm_mm_generation(mm) != gen);
	assert_int_equal(umm_translate(mm, A, UMM_ACCESS_WRITE, (void **)&w, &left), ACCERR);
	assert_null(w);
	assert_int_equal(left, 0);
	assert_int_equal(umm_translate(mm, A + 8 * PAGE, UMM_ACCESS_READ, (void **)&r, NULL), MAPERR);
	assert_int_equal(umm_translate(mm, A, 3, (void **)&r, NULL), -EINVAL);
	/* Shared memory has pages; a file's page cache is not modelled. */
	map(mm, A + 16 * PAGE, PAGE, RW, SA);
	assert_int_equal(umm_translate(mm, A + 16 * PAGE, UMM_ACCESS_READ, (void **)&r, NULL), 0);
	assert_int_equal(*r, 0);
	assert_int_equal(umm_mmap(mm, A + 20 * PAGE, PAGE, RW, UMM_MAP_SHARED | UMM_MAP_FIXED, file, 0),
			 (long)(A + 20 * PAGE));
	assert_int_equal(umm_translate(mm, A + 20 * PAGE, UMM_ACCESS_READ, (void **)&r, NULL),
			 -EOPNOTSUPP);
	umm_file_put(file);
	umm_mm_destroy(mm);
}

/* Copies cross pages and stop at the first byte that faults. */
static void read_write_stop_at_fault(void **state)
{
	struct umm_mm *mm = space();
	unsigned char in[3 * PAGE], out[3 * PAGE];
	long fault = 1;

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7);
	map(mm, A, 2 * PAGE, RW, PA);
	map(mm, A + 2 * PAGE, PAGE, UMM_PROT_READ, PA);
	assert_int_equal(umm_write(mm, A + 100, in, 2 * PAGE, &fault), 2 * PAGE - 100);
	assert_int_equal(fault, ACCERR);
	assert_int_equal(umm_read(mm, A + 100, out, 3 * PAGE, &fault), 3 * PAGE - 100);
	assert_int_equal(fault, MAPERR);
	assert_memory_equal(out, in, 2 * PAGE - 100);
	assert_int_equal(out[2 * PAGE - 100], 0); /* the read-only page: zeros */
	assert_int_equal(umm_read(mm, A, out, 0, &fault), 0);
	assert_int_equal(fault, 0);
	assert_int_equal(umm_read(mm, A, NULL, 1, &fault), -EINVAL);
	assert_int_equal(umm_read(mm, ~0UL - 10, out, 100, &fault), -EINVAL);
	umm_mm_destroy(mm);
}

/* The bug that crashed jemalloc and Redis under an emulator: memory
 * given back with MADV_DONTNEED must read as zeros. MADV_FREE keeps the
 * data until reclaim; a write since keeps it through MADV_PAGEOUT. */
static void dontneed_and_free_contents(void **state)
{
	struct umm_mm *mm = space();
	unsigned char buf[PAGE], zero[PAGE] = { 0 };

	(void)state;
	memset(buf, 0xab, sizeof(buf));
	map(mm, A, 4 * PAGE, RW, PA);
	for (int i = 0; i < 4; i++)
		assert_int_equal(umm_write(mm, A + i * PAGE, buf, PAGE, NULL), PAGE);
	assert_int_equal(umm_madvise(mm, A, PAGE, UMM_MADV_DONTNEED), 0);
	assert_int_equal(umm_read(mm, A, buf, PAGE, NULL), PAGE);
	assert_memory_equal(buf, zero, PAGE);
	assert_int_equal(umm_madvise(mm, A + PAGE, 3 * PAGE, UMM_MADV_FREE), 0);
	assert_int_equal(umm_read(mm, A + PAGE, buf, 1, NULL), 1);
	assert_int_equal(buf[0], 0xab);
	assert_int_equal(umm_write(mm, A + 2 * PAGE, "x", 1, NULL), 1);
	assert_int_equal(umm_madvise(mm, A, 4 * PAGE, UMM_MADV_PAGEOUT), 0);
	assert_int_equal(umm_read(mm, A + PAGE, buf, PAGE, NULL), PAGE);
	assert_memory_equal(buf, zero, PAGE);
	assert_int_equal(umm_read(mm, A + 2 * PAGE, buf, 2, NULL), 2);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(buf[1], 0xab);
	umm_mm_destroy(mm);
}

/* A store below a stack grows it, as the CPU's fault would. */
static void write_grows_stack(void **state)
{
	struct umm_mm *mm = space();
	long fault;

	(void)state;
	map(mm, A + 16 * PAGE, 4 * PAGE, RW, PA | UMM_MAP_GROWSDOWN);
	assert_int_equal(umm_write(mm, A + 15 * PAGE, "ab", 2, &fault), 2);
	assert_int_equal(fault, 0);
	assert_true(umm_mm_pte(mm, A + 15 * PAGE) & UMM_PTE_DIRTY);
	umm_mm_destroy(mm);
}

static void forced_access(void **state)
{
	struct umm_mm *mm = space();
	struct umm_mm_stats st;
	char buf[16] = "";
	long fault;

	(void)state;
	map(mm, A, 2 * PAGE, UMM_PROT_READ, PA);
	map(mm, A + 4 * PAGE, 2 * PAGE, UMM_PROT_NONE, PA);
	map(mm, A + 8 * PAGE, 2 * PAGE, UMM_PROT_READ, SA);
	map(mm, A + 12 * PAGE, 2 * PAGE, RW, PA);
	assert_int_equal(umm_madvise(mm, A + 13 * PAGE, PAGE, UMM_MADV_GUARD_INSTALL), 0);
	/* Into a read-only private mapping: the page is copied, the process
	 * sees it and still may not write it. */
	assert_int_equal(umm_access_process_vm(mm, A, "hello", 5, true), 5);
	assert_int_equal(umm_read(mm, A, buf, 5, NULL), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_false(umm_mm_pte(mm, A) & UMM_PTE_RW);
	assert_int_equal(umm_write(mm, A, "j", 1, &fault), 0);
	assert_int_equal(fault, ACCERR);
	/* A second forced write claims the page it made, no copy. */
	assert_int_equal(umm_access_process_vm(mm, A + 5, "!", 1, true), 1);
	assert_int_equal(umm_access_process_vm(mm, A, buf, 6, false), 6);
	assert_memory_equal(buf, "hello!", 6);
	/* PROT_NONE reads and writes; shared read-only refuses writes. */
	assert_int_equal(umm_access_process_vm(mm, A + 4 * PAGE, "xy", 2, true), 2);
	assert_int_equal(umm_access_process_vm(mm, A + 4 * PAGE, buf, 2, false), 2);
	assert_memory_equal(buf, "xy", 2);
	assert_int_equal(umm_access_process_vm(mm, A + 8 * PAGE, "zz", 2, true), 0);
	/* Up to the guard marker, then stop; holes stop too. */
	assert_int_equal(umm_access_process_vm(mm, A + 13 * PAGE - 6, "0123456789", 10, true), 6);
	assert_int_equal(umm_access_process_vm(mm, A + 2 * PAGE, buf, 4, false), 0);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.min_flt, 0); /* the forced faults were the accessor's */
	umm_mm_destroy(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(translate_and_generation),
		cmocka_unit_test(read_write_stop_at_fault),
		cmocka_unit_test(dontneed_and_free_contents),
		cmocka_unit_test(write_grows_stack),
		cmocka_unit_test(forced_access),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
