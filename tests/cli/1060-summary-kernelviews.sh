#!/bin/sh
# The summary's honesty checks (MemFree and MemTotal against the zones), its
# pressure (PSI) and fault lines, and zram named in the accounting.
. "$TOP_SRCDIR/tests/cli/lib.sh"

F618="$FIXTURES/linux-6.18"
P2="$FIXTURES/two-node-zones"
S2="$FIXTURES/two-node-sys"

# ---------------------------------------------------------------- checks

test_expect_success 'a machine that initialised its memory late: MemFree and MemTotal differ from the zones, by how much and why' '
	ml --proc-root "$F618" >out &&
	grep -q "^Checks   MemFree 23.2 GiB, but the zones. free pages add up to 9.22 GiB$" out &&
	grep -q "(14.0 GiB less); MemTotal 23.5 GiB, the zones. managed pages 9.59 GiB" out &&
	tr -s " \n" "  " <out | grep -q "deferred struct page initialisation), memory hot-plug, or a balloon driver, so MemFree is not only the pages on the buddy allocator.s free lists here" &&
	ml --proc-root "$F618" --json >j &&
	free=$(awk "/pages free/ { s += \$3 } END { printf \"%.0f\", s * 4096 }" "$F618/zoneinfo") &&
	managed=$(awk "/managed/ { s += \$2 } END { printf \"%.0f\", s * 4096 }" "$F618/zoneinfo") &&
	jq -e ".checks.free | .agree == false and .zones == $free and .difference == .meminfo - $free" j &&
	jq -e ".checks.total | .agree == false and .zones == $managed and .meminfo == 24684092 * 1024" j &&
	jq -e ".checks.causes | test(\"deferred struct page\")" j
'

test_expect_success 'the issue'"'"'s machine: MemFree 22.4 GiB, zones free 3.7 GiB, managed 4.8 GiB of 23.5 GiB' '
	fixture_copy linux-6.18 &&
	# five zones: DMA, DMA32, Normal populated; scale them to 3.7 GiB free, 4.8 GiB managed
	awk "
		/^  pages free/ { n++; v = (n == 1) ? 3840 : (n == 2) ? 500000 : (n == 3) ? 466080 : 0; print \"  pages free     \" v; next }
		/^        managed/ { m++; v = (m == 1) ? 3840 : (m == 2) ? 700000 : (m == 3) ? 554399 : 0; print \"        managed  \" v; next }
		{ print }" "$F618/zoneinfo" >proc/zoneinfo &&
	sed -i "s/^MemFree: .*/MemFree:        23488102 kB/" proc/meminfo &&
	ml --proc-root proc >out &&
	grep -q "^Checks   MemFree 22.4 GiB, but the zones. free pages add up to 3.70 GiB$" out &&
	grep -q "MemTotal 23.5 GiB, the zones. managed pages 4.80 GiB" out
'

test_expect_success 'both agree (two nodes, and a 5.15 zoneinfo without nr_free_pages_blocks): one dim line' '
	ml --proc-root "$P2" >out &&
	grep -q "^Checks   MemFree and MemTotal agree with the zones. free pages and managed$" out &&
	ml --proc-root "$P2" --json >j &&
	jq -e ".checks.free.agree and .checks.total.agree and .checks.free.difference == 0 and .checks.causes == null" j &&
	! grep -q nr_free_pages_blocks "$FIXTURES/four-node/zoneinfo" &&
	ml --proc-root "$FIXTURES/four-node" --json >j4 &&
	jq -e ".checks.free.agree and .checks.total.agree" j4
'

test_expect_success 'MemFree within 1% of MemTotal of the zones agrees (it moves between reads); beyond, not' '
	fixture_copy two-node-zones && cp -L "$P2/zoneinfo" proc/zoneinfo.real && mv proc/zoneinfo.real proc/zoneinfo &&
	total=$(awk "/^MemTotal:/ { print \$2 }" proc/meminfo) &&
	free=$(awk "/^MemFree:/ { print \$2 }" proc/meminfo) &&
	sed -i "s/^MemFree: .*/MemFree:        $((free + total / 100 - 4)) kB/" proc/meminfo &&
	ml --proc-root proc --json >j && jq -e ".checks.free.agree" j &&
	sed -i "s/^MemFree: .*/MemFree:        $((free + total / 100 + 4)) kB/" proc/meminfo &&
	ml --proc-root proc --json >j && jq -e ".checks.free.agree == false and .checks.total.agree" j &&
	ml --proc-root proc >out && grep -q "^Checks   MemFree .*, but the zones" out
'

test_expect_success 'MemTotal must equal the managed pages (within a page)' '
	fixture_copy two-node-zones && cp -L "$P2/zoneinfo" proc/zoneinfo.real && mv proc/zoneinfo.real proc/zoneinfo &&
	total=$(awk "/^MemTotal:/ { print \$2 }" proc/meminfo) &&
	sed -i "s/^MemTotal: .*/MemTotal:       $((total + 8)) kB/" proc/meminfo &&
	ml --proc-root proc --json >j && jq -e ".checks.total.agree == false and .checks.total.difference == 8192" j
'

test_expect_success 'no zoneinfo: the checks n/a, null in JSON' '
	ml --proc-root "$FIXTURES/linux-3.10" >out &&
	grep -q "^Checks   n/a: needs /proc/zoneinfo$" out &&
	ml --proc-root "$FIXTURES/linux-3.10" --json >j && jq -e ".checks == null" j
'

# ---------------------------------------------------------------- faults

test_expect_success 'faults since boot: minor = pgfault - pgmajfault' '
	ml --proc-root "$F618" >out &&
	pg=$(awk "/^pgfault / { print \$2 }" "$F618/vmstat") &&
	maj=$(awk "/^pgmajfault / { print \$2 }" "$F618/vmstat") &&
	grep -q "^Faults   since boot: $((pg - maj)) minor, $maj major$" out &&
	ml --proc-root "$F618" --json >j &&
	jq -e ".reclaim.pgfault == $pg and .reclaim.pgmajfault == $maj" j
'

test_expect_success 'faults under -i: per second' '
	ml --proc-root "$F618" -n 2 -i 0.05 >out &&
	grep -q "^Faults   per second: 0 minor, 0 major$" out &&
	ml -n 2 -i 0.2 --json >lines &&
	sed -n 2p lines | jq -e ".reclaim.period == \"interval\" and .reclaim.pgfault > 0" >/dev/null
'

test_expect_success 'a vmstat without pgfault: no Faults line, null in JSON' '
	fixture_copy linux-6.18 && sed -i "/^pgfault /d" proc/vmstat &&
	ml --proc-root proc >out && ! grep -q "^Faults" out &&
	ml --proc-root proc --json >j && jq -e ".reclaim.pgfault == null" j
'

# ---------------------------------------------------------------- pressure

test_expect_success 'pressure: some and full, their averages and the stall time' '
	ml --proc-root "$FIXTURES/top-6.18" >out 2>/dev/null &&
	grep -q "^Pressure some 1.23% 0.45% 0.10%; full 0.31% 0.05% 0.01% (10 s, 60 s, 300 s$" out &&
	grep -q "averages); stalled 123.5 s since boot (some)" out &&
	ml --proc-root "$FIXTURES/top-6.18" --json >j 2>/dev/null &&
	jq -e ".pressure.some == {\"avg10\": 1.23, \"avg60\": 0.45, \"avg300\": 0.1, \"total_us\": 123456789}" j &&
	jq -e ".pressure.full.avg10 == 0.31" j
'

test_expect_success 'no pressure file (a kernel without PSI): n/a, listed unavailable' '
	ml --proc-root "$FIXTURES/linux-4.14" >out &&
	tr -s " \n" "  " <out | grep -q "^.*Pressure n/a: cannot open [^ ]*pressure/memory: No such file or directory (a kernel without PSI, or a copy made without it)" &&
	ml --proc-root "$FIXTURES/linux-4.14" --json >j &&
	jq -e ".pressure == null and any(.unavailable[]; .source == \"pressure/memory\")" j
'

test_expect_success 'a bad pressure line: warned; the other line shown' '
	fixture_copy linux-6.18 &&
	printf "some avg10=x avg60=0.00 avg300=0.00 total=0\nfull avg10=2.00 avg60=0.00 avg300=0.00 total=7\n" >proc/pressure/memory &&
	ml --proc-root proc >out 2>err &&
	grep -q "pressure/memory: 1 bad line ignored; first at line 1 (bad average)" err &&
	grep -q "^Pressure some n/a; full 2.00% 0.00% 0.00%" out &&
	ml --proc-root proc --json >j 2>/dev/null &&
	jq -e ".pressure.some == null and .pressure.full.total_us == 7" j
'

test_expect_success 'the live pressure line is /proc/pressure/memory'"'"'s' '
	if [ ! -r /proc/pressure/memory ]; then exit 0; fi
	ml --json >j &&
	test "$(jq .pressure.some.total_us j)" -le "$(sed -n "s/^some .*total=\([0-9]*\)/\1/p" /proc/pressure/memory)"
'

# ---------------------------------------------------------------- zram

test_expect_success 'zram is a part of the accounting: unaccounted shrinks by as much' '
	ml --proc-root "$P2" --sys-root "$S2" --json >with &&
	jq -e ".accounting.parts[] | select(.name == \"zram\") | .bytes == 84 * 1048576" with &&
	jq -e "([.accounting.parts[].bytes] | add) == .accounting.total" with &&
	mkdir sys &&
	ml --proc-root "$P2" --sys-root sys --json >without &&
	jq -e ".accounting.parts[] | select(.name == \"zram\") | .bytes == null and .absent_why == \"no block/ in sysfs\"" without &&
	test $(( $(jq ".accounting.parts[] | select(.name == \"unaccounted\") | .bytes" without) -
		$(jq ".accounting.parts[] | select(.name == \"unaccounted\") | .bytes" with) )) = $((84 * 1048576)) &&
	ml --proc-root "$P2" --sys-root "$S2" >out &&
	grep -q "^  zram                84.0 MiB    0.3%  *zram mm_stat$" out &&
	tr -s " \n" "  " <out | grep -q "zram (84.0 MiB) has no meminfo counter: memlens reads it from each device.s mm_stat"
'

test_expect_success 'no zram device: 0 B, known; a device whose mm_stat is unreadable: n/a' '
	ml --proc-root "$FIXTURES/huge-6.18" --sys-root "$FIXTURES/huge-6.18-sys" --json >j &&
	jq -e ".accounting.parts[] | select(.name == \"zram\") | .bytes == 0" j &&
	cp -R "$S2" sys && chmod -R u+w sys && printf "garbage\n" >sys/block/zram0/mm_stat &&
	ml --proc-root "$P2" --sys-root sys --json >j &&
	jq -e ".accounting.parts[] | select(.name == \"zram\") | .bytes == null and .absent_why == \"an mm_stat unreadable\"" j
'

test_expect_success 'a capture read with this machine'"'"'s /sys: zram n/a, said in its row' '
	ml --proc-root "$P2" --sys-root /sys >out &&
	grep -q "^  zram  *n/a  *this machine.s /sys: see --sys-root$" out
'

test_expect_success 'live: zram is the sum of the devices'"'"' mem_used_total' '
	ml --json >j &&
	want=$(cat /sys/block/zram*/mm_stat 2>/dev/null | awk "{ s += \$3 } END { print s + 0 }") &&
	jq -e ".accounting.parts[] | select(.name == \"zram\") | .bytes == $want" j
'

test_done
