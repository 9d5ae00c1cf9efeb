#!/bin/sh
# Every key of memlens top does what its help says, on the fixture machine.
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

ARGS="--proc-root proc --sys-root $FIXTURES/linux-6.18-sys -i 100 --color=never"

# The first row of a table: the line after the one matching the title REGEX.
first_row() {
	tui_screen | sed -E -n "/$1/{n;p;q;}"
}

test_expect_success 'h and ? show the help, which names every key; any key closes it' '
	top_fixture &&
	tui_start "$ARGS" &&
	tui_keys h && tui_wait_for "^ memlens top: keys" &&
	tui_screen >help &&
	for k in "1 ... 7, Tab" "s  " "r  " "/  " "g  " "d  " "Enter, Esc" "space" "+ -" "h ?" "q  "; do
		grep -q "^   $k" help || { echo "help lacks $k"; exit 1; }
	done &&
	tui_keys x && tui_wait_gone "^ memlens top: keys" &&
	tui_keys "?" && tui_wait_for "^ memlens top: keys" &&
	tui_keys Down && tui_wait_for "^ memlens top: keys|views: 1 overview" &&
	tui_keys Escape && tui_wait_for "^ Where MemTotal goes" &&
	tui_quit
'

test_expect_success 'q quits from the help too' '
	top_fixture &&
	tui_start "$ARGS" &&
	tui_keys h && tui_wait_for "^ memlens top: keys" &&
	tui_quit
'

test_expect_success 'space pauses and resumes' '
	top_fixture &&
	tui_start "--proc-root proc -i 0.2 --color=never" &&
	tui_keys Space && tui_wait_for "PAUSED  [0-9:]+  every" &&
	tui_wait_for "paused( |$)" &&
	tui_screen | sed -n 1p >t1 && sleep 0.5 && tui_screen | sed -n 1p >t2 &&
	test_cmp t1 t2 &&
	tui_keys Space && tui_wait_gone "PAUSED" &&
	tui_quit
'

test_expect_success '+ refreshes more often, - less, along 0.1 0.2 0.5 1 2 3 5 10 30 60' '
	top_fixture &&
	tui_start "--proc-root proc -i 1 --color=never" &&
	tui_wait_for "every 1s$" &&
	tui_keys + && tui_wait_for "every 0.5s$" &&
	tui_keys + && tui_wait_for "every 0.2s$" &&
	tui_keys - - - && tui_wait_for "every 2s$" &&
	tui_keys - && tui_wait_for "every 3s$" &&
	tui_keys + + + + + + && tui_wait_for "every 0.1s$" &&
	tui_quit
'

test_expect_success 's steps through the sort keys, r reverses (slab)' '
	top_fixture &&
	tui_start "$ARGS --view slab" &&
	tui_wait_for "^ CACHE" && tui_wait_for "^sort: growth( |$)" &&
	tui_wait_row "^ CACHE" "^ ext4_inode_cache " &&
	tui_keys s && tui_wait_for "^sort: memory( |$)" &&
	tui_keys s && tui_wait_for "^sort: objects( |$)" &&
	tui_wait_row "^ CACHE" "^ extent_status " &&
	tui_keys s s s && tui_wait_for "^sort: waste( |$)" &&
	tui_keys s && tui_wait_for "^sort: name( |$)" &&
	tui_wait_row "^ CACHE" "^ AF_VSOCK " &&
	tui_keys r && tui_wait_for "^sort: name \(reversed\)( |$)" &&
	tui_wait_row "^ CACHE" "^ xt_hashlimit " &&
	tui_keys s && tui_wait_for "^sort: growth \(reversed\)( |$)" &&
	tui_quit
'

test_expect_success 's and r sort the processes; views without keys say so' '
	top_fixture &&
	tui_start "$ARGS --view processes" &&
	tui_wait_for "^>.* 1234 " &&
	tui_keys s s s && tui_wait_for "^sort: swap " &&
	tui_wait_row "^ +PID" "^> +700 " &&
	tui_keys s && tui_wait_for "^sort: pid " &&
	tui_wait_row "^ +PID" "^> +310 " &&
	tui_keys r && tui_wait_for "^sort: pid \(reversed\)" &&
	tui_wait_row "^ +PID" "^> +4242 " &&
	tui_keys 5 && tui_wait_for "\[5 buddy\]" &&
	tui_keys s && tui_wait_for "the buddy view has no sort keys" &&
	tui_quit
'

test_expect_success '/ filters the process list as one types; Esc clears the filter' '
	top_fixture &&
	tui_start "$ARGS --view processes" &&
	tui_wait_for "^ Processes 8 shown" &&
	tui_keys / && tui_wait_for "^filter: _" &&
	tui_type bash && tui_wait_for "^ Processes 1 shown" &&
	tui_screen >screen &&
	grep -E -q "^> +800 1000 .* -bash$" screen &&
	! grep -q " 1234 " screen &&
	tui_keys Enter && tui_wait_for "^sort: pss  group: none  filter: bash( |$)" &&
	tui_keys / && tui_keys BSpace BSpace BSpace BSpace && tui_type srv &&
	tui_wait_for "^ Processes 2 shown" &&
	tui_keys Escape && tui_wait_for "^ Processes 8 shown" &&
	tui_keys / && tui_type nothing-has-this && tui_wait_for "no process matches the filter" &&
	tui_keys Escape && tui_wait_for "^ Processes 8 shown" &&
	tui_quit
'

test_expect_success '/ filters slab caches and vmalloc callers too' '
	top_fixture &&
	tui_start "$ARGS --view slab" &&
	tui_wait_for "^ CACHE" &&
	tui_keys / && tui_type kmalloc-rcl && tui_keys Enter &&
	tui_wait_for "filter: kmalloc-rcl( |$)" && tui_wait_row "^ CACHE" "^ kmalloc-rcl" &&
	tui_screen | sed -n "/^ CACHE/,\$p" | sed -n "2,\$p" | grep -v "^$" | grep -v "^sort:" >rows &&
	test -s rows && ! grep -v "kmalloc-rcl" rows &&
	tui_keys 4 && tui_wait_for "^ CALLER" &&
	tui_keys / && tui_type bpf && tui_keys Enter && tui_wait_row "^ CALLER" "^ bpf" &&
	tui_screen | sed -n "/^ CALLER/,\$p" | sed -n "2,\$p" | grep -v "^$" | grep -v "^sort:" >rows &&
	test $(wc -l <rows) = 3 && ! grep -v "bpf" rows &&
	tui_quit
'

test_expect_success 'g groups processes by user, then by command, then not' '
	top_fixture &&
	tui_start "$ARGS --view processes" &&
	tui_wait_for "^>.* 1234 " &&
	tui_keys g && tui_wait_for "group: user" &&
	tui_wait_for "^ USER +PROCS +PSS" &&
	tui_wait_for "^ 0 +3 " &&
	tui_keys g && tui_wait_for "group: command" &&
	tui_wait_for "^ COMMAND +PROCS +PSS" &&
	tui_wait_for "^ manyvma +1 " &&
	tui_keys Enter && tui_wait_for "no process selected; g ungroups" &&
	tui_keys g && tui_wait_for "group: none" &&
	tui_wait_for "^ +PID USER" &&
	tui_quit
'

test_expect_success 'g groups vmalloc by caller, module or type' '
	top_fixture &&
	tui_start "$ARGS --view vmalloc" &&
	tui_wait_for "^ CALLER +MODULE" &&
	tui_keys g && tui_wait_for "^ MODULE +AREAS" && tui_wait_for "group: module" &&
	tui_wait_for "^ kernel " &&
	tui_keys g && tui_wait_for "^ TYPE +AREAS" &&
	tui_wait_for "^ vmalloc " &&
	tui_keys g && tui_wait_for "^ CALLER +MODULE" &&
	tui_quit
'

test_expect_success 'd shows changes instead of values (and back)' '
	top_fixture &&
	tui_start "$ARGS --view slab" &&
	tui_wait_for "^ ext4_inode_cache +74648 " &&
	tui_keys 4 && tui_wait_for "\[4 vmalloc\]" &&
	tui_keys 3 && tui_wait_for "growth 0/s" &&
	tui_keys d && tui_wait_for "showing changes( |$)" &&
	tui_wait_for "^ ext4_inode_cache +0 +0 " &&
	tui_keys d && tui_wait_gone "showing changes" &&
	tui_wait_for "^ ext4_inode_cache +74648 " &&
	tui_keys 1 && tui_wait_for "^ Reclaim +since boot: " &&
	tui_keys 2 && tui_wait_for "\[2 processes\]" &&
	tui_keys 1 && tui_wait_for "^ Reclaim/s +stalls 0 " &&
	tui_keys d && tui_wait_for "^ Reclaim +since boot: stalls 0 .* refaults 254907" &&
	tui_keys d && tui_wait_for "^ Reclaim/s " &&
	tui_quit
'

test_expect_success 'Tab and Shift-Tab go through the views in order' '
	top_fixture &&
	tui_start "$ARGS" &&
	tui_wait_for "\[1 overview\]" &&
	tui_keys Tab && tui_wait_for "\[2 processes\]" &&
	tui_keys Tab && tui_wait_for "\[3 slab\]" &&
	tui_keys BTab BTab && tui_wait_for "\[1 overview\]" &&
	tui_keys BTab && tui_wait_for "\[7 cgroups\]" &&
	tui_keys Tab && tui_wait_for "\[1 overview\]" &&
	tui_quit
'

test_expect_success 'the arrows, PgDn, Home and End scroll; in the processes they move the selection' '
	top_fixture &&
	tui_start -s 120x24 "$ARGS --view slab" &&
	tui_wait_for "^ CACHE" && tui_wait_for "lines 1-15 of 235$" &&
	tui_wait_row "^ CACHE" "^ ext4_inode_cache " &&
	tui_keys Down && tui_wait_for "lines 2-16 of 235$" &&
	tui_wait_row "^ CACHE" "^ dentry " &&
	tui_keys NPage && tui_wait_for "lines 16-30 of 235$" &&
	first_row "^ CACHE" >row && ! grep -q "^ dentry " row &&
	tui_keys Up && tui_wait_for "lines 15-29 of 235$" &&
	tui_keys End && tui_wait_for "lines 221-235 of 235$" &&
	tui_keys Home && tui_wait_for "lines 1-15 of 235$" &&
	tui_wait_row "^ CACHE" "^ ext4_inode_cache " &&
	tui_keys 2 && tui_wait_for "^> +1234 " &&
	tui_keys Down Down && tui_wait_for "^> +800 " &&
	tui_keys Enter && tui_wait_for "^ Maps of PID 800 bash" &&
	tui_keys Escape && tui_wait_for "^> +800 " &&
	tui_keys Up && tui_wait_for "^> +400 " &&
	tui_quit
'

test_expect_success 'Enter on a process without smaps says why; Esc goes back' '
	top_fixture &&
	tui_start "$ARGS --view processes" &&
	tui_keys / && tui_type sshd && tui_keys Enter &&
	tui_wait_for "^> +700 " &&
	tui_keys Enter && tui_wait_for "^ Maps of PID 700 sshd" &&
	tui_wait_for "smaps n/a: cannot open .*700/smaps: No such file" &&
	tui_keys Escape && tui_wait_for "^> +700 " &&
	tui_quit
'

test_expect_success '-n N exits by itself after N refreshes' '
	top_fixture &&
	tui_start "--proc-root proc -i 0.1 -n 3 --color=never" &&
	tui_restored
'

test_done
