# Drive memlens top in tmux, for the tests under tests/tui/ (TAP through
# tests/cli/lib.sh).
#
#   . "$TOP_SRCDIR/tests/tui/lib-tui.sh"
#   test_expect_success 'the slab view' '
#       top_fixture &&
#       tui_start "--proc-root proc -i 100 --color=never" &&
#       tui_keys 3 && tui_wait_for "\[3 slab\]" &&
#       tui_screen >screen && grep -q dentry screen &&
#       tui_quit
#   '
#
# Each test gets its own tmux server (a socket in its scratch directory) with
# no configuration, running "sh -i" in the scratch directory; memlens runs in
# that shell, which writes memlens's exit status and "stty -g" before and
# after to files, so a test can tell that the terminal came back as it was.
# Nothing waits a fixed time alone: tui_wait_for polls the screen until the
# text is there, for at most TUI_TIMEOUT seconds (10).

. "$TOP_SRCDIR/tests/cli/lib.sh"

TUI_TIMEOUT=${TUI_TIMEOUT:-10}

# Every test's tmux server goes with the scratch directory, whatever happened.
trap 'for _s in "$TEST_ROOT"/*/.tmux.sock; do
	[ -S "$_s" ] && tmux -S "$_s" kill-server 2>/dev/null
done
rm -rf "$TEST_ROOT"' EXIT

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

# tmux on this test's socket, without the user's configuration.
tx() {
	tmux -S "$PWD/.tmux.sock" -f /dev/null "$@"
}

# Copy the dashboard's fixture machine to ./proc (links followed).
top_fixture() {
	cp -RL "$FIXTURES/top-6.18" ./proc && chmod -R u+w ./proc
}

# tui_start [-s WxH] [-u] ARGS: run "memlens top ARGS" in a new tmux of 120x40
# (or WxH); -u runs it in a UTF-8 locale (C.UTF-8), otherwise LC_ALL=C.
# TUI_ENV may hold more VAR=VALUE words for memlens's environment.
tui_start() {
	_w=120
	_h=40
	_lc=C
	_u=
	while :; do
		case $1 in
		-s)
			_w=${2%x*}
			_h=${2#*x}
			shift 2
			;;
		-u)
			_lc=C.UTF-8
			_u=-u
			shift
			;;
		*) break ;;
		esac
	done
	rm -f exit.status stty.before stty.after
	tx $_u new-session -d -x "$_w" -y "$_h" -c "$PWD" "env PS1='$ ' LC_ALL=$_lc sh -i" || return 1
	tui_wait_for '^\$ ?$' || return 1
	tx send-keys "stty -g >stty.before; env ${TUI_ENV:-} '$MEMLENS' top $1; echo \$? >exit.status; stty -g >stty.after" Enter
	tui_wait_for '^memlens top ' || return 1
}

# The screen as text.
tui_screen() {
	tx capture-pane -p
}

# The screen with its colors and attributes as escape sequences.
tui_screen_attrs() {
	tx capture-pane -p -e
}

# Send keys (tmux names: Enter, Escape, Tab, BTab, Up, Down, NPage, C-c).
tui_keys() {
	tx send-keys "$@"
}

# Type a literal string.
tui_type() {
	tx send-keys -l "$1"
}

# tui_wait_for REGEX [SECONDS]: wait until a line of the screen matches.
tui_wait_for() {
	_i=0
	_n=$(( ${2:-$TUI_TIMEOUT} * 20 ))
	while [ $_i -lt $_n ]; do
		if tx capture-pane -p 2>/dev/null | grep -E -q -- "$1"; then
			return 0
		fi
		sleep 0.05
		_i=$((_i + 1))
	done
	echo "timed out waiting for /$1/ on the screen:"
	tx capture-pane -p 2>/dev/null | sed 's/^/| /'
	return 1
}

# tui_wait_row TITLE ROW: wait until the line after the one matching TITLE
# (a table's first row) matches ROW (both extended regular expressions).
tui_wait_row() {
	_i=0
	_n=$((TUI_TIMEOUT * 20))
	while [ $_i -lt $_n ]; do
		if tx capture-pane -p 2>/dev/null | sed -E -n "/$1/{n;p;q;}" | grep -E -q -- "$2"; then
			return 0
		fi
		sleep 0.05
		_i=$((_i + 1))
	done
	echo "timed out waiting for the row after /$1/ to match /$2/; the screen:"
	tx capture-pane -p 2>/dev/null | sed 's/^/| /'
	return 1
}

# tui_wait_gone REGEX [SECONDS]: wait until no line of the screen matches.
tui_wait_gone() {
	_i=0
	_n=$(( ${2:-$TUI_TIMEOUT} * 20 ))
	while [ $_i -lt $_n ]; do
		if ! tx capture-pane -p 2>/dev/null | grep -E -q -- "$1"; then
			return 0
		fi
		sleep 0.05
		_i=$((_i + 1))
	done
	echo "timed out waiting for /$1/ to go:"
	tx capture-pane -p 2>/dev/null | sed 's/^/| /'
	return 1
}

# Wait until memlens has exited and the shell has written its status.
tui_wait_exit() {
	_i=0
	_n=$(( ${1:-$TUI_TIMEOUT} * 20 ))
	while [ $_i -lt $_n ]; do
		if [ -s stty.after ]; then
			return 0
		fi
		sleep 0.05
		_i=$((_i + 1))
	done
	echo "memlens did not exit; the screen:"
	tx capture-pane -p 2>/dev/null | sed 's/^/| /'
	return 1
}

# memlens exited with status 0, the shell's prompt is back at the bottom of a
# normal screen, and the terminal's settings are what they were before.
tui_restored() {
	tui_wait_exit || return 1
	test "$(cat exit.status)" = "${1:-0}" || { echo "exit status $(cat exit.status)"; return 1; }
	test_cmp stty.before stty.after || return 1
	tui_wait_for '^\$ ?$' || return 1
	# The alternate screen is gone: no dashboard line is left on the screen.
	if tui_screen | grep -q '^memlens top '; then
		echo "the dashboard is still on the screen:"
		tui_screen | sed 's/^/| /'
		return 1
	fi
}

# Quit with q and check the terminal came back.
tui_quit() {
	tui_keys q && tui_restored
}

# The screen with the clock and the refresh count made stable, for test_cmp.
tui_stable() {
	tui_screen | sed -e 's/[0-9][0-9]:[0-9][0-9]:[0-9][0-9]  every/HH:MM:SS  every/'
}

# The PID of memlens top running in the test's tmux.
tui_pid() {
	_pane=$(tx display-message -p '#{pane_pid}')
	pgrep -P "$_pane" -x memlens || pgrep -P "$_pane" -f "top"
}

# Kill this test's tmux server (each test's own; also at the end of the script).
tui_stop() {
	tx kill-server 2>/dev/null
	return 0
}
