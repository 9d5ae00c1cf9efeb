#!/bin/sh
# memlens cgroups on 500 cgroups against the floor (what cat does with the
# same files, in one process: bench/bench-cgroups floor) and against
# systemd-cgtop -b -n 1, side by side in one run. Each figure is the best of BENCH_RUNS (30) runs of a whole program,
# start-up included (bench/bench-procs run), with the median beside it; the
# best is the steadier figure on a shared machine.
#  1. A copied tree: 500 cgroup v2 directories of regular files (the
#     cgroup-v2-systemd fixture's nginx.service, 10 slices of 50), read with
#     --proc-root/--sys-root: the walk and the parsers, no kernel.
#  2. This machine, as root: 500 empty cgroups made under the memory
#     hierarchy (v1 or v2, whichever holds the controller), read live; then
#     the whole machine with memlens and with systemd-cgtop.
# The file list of the floor is ml_cgroup_files (src/proc/cgroup.c): the
# files memlens reads, where they exist.
set -u
. "${BENCH_SRCDIR:=$(cd "$(dirname "$0")" && pwd)}/lib.sh"
B="$BUILDDIR/bench/bench-procs"
C="$BUILDDIR/bench/bench-cgroups"
M="$MEMLENS"
N=${BENCH_RUNS:-30}
SRC=$(cd "$BENCH_SRCDIR/.." && pwd)
[ -x "$B" ] && [ -x "$C" ] || { echo "build bench/bench-procs and bench-cgroups first (make bench)"; exit 1; }

measure() {
	set -- $("$B" run "$@")
	median=$1 best=$2 rss=$3
}
line() {
	printf "  %-46s %8s us (%8s)  %s\n" "$1" "$best" "$median" "${2:-}"
}

# The names of ml_cgroup_files for version $1 (1 or 2).
table_files() {
	sed -n 's/.*\[ML_CGFILE_[A-Z0-9_]*\] = { "\([^"]*\)", \([V12 |]*\),.*/\1 \2/p' \
		"$SRC/src/proc/cgroup.c" | awk -v v="V$1" 'index($0, v) { print $1 }'
}

# floor_list DIR VERSION: every table file that exists under DIR, one per line.
floor_list() {
	_names=$(table_files "$2")
	find "$1" -type d | while read -r d; do
		for f in $_names; do
			[ -f "$d/$f" ] && printf '%s\n' "$d/$f"
		done
	done
}

W=$(mktemp -d "${TMPDIR:-/tmp}/memlens-bench-cg.XXXXXX")
LIVE=
cleanup() {
	rm -rf "$W"
	if [ -n "$LIVE" ] && [ -d "$LIVE" ]; then
		find "$LIVE" -depth -type d -exec rmdir {} \; 2>/dev/null
	fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- 1. a copied tree
F="$SRC/tests/fixtures/cgroup-v2-systemd"
mkdir -p "$W/t/sys/fs" "$W/t/proc"
cp -R "$F/proc/self" "$F/proc/sys" "$W/t/proc/"
mkdir -p "$W/t/sys/fs/cgroup"
cp "$F/sys/fs/cgroup/"*.* "$W/t/sys/fs/cgroup/" 2>/dev/null
: >"$W/t/sys/fs/cgroup/cgroup.procs"
s=0
while [ $s -lt 10 ]; do
	c=0
	while [ $c -lt 50 ]; do
		d="$W/t/sys/fs/cgroup/s$s.slice/c$c.service"
		mkdir -p "$d"
		cp "$F/sys/fs/cgroup/system.slice/nginx.service/"* "$d/"
		: >"$d/cgroup.procs"
		c=$((c + 1))
	done
	cp "$F/sys/fs/cgroup/system.slice/"memory.* "$F/sys/fs/cgroup/system.slice/"cgroup.* \
		"$W/t/sys/fs/cgroup/s$s.slice/" 2>/dev/null
	: >"$W/t/sys/fs/cgroup/s$s.slice/cgroup.procs"
	s=$((s + 1))
done
floor_list "$W/t/sys/fs/cgroup" 2 >"$W/files"
ncg=$(find "$W/t/sys/fs/cgroup" -type d | wc -l)
echo "a copied tree: $ncg cgroup v2 directories, $(wc -l <"$W/files") files; best of $N runs (median)"
measure "$N" "$C" floor "$W/files"; floor=$best
line "the floor: read the same files, no parsing"
measure "$N" xargs -a "$W/files" cat
line "xargs cat of the same files" "$(ratio $best $floor)x the floor"
measure "$N" "$M" --proc-root "$W/t/proc" --sys-root "$W/t/sys" cgroups
line "memlens cgroups" "$(ratio $best $floor)x the floor (target <= 1.3)"
record "cgroups, a copied tree of $ncg cgroups, against reading the same files" "$(ratio $best $floor)" "<=" 1.3 "x the floor"
measure "$N" "$M" --proc-root "$W/t/proc" --sys-root "$W/t/sys" cgroups --json
line "memlens cgroups --json" "$(ratio $best $floor)x the floor"
measure "$N" "$M" --proc-root "$W/t/proc" --sys-root "$W/t/sys" cgroups --depth 1
line "memlens cgroups --depth 1" "$(ratio $best $floor)x the floor"
measure "$N" "$M" --version
line "memlens --version (start-up alone)" "$(ratio $best $floor)x the floor"

# ---------------------------------------------------------------- 2. this machine
if [ "$(id -u)" != 0 ]; then
	echo
	echo "live: skipped (needs root to make 500 cgroups)"
	exit 0
fi
V2=$(awk '$0 ~ / - cgroup2 / { print $5; exit }' /proc/self/mountinfo)
if [ -n "$V2" ] && grep -qw memory "$V2/cgroup.controllers" 2>/dev/null; then
	MNT=$V2 VER=2 OWN=
else
	MNT=$(awk '$0 ~ / - cgroup / && $NF ~ /(^|,)memory(,|$)/ { print $5; exit }' /proc/self/mountinfo)
	VER=1
	OWN=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3; exit }' /proc/self/cgroup)
	[ "$OWN" = / ] && OWN=
fi
if [ -z "$MNT" ]; then
	echo
	echo "live: skipped (no memory controller mounted)"
	exit 0
fi
REL="$OWN/memlens-bench-$$"
LIVE="$MNT$REL"
mkdir "$LIVE" || exit 1
s=0
while [ $s -lt 10 ]; do
	c=0
	mkdir "$LIVE/s$s"
	while [ $c -lt 49 ]; do
		mkdir "$LIVE/s$s/c$c"
		c=$((c + 1))
	done
	s=$((s + 1))
done
floor_list "$LIVE" $VER >"$W/live-files"
echo
echo "this machine: cgroup v$VER at $MNT, $(find "$LIVE" -type d | wc -l) empty cgroups made" \
	"under $REL, $(wc -l <"$W/live-files") files; best of $N runs (median)"
measure "$N" "$C" floor "$W/live-files"; floor=$best
line "the floor: read the same files, no parsing"
measure "$N" "$M" cgroups "$REL"
line "memlens cgroups $REL" "$(ratio $best $floor)x the floor (target <= 1.3)"; sub=$best
record "cgroups, $(find "$LIVE" -type d | wc -l) live cgroups, against reading the same files" "$(ratio $best $floor)" "<=" 1.3 "x the floor"
measure "$N" "$M" cgroups "$REL" --json
line "memlens cgroups $REL --json" "$(ratio $best $floor)x the floor"
ncg=$(find "$MNT" -type d | wc -l)
echo
echo "the whole machine ($ncg cgroups in the memory hierarchy, $(ls -d /proc/[0-9]* 2>/dev/null | wc -l) processes)"
measure "$N" "$M" cgroups
line "memlens cgroups (and every member's PSS)"; whole=$best
if command -v systemd-cgtop >/dev/null 2>&1 && systemd-cgtop -b -n 1 >/dev/null 2>&1; then
	measure "$N" systemd-cgtop -b -n 1
	line "systemd-cgtop -b -n 1 (every hierarchy)" "memlens is $(ratio $whole $best)x its time"
	record "cgroups of the whole machine against systemd-cgtop -b -n 1 (memlens reads every member's smaps_rollup)" "$(ratio $whole $best)" "=" "" "x its time; report only"
else
	echo "  systemd-cgtop -b -n 1: cannot run here"
fi
