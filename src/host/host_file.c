/*
 * host_file.c - umm_file handles that describe a host file or fd
 * (umm_file_open_path, umm_file_from_fd): what fstat, statfs and
 * /proc/self/fd tell of it, classified as mmap will see it (regular,
 * shmem, hugetlbfs, a character device and its mmap errno, a pseudo
 * file system that refuses mmap).
 */
#define _GNU_SOURCE
#include "core/alloc.h"
#include "core/file.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* statfs f_type values (linux/magic.h), spelled out to avoid the header. */
#define FS_TMPFS 0x01021994L
#define FS_PROC 0x9fa0L
#define FS_SYSFS 0x62656572L
#define FS_CGROUP 0x27e0ebL
#define FS_CGROUP2 0x63677270L
#define FS_DEBUGFS 0x64626720L
#define FS_TRACEFS 0x74726163L
#define FS_HUGETLBFS 0x958458f6L
#define FS_EXT4 0xef53L /* ext2, ext3 and ext4 alike */

#define DELETED_SUFFIX " (deleted)"

static unsigned int mode_from_flags(int flags)
{
	unsigned int mode = 0;

	if (flags & O_PATH)
		return UMM_FILE_PATH;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		mode = UMM_FILE_READ;
		break;
	case O_WRONLY:
		mode = UMM_FILE_WRITE;
		break;
	case O_RDWR:
		mode = UMM_FILE_READ | UMM_FILE_WRITE;
		break;
	}
	if (flags & O_APPEND)
		mode |= UMM_FILE_APPEND;
	return mode;
}

static bool same_inode(const char *path, const struct stat *st)
{
	struct stat other;

	return stat(path, &other) == 0 && other.st_dev == st->st_dev &&
	       other.st_ino == st->st_ino;
}

/*
 * The kernel names an unlinked file "<path> (deleted)". /proc/self/fd
 * gives that same text, so strip the suffix unless the file really is
 * called that (then the full name still leads to this inode).
 */
static bool strip_deleted(char *name, const struct stat *st)
{
	size_t n = strlen(name), s = strlen(DELETED_SUFFIX);

	if (n < s || strcmp(name + n - s, DELETED_SUFFIX) != 0)
		return false;
	if (name[0] == '/' && same_inode(name, st))
		return false;
	name[n - s] = '\0';
	return true;
}

/*
 * The path maps would print, via the fd's /proc link (the kernel's own
 * d_path, symlinks resolved); realpath() of fallback if /proc is missing.
 * Returns a string of PATH_MAX + 1 bytes from kmalloc, or NULL with
 * errno set.
 */
static char *fd_path(int fd, const char *fallback, const struct stat *st, bool *deleted)
{
	char link[64], *buf;
	ssize_t n;

	*deleted = false;
	buf = kmalloc(NULL, PATH_MAX + 1);
	if (!buf) {
		errno = ENOMEM;
		return NULL;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, PATH_MAX);
	if (n >= 0 && n < PATH_MAX) {
		buf[n] = '\0';
		*deleted = strip_deleted(buf, st);
		return buf;
	}
	if (!fallback) {
		kfree(NULL, buf, PATH_MAX + 1);
		errno = n < 0 ? errno : ENAMETOOLONG;
		return NULL;
	}
	if (!realpath(fallback, buf))
		snprintf(buf, PATH_MAX + 1, "%s", fallback);
	*deleted = st->st_nlink == 0;
	return buf;
}

/*
 * Character devices: whether the driver has an mmap method. Of the mem
 * devices (major 1) only /dev/mem and /dev/zero map; ttys and misc
 * devices (kvm, fuse, ...) do not. Other drivers (fb, drm, uio) usually
 * do, so they are assumed to.
 */
static int chardev_mmap_errno(dev_t rdev)
{
	unsigned int maj = major(rdev), min = minor(rdev);

	if (maj == 1)
		return (min == 1 || min == 5) ? 0 : -ENODEV;
	if (maj == 4 || maj == 5 || maj == 10 || (maj >= 136 && maj <= 143))
		return -ENODEV;
	return 0;
}

/* Pseudo file systems whose regular files are seq_file/kernfs attributes
 * without an mmap method (mmap gives ENODEV on them). */
static bool pseudo_fs(long type)
{
	return type == FS_PROC || type == FS_SYSFS || type == FS_CGROUP ||
	       type == FS_CGROUP2 || type == FS_DEBUGFS || type == FS_TRACEFS;
}

/* log2 of a hugetlbfs mount's page size, which statfs gives as f_bsize. */
static unsigned int huge_shift_of(const struct statfs *sfs)
{
	unsigned int shift = PAGE_SHIFT;

	while (shift < 40 && (1UL << shift) < (unsigned long)sfs->f_bsize)
		shift++;
	return shift;
}

/* s_maxbytes: ext4's from its block size; other file systems are taken
 * as unlimited (LLONG_MAX, as tmpfs and block devices are). */
static unsigned long long fs_max_bytes(long fs_type, unsigned long bsize)
{
	if (fs_type == FS_EXT4 && bsize >= 1024 && !(bsize & (bsize - 1)))
		return EXT4_MAX_BLOCKS * bsize;
	return LLONG_MAX;
}

static void classify(int fd, const struct stat *st, long fs_type, struct umm_file_desc *d)
{
	d->kind = UMM_FILE_REGULAR;
	d->mmap_errno = 0;
	if (S_ISCHR(st->st_mode)) {
		d->kind = UMM_FILE_CHAR;
		d->mmap_errno = chardev_mmap_errno(st->st_rdev);
	} else if (S_ISREG(st->st_mode)) {
		d->size = (unsigned long long)st->st_size;
		if (fs_type == FS_TMPFS)
			d->kind = UMM_FILE_SHMEM;
		else if (pseudo_fs(fs_type))
			d->mmap_errno = -ENODEV;
	} else if (S_ISBLK(st->st_mode)) {
		/* Block devices map through the page cache; st_size is 0. */
		off_t end = lseek(fd, 0, SEEK_END);

		d->size = end > 0 ? (unsigned long long)end : 0;
	} else {
		/* Directories, FIFOs, sockets: no mmap method. Only sockets
		 * have the regular files' offset limit. */
		d->mmap_errno = -ENODEV;
		if (!S_ISSOCK(st->st_mode))
			d->kind = UMM_FILE_CHAR;
	}
}

/* The inode's append-only attribute (FS_IOC_GETFLAGS, FS_APPEND_FL). */
static bool inode_append_only(int fd, const struct stat *st)
{
	int attr = 0;

	if (!S_ISREG(st->st_mode) || ioctl(fd, FS_IOC_GETFLAGS, &attr) != 0)
		return false;
	return (attr & FS_APPEND_FL) != 0;
}

static struct umm_file *describe_fd(int fd, int flags, const char *fallback, int *err)
{
	struct umm_file_desc d = { 0 };
	struct umm_file *f = NULL;
	struct statfs sfs;
	struct statvfs svfs;
	struct stat st;
	char *path;

	if (fstat(fd, &st) != 0)
		goto fail_errno;
	/* An O_PATH descriptor cannot be asked about its mount; it cannot be
	 * mapped either, so there is nothing to learn from it. */
	if (fstatfs(fd, &sfs) != 0 || fstatvfs(fd, &svfs) != 0) {
		if (!(flags & O_PATH))
			goto fail_errno;
		memset(&sfs, 0, sizeof(sfs));
		memset(&svfs, 0, sizeof(svfs));
	}
	path = fd_path(fd, fallback, &st, &d.deleted);
	if (!path)
		goto fail_errno;
	d.path = path;
	d.dev_major = major(st.st_dev);
	d.dev_minor = minor(st.st_dev);
	d.ino = (unsigned long)st.st_ino;
	d.mode = mode_from_flags(flags);
	d.noexec_mount = (svfs.f_flag & ST_NOEXEC) != 0;
	classify(fd, &st, (long)sfs.f_type, &d);
	d.max_bytes = fs_max_bytes((long)sfs.f_type, (unsigned long)sfs.f_bsize);
	d.dev_zero = S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 5;
	d.append_only = inode_append_only(fd, &st);
	d.owner = st.st_uid == geteuid();
	/* hugetlbfs files are memory files like shmem, with huge pages. */
	if ((long)sfs.f_type == FS_HUGETLBFS && S_ISREG(st.st_mode)) {
		d.kind = UMM_FILE_SHMEM;
		d.huge_shift = huge_shift_of(&sfs);
	}
	f = umm_file_create(&d);
	kfree(NULL, path, PATH_MAX + 1);
	if (!f && err)
		*err = -ENOMEM;
	return f;

fail_errno:
	if (err)
		*err = errno ? -errno : -EIO;
	return NULL;
}

struct umm_file *umm_file_open_path(const char *path, int open_flags, int *err)
{
	struct umm_file *f;
	int fd;

	if (!path || (open_flags & ~(O_ACCMODE | O_APPEND | O_PATH)) ||
	    (open_flags & O_ACCMODE) == O_ACCMODE) {
		if (err)
			*err = -EINVAL;
		return NULL;
	}
	/* O_NONBLOCK so a FIFO does not wait for a writer, O_NOCTTY so a tty
	 * is not adopted: this open only looks at the file. */
	fd = open(path, open_flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (err)
			*err = -errno;
		return NULL;
	}
	f = describe_fd(fd, open_flags, path, err);
	close(fd);
	return f;
}

struct umm_file *umm_file_from_fd(int fd, int *err)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0) {
		if (err)
			*err = -errno;
		return NULL;
	}
	return describe_fd(fd, flags, NULL, err);
}
