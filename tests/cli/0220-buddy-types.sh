#!/bin/sh
# memlens buddy --types: /proc/pagetypeinfo per migrate type, text and JSON:
# the header block per node, both migrate type orders, ">100000" counts,
# the page_owner mixed table, 14 orders.
. "$TOP_SRCDIR/tests/cli/lib.sh"

EXPECTED="$TOP_SRCDIR/tests/cli/expected"

for tree in linux-6.18 two-node arm64-64k big-capped linux-3.10-reserve; do
	test_expect_success "buddy --types on $tree matches the expected report" "
		fixture_copy $tree &&
		ml --proc-root proc buddy --types >out &&
		strip_time <out | sed -n '/^Migrate types/,\$p' >actual &&
		test_cmp '$EXPECTED/buddy-types-$tree.txt' actual &&
		ml --proc-root proc buddy -t >short &&
		strip_time <short | sed -n '/^Migrate types/,\$p' | test_cmp actual -
	"
done

test_expect_success 'the buddy part is the same with and without --types' '
	fixture_copy two-node &&
	ml --proc-root proc buddy >plain &&
	ml --proc-root proc buddy --types >types &&
	strip_time <plain >a &&
	strip_time <types | sed "/^Migrate types/,\$d" | sed "\$d" >b &&
	test_cmp a b
'

test_expect_success 'text: ">100000" where the kernel stopped counting, mixed blocks' '
	fixture_copy big-capped &&
	ml --proc-root proc buddy --types >out &&
	sed -n "/^Node 0, zone Normal: free/,/^\$/p" out >zone &&
	grep -E "^  0 +73451 +>100000 +73451 +0 +0\$" zone &&
	grep -E "^  3 +9804 +78436 +9804 +0 +0\$" zone &&
	grep -E "^  pageblocks +4210 +124003 +2301 +2 +0\$" zone &&
	grep -E "^  mixed +812 +2214 +433 +0 +0\$" zone
'

test_expect_success 'JSON: migrate types as the text names them, in its order' '
	ml --proc-root "$FIXTURES/linux-3.10-reserve" buddy --types --json >old &&
	json_validate buddy.schema.json old &&
	test "$(jq -c .types.migrate_types old)" = \
		"[\"Unmovable\",\"Reclaimable\",\"Movable\",\"Reserve\",\"Isolate\"]" &&
	test "$(json_get old ".types.zones[2].pageblocks.Reserve")" = 4 &&
	ml --proc-root "$FIXTURES/arm64-64k" buddy --types --json >arm &&
	test "$(jq -c .types.migrate_types arm)" = \
		"[\"Unmovable\",\"Movable\",\"Reclaimable\",\"HighAtomic\",\"CMA\",\"Isolate\"]" &&
	test "$(json_get arm .types.orders)" = 14 &&
	test "$(json_get arm .types.pageblock_order)" = 13 &&
	test "$(json_get arm .types.pages_per_block)" = 8192 &&
	test "$(jq -c ".types.zones[0].free_blocks.CMA" arm)" = "[6,4,3,2,1,1,0,0,0,0,0,0,0,0]"
'

test_expect_success 'JSON: the header block per node, per-type counts' '
	ml --proc-root "$FIXTURES/two-node" buddy --types --json >j &&
	json_validate buddy.schema.json j &&
	test "$(json_get j .types.nodes)" = 2 &&
	test "$(jq -r "[.types.zones[] | \"\(.node)/\(.zone)\"] | join(\" \")" j)" = \
		"0/DMA 0/DMA32 0/Normal 1/Normal" &&
	test "$(jq -c ".types.zones[3].free_blocks.Unmovable" j)" = "[2500,600,150,20,0,0,0,0,0,0,0]" &&
	test "$(json_get j ".types.zones[3].pageblocks.HighAtomic")" = 1 &&
	test "$(jq -r .types.has_mixed j)" = false &&
	test "$(jq -r ".types.zones[0].mixed_pageblocks" j)" = null &&
	test "$(jq -c .unavailable j)" = "[]"
'

test_expect_success 'JSON: ">100000" is 100000 flagged as a lower bound; the mixed table' '
	ml --proc-root "$FIXTURES/big-capped" buddy --types --json >j &&
	json_validate buddy.schema.json j &&
	test "$(jq -c ".types.zones[2].free_blocks.Movable[0:4]" j)" = "[100000,100000,100000,78436]" &&
	test "$(jq -c ".types.zones[2].free_blocks_at_least.Movable[0:4]" j)" = "[true,true,true,false]" &&
	test "$(jq -c "[.types.zones[].free_blocks_at_least.Unmovable[]] | any" j)" = false &&
	test "$(jq -r .types.has_mixed j)" = true &&
	test "$(json_get j ".types.zones[3].mixed_pageblocks.Reclaimable")" = 210
'

test_done
