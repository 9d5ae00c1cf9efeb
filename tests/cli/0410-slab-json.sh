#!/bin/sh
# memlens slab --json: valid against doc/schema/slab.schema.json, exact values
# from the fixtures, every cache by default, nulls for what is unknown.
. "$TOP_SRCDIR/tests/cli/lib.sh"

L618="$FIXTURES/linux-6.18"
S618="$FIXTURES/linux-6.18-sys"
STATS="$FIXTURES/slab-statistics"
ODD="$FIXTURES/slub-odd-names"
ODDSYS="$FIXTURES/slub-odd-names-sys"

test_expect_success 'every fixture gives a valid document' '
	ml --proc-root "$L618" --sys-root "$S618" slab --json >a.json &&
	json_validate slab.schema.json a.json &&
	ml --proc-root "$L618" slab --json >b.json &&
	json_validate slab.schema.json b.json &&
	ml --proc-root "$STATS" slab --json >c.json &&
	json_validate slab.schema.json c.json &&
	ml --proc-root "$ODD" --sys-root "$ODDSYS" slab --json >d.json &&
	json_validate slab.schema.json d.json &&
	ml --proc-root "$ODD" slab --json=pretty >e.json &&
	json_validate slab.schema.json e.json &&
	test $(wc -l <e.json) -gt 100
'

test_expect_success 'the schema rejects what it should' '
	ml --proc-root "$L618" slab --json >a.json &&
	jq ".caches[0].memory = \"big\"" a.json >bad1.json &&
	! json_validate slab.schema.json bad1.json 2>/dev/null &&
	jq "del(.totals.waste)" a.json >bad2.json &&
	! json_validate slab.schema.json bad2.json 2>/dev/null &&
	jq ".meminfo_comparison.notes = [\"guess\"]" a.json >bad3.json &&
	! json_validate slab.schema.json bad3.json 2>/dev/null
'

test_expect_success 'linux-6.18: header, page size, every cache, the totals' '
	ml --proc-root "$L618" --sys-root "$S618" slab --json >a.json &&
	test "$(json_get a.json .command)" = slab &&
	test "$(json_get a.json .slabinfo.version)" = 2.1 &&
	test "$(json_get a.json .slabinfo.statistics)" = false &&
	test "$(json_get a.json .slabinfo.allocator)" = SLUB &&
	test "$(json_get a.json .page_size)" = 4096 &&
	test "$(json_get a.json .page_size_source)" = meminfo/vmstat &&
	test "$(json_get a.json .sort)" = memory &&
	test "$(json_get a.json ".caches | length")" = 235 &&
	test "$(json_get a.json .totals.caches_shown)" = 235 &&
	test "$(json_get a.json .totals.caches)" = 235 &&
	test "$(json_get a.json .totals.caches_in_use)" = 121 &&
	test "$(json_get a.json .totals.num_slabs)" = 20031 &&
	test "$(json_get a.json .totals.active_objs)" = 525578 &&
	test "$(json_get a.json .totals.num_objs)" = 591960 &&
	test "$(json_get a.json .totals.memory_pages)" = 40752 &&
	test "$(json_get a.json .totals.memory)" = $((163008 * 1024)) &&
	test "$(json_get a.json .totals.used)" = 150351848 &&
	test "$(json_get a.json .totals.waste)" = $((163008 * 1024 - 150351848)) &&
	test "$(json_get a.json .totals.reclaimable.caches)" = 20 &&
	test "$(json_get a.json .totals.reclaimable.memory)" = $((134660 * 1024)) &&
	test "$(json_get a.json .totals.unreclaimable.caches)" = 101 &&
	test "$(json_get a.json .totals.unreclaimable.memory)" = $((28348 * 1024)) &&
	test "$(json_get a.json .totals.unknown.caches)" = 0 &&
	test "$(json_get a.json .reclaimable_source.directory)" = "$S618/kernel/slab" &&
	test "$(jq -r .reclaimable_source.why_unknown a.json)" = null &&
	test "$(json_get a.json ".unavailable | length")" = 0 &&
	test "$(json_get a.json ".parse_errors | length")" = 0
'

test_expect_success 'linux-6.18: one cache, exactly' '
	ml --proc-root "$L618" --sys-root "$S618" slab --json >a.json &&
	jq -e ".caches[0] | .name == \"ext4_inode_cache\" and .active_objs == 73109 and
		.num_objs == 74648 and .objsize == 1128 and .objperslab == 14 and
		.pagesperslab == 4 and .num_slabs == 5332 and .active_slabs == 5332 and
		.limit == 0 and .sharedavail == 0 and .memory_pages == 21328 and
		.memory == 87359488 and .used == 82466952 and .waste == 4892536 and
		.reclaimable == true and .use_percent == 97.9383 and
		.growth_bytes_per_second == null and (has(\"globalstat\") | not)" a.json &&
	jq -e "[.caches[] | select(.name == \"kmalloc-64\")][0].reclaimable == false" a.json &&
	jq -e "[.caches[] | select(.num_objs == 0)][0].use_percent == null" a.json
'

test_expect_success 'linux-6.18: the meminfo comparison, in bytes' '
	ml --proc-root "$L618" --sys-root "$S618" slab --json >a.json &&
	jq -e ".meminfo_comparison == {
		Slab: {meminfo: 173654016, slabinfo: 166920192, difference: 6733824},
		SReclaimable: {meminfo: 137891840, slabinfo: 137891840, difference: 0},
		SUnreclaim: {meminfo: 35762176, slabinfo: 29028352, difference: 6733824},
		notes: [\"reclaimable_exact\", \"large_kmalloc\", \"not_atomic\"]}" a.json
'

test_expect_success 'without the capture'"'"'s sysfs: reclaimable null, said why' '
	ml --proc-root "$L618" slab --json >b.json &&
	test "$(jq -r ".caches[0].reclaimable" b.json)" = null &&
	test "$(json_get b.json .totals.unknown.caches)" = 121 &&
	test "$(jq -r .reclaimable_source.directory b.json)" = null &&
	json_get b.json .reclaimable_source.why_unknown | grep -q -- "--sys-root" &&
	test "$(json_get b.json ".unavailable[0].source")" = reclaim_account &&
	jq -e ".meminfo_comparison.SReclaimable == {meminfo: 137891840, slabinfo: null, difference: null}" b.json &&
	jq -e ".meminfo_comparison.notes == [\"large_kmalloc\", \"not_atomic\", \"reclaim_unknown\"]" b.json
'

test_expect_success 'SLAB statistics: tunables, globalstat, cpustat' '
	ml --proc-root "$STATS" slab --json >c.json &&
	test "$(json_get c.json .slabinfo.statistics)" = true &&
	test "$(json_get c.json .slabinfo.allocator)" = SLAB &&
	jq -e "[.caches[] | select(.name == \"dentry\")][0] |
		.limit == 120 and .batchcount == 60 and .sharedfactor == 8 and
		.active_slabs == 1648 and .num_slabs == 1650 and .sharedavail == 12 and
		.globalstat.listallocs == 1095666 and .globalstat.maxobjs == 29723 and
		.cpustat.allochit + .cpustat.allocmiss == .globalstat.listallocs" c.json &&
	jq -e ".meminfo_comparison.Slab == {meminfo: 35913728, slabinfo: 35897344, difference: 16384}" c.json &&
	jq -e ".meminfo_comparison.notes == [\"not_atomic\", \"reclaim_unknown\"]" c.json
'

test_expect_success 'odd names: names intact, pages without a page size' '
	ml --proc-root "$ODD" --sys-root "$ODDSYS" slab --json >d.json &&
	test "$(jq -r .page_size d.json)" = null &&
	test "$(jq -r .page_size_source d.json)" = null &&
	jq -e "[.caches[].name] | index(\"name with spaces\") != null and
		index(\"test:colon_cache\") != null and
		index(\"a_very_long_cache_name_that_pushes_columns\") != null" d.json &&
	jq -e "[.caches[] | select(.name == \"dup_cache\")] | length == 2" d.json &&
	jq -e "[.caches[] | select(.name == \"odd/slash_cache\")][0] |
		.memory == null and .waste == null and .memory_pages == 64 and
		.used == 256000 and .reclaimable == false" d.json &&
	jq -e "[.caches[] | select(.name == \"name with spaces\")][0].reclaimable == null" d.json &&
	jq -e ".totals.memory == null and .totals.memory_pages == 990" d.json &&
	jq -e ".meminfo_comparison == {Slab: null, SReclaimable: null, SUnreclaim: null, notes: []}" d.json &&
	jq -e "[.unavailable[].source] == [\"meminfo\", \"page_size\"]" d.json
'

test_expect_success '--limit and --sort apply to JSON too' '
	ml --proc-root "$L618" slab --json --limit 5 >a.json &&
	test "$(json_get a.json ".caches | length")" = 5 &&
	test "$(json_get a.json .totals.caches_shown)" = 5 &&
	test "$(json_get a.json .totals.caches)" = 235 &&
	for k in objects active objsize; do
		case $k in objects) f=num_objs ;; active) f=active_objs ;; *) f=$k ;; esac
		ml --proc-root "$L618" slab --json --sort $k >s.json &&
		jq -e "[.caches[].$f] as \$a | \$a == (\$a | sort | reverse)" s.json || exit 1
	done &&
	ml --proc-root "$L618" slab --json --sort waste >s.json &&
	jq -e "[.caches[].waste] as \$a | \$a == (\$a | sort | reverse)" s.json &&
	ml --proc-root "$L618" slab --json --sort=-memory >s.json &&
	jq -e ".reverse and ([.caches[].memory_pages] as \$a | \$a == (\$a | sort))" s.json &&
	ml --proc-root "$L618" slab --json --sort name >s.json &&
	jq -e "[.caches[].name] as \$a | \$a == (\$a | sort)" s.json
'

test_expect_success 'a bad line: reported in parse_errors and on stderr, the rest shown' '
	fixture_copy linux-6.18 &&
	echo "garbage line" >>proc/slabinfo &&
	ml --proc-root proc slab --json >a.json 2>err &&
	json_validate slab.schema.json a.json &&
	jq -e ".parse_errors == [{file: \"proc/slabinfo\", lines: 238, bad_lines: 1,
		first_bad_line: 238, why: \"no '"'"':'"'"' groups\", text: \"garbage line\"}]" a.json &&
	test "$(json_get a.json .totals.caches)" = 235 &&
	grep -q "^memlens: warning: proc/slabinfo: 1 bad line ignored; first at line 238" err
'

test_done
