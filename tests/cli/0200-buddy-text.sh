#!/bin/sh
# memlens buddy, text: every fixture tree against its expected report, 80
# columns by default and more when there are more, units, the legend.
. "$TOP_SRCDIR/tests/cli/lib.sh"

EXPECTED="$TOP_SRCDIR/tests/cli/expected"

# The widest line of stdin, in characters (bars are UTF-8 with LC_ALL=C.UTF-8).
max_width() {
	/usr/bin/python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in sys.stdin))'
}

for tree in linux-6.18 two-node arm64-64k big-capped linux-3.10-reserve; do
	test_expect_success "buddy on $tree matches the expected report" "
		fixture_copy $tree &&
		ml --proc-root proc buddy >out &&
		strip_time <out >actual &&
		test_cmp '$EXPECTED/buddy-$tree.txt' actual
	"
done

test_expect_success 'two-node: fragmented node 1 shows its indices by hand-computed values' '
	fixture_copy two-node &&
	ml --proc-root proc buddy >out &&
	sed -n "/^Node 1, zone Normal/,/^\$/p" out >zone &&
	grep -E "^ +3 +32.0 KiB +40 +320 +1.25 MiB +0.964 +-1.000" zone &&
	grep -E "^ +4 +64.0 KiB +0 +0 +0 B +1.000 +0.915" zone &&
	grep -E "^ +10 +4.00 MiB +0 +0 +0 B +1.000 +0.999" zone &&
	grep -E "^ +1  Normal +34.8 MiB +8920 +6540  order 3, 32.0 KiB\$" out
'

test_expect_success 'no line is wider than 80 columns by default (UTF-8 bars too)' '
	for tree in linux-6.18 two-node arm64-64k big-capped linux-3.10-reserve; do
		rm -rf proc && fixture_copy $tree &&
		LC_ALL=C.UTF-8 ml --proc-root proc buddy --types 2>/dev/null >out
		w=$(grep -v "^memlens buddy of" out | max_width) &&
		{ [ "$w" -le 80 ] || { echo "$tree: $w columns"; exit 1; }; } || exit 1
	done
'

test_expect_success 'a wider terminal gets wider bars, up to 30 cells' '
	fixture_copy two-node &&
	COLUMNS=200 ml --proc-root proc buddy >wide &&
	w=$(grep -v "^memlens buddy of" wide | max_width) &&
	[ "$w" -gt 80 ] && [ "$w" -le 120 ] &&
	grep -E "^ +10 +4.00 MiB +480 .*#{29}" wide &&
	COLUMNS=60 ml --proc-root proc buddy >narrow &&
	! grep -q "extfrag  share" narrow &&
	grep -q "^  order  *block  *free blocks  *free pages  *free  *unusable  *extfrag$" narrow
'

test_expect_success 'sizes follow the unit options' '
	fixture_copy two-node &&
	ml --proc-root proc buddy -k >out &&
	grep -x "(sizes in KiB)" out &&
	grep -E "^ +0  Normal +164764 +41191 +5898  order 9, 2048\$" out &&
	ml --proc-root proc buddy -b >out &&
	grep -E "^ +10 +4194304 +480 +491520 +2013265920 " out
'

test_expect_success 'the legend names the extfrag threshold the tree has' '
	fixture_copy two-node &&
	ml --proc-root proc buddy >out &&
	grep -F "vm.extfrag_threshold = 500." out &&
	echo 300 >proc/sys/vm/extfrag_threshold &&
	ml --proc-root proc buddy >out &&
	grep -F "vm.extfrag_threshold = 300." out &&
	rm proc/sys/vm/extfrag_threshold &&
	ml --proc-root proc buddy >out &&
	grep -F "vm.extfrag_threshold (500 by default)." out
'

test_expect_success 'an unambiguous prefix finds the command' '
	fixture_copy two-node &&
	ml --proc-root proc bud >out &&
	grep -q "^Node 1, zone Normal" out
'

test_done
