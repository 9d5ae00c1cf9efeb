#!/bin/sh
# memlens procs and memlens maps PID, side by side in one run with their peers
# and their floors (reading the files with no parsing). Each figure is the
# best (minimum) wall time of N runs of a whole program, start-up included,
# so the floors are programs too (bench/bench-procs); the median follows in
# parentheses. The best is the steadier figure on a shared machine.
# Environment: BENCH_RUNS (default 30).
set -u
B="$BUILDDIR/bench/bench-procs"
M="$MEMLENS"
N=${BENCH_RUNS:-30}
[ -x "$B" ] || { echo "build bench/bench-procs first (make bench)"; exit 1; }

# measure RUNS CMD...: sets best, median and rss (KiB) of the runs.
measure() {
	set -- $("$B" run "$@")
	median=$1 best=$2 rss=$3
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
line() { # label [note]
	printf "  %-40s %7s us (%6s)  %s\n" "$1" "$best" "$median" "${2:-}"
}

nprocs=$(ls -d /proc/[0-9]* | wc -l)
echo "procs: $nprocs processes; best of $N runs (median)"
measure "$N" "$B" rollup-floor; floor=$best
line "read every smaps_rollup, no parsing"
measure "$N" "$M" procs
line "memlens procs" "$(ratio $best $floor)x the floor (target <= 1.3)"; ml=$best
measure "$N" "$M" procs --json
line "memlens procs --json" "$(ratio $best $floor)x the floor"
MEMLENS_THREADS=0 measure "$N" "$M" procs
line "memlens procs, one thread" "$(ratio $best $floor)x the floor"
measure "$N" "$M" --version
line "memlens --version (start-up alone)" "$(ratio $best $floor)x the floor"
if command -v smem >/dev/null 2>&1; then
	measure 5 smem -t
	line "smem -t (5 runs)" "memlens procs is $(ratio $best $ml)x faster (target >= 5)"
fi

# The same with 300 more processes (sleep): the fixed costs weigh less.
i=0
sleepers=
while [ $i -lt 300 ]; do
	sleep 600 &
	sleepers="$sleepers $!"
	i=$((i + 1))
done
sleep 1
echo
echo "procs: $(ls -d /proc/[0-9]* | wc -l) processes; best of $N runs (median)"
measure "$N" "$B" rollup-floor; floor=$best
line "read every smaps_rollup, no parsing"
measure "$N" "$M" procs
line "memlens procs" "$(ratio $best $floor)x the floor (target <= 1.3)"
MEMLENS_THREADS=0 measure "$N" "$M" procs
line "memlens procs, one thread" "$(ratio $best $floor)x the floor"
kill $sleepers 2>/dev/null
wait $sleepers 2>/dev/null

# Processes with 4000, 40 and 40,000 mappings.
"$B" manyvma 4000 >vma4k.pid &
"$B" manyvma 40 >vma40.pid &
"$B" manyvma 40000 >vma40k.pid &
sleep 1
P4K=$(cat vma4k.pid) P40=$(cat vma40.pid) P40K=$(cat vma40k.pid)
trap 'kill $P4K $P40 $P40K 2>/dev/null; rm -f vma4k.pid vma40.pid vma40k.pid' EXIT

echo
echo "maps: a process with $(wc -l </proc/$P4K/maps) mappings; best of $N runs (median)"
measure "$N" "$B" smaps-floor "$P4K"; floor=$best
line "read its smaps, no parsing"
measure "$N" "$M" maps "$P4K"; ml=$best
line "memlens maps PID" "$(ratio $best $floor)x the floor (target <= 1.2)"
MEMLENS_THREADS=0 measure "$N" "$M" maps "$P4K"
line "memlens maps PID, one thread" "$(ratio $best $floor)x the floor"
measure "$N" "$M" maps "$P4K" --all
line "memlens maps PID --all" "$(ratio $best $floor)x the floor"
measure "$N" "$M" maps "$P4K" --all --json
line "memlens maps PID --all --json" "$(ratio $best $floor)x the floor"
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
