#!/bin/sh
# memlens capture and diff, side by side in one run (see bench/README.md):
#  1. a whole-system capture into a directory against the floors of copying
#     the same files: one `cat` of them all into one file, and `cp --parents`
#     of them into a directory (both read until EOF, as capture does);
#  2. the capture as .tar.gz and .tar.zst against `tar czf` / `tar --zstd`
#     of the captured directory: time and size;
#  3. memlens diff of two captures of 1000 processes (synthetic: copies of a
#     fixture process with their own PIDs, start times and PSS).
# Figures are hyperfine medians and their ratios; CPU time (user + sys) is
# printed too: on a shared machine it moves less than wall time. Needs root
# for the root-only files (run as a user, those are simply recorded as
# unreadable, and the floors skip them too).
set -u
W=$(mktemp -d "${TMPDIR:-/tmp}/bench-capture.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
RUNS=${BENCH_RUNS:-20}
cd "$W" || exit 1

if ! command -v hyperfine >/dev/null 2>&1; then
	echo "  (hyperfine not installed: apt-get install hyperfine)"
	exit 0
fi

# median COMMAND-NAME FILE: hyperfine's median of a command, in ms.
median() {
	jq -r --arg c "$1" '.results[] | select(.command == $c) | .median * 1000' "$2"
}
cpu() {
	jq -r --arg c "$1" '.results[] | select(.command == $c) | (.user + .system) * 1000' "$2"
}

# ---------------------------------------------------------------- 1. the floor
"$MEMLENS" capture -o ref >/dev/null || exit 1
# The files the capture read, as paths on this machine (proc/X -> /proc/X, sys/X -> /sys/X).
jq -r '.files[] | select(.errno == null) | .path' ref/memlens-capture.json |
	sed 's|^proc/|/proc/|; s|^sys/|/sys/|' >files
n=$(wc -l <files)
bytes=$(jq '[.files[].size] | add' ref/memlens-capture.json)
printf '  %s files, %s bytes (processes: %s)\n' "$n" "$bytes" \
	"$(ls ref/proc | grep -c '^[0-9]')"
cat >floor-cat.sh <<EOF
xargs cat <"$W/files" >"$W/cat.out" 2>/dev/null; true
EOF
cat >floor-cp.sh <<EOF
rm -rf "$W/cp.d"; mkdir "$W/cp.d" && xargs cp --parents -t "$W/cp.d" <"$W/files" 2>/dev/null; true
EOF
cat >capture-dir.sh <<EOF
rm -rf "$W/c.d"; "$MEMLENS" capture -o "$W/c.d" >/dev/null
EOF
hyperfine -N --warmup 3 --runs "$RUNS" --export-json floor.json \
	-n cat "sh $W/floor-cat.sh" -n cp "sh $W/floor-cp.sh" -n capture "sh $W/capture-dir.sh" \
	>/dev/null 2>&1 || exit 1
c=$(median cat floor.json)
printf '  %-34s %8.1f ms  cpu %7.1f ms\n' "cat of every file (one process)" "$c" "$(cpu cat floor.json)"
printf '  %-34s %8.1f ms  cpu %7.1f ms  %.2fx cat\n' "cp --parents (one process)" \
	"$(median cp floor.json)" "$(cpu cp floor.json)" "$(echo "$(median cp floor.json) / $c" | bc -l)"
printf '  %-34s %8.1f ms  cpu %7.1f ms  %.2fx cat  (target <= 1.3x)\n' "memlens capture -o DIR" \
	"$(median capture floor.json)" "$(cpu capture floor.json)" \
	"$(echo "$(median capture floor.json) / $c" | bc -l)"

# ---------------------------------------------------------------- 2. archives
for kind in gz zst; do
	case $kind in
	gz) tarflag=-z ;;
	zst) tarflag=--zstd ;;
	esac
	cat >cap-$kind.sh <<EOF
rm -f "$W/c.tar.$kind"; "$MEMLENS" capture -o "$W/c.tar.$kind" >/dev/null
EOF
	cat >tar-$kind.sh <<EOF
tar -C "$W/ref" $tarflag -cf "$W/t.tar.$kind" .
EOF
	hyperfine -N --warmup 2 --runs "$RUNS" --export-json a-$kind.json \
		-n capture "sh $W/cap-$kind.sh" -n tar "sh $W/tar-$kind.sh" >/dev/null 2>&1 || exit 1
	t=$(median tar a-$kind.json)
	printf '  %-34s %8.1f ms  cpu %7.1f ms  %9s bytes\n' "tar $tarflag of the captured dir" "$t" \
		"$(cpu tar a-$kind.json)" "$(wc -c <t.tar.$kind)"
	printf '  %-34s %8.1f ms  cpu %7.1f ms  %9s bytes  %.2fx tar (capture included)\n' \
		"memlens capture -o X.tar.$kind" "$(median capture a-$kind.json)" \
		"$(cpu capture a-$kind.json)" "$(wc -c <c.tar.$kind)" \
		"$(echo "$(median capture a-$kind.json) / $t" | bc -l)"
done

# ---------------------------------------------------------------- 3. diff, 1000 processes
F="$BENCH_SRCDIR/../tests/fixtures"
mk_tree() {
	cp -R "$F/linux-6.18" "$1" && chmod -R u+w "$1" && mkdir -p "$1/sys/kernel/random" &&
		echo 11111111-2222-3333-4444-555555555555 >"$1/sys/kernel/random/boot_id" &&
		for i in $(seq 1000 1999); do
			mkdir "$1/$i" &&
				cp "$F/procs-6.18/1234/status" "$F/procs-6.18/1234/cmdline" "$1/$i/" &&
				echo "$i (app) S 1 $i $i 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 $((i * 10)) 1 1" >"$1/$i/stat" &&
				sed "s/^Pss: *[0-9]*/Pss: $(($2 + i))/" "$F/procs-6.18/1234/smaps_rollup" >"$1/$i/smaps_rollup" ||
				return 1
		done
}
mk_tree ta 0 && mk_tree tb 100 && mkdir nosys || exit 1
"$MEMLENS" --proc-root ta --sys-root nosys capture -o A.tar.gz >/dev/null &&
	"$MEMLENS" --proc-root tb --sys-root nosys capture -o B.tar.gz >/dev/null &&
	"$MEMLENS" --proc-root ta --sys-root nosys capture -o A.d >/dev/null || exit 1
hyperfine -N --warmup 2 --runs "$RUNS" --export-json diff.json \
	-n "diff (summary)" "$MEMLENS diff A.tar.gz B.tar.gz" \
	-n "diff --view procs" "$MEMLENS diff A.tar.gz B.tar.gz --view procs --limit 0" \
	-n "diff --view procs --json" "$MEMLENS diff A.tar.gz B.tar.gz --view procs --json" \
	-n "procs of one capture" "$MEMLENS --capture A.tar.gz procs" \
	-n "procs of its tree" "$MEMLENS --proc-root ta --sys-root nosys procs" \
	>/dev/null 2>&1 || exit 1
p=$(median "procs of its tree" diff.json)
printf '  two captures of 1000 processes (%s bytes .tar.gz each):\n' "$(wc -c <A.tar.gz)"
for c in "diff (summary)" "diff --view procs" "diff --view procs --json" "procs of one capture" "procs of its tree"; do
	printf '    %-30s %8.1f ms  cpu %7.1f ms  %.2fx procs of the tree\n' "$c" "$(median "$c" diff.json)" \
		"$(cpu "$c" diff.json)" "$(echo "$(median "$c" diff.json) / $p" | bc -l)"
done
