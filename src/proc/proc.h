/*
 * proc.h - what the /proc text files share: the name column and line of
 * /proc/PID/maps (proc_maps.c), the VmFlags codes of smaps
 * (proc_smaps.c), which maps import reads back.
 */
#ifndef UMM_PROC_H
#define UMM_PROC_H

#include "core/mm.h"
#include "core/vma.h"

#include <stdio.h>

/* The name column of a VMA, or NULL; deleted files get " (deleted)". */
const char *vma_name(const struct umm_mm *mm, const struct vma *v, char *buf, size_t len);
/* A maps line of no VMA (smaps_rollup's): START-END ---p 00000000 00:00 0
 * and name, padded as show_map_vma pads. 0 or -EIO. */
int show_named_header(FILE *out, unsigned long start, unsigned long end, const char *name);
/* show_map_vma: writes v's maps line. 0, -ENOMEM or -EIO. */
int show_map_vma(const struct umm_mm *mm, const struct vma *v, FILE *out);
/* What emit writes for arg, in a malloc'ed string; NULL on failure. */
char *proc_text(int (*emit)(void *arg, FILE *out), void *arg);

/* The two-letter VmFlags codes of smaps, in the kernel's (bit) order;
 * only flags usermm keeps have one. */
struct vmflag_code {
	char code[3];
	vm_flags_t flag;
};
extern const struct vmflag_code vmflag_codes[];
extern const size_t vmflag_ncodes;

#endif
