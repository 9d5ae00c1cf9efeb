#!/bin/sh
# memlens top's cgroups view on a fixture machine (top-6.18's kernel files
# with cgroup-v2-systemd's mountinfo, processes and sys tree): the tree with
# its figures, sorting, the filter, Enter to a cgroup's processes and on to a
# process's maps, Esc back; a machine without a memory controller says why.
. "$TOP_SRCDIR/tests/tui/lib-tui.sh"

CG="$FIXTURES/cgroup-v2-systemd"
ARGS="--proc-root proc --sys-root $CG/sys -i 100 --color=never"

# The dashboard's machine, with the cgroup fixture's mountinfo and processes.
cg_fixture() {
	top_fixture && cp -R "$CG/proc/self" proc/ &&
		for d in "$CG"/proc/[0-9]*; do cp -R "$d" proc/ || return 1; done
}

# The first row of the table: the line after the title.
first_row() {
	tui_screen | sed -E -n "/^ CGROUP /{n;p;q;}"
}

test_expect_success 'the cgroups view: the tree with its figures, exactly' '
	cg_fixture &&
	tui_start "$ARGS --view cgroups" &&
	tui_wait_for "\[7 cgroups\]" && tui_wait_for "^ \`- init.scope " &&
	tui_stable >top-cgroups.txt &&
	test_cmp "$TOP_SRCDIR/tests/cli/expected/top-cgroups.txt" top-cgroups.txt &&
	tui_quit
'

test_expect_success 's sorts the siblings by the next key, r reverses, / filters by path' '
	cg_fixture &&
	tui_start "$ARGS --view cgroups" &&
	tui_wait_for "^ \|  \|- postgresql.service " &&
	tui_wait_for "^sort: current( |$)" &&
	tui_keys r && tui_wait_for "^sort: current \(reversed\)" &&
	tui_wait_for "^ \|- init.scope " &&
	tui_keys r s s s s s s s s && tui_wait_for "^sort: pss( |$)" &&
	tui_keys / && tui_type service && tui_keys Enter &&
	tui_wait_for "filter: service" &&
	tui_wait_for "^[ >]/system.slice/postgresql.service " &&
	! tui_screen | grep -q "^ /user.slice" &&
	tui_quit
'

test_expect_success 'Enter: the cgroup'"'"'s processes; Enter: a process'"'"'s maps; Esc, Esc: back' '
	cg_fixture &&
	tui_start "$ARGS --view cgroups" &&
	tui_wait_for "^ \|  \|- nginx.service " &&
	tui_keys Down Down Down && tui_wait_for "^>\|  \|- nginx.service " &&
	tui_keys Enter && tui_wait_for "\[2 processes\]" &&
	tui_wait_for "cgroup: /system.slice/nginx.service \(Esc: all\)" &&
	tui_wait_for "^[ >] +801 .*nginx: worker process" &&
	test "$(tui_screen | grep -c "^[ >] *[0-9][0-9]* [0-9][0-9]* .* MiB ")" = 2 &&
	tui_keys Down Enter && tui_wait_for "^ Maps of PID 800 nginx" &&
	tui_wait_for "^ /usr/sbin/nginx " &&
	tui_keys Escape && tui_wait_for "^[ >] +801 .*nginx: worker process" &&
	tui_keys Escape && tui_wait_for "\[7 cgroups\]" &&
	tui_wait_for "^>\|  \|- nginx.service " &&
	tui_quit
'

test_expect_success 'a machine without a memory controller: the view says why' '
	top_fixture &&
	tui_start "--proc-root proc --sys-root $CG/sys -i 100 --color=never --view cgroups" &&
	tui_wait_for "^ Cgroups n/a: cannot open proc/self/mountinfo: No such file or directory" &&
	tui_quit
'

test_done
