#!/bin/sh
# memlens cgroups on this machine: a test cgroup under the hierarchy that holds
# the memory controller (v1 or v2; see lib-cgroup.sh), a helper in it that
# charges 64 MiB of anonymous memory and 32 MiB of page cache; memlens's
# figures are checked against the kernel's files read just before and just
# after it (the bracket), and the member PSS against the helper's
# smaps_rollup. Skipped, with the reason, when not root or without a memory
# controller.
. "$TOP_SRCDIR/tests/cli/lib.sh"
. "$TOP_SRCDIR/tests/cli/lib-cgroup.sh"

HELPER="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/cg-helper"
[ -x "$HELPER" ] || { test_skip 'live cgroups' 'tests/helpers/cg-helper is not built'; test_done; }
cg_live_setup 'live cgroups'

MiB=1048576
W="$TEST_ROOT/live"
mkdir -p "$W"
# Started as ./cg-helper from its directory: a command line the report shows
# whole, however deep the build tree (distcheck's).
cg_run "$CG" sh -c 'cd "$0" && exec ./cg-helper 64 32 "$1"' "${HELPER%/*}" "$W/pagecache" >"$W/ready"
wait_for_lines "$W/ready" 1 >/dev/null || { test_skip 'live cgroups' 'the helper did not start'; test_done; }
HPID=$(cat "$CG/cgroup.procs")
say "cgroup v$VER at $MNT, test cgroup $REL, helper $HPID"

test_expect_success 'the helper is the one member of the test cgroup' '
	test "$(wc -l <"$CG/cgroup.procs")" = 1 &&
	test -r "/proc/$HPID/smaps_rollup"
'

test_expect_success 'memory.current (usage_in_bytes): the file'"'"'s figure, read around memlens' '
	U=$(usage_file "$CG") &&
	a=$(cat "$U") && ml cgroups --json "$REL" >doc && b=$(cat "$U") &&
	between "$a" "$b" "$(jq ".cgroups[0].memory.current" doc)" &&
	test "$(jq ".hierarchy.version" doc)" = "$VER" &&
	test "$(jq -r ".cgroups[0].path" doc)" = "$REL"
'

test_expect_success 'the anon/file split: memory.stat'"'"'s, and what the helper charged' '
	a=$(stat_key "$CG" anon total_rss) && fa=$(stat_key "$CG" file total_cache) &&
	ml cgroups --json "$REL" >doc &&
	b=$(stat_key "$CG" anon total_rss) && fb=$(stat_key "$CG" file total_cache) &&
	anon=$(jq ".cgroups[0].memory.anon" doc) && file=$(jq ".cgroups[0].memory.file" doc) &&
	between "$a" "$b" "$anon" && between "$fa" "$fb" "$file" &&
	between $((64 * MiB)) $((72 * MiB)) "$anon" &&
	between $((32 * MiB)) $((40 * MiB)) "$file" &&
	cur=$(jq ".cgroups[0].memory.current" doc) &&
	test "$cur" -ge $((anon + file)) &&
	test "$(jq ".cgroups[0].memory.working_set" doc)" -le "$cur"
'

# A PSS is not monotonic: the share of a shared page moves as other processes
# map and unmap it. The helper is static (it shares no libc), and the bracket
# is a pair of equal reads around memlens, tried again if the share moved.
pss_of_helper() {
	awk "/^Pss:/ { print \$2 * 1024 }" /proc/$HPID/smaps_rollup
}

pss_sum_agrees() {
	tries=0
	while [ $tries -lt 50 ]; do
		tries=$((tries + 1))
		a=$(pss_of_helper) && ml cgroups --json "$REL" >doc && b=$(pss_of_helper) ||
			return 1
		[ "$a" = "$b" ] || continue
		test "$(jq ".cgroups[0].processes.listed" doc)" = 1 &&
			test "$(jq ".cgroups[0].processes.readable" doc)" = 1 &&
			test "$(jq ".cgroups[0].processes.pss" doc)" = "$a" &&
			between $((64 * MiB)) $((80 * MiB)) "$a"
		return
	done
	echo "the helper's PSS kept moving for $tries tries"
	return 1
}

test_expect_success 'the member PSS sum: the helper'"'"'s smaps_rollup Pss, read around memlens' '
	pss_sum_agrees
'

test_expect_success 'the text report shows the helper as a member, and the limit' '
	ml cgroups "$REL" >out 2>err && test ! -s err &&
	grep -q "^  processes  1 (1 directly), PSS " out &&
	grep -q "^ *$HPID .* \.   .*cg-helper 64 32 " out &&
	grep -q "^  limits     \(limit\|max\) unlimited" out
'

test_expect_success 'a limit set on the test cgroup: LIMIT and HEADROOM follow it' '
	if [ "$VER" = 2 ]; then L="$CG/memory.max"; else L="$CG/memory.limit_in_bytes"; fi &&
	echo $((512 * MiB)) >"$L" &&
	ml cgroups --json "$REL" >doc &&
	{ echo max >"$L" 2>/dev/null || echo -1 >"$L"; } &&
	test "$(jq ".cgroups[0].limits.max.bytes" doc)" = $((512 * MiB)) &&
	test "$(jq -r ".cgroups[0].headroom.cgroup" doc)" = "$REL" &&
	h=$(jq ".cgroups[0].headroom.bytes" doc) && c=$(jq ".cgroups[0].memory.current" doc) &&
	between $((512 * MiB - c - 4 * MiB)) $((512 * MiB - c + 4 * MiB)) "$h"
'

test_expect_success 'the whole hierarchy: the test cgroup is in the tree, no warning' '
	ml cgroups --flat --sort name >out 2>err && test ! -s err &&
	ml cgroups --json --flat >doc 2>err && test ! -s err &&
	jq -e --arg p "$REL" "any(.cgroups[]; .path == \$p and .processes.listed == 1)" doc >/dev/null
'

test_expect_success 'the cgroup removed: memlens says there is no such cgroup' '
	kill $CG_PIDS && wait $CG_PIDS 2>/dev/null; CG_PIDS= &&
	for i in 1 2 3 4 5 6 7 8 9 10; do rmdir "$CG" 2>/dev/null && break; sleep 0.2; done &&
	test ! -d "$CG" &&
	test_expect_code 1 ml cgroups "$REL" >out 2>err &&
	grep -q "^memlens: no cgroup $REL in " err
'

test_done
