"""Turn by turn through a scenario's dialogue. Deterministic: the same replies always give the same answers.

A turn reads the candidate's text once and answers, in this order: the offers on the terms at stake, the
questions that make the interlocutor reveal what it knows, then the first reply of the current state that the
text matches (which may move the conversation on). When nothing is recognised the interlocutor says its
fallback; after `patience` such turns in a row it walks out, if the author gave it somewhere to go.
"""
from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field

from simulator.dialogue import lexicon
from simulator.dialogue.negotiation import Negotiation
from simulator.dialogue.text import Lexicon, Phrase, found_in
from simulator.formats.scenario import Dialogue, DialogueState, Interlocutor

IMPLICIT_STATE = "entretien"


class ConversationOver(Exception):
    """The dialogue reached a final state; nothing more can be said."""


@dataclass(frozen=True)
class Move:
    """Something the engine recognised in a reply: the jury reads these as hints, never as a score."""

    kind: str  # reply, question, offer, blocked, fallback, walkout
    label: str
    evidence: tuple[str, ...] = ()
    term: str | None = None
    value: float | None = None
    verdict: str | None = None

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items() if v not in (None, ())}

    @classmethod
    def from_dict(cls, data: dict) -> Move:
        return cls(**{**data, "evidence": tuple(data.get("evidence", ()))})


@dataclass
class Run:
    """Where one conversation stands; stored as JSON between turns."""

    state: str
    turn: int = 0
    misses: int = 0
    positions: dict[str, float] = field(default_factory=dict)
    agreed: dict[str, float] = field(default_factory=dict)
    revealed: list[int] = field(default_factory=list)
    countered: list | None = None  # [term, value]: the counter-offer the interlocutor has just made
    ended: bool = False
    outcome: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Run:
        return cls(**data)


@dataclass(frozen=True)
class Turn:
    run: Run
    lines: tuple[str, ...]
    moves: tuple[Move, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class _Reply:
    spec: object
    phrases: tuple[Phrase, ...]


class Engine:
    def __init__(self, interlocutor: Interlocutor | dict):
        if isinstance(interlocutor, dict):
            interlocutor = Interlocutor.model_validate(interlocutor)
        self.persona = interlocutor.persona
        self.dialogue: Dialogue = interlocutor.dialogue or Dialogue(
            start=IMPLICIT_STATE,
            states={IMPLICIT_STATE: DialogueState(say=interlocutor.persona.opening or "Bonjour, je vous écoute.")})
        self.lexicon = Lexicon(self.dialogue.synonyms)
        self.negotiation = Negotiation(interlocutor.negotiation, self.lexicon)
        self._replies = {name: [_Reply(r, tuple(Phrase(m, self.lexicon) for m in r.match)) for r in state.replies]
                         for name, state in self.dialogue.states.items()}
        self._questions = [tuple(Phrase(m, self.lexicon) for m in q.match) for q in self.dialogue.questions]

    # -- the conversation ------------------------------------------------------------------------

    def begin(self) -> Turn:
        run = Run(state=self.dialogue.start, positions=self.negotiation.openings())
        return Turn(run, (self.dialogue.states[run.state].say,))

    def reply(self, run: Run, text: str) -> Turn:
        if run.ended:
            raise ConversationOver()
        run = copy.deepcopy(run)
        run.turn += 1
        clauses = self.lexicon.clauses(text)
        lines: list[str] = []
        moves: list[Move] = []
        self._offers(run, clauses, lines, moves)
        self._ask(run, clauses, lines, moves)
        self._follow(run, clauses, lines, moves)
        if moves:
            run.misses = 0
        else:
            self._miss(run, lines, moves)
        state = self.dialogue.states[run.state]
        if state.final:
            run.ended, run.outcome = True, state.outcome
        return Turn(run, tuple(lines), tuple(moves))

    def _offers(self, run: Run, clauses, lines: list[str], moves: list[Move]) -> None:
        offers = self.negotiation.offers(clauses, tuple(run.countered) if run.countered else None)
        run.countered = None
        if not offers:
            return
        counterpart = self.negotiation.counterpart(clauses)
        accepting = self.negotiation.accepting(clauses)
        for offer in offers:
            if offer.term not in run.agreed and abs(offer.value - run.positions[offer.term]) < 1e-9 and not accepting:
                continue  # the interlocutor's own figure, repeated without agreeing to it: a quote
            answer = self.negotiation.answer(offer, run.positions[offer.term], run.agreed.get(offer.term), counterpart)
            run.positions[offer.term] = answer.position
            if answer.verdict == "countered":
                run.countered = [offer.term, answer.position]
            if answer.verdict in ("accepted", "confirmed"):
                run.agreed[offer.term] = answer.offered
            lines.append(answer.line)
            moves.append(Move("offer", self.negotiation.terms[offer.term].label, term=offer.term,
                              value=offer.value, verdict=answer.verdict))

    def _ask(self, run: Run, clauses, lines: list[str], moves: list[Move]) -> None:
        for index, phrases in enumerate(self._questions):
            if found_in(list(phrases), clauses) is None:
                continue
            question = self.dialogue.questions[index]
            again = f"{self.dialogue.recall} {question.say[:1].lower()}{question.say[1:]}"
            lines.append(question.say if index not in run.revealed else again)
            if index not in run.revealed:
                run.revealed.append(index)
            moves.append(Move("question", question.move or question.match[0], tuple(question.evidence)))

    def _follow(self, run: Run, clauses, lines: list[str], moves: list[Move]) -> None:
        blocked: list[str] = []
        for reply in self._replies[run.state]:
            if found_in(list(reply.phrases), clauses) is None:
                continue
            spec = reply.spec
            pending = [t for t in spec.requires if t not in run.agreed]
            if pending:
                blocked.extend(t for t in pending if t not in blocked)
                continue
            if spec.say:
                lines.append(spec.say)
            if spec.goto != run.state:
                run.state = spec.goto
                lines.append(self.dialogue.states[spec.goto].say)
            moves.append(Move("reply", spec.move or spec.match[0], tuple(spec.evidence)))
            return
        if blocked:
            labels = ", ".join(self.negotiation.terms[t].label.lower() for t in blocked)
            lines.append(f"Nous ne sommes pas encore d'accord sur : {labels}.")
            moves.append(Move("blocked", labels))

    def _miss(self, run: Run, lines: list[str], moves: list[Move]) -> None:
        run.misses += 1
        walkout = self.dialogue.walkout
        if self.dialogue.patience and walkout and run.misses >= self.dialogue.patience:
            run.state = walkout
            lines.append(self.dialogue.states[walkout].say)
            moves.append(Move("walkout", walkout))
            return
        fallback = self.dialogue.states[run.state].fallback
        choices = [fallback] if isinstance(fallback, str) else (fallback or list(lexicon.DEFAULT_FALLBACKS))
        lines.append(choices[(run.misses - 1) % len(choices)])
        moves.append(Move("fallback", ""))

    # -- what the pages show ---------------------------------------------------------------------

    def terms(self, run: Run) -> list[dict]:
        return [{"id": t.id, "label": t.label, "agreed": t.show(run.agreed[t.id]) if t.id in run.agreed else None,
                 "position": t.show(run.positions.get(t.id, t.opening))}
                for t in self.negotiation.terms.values()]

    def deal(self, run: Run) -> bool:
        return bool(self.negotiation.terms) and all(t in run.agreed for t in self.negotiation.terms)
