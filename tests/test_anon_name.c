/*
 * test_anon_name.c - umm_set_anon_name with cfg.anon_vma_name on, and the
 * names in merging, maps, the VMA snapshot and maps import.
 *
 * NOT KERNEL-MEASURED: this machine's kernel is built without
 * CONFIG_ANON_VMA_NAME (prctl(PR_SET_VMA, ...) is EINVAL for everything;
 * test_oracle_anon_name.c checks that), so these expectations come from
 * reading the Linux 6.18 source: set_anon_vma_name, madvise_set_anon_name,
 * madvise_walk_vmas, madvise_vma_behavior and madvise_update_vma
 * (mm/madvise.c), is_mergeable_vma and vma_modify (mm/vma.c),
 * get_vma_name (fs/proc/task_mmu.c), strndup_user (mm/util.c) and
 * special_mapping_split. Only the tests marked "kernel" ask this machine.
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
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/anon_name.h"
#include "core/lookup.h"
#include "core/mm.h"
#include "core/vma.h"

#define A 0x200000000000UL
#define K4 0x1000UL
#define K16 0x4000UL
#define K64 0x10000UL
#define PA (UMM_MAP_PRIVATE | UMM_MAP_ANONYMOUS)
#define PAF (PA | UMM_MAP_FIXED)
#define SA (UMM_MAP_SHARED | UMM_MAP_ANONYMOUS)
#define RW (UMM_PROT_READ | UMM_PROT_WRITE)

static struct umm_mm *named_mm(unsigned long max_map_count)
{
	struct umm_config c;
	struct umm_mm *mm;

	umm_config_init(&c);
	c.anon_vma_name = true;
	if (max_map_count)
		c.max_map_count = max_map_count;
	mm = umm_mm_create(&c);
	assert_non_null(mm);
	return mm;
}

static void done(struct umm_mm *mm)
{
	char msg[256];

	assert_int_equal(umm_mm_check(mm, msg, sizeof(msg)), 0);
	umm_mm_destroy(mm);
}

/* The maps text as "start-end perms name" lines, for short comparisons. */
static char *compact_maps(struct umm_mm *mm)
{
	char *text = umm_maps_string(mm), *out = calloc(1, strlen(text) + 1), *o = out;

	assert_non_null(out);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char range[64], perms[8];
		int used = 0;

		assert_int_equal(sscanf(line, "%63s %7s %*s %*s %*s %n", range, perms, &used), 2);
		o += sprintf(o, "%s %s%s%s\n", range, perms, line[used] ? " " : "", line + used);
	}
	free(text);
	return out;
}

static void maps_are(struct umm_mm *mm, const char *want)
{
	char *got = compact_maps(mm);

	assert_string_equal(got, want);
	free(got);
}

static void map_fixed(struct umm_mm *mm, unsigned long addr, unsigned long len)
{
	assert_int_equal(umm_mmap(mm, addr, len, RW, PAF, NULL, 0), (long)addr);
}

/* A read-only handle on a 64 KiB disk file, /tmp/f. */
static struct umm_file *regular_file(void)
{
	struct umm_file_desc d = { .path = "/tmp/f", .ino = 7, .size = K64,
				   .mode = UMM_FILE_READ, .kind = UMM_FILE_REGULAR };
	struct umm_file *f = umm_file_create(&d);

	assert_non_null(f);
	return f;
}

/* Maps the read-only file f privately at addr. */
static void map_file(struct umm_mm *mm, unsigned long addr, struct umm_file *f)
{
	assert_int_equal(umm_mmap(mm, addr, K16, UMM_PROT_READ, UMM_MAP_PRIVATE | UMM_MAP_FIXED, f, 0),
			 (long)addr);
}

/* API contract: the default configuration is this kernel's, which refuses
 * everything (kernel: see test_oracle_anon_name.c). */
static void off_refuses_everything(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL);

	(void)state;
	map_fixed(mm, A, K64);
	assert_int_equal(umm_set_anon_name(mm, A, K64, "x"), -EINVAL);
	assert_int_equal(umm_set_anon_name(mm, A, K64, NULL), -EINVAL);
	assert_int_equal(umm_set_anon_name(mm, A, 0, "x"), -EINVAL);
	assert_int_equal(umm_set_anon_name(NULL, A, K64, "x"), -EINVAL);
	maps_are(mm, "200000000000-200000010000 rw-p\n");
	done(mm);
}

/* Kernel: umm_config_from_host says what a prctl on a scratch page says. */
static void host_config_matches_the_kernel(void **state)
{
	struct umm_config c;
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long rc;

	(void)state;
	assert_ptr_not_equal(p, MAP_FAILED);
	rc = syscall(SYS_prctl, 0x53564d41, 0, (unsigned long)p, 4096UL, (unsigned long)"t");
	munmap(p, 4096);
	assert_int_equal(umm_config_from_host(&c), 0);
	assert_int_equal(c.anon_vma_name, rc == 0);
	umm_config_init(&c);
	assert_false(c.anon_vma_name); /* this machine: CONFIG_ANON_VMA_NAME off */
}

static void names_show_in_maps_and_info(void **state)
{
	struct umm_mm *mm = named_mm(0);
	struct umm_vma_info vi;

	(void)state;
	map_fixed(mm, A, K64);
	assert_int_equal(umm_set_anon_name(mm, A, K64, "foo"), 0);
	maps_are(mm, "200000000000-200000010000 rw-p [anon:foo]\n");
	assert_int_equal(umm_find_vma(mm, A, &vi), 0);
	assert_true(vi.has_anon_name);
	assert_string_equal(vi.anon_name, "foo");
	assert_int_equal(umm_set_anon_name(mm, A, K64, NULL), 0);
	maps_are(mm, "200000000000-200000010000 rw-p\n");
	assert_int_equal(umm_find_vma(mm, A, &vi), 0);
	assert_false(vi.has_anon_name);
	done(mm);
}

/* vma_modify splits; naming back to none merges again. */
static void partial_names_split_and_merge_back(void **state)
{
	struct umm_mm *mm = named_mm(0);

	(void)state;
	map_fixed(mm, A, K64);
	assert_int_equal(umm_set_anon_name(mm, A + K16, K16, "mid"), 0);
	maps_are(mm, "200000000000-200000004000 rw-p\n"
		     "200000004000-200000008000 rw-p [anon:mid]\n"
		     "200000008000-200000010000 rw-p\n");
	assert_int_equal(umm_set_anon_name(mm, A + K16, K16, NULL), 0);
	maps_are(mm, "200000000000-200000010000 rw-p\n");
	done(mm);
}

/* is_mergeable_vma: anon_vma_name_eq compares the strings. */
static void only_equal_names_merge(void **state)
{
	struct umm_mm *mm = named_mm(0);

	(void)state;
	map_fixed(mm, A, K64);
	assert_int_equal(umm_set_anon_name(mm, A, K16, "x"), 0);
	assert_int_equal(umm_set_anon_name(mm, A + K16, K16, "x"), 0);
	assert_int_equal(umm_set_anon_name(mm, A + 2 * K16, K16, "y"), 0);
	maps_are(mm, "200000000000-200000008000 rw-p [anon:x]\n"
		     "200000008000-20000000c000 rw-p [anon:y]\n"
		     "20000000c000-200000010000 rw-p\n");
	/* The walk leaves the VMA already named y alone; the unnamed tail
	 * then joins it. */
	assert_int_equal(umm_set_anon_name(mm, A + 2 * K16, 2 * K16, "y"), 0);
	maps_are(mm, "200000000000-200000008000 rw-p [anon:x]\n"
		     "200000008000-200000010000 rw-p [anon:y]\n");
	done(mm);
}

/* madvise_update_vma: the same name again changes nothing, not even a
 * split for part of the VMA. */
static void same_name_again_is_a_no_op(void **state)
{
	struct umm_mm *mm = named_mm(0);
	struct umm_mm_stats st;

	(void)state;
	map_fixed(mm, A, K64);
	assert_int_equal(umm_set_anon_name(mm, A, K64, "x"), 0);
	assert_int_equal(umm_set_anon_name(mm, A + K16, K16, "x"), 0);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.map_count, 1);
	done(mm);
}

/* The walk into a neighbour that already has the name merges with it. */
static void walk_merges_into_named_neighbour(void **state)
{
	struct umm_mm *mm = named_mm(0);

	(void)state;
	map_fixed(mm, A, 2 * K16);
	assert_int_equal(umm_set_anon_name(mm, A + K16, K16, "x"), 0);
	assert_int_equal(umm_set_anon_name(mm, A, 2 * K16, "x"), 0);
	maps_are(mm, "200000000000-200000008000 rw-p [anon:x]\n");
	done(mm);
}

/* strndup_user(name, 80): 79 characters and the NUL fit, 80 do not, and
 * no more than 80 bytes are read. */
static void name_length_limit(void **state)
{
	struct umm_mm *mm = named_mm(0);
	char name[200], *raw = malloc(UMM_ANON_NAME_MAX);
	struct umm_vma_info vi;

	(void)state;
	map_fixed(mm, A, K64);
	memset(name, 'n', sizeof(name));
	name[79] = '\0';
	assert_int_equal(umm_set_anon_name(mm, A, K64, name), 0);
	assert_int_equal(umm_find_vma(mm, A, &vi), 0);
	assert_string_equal(vi.anon_name, name);
	name[79] = 'n';
	name[80] = '\0';
	assert_int_equal(umm_set_anon_name(mm, A, K64, name), -EINVAL);
	name[199] = '\0';
	assert_int_equal(umm_set_anon_name(mm, A, K64, name), -EINVAL);
	memset(raw, 'r', UMM_ANON_NAME_MAX); /* no NUL at all: ASan sees any over-read */
	assert_int_equal(umm_set_anon_name(mm, A, K64, raw), -EINVAL);
	free(raw);
	done(mm);
}

/* is_valid_name_char: 0x20..0x7e except [ ] \ $ ` */
static void name_characters(void **state)
{
	static const char bad[] = { '[', ']', '\\', '$', '`', '\n', '\t', 0x1f, 0x7f,
				    (char)0x80, (char)0xff };
	struct umm_mm *mm = named_mm(0);

	(void)state;
	map_fixed(mm, A, K64);
	for (size_t i = 0; i < sizeof(bad); i++) {
		char name[] = { 'o', 'k', bad[i], 0 };

		assert_int_equal(umm_set_anon_name(mm, A, K64, name), -EINVAL);
	}
	maps_are(mm, "200000000000-200000010000 rw-p\n");
	assert_int_equal(umm_set_anon_name(mm, A, K64, " a b:c/d{e}~!\"#%&'()*+,-.;<=>?@^_|"), 0);
	maps_are(mm, "200000000000-200000010000 rw-p [anon: a b:c/d{e}~!\"#%&'()*+,-.;<=>?@^_|]\n");
	done(mm);
}

/* An empty string passes every check and is a name: only NULL clears. */
static void empty_name_is_a_name(void **state)
{
	struct umm_mm *mm = named_mm(0);

	(void)state;
	map_fixed(mm, A, K64);
	assert_int_equal(umm_set_anon_name(mm, A, K16, ""), 0);
	maps_are(mm, "200000000000-200000004000 rw-p [anon:]\n"
		     "200000004000-200000010000 rw-p\n");
	done(mm);
}

/* set_anon_vma_name copies and checks the name before
 * madvise_set_anon_name looks at the range. */
static void name_is_checked_first(void **state)
{
	struct umm_mm *mm = named_mm(0);
	struct umm_file *f = regular_file();

	(void)state;
	map_file(mm, A, f);
	assert_int_equal(umm_set_anon_name(mm, A, K16, "b$d"), -EINVAL);      /* not EBADF */
	assert_int_equal(umm_set_anon_name(mm, A + K64, K16, "b$d"), -EINVAL); /* not ENOMEM */
	assert_int_equal(umm_set_anon_name(mm, A, 0, "b$d"), -EINVAL);        /* not 0 */
	umm_file_put(f);
	done(mm);
}

static void range_rules(void **state)
{
	struct umm_mm *mm = named_mm(0);

	(void)state;
	map_fixed(mm, A, K64);
	assert_int_equal(umm_set_anon_name(mm, A + 1, K4, "x"), -EINVAL);
	assert_int_equal(umm_set_anon_name(mm, A, 0xfffffffffffff001UL, "x"), -EINVAL);
	assert_int_equal(umm_set_anon_name(mm, A, 0UL - A, "x"), -EINVAL); /* end wraps to 0 */
	assert_int_equal(umm_set_anon_name(mm, 0x300000000000UL, 0, "x"), 0);
	assert_int_equal(umm_set_anon_name(mm, 0x7ffffffff000UL, 0x100000000000UL, "x"), -ENOMEM);
	assert_int_equal(umm_set_anon_name(mm, A, 1, "page"), 0);
	maps_are(mm, "200000000000-200000001000 rw-p [anon:page]\n"
		     "200000001000-200000010000 rw-p\n");
	done(mm);
}

/* madvise_walk_vmas: holes are ENOMEM once the mapped parts are done. */
static void holes_name_the_rest_then_enomem(void **state)
{
	struct umm_mm *mm = named_mm(0);

	(void)state;
	map_fixed(mm, A, K16);
	map_fixed(mm, A + 2 * K16, K16);
	assert_int_equal(umm_set_anon_name(mm, A, 3 * K16, "h"), -ENOMEM);
	maps_are(mm, "200000000000-200000004000 rw-p [anon:h]\n"
		     "200000008000-20000000c000 rw-p [anon:h]\n");
	assert_int_equal(umm_set_anon_name(mm, A - K16, 2 * K16, "lead"), -ENOMEM);
	assert_int_equal(umm_set_anon_name(mm, A + 2 * K16, 2 * K16, "tail"), -ENOMEM);
	maps_are(mm, "200000000000-200000004000 rw-p [anon:lead]\n"
		     "200000008000-20000000c000 rw-p [anon:tail]\n");
	done(mm);
}

/* Only anonymous memory: a file VMA stops the walk with EBADF at once
 * (even after a hole), the VMAs before it keep their new name. */
static void file_vma_is_ebadf(void **state)
{
	struct umm_mm *mm = named_mm(0);
	struct umm_file *f = regular_file();

	(void)state;
	map_fixed(mm, A, K16);
	map_file(mm, A + K16, f);
	map_fixed(mm, A + 2 * K16, K16);
	assert_int_equal(umm_set_anon_name(mm, A, 3 * K16, "x"), -EBADF);
	maps_are(mm, "200000000000-200000004000 rw-p [anon:x]\n"
		     "200000004000-200000008000 r--p /tmp/f\n"
		     "200000008000-20000000c000 rw-p\n");
	assert_int_equal(umm_munmap(mm, A, K16), 0);
	assert_int_equal(umm_set_anon_name(mm, A, 2 * K16, "x"), -EBADF);
	umm_file_put(f);
	done(mm);
}

/* vma_is_anon_shmem: shared anonymous memory (also through /dev/zero) is
 * named "[anon_shmem:NAME]"; private /dev/zero keeps its file: EBADF;
 * other shmem (memfd, tmpfs) is a file: EBADF. */
static void shared_anonymous_and_dev_zero(void **state)
{
	struct umm_mm *mm = named_mm(0);
	struct umm_file_desc z = { .path = "/dev/zero", .dev_major = 0, .dev_minor = 6,
				   .ino = 5, .mode = UMM_FILE_READ | UMM_FILE_WRITE,
				   .kind = UMM_FILE_CHAR, .dev_zero = true };
	struct umm_file_desc m = { .path = "/memfd:m", .dev_minor = 1, .ino = 9, .size = K64,
				   .mode = UMM_FILE_READ | UMM_FILE_WRITE,
				   .kind = UMM_FILE_SHMEM, .deleted = true };
	struct umm_file *zero = umm_file_create(&z), *memfd = umm_file_create(&m);
	char *text;

	(void)state;
	assert_int_equal(umm_mmap(mm, A, K16, RW, UMM_MAP_PRIVATE | UMM_MAP_FIXED, zero, 0), (long)A);
	assert_int_equal(umm_set_anon_name(mm, A, K16, "z"), -EBADF);
	assert_int_equal(umm_mmap(mm, A + K16, K16, RW, UMM_MAP_SHARED | UMM_MAP_FIXED, zero, 0),
			 (long)(A + K16));
	assert_int_equal(umm_mmap(mm, A + 2 * K16, K16, RW, SA | UMM_MAP_FIXED, NULL, 0),
			 (long)(A + 2 * K16));
	assert_int_equal(umm_mmap(mm, A + 3 * K16, K16, RW, UMM_MAP_SHARED | UMM_MAP_FIXED, memfd, 0),
			 (long)(A + 3 * K16));
	assert_int_equal(umm_set_anon_name(mm, A + K16, 2 * K16, "s"), 0);
	assert_int_equal(umm_set_anon_name(mm, A + 3 * K16, K16, "s"), -EBADF);
	text = compact_maps(mm);
	assert_non_null(strstr(text, "200000004000-200000008000 rw-s [anon_shmem:s]\n"
				     "200000008000-20000000c000 rw-s [anon_shmem:s]\n"));
	free(text);
	/* Half of one: the shmem VMA splits, and merges back when cleared. */
	assert_int_equal(umm_set_anon_name(mm, A + 2 * K16, K4, NULL), 0);
	assert_int_equal(umm_set_anon_name(mm, A + 2 * K16, K16, NULL), 0);
	text = compact_maps(mm);
	assert_non_null(strstr(text, "200000008000-20000000c000 rw-s /dev/zero (deleted)\n"));
	free(text);
	umm_file_put(zero);
	umm_file_put(memfd);
	done(mm);
}

/* get_vma_name: [heap] wins over a name; brk makes unnamed VMAs
 * (VMG_STATE has no name), so the heap does not grow into a named one. */
static void heap_label_wins_and_brk_does_not_merge(void **state)
{
	struct umm_mm *mm = named_mm(0);
	unsigned long b0 = umm_brk(mm, 0);
	struct umm_vma_info vi;
	struct umm_mm_stats st;

	(void)state;
	assert_int_equal(umm_brk(mm, b0 + K64), b0 + K64);
	assert_int_equal(umm_set_anon_name(mm, b0, K64, "arena"), 0);
	assert_int_equal(umm_find_vma(mm, b0, &vi), 0);
	assert_string_equal(vi.anon_name, "arena");
	assert_int_equal(umm_brk(mm, b0 + 2 * K64), b0 + 2 * K64);
	umm_mm_stats(mm, &st);
	assert_int_equal(st.map_count, 2);
	maps_are(mm, "555555559000-555555569000 rw-p [heap]\n"
		     "555555569000-555555579000 rw-p [heap]\n");
	done(mm);
}

/* Special mappings may be named whole (their own name still shows) but
 * never split (special_mapping_split: EINVAL); [stack] wins too. */
static void special_and_stack(void **state)
{
	static const char text[] =
		"7ffff7fc1000-7ffff7fc5000 r--p 00000000 00:00 0                          [vvar]\n"
		"7ffff7fc5000-7ffff7fc7000 r-xp 00000000 00:00 0                          [vdso]\n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n";
	struct umm_mm *mm = named_mm(0);
	int bad = 0;

	(void)state;
	assert_int_equal(umm_maps_import(mm, text, NULL, &bad), 0);
	assert_int_equal(umm_set_anon_name(mm, 0x7ffff7fc5000UL, 2 * K4, "v"), 0);
	assert_int_equal(umm_set_anon_name(mm, 0x7ffff7fc1000UL, K4, "v"), -EINVAL);
	assert_int_equal(umm_set_anon_name(mm, 0x7ffffffde000UL, 0x21000, "s"), 0);
	maps_are(mm, "7ffff7fc1000-7ffff7fc5000 r--p [vvar]\n"
		     "7ffff7fc5000-7ffff7fc7000 r-xp [vdso]\n"
		     "7ffffffde000-7ffffffff000 rw-p [stack]\n");
	done(mm);
}

/* This process's [vvar*] and [vdso] lines of /proc/self/maps. */
static char *own_special_lines(void)
{
	char *text = calloc(1, 4096), line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[vdso]") || strstr(line, "[vvar"))
			strcat(text, line);
	fclose(f);
	return text;
}

/* Kernel: special_mapping_split refuses every split of [vdso], so
 * mprotect and munmap of part of it are EINVAL in this very process; of
 * the whole, fine. usermm, given the same lines, agrees. */
static void special_mappings_never_split(void **state)
{
	unsigned long vdso = getauxval(AT_SYSINFO_EHDR);
	char *text = own_special_lines();
	struct umm_mm *mm = umm_mm_create(NULL);
	int bad = 0;
	long k;

	(void)state;
	assert_int_not_equal(vdso, 0);
	assert_int_equal(umm_maps_import(mm, text, NULL, &bad), 0);
	k = mprotect((void *)vdso, K4, PROT_READ) ? -errno : 0;
	assert_int_equal(umm_mprotect(mm, vdso, K4, UMM_PROT_READ), k);
	k = munmap((void *)(vdso + K4), K4) ? -errno : 0;
	assert_int_equal(umm_munmap(mm, vdso + K4, K4), k);
	k = mprotect((void *)vdso, 2 * K4, PROT_READ | PROT_EXEC) ? -errno : 0;
	assert_int_equal(umm_mprotect(mm, vdso, 2 * K4, UMM_PROT_READ | UMM_PROT_EXEC), k);
	assert_int_equal(k, 0);
	free(text);
	done(mm);
}

/* split_vma at max_map_count is ENOMEM, which madvise reports as EAGAIN;
 * the first split stays, as in vma_modify. */
static void map_count_limit_is_eagain(void **state)
{
	struct umm_mm *mm = named_mm(2);

	(void)state;
	map_fixed(mm, A, K64);
	assert_int_equal(umm_set_anon_name(mm, A + K16, K16, "x"), -EAGAIN);
	maps_are(mm, "200000000000-200000004000 rw-p\n"
		     "200000004000-200000010000 rw-p\n");
	assert_int_equal(umm_set_anon_name(mm, A + K16, 3 * K16, "x"), 0);
	done(mm);
}

/* vma_modify_flags keeps names: the pieces of a split carry the name,
 * and differently named neighbours stay apart. */
static void names_survive_other_calls(void **state)
{
	struct umm_mm *mm = named_mm(0);

	(void)state;
	map_fixed(mm, A, K64);
	assert_int_equal(umm_set_anon_name(mm, A, 2 * K16, "x"), 0);
	assert_int_equal(umm_mprotect(mm, A + K4, K4, UMM_PROT_READ), 0);
	maps_are(mm, "200000000000-200000001000 rw-p [anon:x]\n"
		     "200000001000-200000002000 r--p [anon:x]\n"
		     "200000002000-200000008000 rw-p [anon:x]\n"
		     "200000008000-200000010000 rw-p\n");
	assert_int_equal(umm_mprotect(mm, A, K64, UMM_PROT_READ), 0);
	assert_int_equal(umm_mprotect(mm, A, K64, RW), 0);
	maps_are(mm, "200000000000-200000008000 rw-p [anon:x]\n"
		     "200000008000-200000010000 rw-p\n");
	assert_int_equal(umm_munmap(mm, A + K16, K4), 0);
	assert_int_equal(umm_mseal(mm, A + K16 + K4, K4, 0), 0);
	assert_int_equal(umm_set_anon_name(mm, A + K16 + K4, K4, "sealed"), 0);
	maps_are(mm, "200000000000-200000004000 rw-p [anon:x]\n"
		     "200000005000-200000006000 rw-p [anon:sealed]\n"
		     "200000006000-200000008000 rw-p [anon:x]\n"
		     "200000008000-200000010000 rw-p\n");
	done(mm);
}

/* mmap makes unnamed VMAs: no merge with a named neighbour until named. */
static void mmap_beside_a_name(void **state)
{
	struct umm_mm *mm = named_mm(0);

	(void)state;
	map_fixed(mm, A, K16);
	assert_int_equal(umm_set_anon_name(mm, A, K16, "x"), 0);
	map_fixed(mm, A + K16, K16);
	maps_are(mm, "200000000000-200000004000 rw-p [anon:x]\n"
		     "200000004000-200000008000 rw-p\n");
	assert_int_equal(umm_set_anon_name(mm, A + K16, K16, "x"), 0);
	maps_are(mm, "200000000000-200000008000 rw-p [anon:x]\n");
	map_fixed(mm, A + K4, K4); /* MAP_FIXED replaces with unnamed memory */
	maps_are(mm, "200000000000-200000001000 rw-p [anon:x]\n"
		     "200000001000-200000002000 rw-p\n"
		     "200000002000-200000008000 rw-p [anon:x]\n");
	done(mm);
}

/* vma_copy_attrs (splits, mremap) shares the name; vma_free drops it. */
static void copies_share_the_name(void **state)
{
	struct umm_mm *mm = umm_mm_create(NULL);
	struct vma *a = vma_alloc(mm), *b = vma_alloc(mm);

	(void)state;
	a->anon_name = anon_vma_name_alloc(NULL, "shared", 6);
	vma_copy_attrs(b, a);
	assert_ptr_equal(b->anon_name, a->anon_name);
	assert_int_equal(atomic_load(&a->anon_name->refcount), 2);
	vma_free(mm, a);
	assert_string_equal(b->anon_name->name, "shared");
	assert_int_equal(atomic_load(&b->anon_name->refcount), 1);
	vma_free(mm, b);
	umm_mm_destroy(mm);
}

/* An [anon:NAME] line whose NAME has len characters, in buf. */
static const char *long_name_line(char *buf, size_t len)
{
	int n = sprintf(buf, "200000000000-200000004000 rw-p 00000000 00:00 0 [anon:");

	memset(buf + n, 'n', len);
	strcpy(buf + n + len, "]\n");
	return buf;
}

/* Import: [anon:NAME] and [anon_shmem:NAME] lines give names and print
 * back unchanged; a name the kernel would refuse makes a bad line. */
static void import_round_trips_names(void **state)
{
	static const char text[] =
		"200000000000-200000004000 rw-p 00000000 00:00 0                          [anon:a b]\n"
		"200000004000-200000008000 rw-p 00000000 00:00 0                          [anon:]\n"
		"200000008000-20000000c000 rw-s 00000000 00:01 42                         [anon_shmem:sh]\n"
		"20000000c000-200000010000 rw-s 00004000 00:01 42                         /dev/zero (deleted)\n";
	struct umm_mm *mm = named_mm(0);
	char *out, line[256];
	int bad = 0;

	(void)state;
	assert_int_equal(umm_maps_import(mm, text, NULL, &bad), 0);
	out = umm_maps_string(mm);
	assert_string_equal(out, text);
	free(out);
	/* The two shmem lines are one object: named alike, they merge. */
	assert_int_equal(umm_set_anon_name(mm, 0x20000000c000UL, K16, "sh"), 0);
	maps_are(mm, "200000000000-200000004000 rw-p [anon:a b]\n"
		     "200000004000-200000008000 rw-p [anon:]\n"
		     "200000008000-200000010000 rw-s [anon_shmem:sh]\n");
	done(mm);

	mm = named_mm(0);
	assert_int_equal(umm_maps_import(mm,
					 "200000000000-200000004000 rw-p 00000000 00:00 0 [anon:ok]\n"
					 "200000004000-200000008000 rw-p 00000000 00:00 0 [anon:a$b]\n",
					 NULL, &bad), -EINVAL);
	assert_int_equal(bad, 2);
	assert_int_equal(umm_maps_import(mm, long_name_line(line, 80), NULL, &bad), -EINVAL);
	assert_int_equal(umm_maps_import(mm, long_name_line(line, 79), NULL, &bad), 0);
	done(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(off_refuses_everything),
		cmocka_unit_test(host_config_matches_the_kernel),
		cmocka_unit_test(names_show_in_maps_and_info),
		cmocka_unit_test(partial_names_split_and_merge_back),
		cmocka_unit_test(only_equal_names_merge),
		cmocka_unit_test(same_name_again_is_a_no_op),
		cmocka_unit_test(walk_merges_into_named_neighbour),
		cmocka_unit_test(name_length_limit),
		cmocka_unit_test(name_characters),
		cmocka_unit_test(empty_name_is_a_name),
		cmocka_unit_test(name_is_checked_first),
		cmocka_unit_test(range_rules),
		cmocka_unit_test(holes_name_the_rest_then_enomem),
		cmocka_unit_test(file_vma_is_ebadf),
		cmocka_unit_test(shared_anonymous_and_dev_zero),
		cmocka_unit_test(heap_label_wins_and_brk_does_not_merge),
		cmocka_unit_test(special_and_stack),
		cmocka_unit_test(special_mappings_never_split),
		cmocka_unit_test(map_count_limit_is_eagain),
		cmocka_unit_test(names_survive_other_calls),
		cmocka_unit_test(mmap_beside_a_name),
		cmocka_unit_test(copies_share_the_name),
		cmocka_unit_test(import_round_trips_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
