#!/bin/sh
# End to end with the real engines, on loopback only, started and stopped
# here: a Prometheus server (Debian prometheus) scrapes memlens serve and its
# HTTP API says up{job="memlens"} is 1 and sum(memlens_memory_part_bytes) is
# MemTotal; node_exporter's textfile collector (Debian
# prometheus-node-exporter) reads memlens metrics -o without an error or a
# name collision, a duplicate slab cache name included (node_exporter issue
# 3506).
. "$TOP_SRCDIR/tests/cli/lib.sh"
. "$TOP_SRCDIR/tests/cli/lib-serve.sh"

PROM_PID=
NODE_PID=
trap 'serve_kill; [ -n "$PROM_PID" ] && kill -KILL $PROM_PID 2>/dev/null; [ -n "$NODE_PID" ] && kill -KILL $NODE_PID 2>/dev/null; rm -rf "$TEST_ROOT"' EXIT

# A free port on 127.0.0.1 (the kernel's choice; released just before use).
free_port() {
	/usr/bin/python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Wait until URL answers, at most $2 seconds.
wait_url() {
	_w=0
	until curl -fsS -o /dev/null "$1" 2>/dev/null; do
		[ $_w -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		_w=$((_w + 1))
	done
}

# A query's single value: query PROM_PORT EXPR.
query() {
	curl -fsS --get --data-urlencode "query=$1" "http://127.0.0.1:$PROM_PORT/api/v1/query" |
		jq -r '.data.result[0].value[1] // empty'
}

MEMTOTAL=$(awk '$1 == "MemTotal:" { printf "%.0f\n", $2 * 1024 }' /proc/meminfo)

# ------------------------------------------------------------ Prometheus
if ! command -v prometheus >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
	test_skip 'Prometheus scrapes memlens serve' 'no prometheus (Debian package prometheus) or curl'
elif ! serve_start; then
	test_skip 'Prometheus scrapes memlens serve' 'memlens serve did not start'
else
	PROM_PORT=$(free_port)
	mkdir -p "$TEST_ROOT/prom/data"
	cat >"$TEST_ROOT/prom/prometheus.yml" <<EOF
global:
  scrape_interval: 3s
  scrape_timeout: 3s
scrape_configs:
  - job_name: memlens
    static_configs:
      - targets: ['127.0.0.1:$SERVE_PORT']
EOF
	prometheus --config.file="$TEST_ROOT/prom/prometheus.yml" \
		--storage.tsdb.path="$TEST_ROOT/prom/data" \
		--web.listen-address="127.0.0.1:$PROM_PORT" >"$TEST_ROOT/prom/log" 2>&1 &
	PROM_PID=$!

	test_expect_success 'Prometheus starts on loopback' '
		wait_url "http://127.0.0.1:$PROM_PORT/-/ready" 60 || { tail -20 "$TEST_ROOT/prom/log"; exit 1; }
	'
	test_expect_success 'it scrapes memlens: up{job="memlens"} is 1' '
		w=0
		until [ "$(query "up{job=\"memlens\"}")" = 1 ]; do
			[ $w -ge 600 ] && { curl -fsS "http://127.0.0.1:$PROM_PORT/api/v1/targets"; exit 1; }
			sleep 0.1; w=$((w + 1))
		done
	'
	test_expect_success 'the target has no scrape error (OpenMetrics parsed)' '
		curl -fsS "http://127.0.0.1:$PROM_PORT/api/v1/targets" >t &&
		test "$(jq -r ".data.activeTargets[0].health" t)" = up &&
		test "$(jq -r ".data.activeTargets[0].lastError" t)" = ""
	'
	test_expect_success 'sum(memlens_memory_part_bytes) is MemTotal' '
		w=0
		until [ -n "$(query "sum(memlens_memory_part_bytes)")" ]; do
			[ $w -ge 300 ] && exit 1
			sleep 0.1; w=$((w + 1))
		done &&
		got=$(query "sum(memlens_memory_part_bytes)") &&
		echo "sum $got, MemTotal $MEMTOTAL" &&
		awk -v a="$got" -v b="$MEMTOTAL" "BEGIN { exit !(a + 0 == b + 0) }"
	'
	# A scrape on a busy machine may run out of time for some sources (they
	# are memlens_source_readable 0 then): wait for one that read them all.
	# (How many sources this machine has: without PSI, pressure is never read.)
	test_expect_success 'every family arrived, with its labels' '
		ml metrics >once 2>/dev/null &&
		n=$(grep -c "^memlens_source_readable{" once) &&
		test "$n" -ge 8 &&
		w=0
		until [ "$(query "count(memlens_source_readable == 1)")" = "$(grep -c "^memlens_source_readable{.*} 1$" once)" ]; do
			[ $w -ge 600 ] && { query "memlens_source_readable"; exit 1; }
			sleep 0.1; w=$((w + 1))
		done &&
		test "$(query "count(memlens_source_readable)")" = "$n" &&
		test "$(query "memlens_build_info")" = 1 &&
		test -n "$(query "memlens_slab_cache_bytes{cache=\"dentry\"}")" &&
		test -n "$(query "sum(memlens_process_group_pss_bytes{by=\"user\"})")"
	'
	kill -TERM $PROM_PID
	wait $PROM_PID
	echo $? >"$TEST_ROOT/prom.rc"
	PROM_PID=
	test_expect_success 'Prometheus stops' '
		test "$(cat "$TEST_ROOT/prom.rc")" = 0
	'
	serve_stop
	echo $? >"$TEST_ROOT/serve.rc"
	test_expect_success 'memlens serve stops cleanly, having logged no error' '
		cat "$SERVE_ERR" &&
		test "$(cat "$TEST_ROOT/serve.rc")" = 0 &&
		! sed 1d "$SERVE_ERR" | grep -v ": the time limit ran out\|: not read: the time limit\|: readable again$"
	'
fi

# ------------------------------------------------------------ node_exporter
NODE_EXPORTER=$(command -v prometheus-node-exporter || command -v node_exporter)
if [ -z "$NODE_EXPORTER" ] || ! command -v curl >/dev/null 2>&1; then
	test_skip 'node_exporter reads memlens metrics -o' \
		'no prometheus-node-exporter (Debian package) or curl'
else
	TEXT="$TEST_ROOT/textfile"
	mkdir -p "$TEXT"
	# A duplicate slab cache name: the scrape node_exporter issue 3506 breaks.
	(cd "$TEST_ROOT" && fixture_copy linux-6.18 && grep "^dentry " proc/slabinfo >dentry &&
		cat dentry >>proc/slabinfo)
	"$MEMLENS" metrics --format prometheus -o "$TEXT/memlens.prom" 2>"$TEST_ROOT/m.err"
	"$MEMLENS" --proc-root "$TEST_ROOT/proc" metrics --format prometheus --min 0 \
		-o "$TEXT/memlens-dup.prom" 2>>"$TEST_ROOT/m.err"
	# The second file repeats the first one's names: one machine's node_exporter
	# reads one memlens file; this one goes to its own directory.
	mkdir -p "$TEXT/dup" && mv "$TEXT/memlens-dup.prom" "$TEXT/dup/"
	NODE_PORT=$(free_port)
	"$NODE_EXPORTER" --web.listen-address="127.0.0.1:$NODE_PORT" \
		--collector.textfile.directory="$TEXT" >"$TEST_ROOT/node.log" 2>&1 &
	NODE_PID=$!

	test_expect_success 'node_exporter starts on loopback' '
		wait_url "http://127.0.0.1:$NODE_PORT/metrics" 60 || { tail "$TEST_ROOT/node.log"; exit 1; }
	'
	test_expect_success 'its textfile collector reads memlens.prom without an error' '
		curl -fsS "http://127.0.0.1:$NODE_PORT/metrics" >m &&
		grep -q "^node_textfile_scrape_error 0$" m &&
		grep -q "^node_textfile_mtime_seconds{file=\"$TEXT/memlens.prom\"}" m &&
		grep -q "^memlens_memory_part_bytes{part=\"free\"}" m &&
		grep -q "^memlens_build_info{version=" m
	'
	test_expect_success 'no name collides with node_exporter own metrics' '
		curl -fsS "http://127.0.0.1:$NODE_PORT/metrics" >m &&
		! grep -qi "collected before\|was collected\|inconsistent\|duplicate" "$TEST_ROOT/node.log" &&
		! grep "^memlens_" "$TEXT/memlens.prom" | sed "s/[{ ].*//" | grep "^node_" &&
		test "$(grep -c "^memlens_memory_part_bytes{" m)" = "$(grep -c "^memlens_memory_part_bytes{" "$TEXT/memlens.prom")"
	'
	test_expect_success 'the parts in node_exporter sum to MemTotal' '
		curl -fsS "http://127.0.0.1:$NODE_PORT/metrics" >m &&
		sum=$(awk "/^memlens_memory_part_bytes\\{/ { s += \$2 } END { printf \"%.0f\", s }" m) &&
		test "$sum" = "$MEMTOTAL"
	'
	kill -TERM $NODE_PID
	wait $NODE_PID
	NODE_PID=

	# The duplicate slab name, through node_exporter.
	"$NODE_EXPORTER" --web.listen-address="127.0.0.1:$NODE_PORT" \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$TEXT/dup" >"$TEST_ROOT/node2.log" 2>&1 &
	NODE_PID=$!
	test_expect_success 'a duplicate slab cache name does not fail the scrape (issue 3506)' '
		wait_url "http://127.0.0.1:$NODE_PORT/metrics" 60 &&
		curl -fsS "http://127.0.0.1:$NODE_PORT/metrics" >m &&
		grep -q "^node_textfile_scrape_error 0$" m &&
		test "$(grep -c "^memlens_slab_cache_bytes{cache=\"dentry\"" m)" = 2 &&
		grep -q "^memlens_slab_cache_bytes{cache=\"dentry\",ordinal=\"1\",reclaimable=\"unknown\"}" m
	'
	kill -TERM $NODE_PID
	wait $NODE_PID
	NODE_PID=
fi

test_done
