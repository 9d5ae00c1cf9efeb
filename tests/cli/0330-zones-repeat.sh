#!/bin/sh
# memlens zones -i/-n: one report per tick, JSON Lines.
. "$TOP_SRCDIR/tests/cli/lib.sh"

test_expect_success '-n 3 --json: three documents, one per line' '
	ml --proc-root "$FIXTURES/two-node-zones" zones -n 3 -i 0.01 --json >out &&
	test "$(wc -l <out)" = 3 &&
	json_validate zones.schema.json out &&
	test "$(jq -s "[.[].zones[7].free_pages] | unique | length" out)" = 1
'

test_expect_success '-n 2 text: two reports, separated by a blank line' '
	ml --proc-root "$FIXTURES/zones-4.19" zones -n 2 -i 0.01 >out &&
	test "$(grep -c "^memlens zones of" out)" = 2 &&
	test "$(grep -c "^Zones    below low" out)" = 2
'

test_done
