"""Summarise locust's CSV output: p50/p95/p99, errors, throughput, and the autosave/bare ratio."""
import csv
import sys
from pathlib import Path

from machine import describe


def row(path: Path, name: str) -> dict:
    with path.open() as f:
        return next(r for r in csv.DictReader(f) if r["Name"] == name)


out = Path(sys.argv[1])
save = row(out / "autosave_stats.csv", "autosave")
bare = row(out / "bare_stats.csv", "bare")
peak = row(out / "autosave_max_stats.csv", "autosave")
print(f"autosave: {save['Request Count']} requests, {save['Failure Count']} failures, "
      f"{float(save['Requests/s']):.1f} req/s, p50 {save['50%']} ms, p95 {save['95%']} ms, p99 {save['99%']} ms")
print(f"bare:     {bare['Request Count']} requests, {float(bare['Requests/s']):.1f} req/s, p50 {bare['50%']} ms, p99 {bare['99%']} ms")
print(f"autosave at capacity (50 users, no pause): {float(peak['Requests/s']):.1f} req/s, "
      f"p50 {peak['50%']} ms, p99 {peak['99%']} ms, {peak['Failure Count']} failures")
print(f"ratio autosave/bare throughput at capacity, same server: {float(peak['Requests/s']) / float(bare['Requests/s']):.3f}")
print(describe())
