#!/bin/sh
# The "why" comments point at the project's own format reference: every
# "doc/procfs.md section N" cited anywhere in the tree (code, tests, fixtures'
# READMEs, docs; a citation may wrap across comment lines) is a heading of
# doc/procfs.md, and nothing cites a document the repository does not have.
. "$TOP_SRCDIR/tests/cli/lib.sh"

DOC="$TOP_SRCDIR/doc/procfs.md"

# The tree's text files, without build directories, one a line.
(cd "$TOP_SRCDIR" && find . -mindepth 1 \
	\( -name '.git' -o -name 'build*' -o -name '_build' -o -name 'autom4te.cache' \
	-o -name 'memlens-[0-9]*' \) -prune -o -type f \
	\( -name '*.[ch]' -o -name '*.sh' -o -name '*.md' -o -name '*.py' -o -name '*.1' \
	-o -name '*.json' -o -name '*.am' -o -name '*.ac' -o -name '*.bash' -o -name '*.fish' \
	-o -name '_memlens' -o -name '.clang-format' -o -name 'run-all' -o -name 'summarize' \
	-o -name '*.supp' \) -print) | LC_ALL=C sort >"$TEST_ROOT/files"

# "FILE<TAB>N" for every section cited as "doc/procfs.md section N" (or
# "sections N, M and K"), lines joined and comment leaders dropped first.
citations() {
	(cd "$TOP_SRCDIR" && xargs perl -0777 -ne '
		s/\n[ \t]*(?:\*(?!\/)|#|\/\/)?[ \t]*/ /g;
		while (m{doc/procfs\.md,?\s+sections?\s+(\d+(?:\.\d+)?(?:(?:,\s*|\s+and\s+|\s+or\s+|-)\d+(?:\.\d+)?)*)}g) {
			my $list = $1;
			print "$ARGV\t$_\n" for $list =~ /(\d+(?:\.\d+)?)/g;
		}' <"$TEST_ROOT/files")
}
citations >"$TEST_ROOT/cited"

# Is section N a heading of doc/procfs.md ("## N. Title", "### N.M Title")?
has_section() {
	case $1 in
	*.*) grep -q "^### $(echo "$1" | sed 's/\./\\./g') " "$DOC" ;;
	*) grep -q "^## $1\\. " "$DOC" ;;
	esac
}

test_expect_success 'doc/procfs.md is there, with sections 1 to 19' '
	test -f "$DOC" &&
	for n in 1 2 3 4 5 6 7 8 9 10 11 12 12.1 12.2 12.3 12.4 13 14 15 16 17 18 19; do
		has_section $n || { echo "no section $n"; exit 1; }
	done
'

test_expect_success 'no section number is a heading twice' '
	grep -E "^##+ [0-9]" "$DOC" | sed -E "s/^#+ ([0-9.]*[0-9]).*/\\1/" | sort | uniq -d >twice &&
	! test -s twice
'

test_expect_success 'the tree cites doc/procfs.md (the scan finds the citations)' '
	test "$(wc -l <"$TEST_ROOT/files")" -gt 100 &&
	grep -q "^./src/proc/meminfo.c	2\$" "$TEST_ROOT/cited" &&
	grep -q "^./src/model/fragmentation.c	12.4\$" "$TEST_ROOT/cited" &&
	grep -q "^./src/model/watermarks.h	12.3\$" "$TEST_ROOT/cited"
'

test_expect_success 'every cited section of doc/procfs.md exists' '
	while IFS="	" read -r file n; do
		has_section "$n" || echo "$file cites doc/procfs.md section $n, which does not exist"
	done <"$TEST_ROOT/cited" >missing &&
	! test -s missing || { cat missing; exit 1; }
'

test_expect_success 'doc/procfs.md refers only to its own sections' '
	perl -0777 -ne "s/\\n/ /g; print \"\$1\\n\" while /[Ss]ections?\\s+(\\d+(?:\\.\\d+)?)/g" "$DOC" |
		sort -u >inside &&
	test -s inside &&
	for n in $(cat inside); do
		has_section "$n" || { echo "section $n"; exit 1; }
	done
'

# The documents the code was first written from are not in the repository,
# nor is anything outside it.
test_expect_success 'nothing cites a document outside the repository' '
	(cd "$TOP_SRCDIR" && xargs grep -nE \
		"PROCFS[.]md|DESIGN[.]md|STYLE[.]md|[.][.]/shared/|shared/[s]amples" <"$TEST_ROOT/files") >bad
	! test -s bad || { cat bad; exit 1; }
'

test_done
