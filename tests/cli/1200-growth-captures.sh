#!/bin/sh
# memlens growth on a series of captures (tests/fixtures/growth-series, see
# its README): exactly the linear items are suspects (kmalloc-64,
# SUnreclaim, the leaky process), each at its rate within 1%; the sawtooth,
# the step and the flat items are not, and say what they are; the time to
# exhaustion is the one worked out by hand below. The same from archives,
# and whatever the order of the arguments.
. "$TOP_SRCDIR/tests/cli/lib.sh"

S="$FIXTURES/growth-series"
CAPS=$(ls -d "$S"/capture-* | sort)

# within VALUE WANT PERCENT
within() {
	awk -v v="$1" -v w="$2" -v p="$3" 'BEGIN { d = v - w; if (d < 0) d = -d; exit !(d <= w * p / 100) }'
}
# field DOC KIND ID KEY
field() {
	jq -r --arg k "$2" --arg i "$3" ".items[] | select(.kind == \$k and .id == \$i) | .$4" "$1"
}

test_expect_success 'the series fits: 24 captures, sorted, no gap' '
	ml growth $CAPS --json >"$TEST_ROOT/g.json" &&
	jq -e ".mode == \"captures\" and .window.samples == 24 and (.window.gaps | length) == 0 and
		(.captures | length) == 24 and .window.interval_seconds == 3600 and
		.window.first_time == \"2026-11-21T03:00:00Z\" and
		.window.last_time == \"2026-11-22T02:00:00Z\"" "$TEST_ROOT/g.json" >/dev/null
'

test_expect_success 'exactly the linear items are suspects' '
	jq -r ".items[] | select(.suspect) | \"\(.kind) \(.id)\"" "$TEST_ROOT/g.json" | sort >got &&
	printf "%s\n" "kernel SUnreclaim" "proc 4242:25000000" "slab kmalloc-64" >want &&
	test_cmp want got
'

# 10 MiB/h = 2560 slabs x 4096 bytes / 3600 s; 32 MiB/h = 33554432 / 3600 (the
# noise is orthogonal to time: the fit is exact).
test_expect_success 'their rates within 1%: 10 MiB/h, 10 MiB/h and 32 MiB/h' '
	within "$(field "$TEST_ROOT/g.json" slab kmalloc-64 slope_bytes_per_s)" 2912.7111 1 &&
	within "$(field "$TEST_ROOT/g.json" kernel SUnreclaim slope_bytes_per_s)" 2912.7111 1 &&
	within "$(field "$TEST_ROOT/g.json" proc 4242:25000000 slope_bytes_per_s)" 9320.6756 1 &&
	test "$(field "$TEST_ROOT/g.json" proc 4242:25000000 name)" = leaky &&
	test "$(field "$TEST_ROOT/g.json" slab kmalloc-64 part_of)" = SUnreclaim &&
	test "$(field "$TEST_ROOT/g.json" slab kmalloc-64 r2)" = 1 &&
	test "$(field "$TEST_ROOT/g.json" slab kmalloc-64 samples)" = 24
'

test_expect_success 'the sawtooth, the step and the flat items say what they are' '
	test "$(field "$TEST_ROOT/g.json" slab dentry shape)" = sawtooth &&
	test "$(field "$TEST_ROOT/g.json" vmalloc "nf_tables_newset [nf_tables]" shape)" = step &&
	test "$(field "$TEST_ROOT/g.json" kernel VmallocUsed shape)" = step &&
	test "$(field "$TEST_ROOT/g.json" kernel unaccounted shape)" = flat &&
	test "$(field "$TEST_ROOT/g.json" kernel unaccounted first)" = 20971520 &&
	test "$(field "$TEST_ROOT/g.json" kernel unaccounted last)" = 20971520 &&
	test "$(field "$TEST_ROOT/g.json" proc 900:12000 shape)" = flat &&
	test "$(field "$TEST_ROOT/g.json" slab "mlx5_fs_fgs#2" ordinal)" = 1 &&
	test "$(field "$TEST_ROOT/g.json" slab mlx5_fs_fgs ordinal)" = 0
'

# By hand: MemAvailable at the last capture is 14763808 kB = 15118139392 bytes;
# the suspects add 10 MiB/h (kmalloc-64 inside SUnreclaim: once) + 32 MiB/h =
# 42 MiB/h = 44040192 / 3600 bytes a second; 15118139392 * 3600 / 44040192 =
# 1235809.82 s (343.3 h). Overcommit is strict: CommitLimit 10 GiB minus
# Committed_AS 2 GiB + 739 MiB leaves 7453 MiB, 7453 / 42 h = 638828.57 s.
test_expect_success 'the time to exhaustion, as computed by hand' '
	jq -e ".exhaustion.suspects == 3 and .exhaustion.state == \"known\" and
		.exhaustion.available == 15118139392 and .exhaustion.overcommit == 2 and
		.exhaustion.commit.room == 7815036928" "$TEST_ROOT/g.json" >/dev/null &&
	within "$(jq .exhaustion.rate_bytes_per_s "$TEST_ROOT/g.json")" 12233.3867 0.01 &&
	within "$(jq .exhaustion.eta_s "$TEST_ROOT/g.json")" 1235809.82 0.01 &&
	within "$(jq .exhaustion.commit.eta_s "$TEST_ROOT/g.json")" 638828.57 0.01 &&
	within "$(field "$TEST_ROOT/g.json" proc 4242:25000000 eta_s)" 1621999.77 0.01
'

test_expect_success 'the document matches growth.schema.json' '
	if /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then
		json_validate growth.schema.json "$TEST_ROOT/g.json"
	fi
'

test_expect_success 'the captures in any order: the same report' '
	ml growth $(printf "%s\n" $CAPS | sort -r) --json >r.json &&
	jq -S "del(.source.time)" "$TEST_ROOT/g.json" >a && jq -S "del(.source.time)" r.json >b &&
	test_cmp a b
'

test_expect_success 'archives (.tar.gz) read as the directories' '
	for c in $CAPS; do
		tar -C "$c" -czf "$(basename "$c").tar.gz" . || exit 1
	done &&
	ml growth capture-*.tar.gz --json >t.json &&
	jq -S "del(.source.time) | del(.captures)" "$TEST_ROOT/g.json" >a &&
	jq -S "del(.source.time) | del(.captures)" t.json >b &&
	test_cmp a b
'

test_expect_success 'text: the report as expected' '
	ml growth $CAPS --limit 0 >out &&
	strip_time <out >actual &&
	test_cmp "$TOP_SRCDIR/tests/cli/expected/1200-growth.txt" actual
'

test_expect_success '--what and the thresholds: fewer suspects, said' '
	ml growth $CAPS --what slab,procs --min-rate 20M/h --json >w.json &&
	jq -r ".items[] | select(.suspect) | .id" w.json >got &&
	echo 4242:25000000 >want && test_cmp want got &&
	jq -e ".what == [\"procs\", \"slab\"] and
		.thresholds.min_rate_bytes_per_s > 5825 and .thresholds.min_rate_bytes_per_s < 5826 and
		([.items[] | select(.kind == \"kernel\")] | length) == 0" w.json >/dev/null
'

test_done
