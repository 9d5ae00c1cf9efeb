#!/bin/sh
# /proc/buddyinfo refresh: memlens's reader + parser (+ the fragmentation
# model) against the bare pread floor, measured side by side in one run.
#   BENCH_PROC=DIR to read another proc root, BENCH_ITERATIONS=N (default 20000).
set -u
bin="$BUILDDIR/bench/bench-buddyinfo"
if [ ! -x "$bin" ]; then
	echo "bench/20-buddyinfo: $bin not built (make bench builds it)" >&2
	exit 1
fi
"$bin" "${BENCH_PROC:-/proc}" "${BENCH_ITERATIONS:-20000}"
