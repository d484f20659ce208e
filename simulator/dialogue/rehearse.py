"""Rehearsal scripts: scripted conversations that a scenario's dialogue must follow, turn by turn.

A script (YAML) names its scenario and holds conversations; each turn gives what the candidate says and,
optionally, what must follow:

    scenario: ac-b2-m2-negociation-verdier
    conversations:
      - name: une vente bien menée
        turns:
          - say: "Bonjour Madame Le Gall, je vous propose de faire le point sur vos besoins."
            state: decouverte          # the state after this turn
            evidence: [g01]            # criteria the turn is tagged with (all of them, in any order)
            offers: {remise: countered}  # verdicts on the terms offered in this turn
            answer_contains: "SAV"     # words the interlocutor's answer holds
            recognised: false          # nothing recognised: the interlocutor says its fallback
        state: accord                  # where the conversation ends
        outcome: accord conclu         # the final state's outcome (null: not ended)
        agreed: {remise: 11}           # the terms agreed at the end, and their values

Run one from the command line while writing a dialogue:

    python -m simulator.dialogue.rehearse tests/dialogue/scripts/ac-b2-m2-negociation-verdier.yaml
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from simulator.dialogue.engine import Engine, Turn

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def scenario_file(scenario_id: str, root: Path = SCENARIOS) -> Path:
    for path in sorted(root.rglob("*.yaml")):
        if path.stem == scenario_id:
            return path
    raise FileNotFoundError(f"no scenario file named {scenario_id}.yaml under {root}")


def engine_for(scenario_id: str, root: Path = SCENARIOS) -> Engine:
    document = yaml.safe_load(scenario_file(scenario_id, root).read_text(encoding="utf-8"))
    return Engine(document["interlocutor"])


def _check_turn(turn: Turn, expected: dict, where: str) -> list[str]:
    problems = []
    if "state" in expected and turn.run.state != expected["state"]:
        problems.append(f"{where}: state {turn.run.state!r}, expected {expected['state']!r}")
    if "evidence" in expected:
        tagged = sorted({e for m in turn.moves for e in m.evidence})
        if tagged != sorted(set(expected["evidence"])):
            problems.append(f"{where}: evidence {tagged}, expected {sorted(set(expected['evidence']))}")
    for term, verdict in (expected.get("offers") or {}).items():
        found = [m.verdict for m in turn.moves if m.kind == "offer" and m.term == term]
        if found != [verdict]:
            problems.append(f"{where}: offer on {term} answered {found or 'not read'}, expected {verdict!r}")
    if "answer_contains" in expected and expected["answer_contains"].lower() not in turn.text.lower():
        problems.append(f"{where}: the answer {turn.text!r} does not contain {expected['answer_contains']!r}")
    if "recognised" in expected:
        recognised = any(m.kind not in ("fallback", "walkout") for m in turn.moves)
        if recognised != expected["recognised"]:
            problems.append(f"{where}: recognised={recognised}, expected {expected['recognised']}")
    return problems


def play(engine: Engine, conversation: dict) -> tuple[list[Turn], list[str]]:
    """Play one conversation; return its turns and what did not go as the script says."""
    name = conversation.get("name", "?")
    turns = [engine.begin()]
    problems = []
    for number, step in enumerate(conversation["turns"], start=1):
        if turns[-1].run.ended:
            problems.append(f"{name}, turn {number}: the conversation had already ended")
            break
        turns.append(engine.reply(turns[-1].run, step["say"]))
        problems += _check_turn(turns[-1], step, f"{name}, turn {number}")
    run = turns[-1].run
    if "state" in conversation and run.state != conversation["state"]:
        problems.append(f"{name}: ends in state {run.state!r}, expected {conversation['state']!r}")
    if "outcome" in conversation and run.outcome != conversation["outcome"]:
        problems.append(f"{name}: outcome {run.outcome!r}, expected {conversation['outcome']!r}")
    if "agreed" in conversation:
        expected = {k: float(v) for k, v in (conversation["agreed"] or {}).items()}
        if run.agreed != expected:
            problems.append(f"{name}: agreed {run.agreed}, expected {expected}")
    return turns, problems


def rehearse(script: Path, root: Path = SCENARIOS) -> tuple[dict, list[str]]:
    data = yaml.safe_load(script.read_text(encoding="utf-8"))
    engine = engine_for(data["scenario"], root)
    problems = []
    for conversation in data["conversations"]:
        problems += play(engine, conversation)[1]
    return data, problems


def main(argv: list[str]) -> int:
    failed = 0
    for name in argv:
        data, problems = rehearse(Path(name))
        engine = engine_for(data["scenario"])
        for conversation in data["conversations"]:
            turns, _ = play(engine, conversation)
            print(f"== {data['scenario']} · {conversation.get('name', '?')}")
            print(f"   {engine.persona.name} : {turns[0].text}")
            for step, turn in zip(conversation["turns"], turns[1:]):
                print(f"   candidat : {step['say']}")
                tags = " ".join(f"[{m.kind}:{m.label}{':' + m.verdict if m.verdict else ''}"
                                f"{' ' + ','.join(m.evidence) if m.evidence else ''}]" for m in turn.moves)
                print(f"   {engine.persona.name} : {turn.text}\n      → {turn.run.state} {tags}")
        for problem in problems:
            print(f"FAIL {problem}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
