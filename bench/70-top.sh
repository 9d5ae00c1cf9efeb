#!/bin/sh
# memlens top against htop and top, side by side: the CPU each uses in the
# same DURATION seconds (60) at a one-second refresh, on the same 120x40
# terminal (a detached tmux each). Measured two ways for each program: utime
# + stime from /proc/PID/stat (all its threads, in 10 ms ticks), and the run
# time of its threads from /proc/PID/task/*/schedstat (nanoseconds: the
# precise figure when the counts are a few ticks). Four run at once, so they
# see the same machine:
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

# start NAME COMMAND: a detached 120x40 session running COMMAND (by exec, so
# the pane's process is the program itself).
start() {
	tx new-session -d -s "$1" -x 120 -y 40 "$2"
}

pane_pid() {
	tx display-message -p -t "$1" '#{pane_pid}'
}

# utime + stime of PID, in clock ticks.
ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# The time PID's threads have run, in nanoseconds.
runtime_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ t += $1 } END { printf "%.0f\n", t }'
}

start overview "exec env LC_ALL=C.UTF-8 '$MEMLENS' top -i 1"
start processes "exec env LC_ALL=C.UTF-8 '$MEMLENS' top -i 1 --view processes"
start htop "exec env LC_ALL=C.UTF-8 htop -d 10"
start top "exec env LC_ALL=C.UTF-8 top -d 1"
sleep "$WARMUP"

for n in $names; do
	pid=$(pane_pid "$n")
	echo "$n $pid $(ticks "$pid") $(runtime_ns "$pid")" >>"$dir/before"
done
s0=$(date +%s.%N)
sleep "$DURATION"
s1=$(date +%s.%N)
while read -r n pid t r; do
	echo "$n $t $r $(ticks "$pid") $(runtime_ns "$pid")" >>"$dir/after"
done <"$dir/before"

awk -v hz="$hz" -v s0="$s0" -v s1="$s1" -v cpus="$(nproc)" '
BEGIN {
	label["overview"] = "memlens top (overview)"
	label["processes"] = "memlens top --view processes"
	label["htop"] = "htop -d 10"
	label["top"] = "top -d 1"
}
{ n[NR] = $1; t[$1] = $4 - $2; r[$1] = $5 - $3 }
END {
	el = s1 - s0
	printf "CPU over %.1f s at a 1 s refresh, 120x40, %d CPUs\n", el, cpus
	printf "%-30s %8s %9s %8s   %10s %9s %8s\n", "", "stat", "", "", "schedstat", "", ""
	printf "%-30s %8s %9s %8s   %10s %9s %8s\n", "program", "CPU s", "% core", "vs htop",
		"CPU ms", "% core", "vs htop"
	for (i = 1; i <= NR; i++) {
		k = n[i]
		printf "%-30s %8.2f %8.3f%% %7.2fx   %10.1f %8.3f%% %7.2fx\n", label[k],
			t[k] / hz, 100 * t[k] / hz / el, t["htop"] ? t[k] / t["htop"] : 0,
			r[k] / 1e6, 100 * r[k] / 1e9 / el, r["htop"] ? r[k] / r["htop"] : 0
	}
	o = 100 * r["overview"] / 1e9 / el
	printf "targets (schedstat): overview under 1%% of a core: %s (%.3f%%); ", (o < 1 ? "yes" : "NO"), o
	printf "at most half of htop: overview %s (%.2fx), processes %s (%.2fx)\n",
		(r["overview"] <= r["htop"] / 2 ? "yes" : "NO"), r["overview"] / r["htop"],
		(r["processes"] <= r["htop"] / 2 ? "yes" : "NO"), r["processes"] / r["htop"]
}' "$dir/after"
