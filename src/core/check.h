/*
 * check.h - the invariant checker (check.c): the whole space against its
 * own rules (index, address list, counters, merges the kernel would have
 * made), run after every call in test builds and by umm_mm_check.
 */
#ifndef UMM_CORE_CHECK_H
#define UMM_CORE_CHECK_H

#include <stddef.h>

struct umm_mm;

/* 0, or -1 with what is broken in msg. mm->lock held. */
int mm_check_locked(struct umm_mm *mm, char *msg, size_t len);

/* A failed check: the description printf-style into msg (if not NULL),
 * and -EUCLEAN. */
int check_fail(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
