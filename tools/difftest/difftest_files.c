/*
 * difftest_files.c - owns the files `usermm difftest` maps: a temp
 * directory under /tmp with a 1 MiB regular file, a small one (3 pages and
 * 100 bytes: mappings past its end), an unlinked one, a 1 MiB file on
 * /dev/shm (tmpfs), /dev/zero and the directory itself (no mmap method),
 * opened read-only, write-only and read-write, the regular file with
 * O_PATH (mmap: EBADF), and a hugetlbfs memfd (MFD_HUGETLB) where the
 * kernel has 2 MiB huge pages. The fds are opened without
 * O_CLOEXEC, so the kernel child inherits the same open file descriptions
 * under the same numbers; usermm gets one handle per fd (difftest.c).
 */
#define _GNU_SOURCE
#include "difftest/difftest.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <unistd.h>

#define REG_SIZE (1L << 20)
#define SMALL_SIZE (3 * 4096L + 100)

static int make_file(const char *path, long size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int rc;

	if (fd < 0)
		return -1;
	rc = ftruncate(fd, size);
	close(fd);
	return rc;
}

static int add_fd(struct dt_files *f, const char *path, int flags, const char *what)
{
	int fd = open(path, flags);

	if (fd < 0 || f->nfds == DT_MAX_FDS || fd >= DT_FD_LIMIT) {
		fprintf(stderr, "usermm difftest: cannot open %s (%s)\n", path, what);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	f->fds[f->nfds++] = (struct dt_fd){ fd, flags, what, NULL, 0 };
	return 0;
}

/* A memfd made with mfd_flags, kept only if memfd_create works here. */
static void add_memfd(struct dt_files *f, const char *name, unsigned int mfd_flags,
		      const char *what)
{
	int fd = memfd_create(name, mfd_flags);

	if (fd < 0)
		return;
	if (f->nfds == DT_MAX_FDS || fd >= DT_FD_LIMIT) {
		close(fd);
		return;
	}
	f->fds[f->nfds++] = (struct dt_fd){ fd, O_RDWR, what, name, mfd_flags };
}

static int open_all(struct dt_files *f)
{
	const char *reg = f->reg, *small = f->small, *gone = f->gone;

	return add_fd(f, reg, O_RDONLY, "regular file, O_RDONLY") ||
	       add_fd(f, reg, O_WRONLY, "regular file, O_WRONLY") ||
	       add_fd(f, reg, O_RDWR, "regular file, O_RDWR") ||
	       add_fd(f, reg, O_RDWR | O_APPEND, "regular file, O_RDWR|O_APPEND") ||
	       add_fd(f, small, O_RDWR, "3 pages + 100 bytes, O_RDWR") ||
	       add_fd(f, small, O_RDONLY, "3 pages + 100 bytes, O_RDONLY") ||
	       add_fd(f, f->shm, O_RDWR, "tmpfs file, O_RDWR") ||
	       add_fd(f, f->shm, O_RDONLY, "tmpfs file, O_RDONLY") ||
	       add_fd(f, "/dev/zero", O_RDWR, "/dev/zero, O_RDWR") ||
	       add_fd(f, "/dev/zero", O_RDONLY, "/dev/zero, O_RDONLY") ||
	       add_fd(f, f->dir, O_RDONLY | O_DIRECTORY, "a directory (ENODEV)") ||
	       add_fd(f, gone, O_RDWR, "an unlinked file, O_RDWR") ||
	       add_fd(f, reg, O_PATH, "regular file, O_PATH (EBADF)");
}

int dt_files_open(struct dt_files *f)
{
	int fd;

	memset(f, 0, sizeof(*f));
	strcpy(f->dir, "/tmp/usermm-difftest-XXXXXX");
	strcpy(f->shm, "/dev/shm/usermm-difftest-XXXXXX");
	if (!mkdtemp(f->dir) || (fd = mkstemp(f->shm)) < 0) {
		fprintf(stderr, "usermm difftest: cannot make temp files\n");
		return -1;
	}
	close(fd);
	snprintf(f->reg, sizeof(f->reg), "%s/reg", f->dir);
	snprintf(f->small, sizeof(f->small), "%s/small", f->dir);
	snprintf(f->gone, sizeof(f->gone), "%s/gone", f->dir);
	if (truncate(f->shm, REG_SIZE) || make_file(f->reg, REG_SIZE) ||
	    make_file(f->small, SMALL_SIZE) || make_file(f->gone, REG_SIZE) || open_all(f)) {
		dt_files_close(f);
		return -1;
	}
	add_memfd(f, "usermm-difftest-huge", MFD_HUGETLB, "hugetlbfs memfd");
	unlink(f->gone);
	return 0;
}

void dt_files_remove(const struct dt_files *f)
{
	unlink(f->shm);
	unlink(f->reg);
	unlink(f->small);
	unlink(f->gone);
	rmdir(f->dir);
}

void dt_files_close(struct dt_files *f)
{
	for (int i = 0; i < f->nfds; i++)
		close(f->fds[i].fd);
	f->nfds = 0;
	if (!f->keep && f->dir[0])
		dt_files_remove(f);
}
