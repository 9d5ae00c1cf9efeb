#!/bin/sh
# Refresh of /proc/zoneinfo: memlens's reader + parser against the bare
# pread floor, side by side in one run (bench-zoneinfo), then user-space
# instructions per refresh with perf stat, or callgrind when perf cannot
# count. Run through bench/run.sh (make bench); BUILDDIR is the build tree.
set -u
B=${BUILDDIR:-.}/bench/bench-zoneinfo
FILE=${ZONEINFO:-/proc/zoneinfo}
[ -x "$B" ] || { echo "build it first: make bench/bench-zoneinfo"; exit 1; }
[ -r "$FILE" ] || { echo "skipped: $FILE is not readable"; exit 0; }

"$B" -n 200 -r 25 "$FILE" || exit 1

# Instructions per refresh: the difference between 2000 and 1000 refreshes,
# so that start-up and the warm-up do not count.
per_refresh() { # MODE TOOL
	a=$(count "$1" 1000 "$2") && b=$(count "$1" 2000 "$2") &&
		echo $(((b - a) / 1000))
}
count() { # MODE N TOOL
	case $3 in
	perf)
		perf stat -x, -e instructions:u "$B" -m "$1" -n "$2" -r 1 "$FILE" 2>&1 >/dev/null |
			awk -F, '/instructions/ && $1 ~ /^[0-9]+$/ { print $1; found = 1 } END { exit !found }'
		;;
	callgrind)
		out=$(mktemp "${TMPDIR:-/tmp}/bench-zoneinfo.cg.XXXXXX")
		valgrind --tool=callgrind --callgrind-out-file="$out" "$B" -m "$1" -n "$2" -r 1 \
			"$FILE" >/dev/null 2>&1 &&
			awk '/^summary:/ { print $2 }' "$out"
		rc=$?
		rm -f "$out"
		return $rc
		;;
	esac
}

tool=
if command -v perf >/dev/null 2>&1 && count floor 10 perf >/dev/null 2>&1; then
	tool=perf
elif command -v valgrind >/dev/null 2>&1; then
	tool=callgrind
fi
if [ -z "$tool" ]; then
	echo "instructions: neither perf nor valgrind can count here"
	exit 0
fi
f=$(per_refresh floor $tool) && m=$(per_refresh memlens $tool) && p=$(per_refresh parse $tool) || {
	echo "instructions: $tool failed"
	exit 0
}
echo "user-space instructions per refresh ($tool):"
printf '  %-34s %10s\n' "pread floor" "$f"
printf '  %-34s %10s\n' "memlens reader + zoneinfo parser" "$m"
printf '  %-34s %10s\n' "parse only, from memory" "$p"
