#!/bin/sh
# memlens vmalloc --json: the schema, and exact values counted by hand from the fixtures.
. "$TOP_SRCDIR/tests/cli/lib.sh"

# vm TREE [ARGS...]: JSON of TREE into out.json, valid against the schema.
vm() {
	_tree=$1
	shift
	ml --proc-root "$FIXTURES/$_tree" vmalloc --json "$@" >out.json &&
		json_validate vmalloc.schema.json out.json
}

# is FILTER VALUE: jq FILTER of out.json prints VALUE.
is() {
	_got=$(jq -c -r "$1" out.json) || return 1
	[ "$_got" = "$2" ] || { echo "$1: got '$_got', expected '$2'"; return 1; }
}

test_expect_success 'linux-6.18: totals, check, stacks, callers' '
	vm linux-6.18 &&
	is .command vmalloc &&
	is .vmalloc.page_size 4096 &&
	is .vmalloc.page_size_source meminfo/vmstat &&
	is .vmalloc.addresses hashed &&
	is .vmalloc.sorted null &&
	is .vmalloc.totals.areas 236 &&
	is .vmalloc.totals.pages 3571 &&
	is .vmalloc.totals.bytes 14626816 &&
	is .vmalloc.totals.va_size 18886656 &&
	is .vmalloc.totals.unpurged "{\"areas\":1307,\"va_size\":26767360}" &&
	is .vmalloc.totals.flags.ioremap 29 &&
	is .vmalloc.totals.flags.vpages 3 &&
	is .vmalloc.check.state equal &&
	is .vmalloc.check.basis pages &&
	is .vmalloc.check.VmallocUsed 14626816 &&
	is .vmalloc.check.computed 14626816 &&
	is .vmalloc.check.difference 0 &&
	is .vmalloc.check.why null &&
	is .vmalloc.thread_stacks "{\"areas\":96,\"pages\":384,\"bytes\":1572864,\"KernelStack\":1540096}" &&
	is ".vmalloc.callers | length" 18 &&
	is ".vmalloc.callers[0] | [.name, .module, .areas, .pages, .bytes, .va_size]" \
		"[\"htab_map_alloc\",\"kernel\",10,2023,8286208,8327168]" &&
	is ".vmalloc.callers[] | select(.name == \"kernel_clone\") | [.thread_stacks, .areas, .pages]" \
		"[true,95,380]" &&
	is ".vmalloc.callers[] | select(.name == \"(unpurged)\") | [.unpurged, .module, .pages]" \
		"[true,\"(unpurged)\",0]" &&
	is "[.vmalloc.modules[].name]" "[\"kernel\",\"(unpurged)\"]" &&
	is ".vmalloc.modules[] | select(.name == \"(unpurged)\") | .unpurged" true &&
	is "[.vmalloc.types[].name]" "[\"vmalloc\",\"unpurged\",\"ioremap\",\"vmap\"]" &&
	is ".vmalloc.largest_areas | length" 10 &&
	is ".vmalloc.largest_areas[0] | [.caller, .pages, .va_size, .line, .start, .flags]" \
		"[\"htab_map_alloc+0x2e4/0x5a0\",641,2629632,62,\"0x000000009c8e644c\",[\"vmalloc\",\"vpages\"]]" &&
	is "[.vmalloc.largest_areas[3,4].line]" "[53,126]" &&
	is .vmalloc.nodes "[{\"node\":0,\"pages\":3571,\"bytes\":14626816}]" &&
	is ".vmalloc.callers[0].growth" null &&
	is .parse_errors "[]" &&
	is .unavailable "[]"
'
test_expect_success 'real addresses: not sorted, 3141 unpurged, VmallocUsed equal' '
	vm vmalloc-6.18-realaddr &&
	is .vmalloc.addresses real &&
	is .vmalloc.sorted false &&
	is .vmalloc.totals.unpurged.areas 3141 &&
	is .vmalloc.totals.pages 6379 &&
	is .vmalloc.check.state equal &&
	is .vmalloc.check.VmallocUsed 26128384 &&
	is .vmalloc.thread_stacks.areas 798 &&
	is ".vmalloc.largest_areas[0].start" 0xffffc90000aa4000
'
test_expect_success '3.10: address-range basis, nodes, modules, phys without 0x' '
	vm vmalloc-3.10 &&
	is .vmalloc.check.basis va_size &&
	is .vmalloc.check.state equal &&
	is .vmalloc.check.computed 6361088 &&
	is .vmalloc.check.VmallocUsed 6361088 &&
	is .vmalloc.addresses real &&
	is .vmalloc.sorted true &&
	is .vmalloc.nodes "[{\"node\":0,\"pages\":648,\"bytes\":2654208},{\"node\":1,\"pages\":332,\"bytes\":1359872}]" &&
	is ".vmalloc.modules[] | select(.name == \"e1000e\") | [.areas, .pages]" "[2,64]" &&
	is ".vmalloc.callers[] | select(.name == \"0xffffffffa0164c1e\") | .module" "(unresolved)" &&
	is ".vmalloc.largest_areas[] | select(.caller == \"vb2_vmalloc_alloc+0x5a/0xd0\") | [.module, .type, .flags]" \
		"[\"videobuf2_vmalloc\",\"user\",[\"vmalloc\",\"user\"]]" &&
	is .vmalloc.thread_stacks.areas 0
'
test_expect_success '4.19: VmallocUsed printed as 0 is not a measurement' '
	vm vmalloc-4.19 &&
	is .vmalloc.check.state not_reported &&
	is .vmalloc.check.VmallocUsed 0 &&
	is .vmalloc.check.computed 1138688 &&
	is .vmalloc.check.difference null &&
	is .vmalloc.totals.vm_map_ram "{\"areas\":2,\"va_size\":98304}" &&
	is .vmalloc.totals.unpurged.areas 4 &&
	is "[.vmalloc.callers[] | select(.thread_stacks) | .name]" "[\"_do_fork\",\"fork_idle\"]" &&
	is ".vmalloc.modules[] | select(.name == \"nf_tables\") | .pages" 72
'
test_expect_success '6.12: zero addresses, modules, every type' '
	vm vmalloc-6.12-modules &&
	is .vmalloc.addresses zero &&
	is .vmalloc.check.state equal &&
	is .vmalloc.check.VmallocUsed 7073792 &&
	is "[.vmalloc.types[] | .name] | sort" \
		"[\"dma-coherent\",\"ioremap\",\"sparse\",\"unpurged\",\"user\",\"vm_map_ram\",\"vmalloc\",\"vmap\"]" &&
	is ".vmalloc.types[] | select(.name == \"sparse\") | [.areas, .pages, .va_size]" "[1,0,4296081408]" &&
	is ".vmalloc.callers[] | select(.name == \"nf_tables_newset\") | [.module, .pages]" "[\"nf_tables\",64]" &&
	is ".vmalloc.totals.flags | [.sparse, .user, .\"dma-coherent\"]" "[1,2,1]" &&
	is ".vmalloc.largest_areas[0] | [.start, .end]" "[\"0x0000000000000000\",\"0x0000000000000000\"]"
'
test_expect_success 'inconsistent VmallocUsed: differs by -8192 bytes, areas in progress' '
	vm vmalloc-6.12-inconsistent &&
	is .vmalloc.check.state differs &&
	is .vmalloc.check.difference -8192 &&
	is .vmalloc.check.why areas_in_progress &&
	is .vmalloc.check.VmallocUsed_before 7081984
'
test_expect_success '--limit and --sort apply to the three groupings' '
	vm linux-6.18 --limit 3 --sort=-name --areas 2 &&
	is "[.vmalloc.callers[].name]" "[\"vp_modern_map_capability\",\"queue_stack_map_alloc\",\"pcpu_get_vm_areas\"]" &&
	is ".vmalloc.modules | length" 2 &&
	is ".vmalloc.largest_areas | length" 2 &&
	is .vmalloc.sort name &&
	is .vmalloc.reverse true
'
test_expect_success '-n 2: two documents; growth from the second on' '
	ml --proc-root "$FIXTURES/linux-6.18" vmalloc --json -n 2 -i 0.05 --limit 1 >out.jsonl &&
	test "$(wc -l <out.jsonl)" = 2 &&
	json_validate vmalloc.schema.json out.jsonl &&
	sed -n 1p out.jsonl >out.json && is ".vmalloc.callers[0].growth" null &&
	sed -n 2p out.jsonl >out.json &&
	is ".vmalloc.callers[0].growth" "{\"areas\":0,\"pages\":0,\"bytes\":0}"
'
test_expect_success 'pretty JSON is the same document' '
	ml --proc-root "$FIXTURES/vmalloc-4.19" vmalloc --json >a.json &&
	ml --proc-root "$FIXTURES/vmalloc-4.19" vmalloc --json=pretty >b.json &&
	test "$(wc -l <b.json)" -gt 50 &&
	jq -S "del(.source.time)" a.json >a.n && jq -S "del(.source.time)" b.json >b.n &&
	test_cmp a.n b.n
'
test_done
