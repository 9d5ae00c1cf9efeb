#!/bin/sh
# The cgroup rule on the healthy explain tree with the cgroup v2 hierarchy
# of tests/fixtures/cgroup-v2-systemd: OOM kills of a cgroup's own since it
# was made (a note) and in a window of two captures (critical); a working
# set near memory.max (warning, critical; not just below); a cgroup above
# memory.high; every evidence value is memlens cgroups --json's.
. "$TOP_SRCDIR/tests/cli/lib.sh"

X="$FIXTURES/explain"
CG="$FIXTURES/cgroup-v2-systemd"
NGINX=t/sys/fs/cgroup/system.slice/nginx.service
PG=t/sys/fs/cgroup/system.slice/postgresql.service

# tree: ./t, the healthy tree with the systemd cgroup hierarchy.
tree() {
	mkdir t && cp -R "$X/healthy/proc" "$X/healthy/sys" t/ &&
		mkdir -p t/proc/self t/sys/fs && cp "$CG/proc/self/mountinfo" t/proc/self/ &&
		cp -R "$CG/sys/fs/cgroup" t/sys/fs/ && chmod -R u+w t
}

ex() {
	ml --proc-root t/proc --sys-root t/sys explain "$@"
}

# cgf DOC: the cgroup findings of DOC as "severity subject".
cgf() {
	jq -r '.findings[] | select(.rule == "cgroup") | "\(.severity) \(.subject)"' "$1"
}

# same_as_cgroups DOC: every evidence value of DOC that names memlens cgroups is its JSON's.
same_as_cgroups() {
	ml --proc-root t/proc --sys-root t/sys cgroups --json >cg.json &&
	jq -c ".findings[] | select(.rule == \"cgroup\") | .evidence[] | select(.see != null) | [.see.command, .see.jq, .value]" "$1" >see &&
	test -s see &&
	while read -r row; do
		test "$(echo "$row" | jq -r ".[0]")" = cgroups || exit 1
		filter=$(echo "$row" | jq -r ".[1]") &&
		want=$(echo "$row" | jq -c ".[2]") &&
		got=$(jq -c "$filter" cg.json) &&
		jq -n --argjson a "$want" --argjson b "$got" -e "\$a == \$b" >/dev/null ||
			{ echo "$filter: explain says $want, cgroups says $got"; return 1; }
	done <see
}

test_expect_success 'one reading: nginx.service OOM-killed twice (its own), a note; nothing else' '
	tree &&
	test_expect_code 0 ex --json >j &&
	json_validate explain.schema.json j &&
	cgf j >got && echo "note /system.slice/nginx.service" >want && test_cmp want got &&
	test "$(jq "[.findings[] | select(.rule == \"cgroup\") | .evidence[] | select(.name == \"own OOM kills\") | .value][0]" j)" = 2 &&
	test "$(jq -r "[.findings[] | select(.rule == \"cgroup\") | .evidence[] | select(.name == \"oom_kill\") | .file][0]" j)" = "$NGINX/memory.events" &&
	same_as_cgroups j
'

test_expect_success 'a tree without mountinfo: the cgroup rule is not judged, with the reason' '
	tree && rm t/proc/self/mountinfo &&
	ex --json >j &&
	jq -r ".not_judged[] | select(.rule == \"cgroup\") | .why" j | grep -q "self/mountinfo"
'

# wset BYTES: nginx.service charged BYTES with no inactive page cache (its working set).
wset() {
	echo "$1" >$NGINX/memory.current &&
	sed -i "s/^inactive_file .*/inactive_file 0/" $NGINX/memory.stat
}

test_expect_success 'working set at 90% of memory.max: a warning; a byte below: none' '
	tree &&
	wset 241591911 &&
	test_expect_code 3 ex --json >j &&
	test "$(cgf j | head -n 1)" = "warning /system.slice/nginx.service" &&
	test "$(jq "[.findings[] | select(.rule == \"cgroup\" and .severity == \"warning\") | .evidence[] | select(.name == \"memory.max\") | .value][0]" j)" = 268435456 &&
	test "$(jq "[.findings[] | select(.rule == \"cgroup\" and .severity == \"warning\") | .evidence[] | select(.name == \"working set\") | .value][0]" j)" = 241591911 &&
	same_as_cgroups j &&
	wset 241591910 &&
	test_expect_code 0 ex --json >j2 &&
	test "$(cgf j2)" = "note /system.slice/nginx.service"
'

test_expect_success 'working set at 98%: critical; --set cgroup.wset_crit_pct moves it' '
	tree &&
	wset 263066747 &&
	test_expect_code 3 ex --json >j &&
	test "$(cgf j | head -n 1)" = "critical /system.slice/nginx.service" &&
	test_expect_code 3 ex --set cgroup.wset_crit_pct=99 --json >j2 &&
	test "$(cgf j2 | head -n 1)" = "warning /system.slice/nginx.service"
'

test_expect_success 'postgresql.service above its memory.high: a warning, with its high events' '
	tree &&
	echo 1700000000 >$PG/memory.current &&
	test_expect_code 3 ex --json >j &&
	cgf j | grep -qx "warning /system.slice/postgresql.service" &&
	test "$(jq "[.findings[] | select(.subject == \"/system.slice/postgresql.service\") | .evidence[] | select(.name == \"high events\") | .value][0]" j)" = 4100 &&
	same_as_cgroups j &&
	echo 1610612736 >$PG/memory.current &&
	ex --json >j2 &&
	! cgf j2 | grep -q postgresql
'

test_expect_success 'two captures ten minutes apart: a new OOM kill in nginx.service is critical' '
	tree &&
	ml --proc-root t/proc --sys-root t/sys capture -o A >/dev/null &&
	test -f A/sys/fs/cgroup/system.slice/nginx.service/memory.events &&
	sed -i "s/^oom_kill 2$/oom_kill 3/; s/^oom 2$/oom 3/" $NGINX/memory.events &&
	ml --proc-root t/proc --sys-root t/sys capture -o B >/dev/null &&
	for c in A B; do
		jq --argjson d $([ $c = A ] && echo 0 || echo 600) \
			".time.unix_start = 1796576800 + \$d | .time.monotonic_start = 500000 + \$d" \
			$c/memlens-capture.json >m && mv m $c/memlens-capture.json || exit 1
	done &&
	test_expect_code 3 ml explain A B --json >j &&
	cgf j >got && echo "critical /system.slice/nginx.service" >want && test_cmp want got &&
	test "$(jq "[.findings[] | select(.rule == \"cgroup\") | .evidence[] | select(.name == \"new OOM kills\") | .value][0]" j)" = 1 &&
	ml explain A B >txt
	grep -q "cgroup /system.slice/nginx.service: 1 OOM kills in 10 min" txt
'

test_done
