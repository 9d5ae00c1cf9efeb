#!/bin/sh
# memlens top's process view: the PSS/h column (each process's PSS fitted
# through its reads, memlens growth's model) and the sort key growth. A
# helper growing 4 MiB/s shows a growth in GiB/h and comes first by growth;
# the column gives way to the user at 80 columns.
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

G="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/grower"
if [ ! -x "$G" ] || [ ! -r /proc/self/smaps_rollup ]; then
	echo "1..0 # SKIP needs tests/helpers/grower and smaps_rollup (4.14+)"
	exit 0
fi
: >"$TEST_ROOT/g.out"
# ./grower from its directory: a command line the screen shows whole, however
# deep the build tree (distcheck's)
(cd "${G%/*}" && exec ./grower brk 4M 120) >"$TEST_ROOT/g.out" 2>&1 &
GP=$!
# The library's trap (each test's tmux server, the scratch directory) and the helper.
trap 'kill $GP 2>/dev/null
for _s in "$TEST_ROOT"/*/.tmux.sock; do
	[ -S "$_s" ] && tmux -S "$_s" kill-server 2>/dev/null
done
rm -rf "$TEST_ROOT"' EXIT
wait_for_lines "$TEST_ROOT/g.out" 1 >/dev/null
GROW=$(sed -n 's/^pid=//p' "$TEST_ROOT/g.out")

test_expect_success 'the grower: PSS/h in GiB/h, first when sorted by growth' '
	tui_start -s 160x30 "-i 0.3 --color=never --view processes" &&
	tui_wait_for "^ +PID USER .* PSS/h " &&
	tui_keys / && tui_type "grower" && tui_keys Enter &&
	tui_wait_for "^> +$GROW .* \\+[0-9.]+ GiB .*grower brk" &&
	tui_keys Escape &&
	n=0 && until tui_screen | grep -q "sort: growth"; do
		tui_keys s; n=$((n + 1)); [ $n -lt 20 ] || exit 1; sleep 0.2
	done &&
	tui_wait_for "^> +$GROW " &&
	tui_quit
'

test_expect_success 'at 80 columns the column gives way (PID USER PSS first)' '
	tui_start -s 80x24 "-i 0.3 --color=never --view processes" &&
	tui_wait_for "^ +PID USER +PSS" &&
	! tui_screen | grep -q "PSS/h" &&
	tui_quit
'

test_done
