"""The forms of a scenario's parts, on every scenario of the library: a form sent back as it was shown changes
nothing; a change reaches only its part; what a trainer typed that the format does not accept is kept as typed."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from werkzeug.datastructures import MultiDict

from simulator.scenarios import parts

LIBRARY = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*/*.yaml"))
SCENARIOS = [p for p in LIBRARY if p.parent.name != "referentiels"]


def as_shown(document, part: parts.Part, key: str | None) -> MultiDict:
    """The form as the page fills it: every field with its value, checked boxes only."""
    form = MultiDict()
    for n, (origin, row) in enumerate(parts.rows(document, part, key)):
        prefix = "f-" if part.shape == "fields" else f"r{n}-"
        if part.shape != "fields":
            form[f"r{n}-from"] = origin
        for column in part.columns:
            value = parts.shown(column, row.get(column.name))
            if column.kind != "flag":
                form[prefix + column.name] = value
            elif value:
                form[prefix + column.name] = "on"
    return form


def every_part(document):
    for part in parts.PARTS.values():
        if part.slug == "levels":
            keys = [s["id"] for s in document.get("scales") or []]
        elif part.slug == "replies":
            keys = list(((document.get("interlocutor") or {}).get("dialogue") or {}).get("states") or {})
        else:
            keys = [None]
        for key in keys:
            if parts.locate(document, part, key)[0] is not None:
                yield part, key


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_form_sent_back_unchanged_changes_nothing(path):
    text = path.read_text(encoding="utf-8")
    document = parts.load(text)
    kept = parts.dump(document, text) == text  # false where a writer folded long lines: then unfolded
    seen = [part.slug for part, key in every_part(document)]
    for part, key in every_part(document):  # each form in turn, on the same document (one dump: faster)
        parts.change(document, part, key, as_shown(document, part, key))
    after = parts.dump(document, text)
    assert yaml.safe_load(after) == yaml.safe_load(text)
    assert after == text or not kept
    assert {"grid", "scales", "levels", "deliverables"} <= set(seen)


def test_most_of_the_library_keeps_its_text_byte_for_byte():
    kept = [p for p in SCENARIOS if parts.dump(parts.load(t := p.read_text(encoding="utf-8")), t) == t]
    assert len(kept) >= len(SCENARIOS) - 8


def test_a_change_reaches_only_its_part_and_what_cannot_be_read_is_kept_as_typed():
    path = next(p for p in SCENARIOS if "negociation" in p.stem)
    text = path.read_text(encoding="utf-8")
    document = parts.load(text)
    form = as_shown(document, parts.PARTS["terms"], None)
    form["r0-opening"], form["r0-limit"], form["r0-match"] = "12,5", "environ 10", 'remise, "2,5 %"'
    after = yaml.safe_load(parts.apply(text, parts.PARTS["terms"], None, form)[0])
    before = yaml.safe_load(text)
    term = after["interlocutor"]["negotiation"][0]
    assert term["opening"] == 12.5 and term["limit"] == "environ 10" and term["match"] == ["remise", "2,5 %"]
    after["interlocutor"]["negotiation"][0] = before["interlocutor"]["negotiation"][0]
    assert after == before


def test_text_that_is_not_yaml_or_not_a_mapping_is_refused_with_its_line():
    with pytest.raises(parts.PartError, match="line 3"):
        parts.load("title: x\ngrid: [oubli\n")
    with pytest.raises(parts.PartError):
        parts.load("- a\n- b\n")
    with pytest.raises(parts.PartError):  # grid written as something else than a list
        parts.apply("grid: trois critères\n", parts.PARTS["grid"], None, MultiDict({"r0-from": "0"}))
    with pytest.raises(parts.PartError):  # a row that is not a mapping would be lost by the form: refused
        parts.apply("grid:\n- g1\n", parts.PARTS["grid"], None, MultiDict({"r0-from": "0"}))
