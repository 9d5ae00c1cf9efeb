#!/bin/sh
# The leak rule: over the growth-series captures (tests/fixtures/growth-series,
# 24 hourly captures) the suspects are the ones memlens growth finds, and
# every value of their evidence is what memlens growth --json shows for the
# same captures; thresholds move them (just below and just above); the
# severity follows the time to exhaustion. Live: a helper that grows its
# heap is a suspect within the window, at its rate, and one that holds still
# is not.
. "$TOP_SRCDIR/tests/cli/lib.sh"

S="$FIXTURES/growth-series"
CAPS=$(cd "$S" && ls -d capture-* | sed "s|^|$S/|" | tr '\n' ' ')

# leaks DOC: the leak findings as "severity subject", in order.
leaks() {
	jq -r '.findings[] | select(.rule == "leak") | "\(.severity) \(.subject)"' "$1"
}

test_expect_success 'the series: three suspects, notes; the sawtooth, the step and the flat are not' '
	test_expect_code 0 ml explain $CAPS --json >j &&
	json_validate explain.schema.json j &&
	leaks j >got &&
	printf "note 4242 leaky\nnote SUnreclaim\nnote kmalloc-64\n" >want &&
	test_cmp want got &&
	test "$(jq .window.readings j)" = 24 &&
	test "$(jq .window.seconds j)" = 82800 &&
	test "$(jq .window.interval j)" = 3600
'

test_expect_success 'every evidence value of a suspect is memlens growth --json of the same captures' '
	test_expect_code 0 ml explain $CAPS --json >j &&
	ml growth $CAPS --json >g.json &&
	jq -c ".findings[] | select(.rule == \"leak\") | .evidence[] | select(.see != null and .see.command == \"growth\") | [.see.jq, .value]" j >see &&
	test "$(wc -l <see)" -ge 18 &&
	while read -r row; do
		filter=$(echo "$row" | jq -r ".[0]") &&
		want=$(echo "$row" | jq -c ".[1]") &&
		got=$(jq -c "$filter" g.json) &&
		jq -n --argjson a "$want" --argjson b "$got" -e "\$a == \$b" >/dev/null ||
			{ echo "$filter: explain says $want, growth says $got"; exit 1; }
	done <see
'

test_expect_success 'the fixture values: leaky 32 MiB/h over 23 h, kmalloc-64 10 MiB/h from slabinfo' '
	test_expect_code 0 ml explain $CAPS --json >j &&
	ev() { jq -c "[.findings[] | select(.subject == \"$1\") | .evidence[] | select(.name == \"$2\") | .value][0]" j; } &&
	test "$(ev "4242 leaky" growth | awk "{ printf \"%.4f\", \$1 * 3600 / 1048576 }")" = 32.0000 &&
	test "$(ev kmalloc-64 growth | awk "{ printf \"%.4f\", \$1 * 3600 / 1048576 }")" = 10.0000 &&
	test "$(ev "4242 leaky" samples)" = 24 &&
	test "$(ev "4242 leaky" PID)" = "\"4242\"" &&
	test "$(jq -r "[.findings[] | select(.subject == \"4242 leaky\") | .evidence[] | select(.name == \"last\") | .file][0]" j)" = "$S/capture-23/proc/4242/status" &&
	test "$(jq -r "[.findings[] | select(.subject == \"kmalloc-64\") | .evidence[] | select(.name == \"last\") | .file][0]" j)" = "$S/capture-23/proc/slabinfo" &&
	test "$(jq -r "[.findings[] | select(.subject == \"kmalloc-64\") | .evidence[] | select(.name == \"first\") | .file][0]" j)" = null
'

test_expect_success 'min_mib_h: just above a rate the suspect goes, just below it stays' '
	ml explain $CAPS --set leak.min_mib_h=10.01 --json >j1 &&
	leaks j1 >got1 && echo "note 4242 leaky" >want1 && test_cmp want1 got1 &&
	ml explain $CAPS --set leak.min_mib_h=9.99 --json >j2 &&
	test "$(leaks j2 | wc -l)" = 3 &&
	ml explain $CAPS --set leak.min_mib_h=32.01 --json >j3 &&
	test "$(leaks j3 | wc -l)" = 0 &&
	ml explain $CAPS --set leak.min_mib_h=31.99 --json >j4 &&
	test "$(leaks j4)" = "note 4242 leaky"
'

test_expect_success 'the time to exhaustion makes the severity: warning, critical, exit 3' '
	ml explain $CAPS --json >j &&
	eta=$(jq "[.findings[] | select(.subject == \"4242 leaky\") | .evidence[] | select(.name == \"time to exhaustion\") | .value][0]" j) &&
	h=$(awk -v e="$eta" "BEGIN { printf \"%.3f\", e / 3600 }") &&
	above=$(awk -v h="$h" "BEGIN { print h + 0.01 }") &&
	below=$(awk -v h="$h" "BEGIN { print h - 0.01 }") &&
	test_expect_code 3 ml explain $CAPS --set leak.eta_warn_h=$above --json >w &&
	test "$(leaks w | head -n 1)" = "warning 4242 leaky" &&
	test_expect_code 0 ml explain $CAPS --set leak.eta_warn_h=$below --json >n &&
	test "$(leaks n | head -n 1)" = "note 4242 leaky" &&
	test_expect_code 3 ml explain $CAPS --set leak.eta_warn_h=$above --set leak.eta_crit_h=$above --json >c &&
	test "$(leaks c | head -n 1)" = "critical 4242 leaky"
'

test_expect_success 'the text report: the suspect, its growth and what to reach for' '
	ml explain $CAPS >txt &&
	grep -q "^Window   23.0 h from capture .*capture-00 to capture .*capture-23, 24 readings$" txt &&
	grep -q "^NOTE     leak: process 4242 leaky grows 32.0 MiB/h steadily over 23.0 h: at" txt &&
	grep -q "bcc memleak -p 4242" txt &&
	grep -q "slub_debug=U,CACHE" txt
'

test_expect_success 'two captures are no fit: the leak rule is not judged' '
	ml explain "$S/capture-00" "$S/capture-05" --json >j &&
	test "$(jq -r ".not_judged[] | select(.rule == \"leak\") | .why" j)" = "2 readings; a steady growth needs three or more"
'

test_expect_success 'captures out of order: exit 1' '
	test_expect_code 1 ml explain "$S/capture-00" "$S/capture-02" "$S/capture-01" 2>err &&
	grep -q "capture-02 was taken after .*capture-01" err
'

GR="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/grower"
if [ ! -x "$GR" ]; then
	test_skip 'live: a heap that grows' 'tests/helpers/grower is not built'
	test_done
fi
H="$TEST_ROOT/helpers"
mkdir -p "$H"
HELPERS=
trap 'kill $HELPERS 2>/dev/null; rm -rf "$TEST_ROOT"' EXIT
for name in brk idle; do
	size=4M
	[ $name = idle ] && size=16M
	"$GR" $name $size 60 >"$H/$name.out" 2>&1 &
	HELPERS="$HELPERS $!"
	wait_for_lines "$H/$name.out" 1
done
BRK=$(sed -n 's/^pid=//p' "$H/brk.out")
IDLE=$(sed -n 's/^pid=//p' "$H/idle.out")

test_expect_success 'live: a heap growing 4 MiB/s is a suspect within the window, at its rate; one holding still is not' '
	test -n "$BRK" && test -n "$IDLE" &&
	ml explain --window 6 -i 0.5 --set leak.min_mib_h=1800 --json >j
	rc=$?
	test $rc = 0 || test $rc = 3 &&
	f=$(jq -c --arg p "$BRK" "[.findings[] | select(.rule == \"leak\" and (.subject | startswith(\$p + \" \")))][0]" j) &&
	echo "$f" &&
	test "$f" != null &&
	rate=$(echo "$f" | jq "[.evidence[] | select(.name == \"growth\") | .value][0]") &&
	awk -v r="$rate" "BEGIN { w = 4 * 1048576; d = r - w; if (d < 0) d = -d; exit !(d <= w / 10) }" &&
	test "$(jq --arg p "$IDLE" "[.findings[] | select(.rule == \"leak\" and (.subject | startswith(\$p + \" \")))] | length" j)" = 0 &&
	test "$(echo "$f" | jq -r "[.evidence[] | select(.name == \"last\") | .file][0]")" = "/proc/$BRK/status"
'

test_done
