#!/bin/sh
# memlens numa, huge and maps --numa on this machine: node 0's table is its
# sysfs meminfo, the hugetlb, THP, KSM and zram figures are the sysfs files,
# a process's numa_maps adds up to what it mapped; without root it all works.
. "$TOP_SRCDIR/tests/cli/lib.sh"

NODE=/sys/devices/system/node
if [ ! -r "$NODE/node0/meminfo" ]; then
	test_skip 'numa on this machine' 'no /sys/devices/system/node/node0/meminfo (no CONFIG_NUMA?)'
	test_done
fi

# A still copy of this machine's node files: live /proc with a copied /sys
# is allowed (the other way round is not), and the copy does not move.
snapshot_nodes() {
	mkdir -p sys/devices/system/node/node0 &&
	cp "$NODE/online" sys/devices/system/node/ &&
	cp "$NODE/node0/meminfo" "$NODE/node0/numastat" sys/devices/system/node/node0/
}

test_expect_success 'node 0: every line of its meminfo is in the JSON, value for value' '
	snapshot_nodes &&
	ml --sys-root sys numa --json >j &&
	sed "s/^Node 0 //" sys/devices/system/node/node0/meminfo | while read -r key value unit; do
		key=${key%:}
		[ "$unit" = kB ] && value=$((value * 1024))
		got=$(jq --arg k "$key" ".nodes[0].meminfo[\$k]" j) &&
		test "$got" = "$value" || { echo "$key: $got, file $value"; exit 1; }
	done
'

test_expect_success 'node 0: the table is the file: free, anonymous, slab, MemTotal' '
	snapshot_nodes &&
	ml --sys-root sys numa --json >j &&
	f() { sed -n "s/^Node 0 $1: *\([0-9]*\) kB/\1/p" sys/devices/system/node/node0/meminfo; } &&
	part() { jq ".nodes[0].parts[] | select(.name == \"$1\") | .bytes" j; } &&
	test "$(part free)" = $(($(f MemFree) * 1024)) &&
	test "$(part anonymous)" = $(($(f AnonPages) * 1024)) &&
	test "$(part slab_reclaimable)" = $(($(f SReclaimable) * 1024)) &&
	test "$(jq .nodes[0].total j)" = $(($(f MemTotal) * 1024)) &&
	jq -e "[.nodes[0].parts[].bytes] | add == $(($(f MemTotal) * 1024))" j >/dev/null
'

test_expect_success 'node 0 on the live /sys: MemTotal is the file'"'"'s, numastat read' '
	ml numa --json >j &&
	test "$(jq .nodes[0].total j)" = $(($(sed -n "s/^Node 0 MemTotal: *\([0-9]*\) kB/\1/p" "$NODE/node0/meminfo") * 1024)) &&
	jq -e ".nodes[0].numastat.period == \"since_boot\" and .nodes[0].numastat.counters.numa_hit > 0" j >/dev/null
'

if [ "$(cat "$NODE/online")" = 0 ]; then
	test_expect_success 'one node: its estimate is the kernel'"'"'s MemAvailable (within 64 MiB of drift)' '
		ml numa --json >j &&
		jq -e "(.nodes[0].available.bytes - .machine_available) | fabs < 64 * 1048576" j >/dev/null
	'
else
	test_skip 'one node: its estimate is MemAvailable' 'this machine has several nodes'
fi

test_expect_success 'hugetlb: every size and count is the sysfs file'"'"'s' '
	ml huge --json >j &&
	for d in /sys/kernel/mm/hugepages/hugepages-*kB; do
		kb=${d##*-}; kb=${kb%kB}
		for a in nr_hugepages free_hugepages resv_hugepages surplus_hugepages nr_overcommit_hugepages; do
			got=$(jq ".hugetlb.sizes[] | select(.page_size == $kb * 1024) | .$a" j) &&
			test "$got" = "$(cat "$d/$a")" || { echo "$d/$a: $got"; exit 1; }
		done
	done &&
	test "$(jq ".hugetlb.sizes | length" j)" = "$(ls -d /sys/kernel/mm/hugepages/hugepages-*kB | wc -l)"
'

if [ -r /sys/kernel/mm/transparent_hugepage/enabled ]; then
	test_expect_success 'THP: enabled and defrag are the bracketed settings of the files' '
		ml huge --json >j &&
		test "$(jq -r .thp.settings.enabled.value j)" = "$(sed "s/.*\[\(.*\)\].*/\1/" /sys/kernel/mm/transparent_hugepage/enabled)" &&
		test "$(jq -r .thp.settings.defrag.value j)" = "$(sed "s/.*\[\(.*\)\].*/\1/" /sys/kernel/mm/transparent_hugepage/defrag)"
	'
fi

if [ -r /sys/kernel/mm/ksm/run ]; then
	test_expect_success 'KSM: run, pages_shared and full_scans are the files'"'"'' '
		ml huge --json >j &&
		test "$(jq .ksm.sysfs.run j)" = "$(cat /sys/kernel/mm/ksm/run)" &&
		test "$(jq .ksm.sysfs.pages_shared j)" = "$(cat /sys/kernel/mm/ksm/pages_shared)" &&
		test "$(jq .ksm.sysfs.full_scans j)" = "$(cat /sys/kernel/mm/ksm/full_scans)"
	'
fi

if [ -r /sys/block/zram0/mm_stat ]; then
	test_expect_success 'zram0: mm_stat columns are the file'"'"'s' '
		ml huge --json >j &&
		set -- $(cat /sys/block/zram0/mm_stat) &&
		test "$(jq ".zram.devices[] | select(.name == \"zram0\") | .mm_stat.orig_data_size" j)" = "$1" &&
		test "$(jq ".zram.devices[] | select(.name == \"zram0\") | .mm_stat.mem_limit" j)" = "$4"
	'
fi

HELPER="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/maps-helper"
if [ -r /proc/self/numa_maps ] && [ -x "$HELPER" ]; then
	"$HELPER" "$TEST_ROOT/mapped.bin" >"$TEST_ROOT/helper.out" 2>/dev/null &
	HPID=$!
	trap 'kill $HPID 2>/dev/null; rm -rf "$TEST_ROOT"' EXIT
	wait_for_lines "$TEST_ROOT/helper.out" 1 >/dev/null
	field() { tr ' ' '\n' <"$TEST_ROOT/helper.out" | sed -n "s/^$1=//p"; }
	test_expect_success 'maps --numa of a helper: its heap (3 MiB of sbrk) is the [heap] Rss, on the nodes' '
		ml maps "$HPID" --numa --json >j &&
		heap_rss=$(awk "/\\[heap\\]/ { h = 1; next } h && /^Rss:/ { print \$2; exit }" /proc/$HPID/smaps) &&
		test "$(jq "[.nodes[].kinds.heap] | add" j)" = $((heap_rss * 1024)) &&
		test $((heap_rss * 1024)) -ge "$(field heap | cut -d: -f2)" &&
		jq -e ".view == \"numa\" and .process.pid == $HPID" j >/dev/null
	'
	test_expect_success 'maps --numa of a helper: the total is its Rss (within 1 MiB)' '
		ml maps "$HPID" --numa --json >j &&
		rss=$(sed -n "s/^Rss: *\([0-9]*\) kB/\1/p" /proc/$HPID/smaps_rollup) &&
		jq -e "([.nodes[].total] | add) - $rss * 1024 | fabs <= 1048576" j >/dev/null &&
		ml maps "$HPID" --numa >out && grep -q "^Resident memory per NUMA node" out
	'
	if is_root && command -v setpriv >/dev/null 2>&1; then
		test_expect_success 'maps --numa of another user'"'"'s process: permission denied, exit 1' '
			cp "$MEMLENS" ./memlens && chmod 0755 . ./memlens &&
			test_expect_code 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
				./memlens maps "$HPID" --numa 2>err &&
			grep -q "numa_maps: Permission denied (run as root, or as the process.s owner)" err
		'
	fi
else
	test_skip 'maps --numa of a live process' 'no /proc/self/numa_maps or no helper'
fi

if is_root && command -v setpriv >/dev/null 2>&1; then
	test_expect_success 'numa and huge as an unprivileged user: they work, nothing on stderr' '
		cp "$MEMLENS" ./memlens && chmod 0755 . ./memlens &&
		setpriv --reuid=65534 --regid=65534 --clear-groups ./memlens numa >out 2>err &&
		test ! -s err && grep -q "^Where each node" out &&
		setpriv --reuid=65534 --regid=65534 --clear-groups ./memlens huge >out 2>err &&
		test ! -s err && grep -q "^Hugetlb" out
	'
else
	test_skip 'numa and huge as an unprivileged user' 'needs root and setpriv'
fi

test_done
