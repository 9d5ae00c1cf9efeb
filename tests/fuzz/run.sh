#!/bin/sh
# Build the libFuzzer harnesses with clang (ASan + UBSan) and run each one for
# a bounded time on its seed corpus: tests/fuzz/corpus/<name>/ plus the
# fixture files of that name. A crash, leak or invariant failure fails the run;
# the input that did it is left in BUILDDIR/crash-<name>-* to become a
# regression seed and a unit test.
#   tests/fuzz/run.sh BUILDDIR [SECONDS-PER-HARNESS]
# FUZZ_ONLY="maps smaps" runs only those harnesses.
set -u
builddir=${1:?usage: run.sh BUILDDIR [SECONDS]}
seconds=${2:-20}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$builddir" || exit 1
builddir=$(cd "$builddir" && pwd)

if [ ! -f "$builddir/Makefile" ]; then
	(cd "$builddir" && "$srcdir/configure" CC=clang --enable-fuzzing --enable-sanitizers \
		--enable-werror >configure.log 2>&1) || { cat "$builddir/configure.log"; exit 1; }
fi
make -C "$builddir" -j"$(nproc 2>/dev/null || echo 2)" fuzz-build >"$builddir/build.log" 2>&1 ||
	{ tail -40 "$builddir/build.log"; exit 1; }

# One harness: its line of the report in $builddir/result-NAME, 0 or 1.
run_one() {
	harness=$1
	name=${harness##*/fuzz-}
	corpus="$builddir/corpus-$name"
	mkdir -p "$corpus"
	[ -d "$srcdir/tests/fuzz/corpus/$name" ] && cp "$srcdir/tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null
	# Every fixture file of this name seeds the corpus, with a leading chunk byte.
	find "$srcdir/tests/fixtures" -type f -name "$name" | while read -r f; do
		{ printf '\007'; cat "$f"; } >"$corpus/fixture-$(echo "$f" | cksum | cut -d' ' -f1)"
	done
	if (cd "$builddir" && ASAN_OPTIONS=detect_leaks=1 "$harness" -max_total_time="$seconds" \
		-max_len=65536 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$builddir/crash-$name-" \
		-print_final_stats=1 "$corpus" >"$builddir/fuzz-$name.log" 2>&1); then
		printf 'fuzz-%s: %s s ... %s\n' "$name" "$seconds" "$(grep -h '^stat::number_of_executed_units' \
			"$builddir/fuzz-$name.log" | sed 's/.*: */ok, executions: /')" >"$builddir/result-$name"
	else
		{
			printf 'fuzz-%s: %s s ... FAILED (see %s)\n' "$name" "$seconds" "$builddir/fuzz-$name.log"
			grep -h -A20 'ERROR\|invariant failed' "$builddir/fuzz-$name.log" | head -30
		} >"$builddir/result-$name"
		return 1
	fi
}

# The harnesses run side by side, one a processor (each is one process), and
# report in their order.
jobs=$(nproc 2>/dev/null || echo 2)
names=
running=0
status=0
for harness in "$builddir"/tests/fuzz/fuzz-*; do
	[ -x "$harness" ] || continue
	name=${harness##*/fuzz-}
	case " ${FUZZ_ONLY:-$name} " in
	*" $name "*) ;;
	*) continue ;;
	esac
	names="$names $name"
	rm -f "$builddir/result-$name" "$builddir/failed-$name"
	{ run_one "$harness" || : >"$builddir/failed-$name"; } &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
for name in $names; do
	cat "$builddir/result-$name" 2>/dev/null || echo "fuzz-$name: no result"
	[ -e "$builddir/failed-$name" ] && status=1
	[ -e "$builddir/result-$name" ] || status=1
done
exit $status
