#!/bin/sh
# Bad input: bad lines are counted and reported with the file and line while
# the rest is shown; input with no usable data is an error naming the file.
# Nothing crashes, nothing hangs, nothing is shown as 0 that was not read.
. "$TOP_SRCDIR/tests/cli/lib.sh"

M="$FIXTURES/linux-6.18/meminfo"

test_expect_success 'garbage lines: warning with file and line, exit 0, rest shown' '
	mkdir proc && { head -3 "$M"; echo "this is not meminfo"; echo "Cached: lots kB"; tail -n +6 "$M"; } >proc/meminfo &&
	ml --proc-root proc >out 2>err &&
	grep -qx "memlens: warning: proc/meminfo: 2 bad lines ignored; first at line 4 (no '"'"':'"'"' after the key): \"this is not meminfo\"" err &&
	grep -q "^  page cache  *n/a  *no Cached line$" out &&
	ml --proc-root proc --json >json 2>/dev/null &&
	test "$(json_get json ".parse_errors[0].bad_lines")" = 2 &&
	test "$(json_get json ".parse_errors[0].first_bad_line")" = 4 &&
	test "$(json_get json ".parse_errors[0].file")" = proc/meminfo &&
	test "$(jq ".accounting.parts[] | select(.name == \"page_cache\") | .bytes" json)" = null
'

test_expect_success 'truncated in the middle of a line: the cut value is not used' '
	mkdir proc && head -c 70 "$M" >proc/meminfo &&
	ml --proc-root proc meminfo --json >json 2>err &&
	grep -q "line 3 (no newline at end of file (truncated))" err &&
	test "$(jq -c ".meminfo | keys_unsorted" json)" = "[\"MemTotal\",\"MemFree\"]"
'

test_expect_success 'copies without the final newline: a whole last line is read, a cut one refused' '
	cp -R "$FIXTURES/linux-6.18" proc && chmod -R u+w proc &&
	for f in meminfo zoneinfo vmallocinfo; do truncate -s -1 proc/$f; done &&
	for c in zones meminfo vmalloc; do
		ml --proc-root proc $c --json >got.$c 2>err.$c &&
		test ! -s err.$c &&
		ml --proc-root "$FIXTURES/linux-6.18" $c --json >want.$c &&
		jq -S "del(.source, .time, .read_at)" want.$c >w &&
		jq -S "del(.source, .time, .read_at)" got.$c >g &&
		test_cmp w g || exit 1
	done &&
	jq -e "[.zones[] | select(.protection_pages == null)] | length == 0" got.zones >/dev/null &&
	truncate -s -2 proc/zoneinfo &&
	ml --proc-root proc zones >out 2>err &&
	grep -q "warning: proc/zoneinfo: 1 bad line ignored; first at line [0-9]* (no newline at end of file (truncated)): \"        protection: (0, 0, 0, 0, \"" err &&
	truncate -s -1 proc/vmstat &&
	ml --proc-root proc >out 2>err &&
	grep -q "warning: proc/vmstat: 1 bad line ignored; .*(no newline at end of file (truncated))" err
'

test_expect_success 'binary garbage: no MemTotal, exit 1, file named' '
	mkdir proc && head -c 4096 /dev/urandom >proc/meminfo &&
	test_expect_code 1 ml --proc-root proc 2>err &&
	grep -q "proc/meminfo: no MemTotal line" err
'

test_expect_success 'a 10 MB line: counted as too long, no crash, rest parsed' '
	mkdir proc && { head -c 10485760 /dev/zero | tr "\0" "x"; echo; cat "$M"; } >proc/meminfo &&
	ml --proc-root proc >out 2>err &&
	grep -q "first at line 1 (line too long)" err &&
	grep -q "^Memory   total 23.5 GiB" out
'

test_expect_success 'a value that overflows 64 bits: a bad line, never wrapped' '
	mkdir proc && sed "s/^MemFree: .*/MemFree: 99999999999999999999 kB/" "$M" >proc/meminfo &&
	ml --proc-root proc --json >json 2>err &&
	grep -q "(value does not fit in 64 bits)" err &&
	test "$(jq .memory.free json)" = null
'

test_expect_success 'a negative number: a bad line' '
	mkdir proc && sed "s/^Buffers: .*/Buffers: -2036 kB/" "$M" >proc/meminfo &&
	ml --proc-root proc --json >json 2>err &&
	grep -q "line 4 (no value)" err &&
	test "$(jq .memory.buffers json)" = null
'

test_expect_success 'duplicate keys: the first is kept, the second reported' '
	mkdir proc && { cat "$M"; echo "MemTotal:       1 kB"; } >proc/meminfo &&
	ml --proc-root proc --json >json 2>err &&
	grep -q "line 55 (duplicate key)" err &&
	test "$(json_get json .memory.total)" = $((24684092 * 1024))
'

test_expect_success 'CRLF line ends: read like LF' '
	fixture_copy linux-6.18 && ml --proc-root proc --json >lf &&
	sed -i "s/$/\r/" proc/meminfo proc/vmstat &&
	ml --proc-root proc --json >crlf 2>err && test ! -s err &&
	test "$(jq -S "del(.source)" crlf)" = "$(jq -S "del(.source)" lf)"
'

test_expect_success 'unknown keys are not errors' '
	mkdir proc && { cat "$M"; echo "GPUActive:      4096 kB"; } >proc/meminfo &&
	ml --proc-root proc >out 2>err && test ! -s err
'

test_expect_success 'a broken vmstat does not stop the summary' '
	fixture_copy linux-6.18 && printf "\001\002\003 x\nnr_free_pages -1\n" >proc/vmstat &&
	ml --proc-root proc >out 2>err &&
	grep -q "proc/vmstat: 2 bad lines ignored; first at line 1 (no value)" err &&
	grep -q "^Reclaim  n/a (proc/vmstat: no counters)" out &&
	grep -q "^Memory" out
'

test_done
