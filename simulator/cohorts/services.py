"""Cohorts and their members. Functions flush; callers commit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from simulator.auth.models import User
from simulator.auth.services import create_user, find_user
from simulator.cohorts import roster
from simulator.exams import audit
from simulator.exams.models import Cohort, CohortMember
from simulator.extensions import db


class CohortError(Exception):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    rejected: list[roster.Rejected] = field(default_factory=list)


def create(name: str, *, by: User, now: datetime) -> Cohort:
    name = name.strip()
    if not name:
        raise CohortError("no_name")
    if db.session.scalar(select(Cohort.id).where(Cohort.name == name)) is not None:
        raise CohortError("taken")
    cohort = Cohort(name=name[:200])
    db.session.add(cohort)
    db.session.flush()
    audit.record("cohort_created", actor_id=by.id, at=now, cohort=cohort.id, name=cohort.name)
    return cohort


def add(cohort: Cohort, person: User) -> bool:
    if any(m.user_id == person.id for m in cohort.members):
        return False
    cohort.members.append(CohortMember(user_id=person.id))
    db.session.flush()
    return True


def import_roster(cohort: Cohort, data: bytes, *, by: User, now: datetime) -> Report:
    """The same file sent twice imports nothing twice: people are found by email."""
    rows, rejected = roster.parse(data)
    report = Report(rejected=list(rejected))
    for row in rows:
        person = find_user(row.email)
        if person is not None and person.role != "candidate":
            report.rejected.append(roster.Rejected(row.line, "not_candidate", row.email))
            continue
        if person is None:
            person = create_user(email=row.email, name=row.name, role="candidate", password=None)
            report.created.append(row.email)
        if row.number and not person.candidate_number:
            person.candidate_number = row.number
        (report.added if add(cohort, person) else report.already).append(row.email)
    audit.record("cohort_imported", actor_id=by.id, at=now, cohort=cohort.id, created=len(report.created),
                 added=len(report.added), rejected=len(report.rejected))
    db.session.flush()
    return report


def remove(cohort: Cohort, user_id: int, *, by: User, now: datetime) -> None:
    member = next((m for m in cohort.members if m.user_id == user_id), None)
    if member is not None:
        cohort.members.remove(member)
        audit.record("cohort_member_removed", actor_id=by.id, at=now, cohort=cohort.id, user=user_id)
        db.session.flush()
