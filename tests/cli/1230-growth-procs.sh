#!/bin/sh
# memlens procs -i: each report adds the change of the sort's measure per
# hour, fitted through the reports so far (memlens growth's model): a helper
# growing 4 MiB/s shows it within 15%, a process that holds still shows 0;
# none without -i.
. "$TOP_SRCDIR/tests/cli/lib.sh"

G="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/grower"
if [ ! -x "$G" ] || [ ! -r /proc/self/smaps_rollup ]; then
	test_skip 'procs -i change column' 'needs tests/helpers/grower and smaps_rollup (4.14+)'
	test_done
fi
: >"$TEST_ROOT/g.out"
: >"$TEST_ROOT/i.out"
"$G" brk 4M 60 >"$TEST_ROOT/g.out" 2>&1 &
GP=$!
"$G" idle 8M 60 >"$TEST_ROOT/i.out" 2>&1 &
IP=$!
trap 'kill $GP $IP 2>/dev/null; rm -rf "$TEST_ROOT"' EXIT
wait_for_lines "$TEST_ROOT/g.out" 1 >/dev/null
wait_for_lines "$TEST_ROOT/i.out" 1 >/dev/null
GROW=$(sed -n 's/^pid=//p' "$TEST_ROOT/g.out")
IDLE=$(sed -n 's/^pid=//p' "$TEST_ROOT/i.out")

# The grower keeps to its rate on average, but a loaded machine (the tests
# beside this one, under the sanitizers) can hold it back for part of a 4 s
# run: a run whose rate misses is taken again, three runs at most.
test_expect_success 'JSON: change_bytes_per_s null on the first report, the rate after' '
	for try in 1 2 3; do
		ml procs -p "$GROW,$IDLE" -i 0.5 -n 8 --json >"$TEST_ROOT/lines" &&
		test "$(head -n 1 "$TEST_ROOT/lines" | jq "[.processes[].change_bytes_per_s] | map(select(. != null)) | length")" = 0 &&
		tail -n 1 "$TEST_ROOT/lines" | jq -e --argjson p "$IDLE" ".processes[] | select(.pid == \$p) | .change_bytes_per_s == 0" >/dev/null &&
		tail -n 1 "$TEST_ROOT/lines" | jq -r --argjson p "$GROW" ".processes[] | select(.pid == \$p) | .change_bytes_per_s" >rate || exit 1
		echo "try $try: $(cat rate) bytes/s"
		awk -v v="$(cat rate)" "BEGIN { w = 4 * 1048576; exit !(v > 0.85 * w && v < 1.15 * w) }" && break
		[ $try -lt 3 ] || exit 1
	done
'

test_expect_success 'the documents match procs.schema.json' '
	if /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then
		json_validate procs.schema.json "$TEST_ROOT/lines"
	fi
'

test_expect_success 'text: a PSS/h column with -i, the grower positive; none without -i' '
	ml procs -p "$GROW" -i 0.5 -n 3 >out &&
	grep -q "PSS/h" out &&
	tail -n 3 out | grep -E -q "^ *$GROW .* \\+[0-9.]+ GiB " &&
	ml procs -p "$GROW" >once && ! grep -q "PSS/h" once
'

test_expect_success 'sorted by RSS: the column follows the measure' '
	ml procs -p "$GROW" --sort rss -i 0.3 -n 2 >out && grep -q "RSS/h" out
'

test_expect_success '--sort growth: the grower first, the idle one after; reversed, the other way' '
	ml procs -p "$IDLE,$GROW" --sort growth -i 0.3 -n 4 --json | tail -n 1 >last &&
	test "$(jq ".processes[0].pid" last)" = "$GROW" &&
	test "$(jq ".processes[1].pid" last)" = "$IDLE" &&
	ml procs -p "$IDLE,$GROW" --sort=-growth -i 0.3 -n 4 --json | tail -n 1 >rev &&
	test "$(jq ".processes[0].pid" rev)" = "$IDLE"
'

test_done
