#!/bin/sh
# memlens slab, text: the 6.18 capture with its sysfs, SLAB "(statistics)",
# awkward names, sorting, --limit, units and where reclaimability comes from.
. "$TOP_SRCDIR/tests/cli/lib.sh"

L618="$FIXTURES/linux-6.18"
S618="$FIXTURES/linux-6.18-sys"
STATS="$FIXTURES/slab-statistics"
ODD="$FIXTURES/slub-odd-names"
ODDSYS="$FIXTURES/slub-odd-names-sys"
EXP="$TOP_SRCDIR/tests/cli/expected"

# The report without its time and with fixture paths made relative.
norm() {
	strip_time | sed -e "s|$FIXTURES|FIXTURES|g"
}

# The rows of the table (between the column titles and the total).
rows() {
	sed -n '/^  cache /,/^  total /p' | sed '1d;$d'
}

test_expect_success 'linux-6.18 with its sysfs: the expected report' '
	ml --proc-root "$L618" --sys-root "$S618" slab >out &&
	norm <out >actual &&
	test_cmp "$EXP/slab-linux-6.18.txt" actual
'

test_expect_success 'SLAB with (statistics): the expected report' '
	ml --proc-root "$STATS" slab >out &&
	norm <out >actual &&
	test_cmp "$EXP/slab-statistics.txt" actual
'

test_expect_success 'odd names, no page size, partial sysfs: the expected report' '
	ml --proc-root "$ODD" --sys-root "$ODDSYS" slab >out &&
	norm <out >actual &&
	test_cmp "$EXP/slab-odd-names.txt" actual
'

test_expect_success 'the largest caches and the totals of the 6.18 capture' '
	ml --proc-root "$L618" --sys-root "$S618" slab >out &&
	grep -E "^  ext4_inode_cache +73109/74648 +97% +1128 +5332 +83.3 MiB +4.67 MiB +yes\$" out &&
	grep -E "^  vm_area_struct +5040/22890 +22% +192 +1090 +4.26 MiB +3.33 MiB +no\$" out &&
	grep -E "^  total +525578/591960 +88% +20031 +159 MiB +15.8 MiB +83%\$" out &&
	rows <out >r && test $(wc -l <r) = 20 &&
	head -n 1 r | grep -q "^  ext4_inode_cache " &&
	grep -q "^  20 of 235 caches, by memory; --limit 0 shows all\$" out
'

test_expect_success 'the meminfo comparison explains the 6.42 MiB' '
	ml --proc-root "$L618" --sys-root "$S618" slab >out &&
	grep -E "^  Slab +166 MiB +159 MiB +\+6.42 MiB\$" out &&
	grep -E "^  SReclaimable +132 MiB +132 MiB +0 B\$" out &&
	grep -E "^  SUnreclaim +34.1 MiB +27.7 MiB +\+6.42 MiB\$" out &&
	grep -q "SReclaimable equals the reclaimable caches to the byte" out &&
	grep -q "SUnreclaim is 6.42 MiB above the unreclaimable caches: kmalloc() of" out &&
	grep -q "more than two pages (8 KiB) bypasses the caches" out &&
	! grep -q "add up to more than meminfo" out
'

test_expect_success '--limit 0 shows every cache, --limit 3 three' '
	ml --proc-root "$L618" slab --limit 0 | rows >r &&
	test $(wc -l <r) = 235 &&
	ml --proc-root "$L618" slab --limit 3 >out && rows <out >r &&
	test $(wc -l <r) = 3 &&
	grep -q "3 of 235 caches" out &&
	ml --proc-root "$L618" slab --limit 235 >out &&
	! grep -q "caches, by" out
'

test_expect_success '--sort name orders A to Z, --sort=-name Z to A' '
	ml --proc-root "$L618" slab --sort name --limit 0 | rows | awk "{print \$1}" >names &&
	LC_ALL=C sort -c names &&
	ml --proc-root "$L618" slab --sort=-name --limit 0 | rows | awk "{print \$1}" >rnames &&
	LC_ALL=C sort -r -c rnames &&
	test "$(head -n 1 names)" = "$(tail -n 1 rnames)"
'

test_expect_success '--sort objsize orders by object size, largest first' '
	ml --proc-root "$L618" slab --sort objsize --limit 0 | rows | awk "{print \$4}" >sizes &&
	sort -n -r -c sizes &&
	test "$(head -n 1 sizes)" -ge 8192
'

test_expect_success '--sort=-memory puts the largest cache last' '
	ml --proc-root "$L618" slab --sort=-memory --limit 0 | rows >r &&
	tail -n 1 r | grep -q "^  ext4_inode_cache " &&
	ml --proc-root "$L618" slab --sort=-memory >out &&
	grep -q "20 of 235 caches, by memory (reversed)" out
'

test_expect_success '-k shows KiB, objsize stays in bytes' '
	ml --proc-root "$L618" slab -k --limit 1 >out &&
	grep -q "^(sizes in KiB; object size in bytes)\$" out &&
	grep -E "^  ext4_inode_cache +73109/74648 +97% +1128 +5332 +85312 +4777 +\?\$" out
'

test_expect_success 'a capture with this machine'"'"'s /sys: reclaimability unknown, and why' '
	ml --proc-root "$L618" --sys-root /sys slab >out &&
	grep -q "^Reclaimable unknown for every cache\$" out &&
	grep -q "(/sys is this machine'"'"'s sysfs, not the capture'"'"'s; see --sys-root)" out &&
	grep -E "^  SReclaimable +132 MiB +n/a +reclaimability unknown\$" out &&
	grep -q "only$" out && grep -q "the total compares" out
'

test_expect_success 'MEMLENS_SYS_ROOT works like --sys-root' '
	MEMLENS_SYS_ROOT="$S618" ml --proc-root "$L618" slab >out &&
	grep -q "^Reclaimable 132 MiB in 20 caches, unreclaimable 27.7 MiB in 101\$" out
'

test_expect_success 'a sys root without kernel/slab: unknown, and why' '
	mkdir -p sys/kernel &&
	ml --proc-root "$L618" --sys-root "$PWD/sys" slab >out &&
	grep -q "(no $PWD/sys/kernel/slab: the SLAB allocator has none, SLUB one directory per cache)" out
'

test_expect_success 'a cache without a sysfs entry is "?", the others known' '
	ml --proc-root "$ODD" --sys-root "$ODDSYS" slab --limit 0 >out &&
	grep -E "^  odd/slash_cache +500/512 +97% +512 +32 +64 +n/a +no\$" out &&
	grep -E "^  name with spaces +30/32 +93% +128 +1 +1 +n/a +\?\$" out &&
	grep -E "^  dentry .* yes\$" out &&
	grep -q "^  and 85 pages in 4 caches of unknown reclaimability (\"?\")\$" out &&
	grep -E "^  btrfs_ordered_extent +0/0 +- +416 +0 +0 +n/a +-\$" out
'

test_expect_success 'no page size: memory in pages, waste n/a, and why' '
	ml --proc-root "$ODD" slab >out &&
	grep -q "page size unknown: memory in pages\$" out &&
	grep -q "^(page size: cannot open .*meminfo: No such file or directory)\$" out &&
	grep -E "^  cache +objects +use +size +slabs +pages +waste +recl\$" out &&
	grep -E "^  total +12348/12524 +98% +600 +990 +n/a +\?\$" out
'

test_expect_success 'two caches of one name are both listed' '
	ml --proc-root "$ODD" slab >out &&
	test $(grep -c "^  dup_cache " out) = 2
'

test_expect_success 'help names the sort keys and the default limit' '
	ml slab --help >out &&
	grep -q "^Sort keys (--sort KEY, -KEY for the reverse order): memory (default) objects active objsize waste name growth\$" out &&
	grep -q "Text shows 20 caches" out
'

test_done
