#!/bin/sh
# memlens zones, text: every zoneinfo layout against its expected report
# (ASCII at 80 columns), UTF-8 gauges, units, and a tree without a page size.
. "$TOP_SRCDIR/tests/cli/lib.sh"

EXP="$TOP_SRCDIR/tests/cli/expected"

for tree in linux-6.18 zones-3.10 zones-4.19 zones-6.12 zones-post-6.18 two-node-zones; do
	test_expect_success "zones text, $tree" "
		ml --proc-root '$FIXTURES/$tree' zones >out 2>err &&
		test ! -s err &&
		strip_time <out | sed 's|$FIXTURES/|FIXTURES/|' >actual &&
		test_cmp '$EXP/zones-${tree#zones-}.txt' actual
	"
done

test_expect_success 'every state word appears across the fixtures' '
	for t in zones-3.10 zones-4.19 zones-6.12 zones-post-6.18 two-node-zones; do
		ml --proc-root "$FIXTURES/$t" zones || exit 1
	done >all &&
	for s in "  ok  " "  below high  " "  below low  " "  below min  " "  unreclaimable  "; do
		grep -q -- "$s" all || { echo "missing state: $s"; exit 1; }
	done
'

test_expect_success 'the boosted zone is named in the notes' '
	ml --proc-root "$FIXTURES/zones-6.12" zones >out &&
	grep -q "Node 0 DMA32: watermarks boosted by 4.00 MiB" out
'

test_expect_success 'no boost line before 5.16: n/a, never 0' '
	ml --proc-root "$FIXTURES/zones-4.19" zones >out &&
	grep -q "^  Normal  .*n/a    n/a$" out &&
	grep -q "prints no boost line" out
'

test_expect_success 'UTF-8 gauges' '
	LC_ALL=C.UTF-8 ml --proc-root "$FIXTURES/zones-6.12" zones >out &&
	strip_time <out | sed "s|$FIXTURES/|FIXTURES/|" >actual &&
	test_cmp "$EXP/zones-6.12-utf8.txt" actual
'

test_expect_success 'sizes in KiB with -k' '
	ml --proc-root "$FIXTURES/zones-4.19" zones -k >out &&
	grep -q "^(page size 4096 bytes, from meminfo and vmstat; sizes in KiB)$" out &&
	grep -q "^Zones    below low: Node 0 Normal, 3432 KiB under low (kswapd woken)$" out &&
	grep -q "^  Normal     8892    -3432     1716  below low " out &&
	grep -q "^  Normal  7176  12324  17472    n/a    n/a$" out
'

test_expect_success 'a narrow terminal still gets a 12-cell gauge' '
	COLUMNS=40 ml --proc-root "$FIXTURES/zones-4.19" zones >out &&
	grep -q "^  Normal  .*below low  \[##m#l\.h\.\.\.\.\.\]$" out
'

test_expect_success 'no meminfo: the page size is unknown and sizes are pages' '
	fixture_copy zones-4.19 &&
	rm proc/meminfo &&
	ml --proc-root proc zones >out &&
	strip_time <out | sed "s|from proc$|from PROC|" >actual &&
	test_cmp "$EXP/zones-4.19-pages.txt" actual
'

test_expect_success 'a live-looking copy is still not the running kernel' '
	fixture_copy linux-6.18 &&
	ml --proc-root proc zones >out &&
	grep -q "from meminfo and vmstat" out
'

test_done
