"""Build evaluators and handed-in productions for grading tests, with the clock passed in."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from simulator.auth.models import User
from simulator.auth.services import create_user
from simulator.exams import services as exams
from simulator.extensions import db
from simulator.grading import profiles
from simulator.grading.models import Production
from simulator.referentiels.models import Bloc, Certification
from tests.exam_helpers import T0, schedule, user


def evaluator(email: str, *, roles=("intervenant", "professionnel"), certification: str | None = "demo",
              bloc: str | None = None, active: bool = True, password_hash: str | None = None,
              conflicts: tuple[str, ...] = (), cohorts: tuple[int, ...] = ()) -> User:
    """An evaluator account with its profile (created if missing)."""
    person = db.session.scalar(select(User).where(User.email == email))
    if person is None:
        person = create_user(email=email, name=email.split("@")[0].title(), role="evaluator", password=None)
        person.password_hash = password_hash
    qualifications = []
    if certification:  # None: qualified for nothing
        cert = db.session.scalar(select(Certification).where(Certification.slug == certification))
        bloc_id = db.session.scalar(select(Bloc.id).where(Bloc.certification_id == cert.id, Bloc.code == bloc)) if bloc else "*"
        qualifications.append(f"{cert.id}:{bloc_id}")
    profiles.save(person, roles=list(roles), active=active, qualifications=qualifications,
                  candidates=[user(e).id for e in conflicts], cohorts=list(cohorts))
    return person


def candidate(email: str, password_hash: str | None = None) -> User:
    person = db.session.scalar(select(User).where(User.email == email))
    if person is None:
        person = create_user(email=email, name=email.split("@")[0].title(), role="candidate", password=None)
        person.password_hash = password_hash
    return person


def hand_in_all(session, *, at: datetime = T0) -> list[Production]:
    """Start and hand in every attempt of the session; returns their productions."""
    for attempt in session.attempts:
        exams.start_attempt(attempt, sworn=True, now=at)
        if attempt.session.version.kind == "written_case_study":
            exams.save_text(attempt, deliverable_id="analyse", content=f"## Analyse\nTexte de la copie {attempt.id}",
                            author=attempt.candidate, now=at)
        exams.hand_in(attempt, now=at, automatic=False, actor_id=attempt.candidate_id)
    db.session.flush()
    return [db.session.scalar(select(Production).where(Production.attempt_id == a.id)) for a in session.attempts]


def produced(*emails: str, at: datetime = T0, slug: str = "demo-b1-etude-de-cas") -> list[Production]:
    for email in emails:
        candidate(email)
    return hand_in_all(schedule(slug, candidates=emails, opens=at), at=at)


def grade(seat, *, level: float, acquired: bool, now: datetime = T0, comment: str = "Travail sérieux.") -> None:
    """Fill the whole grid of a seat with one level and one decision, then submit it."""
    from simulator.grading import services

    document = seat.production.session.version.document
    for item in document["grid"]:
        services.rate(seat, criterion_id=item["id"], value=level, comment="", now=now)
    for code in document["competences"]:
        services.decide(seat, competence=code, acquired=acquired, now=now)
    services.comment(seat, text=comment, now=now)
    services.submit(seat, now=now)
