#!/bin/sh
# memlens explain on captures: every fixture tree of tests/fixtures/explain
# captured (a directory and a .tar.gz) gives the findings of the tree itself;
# memlens explain A [B] judges the window between two captures (or a capture
# and now) with the captures' times, refuses B before A, judges B alone after
# a reboot, and does not take -i or --window with a capture.
. "$TOP_SRCDIR/tests/cli/lib.sh"

X="$FIXTURES/explain"

# norm ROOT SYSROOT: a document without its source, its roots as ROOT/ and SYSROOT/.
norm() {
	jq -S --arg r "$1/" --arg s "$2/" 'del(.source) |
		walk(if type == "string" then (split($r) | join("ROOT/") | split($s) | join("SYSROOT/"))
		else . end)'
}

# tree T: a writable copy of explain's fixture tree T in ./t (proc and sys).
tree() {
	mkdir t && cp -R "$X/$1/proc" "$X/$1/sys" t/ && chmod -R u+w t
}

# cap OUT: capture ./t to OUT.
cap() {
	ml --proc-root t/proc --sys-root t/sys capture -o "$1" >/dev/null
}

# set_time CAPDIR SECONDS: the capture directory's manifest says it started at
# SECONDS (the wall clock; its monotonic clock the same less T0).
set_time() {
	jq --argjson t "$2" --argjson t0 "$T0" '.time.unix_start = $t | .time.unix_end = $t + 0.2 |
		.time.monotonic_start = $t - $t0 | .time.monotonic_end = $t - $t0 + 0.2' \
		"$1/memlens-capture.json" >m.json && mv m.json "$1/memlens-capture.json"
}

# T: the time the tests give capture A (whole seconds: differences are exact).
T=1796576800
T0=1796000000

# grow: what happens on the tree between A and B (10 minutes in the tests
# below): 90000 pages swapped in and 120000 out, 2 OOM kills, MemAvailable
# down by 400000 kB (2.4% of MemTotal).
grow() {
	sed -i 's/^pswpin .*/pswpin 90000/; s/^pswpout .*/pswpout 120000/; s/^oom_kill .*/oom_kill 2/' \
		t/proc/vmstat &&
	avail=$(awk '/^MemAvailable:/ { print $2 }' t/proc/meminfo) &&
	sed -i "s/^MemAvailable: .*/MemAvailable:   $((avail - 400000)) kB/" t/proc/meminfo
}

for t in $(cd "$X" && ls -d */ | tr -d /); do
	test_expect_success "$t captured (a directory and a .tar.gz): the findings of the tree" '
		ml --proc-root "$X/'$t'/proc" --sys-root "$X/'$t'/sys" explain --json >d.raw
		rd=$? &&
		norm "$X/'$t'/proc" "$X/'$t'/sys" <d.raw >d.json &&
		ml --proc-root "$X/'$t'/proc" --sys-root "$X/'$t'/sys" explain -b >d.txt
		for o in cap.tar.gz capdir; do
			ml --proc-root "$X/'$t'/proc" --sys-root "$X/'$t'/sys" capture -o $o >/dev/null &&
			ml --capture $o explain --json >c.raw
			rc=$?
			test "$rd" = "$rc" || { echo "exit $rd on the tree, $rc on $o"; exit 1; }
			# A capture says of a file it lacks that it is "not in it".
			jq ".not_judged[].why |= sub(\" \\\\(not in it\\\\)$\"; \"\")" c.raw |
				norm "$o/proc" "$o/sys" >c.json &&
			diff -u d.json c.json || exit 1
			test "$(jq -r .source.capture.path c.raw)" = $o || exit 1
			ml --capture $o explain -b >c.txt
			# The report below the header: paths of the capture for the tree.
			tail -n +3 d.txt | sed "s|$X/'$t'/||" >d.body &&
			tail -n +3 c.txt | sed "s|$o/||; s| (not in it)$||" >c.body &&
			diff -u d.body c.body || exit 1
		done &&
		json_validate explain.schema.json c.raw
	'
done

test_expect_success 'a capture holds what the rules read: overcommit, THP and khugepaged settings, every node' '
	ml --proc-root "$X/numa/proc" --sys-root "$X/numa/sys" capture -o cap >/dev/null &&
	for f in proc/sys/vm/overcommit_memory sys/kernel/mm/transparent_hugepage/enabled \
		sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none \
		sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed \
		sys/devices/system/node/node0/meminfo sys/devices/system/node/node1/meminfo; do
		test -f cap/$f || { echo "not captured: $f"; exit 1; }
	done &&
	test_expect_code 3 ml --capture cap explain --json >j &&
	test "$(jq -c "[.not_judged[].rule]" j)" = "[\"leak\",\"cgroup\",\"slab-reclaim\"]"
'

test_expect_success 'explain A B: the window between two captures, from their manifests' '
	tree healthy && cap A && grow && cap B &&
	set_time A $T && set_time B $((T + 600)) &&
	test_expect_code 3 ml explain A B --json >j &&
	json_validate explain.schema.json j &&
	test "$(jq -c .window j)" = "{\"seconds\":600,\"readings\":2,\"interval\":600,\"ended_early\":false,\"captures\":[\"A\",\"B\"]}" &&
	test "$(jq -c "[.findings[] | [.rule, .severity]]" j)" = "[[\"oom\",\"critical\"],[\"swap\",\"warning\"],[\"available\",\"note\"]]" &&
	test "$(jq "[.findings[] | select(.rule == \"oom\") | .evidence[] | select(.name == \"OOM kills\") | .value][0]" j)" = 2 &&
	test "$(jq "[.findings[] | select(.rule == \"swap\") | .evidence[] | select(.name == \"pswpin per second\") | .value][0]" j)" = 150 &&
	test "$(jq "[.findings[] | select(.rule == \"swap\") | .evidence[] | select(.name == \"pswpout per second\") | .value][0]" j)" = 200 &&
	test "$(jq -r "[.findings[] | select(.rule == \"swap\") | .evidence[] | select(.name == \"pswpin\") | .file][0]" j)" = B/proc/vmstat &&
	ml explain A B >txt
	grep -q "^Window   10 min from capture A to capture B$" txt &&
	grep -q "^CRITICAL oom: 2 OOM kills in 10 min" txt
'

test_expect_success 'explain A B: every evidence value equals the JSON of the command on B' '
	tree healthy && cap A && grow && cap B &&
	set_time A $T && set_time B $((T + 600)) &&
	test_expect_code 3 ml explain A B --json >j &&
	jq -c ".findings[].evidence[] | select(.see != null) | [.see.command, .see.jq, .value]" j >see &&
	checked=0 &&
	while read -r row; do
		cmd=$(echo "$row" | jq -r ".[0]") &&
		filter=$(echo "$row" | jq -r ".[1]") &&
		want=$(echo "$row" | jq -c ".[2]") &&
		ml --capture B "$cmd" --json >c.json &&
		got=$(jq -c "$filter" c.json) &&
		jq -n --argjson a "$want" --argjson b "$got" -e "\$a == \$b" >/dev/null ||
			{ echo "$cmd | $filter: explain says $want, $cmd says $got"; exit 1; }
		checked=$((checked + 1))
	done <see &&
	test "$checked" -ge 3
'

test_expect_success 'explain A B: A a .tar.gz, B a directory; --capture B explain A is the same' '
	tree healthy && cap A.tar.gz && grow && cap B &&
	tar -xzOf A.tar.gz memlens-capture.json | jq .time >ta.json &&
	jq --slurpfile a ta.json ".time.unix_start = \$a[0].unix_start + 600 |
		.time.monotonic_start = \$a[0].monotonic_start + 600" B/memlens-capture.json >m.json &&
	mv m.json B/memlens-capture.json &&
	test_expect_code 3 ml explain A.tar.gz B --json >j1 &&
	jq -e ".window.seconds > 599.99 and .window.seconds < 600.01" j1 >/dev/null &&
	test_expect_code 3 ml --capture B explain A.tar.gz --json >j2 &&
	jq -S "del(.source, .window.captures)" j1 >n1 && jq -S "del(.source, .window.captures)" j2 >n2 &&
	diff -u n1 n2 &&
	test "$(jq -c .window.captures j2)" = "[\"A.tar.gz\",null]"
'

test_expect_success 'explain A: from capture A to now (the tree as it is)' '
	tree healthy && cap A && grow &&
	set_time A "$(($(date +%s) - 3600))" &&
	test_expect_code 3 ml --proc-root t/proc --sys-root t/sys explain A --json >j &&
	test "$(jq -c .window.captures j)" = "[\"A\",null]" &&
	jq -e ".window.seconds > 3590 and .window.seconds < 3700" j >/dev/null &&
	test "$(jq "[.findings[] | select(.rule == \"oom\") | .evidence[] | select(.name == \"OOM kills\") | .value][0]" j)" = 2 &&
	test "$(jq -r "[.findings[] | select(.rule == \"oom\") | .evidence[] | select(.name == \"oom_kill\") | .file][0]" j)" = t/proc/vmstat
'

test_expect_success 'explain A B with nothing between them: no window finding, exit 0; two readings are no fit' '
	tree healthy && cap A && cap B &&
	set_time A $T && set_time B $((T + 600)) &&
	test_expect_code 0 ml explain A B --json >j &&
	test "$(jq ".findings | length" j)" = 0 &&
	test "$(jq -c "[.not_judged[].rule]" j)" = "[\"leak\",\"cgroup\"]" &&
	jq -r ".not_judged[0].why" j | grep -q "^2 readings; a steady growth needs three or more$"
'

test_expect_success 'B before A: exit 1, saying which comes first' '
	tree healthy && cap A && cap B &&
	set_time B $T && set_time A $((T + 600)) &&
	test_expect_code 1 ml explain A B >out 2>err &&
	test ! -s out &&
	grep -q "^memlens: A was taken after B: give the captures in the order they were taken$" err
'

test_expect_success 'after a reboot (another boot_id): B judged alone, with a warning' '
	tree healthy && cap A && grow && cap B &&
	set_time A $T && set_time B $((T + 600)) &&
	for c in A B; do
		jq --arg b "$c-boot" ".boot_id = \$b" $c/memlens-capture.json >m && mv m $c/memlens-capture.json || exit 1
	done &&
	ml explain A B --json >j 2>err
	rc=$?
	test $rc = 0 &&
	grep -q "warning: B is after a reboot (boot_id B-boot, A.s A-boot)" err &&
	test "$(jq .window j)" = null &&
	test "$(jq -c "[.findings[] | [.rule, .severity]]" j)" = "[[\"oom\",\"note\"]]"
'

test_expect_success 'a capture is one moment: -i, -n and --window with one are usage errors' '
	tree healthy && cap A && cap B &&
	test_expect_code 2 ml explain A B --window 10 2>e1 &&
	grep -q "a capture is one moment" e1 &&
	test_expect_code 2 ml --capture A explain -i 1 -n 2 2>e2 &&
	grep -q "a capture is one moment" e2 &&
	test_expect_code 2 ml --capture A explain --window 5 2>e3
'

test_expect_success 'not a capture: exit 1, the path named' '
	mkdir empty &&
	test_expect_code 1 ml explain empty 2>err &&
	grep -q "empty" err &&
	test_expect_code 1 ml explain no-such-capture 2>err2 &&
	grep -q "no-such-capture" err2
'

test_done
