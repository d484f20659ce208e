"""How fast this machine runs Python right now: its speed drifts by a factor of two to three within a session (a
shared virtual machine), so every benchmark prints it beside its figures, and only figures measured at the same
speed compare. docs/performance.md quotes it."""
from __future__ import annotations

import time

LOOP = 10_000_000


def loop_seconds() -> float:
    """The best of three runs of a plain loop of 10 million additions, in seconds (lower is faster)."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for number in range(LOOP):
            total += number
        best = min(best, time.perf_counter() - started)
    return best


def describe() -> str:
    return f"machine speed: {LOOP:,} additions in {loop_seconds():.2f} s (best of 3; lower is faster)"


if __name__ == "__main__":
    print(describe())
