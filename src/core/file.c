/*
 * file.c - owns struct umm_file, usermm's struct file: handles described
 * purely in memory (umm_file_create), the hidden shmem file behind a
 * shared anonymous mapping (shmem_zero_file), and the atomic reference
 * count that lets one handle live in several address spaces at once.
 * Handles of host files are described by host/host_file.c.
 *
 * A handle only records identity (path, device, inode, size, open mode)
 * and whether mmap can work on it at all; usermm never reads file data.
 */
#include "core/alloc.h"
#include "core/file.h"
#include "core/range_set.h"

#include <limits.h>
#include <string.h>

#define MODE_BITS (UMM_FILE_READ | UMM_FILE_WRITE | UMM_FILE_APPEND | UMM_FILE_PATH)

static bool desc_valid(const struct umm_file_desc *d)
{
	if (!d || !d->path || (d->mode & ~MODE_BITS))
		return false;
	if (d->kind != UMM_FILE_REGULAR && d->kind != UMM_FILE_SHMEM &&
	    d->kind != UMM_FILE_CHAR)
		return false;
	if (d->huge_shift && (d->kind != UMM_FILE_SHMEM || (d->huge_shift != 21 &&
							      d->huge_shift != 30)))
		return false;
	/* mmap_errno is returned as is by mmap, so it must look like one. */
	return d->mmap_errno <= 0 && d->mmap_errno > -4096;
}

struct umm_file *file_create(const struct umm_allocator *alloc, const struct umm_file_desc *desc)
{
	struct umm_file *f;
	size_t n;

	if (!desc_valid(desc))
		return NULL;
	n = strlen(desc->path);
	/* One block: the path lives right behind the struct, so a single
	 * kfree in umm_file_put releases everything. */
	f = kzalloc(alloc, sizeof(*f) + n + 1);
	if (!f)
		return NULL;
	f->alloc = alloc;
	f->cached.alloc = alloc;
	if (pthread_mutex_init(&f->cache_lock, NULL)) {
		kfree(alloc, f, sizeof(*f) + n + 1);
		return NULL;
	}
	f->path = (char *)(f + 1);
	memcpy(f->path, desc->path, n + 1);
	f->desc = *desc;
	f->desc.path = f->path;
	if (!f->desc.max_bytes)
		f->desc.max_bytes = desc->kind == UMM_FILE_REGULAR ? (EXT4_MAX_BLOCKS << 12) : LLONG_MAX;
	atomic_init(&f->refcount, 1);
	return f;
}

struct umm_file *umm_file_create(const struct umm_file_desc *desc)
{
	return file_create(NULL, desc);
}

struct umm_file *umm_file_get(struct umm_file *file)
{
	/* Taking a reference needs no ordering: the caller already holds one. */
	if (file)
		atomic_fetch_add_explicit(&file->refcount, 1, memory_order_relaxed);
	return file;
}

void umm_file_put(struct umm_file *file)
{
	/* acq_rel: the last dropper must see every other user's writes
	 * before it frees. */
	if (file && atomic_fetch_sub_explicit(&file->refcount, 1, memory_order_acq_rel) == 1) {
		if (file->release_mapping)
			file->release_mapping(file);
		range_set_destroy(&file->cached);
		pthread_mutex_destroy(&file->cache_lock);
		kfree(file->alloc, file, sizeof(*file) + strlen(file->path) + 1);
	}
}

const struct umm_file_desc *umm_file_describe(const struct umm_file *file)
{
	return file ? &file->desc : NULL;
}

struct umm_file *shmem_zero_file(const struct umm_allocator *alloc, unsigned long ino,
				 unsigned long long size)
{
	/* What the kernel's shmem_zero_setup makes: an unlinked file on the
	 * internal shm mount (device 0:1), opened read-write, that maps
	 * shows as "/dev/zero (deleted)". */
	struct umm_file_desc d = {
		.path = "/dev/zero",
		.dev_major = 0,
		.dev_minor = 1,
		.ino = ino,
		.size = size,
		.mode = UMM_FILE_READ | UMM_FILE_WRITE,
		.kind = UMM_FILE_SHMEM,
		.deleted = true,
	};
	struct umm_file *f = file_create(alloc, &d);

	if (f)
		f->shmem_anon = true;
	return f;
}
