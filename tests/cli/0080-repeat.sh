#!/bin/sh
# -i/-n repeat like vmstat; JSON Lines; SIGINT and SIGTERM end cleanly.
. "$TOP_SRCDIR/tests/cli/lib.sh"

F="$FIXTURES/linux-6.18"

test_expect_success '-n 3: three text reports, separated by a blank line' '
	ml --proc-root "$F" -n 3 -i 0.05 >out &&
	test "$(grep -c "^memlens summary of" out)" = 3 &&
	test "$(grep -c "^Where MemTotal goes" out)" = 3
'

test_expect_success '-n without -i repeats every second' '
	start=$(date +%s) && ml --proc-root "$F" meminfo -n 2 >out && end=$(date +%s) &&
	test "$(grep -c "^memlens meminfo of" out)" = 2 &&
	test $((end - start)) -ge 1
'

test_expect_success '--json -n 2: one compact document per line' '
	ml --proc-root "$F" -n 2 -i 0.05 --json >out &&
	test "$(wc -l <out)" = 2 &&
	head -1 out | jq -e .memory.total >/dev/null &&
	tail -1 out | jq -e .memory.total >/dev/null
'

test_expect_success 'the second report shows reclaim activity per second' '
	ml -n 2 -i 0.2 --json >out &&
	test "$(head -1 out | jq -r .reclaim.period)" = since_boot &&
	test "$(tail -1 out | jq -r .reclaim.period)" = interval &&
	tail -1 out | jq -e ".reclaim.seconds > 0.1 and .reclaim.seconds < 5" >/dev/null
'

test_expect_success 'SIGINT during -i ends cleanly with exit 130, as shells report it' '
	"$MEMLENS" --proc-root "$F" -i 0.1 >out 2>err &
	pid=$!
	wait_for_lines out 12
	w=$?
	kill -INT $pid
	wait $pid
	rc=$?
	test $w = 0 && test $rc = 130 && test ! -s err &&
	tail -1 out | grep -q "."
'

test_expect_success 'SIGTERM during -i --json ends cleanly with exit 143; every line is whole' '
	"$MEMLENS" --proc-root "$F" -i 0.05 --json >out 2>err &
	pid=$!
	wait_for_lines out 2
	w=$?
	kill -TERM $pid
	wait $pid
	rc=$?
	test $w = 0 && test $rc = 143 && test ! -s err &&
	test "$(wc -l <out)" -ge 2 &&
	while read -r line; do printf "%s\n" "$line" | jq -e .command >/dev/null || exit 1; done <out
'

test_expect_success 'output to a closed pipe ends quietly' '
	ml --proc-root "$F" -i 0.01 2>err | head -1 >out &&
	test ! -s err && test -s out
'

test_expect_success 'output to a full disk: write error, exit 1' '
	test_expect_code 1 ml --proc-root "$F" >/dev/full 2>err &&
	grep -q "memlens: write error: No space left on device" err
'

test_done
