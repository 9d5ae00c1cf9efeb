#!/bin/sh
# Signals and pipes, for every command: a closed pipe ends memlens quietly;
# SIGINT and SIGTERM during a repeated report end it cleanly (exit 130 and 143
# as shells report them, nothing on stderr, every JSON line whole); a full disk
# is a write error, exit 1.
. "$TOP_SRCDIR/tests/cli/lib.sh"

# A command and the fixture it reads.
COMMANDS='summary:linux-6.18 meminfo:linux-6.18 buddy:linux-6.18 zones:linux-6.18
vmalloc:linux-6.18 slab:linux-6.18 procs:procs-6.18 maps_4242:procs-6.18'

for spec in $COMMANDS; do
	cmd=$(echo "${spec%%:*}" | tr _ ' ')
	F="$FIXTURES/${spec#*:}"
	test_expect_success "$cmd | head -1: ends quietly" "
		{ ml --proc-root '$F' $cmd 2>err; echo \$? >rc; } | head -1 >out &&
		test -s out && test ! -s err &&
		{ test \$(cat rc) = 0 || test \$(cat rc) = 141; }
	"

	# maps is one report of one process: it takes no -i or -n.
	repeats=true
	"$MEMLENS" $cmd --help | grep -q -- "--interval" || repeats=false
	if $repeats; then
		test_expect_success "$cmd -i 0.01 | head -1: ends quietly (SIGPIPE, no message)" "
			{ ml --proc-root '$F' $cmd -i 0.01 2>err; echo \$? >rc; } | head -1 >out &&
			test -s out && test ! -s err &&
			{ test \$(cat rc) = 0 || test \$(cat rc) = 141; }
		"

		test_expect_success "$cmd --json -i 0.01 | head -2: ends quietly" "
			{ ml --proc-root '$F' $cmd --json -i 0.01 2>err; echo \$? >rc; } | head -2 >out &&
			test \$(wc -l <out) = 2 && test ! -s err &&
			{ test \$(cat rc) = 0 || test \$(cat rc) = 141; }
		"

		test_expect_success "$cmd -i: SIGINT ends it cleanly, exit 130" "
			\"\$MEMLENS\" --proc-root '$F' $cmd -i 0.05 >out 2>err &
			pid=\$!
			wait_for_lines out 3
			w=\$?
			kill -INT \$pid
			wait \$pid
			rc=\$?
			test \$w = 0 && test \$rc = 130 && test ! -s err && test -s out
		"

		test_expect_success "$cmd --json -i: SIGTERM ends it cleanly, exit 143; every line is a whole document" "
			\"\$MEMLENS\" --proc-root '$F' $cmd --json -i 0.05 >out 2>err &
			pid=\$!
			wait_for_lines out 2
			w=\$?
			kill -TERM \$pid
			wait \$pid
			rc=\$?
			test \$w = 0 && test \$rc = 143 && test ! -s err &&
			test \$(wc -l <out) -ge 2 &&
			while read -r line; do printf '%s\n' \"\$line\" | jq -e .memlens >/dev/null || exit 1; done <out
		"
	fi

	test_expect_success "$cmd >/dev/full: write error, exit 1" "
		test_expect_code 1 ml --proc-root '$F' $cmd >/dev/full 2>err &&
		grep -qx 'memlens: write error: No space left on device' err
	"

	test_expect_success "$cmd --json >/dev/full: write error, exit 1" "
		test_expect_code 1 ml --proc-root '$F' $cmd --json >/dev/full 2>err &&
		grep -qx 'memlens: write error: No space left on device' err
	"

	if $repeats; then
		test_expect_success "$cmd -n 3 -i 0.01 >/dev/full: stops at the first failed write, exit 1" "
			test_expect_code 1 ml --proc-root '$F' $cmd -n 3 -i 0.01 >/dev/full 2>err &&
			test \$(grep -c 'write error' err) = 1
		"
	fi
done

test_done
