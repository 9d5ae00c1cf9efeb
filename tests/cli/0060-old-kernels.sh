#!/bin/sh
# Kernels older than the fields memlens would like: MemAvailable estimated
# before 3.14 (and said so), VmallocUsed that is not memory, hugetlb without
# the Hugetlb line.
. "$TOP_SRCDIR/tests/cli/lib.sh"

test_expect_success '3.10: MemAvailable estimated with the 3.14 formula, marked' '
	ml --proc-root "$FIXTURES/linux-3.10" >out &&
	grep -q "available 6.00 GiB\*" out &&
	grep -q "prints no MemAvailable (it appeared in 3.14): available\* is" out &&
	ml --proc-root "$FIXTURES/linux-3.10" --json >json &&
	test "$(json_get json .memory.available_source)" = estimated &&
	test "$(json_get json .memory.available)" = 6447074560 &&
	test "$(json_get json .memory.used)" = $((8061404 * 1024 - 6447074560)) &&
	test "$(json_get json .memory.used_formula)" = "MemTotal - estimated MemAvailable"
'

test_expect_success '3.10 without min_free_kbytes: available unknown, used from MemFree' '
	fixture_copy linux-3.10 && rm proc/sys/vm/min_free_kbytes &&
	ml --proc-root proc >out &&
	grep -q "available n/a" out &&
	grep -q "cannot be estimated" out &&
	ml --proc-root proc --json >json &&
	test "$(jq .memory.available json)" = null &&
	test "$(jq .memory.available_source json)" = null &&
	test "$(json_get json .memory.used)" = $(((8061404 - 3120532) * 1024)) &&
	test "$(json_get json .memory.used_formula)" = "MemTotal - MemFree"
'

test_expect_success '3.10 with a garbled min_free_kbytes: no estimate either' '
	fixture_copy linux-3.10 && echo "lots" >proc/sys/vm/min_free_kbytes &&
	ml --proc-root proc --json >json &&
	test "$(jq .memory.available json)" = null
'

test_expect_success '3.10: VmallocUsed is address space, left out and explained' '
	ml --proc-root "$FIXTURES/linux-3.10" >out &&
	grep -q "^  vmalloc  *n/a  *VmallocUsed is address space here$" out &&
	ml --proc-root "$FIXTURES/linux-3.10" --json >json &&
	json_get json ".accounting.notes | index(\"vmalloc_address_space\") != null" | grep -qx true
'

test_expect_success '4.14: VmallocUsed printed as 0 is not a measurement' '
	ml --proc-root "$FIXTURES/linux-4.14" >out &&
	grep -q "^  vmalloc  *n/a  *VmallocUsed is printed as 0 here$" out &&
	grep -q "kernels 4.4 to 5.2 print 0" out
'

test_expect_success '4.14: hugetlb pool from HugePages_Total x Hugepagesize' '
	ml --proc-root "$FIXTURES/linux-4.14" >out &&
	grep -q "^  hugetlb pool  *128 MiB .*HugePages_Total\*Hugepagesize$" out &&
	grep -q "^Huge     64 pages of 2.00 MiB (60 free, 2 reserved, 0 surplus)$" out
'

test_done
