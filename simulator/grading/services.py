"""Grading a production, reconciling the jury, signing the procès-verbal, releasing results.
Functions take the time as an argument and flush; callers commit."""
from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime, lazy_gettext as _l
from sqlalchemy import select

from simulator.auth.models import User
from simulator.exams import audit
from simulator.exams.models import Attempt, ExamSession
from simulator.extensions import db
from simulator.grading import rules
from simulator.grading.errors import (
    AlreadySubmitted, Incomplete, JustificationMissing, NotReady, OutOfScale,
)
from simulator.grading.models import Assignment, FinalDecision, Production, Rating, Signature, Verdict

MAX_COMMENT = 5000


_GRIDS: dict[str, rules.Grid] = {}


def grid_of(production: Production) -> rules.Grid:
    """Keyed by the version's content digest, like the exam's deliverables: same digest, same grid."""
    version = production.session.version
    found = _GRIDS.get(version.digest)
    if found is None:
        if len(_GRIDS) > 512:
            _GRIDS.clear()
        found = _GRIDS[version.digest] = rules.Grid.from_document(version.document)
    return found


def _editable(assignment: Assignment) -> None:
    if assignment.status == "submitted":
        raise AlreadySubmitted(when=format_datetime(assignment.submitted_at, "short"))


def _touch(assignment: Assignment) -> None:
    if assignment.status == "assigned":
        assignment.status = "in_progress"


def _clip(text: str) -> str:
    return (text or "").strip()[:MAX_COMMENT]


def rate(assignment: Assignment, *, criterion_id: str, value: float | None, comment: str, now: datetime) -> Rating:
    """Autosave of one grid row. A value outside the criterion's scale is refused and nothing changes."""
    _editable(assignment)
    grid = grid_of(assignment.production)
    if criterion_id not in grid.criteria:
        raise OutOfScale(value=criterion_id, levels="—")
    if value is not None and not grid.allows(criterion_id, value):
        levels = ", ".join(f"{v:g}" for v in sorted(grid.criteria[criterion_id][1]))
        raise OutOfScale(value=f"{value:g}", levels=levels)
    row = next((r for r in assignment.ratings if r.criterion_id == criterion_id), None)
    if row is None:
        row = Rating(criterion_id=criterion_id)
        assignment.ratings.append(row)
    row.value, row.comment, row.updated_at = value, _clip(comment), now
    _touch(assignment)
    db.session.flush()
    return row


def decide(assignment: Assignment, *, competence: str, acquired: bool, now: datetime) -> Verdict:
    _editable(assignment)
    competences = grid_of(assignment.production).competences
    if competence not in competences:
        raise OutOfScale(value=competence, levels=", ".join(competences))
    row = next((v for v in assignment.verdicts if v.competence == competence), None)
    if row is None:
        row = Verdict(competence=competence, acquired=acquired)
        assignment.verdicts.append(row)
    row.acquired, row.updated_at = acquired, now
    _touch(assignment)
    db.session.flush()
    return row


def comment(assignment: Assignment, *, text: str, now: datetime) -> datetime:
    _editable(assignment)
    assignment.overall_comment = _clip(text)
    _touch(assignment)
    db.session.flush()
    return now


def missing(assignment: Assignment) -> rules.Missing:
    return rules.missing(grid_of(assignment.production), {r.criterion_id: r.value for r in assignment.ratings},
                         {v.competence: v.acquired for v in assignment.verdicts}, assignment.overall_comment)


def describe(gap: rules.Missing) -> str:
    parts = []
    if gap.criteria:
        parts.append(str(_l("criteria without a level: %(ids)s", ids=", ".join(gap.criteria))))
    if gap.competences:
        parts.append(str(_l("compétences without a decision: %(ids)s", ids=", ".join(gap.competences))))
    if gap.overall_comment:
        parts.append(str(_l("the overall comment")))
    return "; ".join(parts)


def submit(assignment: Assignment, *, now: datetime) -> None:
    _editable(assignment)
    gap = missing(assignment)
    if gap:
        raise Incomplete(what=describe(gap))
    assignment.status, assignment.submitted_at = "submitted", now
    production = assignment.production
    audit.record("grading_submitted", actor_id=assignment.evaluator_id, attempt_id=production.attempt_id,
                 session_id=production.session_id, at=now, production=production.code, role=assignment.role)
    db.session.flush()
    if all(a.status == "submitted" for a in production.assignments):
        _propose(production, now)


def _propose(production: Production, now: datetime) -> None:
    """Every member submitted: the compétences they agree on are decided; the rest go to reconciliation."""
    agreed = rules.compare([{v.competence: v.acquired for v in a.verdicts} for a in production.assignments],
                           grid_of(production).competences)
    for code, acquired in agreed.items():
        if acquired is not None:
            production.decisions.append(FinalDecision(competence=code, acquired=acquired, decided_at=now))
    production.status = "signing" if all(v is not None for v in agreed.values()) else "reconciliation"
    db.session.flush()


def differing(production: Production) -> list[str]:
    decided = {d.competence for d in production.decisions}
    return [c for c in grid_of(production).competences if c not in decided]


def reconcile(production: Production, *, choices: dict[str, tuple[bool, str]], by: User, now: datetime) -> None:
    """The jury's final decision on each compétence where they differed, each with its justification."""
    if production.status != "reconciliation":
        raise NotReady(reason=_l("the jury is not reconciling this production"))
    open_codes = differing(production)
    for code in open_codes:
        if code not in choices or not choices[code][1].strip():
            raise JustificationMissing(competence=code)
    for code in open_codes:
        acquired, why = choices[code]
        production.decisions.append(FinalDecision(competence=code, acquired=acquired, reconciled=True,
                                                  justification=_clip(why), decided_by_id=by.id, decided_at=now))
    production.status = "signing"
    production.signatures.clear()
    audit.record("jury_reconciled", actor_id=by.id, attempt_id=production.attempt_id, session_id=production.session_id,
                 at=now, production=production.code, decisions={c: choices[c][0] for c in open_codes})
    db.session.flush()


def sign(production: Production, *, by: User, now: datetime) -> None:
    """A member confirms the procès-verbal; when all have, the result is final."""
    if production.status != "signing":
        raise NotReady(reason=_l("the procès-verbal is not ready to be confirmed"))
    if any(s.evaluator_id == by.id for s in production.signatures):
        return
    production.signatures.append(Signature(evaluator_id=by.id, signed_at=now))
    audit.record("pv_signed", actor_id=by.id, attempt_id=production.attempt_id, session_id=production.session_id,
                 at=now, production=production.code)
    jury = {a.evaluator_id for a in production.assignments}
    if jury <= {s.evaluator_id for s in production.signatures}:
        production.status, production.finalised_at = "final", now
        audit.record("result_final", actor_id=by.id, attempt_id=production.attempt_id,
                     session_id=production.session_id, at=now, production=production.code)
    db.session.flush()


def release(session: ExamSession, *, by: User, now: datetime) -> int:
    """Candidates of the session see their final results from now on. Returns how many are final."""
    if session.results_released_at is None:
        session.results_released_at = now
        audit.record("results_released", actor_id=by.id, session_id=session.id, at=now)
    db.session.flush()
    return len(db.session.scalars(select(Production.id).where(Production.session_id == session.id,
                                                              Production.status == "final")).all())


def group_seats(seat: Assignment) -> list[Assignment]:
    """The same evaluator's seats for the other members of the production's group."""
    group_id = seat.production.attempt.group_id
    if group_id is None or seat.evaluator_id is None:
        return []
    return list(db.session.scalars(
        select(Assignment).join(Production).join(Attempt, Attempt.id == Production.attempt_id)
        .where(Attempt.group_id == group_id, Assignment.evaluator_id == seat.evaluator_id, Assignment.id != seat.id)
        .order_by(Production.code)))


def apply_to_group(seat: Assignment, *, now: datetime) -> int:
    """Carry this seat's ratings of the shared work (every criterion not graded per member) to the evaluator's
    seats for the other members, to be adjusted there. Submitted gradings are left alone. Returns the seats
    changed."""
    grid = grid_of(seat.production)
    shared = {r.criterion_id: r for r in seat.ratings if r.criterion_id not in grid.per_member}
    if not shared:
        raise NotReady(reason=_l("rate the shared criteria here first"))
    changed = 0
    for other in group_seats(seat):
        if other.status == "submitted":
            continue
        for criterion_id, source in shared.items():
            rate(other, criterion_id=criterion_id, value=source.value, comment=source.comment, now=now)
        changed += 1
    audit.record("ratings_applied_to_group", actor_id=seat.evaluator_id, attempt_id=seat.production.attempt_id,
                 session_id=seat.production.session_id, at=now, production=seat.production.code,
                 criteria=sorted(shared), seats=changed)
    db.session.flush()
    return changed
