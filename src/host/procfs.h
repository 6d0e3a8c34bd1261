/*
 * procfs.h - reading the host's /proc and /sys (procfs.c).
 */
#ifndef UMM_HOST_PROCFS_H
#define UMM_HOST_PROCFS_H

#include <stddef.h>

/* Reads a whole small file into buf (NUL-terminated). 0 or -errno. */
int read_small_file(const char *path, char *buf, size_t len);
/* One unsigned decimal number, optionally followed by a newline. */
int parse_ulong(const char *s, unsigned long *out);
/* A numeric sysctl, e.g. read_sysctl("vm/max_map_count", &v). */
int read_sysctl(const char *name, unsigned long *out);

#endif
