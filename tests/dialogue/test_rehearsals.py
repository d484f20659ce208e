"""Every scenario with a dialogue is played turn by turn through its rehearsal scripts."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator.dialogue.rehearse import SCENARIOS, rehearse

SCRIPTS = sorted((Path(__file__).parent / "scripts").glob("*.yaml"))


def _with_dialogue() -> list[str]:
    found = []
    for path in sorted(SCENARIOS.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if (data.get("interlocutor") or {}).get("dialogue"):
            found.append(path.stem)
    return found


def test_every_dialogue_has_a_rehearsal_script():
    scripted = {yaml.safe_load(p.read_text(encoding="utf-8"))["scenario"] for p in SCRIPTS}
    assert len(_with_dialogue()) >= 5
    assert sorted(set(_with_dialogue()) - scripted) == []


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_rehearsal(script):
    data, problems = rehearse(script)
    assert problems == []
    conversations = data["conversations"]
    assert any(c.get("outcome") for c in conversations), "a conversation must reach a final state"
    assert any(t.get("recognised") is False for c in conversations for t in c["turns"]), \
        "a conversation must try a reply the engine does not recognise"
