"""The scenario file: one runnable mise en situation."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from simulator.formats.common import (
    Duration, ExerciseKind, GroupSize, Identifier, JuryMember, Mode, Organisation, Strict, Text,
)

FileType = Literal["pdf", "docx", "odt", "xlsx", "ods", "csv", "txt", "pptx", "odp", "png", "jpg", "mp3", "webm", "ogg"]


class Company(Strict):
    name: Text
    sector: str | None = None
    size: str | None = None
    location: str | None = None
    description: str | None = None


class Context(Strict):
    company: Company
    situation: Text


class Document(Strict):
    id: Identifier
    title: Text
    content: str | None = None
    file: str | None = None
    description: str | None = None


class Task(Strict):
    id: Identifier
    title: Text
    instructions: str | None = None
    deliverables: list[Identifier] = []


class Phase(Strict):
    id: Identifier
    title: Text
    duration: Duration | None = None
    description: str | None = None
    tasks: list[Task] = Field(min_length=1)


class Deliverable(Strict):
    id: Identifier
    title: Text
    kind: Literal["text", "file", "recording", "transcript"] = "text"
    description: str | None = None
    max_chars: int | None = Field(default=None, ge=1, le=500_000)
    allowed_types: list[FileType] = []
    max_size_mb: int | None = Field(default=None, ge=1, le=100)
    max_seconds: int | None = Field(default=None, ge=5, le=7200)
    max_takes: int = Field(default=1, ge=1, le=10)  # for a recording: how many times the candidate may start
    video: bool = False  # for a recording: camera as well as microphone


class Jury(Strict):
    roles: list[JuryMember] = Field(min_length=1)
    live: bool = False


class Level(Strict):
    value: float
    label: Text
    description: str | None = None


class Scale(Strict):
    id: Identifier
    levels: list[Level] = Field(min_length=2)


class GridCriterion(Strict):
    id: Identifier
    competence: Identifier
    criterion: Identifier | None = None
    text: Text
    scale: Identifier
    weight: float = Field(default=1, gt=0, le=100)
    per_member: bool = False


class Objection(Strict):
    text: Text
    when: str | None = None
    answer_hint: str | None = None


class Persona(Strict):
    name: Text
    role: Text
    company: str | None = None
    personality: str | None = None
    wants: list[Text] = []
    hides: list[Text] = []
    objections: list[Objection] = []
    opening: str | None = None


class Reply(Strict):
    """A kind of reply the candidate may give in a state: any of the phrases, recognised in free French text."""

    match: list[Text] = Field(min_length=1)
    goto: Identifier
    say: str | None = None
    move: str | None = None  # what the jury reads in the transcript, e.g. "reformulation"
    evidence: list[Identifier] = []
    requires: list[Identifier] = []  # negotiation terms that must be agreed before this reply counts


class Question(Strict):
    """What the interlocutor knows and reveals only when asked, in any state."""

    match: list[Text] = Field(min_length=1)
    say: Text
    move: str | None = None
    evidence: list[Identifier] = []


class DialogueState(Strict):
    say: Text
    replies: list[Reply] = []
    fallback: Text | list[Text] | None = None
    final: bool = False
    outcome: str | None = None


class Dialogue(Strict):
    start: Identifier
    states: dict[Identifier, DialogueState] = Field(min_length=1)
    questions: list[Question] = []
    synonyms: dict[Text, list[Text]] = {}  # a word and the words the candidate may use for it
    patience: int | None = Field(default=None, ge=2, le=50)  # replies not understood in a row before walking out
    walkout: Identifier | None = None
    recall: Text = "Comme je vous le disais,"  # before an answer given again ("Comme je te le disais," for tu)


class NegotiationTerm(Strict):
    """A term at stake. better: which way the interlocutor wants it to go; limit: the most they will accept."""

    id: Identifier
    label: Text
    unit: str | None = None
    opening: float
    target: float | None = None
    limit: float
    better: Literal["higher", "lower"]
    match: list[Text] = []  # words that name this term in the candidate's text (the label's words by default)
    step: float | None = Field(default=None, gt=0)  # the interlocutor's concessions are multiples of it


class Interlocutor(Strict):
    persona: Persona
    dialogue: Dialogue | None = None
    negotiation: list[NegotiationTerm] = []


class Chain(Strict):
    scenario: Identifier
    deliverables: list[Identifier] = []
    note: str | None = None


class ScenarioFile(Strict):
    format: Literal["scenario/1"]
    id: Identifier
    title: Text
    referentiel: Identifier
    bloc: Identifier | None = None
    modality: Identifier
    kind: ExerciseKind
    organisation: Organisation = "individual"
    group_size: GroupSize | None = None
    mode: Mode = "written"
    duration: Duration
    competences: list[Identifier] = Field(min_length=1)
    context: Context
    documents: list[Document] = []
    phases: list[Phase] = Field(min_length=1)
    deliverables: list[Deliverable] = Field(min_length=1)
    jury: Jury
    scales: list[Scale] = Field(min_length=1)
    grid: list[GridCriterion] = Field(min_length=1)
    candidate_brief: Text
    jury_notes: str | None = None
    interlocutor: Interlocutor | None = None
    chain: Chain | None = None
