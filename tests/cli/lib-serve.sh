# Helpers for the tests of memlens serve (after tests/cli/lib.sh):
#
#   serve_start [ARGS...]   start "memlens serve --listen 127.0.0.1:0 ARGS" in
#                           the background; sets SERVE_PID and SERVE_PORT (from
#                           its first log line) and SERVE_ERR (its stderr)
#   serve_stop              SIGTERM, and its exit status (0 when it stopped cleanly)
#   http ARGS...            tests/cli/http-client.py on SERVE_PORT
#   serve_rss, serve_fds    its resident memory (kB) and open descriptors
#
# Everything listens on 127.0.0.1 only. The script's EXIT trap kills what is
# left (a failed test must not leave a server running).

SERVE_PID=
HTTP_CLIENT="$TOP_SRCDIR/tests/cli/http-client.py"
trap 'serve_kill; rm -rf "$TEST_ROOT"' EXIT

serve_start() {
	SERVE_ERR="$TEST_ROOT/serve.err.$$.$#"
	: >"$SERVE_ERR"
	# Under AddressSanitizer freed memory waits in a quarantine (256 MB):
	# without it the resident memory measures the server, not the sanitizer.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0" \
		"$MEMLENS" serve --listen 127.0.0.1:0 "$@" 2>"$SERVE_ERR" &
	SERVE_PID=$!
	_w=0
	while ! grep -q "listening on http://127.0.0.1:" "$SERVE_ERR"; do
		if ! kill -0 "$SERVE_PID" 2>/dev/null || [ $_w -ge 600 ]; then
			cat "$SERVE_ERR"
			SERVE_PID=
			return 1
		fi
		sleep 0.1
		_w=$((_w + 1))
	done
	SERVE_PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$SERVE_ERR")
}

serve_stop() {
	[ -n "$SERVE_PID" ] || return 1
	kill -TERM "$SERVE_PID"
	wait "$SERVE_PID"
	_rc=$?
	SERVE_PID=
	return $_rc
}

serve_kill() {
	[ -n "$SERVE_PID" ] && kill -KILL "$SERVE_PID" 2>/dev/null
	SERVE_PID=
}

http() {
	/usr/bin/python3 "$HTTP_CLIENT" "$SERVE_PORT" "$@"
}

serve_rss() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$SERVE_PID/status"
}

serve_fds() {
	ls "/proc/$SERVE_PID/fd" | wc -l
}
