#!/bin/sh
# memlens cgroups through a sys root that is not a directory: a tar of a
# fixture tree (--sys-root X.tar, --proc-root Y.tar.gz), and a capture of it
# (memlens capture, then --capture DIR|ARCHIVE) reads as the tree itself, text
# and JSON; the capture holds mountinfo and each cgroup's files, and records
# no file the kernel does not have; diff --view cgroups of two captures. Live, as root: a capture of this machine
# holds every cgroup of its memory hierarchy, and cgroups --capture lists them.
. "$TOP_SRCDIR/tests/cli/lib.sh"

FIXTURE_TREES="cgroup-v2-systemd cgroup-v2-kubepods cgroup-hybrid cgroup-v1 cgroup-v2-partial
	cgroup-v2-5.15 cgroup-odd-names"

# text SYSROOT PROCROOT: a report without its first two lines (title and
# "read from", which name the source), the roots as SYSROOT and PROCROOT.
text() {
	sed -e 1,2d -e "s|$1|SYSROOT|g" -e "s|$2|PROCROOT|g"
}

# json SYSROOT PROCROOT: a document without its source, the roots named alike.
json() {
	jq -S --arg s "$1" --arg p "$2" 'del(.source) |
		walk(if type == "string" then (split($s) | join("SYSROOT") | split($p) | join("PROCROOT")) else . end)'
}

# same_report TREE CAPTURE: cgroups --capture CAPTURE says what the tree says.
same_report() {
	_t="$FIXTURES/$1"
	COLUMNS=200 ml --proc-root "$_t/proc" --sys-root "$_t/sys" cgroups >t.txt 2>t.err &&
	COLUMNS=200 ml --capture "$2" cgroups >c.txt 2>c.err &&
	text "$_t/sys" "$_t/proc" <t.txt >t.n &&
	text "$2/sys" "$2/proc" <c.txt >c.n &&
	test_cmp t.n c.n &&
	test_cmp t.err c.err &&
	ml --proc-root "$_t/proc" --sys-root "$_t/sys" cgroups --flat --json | json "$_t/sys" "$_t/proc" >t.json &&
	ml --capture "$2" cgroups --flat --json | json "$2/sys" "$2/proc" >c.json &&
	test_cmp t.json c.json &&
	ml --proc-root "$_t/proc" --sys-root "$_t/sys" procs --group cgroup >t.p &&
	ml --capture "$2" procs --group cgroup >c.p &&
	sed 1,2d t.p >t.pn && sed 1,2d c.p >c.pn &&
	test_cmp t.pn c.pn
}

for t in $FIXTURE_TREES; do
	test_expect_success "$t as tar archives (--sys-root X.tar, --proc-root Y.tar.gz): the same report" "
		T='$FIXTURES/$t' &&
		tar -C \"\$T/sys\" -cf sys.tar . &&
		tar -C \"\$T/proc\" -czf proc.tar.gz . &&
		COLUMNS=200 ml --proc-root \"\$T/proc\" --sys-root \"\$T/sys\" cgroups >t.txt &&
		COLUMNS=200 ml --proc-root proc.tar.gz --sys-root sys.tar cgroups >a.txt &&
		text \"\$T/sys\" \"\$T/proc\" <t.txt >t.n &&
		text sys.tar proc.tar.gz <a.txt >a.n &&
		test_cmp t.n a.n
	"
	for kind in dir tar.gz; do
		test_expect_success "$t captured ($kind): cgroups --capture is the tree's report" "
			case $kind in dir) cap=cap ;; *) cap=cap.$kind ;; esac &&
			ml --proc-root '$FIXTURES/$t/proc' --sys-root '$FIXTURES/$t/sys' capture -o \"\$PWD/\$cap\" >out &&
			same_report $t \"\$PWD/\$cap\"
		"
	done
done

test_expect_success 'the capture holds mountinfo and every cgroup of the hierarchy, with its files' '
	T="$FIXTURES/cgroup-v2-kubepods" &&
	ml --proc-root "$T/proc" --sys-root "$T/sys" capture -o cap >out &&
	cmp "$T/proc/self/mountinfo" cap/proc/self/mountinfo &&
	(cd "$T/sys/fs/cgroup" && find . -type d | sort) >want.d &&
	(cd cap/sys/fs/cgroup && find . -type d | sort) >got.d &&
	test_cmp want.d got.d &&
	for f in memory.current memory.max memory.stat memory.events memory.pressure cgroup.procs; do
		cmp "$T/sys/fs/cgroup/kubepods.slice/$f" "cap/sys/fs/cgroup/kubepods.slice/$f" || exit 1
	done &&
	jq -e "[.files[] | select(.path == \"sys/fs/cgroup/kubepods.slice/memory.stat\")] | length == 1" \
		cap/memlens-capture.json >/dev/null
'

test_expect_success 'only the files memlens reads; a file the kernel lacks is not recorded as missing' '
	T="$FIXTURES/cgroup-v2-5.15" &&
	ml --proc-root "$T/proc" --sys-root "$T/sys" capture -o cap >out &&
	test ! -e cap/sys/fs/cgroup/system.slice/memory.peak &&
	jq -e "[.files[] | select(.path | startswith(\"sys/fs/cgroup/\")) | select(.errno != null)] | length == 0" \
		cap/memlens-capture.json >/dev/null &&
	extra=$(cd cap/sys/fs/cgroup && find . -type f | sed "s|.*/||" | sort -u |
		{ grep -v -x -e "memory\..*" -e cgroup.procs -e cgroup.controllers || true; }) &&
	test -z "$extra"
'

test_expect_success 'hybrid host: the cgroup2 root'"'"'s controllers are taken, so the capture says why v1' '
	T="$FIXTURES/cgroup-hybrid" &&
	ml --proc-root "$T/proc" --sys-root "$T/sys" capture -o cap.tar >out &&
	ml --capture cap.tar cgroups >c.txt &&
	grep -q "^hybrid host: the cgroup2 mount at /sys/fs/cgroup/unified has no memory controller (cgroup.controllers: none)$" c.txt
'

test_expect_success 'a tree without a memory controller: the capture fails cgroups the same way' '
	T="$FIXTURES/cgroup-hybrid" &&
	mkdir -p p/self && grep -v " - cgroup " "$T/proc/self/mountinfo" >p/self/mountinfo &&
	cp "$T/proc/meminfo" p/ 2>/dev/null; cp -R "$T/proc/sys" p/ 2>/dev/null;
	test_expect_code 1 ml --proc-root p --sys-root "$T/sys" cgroups >/dev/null 2>t.err &&
	ml --proc-root p --sys-root "$T/sys" capture -o cap >out &&
	test_expect_code 1 ml --capture cap cgroups >/dev/null 2>c.err &&
	sed "s|$T/sys|SYSROOT|g" t.err >t.n && sed "s|$PWD/cap/sys|SYSROOT|g; s|cap/sys|SYSROOT|g" c.err >c.n &&
	test_cmp t.n c.n
'

test_expect_success 'diff --view cgroups of two captures: matched by path, new and gone, the files'"'"' bytes' '
	F="$FIXTURES/cgroup-v2-systemd" &&
	cp -R "$F" b && chmod -R u+w b &&
	N=system.slice/nginx.service &&
	echo 314572800 >"b/sys/fs/cgroup/$N/memory.current" &&
	rm -rf b/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope &&
	mkdir b/sys/fs/cgroup/system.slice/new.service &&
	echo 4096 >b/sys/fs/cgroup/system.slice/new.service/memory.current &&
	ml --proc-root "$F/proc" --sys-root "$F/sys" capture -o a.tar.gz >out &&
	ml --proc-root b/proc --sys-root b/sys capture -o b.tar.gz >out &&
	ml diff a.tar.gz b.tar.gz --view cgroups --json >d.json &&
	row() { jq -c --arg k "$1" ".views[0].rows[] | select(.key == \$k) | [.status, .a, .b, .change]" d.json; } &&
	test "$(row /$N)" = "[\"both\",$(cat "$F/sys/fs/cgroup/$N/memory.current"),314572800,$((314572800 - $(cat "$F/sys/fs/cgroup/$N/memory.current")))]" &&
	test "$(row /system.slice/new.service)" = "[\"new\",null,4096,4096]" &&
	S=/user.slice/user-1000.slice/session-3.scope &&
	test "$(row $S)" = "[\"gone\",$(cat "$F/sys/fs/cgroup$S/memory.current"),null,-$(cat "$F/sys/fs/cgroup$S/memory.current")]" &&
	test "$(row /)" = "[\"both\",null,null,null]" &&
	test "$(row /system.slice/cron.service | jq .[3])" = 0 &&
	if /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then json_validate diff.schema.json d.json; fi &&
	ml diff a.tar.gz b.tar.gz --view cgroups >d.txt &&
	grep -q "^Cgroups (memory.current; matched by path)" d.txt &&
	grep -q "/system.slice/new.service (new)" d.txt &&
	! grep -q "cron.service" d.txt
'

if is_root && [ -r /proc/self/mountinfo ] && grep -q -e " - cgroup2 " -e " - cgroup " /proc/self/mountinfo &&
	ml cgroups >/dev/null 2>&1; then
	test_expect_success 'live: the capture holds every cgroup it lists, and cgroups --capture reads it' '
		ml capture -o cap --pids none >out &&
		ml --capture cap cgroups --json --flat >c.json &&
		mp=$(jq -r .hierarchy.mount_point c.json) &&
		n_dirs=$(cd "cap$mp" && find . -type d | wc -l) &&
		n_rows=$(jq ".cgroups | length" c.json) &&
		test "$n_dirs" -gt 0 && test "$n_dirs" = "$n_rows" &&
		jq -e "[.cgroups[] | select(.memory.current == null and .path != \"/\")] | length == 0" c.json >/dev/null
	'
else
	test_skip 'live capture of cgroups' 'needs root and a memory controller'
fi

test_done
