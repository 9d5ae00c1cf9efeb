#!/bin/sh
# Privileges: every command run as an unprivileged user (uid 65534 through
# setpriv) either works or prints its documented message and exit status; the
# summary says what it could not read. And memlens writes nothing but its own
# output, as root or not (every file and descriptor system call, under strace).
. "$TOP_SRCDIR/tests/cli/lib.sh"

F="$FIXTURES/linux-6.18"
COMMANDS="summary meminfo buddy zones vmalloc slab procs"

can_drop_root() {
	is_root && command -v setpriv >/dev/null 2>&1
}

# A world-accessible directory holding a copy of memlens that uid 65534 can
# run (the build tree may sit in a private directory) and a copy of a fixture.
NOBODY_DIR=
if can_drop_root; then
	NOBODY_DIR=$(mktemp -d /tmp/memlens-nobody.XXXXXX) && chmod 0755 "$NOBODY_DIR" &&
		cp "$MEMLENS" "$NOBODY_DIR/memlens" && chmod 0755 "$NOBODY_DIR/memlens" ||
		exit 99
	trap 'rm -rf "$TEST_ROOT" "$NOBODY_DIR"' EXIT
fi

# Run memlens as uid 65534, with no groups.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$NOBODY_DIR/memlens" "$@"
}

# May uid 65534 read this file?
nobody_reads() {
	setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$1"
}

# ---------------------------------------------------------------- the live /proc

if can_drop_root; then
	test_expect_success 'summary as nobody: exit 0, the root-only views n/a with the reason' '
		as_nobody summary >out 2>err && test ! -s err &&
		grep -q "^Memory" out &&
		for f in slabinfo vmallocinfo; do
			if nobody_reads /proc/$f; then continue; fi
			grep -q "n/a: cannot open /proc/$f: Permission denied (run as root)" out || exit 1
		done &&
		as_nobody summary --json >j && json_validate summary.schema.json j &&
		for f in slabinfo vmallocinfo; do
			if nobody_reads /proc/$f; then continue; fi
			jq -e --arg f "$f" "[.unavailable[] | select(.source == \$f and (.why | test(\"Permission denied\")))] | length == 1" j >/dev/null || exit 1
		done
	'

	for cmd in meminfo buddy zones; do
		test_expect_success "$cmd as nobody: works (its files are world-readable)" "
			as_nobody $cmd >out 2>err && test ! -s err && test -s out &&
			as_nobody $cmd --json >j 2>err && test ! -s err && jq -e .memlens j >/dev/null
		"
	done

	test_expect_success 'procs as nobody: exit 0, other users'"'"' processes n/a, counted, with the reason' '
		as_nobody procs >out 2>err && test ! -s err &&
		grep -q "^n/a: [0-9]* process\(es\)\{0,1\} could not be read: permission denied (other users'"'"' processes; run as root to include them)" out &&
		as_nobody procs --json >j 2>err && test ! -s err && json_validate procs.schema.json j &&
		jq -e ".totals.denied > 0 and ([.processes[] | select(.pid == 1)][0].pss == null)" j >/dev/null
	'

	test_expect_success 'maps of a root process as nobody: the documented message, exit 1' '
		test_expect_code 1 as_nobody maps 1 >out 2>err &&
		grep -qx "memlens: cannot open /proc/1/smaps_rollup: Permission denied (run as root, or as the process'"'"'s owner)" err &&
		test_expect_code 1 as_nobody maps 1 --json >out 2>/dev/null
	'

	test_expect_success 'maps of its own process as nobody: works' '
		setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "exec \"\$0\" maps \$\$" "$NOBODY_DIR/memlens" >out 2>err &&
		# Under valgrind the process memlens runs in is memcheck.
		test ! -s err && grep -q "^Process [0-9]* (\(memlens\|memcheck-amd64-\))" out
	'

	test_expect_success 'buddy --types as nobody: the report, then the documented message, exit 1' '
		if nobody_reads /proc/pagetypeinfo; then
			as_nobody buddy --types >out 2>err && test ! -s err
		else
			test_expect_code 1 as_nobody buddy --types >out 2>err &&
			grep -qx "memlens: cannot open /proc/pagetypeinfo: Permission denied (pagetypeinfo is readable by root only since Linux 5.4: run as root, e.g. sudo memlens buddy --types)" err &&
			grep -q "^Migrate types  n/a" out &&
			test_expect_code 1 as_nobody buddy --types --json >j 2>/dev/null &&
			jq -e ".zones | length > 0" j >/dev/null
		fi
	'

	test_expect_success 'vmalloc as nobody: the documented message, exit 1' '
		if nobody_reads /proc/vmallocinfo; then
			as_nobody vmalloc >out 2>err
		else
			test_expect_code 1 as_nobody vmalloc >out 2>err &&
			test ! -s out &&
			grep -qx "memlens: cannot open /proc/vmallocinfo: Permission denied (only root can read it: the kernel creates it mode 0400; run as root, e.g. '"'"'sudo memlens vmalloc'"'"')" err &&
			test_expect_code 1 as_nobody vmalloc --json >out 2>/dev/null
		fi
	'

	test_expect_success 'slab as nobody: the documented message, exit 1' '
		if nobody_reads /proc/slabinfo; then
			as_nobody slab >out 2>err
		else
			test_expect_code 1 as_nobody slab >out 2>err &&
			test ! -s out &&
			grep -qx "memlens: cannot open /proc/slabinfo: Permission denied (run as root: the file is mode 0400)" err &&
			test_expect_code 1 as_nobody slab --json >out 2>/dev/null
		fi
	'
else
	test_skip 'the live /proc as nobody' 'needs root and setpriv to become uid 65534'
fi

# ---------------------------------------------------------------- one file 0000
# A world-readable copy with one file made unreadable: the same messages as
# the kernel's 0400 files give, whichever file it is. (Read at ./proc: the
# summary wraps long paths.)

# SOURCE|COMMAND|KIND|TEXT: error = exit 1 and TEXT on stderr; na = exit 0 and TEXT in the report
table='
meminfo|summary|error|cannot open PROC/meminfo: Permission denied
meminfo|meminfo|error|cannot open PROC/meminfo: Permission denied
meminfo|vmalloc|na|VmallocUsed n/a (cannot open PROC/meminfo: Permission denied)
vmstat|summary|na|Reclaim  n/a (cannot open PROC/vmstat: Permission denied)
buddyinfo|buddy|error|cannot open PROC/buddyinfo: Permission denied
buddyinfo|summary|na|Buddy    n/a: cannot open PROC/buddyinfo: Permission denied (run as root)
pagetypeinfo|buddy --types|error|cannot open PROC/pagetypeinfo: Permission denied (pagetypeinfo is readable by root only
zoneinfo|zones|error|cannot open PROC/zoneinfo: Permission denied
zoneinfo|summary|na|Zones    n/a: cannot open PROC/zoneinfo: Permission denied (run as root)
slabinfo|slab|error|cannot open PROC/slabinfo: Permission denied (run as root: the file is mode 0000)
slabinfo|summary|na|Slab     n/a: cannot open PROC/slabinfo: Permission denied (run as root)
vmallocinfo|vmalloc|error|cannot open PROC/vmallocinfo: Permission denied (only root can read it
vmallocinfo|summary|na|vmalloc  n/a: cannot open PROC/vmallocinfo: Permission denied (run as root)
'

if can_drop_root; then
	echo "$table" | grep . >"$TEST_ROOT/rows"
	while IFS='|' read -r src cmd kind text; do
		test_expect_success "$src 0000, memlens $cmd as nobody: $kind" "
			t=\$(mktemp -d \"\$NOBODY_DIR/t.XXXXXX\") && chmod 0755 \"\$t\" &&
			cp -R '$F' \"\$t/proc\" && chmod -R a+rX \"\$t/proc\" && chmod 0000 \"\$t/proc/$src\" &&
			want=\$(printf '%s' '$text' | sed 's|PROC|proc|') &&
			(cd \"\$t\" && as_nobody --proc-root proc $cmd) >out 2>err
			rc=\$?
			case $kind in
			error) test \$rc = 1 && grep -q -F \"memlens: \$want\" err ;;
			na) test \$rc = 0 && grep -q -F \"\$want\" out ;;
			esac
		"
	done <"$TEST_ROOT/rows"
else
	test_skip 'one file 0000, as nobody' 'needs root and setpriv to become uid 65534'
fi

# ---------------------------------------------------------------- writes nothing
# Every file and descriptor system call of a run, traced: no file opened for
# writing, created, removed, renamed, linked, truncated or chmod'ed; writes go
# to stdout and stderr only. (LeakSanitizer cannot run under ptrace: off here.)

can_strace() {
	command -v strace >/dev/null 2>&1 && strace -f -qq -o /dev/null true 2>/dev/null
}

# writes_only_output LOG: the trace shows no write outside fds 1 and 2.
writes_only_output() {
	if grep -E '(open|openat|openat2)\(.*O_(WRONLY|RDWR|CREAT|TRUNC|APPEND)' "$1"; then
		echo "opened for writing (above)"
		return 1
	fi
	if grep -E '^[0-9]+ +(creat|mkdir|mkdirat|unlink|unlinkat|rmdir|rename|renameat|renameat2|link|linkat|symlink|symlinkat|chmod|fchmod|fchmodat|chown|fchown|fchownat|lchown|truncate|ftruncate|mknod|mknodat|utimensat|utimes|futimesat|setxattr|fsetxattr|lsetxattr)\(' "$1"; then
		echo "changed the file system (above)"
		return 1
	fi
	if grep -E '^[0-9]+ +(write|writev|pwrite64|pwritev|pwritev2|sendto|sendmsg|sendfile|splice|copy_file_range)\(' "$1" |
		grep -v -E '^[0-9]+ +[a-z0-9]+\([12],'; then
		echo "wrote to a descriptor other than stdout and stderr (above)"
		return 1
	fi
	return 0
}

# The copied tree a command reads: procs needs process directories (a tree
# without any is an error since issue 17 item 11).
copy_of() {
	case $1 in
	procs) echo "$FIXTURES/procs-6.18" ;;
	*) echo "$F" ;;
	esac
}

if [ -n "${MEMLENS_TEST_NO_STRACE:-}" ]; then
	test_skip 'memlens writes nothing but its output' 'MEMLENS_TEST_NO_STRACE is set (under valgrind)'
elif can_strace; then
	for cmd in $COMMANDS; do
		test_expect_success "memlens $cmd writes nothing but its output (as root, live and copy)" "
			ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=%file,%desc,%network -o trace \
				\"\$MEMLENS\" $cmd -n 2 -i 0.01 >out 2>err
			ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=%file,%desc,%network -o trace2 \
				\"\$MEMLENS\" --proc-root '$(copy_of "$cmd")' $cmd --json >out 2>err &&
			cat trace2 >>trace &&
			grep -q 'openat(.*info' trace &&
			writes_only_output trace
		"
	done
	if can_drop_root; then
		test_expect_success 'as nobody, every command writes nothing but its output' '
			for cmd in $COMMANDS; do
				ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=%file,%desc,%network -o trace \
					setpriv --reuid=65534 --regid=65534 --clear-groups "$NOBODY_DIR/memlens" $cmd >out 2>err
				writes_only_output trace || exit 1
			done
		'
	else
		test_skip 'as nobody, every command writes nothing but its output' 'needs root and setpriv'
	fi
else
	test_skip 'memlens writes nothing but its output' 'strace is missing or cannot trace here'
fi

test_done
