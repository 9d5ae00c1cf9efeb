#!/bin/sh
# memlens maps PID --json on the procs-6.18 fixture: the schema, the sums,
# the rollup check, and --all streamed row by row.
. "$TOP_SRCDIR/tests/cli/lib.sh"

T="$FIXTURES/procs-6.18"

test_expect_success 'maps --json matches its schema, with and without --all, every fixture PID' '
	for pid in 1234 4242 310 320 400; do
		ml --proc-root "$T" maps $pid --json >a.json &&
		json_validate maps.schema.json a.json &&
		ml --proc-root "$T" maps $pid --json --all >b.json &&
		json_validate maps.schema.json b.json || exit 1
	done
'

test_expect_success 'maps --json: kinds and totals in bytes, the rollup agrees within rounding' '
	ml --proc-root "$T" maps 1234 --json >out.json &&
	test "$(jq ".mappings" out.json)" = null &&
	test "$(json_get out.json ".kinds | map(.kind) | join(\",\")")" = "heap,anon,stack,file_code,file_data,file_ro,shmem,hugetlb,named_anon,special" &&
	test "$(json_get out.json ".kinds[1].mappings")" = 4004 &&
	test "$(json_get out.json ".kinds[1].rss")" = $((8032 * 1024)) &&
	test "$(json_get out.json ".kinds[7].mappings")" = 0 &&
	test "$(json_get out.json ".totals.mappings")" = 4028 &&
	test "$(json_get out.json ".totals.pss")" = $((8123 * 1024)) &&
	test "$(json_get out.json ".smaps_rollup.fields.Pss")" = $((8124 * 1024)) &&
	test "$(json_get out.json ".smaps_rollup.name")" = "[rollup]" &&
	test "$(json_get out.json ".rollup_check.agrees")" = true &&
	test "$(json_get out.json ".rollup_check.differences.pss")" = 1024 &&
	test "$(json_get out.json ".rollup_check.differences.rss")" = 0
'

test_expect_success 'maps --json: a rollup from another moment does not agree' '
	ml --proc-root "$T" maps 4242 --json >out.json &&
	test "$(json_get out.json ".rollup_check.agrees")" = false &&
	test "$(json_get out.json ".rollup_check.differences.rss")" = $((-60 * 1024))
'

test_expect_success 'maps --json: files with odd names, decoded; kinds they are mapped as' '
	ml --proc-root "$T" maps 1234 --json >out.json &&
	test "$(jq ".files | length" out.json)" = 6 &&
	jq -e ".files[] | select(.name == \"/srv/fixture/my file\\nname.bin\") | .deleted" out.json &&
	jq -e ".files[] | select(.name == \"/srv/fixture/with space.bin\") | .deleted == false" out.json &&
	test "$(json_get out.json ".files[] | select(.name == \"/memfd:memfd-test\") | .kinds | join(\",\")")" = shmem &&
	test "$(json_get out.json ".files[0].name")" = /usr/lib/x86_64-linux-gnu/libc.so.6 &&
	test "$(json_get out.json ".files[0].kinds | join(\",\")")" = "file_code,file_data,file_ro"
'

test_expect_success 'maps --all --json: 4028 rows, each with its fields by kernel name' '
	ml --proc-root "$T" maps 1234 --all --json >out.json &&
	test "$(jq ".mappings | length" out.json)" = 4028 &&
	test "$(json_get out.json ".mappings[0].start")" = 55f960ad2000 &&
	test "$(json_get out.json ".mappings[0].fields.KernelPageSize")" = 4096 &&
	test "$(json_get out.json ".mappings[0].fields.THPeligible")" = 0 &&
	test "$(json_get out.json ".mappings[0].vmflags | join(\" \")")" = "rd mr mw me" &&
	test "$(jq "[.mappings[] | select(.kind == \"anon\")] | length" out.json)" = 4004 &&
	test "$(jq "[.mappings[] | select(.name == null)] | length" out.json)" = 4004 &&
	test "$(jq "[.mappings[].fields.Rss] | add" out.json)" = $((9688 * 1024)) &&
	test "$(json_get out.json ".mappings[-1].name_kind")" = vsyscall
'

test_expect_success 'maps --all --json=pretty is the same document' '
	ml --proc-root "$T" maps 4242 --all --json | jq -S "del(.source.time)" >a &&
	ml --proc-root "$T" maps 4242 --all --json=pretty >p.json &&
	jq -S "del(.source.time)" p.json >b &&
	test_cmp a b &&
	grep -q "^  \"mappings\": \[$" p.json
'

test_expect_success 'maps --all --json: the same document read in one thread (MEMLENS_THREADS=0)' '
	for pid in 1234 310; do
		ml --proc-root "$T" maps $pid --all --json | jq -S "del(.source.time)" >a &&
		MEMLENS_THREADS=0 ml --proc-root "$T" maps $pid --all --json |
			jq -S "del(.source.time)" >b &&
		test_cmp a b || exit 1
	done
'

test_expect_success 'maps --json: 3.10, 32-bit and Android formats' '
	ml --proc-root "$T" maps 310 --all --json >out.json &&
	test "$(jq ".smaps_rollup" out.json)" = null &&
	test "$(json_get out.json ".smaps_rollup_missing")" = "no smaps_rollup (kernels before 4.14)" &&
	test "$(jq ".totals.swap_pss" out.json)" = null &&
	test "$(json_get out.json ".mappings[6].name_kind")" = stack_tid &&
	test "$(json_get out.json ".mappings[6].kind")" = anon &&
	test "$(json_get out.json ".kinds[6].pss")" = $((512 * 1024)) &&
	ml --proc-root "$T" maps 320 --json >out.json &&
	test "$(json_get out.json ".totals.rss")" = $((456 * 1024)) &&
	ml --proc-root "$T" maps 400 --all --json >out.json &&
	test "$(json_get out.json ".mappings[0].Name")" = "dalvik-main space" &&
	test "$(json_get out.json ".mappings[0].fields.PSwap")" = $((256 * 1024)) &&
	test "$(json_get out.json ".kinds[8].mappings")" = 2 &&
	test "$(json_get out.json ".kinds[6].mappings")" = 1
'

test_done
