#!/bin/sh
# memlens serve against node_exporter, side by side on this machine: a scrape
# of memlens serve (its defaults: every source, --min 1M) against a full
# scrape of node_exporter's default collectors. Both run at once on loopback
# ports and are scraped in turn, SCRAPES times each (200): the wall time of
# each scrape as the client sees it (median and best), and the CPU each
# server used per scrape (utime + stime of all its threads over the whole
# run, in 10 ms ticks, divided by the scrapes). Then memlens serve alone is
# scraped RSS_SCRAPES times (10,000), one after the other, and its resident
# memory and descriptors are printed along the way.
#
# Run as root for the whole picture (slabinfo, vmallocinfo, every process);
# without root both read less. On a shared machine the wall times are noisy
# (the ratio, taken in one run, less so); CPU ticks are the steadier figure.
set -u
: "${MEMLENS:?run through bench/run.sh or make bench}"
. "$(dirname "$0")/lib.sh"
SCRAPES=${SCRAPES:-200}
RSS_SCRAPES=${RSS_SCRAPES:-10000}

NODE_EXPORTER=$(command -v prometheus-node-exporter || command -v node_exporter || true)
if [ -z "$NODE_EXPORTER" ]; then
	echo "80-serve: node_exporter is not installed; skipped (apt-get install prometheus-node-exporter)"
	exit 0
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/memlens-bench-serve.XXXXXX") || exit 1
MPID=
NPID=
trap '[ -n "$MPID" ] && kill $MPID 2>/dev/null; [ -n "$NPID" ] && kill $NPID 2>/dev/null; rm -rf "$dir"' EXIT INT TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

"$MEMLENS" serve --listen 127.0.0.1:0 2>"$dir/memlens.err" &
MPID=$!
NPORT=$(free_port)
"$NODE_EXPORTER" --web.listen-address="127.0.0.1:$NPORT" >"$dir/node.log" 2>&1 &
NPID=$!
w=0
until grep -q "listening on" "$dir/memlens.err" && curl -fsS -o /dev/null "http://127.0.0.1:$NPORT/metrics" 2>/dev/null; do
	w=$((w + 1))
	[ $w -gt 100 ] && { echo "80-serve: the servers did not start"; cat "$dir/memlens.err" "$dir/node.log"; exit 1; }
	sleep 0.1
done
MPORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$dir/memlens.err")

ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}
rss() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"
}
hz=$(getconf CLK_TCK)

# SCRAPES scrapes of each, in turn (warm-up of 5 each first, not counted);
# prints "name median_ms best_ms bytes" per server.
scrape_both() {
	python3 - "$MPORT" "$NPORT" "$SCRAPES" <<'EOF'
import http.client, statistics, sys, time
ports = {"memlens": int(sys.argv[1]), "node_exporter": int(sys.argv[2])}
n = int(sys.argv[3])
accept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"
def scrape(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    t = time.perf_counter()
    c.request("GET", "/metrics", headers={"Accept": accept, "Accept-Encoding": "gzip"})
    body = c.getresponse().read()
    t = time.perf_counter() - t
    c.close()
    return t, len(body)
for name, port in ports.items():
    for _ in range(5):
        scrape(port)
times = {k: [] for k in ports}
size = {}
for _ in range(n):
    for name, port in ports.items():
        t, size[name] = scrape(port)
        times[name].append(t)
for name in ports:
    print(name, "%.2f" % (1000 * statistics.median(times[name])),
          "%.2f" % (1000 * min(times[name])), size[name])
EOF
}

m0=$(ticks $MPID)
n0=$(ticks $NPID)
scrape_both >"$dir/wall"
m1=$(ticks $MPID)
n1=$(ticks $NPID)

echo "memlens serve against node_exporter (default collectors), $SCRAPES scrapes each, in turn"
echo "(gzip as Prometheus asks; wall = the client's time for one scrape; CPU = the server's, per scrape)"
printf '%-16s %12s %12s %14s %12s\n' server "wall median" "wall best" "CPU/scrape" "gzip bytes"
awk -v mt=$((m1 - m0)) -v nt=$((n1 - n0)) -v n="$SCRAPES" -v hz="$hz" '
	{ wall[$1] = $2; best[$1] = $3; bytes[$1] = $4 }
	END {
		cpu["memlens"] = 1000 * mt / hz / n; cpu["node_exporter"] = 1000 * nt / hz / n
		for (k in wall)
			printf "%-16s %9.2f ms %9.2f ms %11.2f ms %12d\n", k, wall[k], best[k], cpu[k], bytes[k]
		if (wall["node_exporter"] > 0 && cpu["node_exporter"] > 0)
			printf "ratio memlens/node_exporter: wall %.2f, CPU %.2f\n",
				wall["memlens"] / wall["node_exporter"], cpu["memlens"] / cpu["node_exporter"]
	}' "$dir/wall" | tee "$dir/table"
# The ratios, for bench/run.sh's table (no target: figures to compare runs by).
ratios=$(sed -n 's|^ratio memlens/node_exporter: wall \([0-9.]*\), CPU \([0-9.]*\)|\1 \2|p' "$dir/table")
if [ -n "$ratios" ]; then
	record "memlens serve scrape against node_exporter's, wall" "${ratios% *}" "=" "" "x"
	record "memlens serve scrape against node_exporter's, CPU" "${ratios#* }" "=" "" "x"
fi
kill $NPID 2>/dev/null
wait $NPID 2>/dev/null
NPID=

echo
echo "memlens serve: resident memory and descriptors over $RSS_SCRAPES scrapes"
printf '%10s %10s %6s\n' scrapes "RSS kB" fds
printf '%10s %10s %6s\n' "$SCRAPES+" "$(rss $MPID)" "$(ls /proc/$MPID/fd | wc -l)"
python3 - "$MPORT" "$RSS_SCRAPES" "$MPID" <<'EOF'
import http.client, os, sys
port, n, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return line.split()[1]
marks = {1000, 2000, 5000, n}
for i in range(1, n + 1):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/metrics")
    c.getresponse().read()
    c.close()
    if i in marks:
        print("%10d %10s %6d" % (i, rss(), len(os.listdir(f"/proc/{pid}/fd"))), flush=True)
EOF
record "memlens serve RSS after $RSS_SCRAPES scrapes" "$(rss $MPID)" "=" "" "kB"
kill -TERM $MPID
wait $MPID
echo "memlens serve exit status after SIGTERM: $?"
MPID=
