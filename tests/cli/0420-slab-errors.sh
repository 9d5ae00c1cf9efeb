#!/bin/sh
# memlens slab errors: no permission (0400/0600, tested as uid 65534), no
# slabinfo at all, other versions, garbage, truncation, usage errors.
. "$TOP_SRCDIR/tests/cli/lib.sh"

L618="$FIXTURES/linux-6.18"

# A world-readable copy of a fixture in a world-accessible directory, with
# slabinfo set to mode $2; prints the proc root.
private_copy() {
	_d=$(mktemp -d "${TMPDIR:-/tmp}/memlens-slab.XXXXXX") &&
	chmod 755 "$_d" &&
	cp -R "$FIXTURES/$1" "$_d/proc" &&
	chmod -R a+rX "$_d/proc" &&
	chmod "$2" "$_d/proc/slabinfo" &&
	echo "$_d/proc"
}

# Run memlens as nobody (uid 65534) when root, else as ourselves.
as_nobody() {
	if is_root; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMLENS" "$@"
	else
		"$MEMLENS" "$@"
	fi
}

if is_root || [ "$(id -u)" != 65534 ]; then
	test_expect_success 'slabinfo mode 0400 (SLUB), not root: exit 1, says which file and what to do' '
		root=$(private_copy linux-6.18 0400) &&
		if ! is_root; then chmod 000 "$root/slabinfo"; fi &&
		test_expect_code 1 as_nobody --proc-root "$root" slab >out 2>err &&
		mode=$(is_root && echo 0400 || echo 0000) &&
		echo "memlens: cannot open $root/slabinfo: Permission denied (run as root: the file is mode $mode)" >expect &&
		test_cmp expect err &&
		test ! -s out &&
		test_expect_code 1 as_nobody --proc-root "$root" slab --json >out 2>err &&
		test ! -s out && test_cmp expect err;
		rc=$?; rm -rf "${root%/proc}"; exit $rc
	'
	test_expect_success 'slabinfo mode 0600 (SLAB), not root: the mode is named' '
		root=$(private_copy slab-statistics 0600) &&
		if ! is_root; then chmod 000 "$root/slabinfo"; fi &&
		test_expect_code 1 as_nobody --proc-root "$root" slab 2>err &&
		if is_root; then grep -q "Permission denied (run as root: the file is mode 0600)\$" err; else grep -q "Permission denied" err; fi;
		rc=$?; rm -rf "${root%/proc}"; exit $rc
	'
else
	test_skip 'slabinfo mode 0400, not root' 'running as uid 65534 itself'
	test_skip 'slabinfo mode 0600, not root' 'running as uid 65534 itself'
fi

test_expect_success 'no slabinfo at all: exit 1, says CONFIG_SLUB_DEBUG' '
	fixture_copy linux-6.18 && rm proc/slabinfo &&
	test_expect_code 1 ml --proc-root proc slab >out 2>err &&
	echo "memlens: cannot open proc/slabinfo: No such file or directory (the capture has none: it was left out, or the kernel is built with SLUB but without CONFIG_SLUB_DEBUG)" >expect &&
	test_cmp expect err && test ! -s out
'

test_expect_success 'slabinfo version 2.0: exit 1, names the file and the version' '
	test_expect_code 1 ml --proc-root "$FIXTURES/slabinfo-v2.0" slab >out 2>err &&
	echo "memlens: $FIXTURES/slabinfo-v2.0/slabinfo: unsupported slabinfo version \"2.0\" (memlens reads version 2.1)" >expect &&
	test_cmp expect err && test ! -s out &&
	test_expect_code 1 ml --proc-root "$FIXTURES/slabinfo-v2.0" slab --json >out 2>err &&
	test_cmp expect err && test ! -s out
'

test_expect_success 'a file that is not slabinfo: exit 1, shows its first line' '
	fixture_copy linux-6.18 && cp proc/meminfo proc/slabinfo &&
	test_expect_code 1 ml --proc-root proc slab 2>err &&
	grep -q "^memlens: proc/slabinfo: not a slabinfo file: the first line is \"MemTotal:       24684092 kB\"\$" err
'

test_expect_success 'an empty slabinfo: exit 1' '
	fixture_copy linux-6.18 && : >proc/slabinfo &&
	test_expect_code 1 ml --proc-root proc slab 2>err &&
	grep -q "^memlens: proc/slabinfo: empty file: no \"slabinfo - version:\" header\$" err
'

test_expect_success 'slabinfo is a directory: exit 1' '
	fixture_copy linux-6.18 && rm proc/slabinfo && mkdir proc/slabinfo &&
	test_expect_code 1 ml --proc-root proc slab 2>err &&
	grep -q "^memlens: cannot read proc/slabinfo: is a directory\$" err
'

test_expect_success 'a truncated slabinfo: a warning naming the line, exit 0' '
	fixture_copy linux-6.18 &&
	head -c 5000 "$L618/slabinfo" >proc/slabinfo &&
	ml --proc-root proc slab --limit 1 >out 2>err &&
	grep -q "^memlens: warning: proc/slabinfo: 1 bad line ignored; first at line 47 (no newline at end of file (truncated))" err &&
	grep -q "^SLUB, 44 caches" out
'

test_expect_success 'no meminfo: the table still, the comparison n/a and why' '
	fixture_copy linux-6.18 && rm proc/meminfo &&
	ml --proc-root proc slab >out 2>err &&
	test ! -s err &&
	grep -q "^  n/a (cannot open proc/meminfo: No such file or directory)\$" out &&
	grep -q "page size unknown: memory in pages\$" out &&
	grep -q "^(page size: cannot open .*meminfo: No such file or directory)\$" out &&
	grep -q "^  ext4_inode_cache " out
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 ml --proc-root "$L618" slab --sort size 2>err &&
	grep -q "^memlens: '"'"'slab'"'"' cannot sort by '"'"'size'"'"'\$" err &&
	test_expect_code 2 ml --proc-root "$L618" slab --limit -1 2>err &&
	grep -q "invalid limit" err &&
	test_expect_code 2 ml --proc-root "$L618" slab extra 2>err &&
	grep -q "unexpected argument '"'"'extra'"'"'" err &&
	test_expect_code 2 ml --proc-root "$L618" slab -n 0 2>err
'

test_done
