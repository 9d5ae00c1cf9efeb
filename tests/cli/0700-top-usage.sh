#!/bin/sh
# memlens top outside a terminal, and its usage errors: all exit 2 before
# touching the terminal.
. "$TOP_SRCDIR/tests/cli/lib.sh"

test_expect_success 'not on a terminal: a clear error suggesting -n N or --json, exit 2' '
	test_expect_code 2 ml --proc-root "$FIXTURES/linux-6.18" top </dev/null >out 2>err &&
	test ! -s out &&
	grep -q "^memlens: top is a live dashboard and needs a terminal, but standard output is not one$" err &&
	grep -q "memlens -i SEC -n N" err && grep -q "memlens --json -n N" err
'

test_expect_success 'stdout a terminal is not enough: stdin must be one too' '
	if ! command -v script >/dev/null; then echo "no script(1)"; exit 0; fi
	script -qec "\"$MEMLENS\" --proc-root \"$FIXTURES/linux-6.18\" top </dev/null; echo status=\$?" /dev/null >out 2>&1 &&
	grep -q "standard input is not one" out &&
	grep -q "status=2" out
'

test_expect_success 'top has no JSON output' '
	test_expect_code 2 ml top --json </dev/null >out 2>err &&
	grep -q "'"'"'top'"'"' has no JSON output" err
'

test_expect_success 'an unknown view is a usage error naming the views' '
	test_expect_code 2 ml top --view nope </dev/null 2>err &&
	grep -q "unknown view '"'"'nope'"'"' (overview, processes, slab, vmalloc, buddy, zones or cgroups)" err
'

test_expect_success 'an interval under 0.1 s is a usage error' '
	test_expect_code 2 ml top -i 0.05 </dev/null 2>err &&
	grep -q "at most ten times a second" err
'

test_expect_success 'top takes no --sort, --limit or arguments' '
	test_expect_code 2 ml top --sort pss </dev/null 2>err &&
	grep -q "does not take --sort or --limit" err &&
	test_expect_code 2 ml top extra </dev/null 2>err &&
	grep -q "unexpected argument" err
'

test_expect_success 'top --help: the views, the keys, --view, -i and -n' '
	ml top --help >help &&
	grep -q "^Usage: memlens \[OPTION\]... top$" help &&
	grep -q -- "--view NAME" help &&
	grep -q -- "--interval SEC" help &&
	grep -q -- "--count N" help &&
	grep -q "Keys: q quit, h help, space pause" help &&
	! grep -q -- "^ *--json" help
'

test_expect_success 'the command list names top' '
	ml --help | grep -q "^  top  *the live dashboard"
'

test_done
