#!/bin/sh
# make install with DESTDIR puts the binary, the man page and the three
# completions where their tools look; the installed bash completion works;
# make uninstall removes them again.
. "$TOP_SRCDIR/tests/cli/lib.sh"

: "${TOP_BUILDDIR:?}"
STAGE="$TEST_ROOT/stage"

test_expect_success 'make install DESTDIR=...' '
	make -s -C "$TOP_BUILDDIR" install DESTDIR="$STAGE" >log 2>&1 || { cat log; exit 1; }
	find "$STAGE" -type f | sed "s|^$STAGE||" | sort >installed &&
	grep -q "/bin/memlens$" installed &&
	grep -q "/man/man1/memlens.1$" installed &&
	grep -q "/bash-completion/completions/memlens$" installed &&
	grep -q "/zsh/site-functions/_memlens$" installed &&
	grep -q "/fish/vendor_completions.d/memlens.fish$" installed
'

test_expect_success 'the installed binary runs' '
	"$(find "$STAGE" -path "*/bin/memlens")" --version | grep -q "^memlens "
'

test_expect_success 'the man page renders without warnings' '
	if command -v man >/dev/null; then
		MANWIDTH=80 man --warnings -l "$(find "$STAGE" -name memlens.1)" >page 2>warn &&
		test ! -s warn && grep -q "MemTotal" page
	fi
'

if [ -r /usr/share/bash-completion/bash_completion ] && command -v bash >/dev/null; then
	test_expect_success 'the installed bash completion completes commands and options' '
		comp=$(find "$STAGE" -path "*/bash-completion/completions/memlens") &&
		bash -c ". /usr/share/bash-completion/bash_completion; . \"$comp\";
			COMP_WORDS=(memlens me); COMP_CWORD=1; COMP_LINE=\"memlens me\"; COMP_POINT=10;
			_memlens; printf \"%s\n\" \"\${COMPREPLY[@]}\"" >words &&
		grep -qx meminfo words &&
		bash -c ". /usr/share/bash-completion/bash_completion; . \"$comp\";
			COMP_WORDS=(memlens summary --pro); COMP_CWORD=2; COMP_LINE=\"memlens summary --pro\"; COMP_POINT=21;
			_memlens; printf \"%s\n\" \"\${COMPREPLY[@]}\"" >words2 &&
		grep -qx -- --proc-root words2
	'
else
	test_skip 'the installed bash completion completes' 'bash-completion is not installed'
fi

test_expect_success 'make uninstall removes every file' '
	make -s -C "$TOP_BUILDDIR" uninstall DESTDIR="$STAGE" >log 2>&1 || { cat log; exit 1; }
	test -z "$(find "$STAGE" -type f)"
'

test_done
