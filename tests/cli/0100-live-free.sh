#!/bin/sh
# On this machine: memlens's used, free, shared, buffers, cache and available
# equal `free -b -w` read at the same moment, and the accounting sums to
# MemTotal. Memory moves, so a comparison counts only when memlens read the
# same numbers just before and just after free did.
. "$TOP_SRCDIR/tests/cli/lib.sh"

if ! command -v free >/dev/null || ! test -r /proc/meminfo; then
	test_skip 'memlens agrees with free -b -w' 'no free(1) or no /proc/meminfo'
	test_done
fi

fields='[.memory.total, .memory.used, .memory.free, .memory.shared, .memory.buffers, .memory.cache, .memory.available] | map(tostring) | join(" ")'

if [ -n "${MEMLENS_UNDER_VALGRIND:-}" ]; then
	# memlens's reading includes the tens of MiB memcheck holds while it runs,
	# free's does not: the two can never be equal.
	test_skip 'used, free, shared, buffers, cache, available equal free -b -w' \
		'under valgrind, memcheck'"'"'s own memory is in what memlens reads'
else
test_expect_success 'used, free, shared, buffers, cache, available equal free -b -w' '
	tries=0
	while :; do
		tries=$((tries + 1))
		ml --json | jq -r "$fields" >before &&
		free -b -w | awk "/^Mem:/ { print \$2, \$3, \$4, \$5, \$6, \$7, \$8 }" >free &&
		ml --json | jq -r "$fields" >after || exit 1
		if cmp -s before after; then
			test_cmp free before && break
			exit 1
		fi
		if [ $tries -ge 50 ]; then
			echo "memory kept moving for $tries tries"
			# A busy machine (the tests beside this one) moves MemFree
			# between any two reads. As root, one reading of this
			# machine held still: a copy of /proc/meminfo mounted
			# over it in a mount namespace of its own, read by both.
			is_root && command -v unshare >/dev/null || exit 1
			cat /proc/meminfo >frozen &&
			unshare -m sh -c "mount --bind frozen /proc/meminfo &&
				free -b -w >free.w && \"\$MEMLENS\" --json >frozen.json" || exit 1
			awk "/^Mem:/ { print \$2, \$3, \$4, \$5, \$6, \$7, \$8 }" free.w >free &&
			jq -r "$fields" frozen.json >got &&
			echo "one frozen reading of this machine:" && test_cmp free got && break
			exit 1
		fi
	done
'
fi

test_expect_success 'the live accounting sums to MemTotal' '
	ml --json >json &&
	test "$(jq "[.accounting.parts[].bytes // 0] | add" json)" = "$(json_get json .accounting.total)" &&
	test "$(json_get json .accounting.total)" = "$(awk "/^MemTotal:/ { printf \"%.0f\\n\", \$2 * 1024 }" /proc/meminfo)"
'

test_expect_success 'no bad lines in this kernel'"'"'s meminfo and vmstat' '
	ml >out 2>err && test ! -s err &&
	ml meminfo --json >json && test "$(jq ".parse_errors | length" json)" = 0 &&
	test "$(jq ".unknown | length" json)" = 0 || { jq .unknown json; exit 1; }
'

test_done
