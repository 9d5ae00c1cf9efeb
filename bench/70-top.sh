#!/bin/sh
# memlens top against htop and top, side by side: the CPU each uses in the
# same DURATION seconds (60) at a one-second refresh, on the same 120x40
# terminal (a detached tmux each), measured from utime + stime in
# /proc/PID/stat of each (all its threads). Four run at once, so they see the
# same machine:
#   memlens top             the overview (header + overview sources)
#   memlens top --view processes
#   htop -d 10              (tenths of a second)
#   top -d 1
# Targets (the issue): the overview under 1% of one core, and each memlens
# view at most half of htop's. DURATION=10 for a quick look.
set -u
: "${MEMLENS:?run through bench/run.sh or make bench}"
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-3}

for t in tmux htop top; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "70-top: $t is not installed; skipped (apt-get install $t)"
		exit 0
	fi
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/memlens-bench-top.XXXXXX") || exit 1
sock="$dir/tmux.sock"
tx() { tmux -S "$sock" -f /dev/null "$@"; }
trap 'tx kill-server 2>/dev/null; rm -rf "$dir"' EXIT INT TERM

hz=$(getconf CLK_TCK)
names="overview processes htop top"

start() { # start NAME COMMAND: a detached 120x40 session running COMMAND
	tx new-session -d -s "$1" -x 120 -y 40 "$2"
}

# The PID of the program in session $1 (the pane runs it directly, by exec).
pane_pid() {
	tx display-message -p -t "$1" '#{pane_pid}'
}

# utime + stime of PID, in clock ticks.
ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

start overview "exec env LC_ALL=C.UTF-8 '$MEMLENS' top -i 1"
start processes "exec env LC_ALL=C.UTF-8 '$MEMLENS' top -i 1 --view processes"
start htop "exec env LC_ALL=C.UTF-8 htop -d 10"
start top "exec env LC_ALL=C.UTF-8 top -d 1"
sleep "$WARMUP"

for n in $names; do
	eval "pid_$n=\$(pane_pid $n)"
	eval "t0_$n=\$(ticks \$pid_$n)"
done
s0=$(date +%s.%N)
sleep "$DURATION"
s1=$(date +%s.%N)
for n in $names; do
	eval "t1_$n=\$(ticks \$pid_$n)"
done

elapsed=$(echo "$s1 $s0" | awk '{ printf "%.3f", $1 - $2 }')
eval "htop_ticks=\$((t1_htop - t0_htop))"
printf 'CPU over %s s at a 1 s refresh, 120x40, %s CPUs, from /proc/PID/stat (%s ticks/s)\n' \
	"$elapsed" "$(nproc)" "$hz"
printf '%-32s %10s %14s %10s\n' "program" "CPU s" "% of a core" "vs htop"
for n in $names; do
	eval "d=\$((t1_$n - t0_$n))"
	case $n in
	overview) label="memlens top (overview)" ;;
	processes) label="memlens top --view processes" ;;
	htop) label="htop -d 10" ;;
	top) label="top -d 1" ;;
	esac
	echo "$label $d $hz $elapsed $htop_ticks" | awk '{
		n = NF; t = $(n - 3); hz = $(n - 2); el = $(n - 1); h = $n
		label = $1; for (i = 2; i <= n - 4; i++) label = label " " $i
		ratio = h > 0 ? sprintf("%.2fx", t / h) : "n/a"
		printf "%-32s %10.2f %13.3f%% %10s\n", label, t / hz, 100 * t / hz / el, ratio
	}'
	eval "ticks_$n=\$d"
done
echo "$ticks_overview $ticks_processes $htop_ticks $hz $elapsed" | awk '{
	o = 100 * $1 / $4 / $5
	printf "targets: overview under 1%% of a core: %s (%.3f%%); ", (o < 1 ? "yes" : "NO"), o
	printf "overview at most half of htop: %s; ", (($3 > 0 && $1 <= $3 / 2) ? "yes" : "NO")
	printf "processes at most half of htop: %s\n", (($3 > 0 && $2 <= $3 / 2) ? "yes" : "NO")
}'
