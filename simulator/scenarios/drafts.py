"""Scenarios written in the browser: a draft starts from a référentiel's modality or from a version, is saved
as it is typed (valid or not), is checked with the command line's messages, and becomes a version when
published. Functions take the time and flush; callers commit."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePosixPath

import yaml
from sqlalchemy import select

from simulator.auth.models import User
from simulator.formats import FileProblem, FormatError, LoadedFile
from simulator.referentiels.models import Certification
from simulator.extensions import db
from simulator.scenarios import transfer
from simulator.scenarios.models import DraftFile, Scenario, ScenarioDraft, ScenarioVersion
from simulator.scenarios.services import load_scenario

MAX_TEXT = transfer.MAX_YAML_BYTES
TO_WRITE = "À rédiger : "
SCALE = {"id": "acquisition", "levels": [
    {"value": 0, "label": "Non acquis"}, {"value": 1, "label": "En cours d'acquisition"},
    {"value": 2, "label": "Acquis"}, {"value": 3, "label": "Maîtrisé"}]}


def _free_slug(base: str) -> str:
    taken = set(db.session.scalars(select(Scenario.slug)))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def skeleton(certification: Certification, modality_id: str) -> str:
    """A valid scenario file pre-filled from the modality: compétences, critères as the grid, duration,
    organisation and jury; what only the trainer can write is marked « À rédiger »."""
    document = certification.document
    modality = next((m for m in document["modalities"] if m["id"] == modality_id), None)
    if modality is None:
        raise LookupError(modality_id)
    texts = {c["code"]: c["text"] for b in document["blocs"] for c in b["competences"]}
    group = modality.get("organisation", "individual") != "individual"
    grid = [{"id": f"g{n}", "competence": k["competence"], "criterion": k["id"], "text": k["text"],
             "scale": "acquisition", **({"per_member": False} if group else {})}
            for n, k in enumerate(modality.get("criteria") or [], start=1) if k["competence"] in modality["competences"]]
    graded = {g["competence"] for g in grid}
    grid += [{"id": f"g{len(grid) + n}", "competence": code, "text": texts.get(code, code), "scale": "acquisition"}
             for n, code in enumerate((c for c in modality["competences"] if c not in graded), start=1)]
    roles = [{"role": m["role"], **({"count": m["count"]} if m.get("count", 1) != 1 else {})}
             for m in (modality.get("jury") or {}).get("members") or []] or [{"role": "intervenant"}]
    base = re.sub(r"[^a-z0-9]+", "-", f"{certification.slug}-{modality_id}".lower()).strip("-")
    production = ({"id": "conversation", "title": "La conversation", "kind": "transcript"}
                  if modality["kind"] == "role_play" else {"id": "production", "title": "Production du candidat",
                                                           "kind": "text"})
    scenario = {
        "format": "scenario/1",
        "id": _free_slug(f"{base}-nouveau"),
        "title": modality["title"],
        "referentiel": certification.slug,
        **({"bloc": modality["bloc"]} if modality.get("bloc") else {}),
        "modality": modality_id,
        "kind": modality["kind"],
        "organisation": modality.get("organisation", "individual"),
        **({"group_size": modality["group_size"]} if modality.get("group_size") else {}),
        "mode": modality.get("mode", "written"),
        "duration": modality.get("duration") or "1h",
        "competences": list(modality["competences"]),
        "context": {"company": {"name": f"{TO_WRITE}le nom de l’entreprise"},
                    "situation": f"{TO_WRITE}la situation que vit le candidat.\n"},
        "phases": [{"id": "phase-1", "title": f"{TO_WRITE}la phase",
                    "tasks": [{"id": "tache-1", "title": f"{TO_WRITE}la tâche", "deliverables": [production["id"]]}]}],
        "deliverables": [production],
        "jury": {"roles": roles, "live": modality.get("mode", "written") != "written"},
        "scales": [SCALE],
        "grid": grid,
        "candidate_brief": f"{TO_WRITE}ce que le candidat doit faire, en combien de temps, avec quels documents.\n",
        "jury_notes": f"{TO_WRITE}ce que le jury doit savoir (attendus, points de vigilance).\n",
    }
    if modality["kind"] == "role_play":  # the person the candidate talks to; a dialogue can be added (docs/dialogue.md)
        scenario["interlocutor"] = {"persona": {"name": f"{TO_WRITE}le nom de l’interlocuteur",
                                                "role": f"{TO_WRITE}sa fonction"}}
    return yaml.dump(scenario, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


class _Dumper(yaml.SafeDumper):
    """Text of several lines written as a block (`|`), as a trainer would write it."""


_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def start_from_modality(certification: Certification, modality_id: str, *, by: User, now: datetime) -> ScenarioDraft:
    text = skeleton(certification, modality_id)
    return _new(text, by=by, now=now, based_on=None)


def start_from_version(version: ScenarioVersion, *, by: User, now: datetime) -> ScenarioDraft:
    return _new(transfer.exported(version), by=by, now=now, based_on=version)


def _new(text: str, *, by: User, now: datetime, based_on: ScenarioVersion | None) -> ScenarioDraft:
    draft = ScenarioDraft(author_id=by.id, based_on=based_on, text=text, label=_label(text), created_at=now,
                          updated_at=now)
    db.session.add(draft)
    db.session.flush()
    return draft


def _label(text: str) -> str:
    found = re.search(r"^title:\s*(.+)$", text, re.M)
    return (found.group(1).strip().strip("'\"") if found else "—")[:300]


def save(draft: ScenarioDraft, text: str, *, now: datetime) -> None:
    """Keep what was typed, whatever its state; only an oversized text is refused (and then nothing changes)."""
    if len(text.encode("utf-8")) > MAX_TEXT:
        raise FormatError([FileProblem(filename(draft), None, "", f"{len(text.encode('utf-8'))} bytes",
                                       "a scenario file of at most 2 MB")])
    draft.text, draft.label, draft.updated_at = text, _label(text), now
    db.session.flush()


def filename(draft: ScenarioDraft) -> str:
    found = re.search(r"^id:\s*([A-Za-z0-9._-]+)\s*$", draft.text, re.M)
    return f"{found.group(1) if found else 'scenario'}.yaml"


def attachments(draft: ScenarioDraft) -> dict[str, bytes]:
    """The draft's files, and those of the version it started from, by file name (the draft's win)."""
    found = {}
    if draft.based_on is not None:
        found.update({asset.filename: asset.content for asset in draft.based_on.assets})
    found.update({f.filename: f.content for f in draft.files})
    return found


def check(draft: ScenarioDraft) -> tuple[LoadedFile | None, list[FileProblem]]:
    try:
        return transfer.checked(filename(draft), draft.text, attachments(draft)), []
    except FormatError as exc:
        return None, exc.problems


def add_file(draft: ScenarioDraft, name: str, data: bytes) -> str:
    name = PurePosixPath(name.replace("\\", "/")).name
    if not name or name.startswith(".") or len(name) > 200:
        raise FormatError([FileProblem(name or "?", None, "", "a file name that is empty, hidden or too long",
                                       "the file's own name, as the scenario's documents[].file names it")])
    if not data:
        raise FormatError([FileProblem(name, None, "", "an empty file", "the file candidates will download")])
    existing = next((f for f in draft.files if f.filename == name), None)
    if existing is None:
        draft.files.append(DraftFile(filename=name, content=data))
    else:
        existing.content = data
    db.session.flush()
    return name


def publish(draft: ScenarioDraft) -> tuple[str, str, int]:
    """The draft becomes the scenario's next version (its first, for a new one), checked as an import is.
    Returns (id, status, number); raises FormatError with every problem and changes nothing."""
    loaded, problems = check(draft)
    if problems:
        raise FormatError(problems)
    status, version = load_scenario(loaded)
    db.session.delete(draft)
    db.session.flush()
    return loaded.model.id, status, version.number
