#!/bin/sh
# memlens zones on the running kernel's /proc: the page size from sysconf,
# every zone of /proc/zoneinfo, readable without privileges.
. "$TOP_SRCDIR/tests/cli/lib.sh"

if ! test -r /proc/zoneinfo; then
	test_skip 'live zones' 'no readable /proc/zoneinfo here'
	test_done
fi

test_expect_success 'live text report' '
	ml --proc-root /proc zones >out 2>err &&
	test ! -s err &&
	grep -q "^memlens zones of " out && ! grep -q "^read from" out &&
	grep -q "^(page size $(getconf PAGESIZE) bytes, from the running kernel)$" out
'

test_expect_success 'live JSON: schema, page size, every zone' '
	ml zones --json >j &&
	json_validate zones.schema.json j &&
	test "$(json_get j .page_size)" = "$(getconf PAGESIZE)" &&
	test "$(json_get j .page_size_source)" = kernel &&
	test "$(json_get j ".zones | length")" = "$(grep -c "^Node .*, zone " /proc/zoneinfo)" &&
	test "$(json_get j ".parse_errors | length")" = 0
'

test_expect_success 'live, as an unprivileged user' '
	if ! is_root; then exit 0; fi
	setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMLENS" zones --json >j &&
	test "$(json_get j .page_size_source)" = kernel
'

test_done
