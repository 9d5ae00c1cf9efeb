#!/bin/sh
# Every view of memlens top on the fixture machine (tests/fixtures/top-6.18),
# exactly as a person sees it at 120x40 without color: the screen after the
# first refresh of each view (-i 100: nothing refreshes by itself meanwhile).
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

EXP="$TOP_SRCDIR/tests/cli/expected"
ARGS="--proc-root proc --sys-root $FIXTURES/linux-6.18-sys -i 100 --color=never"

# view KEY NAME: switch with KEY, wait for the tab, compare with top-NAME.txt.
view() {
	tui_keys "$1" && tui_wait_for "\[[0-9] $2\]" &&
		tui_wait_for "$3" && tui_stable >"top-$2.txt" &&
		test_cmp "$EXP/top-$2.txt" "top-$2.txt"
}

test_expect_success 'overview: header, headline, reclaim, zones, buddy, the accounting' '
	top_fixture &&
	tui_start "$ARGS" &&
	tui_wait_for "^ MemTotal " &&
	tui_stable >top-overview.txt &&
	test_cmp "$EXP/top-overview.txt" top-overview.txt &&
	tui_quit
'

test_expect_success 'processes: PSS USS RSS SWAP by PSS, unreadable ones n/a' '
	top_fixture &&
	tui_start "$ARGS" &&
	view 2 processes "^ Processes " &&
	tui_quit
'

test_expect_success 'a process'"'"'s maps breakdown (Enter on the first row)' '
	top_fixture &&
	tui_start "$ARGS --view processes" &&
	tui_wait_for "^> +1234 " &&
	tui_keys Enter &&
	tui_wait_for "^ Maps of PID 1234 " &&
	tui_wait_for "^ total " &&
	tui_stable >top-maps.txt &&
	test_cmp "$EXP/top-maps.txt" top-maps.txt &&
	tui_keys Escape &&
	tui_wait_for "^ Processes " &&
	tui_quit
'

test_expect_success 'slab: caches by growth (none yet: by memory), reclaimable from sysfs' '
	top_fixture &&
	tui_start "$ARGS" &&
	view 3 slab "^ CACHE " &&
	tui_quit
'

test_expect_success 'vmalloc: callers' '
	top_fixture &&
	tui_start "$ARGS" &&
	view 4 vmalloc "^ CALLER " &&
	tui_quit
'

test_expect_success 'buddy: free blocks per order, fragmentation and unusable indices' '
	top_fixture &&
	tui_start "$ARGS" &&
	view 5 buddy "^ Unusable free space index" &&
	tui_quit
'

test_expect_success 'zones: free against the watermarks, with gauges' '
	top_fixture &&
	tui_start "$ARGS" &&
	view 6 zones "^ gauge:" &&
	tui_quit
'

test_done
