#!/bin/sh
# memlens buddy: where the page size comes from. The running kernel's for a
# live procfs; meminfo/vmstat for a copied tree; otherwise unknown, said so,
# and every size shown in pages (never a guessed 4 KiB).
. "$TOP_SRCDIR/tests/cli/lib.sh"

test_expect_success 'live /proc: the running kernel page size' '
	ml --proc-root /proc buddy --json >j &&
	json_validate buddy.schema.json j &&
	test "$(json_get j .page_size.source)" = kernel &&
	test "$(json_get j .page_size.bytes)" = "$(getconf PAGESIZE)" &&
	ml buddy >out &&
	grep -q "(the running kernel'"'"'s)\$" out
'

test_expect_success 'one pair that does not divide is not enough to lose it' '
	fixture_copy two-node &&
	sed -i "s/^nr_anon_pages .*/nr_anon_pages 6853141/" proc/vmstat &&
	ml --proc-root proc buddy --json >j &&
	test "$(json_get j .page_size.bytes)" = 4096
'

test_expect_success 'a copied tree: derived from meminfo and vmstat' '
	ml --proc-root "$FIXTURES/arm64-64k" buddy >out &&
	grep -x "Free lists from buddyinfo; page size 64.0 KiB (from meminfo/vmstat)" out &&
	grep -E "^ +13 +512 MiB +40 +327680 +20.0 GiB " out
'

test_expect_success 'no meminfo: page size unknown, sizes in pages, said why' '
	fixture_copy two-node && rm proc/meminfo &&
	ml --proc-root proc buddy >out &&
	grep -x "Page size unknown: sizes in pages" out &&
	grep -x "  (cannot open proc/meminfo: No such file or directory)" out &&
	grep -E "^  order +block +free blocks +free pages +unusable +extfrag" out &&
	grep -E "^ +10 +1024 pages +480 +491520 +0.004 +-1.000" out &&
	grep -E "^ +1  Normal +8920 +6540  order 3, 8 pages\$" out &&
	! grep -E "KiB|MiB|GiB" out &&
	ml --proc-root proc buddy --json >j &&
	json_validate buddy.schema.json j &&
	test "$(jq -r .page_size.bytes j)" = null &&
	test "$(json_get j .page_size.why_unknown)" = "cannot open proc/meminfo: No such file or directory" &&
	test "$(jq -r .free_bytes j)" = null &&
	test "$(jq -r "[.zones[].orders[].block_bytes] | unique | .[]" j)" = null &&
	test "$(json_get j ".zones[3].free_pages")" = 8920
'

test_expect_success 'no counter pair that tells: page size unknown' '
	fixture_copy two-node &&
	grep -v -E "^(nr_anon_pages|nr_mapped|nr_shmem|nr_slab_reclaimable|nr_page_table_pages|nr_dirty) " \
		"$FIXTURES/two-node/vmstat" >proc/vmstat &&
	ml --proc-root proc buddy --json >j &&
	test "$(jq -r .page_size.bytes j)" = null &&
	test "$(json_get j .page_size.why_unknown)" = "meminfo and vmstat do not tell it"
'

test_expect_success 'no vmstat: page size unknown (big-capped has neither file)' '
	ml --proc-root "$FIXTURES/big-capped" buddy >out &&
	grep -x "Page size unknown: sizes in pages" out &&
	grep -E "^ +0  Normal +3996854 +1487200  order 9, 512 pages\$" out
'

test_done
