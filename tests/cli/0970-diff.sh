#!/bin/sh
# memlens diff on pairs of captures made from fixture trees: a grown cache, a
# shrunk one, duplicate slab names, a reused PID, a changed boot_id, a file
# present in A and missing in B; the views, --sort, --min, --limit; the JSON
# and its schema; and B as "now" (here: --proc-root and --capture).
. "$TOP_SRCDIR/tests/cli/lib.sh"

F="$FIXTURES/linux-6.18"

# tree NAME FIXTURE: a writable copy of a fixture, with a boot_id.
tree() {
	cp -R "$FIXTURES/$2" "$1" && chmod -R u+w "$1" &&
	mkdir -p "$1/sys/kernel/random" &&
	echo 11111111-2222-3333-4444-555555555555 >"$1/sys/kernel/random/boot_id"
}

# slabs TREE CACHE N: set the cache's num_slabs (and active_slabs) to N.
slabs() {
	awk -v c="$2" -v n="$3" '$1 == c { $14 = n; $15 = n } { print }' "$1/slabinfo" >"$1/s" &&
	mv "$1/s" "$1/slabinfo"
}

# row FILE VIEW KEY FIELD: a field of a row of a view of a diff --json document.
row() {
	jq -r --arg v "$2" --arg k "$3" ".views[] | select(.view == \$v) | .rows[] | select(.key == \$k) | .$4" "$1"
}

# The pair most tests compare, made once: in B dentry grew by 1000 slabs,
# ext4_inode_cache fell by 1000, kmalloc-64 is gone and kmalloc-48 new.
P="$TEST_ROOT/pair"
mkdir -p "$P" && (
	cd "$P" && tree a linux-6.18 && tree b linux-6.18 &&
	slabs b dentry 6446 && slabs b ext4_inode_cache 4332 &&
	grep -v "^kmalloc-64 " b/slabinfo >b/s && mv b/s b/slabinfo &&
	sed -n "/^kmalloc-64 /{s/^kmalloc-64 /kmalloc-48 /;p}" a/slabinfo >>b/slabinfo &&
	"$MEMLENS" --proc-root a capture -o A >/dev/null && "$MEMLENS" --proc-root b capture -o B >/dev/null
) || exit 99
A="$P/A"
B="$P/B"

test_expect_success 'slab: a grown cache, a shrunk one, one gone, one new; change, rate, percent' '
	ml diff "$A" "$B" --view slab --json >d.json &&
	json_validate diff.schema.json d.json &&
	test "$(row d.json slab dentry change)" = $((1000 * 4096)) &&
	test "$(row d.json slab dentry status)" = both &&
	test "$(row d.json slab ext4_inode_cache change)" = $((-1000 * 4 * 4096)) &&
	test "$(row d.json slab kmalloc-64 status)" = gone &&
	test "$(row d.json slab kmalloc-64 change)" = $((-45 * 4096)) &&
	test "$(row d.json slab kmalloc-64 b)" = null &&
	test "$(row d.json slab kmalloc-48 status)" = new &&
	test "$(row d.json slab kmalloc-48 a)" = null &&
	jq -e ".seconds >= 0 and .boot_changed == false and .view == \"slab\" and .sort == \"delta\"" d.json &&
	pct=$(row d.json slab dentry percent) && jq -n "$pct > 18.3 and $pct < 18.4" | grep -q true &&
	# delta: growth first, the largest fall last.
	test "$(jq -r ".views[0].rows[0].key" d.json)" = dentry &&
	test "$(jq -r ".views[0].rows[-1].key" d.json)" = ext4_inode_cache
'

test_expect_success 'slab text: the movers with new and gone marked, --min and --limit' '
	ml diff "$A" "$B" --view slab >t &&
	grep -q "^  dentry  *21.3 MiB  *25.2 MiB  *+3.91 MiB .* +18.4%$" t &&
	grep -q "^  kmalloc-64 (gone) .* -$" t &&
	grep -q "^  kmalloc-48 (new)  *- " t &&
	! grep -q "^  AF_VSOCK " t &&
	ml diff "$A" "$B" --view slab --min 1M >m &&
	test "$(grep -c "iB .*%\$" m)" = 2 &&
	ml diff "$A" "$B" --view slab --limit 1 --sort -delta >l &&
	grep -q "^  ext4_inode_cache " l && test "$(grep -c "iB .*%\$" l)" = 1 &&
	grep -q "more rows; --limit 0 shows all" l &&
	ml diff "$A" "$B" --view slab --sort name --json | jq -r ".views[0].rows[].key" >names &&
	sort -c names
'

test_expect_success 'duplicate slab names: NAME and NAME#2, compared each with its own' '
	tree a linux-6.18 && tree b linux-6.18 &&
	grep "^kmalloc-64 " a/slabinfo | sed "s/  *45  *45 /     7     7 /" >extra &&
	cat extra >>a/slabinfo &&
	sed "s/     7     7 /     9     9 /" extra >>b/slabinfo &&
	ml --proc-root a capture -o A2 >/dev/null && ml --proc-root b capture -o B2 >/dev/null &&
	ml diff A2 B2 --view slab --json >d.json &&
	test "$(row d.json slab kmalloc-64 change)" = 0 &&
	test "$(row d.json slab "kmalloc-64#2" change)" = $((2 * 4096)) &&
	test "$(row d.json slab "kmalloc-64#2" status)" = both
'

# A process tree: PID 400 with a start time, and PID 900.
proc_tree() {
	tree "$1" procs-6.18 &&
	echo "400 (com.example.app) S 1 400 400 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 $2 1 1" >"$1/400/stat" &&
	echo "900 (worker) S 1 900 900 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 5000 1 1" >"$1/900/stat"
}

test_expect_success 'processes: matched by PID and start time; a reused PID is a new process' '
	proc_tree pa 1000 && proc_tree pb 1000 &&
	ml --proc-root pa capture -o PA >/dev/null && ml --proc-root pb capture -o PB >/dev/null &&
	ml diff PA PB --view procs --json >same.json &&
	test "$(row same.json procs 400@1000 status)" = both &&
	test "$(row same.json procs 400@1000 change)" = 0 &&
	proc_tree pc 2000 && ml --proc-root pc capture -o PC >/dev/null &&
	ml diff PA PC --view procs --json >re.json &&
	test "$(row re.json procs 400@1000 status)" = gone &&
	test "$(row re.json procs 400@2000 status)" = new &&
	test "$(row re.json procs 400@2000 name)" = "400 com.example.app" &&
	test "$(row re.json procs 900@5000 status)" = both &&
	ml diff PA PC --view procs >t &&
	grep -q "^  400 com.example.app (gone) " t && grep -q "^  400 com.example.app (new) " t
'

test_expect_success 'a changed boot_id: a warning, counters since boot reset, gauges compared' '
	tree a linux-6.18 && tree b linux-6.18 &&
	echo 99999999-2222-3333-4444-555555555555 >b/sys/kernel/random/boot_id &&
	ml --proc-root a capture -o BA >/dev/null && ml --proc-root b capture -o BB >/dev/null &&
	ml diff BA BB --json >d.json 2>err &&
	grep -q "^memlens: warning: BB is after a reboot (boot_id 99999999-2222-3333-4444-555555555555, A.s 11111111-2222-3333-4444-555555555555): counters since boot are reset, not compared$" err &&
	jq -e ".boot_changed == true" d.json &&
	jq -e "[.views[] | select(.view == \"activity\") | .rows[] | .reset and .change == null] | all and length > 0" d.json &&
	jq -e "[.views[] | select(.view == \"accounting\") | .rows[] | .reset] | any | not" d.json &&
	ml diff BA BB >t 2>/dev/null && grep -q "B is after a reboot" t && grep -q " reset " t &&
	ml diff "$A" "$B" --json >ok.json && jq -e ".boot_changed == false" ok.json
'

test_expect_success 'a file in A and not in B: the view says so for B, the rest is compared' '
	tree a linux-6.18 && tree b linux-6.18 && rm b/vmallocinfo &&
	ml --proc-root a capture -o MA >/dev/null && ml --proc-root b capture -o MB >/dev/null &&
	ml diff MA MB --view vmalloc --json >d.json &&
	jq -e ".views[0] | .available == false and .why_a == null and (.why_b | test(\"MB/proc/vmallocinfo: No such file or directory\")) and .rows == []" d.json &&
	ml diff MA MB --view vmalloc >t &&
	grep -q "^  n/a in B: cannot open MB/proc/vmallocinfo: No such file or directory (not in it)$" t &&
	ml diff MA MB --json >s.json &&
	jq -e "[.views[] | select(.view == \"vmalloc\")][0].available == false" s.json &&
	jq -e "[.views[] | select(.view == \"slab\")][0].available == true" s.json
'

test_expect_success 'the summary: accounting, activity, then the movers of each view' '
	ml diff "$A" "$B" >t &&
	grep -q "^Where MemTotal goes$" t && grep -q "^Reclaim and faults" t &&
	grep -q "^Largest movers: Slab caches$" t && grep -q "^  dentry " t &&
	grep -q "^Largest movers: vmalloc callers$" t && grep -q "^Largest movers: Zones$" t &&
	ml diff "$A" "$B" --json >s.json && json_validate diff.schema.json s.json &&
	test "$(jq -c "[.views[].view]" s.json)" = "[\"accounting\",\"activity\",\"slab\",\"vmalloc\",\"procs\",\"buddy\",\"zones\"]" &&
	jq -e ".sort == \"abs\"" s.json
'

test_expect_success 'every view: valid JSON, identical captures show no change' '
	for v in summary meminfo slab vmalloc procs buddy zones; do
		ml diff "$A" "$A" --view $v --json >d.json || exit 1
		json_validate diff.schema.json d.json || exit 1
		jq -e "[.views[].rows[] | select(.change != 0 and .change != null)] | length == 0" d.json >/dev/null ||
			{ echo "$v moved"; exit 1; }
	done
'

test_expect_success 'B defaults to what memlens reads now: --proc-root, --capture' '
	ml --proc-root "$P/b" diff "$A" --view slab --json >d.json &&
	test "$(row d.json slab dentry change)" = $((1000 * 4096)) &&
	jq -e --arg a "$A" ".b.capture == null and .a.capture == \$a" d.json &&
	ml --capture "$B" diff "$A" --view slab --json >d2.json &&
	test "$(row d2.json slab dentry change)" = $((1000 * 4096))
'

test_expect_success 'an archive on either side, and bad input: exit 1 or 2, named' '
	ml --proc-root "$P/a" capture -o A.tar.zst >/dev/null &&
	ml diff A.tar.zst "$B" --view slab --json >d.json &&
	test "$(row d.json slab dentry change)" = $((1000 * 4096)) &&
	test_expect_code 1 ml diff "$F" "$B" 2>err &&
	grep -q "is not a memlens capture" err &&
	test_expect_code 2 ml diff 2>err && grep -q "needs A \[B\]" err &&
	test_expect_code 2 ml diff "$A" "$B" --view nope 2>err && grep -q "unknown view" err &&
	test_expect_code 2 ml diff "$A" "$B" --min lots 2>err && grep -q "invalid --min" err &&
	test_expect_code 2 ml diff "$A" "$B" --sort pss 2>err
'

if [ -r /proc/meminfo ]; then
	test_expect_success 'a live capture against now: the same boot, MemTotal unchanged' '
		ml capture -o L >/dev/null &&
		ml diff L --json >d.json &&
		jq -e ".boot_changed == false and .seconds >= 0" d.json &&
		test "$(row d.json accounting MemTotal change)" = 0
	'
fi

test_done
