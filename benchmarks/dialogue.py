"""Dialogue engine benchmark (issue 6): the time the simulated interlocutor takes to answer one turn, on the
longest dialogue of the library, replaying its rehearsal scripts.

    .venv/bin/python benchmarks/dialogue.py [--rounds 200]

No database and no web server: this is the engine alone (simulator/dialogue). Prints the figures written in
docs/performance.md."""
from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

import yaml

from simulator.dialogue.engine import Engine
from simulator.dialogue.rehearse import engine_for

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "tests" / "dialogue" / "scripts"


def _size(engine: Engine) -> int:
    """Phrases the engine may have to try on a turn: every reply's, every question's and the terms' words."""
    replies = sum(len(r.match) for s in engine.dialogue.states.values() for r in s.replies)
    questions = sum(len(q.match) for q in engine.dialogue.questions)
    return replies + questions + sum(len(t.keywords) for t in engine.negotiation.terms.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    scripts = {}
    for path in sorted(SCRIPTS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scripts.setdefault(data["scenario"], []).extend(data["conversations"])
    engines = {scenario: engine_for(scenario) for scenario in scripts}
    scenario = max(engines, key=lambda s: _size(engines[s]))
    engine, conversations = engines[scenario], scripts[scenario]
    print(f"longest dialogue: {scenario} ({len(engine.dialogue.states)} states, {_size(engine)} phrases, "
          f"{len(engine.negotiation.terms)} terms); {sum(len(c['turns']) for c in conversations)} scripted turns")
    timings = []
    started = time.perf_counter()
    for _ in range(args.rounds):
        for conversation in conversations:
            run = engine.begin().run
            for step in conversation["turns"]:
                if run.ended:
                    break
                before = time.perf_counter()
                run = engine.reply(run, step["say"]).run
                timings.append(time.perf_counter() - before)
    total = time.perf_counter() - started
    timings.sort()
    ms = [t * 1000 for t in timings]
    print(f"{len(ms)} turns in {total:.1f} s: p50 {statistics.median(ms):.2f} ms, "
          f"p99 {ms[int(len(ms) * 0.99) - 1]:.2f} ms, max {ms[-1]:.2f} ms "
          f"({platform.processor() or platform.machine()}, Python {platform.python_version()})")


if __name__ == "__main__":
    main()
