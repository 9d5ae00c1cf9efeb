#!/bin/sh
# The Debian package: dpkg-buildpackage -us -uc -b builds it from a copy of
# the source tree, lintian finds no error and no warning, dpkg -i installs
# it, memlens --version runs from /usr/bin, systemd-analyze verify accepts
# the units and rates their exposure; the capabilities the units give are
# enough to read everything, and each one is needed. The package is purged
# at the end. Needs root and Debian's build tools; skips with the reason.
. "$TOP_SRCDIR/tests/cli/lib.sh"

W="$TEST_ROOT/deb"
INSTALLED=
trap '[ -n "$INSTALLED" ] && dpkg -P memlens >/dev/null 2>&1; rm -rf "$TEST_ROOT"' EXIT

skip_all() {
	test_skip 'the Debian package builds, installs and its units verify' "$1"
	test_done
}

is_root || skip_all 'needs root (dpkg -i)'
for tool in dpkg-buildpackage dh lintian dpkg; do
	command -v $tool >/dev/null 2>&1 || skip_all "no $tool (Debian packages dpkg-dev, debhelper, lintian)"
done
[ -f "$TOP_SRCDIR/debian/control" ] || skip_all 'no debian/ in this source tree'
# One package build a run: the sanitizer build and distcheck test the same sources.
if ldd "$MEMLENS" 2>/dev/null | grep -q libasan; then
	skip_all 'a sanitizer build: the -Werror build of the same sources builds the package'
fi
if [ ! -w "$TOP_SRCDIR" ]; then
	skip_all 'a read-only source tree (make distcheck): the -Werror build builds the package'
fi
if dpkg -s memlens >/dev/null 2>&1; then
	skip_all 'a memlens package is installed on this machine; the test does not replace it'
fi

# A copy of the sources: the files git tracks, or the whole (unpacked) tree.
mkdir -p "$W/memlens"
if [ -d "$TOP_SRCDIR/.git" ] || [ -f "$TOP_SRCDIR/.git" ]; then
	(cd "$TOP_SRCDIR" && git ls-files -z | xargs -0 cp --parents -t "$W/memlens")
else
	(cd "$TOP_SRCDIR" && tar --exclude=./build --exclude=./_build --exclude='./memlens-*' -cf - .) |
		(cd "$W/memlens" && tar -xf -)
fi

test_expect_success 'dpkg-buildpackage -us -uc -b builds memlens_*.deb' '
	(cd "$W/memlens" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
		dpkg-buildpackage -us -uc -b) >"$W/build.log" 2>&1 || { tail -30 "$W/build.log"; exit 1; }
	ls "$W"/memlens_*_*.deb
'

DEB=$(ls "$W"/memlens_*_*.deb 2>/dev/null | grep -v dbgsym | head -n 1)
CHANGES=$(ls "$W"/memlens_*.changes 2>/dev/null | head -n 1)

test_expect_success 'lintian: no error and no warning' '
	lintian --fail-on error,warning "$CHANGES" >lint 2>&1; rc=$?
	cat lint
	[ $rc = 0 ] && ! grep -q "^[EW]: " lint
'

test_expect_success 'the package holds the binary, the man page, three completions, three units' '
	dpkg -c "$DEB" | sed "s/.* \.//" >files &&
	for f in /usr/bin/memlens /usr/share/man/man1/memlens.1.gz \
		/usr/share/bash-completion/completions/memlens \
		/usr/share/zsh/vendor-completions/_memlens \
		/usr/share/fish/vendor_completions.d/memlens.fish \
		/lib/systemd/system/memlens.service \
		/lib/systemd/system/memlens-textfile.service \
		/lib/systemd/system/memlens-textfile.timer; do
		grep -qx "$f" files || { echo "missing: $f"; exit 1; }
	done
'

dpkg -i "$DEB" >"$W/install.log" 2>&1 && INSTALLED=yes
# The binary in /usr/bin is this package's (not one another run installed:
# the tests below use it).
test_expect_success 'dpkg -i installs it' '
	cat "$W/install.log" && test -n "$INSTALLED" &&
	test "$(dpkg-query -W -f="\${Status}" memlens)" = "install ok installed" &&
	dpkg-deb --fsys-tarfile "$DEB" | tar -xOf - ./usr/bin/memlens | cmp - /usr/bin/memlens
'

test_expect_success 'memlens --version runs from /usr/bin' '
	/usr/bin/memlens --version >v &&
	grep -qx "memlens [0-9][0-9.]*" v &&
	/usr/bin/memlens --proc-root "$FIXTURES/linux-6.18" metrics >m 2>/dev/null &&
	grep -q "^memlens_memory_part_bytes" m
'

# libproc2, libarchive and libmicrohttpd are dlopen'd (no NEEDED entry):
# Depends names them by hand.
test_expect_success 'Depends: libproc2-0, libarchive13 and libmicrohttpd12 (loaded at run time)' '
	dpkg-deb -f "$DEB" Depends | tr "," "\\n" | sed "s/^ *//; s/ .*//" >deps &&
	cat deps &&
	grep -qx libproc2-0 deps &&
	grep -qxE "libarchive13(t64)?" deps &&
	grep -qxE "libmicrohttpd12(t64)?" deps &&
	! objdump -p /usr/bin/memlens | grep -q -e "NEEDED.*libproc2" -e "NEEDED.*libarchive" \
		-e "NEEDED.*libmicrohttpd"
'

test_expect_success 'the installed memlens: summary, processes through libproc2, a capture' '
	/usr/bin/memlens summary >s 2>err &&
	grep -q "^Memory  *total" s &&
	/usr/bin/memlens procs --limit 3 >p 2>err &&
	test "$(wc -l <p)" -ge 3 &&
	/usr/bin/memlens --proc-root "$FIXTURES/linux-6.18" --sys-root "$FIXTURES/linux-6.18-sys" \
		capture -o cap.tar.gz >out &&
	/usr/bin/memlens --capture cap.tar.gz summary >cs 2>err &&
	grep -q "capture of fixture-618" cs
'

test_expect_success 'the man page and the completions are where their tools look' '
	man -w memlens | grep -q "^/usr/share/man/man1/memlens.1" &&
	bash -c ". /usr/share/bash-completion/bash_completion; _completion_loader memlens; complete -p memlens" |
		grep -q "_memlens memlens" &&
	if command -v zsh >/dev/null; then zsh -c "print -l \$fpath" | grep -qx /usr/share/zsh/vendor-completions; fi &&
	if command -v fish >/dev/null; then fish -c "complete -C \"memlens ser\"" | grep -q "^serve"; fi
'

UNITS="/lib/systemd/system/memlens.service /lib/systemd/system/memlens-textfile.service /lib/systemd/system/memlens-textfile.timer"
if command -v systemd-analyze >/dev/null 2>&1; then
	test_expect_success 'systemd-analyze verify accepts the units' '
		systemd-analyze verify $UNITS >out 2>&1; rc=$?
		cat out
		[ $rc = 0 ] && ! grep -i "unknown\|invalid\|failed" out
	'
	if systemd-analyze security --help 2>&1 | grep -q -- --offline; then
		test_expect_success 'systemd-analyze security: both services rated at most 2.0' '
			for u in memlens.service memlens-textfile.service; do
				systemd-analyze security --offline=true "/lib/systemd/system/$u" >sec 2>&1
				level=$(sed -n "s/.*Overall exposure level for $u: \([0-9.]*\).*/\1/p" sec)
				say "$u exposure $level"
				[ -n "$level" ] && awk -v l="$level" "BEGIN { exit !(l <= 2.0) }" || exit 1
			done
		'
	else
		test_skip 'systemd-analyze security rates the services' 'systemd-analyze has no --offline (systemd < 250)'
	fi
else
	test_skip 'systemd-analyze verify accepts the units' 'no systemd-analyze (Debian package systemd)'
fi

test_expect_success 'memlens.service: an unprivileged dynamic user, two capabilities' '
	u=/lib/systemd/system/memlens.service &&
	grep -qx "DynamicUser=yes" $u &&
	grep -qx "CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE" $u &&
	grep -qx "AmbientCapabilities=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE" $u &&
	! grep -q "^ProtectProc=\|^ProcSubset=\|^PrivateUsers=" $u &&
	grep -qx "ExecStart=/usr/bin/memlens serve \$MEMLENS_ARGS" $u
'

# The capabilities, tried: as an unprivileged user with the unit's
# capabilities memlens reads all that root reads; without one of them, not.
metrics_as() {
	# metrics_as CAPS: memlens metrics as uid 65534 with ambient CAPS ("" = none)
	if [ -n "$1" ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps="$1" \
			--ambient-caps="$1" /usr/bin/memlens metrics 2>/dev/null
	else
		setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/memlens metrics 2>/dev/null
	fi
}
readable() {
	sed -n "s/^memlens_source_readable{source=\"$1\"} //p" "$2"
}
denied() {
	sed -n "s/^memlens_processes_unreadable{reason=\"denied\"} //p" "$1"
}
if command -v setpriv >/dev/null 2>&1 && setpriv --help 2>&1 | grep -q ambient-caps; then
	test_expect_success 'the two capabilities read what root reads' '
		caps=$(sed -n "s/^AmbientCapabilities=//p" /lib/systemd/system/memlens.service |
			tr "A-Z" "a-z" | sed "s/cap_/+/g; s/ /,/g") &&
		/usr/bin/memlens metrics >root 2>/dev/null &&
		metrics_as "$caps" >both &&
		test "$(readable slabinfo both)" = 1 && test "$(readable vmallocinfo both)" = 1 &&
		test "$(denied both)" = "$(denied root)"
	'
	test_expect_success 'without CAP_DAC_READ_SEARCH: no slabinfo, no vmallocinfo' '
		metrics_as +sys_ptrace >m &&
		test "$(readable slabinfo m)" = 0 && test "$(readable vmallocinfo m)" = 0
	'
	test_expect_success 'without CAP_SYS_PTRACE: other users processes are denied' '
		sleep 30 & pid=$! &&
		metrics_as +dac_read_search >m; kill $pid;
		/usr/bin/memlens metrics >root 2>/dev/null &&
		test "$(readable slabinfo m)" = 1 &&
		test "$(denied m)" -gt "$(denied root)"
	'
	test_expect_success 'memlens-textfile.service: root with only its bounding set writes the file' '
		caps=$(sed -n "s/^CapabilityBoundingSet=//p" /lib/systemd/system/memlens-textfile.service |
			tr "A-Z" "a-z" | sed "s/cap_/+/g; s/ /,/g") &&
		mkdir textfile && chmod 755 textfile &&
		setpriv --bounding-set=-all,"$caps" /usr/bin/memlens metrics --format prometheus \
			-o textfile/memlens.prom 2>err &&
		test "$(stat -c %a textfile/memlens.prom)" = 644 &&
		test "$(readable slabinfo textfile/memlens.prom)" = 1 &&
		grep -q "^memlens_process_group_pss_bytes" textfile/memlens.prom
	'
else
	test_skip 'the capabilities of the units' 'no setpriv with --ambient-caps (util-linux)'
fi

dpkg -P memlens >"$W/purge.log" 2>&1 && INSTALLED=
test_expect_success 'dpkg -P removes it' '
	test -z "$INSTALLED" && ! test -e /usr/bin/memlens &&
	! test -e /lib/systemd/system/memlens.service
'

test_done
