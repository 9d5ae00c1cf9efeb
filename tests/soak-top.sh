#!/bin/sh
# Soak: memlens top on the live machine for MINUTES (15) at a 0.2 s interval,
# in tmux, while processes churn (tests/helpers/churn: short-lived processes
# started and killed, three processes mapping and unmapping memory). Once a
# minute: memlens's RSS (VmRSS), its open descriptors and threads, and the view
# is switched to the next one (1-6), so every view runs for a while. At the
# end: the series, and a verdict: RSS and descriptors flat once every view has
# run (minute 6: each view opens its files the first time it is shown, and keeps
# them) to the end (RSS within 2 MiB or 10 %, descriptors equal). Not part of
# "make check":
#   tests/soak-top.sh BUILDDIR [MINUTES] [INTERVAL]   (or "make soak")
set -u
builddir=${1:?usage: soak-top.sh BUILDDIR [MINUTES] [INTERVAL]}
minutes=${2:-15}
interval=${3:-0.2}
builddir=$(cd "$builddir" && pwd)
memlens="$builddir/memlens"
churn="$builddir/tests/helpers/churn"
command -v tmux >/dev/null 2>&1 || { echo "soak-top.sh: tmux is not installed" >&2; exit 77; }
[ -x "$memlens" ] || { echo "soak-top.sh: no $memlens" >&2; exit 1; }
[ -x "$churn" ] || make -C "$builddir" tests/helpers/churn >/dev/null || exit 1
"$memlens" top --help >/dev/null 2>&1 || { echo "soak-top.sh: this memlens has no top" >&2; exit 77; }

work=$(mktemp -d) || exit 1
session="memlens-soak-$$"
seconds=$((minutes * 60 + 30))
cleanup() {
	tmux kill-session -t "$session" 2>/dev/null
	for p in $churners; do kill "$p" 2>/dev/null; done
	rm -rf "$work"
}
churners=
trap cleanup EXIT INT TERM

"$churn" spawn "$seconds" 1000 >"$work/spawn.out" 2>&1 &
churners="$!"
for i in 1 2 3; do
	"$churn" map "$seconds" >"$work/map$i.out" 2>&1 &
	churners="$churners $!"
done

# The pane's shell waits for memlens and writes its exit status.
tmux new-session -d -s "$session" -x 160 -y 50 \
	"'$memlens' top -i $interval; echo EXIT=\$? >'$work/exit'" || exit 1
sleep 2
shell=$(tmux list-panes -t "$session" -F '#{pane_pid}')
pid=$(pgrep -P "$shell" -x memlens)
if [ -z "$pid" ]; then
	echo "soak-top.sh: memlens top is not running in the pane" >&2
	exit 1
fi

sample() {
	# minute view rss_kb fds threads
	rss=$(awk '/^VmRSS:/ { print $2 }' /proc/"$pid"/status)
	thr=$(awk '/^Threads:/ { print $2 }' /proc/"$pid"/status)
	fds=$(ls /proc/"$pid"/fd | wc -l)
	printf '%6s %-10s %8s %4s %7s\n' "$1" "$2" "$rss" "$fds" "$thr" | tee -a "$work/series"
}

views="overview processes slab vmalloc buddy zones"
printf '%6s %-10s %8s %4s %7s\n' minute view rss_kB fds threads
sample 0 overview
m=1
while [ $m -le "$minutes" ]; do
	sleep 60
	kill -0 "$pid" 2>/dev/null || { echo "soak-top.sh: memlens top ended early" >&2; exit 1; }
	k=$(((m - 1) % 6 + 1))
	view=$(echo $views | cut -d' ' -f$k)
	sample "$m" "$view"
	tmux send-keys -t "$session" "$((m % 6 + 1))"
	m=$((m + 1))
done
tmux capture-pane -p -t "$session" >"$work/last-screen"
tmux send-keys -t "$session" q
i=0
while [ ! -s "$work/exit" ] && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
echo "memlens top: $(cat "$work/exit" 2>/dev/null || echo 'no exit status')"
# The churn ends on SIGTERM and prints its counts.
for p in $churners; do kill -TERM "$p" 2>/dev/null; done
wait
churners=
echo "churn: $(cat "$work/spawn.out"); mappers: $(cat "$work"/map*.out | tr '\n' ' ')"

# The verdict, once every view has run (or after the first minute of a
# shorter soak): from then on nothing is opened or cached for the first time.
awk -v base="$([ "$minutes" -ge 7 ] && echo 6 || echo 1)" '
	$1 == base { rss1 = $3; fd1 = $4 }
	$1 >= base { if ($3 > rssmax) rssmax = $3; if ($4 != fd1) fdmoved = 1 }
	END {
		grow = rssmax - rss1
		ok = (grow <= 2048 || grow <= rss1 / 10) && !fdmoved
		printf "RSS after minute %d: %d kB, highest since %d kB (+%d kB); descriptors %s\n",
		       base, rss1, rssmax, grow, fdmoved ? "moved" : "flat"
		exit ok ? 0 : 1
	}' "$work/series" || { echo "soak-top.sh: FAILED"; exit 1; }
grep -q '^EXIT=0$' "$work/exit" || { echo "soak-top.sh: top did not exit 0"; exit 1; }
echo "soak-top.sh: ok"
