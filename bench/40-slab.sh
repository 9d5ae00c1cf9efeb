#!/bin/sh
# memlens slab: side by side in one run (see bench/README.md).
#  1. one refresh of /proc/slabinfo: memlens against the bare pread floor and
#     libproc2's procps_slabinfo_reap (bench/bench-slabinfo);
#  2. the whole process: memlens slab against slabtop -o (procps), with
#     hyperfine when it is installed, else the best of RUNS runs of each.
# Needs root: /proc/slabinfo is mode 0400.
. "${BENCH_SRCDIR:=$(cd "$(dirname "$0")" && pwd)}/lib.sh"
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
	for cmd in "slab" "slab --json"; do
		record "memlens $cmd against slabtop -o" "$(jq -r --arg c "$cmd" '.results as $r |
			($r[] | select(.command == "slabtop -o") | .median) as $s |
			$r[] | select(.command | endswith("memlens " + $c)) | $s / .median * 100 | floor / 100' "$json")" \
			">=" 1.0 "slabtop's time / memlens's: faster above 1"
	done
	rm -f "$json"
else
	# Without hyperfine: the best of RUNS runs of each (bench-procs run).
	R="$BUILDDIR/bench/bench-procs"
	set -- $("$R" run "$RUNS" slabtop -o); st=$2
	echo "  slabtop -o: $st us (best of $RUNS)"
	for cmd in "slab" "slab --limit 0" "slab --json"; do
		set -- $("$R" run "$RUNS" "$MEMLENS" $cmd); ml=$2
		echo "  memlens $cmd: $ml us, slabtop/x $(ratio "$st" "$ml")"
		case $cmd in
		"slab" | "slab --json")
			record "memlens $cmd against slabtop -o" "$(ratio "$st" "$ml")" ">=" 1.0 \
				"slabtop's time / memlens's: faster above 1" ;;
		esac
	done
fi
