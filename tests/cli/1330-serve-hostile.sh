#!/bin/sh
# memlens serve under hostile clients: a wrong method, an unknown path, a
# 1 MB header, a client that sends a byte a second, one that asks and never
# reads, 200 scrapes at once, clients that hang up in the middle of the
# answer, 300 idle connections. After each it still answers; over rounds of
# all of them its resident memory and its descriptors stay flat.
. "$TOP_SRCDIR/tests/cli/lib.sh"
. "$TOP_SRCDIR/tests/cli/lib-serve.sh"

CLIENT_TIMEOUT=3

# A normal scrape still works: 200 and the whole body.
still_serves() {
	http get /metrics "Accept: application/openmetrics-text; version=1.0.0" >ok &&
	grep -q "^HTTP/1.1 200" ok && test "$(tail -n 1 ok)" = "# EOF"
}

# Wait until the server's descriptors are back to $1, at most $2 seconds.
fds_back_to() {
	_w=0
	while [ "$(serve_fds)" -gt "$1" ]; do
		[ $_w -ge $(($2 * 10)) ] && { echo "descriptors: $(serve_fds), want $1"; return 1; }
		sleep 0.1
		_w=$((_w + 1))
	done
}

# The fixture machine: a reading costs the same every time (a live /proc
# would make RSS follow the machine, not the server).
if ! serve_start --proc-root "$FIXTURES/top-6.18" --client-timeout $CLIENT_TIMEOUT; then
	test_skip 'memlens serve under hostile clients' 'it did not start'
	test_done
fi

# One round of every hostile client, each with its assertion.
hostile_round() {
	round=$1
	test_expect_success "round $round: a wrong method is 405, and it still serves" '
		for m in POST PUT DELETE PATCH OPTIONS BREW; do
			http method $m /metrics >a && grep -q "^HTTP/1.1 405" a || exit 1
		done &&
		still_serves
	'
	test_expect_success "round $round: an unknown path is 404, and it still serves" '
		for p in /metricsx /metrics/ /../../etc/passwd "/%00" /index.html; do
			http method GET "$p" >a && grep -q "^HTTP/1.1 404" a || exit 1
		done &&
		still_serves
	'
	test_expect_success "round $round: a 1 MB header is refused (431), and it still serves" '
		http bigheader 1048576 >a &&
		grep -q "^HTTP/1.1 431\|^closed" a &&
		still_serves
	'
	test_expect_success "round $round: a byte a second is cut off after the client timeout" '
		start=$(date +%s)
		http slow 30 >a &
		sleep 1 && still_serves &&
		wait $! && end=$(date +%s) &&
		grep -q "^closed after" a &&
		test $((end - start)) -le $((CLIENT_TIMEOUT + 4))
	'
	test_expect_success "round $round: a client that never reads does not hold it" '
		before=$(serve_fds) &&
		{ http slowread $((CLIENT_TIMEOUT + 8)) >a & } &&
		wait_for_lines a 1 &&
		still_serves &&
		fds_back_to "$before" $((CLIENT_TIMEOUT + 4)) &&
		wait
	'
	test_expect_success "round $round: 200 scrapes at once all get the whole answer, sharing readings" '
		http concurrent 200 >a &&
		ok=$(sed -n "s/ok=\([0-9]*\).*/\1/p" a) && distinct=$(sed -n "s/.*distinct=\([0-9]*\)/\1/p" a) &&
		test "$ok" = 200 && test "$distinct" -le 50 &&
		still_serves
	'
	test_expect_success "round $round: 50 clients hanging up mid-answer, and it still serves" '
		http disconnect 50 >a && grep -q "done 50" a &&
		still_serves
	'
}

# Rounds 1 and 2 warm up (the readers open their files, the allocator grows
# to what 200 connections at once need: it levels off in the second round).
hostile_round 1
hostile_round 2
# (in the scratch directory: the scrape's file is not left in the build tree)
(cd "$TEST_ROOT" && still_serves) >/dev/null 2>&1
sleep 1
FDS2=$(serve_fds)
RSS2=$(serve_rss)
hostile_round 3
hostile_round 4
sleep 1

say "after round 2: $RSS2 kB resident, $FDS2 descriptors; after round 4: $(serve_rss) kB, $(serve_fds)"
test_expect_success 'descriptors are flat after two more rounds' '
	fds_back_to "$FDS2" 5 &&
	echo "# descriptors: $FDS2 after round 2, $(serve_fds) after round 4"
'

test_expect_success 'resident memory is flat after two more rounds (within 1 MiB)' '
	rss=$(serve_rss) &&
	echo "# RSS: $RSS2 kB after round 2, $rss kB after round 4" &&
	test "$rss" -le $((RSS2 + 1024))
'

test_expect_success 'the connection limit: 300 idle clients hold at most 256, all cut in time' '
	before=$(serve_fds) &&
	{ http idle 300 $((CLIENT_TIMEOUT + 10)) >a & } &&
	wait_for_lines a 1 &&
	sleep 1 &&
	held=$(serve_fds) && say "300 idle clients: $((held - before)) descriptors held" &&
	test $((held - before)) -le 256 &&
	fds_back_to "$before" $((CLIENT_TIMEOUT + 4)) &&
	still_serves &&
	wait
'

test_expect_success 'errors were logged one line each, never a scrape' '
	! grep -q "GET /metrics" "$SERVE_ERR" &&
	test "$(wc -l <"$SERVE_ERR")" -lt 50
'

serve_stop
echo $? >"$TEST_ROOT/stop.rc"
test_expect_success 'SIGTERM after all that: a clean stop (exit 0)' '
	test "$(cat "$TEST_ROOT/stop.rc")" = 0
'

test_done
