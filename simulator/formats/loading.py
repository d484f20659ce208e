"""Read a tree of référentiel and scenario files, and report every problem at once."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from simulator.formats.checks import check_referentiel, check_scenario
from simulator.formats.errors import FileProblem, FormatError
from simulator.formats.referentiel import ReferentielFile
from simulator.formats.scenario import ScenarioFile
from simulator.formats.yamlsource import SourceMap, parse_yaml

FORMATS: dict[str, type[BaseModel]] = {"referentiel/1": ReferentielFile, "scenario/1": ScenarioFile}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


@dataclass
class LoadedFile:
    path: Path
    display: str
    model: ReferentielFile | ScenarioFile
    source: SourceMap
    text: str
    attachments: dict[str, bytes] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "referentiel" if isinstance(self.model, ReferentielFile) else "scenario"

    def content(self) -> dict:
        """The canonical document: what is stored, exported and compared."""
        return self.model.model_dump(mode="json", exclude_none=True, exclude_defaults=False)

    def digest(self) -> str:
        data = {"content": self.content(),
                "files": {name: hashlib.sha256(blob).hexdigest() for name, blob in sorted(self.attachments.items())}}
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def field_path(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe_input(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def pydantic_problems(exc: ValidationError, display: str, source: SourceMap, model: type[BaseModel]) -> list[FileProblem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        if kind == "missing":
            found, expected = "nothing", f"a value for '{loc[-1]}' (required)"
        elif kind == "extra_forbidden":
            found, expected = f"an unknown field '{loc[-1]}'", "only the fields of the format (see docs/file-formats.md)"
        else:
            message = error["msg"].removeprefix("Value error, ").removeprefix("Input should be ")
            if kind == "literal_error":
                message = "one of " + message
            found, expected = _describe_input(error.get("input")), message[0].lower() + message[1:]
        problems.append(FileProblem(display, source.line(loc), field_path(loc), found, expected))
    return problems


def parse_file(path: Path, root: Path) -> LoadedFile:
    display = str(path.relative_to(root.parent)) if root in path.parents else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError([FileProblem(display, None, "", "bytes that are not UTF-8", "a UTF-8 text file")]) from exc
    data, source = parse_yaml(text, display)
    if not isinstance(data, dict):
        raise FormatError([FileProblem(display, 1, "", f"a {type(data).__name__}", "a mapping of fields at the top level")])
    model_class = FORMATS.get(data.get("format"))
    if model_class is None:
        raise FormatError([FileProblem(display, source.line(("format",)), "format", _describe_input(data.get("format")),
                                       "format: referentiel/1 or format: scenario/1")])
    try:
        model = model_class.model_validate(data)
    except ValidationError as exc:
        raise FormatError(pydantic_problems(exc, display, source, model_class)) from exc
    return LoadedFile(path=path, display=display, model=model, source=source, text=text)


def _read_attachments(loaded: LoadedFile) -> list[FileProblem]:
    problems = []
    base = loaded.path.parent.resolve()
    for index, document in enumerate(loaded.model.documents):
        if not document.file:
            continue
        target = (base / document.file).resolve()
        where = ("documents", index, "file")
        if base not in target.parents or not target.is_file():
            problems.append(FileProblem(loaded.display, loaded.source.line(where), field_path(where), repr(document.file),
                                        "a file beside the scenario, inside its folder"))
        elif target.stat().st_size > MAX_ATTACHMENT_BYTES:
            problems.append(FileProblem(loaded.display, loaded.source.line(where), field_path(where),
                                        f"{target.stat().st_size} bytes", "an attachment of at most 20 MB"))
        else:
            loaded.attachments[document.file] = target.read_bytes()
    return problems


@dataclass
class _Batch:
    files: list[LoadedFile] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    broken_ids: set[str] = field(default_factory=set)  # ids of files that failed: not blamed twice


def _collect(paths: list[Path], root: Path) -> _Batch:
    batch = _Batch()
    for path in paths:
        try:
            batch.files.append(parse_file(path, root))
        except FormatError as exc:
            batch.problems.extend(exc.problems)
            raw_id = _raw_id(path)
            if raw_id:
                batch.broken_ids.add(raw_id)
    return batch


def _raw_id(path: Path) -> str | None:
    """The id of a file that failed validation, so that files naming it are not blamed too."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    match = re.search(r"^id:\s*['\"]?([^\s'\"#]+)", text, re.M)
    return match.group(1) if match else None


def _duplicates(files: list[LoadedFile], kind: str) -> list[FileProblem]:
    seen: dict[str, LoadedFile] = {}
    problems = []
    for loaded in files:
        if loaded.kind != kind:
            continue
        first = seen.setdefault(loaded.model.id, loaded)
        if first is not loaded:
            problems.append(FileProblem(loaded.display, loaded.source.line(("id",)), "id", repr(loaded.model.id),
                                        f"an id no other {kind} uses (already used by {first.display})"))
    return problems


def _check_all(batch: _Batch, known_referentiels: dict[str, ReferentielFile], known_scenarios: set[str]) -> list[FileProblem]:
    files = batch.files
    problems = _duplicates(files, "referentiel") + _duplicates(files, "scenario")
    referentiels = dict(known_referentiels)
    referentiels.update({f.model.id: f.model for f in files if f.kind == "referentiel"})
    scenario_ids = {f.model.id for f in files if f.kind == "scenario"} | known_scenarios | batch.broken_ids
    for loaded in files:
        if loaded.kind == "referentiel":
            problems += check_referentiel(loaded.model, loaded.display, loaded.source)
        else:
            problems += _read_attachments(loaded)
            if loaded.model.referentiel not in batch.broken_ids:
                problems += check_scenario(loaded.model, loaded.display, loaded.source, referentiels, scenario_ids)
    return problems


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_tree(root: Path) -> list[LoadedFile]:
    """Every file under root, référentiels first; FormatError lists every problem."""
    root = Path(root)
    if not root.is_dir():
        raise FormatError([FileProblem(str(root), None, "", "no such folder", "a folder of YAML files")])
    batch = _collect(yaml_files(root), root)
    problems = batch.problems + _check_all(batch, {}, set())
    if problems:
        raise FormatError(problems)
    return sorted(batch.files, key=lambda f: (f.kind != "referentiel", f.display))


def validate_paths(paths: list[Path], root: Path, known_referentiels: dict[str, ReferentielFile] | None = None,
                   known_scenarios: set[str] | None = None) -> list[LoadedFile]:
    """Validate some files; the référentiels and scenarios under root, and those given, are known for
    cross-references."""
    root = Path(root)
    expanded = list({f.resolve(): f for p in map(Path, paths) for f in (yaml_files(p) if p.is_dir() else [p])}.values())
    batch = _collect(expanded, root)
    known = dict(known_referentiels or {})
    known_scenarios = set(known_scenarios or ())
    if root.is_dir():
        given = {p.resolve() for p in expanded}
        others = _collect([p for p in yaml_files(root) if p.resolve() not in given], root)
        known.update({f.model.id: f.model for f in others.files if f.kind == "referentiel"})
        known_scenarios |= {f.model.id for f in others.files if f.kind == "scenario"}
    problems = batch.problems + _check_all(batch, known, known_scenarios)
    if problems:
        raise FormatError(problems)
    return batch.files
