"""Routing to juries, grading, reconciliation, the procès-verbal, release and validation, on the database."""
import threading

import pytest
from sqlalchemy import func, select

from simulator.exams.models import Attempt, AuditEvent, Cohort, CohortMember
from simulator.extensions import db
from simulator.grading import results, routing, services
from simulator.grading.errors import (
    AlreadySubmitted, Incomplete, JustificationMissing, NotAllowed, NotReady, OutOfScale,
)
from simulator.grading.models import Assignment, FinalDecision, Production
from simulator.referentiels.models import Certification
from tests.exam_helpers import T0, schedule, user
from tests.grading_helpers import candidate, evaluator, grade, hand_in_all, produced


@pytest.fixture
def ctx(app, users, loaded):
    with app.app_context():
        yield


def jury(production):
    return {a.role: a.evaluator.email if a.evaluator else a.waiting_reason for a in production.assignments}


def test_a_hand_in_is_routed_at_once_to_one_evaluator_per_role(ctx):
    evaluator("inter@test.fr", roles=("intervenant",))
    evaluator("pro@test.fr", roles=("professionnel",))
    [production] = produced("candidate@test.fr")
    assert jury(production) == {"intervenant": "inter@test.fr", "professionnel": "pro@test.fr"}
    assert all(a.status == "assigned" and a.due_at > T0 for a in production.assignments)
    assert len(production.code) == 7 and production.code[3] == "-"
    assert "candidate" not in production.code.lower()


def test_the_least_loaded_gets_the_next_production_and_ties_are_stable(ctx):
    first, second = evaluator("a@test.fr"), evaluator("b@test.fr")
    productions = produced("candidate@test.fr", "c2@test.fr", "c3@test.fr", "c4@test.fr")
    load = db.session.execute(select(Assignment.evaluator_id, func.count()).group_by(Assignment.evaluator_id)).all()
    assert dict(load) == {first.id: 4, second.id: 4}  # each production needs both: balance is per seat
    assert productions[0].assignments[0].evaluator_id == first.id  # tie on an empty queue: the lowest id


def test_qualification_availability_and_conflicts_are_respected(ctx):
    evaluator("unqualified@test.fr", certification=None)
    evaluator("away@test.fr", active=False)
    evaluator("trained-them@test.fr", conflicts=("candidate@test.fr",))
    cohort = Cohort(name="Promo A")
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=user("candidate@test.fr").id))
    evaluator("cohort-tutor@test.fr", cohorts=(cohort.id,))
    evaluator("fine@test.fr", roles=("intervenant",), bloc="B1")
    [production] = produced("candidate@test.fr")
    assert jury(production) == {"intervenant": "fine@test.fr", "professionnel": "conflict"}


def test_nobody_eligible_leaves_a_visible_reason_and_a_new_evaluator_fills_the_seat(ctx):
    [production] = produced("candidate@test.fr")
    assert jury(production) == {"intervenant": "no_role", "professionnel": "no_role"}
    evaluator("late@test.fr")
    assert routing.route_waiting(now=T0) == 1
    assert sorted(jury(production).values()) == ["late@test.fr", "too_few"]


def test_a_failed_routing_never_costs_the_hand_in(ctx, monkeypatch):
    monkeypatch.setattr(routing, "route", lambda *a, **k: 1 / 0)
    [production] = produced("candidate@test.fr")
    assert production is None and db.session.scalar(select(func.count()).select_from(Attempt)
                                                    .where(Attempt.status == "handed_in")) == 1
    monkeypatch.undo()
    evaluator("e@test.fr")
    assert routing.route_waiting(now=T0) == 1
    assert db.session.scalar(select(func.count()).select_from(Production)) == 1


def test_reassignment_needs_a_reason_an_eligible_evaluator_and_is_audited(ctx):
    evaluator("inter@test.fr", roles=("intervenant",))
    evaluator("pro@test.fr", roles=("professionnel",))
    other = evaluator("other-pro@test.fr", roles=("professionnel",))
    [production] = produced("candidate@test.fr")
    seat = next(a for a in production.assignments if a.role == "professionnel")
    services.rate(seat, criterion_id="g1", value=2, comment="", now=T0)
    with pytest.raises(NotAllowed):
        routing.reassign(seat, evaluator=user("inter@test.fr"), reason="absent", by=user("trainer@test.fr"), now=T0)
    routing.reassign(seat, evaluator=other, reason="Malade", by=user("trainer@test.fr"), now=T0)
    assert seat.evaluator_id == other.id and seat.ratings == []
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "seat_reassigned"))
    assert event.details["reason"] == "Malade" and event.details["draft_rows_dropped"] == 1


def test_bad_grades_are_refused_and_change_nothing(ctx):
    evaluator("a@test.fr")
    evaluator("b@test.fr")
    [production] = produced("candidate@test.fr")
    seat = production.assignments[0]
    services.rate(seat, criterion_id="g1", value=2, comment="ok", now=T0)
    with pytest.raises(OutOfScale, match="0, 1, 2, 3"):
        services.rate(seat, criterion_id="g1", value=7, comment="", now=T0)
    assert [(r.criterion_id, r.value) for r in seat.ratings] == [("g1", 2)]
    with pytest.raises(Incomplete, match="g2") as gap:
        services.submit(seat, now=T0)
    assert "B1-C3" in gap.value.text and "C1.1" in gap.value.text
    grade(seat, level=2, acquired=True)
    with pytest.raises(AlreadySubmitted):
        services.rate(seat, criterion_id="g1", value=0, comment="", now=T0)


def test_agreement_proposes_the_result_and_signatures_make_it_final(ctx):
    evaluator("a@test.fr")
    evaluator("b@test.fr")
    [production] = produced("candidate@test.fr")
    first, second = production.assignments
    grade(first, level=2, acquired=True)
    assert production.status == "grading" and production.decisions == []
    grade(second, level=3, acquired=True)
    assert production.status == "signing"
    assert {d.competence: d.acquired for d in production.decisions} == {"C1.1": True, "B1-C3": True}
    services.sign(production, by=first.evaluator, now=T0)
    assert production.status == "signing"
    services.sign(production, by=second.evaluator, now=T0)
    assert production.status == "final" and production.finalised_at == T0


def test_disagreement_goes_to_reconciliation_with_a_justification(ctx):
    evaluator("a@test.fr")
    evaluator("b@test.fr")
    [production] = produced("candidate@test.fr")
    first, second = production.assignments
    grade(first, level=2, acquired=True)
    grade(second, level=1, acquired=False)
    assert production.status == "reconciliation" and services.differing(production) == ["C1.1", "B1-C3"]
    with pytest.raises(NotReady):
        services.sign(production, by=first.evaluator, now=T0)
    with pytest.raises(JustificationMissing, match="B1-C3"):
        services.reconcile(production, choices={"C1.1": (True, "Analyse solide"), "B1-C3": (False, " ")},
                           by=first.evaluator, now=T0)
    assert production.decisions == []
    services.reconcile(production, choices={"C1.1": (True, "Analyse solide"), "B1-C3": (False, "Plan non daté")},
                       by=first.evaluator, now=T0)
    assert production.status == "signing"
    assert {d.competence: (d.acquired, d.reconciled) for d in production.decisions} == {
        "C1.1": (True, True), "B1-C3": (False, True)}


def test_validation_needs_release_and_spans_scenarios(ctx):
    evaluator("a@test.fr")
    evaluator("b@test.fr")
    trainer = user("trainer@test.fr")
    certification = db.session.scalar(select(Certification).where(Certification.slug == "demo"))
    written = produced("candidate@test.fr")[0]
    for seat in written.assignments:
        grade(seat, level=2, acquired=True)
    for seat in written.assignments:
        services.sign(written, by=seat.evaluator, now=T0)
    me = user("candidate@test.fr").id
    assert [b.count for b in results.progress(certification, me, released_only=True)] == [0]
    assert [b.count for b in results.progress(certification, me, released_only=False)] == [2]
    services.release(written.session, by=trainer, now=T0)
    bloc1 = results.progress(certification, me, released_only=True)[0]
    assert bloc1.count == 2 and not bloc1.validated  # C1.2 is assessed by the role play
    role_play = hand_in_all(schedule("demo-b1-jeu-de-role", candidates=("candidate@test.fr",)))[0]
    assert not role_play.live  # played against the simulated interlocutor: the transcript is graded anonymously
    for seat in role_play.assignments:
        grade(seat, level=1, acquired=True)
    for seat in role_play.assignments:
        services.sign(role_play, by=seat.evaluator, now=T0)
    services.release(role_play.session, by=trainer, now=T0)
    assert results.progress(certification, me, released_only=True)[0].validated


def test_ten_hand_ins_at_once_each_get_exactly_their_jury(app, ctx):
    for name in ("a", "b", "c", "d"):
        evaluator(f"{name}@test.fr")
    emails = [f"cand{i}@test.fr" for i in range(10)]
    for email in emails:
        candidate(email)
    session = schedule(candidates=tuple(emails))
    from simulator.exams import services as exams

    for attempt in session.attempts:
        exams.start_attempt(attempt, sworn=True, now=T0)
    db.session.commit()
    ids = [a.id for a in session.attempts]
    barrier, errors = threading.Barrier(len(ids)), []

    def run(attempt_id):
        with app.app_context():
            try:
                attempt = db.session.get(Attempt, attempt_id)
                barrier.wait()
                exams.hand_in(attempt, now=T0, automatic=False, actor_id=attempt.candidate_id)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    db.session.expire_all()
    assert errors == []
    productions = db.session.scalars(select(Production)).all()
    assert len(productions) == 10
    for production in productions:
        seats = production.assignments
        assert sorted(a.role for a in seats) == ["intervenant", "professionnel"]
        assert all(a.evaluator_id for a in seats) and len({a.evaluator_id for a in seats}) == 2
    load = dict(db.session.execute(select(Assignment.evaluator_id, func.count()).group_by(Assignment.evaluator_id)).all())
    assert sorted(load.values()) == [5, 5, 5, 5]
