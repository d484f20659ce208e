"""Validation of compétences, blocs and certifications, and the rows of the result exports."""
from __future__ import annotations

from sqlalchemy import select

from simulator.exams.models import Attempt, ExamSession
from simulator.extensions import db
from simulator.grading import rules
from simulator.grading.models import FinalDecision, Production
from simulator.referentiels.models import Certification
from simulator.scenarios.models import Scenario, ScenarioVersion


def acquisitions(candidate_id: int, certification_id: int, *, released_only: bool) -> dict[str, FinalDecision]:
    """The compétences a final decision validated for this candidate, with the first such decision."""
    query = (select(FinalDecision).join(Production).join(Attempt, Attempt.id == Production.attempt_id)
             .join(ExamSession, ExamSession.id == Production.session_id)
             .join(ScenarioVersion, ScenarioVersion.id == ExamSession.version_id)
             .join(Scenario, Scenario.id == ScenarioVersion.scenario_id)
             .where(Attempt.candidate_id == candidate_id, Scenario.certification_id == certification_id,
                    Production.status == "final", FinalDecision.acquired)
             .order_by(FinalDecision.decided_at))
    if released_only:
        query = query.where(ExamSession.results_released_at.is_not(None))
    found: dict[str, FinalDecision] = {}
    for decision in db.session.scalars(query):
        found.setdefault(decision.competence, decision)
    return found


def progress(certification: Certification, candidate_id: int, *, released_only: bool) -> list[rules.BlocProgress]:
    blocs = {b.code: [c.code for c in b.competences] for b in certification.blocs}
    return rules.progress(blocs, acquisitions(candidate_id, certification.id, released_only=released_only))


def certifications_of(candidate_id: int) -> list[Certification]:
    return list(db.session.scalars(
        select(Certification).where(Certification.id.in_(
            select(Scenario.certification_id).join(ScenarioVersion).join(ExamSession)
            .join(Attempt, Attempt.session_id == ExamSession.id).where(Attempt.candidate_id == candidate_id)))
        .order_by(Certification.title)))


def released_productions(candidate_id: int) -> list[Production]:
    return list(db.session.scalars(
        select(Production).join(Attempt, Attempt.id == Production.attempt_id)
        .join(ExamSession, ExamSession.id == Production.session_id)
        .where(Attempt.candidate_id == candidate_id, Production.status == "final",
               ExamSession.results_released_at.is_not(None)).order_by(Production.finalised_at.desc())))
