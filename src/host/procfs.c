/*
 * procfs.c - reading the host's /proc and /sys: small files whole, and
 * the numbers in them.
 */
#include "host/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Reads a whole small file into buf (NUL-terminated). 0 or -errno. */
int read_small_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t used = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (used + 1 < len && (n = read(fd, buf + used, len - 1 - used)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return 0;
}

/* One unsigned decimal number, optionally followed by a newline. */
int parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno)
		return -errno;
	return (*end == '\0' || (*end == '\n' && end[1] == '\0')) ? 0 : -EINVAL;
}

/* A numeric sysctl, e.g. read_sysctl("vm/max_map_count", &v). */
int read_sysctl(const char *name, unsigned long *out)
{
	char path[128], buf[64];
	int rc;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	rc = read_small_file(path, buf, sizeof(buf));
	return rc ? rc : parse_ulong(buf, out);
}
