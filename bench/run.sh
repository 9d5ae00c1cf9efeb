#!/bin/sh
# Run every benchmark script in bench/ (NN-*.sh) against a built tree:
#   make bench            (or: sh bench/run.sh BUILDDIR)
# Each script prints its own side-by-side table of ratios, and records the
# ratios that have a target (bench/lib.sh: record); the last table lists them
# all with their targets, met or not. None of this is part of "make check".
set -u
builddir=${1:-$(pwd)}
srcdir=$(cd "$(dirname "$0")" && pwd)
BENCH_RESULTS=$(mktemp "${TMPDIR:-/tmp}/memlens-bench.XXXXXX") || exit 1
trap 'rm -f "$BENCH_RESULTS"' EXIT
export BUILDDIR="$builddir" BENCH_SRCDIR="$srcdir" MEMLENS="$builddir/memlens" BENCH_RESULTS
status=0
for script in "$srcdir"/[0-9][0-9]-*.sh; do
	[ -e "$script" ] || continue
	printf '\n== %s\n' "$(basename "$script" .sh)"
	sh "$script" || status=1
done

printf '\n== the targets (issue 19), measured above in this run\n'
awk -F'|' '
function met(now, op, target) {
	if (op == "<=") return now <= target ? "met" : "NOT MET";
	if (op == ">=") return now >= target ? "met" : "NOT MET";
	return "-";
}
{
	n++; what[n] = $1; now[n] = $2; op[n] = $3; target[n] = $4; unit[n] = $5;
	if (length($1) > w) w = length($1);
}
END {
	if (n == 0) { print "  (nothing recorded)"; exit }
	printf "  %-" w "s  %8s  %-12s  %s\n", "what", "now", "target", "";
	for (i = 1; i <= n; i++)
		printf "  %-" w "s  %8s  %-12s  %s\n", what[i], now[i],
			(op[i] == "=" ? "-" : op[i] " " target[i]), (op[i] == "=" ? unit[i] : met(now[i] + 0, op[i], target[i] + 0) "  (" unit[i] ")");
}' "$BENCH_RESULTS"
exit $status
