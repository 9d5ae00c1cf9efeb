#!/bin/sh
# memlens capture on this machine: a live capture reads back as a live run
# does (within what moved between the two reads); as an unprivileged user
# (uid 65534) the manifest records each refused file with its errno and mode,
# and every command on that capture says what is missing as it does live.
. "$TOP_SRCDIR/tests/cli/lib.sh"

if ! test -r /proc/meminfo; then
	test_skip 'live capture' 'no /proc'
	test_done
fi

test_expect_success 'a live capture: meminfo, zones, buddy and the host as a live run' '
	ml capture -o live.tar.gz >out &&
	ml --json meminfo >l.json && ml --capture live.tar.gz --json meminfo >c.json &&
	test "$(jq -c "[.meminfo | keys[]]" l.json)" = "$(jq -c "[.meminfo | keys[]]" c.json)" &&
	test "$(json_get l.json .meminfo.MemTotal)" = "$(json_get c.json .meminfo.MemTotal)" &&
	test "$(json_get l.json .source.hostname)" = "$(json_get c.json .source.hostname)" &&
	test "$(json_get l.json .source.kernel_release)" = "$(json_get c.json .source.kernel_release)" &&
	ml --json zones >l.json && ml --capture live.tar.gz --json zones >c.json &&
	test "$(jq -c "[.zones[] | [.node, .zone, .managed_pages]]" l.json)" = "$(jq -c "[.zones[] | [.node, .zone, .managed_pages]]" c.json)" &&
	test "$(json_get l.json .page_size)" = "$(json_get c.json .page_size)" &&
	test "$(json_get c.json .page_size_source)" = meminfo/vmstat &&
	ml --json buddy >l.json && ml --capture live.tar.gz --json buddy >c.json &&
	test "$(jq -c "[.zones[] | [.node, .zone]]" l.json)" = "$(jq -c "[.zones[] | [.node, .zone]]" c.json)" &&
	tar -xzOf live.tar.gz memlens-capture.json >m.json &&
	json_validate capture-manifest.schema.json m.json &&
	test "$(json_get m.json .boot_id)" = "$(cat /proc/sys/kernel/random/boot_id)" &&
	test "$(json_get m.json .page_size)" = "$(getconf PAGESIZE)" &&
	test "$(json_get m.json .kernel_release)" = "$(uname -r)"
'

test_expect_success 'a live capture: the processes are those of a live list at that moment' '
	ml procs --json --limit 0 >before.json &&
	ml capture -o live >out &&
	ml procs --json --limit 0 >after.json &&
	ml --capture live procs --json --limit 0 >c.json &&
	jq -r ".processes[].pid" c.json | sort >c.pids &&
	jq -r ".processes[].pid" before.json after.json | sort -u >ba.pids &&
	n=$(wc -l <c.pids) && test "$n" -gt 3 &&
	missing=$(comm -23 c.pids ba.pids | wc -l) &&
	# A process born and gone between the three reads is the only excuse.
	test "$missing" -le $((n / 10 + 2)) || { comm -23 c.pids ba.pids; exit 1; }
'

test_expect_success 'the default name: memlens-HOST-TIME.tar.gz in the current directory' '
	ml capture >out &&
	f=$(ls memlens-*.tar.gz) &&
	echo "$f" | grep -q "^memlens-[A-Za-z0-9._-]*-[0-9]\{8\}T[0-9]\{6\}Z\.tar\.gz$" &&
	grep -q "to $f\$" out && gzip -t "$f" &&
	test -z "$(ls | grep tmp-)"
'

can_drop_root() {
	is_root && command -v setpriv >/dev/null 2>&1
}

if ! can_drop_root; then
	test_skip 'capture as an unprivileged user' 'needs root and setpriv'
	test_done
fi

NOBODY_DIR=$(mktemp -d /tmp/memlens-nobody.XXXXXX) && chmod 0777 "$NOBODY_DIR" &&
	cp "$MEMLENS" "$NOBODY_DIR/memlens" && chmod 0755 "$NOBODY_DIR/memlens" || exit 99
trap 'rm -rf "$TEST_ROOT" "$NOBODY_DIR"' EXIT

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$NOBODY_DIR/memlens" "$@"
}
nobody_reads() {
	setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$1"
}

test_expect_success 'as nobody: the refused files are in the manifest with EACCES and their mode' '
	(cd "$NOBODY_DIR" && as_nobody capture -o user.tar.gz >out 2>err) && test ! -s "$NOBODY_DIR/err" &&
	tar -xzOf "$NOBODY_DIR/user.tar.gz" memlens-capture.json >m.json &&
	test "$(json_get m.json .euid)" = 65534 &&
	for f in slabinfo vmallocinfo pagetypeinfo; do
		[ -e /proc/$f ] || continue
		if nobody_reads /proc/$f; then continue; fi
		mode=$(stat -c %a /proc/$f) &&
		jq -e --arg p "proc/$f" --arg m "0$mode" "[.files[] | select(.path == \$p)][0] | .errno == \"EACCES\" and .error == \"Permission denied\" and .mode == \$m and .size == 0" m.json >/dev/null ||
			{ echo "$f"; exit 1; }
		if tar -tzf "$NOBODY_DIR/user.tar.gz" | grep -qx "proc/$f"; then
			echo "$f is in the archive"; exit 1
		fi
	done &&
	grep -q "proc/slabinfo: Permission denied (run as root)" "$NOBODY_DIR/out" &&
	# Another user'"'"'s process: its smaps_rollup refused, recorded.
	jq -e "[.files[] | select(.path == \"proc/1/smaps_rollup\")][0].errno == \"EACCES\"" m.json >/dev/null
'

test_expect_success 'as nobody: slab, vmalloc and buddy --types on the capture fail as they do live' '
	for cmd in slab vmalloc "buddy --types"; do
		as_nobody $cmd >live.out 2>live.err
		rl=$?
		ml --capture "$NOBODY_DIR/user.tar.gz" $cmd >cap.out 2>cap.err
		rc=$?
		test "$rl" = "$rc" || { echo "$cmd: $rl live, $rc on the capture"; exit 1; }
		sed "s|/proc/|ROOT/|g" live.err >l && sed "s|$NOBODY_DIR/user.tar.gz/proc/|ROOT/|g" cap.err >c &&
		diff -u l c || exit 1
	done
'

test_expect_success 'as nobody: the summary of the capture says n/a for what the user could not read' '
	as_nobody --json >live.json &&
	ml --capture "$NOBODY_DIR/user.tar.gz" --json >cap.json &&
	jq -c "[.unavailable[].source]" live.json >l && jq -c "[.unavailable[].source]" cap.json >c &&
	test_cmp l c &&
	test "$(jq ".processes.permission_denied > 0" cap.json)" = true
'

test_done
