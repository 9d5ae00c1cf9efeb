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
	sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p'
}

# Every long option each document mentions, one per line, exactly. The man
# page escapes each '-' (\-\-proc\-root); fish names them with "-l NAME".
grep -o '\\-\\-[a-z][a-z0-9\\-]*' "$MAN" | sed 's/\\//g; s/^--//' | sort -u >"$TEST_ROOT/man.opts"
grep -o -- '--[a-z][a-z0-9-]*' "$BASH_C" | sed 's/^--//' | sort -u >"$TEST_ROOT/bash.opts"
grep -o -- '--[a-z][a-z0-9-]*' "$ZSH_C" | sed 's/^--//' | sort -u >"$TEST_ROOT/zsh.opts"
grep '^complete' "$FISH_C" | grep -o -- ' -l [a-z][a-z0-9-]*' | sed 's/^ -l //' | sort -u >"$TEST_ROOT/fish.opts"
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

# "memlens help [COMMAND]" is a command of the completions too, when --help says so.
known_commands=$commands
if ml --help | grep -q "^ *memlens help \[COMMAND\]"; then
	known_commands="$commands
help"
fi

test_expect_success 'completions offer "memlens help"' '
	echo "$known_commands" | grep -qx help &&
	grep "^	local commands=" "$BASH_C" | grep -qw help &&
	grep -q "^	'"'"'help:" "$ZSH_C" &&
	grep -q -- "-a help " "$FISH_C"
'

test_expect_success 'completions name no command that does not exist' '
	commands=$known_commands
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

# The part of each document about one command.
# man: from ".TP/.B CMD" to the next command's ".TP/.B" or the next ".SH".
man_section() {
	awk -v cmd="$1" -v cmds=" $(echo $commands) " '
		prev == ".TP" && /^\.B [a-z-]+$/ {
			name = $2
			if (index(cmds, " " name " ")) on = (name == cmd)
		}
		/^\.SH / { on = 0 }
		on { print }
		{ prev = $0 }' "$MAN"
}
# bash and zsh: the branch "CMD)" (or "a|CMD)") of a case, to its ";;".
case_branch() {
	awk -v cmd="$1" '
		!on && /^	[a-z|]+\)/ {
			split(substr($1, 1, index($1, ")") - 1), alts, "|")
			for (i in alts) if (alts[i] == cmd) on = 1
		}
		on { print; if (/;;/) exit }' "$2"
}
# fish: the lines of the command.
fish_lines() {
	grep -- "__fish_seen_subcommand_from $1\"" "$FISH_C"
}
# Words of a list, one a line, sorted.
words() {
	tr ' ' '\n' | sed '/^$/d' | sort
}

# Sort keys, one a line, sorted: in "memlens CMD --help" ("Sort keys (...): a
# (default) b c"), in the man page (the line after "Sort keys" / ".RB (
# \-\-sort ):", the keys in bold), in bash's sort_keys="...", zsh's
# '--sort[...]:key:(...)', fish's "-l sort -x -a '...'".
help_sort_keys() {
	ml "$1" --help | sed -n 's/^Sort keys ([^)]*)://p' | sed 's/ (default)//' | words
}
man_sort_keys() {
	man_section "$1" | sed -n '/^\.RB ( \\-\\-sort ):$/{n;p;}' |
		grep -o '\\fB[a-z_]*\\fR' | sed 's/^\\fB//; s/\\fR$//' | sort
}
bash_sort_keys() {
	case_branch "$1" "$BASH_C" | sed -n 's/.*sort_keys="\([^"]*\)".*/\1/p' | words
}
zsh_sort_keys() {
	case_branch "$1" "$ZSH_C" | sed -n "s/.*'--sort\[[^]]*\]:[a-z]*:(\([^)]*\))'.*/\1/p" | words
}
fish_sort_keys() {
	fish_lines "$1" | grep -- ' -l sort ' | sed -n "s/.* -a '\([^']*\)'.*/\1/p" | words
}

# A command's own long options, one a line, sorted: in its --help ("Options of
# CMD:"), in the man page (the items of its section), in bash's opts="...",
# in zsh's branch and in fish's lines (--sort aside: its keys are checked above).
help_own_options() {
	ml "$1" --help | sed -n "/^Options of $1:/,/^\$/p" | long_options | sort
}
man_own_options() {
	man_section "$1" | sed -n '/^\.TP$/{n;p;}' | grep -o '\\-\\-[a-z][a-z0-9\\-]*' |
		sed 's/\\//g; s/^--//' | sort -u
}
bash_own_options() {
	case_branch "$1" "$BASH_C" | sed -n 's/.*opts="\([^"]*\)".*/\1/p' | words |
		sed -n 's/^--//p' | sort -u
}
zsh_own_options() {
	case_branch "$1" "$ZSH_C" | sed 's/\${globals[^}]*}//g' | grep -o -- '--[a-z][a-z0-9-]*' |
		sed 's/^--//' | grep -vx sort | sort -u
}
fish_own_options() {
	fish_lines "$1" | grep -o -- ' -l [a-z][a-z0-9-]*' | sed 's/^ -l //' | grep -vx sort | sort -u
}

for cmd in $commands; do
	if [ -n "$(help_sort_keys "$cmd")" ]; then
		test_expect_success "$cmd: the sort keys of --help are the man page's, bash's, zsh's and fish's" '
			help_sort_keys "$cmd" >help &&
			for doc in man bash zsh fish; do
				${doc}_sort_keys "$cmd" >$doc &&
				test_cmp help $doc || { echo "in $doc"; exit 1; }
			done
		'
	else
		test_expect_success "$cmd: no sort keys in --help, none in the man page or completions" '
			for doc in man bash zsh fish; do
				test -z "$(${doc}_sort_keys "$cmd")" || { echo "in $doc"; exit 1; }
			done
		'
	fi
	test_expect_success "$cmd: its own options, and no other command's, in the man page and completions" '
		help_own_options "$cmd" >help &&
		for doc in man bash zsh fish; do
			${doc}_own_options "$cmd" >$doc &&
			test_cmp help $doc || { echo "in $doc"; exit 1; }
		done
	'
done

# explain's rules and thresholds are one table (src/model/rules/), which
# "memlens explain --rules" prints: the man page's RULES section and
# doc/explain.md name every rule and every RULE.KEY=DEFAULT in it, and none
# that is not.
EXPLAIN_DOC="$TOP_SRCDIR/doc/explain.md"
help_rules() {
	ml explain --rules | sed -n 's/^\([a-z][a-z-]*\): .*/\1/p' | sort
}
help_thresholds() {
	ml explain --rules | sed -n 's/^  \([a-z-]*\.[a-z_0-9]*=[^ ]*\) .*/\1/p' | sort
}
man_rules_section() {
	sed -n '/^\.SH RULES$/,/^\.SH [A-Z]/p' "$MAN" | sed 's/\\-/-/g'
}
man_rules() {
	man_rules_section | sed -n '/^\.TP$/{n;s/^\.B \([a-z][a-z-]*\)$/\1/p;}' | sort
}
man_thresholds() {
	man_rules_section | sed -n 's/^\.B \([a-z-]*\.[a-z_0-9]*=[^ ]*\)$/\1/p' | sort
}
doc_rules() {
	sed -n 's/^### \([a-z][a-z-]*\) — .*/\1/p' "$EXPLAIN_DOC" | sort
}
doc_thresholds() {
	grep -o '`[a-z-]*\.[a-z_0-9]*=[^`]*`' "$EXPLAIN_DOC" | tr -d '`' | sort -u
}

test_expect_success 'explain: the rules of --rules are the man page'"'"'s and doc/explain.md'"'"'s' '
	help_rules >help && test -s help &&
	man_rules >man && test_cmp help man &&
	doc_rules >doc && test_cmp help doc
'

test_expect_success 'explain: every RULE.KEY=DEFAULT of --rules, and no other, in the man page and doc/explain.md' '
	help_thresholds >help && test -s help &&
	man_thresholds >man && test_cmp help man &&
	doc_thresholds >doc && test_cmp help doc
'

# top's views: the names memlens top itself knows (its error for an unknown
# one lists them from the dashboard's table) are those of its --help, the man
# page and the three completions, in the same order.
test_expect_success 'top --view: the same views in --help, the man page and the completions' '
	test_expect_code 2 ml top --view no-such-view 2>err &&
	sed -n "s/.*unknown view .no-such-view. (\(.*\))$/\1/p" err | sed "s/, / /g; s/ or / /" >views &&
	test -s views &&
	ml top --help | tr -s " \n" "  " |
		sed -n "s/.*the view to start with: \([^:]*\) Global options:.*/\1/p" |
		sed "s/ (default)//; s/, / /g; s/ or / /; s/ *$//" >help && echo >>help &&
	test_cmp views help &&
	sed -n "/^\.B top\$/,/^\.B capture/p" "$TOP_SRCDIR/man/memlens.1" | tr -s " \n" "  " >man.top &&
	for v in $(cat views); do grep -q "$v" man.top || { echo "man: no $v"; exit 1; }; done &&
	sed -n "s/.*--view\[the first view\]:view:(\([^)]*\)).*/\1/p" "$ZSH_C" >zsh &&
	test_cmp views zsh &&
	grep -A4 "^	--view)" "$BASH_C" | sed -n "s/.*-W \"\(overview[^\"]*\)\".*/\1/p" >bash &&
	test_cmp views bash &&
	sed -n "s/.*subcommand_from top\" -l view -x -a .\([^\x27]*\). .*/\1/p" "$FISH_C" >fish &&
	test_cmp views fish
'

test_done
