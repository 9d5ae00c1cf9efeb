# The live cgroup tests' helpers (0820, 0830), sourced after lib.sh.
#
# cg_live_setup: finds the hierarchy that holds this machine's memory
# controller (cgroup v2 when its root lists "memory" in cgroup.controllers,
# else cgroup v1's memory mount), and creates a test cgroup there: on v1 below
# this process's own memory cgroup, on v2 below the root (whose
# subtree_control enables memory, and which may hold processes). Sets MNT (the
# mount point), VER (1 or 2), CG (the new cgroup's directory) and REL (its
# path inside the hierarchy). Skips the whole script, cleanly, when not root,
# when there is no memory controller, or when the cgroup cannot be made. The
# EXIT trap (cg_live_cleanup) kills what the test started in it and removes
# it.

cg_live_skip() {
	test_skip "$1" "$2"
	test_done
}

cg_live_setup() {
	is_root || cg_live_skip "$1" 'needs root to create a cgroup'
	MNT=
	VER=
	_v2=$(awk '$0 ~ / - cgroup2 / { print $5; exit }' /proc/self/mountinfo)
	if [ -n "$_v2" ] && grep -qw memory "$_v2/cgroup.controllers" 2>/dev/null; then
		MNT=$_v2
		VER=2
		_own=
	else
		MNT=$(awk '$0 ~ / - cgroup / && $NF ~ /(^|,)memory(,|$)/ { print $5; exit }' /proc/self/mountinfo)
		VER=1
		_own=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3; exit }' /proc/self/cgroup)
		[ "$_own" = / ] && _own=
	fi
	[ -n "$MNT" ] || cg_live_skip "$1" 'no memory controller mounted on this machine'
	case $MNT in
	*' '*) cg_live_skip "$1" 'the hierarchy is mounted at a path with a space' ;;
	esac
	REL="$_own/memlens-test-$$"
	CG="$MNT$REL"
	CG_PIDS=
	mkdir "$CG" 2>/dev/null || cg_live_skip "$1" "cannot create $CG"
	trap 'cg_live_cleanup' EXIT
}

# cg_run CGDIR CMD...: start CMD in the background inside CGDIR (a shell moves
# itself there, then execs CMD, so that every charge of CMD goes there).
cg_run() {
	_dir=$1
	shift
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$_dir" "$@" &
	CG_PIDS="$CG_PIDS $!"
}

# cg_kill_all: end every process of the test cgroup and below (the test's
# own: started by the test bodies, which run in subshells, so CG_PIDS of the
# main shell does not know them all).
cg_kill_all() {
	[ -n "${CG:-}" ] && [ -d "$CG" ] || return 0
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		_p=$(find "$CG" -name cgroup.procs -exec cat {} + 2>/dev/null)
		[ -n "$_p" ] || return 0
		kill $_p 2>/dev/null
		sleep 0.2
	done
}

cg_live_cleanup() {
	[ -n "$CG_PIDS" ] && kill $CG_PIDS 2>/dev/null
	[ -n "$CG_PIDS" ] && wait $CG_PIDS 2>/dev/null
	cg_kill_all
	if [ -n "${CG:-}" ] && [ -d "$CG" ]; then
		# Children first; a cgroup whose last process just exited may be busy a moment.
		for _i in 1 2 3 4 5 6 7 8 9 10; do
			find "$CG" -depth -type d -exec rmdir {} + 2>/dev/null
			[ -d "$CG" ] || break
			sleep 0.2
		done
	fi
	rm -rf "$TEST_ROOT"
}

# usage_file: the file of the test cgroup's charged memory.
usage_file() {
	if [ "$VER" = 2 ]; then echo "$1/memory.current"; else echo "$1/memory.usage_in_bytes"; fi
}

# stat_key DIR KEY2 KEY1: a memory.stat value, by its v2 or v1 (total_*) name.
stat_key() {
	if [ "$VER" = 2 ]; then _k=$2; else _k=$3; fi
	awk -v k="$_k" '$1 == k { print $2 }' "$1/memory.stat"
}

# between LOW HIGH V: LOW <= V <= HIGH, whichever order LOW and HIGH come in.
between() {
	awk -v a="$1" -v b="$2" -v v="$3" 'BEGIN {
		lo = a < b ? a : b; hi = a < b ? b : a
		if (v < lo || v > hi) { printf "%s not within [%s, %s]\n", v, lo, hi; exit 1 }
	}'
}
