"""Route each production to its jury the moment it is handed in. Functions flush; callers commit."""
from __future__ import annotations

import logging
from dataclasses import replace
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import contains_eager, selectinload

from simulator.auth.models import User
from simulator.exams import audit
from simulator.exams.models import Attempt, CohortMember, HandIn
from simulator.exams.services import handed_in
from simulator.extensions import db
from simulator.grading import rules
from simulator.grading.errors import GradingError, NotAllowed
from simulator.grading.models import Assignment, EvaluatorProfile, Production
from simulator.referentiels.models import Bloc

log = logging.getLogger(__name__)
GRADING_DAYS = 14
OPEN = ("assigned", "in_progress")
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are read aloud and copied by hand


def listen() -> None:
    """Every hand-in, by the candidate, at the deadline or by the expiry command, is routed."""
    handed_in.connect(_on_hand_in)


def _on_hand_in(receipt: HandIn, now: datetime) -> None:
    """Routing never costs a candidate their hand-in: a failure leaves it in the trainer's 'not routed' list."""
    try:
        with db.session.begin_nested():
            route(receipt, now=now)
    except Exception:  # noqa: BLE001 - logged, visible to trainers, retried from their page
        log.exception("routing of hand-in %s failed", receipt.id)


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        code = f"{code[:3]}-{code[3:]}"
        if db.session.scalar(select(Production.id).where(Production.code == code)) is None:
            return code


def route(receipt: HandIn, *, now: datetime) -> Production:
    attempt = db.session.get(Attempt, receipt.attempt_id)
    document = attempt.session.version.document
    jury = document["jury"]
    # A role play played against the simulated interlocutor is graded afterwards from its transcript: anonymous.
    simulated = bool((document.get("interlocutor") or {}).get("dialogue"))
    production = Production(hand_in_id=receipt.id, attempt_id=attempt.id, session_id=attempt.session_id,
                            code=new_code(), live=bool(jury.get("live")) and not simulated, routed_at=now)
    db.session.add(production)
    for member in jury["roles"]:
        for seat in range(member.get("count", 1)):
            production.assignments.append(Assignment(role=member["role"], seat=seat))
    db.session.flush()
    audit.record("production_routed", actor_id=None, attempt_id=attempt.id, session_id=attempt.session_id, at=now,
                 production=production.code)
    fill_seats(production, now=now)
    return production


def fill_seats(production: Production, *, now: datetime) -> int:
    """Give every empty seat an eligible evaluator; say why a seat stays empty. Returns the seats filled."""
    empty = [a for a in production.assignments if a.evaluator_id is None]
    if not empty:
        return 0
    pool = evaluator_pool(production)
    taken = {a.evaluator_id for a in production.assignments if a.evaluator_id is not None}
    group_jury = _group_jury(production)
    filled = 0
    for seat in empty:
        choice = _same_as_group(seat, group_jury, pool, taken) or rules.pick(seat.role, pool, taken)
        if choice.evaluator_id is None:
            seat.waiting_reason = choice.reason
            continue
        _seat(seat, choice.evaluator_id, now)
        taken.add(choice.evaluator_id)
        pool = [replace(e, open_gradings=e.open_gradings + 1) if e.id == choice.evaluator_id else e for e in pool]
        filled += 1
    db.session.flush()
    return filled


def _group_jury(production: Production) -> dict[tuple[str, int], int]:
    """The evaluators seated for the other members of the production's group, by seat: a group's members are
    graded by the same jury, who can then carry the ratings of the shared work from one member to the next."""
    group_id = production.attempt.group_id
    if group_id is None:
        return {}
    rows = db.session.execute(
        select(Assignment.role, Assignment.seat, Assignment.evaluator_id).join(Production)
        .join(Attempt, Attempt.id == Production.attempt_id)
        .where(Attempt.group_id == group_id, Production.id != production.id, Assignment.evaluator_id.is_not(None))
        .order_by(Assignment.id)).all()
    return {(role, seat): evaluator for role, seat, evaluator in rows}


def _same_as_group(seat: Assignment, group_jury: dict, pool: list[rules.Evaluator], taken: set) -> rules.Pick | None:
    """The group's evaluator for this seat, if they may grade this member too (a conflict of interest with one
    member sends that member's seat to someone else)."""
    wanted = group_jury.get((seat.role, seat.seat))
    candidate = next((e for e in pool if e.id == wanted), None)
    if candidate is None:
        return None
    choice = rules.pick(seat.role, [candidate], taken)
    return choice if choice.evaluator_id is not None else None


def _seat(seat: Assignment, evaluator_id: int, now: datetime) -> None:
    # By id: the accounts the pool was read from are gone from the session (only its summary is kept), and
    # loading one again would cost a statement per seat.
    seat.evaluator_id, seat.status, seat.waiting_reason = evaluator_id, "assigned", None
    seat.assigned_at, seat.due_at = now, now + timedelta(days=GRADING_DAYS)
    if inspect(seat).persistent:
        db.session.expire(seat, ["evaluator"])


def evaluator_pool(production: Production) -> list[rules.Evaluator]:
    """Every evaluator, with what routing needs to know about them for this production. The profiles are
    locked (PostgreSQL) so that two workers routing at once both see each other's open gradings."""
    attempt = production.attempt
    version = attempt.session.version
    certification_id = version.scenario.certification_id
    bloc_id = db.session.scalar(select(Bloc.id).where(Bloc.certification_id == certification_id,
                                                      Bloc.code == version.bloc_code)) if version.bloc_code else None
    cohorts = set(db.session.scalars(select(CohortMember.cohort_id).where(CohortMember.user_id == attempt.candidate_id)))
    # Three statements whatever the number of evaluators: the profiles with their accounts, then every
    # qualification and every conflict at once (a deadline storm routes sixteen hand-ins a second).
    profiles = db.session.scalars(select(EvaluatorProfile).join(User, User.id == EvaluatorProfile.user_id)
                                  .options(contains_eager(EvaluatorProfile.user),
                                           selectinload(EvaluatorProfile.qualifications),
                                           selectinload(EvaluatorProfile.conflicts))
                                  .where(User.role == "evaluator").order_by(EvaluatorProfile.id)
                                  .with_for_update(of=EvaluatorProfile)).all()
    load = dict(db.session.execute(select(Assignment.evaluator_id, func.count(Assignment.id))
                                   .where(Assignment.status.in_(OPEN)).group_by(Assignment.evaluator_id)).all())
    return [rules.Evaluator(
        id=p.user_id, roles=frozenset(p.roles), active=p.active and p.user.active,
        qualified=any(q.certification_id == certification_id and q.bloc_id in (None, bloc_id) for q in p.qualifications),
        conflicted=any(c.candidate_id == attempt.candidate_id or c.cohort_id in cohorts for c in p.conflicts),
        open_gradings=load.get(p.user_id, 0)) for p in profiles]


def route_waiting(*, now: datetime) -> int:
    """Try again every empty seat, and every hand-in whose routing failed (after an evaluator was added)."""
    filled = 0
    for production in db.session.scalars(select(Production).where(Production.id.in_(
            select(Assignment.production_id).where(Assignment.evaluator_id.is_(None))))).all():
        filled += fill_seats(production, now=now)
    for receipt in db.session.scalars(select(HandIn).where(~HandIn.id.in_(select(Production.hand_in_id)),
                                                           HandIn.withdrawn_at.is_(None))).all():
        filled += sum(a.evaluator_id is not None for a in route(receipt, now=now).assignments)
    return filled


def reassign(seat: Assignment, *, evaluator: User, reason: str, by: User, now: datetime) -> None:
    """A trainer moves a seat to another evaluator, with a reason; the new evaluator must be eligible."""
    if not reason.strip():
        raise GradingError(reason="reason")
    if seat.status == "submitted":
        raise GradingError(reason="submitted")
    pool = {e.id: e for e in evaluator_pool(seat.production)}
    others = {a.evaluator_id for a in seat.production.assignments if a.id != seat.id}
    choice = rules.pick(seat.role, [pool[evaluator.id]] if evaluator.id in pool else [], others)
    if choice.evaluator_id is None:
        raise NotAllowed(reason=choice.reason or rules.NO_ROLE)
    before, dropped = seat.evaluator_id, len(seat.ratings) + len(seat.verdicts)
    seat.ratings.clear()
    seat.verdicts.clear()
    seat.overall_comment = ""
    _seat(seat, evaluator.id, now)
    audit.record("seat_reassigned", actor_id=by.id, attempt_id=seat.production.attempt_id,
                 session_id=seat.production.session_id, at=now, production=seat.production.code, role=seat.role,
                 previous=before, evaluator=evaluator.id, reason=reason.strip(), draft_rows_dropped=dropped)
    db.session.flush()
