#!/bin/sh
# memlens procs on the live machine: a zombie is counted, not listed; as
# another user, root's processes are n/a with the reason and counted at the end.
. "$TOP_SRCDIR/tests/cli/lib.sh"

if [ ! -r /proc/self/smaps_rollup ]; then
	test_skip 'procs on the live machine' 'no smaps_rollup (kernel < 4.14)'
	test_done
fi

# A zombie: the child "true" exits, its parent became "sleep" and never waits.
sh -c 'true & exec sleep 60' &
PARENT=$!
trap 'kill $PARENT 2>/dev/null; rm -rf "$TEST_ROOT"' EXIT
ZOMBIE=
i=0
while [ -z "$ZOMBIE" ] && [ $i -lt 100 ]; do
	for d in /proc/[0-9]*; do
		if grep -q "^PPid:	$PARENT$" "$d/status" 2>/dev/null &&
			grep -q "^State:	Z" "$d/status" 2>/dev/null; then
			ZOMBIE=${d#/proc/}
		fi
	done
	[ -n "$ZOMBIE" ] || sleep 0.05
	i=$((i + 1))
done

if [ -z "$ZOMBIE" ]; then
	test_skip 'a zombie is counted, not listed' 'could not make a zombie'
else
	test_expect_success 'procs: a zombie is counted under no_memory, not listed' '
		ml procs --json >p.json &&
		json_validate procs.schema.json p.json &&
		test "$(json_get p.json .identity_source)" = libproc2 &&
		test "$(jq "[.processes[] | select(.pid == $ZOMBIE)] | length" p.json)" = 0 &&
		test "$(json_get p.json .skipped.no_memory)" -ge 1 &&
		test "$(jq "[.processes[] | select(.pid == $PARENT)] | length" p.json)" = 1
	'
	test_expect_success 'procs -p ZOMBIE: no row, no error; maps ZOMBIE: exit 1, said so' '
		ml procs -p $ZOMBIE --json >p.json &&
		test "$(jq ".processes | length" p.json)" = 0 &&
		test "$(json_get p.json .skipped.no_memory)" = 1 &&
		test_expect_code 1 ml maps $ZOMBIE 2>err &&
		grep -q "has no user memory (a zombie)" err
	'
fi

test_expect_success 'procs: kernel threads are counted, not listed; memlens lists itself' '
	ml procs --json >p.json &&
	if grep -q "^Kthread:	1" /proc/2/status 2>/dev/null; then
		test "$(json_get p.json .skipped.kernel_threads)" -ge 1 &&
		test "$(jq "[.processes[] | select(.pid == 2)] | length" p.json)" = 0
	fi &&
	test "$(jq "[.processes[] | select(.cmdline | test(\"procs --json\$\"))] | length" p.json)" = 1
'

# In a container, root may still be refused a process with more capabilities.
if is_root && ! { read -r x </proc/1/smaps_rollup; } 2>/dev/null; then
	test_expect_success 'root refused PID 1: n/a, and a hint that root is not enough' '
		test_expect_code 1 ml maps 1 2>err &&
		grep -q "Permission denied (even as root: ptrace access refused" err &&
		ml procs >out &&
		tail -n 1 out | grep -q "permission denied (even as root: ptrace access refused"
	'
else
	test_skip 'root refused PID 1' 'PID 1 is readable (or not root)'
fi

if ! command -v setpriv >/dev/null 2>&1 || ! is_root; then
	test_skip 'procs as uid 65534' 'needs root and setpriv'
elif ! setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMLENS" --version >/dev/null 2>&1; then
	test_skip 'procs as uid 65534' 'uid 65534 cannot run the build'
else
	test_expect_success 'procs as uid 65534: root'"'"'s processes PSS/USS n/a (permission denied), RSS from status, counted at the end' '
		setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMLENS" procs >out 2>err &&
		test ! -s err &&
		# its faults are known: stat is world-readable (MINFLT, MAJFLT)
		grep -E -q "^ *$PARENT  root  *n/a  *n/a  *[0-9.]+ [KMG]*i*B  *[0-9.]+ [KMG]*i*B  *[0-9]+  *[0-9]+  sleep 60  \(n/a: permission denied\)$" out &&
		tail -n 1 out | grep -q "^n/a: [0-9]* process.* could not be read: permission denied (other users'"'"' processes; run as root to include them)$" &&
		setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMLENS" procs --json >p.json &&
		json_validate procs.schema.json p.json &&
		test "$(json_get p.json .totals.denied)" -ge 1 &&
		test "$(json_get p.json ".processes[] | select(.pid == $PARENT) | .memory")" = denied &&
		test "$(json_get p.json ".processes[] | select(.pid == $PARENT) | .reason")" = "permission denied" &&
		test "$(jq ".processes[] | select(.pid == $PARENT) | .pss" p.json)" = null &&
		test "$(jq ".processes[] | select(.pid == $PARENT) | .rss" p.json)" -gt 0 &&
		test "$(jq ".processes[] | select(.pid == $PARENT) | .rss == .status.VmRSS" p.json)" = true &&
		test "$(jq "[.processes[] | select(.memory == \"ok\")] | length" p.json)" -ge 1
	'
	test_expect_success 'procs --group user as uid 65534: root'"'"'s group has PSS/USS n/a, RSS from status' '
		setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMLENS" procs --group user >out &&
		grep -q "^root  *[0-9]*  *n/a  *n/a  *[0-9.]* [KMG]*i*B  *[0-9.]* [KMG]*i*B  *[0-9]* (permission denied)$" out
	'
fi

test_done
