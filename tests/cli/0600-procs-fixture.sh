#!/bin/sh
# memlens procs on the procs-6.18 fixture tree: text, sort keys, filters,
# grouping, and usage errors.
. "$TOP_SRCDIR/tests/cli/lib.sh"

T="$FIXTURES/procs-6.18"
EXP="$TOP_SRCDIR/tests/cli/expected"
# The report header names the proc root: make it independent of the checkout.
norm() {
	strip_time | sed "s|$FIXTURES/|FIXTURES/|g"
}

# The expected reports are those of an 80-column terminal: COLUMNS says so
# (without a terminal or COLUMNS, command lines are never cut).
test_expect_success 'procs: ranked by PSS, kernel threads, zombie and exited process left out' '
	COLUMNS=80 ml --proc-root "$T" procs | norm >out &&
	test_cmp "$EXP/0600-procs.txt" out
'

test_expect_success 'procs -k: the fixture figures in KiB' '
	COLUMNS=80 ml --proc-root "$T" procs -k | norm >out &&
	test_cmp "$EXP/0600-procs-k.txt" out
'

test_expect_success 'procs into a pipe or a file: command lines are not cut (grep finds them)' '
	ml --proc-root "$T" procs >out &&
	grep -q "^ 700  0 .*  sshd: /usr/sbin/sshd -D \[listener\] 0 of 10-100 startups$" out &&
	grep -q "^1234  0 .*  /srv/fixture/manyvma --vmas 4000$" out &&
	! grep -q "~$" out &&
	ml --proc-root "$T" procs | grep -q "10-100 startups$"
'

test_expect_success 'procs -w/--wide: not cut even at 80 columns; without it, cut with a ~' '
	COLUMNS=80 ml --proc-root "$T" procs >cut &&
	grep -q "^ 700  0 .*  sshd: /usr/sbin/sshd -D \[l~$" cut &&
	COLUMNS=80 ml --proc-root "$T" procs -w >out &&
	grep -q "^ 700  0 .*  sshd: /usr/sbin/sshd -D \[listener\] 0 of 10-100 startups$" out &&
	COLUMNS=80 ml --proc-root "$T" procs --wide >out2 &&
	test_cmp out out2 &&
	test $(wc -l <out) = $(wc -l <cut)
'

test_expect_success 'procs --sort: each key orders the rows as expected' '
	first() { ml --proc-root "$T" procs --sort="$1" | sed -n "/^ *PID /{n;p;q}" | awk "{print \$1}"; } &&
	test "$(first pss)" = 1234 &&
	test "$(first uss)" = 1234 &&
	test "$(first rss)" = 1234 &&
	test "$(first swap)" = 700 &&
	test "$(first swappss)" = 700 &&
	test "$(first anon)" = 1234 &&
	test "$(first file)" = 700 &&
	test "$(first shmem)" = 800 &&
	test "$(first pid)" = 310 &&
	test "$(first command)" = 800 &&
	test "$(first -pss)" = 320 &&
	test "$(first -pid)" = 4242
'

test_expect_success 'procs --sort anon: processes without Pss_Anon (3.10) show n/a and sort last' '
	ml --proc-root "$T" procs --sort anon -k >out &&
	grep -q "ANON  COMMAND" out &&
	tail -n 4 out | head -n 3 | awk "{print \$7}" | sort -u >col &&
	echo n/a >want && test_cmp want col
'

test_expect_success 'procs --limit 3: three rows, totals over all' '
	ml --proc-root "$T" procs --limit 3 -k >out &&
	test $(sed "1,/^ *PID /d" out | wc -l) = 4 &&
	grep -q "^ *total  19095 .*8 processes (3 shown)$" out
'

test_expect_success 'procs -u, -p, --match filter (and combine)' '
	ml --proc-root "$T" procs -u 1000 | sed "1,/^ *PID /d" | awk "{print \$1}" >out &&
	printf "800\n4242\n900\ntotal\n" >want && test_cmp want out &&
	ml --proc-root "$T" procs --user root -p 310,320,1234 | sed "1,/^ *PID /d" | awk "{print \$1}" >out &&
	printf "1234\n320\ntotal\n" >want && test_cmp want out &&
	ml --proc-root "$T" procs --match "^(nginx|busy)" | sed "1,/^ *PID /d" | awk "{print \$1}" >out &&
	printf "310\n320\ntotal\n" >want && test_cmp want out &&
	ml --proc-root "$T" procs --match "my worker --name" -k | grep -q "^900  1000   300 "
'

test_expect_success 'procs --group user and --group command' '
	ml --proc-root "$T" procs --group user -k | norm >out &&
	test_cmp "$EXP/0600-procs-group-user.txt" out &&
	ml --proc-root "$T" procs --group command --sort command | norm >out &&
	test_cmp "$EXP/0600-procs-group-command.txt" out
'

test_expect_success 'procs -p with a PID that does not exist: the report, then exit 1' '
	test_expect_code 1 ml --proc-root "$T" procs -p 800,777 >out 2>err &&
	grep -q "^ *800 " out &&
	grep -q "^memlens: no process 777$" err
'

test_expect_success 'procs usage errors exit 2' '
	test_expect_code 2 ml --proc-root "$T" procs --group pid 2>err &&
	grep -q "invalid --group" err &&
	test_expect_code 2 ml --proc-root "$T" procs -u no-such-user-here 2>err &&
	grep -q "unknown user" err &&
	test_expect_code 2 ml --proc-root "$T" procs -p 12,x 2>err &&
	grep -q "invalid PID list" err &&
	test_expect_code 2 ml --proc-root "$T" procs --match "(" 2>err &&
	grep -q "invalid --match" err &&
	test_expect_code 2 ml --proc-root "$T" procs --sort size 2>err &&
	grep -q "cannot sort by" err &&
	test_expect_code 2 ml --proc-root "$T" procs extra 2>err
'

test_expect_success 'procs: a proc root that does not exist is a runtime error' '
	test_expect_code 1 ml --proc-root "$TEST_ROOT/nowhere" procs 2>err &&
	grep -q "nowhere" err
'

test_done
