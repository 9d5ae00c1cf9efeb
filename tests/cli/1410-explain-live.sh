#!/bin/sh
# memlens explain on this machine: valid documents, an exit status that
# agrees with them, the evidence of rules made to fire (thresholds at 0)
# against the live commands that show it, and that a window on a calm
# machine adds no warning.
#
# The machine is shared (builds and tests run beside this one), so this test
# judges memlens, not the machine's mood: it never asserts that the machine
# has no warning. It reads /proc itself around the same window, and only
# when nothing moved there (no swapping, no reclaim stall, no compaction
# stall, no OOM kill, MemAvailable steady) does it require that the window
# found no warning the single reading before it did not find: rates made of
# noise are memlens's false positives; a warning about the machine's state
# is the machine's.
. "$TOP_SRCDIR/tests/cli/lib.sh"

if ! /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then
	test_skip 'live explain' 'python3-jsonschema is not installed'
	test_done
fi

# exj ARGS...: memlens explain; exit 0 or 3 (a finding) is not a failure.
exj() {
	ml explain "$@"
	_rc=$?
	test $_rc = 0 || test $_rc = 3
}

test_expect_success 'one reading: a valid document, and the exit status it states' '
	ml explain --json >json
	rc=$?
	json_validate explain.schema.json json &&
	test "$rc" = "$(json_get json .exit_status)" &&
	if jq -e ".counts.critical + .counts.warning > 0" json >/dev/null; then test $rc = 3; else test $rc = 0; fi
'

test_expect_success 'as root every rule that needs no window is judged' '
	if ! is_root; then exit 0; fi
	exj --json >json &&
	jq -r ".not_judged[] | \"\(.rule): \(.why)\"" json >nj &&
	grep -v "^slab-reclaim: needs a window" nj | grep -v "^leak: needs three readings" |
		grep -v "^pressure: " >bad || true
	! test -s bad || { cat bad; exit 1; }
'

# Thresholds at 0 make rules fire on any machine; their evidence must then
# be what the other commands show. Live values move between two runs (the
# unaccounted remainder by tens of MiB on a busy machine), so a number may
# differ by 1% (or 16 MiB), and a run where one moved more is tried again,
# five times at most; the fixtures' test checks exact equality
# (tests/cli/1400-explain.sh).
FIRE="--set available.warn_pct=100 --set hidden-cache.note_pct=0 --set unaccounted.note_pct=0
	--set unaccounted.min_mib=0 --set slab-unreclaim.note_pct=0 --set slab-waste.min_mib=1
	--set slab-waste.waste_pct=0 --set fragmentation.thp_unusable_index=0
	--set fragmentation.min_free_mib=0"

# One try: explain, then each command it names; 0 when every value agrees.
evidence_agrees() {
	exj --json $FIRE >ex.json || return 1
	jq -c ".findings[].evidence[] | select(.see != null) | [.see.command, .see.jq, .value]" \
		ex.json >see
	for c in $(jq -r ".[0]" see | sort -u); do ml $c --json >"$c.json" || return 1; done
	: >disagree
	while read -r row; do
		cmd=$(echo "$row" | jq -r ".[0]") && filter=$(echo "$row" | jq -r ".[1]") &&
		want=$(echo "$row" | jq -c ".[2]") && got=$(jq -c "$filter" "$cmd.json") &&
		jq -n -e --argjson a "$want" --argjson b "$got" "
			if (\$a | type) == \"number\" and (\$b | type) == \"number\" then
				((\$a - \$b) | fabs) <= ([(\$a | fabs) * 0.01, 16777216] | max)
			else \$b != null end" >/dev/null ||
			echo "$cmd | $filter: explain $want, $cmd $got" >>disagree
	done <see
	! test -s disagree
}

test_expect_success 'rules made to fire: their evidence agrees with the live commands' '
	if ! is_root; then exit 0; fi
	tries=0 &&
	until evidence_agrees; do
		tries=$((tries + 1))
		if test $tries -ge 5; then cat disagree; exit 1; fi
		sleep 1
	done &&
	json_validate explain.schema.json ex.json &&
	for r in available hidden-cache slab-unreclaim slab-waste fragmentation; do
		jq -e --arg r $r "[.findings[] | select(.rule == \$r)] | length > 0" ex.json >/dev/null ||
			{ echo "$r did not fire"; exit 1; }
	done &&
	test "$(wc -l <see)" -ge 10 &&
	echo "$(wc -l <see) values agree (after $tries retries)"
'

test_expect_success '-i: each report judges the interval before it' '
	exj -i 0.5 -n 2 --json >lines &&
	test "$(wc -l <lines)" = 2 &&
	json_validate explain.schema.json lines &&
	jq -s -e "all(.[]; .window.seconds > 0.3 and .window.seconds < 5 and .window.readings == 2)" lines
'

# The counters a calm window leaves alone, from /proc itself.
counters() {
	{
		awk '$1 ~ /^(pswpin|pswpout|allocstall_(dma|dma32|normal|movable)|compact_stall|oom_kill)$/ {
			print $1, $2 }' /proc/vmstat
		awk '$1 == "MemAvailable:" || $1 == "MemTotal:" { print $1, $2 }' /proc/meminfo
	} | sort
}

test_expect_success 'a window on a calm machine adds no warning to a single reading' '
	exj --json >one.json &&
	counters >before &&
	exj --window 3 -i 1 --json >win.json &&
	counters >after &&
	json_validate explain.schema.json win.json &&
	test "$(jq .window.readings win.json)" -ge 3 &&
	test "$(jq ".not_judged | map(select(.rule == \"slab-reclaim\")) | length" win.json)" = 0 &&
	moved=$(join before after | awk "
		/^MemTotal:/ { total = \$2; next }
		/^MemAvailable:/ { d = \$2 - \$3; if (d < 0) d = -d; avail = d; next }
		\$2 != \$3 { print \$1, \$2, \"->\", \$3 }
		END { if (total > 0 && avail * 100 > total) print \"MemAvailable moved by\", avail, \"kB\" }") &&
	if test -n "$moved"; then
		echo "not calm, nothing asserted: $moved"
		exit 0
	fi
	jq -r ".findings[] | select(.severity != \"note\") | \"\(.rule) \(.subject)\"" one.json | sort >w1 &&
	jq -r ".findings[] | select(.severity != \"note\") | \"\(.rule) \(.subject)\"" win.json | sort >w2 &&
	comm -13 w1 w2 >added0 &&
	# A process of the machine (a build) that grew through the window is a
	# true leak suspect: one whose RSS is above its first value afterwards.
	: >added &&
	while read -r rule subject; do
		pid=${subject%% *}
		first=$(jq -r --arg s "$subject" "[.findings[] | select(.rule == \"leak\" and .subject == \$s) | .evidence[] | select(.name == \"first\") | .value][0]" win.json)
		rss=$(awk "/^VmRSS:/ { print \$2 * 1024 }" /proc/$pid/status 2>/dev/null)
		if test "$rule" = leak && test -n "$rss" && test "$first" != null && test "$rss" -gt "$first"; then
			echo "a true suspect: $subject, RSS $first then $rss"
			continue
		fi
		echo "$rule $subject" >>added
	done <added0 &&
	if test -s added; then
		echo "the window added warnings on a calm machine:"; cat added
		jq ".findings" win.json
		exit 1
	fi
'

test_done
