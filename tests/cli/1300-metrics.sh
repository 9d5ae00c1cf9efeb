#!/bin/sh
# memlens metrics: promtool accepts the output of every fixture tree and of
# the live machine, in both formats; the parts sum to MemTotal; the numbers
# are the JSON reports' numbers; duplicate slab names, escaping, the
# cardinality cap, unreadable sources and -o through a rename.
. "$TOP_SRCDIR/tests/cli/lib.sh"

# The identity of each sample (name and labels), one per line.
series() {
	grep -v '^#' "$1" | sed 's/ [^ ]*$//'
}

# Exactly one sample per series, and promtool's parser and linter accept it.
check_exposition() {
	promtool check metrics <"$1" || return 1
	dups=$(series "$1" | sort | uniq -d)
	[ -z "$dups" ] || { echo "duplicate series: $dups"; return 1; }
}

if command -v promtool >/dev/null 2>&1; then
	for dir in "$FIXTURES"/*/; do
		name=$(basename "$dir")
		test_expect_success "promtool accepts the metrics of $name, in both formats" "
			ml --proc-root '$dir' metrics --min 0 --procs-top 5 >om 2>err &&
			test \"\$(tail -n 1 om)\" = '# EOF' &&
			check_exposition om &&
			ml --proc-root '$dir' metrics --min 0 --format prometheus >prom 2>err &&
			! grep -q '^# EOF' prom && ! grep -q '^# UNIT' prom &&
			check_exposition prom
		"
	done
	test_expect_success 'promtool accepts the live metrics, in both formats' '
		ml metrics --procs-top 10 >om 2>err &&
		check_exposition om &&
		ml metrics --format prometheus --min 0 >prom 2>err &&
		check_exposition prom
	'
else
	test_skip 'promtool accepts the metrics of every fixture tree and live' \
		'no promtool (Debian package prometheus)'
fi

# The sum of memlens_memory_part_bytes, and MemTotal in bytes from a meminfo.
parts_sum() {
	awk '/^memlens_memory_part_bytes\{/ { s += $2 } END { printf "%.0f\n", s }' "$1"
}
memtotal() {
	awk '$1 == "MemTotal:" { printf "%.0f\n", $2 * 1024 }' "$1"
}

for name in linux-6.18 linux-3.10 linux-4.14 two-node slab-statistics zones-6.12 \
	vmalloc-6.18-realaddr vmalloc-3.10; do
	test_expect_success "the parts sum to MemTotal: $name" "
		ml --proc-root '$FIXTURES/$name' metrics >m 2>err &&
		test -n \"\$(memtotal '$FIXTURES/$name/meminfo')\" &&
		test \"\$(parts_sum m)\" = \"\$(memtotal '$FIXTURES/$name/meminfo')\"
	"
done

test_expect_success 'the parts sum to MemTotal: live (MemTotal does not move)' '
	ml metrics >m 2>err &&
	test "$(parts_sum m)" = "$(memtotal /proc/meminfo)"
'

test_expect_success 'a part the kernel does not print is left out, never 0 (3.10: no Percpu)' '
	ml --proc-root "$FIXTURES/linux-3.10" metrics >m 2>err &&
	! grep -q "part=\"percpu\"" m &&
	grep -q "part=\"unaccounted\"" m
'

# The numbers are the JSON reports' numbers (one model, two renderers).
test_expect_success 'memory parts equal summary --json' '
	ml --proc-root "$FIXTURES/linux-6.18" --json >j &&
	jq -r ".accounting.parts[] | select(.bytes != null) | \"\(.name) \(.bytes)\"" j | sort >want &&
	ml --proc-root "$FIXTURES/linux-6.18" metrics >m 2>err &&
	sed -n "s/^memlens_memory_part_bytes{part=\"\([a-z_]*\)\"} /\1 /p" m | sort >got &&
	test_cmp want got
'

test_expect_success 'slab caches equal slab --json (memory, used, waste, reclaimable)' '
	ml --proc-root "$FIXTURES/linux-6.18" --sys-root "$FIXTURES/linux-6.18-sys" slab \
		--json --limit 0 >j &&
	jq -r ".caches[] | \"\(.name) \(if .reclaimable == true then \"yes\" elif .reclaimable == false then \"no\" else \"unknown\" end) \(.memory) \(.used) \(.waste)\"" j |
		sort >want &&
	ml --proc-root "$FIXTURES/linux-6.18" --sys-root "$FIXTURES/linux-6.18-sys" metrics \
		--min 0 >m 2>err &&
	for f in bytes active_bytes waste_bytes; do
		sed -n "s/^memlens_slab_cache_$f{cache=\"\([^\"]*\)\",reclaimable=\"\([a-z]*\)\"} \(.*\)/\1 \2 \3/p" m |
			sort >"$f"
	done &&
	join -j 1 bytes active_bytes | join -j 1 - waste_bytes |
		awk "{ print \$1, \$2, \$3, \$5, \$7 }" >got &&
	test $(wc -l <got) -gt 200 &&
	test_cmp want got
'

test_expect_success 'vmalloc callers equal vmalloc --json (bytes and areas)' '
	ml --proc-root "$FIXTURES/vmalloc-6.12-modules" vmalloc --json --limit 0 >j &&
	jq -r ".vmalloc.callers[] | \"\(.name)|\(.module)|\(.bytes)|\(.areas)\"" j | sort >want &&
	ml --proc-root "$FIXTURES/vmalloc-6.12-modules" metrics --min 0 >m 2>err &&
	sed -n "s/^memlens_vmalloc_caller_bytes{caller=\"\([^\"]*\)\",module=\"\([^\"]*\)\"} \(.*\)/\1|\2|\3/p" m |
		sort >bytes &&
	sed -n "s/^memlens_vmalloc_caller_areas{caller=\"\([^\"]*\)\",module=\"\([^\"]*\)\"} \(.*\)/\1|\2|\3/p" m |
		sort >areas &&
	paste -d "|" bytes areas | awk -F "|" "{ print \$1 \"|\" \$2 \"|\" \$3 \"|\" \$6 }" >got &&
	test_cmp want got
'

test_expect_success 'buddy blocks and indices equal buddy --json' '
	ml --proc-root "$FIXTURES/two-node" buddy --json >j &&
	jq -r ".zones[] | . as \$z | .orders[] | \"\(\$z.node) \(\$z.zone) \(.order) \(.free_blocks) \(.unusable_index) \(.extfrag_index)\"" j |
		awk "{ printf \"%s %s %s %s %.3f %.3f\n\", \$1, \$2, \$3, \$4, \$5, \$6 }" >want &&
	ml --proc-root "$FIXTURES/two-node" metrics >m 2>err &&
	for f in free_blocks unusable_ratio fragmentation_index; do
		sed -n "s/^memlens_buddy_$f{node=\"\([0-9]*\)\",zone=\"\([^\"]*\)\",order=\"\([0-9]*\)\"} \(.*\)/\1 \2 \3 \4/p" m >"$f"
	done &&
	paste -d " " free_blocks unusable_ratio fragmentation_index |
		awk "{ printf \"%s %s %s %s %.3f %.3f\n\", \$1, \$2, \$3, \$4, \$8, \$12 }" >got &&
	test_cmp want got
'

test_expect_success 'zone headroom equals zones --json' '
	ml --proc-root "$FIXTURES/zones-6.12" zones --json >j &&
	jq -r ".zones[] | select(.headroom_low != null) | \"\(.node) \(.zone) \(.headroom_min) \(.headroom_low) \(.headroom_high)\"" j >want &&
	test -s want &&
	ml --proc-root "$FIXTURES/zones-6.12" metrics >m 2>err &&
	for w in min low high; do
		sed -n "s/^memlens_zone_watermark_headroom_bytes{node=\"\([0-9]*\)\",zone=\"\([^\"]*\)\",watermark=\"$w\"} \(.*\)/\1 \2 \3/p" m >"$w"
	done &&
	paste -d " " min low high | awk "{ print \$1, \$2, \$3, \$6, \$9 }" >got &&
	test_cmp want got
'

test_expect_success 'process groups equal procs --group --json' '
	ml --proc-root "$FIXTURES/procs-6.18" procs --group command --json --limit 0 >j &&
	jq -r ".groups[] | select(.pss != null) | \"\(.name) \(.pss)\"" j | sort >want &&
	test -s want &&
	ml --proc-root "$FIXTURES/procs-6.18" metrics --min 0 >m 2>err &&
	sed -n "s/^memlens_process_group_pss_bytes{by=\"command\",name=\"\([^\"]*\)\"} /\1 /p" m |
		sort >got &&
	test_cmp want got
'

# Duplicate slab cache names (node_exporter issue 3506): one series each.
test_expect_success 'a duplicate slab cache name gets an ordinal label' '
	ml --proc-root "$FIXTURES/slub-odd-names" metrics --min 0 >m 2>err &&
	grep -q "^memlens_slab_cache_active_bytes{cache=\"dup_cache\",reclaimable=\"unknown\"} 960$" m &&
	grep -q "^memlens_slab_cache_active_bytes{cache=\"dup_cache\",reclaimable=\"unknown\",ordinal=\"1\"} 8064$" m &&
	test -z "$(series m | sort | uniq -d)"
'

test_expect_success 'three caches of one name, with a page size: ordinals 1 and 2' '
	fixture_copy linux-6.18 &&
	grep "^dentry " proc/slabinfo >line &&
	cat line line >>proc/slabinfo &&
	ml --proc-root proc metrics --min 0 >m 2>err &&
	test "$(grep -c "^memlens_slab_cache_bytes{cache=\"dentry\"" m)" = 3 &&
	grep -q "^memlens_slab_cache_bytes{cache=\"dentry\",reclaimable=\"unknown\",ordinal=\"2\"}" m &&
	test -z "$(series m | sort | uniq -d)" &&
	if command -v promtool >/dev/null 2>&1; then promtool check metrics <m; fi
'

# Escaping: a process named with a quote, a backslash and a byte that is not UTF-8.
test_expect_success 'label values are escaped, invalid UTF-8 as \xNN' '
	fixture_copy procs-6.18 &&
	printf "Name:\tq\"b\\\\s\377x\n" >name &&
	{ cat name; grep -v "^Name:" proc/400/status; } >status && cp status proc/400/status &&
	ml --proc-root proc metrics --min 0 --procs-top 20 >m 2>err &&
	grep -F "memlens_process_group_pss_bytes{by=\"command\",name=\"q\\\"b\\\\\\\\s\\\\xffx\"}" m &&
	grep -F "command=\"q\\\"b\\\\\\\\s\\\\xffx\"}" m &&
	if command -v promtool >/dev/null 2>&1; then promtool check metrics <m; fi
'

# The cardinality cap.
test_expect_success '--min folds small caches, callers and groups into (other)' '
	ml --proc-root "$FIXTURES/linux-6.18" --sys-root "$FIXTURES/linux-6.18-sys" metrics --min 0 >all 2>err &&
	ml --proc-root "$FIXTURES/linux-6.18" --sys-root "$FIXTURES/linux-6.18-sys" metrics >capped 2>err &&
	all_n=$(grep -c "^memlens_slab_cache_bytes{" all) &&
	capped_n=$(grep -c "^memlens_slab_cache_bytes{" capped) &&
	test "$all_n" -gt 200 && test "$capped_n" -lt 30 &&
	grep -q "^memlens_slab_cache_bytes{cache=\"(other)\",reclaimable=\"yes\"}" capped &&
	grep -q "^memlens_vmalloc_caller_bytes{caller=\"(other)\",module=\"(other)\"}" capped &&
	sum() { awk -v f="^$1\\\\{" "\$0 ~ f { s += \$2 } END { printf \"%.0f\", s }" "$2"; } &&
	test "$(sum memlens_slab_cache_bytes all)" = "$(sum memlens_slab_cache_bytes capped)" &&
	test "$(sum memlens_vmalloc_caller_bytes all)" = "$(sum memlens_vmalloc_caller_bytes capped)" &&
	test "$(sum memlens_vmalloc_caller_areas all)" = "$(sum memlens_vmalloc_caller_areas capped)" &&
	# every row kept is at least --min
	awk "/^memlens_slab_cache_bytes\\{/ && !/\\(other\\)/ && \$2 < 1048576 { bad = 1 } END { exit bad }" capped &&
	ml --proc-root "$FIXTURES/linux-6.18" metrics --min 100M >big 2>err &&
	test "$(grep -c "^memlens_slab_cache_bytes{" big)" -le 3
'

test_expect_success 'per-process series only with --procs-top' '
	ml --proc-root "$FIXTURES/procs-6.18" metrics >m 2>err &&
	! grep -q "^memlens_process_pss_bytes" m &&
	ml --proc-root "$FIXTURES/procs-6.18" metrics --procs-top 3 >m 2>err &&
	test "$(grep -c "^memlens_process_pss_bytes{" m)" = 3
'

# Unreadable sources: left out, flagged, warned about; never 0.
test_expect_success 'a source that cannot be read is readable 0 and its families are left out' '
	ml --proc-root "$FIXTURES/linux-3.10" metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"buddyinfo\"} 0$" m &&
	grep -q "^memlens_source_readable{source=\"meminfo\"} 1$" m &&
	! grep -q "^memlens_buddy" m &&
	grep -q "warning: cannot open .*buddyinfo" err
'

if is_root && command -v setpriv >/dev/null 2>&1; then
	test_expect_success 'without root: slabinfo and vmallocinfo unreadable, exit 0' '
		setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMLENS" metrics >m 2>err &&
		grep -q "^memlens_source_readable{source=\"slabinfo\"} 0$" m &&
		grep -q "^memlens_source_readable{source=\"vmallocinfo\"} 0$" m &&
		! grep -q "^memlens_slab_cache" m &&
		grep -q "run as root" err &&
		grep -q "^memlens_processes_unreadable{reason=\"denied\"} [1-9]" m
	'
else
	test_skip 'without root: slabinfo and vmallocinfo unreadable' 'needs root and setpriv'
fi

# -o FILE: a temporary file in the same directory, renamed.
test_expect_success '-o writes the file through a rename, readable by others' '
	mkdir out &&
	ml --proc-root "$FIXTURES/linux-6.18" metrics --format prometheus -o out/memlens.prom 2>err &&
	test "$(ls -A out)" = memlens.prom &&
	test "$(stat -c %a out/memlens.prom)" = 644 &&
	ml --proc-root "$FIXTURES/linux-6.18" metrics --format prometheus >want 2>err &&
	grep -v "^memlens_scrape_duration_seconds" want >w && grep -v "^memlens_scrape_duration_seconds" out/memlens.prom >g &&
	test_cmp w g
'

test_expect_success '-o replaces the file atomically: its inode changes, no partial file' '
	mkdir out && echo old >out/m.prom && before=$(stat -c %i out/m.prom) &&
	ml --proc-root "$FIXTURES/linux-6.18" metrics -o out/m.prom 2>err &&
	test "$(stat -c %i out/m.prom)" != "$before" &&
	test "$(tail -n 1 out/m.prom)" = "# EOF"
'

test_expect_success '-o into a directory that does not exist: exit 1, nothing left' '
	test_expect_code 1 ml --proc-root "$FIXTURES/linux-6.18" metrics -o nodir/m.prom 2>err &&
	grep -q "cannot create a temporary file for nodir/m.prom" err
'

if is_root && command -v setpriv >/dev/null 2>&1; then
	test_expect_success '-o into a directory it cannot write: exit 1, the old file stays' '
		mkdir ro && echo old >ro/m.prom && chmod 555 ro &&
		test_expect_code 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$MEMLENS" --proc-root "$FIXTURES/linux-6.18" metrics -o ro/m.prom 2>err &&
		test "$(cat ro/m.prom)" = old && test "$(ls -A ro)" = m.prom
	'
fi

test_expect_success 'usage errors: --format, --min, --procs-top; no --json, -i' '
	test_expect_code 2 ml metrics --format json 2>err && grep -q "invalid --format" err &&
	test_expect_code 2 ml metrics --min 1X 2>err && grep -q "invalid --min" err &&
	test_expect_code 2 ml metrics --min -1 2>err &&
	test_expect_code 2 ml metrics --procs-top 1001 2>err &&
	test_expect_code 2 ml metrics --procs-top 1k 2>err &&
	test_expect_code 2 ml metrics --json 2>err &&
	test_expect_code 2 ml metrics -i 1 2>err
'

test_expect_success '--min takes K, M, G suffixes and iB' '
	ml --proc-root "$FIXTURES/linux-6.18" metrics --min 1048576 >a 2>err &&
	ml --proc-root "$FIXTURES/linux-6.18" metrics --min 1M >b 2>err &&
	ml --proc-root "$FIXTURES/linux-6.18" metrics --min 1024KiB >c 2>err &&
	grep -v duration a >a2 && grep -v duration b >b2 && grep -v duration c >c2 &&
	test_cmp a2 b2 && test_cmp a2 c2
'

# Pressure (PSI): the kernel's averages, as ratios; the totals are node_exporter's.
test_expect_success 'pressure: the averages of pressure/memory as ratios, no totals' '
	ml --proc-root "$FIXTURES/top-6.18" metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"pressure\"} 1$" m &&
	cat >want <<-EOF &&
	memlens_pressure_memory_ratio{kind="some",window="10s"} 0.0123
	memlens_pressure_memory_ratio{kind="some",window="60s"} 0.0045
	memlens_pressure_memory_ratio{kind="some",window="300s"} 0.0010
	memlens_pressure_memory_ratio{kind="full",window="10s"} 0.0031
	memlens_pressure_memory_ratio{kind="full",window="60s"} 0.0005
	memlens_pressure_memory_ratio{kind="full",window="300s"} 0.0001
	EOF
	grep -q "^some avg10=1.23 avg60=0.45 avg300=0.10 " "$FIXTURES/top-6.18/pressure/memory" &&
	test "$(wc -l <want)" = 6 &&
	grep "^memlens_pressure_" m >have &&
	test_cmp want have &&
	! grep -q "^memlens_[a-z_]*_total" m
'

test_expect_success 'pressure: a kernel without PSI is readable 0, never a ratio of 0' '
	ml --proc-root "$FIXTURES/linux-3.10" metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"pressure\"} 0$" m &&
	! grep -q "^memlens_pressure_" m &&
	grep -q "pressure/memory: No such file" err
'

test_expect_success 'pressure: a kernel without the full line leaves it out' '
	mkdir -p p/pressure && cp "$FIXTURES/linux-6.18/meminfo" p/ &&
	echo "some avg10=2.50 avg60=0.00 avg300=0.00 total=5" >p/pressure/memory &&
	ml --proc-root p metrics >m 2>err &&
	grep -q "^memlens_pressure_memory_ratio{kind=\"some\",window=\"10s\"} 0.0250$" m &&
	! grep -q "kind=\"full\"" m
'

# zram: each device of the sys root, as memlens huge reports it.
test_expect_success 'zram: each device from mm_stat; the pools sum to the zram part' '
	ml --proc-root "$FIXTURES/four-node" --sys-root "$FIXTURES/four-node-sys" metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"zram\"} 1$" m &&
	for d in zram0 zram1; do
		set -- $(cat "$FIXTURES/four-node-sys/block/$d/mm_stat") &&
		grep -qx "memlens_zram_original_bytes{device=\"$d\"} $1" m &&
		grep -qx "memlens_zram_compressed_bytes{device=\"$d\"} $2" m &&
		grep -qx "memlens_zram_memory_used_bytes{device=\"$d\"} $3" m || exit 1
	done &&
	used=$(awk "/^memlens_zram_memory_used_bytes/ { s += \$2 } END { print s }" m) &&
	test "$used" -gt 0 &&
	grep -qx "memlens_memory_part_bytes{part=\"zram\"} $used" m &&
	! grep -q "^memlens_zram_memory_limit_bytes" m
'

test_expect_success 'zram: the limit when a device has one; an unreadable mm_stat is left out' '
	cp -R "$FIXTURES/four-node-sys" sys && chmod -R u+w sys &&
	echo "1000 500 600 4096 700 0 0 0 0" >sys/block/zram0/mm_stat &&
	echo "garbage" >sys/block/zram1/mm_stat &&
	ml --proc-root "$FIXTURES/four-node" --sys-root sys metrics >m 2>err &&
	grep -qx "memlens_zram_memory_limit_bytes{device=\"zram0\"} 4096" m &&
	grep -qx "memlens_zram_memory_used_bytes{device=\"zram0\"} 600" m &&
	! grep -q "device=\"zram1\"" m &&
	! grep -q "^memlens_memory_part_bytes{part=\"zram\"}" m
'

test_expect_success 'zram: a copied proc root with this machine'"'"'s /sys: readable 0' '
	ml --proc-root "$FIXTURES/four-node" metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"zram\"} 0$" m &&
	! grep -q "^memlens_zram_" m
'

# hugetlb: every page size's pool from the sys root.
test_expect_success 'hugetlb: each size from kernel/mm/hugepages; the pools sum to the hugetlb part' '
	ml --proc-root "$FIXTURES/huge-6.18" --sys-root "$FIXTURES/huge-6.18-sys" metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"hugetlb\"} 1$" m &&
	h=$FIXTURES/huge-6.18-sys/kernel/mm/hugepages &&
	for d in "$h"/hugepages-*; do
		kb=${d##*hugepages-} && kb=${kb%kB} &&
		grep -qx "memlens_hugetlb_pool_bytes{size=\"${kb}kB\"} $(($(cat $d/nr_hugepages) * kb * 1024))" m &&
		grep -qx "memlens_hugetlb_free_bytes{size=\"${kb}kB\"} $(($(cat $d/free_hugepages) * kb * 1024))" m &&
		grep -qx "memlens_hugetlb_reserved_bytes{size=\"${kb}kB\"} $(($(cat $d/resv_hugepages) * kb * 1024))" m &&
		grep -qx "memlens_hugetlb_surplus_bytes{size=\"${kb}kB\"} $(($(cat $d/surplus_hugepages) * kb * 1024))" m ||
			exit 1
	done &&
	pool=$(awk "/^memlens_hugetlb_pool_bytes/ { s += \$2 } END { print s }" m) &&
	test "$pool" -gt 0 &&
	grep -qx "memlens_memory_part_bytes{part=\"hugetlb\"} $pool" m
'

test_expect_success 'hugetlb: an unreadable number is left out; no hugepages/ is readable 0' '
	cp -R "$FIXTURES/huge-6.18-sys" sys && chmod -R u+w sys &&
	echo garbage >sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages &&
	ml --proc-root "$FIXTURES/huge-6.18" --sys-root sys metrics >m 2>err &&
	grep -q "^memlens_hugetlb_pool_bytes{size=\"2048kB\"} " m &&
	! grep -q "^memlens_hugetlb_free_bytes{size=\"2048kB\"}" m &&
	grep -q "^memlens_hugetlb_free_bytes{size=\"1048576kB\"} " m &&
	rm -r sys/kernel/mm/hugepages &&
	ml --proc-root "$FIXTURES/huge-6.18" --sys-root sys metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"hugetlb\"} 0$" m &&
	! grep -q "^memlens_hugetlb_" m &&
	grep -q "hugepages: No such file" err &&
	ml --proc-root "$FIXTURES/huge-6.18" metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"hugetlb\"} 0$" m
'

# NUMA: each node's accounting, as memlens numa --json gives it.
test_expect_success 'numa: each node by part, as numa --json; the parts sum to its MemTotal' '
	ml --proc-root "$FIXTURES/four-node" --sys-root "$FIXTURES/four-node-sys" metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"numa\"} 1$" m &&
	ml --proc-root "$FIXTURES/four-node" --sys-root "$FIXTURES/four-node-sys" numa --json >j 2>err &&
	jq -r ".nodes[] | .node as \$n | .parts[] | select(.bytes != null) |
		\"memlens_numa_part_bytes{node=\\\"\(\$n)\\\",part=\\\"\(.name)\\\"} \(.bytes)\"" j |
		sort >want &&
	test "$(wc -l <want)" -ge 40 &&
	grep "^memlens_numa_part_bytes{" m | sort >have &&
	test_cmp want have &&
	jq -r ".nodes[] | select(.available.bytes != null) |
		\"memlens_numa_available_bytes{node=\\\"\(.node)\\\"} \(.available.bytes)\"" j >want &&
	test -s want &&
	grep "^memlens_numa_available_bytes{" m >have &&
	test_cmp want have &&
	for n in 0 1 2 3; do
		t=$(jq ".nodes[] | select(.node == $n) | .total" j) &&
		s=$(awk -v n="node=\"$n\"" "index(\$0, n) && /^memlens_numa_part_bytes/ { s += \$2 } END { printf \"%.0f\", s }" m) &&
		test "$s" = "$t" || { echo "node $n: $s, MemTotal $t"; exit 1; }
	done
'

test_expect_success 'numa: a node that cannot be read makes numa readable 0, no node left half' '
	cp -R "$FIXTURES/four-node-sys" sys && chmod -R u+w sys &&
	rm sys/devices/system/node/node2/meminfo &&
	ml --proc-root "$FIXTURES/four-node" --sys-root sys metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"numa\"} 0$" m &&
	! grep -q "^memlens_numa_" m &&
	grep -q "node2/meminfo" err &&
	ml --proc-root "$FIXTURES/four-node" metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"numa\"} 0$" m
'

# cgroups: the memory controller's hierarchy, as memlens cgroups --json gives it.
cg() {
	_t=$1
	shift
	ml --proc-root "$FIXTURES/$_t/proc" --sys-root "$FIXTURES/$_t/sys" "$@"
}

test_expect_success 'cgroups: current, working set, limits, headroom and PSS as cgroups --json' '
	cg cgroup-v2-systemd metrics --min 0 >m 2>err &&
	grep -q "^memlens_source_readable{source=\"cgroups\"} 1$" m &&
	cg cgroup-v2-systemd cgroups --json >j 2>err &&
	jq -r ".cgroups[] | select(.memory.current != null) |
		\"memlens_cgroup_current_bytes{cgroup=\\\"\(.path)\\\"} \(.memory.current)\"" j | sort >want &&
	test "$(wc -l <want)" -ge 9 &&
	grep "^memlens_cgroup_current_bytes{" m | sort >have && test_cmp want have &&
	jq -r ".cgroups[] | select(.memory.working_set != null) |
		\"memlens_cgroup_working_set_bytes{cgroup=\\\"\(.path)\\\"} \(.memory.working_set)\"" j | sort >want &&
	grep "^memlens_cgroup_working_set_bytes{" m | sort >have && test_cmp want have &&
	jq -r ".cgroups[] | select(.limits.max.bytes != null) |
		\"memlens_cgroup_limit_bytes{cgroup=\\\"\(.path)\\\",limit=\\\"max\\\"} \(.limits.max.bytes)\"" j | sort >want &&
	test -s want &&
	grep "^memlens_cgroup_limit_bytes{.*limit=\"max\"}" m | sort >have && test_cmp want have &&
	jq -r ".cgroups[] | select(.headroom.bytes != null) |
		\"memlens_cgroup_headroom_bytes{cgroup=\\\"\(.path)\\\"} \(.headroom.bytes)\"" j | sort >want &&
	grep "^memlens_cgroup_headroom_bytes{" m | sort >have && test_cmp want have &&
	jq -r ".cgroups[] | select(.processes.pss != null) |
		\"memlens_cgroup_processes_pss_bytes{cgroup=\\\"\(.path)\\\"} \(.processes.pss)\"" j | sort >want &&
	test -s want &&
	grep "^memlens_cgroup_processes_pss_bytes{" m | sort >have && test_cmp want have &&
	grep -qx "memlens_cgroup_stat_bytes{cgroup=\"/system.slice/postgresql.service\",item=\"shmem\"} 134217728" m &&
	! grep -q "limit=\"low\"} 0$" m
'

test_expect_success 'cgroups: at most 3 deep, and none below --min but the root' '
	cg cgroup-v2-kubepods metrics --min 0 >m 2>err &&
	grep "^memlens_cgroup_current_bytes{" m | sed "s/.*cgroup=\"\([^\"]*\)\".*/\1/" >paths &&
	test -s paths &&
	! awk -F/ "NF - 1 > 3" paths | grep . &&
	cg cgroup-v2-kubepods cgroups --json >j 2>err &&
	test "$(jq "[.cgroups[] | select(.depth > 3)] | length" j)" -gt 0 &&
	cg cgroup-v2-systemd metrics --min 100M >m 2>err &&
	grep -q "^memlens_cgroup_current_bytes{cgroup=\"/system.slice/postgresql.service\"}" m &&
	! grep -q "cgroup=\"/system.slice/cron.service\"" m &&
	grep -q "^memlens_cgroup_stat_bytes{cgroup=\"/\"," m
'

test_expect_success 'cgroups: v1 memory controller; no controller is readable 0' '
	cg cgroup-v1 metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"cgroups\"} 1$" m &&
	grep -q "^memlens_cgroup_current_bytes{cgroup=\"/system.slice\"} [1-9]" m &&
	ml --proc-root "$FIXTURES/linux-6.18" --sys-root "$FIXTURES/linux-6.18-sys" metrics >m 2>err &&
	grep -q "^memlens_source_readable{source=\"cgroups\"} 0$" m &&
	! grep -q "^memlens_cgroup_" m
'

# A capture: what any command reads back with --capture, the metrics too.
for fx in procs-6.18:linux-6.18-sys four-node:four-node-sys top-6.18:linux-6.18-sys \
	huge-6.18:huge-6.18-sys; do
	tree=${fx%%:*} sys=${fx#*:}
	test_expect_success "metrics --capture: a capture of $tree, as a directory and a .tar.gz" '
		ml --proc-root "$FIXTURES/'$tree'" --sys-root "$FIXTURES/'$sys'" metrics --min 0 \
			--procs-top 5 >want 2>err &&
		ml --proc-root "$FIXTURES/'$tree'" --sys-root "$FIXTURES/'$sys'" capture -o cap >out &&
		ml --proc-root "$FIXTURES/'$tree'" --sys-root "$FIXTURES/'$sys'" capture \
			-o cap.tar.gz >out &&
		ml --capture cap metrics --min 0 --procs-top 5 >dir 2>err &&
		ml --capture cap.tar.gz metrics --min 0 --procs-top 5 >tar 2>err &&
		grep -v "^memlens_scrape_duration" want >want2 &&
		grep -v "^memlens_scrape_duration" dir >dir2 &&
		grep -v "^memlens_scrape_duration" tar >tar2 &&
		test_cmp want2 dir2 && test_cmp want2 tar2 &&
		grep -q "^memlens_source_readable{source=\"processes\"} 1$" tar
	'
done

test_expect_success 'metrics --capture -o: a capture'"'"'s metrics for the textfile collector' '
	ml --proc-root "$FIXTURES/linux-6.18" --sys-root "$FIXTURES/linux-6.18-sys" capture \
		-o cap.tar.gz >out &&
	ml --capture cap.tar.gz metrics --format prometheus -o m.prom 2>err &&
	grep -q "^memlens_source_readable{source=\"slabinfo\"} 1$" m.prom &&
	test_expect_code 1 ml --capture nothing-here.tar.gz metrics 2>err &&
	grep -q "nothing-here" err
'

test_done
