#!/bin/sh
# Changes between two refreshes, as memlens top draws them: the fixture's
# files are rewritten in place (the dashboard keeps them open and reads them
# again from offset 0) while it runs, and the screen must show the change
# whole, labelled, and on an honest scale.
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

ARGS="--proc-root proc --sys-root $FIXTURES/linux-6.18-sys --color=never"

# The first row of a table: the line after the one matching the title REGEX.
first_row() {
	tui_screen | sed -E -n "/$1/{n;p;q;}"
}

# rewrite FILE SED-SCRIPT: edit a fixture file in place (same inode).
rewrite() {
	sed "$2" "$1" >"$1.new" && cat "$1.new" >"$1" && rm -f "$1.new"
}

# A negative change is drawn whole: "-108 KiB", never with a character of the
# cell drawn before it stuck in front ("7-108 KiB").
negative_cell_ok() {
	if printf '%s\n' "$1" | grep -E -q '[^ ]-[0-9]'; then
		echo "a change with a stray character before its sign: $1"
		return 1
	fi
	printf '%s\n' "$1" | grep -E -q ' -[0-9.]+ (B|KiB|MiB|GiB)(/s)?( |$)' || {
		echo "no negative change in: $1"
		return 1
	}
}

test_expect_success 'slab by growth, reversed: a shrinking cache shows its whole negative growth' '
	top_fixture &&
	tui_start "$ARGS -i 2 --view slab" &&
	tui_wait_for "^ CACHE" &&
	tui_keys r && tui_wait_for "^sort: growth \(reversed\)" &&
	rewrite proc/slabinfo "/^dentry /s/  5446   5446 /  5419   5419 /" &&
	tui_wait_row "^ CACHE" "^ dentry .* -[0-9]" &&
	row=$(first_row "^ CACHE") &&
	negative_cell_ok "$row" &&
	tui_quit
'

test_expect_success 'vmalloc grouped by type, reversed growth: a shrinking type shows its whole change' '
	top_fixture &&
	tui_start "$ARGS -i 2 --view vmalloc" &&
	tui_wait_for "^ CALLER" &&
	tui_keys g g && tui_wait_for "^ TYPE" &&
	tui_keys r && tui_wait_for "reversed" &&
	rewrite proc/vmallocinfo "/ vmalloc/{/htab_map_alloc/d;}" &&
	tui_wait_row "^ TYPE" "^ vmalloc .* -[0-9]" &&
	row=$(first_row "^ TYPE") &&
	negative_cell_ok "$row" &&
	tui_quit
'

test_expect_success 'd in the slab view: the columns that show changes say so, the values keep their titles' '
	top_fixture &&
	tui_start "$ARGS -i 0.5 --view slab" &&
	tui_wait_for "^ CACHE" && tui_wait_for "growth [-+0-9]" &&
	tui_keys d && tui_wait_for "showing changes" &&
	tui_wait_for "^ CACHE .* OBJS CHG .* MEMORY CHG" &&
	tui_screen | grep "^ CACHE" >titles &&
	grep -q " USE " titles && grep -q " WASTE " titles &&
	! grep -q "OBJS  " titles &&
	tui_keys d && tui_wait_gone "OBJS CHG" &&
	tui_quit
'

test_expect_success 'd in the process and vmalloc views labels the changes too' '
	top_fixture &&
	tui_start "$ARGS -i 0.5 --view processes" &&
	tui_wait_for "^ +PID" &&
	tui_keys d && tui_wait_for "^ +PID .*PSS CHG" &&
	tui_keys 4 && tui_wait_for "^ CALLER" && tui_wait_for "growth [-+0-9]" &&
	tui_wait_for "^ CALLER .*MEMORY CHG" &&
	tui_quit
'

test_expect_success 'the Avail sparkline is on the scale of MemTotal: 98 % to 97.5 % is a flat line' '
	top_fixture &&
	tui_start -u "$ARGS -i 0.2" &&
	tui_wait_for "^Avail 23.1G 98% .{4}" &&
	rewrite proc/meminfo "s/^MemAvailable: .*/MemAvailable:   24067608 kB/" &&
	tui_wait_for "^Avail 23.0G" &&
	sleep 1 &&
	tui_screen | sed -n "s/^Avail [0-9.]*G [0-9]*% //p" | sed "s/ *faults\/s .*//" >spark &&
	test "$(wc -c <spark)" -gt 12 &&
	if grep -q -v "^\(█\)*\$" spark; then
		echo "the sparkline moved: $(cat spark)"; exit 1
	fi
'

test_done
