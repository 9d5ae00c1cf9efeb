#!/bin/sh
# The bad-input matrix: every source, every kind of damage, every command that
# reads it, with the defined behaviour (doc/bad-input.md):
#
#   error  exit 1; a line of stderr starts "memlens: TEXT" (TEXT names the file)
#   warn   exit 0; "memlens: warning: proc/SRC: 1 bad line ignored; first at
#          line LINE (TEXT)" (N bad lines when TEXT is empty: garbage); the rest
#          is shown; --json lists it in parse_errors
#   warn=  warn, and the report is the undamaged one (nothing else was lost)
#   na     exit 0; the report has the view as "n/a" with TEXT (the summary's
#          optional views; --json lists the source under "unavailable"; a
#          process of procs)
#   note   exit 0; a line of stderr starts "memlens: TEXT"; a report
#   opt    exit 0; the report is shown and says why meminfo is missing from it
#   same   exit 0, nothing on stderr, the report of the undamaged tree
#   shown  exit 0, nothing on stderr, a report
#
# Every case also runs every command on the damaged tree: none crashes, none
# hangs (each run has 20 s), every exit status is 0 or 1 (explain: 0, 1 or 3). The damaged trees
# are copies of tests/fixtures/linux-6.18 (procs-6.18 for a process's files,
# PID 4242) with one file changed.
. "$TOP_SRCDIR/tests/cli/lib.sh"

TREES="$TEST_ROOT/trees"
mkdir -p "$TREES"

# The fixture a source's damaged tree is copied from.
base_of() {
	case $1 in
	*/*) echo "$FIXTURES/procs-6.18" ;;
	*) echo "$FIXTURES/linux-6.18" ;;
	esac
}

# The line of each source that the value cases change, as a line prefix (a
# blank follows it).
key_of() {
	case $1 in
	4242/smaps_rollup | 4242/smaps) echo 'Rss:' ;;
	4242/status) echo 'PPid:' ;;
	meminfo) echo 'MemFree:' ;;
	vmstat) echo 'nr_free_pages' ;;
	buddyinfo) echo 'Node 0, zone    DMA32' ;;
	pagetypeinfo) echo 'Node    0, zone    DMA32, type      Movable' ;;
	zoneinfo) echo '  pages free' ;;
	slabinfo) echo 'kmalloc-64' ;;
	vmallocinfo) echo '0x00000000c900f804-0x00000000f75c2b16' ;;
	esac
}

# 4 KiB of binary garbage, the same bytes every run (an LCG), newlines and NULs included.
garbage() {
	/usr/bin/python3 -c '
import sys
s, out = 12345, bytearray()
for i in range(4096):
    s = (s * 1103515245 + 12345) % 2**31
    out.append((s >> 16) & 0xff)
sys.stdout.buffer.write(bytes(out))'
}

head -c 10485760 /dev/zero | tr '\0' 7 >"$TEST_ROOT/10mb" && echo >>"$TEST_ROOT/10mb"

# damage SRC CASE FILE: apply one kind of damage to FILE (a copy of SRC).
damage() {
	_key=$(key_of "$1")
	case $2 in
	missing) rm -f "$3" ;;
	empty) : >"$3" ;;
	truncated) # cut in the middle of the key line, 4 bytes into its value column
		_n=$(grep -n "^$_key[[:blank:]]" "$3" | head -1 | cut -d: -f1) &&
			{ head -n $((_n - 1)) "$3" && sed -n "${_n}p" "$3" | head -c $((${#_key} + 4)); } >"$3.t" &&
			mv "$3.t" "$3" ;;
	garbage) garbage >"$3" ;;
	longline) cat "$TEST_ROOT/10mb" "$(base_of "$1")/$1" >"$3" ;;
	overflow) sed -i "0,/^$_key[[:blank:]]/s/^\($_key[[:blank:]]*\)[0-9][0-9]*/\199999999999999999999/" "$3" ;;
	negative) sed -i "0,/^$_key[[:blank:]]/s/^\($_key[[:blank:]]*\)\([0-9][0-9]*\)/\1-\2/" "$3" ;;
	duplicate) # the key line twice in a row
		awk -v k="^$_key[ \t]" '$0 ~ k && !d { print; d = 1 } { print }' "$3" >"$3.t" &&
			mv "$3.t" "$3" ;;
	crlf) sed -i 's/$/\r/' "$3" ;;
	directory) rm -f "$3" && mkdir "$3" ;;
	fifo) rm -f "$3" && mkfifo "$3" ;;
	esac
}

# run DIR OUT ERR ARGS...: memlens on DIR/proc, bounded in time; the exit status.
run() {
	_dir=$1 _out=$2 _err=$3
	shift 3
	(cd "$_dir" && timeout 20 "$MEMLENS" --proc-root proc "$@") >"$_out" 2>"$_err"
}

# The reports of the undamaged trees, per command.
mkdir -p "$TREES/base" "$TREES/base-pid" && cp -R "$FIXTURES/linux-6.18" "$TREES/base/proc" &&
	cp -R "$FIXTURES/procs-6.18" "$TREES/base-pid/proc"

# check SRC CASE CMD KIND LINE TEXT: one row of the table (runs in a test body).
check() {
	_src=$1 _case=$2 _cmd=$3 _kind=$4 _line=$5 _text=$6
	_t="$TREES/$(echo "$1" | tr / _)-$2" _base="$TREES/base"
	case $1 in */*) _base="$TREES/base-pid" ;; esac
	# shellcheck disable=SC2086
	run "$_t" out err $_cmd
	_rc=$?
	case $_kind in
	error)
		[ $_rc = 1 ] || { echo "exit $_rc, wanted 1"; cat err; return 1; }
		awk -v m="memlens: $_text" 'index($0, m) == 1 { f = 1 } END { exit !f }' err ||
			{ echo "no line starting \"memlens: $_text\" in:"; cat err; return 1; }
		# shellcheck disable=SC2086
		run "$_t" jout jerr $_cmd --json
		[ $? = 1 ] || { echo "--json: exit status not 1"; return 1; }
		;;
	warn | warn=)
		[ $_rc = 0 ] || { echo "exit $_rc, wanted 0"; cat err; return 1; }
		# One damaged line is one bad line; garbage (no TEXT) is many.
		_count='1 bad line'
		[ -n "$_text" ] || _count='[0-9]* bad lines'
		grep -q "^memlens: warning: proc/$_src: $_count ignored; first at line $_line ($_text" err ||
			{ echo "no warning for line $_line ($_text) in:"; cat err; return 1; }
		test -s out || { echo "no report"; return 1; }
		# shellcheck disable=SC2086
		run "$_t" jout jerr $_cmd --json || { echo "--json failed"; cat jerr; return 1; }
		jq -e --arg f "proc/$_src" --argjson l "$_line" \
			'[.parse_errors[] | select(.file == $f and .first_bad_line == $l)] | length == 1' \
			jout >/dev/null || { echo "--json: no parse_errors entry for line $_line"; return 1; }
		if [ "$_kind" = "warn=" ]; then
			# shellcheck disable=SC2086
			run "$_base" bout berr $_cmd &&
				strip_time <bout >bexp && strip_time <out >oexp && test_cmp bexp oexp || return 1
		fi
		;;
	na)
		[ $_rc = 0 ] || { echo "exit $_rc, wanted 0"; cat err; return 1; }
		grep -F "n/a" out | grep -q -F "$_text" || { echo "no n/a with \"$_text\" in:"; cat out; return 1; }
		[ "$_cmd" = summary ] || return 0
		# shellcheck disable=SC2086
		run "$_t" jout jerr $_cmd --json || { echo "--json failed"; return 1; }
		jq -e --arg s "$_src" '[.unavailable[] | select(.source == $s)] | length == 1' jout >/dev/null ||
			{ echo "--json: $_src is not listed as unavailable"; return 1; }
		;;
	note)
		[ $_rc = 0 ] || { echo "exit $_rc, wanted 0"; cat err; return 1; }
		awk -v m="memlens: $_text" 'index($0, m) == 1 { f = 1 } END { exit !f }' err ||
			{ echo "no line starting \"memlens: $_text\" in:"; cat err; return 1; }
		test -s out || { echo "no report"; return 1; }
		;;
	opt)
		[ $_rc = 0 ] || { echo "exit $_rc, wanted 0"; cat err; return 1; }
		test -s out && grep -q "meminfo" out || { echo "the report does not say why"; cat out; return 1; }
		;;
	same | shown)
		[ $_rc = 0 ] || { echo "exit $_rc, wanted 0"; cat err; return 1; }
		test ! -s err || { echo "unexpected stderr:"; cat err; return 1; }
		test -s out || { echo "no report"; return 1; }
		if [ "$_kind" = same ]; then
			# shellcheck disable=SC2086
			run "$_base" bout berr $_cmd &&
				strip_time <bout >bexp && strip_time <out >oexp && test_cmp bexp oexp || return 1
		fi
		;;
	*)
		echo "bad table row: $_kind"
		return 1
		;;
	esac
	return 0
}

# Every command on a damaged tree: no crash, no hang, no sanitizer report.
sweep() {
	for _cmd in summary meminfo buddy "buddy --types" zones vmalloc slab procs "maps 4242"; do
		for _json in "" --json; do
			# shellcheck disable=SC2086
			run "$1" out err $_cmd $_json
			_rc=$?
			if [ $_rc != 0 ] && [ $_rc != 1 ]; then
				echo "memlens $_cmd $_json: exit $_rc"
				cat err
				return 1
			fi
			if grep -q "runtime error\|Sanitizer\|AddressSanitizer" err; then
				cat err
				return 1
			fi
		done
	done
	# explain ends with 3 too, when a damaged value reads as a warning.
	for _json in "" --json; do
		run "$1" out err explain $_json
		_rc=$?
		if [ $_rc != 0 ] && [ $_rc != 1 ] && [ $_rc != 3 ]; then
			echo "memlens explain $_json: exit $_rc"
			cat err
			return 1
		fi
		if grep -q "runtime error\|Sanitizer\|AddressSanitizer" err; then
			cat err
			return 1
		fi
	done
}

# SOURCE|CASE|COMMAND|KIND|LINE|TEXT
table='
meminfo|missing|summary|error||cannot open proc/meminfo: No such file or directory
meminfo|missing|meminfo|error||cannot open proc/meminfo: No such file or directory
meminfo|missing|vmalloc|opt||
meminfo|missing|slab|opt||
meminfo|empty|summary|error||proc/meminfo: no MemTotal line
meminfo|empty|meminfo|error||proc/meminfo: no MemTotal line
meminfo|empty|vmalloc|opt||
meminfo|empty|slab|opt||
meminfo|truncated|summary|warn|2|no newline at end of file (truncated)
meminfo|truncated|meminfo|warn|2|no newline at end of file (truncated)
meminfo|truncated|vmalloc|warn|2|no newline at end of file (truncated)
meminfo|truncated|slab|warn|2|no newline at end of file (truncated)
meminfo|garbage|summary|error||proc/meminfo: no MemTotal line
meminfo|garbage|meminfo|error||proc/meminfo: no MemTotal line
meminfo|garbage|vmalloc|warn|1|
meminfo|garbage|slab|warn|1|
meminfo|longline|summary|warn=|1|line too long
meminfo|longline|meminfo|warn=|1|line too long
meminfo|longline|vmalloc|warn=|1|line too long
meminfo|longline|slab|warn=|1|line too long
meminfo|overflow|summary|warn|2|value does not fit in 64 bits
meminfo|overflow|meminfo|warn|2|value does not fit in 64 bits
meminfo|overflow|vmalloc|warn|2|value does not fit in 64 bits
meminfo|negative|summary|warn|2|no value
meminfo|negative|meminfo|warn|2|no value
meminfo|negative|slab|warn|2|no value
meminfo|duplicate|summary|warn=|3|duplicate key
meminfo|duplicate|meminfo|warn=|3|duplicate key
meminfo|duplicate|vmalloc|warn=|3|duplicate key
meminfo|crlf|summary|same||
meminfo|crlf|meminfo|same||
meminfo|crlf|vmalloc|same||
meminfo|crlf|slab|same||
meminfo|directory|summary|error||cannot read proc/meminfo: is a directory
meminfo|directory|meminfo|error||cannot read proc/meminfo: is a directory
meminfo|directory|vmalloc|opt||
meminfo|fifo|summary|error||cannot read proc/meminfo: not a regular file
meminfo|fifo|meminfo|error||cannot read proc/meminfo: not a regular file
meminfo|fifo|slab|opt||
vmstat|missing|summary|na||cannot open proc/vmstat: No such file or directory
vmstat|empty|summary|na||proc/vmstat: no counters
vmstat|truncated|summary|warn|1|no newline at end of file (truncated)
vmstat|garbage|summary|warn|1|
vmstat|garbage|summary|na||proc/vmstat: no counters
vmstat|longline|summary|warn=|1|line too long
vmstat|overflow|summary|warn|1|value does not fit in 64 bits
vmstat|negative|summary|warn|1|no value
vmstat|duplicate|summary|warn=|2|duplicate key
vmstat|crlf|summary|same||
vmstat|directory|summary|na||cannot read proc/vmstat: is a directory
vmstat|fifo|summary|na||cannot read proc/vmstat: not a regular file
buddyinfo|missing|buddy|error||cannot open proc/buddyinfo: No such file or directory
buddyinfo|missing|summary|na||cannot open proc/buddyinfo: No such file or directory
buddyinfo|empty|buddy|error||proc/buddyinfo: no zone lines
buddyinfo|empty|summary|na||proc/buddyinfo: no zone lines
buddyinfo|truncated|buddy|warn|2|no newline at end of file (truncated)
buddyinfo|truncated|summary|warn|2|no newline at end of file (truncated)
buddyinfo|garbage|buddy|error||proc/buddyinfo: no zone lines
buddyinfo|garbage|summary|na||proc/buddyinfo: no zone lines
buddyinfo|longline|buddy|warn=|1|line too long
buddyinfo|longline|summary|warn=|1|line too long
buddyinfo|overflow|buddy|warn|2|count does not fit in 64 bits
buddyinfo|overflow|summary|warn|2|count does not fit in 64 bits
buddyinfo|negative|buddy|warn|2|free block count is not a number
buddyinfo|duplicate|buddy|warn=|3|zone listed twice
buddyinfo|duplicate|summary|warn=|3|zone listed twice
buddyinfo|crlf|buddy|same||
buddyinfo|crlf|summary|same||
buddyinfo|directory|buddy|error||cannot read proc/buddyinfo: is a directory
buddyinfo|directory|summary|na||cannot read proc/buddyinfo: is a directory
buddyinfo|fifo|buddy|error||cannot read proc/buddyinfo: not a regular file
buddyinfo|fifo|summary|na||cannot read proc/buddyinfo: not a regular file
pagetypeinfo|missing|buddy --types|error||cannot open proc/pagetypeinfo: No such file or directory
pagetypeinfo|missing|buddy|same||
pagetypeinfo|empty|buddy --types|error||proc/pagetypeinfo: no zone rows
pagetypeinfo|truncated|buddy --types|warn|11|no newline at end of file (truncated)
pagetypeinfo|garbage|buddy --types|error||proc/pagetypeinfo: no zone rows
pagetypeinfo|longline|buddy --types|warn=|1|line too long
pagetypeinfo|overflow|buddy --types|warn|11|count does not fit in 64 bits
pagetypeinfo|negative|buddy --types|warn|11|free count is not a number
pagetypeinfo|duplicate|buddy --types|warn=|12|migrate type listed twice for this zone
pagetypeinfo|crlf|buddy --types|same||
pagetypeinfo|directory|buddy --types|error||cannot read proc/pagetypeinfo: is a directory
pagetypeinfo|fifo|buddy --types|error||cannot read proc/pagetypeinfo: not a regular file
zoneinfo|missing|zones|error||cannot open proc/zoneinfo: No such file or directory
zoneinfo|missing|summary|na||cannot open proc/zoneinfo: No such file or directory
zoneinfo|empty|zones|error||proc/zoneinfo: no zone records
zoneinfo|empty|summary|na||proc/zoneinfo: no zone records
zoneinfo|truncated|zones|warn|54|no newline at end of file (truncated)
zoneinfo|truncated|summary|warn|54|no newline at end of file (truncated)
zoneinfo|garbage|zones|error||proc/zoneinfo: no zone records
zoneinfo|garbage|summary|na||proc/zoneinfo: no zone records
zoneinfo|longline|zones|warn=|1|line too long
zoneinfo|longline|summary|warn=|1|line too long
zoneinfo|overflow|zones|warn|54|value does not fit in 64 bits
zoneinfo|overflow|summary|warn|54|value does not fit in 64 bits
zoneinfo|negative|zones|warn|54|no value
zoneinfo|duplicate|zones|warn=|55|duplicate key
zoneinfo|duplicate|summary|warn=|55|duplicate key
zoneinfo|crlf|zones|same||
zoneinfo|crlf|summary|same||
zoneinfo|directory|zones|error||cannot read proc/zoneinfo: is a directory
zoneinfo|directory|summary|na||cannot read proc/zoneinfo: is a directory
zoneinfo|fifo|zones|error||cannot read proc/zoneinfo: not a regular file
zoneinfo|fifo|summary|na||cannot read proc/zoneinfo: not a regular file
slabinfo|missing|slab|error||cannot open proc/slabinfo: No such file or directory
slabinfo|missing|summary|na||cannot open proc/slabinfo: No such file or directory
slabinfo|empty|slab|error||proc/slabinfo: empty file
slabinfo|empty|summary|na||proc/slabinfo: empty file
slabinfo|truncated|slab|warn|230|no newline at end of file (truncated)
slabinfo|truncated|summary|warn|230|no newline at end of file (truncated)
slabinfo|garbage|slab|error||proc/slabinfo: not a slabinfo file
slabinfo|garbage|summary|na||proc/slabinfo: not a slabinfo file
slabinfo|longline|slab|warn|1|line too long
slabinfo|overflow|slab|warn|230|number does not fit in 64 bits
slabinfo|overflow|summary|warn|230|number does not fit in 64 bits
slabinfo|negative|slab|warn|230|not a number
slabinfo|duplicate|slab|shown||
slabinfo|duplicate|summary|shown||
slabinfo|crlf|slab|same||
slabinfo|crlf|summary|same||
slabinfo|directory|slab|error||cannot read proc/slabinfo: is a directory
slabinfo|directory|summary|na||cannot read proc/slabinfo: is a directory
slabinfo|fifo|slab|error||cannot read proc/slabinfo: not a regular file
slabinfo|fifo|summary|na||cannot read proc/slabinfo: not a regular file
vmallocinfo|missing|vmalloc|error||cannot open proc/vmallocinfo: No such file or directory
vmallocinfo|missing|summary|na||cannot open proc/vmallocinfo: No such file or directory
vmallocinfo|empty|vmalloc|shown||
vmallocinfo|empty|summary|shown||
vmallocinfo|truncated|vmalloc|warn|2|no newline at end of file (truncated)
vmallocinfo|truncated|summary|warn|2|no newline at end of file (truncated)
vmallocinfo|garbage|vmalloc|error||proc/vmallocinfo: no line could be read as a vmalloc area
vmallocinfo|garbage|summary|na||proc/vmallocinfo: no line could be read as a vmalloc area
vmallocinfo|longline|vmalloc|warn=|1|line too long
vmallocinfo|longline|summary|warn=|1|line too long
vmallocinfo|overflow|vmalloc|warn|2|number does not fit in 64 bits
vmallocinfo|overflow|summary|warn|2|number does not fit in 64 bits
vmallocinfo|negative|vmalloc|warn|2|bad size
vmallocinfo|duplicate|vmalloc|shown||
vmallocinfo|duplicate|summary|shown||
vmallocinfo|crlf|vmalloc|same||
vmallocinfo|crlf|summary|same||
vmallocinfo|directory|vmalloc|error||cannot read proc/vmallocinfo: is a directory
vmallocinfo|directory|summary|na||cannot read proc/vmallocinfo: is a directory
vmallocinfo|fifo|vmalloc|error||cannot read proc/vmallocinfo: not a regular file
vmallocinfo|fifo|summary|na||cannot read proc/vmallocinfo: not a regular file
4242/smaps_rollup|missing|procs|shown||
4242/smaps_rollup|missing|maps 4242|shown||
4242/smaps_rollup|empty|procs|shown||
4242/smaps_rollup|empty|maps 4242|error||process 4242 (cat) has no user memory
4242/smaps_rollup|truncated|procs|warn|2|no newline at end of file (truncated)
4242/smaps_rollup|truncated|maps 4242|warn|2|no newline at end of file (truncated)
4242/smaps_rollup|garbage|procs|warn|1|
4242/smaps_rollup|garbage|maps 4242|error||process 4242 (cat) has no user memory
4242/smaps_rollup|longline|procs|warn=|1|line too long
4242/smaps_rollup|longline|maps 4242|warn=|1|line too long
4242/smaps_rollup|overflow|procs|warn|2|value does not fit in 64 bits
4242/smaps_rollup|overflow|maps 4242|warn|2|value does not fit in 64 bits
4242/smaps_rollup|negative|procs|warn|2|no value
4242/smaps_rollup|duplicate|procs|warn=|3|duplicate key
4242/smaps_rollup|duplicate|maps 4242|warn=|3|duplicate key
4242/smaps_rollup|crlf|procs|same||
4242/smaps_rollup|crlf|maps 4242|same||
4242/smaps_rollup|directory|procs|na||1 process could not be read: read error (cannot read proc/4242/smaps_rollup: is a directory)
4242/smaps_rollup|directory|maps 4242|error||cannot read proc/4242/smaps_rollup: is a directory
4242/smaps_rollup|fifo|procs|na||1 process could not be read: read error (cannot read proc/4242/smaps_rollup: not a regular file)
4242/smaps_rollup|fifo|maps 4242|error||cannot read proc/4242/smaps_rollup: not a regular file
4242/smaps|missing|maps 4242|error||cannot open proc/4242/smaps: No such file or directory
4242/smaps|missing|procs|same||
4242/smaps|empty|maps 4242|error||process 4242 (cat) has no user memory (no mappings left)
4242/smaps|truncated|maps 4242|warn|5|no newline at end of file (truncated)
4242/smaps|garbage|maps 4242|error||process 4242 (cat) has no user memory (no mappings left)
4242/smaps|garbage|procs|same||
4242/smaps|longline|maps 4242|warn=|1|line too long
4242/smaps|overflow|maps 4242|warn|5|value does not fit in 64 bits
4242/smaps|negative|maps 4242|warn|5|no value
4242/smaps|duplicate|maps 4242|warn=|6|duplicate key
4242/smaps|crlf|maps 4242|same||
4242/smaps|directory|maps 4242|error||cannot read proc/4242/smaps: is a directory
4242/smaps|fifo|maps 4242|error||cannot read proc/4242/smaps: not a regular file
4242/status|missing|procs|note||warning: proc/4242/status is missing: name, user and state unknown
4242/status|missing|maps 4242|note||warning: proc/4242/status is missing: name, user and state unknown
4242/status|empty|procs|note||warning: 1 process not listed: proc/4242/status: no Name: line
4242/status|empty|maps 4242|error||proc/4242/status: no Name: line
4242/status|truncated|procs|note||warning: 1 process not listed: proc/4242/status: no Uid: line
4242/status|truncated|maps 4242|error||proc/4242/status: no Uid: line
4242/status|garbage|procs|note||warning: 1 process not listed: proc/4242/status: no
4242/status|garbage|maps 4242|error||proc/4242/status: no
4242/status|longline|procs|warn=|1|line too long
4242/status|longline|maps 4242|warn=|1|line too long
4242/status|overflow|procs|warn|7|bad PPid
4242/status|overflow|maps 4242|warn|7|bad PPid
4242/status|negative|procs|warn|7|bad PPid
4242/status|duplicate|procs|warn=|8|duplicate key
4242/status|duplicate|maps 4242|warn=|8|duplicate key
4242/status|crlf|procs|same||
4242/status|crlf|maps 4242|same||
4242/status|directory|procs|note||warning: 1 process not listed: cannot read proc/4242/status: is a directory
4242/status|directory|maps 4242|error||cannot read proc/4242/status: is a directory
4242/status|fifo|procs|note||warning: 1 process not listed: cannot read proc/4242/status: not a regular file
4242/status|fifo|maps 4242|error||cannot read proc/4242/status: not a regular file
'

for src in meminfo vmstat buddyinfo pagetypeinfo zoneinfo slabinfo vmallocinfo \
	4242/smaps_rollup 4242/smaps 4242/status; do
	for case in missing empty truncated garbage longline overflow negative duplicate crlf directory fifo; do
		t="$TREES/$(echo "$src" | tr / _)-$case"
		mkdir -p "$t" && cp -R "$(base_of "$src")" "$t/proc" && damage "$src" "$case" "$t/proc/$src"
		echo "$table" | grep "^$src|$case|" | while IFS='|' read -r s c cmd kind line text; do
			printf '%s\n' "$s|$c|$cmd|$kind|$line|$text" >>"$TEST_ROOT/rows"
		done
		printf '%s|%s|*sweep*|||\n' "$src" "$case" >>"$TEST_ROOT/rows"
	done
done

while IFS='|' read -r s c cmd kind line text; do
	if [ "$cmd" = "*sweep*" ]; then
		test_expect_success "$s $c: every command ends with 0 or 1, no crash, no hang" "
			sweep '$TREES/$(echo "$s" | tr / _)-$c'
		"
		continue
	fi
	test_expect_success "$s $c: memlens $cmd: $kind${line:+ at line $line}${text:+ ($text)}" "
		check '$s' '$c' '$cmd' '$kind' '$line' '$text'
	"
done <"$TEST_ROOT/rows"

test_done
