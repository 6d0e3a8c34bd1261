#!/bin/sh
# record.sh - owns the shipped traces: re-records every
# tests/traces/NAME.{maps,trace} with `usermm record` on this machine.
# Usage: tests/traces/record.sh PATH/TO/usermm
# Only system files are touched, so that replay finds every mapped file
# on a fresh machine of the same kind (Debian 12, packages in README.md).
set -e
umm=${1:?usage: record.sh PATH/TO/usermm}
dir=$(cd "$(dirname "$0")" && pwd)
cd /
# A fixed, minimal environment: the traces must not depend on the recorder.
rec() {
	name=$1; shift; rm -f "$dir/$name".*
	env -i PATH=/usr/bin:/bin HOME=/ LANG=C.UTF-8 "$umm" record -o "$dir/$name" -- "$@" >/dev/null
}
rec ls ls /
rec cat cat /etc/os-release
rec sort sort /etc/shells
rec python3 /usr/bin/python3 -c 'print(1)'
rec python3_threads /usr/bin/python3 -c 'import threading
ts = [threading.Thread(target=sum, args=([1, 2],)) for i in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]'
rec perl perl -e 'print 1'
rec gcc gcc -c -x c -o /dev/null /dev/null
rec git git --version
rec sqlite3 sqlite3 :memory: 'select 1'
rec sh_pipe sh -c 'echo a | cat'
rec bash_fork bash -c '(echo a); x=$(echo b); echo $x'
