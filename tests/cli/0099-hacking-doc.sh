#!/bin/sh
# doc/hacking.md describes the tree as it is: every file, directory and glob
# it names exists, every ml_ symbol it names is in src/, and every make
# target it tells people to run is in Makefile.am.
. "$TOP_SRCDIR/tests/cli/lib.sh"

DOC="$TOP_SRCDIR/doc/hacking.md"

# The paths the page names in `backquotes`, as shell patterns from the top of
# the tree: NNNN and NN stand for digits, NAME for a name.
grep -o '`[^`]*`' "$DOC" | tr -d '`' | sed 's/ .*//' |
	grep -E '^(src|tests|doc|bench|man|completions|\.ci)/|^\.clang-format$|^Makefile\.am$' |
	sed 's/NNNN/[0-9][0-9][0-9][0-9]/; s/NN-/[0-9][0-9]-/; s/NAME/*/' |
	LC_ALL=C sort -u >"$TEST_ROOT/paths"

test_expect_success 'the page names paths (the scan finds them)' '
	grep -qx "src/proc/source.h" "$TEST_ROOT/paths" &&
	grep -qx "src/cmd/cmd.h" "$TEST_ROOT/paths"
'

test_expect_success 'every path it names exists (a program: its source)' '
	cd "$TOP_SRCDIR" &&
	while read -r p; do
		case $p in
		.ci/* | .clang-format)
			# not in the tarball: checked in a git checkout only
			test -e .git || continue ;;
		esac
		# shellcheck disable=SC2086
		ls -d $p >/dev/null 2>&1 || ls -d $p.c >/dev/null 2>&1 ||
			{ echo "doc/hacking.md names $p, which does not exist"; exit 1; }
	done <"$TEST_ROOT/paths"
'

test_expect_success 'every ml_ symbol it names is defined in src/' '
	grep -o "\\<ml_[a-z0-9][a-z0-9_]*" "$DOC" | sort -u >symbols &&
	test -s symbols &&
	for s in $(cat symbols); do
		grep -rqw "$s" "$TOP_SRCDIR/src" || { echo "no $s in src/"; exit 1; }
	done
'

test_expect_success 'every make target it names is in Makefile.am' '
	grep -o "make [a-z][a-z-]*" "$DOC" | sed "s/^make //" | sort -u |
		grep -vx -e check -e distcheck >targets &&
	grep -qx bench targets &&
	for t in $(cat targets); do
		grep -q "^$t:" "$TOP_SRCDIR/Makefile.am" || { echo "no target $t"; exit 1; }
	done
'

test_done
