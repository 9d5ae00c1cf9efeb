#!/bin/sh
# The four layers and the way their arrows run (doc/hacking.md): src/proc
# parses, src/model derives, src/render and src/tui present, src/cmd wires.
# Each layer includes only the layers below it; the parsers and the model
# never print or exit; the presentation never opens a file; cJSON is only in
# render/json.c and curses only in src/tui.
. "$TOP_SRCDIR/tests/cli/lib.sh"

SRC="$TOP_SRCDIR/src"

# The project headers a layer's files include, as "FILE: HEADER" lines.
includes() {
	(cd "$SRC" && grep -H '^#include "' $1) | sed 's/:#include "\(.*\)".*/: \1/'
}

# "allow GLOB PATTERN": every project header GLOB's files include matches the
# extended regular expression PATTERN (besides config.h, compat.h, util.h).
allow() {
	includes "$1" | grep -vE ": (config\.h|compat\.h|util\.h|$2)\$" >bad
	if test -s bad; then
		echo "includes that break the layering:"
		cat bad
		return 1
	fi
}

test_expect_success 'the layers have files (the globs below match)' '
	for d in proc model render tui cmd; do
		ls "$SRC/$d"/*.c >/dev/null || exit 1
	done
'

test_expect_success 'src/proc includes only src/proc' '
	allow "proc/*" "proc/[a-z0-9_-]+\.h"
'

test_expect_success 'src/model includes only src/proc and src/model' '
	allow "model/*.[ch] model/rules/*.[ch]" "(proc|model|model/rules)/[a-z0-9_-]+\.h"
'

# A render header is included by every command (through cmd.h): it names
# the parsers' structs it takes (struct ml_sysinfo;) rather than including
# the parser engine with them.
test_expect_success 'src/render includes no tui or cmd header; its headers no parser header' '
	allow "render/*" "xalloc\.h|(proc|model|render)/[a-z0-9_-]+\.h" &&
	allow "render/*.h" "(model|render)/[a-z0-9_-]+\.h"
'

test_expect_success 'src/tui includes no cmd header' '
	allow "tui/*" "xalloc\.h|(proc|model|render|tui)/[a-z0-9_-]+\.h"
'

test_expect_success 'the parsers and the model neither print nor exit' '
	(cd "$SRC" && grep -nE "\\<(printf|fprintf|vfprintf|puts|fputs|putchar|perror|exit|_exit|abort|err|errx|warn|warnx)[[:space:]]*\\(" proc/* model/*.[ch] model/rules/*.[ch]) >bad
	! test -s bad || { cat bad; exit 1; }
'

test_expect_success 'the presentation never opens a file itself' '
	(cd "$SRC" && grep -nE "\\<(open|openat|fopen|opendir|ml_procfs_[a-z0-9_]+|ml_reader_[a-z0-9_]+)[[:space:]]*\\(" render/* tui/*) >bad
	! test -s bad || { cat bad; exit 1; }
'

test_expect_success 'cJSON only in src/render/json.c' '
	(cd "$SRC" && grep -rlE "^#include <(cjson/)?cJSON\\.h>" .) >cjson &&
	echo ./render/json.c | cmp - cjson
'

test_expect_success 'curses only in src/tui' '
	(cd "$SRC" && grep -rlE "^#include <n?cursesw?(/[a-z]+)?\\.h>" .) >curses &&
	test -s curses &&
	! grep -v "^\\./tui/" curses
'

test_done
