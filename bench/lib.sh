# Shell helpers for the benchmark scripts (bench/run.sh sources nothing; each
# NN-*.sh sources this file).
#
# record WHAT NOW OP TARGET [UNIT]: one line of the table bench/run.sh prints
# at the end: WHAT was measured, NOW (a number), the target as OP ("<=" or
# ">=") and TARGET; UNIT is how to read the numbers ("x the floor",
# "x faster", "us"). OP "=" records a figure that has no target.
record() {
	[ -n "${BENCH_RESULTS:-}" ] || return 0
	printf '%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$BENCH_RESULTS"
}

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
