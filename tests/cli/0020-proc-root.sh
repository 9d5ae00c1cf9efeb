#!/bin/sh
# --proc-root and MEMLENS_PROC_ROOT; a missing or unreadable root or source is
# a clear message naming the path, exit 1.
. "$TOP_SRCDIR/tests/cli/lib.sh"

FIX="$FIXTURES/linux-6.18"

test_expect_success 'missing proc root: exit 1, path named' '
	test_expect_code 1 ml --proc-root /nonexistent/proc 2>err &&
	grep -qx "memlens: cannot open proc root /nonexistent/proc: No such file or directory" err
'

test_expect_success 'proc root that is a file: exit 1' '
	echo x >file &&
	test_expect_code 1 ml --proc-root file 2>err &&
	grep -q "cannot open proc root file: Not a directory" err
'

test_expect_success 'no meminfo in the root: exit 1, file named' '
	mkdir empty &&
	test_expect_code 1 ml --proc-root empty 2>err &&
	grep -qx "memlens: cannot open empty/meminfo: No such file or directory" err &&
	test_expect_code 1 ml --proc-root empty meminfo 2>err2 &&
	grep -q "cannot open empty/meminfo" err2
'

test_expect_success 'an empty --proc-root or --sys-root is a usage error (exit 2)' '
	test_expect_code 2 ml --proc-root= 2>err &&
	grep -q "^memlens: --proc-root needs a directory, not an empty string$" err &&
	test_expect_code 2 ml --proc-root "$FIX" --sys-root= slab 2>err2 &&
	grep -q "^memlens: --sys-root needs a directory, not an empty string$" err2
'

test_expect_success 'a sys root that cannot be opened: exit 1, path named, as for the proc root' '
	test_expect_code 1 ml --proc-root "$FIX" --sys-root /nonexistent/sys meminfo 2>err &&
	grep -qx "memlens: cannot open sys root /nonexistent/sys: No such file or directory" err &&
	echo x >file &&
	MEMLENS_SYS_ROOT=file test_expect_code 1 ml --proc-root "$FIX" 2>err2 &&
	grep -qx "memlens: cannot open sys root file: Not a directory" err2
'

test_expect_success 'procs on a tree without process directories: said, exit 1' '
	cp -R "$FIX" proc && chmod -R u+w proc &&
	for d in proc/[0-9]*; do [ -d "$d" ] && rm -rf "$d"; done;
	test_expect_code 1 ml --proc-root proc procs 2>err &&
	grep -qx "memlens: proc has no process directories (PID/status, PID/smaps_rollup)" err
'

test_expect_success 'MEMLENS_PROC_ROOT is used, --proc-root wins over it' '
	MEMLENS_PROC_ROOT="$FIX" ml >out &&
	grep -q "of fixture-618" out &&
	MEMLENS_PROC_ROOT=/nonexistent ml --proc-root "$FIX" >out2 &&
	grep -q "of fixture-618" out2 &&
	MEMLENS_PROC_ROOT=/nonexistent test_expect_code 1 ml 2>err &&
	grep -q "/nonexistent" err
'

test_expect_success 'meminfo is a directory: exit 1' '
	mkdir -p proc/meminfo &&
	test_expect_code 1 ml --proc-root proc 2>err &&
	grep -qx "memlens: cannot read proc/meminfo: is a directory" err
'

test_expect_success 'meminfo is a FIFO nobody writes: exit 1 at once, no hang' '
	mkdir proc && mkfifo proc/meminfo &&
	test_expect_code 1 timeout 10 "$MEMLENS" --proc-root proc 2>err &&
	grep -q "not a regular file" err
'

test_expect_success 'empty meminfo: exit 1, says what is missing' '
	mkdir proc && : >proc/meminfo &&
	test_expect_code 1 ml --proc-root proc 2>err &&
	grep -qx "memlens: proc/meminfo: no MemTotal line (is this a meminfo file?)" err
'

if is_root && command -v setpriv >/dev/null; then
	test_expect_success 'unreadable meminfo (as an unprivileged user): exit 1, EACCES named' '
		d=$(mktemp -d /tmp/memlens-perm.XXXXXX) && chmod 755 "$d" &&
		cp -R "$FIX" "$d/proc" && chmod -R a+rX "$d/proc" && chmod 000 "$d/proc/meminfo" &&
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$MEMLENS" --proc-root "$d/proc" >out 2>err; rc=$?;
		rm -rf "$d"; test $rc = 1 &&
		grep -q "cannot open $d/proc/meminfo: Permission denied" err
	'
	test_expect_success 'vmstat unreadable: the summary goes on and says why' '
		d=$(mktemp -d /tmp/memlens-perm.XXXXXX) && chmod 755 "$d" &&
		cp -R "$FIX" "$d/proc" && chmod -R a+rX "$d/proc" && chmod 000 "$d/proc/vmstat" &&
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$MEMLENS" --proc-root "$d/proc" >out 2>err; rc=$?;
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$MEMLENS" --proc-root "$d/proc" --json >json 2>/dev/null;
		rm -rf "$d"; test $rc = 0 &&
		grep -q "^Reclaim  n/a (cannot open .*/vmstat: Permission denied)" out &&
		json_get json ".unavailable[0].source" | grep -qx vmstat &&
		json_get json ".reclaim.period == null" | grep -qx true
	'
else
	test_skip 'unreadable meminfo (as an unprivileged user)' 'needs root and setpriv'
	test_skip 'vmstat unreadable' 'needs root and setpriv'
fi

test_done
