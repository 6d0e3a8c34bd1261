#!/usr/bin/env python3
"""make_corpus.py - writes the seed corpora of fuzz/corpus/ from the shipped
traces (tests/traces) and a few hand-made fuzz_api inputs. Run from
anywhere; it replaces fuzz/corpus/ whole. Deterministic."""
import hashlib
import os
import random
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRACES = os.path.join(ROOT, "tests", "traces")
OUT = os.path.join(ROOT, "fuzz", "corpus")
SEP = b"%%%%\n"
PIECE = 3000  # bytes of trace per piece


def put(harness, name, data):
    d = os.path.join(OUT, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def pieces(data, size):
    """Whole lines, about size bytes a piece."""
    out, cur = [], b""
    for line in data.splitlines(keepends=True):
        if cur and len(cur) + len(line) > size:
            out.append(cur)
            cur = b""
        cur += line
    if cur:
        out.append(cur)
    return out


def trace_seeds():
    dirs = [TRACES, os.path.join(TRACES, "synthetic")]
    for d in dirs:
        for fn in sorted(os.listdir(d)):
            if not fn.endswith(".trace"):
                continue
            stem = fn[:-len(".trace")]
            data = read(os.path.join(d, fn))
            maps_path = os.path.join(d, stem + ".maps")
            maps = read(maps_path) if os.path.exists(maps_path) else None
            tag = ("syn_" if d != TRACES else "") + stem
            for i, p in enumerate(pieces(data, PIECE)):
                put("fuzz_trace", "%s.%02d" % (tag, i), p)
                if i == 0 and maps is not None:
                    put("fuzz_trace", "%s.%02d.withmaps" % (tag, i), maps + SEP + p)
            if d != TRACES:
                put("fuzz_trace", "%s.check" % tag, (maps + SEP if maps else b"") + b"#check\n" + data)


def import_seeds():
    for d in [TRACES, os.path.join(TRACES, "synthetic")]:
        for fn in sorted(os.listdir(d)):
            if fn.endswith(".maps"):
                put("fuzz_import", ("syn_" if d != TRACES else "") + fn, read(os.path.join(d, fn)))
    # smaps text as usermm writes it (cat.maps imported, written with
    # umm_smaps_string): kept in fuzz/seeds/, not regenerated here
    seeds = os.path.join(ROOT, "fuzz", "seeds")
    for fn in sorted(os.listdir(seeds)):
        put("fuzz_import", fn, read(os.path.join(seeds, fn)))
    # a few hand-made corner lines
    put("fuzz_import", "hand_anon_names",
        b"7f0000000000-7f0000002000 rw-p 00000000 00:00 0                          [anon:foo]\n"
        b"7f0000002000-7f0000003000 rw-s 00000000 00:01 1234                       [anon_shmem:bar]\n"
        b"7f0000003000-7f0000004000 rw-s 00000000 00:01 1235                       /dev/zero (deleted)\n"
        b"7f0000004000-7f0000005000 r--p 00000000 fe:00 77                         /a path/with spaces (deleted)\n"
        b"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n")


# fuzz_api: op numbers as in fuzz_api.c's enum op
(OP_MMAP, OP_MMAP_FILE, OP_MUNMAP, OP_MPROTECT, OP_PKEY_MPROTECT, OP_PKEY_ALLOC, OP_PKEY_FREE,
 OP_PKRU_SET, OP_MREMAP, OP_BRK, OP_MADVISE, OP_MSEAL, OP_MLOCK, OP_MLOCK2, OP_MUNLOCK,
 OP_MLOCKALL, OP_MUNLOCKALL, OP_MSYNC, OP_MINCORE, OP_MINCORE_USER, OP_ANON_NAME, OP_FAULT,
 OP_MAPS, OP_SMAPS, OP_FIND_VMA, OP_ITER, OP_STATS, OP_SWITCH, OP_MMAP_FIXED_OVER,
 OP_MREMAP_VMA, OP_MADVISE_VMA, OP_NOP) = range(32)


def vma_addr(idx, page, where=2):
    """gen_addr: a VMA's page (sel 1: < 150, odd: no delta)."""
    return [1, (page << 2) | where, idx]


def api_seeds():
    hdr = [0x00, 0x00, 0x10, 0x00]  # one space, regular file of 16 pages
    mmap4 = [OP_MMAP, 0, 3, 3, 0, 0]  # mmap(NULL, 4 pages, RW, PRIVATE|ANON)
    seeds = {
        "mmap_split_merge": hdr + mmap4 + [OP_MPROTECT] + vma_addr(0, 1) + [1, 1]
        + [OP_MPROTECT] + vma_addr(0, 1) + [1, 3] + [OP_MUNMAP] + vma_addr(0, 2) + [0] + [OP_MAPS],
        "mremap_grow": hdr + mmap4 + [OP_MREMAP_VMA, 0x41, 0, 3] + [OP_MREMAP, 1] + vma_addr(0, 0, 0)
        + [20, 3, 7] + [OP_SMAPS],
        "file_maps": hdr + [OP_MMAP_FILE, 0, 3, 1, 0, 0, 0, 0] + [OP_MMAP_FILE, 0, 3, 3, 1, 0, 0, 2]
        + [OP_MMAP_FILE, 0, 3, 3, 1, 0, 0, 4] + [OP_MMAP_FILE, 0, 3, 3, 0, 0, 0, 4]
        + [OP_MADVISE_VMA, 9, 0] + [OP_MSYNC, 4] + vma_addr(1, 0, 0) + [2] + [OP_MAPS],
        "mlock_seal": hdr + mmap4 + [OP_MLOCK] + vma_addr(0, 1) + [1] + [OP_MSEAL, 0] + vma_addr(0, 2) + [0]
        + [OP_MUNLOCK] + vma_addr(0, 0, 0) + [3] + [OP_MLOCKALL, 3] + mmap4 + [OP_MUNLOCKALL] + [OP_MAPS],
        "two_spaces": [0x01 | 0x08 | 0x20 | 0x40, 0x03 | 0x04, 4, 0] + mmap4 + [OP_SWITCH] + mmap4
        + [OP_PKEY_ALLOC, 1] + [OP_PKEY_MPROTECT, 3] + vma_addr(0, 1) + [1, 1]
        + [OP_ANON_NAME, 2] + vma_addr(0, 0, 0) + [3] + [OP_FAULT, 1] + vma_addr(0, 0, 0) + [0x80, 0] + [OP_MAPS],
        "image_brk": [0x02, 0, 1, 0] + [OP_BRK, 1, 4] + [OP_BRK, 2, 2] + [OP_BRK, 0]
        + [OP_FAULT, 1, 15, 70, 0x80, 1] + [OP_MADVISE, 25] + vma_addr(3, 0, 0) + [1] + [OP_SMAPS],
    }
    for name, b in seeds.items():
        put("fuzz_api", name, bytes(b))
    rng = random.Random(1234)
    for i in range(8):
        put("fuzz_api", "random%d" % i, bytes(rng.randrange(256) for _ in range(64 + 64 * i)))


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    trace_seeds()
    import_seeds()
    api_seeds()


if __name__ == "__main__":
    main()
