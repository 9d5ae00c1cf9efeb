#!/bin/sh
# memlens serve: GET /metrics in the negotiated format, gzip, HEAD, the index
# page, 404 and 405; a fresh reading per scrape, the same numbers as memlens
# metrics; the time limit; one log line per error, never per scrape; the
# default address; SIGTERM and SIGINT.
. "$TOP_SRCDIR/tests/cli/lib.sh"
. "$TOP_SRCDIR/tests/cli/lib-serve.sh"

PROM_ACCEPT='Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'

promtool_check() {
	if command -v promtool >/dev/null 2>&1; then promtool check metrics <"$1"; fi
}

# The body of an answer saved by "http get" (after the empty line).
body() {
	sed '1,/^\r\{0,1\}$/d' "$1"
}

test_expect_success 'only src/serve/http.c includes microhttpd.h; src/serve knows no model' '
	(cd "$TOP_SRCDIR/src" && grep -rl "^#include <microhttpd\.h>" .) >mhd &&
	echo ./serve/http.c | cmp - mhd &&
	! grep -h "^#include \"" "$TOP_SRCDIR"/src/serve/* | grep -v "\"\(config\|compat\|util\|serve/[a-z]*\)\.h\""
'

mkdir -p "$TEST_ROOT/fx" && (cd "$TEST_ROOT/fx" && fixture_copy linux-6.18)
FX="$TEST_ROOT/fx/proc"
# Its sys root, with hugetlb pools: every source readable, so that the log
# holds nothing but the address until a test breaks a source.
SYS="$TEST_ROOT/sys"
cp -R "$FIXTURES/linux-6.18-sys" "$SYS" && mkdir -p "$SYS/kernel/mm" &&
	cp -R "$FIXTURES/huge-6.18-sys/kernel/mm/hugepages" "$SYS/kernel/mm/"
# and a cgroup v2 hierarchy (mountinfo in the proc root, fs/cgroup in the sys root)
mkdir -p "$FX/self" "$SYS/fs" && cp "$FIXTURES/cgroup-v2-systemd/proc/self/mountinfo" "$FX/self/" &&
	cp -R "$FIXTURES/cgroup-v2-systemd/sys/fs/cgroup" "$SYS/fs/"

if ! serve_start --proc-root "$FX" --sys-root "$SYS"; then
	test_skip 'memlens serve' 'it did not start'
	test_done
fi

test_expect_success 'GET /metrics without Accept: the text format 0.0.4' '
	http get /metrics >a &&
	grep -q "^HTTP/1.1 200" a &&
	grep -qi "^Content-Type: text/plain; version=0.0.4; charset=utf-8" a &&
	body a >b && ! grep -q "^# EOF" b && ! grep -q "^# UNIT" b &&
	grep -q "^memlens_memory_part_bytes{part=\"free\"}" b &&
	promtool_check b
'

# libmicrohttpd is loaded (dlopen) by memlens serve only: the server maps
# it, and the dynamic loader's trace of another command never names it.
test_expect_success 'libmicrohttpd is loaded by serve, not by the other commands' '
	grep -q "/libmicrohttpd\.so" "/proc/$SERVE_PID/maps" &&
	LD_DEBUG=libs ml --proc-root "$FX" meminfo >out 2>trace &&
	grep -q "calling init" trace &&
	! grep -q libmicrohttpd trace
'

test_expect_success 'GET /metrics as Prometheus asks: OpenMetrics' '
	http get /metrics "$PROM_ACCEPT" >a &&
	grep -qi "^Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8" a &&
	body a >b && test "$(tail -n 1 b)" = "# EOF" &&
	grep -q "^# UNIT memlens_memory_part_bytes bytes" b &&
	promtool_check b
'

test_expect_success 'gzip when Accept-Encoding allows it, plain otherwise; Vary' '
	http get /metrics "Accept-Encoding: gzip" >a &&
	grep -qi "^Content-Encoding: gzip" a &&
	grep -qi "^Vary: Accept, Accept-Encoding" a &&
	body a >b && grep -q "^memlens_build_info" b &&
	http get /metrics "Accept-Encoding: gzip;q=0, identity" >p &&
	! grep -qi "^Content-Encoding" p &&
	body p >q && grep -q "^memlens_build_info" q
'

test_expect_success 'the numbers are those of memlens metrics on the same tree' '
	http get /metrics "$PROM_ACCEPT" >a && body a | grep -v "^memlens_scrape_duration" >got &&
	ml --proc-root "$FX" --sys-root "$SYS" metrics 2>/dev/null |
		grep -v "^memlens_scrape_duration" >want &&
	test_cmp want got
'

test_expect_success 'each scrape reads afresh: a changed meminfo shows at once' '
	http get /metrics >a && grep -q "^memlens_memory_part_bytes{part=\"free\"} 24877658112" a &&
	sed "s/^MemFree: .*/MemFree:        24000000 kB/" "$FX/meminfo" >mi &&
	cat mi >"$FX/meminfo" &&
	http get /metrics >b && grep -q "^memlens_memory_part_bytes{part=\"free\"} 24576000000" b
'

test_expect_success 'HEAD /metrics: the headers, no body' '
	/usr/bin/python3 "$HTTP_CLIENT" "$SERVE_PORT" method HEAD /metrics >a &&
	grep -q "^HTTP/1.1 200" a
'

test_expect_success 'GET / is a page that links to /metrics' '
	http get / >a &&
	grep -q "^HTTP/1.1 200" a && grep -qi "^Content-Type: text/html" a &&
	grep -q "href=\"/metrics\"" a
'

test_expect_success 'other paths are 404, other methods 405 with Allow' '
	http method GET /metricsx >a && grep -q "^HTTP/1.1 404" a &&
	http method GET /metrics/ >a && grep -q "^HTTP/1.1 404" a &&
	http method GET /favicon.ico >a && grep -q "^HTTP/1.1 404" a &&
	http method POST /metrics >a && grep -q "^HTTP/1.1 405" a && grep -q "^Allow: GET, HEAD" a &&
	http method DELETE / >a && grep -q "^HTTP/1.1 405" a &&
	http method PUT /metrics >a && grep -q "^HTTP/1.1 405" a
'

test_expect_success 'nothing is logged per scrape' '
	for i in 1 2 3 4 5; do http get /metrics >/dev/null; done &&
	test "$(wc -l <"$SERVE_ERR")" = 1
'

serve_stop
echo $? >"$TEST_ROOT/stop.rc"
test_expect_success 'SIGTERM stops it cleanly (exit 0)' '
	test "$(cat "$TEST_ROOT/stop.rc")" = 0
'

# Unreadable sources: one line each when it becomes so, not one per scrape.
fixture_dir="$TEST_ROOT/fx2"
mkdir -p "$fixture_dir" && (cd "$fixture_dir" && fixture_copy linux-6.18)
if serve_start --proc-root "$fixture_dir/proc"; then
	test_expect_success 'a source that becomes unreadable: one log line, readable 0, then back' '
		http get /metrics >a && grep -q "^memlens_source_readable{source=\"slabinfo\"} 1" a &&
		cp "$fixture_dir/proc/slabinfo" good &&
		cat "$FIXTURES/slabinfo-v2.0/slabinfo" >"$fixture_dir/proc/slabinfo" &&
		http get /metrics >a && http get /metrics >b && http get /metrics >c &&
		grep -q "^memlens_source_readable{source=\"slabinfo\"} 0" c &&
		! grep -q "^memlens_slab_cache" c &&
		test "$(grep -c "slabinfo" "$SERVE_ERR")" = 1 &&
		grep -q "serve: slabinfo: .*2.0.*; left out until it can be read" "$SERVE_ERR" &&
		cat good >"$fixture_dir/proc/slabinfo" &&
		http get /metrics >d && http get /metrics >e &&
		grep -q "^memlens_source_readable{source=\"slabinfo\"} 1" e &&
		grep -q "^memlens_slab_cache_bytes" e &&
		test "$(grep -c "slabinfo: readable again" "$SERVE_ERR")" = 1
	'
	kill -INT "$SERVE_PID"
	wait "$SERVE_PID"
	echo $? >"$TEST_ROOT/stop.rc"
	SERVE_PID=
	test_expect_success 'SIGINT stops it cleanly too' '
		test "$(cat "$TEST_ROOT/stop.rc")" = 0
	'
fi

# The time limit: processes with many mappings take longer to read than allowed.
manyvma() {
	/usr/bin/python3 -c '
import mmap, os, sys, time
maps = [mmap.mmap(-1, 4096, prot=mmap.PROT_READ if i % 2 else mmap.PROT_READ | mmap.PROT_WRITE)
        for i in range(3000)]
for _ in range(9):
    if os.fork() == 0:
        break
print(os.getpid(), flush=True)
time.sleep(float(sys.argv[1]))
' "$1"
}
if [ -r /proc/self/smaps_rollup ] && serve_start --timeout 0.002; then
	manyvma 60 >"$TEST_ROOT/vma.pids" &
	wait_for_lines "$TEST_ROOT/vma.pids" 10 >/dev/null
	test_expect_success 'a reading that runs out of time answers with what it read' '
		http get /metrics >a &&
		grep -q "^HTTP/1.1 200" a &&
		grep -q "^memlens_source_readable{source=\"meminfo\"} 1" a &&
		grep -q "^memlens_source_readable{source=\"processes\"} 0" a &&
		grep -q "^memlens_memory_part_bytes{part=\"free\"}" a &&
		! grep -q "^memlens_process_group" a &&
		body a >b && promtool_check b
	'
	test_expect_success 'the time limit is logged once, not per scrape' '
		http get /metrics >/dev/null && http get /metrics >/dev/null &&
		test "$(grep -c "processes: .*time limit" "$SERVE_ERR")" = 1
	'
	kill $(cat "$TEST_ROOT/vma.pids") 2>/dev/null
	serve_stop
else
	test_skip 'a reading that runs out of time' 'needs smaps_rollup and a server'
fi

test_expect_success 'the default address is 127.0.0.1:17913 (loopback only)' '
	"$MEMLENS" serve --help >h && grep -q "127.0.0.1:17913" h &&
	{ "$MEMLENS" serve 2>err & pid=$!; } &&
	w=0; while ! grep -q "listening\|cannot listen" err && [ $w -lt 100 ]; do sleep 0.1; w=$((w + 1)); done &&
	kill -TERM $pid; wait $pid;
	if grep -q "Address already in use" err; then
		echo "# port 17913 is taken on this machine: only --help checked"
	else
		grep -qx "memlens: serve: listening on http://127.0.0.1:17913/metrics" err
	fi
'

test_expect_success 'usage errors: --listen, --timeout, --client-timeout' '
	test_expect_code 2 ml serve --listen nonsense 2>err && grep -q "invalid --listen" err &&
	test_expect_code 2 ml serve --listen 127.0.0.1: 2>err &&
	test_expect_code 2 ml serve --listen "256.1.1.1:80" 2>err &&
	test_expect_code 2 ml serve --timeout 0 2>err &&
	test_expect_code 2 ml serve --client-timeout 0.5 2>err &&
	test_expect_code 2 ml serve --json 2>err
'

test_expect_success 'a port in use: exit 1 and why' '
	/usr/bin/python3 -c "
import socket, sys, time
s = socket.socket(); s.bind((\"127.0.0.1\", 0)); s.listen(1)
print(s.getsockname()[1], flush=True); time.sleep(30)" >port &
	holder=$! && wait_for_lines port 1 &&
	test_expect_code 1 ml serve --listen "127.0.0.1:$(cat port)" 2>err;
	rc=$?; kill $holder; [ $rc = 0 ] && grep -q "cannot listen on 127.0.0.1:.*Address already in use" err
'

test_done
