#!/bin/sh
# memlens vmalloc on this machine's /proc (root only): the page size from sysconf, and
# VmallocUsed agreeing with vmallocinfo, or a difference with its reason.
. "$TOP_SRCDIR/tests/cli/lib.sh"

if ! is_root || ! [ -r /proc/vmallocinfo ]; then
	test_skip 'live vmallocinfo' 'needs root and /proc/vmallocinfo'
	test_done
fi

test_expect_success 'live: schema, sysconf page size, a check with a reason' '
	ml vmalloc --json >out.json &&
	json_validate vmalloc.schema.json out.json &&
	test "$(jq -r .vmalloc.page_size out.json)" = "$(getconf PAGESIZE)" &&
	test "$(jq -r .vmalloc.page_size_source out.json)" = kernel &&
	state=$(jq -r .vmalloc.check.state out.json) &&
	case $state in
	equal) test "$(jq -r .vmalloc.check.difference out.json)" = 0 ;;
	differs) test "$(jq -r .vmalloc.check.why out.json)" != null ;;
	not_reported) test "$(jq -r .vmalloc.check.VmallocUsed out.json)" = 0 ;;
	*) echo "check state $state"; false ;;
	esac &&
	test "$(jq -r .vmalloc.addresses out.json)" != none
'
test_expect_success 'live: the totals are the sums over the groups' '
	ml vmalloc --json >out.json &&
	test "$(jq "[.vmalloc.types[].pages] | add" out.json)" = "$(jq .vmalloc.totals.pages out.json)" &&
	test "$(jq "[.vmalloc.modules[].areas] | add" out.json)" = \
		"$(jq ".vmalloc.totals | .areas + .unpurged.areas + .vm_map_ram.areas" out.json)"
'
test_expect_success 'live: repeating keeps one open file and reports growth' '
	ml vmalloc --json -n 3 -i 0.05 >out.jsonl &&
	test "$(wc -l <out.jsonl)" = 3 &&
	json_validate vmalloc.schema.json out.jsonl &&
	test "$(sed -n 3p out.jsonl | jq ".vmalloc.types[0].growth | type")" = "\"object\""
'
test_done
