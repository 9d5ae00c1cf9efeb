#!/bin/sh
# memlens top follows the terminal's size (KEY_RESIZE): from 120x40 down to
# 80x24, up to 250x70, and back, every view laid out again for the new size.
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

EXP="$TOP_SRCDIR/tests/cli/expected"
ARGS="--proc-root proc --sys-root $FIXTURES/linux-6.18-sys -i 100 --color=never"

# No line of the screen is wider than $1 columns, and the status line is line $2.
fits() {
	tui_screen >s.txt &&
	awk -v w="$1" 'length($0) > w { print "too wide: " $0; bad = 1 } END { exit bad }' s.txt &&
	test "$(wc -l <s.txt)" = "$2"
}

test_expect_success 'the overview at 80x24 (legend without labels, parts at 0 hidden)' '
	top_fixture &&
	tui_start -s 80x24 "$ARGS" &&
	tui_wait_for "lines 1-17 of 21$" &&
	tui_stable >top-overview-80x24.txt &&
	test_cmp "$EXP/top-overview-80x24.txt" top-overview-80x24.txt &&
	tui_keys End && tui_wait_for "lines 5-21 of 21$" &&
	tui_wait_for "^ MemTotal +23.5 GiB 100.0% +\([0-9]+ parts at 0 or n/a hidden\)" &&
	tui_quit
'

test_expect_success 'resize from 120x40 to 80x24 and back: the whole screen follows' '
	top_fixture &&
	tui_start "$ARGS" &&
	tui_wait_for "^     a anon 22.1M  s slab 166M" &&
	tx resize-window -x 80 -y 24 &&
	tui_wait_for "^     a 22.1M  s 166M" &&
	tui_wait_for "^\[1 overview\]  2 processes" &&
	fits 80 24 &&
	tui_wait_for "^ Memory   total 23.5G  used 402M  avail 23.1G  free 23.2G" &&
	tx resize-window -x 120 -y 40 &&
	tui_wait_for "^     a anon 22.1M  s slab 166M" &&
	tui_wait_for "^ Memory   total 23.5 GiB  used 402 MiB  available 23.1 GiB" &&
	fits 120 40 &&
	tui_quit
'

test_expect_success 'every view at 80x24 fits and shows its table' '
	top_fixture &&
	tui_start -s 80x24 "$ARGS" &&
	tui_keys 2 && tui_wait_for "^ +PID USER +PSS" && fits 80 24 &&
	tui_keys 3 && tui_wait_for "^ CACHE +OBJS" && fits 80 24 &&
	tui_keys 4 && tui_wait_for "^ CALLER +MODULE" && fits 80 24 &&
	tui_keys 5 && tui_wait_for "^ order +0 +1" && fits 80 24 &&
	tui_keys 6 && tui_wait_for "^ ZONE +STATE" && fits 80 24 &&
	tui_keys h && tui_wait_for "^ memlens top: keys" && tui_wait_for "more: Down or j" && fits 80 24 &&
	tui_quit
'

test_expect_success 'a very large terminal (250x70): every column, wider bars' '
	top_fixture &&
	tui_start -s 250x70 "$ARGS" &&
	tui_wait_for "^     a anonymous 22.1M  s slab 166M  v vmalloc 12.5M  k other kernel" &&
	tui_wait_for "^ free .* ############################## MemFree" &&
	fits 250 70 &&
	tui_keys 3 && tui_wait_for "^ CACHE +OBJS +ACTIVE +USE +OBJSIZE +SLABS +MEMORY +WASTE +GROWTH/s +RECL" &&
	tui_quit
'

test_expect_success 'smaller than 80x24 still draws what fits and quits cleanly' '
	top_fixture &&
	tui_start -s 40x10 "$ARGS" &&
	tui_wait_for "^\[1 overview\]" &&
	fits 40 10 &&
	tx resize-window -x 20 -y 5 && sleep 0.3 &&
	tx resize-window -x 80 -y 24 && tui_wait_for "^ Memory " &&
	tui_quit
'

test_done
