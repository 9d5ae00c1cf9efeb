#!/bin/sh
# memlens meminfo: every field in the kernel's order, grouped and explained;
# unknown fields under "other", as printed; JSON keys verbatim.
. "$TOP_SRCDIR/tests/cli/lib.sh"

EXP="$TOP_SRCDIR/tests/cli/expected"

for t in linux-6.18 linux-4.14 linux-3.10; do
	test_expect_success "meminfo text of $t" "
		ml --proc-root '$FIXTURES/$t' meminfo >out &&
		strip_time <out >actual &&
		test_cmp '$EXP/meminfo-$t.txt' actual
	"
	test_expect_success "meminfo JSON of $t: every line, in order, values in bytes" "
		ml --proc-root '$FIXTURES/$t' meminfo --json >json &&
		jq -r '.meminfo | keys_unsorted[]' json >keys &&
		sed 's/:.*//' '$FIXTURES/$t/meminfo' >expected_keys &&
		test_cmp expected_keys keys &&
		jq -r '.meminfo | to_entries[] | \"\\(.key) \\(.value)\"' json >values &&
		awk '{ k = \$1; sub(/:\$/, \"\", k); if (\$3 == \"kB\") printf \"%s %.0f\\n\", k, \$2 * 1024; else print k, \$2 }' \
			'$FIXTURES/$t/meminfo' >expected_values &&
		test_cmp expected_values values
	"
done

test_expect_success 'unknown fields are kept, grouped under Other, listed as unknown' '
	mkdir proc &&
	{ cat "$FIXTURES/linux-6.18/meminfo"; printf "MirrorFree:        1024 kB\nTcache:              17\n"; } >proc/meminfo &&
	ml --proc-root proc meminfo >out &&
	sed -n "/^Other/,/^$/p" out >other &&
	grep -q "^  MirrorFree  *1.00 MiB$" other &&
	grep -q "^  Tcache  *17  (no unit)$" other &&
	ml --proc-root proc meminfo --json >json &&
	test "$(json_get json .meminfo.MirrorFree)" = 1048576 &&
	test "$(json_get json .meminfo.Tcache)" = 17 &&
	test "$(jq -c .unknown json)" = "[\"MirrorFree\",\"Tcache\"]" &&
	test "$(jq -c .groups.other json)" = "[\"MirrorFree\",\"Tcache\"]" &&
	jq -e ".unitless | index(\"Tcache\") != null and index(\"HugePages_Total\") != null" json >/dev/null
'

test_expect_success 'groups hold every key exactly once' '
	ml --proc-root "$FIXTURES/linux-6.18" meminfo --json >json &&
	test "$(jq "[.groups[][]] | length" json)" = "$(jq ".meminfo | length" json)" &&
	test "$(jq "[.groups[][]] | unique | length" json)" = "$(jq ".meminfo | length" json)" &&
	test "$(jq -c ".groups.huge_pages[0:2]" json)" = "[\"AnonHugePages\",\"ShmemHugePages\"]"
'

test_expect_success 'meminfo in fixed units' '
	ml --proc-root "$FIXTURES/linux-6.18" meminfo -k >out &&
	grep -q "^  MemTotal  *24684092  " out &&
	grep -q "^  HugePages_Total  *0  " out
'

test_done
