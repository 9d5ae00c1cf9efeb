#!/bin/sh
# memlens growth on this machine: helpers that grow their brk heap and their
# anonymous mmap memory at known rates are suspects, at their rate within
# 10%; a helper that holds still is not, nor is any kernel item, in a window
# where they grow and in one where nothing of ours does. Other processes are
# left alone: the machine runs builds, and a process of theirs that grows
# steadily is a true suspect, not a false one. Then Ctrl-C, the exit
# statuses of bad options, and what a user without root is told.
. "$TOP_SRCDIR/tests/cli/lib.sh"

G="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/grower"
if [ ! -x "$G" ]; then
	test_skip 'memlens growth live' 'tests/helpers/grower is not built'
	test_done
fi

H="$TEST_ROOT/helpers"
mkdir -p "$H"
HELPERS=
trap 'kill $HELPERS 2>/dev/null; rm -rf "$TEST_ROOT"' EXIT

# start NAME ARGS...: a grower in the background; its PID in $H/NAME.pid.
start() {
	_name=$1
	shift
	: >"$H/$_name.out"
	"$G" "$@" >"$H/$_name.out" 2>&1 &
	HELPERS="$HELPERS $!"
	wait_for_lines "$H/$_name.out" 1 &&
		sed -n 's/^pid=//p' "$H/$_name.out" >"$H/$_name.pid"
}

# item DOC PID: the JSON item of process PID in the growth document DOC.
item() {
	jq -c --argjson p "$2" '.items[] | select(.kind == "proc" and .pid == $p)' "$1"
}

# within VALUE WANT PERCENT
within() {
	awk -v v="$1" -v w="$2" -v p="$3" 'BEGIN { d = v - w; if (d < 0) d = -d; exit !(d <= w * p / 100) }'
}

MIB=1048576

# Started here, not in a test's subshell: the EXIT trap must know them.
start brk brk 4M 60
start mmap mmap 2M 60
start idle idle 16M 60
BRK=$(cat "$H/brk.pid") MMAP=$(cat "$H/mmap.pid") IDLE=$(cat "$H/idle.pid")
test_expect_success 'helpers growing at 4 MiB/s (brk) and 2 MiB/s (mmap), one holding still' '
	test -n "$BRK" && test -n "$MMAP" && test -n "$IDLE" && kill -0 $BRK $MMAP $IDLE
'

test_expect_success 'a window of 8 s at 0.5 s: both growers suspects, at their rate within 10%' '
	ml growth --window 8 -i 0.5 --what procs,kernel --min-rate 1M/s --pss-top 1000 \
		--json >"$TEST_ROOT/grow.json" &&
	b=$(item "$TEST_ROOT/grow.json" "$BRK") && m=$(item "$TEST_ROOT/grow.json" "$MMAP") &&
	echo "$b" && echo "$m" &&
	test "$(echo "$b" | jq .suspect)" = true &&
	test "$(echo "$m" | jq .suspect)" = true &&
	within "$(echo "$b" | jq .slope_bytes_per_s)" $((4 * MIB)) 10 &&
	within "$(echo "$m" | jq .slope_bytes_per_s)" $((2 * MIB)) 10 &&
	test "$(echo "$b" | jq -r .shape)" = linear &&
	test "$(echo "$b" | jq .samples)" -ge 12
'

test_expect_success 'their PSS is read (the fastest growers) and grows as fast' '
	b=$(item "$TEST_ROOT/grow.json" "$BRK") &&
	test "$(echo "$b" | jq ".pss.samples")" -ge 10 &&
	within "$(echo "$b" | jq .pss.slope_bytes_per_s)" $((4 * MIB)) 10
'

test_expect_success 'the idle helper and every kernel item: no suspect' '
	i=$(item "$TEST_ROOT/grow.json" "$IDLE") && echo "$i" &&
	test "$(echo "$i" | jq .suspect)" = false &&
	test "$(echo "$i" | jq -r .shape)" = flat &&
	test "$(jq "[.items[] | select(.kind == \"kernel\" and .suspect)] | length" \
		"$TEST_ROOT/grow.json")" = 0
'

test_expect_success 'the time to exhaustion counts at least the two growers' '
	jq -e ".exhaustion.state == \"known\" and
		.exhaustion.rate_bytes_per_s >= 0.9 * 6 * $MIB" "$TEST_ROOT/grow.json" >/dev/null
'

test_expect_success 'the document matches growth.schema.json' '
	if /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then
		json_validate growth.schema.json "$TEST_ROOT/grow.json"
	fi
'

test_expect_success 'text: the growers among the suspects, the thresholds stated' '
	ml growth --window 3 -i 0.5 --what procs --min-rate 1M/s --limit 0 >out &&
	grep -q "^Suspects" out &&
	grep -q "at least 1.00 MiB/s\|at least 3.52 GiB/h" out &&
	grep -E -q "^  proc +$BRK grower " out && grep -E -q "^  proc +$MMAP grower " out &&
	grep -q "^Time to exhaustion" out
'

kill $HELPERS 2>/dev/null
wait 2>/dev/null
HELPERS=
start idle2 idle 16M 60
I2=$(cat "$H/idle2.pid")

test_expect_success 'the same window with our growers stopped: the idle helper and the kernel flag nothing' '
	ml growth --window 8 -i 0.5 --what procs,kernel --min-rate 1M/s --json >quiet.json &&
	i=$(item quiet.json "$I2") && echo "$i" &&
	test "$(echo "$i" | jq .suspect)" = false &&
	test "$(jq "[.items[] | select(.kind == \"kernel\" and .suspect)] | length" quiet.json)" = 0
'

test_expect_success 'Ctrl-C ends the sampling and still reports (exit 0)' '
	"$MEMLENS" growth --window 60 -i 0.2 --what kernel --json >int.json 2>err &
	p=$! && sleep 2 && kill -INT $p && wait $p &&
	jq -e ".window.stopped_early == true and .window.samples >= 2" int.json >/dev/null
'

test_expect_success 'a sampler stopped for 3 s: the gap is said, live too' '
	"$MEMLENS" growth --window 6 -i 0.5 --what kernel --json >gap.json &
	p=$!
	sleep 1.2 && kill -STOP $p && sleep 3 && kill -CONT $p && wait $p || exit 1
	jq -e "(.window.gaps | length) >= 1 and ([.window.gaps[].seconds] | max) >= 2.5" \
		gap.json >/dev/null || exit 1
	"$MEMLENS" growth --window 6 -i 0.5 --what kernel >gap.txt &
	p=$!
	sleep 1.2 && kill -STOP $p && sleep 3 && kill -CONT $p && wait $p &&
	grep -q "a gap of [0-9]* s after" gap.txt
'

test_expect_success '-n ends after N samples; --json=pretty is one document' '
	ml growth -n 3 -i 0.1 --what kernel --json=pretty >n.json &&
	jq -e ".window.samples == 3 and .window.stopped_early == false" n.json >/dev/null &&
	grep -q "^  \"memlens\": {" n.json
'

test_expect_success 'bad options: exit status 2 and what is wrong' '
	test_expect_code 2 ml growth --what procs,heap 2>err && grep -q "invalid --what" err &&
	test_expect_code 2 ml growth --what proc 2>err &&
	test_expect_code 2 ml growth --min-rate 1X/h 2>err && grep -q "invalid --min-rate" err &&
	test_expect_code 2 ml growth --min-rate -1M/h 2>err &&
	test_expect_code 2 ml growth --window 0 2>err && grep -q "invalid --window" err &&
	test_expect_code 2 ml growth --window 1w 2>err &&
	test_expect_code 2 ml growth --min-r2 1.5 2>err &&
	test_expect_code 2 ml growth --min-rising 120% 2>err &&
	test_expect_code 2 ml growth --pss-top -1 2>err &&
	test_expect_code 2 ml growth --sort slope 2>err
'

if is_root && command -v setpriv >/dev/null; then
	test_expect_success 'as a user: --what slab names slabinfo and says to run as root (exit 1)' '
		test_expect_code 1 setpriv --reuid 65534 --regid 65534 --clear-groups \
			"$MEMLENS" growth --what slab -n 2 -i 0.1 2>err &&
		grep -q "slabinfo" err && grep -q "root" err
	'
	test_expect_success 'as a user, by default: slab and vmalloc left out and said so' '
		setpriv --reuid 65534 --regid 65534 --clear-groups \
			"$MEMLENS" growth -n 2 -i 0.1 >out &&
		grep -q "slab not sampled: cannot open .*slabinfo: Permission denied" out &&
		grep -q "vmalloc not sampled" out &&
		setpriv --reuid 65534 --regid 65534 --clear-groups \
			"$MEMLENS" growth -n 2 -i 0.1 --json >u.json &&
		jq -e "[.what[]] == [\"procs\", \"kernel\"] and
			([.unavailable[].source] | index(\"slab\") != null)" u.json >/dev/null
	'
else
	test_skip 'as a user: slab and vmalloc refused or left out' 'needs root and setpriv'
fi

test_done
