#!/bin/sh
# memlens buddy: what goes wrong. Missing and unreadable files, garbage,
# truncation, --types without permission (the rest is printed, exit 1),
# usage errors (exit 2).
. "$TOP_SRCDIR/tests/cli/lib.sh"

test_expect_success 'no buddyinfo: exit 1, the file named' '
	fixture_copy two-node && rm proc/buddyinfo &&
	test_expect_code 1 ml --proc-root proc buddy >out 2>err &&
	test ! -s out &&
	grep -x "memlens: cannot open proc/buddyinfo: No such file or directory" err
'

test_expect_success 'garbage buddyinfo: exit 1, with the first bad line' '
	fixture_copy two-node &&
	printf "MemTotal: 12 kB\nhello\n" >proc/buddyinfo &&
	test_expect_code 1 ml --proc-root proc buddy >out 2>err &&
	test ! -s out &&
	grep -x "memlens: proc/buddyinfo: no zone lines" err &&
	grep -F "warning: proc/buddyinfo: 2 bad lines ignored; first at line 1 (expected \"Node N, zone NAME\"): \"MemTotal: 12 kB\"" err
'

test_expect_success 'an empty buddyinfo: exit 1' '
	fixture_copy two-node && : >proc/buddyinfo &&
	test_expect_code 1 ml --proc-root proc buddy 2>err &&
	grep -x "memlens: proc/buddyinfo: no zone lines" err
'

test_expect_success 'a truncated buddyinfo: the zones before the cut, a warning, exit 0' '
	fixture_copy two-node &&
	head -c 350 "$FIXTURES/two-node/buddyinfo" >proc/buddyinfo &&
	ml --proc-root proc buddy >out 2>err &&
	grep -F "warning: proc/buddyinfo: 1 bad line ignored; first at line 4 (no newline at end of file (truncated))" err &&
	grep -q "^Node 0, zone Normal" out &&
	! grep -q "^Node 1" out &&
	ml --proc-root proc buddy --json >j 2>/dev/null &&
	json_validate buddy.schema.json j &&
	test "$(json_get j ".parse_errors[0].file")" = proc/buddyinfo &&
	test "$(json_get j ".parse_errors[0].first_bad_line")" = 4 &&
	test "$(jq ".zones | length" j)" = 3
'

test_expect_success 'a zone line with another number of orders is reported, not used' '
	fixture_copy two-node &&
	echo "Node 1, zone  Movable      1      2 " >>proc/buddyinfo &&
	ml --proc-root proc buddy --json >j 2>err &&
	grep -F "(number of orders differs from the first zone line)" err &&
	test "$(jq ".zones | length" j)" = 4 &&
	test "$(json_get j ".parse_errors[0].why")" = "number of orders differs from the first zone line"
'

test_expect_success 'buddyinfo is a directory: exit 1' '
	fixture_copy two-node && rm proc/buddyinfo && mkdir proc/buddyinfo &&
	test_expect_code 1 ml --proc-root proc buddy 2>err &&
	grep -x "memlens: cannot read proc/buddyinfo: is a directory" err
'

test_expect_success '--types without pagetypeinfo: the report, the reason, exit 1' '
	fixture_copy two-node && rm proc/pagetypeinfo &&
	test_expect_code 1 ml --proc-root proc buddy --types >out 2>err &&
	grep -x "memlens: cannot open proc/pagetypeinfo: No such file or directory" err &&
	grep -q "^Node 1, zone Normal" out &&
	grep -x "Migrate types  n/a: cannot open proc/pagetypeinfo: No such file or directory" out &&
	test_expect_code 1 ml --proc-root proc buddy --types --json >j 2>/dev/null &&
	json_validate buddy.schema.json j &&
	test "$(jq -r .types j)" = null &&
	test "$(json_get j ".unavailable[0].source")" = pagetypeinfo &&
	test "$(json_get j ".unavailable[0].why")" = "cannot open proc/pagetypeinfo: No such file or directory" &&
	test "$(json_get j ".zones[3].free_pages")" = 8920
'

test_expect_success 'garbage pagetypeinfo with --types: exit 1, the buddy part printed' '
	fixture_copy two-node && echo junk >proc/pagetypeinfo &&
	test_expect_code 1 ml --proc-root proc buddy --types >out 2>err &&
	grep -x "memlens: proc/pagetypeinfo: no zone rows" err &&
	grep -x "Migrate types  n/a: proc/pagetypeinfo: no zone rows" out
'

# Root reads anything: run as nobody on a world-readable copy whose
# pagetypeinfo (or buddyinfo) is 0400 like the kernel's.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}
can_drop_root() {
	is_root && command -v setpriv >/dev/null 2>&1
}

if can_drop_root; then
	test_expect_success 'pagetypeinfo 0400 as non-root: buddy printed, types n/a with a hint, exit 1' '
		tmp=$(mktemp -d /tmp/memlens-buddy.XXXXXX) &&
		cp -R "$FIXTURES/two-node" "$tmp/proc" && chmod -R a+rX "$tmp" &&
		chmod 0400 "$tmp/proc/pagetypeinfo" || exit 1
		as_nobody "$MEMLENS" --proc-root "$tmp/proc" buddy --types >out 2>err
		rc=$?
		as_nobody "$MEMLENS" --proc-root "$tmp/proc" buddy --types --json >j 2>/dev/null
		rcj=$?
		rm -rf "$tmp"
		test "$rc" = 1 && test "$rcj" = 1 &&
		grep -x "memlens: cannot open $tmp/proc/pagetypeinfo: Permission denied (pagetypeinfo is readable by root only since Linux 5.4: run as root, e.g. sudo memlens buddy --types)" err &&
		grep -q "^Node 1, zone Normal" out &&
		sed -n "/^Migrate types/,\$p" out | sed "2,\$s/^  //" | tr "\n" " " >types &&
		grep -q "^Migrate types  n/a: cannot open $tmp/proc/pagetypeinfo: Permission denied (root only since Linux 5.4) \$" types &&
		json_validate buddy.schema.json j &&
		test "$(jq -r .types j)" = null &&
		test "$(json_get j ".unavailable[0].why")" = "cannot open $tmp/proc/pagetypeinfo: Permission denied (root only since Linux 5.4)" &&
		test "$(json_get j ".zones[3].free_pages")" = 8920
	'
	test_expect_success 'buddyinfo unreadable: exit 1, Permission denied' '
		tmp=$(mktemp -d /tmp/memlens-buddy.XXXXXX) &&
		cp -R "$FIXTURES/two-node" "$tmp/proc" && chmod -R a+rX "$tmp" &&
		chmod 0400 "$tmp/proc/buddyinfo" || exit 1
		as_nobody "$MEMLENS" --proc-root "$tmp/proc" buddy >out 2>err
		rc=$?
		rm -rf "$tmp"
		test "$rc" = 1 && test ! -s out &&
		grep -x "memlens: cannot open $tmp/proc/buddyinfo: Permission denied" err
	'
	test_expect_success 'the live /proc as non-root: --types says why (or works on old kernels)' '
		as_nobody "$MEMLENS" buddy --types >out 2>err
		rc=$?
		if [ -r /proc/pagetypeinfo ] && as_nobody cat /proc/pagetypeinfo >/dev/null 2>&1; then
			test "$rc" = 0
		else
			test "$rc" = 1 &&
			grep -x "memlens: cannot open /proc/pagetypeinfo: Permission denied (pagetypeinfo is readable by root only since Linux 5.4: run as root, e.g. sudo memlens buddy --types)" err &&
			grep -q "^Zones" out
		fi
	'
else
	test_skip 'pagetypeinfo 0400 as non-root' 'needs root and setpriv to become uid 65534'
	test_skip 'buddyinfo unreadable' 'needs root and setpriv to become uid 65534'
	test_skip 'the live /proc as non-root' 'needs root and setpriv to become uid 65534'
fi

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 ml --proc-root "$FIXTURES/two-node" buddy --sort free 2>err &&
	grep -x "memlens: '"'"'buddy'"'"' does not take --sort or --limit" err &&
	test_expect_code 2 ml --proc-root "$FIXTURES/two-node" buddy --limit 3 2>/dev/null &&
	test_expect_code 2 ml --proc-root "$FIXTURES/two-node" buddy extra 2>err &&
	grep -x "memlens: unexpected argument '"'"'extra'"'"'" err &&
	test_expect_code 2 ml --proc-root "$FIXTURES/two-node" buddy --typse 2>err &&
	grep -F "did you mean '"'"'--types'"'"'?" err &&
	test_expect_code 2 ml --proc-root "$FIXTURES/two-node" buddy --types=yes 2>err &&
	grep -F "option '"'"'--types'"'"' takes no argument" err
'

test_expect_success '--help describes the command and --types' '
	ml buddy --help >out &&
	grep -q "^Usage: memlens \[OPTION\]... buddy" out &&
	grep -q -- "-t, --types" out &&
	grep -q -- "--interval" out &&
	! grep -q -- "--sort" out
'

test_done
