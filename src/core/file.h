/*
 * file.h - struct umm_file, the kernel's struct file (and the inode
 * facts a mapping needs, in desc): reference counted, shared by every
 * space that maps it. file.c owns the object; host/host_file.c describes
 * host files; mem/filemap.c keeps the shmem page-cache record.
 */
#ifndef UMM_CORE_FILE_H
#define UMM_CORE_FILE_H

#include "core/range_set.h"
#include "core/types.h"

#include <pthread.h>
#include <stdatomic.h>

struct umm_file {
	atomic_long refcount;
	struct umm_file_desc desc; /* desc.path points to path below */
	char *path;
	bool shmem_anon; /* the hidden file behind a MAP_SHARED|MAP_ANONYMOUS mapping */
	const struct umm_allocator *alloc; /* the handle's memory came from here */
	/* shmem files: the page indices in the page cache (faults and
	 * populates put them there, MADV_REMOVE takes them out), which
	 * decides MADV_COLLAPSE. Shared by every space that maps the file. */
	pthread_mutex_t cache_lock;
	struct range_set cached;
	/* The hidden file of shared anonymous memory: its pages (the memory
	 * layer's page cache, mem/shmem.c, under cache_lock; NULL until the
	 * first fault), freed with the file by release_mapping. */
	struct address_space *mapping;
	void (*release_mapping)(struct umm_file *file);
};

/* ext4_max_size with extents and huge_file: 2^32 - 1 blocks. A file
 * described without a limit is taken to live on ext4 with 4 KiB blocks. */
#define EXT4_MAX_BLOCKS ((1ULL << 32) - 1)

/* umm_file_create with the handle's memory from alloc. */
struct umm_file *file_create(const struct umm_allocator *alloc, const struct umm_file_desc *desc);
/* Makes the hidden shmem file of a shared anonymous mapping. */
struct umm_file *shmem_zero_file(const struct umm_allocator *alloc, unsigned long ino,
				 unsigned long long size);

#endif
