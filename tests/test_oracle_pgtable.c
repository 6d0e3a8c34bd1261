/*
 * test_oracle_pgtable.c - page tables and anonymous pages against this
 * kernel: with "memstat" the oracle compares, after every op, how VmPTE
 * and RssAnon moved and how many minor faults the op took. The mappings
 * live at 0x300000000000, a PGD slot of their own, so that every table
 * they need is theirs. Expectations are what the kernel was measured to
 * return.
 */
#define _GNU_SOURCE
#include "oracle_test.h"

#define W "0x300000000000"

/* A write maps a page and the three tables above it (PUD, PMD, PTE); a
 * read maps the zero page (or, where the kernel forbids it, a page); a
 * write to the zero page replaces it; munmap frees everything. */
ORACLE_SCENARIO(anon_faults,
	"memstat\n"
	"a=mmap " W " 16K PROT_RW MAP_PAF -1 0\n"
	"touch a PROT_WRITE => 0\n"
	"touch a PROT_WRITE => 0\n"
	"touch a+4K PROT_READ => 0\n"
	"touch a+4K PROT_READ => 0\n"
	"touch a+4K PROT_WRITE => 0\n"
	"touch a+8K PROT_READ => 0\n"
	"mincore a 16K => 0\n"
	"munmap a 16K => 0\n"
	"b=mmap " W " 16K PROT_READ MAP_PAF -1 0\n"
	"touch b PROT_READ => 0\n"
	"munmap b 16K => 0\n")

/* free_pgtables: a table goes only when no VMA left beside the hole
 * shares it (floor and ceiling), and MADV_DONTNEED frees none. */
ORACLE_SCENARIO(free_pgtables_floor_ceiling,
	"memstat\n"
	"a=mmap " W " 4K PROT_RW MAP_PAF -1 0\n"
	"touch a PROT_WRITE => 0\n"
	"b=mmap " W "+4M 4K PROT_RW MAP_PAF -1 0\n"
	"touch b PROT_WRITE => 0\n"
	"munmap b 4K => 0\n"
	"madvise a 4K MADV_DONTNEED => 0\n"
	"munmap a 4K => 0\n"
	"c=mmap " W " 4M PROT_RW MAP_PAF -1 0\n"
	"touch c PROT_WRITE => 0\n"
	"touch c+1M PROT_WRITE => 0\n"
	"touch c+2M PROT_WRITE => 0\n"
	"touch c+3M PROT_WRITE => 0\n"
	"munmap c+2M 2M => 0\n"
	"munmap c+4K 2M-4K => 0\n"
	"munmap c 4K => 0\n"
	"d=mmap " W "+1G-4K 8K PROT_RW MAP_PAF -1 0\n"
	"touch d PROT_WRITE => 0\n"
	"touch d+4K PROT_WRITE => 0\n"
	"munmap d 4K => 0\n"
	"munmap d+4K 4K => 0\n")

/* One munmap over several VMAs with holes: the VMAs close together are
 * freed as one group. */
ORACLE_SCENARIO(free_pgtables_groups,
	"memstat\n"
	"a=mmap " W " 4K PROT_RW MAP_PAF -1 0\n"
	"b=mmap " W "+1M 4K PROT_RW MAP_PAF -1 0\n"
	"c=mmap " W "+8M 4K PROT_RW MAP_PAF -1 0\n"
	"d=mmap " W "+2G 4K PROT_RW MAP_PAF -1 0\n"
	"touch a PROT_WRITE => 0\n"
	"touch b PROT_WRITE => 0\n"
	"touch c PROT_WRITE => 0\n"
	"touch d PROT_WRITE => 0\n"
	"munmap b 8M => 0\n"
	"munmap a 4G => 0\n")

/* mremap moves the entries: whole tables where the move covers them at
 * aligned addresses, PTE by PTE into new tables elsewhere; the pages
 * move with them (no fault, no copy). */
ORACLE_SCENARIO(mremap_moves_tables,
	"memstat\n"
	"a=mmap " W " 4M PROT_RW MAP_PAF -1 0\n"
	"touch a PROT_WRITE => 0\n"
	"touch a+1M PROT_WRITE => 0\n"
	"touch a+2M PROT_WRITE => 0\n"
	"touch a+3M PROT_WRITE => 0\n"
	"b=mremap a 4M 4M MREMAP_MAYMOVE|MREMAP_FIXED " W "+1G => " W "+1G\n"
	"c=mremap b 4M 4M MREMAP_MAYMOVE|MREMAP_FIXED " W "+2G+4K => " W "+2G+4K\n"
	"touch c+3M PROT_WRITE => 0\n"
	"d=mremap c 4M 4M MREMAP_MAYMOVE|MREMAP_FIXED " W "+3G+4K => " W "+3G+4K\n"
	"e=mremap d+4K 1M 1M MREMAP_MAYMOVE|MREMAP_FIXED " W "+4G => " W "+4G\n"
	"f=mremap e 1M 1M MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP " W "+5G => " W "+5G\n"
	"touch e PROT_WRITE => 0\n"
	"munmap " W " 8G => 0\n")

/* MAP_FIXED over touched memory frees its tables before the new mapping
 * (which has none); mprotect changes entries, never tables; a page
 * made read-only then writable again is still this space's alone, so
 * the write needs no fault. */
ORACLE_SCENARIO(fixed_and_mprotect,
	"memstat\n"
	"a=mmap " W " 4M PROT_RW MAP_PAF -1 0\n"
	"touch a PROT_WRITE => 0\n"
	"touch a+3M PROT_WRITE => 0\n"
	"mmap a 4M PROT_RW MAP_PAF -1 0 => " W "\n"
	"touch a PROT_WRITE => 0\n"
	"mprotect a 4M PROT_READ => 0\n"
	"touch a PROT_READ => 0\n"
	"mprotect a 4M PROT_RW => 0\n"
	"touch a PROT_WRITE => 0\n"
	"touch a+4K PROT_READ => 0\n"
	"mprotect a 4M PROT_NONE => 0\n"
	"mincore a 256K => 0\n"
	"mprotect a 4M PROT_RW => 0\n"
	"touch a+4K PROT_WRITE => 0\n"
	"munmap a 4M => 0\n")

/* Populating faults each page in, one minor fault each; pages already
 * there cost none. */
ORACLE_SCENARIO(populate_counts,
	"memstat\n"
	"a=mmap " W " 64K PROT_RW MAP_PAF|MAP_POPULATE -1 0\n"
	"madvise a 64K MADV_DONTNEED => 0\n"
	"madvise a 32K MADV_POPULATE_READ => 0\n"
	"madvise a 64K MADV_POPULATE_WRITE => 0\n"
	"madvise a 64K MADV_POPULATE_WRITE => 0\n"
	"munmap a 64K => 0\n"
	"b=mmap " W " 64K PROT_RW MAP_PAF -1 0\n"
	"mlock b 16K => 0\n"
	"mlock2 b 64K MLOCK_ONFAULT => 0\n"
	"munlock b 64K => 0\n"
	"mprotect b 64K PROT_READ => 0\n"
	"mlock b+16K 16K => 0\n"
	"mprotect b 64K PROT_RW => 0\n"
	"munmap b 64K => 0\n"
	"c=mmap " W " 64K PROT_READ MAP_PAF|MAP_LOCKED -1 0\n"
	"mprotect c 64K PROT_RW => 0\n"
	"munmap c 64K => 0\n")

/* Guard markers are entries: installing makes the tables and drops the
 * pages there; removing leaves the tables. */
ORACLE_SCENARIO(guard_markers,
	"memstat\n"
	"a=mmap " W " 16K PROT_RW MAP_PAF -1 0\n"
	"madvise a 4K MADV_GUARD_INSTALL => 0\n"
	"touch a PROT_READ => 0xb01\n"
	"touch a+4K PROT_WRITE => 0\n"
	"madvise a 16K MADV_GUARD_INSTALL => 0\n"
	"madvise a 16K MADV_DONTNEED => 0\n"
	"touch a+4K PROT_READ => 0xb01\n"
	"mincore a 16K => 0\n"
	"madvise a 8K MADV_GUARD_REMOVE => 0\n"
	"touch a+4K PROT_READ => 0\n"
	"b=mremap a 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED " W "+1G => " W "+1G\n"
	"touch b+8K PROT_READ => 0xb01\n"
	"munmap b 16K => 0\n")

/* MADV_FREE keeps the pages (clean, lazily freed) and a write takes no
 * fault; MADV_PAGEOUT, with no swap, drops the clean ones and keeps the
 * one written since and the pages never freed; a read of a dropped page
 * faults the zero page in. */
ORACLE_SCENARIO(lazyfree_and_pageout,
	"memstat\n"
	"a=mmap " W " 64K PROT_RW MAP_PAF|MAP_POPULATE -1 0\n"
	"madvise a 32K MADV_FREE => 0\n"
	"touch a+4K PROT_WRITE => 0\n"
	"madvise a 64K MADV_COLD => 0\n"
	"madvise a 64K MADV_PAGEOUT => 0\n"
	"mincore a 64K => 0\n"
	"touch a PROT_READ => 0\n"
	"touch a+4K PROT_READ => 0\n"
	"touch a+8K PROT_WRITE => 0\n"
	"madvise a 64K MADV_PAGEOUT => 0\n"
	"madvise a+32K 32K MADV_FREE => 0\n"
	"madvise a+32K 32K MADV_FREE => 0\n"
	"madvise a 64K MADV_PAGEOUT => 0\n"
	"munmap a 64K => 0\n")

/* smaps' counters of the window's VMAs, line for line: Rss, Pss,
 * Private_Dirty and Referenced of written pages, none for the zero
 * page, Locked, PROT_NONE pages still resident. (Not MADV_FREE, COLD or
 * PAGEOUT here: what LazyFree and Referenced show right after them
 * depends on whether the kernel's per-CPU LRU batches have drained,
 * which the runner's own faults decide; usermm shows them drained.) */
ORACLE_SCENARIO(smaps_counters,
	"memstat\n"
	"smaps\n"
	"a=mmap " W " 64K PROT_RW MAP_PAF -1 0\n"
	"touch a PROT_WRITE => 0\n"
	"touch a+4K PROT_READ => 0\n"
	"madvise a+8K 16K MADV_POPULATE_WRITE => 0\n"
	"madvise a+24K 8K MADV_POPULATE_READ => 0\n"
	"touch a+12K PROT_WRITE => 0\n"
	"mlock a+32K 16K => 0\n"
	"mprotect a+48K 16K PROT_NONE => 0\n"
	"madvise a+8K 8K MADV_DONTNEED => 0\n"
	"b=mmap " W "+1M 16K PROT_READ MAP_PAF|MAP_POPULATE -1 0\n"
	"c=mmap " W "+2M 16K PROT_RW MAP_PAF|MAP_LOCKED -1 0\n"
	"mprotect c 16K PROT_READ => 0\n"
	"munmap a 64K => 0\n")

/* The bytes: new memory reads zero, a write reads back, mremap carries
 * it, MADV_DONTNEED zeroes it, MADV_FREE keeps it until MADV_PAGEOUT
 * drops the clean pages, a write since keeps it, a guard marker faults,
 * PROT_NONE faults and keeps the byte for later. */
ORACLE_SCENARIO(bytes,
	"memstat\n"
	"a=mmap " W " 64K PROT_RW MAP_PAF -1 0\n"
	"peek a+100 => 0\n"
	"poke a+100 0x5a => 0\n"
	"peek a+100 => 0x5a\n"
	"poke a+4K 0x11 => 0\n"
	"poke a+8K 0x22 => 0\n"
	"poke a+12K 0x33 => 0\n"
	"b=mremap a 64K 64K MREMAP_MAYMOVE|MREMAP_FIXED " W "+1G => " W "+1G\n"
	"peek b+100 => 0x5a\n"
	"peek a+100 => 0xb01\n"
	"madvise b 4K MADV_DONTNEED => 0\n"
	"peek b+100 => 0\n"
	"madvise b+4K 12K MADV_FREE => 0\n"
	"peek b+4K => 0x11\n"
	"poke b+8K 0x44 => 0\n"
	"madvise b 64K MADV_PAGEOUT => 0\n"
	"peek b+4K => 0\n"
	"peek b+8K => 0x44\n"
	"peek b+12K => 0\n"
	"mprotect b+8K 4K PROT_NONE => 0\n"
	"peek b+8K => 0xb02\n"
	"mprotect b+8K 4K PROT_READ => 0\n"
	"peek b+8K => 0x44\n"
	"poke b+8K 1 => 0xb02\n"
	"madvise b+16K 4K MADV_GUARD_INSTALL => 0\n"
	"poke b+16K 1 => 0xb01\n"
	"munmap b 64K => 0\n")

/* mprotect making part of a locked PROT_NONE VMA writable populates
 * that part only, even when it then merges into a locked writable
 * neighbour whose pages mlock never faulted in (the mlock stopped at a
 * hole: ENOMEM after locking). Found by difftest. */
ORACLE_SCENARIO(mprotect_locked_populates_range,
	"memstat\n"
	"smaps\n"
	"a=mmap " W "+16K 16K PROT_RW MAP_PAF -1 0\n"
	"b=mmap " W " 16K PROT_NONE MAP_PAF -1 0\n"
	"mlock " W "+8K 1M => -ENOMEM\n"
	"mprotect " W "+12K 4K PROT_RW => 0\n"
	"munmap " W " 32K => 0\n")

/* Shared anonymous memory: its pages are its hidden file's cache. A read
 * of a hole allocates a clean page, a write a dirty one; MADV_DONTNEED
 * unmaps and the cache keeps the pages (mincore still 1, the bytes
 * stay); a read fault then maps the cached pages around it (fault-around,
 * one fault); MADV_REMOVE punches the hole (zeros); MADV_PAGEOUT unmaps
 * everything and drops the pages never written. */
ORACLE_SCENARIO(shared_anon_pages,
	"memstat\n"
	"smaps\n"
	"a=mmap " W " 64K PROT_RW MAP_SAF -1 0\n"
	"touch a PROT_READ => 0\n"
	"poke a+4K 0x11 => 0\n"
	"mincore a 64K => 0\n"
	"poke a+16K 0x16 => 0\n"
	"poke a+20K 0x20 => 0\n"
	"poke a+24K 0x24 => 0\n"
	"poke a 0x1 => 0\n"
	"madvise a 64K MADV_DONTNEED => 0\n"
	"mincore a 64K => 0\n"
	"peek a+4K => 0x11\n"
	"peek a+36K => 0\n"
	"madvise a+16K 4K MADV_REMOVE => 0\n"
	"mincore a 64K => 0\n"
	"peek a+16K => 0\n"
	"madvise a 64K MADV_COLD => 0\n"
	"madvise a 64K MADV_PAGEOUT => 0\n"
	"mincore a 64K => 0\n"
	"peek a+20K => 0x20\n"
	"peek a+36K => 0\n"
	"mprotect a 64K PROT_READ => 0\n"
	"mprotect a 64K PROT_RW => 0\n"
	"poke a+60K 1 => 0\n"
	"b=mremap a 64K 64K MREMAP_MAYMOVE|MREMAP_FIXED " W "+128K => " W "+128K\n"
	"peek b+24K => 0x24\n"
	"madvise b 64K MADV_FREE => -EINVAL\n"
	"munmap b 64K => 0\n")

/* Fault-around's block: 16 entries aligned in the PTE table, clipped to
 * the VMA (a VMA starting inside a block gets the 16 from its start) and
 * to the file's end, where a fault past it is SIGBUS yet maps what lies
 * before. Populating shared memory reads: clean pages. */
ORACLE_SCENARIO(shared_anon_fault_around,
	"memstat\n"
	"smaps\n"
	"c=mmap " W "+8K 128K PROT_RW MAP_SAF|MAP_POPULATE -1 0\n"
	"madvise c 128K MADV_DONTNEED => 0\n"
	"peek c+8K => 0\n"
	"peek c+100K => 0\n"
	"mincore c 128K => 0\n"
	"mlock c 128K => 0\n"
	"munlock c 128K => 0\n"
	"d=mmap " W "+192K 16K PROT_RW MAP_SAF -1 0\n"
	"poke d 1 => 0\n"
	"poke d+8K 2 => 0\n"
	"madvise d 16K MADV_DONTNEED => 0\n"
	"e=mremap d 16K 32K 0 0 => " W "+192K\n"
	"peek e+20K => 0x702\n"
	"peek e+8K => 0x2\n"
	"madvise e 16K MADV_POPULATE_WRITE => 0\n"
	"madvise e 32K MADV_POPULATE_READ => -EFAULT\n"
	"munmap c 128K => 0\n"
	"munmap e 32K => 0\n")

/* mincore's vector in the scenario's memory is written as the task's own
 * write would: a shared page is faulted in and dirtied, a read-only
 * page is EFAULT after the residency bytes before it landed, and a
 * range with a hole writes the part before the hole (ENOMEM). Found by
 * difftest (a vector at address 0 mapped shared). */
ORACLE_SCENARIO(mincore_writes_vector,
	"memstat\n"
	"smaps\n"
	"a=mmap " W " 64K PROT_RW MAP_PAF -1 0\n"
	"v=mmap " W "+1M 8K PROT_RW MAP_SAF -1 0\n"
	"touch a PROT_WRITE => 0\n"
	"touch a+8K PROT_READ => 0\n"
	"mincore_to a 64K v+100 => 0\n"
	"peek v+100 => 1\n"
	"peek v+101 => 0\n"
	"peek v+102 => 1\n"
	"r=mmap " W "+2M 4K PROT_READ MAP_PAF -1 0\n"
	"mincore_to a 64K r => -EFAULT\n"
	"mincore_to a 64K v+4K-8 => 0\n"
	"madvise v 8K MADV_REMOVE => 0\n"
	"mprotect v+4K 4K PROT_READ => 0\n"
	"mincore_to a 64K v+4K-8 => -EFAULT\n"
	"peek v+4K-8 => 1\n"
	"munmap a+16K 4K => 0\n"
	"madvise v 8K MADV_REMOVE => 0\n"
	"mincore_to a 64K v+200 => -ENOMEM\n"
	"peek v+200 => 1\n"
	"peek v+215 => 0\n"
	"munmap a 64K => 0\n"
	"munmap v 8K => 0\n"
	"munmap r 4K => 0\n")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(anon_faults),
		cmocka_unit_test(free_pgtables_floor_ceiling),
		cmocka_unit_test(free_pgtables_groups),
		cmocka_unit_test(mremap_moves_tables),
		cmocka_unit_test(fixed_and_mprotect),
		cmocka_unit_test(populate_counts),
		cmocka_unit_test(guard_markers),
		cmocka_unit_test(lazyfree_and_pageout),
		cmocka_unit_test(smaps_counters),
		cmocka_unit_test(bytes),
		cmocka_unit_test(mprotect_locked_populates_range),
		cmocka_unit_test(shared_anon_pages),
		cmocka_unit_test(shared_anon_fault_around),
		cmocka_unit_test(mincore_writes_vector),
	};

	return cmocka_run_group_tests(tests, oracle_files_setup, oracle_files_teardown);
}
