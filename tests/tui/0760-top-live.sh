#!/bin/sh
# memlens top on this machine's /proc: every view comes up (or says why it
# cannot), the process view finds memlens itself and opens its maps, lagging
# figures show their age, colors only when wanted, UTF-8 glyphs in UTF-8.
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

if [ ! -r /proc/meminfo ]; then
	echo "1..0 # SKIP no /proc/meminfo"
	exit 0
fi
ESC=$(printf '\033')

test_expect_success 'every view on the live /proc: its table, or one line saying why' '
	tui_start "-i 0.5 --color=never" &&
	tui_wait_for "^ +MemTotal " &&
	tui_keys 2 && tui_wait_for "^ +PID USER +PSS" &&
	tui_keys 3 && tui_wait_for "^ CACHE +OBJS|^ Slab n/a: " &&
	tui_keys 4 && tui_wait_for "^ CALLER +MODULE|^ vmalloc n/a: " &&
	tui_keys 5 && tui_wait_for "^ Unusable free space index" &&
	tui_keys 6 && tui_wait_for "^ ZONE +STATE" &&
	tui_keys 1 && tui_wait_for "^ Reclaim/s " &&
	if [ -r /proc/pressure/memory ]; then
		tui_wait_for "PSI some [0-9]+\.[0-9][0-9]"
	else
		tui_wait_for "PSI n/a$"
	fi &&
	tui_quit
'

test_expect_success 'the process view finds memlens top itself; Enter opens its maps' '
	tui_start -s 250x40 "-i 0.5 --color=never --view processes" &&
	tui_wait_for "^ +PID USER" &&
	tui_keys / && tui_type "memlens top -i 0.5" && tui_keys Enter &&
	tui_wait_for "^ Processes 1 shown" &&
	tui_wait_for "^> +[0-9]+ .*[0-9.]+ [KMG]iB .*memlens top -i 0\.5" &&
	tui_keys Enter && tui_wait_for "^ Maps of PID [0-9]+ memlens" &&
	tui_wait_for "^ total +[0-9]+ " &&
	tui_wait_for "/memlens +[0-9]+ " &&
	tui_keys Escape && tui_wait_for "^ Processes 1 shown" &&
	tui_quit
'

test_expect_success 'figures of processes off screen show their age when they lag' '
	tui_start -s 120x12 "-i 0.2 --color=never --view processes" &&
	tui_wait_for "^ +PID USER" &&
	sleep 1 &&
	tui_keys Space && tui_wait_for "PAUSED" &&
	tui_keys End && tui_wait_for "^> " &&
	tui_screen >screen &&
	grep -E -q "B +[0-9]+s " screen
'

test_expect_success '--color=always: colors; --color=never and NO_COLOR: none' '
	tui_start "-i 100 --color=always" &&
	tui_wait_for "^ +MemTotal " &&
	tui_screen_attrs | grep -q "${ESC}\[[0-9;]*3[1-7]m" &&
	tui_quit &&
	tui_start "-i 100 --color=never" &&
	tui_wait_for "^ +MemTotal " &&
	! tui_screen_attrs | grep -q "${ESC}\[[0-9;]*3[1-7]m" &&
	tui_quit &&
	TUI_ENV="NO_COLOR=1" && tui_start "-i 100" &&
	tui_wait_for "^ +MemTotal " &&
	! tui_screen_attrs | grep -q "${ESC}\[[0-9;]*3[1-7]m" &&
	tui_quit &&
	TUI_ENV= && tui_start "-i 100" &&
	tui_wait_for "^ +MemTotal " &&
	tui_screen_attrs | grep -q "${ESC}\[[0-9;]*3[1-7]m" &&
	tui_quit
'

test_expect_success 'monochrome: the bar in letters, the active tab in brackets' '
	tui_start "-i 100 --color=never" &&
	tui_wait_for "^Mem \[[asvkh?c.]+\] " &&
	tui_wait_for "^\[1 overview\]" &&
	tui_quit
'

test_expect_success 'UTF-8: block glyphs for the sparkline and bars' '
	tui_start -u "-i 0.2 --color=always" &&
	tui_wait_for "^Avail .* [▁▂▃▄▅▆▇█]+" &&
	tui_wait_for "^Mem \[.*█" &&
	tui_quit
'

test_done
