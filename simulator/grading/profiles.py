"""Evaluator profiles: read and saved whole from the admin's form. Flushes; the caller commits."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from simulator.auth.models import User
from simulator.extensions import db
from simulator.grading.models import Conflict, EvaluatorProfile, Qualification


def all_profiles() -> list[EvaluatorProfile]:
    return list(db.session.scalars(select(EvaluatorProfile)))


def profile_of(user: User) -> EvaluatorProfile | None:
    return db.session.scalar(select(EvaluatorProfile).where(EvaluatorProfile.user_id == user.id))


def form_data(profile: EvaluatorProfile | None) -> SimpleNamespace:
    if profile is None:  # a new evaluator is available by default
        return SimpleNamespace(roles=[], active=True, qualifications=[], conflict_candidates=[], conflict_cohorts=[])
    return SimpleNamespace(
        roles=list(profile.roles), active=profile.active,
        qualifications=[f"{q.certification_id}:{q.bloc_id or '*'}" for q in profile.qualifications],
        conflict_candidates=[c.candidate_id for c in profile.conflicts if c.candidate_id],
        conflict_cohorts=[c.cohort_id for c in profile.conflicts if c.cohort_id])


def save(user: User, *, roles: list[str], active: bool, qualifications: list[str], candidates: list[int],
         cohorts: list[int]) -> EvaluatorProfile:
    """qualifications are "certification_id:bloc_id", or "certification_id:*" for every bloc."""
    profile = profile_of(user)
    if profile is None:
        profile = EvaluatorProfile(user_id=user.id)
        db.session.add(profile)
    profile.roles, profile.active = sorted(set(roles)), active
    profile.qualifications.clear()
    profile.conflicts.clear()
    db.session.flush()
    for key in sorted(set(qualifications)):
        certification, bloc = key.split(":")
        profile.qualifications.append(Qualification(certification_id=int(certification),
                                                    bloc_id=None if bloc == "*" else int(bloc)))
    profile.conflicts.extend([Conflict(candidate_id=c) for c in sorted(set(candidates))]
                             + [Conflict(cohort_id=c) for c in sorted(set(cohorts))])
    db.session.flush()
    return profile
