"""A ladder of autosave load: N candidates saving 20 KB every 10 s, N raised step by step until p99 passes 1 s or
errors pass 0.1 %; at each step the CPU used by the server, the load generator and the database server, so the
report says where it bends and what saturated, and by anything else on the machine (a test suite run beside the
benchmark takes the cores it measures: run the step again). Then the bare endpoint of the same server, for the ratio.

    .venv/bin/python benchmarks/ladder.py [--steps 250,500,1000,1500,2000,3000] [--seconds 40] [--workers 4]
    (DATABASE_URL picks the database; run benchmarks/prepare.py first for the largest step:
     benchmarks/run_autosave.sh does, or `.venv/bin/python benchmarks/prepare.py --candidates 3000`)
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from machine import describe

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
BIN = Path(sys.executable).parent
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pattern: str) -> float:
    """CPU time (user + system) of every process whose command line contains `pattern`."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if pattern not in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / TICKS


def machine_seconds() -> float:
    """CPU time of the whole machine (busy, all cores): what else runs on it shows as the difference."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / TICKS


def children_cpu() -> float:
    """CPU time of the child processes waited for: locust, which runs to its end for each step."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def locust(mode: str, users: int, seconds: int, name: str) -> dict:
    subprocess.run([str(BIN / "locust"), "-f", "benchmarks/locustfile.py", "--headless", "-u", str(users),
                    "-r", str(users // 10 + 1), "-t", f"{seconds}s", "-H", "http://127.0.0.1:5055",
                    "--csv", str(OUT / name), "--only-summary"],
                   cwd=ROOT, env={**os.environ, "BENCH_MODE": mode}, check=True, capture_output=True)
    with (OUT / f"{name}_stats.csv").open() as f:
        return next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", default="250,500,1000,1500,2000,2500,3000")
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'bench.db'}")
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(args.workers), "--bind", "127.0.0.1:5055",
                               "--log-level", "warning", "simulator:create_app()"], cwd=ROOT)
    try:
        time.sleep(4)
        database = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgresql") else "SQLite"
        print(f"{database}, {args.workers} workers, {args.seconds} s per step; {describe()}")
        print("| candidates | offered saves/s | served req/s | p50 | p95 | p99 | errors | server CPU | "
              "locust CPU | database CPU | anything else |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        bent = None
        for users in (int(n) for n in args.steps.split(",")):
            before = [cpu_seconds("127.0.0.1:5055"), children_cpu(), cpu_seconds("postgres:"), machine_seconds()]
            started = time.monotonic()
            stats = locust("autosave", users, args.seconds, f"ladder_{users}")
            spent = time.monotonic() - started
            after = [cpu_seconds("127.0.0.1:5055"), children_cpu(), cpu_seconds("postgres:"), machine_seconds()]
            cores = [(b - a) / spent for a, b in zip(before, after)]
            requests, failures = int(stats["Request Count"]), int(stats["Failure Count"])
            errors = failures / requests if requests else 1.0
            print(f"| {users:,} | {users / 10:.0f} | {float(stats['Requests/s']):.1f} | {stats['50%']} ms | "
                  f"{stats['95%']} ms | {stats['99%']} ms | {errors:.2%} | {cores[0]:.2f} cores | {cores[1]:.2f} cores | "
                  f"{cores[2]:.2f} cores | {cores[3] - sum(cores[:3]):.2f} cores |", flush=True)
            if float(stats["99%"]) > 1000 or errors > 0.001:
                bent = users
                break
        bare = locust("bare", 50, 20, "ladder_bare")
        print(f"bare endpoint, 50 users: {float(bare['Requests/s']):.1f} req/s, p99 {bare['99%']} ms")
        print(f"bends at {bent:,} candidates" if bent else "did not bend within the steps")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
