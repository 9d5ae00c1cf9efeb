#!/bin/sh
# memlens numa against the fixture machines: the per-node accounting adds up
# to each node's MemTotal and the nodes to the machine, numastat to vmstat;
# the estimate follows its formula; -i gives rates; bad input is said.
. "$TOP_SRCDIR/tests/cli/lib.sh"

P2="$FIXTURES/two-node-zones"
S2="$FIXTURES/two-node-sys"
P4="$FIXTURES/four-node"
S4="$FIXTURES/four-node-sys"
HAVE_JSONSCHEMA=false
/usr/bin/python3 -c "import jsonschema" 2>/dev/null && HAVE_JSONSCHEMA=true

test_expect_success 'two nodes: the report as expected' '
	ml --proc-root "$P2" --sys-root "$S2" numa >out &&
	strip_time <out >out.s &&
	test_cmp "$TOP_SRCDIR/tests/cli/expected/numa-two-node.txt" out.s
'

test_expect_success 'four nodes, one without memory: the report as expected' '
	ml --proc-root "$P4" --sys-root "$S4" numa >out &&
	strip_time <out >out.s &&
	test_cmp "$TOP_SRCDIR/tests/cli/expected/numa-four-node.txt" out.s &&
	grep -q "^Nodes    4 online, 3 with memory: 0 1 2 3$" out
'

test_expect_success 'a narrow terminal splits the nodes into several tables' '
	COLUMNS=50 ml --proc-root "$P4" --sys-root "$S4" numa >out &&
	test "$(grep -c "^  MemTotal" out)" -ge 2 &&
	! grep -q "from the node" out
'

for m in "$P2 $S2 2" "$P4 $S4 4"; do
	set -- $m
	test_expect_success "$3 nodes: every node's parts add up to its MemTotal" "
		ml --proc-root '$1' --sys-root '$2' numa --json >j &&
		jq -e '[.nodes[] | ([.parts[].bytes] | add) == .total] | all' j >/dev/null &&
		jq -e '.nodes | length == $3' j >/dev/null
	"
	test_expect_success "$3 nodes: the nodes' MemTotal add up to the machine's" "
		ml --proc-root '$1' --sys-root '$2' numa --json >j &&
		jq -e '([.nodes[].total] | add) == .machine_total' j >/dev/null
	"
done

test_expect_success 'two nodes: the parts are the node meminfo fields (node 1 by hand)' '
	ml --proc-root "$P2" --sys-root "$S2" numa --json >j &&
	jq -e ".nodes[1].parts[] | select(.name == \"free\") | .bytes == 35680 * 1024" j &&
	jq -e ".nodes[1].parts[] | select(.name == \"page_cache\") | .bytes == 4083724 * 1024 and .shmem == 3200 * 1024" j &&
	jq -e ".nodes[1].parts[] | select(.name == \"unaccounted\") | .bytes == 582012 * 1024" j &&
	jq -e ".nodes[1].meminfo.AnonPages == 11608844 * 1024" j
'

test_expect_success 'two nodes: numastat of the nodes sums to vmstat numa_*' '
	ml --proc-root "$P2" --sys-root "$S2" numa --json >j &&
	for pair in numa_hit:numa_hit numa_miss:numa_miss numa_foreign:numa_foreign \
		interleave_hit:numa_interleave local_node:numa_local other_node:numa_other; do
		k=${pair%%:*} v=${pair#*:}
		want=$(awk -v v="$v" "\$1 == v { print \$2 }" "$P2/vmstat") &&
		got=$(jq "[.nodes[].numastat.counters.$k] | add" j) &&
		test "$got" = "$want" || { echo "$k: $got, vmstat $v: $want"; exit 1; }
	done
'

test_expect_success 'the estimate: its terms and formula, per node (node 1 by hand)' '
	ml --proc-root "$P2" --sys-root "$S2" numa --json >j &&
	jq -e ".nodes[1].available.terms.low == (7048 + 32) * 4096" j &&
	jq -e ".nodes[1].available.terms.reserve == 11176 * 4096" j &&
	jq -e ".nodes[1].available | .bytes == .terms.free - .terms.reserve + (.terms.file - ([(.terms.file / 2 | floor), .terms.low] | min)) + (.terms.reclaimable - ([(.terms.reclaimable / 2 | floor), .terms.low] | min))" j &&
	jq -e ".nodes[0].available.formula | test(\"min\\\\(file/2, low\\\\)\")" j &&
	ml --proc-root "$P2" --sys-root "$S2" numa >out &&
	grep -q "^  available = MemFree - reserve" out
'

test_expect_success 'four nodes: hugetlb of every size counts in its node (2 x 1 GiB + 512 x 2 MiB on node 1)' '
	ml --proc-root "$P4" --sys-root "$S4" numa --json >j &&
	jq -e ".nodes[1].parts[] | select(.name == \"hugetlb\") | .bytes == 3 * 1073741824" j &&
	jq -e ".nodes[2].parts[] | select(.name == \"hugetlb\") | .bytes == 2 * 1073741824 + 16 * 33554432" j &&
	jq -e "[.nodes[].hugetlb[] | select(.page_size == 1073741824) | .nr_hugepages] == [0, 2, 2, 0]" j
'

test_expect_success 'four nodes: the node without memory is shown, all zero, not n/a' '
	ml --proc-root "$P4" --sys-root "$S4" numa --json >j &&
	jq -e ".nodes[3].total == 0 and .nodes[3].available.bytes == 0" j
'

test_expect_success 'a capture whose machine initialised memory late: the nodes fall short of MemTotal, and it is said' '
	ml --proc-root "$FIXTURES/linux-6.18" --sys-root "$FIXTURES/linux-6.18-sys" numa >out 2>err &&
	grep -q "the nodes. MemTotal add up to 9.59 GiB, /proc/meminfo says 23.5 GiB" out &&
	grep -q "node 0 numastat not read: cannot open" out &&
	ml --proc-root "$FIXTURES/linux-6.18" --sys-root "$FIXTURES/linux-6.18-sys" numa --json >j &&
	jq -e ".nodes[0].numastat.period == null and any(.unavailable[]; .source == \"devices/system/node/node0/numastat\")" j
'

test_expect_success '-n 2: numastat per second in the second report' '
	ml --proc-root "$P2" --sys-root "$S2" numa -n 2 -i 0.05 --json >lines &&
	test "$(wc -l <lines)" = 2 &&
	sed -n 1p lines | jq -e ".nodes[0].numastat.period == \"since_boot\"" &&
	sed -n 2p lines | jq -e ".nodes[0].numastat | .period == \"interval\" and .per_second.numa_hit == 0 and .seconds > 0" &&
	ml --proc-root "$P2" --sys-root "$S2" numa -n 2 -i 0.05 >out &&
	grep -q "(numastat, pages per second)" out
'

if $HAVE_JSONSCHEMA; then
	for m in "$P2 $S2" "$P4 $S4" "$FIXTURES/linux-6.18 $FIXTURES/linux-6.18-sys"; do
		set -- $m
		test_expect_success "numa --json of ${1##*/} matches numa.schema.json" "
			ml --proc-root '$1' --sys-root '$2' numa --json >j && json_validate numa.schema.json j
		"
	done
	test_expect_success 'the numa schema rejects a wrong document' '
		ml --proc-root "$P2" --sys-root "$S2" numa --json >j &&
		jq ".nodes[0].extra = 1" j >bad1 && ! json_validate numa.schema.json bad1 2>/dev/null &&
		jq "del(.nodes[0].available)" j >bad2 && ! json_validate numa.schema.json bad2 2>/dev/null &&
		jq ".nodes[0].parts[0].name = \"other\"" j >bad3 && ! json_validate numa.schema.json bad3 2>/dev/null
	'
else
	test_skip 'numa --json schema' 'python3-jsonschema is not installed'
fi

# ---------------------------------------------------------------- bad input

test_expect_success 'no node files (a kernel without CONFIG_NUMA): exit 1, said' '
	mkdir sys &&
	test_expect_code 1 ml --proc-root "$P2" --sys-root sys numa >out 2>err &&
	grep -q "without CONFIG_NUMA has no node files" err && test ! -s out
'

test_expect_success 'a sys root that does not exist: exit 1, named' '
	test_expect_code 1 ml --proc-root "$P2" --sys-root /nonexistent-sys numa 2>err &&
	grep -q "cannot open sys root /nonexistent-sys" err
'

test_expect_success 'a copied proc root with this machine'"'"'s /sys: refused, said' '
	test_expect_code 1 ml --proc-root "$P2" --sys-root /sys numa 2>err &&
	grep -q "/sys is this machine.s sysfs, not the capture.s; see --sys-root" err
'

test_expect_success 'a garbled online list: exit 1, the text shown' '
	cp -R "$S2" sys && chmod -R u+w sys && printf "0-x\n" >sys/devices/system/node/online &&
	test_expect_code 1 ml --proc-root "$P2" --sys-root sys numa 2>err &&
	grep -q "online: expected a number after .-.: \"0-x\"" err
'

test_expect_success 'no online file: the nodeN directories' '
	cp -R "$S2" sys && chmod -R u+w sys && rm sys/devices/system/node/online &&
	ml --proc-root "$P2" --sys-root sys numa --json >j &&
	jq -e ".online == [0, 1]" j
'

test_expect_success 'garbage in a node meminfo: warned with the line, the node n/a, exit 1' '
	cp -R "$S2" sys && chmod -R u+w sys &&
	printf "garbage\n\001\002\n" >sys/devices/system/node/node1/meminfo &&
	test_expect_code 1 ml --proc-root "$P2" --sys-root sys numa >out 2>err &&
	grep -q "node1/meminfo: 2 bad lines ignored; first at line 1" err &&
	grep -q "^  free  *2.06 GiB  *n/a  *n/a" out &&
	test_expect_code 1 ml --proc-root "$P2" --sys-root sys numa --json >j 2>/dev/null &&
	jq -e ".nodes[1].parts == null and (.nodes[1].why | test(\"MemTotal\"))" j &&
	jq -e ".parse_errors[0].bad_lines == 2" j
'

test_expect_success 'a truncated node meminfo: what was read is used' '
	cp -R "$S2" sys && chmod -R u+w sys &&
	head -c 100 "$S2/devices/system/node/node0/meminfo" >sys/devices/system/node/node0/meminfo &&
	ml --proc-root "$P2" --sys-root sys numa --json >j 2>err &&
	grep -q "node0/meminfo: 1 bad line ignored" err &&
	jq -e ".nodes[0].meminfo | keys == [\"MemFree\", \"MemTotal\"]" j &&
	jq -e "[.nodes[0].parts[] | select(.bytes == null)] | length == 9" j
'

test_expect_success 'a value beyond 64 bits: the line is bad, not wrapped' '
	cp -R "$S2" sys && chmod -R u+w sys &&
	sed -i "s/^Node 0 AnonPages: .*/Node 0 AnonPages:      99999999999999999999 kB/" \
		sys/devices/system/node/node0/meminfo &&
	ml --proc-root "$P2" --sys-root sys numa --json >j 2>err &&
	grep -q "does not fit in 64 bits" err &&
	jq -e ".nodes[0].parts[] | select(.name == \"anonymous\") | .bytes == null" j
'

test_expect_success 'a missing numastat: the rest is shown, exit 0' '
	cp -R "$S2" sys && chmod -R u+w sys && rm sys/devices/system/node/node1/numastat &&
	ml --proc-root "$P2" --sys-root sys numa >out &&
	grep -q "node 1 numastat not read" out
'

test_expect_success 'no zoneinfo: no estimate, and why' '
	fixture_copy two-node-zones && rm proc/zoneinfo && cp "$FIXTURES/two-node-zones/meminfo" proc/ &&
	ml --proc-root proc --sys-root "$S2" numa >out &&
	grep -q "node 0: no estimate: needs /proc/zoneinfo for the watermarks" out &&
	grep -q "no available estimate: cannot open proc/zoneinfo" out
'

if is_root && command -v setpriv >/dev/null 2>&1; then
	test_expect_success 'a node meminfo unreadable as an unprivileged user: n/a with the reason, exit 1' '
		cp -R "$S2" sys && chmod -R a+rX sys && chmod 0600 sys/devices/system/node/node1/meminfo &&
		cp "$MEMLENS" ./memlens && chmod 0755 . ./memlens &&
		test_expect_code 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
			./memlens --proc-root "$P2" --sys-root sys numa >out 2>err &&
		grep -q "node1/meminfo: Permission denied (run as root)" err &&
		grep -q "^  free  *2.06 GiB  *n/a" out
	'
else
	test_skip 'a node meminfo unreadable as an unprivileged user' 'needs root and setpriv'
fi

test_expect_success 'numa takes no argument, --sort or --limit' '
	test_expect_code 2 ml --proc-root "$P2" --sys-root "$S2" numa 1 2>err &&
	test_expect_code 2 ml --proc-root "$P2" --sys-root "$S2" numa --limit 3 2>err
'

test_done
