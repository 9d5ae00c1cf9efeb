#!/bin/sh
# memlens buddy --json: the schema, and exact values against hand-computed
# ones (the same fixtures as the unit tests).
. "$TOP_SRCDIR/tests/cli/lib.sh"

for tree in linux-6.18 two-node arm64-64k big-capped linux-3.10-reserve; do
	test_expect_success "buddy --json on $tree matches the schema" "
		ml --proc-root '$FIXTURES/$tree' buddy --json >out.json &&
		json_validate buddy.schema.json out.json &&
		test \$(wc -l <out.json) = 1
	"
done

test_expect_success 'the header and the page size of a copied tree' '
	ml --proc-root "$FIXTURES/two-node" buddy --json >j &&
	test "$(json_get j .command)" = buddy &&
	test "$(json_get j .source.hostname)" = two-node &&
	test "$(json_get j .page_size.bytes)" = 4096 &&
	test "$(json_get j .page_size.source)" = meminfo/vmstat &&
	test "$(jq -r .page_size.why_unknown j)" = null &&
	test "$(json_get j .orders)" = 11 &&
	test "$(json_get j .extfrag_threshold)" = 500
'

test_expect_success 'zones in file order, with exact totals' '
	ml --proc-root "$FIXTURES/two-node" buddy --json >j &&
	test "$(jq -r "[.zones[] | \"\(.node)/\(.zone)\"] | join(\" \")" j)" = \
		"0/DMA 0/DMA32 0/Normal 1/Normal" &&
	test "$(json_get j .free_pages)" = 548006 &&
	test "$(json_get j .free_bytes)" = 2244632576 &&
	test "$(json_get j ".zones[3].free_pages")" = 8920 &&
	test "$(json_get j ".zones[3].free_blocks")" = 6540 &&
	test "$(json_get j ".zones[3].largest_free_order")" = 3 &&
	test "$(json_get j ".zones[3].largest_free_block_bytes")" = 32768 &&
	test "$(json_get j ".zones[2].largest_free_order")" = 9 &&
	test "$(json_get j ".zones[3].counts_overflow")" = false
'

test_expect_success 'per order: blocks, pages, bytes' '
	ml --proc-root "$FIXTURES/two-node" buddy --json >j &&
	test "$(json_get j ".zones[2].orders[3] | [.order, .block_pages, .block_bytes, .free_blocks, .free_pages, .free_bytes] | join(\" \")")" = \
		"3 8 32768 612 4896 20054016" &&
	test "$(jq ".zones[].orders | length" j | sort -u)" = 11
'

# Hand-computed in tests/unit/test-fragmentation.c (two-node, node 1 Normal
# and node 0 Normal): the JSON carries the kernel's thousandths / 1000.
test_expect_success 'indices equal the hand-computed kernel values' '
	ml --proc-root "$FIXTURES/two-node" buddy --json >j &&
	test "$(jq -c "[.zones[3].orders[] | .unusable_index * 1000 | round]" j)" = \
		"[0,560,829,964,1000,1000,1000,1000,1000,1000,1000]" &&
	test "$(jq -c "[.zones[3].orders[] | .extfrag_index * 1000 | round]" j)" = \
		"[-1000,-1000,-1000,-1000,915,958,979,990,995,998,999]" &&
	test "$(jq -c "[.zones[2].orders[8,9,10] | .unusable_index * 1000 | round]" j)" = "[888,962,1000]" &&
	test "$(jq -c ".zones[2].orders[10].extfrag_index * 1000 | round" j)" = 994
'

test_expect_success '3.10 fixture: fragmented Normal' '
	ml --proc-root "$FIXTURES/linux-3.10-reserve" buddy --json >j &&
	test "$(jq -c "[.zones[2].orders[] | .extfrag_index * 1000 | round]" j)" = \
		"[-1000,-1000,-1000,-1000,-1000,-1000,-1000,987,994,997,999]" &&
	test "$(json_get j ".zones[2].largest_free_order")" = 6
'

test_expect_success 'arm64 with 64 KiB pages: 14 orders, 512 MiB blocks' '
	ml --proc-root "$FIXTURES/arm64-64k" buddy --json >j &&
	test "$(json_get j .page_size.bytes)" = 65536 &&
	test "$(json_get j .orders)" = 14 &&
	test "$(json_get j ".zones[1].orders[13].block_bytes")" = 536870912 &&
	test "$(json_get j ".zones[1].orders[13].block_pages")" = 8192 &&
	test "$(json_get j ".zones[1].orders[13].free_bytes")" = 21474836480 &&
	test "$(json_get j ".zones[1].largest_free_block_bytes")" = 536870912
'

test_expect_success 'without --types, types is null and nothing is unavailable' '
	ml --proc-root "$FIXTURES/two-node" buddy --json >j &&
	test "$(jq -r .types j)" = null &&
	test "$(jq -c .unavailable j)" = "[]" &&
	test "$(jq -c .parse_errors j)" = "[]"
'

test_expect_success '--json=pretty is the same document, indented' '
	ml --proc-root "$FIXTURES/two-node" buddy --json >compact &&
	ml --proc-root "$FIXTURES/two-node" buddy --json=pretty >pretty &&
	test $(wc -l <pretty) -gt 100 &&
	jq -S "del(.source.time)" compact >a && jq -S "del(.source.time)" pretty >b &&
	test_cmp a b
'

test_done
