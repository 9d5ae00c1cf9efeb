#!/usr/bin/python3
"""HTTP clients for the tests of memlens serve, good and hostile.

    http-client.py PORT get PATH [HEADER: VALUE]...   one request; prints the
        status line, the headers and (decompressed when gzip) the body
    http-client.py PORT method METHOD PATH            prints the status line
    http-client.py PORT bigheader BYTES               a header of BYTES bytes;
        prints the status line, or "closed"
    http-client.py PORT slow SECONDS                  sends a request one byte a
        second; prints "closed after N s" when the server cuts it off, or
        "still open after N s"
    http-client.py PORT concurrent N                  N scrapes at once; prints
        "ok=N distinct=D" (D different bodies: the readings they shared)
    http-client.py PORT disconnect N                  N scrapes that hang up
        (RST) after the first bytes of the answer; prints "done N"
    http-client.py PORT idle N SECONDS                opens N connections and
        sends nothing for SECONDS; prints "connected K" at once, "done" at the end
    http-client.py PORT slowread SECONDS              asks, then reads nothing
        for SECONDS; prints "asked" at once and "done" at the end

Loopback only: PORT is on 127.0.0.1.
"""
import gzip
import socket
import struct
import sys
import threading
import time

HOST = "127.0.0.1"


def connect(port, timeout=30):
    s = socket.create_connection((HOST, port), timeout=timeout)
    return s


def read_all(s):
    chunks = []
    while True:
        try:
            b = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not b:
            break
        chunks.append(b)
    return b"".join(chunks)


def request(port, method, path, headers=(), body=b""):
    s = connect(port)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines += list(headers)
    if body:
        lines.append(f"Content-Length: {len(body)}")
    s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    data = read_all(s)
    s.close()
    head, _, payload = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), payload


def cmd_get(port, path, *headers):
    head, payload = request(port, "GET", path, headers)
    print(head)
    print()
    if "content-encoding: gzip" in head.lower():
        payload = gzip.decompress(payload)
    sys.stdout.write(payload.decode("utf-8", "replace"))


def cmd_method(port, method, path):
    head, _ = request(port, method, path, body=b"x=1" if method in ("POST", "PUT") else b"")
    print(head.splitlines()[0] if head else "closed")
    for line in head.splitlines()[1:]:
        if line.lower().startswith("allow:"):
            print(line)


def cmd_bigheader(port, size):
    s = connect(port)
    s.sendall(f"GET /metrics HTTP/1.1\r\nHost: {HOST}\r\nX-Big: ".encode())
    chunk = b"a" * 65536
    sent = 0
    try:
        while sent < int(size):
            n = min(len(chunk), int(size) - sent)
            s.sendall(chunk[:n])
            sent += n
        s.sendall(b"\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    data = read_all(s)
    s.close()
    print(data.split(b"\r\n")[0].decode("latin-1") if data else "closed")


def wait_closed(s, seconds, send=None):
    start = time.monotonic()
    s.settimeout(1.0)
    i = 0
    while time.monotonic() - start < float(seconds):
        try:
            if send is not None:
                s.send(send[i % len(send):i % len(send) + 1])
                i += 1
            b = s.recv(1)
            if not b:
                return time.monotonic() - start
            # an answer (a 408, say) also ends it: read to the end
            read_all(s)
            return time.monotonic() - start
        except socket.timeout:
            continue
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - start
    return None


def cmd_slow(port, seconds):
    s = connect(port)
    req = f"GET /metrics HTTP/1.1\r\nHost: {HOST}\r\nX-Slow: ".encode() + b"z" * 100000
    t = wait_closed(s, seconds, send=req)
    s.close()
    print(f"closed after {t:.0f} s" if t is not None else f"still open after {seconds} s")


def cmd_slowread(port, seconds):
    s = connect(port)
    # a tiny receive window, and nothing read for SECONDS: the server must not
    # wait for this client (the test watches its descriptors meanwhile)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    s.sendall(f"GET /metrics HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    print("asked", flush=True)
    time.sleep(float(seconds))
    s.close()
    print("done")


def cmd_concurrent(port, n):
    n = int(n)
    results = [None] * n
    barrier = threading.Barrier(n)

    def one(i):
        try:
            s = connect(port, timeout=60)
            barrier.wait(timeout=60)
            s.sendall(f"GET /metrics HTTP/1.1\r\nHost: {HOST}\r\n"
                      "Accept: application/openmetrics-text; version=1.0.0\r\n\r\n".encode())
            data = read_all(s)
            s.close()
            head, _, body = data.partition(b"\r\n\r\n")
            if head.startswith(b"HTTP/1.1 200") and body.endswith(b"# EOF\n"):
                results[i] = body
        except Exception as e:  # a refused or broken scrape counts as not ok
            results[i] = None
            sys.stderr.write(f"scrape {i}: {e}\n")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [r for r in results if r is not None]
    print(f"ok={len(ok)} distinct={len(set(ok))}")


def cmd_idle(port, n, seconds):
    socks = []
    for _ in range(int(n)):
        try:
            socks.append(socket.create_connection((HOST, port), timeout=2))
        except OSError:
            pass
    print(f"connected {len(socks)}", flush=True)
    time.sleep(float(seconds))
    for s in socks:
        s.close()
    print("done")


def cmd_disconnect(port, n):
    for _ in range(int(n)):
        s = connect(port)
        s.sendall(f"GET /metrics HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        s.recv(16)
        # close with RST: SO_LINGER on, timeout 0
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    print(f"done {n}")


def main():
    port = int(sys.argv[1])
    cmd = sys.argv[2]
    args = sys.argv[3:]
    {
        "get": cmd_get,
        "method": cmd_method,
        "bigheader": cmd_bigheader,
        "slow": cmd_slow,
        "slowread": cmd_slowread,
        "concurrent": cmd_concurrent,
        "disconnect": cmd_disconnect,
        "idle": cmd_idle,
    }[cmd](port, *args)


if __name__ == "__main__":
    main()
