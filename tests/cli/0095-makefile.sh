#!/bin/sh
# Makefile.am stays easy to change: every list is one entry a line and sorted
# (LC_ALL=C), nothing is listed twice, and every source, test, harness and
# benchmark in the tree is in its list (a file left out would be neither built
# nor shipped).
. "$TOP_SRCDIR/tests/cli/lib.sh"

MK="$TOP_SRCDIR/Makefile.am"

# Every multi-line list "NAME = \" as "NAME ENTRY" lines, in file order; a
# line holding more than one entry prints "NAME <many> LINE". The shell lines
# of AM_TESTS_ENVIRONMENT are not a list.
lists() {
	awk '
		in_list {
			line = $0
			cont = sub(/[ \t]*\\$/, "", line)
			sub(/^[ \t]+/, "", line)
			n = split(line, w, /[ \t]+/)
			if (n == 1)
				print name, w[1]
			else if (n > 1)
				print name, "<many>", line
			if (!cont)
				in_list = 0
			next
		}
		/^[A-Za-z_][A-Za-z_0-9]* \+?= \\$/ && $1 != "AM_TESTS_ENVIRONMENT" {
			name = $1
			in_list = 1
		}
	' "$MK"
}
lists >"$TEST_ROOT/lists"

# The entries of list NAME, one a line.
list() {
	awk -v n="$1" '$1 == n { print $2 }' "$TEST_ROOT/lists"
}

test_expect_success 'Makefile.am has lists, and finds the usual ones' '
	for v in libmemlens_a_SOURCES memlens_SOURCES UNIT_TESTS CLI_TESTS TUI_TESTS \
		FUZZ_HARNESSES EXTRA_DIST EXTRA_PROGRAMS; do
		test -n "$(list $v)" || { echo "no list $v"; exit 1; }
	done
'

test_expect_success 'every list has one entry a line' '
	! grep "<many>" "$TEST_ROOT/lists"
'

# Each list: its paths sorted and each once, then its $(VARIABLE) entries.
check_sorted() {
	for _v in $(cut -d" " -f1 "$TEST_ROOT/lists" | sort -u); do
		list "$_v" >entries
		grep -v '^\$(' entries >paths
		grep '^\$(' entries >refs
		cat paths refs | cmp -s - entries ||
			{ echo "$_v: a path after a \$(VARIABLE)"; return 1; }
		LC_ALL=C sort paths | cmp -s - paths ||
			{ echo "$_v is not sorted:"; LC_ALL=C sort paths | diff paths -; return 1; }
		LC_ALL=C sort -u paths | cmp -s - paths ||
			{ echo "$_v lists an entry twice"; return 1; }
	done
}

test_expect_success 'every list is sorted, paths first, then $(VARIABLES)' '
	check_sorted
'

test_expect_success 'EXTRA_DIST names no file inside a directory it ships whole' '
	for d in $(list EXTRA_DIST); do
		test -d "$TOP_SRCDIR/$d" || continue
		if list EXTRA_DIST | grep "^$d/"; then
			echo "listed again inside $d"
			exit 1
		fi
	done
'

# "want LIST FILE...": each FILE (a path from the top of the tree) is in LIST.
want() {
	_l=$1
	shift
	list "$_l" >listed
	for _f in "$@"; do
		grep -qx -- "$_f" listed || { echo "$_f is not in $_l"; return 1; }
	done
}

# The files of the tree matching a pattern, from its top, without ".c".
tree() {
	(cd "$TOP_SRCDIR" && ls $1) | sed "s/\\.c\$//"
}

test_expect_success 'every unit test, CLI test, tui test, harness and benchmark is listed' '
	want UNIT_TESTS $(tree "tests/unit/test-*.c") &&
	want CLI_TESTS $(tree "tests/cli/[0-9]*.sh") &&
	want TUI_TESTS $(tree "tests/tui/[0-9]*.sh") &&
	want FUZZ_HARNESSES $(tree "tests/fuzz/fuzz-*.c") &&
	want EXTRA_PROGRAMS $(tree "bench/bench-*.c")
'

# Not built, so nothing else fails when one is left out of the tarball
# (distcheck's schema tests did, for growth's schema).
test_expect_success 'every document, JSON schema, benchmark script and test library is shipped' '
	want EXTRA_DIST $(tree "doc/*.md") $(tree "doc/schema/*.json") \
		$(tree "bench/[0-9]*.sh") $(tree "tests/cli/lib*.sh")
'

test_expect_success 'every source file under src/ is in a _SOURCES list' '
	grep "_SOURCES " "$TEST_ROOT/lists" | cut -d" " -f2 | LC_ALL=C sort -u >sources &&
	(cd "$TOP_SRCDIR" && find src -name "*.[ch]") | LC_ALL=C sort >files &&
	LC_ALL=C comm -23 files sources >missing &&
	if test -s missing; then echo "not in Makefile.am:"; cat missing; exit 1; fi
'

test_expect_success 'every listed test, harness and benchmark exists' '
	for f in $(list CLI_TESTS) $(list TUI_TESTS); do
		test -f "$TOP_SRCDIR/$f" || { echo "no $f"; exit 1; }
	done &&
	for f in $(list UNIT_TESTS) $(list FUZZ_HARNESSES) $(list EXTRA_PROGRAMS); do
		test -f "$TOP_SRCDIR/$f.c" || { echo "no $f.c"; exit 1; }
	done
'

test_done
