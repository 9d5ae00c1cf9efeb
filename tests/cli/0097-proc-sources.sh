#!/bin/sh
# Every parser in src/proc (a const struct ml_source) comes with what the
# checklist at the top of src/proc/source.h asks for: declared in its header,
# its format cited from doc/procfs.md, a unit test that feeds it in chunks, a fuzz harness built by Makefile.am
# with seeds for tests/fuzz/run.sh, and its file in a fixture tree.
. "$TOP_SRCDIR/tests/cli/lib.sh"

S=$TOP_SRCDIR
MK="$S/Makefile.am"

# A field of the initializer of ml_src_NAME in FILE.c: "field FILE NAME KEY".
field() {
	sed -n "/^const struct ml_source ml_src_$3 = {\$/,/^};/p" "$S/src/proc/$2.c" |
		sed -n "s/^[[:space:]]*\\.$1 = \"\\([^\"]*\\)\",.*/\\1/p"
}

# "FILE NAME PATH BASE" for every source: src/proc/FILE.c defines ml_src_NAME,
# whose .path is PATH ("-" for the per-PID files, which have none) and .name
# is BASE (the file's name: "status", "smaps_rollup").
for c in "$S"/src/proc/*.c; do
	file=${c##*/}
	file=${file%.c}
	for name in $(sed -n 's/^const struct ml_source ml_src_\([a-z0-9_]*\) = {$/\1/p' "$c"); do
		path=$(field path "$file" "$name")
		echo "$file $name ${path:--} $(field name "$file" "$name")"
	done
done >"$TEST_ROOT/sources"

# In a Makefile.am list: a line of just the entry (and its backslash).
listed() {
	grep -qE "^	$1( \\\\)?\$" "$MK"
}

# "harnesses_ok NAME": some tests/fuzz/fuzz-H.c names ml_src_NAME; each such
# harness is in FUZZ_HARNESSES, has its LDADD line, and has seeds.
harnesses_ok() {
	_hs=$(cd "$S/tests/fuzz" && grep -lw "ml_src_$1" fuzz-*.c)
	test -n "$_hs" || { echo "no harness names ml_src_$1"; return 1; }
	for _h in $_hs; do
		_h=${_h%.c}
		_seed=${_h#fuzz-}
		listed "tests/fuzz/$_h" || { echo "tests/fuzz/$_h: not in FUZZ_HARNESSES"; return 1; }
		grep -q "^tests_fuzz_$(echo "$_h" | tr - _)_LDADD = " "$MK" ||
			{ echo "$_h: no LDADD line"; return 1; }
		ls "$S/tests/fuzz/corpus/$_seed"/* >/dev/null 2>&1 ||
			test -n "$(find "$S/tests/fixtures" -type f -name "$_seed")" ||
			{ echo "$_h: no seeds (tests/fuzz/corpus/$_seed/ or a fixture named $_seed)"; return 1; }
	done
}

test_expect_success 'the parsers are found (meminfo, status and smaps_rollup among them)' '
	grep -qx "meminfo meminfo meminfo meminfo" "$TEST_ROOT/sources" &&
	grep -qx "pids pid_status - status" "$TEST_ROOT/sources" &&
	grep -qx "smaps smaps_rollup - smaps_rollup" "$TEST_ROOT/sources"
'

while read -r file name path base; do
	test_expect_success "ml_src_$name is declared in src/proc/$file.h" "
		grep -qx 'extern const struct ml_source ml_src_$name;' '$S/src/proc/$file.h'
	"
	test_expect_success "src/proc/$file.c or .h cites its section of doc/procfs.md" "
		cat '$S/src/proc/$file.c' '$S/src/proc/$file.h' | grep -q 'doc/procfs.md section'
	"
	test_expect_success "ml_src_$name: tests/unit/test-$file.c feeds it whole and in chunks, listed" "
		grep -qw 'ml_src_$name' '$S/tests/unit/test-$file.c' &&
		grep -qw unit_chunk_sizes '$S/tests/unit/test-$file.c' &&
		listed tests/unit/test-$file
	"
	test_expect_success "ml_src_$name has a fuzz harness, listed, with seeds" "
		harnesses_ok $name
	"
	# Per-PID files are in a process of a tree; per-cgroup files (sysfs) in a
	# cgroup of a tree's sys/fs/cgroup; a tree in the capture layout holds
	# its proc root in proc/.
	if [ "$path" = - ]; then
		test_expect_success "ml_src_$name: a process or a cgroup of a fixture tree has $base" "
			test -n \"\$(find '$S/tests/fixtures' \\( -path '*/[0-9]*/$base' -o \
				-path '*/sys/fs/cgroup/*/$base' \\) -type f)\"
		"
	else
		test_expect_success "ml_src_$name: a fixture tree has $path" "
			ls '$S'/tests/fixtures/*/$path >/dev/null 2>&1 || ls '$S'/tests/fixtures/*/proc/$path
		"
	fi
done <"$TEST_ROOT/sources"

test_done
