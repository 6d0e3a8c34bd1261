#!/usr/bin/env bash
# Installs the build in BUILD_DIR into a scratch prefix and builds
# tests/install/app.c against it four ways: pkg-config with the shared and
# the static library, and find_package(usermm) with usermm::usermm and
# usermm::usermm_static; each program must run and print the maps.
# usage: test_install.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in include/usermm.h bin/usermm share/man/man1/usermm.1 share/man/man3/usermm.3; do
	[ -e "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
pc=$(dirname "$(find "$prefix" -name usermm.pc)")
lib=$(dirname "$(find "$prefix" -name 'libusermm.so.*' | head -n1)")
[ -n "$pc" ] && [ -n "$lib" ] || { echo "no usermm.pc or libusermm.so"; exit 1; }
readelf -d "$lib/libusermm.so" | grep -q 'SONAME.*libusermm\.so\.[0-9]*\.[0-9]*' ||
	{ echo "no versioned SONAME"; exit 1; }

export PKG_CONFIG_PATH=$pc
cc -o "$tmp/pc_shared" "$here/app.c" $(pkg-config --cflags --libs usermm)
LD_LIBRARY_PATH=$lib "$tmp/pc_shared" | grep -q "usermm "
cc -o "$tmp/pc_static" "$here/app.c" $(pkg-config --cflags usermm) "$lib/libusermm.a" \
	$(pkg-config --libs-only-other --static usermm) -pthread
"$tmp/pc_static" | grep -q "usermm "

cmake -S "$here" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/consumer" >/dev/null
LD_LIBRARY_PATH=$lib "$tmp/consumer/app_shared" | grep -q "usermm "
"$tmp/consumer/app_static" | grep -q "usermm "
# The README's example compiles and runs as written.
awk '/^## Using the library/ {f = 1} f && /^```c$/ {c = 1; next} c && /^```$/ {exit} c' \
	"$here/../../README.md" >"$tmp/readme.c"
cc -Wall -Wextra -Werror -o "$tmp/readme" "$tmp/readme.c" $(pkg-config --cflags --libs usermm)
LD_LIBRARY_PATH=$lib "$tmp/readme" | grep -q "r--p"
echo "installed usermm: pkg-config and find_package, shared and static, README example: ok"
