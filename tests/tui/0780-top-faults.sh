#!/bin/sh
# memlens top's page faults: the header's faults per second (vmstat) on this
# machine, a helper's MINFLT/s in the process view while it faults, the fault
# sort keys; a copied tree has no per-process faults and no such columns.
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

if [ ! -r /proc/vmstat ]; then
	echo "1..0 # SKIP no /proc/vmstat"
	exit 0
fi
HELPER="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/fault-helper"

test_expect_success 'the header: faults per second once vmstat was read twice' '
	tui_start "-i 0.3 --color=never" &&
	tui_wait_for "faults/s [0-9]+ minor [0-9]+ major$" &&
	tui_quit
'

test_expect_success 'the process view: MINFLT/s and MAJFLT/s; s reaches minflt and majflt' '
	tui_start -s 160x30 "-i 0.3 --color=never --view processes" &&
	tui_wait_for "^ +PID USER .* AGE +MINFLT/s +MAJFLT/s COMMAND" &&
	tui_keys s s s s s s && tui_wait_for "^sort: minflt " &&
	tui_keys s && tui_wait_for "^sort: majflt " &&
	tui_quit
'

if [ -x "$HELPER" ]; then
	# ./fault-helper from its directory: a command line the screen shows
	# whole, however deep the build tree (distcheck's)
	(cd "${HELPER%/*}" && exec ./fault-helper 2000) >"$TEST_ROOT/helper.out" 2>/dev/null &
	HPID=$!
	# lib-tui.sh's trap, and the helper
	trap 'kill $HPID 2>/dev/null
	for _s in "$TEST_ROOT"/*/.tmux.sock; do
		[ -S "$_s" ] && tmux -S "$_s" kill-server 2>/dev/null
	done
	rm -rf "$TEST_ROOT"' EXIT
	wait_for_lines "$TEST_ROOT/helper.out" 1 >/dev/null
	test_expect_success 'a process that faults shows its MINFLT/s in the process view' '
		tui_start -s 160x30 "-i 0.5 --color=never --view processes" &&
		tui_wait_for "^ +PID USER" &&
		tui_keys / && tui_type fault-helper && tui_keys Enter &&
		tui_wait_for "^ Processes 1 shown" &&
		tui_wait_for "^> +$HPID .* 0 +0 .*fault-helper 2000" &&
		{ ( for i in 1 2 3 4 5 6 7 8 9 10 11 12; do kill -USR1 $HPID; sleep 0.25; done ) & } &&
		tui_wait_for "^> +$HPID .* [1-9][0-9]+ +[0-9]+ .*fault-helper 2000" &&
		tui_quit
	'
fi

test_expect_success 'a copied tree: no fault columns (libproc2 reads the live /proc only)' '
	top_fixture &&
	tui_start "--proc-root proc -i 100 --color=never --view processes" &&
	tui_wait_for "^ +PID USER +PSS" &&
	! tui_screen | grep -q MINFLT &&
	tui_quit
'

test_done
