#!/usr/bin/env bash
# Builds usermm and runs its main job on the bundled example: a script of
# mmap/munmap/mprotect/brk calls played on a fresh address space, printed
# call by call and then as /proc/PID/maps text.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v cmake >/dev/null || need+=(cmake)
command -v cc >/dev/null || need+=(gcc)
if ((${#need[@]})); then
	SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
	$SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}"
fi
cmake -S . -B build -DUMM_TESTS=OFF -DUMM_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
./build/usermm run "${1:-examples/basic.ops}"
