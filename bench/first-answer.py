#!/usr/bin/env python3
"""Waits for a server's first HTTP answer and prints the milliseconds since the server was launched.

    first-answer.py PORT PATH [TIMEOUT_S]

Started before the server: it prints "armed" once Python is up (Python's own start takes about 0.35 s here, which
must not count), then reads the launch time from stdin in time.time_ns() units (bash: date +%s%N) and polls. With
PATH other than "/" the answer must be a 200 (a readiness endpoint); with "/" any HTTP answer counts. Exits 1 on
timeout.

One process polls with plain sockets every 5 ms. The start scenario used to run curl every 5 ms instead: a fork and
an exec per try, which on this 2-core machine took CPU from the JVM being timed (a Herald start measured 1.9 s alone
and 2.7-4.1 s with the curl loop beside it), while a C server that starts in 0.1 s barely noticed.
"""
import socket
import sys
import time

port, path = int(sys.argv[1]), sys.argv[2]
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 120
print("armed", flush=True)
t0 = int(sys.stdin.readline())
deadline = time.time() + timeout
request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()


def status():
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(request)
            head = s.recv(64).decode("latin-1")
    except OSError:
        return None
    parts = head.split(" ", 2)
    return parts[1] if head.startswith("HTTP/") and len(parts) > 1 else None


while time.time() < deadline:
    code = status()
    if code is not None and (path == "/" or code == "200"):
        print((time.time_ns() - t0) // 1_000_000)
        sys.exit(0)
    time.sleep(0.005)
sys.exit(1)
