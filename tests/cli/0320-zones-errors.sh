#!/bin/sh
# memlens zones: missing and unreadable zoneinfo, bad lines, usage errors.
. "$TOP_SRCDIR/tests/cli/lib.sh"

test_expect_success 'no zoneinfo: exit 1, the message names the file' '
	mkdir proc &&
	test_expect_code 1 ml --proc-root proc zones >out 2>err &&
	test ! -s out &&
	grep -qx "memlens: cannot open proc/zoneinfo: No such file or directory" err
'

test_expect_success 'zoneinfo is a directory: exit 1' '
	mkdir -p proc/zoneinfo &&
	test_expect_code 1 ml --proc-root proc zones 2>err &&
	grep -q "proc/zoneinfo: is a directory" err
'

test_expect_success 'permission denied: exit 1, with a hint' '
	dir=$(mktemp -d /tmp/memlens-zones.XXXXXX) &&
	chmod 755 "$dir" &&
	cp -R "$FIXTURES/zones-6.12" "$dir/proc" &&
	chmod -R a+rX "$dir/proc" &&
	if is_root; then
		chmod 0400 "$dir/proc/zoneinfo" &&
		test_expect_code 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$MEMLENS" --proc-root "$dir/proc" zones >out 2>err
	else
		chmod 000 "$dir/proc/zoneinfo" &&
		test_expect_code 1 ml --proc-root "$dir/proc" zones >out 2>err
	fi
	rc=$?
	rm -rf "$dir"
	test $rc = 0 &&
	test ! -s out &&
	grep -qx "memlens: cannot open $dir/proc/zoneinfo: Permission denied (run as root)" err
'

test_expect_success 'world-readable zoneinfo works for an unprivileged user' '
	if ! is_root; then exit 0; fi
	dir=$(mktemp -d /tmp/memlens-zones.XXXXXX) &&
	chmod 755 "$dir" &&
	cp -R "$FIXTURES/zones-6.12" "$dir/proc" &&
	chmod -R a+rX "$dir/proc" &&
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$MEMLENS" --proc-root "$dir/proc" zones --json >out.json
	rc=$?
	rm -rf "$dir"
	test $rc = 0 &&
	test "$(json_get out.json ".zones[2].state")" = below_min
'

test_expect_success 'bad lines: a warning naming file and line, the report goes on' '
	fixture_copy zones-6.12 &&
	sed -i "3s/.*/      nr_active_anon 12x/" proc/zoneinfo &&
	echo "trailing garbage" >>proc/zoneinfo &&
	ml --proc-root proc zones >out 2>err &&
	grep -qx "memlens: warning: proc/zoneinfo: 2 bad lines ignored; first at line 3 (unexpected text after the value): \"      nr_active_anon 12x\"" err &&
	grep -q "below min" out
'

test_expect_success 'bad lines in JSON: parse_errors' '
	fixture_copy zones-6.12 &&
	printf "Node 0, zone   Normal\n  pages free     99999999999999999999999\n" >>proc/zoneinfo &&
	ml --proc-root proc zones --json >j 2>err &&
	json_validate zones.schema.json j &&
	test "$(json_get j ".parse_errors[0].file")" = proc/zoneinfo &&
	test "$(json_get j ".parse_errors[0].bad_lines")" = 1 &&
	test "$(json_get j ".parse_errors[0].why")" = "value does not fit in 64 bits" &&
	test "$(json_get j ".zones | length")" = 6 &&
	test "$(json_get j ".zones[5].state")" = unknown &&
	jq -e ".zones[5].free_pages == null" j &&
	grep -q "warning: proc/zoneinfo: 1 bad line ignored" err
'

test_expect_success 'truncated zoneinfo: reported, the zones before it shown' '
	fixture_copy zones-4.19 &&
	n=$(grep -n "^Node 0, zone   Normal" proc/zoneinfo | cut -d: -f1) &&
	head -n $((n + 12)) "$FIXTURES/zones-4.19/zoneinfo" >proc/zoneinfo &&
	printf "      nr_zone_act" >>proc/zoneinfo &&
	ml --proc-root proc zones --json >j 2>err &&
	test "$(json_get j ".parse_errors[0].why")" = "no newline at end of file (truncated)" &&
	test "$(json_get j ".zones | length")" = 3 &&
	test "$(json_get j ".zones[2].state")" = below_low &&
	test "$(json_get j ".zones[2].counters | length")" = 4
'

test_expect_success 'empty zoneinfo: exit 1, the file named (every kernel prints a zone)' '
	fixture_copy zones-4.19 &&
	: >proc/zoneinfo &&
	test_expect_code 1 ml --proc-root proc zones >out 2>err &&
	test ! -s out &&
	grep -qx "memlens: proc/zoneinfo: no zone records" err &&
	test_expect_code 1 ml --proc-root proc zones --json >j 2>err &&
	grep -qx "memlens: proc/zoneinfo: no zone records" err
'

test_expect_success 'zoneinfo without a zone record but with lines: the error and the bad lines' '
	fixture_copy zones-4.19 &&
	printf "hello\nworld 1\n" >proc/zoneinfo &&
	test_expect_code 1 ml --proc-root proc zones >out 2>err &&
	grep -qx "memlens: proc/zoneinfo: no zone records" err &&
	grep -q "warning: proc/zoneinfo: 2 bad lines ignored; first at line 1 (line before the first \"Node\" record)" err
'

test_expect_success 'usage: an argument is an error (exit 2)' '
	test_expect_code 2 ml --proc-root "$FIXTURES/zones-6.12" zones extra 2>err &&
	grep -q "Try .memlens zones --help." err
'

test_expect_success 'usage: an unknown option is an error (exit 2)' '
	test_expect_code 2 ml zones --bogus 2>err &&
	grep -q "unknown option" err
'

test_expect_success 'zones --help describes it' '
	ml zones --help >out &&
	grep -q "^Usage: memlens \[OPTION\]... zones" out &&
	grep -q -- "--interval" out &&
	! grep -q -- "--sort" out
'

test_done
