"""A scenario's file out of the app, and a file into it, through the same validation as the command line."""
from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

import yaml
from sqlalchemy import select

from simulator.extensions import db
from simulator.formats import FileProblem, FormatError, LoadedFile, validate_paths
from simulator.formats.referentiel import ReferentielFile
from simulator.referentiels.models import Certification
from simulator.scenarios.models import Scenario, ScenarioVersion
from simulator.referentiels.services import load_referentiel
from simulator.scenarios.services import load_scenario

MAX_YAML_BYTES = 2 * 1024 * 1024


def exported(version: ScenarioVersion) -> str:
    """The file as it was loaded: importing it again gives the same version."""
    return version.source_text


def _attachment_paths(text: str) -> list[str]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return []  # the validation reports it, with its line
    documents = data.get("documents") if isinstance(data, dict) else None
    return [d["file"] for d in documents or [] if isinstance(d, dict) and isinstance(d.get("file"), str)]


def _text(filename: str, data: bytes, what: str) -> tuple[str, str]:
    """The file's own name and its text, or a FormatError saying what is wrong with it as a file."""
    name = PurePosixPath(filename or "file.yaml").name
    if not name.endswith((".yaml", ".yml")):
        raise FormatError([FileProblem(name, None, "", "a file that is not .yaml", f"{what} (.yaml)")])
    if len(data) > MAX_YAML_BYTES:
        raise FormatError([FileProblem(name, None, "", f"{len(data)} bytes", f"{what} of at most 2 MB")])
    try:
        return name, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError([FileProblem(name, None, "", "bytes that are not UTF-8", "a UTF-8 text file")]) from exc


def import_file(filename: str, data: bytes, attachments: dict[str, bytes]) -> tuple[str, str, int]:
    """Validate and load one scenario file; its attachments are matched by file name. Returns (id, status,
    version number), status being created, new_version or unchanged; raises FormatError with every problem, as
    `flask validate` prints them."""
    name, text = _text(filename, data, "a scenario file")
    loaded = checked(name, text, attachments)
    status, version = load_scenario(loaded)
    return loaded.model.id, status, version.number


def import_referentiel(filename: str, data: bytes) -> tuple[str, str]:
    """Validate and load a référentiel file (new, or a new edition of one loaded). A new edition must still
    hold every scenario written for it: each one's latest version is checked against it first, and its
    problems are reported under the scenario's name. Returns (id, created | updated | unchanged)."""
    name, text = _text(filename, data, "a référentiel file")
    loaded = checked(name, text, {}, kind="referentiel")
    problems = []
    certification = db.session.scalar(select(Certification).where(Certification.slug == loaded.model.id))
    for scenario in db.session.scalars(select(Scenario).where(Scenario.certification_id == certification.id)
                                       .order_by(Scenario.slug)) if certification else []:
        latest = scenario.latest
        try:
            checked(f"{scenario.slug}.yaml", latest.source_text, {a.filename: a.content for a in latest.assets},
                    referentiels={loaded.model.id: loaded.model})
        except FormatError as exc:
            problems += exc.problems
    if problems:
        raise FormatError(problems)
    return loaded.model.id, load_referentiel(loaded)


def checked(name: str, text: str, attachments: dict[str, bytes], *, kind: str = "scenario",
            referentiels: dict[str, ReferentielFile] | None = None) -> LoadedFile:
    """Validate one file's text as `flask validate` does, against the référentiels loaded (some replaced by
    `referentiels`) and the scenarios loaded; its attachments are matched by file name. Raises FormatError with
    every problem, named after `name`."""
    referentiels = {**{c.slug: ReferentielFile.model_validate(c.document)
                       for c in db.session.scalars(select(Certification))}, **(referentiels or {})}
    scenarios = set(db.session.scalars(select(Scenario.slug)))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "import"
        root.mkdir()
        path = root / name
        path.write_text(text, encoding="utf-8")
        by_name = {PurePosixPath(k).name: v for k, v in attachments.items()}
        for wanted in _attachment_paths(text):
            target = (root / wanted).resolve()
            if root.resolve() in target.parents and PurePosixPath(wanted).name in by_name:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(by_name[PurePosixPath(wanted).name])
        try:
            [loaded] = validate_paths([path], root, known_referentiels=referentiels, known_scenarios=scenarios)
        except FormatError as exc:  # named as the trainer named the file, not by the folder it went through
            raise FormatError([replace(p, path=p.path.removeprefix(f"{root.name}/")) for p in exc.problems]) from None
        if loaded.kind != kind:
            expected = "a scenario file (format: scenario/1)" if kind == "scenario" else \
                "a référentiel file (format: referentiel/1)"
            raise FormatError([FileProblem(name, 1, "format", f"a {loaded.kind} file", expected)])
    return loaded
