#!/bin/sh
# The process view is live: the rows on screen are read at every refresh
# (model/procsched.h), and a row whose figures still lag is marked, with the
# AGE column or, on a narrow screen without it, with "~".
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

ARGS="--proc-root proc --color=never"

# The dashboard's machine with 40 more processes (PIDs 5000-5039), each
# smaps_rollup padded with 1200 lines of fields memlens does not know, so that
# reading all of them costs a few milliseconds: more than the old budget of
# 0.04% of a core, well within the rows-on-screen budget.
many_procs() {
	top_fixture &&
	for i in $(seq 0 39); do
		pid=$((5000 + i))
		mkdir proc/$pid &&
		sed "s/^\(Tgid\|Pid\):.*/\1:	$pid/; s/^Name:.*/Name:	worker$i/" \
			"$FIXTURES/procs-6.18/4242/status" >proc/$pid/status &&
		printf "worker%s\0--serve\0" $i >proc/$pid/cmdline &&
		{
			sed "s/^Pss: .*/Pss:              $((100 + i)) kB/" \
				"$FIXTURES/procs-6.18/4242/smaps_rollup"
			j=0
			while [ $j -lt 1200 ]; do echo "Padding_$j:        $j kB"; j=$((j + 1)); done
		} >proc/$pid/smaps_rollup || return 1
	done
}

# The AGE cells of the process table on screen (the column after SWAP).
ages() {
	tui_screen | sed -n '/^ *PID /,$p' | sed 1d | grep -E '^[ >] *[0-9]+ ' |
		awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+[smh]$/) print $i }'
}

# The reads' cost is what the budget is about: under AddressSanitizer they
# cost three times as much, and this machine's figures mean nothing there.
if ldd "$MEMLENS" 2>/dev/null | grep -q -e libasan -e libubsan; then
	test_skip 'every row on screen is fresh at every refresh' \
		'a sanitizer build: the reads cost what the budget is not sized for'
else
test_expect_success 'every row on screen is fresh at every refresh: no AGE after a few refreshes' '
	many_procs &&
	tui_start "$ARGS -i 3 --view processes" &&
	tui_wait_for "^ +PID .* AGE " &&
	tui_wait_for "worker39" &&
	sleep 13 &&
	ages >ages &&
	if [ -s ages ]; then
		echo "rows on screen with old figures:"; cat ages; tui_screen; exit 1
	fi &&
	tui_quit
'
fi

test_expect_success 'at 80 columns (no AGE column) a lagging row is marked "~", the status line says why' '
	many_procs &&
	tui_start -s 80x40 "$ARGS -i 0.1 --view processes" &&
	tui_wait_for "^ +PID " &&
	! tui_screen | grep -q "^ +PID .* AGE" &&
	tui_wait_for "^~ *[0-9]+ " &&
	tui_wait_for "~ figures more than 0.15 s old" &&
	tui_screen | grep "^>" | grep -v -q "^~" &&
	tui_quit
'

test_done
