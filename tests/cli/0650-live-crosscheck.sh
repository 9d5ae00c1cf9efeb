#!/bin/sh
# Cross-checks on the live machine: memlens maps PID --all totals equal
# pmap -X totals (Rss, Pss, Swap); the PSS of memlens procs summed equals the
# Pss of every /proc/*/smaps_rollup summed by a plain loop, within movement.
. "$TOP_SRCDIR/tests/cli/lib.sh"

HELPER="${TOP_BUILDDIR:-$TOP_SRCDIR}/tests/helpers/maps-helper"

if [ ! -r /proc/self/smaps_rollup ]; then
	test_skip 'cross-checks on the live machine' 'no smaps_rollup (kernel < 4.14)'
	test_done
fi

# pmap -X: the last line holds the totals, in the columns the header names.
pmap_total() { # FILE COLUMN -> KiB
	awk -v col="$2" '
		NR == 2 { for (i = 1; i <= NF; i++) if ($i == col) c = i - 5 }
		{ last = $0 }
		END {
			n = split(last, f, " ")
			if (!c || f[c] == "") exit 1
			print f[c]
		}' "$1"
}

if ! command -v pmap >/dev/null 2>&1 || [ ! -x "$HELPER" ]; then
	test_skip 'maps --all totals equal pmap -X totals' 'no pmap (procps) or no helper'
else
	"$HELPER" "$TEST_ROOT/mapped.bin" >"$TEST_ROOT/helper.out" &
	HPID=$!
	trap 'kill $HPID 2>/dev/null; rm -rf "$TEST_ROOT"' EXIT
	i=0
	while [ ! -s "$TEST_ROOT/helper.out" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done

	# Pss moves whenever a process mapping the same pages starts or exits:
	# pmap and memlens themselves map libc and ld.so, the only files the
	# helper maps (a shell would not do: it shares libtinfo with memlens, not
	# with pmap). Both run the same way, and are compared when two pmap runs
	# around memlens agree, retrying a few times.
	crosscheck() { # PID
		tries=0
		while [ $tries -lt 8 ]; do
			tries=$((tries + 1))
			pmap -X $1 >p1.txt && ml maps $1 --all --json >m.json &&
				pmap -X $1 >p2.txt || return 1
			p1="$(pmap_total p1.txt Rss) $(pmap_total p1.txt Pss) $(pmap_total p1.txt Swap)"
			p2="$(pmap_total p2.txt Rss) $(pmap_total p2.txt Pss) $(pmap_total p2.txt Swap)"
			m=$(jq -r "[.totals.rss, .totals.pss, .totals.swap] | map(. / 1024) | join(\" \")" m.json)
			echo "try $tries: pmap $p1 / memlens $m / pmap $p2 (Rss Pss Swap, KiB)"
			test "$(jq -r .totals.mappings m.json)" = "$(jq -r ".mappings | length" m.json)" ||
				return 1
			test "$(jq -r .totals.mappings m.json)" = "$(($(wc -l <p1.txt) - 4))" || return 1
			if [ "$p1" = "$p2" ]; then
				test "$m" = "$p1"
				return
			fi
		done
		echo "the process kept changing; not compared"
		return 0
	}

	test_expect_success "maps --all of the helper: Rss, Pss and Swap totals equal pmap -X's" '
		crosscheck $HPID
	'
fi

test_expect_success 'procs: PSS summed equals a plain loop over /proc/*/smaps_rollup, within movement' '
	loop() {
		sum=0
		for f in /proc/[0-9]*/smaps_rollup; do
			while read -r key value unit; do
				if [ "$key" = Pss: ]; then
					sum=$((sum + value))
					break
				fi
			done <"$f" 2>/dev/null
		done 2>/dev/null
		echo $sum
	}
	# Memory moves: an attempt counts when memlens lands between the two loops
	# (with slack); a busy machine gets a few more attempts.
	tries=0
	while :; do
		tries=$((tries + 1))
		before=$(loop) &&
		ml procs --json >p.json &&
		after=$(loop) || exit 1
		# memlens counts itself; the loops run without it.
		got=$(jq -r "(.totals.pss - ([.processes[] | select(.cmdline | test(\"procs --json\$\")) | .pss] | add // 0)) / 1024 | floor" p.json) &&
		lo=$before && hi=$after &&
		if [ $lo -gt $hi ]; then lo=$after; hi=$before; fi &&
		slack=4096 &&
		echo "loop before $before KiB, memlens $got KiB, loop after $after KiB" &&
		if [ $got -ge $((lo - slack)) ] && [ $got -le $((hi + slack)) ]; then
			break
		fi
		[ $tries -lt 10 ] || exit 1
	done
'

test_expect_success 'procs: every process readable before memlens started is in its list' '
	ml procs --json >p.json &&
	jq -r ".processes[] | select(.memory == \"ok\") | .pid" p.json | sort -n >memlens.pids &&
	self=$(jq -r ".processes[] | select(.cmdline | test(\"procs --json\$\")) | .pid" p.json | head -n 1) &&
	test -n "$self" &&
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		if { read -r x <"$d/smaps_rollup"; } 2>/dev/null && [ -n "$x" ]; then echo $p; fi
	done | sort -n >loop.pids &&
	# PIDs grow: one below memlens'"'"'s own existed when it started (short of a wrap).
	comm -13 memlens.pids loop.pids | awk -v self="$self" "\$1 < self" >missing &&
	cat missing &&
	test ! -s missing
'

test_done
