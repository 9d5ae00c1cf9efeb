#!/bin/sh
# memlens maps on a live process with known mappings (tests/helpers/maps-helper):
# each lands in the right kind with the right Rss; another user cannot read it.
. "$TOP_SRCDIR/tests/cli/lib.sh"

HELPER="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/maps-helper"

if [ ! -r /proc/self/smaps_rollup ] || [ ! -x "$HELPER" ]; then
	test_skip 'maps on a live process' 'no /proc/self/smaps_rollup (kernel < 4.14) or no helper'
	test_done
fi

# Start the helper; wait for its line "pid=N heap=ADDR:SIZE ...".
"$HELPER" "$TEST_ROOT/mapped.bin" >"$TEST_ROOT/helper.out" 2>"$TEST_ROOT/helper.err" &
HPID=$!
trap 'kill $HPID 2>/dev/null; rm -rf "$TEST_ROOT"' EXIT
i=0
while [ ! -s "$TEST_ROOT/helper.out" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
field() { tr ' ' '\n' <"$TEST_ROOT/helper.out" | sed -n "s/^$1=//p"; }
addr() { field "$1" | cut -d: -f1; }
size() { field "$1" | cut -d: -f2; }

test_expect_success 'the helper started and described its mappings' '
	test "$(field pid)" = "$HPID" &&
	test -n "$(addr heap)" && test -n "$(addr memfd)"
'

ml maps "$HPID" --all --json >"$TEST_ROOT/all.json" 2>"$TEST_ROOT/all.err"
row() { jq -e ".mappings[] | select(.start == \"$1\")" "$TEST_ROOT/all.json"; }
# The mapping that holds address $1 (hex).
holding() { jq -e --arg a "$1" '.mappings[] | select((.start | length) < ($a | length) or
	((.start | length) == ($a | length) and .start <= $a)) | select((.end | length) > ($a | length) or
	((.end | length) == ($a | length) and .end > $a))' "$TEST_ROOT/all.json"; }

check_row() { # name kind
	row "$(addr "$1")" >r.json &&
	test "$(jq -r .kind r.json)" = "$2" &&
	test "$(jq -r .fields.Rss r.json)" = "$(size "$1")" &&
	test "$(jq -r .fields.Size r.json)" = "$(size "$1")"
}

test_expect_success 'maps --all --json of the helper is valid and agrees with its rollup' '
	json_validate maps.schema.json "$TEST_ROOT/all.json" &&
	test "$(json_get "$TEST_ROOT/all.json" .rollup_check.agrees)" = true
'

test_expect_success 'sbrk area: [heap], heap kind, Rss = what was touched' '
	# The static helper'"'"'s libc puts its TLS on the heap before main: a page or two.
	holding "$(addr heap)" >r.json &&
	test "$(jq -r .name r.json)" = "[heap]" &&
	test "$(jq -r .kind r.json)" = heap &&
	rss=$(jq -r .fields.Rss r.json) &&
	test $rss -ge $(size heap) && test $rss -le $(($(size heap) + 65536))
'

test_expect_success 'anonymous mmap: anon kind, Rss = its size' '
	check_row anon anon &&
	test "$(jq -r .name r.json)" = null
'

test_expect_success 'file mapped read-only: file_ro kind, Rss = its size, named by path' '
	check_row file file_ro &&
	test "$(jq -r .name r.json)" = "$TEST_ROOT/mapped.bin"
'

test_expect_success 'memfd mapped shared: shmem kind, Rss = its size' '
	check_row memfd shmem &&
	test "$(jq -r .name r.json)" = /memfd:memlens-test &&
	test "$(jq -r .deleted r.json)" = true
'

test_expect_success 'SysV segment: shmem kind, Rss = its size' '
	check_row sysv shmem &&
	jq -r .name r.json | grep -q "^/SYSV[0-9a-f]\{8\}$"
'

if [ "$(addr named)" = "-" ] || [ -z "$(addr named)" ]; then
	test_skip 'named anonymous mapping' 'kernel without CONFIG_ANON_VMA_NAME'
else
	test_expect_success 'named anonymous mapping: named_anon kind' '
		check_row named named_anon &&
		test "$(jq -r .name r.json)" = "[anon:memlens-named]"
	'
fi

test_expect_success 'the kinds sum the rows: heap and shmem totals hold the known sizes' '
	ml maps "$HPID" --json >k.json &&
	test "$(jq -r ".kinds[] | select(.kind == \"heap\") | .rss" k.json)" -ge "$(size heap)" &&
	test "$(jq -r ".kinds[] | select(.kind == \"shmem\") | .rss" k.json)" = $(( $(size memfd) + $(size sysv) )) &&
	test "$(jq -r ".kinds[] | select(.kind == \"anon\") | .rss" k.json)" -ge "$(size anon)"
'

test_expect_success 'text report: the heap line shows the 3 MiB heap' '
	ml maps "$HPID" -k >out &&
	rss=$(grep "^heap (\[heap\], brk) " out | awk "{print \$6}") &&
	test $rss -ge 3072 && test $rss -le 3136 &&
	grep -q "^shared memory  *2  *3072  *3072 " out &&
	grep -q "^The totals agree with smaps_rollup" out
'

if ! command -v setpriv >/dev/null 2>&1 || ! is_root; then
	test_skip 'maps of root'"'"'s process as uid 65534' 'needs root and setpriv'
elif ! setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMLENS" --version >/dev/null 2>&1; then
	test_skip 'maps of root'"'"'s process as uid 65534' 'uid 65534 cannot run the build'
else
	test_expect_success 'maps of root'"'"'s process as uid 65534: Permission denied, a hint, exit 1' '
		test_expect_code 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$MEMLENS" maps "$HPID" >out 2>err &&
		test ! -s out &&
		grep -q "^memlens: cannot open /proc/$HPID/smaps_rollup: Permission denied (run as root, or as the process'"'"'s owner)$" err
	'
fi

test_expect_success 'maps of a PID that does not exist: exit 1' '
	test_expect_code 1 ml maps 2147483600 2>err &&
	grep -q "^memlens: no process 2147483600 (in /proc)$" err
'

test_expect_success 'maps of a kernel thread (kthreadd): exit 1, said so' '
	if [ -r /proc/2/status ] && grep -q "^Name:.kthreadd" /proc/2/status; then
		test_expect_code 1 ml maps 2 2>err &&
		grep -q "kernel thread" err
	fi
'

test_done
