"""Parts of a scenario written with forms beside its text: the grid and its scales, the deliverables and the
documents, the interlocutor's persona and objections, the dialogue's states, recognised replies and questions,
the negotiation terms. A form reads its part from the draft's text and writes it back into that text, keeping
the rest as the trainer wrote it, comments included: the file stays the one thing a scenario is, and the checks
are the command line's (docs/decisions/2026-11-23-scenario-forms.md)."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString
from werkzeug.datastructures import MultiDict

from simulator.formats import FileProblem

KEY = "{key}"  # in a part's path: the name of a dialogue state, or the id of an item of a list


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str = "text"  # text, long, number, flag, words (comma-separated), lines (one per line), choice
    choices: str | tuple[str, ...] = ()  # fixed values, or the name of a list read from the scenario
    required: bool = False
    single: bool = False  # lines: one line is written as a string, several as a list


@dataclass(frozen=True)
class Part:
    slug: str
    title: str
    path: tuple[str, ...]
    columns: tuple[Column, ...]
    shape: str = "rows"  # rows: a list of mappings; keyed: mappings by name; fields: one mapping
    role_play: bool = False  # shown for a scenario with an interlocutor, or a role play
    child: str | None = None  # the part that edits each row's own list (a state's replies, a scale's levels)
    help: str = ""

    @property
    def nested(self) -> bool:
        """A list inside a row of another part (a state's replies): reached from that row."""
        return KEY in self.path

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


PARTS = {part.slug: part for part in (
    Part("grid", _l("Criteria grid"), ("grid",), (
        Column("id", _l("Id"), required=True),
        Column("competence", _l("Compétence"), "choice", "competences", required=True),
        Column("criterion", _l("Critère of the référentiel"), "choice", "criteria"),
        Column("text", _l("What the jury assesses"), "long", required=True),
        Column("scale", _l("Scale"), "choice", "scales", required=True),
        Column("weight", _l("Weight"), "number"),
        Column("per_member", _l("Graded for each member of a group"), "flag"),
    ), help=_l("One row per criterion the jury grades; the compétence and critère come from the référentiel.")),
    Part("scales", _l("Scales"), ("scales",), (Column("id", _l("Id"), required=True),), child="levels",
         help=_l("A scale is a list of levels; the grid's rows name the scale they are graded on.")),
    Part("levels", _l("Levels of a scale"), ("scales", KEY, "levels"), (
        Column("value", _l("Value"), "number", required=True),
        Column("label", _l("Label"), required=True),
        Column("description", _l("Description"), "long"),
    ), help=_l("At least two levels, from the lowest to the highest.")),
    Part("deliverables", _l("Deliverables"), ("deliverables",), (
        Column("id", _l("Id"), required=True),
        Column("title", _l("Title"), required=True),
        Column("kind", _l("Kind"), "choice", ("text", "file", "recording", "transcript")),
        Column("description", _l("Description"), "long"),
        Column("max_chars", _l("Characters at most (text)"), "number"),
        Column("allowed_types", _l("File types allowed (file), e.g. pdf, docx, xlsx"), "words"),
        Column("max_size_mb", _l("Size at most in MB (file)"), "number"),
        Column("max_seconds", _l("Seconds at most (recording)"), "number"),
        Column("max_takes", _l("Takes allowed (recording)"), "number"),
        Column("video", _l("Camera as well as microphone (recording)"), "flag"),
    ), help=_l("What the candidate hands in; the tasks of the phases name them by id.")),
    Part("documents", _l("Input documents"), ("documents",), (
        Column("id", _l("Id"), required=True),
        Column("title", _l("Title"), required=True),
        Column("content", _l("Content (Markdown)"), "long"),
        Column("file", _l("File candidates download (attach it in the Text tab)")),
        Column("description", _l("Description"), "long"),
    ), help=_l("A document has a content written here, or a file attached to the draft, or both.")),
    Part("persona", _l("Interlocutor"), ("interlocutor", "persona"), (
        Column("name", _l("Name"), required=True),
        Column("role", _l("Role"), required=True),
        Column("company", _l("Company")),
        Column("personality", _l("Personality"), "long"),
        Column("opening", _l("Opening line"), "long"),
        Column("wants", _l("What they want (one per line)"), "lines"),
        Column("hides", _l("What they keep to themselves (one per line)"), "lines"),
    ), shape="fields", role_play=True, help=_l("The person the candidate talks to.")),
    Part("objections", _l("Objections"), ("interlocutor", "persona", "objections"), (
        Column("text", _l("Objection"), "long", required=True),
        Column("when", _l("When it is raised")),
        Column("answer_hint", _l("What a good answer does (for the jury)"), "long"),
    ), role_play=True),
    Part("dialogue", _l("Dialogue"), ("interlocutor", "dialogue"), (
        Column("start", _l("First state"), "choice", "states", required=True),
        Column("patience", _l("Replies not understood in a row before walking out"), "number"),
        Column("walkout", _l("State of walking out"), "choice", "states"),
        Column("recall", _l("Said before an answer given again")),
    ), shape="fields", role_play=True, help=_l("How the conversation starts and how patient the interlocutor is; "
                                               "the states are in the next tab.")),
    Part("states", _l("States of the dialogue"), ("interlocutor", "dialogue", "states"), (
        Column("id", _l("Name"), required=True),
        Column("say", _l("What the interlocutor says"), "long", required=True),
        Column("fallback", _l("Said when a reply is not understood (one per line, used in turn)"), "lines",
               single=True),
        Column("final", _l("The conversation ends here"), "flag"),
        Column("outcome", _l("Outcome the jury reads")),
    ), shape="keyed", role_play=True, child="replies"),
    Part("replies", _l("Recognised replies"), ("interlocutor", "dialogue", "states", KEY, "replies"), (
        Column("match", _l("Words that recognise it (comma-separated)"), "words", required=True),
        Column("goto", _l("Next state"), "choice", "states", required=True),
        Column("say", _l("What the interlocutor answers (the next state's line otherwise)"), "long"),
        Column("move", _l("Move the jury reads, e.g. reformulation")),
        Column("evidence", _l("Grid criteria it shows (ids, comma-separated)"), "words"),
        Column("requires", _l("Negotiation terms to agree first (ids, comma-separated)"), "words"),
    ), role_play=True),
    Part("questions", _l("Questions answered in any state"), ("interlocutor", "dialogue", "questions"), (
        Column("match", _l("Words that recognise it (comma-separated)"), "words", required=True),
        Column("say", _l("Answer"), "long", required=True),
        Column("move", _l("Move the jury reads")),
        Column("evidence", _l("Grid criteria it shows (ids, comma-separated)"), "words"),
    ), role_play=True),
    Part("terms", _l("Negotiation terms"), ("interlocutor", "negotiation"), (
        Column("id", _l("Id"), required=True),
        Column("label", _l("Label"), required=True),
        Column("unit", _l("Unit")),
        Column("opening", _l("Interlocutor's opening position"), "number", required=True),
        Column("target", _l("Target"), "number"),
        Column("limit", _l("Interlocutor's limit"), "number", required=True),
        Column("better", _l("Better for the candidate when"), "choice", ("higher", "lower"), required=True),
        Column("match", _l("Words that name it (comma-separated)"), "words"),
        Column("step", _l("Concessions by steps of"), "number"),
    ), role_play=True),
)}


class PartError(Exception):
    """The text cannot be edited with a form: it does not parse, or the part is not where it should be."""


# -- reading and writing the text ---------------------------------------------------------------------------

def _yaml(text: str) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # a line is as long as the trainer wrote it
    if re.search(r"^( *)[^\s#-][^\n]*:[ \t]*\n\1  - ", text, re.M):  # "key:\n  - item", as the library writes
        yaml.indent(mapping=2, sequence=4, offset=2)
    else:  # "key:\n- item", as a draft from a modality starts
        yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def load(text: str) -> CommentedMap:
    try:
        document = _yaml(text).load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PartError(_l("The text is not valid YAML (line %(n)s): correct it in the Text tab first.",
                           n=mark.line + 1 if mark else "?")) from exc
    if not isinstance(document, CommentedMap):
        raise PartError(_l("The text is not a mapping of fields: correct it in the Text tab first."))
    return document


def dump(document: CommentedMap, text: str) -> str:
    out = io.StringIO()
    _yaml(text).dump(document, out)
    return out.getvalue()


def locate(document: CommentedMap, part: Part, key: str | None, create: bool = False):
    """The part's value in the document (None if absent), and the field path problems name it by."""
    node, field = document, ""
    for n, step in enumerate(part.path):
        last = n == len(part.path) - 1
        if step == KEY:
            if isinstance(node, dict) and key in node and isinstance(node[key], dict):
                node, field = node[key], f"{field}.{key}"
                continue
            index = next((i for i, item in enumerate(node or []) if isinstance(item, dict) and str(item.get("id")) == key),
                         None) if isinstance(node, list) else None
            if index is None:
                raise LookupError(key)
            node, field = node[index], f"{field}[{index}]"
            continue
        field = f"{field}.{step}" if field else step
        if not isinstance(node, dict):
            raise PartError(_l("%(field)s is not a mapping of fields: correct it in the Text tab first.", field=field))
        if node.get(step) is None:
            if not create:
                return None, field
            node[step] = (CommentedSeq() if part.shape == "rows" else CommentedMap()) if last else CommentedMap()
        node = node[step]
    items = node if part.shape == "rows" else node.values() if part.shape == "keyed" else []
    if not isinstance(node, list if part.shape == "rows" else dict) or any(not isinstance(i, dict) for i in items):
        raise PartError(_l("%(field)s is not written as this form expects: correct it in the Text tab.", field=field))
    return node, field


def rows(document: CommentedMap, part: Part, key: str | None) -> list[tuple[str, dict]]:
    """The part's rows as (origin, mapping): origin is the row's index, or its name for a mapping by name."""
    found, _ = locate(document, part, key)
    if found is None:
        return []
    if part.shape == "fields":
        return [("", found)]
    if part.shape == "keyed":
        return [(str(name), {"id": name, **value}) for name, value in found.items()]
    return [(str(i), item) for i, item in enumerate(found)]


def shown(column: Column, value) -> str | bool:
    """A stored value as its field shows it."""
    if column.kind == "flag":
        return bool(value)
    if value is None:
        return ""
    if column.kind == "words" and isinstance(value, list):
        return ", ".join(f'"{v}"' if "," in str(v) else str(v) for v in value)  # "8,9" stays one word
    if column.kind == "lines" and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).rstrip("\n") if column.kind == "long" else str(value)


def _read(column: Column, raw: str | None):
    """The value typed, as the file holds it; None when the field is empty. What cannot be read as the column's
    kind is kept as typed: the check then says what was expected, and nothing typed is lost."""
    if column.kind == "flag":
        return True if raw else None
    text = (raw or "").replace("\r\n", "\n").strip()
    if not text:
        return None
    if column.kind == "number":
        candidate = text.replace(",", ".").replace(" ", "").replace("\u202f", "")
        for kind in (int, float):
            try:
                return kind(candidate)
            except ValueError:
                continue
        return text
    if column.kind == "words":
        words = [w.strip() for w in next(csv.reader([text], skipinitialspace=True)) if w.strip()]
        return CommentedSeq(words) if words else None
    if column.kind == "lines":
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        return lines[0] if column.single and len(lines) == 1 else CommentedSeq(lines)
    if column.kind == "long" and "\n" in text:
        return LiteralScalarString(text + "\n")
    return text


def _same(column: Column, old, new) -> bool:
    if column.kind == "long" and isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()
    if column.kind == "words" and isinstance(old, list) and isinstance(new, list):
        return [str(v) for v in old] == list(new)
    return old == new


def _fill(row: CommentedMap, part: Part, form: MultiDict, prefix: str) -> None:
    for column in part.columns:
        if part.shape == "keyed" and column.name == "id":
            continue
        new = _read(column, form.get(f"{prefix}{column.name}"))
        if new is None:
            row.pop(column.name, None)
        elif not _same(column, row.get(column.name), new):
            row[column.name] = new
            if isinstance(new, CommentedSeq) and column.kind == "words":
                new.fa.set_flow_style()  # [a, b, c], as a trainer writes a list of words


def apply(text: str, part: Part, key: str | None, form: MultiDict) -> tuple[str, CommentedMap]:
    """The text with the part as the form says, and its document. Fields the form does not show (a state's
    replies, a comment) are kept."""
    document = load(text)
    change(document, part, key, form)
    return dump(document, text), document


def change(document: CommentedMap, part: Part, key: str | None, form: MultiDict) -> None:
    """The part as the form says: rows kept, changed, removed, moved up or added."""
    found, _ = locate(document, part, key, create=True)
    if part.shape == "fields":
        _fill(found, part, form, "f-")
        return
    numbers = sorted(int(m.group(1)) for name in form if (m := re.fullmatch(r"r(\d+)-from", name)))
    removed = form.get("remove")
    kept: list[tuple[str, CommentedMap]] = []
    for n in numbers:
        if removed == str(n):
            continue
        origin = form.get(f"r{n}-from", "")
        if part.shape == "keyed":
            row = found.get(origin, CommentedMap())
        else:
            row = found[int(origin)] if origin.isdigit() and int(origin) < len(found) else CommentedMap()
        _fill(row, part, form, f"r{n}-")
        name = (form.get(f"r{n}-id") or "").strip() or origin
        kept.append((name, row))
    order = [n for n in numbers if str(n) != removed]  # kept's rows, by their number in the form
    up = form.get("up", "")
    if up.isdigit() and int(up) in order and order.index(int(up)) > 0:
        at = order.index(int(up))
        kept[at - 1], kept[at] = kept[at], kept[at - 1]
    if "add" in form:
        kept.append(("", CommentedMap()))
    if part.shape == "keyed":
        states = CommentedMap()
        for name, row in kept:
            name = name or f"etat-{len(states) + 1}"
            while name in states:
                name += "-2"
            states[name] = row
        found.clear()
        found.update(states)
    else:
        found[:] = [row for _, row in kept]


# -- problems beside their fields ---------------------------------------------------------------------------

def place(problems: list[FileProblem], document: CommentedMap, part: Part, key: str | None):
    """Each problem where the form shows it: {slot: [problems]} with slots like "r2-competence" or "f-name",
    "part" for the part as a whole, and the problems found elsewhere in the file."""
    _, field = locate(document, part, key)
    placed: dict[str, list[FileProblem]] = {}
    elsewhere = []
    names = [origin for origin, _ in rows(document, part, key)] if part.shape == "keyed" else []
    for problem in problems:
        slot = _slot(problem.field, field, part, names)
        if slot is None:
            elsewhere.append(problem)
        else:
            placed.setdefault(slot, []).append(problem)
    return placed, elsewhere


def _slot(where: str, field: str, part: Part, names: list[str]) -> str | None:
    if where != field and not where.startswith((field + ".", field + "[")):
        return None
    rest = where[len(field):]
    if part.shape == "fields":
        if not rest:
            return "part"
        found = re.match(r"\.(\w+)", rest)
        column = found.group(1) if found else None
        return f"f-{column}" if column and part.column(column) else None  # another part's (the states')
    if part.shape == "keyed":
        found = next((n for n in names if rest == f".{n}" or rest.startswith((f".{n}.", f".{n}["))), None)
        if found is None:
            return "part"
        row, column = names.index(found), rest[len(found) + 2:]
    else:
        found = re.match(r"\[(\d+)\]\.?", rest)
        if found is None:
            return "part"
        row, column = int(found.group(1)), rest[found.end():]
    column = re.match(r"\w*", column).group(0)
    return f"r{row}-{column}" if part.column(column) else f"r{row}"
