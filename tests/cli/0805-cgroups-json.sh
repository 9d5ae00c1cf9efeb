#!/bin/sh
# memlens cgroups --json: every fixture tree and the live machine match
# doc/schema/cgroups.schema.json; bytes, null with the reason, "max" as null
# plus "unlimited": true; the validator rejects what breaks those rules.
. "$TOP_SRCDIR/tests/cli/lib.sh"

cg() {
	_t=$1
	shift
	ml --proc-root "$FIXTURES/$_t/proc" --sys-root "$FIXTURES/$_t/sys" cgroups "$@"
}
have_schema=true
/usr/bin/python3 -c "import jsonschema" 2>/dev/null || have_schema=false

for t in cgroup-v2-systemd cgroup-v2-kubepods cgroup-hybrid cgroup-v1 cgroup-v2-partial \
	cgroup-v2-5.15 cgroup-odd-names; do
	if $have_schema; then
		test_expect_success "cgroups --json of $t matches cgroups.schema.json (tree and flat)" "
			cg $t --json >doc && json_validate cgroups.schema.json doc &&
			cg $t --json --flat --sort pss --limit 3 >doc && json_validate cgroups.schema.json doc
		"
	else
		test_skip "cgroups --json of $t matches its schema" 'python3-jsonschema is not installed'
	fi
done

if $have_schema && [ -r /proc/self/mountinfo ] && grep -q " - cgroup" /proc/self/mountinfo; then
	test_expect_success 'cgroups --json on this machine matches the schema' '
		ml cgroups --json >doc 2>err && json_validate cgroups.schema.json doc
	'
else
	test_skip 'cgroups --json on this machine' 'no cgroup mount here, or no python3-jsonschema'
fi

test_expect_success 'limits: "max" is null plus unlimited true; a number is bytes' '
	cg cgroup-v2-systemd --json /system.slice/postgresql.service >doc &&
	test "$(jq -c ".cgroups[0].limits.max" doc)" = "{\"bytes\":2147483648,\"unlimited\":false}" &&
	test "$(jq -c ".cgroups[0].limits.swap_max" doc)" = "{\"bytes\":null,\"unlimited\":true}" &&
	test "$(jq -c ".cgroups[0].limits.soft" doc)" = "{\"bytes\":null,\"unlimited\":false}" &&
	test "$(jq -r ".cgroups[0].absent_why[\"limits.soft\"]" doc)" = "cgroup v2 has no memory.soft_limit_in_bytes"
'

test_expect_success 'v1: the 2^63 - 4096 of "no limit" is unlimited, never a number' '
	cg cgroup-v1 --json >doc &&
	test "$(jq "[.cgroups[] | select(.limits.max.unlimited)] | length" doc)" = 5 &&
	test "$(jq "[del(.cgroups[].memory_stat) | .. | numbers | select(. >= 9223372036854771712)] | length" doc)" = 0
'

test_expect_success 'memory.current and the breakdown are the files'"'"' bytes' '
	D="$FIXTURES/cgroup-v2-kubepods/sys/fs/cgroup/kubepods.slice" &&
	cg cgroup-v2-kubepods --json /kubepods.slice --depth 0 >doc &&
	test "$(jq ".cgroups[0].memory.current" doc)" = "$(cat "$D/memory.current")" &&
	test "$(jq ".cgroups[0].memory.anon" doc)" = "$(awk "\$1 == \"anon\" { print \$2 }" "$D/memory.stat")" &&
	test "$(jq ".cgroups[0].memory_stat.pgfault" doc)" = "$(awk "\$1 == \"pgfault\" { print \$2 }" "$D/memory.stat")" &&
	test "$(jq ".cgroups[0].memory_stat | length" doc)" = "$(wc -l <"$D/memory.stat")"
'

test_expect_success 'the working set and what it includes' '
	D="$FIXTURES/cgroup-v2-systemd/sys/fs/cgroup/system.slice" &&
	cg cgroup-v2-systemd --json /system.slice --depth 0 >doc &&
	cur=$(cat "$D/memory.current") &&
	inact=$(awk "\$1 == \"inactive_file\" { print \$2 }" "$D/memory.stat") &&
	test "$(jq ".cgroups[0].memory.working_set" doc)" = $((cur - inact)) &&
	test "$(jq ".cgroups[0].memory.active_file" doc)" = "$(awk "\$1 == \"active_file\" { print \$2 }" "$D/memory.stat")"
'

test_expect_success 'events, OOM kills, pressure' '
	cg cgroup-v2-kubepods --json --flat --sort oom --limit 1 >doc &&
	test "$(jq ".cgroups[0].events.oom_kill" doc)" = 3 &&
	test "$(jq ".cgroups[0].events.max" doc)" = 310 &&
	test "$(jq ".cgroups[0].pressure.some.avg10" doc)" = 12.5 &&
	test "$(jq ".cgroups[0].pressure.full.total_us" doc)" = 45500000 &&
	test "$(jq -r ".cgroups[0].headroom | \"\\(.bytes < 0) \\(.limit)\"" doc)" = "true high" &&
	test "$(jq ".omitted" doc)" = 15
'

test_expect_success 'the root of v2: null with the reason; the v1 root has its files' '
	cg cgroup-v2-systemd --json --depth 0 >doc &&
	test "$(jq ".cgroups[0].memory.current" doc)" = null &&
	jq -r ".cgroups[0].absent_why[\"memory.current\"]" doc | grep -q "^the root cgroup has no memory.current" &&
	test "$(jq ".cgroups[0].memory.anon" doc)" != null &&
	cg cgroup-hybrid --json --depth 0 >doc &&
	test "$(jq ".cgroups[0].memory.current" doc)" != null &&
	test "$(jq ".hierarchy.version" doc)" = 1 &&
	test "$(jq -r ".hierarchy.cgroup2_mount" doc)" = /sys/fs/cgroup/unified &&
	test "$(jq -r ".cgroups[0].hierarchical" doc)" = true
'

test_expect_success 'member processes: counts and sums, the kernel threads skipped' '
	cg cgroup-v2-systemd --json --depth 0 >doc &&
	test "$(jq ".cgroups[0].processes.listed" doc)" = 12 &&
	test "$(jq ".cgroups[0].processes.direct" doc)" = 2 &&
	test "$(jq ".cgroups[0].processes.readable" doc)" = 10 &&
	test "$(jq ".skipped.kernel_threads" doc)" = 2 &&
	test "$(jq ".cgroups[0].processes.why" doc)" = null
'

if $have_schema; then
	test_expect_success 'the validator rejects documents that break the schema' '
		cg cgroup-v2-systemd --json >doc &&
		jq ".cgroups[1].limits.max = {\"bytes\": 5, \"unlimited\": true}" doc >bad1 &&
		! json_validate cgroups.schema.json bad1 2>/dev/null &&
		jq ".cgroups[1].memory.current = \"1 GiB\"" doc >bad2 &&
		! json_validate cgroups.schema.json bad2 2>/dev/null &&
		jq "del(.cgroups[1].memory.peak)" doc >bad3 &&
		! json_validate cgroups.schema.json bad3 2>/dev/null &&
		jq ".cgroups[1].absent_why.nonsense = \"x\"" doc >bad4 &&
		! json_validate cgroups.schema.json bad4 2>/dev/null &&
		jq ".extra = 1" doc >bad5 && ! json_validate cgroups.schema.json bad5 2>/dev/null
	'
fi

test_done
