#!/bin/sh
# memlens explain on its fixture trees (tests/fixtures/explain/, written by
# explain-generate.py): the healthy tree finds nothing, each other tree
# makes its rule fire; exit status 3 on a warning; every evidence value that
# names a memlens command equals what that command's JSON shows (one source
# of truth); the text report; --rules and --set; the summary's lines.
. "$TOP_SRCDIR/tests/cli/lib.sh"

EXP="$TOP_SRCDIR/tests/cli/expected"
X="$FIXTURES/explain"

# ex TREE ARGS...: memlens explain on tree TREE (its proc and sys roots).
ex() {
	_t=$1
	shift
	ml --proc-root "$X/$_t/proc" --sys-root "$X/$_t/sys" explain "$@"
}

# exj TREE ARGS...: the same, for its output: exit 0 or 3 (a finding) is not a failure.
exj() {
	ex "$@"
	_rc=$?
	test $_rc = 0 || test $_rc = 3
}

# "tree rule severity exit": what each tree makes fire, and the exit status.
cat >"$TEST_ROOT/trees" <<'EOF'
available-low available warning 3
commit commit warning 3
oom oom note 0
pressure pressure warning 3
zones zone critical 3
swap-full swap warning 3
fragmentation fragmentation warning 3
compaction compaction note 0
slab-unreclaim slab-unreclaim warning 3
slab-waste slab-waste note 0
hidden-cache hidden-cache warning 3
unaccounted unaccounted warning 3
zswap zswap note 0
numa numa warning 3
thp thp note 0
khugepaged khugepaged note 0
zram zram note 0
accounting accounting note 0
EOF

test_expect_success 'every tree of tests/fixtures/explain is in this test' '
	for d in "$X"/*/; do
		t=$(basename "$d")
		test "$t" = healthy || grep -q "^$t " "$TEST_ROOT/trees" || { echo "not tested: $t"; exit 1; }
	done
'

test_expect_success 'healthy: no finding, exit 0; not judged: the rules that need a window, and cgroups (no hierarchy)' '
	test_expect_code 0 ex healthy --json >json &&
	test "$(jq ".findings | length" json)" = 0 &&
	test "$(json_get json .exit_status)" = 0 &&
	test "$(jq -c "[.not_judged[].rule]" json)" = "[\"leak\",\"cgroup\",\"slab-reclaim\"]" &&
	test "$(jq .worst json)" = null &&
	test "$(jq .window json)" = null &&
	json_validate explain.schema.json json
'

while read -r tree rule severity status; do
	test_expect_success "$tree: $rule fires ($severity) and no other rule; exit $status" "
		test_expect_code $status ex $tree --json >json &&
		json_validate explain.schema.json json &&
		test \"\$(jq -r '[.findings[].rule] | unique | join(\" \")' json)\" = $rule &&
		test \"\$(json_get json '.findings[0].severity')\" = $severity &&
		test \"\$(json_get json .exit_status)\" = $status &&
		test \"\$(json_get json .worst)\" = $severity
	"
done <"$TEST_ROOT/trees"

# One source of truth: every evidence with "see" is the value of that jq
# filter on that command's JSON, over the same roots.
test_expect_success 'every evidence value equals the JSON of the memlens command that shows it' '
	checked=0 &&
	for t in $(cut -d" " -f1 "$TEST_ROOT/trees"); do
		exj $t --json >ex.json
		jq -c ".findings[].evidence[] | select(.see != null) | [.see.command, .see.jq, .value]" ex.json >see
		while read -r row; do
			cmd=$(echo "$row" | jq -r ".[0]") &&
			filter=$(echo "$row" | jq -r ".[1]") &&
			want=$(echo "$row" | jq -c ".[2]") &&
			test -f "$cmd.$t.json" || ml --proc-root "$X/$t/proc" --sys-root "$X/$t/sys" "$cmd" --json >"$cmd.$t.json" &&
			got=$(jq -c "$filter" "$cmd.$t.json") &&
			if ! jq -n --argjson a "$want" --argjson b "$got" -e "\$a == \$b" >/dev/null; then
				echo "$t: $cmd | $filter: explain says $want, $cmd says $got"
				exit 1
			fi
			checked=$((checked + 1))
		done <see
	done &&
	echo "$checked values checked" &&
	test "$checked" -ge 30
'

test_expect_success 'evidence read from a file names it under the proc root; derived values none' '
	exj zones --json >json &&
	test "$(json_get json ".findings[0].evidence[] | select(.name == \"free pages\") | .file")" = "$X/zones/proc/zoneinfo" &&
	test "$(jq ".findings[0].evidence[] | select(.name == \"state\") | .file" json)" = null &&
	exj available-low --json >json &&
	test "$(json_get json ".findings[0].evidence[] | select(.name == \"MemAvailable\") | .file")" = "$X/available-low/proc/meminfo" &&
	test "$(jq ".findings[0].evidence[] | select(.name == \"available share\") | .file" json)" = null
'

test_expect_success 'a finding: thresholds as applied, formula with the values, next' '
	exj available-low --json >json &&
	jq -e ".findings[0].thresholds | .warn_pct == 10 and .crit_pct == 5 and .watch_pct == 25" json &&
	json_get json ".findings[0].formula" | grep -qx "MemAvailable / MemTotal = 8.7% < 10%" &&
	json_get json ".findings[0].headline" | grep -qx "only 1.39 GiB available, 8.7% of MemTotal" &&
	json_get json ".findings[0].next" | grep -q "memlens summary"
'

test_expect_success 'critical before warning, and within one the furthest past first' '
	exj zones --json >json &&
	test "$(jq -c "[.findings[] | [.severity, .subject]]" json)" = "[[\"critical\",\"Node 0 Normal\"],[\"warning\",\"Node 0 DMA32\"]]" &&
	test "$(jq -c .counts json)" = "{\"critical\":1,\"warning\":1,\"note\":0}"
'

test_expect_success 'text report of the zones tree' '
	mkdir t && cp -R "$X/zones/proc" "$X/zones/sys" t/ &&
	test_expect_code 3 ml --proc-root t/proc --sys-root t/sys explain >out &&
	strip_time <out >actual &&
	test_cmp "$EXP/explain-zones.txt" actual
'

test_expect_success 'text report of the healthy tree' '
	mkdir t && cp -R "$X/healthy/proc" "$X/healthy/sys" t/ &&
	ml --proc-root t/proc --sys-root t/sys explain >out &&
	strip_time <out >actual &&
	test_cmp "$EXP/explain-healthy.txt" actual
'

test_expect_success 'sizes follow -k, -b and --si in text, never in JSON' '
	exj available-low -k >k && grep -q "^WARNING  available: only 1453916 available" k &&
	exj available-low -b >b && grep -q "^WARNING  available: only 1488809984 available" b &&
	exj available-low --si >s && grep -q "^WARNING  available: only 1.49 GB available" s &&
	exj available-low --json -k >j && json_get j ".findings[0].headline" | grep -q "1.39 GiB"
'

test_expect_success '--set moves a threshold: the finding goes, the exit status is 0' '
	test_expect_code 0 ex available-low --set available.warn_pct=8 --json >json &&
	test "$(jq ".findings | length" json)" = 0 &&
	test_expect_code 3 ex healthy --set hidden-cache.warn_pct=1 --set hidden-cache.note_pct=0.5 --json >json &&
	test "$(json_get json ".findings[0].rule")" = hidden-cache &&
	jq -e ".findings[0].thresholds.warn_pct == 1" json
'

test_expect_success '--set errors are usage errors that say what exists' '
	test_expect_code 2 ex healthy --set nosuch.key=1 2>err &&
	grep -q "no rule .nosuch. (the rules: available, commit, oom" err &&
	test_expect_code 2 ex healthy --set available.nokey=1 2>err &&
	grep -q "rule .available. has no key .nokey. (its keys: warn_pct, crit_pct" err &&
	test_expect_code 2 ex healthy --set available.warn_pct=200 2>err &&
	grep -q "invalid value .200. for available.warn_pct: give a number from 0 to 100" err &&
	test_expect_code 2 ex healthy --set available 2>err &&
	grep -q "RULE.KEY=VALUE" err &&
	grep -q "Try .memlens explain --help." err
'

test_expect_success '--rules lists every rule and threshold, with --set applied' '
	ml explain --rules >rules &&
	grep -q "^available: Memory exhaustion$" rules &&
	grep -q "^  available.warn_pct=10  *warning when MemAvailable is below this share of MemTotal$" rules &&
	test "$(grep -c "^[a-z-]*: " rules)" -ge 13 &&
	ml explain --rules --set zone.stall_per_s=5 >rules &&
	grep -q "^  zone.stall_per_s=5  *.*(default 1)$" rules
'

test_expect_success 'window and arguments: usage errors' '
	test_expect_code 2 ml explain --window 5 -n 2 2>err && grep -q "one report" err &&
	test_expect_code 2 ml explain --window 5x 2>err && grep -q "invalid --window" err &&
	test_expect_code 2 ml explain --window 0 2>err &&
	test_expect_code 1 ml explain foo 2>err && grep -q "cannot read capture foo" err
'

test_expect_success 'a fixture over a window: readings, interval, nothing moves so no rate fires' '
	ex healthy --window 0.3 -i 0.1 --json >json &&
	json_validate explain.schema.json json &&
	test "$(jq ".window.readings >= 3" json)" = true &&
	test "$(jq ".window.seconds > 0.2" json)" = true &&
	test "$(jq ".findings | length" json)" = 0 &&
	test "$(jq -c "[.not_judged[].rule]" json)" = "[\"cgroup\"]"
'

test_expect_success '-i and -n: one document per interval, each judging it' '
	ex zones -i 0.05 -n 3 --json >lines; test $? = 3 &&
	test "$(wc -l <lines)" = 3 &&
	json_validate explain.schema.json lines &&
	test "$(jq -s "[.[].window.readings] | unique" lines | jq -c .)" = "[2]"
'

test_expect_success 'meminfo unreadable: exit 1 with the file named' '
	mkdir -p t/proc && cp "$X/healthy/proc/vmstat" t/proc/ &&
	test_expect_code 1 ml --proc-root t/proc explain 2>err &&
	grep -q "t/proc/meminfo" err
'

test_expect_success 'summary ends with the worst findings, the same as explain finds' '
	ml --proc-root "$X/zones/proc" --sys-root "$X/zones/sys" summary >out &&
	tail -5 out | grep -q "^Findings 1 critical, 1 warning (memlens explain: the evidence, and what to do)$" &&
	tail -5 out | grep -q "^  critical zone: Node 0 Normal has 14000 pages (54.7 MiB) free, at or below$" &&
	ml --proc-root "$X/zones/proc" --sys-root "$X/zones/sys" summary --json >s.json &&
	exj zones --json >e.json &&
	test "$(jq -c .findings.counts s.json)" = "$(jq -c .counts e.json)" &&
	test "$(jq -c "[.findings.top[] | [.rule, .severity, .subject, .headline]]" s.json)" = \
		"$(jq -c "[.findings[] | [.rule, .severity, .subject, .headline]]" e.json)" &&
	json_validate summary.schema.json s.json
'

test_expect_success 'summary: its exit status does not depend on the findings' '
	ml --proc-root "$X/zones/proc" --sys-root "$X/zones/sys" summary >/dev/null
'

test_done
