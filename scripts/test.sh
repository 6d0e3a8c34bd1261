#!/usr/bin/env bash
# Builds usermm and runs every test twice: a normal build, then one with
# AddressSanitizer and UndefinedBehaviorSanitizer; then the concurrency
# tests under ThreadSanitizer; then each fuzzer for 20 seconds. Installs
# cmocka (the test framework) with apt-get if it is missing, and clang
# (for the fuzzers) through scripts/fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f /usr/include/cmocka.h ] || ! command -v cmake >/dev/null; then
	SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq libcmocka-dev cmake gcc pkg-config
fi
jobs=$(nproc)
for variant in plain sanitize; do
	dir=build-test-$variant
	opt=OFF
	[ "$variant" = sanitize ] && opt=ON
	echo "== $variant build (UMM_SANITIZE=$opt)"
	cmake -S . -B "$dir" -DUMM_SANITIZE=$opt -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$dir" -j"$jobs" >/dev/null
	ctest --test-dir "$dir" --output-on-failure -j"$jobs"
done
echo "== tsan build (UMM_TSAN=ON): the concurrency tests"
cmake -S . -B build-test-tsan -DUMM_TSAN=ON -DUMM_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-test-tsan -j"$jobs" >/dev/null
ctest --test-dir build-test-tsan --output-on-failure -j"$jobs"
echo "== fuzz: each libFuzzer harness for 20 s (longer runs: scripts/fuzz.sh)"
scripts/fuzz.sh --seconds 20
