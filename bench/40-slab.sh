#!/bin/sh
# memlens slab: side by side in one run (see bench/README.md).
#  1. one refresh of /proc/slabinfo: memlens against the bare pread floor and
#     libproc2's procps_slabinfo_reap (bench/bench-slabinfo);
#  2. the whole process: memlens slab against slabtop -o (procps), with
#     hyperfine when it is installed, else a loop timed with date +%s%N.
# Needs root: /proc/slabinfo is mode 0400.
: "${BUILDDIR:=$(pwd)}"
: "${MEMLENS:=$BUILDDIR/memlens}"
RUNS=${RUNS:-300}

if ! [ -r /proc/slabinfo ] || ! head -c 1 /proc/slabinfo >/dev/null 2>&1; then
	echo "skipped: /proc/slabinfo is not readable (run as root)"
	exit 0
fi

"$BUILDDIR/bench/bench-slabinfo" "${ITERATIONS:-3000}" || exit 1

echo
echo "whole process, output to /dev/null, $RUNS runs each ($(grep -c . /proc/slabinfo) lines of slabinfo)"
if command -v hyperfine >/dev/null 2>&1; then
	json=$(mktemp) || exit 1
	hyperfine -N --warmup 30 --runs "$RUNS" --export-json "$json" \
		'slabtop -o' "$MEMLENS slab" "$MEMLENS slab --limit 0" "$MEMLENS slab --json" \
		>/dev/null 2>&1 || { rm -f "$json"; echo "hyperfine failed"; exit 1; }
	python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]["median"]
print("  %-40s %10s %10s" % ("command", "median ms", "slabtop/x"))
for x in r:
    print("  %-40s %10.2f %10.2f" % (x["command"].split("/")[-1], x["median"] * 1e3, base / x["median"]))
PY
	rm -f "$json"
else
	for cmd in 'slabtop -o' "$MEMLENS slab" "$MEMLENS slab --limit 0" "$MEMLENS slab --json"; do
		start=$(date +%s%N)
		i=0
		while [ $i -lt "$RUNS" ]; do
			$cmd >/dev/null 2>&1
			i=$((i + 1))
		done
		end=$(date +%s%N)
		echo "  $cmd: $(( (end - start) / RUNS / 1000 )) us mean"
	done
fi
