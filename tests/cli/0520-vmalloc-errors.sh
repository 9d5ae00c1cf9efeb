#!/bin/sh
# memlens vmalloc: permission denied (as uid 65534), missing files, bad input, usage errors.
. "$TOP_SRCDIR/tests/cli/lib.sh"

# A world-readable copy of a fixture tree, in a directory anyone can enter,
# with vmallocinfo owned by root and mode 0400 as the kernel makes it.
nobody_tree() {
	_d=$(mktemp -d "${TMPDIR:-/tmp}/memlens-nobody.XXXXXX") &&
		chmod 755 "$_d" &&
		cp -R "$FIXTURES/linux-6.18" "$_d/proc" &&
		chmod -R a+rX "$_d" &&
		chmod 0400 "$_d/proc/vmallocinfo" &&
		echo "$_d"
}

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMLENS" "$@"
}

if is_root && command -v setpriv >/dev/null; then
	test_expect_success 'EACCES: names the file, says why and what to do, exit 1' '
		d=$(nobody_tree) &&
		test_expect_code 1 as_nobody --proc-root "$d/proc" vmalloc >out 2>err;
		rc=$?; rm -rf "$d"; test $rc = 0 &&
		test ! -s out &&
		grep -q "^memlens: cannot open $d/proc/vmallocinfo: Permission denied (only root can read it: the kernel creates it mode 0400; run as root, e.g. .sudo memlens vmalloc.)$" err &&
		test "$(wc -l <err)" = 1
	'
	test_expect_success 'EACCES with --json: no document, the same message' '
		d=$(nobody_tree) &&
		test_expect_code 1 as_nobody --proc-root "$d/proc" vmalloc --json >out 2>err;
		rc=$?; rm -rf "$d"; test $rc = 0 &&
		test ! -s out &&
		grep -q "cannot open .*/vmallocinfo: Permission denied (only root can read it" err
	'
	if [ -e /proc/vmallocinfo ]; then
		test_expect_success 'EACCES on the live /proc/vmallocinfo' '
			test_expect_code 1 as_nobody vmalloc >out 2>err &&
			grep -q "^memlens: cannot open /proc/vmallocinfo: Permission denied (only root can read it" err
		'
	else
		test_skip 'EACCES on the live /proc/vmallocinfo' 'no /proc/vmallocinfo here'
	fi
else
	test_skip 'EACCES: names the file, says why and what to do, exit 1' 'needs root and setpriv to become uid 65534'
	test_skip 'EACCES with --json: no document, the same message' 'needs root and setpriv'
	test_skip 'EACCES on the live /proc/vmallocinfo' 'needs root and setpriv'
fi

test_expect_success 'no vmallocinfo: exit 1 naming the file' '
	fixture_copy linux-6.18 &&
	rm proc/vmallocinfo &&
	test_expect_code 1 ml --proc-root proc vmalloc >out 2>err &&
	grep -q "^memlens: cannot open proc/vmallocinfo: No such file or directory$" err &&
	test ! -s out
'
test_expect_success 'no meminfo: the report goes on, the check says why' '
	fixture_copy linux-6.18 &&
	rm proc/meminfo &&
	ml --proc-root proc vmalloc --areas 0 --limit 1 >out 2>err &&
	grep -q "^VmallocUsed n/a (cannot open proc/meminfo: No such file or directory)$" out &&
	grep -q "^vmalloc     n/a in 3571 pages (page size unknown)" out &&
	ml --proc-root proc vmalloc --json >out.json &&
	json_validate vmalloc.schema.json out.json &&
	test "$(jq -r .vmalloc.check.state out.json)" = unknown &&
	test "$(jq -r .vmalloc.check.why out.json)" = no_vmalloc_used &&
	test "$(jq -r ".unavailable[0].source" out.json)" = meminfo &&
	test "$(jq -r .vmalloc.totals.bytes out.json)" = null
'
test_expect_success 'no vmstat: page size unknown, bytes null, never 0' '
	fixture_copy linux-6.18 &&
	rm proc/vmstat &&
	ml --proc-root proc vmalloc --json >out.json &&
	json_validate vmalloc.schema.json out.json &&
	test "$(jq -r .vmalloc.page_size out.json)" = null &&
	test "$(jq -r .vmalloc.check.why out.json)" = page_size_unknown &&
	test "$(jq -r ".vmalloc.callers[0].bytes" out.json)" = null &&
	test "$(jq -r ".vmalloc.callers[0].pages" out.json)" = 2023
'
test_expect_success 'bad lines: counted, warned about, the rest reported' '
	fixture_copy linux-6.18 &&
	{ echo "garbage here"; echo "0x0-0x0 12x f+0x1/0x2 vmalloc"; cat "$FIXTURES/linux-6.18/vmallocinfo"; } >proc/vmallocinfo &&
	ml --proc-root proc vmalloc >out 2>err &&
	grep -q "^memlens: warning: proc/vmallocinfo: 2 bad lines ignored; first at line 1 (no 0x<start>-0x<end> address range): \"garbage here\"$" err &&
	grep -q "= 3571 vmalloc.d pages x 4096 bytes: equal" out &&
	ml --proc-root proc vmalloc --json >out.json 2>/dev/null &&
	json_validate vmalloc.schema.json out.json &&
	test "$(jq -r ".parse_errors[0].bad_lines" out.json)" = 2 &&
	test "$(jq -r ".parse_errors[0].file" out.json)" = proc/vmallocinfo
'
test_expect_success 'truncated file: the cut line is reported' '
	fixture_copy linux-6.18 &&
	head -c 50000 "$FIXTURES/linux-6.18/vmallocinfo" >proc/vmallocinfo &&
	ml --proc-root proc vmalloc >out 2>err &&
	grep -q "1 bad line ignored; .*truncated" err
'
test_expect_success 'empty vmallocinfo: zero areas, said so' '
	fixture_copy linux-6.18 &&
	: >proc/vmallocinfo &&
	ml --proc-root proc vmalloc >out 2>err &&
	grep -q "^vmalloc     0 B in 0 pages of 4 KiB, 0 areas" out &&
	grep -q "vmallocinfo is empty" out
'
test_expect_success 'usage errors exit 2' '
	test_expect_code 2 ml vmalloc --by size 2>err &&
	grep -q "^memlens: invalid --by .size. (use caller, module or type)$" err &&
	test_expect_code 2 ml vmalloc --areas 65 2>err &&
	grep -q "invalid --areas .65. (give 0 to 64)" err &&
	test_expect_code 2 ml vmalloc --areas x 2>err &&
	test_expect_code 2 ml vmalloc --areas -1 2>err &&
	test_expect_code 2 ml vmalloc --sort pages 2>err &&
	grep -q "cannot sort by .pages." err &&
	test_expect_code 2 ml vmalloc extra 2>err &&
	test_expect_code 2 ml vmalloc --by 2>err &&
	grep -q "needs an argument" err
'
test_expect_success 'help lists the options and sort keys' '
	ml vmalloc --help >out &&
	grep -q -- "--by WHAT" out &&
	grep -q -- "--areas N" out &&
	grep -q "Sort keys.*bytes (default) areas va_size name growth" out
'
test_done
