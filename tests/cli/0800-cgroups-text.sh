#!/bin/sh
# memlens cgroups on the cgroup fixture trees (tests/fixtures/cgroup-*, made
# by cgroups-generate.py): the tree of each, the flat list, sort keys,
# --limit, --depth, one cgroup's details, and the sums of member PSS checked
# against the fixture's own smaps_rollup files.
. "$TOP_SRCDIR/tests/cli/lib.sh"

EXP="$TOP_SRCDIR/tests/cli/expected"
norm() {
	strip_time | sed "s|$FIXTURES/|FIXTURES/|g"
}
# cg TREE ARGS...: memlens cgroups on a fixture tree (proc and sys roots).
cg() {
	_t=$1
	shift
	ml --proc-root "$FIXTURES/$_t/proc" --sys-root "$FIXTURES/$_t/sys" cgroups "$@"
}

for t in cgroup-v2-systemd cgroup-v2-kubepods cgroup-hybrid cgroup-v1 cgroup-v2-partial \
	cgroup-v2-5.15 cgroup-odd-names; do
	test_expect_success "cgroups of $t: the tree, every column" "
		COLUMNS=200 cg $t >out 2>err &&
		norm <out >out.n &&
		test_cmp '$EXP/$t.txt' out.n
	"
done

test_expect_success 'cgroups at 80 columns: the most useful columns, the names cut with ~' '
	cg cgroup-v2-kubepods | norm >out &&
	test_cmp "$EXP/cgroup-v2-kubepods-80.txt" out &&
	sed -n "/^CGROUP/,/^$/p" out | awk "length > 80 { print; bad = 1 } END { exit bad }"
'

test_expect_success 'a tree read with bad lines says so on stderr, and only there' '
	COLUMNS=200 cg cgroup-v2-systemd >out 2>err && test ! -s err
'

test_expect_success 'hybrid host: memory is read on v1, and the header says why' '
	cg cgroup-hybrid >out &&
	grep -q "^cgroup v1 memory hierarchy at /sys/fs/cgroup/memory, read from" out &&
	grep -q "^hybrid host: the cgroup2 mount at /sys/fs/cgroup/unified has no memory controller (cgroup.controllers: none)$" out
'

test_expect_success 'the PSS of each cgroup is the sum of its members'"'"' smaps_rollup Pss' '
	T="$FIXTURES/cgroup-v2-systemd" &&
	for path in / /system.slice /system.slice/postgresql.service /user.slice; do
		want=$(find "$T/sys/fs/cgroup$path" -name cgroup.procs -exec cat {} + |
			while read -r pid; do
				f="$T/proc/$pid/smaps_rollup"
				[ -r "$f" ] && awk "/^Pss:/ { print \$2 }" "$f"
			done | awk "{ s += \$1 } END { print s * 1024 }") &&
		got=$(cg cgroup-v2-systemd --json "$path" | jq ".cgroups[0].processes.pss") &&
		test "$got" = "$want" || { echo "$path: $got != $want"; exit 1; }
	done
'

test_expect_success 'CURRENT, ANON and the working set are the files'"'"' figures (-b)' '
	D="$FIXTURES/cgroup-v2-systemd/sys/fs/cgroup/system.slice/nginx.service" &&
	COLUMNS=200 cg cgroup-v2-systemd -b --flat >out &&
	line=$(grep "^/system.slice/nginx.service " out) &&
	set -- $line &&
	test "$2" = "$(cat "$D/memory.current")" &&
	inactive=$(awk "\$1 == \"inactive_file\" { print \$2 }" "$D/memory.stat") &&
	test "$3" = $(( $(cat "$D/memory.current") - inactive )) &&
	test "$4" = "$(awk "\$1 == \"anon\" { print \$2 }" "$D/memory.stat")"
'

test_expect_success 'v1: the breakdown comes from the hierarchical total_* keys' '
	D="$FIXTURES/cgroup-v1/sys/fs/cgroup/memory/system.slice" &&
	COLUMNS=200 cg cgroup-v1 -b --flat >out &&
	set -- $(grep "^/system.slice " out) &&
	test "$2" = "$(cat "$D/memory.usage_in_bytes")" &&
	test "$4" = "$(awk "\$1 == \"total_rss\" { print \$2 }" "$D/memory.stat")" &&
	test "$4" != "$(awk "\$1 == \"rss\" { print \$2 }" "$D/memory.stat")"
'

test_expect_success '--flat: full paths, sorted by current over the whole tree' '
	COLUMNS=200 cg cgroup-v2-kubepods --flat >out &&
	sed -n "/^CGROUP/,/^$/p" out | sed "1d;/^$/d" | awk "{ print \$1 }" >paths &&
	head -n 2 paths >top &&
	printf "/kubepods.slice\n/kubepods.slice/kubepods-burstable.slice\n" >want &&
	test_cmp want top &&
	test "$(wc -l <paths)" = 16 &&
	tail -n 1 paths | grep -qx /
'

test_expect_success '--sort: each key puts the expected cgroup first (flat)' '
	first() { COLUMNS=200 cg cgroup-v2-systemd --flat --sort "$1" | sed -n "/^CGROUP/{n;p;q}" | awk "{print \$1}"; } &&
	test "$(first current)" = /system.slice &&
	test "$(first pss)" = / &&
	test "$(first headroom)" = /system.slice/nginx.service &&
	test "$(first oom)" = /system.slice/nginx.service &&
	test "$(first name)" = / &&
	test "$(first -name)" = /user.slice/user-1000.slice/session-3.scope &&
	test "$(first peak)" = /system.slice &&
	test "$(first pressure)" = /system.slice/postgresql.service &&
	test "$(first -current)" = /system.slice/cron.service
'

test_expect_success '--sort headroom: negative (above memory.high) first, unlimited after every limit' '
	COLUMNS=200 cg cgroup-v2-kubepods --flat --sort headroom >out &&
	sed -n "/^CGROUP/{n;p;q}" out | grep -q "^/kubepods.slice/kubepods-burstable.slice/kubepo~ .* -13.9 MiB h  " &&
	sed -n "/^CGROUP/,/^$/p" out | grep -v "^CGROUP" | grep . | tail -n 1 | grep -q unlimited
'

test_expect_success '--limit: at most N children under each cgroup (tree), N rows (flat)' '
	COLUMNS=200 cg cgroup-v2-systemd --limit 2 >out &&
	grep -q "postgresql.service" out && grep -q "nginx.service" out &&
	! grep -q "ssh.service" out &&
	grep -q "\`- \.\.\. 2 more$" out &&
	COLUMNS=200 cg cgroup-v2-systemd --flat --limit 3 >out &&
	test "$(sed -n "/^CGROUP/,/^$/p" out | grep -c "^/")" = 3 &&
	grep -q "\.\.\. 7 more" out
'

test_expect_success '--depth: only that many levels below PATH; deeper members still count' '
	COLUMNS=200 cg cgroup-v2-systemd --depth 1 >out &&
	! grep -q "postgresql" out && grep -q "system.slice" out &&
	grep "system.slice" out | grep -q "  7 " &&
	COLUMNS=200 cg cgroup-v2-systemd --depth 0 >out &&
	test "$(sed -n "/^CGROUP/,/^$/p" out | grep -c .)" = 2
'

test_expect_success 'PATH: the details of one cgroup, its members, then its subtree' '
	cg cgroup-v2-systemd /system.slice/postgresql.service >out &&
	grep -q "^/system.slice/postgresql.service (cgroup v2)$" out &&
	grep -q "^  limits     max 2.00 GiB, high 1.50 GiB, low 512 MiB, min 0 B$" out &&
	grep -q "^  headroom   394 MiB to memory.high of this cgroup$" out &&
	grep -q "^  pressure   some 1.25% 0.50% 0.10%" out &&
	grep -q "^Member processes" out &&
	grep -q "^  700   215 MiB   205 MiB   264 MiB  \.   /usr/lib/postgresql/16/bin/postgres -D /srv/pg$" out &&
	! grep -q "^CGROUP" out
'

test_expect_success 'PATH: a container of a pod, its headroom to the pod'"'"'s limit' '
	P=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7c2f1e4a_91b3_4d0e_8a55_0f2e6b9d1c33.slice &&
	C=$P/cri-containerd-ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12.scope &&
	cg cgroup-v2-kubepods $C >out &&
	grep -q "^  headroom   684 KiB to the limit of$" out &&
	cg cgroup-v2-kubepods $C --json >doc &&
	test "$(jq -r ".cgroups[0].headroom.cgroup" doc)" = "$P" &&
	test "$(jq -r ".cgroups[0].headroom.limit" doc)" = max &&
	test "$(jq -r ".cgroups[0].headroom.bytes" doc)" = $((256 * 1048576 - $(cat "$FIXTURES/cgroup-v2-kubepods/sys/fs/cgroup$P/memory.current")))
'

test_expect_success 'PATH as a file-system path of the mount, and with a space' '
	cg cgroup-v2-systemd /sys/fs/cgroup/system.slice/ssh.service | norm >a &&
	cg cgroup-v2-systemd system.slice//ssh.service/ | norm >b &&
	test_cmp a b &&
	cg cgroup-odd-names "/system.slice/with space.scope" >out &&
	grep -q "^/system.slice/with space.scope (cgroup v2)$" out &&
	grep -q "^cgroup v2 hierarchy at /sys/fs/cgroup/my cgroups, read from" out
'

test_expect_success 'v1 details: failcnt, memsw and soft limits, and what 3.10 does not print' '
	cg cgroup-v1 /system.slice/docker-4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e.scope >out &&
	grep -q "^  limits     limit 512 MiB, soft limit 256 MiB, memory+swap 1.00 GiB, kernel$" out &&
	grep -q "^  events     failcnt 1234, oom_kill n/a, under_oom 0, oom_kill_disable 0$" out &&
	grep -q "OOM kills: no memory.oom_control oom_kill (kernels before 4.13$" out &&
	grep -q "^  pressure   n/a: cgroup v1 has no memory.pressure$" out
'

test_expect_success 'a subtree without the memory controller: n/a with the reason, members counted' '
	COLUMNS=200 cg cgroup-v2-partial >out &&
	grep "legacyd.service" out | grep -q "n/a .* 1  3.42 MiB" &&
	grep -q "the memory controller is not enabled here (not in the parent" out &&
	cg cgroup-v2-partial /legacy.slice/legacyd.service >out &&
	grep -q "^/legacy.slice/legacyd.service (cgroup v2, no memory controller)$" out
'

test_expect_success 'a kernel without memory.peak (5.15): PEAK and KERNEL n/a, with the version' '
	COLUMNS=200 cg cgroup-v2-5.15 >out &&
	grep -q "PEAK n/a for 2 cgroups: no memory.peak (kernels before 5.19 have none)" out &&
	grep -q "KERNEL n/a for 2 cgroups: no memory.stat kernel (kernels before 5.18 have none)" out
'

test_expect_success 'sizes in KiB (-k), the unit said once' '
	cg cgroup-hybrid -k --flat >out &&
	grep -q "^(sizes in KiB)$" out &&
	grep -q "^/jobs/job-2c3d  *223232 " out
'

test_expect_success 'usage errors: two paths, "..", a bad --depth, an unknown sort key' '
	test_expect_code 2 cg cgroup-v2-systemd / /a 2>err &&
	test_expect_code 2 cg cgroup-v2-systemd /a/../b 2>err &&
	grep -q "invalid cgroup path" err &&
	test_expect_code 2 cg cgroup-v2-systemd --depth -1 2>err &&
	test_expect_code 2 cg cgroup-v2-systemd --depth x 2>err &&
	test_expect_code 2 cg cgroup-v2-systemd --sort rss 2>err &&
	grep -q "cannot sort by .rss." err
'

test_expect_success 'a PATH that is not there: exit 1 with the message' '
	test_expect_code 1 cg cgroup-v2-systemd /nope.slice >out 2>err &&
	grep -q "^memlens: no cgroup /nope.slice in .*cgroup-v2-systemd/sys/fs/cgroup: No such file or directory$" err
'

test_expect_success 'procs --group cgroup: one row per cgroup, its PSS the cgroup'"'"'s own members'"'"'' '
	T=cgroup-v2-kubepods &&
	ml --proc-root "$FIXTURES/$T/proc" --sys-root "$FIXTURES/$T/sys" procs --group cgroup --json >doc &&
	test "$(jq -r .group_by doc)" = cgroup &&
	test "$(jq ".groups | length" doc)" = 7 &&
	P=/system.slice/kubelet.service &&
	cg $T --json $P >cgdoc &&
	test "$(jq --arg p $P ".groups[] | select(.name == \$p) | .pss" doc)" = "$(jq ".cgroups[0].processes.pss" cgdoc)" &&
	ml --proc-root "$FIXTURES/$T/proc" --sys-root "$FIXTURES/$T/sys" procs --group cgroup >out &&
	grep -q "^CGROUP  *PROCS  *PSS" out &&
	grep -q "^/system.slice/kubelet.service  *1  *77.1 MiB " out &&
	if /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then json_validate procs.schema.json doc; fi
'

test_expect_success 'procs --group cgroup without a memory controller: exit 1, the reason' '
	mkdir -p p/self && echo "22 1 252:1 / / rw - ext4 /dev/vda1 rw" >p/self/mountinfo &&
	cp -R "$FIXTURES/cgroup-v2-systemd/proc/610" p/ &&
	test_expect_code 1 ml --proc-root p --sys-root p procs --group cgroup >out 2>err &&
	grep -q "^memlens: no memory controller mounted" err &&
	test_expect_code 2 ml --proc-root p procs --group pod 2>err &&
	grep -q "use user, command or cgroup" err
'

test_expect_success 'repeats with -n, one JSON document per line' '
	cg cgroup-v2-systemd -n 2 -i 0.05 --json >lines &&
	test "$(wc -l <lines)" = 2 &&
	jq -e ".command == \"cgroups\"" lines >/dev/null
'

test_done
