#!/bin/sh
# vmallocinfo refresh: memlens's reader+parser+model against the bare pread
# floor, and fresh opens against a kept fd (doc/procfs.md section 15), side by side.
: "${BUILDDIR:?run through bench/run.sh}"
: "${BENCH_SRCDIR:?run through bench/run.sh}"
bin="$BUILDDIR/bench/bench-vmalloc"
capture="$BENCH_SRCDIR/../tests/fixtures/vmalloc-6.18-realaddr/vmallocinfo"
if [ ! -r /proc/vmallocinfo ]; then
	echo "skipped: /proc/vmallocinfo is not readable (root only)"
	exit 0
fi
"$bin" "${VMALLOC_ITERATIONS:-1000}" /proc "$capture"
