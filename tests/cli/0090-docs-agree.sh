#!/bin/sh
# --help, the man page and the three completions name the same commands and
# options as the command table (which --help is generated from).
. "$TOP_SRCDIR/tests/cli/lib.sh"

MAN="$TOP_SRCDIR/man/memlens.1"
BASH_C="$TOP_SRCDIR/completions/memlens.bash"
ZSH_C="$TOP_SRCDIR/completions/_memlens"
FISH_C="$TOP_SRCDIR/completions/memlens.fish"

# Commands: the lines of the "Commands" block of --help.
commands=$(ml --help | sed -n '/^Commands/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\).*/\1/p')
# Long options of a --help text: "  -x, --name" or "      --name".
long_options() {
	sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}--\([a-z][a-z-]*\).*/\2/p'
}

# Every long option each document mentions, one per line, exactly. The man
# page escapes each '-' (\-\-proc\-root); fish names them with "-l NAME".
grep -o '\\-\\-[a-z][a-z\\-]*' "$MAN" | sed 's/\\//g; s/^--//' | sort -u >"$TEST_ROOT/man.opts"
grep -o -- '--[a-z][a-z-]*' "$BASH_C" | sed 's/^--//' | sort -u >"$TEST_ROOT/bash.opts"
grep -o -- '--[a-z][a-z-]*' "$ZSH_C" | sed 's/^--//' | sort -u >"$TEST_ROOT/zsh.opts"
grep '^complete' "$FISH_C" | grep -o -- ' -l [a-z][a-z-]*' | sed 's/^ -l //' | sort -u >"$TEST_ROOT/fish.opts"
in_man() { grep -qx -- "$1" "$TEST_ROOT/man.opts"; }
in_bash() { grep -qx -- "$1" "$TEST_ROOT/bash.opts"; }
in_zsh() { grep -qx -- "$1" "$TEST_ROOT/zsh.opts"; }
in_fish() { grep -qx -- "$1" "$TEST_ROOT/fish.opts"; }

test_expect_success 'the completions are valid bash, zsh and fish' '
	bash -n "$BASH_C" &&
	if command -v zsh >/dev/null; then zsh -n "$ZSH_C"; fi &&
	if command -v fish >/dev/null; then fish -n "$FISH_C"; fi
'

test_expect_success 'help lists commands' '
	test -n "$commands"
'

for cmd in $commands; do
	test_expect_success "man page documents command $cmd" "
		grep -q '^\\.B $cmd\$' '$MAN'
	"
	test_expect_success "bash completion offers command $cmd" "
		grep '^	local commands=' '$BASH_C' | grep -qw '$cmd'
	"
	test_expect_success "zsh completion offers command $cmd" "
		grep -q \"^	'$cmd:\" '$ZSH_C'
	"
	test_expect_success "fish completion offers command $cmd" "
		grep -q -- '-a $cmd ' '$FISH_C'
	"
	for opt in $(ml "$cmd" --help | long_options | sort -u); do
		test_expect_success "$cmd --$opt is in the man page and completions" "
			in_man '$opt' && in_bash '$opt' && in_zsh '$opt' && in_fish '$opt'
		"
	done
done

test_expect_success 'global options of --help are in the man page and completions' '
	for opt in $(ml --help | long_options); do
		in_man "$opt" || { echo "man: --$opt"; exit 1; }
		in_bash "$opt" || { echo "bash: --$opt"; exit 1; }
		in_zsh "$opt" || { echo "zsh: --$opt"; exit 1; }
		in_fish "$opt" || { echo "fish: --$opt"; exit 1; }
	done
'

test_expect_success 'completions name no command that does not exist' '
	for c in $(grep "^	local commands=" "$BASH_C" | sed "s/.*=\"//; s/\".*//"); do
		echo "$commands" | grep -qx "$c" || { echo "bash: $c"; exit 1; }
	done &&
	for c in $(sed -n "s/^	'"'"'\([a-z-]*\):.*/\1/p" "$ZSH_C"); do
		echo "$commands" | grep -qx "$c" || { echo "zsh: $c"; exit 1; }
	done &&
	for c in $(sed -n "s/.* -a \([a-z-]*\) -d .*/\1/p" "$FISH_C"); do
		echo "$commands" | grep -qx "$c" || { echo "fish: $c"; exit 1; }
	done
'

test_expect_success 'man page and completions name no option that does not exist' '
	{ ml --help; for c in $commands; do ml "$c" --help; done; } | long_options | sort -u >known &&
	for doc in man bash zsh fish; do
		for o in $(cat "$TEST_ROOT/$doc.opts"); do
			grep -qx -- "$o" known || { echo "$doc: --$o"; exit 1; }
		done
	done
'

test_expect_success 'man page names no command that does not exist' '
	for c in $(sed -n "/^\.SH COMMANDS/,/^\.SH /p" "$MAN" | sed -n "/^\.TP/{n;s/^\.B \([a-z-]*\).*/\1/p}"); do
		echo "$commands" | grep -qx "$c" || { echo "man: $c"; exit 1; }
	done
'

test_done
