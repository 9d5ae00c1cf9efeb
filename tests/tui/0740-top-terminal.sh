#!/bin/sh
# The terminal comes back as it was however memlens top ends: q, Ctrl-C
# (SIGINT), SIGTERM, SIGHUP, -n; and the screen is the shell's again.
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

ARGS="--proc-root proc -i 100 --color=never"

test_expect_success 'q: exit status 0, prompt back, stty as before' '
	top_fixture &&
	tui_start "$ARGS" &&
	tui_wait_for "^ +MemTotal " &&
	tui_quit
'

test_expect_success 'Ctrl-C (SIGINT from the terminal) restores the terminal' '
	top_fixture &&
	tui_start "$ARGS --view slab" &&
	tui_wait_for "^ CACHE" &&
	tui_keys C-c &&
	tui_restored
'

test_expect_success 'SIGTERM restores the terminal' '
	top_fixture &&
	tui_start "$ARGS --view processes" &&
	tui_wait_for "^ +PID" &&
	pid=$(tui_pid) && test -n "$pid" &&
	kill -TERM "$pid" &&
	tui_restored
'

test_expect_success 'SIGTERM while paused, in the help, and while typing a filter' '
	top_fixture &&
	tui_start "$ARGS --view processes" &&
	tui_wait_for "^ +PID" &&
	tui_keys Space && tui_wait_for "PAUSED" &&
	tui_keys / && tui_wait_for "^filter: _" &&
	pid=$(tui_pid) && kill -TERM "$pid" &&
	tui_restored
'

test_expect_success 'SIGHUP (the terminal went away) ends it too' '
	top_fixture &&
	tui_start "$ARGS" &&
	tui_wait_for "^ +MemTotal " &&
	pid=$(tui_pid) && kill -HUP "$pid" &&
	tui_restored
'

test_expect_success 'the alternate screen: what the shell printed before is back' '
	top_fixture &&
	tx new-session -d -x 100 -y 30 -c "$PWD" "env PS1='"'"'$ '"'"' LC_ALL=C sh -i" &&
	tui_wait_for "^\\$" &&
	tui_keys "echo before-memlens-top" Enter && tui_wait_for "^before-memlens-top" &&
	tui_keys "\"$MEMLENS\" top $ARGS; stty -g >stty.after" Enter &&
	tui_wait_for "^memlens top " &&
	tui_wait_gone "^before-memlens-top" &&
	tui_keys q && tui_wait_exit &&
	tui_wait_for "^before-memlens-top"
'

test_expect_success 'a bad TERM: an error, exit 1, the terminal untouched' '
	top_fixture &&
	TUI_ENV="TERM=no-such-terminal" &&
	tx new-session -d -x 100 -y 30 -c "$PWD" "env PS1='"'"'$ '"'"' LC_ALL=C sh -i" &&
	tui_wait_for "^\\$" &&
	tui_keys "stty -g >stty.before; TERM=no-such-terminal \"$MEMLENS\" top $ARGS 2>err; echo \$? >exit.status; stty -g >stty.after" Enter &&
	tui_wait_exit &&
	test "$(cat exit.status)" = 1 &&
	grep -q "cannot use the terminal (TERM=no-such-terminal)" err &&
	test_cmp stty.before stty.after
'

test_done
