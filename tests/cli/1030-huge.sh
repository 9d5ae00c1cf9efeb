#!/bin/sh
# memlens huge against the fixture machines: hugetlb of every size adds up
# to meminfo's Hugetlb, THP settings in every bracketed form, KSM on and
# off, per-process AnonHugePages and ksm_stat, zswap, zram with one and two
# devices; -i gives rates; bad input is said, never shown as 0.
. "$TOP_SRCDIR/tests/cli/lib.sh"

P4="$FIXTURES/four-node"
S4="$FIXTURES/four-node-sys"
PH="$FIXTURES/huge-6.18"
SH="$FIXTURES/huge-6.18-sys"
P2="$FIXTURES/two-node-zones"
S2="$FIXTURES/two-node-sys"
HAVE_JSONSCHEMA=false
/usr/bin/python3 -c "import jsonschema" 2>/dev/null && HAVE_JSONSCHEMA=true

test_expect_success 'four nodes (5.15): the report as expected' '
	ml --proc-root "$P4" --sys-root "$S4" huge >out &&
	strip_time <out >out.s &&
	test_cmp "$TOP_SRCDIR/tests/cli/expected/huge-four-node.txt" out.s
'

test_expect_success '6.18 with KSM and zswap: the report as expected' '
	ml --proc-root "$PH" --sys-root "$SH" huge >out &&
	strip_time <out >out.s &&
	test_cmp "$TOP_SRCDIR/tests/cli/expected/huge-6.18.txt" out.s
'

for m in "$P4 $S4" "$PH $SH" "$P2 $S2"; do
	set -- $m
	test_expect_success "${1##*/}: every hugetlb size together is meminfo's Hugetlb" "
		ml --proc-root '$1' --sys-root '$2' huge --json >j &&
		jq -e '.hugetlb.total == .hugetlb.meminfo_hugetlb' j >/dev/null &&
		jq -e '.hugetlb.total == ([.hugetlb.sizes[] | .nr_hugepages * .page_size] | add)' j >/dev/null
	"
done

test_expect_success 'four nodes: every size, per node, the surplus inside nr_hugepages' '
	ml --proc-root "$P4" --sys-root "$S4" huge --json >j &&
	jq -e "[.hugetlb.sizes[].page_size] == [65536, 2097152, 33554432, 1073741824]" j &&
	jq -e ".hugetlb.sizes[] | select(.page_size == 2097152) | .nr_hugepages == 1024 and .surplus_hugepages == 8 and ([.nodes[].nr_hugepages] | add) == 1024" j &&
	ml --proc-root "$P4" --sys-root "$S4" huge >out &&
	grep -q "^  2.00 MiB pages (free)  512 (100)  512 (100)" out
'

# THP: each setting in every bracketed form the kernel prints.
for form in "[always] madvise never:always" "always [madvise] never:madvise" \
	"always madvise [never]:never"; do
	text=${form%:*} want=${form##*:}
	test_expect_success "THP enabled \"$text\" reads as $want" "
		cp -R '$S4' sys && chmod -R u+w sys &&
		printf '%s\n' '$text' >sys/kernel/mm/transparent_hugepage/enabled &&
		ml --proc-root '$P4' --sys-root sys huge --json >j &&
		jq -e '.thp.settings.enabled == {\"value\": \"$want\", \"choices\": [\"always\", \"madvise\", \"never\"]}' j >/dev/null &&
		ml --proc-root '$P4' --sys-root sys huge >out &&
		grep -q 'settings   enabled $want,' out
	"
done
for want in always defer defer+madvise madvise never; do
	test_expect_success "THP defrag with $want in brackets" "
		cp -R '$S4' sys && chmod -R u+w sys &&
		echo 'always defer defer+madvise madvise never' | sed 's/\\(^\\| \\)$want\\( \\|$\\)/\\1[$want]\\2/' \
			>sys/kernel/mm/transparent_hugepage/defrag &&
		grep -q '\\[$want\\]' sys/kernel/mm/transparent_hugepage/defrag &&
		ml --proc-root '$P4' --sys-root sys huge --json >j &&
		jq -e '.thp.settings.defrag.value == \"$want\"' j >/dev/null
	"
done
for want in always within_size advise never deny force; do
	test_expect_success "THP shmem_enabled with $want in brackets" "
		cp -R '$S4' sys && chmod -R u+w sys &&
		echo 'always within_size advise never deny force' | sed 's/\\(^\\| \\)$want\\( \\|$\\)/\\1[$want]\\2/' \
			>sys/kernel/mm/transparent_hugepage/shmem_enabled &&
		ml --proc-root '$P4' --sys-root sys huge --json >j &&
		jq -e '.thp.settings.shmem_enabled.value == \"$want\"' j >/dev/null
	"
done
test_expect_success 'THP: an old khugepaged/defrag "[yes] no" is a flag; a per-size inherit is kept' '
	cp -R "$S4" sys && chmod -R u+w sys &&
	echo "yes [no]" >sys/kernel/mm/transparent_hugepage/khugepaged/defrag &&
	ml --proc-root "$P4" --sys-root sys huge --json >j &&
	jq -e ".thp.khugepaged.defrag == false" j &&
	ml --proc-root "$PH" --sys-root "$SH" huge --json >j &&
	jq -e "[.thp.sizes[].enabled.value] == [\"never\", \"madvise\", \"inherit\"]" j
'
test_expect_success 'THP: a setting without brackets is n/a with the reason, listed unavailable' '
	cp -R "$S4" sys && chmod -R u+w sys &&
	echo "always madvise never" >sys/kernel/mm/transparent_hugepage/enabled &&
	ml --proc-root "$P4" --sys-root sys huge >out &&
	grep -q "enabled n/a (no setting in brackets)" out &&
	ml --proc-root "$P4" --sys-root sys huge --json >j &&
	jq -e ".thp.settings.enabled == null" j &&
	jq -e "any(.unavailable[]; .source == \"kernel/mm/transparent_hugepage/enabled\" and .why == \"no setting in brackets\")" j
'

test_expect_success 'THP processes: the largest AnonHugePages first, from smaps_rollup' '
	ml --proc-root "$P4" --sys-root "$S4" huge --json >j &&
	jq -e "[.thp.processes.top[].pid] == [1002, 1001, 1000]" j &&
	jq -e ".thp.processes.top[0].AnonHugePages == 2254848 * 1024" j
'
test_expect_success 'THP processes: not read when no huge page is in use' '
	fixture_copy four-node &&
	sed -i "s/^AnonHugePages: .*/AnonHugePages:         0 kB/" proc/meminfo &&
	ml --proc-root proc --sys-root "$S4" huge --json >j &&
	jq -e ".thp.processes == null and .thp.processes_why == \"no anonymous huge pages in use\"" j
'

test_expect_success 'KSM running: the byte figures are pages x page size, and the profit' '
	ml --proc-root "$PH" --sys-root "$SH" huge --json >j &&
	jq -e ".ksm.state == \"running\" and .ksm.bytes.sharing == 6000 * 4096 and .ksm.profit == 23782400" j &&
	jq -e ".ksm.sysfs.advisor_mode.value == \"scan-time\"" j
'
test_expect_success 'KSM processes: merged pages from ksm_stat, the largest first; zeros left out' '
	ml --proc-root "$PH" --sys-root "$SH" huge --json >j &&
	jq -e "[.ksm.processes.top[].pid] == [2001, 2002, 2003]" j &&
	jq -e ".ksm.processes.top[2].ksm_process_profit == -25600" j &&
	jq -e ".ksm.processes.top[0].ksm_merge_any == true" j
'
test_expect_success 'KSM on a kernel without ksm_stat (5.15): said, not zero' '
	ml --proc-root "$P4" --sys-root "$S4" huge >out &&
	grep -q "processes  n/a (no PID/ksm_stat: it appeared in 6.1)" out &&
	ml --proc-root "$P4" --sys-root "$S4" huge --json >j &&
	jq -e ".ksm.processes == null and .ksm.profit == null and .ksm.sysfs.general_profit == null" j
'
test_expect_success 'KSM off: no process read, and why' '
	ml --proc-root "$P2" --sys-root "$S2" huge --json >j &&
	jq -e ".ksm.state == \"stopped\" and .ksm.processes_why == \"KSM has not run since boot\"" j
'

test_expect_success 'zram with one device: its RAM is named; two devices add up; one not initialised' '
	ml --proc-root "$P2" --sys-root "$S2" huge --json >j &&
	jq -e ".zram.devices | length == 1" j &&
	jq -e ".zram.mem_used_total == 84 * 1048576" j &&
	ml --proc-root "$P4" --sys-root "$S4" huge --json >j &&
	jq -e ".zram.devices | length == 2" j &&
	jq -e ".zram.mem_used_total == 310 * 1048576 and .zram.devices[1].initialised == false" j &&
	ml --proc-root "$P4" --sys-root "$S4" huge >out &&
	grep -q "^  zram1 .* not initialised" out
'
test_expect_success 'no zram device: none, not zero' '
	ml --proc-root "$PH" --sys-root "$SH" huge >out &&
	grep -q "^  devices    none" out
'

test_expect_success 'zswap: pool against what it holds; a 5.15 meminfo without Zswap says so' '
	ml --proc-root "$PH" --sys-root "$SH" huge --json >j &&
	jq -e ".zswap.pool == 64 * 1048576 and .zswap.stored == 200 * 1048576 and .zswap.parameters.zpool == null" j &&
	ml --proc-root "$P4" --sys-root "$S4" huge --json >j &&
	jq -e ".zswap.pool == null and .zswap.parameters.zpool == \"z3fold\"" j
'

test_expect_success '-n 2: events per second in the second report' '
	ml --proc-root "$P4" --sys-root "$S4" huge -n 2 -i 0.05 --json >lines &&
	test "$(wc -l <lines)" = 2 &&
	sed -n 2p lines | jq -e ".thp.events.period == \"interval\" and .thp.events.per_second.thp_fault_alloc == 0" &&
	ml --proc-root "$P4" --sys-root "$S4" huge -n 2 -i 0.05 >out &&
	grep -q "events     per second: none" out
'

if $HAVE_JSONSCHEMA; then
	for m in "$P4 $S4" "$PH $SH" "$P2 $S2" "$FIXTURES/linux-6.18 $FIXTURES/linux-6.18-sys"; do
		set -- $m
		test_expect_success "huge --json of ${1##*/} matches huge.schema.json" "
			ml --proc-root '$1' --sys-root '$2' huge --json >j && json_validate huge.schema.json j
		"
	done
	test_expect_success 'the huge schema rejects a wrong document' '
		ml --proc-root "$P4" --sys-root "$S4" huge --json >j &&
		jq ".hugetlb.extra = 1" j >bad1 && ! json_validate huge.schema.json bad1 2>/dev/null &&
		jq ".zram.devices[0].name = \"sda\"" j >bad2 && ! json_validate huge.schema.json bad2 2>/dev/null &&
		jq "del(.ksm.bytes)" j >bad3 && ! json_validate huge.schema.json bad3 2>/dev/null
	'
else
	test_skip 'huge --json schema' 'python3-jsonschema is not installed'
fi

# ---------------------------------------------------------------- bad input

test_expect_success 'a garbled mm_stat: warned, the device n/a and listed, exit 0' '
	cp -R "$S4" sys && chmod -R u+w sys &&
	printf "1 2 x 4\n" >sys/block/zram0/mm_stat &&
	ml --proc-root "$P4" --sys-root sys huge >out 2>err &&
	grep -q "zram0/mm_stat: 1 bad line ignored; first at line 1 (not a number)" err &&
	grep -q "^  zram0 .*n/a.*mm_stat: not a number" out &&
	ml --proc-root "$P4" --sys-root sys huge --json >j 2>/dev/null &&
	jq -e ".zram.mem_used_total == null" j &&
	jq -e "any(.unavailable[]; .source == \"block/zram0/mm_stat\")" j
'
test_expect_success 'a truncated mm_stat, and one of fewer than 7 columns: n/a, said' '
	cp -R "$S4" sys && chmod -R u+w sys &&
	printf "1 2 3" >sys/block/zram0/mm_stat &&
	ml --proc-root "$P4" --sys-root sys huge >out 2>err &&
	grep -q "mm_stat: no newline at end of file (truncated)" out &&
	printf "1 2 3\n" >sys/block/zram0/mm_stat &&
	ml --proc-root "$P4" --sys-root sys huge >out 2>err &&
	grep -q "mm_stat: fewer than 7 columns" out
'
test_expect_success 'a hugetlb count beyond 64 bits: n/a with the reason, the total unknown' '
	cp -R "$S4" sys && chmod -R u+w sys &&
	echo 99999999999999999999 >sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages &&
	ml --proc-root "$P4" --sys-root sys huge --json >j &&
	jq -e ".hugetlb.total == null and (.hugetlb.sizes[1].nr_hugepages == null)" j &&
	jq -e "any(.unavailable[]; .why == \"value does not fit in 64 bits\")" j
'
test_expect_success 'garbage in a KSM attribute: n/a, listed; the rest shown' '
	cp -R "$S4" sys && chmod -R u+w sys &&
	printf "\001\002\n" >sys/kernel/mm/ksm/pages_sharing &&
	ml --proc-root "$P4" --sys-root sys huge --json >j &&
	jq -e ".ksm.bytes.sharing == null and .ksm.bytes.shared == 2000 * 4096" j
'
test_expect_success 'a bad ksm_stat line: the process is still listed from its good lines' '
	fixture_copy huge-6.18 &&
	printf "ksm_rmap_items 10\nksm_merging_pages lots\n" >proc/2002/ksm_stat &&
	ml --proc-root proc --sys-root "$SH" huge --json >j &&
	jq -e "[.ksm.processes.top[].pid] == [2001, 2003, 2002]" j
'
test_expect_success 'a machine without hugetlb, THP, KSM or zswap: each said, exit 0' '
	mkdir sys &&
	ml --proc-root "$FIXTURES/linux-6.18" --sys-root sys huge >out &&
	grep -q "n/a (no kernel/mm/hugepages: a kernel without hugetlb)" out &&
	grep -q "n/a (no kernel/mm/transparent_hugepage: a kernel without THP)" out &&
	grep -q "n/a (no kernel/mm/ksm: a kernel without KSM)" out &&
	grep -q "n/a (no module/zswap: a kernel without zswap)" out
'
test_expect_success 'a copied proc root with this machine'"'"'s /sys: the sysfs parts n/a, said, exit 1' '
	test_expect_code 1 ml --proc-root "$PH" --sys-root /sys huge >out 2>err &&
	grep -q "/sys is this machine.s sysfs, not the capture.s; see --sys-root" err &&
	grep -q "in use     anonymous 64.0 MiB" out
'
test_expect_success 'no meminfo: the sysfs parts shown, meminfo n/a and said, exit 0' '
	mkdir proc &&
	ml --proc-root proc --sys-root "$FIXTURES/four-node-sys" huge >out &&
	grep -q "^  in use     cannot open proc/meminfo: No such file or directory" out &&
	grep -q "^  2.00 MiB   1024   200 " out
'

test_expect_success 'a sys root that does not exist: exit 1, named' '
	test_expect_code 1 ml --proc-root "$FIXTURES/huge-6.18" --sys-root /nonexistent huge 2>err &&
	grep -q "cannot open sys root /nonexistent" err
'

test_done
