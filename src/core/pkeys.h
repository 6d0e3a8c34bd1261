/*
 * pkeys.h - protection keys (pkeys.c): the space's key allocation map,
 * its execute-only key and the calling thread's PKRU, as x86's
 * mm->context and the PKRU register hold them.
 */
#ifndef UMM_CORE_PKEYS_H
#define UMM_CORE_PKEYS_H

#include "core/types.h"

struct umm_mm;
struct vma;

/* The key state of a new space, from cfg.pkeys. */
void pkeys_init(struct umm_mm *mm);
/* Does the PKRU let data (a write, if write) through a page of pkey? */
bool pkru_allows(const struct umm_mm *mm, int pkey, bool write);
/* The execute-only key (taken on first use), -1 if none is left, 0
 * without PKU. */
int execute_only_pkey(struct umm_mm *mm);
/* The key mprotect(prot) with pkey_mprotect's pkey (-1: none) gives v. */
int mprotect_pkey(struct umm_mm *mm, const struct vma *v, unsigned long prot, int pkey);
/* May pkey_mprotect use pkey? -1 (plain mprotect) or an allocated key. */
bool pkey_usable(const struct umm_mm *mm, int pkey);

#endif
