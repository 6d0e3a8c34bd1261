/*
 * anon_name.c - owns struct anon_vma_name (see anon_name.h): the
 * reference-counted name of anonymous memory and the rule for the
 * characters it may hold.
 */
#include "core/alloc.h"
#include "core/anon_name.h"

#include <string.h>

struct anon_vma_name *anon_vma_name_alloc(const struct umm_allocator *alloc, const char *name,
					  size_t len)
{
	struct anon_vma_name *n = kmalloc(alloc, sizeof(*n) + len + 1);

	if (!n)
		return NULL;
	atomic_init(&n->refcount, 1);
	n->alloc = alloc;
	memcpy(n->name, name, len);
	n->name[len] = '\0';
	return n;
}

struct anon_vma_name *anon_vma_name_get(struct anon_vma_name *n)
{
	if (n)
		atomic_fetch_add(&n->refcount, 1);
	return n;
}

void anon_vma_name_put(struct anon_vma_name *n)
{
	if (n && atomic_fetch_sub(&n->refcount, 1) == 1)
		kfree(n->alloc, n, sizeof(*n) + strlen(n->name) + 1);
}

bool anon_vma_name_eq(const struct anon_vma_name *a, const struct anon_vma_name *b)
{
	if (a == b)
		return true;
	return a && b && strcmp(a->name, b->name) == 0;
}

/* is_valid_name_char: printable ASCII, less the characters that would
 * make maps ambiguous or a shell unhappy. */
static bool name_char_ok(char c)
{
	return c >= 0x20 && c < 0x7f && !strchr("[]\\$`", c);
}

bool anon_name_valid(const char *name, size_t len)
{
	if (len >= UMM_ANON_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!name_char_ok(name[i]))
			return false;
	return true;
}
