#!/bin/sh
# Every JSON document memlens prints matches its schema in doc/schema/, on
# every fixture tree and on the live machine; and the validator itself
# rejects documents that break the schema.
. "$TOP_SRCDIR/tests/cli/lib.sh"

if ! /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then
	test_skip 'JSON Schema validation' 'python3-jsonschema is not installed'
	test_done
fi

for t in linux-6.18 linux-4.14 linux-3.10; do
	for cmd in summary meminfo; do
		test_expect_success "$cmd --json of $t matches $cmd.schema.json" "
			ml --proc-root '$FIXTURES/$t' $cmd --json >doc &&
			json_validate $cmd.schema.json doc
		"
	done
done

for cmd in summary meminfo; do
	test_expect_success "$cmd --json on this machine matches $cmd.schema.json" "
		ml $cmd --json >doc && json_validate $cmd.schema.json doc
	"
	test_expect_success "$cmd --json=pretty is the same document" "
		ml --proc-root '$FIXTURES/linux-6.18' $cmd --json | jq -S 'del(.source.time)' >compact &&
		ml --proc-root '$FIXTURES/linux-6.18' $cmd --json=pretty >pretty &&
		jq -S 'del(.source.time)' pretty >pretty.n && test_cmp compact pretty.n &&
		grep -q '^  \"memlens\": {' pretty
	"
done

test_expect_success 'JSON Lines from -n: each line is a valid document' '
	ml --proc-root "$FIXTURES/linux-6.18" -n 3 -i 0.05 --json >lines &&
	test "$(wc -l <lines)" = 3 &&
	json_validate summary.schema.json lines
'

test_expect_success 'the validator rejects a wrong document' '
	ml --proc-root "$FIXTURES/linux-6.18" --json >doc &&
	jq ".memlens.schema = 2" doc >bad1 && ! json_validate summary.schema.json bad1 2>/dev/null &&
	jq ".memory.total = -1" doc >bad2 && ! json_validate summary.schema.json bad2 2>/dev/null &&
	jq "del(.accounting)" doc >bad3 && ! json_validate summary.schema.json bad3 2>/dev/null &&
	jq ".extra = 1" doc >bad4 && ! json_validate summary.schema.json bad4 2>/dev/null
'

test_expect_success '64-bit values are exact in JSON (not rounded through a double)' '
	mkdir proc &&
	printf "MemTotal: 18014398509481983 kB\nHugePages_Total: 18446744073709551615\n" >proc/meminfo &&
	ml --proc-root proc meminfo --json >doc &&
	grep -q "\"HugePages_Total\":18446744073709551615" doc &&
	grep -q "\"MemTotal\":18446744073709550592" doc
'

test_done
