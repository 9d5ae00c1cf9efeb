#!/bin/sh
# memlens buddy -i/-n: one report per tick; JSON Lines.
. "$TOP_SRCDIR/tests/cli/lib.sh"

test_expect_success '-n 3 --json: three documents, one per line, each valid' '
	ml --proc-root "$FIXTURES/two-node" buddy -n 3 -i 0.01 --json >out &&
	test $(wc -l <out) = 3 &&
	json_validate buddy.schema.json out &&
	test "$(jq -r .zones[3].free_pages out | sort -u)" = 8920
'

test_expect_success '-n 2 text: two reports separated by a blank line' '
	ml --proc-root "$FIXTURES/two-node" buddy -n 2 -i 0.01 >out &&
	test $(grep -c "^memlens buddy of two-node" out) = 2 &&
	test $(grep -c "^Zones\$" out) = 2
'

test_expect_success '-n 2 --types: both reports have the migrate types' '
	ml --proc-root "$FIXTURES/two-node" buddy --types -n 2 -i 0.01 --json >out &&
	test "$(jq -r .types.nodes out)" = "2
2"
'

test_expect_success '-n 2 --types without the file: exit 1, the error once' '
	fixture_copy two-node && rm proc/pagetypeinfo &&
	test_expect_code 1 ml --proc-root proc buddy --types -n 2 -i 0.01 --json >out 2>err &&
	test $(wc -l <out) = 2 &&
	test $(grep -c "cannot open proc/pagetypeinfo" err) = 1
'

test_expect_success 'live /proc, repeated: each report parses' '
	ml buddy -n 2 -i 0.05 --json >out &&
	json_validate buddy.schema.json out &&
	test "$(jq -r .page_size.source out | sort -u)" = kernel
'

test_expect_success '--json=pretty cannot repeat' '
	test_expect_code 2 ml --proc-root "$FIXTURES/two-node" buddy -n 2 --json=pretty 2>err &&
	grep -q "cannot repeat" err
'

test_done
