#!/bin/sh
# memlens cgroups on bad input: garbage in memory.stat, a missing
# memory.current, "max" in every limit, numbers past 2^63, mountinfo without
# a cgroup2 line or without any memory controller, a hierarchy outside /sys,
# a FIFO for a file, garbage in cgroup.procs, a member that is gone, and
# files and processes that an unprivileged user cannot read. Each one is
# n/a with the reason (or a clear message and exit 1), never 0.
. "$TOP_SRCDIR/tests/cli/lib.sh"

# copy TREE: the fixture tree as ./t, writable.
copy() {
	cp -R "$FIXTURES/$1" ./t && chmod -R u+w ./t
}
cgt() {
	ml --proc-root t/proc --sys-root t/sys cgroups "$@"
}
NGINX=t/sys/fs/cgroup/system.slice/nginx.service

test_expect_success 'garbage in memory.stat: a warning, the keys n/a, the rest read' '
	copy cgroup-v2-systemd &&
	printf "anon lots\n\001\002garbage\nfile 4096\n" >$NGINX/memory.stat &&
	cgt --json /system.slice/nginx.service >doc 2>err &&
	grep -q "^memlens: warning: .*/system.slice/nginx.service/memory.stat: 2 bad lines ignored; first at line 1 (no value): \"anon lots\"$" err &&
	test "$(jq ".cgroups[0].memory.anon" doc)" = null &&
	test "$(jq -r ".cgroups[0].absent_why[\"memory.anon\"]" doc)" = "not among the lines of memory.stat that parsed" &&
	test "$(jq ".cgroups[0].memory.file" doc)" = 4096 &&
	test "$(jq ".parse_errors[0].bad_lines" doc)" = 2 &&
	cgt /system.slice/nginx.service >out 2>err &&
	grep -q "^  breakdown  anon n/a, page cache 4.00 KiB" out
'

test_expect_success 'a missing memory.current: CURRENT, the working set and the headroom n/a' '
	copy cgroup-v2-systemd &&
	rm $NGINX/memory.current &&
	COLUMNS=200 cgt --flat >out 2>err && test ! -s err &&
	grep "^/system.slice/nginx.service " out | grep -q "^[^ ]*  *n/a  *n/a .* 256 MiB  *n/a " &&
	grep -q "CURRENT, WSET n/a for 1 cgroup: no memory.current$" out &&
	grep -q "HEADROOM n/a for 1 cgroup: a limit or the usage of this cgroup or an ancestor is unknown" out
'

test_expect_success '"max" in every limit: unlimited everywhere, never a number' '
	copy cgroup-v2-kubepods &&
	find t/sys -name "memory.max" -o -name "memory.high" -o -name "memory.low" -o \
		-name "memory.min" -o -name "memory.swap.max" -o -name "memory.swap.high" -o \
		-name "memory.zswap.max" | while read -r f; do echo max >"$f"; done &&
	COLUMNS=200 cgt --flat >out 2>err && test ! -s err &&
	test "$(sed -n "/^CGROUP/,/^$/p" out | grep -c "unlimited  *unlimited ")" = 15 &&
	cgt --json >doc &&
	test "$(jq "[.cgroups[] | .limits[] | select(.bytes != null)] | length" doc)" = 0 &&
	test "$(jq "[.cgroups[1:][] | .limits.low.unlimited] | all" doc)" = true &&
	test "$(jq "[.cgroups[] | select(.headroom.unlimited | not)] | length" doc)" = 0
'

test_expect_success 'numbers past 2^63: a limit is unlimited, a usage kept exactly, past 2^64 n/a' '
	copy cgroup-v2-systemd &&
	echo 18446744073709551615 >$NGINX/memory.max &&
	echo 9223372036854775808 >$NGINX/memory.current &&
	echo 99999999999999999999999 >$NGINX/memory.peak &&
	cgt --json /system.slice/nginx.service >doc 2>err &&
	grep -q "\"current\":9223372036854775808," doc &&
	test "$(jq -c ".cgroups[0].limits.max" doc)" = "{\"bytes\":null,\"unlimited\":true}" &&
	test "$(jq ".cgroups[0].memory.peak" doc)" = null &&
	test "$(jq -r ".cgroups[0].absent_why[\"memory.peak\"]" doc)" = "memory.peak did not parse" &&
	grep -q "memory.peak: 1 bad line ignored; first at line 1 (value does not fit in 64 bits)" err
'

test_expect_success 'mountinfo with no cgroup2 line and no memory hierarchy: exit 1, the reason' '
	copy cgroup-v2-systemd &&
	grep -v " - cgroup" t/proc/self/mountinfo >mi && cp mi t/proc/self/mountinfo &&
	test_expect_code 1 cgt >out 2>err &&
	test ! -s out &&
	grep -qx "memlens: no memory controller mounted: mountinfo has no cgroup2 mount and no cgroup v1 hierarchy with the memory controller" err
'

test_expect_success 'a cgroup2 mount without the memory controller, and no v1 one: exit 1' '
	copy cgroup-v2-systemd &&
	echo "cpu io pids" >t/sys/fs/cgroup/cgroup.controllers &&
	test_expect_code 1 cgt >out 2>err &&
	grep -qx "memlens: no memory controller mounted: the cgroup2 mount at /sys/fs/cgroup has no memory controller (cgroup.controllers: cpu io pids), and no cgroup v1 hierarchy has it" err
'

test_expect_success 'no mountinfo in the proc root: exit 1, the file named' '
	copy cgroup-v2-systemd &&
	rm t/proc/self/mountinfo &&
	test_expect_code 1 cgt >out 2>err &&
	grep -q "^memlens: cannot open t/proc/self/mountinfo: No such file or directory$" err
'

test_expect_success 'mountinfo with garbage lines: a warning, the cgroup mount still found' '
	copy cgroup-v2-systemd &&
	{ echo "not a mount"; cat "$FIXTURES/cgroup-v2-systemd/proc/self/mountinfo"; } >t/proc/self/mountinfo &&
	cgt --depth 0 >out 2>err &&
	grep -q "^memlens: warning: t/proc/self/mountinfo: 1 bad line ignored; first at line 1" err &&
	grep -q "^cgroup v2 hierarchy at /sys/fs/cgroup" out
'

test_expect_success 'a hierarchy mounted outside /sys cannot be read from a copied tree: exit 1' '
	copy cgroup-v2-systemd &&
	sed -i "s| /sys/fs/cgroup | /cgroup2 |" t/proc/self/mountinfo &&
	test_expect_code 1 cgt >out 2>err &&
	grep -qx "memlens: the cgroup hierarchy at /cgroup2 is outside /sys: t/sys does not hold it" err
'

test_expect_success 'a copied proc root with this machine'"'"'s /sys: refused, not mixed (exit 1)' '
	copy cgroup-v2-systemd &&
	test_expect_code 1 ml --proc-root t/proc cgroups >out 2>err &&
	grep -qx "memlens: /sys is this machine.s sysfs, not the capture.s: give --sys-root" err &&
	test_expect_code 1 ml --proc-root t/proc procs --group cgroup >out 2>err &&
	grep -q "give --sys-root" err
'

test_expect_success 'a FIFO where memory.current should be: no hang, n/a with the reason' '
	copy cgroup-v2-systemd &&
	rm $NGINX/memory.current && mkfifo $NGINX/memory.current &&
	timeout 20 "$MEMLENS" --proc-root t/proc --sys-root t/sys cgroups --json \
		/system.slice/nginx.service >doc 2>err &&
	test "$(jq -r ".cgroups[0].absent_why[\"memory.current\"]" doc)" = "cannot read memory.current: Invalid argument" &&
	grep -q "^memlens: warning: 1 cgroup file could not be read; the first: cannot read /system.slice/nginx.service/memory.current: Invalid argument$" err
'

test_expect_success 'garbage in cgroup.procs; a member that is gone: skipped, the rest summed' '
	copy cgroup-v2-systemd &&
	printf "12x\n801\n4242\n" >$NGINX/cgroup.procs &&
	cgt --json /system.slice/nginx.service >doc 2>err &&
	grep -q "nginx.service/cgroup.procs: 1 bad line ignored" err &&
	test "$(jq ".cgroups[0].processes.listed" doc)" = 2 &&
	test "$(jq ".cgroups[0].processes.readable" doc)" = 1 &&
	test "$(jq ".skipped.members_exited" doc)" = 1 &&
	test "$(jq ".cgroups[0].processes.pss" doc)" = $(( $(awk "/^Pss:/ { print \$2 }" t/proc/801/smaps_rollup) * 1024 ))
'

test_expect_success 'a cgroup name that is not UTF-8: the JSON stays valid, the bytes shown as ?' '
	copy cgroup-v2-systemd &&
	d="t/sys/fs/cgroup/system.slice/bad$(printf "\377\376")name" &&
	mkdir "$d" && cp t/sys/fs/cgroup/system.slice/cron.service/* "$d/" &&
	cgt --json --flat >doc 2>err && test ! -s err &&
	jq -e "any(.cgroups[]; .path == \"/system.slice/bad??name\")" doc >/dev/null &&
	if /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then json_validate cgroups.schema.json doc; fi
'

# The damage sweep (the cgroup files' rows of doc/bad-input.md): each file of a
# cgroup, and mountinfo, damaged every way the matrix of 0900 damages the
# /proc files; memlens cgroups (text and JSON) must neither crash nor hang,
# exit 0 (1 only when mountinfo cannot be used), and print valid JSON.
garbage() {
	/usr/bin/python3 -c '
import sys
s, out = 12345, bytearray()
for i in range(4096):
    s = (s * 1103515245 + 12345) % 2**31
    out.append((s >> 16) & 0xff)
sys.stdout.buffer.write(bytes(out))'
}
sweep_damage() { # FILE CASE
	case $2 in
	missing) rm -f "$1" ;;
	empty) : >"$1" ;;
	truncated) head -c $(($(wc -c <"$1") - 3)) "$1" >"$1.t" && mv "$1.t" "$1" ;;
	garbage) garbage >"$1" ;;
	longline) { head -c 10000 /dev/zero | tr "\0" 7; echo; cat "$1"; } >"$1.t" && mv "$1.t" "$1" ;;
	overflow) sed -i "1s/[0-9][0-9]*/99999999999999999999999/" "$1" ;;
	negative) sed -i "1s/\([0-9][0-9]*\)/-\1/" "$1" ;;
	duplicate) sed -i "1p" "$1" ;;
	crlf) sed -i "s/\$/\r/" "$1" ;;
	directory) rm -f "$1" && mkdir "$1" ;;
	fifo) rm -f "$1" && mkfifo "$1" ;;
	esac
}
have_schema=true
/usr/bin/python3 -c "import jsonschema" 2>/dev/null || have_schema=false
for f in memory.stat memory.current memory.max memory.events cgroup.procs cgroup.controllers \
	memory.pressure mountinfo; do
	test_expect_success "$f damaged every way: no crash, no hang, exit 0 (or 1 for mountinfo), valid JSON" "
		for c in missing empty truncated garbage longline overflow negative duplicate crlf directory fifo; do
			rm -rf t && copy cgroup-v2-systemd || exit 1
			case $f in
			mountinfo) target=t/proc/self/mountinfo ;;
			*) target=$NGINX/$f ;;
			esac
			sweep_damage \$target \$c || { echo \"\$c: cannot damage\"; exit 1; }
			for json in '' --json; do
				timeout 20 \"\$MEMLENS\" --proc-root t/proc --sys-root t/sys cgroups \$json >out 2>err
				rc=\$?
				grep -q 'runtime error\\|Sanitizer' err && { echo \"\$c\$json:\"; cat err; exit 1; }
				case $f:\$rc in
				mountinfo:1) grep -q '^memlens: ' err || { echo \"\$c: exit 1, no message\"; exit 1; } ;;
				*:0) ;;
				*) echo \"\$c\$json: exit \$rc\"; cat err; exit 1 ;;
				esac
				if [ \$rc = 0 ] && [ -n \"\$json\" ] && $have_schema; then
					json_validate cgroups.schema.json out || { echo \"\$c: invalid JSON\"; exit 1; }
				fi
			done
		done
	"
done

can_drop_root() {
	is_root && command -v setpriv >/dev/null 2>&1
}
if can_drop_root; then
	NOBODY_DIR=$(mktemp -d /tmp/memlens-nobody.XXXXXX) && chmod 0755 "$NOBODY_DIR" &&
		cp "$MEMLENS" "$NOBODY_DIR/memlens" && chmod 0755 "$NOBODY_DIR/memlens" &&
		cp -R "$FIXTURES/cgroup-v2-systemd" "$NOBODY_DIR/t" && chmod -R a+rX "$NOBODY_DIR/t" ||
		exit 99
	trap 'rm -rf "$TEST_ROOT" "$NOBODY_DIR"' EXIT
	N="$NOBODY_DIR/t"
	as_nobody() {
		setpriv --reuid=65534 --regid=65534 --clear-groups "$NOBODY_DIR/memlens" \
			--proc-root "$N/proc" --sys-root "$N/sys" cgroups "$@"
	}
	test_expect_success 'as nobody: an unreadable memory.stat and members'"'"' smaps_rollup are n/a with the reason' '
		chmod 0600 "$N/sys/fs/cgroup/system.slice/nginx.service/memory.stat" &&
		chmod 0400 "$N/proc/801/smaps_rollup" &&
		as_nobody /system.slice/nginx.service >out 2>err &&
		grep -q "^memlens: warning: 1 cgroup file could not be read; the first: cannot read /system.slice/nginx.service/memory.stat: Permission denied$" err &&
		grep -q "^  breakdown  anon n/a, page cache n/a" out &&
		grep -q "^  processes  2 (2 directly), PSS n/a: 1 of 2 processes could not be read:$" out &&
		as_nobody --json /system.slice/nginx.service >doc 2>/dev/null &&
		test "$(jq -r ".cgroups[0].absent_why[\"memory.anon\"]" doc)" = "cannot read memory.stat: Permission denied" &&
		test "$(jq ".cgroups[0].memory.current" doc)" != null &&
		test "$(jq ".cgroups[0].processes.denied" doc)" = 1 &&
		COLUMNS=300 as_nobody --flat >out 2>/dev/null &&
		grep -q "PSS, USS n/a for 3 cgroups: member processes could not be read: permission denied (run as root)$" out
	'
else
	test_skip 'as nobody: unreadable files and processes' 'needs root and setpriv'
fi

test_done
