#!/bin/sh
# Every CLI test with every memlens run under valgrind memcheck: zero errors,
# zero leaks (still-reachable blocks count: memlens frees everything), and no
# descriptor left open at exit but those it inherited.
#   tests/valgrind.sh BUILDDIR      (or "make valgrind" in a build tree)
# BUILDDIR is a configured, built tree without sanitizers. The tests run with
# MEMLENS pointing at a wrapper (Makefile.am's MEMLENS_BIN); the tests that
# trace memlens with strace skip (valgrind writes its own logs). Prints one
# line per test script and the totals; exits 1 on any failure.
set -u
builddir=${1:?usage: valgrind.sh BUILDDIR}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "$builddir" && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "valgrind.sh: valgrind is not installed" >&2; exit 77; }
[ -x "$builddir/memlens" ] || { echo "valgrind.sh: no $builddir/memlens: build first" >&2; exit 1; }

# World-accessible: some tests run memlens as uid 65534.
work=$(mktemp -d /tmp/memlens-valgrind.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work" && mkdir "$work/logs" && chmod 1777 "$work/logs" &&
	cp "$builddir/memlens" "$work/memlens.real" && chmod 0755 "$work/memlens.real" &&
	cp "$srcdir/tests/valgrind.supp" "$work/valgrind.supp" && chmod 0644 "$work/valgrind.supp" || exit 1
cat >"$work/memlens" <<EOF
#!/bin/sh
exec valgrind --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \\
	--error-exitcode=99 --track-fds=yes --suppressions=$work/valgrind.supp \\
	--log-file=$work/logs/vg.%p "$work/memlens.real" "\$@"
EOF
chmod 0755 "$work/memlens"

# VALGRIND_TESTS="tests/cli/0100-live-free.sh ..." runs only those.
tests=${VALGRIND_TESTS:-$(cd "$srcdir" && ls tests/cli/[0-9]*.sh)}
export MEMLENS_TEST_NO_STRACE=1
# For the few tests that compare memlens's live reading with another program's
# at the same moment: memcheck's own memory is part of what memlens reads.
export MEMLENS_UNDER_VALGRIND=1
status=0
for t in $tests; do
	name=${t##*/}
	name=${name%.sh}
	# shellcheck disable=SC2086
	timeout 3600 make -C "$builddir" -s check TESTS="$t" MEMLENS_BIN="$work/memlens" >/dev/null 2>&1
	log="$builddir/tests/cli/$name.log"
	pass=$(grep -c '^ok ' "$log" 2>/dev/null)
	fail=$(grep -c '^not ok ' "$log" 2>/dev/null)
	printf '%-36s %3s ok, %s not ok\n' "$name" "$pass" "$fail"
	if [ "$fail" != 0 ]; then
		status=1
		grep -A12 '^not ok ' "$log" | head -40
	fi
done

# The logs: one per memlens run. A run killed by a signal (SIGPIPE from a
# closed pipe, timeout's SIGKILL) never reached its exit: its memory and
# descriptors are the kernel's to reclaim, so only its errors count.
runs=$(find "$work/logs" -name 'vg.*' | wc -l)
killed=0
errors=0
leaks=0
fds=0
for f in "$work"/logs/vg.*; do
	[ -f "$f" ] || continue
	k=0
	grep -q 'Process terminating with default action of signal' "$f" && k=1
	killed=$((killed + k))
	e=$(grep -c -E '^==[0-9]+== (Invalid |Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|Argument .* of function)' "$f")
	l=$(grep -c -E ' are (definitely|indirectly|possibly) lost in loss record| are still reachable in loss record' "$f")
	# An open descriptor at exit that memlens did not inherit.
	d=$(awk '/Open (file descriptor|AF_[A-Z0-9]+ socket) [0-9]+/ { pending = 1; next }
		pending { if ($0 !~ /inherited from parent/) n++; pending = 0 }
		END { print n + 0 }' "$f")
	if [ $k = 1 ]; then
		l=0
		d=0
	fi
	if [ "$e" != 0 ] || [ "$l" != 0 ] || [ "$d" != 0 ]; then
		echo "== $f: $e errors, $l leak records, $d descriptors left open"
		head -60 "$f"
	fi
	errors=$((errors + e))
	leaks=$((leaks + l))
	fds=$((fds + d))
done
echo "valgrind: $runs memlens runs ($killed killed by a signal), $errors errors, $leaks leak records, $fds descriptors left open"
[ "$runs" -gt 0 ] || status=1
[ $((errors + leaks + fds)) = 0 ] || status=1
exit $status
