#!/bin/sh
# memlens top on the live /proc while 1000 and more short-lived processes
# start and are killed and three others map and unmap memory in a loop
# (tests/helpers/churn, as tests/cli/0930-races.sh does for procs and maps):
# every view keeps refreshing at 0.1 s, the maps of a process that maps and
# unmaps stay open, the maps of one that vanishes say so, and q ends it with
# exit 0 and the terminal restored.
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

# lib-tui.sh's trap kills the tmux servers; this one stops the churn too.
trap 'churn_kill
for _s in "$TEST_ROOT"/*/.tmux.sock; do
	[ -S "$_s" ] && tmux -S "$_s" kill-server 2>/dev/null
done
rm -rf "$TEST_ROOT"' EXIT
churn_start 'memlens top during churn'
MAPPER=$(sed -n 's/^pid=//p' "$W/map1.out")

# memlens top is still running: its pane's shell has not written a status.
still_running() {
	if [ -s exit.status ]; then
		echo "memlens top ended with status $(cat exit.status); the screen:"
		tui_screen | sed 's/^/| /'
		return 1
	fi
}

test_expect_success 'every view refreshes at 0.1 s through the churn' '
	tui_start -s 160x45 "-i 0.1 --color=never" &&
	tui_wait_for "^ +MemTotal " &&
	for round in 1 2 3; do
		for view in 2 3 4 5 6 1; do
			tui_keys $view && sleep 0.4 && still_running || return 1
		done
	done &&
	tui_keys 2 && tui_wait_for "^ +PID USER +PSS" &&
	tui_wait_for "churn map" &&
	still_running &&
	tui_quit
'

test_expect_success 'the maps of a process that maps and unmaps in a loop stay open' '
	tui_start -s 200x45 "-i 0.1 --color=never --view processes" &&
	tui_wait_for "^ +PID USER" &&
	tui_keys / && tui_type "churn map" && tui_keys Enter &&
	tui_wait_for "^ Processes [0-9]+ shown" &&
	tui_keys Enter && tui_wait_for "^ Maps of PID [0-9]+ churn" &&
	tui_wait_for "^ total +[0-9]+ " &&
	sleep 3 &&
	still_running &&
	tui_wait_for "^ Maps of PID [0-9]+ churn" &&
	tui_wait_for "^ total +[0-9]+ " &&
	tui_keys Escape && tui_wait_for "^ Processes [0-9]+ shown" &&
	tui_quit
'

test_expect_success 'the maps of a short-lived process: shown until it goes, then why' '
	tui_start -s 200x45 "-i 0.1 --color=never --view processes" &&
	tui_wait_for "^ +PID USER" &&
	tui_keys / && tui_type "churn spawn" && tui_keys Enter &&
	tui_wait_for "^ Processes [0-9]+ shown" &&
	tui_keys End && tui_keys Enter &&
	tui_wait_for "^ Maps of PID [0-9]+|no process" &&
	sleep 1 &&
	still_running &&
	tui_keys Escape && tui_wait_for "^ Processes [0-9]+ shown" &&
	tui_quit
'

test_expect_success 'the churn ran: 1000 processes and more, the mappers mapped' '
	churn_stop &&
	wait_for_lines "$W/spawn.out" 1 &&
	spawned=$(sed -n "s/^spawned=\([0-9]*\) .*/\1/p" "$W/spawn.out") &&
	echo "spawned $spawned" &&
	test "$spawned" -ge 1000 &&
	test -n "$MAPPER"
'

kill $MAPPERS 2>/dev/null
wait
test_done
