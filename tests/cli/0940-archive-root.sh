#!/bin/sh
# The proc root as an archive: a tar (plain, gzip, zstd) of a fixture tree
# reads exactly as the tree does, for every command; a file that is neither a
# directory nor an archive is refused with its name.
. "$TOP_SRCDIR/tests/cli/lib.sh"

# norm ROOT: a document without its source, and ROOT/ as "ROOT/" in every string.
norm() {
	jq -S --arg r "$1/" 'del(.source) | walk(if type == "string" then (split($r) | join("ROOT/")) else . end)'
}

# same FIXTURE ARCHIVE COMMAND...: the JSON of COMMAND on both, equal.
same() {
	_fx=$1
	_ar=$2
	shift 2
	ml --proc-root "$FIXTURES/$_fx" --json "$@" 2>err.d | norm "$FIXTURES/$_fx" >d.json
	_rd=$?
	ml --proc-root "$_ar" --json "$@" 2>err.a | norm "$_ar" >a.json
	_ra=$?
	[ "$_rd" = "$_ra" ] || { echo "$*: exit $_rd on the tree, $_ra on $_ar"; return 1; }
	diff -u d.json a.json || return 1
	sed "s|$FIXTURES/$_fx|ROOT|g" err.d >e.d
	sed "s|$_ar|ROOT|g" err.a >e.a
	diff -u e.d e.a
}

for fx in linux-6.18 linux-3.10 two-node zones-4.19 vmalloc-6.12-modules slab-statistics; do
	test_expect_success "$fx as .tar.gz and .tar.zst: every kernel view as the tree" '
		tar czf fx.tar.gz -C "$FIXTURES/'$fx'" . &&
		tar --zstd -cf fx.tar.zst -C "$FIXTURES/'$fx'" . &&
		for ar in fx.tar.gz fx.tar.zst; do
			for cmd in summary meminfo buddy zones slab vmalloc; do
				same '$fx' "$ar" $cmd || { echo "($cmd on $ar)"; exit 1; }
			done
		done
	'
done

test_expect_success 'processes from a .tar: procs, its groupings, and maps of each kind' '
	tar cf p.tar -C "$FIXTURES/procs-6.18" . &&
	same procs-6.18 p.tar procs &&
	same procs-6.18 p.tar procs --group user &&
	same procs-6.18 p.tar maps 1234 &&
	same procs-6.18 p.tar maps 4242 --all &&
	same procs-6.18 p.tar maps 310
'

test_expect_success 'a missing process in an archive: the message of the tree' '
	tar cf p.tar -C "$FIXTURES/procs-6.18" . &&
	test_expect_code 1 ml --proc-root p.tar maps 99999 2>err &&
	grep -q "no process 99999" err
'

test_expect_success 'the text report names the archive as its root' '
	tar czf fx.tar.gz -C "$FIXTURES/linux-6.18" . &&
	ml --proc-root fx.tar.gz meminfo >out &&
	sed -n 2p out | grep -qx "read from fx.tar.gz"
'

test_expect_success 'a file that is not an archive: exit 1, named' '
	echo "not a tar" >junk.tar.gz &&
	test_expect_code 1 ml --proc-root junk.tar.gz 2>err &&
	grep -q "^memlens: cannot open proc root junk.tar.gz: Not a directory, nor an archive (cannot read junk.tar.gz: " err
'

test_expect_success 'a truncated archive: exit 1, named, nothing printed on stdout' '
	tar czf whole.tar.gz -C "$FIXTURES/linux-6.18" . &&
	head -c $(($(wc -c <whole.tar.gz) / 2)) whole.tar.gz >cut.tar.gz &&
	test_expect_code 1 ml --proc-root cut.tar.gz meminfo >out 2>err &&
	grep -q "cut.tar.gz" err &&
	test ! -s out
'

# libarchive is loaded (dlopen) by the commands that read or write an archive
# only: the dynamic loader's trace says which objects a run loaded.
test_expect_success 'libarchive is loaded for an archive root, not for a directory' '
	tar czf fx.tar.gz -C "$FIXTURES/linux-6.18" . &&
	LD_DEBUG=libs ml --proc-root "$FIXTURES/linux-6.18" meminfo >out 2>trace.d &&
	grep -q "calling init" trace.d &&
	! grep -q "libarchive" trace.d &&
	LD_DEBUG=libs ml --proc-root fx.tar.gz meminfo >out 2>trace.a &&
	grep -q "find library=libarchive" trace.a
'

test_done
