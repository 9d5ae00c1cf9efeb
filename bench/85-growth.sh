#!/bin/sh
# memlens growth: the CPU one sample costs with 1000 more processes, against
# the plain loop that lists /proc and reads every PID/status (open, read,
# close); and the peak RSS against the number of items. Every CPU figure is
# user + system time from wait4, taken as the difference between a run of
# 2K and a run of K samples (rounds of the loop), so start-up cancels out;
# the two programs alternate, ROUNDS times, and the best difference counts.
# With valgrind installed, the instructions of one sample (callgrind) too.
# Environment: SLEEPERS (1000), K (20), ROUNDS (5).
set -u
: "${MEMLENS:?run through bench/run.sh or make bench}"
B="$BUILDDIR/bench/bench-growth"
[ -x "$B" ] || { echo "build bench/bench-growth first (make bench)"; exit 1; }
SLEEPERS=${SLEEPERS:-1000}
K=${K:-20}
ROUNDS=${ROUNDS:-5}
M="$MEMLENS"

dir=$(mktemp -d "${TMPDIR:-/tmp}/memlens-bench-growth.XXXXXX") || exit 1
pids=
trap 'kill $pids 2>/dev/null; rm -rf "$dir"' EXIT INT TERM

# sleepers N: N more processes (gone when the helper goes).
sleepers() {
	"$B" sleepers "$1" >"$dir/sleepers.out" &
	pids="$pids $!"
	while ! grep -q ready "$dir/sleepers.out" 2>/dev/null; do sleep 0.1; done
}

cpu() { "$B" cpu "$@" | cut -d' ' -f1; }
rss() { "$B" cpu "$@" | cut -d' ' -f2; }

# per_sample CMD...: the CPU (us) of one sample: CMD with N=2K and N=K, best of ROUNDS.
# CMD holds the word N where the count goes.
per_sample() {
	best=
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		a=$(cpu $(echo "$@" | sed "s/\bN\b/$((2 * K))/"))
		b=$(cpu $(echo "$@" | sed "s/\bN\b/$K/"))
		d=$(awk -v a="$a" -v b="$b" -v k="$K" 'BEGIN { printf "%.0f", (a - b) / k }')
		if [ -z "$best" ] || [ "$d" -lt "$best" ]; then best=$d; fi
		r=$((r + 1))
	done
	echo "$best"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

sleepers "$SLEEPERS"
n=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
echo "growth: $n processes ($SLEEPERS sleeping ones added); CPU per sample, best of $ROUNDS"
floor=$(per_sample "$B" floor N)
printf '  %-52s %7s us\n' "list /proc, read every PID/status (the floor)" "$floor"
g=$(per_sample "$M" growth --what procs --pss-top 0 -i 0.01 -n N --json)
printf '  %-52s %7s us  %sx the floor (target <= 1.3)\n' "memlens growth --what procs --pss-top 0" "$g" "$(ratio "$g" "$floor")"
g=$(per_sample "$M" growth --what procs -i 0.01 -n N --json)
printf '  %-52s %7s us  %sx the floor\n' "memlens growth --what procs (PSS of 20)" "$g" "$(ratio "$g" "$floor")"
g=$(per_sample "$M" growth -i 0.01 -n N --json)
printf '  %-52s %7s us  %sx the floor\n' "memlens growth (every kind)" "$g" "$(ratio "$g" "$floor")"

if command -v valgrind >/dev/null 2>&1; then
	# Instructions, which a busy machine does not change: a run of 2K minus a run of K.
	ir() {
		valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$@" >/dev/null 2>"$dir/cg.err"
		sed -n 's/^summary: //p' "$dir/cg.out"
	}
	fa=$(ir "$B" floor $((2 * K))) fb=$(ir "$B" floor "$K")
	ga=$(ir "$M" growth --what procs --pss-top 0 -i 0.01 -n $((2 * K)) --json)
	gb=$(ir "$M" growth --what procs --pss-top 0 -i 0.01 -n "$K" --json)
	fi_=$(awk -v a="$fa" -v b="$fb" -v k="$K" 'BEGIN { printf "%.0f", (a - b) / k }')
	gi=$(awk -v a="$ga" -v b="$gb" -v k="$K" 'BEGIN { printf "%.0f", (a - b) / k }')
	echo "  instructions per sample (callgrind, user space only): floor $fi_, memlens growth --what procs $gi ($(ratio "$gi" "$fi_")x)"
fi

# Peak RSS against items: more processes, more items; the bytes per process.
kill $pids 2>/dev/null
wait 2>/dev/null
pids=
echo
echo "growth: peak RSS (KiB) of memlens growth --what procs -n 5, by processes on the machine"
last_n= last_r=
for extra in 0 1000 4000; do
	[ "$extra" -gt 0 ] && sleepers "$extra"
	n=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
	r=$(rss "$M" growth --what procs -n 5 -i 0.05 --json)
	note=
	if [ -n "$last_n" ] && [ "$n" -gt "$last_n" ]; then
		note=$(awk -v a="$r" -v b="$last_r" -v n="$n" -v m="$last_n" \
			'BEGIN { printf "%.0f bytes per added process", (a - b) * 1024 / (n - m) }')
	fi
	printf '  %6d processes  %7s KiB  %s\n' "$n" "$r" "$note"
	last_n=$n last_r=$r
	kill $pids 2>/dev/null
	wait 2>/dev/null
	pids=
done
echo
echo "the growth model alone (bench-growth model ITEMS SAMPLES): peak KiB, bytes per item"
for s in 10 1000; do
	for items in 10000 100000; do
		printf '  %6d items x %4d samples: %s\n' "$items" "$s" "$("$B" model "$items" "$s")"
	done
done
