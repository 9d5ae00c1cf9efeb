#!/bin/sh
# memlens procs --json on the procs-6.18 fixture: the schema and exact values.
. "$TOP_SRCDIR/tests/cli/lib.sh"

T="$FIXTURES/procs-6.18"

test_expect_success 'procs --json matches its schema (plain, grouped, filtered, pretty)' '
	ml --proc-root "$T" procs --json >a.json &&
	json_validate procs.schema.json a.json &&
	ml --proc-root "$T" procs --json --group user >b.json &&
	json_validate procs.schema.json b.json &&
	ml --proc-root "$T" procs --json --group command -u 1000 --sort=-rss >c.json &&
	json_validate procs.schema.json c.json &&
	ml --proc-root "$T" procs --json=pretty -p 310 >d.json &&
	json_validate procs.schema.json d.json
'

test_expect_success 'procs --json: exact figures in bytes, from smaps_rollup' '
	ml --proc-root "$T" procs --json >out.json &&
	test "$(json_get out.json ".processes | map(.pid) | join(\",\")")" = "1234,400,800,700,310,4242,900,320" &&
	test "$(json_get out.json ".processes[0].pss")" = $((8124 * 1024)) &&
	test "$(json_get out.json ".processes[0].uss")" = $((8120 * 1024)) &&
	test "$(json_get out.json ".processes[0].fields.Pss_Dirty")" = $((8120 * 1024)) &&
	test "$(json_get out.json ".processes[0].source")" = smaps_rollup &&
	test "$(json_get out.json ".processes[0].cmdline")" = "/srv/fixture/manyvma --vmas 4000" &&
	test "$(json_get out.json ".processes[] | select(.pid == 700) | .swap_pss")" = $((2048 * 1024)) &&
	test "$(json_get out.json ".processes[] | select(.pid == 800) | .pss_shmem")" = $((200 * 1024)) &&
	test "$(json_get out.json ".identity_source")" = status &&
	test "$(json_get out.json ".totals.processes")" = 8 &&
	test "$(json_get out.json ".totals.pss")" = $((19095 * 1024)) &&
	test "$(json_get out.json ".totals.rss")" = $((31916 * 1024))
'

test_expect_success 'procs --json: before 4.14 (3.10 fixture) the figures are summed from smaps' '
	ml --proc-root "$T" procs --json -p 310 >out.json &&
	test "$(json_get out.json ".processes[0].source")" = smaps &&
	test "$(json_get out.json ".processes[0].pss")" = $((990 * 1024)) &&
	test "$(json_get out.json ".processes[0].swap")" = $((32 * 1024)) &&
	test "$(jq ".processes[0].swap_pss" out.json)" = null &&
	test "$(jq ".processes[0].pss_anon" out.json)" = null
'

test_expect_success 'procs --json: kernel threads, the zombie and the exited process are counted, not listed' '
	ml --proc-root "$T" procs --json >out.json &&
	test "$(json_get out.json ".skipped.kernel_threads")" = 2 &&
	test "$(json_get out.json ".skipped.no_memory")" = 1 &&
	test "$(json_get out.json ".skipped.exited")" = 1 &&
	test "$(jq "[.processes[].pid] | map(select(. == 2 or . == 3 or . == 500 or . == 600)) | length" out.json)" = 0
'

test_expect_success 'procs --json --group user: sums per user, all processes listed' '
	ml --proc-root "$T" procs --json --group user --limit 2 >out.json &&
	test "$(json_get out.json ".group_by")" = user &&
	test "$(jq ".groups | length" out.json)" = 2 &&
	test "$(json_get out.json ".groups[0].name")" = 0 &&
	test "$(json_get out.json ".groups[0].processes")" = 3 &&
	test "$(json_get out.json ".groups[0].pss")" = $((10476 * 1024)) &&
	test "$(jq ".processes | length" out.json)" = 8
'

test_expect_success 'procs --json: filters are echoed' '
	ml --proc-root "$T" procs --json -u 1000 -p 800,900 --match "bash|worker" >out.json &&
	test "$(json_get out.json ".filters.uid")" = 1000 &&
	test "$(json_get out.json ".filters.pids | join(\",\")")" = "800,900" &&
	test "$(json_get out.json ".filters.match")" = "bash|worker" &&
	test "$(json_get out.json ".processes | map(.pid) | join(\",\")")" = "800,900"
'

test_expect_success 'procs --json: the same document read in one thread (MEMLENS_THREADS=0)' '
	ml --proc-root "$T" procs --json | jq -S "del(.source.time)" >a &&
	MEMLENS_THREADS=0 ml --proc-root "$T" procs --json | jq -S "del(.source.time)" >b &&
	test_cmp a b
'

test_expect_success 'procs --json -n 2: two documents, one per line' '
	ml --proc-root "$T" procs --json -n 2 -i 0.01 >out.json &&
	test $(wc -l <out.json) = 2 &&
	json_validate procs.schema.json out.json
'

test_done
