#!/bin/sh
# Bad input around captures: a corrupt or truncated archive, a manifest of an
# unknown schema or not JSON, a directory that is not a capture; and captures
# that cannot be finished: a full filesystem (a small tmpfs), SIGINT in the
# middle, an existing output. Each: a clear message naming the file, exit 1,
# nothing left under the final name and no temporary left behind.
. "$TOP_SRCDIR/tests/cli/lib.sh"

F="$FIXTURES/linux-6.18"

# nothing_left NAME: neither NAME nor a temporary of it exists.
nothing_left() {
	test ! -e "$1" || { echo "$1 exists"; return 1; }
	! ls -d "$1".tmp-* 2>/dev/null || { echo "a temporary of $1 is left"; return 1; }
}

test_expect_success 'a corrupt archive: exit 1, named' '
	head -c 4096 /dev/urandom >junk.tar.gz &&
	test_expect_code 1 ml --capture junk.tar.gz 2>err >out &&
	grep -q "^memlens: cannot read capture junk.tar.gz: " err && test ! -s out
'

test_expect_success 'a truncated archive: exit 1, named' '
	ml --proc-root "$FIXTURES/procs-6.18" capture -o whole.tar.gz >/dev/null &&
	head -c $(($(wc -c <whole.tar.gz) / 2)) whole.tar.gz >cut.tar.gz &&
	test_expect_code 1 ml --capture cut.tar.gz procs 2>err >out &&
	grep -q "^memlens: cannot read capture cut.tar.gz: " err && test ! -s out
'

test_expect_success 'a manifest of a schema this memlens does not read: exit 1, why' '
	ml --proc-root "$F" capture -o cap >/dev/null &&
	jq ".manifest_schema = 2" cap/memlens-capture.json >m && mv m cap/memlens-capture.json &&
	test_expect_code 1 ml --capture cap 2>err &&
	grep -qx "memlens: cap/memlens-capture.json: manifest schema 2 is not one this memlens reads (it reads 1): the capture was written by a newer memlens" err &&
	tar -C cap -czf cap.tar.gz . &&
	test_expect_code 1 ml --capture cap.tar.gz meminfo 2>err &&
	grep -q "cap.tar.gz/memlens-capture.json: manifest schema 2" err
'

test_expect_success 'a manifest that is not JSON, or not a manifest: exit 1, why' '
	ml --proc-root "$F" capture -o cap >/dev/null &&
	echo "{\"manifest_schema\": 1, \"files\": [" >cap/memlens-capture.json &&
	test_expect_code 1 ml --capture cap 2>err &&
	grep -q "^memlens: cap/memlens-capture.json: not JSON: " err &&
	echo "{\"something\": 1}" >cap/memlens-capture.json &&
	test_expect_code 1 ml --capture cap 2>err &&
	grep -q "^memlens: cap/memlens-capture.json: not a memlens capture manifest" err
'

test_expect_success 'a directory that is not a capture: exit 1, and what to use instead' '
	test_expect_code 1 ml --capture "$F" 2>err &&
	grep -qx "memlens: $F is not a memlens capture: it has no memlens-capture.json (a copied /proc tree is read with --proc-root)" err &&
	test_expect_code 1 ml --capture /nonexistent/cap 2>err &&
	grep -qx "memlens: cannot read capture /nonexistent/cap: No such file or directory" err &&
	ml --proc-root "$F" capture -o cap >/dev/null && rm -r cap/proc &&
	test_expect_code 1 ml --capture cap 2>err &&
	grep -q "^memlens: cap is not a memlens capture: cannot open cap/proc" err
'

test_expect_success 'an existing output is never overwritten: exit 1' '
	mkdir taken && echo x >taken.tar.gz &&
	test_expect_code 1 ml --proc-root "$F" capture -o taken 2>err &&
	grep -q "^memlens: taken already exists: a capture never overwrites" err &&
	test_expect_code 1 ml --proc-root "$F" capture -o taken.tar.gz 2>err &&
	test "$(cat taken.tar.gz)" = x && test -z "$(ls taken)" &&
	! ls -d taken*.tmp-* 2>/dev/null
'

test_expect_success 'an output directory that cannot be written: exit 1, named' '
	test_expect_code 1 ml --proc-root "$F" capture -o /nonexistent/dir/c.tar.gz 2>err &&
	grep -q "^memlens: cannot create /nonexistent/dir/c.tar.gz.tmp-[A-Za-z0-9]*: No such file or directory" err
'

# A tree with one large file: capturing it takes long enough to be interrupted,
# and does not fit a small filesystem.
big_tree() {
	cp -R "$F" big && chmod -R u+w big &&
	head -c "$1" /dev/urandom | base64 >big/vmallocinfo
}

test_expect_success 'SIGINT in the middle: exit 1, nothing under the name, no temporary' '
	big_tree 150000000 &&
	for o in out.tar.gz outdir; do
		# memlens itself, not the shell function: the signal is for it.
		"$MEMLENS" --proc-root big capture -o $o >out 2>err &
		pid=$! &&
		n=0 && while ! ls -d $o.tmp-* >/dev/null 2>&1 && [ $n -lt 200 ]; do sleep 0.02; n=$((n + 1)); done &&
		ls -d $o.tmp-* >/dev/null &&
		kill -INT $pid
		wait $pid
		rc=$?
		test $rc = 1 || { echo "$o: exit $rc"; cat err; exit 1; }
		grep -qx "memlens: interrupted: nothing was written to $o" err || { cat err; exit 1; }
		nothing_left $o || exit 1
	done
'

if ! is_root; then
	test_skip 'a full filesystem' 'needs root to mount a small tmpfs'
	test_done
fi
mkdir "$TEST_ROOT/small"
if ! mount -t tmpfs -o size=256k tmpfs "$TEST_ROOT/small" 2>/dev/null; then
	test_skip 'a full filesystem' 'cannot mount a tmpfs here'
	test_done
fi
trap 'umount "$TEST_ROOT/small" 2>/dev/null; rm -rf "$TEST_ROOT"' EXIT

test_expect_success 'a full filesystem: exit 1, the file and ENOSPC named, nothing left' '
	big_tree 1000000 &&
	for o in "$TEST_ROOT/small/c.tar.gz" "$TEST_ROOT/small/c.tar" "$TEST_ROOT/small/cdir"; do
		test_expect_code 1 ml --proc-root big capture -o "$o" >out 2>err || exit 1
		grep -q "^memlens: cannot write $o.tmp-.*No space left on device.*; nothing was written to $o\$" err ||
			{ cat err; exit 1; }
		nothing_left "$o" || exit 1
	done &&
	test -z "$(ls -A "$TEST_ROOT/small")"
'

test_expect_success 'the same capture fits once there is room' '
	ml --proc-root "$F" capture -o "$TEST_ROOT/small/ok.tar.gz" >out &&
	ml --capture "$TEST_ROOT/small/ok.tar.gz" meminfo >m && grep -q "^Totals" m &&
	rm "$TEST_ROOT/small/ok.tar.gz"
'

test_done
