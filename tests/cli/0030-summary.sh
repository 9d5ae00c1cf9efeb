#!/bin/sh
# memlens summary on fixture trees: the text report, exact JSON values, the
# accounting adding up to MemTotal, units and color.
. "$TOP_SRCDIR/tests/cli/lib.sh"

EXP="$TOP_SRCDIR/tests/cli/expected"

for t in linux-6.18 linux-4.14 linux-3.10; do
	# a copy at ./proc: messages that name a path wrap the same way everywhere
	test_expect_success "summary text of $t" "
		fixture_copy $t &&
		ml --proc-root proc summary >out 2>err &&
		strip_time <out >actual &&
		test_cmp '$EXP/summary-$t.txt' actual
	"
	test_expect_success "summary of $t: the parts add up to MemTotal exactly" "
		ml --proc-root '$FIXTURES/$t' --json >json &&
		total=\$(json_get json .accounting.total) &&
		sum=\$(jq '[.accounting.parts[].bytes // 0] | add' json) &&
		test \"\$sum\" = \"\$total\" &&
		test \"\$total\" = \"\$(json_get json .memory.total)\"
	"
done

test_expect_success 'summary JSON of linux-6.18: exact values from meminfo' '
	ml --proc-root "$FIXTURES/linux-6.18" --json >json &&
	test "$(json_get json .memory.total)" = $((24684092 * 1024)) &&
	test "$(json_get json .memory.available)" = $((24272408 * 1024)) &&
	test "$(json_get json .memory.used)" = $(((24684092 - 24272408) * 1024)) &&
	test "$(json_get json .memory.cache)" = $(((115432 + 134660) * 1024)) &&
	test "$(json_get json .memory.used_formula)" = "MemTotal - MemAvailable" &&
	test "$(json_get json ".accounting.parts[] | select(.name == \"vmalloc\") | .bytes")" = $(((14284 - 1504) * 1024)) &&
	test "$(json_get json ".accounting.parts[] | select(.name == \"vmalloc\") | .fields")" = "VmallocUsed-KernelStack" &&
	test "$(json_get json ".accounting.parts[] | select(.name == \"page_cache\") | .shmem")" = $((8856 * 1024)) &&
	test "$(json_get json ".accounting.parts[] | select(.name == \"unaccounted\") | .bytes")" = $((62600 * 1024)) &&
	json_get json ".accounting.notes | index(\"vmap_stack_measured\") != null" | grep -qx true &&
	test "$(json_get json .reclaim.period)" = since_boot &&
	test "$(json_get json .reclaim.pgmajfault)" = 2479 &&
	test "$(json_get json .source.hostname)" = fixture-618 &&
	test "$(json_get json .source.kernel_release)" = 6.18.44 &&
	test "$(json_get json .command)" = summary &&
	test "$(jq ".parse_errors | length" json)" = 0
'

test_expect_success 'absent parts are null in JSON, with the reason' '
	ml --proc-root "$FIXTURES/linux-4.14" --json >json &&
	test "$(jq ".accounting.parts[] | select(.name == \"vmalloc\") | .bytes" json)" = null &&
	json_get json ".accounting.parts[] | select(.name == \"vmalloc\") | .absent_why" | grep -q "printed as 0" &&
	test "$(jq ".accounting.parts[] | select(.name == \"percpu\") | .bytes" json)" = null &&
	test "$(json_get json .memory.available_source)" = MemAvailable
'

test_expect_success 'units: -k, -m, -g, -b and --si, as free(1)' '
	F="$FIXTURES/linux-6.18" &&
	ml --proc-root "$F" -k >k && grep -q "^Memory   total 24684092 " k && grep -q "^(sizes in KiB)" k &&
	ml --proc-root "$F" -m >m && grep -q "^Memory   total 24105 " m &&
	ml --proc-root "$F" -g >g && grep -q "^Memory   total 23 " g &&
	ml --proc-root "$F" -b >b && grep -q "^Memory   total 25276510208 " b &&
	ml --proc-root "$F" -k --si >ks && grep -q "^Memory   total 25276510 " ks && grep -q "^(sizes in kB)" ks &&
	ml --proc-root "$F" --si >hs && grep -q "^Memory   total 25.3 GB " hs &&
	ml --proc-root "$F" -k -h >h && grep -q "^Memory   total 23.5 GiB " h
'

test_expect_success 'color: never by default off a terminal, always on request, NO_COLOR' '
	F="$FIXTURES/linux-6.18" &&
	ml --proc-root "$F" >plain && ! grep -q "$(printf "\033")" plain &&
	ml --proc-root "$F" --color=always >color && grep -q "$(printf "\033")\[1m" color &&
	ml --proc-root "$F" --color >color2 && grep -q "$(printf "\033")" color2 &&
	NO_COLOR=1 ml --proc-root "$F" --color=auto >nc && ! grep -q "$(printf "\033")" nc &&
	NO_COLOR=1 ml --proc-root "$F" --color=always >nc2 && grep -q "$(printf "\033")" nc2 &&
	ml --proc-root "$F" --color=never >never &&
	strip_time <plain >plain.t && strip_time <never >never.t && test_cmp plain.t never.t
'

test_expect_success 'UTF-8 bars in a UTF-8 locale, ASCII otherwise' '
	F="$FIXTURES/linux-6.18" &&
	ml --proc-root "$F" >ascii && grep -q "^  free .*  ##########" ascii &&
	if locale -a 2>/dev/null | grep -qi "^c.utf-\{0,1\}8$"; then
		LC_ALL=C.UTF-8 ml --proc-root "$F" >utf8 && grep -q "█" utf8
	fi
'

test_expect_success 'a wider terminal (COLUMNS) gets a wider bar, capped' '
	F="$FIXTURES/linux-6.18" &&
	COLUMNS=200 ml --proc-root "$F" >wide &&
	bar=$(sed -n "s/^  free .*%  \(#*\) .*/\1/p" wide) &&
	test ${#bar} -gt 12 && test ${#bar} -le 30
'

test_expect_success 'swap in use and zswap are shown when present' '
	mkdir proc && sed -e "s/^SwapTotal: .*/SwapTotal:       4194300 kB/" \
		-e "s/^SwapFree: .*/SwapFree:        3145724 kB/" \
		-e "s/^Zswap: .*/Zswap:             10240 kB/" \
		-e "s/^Zswapped: .*/Zswapped:          40960 kB/" \
		"$FIXTURES/linux-6.18/meminfo" >proc/meminfo &&
	ml --proc-root proc >out &&
	grep -q "^Swap     total 4.00 GiB  used 1.00 GiB (25.0%)  swap cache 0 B  zswap 10.0 MiB holds 40.0 MiB" out &&
	ml --proc-root proc --json >json &&
	test "$(json_get json .swap.used)" = $((1048576 * 1024)) &&
	test "$(json_get json ".accounting.parts[] | select(.name == \"zswap\") | .bytes")" = $((10240 * 1024))
'

test_expect_success 'overcommit above the limit is flagged' '
	mkdir proc && sed -e "s/^Committed_AS: .*/Committed_AS:   24684092 kB/" \
		"$FIXTURES/linux-6.18/meminfo" >proc/meminfo &&
	ml --proc-root proc --color=always >out &&
	grep -q "committed of 11.8 GiB limit ($(printf "\033")\[33m200.0%" out
'

test_done
