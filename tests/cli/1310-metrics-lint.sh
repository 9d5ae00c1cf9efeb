#!/bin/sh
# memlens metrics, the names: every family is memlens_*, snake case, with
# HELP and TYPE, a unit that is its name's suffix, no node_* name and no
# counter suffix on a gauge; label names are valid and not reserved; and the
# families are exactly those doc/metrics.md and memlens(1) document.
. "$TOP_SRCDIR/tests/cli/lib.sh"

DOC="$TOP_SRCDIR/doc/metrics.md"
MAN="$TOP_SRCDIR/man/memlens.1"

# A reading with every family: the fixture machine with processes, and
# --procs-top; its sys root with a zram device that has a limit (mem_limit)
# and hugetlb pools, and a NUMA node.
SYSZ=$TEST_ROOT/sys-zram
cp -R "$FIXTURES/linux-6.18-sys" "$SYSZ"
mkdir -p "$SYSZ/block/zram0"
echo '314572800 83886080 88080384 268435456 94371840 1200 35 12 40' >"$SYSZ/block/zram0/mm_stat"
echo 1073741824 >"$SYSZ/block/zram0/disksize"
echo 1 >"$SYSZ/block/zram0/initstate"
mkdir -p "$SYSZ/kernel/mm" && cp -R "$FIXTURES/huge-6.18-sys/kernel/mm/hugepages" "$SYSZ/kernel/mm/"
mkdir -p "$SYSZ/devices/system" && cp -R "$FIXTURES/huge-6.18-sys/devices/system/node" "$SYSZ/devices/system/"
# The proc root: the processes and mountinfo of a systemd host with cgroup v2
# (its sys root's fs/cgroup), the machine files of the 6.18 fixture.
mkdir -p "$SYSZ/fs" && cp -R "$FIXTURES/cgroup-v2-systemd/sys/fs/cgroup" "$SYSZ/fs/"
PROCZ=$TEST_ROOT/proc-cgroup
cp -R "$FIXTURES/cgroup-v2-systemd/proc" "$PROCZ"
for f in meminfo zoneinfo buddyinfo slabinfo vmallocinfo vmstat pagetypeinfo pressure; do
	cp -RL "$FIXTURES/top-6.18/$f" "$PROCZ/"
done
full() {
	ml --proc-root "$PROCZ" --sys-root "$SYSZ" metrics --procs-top 3 "$@" 2>/dev/null
}

test_expect_success 'the full reading has every family (HELP and TYPE)' '
	full >om &&
	sed -n "s/^# TYPE \([^ ]*\) .*/\1/p" om | sort >types &&
	sed -n "s/^# HELP \([^ ]*\) .*/\1/p" om | sort >helps &&
	test_cmp types helps &&
	test "$(wc -l <types)" -ge 21
'

test_expect_success 'family names: memlens_, snake case, no node_, no type suffix' '
	full >om &&
	sed -n "s/^# TYPE \([^ ]*\) .*/\1/p" om >names &&
	! grep -v "^memlens_[a-z][a-z0-9_]*[a-z0-9]$" names &&
	! grep "__" names &&
	! grep "node_" names &&
	! grep "_\(gauge\|counter\|total\|count\|sum\|bucket\|created\)$" names &&
	! grep "_\(kb\|kib\|mb\|pages\|percent\|milliseconds\|ms\)$" names
'

test_expect_success 'every family is a gauge (no counter written without _total)' '
	full >om &&
	! grep "^# TYPE" om | grep -v " gauge$"
'

test_expect_success 'units: _bytes, _seconds, _ratio families have that UNIT, others none' '
	full >om &&
	sed -n "s/^# TYPE \([^ ]*\) .*/\1/p" om | while read -r n; do
		case $n in
		*_bytes) want=bytes ;;
		*_seconds) want=seconds ;;
		*_ratio) want=ratio ;;
		*) want= ;;
		esac
		got=$(sed -n "s/^# UNIT $n \(.*\)/\1/p" om)
		[ "$got" = "$want" ] || { echo "$n: UNIT \"$got\", want \"$want\""; exit 1; }
	done
'

test_expect_success 'every sample belongs to the family just declared' '
	full >om &&
	awk "
		/^# TYPE / { fam = \$3; next }
		/^#/ { next }
		{ name = \$1; sub(/\\{.*/, \"\", name); if (name != fam) { print \"stray: \" \$0; bad = 1 } }
		END { exit bad }
	" om
'

test_expect_success 'label names are snake case, not reserved, not repeated in a sample' '
	full >om &&
	grep -v "^#" om | sed -n "s/^[a-z_]*{\(.*\)} .*/\1/p" |
		sed "s/=\"\([^\"\\\\]\|\\\\.\)*\"/\n/g" | sed "s/^,//" | grep -v "^$" | sort -u >labels &&
	test -s labels &&
	! grep -v "^[a-z][a-z0-9_]*$" labels &&
	! grep -x "le\|quantile\|job\|instance" labels
'

test_expect_success 'ratios are between 0 and 1; bytes are whole numbers' '
	full --min 0 >om &&
	awk "/^memlens_[a-z_]*_ratio[{ ]/ && (\$NF < 0 || \$NF > 1) { print; bad = 1 }
	     /^memlens_[a-z_]*_bytes[{ ]/ && \$NF !~ /^-?[0-9]+$/ { print; bad = 1 }
	     END { exit bad }" om
'

test_expect_success 'the families are those doc/metrics.md lists, no more, no fewer' '
	full >om &&
	sed -n "s/^# TYPE \([^ ]*\) .*/\1/p" om | sort >have &&
	sed -n "s/^| \`\(memlens_[a-z_]*\)\` |.*/\1/p" "$DOC" | sort >doc &&
	test_cmp doc have
'

test_expect_success 'the families are those memlens(1) lists under METRICS' '
	full >om &&
	sed -n "s/^# TYPE \([^ ]*\) .*/\1/p" om | sort >have &&
	sed -n "/^\.SH METRICS/,/^\.SH /p" "$MAN" | grep -o "memlens_[a-z_]*[a-z]" |
		grep -v "^memlens_\*" | sort -u >man &&
	test_cmp man have
'

test_expect_success 'the labels doc/metrics.md gives each family are the ones written' '
	full >om &&
	for fam in $(sed -n "s/^# TYPE \([^ ]*\) .*/\1/p" om); do
		doc=$(sed -n "s/^| \`$fam\` | [^|]* | \([^|]*\) |.*/\1/p" "$DOC" | tr -d "\`[]," |
			sed "s/same//") &&
		if [ -z "$(echo $doc | tr -d " ")" ]; then
			doc=$(sed -n "s/^| \`memlens_slab_cache_bytes\` | [^|]* | \([^|]*\) |.*/\1/p" "$DOC" | tr -d "\`[],")
			case $fam in memlens_slab_*) ;; *) doc= ;; esac
		fi
		got=$(grep "^$fam[{ ]" om | sed -n "s/^[a-z_]*{\(.*\)} .*/\1/p" |
			sed "s/=\"\([^\"\\\\]\|\\\\.\)*\"//g" | tr "," "\n" | sort -u | tr "\n" " ")
		for l in $got; do
			echo " $doc " | grep -q " $l " || { echo "$fam: label $l not in the doc ($doc)"; exit 1; }
		done
	done
'

test_done
