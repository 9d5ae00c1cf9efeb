#!/bin/sh
# maps PID repeats with -i/-n like every report: the same process read again,
# text reports apart by a blank line, JSON one document a line; a process that
# exits between two reports ends the run with a message and exit 1.
. "$TOP_SRCDIR/tests/cli/lib.sh"

F="$FIXTURES/procs-6.18"

test_expect_success 'maps PID -n 2: two reports, the second like the first' '
	ml --proc-root "$F" maps 4242 -n 2 -i 0.05 >out 2>err &&
	test ! -s err &&
	test "$(grep -c "^memlens maps of fixture-procs" out)" = 2 &&
	test "$(grep -c "^Process 4242 (cat)" out)" = 2 &&
	sed -n "/^Process/,/^\$/p" out | sed -n "1,/^\$/p" >first &&
	ml --proc-root "$F" maps 4242 | sed -n "/^Process/,/^\$/p" >one &&
	test_cmp one first
'

test_expect_success 'maps PID --json -n 3 (and --all): one whole document a line' '
	ml --proc-root "$F" maps 4242 --json -n 3 -i 0.05 >out &&
	test "$(wc -l <out)" = 3 &&
	while read -r line; do printf "%s\n" "$line" | jq -e ".process.pid == 4242" >/dev/null || exit 1; done <out &&
	ml --proc-root "$F" maps 4242 --all --json -n 2 -i 0.05 >out2 &&
	test "$(wc -l <out2)" = 2 &&
	while read -r line; do printf "%s\n" "$line" | jq -e ".mappings | length > 0" >/dev/null || exit 1; done <out2
'

test_expect_success 'a process that exits between two reports: said, exit 1' '
	if [ ! -r /proc/self/smaps_rollup ]; then exit 0; fi
	sleep 30 &
	pid=$!
	"$MEMLENS" maps $pid -i 0.2 >out 2>err &
	m=$!
	wait_for_lines out 3 &&
	kill $pid &&
	wait $m
	rc=$?
	test $rc = 1 &&
	grep -q "process $pid (sleep)" err
'

test_done
