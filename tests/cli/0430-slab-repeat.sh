#!/bin/sh
# memlens slab -i/-n: JSON Lines and repeated text reports; from the second
# report on, each cache's change per second (0 for a fixture that stands still).
. "$TOP_SRCDIR/tests/cli/lib.sh"

L618="$FIXTURES/linux-6.18"
S618="$FIXTURES/linux-6.18-sys"

test_expect_success '-n 3 --json: three valid documents, growth from the second' '
	ml --proc-root "$L618" --sys-root "$S618" slab -n 3 -i 0.05 --json >out.jsonl &&
	test $(wc -l <out.jsonl) = 3 &&
	json_validate slab.schema.json out.jsonl &&
	sed -n 1p out.jsonl >1.json && sed -n 3p out.jsonl >3.json &&
	test "$(jq -r .interval_seconds 1.json)" = null &&
	test "$(jq -r .totals.growth_bytes_per_second 1.json)" = null &&
	test "$(jq -r .caches[0].growth_bytes_per_second 1.json)" = null &&
	test "$(json_get 1.json .totals.caches_added)" = 235 &&
	jq -e ".interval_seconds > 0.03 and .interval_seconds < 5" 3.json &&
	jq -e ".totals.growth_bytes_per_second == 0 and .totals.growth_pages_per_second == 0" 3.json &&
	jq -e "[.caches[].growth_bytes_per_second] | all(. == 0)" 3.json &&
	jq -e ".totals.caches_added == 0 and .totals.caches_removed == 0" 3.json
'

test_expect_success 'a cache that grows, one that goes, one that comes' '
	fixture_copy linux-6.18 &&
	ml --proc-root proc slab -n 2 -i 1 --json >out.jsonl &
	pid=$! &&
	# Change the file once the first report is out (stdout is flushed then).
	n=0 && while [ ! -s out.jsonl ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done &&
	sed -e "s/^dentry            109867 114366    192   21    1 : tunables    0    0    0 : slabdata   5446   5446/dentry            109867 114366    192   21    1 : tunables    0    0    0 : slabdata   5446   5546/" \
	    -e "/^kmalloc-8k /d" -e "2a\\
newcache 1 8 512 8 1 : tunables 0 0 0 : slabdata 1 1 0" "$L618/slabinfo" >proc/slabinfo.new &&
	cat proc/slabinfo.new >proc/slabinfo &&
	wait $pid &&
	sed -n 2p out.jsonl >2.json &&
	jq -e ".totals.caches_added == 1 and .totals.caches_removed == 1" 2.json &&
	jq -e "[.caches[] | select(.name == \"dentry\")][0] |
		.growth_pages_per_second > 50 and .growth_pages_per_second < 110" 2.json &&
	jq -e "[.caches[] | select(.name == \"newcache\")][0].growth_pages_per_second == null" 2.json &&
	jq -e ".totals.growth_pages_per_second > 0" 2.json
'

test_expect_success '-n 2 text: two reports, the second with change/s' '
	ml --proc-root "$L618" slab -n 2 -i 0.05 --limit 2 >out &&
	test $(grep -c "^memlens slab of " out) = 2 &&
	test $(grep -c "change/s\$" out) = 1 &&
	grep -E "^  ext4_inode_cache .* 0 B\$" out &&
	grep -q "change over 0\.[0-9] s\$" out
'

test_done
