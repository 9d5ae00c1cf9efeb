#!/bin/sh
# Run every benchmark script in bench/ (NN-*.sh) against a built tree:
#   make bench            (or: sh bench/run.sh BUILDDIR)
# Each script prints its own side-by-side table of ratios; none of this is
# part of "make check".
set -u
builddir=${1:-$(pwd)}
srcdir=$(cd "$(dirname "$0")" && pwd)
export BUILDDIR="$builddir" BENCH_SRCDIR="$srcdir" MEMLENS="$builddir/memlens"
status=0
for script in "$srcdir"/[0-9][0-9]-*.sh; do
	[ -e "$script" ] || continue
	printf '\n== %s\n' "$(basename "$script" .sh)"
	sh "$script" || status=1
done
exit $status
