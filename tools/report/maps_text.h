/*
 * maps_text.h - /proc/PID/maps text as the tools report it: comparing
 * the kernel's text with usermm's, printing where they differ, and the
 * lines around an address. Replay, shadow, difftest and the oracle tests
 * all report divergences through it.
 */
#ifndef UMM_TOOLS_MAPS_TEXT_H
#define UMM_TOOLS_MAPS_TEXT_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Equal line for line, except the inode of "/dev/zero (deleted)" and
 * "/anon_hugepage (deleted)" lines: the kernel draws it from a global
 * counter of an internal mount, so no two runs agree on it.
 */
bool maps_text_equal(const char *kernel, const char *umm);
/* The two texts merged by address: ' ' both, '-' kernel only, '+'
 * usermm only; rows more than three from a difference are elided. */
void maps_text_print_diff(FILE *out, const char *kernel, const char *umm);
/* The line holding addr (or the next one), marked "=>", and three on
 * each side; a note for an empty text or none (NULL). */
void maps_text_print_around(FILE *out, const char *maps, unsigned long addr);

#endif
