# Shell test library for memlens: TAP output, in the manner of git's test-lib.
#
#   . "$TOP_SRCDIR/tests/cli/lib.sh"
#   test_expect_success 'what it checks' '
#       ml --proc-root "$FIXTURES/linux-6.18" summary >out &&
#       grep -q "MemTotal" out
#   '
#   test_done
#
# Each test body runs in a subshell inside a fresh scratch directory; its
# output is shown (as TAP comments) only when it fails. The environment comes
# from Makefile.am: MEMLENS, TOP_SRCDIR, TOP_BUILDDIR, FIXTURES, LC_ALL=C, TZ=UTC.

: "${MEMLENS:?run through make check}"
: "${TOP_SRCDIR:?run through make check}"
: "${FIXTURES:=$TOP_SRCDIR/tests/fixtures}"

test_count=0
test_failed=0
TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/memlens-test.XXXXXX") || exit 99
trap 'rm -rf "$TEST_ROOT"' EXIT

# Run memlens; all arguments are passed on.
ml() {
	"$MEMLENS" "$@"
}

# Print a TAP comment.
say() {
	printf '# %s\n' "$*"
}

test_expect_success() {
	_desc=$1
	_body=$2
	test_count=$((test_count + 1))
	_dir="$TEST_ROOT/t$test_count"
	mkdir -p "$_dir"
	if (cd "$_dir" && eval "$_body") >"$TEST_ROOT/log" 2>&1; then
		printf 'ok %d - %s\n' "$test_count" "$_desc"
	else
		test_failed=$((test_failed + 1))
		printf 'not ok %d - %s\n' "$test_count" "$_desc"
		sed -e 's/^/#   /' "$TEST_ROOT/log" | head -n 60
	fi
}

# Skip a test, with the reason shown in the TAP stream.
test_skip() {
	test_count=$((test_count + 1))
	printf 'ok %d - %s # SKIP %s\n' "$test_count" "$1" "$2"
}

# test_expect_code CODE COMMAND...: the command exits with CODE.
test_expect_code() {
	_want=$1
	shift
	"$@"
	_got=$?
	if [ "$_got" != "$_want" ]; then
		echo "expected exit status $_want, got $_got: $*"
		return 1
	fi
	return 0
}

# test_cmp EXPECTED ACTUAL: the files are identical (a diff when not).
# MEMLENS_REGEN_EXPECTED=1 rewrites an expected file under tests/cli/expected
# with the actual output instead (for a deliberate change; review the diff).
test_cmp() {
	if [ -n "${MEMLENS_REGEN_EXPECTED:-}" ]; then
		case $1 in
		"$TOP_SRCDIR"/tests/cli/expected/*) cp "$2" "$1" ;;
		esac
	fi
	diff -u "$1" "$2"
}

# Remove what changes from run to run: the report header's time (the end of
# the first line) and where the fixtures are ("read from FIXTURES/linux-6.18").
strip_time() {
	sed -e 's/, [0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9:]\{8\} [A-Z+0-9-]*$/, TIME/' \
	    -e "s|$FIXTURES|FIXTURES|g"
}

# json_get FILE FILTER: jq -r, failing when jq fails or the result is null.
json_get() {
	jq -e -r "$2" "$1"
}

# json_validate SCHEMA FILE: FILE (one document or JSON Lines) matches
# doc/schema/SCHEMA (e.g. summary.schema.json). Needs Debian's python3-jsonschema.
json_validate() {
	/usr/bin/python3 "$TOP_SRCDIR/tests/cli/json-validate.py" "$TOP_SRCDIR/doc/schema/$1" "$2"
}

# Copy a fixture tree into the current directory as ./proc.
fixture_copy() {
	cp -R "$FIXTURES/$1" ./proc && chmod -R u+w ./proc
}

# wait_for_lines FILE N: wait until FILE has N lines (a background memlens
# printed its reports), at most 60 s; fails on time-out. Signal tests send
# their signal after this, not after a fixed sleep: a slow machine (or
# valgrind) may not have installed the handlers yet.
wait_for_lines() {
	_w=0
	while [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -lt "$2" ]; do
		[ $_w -ge 600 ] && { echo "no $2 lines in $1 after 60 s"; return 1; }
		sleep 0.1
		_w=$((_w + 1))
	done
}

# The churn of the race tests (tests/helpers/churn). churn_start skips the
# whole script unless the machine has smaps_rollup (4.14+) and the helper is
# built; else it starts a spawner of 1000 and more short-lived processes and
# three processes that map and unmap memory, and waits until they run. They
# run until churn_stop (SIGTERM: each prints its counts, in $W/spawn.out and
# $W/mapN.out) or for MEMLENS_CHURN_SECONDS (600). Sets W, SPAWNER, MAPPERS;
# the script's EXIT trap calls churn_kill.
churn_start() {
	_churn="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/churn"
	if [ ! -r /proc/self/smaps_rollup ] || [ ! -x "$_churn" ]; then
		test_skip "$1" 'needs smaps_rollup (4.14+) and tests/helpers/churn'
		test_done
	fi
	W="$TEST_ROOT/churn"
	mkdir -p "$W"
	# Created here: the background jobs' redirections happen in their own time.
	: >"$W/spawn.out"
	for _i in 1 2 3; do
		: >"$W/map$_i.out"
	done
	# Started as ./churn from its directory: a command line that a screen
	# 160 columns wide shows whole, however deep the build tree (distcheck's).
	(cd "${_churn%/*}" && exec ./churn spawn "${MEMLENS_CHURN_SECONDS:-600}" 1000) \
		>"$W/spawn.out" 2>&1 &
	SPAWNER=$!
	MAPPERS=
	for _i in 1 2 3; do
		(cd "${_churn%/*}" && exec ./churn map "${MEMLENS_CHURN_SECONDS:-600}") \
			>"$W/map$_i.out" 2>&1 &
		MAPPERS="$MAPPERS $!"
	done
	for _i in 1 2 3; do
		wait_for_lines "$W/map$_i.out" 1 >/dev/null
	done
}

churn_stop() {
	kill -TERM $SPAWNER $MAPPERS
}

churn_kill() {
	kill $SPAWNER $MAPPERS 2>/dev/null
}

is_root() {
	[ "$(id -u)" = 0 ]
}

test_done() {
	printf '1..%d\n' "$test_count"
	exit 0
}
