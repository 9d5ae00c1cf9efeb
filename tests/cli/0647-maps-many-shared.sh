#!/bin/sh
# memlens maps on a process with 60,000 shared anonymous mappings (each one
# a file of its own for the kernel: "/dev/zero (deleted)") against one with
# 60,000 private ones: one shared-anonymous row with its count, not 60,000
# files; the mapped-files table cut at 20 rows in text, "N more" said; and
# memory flat: the peak RSS of memlens is the same for both processes, with
# and without --all, in text and JSON (it was 161 MiB against 4.5 MiB).
. "$TOP_SRCDIR/tests/cli/lib.sh"

HELPER="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/maps-helper"
N=60000

if [ ! -r /proc/self/smaps_rollup ] || [ ! -x "$HELPER" ]; then
	test_skip 'maps with 60,000 mappings' 'no /proc/self/smaps_rollup (kernel < 4.14) or no helper'
	test_done
fi
if [ "$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)" -lt $((N + 100)) ]; then
	test_skip 'maps with 60,000 mappings' "vm.max_map_count is below $((N + 100))"
	test_done
fi

# start NAME HOW: a helper with N mappings; its PID in $NAME.pid.
start() {
	"$HELPER" --many "$2" $N >"$TEST_ROOT/$1.out" 2>"$TEST_ROOT/$1.err" &
	echo $! >"$TEST_ROOT/$1.pid"
}
start shared shared
start private private
SPID=$(cat "$TEST_ROOT/shared.pid")
PPID_=$(cat "$TEST_ROOT/private.pid")
trap 'kill $SPID $PPID_ 2>/dev/null; rm -rf "$TEST_ROOT"' EXIT
wait_for_lines "$TEST_ROOT/shared.out" 1 >/dev/null
wait_for_lines "$TEST_ROOT/private.out" 1 >/dev/null

# peak_rss ARGS...: the peak RSS of memlens ARGS (KiB), its output thrown away.
peak_rss() {
	"$HELPER" --peak-rss "$MEMLENS" "$@"
}

test_expect_success 'the helpers made their mappings' '
	test "$(cat "$TEST_ROOT/shared.out")" = "pid=$SPID" &&
	test "$(grep -c "/dev/zero (deleted)" /proc/$SPID/maps)" = $N &&
	test "$(wc -l </proc/$PPID_/maps)" -gt $N
'

test_expect_success 'maps: one shared-anonymous row with the count, not 60,000 files' '
	ml maps $SPID >out &&
	grep -q "^ *$N  *234 MiB  .*  shmem  *\[shared anonymous: /dev/zero (deleted)\]$" out &&
	test "$(sed -n "/^Mapped files/,\$p" out | grep -c "/dev/zero")" = 1 &&
	grep -q "^shared memory  *$N " out
'

test_expect_success 'maps --json: the group in one files row, with its mappings' '
	ml maps $SPID --json >out.json &&
	json_validate maps.schema.json out.json &&
	test "$(jq "[.files[] | select(.group == \"shared_anonymous\")] | length" out.json)" = 1 &&
	test "$(jq ".files[] | select(.group == \"shared_anonymous\") | .mappings" out.json)" = $N &&
	jq -c ".files[] | select(.group == \"shared_anonymous\") | [.name, .deleted, .inode, .kinds]" out.json >got &&
	echo "[\"/dev/zero\",true,null,[\"shmem\"]]" >want && test_cmp want got &&
	test "$(jq "[.files[] | select(.group == null)] | length" out.json)" -ge 1
'

# The ceiling in KiB, besides the comparison: 16 MiB for memlens itself. Under
# AddressSanitizer the same run is 16 to 17 MiB whatever the process (its
# shadow memory and allocator), so there only the comparison holds.
ceiling=16384
if ldd "$MEMLENS" 2>/dev/null | grep -q -e libasan; then
	ceiling=$((ceiling + 4096))
fi
for args in "" "--all" "--json" "--all --json"; do
	test_expect_success "maps $args: peak RSS flat (60,000 shared within 1 MiB of 60,000 private)" '
		s=$(peak_rss maps $SPID $args) && p=$(peak_rss maps $PPID_ $args) &&
		echo "shared $s KiB, private $p KiB" &&
		test "$s" -le $((p + 1024)) && test "$s" -le $ceiling
	'
done

test_done
