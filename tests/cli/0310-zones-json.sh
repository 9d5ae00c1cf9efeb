#!/bin/sh
# memlens zones --json: the schema, and exact values from each layout.
. "$TOP_SRCDIR/tests/cli/lib.sh"

for tree in linux-6.18 zones-3.10 zones-4.19 zones-6.12 zones-post-6.18 two-node-zones; do
	test_expect_success "zones --json matches the schema, $tree" "
		ml --proc-root '$FIXTURES/$tree' zones --json >out.json &&
		json_validate zones.schema.json out.json
	"
done

test_expect_success 'the schema rejects a wrong document' '
	ml --proc-root "$FIXTURES/zones-6.12" zones --json >out.json &&
	jq ".zones[0].state = \"fine\"" out.json >bad1.json &&
	! json_validate zones.schema.json bad1.json 2>/dev/null &&
	jq "del(.zones[0].boost_pages)" out.json >bad2.json &&
	! json_validate zones.schema.json bad2.json 2>/dev/null &&
	jq ".zones[0].free = -1" out.json >bad3.json &&
	! json_validate zones.schema.json bad3.json 2>/dev/null
'

test_expect_success '6.18 capture: values, layout, page size from the tree' '
	ml --proc-root "$FIXTURES/linux-6.18" zones --json >j &&
	test "$(json_get j .page_size)" = 4096 &&
	test "$(json_get j .page_size_source)" = meminfo/vmstat &&
	test "$(json_get j .layout.node_stats)" = in_zone &&
	test "$(json_get j .layout.protection_after_counters)" = false &&
	test "$(json_get j ".zones | length")" = 5 &&
	test "$(json_get j ".zones[2].free_pages")" = 1639341 &&
	test "$(json_get j ".zones[2].free")" = 6714740736 &&
	test "$(json_get j ".zones[2].headroom_low_pages")" = 1624749 &&
	test "$(json_get j ".zones[2].headroom_low")" = 6654971904 &&
	test "$(json_get j ".zones[2].headroom_min_pages")" = 1627667 &&
	test "$(json_get j ".zones[2].promo_pages")" = 20428 &&
	test "$(json_get j ".zones[0].protection_pages | join(\",\")")" = 0,3019,9803,9803,9803 &&
	test "$(json_get j ".zones[0].pagesets[1].high_max")" = 240 &&
	test "$(json_get j ".zones[0].counters.nr_free_pages_blocks")" = 3584 &&
	test "$(json_get j ".zones[2].numa.numa_hit")" = 13150313 &&
	test "$(json_get j ".zones[3].populated")" = false &&
	test "$(json_get j ".zones[3].state")" = empty &&
	test "$(json_get j ".zones[3].pagesets | length")" = 0 &&
	test "$(json_get j ".nodes[0].per_node_stats.nr_inactive_file")" = 12263 &&
	test "$(json_get j ".nodes[0].zones | join(\",\")")" = DMA,DMA32,Normal,Movable,Device &&
	test "$(json_get j ".units.nr_kernel_stack")" = kB &&
	test "$(json_get j ".units.nr_anon_transparent_hugepages")" = huge_pages &&
	test "$(json_get j ".units.numa_hit")" = events &&
	test "$(json_get j ".health.state")" = ok &&
	test "$(json_get j ".health.zone")" = DMA &&
	test "$(json_get j ".health.zones_by_state.ok")" = 3 &&
	test "$(json_get j ".parse_errors | length")" = 0 &&
	test "$(json_get j ".unavailable | length")" = 0
'

test_expect_success '3.10: absent fields are null, the 3.10 order is seen' '
	ml --proc-root "$FIXTURES/zones-3.10" zones --json >j &&
	test "$(json_get j .layout.protection_after_counters)" = true &&
	jq -e ".layout.node_stats == null" j &&
	jq -e ".zones[2].boost_pages == null and .zones[2].promo_pages == null" j &&
	jq -e ".zones[2].cma_pages == null and .zones[2].boost == null" j &&
	jq -e ".zones[2].headroom_promo_pages == null" j &&
	test "$(json_get j ".zones[2].fields.scanned")" = 1893274 &&
	test "$(json_get j ".zones[2].fields.inactive_ratio")" = 1 &&
	test "$(json_get j ".zones[2].unreclaimable")" = true &&
	test "$(json_get j ".zones[2].unreclaimable_key")" = all_unreclaimable &&
	test "$(json_get j ".zones[2].state")" = unreclaimable &&
	test "$(json_get j ".zones[1].state")" = below_high &&
	test "$(json_get j ".zones[1].headroom_high_pages")" = -189 &&
	jq -e ".zones[1].pagesets[0].high_min == null" j &&
	test "$(json_get j ".units.nr_kernel_stack")" = stacks &&
	jq -e ".nodes[0].per_node_stats == null" j &&
	test "$(json_get j ".health.state")" = unreclaimable
'

test_expect_success '4.19: below low, by how much' '
	ml --proc-root "$FIXTURES/zones-4.19" zones --json >j &&
	test "$(json_get j ".zones[2].state")" = below_low &&
	test "$(json_get j ".zones[2].headroom_low_pages")" = -858 &&
	test "$(json_get j ".zones[2].headroom_low")" = -3514368 &&
	test "$(json_get j ".zones[2].headroom_min")" = 1757184 &&
	jq -e ".zones[2].boost_pages == null" j &&
	test "$(json_get j ".zones[3].min_pages")" = 32 &&
	test "$(json_get j ".zones[2].pagesets | length")" = 4 &&
	test "$(json_get j ".health.headroom_low")" = -3514368
'

test_expect_success '6.12: a boosted zone, a zone below min' '
	ml --proc-root "$FIXTURES/zones-6.12" zones --json >j &&
	test "$(json_get j ".zones[1].boost_pages")" = 1024 &&
	test "$(json_get j ".zones[1].boost")" = 4194304 &&
	test "$(json_get j ".zones[1].state")" = below_high &&
	test "$(json_get j ".zones[2].state")" = below_min &&
	test "$(json_get j ".zones[2].headroom_min_pages")" = -330 &&
	test "$(json_get j ".health.state")" = below_min &&
	test "$(json_get j ".health.zones_by_state.below_high")" = 1
'

test_expect_success 'after 6.18: per-node stats record, highatomic fields' '
	ml --proc-root "$FIXTURES/zones-post-6.18" zones --json >j &&
	test "$(json_get j .layout.node_stats)" = record &&
	test "$(json_get j ".nodes[0].per_node_stats.nr_kernel_file_pages")" = 0 &&
	test "$(json_get j ".zones[2].reserved_highatomic_pages")" = 1024 &&
	test "$(json_get j ".zones[2].free_highatomic_pages")" = 217 &&
	test "$(json_get j ".zones[2].fields.free_highatomic")" = 217 &&
	test "$(json_get j "[.zones[] | select(.populated) | .state] | unique | join(\",\")")" = unreclaimable &&
	test "$(json_get j ".zones[0].unreclaimable_key")" = node_unreclaimable
'

test_expect_success 'two nodes: both nodes, node 1 below high' '
	ml --proc-root "$FIXTURES/two-node-zones" zones --json >j &&
	test "$(json_get j ".nodes | length")" = 2 &&
	test "$(json_get j ".nodes[1].zones | join(\",\")")" = DMA,DMA32,Normal,Movable,Device &&
	test "$(json_get j ".nodes[1].per_node_stats.nr_kernel_stack")" = 7168 &&
	test "$(json_get j "[.zones[] | select(.node == 1 and .populated)] | length")" = 1 &&
	test "$(json_get j ".zones[7].state")" = below_high &&
	test "$(json_get j ".zones[7].free_pages")" = 8920 &&
	test "$(json_get j ".health.node")" = 1
'

test_expect_success 'unknown page size: pages stay, bytes are null, and why' '
	fixture_copy zones-6.12 &&
	rm proc/vmstat &&
	ml --proc-root proc zones --json >j &&
	json_validate zones.schema.json j &&
	jq -e ".page_size == null and .page_size_source == null" j &&
	jq -e ".zones[2].headroom_min == null and .zones[2].free == null" j &&
	test "$(json_get j ".zones[2].headroom_min_pages")" = -330 &&
	test "$(json_get j ".unavailable[0].source")" = page_size &&
	json_get j ".unavailable[0].why" | grep -q "proc/vmstat: No such file"
'

test_done
