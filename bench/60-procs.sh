#!/bin/sh
# memlens procs and memlens maps PID, side by side in one run with their peers
# and their floors (reading the files with no parsing). Each figure is the
# best (minimum) wall time of N runs of a whole program, start-up included,
# so the floors are programs too (bench/bench-procs); the median follows in
# parentheses. The best is the steadier figure on a shared machine.
# The processes of the larger cases (300 and 1000 more) are forked, and
# killed and reaped at the end, by bench-procs spawn.
# Environment: BENCH_RUNS (default 30).
set -u
. "${BENCH_SRCDIR:=$(cd "$(dirname "$0")" && pwd)}/lib.sh"
B="$BUILDDIR/bench/bench-procs"
M="$MEMLENS"
N=${BENCH_RUNS:-30}
[ -x "$B" ] || { echo "build bench/bench-procs first (make bench)"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/memlens-bench-procs.XXXXXX") || exit 1
SPAWNER= P4K= P40= P40K=
cleanup() {
	for p in $SPAWNER $P4K $P40 $P40K; do
		kill "$p" 2>/dev/null
	done
	for p in $SPAWNER $P4K $P40 $P40K; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

# measure RUNS CMD...: sets best, median and rss (KiB) of the runs.
measure() {
	set -- $("$B" run "$@")
	median=$1 best=$2 rss=$3
}
line() { # label [note]
	printf "  %-40s %7s us (%6s)  %s\n" "$1" "$best" "$median" "${2:-}"
}
nprocs() { ls -d /proc/[0-9]* 2>/dev/null | wc -l; }

# spawn N: N more processes (bench-procs spawn), running until unspawn.
spawn() {
	"$B" spawn "$1" >"$T/spawn.out" &
	SPAWNER=$!
	i=0
	while ! grep -q '^ready' "$T/spawn.out" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 1
}
unspawn() {
	kill "$SPAWNER" 2>/dev/null
	wait "$SPAWNER" 2>/dev/null
	SPAWNER=
}

# procs_case LABEL: floor and memlens procs on the processes there are now;
# sets floor, ml and n.
procs_case() {
	n=$(nprocs)
	echo "procs: $n processes ($1); best of $N runs (median)"
	measure "$N" "$B" rollup-floor; floor=$best
	line "read every smaps_rollup, no parsing"
	measure "$N" "$M" procs; ml=$best
	line "memlens procs" "$(ratio $best $floor)x the floor (target <= 1.3)"
	MEMLENS_THREADS=0 measure "$N" "$M" procs
	line "memlens procs, one thread" "$(ratio $best $floor)x the floor"
}

procs_case "as the machine is"
n0=$n floor0=$floor ml0=$ml
record "procs, $n0 processes, against reading every smaps_rollup" "$(ratio $ml0 $floor0)" "<=" 1.3 "x the floor"
measure "$N" "$M" procs --json
line "memlens procs --json" "$(ratio $best $floor0)x the floor"
measure "$N" "$M" --version
line "memlens --version (start-up alone)" "$(ratio $best $floor0)x the floor"
if command -v smem >/dev/null 2>&1; then
	measure 5 smem -t
	line "smem -t (5 runs)" "memlens procs is $(ratio $best $ml0)x faster (target >= 10)"
	record "procs against smem -t, $n0 processes" "$(ratio $best $ml0)" ">=" 10 "x faster"
fi

# 300 more processes: the fixed costs weigh less.
echo
spawn 300
procs_case "300 more"
record "procs, $n processes, against reading every smaps_rollup" "$(ratio $ml $floor)" "<=" 1.3 "x the floor"
unspawn

# 1000 more: what each process costs memlens above the floor.
echo
spawn 1000
procs_case "1000 more"
record "procs, $n processes, against reading every smaps_rollup" "$(ratio $ml $floor)" "<=" 1.3 "x the floor"
per=$(awk -v a="$ml" -v b="$ml0" -v c="$floor" -v d="$floor0" -v n="$n" -v m="$n0" \
	'BEGIN { printf "%.1f", ((a - b) - (c - d)) / (n - m) }')
per_floor=$(awk -v c="$floor" -v d="$floor0" -v n="$n" -v m="$n0" \
	'BEGIN { printf "%.1f", (c - d) / (n - m) }')
echo "  each process costs memlens $per us above the floor's $per_floor us"
record "procs, cost per process above the floor (floor: $per_floor us)" "$per" "=" "" "us, wall; report only"
unspawn

# Processes with 4000, 40 and 40,000 mappings.
"$B" manyvma 4000 >"$T/vma4k.pid" &
P4K=$!
"$B" manyvma 40 >"$T/vma40.pid" &
P40=$!
"$B" manyvma 40000 >"$T/vma40k.pid" &
P40K=$!
sleep 1
while [ ! -s "$T/vma40k.pid" ]; do sleep 0.2; done

echo
echo "maps: a process with $(wc -l </proc/$P4K/maps) mappings; best of $N runs (median)"
measure "$N" "$B" smaps-floor "$P4K"; floor=$best
line "read its smaps, no parsing"
measure "$N" "$M" maps "$P4K"; ml=$best
line "memlens maps PID" "$(ratio $best $floor)x the floor (target <= 1.2)"
record "maps PID ($(wc -l </proc/$P4K/maps) mappings) against reading its smaps" "$(ratio $best $floor)" "<=" 1.2 "x the floor"
MEMLENS_THREADS=0 measure "$N" "$M" maps "$P4K"
line "memlens maps PID, one thread" "$(ratio $best $floor)x the floor"
measure "$N" "$M" maps "$P4K" --all
line "memlens maps PID --all" "$(ratio $best $floor)x the floor"
measure "$N" "$M" maps "$P4K" --all --json
line "memlens maps PID --all --json" "$(ratio $best $floor)x the floor (target <= 1.5)"
record "maps PID --all --json against the same floor" "$(ratio $best $floor)" "<=" 1.5 "x the floor"
measure "$N" pmap -X "$P4K"
line "pmap -X PID" "memlens maps is $(ratio $best $ml)x faster (target > 1)"
measure "$N" cat /proc/$P4K/smaps_rollup
line "cat its smaps_rollup (memlens reads it too)"
set -- $("$B" parse-smaps "$P4K" 20)
printf "  %-40s %7s us           (%s bytes, %s mappings, in memory)\n" \
	"memlens's smaps parser + sums alone" "$1" "$2" "$3"

echo
echo "maps: peak RSS for 40 and $(wc -l </proc/$P40K/maps) mappings"
for args in "" "--all" "--all --json"; do
	measure 3 "$M" maps "$P40" $args; r40=$rss
	measure 3 "$M" maps "$P40K" $args; r40k=$rss
	printf "  %-40s %6s KiB %6s KiB  growth %s KiB (target <= 1024)\n" \
		"memlens maps PID $args" "$r40" "$r40k" $((r40k - r40))
done
measure 3 pmap -X "$P40"; r40=$rss
measure 3 pmap -X "$P40K"; r40k=$rss
printf "  %-40s %6s KiB %6s KiB  growth %s KiB\n" "pmap -X PID" "$r40" "$r40k" $((r40k - r40))
