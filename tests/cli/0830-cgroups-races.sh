#!/bin/sh
# memlens cgroups while the hierarchy changes under it (live; see
# lib-cgroup.sh): cgroups removed and created while they are walked, member
# processes that exit between cgroup.procs and their smaps_rollup, a process
# that moves between two cgroups while they are read. Each run must exit 0
# with nothing on stderr (a cgroup or a process that went away is skipped,
# not an error) and a document that matches the schema.
. "$TOP_SRCDIR/tests/cli/lib.sh"
. "$TOP_SRCDIR/tests/cli/lib-cgroup.sh"

CHURN="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/churn"
[ -x "$CHURN" ] || { test_skip 'cgroup races' 'tests/helpers/churn is not built'; test_done; }
cg_live_setup 'cgroup races'
RUNS=${MEMLENS_RACE_RUNS:-30}
have_schema=true
/usr/bin/python3 -c "import jsonschema" 2>/dev/null || have_schema=false

# runs N ARGS...: memlens cgroups ARGS N times; all exit 0, stderr empty; the
# JSON ones (one per line in docs) match the schema; their skipped counts are summed.
runs() {
	_n=$1
	shift
	_i=0
	: >docs
	while [ $_i -lt "$_n" ]; do
		ml cgroups --json "$@" >>docs 2>err || { echo "run $_i: exit $?"; cat err; return 1; }
		[ -s err ] && { echo "run $_i: stderr:"; cat err; return 1; }
		_i=$((_i + 1))
	done
	if $have_schema; then json_validate cgroups.schema.json docs || return 1; fi
	jq -s "[.[].skipped.$SUM] | add" docs >sum
}

test_expect_success 'cgroups removed and created while they are walked: skipped, never an error' '
	i=0 && while [ $i -lt 60 ]; do mkdir "$CG/c$i" && i=$((i + 1)); done &&
	( end=$(($(date +%s) + 60)); while [ "$(date +%s)" -lt $end ] && [ -d "$CG" ]; do
		j=0; while [ $j -lt 60 ]; do rmdir "$CG/c$j" 2>/dev/null; mkdir "$CG/c$j" 2>/dev/null; j=$((j + 1)); done
	done ) &
	FLIP=$! &&
	SUM=vanished runs "$RUNS" "$REL" &&
	kill $FLIP && wait $FLIP 2>/dev/null;
	kill $FLIP 2>/dev/null; say "cgroups skipped as removed over $RUNS runs: $(cat sum)"
'

test_expect_success 'member processes that exit while they are read: skipped, never an error' '
	cg_run "$CG" "$CHURN" spawn 120 100 >/dev/null &&
	sleep 0.5 &&
	SUM=members_exited runs "$RUNS" "$REL" &&
	say "members gone before they were read over $RUNS runs: $(cat sum)"
'

test_expect_success 'a process moving between two cgroups while they are read: counted once' '
	mkdir -p "$CG/a" "$CG/b" &&
	cg_run "$CG/a" sleep 600 && MOVER=${CG_PIDS##* } &&
	( end=$(($(date +%s) + 60)); while [ "$(date +%s)" -lt $end ]; do
		echo $MOVER >"$CG/b/cgroup.procs" 2>/dev/null; echo $MOVER >"$CG/a/cgroup.procs" 2>/dev/null
	done ) &
	SHUTTLE=$! &&
	SUM=members_moved runs "$RUNS" "$REL" &&
	kill $SHUTTLE && wait $SHUTTLE 2>/dev/null;
	kill $SHUTTLE 2>/dev/null;
	say "members listed twice over $RUNS runs: $(cat sum)" &&
	jq -s -e "all(.[]; [.cgroups[] | select(.path | endswith(\"/a\") or endswith(\"/b\")) | .processes.readable] | add <= 1)" docs >/dev/null
'

test_done
