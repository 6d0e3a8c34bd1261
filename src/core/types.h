/*
 * types.h - the words every layer speaks: page size arithmetic, the
 * error-in-a-pointer convention and vm_flags (the kernel's VM_* bits,
 * the public UMM_VM_* values under their kernel names).
 */
#ifndef UMM_CORE_TYPES_H
#define UMM_CORE_TYPES_H

#include "usermm.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)
/* Like the kernel: a returned address in the top 4095 values is an errno. */
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-4095)
#define offset_in_page(x) ((unsigned long)(x) & (PAGE_SIZE - 1))
#define PMD_SIZE (1UL << 21)

typedef uint64_t vm_flags_t;

#define VM_NONE 0ULL
#define VM_READ UMM_VM_READ
#define VM_WRITE UMM_VM_WRITE
#define VM_EXEC UMM_VM_EXEC
#define VM_SHARED UMM_VM_SHARED
#define VM_MAYREAD UMM_VM_MAYREAD
#define VM_MAYWRITE UMM_VM_MAYWRITE
#define VM_MAYEXEC UMM_VM_MAYEXEC
#define VM_MAYSHARE UMM_VM_MAYSHARE
#define VM_GROWSDOWN UMM_VM_GROWSDOWN
#define VM_PFNMAP UMM_VM_PFNMAP
#define VM_MAYBE_GUARD UMM_VM_MAYBE_GUARD
#define VM_LOCKED UMM_VM_LOCKED
#define VM_IO UMM_VM_IO
#define VM_SEQ_READ UMM_VM_SEQ_READ
#define VM_RAND_READ UMM_VM_RAND_READ
#define VM_DONTCOPY UMM_VM_DONTCOPY
#define VM_DONTEXPAND UMM_VM_DONTEXPAND
#define VM_LOCKONFAULT UMM_VM_LOCKONFAULT
#define VM_ACCOUNT UMM_VM_ACCOUNT
#define VM_NORESERVE UMM_VM_NORESERVE
#define VM_HUGETLB UMM_VM_HUGETLB
#define VM_SYNC UMM_VM_SYNC
#define VM_WIPEONFORK UMM_VM_WIPEONFORK
#define VM_DONTDUMP UMM_VM_DONTDUMP
#define VM_SOFTDIRTY UMM_VM_SOFTDIRTY
#define VM_MIXEDMAP UMM_VM_MIXEDMAP
#define VM_HUGEPAGE UMM_VM_HUGEPAGE
#define VM_NOHUGEPAGE UMM_VM_NOHUGEPAGE
#define VM_MERGEABLE UMM_VM_MERGEABLE
#define VM_DROPPABLE UMM_VM_DROPPABLE
#define VM_SEALED UMM_VM_SEALED
#define VM_PKEY_SHIFT UMM_VM_PKEY_SHIFT
#define VM_PKEY_MASK UMM_VM_PKEY_MASK

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)
#define VM_SPECIAL (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_STACK_FLAGS (VM_GROWSDOWN | VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT)
#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)
/* Flags that never keep two VMAs apart: a merge keeps the union. */
#define VM_STICKY VM_MAYBE_GUARD
#define VM_IGNORE_MERGE (VM_SOFTDIRTY | VM_STICKY)

/* The protection key bits of vm_flags (VM_PKEY_BIT0..3) for pkey. */
static inline vm_flags_t pkey_vm_flags(int pkey)
{
	return ((vm_flags_t)pkey << VM_PKEY_SHIFT) & VM_PKEY_MASK;
}

#endif
