#!/usr/bin/env bash
# fuzz.sh - build the libFuzzer harnesses of fuzz/ with clang (ASan, UBSan,
# the library's invariant checker on) into build-fuzz/ and run each one.
#
#   scripts/fuzz.sh [--seconds N] [--keep-going] [--build-only] [HARNESS...]
#
# HARNESS is fuzz_api, fuzz_trace or fuzz_import (default: all three, one
# after the other). Each runs N seconds (default 60) on a writable copy of
# its seed corpus (fuzz/corpus/HARNESS, copied to build-fuzz/corpus/HARNESS,
# which keeps growing across runs). Crash inputs land in
# build-fuzz/crashes/HARNESS/. --keep-going runs libFuzzer in fork mode
# and goes on after a crash, timeout or OOM, to collect several (a plain
# run stops at the first). Exit status 1 if any harness crashed (the
# inputs' paths are printed), 2 on a usage or build error.
#
# Environment: CC (default clang, else clang-14), FUZZ_JOBS (default 1:
# libFuzzer -jobs/-workers for each harness), FUZZ_ARGS (more libFuzzer
# flags).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build-fuzz
seconds=60
build_only=0
keep_going=()
harnesses=()
all=(fuzz_api fuzz_trace fuzz_import)

while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
	--seconds=*) seconds=${1#--seconds=}; shift ;;
	--build-only) build_only=1; shift ;;
	--keep-going) keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1); shift ;;
	-h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	fuzz_api|fuzz_trace|fuzz_import) harnesses+=("$1"); shift ;;
	*) echo "fuzz.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all[@]}")
case $seconds in ''|*[!0-9]*) echo "fuzz.sh: bad --seconds '$seconds'" >&2; exit 2 ;; esac

# clang, with its libFuzzer runtime.
if [ -z "${CC:-}" ]; then
	if command -v clang >/dev/null; then
		CC=clang
	elif command -v clang-14 >/dev/null; then
		CC=clang-14
	else
		echo "fuzz.sh: installing clang" >&2
		sudo=
		[ "$(id -u)" -eq 0 ] || sudo=sudo
		$sudo apt-get update -qq
		$sudo apt-get install -y clang >&2
		CC=clang
	fi
fi

# ---------------------------------------------------------------------
# Build (CMake with -DUMM_FUZZ=ON: fuzz/CMakeLists.txt)
# ---------------------------------------------------------------------
mkdir -p "$out/logs"
[ -f "$out/.gitignore" ] || echo '*' >"$out/.gitignore" # build output: never committed
CC=$CC cmake -S "$root" -B "$out" -DUMM_FUZZ=ON -DUMM_TESTS=OFF -DUMM_BENCH=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >"$out/logs/configure.log" 2>&1 ||
	{ cat "$out/logs/configure.log" >&2; echo "fuzz.sh: configuring failed" >&2; exit 2; }
cmake --build "$out" -j"$(nproc)" --target "${harnesses[@]}" >"$out/logs/build.log" 2>&1 ||
	{ tail -30 "$out/logs/build.log" >&2; echo "fuzz.sh: build failed" >&2; exit 2; }
for h in "${harnesses[@]}"; do
	echo "fuzz.sh: built $out/fuzz/$h"
done
[ "$build_only" -eq 0 ] || exit 0

# ---------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------
status=0
for h in "${harnesses[@]}"; do
	corpus=$out/corpus/$h
	crashes=$out/crashes/$h
	mkdir -p "$corpus" "$crashes"
	if [ -d "$root/fuzz/corpus/$h" ]; then
		cp -n "$root/fuzz/corpus/$h"/* "$corpus/" 2>/dev/null || true
	fi
	dict=()
	[ -f "$root/fuzz/$h.dict" ] && dict=(-dict="$root/fuzz/$h.dict")
	log=$out/logs/$h.log
	echo "fuzz.sh: running $h for ${seconds}s (log: $log)"
	find "$crashes" -type f | sort >"$out/logs/$h.before"
	rc=0
	# shellcheck disable=SC2086
	"$out/fuzz/$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$crashes/" -print_final_stats=1 "${dict[@]}" "${keep_going[@]}" \
		${FUZZ_JOBS:+-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS} ${FUZZ_ARGS:-} \
		"$corpus" >"$log" 2>&1 || rc=$?
	grep -aE '^stat::number_of_executed_units|^#[0-9]+' "$log" | tail -1 || true
	find "$crashes" -type f | sort | comm -13 "$out/logs/$h.before" - >"$out/logs/$h.new"
	if [ "$rc" -ne 0 ] || [ -s "$out/logs/$h.new" ]; then
		status=1
		echo "fuzz.sh: $h CRASHED (exit $rc); log: $log"
		# what each new input does, from a run of it alone (fork mode's
		# log does not keep the children's messages)
		while read -r c; do
			echo "  crash input: $c"
			"$out/fuzz/$h" "$c" 2>&1 | grep -aE 'ERROR: |invariant broken|fuzz_(api|trace|import):|runtime error|SUMMARY' |
				grep -av "Running [0-9]* inputs" | head -3 | sed 's/^/    /' || true
		done <"$out/logs/$h.new"
	else
		echo "fuzz.sh: $h: no crash"
	fi
done
exit $status
