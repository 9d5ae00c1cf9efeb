#!/bin/sh
# What memlens top cannot read it says, one line in the view, and goes on:
# no crash, no fake zero. Files left out of the capture, files only root may
# read (as uid 65534), meminfo going bad while it runs.
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

ARGS="--proc-root proc -i 100 --color=never"

test_expect_success 'no pressure/memory: PSI n/a in the header' '
	top_fixture && rm -r proc/pressure &&
	tui_start "$ARGS" &&
	tui_wait_for "PSI n/a$" &&
	tui_quit
'

test_expect_success 'no zoneinfo, no buddyinfo: their lines and views say why' '
	top_fixture && rm proc/zoneinfo proc/buddyinfo &&
	tui_start "$ARGS" &&
	tui_wait_for "^ Zones +n/a: cannot open proc/zoneinfo: No such file or directory" &&
	tui_wait_for "^ Buddy +n/a: cannot open proc/buddyinfo: No such file or directory" &&
	tui_keys 5 && tui_wait_for "^ Buddy n/a: cannot open proc/buddyinfo: No such file or directory \(this kernel or capture has none\)$" &&
	tui_keys 6 && tui_wait_for "^ Zones n/a: cannot open proc/zoneinfo: No such file or directory" &&
	tui_quit
'

test_expect_success 'no slabinfo, no vmallocinfo: the views say why, the accounting assumes' '
	top_fixture && rm proc/slabinfo proc/vmallocinfo &&
	tui_start "$ARGS" &&
	tui_wait_for "^ +MemTotal " &&
	tui_keys 3 && tui_wait_for "^ Slab n/a: cannot open proc/slabinfo: No such file or directory" &&
	tui_keys 4 && tui_wait_for "^ vmalloc n/a: cannot open proc/vmallocinfo: No such file or directory" &&
	tui_quit
'

test_expect_success 'a slabinfo memlens cannot parse: its reason, no table' '
	top_fixture && cp "$FIXTURES/slabinfo-v2.0/slabinfo" proc/slabinfo &&
	tui_start "$ARGS --view slab" &&
	tui_wait_for "^ Slab n/a: .*slabinfo.*2\.0" &&
	! tui_screen | grep -q "^ CACHE" &&
	tui_quit
'

test_expect_success 'no meminfo: an error before the screen is taken, exit 1' '
	top_fixture && rm proc/meminfo &&
	tx new-session -d -x 100 -y 30 -c "$PWD" "env PS1='"'"'$ '"'"' LC_ALL=C sh -i" &&
	tui_wait_for "^\\$" &&
	tui_keys "stty -g >stty.before; \"$MEMLENS\" top $ARGS; echo \$? >exit.status; stty -g >stty.after" Enter &&
	tui_wait_exit &&
	test "$(cat exit.status)" = 1 &&
	tui_wait_for "^memlens: cannot open proc/meminfo: No such file or directory" &&
	test_cmp stty.before stty.after
'

test_expect_success 'meminfo going bad while running: the header says why, then recovers' '
	top_fixture &&
	tui_start "$ARGS" &&
	tui_wait_for "^ +MemTotal " &&
	printf "garbage\n" >proc/meminfo &&
	tui_keys 6 && tui_wait_for "^Mem n/a: proc/meminfo: .*MemTotal" &&
	tui_keys 1 && tui_wait_for "^ Memory n/a: proc/meminfo: .*MemTotal" &&
	cat "$FIXTURES/linux-6.18/meminfo" >proc/meminfo &&
	tui_keys 6 && tui_keys 1 && tui_wait_for "^ +MemTotal +23.5 GiB" &&
	tui_quit
'

# A world-readable copy in a world-accessible directory, where only root may
# read slabinfo and vmallocinfo (as on a real kernel), read as uid 65534.
nobody_tree() {
	NB=$(mktemp -d "${TMPDIR:-/tmp}/memlens-top.XXXXXX") && chmod 755 "$NB" &&
	cp -RL "$FIXTURES/top-6.18" "$NB/proc" && chmod -R a+rX "$NB/proc" &&
	chmod 0400 "$NB/proc/slabinfo" "$NB/proc/vmallocinfo" &&
	echo "$NB" >nb.dir
}

if is_root && command -v setpriv >/dev/null 2>&1; then
	test_expect_success 'as a user: slab and vmalloc n/a with the reason, the rest works' '
		nobody_tree &&
		tui_start "--proc-root $NB/proc -i 100 --color=never" &&
		tx send-keys q && tui_wait_exit && rm -f stty.after exit.status &&
		tx send-keys "stty -g >stty.before; setpriv --reuid=65534 --regid=65534 --clear-groups \"$MEMLENS\" top --proc-root $NB/proc -i 100 --color=never; echo \$? >exit.status; stty -g >stty.after" Enter &&
		tui_wait_for "^ +MemTotal " &&
		tui_keys 3 && tui_wait_for "^ Slab n/a: cannot open $NB/proc/slabinfo: Permission denied \(run as root\)$" &&
		tui_keys 4 && tui_wait_for "^ vmalloc n/a: cannot open $NB/proc/vmallocinfo: Permission denied \(run as root\)$" &&
		tui_keys 5 && tui_wait_for "^ Normal " &&
		tui_keys 2 && tui_wait_for "^ Processes 8 shown" &&
		tui_quit
		rc=$?; rm -rf "$(cat nb.dir)"; exit $rc
	'
	test_expect_success 'as a user on the live /proc: other users'"'"' processes n/a, counted' '
		tx new-session -d -x 140 -y 40 -c "$PWD" "env PS1='"'"'$ '"'"' LC_ALL=C sh -i" &&
		tui_wait_for "^\\$" &&
		tx send-keys "stty -g >stty.before; setpriv --reuid=65534 --regid=65534 --clear-groups \"$MEMLENS\" top -i 100 --color=never --view processes; echo \$? >exit.status; stty -g >stty.after" Enter &&
		tui_wait_for "^ Processes [0-9]+ shown" &&
		tui_wait_for "[0-9]+ unreadable: permission denied \(run as root for other users" &&
		tui_wait_for "^ +1 root .* n/a .* denied " &&
		tui_keys 3 && tui_wait_for "^ Slab n/a: cannot open /proc/slabinfo: Permission denied \(run as root\)$" &&
		tui_quit
	'
else
	test_skip 'as a user: slab and vmalloc n/a with the reason' 'needs root and setpriv'
	test_skip 'as a user on the live /proc: other users'"'"' processes n/a' 'needs root and setpriv'
fi

test_done
