#!/usr/bin/env bash
# Builds usermm and runs its main job on a bundled example: it records a
# real program (ls /) under ptrace, replays every memory call of the trace
# on usermm, checking each result against the kernel's, and prints the
# address space as usermm computed it, with the verification summary.
# A second argument-free part plays the bundled call script
# examples/basic.ops on an empty address space.
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
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== usermm record -o $out/ls -- ls /"
./build/usermm record -o "$out/ls" -- ls / >/dev/null
echo "== usermm replay --check (every result compared with the kernel's)"
./build/usermm replay --check -q --maps "$out/ls.maps" --dump-maps "$out/final.maps" "$out/ls.trace"
echo "== the address space of 'ls /' at its exit, as usermm computed it"
cat "$out/final.maps"
echo
echo "== usermm run examples/basic.ops (calls on an empty address space)"
./build/usermm run examples/basic.ops
