#!/bin/sh
# meminfo: refresh cost against the pread floor, libproc2 and a naive parser
# (bench-meminfo), then whole-process `memlens meminfo` against `free -w`.
set -u
"$BUILDDIR/bench/bench-meminfo" "${BENCH_ITERS:-20000}" "${BENCH_ROUNDS:-7}" || exit 1
echo
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 20 --runs "${BENCH_RUNS:-300}" --export-json "${TMPDIR:-/tmp}/bench-meminfo.json" \
		"$MEMLENS meminfo" "$MEMLENS" "free -w" >/dev/null 2>&1 || exit 1
	jq -r '.results as $r | ($r[] | select(.command == "free -w") | .median) as $free |
		$r[] | "  \(.command | .[0:40] | . + (" " * (40 - length)))  median \(.median * 1e6 | floor) us   \(.median / $free * 100 | floor / 100)x free -w"' \
		"${TMPDIR:-/tmp}/bench-meminfo.json"
else
	echo "  (hyperfine not installed: apt-get install hyperfine for the whole-process comparison)"
fi
