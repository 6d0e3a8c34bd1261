/*
 * anon_name.h - struct anon_vma_name: the name PR_SET_VMA_ANON_NAME
 * (umm_set_anon_name) gives anonymous memory, shared by the VMAs that
 * carry it (splits and copies take a reference) and freed with the
 * last. anon_name.c owns the object; calls/prctl.c the call.
 */
#ifndef UMM_CORE_ANON_NAME_H
#define UMM_CORE_ANON_NAME_H

#include "core/types.h"

#include <stdatomic.h>

struct anon_vma_name {
	atomic_long refcount;
	const struct umm_allocator *alloc; /* its memory came from here */
	char name[];
};

/* A new name (len bytes of name, NUL added) with one reference; NULL on
 * no memory. */
struct anon_vma_name *anon_vma_name_alloc(const struct umm_allocator *alloc, const char *name,
					  size_t len);
/* Both take NULL. */
struct anon_vma_name *anon_vma_name_get(struct anon_vma_name *n);
void anon_vma_name_put(struct anon_vma_name *n);
/* Equal strings, or both NULL. */
bool anon_vma_name_eq(const struct anon_vma_name *a, const struct anon_vma_name *b);
/* The characters a name may hold (printable ASCII but [ ] \ $ `), and at
 * most UMM_ANON_NAME_MAX - 1 of them; maps import uses the same rule. */
bool anon_name_valid(const char *name, size_t len);

#endif
