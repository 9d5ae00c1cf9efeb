#!/bin/sh
# memlens capture and --capture on fixture trees: a capture reads back as the
# tree it was taken from (every command, JSON and errors), as a directory and
# as each kind of archive; the manifest says what was tried and why a file
# could not be read, and matches its schema; the header says "capture of".
. "$TOP_SRCDIR/tests/cli/lib.sh"

# norm ROOT SYSROOT: a document without its source, its roots as ROOT/ and SYSROOT/.
norm() {
	jq -S --arg r "$1/" --arg s "$2/" --arg r0 "$1" --arg s0 "$2" 'del(.source) |
		walk(if type == "string" then
			(if . == $r0 then "ROOT" elif . == $s0 then "SYSROOT" else . end |
			 split($r) | join("ROOT/") | split($s) | join("SYSROOT/"))
		else . end)'
}

# same_as_tree FIXTURE SYSROOT CAPTURE COMMAND...: JSON, exit status and errors equal.
same_as_tree() {
	_fx=$1
	_sys=$2
	_cap=$3
	shift 3
	ml --proc-root "$FIXTURES/$_fx" --sys-root "$_sys" --json "$@" 2>e.t | norm "$FIXTURES/$_fx" "$_sys" >t.json
	_rt=$?
	ml --capture "$_cap" --json "$@" 2>e.c | norm "$_cap/proc" "$_cap/sys" >c.json
	_rc=$?
	[ "$_rt" = "$_rc" ] || { echo "$*: exit $_rt on the tree, $_rc on the capture"; return 1; }
	diff -u t.json c.json || { echo "($*)"; return 1; }
	sed "s|$_sys|SYSROOT|g; s|$FIXTURES/$_fx|ROOT|g" e.t >e.tn
	sed "s|$_cap/sys|SYSROOT|g; s|$_cap/proc|ROOT|g" e.c >e.cn
	diff -u e.tn e.cn || { echo "($*)"; return 1; }
}

COMMANDS="summary meminfo buddy zones slab vmalloc"
# A sys root without kernel/slab (an empty directory: --sys-root must be one).
NOSYS="$TEST_ROOT/nosys"
mkdir -p "$NOSYS"
for fx in linux-6.18 linux-3.10 linux-4.14 two-node zones-post-6.18 vmalloc-6.12-modules slab-statistics arm64-64k; do
	sys="$NOSYS"
	[ -d "$FIXTURES/$fx-sys" ] && sys="$FIXTURES/$fx-sys"
	test_expect_success "round trip: $fx captured, every command reads it as the tree" '
		ml --proc-root "$FIXTURES/'$fx'" --sys-root "'$sys'" capture -o cap >out &&
		for cmd in $COMMANDS "buddy --types"; do
			same_as_tree '$fx' "'$sys'" cap $cmd || exit 1
		done
	'
done

test_expect_success 'round trip with the sys root: the caches reclaimability from the capture' '
	ml --proc-root "$FIXTURES/linux-6.18" --sys-root "$FIXTURES/linux-6.18-sys" capture -o cap >out &&
	test -f cap/sys/kernel/slab/dentry/reclaim_account &&
	ml --capture cap slab --json >s.json &&
	test "$(jq -r .reclaim.why_unknown s.json)" = null &&
	same_as_tree linux-6.18 "$FIXTURES/linux-6.18-sys" cap slab
'

for fx in four-node huge-6.18 two-node; do
	test_expect_success "round trip with the sys root: numa, huge and summary of $fx (.tar.gz and a directory)" '
		for o in cap.tar.gz capdir; do
			ml --proc-root "$FIXTURES/'$fx'" --sys-root "$FIXTURES/'$fx'-sys" capture -o $o >out &&
			for cmd in numa huge summary; do
				same_as_tree '$fx' "$FIXTURES/'$fx'-sys" $o $cmd || exit 1
			done
		done
	'
done

test_expect_success 'round trip of processes: procs, groupings, maps with --smaps full' '
	ml --proc-root "$FIXTURES/procs-6.18" --sys-root "$NOSYS" capture --smaps full -o cap >out &&
	for args in procs "procs --group user" "procs --sort rss" "maps 1234" "maps 4242 --all" "maps 310" "maps 400"; do
		same_as_tree procs-6.18 "$NOSYS" cap $args || exit 1
	done
'

test_expect_success 'without --smaps full, maps says the capture has no smaps' '
	ml --proc-root "$FIXTURES/procs-6.18" capture -o cap >out &&
	test ! -e cap/proc/1234/smaps && test -f cap/proc/1234/smaps_rollup &&
	test_expect_code 1 ml --capture cap maps 1234 2>err &&
	grep -q "cap/proc/1234/smaps: No such file or directory" err
'

test_expect_success 'a directory, a .tar, a .tar.gz and a .tar.zst: the same capture' '
	for o in cap.d cap.tar cap.tar.gz cap.tar.zst cap.tar.xz; do
		ml --proc-root "$FIXTURES/procs-6.18" --sys-root "$NOSYS" capture -o $o >/dev/null || exit 1
	done &&
	file_list() { jq -c "[.files[] | del(.size)]" "$1"; } &&
	test -d cap.d && gzip -t cap.tar.gz && zstd -q -t cap.tar.zst &&
	tar -xOf cap.tar memlens-capture.json >m.tar && tar -xzOf cap.tar.gz memlens-capture.json >m.gz &&
	test "$(jq -c .files m.tar)" = "$(jq -c .files cap.d/memlens-capture.json)" &&
	test "$(jq -c .files m.gz)" = "$(jq -c .files cap.d/memlens-capture.json)" &&
	for args in summary procs "maps 1234" meminfo; do
		ml --capture cap.d --json $args | norm cap.d/proc cap.d/sys >d.json &&
		for o in cap.tar cap.tar.gz cap.tar.zst cap.tar.xz; do
			ml --capture $o --json $args | norm $o/proc $o/sys >a.json &&
			diff -u d.json a.json || { echo "($o: $args)"; exit 1; }
		done
	done
'

test_expect_success 'files are verbatim: the same bytes as the tree, for every captured file' '
	ml --proc-root "$FIXTURES/linux-6.18" capture -o cap >out &&
	for f in meminfo vmstat buddyinfo zoneinfo pagetypeinfo slabinfo vmallocinfo sys/kernel/osrelease; do
		cmp "$FIXTURES/linux-6.18/$f" "cap/proc/$f" || exit 1
	done &&
	tar -C cap -czf back.tar.gz . && ml --proc-root "$FIXTURES/linux-6.18" capture -o c2.tar.gz >out &&
	mkdir x && tar -C x -xzf c2.tar.gz && cmp x/proc/slabinfo "$FIXTURES/linux-6.18/slabinfo"
'

test_expect_success 'the manifest: its schema, every file tried, the missing ones with their errno' '
	ml --proc-root "$FIXTURES/linux-3.10" --sys-root "$NOSYS" capture -o cap >out &&
	json_validate capture-manifest.schema.json cap/memlens-capture.json &&
	jq -e ".manifest_schema == 1 and .host == \"fixture-310\" and .euid == $(id -u)" cap/memlens-capture.json &&
	jq -e ".options == {\"pids\": \"all\", \"smaps\": \"rollup\"}" cap/memlens-capture.json &&
	jq -e "[.files[] | select(.path == \"proc/meminfo\")][0].size == $(wc -c <"$FIXTURES/linux-3.10/meminfo")" cap/memlens-capture.json &&
	jq -e "[.files[] | select(.path == \"proc/slabinfo\")][0] | .errno == \"ENOENT\" and .size == 0" cap/memlens-capture.json &&
	jq -e "[.files[] | select(.path == \"sys/kernel/slab\")][0].errno == \"ENOENT\"" cap/memlens-capture.json &&
	test ! -e cap/proc/slabinfo &&
	jq -e ".time.unix_end >= .time.unix_start and .time.monotonic_end >= .time.monotonic_start" cap/memlens-capture.json
'

test_expect_success 'the header: capture of HOST at TIME, and where it was read from' '
	ml --proc-root "$FIXTURES/linux-6.18" capture -o cap >out &&
	ml --capture cap meminfo >m &&
	sed -n 1p m | grep -q "^memlens meminfo: capture of fixture-618 at [0-9-]* [0-9:]* [A-Z]*, Linux 6.18.44$" &&
	sed -n 2p m | grep -qx "read from capture cap" &&
	ml --capture cap --json meminfo >j &&
	test "$(json_get j .source.capture.path)" = cap &&
	test "$(json_get j .source.capture.time)" = "$(json_get cap/memlens-capture.json .time.wall_start)" &&
	json_validate meminfo.schema.json j && ml --capture cap --json >s && json_validate summary.schema.json s
'

test_expect_success 'the text of capture: what was written, what could not be read' '
	ml --proc-root "$FIXTURES/linux-3.10" --sys-root "$NOSYS" capture -o cap >out &&
	grep -q "^Captured fixture-310 (Linux 3.10.0-1160.el7.x86_64) to cap$" out &&
	grep -q "files this kernel does not have" out &&
	grep -q "memlens --capture cap" out
'

test_expect_success '--pids none and a list: only those processes' '
	ml --proc-root "$FIXTURES/procs-6.18" capture --pids none -o none >out &&
	test -z "$(ls none/proc | grep "^[0-9]")" &&
	ml --proc-root "$FIXTURES/procs-6.18" capture --pids 400,1234 -o some >out &&
	test "$(ls some/proc | grep "^[0-9]" | tr "\n" " ")" = "1234 400 " &&
	jq -e ".options.pids == \"400,1234\"" some/memlens-capture.json &&
	ml --capture some procs --json >p && test "$(jq ".processes | length" p)" = 2
'

test_expect_success 'a copied tree with this machine'"'"'s /sys: the sysfs is not captured' '
	ml --proc-root "$FIXTURES/linux-6.18" capture -o cap >out &&
	test ! -e cap/sys &&
	grep -q "/sys is this machine'"'"'s sysfs, not the proc root'"'"'s: not captured" out
'

test_expect_success 'usage errors: exit 2' '
	test_expect_code 2 ml capture --pids 1,x 2>err && grep -q "invalid --pids" err &&
	test_expect_code 2 ml capture --smaps some 2>err && grep -q "invalid --smaps" err &&
	test_expect_code 2 ml capture --json 2>err && grep -q "has no JSON output" err &&
	test_expect_code 2 ml --capture x --proc-root y 2>err && grep -q "without --proc-root" err
'

test_done
