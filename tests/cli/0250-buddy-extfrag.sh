#!/bin/sh
# memlens buddy computes exactly the kernel's debugfs extfrag/extfrag_index
# and extfrag/unusable_index from the same buddyinfo: on a paired capture,
# and live when run as root (mounting debugfs if needed and allowed; set
# MEMLENS_TEST_NO_MOUNT=1 to forbid it).
. "$TOP_SRCDIR/tests/cli/lib.sh"

# debugfs_format INDEX JSON: memlens's JSON printed as the kernel prints
# INDEX (extfrag_index: "%2d.%03d ", unusable_index: "%d.%03d ", of the
# index in thousandths: index / 1000 and index % 1000, both truncating).
debugfs_format() {
	jq -r --arg k "$1" '.zones[] | [.node, .zone, (.orders[] | .[$k] * 1000 | round)] | @tsv' "$2" |
	awk -F '\t' -v wide="$([ "$1" = extfrag_index ] && echo 1 || echo 0)" '{
		printf "Node %d, zone %8s ", $1, $2
		for (i = 3; i <= NF; i++)
			printf (wide ? "%2d.%03d " : "%d.%03d "), int($i / 1000), $i % 1000
		printf "\n"
	}'
}

test_expect_success 'the paired 6.18 capture: every value of both debugfs files' '
	ml --proc-root "$FIXTURES/linux-6.18-extfrag" buddy --json >j &&
	debugfs_format extfrag_index j >extfrag &&
	test_cmp "$FIXTURES/linux-6.18-extfrag/debugfs/extfrag_index" extfrag &&
	debugfs_format unusable_index j >unusable &&
	test_cmp "$FIXTURES/linux-6.18-extfrag/debugfs/unusable_index" unusable
'

test_expect_success 'the formatter prints the kernel quirks (-1.000, 0.-500)' '
	mkdir proc &&
	printf "Node 0, zone   Normal      0      0      1      0      0 \n" >proc/buddyinfo &&
	ml --proc-root proc buddy --json >j &&
	debugfs_format extfrag_index j >out &&
	printf "Node 0, zone   Normal -1.000 -1.000 -1.000  0.-500  0.-250 \n" >want &&
	test_cmp want out &&
	debugfs_format unusable_index j >out &&
	printf "Node 0, zone   Normal 0.000 0.000 0.000 1.000 1.000 \n" >want &&
	test_cmp want out
'

DEBUG=/sys/kernel/debug
mounted_here=
live_reason=
if ! is_root; then
	live_reason="needs root (debugfs is root only)"
elif [ ! -r /proc/buddyinfo ]; then
	live_reason="no /proc/buddyinfo"
else
	if [ ! -e "$DEBUG/extfrag/extfrag_index" ] && [ -z "${MEMLENS_TEST_NO_MOUNT:-}" ] &&
	    ! mountpoint -q "$DEBUG" 2>/dev/null &&
	    mount -t debugfs none "$DEBUG" 2>/dev/null; then
		mounted_here=1
	fi
	if [ ! -r "$DEBUG/extfrag/extfrag_index" ] || ! cat "$DEBUG/extfrag/extfrag_index" >/dev/null 2>&1; then
		live_reason="no readable $DEBUG/extfrag (debugfs not mounted, or no CONFIG_COMPACTION/CONFIG_DEBUG_FS)"
	fi
fi

if [ -z "$live_reason" ]; then
	test_expect_success 'live: debugfs extfrag files equal memlens on the same buddyinfo' '
		mkdir proc &&
		tries=0 &&
		while :; do
			tries=$((tries + 1))
			cat /proc/buddyinfo >before &&
			cat '"$DEBUG"'/extfrag/extfrag_index >extfrag &&
			cat '"$DEBUG"'/extfrag/unusable_index >unusable &&
			cat /proc/buddyinfo >after || exit 1
			cmp -s before after && break
			[ $tries -lt 50 ] || { echo "buddyinfo kept moving"; exit 1; }
		done &&
		say "stable after $tries read(s)" &&
		cp before proc/buddyinfo &&
		ml --proc-root proc buddy --json >j &&
		debugfs_format extfrag_index j >mine.extfrag &&
		debugfs_format unusable_index j >mine.unusable &&
		test_cmp extfrag mine.extfrag &&
		test_cmp unusable mine.unusable
	'
else
	test_skip 'live: debugfs extfrag files equal memlens on the same buddyinfo' "$live_reason"
fi
if [ -n "$mounted_here" ]; then
	umount "$DEBUG" 2>/dev/null || say "could not unmount $DEBUG"
fi

test_done
