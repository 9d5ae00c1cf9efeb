#!/bin/sh
# meminfo: refresh cost against the pread floor, libproc2 and a naive parser
# (bench-meminfo), then whole-process `memlens meminfo` against `free -w`.
set -u
. "${BENCH_SRCDIR:=$(cd "$(dirname "$0")" && pwd)}/lib.sh"
"$BUILDDIR/bench/bench-meminfo" "${BENCH_ITERS:-20000}" "${BENCH_ROUNDS:-7}" || exit 1
echo
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 20 --runs "${BENCH_RUNS:-300}" --export-json "${TMPDIR:-/tmp}/bench-meminfo.json" \
		"$MEMLENS meminfo" "$MEMLENS" "free -w" >/dev/null 2>&1 || exit 1
	jq -r '.results as $r | ($r[] | select(.command == "free -w") | .median) as $free |
		$r[] | "  \(.command | .[0:40] | . + (" " * (40 - length)))  median \(.median * 1e6 | floor) us   \(.median / $free * 100 | floor / 100)x free -w"' \
		"${TMPDIR:-/tmp}/bench-meminfo.json"
	r=$(jq -r '.results as $r | ($r[] | select(.command == "free -w") | .median) as $free |
		$r[] | select(.command | endswith("memlens meminfo")) | .median / $free * 100 | floor / 100' \
		"${TMPDIR:-/tmp}/bench-meminfo.json")
	rm -f "${TMPDIR:-/tmp}/bench-meminfo.json"
else
	# Without hyperfine: the best of BENCH_RUNS runs of each (bench-procs run).
	R="$BUILDDIR/bench/bench-procs"
	set -- $("$R" run "${BENCH_RUNS:-300}" "$MEMLENS" meminfo); ml=$2
	set -- $("$R" run "${BENCH_RUNS:-300}" free -w); free=$2
	r=$(ratio "$ml" "$free")
	echo "  memlens meminfo $ml us, free -w $free us (best of ${BENCH_RUNS:-300}): ${r}x free -w"
fi
record "meminfo against free -w" "$r" "<=" 1.0 "x its time"
