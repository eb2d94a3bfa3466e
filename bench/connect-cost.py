#!/usr/bin/env python3
"""Server CPU and context switches per SSE connect and close, on a warm server.

    connect-cost.py PID PORT [STREAMS=8000] [RAMPS=10] [PATH=/api/events?channel=ch]

Opens STREAMS streams (500 connects in flight, sources spread over 127.0.0.2-51), waits for each stream's first
event ("connected" in its bytes; nchan and the plain peer send none, so this is Herald's), closes them all and waits
until the server process PID holds no more descriptors than before. It does that RAMPS times and reads the server's
CPU (utime and stime of /proc/PID/stat, the kernel's share shown) and context switches (every thread's, /proc/PID/task/*/status) around each
ramp. The last four ramps are the warm figure (the JVM's JIT has settled by then); per-thread-name figures for those
four follow, so a change that moves work between threads shows where. A channel is PATH plus (i mod 100).

Run it pinned to the other core from the server (bench/connect-cost.sh does both). Counts of context switches are
exact; CPU moves with the VM's noise, so compare builds in turn, several rounds.
"""
import asyncio
import glob
import os
import re
import sys
import time

pid, port = int(sys.argv[1]), int(sys.argv[2])
n = int(sys.argv[3]) if len(sys.argv) > 3 else 8000
ramps = int(sys.argv[4]) if len(sys.argv) > 4 else 10
path = sys.argv[5] if len(sys.argv) > 5 else "/api/events?channel=ch"
TICK = os.sysconf("SC_CLK_TCK")
WARM = min(4, ramps)


def cpu_s():
    """(user, system) CPU seconds of the whole process"""
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]) / TICK, int(f[12]) / TICK


def per_thread():
    """thread name with digits folded -> [context switches, CPU ticks]"""
    d = {}
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            name = re.sub(r"[0-9]+", "N", open(task + "/comm").read().strip())
            switches = sum(int(l.split()[1]) for l in open(task + "/status") if "ctxt_switches" in l)
            f = open(task + "/stat").read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended meanwhile
        a = d.setdefault(name, [0, 0])
        a[0] += switches
        a[1] += int(f[11]) + int(f[12])
    return d


def switches():
    return sum(a[0] for a in per_thread().values())


def fds():
    return len(os.listdir(f"/proc/{pid}/fd"))


async def one(i, sem, opened):
    async with sem:
        r, w = await asyncio.open_connection("127.0.0.1", port, local_addr=(f"127.0.0.{2 + i % 50}", 0))
        w.write(f"GET {path}{i % 100} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode())
        buf = b""
        while b"connected" not in buf:
            d = await r.read(4096)
            if not d:
                raise RuntimeError(f"stream {i} ended before its first event: {buf[:300]!r}")
            buf += d
        if not buf.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"stream {i} refused: {buf[:300]!r}")
        opened.append(w)


async def ramp():
    sem, opened = asyncio.Semaphore(500), []
    await asyncio.gather(*[one(i, sem, opened) for i in range(n)])
    if len(opened) != n:
        raise RuntimeError(f"{len(opened)} of {n} streams opened")
    t = time.time()
    for w in opened:
        w.close()
    await asyncio.sleep(0.05)
    return t


base = fds()
rows = []
for k in range(ramps):
    if k == ramps - WARM:
        threads0 = per_thread()
    c0, x0, t0 = cpu_s(), switches(), time.time()
    t1 = asyncio.run(ramp())
    for _ in range(400):
        if fds() <= base + 5:
            break
        time.sleep(0.05)
    else:
        raise RuntimeError(f"the server still holds {fds() - base} more descriptors than before the ramp")
    time.sleep(0.3)
    c1, x1 = cpu_s(), switches()
    row = {"cpu": (c1[0] + c1[1] - c0[0] - c0[1]) * 1e6 / n, "kernel": (c1[1] - c0[1]) * 1e6 / n,
           "switches": (x1 - x0) / n, "rate": n / (t1 - t0)}
    rows.append(row)
    print(f"ramp {k + 1}: {row['cpu']:.0f} us CPU per connect+close ({row['kernel']:.0f} of it in the kernel), "
          f"{row['switches']:.2f} context switches, {row['rate']:.0f} connects/s", flush=True)


def warm_mean(key):
    return sum(r[key] for r in rows[-WARM:]) / WARM


print(f"WARM (last {WARM}) us={warm_mean('cpu'):.0f} kernel_us={warm_mean('kernel'):.0f} "
      f"ctx={warm_mean('switches'):.2f}")
threads1 = per_thread()
deltas = {name: [a - b for a, b in zip(now, threads0.get(name, [0, 0]))] for name, now in threads1.items()}
for name, (dx, dc) in sorted(deltas.items(), key=lambda item: -item[1][0]):
    if dx > 100 or dc > 5:
        print(f"  {name:28s} context switches {dx / (WARM * n):.2f}, CPU {dc * 1e6 / TICK / (WARM * n):.0f} us")
