/*
 * app.c - a program built against an installed usermm (tests/install/
 * test_install.sh): with pkg-config and with find_package, linked with
 * the shared and with the static library. It defines functions with the
 * kernel names the library uses inside (find_vma, vma_alloc, mm_lock):
 * only umm_* may leave the library, so these must not collide with it or
 * be called by it.
 */
#include <stdio.h>
#include <string.h>
#include <usermm.h>

static int calls_of_ours;

int find_vma(int x)
{
	return ++calls_of_ours + x;
}

void *vma_alloc(void *mm)
{
	calls_of_ours++;
	return mm;
}

void mm_lock(void *mm)
{
	(void)mm;
	calls_of_ours++;
}

int main(void)
{
	struct umm_mm *mm = umm_mm_create(NULL);
	long a;
	char *maps;

	if (!mm || strcmp(umm_version(), UMM_VERSION))
		return 1;
	a = umm_mmap(mm, 0, 8192, UMM_PROT_READ | UMM_PROT_WRITE, UMM_MAP_PRIVATE | UMM_MAP_ANONYMOUS,
		     NULL, 0);
	if (a != 0x7ffff7ffe000L - 4096 || umm_mprotect(mm, (unsigned long)a, 4096, UMM_PROT_READ))
		return 2;
	maps = umm_maps_string(mm);
	if (!maps || !strstr(maps, "r--p") || !strstr(maps, "rw-p"))
		return 3;
	printf("usermm %s: %s", umm_version(), maps);
	umm_mm_destroy(mm);
	/* The library never called the program's look-alikes. */
	return calls_of_ours == 0 && find_vma(0) == 1 ? 0 : 4;
}
