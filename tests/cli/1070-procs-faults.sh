#!/bin/sh
# Page faults per process (memlens procs MINFLT, MAJFLT): a helper that
# faults a known number of pages shows them in its minflt, and the rate
# between two reports; another proc root says why it has none.
. "$TOP_SRCDIR/tests/cli/lib.sh"

HELPER="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/fault-helper"
PAGES=1000

test_expect_success 'a copied tree: no fault counts, null in JSON, said' '
	ml --proc-root "$FIXTURES/procs-6.18" procs >out &&
	! grep -q MINFLT out &&
	ml --proc-root "$FIXTURES/procs-6.18" procs --sort minflt >out &&
	grep -q "MINFLT  MAJFLT" out &&
	grep -q "^n/a: page faults are read through libproc2 from the live /proc only$" out &&
	ml --proc-root "$FIXTURES/procs-6.18" procs --json >j &&
	jq -e "[.processes[] | .minflt, .majflt] | all(. == null)" j
'

if [ ! -x "$HELPER" ] || [ ! -r /proc/self/stat ]; then
	test_skip 'faults of a live process' 'no tests/helpers/fault-helper'
	test_done
fi

"$HELPER" $PAGES >"$TEST_ROOT/helper.out" 2>/dev/null &
HPID=$!
trap 'kill $HPID 2>/dev/null; rm -rf "$TEST_ROOT"' EXIT
wait_for_lines "$TEST_ROOT/helper.out" 1 >/dev/null
field() { sed -n "1s/.* $1=\([0-9]*\).*/\1/p" "$TEST_ROOT/helper.out"; }

test_expect_success 'the helper faulted its pages: one minor fault each' '
	test "$(sed -n "1s/^pid=\([0-9]*\) .*/\1/p" "$TEST_ROOT/helper.out")" = "$HPID" &&
	test $(($(field after) - $(field before))) -ge $PAGES
'

test_expect_success 'its minflt holds the pages it faulted, and is its stat'"'"'s (it is idle now)' '
	ml procs -p "$HPID" --json >j &&
	got=$(jq ".processes[0].minflt" j) &&
	test "$got" -ge "$(field after)" &&
	test "$got" -le $(($(field after) + 16)) &&
	test "$got" = "$(sed "s/.*) //" /proc/$HPID/stat | cut -d" " -f8)" &&
	jq -e ".processes[0].majflt >= 0" j >/dev/null &&
	ml procs -p "$HPID" >out &&
	grep -E "^ *$HPID .* $got +[0-9]+ " out
'

test_expect_success 'with -i: the pages faulted between two reports, per second' '
	: >lines &&
	{ ml procs -p "$HPID" --json -n 2 -i 2 >lines & } &&
	mpid=$! && wait_for_lines lines 1 &&
	kill -USR1 $HPID && wait_for_lines "$TEST_ROOT/helper.out" 2 &&
	wait $mpid &&
	first=$(sed -n 1p lines | jq ".processes[0].minflt") &&
	second=$(sed -n 2p lines | jq ".processes[0].minflt") &&
	test $((second - first)) -ge $PAGES && test $((second - first)) -le $((PAGES + 64)) &&
	sed -n 1p lines | jq -e ".processes[0] | has(\"minflt_per_second\") | not" >/dev/null &&
	sed -n 2p lines | jq -e ".processes[0].minflt_per_second > 0" >/dev/null &&
	rate=$(sed -n 2p lines | jq ".processes[0].minflt_per_second * 2 | floor") &&
	test "$rate" -ge $((PAGES * 8 / 10)) && test "$rate" -le $((PAGES * 12 / 10 + 64))
'

test_expect_success 'text with -i: MINFLT/s from the second report' '
	ml procs -p "$HPID" -n 2 -i 0.2 >out &&
	grep -q "MINFLT  MAJFLT" out && grep -q "MINFLT/s  MAJFLT/s" out &&
	grep -q "^faults per second since the previous report$" out
'

test_expect_success '--sort minflt: the most minor faults first' '
	ml procs --sort minflt --json >j &&
	jq -e "[.processes[] | .minflt | select(. != null)] as \$v | \$v == (\$v | sort | reverse)" j >/dev/null &&
	jq -e ".sort == \"minflt\"" j >/dev/null
'

if /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then
	test_expect_success 'procs --json with faults and rates matches procs.schema.json' '
		ml procs -p "$HPID" --json -n 2 -i 0.1 >lines && json_validate procs.schema.json lines
	'
fi

test_done
