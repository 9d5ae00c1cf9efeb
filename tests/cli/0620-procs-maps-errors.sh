#!/bin/sh
# Bad input and permissions for procs and maps: garbage in a per-process
# file, a file we may not read (as uid 65534: root ignores file modes).
. "$TOP_SRCDIR/tests/cli/lib.sh"

nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

test_expect_success 'procs: garbage in a smaps_rollup is a warning naming the file, and in JSON' '
	fixture_copy procs-6.18 &&
	printf "Rss:  12 kB\nnot a line\n" >>proc/800/smaps_rollup &&
	ml --proc-root proc procs >out 2>err &&
	grep -q "^memlens: warning: proc/800/smaps_rollup: 2 bad lines ignored; first at line 24 (duplicate key): \"Rss:  12 kB\"$" err &&
	ml --proc-root proc procs --json >out.json 2>/dev/null &&
	test "$(json_get out.json ".parse_errors[0].file")" = proc/800/smaps_rollup &&
	test "$(json_get out.json ".parse_errors[0].bad_lines")" = 2 &&
	test "$(json_get out.json ".processes[] | select(.pid == 800) | .rss")" = $((5120 * 1024))
'

test_expect_success 'maps: garbage in smaps is a warning; the good records still count' '
	fixture_copy procs-6.18 &&
	sed -i "3s/.*/KernelPageSize  4 kB/; 30s/^Rss: .*/Rss: lots kB/" proc/4242/smaps &&
	ml --proc-root proc maps 4242 -k >out 2>err &&
	grep -q "^memlens: warning: proc/4242/smaps: 2 bad lines ignored; first at line 3 (" err &&
	ml --proc-root proc maps 4242 --json >out.json 2>/dev/null &&
	test "$(json_get out.json ".parse_errors[0].bad_lines")" = 2 &&
	test "$(json_get out.json ".totals.mappings")" = 38
'

if ! command -v setpriv >/dev/null 2>&1; then
	test_skip 'procs/maps as uid 65534 on unreadable files' 'setpriv not installed'
elif ! is_root; then
	test_skip 'procs/maps as uid 65534 on unreadable files' 'needs root to switch users'
elif ! nobody "$MEMLENS" --version >/dev/null 2>&1; then
	test_skip 'procs/maps as uid 65534 on unreadable files' 'uid 65534 cannot run the build'
else
	# A world-readable copy in a world-accessible directory, one file chmod 000.
	SHARED=$(mktemp -d /tmp/memlens-perm.XXXXXX) && chmod 755 "$SHARED" &&
		cp -R "$FIXTURES/procs-6.18" "$SHARED/proc" && chmod -R a+rX "$SHARED/proc"
	trap 'rm -rf "$TEST_ROOT" "$SHARED"' EXIT

	test_expect_success 'procs as another user: PSS/USS n/a with the reason, RSS/swap from status, the count at the end' '
		chmod 000 "$SHARED/proc/700/smaps_rollup" &&
		nobody "$MEMLENS" --proc-root "$SHARED/proc" procs -k >out 2>err &&
		test ! -s err &&
		grep -q "^ 700  0  *n/a  *n/a  *7424  *2048  sshd: .*(n/a: permission denied)$" out &&
		grep -q "^RSS and SWAP of a process not read: VmRSS and VmSwap of its /proc/PID/status" out &&
		grep -q "^ *total  16995 .* 7 processes$" out &&
		test "$(tail -n 1 out)" = "n/a: 1 process could not be read: permission denied (other users'"'"' processes; run as root to include them)" &&
		nobody "$MEMLENS" --proc-root "$SHARED/proc" procs --json >out.json &&
		json_validate procs.schema.json out.json &&
		test "$(json_get out.json ".processes[] | select(.pid == 700) | .memory")" = denied &&
		test "$(jq ".processes[] | select(.pid == 700) | .pss" out.json)" = null &&
		test "$(jq ".processes[] | select(.pid == 700) | .rss" out.json)" = $((7424 * 1024)) &&
		test "$(jq ".processes[] | select(.pid == 700) | .swap" out.json)" = $((2048 * 1024)) &&
		test "$(jq ".processes[] | select(.pid == 700) | .status.VmRSS" out.json)" = $((7424 * 1024)) &&
		test "$(jq ".processes[] | select(.pid == 800) | .status" out.json)" = null &&
		test "$(json_get out.json ".totals.denied")" = 1 &&
		test "$(json_get out.json ".totals.rss")" = $(((9688 + 4488 + 5120 + 7424 + 2540 + 1688 + 512 + 456) * 1024))
	'

	test_expect_success 'procs --group user as another user: the group says how many were not read' '
		nobody "$MEMLENS" --proc-root "$SHARED/proc" procs --group user -k >out &&
		grep -q "^0  *3  *8376 .*  1 (permission denied)$" out &&
		grep -q "^0  *3  *8376  *[0-9]*  *$((9688 + 7424 + 456))  *2048  *1 (permission denied)$" out
	'

	test_expect_success 'maps of an unreadable process: the file, the reason, a hint, exit 1' '
		chmod 000 "$SHARED/proc/4242/smaps" &&
		test_expect_code 1 nobody "$MEMLENS" --proc-root "$SHARED/proc" maps 4242 >out 2>err &&
		test ! -s out &&
		grep -q "^memlens: cannot open $SHARED/proc/4242/smaps: Permission denied (run as root, or as the process'"'"'s owner)$" err &&
		chmod 000 "$SHARED/proc/4242/smaps_rollup" &&
		test_expect_code 1 nobody "$MEMLENS" --proc-root "$SHARED/proc" maps 4242 --json >out 2>err &&
		grep -q "smaps_rollup: Permission denied" err
	'
fi

test_done
