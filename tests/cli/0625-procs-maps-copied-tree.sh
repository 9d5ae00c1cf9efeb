#!/bin/sh
# procs and maps PID on a copied tree that lacks a process's status or
# cmdline (a capture made without them, a hand-made fixture): the process is
# still there, its name (and user, state) or command line unknown, and said
# so; a missing status is not "no process".
. "$TOP_SRCDIR/tests/cli/lib.sh"

test_expect_success 'procs without PID/status: listed, name and user "unknown", a warning, JSON nulls' '
	fixture_copy procs-6.18 &&
	rm proc/4242/status &&
	ml --proc-root proc procs -k >out 2>err &&
	grep -q "^4242  unknown  *313  *152  *1688  *0  cat$" out &&
	grep -q "^ *total .* 8 processes$" out &&
	test "$(cat err)" = "memlens: warning: proc/4242/status is missing: name, user and state unknown" &&
	ml --proc-root proc procs --json >out.json 2>/dev/null &&
	json_validate procs.schema.json out.json &&
	test "$(jq -c ".processes[] | select(.pid == 4242) | [.user, .uid, .command, .ppid, .cmdline, .pss]" out.json)" = "[null,null,null,null,\"cat\",320512]" &&
	test "$(jq -c ".missing" out.json)" = "[{\"first\":\"proc/4242/status\",\"processes\":1,\"unknown\":\"name, user and state\"}]"
'

test_expect_success 'procs without PID/cmdline: the name instead of the command line, a warning, cmdline null' '
	fixture_copy procs-6.18 &&
	rm proc/800/cmdline proc/700/cmdline &&
	ml --proc-root proc procs -k >out 2>err &&
	grep -q "^ 800  1000  .*  bash$" out &&
	grep -q "^ 700  0  .*  sshd$" out &&
	test "$(cat err)" = "memlens: warning: proc/700/cmdline is missing, and 1 more process'"'"'s cmdline: command line unknown" &&
	ml --proc-root proc procs --json >out.json 2>/dev/null &&
	json_validate procs.schema.json out.json &&
	test "$(jq -c "[.processes[] | select(.cmdline == null) | .pid]" out.json)" = "[800,700]" &&
	test "$(json_get out.json ".missing[0].processes")" = 2 &&
	ml --proc-root proc procs --limit 3 --json 2>/dev/null | jq -e ".missing[0].processes == 1 and .missing[0].first == \"proc/800/cmdline\"" >/dev/null &&
	ml --proc-root proc procs --group command -k >out 2>/dev/null &&
	grep -q "^bash  *1 " out
'

test_expect_success 'maps PID without PID/status: the report, "unknown" said so; exit 0' '
	fixture_copy procs-6.18 &&
	rm proc/4242/status &&
	ml --proc-root proc maps 4242 >out 2>err &&
	grep -q "^Process 4242 (unknown)  user unknown  ppid ?  state ?$" out &&
	grep -q "^total  *38 " out &&
	test "$(cat err)" = "memlens: warning: proc/4242/status is missing: name, user and state unknown" &&
	ml --proc-root proc maps 4242 --json >out.json 2>/dev/null &&
	json_validate maps.schema.json out.json &&
	test "$(jq -c "[.process.command, .process.user, .process.uid, .process.cmdline]" out.json)" = "[null,null,null,\"cat\"]" &&
	test "$(json_get out.json ".missing[0].first")" = proc/4242/status &&
	ml --proc-root proc maps 4242 --all --json >all.json 2>/dev/null &&
	json_validate maps.schema.json all.json
'

test_expect_success 'maps PID without PID/status nor PID/cmdline: still the report' '
	fixture_copy procs-6.18 &&
	rm proc/4242/status proc/4242/cmdline &&
	ml --proc-root proc maps 4242 >out 2>err &&
	grep -q "^Process 4242 (unknown)" out &&
	grep -q "proc/4242/cmdline is missing: command line unknown" err &&
	ml --proc-root proc maps 4242 --json 2>/dev/null | jq -e ".process.cmdline == null" >/dev/null
'

test_expect_success 'a PID directory with nothing in it: maps says the process has no memory files' '
	fixture_copy procs-6.18 &&
	rm -r proc/4242 && mkdir proc/4242 &&
	test_expect_code 1 ml --proc-root proc maps 4242 >out 2>err &&
	test ! -s out &&
	grep -q "^memlens: " err
'

test_done
