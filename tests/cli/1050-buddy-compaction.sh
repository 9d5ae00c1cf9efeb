#!/bin/sh
# memlens buddy's compaction line: the compact_* counters of vmstat since
# boot, per second with -i; without vmstat or without the counters, said.
. "$TOP_SRCDIR/tests/cli/lib.sh"

test_expect_success 'since boot: the counters of vmstat, as printed' '
	fixture_copy two-node &&
	sed -i "s/^compact_stall .*/compact_stall 220/; s/^compact_fail .*/compact_fail 180/; s/^compact_success .*/compact_success 40/; s/^compact_daemon_wake .*/compact_daemon_wake 900/" proc/vmstat &&
	ml --proc-root proc buddy >out &&
	grep -q "^Compaction since boot: 220 direct compactions (180 failed, 40 succeeded), 900" out &&
	ml --proc-root proc buddy --json >j &&
	jq -e ".compaction.period == \"since_boot\" and .compaction.counters.compact_stall == 220 and .compaction.counters.compact_daemon_wake == 900" j &&
	test "$(jq ".compaction.counters | length" j)" = "$(grep -c "^compact_" proc/vmstat)"
'

test_expect_success '-n 2: per second in the second report' '
	ml --proc-root "$FIXTURES/two-node" buddy -n 2 -i 0.05 --json >lines &&
	sed -n 2p lines | jq -e ".compaction.period == \"interval\" and .compaction.per_second.compact_stall == 0 and .compaction.seconds > 0" &&
	ml --proc-root "$FIXTURES/two-node" buddy -n 2 -i 0.05 >out &&
	grep -q "^Compaction per second: 0.0 direct compactions" out
'

test_expect_success 'no vmstat: the buddy report, the line n/a with why, exit 0' '
	fixture_copy two-node && rm proc/vmstat &&
	ml --proc-root proc buddy >out 2>err && test ! -s err &&
	grep -q "^Compaction n/a (cannot open proc/vmstat: No such file or directory)" out &&
	ml --proc-root proc buddy --json >j &&
	jq -e ".compaction == null and any(.unavailable[]; .source == \"vmstat\")" j
'

test_expect_success 'a kernel without CONFIG_COMPACTION: said' '
	fixture_copy two-node && sed -i "/^compact_/d" proc/vmstat &&
	ml --proc-root proc buddy >out &&
	grep -q "^Compaction n/a (vmstat has no compact_\* counters: a kernel without" out
'

test_expect_success 'a counter that went backwards under -i: n/a, not a negative rate' '
	fixture_copy two-node && sed -i "s/^compact_stall .*/compact_stall 100/" proc/vmstat &&
	: >lines &&
	{ ml --proc-root proc buddy -n 2 -i 1 --json >lines & } &&
	pid=$! && wait_for_lines lines 1 &&
	# in place: memlens keeps the file open and reads it again from offset 0
	sed "s/^compact_stall .*/compact_stall 5/" proc/vmstat >v && cat v >proc/vmstat &&
	wait $pid &&
	sed -n 2p lines | jq -e ".compaction.per_second.compact_stall == null"
'

test_done
