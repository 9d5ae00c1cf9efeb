#!/bin/sh
# memlens growth on a series that memlens capture wrote: a fixture tree
# changed between captures (each hour of tests/fixtures/growth-series copied
# in turn), captured as directories and archives by the real writer, then
# fitted. The captures' times are this machine's clock, not whole hours, so
# the expected line is worked out here, by least squares in awk, from each
# manifest's monotonic time and the values written into the tree.
. "$TOP_SRCDIR/tests/cli/lib.sh"

S="$FIXTURES/growth-series"
HOURS="00 02 04 06 08 10 12 14 16 18 20 22"
BOOT=5a0c6b8e-1f7d-4c52-9e1a-2b7f3d9c4e60
mkdir -p "$TEST_ROOT/nosys"
# The series is shared by the tests below (each test starts in a directory of its own).
W="$TEST_ROOT/series"
mkdir -p "$W"

# capture_hour HOUR OUT: the tree as at HOUR, captured to OUT.
capture_hour() {
	rm -rf tree && cp -R "$S/capture-$1/proc" tree && chmod -R u+w tree &&
	ml --proc-root tree --sys-root "$TEST_ROOT/nosys" capture -o "$2" >/dev/null
}

# manifest_time CAPTURE: the monotonic time its manifest gives.
manifest_time() {
	if [ -d "$1" ]; then
		cat "$1/memlens-capture.json"
	else
		tar -xOf "$1" memlens-capture.json
	fi | jq -r .time.monotonic_start
}

# fit FILE: slope and R² of the "x y" lines of FILE.
fit() {
	awk '{ x[NR] = $1; y[NR] = $2; sx += $1; sy += $2 }
	END {
		mx = sx / NR; my = sy / NR
		for (i = 1; i <= NR; i++) {
			sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ^ 2; syy += (y[i] - my) ^ 2
		}
		printf "%.10g %.10g\n", sxy / sxx, sxy * sxy / (sxx * syy)
	}' "$1"
}

# near VALUE WANT: within 0.0005 (JSON gives R² to three decimals).
near() {
	awk -v v="$1" -v w="$2" 'BEGIN { d = v - w; exit !(d <= 0.0005 && d >= -0.0005) }'
}

# close VALUE WANT: equal to one part in a million.
close() {
	awk -v v="$1" -v w="$2" 'BEGIN { d = v - w; if (d < 0) d = -d; if (w < 0) w = -w;
		exit !(d <= w * 1e-6 + 1e-9) }'
}

test_expect_success 'memlens capture of the tree at each hour: directories and archives' '
	cd "$W" &&
	i=0 &&
	for h in $HOURS; do
		case $((i % 3)) in
		0) out=cap-$h ;;
		1) out=cap-$h.tar.gz ;;
		2) out=cap-$h.tar.zst ;;
		esac
		capture_hour "$h" "$out" || exit 1
		i=$((i + 1))
	done &&
	ls -d cap-* >caps && test "$(wc -l <caps)" = 12
'

test_expect_success 'the series fits: 12 captures of one boot, in time order' '
	cd "$W" &&
	ml growth $(cat caps) --json >g.json &&
	jq -e ".mode == \"captures\" and .window.samples == 12 and
		(.captures | length) == 12 and (.left_out | length) == 0 and
		([.captures[].boot_id] | unique) == [\"$BOOT\"] and
		.source.hostname == \"fixture-growth\"" g.json >/dev/null &&
	jq -r ".captures[].path" g.json | sed "s/\.tar.*//" >got &&
	for h in $HOURS; do echo "cap-$h"; done >want &&
	test_cmp want got
'

test_expect_success 'the leaky process: its line through the captured RSS, matched across captures' '
	cd "$W" &&
	for h in $HOURS; do
		c=$(ls -d cap-$h*) &&
		t=$(manifest_time "$c") &&
		kb=$(awk "/^VmRSS:/ { print \$2 }" "$S/capture-$h/proc/4242/status") &&
		echo "$t $((kb * 1024))" || exit 1
	done >rss &&
	set -- $(fit rss) &&
	close "$(jq ".items[] | select(.id == \"4242:25000000\") | .slope_bytes_per_s" g.json)" "$1" &&
	near "$(jq ".items[] | select(.id == \"4242:25000000\") | .r2" g.json)" "$2" &&
	jq -e ".items[] | select(.id == \"4242:25000000\") |
		.samples == 12 and .name == \"leaky\" and
		.first == $(head -1 rss | cut -d" " -f2) and .last == $(tail -1 rss | cut -d" " -f2)" \
		g.json >/dev/null &&
	test "$(jq "[.items[] | select(.pid == 4242)] | length" g.json)" = 1
'

test_expect_success 'kmalloc-64: its line through the slab sizes each capture reads back as' '
	cd "$W" &&
	for h in $HOURS; do
		c=$(ls -d cap-$h*) &&
		t=$(manifest_time "$c") &&
		b=$(ml --capture "$c" slab --json | jq ".caches[] | select(.name == \"kmalloc-64\") | .memory") &&
		echo "$t $b" || exit 1
	done >slab &&
	set -- $(fit slab) &&
	close "$(jq ".items[] | select(.id == \"kmalloc-64\") | .slope_bytes_per_s" g.json)" "$1" &&
	near "$(jq ".items[] | select(.id == \"kmalloc-64\") | .r2" g.json)" "$2" &&
	jq -e ".items[] | select(.id == \"kmalloc-64\") | .part_of == \"SUnreclaim\"" g.json >/dev/null
'

test_expect_success 'the captured vm.overcommit_memory: strict, so the CommitLimit too' '
	cd "$W" &&
	jq -e ".exhaustion.overcommit == 2 and .exhaustion.commit.limit == 10737418240" g.json >/dev/null
'

test_expect_success 'the document matches growth.schema.json' '
	cd "$W" &&
	if /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then
		json_validate growth.schema.json g.json
	fi
'

test_expect_success 'a PID reused between captures: the first process exited, the second is new' '
	rm -rf r-* &&
	capture_hour 00 r-00 && capture_hour 01 r-01.tar.gz &&
	for h in 02 03; do
		rm -rf tree && cp -R "$S/capture-$h/proc" tree && chmod -R u+w tree &&
		awk "{ \$22 = 99000; print }" tree/900/stat >st && mv st tree/900/stat &&
		ml --proc-root tree --sys-root "$TEST_ROOT/nosys" capture -o r-$h >/dev/null || exit 1
	done &&
	ml growth r-* --json >p.json &&
	jq -r ".items[] | select(.pid == 900) | \"\(.id) \(.samples) \(.shape)\"" p.json >got &&
	echo "900:99000 2 too_few" >want && test_cmp want got &&
	jq -e ".processes.exited == 1" p.json >/dev/null
'

test_expect_success 'a reboot between captures (another boot_id in the tree): the earlier boot left out' '
	rm -rf b-* &&
	for h in 00 01 02 03 04; do
		rm -rf tree && cp -R "$S/capture-$h/proc" tree && chmod -R u+w tree &&
		if [ $h = 00 ] || [ $h = 01 ]; then
			echo 11111111-2222-3333-4444-555555555555 >tree/sys/kernel/random/boot_id
		fi &&
		ml --proc-root tree --sys-root "$TEST_ROOT/nosys" capture -o b-$h.tar.zst >/dev/null || exit 1
	done &&
	ml growth b-* --json >b.json 2>err &&
	grep -q "left out 2 captures of an earlier boot" err &&
	jq -e ".window.samples == 3 and (.left_out | length) == 2 and
		.left_out[0].boot_id == \"11111111-2222-3333-4444-555555555555\" and
		.captures[0].path == \"b-02.tar.zst\"" b.json >/dev/null
'

test_expect_success 'captures without processes (--pids none): said in the notes' '
	for h in 00 01 02; do
		rm -rf tree && cp -R "$S/capture-$h/proc" tree && chmod -R u+w tree &&
		ml --proc-root tree --sys-root "$TEST_ROOT/nosys" capture --pids none -o n-$h >/dev/null || exit 1
	done &&
	ml growth n-* >out &&
	grep -q "processes: 3 of the 3 captures hold none (memlens capture --pids none)" out &&
	ml growth n-* --json | jq -e "[.items[] | select(.kind == \"proc\")] | length == 0" >/dev/null
'

test_done
