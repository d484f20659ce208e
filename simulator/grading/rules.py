"""The rules of routing, grading and validation. Plain Python: no Flask, no database."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Why a seat of a jury is still empty, from the first filter that left nobody.
NO_ROLE, NOT_QUALIFIED, INACTIVE, CONFLICT, TOO_FEW = "no_role", "not_qualified", "inactive", "conflict", "too_few"


@dataclass(frozen=True)
class Evaluator:
    """What routing needs to know of one evaluator for one production."""

    id: int
    roles: frozenset[str]
    active: bool
    qualified: bool
    conflicted: bool
    open_gradings: int


@dataclass(frozen=True)
class Pick:
    evaluator_id: int | None
    reason: str | None = None


def pick(role: str, pool: Iterable[Evaluator], taken: set[int]) -> Pick:
    """One evaluator for one seat: holds the role, qualified, active, no conflict, not already on this jury;
    the fewest open gradings wins, ties broken by the lowest id so that the choice is stable."""
    steps = [(NO_ROLE, lambda e: role in e.roles), (NOT_QUALIFIED, lambda e: e.qualified),
             (INACTIVE, lambda e: e.active), (CONFLICT, lambda e: not e.conflicted),
             (TOO_FEW, lambda e: e.id not in taken)]
    left = list(pool)
    for reason, keep in steps:
        left = [e for e in left if keep(e)]
        if not left:
            return Pick(None, reason)
    best = min(left, key=lambda e: (e.open_gradings, e.id))
    return Pick(best.id)


# -- the grid -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Grid:
    """The scenario's criteria grid: criterion id → (compétence, allowed values), and the compétences decided."""

    criteria: Mapping[str, tuple[str, frozenset[float]]]
    competences: tuple[str, ...]
    per_member: frozenset[str] = frozenset()  # group work: criteria graded for each member on their own

    @classmethod
    def from_document(cls, document: Mapping) -> Grid:
        scales = {s["id"]: frozenset(float(level["value"]) for level in s["levels"]) for s in document["scales"]}
        criteria = {c["id"]: (c["competence"], scales[c["scale"]]) for c in document["grid"]}
        return cls(criteria=criteria, competences=tuple(document["competences"]),
                   per_member=frozenset(c["id"] for c in document["grid"] if c.get("per_member")))

    def allows(self, criterion_id: str, value: float) -> bool:
        return criterion_id in self.criteria and float(value) in self.criteria[criterion_id][1]


@dataclass(frozen=True)
class Missing:
    criteria: tuple[str, ...] = ()
    competences: tuple[str, ...] = ()
    overall_comment: bool = False

    def __bool__(self) -> bool:
        return bool(self.criteria or self.competences or self.overall_comment)


def missing(grid: Grid, ratings: Mapping[str, float | None], verdicts: Mapping[str, bool],
            overall_comment: str) -> Missing:
    """What stops a grading from being submitted: unrated criteria, undecided compétences, no overall comment."""
    return Missing(criteria=tuple(c for c in grid.criteria if ratings.get(c) is None),
                   competences=tuple(c for c in grid.competences if c not in verdicts),
                   overall_comment=not overall_comment.strip())


def compare(verdicts_by_member: Iterable[Mapping[str, bool]], competences: Iterable[str]) -> dict[str, bool | None]:
    """Per compétence: the decision all jury members agree on, or None where they differ."""
    members = list(verdicts_by_member)
    out: dict[str, bool | None] = {}
    for code in competences:
        seen = {m[code] for m in members if code in m}
        out[code] = seen.pop() if len(seen) == 1 else None
    return out


# -- validation --------------------------------------------------------------------------------

@dataclass
class BlocProgress:
    code: str
    competences: tuple[str, ...]
    acquired: set[str] = field(default_factory=set)

    @property
    def validated(self) -> bool:
        return bool(self.competences) and set(self.competences) <= self.acquired

    @property
    def count(self) -> int:
        return len(self.acquired & set(self.competences))


def progress(blocs: Mapping[str, Iterable[str]], acquired: Iterable[str]) -> list[BlocProgress]:
    """A compétence is validated once a final decision says so, whatever the scenario; a bloc when all
    its compétences are, possibly across several scenarios."""
    got = set(acquired)
    return [BlocProgress(code, tuple(codes), got & set(codes)) for code, codes in blocs.items()]


def certified(blocs: list[BlocProgress]) -> bool:
    return bool(blocs) and all(b.validated for b in blocs)
