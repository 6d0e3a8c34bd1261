#!/usr/bin/env bash
# Runs the Linux kernel's own mm selftests (Debian's linux-source-6.12,
# tools/testing/selftests/mm) under `usermm shadow` and says, per program,
# whether usermm agreed with the kernel on every memory call.
#
# usage: scripts/mm_selftests.sh [--keep] [--jobs N] [--timeout S] [--hugepages] [PROGRAM...]
#
#   --keep       keep the whole unpacked kernel tree in the cache afterwards;
#                by default only its tools/testing/selftests/mm folder (the
#                sources and the built programs) is kept, the rest (~1.7 GB)
#                is removed and unpacked again when a rebuild needs it.
#   --jobs N     parallel jobs for the builds (make, cmake); default: nproc.
#                The programs themselves run one at a time: several of them
#                change or measure machine-wide state (huge pages, KSM,
#                overcommit, mlock limits).
#   --timeout S  seconds allowed per program (default 300); then it is
#                killed and counted as a skip.
#   --hugepages  give gup_longterm and uffd-unit-tests the 256 MB of huge
#                pages run_vmtests.sh gives them. By default they run with
#                this machine's own pool (empty here), which is what usermm
#                models: it takes the pool as empty, so with pages in it
#                their hugetlb mappings diverge (a known limit until usermm
#                models the pool).
#   PROGRAM...   some of the programs (default: all 20): map_fixed_noreplace
#                mremap_dontunmap mremap_test mlock2-tests mseal_test
#                madv_populate droppable on-fault-limit virtual_address_range
#                seal_elf mkdirty map_populate ksm_functional_tests
#                gup_longterm soft-dirty mdwe_test mlock-random-test
#                uffd-unit-tests pagemap_ioctl cow
#
# Installs what it needs with apt-get (sudo when not root), unpacks the
# tarball into build-selftests/ (reused by later runs), runs `make headers`
# there, builds the programs and usermm (build/usermm), then runs each
# program unmodified from its own folder, with the arguments and the
# machine settings that the kernel's run_vmtests.sh gives it, as
#   ./build/usermm shadow -- PROG ARGS
# Each program's output, and shadow's report, go to
# build-selftests/logs/PROG.log. One line per program:
#   agree    no divergence (the program's own exit status is shown: pass,
#            fail or KSFT_SKIP are the program's verdict on the kernel, not
#            shadow's);
#   diverge  the first divergent call and both results (shadow kills the
#            program there: it has no exit status of its own);
#   skip     not built, timed out, or shadow could not follow it (why).
# Then a total line. Exits 0 only if no program diverged.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD

ALL_PROGRAMS=(map_fixed_noreplace mremap_dontunmap mremap_test mlock2-tests mseal_test
	madv_populate droppable on-fault-limit virtual_address_range seal_elf mkdirty
	map_populate ksm_functional_tests gup_longterm soft-dirty mdwe_test mlock-random-test
	uffd-unit-tests pagemap_ioctl cow)
KVER=6.12
TARBALL=/usr/src/linux-source-$KVER.tar.xz
CACHE=$ROOT/build-selftests
TREE=$CACHE/linux-source-$KVER
MMREL=tools/testing/selftests/mm
MMDIR=$TREE/$MMREL
LOGS=$CACHE/logs
USERMM=$ROOT/build/usermm

usage() { sed -n '/^# usage:/,/^# Then a total/s/^# \{0,1\}//p' "$0"; }
die() { echo "mm_selftests: $*" >&2; exit 2; }

keep=0 jobs=$(nproc) timeout_s=300 hugepages=0 programs=()
while [ $# -gt 0 ]; do
	case $1 in
	--keep) keep=1 ;;
	--hugepages) hugepages=1 ;;
	--jobs) [ $# -ge 2 ] || die "--jobs needs a number"; jobs=$2; shift ;;
	--jobs=*) jobs=${1#--jobs=} ;;
	--timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; timeout_s=$2; shift ;;
	--timeout=*) timeout_s=${1#--timeout=} ;;
	-h | --help) usage; exit 0 ;;
	--) shift; programs+=("$@"); break ;;
	-*) usage >&2; exit 2 ;;
	*) programs+=("$1") ;;
	esac
	shift
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "--jobs: not a positive number: $jobs"
[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || die "--timeout: not a positive number: $timeout_s"
[ ${#programs[@]} -gt 0 ] || programs=("${ALL_PROGRAMS[@]}")
for p in "${programs[@]}"; do
	[[ " ${ALL_PROGRAMS[*]} " == *" $p "* ]] ||
		die "unknown program: $p (one of: ${ALL_PROGRAMS[*]})"
done
[ "$(uname -m)" = x86_64 ] || die "x86_64 only (the programs' list and arguments are x86_64's)"

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
note() { echo "mm_selftests: $*" >&2; }

# ---- 1. what it needs ----
# package:file-or-command that shows it is there
NEEDS=("linux-source-$KVER:$TARBALL" make:make gcc:gcc libc6-dev:/usr/include/stdio.h
	libcap-dev:/usr/include/sys/capability.h libnuma-dev:/usr/include/numa.h
	liburing-dev:/usr/include/liburing.h xz-utils:xz rsync:rsync bc:bc cmake:cmake
	util-linux:setpriv coreutils:timeout)
missing=()
for n in "${NEEDS[@]}"; do
	pkg=${n%%:*} what=${n#*:}
	if [[ $what == /* ]]; then [ -e "$what" ] || missing+=("$pkg")
	else command -v "$what" >/dev/null || missing+=("$pkg"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
	note "installing ${missing[*]}"
	$SUDO apt-get update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
fi
[ -f "$TARBALL" ] || die "$TARBALL missing after installing linux-source-$KVER"

# ---- 2. the kernel tree and the programs ----
mkdir -p "$CACHE" "$LOGS"
# The tarball's identity: a new linux-source package means a new tree.
stamp="$(dpkg-query -W -f='${Version}' linux-source-$KVER 2>/dev/null) $(stat -c '%s %Y' "$TARBALL")"
if [ ! -f "$TREE/.mm_selftests_stamp" ] || [ "$(cat "$TREE/.mm_selftests_stamp")" != "$stamp" ]; then
	note "unpacking $TARBALL into $CACHE"
	rm -rf "$TREE"
	tar -C "$CACHE" -xf "$TARBALL" || die "cannot unpack $TARBALL"
	[ -d "$MMDIR" ] || die "no $MMREL in $TARBALL"
	echo "$stamp" >"$TREE/.mm_selftests_stamp"
fi

built() { # the programs whose binaries are there
	local p
	for p in "${programs[@]}"; do [ -x "$MMDIR/$p" ] && echo "$p"; done
}
need_build=0
[ "$(built | wc -l)" = ${#programs[@]} ] || need_build=1
# A pruned tree (an earlier run without --keep) cannot build: unpack again.
if [ $need_build = 1 ] && [ ! -f "$TREE/Makefile" ]; then
	note "the cached tree was pruned; unpacking $TARBALL again"
	rm -rf "$TREE"
	tar -C "$CACHE" -xf "$TARBALL" || die "cannot unpack $TARBALL"
	echo "$stamp" >"$TREE/.mm_selftests_stamp"
fi
if [ -f "$TREE/Makefile" ]; then
	# The selftests include the uapi headers of this tree (usr/include),
	# newer than the machine's linux-libc-dev.
	if [ ! -f "$TREE/usr/include/linux/mman.h" ]; then
		note "make headers"
		make -C "$TREE" -j"$jobs" headers >"$LOGS/build-headers.log" 2>&1 ||
			die "make headers failed: see $LOGS/build-headers.log"
	fi
	note "building ${#programs[@]} program(s) in $MMREL"
	targets=()
	for p in "${programs[@]}"; do targets+=("$MMDIR/$p"); done
	# -k: one program that does not build does not stop the others.
	make -k -C "$MMDIR" -j"$jobs" "${targets[@]}" >"$LOGS/build-mm.log" 2>&1 ||
		note "some programs did not build: see $LOGS/build-mm.log"
fi

note "building usermm"
if [ ! -f "$ROOT/build/CMakeCache.txt" ]; then
	cmake -S "$ROOT" -B "$ROOT/build" -DUMM_TESTS=OFF -DUMM_BENCH=OFF >"$LOGS/build-usermm.log" 2>&1 ||
		die "cmake configure failed: see $LOGS/build-usermm.log"
fi
cmake --build "$ROOT/build" -j"$jobs" --target usermm_cli >>"$LOGS/build-usermm.log" 2>&1 ||
	die "usermm did not build: see $LOGS/build-usermm.log"
[ -x "$USERMM" ] || die "no $USERMM after the build"

if [ $keep = 0 ] && [ -f "$TREE/Makefile" ]; then
	# Keep only the mm folder (the programs run from there) and the stamp.
	note "pruning the unpacked tree to $MMREL (--keep keeps it all)"
	find "$TREE" -mindepth 1 -maxdepth 1 ! -name tools ! -name .mm_selftests_stamp -exec rm -rf {} +
	find "$TREE/tools" -mindepth 1 -maxdepth 1 ! -name testing -exec rm -rf {} +
	find "$TREE/tools/testing" -mindepth 1 -maxdepth 1 ! -name selftests -exec rm -rf {} +
	find "$TREE/tools/testing/selftests" -mindepth 1 -maxdepth 1 ! -name mm -exec rm -rf {} +
fi

# ---- 3. run them ----
# Machine settings that run_vmtests.sh makes for some programs, restored
# after each one (and on exit).
restore=()
set_sysctl() { # FILE VALUE
	restore+=("$(cat "$1") $1")
	echo "$2" >"$1" || note "cannot write $2 to $1"
}
undo_sysctls() {
	local i
	for ((i = ${#restore[@]} - 1; i >= 0; i--)); do
		echo "${restore[i]%% *}" >"${restore[i]#* }" 2>/dev/null
	done
	restore=()
}
running=
stop() { # a signal: end the running program (timeout passes it on), undo, exit
	[ -z "$running" ] || kill -TERM "$running" 2>/dev/null
	undo_sysctls
	exit 130
}
trap undo_sysctls EXIT
trap stop INT TERM HUP

# run_vmtests.sh's hugetlb reservation: 256 MB of huge pages (at least
# 2 * nr_cpus of them), set for the programs it runs before its cleanup.
hugetlb_setup() {
	local hp_kb free_kb need_kb nr
	hp_kb=$(awk '/^Hugepagesize:/ {print $2}' /proc/meminfo)
	[ -n "$hp_kb" ] || return 0
	need_kb=$((hp_kb * $(nproc) * 2))
	[ $need_kb -gt 262144 ] || need_kb=262144
	nr=$(cat /proc/sys/vm/nr_hugepages)
	free_kb=$(($(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo) * hp_kb))
	[ $free_kb -ge $need_kb ] && return 0
	set_sysctl /proc/sys/vm/nr_hugepages $((nr + (need_kb - free_kb) / hp_kb))
}

# The arguments and the settings: those of run_vmtests.sh (6.12), which
# runs the others with no argument.
prepare() { # PROG: sets cmd
	cmd=("./$1")
	case $1 in
	on-fault-limit)
		# run_vmtests.sh: `sudo -u nobody ./on-fault-limit`; setpriv does
		# the same without sudo's own session handling.
		cmd=(setpriv --reuid=nobody --regid=nogroup --clear-groups ./on-fault-limit) ;;
	virtual_address_range)
		set_sysctl /proc/sys/vm/overcommit_memory 1 ;;
	gup_longterm | uffd-unit-tests)
		[ $hugepages = 0 ] || hugetlb_setup ;;
	esac
}

exit_name() { # STATUS
	case $1 in
	0) echo "0 (pass)" ;;
	4) echo "4 (ksft skip)" ;;
	127) echo "127 (not run)" ;;
	*) if [ "$1" -gt 128 ]; then echo "$1 (signal $(($1 - 128)))"; else echo "$1 (fail)"; fi ;;
	esac
}

# "-1 EACCES (Permission denied)" -> "-1 EACCES"
short_result() { sed -e 's/^= //' -e 's/ (.*)$//' <<<"$1"; }

n_agree=0 n_diverge=0 n_skip=0
printf '%-22s %-8s %8s %9s  %-14s %s\n' PROGRAM RESULT TIME CALLS EXIT DETAIL
for p in "${programs[@]}"; do
	log=$LOGS/$p.log
	result='' detail='' calls=- status=-
	if [ ! -x "$MMDIR/$p" ]; then
		why=$(grep -m1 -E "(^|/)$p\.c:[0-9]+:[0-9]+: (fatal )?error" "$LOGS/build-mm.log" 2>/dev/null)
		result=skip detail="not built: ${why:-see $LOGS/build-mm.log}"
		echo "not built; see $LOGS/build-mm.log" >"$log"
		printf '%-22s %-8s %8s %9s  %-14s %s\n' "$p" "$result" - - - "$detail"
		n_skip=$((n_skip + 1))
		continue
	fi
	prepare "$p"
	start=$(date +%s.%N)
	# In the background so that a signal reaches stop() at once.
	(cd "$MMDIR" && exec timeout -k 10 "$timeout_s" "$USERMM" shadow --program-status -- "${cmd[@]}") \
		>"$log" 2>&1 </dev/null &
	running=$!
	wait "$running"
	rc=$?
	running=
	took=$(printf '%.1fs' "$(bc <<<"$(date +%s.%N) - $start")")
	undo_sysctls
	# shadow's lines may follow a partial line of the program's output.
	summary=$(grep -oE 'usermm shadow: [0-9]+ calls mirrored.*' "$log" | tail -n1)
	if [ -n "$summary" ]; then
		calls=$(sed -E 's/^usermm shadow: ([0-9]+) calls.*/\1/' <<<"$summary")
		unsup=$(sed -nE 's/.* ([0-9]+) unsupported( \((.*)\))?$/\1 \3/p' <<<"$summary")
	fi
	# shadow's other lines: it could not follow a process (snapshot, clone).
	complaint=$(grep -oE 'usermm( shadow)?: .*' "$log" | grep -m1 -vE \
		'^usermm(: =| shadow: ([0-9]+ calls mirrored|divergence in pid|note:|touched pages:|the program ))')
	if grep -q 'usermm shadow: divergence in pid' "$log"; then
		block=$(grep -m1 -A3 'usermm shadow: divergence in pid' "$log")
		call=$(sed -n 2p <<<"$block" | sed -E 's/^ *(\[pid +[0-9]+\] )?//; s/ *= [^=]*$//')
		kern=$(sed -n 3p <<<"$block" | sed -E 's/^ *kernel: *//')
		ours=$(sed -n 4p <<<"$block" | sed -E 's/^ *usermm: *//')
		result=diverge
		detail="$call: kernel $(short_result "$kern"), usermm $(short_result "$ours")"
	elif [ -n "$complaint" ]; then
		# A snapshot or a clone usermm could not take: no verdict.
		result=skip detail="shadow could not follow: ${complaint#usermm shadow: }"
	elif [ -n "$summary" ]; then
		result=agree status=$(exit_name "$rc")
		if [ "${unsup%% *}" != 0 ]; then
			detail="unsupported calls, not compared: ${unsup#* }"
		fi
	elif [ $rc = 124 ] || [ $rc = 137 ]; then
		result=skip detail="timed out after ${timeout_s}s (killed; no verdict)"
	else
		result=skip
		detail="no shadow summary (exit $rc): $(grep -m1 -E '^usermm' "$log" || tail -n1 "$log")"
	fi
	case $result in
	agree) n_agree=$((n_agree + 1)) ;;
	diverge) n_diverge=$((n_diverge + 1)) ;;
	skip) n_skip=$((n_skip + 1)) ;;
	esac
	printf '%-22s %-8s %8s %9s  %-14s %s\n' "$p" "$result" "$took" "$calls" "$status" "$detail"
done
echo "total: ${#programs[@]} programs: $n_agree agree, $n_diverge diverge, $n_skip skip" \
	"(logs in ${LOGS#"$ROOT"/}/)"
[ $n_diverge = 0 ]
