#!/bin/sh
# memlens vmalloc, text reports of every vmalloc fixture tree against expected files.
. "$TOP_SRCDIR/tests/cli/lib.sh"

EXP="$TOP_SRCDIR/tests/cli/expected"

# run_cmp EXPECTED ARGS...: the report (time and fixture path stripped) is EXPECTED; no stderr.
run_cmp() {
	_exp=$1
	shift
	ml "$@" >out 2>err || { cat err; return 1; }
	strip_time <out | sed "s|$FIXTURES/|FIXTURES/|" >got &&
		test_cmp "$EXP/$_exp" got &&
		test ! -s err
}

test_expect_success 'linux-6.18 (hashed addresses): by caller' '
	run_cmp 0500-linux-6.18.txt --proc-root "$FIXTURES/linux-6.18" vmalloc
'
test_expect_success 'real addresses, 6.9+ order: by type' '
	run_cmp 0500-realaddr-type.txt --proc-root "$FIXTURES/vmalloc-6.18-realaddr" vmalloc --by type
'
test_expect_success '3.10 format: VmallocUsed as address ranges, every caller' '
	run_cmp 0500-3.10.txt --proc-root "$FIXTURES/vmalloc-3.10" vmalloc --limit 0
'
test_expect_success '4.19 format: VmallocUsed printed as 0, by module' '
	run_cmp 0500-4.19-module.txt --proc-root "$FIXTURES/vmalloc-4.19" vmalloc --by module
'
test_expect_success '6.12 with modules and zero addresses' '
	run_cmp 0500-6.12-modules.txt --proc-root "$FIXTURES/vmalloc-6.12-modules" vmalloc \
		--limit 0 --areas 5
'
test_expect_success 'inconsistent VmallocUsed: differs, with the reason' '
	run_cmp 0500-6.12-inconsistent.txt --proc-root "$FIXTURES/vmalloc-6.12-inconsistent" \
		vmalloc --limit 3 --areas 0
'
test_expect_success 'sort by name reversed, --limit, sizes in KiB' '
	run_cmp 0500-sort-name.txt --proc-root "$FIXTURES/vmalloc-6.12-modules" vmalloc \
		--by type --sort=-name --areas 2 -k
'
test_expect_success 'sort by areas (the unpurged ones are in no table, stated once above)' '
	ml --proc-root "$FIXTURES/linux-6.18" vmalloc --sort areas --limit 3 --areas 0 >out &&
	sed -n "/^By caller/,/^  total/p" out >got &&
	sed -n 3p got | grep -q "^  kernel_clone .* 95 " &&
	sed -n 4p got | grep -q "^  bpf_prog_alloc_no_stats .* 86 " &&
	sed -n 5p got | grep -q "^  vp_modern_map_capability .* 20 " &&
	! grep -q "unpurged" got &&
	grep -q "^            and 1307 unpurged areas spanning 25.5 MiB: freed" out
'
test_expect_success 'page size unknown: memory is n/a, never 0' '
	fixture_copy vmalloc-6.12-modules &&
	rm proc/vmstat &&
	ml --proc-root proc vmalloc --limit 2 --areas 1 >out &&
	grep -q "^vmalloc     n/a in 1727 pages (page size unknown)" out &&
	grep -q "cannot compare: the page size of proc is unknown" out &&
	grep -q "^  alloc_large_system_hash .* 512 *n/a " out
'
test_expect_success 'repeating: a change column from the second report on' '
	ml --proc-root "$FIXTURES/linux-6.18" vmalloc -n 2 -i 0.05 --limit 2 --areas 0 >out &&
	test "$(grep -c "^By caller" out)" = 2 &&
	test "$(grep -c "share  change$" out)" = 1 &&
	grep -q "^  htab_map_alloc .* 56.7%       0$" out
'
test_done
