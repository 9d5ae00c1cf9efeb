#!/bin/sh
# memlens maps PID on the procs-6.18 fixture: the kinds, the files, --all,
# old and odd formats, and every way a PID can fail.
. "$TOP_SRCDIR/tests/cli/lib.sh"

T="$FIXTURES/procs-6.18"
EXP="$TOP_SRCDIR/tests/cli/expected"
norm() {
	strip_time | sed "s|$FIXTURES/|FIXTURES/|g"
}

for pid in 1234 4242 310 320 400; do
	test_expect_success "maps $pid: kinds, rollup check and files" "
		ml --proc-root '$T' maps $pid | norm >out &&
		test_cmp '$EXP/0610-maps-$pid.txt' out
	"
done

test_expect_success 'maps 1234: 4028 mappings in ten kinds agree with smaps_rollup' '
	ml --proc-root "$T" maps 1234 -k >out &&
	grep -q "^anonymous private (mmap)  *4004  *16088  *8032  *8032  *8032 " out &&
	grep -q "^total  *4028  *18508  *9688  *8123  *8120 " out &&
	grep -q "^smaps_rollup  *-  *9688  *8124  *8120 " out &&
	grep -q "^The totals agree with smaps_rollup" out &&
	grep -q "/srv/fixture/my file\\\\012name.bin (deleted)$" out &&
	grep -q "/srv/fixture/with space.bin$" out
'

test_expect_success 'maps 4242: a rollup from another moment differs, and says so' '
	ml --proc-root "$T" maps 4242 -k >out &&
	grep -q "^smaps_rollup differs from the totals (Rss -60, Pss -2, USS -12): the process changed between the two reads.$" out
'

test_expect_success 'maps --all: every mapping, pmap -X style, with a totals row' '
	ml --proc-root "$T" maps 4242 --all -k | norm >out &&
	test_cmp "$EXP/0610-maps-4242-all.txt" out &&
	ml --proc-root "$T" maps 1234 --all >out &&
	test $(grep -c " anon  " out) = 4004 &&
	grep -q "^ *total .* 4028 mappings$" out
'

test_expect_success 'maps --sort and --limit order and cut the files' '
	ml --proc-root "$T" maps 4242 --sort name --limit 2 >out &&
	grep -q "^Mapped files, by name (2 of 16)$" out &&
	tail -n 2 out | sed "s/.*  //" >names &&
	printf "%s\n" /usr/bin/cat /usr/lib/locale/C.utf8/LC_ADDRESS >want &&
	test_cmp want names &&
	ml --proc-root "$T" maps 4242 --sort=-size --limit 1 | tail -n 1 | grep -q "LC_ADDRESS$"
'

# add_files SMAPS N: put N mappings of N files /srv/lib/libNN.so in front of
# SMAPS (below its first address), each with the fields of its first record.
add_files() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import sys
text = open(sys.argv[1]).read()
fields = text.split("\n")[1:25]
out = []
for i in range(int(sys.argv[2])):
    start = 0x100000000 + i * 0x10000
    out.append("%x-%x r--p 00000000 fe:00 %d%s/srv/lib/lib%02d.so"
               % (start, start + 0x2000, 900000 + i, " " * 22, i))
    out += fields
open(sys.argv[1], "w").write("\n".join(out) + "\n" + text)
PY
}

test_expect_success 'maps: the mapped files cut at 20 in text, how many more said; JSON has all' '
	fixture_copy procs-6.18 &&
	add_files proc/4242/smaps 30 &&
	ml --proc-root proc maps 4242 >out 2>err &&
	grep -q "^Mapped files, by Pss (20 of 46; 26 more with --limit 0)$" out &&
	test $(sed -n "/^Mapped files/,\$p" out | wc -l) = 22 &&
	ml --proc-root proc maps 4242 --limit 0 >all 2>/dev/null &&
	grep -q "^Mapped files, by Pss$" all &&
	test $(sed -n "/^Mapped files/,\$p" all | wc -l) = 48 &&
	ml --proc-root proc maps 4242 --limit 25 2>/dev/null | grep -q "^Mapped files, by Pss (25 of 46)$" &&
	ml --proc-root proc maps 4242 --json 2>/dev/null | jq -e ".files | length == 46" >/dev/null &&
	ml --proc-root proc maps 4242 --json --limit 3 2>/dev/null | jq -e ".files | length == 3" >/dev/null
'

test_expect_success 'maps: a PID that does not exist: a clear message, exit 1' '
	test_expect_code 1 ml --proc-root "$T" maps 4243 >out 2>err &&
	test ! -s out &&
	grep -q "^memlens: no process 4243 (in $T)$" err
'

test_expect_success 'maps: a kernel thread, a zombie and an exited process: exit 1, said so' '
	test_expect_code 1 ml --proc-root "$T" maps 2 2>err &&
	grep -q "process 2 (kthreadd) is a kernel thread" err &&
	test_expect_code 1 ml --proc-root "$T" maps 3 2>err &&
	grep -q "kernel thread" err &&
	test_expect_code 1 ml --proc-root "$T" maps 600 2>err &&
	grep -q "process 600 (defunct-child) has no user memory (a zombie)" err &&
	test_expect_code 1 ml --proc-root "$T" maps 500 2>err &&
	grep -q "cannot open .*/500/smaps: No such file or directory" err
'

test_expect_success 'maps: usage errors exit 2' '
	test_expect_code 2 ml --proc-root "$T" maps 2>err &&
	grep -q "needs PID" err &&
	test_expect_code 2 ml --proc-root "$T" maps abc 2>err &&
	grep -q "invalid PID .abc." err &&
	test_expect_code 2 ml --proc-root "$T" maps 0 2>err &&
	test_expect_code 2 ml --proc-root "$T" maps 1 2 2>err &&
	test_expect_code 2 ml --proc-root "$T" maps 1234 --sort pid 2>err &&
	test_expect_code 2 ml --proc-root "$T" maps 1234 -n 0 2>err &&
	test_expect_code 2 ml --proc-root "$T" maps 1234 --json=pretty -n 2 2>err
'

test_done
