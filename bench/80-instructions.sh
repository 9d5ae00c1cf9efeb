#!/bin/sh
# Instructions, not time: each command's user-space instructions counted by
# valgrind --tool=callgrind (the dynamic loader included, the kernel's work
# not), beside its peer. Stable on a busy machine where wall-clock figures
# are not; it shows what memlens itself does (parsing, formatting, loading
# libraries), not what reading /proc costs the kernel.
# Needs valgrind; BENCH_SKIP_CALLGRIND=1 skips it.
set -u
: "${BENCH_SRCDIR:=$(cd "$(dirname "$0")" && pwd)}"
: "${BUILDDIR:=$(pwd)}"
: "${MEMLENS:=$BUILDDIR/memlens}"
if [ -n "${BENCH_SKIP_CALLGRIND:-}" ] || ! command -v valgrind >/dev/null 2>&1; then
	echo "skipped: needs valgrind (and BENCH_SKIP_CALLGRIND unset)"
	exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/memlens-bench-ir.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# count CMD...: the instructions callgrind counts for CMD (all its threads).
count() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >/dev/null 2>"$T/err"
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$T/err"
}
row() { # label cmd...
	label=$1
	shift
	printf "  %-44s %12s\n" "$label" "$(count "$@")"
}

echo "instructions (callgrind, user space only), one run each"
row "memlens --version (start-up alone)" "$MEMLENS" --version
row "memlens meminfo" "$MEMLENS" meminfo
row "free -w" free -w
if [ -r /proc/slabinfo ] && head -c 1 /proc/slabinfo >/dev/null 2>&1; then
	row "memlens slab" "$MEMLENS" slab
	row "memlens slab --json" "$MEMLENS" slab --json
	row "slabtop -o" slabtop -o
fi
row "memlens procs ($(ls -d /proc/[0-9]* 2>/dev/null | wc -l) processes)" "$MEMLENS" procs
row "bench-procs rollup-floor (the floor)" "$BUILDDIR/bench/bench-procs" rollup-floor
echo
echo "dynamic loading at start-up (LD_DEBUG=statistics): memlens meminfo"
LD_DEBUG=statistics "$MEMLENS" meminfo 2>&1 >/dev/null | sed -n 's/^ *[0-9]*: *//p' | grep -E "total startup|relocations:|objects" | sed 's/^/  /'
echo "  objects loaded: $(ldd "$MEMLENS" | wc -l) (libproc2 and its dependencies only when processes are listed)"
