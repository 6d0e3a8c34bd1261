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
# Build
# ---------------------------------------------------------------------
sanitize=(-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
cflags=(-std=gnu17 -g -O1 -Wall -Wextra "${sanitize[@]}" -DUMM_CHECK_INVARIANTS=1
	-I"$root/include" -I"$root/src/mm")
mkdir -p "$out/obj/lib" "$out/obj/tools" "$out/logs"
[ -f "$out/.gitignore" ] || echo '*' >"$out/.gitignore" # build output: never committed

# Compiles $2 into $1 unless the object is newer than the source and every
# header it may include.
compile() {
	local obj=$1 src=$2
	shift 2
	if [ -f "$obj" ] && [ "$obj" -nt "$src" ] &&
		[ -z "$(find "$root/include" "$root/src/mm" "$root/tools" -name '*.h' -newer "$obj")" ] &&
		[ "$obj" -nt "$0" ]; then
		return 0
	fi
	"$CC" "${cflags[@]}" "$@" -c "$src" -o "$obj" 2>"$obj.log" || {
		cat "$obj.log" >&2
		echo "fuzz.sh: compiling $src failed" >&2
		return 1
	}
	# warnings are reported, not fatal (the gcc build has -Werror)
	[ -s "$obj.log" ] && cat "$obj.log" >&2
	return 0
}

libobjs=()
pids=()
for src in "$root"/src/mm/*.c; do
	obj=$out/obj/lib/$(basename "${src%.c}").o
	libobjs+=("$obj")
	compile "$obj" "$src" &
	pids+=($!)
	# two at a time
	if [ ${#pids[@]} -ge 2 ]; then
		wait "${pids[0]}" || { echo "fuzz.sh: build failed" >&2; exit 2; }
		pids=("${pids[@]:1}")
	fi
done
for p in "${pids[@]}"; do wait "$p" || { echo "fuzz.sh: build failed" >&2; exit 2; }; done

# The tool's trace parser and replay engine; cmd_replay.c is included by
# fuzz_trace.c itself (its static functions are the ones that run).
toolobjs=()
for t in replay strace_parse; do
	compile "$out/obj/tools/$t.o" "$root/tools/$t.c" -I"$root/tools" || exit 2
	toolobjs+=("$out/obj/tools/$t.o")
done

for h in "${harnesses[@]}"; do
	extra=()
	objs=("${libobjs[@]}")
	if [ "$h" = fuzz_trace ]; then
		extra=(-I"$root/tools")
		objs+=("${toolobjs[@]}")
	fi
	rm -f "$out/obj/$h.o" # cheap, and fuzz_trace.c includes tools/cmd_replay.c
	compile "$out/obj/$h.o" "$root/fuzz/$h.c" "${extra[@]}" || exit 2
	"$CC" "${sanitize[@]}" "$out/obj/$h.o" "${objs[@]}" -lpthread -o "$out/$h" ||
		{ echo "fuzz.sh: linking $h failed" >&2; exit 2; }
	echo "fuzz.sh: built $out/$h"
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
	"$out/$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
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
			"$out/$h" "$c" 2>&1 | grep -aE 'ERROR: |invariant broken|fuzz_(api|trace|import):|runtime error|SUMMARY' |
				grep -av "Running [0-9]* inputs" | head -3 | sed 's/^/    /' || true
		done <"$out/logs/$h.new"
	else
		echo "fuzz.sh: $h: no crash"
	fi
done
exit $status
