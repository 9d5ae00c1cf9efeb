#!/bin/sh
# memlens growth on captures that are not a clean series: a gap (said, and
# the fit still holds), mixed boot_ids (no fit across a reboot: the earlier
# boot's captures are left out and said so; an error when one capture is
# left), one capture, captures out of time order, the same capture twice,
# something that is not a capture (or not there), a truncated archive,
# captures of two machines, and live options given with captures.
. "$TOP_SRCDIR/tests/cli/lib.sh"

S="$FIXTURES/growth-series"

# series N...: copies of the captures of those hours, as ./hNN.
series() {
	for h in "$@"; do
		cp -R "$S/capture-$h" "h$h" && chmod -R u+w "h$h" || return 1
	done
}

# reboot DIR BOOT_ID: the capture was taken in another boot.
reboot() {
	sed -i "s/5a0c6b8e-1f7d-4c52-9e1a-2b7f3d9c4e60/$2/" "$1/memlens-capture.json" &&
	echo "$2" >"$1/proc/sys/kernel/random/boot_id"
}

test_expect_success 'a gap of 5 hours: said, in text and JSON; the suspects stand' '
	series 00 01 02 03 04 05 06 07 08 09 14 15 16 17 18 19 20 21 22 23 &&
	ml growth h* --json >g.json &&
	jq -e ".window.samples == 20 and (.window.gaps | length) == 1 and
		.window.gaps[0].seconds == 18000 and
		.window.gaps[0].after == \"2026-11-21T12:00:00Z\"" g.json >/dev/null &&
	jq -r ".items[] | select(.suspect) | .id" g.json | sort >got &&
	printf "%s\n" 4242:25000000 SUnreclaim kmalloc-64 >want && test_cmp want got &&
	ml growth h* >out && grep -q "a gap of 5 h 0 min after 2026-11-21 12:00 UTC" out
'

test_expect_success 'mixed boot_ids: the earlier boot left out and said so, no fit across' '
	series 00 01 02 03 04 05 06 07 08 09 10 11 &&
	for h in 00 01 02 03 04; do reboot h$h 11111111-2222-3333-4444-555555555555 || exit 1; done &&
	ml growth h* --json >b.json 2>err &&
	grep -q "left out 5 captures of an earlier boot" err &&
	jq -e ".window.samples == 7 and (.left_out | length) == 5 and
		(.left_out[0].why | test(\"earlier boot\")) and
		.left_out[0].boot_id == \"11111111-2222-3333-4444-555555555555\" and
		.window.first_time == \"2026-11-21T08:00:00Z\"" b.json >/dev/null &&
	ml growth h* >out 2>/dev/null && grep -q "5 captures of an earlier boot left out" out
'

test_expect_success 'a reboot before the last capture: one capture of its boot, refused (exit 1)' '
	series 00 01 02 03 &&
	reboot h03 11111111-2222-3333-4444-555555555555 &&
	test_expect_code 1 ml growth h* 2>err &&
	grep -q "one capture of boot 11111111-2222-3333-4444-555555555555" err &&
	grep -q "a reboot" err
'

test_expect_success 'one capture: refused, two are needed (exit 2)' '
	test_expect_code 2 ml growth "$S/capture-05" 2>err &&
	grep -q "at least two captures" err
'

test_expect_success 'out of time order: sorted by their manifest time' '
	series 03 07 11 15 19 &&
	ml growth h19 h03 h15 h07 h11 --json >o.json &&
	jq -r ".captures[].path" o.json | sed "s|.*/||" >got &&
	printf "%s\n" h03 h07 h11 h15 h19 >want && test_cmp want got &&
	ml growth h03 h07 h11 h15 h19 --json >s.json &&
	jq -S "del(.source.time) | del(.captures)" o.json >a &&
	jq -S "del(.source.time) | del(.captures)" s.json >b && test_cmp a b
'

test_expect_success 'the same capture twice: refused, naming both (exit 1)' '
	test_expect_code 1 ml growth "$S/capture-01" "$S/capture-02" "$S/capture-01" 2>err &&
	grep -q "capture-01.*taken at the same time" err
'

test_expect_success 'not a capture: refused, naming it (exit 1)' '
	mkdir notacapture &&
	test_expect_code 1 ml growth "$S/capture-01" notacapture 2>err &&
	grep -q "notacapture" err &&
	test_expect_code 1 ml growth "$S/capture-01" missing-path 2>err &&
	grep -q "missing-path" err
'

test_expect_success 'a truncated archive: refused, naming it (exit 1)' '
	series 01 02 03 &&
	tar -C h02 -czf h02.tar.gz . &&
	head -c $(($(wc -c <h02.tar.gz) / 2)) h02.tar.gz >cut.tar.gz &&
	test_expect_code 1 ml growth h01 cut.tar.gz h03 2>err &&
	grep -q "cut.tar.gz" err &&
	! grep -q "^{" err
'

test_expect_success 'captures of two machines (host names): refused (exit 1)' '
	series 04 05 06 &&
	sed -i "s/\"host\": \"fixture-growth\"/\"host\": \"fixture-other\"/" h05/memlens-capture.json &&
	test_expect_code 1 ml growth h04 h05 h06 2>err &&
	grep -q "different machines" err && grep -q "fixture-other" err
'

test_expect_success 'a boot that comes back after another: two machines, refused (exit 1)' '
	series 07 08 09 &&
	reboot h08 11111111-2222-3333-4444-555555555555 &&
	test_expect_code 1 ml growth h07 h08 h09 2>err &&
	grep -q "different machines" err && grep -q "h08" err
'

test_expect_success 'live options with captures: a usage error (exit 2)' '
	test_expect_code 2 ml growth --window 10 "$S/capture-01" "$S/capture-02" 2>err &&
	grep -q "window" err &&
	test_expect_code 2 ml growth -i 1 "$S/capture-01" "$S/capture-02" 2>err &&
	test_expect_code 2 ml growth --proc-root "$S/capture-01/proc" "$S/capture-01" "$S/capture-02" 2>err &&
	test_expect_code 2 ml --capture "$S/capture-01" growth "$S/capture-02" "$S/capture-03" 2>err &&
	test_expect_code 2 ml --capture "$S/capture-01" growth -n 2 2>err &&
	grep -q "one capture does not grow" err
'

test_done
