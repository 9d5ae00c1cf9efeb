#!/bin/sh
# memlens maps PID --numa against a fixture process: its memory per node and
# kind of mapping from numa_maps, its policies; what is missing is said.
. "$TOP_SRCDIR/tests/cli/lib.sh"

P4="$FIXTURES/four-node"

test_expect_success 'a process bound to node 1 and interleaved over 1-2: the report as expected' '
	ml --proc-root "$P4" maps 1002 --numa >out &&
	strip_time <out >out.s &&
	test_cmp "$TOP_SRCDIR/tests/cli/expected/maps-numa-1002.txt" out.s
'

test_expect_success 'the per-node figures are the N<node>= counts x kernelpagesize_kB' '
	ml --proc-root "$P4" maps 1002 --numa --json >j &&
	jq -e "[.nodes[].node] == [0, 1, 2]" j &&
	jq -e ".nodes[1].kinds == {\"anon\": ((1048576 + 262144) * 4096), \"heap\": (3072 * 4096), \"stack\": 0, \"file\": 0, \"hugetlb\": 1073741824}" j &&
	jq -e ".nodes[0].total == (2048 + 80 + 1024 + 300 + 33) * 4096" j &&
	jq -e ".mappings == 9 and .resident_mappings == 8" j &&
	jq -e ".policies == [{\"policy\": \"bind:1\", \"mappings\": 1}, {\"policy\": \"interleave:1-2\", \"mappings\": 1}]" j
'

if /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then
	test_expect_success 'maps --numa --json matches maps-numa.schema.json' '
		ml --proc-root "$P4" maps 1002 --numa --json >j && json_validate maps-numa.schema.json j &&
		jq ".view = \"all\"" j >bad && ! json_validate maps-numa.schema.json bad 2>/dev/null
	'
fi

test_expect_success 'a kernel before 4.1 (no kernelpagesize_kB): pages counted, sizes from the page size' '
	fixture_copy four-node &&
	sed -i "s/ kernelpagesize_kB=[0-9]*//" proc/1002/numa_maps &&
	ml --proc-root proc maps 1002 --numa --json >j &&
	jq -e ".nodes[1].kinds.hugetlb == null and .nodes[1].pages_without_size > 0" j &&
	jq -e ".nodes[0].kinds.anon == (2048 + 80 + 1024 + 300 + 33) * 4096" j &&
	ml --proc-root proc maps 1002 --numa >out &&
	grep -q "prints no kernelpagesize_kB (before 4.1): those" out
'

test_expect_success 'bad lines: warned, the rest counted' '
	fixture_copy four-node &&
	printf "garbage\n" >>proc/1002/numa_maps &&
	ml --proc-root proc maps 1002 --numa >out 2>err &&
	grep -q "1002/numa_maps: 1 bad line ignored; first at line 10 (no address)" err &&
	ml --proc-root proc maps 1002 --numa --json >j 2>/dev/null &&
	jq -e ".parse_errors[0].bad_lines == 1 and .mappings == 9" j
'

test_expect_success 'no numa_maps (a kernel without CONFIG_NUMA): exit 1, said' '
	test_expect_code 1 ml --proc-root "$P4" maps 1001 --numa 2>err &&
	grep -q "a kernel without CONFIG_NUMA has no numa_maps" err
'

test_expect_success 'a process with no resident page: said, not a table of zeros' '
	fixture_copy four-node &&
	printf "aaaad4a00000 default file=/usr/bin/x\nffff0000 default\n" >proc/1002/numa_maps &&
	ml --proc-root proc maps 1002 --numa >out &&
	grep -q "no resident pages on any node (2 mappings)" out
'

test_expect_success '--numa with a PID that does not exist: exit 1' '
	test_expect_code 1 ml --proc-root "$P4" maps 4242 --numa 2>err &&
	grep -q "no process 4242" err
'

test_done
