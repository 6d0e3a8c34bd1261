/*
 * flags.h - the one table of Linux's names for the arguments of the
 * calls the tools read and write: PROT_*, MAP_*, MADV_*, MREMAP_*, the
 * mlock, msync, pkey, shm, clone, open, memfd, personality, rlimit and
 * prctl values. Within a set the names are in the order strace prints
 * them; aliases (MAP_ANON, MAP_HUGE_2MB, RLIM_INFINITY, ...) are only
 * read. The trace parser, the trace writers and `usermm run` all use it.
 */
#ifndef UMM_TOOLS_FLAGS_H
#define UMM_TOOLS_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

enum flag_set {
	FLAGS_PROT,
	FLAGS_MAP_TYPE, /* the low nibble of mmap's flags: an enumeration */
	FLAGS_MAP,
	FLAGS_MREMAP,
	FLAGS_MADV, /* an enumeration */
	FLAGS_MLOCK,
	FLAGS_MCL,
	FLAGS_MS,
	FLAGS_PKEY,
	FLAGS_SHM,
	FLAGS_CLONE,
	FLAGS_OPEN_MODE, /* open's access mode (the low two bits): an enumeration */
	FLAGS_OPEN,
	FLAGS_MFD,
	FLAGS_PERSONALITY,
	FLAGS_RLIMIT, /* an enumeration */
	FLAGS_OTHER,  /* read only: NULL, the prctl options, ... */
};

/* The value of a name of any set, aliases included (name need not be
 * terminated: len bytes). */
bool flag_value(const char *name, size_t len, unsigned long *value);
/* The name of value in an enumerated set, or NULL. */
const char *flag_name(enum flag_set set, unsigned long value);
/*
 * strace's form of the bits v of set into buf (always terminated):
 * zero (or "0") for 0; else the names that apply, in the set's order,
 * joined by '|', and the bits left over in hex; "0xN / * PFX_??? * /"
 * (without the spaces) when no name applies. Returns buf.
 */
char *flag_bits(char *buf, size_t len, enum flag_set set, unsigned long v, const char *zero);
/* mmap's flags as strace prints them: the type first, then the flags,
 * then the huge page size as "N<<MAP_HUGE_SHIFT". Returns buf. */
char *flag_mmap_flags(char *buf, size_t len, unsigned long v);

#endif
